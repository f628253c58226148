//! Two SCTP associations wired to the network simulator, for the
//! `sctp_*` integration tests.
#![allow(dead_code)]

use std::time::{Duration, Instant};

use crate::netsim::{Endpoint, LinkConfig, NetSim, drive};
use zerortc::sctp::{Association, AssociationState, Config, Event, Message};

/// An association plus what it delivered.
pub struct Peer {
    pub assoc: Association,
    pub messages: Vec<Message>,
    pub events: Vec<Event>,
    pub bad_packets: usize,
    /// While set, events stay queued in the association (a slow reader).
    pub paused: bool,
}

impl Peer {
    pub fn new(config: Config, now: Instant) -> Self {
        Self {
            assoc: Association::new(config, now),
            messages: Vec::new(),
            events: Vec::new(),
            bad_packets: 0,
            paused: false,
        }
    }

    /// Takes the association's events (unless paused).
    pub fn drain(&mut self) {
        if self.paused {
            return;
        }
        while let Some(e) = self.assoc.poll_event() {
            match e {
                Event::Message(m) => self.messages.push(m),
                other => self.events.push(other),
            }
        }
    }

    pub fn connected(&self) -> bool {
        self.assoc.state() == AssociationState::Established
    }
}

impl Endpoint for Peer {
    fn receive(&mut self, now: Instant, datagram: &[u8]) {
        if self.assoc.handle_receive(now, datagram).is_err() {
            self.bad_packets += 1;
        }
        self.drain();
    }
    fn transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        self.assoc.poll_transmit(now, buf)
    }
    fn next_timeout(&self) -> Option<Instant> {
        self.assoc.poll_timeout()
    }
    fn timeout(&mut self, now: Instant) {
        self.assoc.handle_timeout(now);
        self.drain();
    }
}

pub fn config(seed: u64) -> Config {
    Config {
        seed,
        ..Config::default()
    }
}

/// Two associations that both connect (as WebRTC peers do) and are up.
pub fn connected_pair(seed: u64, link: LinkConfig) -> (NetSim, Peer, Peer) {
    connected_pair_with(seed, link, config(seed ^ 0xA), config(seed ^ 0xB))
}

pub fn connected_pair_with(
    seed: u64,
    link: LinkConfig,
    ca: Config,
    cb: Config,
) -> (NetSim, Peer, Peer) {
    let mut sim = NetSim::new(seed, link);
    let now = sim.now();
    let mut a = Peer::new(ca, now);
    let mut b = Peer::new(cb, now);
    a.assoc.connect(now);
    b.assoc.connect(now);
    let deadline = now + Duration::from_secs(120);
    assert!(
        drive(&mut sim, &mut a, &mut b, deadline, |_, a, b| a.connected()
            && b.connected()),
        "handshake did not complete"
    );
    assert_eq!(a.events.first(), Some(&Event::Connected));
    assert_eq!(b.events.first(), Some(&Event::Connected));
    (sim, a, b)
}

/// Deterministic content of message `i` of `len` bytes: the index in the
/// first 8 bytes (as far as they fit), then a pattern depending on both.
pub fn pattern(i: usize, len: usize) -> Vec<u8> {
    let id = (i as u64).to_le_bytes();
    (0..len)
        .map(|k| match id.get(k) {
            Some(&b) => b,
            None => (i.wrapping_mul(31) ^ k.wrapping_mul(7) ^ (k >> 8)) as u8,
        })
        .collect()
}
