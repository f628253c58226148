//! The SDP parser and serializer on hand-written descriptions: what is
//! accepted (LF or CRLF, whitespace, any attribute order), every typed
//! attribute, unknown attributes kept in order, and malformed lines
//! rejected with their 1-based line number and reason.

use zerortc::ice::CandidateError;
use zerortc::sdp::{
    Attribute, Codec, Connection, Direction, ExtMap, Fingerprint, Group, HashFunction,
    MediaDescription, MediaKind, Msid, Origin, Proto, Rtcp, SdpError, SdpErrorKind,
    SessionDescription, Setup, Simulcast, SimulcastRid, Ssrc, SsrcGroup,
};

/// A minimal offer with one of everything; `\n` line ends, joined to CRLF
/// by [`crlf`].
const FULL: &str = "v=0
o=- 4611731400430051336 2 IN IP4 127.0.0.1
s=-
i=a session
u=https://example.invalid/
e=ops@example.invalid
p=+1 555 0100
c=IN IP4 0.0.0.0
b=AS:2000
t=0 0
r=604800 3600 0 90000
z=2882844526 -1h
a=group:BUNDLE 0 1 2
a=group:LS 0 1
a=extmap-allow-mixed
a=msid-semantic: WMS stream
a=ice-lite
a=ice-ufrag:sEsS
a=ice-pwd:sessionpasswordsessionpass
a=ice-options:trickle ice2
a=fingerprint:sha-256 AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89
a=setup:actpass
a=sendrecv
a=x-session-unknown:1
a=x-session-flag
m=audio 9 UDP/TLS/RTP/SAVPF 111 0
i=microphone
c=IN IP4 0.0.0.0
b=TIAS:64000
a=rtcp:9 IN IP4 0.0.0.0
a=candidate:1 1 udp 2122260223 127.0.0.1 50000 typ host generation 0
a=candidate:2 1 udp 1686052607 203.0.113.7 50001 typ srflx raddr 127.0.0.1 rport 50000
a=end-of-candidates
a=ice-ufrag:aUdI
a=ice-pwd:audiopasswordaudiopasswo
a=ice-options:trickle
a=fingerprint:sha-1 00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33
a=setup:active
a=mid:0
a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level vad=on
a=extmap:2/recvonly urn:ietf:params:rtp-hdrext:csrc-audio-level
a=sendonly
a=msid:stream track-a
a=rtcp-mux
a=rtcp-mux-only
a=rtcp-rsize
a=rtpmap:111 opus/48000/2
a=rtcp-fb:111 transport-cc
a=fmtp:111 minptime=10;useinbandfec=1
a=rtcp-fb:* nack
a=ssrc-group:FID 1 2
a=ssrc:1 cname:abc
a=ssrc:1 msid:stream track-a
a=ssrc:2 cname:abc
a=ptime:20
a=x-media-flag
m=video 0 UDP/TLS/RTP/SAVPF 96 97
c=IN IP4 0.0.0.0
a=mid:1
a=bundle-only
a=extmap-allow-mixed
a=extmap:4096 urn:example:two-byte-range
a=recvonly
a=rtpmap:96 VP8/90000
a=rtpmap:97 rtx/90000
a=fmtp:97 apt=96
a=rid:q send pt=96;max-width=320;max-height=180
a=rid:f send
a=simulcast:send q;~f recv a,b
m=application 9 UDP/DTLS/SCTP webrtc-datachannel
c=IN IP6 ::
a=mid:2
a=inactive
a=sctp-port:5000
a=max-message-size:262144
m=application 9 DTLS/SCTP 5000
c=IN IP4 0.0.0.0
a=sctpmap:5000 webrtc-datachannel 1024
";

fn crlf(text: &str) -> String {
    text.replace('\n', "\r\n")
}

fn parse(text: &str) -> SessionDescription {
    SessionDescription::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn error(text: &str) -> SdpError {
    SessionDescription::parse(text).expect_err("must be rejected")
}

#[test]
fn full_description_round_trips_byte_for_byte() {
    let text = crlf(FULL);
    let sdp = parse(&text);
    assert_eq!(
        sdp.to_string(),
        text,
        "every line in canonical order comes back"
    );
    assert_eq!(parse(&sdp.to_string()), sdp);
}

#[test]
fn every_field_of_the_full_description() {
    let sdp = parse(FULL);
    assert_eq!(sdp.origin, Origin::new(4611731400430051336, 2));
    assert_eq!(sdp.information.as_deref(), Some("a session"));
    assert_eq!(sdp.uri.as_deref(), Some("https://example.invalid/"));
    assert_eq!(sdp.emails, ["ops@example.invalid"]);
    assert_eq!(sdp.phones, ["+1 555 0100"]);
    assert_eq!(sdp.connection, Some(Connection::placeholder()));
    assert_eq!(sdp.bandwidths[0].kind, "AS");
    assert_eq!(sdp.bandwidths[0].value, 2000);
    assert_eq!(sdp.timings[0].repeats, ["604800 3600 0 90000"]);
    assert_eq!(sdp.time_zones.as_deref(), Some("2882844526 -1h"));
    assert_eq!(sdp.groups.len(), 2);
    assert_eq!(sdp.bundle_group(), Some(&Group::bundle(["0", "1", "2"])));
    assert!(sdp.extmap_allow_mixed && sdp.ice_lite);
    assert_eq!(sdp.ice_options, ["trickle", "ice2"]);
    assert_eq!(sdp.setup, Some(Setup::ActPass));
    assert_eq!(sdp.direction, Some(Direction::SendRecv));
    assert_eq!(
        sdp.attributes,
        [
            Attribute::new("x-session-unknown", "1"),
            Attribute {
                name: "x-session-flag".into(),
                value: None
            }
        ]
    );
    assert_eq!(sdp.media.len(), 4);

    let audio = &sdp.media[0];
    assert_eq!(audio.title.as_deref(), Some("microphone"));
    assert_eq!(audio.bandwidths[0].kind, "TIAS");
    assert_eq!(audio.candidates.len(), 2);
    assert!(audio.candidates[1].related.is_some());
    assert!(audio.end_of_candidates);
    assert_eq!(sdp.ice_ufrag_of(audio), Some("aUdI"));
    assert_eq!(sdp.ice_ufrag_of(&sdp.media[1]), Some("sEsS"));
    assert_eq!(audio.fingerprints[0].hash, HashFunction::Sha1);
    assert_eq!(audio.setup, Some(Setup::Active));
    assert_eq!(audio.extmaps[0].attributes.as_deref(), Some("vad=on"));
    assert_eq!(audio.extmaps[1].direction, Some(Direction::RecvOnly));
    assert_eq!(audio.direction(), Direction::SendOnly);
    assert_eq!(audio.msids[0].track_id.as_deref(), Some("track-a"));
    assert!(audio.rtcp_mux && audio.rtcp_mux_only && audio.rtcp_rsize);
    assert_eq!(audio.rtcp_fb_all[0].kind, "nack");
    // PT 0 has no rtpmap line: no codec entry, the static table names it.
    assert_eq!(audio.codecs.len(), 1);
    assert_eq!(audio.formats, ["111", "0"]);
    assert_eq!(audio.ssrcs.len(), 2);
    assert_eq!(audio.ssrcs[0].attribute("msid"), Some("stream track-a"));
    assert_eq!(
        audio
            .attributes
            .iter()
            .map(|a| a.name.as_str())
            .collect::<Vec<_>>(),
        ["ptime", "x-media-flag"]
    );

    let video = &sdp.media[1];
    assert_eq!(video.port, 0);
    assert!(video.bundle_only && !video.is_rejected());
    assert!(video.extmap_allow_mixed);
    assert_eq!(video.extmaps[0].id, 4096);
    assert_eq!(video.rids[0].payload_types, [96]);
    assert_eq!(video.rids[0].restriction("max-height"), Some("180"));
    let sim = video.simulcast.as_ref().unwrap();
    assert_eq!(sim.send.len(), 2);
    assert_eq!(
        sim.send[1],
        [SimulcastRid {
            id: "f".into(),
            paused: true
        }]
    );
    assert_eq!(
        sim.recv,
        [vec![
            SimulcastRid {
                id: "a".into(),
                paused: false
            },
            SimulcastRid {
                id: "b".into(),
                paused: false
            }
        ]]
    );

    let data = &sdp.media[2];
    assert_eq!(
        data.connection.as_ref().unwrap().ip(),
        Some("::".parse().unwrap())
    );
    assert_eq!(data.direction, Some(Direction::Inactive));
    let legacy = &sdp.media[3];
    assert_eq!(legacy.proto, Proto::DtlsSctp);
    assert_eq!(legacy.sctpmap.as_ref().unwrap().streams, Some(1024));
}

#[test]
fn line_ends_whitespace_and_attribute_order_are_free() {
    let canonical = parse(FULL);
    // LF, CRLF, trailing spaces and tabs, blank lines, no final newline.
    let messy: String = FULL
        .lines()
        .map(|l| format!("{l} \t\r\n\n"))
        .collect::<String>()
        .trim_end()
        .to_string();
    assert_eq!(parse(&messy), canonical);
    // Attributes of a section in reverse order (codecs are regrouped by
    // payload type in m-line order; unknown attributes keep their order,
    // so keep those two in place).
    let sections: Vec<&str> = FULL.split("m=").collect();
    let mut reordered = sections[0].to_string();
    for section in &sections[1..] {
        let mut lines: Vec<&str> = section.lines().collect();
        let head = lines.remove(0);
        let (unknown, mut typed): (Vec<&str>, Vec<&str>) = lines
            .into_iter()
            .partition(|l| l.starts_with("a=x-") || l.starts_with("a=ptime"));
        typed.retain(|l| {
            !l.starts_with("a=candidate")
                && !l.starts_with("a=ssrc:")
                && !l.starts_with("a=rtcp-fb")
                && !l.starts_with("a=extmap:")
                && !l.starts_with("a=rid")
        });
        typed.reverse();
        let keep_order: Vec<&str> = section
            .lines()
            .filter(|l| {
                l.starts_with("a=candidate")
                    || l.starts_with("a=ssrc:")
                    || l.starts_with("a=rtcp-fb")
                    || l.starts_with("a=extmap:")
                    || l.starts_with("a=rid")
            })
            .collect();
        reordered.push_str("m=");
        reordered.push_str(head);
        reordered.push('\n');
        for l in typed.iter().chain(&keep_order).chain(&unknown) {
            reordered.push_str(l);
            reordered.push('\n');
        }
    }
    assert_eq!(parse(&reordered), canonical);
}

#[test]
fn codec_lines_in_any_order_group_by_payload_type() {
    // Firefox writes all fmtp, then all rtcp-fb, then all rtpmap.
    let text = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 UDP/TLS/RTP/SAVPF 120 124 99\n\
                a=fmtp:124 apt=120\na=fmtp:120 max-fs=12288\na=rtcp-fb:120 nack\na=rtcp-fb:120 nack pli\n\
                a=rtpmap:99 AV1/90000\na=rtpmap:124 rtx/90000\na=rtpmap:120 VP8/90000\na=rtpmap:33 MP2T/90000\n";
    let sdp = parse(text);
    let m = &sdp.media[0];
    let pts: Vec<u8> = m.codecs.iter().map(|c| c.payload_type).collect();
    assert_eq!(
        pts,
        [120, 124, 99, 33],
        "m-line order, then others as first seen"
    );
    let vp8 = m.codec(120).unwrap();
    assert_eq!(vp8.rtcp_fb.len(), 2);
    assert_eq!(vp8.fmtp_param("max-fs"), Some("12288"));
    let written = sdp.to_string();
    assert!(written.contains(
        "a=rtpmap:120 VP8/90000\r\na=rtcp-fb:120 nack\r\na=rtcp-fb:120 nack pli\r\na=fmtp:120 max-fs=12288\r\n"
    ));
    assert_eq!(parse(&written), sdp);
}

#[test]
fn building_a_description_and_writing_it() {
    let mut sdp = SessionDescription::new(Origin::new(42, 1));
    sdp.groups.push(Group::bundle(["0"]));
    let mut m = MediaDescription::new(MediaKind::Audio, 9, Proto::UdpTlsRtpSavpf);
    m.connection = Some(Connection::placeholder());
    m.mid = Some("0".into());
    m.direction = Some(Direction::SendRecv);
    m.rtcp_mux = true;
    m.push_codec(
        Codec::new(111, "opus", 48000, Some(2))
            .with_feedback("transport-cc", None)
            .with_fmtp("minptime=10;useinbandfec=1"),
    );
    m.extmaps.push(ExtMap::new(
        1,
        "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
    ));
    m.fingerprints.push(Fingerprint {
        hash: HashFunction::Sha256,
        value: (0..32).collect(),
    });
    m.setup = Some(Setup::ActPass);
    m.simulcast = Some(Simulcast::send(["a", "b"]));
    m.rtcp = Some(Rtcp::placeholder());
    m.msids.push(Msid::new("s", "t"));
    m.ssrc_groups.push(SsrcGroup::fid(1, 2));
    m.ssrcs.push(Ssrc::with_cname(1, "c"));
    m.ssrcs.push(Ssrc::with_cname(2, "c"));
    assert_eq!(m.rtx_ssrc(1), Some(2));
    assert_eq!(m.rtx_ssrc(2), None);
    sdp.media.push(m);
    let text = sdp.to_string();
    assert_eq!(
        text,
        "v=0\r\no=- 42 1 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n\
         m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n\
         a=fingerprint:sha-256 00:01:02:03:04:05:06:07:08:09:0A:0B:0C:0D:0E:0F:10:11:12:13:14:15:16:17:18:19:1A:1B:1C:1D:1E:1F\r\n\
         a=setup:actpass\r\na=mid:0\r\na=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n\
         a=sendrecv\r\na=msid:s t\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\n\
         a=fmtp:111 minptime=10;useinbandfec=1\r\na=simulcast:send a;b\r\n\
         a=ssrc-group:FID 1 2\r\na=ssrc:1 cname:c\r\na=ssrc:2 cname:c\r\n"
    );
    assert_eq!(parse(&text), sdp);
}

#[test]
fn fingerprints_of_every_hash_length() {
    for (name, len) in [
        ("sha-1", 20),
        ("sha-224", 28),
        ("sha-256", 32),
        ("sha-384", 48),
        ("sha-512", 64),
        ("md5", 16),
    ] {
        let hex: Vec<String> = (0..len).map(|i| format!("{:02x}", i * 7 % 256)).collect();
        let value = format!("{} {}", name.to_ascii_uppercase(), hex.join(":"));
        let fp = Fingerprint::parse(&value).unwrap();
        assert_eq!(fp.value.len(), len);
        assert_eq!(fp.hash.output_len(), Some(len));
        assert_eq!(
            fp.to_string(),
            format!("{name} {}", hex.join(":").to_ascii_uppercase())
        );
        assert_eq!(fp.to_crypto().is_some(), matches!(len, 20 | 32 | 48 | 64));
        // One byte short is rejected.
        let short = format!("{name} {}", hex[1..].join(":"));
        assert!(Fingerprint::parse(&short).is_err(), "{short}");
    }
    let other = Fingerprint::parse("x-hash 01:02").unwrap();
    assert_eq!(other.hash, HashFunction::Other("x-hash".into()));
    let cert_fp =
        zerortc::crypto::Fingerprint::of_der(zerortc::crypto::FingerprintAlgorithm::Sha256, b"der");
    let sdp_fp = Fingerprint::from(&cert_fp);
    assert_eq!(sdp_fp.to_crypto(), Some(cert_fp.clone()));
    assert_eq!(sdp_fp.to_string(), cert_fp.to_string());
}

#[test]
fn unknown_attributes_keep_their_order_and_value_form() {
    let text = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\n\
                a=b\na=a:\na=c:x:y z\na=rtcp-mux:weird\n";
    let sdp = parse(text);
    let attrs = &sdp.media[0].attributes;
    assert_eq!(
        attrs,
        &[
            Attribute {
                name: "b".into(),
                value: None
            },
            Attribute::new("a", ""),
            Attribute::new("c", "x:y z"),
            // A flag written with a value is not the flag: kept as written.
            Attribute::new("rtcp-mux", "weird"),
        ]
    );
    assert!(!sdp.media[0].rtcp_mux);
    assert!(
        sdp.to_string()
            .ends_with("a=b\r\na=a:\r\na=c:x:y z\r\na=rtcp-mux:weird\r\n")
    );
}

/// (text, line, kind) for malformed descriptions.
fn rejected() -> Vec<(String, usize, SdpErrorKind)> {
    use SdpErrorKind::*;
    let head = "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\n";
    let media = |lines: &str| format!("{head}m=video 9 UDP/TLS/RTP/SAVPF 96\n{lines}");
    let inv = |what, reason| Invalid { what, reason };
    vec![
        (String::new(), 1, MissingVersion),
        ("o=- 1 1 IN IP4 0.0.0.0\n".into(), 1, MissingVersion),
        ("v=1\n".into(), 1, BadVersion),
        ("\n\nv=0\ns=-\nt=0 0\n".into(), 6, Missing('o')),
        (
            "v=0\no=- 1 1 IN IP4 0.0.0.0\nt=0 0\nm=audio 9 RTP/AVP 0\n".into(),
            4,
            Missing('s'),
        ),
        (
            "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nm=audio 9 RTP/AVP 0\n".into(),
            4,
            Missing('t'),
        ),
        (format!("{head}v=0\n"), 5, Duplicate("v=")),
        (
            format!("{head}o=- 1 1 IN IP4 0.0.0.0\n"),
            5,
            Duplicate("o="),
        ),
        (format!("{head}x=1\n"), 5, UnknownLineType('x')),
        (format!("{head}garbage\n"), 5, NotTypeValue),
        (format!("{head}A=b\n"), 5, NotTypeValue),
        (
            format!("{head}r=1\n").replace("t=0 0\n", ""),
            4,
            Misplaced('r'),
        ),
        (
            "v=0\no=- x 1 IN IP4 0.0.0.0\n".into(),
            2,
            inv("o=", "session id is not a 64-bit number"),
        ),
        (
            "v=0\no=- 99999999999999999999 1 IN IP4 0.0.0.0\n".into(),
            2,
            inv("o=", "session id is not a 64-bit number"),
        ),
        (
            "v=0\no=- 1 1 IN IP4\n".into(),
            2,
            inv("o=", "missing address"),
        ),
        (
            "v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0\n".into(),
            4,
            inv("t=", "expected `<start> <stop>`"),
        ),
        (
            format!("{head}c=IN IP4\n"),
            5,
            inv("c=", "expected `<nettype> <addrtype> <address>`"),
        ),
        (
            format!("{head}b=AS\n"),
            5,
            inv("b=", "expected `<type>:<bandwidth>`"),
        ),
        (
            format!("{head}b=AS:x\n"),
            5,
            inv("b=", "bandwidth is not a number"),
        ),
        (
            format!("{head}m=video x UDP/TLS/RTP/SAVPF 96\n"),
            5,
            inv("m=", "port is not a 16-bit number"),
        ),
        (
            format!("{head}m=video 70000 RTP/AVP 96\n"),
            5,
            inv("m=", "port is not a 16-bit number"),
        ),
        (
            format!("{head}m=video 9\n"),
            5,
            inv("m=", "missing protocol"),
        ),
        (
            format!("{head}m=video 9 RTP/AVP 96\no=- 1 1 IN IP4 0.0.0.0\n"),
            6,
            Misplaced('o'),
        ),
        (
            media("a=rtpmap:96 VP8\n"),
            6,
            inv("a=rtpmap", "clock rate is not a number"),
        ),
        (
            media("a=rtpmap:128 VP8/90000\n"),
            6,
            inv("a=rtpmap", "payload type above 127"),
        ),
        (
            media("a=rtpmap:x VP8/90000\n"),
            6,
            inv("a=rtpmap", "payload type is not a number"),
        ),
        (
            media("a=rtpmap:96 VP8/90000\na=rtpmap:96 VP9/90000\n"),
            7,
            Duplicate("a=rtpmap for a payload type"),
        ),
        (
            media("a=fmtp:96 a=1\na=fmtp:96 b=2\n"),
            7,
            Duplicate("a=fmtp for a payload type"),
        ),
        (media("a=rtpmap\n"), 6, inv("a=rtpmap", "missing value")),
        (
            media("a=rtcp-fb:96\n"),
            6,
            inv("a=rtcp-fb", "missing feedback type"),
        ),
        (media("a=mid:0\na=mid:1\n"), 7, Duplicate("a=mid")),
        (media("a=mid\n"), 6, inv("a=mid", "missing value")),
        (media("a=mid:a b\n"), 6, inv("a=mid", "must be one word")),
        (
            media("a=setup:both\n"),
            6,
            inv("a=setup", "must be active, passive, actpass or holdconn"),
        ),
        (
            media("a=sendrecv\na=recvonly\n"),
            7,
            Duplicate("direction attribute"),
        ),
        (
            media("a=fingerprint:sha-256 AB:CD\n"),
            6,
            inv(
                "a=fingerprint",
                "fingerprint length does not match its hash function",
            ),
        ),
        (
            media("a=fingerprint:sha-256 ABCD\n"),
            6,
            inv(
                "a=fingerprint",
                "fingerprint bytes must be two hex digits each",
            ),
        ),
        (
            media("a=fingerprint:sha-256\n"),
            6,
            inv("a=fingerprint", "expected `<hash-function> <hex bytes>`"),
        ),
        (
            media("a=extmap:0 urn:x\n"),
            6,
            inv("a=extmap", "id outside 1..=255 and 4096..=4351"),
        ),
        (
            media("a=extmap:1/both urn:x\n"),
            6,
            inv("a=extmap", "unknown direction"),
        ),
        (
            media("a=extmap:1\n"),
            6,
            inv("a=extmap", "expected `<id> <uri>`"),
        ),
        (
            media("a=ssrc:x cname:a\n"),
            6,
            inv("a=ssrc", "ssrc is not a 32-bit number"),
        ),
        (
            media("a=ssrc:1\n"),
            6,
            inv("a=ssrc", "expected `<ssrc> <attribute>`"),
        ),
        (
            media("a=ssrc-group:FID 1 x\n"),
            6,
            inv("a=ssrc-group", "ssrc is not a 32-bit number"),
        ),
        (
            media("a=rid:q both\n"),
            6,
            inv("a=rid", "direction must be `send` or `recv`"),
        ),
        (
            media("a=rid:q! send\n"),
            6,
            inv("a=rid", "rid-id must be letters, digits, `-`, `_`"),
        ),
        (
            media("a=rid:q send pt=x\n"),
            6,
            inv("a=rid", "bad payload type"),
        ),
        (
            media("a=simulcast:send\n"),
            6,
            inv("a=simulcast", "a direction without a stream list"),
        ),
        (
            media("a=simulcast:sideways a\n"),
            6,
            inv("a=simulcast", "direction must be `send` or `recv`"),
        ),
        (
            media("a=simulcast:send a send b\n"),
            6,
            Duplicate("direction in a=simulcast"),
        ),
        (
            media("a=sctp-port:x\n"),
            6,
            inv("a=sctp-port", "not a 16-bit number"),
        ),
        (
            media("a=max-message-size:-1\n"),
            6,
            inv("a=max-message-size", "not a 64-bit number"),
        ),
        (
            media("a=rtcp:x\n"),
            6,
            inv("a=rtcp", "port is not a 16-bit number"),
        ),
        (
            media("a=ice-options:\n"),
            6,
            inv("a=ice-options", "no option"),
        ),
        (
            media("a=candidate:1 1 udp 1 127.0.0.1 9 typ nope\n"),
            6,
            Candidate(CandidateError::UnknownType),
        ),
        (
            media("a=candidate:1 1 udp\n"),
            6,
            Candidate(CandidateError::Truncated),
        ),
        (media("a=:x\n"), 6, inv("a=", "bad attribute name")),
    ]
}

#[test]
fn malformed_lines_are_named_with_their_number_and_reason() {
    for (text, line, kind) in rejected() {
        let err = error(&text);
        assert_eq!((err.line, &err.kind), (line, &kind), "{text:?}");
        // The same error with CRLF line ends.
        let err = error(&crlf(&text));
        assert_eq!((err.line, &err.kind), (line, &kind), "CRLF {text:?}");
    }
    let err =
        error("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=mid:0\na=mid:1\n");
    assert_eq!(err.to_string(), "SDP line 7: duplicate `a=mid`");
    let err =
        error("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=audio 9 RTP/AVP 0\na=rtpmap:0 PCMU\n");
    assert_eq!(
        err.to_string(),
        "SDP line 6: a=rtpmap: clock rate is not a number"
    );
}

#[test]
fn invalid_utf8_names_its_line() {
    let mut bytes = b"v=0\no=- 1 1 IN IP4 0.0.0.0\ns=".to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe, b'\n']);
    let err = SessionDescription::parse_bytes(&bytes).unwrap_err();
    assert_eq!((err.line, err.kind), (3, SdpErrorKind::NotUtf8));
    let ok = SessionDescription::parse_bytes(crlf(FULL).as_bytes()).unwrap();
    assert_eq!(ok, parse(FULL));
}

#[test]
fn ssrc_lines_group_per_ssrc_in_first_seen_order() {
    let mut text = String::from("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 RTP/AVP 96\n");
    // Old Chromium interleaved them: every cname first, then every msid.
    for ssrc in 1..=500u32 {
        text.push_str(&format!("a=ssrc:{ssrc} cname:c{ssrc}\n"));
    }
    for ssrc in (1..=500u32).rev() {
        text.push_str(&format!("a=ssrc:{ssrc} msid:s t{ssrc}\n"));
    }
    text.push_str("m=audio 9 RTP/AVP 0\na=ssrc:1 cname:other-section\n");
    let sdp = parse(&text);
    let video = &sdp.media[0];
    assert_eq!(video.ssrcs.len(), 500);
    for (i, s) in video.ssrcs.iter().enumerate() {
        assert_eq!(s.ssrc, i as u32 + 1);
        assert_eq!(s.cname(), Some(format!("c{}", s.ssrc).as_str()));
        assert_eq!(s.attribute("msid"), Some(format!("s t{}", s.ssrc).as_str()));
    }
    assert_eq!(sdp.media[1].ssrcs.len(), 1);
    assert_eq!(sdp.media[1].ssrcs[0].cname(), Some("other-section"));
    assert_eq!(parse(&sdp.to_string()), sdp);
}

#[test]
fn a_rejected_section_and_parse_via_from_str() {
    let text = "v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=video 0 UDP/TLS/RTP/SAVPF 96\r\n\
                c=IN IP4 0.0.0.0\r\na=mid:1\r\na=inactive\r\na=rtpmap:96 VP8/90000\r\n";
    let sdp: SessionDescription = text.parse().unwrap();
    assert!(sdp.media[0].is_rejected());
    assert_eq!(sdp.to_string(), text);
}
