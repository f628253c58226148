//! A deterministic network simulator for integration tests, shared by every
//! layer's tests (`mod sim;` in a test file).
//!
//! Datagrams between socket addresses go through a [`Network`] whose links
//! drop, delay, jitter, reorder and duplicate them, decided by a seeded
//! RNG, and come out in delivery-time order against a virtual clock: the
//! same seed gives the same run, and an hour of traffic takes
//! milliseconds. Links can be cut and restored (a cable pulled).
#![allow(dead_code)]

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// A small, fast, seedable RNG (SplitMix64): test determinism only.
#[derive(Debug, Clone)]
pub struct SimRng(u64);

impl SimRng {
    /// A generator from a seed.
    pub fn new(seed: u64) -> SimRng {
        SimRng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A uniform float in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        p > 0.0 && self.unit() < p
    }
}

/// How a link treats datagrams.
#[derive(Debug, Clone, Copy)]
pub struct LinkConditions {
    /// Probability that a datagram is lost.
    pub loss: f64,
    /// Fixed one-way delay.
    pub delay: Duration,
    /// Extra delay, uniform in [0, jitter).
    pub jitter: Duration,
    /// Probability that a datagram is held back by `reorder_delay` more
    /// (so later ones overtake it).
    pub reorder: f64,
    /// Extra delay of a reordered datagram.
    pub reorder_delay: Duration,
    /// Probability that a datagram is delivered twice.
    pub duplicate: f64,
    /// Datagrams larger than this are dropped (path MTU).
    pub mtu: usize,
}

impl LinkConditions {
    /// A perfect link with a fixed delay.
    pub fn ideal(delay: Duration) -> LinkConditions {
        LinkConditions {
            loss: 0.0,
            delay,
            jitter: Duration::ZERO,
            reorder: 0.0,
            reorder_delay: Duration::ZERO,
            duplicate: 0.0,
            mtu: 65535,
        }
    }

    /// `ideal(delay)` with loss.
    pub fn lossy(delay: Duration, loss: f64) -> LinkConditions {
        LinkConditions {
            loss,
            ..LinkConditions::ideal(delay)
        }
    }
}

/// A datagram in flight or delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Datagram {
    /// Sender address.
    pub from: SocketAddr,
    /// Receiver address.
    pub to: SocketAddr,
    /// Payload.
    pub data: Vec<u8>,
}

/// Counters of what the network did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NetworkStats {
    /// Datagrams handed to [`Network::send`].
    pub sent: u64,
    /// Dropped by random loss.
    pub lost: u64,
    /// Dropped because the link was cut.
    pub cut: u64,
    /// Dropped for exceeding the MTU.
    pub too_big: u64,
    /// Extra copies made.
    pub duplicated: u64,
    /// Held back to be reordered.
    pub reordered: u64,
    /// Handed out by [`Network::deliver_due`].
    pub delivered: u64,
}

/// The simulated network: one set of conditions for every link, cuts per
/// direction, a virtual clock.
#[derive(Debug)]
pub struct Network {
    rng: SimRng,
    conditions: LinkConditions,
    now: Instant,
    start: Instant,
    seq: u64,
    in_flight: BinaryHeap<Reverse<(Instant, u64, usize)>>,
    slots: Vec<Option<Datagram>>,
    cuts: Vec<(SocketAddr, SocketAddr)>,
    /// What happened so far.
    pub stats: NetworkStats,
}

impl Network {
    /// A network with `conditions` on every link, RNG seeded with `seed`.
    pub fn new(seed: u64, conditions: LinkConditions) -> Network {
        let now = Instant::now();
        Network {
            rng: SimRng::new(seed),
            conditions,
            now,
            start: now,
            seq: 0,
            in_flight: BinaryHeap::new(),
            slots: Vec::new(),
            cuts: Vec::new(),
            stats: NetworkStats::default(),
        }
    }

    /// The virtual time.
    pub fn now(&self) -> Instant {
        self.now
    }

    /// Virtual time since the network was created.
    pub fn elapsed(&self) -> Duration {
        self.now - self.start
    }

    /// Moves the clock forward to `to` (never backwards).
    pub fn advance_to(&mut self, to: Instant) {
        if to > self.now {
            self.now = to;
        }
    }

    /// Changes the conditions of every link from now on.
    pub fn set_conditions(&mut self, conditions: LinkConditions) {
        self.conditions = conditions;
    }

    /// Drops everything from `a` to `b` and from `b` to `a` until
    /// [`Network::restore`].
    pub fn cut(&mut self, a: SocketAddr, b: SocketAddr) {
        self.cuts.push((a, b));
        self.cuts.push((b, a));
    }

    /// Undoes every cut.
    pub fn restore(&mut self) {
        self.cuts.clear();
    }

    /// The RNG, for tests that need more randomness from the same seed.
    pub fn rng(&mut self) -> &mut SimRng {
        &mut self.rng
    }

    /// Sends a datagram at the current virtual time.
    pub fn send(&mut self, from: SocketAddr, to: SocketAddr, data: &[u8]) {
        self.stats.sent += 1;
        let c = self.conditions;
        if self.cuts.contains(&(from, to)) {
            self.stats.cut += 1;
            return;
        }
        if data.len() > c.mtu {
            self.stats.too_big += 1;
            return;
        }
        if self.rng.chance(c.loss) {
            self.stats.lost += 1;
            return;
        }
        let copies = if self.rng.chance(c.duplicate) {
            self.stats.duplicated += 1;
            2
        } else {
            1
        };
        for _ in 0..copies {
            let mut delay = c.delay + c.jitter.mul_f64(self.rng.unit());
            if self.rng.chance(c.reorder) {
                self.stats.reordered += 1;
                delay += c.reorder_delay;
            }
            let slot = self.slots.len();
            self.slots.push(Some(Datagram {
                from,
                to,
                data: data.to_vec(),
            }));
            self.seq += 1;
            self.in_flight
                .push(Reverse((self.now + delay, self.seq, slot)));
        }
    }

    /// When the next datagram arrives.
    pub fn next_delivery(&self) -> Option<Instant> {
        self.in_flight.peek().map(|Reverse((at, _, _))| *at)
    }

    /// The next datagram due at the current virtual time, if any.
    pub fn deliver_due(&mut self) -> Option<Datagram> {
        let Reverse((at, _, slot)) = *self.in_flight.peek()?;
        if at > self.now {
            return None;
        }
        self.in_flight.pop();
        self.stats.delivered += 1;
        self.slots.get_mut(slot).and_then(Option::take)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn addr(port: u16) -> SocketAddr {
        SocketAddr::from(([127, 0, 0, 1], port))
    }

    #[test]
    fn ideal_link_delivers_in_order_after_the_delay() {
        let mut net = Network::new(1, LinkConditions::ideal(Duration::from_millis(10)));
        for i in 0..5u8 {
            net.send(addr(1), addr(2), &[i]);
        }
        assert_eq!(net.deliver_due(), None);
        net.advance_to(net.next_delivery().unwrap());
        assert_eq!(net.elapsed(), Duration::from_millis(10));
        let got: Vec<u8> = std::iter::from_fn(|| net.deliver_due())
            .map(|d| d.data[0])
            .collect();
        assert_eq!(got, [0, 1, 2, 3, 4]);
    }

    #[test]
    fn loss_duplication_and_reordering_follow_the_seed() {
        let conditions = LinkConditions {
            loss: 0.2,
            jitter: Duration::from_millis(5),
            reorder: 0.1,
            reorder_delay: Duration::from_millis(30),
            duplicate: 0.1,
            ..LinkConditions::ideal(Duration::from_millis(20))
        };
        let run = |seed| {
            let mut net = Network::new(seed, conditions);
            for i in 0..1000u16 {
                net.send(addr(1), addr(2), &i.to_be_bytes());
                net.advance_to(net.now() + Duration::from_millis(1));
            }
            net.advance_to(net.now() + Duration::from_secs(1));
            let got: Vec<u16> = std::iter::from_fn(|| net.deliver_due())
                .map(|d| u16::from_be_bytes([d.data[0], d.data[1]]))
                .collect();
            (got, net.stats)
        };
        let (a, stats) = run(7);
        let (b, _) = run(7);
        let (c, _) = run(8);
        assert_eq!(a, b, "same seed, same run");
        assert_ne!(a, c);
        assert!((150..250).contains(&stats.lost), "{stats:?}");
        assert!(stats.duplicated > 50 && stats.reordered > 50, "{stats:?}");
        assert_eq!(stats.delivered as usize, a.len());
        assert_eq!(a.len() as u64, 1000 - stats.lost + stats.duplicated);
        assert!(a.windows(2).any(|w| w[0] > w[1]), "some reordering");
    }

    #[test]
    fn cuts_and_mtu() {
        let mut net = Network::new(
            3,
            LinkConditions {
                mtu: 100,
                ..LinkConditions::ideal(Duration::ZERO)
            },
        );
        net.cut(addr(1), addr(2));
        net.send(addr(2), addr(1), b"x");
        net.send(addr(1), addr(3), &[0; 101]);
        net.send(addr(1), addr(3), &[0; 100]);
        assert_eq!((net.stats.cut, net.stats.too_big), (1, 1));
        net.restore();
        net.send(addr(2), addr(1), b"y");
        let got: Vec<_> = std::iter::from_fn(|| net.deliver_due()).collect();
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].data, b"y");
    }
}
