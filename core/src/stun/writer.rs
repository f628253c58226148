//! [`MessageWriter`]: builds a STUN message in a caller-provided buffer
//! (RFC 8489 §5, §14), computing MESSAGE-INTEGRITY, -SHA256 and
//! FINGERPRINT in place.

use super::attr_type::AttributeType;
use super::attributes::Attribute;
use super::error::StunError;
use super::header::{HEADER_LEN, MAGIC_COOKIE, MessageType, TransactionId};
use super::integrity::{IntegrityKey, fingerprint};

/// What may still be added (RFC 8489 §14.5-14.7 ordering).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    /// Any attribute.
    Open,
    /// After MESSAGE-INTEGRITY: -SHA256 or FINGERPRINT.
    AfterSha1,
    /// After MESSAGE-INTEGRITY-SHA256: FINGERPRINT.
    AfterSha256,
    /// After FINGERPRINT: nothing.
    Closed,
}

/// Writes one STUN message into `&mut [u8]`, attribute by attribute; the
/// length field is kept up to date after each one. Nothing allocates.
///
/// ```
/// use zerortc::stun::{Attribute, IntegrityKey, MessageType, MessageWriter,
///                     StunMessage, TransactionId};
///
/// let key = IntegrityKey::short_term("pass")?;
/// let mut buf = [0u8; 256];
/// let mut w = MessageWriter::new(&mut buf, MessageType::BINDING_REQUEST,
///                                TransactionId([7; 12]))?;
/// w.add(&Attribute::Username("remote:local"))?;
/// w.add(&Attribute::Priority(0x6e0001ff))?;
/// w.add_message_integrity(&key)?;
/// w.add_fingerprint()?;
/// let len = w.finish();
///
/// let msg = StunMessage::parse(&buf[..len])?;
/// assert_eq!(msg.username(), Some("remote:local"));
/// msg.verify_integrity(&key)?;
/// msg.verify_fingerprint()?;
/// # Ok::<(), zerortc::stun::StunError>(())
/// ```
#[derive(Debug)]
pub struct MessageWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
    txid: TransactionId,
    padding_byte: u8,
    stage: Stage,
}

impl<'b> MessageWriter<'b> {
    /// Starts a message: writes the header with a zero length.
    pub fn new(
        buf: &'b mut [u8],
        msg_type: MessageType,
        txid: TransactionId,
    ) -> Result<MessageWriter<'b>, StunError> {
        let available = buf.len();
        let header = buf.get_mut(..HEADER_LEN).ok_or(StunError::BufferTooSmall {
            needed: HEADER_LEN,
            available,
        })?;
        let (type_len, rest) = header.split_at_mut(4);
        let [t0, t1] = msg_type.to_u16().to_be_bytes();
        type_len.copy_from_slice(&[t0, t1, 0, 0]);
        let (cookie, id) = rest.split_at_mut(4);
        cookie.copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
        id.copy_from_slice(&txid.0);
        Ok(MessageWriter {
            buf,
            len: HEADER_LEN,
            txid,
            padding_byte: 0,
            stage: Stage::Open,
        })
    }

    /// Sets the byte used to pad values to 32 bits (0 by default; RFC 5769
    /// uses spaces in some vectors). Padding content is not meaningful.
    pub fn set_padding_byte(&mut self, byte: u8) {
        self.padding_byte = byte;
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether only the header has been written.
    pub fn is_empty(&self) -> bool {
        self.len == HEADER_LEN
    }

    /// The transaction id of the message being written.
    pub fn transaction_id(&self) -> TransactionId {
        self.txid
    }

    fn set_length_field(&mut self, total: usize) {
        let length = (total - HEADER_LEN) as u16;
        if let Some(field) = self.buf.get_mut(2..4) {
            field.copy_from_slice(&length.to_be_bytes());
        }
    }

    /// Reserves room for an attribute with a value of `value_len` bytes:
    /// writes its header and padding, returns the value range.
    fn reserve(
        &mut self,
        attr_type: AttributeType,
        value_len: usize,
    ) -> Result<(usize, usize), StunError> {
        let len16 = u16::try_from(value_len).map_err(|_| StunError::ValueTooLong(attr_type.0))?;
        let padded = (value_len + 3) & !3;
        let end = self.len + 4 + padded;
        if end - HEADER_LEN > usize::from(u16::MAX) {
            return Err(StunError::ValueTooLong(attr_type.0));
        }
        let available = self.buf.len();
        let slot = self
            .buf
            .get_mut(self.len..end)
            .ok_or(StunError::BufferTooSmall {
                needed: end,
                available,
            })?;
        let (head, body) = slot.split_at_mut(4);
        let [t0, t1] = attr_type.0.to_be_bytes();
        let [l0, l1] = len16.to_be_bytes();
        head.copy_from_slice(&[t0, t1, l0, l1]);
        if let Some(pad) = body.get_mut(value_len..) {
            pad.fill(self.padding_byte);
        }
        let start = self.len + 4;
        self.len = end;
        self.set_length_field(end);
        Ok((start, start + value_len))
    }

    fn check_stage(&self, attr_type: AttributeType) -> Result<(), StunError> {
        let allowed = match self.stage {
            Stage::Open => true,
            Stage::AfterSha1 => matches!(
                attr_type,
                AttributeType::MESSAGE_INTEGRITY_SHA256 | AttributeType::FINGERPRINT
            ),
            Stage::AfterSha256 => attr_type == AttributeType::FINGERPRINT,
            Stage::Closed => false,
        };
        if allowed {
            Ok(())
        } else {
            Err(StunError::AttributeAfterIntegrity(attr_type.0))
        }
    }

    /// Appends an attribute as given. MESSAGE-INTEGRITY, -SHA256 and
    /// FINGERPRINT given this way are written verbatim (for tests of bad
    /// input); use the `add_message_integrity*` and `add_fingerprint`
    /// methods to compute them.
    pub fn add(&mut self, attr: &Attribute<'_>) -> Result<(), StunError> {
        let attr_type = attr.attr_type();
        self.check_stage(attr_type)?;
        let before = self.len;
        let (start, end) = self.reserve(attr_type, attr.value_len())?;
        let txid = self.txid;
        let result = match self.buf.get_mut(start..end) {
            Some(value) => attr.encode_value(value, &txid),
            None => Err(StunError::ValueTooLong(attr_type.0)),
        };
        if let Err(e) = result {
            self.len = before;
            self.set_length_field(before);
            return Err(e);
        }
        self.advance_stage(attr_type);
        Ok(())
    }

    fn advance_stage(&mut self, attr_type: AttributeType) {
        self.stage = match attr_type {
            AttributeType::MESSAGE_INTEGRITY => Stage::AfterSha1,
            AttributeType::MESSAGE_INTEGRITY_SHA256 => Stage::AfterSha256,
            AttributeType::FINGERPRINT => Stage::Closed,
            _ => self.stage,
        };
    }

    /// Appends MESSAGE-INTEGRITY (HMAC-SHA1 with `key`) over the message so
    /// far, with the length field counting the attribute (RFC 8489 §14.5).
    pub fn add_message_integrity(&mut self, key: &IntegrityKey) -> Result<(), StunError> {
        let t = AttributeType::MESSAGE_INTEGRITY;
        self.check_stage(t)?;
        let (start, end) = self.reserve(t, 20)?;
        let covered = self.buf.get(..start - 4).unwrap_or_default();
        let tag = key.sha1(&[covered]);
        if let Some(value) = self.buf.get_mut(start..end) {
            value.copy_from_slice(&tag);
        }
        self.advance_stage(t);
        Ok(())
    }

    /// Appends MESSAGE-INTEGRITY-SHA256 (full 32-byte HMAC-SHA256 with
    /// `key`, RFC 8489 §14.6).
    pub fn add_message_integrity_sha256(&mut self, key: &IntegrityKey) -> Result<(), StunError> {
        let t = AttributeType::MESSAGE_INTEGRITY_SHA256;
        self.check_stage(t)?;
        let (start, end) = self.reserve(t, 32)?;
        let covered = self.buf.get(..start - 4).unwrap_or_default();
        let tag = key.sha256(&[covered]);
        if let Some(value) = self.buf.get_mut(start..end) {
            value.copy_from_slice(&tag);
        }
        self.advance_stage(t);
        Ok(())
    }

    /// Appends FINGERPRINT (RFC 8489 §14.7); nothing can follow it.
    pub fn add_fingerprint(&mut self) -> Result<(), StunError> {
        let t = AttributeType::FINGERPRINT;
        self.check_stage(t)?;
        let (start, end) = self.reserve(t, 4)?;
        let covered = self.buf.get(..start - 4).unwrap_or_default();
        let crc = fingerprint(&[covered]);
        if let Some(value) = self.buf.get_mut(start..end) {
            value.copy_from_slice(&crc.to_be_bytes());
        }
        self.advance_stage(t);
        Ok(())
    }

    /// Ends the message; returns its length in bytes.
    pub fn finish(self) -> usize {
        self.len
    }
}
