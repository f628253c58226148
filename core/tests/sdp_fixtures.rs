//! SDP on real browser descriptions: every `.sdp` under
//! `core/tests/fixtures/` (Chromium 156 and Firefox ESR offers and answers,
//! see `fixtures/sdp/README.md`) parses, round-trips (parse → serialize →
//! parse is equal; the serialized lines are the original lines up to the
//! normalisations documented in `zerortc::sdp`), and the key fields hold
//! what the browser wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zerortc::ice::{CandidateType, TransportProtocol};
use zerortc::sdp::{
    Direction, HashFunction, MediaKind, Proto, RidDirection, SessionDescription, Setup,
};

fn fixtures_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every `.sdp` file under `tests/fixtures` and `tests/fixtures/sdp`.
fn all_fixtures() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in [fixtures_dir(), fixtures_dir().join("sdp")] {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "sdp") {
                files.push(path);
            }
        }
    }
    files.sort();
    assert!(files.len() >= 4, "fixtures missing: {files:?}");
    files
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap()
}

fn fixture(name: &str) -> SessionDescription {
    let path = if name.contains("plain-rtp") {
        fixtures_dir().join(name)
    } else {
        fixtures_dir().join("sdp").join(name)
    };
    SessionDescription::parse(&read(&path)).unwrap()
}

/// One line with the documented normalisations applied (see the
/// `zerortc::sdp` module doc, "Round trip").
fn normalise(line: &str) -> String {
    let line = line.trim();
    let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
    let mut line = words.join(" ");
    if let Some(rest) = line.strip_prefix("a=msid-semantic:") {
        line = format!("a=msid-semantic: {}", rest.trim_start());
    }
    if let Some(rest) = line.strip_prefix("a=fingerprint:") {
        let (hash, value) = rest.split_once(' ').unwrap();
        line = format!(
            "a=fingerprint:{} {}",
            hash.to_ascii_lowercase(),
            value.to_ascii_uppercase()
        );
    }
    if line.starts_with("a=candidate:") {
        let mut fields: Vec<String> = line.split(' ').map(str::to_string).collect();
        fields[2] = fields[2].to_ascii_lowercase();
        line = fields.join(" ");
    }
    if let Some(rest) = line.strip_prefix("a=fmtp:") {
        let (pt, params) = rest.split_once(' ').unwrap_or((rest, ""));
        let params: Vec<&str> = params.split(';').map(str::trim).collect();
        line = format!("a=fmtp:{pt} {}", params.join(";"));
    }
    line
}

fn line_multiset(text: &str) -> BTreeMap<String, usize> {
    let mut set = BTreeMap::new();
    for line in text.lines().filter(|l| !l.trim().is_empty()) {
        *set.entry(normalise(line)).or_insert(0) += 1;
    }
    set
}

#[test]
fn every_fixture_parses_and_round_trips() {
    for path in all_fixtures() {
        let text = read(&path);
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let parsed = SessionDescription::parse(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        let written = parsed.to_string();
        assert!(written.ends_with("\r\n"), "{name}: CRLF");
        assert!(
            !written.replace("\r\n", "").contains('\n'),
            "{name}: only CRLF line ends"
        );
        let reparsed = SessionDescription::parse(&written).unwrap();
        assert_eq!(parsed, reparsed, "{name}: parse → serialize → parse");
        assert_eq!(written, reparsed.to_string(), "{name}: serialize is stable");
        assert_eq!(
            line_multiset(&text),
            line_multiset(&written),
            "{name}: the serialized lines are the original lines"
        );
        assert!(!parsed.media.is_empty(), "{name}: has media sections");
    }
}

#[test]
fn chromium_descriptions_come_back_byte_for_byte() {
    for path in all_fixtures() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if !name.starts_with("chromium") {
            continue;
        }
        let text = read(&path);
        let parsed = SessionDescription::parse(&text).unwrap();
        // Attributes the model does not type move to the end of their
        // section: compare with them removed from both sides.
        let untyped = |t: &str| -> Vec<String> {
            t.lines()
                .filter(|l| !l.starts_with("a=rtcp-xr:"))
                .map(str::to_string)
                .collect()
        };
        assert_eq!(
            untyped(&text),
            untyped(&parsed.to_string()),
            "{name}: Chromium's line order"
        );
    }
}

#[test]
fn chromium_datachannel_offer_fields() {
    let offer = fixture("chromium156-datachannel-offer.sdp");
    assert_eq!(offer.origin.session_id, 8293342327989182602);
    assert_eq!(offer.origin.session_version, 2);
    assert_eq!(offer.bundle_group().unwrap().mids, ["0"]);
    assert!(offer.extmap_allow_mixed);
    let semantic = offer.msid_semantic.as_ref().unwrap();
    assert_eq!(semantic.semantics, "WMS");
    assert!(semantic.identifiers.is_empty());
    assert_eq!(offer.media.len(), 1);
    let m = &offer.media[0];
    assert_eq!(m.kind, MediaKind::Application);
    assert_eq!(m.port, 9);
    assert_eq!(m.proto, Proto::UdpDtlsSctp);
    assert_eq!(m.formats, ["webrtc-datachannel"]);
    assert_eq!(m.connection.as_ref().unwrap().address, "0.0.0.0");
    assert_eq!(m.mid.as_deref(), Some("0"));
    assert_eq!(m.ice_ufrag.as_deref(), Some("bFcS"));
    assert_eq!(m.ice_pwd.as_deref(), Some("hls7LDGEvywdSYXcZOx9zeW9"));
    assert_eq!(m.ice_options, ["trickle"]);
    assert_eq!(m.setup, Some(Setup::ActPass));
    assert_eq!(m.fingerprints.len(), 1);
    assert_eq!(m.fingerprints[0].hash, HashFunction::Sha256);
    assert_eq!(&m.fingerprints[0].value[..4], &[0xFF, 0x87, 0x63, 0x64]);
    assert!(m.fingerprints[0].to_crypto().is_some());
    assert_eq!(m.sctp_port, Some(5000));
    assert_eq!(m.max_message_size, Some(262144));
    assert!(m.codecs.is_empty());
    assert!(
        m.attributes.is_empty(),
        "every line typed: {:?}",
        m.attributes
    );

    let answer = fixture("chromium156-datachannel-answer.sdp");
    assert_eq!(answer.media[0].setup, Some(Setup::Active));
}

#[test]
fn chromium_plain_rtp_offer_fields() {
    let offer = fixture("chromium156-plain-rtp-offer.sdp");
    assert_eq!(offer.bundle_group().unwrap().mids, ["0", "1"]);
    assert_eq!(
        offer.msid_semantic.as_ref().unwrap().identifiers,
        ["826dd076-8c42-4b32-8ab3-05a3f8240320"]
    );
    let [audio, video] = &offer.media[..] else {
        panic!("two sections")
    };
    assert_eq!(audio.proto, Proto::RtpAvpf);
    assert_eq!(audio.kind, MediaKind::Audio);
    assert_eq!(audio.direction, Some(Direction::SendOnly));
    assert_eq!(audio.rtcp.as_ref().unwrap().port, 9);
    assert!(audio.rtcp_mux && audio.rtcp_rsize && !audio.rtcp_mux_only);
    assert_eq!(audio.formats.len(), 8);
    let opus = audio.codec(111).unwrap();
    assert!(opus.is("opus"));
    assert_eq!(opus.clock_rate(), Some(48000));
    assert_eq!(opus.channels(), Some(2));
    assert_eq!(opus.fmtp_param("useinbandfec"), Some("1"));
    assert_eq!(opus.rtcp_fb.len(), 1);
    assert_eq!(opus.rtcp_fb[0].kind, "transport-cc");
    assert_eq!(
        audio.codec(63).unwrap().fmtp.as_ref().unwrap().to_string(),
        "111/111"
    );
    assert_eq!(
        audio.extmap_id("urn:ietf:params:rtp-hdrext:sdes:mid"),
        Some(4)
    );
    assert_eq!(audio.ssrcs.len(), 1);
    assert_eq!(audio.ssrcs[0].ssrc, 4176171431);
    assert_eq!(audio.ssrcs[0].cname(), Some("qNTQZV2OzVRSaZlc"));
    assert_eq!(
        audio.msids[0].stream_id,
        "826dd076-8c42-4b32-8ab3-05a3f8240320"
    );
    assert_eq!(
        audio
            .attributes_named("rtcp-xr")
            .next()
            .unwrap()
            .value
            .as_deref(),
        Some("rcvr-rtt=all")
    );

    // Codecs come in m-line order.
    let pts: Vec<u8> = video.codecs.iter().map(|c| c.payload_type).collect();
    let formats: Vec<u8> = video.payload_types().collect();
    assert_eq!(pts, formats);
    let h264: Vec<_> = video.codecs.iter().filter(|c| c.is("H264")).collect();
    assert_eq!(h264.len(), 6);
    let pt108 = video.codec(108).unwrap();
    assert_eq!(pt108.fmtp_param("profile-level-id"), Some("42e01f"));
    assert_eq!(pt108.fmtp_param("packetization-mode"), Some("1"));
    assert_eq!(pt108.fmtp_param("level-asymmetry-allowed"), Some("1"));
    assert_eq!(pt108.rtcp_fb.len(), 5);
    let rtx = video.codec(109).unwrap();
    assert!(rtx.is_rtx());
    assert_eq!(rtx.apt(), Some(108));
    assert_eq!(video.codec(45).unwrap().fmtp_param("profile"), Some("0"));
    assert_eq!(
        video.codec(100).unwrap().fmtp_param("profile-id"),
        Some("2")
    );
    assert_eq!(video.extmaps.len(), 11);
    assert_eq!(video.extmaps[0].id, 14);
    assert_eq!(video.extmaps[0].uri, "urn:ietf:params:rtp-hdrext:toffset");
    assert_eq!(video.ssrc_groups.len(), 1);
    assert_eq!(video.ssrc_groups[0].semantics, "FID");
    assert_eq!(video.ssrc_groups[0].ssrcs, [3173936485, 3289132137]);
    assert_eq!(video.ssrcs.len(), 2);
    assert_eq!(video.ssrcs[1].attributes.len(), 2);
}

fn candidates_of(sdp: &SessionDescription) -> Vec<(TransportProtocol, CandidateType)> {
    sdp.media
        .iter()
        .flat_map(|m| m.candidates.iter().map(|c| (c.transport, c.kind)))
        .collect()
}

#[test]
fn chromium_av_offer_codecs_and_ssrcs() {
    let offer = fixture("chromium156-av-offer.sdp");
    assert!(offer.media.iter().all(|m| m.proto == Proto::UdpTlsRtpSavpf));
    let video = offer.media_by_mid("1").unwrap();
    let h264: Vec<(u8, &str, &str)> = video
        .codecs
        .iter()
        .filter(|c| c.is("H264"))
        .map(|c| {
            (
                c.payload_type,
                c.fmtp_param("profile-level-id").unwrap(),
                c.fmtp_param("packetization-mode").unwrap(),
            )
        })
        .collect();
    assert_eq!(
        h264,
        [
            (102, "42001f", "1"),
            (104, "42001f", "0"),
            (108, "42e01f", "1"),
            (114, "42e01f", "0"),
            (116, "4d001f", "1"),
            (39, "4d001f", "0")
        ]
    );
    // Every RTX names a payload type of the same section.
    for rtx in video.codecs.iter().filter(|c| c.is_rtx()) {
        assert!(video.codec(rtx.apt().unwrap()).is_some());
    }
    let group = &video.ssrc_groups[0];
    assert_eq!(video.rtx_ssrc(group.ssrcs[0]), Some(group.ssrcs[1]));
    let msid = &video.msids[0];
    assert_eq!(
        video.ssrc(group.ssrcs[0]).unwrap().attribute("msid"),
        Some(format!("{} {}", msid.stream_id, msid.track_id.as_deref().unwrap()).as_str())
    );
    assert_eq!(video.fingerprints[0].hash, HashFunction::Sha256);
    assert_eq!(offer.media[0].fingerprints, video.fingerprints);
}

#[test]
fn firefox_offer_fields() {
    let offer = fixture("firefox153-av-offer.sdp");
    assert_eq!(offer.origin.username, "mozilla...THIS_IS_SDPARTA-99.0");
    assert_eq!(offer.origin.address, "0.0.0.0");
    // Session-level attributes Firefox writes.
    assert_eq!(offer.direction, Some(Direction::SendRecv));
    assert_eq!(offer.fingerprints.len(), 1);
    assert_eq!(offer.fingerprints[0].hash, HashFunction::Sha256);
    assert_eq!(offer.ice_options, ["trickle"]);
    let semantic = offer.msid_semantic.as_ref().unwrap();
    assert_eq!(
        (semantic.semantics.as_str(), &semantic.identifiers[..]),
        ("WMS", &["*".to_string()][..])
    );
    assert_eq!(offer.bundle_group().unwrap().mids, ["0", "1"]);
    let [audio, video] = &offer.media[..] else {
        panic!("two sections")
    };
    // Per-section values inherit the session's.
    assert!(audio.fingerprints.is_empty());
    assert_eq!(offer.fingerprints_of(audio), &offer.fingerprints[..]);
    assert_eq!(offer.ice_options_of(video), ["trickle"]);
    assert_eq!(offer.setup_of(audio), Some(Setup::ActPass));
    assert_eq!(offer.direction_of(video), Direction::SendRecv);
    assert_eq!(audio.proto, Proto::UdpTlsRtpSavpf);
    assert!(audio.end_of_candidates);
    assert_eq!(audio.candidates.len(), 8);
    let rtcp = audio.rtcp.as_ref().unwrap();
    assert_eq!(rtcp.connection.as_ref().unwrap().address, "127.0.0.1");
    // Firefox's upper-case transports are parsed; components 1 and 2.
    assert!(
        audio
            .candidates
            .iter()
            .any(|c| c.transport == TransportProtocol::Tcp)
    );
    assert!(audio.candidates.iter().any(|c| c.component == 2));
    assert!(
        audio
            .candidates
            .iter()
            .any(|c| c.address.ip().is_some_and(|ip| ip.is_ipv6()))
    );
    // Extension directions.
    let csrc = audio.extmaps.iter().find(|e| e.id == 2).unwrap();
    assert_eq!(csrc.direction, Some(Direction::RecvOnly));
    assert_eq!(csrc.uri, "urn:ietf:params:rtp-hdrext:csrc-audio-level");
    assert!(audio.extmap_allow_mixed);
    let opus = audio.codec(109).unwrap();
    assert_eq!(
        opus.fmtp.as_ref().unwrap().to_string(),
        "maxplaybackrate=48000;stereo=1;useinbandfec=1"
    );
    assert_eq!(
        audio.codec(101).unwrap().fmtp.as_ref().unwrap().to_string(),
        "0-15"
    );
    assert_eq!(audio.codec(9).unwrap().channels(), Some(1));
    // Codecs in m-line order although Firefox writes fmtp, rtcp-fb, rtpmap
    // lines in three runs.
    let pts: Vec<u8> = video.codecs.iter().map(|c| c.payload_type).collect();
    assert_eq!(pts, video.payload_types().collect::<Vec<_>>());
    assert_eq!(video.codec(124).unwrap().apt(), Some(120));
    assert!(video.codecs.iter().all(|c| !c.is("H264")));
    assert_eq!(video.ssrc_groups.len(), 1);
    assert!(
        video
            .ssrcs
            .iter()
            .all(|s| s.cname().is_some_and(|c| c.starts_with('{')))
    );
    assert!(video.rtcp_rsize && video.rtcp_mux);
}

#[test]
fn data_channel_offers_of_both_browsers() {
    for name in ["chromium156-data-offer.sdp", "firefox153-data-offer.sdp"] {
        let offer = fixture(name);
        let m = &offer.media[0];
        assert_eq!(m.kind, MediaKind::Application, "{name}");
        assert_eq!(m.proto, Proto::UdpDtlsSctp, "{name}");
        assert_eq!(m.formats, ["webrtc-datachannel"], "{name}");
        assert_eq!(m.sctp_port, Some(5000), "{name}");
        assert_eq!(offer.setup_of(m), Some(Setup::ActPass), "{name}");
        assert!(!m.candidates.is_empty(), "{name}");
        assert_eq!(
            m.port, m.candidates[0].port,
            "{name}: m= port is the default candidate's"
        );
    }
    assert_eq!(
        fixture("firefox153-data-offer.sdp").media[0].max_message_size,
        Some(1073741823)
    );
    assert_eq!(
        fixture("chromium156-data-offer.sdp").media[0].max_message_size,
        Some(262144)
    );
    let answer = fixture("chromium156-data-answer-to-firefox153.sdp");
    assert_eq!(answer.media[0].setup, Some(Setup::Active));
    assert_eq!(answer.media[0].mid.as_deref(), Some("0"));
}

#[test]
fn simulcast_offers() {
    for name in [
        "chromium156-av-simulcast-offer.sdp",
        "firefox153-av-simulcast-offer.sdp",
    ] {
        let offer = fixture(name);
        let video = offer
            .media
            .iter()
            .find(|m| m.kind == MediaKind::Video)
            .unwrap();
        let rids: Vec<(&str, RidDirection)> = video
            .rids
            .iter()
            .map(|r| (r.id.as_str(), r.direction))
            .collect();
        assert_eq!(
            rids,
            [
                ("q", RidDirection::Send),
                ("h", RidDirection::Send),
                ("f", RidDirection::Send)
            ],
            "{name}"
        );
        let simulcast = video.simulcast.as_ref().unwrap();
        assert_eq!(simulcast.to_string(), "send q;h;f", "{name}");
        assert!(simulcast.recv.is_empty());
        assert!(
            video
                .extmap_id("urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id")
                .is_some(),
            "{name}"
        );
    }
    let firefox = fixture("firefox153-av-simulcast-offer.sdp");
    let video = &firefox.media[1];
    assert_eq!(video.ssrc_groups.len(), 3);
    assert!(
        video
            .ssrc_groups
            .iter()
            .all(|g| g.semantics == "FID" && g.ssrcs.len() == 2)
    );
    let chromium = fixture("chromium156-av-simulcast-offer.sdp");
    assert!(chromium.media[1].ssrcs.is_empty());
}

#[test]
fn answers_of_both_browsers() {
    for (name, offer) in [
        (
            "firefox153-av-answer-to-chromium156.sdp",
            "chromium156-av-offer.sdp",
        ),
        (
            "chromium156-av-answer-to-firefox153.sdp",
            "firefox153-av-offer.sdp",
        ),
        (
            "firefox153-av-data-answer-to-chromium156.sdp",
            "chromium156-av-data-offer.sdp",
        ),
        (
            "chromium156-av-data-answer-to-firefox153.sdp",
            "firefox153-av-data-offer.sdp",
        ),
    ] {
        let answer = fixture(name);
        let offer = fixture(offer);
        let mids = |s: &SessionDescription| -> Vec<String> {
            s.media.iter().map(|m| m.mid.clone().unwrap()).collect()
        };
        assert_eq!(mids(&answer), mids(&offer), "{name}: mids in offer order");
        assert_eq!(answer.bundle_group().unwrap().mids, mids(&offer), "{name}");
        for m in &answer.media {
            assert_eq!(answer.setup_of(m), Some(Setup::Active), "{name}");
            assert_eq!(answer.fingerprints_of(m).len(), 1, "{name}");
            assert!(!m.is_rejected(), "{name}");
            if m.kind != MediaKind::Application {
                assert_eq!(answer.direction_of(m), Direction::SendRecv, "{name}");
                assert!(m.rtcp_mux, "{name}");
                // Extension ids are the offer's.
                let offered = offer.media_by_mid(m.mid.as_deref().unwrap()).unwrap();
                for e in &m.extmaps {
                    assert_eq!(offered.extmap_id(&e.uri), Some(e.id), "{name}: {}", e.uri);
                }
            }
        }
    }
}

#[test]
fn candidates_of_both_browsers() {
    let chromium = fixture("chromium156-av-data-offer.sdp");
    let c = &chromium.media[0].candidates[0];
    assert_eq!(c.generation, Some(0));
    assert_eq!(c.network_cost, Some(50));
    assert!(candidates_of(&chromium).contains(&(TransportProtocol::Udp, CandidateType::Host)));
    assert!(candidates_of(&chromium).contains(&(TransportProtocol::Tcp, CandidateType::Host)));
    let firefox = fixture("firefox153-av-data-offer.sdp");
    assert!(firefox.media.iter().all(|m| m.end_of_candidates));
    assert!(
        candidates_of(&firefox)
            .iter()
            .all(|&(_, k)| k == CandidateType::Host)
    );
    // Every candidate line of every fixture comes back as written (up to
    // the transport's case).
    for path in all_fixtures() {
        let text = read(&path);
        let sdp = SessionDescription::parse(&text).unwrap();
        let written: Vec<String> = sdp
            .media
            .iter()
            .flat_map(|m| m.candidates.iter().map(|c| format!("a={c}")))
            .collect();
        let original: Vec<String> = text
            .lines()
            .filter(|l| l.starts_with("a=candidate:"))
            .map(normalise)
            .collect();
        assert_eq!(written, original, "{}", path.display());
    }
}
