//! Two SCTP associations back to back in memory, on one core, with a
//! virtual clock: the data channel transport without DTLS.

use std::time::{Duration, Instant};

use zerortc::sctp::{Association, Config, Event, Reliability, SctpError};

/// Payload protocol id of a binary data channel message (RFC 8831 §8).
pub const PPID_BINARY: u32 = 53;

/// Most bytes the sender keeps queued (unsent + unacknowledged) during a
/// transfer: enough to keep the pipe full, bounded so the congestion
/// window and the number of pooled buffers stop growing after warm-up.
pub const SEND_QUEUE_BYTES: usize = 1024 * 1024;

/// The channel kinds the suites measure (RFC 8831 §6.1 reliability).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SctpChannel {
    /// Reliable, ordered (the data channel default).
    ReliableOrdered,
    /// Reliable, unordered.
    ReliableUnordered,
    /// Unordered with `maxRetransmits: 0` (partial reliability, RFC 3758).
    Unreliable,
}

impl SctpChannel {
    /// All three, in report order.
    pub const ALL: [SctpChannel; 3] = [
        SctpChannel::ReliableOrdered,
        SctpChannel::ReliableUnordered,
        SctpChannel::Unreliable,
    ];

    /// Name used in figure keys.
    pub fn id(self) -> &'static str {
        match self {
            SctpChannel::ReliableOrdered => "reliable_ordered",
            SctpChannel::ReliableUnordered => "reliable_unordered",
            SctpChannel::Unreliable => "unreliable",
        }
    }

    fn unordered(self) -> bool {
        !matches!(self, SctpChannel::ReliableOrdered)
    }

    fn reliability(self) -> Reliability {
        match self {
            SctpChannel::Unreliable => Reliability::MaxRetransmits(0),
            _ => Reliability::Reliable,
        }
    }
}

/// Message sizes of the suites: 64 B, 1 KiB, 16 KiB, 64 KiB.
pub const SCTP_SIZES: [(&str, usize); 4] = [
    ("64", 64),
    ("1024", 1024),
    ("16384", 16 * 1024),
    ("65536", 64 * 1024),
];

/// How SCTP packets travel between the two associations of an
/// [`SctpPair`]: handed over as they are ([`Plain`]) or as DTLS 1.2
/// application records ([`DtlsWire`], RFC 8261).
pub trait Wire {
    /// What can go wrong on the way (SCTP errors included).
    type Error: From<SctpError> + std::fmt::Debug;

    /// Carries one SCTP packet written by A (`a_to_b`) or by B to the
    /// other association `to`.
    fn carry(
        &mut self,
        now: Instant,
        a_to_b: bool,
        packet: &[u8],
        to: &mut Association,
    ) -> Result<(), Self::Error>;
}

/// SCTP packets handed over as they are (SCTP alone, in memory).
#[derive(Debug, Clone, Copy, Default)]
pub struct Plain;

impl Wire for Plain {
    type Error = SctpError;

    #[inline(always)]
    fn carry(
        &mut self,
        now: Instant,
        _a_to_b: bool,
        packet: &[u8],
        to: &mut Association,
    ) -> Result<(), SctpError> {
        to.handle_receive(now, packet)
    }
}

/// Two established associations (A sends, B receives) with default
/// WebRTC settings (1200-byte packets), a virtual clock and the message
/// being sent, joined by a [`Wire`]: [`SctpPair`] is the one over
/// [`Plain`], [`sctp_over_dtls`](super::sctp_over_dtls) builds one over
/// [`DtlsWire`](super::DtlsWire).
///
/// [`SctpLink::transfer`] sends `count` messages from A and moves packets
/// both ways (data one way, SACKs the other) until B has delivered all of
/// them and recycled their buffers: what one message costs end to end.
#[derive(Debug)]
pub struct SctpLink<W: Wire> {
    a: Association,
    b: Association,
    wire: W,
    now: Instant,
    buf: Vec<u8>,
    payload: Vec<u8>,
    channel: SctpChannel,
    received: u64,
    received_bytes: u64,
}

/// The association settings of the suites: `seed`, the receive window
/// raised to 4 MiB, and RFC 9653 zero checksum offered when `zero_checksum`.
pub fn sctp_config(seed: u64, zero_checksum: bool) -> Config {
    Config {
        seed,
        receive_window: 4 * 1024 * 1024,
        zero_checksum,
        ..Config::default()
    }
}

/// Two associations back to back over [`Plain`] (SCTP alone, CRC32c
/// computed and checked): an [`SctpLink`] whose methods are compiled once
/// here, so the instruction counts of `sctp_ir` do not depend on the
/// crate that calls them.
#[derive(Debug)]
pub struct SctpPair(SctpLink<Plain>);

impl SctpPair {
    /// Builds and connects the pair, then warms it up with 200 messages of
    /// `size` bytes on `channel` (pools and congestion window at their
    /// working size).
    pub fn established(channel: SctpChannel, size: usize) -> Result<SctpPair, SctpError> {
        SctpLink::with_wire(Plain, false, channel, size).map(SctpPair)
    }

    /// Messages B has delivered so far.
    pub fn received(&self) -> u64 {
        self.0.received()
    }

    /// Bytes B has delivered so far.
    pub fn received_bytes(&self) -> u64 {
        self.0.received_bytes()
    }

    /// The size of the messages sent.
    pub fn message_len(&self) -> usize {
        self.0.message_len()
    }

    /// The sending association (A).
    pub fn sender(&self) -> &Association {
        self.0.sender()
    }

    /// See [`SctpLink::transfer`].
    pub fn transfer(&mut self, count: u64) -> Result<u64, SctpError> {
        self.0.transfer(count)
    }

    /// See [`SctpLink::one_way`].
    pub fn one_way(&mut self) -> Result<Duration, SctpError> {
        self.0.one_way()
    }
}

impl<W: Wire> SctpLink<W> {
    /// [`SctpPair::established`] over `wire`; `zero_checksum` offers
    /// RFC 9653 zero checksum on both sides (meant for SCTP over DTLS).
    pub fn with_wire(
        wire: W,
        zero_checksum: bool,
        channel: SctpChannel,
        size: usize,
    ) -> Result<SctpLink<W>, W::Error> {
        let now = Instant::now();
        let payload = (0..size).map(|i| (i * 7 + 3) as u8).collect();
        let mut pair = SctpLink {
            a: Association::new(sctp_config(0x5c7a, zero_checksum), now),
            b: Association::new(sctp_config(0x5c7b, zero_checksum), now),
            wire,
            now,
            buf: vec![0; 1500],
            payload,
            channel,
            received: 0,
            received_bytes: 0,
        };
        pair.a.connect(now);
        for _ in 0..20 {
            if pair.a.is_established() && pair.b.is_established() {
                break;
            }
            pair.pump()?;
        }
        if !(pair.a.is_established() && pair.b.is_established()) {
            return Err(SctpError::NotEstablished.into());
        }
        while pair.a.poll_event().is_some() {}
        while pair.b.poll_event().is_some() {}
        pair.transfer(200)?;
        Ok(pair)
    }

    /// Messages B has delivered so far.
    pub fn received(&self) -> u64 {
        self.received
    }

    /// Bytes B has delivered so far.
    pub fn received_bytes(&self) -> u64 {
        self.received_bytes
    }

    /// The size of the messages sent.
    pub fn message_len(&self) -> usize {
        self.payload.len()
    }

    /// The sending association (A).
    pub fn sender(&self) -> &Association {
        &self.a
    }

    /// The wire between the two associations.
    pub fn wire(&self) -> &W {
        &self.wire
    }

    /// Sends `count` messages and moves packets until B delivered them
    /// all. Returns the number of bytes delivered.
    pub fn transfer(&mut self, count: u64) -> Result<u64, W::Error> {
        let target = self.received + count;
        let bytes = self.received_bytes;
        let mut sent = 0;
        let mut idle = 0;
        while self.received < target {
            while sent < count && self.a.send_buffer_used() < SEND_QUEUE_BYTES {
                self.a.send(
                    self.now,
                    1,
                    PPID_BINARY,
                    &self.payload,
                    self.channel.unordered(),
                    self.channel.reliability(),
                )?;
                sent += 1;
            }
            let before = self.received;
            self.pump()?;
            idle = if self.received == before { idle + 1 } else { 0 };
            if idle > 10_000 {
                return Err(SctpError::NotEstablished.into());
            }
        }
        Ok(self.received_bytes - bytes)
    }

    /// One-way latency of one message on an idle pair (everything sent
    /// before is acknowledged): wall-clock time from A's `send` until B
    /// hands the message out of `poll_event` (packetised, checksummed,
    /// carried over the wire, received, reassembled). Afterwards, outside
    /// the measured time, the SACK goes back (the virtual clock jumps to
    /// B's delayed-SACK timer) until A has nothing outstanding.
    pub fn one_way(&mut self) -> Result<Duration, W::Error> {
        let start = Instant::now();
        self.a.send(
            self.now,
            1,
            PPID_BINARY,
            &self.payload,
            self.channel.unordered(),
            self.channel.reliability(),
        )?;
        let elapsed = 'delivered: loop {
            let Some(n) = self.a.poll_transmit(self.now, &mut self.buf) else {
                return Err(SctpError::NotEstablished.into());
            };
            self.wire
                .carry(self.now, true, &self.buf[..n], &mut self.b)?;
            while let Some(e) = self.b.poll_event() {
                if let Event::Message(m) = e {
                    let elapsed = start.elapsed();
                    self.received += 1;
                    self.received_bytes += m.data.len() as u64;
                    self.b.recycle(m.data);
                    break 'delivered elapsed;
                }
            }
        };
        self.settle()?;
        Ok(elapsed)
    }

    /// Moves packets and runs timers (jumping the virtual clock to the
    /// next one) until A has nothing unsent or unacknowledged.
    pub fn settle(&mut self) -> Result<(), W::Error> {
        for _ in 0..1000 {
            self.pump()?;
            if self.a.send_buffer_used() == 0 {
                return Ok(());
            }
            let next = [self.a.poll_timeout(), self.b.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            if let Some(t) = next.filter(|t| *t > self.now) {
                self.now = t;
            }
            for x in [&mut self.a, &mut self.b] {
                if x.poll_timeout().is_some_and(|t| t <= self.now) {
                    x.handle_timeout(self.now);
                }
            }
        }
        Err(SctpError::NotEstablished.into())
    }

    /// Moves packets both ways until quiet, then lets 1 ms of virtual time
    /// pass and runs the timers that are due (delayed SACK).
    fn pump(&mut self) -> Result<(), W::Error> {
        loop {
            let mut moved = false;
            while let Some(n) = self.a.poll_transmit(self.now, &mut self.buf) {
                self.wire
                    .carry(self.now, true, &self.buf[..n], &mut self.b)?;
                moved = true;
            }
            while let Some(e) = self.b.poll_event() {
                if let Event::Message(m) = e {
                    self.received += 1;
                    self.received_bytes += m.data.len() as u64;
                    self.b.recycle(m.data);
                }
            }
            while let Some(n) = self.b.poll_transmit(self.now, &mut self.buf) {
                self.wire
                    .carry(self.now, false, &self.buf[..n], &mut self.a)?;
                moved = true;
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
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_channel_and_size_delivers_every_byte() {
        for channel in SctpChannel::ALL {
            for (_, size) in SCTP_SIZES {
                let mut pair = SctpPair::established(channel, size).expect("pair connects");
                assert_eq!(pair.received(), 200);
                let bytes = pair.transfer(50).expect("transfer");
                assert_eq!(bytes, 50 * size as u64);
                assert_eq!(pair.received(), 250);
                assert_eq!(pair.received_bytes(), 250 * size as u64);
            }
        }
    }
}
