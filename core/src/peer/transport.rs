//! The one transport under a bundled peer connection: ICE, DTLS, SRTP and
//! SCTP joined on a single 5-tuple (RFC 8843 BUNDLE, RFC 8829 max-bundle).
//!
//! - Incoming datagrams are demultiplexed by their first byte (RFC 7983,
//!   [`super::demux`]): STUN to the ICE agent, DTLS records to the DTLS
//!   connection, SRTP and SRTCP to the SRTP session.
//! - The DTLS role comes from `a=setup` (active: client, RFC 5763 §5); the
//!   client starts its handshake once ICE has selected a pair, the server
//!   waits for the ClientHello (and keeps the few that arrive before the
//!   remote description, bounded). The peer's certificate is checked
//!   against the remote fingerprint by the DTLS layer: a mismatch fails the
//!   transport with [`crate::dtls::DtlsError::FingerprintMismatch`].
//! - SRTP is keyed from the DTLS exporter with the negotiated profile
//!   (RFC 5764 §4.2); the SCTP association of the data channels runs over
//!   DTLS application data (RFC 8261) with stream id parity by DTLS role
//!   (RFC 8832 §6).
//!
//! Every layer is called directly; the only queues are at the edges: the
//! datagrams to send (SRTP packets and the rare control datagrams), the
//! transport events (state changes), and the data channel events kept by
//! [`DataChannels`] until the peer connection hands them out. SCTP packets
//! are pulled and sealed when the application asks for the next datagram,
//! so SCTP bundles as much as the MTU allows. Buffers come from a free
//! list: once connected, a data channel message or an RTP packet
//! allocates nothing on the way in or out.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Instant;

use crate::crypto::{Certificate, Fingerprint};
use crate::datachannel::{self, DataChannels};
use crate::dtls::{
    DtlsConfig, DtlsConnection, DtlsError, DtlsEvent, GCM_RECORD_OVERHEAD, RECORD_HEADER_LEN,
};
use crate::ice::{Candidate, IceAgent, IceConfig, IceCredentials, IceEvent, IceRole};
use crate::sctp;
use crate::srtp::{DtlsRole, SrtpConfig, SrtpSession};

use super::PeerError;
use super::buffer::{Pool, TxPool, datagram_capacity};
use super::config::SctpLimits;
use super::demux::{PacketKind, classify};
use super::state::{RTCDtlsTransportState, RTCIceConnectionState, RTCIceGatheringState};

/// DTLS datagrams kept while the DTLS server waits for the remote
/// description (a ClientHello can overtake the answer).
const MAX_EARLY_DTLS: usize = 8;
/// Room after an RTP/RTCP packet for the SRTP(C) trailer: the largest tag
/// (16, AEAD) plus the SRTCP index (4). RFC 3711 §3.1 and RFC 7714 §8:
/// the protected packet is the plain one plus this trailer, so an RTP or
/// RTCP packet may be at most the datagram capacity minus this.
pub(crate) const SRTP_TRAILER_ROOM: usize = 20;
/// Bytes DTLS adds to an application data record (AES-GCM).
pub(crate) const DTLS_OVERHEAD: usize = RECORD_HEADER_LEN + GCM_RECORD_OVERHEAD;

/// What the transport was built with.
#[derive(Debug, Clone)]
pub(crate) struct TransportConfig {
    /// ICE settings (role and credentials are set when ICE starts).
    pub ice: IceConfig,
    /// Our DTLS certificate.
    pub certificate: Arc<Certificate>,
    /// Largest UDP payload we send.
    pub mtu: usize,
    /// Seed of the DTLS connection's RNG.
    pub dtls_seed: [u8; 32],
    /// Seed of the SCTP association.
    pub sctp_seed: u64,
    /// SCTP limits.
    pub sctp: SctpLimits,
}

/// DTLS parameters from the remote description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DtlsParams {
    /// Our role (`a=setup`: active is the client).
    pub role: DtlsRole,
    /// The peer's certificate fingerprint (`a=fingerprint`).
    pub remote_fingerprint: Fingerprint,
}

/// SCTP parameters of the negotiated data channel m-line (RFC 8841).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SctpParams {
    /// Our `a=sctp-port`.
    pub local_port: u16,
    /// The peer's `a=sctp-port`.
    pub remote_port: u16,
}

/// A received media packet, decrypted in a pooled buffer.
#[derive(Debug)]
pub(crate) enum Inbound {
    /// Nothing for the application (STUN, DTLS, SCTP, or dropped).
    None,
    /// A decrypted RTP packet.
    Rtp(Vec<u8>),
    /// A decrypted RTCP compound packet.
    Rtcp(Vec<u8>),
}

/// A state change of the transport, for the peer connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TransportEvent {
    /// A local candidate to signal.
    LocalCandidate(Candidate),
    /// Gathering is complete.
    EndOfCandidates,
    /// ICE gathering state.
    Gathering(RTCIceGatheringState),
    /// ICE connection state.
    Ice(RTCIceConnectionState),
    /// The pair carrying data changed.
    SelectedPair {
        /// Local base address.
        local: SocketAddr,
        /// Remote address.
        remote: SocketAddr,
    },
    /// DTLS transport state.
    Dtls(RTCDtlsTransportState),
    /// Why DTLS failed.
    DtlsFailed(DtlsError),
    /// The SCTP association was created (data channels can be bound).
    SctpStarted,
}

/// Counters of the transport: what it moved and what it dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct TransportStats {
    /// Datagrams given to `handle_read`.
    pub datagrams_received: u64,
    /// Datagrams handed out by `poll_write`.
    pub datagrams_sent: u64,
    /// Bytes received.
    pub bytes_received: u64,
    /// Bytes sent.
    pub bytes_sent: u64,
    /// Datagrams of no known protocol (RFC 7983 ranges we do not use).
    pub dropped_unknown: u64,
    /// STUN before ICE started.
    pub dropped_stun: u64,
    /// DTLS records dropped (no DTLS yet and the early queue full, or
    /// records that do not parse, decrypt or are replayed).
    pub dropped_dtls: u64,
    /// SRTP/SRTCP packets dropped (not keyed yet, or rejected by SRTP:
    /// see the SRTP counters for why).
    pub dropped_srtp: u64,
    /// SCTP packets dropped (no association, or malformed).
    pub dropped_sctp: u64,
    /// SRTP/SRTCP datagrams dropped because they are longer than the
    /// connection's datagram buffers (2048 bytes, or the MTU plus DTLS
    /// record room when larger): never truncated, never a larger buffer.
    pub dropped_oversized: u64,
    /// Outgoing datagrams dropped because no candidate pair is usable.
    pub dropped_no_path: u64,
}

/// One datagram to send: the first `len` bytes of `data`.
#[derive(Debug)]
struct Datagram {
    local: SocketAddr,
    peer: SocketAddr,
    data: Vec<u8>,
    len: usize,
}

impl Datagram {
    /// A datagram that is the whole vector (DTLS handshake flights).
    fn whole(local: SocketAddr, peer: SocketAddr, data: Vec<u8>) -> Self {
        let len = data.len();
        Self {
            local,
            peer,
            data,
            len,
        }
    }
}

/// The bundled transport. See the module documentation.
#[derive(Debug)]
pub(crate) struct Transport {
    config: TransportConfig,
    ice: Option<IceAgent>,
    local_addrs: Vec<SocketAddr>,
    selected: Option<(SocketAddr, SocketAddr)>,
    ice_state: RTCIceConnectionState,
    dtls_params: Option<DtlsParams>,
    dtls: Option<DtlsConnection>,
    dtls_state: RTCDtlsTransportState,
    /// Where DTLS came from last, while ICE has not selected a pair.
    dtls_source: Option<(SocketAddr, SocketAddr)>,
    early_dtls: Vec<(SocketAddr, SocketAddr, Vec<u8>)>,
    srtp: Option<SrtpSession>,
    sctp_params: Option<SctpParams>,
    sctp: Option<DataChannels>,
    /// Buffers of received media handed to the application.
    pool: Pool,
    /// Full-length buffers of datagrams to send.
    tx: TxPool,
    out: VecDeque<Datagram>,
    /// The datagram `poll_transmit` handed out last (recycled on the next call).
    current: Option<Datagram>,
    /// Scratch for one SCTP packet before it is sealed.
    plain: Vec<u8>,
    /// Scratch for one incoming DTLS datagram decrypted in place.
    scratch: Vec<u8>,
    events: VecDeque<TransportEvent>,
    now: Option<Instant>,
    closed: bool,
    stats: TransportStats,
}

impl Transport {
    pub(crate) fn new(config: TransportConfig) -> Self {
        let mtu = config.mtu;
        Self {
            config,
            ice: None,
            local_addrs: Vec::new(),
            selected: None,
            ice_state: RTCIceConnectionState::New,
            dtls_params: None,
            dtls: None,
            dtls_state: RTCDtlsTransportState::New,
            dtls_source: None,
            early_dtls: Vec::new(),
            srtp: None,
            sctp_params: None,
            sctp: None,
            pool: Pool::new(datagram_capacity(mtu)),
            tx: TxPool::new(datagram_capacity(mtu)),
            out: VecDeque::new(),
            current: None,
            plain: vec![0; mtu],
            scratch: Vec::new(),
            events: VecDeque::new(),
            now: None,
            closed: false,
            stats: TransportStats::default(),
        }
    }

    // ----- state -----

    pub(crate) fn stats(&self) -> TransportStats {
        self.stats
    }

    pub(crate) fn ice(&self) -> Option<&IceAgent> {
        self.ice.as_ref()
    }

    #[cfg(test)]
    pub(crate) fn dtls_state(&self) -> RTCDtlsTransportState {
        self.dtls_state
    }

    pub(crate) fn dtls_role(&self) -> Option<DtlsRole> {
        self.dtls_params.as_ref().map(|p| p.role)
    }

    pub(crate) fn dtls_params(&self) -> Option<&DtlsParams> {
        self.dtls_params.as_ref()
    }

    #[cfg(test)]
    pub(crate) fn dtls(&self) -> Option<&DtlsConnection> {
        self.dtls.as_ref()
    }

    pub(crate) fn srtp(&self) -> Option<&SrtpSession> {
        self.srtp.as_ref()
    }

    pub(crate) fn selected_pair(&self) -> Option<(SocketAddr, SocketAddr)> {
        self.selected
    }

    pub(crate) fn sctp(&self) -> Option<&DataChannels> {
        self.sctp.as_ref()
    }

    pub(crate) fn sctp_mut(&mut self) -> Option<&mut DataChannels> {
        self.sctp.as_mut()
    }

    /// The longest RTP or RTCP packet (before SRTP) that fits a datagram
    /// buffer once protected.
    pub(crate) fn max_media_packet(&self) -> usize {
        self.tx.capacity().saturating_sub(SRTP_TRAILER_ROOM)
    }

    pub(crate) fn certificate(&self) -> &Arc<Certificate> {
        &self.config.certificate
    }

    /// The latest time the transport was given.
    pub(crate) fn now(&self) -> Option<Instant> {
        self.now
    }

    pub(crate) fn poll_event(&mut self) -> Option<TransportEvent> {
        self.events.pop_front()
    }

    /// Gives a buffer back to the datagram pool.
    pub(crate) fn recycle(&mut self, buf: Vec<u8>) {
        self.pool.give(buf);
    }

    /// Gives a data channel message buffer back to the SCTP pool.
    pub(crate) fn recycle_message(&mut self, buf: Vec<u8>) {
        if let Some(sctp) = self.sctp.as_mut() {
            sctp.recycle(buf);
        }
    }

    fn touch(&mut self, now: Instant) {
        self.now = Some(self.now.map_or(now, |t| t.max(now)));
    }

    // ----- ICE -----

    /// Adds a local address (a bound UDP socket) as a host candidate.
    pub(crate) fn add_local_address(&mut self, addr: SocketAddr) {
        if !self.local_addrs.contains(&addr) {
            self.local_addrs.push(addr);
            if let Some(ice) = self.ice.as_mut() {
                ice.add_local_host(addr);
            }
            self.drain_ice();
        }
    }

    /// Whether ICE started (the first description was applied).
    pub(crate) fn ice_started(&self) -> bool {
        self.ice.is_some()
    }

    /// Creates the ICE agent with our role and credentials.
    pub(crate) fn start_ice(
        &mut self,
        role: IceRole,
        credentials: IceCredentials,
    ) -> Result<(), PeerError> {
        if self.ice.is_some() {
            return Ok(());
        }
        let config = IceConfig {
            role,
            local_credentials: Some(credentials),
            ..self.config.ice.clone()
        };
        let mut ice = IceAgent::new(config)?;
        for addr in &self.local_addrs {
            ice.add_local_host(*addr);
        }
        self.ice = Some(ice);
        self.drain_ice();
        Ok(())
    }

    /// Drops the ICE agent (the rollback of the first remote offer, which
    /// created it in the controlled role). Nothing else has started then.
    pub(crate) fn reset_ice(&mut self) {
        if self.dtls.is_none() && self.dtls_params.is_none() {
            self.ice = None;
            self.selected = None;
            self.ice_state = RTCIceConnectionState::New;
        }
    }

    /// Starts gathering (at the first local description).
    pub(crate) fn gather(&mut self, now: Instant) {
        self.touch(now);
        if let Some(ice) = self.ice.as_mut() {
            ice.gather(now);
        }
        self.drain_ice();
    }

    pub(crate) fn set_remote_credentials(
        &mut self,
        credentials: IceCredentials,
    ) -> Result<(), PeerError> {
        let ice = self.ice.as_mut().ok_or(PeerError::NoRemoteDescription)?;
        ice.set_remote_credentials(credentials)?;
        Ok(())
    }

    pub(crate) fn add_remote_candidate(&mut self, candidate: &Candidate) -> bool {
        let added = self
            .ice
            .as_mut()
            .is_some_and(|ice| ice.add_remote_candidate(candidate));
        self.drain_ice();
        added
    }

    pub(crate) fn end_of_remote_candidates(&mut self) {
        if let Some(ice) = self.ice.as_mut() {
            ice.end_of_remote_candidates();
        }
    }

    /// ICE restart with new local credentials (the selected pair keeps
    /// carrying DTLS, SRTP and SCTP until a new one is nominated).
    pub(crate) fn restart_ice(
        &mut self,
        now: Instant,
        credentials: IceCredentials,
    ) -> Result<(), PeerError> {
        self.touch(now);
        let ice = self.ice.as_mut().ok_or(PeerError::NoRemoteDescription)?;
        ice.restart(now, Some(credentials))?;
        self.drain_ice();
        Ok(())
    }

    fn drain_ice(&mut self) {
        let Some(ice) = self.ice.as_mut() else {
            return;
        };
        let mut selected = false;
        while let Some(event) = ice.poll_event() {
            match event {
                IceEvent::LocalCandidate(c) => {
                    self.events.push_back(TransportEvent::LocalCandidate(c));
                }
                IceEvent::EndOfLocalCandidates => {
                    self.events.push_back(TransportEvent::EndOfCandidates)
                }
                IceEvent::GatheringStateChange(s) => {
                    self.events.push_back(TransportEvent::Gathering(s.into()));
                }
                IceEvent::ConnectionStateChange(s) => {
                    self.ice_state = s.into();
                    self.events.push_back(TransportEvent::Ice(s.into()));
                }
                IceEvent::SelectedPairChange { local, remote } => {
                    self.selected = Some((local, remote));
                    selected = true;
                    self.events
                        .push_back(TransportEvent::SelectedPair { local, remote });
                }
                _ => {}
            }
        }
        if selected {
            self.maybe_start_dtls();
        }
    }

    /// The pair to send on: ICE's selected pair while ICE can send, else
    /// (before ICE selected one) the address DTLS last came from.
    fn path(&self) -> Option<(SocketAddr, SocketAddr)> {
        if matches!(
            self.ice_state,
            RTCIceConnectionState::Failed | RTCIceConnectionState::Closed
        ) {
            return None;
        }
        self.selected.or(self.dtls_source)
    }

    // ----- DTLS -----

    /// Sets the DTLS role and the remote fingerprint (from the remote
    /// description) for the first association. Another role or
    /// fingerprint later is [`Transport::restart_dtls`].
    pub(crate) fn set_dtls_params(&mut self, now: Instant, params: DtlsParams) {
        self.touch(now);
        if self.dtls_params.is_none() {
            self.dtls_params = Some(params);
            self.maybe_start_dtls();
        }
    }

    /// Replaces the DTLS association (RFC 8842 §5, RFC 5763 §6.6: the
    /// peer's fingerprint changed in a renegotiation, maybe the role too):
    /// the old connection, its SRTP keys and the SCTP association over it
    /// are dropped without alerts (the peer has dropped its side too, or
    /// is another endpoint); a new handshake starts in `params.role` on
    /// the current path with fresh randomness (`dtls_seed`), and SCTP,
    /// when negotiated, starts a new association (`sctp_seed`) once it
    /// connects. ICE is untouched.
    pub(crate) fn restart_dtls(
        &mut self,
        now: Instant,
        params: DtlsParams,
        dtls_seed: [u8; 32],
        sctp_seed: u64,
    ) {
        self.touch(now);
        if self.closed {
            return;
        }
        self.dtls = None;
        self.srtp = None;
        self.sctp = None;
        self.early_dtls.clear();
        self.config.dtls_seed = dtls_seed;
        self.config.sctp_seed = sctp_seed;
        self.dtls_params = Some(params);
        self.set_dtls_state(RTCDtlsTransportState::New);
        self.maybe_start_dtls();
    }

    fn dtls_config(&self, params: &DtlsParams) -> DtlsConfig {
        let mut config = DtlsConfig::new(
            Arc::clone(&self.config.certificate),
            Some(params.remote_fingerprint.clone()),
        );
        config.mtu = self.config.mtu;
        // ICE has verified the path already (RFC 8445): a cookie round
        // trip would only delay the handshake.
        config.cookie_exchange = false;
        config.rng_seed = Some(self.config.dtls_seed);
        config
    }

    fn maybe_start_dtls(&mut self) {
        if self.dtls.is_some() || self.closed {
            return;
        }
        let (Some(params), Some(now)) = (self.dtls_params.as_ref(), self.now) else {
            return;
        };
        let config = self.dtls_config(params);
        let created = match params.role {
            DtlsRole::Client if self.selected.is_some() => DtlsConnection::new_client(config, now),
            DtlsRole::Client => return,
            DtlsRole::Server => DtlsConnection::new_server(config),
        };
        match created {
            Ok(dtls) => {
                self.dtls = Some(dtls);
                self.set_dtls_state(RTCDtlsTransportState::Connecting);
                let early = std::mem::take(&mut self.early_dtls);
                for (local, peer, data) in early {
                    self.handle_dtls(now, local, peer, &data);
                }
            }
            Err(e) => {
                self.set_dtls_state(RTCDtlsTransportState::Failed);
                self.events.push_back(TransportEvent::DtlsFailed(e));
            }
        }
    }

    fn set_dtls_state(&mut self, state: RTCDtlsTransportState) {
        if self.dtls_state != state {
            self.dtls_state = state;
            self.events.push_back(TransportEvent::Dtls(state));
        }
    }

    fn handle_dtls(&mut self, now: Instant, local: SocketAddr, peer: SocketAddr, data: &[u8]) {
        let Some(dtls) = self.dtls.as_mut() else {
            if self.early_dtls.len() < MAX_EARLY_DTLS && !self.closed {
                self.early_dtls.push((local, peer, data.to_vec()));
            } else {
                self.stats.dropped_dtls += 1;
            }
            return;
        };
        if self.selected.is_none() {
            self.dtls_source = Some((local, peer));
        }
        if dtls.is_connected() {
            self.scratch.clear();
            self.scratch.extend_from_slice(data);
            match dtls.handle_read_in_place(now, &mut self.scratch) {
                Ok(Some(plain)) => match self.sctp.as_mut() {
                    Some(sctp) => {
                        if sctp.handle_receive(now, plain).is_err() {
                            self.stats.dropped_sctp += 1;
                        }
                    }
                    None => self.stats.dropped_sctp += 1,
                },
                Ok(None) => {}
                Err(_) => self.stats.dropped_dtls += 1,
            }
        } else if dtls.handle_read(now, data).is_err() && !dtls.is_finished() {
            self.stats.dropped_dtls += 1;
        }
        self.drain_dtls(now);
    }

    fn drain_dtls(&mut self, now: Instant) {
        while let Some(event) = self.dtls.as_mut().and_then(DtlsConnection::poll_event) {
            match event {
                DtlsEvent::Connected(summary) => {
                    if let (Some(profile), Some(material), Some(role)) = (
                        summary.srtp_profile,
                        summary.srtp_keying_material.as_deref(),
                        self.dtls_role(),
                    ) {
                        match SrtpSession::from_dtls_keying_material(
                            profile,
                            material,
                            role,
                            SrtpConfig::default(),
                        ) {
                            Ok(session) => self.srtp = Some(session),
                            Err(_) => self.stats.dropped_srtp += 1,
                        }
                    }
                    self.set_dtls_state(RTCDtlsTransportState::Connected);
                    self.maybe_start_sctp(now);
                }
                DtlsEvent::ApplicationData(data) => match self.sctp.as_mut() {
                    Some(sctp) => {
                        if sctp.handle_receive(now, &data).is_err() {
                            self.stats.dropped_sctp += 1;
                        }
                    }
                    None => self.stats.dropped_sctp += 1,
                },
                DtlsEvent::Closed => self.set_dtls_state(RTCDtlsTransportState::Closed),
                DtlsEvent::Failed(e) => {
                    self.set_dtls_state(RTCDtlsTransportState::Failed);
                    self.events.push_back(TransportEvent::DtlsFailed(e));
                }
            }
        }
    }

    // ----- SCTP -----

    /// Sets the SCTP ports of the negotiated data channel m-line; the
    /// association starts once DTLS is connected.
    pub(crate) fn set_sctp_params(&mut self, now: Instant, params: SctpParams) {
        self.touch(now);
        if self.sctp_params.is_none() {
            self.sctp_params = Some(params);
            self.maybe_start_sctp(now);
        }
    }

    fn maybe_start_sctp(&mut self, now: Instant) {
        if self.sctp.is_some() || self.closed || self.dtls_state != RTCDtlsTransportState::Connected
        {
            return;
        }
        let (Some(params), Some(role)) = (self.sctp_params, self.dtls_role()) else {
            return;
        };
        let limits = self.config.sctp;
        let config = sctp::Config {
            local_port: params.local_port,
            remote_port: params.remote_port,
            mtu: self.config.mtu.saturating_sub(DTLS_OVERHEAD),
            max_message_size: limits.max_message_size,
            receive_window: limits.receive_window,
            send_buffer_limit: limits.send_buffer_limit,
            streams: limits.streams,
            zero_checksum: true,
            seed: self.config.sctp_seed,
            ..sctp::Config::default()
        };
        let role = match role {
            DtlsRole::Client => datachannel::DtlsRole::Client,
            DtlsRole::Server => datachannel::DtlsRole::Server,
        };
        let mut channels = DataChannels::new(config, role, now);
        channels.connect(now);
        self.sctp = Some(channels);
        self.events.push_back(TransportEvent::SctpStarted);
    }

    /// Ends the SCTP association (the data m-line was rejected): an ABORT
    /// goes out, and a later data m-line starts a new association.
    pub(crate) fn stop_sctp(&mut self) {
        if let Some(sctp) = self.sctp.as_mut() {
            sctp.association_mut().abort(b"");
            while let Some(d) = self.next_sctp_datagram() {
                self.out.push_back(d);
            }
        }
        self.sctp = None;
        self.sctp_params = None;
    }

    // ----- datagrams in -----

    /// Feeds one received datagram. Returns decrypted media for the peer
    /// connection to route; everything else is consumed here. Bad bytes
    /// are dropped and counted.
    pub(crate) fn handle_read(
        &mut self,
        now: Instant,
        local: SocketAddr,
        peer: SocketAddr,
        data: &[u8],
    ) -> Inbound {
        self.touch(now);
        self.stats.datagrams_received += 1;
        self.stats.bytes_received += data.len() as u64;
        if self.closed {
            return Inbound::None;
        }
        match classify(data) {
            PacketKind::Stun => {
                match self.ice.as_mut() {
                    Some(ice) => {
                        ice.handle_packet(now, local, peer, data);
                    }
                    None => self.stats.dropped_stun += 1,
                }
                self.drain_ice();
                Inbound::None
            }
            PacketKind::Dtls => {
                self.handle_dtls(now, local, peer, data);
                Inbound::None
            }
            kind @ (PacketKind::Rtp | PacketKind::Rtcp) => {
                let Some(srtp) = self.srtp.as_mut() else {
                    self.stats.dropped_srtp += 1;
                    return Inbound::None;
                };
                if data.len() > self.pool.capacity() {
                    // It would need a larger buffer: dropped, not truncated.
                    self.stats.dropped_oversized += 1;
                    return Inbound::None;
                }
                let mut buf = self.pool.copy_of(data);
                let result = if kind == PacketKind::Rtp {
                    srtp.unprotector.unprotect_rtp(&mut buf)
                } else {
                    srtp.unprotector.unprotect_rtcp(&mut buf)
                };
                match result {
                    Ok(len) => {
                        buf.truncate(len);
                        if kind == PacketKind::Rtp {
                            Inbound::Rtp(buf)
                        } else {
                            Inbound::Rtcp(buf)
                        }
                    }
                    Err(_) => {
                        self.stats.dropped_srtp += 1;
                        self.pool.give(buf);
                        Inbound::None
                    }
                }
            }
            PacketKind::Other => {
                self.stats.dropped_unknown += 1;
                Inbound::None
            }
        }
    }

    // ----- datagrams out -----

    /// Writes an RTP packet with `write` (into a send buffer; it returns
    /// the length), protects it and queues it. Without SRTP keys or a
    /// usable pair it is dropped and counted, and `write` is not called.
    /// `Ok(true)` when queued, `Ok(false)` when dropped for want of keys or
    /// a path. `write` gets [`Transport::max_media_packet`] bytes.
    pub(crate) fn send_rtp_with(
        &mut self,
        write: impl FnOnce(&mut [u8]) -> Result<usize, PeerError>,
    ) -> Result<bool, PeerError> {
        self.send_srtp_with(false, write)
    }

    /// As [`Self::send_rtp_with`] for an RTCP compound packet.
    pub(crate) fn send_rtcp_with(
        &mut self,
        write: impl FnOnce(&mut [u8]) -> Result<usize, PeerError>,
    ) -> Result<bool, PeerError> {
        self.send_srtp_with(true, write)
    }

    fn send_srtp_with(
        &mut self,
        rtcp: bool,
        write: impl FnOnce(&mut [u8]) -> Result<usize, PeerError>,
    ) -> Result<bool, PeerError> {
        let path = self.path();
        let (Some(srtp), Some((local, peer))) = (self.srtp.as_mut(), path) else {
            self.stats.dropped_no_path += 1;
            return Ok(false);
        };
        let mut buf = self.tx.take();
        let room = buf.len().saturating_sub(SRTP_TRAILER_ROOM);
        let len = match buf.get_mut(..room).map(write) {
            Some(Ok(len)) => len,
            Some(Err(e)) => {
                self.tx.give(buf);
                return Err(e);
            }
            None => {
                self.tx.give(buf);
                return Err(PeerError::InvalidConfiguration("send buffer"));
            }
        };
        let result = if rtcp {
            srtp.protector.protect_rtcp(&mut buf, len)
        } else {
            srtp.protector.protect_rtp(&mut buf, len)
        };
        match result {
            Ok(n) => {
                self.out.push_back(Datagram {
                    local,
                    peer,
                    data: buf,
                    len: n,
                });
                Ok(true)
            }
            Err(e) => {
                self.tx.give(buf);
                Err(e.into())
            }
        }
    }

    /// The next datagram to send: (local address, peer address, bytes).
    /// The bytes stay valid until the next call.
    pub(crate) fn poll_transmit(&mut self) -> Option<(SocketAddr, SocketAddr, &[u8])> {
        if let Some(d) = self.current.take() {
            self.tx.give(d.data);
        }
        let next = self.next_datagram()?;
        self.stats.datagrams_sent += 1;
        self.stats.bytes_sent += next.len as u64;
        let d = self.current.insert(next);
        Some((d.local, d.peer, d.data.get(..d.len).unwrap_or_default()))
    }

    fn next_datagram(&mut self) -> Option<Datagram> {
        // Connectivity checks and consent first.
        if let Some(ice) = self.ice.as_mut() {
            let mut buf = self.tx.take();
            match ice.poll_transmit(&mut buf) {
                Ok(Some(t)) => {
                    return Some(Datagram {
                        local: t.source,
                        peer: t.destination,
                        data: buf,
                        len: t.len,
                    });
                }
                _ => self.tx.give(buf),
            }
        }
        // Handshake flights, alerts, and queued media or control.
        loop {
            if let Some(data) = self.dtls.as_mut().and_then(DtlsConnection::poll_write) {
                match self.path() {
                    Some((local, peer)) => return Some(Datagram::whole(local, peer, data)),
                    None => {
                        self.stats.dropped_no_path += 1;
                        continue;
                    }
                }
            }
            break;
        }
        if let Some(d) = self.out.pop_front() {
            return Some(d);
        }
        self.next_sctp_datagram()
    }

    /// Pulls one SCTP packet and seals it into a DTLS record.
    fn next_sctp_datagram(&mut self) -> Option<Datagram> {
        let now = self.now?;
        let (local, peer) = self.path()?;
        let dtls = self.dtls.as_mut().filter(|d| d.is_connected())?;
        let sctp = self.sctp.as_mut()?;
        loop {
            let n = sctp.poll_transmit(now, &mut self.plain)?;
            let packet = self.plain.get(..n)?;
            let mut buf = self.tx.take();
            match dtls.seal_application_data(packet, &mut buf) {
                Ok(len) => {
                    return Some(Datagram {
                        local,
                        peer,
                        data: buf,
                        len,
                    });
                }
                Err(_) => {
                    self.stats.dropped_sctp += 1;
                    self.tx.give(buf);
                }
            }
        }
    }

    // ----- timers -----

    pub(crate) fn poll_timeout(&self) -> Option<Instant> {
        if self.closed {
            return None;
        }
        [
            self.ice.as_ref().and_then(IceAgent::poll_timeout),
            self.dtls.as_ref().and_then(DtlsConnection::poll_timeout),
            self.sctp.as_ref().and_then(DataChannels::poll_timeout),
        ]
        .into_iter()
        .flatten()
        .min()
    }

    pub(crate) fn handle_timeout(&mut self, now: Instant) {
        self.touch(now);
        if self.closed {
            return;
        }
        if let Some(ice) = self.ice.as_mut() {
            ice.handle_timeout(now);
        }
        self.drain_ice();
        if let Some(dtls) = self.dtls.as_mut() {
            // A timeout fails the connection and queues its event.
            let _ = dtls.handle_timeout(now);
        }
        self.drain_dtls(now);
        if let Some(sctp) = self.sctp.as_mut() {
            sctp.handle_timeout(now);
        }
    }

    /// Closes everything: SCTP abort and DTLS close_notify go out with the
    /// next `poll_transmit` calls, then nothing more.
    pub(crate) fn close(&mut self) {
        if self.closed {
            return;
        }
        if let Some(sctp) = self.sctp.as_mut() {
            sctp.association_mut().abort(b"");
            // Seal the ABORT now: nothing is pulled from SCTP after close.
            while let Some(d) = self.next_sctp_datagram() {
                self.out.push_back(d);
            }
        }
        let path = self.path();
        if let Some(dtls) = self.dtls.as_mut() {
            dtls.close();
            while let Some(data) = dtls.poll_write() {
                if let Some((local, peer)) = path {
                    self.out.push_back(Datagram::whole(local, peer, data));
                }
            }
            self.set_dtls_state(RTCDtlsTransportState::Closed);
        }
        if let Some(ice) = self.ice.as_mut() {
            ice.close();
        }
        self.drain_ice();
        self.closed = true;
        self.sctp = None;
        self.srtp = None;
    }
}

#[cfg(test)]
#[path = "transport_tests.rs"]
mod tests;
