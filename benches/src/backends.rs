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
    /// Seals `buf` in place with `aad`; returns the first byte of the tag.
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8;
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

impl GcmSeal for RustCryptoGcm128 {
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8 {
        rustcrypto_seal(&self.0, aad, buf)
    }
}

impl GcmSeal for RustCryptoGcm256 {
    fn seal(&mut self, aad: &[u8], buf: &mut [u8]) -> u8 {
        rustcrypto_seal(&self.0, aad, buf)
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
        tag[0]
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
/// SRTP-shaped GCM seal on 1200 bytes), in report order.
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
    cases
}
