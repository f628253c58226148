//! Building a connectivity check (USERNAME, PRIORITY, ICE-CONTROLLING,
//! USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT) into a caller buffer
//! allocates nothing; neither do the integrity and fingerprint checks.

use std::hint::black_box;

use zerortc::stun::StunMessage;
use zerortc_allocs::measure;
use zerortc_benches::ops::{self, OUT_LEN};
use zerortc_benches::stun_inputs::{StunCheckCase, stun_inputs};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let case = StunCheckCase::chromium_like();
    let mut out = vec![0u8; OUT_LEN];
    let count = measure("stun_build/check", || {
        black_box(ops::stun_build_check(black_box(&case), black_box(&mut out)));
    });
    dhat::assert_eq!(count.blocks, 0);
    dhat::assert_eq!(count.bytes, 0);
    for input in stun_inputs() {
        let msg = StunMessage::parse(&input.bytes).expect("input parses");
        let key = input.key();
        let count = measure(&format!("stun_verify_integrity/{}", input.id), || {
            black_box(ops::stun_verify_integrity(black_box(&msg), black_box(&key)));
        });
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
        let count = measure(&format!("stun_verify_fingerprint/{}", input.id), || {
            black_box(ops::stun_verify_fingerprint(black_box(&msg)));
        });
        dhat::assert_eq!(count.blocks, 0);
        dhat::assert_eq!(count.bytes, 0);
    }
}
