//! webrtc-rs `rtc` 0.21's `RTCPeerConnection` (sans-I/O: the
//! `sansio::Protocol` methods `handle_read` / `poll_write` / `poll_read` /
//! `poll_event` / `poll_timeout` / `handle_timeout`, every `Instant`
//! passed in), configured for the comparison:
//!
//! - the `ring` crypto provider (the crate's default; ring's AES-GCM is the
//!   fastest on this CPU, `shared/LAB.md`), made once and set on every
//!   connection through the `SettingEngine`; certificates ECDSA P-256
//!   (`RTCCertificate::generate` with `EcdsaP256Sha256`) made beforehand;
//!   its RNG is not seedable;
//! - no interceptors (the builder's default `NoopInterceptor`: no NACK,
//!   TWCC or RTCP reports), the default codec list
//!   (`register_default_codecs`), loopback host candidates allowed
//!   (`with_include_loopback_candidate`); everything else at its defaults
//!   (SCTP by `rtc-sctp`, SRTP profiles, MTU);
//! - the send queue bounded like zerortc's: no new message while the
//!   channel's `outstanding_bytes` (bytes sent and not yet acknowledged)
//!   is at [`PEER_SEND_QUEUE_BYTES`] or more;
//! - the answerer gets the offer as text (`RTCSessionDescription::offer`
//!   parses it), the offerer the answer likewise.
//!
//! Its API takes a message as an owned `BytesMut` (`RTCDataChannel::send`:
//! one allocation and copy per message, made here from the same bytes the
//! other stacks send from a slice) and an RTP packet as an `rtp::Packet`
//! (header struct + `Bytes` payload, shared here so no copy is made per
//! packet); the receiver reads `RTCMessage`s from `poll_read`. A datagram
//! goes from `poll_write` into the other side's `handle_read` as the same
//! `BytesMut` (no copy). webrtc-rs announces a remote track on its first
//! RTP packet, so its setup ends when both sides are connected.

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use rtc::crypto::{RTCCryptoProvider, SignatureScheme};
use rtc::data_channel::RTCDataChannelId;
use rtc::media_stream::MediaStreamTrack;
use rtc::peer_connection::certificate::{CertificateParams, RTCCertificate};
use rtc::peer_connection::configuration::RTCConfigurationBuilder;
use rtc::peer_connection::configuration::media_engine::{
    MIME_TYPE_OPUS, MIME_TYPE_VP8, MediaEngine,
};
use rtc::peer_connection::configuration::setting_engine::SettingEngineBuilder;
use rtc::peer_connection::event::{RTCDataChannelEvent, RTCPeerConnectionEvent};
use rtc::peer_connection::message::{RTCMessage, TaggedRTCMessage};
use rtc::peer_connection::sdp::RTCSessionDescription;
use rtc::peer_connection::state::RTCPeerConnectionState;
use rtc::peer_connection::transport::{CandidateConfig, CandidateHostConfig, RTCIceCandidate};
use rtc::peer_connection::{RTCPeerConnection, RTCPeerConnectionBuilder};
use rtc::rtp_transceiver::RTCRtpSenderId;
use rtc::rtp_transceiver::rtp_sender::{
    RTCRtpCodec, RTCRtpCodingParameters, RTCRtpEncodingParameters, RtpCodecKind,
};
use rtc::sansio::Protocol;
use rtc::shared::{TaggedBytesMut, TransportContext, TransportProtocol};

use super::{
    PEER_RTP_PAYLOAD, PEER_SEND_QUEUE_BYTES, PeerCase, PeerWorkload, addr_a, addr_b, message,
};

/// SSRCs of A's tracks (fixed: `write_rtp` is told which one to use).
const AUDIO_SSRC: u32 = 0x1111_1111;
const VIDEO_SSRC: u32 = 0x2222_2222;

/// What webrtc-rs's pairs are built from, made once.
#[derive(Clone)]
pub struct RtcSetup {
    certs: [RTCCertificate; 2],
    provider: Arc<dyn RTCCryptoProvider>,
}

impl RtcSetup {
    /// The ring provider and two ECDSA P-256 certificates.
    pub fn new() -> Self {
        let provider = rtc::crypto::default_provider().expect("ring provider");
        let cert = || {
            RTCCertificate::generate(
                provider.crypto(),
                SignatureScheme::EcdsaP256Sha256,
                CertificateParams::new(vec!["rtc".to_owned()]).expect("params"),
            )
            .expect("certificate")
        };
        Self {
            certs: [cert(), cert()],
            provider,
        }
    }
}

impl Default for RtcSetup {
    fn default() -> Self {
        Self::new()
    }
}

fn track(kind: RtpCodecKind, ssrc: u32) -> MediaStreamTrack {
    let (name, codec) = match kind {
        RtpCodecKind::Audio => (
            "mic",
            RTCRtpCodec {
                mime_type: MIME_TYPE_OPUS.to_owned(),
                clock_rate: 48000,
                channels: 2,
                sdp_fmtp_line: "minptime=10;useinbandfec=1".to_owned(),
                rtcp_feedback: vec![],
            },
        ),
        _ => (
            "cam",
            RTCRtpCodec {
                mime_type: MIME_TYPE_VP8.to_owned(),
                clock_rate: 90000,
                channels: 0,
                sdp_fmtp_line: String::new(),
                rtcp_feedback: vec![],
            },
        ),
    };
    MediaStreamTrack::new(
        "s".to_owned(),
        name.to_owned(),
        name.to_owned(),
        kind,
        vec![RTCRtpEncodingParameters {
            rtp_coding_parameters: RTCRtpCodingParameters {
                ssrc: Some(ssrc),
                ..Default::default()
            },
            codec,
            ..Default::default()
        }],
    )
}

fn peer(setup: &RtcSetup, i: usize, now: Instant) -> RTCPeerConnection {
    let mut media = MediaEngine::default();
    media.register_default_codecs().expect("default codecs");
    let settings = SettingEngineBuilder::new()
        .with_crypto_provider(Arc::clone(&setup.provider))
        .with_include_loopback_candidate(true)
        .build();
    let mut pc = RTCPeerConnectionBuilder::new()
        .with_configuration(
            RTCConfigurationBuilder::new()
                .with_certificates(vec![setup.certs[i].clone()])
                .build(),
        )
        .with_media_engine(media)
        .with_setting_engine(settings)
        .build(now)
        .expect("peer connection");
    let addr = if i == 0 { addr_a() } else { addr_b() };
    let candidate = CandidateHostConfig {
        base_config: CandidateConfig {
            network: "udp".to_owned(),
            address: addr.ip().to_string(),
            port: addr.port(),
            component: 1,
            ..Default::default()
        },
        ..Default::default()
    }
    .new_candidate_host()
    .expect("host candidate");
    pc.add_local_candidate(
        RTCIceCandidate::from(&candidate)
            .to_json()
            .expect("candidate init"),
    )
    .expect("local candidate");
    pc
}

/// Two connected `RTCPeerConnection`s, A offers and sends, B answers and
/// receives.
pub struct RtcPair {
    a: RTCPeerConnection,
    b: RTCPeerConnection,
    now: Instant,
    channel: Option<RTCDataChannelId>,
    video: Option<(RTCRtpSenderId, u8)>,
    payload: Vec<u8>,
    rtp: Bytes,
    seq: u16,
    timestamp: u32,
    received: u64,
    received_bytes: u64,
    received_rtp: u64,
}

impl RtcPair {
    /// Creates both sides, negotiates and runs them until connected (see
    /// the module doc of [`super`] for what "connected" means per case).
    pub fn connect(case: PeerCase, setup: &RtcSetup) -> RtcPair {
        let now = Instant::now();
        let mut a = peer(setup, 0, now);
        let mut b = peer(setup, 1, now);
        let mut channel = None;
        let mut video = None;
        match case {
            PeerCase::Data => {
                channel = Some(
                    a.create_data_channel("bench", None)
                        .expect("data channel")
                        .id(),
                );
            }
            PeerCase::AudioVideo => {
                a.add_track(track(RtpCodecKind::Audio, AUDIO_SSRC))
                    .expect("audio track");
                video = Some(
                    a.add_track(track(RtpCodecKind::Video, VIDEO_SSRC))
                        .expect("video track"),
                );
            }
        }
        let offer = a.create_offer(None).expect("offer");
        a.set_local_description(now, offer.clone())
            .expect("local offer");
        let offer = RTCSessionDescription::offer(offer.sdp).expect("offer parses");
        b.set_remote_description(now, offer).expect("remote offer");
        let answer = b.create_answer(None).expect("answer");
        b.set_local_description(now, answer.clone())
            .expect("local answer");
        let answer = RTCSessionDescription::answer(answer.sdp).expect("answer parses");
        a.set_remote_description(now, answer)
            .expect("remote answer");
        let video = video.map(|sender| {
            let pt = a
                .rtp_sender(sender)
                .expect("video sender")
                .get_parameters()
                .rtp_parameters
                .codecs
                .iter()
                .find(|c| c.rtp_codec.mime_type == MIME_TYPE_VP8)
                .map(|c| c.payload_type)
                .expect("VP8 negotiated");
            (sender, pt)
        });
        let mut pair = RtcPair {
            a,
            b,
            now,
            channel,
            video,
            payload: Vec::new(),
            rtp: Bytes::from(vec![0x5A; PEER_RTP_PAYLOAD]),
            seq: 0,
            timestamp: 0,
            received: 0,
            received_bytes: 0,
            received_rtp: 0,
        };
        let mut connected = [false; 2];
        let mut open = [case != PeerCase::Data; 2];
        for _ in 0..100_000 {
            pair.pump_with(|side, event| match event {
                RTCPeerConnectionEvent::OnConnectionStateChangeEvent(
                    RTCPeerConnectionState::Connected,
                ) => connected[side] = true,
                RTCPeerConnectionEvent::OnDataChannel(RTCDataChannelEvent::OnOpen(_)) => {
                    open[side] = true
                }
                _ => {}
            });
            if connected[0] && connected[1] && open[0] && open[1] {
                return pair;
            }
            assert!(
                pair.now - now < Duration::from_secs(30),
                "rtc pair did not connect"
            );
        }
        panic!("rtc pair did not connect");
    }

    fn pump(&mut self) {
        self.pump_with(|_, _| {});
    }

    /// Moves datagrams both ways until quiet, handing events to `f` and
    /// draining both sides' `poll_read` (messages and packets on B are
    /// counted), then advances the virtual clock to the next timeout (1 ms
    /// if none is later) and runs the sides whose timeout is due.
    fn pump_with(&mut self, mut f: impl FnMut(usize, &RTCPeerConnectionEvent)) {
        loop {
            let mut moved = false;
            for side in 0..2 {
                let (from, to, local, peer) = if side == 0 {
                    (&mut self.a, &mut self.b, addr_b(), addr_a())
                } else {
                    (&mut self.b, &mut self.a, addr_a(), addr_b())
                };
                while let Some(tx) = from.poll_write() {
                    let _ = to.handle_read(TaggedBytesMut {
                        now: self.now,
                        transport: TransportContext {
                            local_addr: local,
                            peer_addr: peer,
                            ecn: None,
                            transport_protocol: TransportProtocol::UDP,
                        },
                        message: tx.message,
                    });
                    moved = true;
                }
            }
            for side in 0..2 {
                let pc = if side == 0 { &mut self.a } else { &mut self.b };
                while let Some(event) = pc.poll_event() {
                    f(side, &event);
                    moved = true;
                }
                while let Some(TaggedRTCMessage { message, .. }) = pc.poll_read() {
                    if side == 1 {
                        match message {
                            RTCMessage::DataChannelMessage(_, msg) => {
                                self.received += 1;
                                self.received_bytes += msg.data.len() as u64;
                            }
                            RTCMessage::RtpPacket(..) => self.received_rtp += 1,
                            _ => {}
                        }
                    }
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
        self.now =
            crate::ops::next_virtual_time(self.now, [self.a.poll_timeout(), self.b.poll_timeout()]);
        for pc in [&mut self.a, &mut self.b] {
            if pc.poll_timeout().is_some_and(|t| t <= self.now) {
                let _ = pc.handle_timeout(self.now);
            }
        }
    }

    fn send(&mut self, channel: RTCDataChannelId) -> bool {
        let mut dc = self.a.data_channel(channel).expect("data channel");
        if dc.outstanding_bytes() >= PEER_SEND_QUEUE_BYTES {
            return false;
        }
        dc.send(self.now, BytesMut::from(&self.payload[..]))
            .expect("send");
        true
    }
}

impl PeerWorkload for RtcPair {
    fn set_message_size(&mut self, size: usize) {
        self.payload = message(size);
    }

    fn transfer(&mut self, count: u64) -> u64 {
        let channel = self.channel.expect("a data channel");
        let target = self.received + count;
        let bytes = self.received_bytes;
        let mut sent = 0;
        let mut idle = 0;
        while self.received < target {
            while sent < count && self.send(channel) {
                sent += 1;
            }
            let before = self.received;
            self.pump();
            idle = if self.received == before { idle + 1 } else { 0 };
            assert!(idle < 10_000, "rtc transfer stalled");
        }
        self.received_bytes - bytes
    }

    fn one_way(&mut self) {
        let channel = self.channel.expect("a data channel");
        let target = self.received + 1;
        assert!(self.send(channel), "send queue full on an idle pair");
        // As zerortc's `one_way`: A's datagrams into B, B's messages read,
        // B's answers left for `settle`.
        while let Some(tx) = self.a.poll_write() {
            let _ = self.b.handle_read(TaggedBytesMut {
                now: self.now,
                transport: TransportContext {
                    local_addr: addr_b(),
                    peer_addr: addr_a(),
                    ecn: None,
                    transport_protocol: TransportProtocol::UDP,
                },
                message: tx.message,
            });
        }
        while let Some(TaggedRTCMessage { message, .. }) = self.b.poll_read() {
            if let RTCMessage::DataChannelMessage(_, msg) = message {
                self.received += 1;
                self.received_bytes += msg.data.len() as u64;
            }
        }
        let mut idle = 0;
        while self.received < target {
            self.pump();
            idle += 1;
            assert!(idle < 10_000, "rtc message lost");
        }
    }

    fn settle(&mut self) {
        self.pump();
    }

    fn send_rtp(&mut self, count: u64) -> u64 {
        let (sender, pt) = self.video.expect("a video sender");
        let target = self.received_rtp + count;
        for _ in 0..count {
            self.seq = self.seq.wrapping_add(1);
            self.timestamp = self.timestamp.wrapping_add(3000);
            let packet = rtc::rtp::packet::Packet {
                header: rtc::rtp::header::Header {
                    version: 2,
                    payload_type: pt,
                    sequence_number: self.seq,
                    timestamp: self.timestamp,
                    ssrc: VIDEO_SSRC,
                    ..Default::default()
                },
                payload: self.rtp.clone(),
            };
            self.a
                .rtp_sender(sender)
                .expect("video sender")
                .write_rtp(self.now, packet)
                .expect("write_rtp");
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
            assert!(idle < 100, "rtc RTP lost");
        }
        count
    }
}
