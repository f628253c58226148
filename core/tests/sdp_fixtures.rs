//! SDP on real browser descriptions: every `.sdp` under
//! `core/tests/fixtures/` (Chromium 156 and Firefox ESR offers and answers,
//! see `fixtures/sdp/README.md`) parses, round-trips (parse → serialize →
//! parse is equal; the serialized lines are the original lines up to the
//! normalisations documented in `zerortc::sdp`), and the key fields hold
//! what the browser wrote.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use zerortc::ice::{CandidateType, TransportProtocol};
use zerortc::sdp::{Direction, HashFunction, MediaKind, Proto, SessionDescription, Setup};

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

/// Used by the capture-based tests below.
#[allow(dead_code)]
fn candidates_of(sdp: &SessionDescription) -> Vec<(TransportProtocol, CandidateType)> {
    sdp.media
        .iter()
        .flat_map(|m| m.candidates.iter().map(|c| (c.transport, c.kind)))
        .collect()
}
