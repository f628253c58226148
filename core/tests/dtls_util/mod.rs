//! DTLS endpoints on the deterministic network simulator (`netsim`), shared
//! by the DTLS integration tests (`mod netsim; mod dtls_util;`).
//!
//! [`DtlsPeer`] adapts a [`DtlsConnection`] to [`netsim::Endpoint`] and
//! keeps what happened to it: its events with their virtual times, the
//! instants its retransmission timer fired, the application data received,
//! the datagrams it dropped. [`handshake`] runs a client and a server over a
//! [`NetSim`] until both report an outcome, nothing is left to do, or a
//! virtual deadline passes.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zerortc::crypto::{Certificate, EcdsaSigningKey, FingerprintAlgorithm};
use zerortc::dtls::{DtlsConfig, DtlsConnection, DtlsError, DtlsEvent, HandshakeSummary};

use crate::netsim::{self, Endpoint, NetSim};

/// A DTLS connection seen by the simulator, with a log of what it did.
pub struct DtlsPeer {
    /// The connection.
    pub conn: DtlsConnection,
    /// Every event, with the virtual time it was drained at.
    pub events: Vec<(Instant, DtlsEvent)>,
    /// Instants at which the retransmission timer fired.
    pub timer_fired: Vec<Instant>,
    /// Datagrams `handle_read` refused (dropped records: replays, bad
    /// epochs...), with the error.
    pub dropped: Vec<DtlsError>,
    /// Datagrams sent.
    pub sent: u64,
    /// Flights still to scramble: every datagram of the next `scramble`
    /// batches this peer sends goes out twice, the batch reversed and then
    /// rotated by one (so no datagram arrives in its original place).
    pub scramble: u32,
    pending: VecDeque<Vec<u8>>,
}

impl DtlsPeer {
    /// Wraps `conn`.
    pub fn new(conn: DtlsConnection) -> Self {
        Self {
            conn,
            events: Vec::new(),
            timer_fired: Vec::new(),
            dropped: Vec::new(),
            sent: 0,
            scramble: 0,
            pending: VecDeque::new(),
        }
    }

    fn drain(&mut self, now: Instant) {
        while let Some(e) = self.conn.poll_event() {
            self.events.push((now, e));
        }
    }

    /// How the handshake ended for this side, if it did.
    pub fn outcome(&self) -> Option<Result<HandshakeSummary, DtlsError>> {
        self.events.iter().find_map(|(_, e)| match e {
            DtlsEvent::Connected(s) => Some(Ok(s.clone())),
            DtlsEvent::Failed(err) => Some(Err(err.clone())),
            _ => None,
        })
    }

    /// The virtual time of the outcome.
    pub fn outcome_at(&self) -> Option<Instant> {
        self.events
            .iter()
            .find(|(_, e)| matches!(e, DtlsEvent::Connected(_) | DtlsEvent::Failed(_)))
            .map(|(t, _)| *t)
    }

    /// The summary of a completed handshake; panics otherwise.
    pub fn summary(&self) -> HandshakeSummary {
        match self.outcome() {
            Some(Ok(s)) => s,
            other => panic!("not connected: {other:?}"),
        }
    }

    /// The failure reason; panics when the handshake did not fail.
    pub fn failure(&self) -> DtlsError {
        match self.outcome() {
            Some(Err(e)) => e,
            other => panic!("did not fail: {other:?}"),
        }
    }

    /// Application data received, in arrival order.
    pub fn received(&self) -> Vec<Vec<u8>> {
        self.events
            .iter()
            .filter_map(|(_, e)| match e {
                DtlsEvent::ApplicationData(d) => Some(d.clone()),
                _ => None,
            })
            .collect()
    }

    /// Whether the peer's close_notify arrived.
    pub fn saw_close(&self) -> bool {
        self.events.iter().any(|(_, e)| *e == DtlsEvent::Closed)
    }
}

impl Endpoint for DtlsPeer {
    fn receive(&mut self, now: Instant, datagram: &[u8]) {
        if let Err(e) = self.conn.handle_read(now, datagram) {
            self.dropped.push(e);
        }
        self.drain(now);
    }

    fn transmit(&mut self, _now: Instant, buf: &mut [u8]) -> Option<usize> {
        if self.pending.is_empty() {
            let batch: Vec<Vec<u8>> = std::iter::from_fn(|| self.conn.poll_write()).collect();
            if self.scramble > 0 && !batch.is_empty() {
                self.scramble -= 1;
                let mut copy = batch.clone();
                copy.rotate_left(1);
                self.pending.extend(batch.into_iter().rev());
                self.pending.extend(copy);
            } else {
                self.pending.extend(batch);
            }
        }
        let d = self.pending.pop_front()?;
        buf[..d.len()].copy_from_slice(&d);
        self.sent += 1;
        Some(d.len())
    }

    fn next_timeout(&self) -> Option<Instant> {
        self.conn.poll_timeout()
    }

    fn timeout(&mut self, now: Instant) {
        self.timer_fired.push(now);
        // A give-up is reported as a Failed event; the Err repeats it.
        let _ = self.conn.handle_timeout(now);
        self.drain(now);
    }
}

/// A certificate from `seed` (reproducible).
pub fn seeded_certificate(seed: u8) -> Arc<Certificate> {
    Arc::new(Certificate::generate_self_signed_from_seed([seed; 32]).unwrap())
}

/// A self-signed ECDSA P-256 certificate of about `target` bytes (DER):
/// its subjectAltName lists as many DNS names as it takes. Reproducible:
/// the key comes from `seed` and signing is RFC 6979 deterministic. Its
/// Certificate message does not fit one 1200-byte datagram, so every flight
/// carrying it is fragmented.
pub fn large_certificate(seed: u8, target: usize) -> Arc<Certificate> {
    use p256::pkcs8::EncodePrivateKey;
    let mut scalar = [seed; 32];
    scalar[0] = 0x11; // below the group order whatever the seed
    let secret = p256::SecretKey::from_slice(&scalar).unwrap();
    let pkcs8 = secret.to_pkcs8_der().unwrap();
    let key = EcdsaSigningKey::from_pkcs8(pkcs8.as_bytes()).unwrap();
    // ~32 bytes per name.
    let names: Vec<String> = (0..target / 32)
        .map(|i| format!("host-{i:04}.large-chain.zerortc.invalid"))
        .collect();
    let mut params = rcgen::CertificateParams::new(names).unwrap();
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "zerortc large certificate");
    let cert = params.self_signed(&key).unwrap();
    Arc::new(Certificate::from_der_and_pkcs8(cert.der().to_vec(), pkcs8.as_bytes()).unwrap())
}

/// Client and server configurations that check each other's SHA-256
/// fingerprint, with RNGs seeded from `seed` (the same seed, the same run).
pub fn configs(
    client: &Arc<Certificate>,
    server: &Arc<Certificate>,
    seed: u64,
) -> (DtlsConfig, DtlsConfig) {
    let mut c = DtlsConfig::new(
        client.clone(),
        Some(server.fingerprint(FingerprintAlgorithm::Sha256)),
    );
    let mut s = DtlsConfig::new(
        server.clone(),
        Some(client.fingerprint(FingerprintAlgorithm::Sha256)),
    );
    let rng_seed = |tag: u8| {
        let mut bytes = [tag; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes
    };
    c.rng_seed = Some(rng_seed(0xC1));
    s.rng_seed = Some(rng_seed(0x5E));
    (c, s)
}

/// A finished run: the simulator and both peers.
pub struct Run {
    /// The simulator (virtual clock, counters).
    pub sim: NetSim,
    /// The client (side A).
    pub client: DtlsPeer,
    /// The server (side B).
    pub server: DtlsPeer,
    /// When the run started.
    pub start: Instant,
    /// Whether `drive` stopped because both sides reported an outcome.
    pub settled: bool,
}

impl Run {
    /// Virtual time spent.
    pub fn elapsed(&self) -> Duration {
        self.sim.now() - self.start
    }
}

/// Starts a client and a server on `sim`.
pub fn start(sim: NetSim, client: DtlsConfig, server: DtlsConfig) -> Run {
    let start = sim.now();
    Run {
        client: DtlsPeer::new(DtlsConnection::new_client(client, start).unwrap()),
        server: DtlsPeer::new(DtlsConnection::new_server(server).unwrap()),
        sim,
        start,
        settled: false,
    }
}

/// Drives `run` until both sides report an outcome (connected or failed),
/// nothing is left to do, or `limit` of virtual time passes.
pub fn settle(run: &mut Run, limit: Duration) {
    let deadline = run.start + limit;
    run.settled = netsim::drive(
        &mut run.sim,
        &mut run.client,
        &mut run.server,
        deadline,
        |_, c, s| c.outcome().is_some() && s.outcome().is_some(),
    );
}

/// A handshake over `sim` from scratch to its outcome (`limit` of virtual
/// time at most).
pub fn handshake(sim: NetSim, client: DtlsConfig, server: DtlsConfig, limit: Duration) -> Run {
    let mut run = start(sim, client, server);
    settle(&mut run, limit);
    run
}
