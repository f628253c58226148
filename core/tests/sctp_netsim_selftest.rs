//! Self-tests of the shared network simulator (`tests/netsim`): the
//! impairments do what they claim, and a seed reproduces a run.

mod netsim;

use std::time::Duration;

use netsim::{LinkConfig, NetSim, SendError, Side};

/// Sends `n` numbered datagrams A → B, one per millisecond, then collects
/// everything; returns the numbers in arrival order.
fn run(sim: &mut NetSim, n: u32) -> Vec<u32> {
    for i in 0..n {
        sim.send(Side::A, &i.to_be_bytes()).unwrap();
        sim.advance(Duration::from_millis(1));
    }
    let mut got = Vec::new();
    while let Some(t) = sim.next_arrival() {
        sim.advance_to(t);
        while let Some(d) = sim.recv(Side::B) {
            got.push(u32::from_be_bytes(d[..4].try_into().unwrap()));
        }
    }
    assert_eq!(sim.recv(Side::A), None, "nothing travels B → A");
    got
}

#[test]
fn perfect_link_delivers_in_order_after_the_delay() {
    let mut sim = NetSim::new(1, LinkConfig::default());
    let start = sim.now();
    sim.send(Side::A, b"x").unwrap();
    sim.advance(Duration::from_millis(9));
    assert_eq!(sim.recv(Side::B), None, "not before the 10 ms delay");
    sim.advance_to(sim.next_arrival().unwrap());
    assert_eq!(sim.now() - start, Duration::from_millis(10));
    assert_eq!(sim.recv(Side::B).as_deref(), Some(&b"x"[..]));
    assert_eq!(run(&mut sim, 100), (0..100).collect::<Vec<_>>());
}

#[test]
fn loss_rate_is_close_to_the_setting() {
    let mut sim = NetSim::new(2, LinkConfig::lossy(0.3));
    let got = run(&mut sim, 10_000);
    let lost = 10_000 - got.len();
    assert!((2_700..3_300).contains(&lost), "{lost} lost");
    assert_eq!(sim.stats().lost as usize, lost);
    assert!(
        got.windows(2).all(|w| w[0] < w[1]),
        "loss alone does not reorder"
    );
}

#[test]
fn jitter_keeps_order_and_reordering_does_not() {
    let jitter = LinkConfig {
        jitter: Duration::from_millis(30),
        ..LinkConfig::default()
    };
    let mut sim = NetSim::new(3, jitter.clone());
    assert_eq!(run(&mut sim, 1000), (0..1000).collect::<Vec<_>>());
    let mut sim = NetSim::new(
        3,
        LinkConfig {
            reorder: 0.2,
            ..jitter
        },
    );
    let got = run(&mut sim, 1000);
    assert_eq!(got.len(), 1000);
    assert!(got.windows(2).any(|w| w[0] > w[1]), "some overtaken");
    let mut sorted = got.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, (0..1000).collect::<Vec<_>>());
}

#[test]
fn duplication_makes_copies() {
    let mut sim = NetSim::new(
        4,
        LinkConfig {
            duplicate: 0.5,
            ..LinkConfig::default()
        },
    );
    let got = run(&mut sim, 1000);
    let extra = got.len() - 1000;
    assert!((400..600).contains(&extra), "{extra} copies");
    assert_eq!(sim.stats().duplicated as usize, extra);
}

#[test]
fn mtu_drops_or_rejects_oversize() {
    let mut sim = NetSim::new(
        5,
        LinkConfig {
            mtu: Some(100),
            ..LinkConfig::default()
        },
    );
    sim.send(Side::A, &[0; 101]).unwrap();
    sim.send(Side::A, &[0; 100]).unwrap();
    assert_eq!(sim.in_flight(), 1);
    assert_eq!(sim.stats().oversize, 1);
    let mut strict = NetSim::new(
        5,
        LinkConfig {
            mtu: Some(100),
            oversize_is_error: true,
            ..LinkConfig::default()
        },
    );
    assert_eq!(
        strict.send(Side::B, &[0; 101]),
        Err(SendError::TooLarge { len: 101, mtu: 100 })
    );
}

#[test]
fn bandwidth_serialises_and_tail_drops() {
    // 8 Mbit/s: a 1000-byte datagram takes 1 ms on the wire.
    let link = LinkConfig {
        bandwidth_bps: Some(8_000_000),
        queue_limit: Duration::from_millis(5),
        delay: Duration::ZERO,
        ..LinkConfig::default()
    };
    let mut sim = NetSim::new(6, link);
    let start = sim.now();
    for _ in 0..10 {
        sim.send(Side::A, &[0; 1000]).unwrap();
    }
    // The first 6 wait at most 5 ms in the queue; the rest are dropped.
    assert_eq!(sim.stats().queue_drops, 4);
    let mut arrivals = Vec::new();
    while let Some(t) = sim.next_arrival() {
        sim.advance_to(t);
        while sim.recv(Side::B).is_some() {
            arrivals.push(sim.now() - start);
        }
    }
    let expected: Vec<Duration> = (1..=6).map(Duration::from_millis).collect();
    assert_eq!(arrivals, expected);
}

#[test]
fn a_seed_reproduces_a_run() {
    let link = LinkConfig {
        loss: 0.1,
        duplicate: 0.1,
        reorder: 0.1,
        jitter: Duration::from_millis(7),
        ..LinkConfig::default()
    };
    let a = run(&mut NetSim::new(7, link.clone()), 500);
    let b = run(&mut NetSim::new(7, link.clone()), 500);
    let c = run(&mut NetSim::new(8, link), 500);
    assert_eq!(a, b);
    assert_ne!(a, c);
}
