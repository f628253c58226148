use super::*;

/// Run-length chunk (3 small), 1-bit vector (14), 2-bit vector with a large
/// delta, a negative delta and two unused symbols; P-bit padding of 1.
pub(crate) const TWCC_THREE_CHUNKS: [u8; 40] = [
    0xaf, 205, 0x00, 0x09, // P, FMT 15, RTPFB, length 9
    0x00, 0x00, 0x00, 0x01, // sender SSRC
    0x00, 0x00, 0x00, 0x02, // media SSRC
    0x00, 0x64, 0x00, 0x16, // base seq 100, status count 22
    0xff, 0xff, 0xfe, 0x07, // reference time -2, fb count 7
    0x20, 0x03, // run length: symbol 1 x 3
    0xac, 0x01, // 1-bit vector 1,0,1,1,0,0,0,0,0,0,0,0,0,1
    0xe6, 0x10, // 2-bit vector 2,1,2,0,1,(0,0)
    4, 0, 255, 1, 2, 3, 5, // small deltas
    0x04, 0x00, // large delta 1024
    1,    // small
    0xff, 0xfc, // large delta -4
    10,   // small
    0x01, // padding count 1
];

fn expected_arrivals() -> Vec<(u16, Option<i64>)> {
    let mut v = vec![
        (100, Some(-127_000)),
        (101, Some(-127_000)),
        (102, Some(-63_250)),
        (103, Some(-63_000)),
        (104, None),
        (105, Some(-62_500)),
        (106, Some(-61_750)),
    ];
    v.extend((107..=115).map(|s| (s, None)));
    v.extend([
        (116, Some(-60_500)),
        (117, Some(195_500)),
        (118, Some(195_750)),
        (119, Some(194_750)),
        (120, None),
        (121, Some(197_250)),
    ]);
    v
}

#[test]
fn hand_built_fields() {
    let fb = TransportCc::parse(&TWCC_THREE_CHUNKS).unwrap();
    assert_eq!(fb.sender_ssrc, 1);
    assert_eq!(fb.media_ssrc, 2);
    assert_eq!(fb.base_sequence, 100);
    assert_eq!(fb.status_count(), 22);
    assert_eq!(fb.reference_time, -2);
    assert_eq!(fb.reference_time_us(), -128_000);
    assert_eq!(fb.feedback_count, 7);
    let chunks: Vec<_> = fb.chunks().collect();
    assert_eq!(
        chunks,
        vec![
            PacketChunk::RunLength {
                symbol: 1,
                run_length: 3
            },
            PacketChunk::OneBitVector(0x2c01),
            PacketChunk::TwoBitVector(0x2610),
        ]
    );
    let packets: Vec<_> = fb.packets().collect();
    assert_eq!(packets.len(), 22);
    assert_eq!(
        packets[17],
        TwccPacketReport {
            sequence_number: 117,
            status: PacketStatus::ReceivedLargeDelta,
            delta_ticks: Some(1024)
        }
    );
    assert_eq!(
        packets[19],
        TwccPacketReport {
            sequence_number: 119,
            status: PacketStatus::ReceivedLargeDelta,
            delta_ticks: Some(-4)
        }
    );
    assert_eq!(packets[4].status, PacketStatus::NotReceived);
    assert_eq!(packets[2].delta_ticks, Some(255));
    assert_eq!(fb.arrivals().collect::<Vec<_>>(), expected_arrivals());
    let mut out = [0u8; 40];
    assert_eq!(fb.marshal_size(), 40);
    assert_eq!(fb.marshal_to(&mut out).unwrap(), 40);
    assert_eq!(out, TWCC_THREE_CHUNKS);
}

#[test]
fn builder_round_trip_of_hand_built_content() {
    let mut b = TwccBuilder::new(1, 2, 7);
    for (seq, at) in expected_arrivals() {
        if at.is_some() || seq == 100 {
            b.push(seq, at).unwrap();
        }
    }
    // Trailing lost packet pushed explicitly.
    let fb = b.build().unwrap();
    assert_eq!(fb.status_count(), 22);
    assert_eq!(fb.reference_time, -2);
    assert_eq!(fb.arrivals().collect::<Vec<_>>(), expected_arrivals());
    let mut out = [0u8; 64];
    let n = fb.marshal_to(&mut out).unwrap();
    let parsed = TransportCc::parse(&out[..n]).unwrap();
    assert_eq!(parsed, fb);
}

#[test]
fn builder_chunk_choice() {
    // 20 received small: one run-length chunk.
    let mut b = TwccBuilder::new(0, 0, 0);
    for i in 0..20u16 {
        b.push(i, Some(i64::from(i) * 1000)).unwrap();
    }
    let fb = b.build().unwrap();
    assert_eq!(
        fb.chunks().collect::<Vec<_>>(),
        vec![PacketChunk::RunLength {
            symbol: 1,
            run_length: 20
        }]
    );
    // Alternating received / lost: 1-bit vectors of 14.
    let mut b = TwccBuilder::new(0, 0, 0);
    for i in 0..28u16 {
        b.push(i * 2, Some(i64::from(i) * 1000)).unwrap();
    }
    let fb = b.build().unwrap();
    assert_eq!(fb.status_count(), 55);
    let chunks: Vec<_> = fb.chunks().collect();
    assert!(
        chunks[..3]
            .iter()
            .all(|c| matches!(c, PacketChunk::OneBitVector(_)))
    );
    // A long gap is a single run of "not received".
    let mut b = TwccBuilder::new(0, 0, 0);
    b.push(0, Some(0)).unwrap();
    b.push(5000, Some(50_000)).unwrap();
    let fb = b.build().unwrap();
    assert_eq!(fb.status_count(), 5001);
    // The first 14 symbols fill a 1-bit vector, the rest of the gap is one run.
    assert_eq!(
        fb.chunks().collect::<Vec<_>>(),
        vec![
            PacketChunk::OneBitVector(0x2000),
            PacketChunk::RunLength {
                symbol: 0,
                run_length: 4986
            },
            PacketChunk::RunLength {
                symbol: 1,
                run_length: 1
            },
        ]
    );
    assert_eq!(fb.delta_bytes(), &[0, 200]);
    // Large deltas force 2-bit vectors.
    let mut b = TwccBuilder::new(0, 0, 0);
    let mut at = 0;
    for i in 0..7u16 {
        at += if i % 2 == 0 { 100_000 } else { 1_000 };
        b.push(i, Some(at)).unwrap();
    }
    let fb = b.build().unwrap();
    assert!(matches!(
        fb.chunks().collect::<Vec<_>>()[..],
        [PacketChunk::TwoBitVector(_)]
    ));
}

#[test]
fn builder_push_after_build_and_reset() {
    let mut b = TwccBuilder::new(3, 4, 0);
    b.push(10, Some(1_000)).unwrap();
    let first: Vec<_> = b.build().unwrap().arrivals().collect();
    assert_eq!(first, vec![(10, Some(1_000))]);
    b.push(12, Some(2_000)).unwrap();
    let second: Vec<_> = b.build().unwrap().arrivals().collect();
    assert_eq!(
        second,
        vec![(10, Some(1_000)), (11, None), (12, Some(2_000))]
    );
    b.reset(1);
    assert_eq!(b.status_count(), 0);
    b.push(500, None).unwrap();
    let fb = b.build().unwrap();
    assert_eq!(fb.base_sequence, 500);
    assert_eq!(fb.feedback_count, 1);
    assert_eq!(fb.arrivals().collect::<Vec<_>>(), vec![(500, None)]);
}

#[test]
fn builder_errors_leave_state() {
    let mut b = TwccBuilder::new(0, 0, 0);
    b.push(1, Some(0)).unwrap();
    assert_eq!(
        b.push(1, Some(0)),
        Err(RtcpError::InvalidTwcc(TwccError::SequenceOutOfOrder))
    );
    assert_eq!(
        b.push(2, Some(9_000_000)),
        Err(RtcpError::InvalidTwcc(TwccError::DeltaOutOfRange))
    );
    assert_eq!(b.status_count(), 1);
    b.push(2, Some(-8_000_000)).unwrap();
    let fb = b.build().unwrap();
    assert_eq!(
        fb.arrivals().collect::<Vec<_>>(),
        vec![(1, Some(0)), (2, Some(-8_000_000))]
    );
}

#[test]
fn builder_rounds_to_250us() {
    let mut b = TwccBuilder::new(0, 0, 0);
    let times = [1_000_124, 1_000_126, 1_003_333, 1_500_000];
    for (i, t) in times.iter().enumerate() {
        b.push(i as u16, Some(*t)).unwrap();
    }
    let fb = b.build().unwrap();
    for ((_, got), want) in fb.arrivals().zip(times) {
        let got = got.unwrap();
        assert!((got - want).abs() <= 125, "{got} vs {want}");
        assert_eq!(got % 250, 0);
    }
}

#[test]
fn status_count_exceeds_chunks() {
    // Status count 5: a run of 3 lost, a run of 0, then nothing.
    let bad = [
        0x8f, 205, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 5, 0, 0, 0, 0, 0x00, 0x03, 0, 0,
    ];
    assert_eq!(
        TransportCc::parse(&bad),
        Err(RtcpError::InvalidTwcc(TwccError::MissingChunks))
    );
}

#[test]
fn missing_deltas() {
    // Same packet with a padding count of 2: the last delta byte becomes
    // padding, so the deltas section is one byte short.
    let mut bad = TWCC_THREE_CHUNKS;
    bad[38] = 0;
    bad[39] = 2;
    assert_eq!(
        TransportCc::parse(&bad),
        Err(RtcpError::InvalidTwcc(TwccError::MissingDeltas {
            needed: 13,
            got: 12
        }))
    );
}

#[test]
fn reserved_symbol_and_trailing() {
    // Run length of symbol 3.
    let bytes = [
        0x8f, 205, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0x60, 0x01, 0, 0,
    ];
    assert_eq!(
        TransportCc::parse(&bytes),
        Err(RtcpError::InvalidTwcc(TwccError::ReservedSymbol))
    );
    // One lost packet then four bytes of junk.
    let junk = [
        0x8f, 205, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0x00, 0x01, 0, 0, 0,
        0, 0, 0,
    ];
    assert_eq!(
        TransportCc::parse(&junk),
        Err(RtcpError::InvalidTwcc(TwccError::TrailingBytes))
    );
    // Zero padding without the P bit is accepted and rewritten with it.
    let zero_pad = [
        0x8f, 205, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 0, 0, 0x00, 0x01, 0, 0,
    ];
    let fb = TransportCc::parse(&zero_pad).unwrap();
    assert_eq!(fb.arrivals().collect::<Vec<_>>(), vec![(0, None)]);
    let mut out = [0u8; 24];
    fb.marshal_to(&mut out).unwrap();
    assert_eq!(out[0], 0xaf);
    assert_eq!(out[23], 2);
}

#[test]
fn from_parts_checks() {
    let chunks = [0x20, 0x01]; // one small
    assert!(TransportCc::from_parts(0, 0, 0, 1, 0, 0, &chunks, &[5]).is_ok());
    assert_eq!(
        TransportCc::from_parts(0, 0, 0, 1, 0, 0, &chunks, &[]),
        Err(RtcpError::InvalidTwcc(TwccError::MissingDeltas {
            needed: 1,
            got: 0
        }))
    );
    assert_eq!(
        TransportCc::from_parts(0, 0, 0, 1, 1 << 23, 0, &chunks, &[5]),
        Err(RtcpError::InvalidTwcc(TwccError::ReferenceTimeOutOfRange))
    );
    assert_eq!(
        TransportCc::from_parts(0, 0, 0, 1, 0, 0, &[0x20, 0x01, 0x20, 0x01], &[5]),
        Err(RtcpError::InvalidTwcc(TwccError::TrailingBytes))
    );
}

#[test]
fn chunk_words() {
    for word in [
        0x0000u16, 0x1fff, 0x2003, 0x5fff, 0x8000, 0xac01, 0xbfff, 0xe610, 0xffff,
    ] {
        assert_eq!(PacketChunk::from_word(word).to_word(), word);
    }
    let v = PacketChunk::from_word(0xe610);
    let symbols: Vec<_> = (0..7).map(|i| v.symbol(i)).collect();
    assert_eq!(symbols, vec![2, 1, 2, 0, 1, 0, 0]);
}

/// The per-symbol definition of what the chunks hold: every symbol decoded
/// one by one with [`PacketChunk::symbol`].
fn symbols_one_by_one(chunks: &[u8], count: u16) -> Result<(usize, Vec<u8>), TwccError> {
    let mut symbols = Vec::new();
    let mut used = 0;
    while symbols.len() < usize::from(count) {
        let word = chunks.get(used..used + 2).ok_or(TwccError::MissingChunks)?;
        used += 2;
        let chunk = PacketChunk::from_word(u16::from_be_bytes([word[0], word[1]]));
        for i in 0..chunk.symbol_count() {
            if symbols.len() == usize::from(count) {
                break;
            }
            let symbol = chunk.symbol(i);
            if symbol == 3 {
                return Err(TwccError::ReservedSymbol);
            }
            symbols.push(symbol);
        }
    }
    Ok((used, symbols))
}

#[test]
fn chunk_wise_walk_matches_the_symbol_by_symbol_definition() {
    // Every kind of chunk word (runs of each symbol and lengths 0..=20 and
    // the maximum, vectors with many bit patterns) in pairs, against every
    // status count that ends inside, at, or past them.
    let mut words: Vec<u16> = Vec::new();
    for symbol in 0..4u16 {
        for run in (0..=20).chain([TWCC_MAX_RUN_LENGTH]) {
            words.push((symbol << 13) | run);
        }
    }
    for bits in (0..0x4000u16)
        .step_by(97)
        .chain([0, 0x3fff, 0x1555, 0x2aaa])
    {
        words.push(0x8000 | bits);
        words.push(0xc000 | bits);
    }
    let mut checked = 0;
    for (i, &first) in words.iter().enumerate() {
        let second = words[(i * 7 + 3) % words.len()];
        let chunks = [first.to_be_bytes(), second.to_be_bytes()].concat();
        for count in (0..=30).chain([8191, 8200]) {
            let expected = symbols_one_by_one(&chunks, count);
            let got = walk_lengths(&chunks, count);
            match &expected {
                Ok((used, symbols)) => {
                    let delta_bytes = symbols.iter().map(|&s| usize::from(s)).sum();
                    assert_eq!(got, Ok((*used, delta_bytes)), "{chunks:02x?} count {count}");
                    let mut walk = SymbolWalk::new(&chunks, count);
                    let walked: Vec<u8> = core::iter::from_fn(|| walk.next_symbol()).collect();
                    assert_eq!(&walked, symbols, "{chunks:02x?} count {count}");
                }
                Err(e) => assert_eq!(got, Err(*e), "{chunks:02x?} count {count}"),
            }
            checked += 1;
        }
    }
    assert!(checked > 10_000);
}
