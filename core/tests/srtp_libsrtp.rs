//! Cross-check of `zerortc::srtp` against libsrtp (Cisco's C library, through
//! the `pylibsrtp` Python binding, driven by `libsrtp/libsrtp_helper.py`).
//!
//! For every profile, with the same master key and salt:
//! - our protected bytes equal libsrtp's protected bytes for the same packet;
//! - libsrtp unprotects what we protected, back to the original packet;
//! - we unprotect what libsrtp protected, back to the original packet.
//!
//! The RTP sequence crosses 65535 → 0 twice (ROC 0 → 1 → 2), and the packets
//! vary in CSRC count, header extension and payload size. SRTCP: libsrtp
//! starts its SRTCP index at 1, RFC 3711 §3.4 (and we) at 0, so our first
//! SRTCP packet is only checked one way and the rest are compared byte for
//! byte.
//!
//! When python3 or pylibsrtp is missing the test says so loudly and passes,
//! unless `ZERORTC_REQUIRE_LIBSRTP=1`, which turns the absence into a
//! failure (CI sets it after `pip install pylibsrtp`).

use std::io::Write;
use std::process::{Command, Stdio};

use zerortc::srtp::{SrtpConfig, SrtpProfile, SrtpProtector, SrtpUnprotector};

const HELPER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/libsrtp/libsrtp_helper.py"
);

fn libsrtp_available() -> bool {
    let found = Command::new("python3")
        .args(["-c", "import pylibsrtp"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !found {
        let message = "python3 with pylibsrtp not found: the libsrtp cross-check DID NOT RUN \
                       (pip install pylibsrtp)";
        assert!(
            std::env::var_os("ZERORTC_REQUIRE_LIBSRTP").is_none_or(|v| v != "1"),
            "{message}"
        );
        // Straight to the stderr handle: libtest captures `eprintln!` of
        // passing tests, and this must be seen.
        let _ = writeln!(std::io::stderr(), "\n*** WARNING: {message} ***\n");
    }
    found
}

fn profile_name(profile: SrtpProfile) -> &'static str {
    match profile {
        SrtpProfile::Aes128CmHmacSha1_80 => "AES128_CM_SHA1_80",
        SrtpProfile::Aes128CmHmacSha1_32 => "AES128_CM_SHA1_32",
        SrtpProfile::AeadAes128Gcm => "AEAD_AES_128_GCM",
        SrtpProfile::AeadAes256Gcm => "AEAD_AES_256_GCM",
    }
}

/// Runs the helper over `ops` (operation, bytes) and returns one result per op.
fn libsrtp(
    profile: SrtpProfile,
    key_and_salt: &[u8],
    ops: &[(&str, Vec<u8>)],
) -> Vec<Result<Vec<u8>, String>> {
    let mut child = Command::new("python3")
        .arg(HELPER)
        .arg(profile_name(profile))
        .arg(hex::encode(key_and_salt))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("start the libsrtp helper");
    let mut input = String::new();
    for (op, data) in ops {
        input.push_str(op);
        input.push(' ');
        input.push_str(&hex::encode(data));
        input.push('\n');
    }
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert!(output.status.success(), "helper failed");
    let results: Vec<_> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| match line.split_once(' ') {
            Some(("ok", data)) => Ok(hex::decode(data).unwrap()),
            Some(("err", message)) => Err(message.to_owned()),
            _ => panic!("unexpected helper output {line:?}"),
        })
        .collect();
    assert_eq!(results.len(), ops.len(), "one answer per operation");
    results
}

fn rtp(ssrc: u32, seq: u16, csrcs: u8, ext_words: u16, payload_len: usize) -> Vec<u8> {
    let mut p = vec![0x80 | csrcs | if ext_words > 0 { 0x10 } else { 0 }, 111];
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&(u32::from(seq).wrapping_mul(3000)).to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    for c in 0..u32::from(csrcs) {
        p.extend_from_slice(&(0xc500 + c).to_be_bytes());
    }
    if ext_words > 0 {
        p.extend_from_slice(&[0xbe, 0xde]);
        p.extend_from_slice(&ext_words.to_be_bytes());
        for w in 0..ext_words {
            p.extend_from_slice(&[0x22, w as u8, 0xab, 0xcd]);
        }
    }
    p.extend((0..payload_len).map(|i| (i as u8) ^ (seq as u8)));
    p
}

fn rtcp_sender_report(ssrc: u32, n: u32) -> Vec<u8> {
    let mut p = vec![0x81, 200, 0, 12];
    p.extend_from_slice(&ssrc.to_be_bytes());
    for w in 0..11u32 {
        p.extend_from_slice(&(n * 100 + w).to_be_bytes());
    }
    p
}

/// Sequence numbers crossing the wrap twice, with in-order steps and jumps.
fn sequence_numbers() -> Vec<u16> {
    let mut seqs: Vec<u16> = (65_530..=65_535).collect();
    seqs.extend(0..6); // ROC 1
    seqs.extend([20_000, 40_000, 60_000]);
    seqs.extend([65_535, 0, 1]); // ROC 2
    seqs.extend([30_000, 30_001]);
    seqs
}

fn cross_check(profile: SrtpProfile) {
    let key: Vec<u8> = (0..profile.master_key_len())
        .map(|i| (i as u8).wrapping_mul(13) ^ 0xa5)
        .collect();
    let salt: Vec<u8> = (0..profile.master_salt_len())
        .map(|i| (i as u8).wrapping_mul(7) ^ 0x3c)
        .collect();
    let key_and_salt = [key.clone(), salt.clone()].concat();
    let config = SrtpConfig::default();
    let mut ours_tx = SrtpProtector::new(profile, &key, &salt, config).unwrap();
    let mut ours_rx = SrtpUnprotector::new(profile, &key, &salt, config).unwrap();

    let ssrc = 0x5eed_0001;
    let shapes = [
        (0u8, 0u16, 160usize),
        (2, 0, 1200),
        (0, 2, 33),
        (1, 1, 0),
        (0, 0, 1),
    ];
    let plain_rtp: Vec<Vec<u8>> = sequence_numbers()
        .into_iter()
        .enumerate()
        .map(|(i, seq)| {
            let (c, e, len) = shapes[i % shapes.len()];
            rtp(ssrc, seq, c, e, len)
        })
        .collect();
    let plain_rtcp: Vec<Vec<u8>> = (0..6).map(|n| rtcp_sender_report(ssrc, n)).collect();

    let ours_rtp: Vec<Vec<u8>> = plain_rtp
        .iter()
        .map(|p| {
            let mut buf = p.clone();
            buf.resize(p.len() + profile.rtp_overhead(), 0);
            let n = ours_tx.protect_rtp(&mut buf, p.len()).unwrap();
            buf.truncate(n);
            buf
        })
        .collect();
    assert_eq!(ours_tx.roc(ssrc), Some(2));
    let ours_rtcp: Vec<Vec<u8>> = plain_rtcp
        .iter()
        .map(|p| {
            let mut buf = p.clone();
            buf.resize(p.len() + profile.rtcp_overhead(), 0);
            let n = ours_tx.protect_rtcp(&mut buf, p.len()).unwrap();
            buf.truncate(n);
            buf
        })
        .collect();

    let mut ops: Vec<(&str, Vec<u8>)> = Vec::new();
    ops.extend(plain_rtp.iter().map(|p| ("protect", p.clone())));
    // plain_rtcp[0] is our index 0; libsrtp's first index is 1, so protect
    // plain_rtcp[1..] with libsrtp to line the indices up.
    ops.extend(plain_rtcp[1..].iter().map(|p| ("protect_rtcp", p.clone())));
    ops.extend(ours_rtp.iter().map(|p| ("unprotect", p.clone())));
    ops.extend(ours_rtcp.iter().map(|p| ("unprotect_rtcp", p.clone())));
    let results = libsrtp(profile, &key_and_salt, &ops);
    let (theirs_rtp, rest) = results.split_at(plain_rtp.len());
    let (theirs_rtcp, rest) = rest.split_at(plain_rtcp.len() - 1);
    let (their_unprotect_rtp, their_unprotect_rtcp) = rest.split_at(ours_rtp.len());

    for (i, theirs) in theirs_rtp.iter().enumerate() {
        let theirs = theirs.as_ref().expect("libsrtp protects");
        assert_eq!(
            hex::encode(theirs),
            hex::encode(&ours_rtp[i]),
            "{profile:?}: SRTP packet {i} differs from libsrtp's"
        );
        let mut buf = theirs.clone();
        let n = ours_rx
            .unprotect_rtp(&mut buf)
            .expect("we unprotect libsrtp's SRTP");
        assert_eq!(buf[..n], plain_rtp[i][..], "{profile:?}: packet {i}");
        assert_eq!(
            their_unprotect_rtp[i]
                .as_ref()
                .expect("libsrtp unprotects ours"),
            &plain_rtp[i],
            "{profile:?}: libsrtp reads our packet {i}"
        );
    }
    assert_eq!(ours_rx.roc(ssrc), Some(2));

    for (i, theirs) in theirs_rtcp.iter().enumerate() {
        let theirs = theirs.as_ref().expect("libsrtp protects RTCP");
        assert_eq!(
            hex::encode(theirs),
            hex::encode(&ours_rtcp[i + 1]),
            "{profile:?}: SRTCP packet {} differs from libsrtp's",
            i + 1
        );
    }
    // libsrtp's packets carry indices 1..; ours 0 was not sent by libsrtp.
    for (i, theirs) in theirs_rtcp.iter().enumerate() {
        let mut buf = theirs.clone().unwrap();
        let n = ours_rx
            .unprotect_rtcp(&mut buf)
            .expect("we unprotect libsrtp's SRTCP");
        assert_eq!(buf[..n], plain_rtcp[i + 1][..]);
    }
    for (i, result) in their_unprotect_rtcp.iter().enumerate() {
        assert_eq!(
            result.as_ref().expect("libsrtp unprotects our SRTCP"),
            &plain_rtcp[i],
            "{profile:?}: libsrtp reads our SRTCP {i}"
        );
    }
    assert_eq!(ours_rx.counters().rtp_packets, plain_rtp.len() as u64);
}

#[test]
fn libsrtp_agrees_byte_for_byte() {
    if !libsrtp_available() {
        return;
    }
    for profile in SrtpProfile::ALL {
        cross_check(profile);
    }
}

/// libsrtp refuses what we refuse: a tampered packet of ours and a replay.
#[test]
fn libsrtp_rejects_our_tampered_and_replayed_packets() {
    if !libsrtp_available() {
        return;
    }
    for profile in SrtpProfile::ALL {
        let key = vec![0x42; profile.master_key_len()];
        let salt = vec![0x24; profile.master_salt_len()];
        let mut tx = SrtpProtector::new(profile, &key, &salt, SrtpConfig::default()).unwrap();
        let plain = rtp(9, 7, 0, 0, 100);
        let mut buf = plain.clone();
        buf.resize(plain.len() + profile.rtp_overhead(), 0);
        let n = tx.protect_rtp(&mut buf, plain.len()).unwrap();
        let good = buf[..n].to_vec();
        let mut bad = good.clone();
        bad[20] ^= 1;
        let results = libsrtp(
            profile,
            &[key, salt].concat(),
            &[
                ("unprotect", bad),
                ("unprotect", good.clone()),
                ("unprotect", good),
            ],
        );
        assert!(
            results[0].is_err(),
            "{profile:?}: tampered packet accepted by libsrtp"
        );
        assert_eq!(results[1].as_ref().unwrap(), &plain);
        assert!(
            results[2].is_err(),
            "{profile:?}: replay accepted by libsrtp"
        );
    }
}
