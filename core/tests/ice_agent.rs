//! Two ICE agents in memory under the deterministic network simulator
//! (`sim/`): both roles, full and lite, trickle in any order, role
//! conflicts, consent loss after a cut, restart mid-session, loss and
//! jitter, bad input. Every run is reproducible from its seed.

mod sim;

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use sim::{LinkConditions, Network};
use zerortc::ice::{
    Candidate, IceAgent, IceConfig, IceConnectionState, IceCredentials, IceEvent,
    IceGatheringState, IceMode, IceRole, PairState,
};

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// What one side signals to the other.
#[derive(Debug, Clone)]
enum Signal {
    Candidate(Candidate),
    EndOfCandidates,
}

struct Peer {
    agent: IceAgent,
    addrs: Vec<SocketAddr>,
    states: Vec<IceConnectionState>,
    selected: Vec<(SocketAddr, SocketAddr)>,
    roles: Vec<IceRole>,
    gathering: Vec<IceGatheringState>,
}

struct Harness {
    net: Network,
    peers: [Peer; 2],
    /// (deliver at, to peer, signal)
    signaling: Vec<(Instant, usize, Signal)>,
    /// Random extra delay of each signalling message, up to this.
    signaling_jitter: Duration,
    /// Whether to forward candidates at all (off to hold them back).
    forward_candidates: bool,
    /// Whether to forward end-of-candidates (off: a peer that never
    /// signals it).
    forward_end_of_candidates: bool,
    buf: Vec<u8>,
}

fn config(seed: u64, mode: IceMode, role: IceRole) -> IceConfig {
    IceConfig {
        mode,
        role,
        ..IceConfig::new(seed)
    }
}

impl Harness {
    fn new(seed: u64, conditions: LinkConditions, a: IceConfig, b: IceConfig) -> Harness {
        Self::with_addrs(
            seed,
            conditions,
            a,
            b,
            &[&["127.0.0.1:5000"], &["127.0.0.1:6000"]],
        )
    }

    fn with_addrs(
        seed: u64,
        conditions: LinkConditions,
        a: IceConfig,
        b: IceConfig,
        addrs: &[&[&str]; 2],
    ) -> Harness {
        let net = Network::new(seed, conditions);
        let now = net.now();
        let make = |config: IceConfig, addrs: &[&str]| {
            let mut agent = IceAgent::new(config).unwrap();
            let addrs: Vec<SocketAddr> = addrs.iter().map(|a| addr(a)).collect();
            for a in &addrs {
                assert!(agent.add_local_host(*a));
            }
            Peer {
                agent,
                addrs,
                states: Vec::new(),
                selected: Vec::new(),
                roles: Vec::new(),
                gathering: Vec::new(),
            }
        };
        let mut peers = [make(a, addrs[0]), make(b, addrs[1])];
        let creds: Vec<IceCredentials> = peers
            .iter()
            .map(|p| p.agent.local_credentials().clone())
            .collect();
        peers[0]
            .agent
            .set_remote_credentials(creds[1].clone())
            .unwrap();
        peers[1]
            .agent
            .set_remote_credentials(creds[0].clone())
            .unwrap();
        for p in &mut peers {
            p.agent.gather(now);
        }
        Harness {
            net,
            peers,
            signaling: Vec::new(),
            signaling_jitter: Duration::ZERO,
            forward_candidates: true,
            forward_end_of_candidates: true,
            buf: vec![0u8; 1500],
        }
    }

    fn now(&self) -> Instant {
        self.net.now()
    }

    /// Drains events and transmits of both peers.
    fn flush(&mut self) {
        for i in 0..2 {
            while let Some(ev) = self.peers[i].agent.poll_event() {
                let signal = match ev {
                    IceEvent::LocalCandidate(c) => Some(Signal::Candidate(c)),
                    IceEvent::EndOfLocalCandidates => Some(Signal::EndOfCandidates),
                    IceEvent::ConnectionStateChange(s) => {
                        self.peers[i].states.push(s);
                        None
                    }
                    IceEvent::SelectedPairChange { local, remote } => {
                        self.peers[i].selected.push((local, remote));
                        None
                    }
                    IceEvent::RoleChange(r) => {
                        self.peers[i].roles.push(r);
                        None
                    }
                    IceEvent::GatheringStateChange(g) => {
                        self.peers[i].gathering.push(g);
                        None
                    }
                    other => panic!("unexpected event {other:?}"),
                };
                if let Some(signal) = signal {
                    let jitter = self.signaling_jitter.mul_f64(self.net.rng().unit());
                    let mut at = self.now() + jitter;
                    if matches!(signal, Signal::EndOfCandidates) {
                        // After every candidate of that peer.
                        for (t, to, _) in &self.signaling {
                            if *to == 1 - i {
                                at = at.max(*t);
                            }
                        }
                    }
                    self.signaling.push((at, 1 - i, signal));
                }
            }
            while let Some(t) = self.peers[i].agent.poll_transmit(&mut self.buf).unwrap() {
                assert!(self.peers[i].addrs.contains(&t.source));
                let data = self.buf[..t.len].to_vec();
                self.net.send(t.source, t.destination, &data);
            }
        }
    }

    /// Delivers the signalling messages that are due, in time order (end
    /// of candidates always after that peer's candidates).
    fn deliver_signaling(&mut self) {
        if !self.forward_candidates {
            return;
        }
        let now = self.now();
        self.signaling
            .sort_by_key(|(at, _, s)| (*at, matches!(s, Signal::EndOfCandidates)));
        while let Some(pos) = self.signaling.iter().position(|(at, _, _)| *at <= now) {
            let (_, to, signal) = self.signaling.remove(pos);
            match signal {
                Signal::Candidate(c) => {
                    // Through the SDP text form, as a browser would see it.
                    let line = format!("a={c}\r\n");
                    let parsed = Candidate::parse(&line).unwrap();
                    self.peers[to].agent.add_remote_candidate(&parsed);
                }
                Signal::EndOfCandidates => {
                    if self.forward_end_of_candidates {
                        self.peers[to].agent.end_of_remote_candidates();
                    }
                }
            }
        }
    }

    /// One step of the event loop; false when nothing is left to happen.
    fn step(&mut self, limit: Instant) -> bool {
        self.flush();
        self.deliver_signaling();
        self.flush();
        let mut next = self.net.next_delivery();
        for p in &self.peers {
            if let Some(t) = p.agent.poll_timeout() {
                next = Some(next.map_or(t, |n| n.min(t)));
            }
        }
        if self.forward_candidates
            && let Some(t) = self.signaling.iter().map(|(at, _, _)| *at).min()
        {
            next = Some(next.map_or(t, |n| n.min(t)));
        }
        let Some(next) = next else {
            return false;
        };
        if next > limit {
            self.net.advance_to(limit);
            return false;
        }
        self.net.advance_to(next);
        let now = self.now();
        while let Some(d) = self.net.deliver_due() {
            let to = self.peers.iter().position(|p| p.addrs.contains(&d.to));
            if let Some(i) = to {
                assert!(
                    self.peers[i]
                        .agent
                        .handle_packet(now, d.to, d.from, &d.data)
                );
            }
        }
        for p in &mut self.peers {
            if p.agent.poll_timeout().is_some_and(|t| t <= now) {
                p.agent.handle_timeout(now);
            }
        }
        true
    }

    /// Runs until `done` holds or `max` of virtual time passes; returns
    /// the virtual time it took.
    fn run_until(
        &mut self,
        max: Duration,
        mut done: impl FnMut(&Harness) -> bool,
    ) -> Option<Duration> {
        let start = self.now();
        let limit = start + max;
        let mut steps = 0;
        loop {
            if done(self) {
                self.flush();
                return Some(self.now() - start);
            }
            steps += 1;
            if steps > 999_990 {
                eprintln!(
                    "now {:?} timeouts {:?} {:?} states {:?} {:?} pairs {:?} {:?} net {:?}",
                    self.net.elapsed(),
                    self.peers[0]
                        .agent
                        .poll_timeout()
                        .map(|t| t - self.net.now()),
                    self.peers[1]
                        .agent
                        .poll_timeout()
                        .map(|t| t - self.net.now()),
                    self.state(0),
                    self.state(1),
                    self.peers[0].agent.pair_counts(),
                    self.peers[1].agent.pair_counts(),
                    self.net.next_delivery().map(|t| t - self.net.now()),
                );
            }
            assert!(steps < 1_000_000, "event loop does not advance");
            if !self.step(limit) {
                return done(self).then(|| self.now() - start);
            }
        }
    }

    fn run_for(&mut self, d: Duration) {
        let limit = self.now() + d;
        let mut steps = 0;
        while self.step(limit) {
            steps += 1;
            if steps > 999_990 {
                eprintln!(
                    "now {:?} timeouts {:?} {:?} states {:?} {:?} pairs {:?} {:?} net {:?} sel {:?} {:?}",
                    self.net.elapsed(),
                    self.peers[0]
                        .agent
                        .poll_timeout()
                        .map(|t| t - self.net.now()),
                    self.peers[1]
                        .agent
                        .poll_timeout()
                        .map(|t| t - self.net.now()),
                    self.state(0),
                    self.state(1),
                    self.peers[0].agent.pair_counts(),
                    self.peers[1].agent.pair_counts(),
                    self.net.next_delivery().map(|t| t - self.net.now()),
                    self.peers[0].agent.selected_pair(),
                    self.peers[1].agent.selected_pair(),
                );
            }
            assert!(steps < 1_000_000, "event loop does not advance");
        }
    }

    fn state(&self, i: usize) -> IceConnectionState {
        self.peers[i].agent.connection_state()
    }

    fn both_connected(&self) -> bool {
        (0..2).all(|i| {
            matches!(
                self.state(i),
                IceConnectionState::Connected | IceConnectionState::Completed
            )
        })
    }

    /// Both sides selected the same path (each other's mirror).
    fn assert_same_pair(&self) {
        let a = self.peers[0].agent.selected_pair().unwrap();
        let b = self.peers[1].agent.selected_pair().unwrap();
        assert_eq!((a.0, a.1), (b.1, b.0));
    }
}

const DELAY: Duration = Duration::from_millis(20);

#[test]
fn controlling_full_connects_with_controlled_full() {
    let mut h = Harness::new(
        1,
        LinkConditions::ideal(DELAY),
        config(11, IceMode::Full, IceRole::Controlling),
        config(12, IceMode::Full, IceRole::Controlled),
    );
    let took = h
        .run_until(Duration::from_secs(10), Harness::both_connected)
        .unwrap();
    h.assert_same_pair();
    // One Ta for the first check, a round trip, and the nomination round trip.
    assert!(took < Duration::from_millis(300), "{took:?}");
    assert_eq!(h.peers[0].states[0], IceConnectionState::Checking);
    assert!(matches!(
        h.peers[0].states[1],
        IceConnectionState::Connected | IceConnectionState::Completed
    ));
    assert_eq!(h.peers[1].states[0], IceConnectionState::Checking);
    assert_eq!(h.peers[0].selected.len(), 1);
    assert_eq!(
        h.peers[0].gathering,
        [IceGatheringState::Gathering, IceGatheringState::Complete]
    );
    // Once both sides have seen end-of-candidates and every check is
    // done, the state is completed.
    h.run_for(Duration::from_secs(1));
    assert_eq!(h.state(0), IceConnectionState::Completed);
    assert_eq!(h.state(1), IceConnectionState::Completed);
    assert_eq!(h.peers[0].agent.role(), IceRole::Controlling);
    assert_eq!(h.peers[1].agent.role(), IceRole::Controlled);
    let s = h.peers[0].agent.stats();
    assert_eq!(
        s.dropped_bad_integrity + s.dropped_malformed + s.dropped_unknown_transaction,
        0
    );
}

#[test]
fn connects_under_loss_jitter_reordering_and_duplication_for_many_seeds() {
    let conditions = LinkConditions {
        loss: 0.10,
        jitter: Duration::from_millis(15),
        reorder: 0.05,
        reorder_delay: Duration::from_millis(40),
        duplicate: 0.05,
        ..LinkConditions::ideal(DELAY)
    };
    let mut times = Vec::new();
    for seed in 0..30 {
        let mut h = Harness::new(
            seed,
            conditions,
            config(100 + seed, IceMode::Full, IceRole::Controlling),
            config(200 + seed, IceMode::Full, IceRole::Controlled),
        );
        let took = h
            .run_until(Duration::from_secs(20), Harness::both_connected)
            .unwrap_or_else(|| panic!("seed {seed} did not connect"));
        h.assert_same_pair();
        times.push(took);
    }
    times.sort();
    // With 10 % loss most runs connect without a retransmission.
    assert!(
        times[times.len() / 2] < Duration::from_millis(600),
        "{times:?}"
    );
    assert!(times[times.len() - 1] < Duration::from_secs(5), "{times:?}");
}

#[test]
fn full_controlling_connects_with_lite() {
    let mut h = Harness::new(
        2,
        LinkConditions::lossy(DELAY, 0.05),
        config(21, IceMode::Full, IceRole::Controlling),
        // Asked for controlling, but a lite agent is always controlled.
        config(22, IceMode::Lite, IceRole::Controlling),
    );
    assert_eq!(h.peers[1].agent.role(), IceRole::Controlled);
    h.run_until(Duration::from_secs(10), Harness::both_connected)
        .unwrap();
    h.assert_same_pair();
    let lite = h.peers[1].agent.stats();
    assert_eq!(
        lite.checks_sent + lite.consent_checks_sent,
        0,
        "a lite agent sends no requests"
    );
    // The lite side stays connected as long as the consent checks of the
    // full side arrive.
    h.run_for(Duration::from_secs(60));
    assert!(h.both_connected(), "{:?} {:?}", h.state(0), h.state(1));
    assert!(h.peers[0].agent.stats().consent_checks_sent >= 10);
}

#[test]
fn lite_agent_takes_the_peers_checks_as_consent_and_fails_without_them() {
    let mut h = Harness::new(
        3,
        LinkConditions::ideal(DELAY),
        config(31, IceMode::Full, IceRole::Controlling),
        config(32, IceMode::Lite, IceRole::Controlled),
    );
    h.run_until(Duration::from_secs(10), Harness::both_connected)
        .unwrap();
    // A lite agent has no checklist of its own: once selected it is
    // completed at once (it cannot learn of better pairs by itself).
    assert_eq!(h.state(1), IceConnectionState::Completed);
    h.run_for(Duration::from_secs(20));
    assert!(h.both_connected());
    // The full peer goes quiet (cable pulled): the lite agent sees no
    // more checks, goes disconnected 8 s after the last one and failed
    // after 30 s (RFC 7675 §5.1 timings), and never sends a request.
    h.net.cut(h.peers[0].addrs[0], h.peers[1].addrs[0]);
    let disconnected = h
        .run_until(Duration::from_secs(60), |h| {
            h.state(1) == IceConnectionState::Disconnected
        })
        .unwrap();
    assert!(disconnected <= Duration::from_secs(8), "{disconnected:?}");
    let failed = h
        .run_until(Duration::from_secs(60), |h| {
            h.state(1) == IceConnectionState::Failed
        })
        .unwrap();
    assert!(
        disconnected + failed > Duration::from_secs(22)
            && disconnected + failed <= Duration::from_secs(30),
        "{disconnected:?} + {failed:?}"
    );
    assert_eq!(h.peers[1].agent.selected_pair(), None);
    let lite = h.peers[1].agent.stats();
    assert_eq!(lite.checks_sent + lite.consent_checks_sent, 0);
}

#[test]
fn trickle_in_any_order() {
    for seed in 0..20 {
        let mut h = Harness::with_addrs(
            seed,
            LinkConditions::ideal(DELAY),
            config(300 + seed, IceMode::Full, IceRole::Controlling),
            config(400 + seed, IceMode::Full, IceRole::Controlled),
            &[
                &["127.0.0.1:5000", "[::1]:5000", "127.0.0.2:5000"],
                &["127.0.0.1:6000", "[::1]:6000"],
            ],
        );
        // Each candidate (and end-of-candidates) arrives after a random
        // delay of up to 2 s, so checks from one side reach the other
        // before it knows the candidate (peer-reflexive first).
        h.signaling_jitter = Duration::from_secs(2);
        h.run_until(Duration::from_secs(20), Harness::both_connected)
            .unwrap_or_else(|| panic!("seed {seed}"));
        h.assert_same_pair();
        h.run_for(Duration::from_secs(5));
        assert!(
            h.both_connected(),
            "seed {seed}: {:?} {:?} {:?} {:?} {:?} {:?}",
            h.peers[0].states,
            h.peers[1].states,
            h.peers[0].selected,
            h.peers[1].selected,
            h.peers[0].agent.stats(),
            h.peers[1].agent.stats()
        );
    }
}

#[test]
fn ipv6_is_preferred_when_both_families_work() {
    let mut h = Harness::with_addrs(
        8,
        LinkConditions::ideal(DELAY),
        config(81, IceMode::Full, IceRole::Controlling),
        config(82, IceMode::Full, IceRole::Controlled),
        &[
            &["127.0.0.1:5000", "[::1]:5000"],
            &["127.0.0.1:6000", "[::1]:6000"],
        ],
    );
    h.run_until(Duration::from_secs(5), Harness::both_connected)
        .unwrap();
    h.assert_same_pair();
    assert!(h.peers[0].agent.selected_pair().unwrap().0.is_ipv6());
    assert_eq!(
        h.peers[0].agent.pair_counts().3,
        1,
        "nominated as soon as the best pair worked"
    );
}

#[test]
fn candidates_held_back_then_released() {
    let mut h = Harness::new(
        3,
        LinkConditions::ideal(DELAY),
        config(31, IceMode::Full, IceRole::Controlling),
        config(32, IceMode::Full, IceRole::Controlled),
    );
    h.forward_candidates = false;
    h.run_for(Duration::from_secs(3));
    assert_eq!(h.state(0), IceConnectionState::New);
    assert_eq!(h.peers[0].agent.stats().checks_sent, 0);
    h.forward_candidates = true;
    h.run_until(Duration::from_secs(5), Harness::both_connected)
        .unwrap();
    h.assert_same_pair();
}

#[test]
fn role_conflicts_resolve() {
    for (ra, rb) in [
        (IceRole::Controlling, IceRole::Controlling),
        (IceRole::Controlled, IceRole::Controlled),
    ] {
        for seed in 0..5 {
            let mut h = Harness::new(
                seed,
                LinkConditions::lossy(DELAY, 0.05),
                config(500 + seed, IceMode::Full, ra),
                config(600 + seed, IceMode::Full, rb),
            );
            h.run_until(Duration::from_secs(10), Harness::both_connected)
                .unwrap_or_else(|| panic!("{ra:?}/{rb:?} seed {seed}"));
            h.assert_same_pair();
            assert_ne!(h.peers[0].agent.role(), h.peers[1].agent.role());
            // The side with the larger tie-breaker ends up controlling.
            let (ta, tb) = (
                h.peers[0].agent.tie_breaker(),
                h.peers[1].agent.tie_breaker(),
            );
            let expected = if ta >= tb {
                IceRole::Controlling
            } else {
                IceRole::Controlled
            };
            assert_eq!(h.peers[0].agent.role(), expected);
            let conflicts =
                h.peers[0].agent.stats().role_conflicts + h.peers[1].agent.stats().role_conflicts;
            assert!(conflicts > 0);
            assert_eq!(
                h.peers[0].roles.len() + h.peers[1].roles.len(),
                1,
                "one side switched once"
            );
        }
    }
}

#[test]
fn consent_loss_after_a_cut_then_recovery_or_failure() {
    for restore_after in [Some(Duration::from_secs(12)), None] {
        let mut h = Harness::new(
            4,
            LinkConditions::ideal(DELAY),
            config(41, IceMode::Full, IceRole::Controlling),
            config(42, IceMode::Full, IceRole::Controlled),
        );
        h.run_until(Duration::from_secs(5), Harness::both_connected)
            .unwrap();
        h.run_for(Duration::from_secs(20));
        assert!(h.both_connected(), "consent keeps the pair alive");
        let (a, b) = (h.peers[0].addrs[0], h.peers[1].addrs[0]);
        h.net.cut(a, b);
        let cut_at = h.now();
        let took = h
            .run_until(Duration::from_secs(20), |h| {
                h.state(0) == IceConnectionState::Disconnected
                    && h.state(1) == IceConnectionState::Disconnected
            })
            .unwrap();
        // Disconnected within the 8 s timeout after the last response,
        // which came at most one consent interval (6 s) before the cut.
        assert!(took <= Duration::from_secs(14), "{took:?}");
        match restore_after {
            Some(d) => {
                h.run_for(cut_at + d - h.now());
                h.net.restore();
                h.run_until(Duration::from_secs(10), Harness::both_connected)
                    .expect("consent comes back");
                assert!(h.peers[0].agent.selected_pair().is_some());
            }
            None => {
                let took = h
                    .run_until(Duration::from_secs(40), |h| {
                        h.state(0) == IceConnectionState::Failed
                            && h.state(1) == IceConnectionState::Failed
                    })
                    .unwrap();
                let since_cut = h.now() - cut_at;
                assert!(
                    since_cut <= Duration::from_secs(36),
                    "{since_cut:?} ({took:?})"
                );
                assert_eq!(h.peers[0].agent.selected_pair(), None);
                // Nothing is sent any more.
                let sent = h.net.stats.sent;
                h.run_for(Duration::from_secs(60));
                assert_eq!(h.net.stats.sent, sent);
            }
        }
    }
}

#[test]
fn restart_mid_session_keeps_the_pair_until_the_new_one_is_up() {
    let mut h = Harness::new(
        5,
        LinkConditions::lossy(DELAY, 0.05),
        config(51, IceMode::Full, IceRole::Controlling),
        config(52, IceMode::Full, IceRole::Controlled),
    );
    h.run_until(Duration::from_secs(5), Harness::both_connected)
        .unwrap();
    h.run_for(Duration::from_secs(3));
    let old = h.peers[0].agent.selected_pair().unwrap();
    let old_creds = h.peers[0].agent.local_credentials().clone();

    // Both sides restart (new offer/answer), then exchange credentials.
    let now = h.now();
    h.peers[0].agent.restart(now, None).unwrap();
    h.peers[1].agent.restart(now, None).unwrap();
    assert_ne!(h.peers[0].agent.local_credentials(), &old_creds);
    assert_eq!(
        h.peers[0].agent.selected_pair(),
        Some(old),
        "data keeps flowing"
    );
    let ca = h.peers[0].agent.local_credentials().clone();
    let cb = h.peers[1].agent.local_credentials().clone();
    h.peers[0].agent.set_remote_credentials(cb).unwrap();
    h.peers[1].agent.set_remote_credentials(ca).unwrap();
    let selections = h.peers[0].selected.len();
    h.run_until(Duration::from_secs(10), |h| {
        h.peers[0].selected.len() > selections || h.peers[0].agent.stats().checks_sent > 10
    });
    h.run_for(Duration::from_secs(2));
    assert!(h.both_connected());
    assert!(h.peers[0].agent.selected_pair().is_some());
    // New checks ran with the new credentials and nominated again.
    assert!(
        h.peers[0].selected.len() > selections,
        "{:?}",
        h.peers[0].selected
    );
    h.assert_same_pair();
    // And the session lives on with consent under the new credentials.
    h.run_for(Duration::from_secs(40));
    assert!(h.both_connected());
}

#[test]
fn unreachable_pairs_fail_and_a_working_one_is_chosen() {
    let mut h = Harness::with_addrs(
        6,
        LinkConditions::ideal(DELAY),
        config(61, IceMode::Full, IceRole::Controlling),
        config(62, IceMode::Full, IceRole::Controlled),
        &[
            &["[::1]:5000", "127.0.0.1:5000"],
            &["[::1]:6000", "127.0.0.1:6000"],
        ],
    );
    // IPv6 is cut: the IPv4 pair is chosen after the nomination delay.
    h.net.cut(addr("[::1]:5000"), addr("[::1]:6000"));
    h.run_until(Duration::from_secs(10), Harness::both_connected)
        .unwrap();
    assert_eq!(
        h.peers[0].agent.selected_pair().unwrap().0,
        addr("127.0.0.1:5000")
    );
    h.assert_same_pair();
}

#[test]
fn everything_cut_fails_after_end_of_candidates() {
    let mut h = Harness::new(
        7,
        LinkConditions::ideal(DELAY),
        config(71, IceMode::Full, IceRole::Controlling),
        config(72, IceMode::Full, IceRole::Controlled),
    );
    h.net.cut(h.peers[0].addrs[0], h.peers[1].addrs[0]);
    let took = h
        .run_until(Duration::from_secs(60), |h| {
            h.state(0) == IceConnectionState::Failed
        })
        .unwrap();
    // 7 transmissions, RTO 500 ms doubling up to 3 s: 0.5 + 1 + 2 + 3 +
    // 3 + 3 s, then 3 s for the last answer: 15.5 s.
    assert!(took < Duration::from_secs(20), "{took:?}");
    assert_eq!(
        h.peers[0].agent.stats().retransmissions,
        6 * h.peers[0].agent.stats().checks_sent
    );
}

#[test]
fn everything_cut_without_end_of_candidates_fails_after_the_wait() {
    for wait in [Duration::from_secs(10), Duration::from_secs(3)] {
        let mut h = Harness::new(
            8,
            LinkConditions::ideal(DELAY),
            IceConfig {
                end_of_candidates_timeout: wait,
                ..config(81, IceMode::Full, IceRole::Controlling)
            },
            IceConfig {
                end_of_candidates_timeout: wait,
                ..config(82, IceMode::Full, IceRole::Controlled)
            },
        );
        h.forward_end_of_candidates = false;
        h.net.cut(h.peers[0].addrs[0], h.peers[1].addrs[0]);
        // The only pair fails after its 7 transmissions (15.5 s, see
        // above); no end-of-candidates: still checking then.
        h.run_for(Duration::from_secs(15));
        assert_eq!(h.state(0), IceConnectionState::Checking);
        let took = h
            .run_until(Duration::from_secs(60), |h| {
                h.state(0) == IceConnectionState::Failed
            })
            .unwrap();
        let failed_at = Duration::from_secs(15) + took;
        let last_check_failed = Duration::from_millis(15_500);
        assert!(
            failed_at >= last_check_failed + wait
                && failed_at <= last_check_failed + wait + Duration::from_millis(100),
            "wait {wait:?}: failed at {failed_at:?}"
        );
        assert_eq!(
            h.peers[0].states,
            [IceConnectionState::Checking, IceConnectionState::Failed]
        );
    }
}

#[test]
fn a_late_candidate_restarts_the_wait_and_can_connect() {
    // Peer B has two addresses; the one it trickles first is cut. Its
    // second candidate arrives after A's only pair has failed, inside the
    // wait: A does not fail, checks the new pair and connects.
    let mut h = Harness::with_addrs(
        9,
        LinkConditions::ideal(DELAY),
        config(91, IceMode::Full, IceRole::Controlling),
        config(92, IceMode::Full, IceRole::Controlled),
        &[&["127.0.0.1:5000"], &["127.0.0.1:6000"]],
    );
    h.forward_end_of_candidates = false;
    h.net.cut(h.peers[0].addrs[0], h.peers[1].addrs[0]);
    h.run_for(Duration::from_secs(20));
    assert_eq!(h.state(0), IceConnectionState::Checking);
    assert!(
        h.peers[0]
            .agent
            .pairs()
            .all(|p| p.state == PairState::Failed)
    );
    // B gets a second address; A learns it by trickle 4.5 s into the wait.
    let late = addr("127.0.0.1:6002");
    assert!(h.peers[1].agent.add_local_host(late));
    h.peers[1].addrs.push(late);
    let took = h
        .run_until(Duration::from_secs(30), Harness::both_connected)
        .unwrap();
    assert!(took < Duration::from_secs(2), "{took:?}");
    assert_eq!(
        h.peers[0].agent.selected_pair(),
        Some((h.peers[0].addrs[0], late))
    );
    assert!(!h.peers[0].states.contains(&IceConnectionState::Failed));
}

/// Simulated time from start to both sides connected, 20 ms one-way
/// delay, 100 seeds each at 0 % and 10 % loss (printed with
/// `--nocapture`: the figures of the closing note).
#[test]
fn time_to_connect_figures() {
    for loss in [0.0, 0.10] {
        let mut times: Vec<Duration> = (0..100)
            .map(|seed| {
                let mut h = Harness::new(
                    seed,
                    LinkConditions::lossy(DELAY, loss),
                    config(1000 + seed, IceMode::Full, IceRole::Controlling),
                    config(2000 + seed, IceMode::Full, IceRole::Controlled),
                );
                h.run_until(Duration::from_secs(30), Harness::both_connected)
                    .unwrap_or_else(|| panic!("loss {loss} seed {seed}"))
            })
            .collect();
        times.sort();
        let (p50, p90, max) = (times[50], times[90], times[99]);
        eprintln!(
            "ICE time to connected, 20 ms one way, loss {loss}: p50 {p50:?} p90 {p90:?} max {max:?}"
        );
        if loss == 0.0 {
            assert_eq!(times[0], max, "no randomness without loss");
            // First check at once, its round trip (40 ms), the nomination
            // check one Ta (50 ms) after the first, its round trip: 90 ms.
            assert_eq!(max, Duration::from_millis(90));
        } else {
            // A lost check is retransmitted after the RFC 8445 §14.3 RTO
            // (at least 500 ms, doubling: 0.5, 1.5, 3.5, 6.5 s after the
            // first transmission), so one loss costs about half a second.
            assert!(
                p50 <= Duration::from_millis(300) && p90 < Duration::from_millis(1500),
                "{times:?}"
            );
            assert!(max < Duration::from_secs(10), "{times:?}");
        }
    }
}
