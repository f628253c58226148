//! What the usrsctp tests share: finding usrsctp's example programs (and
//! failing when they are required), starting one with its standard output
//! drained, and the loop that moves SCTP-over-UDP datagrams (RFC 6951)
//! between a zerortc [`Association`] and a `UdpSocket` on the real clock.

// Each test binary that includes this module uses part of it.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, ErrorKind, Write};
use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use zerortc::sctp::{AbortReason, Association, AssociationState, Event};

pub const LOCALHOST: Ipv4Addr = Ipv4Addr::LOCALHOST;

/// SO_RCVBUF / SO_SNDBUF of the test's socket (capped by
/// net.core.rmem_max / wmem_max): a burst from usrsctp fits while the
/// (unoptimized) test build catches up.
const SOCKET_BUFFER: usize = 4 << 20;

/// Whether usrsctp's example program `program` is installed; fails the
/// test when it is not and it is required (`ZERORTC_REQUIRE_USRSCTP=1`,
/// set by `scripts/test`, or `CI`), warns loudly otherwise.
pub fn usrsctp_available(program: &str) -> bool {
    let found = Path::new(program).exists();
    if !found {
        let message = format!(
            "usrsctp's {program} not found: the usrsctp interop test DID NOT RUN \
             (apt-get install libusrsctp-examples)"
        );
        let required = std::env::var_os("ZERORTC_REQUIRE_USRSCTP").is_some_and(|v| v == "1")
            || std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "0");
        assert!(!required, "{message}");
        // Straight to the stderr handle: libtest captures `eprintln!`.
        let _ = writeln!(std::io::stderr(), "\n*** WARNING: {message} ***\n");
    }
    found
}

/// A free UDP port on 127.0.0.1 (bound once, released for the program).
pub fn free_udp_port() -> u16 {
    UdpSocket::bind((LOCALHOST, 0))
        .and_then(|s| s.local_addr())
        .map(|a| a.port())
        .expect("bind an ephemeral UDP port")
}

/// The test's UDP socket on 127.0.0.1 with large buffers.
pub fn test_socket() -> UdpSocket {
    let sock = UdpSocket::bind((LOCALHOST, 0)).expect("bind");
    let sock_ref = socket2::SockRef::from(&sock);
    let _ = sock_ref.set_recv_buffer_size(SOCKET_BUFFER);
    let _ = sock_ref.set_send_buffer_size(SOCKET_BUFFER);
    sock
}

/// One usrsctp example program of the test, killed by its PID on drop.
///
/// Its standard output is drained by a thread as it comes: Debian's build
/// of the examples prints usrsctp's debug trace there (about 800 bytes per
/// packet). Left in an unread pipe, that trace fills the pipe's 64 KiB
/// and blocks the program inside usrsctp — the "crawling" throughput run
/// of the first attempt. Only the lines `keep` accepts are kept.
pub struct UsrsctpProgram {
    child: Child,
    /// Where it encapsulates (its `-E` / first argument).
    pub addr: SocketAddr,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<JoinHandle<()>>,
}

impl UsrsctpProgram {
    /// Starts `program` with `args`, its encapsulation on `port`.
    pub fn start(program: &str, args: &[String], port: u16, keep: fn(&str) -> bool) -> Self {
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("start {program}: {e}"));
        let stdout = child.stdout.take().expect("piped stdout");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let kept = Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            let mut reader = BufReader::with_capacity(1 << 16, stdout);
            let mut line = Vec::new();
            loop {
                line.clear();
                match reader.read_until(b'\n', &mut line) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        // The trace holds stray NUL bytes.
                        line.retain(|&b| b != 0);
                        let text = String::from_utf8_lossy(&line);
                        let text = text.trim();
                        if keep(text) {
                            kept.lock().expect("lines").push(text.to_owned());
                        }
                    }
                }
            }
        });
        Self {
            child,
            addr: SocketAddr::from((LOCALHOST, port)),
            lines,
            reader: Some(reader),
        }
    }

    /// The kept lines so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().expect("lines").clone()
    }

    /// Waits up to `budget` until `count` lines were kept; returns them.
    pub fn wait_lines(&self, count: usize, budget: Duration) -> Vec<String> {
        let start = Instant::now();
        loop {
            let lines = self.lines();
            if lines.len() >= count || start.elapsed() > budget {
                return lines;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits up to `budget` for the program to exit by itself; whether it
    /// did. Its output is then complete.
    pub fn wait_exit(&mut self, budget: Duration) -> bool {
        let start = Instant::now();
        loop {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                return true;
            }
            if start.elapsed() > budget {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for UsrsctpProgram {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(reader) = self.reader.take() {
            let _ = reader.join();
        }
    }
}

/// Moves packets between the association and the socket (real clock)
/// until `done` holds or `budget` runs out. Returns whether `done` held.
///
/// Each turn waits for a datagram (no longer than the association's next
/// timer), then takes every datagram already queued on the socket without
/// waiting; after each one it sends what the association has to send (its
/// SACKs and the DATA they let out), as an SCTP stack in a kernel would.
pub fn drive(
    sock: &UdpSocket,
    peer: SocketAddr,
    assoc: &mut Association,
    budget: Duration,
    mut done: impl FnMut(&mut Association) -> bool,
) -> bool {
    let start = Instant::now();
    let mut out = [0u8; 1500];
    let mut inp = [0u8; 65536];
    loop {
        let now = Instant::now();
        while let Some(n) = assoc.poll_transmit(now, &mut out) {
            sock.send_to(&out[..n], peer).expect("send to usrsctp");
        }
        if done(assoc) {
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
        sock.set_read_timeout(Some(wait)).expect("read timeout");
        let mut blocking = true;
        loop {
            match sock.recv_from(&mut inp) {
                Ok((n, from)) => {
                    if from == peer {
                        let now = Instant::now();
                        assoc
                            .handle_receive(now, &inp[..n])
                            .expect("usrsctp's packet is valid");
                        while let Some(n) = assoc.poll_transmit(now, &mut out) {
                            sock.send_to(&out[..n], peer).expect("send to usrsctp");
                        }
                    }
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
                Err(e) => panic!("receive: {e}"),
            }
            if blocking {
                sock.set_nonblocking(true).expect("non-blocking");
                blocking = false;
            }
        }
        if !blocking {
            sock.set_nonblocking(false).expect("blocking");
        }
        let now = Instant::now();
        if assoc.poll_timeout().is_some_and(|t| t <= now) {
            assoc.handle_timeout(now);
        }
    }
}

/// Connects a fresh association made by `make` (given the attempt number)
/// to the usrsctp program at `peer`; returns it established.
///
/// A usrsctp program opens its UDP port before its SCTP socket listens:
/// an INIT landing in between is answered with ABORT (seen with tsctp
/// when the INIT is retried quickly). That ABORT before the handshake
/// completes starts a new association, up to five times.
pub fn connect(
    sock: &UdpSocket,
    peer: SocketAddr,
    budget: Duration,
    mut make: impl FnMut(u64) -> Association,
) -> Association {
    let mut attempt = 0;
    loop {
        let mut assoc = make(attempt);
        assoc.connect(Instant::now());
        let up = drive(sock, peer, &mut assoc, budget, |a| {
            a.is_established() || a.state() == AssociationState::Closed
        });
        if up && assoc.is_established() {
            return assoc;
        }
        let events: Vec<Event> = std::iter::from_fn(|| assoc.poll_event()).collect();
        assert!(
            attempt < 4 && events.contains(&Event::Aborted(AbortReason::Peer)),
            "no handshake with the usrsctp program at {peer} (attempt {}, state {:?}, events {events:?})",
            attempt + 1,
            assoc.state()
        );
        attempt += 1;
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// Datagrams the kernel dropped so far at the UDP sockets bound to `port`
/// (`/proc/net/udp`, last column; IPv4 sockets of this namespace): a full
/// receive buffer at that end.
pub fn udp_drops(port: u16) -> u64 {
    let text = std::fs::read_to_string("/proc/net/udp").unwrap_or_default();
    let suffix = format!(":{port:04X}");
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let mut fields = line.split_whitespace();
            let local = fields.nth(1)?;
            let drops = fields.last()?;
            local
                .ends_with(&suffix)
                .then(|| drops.parse::<u64>().ok())?
        })
        .sum()
}
