//! Steady-state SCTP traffic allocates nothing: after warm-up, sending,
//! packetising, receiving, reassembling and delivering messages (and
//! recycling their buffers) performs zero heap allocations. A counting
//! global allocator watches the measuring thread only. The loop also
//! prints the in-memory throughput it reached (meaningful in release).

use std::time::{Duration, Instant};

use zerortc::datachannel::{ChannelOptions, DataChannelEvent, DataChannels, DtlsRole};
use zerortc::sctp::{Association, Config, Event, Reliability};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

/// Two associations wired back to back in memory, with a virtual clock.
struct Loop {
    a: Association,
    b: Association,
    now: Instant,
    buf: Vec<u8>,
    received: usize,
    received_bytes: usize,
}

impl Loop {
    fn new() -> Self {
        let now = Instant::now();
        let cfg = |seed| Config {
            seed,
            receive_window: 4 * 1024 * 1024,
            ..Config::default()
        };
        let mut l = Self {
            a: Association::new(cfg(1), now),
            b: Association::new(cfg(2), now),
            now,
            buf: vec![0u8; 1500],
            received: 0,
            received_bytes: 0,
        };
        l.a.connect(now);
        l.b.connect(now);
        for _ in 0..10 {
            l.pump();
        }
        assert!(l.a.is_established() && l.b.is_established());
        while l.a.poll_event().is_some() {}
        while l.b.poll_event().is_some() {}
        l
    }

    /// Moves packets both ways until quiet, then lets 1 ms pass.
    fn pump(&mut self) {
        loop {
            let mut moved = false;
            while let Some(n) = self.a.poll_transmit(self.now, &mut self.buf) {
                self.b.handle_receive(self.now, &self.buf[..n]).unwrap();
                moved = true;
            }
            while let Some(n) = self.b.poll_transmit(self.now, &mut self.buf) {
                self.a.handle_receive(self.now, &self.buf[..n]).unwrap();
                moved = true;
            }
            while let Some(e) = self.b.poll_event() {
                if let Event::Message(m) = e {
                    self.received += 1;
                    self.received_bytes += m.data.len();
                    self.b.recycle(m.data);
                }
            }
            while self.a.poll_event().is_some() {}
            if !moved {
                break;
            }
        }
        self.now += Duration::from_millis(1);
        for x in [&mut self.a, &mut self.b] {
            if x.poll_timeout().is_some_and(|t| t <= self.now) {
                x.handle_timeout(self.now);
            }
        }
    }

    /// Sends `count` messages of `payload` and pumps until all arrived. The
    /// sender keeps at most `queue` bytes queued, so that after warm-up the
    /// congestion window and the number of buffers in use stop growing.
    fn transfer(&mut self, payload: &[u8], count: usize, unordered: bool, queue: usize) {
        let target = self.received + count;
        let mut sent = 0;
        while self.received < target {
            while sent < count && self.a.send_buffer_used() < queue {
                self.a
                    .send(self.now, 1, 53, payload, unordered, Reliability::Reliable)
                    .unwrap();
                sent += 1;
            }
            self.pump();
        }
    }
}

fn check(size: usize, warm: usize, measured: usize, unordered: bool, queue: usize) {
    let mut l = Loop::new();
    let payload: Vec<u8> = (0..size).map(|i| i as u8).collect();
    l.transfer(&payload, warm, unordered, queue);
    let bytes_before = l.received_bytes;
    let start = Instant::now();
    let allocs = allocations_during(|| l.transfer(&payload, measured, unordered, queue));
    let elapsed = start.elapsed();
    assert_eq!(l.received_bytes - bytes_before, size * measured);
    let secs = elapsed.as_secs_f64();
    println!(
        "sctp in-memory {size} B {}: {measured} messages in {:.3} s = {:.0} msg/s, {:.1} Mbit/s, {allocs} allocations",
        if unordered { "unordered" } else { "ordered" },
        secs,
        measured as f64 / secs,
        (size * measured * 8) as f64 / secs / 1e6
    );
    assert_eq!(
        allocs, 0,
        "allocations in steady state for {size}-byte messages"
    );
}

#[test]
fn no_allocations_for_small_messages() {
    check(64, 300_000, 50_000, false, 32 * 1024);
}

#[test]
fn no_allocations_for_1k_unordered_messages() {
    check(1024, 50_000, 20_000, true, 256 * 1024);
}

#[test]
fn no_allocations_for_64k_messages() {
    check(64 * 1024, 1500, 500, false, 256 * 1024);
}

#[test]
fn no_allocations_through_data_channels() {
    let now = Instant::now();
    let mut a = DataChannels::new(
        Config {
            seed: 5,
            ..Config::default()
        },
        DtlsRole::Client,
        now,
    );
    let mut b = DataChannels::new(
        Config {
            seed: 6,
            ..Config::default()
        },
        DtlsRole::Server,
        now,
    );
    a.connect(now);
    b.connect(now);
    let mut buf = vec![0u8; 1500];
    let mut t = now;
    let mut received = 0usize;
    let mut pump = |a: &mut DataChannels, b: &mut DataChannels, received: &mut usize| {
        loop {
            let mut moved = false;
            while let Some(n) = a.poll_transmit(t, &mut buf) {
                b.handle_receive(t, &buf[..n]).unwrap();
                moved = true;
            }
            while let Some(n) = b.poll_transmit(t, &mut buf) {
                a.handle_receive(t, &buf[..n]).unwrap();
                moved = true;
            }
            while let Some(e) = b.poll_event() {
                if let DataChannelEvent::Message { data, .. } = e {
                    *received += 1;
                    b.recycle(data);
                }
            }
            while a.poll_event().is_some() {}
            if !moved {
                break;
            }
        }
        t += Duration::from_millis(1);
        for x in [&mut *a, &mut *b] {
            if x.poll_timeout().is_some_and(|d| d <= t) {
                x.handle_timeout(t);
            }
        }
    };
    for _ in 0..10 {
        pump(&mut a, &mut b, &mut received);
    }
    let id = a.create_channel(now, ChannelOptions::default()).unwrap();
    let msg = [42u8; 1024];
    let mut run =
        |count: usize, a: &mut DataChannels, b: &mut DataChannels, received: &mut usize| {
            let target = *received + count;
            let mut sent = 0;
            while *received < target {
                while sent < count && a.association().send_buffer_used() < 64 * 1024 {
                    a.send(now, id, &msg, true).unwrap();
                    sent += 1;
                }
                pump(a, b, received);
            }
        };
    run(50_000, &mut a, &mut b, &mut received);
    let allocs = allocations_during(|| run(5000, &mut a, &mut b, &mut received));
    assert_eq!(allocs, 0);
}
