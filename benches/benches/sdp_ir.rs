//! Instruction counts (callgrind `Ir`, via gungraun) of SDP: parse of real
//! browser offers into the typed model, serialize of a parsed Chromium
//! offer, and the answer negotiation JSEP runs on it (codecs, header
//! extensions, direction against Firefox's capabilities). Same operations
//! as the criterion suite `sdp.rs`. Inputs are built and parsed outside
//! the measured functions, which hand them back so frees are not counted
//! (the parse figures include freeing the parsed model).
//! Keys: `sdp_ir/sdp/parse/<input>`, `sdp_ir/sdp/serialize/chromium_av_offer`,
//! `sdp_ir/sdp/negotiate/chromium_av_offer`.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc::sdp::SessionDescription;
use zerortc_benches::ops;
use zerortc_benches::sdp_inputs::{CHROMIUM_AV_OFFER, CHROMIUM_DATA_OFFER, FIREFOX_AV_OFFER};

fn parsed(text: &str) -> SessionDescription {
    SessionDescription::parse(text).expect("bench input parses")
}

fn serialize_case() -> (SessionDescription, String) {
    let sdp = parsed(CHROMIUM_AV_OFFER);
    let out = String::with_capacity(CHROMIUM_AV_OFFER.len() * 2);
    (sdp, out)
}

fn negotiate_case() -> (SessionDescription, SessionDescription) {
    (parsed(CHROMIUM_AV_OFFER), parsed(FIREFOX_AV_OFFER))
}

#[library_benchmark]
#[bench::chromium_av_offer(CHROMIUM_AV_OFFER)]
#[bench::firefox_av_offer(FIREFOX_AV_OFFER)]
#[bench::chromium_data_offer(CHROMIUM_DATA_OFFER)]
fn parse(text: &'static str) -> usize {
    black_box(ops::sdp_parse(black_box(text)))
}

#[library_benchmark]
#[bench::chromium_av_offer(serialize_case())]
fn serialize(input: (SessionDescription, String)) -> (usize, (SessionDescription, String)) {
    let (sdp, mut out) = input;
    let n = black_box(ops::sdp_serialize(black_box(&sdp), black_box(&mut out)));
    (n, (sdp, out))
}

#[library_benchmark]
#[bench::chromium_av_offer(negotiate_case())]
fn negotiate(
    input: (SessionDescription, SessionDescription),
) -> (usize, (SessionDescription, SessionDescription)) {
    let n = black_box(ops::sdp_negotiate(
        black_box(&input.0),
        black_box(&input.1.media),
    ));
    (n, input)
}

library_benchmark_group!(name = sdp, benchmarks = [parse, serialize, negotiate]);
main!(library_benchmark_groups = sdp);
