//! Fuzz the RTP view, the RFC 8285 framing, the typed extension values and
//! the writer: parsing never panics, and whatever parses marshals back to
//! the same bytes.
//!
//! `cargo fuzz run rtp_packet` (needs cargo-fuzz; `RUSTC_BOOTSTRAP=1` on
//! stable). Without cargo-fuzz, on stable, the same instrumentation:
//! `RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4
//! -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
//! -Cllvm-args=-sanitizer-coverage-pc-table
//! -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing
//! -Cdebug-assertions -Coverflow-checks" cargo build --release
//! --target x86_64-unknown-linux-gnu`, then run
//! `target/x86_64-unknown-linux-gnu/release/rtp_packet corpus/rtp_packet
//! -max_total_time=60`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zerortc::rtp::{
    AbsSendTime, AudioLevel, ExtensionBlock, ExtensionKind, ExtensionMap, ExtensionValue,
    PlayoutDelay, RepairedRtpStreamId, RtpPacket, RtpStreamId, SdesMid, TransportSequenceNumber,
    VideoOrientation, classify,
};

/// Parses `value` as `T`; if it parses, writes it and parses it again.
macro_rules! typed_round_trip {
    ($t:ident, $value:expr) => {
        if let Ok(v) = $t::parse($value) {
            let mut out = [0u8; 256];
            let n = v.write(&mut out).expect("a parsed value writes");
            assert_eq!(n, v.encoded_len());
            assert_eq!($t::parse(&out[..n]).expect("written value parses"), v);
        }
    };
}

fuzz_target!(|data: &[u8]| {
    let _ = classify(data);
    let Ok(packet) = RtpPacket::parse(data) else {
        return;
    };
    assert_eq!(packet.version(), 2);
    assert_eq!(
        packet.header_len() + packet.payload().len() + packet.padding_len(),
        data.len()
    );
    assert_eq!(packet.csrcs().count(), usize::from(packet.csrc_count()));

    // Typed accessors through a map covering every kind (ids 1..=8).
    let mut map = ExtensionMap::new();
    for (i, kind) in ExtensionKind::ALL.into_iter().enumerate() {
        map.insert(i as u8 + 1, kind).expect("ids 1..=8 are valid");
    }
    let _ = packet.abs_send_time(&map);
    let _ = packet.transport_sequence_number(&map);
    let _ = packet.mid(&map);
    let _ = packet.rid(&map);
    let _ = packet.repaired_rid(&map);
    let _ = packet.audio_level(&map);
    let _ = packet.video_orientation(&map);
    let _ = packet.playout_delay(&map);

    if let Ok(extensions) = packet.extensions() {
        for (id, value) in extensions.iter() {
            assert_ne!(id, 0);
            assert_eq!(packet.extension(id).map(|r| r.is_ok()), Some(true));
            typed_round_trip!(AbsSendTime, value);
            typed_round_trip!(TransportSequenceNumber, value);
            typed_round_trip!(SdesMid, value);
            typed_round_trip!(RtpStreamId, value);
            typed_round_trip!(RepairedRtpStreamId, value);
            typed_round_trip!(AudioLevel, value);
            typed_round_trip!(VideoOrientation, value);
            typed_round_trip!(PlayoutDelay, value);
        }
    }

    // Parse → marshal is byte-identical.
    let header = packet.to_header();
    let mut out = vec![0u8; data.len()];
    let n = header
        .marshal_packet(packet.payload(), &mut out)
        .expect("a parsed packet marshals into its own length");
    assert_eq!(&out[..n], data);
    if n > 0 {
        assert!(
            header
                .marshal_packet(packet.payload(), &mut out[..n - 1])
                .is_err()
        );
    }

    // Re-framing the elements (as an edit does) keeps every element.
    // set_extension fails for opaque profiles and for more than 16 elements.
    let mut edited = packet.to_header();
    if let Ok(extensions) = packet.extensions()
        && let Some((id, value)) = extensions.iter().next()
        && edited.set_extension(id, value).is_ok()
    {
        assert!(matches!(edited.extension, ExtensionBlock::Elements { .. }));
        let mut out = vec![0u8; data.len() + 4096];
        let n = edited
            .marshal_packet(packet.payload(), &mut out)
            .expect("edited header marshals");
        let again = RtpPacket::parse(&out[..n]).expect("edited packet parses");
        let got = again.extensions().expect("edited block is well framed");
        assert!(got.iter().eq(extensions.iter()));
        assert_eq!(again.payload(), packet.payload());
        assert_eq!(again.padding(), packet.padding());
    }
});
