//! Gathers server-reflexive candidates over real UDP: a thin driver around
//! the sans-I/O [`IceAgent`]. Binds one socket, asks the STUN servers given
//! on the command line, prints every local candidate and the gathering
//! states, and exits when gathering completes.
//!
//! ```text
//! cargo run -p zerortc --example gather_srflx -- 127.0.0.1 127.0.0.1:3478 127.0.0.1:3479
//! ```
//! (bind address, then STUN servers; a server that does not answer times
//! out after 7 transmissions.)

use std::net::{IpAddr, SocketAddr, UdpSocket};
use std::time::{Duration, Instant};

use zerortc::ice::{IceAgent, IceConfig, IceEvent, IceGatheringState};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let bind: IpAddr = args
        .next()
        .ok_or("usage: gather_srflx BIND_IP SERVER...")?
        .parse()?;
    let servers: Vec<SocketAddr> = args.map(|a| a.parse()).collect::<Result<_, _>>()?;
    let socket = UdpSocket::bind((bind, 0))?;
    let local = socket.local_addr()?;
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_nanos() as u64;
    let mut agent = IceAgent::new(IceConfig {
        stun_servers: servers,
        ..IceConfig::new(seed)
    })?;
    agent.add_local_host(local);
    let start = Instant::now();
    agent.gather(start);
    let mut buf = [0u8; 1500];
    loop {
        while let Some(t) = agent.poll_transmit(&mut buf)? {
            socket.send_to(&buf[..t.len], t.destination)?;
        }
        while let Some(ev) = agent.poll_event() {
            let at = start.elapsed();
            match ev {
                IceEvent::LocalCandidate(c) => println!("{at:>10.3?} a={c}"),
                IceEvent::GatheringStateChange(s) => {
                    println!("{at:>10.3?} gathering {s:?}");
                    if s == IceGatheringState::Complete {
                        // A server on the same host maps us to our own
                        // address: no server-reflexive candidate then.
                        println!("{:?}", agent.stats());
                        return Ok(());
                    }
                }
                other => println!("{at:>10.3?} {other:?}"),
            }
        }
        let wait = agent.poll_timeout().map_or(Duration::from_secs(1), |t| {
            t.saturating_duration_since(Instant::now())
        });
        socket.set_read_timeout(Some(wait.max(Duration::from_millis(1))))?;
        match socket.recv_from(&mut buf) {
            Ok((n, from)) => {
                let data = buf[..n].to_vec();
                agent.handle_packet(Instant::now(), local, from, &data);
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e.into()),
        }
        agent.handle_timeout(Instant::now());
    }
}
