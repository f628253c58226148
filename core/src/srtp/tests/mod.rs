//! Unit tests of the SRTP layer: RFC vectors (they need session keys and
//! chosen SRTCP indices, reachable only from inside the crate), and the
//! behaviour of the contexts.

mod behaviour;
mod properties;
mod replay_and_roc;
mod vectors;

use super::*;

pub(super) fn unhex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(char::is_ascii_hexdigit).collect();
    hex::decode(clean).unwrap()
}

pub(super) const PROFILES: [SrtpProfile; 4] = SrtpProfile::ALL;

/// A deterministic master key and salt for `profile`.
pub(super) fn master(profile: SrtpProfile, seed: u8) -> (Vec<u8>, Vec<u8>) {
    let key = (0..profile.master_key_len())
        .map(|i| seed.wrapping_mul(31).wrapping_add(i as u8))
        .collect();
    let salt = (0..profile.master_salt_len())
        .map(|i| seed.wrapping_add(0xa0).wrapping_add(3 * i as u8))
        .collect();
    (key, salt)
}

pub(super) fn pair(profile: SrtpProfile, config: SrtpConfig) -> (SrtpProtector, SrtpUnprotector) {
    let (key, salt) = master(profile, 1);
    (
        SrtpProtector::new(profile, &key, &salt, config).unwrap(),
        SrtpUnprotector::new(profile, &key, &salt, config).unwrap(),
    )
}

/// An RTP packet: V=2, PT 96, the given CSRC count and an optional one-byte
/// extension block of `ext_words` words, `payload_len` payload bytes.
pub(super) fn rtp(ssrc: u32, seq: u16, csrcs: u8, ext_words: u16, payload_len: usize) -> Vec<u8> {
    let mut p = vec![0x80 | csrcs, 96];
    if ext_words > 0 {
        p[0] |= 0x10;
    }
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&(u32::from(seq) * 960).to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    for c in 0..u32::from(csrcs) {
        p.extend_from_slice(&(0x1000 + c).to_be_bytes());
    }
    if ext_words > 0 {
        p.extend_from_slice(&[0xbe, 0xde]);
        p.extend_from_slice(&ext_words.to_be_bytes());
        for w in 0..ext_words {
            p.extend_from_slice(&[0x10, w as u8, 0, 0]);
        }
    }
    p.extend((0..payload_len).map(|i| (i as u8).wrapping_mul(7).wrapping_add(seq as u8)));
    p
}

/// An RTCP receiver report of `ssrc` with `blocks` report blocks.
pub(super) fn rtcp(ssrc: u32, blocks: u8) -> Vec<u8> {
    let words = 1 + 6 * u16::from(blocks);
    let mut p = vec![0x80 | blocks, 201];
    p.extend_from_slice(&words.to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    for b in 0..u32::from(blocks) * 6 {
        p.extend_from_slice(&(0xdead_0000 + b).to_be_bytes());
    }
    p
}

/// Protects `packet` with `protector`, returning the SRTP bytes.
pub(super) fn protect(protector: &mut SrtpProtector, packet: &[u8]) -> Vec<u8> {
    let mut buf = packet.to_vec();
    buf.resize(packet.len() + protector.profile().rtp_overhead(), 0);
    let n = protector.protect_rtp(&mut buf, packet.len()).unwrap();
    assert_eq!(n, buf.len());
    buf
}

pub(super) fn protect_c(protector: &mut SrtpProtector, packet: &[u8]) -> Vec<u8> {
    let mut buf = packet.to_vec();
    buf.resize(packet.len() + protector.profile().rtcp_overhead(), 0);
    let n = protector.protect_rtcp(&mut buf, packet.len()).unwrap();
    assert_eq!(n, buf.len());
    buf
}

pub(super) fn unprotect(
    unprotector: &mut SrtpUnprotector,
    srtp: &[u8],
) -> Result<Vec<u8>, SrtpError> {
    let mut buf = srtp.to_vec();
    let n = unprotector.unprotect_rtp(&mut buf)?;
    buf.truncate(n);
    Ok(buf)
}

pub(super) fn unprotect_c(
    unprotector: &mut SrtpUnprotector,
    srtcp: &[u8],
) -> Result<Vec<u8>, SrtpError> {
    let mut buf = srtcp.to_vec();
    let n = unprotector.unprotect_rtcp(&mut buf)?;
    buf.truncate(n);
    Ok(buf)
}
