//! Instruction counts (callgrind `Ir`, via gungraun) of RTCP parse, marshal
//! and transport-cc feedback building: the figures CI gates on. Same inputs
//! and operations as the criterion suite `rtcp.rs`; setup outside the
//! measured functions. Keys: `rtcp_ir/rtcp/<op>/<input>`.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc::rtcp::{RtcpPacket, TwccBuilder};
use zerortc_benches::ops::{self, OUT_LEN};
use zerortc_benches::rtcp_inputs::{
    compound_rr_sdes, generic_nack, remb, sender_report, twcc_feedback,
};

/// Parsed packets that live for the whole (short-lived) bench process.
fn packets(compound: Vec<u8>) -> (Vec<RtcpPacket<'static>>, Vec<u8>) {
    let compound: &'static [u8] = Box::leak(compound.into_boxed_slice());
    let packets = ops::rtcp_packets(compound).expect("bench input parses");
    (packets, vec![0u8; OUT_LEN])
}

/// A warm builder (one feedback already built), the arrivals to report and
/// the output buffer.
struct TwccCase {
    builder: TwccBuilder,
    arrivals: Vec<(u16, Option<i64>)>,
    out: Vec<u8>,
}

fn twcc_case() -> TwccCase {
    let arrivals = ops::twcc_arrivals();
    let mut builder = ops::twcc_builder();
    let mut out = vec![0u8; OUT_LEN];
    ops::twcc_build(&mut builder, &arrivals, &mut out);
    TwccCase {
        builder,
        arrivals,
        out,
    }
}

#[library_benchmark]
#[bench::rr_sdes(compound_rr_sdes())]
#[bench::sr(sender_report())]
#[bench::twcc_50(twcc_feedback())]
#[bench::nack(generic_nack())]
#[bench::remb(remb())]
fn parse(compound: Vec<u8>) -> (usize, Vec<u8>) {
    let n = black_box(ops::rtcp_parse(black_box(&compound)));
    (n, compound)
}

#[library_benchmark]
#[bench::rr_sdes(packets(compound_rr_sdes()))]
#[bench::sr(packets(sender_report()))]
#[bench::twcc_50(packets(twcc_feedback()))]
#[bench::nack(packets(generic_nack()))]
#[bench::remb(packets(remb()))]
fn marshal(
    input: (Vec<RtcpPacket<'static>>, Vec<u8>),
) -> (usize, Vec<RtcpPacket<'static>>, Vec<u8>) {
    let (packets, mut out) = input;
    let n = black_box(ops::rtcp_marshal(black_box(&packets), black_box(&mut out)));
    (n, packets, out)
}

#[library_benchmark]
#[bench::arrivals_50(twcc_case())]
fn twcc_build(mut case: TwccCase) -> (usize, TwccCase) {
    let n = black_box(ops::twcc_build(
        black_box(&mut case.builder),
        black_box(&case.arrivals),
        black_box(&mut case.out),
    ));
    (n, case)
}

library_benchmark_group!(name = rtcp, benchmarks = [parse, marshal, twcc_build]);
main!(library_benchmark_groups = rtcp);
