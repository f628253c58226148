//! The DTLS record layer wire format (RFC 6347 §4.1): 13-byte headers with
//! epoch and 48-bit sequence number, several records per datagram.

use super::DtlsError;
use super::codec::Reader;

/// Length of a DTLS 1.2 record header.
pub const RECORD_HEADER_LEN: usize = 13;
/// Record version DTLS 1.0 (sent in ClientHellos by DTLS 1.3 clients).
pub const DTLS_1_0: u16 = 0xFEFF;
/// Record and protocol version DTLS 1.2.
pub const DTLS_1_2: u16 = 0xFEFD;
/// Largest 48-bit record sequence number.
pub const MAX_SEQUENCE_NUMBER: u64 = (1 << 48) - 1;
/// Largest record fragment we accept (2^14 plaintext + 2048, RFC 6347 §4.1).
pub const MAX_RECORD_FRAGMENT: usize = (1 << 14) + 2048;

/// The record content types (RFC 5246 §6.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum ContentType {
    /// change_cipher_spec (20)
    ChangeCipherSpec = 20,
    /// alert (21)
    Alert = 21,
    /// handshake (22)
    Handshake = 22,
    /// application_data (23)
    ApplicationData = 23,
}

impl ContentType {
    /// The content type for a wire value.
    ///
    /// # Errors
    /// [`DtlsError::UnknownContentType`] for any other value.
    pub const fn from_u8(value: u8) -> Result<Self, DtlsError> {
        match value {
            20 => Ok(Self::ChangeCipherSpec),
            21 => Ok(Self::Alert),
            22 => Ok(Self::Handshake),
            23 => Ok(Self::ApplicationData),
            other => Err(DtlsError::UnknownContentType(other)),
        }
    }
}

/// A record header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RecordHeader {
    /// What the fragment carries.
    pub content_type: ContentType,
    /// Record version: [`DTLS_1_2`], or [`DTLS_1_0`] in early ClientHellos.
    pub version: u16,
    /// Epoch: 0 before ChangeCipherSpec, 1 after.
    pub epoch: u16,
    /// 48-bit sequence number within the epoch.
    pub sequence_number: u64,
    /// Fragment length.
    pub length: u16,
}

impl RecordHeader {
    /// The 8-byte `seq_num` of the MAC/AEAD input: epoch then sequence number.
    #[must_use]
    pub const fn epoch_and_sequence(&self) -> [u8; 8] {
        let [_, _, a, b, c, d, e, f] = self.sequence_number.to_be_bytes();
        let [e0, e1] = self.epoch.to_be_bytes();
        [e0, e1, a, b, c, d, e, f]
    }

    /// Writes the 13-byte header into `out`; returns [`RECORD_HEADER_LEN`].
    ///
    /// # Errors
    /// [`DtlsError::BufferTooSmall`] when `out` is shorter than 13 bytes.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, DtlsError> {
        let dst = out
            .get_mut(..RECORD_HEADER_LEN)
            .ok_or(DtlsError::BufferTooSmall {
                needed: RECORD_HEADER_LEN,
            })?;
        let [v0, v1] = self.version.to_be_bytes();
        let [s0, s1, s2, s3, s4, s5, s6, s7] = self.epoch_and_sequence();
        let [l0, l1] = self.length.to_be_bytes();
        dst.copy_from_slice(&[
            self.content_type as u8,
            v0,
            v1,
            s0,
            s1,
            s2,
            s3,
            s4,
            s5,
            s6,
            s7,
            l0,
            l1,
        ]);
        Ok(RECORD_HEADER_LEN)
    }
}

/// A record borrowed from a datagram.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record<'a> {
    /// The header.
    pub header: RecordHeader,
    /// The fragment (ciphertext in epochs > 0).
    pub fragment: &'a [u8],
}

impl<'a> Record<'a> {
    /// Parses the record at the start of `buf`; returns it and the bytes
    /// that follow (the next records of the datagram).
    ///
    /// # Errors
    /// [`DtlsError::Truncated`] when the header or fragment is cut short,
    /// [`DtlsError::UnknownContentType`], [`DtlsError::UnsupportedVersion`],
    /// [`DtlsError::BadLength`] for a fragment over 2^14 + 2048 bytes.
    pub fn parse(buf: &'a [u8]) -> Result<(Self, &'a [u8]), DtlsError> {
        let mut r = Reader::new(buf, "record");
        let content_type = ContentType::from_u8(r.u8()?)?;
        let version = r.u16()?;
        if version != DTLS_1_2 && version != DTLS_1_0 {
            return Err(DtlsError::UnsupportedVersion(version));
        }
        let epoch = r.u16()?;
        let sequence_number = r.u48()?;
        let length = r.u16()?;
        if usize::from(length) > MAX_RECORD_FRAGMENT {
            return Err(DtlsError::BadLength("record"));
        }
        let fragment = r.bytes(usize::from(length))?;
        Ok((
            Self {
                header: RecordHeader {
                    content_type,
                    version,
                    epoch,
                    sequence_number,
                    length,
                },
                fragment,
            },
            r.rest(),
        ))
    }

    /// Writes the header and `fragment` into `out`; returns bytes written.
    ///
    /// # Errors
    /// [`DtlsError::BufferTooSmall`], [`DtlsError::BadLength`] when the
    /// fragment does not fit a 16-bit length.
    pub fn write(
        header: RecordHeader,
        fragment: &[u8],
        out: &mut [u8],
    ) -> Result<usize, DtlsError> {
        let length = u16::try_from(fragment.len()).map_err(|_| DtlsError::BadLength("record"))?;
        let needed = RECORD_HEADER_LEN + fragment.len();
        let dst = out
            .get_mut(..needed)
            .ok_or(DtlsError::BufferTooSmall { needed })?;
        let (head, body) = dst.split_at_mut(RECORD_HEADER_LEN);
        RecordHeader { length, ..header }.write(head)?;
        body.copy_from_slice(fragment);
        Ok(needed)
    }
}

/// Iterates over the records of a datagram (RFC 6347 §4.1.1: several
/// records may share one datagram). Stops after the first malformed record,
/// which it yields as an error: what follows a bad length cannot be framed.
#[derive(Debug, Clone)]
pub struct Records<'a> {
    rest: &'a [u8],
}

impl<'a> Records<'a> {
    /// Records of `datagram`.
    #[must_use]
    pub const fn new(datagram: &'a [u8]) -> Self {
        Self { rest: datagram }
    }
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<Record<'a>, DtlsError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        match Record::parse(self.rest) {
            Ok((record, rest)) => {
                self.rest = rest;
                Some(Ok(record))
            }
            Err(e) => {
                self.rest = &[];
                Some(Err(e))
            }
        }
    }
}

/// The anti-replay window of one epoch (RFC 6347 §4.1.2.6, RFC 4303 §3.4.3):
/// the highest sequence number seen and a 64-bit map of the ones below it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReplayWindow {
    highest: Option<u64>,
    map: u64,
}

/// Width of the anti-replay window.
pub const REPLAY_WINDOW: u64 = 64;

impl ReplayWindow {
    /// A window that has seen nothing.
    #[must_use]
    pub const fn new() -> Self {
        Self {
            highest: None,
            map: 0,
        }
    }

    /// Whether `seq` is new and inside the window (check before decrypting).
    #[must_use]
    pub const fn check(&self, seq: u64) -> bool {
        match self.highest {
            None => true,
            Some(top) if seq > top => true,
            Some(top) => {
                let age = top - seq;
                age < REPLAY_WINDOW && self.map & (1 << age) == 0
            }
        }
    }

    /// Records `seq` as received (call after the record authenticated).
    pub const fn mark(&mut self, seq: u64) {
        match self.highest {
            None => {
                self.highest = Some(seq);
                self.map = 1;
            }
            Some(top) if seq > top => {
                let shift = seq - top;
                self.map = if shift >= REPLAY_WINDOW {
                    0
                } else {
                    self.map << shift
                };
                self.map |= 1;
                self.highest = Some(seq);
            }
            Some(top) => {
                let age = top - seq;
                if age < REPLAY_WINDOW {
                    self.map |= 1 << age;
                }
            }
        }
    }
}
