//! Once two peer connections are connected and warm, an RTP packet written
//! on A's sender (SSRC set, mid header extension added, SRTP-protected,
//! queued) and delivered by B (demultiplexed, SRTP-unprotected in a pooled
//! buffer, routed to its transceiver by mid/SSRC, given out as an event and
//! recycled) allocates nothing. One operation = one packet of 1,000 bytes
//! of payload.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{PeerCertificates, PeerPair, PeerSetup};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let certs = PeerCertificates::new().expect("certificates");
    let setup = PeerSetup {
        data: false,
        media: true,
        seed: 9,
    };
    let mut pair = PeerPair::connect(setup, &certs).expect("pair connects");
    pair.set_rtp_payload(1000);
    pair.send_rtp(500).expect("warm-up");
    let before = pair.received_rtp();
    let count = measure("peer_rtp/video_1000", || {
        black_box(black_box(&mut pair).send_rtp(1).expect("send_rtp"));
    });
    let ops = count.ops + zerortc_allocs::WARMUP_OPS;
    assert_eq!(pair.received_rtp() - before, ops);
    dhat::assert_eq!(count.blocks, 0);
    dhat::assert_eq!(count.bytes, 0);
}
