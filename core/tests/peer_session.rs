//! Two RTCPeerConnections over a live session on the simulator:
//! renegotiation, ICE restart with traffic flowing, rollback, an hour with
//! consent checks, close from either side.

mod peer_util;
mod sim;

use std::time::Duration;

use peer_util::{World, rtp};
use sim::LinkConditions;
use zerortc::peer::*;

fn link() -> LinkConditions {
    LinkConditions::ideal(Duration::from_millis(15))
}

/// A connected pair with one data channel from a; returns (a's, b's) ids.
fn connected_with_channel(seed: u64) -> (World, DataChannelId, DataChannelId) {
    let mut w = World::new(seed, link());
    let ch = w
        .a()
        .create_data_channel("chat", RTCDataChannelInit::default())
        .unwrap();
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(10), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::DataChannel(_)))
            && w.peers[0].saw(|e| *e == PeerEvent::DataChannelOpen(ch))
    }));
    let remote = w.peers[1]
        .take(|e| matches!(e, PeerEvent::DataChannel(_)))
        .into_iter()
        .find_map(|e| match e {
            PeerEvent::DataChannel(id) => Some(id),
            _ => None,
        })
        .unwrap();
    w.peers[0].events.clear();
    w.peers[1].events.clear();
    (w, ch, remote)
}

fn ping(w: &mut World, ch: DataChannelId, remote: DataChannelId, text: &str) {
    w.a().data_channel(ch).unwrap().send_text(text).unwrap();
    assert!(w.run_until(Duration::from_secs(5), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
    }));
    assert_eq!(w.peers[1].messages(), [(remote, text.as_bytes().to_vec())]);
}

#[test]
fn renegotiation_adds_and_removes_tracks_and_channels() {
    let (mut w, ch, remote) = connected_with_channel(20);
    // a adds video on the live connection.
    let video = w
        .a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    w.pump();
    assert!(w.peers[0].saw(|e| *e == PeerEvent::NegotiationNeeded));
    assert_eq!(
        w.a().write_rtp(video, &rtp(96, 1, 0, &[0; 10])),
        Err(PeerError::NotSending(0))
    );
    w.negotiate(0);
    assert!(w.peers[1].saw(|e| matches!(e, PeerEvent::Track { track, .. } if track.id == "cam")));
    for seq in 0..5 {
        w.a().write_rtp(video, &rtp(96, seq, 0, &[7; 500])).unwrap();
    }
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1]
            .events
            .iter()
            .filter(|e| matches!(e, PeerEvent::Rtp { .. }))
            .count()
            == 5
    }));
    ping(&mut w, ch, remote, "still here");

    // b adds audio and offers this time.
    let b_audio = w
        .b()
        .add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "t"))
        .unwrap();
    w.negotiate(1);
    assert!(w.peers[0].saw(|e| matches!(e, PeerEvent::Track { track, .. } if track.id == "mic")));
    w.b().write_rtp(b_audio, &rtp(111, 1, 0, &[1; 80])).unwrap();
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[0].saw(|e| matches!(e, PeerEvent::Rtp { .. }))
    }));
    let a_audio = w.peers[0].rtp()[0].0;
    assert_eq!(
        w.a().get_transceivers()[a_audio_index(&mut w, a_audio)].current_direction,
        Some(RTCRtpTransceiverDirection::RecvOnly)
    );

    // A second channel needs no negotiation: the data m-line exists.
    w.peers[0].events.clear();
    let ch2 = w
        .a()
        .create_data_channel("second", RTCDataChannelInit::default())
        .unwrap();
    w.pump();
    assert!(!w.peers[0].saw(|e| *e == PeerEvent::NegotiationNeeded));
    assert!(w.run_until(Duration::from_secs(2), |w| {
        w.peers[0].saw(|e| *e == PeerEvent::DataChannelOpen(ch2))
    }));

    // a removes its video track: sendrecv -> recvonly after negotiation.
    w.a().remove_track(video).unwrap();
    w.pump();
    assert!(w.peers[0].saw(|e| *e == PeerEvent::NegotiationNeeded));
    w.negotiate(0);
    // b's video transceiver is recvonly (made by the offer): nothing flows.
    let t = &w.a().get_transceivers()[0];
    assert_eq!(t.direction, RTCRtpTransceiverDirection::RecvOnly);
    assert_eq!(
        t.current_direction,
        Some(RTCRtpTransceiverDirection::Inactive)
    );
    assert_eq!(
        w.a().write_rtp(video, &rtp(96, 9, 0, &[0; 10])),
        Err(PeerError::NotSending(0))
    );
    let b_video = &w.b().get_transceivers()[0];
    assert_eq!(
        b_video.current_direction,
        Some(RTCRtpTransceiverDirection::Inactive)
    );

    // b stops its audio transceiver: the m-line is rejected.
    w.b().stop_transceiver(b_audio).unwrap();
    w.negotiate(1);
    let sdp = w.a().remote_description().unwrap().sdp;
    assert!(sdp.contains("m=audio 0 "), "{sdp}");
    assert!(
        w.a()
            .get_transceivers()
            .iter()
            .any(|t| t.kind == MediaKind::Audio && t.stopped)
    );
    ping(&mut w, ch, remote, "after all that");
    assert_eq!(w.a().signaling_state(), RTCSignalingState::Stable);
    assert!(!w.a().is_negotiation_needed() && !w.b().is_negotiation_needed());
}

fn a_audio_index(w: &mut World, id: TransceiverId) -> usize {
    w.a()
        .get_transceivers()
        .iter()
        .position(|t| t.id == id)
        .unwrap()
}

fn ufrag(sdp: &str) -> String {
    sdp.lines()
        .find_map(|l| l.strip_prefix("a=ice-ufrag:"))
        .unwrap()
        .to_string()
}

#[test]
fn ice_restart_keeps_traffic_flowing() {
    for restarter in [0, 1] {
        let (mut w, ch, remote) = connected_with_channel(30 + restarter as u64);
        let before = [
            ufrag(&w.a().local_description().unwrap().sdp),
            ufrag(&w.b().local_description().unwrap().sdp),
        ];
        w.peers[restarter].pc.restart_ice();
        w.pump();
        assert!(w.peers[restarter].saw(|e| *e == PeerEvent::NegotiationNeeded));
        w.negotiate(restarter);
        let after = [
            ufrag(&w.a().local_description().unwrap().sdp),
            ufrag(&w.b().local_description().unwrap().sdp),
        ];
        assert_ne!(before[0], after[0]);
        assert_ne!(before[1], after[1]);
        // Traffic during the restart's checks, and long after it (consent
        // now runs on the new credentials).
        for i in 0..20 {
            ping(&mut w, ch, remote, &format!("m{i}"));
            w.run_for(Duration::from_millis(250));
        }
        w.run_for(Duration::from_secs(60));
        ping(&mut w, ch, remote, "a minute later");
        assert!(w.connected());
        for p in &w.peers {
            assert!(
                !p.events.iter().any(|e| matches!(
                    e,
                    PeerEvent::ConnectionStateChange(
                        RTCPeerConnectionState::Disconnected | RTCPeerConnectionState::Failed
                    )
                )),
                "{:?}",
                p.events
            );
        }
        let stats = w.a().stats().ice.unwrap();
        assert!(stats.consent_checks_sent >= 10, "{stats:?}");
    }
}

#[test]
fn rollback_of_local_and_remote_offers() {
    let mut w = World::new(40, link());
    let video = w
        .a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    let now = w.now();
    // Local offer rolled back: mids unassigned, stable again.
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    assert_eq!(w.a().get_transceivers()[0].mid.as_deref(), Some("0"));
    w.a()
        .set_local_description(now, RTCSessionDescription::rollback())
        .unwrap();
    assert_eq!(w.a().signaling_state(), RTCSignalingState::Stable);
    assert_eq!(w.a().get_transceivers()[0].mid, None);
    assert!(w.a().local_description().is_none());
    assert!(w.a().is_negotiation_needed());

    // Remote offer rolled back: the transceiver it created disappears.
    w.b().set_remote_description(now, offer).unwrap();
    assert_eq!(w.b().get_transceivers().len(), 1);
    assert_eq!(w.b().signaling_state(), RTCSignalingState::HaveRemoteOffer);
    w.b()
        .set_remote_description(now, RTCSessionDescription::rollback())
        .unwrap();
    assert_eq!(w.b().signaling_state(), RTCSignalingState::Stable);
    assert!(
        w.b().get_transceivers().is_empty(),
        "{:?}",
        w.b().get_transceivers()
    );
    assert!(w.b().remote_description().is_none());

    // Glare: both offer; b takes a's offer (implicit rollback of its own).
    w.b()
        .create_data_channel("b", RTCDataChannelInit::default())
        .unwrap();
    let offer_b = w.b().create_offer(RTCOfferOptions::default()).unwrap();
    w.b().set_local_description(now, offer_b).unwrap();
    let offer_a = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer_a.clone()).unwrap();
    w.b().set_remote_description(now, offer_a).unwrap();
    assert_eq!(w.b().signaling_state(), RTCSignalingState::HaveRemoteOffer);
    let answer = w.b().create_answer().unwrap();
    w.b().set_local_description(now, answer.clone()).unwrap();
    w.a().set_remote_description(now, answer).unwrap();
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    // b still wants its data channel: negotiationneeded after the glare.
    assert!(w.peers[1].saw(|e| *e == PeerEvent::NegotiationNeeded));
    w.negotiate(1);
    assert!(w.run_until(Duration::from_secs(5), |w| {
        w.peers[0].saw(|e| matches!(e, PeerEvent::DataChannel(_)))
    }));
    for seq in 0..3 {
        w.a().write_rtp(video, &rtp(96, seq, 0, &[1; 100])).unwrap();
    }
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1]
            .events
            .iter()
            .filter(|e| matches!(e, PeerEvent::Rtp { .. }))
            .count()
            == 3
    }));
}

#[test]
fn an_hour_with_consent_checks() {
    let (mut w, ch, remote) = connected_with_channel(50);
    let start = w.now();
    let mut sent = 0;
    while w.now() - start < Duration::from_secs(3600) {
        w.a()
            .data_channel(ch)
            .unwrap()
            .send(&[sent as u8; 100])
            .unwrap();
        sent += 1;
        w.run_for(Duration::from_secs(60));
    }
    let got = w.peers[1].messages();
    assert_eq!(got.len(), sent);
    assert!(got.iter().all(|(c, _)| *c == remote));
    assert!(w.connected());
    for p in &w.peers {
        assert!(!p.events.iter().any(|e| matches!(
            e,
            PeerEvent::ConnectionStateChange(_) | PeerEvent::IceConnectionStateChange(_)
        )));
    }
    // RFC 7675: a consent check every 4-6 s on each side.
    let checks = w.a().stats().ice.unwrap().consent_checks_sent;
    assert!((600..=900).contains(&checks), "{checks}");
    assert!(w.b().stats().ice.unwrap().consent_checks_sent >= 600);
}

#[test]
fn close_from_either_side() {
    for closer in [0, 1] {
        let (mut w, ch, remote) = connected_with_channel(60 + closer as u64);
        w.peers[closer].pc.close();
        w.pump();
        let closer_channel = if closer == 0 { ch } else { remote };
        let other_channel = if closer == 0 { remote } else { ch };
        assert!(w.peers[closer].saw(|e| *e == PeerEvent::DataChannelClose(closer_channel)));
        assert!(
            w.peers[closer]
                .saw(|e| *e == PeerEvent::ConnectionStateChange(RTCPeerConnectionState::Closed))
        );
        assert_eq!(
            w.peers[closer].pc.signaling_state(),
            RTCSignalingState::Closed
        );
        assert_eq!(
            w.peers[closer].pc.create_offer(RTCOfferOptions::default()),
            Err(PeerError::Closed)
        );
        let other = 1 - closer;
        assert!(w.run_until(Duration::from_secs(1), |w| {
            w.peers[other].saw(|e| *e == PeerEvent::DataChannelClose(other_channel))
                && w.peers[other].pc.dtls_state() == RTCDtlsTransportState::Closed
        }));
        assert_eq!(
            w.peers[other]
                .pc
                .data_channel(other_channel)
                .unwrap()
                .ready_state(),
            RTCDataChannelState::Closed
        );
        // Consent lost: disconnected, then failed (RFC 7675: 30 s).
        assert!(w.run_until(
            Duration::from_secs(40),
            |w| w.peers[other].pc.connection_state() == RTCPeerConnectionState::Failed
        ));
        assert!(
            w.peers[other]
                .saw(|e| *e
                    == PeerEvent::ConnectionStateChange(RTCPeerConnectionState::Disconnected))
        );
    }
}
