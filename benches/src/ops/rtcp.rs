//! RTCP parse and marshal, transport-cc feedback building.

use zerortc::rtcp::{RtcpPacket, TwccBuilder, marshal_compound, parse_compound};

use crate::rtcp_inputs::{MEDIA_SSRC, SENDER_SSRC};

/// Walks a compound RTCP packet, decoding every packet (and every packet
/// report of a transport-cc feedback). Returns 0 for a malformed packet.
#[inline]
pub fn rtcp_parse(buf: &[u8]) -> usize {
    let mut acc = 0usize;
    for packet in parse_compound(buf) {
        let Ok(packet) = packet else {
            return 0;
        };
        acc = acc.wrapping_add(usize::from(packet.packet_type()));
        if let RtcpPacket::TransportCc(twcc) = &packet {
            for report in twcc.packets() {
                acc = acc.wrapping_add(usize::from(report.sequence_number));
                if let Some(delta) = report.delta_ticks {
                    acc = acc.wrapping_add(delta as usize);
                }
            }
        }
    }
    acc
}

/// Parses every packet of a compound (setup for [`rtcp_marshal`]).
pub fn rtcp_packets(buf: &[u8]) -> Result<Vec<RtcpPacket<'_>>, zerortc::rtcp::RtcpError> {
    parse_compound(buf).collect()
}

/// Marshals `packets` as one compound into `out`; returns the length (0 on
/// error).
#[inline]
pub fn rtcp_marshal(packets: &[RtcpPacket<'_>], out: &mut [u8]) -> usize {
    marshal_compound(packets, out).unwrap_or(0)
}

/// Arrivals of 50 packets as a receiver sees them: two lost, one reordered,
/// the rest 1–5 ms apart. `(transport sequence number, arrival in µs)`.
pub fn twcc_arrivals() -> Vec<(u16, Option<i64>)> {
    let mut at = 1_000_000_000i64;
    (0..crate::rtcp_inputs::TWCC_PACKET_COUNT)
        .map(|i| {
            let seq = 1234u16.wrapping_add(i);
            match i {
                17 | 41 => (seq, None),
                29 => (seq, Some(at - 30_000)),
                _ => {
                    at += 1_000 + i64::from(i % 5) * 1_000;
                    (seq, Some(at))
                }
            }
        })
        .collect()
}

/// Resets `builder`, pushes `arrivals`, builds the feedback and marshals it
/// into `out`; returns the length (0 on error).
#[inline]
pub fn twcc_build(
    builder: &mut TwccBuilder,
    arrivals: &[(u16, Option<i64>)],
    out: &mut [u8],
) -> usize {
    builder.reset(17);
    for &(seq, arrival) in arrivals {
        if builder.push(seq, arrival).is_err() {
            return 0;
        }
    }
    match builder.build() {
        Ok(feedback) => feedback.marshal_to(out).unwrap_or(0),
        Err(_) => 0,
    }
}

/// A builder for [`twcc_build`] with the suites' SSRCs.
pub fn twcc_builder() -> TwccBuilder {
    TwccBuilder::new(SENDER_SSRC, MEDIA_SSRC, 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::OUT_LEN;
    use crate::rtcp_inputs;

    #[test]
    fn rtcp_inputs_parse_and_marshal_back_byte_identical() {
        for (id, compound) in rtcp_inputs() {
            assert_ne!(rtcp_parse(&compound), 0, "{id}");
            let packets = rtcp_packets(&compound).unwrap();
            let mut out = [0u8; OUT_LEN];
            let n = rtcp_marshal(&packets, &mut out);
            assert_eq!(&out[..n], &compound[..], "{id}");
        }
    }

    #[test]
    fn twcc_input_reports_50_packets_1_lost() {
        let compound = crate::rtcp_inputs::twcc_feedback();
        let packets = rtcp_packets(&compound).unwrap();
        let [RtcpPacket::TransportCc(twcc)] = &packets[..] else {
            panic!("expected one transport-cc packet, got {packets:?}");
        };
        let reports: Vec<_> = twcc.packets().collect();
        assert_eq!(reports.len(), 50);
        assert_eq!(
            reports.iter().filter(|r| r.delta_ticks.is_none()).count(),
            1
        );
        assert_eq!(reports[33].delta_ticks, Some(-120));
    }

    #[test]
    fn twcc_build_output_parses_back_to_the_arrivals() {
        let arrivals = twcc_arrivals();
        let mut builder = twcc_builder();
        let mut out = [0u8; OUT_LEN];
        let n = twcc_build(&mut builder, &arrivals, &mut out);
        assert!(n > 20);
        let packet = RtcpPacket::parse(&out[..n]).unwrap();
        let RtcpPacket::TransportCc(twcc) = packet else {
            panic!("expected transport-cc, got {packet:?}");
        };
        let reports: Vec<_> = twcc.packets().collect();
        assert_eq!(reports.len(), arrivals.len());
        for (report, (seq, arrival)) in reports.iter().zip(&arrivals) {
            assert_eq!(report.sequence_number, *seq);
            assert_eq!(report.delta_ticks.is_some(), arrival.is_some());
        }
        // Same bytes on a second run with the reused builder.
        let mut again = [0u8; OUT_LEN];
        assert_eq!(twcc_build(&mut builder, &arrivals, &mut again), n);
        assert_eq!(out[..n], again[..n]);
    }
}
