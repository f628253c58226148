//! The crypto primitives of SRTP on every candidate backend, keys scheduled
//! once (feature `backends`): RustCrypto (`aes-gcm` 0.11; `aes` 0.8 + `ctr`
//! 0.9 and `hmac` 0.12 + `sha1` 0.10 through `zerortc::crypto`), `ring` 0.17,
//! `aws-lc-rs` 1.19 and OpenSSL EVP (the `openssl` crate on the system's
//! libssl 3: one `EVP_CIPHER_CTX` per key, re-initialised with the IV only
//! per call; HMAC through a reused `HMAC_CTX`, `HMAC_Init_ex` with a null
//! key keeping the prepared pads, as libsrtp does). Used by the criterion
//! suite `benches/crypto_backends.rs` and the interleaved
//! `examples/srtp_goals.rs`.

use zerortc::crypto::{AesCtr, HmacSha1};

/// The sizes every primitive is measured on.
pub const SIZES: [usize; 2] = [160, 1200];
const NONCE: [u8; 12] = [3; 12];
const IV: [u8; 16] = [5; 16];
/// The header of the `video_1200` input (12 fixed bytes, 4 of extension
/// header, 12 of extensions): [`crate::ops::SRTP_SHAPE_HEADER_LEN`].
pub const SRTP_HEADER_LEN: usize = crate::ops::SRTP_SHAPE_HEADER_LEN;

fn key(len: usize) -> Vec<u8> {
    (0..len as u8).map(|i| i.wrapping_mul(29) ^ 0x5a).collect()
}

/// A GCM sealer in place: `seal(aad, buf)` returns the tag's first byte.
pub trait GcmSeal {
    /// Seals `buf` in place with `aad`; returns the first byte of the tag
    /// (what the benchmarks time).
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8;

    /// Seals `buf` in place with `aad`; returns the whole tag (to prepare
    /// opens).
    fn seal_tag(&mut self, aad: &[u8], buf: &mut [u8]) -> [u8; 16];
}

struct RustCryptoGcm128(aes_gcm::Aes128Gcm);
struct RustCryptoGcm256(aes_gcm::Aes256Gcm);

fn rustcrypto_seal<A: aes_gcm::aead::AeadInOut>(aead: &A, aad: &[u8], buf: &mut [u8]) -> u8
where
    aes_gcm::aead::Nonce<A>: From<[u8; 12]>,
{
    let nonce = aes_gcm::aead::Nonce::<A>::from(NONCE);
    aead.encrypt_inout_detached(&nonce, aad, buf.into())
        .map_or(0, |tag| tag[0])
}

fn rustcrypto_seal_tag<A: aes_gcm::aead::AeadInOut>(
    aead: &A,
    aad: &[u8],
    buf: &mut [u8],
) -> [u8; 16]
where
    aes_gcm::aead::Nonce<A>: From<[u8; 12]>,
{
    let nonce = aes_gcm::aead::Nonce::<A>::from(NONCE);
    let tag = aead
        .encrypt_inout_detached(&nonce, aad, buf.into())
        .expect("seal");
    let mut out = [0u8; 16];
    out.copy_from_slice(&tag);
    out
}

impl GcmSeal for RustCryptoGcm128 {
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8 {
        rustcrypto_seal(&self.0, aad, buf)
    }
    fn seal_tag(&mut self, aad: &[u8], buf: &mut [u8]) -> [u8; 16] {
        rustcrypto_seal_tag(&self.0, aad, buf)
    }
}

impl GcmSeal for RustCryptoGcm256 {
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8 {
        rustcrypto_seal(&self.0, aad, buf)
    }
    fn seal_tag(&mut self, aad: &[u8], buf: &mut [u8]) -> [u8; 16] {
        rustcrypto_seal_tag(&self.0, aad, buf)
    }
}

struct RingGcm(ring::aead::LessSafeKey);

impl GcmSeal for RingGcm {
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8 {
        self.0
            .seal_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(NONCE),
                ring::aead::Aad::from(aad),
                buf,
            )
            .map_or(0, |tag| tag.as_ref()[0])
    }
    fn seal_tag(&mut self, aad: &[u8], buf: &mut [u8]) -> [u8; 16] {
        let tag = self
            .0
            .seal_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(NONCE),
                ring::aead::Aad::from(aad),
                buf,
            )
            .expect("seal");
        let mut out = [0u8; 16];
        out.copy_from_slice(tag.as_ref());
        out
    }
}

struct AwsLcGcm(aws_lc_rs::aead::LessSafeKey);

impl GcmSeal for AwsLcGcm {
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8 {
        self.0
            .seal_in_place_separate_tag(
                aws_lc_rs::aead::Nonce::assume_unique_for_key(NONCE),
                aws_lc_rs::aead::Aad::from(aad),
                buf,
            )
            .map_or(0, |tag| tag.as_ref()[0])
    }
    fn seal_tag(&mut self, aad: &[u8], buf: &mut [u8]) -> [u8; 16] {
        let tag = self
            .0
            .seal_in_place_separate_tag(
                aws_lc_rs::aead::Nonce::assume_unique_for_key(NONCE),
                aws_lc_rs::aead::Aad::from(aad),
                buf,
            )
            .expect("seal");
        let mut out = [0u8; 16];
        out.copy_from_slice(tag.as_ref());
        out
    }
}

/// A GCM opener in place: `open(aad, buf, tag)` verifies `tag` and decrypts
/// `buf`; returns whether the tag verified.
pub trait GcmOpen {
    /// Opens `buf` in place with `aad` and `tag`.
    fn open(&mut self, aad: &[u8], buf: &mut [u8], tag: &[u8; 16]) -> bool;
}

impl GcmOpen for RustCryptoGcm128 {
    fn open(&mut self, aad: &[u8], buf: &mut [u8], tag: &[u8; 16]) -> bool {
        rustcrypto_open(&self.0, aad, buf, tag)
    }
}

impl GcmOpen for RustCryptoGcm256 {
    fn open(&mut self, aad: &[u8], buf: &mut [u8], tag: &[u8; 16]) -> bool {
        rustcrypto_open(&self.0, aad, buf, tag)
    }
}

fn rustcrypto_open<A: aes_gcm::aead::AeadInOut>(
    aead: &A,
    aad: &[u8],
    buf: &mut [u8],
    tag: &[u8; 16],
) -> bool
where
    aes_gcm::aead::Nonce<A>: From<[u8; 12]>,
    aes_gcm::aead::Tag<A>: for<'a> TryFrom<&'a [u8]>,
{
    let nonce = aes_gcm::aead::Nonce::<A>::from(NONCE);
    let Ok(tag) = aes_gcm::aead::Tag::<A>::try_from(&tag[..]) else {
        return false;
    };
    aead.decrypt_inout_detached(&nonce, aad, buf.into(), &tag)
        .is_ok()
}

impl GcmOpen for RingGcm {
    fn open(&mut self, aad: &[u8], buf: &mut [u8], tag: &[u8; 16]) -> bool {
        self.0
            .open_in_place_separate_tag(
                ring::aead::Nonce::assume_unique_for_key(NONCE),
                ring::aead::Aad::from(aad),
                ring::aead::Tag::from(*tag),
                buf,
                0..,
            )
            .is_ok()
    }
}

impl GcmOpen for AwsLcGcm {
    fn open(&mut self, aad: &[u8], buf: &mut [u8], tag: &[u8; 16]) -> bool {
        self.0
            .open_in_place_separate_tag(
                aws_lc_rs::aead::Nonce::assume_unique_for_key(NONCE),
                aws_lc_rs::aead::Aad::from(aad),
                tag,
                buf,
            )
            .is_ok()
    }
}

/// An OpenSSL cipher context keyed once; each call sets the IV only.
struct OpenSslCipher(openssl::cipher_ctx::CipherCtx);

impl OpenSslCipher {
    fn new(cipher: &openssl::cipher::CipherRef, key: &[u8]) -> Self {
        let mut ctx = openssl::cipher_ctx::CipherCtx::new().expect("EVP_CIPHER_CTX_new");
        ctx.encrypt_init(Some(cipher), Some(key), None)
            .expect("key schedule");
        Self(ctx)
    }

    fn ctr(&mut self, buf: &mut [u8]) -> u8 {
        let len = buf.len();
        self.0
            .encrypt_init(None, None, Some(&IV))
            .expect("set the IV");
        self.0
            .cipher_update_inplace(buf, len)
            .expect("encrypt in place");
        buf[0]
    }
}

impl GcmSeal for OpenSslCipher {
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8 {
        self.seal_tag(aad, buf)[0]
    }
    fn seal_tag(&mut self, aad: &[u8], buf: &mut [u8]) -> [u8; 16] {
        let len = buf.len();
        let mut tag = [0u8; 16];
        self.0
            .encrypt_init(None, None, Some(&NONCE))
            .expect("set the nonce");
        if !aad.is_empty() {
            self.0.cipher_update(aad, None).expect("associated data");
        }
        self.0
            .cipher_update_inplace(buf, len)
            .expect("encrypt in place");
        self.0.cipher_final(&mut []).expect("finish");
        self.0.tag(&mut tag).expect("tag");
        tag
    }
}

/// An OpenSSL GCM decryption context keyed once; each call sets the nonce
/// and the expected tag.
struct OpenSslGcmOpen(openssl::cipher_ctx::CipherCtx);

impl OpenSslGcmOpen {
    fn new(cipher: &openssl::cipher::CipherRef, key: &[u8]) -> Self {
        let mut ctx = openssl::cipher_ctx::CipherCtx::new().expect("EVP_CIPHER_CTX_new");
        ctx.decrypt_init(Some(cipher), Some(key), None)
            .expect("key schedule");
        Self(ctx)
    }
}

impl GcmOpen for OpenSslGcmOpen {
    fn open(&mut self, aad: &[u8], buf: &mut [u8], tag: &[u8; 16]) -> bool {
        let len = buf.len();
        self.0
            .decrypt_init(None, None, Some(&NONCE))
            .expect("set the nonce");
        self.0.set_tag(tag).expect("expected tag");
        if !aad.is_empty() {
            self.0.cipher_update(aad, None).expect("associated data");
        }
        self.0
            .cipher_update_inplace(buf, len)
            .expect("decrypt in place");
        self.0.cipher_final(&mut []).is_ok()
    }
}

/// OpenSSL's HMAC with a reused `HMAC_CTX`: keyed once, each call restarts
/// from the prepared pads (`HMAC_Init_ex` with a null key).
struct OpenSslHmacSha1(*mut openssl_sys::HMAC_CTX);

impl OpenSslHmacSha1 {
    fn new(key: &[u8]) -> Self {
        // SAFETY: a fresh context, keyed with a valid slice and digest; the
        // pointer is checked and owned by the returned value.
        unsafe {
            let ctx = openssl_sys::HMAC_CTX_new();
            assert!(!ctx.is_null(), "HMAC_CTX_new");
            let ok = openssl_sys::HMAC_Init_ex(
                ctx,
                key.as_ptr().cast(),
                key.len() as std::ffi::c_int,
                openssl_sys::EVP_sha1(),
                std::ptr::null_mut(),
            );
            assert_eq!(ok, 1, "HMAC_Init_ex");
            Self(ctx)
        }
    }

    fn sign(&mut self, buf: &[u8]) -> u8 {
        let mut out = [0u8; 20];
        let mut out_len: std::ffi::c_uint = 0;
        // SAFETY: the context is valid (owned, keyed in `new`); `buf` and
        // `out` are valid for their lengths (20 bytes is SHA-1's output).
        unsafe {
            let ok = openssl_sys::HMAC_Init_ex(
                self.0,
                std::ptr::null(),
                0,
                std::ptr::null(),
                std::ptr::null_mut(),
            ) & openssl_sys::HMAC_Update(self.0, buf.as_ptr(), buf.len())
                & openssl_sys::HMAC_Final(self.0, out.as_mut_ptr(), &mut out_len);
            assert_eq!(ok, 1, "HMAC");
        }
        out[0]
    }
}

impl Drop for OpenSslHmacSha1 {
    fn drop(&mut self) {
        // SAFETY: owned since `new`, freed once.
        unsafe { openssl_sys::HMAC_CTX_free(self.0) }
    }
}

/// The GCM sealers of every backend for a 16- or 32-byte key.
pub fn gcm_backends(key_len: usize) -> Vec<(&'static str, Box<dyn GcmSeal>)> {
    use aes_gcm::KeyInit;
    let k = key(key_len);
    let (ring_alg, aws_alg, ossl) = if key_len == 16 {
        (
            &ring::aead::AES_128_GCM,
            &aws_lc_rs::aead::AES_128_GCM,
            openssl::cipher::Cipher::aes_128_gcm(),
        )
    } else {
        (
            &ring::aead::AES_256_GCM,
            &aws_lc_rs::aead::AES_256_GCM,
            openssl::cipher::Cipher::aes_256_gcm(),
        )
    };
    let rustcrypto: Box<dyn GcmSeal> = if key_len == 16 {
        Box::new(RustCryptoGcm128(
            aes_gcm::Aes128Gcm::new_from_slice(&k).expect("key"),
        ))
    } else {
        Box::new(RustCryptoGcm256(
            aes_gcm::Aes256Gcm::new_from_slice(&k).expect("key"),
        ))
    };
    vec![
        ("rustcrypto", rustcrypto),
        (
            "ring",
            Box::new(RingGcm(ring::aead::LessSafeKey::new(
                ring::aead::UnboundKey::new(ring_alg, &k).expect("key"),
            ))),
        ),
        (
            "aws-lc-rs",
            Box::new(AwsLcGcm(aws_lc_rs::aead::LessSafeKey::new(
                aws_lc_rs::aead::UnboundKey::new(aws_alg, &k).expect("key"),
            ))),
        ),
        ("openssl", Box::new(OpenSslCipher::new(ossl, &k))),
    ]
}

/// The GCM openers of every backend for a 16- or 32-byte key (the same
/// keys as [`gcm_backends`]).
pub fn gcm_openers(key_len: usize) -> Vec<(&'static str, Box<dyn GcmOpen>)> {
    use aes_gcm::KeyInit;
    let k = key(key_len);
    let (ring_alg, aws_alg, ossl) = if key_len == 16 {
        (
            &ring::aead::AES_128_GCM,
            &aws_lc_rs::aead::AES_128_GCM,
            openssl::cipher::Cipher::aes_128_gcm(),
        )
    } else {
        (
            &ring::aead::AES_256_GCM,
            &aws_lc_rs::aead::AES_256_GCM,
            openssl::cipher::Cipher::aes_256_gcm(),
        )
    };
    let rustcrypto: Box<dyn GcmOpen> = if key_len == 16 {
        Box::new(RustCryptoGcm128(
            aes_gcm::Aes128Gcm::new_from_slice(&k).expect("key"),
        ))
    } else {
        Box::new(RustCryptoGcm256(
            aes_gcm::Aes256Gcm::new_from_slice(&k).expect("key"),
        ))
    };
    vec![
        ("rustcrypto", rustcrypto),
        (
            "ring",
            Box::new(RingGcm(ring::aead::LessSafeKey::new(
                ring::aead::UnboundKey::new(ring_alg, &k).expect("key"),
            ))),
        ),
        (
            "aws-lc-rs",
            Box::new(AwsLcGcm(aws_lc_rs::aead::LessSafeKey::new(
                aws_lc_rs::aead::UnboundKey::new(aws_alg, &k).expect("key"),
            ))),
        ),
        ("openssl", Box::new(OpenSslGcmOpen::new(ossl, &k))),
    ]
}

/// A GCM open that verifies on every call with no copy in between (the
/// scheme of [`crate::ops::RawGcmOpen`]): the buffer is sealed twice under
/// one nonce (`P` → `C` → `P`, tags `t_c` then `t_p`), then opened with the
/// tag of whatever it holds, alternating between `P` and `C`.
struct AlternatingOpen {
    opener: Box<dyn GcmOpen>,
    buf: Vec<u8>,
    aad_len: usize,
    tags: [[u8; 16]; 2],
    holds: usize,
}

impl AlternatingOpen {
    fn new(
        sealer: &mut dyn GcmSeal,
        opener: Box<dyn GcmOpen>,
        size: usize,
        aad_len: usize,
    ) -> Self {
        let mut buf = vec![0x5au8; size];
        let mut seal = |buf: &mut [u8]| {
            let (aad, data) = buf.split_at_mut(aad_len);
            sealer.seal_tag(aad, data)
        };
        let tag_c = seal(&mut buf);
        let tag_p = seal(&mut buf);
        Self {
            opener,
            buf,
            aad_len,
            tags: [tag_p, tag_c],
            holds: 0,
        }
    }

    fn open(&mut self) -> u8 {
        let (aad, data) = self.buf.split_at_mut(self.aad_len);
        let ok = self.opener.open(aad, data, &self.tags[self.holds]);
        self.holds ^= 1;
        u8::from(ok)
    }
}

/// A primitive run in place over a buffer; returns a byte of the result.
pub type InPlaceOp = Box<dyn FnMut(&mut [u8]) -> u8>;

/// One primitive on one backend, ready to run in place on a buffer.
pub struct BackendCase {
    /// Criterion group: `crypto_<primitive>`.
    pub group: &'static str,
    /// Backend name: `rustcrypto`, `ring`, `aws-lc-rs`, `openssl`.
    pub backend: &'static str,
    /// Bytes processed per call.
    pub size: usize,
    /// Runs the primitive over `buf[..size]` (reads only, for HMAC); returns
    /// a byte of the result.
    pub run: InPlaceOp,
}

/// Every primitive on every backend that has it, on [`SIZES`] (and the
/// SRTP-shaped GCM seal and open on 1200 bytes), in report order: GCM seal,
/// GCM open (a verifying open on every call, see `AlternatingOpen`),
/// AES-128-CTR, HMAC-SHA1, and CTR + HMAC-SHA1 together.
pub fn backend_cases() -> Vec<BackendCase> {
    let mut cases = Vec::new();
    for (group, key_len) in [("crypto_aes128gcm_seal", 16), ("crypto_aes256gcm_seal", 32)] {
        for size in SIZES {
            for (backend, mut sealer) in gcm_backends(key_len) {
                cases.push(BackendCase {
                    group,
                    backend,
                    size,
                    run: Box::new(move |buf| sealer.seal(&[], &mut buf[..size])),
                });
            }
        }
    }
    for (backend, mut sealer) in gcm_backends(16) {
        cases.push(BackendCase {
            group: "crypto_aes128gcm_seal_srtp",
            backend,
            size: 1200,
            run: Box::new(move |buf| {
                let (header, payload) = buf[..1200].split_at_mut(SRTP_HEADER_LEN);
                sealer.seal(header, payload)
            }),
        });
    }
    for (group, key_len, aad_len, sizes) in [
        ("crypto_aes128gcm_open", 16, 0, &SIZES[..]),
        (
            "crypto_aes128gcm_open_srtp",
            16,
            SRTP_HEADER_LEN,
            &[1200][..],
        ),
        ("crypto_aes256gcm_open", 32, 0, &SIZES[..]),
    ] {
        for &size in sizes {
            let sealers = gcm_backends(key_len);
            for ((backend, mut sealer), (_, opener)) in
                sealers.into_iter().zip(gcm_openers(key_len))
            {
                let mut open = AlternatingOpen::new(sealer.as_mut(), opener, size, aad_len);
                cases.push(BackendCase {
                    group,
                    backend,
                    size,
                    // The opener owns its prepared buffer.
                    run: Box::new(move |_| open.open()),
                });
            }
        }
    }
    let k = key(16);
    for size in SIZES {
        let ours = AesCtr::new(&k).expect("key");
        let aws = aws_lc_rs::cipher::EncryptingKey::ctr(
            aws_lc_rs::cipher::UnboundCipherKey::new(&aws_lc_rs::cipher::AES_128, &k).expect("key"),
        )
        .expect("key");
        let mut ossl = OpenSslCipher::new(openssl::cipher::Cipher::aes_128_ctr(), &k);
        let group = "crypto_aes128ctr";
        cases.push(BackendCase {
            group,
            backend: "rustcrypto",
            size,
            run: Box::new(move |buf| {
                ours.apply_keystream(&IV, &mut buf[..size]);
                buf[0]
            }),
        });
        cases.push(BackendCase {
            group,
            backend: "aws-lc-rs",
            size,
            run: Box::new(move |buf| {
                let context = aws_lc_rs::cipher::EncryptionContext::Iv128(IV.into());
                u8::from(aws.less_safe_encrypt(&mut buf[..size], context).is_ok())
            }),
        });
        cases.push(BackendCase {
            group,
            backend: "openssl",
            size,
            run: Box::new(move |buf| ossl.ctr(&mut buf[..size])),
        });
    }
    let k = key(20);
    for size in SIZES {
        let ours = HmacSha1::new(&k).expect("key");
        let ring_key = ring::hmac::Key::new(ring::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &k);
        let aws_key = aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &k);
        let mut ossl = OpenSslHmacSha1::new(&k);
        let group = "crypto_hmacsha1";
        cases.push(BackendCase {
            group,
            backend: "rustcrypto",
            size,
            run: Box::new(move |buf| ours.sign(&[&buf[..size]])[0]),
        });
        cases.push(BackendCase {
            group,
            backend: "ring",
            size,
            run: Box::new(move |buf| ring::hmac::sign(&ring_key, &buf[..size]).as_ref()[0]),
        });
        cases.push(BackendCase {
            group,
            backend: "aws-lc-rs",
            size,
            run: Box::new(move |buf| aws_lc_rs::hmac::sign(&aws_key, &buf[..size]).as_ref()[0]),
        });
        cases.push(BackendCase {
            group,
            backend: "openssl",
            size,
            run: Box::new(move |buf| ossl.sign(&buf[..size])),
        });
    }
    // The AES-CM profiles' cipher work: CTR then HMAC-SHA1 over the same
    // bytes, each backend with its own primitives.
    let (kc, kh) = (key(16), key(20));
    for size in SIZES {
        let group = "crypto_aes128ctr_hmacsha1";
        let (ctr, hmac) = (
            AesCtr::new(&kc).expect("key"),
            HmacSha1::new(&kh).expect("key"),
        );
        cases.push(BackendCase {
            group,
            backend: "rustcrypto",
            size,
            run: Box::new(move |buf| {
                ctr.apply_keystream(&IV, &mut buf[..size]);
                hmac.sign(&[&buf[..size]])[0]
            }),
        });
        let aws_ctr = aws_lc_rs::cipher::EncryptingKey::ctr(
            aws_lc_rs::cipher::UnboundCipherKey::new(&aws_lc_rs::cipher::AES_128, &kc)
                .expect("key"),
        )
        .expect("key");
        let aws_hmac =
            aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA1_FOR_LEGACY_USE_ONLY, &kh);
        cases.push(BackendCase {
            group,
            backend: "aws-lc-rs",
            size,
            run: Box::new(move |buf| {
                let context = aws_lc_rs::cipher::EncryptionContext::Iv128(IV.into());
                let ok = aws_ctr.less_safe_encrypt(&mut buf[..size], context).is_ok();
                u8::from(ok) ^ aws_lc_rs::hmac::sign(&aws_hmac, &buf[..size]).as_ref()[0]
            }),
        });
        let mut ossl_ctr = OpenSslCipher::new(openssl::cipher::Cipher::aes_128_ctr(), &kc);
        let mut ossl_hmac = OpenSslHmacSha1::new(&kh);
        cases.push(BackendCase {
            group,
            backend: "openssl",
            size,
            run: Box::new(move |buf| ossl_ctr.ctr(&mut buf[..size]) ^ ossl_hmac.sign(&buf[..size])),
        });
    }
    cases
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_backend_open_verifies_on_every_call() {
        let mut buf = vec![0u8; 1500];
        let mut opens = 0;
        for mut case in backend_cases() {
            if !case.group.contains("_open") {
                continue;
            }
            for i in 0..5 {
                assert_eq!(
                    (case.run)(&mut buf),
                    1,
                    "{}/{}/{} call {i}",
                    case.group,
                    case.backend,
                    case.size
                );
            }
            opens += 1;
        }
        // 4 backends × (2 + 1 + 2) (group, size) pairs.
        assert_eq!(opens, 20);
    }

    #[test]
    fn every_backend_gcm_agrees_with_ours() {
        use zerortc::crypto::{AeadAlgorithm, AeadKey};
        for (key_len, algorithm) in [
            (16, AeadAlgorithm::Aes128Gcm),
            (32, AeadAlgorithm::Aes256Gcm),
        ] {
            let ours = AeadKey::new(algorithm, &key(key_len)).unwrap();
            let mut expected = vec![7u8; 200];
            let (aad, data) = expected.split_at_mut(28);
            let tag = ours.seal_in_place(&NONCE, aad, data).unwrap();
            for (backend, mut sealer) in gcm_backends(key_len) {
                let mut buf = vec![7u8; 200];
                let (aad, data) = buf.split_at_mut(28);
                assert_eq!(sealer.seal_tag(aad, data), tag, "{backend}");
                assert_eq!(buf, expected, "{backend}");
            }
        }
    }
}
