//! Flamegraph of RTP marshal over the suites' inputs (video 1200 B, audio 160 B).

use std::hint::black_box;

use zerortc_benches::ops::{self, OUT_LEN, RtpMarshalCase};
use zerortc_benches::rtp_inputs;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs = rtp_inputs();
    let cases = inputs
        .iter()
        .map(|(_, packet)| RtpMarshalCase::from_packet(packet))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = vec![0u8; OUT_LEN];
    zerortc_profiles::profile_loop("rtp_marshal", 1000, || {
        cases
            .iter()
            .map(|case| ops::rtp_marshal(black_box(case), black_box(&mut out)))
            .sum()
    })?;
    Ok(())
}
