//! Transport-wide congestion control feedback
//! (draft-holmer-rmcat-transport-wide-cc-extensions-01, RTPFB FMT 15).
//!
//! ```text
//! | sender SSRC | media SSRC | base seq (16) | packet status count (16) |
//! | reference time (24, signed, 64 ms) | fb pkt count (8) |
//! | packet chunks (16 bits each) ... | recv deltas ... | padding |
//! ```
//!
//! A chunk is either a run length (`0 SS LLLLLLLLLLLLL`: one symbol repeated
//! up to 8191 times) or a status vector (`1 0` + 14 one-bit symbols, or
//! `1 1` + 7 two-bit symbols). Symbols: 0 not received, 1 received with a
//! small delta (one unsigned byte), 2 received with a large or negative delta
//! (two bytes, signed), 3 reserved. Deltas count 250 µs ticks from the
//! previous received packet, the first from the reference time.
//!
//! Design:
//! - [`TransportCc`] is a zero-copy view: the header fields, the chunk bytes
//!   and the delta bytes, borrowed. Parsing walks the chunks once to check
//!   that they cover the status count with no reserved symbol and that the
//!   deltas section holds every delta; iterating afterwards cannot fail.
//! - [`TwccBuilder`] encodes packets as they are pushed: at most 14 pending
//!   symbols, chunks chosen greedily (a run when all pending symbols are the
//!   same, else a 1-bit vector of 14 when no large delta is pending, else a
//!   2-bit vector of 7). Chunk and delta bytes live in `SmallVec`s (inline up
//!   to 32 chunks and 256 delta bytes, the common case; a builder reused with
//!   [`TwccBuilder::reset`] keeps its capacity). [`TwccBuilder::build`]
//!   returns a [`TransportCc`] borrowing the builder.
//! - Marshalling pads to 32 bits with the P bit and a 1 to 3 byte padding
//!   (as libwebrtc does), so parse → marshal is byte-identical for such
//!   packets. Zero bytes after the deltas without the P bit are also accepted
//!   (up to 3), but are written back as P-bit padding.

use smallvec::SmallVec;

use super::error::{RtcpError, TwccError};
use super::header::{FMT_TRANSPORT_CC, PT_TRANSPORT_FEEDBACK, RawPacket, RtcpHeader};
use super::wire::{Reader, Writer, align4};

/// Microseconds in one receive-delta tick.
pub const TWCC_DELTA_TICK_US: i64 = 250;
/// Microseconds in one reference-time unit.
pub const TWCC_REFERENCE_TICK_US: i64 = 64_000;
/// Longest run a run-length chunk holds.
pub const TWCC_MAX_RUN_LENGTH: u16 = 0x1fff;

const REFERENCE_TIME_RANGE: core::ops::RangeInclusive<i32> = -(1 << 23)..=(1 << 23) - 1;

/// The reception status of one packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketStatus {
    /// Not received (symbol 0).
    NotReceived,
    /// Received, delta in one unsigned byte (symbol 1).
    ReceivedSmallDelta,
    /// Received, delta in two signed bytes (symbol 2).
    ReceivedLargeDelta,
}

impl PacketStatus {
    fn symbol(self) -> u8 {
        match self {
            PacketStatus::NotReceived => 0,
            PacketStatus::ReceivedSmallDelta => 1,
            PacketStatus::ReceivedLargeDelta => 2,
        }
    }

    /// Bytes of receive delta this status carries (0, 1 or 2).
    pub fn delta_len(self) -> usize {
        self.symbol() as usize
    }

    /// True for both received statuses.
    pub fn is_received(self) -> bool {
        self != PacketStatus::NotReceived
    }
}

/// One packet chunk, decoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketChunk {
    /// One symbol repeated `run_length` times. `symbol` is the raw 2-bit
    /// value (3 is reserved).
    RunLength {
        /// Raw symbol (0..=3).
        symbol: u8,
        /// Repetitions (0..=8191).
        run_length: u16,
    },
    /// Fourteen one-bit symbols, the first in bit 13.
    OneBitVector(u16),
    /// Seven two-bit symbols, the first in bits 13-12.
    TwoBitVector(u16),
}

impl PacketChunk {
    /// Decodes a chunk word.
    pub fn from_word(word: u16) -> Self {
        if word & 0x8000 == 0 {
            PacketChunk::RunLength {
                symbol: ((word >> 13) & 3) as u8,
                run_length: word & TWCC_MAX_RUN_LENGTH,
            }
        } else if word & 0x4000 == 0 {
            PacketChunk::OneBitVector(word & 0x3fff)
        } else {
            PacketChunk::TwoBitVector(word & 0x3fff)
        }
    }

    /// Encodes the chunk word.
    pub fn to_word(self) -> u16 {
        match self {
            PacketChunk::RunLength { symbol, run_length } => {
                (u16::from(symbol & 3) << 13) | (run_length & TWCC_MAX_RUN_LENGTH)
            }
            PacketChunk::OneBitVector(bits) => 0x8000 | (bits & 0x3fff),
            PacketChunk::TwoBitVector(bits) => 0xc000 | (bits & 0x3fff),
        }
    }

    /// Number of symbols the chunk holds.
    pub fn symbol_count(self) -> u16 {
        match self {
            PacketChunk::RunLength { run_length, .. } => run_length,
            PacketChunk::OneBitVector(_) => 14,
            PacketChunk::TwoBitVector(_) => 7,
        }
    }

    /// The raw symbol at `index` (< [`symbol_count`](Self::symbol_count)).
    pub fn symbol(self, index: u16) -> u8 {
        match self {
            PacketChunk::RunLength { symbol, .. } => symbol,
            PacketChunk::OneBitVector(bits) => ((bits >> (13 - index.min(13))) & 1) as u8,
            PacketChunk::TwoBitVector(bits) => ((bits >> (12 - 2 * index.min(6))) & 3) as u8,
        }
    }
}

/// One packet as reported by the feedback.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TwccPacketReport {
    /// Transport-wide sequence number.
    pub sequence_number: u16,
    /// Reception status.
    pub status: PacketStatus,
    /// Receive delta in 250 µs ticks, for received packets.
    pub delta_ticks: Option<i16>,
}

/// Walks the status symbols of the first `count` packets of chunks already
/// checked by [`walk_lengths`].
///
/// The current chunk sits in a shift register: the next symbol is
/// `bits >> shift`, then `bits <<= step`. A run-length chunk holds its symbol
/// with `step` 0, a one-bit vector has `shift` 15 and `step` 1, a two-bit
/// vector `shift` 14 and `step` 2, so taking a symbol never branches on the
/// chunk kind.
#[derive(Debug, Clone)]
struct SymbolWalk<'a> {
    chunks: &'a [u8],
    bits: u16,
    shift: u8,
    step: u8,
    in_chunk: u16,
    left: u16,
}

impl<'a> SymbolWalk<'a> {
    fn new(chunks: &'a [u8], count: u16) -> Self {
        SymbolWalk {
            chunks,
            bits: 0,
            shift: 14,
            step: 0,
            in_chunk: 0,
            left: count,
        }
    }

    /// Next raw symbol, or `None` after `count` symbols (or, for chunks
    /// that were not checked, when they run out).
    #[inline]
    fn next_symbol(&mut self) -> Option<u8> {
        if self.left == 0 {
            return None;
        }
        while self.in_chunk == 0 {
            let (word, rest) = self.chunks.split_first_chunk::<2>()?;
            self.chunks = rest;
            let word = u16::from_be_bytes(*word);
            (self.bits, self.shift, self.step, self.in_chunk) = if word & 0x8000 == 0 {
                // Run length: the symbol in the top two bits, repeated.
                (word << 1 & 0xc000, 14, 0, word & TWCC_MAX_RUN_LENGTH)
            } else if word & 0x4000 == 0 {
                (word << 2, 15, 1, 14)
            } else {
                (word << 2, 14, 2, 7)
            };
        }
        self.in_chunk -= 1;
        self.left -= 1;
        let symbol = (self.bits >> self.shift) as u8;
        self.bits <<= self.step;
        Some(symbol)
    }
}

/// Checks chunks against `count` a whole chunk at a time (runs multiply,
/// vectors count bits) and returns (chunk bytes used, delta bytes needed).
fn walk_lengths(chunks: &[u8], count: u16) -> Result<(usize, usize), TwccError> {
    let mut left = count;
    let mut rest = chunks;
    let mut delta_bytes = 0usize;
    while left > 0 {
        let (word, after) = rest
            .split_first_chunk::<2>()
            .ok_or(TwccError::MissingChunks)?;
        rest = after;
        let word = u16::from_be_bytes(*word);
        if word & 0x8000 == 0 {
            let run = (word & TWCC_MAX_RUN_LENGTH).min(left);
            let symbol = (word >> 13) & 3;
            if run > 0 && symbol == 3 {
                return Err(TwccError::ReservedSymbol);
            }
            delta_bytes += usize::from(run) * usize::from(symbol);
            left -= run;
        } else if word & 0x4000 == 0 {
            let take = left.min(14);
            // The first `take` one-bit symbols, right-aligned.
            let bits = (word & 0x3fff) >> (14 - take);
            delta_bytes += bits.count_ones() as usize;
            left -= take;
        } else {
            let take = left.min(7);
            // The first `take` two-bit symbols, right-aligned.
            let bits = (word & 0x3fff) >> (2 * (7 - take));
            if bits & (bits >> 1) & 0x1555 != 0 {
                return Err(TwccError::ReservedSymbol);
            }
            // Each symbol is its own delta length: low bits count 1, high 2.
            delta_bytes +=
                (bits & 0x1555).count_ones() as usize + 2 * (bits & 0x2aaa).count_ones() as usize;
            left -= take;
        }
    }
    Ok((chunks.len() - rest.len(), delta_bytes))
}

/// Transport-wide congestion control feedback, as a zero-copy view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TransportCc<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source (libwebrtc uses the first video SSRC or 0).
    pub media_ssrc: u32,
    /// Sequence number of the first packet reported.
    pub base_sequence: u16,
    /// 24-bit signed reference time, in 64 ms units.
    pub reference_time: i32,
    /// Feedback packet count (wraps at 256).
    pub feedback_count: u8,
    status_count: u16,
    chunks: &'a [u8],
    deltas: &'a [u8],
}

impl<'a> TransportCc<'a> {
    /// Builds a view from its parts, checking that `chunks` (a whole number
    /// of 16-bit words, all needed) cover `status_count` packets and that
    /// `deltas` holds exactly their receive deltas.
    #[allow(clippy::too_many_arguments)]
    pub fn from_parts(
        sender_ssrc: u32,
        media_ssrc: u32,
        base_sequence: u16,
        status_count: u16,
        reference_time: i32,
        feedback_count: u8,
        chunks: &'a [u8],
        deltas: &'a [u8],
    ) -> Result<Self, RtcpError> {
        if !REFERENCE_TIME_RANGE.contains(&reference_time) {
            return Err(TwccError::ReferenceTimeOutOfRange.into());
        }
        let (used, needed) = walk_lengths(chunks, status_count)?;
        if used != chunks.len() {
            return Err(TwccError::TrailingBytes.into());
        }
        if needed != deltas.len() {
            return Err(TwccError::MissingDeltas {
                needed,
                got: deltas.len(),
            }
            .into());
        }
        Ok(TransportCc {
            sender_ssrc,
            media_ssrc,
            base_sequence,
            reference_time,
            feedback_count,
            status_count,
            chunks,
            deltas,
        })
    }

    /// Parses a buffer holding exactly one transport-cc feedback.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes a feedback already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_TRANSPORT_FEEDBACK, Some(FMT_TRANSPORT_CC))?;
        let mut r = Reader::new(raw.body);
        let sender_ssrc = r.u32()?;
        let media_ssrc = r.u32()?;
        let base_sequence = r.u16()?;
        let status_count = r.u16()?;
        let reference_time = ((r.u24()? << 8) as i32) >> 8;
        let feedback_count = r.u8()?;
        let rest = r.rest();
        let (chunk_len, delta_len) = walk_lengths(rest, status_count)?;
        let (chunks, after) = rest.split_at_checked(chunk_len).unwrap_or((rest, &[]));
        let (deltas, trailing) =
            after
                .split_at_checked(delta_len)
                .ok_or(TwccError::MissingDeltas {
                    needed: delta_len,
                    got: after.len(),
                })?;
        if trailing.len() > 3 {
            return Err(TwccError::TrailingBytes.into());
        }
        Ok(TransportCc {
            sender_ssrc,
            media_ssrc,
            base_sequence,
            reference_time,
            feedback_count,
            status_count,
            chunks,
            deltas,
        })
    }

    /// Number of packets reported (packet status count).
    pub fn status_count(&self) -> u16 {
        self.status_count
    }

    /// The packet chunk bytes.
    pub fn chunk_bytes(&self) -> &'a [u8] {
        self.chunks
    }

    /// The receive delta bytes (without padding).
    pub fn delta_bytes(&self) -> &'a [u8] {
        self.deltas
    }

    /// The reference time in microseconds.
    pub fn reference_time_us(&self) -> i64 {
        i64::from(self.reference_time) * TWCC_REFERENCE_TICK_US
    }

    /// The packet chunks, decoded.
    pub fn chunks(&self) -> impl Iterator<Item = PacketChunk> + Clone + use<'a> {
        self.chunks
            .chunks_exact(2)
            .filter_map(|w| w.first_chunk::<2>())
            .map(|w| PacketChunk::from_word(u16::from_be_bytes(*w)))
    }

    /// Every reported packet: sequence number, status, delta.
    pub fn packets(&self) -> TwccPackets<'a> {
        TwccPackets {
            walk: SymbolWalk::new(self.chunks, self.status_count),
            deltas: self.deltas,
            next_seq: self.base_sequence,
        }
    }

    /// Every reported packet with its arrival time in microseconds (in the
    /// feedback sender's clock, relative to the 24-bit reference time), or
    /// `None` when not received.
    pub fn arrivals(&self) -> impl Iterator<Item = (u16, Option<i64>)> + Clone + use<'a> {
        let mut at = self.reference_time_us();
        self.packets().map(move |p| {
            let arrival = p.delta_ticks.map(|d| {
                at += i64::from(d) * TWCC_DELTA_TICK_US;
                at
            });
            (p.sequence_number, arrival)
        })
    }

    fn unpadded_size(&self) -> usize {
        RtcpHeader::SIZE + 16 + self.chunks.len() + self.deltas.len()
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes (padding included).
    #[inline]
    pub fn marshal_size(&self) -> usize {
        align4(self.unpadded_size())
    }

    /// Writes the packet into `out`, padded to 32 bits with the P bit;
    /// returns the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        if !REFERENCE_TIME_RANGE.contains(&self.reference_time) {
            return Err(TwccError::ReferenceTimeOutOfRange.into());
        }
        let size = self.marshal_size();
        let pad = size - self.unpadded_size();
        let mut header = RtcpHeader::for_packet(PT_TRANSPORT_FEEDBACK, FMT_TRANSPORT_CC, size)?;
        header.padding = pad > 0;
        let mut w = Writer::with_capacity(out, size)?;
        let mut head = Writer::fixed(w.take_array::<20>()?);
        head.put(&header.to_bytes())?;
        head.u32(self.sender_ssrc)?;
        head.u32(self.media_ssrc)?;
        head.u16(self.base_sequence)?;
        head.u16(self.status_count)?;
        head.u32(((self.reference_time as u32) << 8) | u32::from(self.feedback_count))?;
        w.put(self.chunks)?;
        w.put(self.deltas)?;
        if let Some((count, zeros)) = w.take(pad)?.split_last_mut() {
            zeros.fill(0);
            *count = pad as u8;
        }
        Ok(w.position())
    }
}

/// Iterator over the packets of a [`TransportCc`].
#[derive(Debug, Clone)]
pub struct TwccPackets<'a> {
    walk: SymbolWalk<'a>,
    deltas: &'a [u8],
    next_seq: u16,
}

impl Iterator for TwccPackets<'_> {
    type Item = TwccPacketReport;

    fn next(&mut self) -> Option<TwccPacketReport> {
        // The view was validated: no reserved symbol, every delta present.
        let (status, delta_ticks) = match self.walk.next_symbol()? {
            0 => (PacketStatus::NotReceived, None),
            1 => {
                let (&d, rest) = self.deltas.split_first()?;
                self.deltas = rest;
                (PacketStatus::ReceivedSmallDelta, Some(i16::from(d)))
            }
            _ => {
                let (d, rest) = self.deltas.split_first_chunk::<2>()?;
                self.deltas = rest;
                (
                    PacketStatus::ReceivedLargeDelta,
                    Some(i16::from_be_bytes(*d)),
                )
            }
        };
        let sequence_number = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        Some(TwccPacketReport {
            sequence_number,
            status,
            delta_ticks,
        })
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.walk.left as usize, Some(self.walk.left as usize))
    }
}

/// Symbols waiting to become a chunk.
#[derive(Debug, Clone, Default)]
struct PendingChunk {
    symbols: [u8; 14],
    len: u16,
    all_same: bool,
    has_large: bool,
}

impl PendingChunk {
    fn can_add(&self, symbol: u8) -> bool {
        if self.len < 7 {
            return true;
        }
        if self.len < 14 && !self.has_large && symbol != 2 {
            return true;
        }
        self.all_same && self.symbols[0] == symbol && self.len < TWCC_MAX_RUN_LENGTH
    }

    fn add(&mut self, symbol: u8) {
        if let Some(slot) = self.symbols.get_mut(self.len as usize) {
            *slot = symbol;
        }
        self.all_same = self.len == 0 || (self.all_same && self.symbols[0] == symbol);
        self.has_large |= symbol == 2;
        self.len += 1;
    }

    fn vector(&self, n: u16, two_bit: bool) -> PacketChunk {
        let mut bits = 0u16;
        for (i, &s) in self.symbols.iter().take(n as usize).enumerate() {
            if two_bit {
                bits |= u16::from(s) << (12 - 2 * i);
            } else {
                bits |= u16::from(s & 1) << (13 - i);
            }
        }
        if two_bit {
            PacketChunk::TwoBitVector(bits)
        } else {
            PacketChunk::OneBitVector(bits)
        }
    }

    /// Emits one full chunk when `can_add` failed; keeps what it did not cover.
    fn emit_full(&mut self) -> PacketChunk {
        if self.all_same {
            let chunk = PacketChunk::RunLength {
                symbol: self.symbols[0],
                run_length: self.len,
            };
            *self = PendingChunk::default();
            return chunk;
        }
        if self.len == 14 && !self.has_large {
            let chunk = self.vector(14, false);
            *self = PendingChunk::default();
            return chunk;
        }
        // 7 to 13 symbols: a 2-bit vector of the first 7, the rest stays.
        let chunk = self.vector(7, true);
        let rest = self.symbols;
        let left = self.len.saturating_sub(7);
        *self = PendingChunk::default();
        for &s in rest.iter().skip(7).take(left as usize) {
            self.add(s);
        }
        chunk
    }

    /// The chunk for what is pending at the end, if anything.
    fn emit_last(&self) -> Option<PacketChunk> {
        match self.len {
            0 => None,
            _ if self.all_same => Some(PacketChunk::RunLength {
                symbol: self.symbols[0],
                run_length: self.len,
            }),
            n if n <= 7 => Some(self.vector(n, true)),
            n => Some(self.vector(n, false)),
        }
    }
}

/// Encodes a transport-cc feedback from packets pushed in sequence order.
#[derive(Debug, Clone, Default)]
pub struct TwccBuilder {
    sender_ssrc: u32,
    media_ssrc: u32,
    feedback_count: u8,
    base_sequence: Option<u16>,
    next_sequence: u16,
    status_count: u16,
    /// Reference time (24-bit wrapped) and the absolute tick it stands for.
    reference: Option<(i32, i64)>,
    last_tick: i64,
    pending: PendingChunk,
    chunks: SmallVec<[u8; 64]>,
    committed_chunks: usize,
    deltas: SmallVec<[u8; 256]>,
}

impl TwccBuilder {
    /// An empty feedback.
    pub fn new(sender_ssrc: u32, media_ssrc: u32, feedback_count: u8) -> Self {
        TwccBuilder {
            sender_ssrc,
            media_ssrc,
            feedback_count,
            ..Default::default()
        }
    }

    /// Empties the builder for the next feedback, keeping its storage.
    pub fn reset(&mut self, feedback_count: u8) {
        self.feedback_count = feedback_count;
        self.base_sequence = None;
        self.next_sequence = 0;
        self.status_count = 0;
        self.reference = None;
        self.last_tick = 0;
        self.pending = PendingChunk::default();
        self.chunks.clear();
        self.committed_chunks = 0;
        self.deltas.clear();
    }

    /// Packets reported so far (gaps included).
    pub fn status_count(&self) -> u16 {
        self.status_count
    }

    /// Adds packet `sequence_number`, received at `arrival_us` (any
    /// microsecond clock of the receiver) or not received (`None`).
    ///
    /// Sequence numbers must increase (modulo 2^16); skipped ones are
    /// reported not received. Arrival times may go backwards (reordering).
    /// The first received packet fixes the reference time (64 ms below it,
    /// wrapped to 24 bits). On error the builder is unchanged:
    /// [`TwccError::DeltaOutOfRange`] means the packet needs a new feedback.
    pub fn push(&mut self, sequence_number: u16, arrival_us: Option<i64>) -> Result<(), RtcpError> {
        let gap = match self.base_sequence {
            None => 0,
            Some(_) => {
                let gap = sequence_number.wrapping_sub(self.next_sequence);
                if gap >= 0x8000 {
                    return Err(TwccError::SequenceOutOfOrder.into());
                }
                gap
            }
        };
        let new_count = self
            .status_count
            .checked_add(gap)
            .and_then(|c| c.checked_add(1))
            .ok_or(TwccError::SequenceOutOfOrder)?;
        // Work out the delta before changing anything.
        let mut delta: Option<(i64, i16)> = None;
        let mut reference = self.reference;
        if let Some(at) = arrival_us {
            let tick = at
                .saturating_add(TWCC_DELTA_TICK_US / 2)
                .div_euclid(TWCC_DELTA_TICK_US);
            let (_, ref_tick) = *reference.get_or_insert_with(|| {
                let units = at.div_euclid(TWCC_REFERENCE_TICK_US);
                let wrapped = ((units.rem_euclid(1 << 24)) << 40 >> 40) as i32;
                (
                    wrapped,
                    units.saturating_mul(TWCC_REFERENCE_TICK_US / TWCC_DELTA_TICK_US),
                )
            });
            let previous = if self.reference.is_some() {
                self.last_tick
            } else {
                ref_tick
            };
            let d = tick.saturating_sub(previous);
            let d = i16::try_from(d).map_err(|_| TwccError::DeltaOutOfRange)?;
            delta = Some((tick, d));
        }
        if self.base_sequence.is_none() {
            self.base_sequence = Some(sequence_number);
        }
        self.chunks.truncate(self.committed_chunks);
        for _ in 0..gap {
            self.push_symbol(0);
        }
        match delta {
            None => self.push_symbol(0),
            Some((tick, d)) => {
                if let Ok(small) = u8::try_from(d) {
                    self.push_symbol(1);
                    self.deltas.push(small);
                } else {
                    self.push_symbol(2);
                    self.deltas.extend_from_slice(&d.to_be_bytes());
                }
                self.last_tick = tick;
                self.reference = reference;
            }
        }
        self.status_count = new_count;
        self.next_sequence = sequence_number.wrapping_add(1);
        Ok(())
    }

    fn push_symbol(&mut self, symbol: u8) {
        // A run of not-received packets extends the pending run in place, so
        // a long gap costs no more than one chunk per 8191 packets.
        while !self.pending.can_add(symbol) {
            let chunk = self.pending.emit_full();
            self.chunks
                .extend_from_slice(&chunk.to_word().to_be_bytes());
        }
        self.pending.add(symbol);
        self.committed_chunks = self.chunks.len();
    }

    /// The feedback for everything pushed so far, borrowing the builder.
    /// More packets may be pushed afterwards and `build` called again.
    pub fn build(&mut self) -> Result<TransportCc<'_>, RtcpError> {
        self.chunks.truncate(self.committed_chunks);
        if let Some(last) = self.pending.emit_last() {
            self.chunks.extend_from_slice(&last.to_word().to_be_bytes());
        }
        TransportCc::from_parts(
            self.sender_ssrc,
            self.media_ssrc,
            self.base_sequence.unwrap_or(0),
            self.status_count,
            self.reference.map_or(0, |(r, _)| r),
            self.feedback_count,
            &self.chunks,
            &self.deltas,
        )
    }
}

#[cfg(test)]
mod tests;
