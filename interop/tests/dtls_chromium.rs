//! zerortc's DTLS 1.2 against a real browser: headless Chromium 156 (driven
//! over WebDriver by `interop/pages/drive-dtls-peer.py`) offers a data
//! channel; this test answers as an ICE-lite peer on 127.0.0.1 with a
//! minimal STUN responder (RFC 8445 §2.5 lite, RFC 5389 MESSAGE-INTEGRITY
//! and FINGERPRINT) and runs the DTLS handshake with zerortc — as the DTLS
//! server (`a=setup:passive`: Chromium's DTLS 1.3-capable, split PQC
//! ClientHello, cookie exchange) and as the DTLS client (`a=setup:active`).
//! Both sides must agree: zerortc reports Connected with the fingerprint
//! from Chromium's SDP, Chromium's getStats reports `dtlsState: connected`,
//! DTLS 1.2 (FEFD), the same cipher suite and SRTP profile; and Chromium's
//! first SCTP packet arrives as decrypted application data.
//!
//! Each test re-runs itself inside a fresh loopback-only network namespace
//! (`unshare -n`, needs root, as `shared/INTEROP.md` recommends) that is also
//! a PID namespace, where it starts a page server, chromedriver and
//! Chromium; it stops them by their handles when done, and the kernel ends
//! whatever is left when the namespace's init (the test) exits.

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use zerortc::crypto::{Certificate, Fingerprint, FingerprintAlgorithm, HmacSha1};
use zerortc::dtls::{CipherSuite, DtlsConfig, DtlsConnection, DtlsEvent};
use zerortc::srtp::SrtpProfile;

const NETNS_ENV: &str = "ZERORTC_DTLS_CHROMIUM_NETNS";
const PROFILE_ENV: &str = "ZERORTC_DTLS_CHROMIUM_PROFILE";
const HTTP_PORT: u16 = 8767;
const WEBDRIVER_PORT: u16 = 9517;
const ICE_UFRAG: &str = "zrtc";
const ICE_PWD: &str = "zerortc-ice-password-0123";

/// Runs `test` inside fresh network and PID namespaces: re-executes this
/// test binary there (for this one test) and returns false outside.
fn inside_namespace(test: &str) -> bool {
    if std::env::var_os(NETNS_ENV).is_some() {
        let status = Command::new("ip")
            .args(["link", "set", "lo", "up"])
            .status()
            .unwrap();
        assert!(status.success());
        return true;
    }
    let exe = std::env::current_exe().unwrap();
    let profile = std::env::temp_dir().join(format!(
        "zerortc-dtls-chromium-{}-{test}",
        std::process::id()
    ));
    // -n: only loopback; -p -f --mount-proc: a PID namespace whose init is
    // the test, so every process it started (Chromium's included) is killed
    // by the kernel when it exits.
    let status = Command::new("unshare")
        .args(["-n", "-p", "-f", "--mount-proc"])
        .arg(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(NETNS_ENV, "1")
        .env(PROFILE_ENV, &profile)
        .status()
        .expect("unshare (util-linux) must be installed; the test needs root");
    // Every process of the namespace is gone: the profile can go too.
    let _ = std::fs::remove_dir_all(&profile);
    assert!(status.success(), "{test} failed inside the namespace");
    false
}

/// Children of the test, killed by their handles when dropped.
struct Children(Vec<Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

fn wait_for_tcp(port: u16) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(Instant::now() < deadline, "nothing listens on {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The page driver: JSON lines in and out.
struct Driver {
    stdin: ChildStdin,
    lines: Receiver<serde_like::Line>,
}

/// Just enough JSON for the driver's three line shapes.
mod serde_like {
    /// One line of the driver.
    #[derive(Debug, Clone)]
    pub enum Line {
        Offer(String),
        State(String),
        Other,
    }

    /// Decodes a JSON string literal starting at `s[0] == '"'`.
    pub fn json_string(s: &str) -> String {
        let mut out = String::new();
        let mut chars = s.chars().skip(1);
        while let Some(c) = chars.next() {
            match c {
                '"' => break,
                '\\' => match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('r') => out.push('\r'),
                    Some('t') => out.push('\t'),
                    Some('u') => {
                        let hex: String = chars.by_ref().take(4).collect();
                        out.push(char::from_u32(u32::from_str_radix(&hex, 16).unwrap()).unwrap());
                    }
                    Some(other) => out.push(other),
                    None => break,
                },
                c => out.push(c),
            }
        }
        out
    }

    /// Encodes `s` as a JSON string literal.
    pub fn to_json_string(s: &str) -> String {
        let mut out = String::from("\"");
        for c in s.chars() {
            match c {
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                c => out.push(c),
            }
        }
        out.push('"');
        out
    }

    pub fn parse(line: &str) -> Line {
        if let Some(rest) = line.strip_prefix("{\"offer\": ") {
            Line::Offer(json_string(rest))
        } else if line.starts_with("{\"state\"") {
            Line::State(line.to_string())
        } else {
            Line::Other
        }
    }
}

use serde_like::Line;

fn start_browser(children: &mut Children, profile: &std::path::Path) -> Driver {
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pages");
    children.0.push(
        Command::new("python3")
            .args([
                "-m",
                "http.server",
                &HTTP_PORT.to_string(),
                "--bind",
                "127.0.0.1",
            ])
            .arg("--directory")
            .arg(&pages)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap(),
    );
    children.0.push(
        Command::new("chromedriver")
            .arg(format!("--port={WEBDRIVER_PORT}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("chromedriver must be installed (shared/INTEROP.md)"),
    );
    wait_for_tcp(HTTP_PORT);
    wait_for_tcp(WEBDRIVER_PORT);
    let mut driver = Command::new("python3")
        .arg(pages.join("drive-dtls-peer.py"))
        .arg(format!("--webdriver=http://127.0.0.1:{WEBDRIVER_PORT}"))
        .arg(format!(
            "--page=http://127.0.0.1:{HTTP_PORT}/dtls-peer.html"
        ))
        .arg(format!("--profile={}", profile.display()))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdin = driver.stdin.take().unwrap();
    let stdout = driver.stdout.take().unwrap();
    children.0.push(driver);
    let (tx, lines) = channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(serde_like::parse(&line));
        }
    });
    Driver { stdin, lines }
}

fn sdp_attr<'a>(sdp: &'a str, name: &str) -> &'a str {
    sdp.lines()
        .find_map(|l| l.strip_prefix(&format!("a={name}:")))
        .unwrap_or_else(|| panic!("no a={name} in offer:\n{sdp}"))
        .trim()
}

fn answer_sdp(offer: &str, ours: &Fingerprint, port: u16, setup: &str) -> String {
    let mid = sdp_attr(offer, "mid");
    [
        "v=0".to_string(),
        "o=- 1 2 IN IP4 127.0.0.1".into(),
        "s=-".into(),
        "t=0 0".into(),
        format!("a=group:BUNDLE {mid}"),
        "a=ice-lite".into(),
        "m=application 9 UDP/DTLS/SCTP webrtc-datachannel".into(),
        "c=IN IP4 0.0.0.0".into(),
        format!("a=ice-ufrag:{ICE_UFRAG}"),
        format!("a=ice-pwd:{ICE_PWD}"),
        format!("a=fingerprint:{ours}"),
        format!("a=setup:{setup}"),
        format!("a=mid:{mid}"),
        "a=sctp-port:5000".into(),
        "a=max-message-size:262144".into(),
        format!("a=candidate:1 1 udp 2130706431 127.0.0.1 {port} typ host"),
        "a=end-of-candidates".into(),
        String::new(),
    ]
    .join("\r\n")
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// The success response to a STUN Binding request, or `None` for anything
/// else (RFC 5389 §7.3, §15.2, §15.4, §15.5).
fn stun_response(request: &[u8], from: SocketAddr) -> Option<Vec<u8>> {
    if request.len() < 20 || request[0..2] != [0, 1] || request[4..8] != [0x21, 0x12, 0xa4, 0x42] {
        return None;
    }
    let mut msg = vec![0x01, 0x01, 0, 0, 0x21, 0x12, 0xa4, 0x42];
    msg.extend_from_slice(&request[8..20]);
    let SocketAddr::V4(v4) = from else {
        return None;
    };
    let port = v4.port() ^ 0x2112;
    let ip = u32::from(*v4.ip()) ^ 0x2112_a442;
    msg.extend_from_slice(&[0x00, 0x20, 0, 8, 0, 1]);
    msg.extend_from_slice(&port.to_be_bytes());
    msg.extend_from_slice(&ip.to_be_bytes());
    let set_len = |msg: &mut Vec<u8>, extra: usize| {
        let len = (msg.len() - 20 + extra) as u16;
        msg[2..4].copy_from_slice(&len.to_be_bytes());
    };
    set_len(&mut msg, 24);
    let mac = HmacSha1::new(ICE_PWD.as_bytes()).unwrap().sign(&[&msg]);
    msg.extend_from_slice(&[0x00, 0x08, 0, 20]);
    msg.extend_from_slice(&mac);
    set_len(&mut msg, 8);
    let fingerprint = crc32(&msg) ^ 0x5354_554e;
    msg.extend_from_slice(&[0x80, 0x28, 0, 4]);
    msg.extend_from_slice(&fingerprint.to_be_bytes());
    Some(msg)
}

fn srtp_name_part(profile: SrtpProfile) -> &'static str {
    match profile {
        SrtpProfile::AeadAes128Gcm => "AES_128_GCM",
        SrtpProfile::AeadAes256Gcm => "AES_256_GCM",
        SrtpProfile::Aes128CmHmacSha1_80 => "SHA1_80",
        SrtpProfile::Aes128CmHmacSha1_32 => "SHA1_32",
    }
}

fn suite_name(suite: CipherSuite) -> &'static str {
    match suite {
        CipherSuite::EcdheEcdsaAes128GcmSha256 => "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        CipherSuite::EcdheEcdsaAes256GcmSha384 => "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        CipherSuite::EcdheRsaAes128GcmSha256 => "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    }
}

fn field<'a>(state: &'a str, name: &str) -> Option<&'a str> {
    let key = format!("\"{name}\": \"");
    let start = state.find(&key)? + key.len();
    let end = state[start..].find('"')? + start;
    Some(&state[start..end])
}

/// One call: Chromium offers, we answer with `setup`, then both handshake.
fn call_with_chromium(we_are_server: bool) {
    let profile = PathBuf::from(std::env::var_os(PROFILE_ENV).expect("set by the outer test"));
    let mut children = Children(Vec::new());
    let mut driver = start_browser(&mut children, &profile);
    let offer = match driver
        .lines
        .recv_timeout(Duration::from_secs(60))
        .expect("offer")
    {
        Line::Offer(sdp) => sdp,
        other => panic!("driver: {other:?}"),
    };
    let theirs = Fingerprint::parse_sdp(sdp_attr(&offer, "fingerprint")).unwrap();
    assert_eq!(theirs.algorithm, FingerprintAlgorithm::Sha256);
    let cert = Arc::new(Certificate::generate_self_signed().unwrap());
    let ours = cert.fingerprint(FingerprintAlgorithm::Sha256);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket
        .set_read_timeout(Some(Duration::from_millis(10)))
        .unwrap();
    let port = socket.local_addr().unwrap().port();
    let setup = if we_are_server { "passive" } else { "active" };
    let answer = answer_sdp(&offer, &ours, port, setup);
    writeln!(
        driver.stdin,
        "{{\"answer\": {}}}",
        serde_like::to_json_string(&answer)
    )
    .unwrap();
    driver.stdin.flush().unwrap();

    let config = DtlsConfig::new(cert, Some(theirs));
    let mut conn = if we_are_server {
        Some(DtlsConnection::new_server(config.clone()).unwrap())
    } else {
        None
    };
    let mut peer = None;
    let mut events = Vec::new();
    let mut browser_state = String::new();
    let mut buf = [0u8; 2048];
    let deadline = Instant::now() + Duration::from_secs(45);
    let mut done = false;
    while Instant::now() < deadline && !done {
        if let Ok((n, from)) = socket.recv_from(&mut buf) {
            let datagram = &buf[..n];
            match datagram.first() {
                Some(0..=3) => {
                    if let Some(response) = stun_response(datagram, from) {
                        socket.send_to(&response, from).unwrap();
                        peer = Some(from);
                        if conn.is_none() {
                            conn = Some(
                                DtlsConnection::new_client(config.clone(), Instant::now()).unwrap(),
                            );
                        }
                    }
                }
                Some(20..=63) => {
                    if let Some(c) = conn.as_mut() {
                        let _ = c.handle_read(Instant::now(), datagram);
                    }
                }
                _ => {}
            }
        }
        if let (Some(c), Some(addr)) = (conn.as_mut(), peer) {
            let _ = c.handle_timeout(Instant::now());
            while let Some(d) = c.poll_write() {
                socket.send_to(&d, addr).unwrap();
            }
            while let Some(e) = c.poll_event() {
                events.push(e);
            }
        }
        while let Ok(line) = driver.lines.try_recv() {
            if let Line::State(state) = line {
                browser_state = state;
            }
        }
        let failed = events.iter().any(|e| matches!(e, DtlsEvent::Failed(_)));
        assert!(!failed, "zerortc failed: {events:?}");
        let connected = events.iter().any(|e| matches!(e, DtlsEvent::Connected(_)));
        let sctp = events.iter().any(|e| {
            matches!(e, DtlsEvent::ApplicationData(d) if d.starts_with(&[0x13, 0x88, 0x13, 0x88]))
        });
        let browser_connected = field(&browser_state, "dtlsState") == Some("connected");
        done = connected && browser_connected && sctp;
    }
    let _ = writeln!(driver.stdin, "{{\"quit\": true}}");
    assert!(
        done,
        "no handshake: zerortc {events:?}; chromium {browser_state}"
    );
    let summary = events
        .iter()
        .find_map(|e| match e {
            DtlsEvent::Connected(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(field(&browser_state, "tlsVersion"), Some("FEFD"));
    assert_eq!(
        field(&browser_state, "dtlsCipher"),
        Some(suite_name(summary.cipher_suite))
    );
    let profile = summary.srtp_profile.expect("use_srtp negotiated");
    let srtp = field(&browser_state, "srtpCipher").unwrap_or_default();
    assert!(
        srtp.contains(srtp_name_part(profile)),
        "{srtp} vs {profile:?}"
    );
    let role = if we_are_server { "client" } else { "server" };
    assert_eq!(field(&browser_state, "dtlsRole"), Some(role));
    eprintln!(
        "zerortc as DTLS {}: {:?}, {profile:?}; chromium: {browser_state}",
        if we_are_server { "server" } else { "client" },
        summary.cipher_suite
    );
}

#[test]
fn chromium_client_handshakes_with_zerortc_server() {
    if inside_namespace("chromium_client_handshakes_with_zerortc_server") {
        call_with_chromium(true);
    }
}

#[test]
fn zerortc_client_handshakes_with_chromium_server() {
    if inside_namespace("zerortc_client_handshakes_with_chromium_server") {
        call_with_chromium(false);
    }
}
