//! I-DATA (RFC 8260): negotiation, reliable and partially reliable
//! transfer under loss with I-DATA and I-FORWARD-TSN, stream reset, and
//! reassembly of messages whose fragments arrive interleaved.

mod netsim;
mod sctp_util;

use std::time::Duration;

use netsim::{LinkConfig, drive};
use sctp_util::{Peer, config, connected_pair_with, pattern};
use zerortc::sctp::{
    ChunkView, Config, Event, FLAG_BEGIN, FLAG_END, FLAG_UNORDERED, PacketWriter, Reliability,
    SctpPacket, chunk_type,
};

fn interleaving(seed: u64) -> Config {
    Config {
        interleaving: true,
        ..config(seed)
    }
}

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

/// The chunk types of the packets a sends next (consumed, not delivered).
fn next_chunk_types(a: &mut Peer, now: std::time::Instant) -> Vec<u8> {
    let mut buf = [0u8; 1500];
    let mut types = Vec::new();
    while let Some(n) = a.assoc.poll_transmit(now, &mut buf) {
        let p = SctpPacket::parse(&buf[..n]).unwrap();
        types.extend(p.chunks().map(|c| c.unwrap().chunk_type));
    }
    types
}

#[test]
fn negotiated_only_when_both_offer_it() {
    let (sim, mut a, b) = connected_pair_with(1, link(0.0), interleaving(2), interleaving(3));
    assert!(a.assoc.uses_i_data() && b.assoc.uses_i_data());
    a.assoc
        .send(sim.now(), 0, 53, &[1; 3000], false, Reliability::Reliable)
        .unwrap();
    assert!(
        next_chunk_types(&mut a, sim.now())
            .iter()
            .all(|&t| t == chunk_type::I_DATA)
    );
    let (sim, mut c, d) = connected_pair_with(4, link(0.0), interleaving(5), config(6));
    assert!(!c.assoc.uses_i_data() && !d.assoc.uses_i_data());
    c.assoc
        .send(sim.now(), 0, 53, &[1; 3000], false, Reliability::Reliable)
        .unwrap();
    assert!(
        next_chunk_types(&mut c, sim.now())
            .iter()
            .all(|&t| t == chunk_type::DATA)
    );
}

#[test]
fn reliable_transfer_with_i_data_under_loss() {
    for (seed, loss, unordered) in [(10u64, 0.0, false), (11, 0.05, false), (12, 0.10, true)] {
        let (mut sim, mut a, mut b) = connected_pair_with(
            seed,
            link(loss),
            interleaving(seed + 100),
            interleaving(seed + 200),
        );
        let count = 400;
        let size = |i: usize| [10, 1000, 1200, 5000, 70_000][i % 5];
        let mut next = 0;
        let deadline = sim.now() + Duration::from_secs(3600);
        assert!(drive(&mut sim, &mut a, &mut b, deadline, |sim, a, b| {
            while next < count && a.assoc.send_buffer_used() < 300_000 {
                let stream = (next % 3) as u16;
                a.assoc
                    .send(
                        sim.now(),
                        stream,
                        53,
                        &pattern(next, size(next)),
                        unordered,
                        Reliability::Reliable,
                    )
                    .unwrap();
                next += 1;
            }
            b.messages.len() == count
        }));
        let mut seen = vec![false; count];
        let mut last_per_stream = [None::<usize>; 3];
        for m in &b.messages {
            let i = u64::from_le_bytes({
                let mut id = [0u8; 8];
                let n = m.data.len().min(8);
                id[..n].copy_from_slice(&m.data[..n]);
                id
            }) as usize;
            assert!(i < count && !seen[i], "message {i} once");
            seen[i] = true;
            assert!(m.data == pattern(i, size(i)), "message {i} intact");
            assert_eq!(m.stream_id as usize, i % 3);
            if !unordered {
                let s = m.stream_id as usize;
                assert!(
                    last_per_stream[s].is_none_or(|l| l < i),
                    "in order on stream {s}"
                );
                last_per_stream[s] = Some(i);
            }
        }
    }
}

#[test]
fn partial_reliability_with_i_forward_tsn() {
    let (mut sim, mut a, mut b) =
        connected_pair_with(20, link(0.15), interleaving(21), interleaving(22));
    let count = 400;
    let mut next = 0usize;
    let deadline = sim.now() + Duration::from_secs(600);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |sim, a, _| {
        while next < count && a.assoc.send_buffer_used() < 30_000 {
            let size = if next.is_multiple_of(2) { 2500 } else { 200 };
            a.assoc
                .send(
                    sim.now(),
                    (next % 2) as u16,
                    53,
                    &pattern(next, size),
                    next % 4 == 3,
                    Reliability::MaxRetransmits(0),
                )
                .unwrap();
            next += 1;
        }
        next == count && a.assoc.send_buffer_used() == 0
    }));
    // The association recovered: a reliable message after the lossy run arrives.
    a.assoc
        .send(sim.now(), 0, 53, b"after", false, Reliability::Reliable)
        .unwrap();
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| {
        b.messages.last().is_some_and(|m| m.data == b"after")
    }));
    b.messages.pop();
    let mut seen = vec![false; count];
    let mut last_ordered = [None::<usize>; 2];
    for m in &b.messages {
        let i = u64::from_le_bytes(m.data[..8].try_into().unwrap()) as usize;
        assert!(!seen[i]);
        seen[i] = true;
        assert!(m.data == pattern(i, if i.is_multiple_of(2) { 2500 } else { 200 }));
        if !m.unordered {
            let s = m.stream_id as usize;
            assert!(
                last_ordered[s].is_none_or(|l| l < i),
                "ordered stays ordered"
            );
            last_ordered[s] = Some(i);
        }
    }
    assert!(b.messages.len() < count, "some abandoned at 15 % loss");
    assert!(b.messages.len() > count / 2);
}

#[test]
fn stream_reset_restarts_mids() {
    let (mut sim, mut a, mut b) =
        connected_pair_with(30, link(0.05), interleaving(31), interleaving(32));
    for i in 0..10 {
        a.assoc
            .send(
                sim.now(),
                4,
                53,
                &pattern(i, 3000),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    a.assoc.reset_streams(&[4]).unwrap();
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| {
        a.events
            .contains(&Event::OutgoingStreamReset { stream_id: 4 })
            && b.events
                .contains(&Event::IncomingStreamReset { stream_id: 4 })
    }));
    for i in 10..20 {
        a.assoc
            .send(
                sim.now(),
                4,
                53,
                &pattern(i, 3000),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 20));
    for (i, m) in b.messages.iter().enumerate() {
        assert_eq!(m.data, pattern(i, 3000));
    }
}

/// Fragments of three messages on two streams arrive interleaved (as a
/// peer with an interleaving scheduler sends them): each is reassembled by
/// (stream, U, MID) and FSN, and ordered delivery follows MIDs.
#[test]
fn interleaved_fragments_are_reassembled() {
    let (sim, mut a, mut b) =
        connected_pair_with(40, link(0.0), interleaving(41), interleaving(42));
    let now = sim.now();
    // Learn the tags and a's next TSN from a real I-DATA packet.
    a.assoc
        .send(now, 0, 53, b"first", false, Reliability::Reliable)
        .unwrap();
    let mut buf = [0u8; 1500];
    let n = a.assoc.poll_transmit(now, &mut buf).unwrap();
    b.assoc.handle_receive(now, &buf[..n]).unwrap();
    let p = SctpPacket::parse(&buf[..n]).unwrap();
    let ChunkView::IData(first) = p.chunks().next().unwrap().unwrap().decode().unwrap() else {
        panic!("I-DATA expected")
    };
    let header = p.header();
    // Stream 1: MID 0 "AAAA|aaaa|AA" (3 fragments), MID 1 "zz" (1 fragment).
    // Stream 2: unordered MID 0 "bb|BB" (2 fragments).
    let mut tsn = first.tsn.wrapping_add(1);
    let frags: [(u8, u16, u32, u32, &[u8]); 6] = [
        // flags, stream, mid, ppid_or_fsn, payload
        (FLAG_BEGIN, 1, 0, 51, b"AAAA"),
        (FLAG_BEGIN | FLAG_UNORDERED, 2, 0, 53, b"bb"),
        (FLAG_BEGIN | FLAG_END, 1, 1, 51, b"zz"),
        (0, 1, 0, 1, b"aaaa"),
        (FLAG_END | FLAG_UNORDERED, 2, 0, 1, b"BB"),
        (FLAG_END, 1, 0, 2, b"AA"),
    ];
    // Deliver in a scrambled TSN order too: the last fragment first.
    let mut packets = Vec::new();
    for (flags, stream, mid, x, payload) in frags {
        let mut out = [0u8; 200];
        let mut w = PacketWriter::new(&mut out, header).unwrap();
        w.i_data(flags, tsn, stream, mid, x, payload).unwrap();
        let len = w.finish(false);
        packets.push(out[..len].to_vec());
        tsn = tsn.wrapping_add(1);
    }
    packets.swap(0, 5);
    for p in &packets {
        b.assoc.handle_receive(now, p).unwrap();
    }
    let mut got = Vec::new();
    while let Some(e) = b.assoc.poll_event() {
        if let Event::Message(m) = e {
            got.push((m.stream_id, m.ppid, m.unordered, m.data));
        }
    }
    assert_eq!(
        got,
        [
            (0, 53, false, b"first".to_vec()),
            (2, 53, true, b"bbBB".to_vec()),
            (1, 51, false, b"AAAAaaaaAA".to_vec()),
            (1, 51, false, b"zz".to_vec()),
        ]
    );
}

/// Order in which b delivered messages, by (stream, first byte of pattern index).
fn delivery_order(b: &Peer) -> Vec<(u16, usize)> {
    b.messages
        .iter()
        .map(|m| {
            (
                m.stream_id,
                u64::from_le_bytes(m.data[..8].try_into().unwrap()) as usize,
            )
        })
        .collect()
}

#[test]
fn streams_take_turns_at_message_boundaries_with_data() {
    let (mut sim, mut a, mut b) = connected_pair_with(50, link(0.0), config(51), config(52));
    for i in 0..50 {
        a.assoc
            .send(
                sim.now(),
                1,
                53,
                &pattern(i, 16 * 1024),
                false,
                Reliability::Reliable,
            )
            .unwrap();
    }
    a.assoc
        .send(
            sim.now(),
            2,
            53,
            &pattern(1000, 100),
            false,
            Reliability::Reliable,
        )
        .unwrap();
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 51));
    let order = delivery_order(&b);
    let small = order.iter().position(|&(s, _)| s == 2).unwrap();
    assert!(
        small <= 2,
        "stream 2 waited for one stream-1 message only, got position {small}"
    );
}

#[test]
fn i_data_interleaves_a_small_message_into_a_large_one() {
    let (mut sim, mut a, mut b) =
        connected_pair_with(53, link(0.0), interleaving(54), interleaving(55));
    a.assoc
        .send(
            sim.now(),
            1,
            53,
            &pattern(0, 256 * 1024),
            false,
            Reliability::Reliable,
        )
        .unwrap();
    a.assoc
        .send(
            sim.now(),
            2,
            53,
            &pattern(1, 100),
            false,
            Reliability::Reliable,
        )
        .unwrap();
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
        .messages
        .len()
        == 2));
    // The small message, queued after the large one, arrives first.
    assert_eq!(delivery_order(&b), [(2, 1), (1, 0)]);
    assert!(b.messages[1].data == pattern(0, 256 * 1024));
}

/// Deficit round-robin by priority: two saturated streams at extra-high
/// (1024) and normal (256) priority share the link about 4 : 1.
#[test]
fn priorities_share_the_link() {
    for (seed, ca, cb) in [
        (60, config(61), config(62)),
        (63, interleaving(64), interleaving(65)),
    ] {
        let (mut sim, mut a, mut b) = connected_pair_with(seed, link(0.0), ca, cb);
        a.assoc.set_stream_priority(1, 1024);
        a.assoc.set_stream_priority(2, 256);
        for i in 0..300 {
            a.assoc
                .send(
                    sim.now(),
                    1,
                    53,
                    &pattern(i, 1000),
                    false,
                    Reliability::Reliable,
                )
                .unwrap();
            a.assoc
                .send(
                    sim.now(),
                    2,
                    53,
                    &pattern(1000 + i, 1000),
                    false,
                    Reliability::Reliable,
                )
                .unwrap();
        }
        let deadline = sim.now() + Duration::from_secs(60);
        assert!(drive(&mut sim, &mut a, &mut b, deadline, |_, _, b| b
            .messages
            .len()
            >= 250));
        let high = b.messages[..250]
            .iter()
            .filter(|m| m.stream_id == 1)
            .count();
        let low = 250 - high;
        let ratio = high as f64 / low as f64;
        assert!((3.0..=5.5).contains(&ratio), "{high} : {low}");
    }
}
