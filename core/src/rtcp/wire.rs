//! Bounds-checked big-endian cursor for reading and writing RTCP fields.
//!
//! Every access is checked and turned into an [`RtcpError`] instead of a
//! panic; the parsers and marshallers of this module use nothing else.

use super::error::RtcpError;

/// A read cursor over a borrowed slice.
#[derive(Debug, Clone)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub(crate) fn new(buf: &'a [u8]) -> Self {
        Reader { buf, pos: 0 }
    }

    pub(crate) fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.pos)
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn rest(&self) -> &'a [u8] {
        self.buf.get(self.pos..).unwrap_or_default()
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], RtcpError> {
        let end = self.pos.saturating_add(n);
        let s = self.buf.get(self.pos..end).ok_or(RtcpError::TooShort {
            needed: end,
            got: self.buf.len(),
        })?;
        self.pos = end;
        Ok(s)
    }

    /// The next `N` bytes as an array reference: one bounds check, after
    /// which a [`Reader`] over the array reads fixed fields without any.
    pub(crate) fn array_ref<const N: usize>(&mut self) -> Result<&'a [u8; N], RtcpError> {
        let rest = self.rest();
        let (head, _) = rest.split_first_chunk::<N>().ok_or(RtcpError::TooShort {
            needed: self.pos.saturating_add(N),
            got: self.buf.len(),
        })?;
        self.pos += N;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], RtcpError> {
        let s = self.bytes(N)?;
        s.first_chunk::<N>().copied().ok_or(RtcpError::TooShort {
            needed: N,
            got: s.len(),
        })
    }

    pub(crate) fn u8(&mut self) -> Result<u8, RtcpError> {
        Ok(u8::from_be_bytes(self.array()?))
    }

    pub(crate) fn u16(&mut self) -> Result<u16, RtcpError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u24(&mut self) -> Result<u32, RtcpError> {
        let [a, b, c] = self.array()?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    pub(crate) fn u32(&mut self) -> Result<u32, RtcpError> {
        Ok(u32::from_be_bytes(self.array()?))
    }

    pub(crate) fn u64(&mut self) -> Result<u64, RtcpError> {
        Ok(u64::from_be_bytes(self.array()?))
    }
}

/// A write cursor over a caller-provided buffer.
#[derive(Debug)]
pub(crate) struct Writer<'b> {
    buf: &'b mut [u8],
    pos: usize,
}

impl<'b> Writer<'b> {
    /// Starts writing at the front of `buf` after checking that `needed`
    /// bytes fit, so that a marshaller fails before writing anything.
    #[inline(always)]
    pub(crate) fn with_capacity(buf: &'b mut [u8], needed: usize) -> Result<Self, RtcpError> {
        if buf.len() < needed {
            return Err(RtcpError::BufferTooSmall {
                needed,
                got: buf.len(),
            });
        }
        Ok(Writer { buf, pos: 0 })
    }

    /// Writes at the front of a fixed-size field group (see
    /// [`take_array`](Self::take_array)); checks are folded away when the
    /// array length is known.
    #[inline(always)]
    pub(crate) fn fixed(buf: &'b mut [u8]) -> Self {
        Writer { buf, pos: 0 }
    }

    #[inline(always)]
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    #[inline(always)]
    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), RtcpError> {
        let end = self.pos.saturating_add(bytes.len());
        let got = self.buf.len();
        let dst = self
            .buf
            .get_mut(self.pos..end)
            .ok_or(RtcpError::BufferTooSmall { needed: end, got })?;
        copy_bytes(dst, bytes);
        self.pos = end;
        Ok(())
    }

    /// The next `n` bytes of the output, to fill in place.
    #[inline(always)]
    pub(crate) fn take(&mut self, n: usize) -> Result<&mut [u8], RtcpError> {
        let end = self.pos.saturating_add(n);
        let got = self.buf.len();
        let dst = self
            .buf
            .get_mut(self.pos..end)
            .ok_or(RtcpError::BufferTooSmall { needed: end, got })?;
        self.pos = end;
        Ok(dst)
    }

    /// The next `N` bytes of the output as an array: one bounds check, after
    /// which a [`Writer`] over the array writes fixed fields without any.
    #[inline(always)]
    pub(crate) fn take_array<const N: usize>(&mut self) -> Result<&mut [u8; N], RtcpError> {
        let got = self.buf.len();
        let needed = self.pos.saturating_add(N);
        let rest = self.buf.get_mut(self.pos..).unwrap_or_default();
        let (head, _) = rest
            .split_first_chunk_mut::<N>()
            .ok_or(RtcpError::BufferTooSmall { needed, got })?;
        self.pos = needed;
        Ok(head)
    }

    #[inline(always)]
    pub(crate) fn zeros(&mut self, n: usize) -> Result<(), RtcpError> {
        let end = self.pos.saturating_add(n);
        let got = self.buf.len();
        let dst = self
            .buf
            .get_mut(self.pos..end)
            .ok_or(RtcpError::BufferTooSmall { needed: end, got })?;
        dst.fill(0);
        self.pos = end;
        Ok(())
    }

    #[inline(always)]
    pub(crate) fn u8(&mut self, v: u8) -> Result<(), RtcpError> {
        self.put(&[v])
    }

    #[inline(always)]
    pub(crate) fn u16(&mut self, v: u16) -> Result<(), RtcpError> {
        self.put(&v.to_be_bytes())
    }

    #[inline(always)]
    pub(crate) fn u32(&mut self, v: u32) -> Result<(), RtcpError> {
        self.put(&v.to_be_bytes())
    }

    #[inline(always)]
    pub(crate) fn u64(&mut self, v: u64) -> Result<(), RtcpError> {
        self.put(&v.to_be_bytes())
    }
}

/// Rounds `n` up to the next multiple of 4.
pub(crate) const fn align4(n: usize) -> usize {
    (n + 3) & !3
}

/// Copies `src` into `dst` (same length). RTCP lists are short (an SSRC, two
/// NACK pairs, one report block): up to 32 bytes are copied with two
/// overlapping fixed-size moves instead of a `memcpy` call, and an empty
/// slice costs nothing.
#[inline(always)]
pub(crate) fn copy_bytes(dst: &mut [u8], src: &[u8]) {
    fn overlapping<const N: usize>(dst: &mut [u8], src: &[u8]) {
        if let (Some(d), Some(s)) = (dst.first_chunk_mut::<N>(), src.first_chunk::<N>()) {
            *d = *s;
        }
        if let (Some(d), Some(s)) = (dst.last_chunk_mut::<N>(), src.last_chunk::<N>()) {
            *d = *s;
        }
    }
    match src.len() {
        0 => {}
        4..=7 => overlapping::<4>(dst, src),
        8..=15 => overlapping::<8>(dst, src),
        16..=32 => overlapping::<16>(dst, src),
        _ => dst.copy_from_slice(src),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_bytes_covers_every_length() {
        for n in 0..80usize {
            let src: Vec<u8> = (0..n).map(|i| i as u8 ^ 0x5a).collect();
            let mut dst = vec![0u8; n];
            copy_bytes(&mut dst, &src);
            assert_eq!(dst, src, "{n}");
        }
    }
}
