//! Flamegraph of RTP parse over the suites' inputs (video 1200 B, audio 160 B).

use std::hint::black_box;

use zerortc_benches::{ops, rtp_inputs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs = rtp_inputs();
    zerortc_profiles::profile_loop("rtp_parse", 1000, || {
        inputs
            .iter()
            .map(|(_, packet)| ops::rtp_parse(black_box(packet)))
            .sum()
    })?;
    Ok(())
}
