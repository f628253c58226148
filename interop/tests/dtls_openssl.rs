//! zerortc's DTLS 1.2 against OpenSSL (`openssl s_server -dtls1_2` and
//! `openssl s_client -dtls1_2`, `shared/INTEROP.md`), started by each test on
//! 127.0.0.1 and stopped when the test ends: handshakes in both roles, each
//! cipher suite and SRTP profile, the same exported keying material as
//! OpenSSL prints, application data both ways, a wrong fingerprint refused,
//! OpenSSL's cookie exchange (`-listen`) and fragmented flights (`-mtu`).

use std::io::{BufRead, BufReader, Write};
use std::net::{SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use zerortc::crypto::{Certificate, Fingerprint, FingerprintAlgorithm};
use zerortc::dtls::{CipherSuite, DtlsConfig, DtlsConnection, DtlsError, DtlsEvent};
use zerortc::srtp::SrtpProfile;

/// A temporary directory with OpenSSL's certificate and key.
struct Workdir {
    path: PathBuf,
}

impl Workdir {
    fn new(tag: &str, key: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "zerortc-dtls-{tag}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).unwrap();
        let keyopts: &[&str] = if key == "rsa" {
            &["-newkey", "rsa:2048"]
        } else {
            &["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"]
        };
        let status = Command::new("openssl")
            .args(["req", "-x509"])
            .args(keyopts)
            .args([
                "-nodes", "-keyout", "key.pem", "-out", "cert.pem", "-days", "2",
            ])
            .args(["-subj", "/CN=openssl-peer"])
            .current_dir(&path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .expect("openssl must be installed (shared/INTEROP.md)");
        assert!(status.success());
        let status = Command::new("openssl")
            .args([
                "x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der",
            ])
            .current_dir(&path)
            .status()
            .unwrap();
        assert!(status.success());
        Self { path }
    }

    fn der(&self) -> Vec<u8> {
        std::fs::read(self.path.join("cert.der")).unwrap()
    }

    fn dir(&self) -> &Path {
        &self.path
    }
}

impl Drop for Workdir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A running `openssl` process whose output lines arrive on a channel.
struct OpenSsl {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl OpenSsl {
    fn spawn(dir: &Path, args: &[String]) -> Self {
        let mut child = Command::new("openssl")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (tx, lines) = channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let tx2 = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx2.send(line);
            }
        });
        let stdin = child.stdin.take();
        Self {
            child,
            stdin,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits for a line containing `needle`; returns it.
    fn wait_for(&mut self, needle: &str, timeout: Duration) -> String {
        if let Some(line) = self.seen.iter().find(|l| l.contains(needle)) {
            return line.clone();
        }
        let deadline = Instant::now() + timeout;
        while let Some(left) = deadline.checked_duration_since(Instant::now()) {
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    self.seen.push(line.clone());
                    if line.contains(needle) {
                        return line;
                    }
                }
                Err(_) => break,
            }
        }
        panic!(
            "openssl never printed {needle:?}; output:\n{}",
            self.seen.join("\n")
        );
    }

    fn send_line(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(line.as_bytes()).unwrap();
        stdin.write_all(b"\n").unwrap();
        stdin.flush().unwrap();
    }

    /// The hex after `Keying material: `.
    fn keying_material(&mut self) -> Vec<u8> {
        let line = self.wait_for("Keying material: ", Duration::from_secs(10));
        let hex_text = line.split("Keying material: ").nth(1).unwrap().trim();
        hex::decode(hex_text).unwrap()
    }
}

impl Drop for OpenSsl {
    fn drop(&mut self) {
        // Our own child, by its handle.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_udp_port() -> u16 {
    UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn openssl_srtp_name(profile: SrtpProfile) -> &'static str {
    match profile {
        SrtpProfile::AeadAes128Gcm => "SRTP_AEAD_AES_128_GCM",
        SrtpProfile::AeadAes256Gcm => "SRTP_AEAD_AES_256_GCM",
        SrtpProfile::Aes128CmHmacSha1_80 => "SRTP_AES128_CM_SHA1_80",
        SrtpProfile::Aes128CmHmacSha1_32 => "SRTP_AES128_CM_SHA1_32",
    }
}

fn openssl_cipher_name(suite: CipherSuite) -> &'static str {
    match suite {
        CipherSuite::EcdheEcdsaAes128GcmSha256 => "ECDHE-ECDSA-AES128-GCM-SHA256",
        CipherSuite::EcdheEcdsaAes256GcmSha384 => "ECDHE-ECDSA-AES256-GCM-SHA384",
        CipherSuite::EcdheRsaAes128GcmSha256 => "ECDHE-RSA-AES128-GCM-SHA256",
    }
}

/// Pumps datagrams between `conn` and the socket in real time until `stop`
/// holds for the events seen so far (or 15 s pass).
fn pump(
    conn: &mut DtlsConnection,
    socket: &UdpSocket,
    peer: &mut Option<SocketAddr>,
    events: &mut Vec<DtlsEvent>,
    stop: impl Fn(&[DtlsEvent]) -> bool,
) {
    socket
        .set_read_timeout(Some(Duration::from_millis(10)))
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(15);
    let mut buf = [0u8; 2048];
    while Instant::now() < deadline {
        if let Some(addr) = *peer {
            while let Some(d) = conn.poll_write() {
                socket.send_to(&d, addr).unwrap();
            }
        }
        while let Some(e) = conn.poll_event() {
            events.push(e);
        }
        if stop(events) {
            return;
        }
        if let Ok((n, from)) = socket.recv_from(&mut buf) {
            peer.get_or_insert(from);
            let _ = conn.handle_read(Instant::now(), &buf[..n]);
        }
        let _ = conn.handle_timeout(Instant::now());
    }
    panic!("no outcome within 15 s: {events:?}");
}

fn summary(events: &[DtlsEvent]) -> zerortc::dtls::HandshakeSummary {
    events
        .iter()
        .find_map(|e| match e {
            DtlsEvent::Connected(s) => Some(s.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("not connected: {events:?}"))
}

fn has_outcome(events: &[DtlsEvent]) -> bool {
    events
        .iter()
        .any(|e| matches!(e, DtlsEvent::Connected(_) | DtlsEvent::Failed(_)))
}

struct Case {
    suite: CipherSuite,
    profile: SrtpProfile,
    extra: Vec<String>,
    mtu: usize,
    /// Key type of OpenSSL's certificate as a client ("ec" or "rsa").
    client_key: &'static str,
}

/// zerortc client against `openssl s_server`.
fn client_against_s_server(case: &Case) {
    let key = if case.suite.is_ecdsa() { "ec" } else { "rsa" };
    let work = Workdir::new("srv", key);
    let port = free_udp_port();
    let len = case.profile.keying_material_len();
    let mut args: Vec<String> = [
        "s_server",
        "-dtls1_2",
        "-accept",
        &format!("127.0.0.1:{port}"),
        "-cert",
        "cert.pem",
        "-key",
        "key.pem",
        "-cipher",
        openssl_cipher_name(case.suite),
        "-use_srtp",
        openssl_srtp_name(case.profile),
        "-keymatexport",
        "EXTRACTOR-dtls_srtp",
        "-keymatexportlen",
        &len.to_string(),
        "-verify",
        "1",
        "-naccept",
        "1",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    args.extend(case.extra.iter().cloned());
    let mut server = OpenSsl::spawn(work.dir(), &args);
    server.wait_for("ACCEPT", Duration::from_secs(10));

    let ours = Arc::new(Certificate::generate_self_signed().unwrap());
    let expected = Fingerprint::of_der(FingerprintAlgorithm::Sha256, &work.der());
    let mut config = DtlsConfig::new(ours, Some(expected));
    config.mtu = case.mtu;
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut peer = Some(SocketAddr::from(([127, 0, 0, 1], port)));
    let mut conn = DtlsConnection::new_client(config, Instant::now()).unwrap();
    let mut events = Vec::new();
    pump(&mut conn, &socket, &mut peer, &mut events, has_outcome);
    let ours = summary(&events);
    assert_eq!(ours.cipher_suite, case.suite);
    assert_eq!(ours.srtp_profile, Some(case.profile));
    server.wait_for(
        &format!("profile={}", openssl_srtp_name(case.profile)),
        Duration::from_secs(5),
    );
    assert_eq!(
        ours.srtp_keying_material.as_deref(),
        Some(server.keying_material().as_slice()),
        "exported keying material differs from OpenSSL's"
    );
    assert_eq!(ours.peer_certificate, work.der());

    // Application data both ways.
    conn.send_application_data(b"hello from zerortc\n").unwrap();
    pump(&mut conn, &socket, &mut peer, &mut events, |_| true);
    server.wait_for("hello from zerortc", Duration::from_secs(5));
    server.send_line("hello from openssl");
    pump(&mut conn, &socket, &mut peer, &mut events, |ev| {
        ev.iter().any(
            |e| matches!(e, DtlsEvent::ApplicationData(d) if d.starts_with(b"hello from openssl")),
        )
    });
    conn.close();
    pump(&mut conn, &socket, &mut peer, &mut events, |_| true);
}

/// zerortc server against `openssl s_client`.
fn server_against_s_client(case: &Case) {
    let work = Workdir::new("cli", case.client_key);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let len = case.profile.keying_material_len();
    let mut args: Vec<String> = [
        "s_client",
        "-dtls1_2",
        "-connect",
        &format!("127.0.0.1:{port}"),
        "-cert",
        "cert.pem",
        "-key",
        "key.pem",
        "-cipher",
        openssl_cipher_name(case.suite),
        "-use_srtp",
        openssl_srtp_name(case.profile),
        "-keymatexport",
        "EXTRACTOR-dtls_srtp",
        "-keymatexportlen",
        &len.to_string(),
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    args.extend(case.extra.iter().cloned());
    let ours = Arc::new(Certificate::generate_self_signed().unwrap());
    let expected = Fingerprint::of_der(FingerprintAlgorithm::Sha256, &work.der());
    let mut config = DtlsConfig::new(ours, Some(expected));
    config.mtu = case.mtu;
    let mut conn = DtlsConnection::new_server(config).unwrap();
    let mut client = OpenSsl::spawn(work.dir(), &args);
    let mut peer = None;
    let mut events = Vec::new();
    pump(&mut conn, &socket, &mut peer, &mut events, has_outcome);
    let ours = summary(&events);
    assert_eq!(ours.cipher_suite, case.suite);
    assert_eq!(ours.srtp_profile, Some(case.profile));
    client.wait_for(
        &format!("profile={}", openssl_srtp_name(case.profile)),
        Duration::from_secs(5),
    );
    client.wait_for("Extended master secret: yes", Duration::from_secs(5));
    assert_eq!(
        ours.srtp_keying_material.as_deref(),
        Some(client.keying_material().as_slice()),
        "exported keying material differs from OpenSSL's"
    );
    assert_eq!(ours.peer_certificate, work.der());

    conn.send_application_data(b"hello from zerortc\n").unwrap();
    pump(&mut conn, &socket, &mut peer, &mut events, |_| true);
    client.wait_for("hello from zerortc", Duration::from_secs(5));
    client.send_line("hello from openssl");
    pump(&mut conn, &socket, &mut peer, &mut events, |ev| {
        ev.iter().any(
            |e| matches!(e, DtlsEvent::ApplicationData(d) if d.starts_with(b"hello from openssl")),
        )
    });
    // OpenSSL closes on EOF of its stdin: close_notify reaches us.
    drop(client.stdin.take());
    pump(&mut conn, &socket, &mut peer, &mut events, |ev| {
        ev.contains(&DtlsEvent::Closed)
    });
}

fn case(suite: CipherSuite, profile: SrtpProfile) -> Case {
    Case {
        suite,
        profile,
        extra: Vec::new(),
        mtu: 1200,
        client_key: "ec",
    }
}

#[test]
fn client_each_suite_and_profile_against_openssl_server() {
    for suite in CipherSuite::ALL {
        for profile in SrtpProfile::ALL {
            client_against_s_server(&case(suite, profile));
        }
    }
}

#[test]
fn server_each_suite_and_profile_against_openssl_client() {
    for suite in [
        CipherSuite::EcdheEcdsaAes128GcmSha256,
        CipherSuite::EcdheEcdsaAes256GcmSha384,
    ] {
        for profile in SrtpProfile::ALL {
            server_against_s_client(&case(suite, profile));
        }
    }
}

#[test]
fn client_against_openssl_listen_cookie_exchange_and_small_mtu() {
    let mut c = case(
        CipherSuite::EcdheEcdsaAes128GcmSha256,
        SrtpProfile::AeadAes128Gcm,
    );
    c.extra = vec!["-listen".into(), "-mtu".into(), "300".into()];
    c.mtu = 300;
    client_against_s_server(&c);
}

#[test]
fn server_against_openssl_client_with_small_mtu() {
    let mut c = case(
        CipherSuite::EcdheEcdsaAes128GcmSha256,
        SrtpProfile::Aes128CmHmacSha1_80,
    );
    c.extra = vec!["-mtu".into(), "300".into()];
    c.mtu = 300;
    server_against_s_client(&c);
}

#[test]
fn client_refuses_openssl_server_with_wrong_fingerprint() {
    let work = Workdir::new("fp", "ec");
    let port = free_udp_port();
    let args: Vec<String> = [
        "s_server",
        "-dtls1_2",
        "-accept",
        &format!("127.0.0.1:{port}"),
        "-cert",
        "cert.pem",
        "-key",
        "key.pem",
        "-use_srtp",
        "SRTP_AEAD_AES_128_GCM",
        "-verify",
        "1",
        "-naccept",
        "1",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let mut server = OpenSsl::spawn(work.dir(), &args);
    server.wait_for("ACCEPT", Duration::from_secs(10));
    let ours = Arc::new(Certificate::generate_self_signed().unwrap());
    // The fingerprint of some other certificate.
    let wrong = Certificate::generate_self_signed()
        .unwrap()
        .fingerprint(FingerprintAlgorithm::Sha256);
    let config = DtlsConfig::new(ours, Some(wrong));
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let mut peer = Some(SocketAddr::from(([127, 0, 0, 1], port)));
    let mut conn = DtlsConnection::new_client(config, Instant::now()).unwrap();
    let mut events = Vec::new();
    pump(&mut conn, &socket, &mut peer, &mut events, has_outcome);
    assert!(
        events
            .iter()
            .any(|e| matches!(e, DtlsEvent::Failed(DtlsError::FingerprintMismatch { .. }))),
        "{events:?}"
    );
    // OpenSSL received our bad_certificate alert.
    server.wait_for("bad certificate", Duration::from_secs(5));
}

#[test]
fn server_verifies_openssl_client_with_rsa_certificate() {
    // OpenSSL signs its CertificateVerify with RSA (PSS or PKCS#1, from our
    // CertificateRequest's list); our certificate stays ECDSA.
    let mut c = case(
        CipherSuite::EcdheEcdsaAes128GcmSha256,
        SrtpProfile::AeadAes256Gcm,
    );
    c.client_key = "rsa";
    server_against_s_client(&c);
}

#[test]
fn server_refuses_openssl_client_with_wrong_fingerprint() {
    let work = Workdir::new("cli-fp", "ec");
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = socket.local_addr().unwrap().port();
    let args: Vec<String> = [
        "s_client",
        "-dtls1_2",
        "-connect",
        &format!("127.0.0.1:{port}"),
        "-cert",
        "cert.pem",
        "-key",
        "key.pem",
        "-use_srtp",
        "SRTP_AEAD_AES_128_GCM",
    ]
    .iter()
    .map(ToString::to_string)
    .collect();
    let ours = Arc::new(Certificate::generate_self_signed().unwrap());
    // Expect a sha-384 fingerprint of some other certificate.
    let wrong = Certificate::generate_self_signed()
        .unwrap()
        .fingerprint(FingerprintAlgorithm::Sha384);
    let mut conn = DtlsConnection::new_server(DtlsConfig::new(ours, Some(wrong))).unwrap();
    let mut client = OpenSsl::spawn(work.dir(), &args);
    let mut peer = None;
    let mut events = Vec::new();
    pump(&mut conn, &socket, &mut peer, &mut events, has_outcome);
    let failure = events.iter().find_map(|e| match e {
        DtlsEvent::Failed(err) => Some(err.clone()),
        _ => None,
    });
    let Some(DtlsError::FingerprintMismatch { expected }) = failure else {
        panic!("{events:?}");
    };
    assert!(expected.starts_with("sha-384 "));
    // Our bad_certificate alert reached OpenSSL.
    client.wait_for("bad certificate", Duration::from_secs(5));
}
