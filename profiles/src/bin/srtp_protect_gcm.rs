//! Flamegraph of SRTP protect with AEAD_AES_128_GCM over the suites' RTP inputs
//! (video 1200 B, audio 160 B): the send path, in place, steady state.

use std::hint::black_box;

use zerortc::srtp::SrtpProfile;
use zerortc_benches::ops::{PacketKind, SrtpCase};
use zerortc_benches::rtp_inputs;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut cases: Vec<SrtpCase> = rtp_inputs()
        .iter()
        .map(|(_, packet)| SrtpCase::new(PacketKind::Rtp, SrtpProfile::AeadAes128Gcm, packet))
        .collect();
    zerortc_profiles::profile_loop("srtp_protect_gcm", 1000, || {
        cases.iter_mut().map(|case| black_box(case.protect())).sum()
    })?;
    Ok(())
}
