//! SRTP/SRTCP protect and unprotect (`zerortc::srtp`), and the raw cipher
//! work they are bounded by (`zerortc::crypto`), on the suites' RTP and RTCP
//! inputs.
//!
//! - **Protect** ([`SrtpCase::protect`]): the sender bumps the sequence number
//!   in the header (RTP) and protects the packet in place in the same buffer,
//!   as a sender does after marshalling. The payload is encrypted again on
//!   every call (the cipher's cost does not depend on the bytes); the RTP
//!   header and the first 8 bytes of RTCP stay in the clear, so every call
//!   protects a valid packet with a fresh index. SRTCP numbers its packets
//!   itself.
//! - **Unprotect** ([`SrtpCase::unprotect_slot`]): the receiver verifies and
//!   decrypts a packet protected beforehand ([`SrtpCase::prepare_slots`], not
//!   measured), in order, so the replay window and the rollover counter
//!   advance as in a real stream.
//! - **Round trip** ([`SrtpCase::protect_unprotect`]): protect then unprotect
//!   the same buffer, which gets back the bytes it held (allocation tests).
//!
//! Every stream is created before measuring (first packet through each
//! direction), so only the steady state is measured.

use zerortc::crypto::{
    AEAD_NONCE_LEN, AEAD_TAG_LEN, AES_BLOCK_LEN, AeadAlgorithm, AeadKey, AesCtr, HMAC_SHA1_LEN,
    HmacSha1,
};
use zerortc::srtp::{
    DtlsRole, SrtpConfig, SrtpProfile, SrtpProtector, SrtpSession, SrtpUnprotector,
};

use super::OUT_LEN;

/// The four profiles with their short bench ids, most used first.
pub const SRTP_PROFILES: [(&str, SrtpProfile); 4] = [
    ("gcm128", SrtpProfile::AeadAes128Gcm),
    ("gcm256", SrtpProfile::AeadAes256Gcm),
    ("cm80", SrtpProfile::Aes128CmHmacSha1_80),
    ("cm32", SrtpProfile::Aes128CmHmacSha1_32),
];

/// Packets prepared per unprotect batch: 64 × ~1.2 kB stays in L2, and one
/// clock read per batch is negligible next to 64 packets.
pub const UNPROTECT_BATCH: usize = 64;

/// Deterministic DTLS-SRTP keying material for `profile` (both directions).
pub fn keying_material(profile: SrtpProfile) -> Vec<u8> {
    (0..profile.keying_material_len())
        .map(|i| (i as u8).wrapping_mul(37).wrapping_add(11))
        .collect()
}

/// Our protector (DTLS client) and the peer's unprotector (DTLS server)
/// keyed from the same material, so what one protects the other accepts.
pub fn srtp_pair(profile: SrtpProfile) -> (SrtpProtector, SrtpUnprotector) {
    let material = keying_material(profile);
    let ours = SrtpSession::from_dtls_keying_material(
        profile,
        &material,
        DtlsRole::Client,
        SrtpConfig::default(),
    )
    .expect("bench keying material fits the profile");
    let theirs = SrtpSession::from_dtls_keying_material(
        profile,
        &material,
        DtlsRole::Server,
        SrtpConfig::default(),
    )
    .expect("bench keying material fits the profile");
    (ours.protector, theirs.unprotector)
}

/// Whether a case protects RTP (SRTP) or RTCP (SRTCP).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PacketKind {
    /// An RTP packet: SRTP.
    Rtp,
    /// An RTCP compound: SRTCP.
    Rtcp,
}

/// A sender and a receiver of one profile and one input packet, with their
/// buffers, in steady state.
pub struct SrtpCase {
    kind: PacketKind,
    protector: SrtpProtector,
    unprotector: SrtpUnprotector,
    /// The packet in the clear (header + payload), `len` bytes.
    plain: Vec<u8>,
    /// The protect buffer: the packet plus room for the trailer.
    buf: Vec<u8>,
    len: usize,
    seq: u16,
    /// [`UNPROTECT_BATCH`] slots of `OUT_LEN` bytes for prepared packets.
    slots: Vec<u8>,
    slot_lens: Vec<usize>,
}

impl SrtpCase {
    /// A sender/receiver pair for `profile` and `packet`, both streams
    /// already created (one packet went through each direction).
    pub fn new(kind: PacketKind, profile: SrtpProfile, packet: &[u8]) -> Self {
        assert!(packet.len() + 32 <= OUT_LEN, "input fits a bench buffer");
        let (protector, unprotector) = srtp_pair(profile);
        let mut buf = vec![0u8; OUT_LEN];
        buf[..packet.len()].copy_from_slice(packet);
        let seq = u16::from_be_bytes([packet[2], packet[3]]);
        let mut case = Self {
            kind,
            protector,
            unprotector,
            plain: packet.to_vec(),
            buf,
            len: packet.len(),
            seq,
            slots: vec![0u8; UNPROTECT_BATCH * OUT_LEN],
            slot_lens: vec![0; UNPROTECT_BATCH],
        };
        case.prepare_slots(1);
        assert_ne!(case.unprotect_slot(0), 0, "first packet authenticates");
        assert_ne!(case.protect(), 0, "first packet protects");
        case
    }

    /// Length of the packet in the clear.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Always false: cases have a packet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Protects the next packet in place; returns the protected length (0 on
    /// error).
    #[inline]
    pub fn protect(&mut self) -> usize {
        match self.kind {
            PacketKind::Rtp => {
                self.seq = self.seq.wrapping_add(1);
                self.buf[2..4].copy_from_slice(&self.seq.to_be_bytes());
                self.protector
                    .protect_rtp(&mut self.buf, self.len)
                    .unwrap_or(0)
            }
            PacketKind::Rtcp => self
                .protector
                .protect_rtcp(&mut self.buf, self.len)
                .unwrap_or(0),
        }
    }

    /// Protects the next packet and unprotects it again in the same buffer,
    /// which gets back the bytes it held before; returns the plaintext length
    /// (0 on error).
    #[inline]
    pub fn protect_unprotect(&mut self) -> usize {
        let n = self.protect();
        let packet = &mut self.buf[..n];
        match self.kind {
            PacketKind::Rtp => self.unprotector.unprotect_rtp(packet).unwrap_or(0),
            PacketKind::Rtcp => self.unprotector.unprotect_rtcp(packet).unwrap_or(0),
        }
    }

    /// Protects the next `n` (≤ [`UNPROTECT_BATCH`]) packets of the stream
    /// into slots `0..n`, for [`unprotect_slot`](Self::unprotect_slot).
    pub fn prepare_slots(&mut self, n: usize) {
        assert!(n <= UNPROTECT_BATCH);
        for i in 0..n {
            let slot = &mut self.slots[i * OUT_LEN..(i + 1) * OUT_LEN];
            slot[..self.len].copy_from_slice(&self.plain);
            let protected = match self.kind {
                PacketKind::Rtp => {
                    self.seq = self.seq.wrapping_add(1);
                    slot[2..4].copy_from_slice(&self.seq.to_be_bytes());
                    self.protector.protect_rtp(slot, self.len)
                }
                PacketKind::Rtcp => self.protector.protect_rtcp(slot, self.len),
            };
            self.slot_lens[i] = protected.expect("bench packet protects");
        }
    }

    /// Unprotects the packet prepared in slot `i`; returns the plaintext
    /// length (0 on error).
    #[inline]
    pub fn unprotect_slot(&mut self, i: usize) -> usize {
        let packet = &mut self.slots[i * OUT_LEN..i * OUT_LEN + self.slot_lens[i]];
        match self.kind {
            PacketKind::Rtp => self.unprotector.unprotect_rtp(packet).unwrap_or(0),
            PacketKind::Rtcp => self.unprotector.unprotect_rtcp(packet).unwrap_or(0),
        }
    }
}

/// Header length of the `video_1200` input (12 fixed bytes, 4 of extension
/// header, 12 of one-byte extensions): the associated data of
/// [`RawOp::Aes128GcmSealSrtpShape`], which leaves a 1172-byte payload of a
/// 1200-byte buffer (73 whole blocks and 4 bytes).
pub const SRTP_SHAPE_HEADER_LEN: usize = 28;

/// The raw primitives of the four profiles through `zerortc::crypto`, keys
/// scheduled once: what SRTP would cost with no framing at all.
pub struct RawCiphers {
    gcm128: AeadKey,
    gcm256: AeadKey,
    ctr: AesCtr,
    hmac: HmacSha1,
}

impl Default for RawCiphers {
    fn default() -> Self {
        Self::new()
    }
}

/// The raw cipher operations of the suites.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawOp {
    /// AES-128-GCM seal of the whole buffer, no associated data.
    Aes128GcmSeal,
    /// AES-128-GCM seal shaped as SRTP: the first [`SRTP_SHAPE_HEADER_LEN`]
    /// bytes (the `video_1200` header) as associated data, the rest sealed
    /// in place (at 1200 B a payload that is not a multiple of 16 bytes).
    Aes128GcmSealSrtpShape,
    /// AES-256-GCM seal of the whole buffer, no associated data.
    Aes256GcmSeal,
    /// AES-128 counter mode over the whole buffer.
    Aes128Ctr,
    /// HMAC-SHA1 over the whole buffer.
    HmacSha1,
    /// AES-128-CTR then HMAC-SHA1 over the whole buffer (the AES-CM
    /// profiles' cipher work without framing).
    Aes128CtrHmacSha1,
}

impl RawOp {
    /// Every raw operation with its bench id.
    pub const ALL: [(&'static str, RawOp); 6] = [
        ("aes128gcm_seal", RawOp::Aes128GcmSeal),
        ("aes128gcm_seal_srtp", RawOp::Aes128GcmSealSrtpShape),
        ("aes256gcm_seal", RawOp::Aes256GcmSeal),
        ("aes128ctr", RawOp::Aes128Ctr),
        ("hmacsha1", RawOp::HmacSha1),
        ("aes128ctr_hmacsha1", RawOp::Aes128CtrHmacSha1),
    ];
}

impl RawCiphers {
    /// Keys scheduled once, from fixed bytes.
    pub fn new() -> Self {
        let key: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(29) ^ 0x5a).collect();
        Self {
            gcm128: AeadKey::new(AeadAlgorithm::Aes128Gcm, &key[..16]).expect("16-byte key"),
            gcm256: AeadKey::new(AeadAlgorithm::Aes256Gcm, &key).expect("32-byte key"),
            ctr: AesCtr::new(&key[..16]).expect("16-byte key"),
            hmac: HmacSha1::new(&key[..20]).expect("any key length"),
        }
    }

    /// Runs `op` in place over `buf`; returns a byte of the result. The GCM
    /// nonce and CTR IV are fixed: reuse is harmless for a benchmark and
    /// costs the same.
    #[inline]
    pub fn run(&self, op: RawOp, buf: &mut [u8]) -> u8 {
        const NONCE: [u8; AEAD_NONCE_LEN] = [3; AEAD_NONCE_LEN];
        const IV: [u8; AES_BLOCK_LEN] = [5; AES_BLOCK_LEN];
        match op {
            RawOp::Aes128GcmSeal => self
                .gcm128
                .seal_in_place(&NONCE, &[], buf)
                .map_or(0, |t| t[0]),
            RawOp::Aes128GcmSealSrtpShape => {
                let (header, payload) = buf.split_at_mut(SRTP_SHAPE_HEADER_LEN.min(buf.len()));
                self.gcm128
                    .seal_in_place(&NONCE, header, payload)
                    .map_or(0, |t| t[0])
            }
            RawOp::Aes256GcmSeal => self
                .gcm256
                .seal_in_place(&NONCE, &[], buf)
                .map_or(0, |t| t[0]),
            RawOp::Aes128Ctr => {
                self.ctr.apply_keystream(&IV, buf);
                buf.first().copied().unwrap_or(0)
            }
            RawOp::HmacSha1 => self.hmac.sign(&[buf])[0],
            RawOp::Aes128CtrHmacSha1 => {
                self.ctr.apply_keystream(&IV, buf);
                let tag: [u8; HMAC_SHA1_LEN] = self.hmac.sign(&[buf]);
                tag[0]
            }
        }
    }
}

/// The raw GCM opens of the suites: `(bench id, algorithm, associated
/// data length)`. `aes128gcm_open_srtp` is the exact cipher work of
/// AEAD_AES_128_GCM unprotect of `video_1200` (the 28-byte header as
/// associated data).
pub const RAW_GCM_OPENS: [(&str, AeadAlgorithm, usize); 3] = [
    ("aes128gcm_open", AeadAlgorithm::Aes128Gcm, 0),
    (
        "aes128gcm_open_srtp",
        AeadAlgorithm::Aes128Gcm,
        SRTP_SHAPE_HEADER_LEN,
    ),
    ("aes256gcm_open", AeadAlgorithm::Aes256Gcm, 0),
];

/// A raw GCM open in place (`zerortc::crypto`, no framing) that verifies on
/// every call, with no copy between calls.
///
/// Opening decrypts in place, so the next call would see plaintext under
/// the old tag. GCM is counter mode, so sealing twice under one nonce
/// (fine for a benchmark, never for real traffic) maps the buffer `P` to
/// `C = P ^ keystream` with tag `t_c`, then `C` back to `P` with tag `t_p`
/// (the tag of ciphertext `P`). Opening then alternates: `P` with `t_p`
/// gives `C`, `C` with `t_c` gives `P`, each a genuine, verifying open of
/// the whole buffer.
pub struct RawGcmOpen {
    key: AeadKey,
    buf: Vec<u8>,
    aad_len: usize,
    /// `[tag of ciphertext P, tag of ciphertext C]`.
    tags: [[u8; AEAD_TAG_LEN]; 2],
    /// Which of `P` (0) and `C` (1) the buffer holds.
    holds: usize,
}

impl RawGcmOpen {
    /// A buffer of `size` bytes whose first `aad_len` are associated data.
    pub fn new(algorithm: AeadAlgorithm, size: usize, aad_len: usize) -> Self {
        let key_bytes: Vec<u8> = (0..32u8).map(|i| i.wrapping_mul(29) ^ 0x5a).collect();
        let key = AeadKey::new(algorithm, &key_bytes[..algorithm.key_len()]).expect("key length");
        let mut buf = vec![0x5au8; size];
        let aad_len = aad_len.min(size);
        let (aad, data) = buf.split_at_mut(aad_len);
        let tag_c = key.seal_in_place(&GCM_NONCE, aad, data).expect("seal");
        let tag_p = key.seal_in_place(&GCM_NONCE, aad, data).expect("seal");
        Self {
            key,
            buf,
            aad_len,
            tags: [tag_p, tag_c],
            holds: 0,
        }
    }

    /// Opens the buffer in place with its tag; returns whether it verified
    /// (always, unless the code is broken).
    #[inline]
    pub fn open(&mut self) -> bool {
        let (aad, data) = self.buf.split_at_mut(self.aad_len);
        let ok = self
            .key
            .open_in_place(&GCM_NONCE, aad, data, &self.tags[self.holds])
            .is_ok();
        self.holds ^= 1;
        ok
    }
}

const GCM_NONCE: [u8; AEAD_NONCE_LEN] = [3; AEAD_NONCE_LEN];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{rtcp_inputs, rtp_inputs};

    #[test]
    fn every_profile_protects_and_unprotects_every_input() {
        for (_, profile) in SRTP_PROFILES {
            for (kind, inputs) in [
                (PacketKind::Rtp, rtp_inputs()),
                (PacketKind::Rtcp, rtcp_inputs()),
            ] {
                for (id, packet) in inputs {
                    let mut case = SrtpCase::new(kind, profile, &packet);
                    let overhead = match kind {
                        PacketKind::Rtp => profile.rtp_overhead(),
                        PacketKind::Rtcp => profile.rtcp_overhead(),
                    };
                    // Protect grows the packet by the trailer, many times in a row.
                    for _ in 0..3 {
                        assert_eq!(case.protect(), packet.len() + overhead, "{id}");
                    }
                    // Prepared packets unprotect in order, back to the input.
                    case.prepare_slots(UNPROTECT_BATCH);
                    for i in 0..UNPROTECT_BATCH {
                        assert_eq!(case.unprotect_slot(i), packet.len(), "{id} {i}");
                        let slot = &case.slots[i * OUT_LEN..i * OUT_LEN + packet.len()];
                        match kind {
                            // The sequence number was bumped; the rest is the input.
                            PacketKind::Rtp => {
                                assert_eq!(slot[..2], packet[..2], "{id}");
                                assert_eq!(slot[4..], packet[4..], "{id}");
                            }
                            PacketKind::Rtcp => assert_eq!(slot, &packet[..], "{id}"),
                        }
                    }
                    // A slot unprotects only once (replay window).
                    assert_eq!(case.unprotect_slot(0), 0, "{id}");
                    // The round trip gives back the bytes it protected
                    // (protect alone left ciphertext in the buffer).
                    let before = case.buf[4..packet.len()].to_vec();
                    assert_eq!(case.protect_unprotect(), packet.len(), "{id}");
                    assert_eq!(case.buf[4..packet.len()], before[..], "{id}");
                }
            }
        }
    }

    #[test]
    fn srtp_shape_header_is_the_video_header() {
        let packet = crate::rtp_inputs::video_packet();
        let parsed = zerortc::rtp::RtpPacket::parse(&packet).unwrap();
        assert_eq!(parsed.header_len(), SRTP_SHAPE_HEADER_LEN);
        assert_eq!(parsed.payload().len(), 1172);
    }

    #[test]
    fn raw_gcm_open_verifies_on_every_call() {
        for (id, algorithm, aad_len) in RAW_GCM_OPENS {
            for size in [160usize, 1200] {
                let mut open = RawGcmOpen::new(algorithm, size, aad_len);
                let before = open.buf.clone();
                for i in 0..5 {
                    assert!(open.open(), "{id}/{size} call {i}");
                }
                // An odd number of opens leaves the other ciphertext.
                assert_ne!(open.buf, before, "{id}/{size}");
                assert!(open.open());
                assert_eq!(open.buf, before, "{id}/{size}");
                // A tampered byte fails.
                open.buf[size - 1] ^= 1;
                assert!(!open.open(), "{id}/{size} tampered");
            }
        }
    }

    #[test]
    fn raw_ciphers_change_the_bytes() {
        let raw = RawCiphers::new();
        for (id, op) in RawOp::ALL {
            let mut buf = vec![0u8; 160];
            raw.run(op, &mut buf);
            let changed = buf.iter().any(|&b| b != 0);
            // HMAC alone only reads the buffer; every other op encrypts it.
            assert_eq!(changed, op != RawOp::HmacSha1, "{id}");
        }
    }
}
