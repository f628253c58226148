//! Two RTCPeerConnections in memory on the deterministic simulator,
//! negotiated with SDP: data channels only, media only, both; offerer and
//! answerer swapped; trickle in any order; wrong fingerprint.

mod peer_util;
mod sim;

use std::time::Duration;

use peer_util::{World, rtp};
use sim::LinkConditions;
use zerortc::peer::*;
use zerortc::rtp::RtpPacket;

fn link() -> LinkConditions {
    LinkConditions::ideal(Duration::from_millis(20))
}

/// Opens a channel from `from` and checks a message both ways.
fn data_round_trip(w: &mut World, from: usize) {
    let ch = w.peers[from]
        .pc
        .create_data_channel("chat", RTCDataChannelInit::default())
        .unwrap();
    assert!(
        w.peers[from].saw(|e| *e == PeerEvent::NegotiationNeeded) || {
            w.pump();
            w.peers[from].saw(|e| *e == PeerEvent::NegotiationNeeded)
        }
    );
    w.negotiate(from);
    assert!(w.run_until(Duration::from_secs(10), |w| {
        w.peers[1 - from].saw(|e| matches!(e, PeerEvent::DataChannelOpen(_)))
            && w.peers[from].saw(|e| *e == PeerEvent::DataChannelOpen(ch))
    }));
    assert!(w.connected());
    let remote = w.peers[1 - from]
        .take(|e| matches!(e, PeerEvent::DataChannel(_)))
        .into_iter()
        .find_map(|e| match e {
            PeerEvent::DataChannel(id) => Some(id),
            _ => None,
        })
        .expect("datachannel event");
    assert_eq!(
        w.peers[1 - from].pc.data_channel(remote).unwrap().label(),
        "chat"
    );
    w.peers[from]
        .pc
        .data_channel(ch)
        .unwrap()
        .send_text("hello")
        .unwrap();
    assert!(w.run_until(Duration::from_secs(2), |w| {
        w.peers[1 - from].saw(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
    }));
    assert_eq!(w.peers[1 - from].messages(), [(remote, b"hello".to_vec())]);
    w.peers[1 - from]
        .pc
        .data_channel(remote)
        .unwrap()
        .send(&[9; 5000])
        .unwrap();
    assert!(w.run_until(Duration::from_secs(2), |w| {
        w.peers[from].saw(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
    }));
    assert_eq!(w.peers[from].messages(), [(ch, vec![9; 5000])]);
}

#[test]
fn data_channel_only() {
    let mut w = World::new(1, link());
    data_round_trip(&mut w, 0);
    let pair = w.a().selected_candidate_pair().unwrap();
    assert_eq!(pair.1, w.peers[1].addr);
    // The offerer was the DTLS server (the answerer chose active): odd ids.
    let ch = w.a().data_channels().next().unwrap();
    assert_eq!(w.a().data_channel(ch).unwrap().id(), Some(1));
    assert_eq!(w.a().signaling_state(), RTCSignalingState::Stable);
    assert_eq!(w.b().signaling_state(), RTCSignalingState::Stable);
    assert_eq!(w.a().ice_gathering_state(), RTCIceGatheringState::Complete);
}

#[test]
fn offerer_and_answerer_swapped() {
    let mut w = World::new(2, link());
    data_round_trip(&mut w, 1);
    let ch = w.b().data_channels().next().unwrap();
    assert_eq!(w.b().data_channel(ch).unwrap().id(), Some(1));
}

fn media_setup(w: &mut World) -> (TransceiverId, TransceiverId) {
    let video = w
        .a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "stream-a"))
        .unwrap();
    let audio = w
        .a()
        .add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "stream-a"))
        .unwrap();
    w.b()
        .add_track(MediaStreamTrack::new("mic-b", MediaKind::Audio, "stream-b"))
        .unwrap();
    (video, audio)
}

fn media_flows(w: &mut World, video: TransceiverId, audio: TransceiverId) {
    for seq in 0..20u16 {
        w.a()
            .write_rtp(video, &rtp(96, seq, 90 * u32::from(seq), &[1; 900]))
            .unwrap();
        w.a()
            .write_rtp(audio, &rtp(111, seq, 960 * u32::from(seq), &[2; 100]))
            .unwrap();
    }
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1]
            .events
            .iter()
            .filter(|e| matches!(e, PeerEvent::Rtp { .. }))
            .count()
            == 40
    }));
    let got = w.peers[1].rtp();
    let b_transceivers = w.b().get_transceivers();
    let a_senders = w.a().get_senders();
    for (t, bytes) in &got {
        let p = RtpPacket::parse(bytes).unwrap();
        let tr = b_transceivers.iter().find(|x| x.id == *t).unwrap();
        let kind_pt = if tr.kind == MediaKind::Video { 96 } else { 111 };
        assert_eq!(p.payload_type(), kind_pt);
        let sender = a_senders
            .iter()
            .find(|s| s.track.as_ref().unwrap().kind == tr.kind)
            .unwrap();
        assert_eq!(p.ssrc(), sender.ssrc);
    }
    // Audio back from b on the transceiver that adopted a's audio m-line.
    let b_audio = b_transceivers
        .iter()
        .find(|t| t.kind == MediaKind::Audio)
        .unwrap();
    assert_eq!(b_audio.sender.track.as_ref().unwrap().id, "mic-b");
    assert_eq!(
        b_audio.current_direction,
        Some(RTCRtpTransceiverDirection::SendRecv)
    );
    w.b()
        .write_rtp(b_audio.id, &rtp(111, 1, 0, &[3; 50]))
        .unwrap();
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[0].saw(|e| matches!(e, PeerEvent::Rtp { .. }))
    }));
    assert_eq!(w.peers[0].rtp()[0].0, audio);
}

#[test]
fn audio_and_video_only() {
    let mut w = World::new(3, link());
    let (video, audio) = media_setup(&mut w);
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    let tracks: Vec<_> = w.peers[1]
        .take(|e| matches!(e, PeerEvent::Track { .. }))
        .into_iter()
        .filter_map(|e| match e {
            PeerEvent::Track { track, .. } => Some((track.id, track.stream_ids)),
            _ => None,
        })
        .collect();
    assert_eq!(
        tracks,
        [
            ("cam".to_string(), vec!["stream-a".to_string()]),
            ("mic".to_string(), vec!["stream-a".to_string()])
        ]
    );
    media_flows(&mut w, video, audio);
    // No data m-line was negotiated.
    let sdp = w.a().local_description().unwrap().sdp;
    assert!(!sdp.contains("m=application"));
}

#[test]
fn data_channels_and_media_together() {
    let mut w = World::new(4, link());
    let (video, audio) = media_setup(&mut w);
    data_round_trip(&mut w, 0);
    media_flows(&mut w, video, audio);
    let sdp = w.a().local_description().unwrap().sdp;
    assert!(sdp.contains("a=group:BUNDLE 0 1 2"), "{sdp}");
    assert_eq!(w.a().stats().transport.dropped_unknown, 0);
}

#[test]
fn trickle_in_any_order() {
    for seed in 10..14 {
        let mut w = World::new(seed, link());
        w.auto_trickle = false;
        let ch = w
            .a()
            .create_data_channel("x", RTCDataChannelInit::default())
            .unwrap();
        let now = w.now();
        let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
        w.a().set_local_description(now, offer.clone()).unwrap();
        w.pump();
        // Candidates are in the offer already (host candidates gather at
        // once): strip them to force trickle.
        let stripped: String = offer
            .sdp
            .lines()
            .filter(|l| !l.starts_with("a=candidate") && !l.starts_with("a=end-of-candidates"))
            .map(|l| format!("{l}\r\n"))
            .collect();
        let early = w.peers[0].outbox[0].clone();
        assert_eq!(
            w.b().add_ice_candidate(early),
            Err(PeerError::NoRemoteDescription)
        );
        w.b()
            .set_remote_description(now, RTCSessionDescription::offer(stripped))
            .unwrap();
        let answer = w.b().create_answer().unwrap();
        w.b().set_local_description(now, answer.clone()).unwrap();
        w.pump();
        let stripped: String = answer
            .sdp
            .lines()
            .filter(|l| !l.starts_with("a=candidate") && !l.starts_with("a=end-of-candidates"))
            .map(|l| format!("{l}\r\n"))
            .collect();
        // Seeds choose who trickles first, and whether the answer comes
        // before or after the offerer's candidates reach the answerer.
        match seed % 4 {
            0 => {
                w.signal_candidates(0);
                w.a()
                    .set_remote_description(now, RTCSessionDescription::answer(stripped))
                    .unwrap();
                w.signal_candidates(1);
            }
            1 => {
                w.a()
                    .set_remote_description(now, RTCSessionDescription::answer(stripped))
                    .unwrap();
                w.signal_candidates(1);
                w.run_for(Duration::from_millis(300));
                w.signal_candidates(0);
            }
            2 => {
                w.a()
                    .set_remote_description(now, RTCSessionDescription::answer(stripped))
                    .unwrap();
                w.signal_candidates(0);
                w.run_for(Duration::from_millis(700));
                w.signal_candidates(1);
            }
            _ => {
                w.a()
                    .set_remote_description(now, RTCSessionDescription::answer(stripped))
                    .unwrap();
                // Only one side's candidates: peer-reflexive does the rest.
                w.signal_candidates(1);
            }
        }
        assert!(
            w.run_until(Duration::from_secs(15), |w| w.peers[0]
                .saw(|e| *e == PeerEvent::DataChannelOpen(ch))),
            "seed {seed}"
        );
    }
}

#[test]
fn wrong_fingerprint_fails_both_sides() {
    let mut w = World::new(5, link());
    w.a()
        .create_data_channel("x", RTCDataChannelInit::default())
        .unwrap();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    // A man in the middle swaps the fingerprint.
    let other = RTCPeerConnection::new(peer_util::config(99))
        .unwrap()
        .fingerprint();
    let forged = offer
        .sdp
        .replace(&w.a().fingerprint().to_string(), &other.to_string());
    assert_ne!(forged, offer.sdp);
    w.b()
        .set_remote_description(now, RTCSessionDescription::offer(forged))
        .unwrap();
    let answer = w.b().create_answer().unwrap();
    w.b().set_local_description(now, answer.clone()).unwrap();
    w.a().set_remote_description(now, answer).unwrap();
    assert!(w.run_until(Duration::from_secs(10), |w| {
        w.peers
            .iter()
            .all(|p| p.pc.connection_state() == RTCPeerConnectionState::Failed)
    }));
    assert!(w.peers[1].saw(|e| matches!(
        e,
        PeerEvent::TransportError(PeerError::Dtls(
            zerortc::dtls::DtlsError::FingerprintMismatch { .. }
        ))
    )));
    assert!(w.peers[0].saw(|e| matches!(e, PeerEvent::TransportError(_))));
}

#[test]
fn reliable_channel_over_a_bad_network() {
    let conditions = LinkConditions {
        loss: 0.05,
        jitter: Duration::from_millis(10),
        reorder: 0.05,
        reorder_delay: Duration::from_millis(30),
        duplicate: 0.02,
        ..LinkConditions::ideal(Duration::from_millis(25))
    };
    let mut w = World::new(6, conditions);
    let ch = w
        .a()
        .create_data_channel("bulk", RTCDataChannelInit::default())
        .unwrap();
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(30), |w| {
        w.peers[0].saw(|e| *e == PeerEvent::DataChannelOpen(ch))
    }));
    let sent: Vec<Vec<u8>> = (0..500u32)
        .map(|i| {
            let len = 1 + (i as usize * 37) % 3000;
            (0..len).map(|j| (i as usize + j) as u8).collect()
        })
        .collect();
    for m in &sent {
        w.a().data_channel(ch).unwrap().send(m).unwrap();
    }
    assert!(w.run_until(Duration::from_secs(60), |w| {
        w.peers[1]
            .events
            .iter()
            .filter(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
            .count()
            == sent.len()
    }));
    let got: Vec<Vec<u8>> = w.peers[1].messages().into_iter().map(|(_, m)| m).collect();
    assert_eq!(got, sent, "every byte, once, in order");
    assert!(w.net.stats.lost > 0 && w.net.stats.duplicated > 0);
}
