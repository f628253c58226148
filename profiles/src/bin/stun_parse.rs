//! Flamegraph of STUN parse over the suites' inputs (a Chromium check and
//! its success response).

use std::hint::black_box;

use zerortc_benches::{ops, stun_inputs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs = stun_inputs();
    zerortc_profiles::profile_loop("stun_parse", 1000, || {
        inputs
            .iter()
            .map(|input| ops::stun_parse(black_box(&input.bytes)))
            .sum()
    })?;
    Ok(())
}
