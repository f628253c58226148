//! Wall clock of RTCP parse and marshal (criterion) on Chromium-like
//! compounds: RR+SDES, SR, transport-cc feedback of 50 packets, generic NACK,
//! REMB. Groups `rtcp_parse` / `rtcp_marshal` report bytes/s,
//! `rtcp_parse_packets` / `rtcp_marshal_packets` RTCP packets/s (packets in
//! the compound). Reported, never gated.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::ops::{self, OUT_LEN};
use zerortc_benches::rtcp_inputs;

fn throughput(compound: &[u8], per_packet: bool) -> Throughput {
    if per_packet {
        let packets = ops::rtcp_packets(compound).expect("bench input parses");
        Throughput::Elements(packets.len() as u64)
    } else {
        Throughput::Bytes(compound.len() as u64)
    }
}

fn parse(c: &mut Criterion) {
    let inputs = rtcp_inputs();
    for (group_name, per_packet) in [("rtcp_parse", false), ("rtcp_parse_packets", true)] {
        let mut group = c.benchmark_group(group_name);
        for (id, compound) in &inputs {
            group.throughput(throughput(compound, per_packet));
            group.bench_with_input(BenchmarkId::from_parameter(id), compound, |b, p| {
                b.iter(|| ops::rtcp_parse(black_box(p)))
            });
        }
        group.finish();
    }
}

fn marshal(c: &mut Criterion) {
    let inputs = rtcp_inputs();
    let mut out = vec![0u8; OUT_LEN];
    for (group_name, per_packet) in [("rtcp_marshal", false), ("rtcp_marshal_packets", true)] {
        let mut group = c.benchmark_group(group_name);
        for (id, compound) in &inputs {
            let packets = ops::rtcp_packets(compound).expect("bench input parses");
            group.throughput(throughput(compound, per_packet));
            group.bench_with_input(BenchmarkId::from_parameter(id), &packets, |b, packets| {
                b.iter(|| ops::rtcp_marshal(black_box(packets), black_box(&mut out)))
            });
        }
        group.finish();
    }
}

fn twcc_build(c: &mut Criterion) {
    let arrivals = ops::twcc_arrivals();
    let mut builder = ops::twcc_builder();
    let mut out = vec![0u8; OUT_LEN];
    let mut group = c.benchmark_group("rtcp_twcc_build");
    group.throughput(Throughput::Elements(arrivals.len() as u64));
    group.bench_function("arrivals_50", |b| {
        b.iter(|| ops::twcc_build(&mut builder, black_box(&arrivals), black_box(&mut out)))
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = parse, marshal, twcc_build);
criterion_main!(benches);
