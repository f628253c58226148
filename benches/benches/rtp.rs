//! Wall clock of RTP parse and marshal (criterion) on Chromium-like video
//! (1200 B) and audio (160 B) packets. Groups `rtp_parse` / `rtp_marshal`
//! report bytes/s, `rtp_parse_packets` / `rtp_marshal_packets` the same work
//! in packets/s. Reported, never gated (wall clock is noisy here, see
//! `shared/LAB.md`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::ops::{self, OUT_LEN, RtpMarshalCase};
use zerortc_benches::rtp_inputs;

fn parse(c: &mut Criterion) {
    let inputs = rtp_inputs();
    for (group_name, per_packet) in [("rtp_parse", false), ("rtp_parse_packets", true)] {
        let mut group = c.benchmark_group(group_name);
        for (id, packet) in &inputs {
            group.throughput(if per_packet {
                Throughput::Elements(1)
            } else {
                Throughput::Bytes(packet.len() as u64)
            });
            group.bench_with_input(BenchmarkId::from_parameter(id), packet, |b, p| {
                b.iter(|| ops::rtp_parse(black_box(p)))
            });
        }
        group.finish();
    }
}

fn marshal(c: &mut Criterion) {
    let inputs = rtp_inputs();
    let mut out = vec![0u8; OUT_LEN];
    for (group_name, per_packet) in [("rtp_marshal", false), ("rtp_marshal_packets", true)] {
        let mut group = c.benchmark_group(group_name);
        for (id, packet) in &inputs {
            let case = RtpMarshalCase::from_packet(packet).expect("bench input parses");
            group.throughput(if per_packet {
                Throughput::Elements(1)
            } else {
                Throughput::Bytes(packet.len() as u64)
            });
            group.bench_with_input(BenchmarkId::from_parameter(id), &case, |b, case| {
                b.iter(|| ops::rtp_marshal(black_box(case), black_box(&mut out)))
            });
        }
        group.finish();
    }
}

fn config() -> Criterion {
    // Short defaults (command-line flags still override them): the figures
    // are reported, not gated, and the machine is shared.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = parse, marshal);
criterion_main!(benches);
