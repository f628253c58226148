//! Fuzz the SDP parser, serializer and negotiation rules: parsing never
//! panics, whatever parses serializes to text that parses to the same
//! model (and serializes to the same text), and the negotiation helpers
//! run on every parsed section against every other without panicking.
//!
//! `cargo fuzz run sdp_parse` (needs cargo-fuzz; `RUSTC_BOOTSTRAP=1` on
//! stable), or build it with the sancov flags listed in `rtp_packet.rs`.
//! Seed corpus: `core/tests/fixtures/sdp/*.sdp`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zerortc::sdp::SessionDescription;
use zerortc::sdp::negotiate::{answer_direction, negotiate_codecs, negotiate_extmaps};

fuzz_target!(|data: &[u8]| {
    let Ok(sdp) = SessionDescription::parse_bytes(data) else {
        return;
    };
    let text = sdp.to_string();
    let again = SessionDescription::parse(&text).expect("what we write parses");
    assert_eq!(again, sdp);
    assert_eq!(again.to_string(), text);
    for remote in &sdp.media {
        for local in &sdp.media {
            let codecs = negotiate_codecs(&remote.codecs, &local.codecs);
            assert!(codecs.len() <= remote.codecs.len());
            let extmaps = negotiate_extmaps(&remote.extmaps, &local.extmaps);
            assert!(extmaps.len() <= remote.extmaps.len());
            let _ = answer_direction(sdp.direction_of(remote), local.direction());
        }
    }
});
