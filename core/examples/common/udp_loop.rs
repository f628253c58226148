//! The receive half of the DESIGN loop, shared by the UDP examples: wait for
//! a datagram or the connection's next timer, hand the connection every
//! datagram already queued, then fire the timer if it is due.

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::peer::{Protocol, RTCPeerConnection, TaggedPacket};

/// Errors of the examples.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Waits at most `max_wait` (at least 1 ms) for a datagram or until `pc`'s
/// next timer, feeds every queued datagram to `pc.handle_read`, then calls
/// `pc.handle_timeout` if its timer is due. `buf` holds one datagram.
pub fn receive_and_tick(
    socket: &UdpSocket,
    local: SocketAddr,
    pc: &mut RTCPeerConnection,
    buf: &mut [u8],
    max_wait: Duration,
) -> Result<(), Error> {
    let timeout = pc
        .poll_timeout()
        .map_or(max_wait, |t| t.saturating_duration_since(Instant::now()))
        .clamp(Duration::from_millis(1), max_wait);
    socket.set_read_timeout(Some(timeout))?;
    // Wait for a datagram, then take every one already queued.
    let mut received = socket.recv_from(buf);
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
        received = socket.recv_from(buf);
        socket.set_nonblocking(false)?;
    }
    let now = Instant::now();
    if pc.poll_timeout().is_some_and(|at| at <= now) {
        pc.handle_timeout(now)?;
    }
    Ok(())
}
