//! Instruction counts (callgrind `Ir`, via gungraun) of STUN and of the ICE
//! agent's steady state: the figures CI gates on. Same inputs and
//! operations as the criterion suite `stun.rs`. Setup (inputs, parsed
//! messages, keys, two connected agents) runs outside the measured
//! functions, which hand their inputs back so the frees are not counted.
//! Keys: `stun_ir/stun/<op>/<input>`, `stun_ir/ice/<op>/connected`.
//!
//! Under valgrind the CPU reports no SHA-NI, so HMAC-SHA1 takes the
//! portable path: the integrity figures count that path (LAB.md).

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc::stun::{IntegrityKey, StunMessage};
use zerortc_benches::ops::{self, IceSession, OUT_LEN};
use zerortc_benches::stun_inputs::{StunCheckCase, StunInput, chromium_check_and_response};

fn request() -> StunInput {
    chromium_check_and_response().0
}

fn response() -> StunInput {
    chromium_check_and_response().1
}

/// A parsed message (bytes leaked for the short-lived bench process) and
/// its key.
fn parsed(input: StunInput) -> (StunMessage<'static>, IntegrityKey) {
    let key = input.key();
    let bytes: &'static [u8] = Box::leak(input.bytes.into_boxed_slice());
    (StunMessage::parse(bytes).expect("bench input parses"), key)
}

fn check_case() -> (StunCheckCase, Vec<u8>) {
    (StunCheckCase::chromium_like(), vec![0u8; OUT_LEN])
}

fn session() -> IceSession {
    IceSession::connected().expect("agents connect")
}

#[library_benchmark]
#[bench::chromium_request(request())]
#[bench::chromium_response(response())]
fn parse(input: StunInput) -> (usize, StunInput) {
    let n = black_box(ops::stun_parse(black_box(&input.bytes)));
    (n, input)
}

#[library_benchmark]
#[bench::check(check_case())]
fn build(input: (StunCheckCase, Vec<u8>)) -> (usize, (StunCheckCase, Vec<u8>)) {
    let (case, mut out) = input;
    let n = black_box(ops::stun_build_check(black_box(&case), black_box(&mut out)));
    (n, (case, out))
}

#[library_benchmark]
#[bench::chromium_request(parsed(request()))]
#[bench::chromium_response(parsed(response()))]
fn verify_integrity(
    input: (StunMessage<'static>, IntegrityKey),
) -> (usize, (StunMessage<'static>, IntegrityKey)) {
    let n = black_box(ops::stun_verify_integrity(
        black_box(&input.0),
        black_box(&input.1),
    ));
    (n, input)
}

#[library_benchmark]
#[bench::chromium_request(parsed(request()))]
#[bench::chromium_response(parsed(response()))]
fn verify_fingerprint(
    input: (StunMessage<'static>, IntegrityKey),
) -> (usize, (StunMessage<'static>, IntegrityKey)) {
    let n = black_box(ops::stun_verify_fingerprint(black_box(&input.0)));
    (n, input)
}

#[library_benchmark]
#[bench::connected(session())]
fn consent_round(mut session: IceSession) -> (usize, IceSession) {
    let n = black_box(black_box(&mut session).consent_round());
    (n, session)
}

#[library_benchmark]
#[bench::connected(session())]
fn answer_check(mut session: IceSession) -> (usize, IceSession) {
    let n = black_box(black_box(&mut session).answer_check());
    (n, session)
}

library_benchmark_group!(
    name = stun,
    benchmarks = [parse, build, verify_integrity, verify_fingerprint]
);
library_benchmark_group!(name = ice, benchmarks = [consent_round, answer_check]);
main!(library_benchmark_groups = stun, ice);
