//! The queue of unsent chunks: one FIFO per stream, served round-robin so
//! that a large message on one stream does not hold back the others.
//!
//! With DATA the fragments of a message must leave back to back (their
//! TSNs are consecutive, RFC 9260 §6.9), so the turn passes to the next
//! stream after a message's last fragment. With I-DATA (RFC 8260) the
//! turn passes after every fragment: messages of different streams
//! interleave.

use std::collections::{HashMap, VecDeque};

use super::super::chunk::FLAG_END;

/// What the queue needs to know of a chunk.
pub(crate) trait Queued {
    /// The stream it goes on.
    fn stream_id(&self) -> u16;
    /// True for the last fragment of its message.
    fn ends_message(&self) -> bool;
}

/// Per-stream FIFOs and the round-robin order of the streams with data.
#[derive(Debug)]
pub(crate) struct SendQueue<T> {
    queues: HashMap<u16, VecDeque<T>>,
    /// Streams with queued chunks; the front one sends next.
    active: VecDeque<u16>,
    len: usize,
    interleave: bool,
}

impl<T: Queued> SendQueue<T> {
    /// An empty queue; `interleave` passes the turn after every fragment.
    pub(crate) fn new(interleave: bool) -> Self {
        Self {
            queues: HashMap::new(),
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
        self.queues.get(&stream).is_some_and(|q| !q.is_empty())
    }

    /// Appends a chunk to its stream's FIFO.
    pub(crate) fn push(&mut self, chunk: T) {
        let stream = chunk.stream_id();
        let q = self.queues.entry(stream).or_default();
        if q.is_empty() {
            self.active.push_back(stream);
        }
        q.push_back(chunk);
        self.len += 1;
    }

    /// The chunk that would be sent next.
    pub(crate) fn front(&self) -> Option<&T> {
        let s = self.active.front()?;
        self.queues.get(s)?.front()
    }

    /// Takes the next chunk and passes the turn when due.
    pub(crate) fn pop(&mut self) -> Option<T> {
        let s = *self.active.front()?;
        let q = self.queues.get_mut(&s)?;
        let c = q.pop_front()?;
        self.len -= 1;
        if q.is_empty() {
            self.active.pop_front();
        } else if self.interleave || c.ends_message() {
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
        while q.front().is_some_and(&mut matches) {
            if let Some(c) = q.pop_front() {
                self.len -= 1;
                drop(c);
            }
        }
        if q.is_empty() {
            self.active.retain(|&s| s != stream);
        }
    }

    /// Removes everything.
    pub(crate) fn drain_all(&mut self, mut drop: impl FnMut(T)) {
        for q in self.queues.values_mut() {
            for c in q.drain(..) {
                drop(c);
            }
        }
        self.active.clear();
        self.len = 0;
    }
}

/// `FLAG_END` test shared by the chunk types that implement [`Queued`].
pub(crate) fn is_end(flags: u8) -> bool {
    flags & FLAG_END != 0
}
