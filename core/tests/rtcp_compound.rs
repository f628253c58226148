//! Compound RTCP: walking, rules, writing.

use zerortc::rtcp::*;

/// A receiver report (one block) followed by an unknown packet type.
fn rr_and_unknown() -> Vec<u8> {
    let mut v = vec![
        0x81, 201, 0x00, 0x07, // RR, RC=1, length 7
        0x00, 0x00, 0x00, 0x01, // sender SSRC
        0x00, 0x00, 0x00, 0x02, // block SSRC
        0x05, 0x00, 0x00, 0x03, // fraction 5, lost 3
        0x00, 0x00, 0x10, 0x00, // ext highest seq
        0x00, 0x00, 0x00, 0x07, // jitter
        0x00, 0x00, 0x00, 0x00, // LSR
        0x00, 0x00, 0x00, 0x00, // DLSR
    ];
    v.extend_from_slice(&[0x80, 210, 0x00, 0x01, 1, 2, 3, 4]);
    v
}

#[test]
fn walks_rr_then_unknown() {
    let buf = rr_and_unknown();
    let packets: Vec<_> = parse_compound(&buf).collect::<Result<_, _>>().unwrap();
    assert_eq!(packets.len(), 2);
    let RtcpPacket::ReceiverReport(rr) = &packets[0] else {
        panic!("expected RR, got {:?}", packets[0]);
    };
    assert_eq!(rr.ssrc, 1);
    assert_eq!(rr.reports.get(0).unwrap().ssrc, 2);
    assert_eq!(rr.reports.get(0).unwrap().fraction_lost, 5);
    assert_eq!(rr.reports.get(0).unwrap().cumulative_lost, 3);
    assert_eq!(rr.reports.get(0).unwrap().extended_highest_seq, 0x1000);
    assert_eq!(rr.reports.get(0).unwrap().jitter, 7);
    let RtcpPacket::Unknown { header, body } = &packets[1] else {
        panic!("expected unknown");
    };
    assert_eq!(header.packet_type, 210);
    assert_eq!(*body, &[1, 2, 3, 4]);
    let mut out = vec![0u8; buf.len()];
    assert_eq!(marshal_compound(&packets, &mut out).unwrap(), buf.len());
    assert_eq!(out, buf);
}

#[test]
fn stops_after_first_error() {
    let mut buf = rr_and_unknown();
    buf.extend_from_slice(&[0x40, 200, 0, 0]);
    buf.extend_from_slice(&[0x80, 201, 0, 1, 0, 0, 0, 9]);
    let results: Vec<_> = parse_compound(&buf).collect();
    assert_eq!(results.len(), 3);
    assert!(results[0].is_ok() && results[1].is_ok());
    assert_eq!(results[2], Err(RtcpError::BadVersion(1)));
}

#[test]
fn every_truncation_errors() {
    let buf = rr_and_unknown();
    for cut in 1..buf.len() {
        if cut == 32 {
            // A whole RR: valid on its own.
            assert!(parse_compound(&buf[..cut]).all(|r| r.is_ok()));
            continue;
        }
        assert!(
            parse_compound(&buf[..cut]).any(|r| r.is_err()),
            "truncation at {cut} accepted"
        );
    }
    assert_eq!(parse_compound(&[]).count(), 0);
}

#[test]
fn rules_first_packet_must_be_report() {
    let buf = [0x80, 210, 0x00, 0x01, 1, 2, 3, 4];
    assert_eq!(check_compound(&buf, CompoundMode::ReducedSize), Ok(1));
    assert_eq!(
        check_compound(&buf, CompoundMode::Full),
        Err(RtcpError::CompoundRule(CompoundRule::FirstNotReport))
    );
    assert_eq!(
        check_compound(&[], CompoundMode::Full),
        Err(RtcpError::CompoundRule(CompoundRule::Empty))
    );
}

#[test]
fn writer_padding() {
    let rr = ReceiverReport {
        ssrc: 9,
        ..Default::default()
    };
    let mut out = [0u8; 16];
    let mut w = RtcpCompoundWriter::new(&mut out);
    assert_eq!(w.push(&rr.into()).unwrap(), 8);
    assert_eq!(w.finish_with_padding(8).unwrap(), 16);
    assert_eq!(out, [0xa0, 201, 0, 3, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0, 8]);
    // Padding is stripped on parse.
    let parsed = RtcpPacket::parse(&out).unwrap();
    assert_eq!(parsed, RtcpPacket::ReceiverReport(rr));
    let mut small = [0u8; 12];
    let mut w = RtcpCompoundWriter::new(&mut small);
    w.push(&parsed).unwrap();
    assert!(matches!(
        w.finish_with_padding(8),
        Err(RtcpError::BufferTooSmall { .. })
    ));
}

/// Chromium-style compound: RR without blocks, then SDES with one CNAME of
/// 16 characters.
const CHROME_RR_SDES: [u8; 36] = [
    0x80, 201, 0x00, 0x01, // RR, RC=0, length 1
    0x5a, 0x1b, 0x2c, 0x3d, // sender SSRC
    0x81, 202, 0x00, 0x06, // SDES, SC=1, length 6
    0x5a, 0x1b, 0x2c, 0x3d, // chunk SSRC
    0x01, 0x10, b'C', b'h', // CNAME, 16 bytes
    b'r', b'o', b'm', b'e', //
    b'C', b'N', b'A', b'M', //
    b'E', b'1', b'2', b'3', //
    b'4', b'5', 0x00, 0x00, // END + pad
];

#[test]
fn chromium_rr_sdes() {
    let packets: Vec<_> = parse_compound(&CHROME_RR_SDES)
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(packets.len(), 2);
    let RtcpPacket::ReceiverReport(rr) = &packets[0] else {
        panic!("expected RR");
    };
    assert_eq!(rr.ssrc, 0x5a1b_2c3d);
    assert!(rr.reports.is_empty());
    let RtcpPacket::SourceDescription(sdes) = &packets[1] else {
        panic!("expected SDES");
    };
    assert_eq!(sdes.cname(), Some((0x5a1b_2c3d, &b"ChromeCNAME12345"[..])));
    let chunks: Vec<_> = sdes.chunks().collect();
    assert_eq!(chunks.len(), 1);
    let items: Vec<_> = chunks[0].items.clone().collect();
    assert_eq!(items, vec![SdesItem::cname(b"ChromeCNAME12345")]);
    assert_eq!(check_compound(&CHROME_RR_SDES, CompoundMode::Full), Ok(2));
    let mut out = [0u8; 36];
    assert_eq!(marshal_compound(&packets, &mut out).unwrap(), 36);
    assert_eq!(out, CHROME_RR_SDES);
    // Built from logical content: same bytes.
    let items = [SdesItem::cname(b"ChromeCNAME12345")];
    let chunks = [SdesChunk {
        ssrc: 0x5a1b_2c3d,
        items: &items,
    }];
    let mut out2 = [0u8; 36];
    let mut w = RtcpCompoundWriter::new(&mut out2);
    w.push(
        &ReceiverReport {
            ssrc: 0x5a1b_2c3d,
            ..Default::default()
        }
        .into(),
    )
    .unwrap();
    w.push(&SourceDescription::new(&chunks).unwrap().into())
        .unwrap();
    assert_eq!(w.finish(), 36);
    assert_eq!(out2, CHROME_RR_SDES);
}

#[test]
fn compound_rules_cname_and_padding() {
    // RR alone: no CNAME.
    assert_eq!(
        check_compound(&CHROME_RR_SDES[..8], CompoundMode::Full),
        Err(RtcpError::CompoundRule(CompoundRule::MissingCname))
    );
    assert_eq!(
        check_compound(&CHROME_RR_SDES[..8], CompoundMode::ReducedSize),
        Ok(1)
    );
    // Padding on the first packet (P bit, length 2, 4 bytes of padding).
    let mut padded = vec![0xa0, 201, 0x00, 0x02, 0x5a, 0x1b, 0x2c, 0x3d, 0, 0, 0, 4];
    padded.extend_from_slice(&CHROME_RR_SDES[8..]);
    assert_eq!(parse_compound(&padded).filter(|r| r.is_ok()).count(), 2);
    assert_eq!(
        check_compound(&padded, CompoundMode::Full),
        Err(RtcpError::PaddingNotLast)
    );
    assert_eq!(check_compound(&padded, CompoundMode::ReducedSize), Ok(2));
}

#[test]
fn sdes_item_past_chunk_in_compound() {
    let mut bad = CHROME_RR_SDES;
    bad[17] = 0x40; // CNAME length 64, past the packet
    let results: Vec<_> = parse_compound(&bad).collect();
    assert_eq!(results.len(), 2);
    assert_eq!(
        results[1],
        Err(RtcpError::InvalidSdes(SdesError::ItemOverrun))
    );
}
