//! STUN parse allocates nothing: the message view borrows the buffer and
//! attributes are decoded in place (a real Chromium check and response).

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::{ops, stun_inputs};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    for input in stun_inputs() {
        let count = measure(&format!("stun_parse/{}", input.id), || {
            black_box(ops::stun_parse(black_box(&input.bytes)));
        });
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
    }
}
