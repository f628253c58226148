//! Simulcast (RFC 8853, rids of RFC 8851, RTP stream ids of RFC 8852):
//! zerortc answering the simulcast offers Chromium 156 and Firefox ESR 153
//! made (fixtures), and two RTCPeerConnections on the simulator, one
//! sending three layers as Chromium does, the other receiving each on its
//! layer. (The SSRC latching for packets without the extensions is tested
//! inside the crate, `connection_tests.rs`, where a test can send below
//! `write_rtp_rid`.)

mod peer_util;
mod sim;

use std::path::Path;
use std::time::{Duration, Instant};

use peer_util::{World, rtp};
use sim::LinkConditions;
use zerortc::peer::*;
use zerortc::rtp::RtpPacket;
use zerortc::sdp::{MediaKind as SdpKind, RidDirection, SessionDescription};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sdp")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// zerortc's answer to `offer`, applied; the video m-line of it.
fn answer_video(offer: &str) -> (RTCPeerConnection, SessionDescription) {
    let mut pc = RTCPeerConnection::new(peer_util::config(7)).unwrap();
    pc.add_local_address("127.0.0.1:7000".parse().unwrap());
    let now = Instant::now();
    pc.set_remote_description(now, RTCSessionDescription::offer(offer))
        .unwrap();
    let answer = pc.create_answer().unwrap();
    pc.set_local_description(now, answer.clone()).unwrap();
    (pc, SessionDescription::parse(&answer.sdp).unwrap())
}

fn rids_of(answer: &SessionDescription) -> (Vec<(String, RidDirection)>, String) {
    let video = answer
        .media
        .iter()
        .find(|m| m.kind == SdpKind::Video)
        .unwrap();
    let rids = video
        .rids
        .iter()
        .map(|r| (r.id.clone(), r.direction))
        .collect();
    let simulcast = video
        .simulcast
        .as_ref()
        .map(ToString::to_string)
        .unwrap_or_default();
    (rids, simulcast)
}

#[test]
fn browser_simulcast_offers_are_answered_with_recv_layers() {
    for name in [
        "chromium156-av-simulcast-offer.sdp",
        "firefox153-av-simulcast-offer.sdp",
    ] {
        let (pc, answer) = answer_video(&fixture(name));
        let (rids, simulcast) = rids_of(&answer);
        let recv = |id: &str| (id.to_string(), RidDirection::Recv);
        assert_eq!(rids, [recv("q"), recv("h"), recv("f")], "{name}");
        assert_eq!(simulcast, "recv q;h;f", "{name}");
        // The answer keeps the rid extensions the receiver routes on.
        let video = answer.media.iter().find(|m| m.kind == SdpKind::Video);
        let uris: Vec<&str> = video
            .unwrap()
            .extmaps
            .iter()
            .map(|e| e.uri.as_str())
            .collect();
        assert!(uris.contains(&"urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"));
        assert!(uris.contains(&"urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"));
        // The receiver knows its layers (W3C shape: its encodings).
        let receiver = pc
            .get_receivers()
            .into_iter()
            .find(|r| r.track.kind == MediaKind::Video)
            .unwrap();
        let layers: Vec<&str> = receiver.encodings.iter().map(|e| e.rid.as_str()).collect();
        assert_eq!(layers, ["q", "h", "f"], "{name}");
        // Audio has no layers.
        let audio = answer
            .media
            .iter()
            .find(|m| m.kind == SdpKind::Audio)
            .unwrap();
        assert!(audio.rids.is_empty() && audio.simulcast.is_none());
    }
}

#[test]
fn simulcast_is_declined_or_narrowed_when_it_cannot_be_received() {
    let offer = fixture("chromium156-av-simulcast-offer.sdp");
    // Without the rtp-stream-id extension layers cannot be told apart:
    // one stream (RFC 8853 §5.3).
    let no_rid_ext: String = offer
        .lines()
        .filter(|l| !l.contains("sdes:rtp-stream-id"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    let (pc, answer) = answer_video(&no_rid_ext);
    assert_eq!(rids_of(&answer), (Vec::new(), String::new()));
    assert!(pc.get_receivers().iter().all(|r| r.encodings.is_empty()));
    // A layer restricted to a payload type the answer does not take is
    // left out; a paused one keeps its `~`; an alternative list gives its
    // first usable rid.
    let edited = offer
        .replace("a=rid:h send", "a=rid:h send pt=120")
        .replace("a=rid:f send", "a=rid:f send pt=96,120")
        .replace("a=simulcast:send q;h;f", "a=simulcast:send q,x;h;~f");
    let (_, answer) = answer_video(&edited);
    let (rids, simulcast) = rids_of(&answer);
    assert_eq!(
        rids,
        [
            ("q".to_string(), RidDirection::Recv),
            ("f".to_string(), RidDirection::Recv)
        ]
    );
    assert_eq!(simulcast, "recv q;~f");
    let video = answer
        .media
        .iter()
        .find(|m| m.kind == SdpKind::Video)
        .unwrap();
    assert_eq!(video.rids[1].payload_types, [96]);
    // An m-line we do not receive on (the offer only receives, so our
    // answer is inactive) takes no layers.
    let inactive = offer.replace("a=sendrecv", "a=recvonly");
    let (_, answer) = answer_video(&inactive);
    assert_eq!(rids_of(&answer), (Vec::new(), String::new()));
}

fn layers() -> Vec<RTCRtpEncodingParameters> {
    ["q", "h", "f"]
        .iter()
        .map(|r| RTCRtpEncodingParameters { rid: (*r).into() })
        .collect()
}

/// a sends three layers, Chromium-style; b receives each on its rid.
#[test]
fn three_layers_end_to_end() {
    let mut w = World::new(70, LinkConditions::ideal(Duration::from_millis(10)));
    let video = w
        .a()
        .add_transceiver_with_track(
            MediaStreamTrack::new("cam", MediaKind::Video, "s"),
            RTCRtpTransceiverInit {
                direction: RTCRtpTransceiverDirection::SendOnly,
                send_encodings: layers(),
                ..RTCRtpTransceiverInit::default()
            },
        )
        .unwrap();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap().sdp;
    // Chromium's shape: rid lines, simulcast, no a=ssrc for the layers.
    assert!(
        offer.contains("a=rid:q send\r\na=rid:h send\r\na=rid:f send\r\n"),
        "{offer}"
    );
    assert!(offer.contains("a=simulcast:send q;h;f\r\n"), "{offer}");
    assert!(!offer.contains("a=ssrc:"), "{offer}");
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    let answer = w.a().remote_description().unwrap().sdp;
    assert!(answer.contains("a=simulcast:recv q;h;f\r\n"), "{answer}");
    let sent = w.a().get_senders()[0].encodings.clone();
    let rids: Vec<&str> = sent.iter().map(|e| e.rid.as_str()).collect();
    assert_eq!(rids, ["q", "h", "f"]);
    let mut ssrcs: Vec<u32> = sent
        .iter()
        .flat_map(|e| [e.ssrc.unwrap(), e.rtx_ssrc.unwrap()])
        .collect();
    ssrcs.sort_unstable();
    ssrcs.dedup();
    assert_eq!(ssrcs.len(), 6, "distinct SSRCs per layer and RTX");

    for seq in 0..10u16 {
        for (i, rid) in ["q", "h", "f"].into_iter().enumerate() {
            let size = 200 * (i + 1);
            w.a()
                .write_rtp_rid(
                    video,
                    rid,
                    &rtp(96, seq, 90 * u32::from(seq), &vec![i as u8; size]),
                )
                .unwrap();
        }
    }
    // A retransmission of layer h on RTX (payload type 97, apt=96).
    w.a()
        .write_rtp_rid(video, "h", &rtp(97, 0, 0, &[0; 100]))
        .unwrap();
    assert_eq!(
        w.a().write_rtp_rid(video, "nope", &rtp(96, 0, 0, &[0; 10])),
        Err(PeerError::NotSending(video_index(video)))
    );
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1]
            .events
            .iter()
            .filter(|e| matches!(e, PeerEvent::Rtp { .. }))
            .count()
            == 31
    }));
    let b_video = w.b().get_transceivers()[0].id;
    let got: Vec<(TransceiverId, Option<RtpStreamId>, Vec<u8>)> = w.peers[1]
        .take(|e| matches!(e, PeerEvent::Rtp { .. }))
        .into_iter()
        .filter_map(|e| match e {
            PeerEvent::Rtp {
                transceiver,
                rid,
                packet,
            } => Some((transceiver, rid, packet.to_vec())),
            _ => None,
        })
        .collect();
    let mut per_layer = [0usize; 3];
    for (t, rid, bytes) in &got {
        assert_eq!(*t, b_video);
        let rid = rid.expect("every packet has its layer");
        let layer = sent.iter().position(|e| rid == e.rid.as_str()).unwrap();
        let p = RtpPacket::parse(bytes).unwrap();
        if p.payload_type() == 97 {
            assert_eq!(rid, "h");
            assert_eq!(Some(p.ssrc()), sent[layer].rtx_ssrc);
            continue;
        }
        assert_eq!(Some(p.ssrc()), sent[layer].ssrc);
        assert_eq!(p.payload().len(), 200 * (layer + 1));
        assert!(p.payload().iter().all(|&b| usize::from(b) == layer));
        per_layer[layer] += 1;
    }
    assert_eq!(per_layer, [10, 10, 10]);
    // The receiver shows what it latched per layer (W3C shape): each
    // layer's SSRC, and the RTX SSRC of the one layer that sent RTX.
    let receiver = w.b().get_receivers()[0].clone();
    let expected: Vec<RTCRtpCodingParameters> = sent
        .iter()
        .map(|e| RTCRtpCodingParameters {
            rtx_ssrc: e.rtx_ssrc.filter(|_| e.rid == "h"),
            ..e.clone()
        })
        .collect();
    assert_eq!(receiver.encodings, expected);
    assert_eq!(w.b().stats().rtp_unrouted, 0);
}

fn video_index(id: TransceiverId) -> u32 {
    id.to_string().parse().unwrap()
}

/// A peer that does not receive simulcast (its answer has no
/// `a=simulcast`, as browsers answer): one stream, on the first layer's
/// SSRC, with `write_rtp`.
#[test]
fn an_answer_without_simulcast_leaves_one_stream() {
    let mut w = World::new(71, LinkConditions::ideal(Duration::from_millis(10)));
    let video = w
        .a()
        .add_transceiver_with_track(
            MediaStreamTrack::new("cam", MediaKind::Video, "s"),
            RTCRtpTransceiverInit {
                direction: RTCRtpTransceiverDirection::SendOnly,
                send_encodings: layers(),
                ..RTCRtpTransceiverInit::default()
            },
        )
        .unwrap();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    // b sees an offer without simulcast (stripped on the way).
    let plain: String = offer
        .sdp
        .lines()
        .filter(|l| !l.starts_with("a=rid") && !l.starts_with("a=simulcast"))
        .map(|l| format!("{l}\r\n"))
        .collect();
    w.b()
        .set_remote_description(now, RTCSessionDescription::offer(plain))
        .unwrap();
    let answer = w.b().create_answer().unwrap();
    assert!(!answer.sdp.contains("a=simulcast"));
    w.b().set_local_description(now, answer.clone()).unwrap();
    w.a().set_remote_description(now, answer).unwrap();
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    assert!(w.a().get_senders()[0].encodings.is_empty());
    assert_eq!(
        w.a().write_rtp_rid(video, "q", &rtp(96, 1, 0, &[1; 10])),
        Err(PeerError::NotSending(video_index(video)))
    );
    w.a().write_rtp(video, &rtp(96, 1, 0, &[1; 10])).unwrap();
    assert!(w.run_until(Duration::from_secs(1), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::Rtp { rid: None, .. }))
    }));
    let got = w.peers[1].rtp();
    let ssrc = RtpPacket::parse(&got[0].1).unwrap().ssrc();
    assert_eq!(ssrc, w.a().get_senders()[0].ssrc);
}

#[test]
fn send_encodings_are_validated() {
    let mut pc = RTCPeerConnection::new(peer_util::config(3)).unwrap();
    let track = || MediaStreamTrack::new("cam", MediaKind::Video, "s");
    for rids in [
        vec!["a", "a"],
        vec!["a", "b c"],
        vec!["a", ""],
        vec!["a", "seventeen-chars-x"],
        (0..MAX_SIMULCAST_LAYERS + 1).map(|_| "r").collect(),
    ] {
        let init = RTCRtpTransceiverInit {
            send_encodings: rids
                .iter()
                .enumerate()
                .map(|(i, r)| RTCRtpEncodingParameters {
                    rid: if rids.len() > MAX_SIMULCAST_LAYERS {
                        format!("r{i}")
                    } else {
                        (*r).to_string()
                    },
                })
                .collect(),
            ..RTCRtpTransceiverInit::default()
        };
        assert!(
            matches!(
                pc.add_transceiver_with_track(track(), init),
                Err(PeerError::InvalidConfiguration(_))
            ),
            "{rids:?}"
        );
    }
    assert!(pc.get_transceivers().is_empty());
}
