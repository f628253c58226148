//! Fuzz SRTP/SRTCP unprotection of a fixed-key context: arbitrary bytes never
//! panic, a rejected packet changes no state (ROC, SSRC table) and bumps
//! exactly one rejection counter, the SSRC table stays within its bound, and
//! genuine packets (protected here with the same key, then optionally
//! corrupted in one byte) come back unchanged or are refused.
//!
//! Input: byte 0 picks the profile; then records of `kind, len, bytes[len]`
//! and, for kinds 2 and 3, two more bytes `position, xor` of a corruption
//! (xor 0 = none). Kind 0: raw bytes into `unprotect_rtp`; 1: raw bytes into
//! `unprotect_rtcp`; 2: protect as RTP then unprotect; 3: the same for RTCP.
//! Build and run as described in `rtp_packet.rs` (`cargo fuzz run
//! srtp_unprotect`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zerortc::srtp::{SrtpConfig, SrtpCounters, SrtpProfile, SrtpProtector, SrtpUnprotector};

const MAX_SSRCS: usize = 4;

fn rejections(c: &SrtpCounters) -> u64 {
    c.too_short
        + c.bad_version
        + c.buffer_too_small
        + c.authentication_failed
        + c.replayed
        + c.too_old
        + c.too_many_ssrcs
        + c.index_exhausted
}

fn ssrc_of(packet: &[u8], rtcp: bool) -> Option<u32> {
    let at = if rtcp { 4 } else { 8 };
    packet
        .get(at..at + 4)
        .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
}

fuzz_target!(|data: &[u8]| {
    let Some((&selector, mut rest)) = data.split_first() else {
        return;
    };
    let profile = SrtpProfile::ALL[usize::from(selector & 3)];
    let key = vec![0x11; profile.master_key_len()];
    let salt = vec![0x22; profile.master_salt_len()];
    let config = SrtpConfig {
        rtp_replay_window: 64,
        rtcp_replay_window: 64,
        max_ssrcs: MAX_SSRCS,
        allow_repeat_tx: false,
    };
    let mut tx = SrtpProtector::new(profile, &key, &salt, config).expect("valid key");
    let mut rx = SrtpUnprotector::new(profile, &key, &salt, config).expect("valid key");
    let mut buf = [0u8; 600];

    while let Some((&[kind, len], tail)) = rest.split_first_chunk::<2>() {
        let len = usize::from(len);
        let Some((bytes, tail)) = tail.split_at_checked(len) else {
            return;
        };
        rest = tail;
        let rtcp = kind & 1 == 1;
        let genuine = kind & 2 == 2;
        let mut corruption = (0usize, 0u8);
        let packet_len = if genuine {
            if let Some((&[pos, xor], tail)) = rest.split_first_chunk::<2>() {
                corruption = (usize::from(pos), xor);
                rest = tail;
            }
            buf[..len].copy_from_slice(bytes);
            let protected = if rtcp {
                tx.protect_rtcp(&mut buf, len)
            } else {
                tx.protect_rtp(&mut buf, len)
            };
            let Ok(n) = protected else { continue };
            if corruption.1 != 0 {
                if let Some(b) = buf[..n].get_mut(corruption.0) {
                    *b ^= corruption.1;
                } else {
                    corruption.1 = 0;
                }
            }
            n
        } else {
            buf[..len].copy_from_slice(bytes);
            len
        };

        let ssrc = ssrc_of(&buf[..packet_len], rtcp);
        let roc_before = ssrc.and_then(|s| rx.roc(s));
        let rtcp_before = ssrc.and_then(|s| rx.highest_rtcp_index(s));
        let count_before = rx.ssrc_count();
        let rejected_before = rejections(rx.counters());
        let result = if rtcp {
            rx.unprotect_rtcp(&mut buf[..packet_len])
        } else {
            rx.unprotect_rtp(&mut buf[..packet_len])
        };
        assert!(rx.ssrc_count() <= MAX_SSRCS);
        match result {
            Ok(n) => {
                assert!(n <= packet_len);
                if genuine && corruption.1 == 0 {
                    assert_eq!(&buf[..n], bytes, "a genuine packet round-trips");
                }
                if genuine && corruption.1 != 0 && profile != SrtpProfile::Aes128CmHmacSha1_32 {
                    panic!("a corrupted packet was accepted");
                }
                assert_eq!(rejections(rx.counters()), rejected_before);
            }
            Err(_) => {
                assert_eq!(rejections(rx.counters()), rejected_before + 1);
                assert_eq!(rx.ssrc_count(), count_before);
                assert_eq!(ssrc.and_then(|s| rx.roc(s)), roc_before);
                assert_eq!(ssrc.and_then(|s| rx.highest_rtcp_index(s)), rtcp_before);
            }
        }
    }
});
