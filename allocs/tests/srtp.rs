//! SRTP and SRTCP protect and unprotect allocate nothing in steady state, for
//! every profile: keys are scheduled and per-SSRC state (replay bitmap) is
//! created when a stream starts, which the set-up and warm-up do; then each
//! packet is encrypted and authenticated in place in the caller's buffer.
//!
//! Per profile and input: `srtp_protect_<rtp|rtcp>/<profile>_<input>`
//! (protect only, the send path) and
//! `srtp_protect_unprotect_<rtp|rtcp>/<profile>_<input>` (protect then
//! unprotect the same buffer: send and receive paths).

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{PacketKind, SRTP_PROFILES, SrtpCase};
use zerortc_benches::rtcp_inputs::compound_rr_sdes;
use zerortc_benches::rtp_inputs;

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let mut inputs: Vec<(PacketKind, &str, &str, Vec<u8>)> = rtp_inputs()
        .into_iter()
        .map(|(id, p)| (PacketKind::Rtp, "rtp", id, p))
        .collect();
    inputs.push((PacketKind::Rtcp, "rtcp", "rr_sdes", compound_rr_sdes()));
    for (profile_id, profile) in SRTP_PROFILES {
        for (kind, layer, input_id, packet) in &inputs {
            let mut case = SrtpCase::new(*kind, profile, packet);
            let count = measure(
                &format!("srtp_protect_{layer}/{profile_id}_{input_id}"),
                || {
                    black_box(case.protect());
                },
            );
            dhat::assert_eq!(count.blocks, 0);
            dhat::assert_eq!(count.bytes, 0);

            let mut case = SrtpCase::new(*kind, profile, packet);
            let count = measure(
                &format!("srtp_protect_unprotect_{layer}/{profile_id}_{input_id}"),
                || {
                    let n = black_box(case.protect_unprotect());
                    assert_eq!(n, packet.len(), "round trip gives the packet back");
                },
            );
            dhat::assert_eq!(count.blocks, 0);
            dhat::assert_eq!(count.bytes, 0);
        }
    }
}
