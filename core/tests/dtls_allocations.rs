//! Zero heap allocations per application-data record once connected:
//! [`DtlsConnection::seal_application_data`] into a caller buffer and
//! [`DtlsConnection::handle_read_in_place`] decrypting in the datagram.
//! Only the measuring thread's allocations are counted (the harness's other
//! threads allocate concurrently).

use std::sync::Arc;
use std::time::Instant;

use zerortc::crypto::{Certificate, FingerprintAlgorithm};
use zerortc::dtls::{CipherSuite, DtlsConfig, DtlsConnection, DtlsError, DtlsEvent};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

fn connected_pair(suite: CipherSuite) -> (DtlsConnection, DtlsConnection) {
    let a = Arc::new(Certificate::generate_self_signed().unwrap());
    let b = Arc::new(Certificate::generate_self_signed().unwrap());
    let mut c = DtlsConfig::new(a.clone(), Some(b.fingerprint(FingerprintAlgorithm::Sha256)));
    c.cipher_suites = vec![suite];
    let s = DtlsConfig::new(b, Some(a.fingerprint(FingerprintAlgorithm::Sha256)));
    let now = Instant::now();
    let mut client = DtlsConnection::new_client(c, now).unwrap();
    let mut server = DtlsConnection::new_server(s).unwrap();
    for _ in 0..10 {
        while let Some(d) = client.poll_write() {
            server.handle_read(now, &d).unwrap();
        }
        while let Some(d) = server.poll_write() {
            client.handle_read(now, &d).unwrap();
        }
    }
    assert!(matches!(client.poll_event(), Some(DtlsEvent::Connected(_))));
    assert!(matches!(server.poll_event(), Some(DtlsEvent::Connected(_))));
    (client, server)
}

#[test]
fn application_records_seal_and_open_without_allocating() {
    for suite in [
        CipherSuite::EcdheEcdsaAes128GcmSha256,
        CipherSuite::EcdheEcdsaAes256GcmSha384,
    ] {
        let (mut client, mut server) = connected_pair(suite);
        let payload = [0x5a_u8; 1200];
        let mut datagram = [0u8; 1300];
        let now = Instant::now();
        // Warm up.
        let n = client
            .seal_application_data(&payload, &mut datagram)
            .unwrap();
        server
            .handle_read_in_place(now, &mut datagram[..n])
            .unwrap()
            .unwrap();
        let mut total = 0usize;
        let allocations = allocations_during(|| {
            for i in 0..1000u32 {
                let n = client
                    .seal_application_data(&payload[..100 + (i as usize % 1100)], &mut datagram)
                    .unwrap();
                let plain = server
                    .handle_read_in_place(now, &mut datagram[..n])
                    .unwrap()
                    .unwrap();
                total += plain.len();
            }
        });
        assert_eq!(allocations, 0, "{suite:?}");
        assert!(total > 100_000);
        assert_eq!(server.poll_event(), None);
        // The in-place path keeps the replay window and the tag check.
        let n = client.seal_application_data(b"x", &mut datagram).unwrap();
        let mut copy = datagram;
        server
            .handle_read_in_place(now, &mut datagram[..n])
            .unwrap();
        assert_eq!(
            server.handle_read_in_place(now, &mut copy[..n]),
            Err(DtlsError::Replayed)
        );
        let n = client.seal_application_data(b"y", &mut datagram).unwrap();
        datagram[n - 1] ^= 0x80;
        assert_eq!(
            server.handle_read_in_place(now, &mut datagram[..n]),
            Err(DtlsError::DecryptFailed)
        );
        assert!(server.is_connected());
    }
}
