//! Two DTLS endpoints in memory, on the network simulator over a perfect
//! link: negotiation (cipher suites, SRTP profiles, fingerprints), wrong
//! fingerprints, SRTP keying material, application data, close_notify,
//! garbage input. Loss, reordering and duplication: `dtls_netsim.rs`.

mod dtls_util;
mod netsim;

use std::sync::Arc;
use std::time::{Duration, Instant};

use netsim::{LinkConfig, NetSim};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use zerortc::crypto::{Certificate, FingerprintAlgorithm};
use zerortc::dtls::{CipherSuite, DtlsConfig, DtlsConnection, DtlsError, DtlsEvent};
use zerortc::srtp::{DtlsRole, SrtpConfig, SrtpProfile, SrtpSession};

fn certs() -> (Arc<Certificate>, Arc<Certificate>) {
    (
        Arc::new(Certificate::generate_self_signed().unwrap()),
        Arc::new(Certificate::generate_self_signed().unwrap()),
    )
}

fn configs(a: &Arc<Certificate>, b: &Arc<Certificate>) -> (DtlsConfig, DtlsConfig) {
    (
        DtlsConfig::new(a.clone(), Some(b.fingerprint(FingerprintAlgorithm::Sha256))),
        DtlsConfig::new(b.clone(), Some(a.fingerprint(FingerprintAlgorithm::Sha256))),
    )
}

struct Outcome {
    client: Vec<DtlsEvent>,
    server: Vec<DtlsEvent>,
    client_conn: DtlsConnection,
    server_conn: DtlsConnection,
    elapsed: Duration,
}

/// Runs both endpoints on the network simulator over a perfect link
/// without delay until both report an outcome (lossy paths are in
/// `dtls_netsim.rs`).
fn run(client_cfg: DtlsConfig, server_cfg: DtlsConfig, seed: u64) -> Outcome {
    let link = LinkConfig {
        delay: Duration::ZERO,
        ..LinkConfig::default()
    };
    let run = dtls_util::handshake(
        NetSim::new(seed, link),
        client_cfg,
        server_cfg,
        Duration::from_secs(600),
    );
    let elapsed = run.elapsed();
    let events = |peer: dtls_util::DtlsPeer| -> (Vec<DtlsEvent>, DtlsConnection) {
        (peer.events.into_iter().map(|(_, e)| e).collect(), peer.conn)
    };
    let (client, client_conn) = events(run.client);
    let (server, server_conn) = events(run.server);
    Outcome {
        client,
        server,
        client_conn,
        server_conn,
        elapsed,
    }
}

fn connected(events: &[DtlsEvent]) -> zerortc::dtls::HandshakeSummary {
    events
        .iter()
        .find_map(|e| match e {
            DtlsEvent::Connected(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("not connected: {events:?}"))
}

fn failure(events: &[DtlsEvent]) -> DtlsError {
    events
        .iter()
        .find_map(|e| match e {
            DtlsEvent::Failed(err) => Some(err.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("did not fail: {events:?}"))
}

#[test]
fn handshake_clean_link_negotiates_preferred_choices() {
    let (a, b) = certs();
    let (c, s) = configs(&a, &b);
    let out = run(c, s, 1);
    let cs = connected(&out.client);
    let ss = connected(&out.server);
    assert_eq!(cs.cipher_suite, CipherSuite::EcdheEcdsaAes128GcmSha256);
    assert_eq!(ss.cipher_suite, CipherSuite::EcdheEcdsaAes128GcmSha256);
    assert_eq!(cs.srtp_profile, Some(SrtpProfile::AeadAes128Gcm));
    assert_eq!(ss.srtp_profile, Some(SrtpProfile::AeadAes128Gcm));
    let km = cs.srtp_keying_material.clone().unwrap();
    assert_eq!(km.len(), 56);
    assert_eq!(Some(km), ss.srtp_keying_material);
    assert_eq!(cs.peer_certificate, b.der());
    assert_eq!(ss.peer_certificate, a.der());
    // No retransmission was needed on a clean link.
    assert_eq!(out.elapsed, Duration::ZERO);
}

#[test]
fn each_cipher_suite_and_srtp_profile_negotiates() {
    let (a, b) = certs();
    for suite in [
        CipherSuite::EcdheEcdsaAes128GcmSha256,
        CipherSuite::EcdheEcdsaAes256GcmSha384,
    ] {
        for profile in SrtpProfile::ALL {
            let (mut c, mut s) = configs(&a, &b);
            c.cipher_suites = vec![suite];
            c.srtp_profiles = vec![profile];
            s.cipher_suites = CipherSuite::ALL.to_vec();
            let out = run(c, s, 7);
            let cs = connected(&out.client);
            let ss = connected(&out.server);
            assert_eq!(cs.cipher_suite, suite);
            assert_eq!(cs.srtp_profile, Some(profile));
            assert_eq!(ss.srtp_profile, Some(profile));
            let km = cs.srtp_keying_material.unwrap();
            assert_eq!(km.len(), profile.keying_material_len());
            assert_eq!(Some(km), ss.srtp_keying_material);
        }
    }
}

#[test]
fn server_preference_order_picks_srtp_profile() {
    let (a, b) = certs();
    let (mut c, mut s) = configs(&a, &b);
    c.srtp_profiles = vec![SrtpProfile::Aes128CmHmacSha1_80, SrtpProfile::AeadAes256Gcm];
    s.srtp_profiles = SrtpProfile::ALL.to_vec();
    let out = run(c, s, 3);
    assert_eq!(
        connected(&out.server).srtp_profile,
        Some(SrtpProfile::AeadAes256Gcm)
    );
}

#[test]
fn srtp_sessions_keyed_from_the_export_interoperate() {
    let (a, b) = certs();
    let (c, s) = configs(&a, &b);
    let out = run(c, s, 5);
    let cs = connected(&out.client);
    let ss = connected(&out.server);
    let profile = cs.srtp_profile.unwrap();
    let mut client = SrtpSession::from_dtls_keying_material(
        profile,
        &cs.srtp_keying_material.unwrap(),
        DtlsRole::Client,
        SrtpConfig::default(),
    )
    .unwrap();
    let mut server = SrtpSession::from_dtls_keying_material(
        profile,
        &ss.srtp_keying_material.unwrap(),
        DtlsRole::Server,
        SrtpConfig::default(),
    )
    .unwrap();
    // A minimal RTP packet: V=2, PT 96, seq 1, ts 0, SSRC 1, 4-byte payload.
    let rtp = [
        0x80, 96, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0xde, 0xad, 0xbe, 0xef,
    ];
    let mut buf = [0u8; 64];
    buf[..rtp.len()].copy_from_slice(&rtp);
    let len = client.protector.protect_rtp(&mut buf, rtp.len()).unwrap();
    let plain = server.unprotector.unprotect_rtp(&mut buf[..len]).unwrap();
    assert_eq!(plain, rtp.len());
    assert_eq!(&buf[..plain], &rtp);
}

#[test]
fn application_data_both_ways_and_close_notify() {
    let (a, b) = certs();
    let (c, s) = configs(&a, &b);
    let mut out = run(c, s, 9);
    let now = Instant::now();
    out.client_conn
        .send_application_data(b"ping from client")
        .unwrap();
    out.server_conn
        .send_application_data(b"pong from server")
        .unwrap();
    while let Some(d) = out.client_conn.poll_write() {
        out.server_conn.handle_read(now, &d).unwrap();
    }
    while let Some(d) = out.server_conn.poll_write() {
        out.client_conn.handle_read(now, &d).unwrap();
    }
    assert_eq!(
        out.server_conn.poll_event(),
        Some(DtlsEvent::ApplicationData(b"ping from client".to_vec()))
    );
    assert_eq!(
        out.client_conn.poll_event(),
        Some(DtlsEvent::ApplicationData(b"pong from server".to_vec()))
    );
    // A replayed record is refused and changes nothing.
    let mut record = [0u8; 128];
    let len = out
        .client_conn
        .seal_application_data(b"once", &mut record)
        .unwrap();
    out.server_conn.handle_read(now, &record[..len]).unwrap();
    assert_eq!(
        out.server_conn.handle_read(now, &record[..len]),
        Err(DtlsError::Replayed)
    );
    // A tampered record does not decrypt.
    let len2 = out
        .client_conn
        .seal_application_data(b"twice", &mut record)
        .unwrap();
    record[len2 - 1] ^= 1;
    assert_eq!(
        out.server_conn.handle_read(now, &record[..len2]),
        Err(DtlsError::DecryptFailed)
    );
    assert_eq!(
        out.server_conn.poll_event(),
        Some(DtlsEvent::ApplicationData(b"once".to_vec()))
    );
    assert_eq!(out.server_conn.poll_event(), None);
    assert!(out.server_conn.is_connected());
    // close_notify.
    out.client_conn.close();
    while let Some(d) = out.client_conn.poll_write() {
        let _ = out.server_conn.handle_read(now, &d);
    }
    assert_eq!(out.server_conn.poll_event(), Some(DtlsEvent::Closed));
    assert!(out.server_conn.is_finished());
    assert_eq!(
        out.client_conn.send_application_data(b"late"),
        Err(DtlsError::Closed)
    );
}

#[test]
fn exporter_matches_on_both_sides() {
    let (a, b) = certs();
    let (c, s) = configs(&a, &b);
    let out = run(c, s, 11);
    let x = out
        .client_conn
        .export_keying_material("EXPORTER-test", 100)
        .unwrap();
    let y = out
        .server_conn
        .export_keying_material("EXPORTER-test", 100)
        .unwrap();
    assert_eq!(x, y);
    let z = out
        .server_conn
        .export_keying_material("EXPORTER-other", 100)
        .unwrap();
    assert_ne!(x, z);
}

#[test]
fn wrong_fingerprint_fails_both_roles_with_clear_error() {
    let (a, b) = certs();
    let other = Certificate::generate_self_signed().unwrap();
    // The client expects another server certificate.
    let (mut c, s) = configs(&a, &b);
    c.remote_fingerprint = Some(other.fingerprint(FingerprintAlgorithm::Sha256));
    let out = run(c, s, 2);
    let err = failure(&out.client);
    assert!(
        matches!(err, DtlsError::FingerprintMismatch { .. }),
        "{err}"
    );
    assert!(err.to_string().contains("sha-256"));
    // The server learns why through the bad_certificate alert.
    assert_eq!(
        failure(&out.server),
        DtlsError::AlertReceived { description: 42 }
    );
    // The server expects another client certificate.
    let (c, mut s) = configs(&a, &b);
    s.remote_fingerprint = Some(other.fingerprint(FingerprintAlgorithm::Sha512));
    let out = run(c, s, 2);
    assert!(matches!(
        failure(&out.server),
        DtlsError::FingerprintMismatch { .. }
    ));
    assert_eq!(
        failure(&out.client),
        DtlsError::AlertReceived { description: 42 }
    );
}

#[test]
fn every_fingerprint_algorithm_is_accepted() {
    let (a, b) = certs();
    for alg in [
        FingerprintAlgorithm::Sha1,
        FingerprintAlgorithm::Sha256,
        FingerprintAlgorithm::Sha384,
        FingerprintAlgorithm::Sha512,
    ] {
        let c = DtlsConfig::new(a.clone(), Some(b.fingerprint(alg)));
        let s = DtlsConfig::new(b.clone(), Some(a.fingerprint(alg)));
        let out = run(c, s, 4);
        connected(&out.client);
        connected(&out.server);
    }
}

#[test]
fn no_common_srtp_profile_fails() {
    let (a, b) = certs();
    let (mut c, mut s) = configs(&a, &b);
    c.srtp_profiles = vec![SrtpProfile::Aes128CmHmacSha1_32];
    s.srtp_profiles = vec![SrtpProfile::AeadAes128Gcm];
    let out = run(c, s, 6);
    assert_eq!(failure(&out.server), DtlsError::NoCommonSrtpProfile);
    assert_eq!(
        failure(&out.client),
        DtlsError::AlertReceived { description: 40 }
    );
}

#[test]
fn silent_peer_times_out_after_backoff() {
    let (a, b) = certs();
    let (c, _) = configs(&a, &b);
    let start = Instant::now();
    let mut client = DtlsConnection::new_client(c, start).unwrap();
    let mut sends = 0;
    let mut gaps = Vec::new();
    let mut last = start;
    loop {
        while client.poll_write().is_some() {
            sends += 1;
        }
        let Some(at) = client.poll_timeout() else {
            break;
        };
        gaps.push(at - last);
        last = at;
        if client.handle_timeout(at).is_err() {
            break;
        }
    }
    // 1 s, 2 s, 4 s ... capped at 60 s; 1 + 7 transmissions.
    assert_eq!(sends, 8);
    assert_eq!(
        gaps.iter().map(Duration::as_secs).collect::<Vec<_>>(),
        vec![1, 2, 4, 8, 16, 32, 60, 60]
    );
    assert_eq!(
        client.poll_event(),
        Some(DtlsEvent::Failed(DtlsError::Timeout))
    );
}

#[test]
fn server_without_cookie_exchange_connects() {
    let (a, b) = certs();
    let (c, mut s) = configs(&a, &b);
    s.cookie_exchange = false;
    let out = run(c, s, 8);
    connected(&out.client);
    connected(&out.server);
}

#[test]
fn garbage_never_breaks_an_established_association() {
    let (a, b) = certs();
    let (c, s) = configs(&a, &b);
    let mut out = run(c, s, 12);
    let now = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(99);
    let mut inputs: Vec<Vec<u8>> = vec![
        vec![],
        vec![23],
        // Truncated header, unknown content type, wrong version.
        vec![22, 0xfe, 0xfd, 0, 0],
        vec![99, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 0],
        vec![23, 0x03, 0x03, 0, 1, 0, 0, 0, 0, 0, 9, 0, 0],
        // Epoch 1 application data too short for nonce + tag.
        vec![23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 9, 0, 3, 1, 2, 3],
        // Epoch 2: no keys.
        vec![23, 0xfe, 0xfd, 0, 2, 0, 0, 0, 0, 0, 9, 0, 1, 0],
        // Unauthenticated epoch-0 fatal alert: ignored once connected.
        vec![21, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 1, 0, 0, 2, 2, 40],
        // Epoch-0 ChangeCipherSpec and a new ClientHello fragment.
        vec![20, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 1, 1, 0, 1, 1],
        vec![
            22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 1, 2, 0, 12, 1, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0,
        ],
    ];
    for _ in 0..500 {
        let len = rng.random_range(0..200);
        let mut d: Vec<u8> = (0..len).map(|_| rng.random::<u8>()).collect();
        if let Some(first) = d.first_mut() {
            *first = 20 + (*first % 4);
        }
        inputs.push(d);
    }
    for input in &inputs {
        let _ = out.server_conn.handle_read(now, input);
        let _ = out.client_conn.handle_read(now, input);
        let mut copy = input.clone();
        let _ = out.server_conn.handle_read_in_place(now, &mut copy);
    }
    assert!(out.server_conn.is_connected());
    assert!(out.client_conn.is_connected());
    // Drain what the garbage provoked (no_renegotiation warnings).
    while let Some(d) = out.server_conn.poll_write() {
        let _ = out.client_conn.handle_read(now, &d);
    }
    while let Some(d) = out.client_conn.poll_write() {
        let _ = out.server_conn.handle_read(now, &d);
    }
    assert!(out.server_conn.is_connected() && out.client_conn.is_connected());
    out.client_conn
        .send_application_data(b"still here")
        .unwrap();
    while let Some(d) = out.client_conn.poll_write() {
        out.server_conn.handle_read(now, &d).unwrap();
    }
    let events: Vec<_> = std::iter::from_fn(|| out.server_conn.poll_event()).collect();
    assert!(events.contains(&DtlsEvent::ApplicationData(b"still here".to_vec())));
}
