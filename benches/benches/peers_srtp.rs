//! SRTP/SRTCP protect and unprotect on zerortc and webrtc-rs `rtc-srtp` 0.21,
//! side by side in one criterion run (`--features peers`). Keys:
//! `peers_srtp_<op>/<impl>/<profile>_<input>`, op ∈ `protect_rtp`,
//! `unprotect_rtp`, `protect_rtcp`, `unprotect_rtcp`; impl ∈ `zerortc`,
//! `rtc`; profile ∈ `gcm128`, `gcm256`, `cm80`, `cm32`.
//!
//! What each does per packet:
//! - zerortc: in place in the caller's buffer (`ops::SrtpCase`): the sender
//!   bumps the sequence number and protects; the receiver unprotects packets
//!   protected beforehand, in order, with its 1024-packet replay window.
//! - rtc: `Context::encrypt_rtp(&plaintext)` parses the header and returns a
//!   new `BytesMut` (one allocation and a copy per packet);
//!   `decrypt_rtp(&packet)` likewise, with a 1024-packet replay window
//!   (`srtp_replay_protection(1024)`, 128 for SRTCP) so both sides do the
//!   same checks. Crypto provider `RingCrypto` (ring GCM, RustCrypto
//!   AES-CTR and HMAC-SHA1 — the same backends as `zerortc::crypto`).
//! - str0m 0.25: its `SrtpContext` is `pub(crate)`; the only door is
//!   `TestSrtp` behind `_internal_test_exports` ("UNSTABLE: not public
//!   API"), protect only, which also serializes the header from an
//!   `RtpHeader` and allocates twice per packet, and it needs a str0m crypto
//!   provider feature (not enabled here). No str0m entry: not comparable
//!   and not public.
//!
//! Unprotect is timed over batches of 64 packets protected beforehand
//! (untimed) by each implementation's own sender.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rtc_srtp::context::Context;
use rtc_srtp::option::{srtcp_replay_protection, srtp_replay_protection};
use rtc_srtp::protection_profile::ProtectionProfile;
use zerortc::srtp::SrtpProfile;
use zerortc_benches::ops::{PacketKind, SRTP_PROFILES, SrtpCase, UNPROTECT_BATCH};
use zerortc_benches::rtcp_inputs::compound_rr_sdes;
use zerortc_benches::rtp_inputs;

fn rtc_profile(profile: SrtpProfile) -> ProtectionProfile {
    match profile {
        SrtpProfile::AeadAes128Gcm => ProtectionProfile::AeadAes128Gcm,
        SrtpProfile::AeadAes256Gcm => ProtectionProfile::AeadAes256Gcm,
        SrtpProfile::Aes128CmHmacSha1_80 => ProtectionProfile::Aes128CmHmacSha1_80,
        SrtpProfile::Aes128CmHmacSha1_32 => ProtectionProfile::Aes128CmHmacSha1_32,
    }
}

fn rtc_context(profile: SrtpProfile) -> Context {
    let key: Vec<u8> = (0..profile.master_key_len() as u8).collect();
    let salt: Vec<u8> = (0..profile.master_salt_len() as u8)
        .map(|b| b ^ 0xa5)
        .collect();
    Context::new(
        &key,
        &salt,
        rtc_profile(profile),
        Some(srtp_replay_protection(1024)),
        Some(srtcp_replay_protection(128)),
        &rtc_srtp::crypto::providers::RingCrypto,
    )
    .expect("rtc-srtp context")
}

/// An rtc sender and receiver with the plaintext packet, streams started.
struct RtcCase {
    kind: PacketKind,
    sender: Context,
    receiver: Context,
    plain: Vec<u8>,
    seq: u16,
    prepared: Vec<bytes::BytesMut>,
}

impl RtcCase {
    fn new(kind: PacketKind, profile: SrtpProfile, packet: &[u8]) -> Self {
        let mut case = Self {
            kind,
            sender: rtc_context(profile),
            receiver: rtc_context(profile),
            plain: packet.to_vec(),
            seq: u16::from_be_bytes([packet[2], packet[3]]),
            prepared: Vec::with_capacity(UNPROTECT_BATCH),
        };
        case.prepare(1);
        assert_ne!(case.unprotect(0), 0, "rtc: first packet authenticates");
        case
    }

    fn protect(&mut self) -> usize {
        let out = match self.kind {
            PacketKind::Rtp => {
                self.seq = self.seq.wrapping_add(1);
                self.plain[2..4].copy_from_slice(&self.seq.to_be_bytes());
                self.sender.encrypt_rtp(&self.plain)
            }
            PacketKind::Rtcp => self.sender.encrypt_rtcp(&self.plain),
        };
        out.map_or(0, |p| p.len())
    }

    fn prepare(&mut self, n: usize) {
        self.prepared.clear();
        for _ in 0..n {
            let out = match self.kind {
                PacketKind::Rtp => {
                    self.seq = self.seq.wrapping_add(1);
                    self.plain[2..4].copy_from_slice(&self.seq.to_be_bytes());
                    self.sender.encrypt_rtp(&self.plain)
                }
                PacketKind::Rtcp => self.sender.encrypt_rtcp(&self.plain),
            };
            self.prepared.push(out.expect("rtc protects"));
        }
    }

    fn unprotect(&mut self, i: usize) -> usize {
        let out = match self.kind {
            PacketKind::Rtp => self.receiver.decrypt_rtp(&self.prepared[i]),
            PacketKind::Rtcp => self.receiver.decrypt_rtcp(&self.prepared[i]),
        };
        out.map_or(0, |p| p.len())
    }
}

fn inputs(kind: PacketKind) -> Vec<(&'static str, Vec<u8>)> {
    match kind {
        PacketKind::Rtp => rtp_inputs(),
        PacketKind::Rtcp => vec![("rr_sdes", compound_rr_sdes())],
    }
}

fn op_name(kind: PacketKind, protect: bool) -> &'static str {
    match (kind, protect) {
        (PacketKind::Rtp, true) => "peers_srtp_protect_rtp",
        (PacketKind::Rtp, false) => "peers_srtp_unprotect_rtp",
        (PacketKind::Rtcp, true) => "peers_srtp_protect_rtcp",
        (PacketKind::Rtcp, false) => "peers_srtp_unprotect_rtcp",
    }
}

/// Times `unprotect(i)` over batches prepared by `prepare(n)` (untimed).
fn batched<C>(
    case: &mut C,
    iters: u64,
    prepare: impl Fn(&mut C, usize),
    unprotect: impl Fn(&mut C, usize) -> usize,
) -> Duration {
    let mut total = Duration::ZERO;
    let mut done = 0u64;
    while done < iters {
        let n = (iters - done).min(UNPROTECT_BATCH as u64) as usize;
        prepare(case, n);
        let start = Instant::now();
        for i in 0..n {
            black_box(unprotect(case, black_box(i)));
        }
        total += start.elapsed();
        done += n as u64;
    }
    total
}

fn peers_srtp(c: &mut Criterion) {
    for kind in [PacketKind::Rtp, PacketKind::Rtcp] {
        for protect in [true, false] {
            let mut group = c.benchmark_group(op_name(kind, protect));
            for (profile_id, profile) in SRTP_PROFILES {
                for (input_id, packet) in inputs(kind) {
                    let param = format!("{profile_id}_{input_id}");
                    group.throughput(Throughput::Bytes(packet.len() as u64));
                    let mut ours = SrtpCase::new(kind, profile, &packet);
                    let mut theirs = RtcCase::new(kind, profile, &packet);
                    if protect {
                        group.bench_function(BenchmarkId::new("zerortc", &param), |b| {
                            b.iter(|| black_box(ours.protect()))
                        });
                        group.bench_function(BenchmarkId::new("rtc", &param), |b| {
                            b.iter(|| black_box(theirs.protect()))
                        });
                    } else {
                        group.bench_function(BenchmarkId::new("zerortc", &param), |b| {
                            b.iter_custom(|iters| {
                                batched(
                                    &mut ours,
                                    iters,
                                    SrtpCase::prepare_slots,
                                    SrtpCase::unprotect_slot,
                                )
                            })
                        });
                        group.bench_function(BenchmarkId::new("rtc", &param), |b| {
                            b.iter_custom(|iters| {
                                batched(&mut theirs, iters, RtcCase::prepare, RtcCase::unprotect)
                            })
                        });
                    }
                }
            }
            group.finish();
        }
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
}

criterion_group!(name = benches; config = config(); targets = peers_srtp);
criterion_main!(benches);
