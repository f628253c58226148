//! Parsing and marshalling realistic RTCP allocates nothing: a counting
//! global allocator watches the measuring thread only.

use zerortc::rtcp::*;

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

const CHROME_RR_SDES_TWCC: [u8; 64] = [
    0x80, 201, 0x00, 0x01, 0x5a, 0x1b, 0x2c, 0x3d, // RR
    0x81, 202, 0x00, 0x06, 0x5a, 0x1b, 0x2c, 0x3d, // SDES
    0x01, 0x10, b'C', b'h', b'r', b'o', b'm', b'e', b'C', b'N', b'A', b'M', b'E', b'1', b'2', b'3',
    b'4', b'5', 0x00, 0x00, //
    0xaf, 205, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 2, // TWCC
    0x00, 0x0a, 0x00, 0x02, 0x00, 0x00, 0x10, 0x00, //
    0x20, 0x02, 0x04, 0x08, 0x00, 0x00, 0x00, 0x04,
];

#[test]
fn hot_paths_do_not_allocate() {
    // The sanity check that the counter works.
    let counted = allocations_during(|| {
        let v: Vec<u8> = Vec::with_capacity(std::hint::black_box(16));
        std::hint::black_box(v);
    });
    assert_eq!(counted, 1);

    let parse_and_marshal = allocations_during(|| {
        for _ in 0..1000 {
            let mut out = [0u8; 128];
            let mut w = RtcpCompoundWriter::new(&mut out);
            for packet in parse_compound(std::hint::black_box(&CHROME_RR_SDES_TWCC)) {
                let packet = packet.unwrap();
                match &packet {
                    RtcpPacket::SourceDescription(s) => {
                        std::hint::black_box(s.cname());
                    }
                    RtcpPacket::TransportCc(t) => {
                        for a in t.arrivals() {
                            std::hint::black_box(a);
                        }
                    }
                    _ => {}
                }
                w.push(&packet).unwrap();
            }
            // The TWCC's four padding bytes are not needed: 60 bytes.
            assert_eq!(w.finish(), 60);
            assert_eq!(check_compound(&out[..60], CompoundMode::Full), Ok(3));
        }
    });
    assert_eq!(parse_and_marshal, 0, "parse/marshal allocated");

    let feedback = allocations_during(|| {
        let lost = nack_pairs_from_lost([1u16, 2, 5, 40, 41, 90]);
        let nack = GenericNack::new(1, 2, &lost);
        let mut out = [0u8; 64];
        nack.marshal_to(&mut out).unwrap();
        let ssrcs = [1u32, 2];
        Remb::new(1, 2_500_000, &ssrcs)
            .marshal_to(&mut out)
            .unwrap();
        let entries = [FirEntry {
            ssrc: 1,
            sequence_number: 2,
        }];
        FullIntraRequest::new(1, &entries)
            .marshal_to(&mut out)
            .unwrap();
    });
    assert_eq!(feedback, 0, "feedback building allocated");

    // A fresh builder reporting 100 packets (inline storage), then a reused
    // one after a larger warm-up: no allocation either way.
    let fresh = allocations_during(|| {
        let mut b = TwccBuilder::new(1, 2, 0);
        for i in 0..100u16 {
            b.push(i * 2, Some(i64::from(i) * 5_000)).unwrap();
        }
        let mut out = [0u8; 512];
        b.build().unwrap().marshal_to(&mut out).unwrap();
    });
    assert_eq!(fresh, 0, "fresh TWCC builder allocated");
    let mut b = TwccBuilder::new(1, 2, 0);
    for i in 0..1000u16 {
        b.push(i, Some(i64::from(i) * 70_000)).unwrap();
    }
    b.build().unwrap();
    let reused = allocations_during(|| {
        for round in 0..10u8 {
            b.reset(round);
            for i in 0..1000u16 {
                b.push(i, Some(i64::from(i) * 70_000)).unwrap();
            }
            let fb = b.build().unwrap();
            std::hint::black_box(fb.marshal_size());
        }
    });
    assert_eq!(reused, 0, "reused TWCC builder allocated");
}
