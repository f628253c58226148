//! Interop with usrsctp's example programs over SCTP-in-UDP (RFC 6951)
//! on 127.0.0.1: a thin UDP driver around [`zerortc::sctp::Association`].
//!
//! Needs Debian's `libusrsctp-examples` (`/usr/lib/usrsctp/`). Two runs:
//!
//! - `echo`: starts `echo_server` (SCTP port 7), sends messages of several
//!   sizes (up to 8000 bytes, below echo_server's buffer) on several streams, checks every echo byte for
//!   byte, then shuts the association down gracefully;
//! - `tsctp`: starts `tsctp` as a sink (SCTP port 5001) and sends
//!   `count` messages of `len` bytes as fast as the association allows,
//!   printing the throughput.
//!
//! `cargo run --release -p zerortc --example usrsctp_interop -- echo`
//! `cargo run --release -p zerortc --example usrsctp_interop -- tsctp 20000 1200`
//!
//! Exits non-zero (with a message) when anything does not match.

use std::net::UdpSocket;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use zerortc::sctp::{Association, AssociationState, Config, Event, Reliability};

const DIR: &str = "/usr/lib/usrsctp";

struct Peer {
    child: Child,
}

impl Drop for Peer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Moves packets between the association and the UDP socket for up to
/// `budget`, until `done` holds. Returns whether it did.
fn run(
    sock: &UdpSocket,
    peer: &str,
    assoc: &mut Association,
    budget: Duration,
    mut done: impl FnMut(&mut Association, Instant) -> bool,
) -> bool {
    let start = Instant::now();
    let mut out = [0u8; 1500];
    let mut inp = [0u8; 65536];
    loop {
        let now = Instant::now();
        while let Some(n) = assoc.poll_transmit(now, &mut out) {
            if let Err(e) = sock.send_to(&out[..n], peer) {
                eprintln!("send: {e}");
            }
        }
        if done(assoc, now) {
            return true;
        }
        if now - start > budget {
            return false;
        }
        let wait = assoc
            .poll_timeout()
            .map(|t| t.saturating_duration_since(now))
            .unwrap_or(Duration::from_millis(50))
            .clamp(Duration::from_micros(100), Duration::from_millis(50));
        let _ = sock.set_read_timeout(Some(wait));
        if let Ok(n) = sock.recv(&mut inp) {
            let now = Instant::now();
            if let Err(e) = assoc.handle_receive(now, &inp[..n]) {
                eprintln!("bad packet from usrsctp: {e}");
            }
            // Drain what is already queued without waiting.
            let _ = sock.set_nonblocking(true);
            while let Ok(n) = sock.recv(&mut inp) {
                let _ = assoc.handle_receive(now, &inp[..n]);
            }
            let _ = sock.set_nonblocking(false);
        }
        let now = Instant::now();
        if assoc.poll_timeout().is_some_and(|t| t <= now) {
            assoc.handle_timeout(now);
        }
    }
}

fn start(program: &str, args: &[String]) -> Peer {
    let child = Command::new(format!("{DIR}/{program}"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap_or_else(|e| {
            fail(&format!(
                "cannot start {DIR}/{program}: {e} (apt-get install libusrsctp-examples)"
            ))
        });
    std::thread::sleep(Duration::from_millis(300));
    Peer { child }
}

fn fail(msg: &str) -> ! {
    eprintln!("usrsctp interop FAILED: {msg}");
    std::process::exit(1)
}

fn connect(sock: &UdpSocket, peer: &str, remote_port: u16) -> Association {
    let config = Config {
        local_port: 5000,
        remote_port,
        seed: std::process::id().into(),
        ..Config::default()
    };
    let mut assoc = Association::new(config, Instant::now());
    assoc.connect(Instant::now());
    if !run(sock, peer, &mut assoc, Duration::from_secs(10), |a, _| {
        a.is_established()
    }) {
        fail(&format!("no handshake (state {:?})", assoc.state()));
    }
    while assoc.poll_event().is_some() {}
    assoc
}

fn echo(sock: &UdpSocket, encaps: u16) {
    let local = sock.local_addr().map(|a| a.port()).unwrap_or(0);
    let _server = start("echo_server", &[encaps.to_string(), local.to_string()]);
    let peer = format!("127.0.0.1:{encaps}");
    let mut assoc = connect(sock, &peer, 7);
    // echo_server reads into a 10 KiB buffer: larger messages come back
    // in pieces, so the messages stay below that.
    let sizes = [1usize, 100, 1172, 1173, 5000, 8000];
    let mut expected = Vec::new();
    for (i, &len) in sizes.iter().cycle().take(300).enumerate() {
        let data: Vec<u8> = (0..len).map(|k| (k * 13 + i) as u8).collect();
        let stream = (i % 3) as u16;
        if let Err(e) = assoc.send(
            Instant::now(),
            stream,
            53,
            &data,
            false,
            Reliability::Reliable,
        ) {
            fail(&format!("send: {e}"));
        }
        expected.push(data);
    }
    let mut got: Vec<Vec<u8>> = Vec::new();
    let ok = run(sock, &peer, &mut assoc, Duration::from_secs(20), |a, _| {
        while let Some(e) = a.poll_event() {
            if let Event::Message(m) = e {
                got.push(m.data);
            }
        }
        got.len() == expected.len()
    });
    if !ok {
        fail(&format!("{} of {} echoes", got.len(), expected.len()));
    }
    got.sort();
    expected.sort();
    if got != expected {
        let g: Vec<usize> = got.iter().map(Vec::len).collect();
        let e: Vec<usize> = expected.iter().map(Vec::len).collect();
        fail(&format!(
            "echoed bytes differ: got lengths {g:?}, sent {e:?}"
        ));
    }
    assoc.shutdown(Instant::now());
    if !run(sock, &peer, &mut assoc, Duration::from_secs(10), |a, _| {
        a.state() == AssociationState::Closed
    }) {
        fail(&format!("no graceful shutdown (state {:?})", assoc.state()));
    }
    println!(
        "usrsctp echo: {} messages echoed byte for byte, shutdown complete",
        got.len()
    );
}

fn tsctp(sock: &UdpSocket, encaps: u16, count: usize, len: usize) {
    let local = sock.local_addr().map(|a| a.port()).unwrap_or(0);
    let _sink = start(
        "tsctp",
        &[
            "-E".into(),
            encaps.to_string(),
            "-U".into(),
            local.to_string(),
        ],
    );
    let peer = format!("127.0.0.1:{encaps}");
    let mut assoc = connect(sock, &peer, 5001);
    let payload = vec![0x5Au8; len];
    let mut sent = 0usize;
    let t0 = Instant::now();
    let ok = run(
        sock,
        &peer,
        &mut assoc,
        Duration::from_secs(60),
        |a, now| {
            while sent < count && a.send_buffer_used() < 1024 * 1024 {
                if a.send(now, 0, 53, &payload, false, Reliability::Reliable)
                    .is_err()
                {
                    break;
                }
                sent += 1;
            }
            sent == count && a.send_buffer_used() == 0
        },
    );
    let secs = t0.elapsed().as_secs_f64();
    if !ok {
        fail(&format!("only {sent} of {count} sent and acknowledged"));
    }
    println!(
        "usrsctp tsctp: {count} × {len} B acknowledged in {secs:.2} s = {:.1} Mbit/s ({} retransmissions)",
        (count * len * 8) as f64 / secs / 1e6,
        assoc.retransmissions()
    );
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let sock = UdpSocket::bind("127.0.0.1:0").unwrap_or_else(|e| fail(&format!("bind: {e}")));
    let encaps = 9899 + (std::process::id() % 1000) as u16;
    match args.first().map(String::as_str) {
        Some("tsctp") => {
            let count = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(20_000);
            let len = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1024);
            tsctp(&sock, encaps, count, len);
        }
        _ => echo(&sock, encaps),
    }
}
