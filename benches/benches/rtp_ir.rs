//! Instruction counts (callgrind `Ir`, via gungraun) of RTP parse and
//! marshal: the figures CI gates on. Same inputs and operations as the
//! criterion suite `rtp.rs`. Setup (building inputs, headers, buffers) runs
//! outside the measured functions, and they hand their inputs back so the
//! frees are not counted either. Keys: `rtp_ir/rtp/<op>/<input>`.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc_benches::ops::{self, OUT_LEN, RtpMarshalCase};
use zerortc_benches::rtp_inputs::{audio_packet, video_packet};

/// A marshal case that lives for the whole (short-lived) bench process.
fn marshal_case(packet: Vec<u8>) -> (RtpMarshalCase<'static>, Vec<u8>) {
    let packet: &'static [u8] = Box::leak(packet.into_boxed_slice());
    let case = RtpMarshalCase::from_packet(packet).expect("bench input parses");
    (case, vec![0u8; OUT_LEN])
}

#[library_benchmark]
#[bench::video_1200(video_packet())]
#[bench::audio_160(audio_packet())]
fn parse(packet: Vec<u8>) -> (usize, Vec<u8>) {
    let n = black_box(ops::rtp_parse(black_box(&packet)));
    (n, packet)
}

#[library_benchmark]
#[bench::video_1200(marshal_case(video_packet()))]
#[bench::audio_160(marshal_case(audio_packet()))]
fn marshal(input: (RtpMarshalCase<'static>, Vec<u8>)) -> (usize, Vec<u8>) {
    let (case, mut out) = input;
    let n = black_box(ops::rtp_marshal(black_box(&case), black_box(&mut out)));
    (n, out)
}

library_benchmark_group!(name = rtp, benchmarks = [parse, marshal]);
main!(library_benchmark_groups = rtp);
