//! Hostile input against an established association: random chunks
//! (every type, random flags and values, valid framing and checksum, the
//! right verification tag) and random bytes never panic, and data the
//! association had already delivered stays delivered.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use zerortc::sctp::{
    Association, CommonHeader, Config, Event, PacketWriter, Reliability, checksum,
};

/// Two associations connected in memory (with I-DATA and zero checksums
/// when `extensions`); returns them with the clock.
fn pair(extensions: bool) -> (Association, Association, Instant) {
    let now = Instant::now();
    let cfg = |seed| Config {
        seed,
        interleaving: extensions,
        zero_checksum: extensions,
        ..Config::default()
    };
    let mut a = Association::new(cfg(1), now);
    let mut b = Association::new(cfg(2), now);
    a.connect(now);
    b.connect(now);
    let mut buf = [0u8; 1500];
    for _ in 0..6 {
        while let Some(n) = a.poll_transmit(now, &mut buf) {
            b.handle_receive(now, &buf[..n]).unwrap();
        }
        while let Some(n) = b.poll_transmit(now, &mut buf) {
            a.handle_receive(now, &buf[..n]).unwrap();
        }
    }
    assert!(a.is_established() && b.is_established());
    (a, b, now)
}

/// The verification tag a's packets carry (b's local tag).
fn tag_of(a: &mut Association, b: &mut Association, now: Instant) -> u32 {
    a.send(now, 0, 53, b"probe", false, Reliability::Reliable)
        .unwrap();
    let mut buf = [0u8; 1500];
    let n = a.poll_transmit(now, &mut buf).unwrap();
    b.handle_receive(now, &buf[..n]).unwrap();
    u32::from_be_bytes(buf[4..8].try_into().unwrap())
}

fn chunk_types() -> impl Strategy<Value = u8> {
    prop_oneof![
        Just(0u8),
        Just(1),
        Just(2),
        Just(3),
        Just(4),
        Just(5),
        Just(6),
        Just(7),
        Just(8),
        Just(9),
        Just(10),
        Just(11),
        Just(14),
        Just(64),
        Just(130),
        Just(192),
        Just(194),
        any::<u8>()
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_chunks_never_panic_nor_undeliver(
        chunks in proptest::collection::vec(
            (chunk_types(), any::<u8>(), proptest::collection::vec(any::<u8>(), 0..64)),
            1..6,
        ),
        garbage in proptest::collection::vec(any::<u8>(), 0..100),
        interleaving in any::<bool>(),
    ) {
        let (mut a, mut b, now) = pair(interleaving);
        prop_assert_eq!(a.uses_i_data(), interleaving);
        let tag = tag_of(&mut a, &mut b, now);
        let mut delivered = Vec::new();
        while let Some(e) = b.poll_event() {
            if let Event::Message(m) = e {
                delivered.push(m.data);
            }
        }
        prop_assert_eq!(delivered, vec![b"probe".to_vec()]);
        // A packet of random chunks, well framed, correct tag and checksum.
        let mut buf = [0u8; 1500];
        let header = CommonHeader { source_port: 5000, destination_port: 5000, verification_tag: tag, checksum: 0 };
        let mut w = PacketWriter::new(&mut buf, header).unwrap();
        for (ty, flags, value) in &chunks {
            let raw = zerortc::sctp::RawChunk { chunk_type: *ty, flags: *flags, value, padding: 0 };
            let _ = w.push(&zerortc::sctp::ChunkView::Unknown(raw));
        }
        let n = w.finish(false);
        prop_assert!(checksum::verify_checksum(&buf[..n]));
        let _ = b.handle_receive(now, &buf[..n]);
        // Random bytes, with and without a fixed-up checksum.
        let _ = b.handle_receive(now, &garbage);
        let mut g = garbage.clone();
        if g.len() >= 12 {
            g[4..8].copy_from_slice(&tag.to_be_bytes());
            checksum::write_checksum(&mut g);
            let _ = b.handle_receive(now, &g);
        }
        // Timers and output still work.
        let mut t = now;
        for _ in 0..5 {
            t += Duration::from_millis(300);
            b.handle_timeout(t);
            while b.poll_transmit(t, &mut buf).is_some() {}
            while let Some(e) = b.poll_event() {
                // Whatever the garbage did, "probe" is not delivered again
                // as a duplicate of the acknowledged TSN.
                if let Event::Message(m) = e {
                    prop_assert!(m.data != b"probe");
                }
            }
        }
    }
}
