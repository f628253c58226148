//! Determinism under a seed (the sans-I/O contract: randomness comes from an
//! RNG the caller can seed): two in-memory handshakes with the same
//! `DtlsConfig::rng_seed`s, certificates from the same seeds and the same
//! clock produce byte-identical datagram sequences, keying material and
//! application records; changing either side's seed changes the bytes.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zerortc::crypto::{Certificate, EcdheGroup, EcdheKeyPair, FingerprintAlgorithm};
use zerortc::dtls::{CipherSuite, DtlsConfig, DtlsConnection, DtlsEvent};

/// Everything observable of one handshake plus one record each way.
#[derive(Debug, PartialEq, Eq)]
struct Trace {
    /// Every datagram in the order sent, tagged with its sender (true: client).
    datagrams: Vec<(bool, Vec<u8>)>,
    client_keying: Vec<u8>,
    server_keying: Vec<u8>,
    client_export: Vec<u8>,
    server_export: Vec<u8>,
    client_record: Vec<u8>,
    server_record: Vec<u8>,
}

struct Seeds {
    client_cert: [u8; 32],
    server_cert: [u8; 32],
    client_rng: [u8; 32],
    server_rng: [u8; 32],
}

const SEEDS: Seeds = Seeds {
    client_cert: [1; 32],
    server_cert: [2; 32],
    client_rng: [3; 32],
    server_rng: [4; 32],
};

fn run(seeds: &Seeds, suites: &[CipherSuite], cookie: bool, start: Instant) -> Trace {
    let client_cert =
        Arc::new(Certificate::generate_self_signed_from_seed(seeds.client_cert).unwrap());
    let server_cert =
        Arc::new(Certificate::generate_self_signed_from_seed(seeds.server_cert).unwrap());
    let mut client_cfg = DtlsConfig::new(
        client_cert.clone(),
        Some(server_cert.fingerprint(FingerprintAlgorithm::Sha256)),
    );
    client_cfg.rng_seed = Some(seeds.client_rng);
    client_cfg.cipher_suites = suites.to_vec();
    let mut server_cfg = DtlsConfig::new(
        server_cert,
        Some(client_cert.fingerprint(FingerprintAlgorithm::Sha256)),
    );
    server_cfg.rng_seed = Some(seeds.server_rng);
    server_cfg.cookie_exchange = cookie;

    let now = start + Duration::from_millis(5);
    let mut client = DtlsConnection::new_client(client_cfg, now).unwrap();
    let mut server = DtlsConnection::new_server(server_cfg).unwrap();
    let mut datagrams = Vec::new();
    for _ in 0..16 {
        while let Some(d) = client.poll_write() {
            server.handle_read(now, &d).unwrap();
            datagrams.push((true, d));
        }
        while let Some(d) = server.poll_write() {
            client.handle_read(now, &d).unwrap();
            datagrams.push((false, d));
        }
        if client.is_connected() && server.is_connected() {
            break;
        }
    }
    assert!(client.is_connected() && server.is_connected());
    let keying = |conn: &mut DtlsConnection| loop {
        match conn.poll_event() {
            Some(DtlsEvent::Connected(summary)) => break summary.srtp_keying_material.unwrap(),
            Some(_) => {}
            None => panic!("no Connected event"),
        }
    };
    let client_keying = keying(&mut client);
    let server_keying = keying(&mut server);
    let mut client_record = vec![0u8; 256];
    let n = client
        .seal_application_data(b"from the client", &mut client_record)
        .unwrap();
    client_record.truncate(n);
    let mut server_record = vec![0u8; 256];
    let n = server
        .seal_application_data(b"from the server", &mut server_record)
        .unwrap();
    server_record.truncate(n);
    Trace {
        datagrams,
        client_export: client.export_keying_material("EXPORTER-test", 48).unwrap(),
        server_export: server.export_keying_material("EXPORTER-test", 48).unwrap(),
        client_keying,
        server_keying,
        client_record,
        server_record,
    }
}

#[test]
fn same_seeds_give_byte_identical_handshakes() {
    let start = Instant::now();
    for cookie in [true, false] {
        for suite in CipherSuite::ALL {
            if suite == CipherSuite::EcdheRsaAes128GcmSha256 {
                continue; // we sign with ECDSA only
            }
            let a = run(&SEEDS, &[suite], cookie, start);
            let b = run(&SEEDS, &[suite], cookie, start);
            // The flights: ClientHello (, HelloVerifyRequest, ClientHello),
            // server flight 4, client flight 5, server flight 6.
            assert!(
                a.datagrams.len() >= if cookie { 6 } else { 4 },
                "{}",
                a.datagrams.len()
            );
            assert_eq!(a, b, "{suite:?} cookie {cookie}");
            // Both ends agree, and the keys are not trivially constant.
            assert_eq!(a.client_keying, a.server_keying);
            assert_eq!(a.client_export, a.server_export);
            assert_ne!(a.client_keying, vec![0u8; a.client_keying.len()]);
        }
    }
}

#[test]
fn different_seeds_give_different_bytes() {
    let start = Instant::now();
    let suites = [CipherSuite::EcdheEcdsaAes128GcmSha256];
    let base = run(&SEEDS, &suites, true, start);
    let variants = [
        Seeds {
            client_rng: [9; 32],
            ..SEEDS
        },
        Seeds {
            server_rng: [9; 32],
            ..SEEDS
        },
        Seeds {
            client_cert: [9; 32],
            ..SEEDS
        },
        Seeds {
            server_cert: [9; 32],
            ..SEEDS
        },
    ];
    for (i, seeds) in variants.iter().enumerate() {
        let other = run(seeds, &suites, true, start);
        assert_eq!(other.datagrams.len(), base.datagrams.len(), "variant {i}");
        assert_ne!(other.datagrams, base.datagrams, "variant {i}");
        assert_ne!(other.client_keying, base.client_keying, "variant {i}");
        assert_ne!(other.client_record, base.client_record, "variant {i}");
        assert_eq!(other.client_keying, other.server_keying, "variant {i}");
    }
    // Only the client's RNG changed: the client's first datagram (its
    // ClientHello with the client random) differs, and so does every later
    // datagram of both sides (the server's cookie covers the hello, its
    // flight carries the transcript).
    let client_only = run(&variants[0], &suites, true, start);
    assert_ne!(client_only.datagrams[0], base.datagrams[0]);
    // Only the server's RNG changed: the client's first hello is identical,
    // the server's first answer (HelloVerifyRequest with a cookie keyed by
    // the server's secret) is not.
    let server_only = run(&variants[1], &suites, true, start);
    assert_eq!(server_only.datagrams[0], base.datagrams[0]);
    assert_ne!(server_only.datagrams[1], base.datagrams[1]);
}

#[test]
fn unseeded_connections_differ() {
    let start = Instant::now();
    let cert = Arc::new(Certificate::generate_self_signed().unwrap());
    let hello = || {
        let mut c = DtlsConnection::new_client(DtlsConfig::new(cert.clone(), None), start).unwrap();
        c.poll_write().unwrap()
    };
    assert_ne!(hello(), hello());
}

#[test]
fn certificates_from_the_same_seed_are_identical() {
    let a = Certificate::generate_self_signed_from_seed([7; 32]).unwrap();
    let b = Certificate::generate_self_signed_from_seed([7; 32]).unwrap();
    let c = Certificate::generate_self_signed_from_seed([8; 32]).unwrap();
    assert_eq!(a.der(), b.der());
    assert_ne!(a.der(), c.der());
    // The certificate's key is the signing key, and the signature over the
    // certificate verifies (from_der_and_pkcs8 re-checks the key match).
    let public = zerortc::crypto::peer_public_key(a.der()).unwrap();
    assert_eq!(public.key, a.signing_key().public_key());
    let sig1 = a.signing_key().sign(&[b"abc", b"def"]).unwrap();
    let sig2 = b.signing_key().sign(&[b"abcdef"]).unwrap();
    assert_eq!(sig1, sig2, "RFC 6979 signatures are deterministic");
    public
        .verify(
            zerortc::crypto::SignatureScheme::EcdsaP256Sha256,
            &[b"abcdef"],
            &sig1,
        )
        .unwrap();
}

#[test]
fn ecdhe_keys_from_the_same_rng_state_are_identical_and_agree() {
    use rand_core::SeedableRng;
    for group in [EcdheGroup::X25519, EcdheGroup::Secp256r1] {
        let mut r1 = rand_chacha::ChaCha20Rng::from_seed([5; 32]);
        let mut r2 = rand_chacha::ChaCha20Rng::from_seed([5; 32]);
        let a = EcdheKeyPair::generate_with_rng(group, &mut r1).unwrap();
        let a2 = EcdheKeyPair::generate_with_rng(group, &mut r2).unwrap();
        assert_eq!(a.public_key(), a2.public_key());
        let b = EcdheKeyPair::generate_with_rng(group, &mut r1).unwrap();
        assert_ne!(a.public_key(), b.public_key());
        let b_public = b.public_key().to_vec();
        let a_public = a.public_key().to_vec();
        let s1 = a.agree(&b_public).unwrap();
        let s2 = b.agree(&a_public).unwrap();
        assert_eq!(s1, s2);
        assert_eq!(s1.len(), 32);
    }
}
