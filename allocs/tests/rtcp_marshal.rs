//! RTCP marshal allocates nothing: packets write themselves into the
//! caller's buffer.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{self, OUT_LEN};
use zerortc_benches::rtcp_inputs;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let inputs = rtcp_inputs();
    let mut out = vec![0u8; OUT_LEN];
    for (id, compound) in &inputs {
        let packets = ops::rtcp_packets(compound).expect("input parses");
        let count = measure(&format!("rtcp_marshal/{id}"), || {
            black_box(ops::rtcp_marshal(black_box(&packets), black_box(&mut out)));
        });
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
    }
}
