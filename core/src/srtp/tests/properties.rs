//! Properties: arbitrary bytes never panic and never change state; any RTP
//! packet round-trips through every profile at any sequence number.

use proptest::prelude::*;

use super::*;

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

proptest! {
    #[test]
    fn arbitrary_bytes_are_refused_and_change_nothing(
        profile in 0usize..4,
        packets in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..80), 1..20),
        rtcp_mask in any::<u32>(),
    ) {
        let profile = PROFILES[profile];
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        // One genuine stream so there is state to disturb.
        let genuine = protect(&mut protector, &rtp(0x0102_0304, 9, 0, 0, 20));
        unprotect(&mut unprotector, &genuine).unwrap();
        for (i, bytes) in packets.iter().enumerate() {
            let before = rejections(unprotector.counters());
            let result = if rtcp_mask >> (i % 32) & 1 == 1 {
                unprotect_c(&mut unprotector, bytes)
            } else {
                unprotect(&mut unprotector, bytes)
            };
            prop_assert!(result.is_err());
            prop_assert_eq!(rejections(unprotector.counters()), before + 1);
            prop_assert_eq!(unprotector.ssrc_count(), 1);
            prop_assert_eq!(unprotector.roc(0x0102_0304), Some(0));
        }
        let next = protect(&mut protector, &rtp(0x0102_0304, 10, 0, 0, 20));
        prop_assert!(unprotect(&mut unprotector, &next).is_ok());
    }

    #[test]
    fn any_packet_round_trips(
        profile in 0usize..4,
        ssrc in any::<u32>(),
        seq in any::<u16>(),
        csrcs in 0u8..16,
        ext_words in 0u16..4,
        payload_len in 0usize..1300,
    ) {
        let profile = PROFILES[profile];
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let plain = rtp(ssrc, seq, csrcs, ext_words, payload_len);
        let srtp = protect(&mut protector, &plain);
        prop_assert_eq!(unprotect(&mut unprotector, &srtp).unwrap(), plain);
        let plain = rtcp(ssrc, csrcs % 8);
        let srtcp = protect_c(&mut protector, &plain);
        prop_assert_eq!(unprotect_c(&mut unprotector, &srtcp).unwrap(), plain);
    }

    /// Any delivery order of a run of packets crossing the wrap is accepted
    /// once each (no packet falls out of the replay window). The stream's
    /// first packet arrives first: a receiver starts at ROC 0 (RFC 3711
    /// §3.3.1), so a stream whose very first packet is already past a wrap
    /// cannot be read by anyone, libsrtp included.
    #[test]
    fn shuffled_delivery_across_the_wrap(
        profile in 0usize..4,
        start in 65_400u16..=65_535,
        order in Just((1..64usize).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let profile = PROFILES[profile];
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let packets: Vec<_> = (0..64u16)
            .map(|i| {
                let plain = rtp(5, start.wrapping_add(i), 0, 0, 12);
                (protect(&mut protector, &plain), plain)
            })
            .collect();
        for &i in std::iter::once(&0).chain(&order) {
            prop_assert_eq!(unprotect(&mut unprotector, &packets[i].0).unwrap(), packets[i].1.clone());
        }
        for (srtp, _) in &packets {
            let replayed = matches!(unprotect(&mut unprotector, srtp), Err(SrtpError::Replayed { .. }));
            prop_assert!(replayed);
        }
        let expected_roc = u32::from(u32::from(start) + 63 > 65_535);
        prop_assert_eq!(unprotector.roc(5), Some(expected_roc));
    }
}
