//! A media reflect server: a browser POSTs an offer with audio and/or
//! video to `http://127.0.0.1:8080/offer`; every RTP packet it sends comes
//! back on the same m-line (our sender's SSRC, the same payload type, so
//! the browser plays its own camera and microphone). Keyframes: a PLI goes
//! to the browser's video senders every 2 s and whenever the browser asks
//! us for one. RTCP is otherwise not reflected.
//!
//! ```text
//! cargo run --release -p zerortc --example media_reflect -- --udp 127.0.0.1:0 --http 127.0.0.1:8080
//! ```
//!
//! The UDP side is the sans-I/O loop of `DESIGN.md` around one
//! `std::net::UdpSocket`. One session at a time.

#[path = "common/signaling.rs"]
mod signaling;
#[path = "common/udp_loop.rs"]
mod udp_loop;

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::peer::{
    MediaKind, MediaStreamTrack, PeerError, PeerEvent, RTCConfiguration, RTCPeerConnection,
    RTCPeerConnectionState, RTCSessionDescription,
};

use udp_loop::Error;

/// How often a keyframe is asked for.
const PLI_INTERVAL: Duration = Duration::from_secs(2);

fn answer(offer: &str, local: SocketAddr) -> Result<(RTCPeerConnection, String), Error> {
    let mut pc = RTCPeerConnection::new(RTCConfiguration::default())?;
    pc.add_local_address(local);
    let now = Instant::now();
    pc.set_remote_description(now, RTCSessionDescription::offer(offer))?;
    // A track on every m-line the offer made: add_track takes the
    // transceivers the offer created (W3C addTrack), so each answers
    // sendrecv.
    for t in pc.get_transceivers() {
        let id = format!("reflect-{}", t.mid.unwrap_or_default());
        pc.add_track(MediaStreamTrack::new(id, t.kind, "reflect"))?;
    }
    let answer = pc.create_answer()?;
    pc.set_local_description(now, answer)?;
    let sdp = pc.local_description().ok_or("no local description")?.sdp;
    Ok((pc, sdp))
}

/// PLI (RFC 4585 §6.3.1) to every video SSRC the browser sends.
fn request_keyframes(pc: &mut RTCPeerConnection) -> Result<(), PeerError> {
    let mut requests = Vec::new();
    for t in pc.get_transceivers() {
        if t.kind != MediaKind::Video {
            continue;
        }
        for media in &t.receiver.ssrcs {
            let mut pli = vec![0x81, 206, 0, 2];
            pli.extend_from_slice(&t.sender.ssrc.to_be_bytes());
            pli.extend_from_slice(&media.to_be_bytes());
            requests.push(pli);
        }
    }
    for pli in requests {
        pc.write_rtcp(&pli)?;
    }
    Ok(())
}

/// Whether an RTCP compound packet holds payload-specific feedback (PLI,
/// FIR: the browser wants a keyframe from us, so we want one from it).
fn asks_for_keyframe(packet: &[u8]) -> bool {
    let mut rest = packet;
    while let [_, pt, hi, lo, ..] = *rest {
        if pt == 206 {
            return true;
        }
        let len = 4 * (usize::from(u16::from_be_bytes([hi, lo])) + 1);
        rest = rest.get(len..).unwrap_or_default();
    }
    false
}

fn main() -> Result<(), Error> {
    let udp: SocketAddr = signaling::arg("--udp", "127.0.0.1:0").parse()?;
    let http: SocketAddr = signaling::arg("--http", "127.0.0.1:8080").parse()?;
    let socket = UdpSocket::bind(udp)?;
    let local = socket.local_addr()?;
    let offers = signaling::serve(http)?;
    println!("media_reflect: UDP {local}, POST offers to http://{http}/offer");

    let mut pc: Option<RTCPeerConnection> = None;
    let mut next_pli = Instant::now();
    let mut buf = vec![0u8; 2048];
    loop {
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

        udp_loop::receive_and_tick(&socket, local, conn, &mut buf, Duration::from_millis(20))?;
        let now = Instant::now();
        let mut keyframe =
            now >= next_pli && conn.connection_state() == RTCPeerConnectionState::Connected;
        while let Some(ev) = conn.poll_event() {
            match ev {
                PeerEvent::Rtp {
                    transceiver,
                    packet,
                    ..
                } => {
                    // Not negotiated to send (the browser's recvonly
                    // m-lines): dropped.
                    let _ = conn.write_rtp(transceiver, &packet);
                    conn.recycle(packet);
                }
                PeerEvent::Rtcp { packet } => {
                    keyframe |= asks_for_keyframe(&packet);
                    conn.recycle(packet);
                }
                PeerEvent::Track { transceiver, track } => {
                    println!(
                        "track {:?} ({}) on transceiver {transceiver}",
                        track.id,
                        track.kind.as_str()
                    );
                }
                PeerEvent::ConnectionStateChange(state) => println!("connection {state:?}"),
                PeerEvent::TransportError(e) => eprintln!("transport: {e}"),
                _ => {}
            }
        }
        if keyframe {
            request_keyframes(conn)?;
            next_pli = now + PLI_INTERVAL;
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
