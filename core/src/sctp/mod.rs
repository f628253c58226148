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
//!   I-DATA (RFC 8260)); unknown chunks and parameters are classified by
//!   their upper two bits ([`UnknownAction`]). [`PacketWriter`] builds
//!   packets in caller buffers; the CRC32c ([`checksum`], RFC 3309) uses
//!   the hardware-accelerated `crc32c` crate.
//!
//! Nothing here allocates; malformed input gives an [`SctpError`], never a
//! panic. Parse then write reproduces the original bytes.
//!
//! What it does not do (yet): I-FORWARD-TSN, ECN, ASCONF, AUTH and PAD
//! chunks are surfaced as [`ChunkView::Unknown`].

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
    FLAG_UNORDERED, ForwardTsnChunk, I_DATA_HEADER_LEN, IDataChunk, InitChunk, SackChunk,
    chunk_type,
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
