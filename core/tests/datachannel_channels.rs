//! Data channels over two SCTP associations under the network simulator:
//! DCEP open with id parity, negotiated channels, string / binary / empty
//! messages, reliable and partial-reliable channels under loss, many
//! channels, close and reopen, abort.

mod netsim;

use std::time::{Duration, Instant};

use netsim::{Endpoint, LinkConfig, NetSim, drive};
use zerortc::datachannel::{
    ChannelOptions, ChannelReliability, ChannelState, DataChannelError, DataChannelEvent,
    DataChannels, DtlsRole,
};
use zerortc::sctp::{AbortReason, Config};

struct Peer {
    dc: DataChannels,
    events: Vec<DataChannelEvent>,
}

impl Peer {
    fn messages(&self, id: u16) -> Vec<(bool, Vec<u8>)> {
        self.events
            .iter()
            .filter_map(|e| match e {
                DataChannelEvent::Message {
                    id: i,
                    binary,
                    data,
                } if *i == id => Some((*binary, data.clone())),
                _ => None,
            })
            .collect()
    }
    fn has(&self, e: &DataChannelEvent) -> bool {
        self.events.contains(e)
    }
}

impl Endpoint for Peer {
    fn receive(&mut self, now: Instant, datagram: &[u8]) {
        let _ = self.dc.handle_receive(now, datagram);
        while let Some(e) = self.dc.poll_event() {
            self.events.push(e);
        }
    }
    fn transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        self.dc.poll_transmit(now, buf)
    }
    fn next_timeout(&self) -> Option<Instant> {
        self.dc.poll_timeout()
    }
    fn timeout(&mut self, now: Instant) {
        self.dc.handle_timeout(now);
        while let Some(e) = self.dc.poll_event() {
            self.events.push(e);
        }
    }
}

fn link(loss: f64) -> LinkConfig {
    LinkConfig {
        loss,
        delay: Duration::from_millis(15),
        jitter: Duration::from_millis(5),
        mtu: Some(1200),
        oversize_is_error: true,
        ..LinkConfig::default()
    }
}

/// Client (even ids) and server (odd ids), not yet connected.
fn peers(seed: u64, link: LinkConfig) -> (NetSim, Peer, Peer) {
    let sim = NetSim::new(seed, link);
    let now = sim.now();
    let cfg = |s| Config {
        seed: s,
        ..Config::default()
    };
    let a = Peer {
        dc: DataChannels::new(cfg(seed * 2 + 1), DtlsRole::Client, now),
        events: Vec::new(),
    };
    let b = Peer {
        dc: DataChannels::new(cfg(seed * 2 + 2), DtlsRole::Server, now),
        events: Vec::new(),
    };
    (sim, a, b)
}

fn connect(sim: &mut NetSim, a: &mut Peer, b: &mut Peer) {
    a.dc.connect(sim.now());
    b.dc.connect(sim.now());
    let deadline = sim.now() + Duration::from_secs(60);
    assert!(drive(sim, a, b, deadline, |_, a, b| {
        a.has(&DataChannelEvent::Connected) && b.has(&DataChannelEvent::Connected)
    }));
}

fn run(
    sim: &mut NetSim,
    a: &mut Peer,
    b: &mut Peer,
    secs: u64,
    done: impl FnMut(&mut NetSim, &mut Peer, &mut Peer) -> bool,
) {
    let deadline = sim.now() + Duration::from_secs(secs);
    assert!(
        drive(sim, a, b, deadline, done),
        "condition not reached in {secs} s"
    );
}

fn options(label: &str) -> ChannelOptions {
    ChannelOptions {
        label: label.into(),
        protocol: "proto".into(),
        ..ChannelOptions::default()
    }
}

#[test]
fn dcep_open_with_parity_labels_and_messages() {
    let (mut sim, mut a, mut b) = peers(1, link(0.0));
    // Created before the association is up: opened once it is.
    let ca =
        a.dc.create_channel(sim.now(), options("from-client"))
            .unwrap();
    assert_eq!(ca, 0, "DTLS client uses even ids");
    assert_eq!(a.dc.channel(ca).unwrap().state, ChannelState::Connecting);
    assert_eq!(
        a.dc.send(sim.now(), ca, b"early", true),
        Err(DataChannelError::NotOpen(ca))
    );
    connect(&mut sim, &mut a, &mut b);
    assert!(a.has(&DataChannelEvent::Open {
        id: 0,
        remote: false
    }));
    let cb =
        b.dc.create_channel(sim.now(), options("from-server"))
            .unwrap();
    assert_eq!(cb, 1, "DTLS server uses odd ids");
    let now = sim.now();
    a.dc.send(now, ca, b"hello", false).unwrap();
    a.dc.send(now, ca, &[1, 2, 3], true).unwrap();
    a.dc.send(now, ca, b"", false).unwrap();
    a.dc.send(now, ca, b"", true).unwrap();
    b.dc.send(now, cb, b"back", false).unwrap();
    run(&mut sim, &mut a, &mut b, 10, |_, a, b| {
        b.messages(0).len() == 4 && a.messages(1).len() == 1
    });
    assert!(b.has(&DataChannelEvent::Open {
        id: 0,
        remote: true
    }));
    let info = b.dc.channel(0).unwrap();
    assert_eq!(
        (info.label.as_str(), info.protocol.as_str()),
        ("from-client", "proto")
    );
    assert!(info.remote && info.ordered && info.reliability == ChannelReliability::Reliable);
    assert_eq!(info.priority, 256);
    assert_eq!(
        b.messages(0),
        [
            (false, b"hello".to_vec()),
            (true, vec![1, 2, 3]),
            (false, vec![]),
            (true, vec![])
        ]
    );
    assert_eq!(a.messages(1), [(false, b"back".to_vec())]);
    assert_eq!(a.dc.channel(1).unwrap().label, "from-server");
}

#[test]
fn negotiated_channels_need_no_dcep() {
    let (mut sim, mut a, mut b) = peers(2, link(0.0));
    connect(&mut sim, &mut a, &mut b);
    let opts = ChannelOptions {
        negotiated: Some(7),
        ordered: false,
        ..options("neg")
    };
    assert_eq!(a.dc.create_channel(sim.now(), opts.clone()).unwrap(), 7);
    assert_eq!(b.dc.create_channel(sim.now(), opts.clone()).unwrap(), 7);
    assert_eq!(
        a.dc.create_channel(sim.now(), opts),
        Err(DataChannelError::IdInUse(7))
    );
    a.dc.send(sim.now(), 7, b"neg!", true).unwrap();
    run(&mut sim, &mut a, &mut b, 10, |_, _, b| {
        b.messages(7).len() == 1
    });
    assert!(
        !b.events
            .iter()
            .any(|e| matches!(e, DataChannelEvent::Open { remote: true, .. }))
    );
}

#[test]
fn reliable_channels_under_loss_deliver_everything_in_order() {
    for (seed, loss) in [(10, 0.01), (11, 0.05), (12, 0.10)] {
        let (mut sim, mut a, mut b) = peers(seed, link(loss));
        connect(&mut sim, &mut a, &mut b);
        let ids: Vec<u16> = (0..4)
            .map(|i| {
                a.dc.create_channel(sim.now(), options(&format!("c{i}")))
                    .unwrap()
            })
            .collect();
        let count = 200;
        let mut next = 0;
        let msg = |i: usize| -> Vec<u8> {
            let len = [10, 1000, 5000, 64 * 1024][i % 4];
            (0..len).map(|k| (i * 7 + k) as u8).collect()
        };
        run(&mut sim, &mut a, &mut b, 3600, |sim, a, b| {
            while next < count && a.dc.association().send_buffer_used() < 300_000 {
                a.dc.send(sim.now(), ids[next % 4], &msg(next), true)
                    .unwrap();
                next += 1;
            }
            ids.iter().map(|&id| b.messages(id).len()).sum::<usize>() == count
        });
        for (k, &id) in ids.iter().enumerate() {
            let got = b.messages(id);
            assert_eq!(got.len(), count / 4);
            for (j, (binary, data)) in got.iter().enumerate() {
                assert!(binary);
                assert!(
                    *data == msg(k + 4 * j),
                    "loss {loss}: channel {id} message {j}"
                );
            }
        }
    }
}

#[test]
fn partial_reliable_unordered_channel_drops_only_within_policy() {
    let (mut sim, mut a, mut b) = peers(3, link(0.15));
    connect(&mut sim, &mut a, &mut b);
    let opts = ChannelOptions {
        ordered: false,
        reliability: ChannelReliability::MaxRetransmits(0),
        ..options("game")
    };
    let id = a.dc.create_channel(sim.now(), opts).unwrap();
    // Wait for the ACK so that unordered sending starts.
    run(&mut sim, &mut a, &mut b, 10, |_, _, b| {
        b.has(&DataChannelEvent::Open { id, remote: true })
    });
    let info = b.dc.channel(id).unwrap();
    assert!(!info.ordered);
    assert_eq!(info.reliability, ChannelReliability::MaxRetransmits(0));
    let count = 400u32;
    let mut next = 0u32;
    run(&mut sim, &mut a, &mut b, 600, |sim, a, _| {
        while next < count && a.dc.association().send_buffer_used() < 20_000 {
            let mut m = next.to_be_bytes().to_vec();
            m.resize(600, next as u8);
            a.dc.send(sim.now(), id, &m, true).unwrap();
            next += 1;
        }
        next == count && a.dc.association().send_buffer_used() == 0
    });
    let got = b.messages(id);
    let mut seen = vec![false; count as usize];
    for (_, m) in &got {
        let i = u32::from_be_bytes(m[..4].try_into().unwrap());
        assert!(m[4..].iter().all(|&x| x == i as u8), "intact");
        assert!(!seen[i as usize], "once");
        seen[i as usize] = true;
    }
    assert!(
        got.len() < count as usize,
        "15 % loss without retransmissions drops some"
    );
    assert!(got.len() > count as usize / 2);
}

#[test]
fn a_thousand_channels() {
    let (mut sim, mut a, mut b) = peers(4, link(0.01));
    connect(&mut sim, &mut a, &mut b);
    let ids: Vec<u16> = (0..1000)
        .map(|i| {
            a.dc.create_channel(sim.now(), options(&format!("ch{i}")))
                .unwrap()
        })
        .collect();
    assert_eq!(ids[999], 1998);
    for &id in &ids {
        a.dc.send(sim.now(), id, &id.to_be_bytes(), true).unwrap();
    }
    run(&mut sim, &mut a, &mut b, 600, |_, _, b| {
        b.events
            .iter()
            .filter(|e| matches!(e, DataChannelEvent::Message { .. }))
            .count()
            == 1000
    });
    for &id in &ids {
        assert_eq!(b.messages(id), [(true, id.to_be_bytes().to_vec())]);
        assert_eq!(b.dc.channel(id).unwrap().label, format!("ch{}", id / 2));
    }
}

#[test]
fn close_and_reopen() {
    let (mut sim, mut a, mut b) = peers(5, link(0.05));
    connect(&mut sim, &mut a, &mut b);
    let id = a.dc.create_channel(sim.now(), options("first")).unwrap();
    for i in 0..10u8 {
        a.dc.send(sim.now(), id, &[i; 300], true).unwrap();
    }
    a.dc.close(id).unwrap();
    assert_eq!(a.dc.channel(id).unwrap().state, ChannelState::Closing);
    assert!(matches!(
        a.dc.send(sim.now(), id, b"x", true),
        Err(DataChannelError::NotOpen(_))
    ));
    run(&mut sim, &mut a, &mut b, 60, |_, a, b| {
        a.has(&DataChannelEvent::Closed { id }) && b.has(&DataChannelEvent::Closed { id })
    });
    // Everything sent before close arrived, in order.
    let got = b.messages(id);
    assert_eq!(got.len(), 10);
    for (i, (_, m)) in got.iter().enumerate() {
        assert_eq!(m, &vec![i as u8; 300]);
    }
    assert!(a.dc.channel(id).is_none() && b.dc.channel(id).is_none());
    // The id is free again: a new channel takes it, SSNs restart.
    a.events.clear();
    b.events.clear();
    let again = a.dc.create_channel(sim.now(), options("second")).unwrap();
    assert_eq!(again, id);
    a.dc.send(sim.now(), again, b"reborn", false).unwrap();
    run(&mut sim, &mut a, &mut b, 60, |_, _, b| {
        b.messages(again).len() == 1
    });
    assert_eq!(b.dc.channel(again).unwrap().label, "second");
    assert_eq!(b.messages(again), [(false, b"reborn".to_vec())]);
}

#[test]
fn remote_close_closes_both_sides() {
    let (mut sim, mut a, mut b) = peers(6, link(0.0));
    connect(&mut sim, &mut a, &mut b);
    let id = a.dc.create_channel(sim.now(), options("x")).unwrap();
    run(&mut sim, &mut a, &mut b, 10, |_, _, b| {
        b.has(&DataChannelEvent::Open { id, remote: true })
    });
    b.dc.close(id).unwrap();
    run(&mut sim, &mut a, &mut b, 30, |_, a, b| {
        a.has(&DataChannelEvent::Closed { id }) && b.has(&DataChannelEvent::Closed { id })
    });
}

#[test]
fn abort_closes_every_channel() {
    let (mut sim, mut a, mut b) = peers(7, link(0.0));
    connect(&mut sim, &mut a, &mut b);
    let x = a.dc.create_channel(sim.now(), options("x")).unwrap();
    let y = a.dc.create_channel(sim.now(), options("y")).unwrap();
    run(&mut sim, &mut a, &mut b, 10, |_, _, b| {
        b.dc.channel(y).is_some()
    });
    a.dc.association_mut().abort(b"bye");
    run(&mut sim, &mut a, &mut b, 10, |_, _, b| {
        b.has(&DataChannelEvent::AssociationAborted(AbortReason::Peer))
    });
    for p in [&a, &b] {
        assert!(
            p.has(&DataChannelEvent::Closed { id: x })
                && p.has(&DataChannelEvent::Closed { id: y })
        );
        assert_eq!(p.dc.channel_ids().count(), 0);
    }
}

#[test]
fn buffered_amount_low_per_channel() {
    let (mut sim, mut a, mut b) = peers(8, link(0.0));
    connect(&mut sim, &mut a, &mut b);
    let id = a.dc.create_channel(sim.now(), options("bulk")).unwrap();
    a.dc.set_buffered_amount_low_threshold(id, 16 * 1024);
    for _ in 0..8 {
        a.dc.send(sim.now(), id, &[7u8; 16 * 1024], true).unwrap();
    }
    assert!(a.dc.buffered_amount(id) > 16 * 1024);
    run(&mut sim, &mut a, &mut b, 10, |_, a, _| {
        a.has(&DataChannelEvent::BufferedAmountLow { id })
    });
    assert!(a.dc.buffered_amount(id) <= 16 * 1024);
}

#[test]
fn peer_restart_closes_channels() {
    let (mut sim, mut a, mut b) = peers(9, link(0.0));
    connect(&mut sim, &mut a, &mut b);
    let id = a.dc.create_channel(sim.now(), options("before")).unwrap();
    run(&mut sim, &mut a, &mut b, 10, |_, _, b| {
        b.dc.channel(id).is_some()
    });
    // b loses its state and starts over.
    let now = sim.now();
    b = Peer {
        dc: DataChannels::new(
            Config {
                seed: 99,
                ..Config::default()
            },
            DtlsRole::Server,
            now,
        ),
        events: Vec::new(),
    };
    b.dc.connect(now);
    run(&mut sim, &mut a, &mut b, 30, |_, a, b| {
        a.has(&DataChannelEvent::AssociationRestarted) && b.has(&DataChannelEvent::Connected)
    });
    assert!(a.has(&DataChannelEvent::Closed { id }));
    assert!(a.dc.channel(id).is_none());
    // New channels work after the restart.
    let again = a.dc.create_channel(sim.now(), options("after")).unwrap();
    a.dc.send(sim.now(), again, b"new life", false).unwrap();
    run(&mut sim, &mut a, &mut b, 10, |_, _, b| {
        b.messages(again).len() == 1
    });
}
