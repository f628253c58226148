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
#[allow(dead_code)] // a client uses `arg` and `post_offer`, not `serve`
mod signaling;
#[path = "common/udp_loop.rs"]
mod udp_loop;

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::peer::{
    PeerEvent, RTCConfiguration, RTCDataChannelInit, RTCOfferOptions, RTCPeerConnection,
    RTCSessionDescription,
};

use udp_loop::Error;

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
    let answer = signaling::post_offer(http, &offer)?;
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
        udp_loop::receive_and_tick(&socket, local, &mut pc, &mut buf, Duration::from_millis(20))?;
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
