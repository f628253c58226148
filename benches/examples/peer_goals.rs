//! The peer connection comparison of `benches/peers_peer.rs`, measured so
//! that a shared, noisy machine cannot fake the ratios: zerortc, str0m 0.25
//! and webrtc-rs `rtc` 0.21 (driven as in `zerortc_benches::peers_peer`)
//! run the same workloads **interleaved**, round after round (every stack
//! sees the same load), and each keeps its fastest round (the least
//! disturbed: the figures and ratios printed) and its median round (in
//! parentheses). Criterion measures one stack after the other, and on this
//! VM load drifting between two benchmarks moved ratios by up to 2×.
//!
//! `cargo run --profile bench -p zerortc-benches --features peers
//! --example peer_goals [-- ROUNDS]` (default 30 rounds)
//!
//! Workloads (per round and stack): one offer → connected for `data` and
//! for `audio_video`; one batch of ~1 MiB (at most 1000 messages) of 64 B,
//! 1 KiB and 16 KiB reliable ordered messages; 100 RTP packets of 1200
//! bytes; 1000 one-way 1 KiB messages, each recorded in an HDR histogram
//! (p50 / p99 / p99.9 over all rounds). Ratios are peer time ÷ zerortc
//! time (above 1 = zerortc faster). One `ZERORTC_PEERS {json}` line per
//! figure. Reported, never gated.

use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use zerortc_benches::peers_peer::str0m::Str0mPair;
use zerortc_benches::peers_peer::{
    PEER_MESSAGE_SIZES, PEER_STACKS, PeerCase, PeerSetups, PeerWorkload,
};

const RTP_BATCH: u64 = 100;
const LATENCY_ROUND: usize = 1000;

/// Messages per batch: about 1 MiB of payload, at most 1000 messages.
fn batch(size: usize) -> u64 {
    ((1024 * 1024 / size) as u64).clamp(1, 1000)
}

/// `v` with three significant digits (at least none after the point).
fn three_digits(v: f64) -> String {
    let digits = if v >= 100.0 {
        0
    } else if v >= 10.0 {
        1
    } else {
        2
    };
    format!("{v:.digits$}")
}

/// Fastest and median of the round times.
fn best_and_median(mut v: Vec<f64>) -> (f64, f64) {
    v.sort_by(f64::total_cmp);
    (v[0], v[v.len() / 2])
}

/// Times `op` on every stack, interleaved over `rounds` (after 2 rounds of
/// warm-up); returns (fastest, median) seconds per stack.
fn interleaved(
    rounds: usize,
    pairs: &mut [Box<dyn PeerWorkload>],
    mut op: impl FnMut(usize, &mut dyn PeerWorkload),
) -> Vec<(f64, f64)> {
    let mut times: Vec<Vec<f64>> = pairs.iter().map(|_| Vec::new()).collect();
    for round in 0..rounds + 2 {
        for (stack, (pair, t)) in pairs.iter_mut().zip(times.iter_mut()).enumerate() {
            let start = Instant::now();
            op(stack, pair.as_mut());
            let secs = start.elapsed().as_secs_f64();
            if round >= 2 {
                t.push(secs);
            }
        }
    }
    times.into_iter().map(best_and_median).collect()
}

/// One output line: each stack's figure, the peers' ratios to zerortc.
fn report(label: &str, key: &str, results: &[(f64, f64)], show: impl Fn(f64) -> String) {
    report_named(&PEER_STACKS, label, key, results, show);
}

/// [`report`] for the stacks `names` (zerortc first).
fn report_named(
    names: &[&str],
    label: &str,
    key: &str,
    results: &[(f64, f64)],
    show: impl Fn(f64) -> String,
) {
    let ours = results[0];
    let mut line = format!("{label:<28}");
    for (name, (best, median)) in names.iter().zip(results) {
        line.push_str(&format!("  {name} {} ({})", show(*best), show(*median)));
        if *name != "zerortc" {
            line.push_str(&format!(
                " [{:.2}× ({:.2}×)]",
                best / ours.0,
                median / ours.1
            ));
        }
    }
    println!("{line}");
    println!(
        "ZERORTC_PEERS {{\"figure\":\"{key}\",{}}}",
        names
            .iter()
            .zip(results)
            .map(|(name, (best, median))| format!(
                "\"{name}_s\":{best:.9},\"{name}_median_s\":{median:.9}"
            ))
            .collect::<Vec<_>>()
            .join(",")
    );
}

fn main() {
    let rounds: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(30);
    let setups = PeerSetups::new();
    println!(
        "two peers in memory, one core, {rounds} interleaved rounds per stack: \
         fastest (median); [peer ÷ zerortc, fastest (median)]"
    );

    println!("\noffer → connected");
    for case in PeerCase::ALL {
        // The pairs are only placeholders here: every round connects anew.
        let mut slots: Vec<Box<dyn PeerWorkload>> = (0..PEER_STACKS.len())
            .map(|s| setups.connect(s, case))
            .collect();
        let results = interleaved(rounds, &mut slots, |stack, _| {
            drop(std::hint::black_box(setups.connect(stack, case)));
        });
        report(
            &format!("  {}", case.id()),
            &format!("setup/{}", case.id()),
            &results,
            |s| format!("{:.2} ms", s * 1e3),
        );
    }

    println!(
        "\ndata channel, reliable ordered (str0m_batched: str0m with writes in a burst and \
         one drain after it, outside str0m's contract)"
    );
    let names = ["zerortc", "str0m", "rtc", "str0m_batched"];
    for (id, size) in PEER_MESSAGE_SIZES {
        let n = batch(size);
        let mut batched = Str0mPair::connect(PeerCase::Data, &setups.str0m);
        batched.set_batched_writes(true);
        let mut pairs: Vec<Box<dyn PeerWorkload>> = (0..PEER_STACKS.len())
            .map(|s| setups.connect(s, PeerCase::Data))
            .chain(std::iter::once(Box::new(batched) as Box<dyn PeerWorkload>))
            .collect();
        for p in pairs.iter_mut() {
            p.set_message_size(size);
            p.transfer(200);
        }
        let results = interleaved(rounds, &mut pairs, |_, p| {
            assert_eq!(p.transfer(n), n * size as u64);
        });
        let bytes = (n * size as u64) as f64;
        report_named(
            &names,
            &format!("  {id} B"),
            &format!("datachannel/{id}"),
            &results,
            |s| format!("{} MiB/s", three_digits(bytes / s / (1024.0 * 1024.0))),
        );
        if size == 64 {
            report_named(&names, "  64 B messages", "messages/64", &results, |s| {
                format!("{} k msg/s", three_digits(n as f64 / s / 1e3))
            });
        }
    }

    println!("\nRTP end to end (1200 B packets, SRTP AEAD_AES_128_GCM)");
    let mut pairs: Vec<Box<dyn PeerWorkload>> = (0..PEER_STACKS.len())
        .map(|s| {
            let mut p = setups.connect(s, PeerCase::AudioVideo);
            p.send_rtp(500);
            p
        })
        .collect();
    let results = interleaved(rounds, &mut pairs, |_, p| {
        assert_eq!(p.send_rtp(RTP_BATCH), RTP_BATCH);
    });
    report("  1200 B", "rtp/1200", &results, |s| {
        format!("{:.0} k pkt/s", RTP_BATCH as f64 / s / 1e3)
    });
    drop(pairs);

    println!("\n1 KiB one way, send on A → delivered by B (µs)");
    let mut pairs: Vec<Box<dyn PeerWorkload>> = (0..PEER_STACKS.len())
        .map(|s| {
            let mut p = setups.connect(s, PeerCase::Data);
            p.set_message_size(1024);
            p.transfer(200);
            p
        })
        .collect();
    let mut histograms: Vec<Histogram<u64>> = pairs
        .iter()
        .map(|_| Histogram::new_with_bounds(1, 60_000_000_000, 3).expect("histogram"))
        .collect();
    for round in 0..rounds + 2 {
        for (pair, h) in pairs.iter_mut().zip(histograms.iter_mut()) {
            for _ in 0..LATENCY_ROUND {
                let start = Instant::now();
                pair.one_way();
                let d: Duration = start.elapsed();
                pair.settle();
                if round >= 2 {
                    h.saturating_record((d.as_nanos() as u64).max(1));
                }
            }
        }
    }
    let us = |ns: u64| ns as f64 / 1000.0;
    let base = &histograms[0];
    for (name, h) in PEER_STACKS.iter().zip(&histograms) {
        let r = |q: f64| h.value_at_quantile(q) as f64 / base.value_at_quantile(q) as f64;
        println!(
            "  {name:<8} p50 {:>7.2}  p99 {:>7.2}  p99.9 {:>8.2}  [p50 {:.2}×  p99 {:.2}×]",
            us(h.value_at_quantile(0.5)),
            us(h.value_at_quantile(0.99)),
            us(h.value_at_quantile(0.999)),
            r(0.5),
            r(0.99)
        );
        println!(
            "ZERORTC_PEERS {{\"figure\":\"latency/1024/{name}\",\"messages\":{},\"p50_ns\":{},\"p99_ns\":{},\"p999_ns\":{}}}",
            h.len(),
            h.value_at_quantile(0.5),
            h.value_at_quantile(0.99),
            h.value_at_quantile(0.999)
        );
    }
}
