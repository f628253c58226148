//! Bounds-checked big-endian reading for the wire formats of this layer.

use super::DtlsError;

/// A cursor over a borrowed buffer; every read checks its bounds.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Reader<'a> {
    buf: &'a [u8],
    what: &'static str,
}

impl<'a> Reader<'a> {
    pub(crate) const fn new(buf: &'a [u8], what: &'static str) -> Self {
        Self { buf, what }
    }

    pub(crate) const fn is_empty(&self) -> bool {
        self.buf.is_empty()
    }

    pub(crate) const fn rest(&self) -> &'a [u8] {
        self.buf
    }

    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], DtlsError> {
        let (head, tail) = self
            .buf
            .split_at_checked(n)
            .ok_or(DtlsError::Truncated(self.what))?;
        self.buf = tail;
        Ok(head)
    }

    pub(crate) fn array<const N: usize>(&mut self) -> Result<[u8; N], DtlsError> {
        let mut out = [0u8; N];
        out.copy_from_slice(self.bytes(N)?);
        Ok(out)
    }

    pub(crate) fn u8(&mut self) -> Result<u8, DtlsError> {
        let [b] = self.array()?;
        Ok(b)
    }

    pub(crate) fn u16(&mut self) -> Result<u16, DtlsError> {
        Ok(u16::from_be_bytes(self.array()?))
    }

    pub(crate) fn u24(&mut self) -> Result<u32, DtlsError> {
        let [a, b, c] = self.array()?;
        Ok(u32::from_be_bytes([0, a, b, c]))
    }

    pub(crate) fn u48(&mut self) -> Result<u64, DtlsError> {
        let [a, b, c, d, e, f] = self.array()?;
        Ok(u64::from_be_bytes([0, 0, a, b, c, d, e, f]))
    }

    /// A vector with a one-byte length prefix.
    pub(crate) fn vec8(&mut self) -> Result<&'a [u8], DtlsError> {
        let n = self.u8()?;
        self.bytes(usize::from(n))
    }

    /// A vector with a two-byte length prefix.
    pub(crate) fn vec16(&mut self) -> Result<&'a [u8], DtlsError> {
        let n = self.u16()?;
        self.bytes(usize::from(n))
    }

    /// A vector with a three-byte length prefix.
    pub(crate) fn vec24(&mut self) -> Result<&'a [u8], DtlsError> {
        let n = self.u24()?;
        self.bytes(n as usize)
    }

    /// Fails unless every byte was consumed.
    pub(crate) fn finish(&self) -> Result<(), DtlsError> {
        if self.buf.is_empty() {
            Ok(())
        } else {
            Err(DtlsError::BadLength(self.what))
        }
    }
}

/// Appends big-endian fields to a growable handshake body (handshake
/// messages are built once per flight, never per packet).
pub(crate) trait WriteExt {
    fn put_u8(&mut self, v: u8);
    fn put_u16(&mut self, v: u16);
    fn put_u24(&mut self, v: u32);
    /// Writes `body` with a length prefix of `prefix` bytes (1, 2 or 3).
    fn put_vec(&mut self, prefix: usize, body: &[u8]);
}

impl WriteExt for Vec<u8> {
    fn put_u8(&mut self, v: u8) {
        self.push(v);
    }
    fn put_u16(&mut self, v: u16) {
        self.extend_from_slice(&v.to_be_bytes());
    }
    fn put_u24(&mut self, v: u32) {
        let [_, a, b, c] = v.to_be_bytes();
        self.extend_from_slice(&[a, b, c]);
    }
    fn put_vec(&mut self, prefix: usize, body: &[u8]) {
        let len = body.len() as u32;
        match prefix {
            1 => self.put_u8(len as u8),
            2 => self.put_u16(len as u16),
            _ => self.put_u24(len),
        }
        self.extend_from_slice(body);
    }
}
