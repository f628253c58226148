//! [`ItemList`]: a zero-copy list of fixed-size wire items (NACK pairs, FIR
//! entries, SSRCs, DLRR sub-blocks) that is either still in wire form (parsed)
//! or a slice the caller owns (to send). Neither form allocates.

use core::slice::{ChunksExact, Iter};

use super::error::RtcpError;
use super::wire::{Reader, Writer};

/// A value with a fixed size on the wire.
pub trait FixedSizeItem: Copy {
    /// Size on the wire in bytes.
    const SIZE: usize;
    /// Reads one item from exactly `SIZE` bytes.
    fn read_from(bytes: &[u8]) -> Result<Self, RtcpError>;
    /// Writes one item (`SIZE` bytes) into the front of `out`.
    fn write_to(&self, out: &mut [u8]) -> Result<(), RtcpError>;
}

impl FixedSizeItem for u32 {
    const SIZE: usize = 4;

    fn read_from(bytes: &[u8]) -> Result<Self, RtcpError> {
        Reader::new(bytes).u32()
    }

    fn write_to(&self, out: &mut [u8]) -> Result<(), RtcpError> {
        Writer::with_capacity(out, 4)?.u32(*self)
    }
}

/// A list of fixed-size items, parsed (wire bytes) or built (a slice).
#[derive(Debug, Clone, Copy)]
pub enum ItemList<'a, T> {
    /// Items in wire form; the length is a multiple of `T::SIZE`.
    Wire(&'a [u8]),
    /// Items given by the caller.
    Items(&'a [T]),
}

impl<T> Default for ItemList<'_, T> {
    fn default() -> Self {
        ItemList::Items(&[])
    }
}

impl<'a, T: FixedSizeItem> ItemList<'a, T> {
    /// Wraps wire bytes after checking their length is a whole number of items.
    pub fn from_wire(bytes: &'a [u8]) -> Result<Self, RtcpError> {
        if !bytes.len().is_multiple_of(T::SIZE) {
            return Err(RtcpError::Misaligned(bytes.len()));
        }
        Ok(ItemList::Wire(bytes))
    }

    /// Number of items.
    #[inline]
    pub fn len(&self) -> usize {
        match self {
            ItemList::Wire(b) => b.len() / T::SIZE,
            ItemList::Items(s) => s.len(),
        }
    }

    /// True when the list holds no item.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Bytes the items take on the wire.
    #[inline]
    pub fn wire_len(&self) -> usize {
        self.len() * T::SIZE
    }

    /// The item at `index`, or `None` past the end.
    pub fn get(&self, index: usize) -> Option<T> {
        match self {
            ItemList::Wire(b) => {
                let start = index.checked_mul(T::SIZE)?;
                let bytes = b.get(start..start.checked_add(T::SIZE)?)?;
                T::read_from(bytes).ok()
            }
            ItemList::Items(s) => s.get(index).copied(),
        }
    }

    /// The first item, or `None` when empty.
    pub fn first(&self) -> Option<T> {
        self.get(0)
    }

    /// Iterates over the items.
    pub fn iter(&self) -> ItemIter<'a, T> {
        match self {
            ItemList::Wire(b) => ItemIter::Wire(b.chunks_exact(T::SIZE)),
            ItemList::Items(s) => ItemIter::Items(s.iter()),
        }
    }

    /// Writes the items in wire form: wire bytes are copied as they are
    /// (after checking they hold whole items), built items are encoded
    /// straight into the output.
    #[inline]
    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        match self {
            ItemList::Wire(b) => {
                if !b.len().is_multiple_of(T::SIZE) {
                    return Err(RtcpError::Misaligned(b.len()));
                }
                w.put(b)
            }
            ItemList::Items(s) => {
                let dst = w.take(s.len() * T::SIZE)?;
                for (slot, item) in dst.chunks_exact_mut(T::SIZE).zip(s.iter()) {
                    item.write_to(slot)?;
                }
                Ok(())
            }
        }
    }
}

impl<'a, T: FixedSizeItem> IntoIterator for &ItemList<'a, T> {
    type Item = T;
    type IntoIter = ItemIter<'a, T>;

    fn into_iter(self) -> ItemIter<'a, T> {
        self.iter()
    }
}

impl<'a, T: FixedSizeItem> IntoIterator for ItemList<'a, T> {
    type Item = T;
    type IntoIter = ItemIter<'a, T>;

    fn into_iter(self) -> ItemIter<'a, T> {
        self.iter()
    }
}

impl<T: FixedSizeItem + PartialEq> PartialEq for ItemList<'_, T> {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<T: FixedSizeItem + Eq> Eq for ItemList<'_, T> {}

/// Iterator over an [`ItemList`].
#[derive(Debug, Clone)]
pub enum ItemIter<'a, T> {
    /// Over wire bytes.
    Wire(ChunksExact<'a, u8>),
    /// Over a caller slice.
    Items(Iter<'a, T>),
}

impl<T: FixedSizeItem> Iterator for ItemIter<'_, T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        match self {
            // Chunks are exactly SIZE bytes, so reading cannot fail.
            ItemIter::Wire(c) => c.next().and_then(|b| T::read_from(b).ok()),
            ItemIter::Items(i) => i.next().copied(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match self {
            ItemIter::Wire(c) => c.size_hint(),
            ItemIter::Items(i) => i.size_hint(),
        }
    }
}

impl<T: FixedSizeItem> ExactSizeIterator for ItemIter<'_, T> {}
