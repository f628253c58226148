//! A controlled, full ICE agent on one UDP socket: a thin driver around the
//! sans-I/O [`IceAgent`] for trying it against a real peer (a browser).
//!
//! ```text
//! cargo run -p zerortc --example ice_peer -- OFFER.sdp 127.0.0.1 SECONDS [controlling]
//! ```
//! (`controlling` makes the agent start controlling although the offerer
//! is: a role conflict that RFC 8445 §7.3.1.1 resolves.)
//! Reads the peer's `a=ice-ufrag`, `a=ice-pwd` and `a=candidate` lines from
//! the SDP file, binds a socket on the given IP, prints one line
//! `ufrag pwd candidate-line` for the answer, then runs for SECONDS,
//! printing every event (state changes, selected pair, role) with its
//! time, and the counters at the end. Only loopback candidates are used.

use std::net::{IpAddr, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::ice::{
    Candidate, CandidateFilter, IceAgent, IceConfig, IceCredentials, IceEvent, IceRole,
};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let usage = "usage: ice_peer OFFER.sdp BIND_IP SECONDS";
    let sdp = std::fs::read_to_string(args.next().ok_or(usage)?)?;
    let bind: IpAddr = args.next().ok_or(usage)?.parse()?;
    let seconds: u64 = args.next().ok_or(usage)?.parse()?;
    let role = match args.next().as_deref() {
        Some("controlling") => IceRole::Controlling,
        _ => IceRole::Controlled,
    };

    let socket = UdpSocket::bind((bind, 0))?;
    let local = socket.local_addr()?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos() as u64;
    let mut agent = IceAgent::new(IceConfig {
        role,
        filter: CandidateFilter::LoopbackOnly,
        ..IceConfig::new(seed)
    })?;
    agent.add_local_host(local);
    let find = |key: &str| {
        sdp.lines()
            .find_map(|l| l.trim().strip_prefix(key))
            .map(str::to_string)
    };
    let remote = IceCredentials {
        ufrag: find("a=ice-ufrag:").ok_or("no a=ice-ufrag")?,
        pwd: find("a=ice-pwd:").ok_or("no a=ice-pwd")?,
    };
    agent.set_remote_credentials(remote)?;
    for line in sdp.lines().filter(|l| l.starts_with("a=candidate:")) {
        let candidate = Candidate::parse(line)?;
        let used = agent.add_remote_candidate(&candidate);
        eprintln!(
            "remote {} {}",
            if used { "used   " } else { "ignored" },
            line.trim()
        );
    }
    agent.end_of_remote_candidates();

    let start = Instant::now();
    agent.gather(start);
    let creds = agent.local_credentials().clone();
    let mut ours = None;
    while let Some(ev) = agent.poll_event() {
        if let IceEvent::LocalCandidate(c) = ev {
            ours = Some(c);
        }
    }
    let ours = ours.ok_or("no local candidate")?;
    println!("{} {} {}", creds.ufrag, creds.pwd, ours);
    use std::io::Write;
    std::io::stdout().flush()?;

    let end = start + Duration::from_secs(seconds);
    let mut buf = [0u8; 1500];
    while Instant::now() < end {
        while let Some(t) = agent.poll_transmit(&mut buf)? {
            socket.send_to(&buf[..t.len], t.destination)?;
        }
        while let Some(ev) = agent.poll_event() {
            println!("{:>9.3?} {ev:?}", start.elapsed());
        }
        let wait = agent
            .poll_timeout()
            .map_or(Duration::from_millis(100), |t| {
                t.saturating_duration_since(Instant::now())
            });
        socket.set_read_timeout(Some(
            wait.clamp(Duration::from_millis(1), Duration::from_millis(100)),
        ))?;
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                let data = buf[..n].to_vec();
                if !agent.handle_packet(Instant::now(), local, from, &data) {
                    // Media (RTP/RTCP): not ICE's business.
                }
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e.into()),
        }
        agent.handle_timeout(Instant::now());
    }
    println!(
        "final {:?} selected {:?}",
        agent.connection_state(),
        agent.selected_pair()
    );
    println!("{:?}", agent.stats());
    Ok(())
}
