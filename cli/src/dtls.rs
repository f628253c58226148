//! DTLS record headers in a datagram: DTLSPlaintext/DTLSCiphertext of DTLS
//! 1.0/1.2 (RFC 6347 §4.1) and the unified header of DTLS 1.3 (RFC 9147 §4).
//! Plaintext (epoch 0) records are decoded further with the parsers of
//! `zerortc::dtls`: every handshake fragment header (RFC 6347 §4.2.2: type,
//! length, message_seq, fragment offset and length), a summary of a
//! ClientHello / ServerHello held whole in one record (version, cipher
//! suites, extensions, use_srtp profiles, supported_versions), and alerts
//! (level and description). A hello split over several records (Chromium's
//! post-quantum ClientHello) shows its fragments, not a summary.
//! Encrypted (epoch 1) records are opened when a key log is given
//! ([`crate::keylog`]): application data is decoded as SCTP (RFC 8261),
//! encrypted handshake records show their message types.

use std::fmt;

use serde::Serialize;
use zerortc::dtls::{
    CipherSuite, ClientHello, Extensions, HandshakeFragment, HandshakeType, ServerHello, UseSrtp,
    alert_name, ext, parse_supported_versions,
};
use zerortc::srtp::SrtpProfile;

/// One record header.
#[derive(Debug, Clone, Serialize)]
pub struct DtlsRecord {
    /// Content type number (20..=26), or the first byte of a unified header.
    pub content_type: u8,
    /// Content type name when known (`handshake`, `application_data`, ...;
    /// `dtls13_ciphertext` for a DTLS 1.3 unified header).
    pub content: &'static str,
    /// Record version (e.g. 0xfefd = DTLS 1.2); absent in a unified header.
    pub version: Option<u16>,
    /// Epoch (only the 2 low bits in a unified header).
    pub epoch: u16,
    /// Sequence number (48 bits; 8 or 16 low bits in a unified header).
    pub sequence: u64,
    /// Length of the record's fragment.
    pub length: usize,
    /// Handshake message type name of a plaintext handshake record (epoch 0).
    pub handshake: Option<&'static str>,
    /// Every handshake fragment of a plaintext handshake record (epoch 0).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub messages: Vec<HandshakeInfo>,
    /// A plaintext alert (epoch 0).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<AlertInfo>,
    /// What an encrypted record held, when `inspect --keylog` opened it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub decrypted: Option<Decrypted>,
}

/// The plaintext of an encrypted record (`inspect --keylog`).
#[derive(Debug, Clone, Serialize)]
pub struct Decrypted {
    /// Plaintext length.
    pub length: usize,
    /// The SCTP packet of an application data record (RFC 8261).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sctp: Option<crate::sctp::SctpSummary>,
    /// Handshake message types of an encrypted handshake record (Finished).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub handshake: Vec<&'static str>,
    /// An encrypted alert.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alert: Option<AlertInfo>,
    /// Why the record could not be opened or its plaintext decoded
    /// (`no keys` when the key log has no secret for its session).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

impl Decrypted {
    /// Decodes an opened record's plaintext.
    pub fn from_opened(opened: crate::keylog::Opened) -> Self {
        let mut d = Decrypted {
            length: 0,
            sctp: None,
            handshake: Vec::new(),
            alert: None,
            error: None,
        };
        match opened {
            crate::keylog::Opened::NoKeys => d.error = Some("no keys".into()),
            crate::keylog::Opened::Failed(e) => d.error = Some(e),
            crate::keylog::Opened::Plain(ct, plain) => {
                d.length = plain.len();
                match ct {
                    zerortc::dtls::ContentType::ApplicationData => {
                        match crate::sctp::decode(&plain) {
                            Ok(s) => d.sctp = Some(s),
                            Err(e) => d.error = Some(format!("not SCTP: {e}")),
                        }
                    }
                    zerortc::dtls::ContentType::Handshake => {
                        d.handshake = handshake_fragments(&plain)
                            .iter()
                            .map(|m| m.msg_type)
                            .collect();
                    }
                    zerortc::dtls::ContentType::Alert => {
                        if let [level, code] = plain[..] {
                            d.alert = Some(alert_info(level, code));
                        }
                    }
                    zerortc::dtls::ContentType::ChangeCipherSpec => {}
                }
            }
        }
        d
    }
}

impl fmt::Display for Decrypted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, " decrypted({}B)", self.length)?;
        if let Some(s) = &self.sctp {
            write!(f, " {s}")?;
        }
        for h in &self.handshake {
            write!(f, " [{h}]")?;
        }
        if let Some(a) = &self.alert {
            write!(f, " [{} {}({})]", a.level, a.description, a.code)?;
        }
        if let Some(e) = &self.error {
            write!(f, " error: {e}")?;
        }
        Ok(())
    }
}

fn alert_info(level: u8, code: u8) -> AlertInfo {
    AlertInfo {
        level: match level {
            1 => "warning",
            2 => "fatal",
            _ => "unknown",
        },
        code,
        description: alert_name(code),
    }
}

/// One handshake fragment header (RFC 6347 §4.2.2).
#[derive(Debug, Clone, Serialize)]
pub struct HandshakeInfo {
    /// Message type name.
    pub msg_type: &'static str,
    /// Length of the whole message body.
    pub length: u32,
    /// Message sequence number.
    pub message_seq: u16,
    /// Offset of this fragment in the body.
    pub fragment_offset: u32,
    /// Length of this fragment.
    pub fragment_length: u32,
    /// Summary of a ClientHello / ServerHello held whole in this fragment.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hello: Option<HelloSummary>,
    /// Why a whole hello did not parse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// What a ClientHello offers or a ServerHello picks.
#[derive(Debug, Clone, Serialize)]
pub struct HelloSummary {
    /// `client_version` / `server_version` (0xfefd = DTLS 1.2).
    pub version: u16,
    /// Cipher suites offered (ClientHello) or chosen (ServerHello), as
    /// 4-digit hex code points.
    pub cipher_suites: Vec<String>,
    /// Extension names (or numbers), in order.
    pub extensions: Vec<String>,
    /// `use_srtp` profiles (RFC 5764), names where known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub use_srtp: Option<Vec<String>>,
    /// `supported_versions` (RFC 8446 §4.2.1): a list in a ClientHello.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub supported_versions: Option<Vec<u16>>,
}

/// A plaintext alert (RFC 5246 §7.2).
#[derive(Debug, Clone, Serialize)]
pub struct AlertInfo {
    /// `warning`, `fatal` or `unknown`.
    pub level: &'static str,
    /// Description code.
    pub code: u8,
    /// Description name.
    pub description: &'static str,
}

/// Why a payload in the DTLS range is not a sequence of DTLS records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DtlsHeaderError {
    /// A record header is cut short.
    #[error("truncated DTLS record header")]
    TruncatedHeader,
    /// A record's length runs past the end of the datagram.
    #[error("DTLS record length runs past the datagram")]
    TruncatedRecord,
    /// A DTLS 1.3 unified header with a connection id (its length is unknown here).
    #[error("DTLS 1.3 record with a connection id")]
    ConnectionId,
    /// A first byte that is neither a content type nor a unified header.
    #[error("unknown DTLS content type")]
    UnknownContentType,
}

/// Decodes every record header of a datagram.
pub fn decode(datagram: &[u8]) -> Result<Vec<DtlsRecord>, DtlsHeaderError> {
    let mut records = Vec::new();
    let mut rest = datagram;
    while let Some(&first) = rest.first() {
        let (record, len) = if first & 0b1110_0000 == 0b0010_0000 {
            unified(rest)?
        } else {
            plaintext(rest)?
        };
        records.push(record);
        rest = rest.get(len..).ok_or(DtlsHeaderError::TruncatedRecord)?;
    }
    Ok(records)
}

fn plaintext(buf: &[u8]) -> Result<(DtlsRecord, usize), DtlsHeaderError> {
    let content_type = buf
        .first()
        .copied()
        .ok_or(DtlsHeaderError::TruncatedHeader)?;
    let content = match content_type {
        20 => "change_cipher_spec",
        21 => "alert",
        22 => "handshake",
        23 => "application_data",
        24 => "heartbeat",
        25 => "tls12_cid",
        26 => "ack",
        _ => return Err(DtlsHeaderError::UnknownContentType),
    };
    let header = buf.get(..13).ok_or(DtlsHeaderError::TruncatedHeader)?;
    let be = |from: usize, to: usize| -> u64 {
        header
            .get(from..to)
            .unwrap_or_default()
            .iter()
            .fold(0u64, |acc, &b| (acc << 8) | u64::from(b))
    };
    let version = be(1, 3) as u16;
    let epoch = be(3, 5) as u16;
    let sequence = be(5, 11);
    let length = be(11, 13) as usize;
    let fragment = buf
        .get(13..13 + length)
        .ok_or(DtlsHeaderError::TruncatedRecord)?;
    let handshake = if content_type == 22 && epoch == 0 {
        fragment.first().map(|&t| handshake_name(t))
    } else {
        None
    };
    let messages = if content_type == 22 && epoch == 0 {
        handshake_fragments(fragment)
    } else {
        Vec::new()
    };
    let alert = match (content_type, epoch, fragment) {
        (21, 0, &[level, code]) => Some(alert_info(level, code)),
        _ => None,
    };
    Ok((
        DtlsRecord {
            content_type,
            content,
            version: Some(version),
            epoch,
            sequence,
            length,
            handshake,
            messages,
            alert,
            decrypted: None,
        },
        13 + length,
    ))
}

/// RFC 9147 §4: `0 0 1 C S L E E`, then CID (if C), 8 or 16-bit sequence
/// number (S), 16-bit length (if L; otherwise the record fills the datagram).
fn unified(buf: &[u8]) -> Result<(DtlsRecord, usize), DtlsHeaderError> {
    let first = buf
        .first()
        .copied()
        .ok_or(DtlsHeaderError::TruncatedHeader)?;
    if first & 0b0001_0000 != 0 {
        return Err(DtlsHeaderError::ConnectionId);
    }
    let seq_len = if first & 0b0000_1000 != 0 { 2 } else { 1 };
    let has_length = first & 0b0000_0100 != 0;
    let header_len = 1 + seq_len + if has_length { 2 } else { 0 };
    let header = buf
        .get(..header_len)
        .ok_or(DtlsHeaderError::TruncatedHeader)?;
    let sequence = header
        .get(1..1 + seq_len)
        .unwrap_or_default()
        .iter()
        .fold(0u64, |acc, &b| (acc << 8) | u64::from(b));
    let length = if has_length {
        let l = header.get(1 + seq_len..header_len).unwrap_or_default();
        l.iter().fold(0usize, |acc, &b| (acc << 8) | usize::from(b))
    } else {
        buf.len() - header_len
    };
    if buf.len() < header_len + length {
        return Err(DtlsHeaderError::TruncatedRecord);
    }
    Ok((
        DtlsRecord {
            content_type: first,
            content: "dtls13_ciphertext",
            version: None,
            epoch: u16::from(first & 0b11),
            sequence,
            length,
            handshake: None,
            messages: Vec::new(),
            alert: None,
            decrypted: None,
        },
        header_len + length,
    ))
}

/// The handshake fragments of a plaintext record; stops at the first that
/// does not parse (the rest of the record is not a handshake header).
fn handshake_fragments(mut rest: &[u8]) -> Vec<HandshakeInfo> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        let Ok((fragment, next)) = HandshakeFragment::parse(rest) else {
            break;
        };
        let h = fragment.header;
        let whole = h.fragment_offset == 0 && h.fragment_length == h.length;
        let (hello, error) = match (whole, h.msg_type) {
            (true, HandshakeType::ClientHello) => match client_hello(fragment.body) {
                Ok(s) => (Some(s), None),
                Err(e) => (None, Some(e.to_string())),
            },
            (true, HandshakeType::ServerHello) => match server_hello(fragment.body) {
                Ok(s) => (Some(s), None),
                Err(e) => (None, Some(e.to_string())),
            },
            _ => (None, None),
        };
        out.push(HandshakeInfo {
            msg_type: handshake_name(h.msg_type as u8),
            length: h.length,
            message_seq: h.message_seq,
            fragment_offset: h.fragment_offset,
            fragment_length: h.fragment_length,
            hello,
            error,
        });
        rest = next;
    }
    out
}

fn client_hello(body: &[u8]) -> Result<HelloSummary, zerortc::dtls::DtlsError> {
    let hello = ClientHello::parse(body)?;
    let cipher_suites = hello
        .cipher_suites()
        .map(|id| format!("{id:04x}"))
        .collect();
    let mut summary = extensions_summary(hello.extensions())?;
    summary.version = hello.client_version;
    summary.cipher_suites = cipher_suites;
    Ok(summary)
}

fn server_hello(body: &[u8]) -> Result<HelloSummary, zerortc::dtls::DtlsError> {
    let hello = ServerHello::parse(body)?;
    let mut summary = extensions_summary(hello.extensions())?;
    summary.version = hello.server_version;
    summary.cipher_suites = vec![format!("{:04x}", hello.cipher_suite)];
    Ok(summary)
}

fn extensions_summary(exts: Extensions<'_>) -> Result<HelloSummary, zerortc::dtls::DtlsError> {
    let mut summary = HelloSummary {
        version: 0,
        cipher_suites: Vec::new(),
        extensions: Vec::new(),
        use_srtp: None,
        supported_versions: None,
    };
    for item in exts {
        let (ty, data) = item?;
        summary.extensions.push(extension_name(ty));
        if ty == ext::USE_SRTP {
            let srtp = UseSrtp::parse(data)?;
            summary.use_srtp = Some(
                srtp.profiles
                    .map(|id| match SrtpProfile::from_dtls_id(id) {
                        Some(p) => format!("{p:?}"),
                        None => format!("{id:04x}"),
                    })
                    .collect(),
            );
        } else if ty == ext::SUPPORTED_VERSIONS {
            // A ClientHello lists versions (length-prefixed); a ServerHello
            // (DTLS 1.3) carries exactly one.
            summary.supported_versions = Some(match parse_supported_versions(data) {
                Ok(list) => list.collect(),
                Err(_) => data
                    .chunks_exact(2)
                    .map(|c| u16::from_be_bytes([c[0], c[1]]))
                    .collect(),
            });
        }
    }
    Ok(summary)
}

fn extension_name(ty: u16) -> String {
    let name = match ty {
        0 => "server_name",
        10 => "supported_groups",
        11 => "ec_point_formats",
        13 => "signature_algorithms",
        14 => "use_srtp",
        16 => "alpn",
        22 => "encrypt_then_mac",
        23 => "extended_master_secret",
        28 => "record_size_limit",
        34 => "delegated_credentials",
        35 => "session_ticket",
        43 => "supported_versions",
        45 => "psk_key_exchange_modes",
        51 => "key_share",
        0xff01 => "renegotiation_info",
        _ => return format!("{ty}"),
    };
    name.to_string()
}

/// A cipher suite code point with the name zerortc knows it by, if any.
fn suite_label(hex: &str) -> String {
    let known = u16::from_str_radix(hex, 16)
        .ok()
        .and_then(CipherSuite::from_id);
    match known {
        Some(s) => format!("{hex}({s:?})"),
        None => hex.to_string(),
    }
}

fn handshake_name(t: u8) -> &'static str {
    match t {
        0 => "HelloRequest",
        1 => "ClientHello",
        2 => "ServerHello",
        3 => "HelloVerifyRequest",
        4 => "NewSessionTicket",
        6 => "HelloRetryRequest",
        8 => "EncryptedExtensions",
        11 => "Certificate",
        12 => "ServerKeyExchange",
        13 => "CertificateRequest",
        14 => "ServerHelloDone",
        15 => "CertificateVerify",
        16 => "ClientKeyExchange",
        20 => "Finished",
        _ => "unknown",
    }
}

impl fmt::Display for DtlsRecord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.content)?;
        if let Some(h) = self.handshake {
            write!(f, "({h})")?;
        }
        if let Some(v) = self.version {
            write!(f, " v={v:04x}")?;
        }
        write!(
            f,
            " epoch={} seq={} len={}",
            self.epoch, self.sequence, self.length
        )?;
        for m in &self.messages {
            write!(
                f,
                " [{} msg_seq={} len={} frag={}+{}",
                m.msg_type, m.message_seq, m.length, m.fragment_offset, m.fragment_length
            )?;
            if let Some(h) = &m.hello {
                write!(f, " {h}")?;
            }
            if let Some(e) = &m.error {
                write!(f, " error: {e}")?;
            }
            f.write_str("]")?;
        }
        if let Some(a) = &self.alert {
            write!(f, " [{} {}({})]", a.level, a.description, a.code)?;
        }
        if let Some(d) = &self.decrypted {
            write!(f, "{d}")?;
        }
        Ok(())
    }
}

impl fmt::Display for HelloSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let suites: Vec<String> = self.cipher_suites.iter().map(|s| suite_label(s)).collect();
        write!(
            f,
            "version={:04x} suites={} ext={}",
            self.version,
            suites.join(","),
            self.extensions.join(",")
        )?;
        if let Some(p) = &self.use_srtp {
            write!(f, " use_srtp={}", p.join(","))?;
        }
        if let Some(v) = &self.supported_versions {
            let v: Vec<String> = v.iter().map(|v| format!("{v:04x}")).collect();
            write!(f, " supported_versions={}", v.join(","))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(ct: u8, epoch: u16, seq: u64, fragment: &[u8]) -> Vec<u8> {
        let mut r = vec![ct, 0xfe, 0xfd];
        r.extend_from_slice(&epoch.to_be_bytes());
        r.extend_from_slice(&seq.to_be_bytes()[2..]);
        r.extend_from_slice(&(fragment.len() as u16).to_be_bytes());
        r.extend_from_slice(fragment);
        r
    }

    #[test]
    fn two_records_in_one_datagram() {
        let mut d = record(22, 0, 1, &[1, 0, 0, 3, 0, 0, 0]);
        d.extend(record(20, 0, 2, &[1]));
        let records = decode(&d).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].content, "handshake");
        assert_eq!(records[0].handshake, Some("ClientHello"));
        assert_eq!(records[0].version, Some(0xfefd));
        assert_eq!(
            (records[0].epoch, records[0].sequence, records[0].length),
            (0, 1, 7)
        );
        assert_eq!(records[1].content, "change_cipher_spec");
        assert_eq!(records[1].sequence, 2);
    }

    #[test]
    fn plaintext_alert_is_decoded() {
        let d = record(21, 0, 3, &[2, 40]);
        let a = decode(&d).unwrap()[0].alert.clone().unwrap();
        assert_eq!(
            (a.level, a.code, a.description),
            ("fatal", 40, "handshake_failure")
        );
        assert!(
            decode(&d).unwrap()[0]
                .to_string()
                .ends_with("[fatal handshake_failure(40)]")
        );
        // Encrypted (epoch 1) alerts and odd lengths are not decoded.
        assert!(
            decode(&record(21, 1, 3, &[2, 40])).unwrap()[0]
                .alert
                .is_none()
        );
        assert!(decode(&record(21, 0, 3, &[2])).unwrap()[0].alert.is_none());
    }

    #[test]
    fn handshake_fragments_and_a_hand_built_server_hello() {
        // ServerHello: version fefd, random, empty session id, c02b, null
        // compression, extensions use_srtp (0007 = AEAD_AES_128_GCM, no MKI)
        // and extended_master_secret.
        let mut body = vec![0xfe, 0xfd];
        body.extend_from_slice(&[7; 32]);
        body.extend_from_slice(&[0, 0xc0, 0x2b, 0]);
        let exts = [0, 14, 0, 5, 0, 2, 0, 7, 0, 0, 23, 0, 0];
        body.extend_from_slice(&(exts.len() as u16).to_be_bytes());
        body.extend_from_slice(&exts);
        let mut fragment = vec![
            2,
            0,
            0,
            body.len() as u8,
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            body.len() as u8,
        ];
        fragment.extend_from_slice(&body);
        // A second message in the same record: ServerHelloDone, seq 1.
        fragment.extend_from_slice(&[14, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
        let r = &decode(&record(22, 0, 0, &fragment)).unwrap()[0];
        assert_eq!(r.messages.len(), 2);
        let hello = r.messages[0].hello.clone().unwrap();
        assert_eq!(hello.version, 0xfefd);
        assert_eq!(hello.cipher_suites, vec!["c02b".to_string()]);
        assert_eq!(hello.extensions, vec!["use_srtp", "extended_master_secret"]);
        assert_eq!(hello.use_srtp, Some(vec!["AeadAes128Gcm".to_string()]));
        assert_eq!(hello.supported_versions, None);
        assert_eq!(
            (
                r.messages[1].msg_type,
                r.messages[1].message_seq,
                r.messages[1].length
            ),
            ("ServerHelloDone", 1, 0)
        );
        let text = r.to_string();
        assert!(
            text.contains("suites=c02b(EcdheEcdsaAes128GcmSha256)"),
            "{text}"
        );
        assert!(
            text.contains("[ServerHelloDone msg_seq=1 len=0 frag=0+0]"),
            "{text}"
        );
        // A whole hello that does not parse reports why instead of a summary.
        let mut bad = fragment.clone();
        bad[12] = 0x00; // still framed, but the extensions block now lies
        bad.truncate(12 + body.len() - 2);
        bad[3] = (body.len() - 2) as u8;
        bad[11] = (body.len() - 2) as u8;
        let r = &decode(&record(22, 0, 0, &bad)).unwrap()[0];
        assert!(r.messages[0].hello.is_none());
        assert!(r.messages[0].error.is_some());
    }

    #[test]
    fn encrypted_handshake_is_not_named() {
        let d = record(22, 1, 0x0000_1234_5678, &[20; 40]);
        let r = &decode(&d).unwrap()[0];
        assert_eq!((r.epoch, r.sequence, r.handshake), (1, 0x1234_5678, None));
    }

    #[test]
    fn unified_header() {
        // 001 C=0 S=1 L=1 EE=3, seq 0x0102, length 3.
        let d = [0b0010_1111, 0x01, 0x02, 0x00, 0x03, 9, 9, 9];
        let r = &decode(&d).unwrap()[0];
        assert_eq!(
            (r.epoch, r.sequence, r.length, r.version),
            (3, 0x0102, 3, None)
        );
        // No length: the record fills the datagram.
        let d = [0b0010_0001, 0x07, 1, 2, 3, 4];
        let r = &decode(&d).unwrap()[0];
        assert_eq!((r.epoch, r.sequence, r.length), (1, 7, 4));
        assert_eq!(
            decode(&[0b0011_0000, 0]).unwrap_err(),
            DtlsHeaderError::ConnectionId
        );
    }

    #[test]
    fn truncated_and_lying() {
        let d = record(23, 1, 5, &[0; 10]);
        for cut in 1..13 {
            assert_eq!(
                decode(&d[..cut]).unwrap_err(),
                DtlsHeaderError::TruncatedHeader
            );
        }
        for cut in 13..d.len() {
            assert_eq!(
                decode(&d[..cut]).unwrap_err(),
                DtlsHeaderError::TruncatedRecord
            );
        }
        assert_eq!(
            decode(&[27, 0]).unwrap_err(),
            DtlsHeaderError::UnknownContentType
        );
        assert_eq!(
            decode(&[31; 20]).unwrap_err(),
            DtlsHeaderError::UnknownContentType
        );
    }
}
