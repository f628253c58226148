//! RTP marshal (send path) allocates nothing: the header keeps its extension
//! elements inline and writes into the caller's buffer.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{self, OUT_LEN, RtpMarshalCase};
use zerortc_benches::rtp_inputs;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let inputs = rtp_inputs();
    let mut out = vec![0u8; OUT_LEN];
    for (id, packet) in &inputs {
        let case = RtpMarshalCase::from_packet(packet).expect("input parses");
        let count = measure(&format!("rtp_marshal/{id}"), || {
            black_box(ops::rtp_marshal(black_box(&case), black_box(&mut out)));
        });
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
    }
}
