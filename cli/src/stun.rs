//! STUN message header (RFC 8489 §5) and the list of attribute types.
//! Attribute values are not decoded here (full STUN decoding comes with the
//! `stun` layer of the core).

use std::fmt;

use serde::Serialize;

const MAGIC_COOKIE: u32 = 0x2112_a442;

/// The header of a STUN message and the types of its attributes.
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
}

/// Why a payload in the STUN range is not a STUN message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum StunHeaderError {
    /// Shorter than the 20-byte header.
    #[error("shorter than the 20-byte STUN header")]
    Truncated,
    /// The magic cookie is not 0x2112A442.
    #[error("wrong magic cookie")]
    BadCookie,
    /// The length field is not a multiple of 4 or disagrees with the datagram.
    #[error("message length does not match the datagram")]
    BadLength,
    /// An attribute runs past the end of the message.
    #[error("attribute runs past the end of the message")]
    BadAttribute,
}

/// Decodes the header and attribute list of a STUN message.
pub fn decode(msg: &[u8]) -> Result<StunHeader, StunHeaderError> {
    let header = msg.get(..20).ok_or(StunHeaderError::Truncated)?;
    let word = |at: usize| -> u32 {
        header
            .get(at..at + 4)
            .and_then(|b| b.try_into().ok())
            .map(u32::from_be_bytes)
            .unwrap_or_default()
    };
    let first = word(0);
    let message_type = (first >> 16) as u16;
    let length = (first & 0xffff) as u16;
    if word(4) != MAGIC_COOKIE {
        return Err(StunHeaderError::BadCookie);
    }
    if !length.is_multiple_of(4) || usize::from(length) + 20 != msg.len() {
        return Err(StunHeaderError::BadLength);
    }
    let class = match ((message_type >> 7) & 0b10) | ((message_type >> 4) & 0b01) {
        0 => "request",
        1 => "indication",
        2 => "success_response",
        _ => "error_response",
    };
    let method =
        (message_type & 0x000f) | ((message_type & 0x00e0) >> 1) | ((message_type & 0x3e00) >> 2);
    let transaction_id =
        header
            .get(8..20)
            .unwrap_or_default()
            .iter()
            .fold(String::with_capacity(24), |mut s, b| {
                use fmt::Write as _;
                let _ = write!(s, "{b:02x}");
                s
            });
    let mut attributes = Vec::new();
    let mut rest = msg.get(20..).unwrap_or_default();
    while !rest.is_empty() {
        let tlv = rest.get(..4).ok_or(StunHeaderError::BadAttribute)?;
        let kind = u16::from_be_bytes([tlv[0], tlv[1]]);
        let len = usize::from(u16::from_be_bytes([tlv[2], tlv[3]]));
        let padded = (len + 3) & !3;
        rest = rest
            .get(4 + padded..)
            .ok_or(StunHeaderError::BadAttribute)?;
        attributes.push(match attribute_name(kind) {
            Some(name) => name.to_string(),
            None => format!("{kind:#06x}"),
        });
    }
    Ok(StunHeader {
        class,
        method,
        method_name: method_name(method),
        length,
        transaction_id,
        attributes,
    })
}

fn method_name(method: u16) -> Option<&'static str> {
    Some(match method {
        0x001 => "Binding",
        0x003 => "Allocate",
        0x004 => "Refresh",
        0x006 => "Send",
        0x007 => "Data",
        0x008 => "CreatePermission",
        0x009 => "ChannelBind",
        0x00a => "Connect",
        0x00b => "ConnectionBind",
        0x00c => "ConnectionAttempt",
        _ => return None,
    })
}

fn attribute_name(kind: u16) -> Option<&'static str> {
    Some(match kind {
        0x0001 => "MAPPED-ADDRESS",
        0x0006 => "USERNAME",
        0x0008 => "MESSAGE-INTEGRITY",
        0x0009 => "ERROR-CODE",
        0x000a => "UNKNOWN-ATTRIBUTES",
        0x000c => "CHANNEL-NUMBER",
        0x000d => "LIFETIME",
        0x0012 => "XOR-PEER-ADDRESS",
        0x0013 => "DATA",
        0x0014 => "REALM",
        0x0015 => "NONCE",
        0x0016 => "XOR-RELAYED-ADDRESS",
        0x0019 => "REQUESTED-TRANSPORT",
        0x001c => "MESSAGE-INTEGRITY-SHA256",
        0x001d => "PASSWORD-ALGORITHM",
        0x001e => "USERHASH",
        0x0020 => "XOR-MAPPED-ADDRESS",
        0x0024 => "PRIORITY",
        0x0025 => "USE-CANDIDATE",
        0x8002 => "PASSWORD-ALGORITHMS",
        0x8003 => "ALTERNATE-DOMAIN",
        0x8022 => "SOFTWARE",
        0x8023 => "ALTERNATE-SERVER",
        0x8028 => "FINGERPRINT",
        0x8029 => "ICE-CONTROLLED",
        0x802a => "ICE-CONTROLLING",
        0xc057 => "GOOG-NETWORK-INFO",
        _ => return None,
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
        if !self.attributes.is_empty() {
            write!(f, " [{}]", self.attributes.join(" "))?;
        }
        Ok(())
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
            assert_eq!(decode(&msg[..cut]).unwrap_err(), StunHeaderError::Truncated);
        }
        for cut in 20..msg.len() {
            assert!(decode(&msg[..cut]).is_err(), "cut {cut}");
        }
        let mut bad = msg.clone();
        bad[4] ^= 1;
        assert_eq!(decode(&bad).unwrap_err(), StunHeaderError::BadCookie);
        let mut lying = msg.clone();
        lying[3] = 0x5c;
        assert_eq!(decode(&lying).unwrap_err(), StunHeaderError::BadLength);
        let mut long_attr = msg;
        long_attr[22..24].copy_from_slice(&0x0100u16.to_be_bytes());
        assert_eq!(
            decode(&long_attr).unwrap_err(),
            StunHeaderError::BadAttribute
        );
    }
}
