//! Property tests: for every packet type, random valid content survives
//! marshal → parse; parsing arbitrary bytes never panics and whatever parses
//! survives its own round trip.

use proptest::collection::vec;
use proptest::prelude::*;
use zerortc::rtcp::*;

fn reception_report() -> impl Strategy<Value = ReceptionReport> {
    (
        any::<u32>(),
        any::<u8>(),
        -(1i32 << 23)..(1i32 << 23),
        any::<[u32; 4]>(),
    )
        .prop_map(
            |(ssrc, fraction_lost, cumulative_lost, [e, j, l, d])| ReceptionReport {
                ssrc,
                fraction_lost,
                cumulative_lost,
                extended_highest_seq: e,
                jitter: j,
                last_sr: l,
                delay_since_last_sr: d,
            },
        )
}

fn words(max_words: usize) -> impl Strategy<Value = Vec<u8>> {
    vec(any::<[u8; 4]>(), 0..=max_words).prop_map(|w| w.concat())
}

fn round_trip(packet: &RtcpPacket<'_>) -> Vec<u8> {
    let mut out = vec![0u8; packet.marshal_size()];
    let n = packet.marshal_to(&mut out).unwrap();
    assert_eq!(n, out.len());
    let parsed = RtcpPacket::parse(&out).unwrap();
    assert_eq!(&parsed, packet);
    // And the parsed view marshals to the same bytes.
    let mut again = vec![0u8; parsed.marshal_size()];
    parsed.marshal_to(&mut again).unwrap();
    assert_eq!(again, out);
    out
}

/// Owned content of one packet, turned into a borrowed `RtcpPacket` on demand.
#[derive(Debug, Clone)]
enum Content {
    Sr(u32, [u32; 5], Vec<ReceptionReport>, Vec<u8>),
    Rr(u32, Vec<ReceptionReport>, Vec<u8>),
    Bye(Vec<u32>, Option<Vec<u8>>),
    App(u8, u32, [u8; 4], Vec<u8>),
    Nack(u32, u32, Vec<NackPair>),
    Pli(u32, u32),
    Fir(u32, Vec<FirEntry>),
    Remb(u32, u64, Vec<u32>),
}

fn content() -> impl Strategy<Value = Content> {
    prop_oneof![
        (
            any::<u32>(),
            any::<[u32; 5]>(),
            vec(reception_report(), 0..=31),
            words(3)
        )
            .prop_map(|(s, i, r, e)| Content::Sr(s, i, r, e)),
        (any::<u32>(), vec(reception_report(), 0..=31), words(3))
            .prop_map(|(s, r, e)| Content::Rr(s, r, e)),
        (
            vec(any::<u32>(), 0..=31),
            proptest::option::of(vec(any::<u8>(), 0..=255))
        )
            .prop_map(|(s, r)| Content::Bye(s, r)),
        (0u8..32, any::<u32>(), any::<[u8; 4]>(), words(8))
            .prop_map(|(t, s, n, d)| Content::App(t, s, n, d)),
        (
            any::<u32>(),
            any::<u32>(),
            vec(
                any::<(u16, u16)>().prop_map(|(pid, blp)| NackPair { pid, blp }),
                0..40
            )
        )
            .prop_map(|(a, b, p)| Content::Nack(a, b, p)),
        any::<(u32, u32)>().prop_map(|(a, b)| Content::Pli(a, b)),
        (
            any::<u32>(),
            vec(
                any::<(u32, u8)>().prop_map(|(ssrc, sequence_number)| FirEntry {
                    ssrc,
                    sequence_number
                }),
                0..10
            )
        )
            .prop_map(|(s, e)| Content::Fir(s, e)),
        (any::<u32>(), any::<u64>(), vec(any::<u32>(), 0..20))
            .prop_map(|(s, b, l)| Content::Remb(s, b, l)),
    ]
}

impl Content {
    fn packet(&self) -> RtcpPacket<'_> {
        match self {
            Content::Sr(ssrc, [hi, lo, rtp, pc, oc], reports, ext) => SenderReport {
                ssrc: *ssrc,
                sender_info: SenderInfo {
                    ntp_timestamp: (u64::from(*hi) << 32) | u64::from(*lo),
                    rtp_timestamp: *rtp,
                    packet_count: *pc,
                    octet_count: *oc,
                },
                reports: ItemList::Items(reports),
                profile_extensions: ext,
            }
            .into(),
            Content::Rr(ssrc, reports, ext) => ReceiverReport {
                ssrc: *ssrc,
                reports: ItemList::Items(reports),
                profile_extensions: ext,
            }
            .into(),
            Content::Bye(sources, reason) => Goodbye {
                sources: ItemList::Items(sources),
                reason: reason.as_deref(),
            }
            .into(),
            Content::App(subtype, ssrc, name, data) => App {
                subtype: *subtype,
                ssrc: *ssrc,
                name: *name,
                data,
            }
            .into(),
            Content::Nack(s, m, pairs) => GenericNack::new(*s, *m, pairs).into(),
            Content::Pli(s, m) => PictureLossIndication {
                sender_ssrc: *s,
                media_ssrc: *m,
            }
            .into(),
            Content::Fir(s, e) => FullIntraRequest::new(*s, e).into(),
            Content::Remb(s, b, l) => Remb::new(*s, *b, l).into(),
        }
    }
}

type SdesContent = Vec<(u32, Vec<(u8, Vec<u8>)>)>;

fn sdes_content() -> impl Strategy<Value = SdesContent> {
    vec(
        (
            any::<u32>(),
            vec((1u8..=255, vec(any::<u8>(), 0..=40)), 0..5),
        ),
        0..=6,
    )
}

type XrContent = Vec<(u8, u64, Vec<(u32, u32, u32)>, u8, Vec<u8>)>;

fn xr_content() -> impl Strategy<Value = XrContent> {
    vec(
        (
            0u8..3,
            any::<u64>(),
            vec(any::<(u32, u32, u32)>(), 0..4),
            any::<u8>(),
            words(4),
        ),
        0..5,
    )
}

proptest! {
    #[test]
    fn fixed_content_round_trips(c in content()) {
        round_trip(&c.packet());
    }

    #[test]
    fn sdes_round_trips(content in sdes_content()) {
        let items: Vec<Vec<SdesItem<'_>>> = content
            .iter()
            .map(|(_, items)| {
                items
                    .iter()
                    .map(|(k, v)| SdesItem { kind: SdesItemType::from_u8(*k), value: v })
                    .collect()
            })
            .collect();
        let chunks: Vec<SdesChunk<'_>> = content
            .iter()
            .zip(&items)
            .map(|((ssrc, _), items)| SdesChunk { ssrc: *ssrc, items })
            .collect();
        let sdes = SourceDescription::new(&chunks).unwrap();
        let bytes = round_trip(&sdes.into());
        prop_assert_eq!(bytes.len() % 4, 0);
        let parsed = SourceDescription::parse(&bytes).unwrap();
        let got: Vec<(u32, Vec<SdesItem<'_>>)> =
            parsed.chunks().map(|c| (c.ssrc, c.items.collect())).collect();
        let want: Vec<(u32, Vec<SdesItem<'_>>)> =
            chunks.iter().map(|c| (c.ssrc, c.items.to_vec())).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn xr_round_trips(content in xr_content()) {
        let subs: Vec<Vec<DlrrSubBlock>> = content
            .iter()
            .map(|(_, _, s, _, _)| {
                s.iter()
                    .map(|&(ssrc, last_rr, delay_since_last_rr)| DlrrSubBlock {
                        ssrc,
                        last_rr,
                        delay_since_last_rr,
                    })
                    .collect()
            })
            .collect();
        let blocks: Vec<XrBlock<'_>> = content
            .iter()
            .zip(&subs)
            .map(|((kind, ntp, _, ts, body), subs)| match kind {
                0 => XrBlock::ReceiverReferenceTime { ntp_timestamp: *ntp },
                1 => XrBlock::Dlrr(ItemList::Items(subs)),
                _ => XrBlock::Unknown {
                    block_type: if *ts == 4 || *ts == 5 { 6 } else { *ts },
                    type_specific: *ts,
                    body,
                },
            })
            .collect();
        let xr = ExtendedReport::new(7, &blocks);
        let bytes = round_trip(&xr.into());
        let parsed = ExtendedReport::parse(&bytes).unwrap();
        prop_assert_eq!(parsed.blocks().collect::<Vec<_>>(), blocks);
    }

    #[test]
    fn nack_builder_keeps_lost_set(start in any::<u16>(), steps in vec(1u16..40, 0..200)) {
        let mut seq = start;
        let mut lost = vec![];
        for s in steps {
            lost.push(seq);
            seq = seq.wrapping_add(s);
        }
        // Keep it within half the sequence space so the order is unambiguous.
        lost.retain(|s| s.wrapping_sub(start) < 0x8000);
        let pairs = nack_pairs_from_lost(lost.iter().copied());
        let nack = GenericNack::new(1, 2, &pairs);
        let bytes = round_trip(&nack.into());
        let parsed = GenericNack::parse(&bytes).unwrap();
        prop_assert_eq!(parsed.lost_sequence_numbers().collect::<Vec<_>>(), lost);
    }

    #[test]
    fn remb_bitrate_precision(bitrate in any::<u64>()) {
        let remb = Remb::new(1, bitrate, &[]);
        let decoded = remb.bitrate_bps();
        prop_assert!(decoded <= bitrate);
        prop_assert!(bitrate - decoded < (1u64 << remb.exponent));
        prop_assert!(remb.mantissa < (1 << 18));
    }

    #[test]
    fn twcc_builder_round_trips(
        start_seq in any::<u16>(),
        start_us in -1_000_000_000i64..1_000_000_000,
        steps in vec((0u16..30, proptest::option::of(-2_000_000i64..8_000_000)), 1..300),
    ) {
        let mut b = TwccBuilder::new(11, 22, 3);
        let mut expected: Vec<(u16, Option<i64>)> = vec![];
        let mut seq = start_seq;
        let mut at = start_us;
        let mut first = true;
        for (gap, arrival) in steps {
            if !first {
                for _ in 0..gap {
                    expected.push((seq, None));
                    seq = seq.wrapping_add(1);
                }
            }
            let arrival = arrival.map(|d| {
                // Small steps mostly, a few large and negative ones.
                at += if d > 4_000_000 { d / 64 } else if d < 0 { d / 4 } else { d / 1000 };
                at
            });
            b.push(seq, arrival).unwrap();
            expected.push((seq, arrival));
            seq = seq.wrapping_add(1);
            first = false;
        }
        let fb = b.build().unwrap();
        prop_assert_eq!(fb.status_count() as usize, expected.len());
        let mut out = vec![0u8; fb.marshal_size()];
        fb.marshal_to(&mut out).unwrap();
        prop_assert_eq!(out.len() % 4, 0);
        let parsed = TransportCc::parse(&out).unwrap();
        prop_assert_eq!(parsed, fb);
        prop_assert_eq!(parsed.sender_ssrc, 11);
        prop_assert_eq!(parsed.feedback_count, 3);
        let got: Vec<_> = parsed.arrivals().collect();
        prop_assert_eq!(got.len(), expected.len());
        for ((gs, ga), (es, ea)) in got.iter().zip(&expected) {
            prop_assert_eq!(gs, es);
            match (ga, ea) {
                (None, None) => {}
                (Some(g), Some(e)) => prop_assert!((g - e).abs() <= 125, "{} vs {}", g, e),
                _ => prop_assert!(false, "status differs at {}", es),
            }
        }
        let mut again = vec![0u8; parsed.marshal_size()];
        parsed.marshal_to(&mut again).unwrap();
        prop_assert_eq!(again, out);
    }

    #[test]
    fn compound_round_trips(contents in vec(content(), 0..8)) {
        let packets: Vec<RtcpPacket<'_>> = contents.iter().map(Content::packet).collect();
        let size: usize = packets.iter().map(RtcpPacket::marshal_size).sum();
        let mut out = vec![0u8; size];
        prop_assert_eq!(marshal_compound(&packets, &mut out).unwrap(), size);
        let parsed: Vec<_> = parse_compound(&out).collect::<Result<_, _>>().unwrap();
        prop_assert_eq!(parsed, packets);
        prop_assert_eq!(
            check_compound(&out, CompoundMode::ReducedSize).unwrap(),
            contents.len()
        );
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..300)) {
        for packet in parse_compound(&bytes).flatten() {
            reparse_equal(&packet);
        }
        let _ = check_compound(&bytes, CompoundMode::Full);
    }

    #[test]
    fn framed_random_bodies_never_panic(
        packets in vec((any::<bool>(), 0u8..32, 200u8..=207, words(24), any::<u8>()), 1..4)
    ) {
        // Valid headers (version 2, consistent length) over random bodies
        // reach the typed parsers.
        let mut bytes = vec![];
        for (padding, count, pt, body, pad) in &packets {
            let len = (body.len() / 4) as u16;
            let mut first = 0x80 | count;
            let mut body = body.clone();
            if *padding && !body.is_empty() {
                first |= 0x20;
                let last = body.len() - 1;
                body[last] = pad % (body.len() as u8 + 1);
            }
            bytes.extend_from_slice(&[first, *pt]);
            bytes.extend_from_slice(&len.to_be_bytes());
            bytes.extend_from_slice(&body);
        }
        for packet in parse_compound(&bytes).flatten() {
            reparse_equal(&packet);
        }
    }
}

fn reparse_equal(packet: &RtcpPacket<'_>) {
    let mut out = vec![0u8; packet.marshal_size()];
    let n = packet.marshal_to(&mut out).unwrap();
    let parsed = RtcpPacket::parse(&out[..n]).unwrap();
    assert_eq!(&parsed, packet);
}
