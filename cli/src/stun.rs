//! STUN messages (RFC 8489) decoded with `zerortc::stun`: method, class,
//! transaction id and every attribute with its value; FINGERPRINT is
//! checked (MESSAGE-INTEGRITY needs the ICE password, which a capture
//! does not hold).

use std::fmt::{self, Write as _};

use serde::Serialize;
use zerortc::stun::{Attribute, IntegrityKey, StunError, StunMessage};

/// ICE passwords read from SDP (`a=ice-ufrag` / `a=ice-pwd`), to check
/// MESSAGE-INTEGRITY of captured STUN.
#[derive(Debug, Default, Clone)]
pub struct IceKeys {
    keys: Vec<(String, IntegrityKey)>,
}

impl IceKeys {
    /// Adds the credentials of every media section of an SDP (repeats are
    /// kept once).
    pub fn add_sdp(&mut self, sdp: &str) {
        let mut ufrag: Option<&str> = None;
        for line in sdp.lines().map(str::trim) {
            if let Some(u) = line.strip_prefix("a=ice-ufrag:") {
                ufrag = Some(u);
            } else if let (Some(pwd), Some(u)) = (line.strip_prefix("a=ice-pwd:"), ufrag)
                && !self.keys.iter().any(|(known, _)| known == u)
                && let Ok(key) = IntegrityKey::short_term(pwd)
            {
                self.keys.push((u.to_string(), key));
            }
        }
    }

    /// Whether no password is known.
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// A decoded STUN message.
#[derive(Debug, Clone, Serialize)]
pub struct StunHeader {
    /// `request`, `indication`, `success_response` or `error_response`.
    pub class: &'static str,
    /// Method number (12 bits).
    pub method: u16,
    /// Method name when known.
    pub method_name: Option<&'static str>,
    /// Message length field (bytes after the header).
    pub length: u16,
    /// Transaction id, hex.
    pub transaction_id: String,
    /// Attribute types in order, with names when known.
    pub attributes: Vec<String>,
    /// The attributes with their decoded values, in order.
    pub attribute_values: Vec<AttributeReport>,
    /// Whether FINGERPRINT matched (`None` without FINGERPRINT).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fingerprint_ok: Option<bool>,
    /// The ufrag whose password verifies MESSAGE-INTEGRITY, `"MISMATCH"`
    /// when none of the known ones does (`None` without
    /// MESSAGE-INTEGRITY or without passwords from `--sdp`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity: Option<String>,
}

/// One attribute and its value as text.
#[derive(Debug, Clone, Serialize)]
pub struct AttributeReport {
    /// The attribute type number.
    #[serde(rename = "type")]
    pub attr_type: u16,
    /// Its name, or the number in hex.
    pub name: String,
    /// The decoded value (empty for USE-CANDIDATE).
    pub value: String,
}

/// Why a payload in the STUN range is not a valid STUN message.
pub type StunHeaderError = StunError;

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(2 * bytes.len()), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn value_text(attr: &Attribute<'_>) -> String {
    match attr {
        Attribute::MappedAddress(a)
        | Attribute::XorMappedAddress(a)
        | Attribute::XorPeerAddress(a)
        | Attribute::XorRelayedAddress(a) => a.to_string(),
        Attribute::Username(s)
        | Attribute::Software(s)
        | Attribute::Realm(s)
        | Attribute::Nonce(s) => {
            format!("{s:?}")
        }
        Attribute::MessageIntegrity(tag) => hex(&tag[..]),
        Attribute::MessageIntegritySha256(tag) => hex(tag),
        Attribute::Fingerprint(crc) => format!("{crc:#010x}"),
        Attribute::ErrorCode(e) => format!("{} {:?}", e.code, e.reason),
        Attribute::UnknownAttributes(list) => list
            .iter()
            .map(|t| t.to_string())
            .collect::<Vec<_>>()
            .join(","),
        Attribute::Priority(p) | Attribute::Lifetime(p) => p.to_string(),
        Attribute::UseCandidate => String::new(),
        Attribute::IceControlled(t) | Attribute::IceControlling(t) => format!("{t:#018x}"),
        Attribute::Data(d) => format!("{} bytes", d.len()),
        Attribute::RequestedTransport(p) => match p {
            17 => "17 (UDP)".to_string(),
            6 => "6 (TCP)".to_string(),
            p => p.to_string(),
        },
        Attribute::ChannelNumber(n) => format!("{n:#06x}"),
        Attribute::Other { value, .. } => hex(value),
        _ => String::new(),
    }
}

/// Decodes a STUN message: header, attributes and values.
pub fn decode(msg: &[u8]) -> Result<StunHeader, StunHeaderError> {
    decode_with_keys(msg, &IceKeys::default())
}

/// [`decode`], and checks MESSAGE-INTEGRITY against the known passwords.
pub fn decode_with_keys(msg: &[u8], keys: &IceKeys) -> Result<StunHeader, StunHeaderError> {
    let parsed = StunMessage::parse(msg)?;
    let integrity = (parsed.has_integrity() && !keys.is_empty()).then(|| {
        keys.keys
            .iter()
            .find(|(_, key)| parsed.verify_integrity(key).is_ok())
            .map_or_else(|| "MISMATCH".to_string(), |(ufrag, _)| ufrag.clone())
    });
    let msg_type = parsed.message_type();
    let class = match msg_type.class {
        zerortc::stun::Class::Request => "request",
        zerortc::stun::Class::Indication => "indication",
        zerortc::stun::Class::SuccessResponse => "success_response",
        zerortc::stun::Class::ErrorResponse => "error_response",
    };
    let attribute_values: Vec<AttributeReport> = parsed
        .attributes()
        .map(|a| AttributeReport {
            attr_type: a.attr_type().0,
            name: a.attr_type().to_string(),
            value: value_text(&a),
        })
        .collect();
    Ok(StunHeader {
        class,
        method: msg_type.method.number(),
        method_name: msg_type.method.name(),
        length: parsed.length() as u16,
        transaction_id: parsed.transaction_id().to_string(),
        attributes: parsed
            .raw_attributes()
            .map(|a| a.attr_type.to_string())
            .collect(),
        attribute_values,
        fingerprint_ok: parsed
            .has_fingerprint()
            .then(|| parsed.verify_fingerprint().is_ok()),
        integrity,
    })
}

impl fmt::Display for StunHeader {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.method_name {
            Some(name) => write!(f, "{name} {}", self.class.replace('_', " "))?,
            None => write!(
                f,
                "method {:#05x} {}",
                self.method,
                self.class.replace('_', " ")
            )?,
        }
        write!(f, " txid={} len={}", self.transaction_id, self.length)?;
        if !self.attribute_values.is_empty() {
            let parts: Vec<String> = self
                .attribute_values
                .iter()
                .map(|a| {
                    if a.value.is_empty() {
                        a.name.clone()
                    } else {
                        format!("{}={}", a.name, a.value)
                    }
                })
                .collect();
            write!(f, " [{}]", parts.join(" "))?;
        }
        match self.integrity.as_deref() {
            Some("MISMATCH") => write!(f, " (MESSAGE-INTEGRITY MISMATCH)")?,
            Some(ufrag) => write!(f, " (integrity ok, pwd of {ufrag})")?,
            None => {}
        }
        match self.fingerprint_ok {
            Some(false) => write!(f, " (FINGERPRINT MISMATCH)"),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5769 §2.1 sample request, up to and without its attributes'
    /// values checked: type 0x0001, length 0x58, cookie, txid.
    const RFC5769_REQUEST: &str = "000100582112a442b7e7a701bc34d686fa87dfae\
        802200105354554e207465737420636c69656e74\
        00240004 6e0001ff\
        80290008932ff9b151263b36\
        000600096576746a3a68367659202020\
        000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2\
        80280004e57a3bcf";

    fn hex(s: &str) -> Vec<u8> {
        let s: String = s.chars().filter(|c| !c.is_whitespace()).collect();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    #[test]
    fn rfc5769_sample_request() {
        let msg = hex(RFC5769_REQUEST);
        let h = decode(&msg).unwrap();
        assert_eq!(h.class, "request");
        assert_eq!(h.method, 1);
        assert_eq!(h.method_name, Some("Binding"));
        assert_eq!(h.length, 0x58);
        assert_eq!(h.transaction_id, "b7e7a701bc34d686fa87dfae");
        assert_eq!(
            h.attributes,
            [
                "SOFTWARE",
                "PRIORITY",
                "ICE-CONTROLLED",
                "USERNAME",
                "MESSAGE-INTEGRITY",
                "FINGERPRINT"
            ]
        );
    }

    #[test]
    fn rfc5769_sample_request_values() {
        let h = decode(&hex(RFC5769_REQUEST)).unwrap();
        let values: Vec<(&str, &str)> = h
            .attribute_values
            .iter()
            .map(|a| (a.name.as_str(), a.value.as_str()))
            .collect();
        assert_eq!(
            values,
            [
                ("SOFTWARE", "\"STUN test client\""),
                ("PRIORITY", "1845494271"),
                ("ICE-CONTROLLED", "0x932ff9b151263b36"),
                ("USERNAME", "\"evtj:h6vY\""),
                (
                    "MESSAGE-INTEGRITY",
                    "9aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a2"
                ),
                ("FINGERPRINT", "0xe57a3bcf"),
            ]
        );
        assert_eq!(h.fingerprint_ok, Some(true));
        let text = h.to_string();
        assert!(
            text.starts_with(
                "Binding request txid=b7e7a701bc34d686fa87dfae len=88 \
                 [SOFTWARE=\"STUN test client\" PRIORITY=1845494271 "
            ),
            "{text}"
        );
        let mut broken = hex(RFC5769_REQUEST);
        let last = broken.len() - 1;
        broken[last] ^= 1;
        let h = decode(&broken).unwrap();
        assert_eq!(h.fingerprint_ok, Some(false));
        assert!(h.to_string().ends_with("(FINGERPRINT MISMATCH)"));
    }

    #[test]
    fn integrity_checked_with_sdp_passwords() {
        let msg = hex(RFC5769_REQUEST);
        let mut keys = IceKeys::default();
        keys.add_sdp("a=ice-ufrag:other\r\na=ice-pwd:not-the-password\r\n");
        let h = decode_with_keys(&msg, &keys).unwrap();
        assert_eq!(h.integrity.as_deref(), Some("MISMATCH"));
        assert!(h.to_string().contains("(MESSAGE-INTEGRITY MISMATCH)"));
        keys.add_sdp("v=0\r\na=ice-ufrag:evtj\r\na=ice-pwd:VOkJxbRl1RmTxUk/WvJxBt\r\n");
        let h = decode_with_keys(&msg, &keys).unwrap();
        assert_eq!(h.integrity.as_deref(), Some("evtj"));
        assert!(h.to_string().contains("(integrity ok, pwd of evtj)"));
        assert_eq!(decode(&msg).unwrap().integrity, None);
    }

    #[test]
    fn classes_from_type_bits() {
        let mut msg = hex(RFC5769_REQUEST);
        for (ty, class) in [
            (0x0001u16, "request"),
            (0x0011, "indication"),
            (0x0101, "success_response"),
            (0x0111, "error_response"),
        ] {
            msg[..2].copy_from_slice(&ty.to_be_bytes());
            let h = decode(&msg).unwrap();
            assert_eq!((h.class, h.method), (class, 1));
        }
        msg[..2].copy_from_slice(&0x0009u16.to_be_bytes());
        assert_eq!(decode(&msg).unwrap().method_name, Some("ChannelBind"));
    }

    #[test]
    fn bad_messages() {
        let msg = hex(RFC5769_REQUEST);
        for cut in 0..20 {
            assert_eq!(
                decode(&msg[..cut]).unwrap_err(),
                StunHeaderError::TooShort(cut)
            );
        }
        for cut in 20..msg.len() {
            assert!(decode(&msg[..cut]).is_err(), "cut {cut}");
        }
        let mut bad = msg.clone();
        bad[4] ^= 1;
        assert_eq!(
            decode(&bad).unwrap_err(),
            StunHeaderError::BadMagicCookie(0x2012_a442)
        );
        let mut lying = msg.clone();
        lying[3] = 0x5c;
        assert_eq!(
            decode(&lying).unwrap_err(),
            StunHeaderError::LengthMismatch {
                declared: 0x5c,
                available: 0x58
            }
        );
        let mut long_attr = msg;
        long_attr[22..24].copy_from_slice(&0x0100u16.to_be_bytes());
        assert_eq!(
            decode(&long_attr).unwrap_err(),
            StunHeaderError::AttributeOverrun {
                attr_type: 0x8022,
                offset: 20
            }
        );
    }
}
