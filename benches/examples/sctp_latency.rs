//! One-way latency of a 1 KiB data channel message, SCTP in memory on one
//! core: wall-clock time from `send` on A to delivery by B (packetised,
//! checksummed, carried, received, reassembled, handed out), one message
//! at a time on an idle pair (everything before it acknowledged), recorded
//! per message in an HDR histogram (criterion only reports batch
//! statistics, see `shared/LAB.md`). The SACK going back and the timers
//! run after each message, outside the measured time.
//!
//! `cargo run --profile bench -p zerortc-benches --example sctp_latency
//! [--features peers] [-- MESSAGES]`
//!
//! Stacks, **interleaved** in rounds of 100 messages so they see the same
//! load on a shared machine: `zerortc` (SCTP alone), `zerortc_dtls` (SCTP
//! in DTLS 1.2 AES-128-GCM records, zero checksum), and with `--features
//! peers` `sctp_proto` (str0m's SCTP, 0.10) and `rtc_sctp` (webrtc-rs,
//! 0.21). Prints p50 / p99 / p99.9 / max per stack, each peer's ratio to
//! zerortc (peer ÷ zerortc, above 1 = zerortc faster), and one
//! `ZERORTC_LATENCY {json}` line per stack. Reported, never gated: tails
//! on this VM are set by the VM (`shared/LAB.md`).

use std::time::Duration;

use hdrhistogram::Histogram;
use zerortc::dtls::CipherSuite;
use zerortc_benches::ops::{SctpChannel, SctpPair, SctpWorkload, sctp_over_dtls};

const SIZE: usize = 1024;
const ROUND: usize = 100;

/// The operation each stack runs: one message, returns its latency.
type OneWay = Box<dyn FnMut() -> Duration>;

fn stacks() -> Vec<(&'static str, OneWay)> {
    let channel = SctpChannel::ReliableOrdered;
    let mut plain = SctpPair::established(channel, SIZE).expect("zerortc pair");
    let mut dtls = sctp_over_dtls(CipherSuite::EcdheEcdsaAes128GcmSha256, true, channel, SIZE)
        .expect("zerortc pair over DTLS");
    #[allow(unused_mut)]
    let mut stacks: Vec<(&'static str, OneWay)> = vec![
        (
            "zerortc",
            Box::new(move || SctpWorkload::one_way(&mut plain)),
        ),
        (
            "zerortc_dtls",
            Box::new(move || SctpWorkload::one_way(&mut dtls)),
        ),
    ];
    #[cfg(feature = "peers")]
    {
        use zerortc_benches::peers_sctp::{proto::ProtoPair, rtc::RtcPair};
        let mut proto = ProtoPair::established(channel, SIZE);
        let mut rtc = RtcPair::established(channel, SIZE);
        stacks.push(("sctp_proto", Box::new(move || proto.one_way())));
        stacks.push(("rtc_sctp", Box::new(move || rtc.one_way())));
    }
    stacks
}

fn main() {
    let messages: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(100_000);
    let mut stacks = stacks();
    let mut histograms: Vec<Histogram<u64>> = stacks
        .iter()
        .map(|_| Histogram::new_with_bounds(1, 60_000_000_000, 3).expect("histogram"))
        .collect();
    // Warm-up: one round each, not recorded.
    for (_, one_way) in stacks.iter_mut() {
        for _ in 0..ROUND {
            one_way();
        }
    }
    for _ in 0..messages.div_ceil(ROUND) {
        for ((_, one_way), h) in stacks.iter_mut().zip(histograms.iter_mut()) {
            for _ in 0..ROUND {
                let ns = one_way().as_nanos() as u64;
                h.saturating_record(ns.max(1));
            }
        }
    }
    let us = |ns: u64| ns as f64 / 1000.0;
    println!(
        "1 KiB one-way latency, reliable ordered, {} messages per stack (µs)",
        histograms[0].len()
    );
    println!(
        "{:<14} {:>8} {:>8} {:>8} {:>9} {:>8}",
        "stack", "p50", "p99", "p99.9", "max", "mean"
    );
    for ((name, _), h) in stacks.iter().zip(&histograms) {
        println!(
            "{:<14} {:>8.2} {:>8.2} {:>8.2} {:>9.2} {:>8.2}",
            name,
            us(h.value_at_quantile(0.5)),
            us(h.value_at_quantile(0.99)),
            us(h.value_at_quantile(0.999)),
            us(h.max()),
            h.mean() / 1000.0
        );
    }
    let base = &histograms[0];
    println!("ratios to zerortc (stack ÷ zerortc; above 1 = zerortc faster)");
    for ((name, _), h) in stacks.iter().zip(&histograms).skip(1) {
        let r = |q: f64| h.value_at_quantile(q) as f64 / base.value_at_quantile(q) as f64;
        println!(
            "{:<14} p50 {:.2}×  p99 {:.2}×  p99.9 {:.2}×",
            name,
            r(0.5),
            r(0.99),
            r(0.999)
        );
    }
    for ((name, _), h) in stacks.iter().zip(&histograms) {
        println!(
            "ZERORTC_LATENCY {{\"name\":\"sctp_one_way_1024/{name}\",\"messages\":{},\"p50_ns\":{},\"p99_ns\":{},\"p999_ns\":{},\"max_ns\":{}}}",
            h.len(),
            h.value_at_quantile(0.5),
            h.value_at_quantile(0.99),
            h.value_at_quantile(0.999),
            h.max()
        );
    }
}
