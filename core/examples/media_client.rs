//! A zerortc client for `media_reflect` (and a smoke test of it): offers
//! one video and one audio track, POSTs the offer, connects over a UDP
//! socket on loopback, sends `--count` RTP packets on each and checks that
//! they come back on the same m-line with the same payload.
//!
//! ```text
//! cargo run -p zerortc --example media_reflect -- --http 127.0.0.1:8081 &
//! cargo run -p zerortc --example media_client -- --http 127.0.0.1:8081 --count 100
//! ```
//!
//! Exits non-zero when a packet does not come back as sent, or after 10 s.

#[path = "common/signaling.rs"]
#[allow(dead_code)] // a client uses `arg` and `post_offer`, not `serve`
mod signaling;
#[path = "common/udp_loop.rs"]
mod udp_loop;

use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::peer::{
    MediaKind, MediaStreamTrack, PeerEvent, RTCConfiguration, RTCOfferOptions, RTCPeerConnection,
    RTCPeerConnectionState, RTCSessionDescription,
};
use zerortc::rtp::{RtpHeader, RtpPacket};

use udp_loop::Error;

fn main() -> Result<(), Error> {
    let http: SocketAddr = signaling::arg("--http", "127.0.0.1:8080").parse()?;
    let count: u16 = signaling::arg("--count", "100").parse()?;
    let socket = UdpSocket::bind("127.0.0.1:0")?;
    let local = socket.local_addr()?;
    let mut pc = RTCPeerConnection::new(RTCConfiguration::default())?;
    pc.add_local_address(local);
    let video = pc.add_track(MediaStreamTrack::new("cam", MediaKind::Video, "me"))?;
    let audio = pc.add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "me"))?;
    let offer = pc.create_offer(RTCOfferOptions::default())?;
    pc.set_local_description(Instant::now(), offer)?;
    let offer = pc.local_description().ok_or("no local description")?.sdp;
    let answer = signaling::post_offer(http, &offer)?;
    pc.set_remote_description(Instant::now(), RTCSessionDescription::answer(answer))?;

    let deadline = Instant::now() + Duration::from_secs(10);
    // Sent in bursts of 10 per loop turn: a burst of hundreds of small
    // datagrams overflows a default socket receive buffer on loopback.
    let mut next_seq = 0u16;
    let mut back = [0u16; 2];
    let mut buf = vec![0u8; 2048];
    let payload = |seq: u16, pt: u8| -> Vec<u8> {
        let mut p = vec![pt; 200];
        p[..2].copy_from_slice(&seq.to_be_bytes());
        p
    };
    while back.iter().any(|&n| n < count) {
        if Instant::now() > deadline {
            return Err(format!("timed out: {back:?} of {count} reflected").into());
        }
        udp_loop::receive_and_tick(&socket, local, &mut pc, &mut buf, Duration::from_millis(20))?;
        if next_seq < count && pc.connection_state() == RTCPeerConnectionState::Connected {
            let end = count.min(next_seq + 10);
            for seq in next_seq..end {
                for (t, pt) in [(video, 96u8), (audio, 111u8)] {
                    let mut packet = vec![0u8; 300];
                    let n = RtpHeader::new(pt, seq, u32::from(seq) * 3000, 0)
                        .marshal_packet(&payload(seq, pt), &mut packet)?;
                    pc.write_rtp(t, &packet[..n])?;
                }
            }
            next_seq = end;
        }
        while let Some(ev) = pc.poll_event() {
            match ev {
                PeerEvent::Rtp {
                    transceiver,
                    packet,
                    ..
                } => {
                    let p = RtpPacket::parse(&packet)?;
                    let (i, pt) = if transceiver == video {
                        (0, 96)
                    } else {
                        (1, 111)
                    };
                    if p.payload_type() != pt || p.payload() != payload(p.sequence_number(), pt) {
                        return Err(format!(
                            "packet {} on {transceiver} differs",
                            p.sequence_number()
                        )
                        .into());
                    }
                    back[i] += 1;
                    pc.recycle(packet);
                }
                PeerEvent::TransportError(e) => return Err(e.into()),
                _ => {}
            }
        }
        while let Some(tx) = pc.poll_write() {
            socket.send_to(tx.data, tx.peer)?;
        }
    }
    println!(
        "media_client: {} video and {} audio packets reflected",
        back[0], back[1]
    );
    Ok(())
}
