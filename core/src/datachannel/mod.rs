//! WebRTC data channels (RFC 8831) over an SCTP association, with the
//! Data Channel Establishment Protocol (RFC 8832).
//!
//! What this layer owns:
//!
//! - [`DcepMessage`]: DATA_CHANNEL_OPEN / DATA_CHANNEL_ACK, parsed in
//!   place and written into caller buffers; [`ChannelType`] for the six
//!   reliability / order combinations; the PPIDs of RFC 8831 §8.
//! - [`DataChannels`]: the channels of one association — creation with
//!   DCEP or negotiated ids, stream id parity by DTLS role (client even,
//!   server odd), label, protocol, priority, ordered / unordered, partial
//!   reliability by retransmissions or lifetime, the string / binary /
//!   empty PPIDs, `buffered_amount` with its low-threshold event, and
//!   closing by SCTP stream reset (RFC 8831 §6.7, RFC 6525).
//!
//! What it does not do: DTLS (the packets it reads and writes are the
//! DTLS application data), SDP (`a=sctp-port`, `a=max-message-size` go
//! into the [`crate::sctp::Config`]). A channel's priority sets its
//! stream's share in the association's scheduler.

mod channels;
mod dcep;
mod error;

pub use channels::{
    ChannelInfo, ChannelOptions, ChannelReliability, ChannelState, DataChannelEvent, DataChannels,
    DtlsRole,
};
pub use dcep::{
    ChannelType, DataChannelOpen, DcepMessage, MESSAGE_ACK, MESSAGE_OPEN, PPID_BINARY,
    PPID_BINARY_EMPTY, PPID_BINARY_PARTIAL, PPID_DCEP, PPID_STRING, PPID_STRING_EMPTY,
    PPID_STRING_PARTIAL,
};
pub use error::DataChannelError;
