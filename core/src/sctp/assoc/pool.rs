//! A free list of byte buffers, so that steady-state traffic reuses the
//! same allocations for fragments, messages and control packets.

/// Buffers kept for reuse at most (beyond that, returned ones are freed).
const MAX_FREE: usize = 8192;

/// A free list of `Vec<u8>` buffers.
#[derive(Debug, Default)]
pub(crate) struct BufferPool {
    free: Vec<Vec<u8>>,
}

impl BufferPool {
    /// A cleared buffer with at least `capacity` bytes of capacity when a
    /// recycled one is large enough; a new one otherwise.
    pub(crate) fn take(&mut self, capacity: usize) -> Vec<u8> {
        match self.free.pop() {
            Some(mut b) => {
                b.clear();
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
    pub(crate) fn give(&mut self, buf: Vec<u8>) {
        if self.free.len() < MAX_FREE && buf.capacity() > 0 {
            self.free.push(buf);
        }
    }
}
