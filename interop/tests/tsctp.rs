//! Throughput runs between zerortc's SCTP association and usrsctp's `tsctp`
//! example (Debian `libusrsctp-examples`), SCTP over UDP encapsulation
//! (RFC 6951) on 127.0.0.1, in both directions, and tsctp to tsctp in the
//! same run as the reference:
//!
//! 1. zerortc sends to a tsctp receiver (`tsctp -E <its port> -U <ours>
//!    -L 127.0.0.1`, SCTP port 5001): every workload on a fresh
//!    association, ended by a graceful shutdown; tsctp prints one report
//!    line per association (message size, messages, receive calls, bytes,
//!    seconds, bytes/s, notifications), which must count every message
//!    and byte.
//! 2. a tsctp sender (`tsctp -l <size> -n <count> 127.0.0.1`) sends to a
//!    second tsctp receiver: the usrsctp-to-usrsctp figure.
//! 3. a tsctp sender sends to zerortc, which answers its INIT, checks
//!    every message (stream 0, PPID 0, the size, every byte tsctp's fill
//!    byte) and counts messages and bytes until tsctp shuts the
//!    association down; tsctp's summary must report the same count.
//!
//! Workloads: 1000-byte and 64 KiB messages, ordered and reliable, and
//! 1000-byte unordered ones (about 10 MB each), each run as the three
//! legs back to back. tsctp's messages are all alike, so the order of
//! delivery is not checked here (the simulator tests do).
//!
//! The rates go to stderr (past libtest's capture, so CI logs have them)
//! with their ratios to usrsctp-to-usrsctp: wall clock, reported, never
//! asserted (the machine is shared); the deadlines only guard against a
//! hang. `--release` gives an optimized zerortc.
//!
//! When `tsctp` is missing the test says so loudly and passes, unless
//! `ZERORTC_REQUIRE_USRSCTP=1` (set by `scripts/test`) or `CI` is set:
//! then it fails.

#[path = "usrsctp/common.rs"]
mod common;

use std::io::Write;
use std::net::UdpSocket;
use std::time::{Duration, Instant};

use zerortc::sctp::{Association, AssociationState, Config, Event, Message, Reliability};

use common::{
    UsrsctpProgram, connect, drive, free_udp_port, test_socket, udp_drops, usrsctp_available,
};

const TSCTP: &str = "/usr/lib/usrsctp/tsctp";
/// SCTP port a tsctp receiver listens on (and a tsctp sender sends to).
const TSCTP_SCTP_PORT: u16 = 5001;
/// PPID zerortc sends with (WebRTC binary).
const PPID: u32 = 53;
/// The byte a tsctp sender fills its messages with.
const TSCTP_FILL: u8 = b'b';
/// Guard against a hang of one transfer; never reached when things work
/// (a transfer takes well under a second to a few seconds here).
const TRANSFER_BUDGET: Duration = Duration::from_secs(60);
/// Guard for handshakes, shutdowns and reports.
const STEP_BUDGET: Duration = Duration::from_secs(10);

/// One throughput run.
#[derive(Debug, Clone, Copy)]
struct Workload {
    len: usize,
    count: usize,
    unordered: bool,
}

impl Workload {
    fn bytes(&self) -> u64 {
        (self.len * self.count) as u64
    }

    fn name(&self) -> String {
        let order = if self.unordered {
            "unordered"
        } else {
            "ordered"
        };
        format!("{} x {} B {order}", self.count, self.len)
    }
}

/// About 10 MB each.
const WORKLOADS: [Workload; 3] = [
    Workload {
        len: 1000,
        count: 10_000,
        unordered: false,
    },
    Workload {
        len: 65_536,
        count: 160,
        unordered: false,
    },
    Workload {
        len: 1000,
        count: 10_000,
        unordered: true,
    },
];

/// A tsctp receiver's line for one association:
/// `<first message size>, <messages>, <receive calls>, <bytes>, <seconds>,
/// <bytes/s>, <notifications>`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct ReceiverReport {
    messages: u64,
    bytes: u64,
    seconds: f64,
}

/// Parses a receiver report from the end of `line` (the debug trace
/// shares the output, so something may precede it).
fn receiver_report(line: &str) -> Option<ReceiverReport> {
    let fields: Vec<&str> = line.rsplitn(7, ", ").collect();
    if fields.len() != 7 {
        return None;
    }
    // Reversed: notifications, bytes/s, seconds, bytes, calls, messages, size.
    let notifications: u64 = fields[0].trim().parse().ok()?;
    let _rate: f64 = fields[1].parse().ok()?;
    let seconds: f64 = fields[2].parse().ok()?;
    let bytes: u64 = fields[3].parse().ok()?;
    let _calls: u64 = fields[4].parse().ok()?;
    let messages: u64 = fields[5].parse().ok()?;
    let _ = notifications;
    let size_tail = fields[6].rsplit(|c: char| !c.is_ascii_digit()).next()?;
    let _size: u64 = size_tail.parse().ok()?;
    Some(ReceiverReport {
        messages,
        bytes,
        seconds,
    })
}

/// A tsctp sender's summary: `Sending of <n> messages of length <len>
/// took <seconds> seconds.` → (n, len, seconds).
fn sender_report(line: &str) -> Option<(u64, u64, f64)> {
    let rest = &line[line.find("Sending of ")? + "Sending of ".len()..];
    let mut words = rest.split_whitespace();
    let n = words.next()?.parse().ok()?;
    if (words.next()?, words.next()?, words.next()?) != ("messages", "of", "length") {
        return None;
    }
    let len = words.next()?.parse().ok()?;
    if words.next()? != "took" {
        return None;
    }
    let seconds = words.next()?.parse().ok()?;
    Some((n, len, seconds))
}

fn is_receiver_report(line: &str) -> bool {
    receiver_report(line).is_some()
}

fn is_sender_report(line: &str) -> bool {
    sender_report(line).is_some()
}

fn mbit(bytes: u64, seconds: f64) -> f64 {
    bytes as f64 * 8.0 / seconds.max(1e-9) / 1e6
}

/// A tsctp receiver encapsulating on a free port, sending to `peer_port`.
fn start_receiver(peer_port: u16) -> UsrsctpProgram {
    let port = free_udp_port();
    UsrsctpProgram::start(
        TSCTP,
        &[
            "-E".into(),
            port.to_string(),
            "-U".into(),
            peer_port.to_string(),
            "-L".into(),
            "127.0.0.1".into(),
        ],
        port,
        is_receiver_report,
    )
}

/// A tsctp sender of `w` to 127.0.0.1 port 5001, encapsulating on `port`
/// and sending to `peer_port`.
fn start_sender(w: Workload, port: u16, peer_port: u16) -> UsrsctpProgram {
    let mut args = vec![
        "-E".to_string(),
        port.to_string(),
        "-U".into(),
        peer_port.to_string(),
        "-l".into(),
        w.len.to_string(),
        "-n".into(),
        w.count.to_string(),
    ];
    if w.unordered {
        args.push("-u".into());
    }
    args.push("127.0.0.1".into());
    UsrsctpProgram::start(TSCTP, &args, port, is_sender_report)
}

/// zerortc sends `w` to `receiver` on a fresh association and shuts it
/// down; returns the seconds from the first message queued to the last
/// acknowledged, and the chunks it retransmitted.
fn zerortc_sends(
    sock: &UdpSocket,
    receiver: &UsrsctpProgram,
    w: Workload,
    seed: u64,
) -> (f64, u64) {
    let mut assoc = connect(sock, receiver.addr, STEP_BUDGET, |attempt| {
        let config = Config {
            local_port: 5000,
            remote_port: TSCTP_SCTP_PORT,
            // tsctp needs a moment to start: retry the INIT soon.
            rto_initial: Duration::from_millis(200),
            seed: seed ^ (attempt << 32),
            ..Config::default()
        };
        Association::new(config, Instant::now())
    });
    let payload: Vec<u8> = (0..w.len).map(|i| (i * 7 + 3) as u8).collect();
    let mut queued = 0usize;
    let started = Instant::now();
    let acked = drive(sock, receiver.addr, &mut assoc, TRANSFER_BUDGET, |a| {
        while queued < w.count
            && a.send(
                Instant::now(),
                0,
                PPID,
                &payload,
                w.unordered,
                Reliability::Reliable,
            )
            .is_ok()
        {
            queued += 1;
        }
        queued == w.count && a.send_buffer_used() == 0
    });
    let seconds = started.elapsed().as_secs_f64();
    assert!(
        acked,
        "{}: {queued} of {} messages queued, {} bytes not acknowledged after {:?} \
         (cwnd {}, rto {:?}, {} retransmissions)",
        w.name(),
        w.count,
        assoc.send_buffer_used(),
        TRANSFER_BUDGET,
        assoc.cwnd(),
        assoc.rto(),
        assoc.retransmissions()
    );
    let retransmissions = assoc.retransmissions();
    assoc.shutdown(Instant::now());
    assert!(
        drive(sock, receiver.addr, &mut assoc, STEP_BUDGET, |a| a.state()
            == AssociationState::Closed),
        "{}: no graceful shutdown (state {:?})",
        w.name(),
        assoc.state()
    );
    (seconds, retransmissions)
}

/// Waits for the `n`-th report line of `receiver` (1-based) and checks
/// that it counts every message and byte of `w`.
fn receiver_counted(receiver: &UsrsctpProgram, n: usize, w: Workload, who: &str) -> ReceiverReport {
    let lines = receiver.wait_lines(n, STEP_BUDGET);
    let report = lines
        .get(n - 1)
        .and_then(|l| receiver_report(l))
        .unwrap_or_else(|| {
            panic!(
                "{who}, {}: no report from the tsctp receiver: {lines:?}",
                w.name()
            )
        });
    assert_eq!(
        (report.messages, report.bytes),
        (w.count as u64, w.bytes()),
        "{who}, {}: tsctp received {} messages, {} bytes",
        w.name(),
        report.messages,
        report.bytes
    );
    report
}

/// What a tsctp sender puts in every message: stream 0, PPID 0, and
/// `-l` bytes of `b'b'`. `None` when `m` is that.
fn check_tsctp_message(m: &Message, len: usize) -> Option<String> {
    if (m.stream_id, m.ppid) != (0, 0) {
        return Some(format!("stream {} PPID {}", m.stream_id, m.ppid));
    }
    if m.data.len() != len {
        return Some(format!("{} bytes", m.data.len()));
    }
    m.data
        .iter()
        .position(|&b| b != TSCTP_FILL)
        .map(|i| format!("byte {i} is {:#04x}", m.data[i]))
}

/// What zerortc received from a tsctp sender.
struct Received {
    messages: u64,
    bytes: u64,
    /// First message to last.
    seconds: f64,
}

/// zerortc answers the INIT of the tsctp `sender` of `w` on `sock` and
/// receives until tsctp has shut the association down.
fn zerortc_receives(sock: &UdpSocket, sender: &UsrsctpProgram, w: Workload, seed: u64) -> Received {
    // tsctp's SCTP source port is ephemeral: learn it from its INIT.
    let mut buf = [0u8; 65536];
    sock.set_read_timeout(Some(STEP_BUDGET))
        .expect("read timeout");
    let (n, init) = loop {
        let (n, from) = sock
            .recv_from(&mut buf)
            .unwrap_or_else(|e| panic!("{}: no INIT from the tsctp sender: {e}", w.name()));
        if from == sender.addr && n >= 12 {
            break (n, &buf[..n]);
        }
    };
    let remote_port = u16::from_be_bytes([init[0], init[1]]);
    let config = Config {
        local_port: TSCTP_SCTP_PORT,
        remote_port,
        seed,
        ..Config::default()
    };
    let mut assoc = Association::new(config, Instant::now());
    assoc
        .handle_receive(Instant::now(), &buf[..n])
        .expect("tsctp's INIT is valid");
    let mut got = Received {
        messages: 0,
        bytes: 0,
        seconds: 0.0,
    };
    let mut first: Option<Instant> = None;
    let mut last = Instant::now();
    let mut bad: Option<String> = None;
    // Closed before the handshake too (the INIT is answered statelessly).
    let mut connected = false;
    let closed = drive(sock, sender.addr, &mut assoc, TRANSFER_BUDGET, |a| {
        while let Some(event) = a.poll_event() {
            if event == Event::Connected {
                connected = true;
            } else if let Event::Message(m) = event {
                let now = Instant::now();
                first.get_or_insert(now);
                last = now;
                if bad.is_none() {
                    bad = check_tsctp_message(&m, w.len)
                        .map(|e| format!("message {}: {e}", got.messages));
                }
                got.messages += 1;
                got.bytes += m.data.len() as u64;
                a.recycle(m.data);
            }
        }
        connected && a.state() == AssociationState::Closed
    });
    assert!(
        closed,
        "{}: tsctp's association not shut down after {:?}: {} of {} messages, state {:?}",
        w.name(),
        TRANSFER_BUDGET,
        got.messages,
        w.count,
        assoc.state()
    );
    assert_eq!(bad, None, "{}: a message not as tsctp sends it", w.name());
    got.seconds = first.map_or(0.0, |f| (last - f).as_secs_f64());
    got
}

/// Waits for a tsctp sender to finish and returns its (messages, length,
/// seconds).
fn sender_finished(sender: &mut UsrsctpProgram, w: Workload, who: &str) -> (u64, u64, f64) {
    assert!(
        sender.wait_exit(TRANSFER_BUDGET),
        "{who}, {}: the tsctp sender did not finish",
        w.name()
    );
    let lines = sender.lines();
    let report = lines
        .first()
        .and_then(|l| sender_report(l))
        .unwrap_or_else(|| {
            panic!(
                "{who}, {}: no summary from the tsctp sender: {lines:?}",
                w.name()
            )
        });
    assert_eq!(
        (report.0, report.1),
        (w.count as u64, w.len as u64),
        "{who}, {}: tsctp sent something else",
        w.name()
    );
    report
}

#[test]
fn report_lines_parse() {
    let r = receiver_report("1000, 20000, 20000, 20000000, 0.733754, 27257091.613811, 0");
    assert_eq!(
        r,
        Some(ReceiverReport {
            messages: 20_000,
            bytes: 20_000_000,
            seconds: 0.733754
        })
    );
    // Trace text in front of the report.
    assert_eq!(
        receiver_report(
            "[S][1.410] IP output returns 065536, 305, 305, 19988480, 0.965476, 20703238.609763, 0"
        )
        .map(|r| r.messages),
        Some(305)
    );
    assert_eq!(
        receiver_report("[S][0.502] Timer type 3 started: ticks=200"),
        None
    );
    assert_eq!(
        sender_report("Sending of 305 messages of length 65536 took 0.956102 seconds."),
        Some((305, 65_536, 0.956102))
    );
    assert_eq!(
        sender_report("Throughput was 20906221.302748 Byte/sec."),
        None
    );
}

#[test]
fn tsctp_message_check() {
    let m = |stream_id, ppid, data: Vec<u8>| Message {
        stream_id,
        ppid,
        unordered: false,
        data,
    };
    assert_eq!(check_tsctp_message(&m(0, 0, vec![b'b'; 1000]), 1000), None);
    assert!(check_tsctp_message(&m(0, 0, vec![b'b'; 999]), 1000).is_some());
    assert!(check_tsctp_message(&m(1, 0, vec![b'b'; 1000]), 1000).is_some());
    assert!(check_tsctp_message(&m(0, 53, vec![b'b'; 1000]), 1000).is_some());
    let mut data = vec![b'b'; 1000];
    data[999] = 0;
    assert_eq!(
        check_tsctp_message(&m(0, 0, data), 1000),
        Some("byte 999 is 0x00".into())
    );
}

#[test]
fn tsctp_throughput_both_ways() {
    if !usrsctp_available(TSCTP) {
        return;
    }
    let started = Instant::now();
    let sock = test_socket();
    let our_port = sock.local_addr().expect("local address").port();
    let seed = 0x75c7_9001 ^ u64::from(our_port);
    let mut out = std::io::stderr();
    let _ = writeln!(out);
    // One tsctp receiver for zerortc, one for the tsctp senders (which
    // all encapsulate on `s_port`, one at a time); each workload runs its
    // three legs back to back so the ratios compare neighbours in time.
    let for_zerortc = start_receiver(our_port);
    let s_port = free_udp_port();
    let for_tsctp = start_receiver(s_port);
    let mut rows = Vec::new();
    for (i, &w) in WORKLOADS.iter().enumerate() {
        let name = w.name();

        // zerortc -> tsctp: a fresh association, shut down at the end.
        let port = for_zerortc.addr.port();
        let drops = udp_drops(port);
        let (ours, retransmitted) = zerortc_sends(&sock, &for_zerortc, w, seed ^ i as u64);
        let drops = udp_drops(port) - drops;
        let report = receiver_counted(&for_zerortc, i + 1, w, "zerortc -> tsctp");
        let sending = mbit(report.bytes, report.seconds);
        let _ = writeln!(
            out,
            "  {name:>28}  zerortc -> tsctp:  {sending:7.1} (tsctp's clock; {:.1} from the first \
             message queued to the last acknowledged; {retransmitted} chunks retransmitted, \
             {drops} datagrams dropped at tsctp's socket)",
            mbit(w.bytes(), ours)
        );

        // tsctp -> tsctp, the reference.
        let port = for_tsctp.addr.port();
        let drops = udp_drops(port);
        let mut sender = start_sender(w, s_port, port);
        let sent = sender_finished(&mut sender, w, "tsctp -> tsctp");
        let report = receiver_counted(&for_tsctp, i + 1, w, "tsctp -> tsctp");
        let reference = mbit(report.bytes, report.seconds);
        let _ = writeln!(
            out,
            "  {name:>28}  tsctp   -> tsctp:  {reference:7.1} (receiver's clock; sender's {:.1}; \
             {} datagrams dropped at the receiver's socket)",
            mbit(w.bytes(), sent.2),
            udp_drops(port) - drops
        );

        // tsctp -> zerortc.
        let drops = udp_drops(our_port);
        let mut sender = start_sender(w, free_udp_port(), our_port);
        let got = zerortc_receives(&sock, &sender, w, seed ^ 0x100 ^ i as u64);
        assert_eq!(
            (got.messages, got.bytes),
            (w.count as u64, w.bytes()),
            "tsctp -> zerortc, {name}: zerortc received {} messages, {} bytes",
            got.messages,
            got.bytes
        );
        let sent = sender_finished(&mut sender, w, "tsctp -> zerortc");
        let receiving = mbit(got.bytes, got.seconds);
        let _ = writeln!(
            out,
            "  {name:>28}  tsctp   -> zerortc: {receiving:7.1} (zerortc's clock; sender's {:.1}; \
             {} datagrams dropped at zerortc's socket)",
            mbit(w.bytes(), sent.2),
            udp_drops(our_port) - drops
        );
        rows.push((name, sending, reference, receiving));
    }

    let _ = writeln!(
        out,
        "\nthroughput over SCTP/UDP on 127.0.0.1, Mbit/s (zerortc {} build; every tsctp \
         writes usrsctp's debug trace, ~800 bytes per packet)",
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    );

    let _ = writeln!(
        out,
        "  {:>28}  {:>14}  {:>12}  {:>14}  {:>9}  {:>9}",
        "Mbit/s", "zerortc->tsctp", "tsctp->tsctp", "tsctp->zerortc", "sending", "receiving"
    );
    for (name, sending, reference, receiving) in rows {
        let _ = writeln!(
            out,
            "  {name:>28}  {sending:>14.1}  {reference:>12.1}  {receiving:>14.1}  {:>8.2}x  {:>8.2}x",
            sending / reference,
            receiving / reference
        );
    }
    let _ = writeln!(
        out,
        "  (ratios: zerortc's rate / tsctp->tsctp's; whole test {:.1} s)",
        started.elapsed().as_secs_f64()
    );
}
