//! The sans-I/O SCTP association (RFC 9260, with RFC 3758 partial
//! reliability and RFC 6525 stream reset), as used under data channels.
//!
//! Feed it packets with [`Association::handle_receive`], drain packets with
//! [`Association::poll_transmit`], events with [`Association::poll_event`],
//! and call [`Association::handle_timeout`] when
//! [`Association::poll_timeout`] says. It never reads a clock: `now` is an
//! argument everywhere.
//!
//! Buffers: message fragments, reassembled messages and control packets
//! come from one pool. A delivered [`Message`]'s `data` goes back with
//! [`Association::recycle`]; after warm-up, sending and receiving
//! messages of a steady size allocates nothing.
//!
//! A peer that restarts (new INIT on an established association) is
//! answered with tie-tags and, once its COOKIE-ECHO proves it, the
//! association restarts ([`Event::Restarted`]).
//!
//! I-DATA (RFC 8260) is used when both sides offer it
//! ([`Config::interleaving`]). Streams with queued messages take turns by
//! deficit round-robin weighted by priority
//! ([`Association::set_stream_priority`]): a turn ends at a message
//! boundary with DATA, after any fragment with I-DATA (so messages of
//! different streams interleave).
//!
//! Not implemented: multi-homing, ECN, the SSN/TSN and add-streams
//! reconfiguration requests (answered "denied").

mod config;
mod cookie;
mod ordered;
mod pool;
mod queue;
mod recv;
mod rto;
mod send;
mod stream_map;

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use arrayvec::ArrayVec;

pub use config::Config;
pub use recv::Message;
pub use send::Reliability;
pub(crate) use stream_map::StreamMap;

use self::cookie::{
    CookieFields, PEER_FORWARD_TSN, PEER_I_DATA, PEER_RECONFIG, PEER_ZERO_CHECKSUM,
};
use self::pool::BufferPool;
use self::recv::{Accepted, MAX_DUP_TSNS, MAX_GAP_BLOCKS, Receiver};
use self::rto::{RtoEstimator, tsn_le};
use self::send::{MAX_FORWARD_STREAMS, Sender, T3Expiry};
use super::chunk::{ChunkView, InitChunk, chunk_type};
use super::error::SctpError;
use super::packet::{CommonHeader, RawChunk, SctpPacket, UnknownAction};
use super::param::{EDMID_DTLS, ReconfigParam, ReconfigResult, cause, stream_list};
use super::writer::{InitFields, PacketWriter};

/// Streams carried by one outgoing reset request at most.
const MAX_RESET_STREAMS: usize = 128;

/// The association states of RFC 9260 §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AssociationState {
    /// No association (listening for INIT, or finished).
    Closed,
    /// INIT sent, waiting for INIT-ACK.
    CookieWait,
    /// COOKIE-ECHO sent, waiting for COOKIE-ACK.
    CookieEchoed,
    /// Up.
    Established,
    /// Shutdown requested locally; draining outstanding data.
    ShutdownPending,
    /// SHUTDOWN sent.
    ShutdownSent,
    /// SHUTDOWN received; draining outstanding data.
    ShutdownReceived,
    /// SHUTDOWN-ACK sent.
    ShutdownAckSent,
}

/// Why an association ended abruptly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbortReason {
    /// The peer sent ABORT.
    Peer,
    /// Too many retransmissions or unanswered heartbeats, or the handshake
    /// timed out.
    Timeout,
    /// [`Association::abort`] was called.
    Local,
}

/// Something the user must know about, from [`Association::poll_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The association is established.
    Connected,
    /// A complete message arrived.
    Message(Message),
    /// The unsent bytes of a stream fell to its low threshold.
    BufferedAmountLow {
        /// The stream.
        stream_id: u16,
    },
    /// The peer reset its outgoing stream (our incoming stream): no more
    /// messages will come on it until reused.
    IncomingStreamReset {
        /// The stream.
        stream_id: u16,
    },
    /// Our outgoing stream reset completed: the stream can be reused.
    OutgoingStreamReset {
        /// The stream.
        stream_id: u16,
    },
    /// The peer restarted the association (RFC 9260 §5.2.4): messages
    /// queued or in flight and all stream state were dropped; `Connected`
    /// follows.
    Restarted,
    /// The association shut down gracefully.
    Closed,
    /// The association was aborted.
    Aborted(AbortReason),
}

/// An outgoing stream reset request waiting for its response.
#[derive(Debug)]
struct ResetInFlight {
    request_seq: u32,
    last_tsn: u32,
    streams: ArrayVec<u16, MAX_RESET_STREAMS>,
    deadline: Option<Instant>,
    due: bool,
}

/// An incoming reset request that waits for data before `last_tsn`.
#[derive(Debug)]
struct DeferredReset {
    request_seq: u32,
    last_tsn: u32,
    streams: ArrayVec<u16, MAX_RESET_STREAMS>,
}

/// An SCTP association. See the module documentation.
#[derive(Debug)]
pub struct Association {
    config: Config,
    state: AssociationState,
    epoch: Instant,
    rng: u64,
    cookie_key: [u8; 32],
    local_tag: u32,
    peer_tag: u32,
    local_initial_tsn: u32,
    t1: Option<Instant>,
    /// When the INIT or COOKIE-ECHO in flight was sent, if sent once (an
    /// RTT sample when answered; Karn's rule for retransmissions).
    t1_sent: Option<Instant>,
    init_retransmits: u32,
    init_due: bool,
    peer_cookie: ArrayVec<u8, 512>,
    sender: Option<Sender>,
    receiver: Option<Receiver>,
    rto: RtoEstimator,
    pool: BufferPool,
    control: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    ack_due: bool,
    ack_deadline: Option<Instant>,
    unacked_packets: u32,
    peer_flags: u8,
    out_streams: u16,
    in_streams: u16,
    hb_deadline: Option<Instant>,
    hb_due: bool,
    hb_outstanding: bool,
    error_count: u32,
    t2: Option<Instant>,
    shutdown_due: bool,
    shutdown_ack_due: bool,
    next_request_seq: u32,
    peer_request_seq: u32,
    reset_waiting: Vec<u16>,
    reset_in_flight: Option<ResetInFlight>,
    deferred_reset: Option<DeferredReset>,
    last_response: Option<(u32, ReconfigResult)>,
    responses_due: ArrayVec<(u32, ReconfigResult), 8>,
    gaps: ArrayVec<(u16, u16), MAX_GAP_BLOCKS>,
    dups: ArrayVec<u32, MAX_DUP_TSNS>,
    fwd_streams: ArrayVec<(u16, u16), MAX_FORWARD_STREAMS>,
    i_fwd_entries: ArrayVec<(u16, bool, u32), MAX_FORWARD_STREAMS>,
}

fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Association {
    /// A new association in the `Closed` state: it answers an INIT from
    /// the peer, or starts the handshake itself with [`connect`](Self::connect)
    /// (WebRTC peers both connect; the INIT collision is resolved per
    /// RFC 9260 §5.2).
    pub fn new(config: Config, now: Instant) -> Self {
        let mut rng = config.seed;
        let mut key = [0u8; 32];
        for c in key.chunks_exact_mut(8) {
            c.copy_from_slice(&splitmix(&mut rng).to_le_bytes());
        }
        let local_tag = loop {
            let t = splitmix(&mut rng) as u32;
            if t != 0 {
                break t;
            }
        };
        let local_initial_tsn = splitmix(&mut rng) as u32;
        let rto = RtoEstimator::new(config.rto_initial, config.rto_min, config.rto_max);
        Self {
            state: AssociationState::Closed,
            epoch: now,
            rng,
            cookie_key: key,
            local_tag,
            peer_tag: 0,
            local_initial_tsn,
            t1: None,
            t1_sent: None,
            init_retransmits: 0,
            init_due: false,
            peer_cookie: ArrayVec::new(),
            sender: None,
            receiver: None,
            rto,
            pool: BufferPool::default(),
            control: VecDeque::new(),
            events: VecDeque::new(),
            ack_due: false,
            ack_deadline: None,
            unacked_packets: 0,
            peer_flags: 0,
            out_streams: 0,
            in_streams: 0,
            hb_deadline: None,
            hb_due: false,
            hb_outstanding: false,
            error_count: 0,
            t2: None,
            shutdown_due: false,
            shutdown_ack_due: false,
            next_request_seq: local_initial_tsn,
            peer_request_seq: 0,
            reset_waiting: Vec::new(),
            reset_in_flight: None,
            deferred_reset: None,
            last_response: None,
            responses_due: ArrayVec::new(),
            gaps: ArrayVec::new(),
            dups: ArrayVec::new(),
            fwd_streams: ArrayVec::new(),
            i_fwd_entries: ArrayVec::new(),
            config,
        }
    }

    /// Starts the handshake: an INIT goes out with the next `poll_transmit`.
    pub fn connect(&mut self, now: Instant) {
        if self.state != AssociationState::Closed || self.sender.is_some() {
            return;
        }
        self.state = AssociationState::CookieWait;
        self.init_due = true;
        self.init_retransmits = 0;
        self.t1 = now.checked_add(self.rto.rto());
    }

    /// The current state.
    pub fn state(&self) -> AssociationState {
        self.state
    }

    /// True once established (and until shutdown starts).
    pub fn is_established(&self) -> bool {
        self.state == AssociationState::Established
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Streams available for sending (negotiated).
    pub fn outbound_streams(&self) -> u16 {
        self.out_streams
    }

    /// Streams the peer may send on (negotiated).
    pub fn inbound_streams(&self) -> u16 {
        self.in_streams
    }

    /// True when the peer supports partial reliability (RFC 3758).
    pub fn peer_supports_forward_tsn(&self) -> bool {
        self.peer_flags & PEER_FORWARD_TSN != 0
    }

    /// True when I-DATA is in use (both sides offered it, RFC 8260).
    pub fn uses_i_data(&self) -> bool {
        self.config.interleaving && self.peer_flags & PEER_I_DATA != 0
    }

    /// True when zero checksums are being sent (RFC 9653, both sides agreed).
    pub fn sends_zero_checksum(&self) -> bool {
        self.config.zero_checksum && self.peer_flags & PEER_ZERO_CHECKSUM != 0
    }

    /// The current retransmission timeout.
    pub fn rto(&self) -> Duration {
        self.rto.rto()
    }

    /// The smoothed round-trip time, once measured.
    pub fn srtt(&self) -> Option<Duration> {
        self.rto.srtt()
    }

    /// Congestion window in bytes (0 before establishment).
    pub fn cwnd(&self) -> usize {
        self.sender.as_ref().map_or(0, |s| s.cwnd)
    }

    /// Chunks retransmitted so far.
    pub fn retransmissions(&self) -> u64 {
        self.sender.as_ref().map_or(0, |s| s.retransmissions)
    }

    /// Bytes queued on `stream_id` and not yet transmitted once (the W3C
    /// `bufferedAmount`).
    pub fn buffered_amount(&self, stream_id: u16) -> usize {
        self.sender
            .as_ref()
            .map_or(0, |s| s.buffered_amount(stream_id))
    }

    /// Bytes held for sending: unsent plus unacknowledged, all streams.
    pub fn send_buffer_used(&self) -> usize {
        self.sender.as_ref().map_or(0, |s| s.total_bytes)
    }

    /// Sets the level at or below which [`Event::BufferedAmountLow`] fires
    /// for `stream_id` (when the buffered amount falls to it).
    pub fn set_buffered_amount_low_threshold(&mut self, stream_id: u16, threshold: usize) {
        if let Some(s) = self.sender.as_mut() {
            s.set_low_threshold(stream_id, threshold);
        }
    }

    /// Sets the scheduling priority of `stream_id` (RFC 8831 §6.4: 128
    /// below normal, 256 normal — the default —, 512 high, 1024 extra
    /// high): streams with queued data share the link in proportion.
    pub fn set_stream_priority(&mut self, stream_id: u16, priority: u16) {
        if let Some(s) = self.sender.as_mut() {
            s.set_priority(stream_id, priority);
        }
    }

    /// Gives a delivered message's buffer back for reuse.
    pub fn recycle(&mut self, data: Vec<u8>) {
        self.pool.give(data);
    }

    /// Queues a message on `stream_id` with payload protocol id `ppid`.
    ///
    /// Errors: not established, stream out of range or being reset, empty
    /// or too large message, send buffer full. Partial reliability needs a
    /// peer that supports FORWARD-TSN; otherwise messages are reliable.
    pub fn send(
        &mut self,
        now: Instant,
        stream_id: u16,
        ppid: u32,
        data: &[u8],
        unordered: bool,
        reliability: Reliability,
    ) -> Result<(), SctpError> {
        if !matches!(self.state, AssociationState::Established) {
            return Err(SctpError::NotEstablished);
        }
        if stream_id >= self.out_streams {
            return Err(SctpError::InvalidStream(stream_id));
        }
        if data.is_empty() {
            return Err(SctpError::EmptyMessage);
        }
        if data.len() > self.config.max_message_size {
            return Err(SctpError::MessageTooLarge {
                len: data.len(),
                max: self.config.max_message_size,
            });
        }
        let reliability = if self.peer_supports_forward_tsn() {
            reliability
        } else {
            Reliability::Reliable
        };
        let limit = self.config.send_buffer_limit;
        let sender = self.sender.as_mut().ok_or(SctpError::NotEstablished)?;
        if sender.is_resetting(stream_id) {
            return Err(SctpError::StreamResetting(stream_id));
        }
        sender.check_room(data.len(), limit)?;
        sender.enqueue(
            now,
            stream_id,
            ppid,
            data,
            unordered,
            reliability,
            &mut self.pool,
        );
        Ok(())
    }

    /// Resets our outgoing `streams` (RFC 6525 §5.1.2) once their queued
    /// messages are sent; [`Event::OutgoingStreamReset`] follows per stream.
    /// No new message is accepted on them meanwhile.
    pub fn reset_streams(&mut self, streams: &[u16]) -> Result<(), SctpError> {
        if !self.is_established() {
            return Err(SctpError::NotEstablished);
        }
        let sender = self.sender.as_mut().ok_or(SctpError::NotEstablished)?;
        for &s in streams {
            if s >= self.out_streams {
                return Err(SctpError::InvalidStream(s));
            }
        }
        for &s in streams {
            if !sender.is_resetting(s) {
                sender.begin_reset(s);
                self.reset_waiting.push(s);
            }
        }
        Ok(())
    }

    /// Starts a graceful shutdown (RFC 9260 §9.2): queued data is delivered
    /// first, then [`Event::Closed`].
    pub fn shutdown(&mut self, _now: Instant) {
        match self.state {
            AssociationState::Established => self.state = AssociationState::ShutdownPending,
            AssociationState::CookieWait | AssociationState::CookieEchoed => {
                self.close(Event::Closed)
            }
            _ => {}
        }
    }

    /// Aborts the association: an ABORT (user-initiated, with `reason`)
    /// goes out with the next `poll_transmit`; [`Event::Aborted`] follows.
    pub fn abort(&mut self, reason: &[u8]) {
        if self.state == AssociationState::Closed {
            return;
        }
        let reason = reason.get(..reason.len().min(256)).unwrap_or_default();
        let (tag, t_bit) = self.abort_tag();
        self.push_control(tag, false, |w| {
            w.abort(t_bit, Some((cause::USER_INITIATED_ABORT, reason)))
        });
        self.close(Event::Aborted(AbortReason::Local));
    }

    fn abort_tag(&self) -> (u32, bool) {
        if self.peer_tag != 0 {
            (self.peer_tag, false)
        } else {
            (self.local_tag, true)
        }
    }

    fn close(&mut self, event: Event) {
        self.state = AssociationState::Closed;
        if let Some(mut s) = self.sender.take() {
            s.clear(&mut self.pool);
        }
        self.t1 = None;
        self.t2 = None;
        self.ack_deadline = None;
        self.hb_deadline = None;
        self.reset_in_flight = None;
        self.init_due = false;
        self.events.push_back(event);
    }

    /// Next event, if any. Taking messages out frees receive window; when
    /// that reopens half the window, a window-update SACK is due: call
    /// `poll_transmit` after draining events.
    pub fn poll_event(&mut self) -> Option<Event> {
        let e = self.events.pop_front()?;
        if let (Event::Message(m), Some(r)) = (&e, self.receiver.as_mut()) {
            r.delivered(m.data.len());
            // The application drained a full buffer: tell the peer
            // (poll_transmit sends the window update).
            if r.window_opened() && self.sender.is_some() {
                self.ack_due = true;
            }
        }
        Some(e)
    }

    /// The earliest time [`handle_timeout`](Self::handle_timeout) must be called.
    pub fn poll_timeout(&self) -> Option<Instant> {
        let t3 = self.sender.as_ref().and_then(|s| s.t3);
        let reset = self.reset_in_flight.as_ref().and_then(|r| r.deadline);
        [
            self.t1,
            t3,
            self.ack_deadline,
            self.hb_deadline,
            self.t2,
            reset,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Runs the timers due at `now`.
    pub fn handle_timeout(&mut self, now: Instant) {
        if self.t1.is_some_and(|t| t <= now) {
            self.init_retransmits += 1;
            if self.init_retransmits > self.config.max_init_retransmits {
                self.close(Event::Aborted(AbortReason::Timeout));
                return;
            }
            self.rto.back_off();
            self.init_due = true;
            self.t1 = now.checked_add(self.rto.rto());
        }
        if self
            .sender
            .as_ref()
            .and_then(|s| s.t3)
            .is_some_and(|t| t <= now)
        {
            let expiry = match self.sender.as_mut() {
                Some(s) => s.on_t3(now, &mut self.rto),
                None => T3Expiry::Idle,
            };
            if expiry == T3Expiry::Timeout && self.count_error() {
                return;
            }
        }
        if self.ack_deadline.is_some_and(|t| t <= now) {
            self.ack_deadline = None;
            self.ack_due = true;
        }
        if self.hb_deadline.is_some_and(|t| t <= now) {
            if self.hb_outstanding {
                self.rto.back_off();
                if self.count_error() {
                    return;
                }
            }
            self.hb_due = true;
            self.hb_deadline = now.checked_add(self.config.heartbeat_interval + self.rto.rto());
        }
        if self.t2.is_some_and(|t| t <= now) {
            self.rto.back_off();
            if self.count_error() {
                return;
            }
            match self.state {
                AssociationState::ShutdownSent => self.shutdown_due = true,
                AssociationState::ShutdownAckSent => self.shutdown_ack_due = true,
                _ => {}
            }
            self.t2 = now.checked_add(self.rto.rto());
        }
        let rto = self.rto.rto();
        if let Some(r) = self.reset_in_flight.as_mut()
            && r.deadline.is_some_and(|t| t <= now)
        {
            r.due = true;
            r.deadline = now.checked_add(rto);
        }
    }

    /// Counts a timeout; aborts and returns true past Association.Max.Retrans.
    fn count_error(&mut self) -> bool {
        self.error_count += 1;
        if self.error_count > self.config.max_retransmits {
            let (tag, t_bit) = self.abort_tag();
            self.push_control(tag, false, |w| w.abort(t_bit, None));
            self.close(Event::Aborted(AbortReason::Timeout));
            return true;
        }
        false
    }

    fn header(&self, tag: u32) -> CommonHeader {
        CommonHeader {
            source_port: self.config.local_port,
            destination_port: self.config.remote_port,
            verification_tag: tag,
            checksum: 0,
        }
    }

    /// Builds a packet into a pooled buffer and queues it.
    fn push_control(
        &mut self,
        tag: u32,
        zero_checksum: bool,
        f: impl FnOnce(&mut PacketWriter<'_>) -> Result<(), SctpError>,
    ) {
        let mut buf = self.pool.take(self.config.mtu);
        buf.resize(self.config.mtu, 0);
        let header = self.header(tag);
        let len = match PacketWriter::new(&mut buf, header) {
            Ok(mut w) => match f(&mut w) {
                Ok(()) => Some(w.finish(zero_checksum)),
                Err(_) => None,
            },
            Err(_) => None,
        };
        match len {
            Some(n) => {
                buf.truncate(n);
                self.control.push_back(buf);
            }
            None => self.pool.give(buf),
        }
    }

    fn init_fields<'a>(&self, state_cookie: Option<&'a [u8]>) -> InitFields<'a> {
        InitFields {
            initiate_tag: self.local_tag,
            a_rwnd: self.config.receive_window,
            outbound_streams: self.config.streams.max(1),
            inbound_streams: self.config.streams.max(1),
            initial_tsn: self.local_initial_tsn,
            forward_tsn: true,
            supported_extensions: if self.config.interleaving {
                &[
                    chunk_type::FORWARD_TSN,
                    chunk_type::RE_CONFIG,
                    chunk_type::I_DATA,
                    chunk_type::I_FORWARD_TSN,
                ]
            } else {
                &[chunk_type::FORWARD_TSN, chunk_type::RE_CONFIG]
            },
            zero_checksum_edmid: self.config.zero_checksum.then_some(EDMID_DTLS),
            state_cookie,
        }
    }
}

mod receive;
mod transmit;
