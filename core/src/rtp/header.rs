//! The RTP header as values, and its marshalling into a caller buffer
//! (RFC 3550 §5.1, header extensions per RFC 8285 §4).

use arrayvec::ArrayVec;

use super::error::RtpError;
use super::extensions::{ExtensionForm, ONE_BYTE_PROFILE, RawExtensionElements, TWO_BYTE_PROFILE};
use super::packet::{FIXED_HEADER_LEN, MAX_CSRCS, RTP_VERSION, RtpPacket};

/// Most extension elements an [`RtpHeader`] holds as elements. A parsed
/// packet with more keeps its block raw and still round-trips.
pub const MAX_HEADER_EXTENSIONS: usize = 16;

/// Up to [`MAX_HEADER_EXTENSIONS`] extension elements `(id, value)`, in the
/// order they are written. A fixed array without drop glue, so value
/// buffers may be declared after the header that borrows them. Derefs to a
/// slice.
#[derive(Clone, Copy)]
pub struct ExtensionElements<'a> {
    items: [(u8, &'a [u8]); MAX_HEADER_EXTENSIONS],
    len: usize,
}

impl<'a> ExtensionElements<'a> {
    /// An empty list.
    pub const fn new() -> Self {
        Self {
            items: [(0, &[]); MAX_HEADER_EXTENSIONS],
            len: 0,
        }
    }

    /// Appends an element; [`RtpError::TooManyExtensions`] when full.
    pub fn try_push(&mut self, element: (u8, &'a [u8])) -> Result<(), RtpError> {
        let slot = self
            .items
            .get_mut(self.len)
            .ok_or(RtpError::TooManyExtensions)?;
        *slot = element;
        self.len += 1;
        Ok(())
    }

    /// Keeps only the elements for which `keep` returns true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&(u8, &'a [u8])) -> bool) {
        let mut kept = 0;
        for i in 0..self.len {
            let Some(&element) = self.items.get(i) else {
                break;
            };
            if keep(&element) {
                if let Some(slot) = self.items.get_mut(kept) {
                    *slot = element;
                }
                kept += 1;
            }
        }
        self.len = kept;
    }

    /// Removes every element.
    pub fn clear(&mut self) {
        self.len = 0;
    }
}

impl Default for ExtensionElements<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'a> core::ops::Deref for ExtensionElements<'a> {
    type Target = [(u8, &'a [u8])];

    fn deref(&self) -> &Self::Target {
        self.items.get(..self.len).unwrap_or_default()
    }
}

impl core::ops::DerefMut for ExtensionElements<'_> {
    fn deref_mut(&mut self) -> &mut Self::Target {
        self.items.get_mut(..self.len).unwrap_or_default()
    }
}

impl core::fmt::Debug for ExtensionElements<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl PartialEq for ExtensionElements<'_> {
    fn eq(&self, other: &Self) -> bool {
        **self == **other
    }
}

impl Eq for ExtensionElements<'_> {}

impl<'a> TryFrom<&[(u8, &'a [u8])]> for ExtensionElements<'a> {
    type Error = RtpError;

    fn try_from(elements: &[(u8, &'a [u8])]) -> Result<Self, RtpError> {
        let mut list = Self::new();
        for &element in elements {
            list.try_push(element)?;
        }
        Ok(list)
    }
}

/// Which RFC 8285 form [`ExtensionBlock::Elements`] is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum ExtensionEncoding {
    /// One-byte form when every id is 1..=14 and every value 1..=16 bytes,
    /// otherwise two-byte form (which needs `a=extmap-allow-mixed` when
    /// ids 1..=14 appear in it).
    #[default]
    Auto,
    /// Always the one-byte form; an element it cannot carry is an error.
    OneByte,
    /// Always the two-byte form (profile `0x1000`).
    TwoByte,
}

/// The header extension block of an [`RtpHeader`].
///
/// The elements live inline (no heap), which makes this enum a few hundred
/// bytes; it is built on the stack per packet and never boxed on purpose.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ExtensionBlock<'a> {
    /// No block; the X bit is clear.
    #[default]
    None,
    /// A block written verbatim: the profile field, then `data` (length a
    /// multiple of 4). This is what [`RtpPacket::to_header`] produces, so
    /// the original form, element order and padding survive a round trip.
    Raw {
        /// The 16-bit "defined by profile" field.
        profile: u16,
        /// The block data after the 4-byte extension header.
        data: &'a [u8],
    },
    /// Elements framed per RFC 8285 at marshal time, padded with zeros to a
    /// multiple of 4 bytes. An empty list writes no block.
    Elements {
        /// The form to write.
        encoding: ExtensionEncoding,
        /// The elements, in order.
        elements: ExtensionElements<'a>,
    },
}

/// RTP padding at the end of the packet (RFC 3550 §5.1, P bit).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Padding<'a> {
    /// No padding; the P bit is clear.
    #[default]
    None,
    /// `n` bytes of padding (1..=255): `n - 1` zeros then the count `n`.
    Zeros(u8),
    /// Exactly these bytes; the last one must equal their number. This is
    /// what [`RtpPacket::to_header`] produces to keep padding contents.
    Raw(&'a [u8]),
}

impl Padding<'_> {
    /// Number of bytes this padding takes; errors if malformed.
    #[inline]
    pub fn encoded_len(&self) -> Result<usize, RtpError> {
        match *self {
            Padding::None => Ok(0),
            Padding::Zeros(0) => Err(RtpError::BadPadding),
            Padding::Zeros(n) => Ok(usize::from(n)),
            Padding::Raw(bytes) => match bytes.last() {
                Some(&count) if count != 0 && usize::from(count) == bytes.len() => Ok(bytes.len()),
                _ => Err(RtpError::BadPadding),
            },
        }
    }

    /// True for [`Padding::None`].
    #[inline]
    pub const fn is_none(&self) -> bool {
        matches!(self, Padding::None)
    }
}

/// An RTP header as values, ready to marshal.
///
/// Build one with [`RtpHeader::new`] or from a parsed packet with
/// [`RtpPacket::to_header`], change fields, then
/// [`marshal_packet`](Self::marshal_packet) it with a payload into a caller
/// buffer. Extension values and raw blocks are borrowed, never copied.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RtpHeader<'a> {
    /// The M bit.
    pub marker: bool,
    /// Payload type, 0..=127.
    pub payload_type: u8,
    /// Sequence number.
    pub sequence_number: u16,
    /// RTP timestamp.
    pub timestamp: u32,
    /// Synchronization source.
    pub ssrc: u32,
    /// Contributing sources (at most 15).
    pub csrcs: ArrayVec<u32, MAX_CSRCS>,
    /// The header extension block.
    pub extension: ExtensionBlock<'a>,
    /// Padding written after the payload.
    pub padding: Padding<'a>,
}

impl<'a> RtpHeader<'a> {
    /// A header with no CSRCs, extensions, padding or marker.
    pub fn new(payload_type: u8, sequence_number: u16, timestamp: u32, ssrc: u32) -> Self {
        Self {
            payload_type,
            sequence_number,
            timestamp,
            ssrc,
            ..Self::default()
        }
    }

    /// Adds a CSRC; [`RtpError::TooManyCsrcs`] past 15.
    pub fn push_csrc(&mut self, csrc: u32) -> Result<(), RtpError> {
        self.csrcs
            .try_push(csrc)
            .map_err(|_| RtpError::TooManyCsrcs)
    }

    /// The value of the first extension element with this id, whichever
    /// way the block is held. `None` for an opaque or malformed raw block.
    pub fn extension(&self, id: u8) -> Option<&'a [u8]> {
        match &self.extension {
            ExtensionBlock::None => None,
            ExtensionBlock::Raw { profile, data } => RawExtensionElements::new(*profile, data)
                .map_while(Result::ok)
                .find(|&(i, _)| i == id)
                .map(|(_, v)| v),
            ExtensionBlock::Elements { elements, .. } => {
                elements.iter().find(|&&(i, _)| i == id).map(|&(_, v)| v)
            }
        }
    }

    /// Sets the value of extension `id`, replacing an element with the same
    /// id or appending one. A raw RFC 8285 block is first turned into
    /// elements (keeping order; a two-byte block stays two-byte); an opaque
    /// (non-RFC 8285) raw block cannot take elements. Once edited, the block
    /// is re-framed: padding between elements is dropped and a two-byte
    /// block's application bits become 0.
    pub fn set_extension(&mut self, id: u8, value: &'a [u8]) -> Result<(), RtpError> {
        if id == 0 {
            return Err(RtpError::BadExtensionId(0));
        }
        let elements = self.elements_mut()?;
        if let Some(slot) = elements.iter_mut().find(|(i, _)| *i == id) {
            slot.1 = value;
            return Ok(());
        }
        elements.try_push((id, value))
    }

    /// Removes every element with this id; returns whether one was there.
    pub fn remove_extension(&mut self, id: u8) -> Result<bool, RtpError> {
        if matches!(self.extension, ExtensionBlock::None) {
            return Ok(false);
        }
        let elements = self.elements_mut()?;
        let before = elements.len();
        elements.retain(|(i, _)| *i != id);
        Ok(elements.len() != before)
    }

    /// Turns the block into [`ExtensionBlock::Elements`] and returns them.
    fn elements_mut(&mut self) -> Result<&mut ExtensionElements<'a>, RtpError> {
        match self.extension {
            ExtensionBlock::Elements { .. } => {}
            ExtensionBlock::None => {
                self.extension = ExtensionBlock::Elements {
                    encoding: ExtensionEncoding::Auto,
                    elements: ExtensionElements::new(),
                };
            }
            ExtensionBlock::Raw { profile, data } => {
                let encoding = match ExtensionForm::from_profile(profile) {
                    Some(ExtensionForm::OneByte) => ExtensionEncoding::Auto,
                    Some(ExtensionForm::TwoByte) => ExtensionEncoding::TwoByte,
                    None => {
                        return Err(RtpError::BadValue(
                            "extension block is not RFC 8285, it cannot take elements",
                        ));
                    }
                };
                let mut elements = ExtensionElements::new();
                for element in RawExtensionElements::new(profile, data) {
                    elements.try_push(element?)?;
                }
                self.extension = ExtensionBlock::Elements { encoding, elements };
            }
        }
        match &mut self.extension {
            ExtensionBlock::Elements { elements, .. } => Ok(elements),
            _ => Err(RtpError::TooManyExtensions),
        }
    }

    /// Length of the marshalled header: fixed part, CSRCs, extension block.
    pub fn header_len(&self) -> Result<usize, RtpError> {
        Ok(FIXED_HEADER_LEN
            + 4 * self.csrcs.len()
            + self.extension_len()?.map_or(0, |(_, l)| 4 + l))
    }

    /// Length of the marshalled packet with a payload of `payload_len` bytes.
    pub fn packet_len(&self, payload_len: usize) -> Result<usize, RtpError> {
        Ok(self.header_len()? + payload_len + self.padding.encoded_len()?)
    }

    /// The profile and data length of the extension block, `None` if none
    /// is written.
    fn extension_len(&self) -> Result<Option<(u16, usize)>, RtpError> {
        match &self.extension {
            ExtensionBlock::None => Ok(None),
            ExtensionBlock::Raw { profile, data } => {
                if data.len() % 4 != 0 {
                    return Err(RtpError::UnalignedExtensionBlock(data.len()));
                }
                if data.len() / 4 > usize::from(u16::MAX) {
                    return Err(RtpError::ExtensionBlockTooLarge);
                }
                Ok(Some((*profile, data.len())))
            }
            ExtensionBlock::Elements { encoding, elements } => {
                if elements.is_empty() {
                    return Ok(None);
                }
                let form = resolve_form(*encoding, elements)?;
                let unpadded: usize = elements
                    .iter()
                    .map(|(_, v)| form.element_header_len() + v.len())
                    .sum();
                let profile = match form {
                    ExtensionForm::OneByte => ONE_BYTE_PROFILE,
                    ExtensionForm::TwoByte => TWO_BYTE_PROFILE,
                };
                // At most 16 × 257 bytes: always fits the 16-bit word count.
                Ok(Some((profile, unpadded.next_multiple_of(4))))
            }
        }
    }

    /// Writes the header (fixed part, CSRCs, extension block) into `out`;
    /// returns the bytes written. The P bit is set when
    /// [`padding`](Self::padding) is not [`Padding::None`]; write the
    /// payload and padding yourself or use
    /// [`marshal_packet`](Self::marshal_packet).
    pub fn marshal_header(&self, out: &mut [u8]) -> Result<usize, RtpError> {
        let extension = self.extension_len()?;
        let padding = self.padding.encoded_len()?;
        let got = out.len();
        let (written, _) = self.write_header(out, extension, padding != 0, got)?;
        Ok(written)
    }

    /// Writes header, `payload` and padding into `out`; returns the packet
    /// length. [`RtpError::BufferTooSmall`] if `out` cannot hold it all.
    pub fn marshal_packet(&self, payload: &[u8], out: &mut [u8]) -> Result<usize, RtpError> {
        let extension = self.extension_len()?;
        let padding = self.padding.encoded_len()?;
        let total = FIXED_HEADER_LEN
            + 4 * self.csrcs.len()
            + extension.map_or(0, |(_, l)| 4 + l)
            + payload.len()
            + padding;
        let got = out.len();
        if got < total {
            return Err(RtpError::BufferTooSmall { needed: total, got });
        }
        let too_small = RtpError::BufferTooSmall { needed: total, got };
        let (_, rest) = self.write_header(out, extension, padding != 0, total)?;
        let (payload_area, rest) = rest.split_at_mut_checked(payload.len()).ok_or(too_small)?;
        payload_area.copy_from_slice(payload);
        let padding_area = rest.get_mut(..padding).ok_or(too_small)?;
        match self.padding {
            Padding::None => {}
            Padding::Zeros(n) => {
                if let Some((count, zeros)) = padding_area.split_last_mut() {
                    zeros.fill(0);
                    *count = n;
                }
            }
            Padding::Raw(bytes) => padding_area.copy_from_slice(bytes),
        }
        Ok(total)
    }

    /// Writes the header at the start of `out`; returns its length and the
    /// rest of `out`. `needed` is what a too-small error reports.
    #[inline]
    fn write_header<'o>(
        &self,
        out: &'o mut [u8],
        extension: Option<(u16, usize)>,
        padding: bool,
        needed: usize,
    ) -> Result<(usize, &'o mut [u8]), RtpError> {
        let csrc_len = 4 * self.csrcs.len();
        let header_len = FIXED_HEADER_LEN + csrc_len + extension.map_or(0, |(_, l)| 4 + l);
        let got = out.len();
        let too_small = RtpError::BufferTooSmall {
            needed: needed.max(header_len),
            got,
        };
        let (fixed, rest) = out
            .split_first_chunk_mut::<FIXED_HEADER_LEN>()
            .ok_or(too_small)?;
        let (csrc_area, rest) = rest.split_at_mut_checked(csrc_len).ok_or(too_small)?;
        let first = (RTP_VERSION << 6)
            | (u8::from(padding) << 5)
            | (u8::from(extension.is_some()) << 4)
            // at most 15: ArrayVec capacity
            | (self.csrcs.len() as u8 & 0x0f);
        let second = (u8::from(self.marker) << 7) | (self.payload_type & 0x7f);
        let [s0, s1] = self.sequence_number.to_be_bytes();
        let [t0, t1, t2, t3] = self.timestamp.to_be_bytes();
        let [c0, c1, c2, c3] = self.ssrc.to_be_bytes();
        *fixed = [first, second, s0, s1, t0, t1, t2, t3, c0, c1, c2, c3];
        for (chunk, csrc) in csrc_area.chunks_exact_mut(4).zip(&self.csrcs) {
            chunk.copy_from_slice(&csrc.to_be_bytes());
        }
        let Some((profile, len)) = extension else {
            return Ok((header_len, rest));
        };
        let (ext_header, rest) = rest.split_first_chunk_mut::<4>().ok_or(too_small)?;
        // len / 4 <= u16::MAX was checked by extension_len.
        let words = u16::try_from(len / 4).map_err(|_| RtpError::ExtensionBlockTooLarge)?;
        let [p0, p1] = profile.to_be_bytes();
        let [w0, w1] = words.to_be_bytes();
        *ext_header = [p0, p1, w0, w1];
        let (block, rest) = rest.split_at_mut_checked(len).ok_or(too_small)?;
        match &self.extension {
            ExtensionBlock::None => {}
            ExtensionBlock::Raw { data, .. } => {
                block
                    .get_mut(..data.len())
                    .ok_or(too_small)?
                    .copy_from_slice(data);
            }
            ExtensionBlock::Elements { elements, .. } => {
                let one_byte = ExtensionForm::from_profile(profile) == Some(ExtensionForm::OneByte);
                let mut w = Writer { out: block, pos: 0 };
                for &(id, value) in elements.iter() {
                    // Ids and lengths were checked by resolve_form.
                    let vlen = value.len() as u8;
                    if one_byte {
                        w.put(&[(id << 4) | (vlen.wrapping_sub(1) & 0x0f)])?;
                    } else {
                        w.put(&[id, vlen])?;
                    }
                    w.put(value)?;
                }
                w.zeros(len - w.pos)?;
            }
        }
        Ok((header_len, rest))
    }
}

/// Picks the form for `elements` and checks every element fits it.
fn resolve_form(
    encoding: ExtensionEncoding,
    elements: &[(u8, &[u8])],
) -> Result<ExtensionForm, RtpError> {
    let form = match encoding {
        ExtensionEncoding::OneByte => ExtensionForm::OneByte,
        ExtensionEncoding::TwoByte => ExtensionForm::TwoByte,
        ExtensionEncoding::Auto => {
            if elements
                .iter()
                .all(|&(id, v)| ExtensionForm::OneByte.can_carry(id, v.len()))
            {
                ExtensionForm::OneByte
            } else {
                ExtensionForm::TwoByte
            }
        }
    };
    for &(id, value) in elements {
        if !form.can_carry(id, value.len()) {
            let id_ok = match form {
                ExtensionForm::OneByte => (1..=14).contains(&id),
                ExtensionForm::TwoByte => id != 0,
            };
            return Err(if id_ok {
                RtpError::BadExtensionValueLength {
                    id,
                    len: value.len(),
                }
            } else {
                RtpError::BadExtensionId(u16::from(id))
            });
        }
    }
    Ok(form)
}

/// A bounds-checked cursor over the output buffer.
struct Writer<'o> {
    out: &'o mut [u8],
    pos: usize,
}

impl Writer<'_> {
    #[inline]
    fn put(&mut self, bytes: &[u8]) -> Result<(), RtpError> {
        let end = self.pos + bytes.len();
        let got = self.out.len();
        let dst = self
            .out
            .get_mut(self.pos..end)
            .ok_or(RtpError::BufferTooSmall { needed: end, got })?;
        dst.copy_from_slice(bytes);
        self.pos = end;
        Ok(())
    }

    #[inline]
    fn zeros(&mut self, n: usize) -> Result<(), RtpError> {
        let end = self.pos + n;
        let got = self.out.len();
        self.out
            .get_mut(self.pos..end)
            .ok_or(RtpError::BufferTooSmall { needed: end, got })?
            .fill(0);
        self.pos = end;
        Ok(())
    }
}

impl<'a> RtpPacket<'a> {
    /// The header of this packet as values, borrowing the extension block
    /// and padding raw, so that
    /// `to_header().marshal_packet(payload(), out)` reproduces the packet
    /// byte for byte (extension form, element padding and RTP padding
    /// included).
    pub fn to_header(&self) -> RtpHeader<'a> {
        let mut csrcs = ArrayVec::new();
        for csrc in self.csrcs() {
            // A parsed packet has at most 15 CSRCs: never fails.
            let _ = csrcs.try_push(csrc);
        }
        let extension = match (self.extension_profile(), self.extension_data()) {
            (Some(profile), Some(data)) => ExtensionBlock::Raw { profile, data },
            _ => ExtensionBlock::None,
        };
        let padding = if self.has_padding() {
            Padding::Raw(self.padding())
        } else {
            Padding::None
        };
        RtpHeader {
            marker: self.marker(),
            payload_type: self.payload_type(),
            sequence_number: self.sequence_number(),
            timestamp: self.timestamp(),
            ssrc: self.ssrc(),
            csrcs,
            extension,
            padding,
        }
    }
}

impl<'a> From<&RtpPacket<'a>> for RtpHeader<'a> {
    fn from(packet: &RtpPacket<'a>) -> Self {
        packet.to_header()
    }
}
