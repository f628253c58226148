//! Flamegraph of building and marshalling a transport-cc feedback of 50
//! packets with a reused builder.

use std::hint::black_box;

use zerortc_benches::ops::{self, OUT_LEN};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let arrivals = ops::twcc_arrivals();
    let mut builder = ops::twcc_builder();
    let mut out = vec![0u8; OUT_LEN];
    zerortc_profiles::profile_loop("twcc_build", 100, || {
        ops::twcc_build(&mut builder, black_box(&arrivals), black_box(&mut out))
    })?;
    Ok(())
}
