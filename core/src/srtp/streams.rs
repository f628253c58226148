//! The per-SSRC state of a context (RFC 3711 §3.2.3: one cryptographic
//! context per SSRC), bounded by [`super::SrtpConfig::max_ssrcs`].
//!
//! Looking up the stream is on every packet, so the table remembers the
//! stream it returned last: consecutive packets of one SSRC (every packet
//! of a video frame, a burst of retransmissions) are found with one
//! comparison, and only a change of SSRC goes through the hash map.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// A deterministic hasher for SSRC keys: one multiply (SSRCs are random
/// already; the table is bounded, so collisions cost little). Deterministic
/// so instruction counts do not depend on a random seed.
#[derive(Default)]
pub(crate) struct SsrcHasher(u64);

impl Hasher for SsrcHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0.rotate_left(8) ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (u64::from(n) ^ 0x5bd1_e995).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// Streams by SSRC. Streams are never removed, so a stream keeps its slot
/// for the life of the context; every allocation happens when a stream is
/// added (the slots and the map are sized for the limit up front).
#[derive(Debug, Clone)]
pub(crate) struct StreamTable<T> {
    /// SSRC of each slot (kept apart from the streams so the last-used
    /// check reads one word).
    ssrcs: Vec<u32>,
    streams: Vec<T>,
    slots: HashMap<u32, usize, BuildHasherDefault<SsrcHasher>>,
    /// Slot returned last.
    last: usize,
    limit: usize,
}

impl<T> StreamTable<T> {
    /// An empty table for at most `limit` streams.
    pub(crate) fn new(limit: usize) -> Self {
        // Pre-size for the limit, but do not let a huge configured limit
        // allocate up front: past 1024 streams the vectors grow as needed.
        let capacity = limit.min(1024);
        Self {
            ssrcs: Vec::with_capacity(capacity),
            streams: Vec::with_capacity(capacity),
            slots: HashMap::with_capacity_and_hasher(capacity, BuildHasherDefault::default()),
            last: 0,
            limit,
        }
    }

    /// Number of streams.
    pub(crate) fn len(&self) -> usize {
        self.streams.len()
    }

    /// Whether a stream for one more SSRC would pass the limit.
    pub(crate) fn is_full(&self) -> bool {
        self.streams.len() >= self.limit
    }

    #[inline]
    fn slot(&mut self, ssrc: u32) -> Option<usize> {
        if self.ssrcs.get(self.last) == Some(&ssrc) {
            return Some(self.last);
        }
        self.lookup(ssrc)
    }

    /// The hash map lookup behind [`slot`](Self::slot), out of line so the
    /// same-SSRC path stays small.
    #[inline(never)]
    fn lookup(&mut self, ssrc: u32) -> Option<usize> {
        let slot = *self.slots.get(&ssrc)?;
        self.last = slot;
        Some(slot)
    }

    /// The stream of `ssrc`, if it has one.
    #[inline]
    pub(crate) fn get_mut(&mut self, ssrc: u32) -> Option<&mut T> {
        let slot = self.slot(ssrc)?;
        self.streams.get_mut(slot)
    }

    /// The stream of `ssrc`, read only (does not move the last-used slot).
    pub(crate) fn get(&self, ssrc: u32) -> Option<&T> {
        self.streams.get(*self.slots.get(&ssrc)?)
    }

    /// Adds the stream of a new `ssrc` (the caller checked it has none and
    /// that the table is not full) and returns it.
    pub(crate) fn insert(&mut self, ssrc: u32, stream: T) -> Option<&mut T> {
        let slot = self.push(ssrc, stream);
        self.streams.get_mut(slot)
    }

    /// The stream of `ssrc`, created with `new` if it has none; `None` when
    /// it has none and the table is full.
    #[inline]
    pub(crate) fn get_or_insert_with(
        &mut self,
        ssrc: u32,
        new: impl FnOnce() -> T,
    ) -> Option<&mut T> {
        let slot = match self.slot(ssrc) {
            Some(slot) => slot,
            None => self.insert_new(ssrc, new)?,
        };
        self.streams.get_mut(slot)
    }

    #[cold]
    #[inline(never)]
    fn insert_new(&mut self, ssrc: u32, new: impl FnOnce() -> T) -> Option<usize> {
        if self.is_full() {
            return None;
        }
        Some(self.push(ssrc, new()))
    }

    fn push(&mut self, ssrc: u32, stream: T) -> usize {
        let slot = self.streams.len();
        self.ssrcs.push(ssrc);
        self.streams.push(stream);
        self.slots.insert(ssrc, slot);
        self.last = slot;
        slot
    }
}

#[cfg(test)]
mod tests {
    use super::StreamTable;

    #[test]
    fn finds_every_stream_whatever_the_order() {
        let mut table = StreamTable::new(8);
        for ssrc in 0..8u32 {
            assert!(table.get_mut(ssrc * 7919).is_none());
            *table.insert(ssrc * 7919, ssrc).unwrap() += 100;
        }
        assert!(table.is_full());
        // Interleaved, repeated and reversed lookups all land on the right stream.
        for ssrc in [3u32, 3, 0, 7, 7, 7, 1, 3, 6, 5, 4, 2, 2, 0] {
            assert_eq!(*table.get_mut(ssrc * 7919).unwrap(), ssrc + 100);
            assert_eq!(*table.get(ssrc * 7919).unwrap(), ssrc + 100);
        }
        assert!(table.get_mut(1).is_none());
        assert!(table.get(1).is_none());
        assert_eq!(table.len(), 8);
        // Full: an existing stream is still found, a new one is refused.
        assert_eq!(*table.get_or_insert_with(5 * 7919, || 0).unwrap(), 105);
        assert!(table.get_or_insert_with(1, || 0).is_none());
        assert_eq!(table.len(), 8);
    }

    #[test]
    fn a_miss_does_not_disturb_the_last_stream() {
        let mut table = StreamTable::new(4);
        table.insert(10, 'a');
        assert_eq!(table.get_or_insert_with(20, || 'b'), Some(&mut 'b'));
        assert_eq!(table.get_mut(10), Some(&mut 'a'));
        assert!(table.get_mut(30).is_none());
        assert_eq!(table.get_mut(10), Some(&mut 'a'));
        assert_eq!(table.get_mut(20), Some(&mut 'b'));
    }
}
