//! coturn's `turnserver` for the interop tests: one process per test on a
//! free port of 127.0.0.1, STUN and TURN over UDP only, long-term
//! credentials `test:test` in realm `zerortc.test` (recipe in
//! `shared/INTEROP.md`). It writes its pidfile and log into a directory of
//! its own, is ready once it answers a Binding request, and is killed when
//! dropped, also when the test fails.

use std::net::{Ipv4Addr, SocketAddr, UdpSocket};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant};

/// Numbers the temporary directories of one test process.
static NEXT_TEMP: AtomicU32 = AtomicU32::new(0);

/// How long coturn gets to open its sockets.
const READY_WITHIN: Duration = Duration::from_secs(10);

/// One running `turnserver`.
#[derive(Debug)]
pub struct Coturn {
    child: Option<Child>,
    /// Where it listens (UDP, 127.0.0.1).
    pub addr: SocketAddr,
    dir: PathBuf,
    /// Whether the directory is ours to remove on drop.
    owns_dir: bool,
}

impl Coturn {
    /// Whether a `turnserver` binary is on the `PATH`.
    #[must_use]
    pub fn installed() -> bool {
        Command::new("turnserver")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok()
    }

    /// Starts `turnserver` with its files in `dir` (created if missing) and
    /// waits until it answers.
    ///
    /// # Errors
    /// A message with coturn's log when it cannot be started or does not
    /// answer within 10 s.
    pub fn start(dir: &Path) -> Result<Coturn, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let port = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|s| s.local_addr())
            .map_err(|e| format!("no free UDP port: {e}"))?
            .port();
        let child = Command::new("turnserver")
            .args([
                "-n",
                "--listening-ip=127.0.0.1",
                "--relay-ip=127.0.0.1",
                &format!("--listening-port={port}"),
                "--allow-loopback-peers",
                "--no-cli",
                "--no-tls",
                "--no-dtls",
                "--no-tcp",
                "--no-rfc5780",
                "--lt-cred-mech",
                "--user=test:test",
                "--realm=zerortc.test",
                "--simple-log",
            ])
            .arg(format!(
                "--pidfile={}",
                dir.join("turnserver.pid").display()
            ))
            .arg(format!(
                "--log-file={}",
                dir.join("turnserver.log").display()
            ))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start turnserver: {e}"))?;
        let server = Coturn {
            child: Some(child),
            addr: SocketAddr::from((Ipv4Addr::LOCALHOST, port)),
            dir: dir.to_path_buf(),
            owns_dir: false,
        };
        server.wait_ready()?;
        Ok(server)
    }

    /// As [`start`](Self::start), in a new temporary directory named after
    /// `name` that is removed when the server is dropped.
    ///
    /// # Errors
    /// As [`start`](Self::start).
    pub fn start_in_temp(name: &str) -> Result<Coturn, String> {
        let dir = std::env::temp_dir().join(format!(
            "zerortc-coturn-{name}-{}-{}",
            std::process::id(),
            NEXT_TEMP.fetch_add(1, Ordering::Relaxed)
        ));
        let mut server = Self::start(&dir).inspect_err(|_| {
            let _ = std::fs::remove_dir_all(&dir);
        })?;
        server.owns_dir = true;
        Ok(server)
    }

    /// Sends Binding requests (RFC 8489 §6.1: no credentials needed) until
    /// one is answered.
    fn wait_ready(&self) -> Result<(), String> {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).map_err(|e| e.to_string())?;
        socket
            .set_read_timeout(Some(Duration::from_millis(50)))
            .map_err(|e| e.to_string())?;
        // Binding request, no attributes, magic cookie, a fixed transaction id.
        let mut request = vec![0, 1, 0, 0, 0x21, 0x12, 0xa4, 0x42];
        request.extend_from_slice(&[0x42; 12]);
        let deadline = Instant::now() + READY_WITHIN;
        let mut buf = [0u8; 512];
        while Instant::now() < deadline {
            let _ = socket.send_to(&request, self.addr);
            if socket.recv_from(&mut buf).is_ok() {
                return Ok(());
            }
        }
        Err(format!(
            "turnserver on {} did not answer within {} s; log:\n{}",
            self.addr,
            READY_WITHIN.as_secs(),
            self.log()
        ))
    }

    /// What coturn has logged so far.
    #[must_use]
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.join("turnserver.log")).unwrap_or_default()
    }

    /// Kills the server now (its port then stays silent); dropping it later
    /// is fine.
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Coturn {
    fn drop(&mut self) {
        self.stop();
        if self.owns_dir {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}
