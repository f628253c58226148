//! Exit codes of `zerortc`: 0 ok, 1 capture error, 2 usage.

use std::process::{Command, Output};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/tests/fixtures/chromium156-plain-rtp.pcapng"
);

fn zerortc(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_zerortc"))
        .args(args)
        .output()
        .expect("run zerortc")
}

fn temp_file(name: &str, bytes: &[u8]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("zerortc-cli-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(zerortc(&[]).status.code(), Some(2));
    assert_eq!(zerortc(&["inspect"]).status.code(), Some(2));
    assert_eq!(
        zerortc(&["inspect", FIXTURE, "--bogus"]).status.code(),
        Some(2)
    );
    assert_eq!(zerortc(&["frobnicate"]).status.code(), Some(2));
    let bad_extmap = zerortc(&["inspect", FIXTURE, "--extmap", "x"]);
    assert_eq!(bad_extmap.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad_extmap.stderr).contains("ID=URI"));
}

#[test]
fn help_exits_0() {
    let out = zerortc(&["inspect", "--help"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("--json"));
}

#[test]
fn missing_file_exits_1() {
    let out = zerortc(&["inspect", "/nonexistent/zerortc.pcapng"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
}

#[test]
fn not_a_capture_exits_1_naming_offset_0() {
    let path = temp_file("not-a-capture.pcap", b"hello, this is not a capture file");
    let out = zerortc(&["inspect", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("not a pcap or pcapng file") && err.contains("byte offset 0"),
        "{err}"
    );
}

#[test]
fn truncated_capture_exits_1_after_printing_what_it_could() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let cut = bytes.len() / 2;
    let path = temp_file("truncated.pcapng", &bytes[..cut]);
    let out = zerortc(&["inspect", path.to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("truncated pcapng block"), "{err}");
    let stdout = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<serde_json::Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    // The frames before the cut, then the summary naming the error and the
    // offset of the cut block (which starts before the cut).
    let summary = &lines.last().unwrap()["summary"];
    let frames = summary["frames"].as_u64().unwrap();
    assert!(frames > 300 && frames < 722, "{frames}");
    assert_eq!(lines.len() as u64, frames + 1);
    let capture_error = summary["capture_error"].as_str().unwrap();
    let offset: usize = capture_error
        .rsplit("byte offset ")
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(offset < cut && cut - offset < 2000, "{capture_error}");
    assert!(err.contains(&format!("byte offset {offset}")), "{err}");
}

#[test]
fn dump_payloads_writes_every_rtp_and_rtcp_payload() {
    let dir = std::env::temp_dir().join(format!("zerortc-cli-dump-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let out_path = dir.join("payloads.bin");
    let out = zerortc(&[
        "inspect",
        FIXTURE,
        "--json",
        "--dump-payloads",
        out_path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let dump = std::fs::read(&out_path).unwrap();
    let (mut rtp, mut rtcp, mut at) = (0, 0, 0);
    while at < dump.len() {
        let kind = dump[at];
        let len = usize::from(u16::from_be_bytes([dump[at + 1], dump[at + 2]]));
        let payload = &dump[at + 3..at + 3 + len];
        assert_eq!(payload[0] >> 6, 2, "RTP version 2");
        match kind {
            1 => rtp += 1,
            2 => rtcp += 1,
            other => panic!("record kind {other}"),
        }
        at += 3 + len;
    }
    assert_eq!(at, dump.len());
    assert_eq!((rtp, rtcp), (552, 142));
}
