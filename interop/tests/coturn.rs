//! zerortc's STUN and ICE gathering against a real STUN server: coturn's
//! `turnserver`, started by each test on 127.0.0.1 (a free port, its own
//! pidfile and temporary directory, killed when the test ends, also on
//! failure), recipe in `shared/INTEROP.md`.
//!
//! - a Binding request written with [`MessageWriter`] and sent over a real
//!   UDP socket is answered with our address in XOR-MAPPED-ADDRESS;
//! - the sans-I/O [`IceAgent`] gathers against it: directly (coturn maps
//!   us to our own address, so no server-reflexive candidate is signalled,
//!   RFC 8445 §5.1.3) and through a one-socket address-rewriting relay in
//!   the test (a NAT stand-in: coturn maps us to the relay's address, and
//!   the agent signals `typ srflx raddr <base>`);
//! - once the server is killed, gathering against its port times out
//!   cleanly after the configured transmissions (short RTO in the config).
//!
//! When `turnserver` is missing the tests say so loudly and pass, unless
//! `ZERORTC_REQUIRE_COTURN=1` or `CI` is set: then they fail.
//! (`scripts/test` installs coturn and sets `ZERORTC_REQUIRE_COTURN=1`.)

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use zerortc::ice::{
    CandidateAddress, CandidateType, IceAgent, IceConfig, IceEvent, IceGatheringState, IceStats,
};
use zerortc::stun::{Class, MessageType, MessageWriter, StunMessage, TransactionId};
use zerortc_interop::coturn::Coturn;

const LOCALHOST: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// Whether `turnserver` can run; fails the test when it cannot and it is
/// required.
fn coturn_available() -> bool {
    let found = Coturn::installed();
    if !found {
        let message = "turnserver (coturn) not found: the coturn interop test DID NOT RUN \
                       (apt-get install coturn)";
        let required = std::env::var_os("ZERORTC_REQUIRE_COTURN").is_some_and(|v| v == "1")
            || std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0");
        assert!(!required, "{message}");
        // Straight to the stderr handle: libtest captures `eprintln!`.
        let _ = writeln!(std::io::stderr(), "\n*** WARNING: {message} ***\n");
    }
    found
}

/// coturn in a temporary directory of its own, removed with it.
fn start_coturn(name: &str) -> Coturn {
    Coturn::start_in_temp(name).unwrap_or_else(|e| panic!("{e}"))
}

/// A plain Binding request (RFC 8489 §6.1: no credentials needed) with
/// FINGERPRINT; returns its length.
fn binding_request(buf: &mut [u8], txid: TransactionId) -> usize {
    let mut w = MessageWriter::new(buf, MessageType::BINDING_REQUEST, txid).expect("header");
    w.add_fingerprint().expect("fingerprint");
    w.finish()
}

#[test]
fn binding_request_gets_our_address_in_xor_mapped_address() {
    if !coturn_available() {
        return;
    }
    let server = start_coturn("binding");
    let socket = UdpSocket::bind((LOCALHOST, 0)).expect("bind");
    let local = socket.local_addr().expect("local address");
    socket
        .set_read_timeout(Some(Duration::from_secs(2)))
        .expect("timeout");
    let mut buf = [0u8; 1500];
    for i in 0..3u8 {
        let txid = TransactionId([i, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0xEE]);
        let n = binding_request(&mut buf, txid);
        socket.send_to(&buf[..n], server.addr).expect("send");
        let (n, from) = socket.recv_from(&mut buf).expect("coturn answers");
        assert_eq!(from, server.addr);
        let msg = StunMessage::parse(&buf[..n]).expect("the answer parses");
        assert_eq!(msg.message_type(), MessageType::BINDING_SUCCESS);
        assert_eq!(msg.message_type().class, Class::SuccessResponse);
        assert_eq!(msg.transaction_id(), txid);
        assert_eq!(msg.xor_mapped_address(), Some(local));
        if msg.has_fingerprint() {
            msg.verify_fingerprint()
                .expect("coturn's FINGERPRINT verifies");
        }
        assert!(msg.unknown_comprehension_required().is_empty());
    }
}

/// A NAT stand-in: one socket that forwards the agent's datagrams to the
/// server and the server's back to the agent, so the server sees the
/// relay's address.
struct Relay {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Relay {
    fn start(agent: SocketAddr, server: SocketAddr) -> Relay {
        let socket = UdpSocket::bind((LOCALHOST, 0)).expect("bind relay");
        socket
            .set_read_timeout(Some(Duration::from_millis(20)))
            .expect("timeout");
        let addr = socket.local_addr().expect("relay address");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&stop);
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 1500];
            while !flag.load(Ordering::Relaxed) {
                let Ok((n, from)) = socket.recv_from(&mut buf) else {
                    continue;
                };
                let to = if from == server { agent } else { server };
                let _ = socket.send_to(&buf[..n], to);
            }
        });
        Relay {
            addr,
            stop,
            thread: Some(thread),
        }
    }
}

impl Drop for Relay {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// What one gathering run saw.
struct Gathered {
    events: Vec<IceEvent>,
    stats: IceStats,
    elapsed: Duration,
}

/// Runs `agent` (host candidate = `socket`'s address, already added) over
/// the real socket until gathering completes; panics after `limit`.
fn gather(agent: &mut IceAgent, socket: &UdpSocket, limit: Duration) -> Gathered {
    let local = socket.local_addr().expect("local address");
    let start = Instant::now();
    agent.gather(start);
    let mut events = Vec::new();
    let mut buf = [0u8; 1500];
    loop {
        while let Some(t) = agent.poll_transmit(&mut buf).expect("buffer large enough") {
            assert_eq!(t.source, local);
            socket.send_to(&buf[..t.len], t.destination).expect("send");
        }
        while let Some(ev) = agent.poll_event() {
            let done = ev == IceEvent::GatheringStateChange(IceGatheringState::Complete);
            events.push(ev);
            if done {
                return Gathered {
                    events,
                    stats: agent.stats(),
                    elapsed: start.elapsed(),
                };
            }
        }
        assert!(
            start.elapsed() < limit,
            "gathering not complete after {limit:?}"
        );
        let wait = agent.poll_timeout().map_or(Duration::from_millis(50), |t| {
            t.saturating_duration_since(Instant::now())
        });
        socket
            .set_read_timeout(Some(
                wait.clamp(Duration::from_millis(1), Duration::from_millis(50)),
            ))
            .expect("timeout");
        // A dead port on loopback may answer with ICMP port unreachable:
        // an unconnected socket may report it as an error; it is no packet.
        if let Ok((n, from)) = socket.recv_from(&mut buf) {
            let data = buf[..n].to_vec();
            assert!(agent.handle_packet(Instant::now(), local, from, &data));
        }
        agent.handle_timeout(Instant::now());
    }
}

fn agent_with(servers: Vec<SocketAddr>, seed: u64) -> IceConfig {
    IceConfig {
        stun_servers: servers,
        // Short timers so the dead-server case ends quickly: one request,
        // so the first RTO is max(initial_rto, Ta × 1) = 20 ms, then 40,
        // 80, 80 ms.
        ta: Duration::from_millis(10),
        initial_rto: Duration::from_millis(20),
        max_rto: Duration::from_millis(80),
        max_transmissions: 4,
        ..IceConfig::new(seed)
    }
}

fn srflx_candidates(events: &[IceEvent]) -> Vec<&zerortc::ice::Candidate> {
    events
        .iter()
        .filter_map(|e| match e {
            IceEvent::LocalCandidate(c) if c.kind == CandidateType::ServerReflexive => Some(c),
            _ => None,
        })
        .collect()
}

#[test]
fn srflx_gathering_against_coturn() {
    if !coturn_available() {
        return;
    }
    let server = start_coturn("gather");

    // Directly: coturn maps us to our own address (no NAT on loopback).
    let socket = UdpSocket::bind((LOCALHOST, 0)).expect("bind");
    let local = socket.local_addr().expect("local address");
    let mut agent = IceAgent::new(agent_with(vec![server.addr], 1)).expect("agent");
    assert!(agent.add_local_host(local));
    let run = gather(&mut agent, &socket, Duration::from_secs(5));
    assert_eq!(run.stats.responses_received, 1, "coturn answered");
    assert!(srflx_candidates(&run.events).is_empty());
    assert!(run.events.contains(&IceEvent::EndOfLocalCandidates));
    assert_eq!(agent.gathering_state(), IceGatheringState::Complete);
    assert!(
        run.elapsed < Duration::from_secs(1),
        "answered, not timed out: {:?}",
        run.elapsed
    );

    // Through the address-rewriting relay: a real server-reflexive
    // candidate whose related address is the host base.
    let socket = UdpSocket::bind((LOCALHOST, 0)).expect("bind");
    let local = socket.local_addr().expect("local address");
    let relay = Relay::start(local, server.addr);
    let mut agent = IceAgent::new(agent_with(vec![relay.addr], 2)).expect("agent");
    assert!(agent.add_local_host(local));
    let run = gather(&mut agent, &socket, Duration::from_secs(5));
    let srflx = srflx_candidates(&run.events);
    assert_eq!(srflx.len(), 1, "{:?}", run.events);
    let c = srflx[0];
    assert_eq!(c.socket_addr(), Some(relay.addr), "mapped to the relay");
    assert_eq!(
        c.related,
        Some((CandidateAddress::Ip(local.ip()), local.port()))
    );
    assert!(c.to_string().contains(" typ srflx raddr 127.0.0.1 rport "));
    assert_eq!(run.stats.responses_received, 1);
    assert_eq!(agent.gathering_state(), IceGatheringState::Complete);
}

#[test]
fn dead_server_times_out_cleanly() {
    if !coturn_available() {
        return;
    }
    // A server that was answering, then died.
    let mut server = start_coturn("dead");
    let dead = server.addr;
    server.stop();

    let socket = UdpSocket::bind((LOCALHOST, 0)).expect("bind");
    let local = socket.local_addr().expect("local address");
    let config = agent_with(vec![dead], 3);
    let mut agent = IceAgent::new(config).expect("agent");
    assert!(agent.add_local_host(local));
    let run = gather(&mut agent, &socket, Duration::from_secs(5));
    // 4 transmissions (RTO 20 → 40 → 80 → 80 ms), then the transaction
    // times out and gathering completes without a server-reflexive
    // candidate.
    assert_eq!(run.stats.retransmissions, 3);
    assert_eq!(run.stats.responses_received, 0);
    assert!(srflx_candidates(&run.events).is_empty());
    assert!(run.events.contains(&IceEvent::EndOfLocalCandidates));
    assert_eq!(agent.gathering_state(), IceGatheringState::Complete);
    assert!(
        run.elapsed >= Duration::from_millis(200) && run.elapsed < Duration::from_secs(2),
        "{:?}",
        run.elapsed
    );
}
