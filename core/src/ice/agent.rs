//! [`IceAgent`]: the sans-I/O ICE agent (RFC 8445) with trickle (RFC 8838)
//! and consent freshness (RFC 7675). Incoming STUN is handled in
//! `inbound.rs`, outgoing messages are written in `outbound.rs`.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use super::candidate::{Candidate, CandidateAddress, CandidateType, TransportProtocol};
use super::checklist::{Checklist, LocalHost, PairState, RemoteCandidate};
use super::config::{IceConfig, IceCredentials, IceMode, IceRole};
use super::event::{IceConnectionState, IceEvent, IceGatheringState, IceStats, Transmit};
use super::priority::{address_local_preference, candidate_priority, foundation};
use crate::stun::{AttributeType, IntegrityKey, MAX_UNKNOWN_ATTRIBUTES, StunError, TransactionId};
use arrayvec::ArrayVec;

/// One candidate pair as [`IceAgent::pairs`] shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct PairInfo {
    /// The local base address.
    pub local: SocketAddr,
    /// The remote address.
    pub remote: SocketAddr,
    /// Its state.
    pub state: PairState,
    /// Pair priority (RFC 8445 §6.1.2.3) in the current role.
    pub priority: u64,
    /// Whether it was nominated.
    pub nominated: bool,
    /// The type of the remote candidate (peer reflexive until signalled).
    pub remote_type: CandidateType,
}

/// Why the agent refused a call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IceError {
    /// Credentials shorter or longer than RFC 8839 §5.4 allows, or with
    /// characters outside ALPHA / DIGIT / `+` / `/`.
    #[error("invalid ICE credentials")]
    InvalidCredentials,
    /// A STUN message could not be written (the caller's buffer is too
    /// small: give at least 1280 bytes).
    #[error("cannot write STUN message: {0}")]
    Stun(#[from] StunError),
    /// The agent was closed.
    #[error("ICE agent is closed")]
    Closed,
}

/// What a request transaction is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum TxKind {
    /// A connectivity check on the pair (local, remote).
    Check,
    /// A consent freshness request on the selected pair.
    Consent,
    /// A Binding request to a STUN server for a server-reflexive candidate.
    Gather,
}

/// An outstanding request.
#[derive(Debug, Clone)]
pub(crate) struct Transaction {
    pub txid: TransactionId,
    pub kind: TxKind,
    pub source: SocketAddr,
    pub destination: SocketAddr,
    pub use_candidate: bool,
    /// The role claimed in the request (for 487 handling).
    pub role: IceRole,
    pub transmissions: u32,
    pub max_transmissions: u32,
    pub rto: Duration,
    pub next_at: Instant,
}

/// A message waiting for [`IceAgent::poll_transmit`].
#[derive(Debug, Clone)]
pub(crate) enum Outgoing {
    /// (Re)transmit the request of this transaction.
    Request(TransactionId),
    /// Binding success response.
    Success {
        txid: TransactionId,
        source: SocketAddr,
        destination: SocketAddr,
    },
    /// Binding error response (487, or 420 listing `unknown`).
    Error {
        txid: TransactionId,
        source: SocketAddr,
        destination: SocketAddr,
        code: u16,
        unknown: ArrayVec<AttributeType, MAX_UNKNOWN_ATTRIBUTES>,
    },
}

/// The sans-I/O ICE agent. See the module documentation of [`super`] for
/// what it does and does not do yet.
///
/// Drive it like every zerortc state machine: feed datagrams with
/// [`IceAgent::handle_packet`], send what [`IceAgent::poll_transmit`]
/// writes, read [`IceAgent::poll_event`], and call
/// [`IceAgent::handle_timeout`] at [`IceAgent::poll_timeout`].
///
/// Two agents connected in memory, time driven by hand:
///
/// ```
/// use std::time::Instant;
/// use zerortc::ice::{IceAgent, IceConfig, IceConnectionState, IceEvent, IceRole};
///
/// let addrs = ["127.0.0.1:5000".parse()?, "127.0.0.1:6000".parse()?];
/// let mut a = IceAgent::new(IceConfig::new(1))?;
/// let mut b = IceAgent::new(IceConfig { role: IceRole::Controlled, ..IceConfig::new(2) })?;
/// a.add_local_host(addrs[0]);
/// b.add_local_host(addrs[1]);
/// // Signalling: credentials from the SDP, candidates trickled.
/// a.set_remote_credentials(b.local_credentials().clone())?;
/// b.set_remote_credentials(a.local_credentials().clone())?;
/// let mut now = Instant::now();
/// a.gather(now);
/// b.gather(now);
/// let mut agents = [a, b];
/// let mut buf = [0u8; 1500];
/// for _ in 0..100 {
///     for i in 0..2 {
///         while let Some(ev) = agents[i].poll_event() {
///             if let IceEvent::LocalCandidate(c) = ev {
///                 agents[1 - i].add_remote_candidate(&c);
///             }
///         }
///         while let Some(t) = agents[i].poll_transmit(&mut buf)? {
///             // The network: straight to the other agent.
///             agents[1 - i].handle_packet(now, t.destination, t.source, &buf[..t.len]);
///         }
///     }
///     if let Some(at) = agents.iter().filter_map(IceAgent::poll_timeout).min() {
///         now = now.max(at);
///         agents.iter_mut().for_each(|a| a.handle_timeout(now));
///     }
/// }
/// assert_eq!(agents[0].connection_state(), IceConnectionState::Connected);
/// assert_eq!(agents[0].selected_pair(), Some((addrs[0], addrs[1])));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug)]
pub struct IceAgent {
    pub(crate) config: IceConfig,
    pub(crate) rng: ChaCha20Rng,
    pub(crate) role: IceRole,
    pub(crate) tie_breaker: u64,
    pub(crate) local_credentials: IceCredentials,
    pub(crate) local_key: IntegrityKey,
    pub(crate) remote_credentials: Option<IceCredentials>,
    pub(crate) remote_key: Option<IntegrityKey>,
    /// `remote-ufrag:local-ufrag`, the USERNAME of our requests.
    pub(crate) outbound_username: String,
    pub(crate) locals: Vec<LocalHost>,
    pub(crate) remotes: Vec<RemoteCandidate>,
    pub(crate) remote_end_of_candidates: bool,
    pub(crate) checklist: Checklist,
    pub(crate) transactions: Vec<Transaction>,
    pub(crate) outgoing: VecDeque<Outgoing>,
    pub(crate) events: VecDeque<IceEvent>,
    pub(crate) state: IceConnectionState,
    pub(crate) gathering: IceGatheringState,
    pub(crate) selected: Option<(SocketAddr, SocketAddr)>,
    pub(crate) last_check_at: Option<Instant>,
    pub(crate) first_valid_at: Option<Instant>,
    pub(crate) nominating: bool,
    pub(crate) nomination_target: Option<(SocketAddr, SocketAddr)>,
    /// An ICE restart is under way: the old pair carries data until a new
    /// one is nominated.
    pub(crate) restarting: bool,
    /// The latest `now` the agent was given.
    pub(crate) last_now: Option<Instant>,
    pub(crate) next_consent_at: Option<Instant>,
    pub(crate) last_consent_ok: Option<Instant>,
    /// Server-reflexive requests started by [`IceAgent::gather`] (the
    /// `Num-Of-Cands` of the gathering RTO, RFC 8445 §14.3).
    pub(crate) gather_requests: u32,
    /// Since when every pair has failed (no pair selected, nothing in
    /// flight): the start of the wait for more remote candidates.
    pub(crate) all_failed_since: Option<Instant>,
    pub(crate) stats: IceStats,
}

impl IceAgent {
    /// A new agent. A lite agent is always controlled (RFC 8445 §6.1.1).
    pub fn new(config: IceConfig) -> Result<IceAgent, IceError> {
        let mut rng = ChaCha20Rng::seed_from_u64(config.rng_seed);
        let local_credentials = match &config.local_credentials {
            Some(c) if c.is_valid() => c.clone(),
            Some(_) => return Err(IceError::InvalidCredentials),
            None => IceCredentials::random(&mut rng),
        };
        let local_key = IntegrityKey::short_term(&local_credentials.pwd)?;
        let role = match config.mode {
            IceMode::Lite => IceRole::Controlled,
            IceMode::Full => config.role,
        };
        let tie_breaker = rng.next_u64();
        Ok(IceAgent {
            config,
            rng,
            role,
            tie_breaker,
            local_credentials,
            local_key,
            remote_credentials: None,
            remote_key: None,
            outbound_username: String::new(),
            locals: Vec::new(),
            remotes: Vec::new(),
            remote_end_of_candidates: false,
            checklist: Checklist::default(),
            transactions: Vec::new(),
            outgoing: VecDeque::new(),
            events: VecDeque::new(),
            state: IceConnectionState::New,
            gathering: IceGatheringState::New,
            selected: None,
            last_check_at: None,
            first_valid_at: None,
            nominating: false,
            nomination_target: None,
            restarting: false,
            last_now: None,
            next_consent_at: None,
            last_consent_ok: None,
            gather_requests: 0,
            all_failed_since: None,
            stats: IceStats::default(),
        })
    }

    /// Our credentials, for the SDP (`a=ice-ufrag`, `a=ice-pwd`).
    pub fn local_credentials(&self) -> &IceCredentials {
        &self.local_credentials
    }

    /// The current role.
    pub fn role(&self) -> IceRole {
        self.role
    }

    /// The tie-breaker sent in ICE-CONTROLLING / ICE-CONTROLLED.
    pub fn tie_breaker(&self) -> u64 {
        self.tie_breaker
    }

    /// The connection state.
    pub fn connection_state(&self) -> IceConnectionState {
        self.state
    }

    /// The gathering state.
    pub fn gathering_state(&self) -> IceGatheringState {
        self.gathering
    }

    /// The selected pair: (local base, remote address).
    pub fn selected_pair(&self) -> Option<(SocketAddr, SocketAddr)> {
        self.selected
    }

    /// Counters.
    pub fn stats(&self) -> IceStats {
        self.stats
    }

    /// Number of candidate pairs and how many are in each state:
    /// (frozen, waiting, in progress, succeeded, failed).
    pub fn pair_counts(&self) -> (usize, usize, usize, usize, usize) {
        let count = |s| self.checklist.pairs.iter().filter(|p| p.state == s).count();
        (
            count(PairState::Frozen),
            count(PairState::Waiting),
            count(PairState::InProgress),
            count(PairState::Succeeded),
            count(PairState::Failed),
        )
    }

    /// The candidate pairs, highest priority first (for stats and tests).
    pub fn pairs(&self) -> impl Iterator<Item = PairInfo> + '_ {
        self.checklist.pairs.iter().map(|p| PairInfo {
            local: p.local_addr,
            remote: p.remote_addr,
            state: p.state,
            priority: p.priority,
            nominated: p.nominated,
            remote_type: self
                .remotes
                .iter()
                .find(|r| r.addr == p.remote_addr)
                .map_or(CandidateType::PeerReflexive, |r| r.kind),
        })
    }

    /// Sets the peer's credentials (from its SDP).
    pub fn set_remote_credentials(&mut self, credentials: IceCredentials) -> Result<(), IceError> {
        if self.state == IceConnectionState::Closed {
            return Err(IceError::Closed);
        }
        if !credentials.is_valid() {
            return Err(IceError::InvalidCredentials);
        }
        self.remote_key = Some(IntegrityKey::short_term(&credentials.pwd)?);
        self.outbound_username = format!("{}:{}", credentials.ufrag, self.local_credentials.ufrag);
        self.remote_credentials = Some(credentials);
        Ok(())
    }

    /// Adds a local host candidate at `addr` (a UDP socket the application
    /// has bound). Filtered addresses and duplicates are ignored (returns
    /// `false`). Emits [`IceEvent::LocalCandidate`].
    pub fn add_local_host(&mut self, addr: SocketAddr) -> bool {
        if self.state == IceConnectionState::Closed
            || !self.config.filter.accepts(addr.ip())
            || self.locals.iter().any(|l| l.base == addr)
        {
            return false;
        }
        let index = self
            .locals
            .iter()
            .filter(|l| l.base.is_ipv4() == addr.is_ipv4())
            .count();
        let local_preference = address_local_preference(addr.ip(), index);
        let priority = candidate_priority(CandidateType::Host, local_preference, 1);
        let found = foundation(CandidateType::Host, addr.ip(), None, TransportProtocol::Udp);
        let host = LocalHost {
            base: addr,
            priority,
            local_preference,
            foundation: hash_str(&found),
        };
        self.locals.push(host.clone());
        self.events
            .push_back(IceEvent::LocalCandidate(self.candidate_for(
                found,
                priority,
                addr,
                CandidateType::Host,
                None,
            )));
        for remote in &self.remotes {
            self.checklist
                .add_pair(self.role, &host, remote, PairState::Frozen);
        }
        self.checklist.unfreeze_initial();
        true
    }

    fn candidate_for(
        &self,
        foundation: String,
        priority: u32,
        addr: SocketAddr,
        kind: CandidateType,
        related: Option<SocketAddr>,
    ) -> Candidate {
        Candidate {
            foundation,
            component: 1,
            transport: TransportProtocol::Udp,
            priority,
            address: CandidateAddress::Ip(addr.ip()),
            port: addr.port(),
            kind,
            related: related.map(|r| (CandidateAddress::Ip(r.ip()), r.port())),
            tcp_type: None,
            generation: Some(0),
            ufrag: Some(self.local_credentials.ufrag.clone()),
            network_id: None,
            network_cost: None,
            extensions: Vec::new(),
        }
    }

    /// Starts gathering: sends Binding requests to the configured STUN
    /// servers from every host candidate of the same family (full mode).
    /// Gathering completes when all have answered or timed out; without
    /// servers (or in lite mode) it completes at once.
    ///
    /// This is also the call that starts the agent's clock: add the local
    /// host candidates first, then call `gather(now)`; checks start at the
    /// following [`IceAgent::poll_timeout`].
    pub fn gather(&mut self, now: Instant) {
        self.last_now = Some(now);
        if self.gathering != IceGatheringState::New || self.state == IceConnectionState::Closed {
            return;
        }
        self.set_gathering(IceGatheringState::Gathering);
        if self.config.mode == IceMode::Full {
            let servers = self.config.stun_servers.clone();
            let bases: Vec<SocketAddr> = self.locals.iter().map(|l| l.base).collect();
            let requests = servers
                .iter()
                .map(|s| bases.iter().filter(|b| b.is_ipv4() == s.is_ipv4()).count())
                .sum::<usize>();
            self.gather_requests = u32::try_from(requests).unwrap_or(u32::MAX);
            for server in servers {
                for base in bases.iter().filter(|b| b.is_ipv4() == server.is_ipv4()) {
                    self.start_transaction(now, TxKind::Gather, *base, server, false);
                }
            }
        }
        self.check_gathering_complete();
    }

    pub(crate) fn check_gathering_complete(&mut self) {
        if self.gathering == IceGatheringState::Gathering
            && !self.transactions.iter().any(|t| t.kind == TxKind::Gather)
        {
            self.events.push_back(IceEvent::EndOfLocalCandidates);
            self.set_gathering(IceGatheringState::Complete);
        }
    }

    /// A server-reflexive address was learned from `server` for `base`.
    pub(crate) fn add_server_reflexive(
        &mut self,
        base: SocketAddr,
        server: SocketAddr,
        mapped: SocketAddr,
    ) {
        if mapped == base {
            return; // not behind a NAT: the host candidate says it all
        }
        let Some(host) = self.locals.iter().find(|l| l.base == base) else {
            return;
        };
        let priority = candidate_priority(CandidateType::ServerReflexive, host.local_preference, 1);
        let found = foundation(
            CandidateType::ServerReflexive,
            base.ip(),
            Some(server.ip()),
            TransportProtocol::Udp,
        );
        let candidate = self.candidate_for(
            found,
            priority,
            mapped,
            CandidateType::ServerReflexive,
            Some(base),
        );
        // Server-reflexive candidates are signalled but not paired: their
        // base is a host candidate, which is paired already (§6.1.2.4).
        self.events.push_back(IceEvent::LocalCandidate(candidate));
    }

    /// Adds a remote candidate (from the SDP or trickled). Candidates a
    /// UDP agent cannot use are ignored and counted: TCP, unresolved
    /// hostnames (mDNS), components other than 1, another ufrag, filtered
    /// addresses. Returns whether it was added.
    pub fn add_remote_candidate(&mut self, candidate: &Candidate) -> bool {
        let usable = self.state != IceConnectionState::Closed
            && candidate.transport == TransportProtocol::Udp
            && candidate.component == 1
            && candidate.port != 0;
        let ufrag_ok = match (&candidate.ufrag, &self.remote_credentials) {
            (Some(u), Some(c)) => *u == c.ufrag,
            _ => true,
        };
        let addr = candidate.socket_addr();
        let Some(addr) = addr.filter(|a| usable && ufrag_ok && self.config.filter.accepts(a.ip()))
        else {
            self.stats.ignored_remote_candidates += 1;
            return false;
        };
        if let Some(existing) = self.remotes.iter_mut().find(|r| r.addr == addr) {
            if existing.kind == CandidateType::PeerReflexive {
                // The signalled candidate replaces the peer-reflexive one
                // learned from a check: its type, priority and foundation
                // count from now on (RFC 8445 §7.3.1.3).
                existing.kind = candidate.kind;
                existing.priority = candidate.priority;
                existing.foundation = hash_str(&candidate.foundation);
                let (priority, foundation) = (existing.priority, existing.foundation);
                for pair in self
                    .checklist
                    .pairs
                    .iter_mut()
                    .filter(|p| p.remote_addr == addr)
                {
                    pair.remote_priority = priority;
                    pair.foundation.1 = foundation;
                }
                self.checklist.recompute_priorities(self.role);
            }
            return false;
        }
        let remote = RemoteCandidate {
            addr,
            priority: candidate.priority,
            kind: candidate.kind,
            foundation: hash_str(&candidate.foundation),
        };
        self.add_remote(remote);
        true
    }

    pub(crate) fn add_remote(&mut self, remote: RemoteCandidate) {
        for host in &self.locals {
            self.checklist
                .add_pair(self.role, host, &remote, PairState::Frozen);
        }
        self.remotes.push(remote);
        self.checklist.unfreeze_initial();
        if self.state == IceConnectionState::New && !self.locals.is_empty() {
            self.set_state(IceConnectionState::Checking);
        }
    }

    /// The peer signalled `a=end-of-candidates` (RFC 8838 §4.4): once
    /// every pair has failed, the agent may declare failure.
    pub fn end_of_remote_candidates(&mut self) {
        self.remote_end_of_candidates = true;
    }

    /// ICE restart (RFC 8445 §9): new local credentials (random when
    /// `None`); remote credentials, remote candidates, pairs and checks
    /// are dropped; local host candidates are signalled again with the new
    /// ufrag and gathering starts over. The selected pair keeps carrying
    /// data (and its consent timer runs on) until a new pair is
    /// nominated. Call [`IceAgent::set_remote_credentials`] with the
    /// peer's new credentials, then add its candidates.
    pub fn restart(
        &mut self,
        now: Instant,
        credentials: Option<IceCredentials>,
    ) -> Result<(), IceError> {
        if self.state == IceConnectionState::Closed {
            return Err(IceError::Closed);
        }
        let credentials = match credentials {
            Some(c) if c.is_valid() => c,
            Some(_) => return Err(IceError::InvalidCredentials),
            None => IceCredentials::random(&mut self.rng),
        };
        self.local_key = IntegrityKey::short_term(&credentials.pwd)?;
        self.local_credentials = credentials;
        self.remote_credentials = None;
        self.remote_key = None;
        self.outbound_username.clear();
        self.remotes.clear();
        self.remote_end_of_candidates = false;
        self.checklist = Checklist::default();
        self.transactions.clear();
        self.outgoing.clear();
        self.first_valid_at = None;
        self.nominating = false;
        self.nomination_target = None;
        self.last_check_at = None;
        self.all_failed_since = None;
        self.restarting = self.selected.is_some();
        if self.selected.is_none() {
            // Out of failed (or new): checking again with the new credentials.
            self.state = IceConnectionState::New;
        }
        let locals = std::mem::take(&mut self.locals);
        for local in locals {
            self.add_local_host(local.base);
        }
        self.gathering = IceGatheringState::New;
        self.gather(now);
        if self.selected.is_none() {
            self.set_state(IceConnectionState::Checking);
        }
        Ok(())
    }

    /// Closes the agent: no more packets, state closed.
    pub fn close(&mut self) {
        self.transactions.clear();
        self.outgoing.clear();
        self.checklist = Checklist::default();
        self.selected = None;
        self.set_state(IceConnectionState::Closed);
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<IceEvent> {
        self.events.pop_front()
    }

    pub(crate) fn set_state(&mut self, state: IceConnectionState) {
        if self.state != state && self.state != IceConnectionState::Closed {
            self.state = state;
            self.events
                .push_back(IceEvent::ConnectionStateChange(state));
        }
    }

    fn set_gathering(&mut self, state: IceGatheringState) {
        if self.gathering != state {
            self.gathering = state;
            self.events.push_back(IceEvent::GatheringStateChange(state));
        }
    }

    pub(crate) fn new_txid(&mut self) -> TransactionId {
        let mut id = [0u8; 12];
        self.rng.fill_bytes(&mut id);
        TransactionId(id)
    }

    /// Creates a request transaction and queues its first transmission.
    pub(crate) fn start_transaction(
        &mut self,
        now: Instant,
        kind: TxKind,
        source: SocketAddr,
        destination: SocketAddr,
        use_candidate: bool,
    ) {
        let txid = self.new_txid();
        let max_transmissions = match kind {
            // A consent request is retransmitted while the next one is not
            // due yet: 4 transmissions at 0, 0.5, 1.5 and 3.5 s with the
            // default RTO.
            TxKind::Consent => self.config.max_transmissions.clamp(1, 4),
            TxKind::Check | TxKind::Gather => self.config.max_transmissions.max(1),
        };
        let rto = self.first_rto(kind);
        self.transactions.push(Transaction {
            txid,
            kind,
            source,
            destination,
            use_candidate,
            role: self.role,
            transmissions: 1,
            max_transmissions,
            rto,
            next_at: now + rto,
        });
        self.outgoing.push_back(Outgoing::Request(txid));
        match kind {
            TxKind::Check => self.stats.checks_sent += 1,
            TxKind::Consent => self.stats.consent_checks_sent += 1,
            TxKind::Gather => {}
        }
    }

    /// The first retransmission timeout of a new request (RFC 8445 §14.3):
    /// for a check `max(initial_rto, Ta × (Waiting + In-Progress pairs))`,
    /// so that every pair is checked once before the first retransmission;
    /// for a gathering request `max(initial_rto, Ta × requests)`; for a
    /// consent request `initial_rto`.
    pub(crate) fn first_rto(&self, kind: TxKind) -> Duration {
        let pending = match kind {
            TxKind::Check => self
                .checklist
                .pairs
                .iter()
                .filter(|p| matches!(p.state, PairState::Waiting | PairState::InProgress))
                .count(),
            TxKind::Gather => self.gather_requests as usize,
            TxKind::Consent => 0,
        };
        let paced = self
            .config
            .ta
            .saturating_mul(u32::try_from(pending).unwrap_or(u32::MAX));
        self.config.initial_rto.max(paced)
    }

    /// Whether a check could be started now (pacing aside).
    fn has_check_to_send(&self) -> bool {
        self.config.mode == IceMode::Full
            && self.remote_key.is_some()
            && self.checklist.peek_next().is_some()
    }

    /// When the agent wants [`IceAgent::handle_timeout`] called next.
    pub fn poll_timeout(&self) -> Option<Instant> {
        if matches!(
            self.state,
            IceConnectionState::Closed | IceConnectionState::Failed
        ) {
            return None;
        }
        let mut next: Option<Instant> = None;
        let mut consider = |t: Option<Instant>| {
            if let Some(t) = t {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        };
        if self.has_check_to_send() {
            // The first check goes out as soon as possible: at the last
            // time the agent was told about.
            consider(
                self.last_check_at
                    .map(|t| t + self.config.ta)
                    .or(self.last_now),
            );
        }
        for t in &self.transactions {
            consider(Some(t.next_at));
        }
        consider(self.next_consent_at);
        if let Some(since) = self.all_failed_since
            && !self.remote_end_of_candidates
        {
            consider(Some(since + self.config.end_of_candidates_timeout));
        }
        if let Some(ok) = self.last_consent_ok
            && self.selected.is_some()
        {
            if self.state != IceConnectionState::Disconnected {
                consider(Some(ok + self.config.disconnected_timeout));
            }
            consider(Some(ok + self.config.consent_timeout));
        }
        if let Some(first) = self.first_valid_at
            && self.needs_nomination()
        {
            consider(Some(if self.nomination_ready() {
                first
            } else {
                first + self.config.nomination_delay
            }));
        }
        next
    }

    pub(crate) fn needs_nomination(&self) -> bool {
        self.config.mode == IceMode::Full
            && self.role == IceRole::Controlling
            && (self.selected.is_none() || self.restarting)
            && !self.nominating
    }

    /// Runs what is due at `now`: retransmissions and timeouts, the next
    /// paced check, nomination, consent checks and consent expiry.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.last_now = Some(now);
        if matches!(
            self.state,
            IceConnectionState::Closed | IceConnectionState::Failed
        ) {
            return;
        }
        self.run_transactions(now);
        if self.has_check_to_send()
            && self.last_check_at.is_none_or(|t| now >= t + self.config.ta)
            && let Some(i) = self.checklist.next_check()
        {
            self.send_check(now, i);
        }
        self.maybe_nominate(now);
        self.run_consent(now);
        self.update_failed(now);
    }

    fn run_transactions(&mut self, now: Instant) {
        let mut i = 0;
        while let Some(t) = self.transactions.get_mut(i) {
            if now < t.next_at {
                i += 1;
                continue;
            }
            if t.transmissions < t.max_transmissions {
                t.transmissions += 1;
                // Doubling up to max_rto; a first RTO above it (many
                // pairs) is kept, never shortened.
                t.rto = t.rto.saturating_mul(2).min(self.config.max_rto.max(t.rto));
                t.next_at = now + t.rto;
                let txid = t.txid;
                self.outgoing.push_back(Outgoing::Request(txid));
                self.stats.retransmissions += 1;
                i += 1;
            } else {
                let t = self.transactions.remove(i);
                self.transaction_timed_out(&t);
            }
        }
    }

    fn transaction_timed_out(&mut self, t: &Transaction) {
        match t.kind {
            TxKind::Gather => self.check_gathering_complete(),
            TxKind::Consent => {}
            TxKind::Check => {
                if t.use_candidate {
                    self.nominating = false;
                }
                if let Some(i) = self.checklist.find(t.source, t.destination)
                    && let Some(pair) = self.checklist.pairs.get_mut(i)
                    && pair.state == PairState::InProgress
                {
                    pair.state = PairState::Failed;
                }
            }
        }
    }

    /// Starts a check on pair `i` (ordinary or triggered).
    pub(crate) fn send_check(&mut self, now: Instant, i: usize) {
        let Some(pair) = self.checklist.pairs.get_mut(i) else {
            return;
        };
        if pair.state != PairState::Succeeded {
            pair.state = PairState::InProgress;
        }
        let (source, destination) = (pair.local_addr, pair.remote_addr);
        let use_candidate = self.role == IceRole::Controlling
            && self.nominating
            && self.nomination_target == Some((source, destination));
        self.last_check_at = Some(now);
        self.start_transaction(now, TxKind::Check, source, destination, use_candidate);
        if self.state == IceConnectionState::New {
            self.set_state(IceConnectionState::Checking);
        }
    }

    pub(crate) fn maybe_nominate(&mut self, now: Instant) {
        if !self.needs_nomination() {
            return;
        }
        let Some(first) = self.first_valid_at else {
            return;
        };
        let Some(best) = self.checklist.best_valid() else {
            return;
        };
        // Nominate when no pair above the best valid one is still pending,
        // or when the nomination delay is over.
        if !self.nomination_ready() && now < first + self.config.nomination_delay {
            return;
        }
        if let Some(pair) = self.checklist.pairs.get(best) {
            self.nominating = true;
            self.nomination_target = Some((pair.local_addr, pair.remote_addr));
            self.checklist.trigger(best);
        }
    }

    /// Whether a valid pair exists and no pair of higher priority is still
    /// pending.
    fn nomination_ready(&self) -> bool {
        self.checklist.best_valid().is_some_and(|best| {
            !self.checklist.pairs.iter().take(best).any(|p| {
                matches!(
                    p.state,
                    PairState::Waiting | PairState::InProgress | PairState::Frozen
                )
            })
        })
    }

    /// Selects `(local, remote)` as the pair carrying data.
    pub(crate) fn select(&mut self, now: Instant, local: SocketAddr, remote: SocketAddr) {
        if self.selected == Some((local, remote)) && !self.restarting {
            return;
        }
        self.restarting = false;
        self.selected = Some((local, remote));
        self.last_consent_ok = Some(now);
        self.schedule_consent(now);
        self.events
            .push_back(IceEvent::SelectedPairChange { local, remote });
        if self.role == IceRole::Controlling {
            // Regular nomination done: stop the ordinary checks (§8.1.2).
            for pair in &mut self.checklist.pairs {
                if matches!(pair.state, PairState::Waiting | PairState::Frozen) {
                    pair.state = PairState::Failed;
                }
            }
            self.checklist.triggered.clear();
        }
        self.update_connected();
    }

    pub(crate) fn update_connected(&mut self) {
        if self.selected.is_none() {
            return;
        }
        let done = self.checklist.all_done()
            && !self.transactions.iter().any(|t| t.kind == TxKind::Check)
            && (self.remote_end_of_candidates || self.config.mode == IceMode::Lite);
        self.set_state(if done {
            IceConnectionState::Completed
        } else {
            IceConnectionState::Connected
        });
    }

    fn schedule_consent(&mut self, now: Instant) {
        if self.config.mode == IceMode::Lite {
            return; // a lite agent sends no requests; it watches the peer's
        }
        // 0.8 .. 1.2 × the interval (RFC 7675 §5.1).
        let jitter = 800 + u64::from(self.rng.next_u32() % 401);
        let interval =
            (self.config.consent_interval.as_millis() as u64).saturating_mul(jitter) / 1000;
        self.next_consent_at = Some(now + Duration::from_millis(interval));
    }

    fn run_consent(&mut self, now: Instant) {
        let Some((local, remote)) = self.selected else {
            self.next_consent_at = None;
            return;
        };
        if let Some(at) = self.next_consent_at
            && now >= at
        {
            if self.remote_key.is_some() {
                self.start_transaction(now, TxKind::Consent, local, remote, false);
            }
            self.schedule_consent(now);
        }
        let Some(ok) = self.last_consent_ok else {
            return;
        };
        if now >= ok + self.config.consent_timeout {
            // Consent lost (RFC 7675 §5.1): stop sending, ICE has failed
            // until a restart.
            self.selected = None;
            self.next_consent_at = None;
            self.last_consent_ok = None;
            self.transactions.clear();
            self.outgoing.clear();
            self.checklist.triggered.clear();
            for pair in &mut self.checklist.pairs {
                pair.state = PairState::Failed;
            }
            self.set_state(IceConnectionState::Failed);
        } else if now >= ok + self.config.disconnected_timeout {
            self.set_state(IceConnectionState::Disconnected);
        }
    }

    /// A consent (or check) response, or for a lite agent a request, came
    /// on the selected pair.
    pub(crate) fn consent_refreshed(
        &mut self,
        now: Instant,
        local: SocketAddr,
        remote: SocketAddr,
    ) {
        if self.selected == Some((local, remote)) {
            self.last_consent_ok = Some(now);
            if self.state == IceConnectionState::Disconnected {
                self.update_connected();
            }
        }
    }

    /// Without a selected pair: fail once every pair failed and nothing
    /// more can come. With the peer's end-of-candidates that is at once;
    /// without it the agent waits `end_of_candidates_timeout` (counted
    /// from when the last pair failed; a new remote candidate restarts
    /// the wait). Our own gathering must be complete; a lite agent never
    /// fails this way (it has no checks; consent expiry applies).
    pub(crate) fn update_failed(&mut self, now: Instant) {
        if self.selected.is_some()
            || self.config.mode == IceMode::Lite
            || self.gathering == IceGatheringState::Gathering
            || matches!(
                self.state,
                IceConnectionState::Failed | IceConnectionState::New | IceConnectionState::Closed
            )
        {
            self.all_failed_since = None;
            return;
        }
        let all_failed = self.checklist.triggered.is_empty()
            && self
                .checklist
                .pairs
                .iter()
                .all(|p| p.state == PairState::Failed)
            && !self.transactions.iter().any(|t| t.kind == TxKind::Check);
        if !all_failed {
            self.all_failed_since = None;
            return;
        }
        if self.remote_end_of_candidates {
            self.all_failed_since = None;
            self.set_state(IceConnectionState::Failed);
            return;
        }
        if self.checklist.pairs.is_empty() {
            // Nothing tried yet: keep waiting for the peer's candidates.
            self.all_failed_since = None;
            return;
        }
        let since = *self.all_failed_since.get_or_insert(now);
        if now >= since + self.config.end_of_candidates_timeout {
            self.all_failed_since = None;
            self.set_state(IceConnectionState::Failed);
        }
    }

    /// Writes the next datagram to send into `buf` (give at least 1280
    /// bytes) and says where it goes.
    pub fn poll_transmit(&mut self, buf: &mut [u8]) -> Result<Option<Transmit>, IceError> {
        while let Some(out) = self.outgoing.pop_front() {
            if let Some(t) = self.write_outgoing(&out, buf)? {
                return Ok(Some(t));
            }
        }
        Ok(None)
    }
}

/// A 64-bit FNV-1a hash of a foundation string.
pub(crate) fn hash_str(s: &str) -> u64 {
    let mut hash: u64 = 0xCBF2_9CE4_8422_2325;
    for b in s.bytes() {
        hash ^= u64::from(b);
        hash = hash.wrapping_mul(0x0100_0000_01B3);
    }
    hash
}
