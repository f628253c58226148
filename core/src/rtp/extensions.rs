//! RFC 8285 header extension framing: the one-byte (`0xBEDE`) and two-byte
//! (`0x100X`) forms, read side.
//!
//! An RTP header extension block (RFC 3550 §5.3.1) is a 16-bit profile value,
//! a 16-bit length in 32-bit words and the data. RFC 8285 splits the data into
//! elements:
//!
//! - one-byte form (profile `0xBEDE`): a byte `ID(4) | L(4)` followed by
//!   `L + 1` bytes, ids 1..=14. Id 15 ends the block (RFC 8285 §4.2: the rest
//!   is ignored).
//! - two-byte form (profile `0x100X`, the low four bits are application
//!   bits): a byte `ID`, a byte `length`, then `length` bytes (0..=255), ids
//!   1..=255. This is also the form of `a=extmap-allow-mixed`, where ids
//!   1..=14 and zero-length elements appear.
//!
//! In both forms a zero byte where an element header is expected is padding
//! and is skipped; in the one-byte form any byte with id 0 is skipped as one
//! byte, whatever its length nibble. Blocks with any other profile are
//! carried opaquely: they have no elements.

use super::error::RtpError;

/// The profile value of the one-byte form (RFC 8285 §4.2).
pub const ONE_BYTE_PROFILE: u16 = 0xBEDE;
/// The profile value of the two-byte form with application bits 0
/// (RFC 8285 §4.3: `0x100` followed by four application bits).
pub const TWO_BYTE_PROFILE: u16 = 0x1000;
/// Mask selecting the fixed part of a two-byte form profile value.
pub const TWO_BYTE_PROFILE_MASK: u16 = 0xFFF0;

/// Largest value in the one-byte form (the length nibble is bytes − 1).
pub const ONE_BYTE_MAX_VALUE_LEN: usize = 16;
/// Largest value in the two-byte form.
pub const TWO_BYTE_MAX_VALUE_LEN: usize = 255;
/// Largest id in the one-byte form (15 is reserved).
pub const ONE_BYTE_MAX_ID: u8 = 14;

/// The two RFC 8285 element framings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ExtensionForm {
    /// Profile `0xBEDE`: one header byte per element, ids 1..=14, 1..=16 bytes.
    OneByte,
    /// Profile `0x100X`: two header bytes per element, ids 1..=255, 0..=255 bytes.
    TwoByte,
}

impl ExtensionForm {
    /// The form a profile value announces, or `None` for a profile that is
    /// not RFC 8285.
    #[inline]
    pub const fn from_profile(profile: u16) -> Option<Self> {
        if profile == ONE_BYTE_PROFILE {
            Some(Self::OneByte)
        } else if profile & TWO_BYTE_PROFILE_MASK == TWO_BYTE_PROFILE {
            Some(Self::TwoByte)
        } else {
            None
        }
    }

    /// Bytes of element header before the value.
    #[inline]
    pub const fn element_header_len(self) -> usize {
        match self {
            Self::OneByte => 1,
            Self::TwoByte => 2,
        }
    }

    /// Whether an element `(id, value length)` can be written in this form.
    #[inline]
    pub const fn can_carry(self, id: u8, len: usize) -> bool {
        match self {
            Self::OneByte => id >= 1 && id <= ONE_BYTE_MAX_ID && len >= 1 && len <= 16,
            Self::TwoByte => id >= 1 && len <= TWO_BYTE_MAX_VALUE_LEN,
        }
    }
}

/// Reads the next element of a block, skipping padding. `offset` advances;
/// after the end, id 15 or an error it is left at `data.len()`.
#[inline]
fn next_element<'a>(
    form: ExtensionForm,
    data: &'a [u8],
    offset: &mut usize,
) -> Option<Result<(u8, &'a [u8]), RtpError>> {
    loop {
        let at = *offset;
        let first = *data.get(at)?;
        let (id, value_start, len) = match form {
            ExtensionForm::OneByte => {
                let id = first >> 4;
                if id == 0 {
                    *offset = at + 1;
                    continue;
                }
                if id == 15 {
                    *offset = data.len();
                    return None;
                }
                (id, at + 1, usize::from(first & 0x0f) + 1)
            }
            ExtensionForm::TwoByte => {
                if first == 0 {
                    *offset = at + 1;
                    continue;
                }
                let Some(&len) = data.get(at + 1) else {
                    *offset = data.len();
                    return Some(Err(RtpError::ExtensionElementOverrun {
                        id: first,
                        offset: at,
                    }));
                };
                (first, at + 2, usize::from(len))
            }
        };
        let end = value_start + len;
        return match data.get(value_start..end) {
            Some(value) => {
                *offset = end;
                Some(Ok((id, value)))
            }
            None => {
                *offset = data.len();
                Some(Err(RtpError::ExtensionElementOverrun { id, offset: at }))
            }
        };
    }
}

/// Fallible iterator over the elements of an unvalidated extension block.
///
/// Yields `Ok((id, value))` per element and at most one `Err` (a truncated
/// element), after which it stops. Blocks with a non-RFC 8285 profile yield
/// nothing.
#[derive(Debug, Clone)]
pub struct RawExtensionElements<'a> {
    form: Option<ExtensionForm>,
    data: &'a [u8],
    offset: usize,
}

impl<'a> RawExtensionElements<'a> {
    /// Walks `data` framed as `profile` says.
    #[inline]
    pub const fn new(profile: u16, data: &'a [u8]) -> Self {
        Self {
            form: ExtensionForm::from_profile(profile),
            data,
            offset: 0,
        }
    }
}

impl<'a> Iterator for RawExtensionElements<'a> {
    type Item = Result<(u8, &'a [u8]), RtpError>;

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        next_element(self.form?, self.data, &mut self.offset)
    }
}

impl core::iter::FusedIterator for RawExtensionElements<'_> {}

/// A validated RFC 8285 header extension block, borrowed from the packet.
///
/// Built by [`RtpPacket::extensions`](super::RtpPacket::extensions) or
/// [`HeaderExtensions::parse`]; every element is known to fit the block, so
/// iteration and [`get`](Self::get) cannot fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HeaderExtensions<'a> {
    profile: u16,
    data: &'a [u8],
}

impl<'a> HeaderExtensions<'a> {
    /// A block with no elements (a packet without the X bit).
    pub const EMPTY: HeaderExtensions<'static> = HeaderExtensions {
        profile: 0,
        data: &[],
    };

    /// Validates the element framing of `data` (the bytes after the 4-byte
    /// extension header) for the given profile.
    pub fn parse(profile: u16, data: &'a [u8]) -> Result<Self, RtpError> {
        for element in RawExtensionElements::new(profile, data) {
            element?;
        }
        Ok(Self { profile, data })
    }

    /// The 16-bit "defined by profile" field (`0xBEDE`, `0x100X`, other);
    /// 0 for [`EMPTY`](Self::EMPTY).
    #[inline]
    pub const fn profile(&self) -> u16 {
        self.profile
    }

    /// The RFC 8285 form, or `None` for other profiles.
    #[inline]
    pub const fn form(&self) -> Option<ExtensionForm> {
        ExtensionForm::from_profile(self.profile)
    }

    /// The raw block data, element headers and padding included.
    #[inline]
    pub const fn data(&self) -> &'a [u8] {
        self.data
    }

    /// Iterates `(id, value)` in wire order.
    #[inline]
    pub fn iter(&self) -> ExtensionIter<'a> {
        ExtensionIter {
            inner: RawExtensionElements::new(self.profile, self.data),
        }
    }

    /// The value of the first element with this id.
    #[inline]
    pub fn get(&self, id: u8) -> Option<&'a [u8]> {
        self.iter().find(|&(i, _)| i == id).map(|(_, v)| v)
    }

    /// True when the block has no elements.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }

    /// Number of elements.
    #[inline]
    pub fn len(&self) -> usize {
        self.iter().count()
    }
}

impl<'a> IntoIterator for HeaderExtensions<'a> {
    type Item = (u8, &'a [u8]);
    type IntoIter = ExtensionIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<'a> IntoIterator for &HeaderExtensions<'a> {
    type Item = (u8, &'a [u8]);
    type IntoIter = ExtensionIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Iterator over the `(id, value)` elements of a validated block.
#[derive(Debug, Clone)]
pub struct ExtensionIter<'a> {
    inner: RawExtensionElements<'a>,
}

impl<'a> Iterator for ExtensionIter<'a> {
    type Item = (u8, &'a [u8]);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        // The block was validated, so an error cannot occur; stop if it did.
        self.inner.next()?.ok()
    }
}

impl core::iter::FusedIterator for ExtensionIter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(profile: u16, data: &[u8]) -> Result<Vec<(u8, Vec<u8>)>, RtpError> {
        RawExtensionElements::new(profile, data)
            .map(|r| r.map(|(id, v)| (id, v.to_vec())))
            .collect()
    }

    #[test]
    fn forms_from_profile() {
        assert_eq!(
            ExtensionForm::from_profile(0xBEDE),
            Some(ExtensionForm::OneByte)
        );
        assert_eq!(
            ExtensionForm::from_profile(0x1000),
            Some(ExtensionForm::TwoByte)
        );
        assert_eq!(
            ExtensionForm::from_profile(0x100F),
            Some(ExtensionForm::TwoByte)
        );
        assert_eq!(ExtensionForm::from_profile(0x1010), None);
        assert_eq!(ExtensionForm::from_profile(0xBEDF), None);
        assert_eq!(ExtensionForm::from_profile(0), None);
    }

    #[test]
    fn one_byte_with_padding_between_and_after() {
        // id 1 len 1, pad, id 2 len 3, pad pad
        let data = [0x10, 0xAA, 0x00, 0x22, 1, 2, 3, 0x00];
        let got = collect(ONE_BYTE_PROFILE, &data).unwrap();
        assert_eq!(got, vec![(1, vec![0xAA]), (2, vec![1, 2, 3])]);
        let ext = HeaderExtensions::parse(ONE_BYTE_PROFILE, &data).unwrap();
        assert_eq!(ext.get(2), Some(&[1u8, 2, 3][..]));
        assert_eq!(ext.get(3), None);
        assert_eq!(ext.len(), 2);
        assert_eq!(ext.form(), Some(ExtensionForm::OneByte));
    }

    #[test]
    fn one_byte_id_zero_with_length_nibble_is_one_padding_byte() {
        let data = [0x05, 0x10, 0x7F, 0x00];
        assert_eq!(
            collect(ONE_BYTE_PROFILE, &data).unwrap(),
            vec![(1, vec![0x7F])]
        );
    }

    #[test]
    fn one_byte_id_15_stops_parsing() {
        // id 1, then id 15 whose length would overrun: ignored, and so is id 2 after it.
        let data = [0x10, 0x01, 0xFF, 0x20, 0x02, 0, 0, 0];
        let ext = HeaderExtensions::parse(ONE_BYTE_PROFILE, &data).unwrap();
        assert_eq!(ext.iter().collect::<Vec<_>>(), vec![(1, &[1u8][..])]);
        assert_eq!(ext.get(2), None);
    }

    #[test]
    fn one_byte_sixteen_byte_value() {
        let mut data = vec![0x3F];
        data.extend(0u8..16);
        data.extend([0, 0, 0]);
        let got = collect(ONE_BYTE_PROFILE, &data).unwrap();
        assert_eq!(got, vec![(3, (0u8..16).collect())]);
    }

    #[test]
    fn two_byte_mixed_ids_and_zero_length() {
        // id 1 len 0, id 200 len 2, padding, id 14 len 1
        let data = [1, 0, 200, 2, 0xAB, 0xCD, 0, 14, 1, 0x55, 0, 0];
        let ext = HeaderExtensions::parse(0x1000, &data).unwrap();
        let got: Vec<_> = ext.iter().collect();
        assert_eq!(
            got,
            vec![(1, &[][..]), (200, &[0xAB, 0xCD][..]), (14, &[0x55][..])]
        );
        assert_eq!(ext.get(1), Some(&[][..]));
        // Application bits do not change the framing.
        let ext = HeaderExtensions::parse(0x100A, &data).unwrap();
        assert_eq!(ext.len(), 3);
    }

    #[test]
    fn overruns_are_errors() {
        assert_eq!(
            collect(ONE_BYTE_PROFILE, &[0x10, 0xAA, 0x13, 1, 2, 3]),
            Err(RtpError::ExtensionElementOverrun { id: 1, offset: 2 })
        );
        // two-byte: length byte missing
        assert_eq!(
            collect(TWO_BYTE_PROFILE, &[0, 0, 0, 7]),
            Err(RtpError::ExtensionElementOverrun { id: 7, offset: 3 })
        );
        // two-byte: value longer than the block
        assert_eq!(
            HeaderExtensions::parse(TWO_BYTE_PROFILE, &[5, 3, 1, 2]),
            Err(RtpError::ExtensionElementOverrun { id: 5, offset: 0 })
        );
    }

    #[test]
    fn raw_iterator_stops_after_error() {
        let mut it = RawExtensionElements::new(ONE_BYTE_PROFILE, &[0x10, 1, 0x23, 9]);
        assert_eq!(it.next(), Some(Ok((1, &[1u8][..]))));
        assert!(matches!(it.next(), Some(Err(_))));
        assert_eq!(it.next(), None);
    }

    #[test]
    fn unknown_profile_has_no_elements() {
        let ext = HeaderExtensions::parse(0xABCD, &[1, 2, 3, 4]).unwrap();
        assert!(ext.is_empty());
        assert_eq!(ext.form(), None);
        assert_eq!(ext.data(), &[1, 2, 3, 4]);
    }

    #[test]
    fn can_carry_limits() {
        use ExtensionForm::*;
        assert!(OneByte.can_carry(1, 1));
        assert!(OneByte.can_carry(14, 16));
        assert!(!OneByte.can_carry(15, 1));
        assert!(!OneByte.can_carry(0, 1));
        assert!(!OneByte.can_carry(1, 0));
        assert!(!OneByte.can_carry(1, 17));
        assert!(TwoByte.can_carry(1, 0));
        assert!(TwoByte.can_carry(255, 255));
        assert!(!TwoByte.can_carry(0, 1));
        assert!(!TwoByte.can_carry(1, 256));
    }
}
