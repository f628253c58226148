//! Once two ICE agents are connected, answering a connectivity check on
//! the selected pair (verify USERNAME, MESSAGE-INTEGRITY, FINGERPRINT,
//! write the success response) allocates nothing.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::IceSession;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let mut session = IceSession::connected().expect("agents connect");
    let answered = session.checks_answered();
    let count = measure("ice_answer_check/connected", || {
        black_box(black_box(&mut session).answer_check());
    });
    let checks = count.ops + zerortc_allocs::WARMUP_OPS;
    assert_eq!(session.checks_answered() - answered, checks);
    dhat::assert_eq!(count.blocks, 0);
    dhat::assert_eq!(count.bytes, 0);
}
