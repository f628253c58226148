//! Once two ICE agents are connected, a consent round (A's request, B's
//! answer, A's processing of it, with the virtual clock moving 4 to 6 s
//! per round) allocates nothing.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::IceSession;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let mut session = IceSession::connected().expect("agents connect");
    let sent = session.consent_checks_sent();
    let received = session.responses_received();
    let count = measure("ice_consent_round/connected", || {
        black_box(black_box(&mut session).consent_round());
    });
    // Every round really ran: one request sent, one response accepted.
    let rounds = count.ops + zerortc_allocs::WARMUP_OPS;
    assert_eq!(session.consent_checks_sent() - sent, rounds);
    assert_eq!(session.responses_received() - received, rounds);
    dhat::assert_eq!(count.blocks, 0);
    dhat::assert_eq!(count.bytes, 0);
}
