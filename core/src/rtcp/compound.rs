//! Compound RTCP packets (RFC 3550 section 6.1) and reduced-size RTCP
//! (RFC 5506).
//!
//! [`parse_compound`] walks any sequence of RTCP packets, including a single
//! reduced-size packet such as a lone NACK or transport-cc feedback: the
//! parser itself enforces no compound rule. [`check_compound`] checks the
//! RFC 3550 rules when the caller wants them (the first packet is SR or RR,
//! an SDES carries a CNAME, only the last packet is padded).
//!
//! Padding decision: a packet's length field counts its padding, so padding
//! on an inner packet is unambiguous and the parser accepts it; only
//! [`check_compound`] in [`CompoundMode::Full`] reports it, as
//! [`RtcpError::PaddingNotLast`]. Marshalling never pads, except
//! transport-cc feedback (P bit, 1 to 3 bytes, like libwebrtc) and
//! [`RtcpCompoundWriter::finish_with_padding`].

use super::error::{CompoundRule, RtcpError};
use super::header::{PT_RECEIVER_REPORT, PT_SENDER_REPORT, RawPacket};
use super::packet::RtcpPacket;

/// Zero-copy iterator over the packets of a compound RTCP buffer.
///
/// Yields `Err` once for the first malformed packet, then stops.
#[derive(Debug, Clone)]
pub struct RtcpCompound<'a> {
    rest: &'a [u8],
    stopped: bool,
}

impl<'a> RtcpCompound<'a> {
    /// Starts walking `buf`; nothing is read before the first `next`.
    pub fn parse(buf: &'a [u8]) -> Self {
        RtcpCompound {
            rest: buf,
            stopped: false,
        }
    }

    /// The bytes not yet walked.
    pub fn remaining(&self) -> &'a [u8] {
        self.rest
    }
}

impl<'a> Iterator for RtcpCompound<'a> {
    type Item = Result<RtcpPacket<'a>, RtcpError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.stopped || self.rest.is_empty() {
            return None;
        }
        let parsed = RawPacket::split(self.rest)
            .and_then(|(raw, rest)| Ok((RtcpPacket::from_raw(&raw)?, rest)));
        match parsed {
            Ok((packet, rest)) => {
                self.rest = rest;
                Some(Ok(packet))
            }
            Err(e) => {
                self.stopped = true;
                Some(Err(e))
            }
        }
    }
}

impl core::iter::FusedIterator for RtcpCompound<'_> {}

/// Walks the packets of a compound (or reduced-size) RTCP buffer.
pub fn parse_compound(buf: &[u8]) -> RtcpCompound<'_> {
    RtcpCompound::parse(buf)
}

/// Which rules [`check_compound`] applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompoundMode {
    /// RFC 3550 section 6.1: first packet SR or RR, a CNAME present, padding
    /// only on the last packet.
    Full,
    /// RFC 5506: any sequence of valid packets, a single one included.
    ReducedSize,
}

/// Parses every packet of `buf` and checks the rules of `mode`; returns the
/// number of packets.
pub fn check_compound(buf: &[u8], mode: CompoundMode) -> Result<usize, RtcpError> {
    let mut rest = buf;
    let mut count = 0usize;
    let mut has_cname = false;
    while !rest.is_empty() {
        let (raw, after) = RawPacket::split(rest)?;
        let packet = RtcpPacket::from_raw(&raw)?;
        if mode == CompoundMode::Full {
            if count == 0
                && !matches!(
                    raw.header.packet_type,
                    PT_SENDER_REPORT | PT_RECEIVER_REPORT
                )
            {
                return Err(CompoundRule::FirstNotReport.into());
            }
            if raw.header.padding && !after.is_empty() {
                return Err(RtcpError::PaddingNotLast);
            }
            has_cname |= packet_has_cname(&packet);
        }
        count += 1;
        rest = after;
    }
    if mode == CompoundMode::Full {
        if count == 0 {
            return Err(CompoundRule::Empty.into());
        }
        if !has_cname {
            return Err(CompoundRule::MissingCname.into());
        }
    }
    Ok(count)
}

fn packet_has_cname(packet: &RtcpPacket<'_>) -> bool {
    matches!(packet, RtcpPacket::SourceDescription(sdes) if sdes.cname().is_some())
}

/// Writes several packets one after the other into a caller buffer.
#[derive(Debug)]
pub struct RtcpCompoundWriter<'b> {
    out: &'b mut [u8],
    len: usize,
    last_start: Option<usize>,
}

impl<'b> RtcpCompoundWriter<'b> {
    /// Starts an empty compound packet at the front of `out`.
    pub fn new(out: &'b mut [u8]) -> Self {
        RtcpCompoundWriter {
            out,
            len: 0,
            last_start: None,
        }
    }

    /// Appends one packet; returns its size. On error nothing is appended.
    pub fn push(&mut self, packet: &RtcpPacket<'_>) -> Result<usize, RtcpError> {
        let dst = self.out.get_mut(self.len..).unwrap_or_default();
        let n = packet.marshal_to(dst)?;
        self.last_start = Some(self.len);
        self.len += n;
        Ok(n)
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no packet was pushed.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Ends the compound packet; returns its length.
    pub fn finish(self) -> usize {
        self.len
    }

    /// Ends the compound packet after padding its last packet with `pad`
    /// bytes (a non-zero multiple of 4): the P bit is set, the length field
    /// grows, and the last byte holds `pad`. Fails if the last packet
    /// already has padding.
    pub fn finish_with_padding(self, pad: u8) -> Result<usize, RtcpError> {
        if pad == 0 || !pad.is_multiple_of(4) {
            return Err(RtcpError::Misaligned(pad as usize));
        }
        let start = self.last_start.ok_or(CompoundRule::Empty)?;
        let end = self.len + pad as usize;
        let got = self.out.len();
        let packet = self
            .out
            .get_mut(start..end)
            .ok_or(RtcpError::BufferTooSmall { needed: end, got })?;
        let (head, tail) = packet
            .split_first_chunk_mut::<4>()
            .ok_or(RtcpError::TooShort { needed: 4, got: 0 })?;
        if head[0] & 0x20 != 0 {
            return Err(RtcpError::BadPadding {
                pad: pad as usize,
                body: tail.len(),
            });
        }
        let words = u16::from_be_bytes([head[2], head[3]])
            .checked_add(u16::from(pad / 4))
            .ok_or(RtcpError::PacketTooLarge(end - start))?;
        head[0] |= 0x20;
        [head[2], head[3]] = words.to_be_bytes();
        let pad_start = tail.len() - pad as usize;
        if let Some(padding) = tail.get_mut(pad_start..) {
            padding.fill(0);
            if let Some(last) = padding.last_mut() {
                *last = pad;
            }
        }
        Ok(end)
    }
}

/// Marshals `packets` one after the other into `out`; returns the length.
#[inline]
pub fn marshal_compound(packets: &[RtcpPacket<'_>], out: &mut [u8]) -> Result<usize, RtcpError> {
    let mut len = 0;
    for p in packets {
        len += p.marshal_to(out.get_mut(len..).unwrap_or_default())?;
    }
    Ok(len)
}
