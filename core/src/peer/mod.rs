//! The peer connection: [`RTCPeerConnection`] (W3C webrtc-pc) over one
//! bundled transport.
//!
//! What this layer owns:
//!
//! - One 5-tuple for everything (RFC 8843 BUNDLE, RFC 5761 rtcp-mux): incoming datagrams are demultiplexed by their first byte
//!   (RFC 7983, [`demux`]) to the ICE agent ([`crate::ice`]), the DTLS
//!   connection ([`crate::dtls`]) or the SRTP session ([`crate::srtp`]).
//! - DTLS role from `a=setup` (RFC 5763 §5: active is the client), the
//!   peer's certificate checked against `a=fingerprint` (RFC 8122; a
//!   mismatch fails the connection with a typed error), SRTP keyed from
//!   the DTLS exporter with the negotiated profile (RFC 5764 §4.2). A
//!   renegotiation that changes the peer's fingerprint starts a new DTLS
//!   association (in the roles it gives), new SRTP keys and a new SCTP
//!   association (RFC 8842 §5); otherwise the association carries on.
//! - Data channels (RFC 8831, RFC 8832) over SCTP over DTLS (RFC 8261),
//!   stream ids by DTLS role, created before or after the association.
//! - Transceivers, senders and receivers (W3C `RTCRtpTransceiver`): mids,
//!   directions, SSRCs, negotiated codecs and header extensions;
//!   [`RTCPeerConnection::write_rtp`] sends through SRTP with the mid
//!   header extension; incoming RTP is routed to receivers by mid, SSRC
//!   or payload type (RFC 8843 §9.2); RTCP goes through SRTCP. Simulcast
//!   (RFC 8853): a peer's simulcast offer is answered with the layers we
//!   receive, packets reach their layer by rid (RFC 8852) with the SSRC
//!   latched, and a sender with several `sendEncodings` offers layers.
//!   RTP/RTCP never exceeds the datagram buffers (2048 bytes, or the MTU
//!   plus record room): too large to send is [`PeerError::PacketTooLarge`],
//!   too large received is dropped and counted.
//! - The W3C state machines: signaling, ICE gathering, ICE connection,
//!   DTLS and the aggregated connection state, with events, and
//!   `negotiationneeded`.
//!
//! The sans-I/O contract: [`RTCPeerConnection::handle_read`] takes a
//! datagram with its addresses, [`RTCPeerConnection::poll_write`] gives
//! the next one to send, [`RTCPeerConnection::poll_event`] the next event,
//! [`RTCPeerConnection::poll_timeout`] / [`RTCPeerConnection::handle_timeout`]
//! run the timers; `now` is always passed in and every random choice comes
//! from [`RTCConfiguration::rng_seed`].
//!
//! Performance: every layer is called directly; queues exist only at the
//! edges (datagrams to send, events). Datagram, message and packet buffers
//! are reused ([`Buffer`], [`RTCPeerConnection::recycle`]): once
//! connected, a data channel message or an RTP packet allocates nothing
//! end to end.
//!
//! Not done yet: TURN (relay candidates), ICE-TCP, more than one
//! transport (the `balanced` and `max-compat` bundle policies are
//! accepted, but a peer that does not bundle gets one transport or a
//! typed error: see [`RTCBundlePolicy`]), simulcast sending in an answer,
//! RTCP processing (reports, NACK, TWCC: the interceptor layer; so a
//! sender always writes the mid and rid extensions), stats objects beyond
//! [`PeerStats`].

mod buffer;
mod config;
mod connection;
mod datachannel;
pub mod demux;
mod error;
mod event;
mod handles;
mod jsep;
mod media;
mod negotiation;
mod state;
mod transport;

pub use buffer::Buffer;
pub use config::{RTCBundlePolicy, RTCConfiguration, RTCIceServer, RTCRtcpMuxPolicy, SctpLimits};
pub use connection::{PeerStats, RTCPeerConnection};
pub use datachannel::{DataChannelId, RTCDataChannelInit, RTCDataChannelState};
pub use error::PeerError;
pub use event::{PeerEvent, Protocol, RTCIceCandidateInit, TaggedPacket, Transmit};
pub use handles::RTCDataChannel;
pub use jsep::{RTCOfferOptions, RTCSdpType, RTCSessionDescription};
pub use media::{
    MAX_SIMULCAST_LAYERS, MediaKind, MediaStreamTrack, RTCRtcpFeedback, RTCRtpCodecParameters,
    RTCRtpCodingParameters, RTCRtpEncodingParameters, RTCRtpHeaderExtensionParameters,
    RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver, RTCRtpTransceiverDirection,
    RTCRtpTransceiverInit, RtpStreamId, TransceiverId, default_codecs, default_header_extensions,
};
pub use state::{
    RTCDtlsTransportState, RTCIceConnectionState, RTCIceGatheringState, RTCPeerConnectionState,
    RTCSignalingState,
};
pub use transport::TransportStats;
