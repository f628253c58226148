//! The queue of unsent chunks: one FIFO per stream, served by deficit
//! round-robin so that a large message on one stream does not hold back
//! the others, and streams share the link in proportion to their
//! priority (RFC 8831 §6.4: 128 below normal, 256 normal, 512 high, 1024
//! extra high).
//!
//! A stream's turn lasts until it has sent its quantum (16 bytes per
//! priority unit: 4 KiB at normal priority). With DATA the fragments of a
//! message must leave back to back (consecutive TSNs, RFC 9260 §6.9), so a
//! turn only ends at a message boundary, and an overdrawn stream pays it
//! back in its next turns. With I-DATA (RFC 8260) a turn may end after any
//! fragment: messages of different streams interleave.

use std::collections::VecDeque;

use super::stream_map::StreamMap;

use super::super::chunk::FLAG_END;

/// Priority of a stream nobody set (normal).
pub(crate) const DEFAULT_PRIORITY: u16 = 256;
/// Bytes of quantum per priority unit.
const BYTES_PER_UNIT: i64 = 16;

/// What the queue needs to know of a chunk.
pub(crate) trait Queued {
    /// The stream it goes on.
    fn stream_id(&self) -> u16;
    /// True for the last fragment of its message.
    fn ends_message(&self) -> bool;
    /// Payload bytes.
    fn payload_len(&self) -> usize;
}

#[derive(Debug)]
struct StreamQueue<T> {
    chunks: VecDeque<T>,
    priority: u16,
    /// Bytes the stream may still send in its turn (negative: owed).
    deficit: i64,
    /// The last chunk sent was not the end of its message.
    mid_message: bool,
}

impl<T> Default for StreamQueue<T> {
    fn default() -> Self {
        Self {
            chunks: VecDeque::new(),
            priority: DEFAULT_PRIORITY,
            deficit: 0,
            mid_message: false,
        }
    }
}

/// Per-stream FIFOs and the round-robin order of the streams with data.
#[derive(Debug)]
pub(crate) struct SendQueue<T> {
    queues: StreamMap<StreamQueue<T>>,
    /// Streams with queued chunks; the front one sends next.
    active: VecDeque<u16>,
    len: usize,
    interleave: bool,
}

impl<T: Queued> SendQueue<T> {
    /// An empty queue; `interleave` lets turns end inside a message.
    pub(crate) fn new(interleave: bool) -> Self {
        Self {
            queues: StreamMap::default(),
            active: VecDeque::new(),
            len: 0,
            interleave,
        }
    }

    /// True when nothing is queued.
    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// True when chunks of `stream` are queued.
    pub(crate) fn has_stream(&self, stream: u16) -> bool {
        self.queues
            .get(&stream)
            .is_some_and(|q| !q.chunks.is_empty())
    }

    /// Sets the priority of `stream`.
    pub(crate) fn set_priority(&mut self, stream: u16, priority: u16) {
        self.queues.entry(stream).or_default().priority = priority.max(1);
    }

    /// Appends a chunk to its stream's FIFO.
    pub(crate) fn push(&mut self, chunk: T) {
        let stream = chunk.stream_id();
        let q = self.queues.entry(stream).or_default();
        if q.chunks.is_empty() {
            self.active.push_back(stream);
        }
        q.chunks.push_back(chunk);
        self.len += 1;
    }

    /// Brings the stream whose turn it is to the front of `active`,
    /// granting quanta as turns begin.
    fn select(&mut self) -> Option<u16> {
        // Every full round adds a quantum to each skipped stream, so a
        // stream that owes bytes gets its turn within a few rounds; the
        // bound only guards against an endless loop.
        let mut tries = self.active.len().saturating_mul(4096).max(1);
        loop {
            let s = *self.active.front()?;
            let q = self.queues.get_mut(&s)?;
            let in_message = q.mid_message && !self.interleave;
            if in_message || q.deficit > 0 {
                return Some(s);
            }
            q.deficit += i64::from(q.priority) * BYTES_PER_UNIT;
            if q.deficit > 0 || tries == 0 {
                return Some(s);
            }
            tries -= 1;
            self.active.rotate_left(1);
        }
    }

    /// The chunk that goes next.
    pub(crate) fn front(&mut self) -> Option<&T> {
        let s = self.select()?;
        self.queues.get(&s)?.chunks.front()
    }

    /// Takes the chunk that goes next.
    pub(crate) fn pop(&mut self) -> Option<T> {
        let s = self.select()?;
        let q = self.queues.get_mut(&s)?;
        let c = q.chunks.pop_front()?;
        self.len -= 1;
        q.deficit -= i64::try_from(c.payload_len()).unwrap_or(i64::MAX);
        q.mid_message = !c.ends_message();
        if q.chunks.is_empty() {
            // An idle stream keeps no credit (nor debt beyond this turn).
            q.deficit = q.deficit.min(0);
            q.mid_message = false;
            self.active.pop_front();
        } else if q.deficit <= 0 && (self.interleave || !q.mid_message) {
            self.active.rotate_left(1);
        }
        Some(c)
    }

    /// Removes the chunks at the front of `stream`'s FIFO while `matches`
    /// holds (the unsent rest of an abandoned message), handing each to
    /// `drop`.
    pub(crate) fn remove_front_while(
        &mut self,
        stream: u16,
        mut matches: impl FnMut(&T) -> bool,
        mut drop: impl FnMut(T),
    ) {
        let Some(q) = self.queues.get_mut(&stream) else {
            return;
        };
        let mut removed = false;
        while q.chunks.front().is_some_and(&mut matches) {
            if let Some(c) = q.chunks.pop_front() {
                self.len -= 1;
                removed = true;
                drop(c);
            }
        }
        if removed {
            // The message is over: the next one starts at a boundary.
            q.mid_message = false;
        }
        if q.chunks.is_empty() {
            q.deficit = q.deficit.min(0);
            self.active.retain(|&s| s != stream);
        }
    }

    /// Removes everything.
    pub(crate) fn drain_all(&mut self, mut drop: impl FnMut(T)) {
        for q in self.queues.values_mut() {
            for c in q.chunks.drain(..) {
                drop(c);
            }
            q.deficit = 0;
            q.mid_message = false;
        }
        self.active.clear();
        self.len = 0;
    }
}

/// `FLAG_END` test shared by the chunk types that implement [`Queued`].
pub(crate) fn is_end(flags: u8) -> bool {
    flags & FLAG_END != 0
}
