//! What goes in and out of a peer connection: datagrams
//! ([`TaggedPacket`], [`Transmit`]) and events ([`PeerEvent`]).

use std::net::SocketAddr;

use crate::datachannel::DataChannelError;

use super::PeerError;
use super::buffer::Buffer;
use super::datachannel::DataChannelId;
use super::media::{MediaStreamTrack, RtpStreamId, TransceiverId};
use super::state::{
    RTCDtlsTransportState, RTCIceConnectionState, RTCIceGatheringState, RTCPeerConnectionState,
    RTCSignalingState,
};

/// The transport protocol a datagram came or goes over. Only UDP for now
/// (ICE-TCP framing is not implemented).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Protocol {
    /// UDP.
    #[default]
    Udp,
}

/// A received datagram with its addresses.
#[derive(Debug, Clone, Copy)]
pub struct TaggedPacket<'a> {
    /// The local socket address it arrived on (one of the addresses given
    /// to [`super::RTCPeerConnection::add_local_address`]).
    pub local: SocketAddr,
    /// The address it came from.
    pub peer: SocketAddr,
    /// The transport protocol.
    pub protocol: Protocol,
    /// The datagram.
    pub data: &'a [u8],
}

/// A datagram to send, from [`super::RTCPeerConnection::poll_write`]. The
/// bytes borrow the connection's buffer until the next `poll_write`.
#[derive(Debug, Clone, Copy)]
pub struct Transmit<'a> {
    /// Send from this local address.
    pub local: SocketAddr,
    /// To this address.
    pub peer: SocketAddr,
    /// Over this protocol.
    pub protocol: Protocol,
    /// The datagram.
    pub data: &'a [u8],
}

/// An ICE candidate to signal (W3C `RTCIceCandidateInit`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RTCIceCandidateInit {
    /// `candidate:...` (the attribute value without `a=`); empty for
    /// end-of-candidates.
    pub candidate: String,
    /// The mid of the m-line it belongs to.
    pub sdp_mid: Option<String>,
    /// The index of that m-line.
    pub sdp_m_line_index: Option<u16>,
    /// The ICE ufrag it belongs to (tells an old generation from a new one
    /// after an ICE restart).
    pub username_fragment: Option<String>,
}

/// Something that happened, from [`super::RTCPeerConnection::poll_event`].
/// New variants may come: matches need a wildcard arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PeerEvent {
    /// A new offer/answer exchange is needed (W3C `negotiationneeded`).
    NegotiationNeeded,
    /// The signaling state changed.
    SignalingStateChange(RTCSignalingState),
    /// A local candidate to send to the peer; `None` once gathering is
    /// complete (W3C `icecandidate` with a null candidate).
    IceCandidate(Option<RTCIceCandidateInit>),
    /// The ICE gathering state changed.
    IceGatheringStateChange(RTCIceGatheringState),
    /// The ICE connection state changed.
    IceConnectionStateChange(RTCIceConnectionState),
    /// The DTLS transport state changed.
    DtlsStateChange(RTCDtlsTransportState),
    /// The connection state changed.
    ConnectionStateChange(RTCPeerConnectionState),
    /// The candidate pair carrying everything changed.
    SelectedCandidatePairChange {
        /// Local address.
        local: SocketAddr,
        /// Remote address.
        remote: SocketAddr,
    },
    /// Why the transport failed (a DTLS fingerprint mismatch, an alert, a
    /// handshake timeout): comes with the `Failed` states.
    TransportError(PeerError),
    /// The peer opened a data channel (W3C `datachannel`); `Open` follows.
    DataChannel(DataChannelId),
    /// A data channel opened.
    DataChannelOpen(DataChannelId),
    /// A data channel message. Give `data` back with
    /// [`super::RTCPeerConnection::recycle`] to reuse its buffer.
    DataChannelMessage {
        /// The channel.
        channel: DataChannelId,
        /// Binary, or a UTF-8 string.
        binary: bool,
        /// The message.
        data: Buffer,
    },
    /// A channel's buffered amount fell to its low threshold.
    DataChannelBufferedAmountLow(DataChannelId),
    /// A data channel closed.
    DataChannelClose(DataChannelId),
    /// A data channel error (a bad DCEP message, an id clash).
    DataChannelError {
        /// The channel, when known.
        channel: Option<DataChannelId>,
        /// What went wrong.
        error: DataChannelError,
    },
    /// A remote track arrived with a remote description (W3C `track`).
    Track {
        /// The transceiver whose receiver carries it.
        transceiver: TransceiverId,
        /// The track as the peer described it (`a=msid`).
        track: MediaStreamTrack,
    },
    /// The peer stopped sending a track (W3C webrtc-pc §4.4.1.6, "process
    /// the removal of a remote track": the track's `mute` and a
    /// `removetrack` on each of its streams, `track.stream_ids`). Fires
    /// when a remote description no longer sends on the m-line, when the
    /// m-line is rejected, and when a rollback undoes the remote offer
    /// that added the track (RFC 8829 §4.1.8.2).
    RemoveTrack {
        /// The transceiver whose receiver carried it.
        transceiver: TransceiverId,
        /// The track, as the `Track` event gave it.
        track: MediaStreamTrack,
        /// The track ended for good (W3C `ended`): its transceiver was
        /// stopped, or removed by the rollback of the offer that created
        /// it (and is gone from `get_transceivers`).
        ended: bool,
    },
    /// A decrypted RTP packet for a transceiver's receiver. Give `packet`
    /// back with [`super::RTCPeerConnection::recycle`].
    Rtp {
        /// The transceiver it was routed to (by mid, rid or SSRC).
        transceiver: TransceiverId,
        /// The simulcast layer (RFC 8853) it belongs to, for a receiver
        /// that negotiated layers: from its `rtp-stream-id` (or, RTX, its
        /// `repaired-rtp-stream-id`) header extension, or the layer its
        /// SSRC was latched to by an earlier packet that had one (RFC
        /// 8852). `None` for a single stream.
        rid: Option<RtpStreamId>,
        /// The RTP packet (parse it with [`crate::rtp::RtpPacket::parse`]).
        packet: Buffer,
    },
    /// A decrypted RTCP compound packet. Give `packet` back with
    /// [`super::RTCPeerConnection::recycle`].
    Rtcp {
        /// The RTCP compound packet (see [`crate::rtcp`]).
        packet: Buffer,
    },
}
