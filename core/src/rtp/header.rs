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
/// slice (read only: change elements with [`set`](Self::set),
/// [`try_push`](Self::try_push), [`retain`](Self::retain)).
///
/// The list keeps what marshalling needs to frame it (total value bytes and
/// how many elements each RFC 8285 form cannot carry) up to date as it
/// changes, so picking the form and sizing the block costs nothing per
/// packet.
#[derive(Clone, Copy)]
pub struct ExtensionElements<'a> {
    items: [(u8, &'a [u8]); MAX_HEADER_EXTENSIONS],
    len: usize,
    /// Sum of the value lengths.
    value_bytes: usize,
    /// Elements the one-byte form cannot carry.
    not_one_byte: u8,
    /// Elements the two-byte form cannot carry.
    not_two_byte: u8,
}

impl<'a> ExtensionElements<'a> {
    /// An empty list.
    pub const fn new() -> Self {
        Self {
            items: [(0, &[]); MAX_HEADER_EXTENSIONS],
            len: 0,
            value_bytes: 0,
            not_one_byte: 0,
            not_two_byte: 0,
        }
    }

    /// Counts `element` in (`add`) or out of the framing summary.
    #[inline]
    fn account(&mut self, (id, value): (u8, &[u8]), add: bool) {
        let one = u8::from(!ExtensionForm::OneByte.can_carry(id, value.len()));
        let two = u8::from(!ExtensionForm::TwoByte.can_carry(id, value.len()));
        if add {
            self.value_bytes += value.len();
            self.not_one_byte += one;
            self.not_two_byte += two;
        } else {
            self.value_bytes -= value.len();
            self.not_one_byte -= one;
            self.not_two_byte -= two;
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
        self.account(element, true);
        Ok(())
    }

    /// Replaces the value of the first element with this id, or appends
    /// one; [`RtpError::TooManyExtensions`] when a new element does not fit.
    pub fn set(&mut self, id: u8, value: &'a [u8]) -> Result<(), RtpError> {
        let len = self.len;
        let found = self
            .items
            .iter_mut()
            .take(len)
            .find(|(i, _)| *i == id)
            .map(|slot| core::mem::replace(slot, (id, value)));
        match found {
            Some(old) => {
                self.account(old, false);
                self.account((id, value), true);
                Ok(())
            }
            None => self.try_push((id, value)),
        }
    }

    /// Keeps only the elements for which `keep` returns true, in order.
    pub fn retain(&mut self, mut keep: impl FnMut(&(u8, &'a [u8])) -> bool) {
        let old = *self;
        *self = Self::new();
        for element in old.iter() {
            if keep(element) {
                // At most as many as before: always fits.
                let _ = self.try_push(*element);
            }
        }
    }

    /// Removes every element.
    pub fn clear(&mut self) {
        *self = Self::new();
    }

    /// The form `encoding` resolves to for these elements and the framed
    /// length of the block before padding; an error names the first
    /// element that form cannot carry.
    #[inline(always)]
    pub fn layout(&self, encoding: ExtensionEncoding) -> Result<(ExtensionForm, usize), RtpError> {
        let form = match encoding {
            ExtensionEncoding::Auto | ExtensionEncoding::OneByte if self.not_one_byte == 0 => {
                ExtensionForm::OneByte
            }
            ExtensionEncoding::Auto | ExtensionEncoding::TwoByte if self.not_two_byte == 0 => {
                ExtensionForm::TwoByte
            }
            ExtensionEncoding::OneByte => {
                return Err(element_error(ExtensionForm::OneByte, self));
            }
            _ => return Err(element_error(ExtensionForm::TwoByte, self)),
        };
        Ok((
            form,
            form.element_header_len() * self.len + self.value_bytes,
        ))
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
    // Always inlined: the RTP send path of the peer connection calls it
    // from several places per packet (mid, rid), measured by
    // `peer_ir/rtp_100`.
    #[inline(always)]
    pub fn set_extension(&mut self, id: u8, value: &'a [u8]) -> Result<(), RtpError> {
        if id == 0 {
            return Err(RtpError::BadExtensionId(0));
        }
        self.elements_mut()?.set(id, value)
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
    // Inlined: returned through memory, the tuple is written in pieces and
    // read back whole, a store-forwarding stall measured at several ns.
    #[inline(always)]
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
                let (form, unpadded) = elements.layout(*encoding)?;
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
                    zero_short(zeros);
                    *count = n;
                }
            }
            Padding::Raw(bytes) => padding_area.copy_from_slice(bytes),
        }
        Ok(total)
    }

    /// Writes the header at the start of `out`; returns its length and the
    /// rest of `out`. `needed` is what a too-small error reports.
    /// Inlined for the same reason as `extension_len`.
    #[inline(always)]
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
                // Ids and lengths were checked by elements_layout, and
                // `block` is exactly the framed length: what is left after
                // the elements is the padding.
                let mut rest = block;
                if profile == ONE_BYTE_PROFILE {
                    for &(id, value) in elements.iter() {
                        let (head, after) = rest.split_first_mut().ok_or(too_small)?;
                        *head = (id << 4) | ((value.len() as u8).wrapping_sub(1) & 0x0f);
                        let (dst, after) =
                            after.split_at_mut_checked(value.len()).ok_or(too_small)?;
                        copy_short(dst, value);
                        rest = after;
                    }
                } else {
                    for &(id, value) in elements.iter() {
                        let (head, after) = rest.split_first_chunk_mut::<2>().ok_or(too_small)?;
                        *head = [id, value.len() as u8];
                        let (dst, after) =
                            after.split_at_mut_checked(value.len()).ok_or(too_small)?;
                        copy_short(dst, value);
                        rest = after;
                    }
                }
                zero_short(rest);
            }
        }
        Ok((header_len, rest))
    }
}

/// Copies `src` into `dst` (same length). Extension values are mostly 1 to
/// 4 bytes: those are copied inline rather than through a `memcpy` call.
#[inline(always)]
fn copy_short(dst: &mut [u8], src: &[u8]) {
    match (dst, src) {
        ([d0], [s0]) => *d0 = *s0,
        ([d0, d1], [s0, s1]) => [*d0, *d1] = [*s0, *s1],
        ([d0, d1, d2], [s0, s1, s2]) => [*d0, *d1, *d2] = [*s0, *s1, *s2],
        ([d0, d1, d2, d3], [s0, s1, s2, s3]) => [*d0, *d1, *d2, *d3] = [*s0, *s1, *s2, *s3],
        (dst, src) => dst.copy_from_slice(src),
    }
}

/// Zeroes `dst`; the padding of an extension block or packet is mostly 0 to
/// 3 bytes, written inline rather than through a `memset` call.
#[inline(always)]
fn zero_short(dst: &mut [u8]) {
    match dst {
        [] => {}
        [a] => *a = 0,
        [a, b] => [*a, *b] = [0; 2],
        [a, b, c] => [*a, *b, *c] = [0; 3],
        dst => dst.fill(0),
    }
}

/// The error for the first element of `elements` that `form` cannot carry.
#[cold]
fn element_error(form: ExtensionForm, elements: &[(u8, &[u8])]) -> RtpError {
    let Some(&(id, value)) = elements
        .iter()
        .find(|&&(id, v)| !form.can_carry(id, v.len()))
    else {
        return RtpError::BadValue("extension element does not fit its form");
    };
    let id_ok = match form {
        ExtensionForm::OneByte => (1..=14).contains(&id),
        ExtensionForm::TwoByte => id != 0,
    };
    if id_ok {
        RtpError::BadExtensionValueLength {
            id,
            len: value.len(),
        }
    } else {
        RtpError::BadExtensionId(u16::from(id))
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The framing summary recomputed from scratch.
    fn layout_from_scratch(
        encoding: ExtensionEncoding,
        elements: &[(u8, &[u8])],
    ) -> Result<(ExtensionForm, usize), RtpError> {
        let one = elements
            .iter()
            .all(|&(id, v)| ExtensionForm::OneByte.can_carry(id, v.len()));
        let two = elements
            .iter()
            .all(|&(id, v)| ExtensionForm::TwoByte.can_carry(id, v.len()));
        let form = match encoding {
            ExtensionEncoding::Auto | ExtensionEncoding::OneByte if one => ExtensionForm::OneByte,
            ExtensionEncoding::Auto | ExtensionEncoding::TwoByte if two => ExtensionForm::TwoByte,
            ExtensionEncoding::OneByte => {
                return Err(element_error(ExtensionForm::OneByte, elements));
            }
            _ => return Err(element_error(ExtensionForm::TwoByte, elements)),
        };
        let values: usize = elements.iter().map(|(_, v)| v.len()).sum();
        Ok((form, form.element_header_len() * elements.len() + values))
    }

    fn check(elements: &ExtensionElements<'_>) {
        for encoding in [
            ExtensionEncoding::Auto,
            ExtensionEncoding::OneByte,
            ExtensionEncoding::TwoByte,
        ] {
            assert_eq!(
                elements.layout(encoding),
                layout_from_scratch(encoding, elements),
                "{elements:?} {encoding:?}"
            );
        }
    }

    #[test]
    fn cached_layout_follows_every_change() {
        let long = [7u8; 17];
        let mut e = ExtensionElements::new();
        check(&e);
        e.try_push((1, &[1])).unwrap();
        e.try_push((3, &[1, 2])).unwrap();
        check(&e);
        assert_eq!(
            e.layout(ExtensionEncoding::Auto),
            Ok((ExtensionForm::OneByte, 5))
        );
        // A 17-byte value only fits the two-byte form.
        e.set(3, &long).unwrap();
        check(&e);
        assert_eq!(
            e.layout(ExtensionEncoding::Auto),
            Ok((ExtensionForm::TwoByte, 4 + 1 + 17))
        );
        assert_eq!(
            e.layout(ExtensionEncoding::OneByte),
            Err(RtpError::BadExtensionValueLength { id: 3, len: 17 })
        );
        // Replaced back: one-byte again.
        e.set(3, &[9, 9, 9]).unwrap();
        check(&e);
        assert_eq!(
            e.layout(ExtensionEncoding::Auto),
            Ok((ExtensionForm::OneByte, 6))
        );
        // Id 15 and an empty value: two-byte only; id 0 fits neither form.
        e.try_push((15, &[])).unwrap();
        check(&e);
        e.try_push((0, &[1])).unwrap();
        check(&e);
        assert_eq!(
            e.layout(ExtensionEncoding::Auto),
            Err(RtpError::BadExtensionId(0))
        );
        e.retain(|&(id, _)| id != 0);
        check(&e);
        e.retain(|&(id, _)| id != 15);
        check(&e);
        assert_eq!(e.len(), 2);
        e.clear();
        check(&e);
        assert_eq!(
            e.layout(ExtensionEncoding::TwoByte),
            Ok((ExtensionForm::TwoByte, 0))
        );
    }

    #[test]
    fn short_copies_and_zeroing_cover_every_length() {
        for n in 0..40usize {
            let src: Vec<u8> = (1..=n as u8).collect();
            let mut dst = vec![0xaa; n];
            copy_short(&mut dst, &src);
            assert_eq!(dst, src);
            zero_short(&mut dst);
            assert!(dst.iter().all(|&b| b == 0));
        }
    }
}
