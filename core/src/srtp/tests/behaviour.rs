//! Round trips, DTLS-SRTP keys, tampering, the SSRC bound, bad input.

use super::*;

#[test]
fn round_trip_every_profile_header_shape_and_size() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let mut seq = 100u16;
        for (csrcs, ext_words) in [(0u8, 0u16), (2, 0), (0, 3), (15, 1)] {
            for payload_len in [0usize, 1, 15, 16, 17, 160, 1200] {
                seq += 1;
                let plain = rtp(0x1234_5678, seq, csrcs, ext_words, payload_len);
                let header_len = 12
                    + 4 * usize::from(csrcs)
                    + if ext_words > 0 {
                        4 + 4 * usize::from(ext_words)
                    } else {
                        0
                    };
                let srtp = protect(&mut protector, &plain);
                assert_eq!(srtp.len(), plain.len() + profile.rtp_tag_len());
                assert_eq!(
                    srtp[..header_len],
                    plain[..header_len],
                    "header stays clear"
                );
                if payload_len >= 4 {
                    assert_ne!(
                        srtp[header_len..plain.len()],
                        plain[header_len..],
                        "payload encrypted"
                    );
                }
                assert_eq!(
                    unprotect(&mut unprotector, &srtp).unwrap(),
                    plain,
                    "{profile:?}"
                );
            }
        }
        for blocks in [0u8, 1, 4] {
            let plain = rtcp(0x1234_5678, blocks);
            let srtcp = protect_c(&mut protector, &plain);
            assert_eq!(srtcp.len(), plain.len() + profile.rtcp_overhead());
            assert_eq!(srtcp[..8], plain[..8]);
            assert_eq!(
                unprotect_c(&mut unprotector, &srtcp).unwrap(),
                plain,
                "{profile:?}"
            );
        }
        assert_eq!(unprotector.counters().rtp_packets, 28);
        assert_eq!(unprotector.counters().rtcp_packets, 3);
        assert_eq!(protector.counters().rtp_packets, 28);
        assert_eq!(
            *unprotector.counters(),
            SrtpCounters {
                rtp_packets: 28,
                rtcp_packets: 3,
                ..SrtpCounters::default()
            }
        );
    }
}

#[test]
fn srtcp_index_starts_at_zero_and_increments_per_ssrc() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        for expected in 0..3u32 {
            for ssrc in [7u32, 8] {
                let srtcp = protect_c(&mut protector, &rtcp(ssrc, 1));
                let word_at = if profile.is_aead() {
                    srtcp.len() - 4
                } else {
                    srtcp.len() - 4 - profile.rtcp_tag_len()
                };
                assert_eq!(
                    srtcp[word_at..word_at + 4],
                    (0x8000_0000 | expected).to_be_bytes(),
                    "E flag set, index {expected}"
                );
                unprotect_c(&mut unprotector, &srtcp).unwrap();
                assert_eq!(unprotector.highest_rtcp_index(ssrc), Some(expected));
            }
        }
    }
}

#[test]
fn srtcp_index_exhaustion_requires_rekey() {
    let (mut protector, _) = pair(SrtpProfile::Aes128CmHmacSha1_80, SrtpConfig::default());
    protector.set_next_rtcp_index(9, 0x7fff_ffff);
    protect_c(&mut protector, &rtcp(9, 0));
    let packet = rtcp(9, 0);
    let mut buf = packet.clone();
    buf.resize(packet.len() + 14, 0);
    assert_eq!(
        protector.protect_rtcp(&mut buf, packet.len()),
        Err(SrtpError::IndexExhausted { ssrc: 9 })
    );
    assert_eq!(protector.counters().index_exhausted, 1);
}

/// A peer may send SRTCP authenticated but not encrypted (E = 0, RFC 3711
/// §3.4): build one by hand with the derived SRTCP auth key and check that it
/// is accepted unchanged, and that setting E on it breaks the tag.
#[test]
fn unencrypted_srtcp_from_a_cm_peer_is_accepted() {
    use super::super::kdf::{KeyDerivation, Label};
    use crate::crypto::HmacSha1;
    for profile in [
        SrtpProfile::Aes128CmHmacSha1_80,
        SrtpProfile::Aes128CmHmacSha1_32,
    ] {
        let (_, mut unprotector) = pair(profile, SrtpConfig::default());
        let (key, salt) = master(profile, 1);
        let mut auth_key = [0u8; 20];
        KeyDerivation::new(&key, &salt)
            .unwrap()
            .derive(Label::RtcpAuthentication, &mut auth_key);
        let mac = HmacSha1::new(&auth_key).unwrap();
        let plain = rtcp(5, 1);
        let mut packet = plain.clone();
        packet.extend(7u32.to_be_bytes()); // E = 0, index 7
        let tag = mac.sign(&[&packet]);
        packet.extend(&tag[..10]);

        let mut with_e = packet.clone();
        with_e[plain.len()] |= 0x80;
        assert_eq!(
            unprotect_c(&mut unprotector, &with_e),
            Err(SrtpError::AuthenticationFailed)
        );
        assert_eq!(unprotect_c(&mut unprotector, &packet).unwrap(), plain);
        assert_eq!(unprotector.highest_rtcp_index(5), Some(7));
    }
}

#[test]
fn dtls_keying_material_splits_by_role() {
    for profile in PROFILES {
        let material: Vec<u8> = (0..profile.keying_material_len())
            .map(|i| i as u8 ^ 0x5c)
            .collect();
        let config = SrtpConfig::default();
        let mut client =
            SrtpSession::from_dtls_keying_material(profile, &material, DtlsRole::Client, config)
                .unwrap();
        let mut server =
            SrtpSession::from_dtls_keying_material(profile, &material, DtlsRole::Server, config)
                .unwrap();
        let plain = rtp(1, 1, 0, 0, 100);
        let from_client = protect(&mut client.protector, &plain);
        let from_server = protect(&mut server.protector, &plain);
        assert_ne!(
            from_client, from_server,
            "each side writes with its own key"
        );
        assert_eq!(
            unprotect(&mut server.unprotector, &from_client).unwrap(),
            plain
        );
        assert_eq!(
            unprotect(&mut client.unprotector, &from_server).unwrap(),
            plain
        );
        // A side cannot read its own packets back (wrong direction's key).
        let own = protect(&mut client.protector, &rtp(1, 2, 0, 0, 100));
        assert_eq!(
            unprotect(&mut client.unprotector, &own),
            Err(SrtpError::AuthenticationFailed)
        );

        // The client's half is exactly (client key, client salt).
        let k = profile.master_key_len();
        let s = profile.master_salt_len();
        let mut direct =
            SrtpProtector::new(profile, &material[..k], &material[2 * k..2 * k + s], config)
                .unwrap();
        assert_eq!(protect(&mut direct, &plain), from_client);
        let mut direct =
            SrtpProtector::new(profile, &material[k..2 * k], &material[2 * k + s..], config)
                .unwrap();
        assert_eq!(protect(&mut direct, &plain), from_server);

        let mut longer = material.clone();
        longer.push(0);
        for wrong in [&material[..0], &material[..material.len() - 1], &longer[..]] {
            assert_eq!(
                SrtpSession::from_dtls_keying_material(profile, wrong, DtlsRole::Client, config)
                    .unwrap_err(),
                SrtpError::BadKeyLength {
                    expected: material.len(),
                    got: wrong.len()
                }
            );
        }
        assert_eq!(SrtpProfile::from_dtls_id(profile.dtls_id()), Some(profile));
    }
    assert_eq!(SrtpProfile::from_dtls_id(0x0003), None);
    assert_eq!(DTLS_SRTP_EXPORTER_LABEL, "EXTRACTOR-dtls_srtp");
}

#[test]
fn bad_master_key_salt_and_config_are_refused() {
    let cfg = SrtpConfig::default();
    assert_eq!(
        SrtpProtector::new(SrtpProfile::AeadAes256Gcm, &[0; 16], &[0; 12], cfg).unwrap_err(),
        SrtpError::BadKeyLength {
            expected: 32,
            got: 16
        }
    );
    assert_eq!(
        SrtpUnprotector::new(SrtpProfile::Aes128CmHmacSha1_80, &[0; 16], &[0; 12], cfg)
            .unwrap_err(),
        SrtpError::BadKeyLength {
            expected: 14,
            got: 12
        }
    );
    for window in [0, MAX_REPLAY_WINDOW + 1] {
        let config = SrtpConfig {
            rtp_replay_window: window,
            ..cfg
        };
        assert_eq!(
            SrtpUnprotector::new(SrtpProfile::AeadAes128Gcm, &[0; 16], &[0; 12], config)
                .unwrap_err(),
            SrtpError::BadReplayWindow(window)
        );
    }
}

/// Flipping any single bit of any byte — header, payload, tag, SRTCP index
/// word — makes the packet fail, and the failures leave the context able to
/// accept the genuine packet afterwards.
#[test]
fn tampering_with_any_byte_is_rejected() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let plain = rtp(0xabcd_0001, 500, 1, 1, 40);
        let srtp = protect(&mut protector, &plain);
        for i in 0..srtp.len() {
            for bit in [0x01u8, 0x80] {
                let mut bad = srtp.clone();
                bad[i] ^= bit;
                assert!(
                    unprotect(&mut unprotector, &bad).is_err(),
                    "{profile:?}: RTP byte {i} bit {bit:#x} accepted"
                );
            }
        }
        assert_eq!(
            unprotector.ssrc_count(),
            0,
            "no forged packet created a stream"
        );
        assert_eq!(unprotect(&mut unprotector, &srtp).unwrap(), plain);

        let plain = rtcp(0xabcd_0001, 2);
        let srtcp = protect_c(&mut protector, &plain);
        for i in 0..srtcp.len() {
            for bit in [0x01u8, 0x80] {
                let mut bad = srtcp.clone();
                bad[i] ^= bit;
                assert!(
                    unprotect_c(&mut unprotector, &bad).is_err(),
                    "{profile:?}: RTCP byte {i} bit {bit:#x} accepted"
                );
            }
        }
        assert_eq!(unprotect_c(&mut unprotector, &srtcp).unwrap(), plain);
        let c = unprotector.counters();
        assert!(c.authentication_failed > 0);
        assert_eq!(c.rtp_packets, 1);
        assert_eq!(c.rtcp_packets, 1);
        // Every rejection was counted under exactly one kind.
        let rejected =
            c.too_short + c.bad_version + c.authentication_failed + c.replayed + c.too_old;
        assert_eq!(rejected, 2 * (srtp.len() + srtcp.len()) as u64);
    }
}

#[test]
fn ssrc_bound_on_receive() {
    for profile in PROFILES {
        let config = SrtpConfig {
            max_ssrcs: 3,
            ..SrtpConfig::default()
        };
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        // Forged packets of many SSRCs take no slot.
        for ssrc in 100..110u32 {
            let mut forged = rtp(ssrc, 1, 0, 0, 20);
            forged.extend(vec![0u8; profile.rtp_tag_len()]);
            assert_eq!(
                unprotect(&mut unprotector, &forged),
                Err(SrtpError::AuthenticationFailed)
            );
        }
        assert_eq!(unprotector.ssrc_count(), 0);
        let mut bounded = SrtpUnprotector::from_ciphers(
            super::super::cipher::SessionCiphers::new(
                profile,
                &master(profile, 1).0,
                &master(profile, 1).1,
            )
            .unwrap(),
            config,
        );
        for ssrc in 1..=3u32 {
            let srtp = protect(&mut protector, &rtp(ssrc, 10, 0, 0, 20));
            unprotect(&mut bounded, &srtp).unwrap();
        }
        let srtp = protect(&mut protector, &rtp(4, 10, 0, 0, 20));
        assert_eq!(
            unprotect(&mut bounded, &srtp),
            Err(SrtpError::TooManySsrcs { ssrc: 4, limit: 3 })
        );
        let srtcp = protect_c(&mut protector, &rtcp(5, 0));
        assert_eq!(
            unprotect_c(&mut bounded, &srtcp),
            Err(SrtpError::TooManySsrcs { ssrc: 5, limit: 3 })
        );
        assert_eq!(bounded.counters().too_many_ssrcs, 2);
        assert_eq!(bounded.ssrc_count(), 3);
        // Known SSRCs keep working, for RTP and RTCP.
        let srtp = protect(&mut protector, &rtp(2, 11, 0, 0, 20));
        unprotect(&mut bounded, &srtp).unwrap();
        let srtcp = protect_c(&mut protector, &rtcp(3, 0));
        unprotect_c(&mut bounded, &srtcp).unwrap();
    }
}

#[test]
fn ssrc_bound_on_send() {
    let profile = SrtpProfile::AeadAes128Gcm;
    let config = SrtpConfig {
        max_ssrcs: 2,
        ..SrtpConfig::default()
    };
    let (mut protector, _) = pair(profile, config);
    protect(&mut protector, &rtp(1, 1, 0, 0, 10));
    protect_c(&mut protector, &rtcp(2, 0));
    let plain = rtp(3, 1, 0, 0, 10);
    let mut buf = plain.clone();
    buf.resize(plain.len() + 16, 0);
    assert_eq!(
        protector.protect_rtp(&mut buf, plain.len()),
        Err(SrtpError::TooManySsrcs { ssrc: 3, limit: 2 })
    );
    assert_eq!(protector.counters().too_many_ssrcs, 1);
}

#[test]
fn short_and_malformed_packets_are_refused_without_state_change() {
    for profile in PROFILES {
        let (mut protector, mut unprotector) = pair(profile, SrtpConfig::default());
        let good = protect(&mut protector, &rtp(1, 1, 0, 0, 30));
        for len in 0..12 + profile.rtp_tag_len() {
            let err = unprotect(&mut unprotector, &good[..len]).unwrap_err();
            assert!(
                matches!(
                    err,
                    SrtpError::TooShort { .. } | SrtpError::AuthenticationFailed
                ),
                "{profile:?} len {len}: {err:?}"
            );
        }
        // A header whose CSRC count / extension runs past the authenticated part.
        let mut lying = rtp(1, 2, 0, 0, 0);
        lying[0] |= 0x0f;
        lying.extend(vec![0; profile.rtp_tag_len()]);
        assert!(matches!(
            unprotect(&mut unprotector, &lying),
            Err(SrtpError::TooShort { .. })
        ));
        let mut lying = rtp(1, 2, 0, 1, 0);
        lying[15] = 0xff; // extension length 255 words
        lying.extend(vec![0; profile.rtp_tag_len()]);
        assert!(matches!(
            unprotect(&mut unprotector, &lying),
            Err(SrtpError::TooShort { .. })
        ));
        let mut v1 = good.clone();
        v1[0] = 0x40 | (v1[0] & 0x3f);
        assert_eq!(
            unprotect(&mut unprotector, &v1),
            Err(SrtpError::BadVersion(1))
        );

        let good_c = protect_c(&mut protector, &rtcp(1, 1));
        for len in 0..8 + profile.rtcp_overhead() {
            let err = unprotect_c(&mut unprotector, &good_c[..len]).unwrap_err();
            assert!(
                matches!(
                    err,
                    SrtpError::TooShort { .. } | SrtpError::AuthenticationFailed
                ),
                "{profile:?} RTCP len {len}: {err:?}"
            );
        }
        assert_eq!(unprotector.ssrc_count(), 0);
        assert_eq!(
            unprotect(&mut unprotector, &good).unwrap(),
            rtp(1, 1, 0, 0, 30)
        );
        assert_eq!(unprotect_c(&mut unprotector, &good_c).unwrap(), rtcp(1, 1));
    }
}

#[test]
fn protect_needs_room_for_the_trailer() {
    for profile in PROFILES {
        let (mut protector, _) = pair(profile, SrtpConfig::default());
        let plain = rtp(1, 1, 0, 0, 50);
        let mut buf = plain.clone();
        buf.resize(plain.len() + profile.rtp_overhead() - 1, 0);
        assert_eq!(
            protector.protect_rtp(&mut buf, plain.len()),
            Err(SrtpError::BufferTooSmall {
                needed: plain.len() + profile.rtp_overhead(),
                available: buf.len()
            })
        );
        assert_eq!(buf[..plain.len()], plain[..], "nothing written on refusal");
        assert_eq!(protector.roc(1), None, "no state on refusal");
        assert!(matches!(
            protector.protect_rtp(&mut buf, plain.len() + profile.rtp_overhead()),
            Err(SrtpError::BufferTooSmall { .. })
        ));
        let plain = rtcp(1, 0);
        let mut buf = plain.clone();
        buf.resize(plain.len() + profile.rtcp_overhead() - 1, 0);
        assert!(matches!(
            protector.protect_rtcp(&mut buf, plain.len()),
            Err(SrtpError::BufferTooSmall { .. })
        ));
        let mut tiny = [0x80u8; 7];
        assert!(matches!(
            protector.protect_rtcp(&mut tiny, 7),
            Err(SrtpError::TooShort { .. })
        ));
        let mut tiny = [0x80u8; 11];
        assert!(matches!(
            protector.protect_rtp(&mut tiny, 11),
            Err(SrtpError::TooShort { .. })
        ));
        assert_eq!(protector.counters().buffer_too_small, 3);
        assert_eq!(protector.counters().too_short, 2);
    }
}

#[test]
fn protect_in_a_larger_buffer_with_tailroom() {
    // What an SFU does: one MTU-sized buffer, packet at the front.
    let (mut protector, mut unprotector) =
        pair(SrtpProfile::Aes128CmHmacSha1_32, SrtpConfig::default());
    let plain = rtp(77, 9, 0, 0, 200);
    let mut buf = [0u8; 1500];
    buf[..plain.len()].copy_from_slice(&plain);
    let n = protector.protect_rtp(&mut buf, plain.len()).unwrap();
    assert_eq!(n, plain.len() + 4);
    let m = unprotector.unprotect_rtp(&mut buf[..n]).unwrap();
    assert_eq!(buf[..m], plain[..]);
}
