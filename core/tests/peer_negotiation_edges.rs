//! Negotiation at its edges, with two RTCPeerConnections on the
//! simulator: a data m-line rejected by the answer, the rollback of a
//! remote offer that added and removed tracks, the bundle policies, and
//! RTP/RTCP packets too large for a datagram.

mod peer_util;
mod sim;

use std::time::Duration;

use peer_util::{World, config, rtp};
use sim::LinkConditions;
use zerortc::peer::*;
use zerortc::rtp::RtpPacket;
use zerortc::sdp::SessionDescription;

fn link() -> LinkConditions {
    LinkConditions::ideal(Duration::from_millis(10))
}

/// SDP with every line passed through `f` (None drops it).
fn edit(sdp: &str, f: impl Fn(&str) -> Option<String>) -> String {
    sdp.lines()
        .filter_map(f)
        .map(|l| format!("{l}\r\n"))
        .collect()
}

// ----- data m-line rejected -----

/// RFC 8829 §5.10 / W3C webrtc-pc §4.4.1.6: an answer that rejects the
/// data m-line (port 0) leaves no SCTP transport: the channels waiting
/// for it close, with their events, instead of staying "connecting".
#[test]
fn a_rejected_data_m_line_closes_the_channels() {
    let mut w = World::new(90, link());
    let audio = w
        .a()
        .add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "s"))
        .unwrap();
    let ch = w
        .a()
        .create_data_channel("chat", RTCDataChannelInit::default())
        .unwrap();
    let negotiated = w
        .a()
        .create_data_channel(
            "pre",
            RTCDataChannelInit {
                negotiated: true,
                id: Some(4),
                ..RTCDataChannelInit::default()
            },
        )
        .unwrap();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    w.b().set_remote_description(now, offer).unwrap();
    let answer = w.b().create_answer().unwrap();
    w.b().set_local_description(now, answer.clone()).unwrap();
    // The peer's answer rejects the data m-line (mid 1), as an endpoint
    // without data channels answers.
    let rejecting = edit(&answer.sdp, |l| {
        Some(if l.starts_with("m=application 9 ") {
            l.replacen(" 9 ", " 0 ", 1)
        } else if l.starts_with("a=group:BUNDLE") {
            "a=group:BUNDLE 0".into()
        } else {
            l.into()
        })
    });
    w.a()
        .set_remote_description(now, RTCSessionDescription::answer(rejecting))
        .unwrap();
    w.pump();
    for id in [ch, negotiated] {
        assert!(w.peers[0].saw(|e| *e == PeerEvent::DataChannelClose(id)));
        assert_eq!(
            w.a().data_channel(id).unwrap().ready_state(),
            RTCDataChannelState::Closed
        );
    }
    assert_eq!(
        w.a().data_channel(ch).unwrap().send_text("x"),
        Err(PeerError::DataChannelNotOpen(0))
    );
    // The rest of the session is unaffected, and nothing asks for another
    // negotiation for the closed channels.
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    w.a().write_rtp(audio, &rtp(111, 1, 0, &[1; 50])).unwrap();
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::Rtp { .. }))
    }));
    assert!(!w.a().is_negotiation_needed());
    // A new channel asks for a new data m-line, on a new mid; the
    // rejected one stays rejected.
    w.peers[0].events.clear();
    w.a()
        .create_data_channel("again", RTCDataChannelInit::default())
        .unwrap();
    w.pump();
    assert!(w.peers[0].saw(|e| *e == PeerEvent::NegotiationNeeded));
    let reoffer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    let model = SessionDescription::parse(&reoffer.sdp).unwrap();
    let data: Vec<(u16, Option<&str>)> = model
        .media
        .iter()
        .filter(|m| m.proto.is_sctp())
        .map(|m| (m.port, m.mid.as_deref()))
        .collect();
    assert_eq!(data, [(0, Some("1")), (9, Some("2"))]);
    assert_eq!(model.bundle_group().unwrap().mids, ["0", "2"]);
}

// ----- rollback of a remote offer -----

fn track_events(events: &[PeerEvent]) -> Vec<String> {
    events
        .iter()
        .filter_map(|e| match e {
            PeerEvent::Track { track, .. } => Some(format!("+{}", track.id)),
            PeerEvent::RemoveTrack { track, ended, .. } => Some(format!(
                "-{}{}",
                track.id,
                if *ended { " ended" } else { "" }
            )),
            _ => None,
        })
        .collect()
}

/// RFC 8829 §4.1.8.2, W3C webrtc-pc §4.4.1.6 (rollback): rolling back a
/// remote offer undoes its remote tracks — the track it added is removed
/// (and ends: its transceiver, created by the offer, goes away), the
/// track it stopped comes back.
#[test]
fn rolling_back_a_remote_offer_undoes_its_tracks() {
    let mut w = World::new(91, link());
    let mic = w
        .a()
        .add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "s"))
        .unwrap();
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    assert_eq!(track_events(&w.peers[1].events), ["+mic"]);
    w.peers[1].events.clear();
    // a's next offer adds video and stops sending audio.
    w.a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    w.a().remove_track(mic).unwrap();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.b().set_remote_description(now, offer).unwrap();
    w.pump();
    assert_eq!(track_events(&w.peers[1].events), ["-mic", "+cam"]);
    assert_eq!(w.b().get_transceivers().len(), 2);
    w.peers[1].events.clear();
    w.b()
        .set_remote_description(now, RTCSessionDescription::rollback())
        .unwrap();
    w.pump();
    assert_eq!(track_events(&w.peers[1].events), ["+mic", "-cam ended"]);
    let transceivers = w.b().get_transceivers();
    assert_eq!(transceivers.len(), 1, "{transceivers:?}");
    assert_eq!(transceivers[0].receiver.track.id, "mic");
    assert_eq!(w.b().signaling_state(), RTCSignalingState::Stable);
    // The same offer again: the same tracks, once each.
    w.peers[1].events.clear();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    w.b().set_remote_description(now, offer).unwrap();
    let answer = w.b().create_answer().unwrap();
    w.b().set_local_description(now, answer.clone()).unwrap();
    w.a().set_remote_description(now, answer).unwrap();
    w.pump();
    assert_eq!(track_events(&w.peers[1].events), ["-mic", "+cam"]);
    // A rejected m-line ends its track too.
    w.peers[1].events.clear();
    let cam = w.a().get_transceivers()[1].id;
    w.a().stop_transceiver(cam).unwrap();
    w.negotiate(0);
    assert_eq!(track_events(&w.peers[1].events), ["-cam ended"]);
}

// ----- bundle policies -----

fn with_policy(policy: RTCBundlePolicy, seed: u64) -> RTCConfiguration {
    RTCConfiguration {
        bundle_policy: policy,
        ..config(seed)
    }
}

fn av_data(w: &mut World) {
    w.a()
        .add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "s"))
        .unwrap();
    w.a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    w.a()
        .create_data_channel("d", RTCDataChannelInit::default())
        .unwrap();
}

const POLICIES: [RTCBundlePolicy; 3] = [
    RTCBundlePolicy::MaxBundle,
    RTCBundlePolicy::Balanced,
    RTCBundlePolicy::MaxCompat,
];

/// Every policy offers all m-lines in one BUNDLE group, each with a
/// transport of its own described (port 9, ICE and DTLS attributes), so
/// an answerer that does not bundle could still take it; a bundling
/// answerer takes the group as it is and the session runs on one
/// transport.
#[test]
fn every_policy_offers_one_bundle_group_and_connects() {
    for (i, policy) in POLICIES.into_iter().enumerate() {
        let seed = 92 + i as u64;
        let mut w = World::with_configs(
            seed,
            link(),
            with_policy(policy, seed * 2),
            with_policy(policy, seed * 2 + 1),
        );
        av_data(&mut w);
        let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
        let model = SessionDescription::parse(&offer.sdp).unwrap();
        assert_eq!(
            model.bundle_group().unwrap().mids,
            ["0", "1", "2"],
            "{policy:?}"
        );
        for m in &model.media {
            assert_eq!(m.port, 9, "{policy:?}");
            assert!(!m.bundle_only);
            assert!(m.ice_ufrag.is_some() && !m.fingerprints.is_empty());
        }
        w.negotiate(0);
        assert!(w.run_until(Duration::from_secs(10), |w| {
            w.connected() && w.peers[1].saw(|e| matches!(e, PeerEvent::DataChannel(_)))
        }));
        let answer = SessionDescription::parse(&w.b().local_description().unwrap().sdp).unwrap();
        assert_eq!(answer.bundle_group().unwrap().mids, ["0", "1", "2"]);
        assert_eq!(w.a().stats().transport.dropped_unknown, 0);
    }
}

/// An answer that accepts every m-line but bundles none (a peer that does
/// not do BUNDLE): max-bundle uses the first m-line only (RFC 8829
/// §4.1.1); balanced and max-compat would need a transport per m-line, so
/// the answer is refused with a typed error and nothing changes.
#[test]
fn an_unbundled_answer_per_policy() {
    for (i, policy) in POLICIES.into_iter().enumerate() {
        let seed = 95 + i as u64;
        let mut w = World::with_configs(seed, link(), with_policy(policy, seed * 2), config(seed));
        av_data(&mut w);
        let now = w.now();
        let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
        w.a().set_local_description(now, offer.clone()).unwrap();
        w.b().set_remote_description(now, offer).unwrap();
        let answer = w.b().create_answer().unwrap();
        let unbundled = edit(&answer.sdp, |l| {
            (!l.starts_with("a=group:BUNDLE")).then(|| l.into())
        });
        let result = w
            .a()
            .set_remote_description(now, RTCSessionDescription::answer(unbundled));
        if policy == RTCBundlePolicy::MaxBundle {
            result.unwrap();
            let t = w.a().get_transceivers();
            assert!(!t[0].stopped, "the first m-line is used");
            assert!(t[1].stopped, "the others are not: {t:?}");
            assert_eq!(w.a().signaling_state(), RTCSignalingState::Stable);
        } else {
            assert_eq!(
                result,
                Err(PeerError::UnbundledTransport { mid: "1".into() }),
                "{policy:?}"
            );
            assert_eq!(w.a().signaling_state(), RTCSignalingState::HaveLocalOffer);
            assert!(w.a().remote_description().is_none());
            w.a()
                .set_local_description(now, RTCSessionDescription::rollback())
                .unwrap();
            assert_eq!(w.a().signaling_state(), RTCSignalingState::Stable);
        }
    }
}

/// A remote offer without a BUNDLE group: whatever our policy, the answer
/// keeps the first m-line and rejects the others (one transport).
#[test]
fn an_unbundled_offer_gets_one_m_line() {
    for (i, policy) in POLICIES.into_iter().enumerate() {
        let seed = 98 + i as u64;
        let mut w = World::with_configs(seed, link(), config(seed), with_policy(policy, seed * 2));
        av_data(&mut w);
        let now = w.now();
        let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
        let unbundled = edit(&offer.sdp, |l| {
            (!l.starts_with("a=group:BUNDLE")).then(|| l.into())
        });
        w.b()
            .set_remote_description(now, RTCSessionDescription::offer(unbundled))
            .unwrap();
        let answer = w.b().create_answer().unwrap();
        let model = SessionDescription::parse(&answer.sdp).unwrap();
        let ports: Vec<u16> = model.media.iter().map(|m| m.port).collect();
        assert_eq!(ports, [9, 0, 0], "{policy:?}");
        assert_eq!(model.bundle_group().unwrap().mids, ["0"]);
    }
}

// ----- packets too large -----

/// A connected media pair: a sends video to b.
fn media_pair(seed: u64, a: RTCConfiguration, b: RTCConfiguration) -> (World, TransceiverId) {
    let mut w = World::with_configs(seed, link(), a, b);
    let video = w
        .a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    (w, video)
}

/// With the default 2048-byte buffers an RTP packet may be 2028 bytes
/// once the mid extension is added (room for the largest SRTP trailer):
/// that one arrives whole, one byte more is a typed error and nothing is
/// sent, before or after connecting.
#[test]
fn write_rtp_refuses_what_would_not_fit() {
    let mut early = RTCPeerConnection::new(config(1)).unwrap();
    let t = early
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    // Not negotiated: NotSending comes first.
    assert_eq!(
        early.write_rtp(t, &rtp(96, 1, 0, &[0; 4000])),
        Err(PeerError::NotSending(0))
    );
    let (mut w, video) = media_pair(101, config(1011), config(1012));
    // 12-byte header + 8 bytes of one-byte mid extension ("0") + payload.
    let fits = 2028 - 12 - 8;
    w.a()
        .write_rtp(video, &rtp(96, 1, 0, &vec![7; fits]))
        .unwrap();
    assert_eq!(
        w.a().write_rtp(video, &rtp(96, 2, 0, &vec![7; fits + 1])),
        Err(PeerError::PacketTooLarge {
            len: 2029,
            max: 2028
        })
    );
    assert_eq!(
        w.a().write_rtcp(&[0; 2029]),
        Err(PeerError::PacketTooLarge {
            len: 2029,
            max: 2028
        })
    );
    assert_eq!(w.a().stats().rtp_sent, 1);
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::Rtp { .. }))
    }));
    let got = w.peers[1].rtp();
    assert_eq!(got.len(), 1);
    let p = RtpPacket::parse(&got[0].1).unwrap();
    assert_eq!(p.payload().len(), fits);
    assert_eq!(p.sequence_number(), 1);
    w.run_for(Duration::from_millis(100));
    assert!(w.peers[1].rtp().is_empty());
}

/// A jumbo MTU raises the limit (the buffers follow the MTU); a receiver
/// with default buffers drops and counts what it cannot hold, without
/// truncating it or growing a buffer.
#[test]
fn jumbo_packets_go_where_buffers_allow() {
    let jumbo = RTCConfiguration {
        mtu: 9000,
        ..config(1021)
    };
    let (mut w, video) = media_pair(102, jumbo.clone(), config(1022));
    let big = rtp(96, 1, 0, &[3; 4000]);
    w.a().write_rtp(video, &big).unwrap();
    w.a().write_rtp(video, &rtp(96, 2, 0, &[3; 100])).unwrap();
    w.run_for(Duration::from_millis(200));
    let got = w.peers[1].rtp();
    assert_eq!(got.len(), 1, "only the small one");
    assert_eq!(RtpPacket::parse(&got[0].1).unwrap().sequence_number(), 2);
    assert_eq!(w.b().stats().transport.dropped_oversized, 1);
    assert_eq!(w.b().stats().transport.dropped_srtp, 0);
    // Both jumbo: it arrives whole.
    let (mut w, video) = media_pair(
        103,
        jumbo.clone(),
        RTCConfiguration {
            mtu: 9000,
            ..config(1031)
        },
    );
    w.a().write_rtp(video, &big).unwrap();
    assert_eq!(
        w.a().write_rtp(video, &rtp(96, 3, 0, &vec![0; 9100])),
        Err(PeerError::PacketTooLarge {
            len: 9120,
            max: 9044
        })
    );
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::Rtp { .. }))
    }));
    let got = w.peers[1].rtp();
    assert_eq!(
        RtpPacket::parse(&got[0].1).unwrap().payload(),
        &[3; 4000][..]
    );
}
