//! DTLS record headers in a datagram: DTLSPlaintext/DTLSCiphertext of DTLS
//! 1.0/1.2 (RFC 6347 §4.1) and the unified header of DTLS 1.3 (RFC 9147 §4).
//! Record contents are not decoded here, except the handshake message type
//! of plaintext handshake records (full DTLS comes with the `dtls` layer).

use std::fmt;

use serde::Serialize;

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
    Ok((
        DtlsRecord {
            content_type,
            content,
            version: Some(version),
            epoch,
            sequence,
            length,
            handshake,
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
        },
        header_len + length,
    ))
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
        )
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
