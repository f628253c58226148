//! Fuzz the SCTP association state machine (RFC 9260, 3758, 6525, 8260)
//! with packets from an on-path attacker: two associations are connected in
//! memory and exchanging data, then the input is cut into chunk sequences
//! (`u16 length | bytes`) and each is injected into A as a packet from B, in
//! B's common header (ports and the verification tag A expects, CRC32c
//! fixed up), interleaved with the real traffic and timers. Nothing may
//! panic, loop forever or grow without bound: every `poll_transmit` loop
//! ends, and A's queued data stays under its send buffer limit, then
//! a simulated minute of timers lets the state machines settle.
//! Build and run as described in `rtp_packet.rs` (`cargo fuzz run
//! sctp_association`).
#![no_main]

use std::time::{Duration, Instant};

use libfuzzer_sys::fuzz_target;
use zerortc::sctp::{Association, Config, Event, Reliability, checksum};

const MTU_BUF: usize = 1500;

fn config(seed: u64, local_port: u16, remote_port: u16) -> Config {
    Config {
        seed,
        local_port,
        remote_port,
        ..Config::default()
    }
}

/// Moves every packet of `from` to `to`; returns the last one's header.
fn pump(from: &mut Association, to: &mut Association, now: Instant, header: &mut [u8; 12]) {
    let mut buf = [0u8; MTU_BUF];
    let mut rounds = 0;
    while let Some(n) = from.poll_transmit(now, &mut buf) {
        if let Some(h) = buf.get(..12) {
            header.copy_from_slice(h);
        }
        let _ = to.handle_receive(now, &buf[..n]);
        rounds += 1;
        assert!(rounds < 10_000, "poll_transmit never ends");
    }
}

fn messages(a: &mut Association, into: &mut Vec<Vec<u8>>) {
    while let Some(e) = a.poll_event() {
        if let Event::Message(m) = e {
            into.push(m.data);
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let start = Instant::now();
    let mut now = start;
    let mut a = Association::new(config(1, 5000, 5000), now);
    let mut b = Association::new(config(2, 5000, 5000), now);
    a.connect(now);
    b.connect(now);
    let mut b_header = [0u8; 12];
    let mut a_header = [0u8; 12];
    for _ in 0..20 {
        pump(&mut a, &mut b, now, &mut a_header);
        pump(&mut b, &mut a, now, &mut b_header);
    }
    assert!(a.is_established() && b.is_established());
    // Real traffic before the attack: delivered to A's user.
    let mut delivered = Vec::new();
    for i in 0..8u8 {
        b.send(now, 1, 53, &[i; 300], false, Reliability::Reliable)
            .expect("send");
    }
    for _ in 0..20 {
        pump(&mut b, &mut a, now, &mut b_header);
        pump(&mut a, &mut b, now, &mut a_header);
    }
    messages(&mut a, &mut delivered);
    assert_eq!(delivered.len(), 8, "set-up traffic delivered");

    // The attack, with real traffic and timers in between.
    let mut rest = data;
    let mut turn = 0u32;
    while let Some((len, tail)) = rest.split_first_chunk::<2>() {
        let len = usize::from(u16::from_be_bytes(*len))
            .min(tail.len())
            .min(MTU_BUF - 12);
        let (chunks, tail) = tail.split_at(len);
        rest = tail;
        let mut packet = Vec::with_capacity(12 + chunks.len());
        packet.extend_from_slice(&b_header);
        packet.extend_from_slice(chunks);
        checksum::write_checksum(&mut packet);
        let _ = a.handle_receive(now, &packet);
        turn += 1;
        if turn.is_multiple_of(3) {
            let _ = b.send(
                now,
                2,
                51,
                b"during",
                turn.is_multiple_of(2),
                Reliability::Reliable,
            );
            let _ = a.send(now, 3, 53, &[7; 500], false, Reliability::Reliable);
        }
        // Time moves by 0..255 ms, chosen by the input's length byte.
        now += Duration::from_millis(u64::from(len as u8));
        a.handle_timeout(now);
        b.handle_timeout(now);
        pump(&mut a, &mut b, now, &mut a_header);
        pump(&mut b, &mut a, now, &mut b_header);
        messages(&mut a, &mut delivered);
        assert!(a.send_buffer_used() <= Config::default().send_buffer_limit);
    }
    // Let timers run out for a simulated minute: the state machine settles.
    for _ in 0..60 {
        now += Duration::from_secs(1);
        a.handle_timeout(now);
        b.handle_timeout(now);
        pump(&mut a, &mut b, now, &mut a_header);
        pump(&mut b, &mut a, now, &mut b_header);
        messages(&mut a, &mut delivered);
    }
});
