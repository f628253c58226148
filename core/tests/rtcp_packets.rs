//! Every packet type in one compound: hand-built bytes checked by variant,
//! byte-identical round trips, truncations, lying lengths, wrong versions.

use zerortc::rtcp::*;

fn sr() -> Vec<u8> {
    vec![
        0x81, 200, 0x00, 0x0c, // SR, RC=1
        0x00, 0x00, 0x00, 0x01, // SSRC
        0xe9, 0x4c, 0x56, 0x90, 0x80, 0x00, 0x00, 0x00, // NTP
        0x00, 0x00, 0x03, 0xe8, // RTP ts
        0x00, 0x00, 0x00, 0x0a, // packets
        0x00, 0x00, 0x04, 0x00, // octets
        0x00, 0x00, 0x00, 0x02, // block SSRC
        0x10, 0x00, 0x00, 0x05, // fraction 16, lost 5
        0x00, 0x00, 0x00, 0x64, // ext highest seq
        0x00, 0x00, 0x00, 0x03, // jitter
        0x56, 0x90, 0x80, 0x00, // LSR
        0x00, 0x00, 0x10, 0x00, // DLSR
    ]
}

fn rr() -> Vec<u8> {
    vec![0x80, 201, 0x00, 0x01, 0x00, 0x00, 0x00, 0x03]
}

fn sdes() -> Vec<u8> {
    vec![
        0x82, 202, 0x00, 0x06, // SC=2
        0x00, 0x00, 0x00, 0x01, // chunk 1
        0x01, 0x03, b'a', b'b', b'c', // CNAME "abc"
        0x06, 0x02, b'z', b'r', // TOOL "zr"
        0x00, 0x00, 0x00, // END + pad
        0x00, 0x00, 0x00, 0x02, // chunk 2
        0x02, 0x01, b'n', 0x00, // NAME "n", END
    ]
}

fn bye() -> Vec<u8> {
    vec![
        0x81, 203, 0x00, 0x02, 0x00, 0x00, 0x00, 0x01, 0x02, b'o', b'k', 0x00,
    ]
}

fn app() -> Vec<u8> {
    vec![
        0x81, 204, 0x00, 0x03, 0, 0, 0, 1, b'T', b'E', b'S', b'T', 9, 8, 7, 6,
    ]
}

fn nack() -> Vec<u8> {
    vec![
        0x81, 205, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0x01, 0x00, 0x00, 0x03,
    ]
}

fn pli() -> Vec<u8> {
    vec![0x81, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2]
}

fn fir() -> Vec<u8> {
    vec![
        0x84, 206, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0x03, 0, 0, 0,
    ]
}

fn remb() -> Vec<u8> {
    vec![
        0x8f, 206, 0x00, 0x05, 0, 0, 0, 1, 0, 0, 0, 0, b'R', b'E', b'M', b'B', 0x01, 0x0b, 0xd0,
        0x90, 0, 0, 0, 2,
    ]
}

fn twcc() -> Vec<u8> {
    vec![
        0xaf, 205, 0x00, 0x06, // P, FMT 15
        0, 0, 0, 1, 0, 0, 0, 2, // SSRCs
        0x00, 0x0a, 0x00, 0x02, // base 10, count 2
        0x00, 0x00, 0x10, 0x00, // ref 16, fb count 0
        0x20, 0x02, // run: 2 x small
        0x04, 0x08, // deltas
        0x00, 0x00, 0x00, 0x04, // 4 bytes of padding (multiple of 4 also fine)
    ]
}

fn xr() -> Vec<u8> {
    vec![
        0x80, 207, 0x00, 0x04, 0, 0, 0, 1, 0x04, 0x00, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8,
    ]
}

fn unknown() -> Vec<u8> {
    vec![0x83, 209, 0x00, 0x01, 0xaa, 0xbb, 0xcc, 0xdd]
}

fn all() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("sr", sr()),
        ("rr", rr()),
        ("sdes", sdes()),
        ("bye", bye()),
        ("app", app()),
        ("nack", nack()),
        ("pli", pli()),
        ("fir", fir()),
        ("remb", remb()),
        ("twcc", twcc()),
        ("xr", xr()),
        ("unknown", unknown()),
    ]
}

#[test]
fn every_type_in_one_compound() {
    let compound: Vec<u8> = all().into_iter().flat_map(|(_, b)| b).collect();
    let packets: Vec<_> = parse_compound(&compound).collect::<Result<_, _>>().unwrap();
    assert_eq!(packets.len(), 12);
    match &packets[0] {
        RtcpPacket::SenderReport(p) => {
            assert_eq!(p.ssrc, 1);
            assert_eq!(p.sender_info.rtp_timestamp, 1000);
            assert_eq!(p.sender_info.packet_count, 10);
            assert_eq!(p.sender_info.octet_count, 1024);
            assert_eq!(p.reports.get(0).unwrap().cumulative_lost, 5);
            assert_eq!(p.reports.get(0).unwrap().fraction_lost, 16);
            assert_eq!(p.reports.get(0).unwrap().delay_since_last_sr, 0x1000);
        }
        other => panic!("SR expected, got {other:?}"),
    }
    assert!(matches!(&packets[1], RtcpPacket::ReceiverReport(p) if p.ssrc == 3));
    match &packets[2] {
        RtcpPacket::SourceDescription(p) => {
            let chunks: Vec<_> = p.chunks().collect();
            assert_eq!(chunks.len(), 2);
            let items: Vec<_> = chunks[0].items.clone().collect();
            assert_eq!(
                items,
                vec![
                    SdesItem::cname(b"abc"),
                    SdesItem {
                        kind: SdesItemType::Tool,
                        value: b"zr"
                    }
                ]
            );
            assert_eq!(chunks[1].ssrc, 2);
            let items: Vec<_> = chunks[1].items.clone().collect();
            assert_eq!(
                items,
                vec![SdesItem {
                    kind: SdesItemType::Name,
                    value: b"n"
                }]
            );
        }
        other => panic!("SDES expected, got {other:?}"),
    }
    assert!(
        matches!(&packets[3], RtcpPacket::Goodbye(p) if p.sources.iter().eq([1]) && p.reason == Some(&b"ok"[..]))
    );
    assert!(
        matches!(&packets[4], RtcpPacket::App(p) if p.subtype == 1 && &p.name == b"TEST" && p.data == [9, 8, 7, 6])
    );
    match &packets[5] {
        RtcpPacket::GenericNack(p) => {
            assert_eq!(
                p.lost_sequence_numbers().collect::<Vec<_>>(),
                vec![256, 257, 258]
            );
        }
        other => panic!("NACK expected, got {other:?}"),
    }
    assert!(matches!(
        &packets[6],
        RtcpPacket::PictureLossIndication(PictureLossIndication {
            sender_ssrc: 1,
            media_ssrc: 2
        })
    ));
    match &packets[7] {
        RtcpPacket::FullIntraRequest(p) => assert_eq!(
            p.entries.iter().collect::<Vec<_>>(),
            vec![FirEntry {
                ssrc: 2,
                sequence_number: 3
            }]
        ),
        other => panic!("FIR expected, got {other:?}"),
    }
    match &packets[8] {
        RtcpPacket::Remb(p) => {
            assert_eq!(p.bitrate_bps(), 1_000_000);
            assert_eq!(p.ssrc_iter().collect::<Vec<_>>(), vec![2]);
        }
        other => panic!("REMB expected, got {other:?}"),
    }
    match &packets[9] {
        RtcpPacket::TransportCc(p) => {
            assert_eq!(
                p.arrivals().collect::<Vec<_>>(),
                vec![
                    (10, Some(16 * 64_000 + 1_000)),
                    (11, Some(16 * 64_000 + 3_000))
                ]
            );
        }
        other => panic!("TWCC expected, got {other:?}"),
    }
    match &packets[10] {
        RtcpPacket::ExtendedReport(p) => assert_eq!(
            p.blocks().collect::<Vec<_>>(),
            vec![XrBlock::ReceiverReferenceTime {
                ntp_timestamp: 0x0102_0304_0506_0708
            }]
        ),
        other => panic!("XR expected, got {other:?}"),
    }
    assert!(matches!(
        &packets[11],
        RtcpPacket::Unknown { header, body } if header.packet_type == 209 && header.count == 3 && body.len() == 4
    ));
    let names: Vec<_> = packets.iter().map(RtcpPacket::name).collect();
    assert_eq!(
        names,
        [
            "SR", "RR", "SDES", "BYE", "APP", "NACK", "PLI", "FIR", "REMB", "TWCC", "XR", "unknown"
        ]
    );
    for p in &packets {
        assert_eq!(p.packet_type(), {
            let mut out = vec![0u8; p.marshal_size()];
            p.marshal_to(&mut out).unwrap();
            out[1]
        });
    }
}

#[test]
fn each_packet_round_trips_byte_identical() {
    for (name, bytes) in all() {
        let p = RtcpPacket::parse(&bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        let mut out = vec![0u8; p.marshal_size()];
        let n = p.marshal_to(&mut out).unwrap();
        if name == "twcc" {
            // Four bytes of padding come back as the minimal P-bit padding
            // (none needed here: 24 bytes are already aligned).
            assert_eq!(n, 24, "{name}");
            assert_eq!(out[0], 0x8f);
            assert_eq!(&out[4..], &bytes[4..24]);
            assert_eq!(RtcpPacket::parse(&out).unwrap(), p);
            continue;
        }
        assert_eq!(out, bytes, "{name}");
        // Too small an output buffer is an error, never a panic.
        let mut small = vec![0u8; n - 1];
        assert!(matches!(
            p.marshal_to(&mut small),
            Err(RtcpError::BufferTooSmall { .. })
        ));
    }
    let compound: Vec<u8> = all()
        .into_iter()
        .filter(|(n, _)| *n != "twcc")
        .flat_map(|(_, b)| b)
        .collect();
    let packets: Vec<_> = parse_compound(&compound).collect::<Result<_, _>>().unwrap();
    let mut out = vec![0u8; compound.len()];
    assert_eq!(
        marshal_compound(&packets, &mut out).unwrap(),
        compound.len()
    );
    assert_eq!(out, compound);
}

#[test]
fn every_truncation_errors() {
    for (name, bytes) in all() {
        for cut in 0..bytes.len() {
            let result = RtcpPacket::parse(&bytes[..cut]);
            assert!(result.is_err(), "{name} cut at {cut} parsed");
            if cut > 0 {
                assert!(parse_compound(&bytes[..cut]).any(|r| r.is_err()));
            }
        }
    }
}

/// Packets for which any shorter length field (the buffer cut to match) must fail.
#[test]
fn length_field_too_short_for_contents() {
    let strict = [
        "sr", "sdes", "bye", "app", "pli", "fir", "remb", "twcc", "xr",
    ];
    // Shortenings that leave a valid packet: BYE without its reason, APP
    // without data, FIR without entries, XR without blocks, and an AFB too
    // short to hold the REMB identifier (kept as an unknown packet), TWCC
    // without its padding word.
    let still_valid = [
        ("bye", 2),
        ("app", 3),
        ("fir", 3),
        ("xr", 2),
        ("remb", 1),
        ("remb", 2),
        ("remb", 3),
        ("twcc", 6),
    ];
    for (name, bytes) in all() {
        for words in 1..bytes.len() / 4 {
            let mut short = bytes[..words * 4].to_vec();
            short[0] &= !0x20; // no padding claim
            short[2..4].copy_from_slice(&((words - 1) as u16).to_be_bytes());
            let result = RtcpPacket::parse(&short);
            if strict.contains(&name) && !still_valid.contains(&(name, words)) {
                assert!(result.is_err(), "{name} shortened to {words} words parsed");
            } else if let Ok(p) = result {
                // Shorter but still valid (fewer NACK pairs, fewer FIR
                // entries, ...): it must survive its own round trip.
                let mut out = vec![0u8; p.marshal_size()];
                p.marshal_to(&mut out).unwrap();
                assert_eq!(out, short, "{name} at {words} words");
            }
        }
    }
}

#[test]
fn length_field_longer_than_buffer() {
    for (name, bytes) in all() {
        let mut long = bytes.clone();
        let len = u16::from_be_bytes([long[2], long[3]]) + 1;
        long[2..4].copy_from_slice(&len.to_be_bytes());
        assert_eq!(
            RtcpPacket::parse(&long),
            Err(RtcpError::LengthMismatch {
                declared: bytes.len() + 4,
                available: bytes.len()
            }),
            "{name}"
        );
    }
}

#[test]
fn report_count_larger_than_body() {
    for (name, mut bytes) in [("sr", sr()), ("rr", rr()), ("bye", bye())] {
        bytes[0] = (bytes[0] & 0xe0) | 5;
        assert!(
            matches!(RtcpPacket::parse(&bytes), Err(RtcpError::TooShort { .. })),
            "{name}"
        );
    }
    let mut s = sdes();
    s[0] = 0x83;
    assert_eq!(
        RtcpPacket::parse(&s),
        Err(RtcpError::InvalidSdes(SdesError::MissingChunk))
    );
}

#[test]
fn wrong_version_everywhere() {
    for (name, bytes) in all() {
        for version in [0u8, 1, 3] {
            let mut bad = bytes.clone();
            bad[0] = (bad[0] & 0x3f) | (version << 6);
            assert_eq!(
                RtcpPacket::parse(&bad),
                Err(RtcpError::BadVersion(version)),
                "{name}"
            );
        }
    }
}

#[test]
fn padding_beyond_packet() {
    for (name, bytes) in all() {
        let mut bad = bytes.clone();
        bad[0] |= 0x20;
        let last = bad.len() - 1;
        bad[last] = (bytes.len() - 3) as u8; // reaches into the header
        assert!(
            matches!(RtcpPacket::parse(&bad), Err(RtcpError::BadPadding { .. })),
            "{name}"
        );
        bad[last] = 0;
        assert!(
            matches!(
                RtcpPacket::parse(&bad),
                Err(RtcpError::BadPadding { pad: 0, .. })
            ),
            "{name}"
        );
    }
}

#[test]
fn afb_without_remb_is_unknown() {
    let mut bytes = remb();
    bytes[12..16].copy_from_slice(b"XXXX");
    assert!(matches!(
        RtcpPacket::parse(&bytes),
        Ok(RtcpPacket::Unknown { header, .. }) if header.count == 15 && header.packet_type == 206
    ));
    // Unknown RTPFB/PSFB formats too.
    let mut other = pli();
    other[0] = 0x82;
    assert!(matches!(
        RtcpPacket::parse(&other),
        Ok(RtcpPacket::Unknown { .. })
    ));
}
