//! The peer connection: RTCPeerConnection (W3C webrtc-pc) over one bundled
//! transport — JSEP offer/answer (RFC 8829/9429), BUNDLE (RFC 8843),
//! demultiplexing of STUN, DTLS, SRTP and SRTCP on one 5-tuple (RFC 7983,
//! RFC 5761), DTLS-SRTP keying (RFC 5764), SCTP over DTLS (RFC 8261) and
//! data channels (RFC 8831, RFC 8832).

// The transport is joined into RTCPeerConnection in the next step.
#![allow(dead_code)]

mod buffer;
mod config;
pub mod demux;
mod error;
mod state;
mod transport;

pub use buffer::Buffer;
pub use config::{RTCBundlePolicy, RTCConfiguration, RTCIceServer, RTCRtcpMuxPolicy, SctpLimits};
pub use error::PeerError;
pub use state::{
    RTCDtlsTransportState, RTCIceConnectionState, RTCIceGatheringState, RTCPeerConnectionState,
    RTCSignalingState,
};
pub use transport::TransportStats;
