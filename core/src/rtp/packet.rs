//! The zero-copy RTP packet view (RFC 3550 §5.1).

use super::error::RtpError;
use super::extensions::{HeaderExtensions, RawExtensionElements};

/// Length of the fixed RTP header.
pub const FIXED_HEADER_LEN: usize = 12;
/// The only RTP version (RFC 3550 §5.1).
pub const RTP_VERSION: u8 = 2;
/// Largest CSRC count (4-bit field).
pub const MAX_CSRCS: usize = 15;

/// A validated, zero-copy view of one RTP packet.
///
/// [`parse`](Self::parse) checks that the buffer holds everything the
/// header announces (CSRC list, extension block, padding) and then only
/// records offsets; accessors read from the borrowed buffer without copying
/// and cannot fail. The RFC 8285 element framing of the extension block is
/// checked lazily by [`extensions`](Self::extensions).
///
/// ```text
///  0                   1                   2                   3
///  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
/// +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
/// |V=2|P|X|  CC   |M|     PT      |       sequence number         |
/// |                           timestamp                           |
/// |           synchronization source (SSRC) identifier            |
/// |            contributing source (CSRC) identifiers  (0..15)    |
/// |   profile (0xBEDE / 0x100X)   |   extension length (words)    |  if X
/// |                    extension data ...                         |
/// |                    payload ...        | padding ... | count   |  if P
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RtpPacket<'a> {
    buf: &'a [u8],
    fixed: [u8; FIXED_HEADER_LEN],
    header_len: usize,
    payload_end: usize,
}

impl<'a> RtpPacket<'a> {
    /// Parses and validates `buf` as one RTP packet.
    ///
    /// Errors: [`RtpError::TooShort`] when the buffer ends inside the fixed
    /// header, the CSRC list or the extension header;
    /// [`RtpError::BadVersion`]; [`RtpError::ExtensionTooLong`] when the
    /// extension length points past the end; [`RtpError::ZeroPadding`] and
    /// [`RtpError::PaddingTooLong`] for a padding count of 0 or one larger
    /// than the bytes after the header.
    #[inline]
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtpError> {
        let Some((&fixed, _)) = buf.split_first_chunk::<FIXED_HEADER_LEN>() else {
            return Err(RtpError::TooShort {
                needed: FIXED_HEADER_LEN,
                got: buf.len(),
            });
        };
        let version = fixed[0] >> 6;
        if version != RTP_VERSION {
            return Err(RtpError::BadVersion(version));
        }
        let csrc_end = FIXED_HEADER_LEN + 4 * usize::from(fixed[0] & 0x0f);
        if buf.len() < csrc_end {
            return Err(RtpError::TooShort {
                needed: csrc_end,
                got: buf.len(),
            });
        }
        let header_len = if fixed[0] & 0x10 != 0 {
            let Some(&[_, _, hi, lo]) = buf.get(csrc_end..csrc_end + 4) else {
                return Err(RtpError::TooShort {
                    needed: csrc_end + 4,
                    got: buf.len(),
                });
            };
            let declared = 4 * usize::from(u16::from_be_bytes([hi, lo]));
            let available = buf.len() - (csrc_end + 4);
            if declared > available {
                return Err(RtpError::ExtensionTooLong {
                    declared,
                    available,
                });
            }
            csrc_end + 4 + declared
        } else {
            csrc_end
        };
        let payload_end = if fixed[0] & 0x20 != 0 {
            let available = buf.len() - header_len;
            let padding = match buf.last() {
                Some(&count) if available > 0 => usize::from(count),
                _ => {
                    return Err(RtpError::PaddingTooLong {
                        padding: 1,
                        available,
                    });
                }
            };
            if padding == 0 {
                return Err(RtpError::ZeroPadding);
            }
            if padding > available {
                return Err(RtpError::PaddingTooLong { padding, available });
            }
            buf.len() - padding
        } else {
            buf.len()
        };
        Ok(Self {
            buf,
            fixed,
            header_len,
            payload_end,
        })
    }

    /// The whole packet as parsed.
    #[inline]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.buf
    }

    /// Total length of the packet in bytes.
    #[inline]
    #[allow(clippy::len_without_is_empty)] // a valid packet is never empty
    pub const fn len(&self) -> usize {
        self.buf.len()
    }

    /// The version field; always 2 for a parsed packet.
    #[inline]
    pub const fn version(&self) -> u8 {
        self.fixed[0] >> 6
    }

    /// The P bit: the packet ends with padding.
    #[inline]
    pub const fn has_padding(&self) -> bool {
        self.fixed[0] & 0x20 != 0
    }

    /// The X bit: a header extension block follows the CSRC list.
    #[inline]
    pub const fn has_extension(&self) -> bool {
        self.fixed[0] & 0x10 != 0
    }

    /// The CC field: number of CSRCs.
    #[inline]
    pub const fn csrc_count(&self) -> u8 {
        self.fixed[0] & 0x0f
    }

    /// The M bit.
    #[inline]
    pub const fn marker(&self) -> bool {
        self.fixed[1] & 0x80 != 0
    }

    /// The payload type (7 bits).
    #[inline]
    pub const fn payload_type(&self) -> u8 {
        self.fixed[1] & 0x7f
    }

    /// The sequence number.
    #[inline]
    pub const fn sequence_number(&self) -> u16 {
        u16::from_be_bytes([self.fixed[2], self.fixed[3]])
    }

    /// The RTP timestamp.
    #[inline]
    pub const fn timestamp(&self) -> u32 {
        u32::from_be_bytes([self.fixed[4], self.fixed[5], self.fixed[6], self.fixed[7]])
    }

    /// The synchronization source.
    #[inline]
    pub const fn ssrc(&self) -> u32 {
        u32::from_be_bytes([self.fixed[8], self.fixed[9], self.fixed[10], self.fixed[11]])
    }

    /// The contributing sources, in order.
    #[inline]
    pub fn csrcs(&self) -> Csrcs<'a> {
        let end = FIXED_HEADER_LEN + 4 * usize::from(self.csrc_count());
        Csrcs {
            chunks: self
                .buf
                .get(FIXED_HEADER_LEN..end)
                .unwrap_or_default()
                .chunks_exact(4),
        }
    }

    /// The extension block's profile field (`0xBEDE`, `0x100X`, other), if
    /// the X bit is set.
    #[inline]
    pub fn extension_profile(&self) -> Option<u16> {
        let at = self.extension_header_offset()?;
        match self.buf.get(at..at + 2)? {
            &[hi, lo] => Some(u16::from_be_bytes([hi, lo])),
            _ => None,
        }
    }

    /// The raw extension block data (after the 4-byte extension header,
    /// including RFC 8285 element headers and padding), if the X bit is set.
    #[inline]
    pub fn extension_data(&self) -> Option<&'a [u8]> {
        let at = self.extension_header_offset()?;
        self.buf.get(at + 4..self.header_len)
    }

    /// The RFC 8285 elements of the extension block, validated.
    ///
    /// A packet without the X bit gives [`HeaderExtensions::EMPTY`]; a block
    /// whose profile is neither `0xBEDE` nor `0x100X` gives a view with no
    /// elements. An element running past the block is an error.
    #[inline]
    pub fn extensions(&self) -> Result<HeaderExtensions<'a>, RtpError> {
        match (self.extension_profile(), self.extension_data()) {
            (Some(profile), Some(data)) => HeaderExtensions::parse(profile, data),
            _ => Ok(HeaderExtensions::EMPTY),
        }
    }

    /// The value of the first extension element with local id `id`, found
    /// by walking the block without validating what comes after it.
    /// `None` if absent; `Some(Err)` if the block is malformed before it.
    #[inline]
    pub fn extension(&self, id: u8) -> Option<Result<&'a [u8], RtpError>> {
        let profile = self.extension_profile()?;
        let data = self.extension_data()?;
        for element in RawExtensionElements::new(profile, data) {
            match element {
                Ok((i, value)) if i == id => return Some(Ok(value)),
                Ok(_) => {}
                Err(e) => return Some(Err(e)),
            }
        }
        None
    }

    /// Length of the header: fixed part, CSRCs and extension block.
    #[inline]
    pub const fn header_len(&self) -> usize {
        self.header_len
    }

    /// The payload, between the header and the padding.
    #[inline]
    pub fn payload(&self) -> &'a [u8] {
        self.buf
            .get(self.header_len..self.payload_end)
            .unwrap_or_default()
    }

    /// Number of padding bytes at the end (including the count byte); 0
    /// without the P bit.
    #[inline]
    pub const fn padding_len(&self) -> usize {
        self.buf.len() - self.payload_end
    }

    /// The padding bytes themselves (the last one is the count).
    #[inline]
    pub fn padding(&self) -> &'a [u8] {
        self.buf.get(self.payload_end..).unwrap_or_default()
    }

    #[inline]
    fn extension_header_offset(&self) -> Option<usize> {
        self.has_extension()
            .then(|| FIXED_HEADER_LEN + 4 * usize::from(self.csrc_count()))
    }
}

/// Iterator over the CSRCs of a packet.
#[derive(Debug, Clone)]
pub struct Csrcs<'a> {
    chunks: core::slice::ChunksExact<'a, u8>,
}

impl Iterator for Csrcs<'_> {
    type Item = u32;

    #[inline]
    fn next(&mut self) -> Option<u32> {
        match *self.chunks.next()? {
            [a, b, c, d] => Some(u32::from_be_bytes([a, b, c, d])),
            _ => None,
        }
    }

    #[inline]
    fn size_hint(&self) -> (usize, Option<usize>) {
        self.chunks.size_hint()
    }
}

impl ExactSizeIterator for Csrcs<'_> {}
impl core::iter::FusedIterator for Csrcs<'_> {}
