//! Rollover counter estimation and wrap, replay windows, and the rule that
//! a rejected packet never moves either.

use super::*;

#[test]
fn roc_wraps_at_65535_in_order() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let mut seq = 65_530u16;
        for _ in 0..12 {
            let plain = rtp(42, seq, 0, 0, 24);
            let srtp = protect(&mut protector, &plain);
            assert_eq!(unprotect(&mut unprotector, &srtp).unwrap(), plain);
            seq = seq.wrapping_add(1);
        }
        assert_eq!(protector.roc(42), Some(1));
        assert_eq!(unprotector.roc(42), Some(1));
    }
}

#[test]
fn reordering_across_the_wrap() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let seqs = [65_533u16, 65_534, 65_535, 0, 1, 2];
        let packets: Vec<_> = seqs
            .iter()
            .map(|&s| (s, protect(&mut protector, &rtp(42, s, 0, 0, 24))))
            .collect();
        assert_eq!(protector.roc(42), Some(1));
        // Deliver: 65533, 1 (after the wrap first), 65535, 0, 65534, 2.
        for i in [0usize, 4, 2, 3, 1, 5] {
            let (s, srtp) = &packets[i];
            assert_eq!(
                unprotect(&mut unprotector, srtp).unwrap(),
                rtp(42, *s, 0, 0, 24),
                "{profile:?} seq {s}"
            );
        }
        assert_eq!(unprotector.roc(42), Some(1));
        // All six now replay.
        for (_, srtp) in &packets {
            assert!(matches!(
                unprotect(&mut unprotector, srtp),
                Err(SrtpError::Replayed { .. })
            ));
        }
    }
}

#[test]
fn protector_uses_the_old_roc_for_a_retransmission_after_the_wrap() {
    let profile = SrtpProfile::Aes128CmHmacSha1_80;
    let config = SrtpConfig {
        allow_repeat_tx: true,
        ..SrtpConfig::default()
    };
    let (mut protector, mut unprotector) = pair(profile, config);
    let first = protect(&mut protector, &rtp(42, 65_535, 0, 0, 10));
    protect(&mut protector, &rtp(42, 0, 0, 0, 10));
    let again = protect(&mut protector, &rtp(42, 65_535, 0, 0, 10));
    assert_eq!(again, first, "same index, same bytes");
    assert_eq!(protector.roc(42), Some(1));
    unprotect(&mut unprotector, &again).unwrap();
}

#[test]
fn many_wraps() {
    let (mut protector, mut unprotector) = pair(SrtpProfile::AeadAes128Gcm, SrtpConfig::default());
    let mut seq = 0u16;
    for _ in 0..200 {
        // 200 × 1000 = 200 000 = 3 × 65 536 + 3 392
        let plain = rtp(7, seq, 0, 0, 4);
        let srtp = protect(&mut protector, &plain);
        assert_eq!(unprotect(&mut unprotector, &srtp).unwrap(), plain);
        seq = seq.wrapping_add(1000); // jumps well inside half the space
    }
    assert_eq!(protector.roc(7), Some(3));
    assert_eq!(unprotector.roc(7), Some(3));
}

#[test]
fn replay_window_duplicates_too_old_and_out_of_order() {
    for profile in PROFILES {
        let config = SrtpConfig {
            rtp_replay_window: 64,
            ..SrtpConfig::default()
        };
        let (mut protector, _) = pair(profile, config);
        let (_, mut unprotector) = pair(profile, config);
        let packets: Vec<_> = (0..=200u16)
            .map(|s| protect(&mut protector, &rtp(9, s, 0, 0, 8)))
            .collect();
        unprotect(&mut unprotector, &packets[100]).unwrap();
        // Duplicate.
        assert_eq!(
            unprotect(&mut unprotector, &packets[100]),
            Err(SrtpError::Replayed { index: 100 })
        );
        // Out of order inside the window: accepted once.
        unprotect(&mut unprotector, &packets[90]).unwrap();
        unprotect(&mut unprotector, &packets[37]).unwrap(); // 100 - 37 = 63 < 64
        assert_eq!(
            unprotect(&mut unprotector, &packets[36]),
            Err(SrtpError::TooOld { index: 36 })
        );
        assert_eq!(
            unprotect(&mut unprotector, &packets[90]),
            Err(SrtpError::Replayed { index: 90 })
        );
        // Moving ahead slides the window.
        unprotect(&mut unprotector, &packets[150]).unwrap();
        assert_eq!(
            unprotect(&mut unprotector, &packets[86]),
            Err(SrtpError::TooOld { index: 86 })
        );
        unprotect(&mut unprotector, &packets[87]).unwrap();
        unprotect(&mut unprotector, &packets[120]).unwrap();
        assert_eq!(
            unprotect(&mut unprotector, &packets[120]),
            Err(SrtpError::Replayed { index: 120 })
        );
        // A jump larger than the window clears it.
        unprotect(&mut unprotector, &packets[200]).unwrap();
        unprotect(&mut unprotector, &packets[151]).unwrap();
        let c = unprotector.counters();
        assert_eq!((c.replayed, c.too_old, c.rtp_packets), (3, 2, 8));
    }
}

#[test]
fn default_windows_are_browser_sized() {
    let config = SrtpConfig::default();
    assert_eq!(config.rtp_replay_window, 1024);
    let (mut protector, mut unprotector) = pair(SrtpProfile::AeadAes128Gcm, config);
    let packets: Vec<_> = (0..=1100u16)
        .map(|s| protect(&mut protector, &rtp(9, s, 0, 0, 8)))
        .collect();
    unprotect(&mut unprotector, &packets[1100]).unwrap();
    unprotect(&mut unprotector, &packets[1100 - 1023]).unwrap();
    assert_eq!(
        unprotect(&mut unprotector, &packets[1100 - 1024]),
        Err(SrtpError::TooOld { index: 76 })
    );
}

/// A configured window is rounded up to a power of two (the slot of an
/// index is then a mask): 100 packets cover 128, 65 cover 128, 64 stay 64.
#[test]
fn replay_window_rounds_up_to_a_power_of_two() {
    for (configured, covered) in [(100usize, 128u16), (65, 128), (64, 64), (1, 64)] {
        let config = SrtpConfig {
            rtp_replay_window: configured,
            ..SrtpConfig::default()
        };
        let (mut protector, mut unprotector) = pair(SrtpProfile::AeadAes128Gcm, config);
        let packets: Vec<_> = (0..=300u16)
            .map(|s| protect(&mut protector, &rtp(9, s, 0, 0, 8)))
            .collect();
        unprotect(&mut unprotector, &packets[300]).unwrap();
        let oldest = usize::from(300 - (covered - 1));
        unprotect(&mut unprotector, &packets[oldest]).unwrap();
        assert_eq!(
            unprotect(&mut unprotector, &packets[oldest - 1]),
            Err(SrtpError::TooOld {
                index: oldest as u64 - 1
            }),
            "window {configured}"
        );
    }
}

#[test]
fn srtcp_replay_window() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let packets: Vec<_> = (0..300)
            .map(|_| protect_c(&mut protector, &rtcp(3, 1)))
            .collect();
        unprotect_c(&mut unprotector, &packets[200]).unwrap();
        assert_eq!(
            unprotect_c(&mut unprotector, &packets[200]),
            Err(SrtpError::Replayed { index: 200 })
        );
        unprotect_c(&mut unprotector, &packets[73]).unwrap(); // 127 behind
        assert_eq!(
            unprotect_c(&mut unprotector, &packets[72]),
            Err(SrtpError::TooOld { index: 72 })
        );
        unprotect_c(&mut unprotector, &packets[299]).unwrap();
        assert_eq!(unprotector.highest_rtcp_index(3), Some(299));
    }
}

/// A forged packet whose sequence number would move the ROC forward (or far
/// ahead within it) fails authentication and changes nothing: the genuine
/// stream continues, and its next packets are not "too old".
#[test]
fn rejected_packets_never_move_the_window_or_roc() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let mut genuine: Vec<_> = (40_000..40_010u16)
            .map(|s| protect(&mut protector, &rtp(11, s, 0, 0, 16)))
            .collect();
        unprotect(&mut unprotector, &genuine[0]).unwrap();
        let (mut forger, _) = pair(profile, SrtpConfig::default());
        for forged_seq in [40_001u16, 41_000, 65_000, 7_000 /* would be ROC + 1 */] {
            let mut forged = protect(&mut forger, &rtp(11, forged_seq, 0, 0, 16));
            let last = forged.len() - 1;
            forged[last] ^= 0x55;
            assert_eq!(
                unprotect(&mut unprotector, &forged),
                Err(SrtpError::AuthenticationFailed)
            );
            assert_eq!(unprotector.roc(11), Some(0));
        }
        let replay = genuine[3].clone();
        for srtp in genuine.drain(1..) {
            unprotect(&mut unprotector, &srtp).unwrap();
        }
        assert_eq!(unprotector.roc(11), Some(0));
        // A replayed packet also leaves the state alone.
        assert_eq!(
            unprotect(&mut unprotector, &replay),
            Err(SrtpError::Replayed { index: 40_003 })
        );
        let next = protect(&mut protector, &rtp(11, 40_010, 0, 0, 16));
        unprotect(&mut unprotector, &next).unwrap();
    }
}

/// By default the protector refuses to use an SRTP index twice (keystream /
/// GCM nonce reuse), but still protects a late packet from before the wrap
/// with the old ROC.
#[test]
fn protector_refuses_a_repeated_index_by_default() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let late = rtp(42, 65_535, 0, 0, 10);
        let early = protect(&mut protector, &rtp(42, 65_534, 0, 0, 10));
        protect(&mut protector, &rtp(42, 0, 0, 0, 10));
        let late_srtp = protect(&mut protector, &late); // first use of 65535 at ROC 0
        let mut buf = late.clone();
        buf.resize(late.len() + profile.rtp_overhead(), 0);
        assert_eq!(
            protector.protect_rtp(&mut buf, late.len()),
            Err(SrtpError::Replayed { index: 65_535 })
        );
        assert_eq!(buf[..late.len()], late[..], "nothing encrypted on refusal");
        assert_eq!(protector.counters().replayed, 1);
        assert_eq!(protector.roc(42), Some(1));
        unprotect(&mut unprotector, &early).unwrap();
        assert_eq!(unprotect(&mut unprotector, &late_srtp).unwrap(), late);
    }
}
