//! Answers zerortc writes to the offers Chromium 156 and Firefox ESR 153
//! made (fixtures in `tests/fixtures/sdp`): every m-line answered in
//! order, the same m-lines accepted as the browsers' own answers, codecs
//! and header extensions taken from the offer, one BUNDLE transport, DTLS
//! client role. The browser interop issue drives real browsers with them.

use std::path::Path;
use std::time::Instant;

use zerortc::peer::*;
use zerortc::sdp::{Direction, MediaKind as SdpKind, SessionDescription, Setup};

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sdp")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn offers() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sdp");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with("-offer.sdp"))
        .collect();
    names.sort();
    assert!(names.len() >= 9, "{names:?}");
    names.into_iter().map(|n| (fixture(&n), n)).collect()
}

/// The browser's own answer to this offer, when captured.
fn browser_answer(offer_name: &str) -> Option<SessionDescription> {
    let (browser, rest) = offer_name.split_once('-')?;
    let scenario = rest.strip_suffix("-offer.sdp")?;
    let other = if browser.starts_with("chromium") {
        "firefox153"
    } else {
        "chromium156"
    };
    let name = format!("{other}-{scenario}-answer-to-{browser}.sdp");
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sdp")
        .join(&name);
    let text = std::fs::read_to_string(path).ok()?;
    Some(SessionDescription::parse(&text).expect("browser answer parses"))
}

fn answer_to(offer: &str, tracks: bool) -> (RTCPeerConnection, SessionDescription) {
    let mut pc = RTCPeerConnection::new(RTCConfiguration {
        rng_seed: Some(7),
        ..RTCConfiguration::default()
    })
    .unwrap();
    pc.add_local_address("127.0.0.1:7000".parse().unwrap());
    if tracks {
        pc.add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "z"))
            .unwrap();
        pc.add_track(MediaStreamTrack::new("cam", MediaKind::Video, "z"))
            .unwrap();
    }
    let now = Instant::now();
    pc.set_remote_description(now, RTCSessionDescription::offer(offer))
        .unwrap();
    let answer = pc.create_answer().unwrap();
    pc.set_local_description(now, answer.clone()).unwrap();
    assert_eq!(pc.signaling_state(), RTCSignalingState::Stable);
    let model = SessionDescription::parse(&answer.sdp).unwrap();
    (pc, model)
}

#[test]
fn answers_to_browser_offers() {
    let mut compared = 0;
    for (offer_text, name) in offers() {
        let offer = SessionDescription::parse(&offer_text).unwrap();
        for tracks in [false, true] {
            let (mut pc, answer) = answer_to(&offer_text, tracks);
            assert_eq!(answer.media.len(), offer.media.len(), "{name}");
            let bundle = answer.bundle_group().expect("BUNDLE group");
            for (o, a) in offer.media.iter().zip(&answer.media) {
                assert_eq!(o.mid, a.mid, "{name}");
                assert_eq!(o.kind, a.kind, "{name}");
                if a.port == 0 {
                    continue;
                }
                let mid = a.mid.as_deref().unwrap();
                assert!(bundle.mids.iter().any(|m| m == mid), "{name}");
                assert_eq!(answer.setup_of(a), Some(Setup::Active), "{name}");
                assert!(!answer.fingerprints_of(a).is_empty());
                assert!(answer.ice_ufrag_of(a).is_some() && answer.ice_pwd_of(a).is_some());
                if a.kind == SdpKind::Application {
                    assert_eq!(a.proto, o.proto, "{name}");
                    assert_eq!(a.sctp_port, Some(5000), "{name}");
                    continue;
                }
                assert!(a.rtcp_mux, "{name}");
                assert!(!a.codecs.is_empty(), "{name} {mid}");
                for c in &a.codecs {
                    let offered = o.codec(c.payload_type).expect("offered payload type");
                    assert!(
                        offered
                            .name()
                            .unwrap()
                            .eq_ignore_ascii_case(c.name().unwrap()),
                        "{name}: {c:?} vs {offered:?}"
                    );
                    if let Some(apt) = c.apt() {
                        assert!(a.codec(apt).is_some(), "{name}: RTX apt {apt}");
                    }
                }
                for e in &a.extmaps {
                    assert!(
                        o.extmaps.iter().any(|x| x.id == e.id && x.uri == e.uri),
                        "{name}: {e:?}"
                    );
                }
                let offered_dir = offer.direction_of(o);
                let expected = if tracks {
                    Direction::from_flags(offered_dir.receives(), offered_dir.sends())
                } else {
                    Direction::from_flags(false, offered_dir.sends())
                };
                assert_eq!(answer.direction_of(a), expected, "{name} {mid}");
                if tracks && expected.sends() {
                    assert!(!a.ssrcs.is_empty() && !a.msids.is_empty(), "{name}");
                }
            }
            // The same m-lines as the browser's own answer, and the same
            // preferred codec on each.
            if let Some(theirs) = browser_answer(&name) {
                compared += 1;
                for (ours, theirs) in answer.media.iter().zip(&theirs.media) {
                    assert_eq!(ours.port == 0, theirs.port == 0, "{name} {:?}", ours.mid);
                    if ours.port != 0 && ours.kind != SdpKind::Application {
                        let first = |m: &zerortc::sdp::MediaDescription| {
                            m.payload_types()
                                .next()
                                .and_then(|pt| m.codec(pt))
                                .and_then(|c| c.name().map(str::to_ascii_lowercase))
                        };
                        assert_eq!(first(ours), first(theirs), "{name} {:?}", ours.mid);
                    }
                }
            }
            // Track events for every m-line the browser sends on.
            let sending = offer
                .media
                .iter()
                .filter(|m| m.kind != SdpKind::Application && offer.direction_of(m).sends())
                .count();
            let tracks_fired = std::iter::from_fn(|| pc.poll_event())
                .filter(|e| matches!(e, PeerEvent::Track { .. }))
                .count();
            assert_eq!(tracks_fired, sending, "{name}");
        }
    }
    assert_eq!(compared, 2 * 8, "every captured browser answer compared");
}

#[test]
fn browser_candidates_in_offers_reach_ice() {
    let (pc, _) = answer_to(&fixture("firefox153-av-data-offer.sdp"), false);
    let stats = pc.stats().ice.unwrap();
    // UDP component-1 candidates are taken; TCP and component 2 ignored.
    assert!(stats.ignored_remote_candidates >= 6, "{stats:?}");
}
