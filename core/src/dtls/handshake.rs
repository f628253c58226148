//! Handshake message framing (RFC 6347 §4.2.2, §4.2.3): the 12-byte header
//! with message_seq, fragment_offset and fragment_length; fragmentation to
//! a size limit; reassembly in any order with duplicates and overlaps.

use smallvec::SmallVec;

use super::DtlsError;
use super::codec::Reader;

/// Length of the DTLS handshake header.
pub const HANDSHAKE_HEADER_LEN: usize = 12;
/// Largest handshake message we reassemble (certificate chains included).
pub const MAX_HANDSHAKE_MESSAGE: usize = 1 << 16;

/// Handshake message types (RFC 5246 §7.4, RFC 6347 §4.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum HandshakeType {
    /// hello_request (0)
    HelloRequest = 0,
    /// client_hello (1)
    ClientHello = 1,
    /// server_hello (2)
    ServerHello = 2,
    /// hello_verify_request (3)
    HelloVerifyRequest = 3,
    /// certificate (11)
    Certificate = 11,
    /// server_key_exchange (12)
    ServerKeyExchange = 12,
    /// certificate_request (13)
    CertificateRequest = 13,
    /// server_hello_done (14)
    ServerHelloDone = 14,
    /// certificate_verify (15)
    CertificateVerify = 15,
    /// client_key_exchange (16)
    ClientKeyExchange = 16,
    /// finished (20)
    Finished = 20,
}

impl HandshakeType {
    /// The type for a wire value.
    ///
    /// # Errors
    /// [`DtlsError::UnexpectedMessage`] for a type DTLS 1.2 does not define.
    pub const fn from_u8(value: u8) -> Result<Self, DtlsError> {
        Ok(match value {
            0 => Self::HelloRequest,
            1 => Self::ClientHello,
            2 => Self::ServerHello,
            3 => Self::HelloVerifyRequest,
            11 => Self::Certificate,
            12 => Self::ServerKeyExchange,
            13 => Self::CertificateRequest,
            14 => Self::ServerHelloDone,
            15 => Self::CertificateVerify,
            16 => Self::ClientKeyExchange,
            20 => Self::Finished,
            _ => return Err(DtlsError::UnexpectedMessage("handshake type")),
        })
    }
}

/// A handshake header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HandshakeHeader {
    /// The message type.
    pub msg_type: HandshakeType,
    /// Length of the whole message body.
    pub length: u32,
    /// Message sequence number within the handshake.
    pub message_seq: u16,
    /// Offset of this fragment in the body.
    pub fragment_offset: u32,
    /// Length of this fragment.
    pub fragment_length: u32,
}

impl HandshakeHeader {
    /// Writes the 12-byte header into `out`.
    ///
    /// # Errors
    /// [`DtlsError::BufferTooSmall`] when `out` is shorter than 12 bytes.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, DtlsError> {
        let dst = out
            .get_mut(..HANDSHAKE_HEADER_LEN)
            .ok_or(DtlsError::BufferTooSmall {
                needed: HANDSHAKE_HEADER_LEN,
            })?;
        let [_, l0, l1, l2] = self.length.to_be_bytes();
        let [s0, s1] = self.message_seq.to_be_bytes();
        let [_, o0, o1, o2] = self.fragment_offset.to_be_bytes();
        let [_, f0, f1, f2] = self.fragment_length.to_be_bytes();
        dst.copy_from_slice(&[
            self.msg_type as u8,
            l0,
            l1,
            l2,
            s0,
            s1,
            o0,
            o1,
            o2,
            f0,
            f1,
            f2,
        ]);
        Ok(HANDSHAKE_HEADER_LEN)
    }

    /// The header of the whole message as one fragment (the form hashed
    /// into the transcript, RFC 6347 §4.2.6).
    #[must_use]
    pub const fn unfragmented(&self) -> Self {
        Self {
            fragment_offset: 0,
            fragment_length: self.length,
            ..*self
        }
    }
}

/// One handshake fragment borrowed from a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandshakeFragment<'a> {
    /// The header.
    pub header: HandshakeHeader,
    /// `fragment_length` bytes of the body, starting at `fragment_offset`.
    pub body: &'a [u8],
}

impl<'a> HandshakeFragment<'a> {
    /// Parses the fragment at the start of `buf` (a record may carry
    /// several); returns it and the remaining bytes.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`], [`DtlsError::UnexpectedMessage`] for an
    /// unknown type, [`DtlsError::BadFragment`] when offset + length exceeds
    /// the message length, [`DtlsError::MessageTooLarge`].
    pub fn parse(buf: &'a [u8]) -> Result<(Self, &'a [u8]), DtlsError> {
        let mut r = Reader::new(buf, "handshake fragment");
        let msg_type = HandshakeType::from_u8(r.u8()?)?;
        let length = r.u24()?;
        let message_seq = r.u16()?;
        let fragment_offset = r.u24()?;
        let fragment_length = r.u24()?;
        if length as usize > MAX_HANDSHAKE_MESSAGE {
            return Err(DtlsError::MessageTooLarge(length as usize));
        }
        if fragment_offset.saturating_add(fragment_length) > length {
            return Err(DtlsError::BadFragment);
        }
        let body = r.bytes(fragment_length as usize)?;
        Ok((
            Self {
                header: HandshakeHeader {
                    msg_type,
                    length,
                    message_seq,
                    fragment_offset,
                    fragment_length,
                },
                body,
            },
            r.rest(),
        ))
    }

    /// Writes header and body into `out`; returns bytes written.
    ///
    /// # Errors
    /// [`DtlsError::BufferTooSmall`].
    pub fn write(&self, out: &mut [u8]) -> Result<usize, DtlsError> {
        let needed = HANDSHAKE_HEADER_LEN + self.body.len();
        let dst = out
            .get_mut(..needed)
            .ok_or(DtlsError::BufferTooSmall { needed })?;
        let (head, body) = dst.split_at_mut(HANDSHAKE_HEADER_LEN);
        self.header.write(head)?;
        body.copy_from_slice(self.body);
        Ok(needed)
    }
}

/// Splits a message body into fragments of at most `max_fragment` body
/// bytes (at least one fragment, even for an empty body).
pub fn fragments(
    msg_type: HandshakeType,
    message_seq: u16,
    body: &[u8],
    max_fragment: usize,
) -> impl Iterator<Item = HandshakeFragment<'_>> {
    let max = max_fragment.max(1);
    let length = body.len() as u32;
    let count = body.len().div_ceil(max).max(1);
    (0..count).map(move |i| {
        let start = (i * max).min(body.len());
        let end = (start + max).min(body.len());
        let chunk = body.get(start..end).unwrap_or_default();
        HandshakeFragment {
            header: HandshakeHeader {
                msg_type,
                length,
                message_seq,
                fragment_offset: start as u32,
                fragment_length: chunk.len() as u32,
            },
            body: chunk,
        }
    })
}

/// A complete, reassembled handshake message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandshakeMessage {
    /// The message type.
    pub msg_type: HandshakeType,
    /// The message sequence number.
    pub message_seq: u16,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HandshakeMessage {
    /// The message as hashed into the transcript: unfragmented header + body.
    #[must_use]
    pub fn transcript_bytes(&self) -> Vec<u8> {
        let mut out = vec![0u8; HANDSHAKE_HEADER_LEN + self.body.len()];
        let header = HandshakeHeader {
            msg_type: self.msg_type,
            length: self.body.len() as u32,
            message_seq: self.message_seq,
            fragment_offset: 0,
            fragment_length: self.body.len() as u32,
        };
        let (head, body) = out.split_at_mut(HANDSHAKE_HEADER_LEN);
        // Cannot fail: `head` is exactly HANDSHAKE_HEADER_LEN long.
        let _ = header.write(head);
        body.copy_from_slice(&self.body);
        out
    }
}

#[derive(Debug)]
struct Partial {
    msg_type: HandshakeType,
    message_seq: u16,
    body: Vec<u8>,
    /// Received byte ranges `[start, end)`, sorted and merged.
    ranges: SmallVec<[(u32, u32); 4]>,
}

impl Partial {
    fn add(&mut self, offset: u32, data: &[u8]) {
        let end = offset + data.len() as u32;
        if let Some(dst) = self.body.get_mut(offset as usize..end as usize) {
            dst.copy_from_slice(data);
        }
        if offset == end {
            return;
        }
        self.ranges.push((offset, end));
        self.ranges.sort_unstable();
        let mut merged: SmallVec<[(u32, u32); 4]> = SmallVec::new();
        for &(s, e) in &self.ranges {
            match merged.last_mut() {
                Some(last) if s <= last.1 => last.1 = last.1.max(e),
                _ => merged.push((s, e)),
            }
        }
        self.ranges = merged;
    }

    fn is_complete(&self) -> bool {
        self.body.is_empty() || self.ranges.as_slice() == [(0, self.body.len() as u32)]
    }
}

/// How many messages ahead of the next expected one we buffer.
pub const REASSEMBLY_WINDOW: u16 = 16;

/// Reassembles handshake messages from fragments received in any order,
/// duplicated or overlapping, and hands them out in `message_seq` order.
#[derive(Debug, Default)]
pub struct Reassembler {
    next_seq: u16,
    pending: Vec<Partial>,
}

/// What [`Reassembler::insert`] did with a fragment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FragmentDisposition {
    /// Buffered (for the next message or one shortly after).
    Buffered,
    /// A fragment of a message already delivered: the peer retransmits.
    Old,
    /// Too far ahead of the next expected message: dropped.
    TooFarAhead,
}

impl Reassembler {
    /// A reassembler expecting `message_seq` 0.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The next `message_seq` it will deliver.
    #[must_use]
    pub const fn next_seq(&self) -> u16 {
        self.next_seq
    }

    /// Makes the next delivered message `seq`, dropping anything buffered
    /// before it (a client learns the server's first `message_seq` this way).
    pub fn set_next_seq(&mut self, seq: u16) {
        self.next_seq = seq;
        self.pending.retain(|p| p.message_seq >= seq);
    }

    /// Adds a fragment.
    ///
    /// # Errors
    /// [`DtlsError::BadFragment`] when it disagrees with earlier fragments
    /// of the same message about type or length.
    pub fn insert(
        &mut self,
        fragment: &HandshakeFragment<'_>,
    ) -> Result<FragmentDisposition, DtlsError> {
        let h = fragment.header;
        if h.message_seq < self.next_seq {
            return Ok(FragmentDisposition::Old);
        }
        if h.message_seq - self.next_seq >= REASSEMBLY_WINDOW {
            return Ok(FragmentDisposition::TooFarAhead);
        }
        let index = match self
            .pending
            .iter()
            .position(|p| p.message_seq == h.message_seq)
        {
            Some(i) => {
                let p = self.pending.get(i).ok_or(DtlsError::BadFragment)?;
                if p.msg_type != h.msg_type || p.body.len() != h.length as usize {
                    return Err(DtlsError::BadFragment);
                }
                i
            }
            None => {
                self.pending.push(Partial {
                    msg_type: h.msg_type,
                    message_seq: h.message_seq,
                    body: vec![0u8; h.length as usize],
                    ranges: SmallVec::new(),
                });
                self.pending.len() - 1
            }
        };
        let partial = self.pending.get_mut(index).ok_or(DtlsError::BadFragment)?;
        partial.add(h.fragment_offset, fragment.body);
        Ok(FragmentDisposition::Buffered)
    }

    /// The next message in sequence, if it is complete.
    pub fn pop(&mut self) -> Option<HandshakeMessage> {
        let index = self
            .pending
            .iter()
            .position(|p| p.message_seq == self.next_seq && p.is_complete())?;
        let partial = self.pending.swap_remove(index);
        self.next_seq = self.next_seq.wrapping_add(1);
        Some(HandshakeMessage {
            msg_type: partial.msg_type,
            message_seq: partial.message_seq,
            body: partial.body,
        })
    }
}
