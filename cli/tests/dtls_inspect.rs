//! `zerortc inspect` on the real Chromium 156 DTLS captures: handshake
//! fragment headers (type, length, message_seq, fragment offset/length) of
//! the split post-quantum ClientHello, the ServerHello summary, and the
//! full ClientHello summary of the single-record hello (cipher suites,
//! extensions, use_srtp, supported_versions).

use std::process::Command;

use serde_json::Value;

fn packets(fixture: &str) -> Vec<Value> {
    let path = format!(
        "{}/../core/tests/fixtures/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = Command::new(env!("CARGO_BIN_EXE_zerortc"))
        .args(["inspect", "--json", &path])
        .output()
        .expect("run zerortc");
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn first_message(packet: &Value) -> &Value {
    &packet["dtls"][0]["messages"][0]
}

#[test]
fn split_post_quantum_client_hello_fragments_and_server_hello() {
    let packets = packets("chromium156-dtls.pcapng");
    let hellos: Vec<&Value> = packets
        .iter()
        .filter(|p| p["dtls"][0]["handshake"] == "ClientHello")
        .collect();
    assert_eq!(hellos.len(), 2);
    // 1413-byte ClientHello in two fragments: 0+1175 and 1175+238.
    for (packet, (offset, len)) in hellos.iter().zip([(0, 1175), (1175, 238)]) {
        let m = first_message(packet);
        assert_eq!(m["msg_type"], "ClientHello");
        assert_eq!(m["length"], 1413);
        assert_eq!(m["message_seq"], 0);
        assert_eq!(m["fragment_offset"], offset);
        assert_eq!(m["fragment_length"], len);
        assert!(m.get("hello").is_none(), "a fragment is not summarised");
    }
    let server = packets
        .iter()
        .find(|p| p["dtls"][0]["handshake"] == "ServerHello")
        .unwrap();
    let m = first_message(server);
    assert_eq!(m["fragment_offset"], 0);
    assert_eq!(m["fragment_length"], m["length"]);
    let hello = &m["hello"];
    // Chromium talking to Chromium settles on DTLS 1.3 (0xfefc) with
    // TLS_AES_128_GCM_SHA256 (0x1301); the legacy version field says 1.2.
    assert_eq!(hello["version"], 0xfefd);
    assert_eq!(hello["cipher_suites"], serde_json::json!(["1301"]));
    assert_eq!(hello["supported_versions"], serde_json::json!([0xfefc]));
    assert!(
        hello["extensions"]
            .as_array()
            .unwrap()
            .contains(&Value::from("key_share"))
    );
}

#[test]
fn single_record_client_hello_summary() {
    let packets = packets("chromium156-dtls-nopqc.pcapng");
    let hello_packet = packets
        .iter()
        .find(|p| p["dtls"][0]["handshake"] == "ClientHello")
        .unwrap();
    let m = first_message(hello_packet);
    assert_eq!(
        (m["length"].as_u64(), m["fragment_length"].as_u64()),
        (Some(191), Some(191))
    );
    let hello = &m["hello"];
    assert_eq!(hello["version"], 0xfefd);
    let suites = hello["cipher_suites"].as_array().unwrap();
    assert!(suites.contains(&Value::from("c02b")), "{suites:?}");
    assert_eq!(
        hello["use_srtp"],
        serde_json::json!(["Aes128CmHmacSha1_80", "AeadAes256Gcm", "AeadAes128Gcm"])
    );
    assert_eq!(
        hello["supported_versions"],
        serde_json::json!([0xfefc, 0xfefd])
    );
    let exts = hello["extensions"].as_array().unwrap();
    for name in [
        "use_srtp",
        "extended_master_secret",
        "supported_versions",
        "renegotiation_info",
    ] {
        assert!(exts.contains(&Value::from(name)), "{name}: {exts:?}");
    }
}
