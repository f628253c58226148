//! The crypto primitives of SRTP on every candidate backend, in one criterion
//! run (`--features backends`; off by default so CI never builds aws-lc-rs's
//! C code): what `zerortc::crypto` picks per primitive is read from here.
//!
//! Group `crypto_<primitive>`, function = backend, parameter = size:
//! - `crypto_aes128gcm_seal`, `crypto_aes256gcm_seal`: seal in place with a
//!   detached tag, no associated data, on 160 and 1200 bytes;
//!   `crypto_aes128gcm_seal_srtp`: the RTP header (28 bytes of the
//!   `video_1200` input) as associated data and the 1172-byte payload sealed
//!   in place — the exact cipher work of AEAD_AES_128_GCM protect, whose
//!   payload is not a multiple of 16 bytes;
//! - `crypto_aes128gcm_open`, `crypto_aes256gcm_open`,
//!   `crypto_aes128gcm_open_srtp`: the matching opens in place, each call a
//!   genuine, verifying open (the buffer alternates between two ciphertexts
//!   whose tags were computed beforehand, see `backends::AlternatingOpen`);
//! - `crypto_aes128ctr`: AES-128 in counter mode, a fresh IV per call;
//! - `crypto_hmacsha1`: HMAC-SHA1 over the bytes, 20-byte tag;
//! - `crypto_aes128ctr_hmacsha1`: CTR then HMAC-SHA1 over the same bytes,
//!   each backend with its own primitives (the AES-CM profiles' cipher work;
//!   ring has no raw CTR).
//!
//! Backends, keys scheduled once outside the measured code:
//! - `rustcrypto`: `aes-gcm` 0.11; `aes` 0.8 + `ctr` 0.9 and `hmac` 0.12 +
//!   `sha1` 0.10 through `zerortc::crypto` (`AesCtr`, `HmacSha1`);
//! - `ring` 0.17 (`LessSafeKey`, `hmac::Key`; no raw CTR in ring);
//! - `aws-lc-rs` 1.19 (`LessSafeKey`, `cipher::EncryptingKey::ctr`,
//!   `hmac::Key`);
//! - `openssl` 0.10 EVP on the system's libssl 3: one `EVP_CIPHER_CTX` per
//!   key, re-initialised with the IV only per call; HMAC through a reused
//!   `HMAC_CTX` (`HMAC_Init_ex` with a null key keeps the prepared pads), as
//!   libsrtp does.
//!
//! None of them is built with `target-cpu=native`: each detects AES-NI,
//! VAES, CLMUL and SHA-NI at run time.

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zerortc_benches::backends::backend_cases;

fn backends(c: &mut Criterion) {
    let mut buf = vec![0x5au8; 1500];
    let cases = backend_cases();
    let mut groups: Vec<&'static str> = cases.iter().map(|case| case.group).collect();
    groups.dedup();
    let mut cases: Vec<_> = cases.into_iter().map(Some).collect();
    for group_name in groups {
        let mut group = c.benchmark_group(group_name);
        for slot in cases.iter_mut() {
            let Some(case) = slot.as_mut().filter(|case| case.group == group_name) else {
                continue;
            };
            group.throughput(Throughput::Bytes(case.size as u64));
            group.bench_function(BenchmarkId::new(case.backend, case.size), |b| {
                b.iter(|| black_box((case.run)(black_box(&mut buf))))
            });
        }
        group.finish();
    }
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(1))
}

criterion_group!(name = benches; config = config(); targets = backends);
criterion_main!(benches);
