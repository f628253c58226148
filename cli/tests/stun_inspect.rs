//! `zerortc inspect` on the STUN messages of the real Chromium capture:
//! `--dump-kinds stun` reproduces the core fixture, and every message is
//! printed with its attributes decoded.

use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/tests/fixtures/chromium156-plain-rtp.pcapng"
);
const STUN_DUMP: &[u8] = include_bytes!("../../core/tests/fixtures/chromium156-stun.bin");

fn zerortc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zerortc"))
        .args(args)
        .output()
        .expect("run zerortc")
}

#[test]
fn dump_kinds_stun_reproduces_the_core_fixture() {
    let dir = std::env::temp_dir().join(format!("zerortc-cli-stun-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_path = dir.join("stun.bin");
    let out = zerortc(&[
        "inspect",
        FIXTURE,
        "--dump-payloads",
        out_path.to_str().unwrap(),
        "--dump-kinds",
        "stun",
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(std::fs::read(&out_path).unwrap(), STUN_DUMP);
    let bad = zerortc(&["inspect", FIXTURE, "--dump-kinds", "stun,sctp"]);
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn stun_attributes_are_printed_with_values() {
    let out = zerortc(&["inspect", FIXTURE, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut seen = 0;
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["kind"] != "stun" {
            continue;
        }
        seen += 1;
        let stun = &v["stun"];
        assert_eq!(stun["fingerprint_ok"], true);
        let values = stun["attribute_values"].as_array().unwrap();
        let names: Vec<&str> = values.iter().map(|a| a["name"].as_str().unwrap()).collect();
        assert_eq!(
            names,
            stun["attributes"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| n.as_str().unwrap())
                .collect::<Vec<_>>()
        );
        let value_of = |name: &str| {
            values
                .iter()
                .find(|a| a["name"] == name)
                .map(|a| a["value"].as_str().unwrap().to_string())
        };
        match stun["class"].as_str().unwrap() {
            "request" => {
                let username = value_of("USERNAME").unwrap();
                assert!(
                    username == "\"yEcT:nBRx\"" || username == "\"nBRx:yEcT\"",
                    "{username}"
                );
                assert!(value_of("PRIORITY").unwrap().parse::<u32>().is_ok());
                assert_eq!(value_of("GOOG-NETWORK-INFO").unwrap().len(), 8);
            }
            "success_response" => {
                let mapped = value_of("XOR-MAPPED-ADDRESS").unwrap();
                assert!(mapped.starts_with("127.0.0.1:"), "{mapped}");
                let src = v["dst"].as_str().unwrap();
                assert_eq!(mapped, src, "the response reflects the request's source");
            }
            other => panic!("class {other}"),
        }
    }
    assert_eq!(seen, 28);
}

#[test]
fn message_integrity_is_checked_with_the_sdp_passwords() {
    let sdp = |name: &str| {
        format!(
            "{}/../core/tests/fixtures/{name}",
            env!("CARGO_MANIFEST_DIR")
        )
    };
    let offer = sdp("chromium156-plain-rtp-offer.sdp");
    let answer = sdp("chromium156-plain-rtp-answer.sdp");
    let out = zerortc(&[
        "inspect", FIXTURE, "--json", "--sdp", &offer, "--sdp", &answer,
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut by_ufrag = std::collections::BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        if v["kind"] != "stun" {
            continue;
        }
        let ufrag = v["stun"]["integrity"].as_str().unwrap().to_string();
        // Requests are keyed with the receiver's password: the first part
        // of USERNAME.
        if v["stun"]["class"] == "request" {
            let values = v["stun"]["attribute_values"].as_array().unwrap();
            let username = values.iter().find(|a| a["name"] == "USERNAME").unwrap();
            let receiver = username["value"]
                .as_str()
                .unwrap()
                .trim_matches('"')
                .split(':')
                .next()
                .unwrap()
                .to_string();
            assert_eq!(ufrag, receiver);
        }
        *by_ufrag.entry(ufrag).or_insert(0) += 1;
    }
    // 7 checks each way, each answered with the same password.
    assert_eq!(
        by_ufrag.into_iter().collect::<Vec<_>>(),
        [("nBRx".to_string(), 14), ("yEcT".to_string(), 14)]
    );
    // Without --sdp, nothing is claimed.
    let plain = zerortc(&["inspect", FIXTURE, "--json"]);
    assert!(
        !String::from_utf8(plain.stdout)
            .unwrap()
            .contains("\"integrity\"")
    );
}
