//! STUN messages (RFC 8489), with the ICE attributes (RFC 8445 §16.1) and
//! the TURN attributes (RFC 8656 §18) the agent and the TURN client need;
//! checked against the RFC 5769 test vectors.
//!
//! What this layer owns:
//!
//! - [`StunMessage`]: a validated, zero-copy view of one message: header
//!   ([`MessageType`] = [`Method`] + [`Class`], [`TransactionId`]), its
//!   attributes decoded on demand ([`Attribute`]) or raw
//!   ([`RawAttribute`], padding included), the unknown
//!   comprehension-required types (for 420), and the checks of
//!   MESSAGE-INTEGRITY (HMAC-SHA1), MESSAGE-INTEGRITY-SHA256 and
//!   FINGERPRINT with the length-field adjustment of RFC 8489 §14.5-14.7.
//! - [`MessageWriter`]: builds a message in a caller buffer and computes
//!   the integrity and fingerprint attributes in place.
//! - Responses: [`write_binding_success`], [`write_error_response`],
//!   [`write_unknown_attributes_error`] (420 with UNKNOWN-ATTRIBUTES).
//! - Keys: [`IntegrityKey`] prepared once per credential (short-term =
//!   password; long-term via [`long_term_key_md5`] /
//!   [`long_term_key_sha256`]); tags compared in constant time.
//!
//! Decoded attributes: MAPPED-ADDRESS, XOR-MAPPED-ADDRESS (IPv4, IPv6),
//! USERNAME, MESSAGE-INTEGRITY, MESSAGE-INTEGRITY-SHA256, FINGERPRINT,
//! ERROR-CODE, UNKNOWN-ATTRIBUTES, SOFTWARE, REALM, NONCE, PRIORITY,
//! USE-CANDIDATE, ICE-CONTROLLED, ICE-CONTROLLING, LIFETIME,
//! XOR-PEER-ADDRESS, XOR-RELAYED-ADDRESS, DATA, REQUESTED-TRANSPORT,
//! CHANNEL-NUMBER. Any other type is kept raw ([`Attribute::Other`]);
//! unknown comprehension-optional ones (Chromium's GOOG-NETWORK-INFO,
//! 0xC057) are simply skipped by the ICE agent.
//!
//! What it does not do: transactions and retransmissions (the ICE agent
//! and the TURN client own them), SASLprep / OpaqueString preparation of
//! passwords (callers pass prepared strings; ICE passwords are ASCII),
//! PASSWORD-ALGORITHMS negotiation, USERHASH, ALTERNATE-SERVER, TURN
//! ChannelData framing.
//!
//! Nothing here allocates: views borrow the buffer, the writer fills a
//! `&mut [u8]`, lists are bounded (`ArrayVec`). Malformed input gives a
//! [`StunError`], never a panic.

mod attr_type;
mod attributes;
mod error;
mod header;
mod integrity;
mod message;
mod response;
mod writer;

pub use attr_type::AttributeType;
pub use attributes::{Attribute, ErrorCode, MAX_TEXT_LEN, MAX_USERNAME_LEN, UnknownAttributeList};
pub use error::StunError;
pub use header::{
    Class, HEADER_LEN, MAGIC_COOKIE, MessageType, Method, TransactionId, looks_like_stun,
};
pub use integrity::{
    FINGERPRINT_XOR, IntegrityKey, fingerprint, long_term_key_md5, long_term_key_sha256,
};
pub use message::{
    Attributes, MAX_UNKNOWN_ATTRIBUTES, RawAttribute, RawAttributes, StunMessage, message_len,
};
pub use response::{
    reason_phrase, write_binding_success, write_error_response, write_unknown_attributes_error,
};
pub use writer::MessageWriter;
