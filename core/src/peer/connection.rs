//! [`RTCPeerConnection`]: the sans-I/O peer connection — datagrams in and
//! out, events, timers, data channels, transceivers, and the W3C state
//! machines. Offer/answer is in `jsep.rs`, applying what it negotiated in
//! `negotiation.rs`.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::crypto::{Certificate, Fingerprint, FingerprintAlgorithm, fill_random};
use crate::ice::{IceConfig, IceCredentials, IceStats};
use crate::rtp::{RtpError, RtpPacket};
use crate::srtp::SrtpCounters;

use super::PeerError;
use super::buffer::{Buffer, Origin};
use super::config::RTCConfiguration;
use super::datachannel::{Channels, DataChannelId, RTCDataChannelInit};
use super::event::{PeerEvent, Protocol, RTCIceCandidateInit, TaggedPacket, Transmit};
use super::media::{
    MAX_SIMULCAST_LAYERS, MediaKind, MediaStreamTrack, Negotiated, RTCRtpEncodingParameters,
    RTCRtpReceiver, RTCRtpSender, RTCRtpTransceiver, RTCRtpTransceiverDirection,
    RTCRtpTransceiverInit, Router, RtpStreamId, SendLayer, Transceiver, TransceiverId,
};
use super::state::{
    RTCDtlsTransportState, RTCIceConnectionState, RTCIceGatheringState, RTCPeerConnectionState,
    RTCSignalingState, connection_state,
};
use super::transport::{Inbound, Transport, TransportConfig, TransportEvent, TransportStats};

/// Counters of a peer connection, for stats and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct PeerStats {
    /// The transport's counters (datagrams, drops by layer).
    pub transport: TransportStats,
    /// The ICE agent's counters, once ICE started.
    pub ice: Option<IceStats>,
    /// SRTP counters of what we sent, once keyed.
    pub srtp_sent: Option<SrtpCounters>,
    /// SRTP counters of what we received, once keyed.
    pub srtp_received: Option<SrtpCounters>,
    /// RTP packets no transceiver took (unknown mid, SSRC and payload type).
    pub rtp_unrouted: u64,
    /// RTP packets routed to a transceiver.
    pub rtp_received: u64,
    /// RTP packets sent.
    pub rtp_sent: u64,
}

/// A WebRTC peer connection, sans-I/O. See the [module docs](super) for
/// the protocols and the call pattern:
///
/// ```no_run
/// # use std::time::Instant;
/// # use zerortc::peer::*;
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// # let socket = std::net::UdpSocket::bind("127.0.0.1:0")?;
/// # let local = socket.local_addr()?;
/// let mut pc = RTCPeerConnection::new(RTCConfiguration::default())?;
/// pc.add_local_address(local);
/// let mut buf = [0u8; 2048];
/// loop {
///     let (n, peer) = socket.recv_from(&mut buf)?;
///     let now = Instant::now();
///     pc.handle_read(now, TaggedPacket { local, peer, protocol: Protocol::Udp, data: &buf[..n] })?;
///     while let Some(tx) = pc.poll_write() { socket.send_to(tx.data, tx.peer)?; }
///     while let Some(ev) = pc.poll_event() { /* state changes, messages, tracks */ }
///     if let Some(at) = pc.poll_timeout() { /* wake up then */ let _ = at; }
/// #   break;
/// }
/// # Ok(()) }
/// ```
#[derive(Debug)]
pub struct RTCPeerConnection {
    pub(crate) config: RTCConfiguration,
    pub(crate) rng: ChaCha20Rng,
    pub(crate) transport: Transport,
    /// The ICE credentials of our descriptions.
    pub(crate) local_ice: IceCredentials,
    /// New credentials for the next offer (W3C `restartIce`).
    pub(crate) ice_restart: bool,
    pub(crate) signaling: RTCSignalingState,
    pub(crate) gathering: RTCIceGatheringState,
    pub(crate) ice_connection: RTCIceConnectionState,
    pub(crate) dtls_state: RTCDtlsTransportState,
    pub(crate) connection: RTCPeerConnectionState,
    pub(crate) transceivers: Vec<Transceiver>,
    pub(crate) channels: Channels,
    pub(crate) router: Router,
    pub(crate) events: VecDeque<PeerEvent>,
    /// The mid of the negotiated data channel m-line.
    pub(crate) data_mid: Option<String>,
    /// The peer's `a=max-message-size` (0: not given, RFC 8841 says 64 KiB).
    pub(crate) remote_max_message_size: usize,
    /// Local candidates gathered so far (for the local description).
    pub(crate) local_candidates: Vec<crate::ice::Candidate>,
    pub(crate) local_candidates_complete: bool,
    pub(crate) negotiation_needed: bool,
    pub(crate) closed: bool,
    pub(crate) stats: PeerStats,
    pub(crate) jsep: super::jsep::JsepState,
}

impl RTCPeerConnection {
    /// A new peer connection. Generates a certificate when the
    /// configuration has none (from the RNG seed when given).
    ///
    /// # Errors
    /// [`PeerError::InvalidConfiguration`] for a bad configuration,
    /// [`PeerError::Crypto`] when certificate generation fails.
    pub fn new(config: RTCConfiguration) -> Result<Self, PeerError> {
        config.validate()?;
        let seed = match config.rng_seed {
            Some(seed) => seed,
            None => {
                let mut b = [0u8; 8];
                fill_random(&mut b)?;
                u64::from_le_bytes(b)
            }
        };
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        let certificate = match config.certificates.first() {
            Some(c) => Arc::clone(c),
            None => {
                let mut cert_seed = [0u8; 32];
                rng.fill_bytes(&mut cert_seed);
                Arc::new(Certificate::generate_self_signed_from_seed(cert_seed)?)
            }
        };
        let mut ice = IceConfig::new(rng.next_u64());
        ice.stun_servers = config.stun_servers()?;
        ice.filter = config.candidate_filter;
        let mut dtls_seed = [0u8; 32];
        rng.fill_bytes(&mut dtls_seed);
        let transport = Transport::new(TransportConfig {
            ice,
            certificate,
            mtu: config.mtu,
            dtls_seed,
            sctp_seed: rng.next_u64(),
            sctp: config.sctp,
        });
        let local_ice = IceCredentials::random(&mut rng);
        let jsep = super::jsep::JsepState::new(&mut rng);
        Ok(Self {
            config,
            rng,
            transport,
            local_ice,
            ice_restart: false,
            signaling: RTCSignalingState::Stable,
            gathering: RTCIceGatheringState::New,
            ice_connection: RTCIceConnectionState::New,
            dtls_state: RTCDtlsTransportState::New,
            connection: RTCPeerConnectionState::New,
            transceivers: Vec::new(),
            channels: Channels::default(),
            router: Router::default(),
            events: VecDeque::new(),
            data_mid: None,
            remote_max_message_size: 0,
            local_candidates: Vec::new(),
            local_candidates_complete: false,
            negotiation_needed: false,
            closed: false,
            stats: PeerStats::default(),
            jsep,
        })
    }

    /// The configuration it was created with.
    pub fn get_configuration(&self) -> &RTCConfiguration {
        &self.config
    }

    /// Our DTLS certificate's SHA-256 fingerprint (what `a=fingerprint`
    /// carries).
    pub fn fingerprint(&self) -> Fingerprint {
        self.transport
            .certificate()
            .fingerprint(FingerprintAlgorithm::Sha256)
    }

    /// Adds a local address: a UDP socket the application has bound and
    /// reads from. It becomes a host candidate (gathered at the first
    /// `set_local_description`, or at once afterwards). Filtered by
    /// [`RTCConfiguration::candidate_filter`].
    pub fn add_local_address(&mut self, addr: SocketAddr) {
        if self.closed {
            return;
        }
        self.transport.add_local_address(addr);
        self.process_transport();
    }

    // ----- states -----

    /// The signaling state.
    pub fn signaling_state(&self) -> RTCSignalingState {
        self.signaling
    }

    /// The ICE gathering state.
    pub fn ice_gathering_state(&self) -> RTCIceGatheringState {
        self.gathering
    }

    /// The ICE connection state.
    pub fn ice_connection_state(&self) -> RTCIceConnectionState {
        self.ice_connection
    }

    /// The DTLS transport state.
    pub fn dtls_state(&self) -> RTCDtlsTransportState {
        self.dtls_state
    }

    /// The connection state.
    pub fn connection_state(&self) -> RTCPeerConnectionState {
        self.connection
    }

    /// The candidate pair carrying everything: (local, remote).
    pub fn selected_candidate_pair(&self) -> Option<(SocketAddr, SocketAddr)> {
        self.transport.selected_pair()
    }

    /// Counters.
    pub fn stats(&self) -> PeerStats {
        PeerStats {
            transport: self.transport.stats(),
            ice: self.transport.ice().map(crate::ice::IceAgent::stats),
            srtp_sent: self.transport.srtp().map(|s| *s.protector.counters()),
            srtp_received: self.transport.srtp().map(|s| *s.unprotector.counters()),
            ..self.stats
        }
    }

    // ----- the sans-I/O loop -----

    /// Feeds a received datagram. Bytes that are not STUN, DTLS, SRTP or
    /// SRTCP for this connection, or that fail to verify or decrypt, are
    /// dropped and counted ([`PeerStats`]); they never change state.
    ///
    /// # Errors
    /// [`PeerError::Closed`] after [`close`](Self::close).
    pub fn handle_read(&mut self, now: Instant, packet: TaggedPacket<'_>) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        match self
            .transport
            .handle_read(now, packet.local, packet.peer, packet.data)
        {
            Inbound::None => {}
            Inbound::Rtp(buf) => self.route_rtp(buf),
            Inbound::Rtcp(buf) => self.events.push_back(PeerEvent::Rtcp {
                packet: Buffer::new(buf, Origin::Datagram),
            }),
        }
        self.process_transport();
        Ok(())
    }

    fn route_rtp(&mut self, buf: Vec<u8>) {
        match self.router.route(&buf) {
            Some(routed) => {
                let Some(t) = self.transceivers.get(routed.index) else {
                    self.transport.recycle(buf);
                    return;
                };
                self.stats.rtp_received += 1;
                self.events.push_back(PeerEvent::Rtp {
                    transceiver: t.id,
                    rid: routed.rid,
                    packet: Buffer::new(buf, Origin::Datagram),
                });
            }
            None => {
                self.stats.rtp_unrouted += 1;
                self.transport.recycle(buf);
            }
        }
    }

    /// The next datagram to send. Its bytes borrow the connection until
    /// the next call; send them before calling again.
    pub fn poll_write(&mut self) -> Option<Transmit<'_>> {
        let (local, peer, data) = self.transport.poll_transmit()?;
        Some(Transmit {
            local,
            peer,
            protocol: Protocol::Udp,
            data,
        })
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<PeerEvent> {
        loop {
            if let Some(e) = self.events.pop_front() {
                return Some(e);
            }
            let (channels, transport, events) =
                (&mut self.channels, &mut self.transport, &mut self.events);
            let sctp = transport.sctp_mut()?;
            let event = sctp.poll_event()?;
            if let Some(e) = channels.translate(event, sctp, events) {
                return Some(e);
            }
        }
    }

    /// When [`handle_timeout`](Self::handle_timeout) is due next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.transport.poll_timeout()
    }

    /// Runs the timers due at `now` (ICE checks and consent, DTLS
    /// retransmission, SCTP retransmission, delayed SACK, heartbeat).
    ///
    /// # Errors
    /// [`PeerError::Closed`] after [`close`](Self::close).
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        self.transport.handle_timeout(now);
        self.process_transport();
        Ok(())
    }

    /// Gives back a message's or packet's buffer for reuse: with it,
    /// steady-state traffic allocates nothing.
    pub fn recycle(&mut self, buffer: Buffer) {
        match buffer.origin {
            Origin::Datagram => self.transport.recycle(buffer.data),
            Origin::Sctp => self.transport.recycle_message(buffer.data),
        }
    }

    /// Closes the connection (W3C `close`): data channels closed, SCTP
    /// aborted, DTLS close_notify sent (fetch it with `poll_write`), ICE
    /// stopped, every state closed. Idempotent.
    pub fn close(&mut self) {
        if self.closed {
            return;
        }
        self.transport.close();
        self.closed = true;
        self.channels.close_all(&mut self.events);
        for t in &mut self.transceivers {
            t.stopped = true;
            t.current_direction = None;
            t.direction = RTCRtpTransceiverDirection::Stopped;
        }
        self.set_signaling(RTCSignalingState::Closed);
        self.process_transport();
        if self.ice_connection != RTCIceConnectionState::Closed {
            self.ice_connection = RTCIceConnectionState::Closed;
            self.events.push_back(PeerEvent::IceConnectionStateChange(
                RTCIceConnectionState::Closed,
            ));
        }
        self.update_connection_state();
    }

    pub(crate) fn set_signaling(&mut self, state: RTCSignalingState) {
        if self.signaling != state {
            self.signaling = state;
            self.events
                .push_back(PeerEvent::SignalingStateChange(state));
        }
    }

    fn update_connection_state(&mut self) {
        let state = connection_state(self.closed, self.ice_connection, self.dtls_state);
        if state != self.connection {
            self.connection = state;
            self.events
                .push_back(PeerEvent::ConnectionStateChange(state));
        }
    }

    /// Turns the transport's state changes into events.
    pub(crate) fn process_transport(&mut self) {
        while let Some(event) = self.transport.poll_event() {
            match event {
                TransportEvent::LocalCandidate(c) => {
                    let (sdp_mid, sdp_m_line_index) = match self.first_accepted_mline() {
                        Some((mid, index)) => (Some(mid), Some(index)),
                        None => (None, Some(0)),
                    };
                    let init = RTCIceCandidateInit {
                        candidate: c.to_string(),
                        sdp_mid,
                        sdp_m_line_index,
                        username_fragment: c.ufrag.clone(),
                    };
                    self.local_candidates.push(c);
                    self.events.push_back(PeerEvent::IceCandidate(Some(init)));
                }
                TransportEvent::EndOfCandidates => {
                    self.local_candidates_complete = true;
                    self.events.push_back(PeerEvent::IceCandidate(None));
                }
                TransportEvent::Gathering(s) => {
                    if s != self.gathering {
                        self.gathering = s;
                        self.events.push_back(PeerEvent::IceGatheringStateChange(s));
                    }
                }
                TransportEvent::Ice(s) => {
                    if s != self.ice_connection && !self.closed {
                        self.ice_connection = s;
                        self.events
                            .push_back(PeerEvent::IceConnectionStateChange(s));
                        self.update_connection_state();
                    }
                }
                TransportEvent::SelectedPair { local, remote } => self
                    .events
                    .push_back(PeerEvent::SelectedCandidatePairChange { local, remote }),
                TransportEvent::Dtls(s) => {
                    if s != self.dtls_state {
                        self.dtls_state = s;
                        self.events.push_back(PeerEvent::DtlsStateChange(s));
                        self.update_connection_state();
                    }
                }
                TransportEvent::DtlsFailed(e) => {
                    self.events
                        .push_back(PeerEvent::TransportError(PeerError::Dtls(e)));
                }
                TransportEvent::SctpStarted => {
                    if let (Some(now), Some(sctp)) =
                        (self.transport.now(), self.transport.sctp_mut())
                    {
                        self.channels.bind_all(sctp, now, &mut self.events);
                    }
                }
            }
        }
    }

    /// The first m-line that is not rejected (the BUNDLE tag), where
    /// trickled candidates belong: (mid, index).
    fn first_accepted_mline(&self) -> Option<(String, u16)> {
        self.jsep
            .layout()
            .iter()
            .enumerate()
            .find(|(_, l)| match &l.usage {
                super::jsep::MLineUse::Media(id) => self
                    .transceivers
                    .get(id.0 as usize)
                    .is_some_and(|t| !t.stopped),
                super::jsep::MLineUse::Data => true,
                super::jsep::MLineUse::Unsupported => false,
            })
            .map(|(i, l)| (l.mid.clone(), u16::try_from(i).unwrap_or(u16::MAX)))
    }

    // ----- negotiation needed -----

    /// Re-evaluates the negotiation-needed flag (W3C webrtc-pc §4.7.3):
    /// fires [`PeerEvent::NegotiationNeeded`] once when in stable and
    /// something changed that needs an offer.
    pub(crate) fn update_negotiation_needed(&mut self) {
        if self.closed || self.signaling != RTCSignalingState::Stable {
            return;
        }
        if !self.check_negotiation_needed() {
            self.negotiation_needed = false;
            return;
        }
        if !self.negotiation_needed {
            self.negotiation_needed = true;
            self.events.push_back(PeerEvent::NegotiationNeeded);
        }
    }

    fn check_negotiation_needed(&self) -> bool {
        if self.ice_restart {
            return true;
        }
        if self.channels.any_live() && self.data_mid.is_none() {
            return true;
        }
        self.transceivers.iter().filter(|t| !t.removed).any(|t| {
            if t.stopped {
                // Stopped but its m-line not rejected yet.
                return t.mid.is_some() && t.current_direction.is_some();
            }
            match (&t.mid, t.current_direction) {
                (None, _) | (Some(_), None) => true,
                (Some(_), Some(_)) => self.jsep.negotiated_direction(t.id) != Some(t.direction),
            }
        })
    }

    /// Whether a `negotiationneeded` is pending (fired and not yet
    /// answered by a completed offer/answer).
    pub fn is_negotiation_needed(&self) -> bool {
        self.negotiation_needed
    }

    // ----- data channels -----

    /// Creates a data channel (W3C `createDataChannel`). It opens once the
    /// connection is up; the first channel needs a negotiation (a data
    /// m-line), which `negotiationneeded` asks for.
    ///
    /// # Errors
    /// [`PeerError::Closed`]; [`PeerError::InvalidConfiguration`] for
    /// exclusive or missing options (W3C `TypeError`); an id in use.
    pub fn create_data_channel(
        &mut self,
        label: &str,
        init: RTCDataChannelInit,
    ) -> Result<DataChannelId, PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        let id = self.channels.create(label, init)?;
        if let (Some(now), Some(sctp)) = (self.transport.now(), self.transport.sctp_mut()) {
            self.channels.bind(id, sctp, now, &mut self.events);
        }
        self.update_negotiation_needed();
        Ok(id)
    }

    /// Every data channel ever created or announced, open or not.
    pub fn data_channels(&self) -> impl Iterator<Item = DataChannelId> + '_ {
        (0..self.channels.len() as u32).map(DataChannelId)
    }

    // ----- transceivers -----

    fn new_transceiver(
        &mut self,
        kind: MediaKind,
        direction: RTCRtpTransceiverDirection,
        track: Option<MediaStreamTrack>,
        stream_ids: Vec<String>,
        send_encodings: &[RTCRtpEncodingParameters],
    ) -> Result<TransceiverId, PeerError> {
        let id = TransceiverId(
            u32::try_from(self.transceivers.len())
                .map_err(|_| PeerError::InvalidConfiguration("too many transceivers"))?,
        );
        let rids = simulcast_rids(send_encodings)?;
        let ssrc = self.new_ssrc();
        let rtx_ssrc = (kind == MediaKind::Video).then(|| self.new_ssrc());
        let mut send_layers: Vec<SendLayer> = Vec::with_capacity(rids.len());
        for (i, rid) in rids.into_iter().enumerate() {
            let (ssrc, rtx_ssrc) = if i == 0 {
                (ssrc, rtx_ssrc)
            } else {
                let s = self.new_ssrc_avoiding(&send_layers);
                let layer = SendLayer {
                    rid,
                    ssrc: s,
                    rtx_ssrc: None,
                };
                send_layers.push(layer);
                let r = (kind == MediaKind::Video).then(|| self.new_ssrc_avoiding(&send_layers));
                send_layers.pop();
                (s, r)
            };
            send_layers.push(SendLayer {
                rid,
                ssrc,
                rtx_ssrc,
            });
        }
        let receiver_track = MediaStreamTrack {
            id: format!("{}-receiver-{}", kind.as_str(), id.0),
            kind,
            stream_ids: Vec::new(),
        };
        self.transceivers.push(Transceiver {
            id,
            kind,
            mid: None,
            direction,
            current_direction: None,
            stopped: false,
            sender_track: track,
            stream_ids,
            ssrc,
            rtx_ssrc,
            send_layers,
            receiver_track,
            remote_ssrcs: Vec::new(),
            negotiated: Negotiated::default(),
            from_remote_offer: false,
            receiving: false,
            removed: false,
            has_sent: false,
        });
        Ok(id)
    }

    /// A random SSRC, unused by our other senders and not zero.
    pub(crate) fn new_ssrc(&mut self) -> u32 {
        self.new_ssrc_avoiding(&[])
    }

    /// A random SSRC, unused by our senders and by `layers`, not zero.
    fn new_ssrc_avoiding(&mut self, layers: &[SendLayer]) -> u32 {
        let used = |t: &[SendLayer], ssrc: u32| {
            t.iter().any(|l| l.ssrc == ssrc || l.rtx_ssrc == Some(ssrc))
        };
        loop {
            let ssrc = self.rng.next_u32();
            if ssrc != 0
                && !used(layers, ssrc)
                && !self.transceivers.iter().any(|t| {
                    t.ssrc == ssrc || t.rtx_ssrc == Some(ssrc) || used(&t.send_layers, ssrc)
                })
            {
                return ssrc;
            }
        }
    }

    fn transceiver_mut(&mut self, id: TransceiverId) -> Result<&mut Transceiver, PeerError> {
        self.transceivers
            .get_mut(id.0 as usize)
            .filter(|t| !t.removed)
            .ok_or(PeerError::NoSuchTransceiver(id.0))
    }

    /// Adds a track to send (W3C `addTrack`): reuses a transceiver of the
    /// same kind that never sent and has no track, else adds a sendrecv
    /// one. Returns the transceiver (its sender sends the track).
    ///
    /// # Errors
    /// [`PeerError::Closed`].
    pub fn add_track(&mut self, track: MediaStreamTrack) -> Result<TransceiverId, PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        let reusable = self.transceivers.iter_mut().find(|t| {
            t.kind == track.kind && !t.stopped && t.sender_track.is_none() && !t.has_sent
        });
        let id = match reusable {
            Some(t) => {
                t.stream_ids = track.stream_ids.clone();
                t.sender_track = Some(track);
                t.direction = match t.direction {
                    RTCRtpTransceiverDirection::RecvOnly => RTCRtpTransceiverDirection::SendRecv,
                    RTCRtpTransceiverDirection::Inactive => RTCRtpTransceiverDirection::SendOnly,
                    d => d,
                };
                t.id
            }
            None => {
                let streams = track.stream_ids.clone();
                self.new_transceiver(
                    track.kind,
                    RTCRtpTransceiverDirection::SendRecv,
                    Some(track),
                    streams,
                    &[],
                )?
            }
        };
        self.update_negotiation_needed();
        Ok(id)
    }

    /// Stops sending on a sender (W3C `removeTrack`): no more track, and
    /// the direction loses `send`; negotiation follows.
    ///
    /// # Errors
    /// [`PeerError::Closed`], [`PeerError::NoSuchTransceiver`].
    pub fn remove_track(&mut self, sender: TransceiverId) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        let t = self.transceiver_mut(sender)?;
        if t.sender_track.take().is_none() {
            return Ok(());
        }
        t.direction = match t.direction {
            RTCRtpTransceiverDirection::SendRecv => RTCRtpTransceiverDirection::RecvOnly,
            RTCRtpTransceiverDirection::SendOnly => RTCRtpTransceiverDirection::Inactive,
            d => d,
        };
        self.update_negotiation_needed();
        Ok(())
    }

    /// Adds a transceiver without a track (W3C `addTransceiver(kind)`).
    ///
    /// # Errors
    /// [`PeerError::Closed`]; [`PeerError::InvalidConfiguration`] for
    /// send encodings whose rids are missing, malformed or repeated, or
    /// more than [`MAX_SIMULCAST_LAYERS`] of them.
    pub fn add_transceiver(
        &mut self,
        kind: MediaKind,
        init: RTCRtpTransceiverInit,
    ) -> Result<TransceiverId, PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        let id = self.new_transceiver(
            kind,
            init.direction,
            None,
            init.stream_ids,
            &init.send_encodings,
        )?;
        self.update_negotiation_needed();
        Ok(id)
    }

    /// Adds a transceiver sending `track` (W3C `addTransceiver(track)`);
    /// with several [`RTCRtpTransceiverInit::send_encodings`], a simulcast
    /// sender.
    ///
    /// # Errors
    /// As [`add_transceiver`](Self::add_transceiver).
    pub fn add_transceiver_with_track(
        &mut self,
        track: MediaStreamTrack,
        init: RTCRtpTransceiverInit,
    ) -> Result<TransceiverId, PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        let streams = if init.stream_ids.is_empty() {
            track.stream_ids.clone()
        } else {
            init.stream_ids
        };
        let id = self.new_transceiver(
            track.kind,
            init.direction,
            Some(track),
            streams,
            &init.send_encodings,
        )?;
        self.update_negotiation_needed();
        Ok(id)
    }

    /// Sets a transceiver's direction (W3C `direction` setter);
    /// negotiation follows when it changed.
    ///
    /// # Errors
    /// [`PeerError::Closed`], [`PeerError::NoSuchTransceiver`],
    /// [`PeerError::InvalidConfiguration`] for `Stopped` (use
    /// [`stop_transceiver`](Self::stop_transceiver)) or a stopped
    /// transceiver.
    pub fn set_direction(
        &mut self,
        id: TransceiverId,
        direction: RTCRtpTransceiverDirection,
    ) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        if direction == RTCRtpTransceiverDirection::Stopped {
            return Err(PeerError::InvalidConfiguration("use stop_transceiver"));
        }
        let t = self.transceiver_mut(id)?;
        if t.stopped {
            return Err(PeerError::InvalidConfiguration(
                "the transceiver is stopped",
            ));
        }
        t.direction = direction;
        self.update_negotiation_needed();
        Ok(())
    }

    /// Stops a transceiver (W3C `stop`): it no longer sends or receives,
    /// and its m-line is rejected at the next negotiation.
    ///
    /// # Errors
    /// [`PeerError::Closed`], [`PeerError::NoSuchTransceiver`].
    pub fn stop_transceiver(&mut self, id: TransceiverId) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        let t = self.transceiver_mut(id)?;
        if t.stopped {
            return Ok(());
        }
        t.stopped = true;
        t.direction = RTCRtpTransceiverDirection::Stopped;
        t.sender_track = None;
        self.router
            .rebuild(&self.transceivers, self.router.extensions);
        self.update_negotiation_needed();
        Ok(())
    }

    /// Every transceiver (W3C `getTransceivers`), in creation order.
    pub fn get_transceivers(&self) -> Vec<RTCRtpTransceiver> {
        self.transceivers
            .iter()
            .filter(|t| !t.removed)
            .map(Transceiver::snapshot)
            .collect()
    }

    /// The senders of transceivers not stopped (W3C `getSenders`).
    pub fn get_senders(&self) -> Vec<RTCRtpSender> {
        self.transceivers
            .iter()
            .filter(|t| !t.stopped)
            .map(|t| t.snapshot().sender)
            .collect()
    }

    /// The receivers of transceivers not stopped (W3C `getReceivers`),
    /// with the SSRCs routed to each so far.
    pub fn get_receivers(&self) -> Vec<RTCRtpReceiver> {
        self.transceivers
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.stopped)
            .map(|(i, t)| {
                let mut r = t.snapshot().receiver;
                for ssrc in self.router.ssrcs_of(i) {
                    if !r.ssrcs.contains(&ssrc) {
                        r.ssrcs.push(ssrc);
                    }
                }
                for (e, rid) in r.encodings.iter_mut().zip(&t.negotiated.recv_rids) {
                    (e.ssrc, e.rtx_ssrc) = self.router.layer_ssrcs(i, *rid);
                }
                r
            })
            .collect()
    }

    /// Sends an RTP packet on a sender: its SSRC becomes the sender's (its
    /// RTX SSRC for a negotiated RTX payload type, RFC 4588), the
    /// negotiated mid header extension is added, and it goes out through
    /// SRTP. The payload type must be one of the sender's negotiated
    /// codecs ([`RTCRtpSender::codecs`]). On a simulcast sender it goes on
    /// the first negotiated layer (see [`write_rtp_rid`](Self::write_rtp_rid)).
    ///
    /// Before the connection is up the packet is dropped and counted (like
    /// a packet lost on the way); the call still succeeds.
    ///
    /// # Errors
    /// [`PeerError::Closed`], [`PeerError::NoSuchTransceiver`],
    /// [`PeerError::NotSending`] when negotiation does not let it send,
    /// [`PeerError::Rtp`] for a packet that does not parse,
    /// [`PeerError::PacketTooLarge`] when it would not fit a datagram once
    /// the header extensions and the SSRC tag are added (checked before
    /// the connection is up too: nothing is truncated),
    /// [`PeerError::Srtp`] when SRTP refuses it (a repeated index).
    pub fn write_rtp(&mut self, sender: TransceiverId, packet: &[u8]) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        // let-else, not `ok_or`: no error value is built (and dropped) per
        // packet on the hot path.
        let Some(t) = self.transceivers.get(sender.0 as usize) else {
            return Err(PeerError::NoSuchTransceiver(sender.0));
        };
        if !t.can_send() {
            return Err(PeerError::NotSending(sender.0));
        }
        if !t.negotiated.send_rids.is_empty() {
            return self.send_rtp_layer(sender, None, packet);
        }
        let rtp = RtpPacket::parse(packet)?;
        let mut header = rtp.to_header();
        header.ssrc = match t.rtx_ssrc {
            Some(rtx) if t.negotiated.is_rtx(rtp.payload_type()) => rtx,
            _ => t.ssrc,
        };
        let mid = t.mid.as_deref().unwrap_or_default().as_bytes();
        if let Some(id) = t.negotiated.mid_ext_id
            && !mid.is_empty()
        {
            header.set_extension(id, mid)?;
        }
        let payload = rtp.payload();
        let sent = self
            .transport
            .send_rtp_with(|out| Ok(header.marshal_packet(payload, out)?));
        rtp_written(&mut self.stats, &self.transport, sent, &header, payload)
    }

    /// Sends an RTP packet on simulcast layer `rid` of a sender (RFC
    /// 8853): the layer's SSRC (its RTX SSRC for an RTX payload type), the
    /// mid and the `rtp-stream-id` header extensions (RFC 8852; the
    /// `repaired-rtp-stream-id` for RTX) are set, then SRTP. The layer
    /// must be one the peer's answer accepted
    /// ([`RTCRtpSender::encodings`]).
    ///
    /// # Errors
    /// As [`write_rtp`](Self::write_rtp); [`PeerError::NotSending`] for a
    /// rid the answer did not accept (a peer that does not receive
    /// simulcast accepts none: use `write_rtp`).
    pub fn write_rtp_rid(
        &mut self,
        sender: TransceiverId,
        rid: &str,
        packet: &[u8],
    ) -> Result<(), PeerError> {
        self.send_rtp_layer(sender, Some(rid), packet)
    }

    /// Sends on simulcast layer `rid`, or (`None`) the first negotiated
    /// layer.
    fn send_rtp_layer(
        &mut self,
        sender: TransceiverId,
        rid: Option<&str>,
        packet: &[u8],
    ) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        // let-else, not `ok_or`: no error value is built (and dropped) per
        // packet on the hot path.
        let Some(t) = self.transceivers.get(sender.0 as usize) else {
            return Err(PeerError::NoSuchTransceiver(sender.0));
        };
        if !t.can_send() {
            return Err(PeerError::NotSending(sender.0));
        }
        let layers = &t.negotiated.send_rids;
        let layer = match rid {
            None => 0,
            Some(rid) => match layers.iter().position(|r| *r == rid) {
                Some(layer) => layer,
                None => return Err(PeerError::NotSending(sender.0)),
            },
        };
        let rtp = RtpPacket::parse(packet)?;
        let Some((ssrc, stream_id)) = t.send_stream(layer, rtp.payload_type()) else {
            return Err(PeerError::NotSending(sender.0));
        };
        let rid = stream_id;
        let mut header = rtp.to_header();
        header.ssrc = ssrc;
        let mid = t.mid.as_deref().unwrap_or_default().as_bytes();
        if let Some(id) = t.negotiated.mid_ext_id
            && !mid.is_empty()
        {
            header.set_extension(id, mid)?;
        }
        if let Some((id, rid)) = &rid {
            header.set_extension(*id, rid.as_bytes())?;
        }
        let payload = rtp.payload();
        let sent = self
            .transport
            .send_rtp_with(|out| Ok(header.marshal_packet(payload, out)?));
        rtp_written(&mut self.stats, &self.transport, sent, &header, payload)
    }

    /// Sends an RTCP compound packet through SRTCP (feedback, reports).
    /// Dropped and counted before the connection is up.
    ///
    /// # Errors
    /// [`PeerError::Closed`], [`PeerError::PacketTooLarge`] when it would
    /// not fit a datagram with the SRTCP trailer, [`PeerError::Srtp`].
    pub fn write_rtcp(&mut self, packet: &[u8]) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        let max = self.transport.max_media_packet();
        if packet.len() > max {
            return Err(PeerError::PacketTooLarge {
                len: packet.len(),
                max,
            });
        }
        self.transport.send_rtcp_with(|out| {
            let dst = out
                .get_mut(..packet.len())
                .ok_or(PeerError::PacketTooLarge {
                    len: packet.len(),
                    max,
                })?;
            dst.copy_from_slice(packet);
            Ok(packet.len())
        })?;
        Ok(())
    }
}

/// The outcome of writing an RTP packet. The send buffer holds the
/// transport's `max_media_packet` bytes: a packet that does not fit is
/// refused by the marshaller (never truncated) and reported as
/// [`PeerError::PacketTooLarge`]; one dropped for want of keys or a path
/// is checked for size all the same, so the error does not depend on the
/// connection state.
#[inline]
fn rtp_written(
    stats: &mut PeerStats,
    transport: &Transport,
    sent: Result<bool, PeerError>,
    header: &crate::rtp::RtpHeader<'_>,
    payload: &[u8],
) -> Result<(), PeerError> {
    match sent {
        Ok(true) => {}
        Ok(false) => check_rtp_size(transport, header, payload)?,
        Err(e) => return Err(too_large(e, transport)),
    }
    stats.rtp_sent += 1;
    Ok(())
}

/// A packet dropped for want of keys or a path: still refused when it
/// could never be sent.
#[cold]
fn check_rtp_size(
    transport: &Transport,
    header: &crate::rtp::RtpHeader<'_>,
    payload: &[u8],
) -> Result<(), PeerError> {
    let len = header.packet_len(payload.len())?;
    let max = transport.max_media_packet();
    if len > max {
        return Err(PeerError::PacketTooLarge { len, max });
    }
    Ok(())
}

/// The marshaller's "buffer too small" is the packet being too large.
#[cold]
fn too_large(e: PeerError, transport: &Transport) -> PeerError {
    match e {
        PeerError::Rtp(RtpError::BufferTooSmall { needed, .. }) => PeerError::PacketTooLarge {
            len: needed,
            max: transport.max_media_packet(),
        },
        e => e,
    }
}

/// The rids of `sendEncodings` (W3C `addTransceiver` step "validate
/// sendEncodings"): none for zero or one encoding, else one valid, unique
/// rid each, at most [`MAX_SIMULCAST_LAYERS`].
fn simulcast_rids(encodings: &[RTCRtpEncodingParameters]) -> Result<Vec<RtpStreamId>, PeerError> {
    if encodings.len() < 2 {
        return Ok(Vec::new());
    }
    if encodings.len() > MAX_SIMULCAST_LAYERS {
        return Err(PeerError::InvalidConfiguration("too many send encodings"));
    }
    let mut rids: Vec<RtpStreamId> = Vec::with_capacity(encodings.len());
    for e in encodings {
        let rid = RtpStreamId::new(&e.rid).ok_or(PeerError::InvalidConfiguration(
            "a send encoding's rid must be 1-16 letters, digits, '-' or '_'",
        ))?;
        if rids.contains(&rid) {
            return Err(PeerError::InvalidConfiguration(
                "repeated rid in send encodings",
            ));
        }
        rids.push(rid);
    }
    Ok(rids)
}

#[cfg(test)]
#[path = "connection_tests.rs"]
mod tests;
