//! Data channels over DTLS 1.2 under the network simulator (RFC 8261):
//! two endpoints, each a `DtlsConnection` (client / server) carrying a
//! `DataChannels` association in its application data records, handshake
//! and data under loss, reordering, duplication and jitter on a 1200-byte
//! path. Every message on a reliable channel arrives exactly once, byte
//! for byte, in order on ordered channels; nothing crosses the wire in
//! the clear once DTLS is up.

mod netsim;

use std::sync::Arc;
use std::time::{Duration, Instant};

use netsim::{Endpoint, LinkConfig, NetSim, drive};
use zerortc::crypto::{Certificate, FingerprintAlgorithm};
use zerortc::datachannel::{ChannelOptions, DataChannelEvent, DataChannels, DtlsRole};
use zerortc::dtls::{
    DtlsConfig, DtlsConnection, DtlsEvent, GCM_RECORD_OVERHEAD, RECORD_HEADER_LEN,
};
use zerortc::sctp::Config;

/// The path MTU, and the SCTP packet size that fits it inside one
/// AES-GCM application data record (RFC 8261 §5).
const PATH_MTU: usize = 1200;
const SCTP_MTU: usize = PATH_MTU - RECORD_HEADER_LEN - GCM_RECORD_OVERHEAD;

struct Peer {
    dtls: DtlsConnection,
    dc: DataChannels,
    /// The association was started (DTLS connected).
    started: bool,
    events: Vec<DataChannelEvent>,
    sctp_buf: Vec<u8>,
    scratch: Vec<u8>,
    /// Datagrams that arrived: DTLS records, never bare SCTP.
    datagrams: u64,
    records_in: u64,
    dtls_errors: u64,
}

impl Peer {
    fn new(dtls: DtlsConnection, role: DtlsRole, seed: u64, now: Instant) -> Self {
        let config = Config {
            seed,
            mtu: SCTP_MTU,
            zero_checksum: true,
            ..Config::default()
        };
        Self {
            dtls,
            dc: DataChannels::new(config, role, now),
            started: false,
            events: Vec::new(),
            sctp_buf: vec![0; 1500],
            scratch: vec![0; 2048],
            datagrams: 0,
            records_in: 0,
            dtls_errors: 0,
        }
    }

    fn drain(&mut self, now: Instant) {
        while let Some(e) = self.dtls.poll_event() {
            match e {
                DtlsEvent::Connected(_) => {
                    // Both sides start SCTP once DTLS is up (RFC 8841: both
                    // send INIT; the association resolves the collision).
                    self.dc.connect(now);
                    self.started = true;
                }
                DtlsEvent::ApplicationData(data) => {
                    self.records_in += 1;
                    let _ = self.dc.handle_receive(now, &data);
                }
                DtlsEvent::Closed | DtlsEvent::Failed(_) => {}
            }
        }
        while let Some(e) = self.dc.poll_event() {
            self.events.push(e);
        }
    }

    fn messages(&self, id: u16) -> Vec<&[u8]> {
        self.events
            .iter()
            .filter_map(|e| match e {
                DataChannelEvent::Message { id: i, data, .. } if *i == id => Some(data.as_slice()),
                _ => None,
            })
            .collect()
    }

    fn open(&self, id: u16) -> bool {
        self.events
            .iter()
            .any(|e| matches!(e, DataChannelEvent::Open { id: i, .. } if *i == id))
    }

    fn connected(&self) -> bool {
        self.events.contains(&DataChannelEvent::Connected)
    }
}

impl Endpoint for Peer {
    fn receive(&mut self, now: Instant, datagram: &[u8]) {
        self.datagrams += 1;
        // RFC 7983: every datagram on this path is DTLS (first byte 20..=63).
        assert!(
            datagram.first().is_some_and(|b| (20..=63).contains(b)),
            "a datagram that is not DTLS crossed the wire"
        );
        let Some(buf) = self.scratch.get_mut(..datagram.len()) else {
            return;
        };
        buf.copy_from_slice(datagram);
        match self.dtls.handle_read_in_place(now, buf) {
            Ok(Some(plain)) => {
                self.records_in += 1;
                let _ = self.dc.handle_receive(now, plain);
            }
            Ok(None) => {}
            // Duplicates are refused by the replay window; a lost flight
            // is retransmitted: both are expected under impairment.
            Err(_) => self.dtls_errors += 1,
        }
        self.drain(now);
    }

    fn transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        if let Some(d) = self.dtls.poll_write() {
            buf.get_mut(..d.len())?.copy_from_slice(&d);
            return Some(d.len());
        }
        if !self.dtls.is_connected() {
            return None;
        }
        let n = self.dc.poll_transmit(now, &mut self.sctp_buf)?;
        let packet = self.sctp_buf.get(..n)?;
        let sealed = self.dtls.seal_application_data(packet, buf);
        Some(sealed.expect("seal an SCTP packet"))
    }

    fn next_timeout(&self) -> Option<Instant> {
        let sctp = if self.started {
            self.dc.poll_timeout()
        } else {
            None
        };
        [self.dtls.poll_timeout(), sctp].into_iter().flatten().min()
    }

    fn timeout(&mut self, now: Instant) {
        if self.dtls.poll_timeout().is_some_and(|t| t <= now) {
            let _ = self.dtls.handle_timeout(now);
        }
        if self.started {
            self.dc.handle_timeout(now);
        }
        self.drain(now);
    }
}

fn link(loss: f64) -> LinkConfig {
    LinkConfig {
        loss,
        duplicate: 0.01,
        reorder: 0.02,
        delay: Duration::from_millis(20),
        jitter: Duration::from_millis(5),
        mtu: Some(PATH_MTU),
        oversize_is_error: true,
        ..LinkConfig::default()
    }
}

/// A DTLS client (A, even channel ids) and server (B, odd ids) on the
/// simulator, handshake not started.
fn peers(seed: u64, link: LinkConfig) -> (NetSim, Peer, Peer) {
    let sim = NetSim::new(seed, link);
    let now = sim.now();
    let cert = |s: u8| Arc::new(Certificate::generate_self_signed_from_seed([s; 32]).unwrap());
    let (ca, cb) = (cert(1), cert(2));
    let mut client = DtlsConfig::new(
        ca.clone(),
        Some(cb.fingerprint(FingerprintAlgorithm::Sha256)),
    );
    client.srtp_profiles.clear();
    client.rng_seed = Some([seed as u8; 32]);
    let mut server = DtlsConfig::new(cb, Some(ca.fingerprint(FingerprintAlgorithm::Sha256)));
    server.srtp_profiles.clear();
    server.rng_seed = Some([seed as u8 ^ 0xff; 32]);
    let a = Peer::new(
        DtlsConnection::new_client(client, now).unwrap(),
        DtlsRole::Client,
        seed * 2 + 1,
        now,
    );
    let b = Peer::new(
        DtlsConnection::new_server(server).unwrap(),
        DtlsRole::Server,
        seed * 2 + 2,
        now,
    );
    (sim, a, b)
}

fn message(i: usize) -> Vec<u8> {
    let len = [1, 100, 1200, 5000, 64 * 1024][i % 5];
    let id = (i as u32).to_le_bytes();
    (0..len)
        .map(|k| match id.get(k) {
            Some(&b) => b,
            None => (i.wrapping_mul(31) ^ k.wrapping_mul(7) ^ (k >> 8)) as u8,
        })
        .collect()
}

/// Handshakes, opens an ordered and an unordered reliable channel from A
/// (DCEP), sends `count` messages spread over both and checks B's copy.
fn run(seed: u64, loss: f64, count: usize) {
    let (mut sim, mut a, mut b) = peers(seed, link(loss));
    let deadline = sim.now() + Duration::from_secs(600);
    assert!(
        drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| a.connected()
            && b.connected()),
        "loss {loss}: DTLS + SCTP did not connect"
    );
    assert!(
        a.dc.association().sends_zero_checksum(),
        "RFC 9653 over DTLS"
    );
    // Both ends log the same NSS key log line (client random, master secret).
    let line = a.dtls.key_log_line().unwrap();
    assert_eq!(b.dtls.key_log_line().as_deref(), Some(line.as_str()));
    assert!(line.starts_with("CLIENT_RANDOM ") && line.len() == 14 + 64 + 1 + 96);
    let now = sim.now();
    let ordered =
        a.dc.create_channel(
            now,
            ChannelOptions {
                label: "ordered".into(),
                ..ChannelOptions::default()
            },
        )
        .unwrap();
    let unordered =
        a.dc.create_channel(
            now,
            ChannelOptions {
                label: "unordered".into(),
                ordered: false,
                ..ChannelOptions::default()
            },
        )
        .unwrap();
    let mut next = 0;
    let deadline = sim.now() + Duration::from_secs(3600);
    let ok = drive(&mut sim, &mut a, &mut b, deadline, |sim, a, b| {
        if a.open(ordered) && a.open(unordered) {
            while next < count && a.dc.association().send_buffer_used() < 400_000 {
                let id = if next % 3 == 2 { unordered } else { ordered };
                a.dc.send(sim.now(), id, &message(next), true).unwrap();
                next += 1;
            }
        }
        b.messages(ordered).len() + b.messages(unordered).len() == count
    });
    assert!(ok, "loss {loss}: not every message arrived");
    // Ordered: exactly the sent sequence. Unordered: each exactly once.
    let sent_ordered: Vec<Vec<u8>> = (0..count).filter(|i| i % 3 != 2).map(message).collect();
    let got: Vec<&[u8]> = b.messages(ordered);
    assert_eq!(got.len(), sent_ordered.len(), "loss {loss}");
    for (j, (got, sent)) in got.iter().zip(&sent_ordered).enumerate() {
        assert!(*got == sent.as_slice(), "loss {loss}: ordered message {j}");
    }
    let mut sent_unordered: Vec<Vec<u8>> = (0..count).filter(|i| i % 3 == 2).map(message).collect();
    let mut got: Vec<Vec<u8>> = b.messages(unordered).iter().map(|m| m.to_vec()).collect();
    sent_unordered.sort();
    got.sort();
    assert!(got == sent_unordered, "loss {loss}: unordered messages");
    // Everything travelled as DTLS records, and the impairments happened.
    let stats = sim.stats();
    assert!(b.records_in > 0 && a.records_in > 0);
    assert!(a.datagrams + b.datagrams == stats.delivered);
    if loss > 0.0 {
        assert!(stats.lost > 0 && stats.duplicated > 0 && stats.reordered > 0);
        assert!(a.dc.association().retransmissions() > 0);
    }
}

#[test]
fn reliable_channels_over_dtls_without_loss() {
    run(1, 0.0, 300);
}

#[test]
fn reliable_channels_over_dtls_one_percent_loss() {
    run(2, 0.01, 300);
}

#[test]
fn reliable_channels_over_dtls_five_percent_loss() {
    run(3, 0.05, 300);
}

#[test]
fn reliable_channels_over_dtls_ten_percent_loss() {
    run(4, 0.10, 300);
}
