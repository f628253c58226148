//! Parse the packets of a real browser call.
//!
//! `fixtures/chromium156-rtp-rtcp.bin` holds the UDP payloads of every RTP
//! and RTCP packet of `fixtures/chromium156-plain-rtp.pcapng`, an unencrypted
//! call between two Chromium 156 peers (Opus + VP8 with RTX, transport-cc,
//! NACK); see `fixtures/README.md` for how both were made. Expected counts
//! come from tshark on the capture (see `cli/tests/fixture_counts.rs`).

use zerortc::rtcp::{RtcpPacket, marshal_compound, parse_compound};
use zerortc::rtp::{
    AbsSendTime, AudioLevel, ExtensionKind, ExtensionMap, ExtensionValue, RtpHeader, RtpPacket,
    SdesMid, TransportSequenceNumber,
};

const PAYLOADS: &[u8] = include_bytes!("fixtures/chromium156-rtp-rtcp.bin");
const OFFER: &str = include_str!("fixtures/chromium156-plain-rtp-offer.sdp");

const RECORD_RTP: u8 = 1;
const RECORD_RTCP: u8 = 2;

/// The records of the payload file: (kind, payload).
fn records() -> Vec<(u8, &'static [u8])> {
    let mut out = Vec::new();
    let mut rest = PAYLOADS;
    while !rest.is_empty() {
        let (head, tail) = rest.split_at(3);
        let len = usize::from(u16::from_be_bytes([head[1], head[2]]));
        let (payload, tail) = tail.split_at(len);
        out.push((head[0], payload));
        rest = tail;
    }
    out
}

fn rtp_payloads() -> Vec<&'static [u8]> {
    records()
        .into_iter()
        .filter(|(k, _)| *k == RECORD_RTP)
        .map(|(_, p)| p)
        .collect()
}

/// The offer's `a=extmap` lines as an [`ExtensionMap`].
fn offer_extmap() -> ExtensionMap {
    let mut map = ExtensionMap::new();
    for line in OFFER.lines() {
        if let Some(rest) = line.strip_prefix("a=extmap:") {
            let (id, uri) = rest.split_once(' ').unwrap();
            map.insert_uri(id.parse().unwrap(), uri.trim()).unwrap();
        }
    }
    map
}

#[test]
fn the_fixture_holds_every_rtp_and_rtcp_packet() {
    let records = records();
    let rtp = records.iter().filter(|(k, _)| *k == RECORD_RTP).count();
    let rtcp = records.iter().filter(|(k, _)| *k == RECORD_RTCP).count();
    assert_eq!((rtp, rtcp, records.len()), (552, 142, 694));
}

#[test]
fn every_rtp_packet_parses_with_the_streams_tshark_sees() {
    let mut per_pt = std::collections::BTreeMap::new();
    for payload in rtp_payloads() {
        let p = RtpPacket::parse(payload).unwrap_or_else(|e| panic!("{e}: {payload:02x?}"));
        assert_eq!(p.version(), 2);
        assert_eq!(p.csrcs().count(), 0);
        assert_eq!(
            p.header_len() + p.payload().len() + p.padding_len(),
            payload.len()
        );
        *per_pt.entry((p.payload_type(), p.ssrc())).or_insert(0) += 1;
    }
    // tshark: PT 111 ×389 (SSRC 0xf8eb51a7), PT 96 ×95 (0xbd2e6d65), PT 97 ×68 (0xc40c2c69).
    assert_eq!(
        per_pt.into_iter().collect::<Vec<_>>(),
        [
            ((96, 0xbd2e_6d65), 95),
            ((97, 0xc40c_2c69), 68),
            ((111, 0xf8eb_51a7), 389)
        ]
    );
}

#[test]
fn every_rtp_packet_round_trips_byte_for_byte() {
    let mut out = [0u8; 1500];
    let mut padded = 0;
    for payload in rtp_payloads() {
        let p = RtpPacket::parse(payload).unwrap();
        let n = p.to_header().marshal_packet(p.payload(), &mut out).unwrap();
        assert_eq!(&out[..n], payload);
        padded += usize::from(p.padding_len() > 0);
    }
    // RTX padding-only probes: P bit set, padding fills the packet.
    assert_eq!(padded, 63);
}

#[test]
fn rebuilding_the_extension_elements_gives_chromiums_bytes() {
    // Chromium writes the one-byte form with no padding between elements:
    // re-encoding the elements one by one reproduces its packets exactly.
    let mut out = [0u8; 1500];
    for payload in rtp_payloads() {
        let p = RtpPacket::parse(payload).unwrap();
        let mut header = RtpHeader::new(
            p.payload_type(),
            p.sequence_number(),
            p.timestamp(),
            p.ssrc(),
        );
        header.marker = p.marker();
        header.padding = p.to_header().padding;
        for (id, value) in p.extensions().unwrap().iter() {
            header.set_extension(id, value).unwrap();
        }
        let n = header.marshal_packet(p.payload(), &mut out).unwrap();
        assert_eq!(&out[..n], payload, "seq {}", p.sequence_number());
    }
}

#[test]
fn typed_extension_values_parse_and_write_back() {
    let map = offer_extmap();
    assert_eq!(map.id_of(ExtensionKind::AudioLevel), Some(1));
    assert_eq!(map.id_of(ExtensionKind::AbsSendTime), Some(2));
    assert_eq!(map.id_of(ExtensionKind::TransportSequenceNumber), Some(3));
    assert_eq!(map.id_of(ExtensionKind::SdesMid), Some(4));
    let mut buf = [0u8; 32];
    let mut seen = [0usize; 4];
    for payload in rtp_payloads() {
        let p = RtpPacket::parse(payload).unwrap();
        let exts = p.extensions().unwrap();
        if let Some(v) = exts.get(2) {
            let t = AbsSendTime::parse(v).unwrap();
            let n = t.write(&mut buf).unwrap();
            assert_eq!(&buf[..n], v);
            seen[0] += 1;
        }
        if let Some(v) = exts.get(3) {
            let t = TransportSequenceNumber::parse(v).unwrap();
            let n = t.write(&mut buf).unwrap();
            assert_eq!(&buf[..n], v);
            seen[1] += 1;
        }
        if let Some(v) = exts.get(4) {
            let mid = SdesMid::parse(v).unwrap();
            let expected = if p.payload_type() == 111 { "0" } else { "1" };
            assert_eq!(mid.as_str(), expected);
            seen[2] += 1;
        }
        if let Some(v) = exts.get(1) {
            assert_eq!(p.payload_type(), 111, "audio level only on audio");
            let level = AudioLevel::parse(v).unwrap();
            assert!(level.level <= 127);
            let n = level.write(&mut buf).unwrap();
            assert_eq!(&buf[..n], v);
            seen[3] += 1;
        }
        // The typed accessors through the map agree with the raw lookups.
        assert_eq!(
            p.transport_sequence_number(&map).map(Result::unwrap),
            exts.get(3).map(|v| u16::from_be_bytes([v[0], v[1]]))
        );
        assert_eq!(
            p.mid(&map).map(Result::unwrap),
            exts.get(4).map(|v| std::str::from_utf8(v).unwrap())
        );
        assert_eq!(
            exts.value::<AudioLevel>(&map).map(Result::unwrap),
            exts.get(1).map(|v| AudioLevel::parse(v).unwrap())
        );
    }
    // tshark: abs-send-time and transport-cc on all 552, mid on 129, level on 389.
    assert_eq!(seen, [552, 552, 117 + 7 + 5, 389]);
}

fn rtcp_payloads() -> Vec<&'static [u8]> {
    records()
        .into_iter()
        .filter(|(k, _)| *k == RECORD_RTCP)
        .map(|(_, p)| p)
        .collect()
}

#[test]
fn every_rtcp_compound_parses_with_the_types_tshark_sees() {
    let mut names = std::collections::BTreeMap::new();
    for payload in rtcp_payloads() {
        for packet in parse_compound(payload) {
            let packet = packet.unwrap_or_else(|e| panic!("{e}: {payload:02x?}"));
            let name = match packet {
                RtcpPacket::SenderReport(_) => "SR",
                RtcpPacket::ReceiverReport(_) => "RR",
                RtcpPacket::SourceDescription(_) => "SDES",
                RtcpPacket::GenericNack(_) => "NACK",
                RtcpPacket::TransportCc(_) => "TWCC",
                RtcpPacket::ExtendedReport(_) => "XR",
                other => panic!("unexpected packet {other:?}"),
            };
            *names.entry(name).or_insert(0) += 1;
        }
    }
    // tshark: SR 8, RR 9, SDES 8, XR 15, RTPFB 125 = 2 NACK (FMT 1) + 123 TWCC (FMT 15).
    assert_eq!(
        names.into_iter().collect::<Vec<_>>(),
        [
            ("NACK", 2),
            ("RR", 9),
            ("SDES", 8),
            ("SR", 8),
            ("TWCC", 123),
            ("XR", 15)
        ]
    );
}

#[test]
fn every_rtcp_compound_round_trips_byte_for_byte() {
    let mut out = [0u8; 1500];
    for payload in rtcp_payloads() {
        let packets: Vec<RtcpPacket<'_>> = parse_compound(payload).map(Result::unwrap).collect();
        let n = marshal_compound(&packets, &mut out).unwrap();
        assert_eq!(&out[..n], payload, "{packets:?}");
        // Each packet alone too.
        let mut at = 0;
        for p in &packets {
            let size = p.marshal_size();
            assert_eq!(p.marshal_to(&mut out).unwrap(), size);
            assert_eq!(&out[..size], &payload[at..at + size], "{p:?}");
            at += size;
        }
        assert_eq!(at, payload.len());
    }
}

#[test]
fn rtcp_fields_match_tshark() {
    let (mut nack_lost, mut cnames, mut sr_packet_counts) = (vec![], vec![], vec![]);
    let (mut twcc, mut twcc_status, mut twcc_received, mut rr_blocks) = (0, 0u32, 0u32, 0);
    for payload in rtcp_payloads() {
        for packet in parse_compound(payload).map(Result::unwrap) {
            match packet {
                RtcpPacket::GenericNack(n) => nack_lost.extend(n.lost_sequence_numbers()),
                RtcpPacket::SourceDescription(s) => {
                    let (_, cname) = s.cname().unwrap();
                    cnames.push(std::str::from_utf8(cname).unwrap().to_string());
                }
                RtcpPacket::SenderReport(sr) => {
                    sr_packet_counts.push(sr.sender_info.packet_count);
                    assert!(sr.reports.is_empty(), "the caller receives no media");
                }
                RtcpPacket::ReceiverReport(rr) => rr_blocks += rr.reports.len(),
                RtcpPacket::TransportCc(t) => {
                    twcc += 1;
                    twcc_status += u32::from(t.status_count());
                    let reports: Vec<_> = t.packets().collect();
                    assert_eq!(reports.len(), usize::from(t.status_count()));
                    for (i, r) in reports.iter().enumerate() {
                        assert_eq!(r.sequence_number, t.base_sequence.wrapping_add(i as u16));
                        assert_eq!(r.status.is_received(), r.delta_ticks.is_some());
                    }
                    twcc_received +=
                        reports.iter().filter(|r| r.status.is_received()).count() as u32;
                }
                _ => {}
            }
        }
    }
    // tshark: rtcp.rtpfb.nack_pid 811 and 816 (blp 0); 8 × CNAME "qNTQZV2OzVRSaZlc";
    // SR packet counts 16 30 124 53 73 101 118 158; 17 RR report blocks;
    // 123 transport-cc with status counts summing to 550 and 532 receive deltas.
    assert_eq!(nack_lost, [811, 816]);
    assert_eq!(cnames, ["qNTQZV2OzVRSaZlc"; 8]);
    assert_eq!(sr_packet_counts, [16, 30, 124, 53, 73, 101, 118, 158]);
    assert_eq!(rr_blocks, 17);
    assert_eq!((twcc, twcc_status, twcc_received), (123, 550, 532));
}
