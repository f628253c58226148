//! RTCP parse allocates nothing: walking a compound and decoding every
//! packet (transport-cc reports included) borrows the buffer.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::{ops, rtcp_inputs};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    for (id, compound) in rtcp_inputs() {
        let count = measure(&format!("rtcp_parse/{id}"), || {
            black_box(ops::rtcp_parse(black_box(&compound)));
        });
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
    }
}
