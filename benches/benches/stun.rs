//! Wall clock of STUN and of the ICE agent's steady state (criterion):
//! parse of a real Chromium check and response (`stun_parse/<input>`),
//! build of a nominating check with MESSAGE-INTEGRITY and FINGERPRINT
//! (`stun_build/check`), integrity and fingerprint verification of a parsed
//! message (`stun_verify_integrity/<input>`, `stun_verify_fingerprint/<input>`),
//! one consent round between two connected agents
//! (`ice_consent_round/connected`) and one check answered
//! (`ice_answer_check/connected`). All in messages (or rounds) per second.
//! Reported, never gated (see `shared/LAB.md`).

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc::stun::StunMessage;
use zerortc_benches::ops::{self, IceSession, OUT_LEN};
use zerortc_benches::stun_inputs;
use zerortc_benches::stun_inputs::StunCheckCase;

fn stun(c: &mut Criterion) {
    let inputs = stun_inputs();
    let mut group = c.benchmark_group("stun_parse");
    group.throughput(Throughput::Elements(1));
    for input in &inputs {
        group.bench_with_input(
            BenchmarkId::from_parameter(input.id),
            &input.bytes,
            |b, m| b.iter(|| ops::stun_parse(black_box(m))),
        );
    }
    group.finish();

    let case = StunCheckCase::chromium_like();
    let mut out = vec![0u8; OUT_LEN];
    let mut group = c.benchmark_group("stun_build");
    group.throughput(Throughput::Elements(1));
    group.bench_function("check", |b| {
        b.iter(|| ops::stun_build_check(black_box(&case), black_box(&mut out)))
    });
    group.finish();

    let mut group = c.benchmark_group("stun_verify_integrity");
    group.throughput(Throughput::Elements(1));
    for input in &inputs {
        let msg = StunMessage::parse(&input.bytes).expect("bench input parses");
        let key = input.key();
        group.bench_function(input.id, |b| {
            b.iter(|| ops::stun_verify_integrity(black_box(&msg), black_box(&key)))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("stun_verify_fingerprint");
    group.throughput(Throughput::Elements(1));
    for input in &inputs {
        let msg = StunMessage::parse(&input.bytes).expect("bench input parses");
        group.bench_function(input.id, |b| {
            b.iter(|| ops::stun_verify_fingerprint(black_box(&msg)))
        });
    }
    group.finish();
}

fn ice(c: &mut Criterion) {
    let mut session = IceSession::connected().expect("agents connect");
    let mut group = c.benchmark_group("ice_consent_round");
    group.throughput(Throughput::Elements(1));
    group.bench_function("connected", |b| b.iter(|| session.consent_round()));
    group.finish();

    let mut session = IceSession::connected().expect("agents connect");
    let mut group = c.benchmark_group("ice_answer_check");
    group.throughput(Throughput::Elements(1));
    group.bench_function("connected", |b| b.iter(|| session.answer_check()));
    group.finish();
}

fn config() -> Criterion {
    // Short defaults (command-line flags still override them): the figures
    // are reported, not gated, and the machine is shared.
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(2))
}

criterion_group!(name = benches; config = config(); targets = stun, ice);
criterion_main!(benches);
