//! Free lists of byte buffers, so that steady-state traffic reuses the
//! same allocations for fragments, messages and control packets.
//!
//! Three size classes keep small buffers from being grown into
//! message-sized ones and large buffers from being spent on small
//! payloads: up to [`TINY`] bytes (small messages), up to [`SMALL`]
//! (fragments, control packets), and larger (reassembled messages, grown
//! once if needed).
//!
//! The lists are not trimmed: they hold at most the peak number of
//! buffers in use, which the send buffer limit and the receive window
//! bound. (A byte ring per direction would be tighter for tiny messages:
//! each one holds a [`TINY`]-byte buffer while queued.)

/// Capacity of the buffers for small payloads.
pub(crate) const TINY: usize = 256;
/// Capacity of the buffers for fragments and packets at any usual MTU.
pub(crate) const SMALL: usize = 2048;

/// Free lists of `Vec<u8>` buffers.
#[derive(Debug, Default)]
pub(crate) struct BufferPool {
    tiny: Vec<Vec<u8>>,
    small: Vec<Vec<u8>>,
    large: Vec<Vec<u8>>,
}

impl BufferPool {
    /// An empty buffer with at least `capacity` bytes of capacity,
    /// recycled when one is free.
    pub(crate) fn take(&mut self, capacity: usize) -> Vec<u8> {
        if capacity <= TINY {
            return match self.tiny.pop() {
                Some(b) => b,
                None => Vec::with_capacity(TINY),
            };
        }
        if capacity <= SMALL {
            return match self.small.pop() {
                Some(b) => b,
                None => Vec::with_capacity(SMALL),
            };
        }
        match self.large.pop() {
            Some(mut b) => {
                if b.capacity() < capacity {
                    b.reserve_exact(capacity);
                }
                b
            }
            None => Vec::with_capacity(capacity),
        }
    }

    /// A buffer holding a copy of `data`.
    pub(crate) fn copy_of(&mut self, data: &[u8]) -> Vec<u8> {
        let mut b = self.take(data.len());
        b.extend_from_slice(data);
        b
    }

    /// Returns a buffer for reuse.
    pub(crate) fn give(&mut self, mut buf: Vec<u8>) {
        buf.clear();
        match buf.capacity() {
            c if c < TINY => {}
            c if c < SMALL => self.tiny.push(buf),
            c if c <= SMALL => self.small.push(buf),
            _ => self.large.push(buf),
        }
    }
}
