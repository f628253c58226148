//! DTLS application records allocate nothing in steady state: sealing
//! writes the record into a caller buffer, opening decrypts it in place in
//! the datagram (`DtlsConnection::seal_application_data`,
//! `handle_read_in_place`). Open needs a fresh record each time (replay
//! window), so it is measured as seal + open of one record; seal alone is
//! measured first.

use std::hint::black_box;

use zerortc_allocs::measure;
use zerortc_benches::ops::{self, DTLS_DATAGRAM_LEN, DtlsPair};
use zerortc_benches::{DTLS_SUITES, DtlsCertificates, dtls_payloads};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    let certs = DtlsCertificates::seeded();
    for (suite_id, suite) in DTLS_SUITES {
        let mut pair = DtlsPair::connected(&certs, suite);
        let mut datagram = vec![0u8; DTLS_DATAGRAM_LEN];
        for (size_id, payload) in dtls_payloads() {
            let count = measure(&format!("dtls_seal/{suite_id}/{size_id}"), || {
                black_box(ops::dtls_seal(
                    &mut pair.client,
                    black_box(&payload),
                    &mut datagram,
                ));
            });
            dhat::assert_eq!(count.blocks, 0);
            dhat::assert_eq!(count.bytes, 0);
            let count = measure(&format!("dtls_seal_open/{suite_id}/{size_id}"), || {
                let n = ops::dtls_seal(&mut pair.client, black_box(&payload), &mut datagram);
                let opened = ops::dtls_open(&mut pair.server, pair.now, &mut datagram[..n]);
                assert_eq!(opened, payload.len());
                black_box(opened);
            });
            dhat::assert_eq!(count.blocks, 0);
            dhat::assert_eq!(count.bytes, 0);
        }
    }
}
