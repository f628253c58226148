//! Flamegraph of RTCP parse over the suites' compounds (RR+SDES, SR,
//! transport-cc of 50 packets, NACK, REMB).

use std::hint::black_box;

use zerortc_benches::{ops, rtcp_inputs};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs = rtcp_inputs();
    zerortc_profiles::profile_loop("rtcp_parse", 1000, || {
        inputs
            .iter()
            .map(|(_, compound)| ops::rtcp_parse(black_box(compound)))
            .sum()
    })?;
    Ok(())
}
