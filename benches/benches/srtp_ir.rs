//! Instruction counts (callgrind `Ir`, via gungraun) of SRTP protect and
//! unprotect of the `video_1200` packet for each profile, and of SRTCP
//! protect/unprotect of `rr_sdes`: gated by CI. Keys:
//! `srtp_ir/srtp/<op>/<profile>`.
//!
//! What these counts mean: valgrind's CPU does not report SHA-NI, VAES,
//! VPCLMULQDQ or AVX-512, so `ring`, `aes` and `sha1` take their slower
//! generic (AES-NI/SSE) paths under callgrind and the cipher part of a count
//! is not what runs on real hardware (`shared/LAB.md`). The counts are
//! deterministic, so they catch any change in the framing around the cipher
//! (header parse, index and ROC estimation, replay window, SSRC lookup, IV
//! and tag handling) and any change of cipher code path; judge the cipher
//! cost itself by wall clock (`benches/srtp.rs`).
//!
//! Setup runs outside the measured functions: the sender and receiver are
//! keyed and their streams created (one packet through each direction), and
//! the packet to unprotect is protected beforehand. The cases are handed back
//! so their frees are not counted.

use std::hint::black_box;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc::srtp::SrtpProfile;
use zerortc_benches::ops::{PacketKind, SrtpCase};
use zerortc_benches::rtcp_inputs::compound_rr_sdes;
use zerortc_benches::rtp_inputs::video_packet;

fn rtp_case(profile: SrtpProfile) -> SrtpCase {
    SrtpCase::new(PacketKind::Rtp, profile, &video_packet())
}

fn rtcp_case(profile: SrtpProfile) -> SrtpCase {
    SrtpCase::new(PacketKind::Rtcp, profile, &compound_rr_sdes())
}

/// A case with one packet protected and waiting in slot 0.
fn prepared(mut case: SrtpCase) -> SrtpCase {
    case.prepare_slots(1);
    case
}

#[library_benchmark]
#[bench::gcm128_video_1200(rtp_case(SrtpProfile::AeadAes128Gcm))]
#[bench::gcm256_video_1200(rtp_case(SrtpProfile::AeadAes256Gcm))]
#[bench::cm80_video_1200(rtp_case(SrtpProfile::Aes128CmHmacSha1_80))]
#[bench::cm32_video_1200(rtp_case(SrtpProfile::Aes128CmHmacSha1_32))]
fn protect_rtp(mut case: SrtpCase) -> (usize, SrtpCase) {
    let n = black_box(case.protect());
    (n, case)
}

#[library_benchmark]
#[bench::gcm128_video_1200(prepared(rtp_case(SrtpProfile::AeadAes128Gcm)))]
#[bench::gcm256_video_1200(prepared(rtp_case(SrtpProfile::AeadAes256Gcm)))]
#[bench::cm80_video_1200(prepared(rtp_case(SrtpProfile::Aes128CmHmacSha1_80)))]
#[bench::cm32_video_1200(prepared(rtp_case(SrtpProfile::Aes128CmHmacSha1_32)))]
fn unprotect_rtp(mut case: SrtpCase) -> (usize, SrtpCase) {
    let n = black_box(case.unprotect_slot(black_box(0)));
    (n, case)
}

#[library_benchmark]
#[bench::gcm128_rr_sdes(rtcp_case(SrtpProfile::AeadAes128Gcm))]
#[bench::cm80_rr_sdes(rtcp_case(SrtpProfile::Aes128CmHmacSha1_80))]
fn protect_rtcp(mut case: SrtpCase) -> (usize, SrtpCase) {
    let n = black_box(case.protect());
    (n, case)
}

#[library_benchmark]
#[bench::gcm128_rr_sdes(prepared(rtcp_case(SrtpProfile::AeadAes128Gcm)))]
#[bench::cm80_rr_sdes(prepared(rtcp_case(SrtpProfile::Aes128CmHmacSha1_80)))]
fn unprotect_rtcp(mut case: SrtpCase) -> (usize, SrtpCase) {
    let n = black_box(case.unprotect_slot(black_box(0)));
    (n, case)
}

library_benchmark_group!(
    name = srtp,
    benchmarks = [protect_rtp, unprotect_rtp, protect_rtcp, unprotect_rtcp]
);
main!(library_benchmark_groups = srtp);
