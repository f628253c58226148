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
    pub fn wire_len(&self) -> usize {
        self.len() * T::SIZE
    }

    /// Iterates over the items.
    pub fn iter(&self) -> ItemIter<'a, T> {
        match self {
            ItemList::Wire(b) => ItemIter::Wire(b.chunks_exact(T::SIZE)),
            ItemList::Items(s) => ItemIter::Items(s.iter()),
        }
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        match self {
            ItemList::Wire(b) => w.put(b),
            ItemList::Items(s) => {
                let mut buf = [0u8; 16];
                for item in s.iter() {
                    let slot = buf
                        .get_mut(..T::SIZE)
                        .ok_or(RtcpError::FieldOutOfRange("item size"))?;
                    item.write_to(slot)?;
                    w.put(slot)?;
                }
                Ok(())
            }
        }
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
