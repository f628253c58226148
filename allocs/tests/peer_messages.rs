//! Once two peer connections are connected and warm, a data channel
//! message sent by A and delivered by B — through SCTP, sealed in DTLS,
//! handed from `poll_write` to `handle_read`, opened, reassembled, given
//! out as an event and recycled, SACKs back the same way — allocates
//! nothing, at 64 B and 1 KiB. One operation = one message.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{PeerCertificates, PeerPair, PeerSetup};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let certs = PeerCertificates::new().expect("certificates");
    for size in [64usize, 1024] {
        let setup = PeerSetup {
            data: true,
            media: false,
            seed: 7,
        };
        let mut pair = PeerPair::connect(setup, &certs).expect("pair connects");
        pair.set_message_size(size);
        pair.transfer(500).expect("warm-up");
        let before = pair.received();
        let name = format!("peer_messages/reliable_ordered/{size}");
        let count = measure(&name, || {
            black_box(black_box(&mut pair).transfer(1).expect("transfer"));
        });
        let ops = count.ops + zerortc_allocs::WARMUP_OPS;
        assert_eq!(pair.received() - before, ops);
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
    }
}
