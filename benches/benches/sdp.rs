//! Wall clock of SDP (criterion): parse of real browser offers into the
//! typed model (`sdp_parse/<input>`, descriptions/s and bytes/s),
//! serialize of a parsed Chromium audio+video offer
//! (`sdp_serialize/chromium_av_offer`), and the answer negotiation
//! (`sdp_negotiate/chromium_av_offer`: codecs, header extensions and
//! direction against Firefox's capabilities). Reported, never gated
//! (see `shared/LAB.md`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc::sdp::SessionDescription;
use zerortc_benches::ops;
use zerortc_benches::sdp_inputs::{self, CHROMIUM_AV_OFFER, FIREFOX_AV_OFFER};

fn sdp(c: &mut Criterion) {
    let inputs = sdp_inputs::sdp_inputs();
    let mut group = c.benchmark_group("sdp_parse");
    group.throughput(Throughput::Elements(1));
    for input in &inputs {
        group.bench_with_input(BenchmarkId::from_parameter(input.id), input.text, |b, t| {
            b.iter(|| ops::sdp_parse(black_box(t)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("sdp_parse_bytes");
    for input in &inputs {
        group.throughput(Throughput::Bytes(input.text.len() as u64));
        group.bench_with_input(BenchmarkId::from_parameter(input.id), input.text, |b, t| {
            b.iter(|| ops::sdp_parse(black_box(t)))
        });
    }
    group.finish();

    let offer = SessionDescription::parse(CHROMIUM_AV_OFFER).expect("bench input parses");
    let mut out = String::with_capacity(CHROMIUM_AV_OFFER.len() * 2);
    let mut group = c.benchmark_group("sdp_serialize");
    group.throughput(Throughput::Elements(1));
    group.bench_function("chromium_av_offer", |b| {
        b.iter(|| ops::sdp_serialize(black_box(&offer), black_box(&mut out)))
    });
    group.finish();

    let local = SessionDescription::parse(FIREFOX_AV_OFFER).expect("bench input parses");
    let mut group = c.benchmark_group("sdp_negotiate");
    group.throughput(Throughput::Elements(1));
    group.bench_function("chromium_av_offer", |b| {
        b.iter(|| ops::sdp_negotiate(black_box(&offer), black_box(&local.media)))
    });
    group.finish();
}

fn config() -> Criterion {
    // Short defaults (command-line flags still override them): the figures
    // are reported, not gated, and the machine is shared.
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = sdp
}
criterion_main!(benches);
