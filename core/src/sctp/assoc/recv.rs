//! The receiving half of an association: TSN tracking for SACKs (gap
//! blocks, duplicates), reassembly of fragmented messages, ordered and
//! unordered delivery per stream, FORWARD-TSN (RFC 3758 §3.6) and
//! incoming stream resets (RFC 6525 §5.2.2).

use std::collections::VecDeque;

use arrayvec::ArrayVec;

use super::super::chunk::{DataChunk, FLAG_BEGIN, FLAG_END, FLAG_UNORDERED, IDataChunk};
use super::ordered::{OrderedQueue, SerialNumber};
use super::pool::BufferPool;
use super::rto::{tsn_le, tsn_lt};
use super::stream_map::StreamMap;

/// TSNs tracked above the lowest slot in use at most (chunks beyond are
/// dropped, and retransmitted by the peer).
pub(crate) const TSN_WINDOW: u32 = 16_384;
/// Slots of a new receiver; the ring doubles (up to [`TSN_WINDOW`]) when
/// the peer's window needs more, so an idle association stays small.
const INITIAL_SLOTS: usize = 256;
/// Gap blocks reported in one SACK at most.
pub(crate) const MAX_GAP_BLOCKS: usize = 64;
/// Duplicate TSNs reported in one SACK at most.
pub(crate) const MAX_DUP_TSNS: usize = 16;

/// A message delivered to the user. `data` comes from the association's
/// buffer pool; hand it back with `Association::recycle` to keep steady
/// state free of allocations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Message {
    /// Stream identifier.
    pub stream_id: u16,
    /// Payload protocol identifier.
    pub ppid: u32,
    /// True when sent unordered.
    pub unordered: bool,
    /// The message bytes.
    pub data: Vec<u8>,
}

#[derive(Debug)]
struct Fragment {
    flags: u8,
    stream_id: u16,
    ssn: u16,
    ppid: u32,
    data: Vec<u8>,
}

#[derive(Debug, Default)]
enum Slot {
    /// Not received.
    #[default]
    Empty,
    /// Received; the fragment waits for the rest of its message.
    Held(Fragment),
    /// Received and passed on (or skipped by FORWARD-TSN).
    Done,
}

#[derive(Debug, Default)]
struct InStream {
    /// Ordered DATA messages, by SSN.
    ssn: OrderedQueue<u16>,
    /// Ordered I-DATA messages, by MID.
    mid: OrderedQueue<u32>,
}

/// An I-DATA message being reassembled (RFC 8260: fragments are found by
/// stream, U bit and MID, ordered by FSN, not by TSN).
#[derive(Debug)]
struct Partial {
    stream_id: u16,
    unordered: bool,
    mid: u32,
    /// PPID, once the first fragment (FSN 0) arrived.
    ppid: Option<u32>,
    /// FSN of the last fragment, once it arrived.
    last_fsn: Option<u32>,
    /// (FSN, bytes) in arrival order.
    fragments: Vec<(u32, Vec<u8>)>,
    bytes: usize,
}

/// What the receiver did with one DATA chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Accepted {
    /// New TSN, stored.
    New,
    /// Already received: reported as a duplicate.
    Duplicate,
    /// No room (window or buffer): dropped, not acknowledged.
    Dropped,
}

/// The receive side state.
#[derive(Debug)]
pub(crate) struct Receiver {
    /// Last TSN received in sequence (cumulative TSN ack point).
    pub(crate) cum_tsn: u32,
    /// Lowest TSN whose slot is still in use.
    base: u32,
    highest: u32,
    slots: Vec<Slot>,
    dups: ArrayVec<u32, MAX_DUP_TSNS>,
    /// Bytes held in fragments, waiting messages and undelivered events.
    /// Bytes of fragments waiting for the rest of their message.
    held_bytes: usize,
    /// Bytes of complete messages the user has not taken yet.
    ready_bytes: usize,
    window: usize,
    /// a_rwnd of the last SACK sent.
    last_advertised: u32,
    max_message_size: usize,
    streams: StreamMap<InStream>,
    /// I-DATA messages being reassembled.
    partials: Vec<Partial>,
    /// Messages ready for the user.
    pub(crate) ready: VecDeque<Message>,
}

impl Receiver {
    pub(crate) fn new(peer_initial_tsn: u32, window: u32, max_message_size: usize) -> Self {
        let cum = peer_initial_tsn.wrapping_sub(1);
        let mut slots = Vec::with_capacity(INITIAL_SLOTS);
        slots.resize_with(INITIAL_SLOTS, Slot::default);
        Self {
            cum_tsn: cum,
            base: peer_initial_tsn,
            highest: cum,
            slots,
            dups: ArrayVec::new(),
            held_bytes: 0,
            ready_bytes: 0,
            window: window as usize,
            last_advertised: window,
            max_message_size,
            streams: StreamMap::default(),
            partials: Vec::new(),
            ready: VecDeque::new(),
        }
    }

    /// Ring index of `tsn` (the ring length is a power of two).
    fn slot_index(&self, tsn: u32) -> usize {
        tsn as usize & (self.slots.len() - 1)
    }

    fn slot(&mut self, tsn: u32) -> Option<&mut Slot> {
        let i = self.slot_index(tsn);
        self.slots.get_mut(i)
    }

    /// True when `tsn` is inside the ring as it is now.
    fn in_ring(&self, tsn: u32) -> bool {
        (tsn.wrapping_sub(self.base) as usize) < self.slots.len()
    }

    /// Grows the ring until `tsn` fits; false when it would exceed
    /// [`TSN_WINDOW`].
    fn make_room(&mut self, tsn: u32) -> bool {
        while !self.in_ring(tsn) {
            let old_len = self.slots.len();
            if old_len >= TSN_WINDOW as usize {
                return false;
            }
            let new_len = old_len * 2;
            let mut grown = Vec::with_capacity(new_len);
            grown.resize_with(new_len, Slot::default);
            for k in 0..old_len as u32 {
                let t = self.base.wrapping_add(k);
                let from = t as usize & (old_len - 1);
                let to = t as usize & (new_len - 1);
                if let (Some(src), Some(dst)) = (self.slots.get_mut(from), grown.get_mut(to)) {
                    *dst = std::mem::take(src);
                }
            }
            self.slots = grown;
        }
        true
    }

    fn is_received(&self, tsn: u32) -> bool {
        if tsn_le(tsn, self.cum_tsn) {
            return true;
        }
        self.in_ring(tsn)
            && !matches!(
                self.slots.get(self.slot_index(tsn)),
                Some(Slot::Empty) | None
            )
    }

    /// True when the window grew by half of its size or more since the
    /// last SACK: worth a window update (RFC 9260 §6.2).
    pub(crate) fn window_opened(&self) -> bool {
        self.a_rwnd() as usize >= self.last_advertised as usize + self.window / 2
    }

    /// Records the a_rwnd a SACK carried.
    pub(crate) fn advertised(&mut self, a_rwnd: u32) {
        self.last_advertised = a_rwnd;
    }

    /// The a_rwnd to advertise.
    pub(crate) fn a_rwnd(&self) -> u32 {
        let used = self.held_bytes + self.ready_bytes;
        u32::try_from(self.window.saturating_sub(used)).unwrap_or(u32::MAX)
    }

    /// True when a gap exists above the cumulative ack (SACK at once).
    pub(crate) fn has_gaps(&self) -> bool {
        self.highest != self.cum_tsn
    }

    /// True when duplicates wait to be reported.
    pub(crate) fn has_dups(&self) -> bool {
        !self.dups.is_empty()
    }

    /// Takes one DATA chunk.
    pub(crate) fn on_data(&mut self, d: &DataChunk<'_>, pool: &mut BufferPool) -> Accepted {
        let tsn = d.tsn;
        if self.is_received(tsn) {
            let _ = self.dups.try_push(tsn);
            return Accepted::Duplicate;
        }
        // RFC 9260 §6.2: no room, no new data. One exception keeps a
        // message larger than the window, or complete messages waiting for
        // it, from deadlocking: the next in-sequence chunk is taken while
        // the user holds nothing unread.
        let used = self.held_bytes + self.ready_bytes;
        if used + d.payload.len() > self.window && !self.takes_next_anyway(tsn) {
            return Accepted::Dropped;
        }
        if !self.make_room(tsn) {
            return Accepted::Dropped;
        }
        let frag = Fragment {
            flags: d.flags,
            stream_id: d.stream_id,
            ssn: d.ssn,
            ppid: d.ppid,
            data: pool.copy_of(d.payload),
        };
        self.held_bytes += d.payload.len();
        if let Some(s) = self.slot(tsn) {
            *s = Slot::Held(frag);
        }
        if tsn_lt(self.highest, tsn) {
            self.highest = tsn;
        }
        self.advance_cum();
        self.try_assemble(tsn, pool);
        self.release_slots();
        Accepted::New
    }

    /// Marks `tsn` received without keeping its data (a DATA chunk for a
    /// stream that does not exist, RFC 9260 §6.5).
    pub(crate) fn skip_tsn(&mut self, tsn: u32) {
        if self.is_received(tsn) {
            let _ = self.dups.try_push(tsn);
            return;
        }
        if !self.make_room(tsn) {
            return;
        }
        if let Some(s) = self.slot(tsn) {
            *s = Slot::Done;
        }
        if tsn_lt(self.highest, tsn) {
            self.highest = tsn;
        }
        self.advance_cum();
        self.release_slots();
    }

    fn advance_cum(&mut self) {
        while tsn_lt(self.cum_tsn, self.highest) {
            let next = self.cum_tsn.wrapping_add(1);
            if !self.in_ring(next)
                || matches!(
                    self.slots.get(self.slot_index(next)),
                    Some(Slot::Empty) | None
                )
            {
                break;
            }
            self.cum_tsn = next;
        }
    }

    /// Frees slots at and below the cumulative ack that hold nothing.
    fn release_slots(&mut self) {
        while tsn_le(self.base, self.cum_tsn) {
            let b = self.base;
            match self.slot(b) {
                Some(s @ Slot::Done) => *s = Slot::Empty,
                _ => break,
            }
            self.base = b.wrapping_add(1);
        }
    }

    /// Finds the fragments of the message containing `tsn`: first TSN,
    /// last TSN and total length, when all of them are held.
    fn find_message(&self, tsn: u32) -> Option<(u32, u32, usize)> {
        let held = |t: u32| match self.slots.get(self.slot_index(t)) {
            Some(Slot::Held(f)) if self.in_ring(t) => Some(f),
            _ => None,
        };
        let at = held(tsn)?;
        let (stream, unordered) = (at.stream_id, at.flags & FLAG_UNORDERED);
        let same = |f: &Fragment| f.stream_id == stream && f.flags & FLAG_UNORDERED == unordered;
        let mut total = at.data.len();
        let mut first = tsn;
        let mut f = at;
        while f.flags & FLAG_BEGIN == 0 {
            first = first.wrapping_sub(1);
            f = held(first).filter(|f| same(f))?;
            total += f.data.len();
            if tsn.wrapping_sub(first) >= TSN_WINDOW {
                return None;
            }
        }
        let mut last = tsn;
        let mut f = at;
        while f.flags & FLAG_END == 0 {
            last = last.wrapping_add(1);
            f = held(last).filter(|f| same(f) && f.flags & FLAG_BEGIN == 0)?;
            total += f.data.len();
            if last.wrapping_sub(tsn) >= TSN_WINDOW {
                return None;
            }
        }
        if first != tsn && held(first).is_some_and(|f| f.flags & FLAG_END != 0) {
            return None;
        }
        Some((first, last, total))
    }

    /// Delivers the complete message containing `tsn`, if there is one.
    fn try_assemble(&mut self, tsn: u32, pool: &mut BufferPool) {
        let Some((first, last, total)) = self.find_message(tsn) else {
            return;
        };
        let mut msg: Option<(u16, Message)> = None;
        let mut t = first;
        loop {
            if let Some(Slot::Held(f)) = self.slot(t).map(|s| std::mem::replace(s, Slot::Done)) {
                self.held_bytes = self.held_bytes.saturating_sub(f.data.len());
                match msg.as_mut() {
                    None => {
                        let data = if first == last {
                            f.data
                        } else {
                            let mut whole = pool.take(total);
                            whole.extend_from_slice(&f.data);
                            pool.give(f.data);
                            whole
                        };
                        let m = Message {
                            stream_id: f.stream_id,
                            ppid: f.ppid,
                            unordered: f.flags & FLAG_UNORDERED != 0,
                            data,
                        };
                        msg = Some((f.ssn, m));
                    }
                    Some((_, m)) => {
                        m.data.extend_from_slice(&f.data);
                        pool.give(f.data);
                    }
                }
            }
            if t == last {
                break;
            }
            t = t.wrapping_add(1);
        }
        let Some((ssn, m)) = msg else {
            return;
        };
        if m.data.len() > self.max_message_size {
            pool.give(m.data);
            return;
        }
        self.deliver(ssn, m);
    }

    /// Hands a complete message to the user, in SSN order on ordered streams.
    fn deliver(&mut self, ssn: u16, m: Message) {
        self.ready_bytes += m.data.len();
        if m.unordered {
            self.ready.push_back(m);
            return;
        }
        let stream = self.streams.entry(m.stream_id).or_default();
        stream.ssn.deliver(ssn, m, &mut self.ready);
    }

    /// Whether `tsn`, arriving with the window full, is taken all the
    /// same: it is the next in-sequence TSN and the user holds nothing it
    /// could read. Complete ordered messages waiting for an earlier SSN or
    /// MID count in `ready_bytes` but cannot be read: when they fill the
    /// window, the chunk they wait for must get in (only on this path, so
    /// the walk over the waiting lists costs nothing in steady state).
    fn takes_next_anyway(&self, tsn: u32) -> bool {
        if tsn != self.cum_tsn.wrapping_add(1) {
            return false;
        }
        let waiting: usize = self
            .streams
            .values()
            .map(|s| s.ssn.waiting_bytes() + s.mid.waiting_bytes())
            .sum();
        self.ready_bytes <= waiting
    }

    /// Called when the user took a message out of `ready`.
    pub(crate) fn delivered(&mut self, len: usize) {
        self.ready_bytes = self.ready_bytes.saturating_sub(len);
    }

    /// FORWARD-TSN (RFC 3758 §3.6): moves the cumulative ack to `new_cum`,
    /// drops fragments at or below it, and skips the listed SSNs.
    pub(crate) fn on_forward_tsn(
        &mut self,
        new_cum: u32,
        skipped: impl Iterator<Item = (u16, u16)>,
        pool: &mut BufferPool,
    ) {
        if tsn_lt(self.cum_tsn, new_cum) {
            // Never move further than the window can describe.
            if new_cum.wrapping_sub(self.cum_tsn) >= TSN_WINDOW || !self.make_room(new_cum) {
                return;
            }
            let mut t = self.base;
            while tsn_le(t, new_cum) {
                if let Some(Slot::Held(f)) = self.slot(t).map(|s| std::mem::replace(s, Slot::Done))
                {
                    self.held_bytes = self.held_bytes.saturating_sub(f.data.len());
                    pool.give(f.data);
                }
                t = t.wrapping_add(1);
            }
            self.cum_tsn = new_cum;
            if tsn_lt(self.highest, new_cum) {
                self.highest = new_cum;
            }
            self.advance_cum();
            // Fragments above the new point may now start a message.
            self.release_slots();
        }
        for (stream_id, ssn) in skipped {
            let stream = self.streams.entry(stream_id).or_default();
            stream.ssn.skip_through(ssn, &mut self.ready);
        }
    }

    /// Resets the incoming SSNs of `streams` (all known streams when empty).
    pub(crate) fn reset_streams(&mut self, streams: impl Iterator<Item = u16>, all: bool) {
        if all {
            for s in self.streams.values_mut() {
                s.ssn.reset();
                s.mid.reset();
            }
            return;
        }
        for id in streams {
            let s = self.streams.entry(id).or_default();
            s.ssn.reset();
            s.mid.reset();
        }
    }

    /// Takes one I-DATA chunk (RFC 8260 §2.1): the TSN is tracked as for
    /// DATA; the fragment joins its message by (stream, U, MID).
    pub(crate) fn on_i_data(&mut self, d: &IDataChunk<'_>, pool: &mut BufferPool) -> Accepted {
        let tsn = d.tsn;
        if self.is_received(tsn) {
            let _ = self.dups.try_push(tsn);
            return Accepted::Duplicate;
        }
        let used = self.held_bytes + self.ready_bytes;
        if used + d.payload.len() > self.window && !self.takes_next_anyway(tsn) {
            return Accepted::Dropped;
        }
        if !self.make_room(tsn) {
            return Accepted::Dropped;
        }
        if let Some(s) = self.slot(tsn) {
            *s = Slot::Done;
        }
        if tsn_lt(self.highest, tsn) {
            self.highest = tsn;
        }
        self.advance_cum();
        self.release_slots();
        let unordered = d.flags & FLAG_UNORDERED != 0;
        let begin = d.flags & FLAG_BEGIN != 0;
        let end = d.flags & FLAG_END != 0;
        if begin && end {
            let m = Message {
                stream_id: d.stream_id,
                ppid: d.ppid_or_fsn,
                unordered,
                data: pool.copy_of(d.payload),
            };
            self.deliver_i(d.mid, m, pool);
            return Accepted::New;
        }
        let fsn = if begin { 0 } else { d.ppid_or_fsn };
        let at =
            match self.partials.iter().position(|p| {
                p.stream_id == d.stream_id && p.unordered == unordered && p.mid == d.mid
            }) {
                Some(i) => i,
                None => {
                    self.partials.push(Partial {
                        stream_id: d.stream_id,
                        unordered,
                        mid: d.mid,
                        ppid: None,
                        last_fsn: None,
                        fragments: Vec::new(),
                        bytes: 0,
                    });
                    self.partials.len() - 1
                }
            };
        let Some(p) = self.partials.get_mut(at) else {
            return Accepted::New;
        };
        if begin {
            p.ppid = Some(d.ppid_or_fsn);
        }
        if end {
            p.last_fsn = Some(fsn);
        }
        p.fragments.push((fsn, pool.copy_of(d.payload)));
        p.bytes += d.payload.len();
        self.held_bytes += d.payload.len();
        let complete = p.ppid.is_some()
            && p.last_fsn
                .is_some_and(|l| usize::try_from(l).is_ok_and(|l| l + 1 == p.fragments.len()));
        if complete {
            let mut p = self.partials.swap_remove(at);
            self.held_bytes = self.held_bytes.saturating_sub(p.bytes);
            if p.bytes > self.max_message_size {
                for (_, f) in p.fragments.drain(..) {
                    pool.give(f);
                }
                return Accepted::New;
            }
            p.fragments.sort_unstable_by_key(|(fsn, _)| *fsn);
            let mut data = pool.take(p.bytes);
            for (_, f) in p.fragments.drain(..) {
                data.extend_from_slice(&f);
                pool.give(f);
            }
            let m = Message {
                stream_id: p.stream_id,
                ppid: p.ppid.unwrap_or(0),
                unordered: p.unordered,
                data,
            };
            self.deliver_i(p.mid, m, pool);
        }
        Accepted::New
    }

    /// Delivers a complete I-DATA message, in MID order on ordered streams.
    fn deliver_i(&mut self, mid: u32, m: Message, pool: &mut BufferPool) {
        if m.data.len() > self.max_message_size {
            pool.give(m.data);
            return;
        }
        self.ready_bytes += m.data.len();
        if m.unordered {
            self.ready.push_back(m);
            return;
        }
        let stream = self.streams.entry(m.stream_id).or_default();
        stream.mid.deliver(mid, m, &mut self.ready);
    }

    /// I-FORWARD-TSN (RFC 8260 §2.3.1): moves the cumulative ack, drops
    /// the skipped messages' fragments, skips ordered MIDs.
    pub(crate) fn on_i_forward_tsn(
        &mut self,
        new_cum: u32,
        entries: impl Iterator<Item = (u16, bool, u32)>,
        pool: &mut BufferPool,
    ) {
        self.on_forward_tsn(new_cum, std::iter::empty(), pool);
        for (stream_id, unordered, mid) in entries {
            let mut i = 0;
            while let Some(p) = self.partials.get(i) {
                let skipped = p.stream_id == stream_id
                    && p.unordered == unordered
                    && if unordered {
                        p.mid == mid
                    } else {
                        !mid.precedes(p.mid)
                    };
                if skipped {
                    let mut p = self.partials.swap_remove(i);
                    self.held_bytes = self.held_bytes.saturating_sub(p.bytes);
                    for (_, f) in p.fragments.drain(..) {
                        pool.give(f);
                    }
                } else {
                    i += 1;
                }
            }
            if !unordered {
                let stream = self.streams.entry(stream_id).or_default();
                stream.mid.skip_through(mid, &mut self.ready);
            }
        }
    }

    /// Fills the gap blocks and duplicate TSNs of the next SACK.
    pub(crate) fn sack_info(
        &mut self,
        gaps: &mut ArrayVec<(u16, u16), MAX_GAP_BLOCKS>,
        dups: &mut ArrayVec<u32, MAX_DUP_TSNS>,
    ) {
        gaps.clear();
        dups.clear();
        dups.extend(self.dups.drain(..));
        let mut t = self.cum_tsn.wrapping_add(1);
        let mut start: Option<u32> = None;
        while tsn_le(t, self.highest) && !gaps.is_full() {
            let got = self.is_received(t);
            match (got, start) {
                (true, None) => start = Some(t),
                (false, Some(s)) => {
                    let _ = gaps.try_push(self.gap(s, t.wrapping_sub(1)));
                    start = None;
                }
                _ => {}
            }
            t = t.wrapping_add(1);
        }
        if let Some(s) = start {
            let _ = gaps.try_push(self.gap(s, t.wrapping_sub(1)));
        }
    }

    fn gap(&self, start: u32, end: u32) -> (u16, u16) {
        let off = |t: u32| u16::try_from(t.wrapping_sub(self.cum_tsn)).unwrap_or(u16::MAX);
        (off(start), off(end))
    }
}
