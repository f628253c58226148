//! The same RTP and RTCP work on zerortc and its peers, side by side (criterion,
//! `--features peers`): webrtc-rs (`rtc-rtp`, `rtc-rtcp` 0.21) and str0m
//! 0.25. Group `peers_<layer>_<op>`, function = implementation, parameter =
//! input, e.g. `peers_rtp_parse/zerortc/video_1200` next to
//! `peers_rtp_parse/rtc/video_1200`.
//!
//! What each one does per packet (same inputs, same fields read):
//! - zerortc: `RtpPacket::parse` (view), header fields, walk the extension
//!   elements; marshal from an `RtpHeader` with its elements.
//! - rtc: `Packet::unmarshal` from a `Bytes` (a refcount bump, the payload
//!   is not copied; extensions go into a `Vec`), same fields read; marshal
//!   with `Marshal::marshal_to` into the same buffer.
//! - RTCP, zerortc: walk the compound with `parse_compound`, decode every
//!   packet and every transport-cc report; marshal the parsed packets with
//!   `marshal_compound`.
//! - RTCP, rtc: `rtc_rtcp::packet::unmarshal` from a `Bytes` (a
//!   `Vec<Box<dyn Packet>>`, transport-cc chunks and deltas decoded eagerly
//!   into `Vec`s), read each header and every transport-cc receive delta;
//!   marshal each packet with `marshal_to` into the same buffer.
//! - str0m: its RTP header parser is `pub(crate)`; the only way in is
//!   `RtpHeader::_parse` behind its `_internal_test_exports` feature
//!   ("UNSTABLE: not public API"). It decodes the negotiated extensions
//!   into typed values while parsing, so it does more than the other two.
//!   str0m has no public RTP marshal and no public RTCP parse/marshal
//!   (`Rtcp::read_packet`/`write_packet` are `pub(crate)`): no str0m entry
//!   in those groups.

use std::hint::black_box;
use std::time::Duration;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rtc_shared::marshal::{Marshal, Unmarshal};
use zerortc_benches::ops::{self, OUT_LEN, RtpMarshalCase};
use zerortc_benches::rtp_inputs::{EXT_ABS_SEND_TIME, EXT_AUDIO_LEVEL, EXT_MID, EXT_TRANSPORT_CC};
use zerortc_benches::{rtcp_inputs, rtp_inputs};

/// rtc-rtp: unmarshal and read what [`ops::rtp_parse`] reads.
fn rtc_rtp_parse(packet: &Bytes) -> usize {
    let mut buf = packet.clone();
    let Ok(p) = rtc_rtp::Packet::unmarshal(&mut buf) else {
        return 0;
    };
    let h = &p.header;
    let mut acc = usize::from(h.sequence_number)
        ^ h.timestamp as usize
        ^ h.ssrc as usize
        ^ usize::from(h.payload_type)
        ^ usize::from(h.marker);
    for e in &h.extensions {
        acc = acc.wrapping_add(usize::from(e.id) + e.payload.len());
    }
    acc.wrapping_add(p.payload.len())
}

/// str0m's extension map with the suites' ids.
fn str0m_extensions() -> str0m::rtp::ExtensionMap {
    use str0m::rtp::Extension;
    let mut map = str0m::rtp::ExtensionMap::empty();
    map.set(EXT_AUDIO_LEVEL, Extension::AudioLevel);
    map.set(EXT_ABS_SEND_TIME, Extension::AbsoluteSendTime);
    map.set(EXT_TRANSPORT_CC, Extension::TransportSequenceNumber);
    map.set(EXT_MID, Extension::RtpMid);
    map
}

/// str0m: parse the header (typed extension values) and read the same fields.
fn str0m_rtp_parse(packet: &[u8], exts: &str0m::rtp::ExtensionMap) -> usize {
    let Some(h) = str0m::rtp::RtpHeader::_parse(packet, exts) else {
        return 0;
    };
    let mut acc = usize::from(h.sequence_number)
        ^ h.timestamp as usize
        ^ *h.ssrc as usize
        ^ usize::from(*h.payload_type)
        ^ usize::from(h.marker);
    acc = acc.wrapping_add(usize::from(h.ext_vals.transport_cc.unwrap_or(0)));
    acc = acc.wrapping_add(h.ext_vals.mid.map_or(0, |m| m.len()));
    acc = acc.wrapping_add(h.ext_vals.audio_level.map_or(0, |l| l as usize));
    acc = acc.wrapping_add(usize::from(h.ext_vals.abs_send_time.is_some()));
    acc.wrapping_add(packet.len() - h.header_len)
}

fn rtp_parse(c: &mut Criterion) {
    let exts = str0m_extensions();
    let mut group = c.benchmark_group("peers_rtp_parse");
    for (id, packet) in rtp_inputs() {
        group.throughput(Throughput::Bytes(packet.len() as u64));
        group.bench_with_input(BenchmarkId::new("zerortc", id), &packet, |b, p| {
            b.iter(|| ops::rtp_parse(black_box(p)))
        });
        let bytes = Bytes::from(packet.clone());
        assert_ne!(rtc_rtp_parse(&bytes), 0, "rtc parses {id}");
        group.bench_with_input(BenchmarkId::new("rtc", id), &bytes, |b, p| {
            b.iter(|| rtc_rtp_parse(black_box(p)))
        });
        assert_ne!(str0m_rtp_parse(&packet, &exts), 0, "str0m parses {id}");
        group.bench_with_input(BenchmarkId::new("str0m_internal", id), &packet, |b, p| {
            b.iter(|| str0m_rtp_parse(black_box(p), &exts))
        });
    }
    group.finish();
}

fn rtp_marshal(c: &mut Criterion) {
    let inputs = rtp_inputs();
    let mut out = vec![0u8; OUT_LEN];
    let mut group = c.benchmark_group("peers_rtp_marshal");
    for (id, packet) in &inputs {
        group.throughput(Throughput::Bytes(packet.len() as u64));
        let case = RtpMarshalCase::from_packet(packet).expect("bench input parses");
        group.bench_with_input(BenchmarkId::new("zerortc", id), &case, |b, case| {
            b.iter(|| ops::rtp_marshal(black_box(case), black_box(&mut out)))
        });
        let rtc_packet = rtc_rtp::Packet::unmarshal(&mut Bytes::from(packet.clone()))
            .expect("rtc parses the input");
        let n = rtc_packet.marshal_to(&mut out).expect("rtc marshals");
        assert_eq!(
            &out[..n],
            &packet[..],
            "rtc marshals {id} back byte-identical"
        );
        group.bench_with_input(BenchmarkId::new("rtc", id), &rtc_packet, |b, p| {
            b.iter(|| black_box(p).marshal_to(black_box(&mut out)).unwrap_or(0))
        });
    }
    group.finish();
}

/// rtc-rtcp: unmarshal the compound and read what [`ops::rtcp_parse`] reads.
fn rtc_rtcp_parse(compound: &Bytes) -> usize {
    use rtc_rtcp::transport_feedbacks::transport_layer_cc::TransportLayerCc;
    let mut buf = compound.clone();
    let Ok(packets) = rtc_rtcp::packet::unmarshal(&mut buf) else {
        return 0;
    };
    let mut acc = 0usize;
    for p in &packets {
        acc = acc.wrapping_add(usize::from(p.header().packet_type as u8));
        if let Some(twcc) = p.as_any().downcast_ref::<TransportLayerCc>() {
            for d in &twcc.recv_deltas {
                acc = acc.wrapping_add(d.delta as usize);
            }
        }
    }
    acc
}

/// rtc-rtcp: marshal every packet into `out`, one after the other.
fn rtc_rtcp_marshal(packets: &[Box<dyn rtc_rtcp::packet::Packet>], out: &mut [u8]) -> usize {
    let mut offset = 0;
    for p in packets {
        let Some(rest) = out.get_mut(offset..) else {
            return 0;
        };
        match p.marshal_to(rest) {
            Ok(n) => offset += n,
            Err(_) => return 0,
        }
    }
    offset
}

fn rtcp_parse(c: &mut Criterion) {
    let mut group = c.benchmark_group("peers_rtcp_parse");
    for (id, compound) in rtcp_inputs() {
        group.throughput(Throughput::Bytes(compound.len() as u64));
        group.bench_with_input(BenchmarkId::new("zerortc", id), &compound, |b, p| {
            b.iter(|| ops::rtcp_parse(black_box(p)))
        });
        let bytes = Bytes::from(compound.clone());
        assert_ne!(rtc_rtcp_parse(&bytes), 0, "rtc parses {id}");
        group.bench_with_input(BenchmarkId::new("rtc", id), &bytes, |b, p| {
            b.iter(|| rtc_rtcp_parse(black_box(p)))
        });
    }
    group.finish();
}

fn rtcp_marshal(c: &mut Criterion) {
    let inputs = rtcp_inputs();
    let mut out = vec![0u8; OUT_LEN];
    let mut group = c.benchmark_group("peers_rtcp_marshal");
    for (id, compound) in &inputs {
        group.throughput(Throughput::Bytes(compound.len() as u64));
        let packets = ops::rtcp_packets(compound).expect("bench input parses");
        group.bench_with_input(BenchmarkId::new("zerortc", id), &packets, |b, packets| {
            b.iter(|| ops::rtcp_marshal(black_box(packets), black_box(&mut out)))
        });
        let rtc_packets = rtc_rtcp::packet::unmarshal(&mut Bytes::from(compound.clone()))
            .expect("rtc parses the input");
        let n = rtc_rtcp_marshal(&rtc_packets, &mut out);
        assert_eq!(
            n,
            compound.len(),
            "rtc marshals {id} back to the same length"
        );
        if out[..n] != compound[..] {
            // rtc-rtcp 0.21 ends an SDES chunk with a non-zero byte where
            // RFC 3550 §6.5 wants null octets: same size, different bytes.
            eprintln!("note: rtc's {id} marshal differs from the input bytes");
        }
        group.bench_with_input(BenchmarkId::new("rtc", id), &rtc_packets, |b, p| {
            b.iter(|| rtc_rtcp_marshal(black_box(p), black_box(&mut out)))
        });
    }
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = rtp_parse, rtp_marshal, rtcp_parse, rtcp_marshal);
criterion_main!(benches);
