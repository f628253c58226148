//! Retransmission timeouts of the ICE agent (RFC 8445 §14.3): a check's
//! first RTO is `max(500 ms, Ta × (Waiting + In-Progress pairs))`, so every
//! pair gets its first check before any retransmission; a gathering
//! request's is `max(500 ms, Ta × requests)`; the RTO doubles up to
//! `max_rto`. One agent, nobody answering, time driven by hand.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zerortc::ice::{Candidate, IceAgent, IceConfig, IceCredentials};

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

/// Runs `agent` from `start` for `span`, timer by timer, and returns every
/// transmission as (time since start, destination, first bytes of the
/// transaction id).
fn transmissions(
    agent: &mut IceAgent,
    start: Instant,
    span: Duration,
) -> Vec<(Duration, SocketAddr, [u8; 12])> {
    let mut out = Vec::new();
    let mut buf = [0u8; 1500];
    let mut now = start;
    loop {
        while let Some(t) = agent.poll_transmit(&mut buf).unwrap() {
            let txid: [u8; 12] = buf[8..20].try_into().unwrap();
            out.push((now - start, t.destination, txid));
        }
        while agent.poll_event().is_some() {}
        let Some(at) = agent.poll_timeout() else {
            return out;
        };
        if at > start + span {
            return out;
        }
        now = now.max(at);
        agent.handle_timeout(now);
    }
}

/// An agent with one host candidate and `n` remote candidates of distinct
/// foundations (so all their pairs start Waiting), nobody answering.
fn agent_with_remotes(n: usize) -> (IceAgent, Instant) {
    let mut agent = IceAgent::new(IceConfig::new(5)).unwrap();
    assert!(agent.add_local_host(addr("10.0.0.1:5000")));
    agent
        .set_remote_credentials(IceCredentials {
            ufrag: "remo".into(),
            pwd: "remotepassword0123456789".into(),
        })
        .unwrap();
    let start = Instant::now();
    agent.gather(start);
    for i in 0..n {
        let line = format!(
            "candidate:{i} 1 udp {} 10.0.1.{} 6000 typ host",
            2_130_706_431 - i as u32,
            i + 1
        );
        assert!(agent.add_remote_candidate(&Candidate::parse(&line).unwrap()));
    }
    (agent, start)
}

#[test]
fn few_pairs_use_the_500_ms_floor() {
    let (mut agent, start) = agent_with_remotes(2);
    let sent = transmissions(&mut agent, start, Duration::from_secs(3));
    // Two first checks paced at Ta (50 ms), then the first one's
    // retransmissions 500 ms, 1 s and 2 s apart.
    let first = sent[0].2;
    let times: Vec<Duration> = sent
        .iter()
        .filter(|(_, _, id)| *id == first)
        .map(|(t, _, _)| *t)
        .collect();
    assert_eq!(times, [0, 500, 1500].map(Duration::from_millis).to_vec());
    assert_eq!(sent[1].0, Duration::from_millis(50));
    assert_ne!(sent[1].1, sent[0].1);
}

#[test]
fn many_pairs_all_get_a_first_check_before_any_retransmission() {
    let n = 30;
    let (mut agent, start) = agent_with_remotes(n);
    let sent = transmissions(&mut agent, start, Duration::from_secs(4));
    // RTO of the first check: Ta × 30 Waiting/In-Progress pairs = 1.5 s.
    let first = sent[0].2;
    let retransmit_at = sent
        .iter()
        .skip(1)
        .find(|(_, _, id)| *id == first)
        .map(|(t, _, _)| *t)
        .unwrap();
    assert_eq!(retransmit_at, Duration::from_millis(1500));
    // Every pair's first check (30 of them, 50 ms apart: the last at
    // 1.45 s) went out before that retransmission.
    let before: Vec<&(Duration, SocketAddr, [u8; 12])> =
        sent.iter().filter(|(t, _, _)| *t < retransmit_at).collect();
    assert_eq!(before.len(), n);
    let mut destinations: Vec<SocketAddr> = before.iter().map(|(_, d, _)| *d).collect();
    destinations.sort();
    destinations.dedup();
    assert_eq!(destinations.len(), n);
    // Later checks see fewer pending pairs, never a first RTO below 500 ms.
    let last = before.last().unwrap();
    let last_retransmit = sent
        .iter()
        .find(|(t, _, id)| *id == last.2 && *t > last.0)
        .map(|(t, _, _)| *t - last.0)
        .unwrap();
    assert!(last_retransmit >= Duration::from_millis(500));
}

#[test]
fn gathering_rto_scales_with_the_number_of_requests() {
    for (servers, rto_ms) in [(2, 500), (14, 700)] {
        let mut agent = IceAgent::new(IceConfig {
            stun_servers: (0..servers)
                .map(|i| SocketAddr::from(([192, 0, 2, i as u8 + 1], 3478)))
                .collect(),
            ..IceConfig::new(6)
        })
        .unwrap();
        assert!(agent.add_local_host(addr("10.0.0.1:5000")));
        let start = Instant::now();
        agent.gather(start);
        let sent = transmissions(&mut agent, start, Duration::from_millis(rto_ms + 1));
        // All requests at once, then each retransmitted after the RTO.
        assert_eq!(sent.len(), 2 * servers, "{servers} servers");
        assert!(sent[..servers].iter().all(|(t, _, _)| t.is_zero()));
        assert!(
            sent[servers..]
                .iter()
                .all(|(t, _, _)| *t == Duration::from_millis(rto_ms)),
            "{servers} servers: {sent:?}"
        );
    }
}

#[test]
fn a_first_rto_above_max_rto_is_kept_not_shortened() {
    let (mut agent, start) = {
        let mut agent = IceAgent::new(IceConfig {
            max_rto: Duration::from_millis(800),
            ..IceConfig::new(7)
        })
        .unwrap();
        assert!(agent.add_local_host(addr("10.0.0.1:5000")));
        agent
            .set_remote_credentials(IceCredentials {
                ufrag: "remo".into(),
                pwd: "remotepassword0123456789".into(),
            })
            .unwrap();
        let start = Instant::now();
        agent.gather(start);
        for i in 0..20 {
            let line = format!(
                "candidate:{i} 1 udp 2130706431 10.0.1.{} 6000 typ host",
                i + 1
            );
            agent.add_remote_candidate(&Candidate::parse(&line).unwrap());
        }
        (agent, start)
    };
    let sent = transmissions(&mut agent, start, Duration::from_secs(5));
    let first = sent[0].2;
    let times: Vec<Duration> = sent
        .iter()
        .filter(|(_, _, id)| *id == first)
        .map(|(t, _, _)| *t)
        .collect();
    // Ta × 20 = 1 s, above max_rto 800 ms: 1 s, 1 s, ...
    assert_eq!(times[..3], [0, 1000, 2000].map(Duration::from_millis));
}
