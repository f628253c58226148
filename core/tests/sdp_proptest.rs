//! Property tests for SDP: no input panics the parser (arbitrary text,
//! arbitrary bytes, SDP-shaped lines with random values, real browser
//! descriptions with a line replaced or cut), whatever parses also
//! round-trips, and generated models (every typed field) come back equal
//! after serialize → parse.

use std::path::PathBuf;

use proptest::collection::vec;
use proptest::option;
use proptest::prelude::*;
use zerortc::ice::Candidate;
use zerortc::sdp::{
    Attribute, Bandwidth, Codec, Connection, Direction, ExtMap, Fingerprint, Fmtp, FmtpParam,
    Group, HashFunction, MediaDescription, MediaKind, Msid, MsidSemantic, Origin, Proto, Rid,
    RidDirection, RidRestriction, Rtcp, RtcpFeedback, RtpMap, SctpMap, SessionDescription, Setup,
    Simulcast, SimulcastRid, Ssrc, SsrcAttribute, SsrcGroup, Timing,
};

/// If the text parses, it round-trips.
fn check(text: &str) {
    if let Ok(sdp) = SessionDescription::parse(text) {
        let written = sdp.to_string();
        let again = SessionDescription::parse(&written)
            .unwrap_or_else(|e| panic!("serialized form does not parse: {e}\n{written}"));
        assert_eq!(again, sdp);
    }
}

fn fixture_texts() -> Vec<String> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/sdp");
    let mut texts: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "sdp"))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    texts.sort();
    texts
}

/// Lines that look like SDP: a known prefix and a random tail.
fn sdp_line() -> impl Strategy<Value = String> {
    let prefixes = prop::sample::select(vec![
        "v=",
        "o=",
        "s=",
        "t=",
        "c=",
        "b=",
        "m=",
        "r=",
        "z=",
        "k=",
        "i=",
        "a=",
        "a=rtpmap:",
        "a=fmtp:",
        "a=rtcp-fb:",
        "a=extmap:",
        "a=candidate:",
        "a=ssrc:",
        "a=ssrc-group:",
        "a=rid:",
        "a=simulcast:",
        "a=fingerprint:",
        "a=setup:",
        "a=mid:",
        "a=group:",
        "a=msid:",
        "a=rtcp:",
        "a=sctp-port:",
        "a=max-message-size:",
        "a=sctpmap:",
        "a=ice-options:",
        "a=ice-ufrag:",
        "a=msid-semantic:",
        "m=audio 9 RTP/AVP ",
        "a=rtpmap:96 ",
        "a=fmtp:96 ",
        "a=extmap:1/",
        "a=simulcast:send ",
        "a=rid:q send ",
    ]);
    (prefixes, "[ -~]{0,40}").prop_map(|(p, tail)| format!("{p}{tail}"))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
        check(&text);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in vec(any::<u8>(), 0..400)) {
        if let Ok(sdp) = SessionDescription::parse_bytes(&bytes) {
            let again = SessionDescription::parse(&sdp.to_string()).unwrap();
            prop_assert_eq!(again, sdp);
        }
    }

    #[test]
    fn sdp_shaped_lines_never_panic(lines in vec(sdp_line(), 0..30), crlf in any::<bool>()) {
        let mut text = String::from("v=0\no=- 1 1 IN IP4 0.0.0.0\ns=-\nt=0 0\nm=video 9 UDP/TLS/RTP/SAVPF 96\n");
        for l in &lines {
            text.push_str(l);
            text.push('\n');
        }
        if crlf {
            text = text.replace('\n', "\r\n");
        }
        check(&text);
    }

    #[test]
    fn browser_descriptions_with_a_line_changed(
        which in any::<prop::sample::Index>(),
        line in any::<prop::sample::Index>(),
        replacement in prop_oneof![sdp_line(), "\\PC{0,60}"],
        cut in any::<prop::sample::Index>(),
    ) {
        let texts = fixture_texts();
        let text = which.get(&texts);
        let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
        let i = line.index(lines.len());
        // Replace one line, and separately cut the text anywhere.
        lines[i] = replacement;
        check(&lines.join("\r\n"));
        let at = cut.index(text.len() + 1);
        if let Some(prefix) = text.get(..at) {
            check(prefix);
        }
    }
}

// Generated models: every typed field, values in the forms the writer
// produces (no surrounding whitespace, no separators inside tokens).

fn token() -> impl Strategy<Value = String> {
    "[A-Za-z0-9_.+/-]{1,8}"
}

fn text() -> impl Strategy<Value = String> {
    "([!-~]([ -~]{0,10}[!-~])?)?"
}

fn words(max: usize) -> impl Strategy<Value = Vec<String>> {
    vec(token(), 0..=max)
}

fn unknown_attributes() -> impl Strategy<Value = Vec<Attribute>> {
    vec(
        ("x-[a-z0-9-]{1,6}", option::of(text()))
            .prop_map(|(name, value)| Attribute { name, value }),
        0..3,
    )
}

fn direction() -> impl Strategy<Value = Direction> {
    prop_oneof![
        Just(Direction::SendRecv),
        Just(Direction::SendOnly),
        Just(Direction::RecvOnly),
        Just(Direction::Inactive)
    ]
}

fn setup() -> impl Strategy<Value = Setup> {
    prop_oneof![
        Just(Setup::Active),
        Just(Setup::Passive),
        Just(Setup::ActPass),
        Just(Setup::HoldConn)
    ]
}

fn connection() -> impl Strategy<Value = Connection> {
    (token(), token(), token()).prop_map(|(network_type, address_type, address)| Connection {
        network_type,
        address_type,
        address,
    })
}

fn bandwidth() -> impl Strategy<Value = Bandwidth> {
    ("[A-Z]{1,4}", any::<u64>()).prop_map(|(kind, value)| Bandwidth { kind, value })
}

fn fingerprint() -> impl Strategy<Value = Fingerprint> {
    let hash = prop_oneof![
        Just(HashFunction::Sha1),
        Just(HashFunction::Sha224),
        Just(HashFunction::Sha256),
        Just(HashFunction::Sha384),
        Just(HashFunction::Sha512),
        Just(HashFunction::Md5),
        Just(HashFunction::Md2),
        "x-[a-z0-9]{1,5}".prop_map(HashFunction::Other),
    ];
    (hash, vec(any::<u8>(), 1..9)).prop_map(|(hash, bytes)| {
        let len = hash.output_len().unwrap_or(bytes.len());
        let value = (0..len)
            .map(|i| bytes[i % bytes.len()].wrapping_add(i as u8))
            .collect();
        Fingerprint { hash, value }
    })
}

fn candidate() -> impl Strategy<Value = Candidate> {
    (
        "[A-Za-z0-9+/]{1,10}",
        1u16..=2,
        any::<bool>(),
        any::<u32>(),
        prop_oneof![Just("127.0.0.1"), Just("::1"), Just("abc-def.local")],
        any::<u16>(),
        prop::sample::select(vec!["host", "srflx", "prflx", "relay"]),
        option::of(0u32..10),
    )
        .prop_map(|(foundation, component, udp, priority, address, port, kind, generation)| {
            let transport = if udp { "udp" } else { "tcp" };
            let mut line = format!(
                "candidate:{foundation} {component} {transport} {priority} {address} {port} typ {kind}"
            );
            if kind != "host" {
                line.push_str(" raddr 0.0.0.0 rport 0");
            }
            if !udp {
                line.push_str(" tcptype active");
            }
            if let Some(g) = generation {
                line.push_str(&format!(" generation {g}"));
            }
            Candidate::parse(&line).unwrap()
        })
}

fn extmap() -> impl Strategy<Value = ExtMap> {
    (
        prop_oneof![1u16..=255, 4096u16..=4351],
        option::of(direction()),
        "urn:[a-z:-]{1,16}",
        option::of("[a-z=0-9]{1,5}( [a-z=0-9]{1,5})?"),
    )
        .prop_map(|(id, direction, uri, attributes)| ExtMap {
            id,
            direction,
            uri,
            attributes,
        })
}

fn fmtp() -> impl Strategy<Value = Fmtp> {
    let param = prop_oneof![
        ("[a-z][a-z0-9-]{0,8}", "[A-Za-z0-9/,.=-]{1,8}").prop_map(|(name, v)| FmtpParam {
            name,
            value: Some(v),
        }),
        "[0-9][0-9/-]{0,6}".prop_map(|name| FmtpParam { name, value: None }),
    ];
    vec(param, 0..4).prop_map(|params| Fmtp { params })
}

fn feedback() -> impl Strategy<Value = RtcpFeedback> {
    (
        "[a-z][a-z-]{0,10}",
        option::of("[a-z0-9=]{1,5}( [a-z0-9=]{1,5})?"),
    )
        .prop_map(|(kind, parameter)| RtcpFeedback { kind, parameter })
}

fn codec_lines() -> impl Strategy<Value = (Option<RtpMap>, Option<Fmtp>, Vec<RtcpFeedback>)> {
    (
        option::of(
            ("[A-Za-z0-9-]{1,8}", any::<u32>(), option::of(any::<u16>())).prop_map(
                |(encoding_name, clock_rate, channels)| RtpMap {
                    encoding_name,
                    clock_rate,
                    channels,
                },
            ),
        ),
        option::of(fmtp()),
        vec(feedback(), 0..3),
    )
        .prop_filter("a codec writes at least one line", |(r, f, fb)| {
            r.is_some() || f.is_some() || !fb.is_empty()
        })
}

/// Codecs with distinct payload types, and the m-line formats: the
/// codecs' payload types in order, then payload types without lines.
fn codecs() -> impl Strategy<Value = (Vec<Codec>, Vec<String>)> {
    (
        prop::sample::subsequence((0u8..=127).collect::<Vec<_>>(), 0..6).prop_shuffle(),
        vec(codec_lines(), 6),
        0usize..3,
    )
        .prop_map(|(pts, lines, extra)| {
            let n = pts.len().saturating_sub(extra);
            let codecs: Vec<Codec> = pts[..n]
                .iter()
                .zip(lines)
                .map(|(&payload_type, (rtpmap, fmtp, rtcp_fb))| Codec {
                    payload_type,
                    rtpmap,
                    fmtp,
                    rtcp_fb,
                })
                .collect();
            let formats = pts.iter().map(u8::to_string).collect();
            (codecs, formats)
        })
}

fn rid() -> impl Strategy<Value = Rid> {
    (
        "[A-Za-z0-9_-]{1,6}",
        any::<bool>(),
        vec(0u8..=127, 0..3),
        vec(
            ("max-[a-z]{1,5}", option::of("[0-9a-z]{1,5}"))
                .prop_map(|(name, value)| RidRestriction { name, value }),
            0..3,
        ),
    )
        .prop_map(|(id, send, payload_types, restrictions)| Rid {
            id,
            direction: if send {
                RidDirection::Send
            } else {
                RidDirection::Recv
            },
            payload_types,
            restrictions,
        })
}

fn simulcast() -> impl Strategy<Value = Simulcast> {
    let stream = vec(
        ("[A-Za-z0-9_-]{1,4}", any::<bool>()).prop_map(|(id, paused)| SimulcastRid { id, paused }),
        1..3,
    );
    (vec(stream.clone(), 0..3), vec(stream, 0..3))
        .prop_filter("one direction at least", |(s, r)| {
            !s.is_empty() || !r.is_empty()
        })
        .prop_map(|(send, recv)| Simulcast { send, recv })
}

fn ssrcs() -> impl Strategy<Value = Vec<Ssrc>> {
    (
        prop::collection::btree_set(any::<u32>(), 0..3),
        vec(
            vec(
                (
                    "[a-z][a-z0-9-]{0,6}",
                    option::of("[!-~]{1,6}( [!-~]{1,6})?"),
                )
                    .prop_map(|(name, value)| SsrcAttribute { name, value }),
                1..3,
            ),
            3,
        ),
    )
        .prop_map(|(ids, attrs)| {
            ids.into_iter()
                .zip(attrs)
                .map(|(ssrc, attributes)| Ssrc { ssrc, attributes })
                .collect()
        })
}

fn media() -> impl Strategy<Value = MediaDescription> {
    let head = (
        prop_oneof![
            Just(MediaKind::Audio),
            Just(MediaKind::Video),
            Just(MediaKind::Application),
            "x-[a-z]{1,5}".prop_map(MediaKind::Other),
        ],
        any::<u16>(),
        option::of(any::<u16>()),
        prop_oneof![
            Just(Proto::UdpTlsRtpSavpf),
            Just(Proto::UdpDtlsSctp),
            Just(Proto::DtlsSctp),
            Just(Proto::RtpSavpf),
            Just(Proto::RtpAvpf),
            Just(Proto::RtpAvp),
            "X/[A-Z]{1,5}".prop_map(Proto::Other),
        ],
        codecs(),
        option::of(text()),
        option::of(connection()),
        vec(bandwidth(), 0..2),
        option::of(text()),
    );
    let transport = (
        option::of(
            (any::<u16>(), option::of(connection()))
                .prop_map(|(port, connection)| Rtcp { port, connection }),
        ),
        vec(candidate(), 0..3),
        any::<bool>(),
        option::of(token()),
        option::of(token()),
        words(2),
        vec(fingerprint(), 0..2),
        option::of(setup()),
        option::of(token()),
        any::<bool>(),
    );
    let rtp = (
        any::<bool>(),
        vec(extmap(), 0..3),
        option::of(direction()),
        vec(
            (token(), option::of(token())).prop_map(|(stream_id, track_id)| Msid {
                stream_id,
                track_id,
            }),
            0..2,
        ),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        vec(feedback(), 0..2),
        vec(rid(), 0..3),
        option::of(simulcast()),
        vec(
            (token(), vec(any::<u32>(), 0..3))
                .prop_map(|(semantics, ssrcs)| SsrcGroup { semantics, ssrcs }),
            0..2,
        ),
        ssrcs(),
    );
    let sctp = (
        option::of(any::<u16>()),
        option::of(any::<u64>()),
        option::of((any::<u16>(), token(), option::of(any::<u32>())).prop_map(
            |(port, protocol, streams)| SctpMap {
                port,
                protocol,
                streams,
            },
        )),
        unknown_attributes(),
    );
    (head, transport, rtp, sctp).prop_map(|(head, transport, rtp, sctp)| {
        let (kind, port, port_count, proto, (codecs, formats), title, connection, bandwidths, key) =
            head;
        let (rtcp, candidates, eoc, ice_ufrag, ice_pwd, ice_options, fingerprints, setup, mid, bo) =
            transport;
        let (
            allow_mixed,
            extmaps,
            direction,
            msids,
            flags,
            rtcp_fb_all,
            rids,
            simulcast,
            groups,
            ssrcs,
        ) = rtp;
        let (sctp_port, max_message_size, sctpmap, attributes) = sctp;
        MediaDescription {
            kind,
            port,
            port_count,
            proto,
            formats,
            title,
            connection,
            bandwidths,
            encryption_key: key,
            rtcp,
            candidates,
            end_of_candidates: eoc,
            ice_ufrag,
            ice_pwd,
            ice_options,
            fingerprints,
            setup,
            mid,
            bundle_only: bo,
            extmap_allow_mixed: allow_mixed,
            extmaps,
            direction,
            msids,
            rtcp_mux: flags.0,
            rtcp_mux_only: flags.1,
            rtcp_rsize: flags.2,
            codecs,
            rtcp_fb_all,
            rids,
            simulcast,
            ssrc_groups: groups,
            ssrcs,
            sctp_port,
            max_message_size,
            sctpmap,
            attributes,
        }
    })
}

fn session() -> impl Strategy<Value = SessionDescription> {
    let lines = (
        (
            token(),
            any::<u64>(),
            any::<u64>(),
            token(),
            token(),
            token(),
        ),
        text(),
        option::of(text()),
        option::of(text()),
        vec(text(), 0..2),
        vec(text(), 0..2),
        option::of(connection()),
        vec(bandwidth(), 0..2),
        vec(
            (any::<u64>(), any::<u64>(), vec(text(), 0..2)).prop_map(|(start, stop, repeats)| {
                Timing {
                    start,
                    stop,
                    repeats,
                }
            }),
            1..3,
        ),
        option::of(text()),
        option::of(text()),
    );
    let attributes = (
        vec(
            (token(), words(3)).prop_map(|(semantics, mids)| Group { semantics, mids }),
            0..3,
        ),
        any::<bool>(),
        option::of(
            (token(), words(2)).prop_map(|(semantics, identifiers)| MsidSemantic {
                semantics,
                identifiers,
            }),
        ),
        any::<bool>(),
        option::of(token()),
        option::of(token()),
        words(2),
        vec(fingerprint(), 0..2),
        option::of(setup()),
        option::of(direction()),
        unknown_attributes(),
    );
    (lines, attributes, vec(media(), 0..4)).prop_map(|(lines, attrs, media)| {
        let (
            origin,
            session_name,
            information,
            uri,
            emails,
            phones,
            connection,
            bandwidths,
            timings,
            time_zones,
            key,
        ) = lines;
        let (
            groups,
            allow_mixed,
            msid_semantic,
            ice_lite,
            ufrag,
            pwd,
            options,
            fps,
            setup,
            direction,
            attributes,
        ) = attrs;
        SessionDescription {
            origin: Origin {
                username: origin.0,
                session_id: origin.1,
                session_version: origin.2,
                network_type: origin.3,
                address_type: origin.4,
                address: origin.5,
            },
            session_name,
            information,
            uri,
            emails,
            phones,
            connection,
            bandwidths,
            timings,
            time_zones,
            encryption_key: key,
            groups,
            extmap_allow_mixed: allow_mixed,
            msid_semantic,
            ice_lite,
            ice_ufrag: ufrag,
            ice_pwd: pwd,
            ice_options: options,
            fingerprints: fps,
            setup,
            direction,
            attributes,
            media,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn generated_models_round_trip(sdp in session()) {
        let text = sdp.to_string();
        let parsed = SessionDescription::parse(&text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n{text}")))?;
        prop_assert_eq!(&parsed, &sdp);
        prop_assert_eq!(parsed.to_string(), text);
    }
}
