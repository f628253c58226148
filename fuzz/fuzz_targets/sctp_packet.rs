//! Fuzz the SCTP packet view, chunk decoding and the chunk writer:
//! parsing never panics, and every decoded chunk writes back to the same
//! bytes and decodes to the same view.
//!
//! `cargo fuzz run sctp_packet` (needs cargo-fuzz; `RUSTC_BOOTSTRAP=1` on
//! stable). See `rtp_packet.rs` for running without cargo-fuzz.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zerortc::sctp::{ChunkView, PacketWriter, SctpPacket, checksum};

fuzz_target!(|data: &[u8]| {
    let _ = checksum::verify_checksum(data);
    let _ = SctpPacket::parse_checked(data, true);
    let Ok(packet) = SctpPacket::parse(data) else {
        return;
    };
    let mut out = [0u8; 70_000];
    let Ok(mut writer) = PacketWriter::new(&mut out, packet.header()) else {
        return;
    };
    let mut count = 0;
    for chunk in packet.chunks() {
        let chunk = chunk.expect("a parsed packet frames cleanly");
        let Ok(view) = chunk.decode() else {
            return;
        };
        let _ = view.reconfig_params().count();
        let _ = view.causes().count();
        let _ = view.heartbeat_info();
        let mut one = [0u8; 70_000];
        let n = view.write(&mut one).expect("a decoded chunk writes");
        assert_eq!(n, view.padded_len());
        let again = ChunkView::decode(one[0], one[1], &one[4..4 + view.value_len()])
            .expect("a written chunk decodes");
        assert_eq!(again, view);
        writer.push(&view).expect("fits");
        count += 1;
    }
    // The rewritten packet parses, checksum included, to the same chunks.
    let n = writer.finish(false);
    let rewritten = SctpPacket::parse_checked(&out[..n], false).expect("rewritten packet parses");
    assert_eq!(rewritten.chunks().count(), count);
    for (a, b) in rewritten.chunks().zip(packet.chunks()) {
        assert_eq!(a.unwrap().decode().unwrap(), b.unwrap().decode().unwrap());
    }
});
