//! SDP is not a per-packet path: parsing builds an owned model (strings,
//! vectors), so it allocates, and the count per parse is recorded here so
//! it cannot grow unnoticed (perf-ci gates blocks per operation). Writing a
//! parsed description into a reused `String` allocates nothing, and the
//! answer negotiation allocates only the negotiated lists.

use std::hint::black_box;

use zerortc::sdp::SessionDescription;
use zerortc_allocs::{MEASURED_OPS, measure};
use zerortc_benches::ops;
use zerortc_benches::sdp_inputs::{CHROMIUM_AV_OFFER, FIREFOX_AV_OFFER, sdp_inputs};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Every call allocates the same number of blocks, at most `ceiling`.
fn per_op(blocks: u64, ceiling: u64) -> u64 {
    dhat::assert_eq!(blocks % MEASURED_OPS, 0);
    let per_op = blocks / MEASURED_OPS;
    dhat::assert!(per_op <= ceiling, "{per_op} blocks per call");
    per_op
}

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    for input in sdp_inputs() {
        let count = measure(&format!("sdp_parse/{}", input.id), || {
            black_box(ops::sdp_parse(black_box(input.text)));
        });
        let lines = input.text.lines().count() as u64;
        let n = per_op(count.blocks, 4 * lines);
        println!(
            "sdp_parse/{}: {n} blocks per parse ({lines} lines)",
            input.id
        );
    }

    let offer = SessionDescription::parse(CHROMIUM_AV_OFFER).unwrap();
    let mut out = String::with_capacity(CHROMIUM_AV_OFFER.len() * 2);
    let count = measure("sdp_serialize/chromium_av_offer", || {
        black_box(ops::sdp_serialize(black_box(&offer), black_box(&mut out)));
    });
    dhat::assert_eq!(count.blocks, 0);

    let local = SessionDescription::parse(FIREFOX_AV_OFFER).unwrap();
    let count = measure("sdp_negotiate/chromium_av_offer", || {
        black_box(ops::sdp_negotiate(
            black_box(&offer),
            black_box(&local.media),
        ));
    });
    let n = per_op(count.blocks, 400);
    println!("sdp_negotiate/chromium_av_offer: {n} blocks per answer");
}
