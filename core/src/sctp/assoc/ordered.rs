//! Ordered delivery on one incoming stream (RFC 9260 §6.6, RFC 8260 §2.1):
//! complete messages are handed to the user in sequence-number order, those
//! that arrive early wait, and FORWARD-TSN / I-FORWARD-TSN can move the
//! next expected number past messages that will never come. DATA numbers
//! messages with a 16-bit SSN and I-DATA with a 32-bit MID; one generic
//! queue serves both.

use std::collections::VecDeque;

use super::Message;
use super::rto::ssn_lt;

/// A message sequence number compared in serial number arithmetic
/// (RFC 1982): the SSN of DATA or the MID of I-DATA.
pub(crate) trait SerialNumber: Copy + Eq + Default {
    /// Whether `self` comes before `other`.
    fn precedes(self, other: Self) -> bool;
    /// The number after `self`, wrapping.
    fn successor(self) -> Self;
}

impl SerialNumber for u16 {
    #[inline]
    fn precedes(self, other: Self) -> bool {
        ssn_lt(self, other)
    }
    #[inline]
    fn successor(self) -> Self {
        self.wrapping_add(1)
    }
}

impl SerialNumber for u32 {
    #[inline]
    fn precedes(self, other: Self) -> bool {
        (self.wrapping_sub(other) as i32) < 0
    }
    #[inline]
    fn successor(self) -> Self {
        self.wrapping_add(1)
    }
}

/// The ordered side of one incoming stream for one numbering (SSN or MID).
#[derive(Debug, Default)]
pub(crate) struct OrderedQueue<S> {
    /// The number of the next message to hand out.
    next: S,
    /// Complete messages waiting for an earlier number, sorted.
    waiting: Vec<(S, Message)>,
}

impl<S: SerialNumber> OrderedQueue<S> {
    /// Hands `m` (numbered `seq`) to `ready` if it is next, then every
    /// waiting message it unblocks; keeps it waiting if it is early. A stale
    /// number (a sender bug or a reset race) is handed out as is rather than
    /// held forever.
    #[inline]
    pub(crate) fn deliver(&mut self, seq: S, m: Message, ready: &mut VecDeque<Message>) {
        if seq != self.next {
            if seq.precedes(self.next) {
                ready.push_back(m);
                return;
            }
            let at = self.waiting.partition_point(|(s, _)| s.precedes(seq));
            self.waiting.insert(at, (seq, m));
            return;
        }
        self.next = seq.successor();
        ready.push_back(m);
        self.drain(ready);
    }

    /// FORWARD-TSN / I-FORWARD-TSN: the messages up to `seq` will not come;
    /// hands out what is then in order.
    pub(crate) fn skip_through(&mut self, seq: S, ready: &mut VecDeque<Message>) {
        if !seq.precedes(self.next) {
            self.next = seq.successor();
        }
        self.drain(ready);
    }

    /// Stream reset (RFC 6525 §5.2.2): numbering starts again at 0.
    pub(crate) fn reset(&mut self) {
        self.next = S::default();
    }

    /// Bytes of the complete messages waiting for an earlier number.
    pub(crate) fn waiting_bytes(&self) -> usize {
        self.waiting.iter().map(|(_, m)| m.data.len()).sum()
    }

    fn drain(&mut self, ready: &mut VecDeque<Message>) {
        while self
            .waiting
            .first()
            .is_some_and(|(s, _)| !self.next.precedes(*s))
        {
            let (s, m) = self.waiting.remove(0);
            if !s.precedes(self.next) {
                self.next = s.successor();
            }
            ready.push_back(m);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(tag: u8) -> Message {
        Message {
            stream_id: 1,
            ppid: 53,
            unordered: false,
            data: vec![tag],
        }
    }

    fn tags(ready: &VecDeque<Message>) -> Vec<u8> {
        ready.iter().map(|m| m.data[0]).collect()
    }

    #[test]
    fn early_messages_wait_for_the_gap_across_the_ssn_wrap() {
        let mut q = OrderedQueue::<u16> {
            next: u16::MAX - 1,
            waiting: Vec::new(),
        };
        let mut ready = VecDeque::new();
        q.deliver(1, message(4), &mut ready);
        q.deliver(u16::MAX, message(2), &mut ready);
        q.deliver(0, message(3), &mut ready);
        assert!(ready.is_empty());
        assert_eq!(q.waiting_bytes(), 3);
        q.deliver(u16::MAX - 1, message(1), &mut ready);
        assert_eq!(tags(&ready), [1, 2, 3, 4]);
        assert_eq!(q.waiting_bytes(), 0);
        // Stale: handed out, not held.
        q.deliver(0, message(9), &mut ready);
        assert_eq!(tags(&ready), [1, 2, 3, 4, 9]);
    }

    #[test]
    fn skipping_releases_what_waited_behind_the_skipped_mids() {
        let mut q = OrderedQueue::<u32>::default();
        let mut ready = VecDeque::new();
        q.deliver(3, message(3), &mut ready);
        q.deliver(5, message(5), &mut ready);
        q.skip_through(1, &mut ready);
        assert!(ready.is_empty(), "2 is still missing");
        q.skip_through(2, &mut ready);
        assert_eq!(tags(&ready), [3]);
        q.skip_through(4, &mut ready);
        assert_eq!(tags(&ready), [3, 5]);
        q.reset();
        q.deliver(0, message(0), &mut ready);
        assert_eq!(tags(&ready), [3, 5, 0]);
    }
}
