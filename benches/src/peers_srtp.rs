//! webrtc-rs `rtc-srtp` 0.21 doing the work of [`crate::ops::SrtpCase`]
//! (feature `peers`): `Context::encrypt_rtp(&plaintext)` parses the header
//! and returns a new `BytesMut` (one allocation and a copy per packet),
//! `decrypt_rtp` likewise, with a 1024-packet SRTP replay window (128 for
//! SRTCP) as zerortc's default. Crypto provider `RingCrypto`: ring GCM,
//! RustCrypto AES-CTR and HMAC-SHA1.

use rtc_srtp::context::Context;
use rtc_srtp::option::{srtcp_replay_protection, srtp_replay_protection};
use rtc_srtp::protection_profile::ProtectionProfile;
use zerortc::srtp::SrtpProfile;

use crate::ops::{PacketKind, UNPROTECT_BATCH};

/// The rtc-srtp profile of a zerortc profile.
pub fn rtc_profile(profile: SrtpProfile) -> ProtectionProfile {
    match profile {
        SrtpProfile::AeadAes128Gcm => ProtectionProfile::AeadAes128Gcm,
        SrtpProfile::AeadAes256Gcm => ProtectionProfile::AeadAes256Gcm,
        SrtpProfile::Aes128CmHmacSha1_80 => ProtectionProfile::Aes128CmHmacSha1_80,
        SrtpProfile::Aes128CmHmacSha1_32 => ProtectionProfile::Aes128CmHmacSha1_32,
    }
}

/// An rtc-srtp context with fixed keys and replay windows of 1024 / 128.
pub fn rtc_context(profile: SrtpProfile) -> Context {
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
pub struct RtcCase {
    kind: PacketKind,
    sender: Context,
    receiver: Context,
    plain: Vec<u8>,
    seq: u16,
    prepared: Vec<bytes::BytesMut>,
}

impl RtcCase {
    /// Sender and receiver for `profile` and `packet`, one packet through.
    pub fn new(kind: PacketKind, profile: SrtpProfile, packet: &[u8]) -> Self {
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

    /// Protects the next packet (a new buffer); returns its length.
    pub fn protect(&mut self) -> usize {
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

    /// Protects the next `n` packets for [`unprotect`](Self::unprotect).
    pub fn prepare(&mut self, n: usize) {
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

    /// Unprotects prepared packet `i`; returns the plaintext length.
    pub fn unprotect(&mut self, i: usize) -> usize {
        let out = match self.kind {
            PacketKind::Rtp => self.receiver.decrypt_rtp(&self.prepared[i]),
            PacketKind::Rtcp => self.receiver.decrypt_rtcp(&self.prepared[i]),
        };
        out.map_or(0, |p| p.len())
    }
}
