//! RTP parse (receive path) allocates nothing: the packet view borrows the
//! buffer, extensions are walked in place.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::{ops, rtp_inputs};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    for (id, packet) in rtp_inputs() {
        let count = measure(&format!("rtp_parse/{id}"), || {
            black_box(ops::rtp_parse(black_box(&packet)));
        });
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
    }
}
