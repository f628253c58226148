//! A deterministic network simulator for two endpoints, shared by the
//! integration tests (`mod netsim;` in a test file).
//!
//! The simulator moves opaque datagrams (`&[u8]` in, `Vec<u8>` out)
//! between side [`Side::A`] and side [`Side::B`] over two independent
//! one-way links, each with its own [`LinkConfig`]:
//!
//! - **loss**: each datagram is dropped with probability `loss`;
//! - **delay and jitter**: it arrives `delay + U(0, jitter)` after it left,
//!   but never before a datagram sent earlier on the same link (jitter
//!   varies the delay, it does not reorder);
//! - **reordering**: with probability `reorder` it gets `reorder_delay`
//!   more, so later datagrams overtake it;
//! - **duplication**: with probability `duplicate` a second copy travels
//!   with its own delay;
//! - **MTU**: datagrams larger than `mtu` are dropped, or rejected with
//!   [`SendError::TooLarge`] when `oversize_is_error` is set;
//! - **bandwidth**: with `bandwidth_bps`, datagrams leave one after the
//!   other at that rate (serialisation delay), and a datagram that would
//!   wait more than `queue_limit` behind the ones before it is dropped
//!   (tail drop, as a router queue).
//!
//! Time is virtual: [`NetSim::now`] starts at a real `Instant` and only
//! moves when the test calls [`NetSim::advance_to`] (or [`drive`]), so an
//! hour of traffic runs in milliseconds. All randomness comes from one
//! ChaCha8 RNG seeded by the test: the same seed gives the same run.
//!
//! [`Endpoint`] adapts any sans-I/O state machine (SCTP association, DTLS,
//! ICE agent, peer connection) to the simulator; [`drive`] runs two of them
//! against each other until a condition holds or a virtual deadline passes.
#![allow(dead_code)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::time::{Duration, Instant};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

/// One end of the simulated path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The first endpoint.
    A,
    /// The second endpoint.
    B,
}

impl Side {
    /// The other side.
    pub fn peer(self) -> Side {
        match self {
            Side::A => Side::B,
            Side::B => Side::A,
        }
    }
}

/// Impairments of one direction of the path.
#[derive(Debug, Clone, PartialEq)]
pub struct LinkConfig {
    /// Probability that a datagram is lost (0.0 ..= 1.0).
    pub loss: f64,
    /// Probability that a datagram is duplicated.
    pub duplicate: f64,
    /// Probability that a datagram is held back by `reorder_delay`.
    pub reorder: f64,
    /// Extra delay of a reordered datagram.
    pub reorder_delay: Duration,
    /// Fixed one-way delay.
    pub delay: Duration,
    /// Uniform random extra delay in `0..=jitter`.
    pub jitter: Duration,
    /// Largest datagram carried (`None`: no limit).
    pub mtu: Option<usize>,
    /// Reject oversize datagrams with an error instead of dropping them.
    pub oversize_is_error: bool,
    /// Link rate in bits per second (`None`: unlimited).
    pub bandwidth_bps: Option<u64>,
    /// Longest wait in the link queue before tail drop (with a bandwidth).
    pub queue_limit: Duration,
}

impl Default for LinkConfig {
    /// A perfect link: no loss, 10 ms delay, nothing else.
    fn default() -> Self {
        Self {
            loss: 0.0,
            duplicate: 0.0,
            reorder: 0.0,
            reorder_delay: Duration::from_millis(20),
            delay: Duration::from_millis(10),
            jitter: Duration::ZERO,
            mtu: None,
            oversize_is_error: false,
            bandwidth_bps: None,
            queue_limit: Duration::from_millis(200),
        }
    }
}

impl LinkConfig {
    /// A link with `loss` probability and otherwise default settings.
    pub fn lossy(loss: f64) -> Self {
        Self {
            loss,
            ..Self::default()
        }
    }
}

/// Why [`NetSim::send`] refused a datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendError {
    /// Larger than the link MTU (only with `oversize_is_error`).
    TooLarge {
        /// Datagram length.
        len: usize,
        /// Link MTU.
        mtu: usize,
    },
}

/// Counters of what happened to the datagrams.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Stats {
    /// Datagrams handed to `send`.
    pub sent: u64,
    /// Datagrams handed out by `recv` (duplicates included).
    pub delivered: u64,
    /// Dropped by random loss.
    pub lost: u64,
    /// Extra copies made.
    pub duplicated: u64,
    /// Held back for reordering.
    pub reordered: u64,
    /// Dropped (or rejected) for exceeding the MTU.
    pub oversize: u64,
    /// Dropped by the bandwidth queue.
    pub queue_drops: u64,
    /// Bytes handed out by `recv`.
    pub bytes_delivered: u64,
}

#[derive(Debug)]
struct Link {
    config: LinkConfig,
    /// (arrival time, sequence for FIFO among equal times, datagram)
    queue: BinaryHeap<Reverse<(Instant, u64, Vec<u8>)>>,
    busy_until: Instant,
    /// Arrival time of the last in-order datagram (jitter keeps FIFO order).
    last_arrival: Instant,
}

/// The simulator: two one-way links and a virtual clock.
#[derive(Debug)]
pub struct NetSim {
    now: Instant,
    rng: ChaCha8Rng,
    /// links[0]: A → B, links[1]: B → A.
    links: [Link; 2],
    seq: u64,
    stats: Stats,
}

impl NetSim {
    /// A simulator with one configuration for both directions.
    pub fn new(seed: u64, config: LinkConfig) -> Self {
        Self::asymmetric(seed, config.clone(), config)
    }

    /// A simulator with a configuration per direction.
    pub fn asymmetric(seed: u64, a_to_b: LinkConfig, b_to_a: LinkConfig) -> Self {
        let now = Instant::now();
        let link = |config| Link {
            config,
            queue: BinaryHeap::new(),
            busy_until: now,
            last_arrival: now,
        };
        Self {
            now,
            rng: ChaCha8Rng::seed_from_u64(seed),
            links: [link(a_to_b), link(b_to_a)],
            seq: 0,
            stats: Stats::default(),
        }
    }

    /// The virtual time.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// What happened so far.
    pub fn stats(&self) -> Stats {
        self.stats
    }

    /// Changes the impairments of the link leaving `from` (datagrams
    /// already travelling keep their arrival times).
    pub fn set_link(&mut self, from: Side, config: LinkConfig) {
        self.links[from as usize].config = config;
    }

    /// Moves the clock forward to `t` (never backwards).
    pub fn advance_to(&mut self, t: Instant) {
        if t > self.now {
            self.now = t;
        }
    }

    /// Moves the clock forward by `d`.
    pub fn advance(&mut self, d: Duration) {
        self.now += d;
    }

    /// Sends a datagram from `from` to the other side at the current time.
    pub fn send(&mut self, from: Side, data: &[u8]) -> Result<(), SendError> {
        self.stats.sent += 1;
        let now = self.now;
        let link = &mut self.links[from as usize];
        let cfg = link.config.clone();
        if let Some(mtu) = cfg.mtu.filter(|&m| data.len() > m) {
            self.stats.oversize += 1;
            if cfg.oversize_is_error {
                return Err(SendError::TooLarge {
                    len: data.len(),
                    mtu,
                });
            }
            return Ok(());
        }
        // Serialisation on a rate-limited link, with tail drop.
        let mut departure = now;
        if let Some(bps) = cfg.bandwidth_bps.filter(|&b| b > 0) {
            let start = link.busy_until.max(now);
            if start.duration_since(now) > cfg.queue_limit {
                self.stats.queue_drops += 1;
                return Ok(());
            }
            let bits = data.len() as u64 * 8;
            let ser = Duration::from_nanos(bits.saturating_mul(1_000_000_000) / bps);
            departure = start + ser;
            link.busy_until = departure;
        }
        if self.rng.random_bool(cfg.loss.clamp(0.0, 1.0)) {
            self.stats.lost += 1;
            return Ok(());
        }
        let copies = if self.rng.random_bool(cfg.duplicate.clamp(0.0, 1.0)) {
            self.stats.duplicated += 1;
            2
        } else {
            1
        };
        for _ in 0..copies {
            let mut at = departure + cfg.delay;
            if !cfg.jitter.is_zero() {
                let j = self.rng.random_range(0..=cfg.jitter.as_nanos() as u64);
                at += Duration::from_nanos(j);
            }
            let link = &mut self.links[from as usize];
            at = at.max(link.last_arrival);
            if self.rng.random_bool(cfg.reorder.clamp(0.0, 1.0)) {
                self.stats.reordered += 1;
                at += cfg.reorder_delay;
            } else {
                link.last_arrival = at;
            }
            self.seq += 1;
            self.links[from as usize]
                .queue
                .push(Reverse((at, self.seq, data.to_vec())));
        }
        Ok(())
    }

    /// The earliest arrival still travelling, either direction.
    pub fn next_arrival(&self) -> Option<Instant> {
        self.links
            .iter()
            .filter_map(|l| l.queue.peek().map(|Reverse((t, _, _))| *t))
            .min()
    }

    /// The next datagram that has arrived at `to` by now, if any.
    pub fn recv(&mut self, to: Side) -> Option<Vec<u8>> {
        let link = &mut self.links[to.peer() as usize];
        if link
            .queue
            .peek()
            .is_some_and(|Reverse((t, _, _))| *t <= self.now)
        {
            let Reverse((_, _, data)) = link.queue.pop()?;
            self.stats.delivered += 1;
            self.stats.bytes_delivered += data.len() as u64;
            return Some(data);
        }
        None
    }

    /// Datagrams still travelling.
    pub fn in_flight(&self) -> usize {
        self.links.iter().map(|l| l.queue.len()).sum()
    }
}

/// A sans-I/O state machine seen by the simulator.
pub trait Endpoint {
    /// Takes one datagram that arrived at `now`.
    fn receive(&mut self, now: Instant, datagram: &[u8]);
    /// Writes the next datagram to send into `buf`; its length, or `None`.
    fn transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize>;
    /// When the endpoint next needs [`Endpoint::timeout`].
    fn next_timeout(&self) -> Option<Instant>;
    /// Runs the timers due at `now`.
    fn timeout(&mut self, now: Instant);
}

/// Flushes what `ep` wants to send into the link leaving `side`.
pub fn flush<E: Endpoint>(sim: &mut NetSim, side: Side, ep: &mut E, buf: &mut [u8]) {
    let now = sim.now();
    while let Some(n) = ep.transmit(now, buf) {
        // An oversize datagram is the endpoint's bug: surface it.
        if let Err(e) = sim.send(side, &buf[..n]) {
            panic!("{side:?} sent an oversize datagram: {e:?}");
        }
    }
}

/// Runs `a` and `b` against each other: flush both, deliver what arrived,
/// fire due timers, jump the clock to the next arrival or timer. Calls
/// `done` after every step and stops when it returns true (returns true)
/// or when the virtual time passes `deadline` or nothing is left to do
/// (returns false).
pub fn drive<A: Endpoint, B: Endpoint>(
    sim: &mut NetSim,
    a: &mut A,
    b: &mut B,
    deadline: Instant,
    mut done: impl FnMut(&mut NetSim, &mut A, &mut B) -> bool,
) -> bool {
    let mut buf = vec![0u8; 65536];
    let mut still = 0u32;
    let mut last = sim.now();
    loop {
        // A timer that never clears itself would spin here forever.
        still = if sim.now() == last { still + 1 } else { 0 };
        last = sim.now();
        assert!(
            still < 100_000,
            "no progress at one instant: a timer does not clear"
        );
        flush(sim, Side::A, a, &mut buf);
        flush(sim, Side::B, b, &mut buf);
        if done(sim, a, b) {
            return true;
        }
        // `done` may have queued work (a send): flush it before waiting.
        flush(sim, Side::A, a, &mut buf);
        flush(sim, Side::B, b, &mut buf);
        let next = [sim.next_arrival(), a.next_timeout(), b.next_timeout()]
            .into_iter()
            .flatten()
            .min();
        let Some(next) = next else {
            return false;
        };
        if next > deadline {
            return false;
        }
        sim.advance_to(next);
        let now = sim.now();
        while let Some(d) = sim.recv(Side::A) {
            a.receive(now, &d);
        }
        while let Some(d) = sim.recv(Side::B) {
            b.receive(now, &d);
        }
        if a.next_timeout().is_some_and(|t| t <= now) {
            a.timeout(now);
        }
        if b.next_timeout().is_some_and(|t| t <= now) {
            b.timeout(now);
        }
    }
}
