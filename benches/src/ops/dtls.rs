//! DTLS 1.2: a full handshake in memory, and application records sealed and
//! opened on an established connection.

use std::time::Instant;

use zerortc::dtls::{CipherSuite, DtlsConfig, DtlsConnection, DtlsEvent};

use crate::dtls_inputs::DtlsCertificates;

/// Room for any measured record (1200 B payload + header + nonce + tag).
pub const DTLS_DATAGRAM_LEN: usize = 1300;

/// Runs a whole handshake, client and server in memory, datagrams handed
/// over at once (no loss, one fixed `now`), until both are connected.
/// Returns the bytes exchanged (0 if it did not connect). Both sides do all
/// their work: hello, cookie (if configured), ECDHE key generation and
/// agreement, signing and verifying, certificate fingerprint check, the
/// key schedule, Finished, SRTP keying material export.
pub fn dtls_handshake(client_cfg: DtlsConfig, server_cfg: DtlsConfig, now: Instant) -> usize {
    let Ok(mut client) = DtlsConnection::new_client(client_cfg, now) else {
        return 0;
    };
    let Ok(mut server) = DtlsConnection::new_server(server_cfg) else {
        return 0;
    };
    let mut bytes = 0;
    for _ in 0..8 {
        while let Some(d) = client.poll_write() {
            bytes += d.len();
            if server.handle_read(now, &d).is_err() {
                return 0;
            }
        }
        while let Some(d) = server.poll_write() {
            bytes += d.len();
            if client.handle_read(now, &d).is_err() {
                return 0;
            }
        }
        if client.is_connected() && server.is_connected() {
            return bytes;
        }
    }
    0
}

/// A connected client/server pair (seeded, so the same on every run), with
/// the `Connected` events drained.
#[derive(Debug)]
pub struct DtlsPair {
    /// The client (the sealing side in the record benchmarks).
    pub client: DtlsConnection,
    /// The server (the opening side).
    pub server: DtlsConnection,
    /// The time the pair was driven at.
    pub now: Instant,
}

impl DtlsPair {
    /// Handshakes `suite` without cookie exchange and returns the pair.
    ///
    /// # Panics
    /// If the handshake does not complete (a broken build, not an input).
    pub fn connected(certs: &DtlsCertificates, suite: CipherSuite) -> Self {
        let (c, s) = certs.configs(suite, false);
        let now = Instant::now();
        let mut client = DtlsConnection::new_client(c, now).expect("client");
        let mut server = DtlsConnection::new_server(s).expect("server");
        for _ in 0..8 {
            while let Some(d) = client.poll_write() {
                server.handle_read(now, &d).expect("server reads");
            }
            while let Some(d) = server.poll_write() {
                client.handle_read(now, &d).expect("client reads");
            }
        }
        assert!(matches!(client.poll_event(), Some(DtlsEvent::Connected(_))));
        assert!(matches!(server.poll_event(), Some(DtlsEvent::Connected(_))));
        Self {
            client,
            server,
            now,
        }
    }
}

/// Seals `payload` as one application data record into `out` (the send
/// path: next sequence number, header, AEAD seal). Returns the record
/// length (0 on error).
#[inline]
pub fn dtls_seal(conn: &mut DtlsConnection, payload: &[u8], out: &mut [u8]) -> usize {
    conn.seal_application_data(payload, out).unwrap_or(0)
}

/// Opens one application data record in place (the receive path: record
/// header parse, replay window check, AEAD open, window update). Returns
/// the plaintext length (0 on error, e.g. a replayed record).
#[inline]
pub fn dtls_open(conn: &mut DtlsConnection, now: Instant, datagram: &mut [u8]) -> usize {
    match conn.handle_read_in_place(now, datagram) {
        Ok(Some(plain)) => plain.len(),
        _ => 0,
    }
}
