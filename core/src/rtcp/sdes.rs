//! Source description (SDES, PT 202; RFC 3550 section 6.5).
//!
//! Zero-copy both ways: a parsed packet keeps the validated wire bytes and
//! iterates over them; a packet to send borrows the caller's
//! [`SdesChunk`]s and items. Either way [`SourceDescription::chunks`] walks
//! the same logical content.
//!
//! Each chunk is an SSRC followed by items (type, length, value) and ends
//! with one or more null octets up to the next 32-bit boundary.

use super::error::{RtcpError, SdesError};
use super::header::{PT_SOURCE_DESCRIPTION, RawPacket, RtcpHeader};
use super::wire::{Writer, align4};

/// The type of an SDES item.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SdesItemType {
    /// Canonical end-point identifier (1).
    Cname,
    /// User name (2).
    Name,
    /// E-mail address (3).
    Email,
    /// Phone number (4).
    Phone,
    /// Geographic location (5).
    Loc,
    /// Application or tool name (6).
    Tool,
    /// Notice/status (7).
    Note,
    /// Private extension (8): value starts with a prefix length and prefix.
    Priv,
    /// Any other non-zero type, kept as is.
    Other(u8),
}

impl SdesItemType {
    /// Type from the wire octet (0 is the terminator, never an item).
    pub fn from_u8(v: u8) -> Self {
        match v {
            1 => SdesItemType::Cname,
            2 => SdesItemType::Name,
            3 => SdesItemType::Email,
            4 => SdesItemType::Phone,
            5 => SdesItemType::Loc,
            6 => SdesItemType::Tool,
            7 => SdesItemType::Note,
            8 => SdesItemType::Priv,
            other => SdesItemType::Other(other),
        }
    }

    /// The wire octet.
    pub fn to_u8(self) -> u8 {
        match self {
            SdesItemType::Cname => 1,
            SdesItemType::Name => 2,
            SdesItemType::Email => 3,
            SdesItemType::Phone => 4,
            SdesItemType::Loc => 5,
            SdesItemType::Tool => 6,
            SdesItemType::Note => 7,
            SdesItemType::Priv => 8,
            SdesItemType::Other(v) => v,
        }
    }
}

/// One SDES item; the value borrows the packet or the caller.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SdesItem<'a> {
    /// Item type.
    pub kind: SdesItemType,
    /// Item value (at most 255 bytes), UTF-8 by the RFC but not checked.
    pub value: &'a [u8],
}

impl<'a> SdesItem<'a> {
    /// A CNAME item.
    pub fn cname(value: &'a [u8]) -> Self {
        SdesItem {
            kind: SdesItemType::Cname,
            value,
        }
    }

    /// For a PRIV item, its (prefix, value) split; `None` for other types or
    /// when the prefix length runs past the item.
    pub fn private_parts(&self) -> Option<(&'a [u8], &'a [u8])> {
        if self.kind != SdesItemType::Priv {
            return None;
        }
        let (len, rest) = self.value.split_first()?;
        rest.split_at_checked(*len as usize)
    }

    fn wire_len(&self) -> usize {
        2 + self.value.len()
    }

    fn check(&self) -> Result<(), SdesError> {
        if self.kind.to_u8() == 0 {
            return Err(SdesError::EndItem);
        }
        if self.value.len() > 255 {
            return Err(SdesError::ValueTooLong);
        }
        Ok(())
    }
}

/// A chunk to send: an SSRC/CSRC and its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SdesChunk<'a> {
    /// The source described.
    pub ssrc: u32,
    /// Its items.
    pub items: &'a [SdesItem<'a>],
}

impl SdesChunk<'_> {
    fn wire_len(&self) -> usize {
        // SSRC, items, at least one null octet, padding to 32 bits.
        align4(4 + self.items.iter().map(SdesItem::wire_len).sum::<usize>() + 1)
    }
}

#[derive(Debug, Clone, Copy)]
enum SdesRepr<'a> {
    Wire { count: u8, body: &'a [u8] },
    Chunks(&'a [SdesChunk<'a>]),
}

/// Source description packet (PT 202).
#[derive(Debug, Clone, Copy)]
pub struct SourceDescription<'a> {
    repr: SdesRepr<'a>,
}

/// Reads the chunk starting at `pos` of a validated or unvalidated body:
/// returns (SSRC, item bytes without the terminator, start of next chunk).
fn read_chunk(body: &[u8], pos: usize) -> Result<(u32, &[u8], usize), RtcpError> {
    let chunk = body.get(pos..).unwrap_or_default();
    let (ssrc, items_area) = chunk
        .split_first_chunk::<4>()
        .ok_or(SdesError::MissingChunk)?;
    // Skip items (type, length, value) up to the null terminator.
    let mut end = 0usize;
    loop {
        match items_area.get(end) {
            None => return Err(SdesError::MissingTerminator.into()),
            Some(0) => break,
            Some(_) => {
                let len = items_area.get(end + 1).ok_or(SdesError::ItemOverrun)?;
                end += 2 + usize::from(*len);
                if end > items_area.len() {
                    return Err(SdesError::ItemOverrun.into());
                }
            }
        }
    }
    // SSRC, items, terminator, then null octets up to a 32-bit boundary.
    let chunk_end = align4(4 + end + 1);
    if chunk_end > chunk.len() {
        return Err(SdesError::MissingTerminator.into());
    }
    let items = items_area.get(..end).unwrap_or_default();
    Ok((u32::from_be_bytes(*ssrc), items, pos + chunk_end))
}

impl<'a> SourceDescription<'a> {
    /// A packet to send made of the caller's chunks (at most 31).
    pub fn new(chunks: &'a [SdesChunk<'a>]) -> Result<Self, RtcpError> {
        if chunks.len() > 31 {
            return Err(RtcpError::TooManyReports {
                max: 31,
                got: chunks.len(),
            });
        }
        for item in chunks.iter().flat_map(|c| c.items) {
            item.check()?;
        }
        Ok(SourceDescription {
            repr: SdesRepr::Chunks(chunks),
        })
    }

    /// Parses a buffer holding exactly one SDES packet.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes an SDES packet already cut by [`RawPacket::split`]; checks
    /// every chunk and item against the packet length.
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_SOURCE_DESCRIPTION, None)?;
        let mut pos = 0;
        for _ in 0..raw.header.count {
            pos = read_chunk(raw.body, pos)?.2;
        }
        if pos != raw.body.len() {
            return Err(SdesError::TrailingBytes.into());
        }
        Ok(SourceDescription {
            repr: SdesRepr::Wire {
                count: raw.header.count,
                body: raw.body,
            },
        })
    }

    /// Number of chunks (the SC field).
    pub fn chunk_count(&self) -> usize {
        match self.repr {
            SdesRepr::Wire { count, .. } => count as usize,
            SdesRepr::Chunks(c) => c.len(),
        }
    }

    /// Iterates over the chunks.
    pub fn chunks(&self) -> SdesChunks<'a> {
        SdesChunks {
            repr: self.repr,
            index: 0,
            pos: 0,
        }
    }

    /// The first CNAME item and the source it describes.
    pub fn cname(&self) -> Option<(u32, &'a [u8])> {
        self.chunks().find_map(|c| {
            let ssrc = c.ssrc;
            c.items
                .clone()
                .find(|i| i.kind == SdesItemType::Cname)
                .map(|i| (ssrc, i.value))
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    #[inline]
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE
            + match self.repr {
                SdesRepr::Wire { body, .. } => body.len(),
                SdesRepr::Chunks(c) => c.iter().map(SdesChunk::wire_len).sum(),
            }
    }

    /// Writes the packet into `out`, returning the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let size = self.marshal_size();
        let count = u8::try_from(self.chunk_count()).map_err(|_| RtcpError::TooManyReports {
            max: 31,
            got: self.chunk_count(),
        })?;
        let header = RtcpHeader::for_packet(PT_SOURCE_DESCRIPTION, count, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        header.write(&mut w)?;
        match self.repr {
            SdesRepr::Wire { body, .. } => w.put(body)?,
            SdesRepr::Chunks(chunks) => {
                for chunk in chunks {
                    let start = w.position();
                    w.u32(chunk.ssrc)?;
                    for item in chunk.items {
                        item.check()?;
                        w.u8(item.kind.to_u8())?;
                        w.u8(item.value.len() as u8)?;
                        w.put(item.value)?;
                    }
                    let used = w.position() - start;
                    w.zeros(chunk.wire_len() - used)?;
                }
            }
        }
        Ok(w.position())
    }
}

impl PartialEq for SourceDescription<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.chunk_count() == other.chunk_count() && self.chunks().eq(other.chunks())
    }
}

impl Eq for SourceDescription<'_> {}

/// Iterator over the chunks of a [`SourceDescription`].
#[derive(Debug, Clone)]
pub struct SdesChunks<'a> {
    repr: SdesRepr<'a>,
    index: usize,
    pos: usize,
}

impl<'a> Iterator for SdesChunks<'a> {
    type Item = SdesChunkView<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.repr {
            SdesRepr::Wire { count, body } => {
                if self.index >= count as usize {
                    return None;
                }
                // Validated by `from_raw`, so this does not fail.
                let (ssrc, items, next) = read_chunk(body, self.pos).ok()?;
                self.pos = next;
                self.index += 1;
                Some(SdesChunkView {
                    ssrc,
                    items: SdesItems::Wire(items),
                })
            }
            SdesRepr::Chunks(chunks) => {
                let chunk = chunks.get(self.index)?;
                self.index += 1;
                Some(SdesChunkView {
                    ssrc: chunk.ssrc,
                    items: SdesItems::List(chunk.items.iter()),
                })
            }
        }
    }
}

/// One chunk as seen by [`SdesChunks`].
#[derive(Debug, Clone)]
pub struct SdesChunkView<'a> {
    /// The source described.
    pub ssrc: u32,
    /// Iterator over its items.
    pub items: SdesItems<'a>,
}

impl PartialEq for SdesChunkView<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.ssrc == other.ssrc && self.items.clone().eq(other.items.clone())
    }
}

/// Iterator over the items of one chunk.
#[derive(Debug, Clone)]
pub enum SdesItems<'a> {
    /// Items still in wire form (type, length, value)*.
    Wire(&'a [u8]),
    /// Items given by the caller.
    List(core::slice::Iter<'a, SdesItem<'a>>),
}

impl<'a> Iterator for SdesItems<'a> {
    type Item = SdesItem<'a>;

    fn next(&mut self) -> Option<Self::Item> {
        match self {
            SdesItems::Wire(bytes) => {
                let (&kind, rest) = bytes.split_first()?;
                let (&len, rest) = rest.split_first()?;
                let (value, rest) = rest.split_at_checked(len as usize)?;
                *bytes = rest;
                Some(SdesItem {
                    kind: SdesItemType::from_u8(kind),
                    value,
                })
            }
            SdesItems::List(iter) => iter.next().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cname_chunk_fields() {
        let bytes = [
            0x81, 202, 0x00, 0x03, // SC=1, length 3
            0x12, 0x34, 0x56, 0x78, // SSRC
            0x01, 0x04, b'a', b'b', // CNAME len 4
            b'c', b'd', 0x00, 0x00, // "abcd", END, pad
        ];
        let sdes = SourceDescription::parse(&bytes).unwrap();
        assert_eq!(sdes.chunk_count(), 1);
        assert_eq!(sdes.cname(), Some((0x1234_5678, &b"abcd"[..])));
        let mut out = [0u8; 16];
        assert_eq!(sdes.marshal_to(&mut out).unwrap(), 16);
        assert_eq!(out, bytes);
        // Built from chunks, same bytes.
        let items = [SdesItem::cname(b"abcd")];
        let chunks = [SdesChunk {
            ssrc: 0x1234_5678,
            items: &items,
        }];
        let built = SourceDescription::new(&chunks).unwrap();
        assert_eq!(built, sdes);
        let mut out2 = [0u8; 16];
        assert_eq!(built.marshal_to(&mut out2).unwrap(), 16);
        assert_eq!(out2, bytes);
    }

    #[test]
    fn aligned_items_need_a_whole_null_word() {
        // Items end exactly on a word boundary: four null octets follow.
        let items = [SdesItem::cname(b"ab")];
        let chunks = [SdesChunk {
            ssrc: 1,
            items: &items,
        }];
        let sdes = SourceDescription::new(&chunks).unwrap();
        assert_eq!(sdes.marshal_size(), 4 + 12);
        let mut out = [0xffu8; 16];
        sdes.marshal_to(&mut out).unwrap();
        assert_eq!(&out[8..16], &[1, 2, b'a', b'b', 0, 0, 0, 0]);
        assert_eq!(SourceDescription::parse(&out).unwrap(), sdes);
    }

    #[test]
    fn priv_item() {
        let item = SdesItem {
            kind: SdesItemType::Priv,
            value: b"\x03abcxyz",
        };
        assert_eq!(item.private_parts(), Some((&b"abc"[..], &b"xyz"[..])));
        let bad = SdesItem {
            kind: SdesItemType::Priv,
            value: b"\x09ab",
        };
        assert_eq!(bad.private_parts(), None);
    }

    #[test]
    fn item_past_chunk() {
        let bytes = [
            0x81, 202, 0x00, 0x02, //
            0x00, 0x00, 0x00, 0x01, //
            0x01, 0x09, b'a', b'b', // CNAME claims 9 bytes
        ];
        assert_eq!(
            SourceDescription::parse(&bytes),
            Err(RtcpError::InvalidSdes(SdesError::ItemOverrun))
        );
        let unterminated = [
            0x81, 202, 0x00, 0x02, //
            0x00, 0x00, 0x00, 0x01, //
            0x01, 0x02, b'a', b'b', // no null octet
        ];
        assert_eq!(
            SourceDescription::parse(&unterminated),
            Err(RtcpError::InvalidSdes(SdesError::MissingTerminator))
        );
        let missing = [0x82, 202, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 0];
        assert_eq!(
            SourceDescription::parse(&missing),
            Err(RtcpError::InvalidSdes(SdesError::MissingChunk))
        );
        let trailing = [0x81, 202, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        assert_eq!(
            SourceDescription::parse(&trailing),
            Err(RtcpError::InvalidSdes(SdesError::TrailingBytes))
        );
    }

    #[test]
    fn builder_checks() {
        let long = [0u8; 256];
        let items = [SdesItem::cname(&long)];
        let chunks = [SdesChunk {
            ssrc: 1,
            items: &items,
        }];
        assert_eq!(
            SourceDescription::new(&chunks),
            Err(RtcpError::InvalidSdes(SdesError::ValueTooLong))
        );
        let end = [SdesItem {
            kind: SdesItemType::Other(0),
            value: b"",
        }];
        let chunks = [SdesChunk {
            ssrc: 1,
            items: &end,
        }];
        assert_eq!(
            SourceDescription::new(&chunks),
            Err(RtcpError::InvalidSdes(SdesError::EndItem))
        );
    }
}
