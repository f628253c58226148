//! Once two ICE agents are connected, consent checks and their answers
//! allocate nothing: every queue has reached its size, every message is
//! written into the caller's buffer. A counting global allocator watches
//! the measuring thread only.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zerortc::ice::{IceAgent, IceConfig, IceConnectionState, IceRole};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

struct Pair {
    agents: [IceAgent; 2],
    addrs: [SocketAddr; 2],
    buf: Vec<u8>,
    in_flight: Vec<(usize, SocketAddr, Vec<u8>)>,
    packets: usize,
}

impl Pair {
    /// Moves every datagram across (no loss, no delay) and runs timers at
    /// `now`.
    fn pump(&mut self, now: Instant) {
        loop {
            let mut moved = false;
            for i in 0..2 {
                while let Some(t) = self.agents[i].poll_transmit(&mut self.buf).unwrap() {
                    // Reuse the in-flight slots: no allocation once warm.
                    let slot = self.packets;
                    if slot == self.in_flight.len() {
                        self.in_flight.push((0, t.source, Vec::with_capacity(1500)));
                    }
                    let (to, from, data) = &mut self.in_flight[slot];
                    *to = 1 - i;
                    *from = t.source;
                    data.clear();
                    data.extend_from_slice(&self.buf[..t.len]);
                    self.packets += 1;
                    moved = true;
                }
                while self.agents[i].poll_event().is_some() {}
            }
            for k in 0..self.packets {
                let (to, from, data) = &self.in_flight[k];
                let local = self.addrs[*to];
                self.agents[*to].handle_packet(now, local, *from, data);
            }
            self.packets = 0;
            for a in &mut self.agents {
                if a.poll_timeout().is_some_and(|t| t <= now) {
                    a.handle_timeout(now);
                    moved = true;
                }
            }
            if !moved {
                break;
            }
        }
    }

    fn next_timeout(&self) -> Instant {
        self.agents
            .iter()
            .filter_map(IceAgent::poll_timeout)
            .min()
            .unwrap()
    }
}

#[test]
fn consent_rounds_allocate_nothing_once_connected() {
    let addrs = [
        "127.0.0.1:5000".parse().unwrap(),
        "127.0.0.1:6000".parse().unwrap(),
    ];
    let make = |seed, role| {
        let mut agent = IceAgent::new(IceConfig {
            role,
            ..IceConfig::new(seed)
        })
        .unwrap();
        agent.add_local_host(addrs[seed as usize]);
        agent
    };
    let mut agents = [make(0, IceRole::Controlling), make(1, IceRole::Controlled)];
    let creds = [
        agents[0].local_credentials().clone(),
        agents[1].local_credentials().clone(),
    ];
    agents[0].set_remote_credentials(creds[1].clone()).unwrap();
    agents[1].set_remote_credentials(creds[0].clone()).unwrap();
    let mut now = Instant::now();
    for (i, a) in agents.iter_mut().enumerate() {
        a.gather(now);
        let line = format!(
            "candidate:1 1 udp 2130706431 127.0.0.1 {} typ host",
            5000 + 1000 * (1 - i)
        );
        a.add_remote_candidate(&zerortc::ice::Candidate::parse(&line).unwrap());
        a.end_of_remote_candidates();
    }
    let mut pair = Pair {
        agents,
        addrs,
        buf: vec![0; 1500],
        in_flight: Vec::new(),
        packets: 0,
    };
    // Connect, then warm up over a few consent rounds.
    for _ in 0..200 {
        pair.pump(now);
        now = pair.next_timeout().max(now);
    }
    for a in &pair.agents {
        assert_eq!(a.connection_state(), IceConnectionState::Completed);
    }
    let consent_before = pair.agents[0].stats().consent_checks_sent;
    let allocations = allocations_during(|| {
        for _ in 0..400 {
            pair.pump(now);
            now = pair.next_timeout().max(now);
        }
    });
    let rounds = pair.agents[0].stats().consent_checks_sent - consent_before;
    assert!(rounds >= 100, "{rounds} consent rounds");
    assert!(
        now > Instant::now() + Duration::from_secs(500),
        "virtual time moved on"
    );
    for a in &pair.agents {
        assert_eq!(a.connection_state(), IceConnectionState::Completed);
    }
    assert_eq!(allocations, 0, "over {rounds} consent rounds");
}
