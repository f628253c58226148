//! ECDSA P-256 signing, the costliest step of a DTLS handshake, on every
//! candidate backend, next to the handshake itself, in one criterion run
//! (`--features backends`): how much of the handshake signing costs, and
//! what another backend would save. Groups:
//!
//! - `dtls_ecdsa_sign/<backend>`: one ServerKeyExchange-shaped signature
//!   (`zerortc_benches::signing`: `p256_0_13` is what zerortc uses,
//!   `p256_0_14`, `ring`, `aws_lc_rs`, `openssl`);
//! - `dtls_ecdsa_verify/<backend>`: its verification (`ring` is what
//!   zerortc uses, `aws_lc_rs`, `p256_0_14`);
//! - `dtls_x25519/<backend>`: an X25519 key pair from secret bytes and one
//!   agreement (`x25519_dalek` is what zerortc uses, `aws_lc_rs`);
//! - `dtls_handshake_parts/<part>`: the other public-key steps of our
//!   handshake (`verify`: one ECDSA P-256 verification with `ring`, as
//!   `zerortc::crypto::PeerPublicKey::verify` does; `x25519`: one
//!   ephemeral key generated and agreed, `EcdheKeyPair`);
//! - `dtls_handshake_parts/handshake`: a whole handshake, both sides
//!   (`ops::dtls_handshake`, aes128gcm, no cookie), which signs twice
//!   (ServerKeyExchange, CertificateVerify), verifies twice and runs two
//!   X25519 key pairs and agreements.

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use zerortc::crypto::{EcdheGroup, EcdheKeyPair, SignatureScheme, peer_public_key};
use zerortc::dtls::CipherSuite;
use zerortc_benches::signing::{
    server_key_exchange_message, signers, verifiers, x25519, zerortc_certificate_signer,
};
use zerortc_benches::{DtlsCertificates, ops};

fn signing(c: &mut Criterion) {
    let message = server_key_exchange_message();
    let mut group = c.benchmark_group("dtls_ecdsa_sign");
    for (name, signer) in signers() {
        assert!(!signer.sign(&message).is_empty(), "{name}");
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| signer.sign(black_box(&message)))
        });
    }
    group.finish();

    let cert = zerortc_certificate_signer();
    let signature = cert.signing_key().sign(&[&message]).expect("signature");
    let public = peer_public_key(cert.der()).expect("public key");
    let mut group = c.benchmark_group("dtls_ecdsa_verify");
    for (name, verify) in verifiers(public.key.clone(), message.clone(), signature.clone()) {
        assert_eq!(verify(), 1, "{name}");
        group.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(&verify));
    }
    group.finish();
    let peer_key = EcdheKeyPair::generate(EcdheGroup::X25519).expect("peer key");
    let mut peer = [0u8; 32];
    peer.copy_from_slice(peer_key.public_key());
    let mut group = c.benchmark_group("dtls_x25519");
    for (name, step) in x25519(peer) {
        group.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(&step));
    }
    group.finish();

    let mut group = c.benchmark_group("dtls_handshake_parts");
    group.bench_function("verify", |b| {
        b.iter(|| {
            public.verify(
                SignatureScheme::EcdsaP256Sha256,
                &[black_box(&message)],
                &signature,
            )
        })
    });
    let peer = EcdheKeyPair::generate(EcdheGroup::X25519).expect("peer key");
    let peer_public = peer.public_key().to_vec();
    group.bench_function("x25519", |b| {
        b.iter(|| {
            EcdheKeyPair::generate(EcdheGroup::X25519)
                .and_then(|k| k.agree(black_box(&peer_public)))
                .map(|secret| secret.len())
        })
    });
    let certs = DtlsCertificates::seeded();
    let (client, server) = certs.configs(CipherSuite::EcdheEcdsaAes128GcmSha256, false);
    let now = Instant::now();
    group.bench_function("handshake", |b| {
        b.iter_batched(
            || (client.clone(), server.clone()),
            |(c, s)| ops::dtls_handshake(black_box(c), black_box(s), now),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(3))
}

criterion_group!(name = benches; config = config(); targets = signing);
criterion_main!(benches);
