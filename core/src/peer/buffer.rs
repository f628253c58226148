//! Reused byte buffers: every datagram the peer connection sends or
//! decrypts, and every message or RTP packet it hands to the application,
//! lives in a buffer taken from a free list and given back afterwards, so
//! that steady-state traffic allocates nothing.

use core::ops::{Deref, DerefMut};

/// Smallest capacity of a datagram buffer: any UDP payload on an Ethernet
/// path (1500 bytes) with room for the SRTP tag.
pub(crate) const DATAGRAM_CAPACITY: usize = 2048;

/// Room a DTLS record adds beyond the configured MTU in a send buffer.
const RECORD_ROOM: usize = 64;

/// The capacity of every datagram buffer of a connection with this MTU:
/// [`DATAGRAM_CAPACITY`], or the MTU plus DTLS record room when that is
/// larger (jumbo frames, `mtu` up to 65507). It bounds both directions of
/// SRTP: an RTP/RTCP packet whose protected form would not fit is refused
/// by `write_rtp`/`write_rtcp` with [`super::PeerError::PacketTooLarge`],
/// and a received SRTP/SRTCP datagram longer than it is dropped and
/// counted ([`super::TransportStats::dropped_oversized`]) — buffers are
/// never grown on the hot path and packets are never truncated.
pub(crate) fn datagram_capacity(mtu: usize) -> usize {
    mtu.saturating_add(RECORD_ROOM).max(DATAGRAM_CAPACITY)
}

/// Where a [`Buffer`] came from, so that [`super::RTCPeerConnection::recycle`]
/// returns it to the right free list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The peer connection's datagram pool (RTP, RTCP).
    Datagram,
    /// The SCTP association's message pool (data channel messages).
    Sctp,
}

/// Bytes handed to the application in an event: a data channel message or
/// a decrypted RTP/RTCP packet. It dereferences to `[u8]`.
///
/// Give it back with [`super::RTCPeerConnection::recycle`] when done: the
/// next message or packet then reuses it instead of allocating. Dropping it
/// is fine too (it is freed). [`Buffer::into_vec`] keeps the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Buffer {
    pub(crate) data: Vec<u8>,
    pub(crate) origin: Origin,
}

impl Buffer {
    pub(crate) fn new(data: Vec<u8>, origin: Origin) -> Self {
        Self { data, origin }
    }

    /// The bytes, as an owned vector (the buffer is not recycled then).
    #[must_use]
    pub fn into_vec(self) -> Vec<u8> {
        self.data
    }
}

impl Deref for Buffer {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.data
    }
}

impl DerefMut for Buffer {
    fn deref_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }
}

impl AsRef<[u8]> for Buffer {
    fn as_ref(&self) -> &[u8] {
        &self.data
    }
}

/// A free list of datagram buffers. Not trimmed: it holds at most the
/// peak number of buffers in use at once.
#[derive(Debug)]
pub(crate) struct Pool {
    free: Vec<Vec<u8>>,
    capacity: usize,
}

impl Pool {
    /// Buffers of `capacity` bytes of capacity (at least
    /// [`DATAGRAM_CAPACITY`]).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            free: Vec::new(),
            capacity: capacity.max(DATAGRAM_CAPACITY),
        }
    }

    /// The capacity of its buffers: the longest datagram it holds without
    /// growing one.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// An empty buffer of at least [`Pool::capacity`] bytes of capacity.
    pub(crate) fn take(&mut self) -> Vec<u8> {
        self.free
            .pop()
            .unwrap_or_else(|| Vec::with_capacity(self.capacity))
    }

    /// A buffer holding a copy of `data` (callers check that it fits
    /// [`Pool::capacity`]).
    pub(crate) fn copy_of(&mut self, data: &[u8]) -> Vec<u8> {
        let mut buf = self.take();
        buf.extend_from_slice(data);
        buf
    }

    /// Gives a buffer back; buffers smaller than a datagram are freed.
    pub(crate) fn give(&mut self, mut buf: Vec<u8>) {
        if buf.capacity() >= self.capacity {
            buf.clear();
            self.free.push(buf);
        }
    }
}

/// A free list of full-length send buffers: every buffer is `capacity`
/// bytes long and initialised once, so writing a datagram into one needs
/// no zeroing; the datagram's length is kept beside it.
#[derive(Debug)]
pub(crate) struct TxPool {
    free: Vec<Vec<u8>>,
    capacity: usize,
}

impl TxPool {
    /// Buffers of `capacity` bytes (at least [`DATAGRAM_CAPACITY`]).
    pub(crate) fn new(capacity: usize) -> Self {
        Self {
            free: Vec::new(),
            capacity: capacity.max(DATAGRAM_CAPACITY),
        }
    }

    /// The length of its buffers.
    pub(crate) fn capacity(&self) -> usize {
        self.capacity
    }

    /// A buffer of `capacity` bytes (contents unspecified).
    pub(crate) fn take(&mut self) -> Vec<u8> {
        self.free.pop().unwrap_or_else(|| vec![0; self.capacity])
    }

    /// Gives a buffer back; buffers of another length (DTLS handshake
    /// flights) are freed.
    pub(crate) fn give(&mut self, buf: Vec<u8>) {
        if buf.len() == self.capacity {
            self.free.push(buf);
        }
    }
}
