//! Building a transport-cc feedback of 50 packets with a reused builder
//! allocates nothing in steady state (chunks and deltas stay inline).

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{self, OUT_LEN};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let arrivals = ops::twcc_arrivals();
    let mut builder = ops::twcc_builder();
    let mut out = vec![0u8; OUT_LEN];
    let count = measure("twcc_build/arrivals_50", || {
        black_box(ops::twcc_build(
            black_box(&mut builder),
            black_box(&arrivals),
            black_box(&mut out),
        ));
    });
    dhat::assert_eq!(count.blocks, 0);
    dhat::assert_eq!(count.bytes, 0);
}
