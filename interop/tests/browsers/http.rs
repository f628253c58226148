//! The test's web server on 127.0.0.1: serves `interop/pages/`, the
//! signaling between the remote peer (page or aiortc helper) and the
//! zerortc peer, and the page log.
//!
//! - `POST /signal/to-zerortc`: a JSON message (`offer`, `answer`,
//!   `candidate`) with the `session` it belongs to; messages of another
//!   session are dropped;
//! - `GET /signal/to-peer?session=N`: long poll (up to 1 s) for the zerortc
//!   peer's messages, a JSON array;
//! - `POST /log`: one line for the page log.
//!
//! One thread per connection, `Connection: close`: a handful of requests a
//! second, nothing to optimise.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;

#[derive(Default)]
struct State {
    session: u64,
    to_zerortc: Option<Sender<Value>>,
    to_peer: VecDeque<Value>,
    log: Option<File>,
}

/// The shared signaling state.
#[derive(Clone, Default)]
pub struct Signaling {
    inner: Arc<(Mutex<State>, Condvar)>,
}

impl Signaling {
    /// Starts session `session`: messages go to `to_zerortc`; queued ones
    /// of the previous session are dropped.
    pub fn begin(&self, session: u64, to_zerortc: Sender<Value>) {
        let mut s = self.inner.0.lock().unwrap();
        s.session = session;
        s.to_zerortc = Some(to_zerortc);
        s.to_peer.clear();
        self.inner.1.notify_all();
    }

    /// Queues a message of the zerortc peer for the remote peer.
    pub fn to_peer(&self, session: u64, message: Value) {
        let mut s = self.inner.0.lock().unwrap();
        if s.session == session {
            s.to_peer.push_back(message);
            self.inner.1.notify_all();
        }
    }

    /// Where page log lines go.
    pub fn set_log(&self, file: Option<File>) {
        self.inner.0.lock().unwrap().log = file;
    }

    /// Appends a line to the page log.
    pub fn log(&self, line: &str) {
        if let Some(f) = self.inner.0.lock().unwrap().log.as_mut() {
            let _ = writeln!(f, "{line}");
        }
    }

    fn forward_to_zerortc(&self, message: Value) {
        let s = self.inner.0.lock().unwrap();
        if message["session"].as_u64() == Some(s.session)
            && let Some(tx) = &s.to_zerortc
        {
            let _ = tx.send(message);
        }
    }

    fn poll(&self, session: u64) -> Vec<Value> {
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut s = self.inner.0.lock().unwrap();
        loop {
            if s.session != session {
                return Vec::new();
            }
            if !s.to_peer.is_empty() {
                return s.to_peer.drain(..).collect();
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Vec::new();
            }
            s = self.inner.1.wait_timeout(s, left).unwrap().0;
        }
    }
}

/// Starts the server on 127.0.0.1 (a free port); returns the port.
pub fn serve(signaling: Signaling) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind the page server");
    let port = listener.local_addr().unwrap().port();
    let pages = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pages");
    std::thread::spawn(move || {
        for stream in listener.incoming().map_while(Result::ok) {
            let signaling = signaling.clone();
            let pages = pages.clone();
            std::thread::spawn(move || {
                let _ = handle(stream, &signaling, &pages);
            });
        }
    });
    port
}

fn handle(
    stream: TcpStream,
    signaling: &Signaling,
    pages: &std::path::Path,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("");
    let target = parts.next().unwrap_or("/");
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    let (status, content_type, payload): (&str, &str, Vec<u8>) = match (method, path) {
        ("POST", "/signal/to-zerortc") => {
            match serde_json::from_slice::<Value>(&body) {
                Ok(v) => signaling.forward_to_zerortc(v),
                Err(e) => signaling.log(&format!("bad signaling message: {e}")),
            }
            ("200 OK", "application/json", b"{}".to_vec())
        }
        ("GET", "/signal/to-peer") => {
            let session = query
                .split('&')
                .find_map(|kv| kv.strip_prefix("session="))
                .and_then(|v| v.parse().ok())
                .unwrap_or(u64::MAX);
            let messages = signaling.poll(session);
            (
                "200 OK",
                "application/json",
                serde_json::to_vec(&messages).unwrap(),
            )
        }
        ("POST", "/log") => {
            signaling.log(&String::from_utf8_lossy(&body));
            ("200 OK", "text/plain", Vec::new())
        }
        ("GET", _) => {
            let name = path.trim_start_matches('/');
            let file = pages.join(name);
            match (name.contains(".."), std::fs::read(&file)) {
                (false, Ok(bytes)) => ("200 OK", "text/html; charset=utf-8", bytes),
                _ => ("404 Not Found", "text/plain", b"not found".to_vec()),
            }
        }
        _ => ("405 Method Not Allowed", "text/plain", Vec::new()),
    };
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        payload.len()
    )?;
    stream.write_all(&payload)?;
    stream.flush()
}
