//! Parses arbitrary bytes as a compound RTCP packet; every packet that
//! parses must marshal, and the marshalled bytes must parse back to an
//! equal packet (with the same size and packet type).
//!
//! `cargo fuzz run rtcp_compound` on nightly. On stable, the same binary
//! builds with the coverage passes given by hand (the target triple keeps
//! the flags off build scripts):
//! `RUSTFLAGS="-Cpasses=sancov-module -Cllvm-args=-sanitizer-coverage-level=4
//! -Cllvm-args=-sanitizer-coverage-inline-8bit-counters
//! -Cllvm-args=-sanitizer-coverage-pc-table
//! -Cllvm-args=-sanitizer-coverage-trace-compares --cfg fuzzing
//! -Cdebug-assertions -Coverflow-checks" cargo build --release
//! --bin rtcp_compound --target x86_64-unknown-linux-gnu`, then run the
//! binary with a corpus directory and `-max_total_time=N`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zerortc::rtcp::{CompoundMode, RtcpPacket, check_compound, parse_compound};

fuzz_target!(|data: &[u8]| {
    let _ = check_compound(data, CompoundMode::Full);
    let mut out = [0u8; 2048];
    for packet in parse_compound(data) {
        let Ok(packet) = packet else { break };
        let size = packet.marshal_size();
        let mut heap;
        let buf: &mut [u8] = if size <= out.len() {
            &mut out[..]
        } else {
            heap = vec![0u8; size];
            &mut heap[..]
        };
        let n = packet
            .marshal_to(buf)
            .expect("a parsed packet must marshal");
        assert_eq!(n, size, "marshal_size disagrees with marshal_to");
        let again = RtcpPacket::parse(&buf[..n]).expect("marshalled packet must parse");
        assert_eq!(again, packet, "re-parse differs");
        assert_eq!(again.packet_type(), packet.packet_type());
    }
});
