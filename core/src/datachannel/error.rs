//! The error type of the data channel layer.

use crate::sctp::SctpError;

/// Everything that can go wrong with data channels: malformed DCEP
/// messages, misuse of channel ids, and errors of the SCTP association
/// underneath.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DataChannelError {
    /// The SCTP association refused the operation.
    #[error(transparent)]
    Sctp(#[from] SctpError),
    /// A DCEP message shorter than its fields announce.
    #[error("DCEP message truncated")]
    Truncated,
    /// A DCEP message type other than OPEN and ACK.
    #[error("unknown DCEP message type {0:#04x}")]
    UnknownMessageType(u8),
    /// A channel type RFC 8832 does not define.
    #[error("unknown DCEP channel type {0:#04x}")]
    UnknownChannelType(u8),
    /// Label or protocol longer than 65 535 bytes.
    #[error("data channel label or protocol too long")]
    LabelTooLong,
    /// The output buffer cannot hold the message.
    #[error("buffer too small for the DCEP message")]
    BufferTooSmall,
    /// No channel with this id.
    #[error("no data channel with id {0}")]
    NoSuchChannel(u16),
    /// The id is already used by another channel.
    #[error("data channel id {0} already in use")]
    IdInUse(u16),
    /// Every stream id of our parity is taken.
    #[error("no free data channel id")]
    NoFreeId,
    /// The channel is not open (still connecting, closing or closed).
    #[error("data channel {0} is not open")]
    NotOpen(u16),
    /// A message arrived with a PPID that data channels do not use.
    #[error("unexpected payload protocol identifier {0}")]
    UnknownPpid(u32),
}
