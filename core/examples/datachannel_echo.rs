//! A data channel echo server: a browser (or any WebRTC peer) POSTs its
//! offer to `http://127.0.0.1:8080/offer`, gets the answer back, connects
//! over UDP, and every message it sends on any data channel comes back on
//! the same channel, text as text, binary as binary.
//!
//! ```text
//! cargo run --release -p zerortc --example datachannel_echo -- --udp 127.0.0.1:0 --http 127.0.0.1:8080
//! ```
//!
//! The UDP side is the sans-I/O loop of `DESIGN.md` around one
//! `std::net::UdpSocket`: read, `handle_read`, `poll_write`, `poll_event`,
//! `poll_timeout`/`handle_timeout`. One session at a time: a new offer
//! replaces the connection.

#[path = "common/signaling.rs"]
mod signaling;

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::peer::{
    PeerEvent, Protocol, RTCConfiguration, RTCPeerConnection, RTCPeerConnectionState,
    RTCSessionDescription, TaggedPacket,
};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// A connection answering `offer`, reachable at `local`.
fn answer(offer: &str, local: SocketAddr) -> Result<(RTCPeerConnection, String), Error> {
    let mut pc = RTCPeerConnection::new(RTCConfiguration::default())?;
    pc.add_local_address(local);
    let now = Instant::now();
    pc.set_remote_description(now, RTCSessionDescription::offer(offer))?;
    let answer = pc.create_answer()?;
    pc.set_local_description(now, answer)?;
    // Host candidates are gathered at once: the answer carries them and
    // end-of-candidates, so the peer needs no trickle.
    let sdp = pc.local_description().ok_or("no local description")?.sdp;
    Ok((pc, sdp))
}

fn main() -> Result<(), Error> {
    let udp: SocketAddr = signaling::arg("--udp", "127.0.0.1:0").parse()?;
    let http: SocketAddr = signaling::arg("--http", "127.0.0.1:8080").parse()?;
    let socket = UdpSocket::bind(udp)?;
    let local = socket.local_addr()?;
    let offers = signaling::serve(http)?;
    println!("datachannel_echo: UDP {local}, POST offers to http://{http}/offer");

    let mut pc: Option<RTCPeerConnection> = None;
    let mut buf = vec![0u8; 2048];
    loop {
        // Signaling: a new offer replaces the session.
        let wait = if pc.is_some() {
            Duration::ZERO
        } else {
            Duration::from_millis(100)
        };
        if let Ok(offer) = offers.recv_timeout(wait) {
            let reply = match answer(&offer.sdp, local) {
                Ok((new, sdp)) => {
                    pc = Some(new);
                    Ok(sdp)
                }
                Err(e) => Err(e.to_string()),
            };
            let _ = offer.reply.send(reply);
        }
        let Some(conn) = pc.as_mut() else { continue };

        // Wait for a datagram or the next timer, whichever comes first.
        let timeout = conn
            .poll_timeout()
            .map_or(Duration::from_millis(50), |t| {
                t.saturating_duration_since(Instant::now())
            })
            .clamp(Duration::from_millis(1), Duration::from_millis(50));
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
                    conn.handle_read(Instant::now(), packet)?;
                }
                Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => break,
                Err(e) => return Err(e.into()),
            }
            socket.set_nonblocking(true)?;
            received = socket.recv_from(&mut buf);
            socket.set_nonblocking(false)?;
        }
        if let Some(at) = conn.poll_timeout() {
            let now = Instant::now();
            if at <= now {
                conn.handle_timeout(now)?;
            }
        }
        while let Some(ev) = conn.poll_event() {
            match ev {
                PeerEvent::DataChannelMessage {
                    channel,
                    binary,
                    data,
                } => {
                    if let Some(mut dc) = conn.data_channel(channel) {
                        let sent = if binary {
                            dc.send(&data)
                        } else {
                            dc.send_text(&String::from_utf8_lossy(&data))
                        };
                        if let Err(e) = sent {
                            eprintln!("echo on channel {channel}: {e}");
                        }
                    }
                    conn.recycle(data);
                }
                PeerEvent::DataChannel(id) => {
                    let label = conn.data_channel(id).map(|d| d.label().to_string());
                    println!("data channel {id} {label:?}");
                }
                PeerEvent::ConnectionStateChange(state) => println!("connection {state:?}"),
                PeerEvent::TransportError(e) => eprintln!("transport: {e}"),
                _ => {}
            }
        }
        while let Some(tx) = conn.poll_write() {
            socket.send_to(tx.data, tx.peer)?;
        }
        if matches!(
            conn.connection_state(),
            RTCPeerConnectionState::Failed | RTCPeerConnectionState::Closed
        ) {
            println!("session over");
            pc = None;
        }
    }
}
