//! Bad input at the peer connection level gives typed errors and leaves
//! the connection as it was: descriptions in the wrong signaling state,
//! descriptions that do not parse or break JSEP rules, candidates for
//! m-lines that do not exist, junk datagrams.

mod peer_util;
mod sim;

use std::time::Duration;

use peer_util::World;
use sim::LinkConditions;
use zerortc::peer::*;

/// Everything observable that a refused call must not change.
#[derive(Debug, PartialEq)]
struct Snapshot {
    signaling: RTCSignalingState,
    connection: RTCPeerConnectionState,
    local: Option<RTCSessionDescription>,
    remote: Option<RTCSessionDescription>,
    transceivers: Vec<RTCRtpTransceiver>,
    negotiation_needed: bool,
}

fn snapshot(pc: &RTCPeerConnection) -> Snapshot {
    Snapshot {
        signaling: pc.signaling_state(),
        connection: pc.connection_state(),
        local: pc.local_description(),
        remote: pc.remote_description(),
        transceivers: pc.get_transceivers(),
        negotiation_needed: pc.is_negotiation_needed(),
    }
}

/// Runs `f` on `pc`, checks it failed as `check` says and changed
/// nothing, events included.
fn refused(
    pc: &mut RTCPeerConnection,
    f: impl FnOnce(&mut RTCPeerConnection) -> Result<(), PeerError>,
    check: impl FnOnce(&PeerError) -> bool,
) {
    while pc.poll_event().is_some() {}
    let before = snapshot(pc);
    let err = f(pc).expect_err("must be refused");
    assert!(check(&err), "unexpected error {err:?}");
    assert_eq!(
        snapshot(pc),
        before,
        "state changed by a refused call ({err})"
    );
    assert_eq!(pc.poll_event(), None, "events from a refused call ({err})");
}

/// A description and how its refusal must look.
type Case = (String, fn(&PeerError) -> bool);

fn edit(sdp: &str, f: impl Fn(&str) -> Option<String>) -> String {
    sdp.lines()
        .filter_map(f)
        .map(|l| format!("{l}\r\n"))
        .collect()
}

fn world() -> World {
    let mut w = World::new(70, LinkConditions::ideal(Duration::from_millis(10)));
    w.a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    w.a()
        .create_data_channel("x", RTCDataChannelInit::default())
        .unwrap();
    w
}

#[test]
fn descriptions_in_the_wrong_signaling_state() {
    let mut w = world();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    let b = w.b();
    // An answer or a rollback in stable.
    refused(
        b,
        |pc| pc.set_remote_description(now, RTCSessionDescription::answer(offer.sdp.clone())),
        |e| {
            matches!(
                e,
                PeerError::WrongSignalingState {
                    state: RTCSignalingState::Stable,
                    ..
                }
            )
        },
    );
    refused(
        b,
        |pc| pc.set_local_description(now, RTCSessionDescription::rollback()),
        |e| matches!(e, PeerError::WrongSignalingState { .. }),
    );
    refused(
        b,
        |pc| pc.create_answer().map(|_| ()),
        |e| matches!(e, PeerError::WrongSignalingState { .. }),
    );
    // An answer never created.
    refused(
        b,
        |pc| pc.set_local_description(now, RTCSessionDescription::answer("")),
        |e| matches!(e, PeerError::WrongSignalingState { .. }),
    );
    // In have-local-offer: no remote offer rollback, no local answer.
    let a = w.a();
    a.set_local_description(now, offer.clone()).unwrap();
    refused(
        a,
        |pc| pc.set_remote_description(now, RTCSessionDescription::rollback()),
        |e| matches!(e, PeerError::WrongSignalingState { .. }),
    );
    refused(
        a,
        |pc| pc.set_local_description(now, RTCSessionDescription::answer("")),
        |e| matches!(e, PeerError::WrongSignalingState { .. }),
    );
    // A local offer other than the one created.
    let munged = offer.sdp.replace("a=setup:actpass", "a=setup:active");
    refused(
        a,
        |pc| pc.set_local_description(now, RTCSessionDescription::offer(munged.clone())),
        |e| *e == PeerError::InvalidModification,
    );
}

#[test]
fn remote_offers_that_break_the_rules() {
    let mut w = world();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap().sdp;
    let b = w.b();
    let cases: Vec<Case> = vec![
        (
            "v=0\r\nnonsense\r\n".into(),
            |e| matches!(e, PeerError::Sdp(err) if err.line == 2),
        ),
        (
            edit(&offer, |l| {
                (!l.starts_with("a=fingerprint")).then(|| l.into())
            }),
            |e| *e == PeerError::MissingFingerprint,
        ),
        (
            edit(&offer, |l| (!l.starts_with("a=ice-pwd")).then(|| l.into())),
            |e| *e == PeerError::MissingIceCredentials,
        ),
        (
            edit(&offer, |l| (!l.starts_with("a=rtcp-mux")).then(|| l.into())),
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("rtcp-mux")),
        ),
        (
            edit(&offer, |l| Some(l.replace("a=mid:1", "a=mid:0"))),
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("twice")),
        ),
        (
            edit(&offer, |l| (!l.starts_with("a=mid:0")).then(|| l.into())),
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("a=mid")),
        ),
        (
            edit(&offer, |l| {
                Some(if let Some(f) = l.strip_prefix("a=fingerprint:sha-256 ") {
                    format!("a=fingerprint:md5 {}", &f[..47])
                } else {
                    l.into()
                })
            }),
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("hash")),
        ),
        (
            edit(&offer, |l| {
                Some(if l.starts_with("a=ice-ufrag:") {
                    "a=ice-ufrag:x".into()
                } else {
                    l.into()
                })
            }),
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("ICE")),
        ),
    ];
    for (sdp, check) in cases {
        refused(
            b,
            |pc| pc.set_remote_description(now, RTCSessionDescription::offer(sdp.clone())),
            check,
        );
    }
    // The untouched offer is accepted afterwards.
    b.set_remote_description(now, RTCSessionDescription::offer(offer))
        .unwrap();
}

#[test]
fn remote_answers_that_do_not_match_the_offer() {
    let mut w = world();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    w.b().set_remote_description(now, offer).unwrap();
    let answer = w.b().create_answer().unwrap().sdp;
    let a = w.a();
    let cases: Vec<Case> = vec![
        (
            edit(&answer, |l| Some(l.replace("a=mid:1", "a=mid:7"))),
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("another mid")),
        ),
        (
            {
                // Drop the last m-line.
                let cut = answer.rfind("m=application").unwrap();
                answer[..cut].to_string()
            },
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("m-lines")),
        ),
        (
            answer.replace("a=setup:active", "a=setup:actpass"),
            |e| matches!(e, PeerError::InvalidDescription(t) if t.contains("setup")),
        ),
        (
            edit(&answer, |l| {
                (!l.starts_with("a=fingerprint")).then(|| l.into())
            }),
            |e| *e == PeerError::MissingFingerprint,
        ),
    ];
    for (sdp, check) in cases {
        refused(
            a,
            |pc| pc.set_remote_description(now, RTCSessionDescription::answer(sdp.clone())),
            check,
        );
    }
    a.set_remote_description(now, RTCSessionDescription::answer(answer))
        .unwrap();
    assert_eq!(a.signaling_state(), RTCSignalingState::Stable);
}

#[test]
fn candidates_for_unknown_m_lines() {
    let mut w = world();
    let now = w.now();
    let candidate = RTCIceCandidateInit {
        candidate: "candidate:1 1 udp 2122252543 10.0.0.9 4000 typ host".into(),
        sdp_mid: Some("0".into()),
        sdp_m_line_index: None,
        username_fragment: None,
    };
    refused(
        w.b(),
        |pc| pc.add_ice_candidate(candidate.clone()),
        |e| *e == PeerError::NoRemoteDescription,
    );
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.b().set_remote_description(now, offer).unwrap();
    let b = w.b();
    let with = |mid: Option<&str>, index: Option<u16>, text: &str, ufrag: Option<&str>| {
        RTCIceCandidateInit {
            candidate: text.into(),
            sdp_mid: mid.map(Into::into),
            sdp_m_line_index: index,
            username_fragment: ufrag.map(Into::into),
        }
    };
    let good = candidate.candidate.as_str();
    refused(
        b,
        |pc| pc.add_ice_candidate(with(Some("9"), None, good, None)),
        |e| *e == PeerError::UnknownMid("9".into()),
    );
    refused(
        b,
        |pc| pc.add_ice_candidate(with(None, Some(5), good, None)),
        |e| *e == PeerError::UnknownMLine(5),
    );
    refused(
        b,
        |pc| pc.add_ice_candidate(with(None, None, good, None)),
        |e| *e == PeerError::CandidateWithoutMid,
    );
    refused(
        b,
        |pc| pc.add_ice_candidate(with(Some("0"), None, "candidate:1 1 udp x", None)),
        |e| matches!(e, PeerError::Candidate(_)),
    );
    refused(
        b,
        |pc| pc.add_ice_candidate(with(Some("0"), None, good, Some("nope"))),
        |e| matches!(e, PeerError::InvalidDescription(_)),
    );
    // A good one by index is taken.
    b.add_ice_candidate(with(None, Some(0), good, None))
        .unwrap();
    assert!(
        b.remote_description()
            .unwrap()
            .sdp
            .contains("10.0.0.9 4000")
    );
}

#[test]
fn junk_datagrams_on_a_live_connection() {
    let mut w = world();
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(10), |w| w.connected()));
    let now = w.now();
    let (local, peer) = (w.peers[0].addr, w.peers[1].addr);
    let mut seed = 0x1234_5678u64;
    for i in 0..2000 {
        seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
        let len = (seed >> 33) as usize % 300;
        let mut data: Vec<u8> = (0..len).map(|j| (seed >> (j % 56)) as u8).collect();
        if let Some(first) = data.first_mut() {
            // Every RFC 7983 range in turn.
            *first = [0, 1, 22, 23, 128, 0x80, 0x81, 70, 200, 17][i % 10];
        }
        if data.len() > 1 && i % 3 == 0 {
            data[1] = 200; // RTCP packet type
        }
        w.a()
            .handle_read(
                now,
                TaggedPacket {
                    local,
                    peer,
                    protocol: Protocol::Udp,
                    data: &data,
                },
            )
            .unwrap();
    }
    assert!(w.connected());
    let stats = w.a().stats();
    let t = stats.transport;
    assert!(
        t.dropped_unknown + t.dropped_dtls + t.dropped_srtp > 1000,
        "{t:?}"
    );
    // Still working: a message goes through.
    let ch = w.a().data_channels().next().unwrap();
    assert!(w.run_until(Duration::from_secs(2), |w| {
        w.peers[0].saw(|e| *e == PeerEvent::DataChannelOpen(ch))
    }));
    w.a().data_channel(ch).unwrap().send(b"ok").unwrap();
    assert!(w.run_until(Duration::from_secs(2), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
    }));
}
