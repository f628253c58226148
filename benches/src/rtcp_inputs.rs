//! RTCP packets as Chromium sends them, built byte by byte (RFC 3550 §6,
//! RFC 4585 §6, draft-alvestrand-rmcat-remb, transport-wide-cc-extensions-01).

/// SSRC of the local (sending) side in every packet.
pub const SENDER_SSRC: u32 = 0x7C3A_1E05;
/// SSRC of the remote media source being reported on.
pub const MEDIA_SSRC: u32 = 0x2E4F_7A31;

/// Appends a common RTCP header: V=2, P=0, count/format, packet type, and the
/// length in 32-bit words minus one, computed from `body` (everything after
/// the first 4 bytes).
fn rtcp_packet(out: &mut Vec<u8>, count: u8, packet_type: u8, body: &[u8]) {
    assert!(body.len().is_multiple_of(4) && count < 32);
    out.push(0x80 | count);
    out.push(packet_type);
    out.extend_from_slice(&((body.len() / 4) as u16).to_be_bytes());
    out.extend_from_slice(body);
}

/// One RFC 3550 §6.4.1 report block (24 bytes): 2 lost of ~1 % fraction,
/// highest sequence 23 456 in cycle 1, some jitter, LSR/DLSR set.
fn report_block(out: &mut Vec<u8>) {
    out.extend_from_slice(&MEDIA_SSRC.to_be_bytes());
    out.push(3); // fraction lost: 3/256
    out.extend_from_slice(&[0x00, 0x00, 0x02]); // cumulative lost: 2
    out.extend_from_slice(&0x0001_5BA0u32.to_be_bytes()); // ext. highest seq
    out.extend_from_slice(&37u32.to_be_bytes()); // jitter
    out.extend_from_slice(&0x8C1F_4A20u32.to_be_bytes()); // LSR
    out.extend_from_slice(&0x0000_1F40u32.to_be_bytes()); // DLSR (~122 ms)
}

/// SDES with one chunk holding a 16-character CNAME, as Chromium's.
fn sdes_cname(out: &mut Vec<u8>) {
    let cname = b"4TOk42mSjXCkVIa6";
    let mut body = Vec::new();
    body.extend_from_slice(&SENDER_SSRC.to_be_bytes());
    body.push(1); // CNAME
    body.push(cname.len() as u8);
    body.extend_from_slice(cname);
    body.push(0); // end of the item list
    while !body.len().is_multiple_of(4) {
        body.push(0);
    }
    rtcp_packet(out, 1, 202, &body);
}

/// Chromium's receiver report compound: RR with one report block, then SDES
/// CNAME (60 bytes).
pub fn compound_rr_sdes() -> Vec<u8> {
    let mut out = Vec::new();
    let mut rr = SENDER_SSRC.to_be_bytes().to_vec();
    report_block(&mut rr);
    rtcp_packet(&mut out, 1, 201, &rr);
    sdes_cname(&mut out);
    out
}

/// A sender report with one report block (52 bytes).
pub fn sender_report() -> Vec<u8> {
    let mut body = SENDER_SSRC.to_be_bytes().to_vec();
    body.extend_from_slice(&0xEB1F_4A20u32.to_be_bytes()); // NTP seconds
    body.extend_from_slice(&0x8C1F_0000u32.to_be_bytes()); // NTP fraction
    body.extend_from_slice(&1_820_468_123u32.to_be_bytes()); // RTP timestamp
    body.extend_from_slice(&18_432u32.to_be_bytes()); // packet count
    body.extend_from_slice(&20_123_456u32.to_be_bytes()); // octet count
    report_block(&mut body);
    let mut out = Vec::new();
    rtcp_packet(&mut out, 1, 200, &body);
    out
}

/// Number of packets a [`twcc_feedback`] reports on.
pub const TWCC_PACKET_COUNT: u16 = 50;

/// A transport-wide congestion control feedback (RTPFB, FMT 15) reporting 50
/// packets: 30 received with small deltas (run-length chunk), 7 in a two-bit
/// status vector (one lost, one large delta), 13 more received with small
/// deltas (76 bytes, no padding needed).
pub fn twcc_feedback() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&SENDER_SSRC.to_be_bytes());
    body.extend_from_slice(&MEDIA_SSRC.to_be_bytes());
    body.extend_from_slice(&1234u16.to_be_bytes()); // base sequence number
    body.extend_from_slice(&TWCC_PACKET_COUNT.to_be_bytes()); // status count
    body.extend_from_slice(&[0x01, 0x2D, 0x4E]); // reference time (×64 ms)
    body.push(17); // feedback packet count
    // Run length: T=0, S=01 (small delta), run 30.
    body.extend_from_slice(&0x201Eu16.to_be_bytes());
    // Status vector: T=1, S=1 (two-bit), symbols 1 0 1 2 1 1 1.
    body.extend_from_slice(&0b1101_0001_1001_0101u16.to_be_bytes());
    // Run length: small delta, run 13.
    body.extend_from_slice(&0x200Du16.to_be_bytes());
    // Receive deltas in 250 µs units: 30 small, then 1, 1, large, 1, 1, 1, then 13.
    let small = |i: usize| (4 + (i % 7) * 3) as u8;
    for i in 0..30 {
        body.push(small(i));
    }
    body.push(small(30));
    body.push(small(31));
    body.extend_from_slice(&(-120i16).to_be_bytes()); // reordered: negative delta
    for i in 32..35 {
        body.push(small(i));
    }
    for i in 35..48 {
        body.push(small(i));
    }
    let mut out = Vec::new();
    rtcp_packet(&mut out, 15, 205, &body);
    out
}

/// A generic NACK (RTPFB, FMT 1) with two FCI entries: 3 + 16 lost packets.
pub fn generic_nack() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&SENDER_SSRC.to_be_bytes());
    body.extend_from_slice(&MEDIA_SSRC.to_be_bytes());
    body.extend_from_slice(&23_400u16.to_be_bytes());
    body.extend_from_slice(&0b0000_0000_0000_0101u16.to_be_bytes());
    body.extend_from_slice(&23_420u16.to_be_bytes());
    body.extend_from_slice(&0xFFFFu16.to_be_bytes());
    let mut out = Vec::new();
    rtcp_packet(&mut out, 1, 205, &body);
    out
}

/// A REMB (PSFB, FMT 15, "REMB") of ~2.5 Mbit/s for two SSRCs (28 bytes).
pub fn remb() -> Vec<u8> {
    let mut body = Vec::new();
    body.extend_from_slice(&SENDER_SSRC.to_be_bytes());
    body.extend_from_slice(&0u32.to_be_bytes()); // media source: 0 for REMB
    body.extend_from_slice(b"REMB");
    body.push(2); // number of SSRCs
    // BR exp 6 bits, mantissa 18 bits: 156_250 × 2^4 = 2_500_000 bit/s.
    let (exp, mantissa) = (4u32, 156_250u32);
    let packed = (exp << 18) | mantissa;
    body.extend_from_slice(&packed.to_be_bytes()[1..]);
    body.extend_from_slice(&MEDIA_SSRC.to_be_bytes());
    body.extend_from_slice(&0x0B5C_91E7u32.to_be_bytes());
    let mut out = Vec::new();
    rtcp_packet(&mut out, 15, 206, &body);
    out
}

/// The RTCP inputs of every suite: `(bench id, compound packet bytes)`.
pub fn rtcp_inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("rr_sdes", compound_rr_sdes()),
        ("sr", sender_report()),
        ("twcc_50", twcc_feedback()),
        ("nack", generic_nack()),
        ("remb", remb()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks the compound by the length fields and returns each `(count,
    /// packet type, size)`.
    fn walk(buf: &[u8]) -> Vec<(u8, u8, usize)> {
        let mut out = Vec::new();
        let mut rest = buf;
        while !rest.is_empty() {
            assert_eq!(rest[0] >> 6, 2);
            let len = (usize::from(u16::from_be_bytes([rest[2], rest[3]])) + 1) * 4;
            out.push((rest[0] & 0x1F, rest[1], len));
            rest = &rest[len..];
        }
        out
    }

    #[test]
    fn lengths_match_the_bytes() {
        assert_eq!(walk(&compound_rr_sdes()), vec![(1, 201, 32), (1, 202, 28)]);
        assert_eq!(walk(&sender_report()), vec![(1, 200, 52)]);
        assert_eq!(walk(&twcc_feedback()), vec![(15, 205, 76)]);
        assert_eq!(walk(&generic_nack()), vec![(1, 205, 20)]);
        assert_eq!(walk(&remb()), vec![(15, 206, 28)]);
    }

    #[test]
    fn twcc_statuses_add_up() {
        let p = twcc_feedback();
        assert_eq!(u16::from_be_bytes([p[14], p[15]]), 50);
        // 30 + 7 + 13 statuses, 49 received: 48 small (1 byte) + 1 large (2 bytes).
        assert_eq!(p.len(), 20 + 3 * 2 + 48 + 2);
    }

    #[test]
    fn remb_bitrate() {
        let p = remb();
        assert_eq!(&p[12..16], b"REMB");
        let packed = u32::from_be_bytes([0, p[17], p[18], p[19]]);
        assert_eq!((packed & 0x3_FFFF) << (packed >> 18), 2_500_000);
    }
}
