//! Two peer connections in memory, negotiated by applying parameters
//! directly (no SDP): data channels, media, states, events, close.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use crate::ice::{Candidate, IceRole};
use crate::peer::*;
use crate::rtp::{ExtensionKind, ExtensionMap, RtpHeader, RtpPacket};
use crate::srtp::DtlsRole;

use crate::peer::media::Negotiated;
use crate::peer::negotiation::{MediaUpdate, RemoteIce};
use crate::peer::transport::SctpParams;

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

fn pc(seed: u64, port: u16) -> RTCPeerConnection {
    let mut pc = RTCPeerConnection::new(RTCConfiguration {
        rng_seed: Some(seed),
        ..RTCConfiguration::default()
    })
    .unwrap();
    pc.add_local_address(addr(port));
    pc
}

struct Pair {
    a: RTCPeerConnection,
    b: RTCPeerConnection,
    now: Instant,
    events: [Vec<PeerEvent>; 2],
}

impl Pair {
    fn new() -> Pair {
        Pair {
            a: pc(1, 10_000),
            b: pc(2, 20_000),
            now: Instant::now(),
            events: [Vec::new(), Vec::new()],
        }
    }

    /// What JSEP will do: a offers (controlling, DTLS server), b answers.
    fn negotiate(&mut self, wrong_fingerprint: bool) {
        let now = self.now;
        let (a, b) = (&mut self.a, &mut self.b);
        a.start_ice(IceRole::Controlling).unwrap();
        b.start_ice(IceRole::Controlled).unwrap();
        let remote = |pc: &RTCPeerConnection| RemoteIce {
            credentials: pc.local_ice.clone(),
            candidates: Vec::new(),
            end_of_candidates: false,
        };
        a.apply_remote_ice(&remote(b)).unwrap();
        b.apply_remote_ice(&remote(a)).unwrap();
        a.start_gathering(now);
        b.start_gathering(now);
        let fb = if wrong_fingerprint {
            a.fingerprint()
        } else {
            b.fingerprint()
        };
        let fa = a.fingerprint();
        a.apply_dtls(now, DtlsRole::Server, fb).unwrap();
        b.apply_dtls(now, DtlsRole::Client, fa).unwrap();
        let ports = SctpParams {
            local_port: 5000,
            remote_port: 5000,
        };
        let mut mid = 0;
        if a.channels.any_live() {
            a.apply_sctp(now, mid.to_string(), ports, Some(262_144));
            b.apply_sctp(now, mid.to_string(), ports, Some(262_144));
            mid += 1;
        }
        // Pair transceivers by index; b gets matching ones.
        let mut map = ExtensionMap::new();
        map.insert(4, ExtensionKind::SdesMid).unwrap();
        for i in 0..a.transceivers.len() {
            let kind = a.transceivers[i].kind;
            if b.transceivers.len() <= i {
                b.add_transceiver(
                    kind,
                    RTCRtpTransceiverInit {
                        direction: RTCRtpTransceiverDirection::RecvOnly,
                        ..RTCRtpTransceiverInit::default()
                    },
                )
                .unwrap();
            }
            let da = a.transceivers[i].direction;
            let db = RTCRtpTransceiverDirection::answer(da, b.transceivers[i].direction);
            let negotiated = Negotiated {
                codecs: default_codecs(kind),
                header_extensions: default_header_extensions(kind),
                mid_ext_id: Some(4),
                ..Negotiated::default()
            };
            let id = TransceiverId(i as u32);
            let (sa, sb) = (a.transceivers[i].ssrc, b.transceivers[i].ssrc);
            a.apply_media(
                id,
                MediaUpdate {
                    mid: mid.to_string(),
                    direction: db.reverse(),
                    negotiated: negotiated.clone(),
                    remote_ssrcs: vec![sb],
                },
            );
            b.apply_media(
                id,
                MediaUpdate {
                    mid: mid.to_string(),
                    direction: db,
                    negotiated,
                    remote_ssrcs: vec![sa],
                },
            );
            let ta = a.transceivers[i].sender_track.clone();
            let tb = b.transceivers[i].sender_track.clone();
            b.apply_remote_track(id, da.has_send(), ta);
            a.apply_remote_track(id, db.has_send(), tb);
            mid += 1;
        }
        a.finish_media(map);
        b.finish_media(map);
    }

    /// Delivers every datagram and trickles candidates; collects events.
    fn flush(&mut self) -> usize {
        let mut moved = 0;
        for from_a in [true, false] {
            let (src, dst) = if from_a {
                (&mut self.a, &mut self.b)
            } else {
                (&mut self.b, &mut self.a)
            };
            let mut batch = Vec::new();
            while let Some(t) = src.poll_write() {
                batch.push((t.local, t.peer, t.data.to_vec()));
            }
            let mut candidates = Vec::new();
            while let Some(e) = src.poll_event() {
                if let PeerEvent::IceCandidate(Some(c)) = &e {
                    candidates.push(Candidate::parse(&c.candidate).unwrap());
                }
                self.events[usize::from(!from_a)].push(e);
            }
            for c in candidates {
                dst.transport.add_remote_candidate(&c);
                dst.process_transport();
                moved += 1;
            }
            for (local, peer, data) in batch {
                moved += 1;
                // A closed connection refuses datagrams: like a closed socket.
                let _ = dst.handle_read(
                    self.now,
                    TaggedPacket {
                        local: peer,
                        peer: local,
                        protocol: Protocol::Udp,
                        data: &data,
                    },
                );
            }
        }
        moved
    }

    fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&mut Pair) -> bool) -> bool {
        let end = self.now + limit;
        loop {
            while self.flush() > 0 {}
            if done(self) {
                return true;
            }
            let next = [self.a.poll_timeout(), self.b.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            match next {
                Some(t) if t <= end => {
                    self.now = self.now.max(t);
                    let now = self.now;
                    let _ = self.a.handle_timeout(now);
                    let _ = self.b.handle_timeout(now);
                }
                _ => return done(self),
            }
        }
    }

    fn take(&mut self, side: usize) -> Vec<PeerEvent> {
        std::mem::take(&mut self.events[side])
    }
}

fn rtp(pt: u8, seq: u16, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0; 1500];
    let n = RtpHeader::new(pt, seq, 3000, 0xDEAD)
        .marshal_packet(payload, &mut out)
        .unwrap();
    out.truncate(n);
    out
}

#[test]
fn data_channel_opens_and_carries_messages_both_ways() {
    let mut p = Pair::new();
    let ch =
        p.a.create_data_channel("chat", RTCDataChannelInit::default())
            .unwrap();
    assert!(p.a.is_negotiation_needed());
    assert_eq!(p.a.poll_event(), Some(PeerEvent::NegotiationNeeded));
    assert_eq!(
        p.a.data_channel(ch).unwrap().ready_state(),
        RTCDataChannelState::Connecting
    );
    assert_eq!(
        p.a.data_channel(ch).unwrap().id(),
        None,
        "no stream id before the DTLS role"
    );
    p.negotiate(false);
    assert!(p.run_until(Duration::from_secs(10), |p| {
        p.a.data_channel(ch).unwrap().ready_state() == RTCDataChannelState::Open
            && p.events[1]
                .iter()
                .any(|e| matches!(e, PeerEvent::DataChannelOpen(_)))
    }));
    assert_eq!(p.a.connection_state(), RTCPeerConnectionState::Connected);
    assert_eq!(p.b.connection_state(), RTCPeerConnectionState::Connected);
    // a is the DTLS server: odd stream ids.
    assert_eq!(p.a.data_channel(ch).unwrap().id(), Some(1));
    let events = p.take(1);
    let remote = events
        .iter()
        .find_map(|e| match e {
            PeerEvent::DataChannel(id) => Some(*id),
            _ => None,
        })
        .expect("datachannel event");
    assert_eq!(p.b.data_channel(remote).unwrap().label(), "chat");
    assert!(events.contains(&PeerEvent::ConnectionStateChange(
        RTCPeerConnectionState::Connected
    )));

    p.a.data_channel(ch).unwrap().send_text("ping").unwrap();
    p.run_until(Duration::from_secs(1), |p| {
        p.events[1]
            .iter()
            .any(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
    });
    let msg = p.take(1).into_iter().find_map(|e| match e {
        PeerEvent::DataChannelMessage {
            channel,
            binary,
            data,
        } => Some((channel, binary, data)),
        _ => None,
    });
    let (channel, binary, data) = msg.unwrap();
    assert_eq!((channel, binary, &data[..]), (remote, false, &b"ping"[..]));
    p.b.recycle(data);
    p.b.data_channel(remote).unwrap().send(&[1, 2, 3]).unwrap();
    p.run_until(Duration::from_secs(1), |p| {
        p.events[0]
            .iter()
            .any(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
    });
    assert!(p.take(0).iter().any(|e| matches!(e,
        PeerEvent::DataChannelMessage { channel, binary: true, data } if *channel == ch && data[..] == [1, 2, 3])));

    // Close from b: both sides see the channel close.
    p.b.data_channel(remote).unwrap().close().unwrap();
    assert!(p.run_until(Duration::from_secs(2), |p| {
        p.events[0].contains(&PeerEvent::DataChannelClose(ch))
            && p.events[1].contains(&PeerEvent::DataChannelClose(remote))
    }));
    assert_eq!(
        p.a.data_channel(ch).unwrap().ready_state(),
        RTCDataChannelState::Closed
    );
}

#[test]
fn media_is_routed_by_mid_and_rewritten_to_the_sender_ssrc() {
    let mut p = Pair::new();
    let video =
        p.a.add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s1"))
            .unwrap();
    let audio =
        p.a.add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "s1"))
            .unwrap();
    p.negotiate(false);
    assert!(p.run_until(Duration::from_secs(10), |p| {
        p.a.connection_state() == RTCPeerConnectionState::Connected
            && p.b.connection_state() == RTCPeerConnectionState::Connected
    }));
    let tracks: Vec<_> = p
        .take(1)
        .into_iter()
        .filter_map(|e| match e {
            PeerEvent::Track { transceiver, track } => Some((transceiver, track.id, track.kind)),
            _ => None,
        })
        .collect();
    assert_eq!(
        tracks,
        [
            (TransceiverId(0), "cam".to_string(), MediaKind::Video),
            (TransceiverId(1), "mic".to_string(), MediaKind::Audio)
        ]
    );
    let sender = p.a.get_senders()[0].clone();
    assert_eq!(sender.transceiver, video);
    assert!(sender.rtx_ssrc.is_some());
    for seq in 0..10 {
        p.a.write_rtp(video, &rtp(96, seq, &[seq as u8; 300]))
            .unwrap();
        p.a.write_rtp(audio, &rtp(111, seq, &[7; 80])).unwrap();
    }
    // b is recvonly: it cannot send.
    assert_eq!(
        p.b.write_rtp(TransceiverId(0), &rtp(96, 1, &[1])),
        Err(PeerError::NotSending(0))
    );
    p.flush();
    let mut got = [0usize; 2];
    for e in p.take(1) {
        if let PeerEvent::Rtp {
            transceiver,
            packet,
            ..
        } = e
        {
            let parsed = RtpPacket::parse(&packet).unwrap();
            let t = &p.b.get_transceivers()[transceiver.0 as usize];
            let expected_ssrc = p.a.get_transceivers()[transceiver.0 as usize].sender.ssrc;
            assert_eq!(parsed.ssrc(), expected_ssrc);
            assert_eq!(
                parsed.extension(4).unwrap().unwrap(),
                t.mid.as_deref().unwrap().as_bytes()
            );
            got[transceiver.0 as usize] += 1;
            p.b.recycle(packet);
        }
    }
    assert_eq!(got, [10, 10]);
    assert_eq!(p.b.stats().rtp_received, 20);
    // RTCP both ways through SRTCP.
    p.b.write_rtcp(&[0x80, 201, 0, 1, 0, 0, 0, 9]).unwrap();
    while p.flush() > 0 {}
    assert!(p.take(0).iter().any(|e| matches!(e,
        PeerEvent::Rtcp { packet } if packet[..] == [0x80, 201, 0, 1, 0, 0, 0, 9])));
    let receivers = p.b.get_receivers();
    assert!(receivers[0].ssrcs.contains(&sender.ssrc));
}

#[test]
fn negotiation_needed_fires_once_in_stable() {
    let mut a = pc(1, 10_000);
    a.add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    a.create_data_channel("x", RTCDataChannelInit::default())
        .unwrap();
    let fired: Vec<_> = std::iter::from_fn(|| a.poll_event())
        .filter(|e| *e == PeerEvent::NegotiationNeeded)
        .collect();
    assert_eq!(fired.len(), 1);
    assert!(a.is_negotiation_needed());
}

#[test]
fn wrong_fingerprint_fails_both_sides_with_a_typed_error() {
    let mut p = Pair::new();
    p.a.create_data_channel("x", RTCDataChannelInit::default())
        .unwrap();
    p.negotiate(true);
    assert!(p.run_until(Duration::from_secs(10), |p| {
        p.a.connection_state() == RTCPeerConnectionState::Failed
            && p.b.connection_state() == RTCPeerConnectionState::Failed
    }));
    assert!(p.take(0).iter().any(|e| matches!(
        e,
        PeerEvent::TransportError(PeerError::Dtls(
            crate::dtls::DtlsError::FingerprintMismatch { .. }
        ))
    )));
    assert!(
        p.take(1)
            .iter()
            .any(|e| matches!(e, PeerEvent::TransportError(_)))
    );
}

#[test]
fn close_from_one_side() {
    let mut p = Pair::new();
    let ch =
        p.a.create_data_channel("x", RTCDataChannelInit::default())
            .unwrap();
    p.negotiate(false);
    assert!(p.run_until(Duration::from_secs(10), |p| {
        p.events[1]
            .iter()
            .any(|e| matches!(e, PeerEvent::DataChannelOpen(_)))
    }));
    p.a.close();
    assert_eq!(p.a.connection_state(), RTCPeerConnectionState::Closed);
    assert_eq!(p.a.signaling_state(), RTCSignalingState::Closed);
    assert_eq!(
        p.a.data_channel(ch).unwrap().ready_state(),
        RTCDataChannelState::Closed
    );
    assert_eq!(
        p.a.data_channel(ch).unwrap().send(b"x"),
        Err(PeerError::Closed)
    );
    assert!(p.run_until(Duration::from_secs(1), |p| {
        p.b.dtls_state() == RTCDtlsTransportState::Closed
            && p.events[1]
                .iter()
                .any(|e| matches!(e, PeerEvent::DataChannelClose(_)))
    }));
    // The peer notices the loss of consent: disconnected, then failed.
    assert!(p.run_until(Duration::from_secs(60), |p| {
        p.b.connection_state() == RTCPeerConnectionState::Failed
    }));
    assert_eq!(p.a.poll_timeout(), None);
    assert!(p.a.handle_timeout(p.now).is_err());
}

impl Pair {
    /// a offers with SDP, b answers.
    fn negotiate_sdp(&mut self) {
        let now = self.now;
        let offer = self.a.create_offer(RTCOfferOptions::default()).unwrap();
        self.a.set_local_description(now, offer.clone()).unwrap();
        self.b.set_remote_description(now, offer).unwrap();
        let answer = self.b.create_answer().unwrap();
        self.b.set_local_description(now, answer.clone()).unwrap();
        self.a.set_remote_description(now, answer).unwrap();
    }
}

/// RFC 8852 / RFC 8853: the first packet of each layer names its rid (and
/// RTX its repaired rid); later packets of those SSRCs without any header
/// extension — what senders do once the receiver knows the mapping —
/// still reach the layer. Sent here below `write_rtp_rid`, which always
/// tags, straight through a's SRTP.
#[test]
fn simulcast_ssrcs_latch_after_the_first_tagged_packet() {
    let mut p = Pair::new();
    let video =
        p.a.add_transceiver_with_track(
            MediaStreamTrack::new("cam", MediaKind::Video, "s"),
            RTCRtpTransceiverInit {
                direction: RTCRtpTransceiverDirection::SendOnly,
                send_encodings: ["lo", "hi"]
                    .iter()
                    .map(|r| RTCRtpEncodingParameters { rid: (*r).into() })
                    .collect(),
                ..RTCRtpTransceiverInit::default()
            },
        )
        .unwrap();
    p.negotiate_sdp();
    assert!(p.run_until(Duration::from_secs(10), |p| {
        p.a.connection_state() == RTCPeerConnectionState::Connected
            && p.b.connection_state() == RTCPeerConnectionState::Connected
    }));
    let layers = p.a.get_senders()[0].encodings.clone();
    assert_eq!(layers.len(), 2);
    for (seq, rid) in [(1, "lo"), (2, "hi")] {
        p.a.write_rtp_rid(video, rid, &rtp(96, seq, &[1; 100]))
            .unwrap();
        p.a.write_rtp_rid(video, rid, &rtp(97, seq, &[2; 100]))
            .unwrap();
    }
    while p.flush() > 0 {}
    let routed = |events: Vec<PeerEvent>| -> Vec<(u32, Option<String>)> {
        events
            .into_iter()
            .filter_map(|e| match e {
                PeerEvent::Rtp { rid, packet, .. } => Some((
                    RtpPacket::parse(&packet).unwrap().ssrc(),
                    rid.map(|r| r.as_str().to_string()),
                )),
                _ => None,
            })
            .collect()
    };
    let first = routed(p.take(1));
    let rid = |r: &str| Some(r.to_string());
    let (lo, hi) = (&layers[0], &layers[1]);
    assert_eq!(
        first,
        [
            (lo.ssrc.unwrap(), rid("lo")),
            (lo.rtx_ssrc.unwrap(), rid("lo")),
            (hi.ssrc.unwrap(), rid("hi")),
            (hi.rtx_ssrc.unwrap(), rid("hi")),
        ]
    );
    // No mid, no rid: only the SSRC tells the layer now.
    for (seq, ssrc) in [
        (10, hi.ssrc.unwrap()),
        (11, lo.rtx_ssrc.unwrap()),
        (12, lo.ssrc.unwrap()),
    ] {
        p.a.transport
            .send_rtp_with(|out| {
                Ok(RtpHeader::new(96, seq, 9000, ssrc).marshal_packet(&[3; 50], out)?)
            })
            .unwrap();
    }
    while p.flush() > 0 {}
    assert_eq!(
        routed(p.take(1)),
        [
            (hi.ssrc.unwrap(), rid("hi")),
            (lo.rtx_ssrc.unwrap(), rid("lo")),
            (lo.ssrc.unwrap(), rid("lo")),
        ]
    );
    // The receiver shows the SSRCs it latched per layer.
    let receiver = p.b.get_receivers()[0].clone();
    assert_eq!(receiver.encodings, layers);
}
