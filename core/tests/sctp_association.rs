//! Two SCTP associations under the deterministic network simulator:
//! handshake, reliable delivery under loss, reordering, duplication and
//! jitter with a 1200-byte MTU, large messages, many streams, partial
//! reliability, stream reset, shutdown, abort, and garbage input.

mod netsim;
mod sctp_util;

use std::collections::HashMap;
use std::time::Duration;

use netsim::{LinkConfig, drive};
use sctp_util::{Peer, config, connected_pair, connected_pair_with, pattern};
use zerortc::sctp::{AbortReason, AssociationState, Event, Reliability, SctpError};

const PPID_BINARY: u32 = 53;

/// Link used by most tests: 1200-byte MTU (oversize is an error, so a
/// packet too large fails the test), 20 ms ± 5 ms.
fn link(loss: f64) -> LinkConfig {
    LinkConfig {
        loss,
        delay: Duration::from_millis(20),
        jitter: Duration::from_millis(5),
        mtu: Some(1200),
        oversize_is_error: true,
        ..LinkConfig::default()
    }
}

/// Sends `count` messages from a to b over `streams` streams (sizes from
/// `size(i)`), keeping the send buffer topped up, and checks that b got
/// every one exactly once, in order per stream when ordered, byte for byte.
fn transfer(
    link: LinkConfig,
    seed: u64,
    count: usize,
    streams: u16,
    unordered: bool,
    size: impl Fn(usize) -> usize,
) -> (netsim::Stats, u64) {
    let (mut sim, mut a, mut b) = connected_pair(seed, link);
    let start = sim.now();
    let mut next = 0usize;
    let deadline = sim.now() + Duration::from_secs(3600);
    let ok = drive(&mut sim, &mut a, &mut b, deadline, |sim, a, b| {
        while next < count && a.assoc.send_buffer_used() < 512 * 1024 {
            let stream = (next % streams as usize) as u16;
            let data = pattern(next, size(next));
            a.assoc
                .send(
                    sim.now(),
                    stream,
                    PPID_BINARY,
                    &data,
                    unordered,
                    Reliability::Reliable,
                )
                .unwrap();
            next += 1;
        }
        b.messages.len() >= count && a.assoc.send_buffer_used() == 0
    });
    assert!(
        ok,
        "transfer did not finish after {:?}: {} of {count} delivered; a: {:?} {:?}, b: {:?} {:?}",
        sim.now() - start,
        b.messages.len(),
        a.assoc.state(),
        a.events,
        b.assoc.state(),
        b.events
    );
    assert_eq!(b.messages.len(), count, "exactly once");
    // Which message is which: content is pattern(i, size(i)) on stream i % streams.
    let mut per_stream: HashMap<u16, Vec<usize>> = HashMap::new();
    let mut seen = vec![false; count];
    for m in &b.messages {
        assert_eq!(m.ppid, PPID_BINARY);
        assert_eq!(m.unordered, unordered);
        let next_expected = per_stream
            .get(&m.stream_id)
            .map_or(m.stream_id as usize, |v| {
                v.last().copied().unwrap_or(0) + streams as usize
            });
        let i = if unordered {
            // Find the index by content among this stream's messages.
            (m.stream_id as usize..count)
                .step_by(streams as usize)
                .find(|&i| !seen[i] && m.data == pattern(i, size(i)))
                .expect("unordered message matches an unsent index")
        } else {
            next_expected
        };
        assert!(!seen[i], "message {i} delivered twice");
        seen[i] = true;
        assert_eq!(m.data.len(), size(i), "message {i} length");
        assert!(m.data == pattern(i, size(i)), "message {i} content");
        per_stream.entry(m.stream_id).or_default().push(i);
    }
    assert!(seen.iter().all(|&s| s));
    assert_eq!(a.bad_packets + b.bad_packets, 0);
    (sim.stats(), a.assoc.retransmissions())
}

fn mixed_size(i: usize) -> usize {
    match i % 7 {
        0 => 1,
        1 => 100,
        2 => 1172,
        3 => 1173,
        4 => 3000,
        5 => 10_000,
        _ => 20 + i % 500,
    }
}

#[test]
fn handshake_one_side_connects() {
    let mut sim = netsim::NetSim::new(1, link(0.0));
    let now = sim.now();
    let mut a = Peer::new(config(1), now);
    let mut b = Peer::new(config(2), now);
    a.assoc.connect(now);
    let deadline = now + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| a
        .connected()
        && b.connected()));
    assert_eq!(a.events, [Event::Connected]);
    assert_eq!(b.events, [Event::Connected]);
    assert_eq!(a.assoc.outbound_streams(), u16::MAX);
    assert!(a.assoc.peer_supports_forward_tsn());
    // 4 packets: INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK; one RTT each way twice.
    assert_eq!(sim.stats().sent, 4);
}

#[test]
fn handshake_collision_and_lossy_handshake() {
    for seed in 0..20 {
        let (_, a, b) = connected_pair(seed, link(0.3));
        assert!(a.connected() && b.connected());
    }
}

#[test]
fn reliable_ordered_without_loss() {
    let (stats, rtx) = transfer(link(0.0), 7, 2000, 4, false, mixed_size);
    assert_eq!(rtx, 0);
    assert_eq!(stats.lost, 0);
}

#[test]
fn reliable_ordered_1_percent_loss() {
    let (stats, rtx) = transfer(link(0.01), 11, 2000, 4, false, mixed_size);
    assert!(stats.lost > 0 && rtx > 0);
}

#[test]
fn reliable_ordered_5_percent_loss() {
    let (stats, _) = transfer(link(0.05), 12, 1500, 3, false, mixed_size);
    assert!(stats.lost > 0);
}

#[test]
fn reliable_ordered_10_percent_loss() {
    transfer(link(0.10), 13, 1000, 2, false, mixed_size);
}

#[test]
fn reliable_ordered_30_percent_loss() {
    transfer(link(0.30), 14, 300, 2, false, mixed_size);
}

#[test]
fn reliable_unordered_10_percent_loss() {
    transfer(link(0.10), 15, 1000, 3, true, mixed_size);
}

#[test]
fn reordering_duplication_and_jitter() {
    let l = LinkConfig {
        loss: 0.02,
        duplicate: 0.05,
        reorder: 0.1,
        reorder_delay: Duration::from_millis(30),
        jitter: Duration::from_millis(40),
        ..link(0.0)
    };
    let (stats, _) = transfer(l, 16, 1500, 4, false, mixed_size);
    assert!(stats.duplicated > 0 && stats.reordered > 0);
}

#[test]
fn bandwidth_limited_link() {
    let l = LinkConfig {
        bandwidth_bps: Some(20_000_000),
        queue_limit: Duration::from_millis(50),
        ..link(0.0)
    };
    let (stats, _) = transfer(l, 17, 400, 1, false, |_| 16 * 1024);
    // The queue overflowed at some point and SCTP recovered from it.
    assert!(stats.queue_drops > 0, "{stats:?}");
}

#[test]
fn messages_of_64k_and_256k_under_loss() {
    transfer(link(0.02), 18, 40, 2, false, |i| {
        if i % 2 == 0 { 64 * 1024 } else { 256 * 1024 }
    });
}

#[test]
fn a_thousand_streams() {
    transfer(link(0.01), 19, 3000, 1000, false, |i| 10 + i % 300);
}

#[test]
fn both_directions_at_once() {
    let (mut sim, mut a, mut b) = connected_pair(20, link(0.05));
    let count = 500;
    let (mut na, mut nb) = (0, 0);
    let deadline = sim.now() + Duration::from_secs(600);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |sim, a, b| {
        while na < count && a.assoc.send_buffer_used() < 100_000 {
            a.assoc
                .send(
                    sim.now(),
                    1,
                    51,
                    &pattern(na, 700),
                    false,
                    Reliability::Reliable,
                )
                .unwrap();
            na += 1;
        }
        while nb < count && b.assoc.send_buffer_used() < 100_000 {
            b.assoc
                .send(
                    sim.now(),
                    2,
                    51,
                    &pattern(nb + 10_000, 1500),
                    false,
                    Reliability::Reliable,
                )
                .unwrap();
            nb += 1;
        }
        a.messages.len() == count && b.messages.len() == count
    }));
    for (i, m) in b.messages.iter().enumerate() {
        assert_eq!(m.data, pattern(i, 700));
    }
    for (i, m) in a.messages.iter().enumerate() {
        assert_eq!(m.data, pattern(i + 10_000, 1500));
    }
}

/// Partial reliability: every message that arrives is intact and in
/// order, none twice; with 0 retransmissions allowed, under loss some
/// are dropped; the association keeps working afterwards.
#[test]
fn partial_reliability_by_retransmits() {
    let (mut sim, mut a, mut b) = connected_pair(21, link(0.10));
    let count = 600;
    let mut next = 0;
    let deadline = sim.now() + Duration::from_secs(600);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |sim, a, _| {
        while next < count && a.assoc.send_buffer_used() < 50_000 {
            let size = if next % 3 == 0 { 3000 } else { 300 };
            a.assoc
                .send(
                    sim.now(),
                    0,
                    PPID_BINARY,
                    &pattern(next, size),
                    false,
                    Reliability::MaxRetransmits(0),
                )
                .unwrap();
            next += 1;
        }
        next == count && a.assoc.send_buffer_used() == 0
    }));
    // Still alive: a reliable message goes through.
    a.assoc
        .send(
            sim.now(),
            0,
            PPID_BINARY,
            b"after",
            false,
            Reliability::Reliable,
        )
        .unwrap();
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| {
        b.messages.last().is_some_and(|m| m.data == b"after")
    }));
    b.messages.pop();
    let mut last = None;
    for m in b.messages.iter() {
        let i = (0..count)
            .find(|&i| m.data == pattern(i, if i % 3 == 0 { 3000 } else { 300 }))
            .expect("intact message");
        assert!(
            last.is_none_or(|l| i > l),
            "in order, once: {i} after {last:?}"
        );
        last = Some(i);
    }
    assert!(
        b.messages.len() < count,
        "some messages abandoned under 10 % loss"
    );
    assert!(b.messages.len() > count / 2);
}

#[test]
fn partial_reliability_by_lifetime() {
    let (mut sim, mut a, mut b) = connected_pair(22, link(0.2));
    let count = 300;
    let mut next = 0;
    let deadline = sim.now() + Duration::from_secs(600);
    let lifetime = Duration::from_millis(100);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |sim, a, _| {
        while next < count && a.assoc.send_buffer_used() < 20_000 {
            a.assoc
                .send(
                    sim.now(),
                    3,
                    PPID_BINARY,
                    &pattern(next, 2000),
                    true,
                    Reliability::MaxLifetime(lifetime),
                )
                .unwrap();
            next += 1;
        }
        next == count && a.assoc.send_buffer_used() == 0
    }));
    let mut seen = vec![false; count];
    for m in &b.messages {
        let i = (0..count)
            .find(|&i| m.data == pattern(i, 2000))
            .expect("intact");
        assert!(!seen[i]);
        seen[i] = true;
    }
    assert!(b.messages.len() < count && !b.messages.is_empty());
}

#[test]
fn stream_reset_then_reuse() {
    let (mut sim, mut a, mut b) = connected_pair(23, link(0.05));
    for i in 0..20 {
        a.assoc
            .send(
                sim.now(),
                5,
                51,
                &pattern(i, 500),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    a.assoc.reset_streams(&[5]).unwrap();
    assert_eq!(
        a.assoc
            .send(sim.now(), 5, 51, b"x", false, Reliability::Reliable),
        Err(SctpError::StreamResetting(5))
    );
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| {
        a.events
            .contains(&Event::OutgoingStreamReset { stream_id: 5 })
            && b.events
                .contains(&Event::IncomingStreamReset { stream_id: 5 })
    }));
    // All 20 messages were delivered before the reset event.
    assert_eq!(b.messages.len(), 20);
    // Reuse: SSNs start again at 0 on both sides.
    for i in 0..10 {
        a.assoc
            .send(
                sim.now(),
                5,
                51,
                &pattern(100 + i, 800),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 30));
    for (k, m) in b.messages[20..].iter().enumerate() {
        assert_eq!(m.data, pattern(100 + k, 800));
    }
}

#[test]
fn graceful_shutdown_delivers_queued_data() {
    let (mut sim, mut a, mut b) = connected_pair(24, link(0.05));
    for i in 0..50 {
        a.assoc
            .send(
                sim.now(),
                0,
                53,
                &pattern(i, 4000),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    a.assoc.shutdown(sim.now());
    let deadline = sim.now() + Duration::from_secs(120);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| {
        a.assoc.state() == AssociationState::Closed && b.assoc.state() == AssociationState::Closed
    }));
    assert_eq!(b.messages.len(), 50);
    assert!(a.events.contains(&Event::Closed));
    assert!(b.events.contains(&Event::Closed));
    assert_eq!(
        a.assoc
            .send(sim.now(), 0, 53, b"late", false, Reliability::Reliable),
        Err(SctpError::NotEstablished)
    );
}

#[test]
fn abort_reaches_the_peer() {
    let (mut sim, mut a, mut b) = connected_pair(25, link(0.0));
    a.assoc.abort(b"going away");
    let deadline = sim.now() + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| {
        b.assoc.state() == AssociationState::Closed
    }));
    assert_eq!(a.events.last(), Some(&Event::Aborted(AbortReason::Local)));
    assert_eq!(b.events.last(), Some(&Event::Aborted(AbortReason::Peer)));
}

#[test]
fn dead_peer_times_out() {
    let (mut sim, mut a, mut b) = connected_pair(26, link(0.0));
    a.assoc
        .send(
            sim.now(),
            0,
            53,
            b"into the void",
            false,
            Reliability::Reliable,
        )
        .unwrap();
    sim.set_link(netsim::Side::A, LinkConfig::lossy(1.0));
    sim.set_link(netsim::Side::B, LinkConfig::lossy(1.0));
    let deadline = sim.now() + Duration::from_secs(3600);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, _| {
        a.assoc.state() == AssociationState::Closed
    }));
    assert_eq!(a.events.last(), Some(&Event::Aborted(AbortReason::Timeout)));
}

#[test]
fn idle_association_heartbeats_and_measures_rtt() {
    let (mut sim, mut a, mut b) = connected_pair(27, link(0.0));
    let deadline = sim.now() + Duration::from_secs(100);
    drive(&mut sim, &mut a, &mut b, deadline, |_, _, _| false);
    let srtt = a.assoc.srtt().expect("heartbeats measured the RTT");
    // 2 × (20 ms + U(0, 5 ms))
    assert!(
        srtt >= Duration::from_millis(40) && srtt <= Duration::from_millis(50),
        "{srtt:?}"
    );
    assert!(a.connected() && b.connected());
}

#[test]
fn garbage_and_corrupted_packets_change_nothing() {
    let (mut sim, mut a, mut b) = connected_pair(28, link(0.0));
    let now = sim.now();
    for i in 0..5 {
        a.assoc
            .send(now, 0, 53, &pattern(i, 2000), false, Reliability::Reliable)
            .unwrap();
    }
    // Capture a's packets, corrupt copies, feed them to b before the real ones.
    let mut buf = [0u8; 1500];
    let mut packets = Vec::new();
    while let Some(n) = a.assoc.poll_transmit(now, &mut buf) {
        packets.push(buf[..n].to_vec());
    }
    assert!(!packets.is_empty());
    for p in &packets {
        let mut bad = p.clone();
        bad[20] ^= 0xFF; // checksum mismatch
        assert!(matches!(
            b.assoc.handle_receive(now, &bad),
            Err(SctpError::BadChecksum { .. })
        ));
        assert!(b.assoc.handle_receive(now, &p[..p.len() / 2]).is_err());
        let mut wrong_tag = p.clone();
        wrong_tag[4] ^= 1;
        zerortc::sctp::checksum::write_checksum(&mut wrong_tag);
        assert_eq!(
            b.assoc.handle_receive(now, &wrong_tag),
            Err(SctpError::InvalidField("verification tag"))
        );
        assert!(b.assoc.handle_receive(now, &[0u8; 3]).is_err());
    }
    for p in &packets {
        b.assoc.handle_receive(now, p).unwrap();
    }
    let deadline = sim.now() + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 5));
    for (i, m) in b.messages.iter().enumerate() {
        assert_eq!(m.data, pattern(i, 2000));
    }
}

#[test]
fn send_errors() {
    let mut cb = config(30);
    cb.streams = 16;
    let mut ca = config(31);
    ca.max_message_size = 1000;
    ca.send_buffer_limit = 3000;
    let (sim, mut a, _b) = connected_pair_with(29, link(0.0), ca, cb);
    let now = sim.now();
    assert_eq!(a.assoc.outbound_streams(), 16);
    assert_eq!(
        a.assoc
            .send(now, 16, 51, b"x", false, Reliability::Reliable),
        Err(SctpError::InvalidStream(16))
    );
    assert_eq!(
        a.assoc.send(now, 0, 51, b"", false, Reliability::Reliable),
        Err(SctpError::EmptyMessage)
    );
    assert!(matches!(
        a.assoc
            .send(now, 0, 51, &[0; 1001], false, Reliability::Reliable),
        Err(SctpError::MessageTooLarge {
            len: 1001,
            max: 1000
        })
    ));
    for _ in 0..3 {
        a.assoc
            .send(now, 0, 51, &[0; 1000], false, Reliability::Reliable)
            .unwrap();
    }
    assert!(matches!(
        a.assoc
            .send(now, 0, 51, &[0; 1], false, Reliability::Reliable),
        Err(SctpError::SendBufferFull { .. })
    ));
    assert_eq!(a.assoc.buffered_amount(0), 3000);
}

#[test]
fn buffered_amount_low_fires() {
    let (mut sim, mut a, mut b) = connected_pair(32, link(0.0));
    a.assoc.set_buffered_amount_low_threshold(4, 10_000);
    for i in 0..40 {
        a.assoc
            .send(
                sim.now(),
                4,
                53,
                &pattern(i, 1000),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    assert_eq!(a.assoc.buffered_amount(4), 40_000);
    let deadline = sim.now() + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, _| {
        a.events
            .contains(&Event::BufferedAmountLow { stream_id: 4 })
    }));
    assert!(a.assoc.buffered_amount(4) <= 10_000);
}

#[test]
fn zero_checksum_when_both_offer_it() {
    let mut ca = config(40);
    ca.zero_checksum = true;
    let mut cb = config(41);
    cb.zero_checksum = true;
    let (mut sim, mut a, mut b) = connected_pair_with(42, link(0.0), ca, cb);
    assert!(a.assoc.sends_zero_checksum() && b.assoc.sends_zero_checksum());
    a.assoc
        .send(sim.now(), 0, 53, b"zero", false, Reliability::Reliable)
        .unwrap();
    let mut buf = [0u8; 1500];
    let n = a.assoc.poll_transmit(sim.now(), &mut buf).unwrap();
    assert_eq!(&buf[8..12], &[0, 0, 0, 0]);
    b.assoc.handle_receive(sim.now(), &buf[..n]).unwrap();
    let deadline = sim.now() + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 1));
    // Only one side offering: checksums stay.
    let mut cc = config(43);
    cc.zero_checksum = true;
    let (_, c, d) = connected_pair_with(44, link(0.0), cc, config(45));
    assert!(!c.assoc.sends_zero_checksum() && !d.assoc.sends_zero_checksum());
}

#[test]
fn peer_restart_is_detected_and_traffic_resumes() {
    let (mut sim, mut a, mut b) = connected_pair(50, link(0.0));
    for i in 0..5 {
        a.assoc
            .send(
                sim.now(),
                0,
                53,
                &pattern(i, 3000),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    let deadline = sim.now() + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 5));
    // b loses all state and connects again with a fresh association.
    let now = sim.now();
    b = Peer::new(config(51), now);
    b.assoc.connect(now);
    let deadline = sim.now() + Duration::from_secs(30);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| {
        a.events.contains(&Event::Restarted) && b.connected()
    }));
    assert!(a.connected());
    assert_eq!(
        a.events.iter().filter(|e| **e == Event::Connected).count(),
        2
    );
    // Fresh TSNs and SSNs on both sides: messages flow both ways.
    a.assoc
        .send(
            sim.now(),
            0,
            53,
            b"after restart",
            false,
            Reliability::Reliable,
        )
        .unwrap();
    b.assoc
        .send(
            sim.now(),
            0,
            53,
            b"hello again",
            false,
            Reliability::Reliable,
        )
        .unwrap();
    let deadline = sim.now() + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| {
        b.messages.len() == 1 && a.messages.len() == 1
    }));
    assert_eq!(b.messages[0].data, b"after restart");
    assert_eq!(a.messages[0].data, b"hello again");
}

#[test]
fn forged_restart_without_tie_tags_is_rejected() {
    // A COOKIE-ECHO that no INIT-ACK of ours produced cannot restart the
    // association: the MAC fails and nothing changes.
    let (mut sim, mut a, mut b) = connected_pair(52, link(0.0));
    let mut buf = [0u8; 200];
    let header = zerortc::sctp::CommonHeader {
        source_port: 5000,
        destination_port: 5000,
        verification_tag: 0x1234_5678,
        checksum: 0,
    };
    let mut w = zerortc::sctp::PacketWriter::new(&mut buf, header).unwrap();
    w.cookie_echo(&[0u8; 80]).unwrap();
    let n = w.finish(false);
    assert_eq!(
        a.assoc.handle_receive(sim.now(), &buf[..n]),
        Err(SctpError::InvalidField("state cookie"))
    );
    assert!(!a.events.contains(&Event::Restarted));
    a.assoc
        .send(
            sim.now(),
            0,
            53,
            b"still here",
            false,
            Reliability::Reliable,
        )
        .unwrap();
    let deadline = sim.now() + Duration::from_secs(10);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 1));
}

#[test]
fn data_on_a_stream_that_does_not_exist_is_acked_dropped_and_reported() {
    let mut cb = config(61);
    cb.streams = 4;
    let (mut sim, mut a, mut b) = connected_pair_with(60, link(0.0), config(62), cb);
    assert_eq!(b.assoc.inbound_streams(), 4);
    // Forge a DATA chunk on stream 9 from a's next TSN, using a's own
    // packet as the template for tags and TSN.
    a.assoc
        .send(sim.now(), 1, 53, b"real", false, Reliability::Reliable)
        .unwrap();
    let mut buf = [0u8; 1500];
    let n = a.assoc.poll_transmit(sim.now(), &mut buf).unwrap();
    let p = zerortc::sctp::SctpPacket::parse(&buf[..n]).unwrap();
    let zerortc::sctp::ChunkView::Data(d) = p.chunks().next().unwrap().unwrap().decode().unwrap()
    else {
        panic!("DATA expected")
    };
    let mut out = [0u8; 200];
    let mut w = zerortc::sctp::PacketWriter::new(&mut out, p.header()).unwrap();
    let h = zerortc::sctp::DataHeader {
        flags: 3,
        tsn: d.tsn,
        stream_id: 9,
        ssn: 0,
        ppid: 53,
    };
    w.data(&h, b"bogus").unwrap();
    let m = w.finish(false);
    b.assoc.handle_receive(sim.now(), &out[..m]).unwrap();
    // The real packet with the same TSN is now a duplicate; a retransmits
    // nothing since b acknowledged the TSN. The forged data is not delivered.
    b.assoc.handle_receive(sim.now(), &buf[..n]).unwrap();
    let mut reply = [0u8; 1500];
    let mut saw_error = false;
    while let Some(k) = b.assoc.poll_transmit(sim.now(), &mut reply) {
        let p = zerortc::sctp::SctpPacket::parse(&reply[..k]).unwrap();
        for c in p.chunks() {
            if let zerortc::sctp::ChunkView::Error(_) = c.unwrap().decode().unwrap() {
                saw_error = true;
            }
        }
        a.assoc.handle_receive(sim.now(), &reply[..k]).unwrap();
    }
    assert!(saw_error, "ERROR with invalid stream identifier sent");
    while let Some(e) = b.assoc.poll_event() {
        assert!(!matches!(e, Event::Message(_)), "nothing delivered");
    }
    let deadline = sim.now() + Duration::from_secs(5);
    drive(&mut sim, &mut a, &mut b, deadline, |_, _, _| false);
    assert!(b.messages.is_empty());
    assert!(a.connected() && b.connected());
}

/// Flow control: a reader that stops taking messages fills its window and
/// stalls the sender (bounded memory on both sides); when it drains, a
/// window update restarts the flow at once, without waiting for probes.
#[test]
fn slow_reader_stalls_the_sender_then_window_update_resumes() {
    let mut cb = config(71);
    cb.receive_window = 64 * 1024;
    let (mut sim, mut a, mut b) = connected_pair_with(70, link(0.0), config(72), cb);
    b.paused = true;
    let total = 200;
    for i in 0..total {
        a.assoc
            .send(
                sim.now(),
                0,
                53,
                &pattern(i, 4000),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    let deadline = sim.now() + Duration::from_secs(5);
    drive(&mut sim, &mut a, &mut b, deadline, |_, _, _| false);
    let mut queued = 0;
    while let Some(e) = b.assoc.poll_event() {
        if let Event::Message(m) = e {
            queued += m.data.len();
            b.messages.push(m);
        }
    }
    // The window bounded what b took in; a still holds the rest.
    assert!(
        queued <= 64 * 1024 + 4000 + 1200,
        "{queued} bytes queued at b"
    );
    assert!(a.assoc.send_buffer_used() > 0);
    b.paused = false;
    let resumed = sim.now();
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == total));
    // No stall: 200 × 4000 bytes at 64 KiB per 40 ms round trip.
    assert!(
        sim.now() - resumed < Duration::from_secs(2),
        "{:?}",
        sim.now() - resumed
    );
    for (i, m) in b.messages.iter().enumerate() {
        assert_eq!(m.data, pattern(i, 4000));
    }
}

/// Zero window probing (RFC 9260 §6.1 rule A): a reader that stops taking
/// messages for ten minutes keeps its window closed far longer than
/// Association.Max.Retrans timeouts last (11 backed-off RTOs, about 4
/// minutes). The sender probes, the receiver answers every probe with a
/// SACK that shows the closed window; those unanswered probes are not
/// errors, so the association stays up, and they are not losses either:
/// once the reader drains, the flow restarts without a collapsed
/// congestion window. Heartbeats are off (their acks would reset the
/// error counter and hide the first part).
#[test]
fn reader_paused_for_ten_minutes_keeps_the_association_and_its_pace() {
    let hour = Duration::from_secs(3600);
    let mut ca = config(92);
    ca.heartbeat_interval = hour;
    let mut cb = config(91);
    cb.receive_window = 64 * 1024;
    cb.heartbeat_interval = hour;
    let (mut sim, mut a, mut b) = connected_pair_with(90, link(0.0), ca, cb);
    b.paused = true;
    let total = 200;
    for i in 0..total {
        a.assoc
            .send(
                sim.now(),
                0,
                53,
                &pattern(i, 4000),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    let deadline = sim.now() + Duration::from_secs(600);
    drive(&mut sim, &mut a, &mut b, deadline, |_, a, _| !a.connected());
    assert!(
        a.connected() && b.connected(),
        "the sender gave up on a live peer with a closed window: {:?}",
        a.events
    );
    assert!(a.assoc.send_buffer_used() > 0, "the window held the sender");
    b.paused = false;
    b.drain();
    let resumed = sim.now();
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == total));
    // Virtual time, deterministic. The probe goes again as soon as the
    // window update shows room, and the ramp is a slow start up to the
    // unchanged ssthresh: 0.9 s for the 184 messages left. When the
    // probe's timeouts and its fast retransmit counted as losses
    // (ssthresh halved down to 4 × MTU, then one MTU more per round
    // trip), it took 1.6 s.
    let took = sim.now() - resumed;
    assert!(
        took < Duration::from_millis(1200),
        "{took:?} after the window opened"
    );
    for (i, m) in b.messages.iter().enumerate() {
        assert_eq!(m.data, pattern(i, 4000));
    }
}

/// Messages larger than the receive window still get through (the next
/// in-sequence chunk is always accepted while nothing unread is held).
#[test]
fn messages_larger_than_the_receive_window() {
    let mut cb = config(81);
    cb.receive_window = 32 * 1024;
    let (mut sim, mut a, mut b) = connected_pair_with(80, link(0.02), config(82), cb);
    for i in 0..4 {
        a.assoc
            .send(
                sim.now(),
                0,
                53,
                &pattern(i, 256 * 1024),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    let deadline = sim.now() + Duration::from_secs(600);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 4));
    for (i, m) in b.messages.iter().enumerate() {
        assert!(m.data == pattern(i, 256 * 1024));
    }
}
