//! Two `RTCPeerConnection`s on the deterministic network simulator
//! (`tests/sim`), with a signaling channel the test controls: offers,
//! answers and trickled candidates go through it, in order or not.
#![allow(dead_code)]

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zerortc::peer::*;

use crate::sim::{LinkConditions, Network};

/// One peer on the network.
pub struct Peer {
    pub pc: RTCPeerConnection,
    pub addr: SocketAddr,
    /// Events not yet looked at by the test (candidates excluded).
    pub events: Vec<PeerEvent>,
    /// Candidates it trickled that the test has not signalled yet.
    pub outbox: Vec<RTCIceCandidateInit>,
}

impl Peer {
    /// Removes and returns the events matching `f`.
    pub fn take(&mut self, mut f: impl FnMut(&PeerEvent) -> bool) -> Vec<PeerEvent> {
        let (hit, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.events)
            .into_iter()
            .partition(|e| f(e));
        self.events = rest;
        hit
    }

    /// Whether an event matching `f` is waiting.
    pub fn saw(&self, f: impl Fn(&PeerEvent) -> bool) -> bool {
        self.events.iter().any(f)
    }

    /// The messages received so far on any channel, as (channel, bytes);
    /// buffers are recycled.
    pub fn messages(&mut self) -> Vec<(DataChannelId, Vec<u8>)> {
        let taken = self.take(|e| matches!(e, PeerEvent::DataChannelMessage { .. }));
        taken
            .into_iter()
            .filter_map(|e| match e {
                PeerEvent::DataChannelMessage { channel, data, .. } => {
                    let bytes = data.to_vec();
                    self.pc.recycle(data);
                    Some((channel, bytes))
                }
                _ => None,
            })
            .collect()
    }

    /// The RTP packets received so far, as (transceiver, bytes).
    pub fn rtp(&mut self) -> Vec<(TransceiverId, Vec<u8>)> {
        let taken = self.take(|e| matches!(e, PeerEvent::Rtp { .. }));
        taken
            .into_iter()
            .filter_map(|e| match e {
                PeerEvent::Rtp {
                    transceiver,
                    packet,
                    ..
                } => {
                    let bytes = packet.to_vec();
                    self.pc.recycle(packet);
                    Some((transceiver, bytes))
                }
                _ => None,
            })
            .collect()
    }
}

/// Two peers, a network, a signaling channel.
pub struct World {
    pub net: Network,
    pub peers: [Peer; 2],
    /// Signal trickled candidates at once (otherwise they wait in each
    /// peer's `outbox`).
    pub auto_trickle: bool,
}

pub fn config(seed: u64) -> RTCConfiguration {
    RTCConfiguration {
        rng_seed: Some(seed),
        ..RTCConfiguration::default()
    }
}

impl World {
    /// Two peers at 10.0.0.1:5000 and 10.0.0.2:5000 over `conditions`.
    pub fn new(seed: u64, conditions: LinkConditions) -> World {
        Self::with_configs(seed, conditions, config(seed * 2 + 1), config(seed * 2 + 2))
    }

    pub fn with_configs(
        seed: u64,
        conditions: LinkConditions,
        a: RTCConfiguration,
        b: RTCConfiguration,
    ) -> World {
        let peer = |config: RTCConfiguration, ip: [u8; 4]| {
            let addr = SocketAddr::from((ip, 5000));
            let mut pc = RTCPeerConnection::new(config).expect("peer connection");
            pc.add_local_address(addr);
            Peer {
                pc,
                addr,
                events: Vec::new(),
                outbox: Vec::new(),
            }
        };
        World {
            net: Network::new(seed, conditions),
            peers: [peer(a, [10, 0, 0, 1]), peer(b, [10, 0, 0, 2])],
            auto_trickle: true,
        }
    }

    pub fn now(&self) -> Instant {
        self.net.now()
    }

    pub fn a(&mut self) -> &mut RTCPeerConnection {
        &mut self.peers[0].pc
    }

    pub fn b(&mut self) -> &mut RTCPeerConnection {
        &mut self.peers[1].pc
    }

    /// Offer from `offerer`, answer from the other, over the signaling
    /// channel (SLD/SRD with SDP text).
    pub fn negotiate(&mut self, offerer: usize) {
        let now = self.now();
        let answerer = 1 - offerer;
        let offer = self.peers[offerer]
            .pc
            .create_offer(RTCOfferOptions::default())
            .expect("create_offer");
        self.peers[offerer]
            .pc
            .set_local_description(now, offer.clone())
            .expect("SLD(offer)");
        self.peers[answerer]
            .pc
            .set_remote_description(now, offer)
            .expect("SRD(offer)");
        let answer = self.peers[answerer]
            .pc
            .create_answer()
            .expect("create_answer");
        self.peers[answerer]
            .pc
            .set_local_description(now, answer.clone())
            .expect("SLD(answer)");
        self.peers[offerer]
            .pc
            .set_remote_description(now, answer)
            .expect("SRD(answer)");
        self.pump();
    }

    /// Signals every waiting candidate of `from` to the other peer.
    pub fn signal_candidates(&mut self, from: usize) {
        let outbox = std::mem::take(&mut self.peers[from].outbox);
        for c in outbox {
            self.peers[1 - from]
                .pc
                .add_ice_candidate(c)
                .expect("add_ice_candidate");
        }
    }

    /// Moves datagrams due now and collects events, until quiet.
    pub fn pump(&mut self) {
        loop {
            let mut moved = false;
            for i in 0..2 {
                let from = self.peers[i].addr;
                while let Some(tx) = self.peers[i].pc.poll_write() {
                    self.net.send(from, tx.peer, tx.data);
                    moved = true;
                }
                while let Some(e) = self.peers[i].pc.poll_event() {
                    match e {
                        PeerEvent::IceCandidate(Some(c)) => self.peers[i].outbox.push(c),
                        e => self.peers[i].events.push(e),
                    }
                }
                if self.auto_trickle && !self.peers[i].outbox.is_empty() {
                    let has_remote = self.peers[1 - i].pc.remote_description().is_some();
                    if has_remote {
                        self.signal_candidates(i);
                        moved = true;
                    }
                }
            }
            let now = self.now();
            while let Some(d) = self.net.deliver_due() {
                moved = true;
                for p in &mut self.peers {
                    if p.addr == d.to {
                        let _ = p.pc.handle_read(
                            now,
                            TaggedPacket {
                                local: d.to,
                                peer: d.from,
                                protocol: Protocol::Udp,
                                data: &d.data,
                            },
                        );
                    }
                }
            }
            if !moved {
                return;
            }
        }
    }

    /// Runs the network and timers until `done` or `limit` of virtual time.
    pub fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&mut World) -> bool) -> bool {
        let end = self.now() + limit;
        loop {
            self.pump();
            if done(self) {
                return true;
            }
            let next = [
                self.net.next_delivery(),
                self.peers[0].pc.poll_timeout(),
                self.peers[1].pc.poll_timeout(),
            ]
            .into_iter()
            .flatten()
            .min();
            let Some(next) = next.filter(|t| *t <= end) else {
                self.net.advance_to(end);
                self.pump();
                return done(self);
            };
            self.net.advance_to(next);
            let now = self.now();
            for p in &mut self.peers {
                if p.pc.poll_timeout().is_some_and(|t| t <= now) {
                    let _ = p.pc.handle_timeout(now);
                }
            }
        }
    }

    /// Runs for `d` of virtual time.
    pub fn run_for(&mut self, d: Duration) {
        self.run_until(d, |_| false);
    }

    pub fn connected(&self) -> bool {
        self.peers
            .iter()
            .all(|p| p.pc.connection_state() == RTCPeerConnectionState::Connected)
    }
}

/// An RTP packet with payload type `pt`.
pub fn rtp(pt: u8, seq: u16, ts: u32, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0; 12 + payload.len()];
    let n = zerortc::rtp::RtpHeader::new(pt, seq, ts, 0x1234_5678)
        .marshal_packet(payload, &mut out)
        .expect("marshal");
    out.truncate(n);
    out
}
