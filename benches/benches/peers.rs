//! The same RTP work on zerortc and its peers, side by side (criterion,
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
use zerortc_benches::rtp_inputs;
use zerortc_benches::rtp_inputs::{EXT_ABS_SEND_TIME, EXT_AUDIO_LEVEL, EXT_MID, EXT_TRANSPORT_CC};

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

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = rtp_parse, rtp_marshal);
criterion_main!(benches);
