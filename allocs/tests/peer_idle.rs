//! An idle connected pair (data channel and video negotiated, nothing
//! sent): the heap one connection holds (bytes and blocks live after
//! connecting, reported as `peer_idle/connection_bytes` with one operation
//! per connection), and what a second of idle time allocates (consent
//! checks every ~5 s, SCTP heartbeats): nothing. One operation = one
//! second of virtual time.

use std::hint::black_box;
use std::time::Duration;

use zerortc_allocs::{AllocCount, measure};
use zerortc_benches::ops::{PeerCertificates, PeerPair, PeerSetup};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Connections measured for the memory figure.
const CONNECTIONS: u64 = 16;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let certs = PeerCertificates::new().expect("certificates");
    let setup = |seed| PeerSetup {
        data: true,
        media: true,
        seed,
    };
    // Memory: live heap of CONNECTIONS pairs (two connections each), after
    // a minute idle so that timers ran once.
    let before = dhat::HeapStats::get();
    let mut pairs = Vec::new();
    for seed in 0..CONNECTIONS / 2 {
        let mut pair = PeerPair::connect(setup(100 + seed), &certs).expect("pair connects");
        pair.idle(Duration::from_secs(60));
        pairs.push(pair);
    }
    let after = dhat::HeapStats::get();
    let held = AllocCount {
        ops: CONNECTIONS,
        blocks: (after.curr_blocks - before.curr_blocks) as u64,
        bytes: (after.curr_bytes - before.curr_bytes) as u64,
    };
    println!("{}", held.line("peer_idle/connection_heap"));
    println!(
        "peer_idle: {} bytes in {} blocks per idle connection",
        held.bytes / CONNECTIONS,
        held.blocks / CONNECTIONS
    );
    black_box(&pairs);

    // Idle time: nothing allocated per second.
    let mut pair = pairs.pop().expect("a pair");
    let count = measure("peer_idle/second", || {
        black_box(&mut pair).idle(Duration::from_secs(1));
    });
    dhat::assert_eq!(count.blocks, 0);
    dhat::assert_eq!(count.bytes, 0);
}
