//! Issue 3's goals and the SRTP figures table, measured so that a shared,
//! noisy machine cannot fake them: SRTP protect/unprotect and the raw
//! ciphers are timed in short slices (64 calls), **interleaved** round after
//! round (every operation sees the same load), and each operation keeps its
//! fastest slice (the least disturbed one) and its median slice. Criterion
//! runs one benchmark after the other, and here load drifting between two
//! benchmarks moved their ratio by up to 2× (`reports/crypto-backends.md`).
//!
//! `cargo run --profile bench -p zerortc-benches --example srtp_goals
//! [--features backends,peers] [-- RUNS]`
//!
//! - `--features backends` adds every primitive on every backend of
//!   `zerortc_benches::backends` (RustCrypto, ring, aws-lc-rs, OpenSSL EVP):
//!   the "raw" figure of a profile is then the fastest backend's, and the
//!   table gains a "% of OpenSSL" column;
//! - `--features peers` adds webrtc-rs `rtc-srtp` 0.21 protect and unprotect
//!   of the same packets (`rtc_*` lines) and a ratio column.
//!
//! The whole interleaved measurement is repeated RUNS times (default 5);
//! every ratio is computed within one run (fastest slices of that run) and
//! the median over the runs is printed with its spread (lowest–highest).
//!
//! Raw operation of each profile, on the same number of bytes as the packet
//! in the clear: AEAD_AES_128_GCM / AEAD_AES_256_GCM protect ↔ AES-GCM seal,
//! unprotect ↔ AES-GCM open (`ops::RawGcmOpen`: a verifying open on every
//! call), both without associated data and on whole blocks — the fastest GCM
//! there is; AES_CM_128_HMAC_SHA1_80/_32 ↔ AES-128-CTR then HMAC-SHA1 over the
//! bytes. Percentages are the raw operation's time ÷ the SRTP operation's
//! time. Goals:
//! - AEAD_AES_128_GCM protect at 1200 B ≥ 80 % of the fastest raw
//!   AES-128-GCM seal of 1200 bytes;
//! - AES_CM_128_HMAC_SHA1_80 protect at 1200 B ≥ 90 % of raw AES-128-CTR +
//!   HMAC-SHA1 over the same 1200 bytes.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::time::Instant;

use zerortc_benches::ops::{
    PacketKind, RAW_GCM_OPENS, RawCiphers, RawGcmOpen, RawOp, SRTP_PROFILES, SrtpCase,
    UNPROTECT_BATCH,
};
use zerortc_benches::rtp_inputs;

/// Rounds of one run: every operation is timed once per round.
const ROUNDS: usize = 400;
const DEFAULT_RUNS: usize = 5;
const SIZES: [usize; 2] = [160, 1200];

/// One measured operation: runs `UNPROTECT_BATCH` calls (plus untimed
/// preparation) and returns the time of one call in ns.
type Slice<'a> = Box<dyn FnMut() -> f64 + 'a>;

fn timed(mut f: impl FnMut()) -> f64 {
    let start = Instant::now();
    for _ in 0..UNPROTECT_BATCH {
        f();
    }
    start.elapsed().as_nanos() as f64 / UNPROTECT_BATCH as f64
}

/// Fastest and median slice of every operation in one run, by name.
type Run = BTreeMap<String, (f64, f64)>;

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// `median (lowest–highest)` of a per-run figure.
fn spread(v: &[f64], scale: f64, digits: usize) -> String {
    let lo = v.iter().copied().fold(f64::INFINITY, f64::min) * scale;
    let hi = v.iter().copied().fold(f64::NEG_INFINITY, f64::max) * scale;
    let mid = median(v.to_vec()) * scale;
    format!("{mid:.digits$} ({lo:.digits$}–{hi:.digits$})")
}

/// The fastest of the operations of `run` whose names `matches`, if any.
fn fastest(run: &Run, matches: impl Fn(&str) -> bool) -> Option<f64> {
    run.iter()
        .filter(|(name, _)| matches(name))
        .map(|(_, (min, _))| *min)
        .reduce(f64::min)
}

fn main() {
    let runs: usize = std::env::args()
        .nth(1)
        .map(|a| a.parse().expect("RUNS is a number"))
        .unwrap_or(DEFAULT_RUNS);
    let raw = RawCiphers::new();
    let raw_buf = vec![0x5au8; 1500];
    let inputs = rtp_inputs();
    let mut names: Vec<String> = Vec::new();
    let mut slices: Vec<Slice<'_>> = Vec::new();

    for (op_id, op) in RawOp::ALL {
        for size in SIZES {
            names.push(format!("raw/{op_id}/{size}"));
            let raw = &raw;
            let mut buf = raw_buf.clone();
            slices.push(Box::new(move || {
                timed(|| {
                    black_box(raw.run(op, black_box(&mut buf[..size])));
                })
            }));
        }
    }
    for (op_id, algorithm, aad_len) in RAW_GCM_OPENS {
        for size in SIZES {
            names.push(format!("raw/{op_id}/{size}"));
            let mut open = RawGcmOpen::new(algorithm, size, aad_len);
            slices.push(Box::new(move || {
                timed(|| {
                    black_box(open.open());
                })
            }));
        }
    }
    #[cfg(feature = "backends")]
    for mut case in zerortc_benches::backends::backend_cases() {
        names.push(format!("{}/{}/{}", case.group, case.backend, case.size));
        let mut buf = raw_buf.clone();
        slices.push(Box::new(move || {
            timed(|| {
                black_box((case.run)(black_box(&mut buf)));
            })
        }));
    }

    for (profile_id, profile) in SRTP_PROFILES {
        for (input_id, packet) in &inputs {
            names.push(format!("protect/{profile_id}/{input_id}"));
            let mut case = SrtpCase::new(PacketKind::Rtp, profile, packet);
            slices.push(Box::new(move || {
                timed(|| {
                    black_box(case.protect());
                })
            }));
            names.push(format!("unprotect/{profile_id}/{input_id}"));
            let mut case = SrtpCase::new(PacketKind::Rtp, profile, packet);
            slices.push(Box::new(move || {
                case.prepare_slots(UNPROTECT_BATCH);
                let mut i = 0;
                timed(|| {
                    black_box(case.unprotect_slot(black_box(i)));
                    i += 1;
                })
            }));
        }
    }

    #[cfg(feature = "peers")]
    for (profile_id, profile) in SRTP_PROFILES {
        for (input_id, packet) in &inputs {
            names.push(format!("rtc_protect/{profile_id}/{input_id}"));
            let mut case =
                zerortc_benches::peers_srtp::RtcCase::new(PacketKind::Rtp, profile, packet);
            slices.push(Box::new(move || {
                timed(|| {
                    black_box(case.protect());
                })
            }));
            names.push(format!("rtc_unprotect/{profile_id}/{input_id}"));
            let mut case =
                zerortc_benches::peers_srtp::RtcCase::new(PacketKind::Rtp, profile, packet);
            slices.push(Box::new(move || {
                case.prepare(UNPROTECT_BATCH);
                let mut i = 0;
                timed(|| {
                    black_box(case.unprotect(black_box(i)));
                    i += 1;
                })
            }));
        }
    }

    let mut all: Vec<Run> = Vec::with_capacity(runs);
    for _ in 0..runs {
        let mut samples: Vec<Vec<f64>> = vec![Vec::with_capacity(ROUNDS); slices.len()];
        for _ in 0..ROUNDS {
            for (slice, out) in slices.iter_mut().zip(samples.iter_mut()) {
                out.push(slice());
            }
        }
        let run: Run = names
            .iter()
            .zip(samples)
            .map(|(name, mut s)| {
                s.sort_by(f64::total_cmp);
                (name.clone(), (s[0], s[s.len() / 2]))
            })
            .collect();
        all.push(run);
    }

    println!("{runs} runs of {ROUNDS} interleaved rounds, 64 calls per slice; ns per call");
    println!(
        "{:45} {:>22} {:>12}",
        "operation", "fastest slice: median (range) of runs", "median slice"
    );
    for name in &names {
        let mins: Vec<f64> = all.iter().map(|r| r[name].0).collect();
        let medians: Vec<f64> = all.iter().map(|r| r[name].1).collect();
        println!(
            "{name:45} {:>22} {:>12.1}",
            spread(&mins, 1.0, 1),
            median(medians)
        );
    }

    // Per profile, input and direction: the SRTP operation and its raw,
    // OpenSSL and rtc-srtp counterparts.
    println!();
    println!(
        "| profile | input | op | ns | MB/s | packets/s | % of raw cipher | % of raw cipher in SRTP shape | % of OpenSSL | rtc-srtp ÷ zerortc |"
    );
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for (profile_id, _) in SRTP_PROFILES {
        for (input_id, packet) in &inputs {
            let size = packet.len();
            for op in ["protect", "unprotect"] {
                let ours = format!("{op}/{profile_id}/{input_id}");
                let (raw_ours, group, shape) = match (profile_id, op) {
                    ("gcm128", "protect") => (
                        "aes128gcm_seal",
                        "crypto_aes128gcm_seal",
                        Some("aes128gcm_seal_srtp"),
                    ),
                    ("gcm128", _) => (
                        "aes128gcm_open",
                        "crypto_aes128gcm_open",
                        Some("aes128gcm_open_srtp"),
                    ),
                    ("gcm256", "protect") => ("aes256gcm_seal", "crypto_aes256gcm_seal", None),
                    ("gcm256", _) => ("aes256gcm_open", "crypto_aes256gcm_open", None),
                    _ => ("aes128ctr_hmacsha1", "crypto_aes128ctr_hmacsha1", None),
                };
                let mut ns = Vec::new();
                let mut pct_raw = Vec::new();
                let mut pct_shape = Vec::new();
                let mut pct_ossl = Vec::new();
                let mut rtc = Vec::new();
                for run in &all {
                    let t = run[&ours].0;
                    ns.push(t);
                    let raw_key = format!("raw/{raw_ours}/{size}");
                    let best = fastest(run, |n| {
                        n == raw_key
                            || (n.starts_with(&format!("{group}/"))
                                && n.ends_with(&format!("/{size}")))
                    })
                    .expect("raw measured");
                    pct_raw.push(best / t);
                    if let Some(shape) = shape.and_then(|s| run.get(&format!("raw/{s}/{size}"))) {
                        pct_shape.push(shape.0 / t);
                    }
                    if let Some(o) = run.get(&format!("{group}/openssl/{size}")) {
                        pct_ossl.push(o.0 / t);
                    }
                    if let Some(r) = run.get(&format!("rtc_{ours}")) {
                        rtc.push(r.0 / t);
                    }
                }
                let t = median(ns.clone());
                let or_dash = |v: &[f64], scale: f64, digits: usize| {
                    if v.is_empty() {
                        "—".to_string()
                    } else {
                        spread(v, scale, digits)
                    }
                };
                println!(
                    "| {profile_id} | {input_id} | {op} | {t:.0} | {:.0} | {:.2} M | {} | {} | {} | {} |",
                    size as f64 * 1e3 / t,
                    1e3 / t,
                    spread(&pct_raw, 100.0, 0),
                    or_dash(&pct_shape, 100.0, 0),
                    or_dash(&pct_ossl, 100.0, 0),
                    or_dash(&rtc, 1.0, 2),
                );
            }
        }
    }

    let goal = |ours: &str, raw_key: &str, group: &str| -> Vec<f64> {
        all.iter()
            .map(|run| {
                let best = fastest(run, |n| {
                    n == raw_key || (n.starts_with(group) && n.ends_with("/1200"))
                })
                .expect("raw measured");
                best / run[ours].0
            })
            .collect()
    };
    println!();
    println!(
        "goal AEAD_AES_128_GCM protect 1200 B >= 80 % of the fastest raw GCM seal of 1200 B: {} %",
        spread(
            &goal(
                "protect/gcm128/video_1200",
                "raw/aes128gcm_seal/1200",
                "crypto_aes128gcm_seal/"
            ),
            100.0,
            0
        )
    );
    println!(
        "goal AES_CM_128_HMAC_SHA1_80 protect 1200 B >= 90 % of raw CTR + HMAC-SHA1: {} %",
        spread(
            &goal(
                "protect/cm80/video_1200",
                "raw/aes128ctr_hmacsha1/1200",
                "crypto_aes128ctr_hmacsha1/"
            ),
            100.0,
            0
        )
    );
}
