//! A zerortc client for `datachannel_echo` (and a smoke test of it): makes
//! an offer with one data channel, POSTs it to the echo server's signaling
//! URL, applies the answer, connects over a UDP socket on loopback, sends
//! `--count` messages and checks that each comes back unchanged.
//!
//! ```text
//! cargo run -p zerortc --example datachannel_echo -- --http 127.0.0.1:8080 &
//! cargo run -p zerortc --example datachannel_client -- --http 127.0.0.1:8080 --count 100
//! ```
//!
//! Exits non-zero when an echo is missing or wrong, or after 10 s.

#[path = "common/signaling.rs"]
#[allow(dead_code)] // the client uses only `arg`
mod signaling;

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::peer::{
    PeerEvent, Protocol, RTCConfiguration, RTCDataChannelInit, RTCOfferOptions, RTCPeerConnection,
    RTCSessionDescription, TaggedPacket,
};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// POSTs `offer` to `http://{server}/offer`; returns the answer SDP.
fn post_offer(server: SocketAddr, offer: &str) -> Result<String, Error> {
    let mut stream = TcpStream::connect(server)?;
    write!(
        stream,
        "POST /offer HTTP/1.1\r\nHost: {server}\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{offer}",
        offer.len()
    )?;
    let mut response = String::new();
    stream.read_to_string(&mut response)?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("bad HTTP response")?;
    if !head.starts_with("HTTP/1.1 200") {
        return Err(format!("signaling failed: {head} {body}").into());
    }
    Ok(body.to_string())
}

fn main() -> Result<(), Error> {
    let http: SocketAddr = signaling::arg("--http", "127.0.0.1:8080").parse()?;
    let count: usize = signaling::arg("--count", "100").parse()?;
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let local = socket.local_addr()?;
    let mut pc = RTCPeerConnection::new(RTCConfiguration::default())?;
    pc.add_local_address(local);
    let channel = pc.create_data_channel("echo", RTCDataChannelInit::default())?;
    let now = Instant::now();
    let offer = pc.create_offer(RTCOfferOptions::default())?;
    pc.set_local_description(now, offer)?;
    let offer = pc.local_description().ok_or("no local description")?.sdp;
    let answer = post_offer(http, &offer)?;
    pc.set_remote_description(Instant::now(), RTCSessionDescription::answer(answer))?;

    let deadline = Instant::now() + Duration::from_secs(10);
    let mut sent = 0usize;
    let mut echoed = 0usize;
    let mut buf = vec![0u8; 2048];
    let message = |i: usize| format!("message {i} {}", "x".repeat(i % 1000));
    while echoed < count {
        if Instant::now() > deadline {
            return Err(format!("timed out: {echoed} of {count} echoed").into());
        }
        let timeout = pc
            .poll_timeout()
            .map_or(Duration::from_millis(20), |t| {
                t.saturating_duration_since(Instant::now())
            })
            .clamp(Duration::from_millis(1), Duration::from_millis(20));
        socket.set_read_timeout(Some(timeout))?;
        // Wait for a datagram, then take every one already queued.
        let mut received = socket.recv_from(&mut buf);
        loop {
            match received {
                Ok((n, peer)) => {
                    let data = buf.get(..n).unwrap_or_default();
                    let packet = TaggedPacket {
                        local,
                        peer,
                        protocol: Protocol::Udp,
                        data,
                    };
                    pc.handle_read(Instant::now(), packet)?;
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
                Err(e) => return Err(e.into()),
            }
            socket.set_nonblocking(true)?;
            received = socket.recv_from(&mut buf);
            socket.set_nonblocking(false)?;
        }
        let now = Instant::now();
        if pc.poll_timeout().is_some_and(|at| at <= now) {
            pc.handle_timeout(now)?;
        }
        while let Some(ev) = pc.poll_event() {
            match ev {
                PeerEvent::DataChannelOpen(id) if id == channel => {
                    let mut dc = pc.data_channel(channel).ok_or("channel gone")?;
                    while sent < count {
                        dc.send_text(&message(sent))?;
                        sent += 1;
                    }
                }
                PeerEvent::DataChannelMessage { data, .. } => {
                    if data[..] != *message(echoed).as_bytes() {
                        return Err(format!("echo {echoed} differs").into());
                    }
                    echoed += 1;
                    pc.recycle(data);
                }
                PeerEvent::TransportError(e) => return Err(e.into()),
                _ => {}
            }
        }
        while let Some(tx) = pc.poll_write() {
            socket.send_to(tx.data, tx.peer)?;
        }
    }
    println!("datachannel_client: {echoed} of {count} messages echoed");
    Ok(())
}
