//! The error type of the peer connection: one variant per layer below,
//! wrapped, plus the misuses JSEP and the W3C API define.

use crate::crypto::CryptoError;
use crate::datachannel::DataChannelError;
use crate::dtls::DtlsError;
use crate::ice::{CandidateError, IceError};
use crate::rtp::RtpError;
use crate::sctp::SctpError;
use crate::srtp::SrtpError;

use super::state::RTCSignalingState;

/// Why a call on [`super::RTCPeerConnection`] failed. A call that fails
/// leaves the connection as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PeerError {
    /// The ICE layer refused (bad credentials, closed agent).
    #[error("ICE: {0}")]
    Ice(#[from] IceError),
    /// A `candidate` attribute that does not parse.
    #[error("bad ICE candidate: {0}")]
    Candidate(#[from] CandidateError),
    /// The DTLS layer failed (handshake, fingerprint mismatch, alert).
    #[error("DTLS: {0}")]
    Dtls(#[from] DtlsError),
    /// The SRTP layer refused (keys, a packet to protect).
    #[error("SRTP: {0}")]
    Srtp(#[from] SrtpError),
    /// The SCTP association refused.
    #[error("SCTP: {0}")]
    Sctp(#[from] SctpError),
    /// The data channel layer refused.
    #[error("data channel: {0}")]
    DataChannel(#[from] DataChannelError),
    /// An RTP packet given to `write_rtp` does not parse or does not fit.
    #[error("RTP: {0}")]
    Rtp(#[from] RtpError),
    /// Certificate generation or another crypto failure.
    #[error("crypto: {0}")]
    Crypto(#[from] CryptoError),
    /// A session description that does not parse (the error names the
    /// line and why).
    #[error("session description: {0}")]
    Sdp(#[from] crate::sdp::SdpError),
    /// A session description that parses but breaks a JSEP or BUNDLE rule
    /// (the text says which).
    #[error("invalid session description: {0}")]
    InvalidDescription(String),
    /// The connection was closed (W3C `InvalidStateError`).
    #[error("the peer connection is closed")]
    Closed,
    /// `operation` is not allowed in the signaling state `state` (W3C
    /// `InvalidStateError`, JSEP §5.5 and §5.6).
    #[error("{operation} is not allowed in signaling state {state:?}")]
    WrongSignalingState {
        /// What was attempted.
        operation: &'static str,
        /// The state it was attempted in.
        state: RTCSignalingState,
    },
    /// A description of the wrong type for the call (W3C `TypeError`).
    #[error("{0}")]
    BadDescriptionType(&'static str),
    /// A local description that is not the last one created (W3C
    /// `InvalidModificationError`).
    #[error("the local description was modified after it was created")]
    InvalidModification,
    /// The remote description has no `a=fingerprint` for an m-line in use
    /// (RFC 8829 §5.8, RFC 8122).
    #[error("no DTLS fingerprint in the remote description")]
    MissingFingerprint,
    /// The remote description has no ICE credentials for an m-line in use.
    #[error("no ICE ufrag/pwd in the remote description")]
    MissingIceCredentials,
    /// A mid no transceiver or m-line has.
    #[error("unknown mid {0:?}")]
    UnknownMid(String),
    /// An m-line index beyond the description.
    #[error("no m-line at index {0}")]
    UnknownMLine(u16),
    /// A candidate before any remote description (W3C `InvalidStateError`).
    #[error("no remote description to add a candidate to")]
    NoRemoteDescription,
    /// A candidate with neither `sdpMid` nor `sdpMLineIndex` (W3C `TypeError`).
    #[error("candidate has neither sdpMid nor sdpMLineIndex")]
    CandidateWithoutMid,
    /// A data channel handle this connection does not know.
    #[error("no data channel {0}")]
    NoSuchDataChannel(u32),
    /// A transceiver (sender, receiver) handle this connection does not know.
    #[error("no transceiver {0}")]
    NoSuchTransceiver(u32),
    /// The data channel is not open.
    #[error("data channel {0} is not open")]
    DataChannelNotOpen(u32),
    /// The sender has no negotiated way to send now (not negotiated, not
    /// sending, or the transport is not connected).
    #[error("sender {0} cannot send now")]
    NotSending(u32),
    /// A track of a kind the transceiver does not carry.
    #[error("track kind does not match the transceiver")]
    KindMismatch,
    /// An RTP or RTCP packet that would not fit a datagram buffer once
    /// SRTP-protected: `len` bytes (with the header extensions we add)
    /// where at most `max` fit. Nothing was sent; the packet is not
    /// truncated. `max` is 2028 bytes by default (2048-byte buffers less
    /// the SRTP trailer), more with an [`super::RTCConfiguration::mtu`]
    /// above 1984.
    #[error("RTP/RTCP packet of {len} bytes is larger than the {max} bytes that fit a datagram")]
    PacketTooLarge {
        /// The packet's length as it would be sent, before SRTP.
        len: usize,
        /// The longest packet that fits.
        max: usize,
    },
    /// A remote answer accepts the m-line `mid` outside the BUNDLE group
    /// under the `balanced` or `max-compat` bundle policy (RFC 8829
    /// §4.1.1): it would need an ICE/DTLS transport of its own, and
    /// zerortc runs one per connection. Nothing changed; roll the offer
    /// back or offer again (see [`super::RTCBundlePolicy`]).
    #[error(
        "the answer accepts m-line {mid:?} outside the BUNDLE group: a transport of its own is not supported"
    )]
    UnbundledTransport {
        /// The mid of the first such m-line.
        mid: String,
    },
    /// A configuration value out of range.
    #[error("invalid configuration: {0}")]
    InvalidConfiguration(&'static str),
}
