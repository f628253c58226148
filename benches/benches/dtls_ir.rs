//! Instruction counts (callgrind `Ir`, via gungraun) of DTLS 1.2: one
//! application record sealed and opened at 1200 B and 160 B per suite, and
//! one full handshake (both sides in memory, without and with the cookie
//! exchange). Same operations and seeded inputs as the criterion suite
//! `dtls.rs`; the connected pair, the sealed record and the buffers are built
//! outside the measured function, which hands them back so their frees are
//! not counted. Keys: `dtls_ir/dtls/{seal,open}/<suite>_<size>`,
//! `dtls_ir/dtls/handshake/<suite>_<cookie>`.
//!
//! Caveat: under valgrind, CPU feature detection sees no VAES, VPCLMULQDQ,
//! SHA-NI or AVX-512, so `ring`'s AES-GCM and the SHA-2 code take other paths
//! than on the real CPU. The counts gate the framing and state machine
//! around the crypto (header, nonce, replay window, key schedule, message
//! encoding); judge the ciphers by the criterion wall clock.

use std::hint::black_box;
use std::time::Instant;

use gungraun::{library_benchmark, library_benchmark_group, main};
use zerortc::dtls::{CipherSuite, DtlsConfig};
use zerortc_benches::ops::{self, DTLS_DATAGRAM_LEN, DtlsPair};
use zerortc_benches::{DtlsCertificates, dtls_payloads};

const AES128: CipherSuite = CipherSuite::EcdheEcdsaAes128GcmSha256;
const AES256: CipherSuite = CipherSuite::EcdheEcdsaAes256GcmSha384;

fn payload(size: &str) -> Vec<u8> {
    dtls_payloads()
        .into_iter()
        .find(|(id, _)| *id == size)
        .map(|(_, p)| p)
        .expect("payload size")
}

/// A connected pair, a payload and an output buffer.
fn seal_case(suite: CipherSuite, size: &str) -> (DtlsPair, Vec<u8>, Vec<u8>) {
    let pair = DtlsPair::connected(&DtlsCertificates::seeded(), suite);
    (pair, payload(size), vec![0u8; DTLS_DATAGRAM_LEN])
}

/// A connected pair and one record sealed by its client.
fn open_case(suite: CipherSuite, size: &str) -> (DtlsPair, Vec<u8>) {
    let mut pair = DtlsPair::connected(&DtlsCertificates::seeded(), suite);
    let mut record = vec![0u8; DTLS_DATAGRAM_LEN];
    let n = ops::dtls_seal(&mut pair.client, &payload(size), &mut record);
    record.truncate(n);
    (pair, record)
}

fn handshake_case(suite: CipherSuite, cookie: bool) -> (DtlsConfig, DtlsConfig, Instant) {
    let (c, s) = DtlsCertificates::seeded().configs(suite, cookie);
    (c, s, Instant::now())
}

#[library_benchmark]
#[bench::aes128gcm_1200(seal_case(AES128, "1200"))]
#[bench::aes128gcm_160(seal_case(AES128, "160"))]
#[bench::aes256gcm_1200(seal_case(AES256, "1200"))]
#[bench::aes256gcm_160(seal_case(AES256, "160"))]
fn seal(input: (DtlsPair, Vec<u8>, Vec<u8>)) -> (usize, (DtlsPair, Vec<u8>, Vec<u8>)) {
    let (mut pair, payload, mut out) = input;
    let n = black_box(ops::dtls_seal(
        &mut pair.client,
        black_box(&payload),
        black_box(&mut out),
    ));
    (n, (pair, payload, out))
}

#[library_benchmark]
#[bench::aes128gcm_1200(open_case(AES128, "1200"))]
#[bench::aes128gcm_160(open_case(AES128, "160"))]
#[bench::aes256gcm_1200(open_case(AES256, "1200"))]
#[bench::aes256gcm_160(open_case(AES256, "160"))]
fn open(input: (DtlsPair, Vec<u8>)) -> (usize, (DtlsPair, Vec<u8>)) {
    let (mut pair, mut record) = input;
    let now = pair.now;
    let n = black_box(ops::dtls_open(
        &mut pair.server,
        now,
        black_box(&mut record),
    ));
    (n, (pair, record))
}

#[library_benchmark]
#[bench::aes128gcm_no_cookie(handshake_case(AES128, false))]
#[bench::aes128gcm_cookie(handshake_case(AES128, true))]
fn handshake(input: (DtlsConfig, DtlsConfig, Instant)) -> usize {
    let (c, s, now) = input;
    black_box(ops::dtls_handshake(black_box(c), black_box(s), now))
}

library_benchmark_group!(name = dtls, benchmarks = [seal, open, handshake]);
main!(library_benchmark_groups = dtls);
