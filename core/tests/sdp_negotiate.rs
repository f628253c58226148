//! The negotiation rules of `zerortc::sdp::negotiate`, one test per rule,
//! and a check against real browsers: negotiating a captured offer with
//! the answering browser's own codec and extension lists gives the codecs
//! that browser put in its answer (payload types, order, fmtp, feedback).

use std::path::PathBuf;

use zerortc::sdp::negotiate::{
    DtlsRole, answer_direction, answer_rids, answer_setup, answer_setup_preferring, codecs_match,
    dtls_role, h264_answer_fmtp, intersect_rtcp_fb, negotiate_codecs, negotiate_extmaps,
};
use zerortc::sdp::{
    Codec, Direction, ExtMap, MediaKind, Rid, RidDirection, RtcpFeedback, SessionDescription, Setup,
};

use Direction::{Inactive, RecvOnly, SendOnly, SendRecv};

fn h264(pt: u8, fmtp: &str) -> Codec {
    Codec::new(pt, "H264", 90000, None).with_fmtp(fmtp)
}

fn rtx(pt: u8, apt: u8) -> Codec {
    Codec::new(pt, "rtx", 90000, None).with_fmtp(&format!("apt={apt}"))
}

#[test]
fn direction_answer_table() {
    // RFC 8829 §5.3.1 / RFC 3264 §6.1, every (offer, local wish) pair.
    let table = [
        (SendRecv, [SendRecv, SendOnly, RecvOnly, Inactive]),
        (SendOnly, [RecvOnly, Inactive, RecvOnly, Inactive]),
        (RecvOnly, [SendOnly, SendOnly, Inactive, Inactive]),
        (Inactive, [Inactive, Inactive, Inactive, Inactive]),
    ];
    for (offered, answers) in table {
        for (local, expected) in [SendRecv, SendOnly, RecvOnly, Inactive]
            .into_iter()
            .zip(answers)
        {
            assert_eq!(
                answer_direction(offered, local),
                expected,
                "offer {offered}, local {local}"
            );
        }
    }
    assert_eq!(SendOnly.reverse(), RecvOnly);
    assert_eq!(SendRecv.reverse(), SendRecv);
}

#[test]
fn dtls_setup_answer_and_role() {
    assert_eq!(answer_setup(Setup::ActPass), Setup::Active);
    assert_eq!(answer_setup(Setup::Active), Setup::Passive);
    assert_eq!(answer_setup(Setup::Passive), Setup::Active);
    assert_eq!(answer_setup(Setup::HoldConn), Setup::HoldConn);
    assert_eq!(
        answer_setup_preferring(Setup::ActPass, Setup::Passive),
        Setup::Passive
    );
    assert_eq!(
        answer_setup_preferring(Setup::Active, Setup::Active),
        Setup::Passive
    );

    assert_eq!(
        dtls_role(Setup::Active, Setup::ActPass),
        Some(DtlsRole::Client)
    );
    assert_eq!(
        dtls_role(Setup::ActPass, Setup::Active),
        Some(DtlsRole::Server)
    );
    assert_eq!(
        dtls_role(Setup::ActPass, Setup::Passive),
        Some(DtlsRole::Client)
    );
    assert_eq!(
        dtls_role(Setup::Passive, Setup::Active),
        Some(DtlsRole::Server)
    );
    assert_eq!(dtls_role(Setup::Active, Setup::Active), None);
    assert_eq!(dtls_role(Setup::Passive, Setup::Passive), None);
    assert_eq!(dtls_role(Setup::ActPass, Setup::ActPass), None);
    assert_eq!(dtls_role(Setup::HoldConn, Setup::Active), None);
}

#[test]
fn codecs_match_by_name_clock_rate_and_channels() {
    let opus = Codec::new(111, "opus", 48000, Some(2));
    assert!(codecs_match(
        &opus,
        &Codec::new(109, "OPUS", 48000, Some(2))
    ));
    assert!(!codecs_match(&opus, &Codec::new(109, "opus", 48000, None)));
    assert!(!codecs_match(
        &opus,
        &Codec::new(109, "opus", 16000, Some(2))
    ));
    // Absent channels are 1 (RFC 8866 §6.6).
    assert!(codecs_match(
        &Codec::new(9, "G722", 8000, None),
        &Codec::new(9, "G722", 8000, Some(1))
    ));
    // Static payload types without rtpmap use RFC 3551.
    let pcmu_static = Codec {
        payload_type: 0,
        rtpmap: None,
        fmtp: None,
        rtcp_fb: Vec::new(),
    };
    assert!(codecs_match(
        &pcmu_static,
        &Codec::new(0, "PCMU", 8000, None)
    ));
    assert!(!codecs_match(
        &pcmu_static,
        &Codec::new(0, "PCMA", 8000, None)
    ));
    assert!(!codecs_match(
        &Codec::new(96, "VP8", 90000, None),
        &Codec::new(96, "VP9", 90000, None)
    ));
    // Opus fmtp (stereo, useinbandfec...) never makes formats differ.
    assert!(codecs_match(
        &opus.clone().with_fmtp("minptime=10;useinbandfec=1"),
        &opus.clone().with_fmtp("maxplaybackrate=48000;stereo=1")
    ));
}

#[test]
fn h264_matches_profile_and_packetization_mode() {
    let cb_pm1 = h264(
        108,
        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
    );
    // Same profile, another level: match (the level is negotiated).
    assert!(codecs_match(
        &cb_pm1,
        &h264(100, "packetization-mode=1;profile-level-id=42e034")
    ));
    // Constrained Baseline written with Main's constraint flag.
    assert!(codecs_match(
        &cb_pm1,
        &h264(100, "packetization-mode=1;profile-level-id=4d801f")
    ));
    // Other packetization mode: no.
    assert!(!codecs_match(
        &cb_pm1,
        &h264(100, "packetization-mode=0;profile-level-id=42e01f")
    ));
    // Absent packetization-mode is 0.
    assert!(codecs_match(
        &h264(1, "profile-level-id=42e01f"),
        &h264(2, "packetization-mode=0;profile-level-id=42e01f")
    ));
    // Baseline is not Constrained Baseline; Main is not High.
    assert!(!codecs_match(
        &cb_pm1,
        &h264(100, "packetization-mode=1;profile-level-id=42001f")
    ));
    assert!(!codecs_match(
        &h264(1, "profile-level-id=4d001f"),
        &h264(2, "profile-level-id=64001f")
    ));
    assert!(!codecs_match(
        &h264(1, "profile-level-id=640c1f"),
        &h264(2, "profile-level-id=64001f")
    ));
    // Absent profile-level-id is Baseline level 1 (42000a).
    assert!(codecs_match(
        &h264(1, ""),
        &h264(2, "profile-level-id=420015")
    ));
    // A malformed profile-level-id matches nothing.
    assert!(!codecs_match(
        &h264(1, "profile-level-id=zz"),
        &h264(2, "profile-level-id=zz")
    ));
}

#[test]
fn h264_answer_level_follows_level_asymmetry() {
    let offer = h264(
        102,
        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
    );
    let local_high_level = h264(
        100,
        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e034",
    );
    // Both allow asymmetry: the answerer states its own receive level.
    let answer = h264_answer_fmtp(&offer, &local_high_level);
    assert_eq!(answer.get("profile-level-id"), Some("42e034"));
    assert_eq!(
        answer.to_string(),
        "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e034"
    );
    // Without asymmetry on either side: the lower level.
    let offer_sym = h264(102, "packetization-mode=1;profile-level-id=42e01f");
    assert_eq!(
        h264_answer_fmtp(&offer_sym, &local_high_level).get("profile-level-id"),
        Some("42e01f")
    );
    let local_low = h264(100, "packetization-mode=1;profile-level-id=42e00d");
    assert_eq!(
        h264_answer_fmtp(&offer, &local_low).get("profile-level-id"),
        Some("42e00d")
    );
    // The answer keeps the offer's profile bytes (4d80 = CB written as Main).
    let offer_main_cb = h264(102, "packetization-mode=1;profile-level-id=4d801f");
    assert_eq!(
        h264_answer_fmtp(&offer_main_cb, &local_low).get("profile-level-id"),
        Some("4d800d")
    );
}

#[test]
fn vp9_av1_h265_profiles() {
    let vp9 = |f: &str| Codec::new(98, "VP9", 90000, None).with_fmtp(f);
    assert!(codecs_match(
        &vp9("profile-id=0"),
        &Codec::new(121, "VP9", 90000, None)
    ));
    assert!(!codecs_match(&vp9("profile-id=0"), &vp9("profile-id=2")));
    let av1 = |f: &str| Codec::new(45, "AV1", 90000, None).with_fmtp(f);
    assert!(codecs_match(
        &av1("level-idx=5;profile=0;tier=0"),
        &Codec::new(99, "AV1", 90000, None)
    ));
    assert!(codecs_match(
        &av1("level-idx=5;profile=0"),
        &av1("level-idx=8;profile=0")
    ));
    assert!(!codecs_match(&av1("profile=0"), &av1("profile=1")));
    let h265 = |f: &str| Codec::new(49, "H265", 90000, None).with_fmtp(f);
    assert!(codecs_match(
        &h265("level-id=93;profile-id=1;tier-flag=0"),
        &h265("level-id=120")
    ));
    assert!(!codecs_match(&h265("profile-id=1"), &h265("profile-id=2")));
    assert!(!codecs_match(&h265("tier-flag=1"), &h265("")));
}

#[test]
fn rtcp_fb_intersection_keeps_local_order() {
    let remote = [
        RtcpFeedback::new("nack", None),
        RtcpFeedback::new("nack", Some("pli")),
        RtcpFeedback::new("ccm", Some("fir")),
        RtcpFeedback::new("transport-cc", None),
    ];
    let local = [
        RtcpFeedback::new("goog-remb", None),
        RtcpFeedback::new("transport-cc", None),
        RtcpFeedback::new("ccm", Some("fir")),
        RtcpFeedback::new("nack", Some("pli")),
        RtcpFeedback::new("ccm", Some("tmmbr")),
    ];
    let both: Vec<String> = intersect_rtcp_fb(&remote, &local)
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(both, ["transport-cc", "ccm fir", "nack pli"]);
}

#[test]
fn rtx_apt_is_remapped_to_the_negotiated_payload_types() {
    let remote = [
        Codec::new(96, "VP8", 90000, None).with_feedback("nack", None),
        rtx(97, 96),
        h264(102, "packetization-mode=1;profile-level-id=42e01f"),
        rtx(103, 102),
        Codec::new(98, "VP9", 90000, None),
        rtx(99, 98),
    ];
    // Local numbering differs; no VP9 locally; local RTX has rtx-time.
    let local = [
        h264(120, "packetization-mode=1;profile-level-id=42e01f"),
        Codec::new(121, "rtx", 90000, None).with_fmtp("apt=120;rtx-time=3000"),
        Codec::new(100, "VP8", 90000, None)
            .with_feedback("nack", None)
            .with_feedback("goog-remb", None),
        rtx(101, 100),
    ];
    let answer = negotiate_codecs(&remote, &local);
    let pts: Vec<u8> = answer.iter().map(|c| c.payload_type).collect();
    assert_eq!(
        pts,
        [96, 97, 102, 103],
        "remote payload types, remote order"
    );
    assert_eq!(answer[1].fmtp.as_ref().unwrap().to_string(), "apt=96");
    assert_eq!(
        answer[3].fmtp.as_ref().unwrap().to_string(),
        "apt=102;rtx-time=3000"
    );
    assert_eq!(answer[0].rtcp_fb, [RtcpFeedback::new("nack", None)]);
    // RTX whose primary is not negotiated is dropped.
    assert!(answer.iter().all(|c| c.payload_type != 99));
    // RTX with no local RTX for that codec is dropped.
    let no_rtx = negotiate_codecs(&remote, &local[..1]);
    assert_eq!(
        no_rtx.iter().map(|c| c.payload_type).collect::<Vec<_>>(),
        [102]
    );
}

#[test]
fn red_needs_its_redundant_payload_types() {
    let opus = Codec::new(111, "opus", 48000, Some(2));
    let red = Codec::new(63, "red", 48000, Some(2)).with_fmtp("111/111");
    let remote = [opus.clone(), red.clone()];
    let local_with = [
        Codec::new(109, "opus", 48000, Some(2)),
        Codec::new(120, "red", 48000, Some(2)),
    ];
    let answer = negotiate_codecs(&remote, &local_with);
    assert_eq!(answer.len(), 2);
    assert_eq!(answer[1].payload_type, 63);
    assert_eq!(answer[1].fmtp.as_ref().unwrap().to_string(), "111/111");
    // Without opus locally, RED has nothing to carry.
    let local_red_only = [Codec::new(120, "red", 48000, Some(2))];
    assert!(negotiate_codecs(&remote, &local_red_only).is_empty());
}

#[test]
fn each_codec_is_used_once() {
    // Two offered VP8 entries and one local: one answer entry.
    let remote = [
        Codec::new(96, "VP8", 90000, None),
        Codec::new(100, "VP8", 90000, None),
    ];
    let local = [Codec::new(120, "VP8", 90000, None)];
    let answer = negotiate_codecs(&remote, &local);
    assert_eq!(
        answer.iter().map(|c| c.payload_type).collect::<Vec<_>>(),
        [96]
    );
    assert!(negotiate_codecs(&remote, &[]).is_empty());
    assert!(negotiate_codecs(&[], &local).is_empty());
}

#[test]
fn extmaps_intersect_by_uri_keeping_offer_ids() {
    let mut recvonly = ExtMap::new(
        6,
        "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
    );
    recvonly.direction = Some(RecvOnly);
    let remote = [
        ExtMap::new(1, "urn:ietf:params:rtp-hdrext:ssrc-audio-level"),
        recvonly,
        ExtMap::new(3, "urn:ietf:params:rtp-hdrext:sdes:mid"),
        ExtMap::new(9, "urn:example:unknown"),
    ];
    let mut local_recv_only = ExtMap::new(10, "urn:ietf:params:rtp-hdrext:ssrc-audio-level");
    local_recv_only.direction = Some(RecvOnly);
    let local = [
        ExtMap::new(4, "urn:ietf:params:rtp-hdrext:sdes:mid"),
        ExtMap::new(
            5,
            "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
        ),
        local_recv_only,
    ];
    let answer = negotiate_extmaps(&remote, &local);
    let lines: Vec<String> = answer.iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            "1/recvonly urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            "6/sendonly http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
            "3 urn:ietf:params:rtp-hdrext:sdes:mid",
        ]
    );
    // An extension neither side would send is dropped.
    let mut a = ExtMap::new(2, "urn:x");
    a.direction = Some(SendOnly);
    let mut b = ExtMap::new(2, "urn:x");
    b.direction = Some(SendOnly);
    assert!(negotiate_extmaps(&[a], &[b]).is_empty());
}

#[test]
fn rids_and_simulcast_are_reversed() {
    let mut q = Rid::new("q", RidDirection::Send);
    q.payload_types = vec![96, 98];
    q.restrictions.push(zerortc::sdp::RidRestriction {
        name: "max-width".into(),
        value: Some("320".into()),
    });
    let mut h = Rid::new("h", RidDirection::Send);
    h.payload_types = vec![98];
    let f = Rid::new("f", RidDirection::Send);
    let answer = answer_rids(&[q, h, f], &[96]);
    let lines: Vec<String> = answer.iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["q recv pt=96;max-width=320", "f recv"]);

    let offer = zerortc::sdp::Simulcast::send(["q", "h", "f"]);
    assert_eq!(offer.to_string(), "send q;h;f");
    assert_eq!(offer.reverse().to_string(), "recv q;h;f");
}

fn fixture(name: &str) -> SessionDescription {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/sdp")
        .join(name);
    SessionDescription::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// Negotiates each section of `offer` with the answering browser's own
/// lists (taken from its offer of the same scenario) and compares with the
/// answer that browser wrote.
/// Firefox also writes extension directions (Chromium writes none), so
/// `directions` compares them too.
fn check_like_browser(offer: &str, answerer_offer: &str, answer: &str, directions: bool) {
    let offer = fixture(offer);
    let own = fixture(answerer_offer);
    let answer = fixture(answer);
    for kind in [MediaKind::Audio, MediaKind::Video] {
        let remote = offer.media.iter().find(|m| m.kind == kind).unwrap();
        let local = own.media.iter().find(|m| m.kind == kind).unwrap();
        let written = answer.media.iter().find(|m| m.kind == kind).unwrap();

        let ours = negotiate_codecs(&remote.codecs, &local.codecs);
        let pts = |c: &[Codec]| c.iter().map(|c| c.payload_type).collect::<Vec<_>>();
        assert_eq!(
            pts(&ours),
            pts(&written.codecs),
            "{kind}: payload types and order"
        );
        assert_eq!(
            written.formats,
            ours.iter()
                .map(|c| c.payload_type.to_string())
                .collect::<Vec<_>>()
        );
        for (o, w) in ours.iter().zip(&written.codecs) {
            let pt = o.payload_type;
            assert_eq!(
                o.encoding().unwrap().encoding_name.to_ascii_lowercase(),
                w.encoding().unwrap().encoding_name.to_ascii_lowercase(),
                "{kind} {pt}: name"
            );
            let params = |c: &Codec| {
                let mut p: Vec<String> = c
                    .fmtp
                    .iter()
                    .flat_map(|f| f.params.iter().map(|p| format!("{p:?}")))
                    .collect();
                p.sort();
                p
            };
            assert_eq!(params(o), params(w), "{kind} {pt}: fmtp");
            let mut fb_ours: Vec<String> = o.rtcp_fb.iter().map(ToString::to_string).collect();
            let mut fb_written: Vec<String> = w.rtcp_fb.iter().map(ToString::to_string).collect();
            fb_ours.sort();
            fb_written.sort();
            assert_eq!(fb_ours, fb_written, "{kind} {pt}: rtcp-fb");
        }

        // Header extensions: the offer's ids, the URIs both support.
        let ext = negotiate_extmaps(&remote.extmaps, &local.extmaps);
        let ids = |e: &[ExtMap]| {
            let mut v: Vec<(u16, String)> = e.iter().map(|e| (e.id, e.uri.clone())).collect();
            v.sort();
            v
        };
        assert_eq!(
            ids(&ext),
            ids(&written.extmaps),
            "{kind}: extmap ids and URIs"
        );
        if directions {
            let lines = |e: &[ExtMap]| {
                let mut v: Vec<String> = e.iter().map(ToString::to_string).collect();
                v.sort();
                v
            };
            assert_eq!(lines(&ext), lines(&written.extmaps), "{kind}: extmap lines");
        }
    }
}

#[test]
fn negotiation_matches_firefox_answering_chromium() {
    check_like_browser(
        "chromium156-av-offer.sdp",
        "firefox153-av-offer.sdp",
        "firefox153-av-answer-to-chromium156.sdp",
        true,
    );
}

#[test]
fn negotiation_matches_chromium_answering_firefox() {
    check_like_browser(
        "firefox153-av-offer.sdp",
        "chromium156-av-offer.sdp",
        "chromium156-av-answer-to-firefox153.sdp",
        false,
    );
}
