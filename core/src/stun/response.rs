//! Answers to requests: error responses, including 420 (Unknown Attribute)
//! with UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1, §14.13), and Binding success
//! responses with XOR-MAPPED-ADDRESS (§7.3.1).

use std::net::SocketAddr;

use super::attributes::{Attribute, ErrorCode, UnknownAttributeList};
use super::error::StunError;
use super::header::{Class, MessageType};
use super::integrity::IntegrityKey;
use super::message::StunMessage;
use super::writer::MessageWriter;

/// The reason phrase this layer writes for an error code.
pub fn reason_phrase(code: u16) -> &'static str {
    match code {
        300 => "Try Alternate",
        400 => "Bad Request",
        401 => "Unauthenticated",
        420 => "Unknown Attribute",
        438 => "Stale Nonce",
        487 => "Role Conflict",
        500 => "Server Error",
        _ => "Error",
    }
}

/// Writes an error response to `request` with `code` (and its standard
/// reason phrase); adds MESSAGE-INTEGRITY with `key` when given, then
/// FINGERPRINT. Returns the length written.
pub fn write_error_response(
    out: &mut [u8],
    request: &StunMessage<'_>,
    code: u16,
    key: Option<&IntegrityKey>,
) -> Result<usize, StunError> {
    write_error_with(out, request, code, None, key)
}

fn write_error_with(
    out: &mut [u8],
    request: &StunMessage<'_>,
    code: u16,
    unknown: Option<UnknownAttributeList<'_>>,
    key: Option<&IntegrityKey>,
) -> Result<usize, StunError> {
    let msg_type = MessageType::new(request.message_type().method, Class::ErrorResponse);
    let mut w = MessageWriter::new(out, msg_type, request.transaction_id())?;
    w.add(&Attribute::ErrorCode(ErrorCode {
        code,
        reason: reason_phrase(code),
    }))?;
    if let Some(list) = unknown {
        w.add(&Attribute::UnknownAttributes(list))?;
    }
    if let Some(key) = key {
        w.add_message_integrity(key)?;
    }
    w.add_fingerprint()?;
    Ok(w.finish())
}

/// When `request` is a request carrying comprehension-required attributes
/// this layer does not understand, writes the 420 (Unknown Attribute)
/// error response listing them in UNKNOWN-ATTRIBUTES (RFC 8489 §6.3.1) and
/// returns its length; otherwise returns `Ok(None)` and writes nothing.
///
/// Responses and indications with unknown comprehension-required
/// attributes are never answered (the caller fails the transaction or
/// drops the indication).
pub fn write_unknown_attributes_error(
    out: &mut [u8],
    request: &StunMessage<'_>,
    key: Option<&IntegrityKey>,
) -> Result<Option<usize>, StunError> {
    if request.message_type().class != Class::Request {
        return Ok(None);
    }
    let unknown = request.unknown_comprehension_required();
    if unknown.is_empty() {
        return Ok(None);
    }
    let list = UnknownAttributeList::from_types(&unknown);
    write_error_with(out, request, ErrorCode::UNKNOWN_ATTRIBUTE, Some(list), key).map(Some)
}

/// Writes the Binding success response to `request` (RFC 8489 §7.3.1,
/// RFC 8445 §7.3.1.3): XOR-MAPPED-ADDRESS = `source` (where the request
/// came from), MESSAGE-INTEGRITY with `key` when given, FINGERPRINT.
pub fn write_binding_success(
    out: &mut [u8],
    request: &StunMessage<'_>,
    source: SocketAddr,
    key: Option<&IntegrityKey>,
) -> Result<usize, StunError> {
    let mut w = MessageWriter::new(out, MessageType::BINDING_SUCCESS, request.transaction_id())?;
    w.add(&Attribute::XorMappedAddress(source))?;
    if let Some(key) = key {
        w.add_message_integrity(key)?;
    }
    w.add_fingerprint()?;
    Ok(w.finish())
}
