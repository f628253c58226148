//! `zerortc inspect` on SCTP: captures written here of real zerortc
//! exchanges (two `DataChannels` in memory opening a channel with DCEP and
//! sending messages), once as plaintext SCTP over UDP (RFC 6951) and once
//! inside DTLS 1.2 with the NSS key log the connection writes. inspect
//! must list the chunks (INIT ... COOKIE_ACK, DATA, SACK) and the DCEP
//! DATA_CHANNEL_OPEN with its label; over DTLS only with the key log.

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::Value;
use zerortc::crypto::{Certificate, FingerprintAlgorithm};
use zerortc::datachannel::{ChannelOptions, DataChannelEvent, DataChannels, DtlsRole};
use zerortc::dtls::{DtlsConfig, DtlsConnection, DtlsEvent};
use zerortc::sctp::Config;

const LABEL: &str = "chat-ü";
const A: ([u8; 4], u16) = ([127, 0, 0, 1], 40000);
const B: ([u8; 4], u16) = ([127, 0, 0, 1], 40001);

/// One captured datagram: sent by A (`true`) or B, payload.
type Datagram = (bool, Vec<u8>);

fn raw_ipv4_udp(from_a: bool, payload: &[u8], ports: (u16, u16)) -> Vec<u8> {
    let (src, dst) = if from_a { (A, B) } else { (B, A) };
    let (sport, dport) = if from_a { ports } else { (ports.1, ports.0) };
    let total = (20 + 8 + payload.len()) as u16;
    let mut p = vec![0x45, 0];
    p.extend_from_slice(&total.to_be_bytes());
    p.extend_from_slice(&[0, 0, 0x40, 0, 64, 17, 0, 0]);
    p.extend_from_slice(&src.0);
    p.extend_from_slice(&dst.0);
    p.extend_from_slice(&sport.to_be_bytes());
    p.extend_from_slice(&dport.to_be_bytes());
    p.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(payload);
    p
}

/// A pcap file (raw IP link type 101) of the datagrams, 1 ms apart.
fn pcap(datagrams: &[Datagram], ports: (u16, u16)) -> Vec<u8> {
    let mut f = 0xa1b2_c3d4u32.to_le_bytes().to_vec();
    f.extend_from_slice(&2u16.to_le_bytes());
    f.extend_from_slice(&4u16.to_le_bytes());
    for v in [0u32, 0, 65535, 101] {
        f.extend_from_slice(&v.to_le_bytes());
    }
    for (i, (from_a, payload)) in datagrams.iter().enumerate() {
        let frame = raw_ipv4_udp(*from_a, payload, ports);
        for v in [
            1_700_000_000u32,
            i as u32 * 1000,
            frame.len() as u32,
            frame.len() as u32,
        ] {
            f.extend_from_slice(&v.to_le_bytes());
        }
        f.extend_from_slice(&frame);
    }
    f
}

/// RTO.Min of RFC 9260 (1 s): above the 200 ms delayed SACK, so the
/// trace has no spurious retransmission and its DATA chunks can be counted.
fn config(seed: u64, zero_checksum: bool) -> Config {
    Config {
        seed,
        zero_checksum,
        rto_min: Duration::from_secs(1),
        ..Config::default()
    }
}

/// Opens channel `LABEL` from A and sends three messages; returns every
/// datagram both sides sent. `wrap` turns an SCTP packet into what goes on
/// the wire (identity, or a DTLS record).
fn exchange(
    a: &mut DataChannels,
    b: &mut DataChannels,
    mut wrap_a: impl FnMut(&[u8]) -> Vec<u8>,
    mut wrap_b: impl FnMut(&[u8]) -> Vec<u8>,
    mut unwrap_a: impl FnMut(&[u8]) -> Vec<u8>,
    mut unwrap_b: impl FnMut(&[u8]) -> Vec<u8>,
) -> Vec<Datagram> {
    let mut now = Instant::now();
    let mut out = Vec::new();
    let mut buf = vec![0u8; 1500];
    a.connect(now);
    b.connect(now);
    let id = a
        .create_channel(
            now,
            ChannelOptions {
                label: LABEL.into(),
                protocol: "json".into(),
                ..ChannelOptions::default()
            },
        )
        .unwrap();
    let mut sent = 0;
    let mut received = 0;
    for _ in 0..200 {
        while let Some(n) = a.poll_transmit(now, &mut buf) {
            let wire = wrap_a(&buf[..n]);
            b.handle_receive(now, &unwrap_b(&wire)).unwrap();
            out.push((true, wire));
        }
        while let Some(n) = b.poll_transmit(now, &mut buf) {
            let wire = wrap_b(&buf[..n]);
            a.handle_receive(now, &unwrap_a(&wire)).unwrap();
            out.push((false, wire));
        }
        while let Some(e) = a.poll_event() {
            if e == (DataChannelEvent::Open { id, remote: false }) && sent == 0 {
                for m in ["one", "two", "three"] {
                    a.send(now, id, m.as_bytes(), false).unwrap();
                }
                sent = 3;
            }
        }
        while let Some(e) = b.poll_event() {
            if matches!(e, DataChannelEvent::Message { .. }) {
                received += 1;
            }
        }
        if received == 3 && a.association().send_buffer_used() == 0 {
            break;
        }
        now += Duration::from_millis(50);
        if a.poll_timeout().is_some_and(|t| t <= now) {
            a.handle_timeout(now);
        }
        if b.poll_timeout().is_some_and(|t| t <= now) {
            b.handle_timeout(now);
        }
    }
    assert_eq!(received, 3, "the exchange itself works");
    out
}

fn plaintext_trace() -> Vec<Datagram> {
    let now = Instant::now();
    let mut a = DataChannels::new(config(1, false), DtlsRole::Client, now);
    let mut b = DataChannels::new(config(2, false), DtlsRole::Server, now);
    let id = |p: &[u8]| p.to_vec();
    exchange(&mut a, &mut b, id, id, id, id)
}

/// DTLS handshake datagrams, then the data channel exchange in records;
/// returns the datagrams and the client's key log line.
fn dtls_trace() -> (Vec<Datagram>, String) {
    let now = Instant::now();
    let cert = |s: u8| Arc::new(Certificate::generate_self_signed_from_seed([s; 32]).unwrap());
    let (ca, cb) = (cert(1), cert(2));
    let mut cc = DtlsConfig::new(
        ca.clone(),
        Some(cb.fingerprint(FingerprintAlgorithm::Sha256)),
    );
    cc.srtp_profiles.clear();
    cc.rng_seed = Some([7; 32]);
    let mut sc = DtlsConfig::new(cb, Some(ca.fingerprint(FingerprintAlgorithm::Sha256)));
    sc.srtp_profiles.clear();
    sc.rng_seed = Some([8; 32]);
    let mut client = DtlsConnection::new_client(cc, now).unwrap();
    let mut server = DtlsConnection::new_server(sc).unwrap();
    let mut out = Vec::new();
    for _ in 0..8 {
        while let Some(d) = client.poll_write() {
            server.handle_read(now, &d).unwrap();
            out.push((true, d));
        }
        while let Some(d) = server.poll_write() {
            client.handle_read(now, &d).unwrap();
            out.push((false, d));
        }
    }
    assert!(client.is_connected() && server.is_connected());
    while client.poll_event().is_some() {}
    while server.poll_event().is_some() {}
    let keylog = client.key_log_line().unwrap();
    let client = std::cell::RefCell::new(client);
    let server = std::cell::RefCell::new(server);
    let seal = |conn: &std::cell::RefCell<DtlsConnection>, p: &[u8]| {
        let mut rec = vec![0u8; p.len() + 64];
        let n = conn
            .borrow_mut()
            .seal_application_data(p, &mut rec)
            .unwrap();
        rec.truncate(n);
        rec
    };
    let open = |conn: &std::cell::RefCell<DtlsConnection>, r: &[u8]| {
        let mut c = conn.borrow_mut();
        c.handle_read(now, r).unwrap();
        match c.poll_event() {
            Some(DtlsEvent::ApplicationData(d)) => d,
            other => panic!("expected application data, got {other:?}"),
        }
    };
    let mut a = DataChannels::new(config(1, true), DtlsRole::Client, now);
    let mut b = DataChannels::new(config(2, true), DtlsRole::Server, now);
    let data = exchange(
        &mut a,
        &mut b,
        |p| seal(&client, p),
        |p| seal(&server, p),
        |r| open(&client, r),
        |r| open(&server, r),
    );
    assert!(a.association().sends_zero_checksum());
    out.extend(data);
    (out, keylog)
}

fn inspect(capture: &[u8], extra: &[&str]) -> Vec<Value> {
    static CALLS: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!("zerortc-sctp-inspect-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join(format!(
        "capture-{}.pcap",
        CALLS.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&file, capture).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zerortc"))
        .arg("inspect")
        .arg("--json")
        .arg(&file)
        .args(extra)
        .output()
        .expect("run zerortc");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn chunk_names(sctp: &Value) -> Vec<String> {
    sctp["chunks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["chunk"].as_str().unwrap().to_string())
        .collect()
}

/// Every chunk name, and the DCEP messages, of the SCTP packets in order.
fn walk(sctp_packets: &[&Value]) -> (Vec<String>, Vec<Value>) {
    let mut names = Vec::new();
    let mut dcep = Vec::new();
    for p in sctp_packets {
        assert_eq!(
            (p["src_port"].as_u64(), p["dst_port"].as_u64()),
            (Some(5000), Some(5000))
        );
        names.extend(chunk_names(p));
        for c in p["chunks"].as_array().unwrap() {
            if !c["dcep"].is_null() {
                dcep.push(c["dcep"].clone());
            }
        }
    }
    (names, dcep)
}

fn check_association(names: &[String], dcep: &[Value]) {
    for expected in [
        "INIT",
        "INIT_ACK",
        "COOKIE_ECHO",
        "COOKIE_ACK",
        "DATA",
        "SACK",
    ] {
        assert!(
            names.iter().any(|n| n == expected),
            "{expected} in {names:?}"
        );
    }
    // 1 DCEP OPEN + 3 messages from A, 1 DCEP ACK from B.
    assert_eq!(
        names.iter().filter(|n| *n == "DATA").count(),
        5,
        "{names:?}"
    );
    assert_eq!(dcep.len(), 2, "{dcep:?}");
    assert_eq!(dcep[0]["message"], "DATA_CHANNEL_OPEN");
    assert_eq!(dcep[0]["label"], LABEL);
    assert_eq!(dcep[0]["protocol"], "json");
    assert_eq!(dcep[0]["channel_type"], "reliable");
    assert_eq!(dcep[1]["message"], "DATA_CHANNEL_ACK");
}

#[test]
fn plaintext_sctp_over_udp_9899_lists_chunks_and_dcep() {
    let trace = plaintext_trace();
    let packets = inspect(&pcap(&trace, (9899, 9899)), &[]);
    let frames = &packets[..trace.len()];
    assert!(frames.iter().all(|p| p["kind"] == "sctp"), "{frames:?}");
    assert!(frames.iter().all(|p| p["sctp"]["checksum"] == "ok"));
    let sctp: Vec<&Value> = frames.iter().map(|p| &p["sctp"]).collect();
    let (names, dcep) = walk(&sctp);
    check_association(&names, &dcep);
    let summary = &packets[trace.len()]["summary"];
    assert_eq!(summary["kinds"]["sctp"], trace.len());
    assert_eq!(summary["undecoded"], 0);
    assert_eq!(summary["sctp_chunks"]["DATA"], 5);
}

#[test]
fn plaintext_sctp_on_other_ports_is_found_by_its_checksum() {
    let trace = plaintext_trace();
    let packets = inspect(&pcap(&trace, (5000, 5001)), &[]);
    assert!(packets[..trace.len()].iter().all(|p| p["kind"] == "sctp"));
    // The text output names the DCEP OPEN label.
    let dir = std::env::temp_dir().join(format!("zerortc-sctp-text-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("plain.pcap");
    std::fs::write(&file, pcap(&trace, (5000, 5001))).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zerortc"))
        .args(["inspect", file.to_str().unwrap()])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains(&format!("DCEP DATA_CHANNEL_OPEN type=reliable priority=256 reliability=0 label={LABEL:?} protocol=\"json\"")),
        "{text}"
    );
    assert!(text.contains("SCTP 5000→5000"), "{text}");
}

#[test]
fn dtls_capture_with_key_log_shows_sctp_chunks_and_dcep_open() {
    let (trace, line) = dtls_trace();
    let capture = pcap(&trace, (40000, 40001));
    let dir = std::env::temp_dir().join(format!("zerortc-sctp-keylog-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let keylog = dir.join("keylog.txt");
    std::fs::write(&keylog, format!("# SSL/TLS secrets log file\n{line}\n")).unwrap();

    // Without keys: DTLS records only.
    let plain = inspect(&capture, &[]);
    assert!(plain[..trace.len()].iter().all(|p| p["kind"] == "dtls"));
    assert!(plain.iter().all(|p| {
        p["dtls"]
            .as_array()
            .is_none_or(|r| r.iter().all(|r| r["decrypted"].is_null()))
    }));

    let packets = inspect(&capture, &["--keylog", keylog.to_str().unwrap()]);
    let frames = &packets[..trace.len()];
    let mut sctp = Vec::new();
    let mut finished = 0;
    for p in frames {
        for r in p["dtls"].as_array().unwrap() {
            if r["epoch"] == 1 {
                let d = &r["decrypted"];
                assert!(d["error"].is_null(), "{r}");
                if r["content"] == "application_data" {
                    // RFC 9653: once negotiated (INIT / INIT-ACK), packets
                    // over DTLS carry no CRC32c.
                    let data = chunk_names(&d["sctp"]).iter().any(|c| c == "DATA");
                    let crc = d["sctp"]["checksum"].as_str().unwrap();
                    assert!(crc == "zero" || (crc == "ok" && !data), "{crc}");
                    sctp.push(d["sctp"].clone());
                } else if r["content"] == "handshake" {
                    assert_eq!(d["handshake"][0], "Finished");
                    finished += 1;
                }
            }
        }
    }
    assert_eq!(finished, 2, "both Finished messages opened");
    let refs: Vec<&Value> = sctp.iter().collect();
    let (names, dcep) = walk(&refs);
    check_association(&names, &dcep);
    let summary = &packets[trace.len()]["summary"];
    assert_eq!(summary["sctp_chunks"]["DATA"], 5);
    assert!(summary["undecrypted"].is_null(), "{summary}");

    // A key log for another session opens nothing, and says so.
    let other = dir.join("other.txt");
    std::fs::write(
        &other,
        format!("CLIENT_RANDOM {} {}\n", "00".repeat(32), "11".repeat(48)),
    )
    .unwrap();
    let packets = inspect(&capture, &["--keylog", other.to_str().unwrap()]);
    let summary = &packets[trace.len()]["summary"];
    assert!(
        summary["undecrypted"]["no keys"].as_u64().unwrap() >= 2,
        "{summary}"
    );
    assert!(summary["sctp_chunks"].is_null());

    // A malformed key log is a usage error.
    std::fs::write(&other, "CLIENT_RANDOM 00 11\n").unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_zerortc"))
        .args([
            "inspect",
            "--keylog",
            other.to_str().unwrap(),
            keylog.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}
