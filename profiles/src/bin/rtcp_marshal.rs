//! Flamegraph of RTCP marshal over the suites' compounds.

use std::hint::black_box;

use zerortc_benches::ops::{self, OUT_LEN};
use zerortc_benches::rtcp_inputs;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let inputs = rtcp_inputs();
    let packets = inputs
        .iter()
        .map(|(_, compound)| ops::rtcp_packets(compound))
        .collect::<Result<Vec<_>, _>>()?;
    let mut out = vec![0u8; OUT_LEN];
    zerortc_profiles::profile_loop("rtcp_marshal", 1000, || {
        packets
            .iter()
            .map(|p| ops::rtcp_marshal(black_box(p), black_box(&mut out)))
            .sum()
    })?;
    Ok(())
}
