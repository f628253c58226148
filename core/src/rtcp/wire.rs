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
    pub(crate) fn with_capacity(buf: &'b mut [u8], needed: usize) -> Result<Self, RtcpError> {
        if buf.len() < needed {
            return Err(RtcpError::BufferTooSmall {
                needed,
                got: buf.len(),
            });
        }
        Ok(Writer { buf, pos: 0 })
    }

    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    pub(crate) fn put(&mut self, bytes: &[u8]) -> Result<(), RtcpError> {
        let end = self.pos.saturating_add(bytes.len());
        let got = self.buf.len();
        let dst = self
            .buf
            .get_mut(self.pos..end)
            .ok_or(RtcpError::BufferTooSmall { needed: end, got })?;
        dst.copy_from_slice(bytes);
        self.pos = end;
        Ok(())
    }

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

    pub(crate) fn u8(&mut self, v: u8) -> Result<(), RtcpError> {
        self.put(&[v])
    }

    pub(crate) fn u16(&mut self, v: u16) -> Result<(), RtcpError> {
        self.put(&v.to_be_bytes())
    }

    pub(crate) fn u24(&mut self, v: u32) -> Result<(), RtcpError> {
        let [_, a, b, c] = v.to_be_bytes();
        self.put(&[a, b, c])
    }

    pub(crate) fn u32(&mut self, v: u32) -> Result<(), RtcpError> {
        self.put(&v.to_be_bytes())
    }

    pub(crate) fn u64(&mut self, v: u64) -> Result<(), RtcpError> {
        self.put(&v.to_be_bytes())
    }
}

/// Rounds `n` up to the next multiple of 4.
pub(crate) const fn align4(n: usize) -> usize {
    (n + 3) & !3
}
