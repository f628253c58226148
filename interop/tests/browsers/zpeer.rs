//! The zerortc peer of the matrix: one [`RTCPeerConnection`] driven by a
//! plain `std::net::UdpSocket` loop on 127.0.0.1 in its own thread, as the
//! sans-I/O contract says (`handle_read` / `poll_write` / `poll_event` /
//! `poll_timeout` + `handle_timeout`). It answers offers and applies
//! answers and candidates arriving over the HTTP signaling by itself; the
//! scenario runs everything else as closures on its state
//! ([`ZPeer::call`]), between two turns of the loop.
//!
//! "NAT" mode (the STUN scenario): the connection's host address is
//! 127.0.0.1:A, but every datagram goes out of and comes in on a second
//! socket at 127.0.0.2:B, as behind an endpoint-independent NAT. coturn
//! then maps us to 127.0.0.2:B, the server-reflexive candidate is the only
//! one signalled, and the remote peer can reach us only through it.

use std::collections::{BTreeMap, HashMap};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use zerortc::ice::CandidateFilter;
use zerortc::peer::{
    DataChannelId, PeerEvent, Protocol, RTCConfiguration, RTCDataChannelInit, RTCIceCandidateInit,
    RTCIceServer, RTCOfferOptions, RTCPeerConnection, RTCPeerConnectionState, RTCSdpType,
    RTCSessionDescription, TaggedPacket,
};

use super::http::Signaling;
use super::msg::{self, ChannelStats};

/// How the zerortc peer of one session behaves.
#[derive(Debug, Clone, Default)]
pub struct ZOptions {
    /// Send descriptions at once and candidates one by one (else: wait for
    /// gathering to complete and send the description with candidates).
    pub trickle: bool,
    /// Flip a digit of our fingerprint in what we send.
    pub munge_fingerprint: bool,
    /// A STUN server (coturn).
    pub stun: Option<SocketAddr>,
    /// Send and receive through 127.0.0.2 (see the module doc) and signal
    /// only server-reflexive candidates.
    pub nat: bool,
}

type Command = Box<dyn FnOnce(&mut ZState) + Send>;

/// SO_RCVBUF of the zerortc peer's socket (capped by net.core.rmem_max).
pub const RECV_BUFFER: usize = 4 << 20;

/// Sends one message every `interval` on a channel.
#[derive(Debug)]
pub struct Background {
    pub label: String,
    pub size: usize,
    pub next: u32,
    pub interval: Duration,
    pub last: Option<Instant>,
    pub failures: u64,
}

/// Everything the loop owns; scenarios reach it through [`ZPeer::call`].
pub struct ZState {
    pub pc: RTCPeerConnection,
    /// The connection's host address.
    pub local: SocketAddr,
    socket: UdpSocket,
    _host_socket: Option<UdpSocket>,
    pub session: u64,
    pub opts: ZOptions,
    signaling: Signaling,
    pub ids: BTreeMap<String, DataChannelId>,
    labels: HashMap<DataChannelId, String>,
    pub channels: BTreeMap<String, ChannelStats>,
    pub errors: Vec<String>,
    pub log: Vec<String>,
    /// Descriptions received, as (type, sdp).
    pub remote_sdps: Vec<(String, String)>,
    /// Descriptions sent, as (type, sdp).
    pub local_sdps: Vec<(String, String)>,
    pending_candidates: Vec<RTCIceCandidateInit>,
    send_when_gathered: Option<RTCSdpType>,
    pub background: Option<Background>,
    pub states: Vec<RTCPeerConnectionState>,
    pub datagrams_in: u64,
    pub datagrams_out: u64,
    start: Instant,
    scratch: Vec<u8>,
    /// First and last message time per channel (throughput).
    pub first_last: BTreeMap<String, (Instant, Instant)>,
}

fn is_loopback_candidate(candidate: &str) -> bool {
    candidate
        .split_whitespace()
        .nth(4)
        .and_then(|a| a.parse::<IpAddr>().ok())
        .is_some_and(|ip| ip.is_loopback())
}

/// Keeps loopback candidates only; flips the fingerprint when asked.
fn outgoing_sdp(sdp: &str, opts: &ZOptions) -> String {
    let mut out = String::with_capacity(sdp.len());
    for line in sdp.split_inclusive("\r\n") {
        if let Some(c) = line.trim_end().strip_prefix("a=") {
            // Trickling: every candidate goes on its own, even those
            // gathered before the description was created (JSEP puts them
            // in it).
            let trickled =
                opts.trickle && (c.starts_with("candidate:") || c == "end-of-candidates");
            let unwanted = c.starts_with("candidate:")
                && (!is_loopback_candidate(c) || (opts.nat && !c.contains("srflx")));
            if trickled || unwanted {
                continue;
            }
            if opts.munge_fingerprint && c.starts_with("fingerprint:") {
                out.push_str(&munge_fingerprint_line(line));
                continue;
            }
        }
        out.push_str(line);
    }
    out
}

/// `a=fingerprint:sha-256 AB:...` with its first hex digit changed.
pub fn munge_fingerprint_line(line: &str) -> String {
    let Some(space) = line.find(' ') else {
        return line.to_string();
    };
    let (head, tail) = line.split_at(space + 1);
    let mut chars = tail.chars();
    let first = chars.next().unwrap_or('0');
    let flipped = if first == '0' { '1' } else { '0' };
    format!("{head}{flipped}{}", chars.as_str())
}

impl ZState {
    fn elapsed(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }

    fn note(&mut self, line: String) {
        let line = format!("{:8.3} [{}] {line}", self.elapsed(), self.session);
        self.log.push(line);
    }

    fn signal(&mut self, message: Value) {
        let mut message = message;
        message["session"] = json!(self.session);
        self.signaling.to_peer(self.session, message);
    }

    fn send_description(&mut self, kind: RTCSdpType, created: &str) {
        if self.opts.trickle {
            self.post_description(kind, created.to_string());
        } else if self.pc.ice_gathering_state() == zerortc::peer::RTCIceGatheringState::Complete {
            let sdp = self
                .pc
                .local_description()
                .map(|d| d.sdp)
                .unwrap_or_default();
            self.post_description(kind, sdp);
        } else {
            self.send_when_gathered = Some(kind);
        }
    }

    fn post_description(&mut self, kind: RTCSdpType, sdp: String) {
        let sdp = outgoing_sdp(&sdp, &self.opts);
        let kind = match kind {
            RTCSdpType::Offer => "offer",
            RTCSdpType::Answer => "answer",
            RTCSdpType::Pranswer => "pranswer",
            RTCSdpType::Rollback => "rollback",
        };
        self.note(format!("sending {kind} ({} bytes)", sdp.len()));
        self.local_sdps.push((kind.to_string(), sdp.clone()));
        self.signal(json!({ "type": kind, "sdp": sdp }));
    }

    fn on_signal(&mut self, m: Value) {
        let now = Instant::now();
        let kind = m["type"].as_str().unwrap_or("");
        match kind {
            "offer" => {
                let sdp = m["sdp"].as_str().unwrap_or("").to_string();
                self.note(format!("got offer ({} bytes)", sdp.len()));
                self.remote_sdps.push(("offer".into(), sdp.clone()));
                let result = self
                    .pc
                    .set_remote_description(now, RTCSessionDescription::offer(sdp))
                    .and_then(|()| self.pc.create_answer())
                    .and_then(|answer| {
                        self.pc.set_local_description(now, answer.clone())?;
                        Ok(answer)
                    });
                match result {
                    Ok(answer) => {
                        self.apply_pending_candidates();
                        self.send_description(RTCSdpType::Answer, &answer.sdp);
                    }
                    Err(e) => self.error(format!("answering the offer: {e}")),
                }
            }
            "answer" => {
                let sdp = m["sdp"].as_str().unwrap_or("").to_string();
                self.note(format!("got answer ({} bytes)", sdp.len()));
                self.remote_sdps.push(("answer".into(), sdp.clone()));
                match self
                    .pc
                    .set_remote_description(now, RTCSessionDescription::answer(sdp))
                {
                    Ok(()) => self.apply_pending_candidates(),
                    Err(e) => self.error(format!("applying the answer: {e}")),
                }
            }
            "candidate" => {
                let candidate = m["candidate"].as_str().unwrap_or("").to_string();
                if !candidate.is_empty() && !is_loopback_candidate(&candidate) {
                    self.note(format!("ignored non-loopback candidate {candidate}"));
                    return;
                }
                let init = RTCIceCandidateInit {
                    candidate,
                    sdp_mid: m["sdpMid"].as_str().map(str::to_string),
                    sdp_m_line_index: m["sdpMLineIndex"].as_u64().map(|i| i as u16),
                    username_fragment: m["usernameFragment"].as_str().map(str::to_string),
                };
                if self.pc.remote_description().is_none() {
                    self.pending_candidates.push(init);
                } else {
                    self.add_candidate(init);
                }
            }
            other => self.note(format!("unknown signaling message {other}")),
        }
    }

    fn add_candidate(&mut self, mut init: RTCIceCandidateInit) {
        if init.sdp_mid.is_none() && init.sdp_m_line_index.is_none() {
            init.sdp_m_line_index = Some(0);
        }
        let text = init.candidate.clone();
        match self.pc.add_ice_candidate(init) {
            Ok(()) => self.note(format!("added candidate {text:?}")),
            Err(e) => self.error(format!("add_ice_candidate({text:?}): {e}")),
        }
    }

    fn apply_pending_candidates(&mut self) {
        for c in std::mem::take(&mut self.pending_candidates) {
            self.add_candidate(c);
        }
    }

    pub fn error(&mut self, e: String) {
        self.note(format!("ERROR {e}"));
        self.errors.push(e);
    }

    fn on_event(&mut self, e: PeerEvent) {
        match e {
            PeerEvent::IceCandidate(Some(c)) => {
                self.note(format!("local candidate {}", c.candidate));
                let keep = is_loopback_candidate(&c.candidate)
                    && (!self.opts.nat || c.candidate.contains("srflx"));
                if self.opts.trickle && keep {
                    self.signal(json!({
                        "type": "candidate",
                        "candidate": c.candidate,
                        "sdpMid": c.sdp_mid,
                        "sdpMLineIndex": c.sdp_m_line_index,
                        "usernameFragment": c.username_fragment,
                    }));
                }
            }
            PeerEvent::IceCandidate(None) => {
                self.note("gathering complete".into());
                if let Some(kind) = self.send_when_gathered.take() {
                    let sdp = self
                        .pc
                        .local_description()
                        .map(|d| d.sdp)
                        .unwrap_or_default();
                    self.post_description(kind, sdp);
                }
            }
            PeerEvent::DataChannel(id) => {
                let label = self
                    .pc
                    .data_channel(id)
                    .map(|c| c.label().to_string())
                    .unwrap_or_default();
                self.note(format!("remote channel {label}"));
                self.labels.insert(id, label.clone());
                self.ids.insert(label.clone(), id);
                self.channels.entry(label).or_default();
            }
            PeerEvent::DataChannelOpen(id) => {
                let label = self.labels.get(&id).cloned().unwrap_or_default();
                self.note(format!("channel {label} open"));
                self.channels.entry(label).or_default().open = true;
            }
            PeerEvent::DataChannelClose(id) => {
                let label = self.labels.get(&id).cloned().unwrap_or_default();
                self.note(format!("channel {label} closed"));
                self.channels.entry(label).or_default().closed = true;
            }
            PeerEvent::DataChannelMessage {
                channel,
                binary,
                data,
            } => {
                let label = self.labels.get(&channel).cloned().unwrap_or_default();
                let now = Instant::now();
                self.first_last
                    .entry(label.clone())
                    .and_modify(|e| e.1 = now)
                    .or_insert((now, now));
                self.channels
                    .entry(label)
                    .or_default()
                    .receive(&data, binary);
                self.pc.recycle(data);
            }
            PeerEvent::TransportError(e) => self.error(format!("transport: {e}")),
            PeerEvent::DataChannelError { channel, error } => {
                self.error(format!("data channel {channel:?}: {error}"));
            }
            PeerEvent::ConnectionStateChange(s) => {
                self.note(format!("connection {s:?}"));
                self.states.push(s);
            }
            PeerEvent::Rtp { packet, .. } | PeerEvent::Rtcp { packet } => self.pc.recycle(packet),
            other => self.note(format!("{other:?}")),
        }
    }

    /// The port of the socket the loop reads (127.0.0.2's in NAT mode).
    pub fn socket_port(&self) -> u16 {
        self.socket.local_addr().map_or(0, |a| a.port())
    }

    /// Creates a channel named `label` (W3C `createDataChannel`).
    pub fn create_channel(&mut self, label: &str, init: RTCDataChannelInit) -> Result<(), String> {
        let id = self
            .pc
            .create_data_channel(label, init)
            .map_err(|e| format!("create_data_channel({label}): {e}"))?;
        self.labels.insert(id, label.to_string());
        self.ids.insert(label.to_string(), id);
        self.channels.entry(label.to_string()).or_default();
        Ok(())
    }

    /// Creates an offer, applies it and sends it.
    pub fn offer(&mut self, ice_restart: bool) -> Result<String, String> {
        let offer = self
            .pc
            .create_offer(RTCOfferOptions { ice_restart })
            .map_err(|e| format!("create_offer: {e}"))?;
        self.pc
            .set_local_description(Instant::now(), offer.clone())
            .map_err(|e| format!("set_local_description(offer): {e}"))?;
        self.send_description(RTCSdpType::Offer, &offer.sdp);
        Ok(offer.sdp)
    }

    /// Sends messages `start..start + count` of `size` bytes on `label`.
    pub fn send(
        &mut self,
        label: &str,
        start: u32,
        count: u32,
        size: usize,
        binary: bool,
    ) -> Result<(), String> {
        let id = *self.ids.get(label).ok_or(format!("no channel {label}"))?;
        let mut bytes = std::mem::take(&mut self.scratch);
        let mut result = Ok(());
        for i in start..start + count {
            msg::make(i, size, &mut bytes);
            let Some(mut ch) = self.pc.data_channel(id) else {
                result = Err(format!("channel {label} is gone"));
                break;
            };
            let sent = if binary {
                ch.send(&bytes)
            } else {
                ch.send_text(std::str::from_utf8(&bytes).unwrap_or(""))
            };
            if let Err(e) = sent {
                result = Err(format!("send #{i} ({size} bytes) on {label}: {e}"));
                break;
            }
            self.channels
                .entry(label.to_string())
                .or_default()
                .sent(&bytes);
        }
        self.scratch = bytes;
        result
    }

    /// Tries to send one message of `size` bytes: the error, if any.
    pub fn try_send(&mut self, label: &str, size: usize) -> Result<(), String> {
        let id = *self.ids.get(label).ok_or(format!("no channel {label}"))?;
        let mut bytes = Vec::new();
        msg::make(0, size, &mut bytes);
        let mut ch = self.pc.data_channel(id).ok_or("gone")?;
        ch.send(&bytes).map_err(|e| e.to_string())
    }

    /// Closes channel `label`.
    pub fn close(&mut self, label: &str) -> Result<(), String> {
        let id = *self.ids.get(label).ok_or(format!("no channel {label}"))?;
        let mut ch = self.pc.data_channel(id).ok_or("gone")?;
        ch.close().map_err(|e| e.to_string())
    }

    /// The stats of channel `label` (empty when unknown).
    pub fn stats(&self, label: &str) -> ChannelStats {
        self.channels
            .get(label)
            .cloned()
            .unwrap_or_else(ChannelStats::new)
    }

    /// A short account for a failure message.
    pub fn summary(&self) -> String {
        let tail: Vec<&str> = self
            .log
            .iter()
            .rev()
            .take(12)
            .rev()
            .map(String::as_str)
            .collect();
        format!(
            "zerortc: {:?}, ice {:?}, dtls {:?}, signaling {:?}, errors {:?}, in/out {}/{} datagrams, stats {:?}; last events:\n    {}",
            self.pc.connection_state(),
            self.pc.ice_connection_state(),
            self.pc.dtls_state(),
            self.pc.signaling_state(),
            self.errors,
            self.datagrams_in,
            self.datagrams_out,
            self.pc.stats().ice,
            tail.join("\n    ")
        )
    }

    fn tick(&mut self, now: Instant) {
        if self.pc.poll_timeout().is_some_and(|t| t <= now) {
            let _ = self.pc.handle_timeout(now);
        }
        let due = self
            .background
            .as_ref()
            .is_some_and(|b| b.last.is_none_or(|t| now >= t + b.interval));
        if due && let Some(mut b) = self.background.take() {
            b.last = Some(now);
            if self.send(&b.label, b.next, 1, b.size, true).is_ok() {
                b.next += 1;
            } else {
                b.failures += 1;
            }
            self.background = Some(b);
        }
    }

    fn flush(&mut self) {
        while let Some(tx) = self.pc.poll_write() {
            self.datagrams_out += 1;
            let _ = self.socket.send_to(tx.data, tx.peer);
        }
        while let Some(e) = self.pc.poll_event() {
            self.on_event(e);
        }
        // Events may have queued datagrams (answers, channel opens).
        while let Some(tx) = self.pc.poll_write() {
            self.datagrams_out += 1;
            let _ = self.socket.send_to(tx.data, tx.peer);
        }
    }
}

/// The zerortc peer's thread.
pub struct ZPeer {
    commands: Sender<Command>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Vec<String>>>,
}

impl ZPeer {
    /// A new peer connection for `session`, signaling through `signaling`.
    pub fn start(session: u64, opts: ZOptions, signaling: &Signaling) -> ZPeer {
        let host_socket = UdpSocket::bind("127.0.0.1:0").expect("bind 127.0.0.1");
        let local = host_socket.local_addr().unwrap();
        let (socket, host_socket) = if opts.nat {
            let nat = UdpSocket::bind((Ipv4Addr::new(127, 0, 0, 2), 0)).expect("bind 127.0.0.2");
            (nat, Some(host_socket))
        } else {
            (host_socket, None)
        };
        socket
            .set_read_timeout(Some(Duration::from_millis(1)))
            .unwrap();
        // A bigger receive buffer than Linux's default 208 KiB, as a
        // server would set: browsers burst a whole congestion window.
        let _ = socket2::SockRef::from(&socket).set_recv_buffer_size(RECV_BUFFER);
        let mut config = RTCConfiguration {
            candidate_filter: CandidateFilter::LoopbackOnly,
            ..RTCConfiguration::default()
        };
        if let Some(stun) = opts.stun {
            config.ice_servers.push(RTCIceServer {
                urls: vec![format!("stun:{stun}")],
                ..RTCIceServer::default()
            });
        }
        let mut pc = RTCPeerConnection::new(config).expect("RTCPeerConnection::new");
        pc.add_local_address(local);
        let (sig_tx, sig_rx) = channel();
        signaling.begin(session, sig_tx);
        let (commands, command_rx) = channel();
        let stop = Arc::new(AtomicBool::new(false));
        let state = ZState {
            pc,
            local,
            socket,
            _host_socket: host_socket,
            session,
            opts,
            signaling: signaling.clone(),
            ids: BTreeMap::new(),
            labels: HashMap::new(),
            channels: BTreeMap::new(),
            errors: Vec::new(),
            log: Vec::new(),
            remote_sdps: Vec::new(),
            local_sdps: Vec::new(),
            pending_candidates: Vec::new(),
            send_when_gathered: None,
            background: None,
            states: Vec::new(),
            datagrams_in: 0,
            datagrams_out: 0,
            start: Instant::now(),
            scratch: Vec::new(),
            first_last: BTreeMap::new(),
        };
        let stop2 = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name(format!("zerortc-{session}"))
            .spawn(move || run(state, command_rx, sig_rx, &stop2))
            .unwrap();
        ZPeer {
            commands,
            stop,
            thread: Some(thread),
        }
    }

    /// Runs `f` on the peer's state between two turns of its loop.
    pub fn call<T: Send + 'static>(&self, f: impl FnOnce(&mut ZState) -> T + Send + 'static) -> T {
        let (tx, rx) = channel();
        self.commands
            .send(Box::new(move |s: &mut ZState| {
                let _ = tx.send(f(s));
            }))
            .expect("the zerortc thread is gone");
        rx.recv().expect("the zerortc thread is gone")
    }

    /// Polls `f` every 10 ms until it gives a value, or fails after
    /// `timeout` with `what` and the peer's summary.
    pub async fn wait<T: Send + 'static>(
        &self,
        what: &str,
        timeout: Duration,
        f: impl Fn(&mut ZState) -> Option<T> + Send + Sync + Clone + 'static,
    ) -> Result<T, String> {
        let deadline = Instant::now() + timeout;
        loop {
            let g = f.clone();
            if let Some(v) = self.call(move |s| g(s)) {
                return Ok(v);
            }
            if Instant::now() > deadline {
                let summary = self.call(|s| s.summary());
                return Err(format!("zerortc: timeout waiting for {what}; {summary}"));
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// Stops the thread; returns the peer's log.
    pub fn stop(mut self) -> Vec<String> {
        self.stop.store(true, Ordering::SeqCst);
        self.thread
            .take()
            .and_then(|t| t.join().ok())
            .unwrap_or_default()
    }
}

impl Drop for ZPeer {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn run(
    mut s: ZState,
    commands: Receiver<Command>,
    signals: Receiver<Value>,
    stop: &AtomicBool,
) -> Vec<String> {
    let mut buf = vec![0u8; 65536];
    while !stop.load(Ordering::SeqCst) {
        while let Ok(c) = commands.try_recv() {
            c(&mut s);
        }
        while let Ok(m) = signals.try_recv() {
            s.on_signal(m);
        }
        s.tick(Instant::now());
        s.flush();
        // Read until the socket is quiet for 1 ms (its read timeout).
        for _ in 0..256 {
            let Ok((n, peer)) = s.socket.recv_from(&mut buf) else {
                break;
            };
            s.datagrams_in += 1;
            let now = Instant::now();
            let _ = s.pc.handle_read(
                now,
                TaggedPacket {
                    local: s.local,
                    peer,
                    protocol: Protocol::Udp,
                    data: &buf[..n],
                },
            );
            s.flush();
            if s.pc.poll_timeout().is_some_and(|t| t <= now) {
                break;
            }
        }
    }
    s.pc.close();
    s.flush();
    s.log
}
