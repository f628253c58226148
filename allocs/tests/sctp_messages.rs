//! Once two SCTP associations are connected and warm, a message sent by A
//! and delivered by B (packetised, checksummed, received, reassembled,
//! delivered, its buffer recycled, SACKs back) allocates nothing, on every
//! channel kind at 64 B, 1 KiB and 64 KiB. One operation = one message.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{SctpChannel, SctpPair};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    for channel in SctpChannel::ALL {
        for size in [64usize, 1024, 64 * 1024] {
            let mut pair = SctpPair::established(channel, size).expect("pair connects");
            let before = pair.received();
            let name = format!("sctp_messages/{}/{size}", channel.id());
            let count = measure(&name, || {
                black_box(black_box(&mut pair).transfer(1).expect("transfer"));
            });
            // Every operation really delivered one whole message.
            let ops = count.ops + zerortc_allocs::WARMUP_OPS;
            assert_eq!(pair.received() - before, ops);
            dhat::assert_eq!(count.blocks, 0);
            dhat::assert_eq!(count.bytes, 0);
        }
    }
}
