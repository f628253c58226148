//! Two `RTCPeerConnection`s back to back in memory, on one core, with a
//! virtual clock: the whole stack end to end (SDP offer/answer, ICE, DTLS,
//! SCTP over DTLS, SRTP), every datagram handed from one `poll_write`
//! straight to the other's `handle_read`.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use zerortc::crypto::Certificate;
use zerortc::peer::{
    DataChannelId, MediaKind, MediaStreamTrack, PeerError, PeerEvent, Protocol, RTCConfiguration,
    RTCDataChannelInit, RTCOfferOptions, RTCPeerConnection, RTCPeerConnectionState, TaggedPacket,
    TransceiverId,
};

/// Most bytes queued on the sending channel during a transfer: enough to
/// keep the pipe full, bounded so pools stop growing after warm-up.
pub const PEER_SEND_QUEUE_BYTES: usize = 1024 * 1024;

/// The two DTLS certificates, made once (browsers also make them ahead,
/// `RTCPeerConnection.generateCertificate`): setup figures leave out
/// ECDSA key generation.
#[derive(Debug, Clone)]
pub struct PeerCertificates(pub [Arc<Certificate>; 2]);

impl PeerCertificates {
    /// Deterministic certificates.
    pub fn new() -> Result<Self, zerortc::crypto::CryptoError> {
        Ok(Self([
            Arc::new(Certificate::generate_self_signed_from_seed([0xA1; 32])?),
            Arc::new(Certificate::generate_self_signed_from_seed([0xB2; 32])?),
        ]))
    }
}

/// The virtual clock of a two-peer loop once both sides are quiet: the
/// earliest pending timer, or 1 ms on when none is later than `now`. Every
/// stack in `peers_peer` advances by this one rule, so their runs compare.
pub fn next_virtual_time(
    now: Instant,
    timers: impl IntoIterator<Item = Option<Instant>>,
) -> Instant {
    match timers.into_iter().flatten().min() {
        Some(t) if t > now => t,
        _ => now + Duration::from_millis(1),
    }
}

/// What the pair negotiates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeerSetup {
    /// One reliable ordered data channel from A.
    pub data: bool,
    /// One video track from A (VP8, payload type 96).
    pub media: bool,
    /// RNG seed (the pair is reproducible under it).
    pub seed: u64,
}

/// Two connected peer connections (A offers and sends, B answers and
/// receives).
#[derive(Debug)]
pub struct PeerPair {
    /// The offerer.
    pub a: RTCPeerConnection,
    /// The answerer.
    pub b: RTCPeerConnection,
    now: Instant,
    addrs: [SocketAddr; 2],
    channel: Option<DataChannelId>,
    video: Option<TransceiverId>,
    payload: Vec<u8>,
    rtp: Vec<u8>,
    seq: u16,
    received: u64,
    received_bytes: u64,
    received_rtp: u64,
}

fn err(text: &'static str) -> PeerError {
    PeerError::InvalidDescription(text.into())
}

impl PeerPair {
    /// Creates both connections, negotiates (SDP text both ways), and
    /// runs them until connected, with the data channel open on both sides
    /// and B's track announced. This is the "offer to connected" work.
    pub fn connect(setup: PeerSetup, certs: &PeerCertificates) -> Result<PeerPair, PeerError> {
        Self::connect_with(setup, false, certs)
    }

    /// As [`connect`](Self::connect), plus one audio track from A (added
    /// before the video track): the pair is connected when B has announced
    /// both tracks. The audio/video setup of the `peers_peer` comparison.
    pub fn connect_with_audio(
        setup: PeerSetup,
        certs: &PeerCertificates,
    ) -> Result<PeerPair, PeerError> {
        Self::connect_with(setup, true, certs)
    }

    fn connect_with(
        setup: PeerSetup,
        audio: bool,
        certs: &PeerCertificates,
    ) -> Result<PeerPair, PeerError> {
        let now = Instant::now();
        let config = |i: usize| RTCConfiguration {
            rng_seed: Some(setup.seed * 2 + i as u64),
            certificates: vec![Arc::clone(&certs.0[i])],
            ..RTCConfiguration::default()
        };
        let addrs = [
            SocketAddr::from(([10, 0, 0, 1], 5000)),
            SocketAddr::from(([10, 0, 0, 2], 5000)),
        ];
        let mut a = RTCPeerConnection::new(config(0))?;
        let mut b = RTCPeerConnection::new(config(1))?;
        a.add_local_address(addrs[0]);
        b.add_local_address(addrs[1]);
        let channel = if setup.data {
            Some(a.create_data_channel("bench", RTCDataChannelInit::default())?)
        } else {
            None
        };
        if audio {
            a.add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "s"))?;
        }
        let video = if setup.media {
            Some(a.add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))?)
        } else {
            None
        };
        let offer = a.create_offer(RTCOfferOptions::default())?;
        a.set_local_description(now, offer.clone())?;
        b.set_remote_description(now, offer)?;
        let answer = b.create_answer()?;
        b.set_local_description(now, answer.clone())?;
        a.set_remote_description(now, answer)?;
        let mut pair = PeerPair {
            a,
            b,
            now,
            addrs,
            channel,
            video,
            payload: Vec::new(),
            rtp: Vec::new(),
            seq: 0,
            received: 0,
            received_bytes: 0,
            received_rtp: 0,
        };
        // Candidates are in the descriptions (host candidates gather at
        // once): no trickle needed.
        let mut open = [!setup.data, !setup.data];
        let mut tracks = usize::from(setup.media) + usize::from(audio);
        for _ in 0..10_000 {
            pair.pump_with(|side, event| match event {
                PeerEvent::DataChannelOpen(_) => open[side] = true,
                PeerEvent::Track { .. } if side == 1 => tracks = tracks.saturating_sub(1),
                _ => {}
            });
            let track = tracks == 0;
            let connected = [&pair.a, &pair.b]
                .iter()
                .all(|pc| pc.connection_state() == RTCPeerConnectionState::Connected);
            if connected && open[0] && open[1] && track {
                return Ok(pair);
            }
            if pair.now - now > Duration::from_secs(30) {
                break;
            }
        }
        Err(err("the pair did not connect"))
    }

    /// Sets the size of the messages [`transfer`](Self::transfer) sends.
    pub fn set_message_size(&mut self, size: usize) {
        self.payload = (0..size).map(|i| (i * 7 + 3) as u8).collect();
    }

    /// Sets the payload size of the RTP packets [`send_rtp`](Self::send_rtp)
    /// sends (a 12-byte header plus this).
    pub fn set_rtp_payload(&mut self, size: usize) {
        let header = zerortc::rtp::RtpHeader::new(96, 0, 0, 0);
        let payload = vec![0x5A; size];
        self.rtp = vec![0; 12 + size];
        if let Ok(n) = header.marshal_packet(&payload, &mut self.rtp) {
            self.rtp.truncate(n);
        }
    }

    /// Messages B has received so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// RTP packets B has received so far.
    pub fn received_rtp(&self) -> u64 {
        self.received_rtp
    }

    /// Sends `count` messages from A and moves datagrams until B has them
    /// all (buffers recycled). Returns the bytes delivered.
    pub fn transfer(&mut self, count: u64) -> Result<u64, PeerError> {
        let channel = self.channel.ok_or_else(|| err("no data channel"))?;
        let target = self.received + count;
        let bytes = self.received_bytes;
        let mut sent = 0;
        let mut idle = 0;
        while self.received < target {
            while sent < count {
                let mut dc = self
                    .a
                    .data_channel(channel)
                    .ok_or_else(|| err("no data channel"))?;
                if dc.buffered_amount() >= PEER_SEND_QUEUE_BYTES {
                    break;
                }
                dc.send(&self.payload)?;
                sent += 1;
            }
            let before = self.received;
            self.pump();
            idle = if self.received == before { idle + 1 } else { 0 };
            if idle > 10_000 {
                return Err(err("transfer stalled"));
            }
        }
        Ok(self.received_bytes - bytes)
    }

    /// Sends `count` RTP packets on A's video sender (sequence numbers
    /// running on) and moves datagrams until B has them all. Returns the
    /// packets delivered.
    pub fn send_rtp(&mut self, count: u64) -> Result<u64, PeerError> {
        let video = self.video.ok_or_else(|| err("no video sender"))?;
        let target = self.received_rtp + count;
        for _ in 0..count {
            self.seq = self.seq.wrapping_add(1);
            let seq = self.seq.to_be_bytes();
            if let Some(field) = self.rtp.get_mut(2..4) {
                field.copy_from_slice(&seq);
            }
            self.a.write_rtp(video, &self.rtp)?;
        }
        let mut idle = 0;
        while self.received_rtp < target {
            let before = self.received_rtp;
            self.pump();
            idle = if self.received_rtp == before {
                idle + 1
            } else {
                0
            };
            if idle > 100 {
                return Err(err("RTP lost"));
            }
        }
        Ok(count)
    }

    /// One message from A to B, the latency path only: `send`, A's
    /// datagrams into B, B's events until the message is out (recycled).
    /// What it leaves behind (B's SACK, A's timers) is left for
    /// [`settle`](Self::settle), outside the measurement.
    pub fn one_way(&mut self) -> Result<(), PeerError> {
        let channel = self.channel.ok_or_else(|| err("no data channel"))?;
        let target = self.received + 1;
        self.a
            .data_channel(channel)
            .ok_or_else(|| err("no data channel"))?
            .send(&self.payload)?;
        let [addr_a, addr_b] = self.addrs;
        while let Some(tx) = self.a.poll_write() {
            let _ = self.b.handle_read(
                self.now,
                TaggedPacket {
                    local: addr_b,
                    peer: addr_a,
                    protocol: Protocol::Udp,
                    data: tx.data,
                },
            );
        }
        while let Some(event) = self.b.poll_event() {
            if let PeerEvent::DataChannelMessage { data, .. } = event {
                self.received += 1;
                self.received_bytes += data.len() as u64;
                self.b.recycle(data);
            }
        }
        let mut idle = 0;
        while self.received < target {
            self.pump();
            idle += 1;
            if idle > 10_000 {
                return Err(err("message lost"));
            }
        }
        Ok(())
    }

    /// Moves whatever is left (acknowledgements, timers) until quiet.
    pub fn settle(&mut self) {
        self.pump();
    }

    /// Runs `d` of virtual time with nothing sent (timers only: consent
    /// checks, heartbeats).
    pub fn idle(&mut self, d: Duration) {
        let end = self.now + d;
        while self.now < end {
            self.pump();
        }
    }

    fn pump(&mut self) {
        self.pump_with(|_, _| {});
    }

    /// Moves datagrams both ways until quiet, handing every event to `f`
    /// (messages and packets are counted and recycled), then advances the
    /// virtual clock to the next timer and runs it.
    fn pump_with(&mut self, mut f: impl FnMut(usize, &PeerEvent)) {
        let [addr_a, addr_b] = self.addrs;
        loop {
            let mut moved = false;
            while let Some(tx) = self.a.poll_write() {
                let _ = self.b.handle_read(
                    self.now,
                    TaggedPacket {
                        local: addr_b,
                        peer: addr_a,
                        protocol: Protocol::Udp,
                        data: tx.data,
                    },
                );
                moved = true;
            }
            while let Some(tx) = self.b.poll_write() {
                let _ = self.a.handle_read(
                    self.now,
                    TaggedPacket {
                        local: addr_a,
                        peer: addr_b,
                        protocol: Protocol::Udp,
                        data: tx.data,
                    },
                );
                moved = true;
            }
            for side in 0..2 {
                loop {
                    let pc = if side == 0 { &mut self.a } else { &mut self.b };
                    let Some(event) = pc.poll_event() else { break };
                    f(side, &event);
                    match event {
                        PeerEvent::DataChannelMessage { data, .. } => {
                            if side == 1 {
                                self.received += 1;
                                self.received_bytes += data.len() as u64;
                            }
                            pc.recycle(data);
                        }
                        PeerEvent::Rtp { packet, .. } => {
                            if side == 1 {
                                self.received_rtp += 1;
                            }
                            pc.recycle(packet);
                        }
                        PeerEvent::Rtcp { packet } => pc.recycle(packet),
                        _ => {}
                    }
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        self.now = next_virtual_time(self.now, [self.a.poll_timeout(), self.b.poll_timeout()]);
        for pc in [&mut self.a, &mut self.b] {
            if pc.poll_timeout().is_some_and(|t| t <= self.now) {
                let _ = pc.handle_timeout(self.now);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connects_and_moves_messages_and_packets() {
        let certs = PeerCertificates::new().unwrap();
        let mut pair = PeerPair::connect(
            PeerSetup {
                data: true,
                media: true,
                seed: 1,
            },
            &certs,
        )
        .unwrap();
        pair.set_message_size(1024);
        assert_eq!(pair.transfer(100).unwrap(), 100 * 1024);
        pair.set_rtp_payload(1000);
        assert_eq!(pair.send_rtp(50).unwrap(), 50);
        assert_eq!(pair.received_rtp(), 50);
        pair.idle(Duration::from_secs(60));
        assert_eq!(pair.a.connection_state(), RTCPeerConnectionState::Connected);
    }

    #[test]
    fn connects_with_audio_and_video() {
        let certs = PeerCertificates::new().unwrap();
        let mut pair = PeerPair::connect_with_audio(
            PeerSetup {
                data: false,
                media: true,
                seed: 3,
            },
            &certs,
        )
        .unwrap();
        // B has a receiver for each track; RTP is routed to the video one.
        assert_eq!(pair.b.get_receivers().len(), 2);
        pair.set_rtp_payload(1188);
        assert_eq!(pair.send_rtp(20).unwrap(), 20);
        assert_eq!(pair.received_rtp(), 20);
    }
}
