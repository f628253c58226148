//! str0m 0.25's `Rtc` (sans-I/O: `handle_input` / `poll_output` with an
//! `Instant`), configured for the comparison:
//!
//! - crypto provider `aws-lc-rs` (str0m's default; zerortc's AES-GCM is
//!   aws-lc too), made once and set on every `Rtc`; DTLS by dimpl (str0m's
//!   DTLS 1.2 crate, the version zerortc speaks), certificates ECDSA P-256
//!   from rcgen made beforehand (`set_dtls_cert`); str0m's RNG is not
//!   seedable;
//! - RTP mode (`set_rtp_mode(true)`): packets written whole with
//!   `StreamTx::write_rtp` and read as `Event::RtpPacket`, no packetizer
//!   (zerortc's `write_rtp` and `Rtp` event are the same level); no
//!   bandwidth estimation, no stats events (str0m's defaults);
//! - the send queue bounded like zerortc's: `set_sctp_max_buffered_amount`
//!   of [`PEER_SEND_QUEUE_BYTES`] (`Channel::write` refuses a message that
//!   does not fit, we pump and retry); everything else at str0m's defaults
//!   (SCTP by `sctp-proto`, MTU, codecs, header extensions);
//! - offer and answer go through `to_sdp_string` / `from_sdp_string`.
//!
//! Driven by str0m's contract: **every mutation** (`handle_input` with a
//! datagram or a timeout, `Channel::write`, `StreamTx::write_rtp`, the SDP
//! calls) **is followed by a drain of `poll_output` until
//! `Output::Timeout`** before the next one. Handing several datagrams in
//! before draining loses data (measured: of 5 RTP packets received in a
//! row, 4 never came out: the receive path keeps one pending packet).
//! So a `Transmit` (which borrows the `Rtc`) is copied into a reused
//! buffer and queued for the other side, which gets it after the sender's
//! drain. Messages come out as `Event::ChannelData` (an owned `Vec` per
//! message), RTP as `Event::RtpPacket`.
//!
//! What this contract costs: sctp-proto 0.10 walks every message in flight
//! on each `poll_transmit` (`expire_inflight_messages`), and str0m polls
//! SCTP on every `poll_output`; [`Str0mPair::set_batched_writes`] shows how
//! much of that a burst of writes with one drain (outside the contract)
//! saves.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use str0m::change::{SdpAnswer, SdpOffer};
use str0m::channel::ChannelId;
use str0m::config::{CryptoProvider, DtlsCert};
use str0m::format::Codec;
use str0m::media::{Direction, MediaKind, Mid, Pt};
use str0m::net::{Protocol, Receive};
use str0m::rtp::{RtpWrite, SeqNo};
use str0m::{Candidate, Event, Input, Output, Rtc};

use super::{
    PEER_RTP_PAYLOAD, PEER_SEND_QUEUE_BYTES, PeerCase, PeerWorkload, addr_a, addr_b, message,
};

fn certificate() -> DtlsCert {
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).expect("key");
    let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
    params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "str0m");
    let cert = params.self_signed(&key).expect("certificate");
    DtlsCert {
        certificate: cert.der().to_vec(),
        private_key: key.serialize_der(),
    }
}

/// What str0m's pairs are built from, made once.
#[derive(Clone)]
pub struct Str0mSetup {
    certs: [DtlsCert; 2],
    crypto: Arc<CryptoProvider>,
}

impl Str0mSetup {
    /// Two ECDSA P-256 certificates and the aws-lc-rs provider.
    pub fn new() -> Self {
        Self {
            certs: [certificate(), certificate()],
            crypto: Arc::new(str0m::crypto::from_feature_flags()),
        }
    }
}

impl Default for Str0mSetup {
    fn default() -> Self {
        Self::new()
    }
}

/// Datagrams on their way to one side, and what the sides counted.
#[derive(Default)]
struct Wire {
    /// Datagrams to A (index 0) and to B (index 1).
    to: [VecDeque<Vec<u8>>; 2],
    /// Emptied datagram buffers, reused.
    spare: Vec<Vec<u8>>,
    /// Next timeout each side asked for.
    next: [Option<Instant>; 2],
    received: u64,
    received_bytes: u64,
    received_rtp: u64,
}

impl Wire {
    /// Drains `rtc` (side `side`) until `Output::Timeout`, as str0m's
    /// contract requires after every mutation: datagrams are queued for
    /// the other side, events counted and handed to `f`. Returns whether
    /// anything came out.
    fn drain(&mut self, side: usize, rtc: &mut Rtc, f: &mut impl FnMut(usize, &Event)) -> bool {
        let mut any = false;
        loop {
            match rtc.poll_output().expect("poll_output") {
                Output::Timeout(t) => {
                    self.next[side] = Some(t);
                    return any;
                }
                Output::Transmit(t) => {
                    let mut buf = self.spare.pop().unwrap_or_default();
                    buf.clear();
                    buf.extend_from_slice(&t.contents);
                    self.to[1 - side].push_back(buf);
                }
                Output::Event(event) => {
                    if side == 1 {
                        match &event {
                            Event::ChannelData(data) => {
                                self.received += 1;
                                self.received_bytes += data.data.len() as u64;
                            }
                            Event::RtpPacket(_) => self.received_rtp += 1,
                            _ => {}
                        }
                    }
                    f(side, &event);
                }
            }
            any = true;
        }
    }
}

/// Two connected `Rtc`s, A offers and sends, B answers and receives.
pub struct Str0mPair {
    a: Rtc,
    b: Rtc,
    now: Instant,
    wire: Wire,
    channel: Option<ChannelId>,
    video: Option<(Mid, Pt)>,
    payload: Vec<u8>,
    rtp: Arc<[u8]>,
    seq: u64,
    batched_writes: bool,
}

impl Str0mPair {
    /// Creates both sides, negotiates and runs them until connected (see
    /// the module doc of [`super`] for what "connected" means per case).
    pub fn connect(case: PeerCase, setup: &Str0mSetup) -> Str0mPair {
        let now = Instant::now();
        let build = |i: usize| {
            Rtc::builder()
                .set_crypto_provider(Arc::clone(&setup.crypto))
                .set_dtls_cert(setup.certs[i].clone())
                .set_rtp_mode(true)
                .set_sctp_max_buffered_amount(PEER_SEND_QUEUE_BYTES)
                .build(now)
        };
        let mut a = build(0);
        let mut b = build(1);
        let mut wire = Wire::default();
        let mut ignore = |_: usize, _: &Event| {};
        a.add_local_candidate(Candidate::host(addr_a(), "udp").expect("candidate"));
        wire.drain(0, &mut a, &mut ignore);
        b.add_local_candidate(Candidate::host(addr_b(), "udp").expect("candidate"));
        wire.drain(1, &mut b, &mut ignore);
        let mut change = a.sdp_api();
        let (channel, video) = match case {
            PeerCase::Data => (Some(change.add_channel("bench".into())), None),
            PeerCase::AudioVideo => {
                change.add_media(MediaKind::Audio, Direction::SendOnly, None, None, None);
                let mid = change.add_media(MediaKind::Video, Direction::SendOnly, None, None, None);
                (None, Some(mid))
            }
        };
        let (offer, pending) = change.apply().expect("an offer");
        wire.drain(0, &mut a, &mut ignore);
        let offer = SdpOffer::from_sdp_string(&offer.to_sdp_string()).expect("offer parses");
        let answer = b.sdp_api().accept_offer(offer).expect("answer");
        wire.drain(1, &mut b, &mut ignore);
        let answer = SdpAnswer::from_sdp_string(&answer.to_sdp_string()).expect("answer parses");
        a.sdp_api()
            .accept_answer(pending, answer)
            .expect("answer accepted");
        // What this drain and the ones above yield before the pump (ICE
        // state changes) is not what the connect loop waits for.
        wire.drain(0, &mut a, &mut ignore);
        let video = video.map(|mid| {
            let pt = a
                .codec_config()
                .find(|p| p.spec().codec == Codec::Vp8)
                .map(|p| p.pt())
                .expect("VP8 offered");
            (mid, pt)
        });
        let mut pair = Str0mPair {
            a,
            b,
            now,
            wire,
            channel,
            video,
            payload: Vec::new(),
            rtp: vec![0x5A; PEER_RTP_PAYLOAD].into(),
            seq: 0,
            batched_writes: false,
        };
        let mut connected = [false; 2];
        let mut open = [case != PeerCase::Data; 2];
        let mut tracks: usize = if case == PeerCase::AudioVideo { 2 } else { 0 };
        for _ in 0..100_000 {
            pair.pump_with(&mut |side: usize, event: &Event| match event {
                Event::Connected => connected[side] = true,
                Event::ChannelOpen(..) => open[side] = true,
                Event::MediaAdded(_) if side == 1 => tracks = tracks.saturating_sub(1),
                _ => {}
            });
            if connected[0] && connected[1] && open[0] && open[1] && tracks == 0 {
                return pair;
            }
            assert!(
                pair.now - now < Duration::from_secs(30),
                "str0m pair did not connect"
            );
        }
        panic!("str0m pair did not connect");
    }

    fn pump(&mut self) {
        self.pump_with(&mut |_, _| {});
    }

    /// Delivers queued datagrams, each followed by a drain of the side
    /// that received it, until quiet; then advances the virtual clock to
    /// the next timeout (1 ms if none is later) and hands it to both sides
    /// (each drained after it).
    fn pump_with(&mut self, f: &mut impl FnMut(usize, &Event)) {
        loop {
            let mut moved = false;
            for side in 0..2 {
                let (rtc, source, destination) = if side == 0 {
                    (&mut self.a, addr_b(), addr_a())
                } else {
                    (&mut self.b, addr_a(), addr_b())
                };
                while let Some(buf) = self.wire.to[side].pop_front() {
                    let input = Input::Receive(
                        self.now,
                        Receive {
                            proto: Protocol::Udp,
                            source,
                            destination,
                            contents: buf.as_slice().try_into().expect("datagram"),
                        },
                    );
                    let _ = rtc.handle_input(input);
                    self.wire.spare.push(buf);
                    self.wire.drain(side, rtc, f);
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        self.now = crate::ops::next_virtual_time(self.now, self.wire.next.iter().copied());
        let _ = self.a.handle_input(Input::Timeout(self.now));
        self.wire.drain(0, &mut self.a, f);
        let _ = self.b.handle_input(Input::Timeout(self.now));
        self.wire.drain(1, &mut self.b, f);
    }

    /// Off by default. On: [`PeerWorkload::transfer`] writes its messages
    /// in a burst and drains A once after it, which str0m's contract
    /// ("every mutation must be followed by a complete drain of
    /// `poll_output`") does not allow, though it works for channel writes.
    /// sctp-proto scans every message in flight on each poll
    /// (`expire_inflight_messages`), so a drain after every write costs
    /// O(messages in flight) per message; this variant shows how much of
    /// str0m's data channel figure that is (`examples/peer_goals.rs`).
    pub fn set_batched_writes(&mut self, on: bool) {
        self.batched_writes = on;
    }

    /// Queues one message on A (drained after, as str0m requires, unless
    /// writes are batched); false when the send queue has no room for it.
    fn send(&mut self, channel: ChannelId) -> bool {
        let written = self
            .a
            .channel(channel)
            .expect("channel open")
            .write(true, &self.payload)
            .expect("write");
        if written && !self.batched_writes {
            self.wire.drain(0, &mut self.a, &mut |_, _| {});
        }
        written
    }
}

impl PeerWorkload for Str0mPair {
    fn set_message_size(&mut self, size: usize) {
        self.payload = message(size);
    }

    fn transfer(&mut self, count: u64) -> u64 {
        let channel = self.channel.expect("a data channel");
        let target = self.wire.received + count;
        let bytes = self.wire.received_bytes;
        let mut sent = 0;
        let mut idle = 0;
        while self.wire.received < target {
            while sent < count && self.send(channel) {
                sent += 1;
            }
            if self.batched_writes {
                self.wire.drain(0, &mut self.a, &mut |_, _| {});
            }
            let before = self.wire.received;
            self.pump();
            idle = if self.wire.received == before {
                idle + 1
            } else {
                0
            };
            assert!(idle < 10_000, "str0m transfer stalled");
        }
        self.wire.received_bytes - bytes
    }

    fn one_way(&mut self) {
        let channel = self.channel.expect("a data channel");
        let target = self.wire.received + 1;
        assert!(self.send(channel), "send queue full on an idle pair");
        // As zerortc's `one_way`: A's datagrams into B (each followed by
        // B's drain), B's answers left for `settle`.
        while let Some(buf) = self.wire.to[1].pop_front() {
            let input = Input::Receive(
                self.now,
                Receive {
                    proto: Protocol::Udp,
                    source: addr_a(),
                    destination: addr_b(),
                    contents: buf.as_slice().try_into().expect("datagram"),
                },
            );
            let _ = self.b.handle_input(input);
            self.wire.spare.push(buf);
            self.wire.drain(1, &mut self.b, &mut |_, _| {});
        }
        let mut idle = 0;
        while self.wire.received < target {
            self.pump();
            idle += 1;
            assert!(idle < 10_000, "str0m message lost");
        }
    }

    fn settle(&mut self) {
        self.pump();
    }

    fn send_rtp(&mut self, count: u64) -> u64 {
        let (mid, pt) = self.video.expect("a video sender");
        let target = self.wire.received_rtp + count;
        for _ in 0..count {
            self.seq += 1;
            let time = (self.seq * 3000) as u32;
            self.a
                .direct_api()
                .stream_tx_by_mid(mid, None)
                .expect("video stream")
                .write_rtp(RtpWrite::new(
                    pt,
                    SeqNo::from(self.seq),
                    time,
                    self.now,
                    Arc::clone(&self.rtp),
                ));
            self.wire.drain(0, &mut self.a, &mut |_, _| {});
        }
        let mut idle = 0;
        while self.wire.received_rtp < target {
            let before = self.wire.received_rtp;
            self.pump();
            idle = if self.wire.received_rtp == before {
                idle + 1
            } else {
                0
            };
            assert!(idle < 100, "str0m RTP lost");
        }
        count
    }
}
