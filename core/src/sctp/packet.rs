//! The SCTP packet: common header and chunk framing (RFC 9260 §3.1, §3.2).

use super::chunk::ChunkView;
use super::error::SctpError;
use super::{checksum, put, put_u16, put_u32, read_u16, read_u32};

/// Length of the SCTP common header.
pub const COMMON_HEADER_LEN: usize = 12;
/// Length of a chunk header (type, flags, length).
pub const CHUNK_HEADER_LEN: usize = 4;

/// The SCTP common header (RFC 9260 §3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommonHeader {
    /// Source port.
    pub source_port: u16,
    /// Destination port.
    pub destination_port: u16,
    /// Verification tag.
    pub verification_tag: u32,
    /// The checksum field as carried (little-endian CRC32c, or 0 under RFC 9653).
    pub checksum: u32,
}

impl CommonHeader {
    /// Parses the first 12 bytes of `buf`.
    pub fn parse(buf: &[u8]) -> Result<Self, SctpError> {
        if buf.len() < COMMON_HEADER_LEN {
            return Err(SctpError::PacketTooShort(buf.len()));
        }
        Ok(Self {
            source_port: read_u16(buf, 0)?,
            destination_port: read_u16(buf, 2)?,
            verification_tag: read_u32(buf, 4)?,
            checksum: checksum::read_checksum(buf).unwrap_or(0),
        })
    }

    /// Writes the header (with its `checksum` field as is) into `out[..12]`.
    pub fn write(&self, out: &mut [u8]) -> Result<(), SctpError> {
        if out.len() < COMMON_HEADER_LEN {
            return Err(SctpError::BufferTooSmall {
                needed: COMMON_HEADER_LEN,
                available: out.len(),
            });
        }
        put_u16(out, 0, self.source_port);
        put_u16(out, 2, self.destination_port);
        put_u32(out, 4, self.verification_tag);
        put(out, 8, &self.checksum.to_le_bytes());
        Ok(())
    }
}

/// One chunk as framed in a packet: type, flags and value, not yet decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawChunk<'a> {
    /// Chunk type (RFC 9260 §3.2).
    pub chunk_type: u8,
    /// Chunk flags.
    pub flags: u8,
    /// Chunk value: the bytes after the 4-byte header, padding excluded.
    pub value: &'a [u8],
    /// Padding bytes that followed the chunk in the packet (0 to 3).
    pub padding: usize,
}

impl<'a> RawChunk<'a> {
    /// Decodes the chunk into its typed view.
    pub fn decode(&self) -> Result<ChunkView<'a>, SctpError> {
        ChunkView::decode(self.chunk_type, self.flags, self.value)
    }

    /// Length of the chunk on the wire, header included, padding excluded.
    pub fn len(&self) -> usize {
        CHUNK_HEADER_LEN + self.value.len()
    }

    /// Always false: a chunk has at least its header.
    pub fn is_empty(&self) -> bool {
        false
    }
}

/// What a receiver does with a chunk type it does not know, from the two
/// upper bits of the type (RFC 9260 §3.2). Parameters use the same rule
/// on the upper bits of their 16-bit type (§3.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnknownAction {
    /// `00`: stop processing this packet (or parameter list), discard it.
    Stop,
    /// `01`: stop, discard, and report the chunk in an ERROR chunk
    /// ("Unrecognized Chunk Type" / "Unrecognized Parameters").
    StopAndReport,
    /// `10`: skip this chunk (parameter) and continue.
    Skip,
    /// `11`: skip, continue, and report it.
    SkipAndReport,
}

impl UnknownAction {
    /// The action for an unknown chunk type.
    pub fn for_chunk_type(chunk_type: u8) -> Self {
        Self::from_bits(chunk_type >> 6)
    }

    /// The action for an unknown parameter type.
    pub fn for_parameter_type(param_type: u16) -> Self {
        Self::from_bits((param_type >> 14) as u8)
    }

    fn from_bits(bits: u8) -> Self {
        match bits & 3 {
            0 => Self::Stop,
            1 => Self::StopAndReport,
            2 => Self::Skip,
            _ => Self::SkipAndReport,
        }
    }

    /// True when processing continues after this chunk (parameter).
    pub fn continues(self) -> bool {
        matches!(self, Self::Skip | Self::SkipAndReport)
    }

    /// True when the chunk (parameter) is reported back to the sender.
    pub fn reports(self) -> bool {
        matches!(self, Self::StopAndReport | Self::SkipAndReport)
    }
}

/// A validated, zero-copy view of one SCTP packet: its common header and
/// the framing of its chunks. Chunk values are decoded lazily by
/// [`RawChunk::decode`].
///
/// [`SctpPacket::parse`] checks the framing only; the checksum is checked
/// by [`SctpPacket::parse_checked`] (or [`checksum::verify_checksum`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SctpPacket<'a> {
    header: CommonHeader,
    chunks: &'a [u8],
}

impl<'a> SctpPacket<'a> {
    /// Parses the common header and checks that the chunks tile the rest
    /// of the packet: every length at least 4 and inside the packet, the
    /// padding of each chunk present (the last chunk may omit it).
    pub fn parse(buf: &'a [u8]) -> Result<Self, SctpError> {
        let header = CommonHeader::parse(buf)?;
        let chunks = buf.get(COMMON_HEADER_LEN..).unwrap_or_default();
        let packet = Self { header, chunks };
        for chunk in packet.chunks() {
            chunk?;
        }
        Ok(packet)
    }

    /// Like [`parse`](Self::parse), and also checks the CRC32c. With
    /// `accept_zero_checksum` (RFC 9653, negotiated over DTLS), a checksum
    /// field of zero is accepted without computing anything.
    pub fn parse_checked(buf: &'a [u8], accept_zero_checksum: bool) -> Result<Self, SctpError> {
        let packet = Self::parse(buf)?;
        let found = packet.header.checksum;
        if !(accept_zero_checksum && found == 0) {
            let computed = checksum::packet_crc32c(buf);
            if computed != found {
                return Err(SctpError::BadChecksum { found, computed });
            }
        }
        Ok(packet)
    }

    /// The common header.
    pub fn header(&self) -> CommonHeader {
        self.header
    }

    /// Source port.
    pub fn source_port(&self) -> u16 {
        self.header.source_port
    }

    /// Destination port.
    pub fn destination_port(&self) -> u16 {
        self.header.destination_port
    }

    /// Verification tag.
    pub fn verification_tag(&self) -> u32 {
        self.header.verification_tag
    }

    /// The bytes after the common header.
    pub fn chunk_bytes(&self) -> &'a [u8] {
        self.chunks
    }

    /// Iterates over the chunks. After [`parse`](Self::parse) succeeded
    /// every item is `Ok`.
    pub fn chunks(&self) -> ChunkIter<'a> {
        ChunkIter {
            rest: self.chunks,
            offset: COMMON_HEADER_LEN,
        }
    }
}

/// Iterator over the chunks of a packet (see [`SctpPacket::chunks`]).
/// Stops after the first framing error.
#[derive(Debug, Clone)]
pub struct ChunkIter<'a> {
    rest: &'a [u8],
    offset: usize,
}

impl<'a> Iterator for ChunkIter<'a> {
    type Item = Result<RawChunk<'a>, SctpError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let (chunk, rest, consumed) = match split_chunk(self.rest, self.offset) {
            Ok(v) => v,
            Err(e) => {
                self.rest = &[];
                return Some(Err(e));
            }
        };
        self.rest = rest;
        self.offset += consumed;
        Some(Ok(chunk))
    }
}

fn split_chunk(buf: &[u8], offset: usize) -> Result<(RawChunk<'_>, &[u8], usize), SctpError> {
    let bad = |length| SctpError::BadChunkLength { offset, length };
    let (&chunk_type, after) = buf.split_first().ok_or(bad(0))?;
    let length = read_u16(buf, 2).map_err(|_| bad(0))?;
    let flags = *after.first().ok_or(bad(0))?;
    let len = usize::from(length);
    if len < CHUNK_HEADER_LEN || len > buf.len() {
        return Err(bad(length));
    }
    let value = buf.get(CHUNK_HEADER_LEN..len).ok_or(bad(length))?;
    let padded = (len + 3) & !3;
    let (padding, consumed) = if padded <= buf.len() {
        (padded - len, padded)
    } else {
        // The last chunk of a packet may arrive without its padding; a
        // chunk followed by 1-3 stray bytes that are not its full padding
        // is malformed.
        if len != buf.len() {
            return Err(bad(length));
        }
        (0, len)
    };
    let rest = buf.get(consumed..).unwrap_or_default();
    Ok((
        RawChunk {
            chunk_type,
            flags,
            value,
            padding,
        },
        rest,
        consumed,
    ))
}
