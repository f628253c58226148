//! `zerortc inspect` on the real-browser capture committed in
//! `core/tests/fixtures/` (see its README for how it was made).
//!
//! The expected numbers come from tshark 4.0 (Debian bookworm) on the same
//! file, with the call's port decoded as RTP (RTCP is recognised inside it per
//! RFC 5761):
//!
//! ```text
//! D="-d udp.port==56867,rtp"; F=core/tests/fixtures/chromium156-plain-rtp.pcapng
//! tshark -r $F $D -T fields -e _ws.col.Protocol | sort | uniq -c          # kinds
//! tshark -r $F $D -Y rtcp -T fields -e rtcp.pt | tr , '\n' | sort | uniq -c
//! tshark -r $F $D -Y rtcp -T fields -e rtcp.rtpfb.fmt | tr , '\n' | sort | uniq -c
//! tshark -r $F $D -Y rtp -T fields -e rtp.p_type | sort | uniq -c
//! tshark -r $F $D -Y rtp -T fields -e rtp.marker | sort | uniq -c
//! tshark -r $F $D -Y stun -T fields -e stun.type | sort | uniq -c
//! tshark -r $F $D -Y rtp -T fields -e rtp.p_type -e rtp.ext.rfc5285.id   # ext ids
//! (field values of single packets: see the comment in each test)
//! ```

use std::collections::BTreeMap;
use std::process::{Command, Output};

use serde_json::Value;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/tests/fixtures/chromium156-plain-rtp.pcapng"
);
const OFFER: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/tests/fixtures/chromium156-plain-rtp-offer.sdp"
);

/// tshark: 722 frames = 28 STUN + 552 RTP + 142 RTCP.
const FRAMES: u64 = 722;
const STUN: u64 = 28;
const RTP: u64 = 552;
const RTCP: u64 = 142;

fn zerortc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zerortc"))
        .args(args)
        .output()
        .expect("run zerortc")
}

fn json_lines() -> Vec<Value> {
    let out = zerortc(&["inspect", FIXTURE, "--json", "--sdp", OFFER]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{e}: {l}")))
        .collect()
}

fn count<'a>(values: impl Iterator<Item = &'a Value>) -> BTreeMap<String, u64> {
    let mut m = BTreeMap::new();
    for v in values {
        let key = match v {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        *m.entry(key).or_default() += 1;
    }
    m
}

#[test]
fn counts_per_kind_match_tshark() {
    let lines = json_lines();
    let (summary, packets) = lines.split_last().unwrap();
    let summary = &summary["summary"];
    assert_eq!(summary["frames"], FRAMES);
    assert_eq!(packets.len() as u64, FRAMES);
    let kinds = &summary["kinds"];
    assert_eq!(kinds["stun"], STUN);
    assert_eq!(kinds["rtp"], RTP);
    assert_eq!(kinds["rtcp"], RTCP);
    for other in ["dtls", "zrtp", "turn_channel", "other"] {
        assert_eq!(kinds[other], 0, "{other}");
    }
    // The per-packet lines agree with the summary.
    let per_line = count(packets.iter().map(|p| &p["kind"]));
    assert_eq!(per_line["stun"], STUN);
    assert_eq!(per_line["rtp"], RTP);
    assert_eq!(per_line["rtcp"], RTCP);
}

#[test]
fn nothing_fails_to_decode() {
    let lines = json_lines();
    let (summary, packets) = lines.split_last().unwrap();
    let failed: Vec<&Value> = packets
        .iter()
        .filter(|p| p.get("error").is_some())
        .collect();
    assert!(failed.is_empty(), "undecoded: {failed:#?}");
    assert_eq!(summary["summary"]["undecoded"], 0);
    assert_eq!(summary["summary"]["errors"], serde_json::json!({}));
}

#[test]
fn every_json_line_has_a_kind_and_addresses() {
    let lines = json_lines();
    let (summary, packets) = lines.split_last().unwrap();
    assert!(summary.get("summary").is_some());
    for (i, p) in packets.iter().enumerate() {
        assert_eq!(p["number"], i as u64 + 1);
        assert!(p["kind"].is_string(), "{p}");
        assert!(p["src"].as_str().unwrap().starts_with("127.0.0.1:"), "{p}");
        assert!(p["dst"].as_str().unwrap().starts_with("127.0.0.1:"), "{p}");
        let kind = p["kind"].as_str().unwrap();
        assert!(p.get(kind).is_some(), "no decoded {kind} in {p}");
    }
}

#[test]
fn stun_types_match_tshark() {
    // tshark: 14 × 0x0001 (Binding request), 14 × 0x0101 (success response).
    let lines = json_lines();
    let stun = lines.iter().filter(|p| p["kind"] == "stun");
    let classes = count(stun.map(|p| &p["stun"]["class"]));
    assert_eq!(classes["request"], 14);
    assert_eq!(classes["success_response"], 14);
    assert_eq!(classes.len(), 2);
    for p in lines.iter().filter(|p| p["kind"] == "stun") {
        assert_eq!(p["stun"]["method_name"], "Binding");
        assert_eq!(p["stun"]["transaction_id"].as_str().unwrap().len(), 24);
    }
}

#[test]
fn rtp_payload_types_and_markers_match_tshark() {
    // tshark: PT 111 (Opus) 389, PT 96 (VP8) 95, PT 97 (RTX) 68; 99 with marker.
    let lines = json_lines();
    let rtp: Vec<&Value> = lines.iter().filter(|p| p["kind"] == "rtp").collect();
    let pts = count(rtp.iter().map(|p| &p["rtp"]["pt"]));
    assert_eq!(
        pts,
        BTreeMap::from([("111".into(), 389), ("96".into(), 95), ("97".into(), 68)])
    );
    let markers = rtp.iter().filter(|p| p["rtp"]["marker"] == true).count();
    assert_eq!(markers, 99);
}

#[test]
fn rtcp_packet_types_match_tshark() {
    // tshark, packets inside the 142 compounds: SR 8, RR 9, SDES 8,
    // RTPFB 125 (2 generic NACK FMT 1, 123 transport-cc FMT 15), XR 15.
    let lines = json_lines();
    let summary = &lines.last().unwrap()["summary"]["rtcp_packets"];
    let total: u64 = summary
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(total, 8 + 9 + 8 + 125 + 15, "{summary}");
    assert_eq!(summary["SR"], 8);
    assert_eq!(summary["RR"], 9);
    assert_eq!(summary["SDES"], 8);
    assert_eq!(summary["XR"], 15);
    assert_eq!(summary["NACK"], 2);
    assert_eq!(summary["TWCC"], 123);
}

#[test]
fn rtcp_fields_match_tshark() {
    // tshark -Y rtcp.rtpfb.nack_pid -T fields -e rtcp.rtpfb.nack_pid -e rtcp.rtpfb.nack_blp
    //   → 811 0x0000, 816 0x0000
    // tshark -T fields -e rtcp.rtpfb.transportcc.statuscount → sums to 550 over 123
    //   packets; -e rtcp.rtpfb.transportcc.recv_delta → 532 deltas (received)
    // tshark -T fields -e rtcp.sdes.text → 8 × qNTQZV2OzVRSaZlc
    // tshark -Y rtcp.pt==200 -T fields -e rtcp.sender.packetcount
    //   → 16 30 124 53 73 101 118 158
    let lines = json_lines();
    let items: Vec<&Value> = lines
        .iter()
        .filter(|p| p["kind"] == "rtcp")
        .flat_map(|p| p["rtcp"].as_array().unwrap())
        .collect();
    let of = |name: &str| -> Vec<&Value> {
        items
            .iter()
            .copied()
            .filter(|i| i["type"] == name)
            .collect()
    };
    let lost: Vec<&Value> = of("NACK")
        .iter()
        .flat_map(|n| n["lost"].as_array().unwrap())
        .collect();
    assert_eq!(lost, [811, 816]);
    let twcc = of("TWCC");
    let status: u64 = twcc
        .iter()
        .map(|t| t["status_count"].as_u64().unwrap())
        .sum();
    let received: u64 = twcc.iter().map(|t| t["received"].as_u64().unwrap()).sum();
    assert_eq!((twcc.len(), status, received), (123, 550, 532));
    for sdes in of("SDES") {
        assert_eq!(sdes["chunks"][0]["items"]["CNAME"], "qNTQZV2OzVRSaZlc");
    }
    let sr_counts: Vec<u64> = of("SR")
        .iter()
        .map(|s| s["packet_count"].as_u64().unwrap())
        .collect();
    assert_eq!(sr_counts, [16, 30, 124, 53, 73, 101, 118, 158]);
    let rr_blocks: usize = of("RR")
        .iter()
        .map(|r| r["reports"].as_array().unwrap().len())
        .sum();
    assert_eq!(rr_blocks, 17);
    let xr_blocks: Vec<&Value> = of("XR")
        .iter()
        .flat_map(|x| x["blocks"].as_array().unwrap())
        .collect();
    let rrtr = xr_blocks.iter().filter(|b| b["block"] == "RRTR").count();
    let dlrr = xr_blocks.iter().filter(|b| b["block"] == "DLRR").count();
    // tshark -T fields -e rtcp.xr.bt → 9 × 4 (RRTR), 6 × 5 (DLRR).
    assert_eq!((rrtr, dlrr), (9, 6));
}

#[test]
fn text_output_has_one_line_per_frame_and_a_summary() {
    let out = zerortc(&["inspect", FIXTURE]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let frames = text
        .lines()
        .take_while(|l| !l.starts_with("summary:"))
        .count();
    assert_eq!(frames as u64, FRAMES);
    let first = text.lines().next().unwrap();
    assert!(
        first.contains("STUN") && first.contains("Binding request"),
        "{first}"
    );
    assert!(text.contains("kinds: rtcp=142 rtp=552 stun=28"), "{text}");
    assert!(text.contains("could not decode: 0"), "{text}");
}

#[test]
fn rtp_header_extension_ids_match_tshark() {
    // tshark (ids per payload type, counted over packets):
    // PT 111: id 1 ×389, 2 ×389, 3 ×389, 4 ×117
    // PT 96:  id 2 ×95, 3 ×95, 4 ×7, 7 ×33, 8 ×1, 13 ×1
    // PT 97:  id 2 ×68, 3 ×68, 4 ×5, 7 ×2
    let lines = json_lines();
    let mut ids: BTreeMap<(u64, u64), u64> = BTreeMap::new();
    for p in lines.iter().filter(|p| p["kind"] == "rtp") {
        assert_eq!(p["rtp"]["extension_profile"], 0xbede, "one-byte form");
        for e in p["rtp"]["extensions"].as_array().unwrap() {
            let key = (p["rtp"]["pt"].as_u64().unwrap(), e["id"].as_u64().unwrap());
            *ids.entry(key).or_default() += 1;
        }
    }
    let expected = BTreeMap::from([
        ((111, 1), 389),
        ((111, 2), 389),
        ((111, 3), 389),
        ((111, 4), 117),
        ((96, 2), 95),
        ((96, 3), 95),
        ((96, 4), 7),
        ((96, 7), 33),
        ((96, 8), 1),
        ((96, 13), 1),
        ((97, 2), 68),
        ((97, 3), 68),
        ((97, 4), 5),
        ((97, 7), 2),
    ]);
    assert_eq!(ids, expected);
}

#[test]
fn rtp_extension_values_are_decoded_with_the_offer_extmap() {
    let lines = json_lines();
    let rtp: Vec<&Value> = lines.iter().filter(|p| p["kind"] == "rtp").collect();
    let ext = |p: &Value, name: &str| -> Option<Value> {
        p["rtp"]["extensions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["name"] == name)
            .map(|e| e["value"].clone())
    };
    // mid: "0" for audio (PT 111), "1" for video and its RTX.
    for p in &rtp {
        if let Some(mid) = ext(p, "mid") {
            let expected = if p["rtp"]["pt"] == 111 { "0" } else { "1" };
            assert_eq!(mid, expected, "{p}");
        }
        // Every packet carries abs-send-time (0..64 s) and transport-cc.
        let ast = ext(p, "abs-send-time").unwrap();
        let secs = ast["seconds"].as_f64().unwrap();
        assert!((0.0..64.0).contains(&secs), "{p}");
        assert!(ext(p, "transport-cc").unwrap().is_u64());
        if p["rtp"]["pt"] == 111 {
            let level = ext(p, "audio-level").unwrap();
            assert!((-127..=0).contains(&level["dbov"].as_i64().unwrap()), "{p}");
        }
    }
    // One sender numbers all its packets with one transport-wide counter:
    // in capture order it only moves forward (gaps are the shaped losses).
    let seqs: Vec<u64> = rtp
        .iter()
        .map(|p| ext(p, "transport-cc").unwrap().as_u64().unwrap())
        .collect();
    for pair in seqs.windows(2) {
        let step = (pair[1] + 65536 - pair[0]) % 65536;
        assert!(
            (1..100).contains(&step),
            "transport-cc {} then {}",
            pair[0],
            pair[1]
        );
    }
}
