//! DTLS 1.2 client and server on the deterministic network simulator
//! (`tests/netsim`): loss from 0 to 30 %, reordering, duplication, delay
//! and jitter, a 1200-byte path MTU that fragments every flight carrying a
//! large certificate, 200 seeds per condition. Whatever the network does,
//! each side's handshake completes or fails with a reason, within bounded
//! virtual time; both sides of a completed handshake export the same keys
//! and application data sent afterwards arrives intact, once. Also: the
//! retransmission back-off and the give-up, a client whose flights arrive
//! duplicated and reversed, close_notify under loss.
//!
//! Every run is reproducible: the simulator, both connection RNGs and the
//! certificates are seeded, so a failing seed replays exactly.

mod dtls_util;
mod netsim;

use std::sync::Arc;
use std::time::{Duration, Instant};

use dtls_util::{Run, configs, handshake, large_certificate, seeded_certificate};
use netsim::{LinkConfig, NetSim, Side};
use zerortc::crypto::Certificate;
use zerortc::dtls::{DtlsConfig, DtlsConnection, DtlsError, DtlsEvent};

/// Seeds per condition.
const SEEDS: u64 = 200;
/// Virtual time allowed for any handshake: far beyond the 183 s a flight
/// can take to give up (1 + 2 + 4 + ... + 60 + 60 s), so reaching it means
/// the handshake hung.
const LIMIT: Duration = Duration::from_secs(1800);
/// The path MTU of the simulated links, and the DTLS MTU.
const MTU: usize = 1200;
/// Size of the large certificate: its Certificate message spans three
/// datagrams at MTU 1200.
const LARGE_CERT: usize = 3000;

/// An impaired path: `loss` and the other impairments both ways, MTU 1200
/// (an oversize datagram fails the test).
fn impaired(loss: f64) -> LinkConfig {
    LinkConfig {
        loss,
        duplicate: 0.05,
        reorder: 0.1,
        reorder_delay: Duration::from_millis(30),
        delay: Duration::from_millis(20),
        jitter: Duration::from_millis(10),
        mtu: Some(MTU),
        oversize_is_error: true,
        ..LinkConfig::default()
    }
}

/// The certificates of one run: odd seeds use large ones on both sides
/// (fragmented Certificate messages), even seeds the usual small ones.
struct Certs {
    small: (Arc<Certificate>, Arc<Certificate>),
    large: (Arc<Certificate>, Arc<Certificate>),
}

impl Certs {
    fn new() -> Self {
        let large = (
            large_certificate(1, LARGE_CERT),
            large_certificate(2, LARGE_CERT),
        );
        assert!(large.0.der().len() > 2 * MTU, "{}", large.0.der().len());
        Self {
            small: (seeded_certificate(1), seeded_certificate(2)),
            large,
        }
    }

    fn for_seed(&self, seed: u64) -> &(Arc<Certificate>, Arc<Certificate>) {
        if seed % 2 == 1 {
            &self.large
        } else {
            &self.small
        }
    }
}

/// What a batch of runs came to.
#[derive(Debug, Default)]
struct Tally {
    completed: u64,
    client_failed: u64,
    server_failed: u64,
    server_listening: u64,
    retransmissions: u64,
    longest: Duration,
}

/// Checks the invariants of one finished handshake run and, when it
/// completed, exchanges application data both ways over the same path.
fn check(
    run: &mut Run,
    certs: &(Arc<Certificate>, Arc<Certificate>),
    seed: u64,
    lossless: bool,
    tally: &mut Tally,
) {
    let client = &run.client;
    let server = &run.server;
    let context = || {
        format!(
            "seed {seed}: client {:?} server {:?} after {:?}, {:?}",
            client.events,
            server.events,
            run.sim.now() - run.start,
            run.sim.stats()
        )
    };
    // Never a hang: the run ended with both outcomes, or with nothing left
    // to do (no timer, nothing travelling) — never at the deadline.
    if !run.settled {
        assert!(
            run.sim.in_flight() == 0
                && client.conn.poll_timeout().is_none()
                && server.conn.poll_timeout().is_none(),
            "hung: {}",
            context()
        );
    }
    assert!(run.sim.now() - run.start < LIMIT, "{}", context());
    let c = client.outcome();
    let s = server.outcome();
    // The client always ends connected or failed.
    assert!(c.is_some(), "client without outcome: {}", context());
    // A server with no outcome holds no handshake state: it only answered
    // ClientHellos with stateless HelloVerifyRequests, and listens.
    let listening = s.is_none();
    if listening {
        assert!(
            server.conn.poll_timeout().is_none() && !server.conn.is_connected(),
            "{}",
            context()
        );
        assert!(
            server.events.is_empty(),
            "listening server with events: {}",
            context()
        );
    }
    // Loss alone fails a handshake only by giving up after the last
    // retransmission.
    for outcome in [&c, &s].into_iter().flatten() {
        if let Err(e) = outcome {
            assert_eq!(e, &DtlsError::Timeout, "{}", context());
        }
    }
    // The server connects first: a connected client means a connected server.
    if matches!(c, Some(Ok(_))) {
        assert!(matches!(s, Some(Ok(_))), "{}", context());
    }
    tally.retransmissions += (client.timer_fired.len() + server.timer_fired.len()) as u64;
    tally.longest = tally.longest.max(run.sim.now() - run.start);
    match (&c, &s) {
        (Some(Ok(cs)), Some(Ok(ss))) => {
            tally.completed += 1;
            assert_eq!(cs.cipher_suite, ss.cipher_suite);
            assert_eq!(cs.srtp_profile, ss.srtp_profile);
            assert!(cs.srtp_keying_material.is_some(), "{}", context());
            assert_eq!(cs.srtp_keying_material, ss.srtp_keying_material);
            assert_eq!(
                client
                    .conn
                    .export_keying_material("EXPORTER-netsim", 64)
                    .unwrap(),
                server
                    .conn
                    .export_keying_material("EXPORTER-netsim", 64)
                    .unwrap()
            );
            // Each side saw the other's certificate (fragmented or not).
            assert_eq!(cs.peer_certificate, certs.1.der());
            assert_eq!(ss.peer_certificate, certs.0.der());
            exchange_application_data(run, seed, lossless);
        }
        _ => {
            if matches!(c, Some(Err(_))) {
                tally.client_failed += 1;
            }
            if matches!(s, Some(Err(_))) {
                tally.server_failed += 1;
            }
            if listening {
                tally.server_listening += 1;
            }
        }
    }
}

/// Records sent each way after the handshake.
const RECORDS: usize = 20;

/// Both sides send numbered records over the same impaired path; each
/// receiver gets distinct, intact records that were sent (the replay window
/// refuses the network's duplicates), all of them on a lossless path.
fn exchange_application_data(run: &mut Run, seed: u64, lossless: bool) {
    let payload = |from: u8, i: usize| {
        let mut p = vec![from; 20 + i * 10];
        p[..8].copy_from_slice(&(i as u64).to_be_bytes());
        p
    };
    for i in 0..RECORDS {
        run.client
            .conn
            .send_application_data(&payload(b'c', i))
            .unwrap();
        run.server
            .conn
            .send_application_data(&payload(b's', i))
            .unwrap();
    }
    let deadline = run.sim.now() + Duration::from_secs(10);
    netsim::drive(
        &mut run.sim,
        &mut run.client,
        &mut run.server,
        deadline,
        |_, _, _| false,
    );
    assert_eq!(run.sim.in_flight(), 0, "seed {seed}");
    for (receiver, from) in [(&run.server, b'c'), (&run.client, b's')] {
        let got = receiver.received();
        let mut seen = [false; RECORDS];
        for record in &got {
            let i = u64::from_be_bytes(record[..8].try_into().unwrap()) as usize;
            assert!(i < RECORDS, "seed {seed}");
            assert_eq!(record, &payload(from, i), "seed {seed}: record {i}");
            assert!(!seen[i], "seed {seed}: record {i} delivered twice");
            seen[i] = true;
        }
        if lossless {
            assert_eq!(got.len(), RECORDS, "seed {seed}: {:?}", receiver.dropped);
        }
        assert!(receiver.conn.is_connected());
    }
}

/// 200 handshakes over `link`, the configurations adjusted by `tweak`;
/// every run checked; returns the tally.
fn handshakes(
    name: &str,
    link: LinkConfig,
    tweak: impl Fn(&mut DtlsConfig, &mut DtlsConfig),
) -> Tally {
    let certs = Certs::new();
    let mut tally = Tally::default();
    let lossless = link.loss == 0.0;
    for seed in 0..SEEDS {
        let pair = certs.for_seed(seed);
        let (mut c, mut s) = configs(&pair.0, &pair.1, seed);
        tweak(&mut c, &mut s);
        let sim = NetSim::new(seed, link.clone());
        let mut run = handshake(sim, c, s, LIMIT);
        check(&mut run, pair, seed, lossless, &mut tally);
    }
    println!("{name}: {tally:?}");
    tally
}

fn handshakes_at(loss: f64) -> Tally {
    handshakes(&format!("loss {loss}"), impaired(loss), |_, _| {})
}

#[test]
fn no_loss_with_reordering_duplication_and_jitter() {
    let t = handshakes_at(0.0);
    assert_eq!(t.completed, SEEDS, "{t:?}");
    // Reordered and duplicated datagrams never cost a retransmission.
    assert_eq!(t.retransmissions, 0, "{t:?}");
}

#[test]
fn one_percent_loss() {
    let t = handshakes_at(0.01);
    assert_eq!(t.completed, SEEDS, "{t:?}");
}

#[test]
fn five_percent_loss() {
    let t = handshakes_at(0.05);
    assert_eq!(t.completed, SEEDS, "{t:?}");
}

#[test]
fn ten_percent_loss() {
    let t = handshakes_at(0.10);
    assert_eq!(t.completed, SEEDS, "{t:?}");
}

#[test]
fn thirty_percent_loss() {
    let t = handshakes_at(0.30);
    // An exchange of one datagram each way succeeds with 0.7 × 0.7 = 0.49
    // per attempt; eight attempts (seven retransmissions) all fail with
    // 0.51^8 ≈ 0.5 %, and a handshake has three such exchanges: about
    // three of 200 runs end in a timeout (checked run by run: a timeout is
    // the only failure), the others complete.
    assert!(t.completed >= SEEDS - 6, "{t:?}");
    assert!(t.completed + t.client_failed == SEEDS, "{t:?}");
    assert!(
        t.retransmissions > SEEDS,
        "loss must cost retransmissions: {t:?}"
    );
}

/// A 300-byte path: every flight, ClientHello included, is fragmented.
fn small_mtu(loss: f64, duplicate: f64) -> LinkConfig {
    LinkConfig {
        loss,
        duplicate,
        reorder: 0.5,
        reorder_delay: Duration::from_millis(40),
        mtu: Some(300),
        ..impaired(loss)
    }
}

fn mtu_300(c: &mut DtlsConfig, s: &mut DtlsConfig) {
    c.mtu = 300;
    s.mtu = 300;
}

#[test]
fn mtu_300_twenty_percent_loss_and_heavy_reordering() {
    let t = handshakes("mtu 300, 20 % loss", small_mtu(0.2, 0.2), mtu_300);
    assert!(t.completed >= SEEDS - 2, "{t:?}");
}

#[test]
fn mtu_300_half_the_datagrams_lost() {
    let t = handshakes("mtu 300, 50 % loss", small_mtu(0.5, 0.3), mtu_300);
    // Flights of up to 17 datagrams through 50 % loss: many handshakes
    // give up, each with a timeout; none hangs.
    assert!(t.completed >= SEEDS / 2, "{t:?}");
    assert!(t.client_failed > 0, "{t:?}");
}

/// Give-up: with two retransmissions per flight and half the datagrams
/// lost, many handshakes fail. Each failure is a `Timeout` event at the
/// instant the timer fired a third time for the same flight, after waits
/// of 1 s, 2 s and 4 s (doubling back-off).
#[test]
fn give_up_is_a_timeout_after_doubling_backoff() {
    let certs = Certs::new();
    let mut failures = 0;
    let mut completed = 0;
    for seed in 0..SEEDS {
        let pair = certs.for_seed(seed);
        let (mut c, mut s) = configs(&pair.0, &pair.1, seed);
        c.max_retransmissions = 2;
        s.max_retransmissions = 2;
        let mut run = handshake(NetSim::new(seed, impaired(0.5)), c, s, LIMIT);
        let mut tally = Tally::default();
        check(&mut run, pair, seed, false, &mut tally);
        completed += tally.completed;
        for peer in [&run.client, &run.server] {
            let Some(Err(e)) = peer.outcome() else {
                continue;
            };
            failures += 1;
            assert_eq!(e, DtlsError::Timeout);
            let at = peer.outcome_at().unwrap();
            let fired = &peer.timer_fired;
            assert!(fired.len() >= 3, "seed {seed}: {fired:?}");
            let last = &fired[fired.len() - 3..];
            assert_eq!(at, last[2], "seed {seed}: fails when the timer fires");
            assert_eq!(last[1] - last[0], Duration::from_secs(2), "seed {seed}");
            assert_eq!(last[2] - last[1], Duration::from_secs(4), "seed {seed}");
            // Nothing after the failure: no timer, no datagram.
            assert_eq!(peer.conn.poll_timeout(), None);
            assert!(peer.conn.is_finished());
        }
    }
    println!("give-up: {completed} completed, {failures} sides failed");
    assert!(failures >= 20, "{failures} failures");
    assert!(completed >= 20, "{completed} completed");
}

/// A path that loses everything: the client sends its ClientHello eight
/// times, 1, 2, 4, 8, 16, 32, 60 and 60 s apart, and fails with `Timeout`
/// 183 s after it started; the server never heard of it.
#[test]
fn silent_path_gives_up_after_183_seconds() {
    let (a, b) = (seeded_certificate(1), seeded_certificate(2));
    let (c, s) = configs(&a, &b, 7);
    let run = handshake(NetSim::new(7, LinkConfig::lossy(1.0)), c, s, LIMIT);
    assert!(!run.settled);
    assert_eq!(run.client.failure(), DtlsError::Timeout);
    assert_eq!(
        run.client.outcome_at().unwrap() - run.start,
        Duration::from_secs(183)
    );
    let gaps: Vec<u64> = std::iter::once(run.start)
        .chain(run.client.timer_fired.iter().copied())
        .collect::<Vec<_>>()
        .windows(2)
        .map(|w| (w[1] - w[0]).as_secs())
        .collect();
    assert_eq!(gaps, [1, 2, 4, 8, 16, 32, 60, 60]);
    assert_eq!(run.client.sent, 8);
    assert!(run.server.events.is_empty());
    assert_eq!(run.sim.stats().delivered, 0);
}

/// Every datagram of the client's first flight (a ClientHello fragmented
/// over two datagrams by a 120-byte MTU) arrives twice, reversed and
/// then rotated: the server reassembles it, drops the copies as replays,
/// and the handshake completes without a single retransmission.
#[test]
fn client_first_flight_duplicated_and_reordered() {
    let (a, b) = (seeded_certificate(1), seeded_certificate(2));
    for cookie in [true, false] {
        let (mut c, mut s) = configs(&a, &b, 11);
        c.mtu = 120;
        s.cookie_exchange = cookie;
        let mut run = dtls_util::start(NetSim::new(11, impaired(0.0)), c, s);
        run.client.scramble = 1;
        // The first flight, as the connection wrote it.
        let first = {
            let (mut c2, _) = configs(&a, &b, 11);
            c2.mtu = 120;
            let mut probe = DtlsConnection::new_client(c2, run.start).unwrap();
            std::iter::from_fn(|| probe.poll_write()).count()
        };
        assert!(first >= 2, "ClientHello in {first} datagrams");
        dtls_util::settle(&mut run, LIMIT);
        assert!(run.settled, "cookie {cookie}");
        let (cs, ss) = (run.client.summary(), run.server.summary());
        assert_eq!(cs.srtp_keying_material, ss.srtp_keying_material);
        let replays = run
            .server
            .dropped
            .iter()
            .filter(|e| **e == DtlsError::Replayed)
            .count();
        assert!(
            replays >= first,
            "cookie {cookie}: {:?}",
            run.server.dropped
        );
        assert!(run.client.timer_fired.is_empty() && run.server.timer_fired.is_empty());
        let mut tally = Tally::default();
        check(&mut run, &(a.clone(), b.clone()), 11, true, &mut tally);
    }
}

/// Both sides send every flight twice, reversed and rotated, with small
/// datagrams (MTU 200) and jitter: 200 seeds, all complete without a
/// retransmission (the early ChangeCipherSpec of a reordered client flight
/// is kept, not dropped).
#[test]
fn every_flight_duplicated_and_reordered() {
    let certs = Certs::new();
    let mut tally = Tally::default();
    for seed in 0..SEEDS {
        let pair = certs.for_seed(seed);
        let (mut c, mut s) = configs(&pair.0, &pair.1, seed);
        c.mtu = 200;
        s.mtu = 200;
        let mut run = dtls_util::start(NetSim::new(seed, impaired(0.0)), c, s);
        run.client.scramble = u32::MAX;
        run.server.scramble = u32::MAX;
        dtls_util::settle(&mut run, LIMIT);
        // Application data goes out unscrambled.
        run.client.scramble = 0;
        run.server.scramble = 0;
        check(&mut run, pair, seed, true, &mut tally);
    }
    println!("scrambled flights: {tally:?}");
    assert_eq!(tally.completed, SEEDS, "{tally:?}");
    assert_eq!(tally.retransmissions, 0, "{tally:?}");
}

/// close_notify under 30 % loss: the closing side is closed at once (no
/// more sends, no timer); the alert is sent once and never retransmitted,
/// so the peer either sees it (then it is closed too and its reply is
/// refused by the closed side) or stays connected. Either way nothing is
/// left running and both outcomes occur over 200 seeds.
#[test]
fn close_notify_under_loss() {
    let (a, b) = (seeded_certificate(1), seeded_certificate(2));
    let (mut seen, mut lost) = (0, 0);
    for seed in 0..SEEDS {
        let (c, s) = configs(&a, &b, seed);
        let mut run = handshake(NetSim::new(seed, impaired(0.0)), c, s, LIMIT);
        assert!(run.settled);
        run.client.summary();
        run.sim.set_link(Side::A, impaired(0.3));
        run.sim.set_link(Side::B, impaired(0.3));
        run.client.conn.close();
        assert!(run.client.conn.is_finished());
        assert_eq!(
            run.client.conn.send_application_data(b"late"),
            Err(DtlsError::Closed)
        );
        let deadline = run.sim.now() + Duration::from_secs(60);
        let done = netsim::drive(
            &mut run.sim,
            &mut run.client,
            &mut run.server,
            deadline,
            |_, _, _| false,
        );
        assert!(!done);
        assert_eq!(run.sim.in_flight(), 0, "seed {seed}");
        assert_eq!(run.client.conn.poll_timeout(), None);
        assert_eq!(run.server.conn.poll_timeout(), None);
        assert!(run.client.sent > 0);
        if run.server.saw_close() {
            seen += 1;
            assert!(run.server.conn.is_finished(), "seed {seed}");
            assert_eq!(
                run.server.conn.send_application_data(b"after close"),
                Err(DtlsError::Closed)
            );
        } else {
            lost += 1;
            assert!(run.server.conn.is_connected(), "seed {seed}");
        }
        // The closed client reports nothing more.
        assert!(
            !run.client
                .events
                .iter()
                .any(|(_, e)| *e == DtlsEvent::Closed)
        );
    }
    println!("close_notify: {seen} seen, {lost} lost");
    assert!(seen > 100 && lost > 20, "{seen} seen, {lost} lost");
}

/// Everything `conn` has to send now.
fn flight(conn: &mut DtlsConnection) -> Vec<Vec<u8>> {
    std::iter::from_fn(|| conn.poll_write()).collect()
}

/// Hands `datagrams` to `conn` at `now`.
fn feed(conn: &mut DtlsConnection, datagrams: &[Vec<u8>], now: Instant) {
    for d in datagrams {
        let _ = conn.handle_read(now, d);
    }
}

/// Client and server with large certificates (multi-datagram flights 4
/// and 5), no cookie exchange, and the client's first flight delivered.
fn large_flights() -> (DtlsConnection, DtlsConnection, Instant) {
    let (a, b) = (
        large_certificate(1, LARGE_CERT),
        large_certificate(2, LARGE_CERT),
    );
    let (c, mut s) = configs(&a, &b, 3);
    s.cookie_exchange = false;
    let t0 = Instant::now();
    let mut client = DtlsConnection::new_client(c, t0).unwrap();
    let mut server = DtlsConnection::new_server(s).unwrap();
    let hello = flight(&mut client);
    feed(&mut server, &hello, t0);
    (client, server, t0)
}

/// A retransmitted multi-datagram flight is answered with one copy of our
/// flight, not one per datagram received (which made two peers multiply
/// each other's flights at every round trip: a retransmission storm found
/// by the netsim runs above).
#[test]
fn a_retransmitted_flight_is_answered_once() {
    let (mut client, mut server, t0) = large_flights();
    let server_flight = flight(&mut server);
    assert!(server_flight.len() >= 3, "{}", server_flight.len());
    feed(&mut client, &server_flight, t0);
    let client_flight = flight(&mut client);
    assert!(client_flight.len() >= 3, "{}", client_flight.len());
    // The client's flight is lost; the server's timer resends its own.
    let t1 = t0 + Duration::from_secs(1);
    server.handle_timeout(t1).unwrap();
    let again = flight(&mut server);
    assert_eq!(again.len(), server_flight.len());
    feed(&mut client, &again, t1 + Duration::from_millis(20));
    let answer = flight(&mut client);
    assert_eq!(answer.len(), client_flight.len(), "one copy of the flight");
    // The server completes and sends its last flight (lost too); the
    // client's next retransmission gets one copy of it again.
    feed(&mut server, &answer, t1 + Duration::from_millis(40));
    assert!(server.is_connected());
    let last = flight(&mut server);
    assert_eq!(last.len(), 1);
    let t2 = t0 + Duration::from_secs(3);
    client.handle_timeout(t2).unwrap();
    let retransmitted = flight(&mut client);
    assert_eq!(retransmitted.len(), client_flight.len());
    feed(&mut server, &retransmitted, t2 + Duration::from_millis(20));
    assert_eq!(flight(&mut server).len(), 1, "one copy of the last flight");
    // Two more retransmissions arriving together (the first one delayed):
    // answered once, the second arrives less than half a retransmission
    // timeout after we sent our flight.
    client.handle_timeout(t0 + Duration::from_secs(5)).unwrap();
    let third = flight(&mut client);
    client.handle_timeout(t0 + Duration::from_secs(9)).unwrap();
    let fourth = flight(&mut client);
    let t3 = t0 + Duration::from_millis(9020);
    feed(&mut server, &third, t3);
    feed(&mut server, &fourth, t3);
    assert_eq!(flight(&mut server).len(), 1);
    feed(&mut client, &last, t2 + Duration::from_secs(5));
    assert!(client.is_connected());
}

/// The client's flight 5 in reverse order: its ChangeCipherSpec and
/// Finished arrive before Certificate, ClientKeyExchange and
/// CertificateVerify. The server keeps both and completes on the spot,
/// without waiting for a retransmission.
#[test]
fn change_cipher_spec_ahead_of_its_flight_is_kept() {
    let (mut client, mut server, t0) = large_flights();
    let server_flight = flight(&mut server);
    feed(&mut client, &server_flight, t0);
    let mut client_flight = flight(&mut client);
    client_flight.reverse();
    feed(&mut server, &client_flight, t0);
    assert!(server.is_connected());
    assert_eq!(server.poll_timeout(), None);
    let last = flight(&mut server);
    feed(&mut client, &last, t0);
    assert!(client.is_connected());
    assert_eq!(
        client.export_keying_material("EXPORTER-x", 32),
        server.export_keying_material("EXPORTER-x", 32)
    );
}
