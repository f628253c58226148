//! Instruction counts (callgrind `Ir`, via gungraun) of the whole peer
//! connection end to end: two `RTCPeerConnection`s connected in memory
//! ([`PeerPair`]) and warmed up outside the measured function, then
//!
//! - `transfer_100/<size>`: 100 reliable ordered data channel messages
//!   sent by A and delivered by B (SCTP, DTLS, demultiplexing, events,
//!   SACKs back); Ir per message = figure ÷ 100;
//! - `rtp_100/video_1000`: 100 RTP packets (1000 bytes of payload) written
//!   on A's sender and delivered to B's receiver (mid extension, SRTP,
//!   routing, events); Ir per packet = figure ÷ 100.
//!
//! Under valgrind the AES-GCM code takes its non-VAES path: the figures
//! count the framing and the stack around the cipher, see `shared/LAB.md`.
//! Keys: `peer_ir/peer/<function>/<id>`.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc_benches::ops::{PeerCertificates, PeerPair, PeerSetup};

/// Messages or packets per measured call.
const BATCH: u64 = 100;

fn pair(data: bool, media: bool) -> PeerPair {
    let certs = PeerCertificates::new().expect("certificates");
    PeerPair::connect(
        PeerSetup {
            data,
            media,
            seed: 42,
        },
        &certs,
    )
    .expect("pair connects")
}

fn messages(size: usize) -> PeerPair {
    let mut p = pair(true, false);
    p.set_message_size(size);
    p.transfer(200).expect("warm-up");
    p
}

fn packets(size: usize) -> PeerPair {
    let mut p = pair(false, true);
    p.set_rtp_payload(size);
    p.send_rtp(200).expect("warm-up");
    p
}

#[library_benchmark]
#[bench::reliable_ordered_64(messages(64))]
#[bench::reliable_ordered_1024(messages(1024))]
fn transfer_100(mut pair: PeerPair) -> (u64, PeerPair) {
    let n = black_box(black_box(&mut pair).transfer(BATCH).expect("transfer"));
    (n, pair)
}

#[library_benchmark]
#[bench::video_1000(packets(1000))]
fn rtp_100(mut pair: PeerPair) -> (u64, PeerPair) {
    let n = black_box(black_box(&mut pair).send_rtp(BATCH).expect("send_rtp"));
    (n, pair)
}

library_benchmark_group!(name = peer, benchmarks = [transfer_100, rtp_100]);
main!(library_benchmark_groups = peer);
