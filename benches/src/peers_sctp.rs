//! The work of [`crate::ops::SctpPair`] on the two other Rust SCTP stacks
//! (feature `peers`): str0m's `sctp-proto` 0.10 and webrtc-rs's
//! `rtc-sctp` 0.21. Same workload as zerortc's pair:
//!
//! - two associations in one process, A connects with the full four-way
//!   handshake (no out-of-band INIT), B accepts; 1200-byte SCTP packets
//!   (max DATA payload 1172 = 1200 − common header − DATA header, as
//!   zerortc's `mtu: 1200`), 4 MiB receive buffer, 256 KiB message limit;
//! - data from A to B on stream 1 with PPID 53 (binary), the channel kind
//!   set with `set_reliability_params` (ordered reliable; unordered
//!   reliable; unordered with 0 retransmissions);
//! - at most 1 MiB queued on A (`buffered_amount`), packets moved both
//!   ways until quiet, then 1 ms of virtual time and the timers that are
//!   due (the same pump as zerortc's);
//! - messages written with `write_with_ppi(&[u8])` (a copy into the
//!   stack, as zerortc's `send`) and read on B with `read_sctp` +
//!   `Chunks::read` into a reused buffer (a copy out; zerortc hands out a
//!   pooled buffer and takes it back).
//!
//! Packets travel as the `Bytes` the sender produced (no copy). Both
//! stacks compute and check CRC32c, as zerortc does here.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;

use crate::ops::{SEND_QUEUE_BYTES, SctpChannel, SctpWorkload};

/// Largest DATA payload per packet for a 1200-byte SCTP packet.
const MAX_PAYLOAD: u32 = 1200 - 12 - 16;
/// Receive buffer of both sides (zerortc's pair uses the same).
const RECEIVE_BUFFER: u32 = 4 * 1024 * 1024;
/// Message size limit (zerortc's default).
const MAX_MESSAGE: u32 = 256 * 1024;
/// The stream the suites send on.
const STREAM: u16 = 1;

fn addr_a() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 5000))
}

fn addr_b() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 5001))
}

fn payload(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7 + 3) as u8).collect()
}

/// The pair on `sctp-proto` 0.10 (str0m's SCTP).
pub mod proto {
    use super::*;
    use sctp_proto::{
        Association, AssociationHandle, ClientConfig, DatagramEvent, Endpoint, EndpointConfig,
        Event, Payload, PayloadProtocolIdentifier, ReliabilityType, ServerConfig, TransportConfig,
    };

    fn transport() -> Arc<TransportConfig> {
        Arc::new(
            TransportConfig::default()
                .with_max_receive_buffer_size(RECEIVE_BUFFER)
                .with_max_send_message_size(MAX_MESSAGE)
                .with_max_receive_message_size(MAX_MESSAGE),
        )
    }

    fn endpoint(server: bool) -> Endpoint {
        let mut config = EndpointConfig::new();
        config.max_payload_size(MAX_PAYLOAD);
        let server = server.then(|| {
            let mut s = ServerConfig::new();
            s.transport = transport();
            Arc::new(s)
        });
        Endpoint::new(Arc::new(config), server)
    }

    fn reliability(channel: SctpChannel) -> (bool, ReliabilityType) {
        match channel {
            SctpChannel::ReliableOrdered => (false, ReliabilityType::Reliable),
            SctpChannel::ReliableUnordered => (true, ReliabilityType::Reliable),
            SctpChannel::Unreliable => (true, ReliabilityType::Rexmit),
        }
    }

    /// One side: its endpoint, association and handle.
    struct Side {
        endpoint: Endpoint,
        assoc: Option<Association>,
        handle: Option<AssociationHandle>,
        remote: SocketAddr,
        connected: bool,
    }

    impl Side {
        /// Feeds one packet from the peer.
        fn receive(&mut self, now: Instant, data: Bytes) {
            let Some((handle, event)) = self.endpoint.handle(now, self.remote, None, None, data)
            else {
                return;
            };
            match event {
                DatagramEvent::NewAssociation(a) => {
                    self.assoc = Some(a);
                    self.handle = Some(handle);
                }
                DatagramEvent::AssociationEvent(e) => {
                    if let Some(a) = self.assoc.as_mut() {
                        a.handle_event(e);
                    }
                }
            }
        }

        /// Endpoint events, association events; true when anything moved.
        fn events(&mut self) {
            let Some(assoc) = self.assoc.as_mut() else {
                return;
            };
            while let Some(e) = assoc.poll_endpoint_event() {
                if let Some(handle) = self.handle
                    && let Some(back) = self.endpoint.handle_event(handle, e)
                {
                    assoc.handle_event(back);
                }
            }
            while let Some(e) = assoc.poll() {
                if matches!(e, Event::Connected) {
                    self.connected = true;
                }
            }
        }

        /// Moves every packet this side wants to send into `to`.
        fn send_to(&mut self, now: Instant, to: &mut Side) -> bool {
            let mut moved = false;
            self.events();
            loop {
                let t = self
                    .endpoint
                    .poll_transmit()
                    .or_else(|| self.assoc.as_mut().and_then(|a| a.poll_transmit(now)));
                let Some(t) = t else { break };
                if let Payload::RawEncode(packets) = t.payload {
                    for p in packets {
                        to.receive(now, p);
                        moved = true;
                    }
                }
            }
            moved
        }

        fn timers(&mut self, now: Instant) {
            if let Some(a) = self.assoc.as_mut()
                && a.poll_timeout().is_some_and(|t| t <= now)
            {
                a.handle_timeout(now);
            }
        }

        fn next_timeout(&self) -> Option<Instant> {
            self.assoc.as_ref().and_then(|a| a.poll_timeout())
        }
    }

    /// Two `sctp-proto` associations back to back, connected and warmed up.
    pub struct ProtoPair {
        a: Side,
        b: Side,
        now: Instant,
        payload: Vec<u8>,
        read_buf: Vec<u8>,
        accepted: bool,
        received: u64,
        received_bytes: u64,
    }

    impl ProtoPair {
        /// Connects (four-way handshake), opens stream 1 on A with the
        /// channel's reliability and sends 200 messages of `size` bytes.
        pub fn established(channel: SctpChannel, size: usize) -> Self {
            let now = Instant::now();
            let mut a = Side {
                endpoint: endpoint(false),
                assoc: None,
                handle: None,
                remote: addr_b(),
                connected: false,
            };
            let b = Side {
                endpoint: endpoint(true),
                assoc: None,
                handle: None,
                remote: addr_a(),
                connected: false,
            };
            let mut client = ClientConfig::new();
            client.transport = transport();
            let (handle, assoc) = a.endpoint.connect(client, addr_b()).expect("connect");
            a.assoc = Some(assoc);
            a.handle = Some(handle);
            let mut pair = ProtoPair {
                a,
                b,
                now,
                payload: payload(size),
                read_buf: vec![0; MAX_MESSAGE as usize],
                accepted: false,
                received: 0,
                received_bytes: 0,
            };
            for _ in 0..20 {
                if pair.a.connected && pair.b.connected {
                    break;
                }
                pair.pump();
            }
            assert!(pair.a.connected && pair.b.connected, "sctp-proto connects");
            let (unordered, kind) = reliability(channel);
            let assoc = pair.a.assoc.as_mut().expect("association");
            assoc
                .open_stream(STREAM, PayloadProtocolIdentifier::Binary)
                .expect("open stream")
                .set_reliability_params(unordered, kind, 0)
                .expect("reliability");
            assoc.set_max_send_message_size(MAX_MESSAGE);
            assert_eq!(pair.transfer(200), 200 * size as u64);
            pair
        }

        fn buffered(&mut self) -> usize {
            self.a
                .assoc
                .as_mut()
                .and_then(|a| a.stream(STREAM).ok())
                .and_then(|s| s.buffered_amount().ok())
                .unwrap_or(0)
        }

        fn write(&mut self) {
            let mut stream = self
                .a
                .assoc
                .as_mut()
                .expect("association")
                .stream(STREAM)
                .expect("stream");
            stream
                .write_with_ppi(&self.payload, PayloadProtocolIdentifier::Binary)
                .expect("write");
        }

        /// Reads every message B has; returns how many.
        fn read(&mut self) -> u64 {
            let Some(assoc) = self.b.assoc.as_mut() else {
                return 0;
            };
            if !self.accepted {
                self.accepted = assoc.accept_stream().is_some();
            }
            let Ok(mut stream) = assoc.stream(STREAM) else {
                return 0;
            };
            let mut n = 0;
            while let Ok(Some(chunks)) = stream.read_sctp() {
                let len = chunks.read(&mut self.read_buf).expect("read");
                std::hint::black_box(&self.read_buf[..len]);
                self.received_bytes += len as u64;
                n += 1;
            }
            self.received += n;
            n
        }

        fn exchange(&mut self) {
            loop {
                let mut moved = self.a.send_to(self.now, &mut self.b);
                self.b.events();
                self.read();
                moved |= self.b.send_to(self.now, &mut self.a);
                self.a.events();
                if !moved {
                    break;
                }
            }
        }

        fn pump(&mut self) {
            self.exchange();
            self.now += Duration::from_millis(1);
            self.a.timers(self.now);
            self.b.timers(self.now);
        }
    }

    impl SctpWorkload for ProtoPair {
        fn transfer(&mut self, count: u64) -> u64 {
            let target = self.received + count;
            let bytes = self.received_bytes;
            let mut sent = 0;
            let mut idle = 0;
            while self.received < target {
                while sent < count && self.buffered() < SEND_QUEUE_BYTES {
                    self.write();
                    sent += 1;
                }
                let before = self.received;
                self.pump();
                idle = if self.received == before { idle + 1 } else { 0 };
                assert!(idle < 10_000, "sctp-proto transfer stalled");
            }
            self.received_bytes - bytes
        }

        fn one_way(&mut self) -> Duration {
            let start = Instant::now();
            self.write();
            let elapsed = loop {
                let t = self
                    .a
                    .assoc
                    .as_mut()
                    .and_then(|a| a.poll_transmit(self.now));
                let Some(t) = t else {
                    panic!("sctp-proto sent nothing for a queued message");
                };
                if let Payload::RawEncode(packets) = t.payload {
                    for p in packets {
                        self.b.receive(self.now, p);
                    }
                }
                self.b.events();
                if self.read() > 0 {
                    break start.elapsed();
                }
            };
            for _ in 0..1000 {
                self.exchange();
                if self.buffered() == 0 {
                    return elapsed;
                }
                let next = [self.a.next_timeout(), self.b.next_timeout()]
                    .into_iter()
                    .flatten()
                    .min();
                if let Some(t) = next.filter(|t| *t > self.now) {
                    self.now = t;
                }
                self.a.timers(self.now);
                self.b.timers(self.now);
            }
            panic!("sctp-proto: the message was never acknowledged");
        }

        fn received(&self) -> u64 {
            self.received
        }
    }
}

/// The pair on webrtc-rs `rtc-sctp` 0.21.
pub mod rtc {
    use super::*;
    use rtc_sctp::{
        Association, AssociationHandle, ClientConfig, DatagramEvent, Endpoint, EndpointConfig,
        Event, Payload, PayloadProtocolIdentifier, ReliabilityType, ServerConfig, TransportConfig,
    };
    use rtc_shared::TransportProtocol;

    fn transport() -> TransportConfig {
        TransportConfig::default()
            .with_max_receive_buffer_size(RECEIVE_BUFFER)
            .with_max_message_size(MAX_MESSAGE)
    }

    fn endpoint(local: SocketAddr, server: bool) -> Endpoint {
        let mut config = EndpointConfig::new();
        config.max_payload_size(MAX_PAYLOAD);
        let server = server.then(|| Arc::new(ServerConfig::new(transport())));
        Endpoint::new(local, TransportProtocol::UDP, Arc::new(config), server)
    }

    fn reliability(channel: SctpChannel) -> (bool, ReliabilityType) {
        match channel {
            SctpChannel::ReliableOrdered => (false, ReliabilityType::Reliable),
            SctpChannel::ReliableUnordered => (true, ReliabilityType::Reliable),
            SctpChannel::Unreliable => (true, ReliabilityType::Rexmit),
        }
    }

    struct Side {
        endpoint: Endpoint,
        assoc: Option<Association>,
        handle: Option<AssociationHandle>,
        remote: SocketAddr,
        connected: bool,
    }

    impl Side {
        fn receive(&mut self, now: Instant, data: Bytes) {
            let Some((handle, event)) = self.endpoint.handle(now, self.remote, None, data) else {
                return;
            };
            match event {
                DatagramEvent::NewAssociation(a) => {
                    self.assoc = Some(a);
                    self.handle = Some(handle);
                }
                DatagramEvent::AssociationEvent(e) => {
                    if let Some(a) = self.assoc.as_mut() {
                        a.handle_event(e);
                    }
                }
                _ => {}
            }
        }

        fn events(&mut self) {
            let Some(assoc) = self.assoc.as_mut() else {
                return;
            };
            while let Some(e) = assoc.poll_endpoint_event() {
                if let Some(handle) = self.handle {
                    self.endpoint.handle_event(handle, e);
                }
            }
            while let Some(e) = assoc.poll() {
                if matches!(e, Event::Connected) {
                    self.connected = true;
                }
            }
        }

        fn send_to(&mut self, now: Instant, to: &mut Side) -> bool {
            let mut moved = false;
            self.events();
            let Some(assoc) = self.assoc.as_mut() else {
                return false;
            };
            while let Some(t) = assoc.poll_transmit(now) {
                if let Payload::RawEncode(packets) = t.message {
                    for p in packets {
                        to.receive(now, p);
                        moved = true;
                    }
                }
            }
            moved
        }

        fn timers(&mut self, now: Instant) {
            if let Some(a) = self.assoc.as_mut()
                && a.poll_timeout().is_some_and(|t| t <= now)
            {
                a.handle_timeout(now);
            }
        }

        fn next_timeout(&self) -> Option<Instant> {
            self.assoc.as_ref().and_then(|a| a.poll_timeout())
        }
    }

    /// Two `rtc-sctp` associations back to back, connected and warmed up.
    pub struct RtcPair {
        a: Side,
        b: Side,
        now: Instant,
        payload: Vec<u8>,
        read_buf: Vec<u8>,
        accepted: bool,
        received: u64,
        received_bytes: u64,
    }

    impl RtcPair {
        /// Connects (four-way handshake), opens stream 1 on A with the
        /// channel's reliability and sends 200 messages of `size` bytes.
        pub fn established(channel: SctpChannel, size: usize) -> Self {
            let now = Instant::now();
            let mut a = Side {
                endpoint: endpoint(addr_a(), false),
                assoc: None,
                handle: None,
                remote: addr_b(),
                connected: false,
            };
            let b = Side {
                endpoint: endpoint(addr_b(), true),
                assoc: None,
                handle: None,
                remote: addr_a(),
                connected: false,
            };
            let (handle, assoc) = a
                .endpoint
                .connect(now, ClientConfig::new(transport()), addr_b())
                .expect("connect");
            a.assoc = Some(assoc);
            a.handle = Some(handle);
            let mut pair = RtcPair {
                a,
                b,
                now,
                payload: payload(size),
                read_buf: vec![0; MAX_MESSAGE as usize],
                accepted: false,
                received: 0,
                received_bytes: 0,
            };
            for _ in 0..20 {
                if pair.a.connected && pair.b.connected {
                    break;
                }
                pair.pump();
            }
            assert!(pair.a.connected && pair.b.connected, "rtc-sctp connects");
            let (unordered, kind) = reliability(channel);
            pair.a
                .assoc
                .as_mut()
                .expect("association")
                .open_stream(STREAM, PayloadProtocolIdentifier::Binary)
                .expect("open stream")
                .set_reliability_params(unordered, kind, 0)
                .expect("reliability");
            assert_eq!(pair.transfer(200), 200 * size as u64);
            pair
        }

        fn buffered(&mut self) -> usize {
            self.a
                .assoc
                .as_mut()
                .and_then(|a| a.stream(STREAM).ok())
                .and_then(|s| s.buffered_amount().ok())
                .unwrap_or(0)
        }

        fn write(&mut self) {
            let now = self.now;
            let mut stream = self
                .a
                .assoc
                .as_mut()
                .expect("association")
                .stream(STREAM)
                .expect("stream");
            stream
                .write_with_ppi(now, &self.payload, PayloadProtocolIdentifier::Binary)
                .expect("write");
        }

        fn read(&mut self) -> u64 {
            let Some(assoc) = self.b.assoc.as_mut() else {
                return 0;
            };
            if !self.accepted {
                self.accepted = assoc.accept_stream().is_some();
            }
            let Ok(mut stream) = assoc.stream(STREAM) else {
                return 0;
            };
            let mut n = 0;
            while let Ok(Some(chunks)) = stream.read_sctp() {
                let len = chunks.read(&mut self.read_buf).expect("read");
                std::hint::black_box(&self.read_buf[..len]);
                self.received_bytes += len as u64;
                n += 1;
            }
            self.received += n;
            n
        }

        fn exchange(&mut self) {
            loop {
                let mut moved = self.a.send_to(self.now, &mut self.b);
                self.b.events();
                self.read();
                moved |= self.b.send_to(self.now, &mut self.a);
                self.a.events();
                if !moved {
                    break;
                }
            }
        }

        fn pump(&mut self) {
            self.exchange();
            self.now += Duration::from_millis(1);
            self.a.timers(self.now);
            self.b.timers(self.now);
        }
    }

    impl SctpWorkload for RtcPair {
        fn transfer(&mut self, count: u64) -> u64 {
            let target = self.received + count;
            let bytes = self.received_bytes;
            let mut sent = 0;
            let mut idle = 0;
            while self.received < target {
                while sent < count && self.buffered() < SEND_QUEUE_BYTES {
                    self.write();
                    sent += 1;
                }
                let before = self.received;
                self.pump();
                idle = if self.received == before { idle + 1 } else { 0 };
                assert!(idle < 10_000, "rtc-sctp transfer stalled");
            }
            self.received_bytes - bytes
        }

        fn one_way(&mut self) -> Duration {
            let start = Instant::now();
            self.write();
            let elapsed = loop {
                let now = self.now;
                let t = self.a.assoc.as_mut().and_then(|a| a.poll_transmit(now));
                let Some(t) = t else {
                    panic!("rtc-sctp sent nothing for a queued message");
                };
                if let Payload::RawEncode(packets) = t.message {
                    for p in packets {
                        self.b.receive(now, p);
                    }
                }
                self.b.events();
                if self.read() > 0 {
                    break start.elapsed();
                }
            };
            for _ in 0..1000 {
                self.exchange();
                if self.buffered() == 0 {
                    return elapsed;
                }
                let next = [self.a.next_timeout(), self.b.next_timeout()]
                    .into_iter()
                    .flatten()
                    .min();
                if let Some(t) = next.filter(|t| *t > self.now) {
                    self.now = t;
                }
                self.a.timers(self.now);
                self.b.timers(self.now);
            }
            panic!("rtc-sctp: the message was never acknowledged");
        }

        fn received(&self) -> u64 {
            self.received
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::{SCTP_SIZES, SctpPair};

    fn check(pair: &mut dyn SctpWorkload, size: usize) {
        assert_eq!(pair.received(), 200);
        assert_eq!(pair.transfer(50), 50 * size as u64);
        assert_eq!(pair.received(), 250);
        if size <= 16 * 1024 {
            for i in 1..=5 {
                pair.one_way();
                assert_eq!(pair.received(), 250 + i);
            }
        }
    }

    #[test]
    fn every_stack_delivers_every_channel_and_size() {
        for channel in SctpChannel::ALL {
            for (_, size) in SCTP_SIZES {
                check(
                    &mut SctpPair::established(channel, size).expect("zerortc"),
                    size,
                );
                check(&mut proto::ProtoPair::established(channel, size), size);
                check(&mut rtc::RtcPair::established(channel, size), size);
            }
        }
    }
}
