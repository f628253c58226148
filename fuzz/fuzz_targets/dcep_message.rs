//! Fuzz the DCEP parser (RFC 8832 DATA_CHANNEL_OPEN / ACK, the payload of
//! PPID 50 messages, which `zerortc inspect` also decodes from captures):
//! parsing never panics, and a parsed message writes back to the bytes it
//! was read from (trailing bytes aside).
//!
//! `cargo fuzz run dcep_message` (needs cargo-fuzz; `RUSTC_BOOTSTRAP=1` on
//! stable). See `rtp_packet.rs` for running without cargo-fuzz.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zerortc::datachannel::DcepMessage;

fuzz_target!(|data: &[u8]| {
    let Ok(message) = DcepMessage::parse(data) else {
        return;
    };
    let mut out = vec![0u8; message.encoded_len()];
    let n = message.write(&mut out).expect("a parsed message writes");
    assert_eq!(n, message.encoded_len());
    assert_eq!(&out[..n], &data[..n]);
    assert_eq!(
        DcepMessage::parse(&out).expect("written message parses"),
        message
    );
});
