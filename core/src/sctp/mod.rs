//! SCTP (RFC 9260) for WebRTC data channels, carried over DTLS (RFC 8261).
//!
//! What this layer owns:
//!
//! - The wire format, zero-copy: [`SctpPacket`] (common header, chunk
//!   framing), [`ChunkView`] (every chunk RFC 9260 §3.3 defines that an
//!   association uses: DATA, INIT, INIT-ACK with its parameters — state
//!   cookie, supported extensions (RFC 5061), forward-TSN supported
//!   (RFC 3758), zero checksum acceptable (RFC 9653) — SACK with gap
//!   blocks and duplicate TSNs, HEARTBEAT / -ACK, ABORT and ERROR with
//!   causes, SHUTDOWN / -ACK / -COMPLETE, COOKIE-ECHO / -ACK, FORWARD-TSN
//!   (RFC 3758), RE-CONFIG with its requests and responses (RFC 6525),
//!   I-DATA and I-FORWARD-TSN (RFC 8260)); unknown chunks and parameters are classified by
//!   their upper two bits ([`UnknownAction`]). [`PacketWriter`] builds
//!   packets in caller buffers; the CRC32c ([`checksum`], RFC 3309) uses
//!   the hardware-accelerated `crc32c` crate.
//!
//! - The sans-I/O [`Association`] ([`assoc`]): handshake with an
//!   HMAC-SHA-256-signed state cookie (and the INIT collision WebRTC peers
//!   cause by both connecting), DATA / SACK with gap blocks and duplicate
//!   TSNs, fragmentation and reassembly up to `max_message_size`, ordered
//!   and unordered delivery per stream, congestion control (slow start,
//!   congestion avoidance, fast retransmit / fast recovery, RFC 9260 §7),
//!   RTO per RFC 6298, delayed SACK (200 ms / every second packet),
//!   receiver window and flow control, bundling as many chunks as the MTU
//!   allows, heartbeats, graceful shutdown, abort, partial reliability
//!   (RFC 3758: max retransmissions, max lifetime, FORWARD-TSN), stream
//!   reset (RFC 6525 outgoing / incoming SSN reset), bounded send buffer
//!   with per-stream `buffered_amount` and a low-threshold event, zero
//!   checksum when both sides offer it (RFC 9653).
//!
//! The wire format allocates nothing; malformed input gives an
//! [`SctpError`], never a panic; parse then write reproduces the original
//! bytes. The association reuses pooled buffers: steady-state traffic
//! allocates nothing per message.
//!
//!   Peer restart (RFC 9260 §5.2.4) is detected with tie-tags. I-DATA and
//!   I-FORWARD-TSN (RFC 8260) are used when both sides offer them
//!   (`Config::interleaving`): interleaved messages from the peer are
//!   reassembled by stream, U bit, MID and FSN.
//!
//!   Streams with queued messages share the link by deficit round-robin
//!   weighted by their priority (RFC 8831 §6.4); turns end at message
//!   boundaries with DATA and may end inside a message with I-DATA, so a
//!   large message does not hold back the other streams.
//!
//! What it does not do (yet): ECN, ASCONF, AUTH and PAD chunks are
//! surfaced as [`ChunkView::Unknown`]; no multi-homing. Reassembling multi-fragment I-DATA messages allocates a
//! small fragment list per message (the DATA path allocates nothing).
//!
//! ```
//! use std::time::Instant;
//! use zerortc::sctp::{Association, Config, Event, Reliability};
//!
//! let now = Instant::now();
//! let mut a = Association::new(Config { seed: 1, ..Config::default() }, now);
//! let mut b = Association::new(Config { seed: 2, ..Config::default() }, now);
//! a.connect(now);
//! let mut buf = [0u8; 1500];
//! // Move packets until both sides are quiet (a real driver also runs
//! // the timers from `poll_timeout`).
//! for _ in 0..4 {
//!     while let Some(n) = a.poll_transmit(now, &mut buf) {
//!         b.handle_receive(now, &buf[..n])?;
//!     }
//!     while let Some(n) = b.poll_transmit(now, &mut buf) {
//!         a.handle_receive(now, &buf[..n])?;
//!     }
//!     if a.is_established() && b.is_established() {
//!         a.send(now, 0, 53, b"hello", false, Reliability::Reliable)?;
//!     }
//! }
//! while let Some(event) = b.poll_event() {
//!     if let Event::Message(m) = event {
//!         assert_eq!(m.data, b"hello");
//!         b.recycle(m.data);
//!     }
//! }
//! # Ok::<(), zerortc::sctp::SctpError>(())
//! ```

pub mod checksum;
mod chunk;
mod error;
mod packet;
pub mod param;
mod writer;

pub mod assoc;
pub use assoc::{AbortReason, Association, AssociationState, Config, Event, Message, Reliability};

pub use chunk::{
    ChunkView, DATA_HEADER_LEN, DataChunk, FLAG_BEGIN, FLAG_END, FLAG_IMMEDIATE, FLAG_T,
    FLAG_UNORDERED, ForwardTsnChunk, I_DATA_HEADER_LEN, IDataChunk, IForwardTsnChunk, InitChunk,
    SackChunk, chunk_type,
};
pub use error::SctpError;
pub use packet::{
    CHUNK_HEADER_LEN, COMMON_HEADER_LEN, ChunkIter, CommonHeader, RawChunk, SctpPacket,
    UnknownAction,
};
pub use writer::{DataHeader, InitFields, PacketWriter};

/// Reads a big-endian u16 at `off`.
pub(crate) fn read_u16(b: &[u8], off: usize) -> Result<u16, SctpError> {
    b.get(off..off + 2)
        .and_then(|s| s.try_into().ok())
        .map(u16::from_be_bytes)
        .ok_or(SctpError::MalformedChunk {
            chunk_type: 0xFF,
            len: b.len(),
        })
}

/// Reads a big-endian u32 at `off`.
pub(crate) fn read_u32(b: &[u8], off: usize) -> Result<u32, SctpError> {
    b.get(off..off + 4)
        .and_then(|s| s.try_into().ok())
        .map(u32::from_be_bytes)
        .ok_or(SctpError::MalformedChunk {
            chunk_type: 0xFF,
            len: b.len(),
        })
}

/// Copies `src` into `dst` at `off`; does nothing if it does not fit
/// (callers size `dst` first).
pub(crate) fn put(dst: &mut [u8], off: usize, src: &[u8]) {
    if let Some(d) = dst.get_mut(off..off + src.len()) {
        d.copy_from_slice(src);
    }
}

/// Writes a big-endian u16 at `off` (see [`put`]).
pub(crate) fn put_u16(dst: &mut [u8], off: usize, v: u16) {
    put(dst, off, &v.to_be_bytes());
}

/// Writes a big-endian u32 at `off` (see [`put`]).
pub(crate) fn put_u32(dst: &mut [u8], off: usize, v: u32) {
    put(dst, off, &v.to_be_bytes());
}
