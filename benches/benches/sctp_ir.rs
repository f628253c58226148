//! Instruction counts (callgrind `Ir`, via gungraun) of SCTP alone: two
//! associations back to back in memory ([`SctpPair`]), connected and warmed
//! up (200 messages) outside the measured function, then a batch of
//! [`BATCH`] messages sent by A and delivered by B, SACKs included, on a
//! reliable ordered stream. Ir per message = figure ÷ 100.
//! Keys: `sctp_ir/sctp/transfer_100/<channel>_<size>`.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc_benches::ops::{SctpChannel, SctpPair};

/// Messages per measured call.
const BATCH: u64 = 100;

fn pair(channel: SctpChannel, size: usize) -> SctpPair {
    SctpPair::established(channel, size).expect("pair connects")
}

#[library_benchmark]
#[bench::reliable_ordered_64(pair(SctpChannel::ReliableOrdered, 64))]
#[bench::reliable_ordered_1024(pair(SctpChannel::ReliableOrdered, 1024))]
#[bench::unreliable_64(pair(SctpChannel::Unreliable, 64))]
#[bench::unreliable_1024(pair(SctpChannel::Unreliable, 1024))]
fn transfer_100(mut pair: SctpPair) -> (u64, SctpPair) {
    let n = black_box(black_box(&mut pair).transfer(BATCH).expect("transfer"));
    (n, pair)
}

library_benchmark_group!(name = sctp, benchmarks = [transfer_100]);
main!(library_benchmark_groups = sctp);
