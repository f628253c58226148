//! [`StunMessage`]: a validated, zero-copy view of one STUN message
//! (RFC 8489 §5, §6) with integrity and fingerprint checks (§14.5-14.7).

use std::net::SocketAddr;

use arrayvec::ArrayVec;

use super::attr_type::AttributeType;
use super::attributes::{Attribute, ErrorCode, UnknownAttributeList};
use super::error::StunError;
use super::header::{HEADER_LEN, MAGIC_COOKIE, MessageType, TransactionId};
use super::integrity::{IntegrityKey, fingerprint};

/// Most unknown comprehension-required attributes reported by
/// [`StunMessage::unknown_comprehension_required`] (and so listed in a 420
/// response). Further ones are not listed; the request is still rejected.
pub const MAX_UNKNOWN_ATTRIBUTES: usize = 16;

/// One attribute as it sits in the message: type, value and the padding
/// bytes after the value (up to the next 32-bit boundary).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawAttribute<'a> {
    /// The attribute type.
    pub attr_type: AttributeType,
    /// The value, padding excluded.
    pub value: &'a [u8],
    /// The padding bytes (0 to 3; their content is not meaningful).
    pub padding: &'a [u8],
    /// Byte offset of the attribute header in the message.
    pub offset: usize,
}

/// Iterator over the TLVs of a message whose structure was validated.
#[derive(Debug, Clone)]
pub struct RawAttributes<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Iterator for RawAttributes<'a> {
    type Item = RawAttribute<'a>;

    fn next(&mut self) -> Option<RawAttribute<'a>> {
        let (head, after) = self.rest.split_at_checked(4)?;
        let &[t0, t1, l0, l1] = head else {
            return None;
        };
        let len = usize::from(u16::from_be_bytes([l0, l1]));
        let padded = (len + 3) & !3;
        let (value, after_value) = after.split_at_checked(len)?;
        let (padding, rest) = after_value.split_at_checked(padded - len)?;
        let attr = RawAttribute {
            attr_type: AttributeType(u16::from_be_bytes([t0, t1])),
            value,
            padding,
            offset: self.offset,
        };
        self.rest = rest;
        self.offset += 4 + padded;
        Some(attr)
    }
}

/// Which attributes RFC 8489 lets through after the integrity attributes:
/// after MESSAGE-INTEGRITY only MESSAGE-INTEGRITY-SHA256 and FINGERPRINT,
/// after MESSAGE-INTEGRITY-SHA256 only FINGERPRINT; everything else there
/// is ignored (§14.5, §14.6).
#[derive(Debug, Clone, Copy, Default)]
struct Visibility {
    seen_sha1: bool,
    seen_sha256: bool,
}

impl Visibility {
    /// Whether `t` counts, and updates the state.
    fn admit(&mut self, t: AttributeType) -> bool {
        let visible = match t {
            AttributeType::FINGERPRINT => true,
            AttributeType::MESSAGE_INTEGRITY_SHA256 => !self.seen_sha256,
            _ => !self.seen_sha1 && !self.seen_sha256,
        };
        if visible {
            match t {
                AttributeType::MESSAGE_INTEGRITY => self.seen_sha1 = true,
                AttributeType::MESSAGE_INTEGRITY_SHA256 => self.seen_sha256 = true,
                _ => {}
            }
        }
        visible
    }
}

/// The attributes that count (see [`StunMessage::attributes`]).
#[derive(Debug, Clone)]
pub struct Attributes<'a> {
    raw: RawAttributes<'a>,
    visibility: Visibility,
    txid: TransactionId,
}

impl<'a> Iterator for Attributes<'a> {
    type Item = Attribute<'a>;

    fn next(&mut self) -> Option<Attribute<'a>> {
        loop {
            let raw = self.raw.next()?;
            if !self.visibility.admit(raw.attr_type) {
                continue;
            }
            // Values were validated by `StunMessage::parse`.
            if let Ok(attr) = Attribute::decode(raw.attr_type, raw.value, &self.txid) {
                return Some(attr);
            }
        }
    }
}

/// A validated, zero-copy view of one STUN message.
///
/// [`StunMessage::parse`] checks the header (first two bits zero, magic
/// cookie, length a multiple of 4 that matches the buffer), that every
/// attribute fits, that the values of known attributes are well formed,
/// and that nothing follows FINGERPRINT. It does not check integrity or
/// fingerprint: call [`StunMessage::verify_integrity`] and
/// [`StunMessage::verify_fingerprint`].
#[derive(Debug, Clone, Copy)]
pub struct StunMessage<'a> {
    buf: &'a [u8],
    msg_type: MessageType,
    txid: TransactionId,
    integrity_sha1: Option<usize>,
    integrity_sha256: Option<usize>,
    fingerprint: Option<usize>,
}

/// Reads the length of the STUN message that starts `buf` from its header
/// (20 + the length field), for stream transports (RFC 6544 framing).
/// Checks the first bits, the cookie and the alignment.
pub fn message_len(buf: &[u8]) -> Result<usize, StunError> {
    let header = buf
        .get(..HEADER_LEN)
        .ok_or(StunError::TooShort(buf.len()))?;
    let &[b0, b1, l0, l1, c0, c1, c2, c3, ..] = header else {
        return Err(StunError::TooShort(buf.len()));
    };
    if MessageType::from_u16(u16::from_be_bytes([b0, b1])).is_none() {
        return Err(StunError::NotStun);
    }
    let cookie = u32::from_be_bytes([c0, c1, c2, c3]);
    if cookie != MAGIC_COOKIE {
        return Err(StunError::BadMagicCookie(cookie));
    }
    let length = u16::from_be_bytes([l0, l1]);
    if !length.is_multiple_of(4) {
        return Err(StunError::UnalignedLength(length));
    }
    Ok(HEADER_LEN + usize::from(length))
}

impl<'a> StunMessage<'a> {
    /// Parses and validates one STUN message that fills `buf` exactly.
    pub fn parse(buf: &'a [u8]) -> Result<StunMessage<'a>, StunError> {
        let total = message_len(buf)?;
        if total != buf.len() {
            return Err(StunError::LengthMismatch {
                declared: total - HEADER_LEN,
                available: buf.len().saturating_sub(HEADER_LEN),
            });
        }
        let (header, body) = buf
            .split_at_checked(HEADER_LEN)
            .ok_or(StunError::TooShort(buf.len()))?;
        let &[b0, b1, ..] = header else {
            return Err(StunError::TooShort(buf.len()));
        };
        let msg_type =
            MessageType::from_u16(u16::from_be_bytes([b0, b1])).ok_or(StunError::NotStun)?;
        let txid_bytes: [u8; 12] = header
            .get(8..HEADER_LEN)
            .and_then(|s| s.try_into().ok())
            .ok_or(StunError::TooShort(buf.len()))?;
        let txid = TransactionId(txid_bytes);

        let mut msg = StunMessage {
            buf,
            msg_type,
            txid,
            integrity_sha1: None,
            integrity_sha256: None,
            fingerprint: None,
        };
        let mut visibility = Visibility::default();
        let mut rest = body;
        let mut offset = HEADER_LEN;
        while !rest.is_empty() {
            if msg.fingerprint.is_some() {
                return Err(StunError::AttributeAfterFingerprint);
            }
            let overrun = |attr_type| StunError::AttributeOverrun { attr_type, offset };
            let &[t0, t1, l0, l1, ..] = rest else {
                let attr_type = match rest {
                    [t0, t1, ..] => u16::from_be_bytes([*t0, *t1]),
                    _ => 0,
                };
                return Err(overrun(attr_type));
            };
            let attr_type = AttributeType(u16::from_be_bytes([t0, t1]));
            let len = usize::from(u16::from_be_bytes([l0, l1]));
            let padded = (len + 3) & !3;
            let value = rest.get(4..4 + len).ok_or(overrun(attr_type.0))?;
            rest = rest.get(4 + padded..).ok_or(overrun(attr_type.0))?;
            if visibility.admit(attr_type) {
                Attribute::decode(attr_type, value, &txid)?;
                match attr_type {
                    AttributeType::MESSAGE_INTEGRITY => msg.integrity_sha1 = Some(offset),
                    AttributeType::MESSAGE_INTEGRITY_SHA256 => msg.integrity_sha256 = Some(offset),
                    AttributeType::FINGERPRINT => msg.fingerprint = Some(offset),
                    _ => {}
                }
            }
            offset += 4 + padded;
        }
        Ok(msg)
    }

    /// The whole message.
    pub fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// The message type (method and class).
    pub fn message_type(&self) -> MessageType {
        self.msg_type
    }

    /// The transaction id.
    pub fn transaction_id(&self) -> TransactionId {
        self.txid
    }

    /// The length field: bytes of attributes after the header.
    pub fn length(&self) -> usize {
        self.buf.len() - HEADER_LEN.min(self.buf.len())
    }

    /// Every TLV in order, including those ignored after the integrity
    /// attributes, with their padding.
    pub fn raw_attributes(&self) -> RawAttributes<'a> {
        RawAttributes {
            rest: self.buf.get(HEADER_LEN..).unwrap_or_default(),
            offset: HEADER_LEN,
        }
    }

    /// The attributes that count, decoded, in order. Attributes after
    /// MESSAGE-INTEGRITY other than MESSAGE-INTEGRITY-SHA256 and
    /// FINGERPRINT (and after MESSAGE-INTEGRITY-SHA256 other than
    /// FINGERPRINT) are ignored, as RFC 8489 §14.5-14.6 require.
    pub fn attributes(&self) -> Attributes<'a> {
        Attributes {
            raw: self.raw_attributes(),
            visibility: Visibility::default(),
            txid: self.txid,
        }
    }

    /// The first attribute of type `attr_type` that counts.
    pub fn attribute(&self, attr_type: AttributeType) -> Option<Attribute<'a>> {
        self.attributes().find(|a| a.attr_type() == attr_type)
    }

    /// USERNAME.
    pub fn username(&self) -> Option<&'a str> {
        match self.attribute(AttributeType::USERNAME)? {
            Attribute::Username(s) => Some(s),
            _ => None,
        }
    }

    /// XOR-MAPPED-ADDRESS, decoded.
    pub fn xor_mapped_address(&self) -> Option<SocketAddr> {
        match self.attribute(AttributeType::XOR_MAPPED_ADDRESS)? {
            Attribute::XorMappedAddress(a) => Some(a),
            _ => None,
        }
    }

    /// MAPPED-ADDRESS.
    pub fn mapped_address(&self) -> Option<SocketAddr> {
        match self.attribute(AttributeType::MAPPED_ADDRESS)? {
            Attribute::MappedAddress(a) => Some(a),
            _ => None,
        }
    }

    /// PRIORITY.
    pub fn priority(&self) -> Option<u32> {
        match self.attribute(AttributeType::PRIORITY)? {
            Attribute::Priority(p) => Some(p),
            _ => None,
        }
    }

    /// Whether USE-CANDIDATE is present.
    pub fn use_candidate(&self) -> bool {
        self.attribute(AttributeType::USE_CANDIDATE).is_some()
    }

    /// ICE-CONTROLLING tie-breaker.
    pub fn ice_controlling(&self) -> Option<u64> {
        match self.attribute(AttributeType::ICE_CONTROLLING)? {
            Attribute::IceControlling(t) => Some(t),
            _ => None,
        }
    }

    /// ICE-CONTROLLED tie-breaker.
    pub fn ice_controlled(&self) -> Option<u64> {
        match self.attribute(AttributeType::ICE_CONTROLLED)? {
            Attribute::IceControlled(t) => Some(t),
            _ => None,
        }
    }

    /// ERROR-CODE.
    pub fn error_code(&self) -> Option<ErrorCode<'a>> {
        match self.attribute(AttributeType::ERROR_CODE)? {
            Attribute::ErrorCode(e) => Some(e),
            _ => None,
        }
    }

    /// UNKNOWN-ATTRIBUTES (in a 420 response).
    pub fn unknown_attributes(&self) -> Option<UnknownAttributeList<'a>> {
        match self.attribute(AttributeType::UNKNOWN_ATTRIBUTES)? {
            Attribute::UnknownAttributes(list) => Some(list),
            _ => None,
        }
    }

    /// The comprehension-required attributes (type < 0x8000) that this
    /// layer does not understand, in order, without repeats, at most
    /// [`MAX_UNKNOWN_ATTRIBUTES`]. A request with any must be answered
    /// with 420 (see [`super::write_unknown_attributes_error`]); a
    /// response with any fails its transaction; an indication with any is
    /// discarded (RFC 8489 §6.3).
    pub fn unknown_comprehension_required(
        &self,
    ) -> ArrayVec<AttributeType, MAX_UNKNOWN_ATTRIBUTES> {
        let mut unknown = ArrayVec::new();
        let mut visibility = Visibility::default();
        for raw in self.raw_attributes() {
            let t = raw.attr_type;
            if visibility.admit(t)
                && t.is_comprehension_required()
                && !t.is_understood()
                && !unknown.contains(&t)
                && unknown.try_push(t).is_err()
            {
                break;
            }
        }
        unknown
    }

    /// Whether the message carries MESSAGE-INTEGRITY (HMAC-SHA1).
    pub fn has_integrity(&self) -> bool {
        self.integrity_sha1.is_some()
    }

    /// Whether the message carries MESSAGE-INTEGRITY-SHA256.
    pub fn has_integrity_sha256(&self) -> bool {
        self.integrity_sha256.is_some()
    }

    /// Whether the message carries FINGERPRINT.
    pub fn has_fingerprint(&self) -> bool {
        self.fingerprint.is_some()
    }

    /// The header with its length field set to cover everything up to
    /// `end` (RFC 8489 §14.5: as if the attribute ending there were last).
    fn adjusted_header(&self, end: usize) -> [u8; 4] {
        let length = (end.saturating_sub(HEADER_LEN)) as u16;
        let [t0, t1] = self.msg_type.to_u16().to_be_bytes();
        let [l0, l1] = length.to_be_bytes();
        [t0, t1, l0, l1]
    }

    /// The value of the attribute whose header starts at `offset`.
    fn value_at(&self, offset: usize) -> Option<&'a [u8]> {
        let head = self.buf.get(offset..offset + 4)?;
        let len = usize::from(u16::from_be_bytes([*head.get(2)?, *head.get(3)?]));
        self.buf.get(offset + 4..offset + 4 + len)
    }

    /// Verifies MESSAGE-INTEGRITY (HMAC-SHA1, RFC 8489 §14.5) with `key`:
    /// the HMAC covers the header, with the length field adjusted to end
    /// at the MESSAGE-INTEGRITY attribute, and every attribute before it.
    pub fn verify_integrity(&self, key: &IntegrityKey) -> Result<(), StunError> {
        let at = self.integrity_sha1.ok_or(StunError::NoIntegrity)?;
        let tag = self.value_at(at).ok_or(StunError::NoIntegrity)?;
        let head = self.adjusted_header(at + 4 + 20);
        let rest = self.buf.get(4..at).ok_or(StunError::NoIntegrity)?;
        key.verify_sha1(&[&head, rest], tag)
    }

    /// Verifies MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6), truncated or
    /// not, with `key`.
    pub fn verify_integrity_sha256(&self, key: &IntegrityKey) -> Result<(), StunError> {
        let at = self.integrity_sha256.ok_or(StunError::NoIntegrity)?;
        let tag = self.value_at(at).ok_or(StunError::NoIntegrity)?;
        let head = self.adjusted_header(at + 4 + tag.len());
        let rest = self.buf.get(4..at).ok_or(StunError::NoIntegrity)?;
        key.verify_sha256(&[&head, rest], tag)
    }

    /// Verifies the strongest integrity attribute present:
    /// MESSAGE-INTEGRITY-SHA256 when there is one, else MESSAGE-INTEGRITY.
    pub fn verify(&self, key: &IntegrityKey) -> Result<(), StunError> {
        if self.integrity_sha256.is_some() {
            self.verify_integrity_sha256(key)
        } else {
            self.verify_integrity(key)
        }
    }

    /// Verifies FINGERPRINT (RFC 8489 §14.7): CRC-32 of everything before
    /// it, XORed with 0x5354554E. FINGERPRINT is always last, so the
    /// length field needs no adjustment.
    pub fn verify_fingerprint(&self) -> Result<(), StunError> {
        let at = self.fingerprint.ok_or(StunError::NoFingerprint)?;
        let value = self.value_at(at).ok_or(StunError::NoFingerprint)?;
        let found = u32::from_be_bytes(value.try_into().map_err(|_| StunError::NoFingerprint)?);
        let covered = self.buf.get(..at).ok_or(StunError::NoFingerprint)?;
        let computed = fingerprint(&[covered]);
        if found == computed {
            Ok(())
        } else {
            Err(StunError::FingerprintMismatch { found, computed })
        }
    }
}
