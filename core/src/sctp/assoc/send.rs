//! The sending half of an association: fragmentation, the queue of
//! unsent chunks, the retransmission queue, SACK processing, congestion
//! control (RFC 9260 §7.2: slow start, congestion avoidance, fast
//! retransmit and fast recovery), the T3-rtx timer, flow control against
//! the peer's window with zero window probing (§6.1 rule A: probes that a
//! live peer answers with a closed window are neither errors nor losses),
//! and partial reliability (RFC 3758: abandoning by
//! retransmission count or lifetime, the advanced peer ack point).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use arrayvec::ArrayVec;

use super::super::chunk::{
    DATA_HEADER_LEN, FLAG_BEGIN, FLAG_END, FLAG_UNORDERED, I_DATA_HEADER_LEN,
};
use super::super::error::SctpError;
use super::super::packet::CHUNK_HEADER_LEN;
use super::super::writer::{DataHeader, PacketWriter};
use super::pool::BufferPool;
use super::queue::{Queued, SendQueue, is_end};
use super::rto::{RtoEstimator, ssn_lt, tsn_le, tsn_lt};
use super::stream_map::StreamMap;

/// Stream entries one FORWARD-TSN carries at most.
pub(crate) const MAX_FORWARD_STREAMS: usize = 64;

/// How hard a message is retried (RFC 3758 policies as used by data
/// channels, RFC 8831 §6.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Reliability {
    /// Retransmitted until acknowledged.
    #[default]
    Reliable,
    /// Abandoned after this many retransmissions.
    MaxRetransmits(u32),
    /// Abandoned when not acknowledged within this time of `send`.
    MaxLifetime(Duration),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Not sent yet (in the send queue).
    Unsent,
    /// Sent, counted in the flight size.
    InFlight,
    /// Marked for retransmission (not in flight).
    Retransmit,
    /// Acknowledged by a gap block.
    GapAcked,
    /// Given up on (PR-SCTP).
    Abandoned,
}

#[derive(Debug)]
struct OutChunk {
    tsn: u32,
    msg: u64,
    stream_id: u16,
    ssn: u16,
    /// I-DATA message identifier.
    mid: u32,
    /// I-DATA fragment sequence number.
    fsn: u32,
    ppid: u32,
    flags: u8,
    data: Vec<u8>,
    state: State,
    sent_count: u32,
    last_sent: Option<Instant>,
    misses: u8,
    expires: Option<Instant>,
    max_retransmits: Option<u32>,
}

impl Queued for OutChunk {
    fn stream_id(&self) -> u16 {
        self.stream_id
    }
    fn ends_message(&self) -> bool {
        is_end(self.flags)
    }
    fn payload_len(&self) -> usize {
        self.data.len()
    }
}

impl OutChunk {
    fn wire_len(&self, header: usize) -> usize {
        (CHUNK_HEADER_LEN + header + self.data.len() + 3) & !3
    }

    /// Writes the chunk as DATA or, with `i_data`, as I-DATA.
    fn write(&self, w: &mut PacketWriter<'_>, i_data: bool) -> Result<(), SctpError> {
        if i_data {
            let ppid_or_fsn = if self.flags & FLAG_BEGIN != 0 {
                self.ppid
            } else {
                self.fsn
            };
            return w.i_data(
                self.flags,
                self.tsn,
                self.stream_id,
                self.mid,
                ppid_or_fsn,
                &self.data,
            );
        }
        let h = DataHeader {
            flags: self.flags,
            tsn: self.tsn,
            stream_id: self.stream_id,
            ssn: self.ssn,
            ppid: self.ppid,
        };
        w.data(&h, &self.data)
    }

    fn must_abandon(&self, now: Instant) -> bool {
        self.expires.is_some_and(|e| now >= e)
            || self.max_retransmits.is_some_and(|m| self.sent_count > m)
    }
}

/// Per-stream send state.
#[derive(Debug, Default)]
struct OutStream {
    next_ssn: u16,
    /// Next ordered MID (I-DATA).
    next_mid: u32,
    /// Next unordered MID (I-DATA).
    next_umid: u32,
    /// SSN and MID of the message whose fragments are leaving.
    cur_ssn: u16,
    cur_mid: u32,
    /// Bytes queued by `send` and not yet transmitted once.
    buffered: usize,
    low_threshold: usize,
    /// An outgoing reset is pending or in progress: `send` refuses.
    resetting: bool,
}

/// What a SACK changed.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct SackOutcome {
    /// The cumulative ack moved (or data was newly acknowledged).
    pub(crate) progress: bool,
}

/// The send side state.
#[derive(Debug)]
pub(crate) struct Sender {
    pending: SendQueue<OutChunk>,
    outstanding: VecDeque<OutChunk>,
    pub(crate) next_tsn: u32,
    /// The peer's cumulative TSN ack.
    pub(crate) cum_ack: u32,
    adv_ack_point: u32,
    flight: usize,
    pub(crate) cwnd: usize,
    pub(crate) ssthresh: usize,
    pba: usize,
    pub(crate) peer_rwnd: usize,
    mtu: usize,
    max_fragment: usize,
    /// Send I-DATA instead of DATA (RFC 8260, negotiated).
    i_data: bool,
    fast_recovery_exit: Option<u32>,
    rtx_marked: usize,
    fast_rtx_allowance: bool,
    streams: StreamMap<OutStream>,
    /// Stream and SSN of the message whose first fragment is sent and whose
    /// last is not.
    next_msg: u64,
    /// Bytes held: unsent plus unacknowledged.
    pub(crate) total_bytes: usize,
    /// A FORWARD-TSN should go out with the next packet.
    pub(crate) forward_tsn_due: bool,
    /// Streams whose buffered amount fell to their threshold.
    pub(crate) low_events: VecDeque<u16>,
    /// T3-rtx deadline.
    pub(crate) t3: Option<Instant>,
    /// The a_rwnd of the peer's latest SACK (or INIT / INIT-ACK).
    last_a_rwnd: usize,
    /// A SACK arrived since the T3-rtx timer was started or last fired:
    /// the peer is alive (RFC 9260 §6.1 rule A, zero window probes).
    sack_since_t3: bool,
    /// TSN of the unacknowledged zero window probe: the chunk sent while
    /// the peer's window had no room for it.
    probe_tsn: Option<u32>,
    /// Retransmitted chunks (a statistic).
    pub(crate) retransmissions: u64,
}

/// What an expiry of the T3-rtx timer was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum T3Expiry {
    /// Nothing was outstanding.
    Idle,
    /// A retransmission timeout (RFC 9260 §6.3.3): counts toward the
    /// association's error limit.
    Timeout,
    /// An unanswered zero window probe while the peer keeps acknowledging
    /// with a closed window (RFC 9260 §6.1 rule A): not an error, and not
    /// congestion.
    ZeroWindowProbe,
}

impl Sender {
    pub(crate) fn new(initial_tsn: u32, peer_rwnd: u32, mtu: usize, i_data: bool) -> Self {
        let header = if i_data {
            I_DATA_HEADER_LEN
        } else {
            DATA_HEADER_LEN
        };
        let max_fragment = (mtu.saturating_sub(12 + CHUNK_HEADER_LEN + header)) & !3;
        Self {
            pending: SendQueue::new(i_data),
            outstanding: VecDeque::new(),
            next_tsn: initial_tsn,
            cum_ack: initial_tsn.wrapping_sub(1),
            adv_ack_point: initial_tsn.wrapping_sub(1),
            flight: 0,
            cwnd: (4 * mtu).min((2 * mtu).max(4380)),
            ssthresh: peer_rwnd as usize,
            pba: 0,
            peer_rwnd: peer_rwnd as usize,
            mtu,
            max_fragment: max_fragment.max(4),
            i_data,
            fast_recovery_exit: None,
            rtx_marked: 0,
            fast_rtx_allowance: false,
            streams: StreamMap::default(),

            next_msg: 0,
            total_bytes: 0,
            forward_tsn_due: false,
            low_events: VecDeque::new(),
            t3: None,
            last_a_rwnd: peer_rwnd as usize,
            sack_since_t3: false,
            probe_tsn: None,
            retransmissions: 0,
        }
    }

    /// Bytes in flight.
    pub(crate) fn flight_size(&self) -> usize {
        self.flight
    }

    /// True when nothing is queued or unacknowledged.
    pub(crate) fn is_idle(&self) -> bool {
        self.pending.is_empty() && self.outstanding.is_empty()
    }

    /// Bytes queued on `stream` and not yet sent.
    pub(crate) fn buffered_amount(&self, stream: u16) -> usize {
        self.streams.get(&stream).map_or(0, |s| s.buffered)
    }

    /// Sets the threshold under which `BufferedAmountLow` fires.
    pub(crate) fn set_low_threshold(&mut self, stream: u16, threshold: usize) {
        self.streams.entry(stream).or_default().low_threshold = threshold;
    }

    /// Sets the scheduling priority of `stream` (RFC 8831 §6.4 values).
    pub(crate) fn set_priority(&mut self, stream: u16, priority: u16) {
        self.pending.set_priority(stream, priority);
    }

    /// True when an outgoing reset is pending on `stream`.
    pub(crate) fn is_resetting(&self, stream: u16) -> bool {
        self.streams.get(&stream).is_some_and(|s| s.resetting)
    }

    /// Marks `stream` as resetting (no new messages).
    pub(crate) fn begin_reset(&mut self, stream: u16) {
        self.streams.entry(stream).or_default().resetting = true;
    }

    /// True when no unsent chunk of `stream` is queued.
    pub(crate) fn drained(&self, stream: u16) -> bool {
        !self.pending.has_stream(stream)
    }

    /// Completes an outgoing reset: SSN back to 0, sending allowed again.
    pub(crate) fn finish_reset(&mut self, stream: u16) {
        if let Some(s) = self.streams.get_mut(&stream) {
            s.next_ssn = 0;
            s.next_mid = 0;
            s.next_umid = 0;
            s.resetting = false;
        }
    }

    /// Cancels a reset (denied by the peer): sending allowed again.
    pub(crate) fn cancel_reset(&mut self, stream: u16) {
        if let Some(s) = self.streams.get_mut(&stream) {
            s.resetting = false;
        }
    }

    /// Queues a message, split into fragments that each fit one packet.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn enqueue(
        &mut self,
        now: Instant,
        stream_id: u16,
        ppid: u32,
        data: &[u8],
        unordered: bool,
        reliability: Reliability,
        pool: &mut BufferPool,
    ) {
        let msg = self.next_msg;
        self.next_msg += 1;
        let (expires, max_retransmits) = match reliability {
            Reliability::Reliable => (None, None),
            Reliability::MaxRetransmits(n) => (None, Some(n)),
            Reliability::MaxLifetime(d) => (now.checked_add(d), None),
        };
        let n = data.len().div_ceil(self.max_fragment).max(1);
        for (i, part) in data.chunks(self.max_fragment).enumerate() {
            let mut flags = if unordered { FLAG_UNORDERED } else { 0 };
            if i == 0 {
                flags |= FLAG_BEGIN;
            }
            if i + 1 == n {
                flags |= FLAG_END;
            }
            self.pending.push(OutChunk {
                tsn: 0,
                msg,
                stream_id,
                ssn: 0,
                mid: 0,
                fsn: i as u32,
                ppid,
                flags,
                data: pool.copy_of(part),
                state: State::Unsent,
                sent_count: 0,
                last_sent: None,
                misses: 0,
                expires,
                max_retransmits,
            });
        }
        self.streams.entry(stream_id).or_default().buffered += data.len();
        self.total_bytes += data.len();
    }

    fn index_of(&self, tsn: u32) -> Option<usize> {
        let front = self.outstanding.front()?.tsn;
        let i = tsn.wrapping_sub(front) as usize;
        (i < self.outstanding.len()).then_some(i)
    }

    fn unbuffer(&mut self, stream: u16, len: usize) {
        if let Some(s) = self.streams.get_mut(&stream) {
            let before = s.buffered;
            s.buffered = s.buffered.saturating_sub(len);
            if before > s.low_threshold && s.buffered <= s.low_threshold {
                self.low_events.push_back(stream);
            }
        }
    }

    /// Processes a SACK (RFC 9260 §6.2.1, §7.2).
    pub(crate) fn on_sack(
        &mut self,
        now: Instant,
        cum: u32,
        a_rwnd: u32,
        gaps: impl Iterator<Item = (u16, u16)>,
        rto: &mut RtoEstimator,
        pool: &mut BufferPool,
    ) -> SackOutcome {
        let mut out = SackOutcome::default();
        if tsn_lt(cum, self.cum_ack) || tsn_le(self.next_tsn, cum) {
            // Older than what we know, or acking what was never sent.
            return out;
        }
        let flight_before = self.flight;
        let mut bytes_acked = 0usize;
        let mut rtt: Option<Duration> = None;
        let cum_advanced = tsn_lt(self.cum_ack, cum);
        // Cumulative part.
        while let Some(c) = self.outstanding.front() {
            if !tsn_le(c.tsn, cum) {
                break;
            }
            let Some(c) = self.outstanding.pop_front() else {
                break;
            };
            match c.state {
                State::InFlight => {
                    self.flight = self.flight.saturating_sub(c.data.len());
                    bytes_acked += c.data.len();
                }
                State::Retransmit => {
                    self.rtx_marked = self.rtx_marked.saturating_sub(1);
                    bytes_acked += c.data.len();
                }
                State::GapAcked | State::Abandoned | State::Unsent => {}
            }
            if c.state != State::Abandoned && c.state != State::GapAcked {
                self.total_bytes = self.total_bytes.saturating_sub(c.data.len());
            }
            // Karn: only chunks sent once and never marked for
            // retransmission give a sample; the freshest one wins.
            if c.sent_count == 1
                && c.state == State::InFlight
                && let Some(t) = c.last_sent
            {
                let r = now.saturating_duration_since(t);
                rtt = Some(rtt.map_or(r, |p: Duration| p.min(r)));
            }
            pool.give(c.data);
        }
        if cum_advanced {
            self.cum_ack = cum;
            out.progress = true;
        }
        if tsn_lt(self.adv_ack_point, self.cum_ack) {
            self.adv_ack_point = self.cum_ack;
        }
        // Gap blocks.
        let mut highest_gap: Option<u32> = None;
        for (start, end) in gaps {
            if start == 0 || end < start {
                continue;
            }
            for off in start..=end {
                let tsn = cum.wrapping_add(u32::from(off));
                let Some(i) = self.index_of(tsn) else { break };
                let Some(c) = self.outstanding.get_mut(i) else {
                    break;
                };
                match c.state {
                    State::InFlight | State::Retransmit => {
                        let sample = c.state == State::InFlight && c.sent_count == 1;
                        if c.state == State::InFlight {
                            self.flight = self.flight.saturating_sub(c.data.len());
                        } else {
                            self.rtx_marked = self.rtx_marked.saturating_sub(1);
                        }
                        c.state = State::GapAcked;
                        bytes_acked += c.data.len();
                        self.total_bytes = self.total_bytes.saturating_sub(c.data.len());
                        out.progress = true;
                        if sample && let Some(t) = c.last_sent {
                            let r = now.saturating_duration_since(t);
                            rtt = Some(rtt.map_or(r, |p: Duration| p.min(r)));
                        }
                    }
                    _ => {}
                }
                highest_gap = Some(tsn);
            }
        }
        if let Some(r) = rtt {
            rto.sample(r);
        } else if cum_advanced {
            rto.clear_back_off();
        }
        // Fast retransmit (RFC 9260 §7.2.4): chunks below the highest
        // gap-acked TSN that are still missing collect miss indications.
        let mut newly_marked = false;
        if let Some(high) = highest_gap {
            for c in self.outstanding.iter_mut() {
                if !tsn_lt(c.tsn, high) {
                    break;
                }
                if c.state == State::InFlight {
                    c.misses = c.misses.saturating_add(1);
                    if c.misses == 3 {
                        c.state = State::Retransmit;
                        self.flight = self.flight.saturating_sub(c.data.len());
                        self.rtx_marked += 1;
                        newly_marked = true;
                    }
                }
            }
        }
        if let Some(exit) = self.fast_recovery_exit
            && tsn_le(exit, self.cum_ack)
        {
            self.fast_recovery_exit = None;
        }
        if newly_marked {
            if self.fast_recovery_exit.is_none() {
                self.ssthresh = (self.cwnd / 2).max(4 * self.mtu);
                self.cwnd = self.ssthresh;
                self.pba = 0;
                self.fast_recovery_exit = Some(self.next_tsn.wrapping_sub(1));
            }
            self.fast_rtx_allowance = true;
        }
        // Congestion window growth (not during fast recovery).
        if cum_advanced && self.fast_recovery_exit.is_none() && bytes_acked > 0 {
            let utilised = flight_before + self.mtu >= self.cwnd;
            if self.cwnd <= self.ssthresh {
                if utilised {
                    self.cwnd += bytes_acked.min(self.mtu);
                }
            } else {
                self.pba += bytes_acked;
                if self.pba >= self.cwnd && utilised {
                    self.pba = self.pba.saturating_sub(self.cwnd);
                    self.cwnd += self.mtu;
                }
            }
        }
        if let Some(probe) = self.probe_tsn {
            self.on_window_with_probe(probe, a_rwnd as usize);
        }
        self.peer_rwnd = (a_rwnd as usize).saturating_sub(self.flight);
        self.last_a_rwnd = a_rwnd as usize;
        self.advance_ack_point();
        // RFC 3758 §3.5 C3: the peer is still behind the advanced ack point.
        if tsn_lt(self.cum_ack, self.adv_ack_point) {
            self.forward_tsn_due = true;
        }
        // T3-rtx (RFC 9260 §6.3.2); it also guards the FORWARD-TSN.
        if !self.needs_t3() {
            self.t3 = None;
        } else if cum_advanced || self.t3.is_none() {
            self.start_t3(now, rto);
        } else {
            // The peer answered while the timer runs.
            self.sack_since_t3 = true;
        }
        out
    }

    /// A SACK while a zero window probe is unacknowledged: once the peer's
    /// window has room for it, the probe is sent again at once. A receiver
    /// with a closed window drops the probe (RFC 9260 §6.2); left alone it
    /// would come back only by fast retransmit, after the new data the
    /// window update lets out, and with the congestion response of a loss
    /// it is not.
    fn on_window_with_probe(&mut self, probe: u32, a_rwnd: usize) {
        let Some(c) = self
            .index_of(probe)
            .and_then(|i| self.outstanding.get_mut(i))
        else {
            // Acknowledged (or abandoned) and released.
            self.probe_tsn = None;
            return;
        };
        if c.state != State::InFlight {
            if c.state != State::Retransmit {
                self.probe_tsn = None;
            }
            return;
        }
        if a_rwnd >= c.data.len() {
            c.state = State::Retransmit;
            self.flight = self.flight.saturating_sub(c.data.len());
            self.rtx_marked += 1;
            self.probe_tsn = None;
        }
    }

    /// (Re)starts the T3-rtx timer.
    fn start_t3(&mut self, now: Instant, rto: &RtoEstimator) {
        self.t3 = now.checked_add(rto.rto());
        self.sack_since_t3 = false;
    }

    /// True while something unacknowledged needs the T3-rtx timer: data in
    /// flight or marked for retransmission, or a FORWARD-TSN the peer has
    /// not acknowledged.
    fn needs_t3(&self) -> bool {
        self.flight > 0 || self.rtx_marked > 0 || tsn_lt(self.cum_ack, self.adv_ack_point)
    }

    /// The T3-rtx timer fired (RFC 9260 §6.3.3, §7.2.3).
    pub(crate) fn on_t3(&mut self, now: Instant, rto: &mut RtoEstimator) -> T3Expiry {
        self.t3 = None;
        let peer_answered = std::mem::take(&mut self.sack_since_t3);
        if !self.needs_t3() {
            return T3Expiry::Idle;
        }
        if self.flight == 0 && self.rtx_marked == 0 {
            // Only a FORWARD-TSN is unacknowledged: send it again.
            self.forward_tsn_due = true;
            rto.back_off();
            self.t3 = now.checked_add(rto.rto());
            return T3Expiry::Timeout;
        }
        // A zero window probe (RFC 9260 §6.1 rule A): the peer's last SACK
        // left no room for the oldest chunk in flight, and SACKs keep
        // coming. The receiver may keep its window closed for as long as
        // its reader sleeps: the probe goes again at exponentially growing
        // intervals, without counting as an error and without the
        // congestion response of a loss; cwnd only decays as on an idle
        // path (§7.2.1), ssthresh stays, so the flow restarts at speed
        // once the window opens.
        let window_closed = self
            .outstanding
            .iter()
            .find(|c| c.state == State::InFlight)
            .is_some_and(|c| self.last_a_rwnd < c.data.len());
        let expiry = if window_closed && peer_answered {
            self.cwnd = (self.cwnd / 2).max(4 * self.mtu);
            T3Expiry::ZeroWindowProbe
        } else {
            self.ssthresh = (self.cwnd / 2).max(4 * self.mtu);
            self.cwnd = self.mtu;
            self.fast_recovery_exit = None;
            T3Expiry::Timeout
        };
        self.pba = 0;
        rto.back_off();
        for c in self.outstanding.iter_mut() {
            if c.state == State::InFlight {
                c.state = State::Retransmit;
                self.flight = self.flight.saturating_sub(c.data.len());
                self.rtx_marked += 1;
            }
        }
        self.t3 = now.checked_add(rto.rto());
        if tsn_lt(self.cum_ack, self.adv_ack_point) {
            self.forward_tsn_due = true;
        }
        expiry
    }

    fn abandon_message(&mut self, stream: u16, msg: u64) {
        for c in self.outstanding.iter_mut().filter(|c| c.msg == msg) {
            match c.state {
                State::InFlight => self.flight = self.flight.saturating_sub(c.data.len()),
                State::Retransmit => self.rtx_marked = self.rtx_marked.saturating_sub(1),
                State::GapAcked | State::Abandoned | State::Unsent => continue,
            }
            c.state = State::Abandoned;
            self.total_bytes = self.total_bytes.saturating_sub(c.data.len());
        }
        // The unsent rest of the message (at the front of its stream's FIFO).
        let mut dropped = 0usize;
        self.pending
            .remove_front_while(stream, |c| c.msg == msg, |c| dropped += c.data.len());
        self.total_bytes = self.total_bytes.saturating_sub(dropped);
        self.unbuffer(stream, dropped);
        self.advance_ack_point();
    }

    /// RFC 3758 §3.5 C1: moves the advanced peer ack point over abandoned chunks.
    fn advance_ack_point(&mut self) {
        let start = self.adv_ack_point;
        let Some(mut i) = self.index_of(self.adv_ack_point.wrapping_add(1)) else {
            return;
        };
        while let Some(c) = self.outstanding.get(i) {
            if c.state != State::Abandoned {
                break;
            }
            self.adv_ack_point = c.tsn;
            i += 1;
        }
        if self.adv_ack_point != start && tsn_lt(self.cum_ack, self.adv_ack_point) {
            self.forward_tsn_due = true;
        }
    }

    /// The FORWARD-TSN to send: new cumulative TSN and the largest skipped
    /// SSN of each ordered stream. `None` when the peer is up to date.
    pub(crate) fn forward_tsn(
        &self,
        streams: &mut ArrayVec<(u16, u16), MAX_FORWARD_STREAMS>,
    ) -> Option<u32> {
        streams.clear();
        if !tsn_lt(self.cum_ack, self.adv_ack_point) {
            return None;
        }
        let mut point = self.cum_ack;
        for c in &self.outstanding {
            if !tsn_le(c.tsn, self.adv_ack_point) {
                break;
            }
            if c.flags & FLAG_UNORDERED == 0 {
                match streams.iter_mut().find(|(s, _)| *s == c.stream_id) {
                    Some((_, ssn)) => {
                        if ssn_lt(*ssn, c.ssn) {
                            *ssn = c.ssn;
                        }
                    }
                    None => {
                        if streams.try_push((c.stream_id, c.ssn)).is_err() {
                            break;
                        }
                    }
                }
            }
            point = c.tsn;
        }
        Some(point)
    }

    /// The I-FORWARD-TSN to send (RFC 8260 §2.3): new cumulative TSN and
    /// (stream, unordered, MID) entries — the largest skipped MID of each
    /// ordered stream, each skipped unordered message.
    pub(crate) fn i_forward_tsn(
        &self,
        entries: &mut ArrayVec<(u16, bool, u32), MAX_FORWARD_STREAMS>,
    ) -> Option<u32> {
        entries.clear();
        if !tsn_lt(self.cum_ack, self.adv_ack_point) {
            return None;
        }
        let mut point = self.cum_ack;
        for c in &self.outstanding {
            if !tsn_le(c.tsn, self.adv_ack_point) {
                break;
            }
            let unordered = c.flags & FLAG_UNORDERED != 0;
            let found = entries.iter_mut().find(|(s, u, m)| {
                *s == c.stream_id && *u == unordered && (!unordered || *m == c.mid)
            });
            match found {
                Some((_, _, mid)) => {
                    if (c.mid.wrapping_sub(*mid) as i32) > 0 {
                        *mid = c.mid;
                    }
                }
                None => {
                    if entries.try_push((c.stream_id, unordered, c.mid)).is_err() {
                        break;
                    }
                }
            }
            point = c.tsn;
        }
        Some(point)
    }

    /// Writes retransmissions and new DATA into `w` as congestion and flow
    /// control allow. Returns true when something was written.
    pub(crate) fn fill(
        &mut self,
        now: Instant,
        w: &mut PacketWriter<'_>,
        rto: &RtoEstimator,
    ) -> bool {
        let mut wrote = false;
        let i_data = self.i_data;
        let header = if i_data {
            I_DATA_HEADER_LEN
        } else {
            DATA_HEADER_LEN
        };
        // Retransmissions first.
        if self.rtx_marked > 0 {
            let mut i = 0;
            while i < self.outstanding.len() && self.rtx_marked > 0 {
                let Some(c) = self.outstanding.get(i) else {
                    break;
                };
                i += 1;
                if c.state != State::Retransmit {
                    continue;
                }
                if c.must_abandon(now) {
                    let (stream, msg) = (c.stream_id, c.msg);
                    self.abandon_message(stream, msg);
                    continue;
                }
                if !self.fast_rtx_allowance && self.flight >= self.cwnd {
                    break;
                }
                if c.wire_len(header) > w.remaining() {
                    break;
                }
                let Some(c) = self.outstanding.get_mut(i - 1) else {
                    break;
                };
                if c.write(w, i_data).is_err() {
                    break;
                }
                c.state = State::InFlight;
                c.sent_count += 1;
                c.last_sent = Some(now);
                self.flight += c.data.len();
                self.rtx_marked = self.rtx_marked.saturating_sub(1);
                self.retransmissions += 1;
                wrote = true;
                if self.t3.is_none() {
                    self.start_t3(now, rto);
                }
            }
            if wrote {
                self.fast_rtx_allowance = false;
            }
            if self.rtx_marked > 0 {
                return wrote;
            }
        }
        // New data.
        while let Some(c) = self.pending.front() {
            if c.flags & FLAG_BEGIN != 0 && c.expires.is_some_and(|e| now >= e) {
                let (stream, msg) = (c.stream_id, c.msg);
                self.abandon_message(stream, msg);
                continue;
            }
            if self.flight >= self.cwnd {
                break;
            }
            let len = c.data.len();
            // Rule A of RFC 9260 §6.1: with nothing in flight, one chunk
            // goes even into a closed window (a zero window probe).
            let probe = self.peer_rwnd < len;
            if probe && self.flight > 0 {
                break;
            }
            if c.wire_len(header) > w.remaining() {
                break;
            }
            let Some(mut c) = self.pending.pop() else {
                break;
            };
            let stream = self.streams.entry(c.stream_id).or_default();
            let unordered = c.flags & FLAG_UNORDERED != 0;
            if c.flags & FLAG_BEGIN != 0 {
                // Sequence numbers are taken when the first fragment
                // leaves, so an abandoned unsent message leaves no gap.
                if !unordered {
                    stream.cur_ssn = stream.next_ssn;
                    stream.next_ssn = stream.next_ssn.wrapping_add(1);
                    stream.cur_mid = stream.next_mid;
                    stream.next_mid = stream.next_mid.wrapping_add(1);
                } else {
                    stream.cur_mid = stream.next_umid;
                    stream.next_umid = stream.next_umid.wrapping_add(1);
                }
            }
            if !unordered {
                c.ssn = stream.cur_ssn;
            }
            c.mid = stream.cur_mid;
            c.tsn = self.next_tsn;
            self.next_tsn = self.next_tsn.wrapping_add(1);
            if probe {
                self.probe_tsn = Some(c.tsn);
            }
            // Cannot fail: room was checked above.
            let _ = c.write(w, i_data);
            c.state = State::InFlight;
            c.sent_count = 1;
            c.last_sent = Some(now);
            self.flight += len;
            self.peer_rwnd = self.peer_rwnd.saturating_sub(len);
            let stream_id = c.stream_id;
            self.outstanding.push_back(c);
            self.unbuffer(stream_id, len);
            wrote = true;
            if self.t3.is_none() {
                self.start_t3(now, rto);
            }
        }
        wrote
    }

    /// Drops everything queued (association closed), returning buffers.
    pub(crate) fn clear(&mut self, pool: &mut BufferPool) {
        self.pending.drain_all(|c| pool.give(c.data));
        for c in self.outstanding.drain(..) {
            pool.give(c.data);
        }
        self.flight = 0;
        self.rtx_marked = 0;
        self.total_bytes = 0;
        self.t3 = None;
        self.probe_tsn = None;
        for s in self.streams.values_mut() {
            s.buffered = 0;
        }
    }

    /// Checks `enqueue` preconditions.
    pub(crate) fn check_room(&self, len: usize, limit: usize) -> Result<(), SctpError> {
        if self.total_bytes + len > limit {
            return Err(SctpError::SendBufferFull {
                buffered: self.total_bytes,
                limit,
            });
        }
        Ok(())
    }
}
