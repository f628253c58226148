//! Sender and receiver reports (RFC 3550 sections 6.4.1 and 6.4.2).
//!
//! The report blocks are an [`ItemList`]: a parsed report borrows its
//! blocks in wire form (nothing is copied or decoded until read), a report
//! to send borrows the caller's [`ReceptionReport`] slice.

use super::error::RtcpError;
use super::header::{PT_RECEIVER_REPORT, PT_SENDER_REPORT, RawPacket, RtcpHeader};
use super::item_list::{FixedSizeItem, ItemList};
use super::wire::{Reader, Writer};

/// Most report blocks one SR or RR can carry (5-bit count).
pub const MAX_REPORTS: usize = 31;

/// The report blocks of an SR or RR: wire bytes when parsed, the caller's
/// slice when built (at most [`MAX_REPORTS`]).
pub type ReportBlocks<'a> = ItemList<'a, ReceptionReport>;

/// One reception report block (24 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ReceptionReport {
    /// SSRC of the source this block is about.
    pub ssrc: u32,
    /// Fraction of packets lost since the previous report, in 1/256.
    pub fraction_lost: u8,
    /// Cumulative number of packets lost, 24-bit signed
    /// (-8,388,608..=8,388,607; negative when duplicates outnumber losses).
    pub cumulative_lost: i32,
    /// Extended highest sequence number received (cycles << 16 | seq).
    pub extended_highest_seq: u32,
    /// Interarrival jitter, in RTP timestamp units.
    pub jitter: u32,
    /// Middle 32 bits of the NTP timestamp of the last SR received (LSR).
    pub last_sr: u32,
    /// Delay since that SR, in 1/65536 s (DLSR).
    pub delay_since_last_sr: u32,
}

/// Smallest and largest values of the 24-bit signed cumulative-lost field.
const CUMULATIVE_LOST_RANGE: core::ops::RangeInclusive<i32> = -(1 << 23)..=(1 << 23) - 1;

impl ReceptionReport {
    /// Size on the wire.
    pub const SIZE: usize = 24;

    /// Reads one block from the front of `buf`.
    pub fn parse(buf: &[u8]) -> Result<Self, RtcpError> {
        Self::read(&mut Reader::new(buf))
    }

    pub(crate) fn read(r: &mut Reader<'_>) -> Result<Self, RtcpError> {
        Ok(Self::from_array(r.array_ref::<24>()?))
    }

    /// Decodes the 24 bytes of a block; cannot fail.
    fn from_array(bytes: &[u8; 24]) -> Self {
        let (ssrc, rest) = split_u32(bytes);
        let (lost, rest) = split_u32(rest);
        let (extended_highest_seq, rest) = split_u32(rest);
        let (jitter, rest) = split_u32(rest);
        let (last_sr, rest) = split_u32(rest);
        let (delay_since_last_sr, _) = split_u32(rest);
        ReceptionReport {
            ssrc,
            fraction_lost: (lost >> 24) as u8,
            // Sign-extend the low 24 bits.
            cumulative_lost: ((lost << 8) as i32) >> 8,
            extended_highest_seq,
            jitter,
            last_sr,
            delay_since_last_sr,
        }
    }

    /// Writes the block into `out`, returning 24. Fails with
    /// [`RtcpError::FieldOutOfRange`] when `cumulative_lost` does not fit 24
    /// signed bits (clamp it before, as RFC 3550 section 6.4.1 says).
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let mut w = Writer::with_capacity(out, Self::SIZE)?;
        self.write(&mut w)?;
        Ok(Self::SIZE)
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        if !CUMULATIVE_LOST_RANGE.contains(&self.cumulative_lost) {
            return Err(RtcpError::FieldOutOfRange("cumulative_lost"));
        }
        let mut f = Writer::fixed(w.take_array::<24>()?);
        f.u32(self.ssrc)?;
        f.u32((u32::from(self.fraction_lost) << 24) | (self.cumulative_lost as u32 & 0x00ff_ffff))?;
        f.u32(self.extended_highest_seq)?;
        f.u32(self.jitter)?;
        f.u32(self.last_sr)?;
        f.u32(self.delay_since_last_sr)
    }
}

impl FixedSizeItem for ReceptionReport {
    const SIZE: usize = 24;

    fn read_from(bytes: &[u8]) -> Result<Self, RtcpError> {
        Self::parse(bytes)
    }

    fn write_to(&self, out: &mut [u8]) -> Result<(), RtcpError> {
        self.write(&mut Writer::fixed(out))
    }
}

/// Splits a big-endian `u32` off the front of a fixed array; the lengths are
/// known at compile time, so the check folds away.
#[inline(always)]
fn split_u32(bytes: &[u8]) -> (u32, &[u8]) {
    match bytes.split_first_chunk::<4>() {
        Some((head, rest)) => (u32::from_be_bytes(*head), rest),
        None => (0, &[]),
    }
}

/// The sender information section of an SR (20 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct SenderInfo {
    /// 64-bit NTP timestamp (seconds since 1900 in the high word, fraction in the low).
    pub ntp_timestamp: u64,
    /// RTP timestamp corresponding to the NTP timestamp.
    pub rtp_timestamp: u32,
    /// Packets sent since the start of transmission.
    pub packet_count: u32,
    /// Payload octets sent since the start of transmission.
    pub octet_count: u32,
}

impl SenderInfo {
    /// Size on the wire.
    pub const SIZE: usize = 20;

    fn from_array(bytes: &[u8; 20]) -> Self {
        let (ntp_hi, rest) = split_u32(bytes);
        let (ntp_lo, rest) = split_u32(rest);
        let (rtp_timestamp, rest) = split_u32(rest);
        let (packet_count, rest) = split_u32(rest);
        let (octet_count, _) = split_u32(rest);
        SenderInfo {
            ntp_timestamp: (u64::from(ntp_hi) << 32) | u64::from(ntp_lo),
            rtp_timestamp,
            packet_count,
            octet_count,
        }
    }

    #[inline(always)]
    fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        w.u64(self.ntp_timestamp)?;
        w.u32(self.rtp_timestamp)?;
        w.u32(self.packet_count)?;
        w.u32(self.octet_count)
    }
}

/// Cuts `count` report blocks and the profile extensions off `rest`.
#[inline]
fn read_blocks<'a>(rest: &'a [u8], count: u8) -> Result<(ReportBlocks<'a>, &'a [u8]), RtcpError> {
    let len = usize::from(count) * ReceptionReport::SIZE;
    let (blocks, extensions) = rest.split_at_checked(len).ok_or(RtcpError::TooShort {
        needed: len,
        got: rest.len(),
    })?;
    if !extensions.len().is_multiple_of(4) {
        return Err(RtcpError::Misaligned(extensions.len()));
    }
    Ok((ItemList::Wire(blocks), extensions))
}

/// The report count of `reports` for the header, checked against
/// [`MAX_REPORTS`], after checking the profile extensions are aligned.
#[inline]
fn report_count(reports: &ReportBlocks<'_>, extensions: &[u8]) -> Result<u8, RtcpError> {
    if !extensions.len().is_multiple_of(4) {
        return Err(RtcpError::Misaligned(extensions.len()));
    }
    let count = reports.len();
    if count > MAX_REPORTS {
        return Err(RtcpError::TooManyReports {
            max: MAX_REPORTS,
            got: count,
        });
    }
    Ok(count as u8)
}

/// Sender report (PT 200).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SenderReport<'a> {
    /// SSRC of the sender.
    pub ssrc: u32,
    /// What the sender sent.
    pub sender_info: SenderInfo,
    /// Reception report blocks (at most 31): wire bytes when parsed, the
    /// caller's slice when built.
    pub reports: ReportBlocks<'a>,
    /// Profile-specific extension bytes after the blocks (a multiple of 4).
    pub profile_extensions: &'a [u8],
}

impl<'a> SenderReport<'a> {
    /// An SR to send, borrowing the caller's report blocks; no profile
    /// extensions.
    pub fn new(ssrc: u32, sender_info: SenderInfo, reports: &'a [ReceptionReport]) -> Self {
        SenderReport {
            ssrc,
            sender_info,
            reports: ItemList::Items(reports),
            profile_extensions: &[],
        }
    }

    /// Parses a buffer holding exactly one SR.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes an SR from a packet already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_SENDER_REPORT, None)?;
        let mut r = Reader::new(raw.body);
        let head = r.array_ref::<24>()?;
        let (ssrc, info) = split_u32(head);
        let sender_info = info
            .first_chunk::<20>()
            .map(SenderInfo::from_array)
            .unwrap_or_default();
        let (reports, profile_extensions) = read_blocks(r.rest(), raw.header.count)?;
        Ok(SenderReport {
            ssrc,
            sender_info,
            reports,
            profile_extensions,
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    #[inline]
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE
            + 4
            + SenderInfo::SIZE
            + self.reports.wire_len()
            + self.profile_extensions.len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let count = report_count(&self.reports, self.profile_extensions)?;
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_SENDER_REPORT, count, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        let mut head = Writer::fixed(w.take_array::<28>()?);
        head.put(&header.to_bytes())?;
        head.u32(self.ssrc)?;
        self.sender_info.write(&mut head)?;
        self.reports.write(&mut w)?;
        w.put(self.profile_extensions)?;
        Ok(w.position())
    }
}

/// Receiver report (PT 201).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReceiverReport<'a> {
    /// SSRC of the packet sender.
    pub ssrc: u32,
    /// Reception report blocks (at most 31): wire bytes when parsed, the
    /// caller's slice when built.
    pub reports: ReportBlocks<'a>,
    /// Profile-specific extension bytes after the blocks (a multiple of 4).
    pub profile_extensions: &'a [u8],
}

impl<'a> ReceiverReport<'a> {
    /// An RR to send, borrowing the caller's report blocks; no profile
    /// extensions.
    pub fn new(ssrc: u32, reports: &'a [ReceptionReport]) -> Self {
        ReceiverReport {
            ssrc,
            reports: ItemList::Items(reports),
            profile_extensions: &[],
        }
    }

    /// Parses a buffer holding exactly one RR.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes an RR from a packet already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_RECEIVER_REPORT, None)?;
        let mut r = Reader::new(raw.body);
        let ssrc = r.u32()?;
        let (reports, profile_extensions) = read_blocks(r.rest(), raw.header.count)?;
        Ok(ReceiverReport {
            ssrc,
            reports,
            profile_extensions,
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    #[inline]
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE + 4 + self.reports.wire_len() + self.profile_extensions.len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let count = report_count(&self.reports, self.profile_extensions)?;
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_RECEIVER_REPORT, count, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        let mut head = Writer::fixed(w.take_array::<8>()?);
        head.put(&header.to_bytes())?;
        head.u32(self.ssrc)?;
        self.reports.write(&mut w)?;
        w.put(self.profile_extensions)?;
        Ok(w.position())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SR, one block, built by hand field by field.
    const SR_ONE_BLOCK: [u8; 52] = [
        0x81, 200, 0x00, 0x0c, // V=2, RC=1, PT=200, length 12
        0x11, 0x22, 0x33, 0x44, // SSRC
        0xe9, 0x4c, 0x56, 0x90, 0x80, 0x00, 0x00, 0x00, // NTP
        0x00, 0x01, 0xe2, 0x40, // RTP ts 123456
        0x00, 0x00, 0x00, 0x64, // packets 100
        0x00, 0x00, 0x4e, 0x20, // octets 20000
        0xaa, 0xbb, 0xcc, 0xdd, // block SSRC
        0x40, 0xff, 0xff, 0xfe, // fraction 64, cumulative lost -2
        0x00, 0x01, 0x12, 0x34, // ext highest seq
        0x00, 0x00, 0x00, 0x2a, // jitter 42
        0x4c, 0x56, 0x90, 0x80, // LSR
        0x00, 0x01, 0x80, 0x00, // DLSR 1.5 s
    ];

    #[test]
    fn sender_report_fields() {
        let sr = SenderReport::parse(&SR_ONE_BLOCK).unwrap();
        assert_eq!(sr.ssrc, 0x1122_3344);
        assert_eq!(sr.sender_info.ntp_timestamp, 0xe94c_5690_8000_0000);
        assert_eq!(sr.sender_info.rtp_timestamp, 123_456);
        assert_eq!(sr.sender_info.packet_count, 100);
        assert_eq!(sr.sender_info.octet_count, 20_000);
        assert_eq!(sr.reports.len(), 1);
        let b = sr.reports.first().unwrap();
        assert_eq!(b.ssrc, 0xaabb_ccdd);
        assert_eq!(b.fraction_lost, 64);
        assert_eq!(b.cumulative_lost, -2);
        assert_eq!(b.extended_highest_seq, 0x0001_1234);
        assert_eq!(b.jitter, 42);
        assert_eq!(b.last_sr, 0x4c56_9080);
        assert_eq!(b.delay_since_last_sr, 0x0001_8000);
        assert!(sr.profile_extensions.is_empty());
        let mut out = [0u8; 64];
        let n = sr.marshal_to(&mut out).unwrap();
        assert_eq!(n, sr.marshal_size());
        assert_eq!(&out[..n], &SR_ONE_BLOCK[..]);
    }

    #[test]
    fn receiver_report_with_extension() {
        let bytes = [
            0x80, 201, 0x00, 0x02, // RC=0, length 2
            0x01, 0x02, 0x03, 0x04, // SSRC
            0xde, 0xad, 0xbe, 0xef, // profile extension
        ];
        let rr = ReceiverReport::parse(&bytes).unwrap();
        assert_eq!(rr.ssrc, 0x0102_0304);
        assert!(rr.reports.is_empty());
        assert_eq!(rr.profile_extensions, &[0xde, 0xad, 0xbe, 0xef]);
        let mut out = [0u8; 12];
        assert_eq!(rr.marshal_to(&mut out).unwrap(), 12);
        assert_eq!(out, bytes);
    }

    #[test]
    fn count_larger_than_body() {
        // RC=2 but only one block present.
        let mut bytes = SR_ONE_BLOCK;
        bytes[0] = 0x82;
        assert!(matches!(
            SenderReport::parse(&bytes),
            Err(RtcpError::TooShort { .. })
        ));
    }

    #[test]
    fn wrong_type_and_small_buffer() {
        assert!(matches!(
            ReceiverReport::parse(&SR_ONE_BLOCK),
            Err(RtcpError::UnexpectedPacketType {
                packet_type: 200,
                ..
            })
        ));
        let sr = SenderReport::parse(&SR_ONE_BLOCK).unwrap();
        let mut out = [0u8; 51];
        assert_eq!(
            sr.marshal_to(&mut out),
            Err(RtcpError::BufferTooSmall {
                needed: 52,
                got: 51
            })
        );
    }

    #[test]
    fn cumulative_lost_limits() {
        let mut block = ReceptionReport {
            cumulative_lost: -(1 << 23),
            ..Default::default()
        };
        let mut out = [0u8; 24];
        block.marshal_to(&mut out).unwrap();
        assert_eq!(&out[5..8], &[0x80, 0x00, 0x00]);
        assert_eq!(ReceptionReport::parse(&out).unwrap(), block);
        block.cumulative_lost = 1 << 23;
        assert_eq!(
            block.marshal_to(&mut out),
            Err(RtcpError::FieldOutOfRange("cumulative_lost"))
        );
    }

    #[test]
    fn built_reports_write_the_same_bytes_as_parsed_ones() {
        let parsed = SenderReport::parse(&SR_ONE_BLOCK).unwrap();
        assert!(matches!(parsed.reports, ItemList::Wire(b) if b.len() == 24));
        let blocks: Vec<ReceptionReport> = parsed.reports.iter().collect();
        let built = SenderReport::new(parsed.ssrc, parsed.sender_info, &blocks);
        assert_eq!(built, parsed);
        let mut out = [0u8; 52];
        assert_eq!(built.marshal_to(&mut out).unwrap(), 52);
        assert_eq!(out, SR_ONE_BLOCK);
        // The same blocks in an RR.
        let rr = ReceiverReport::new(parsed.ssrc, &blocks);
        let mut out = [0u8; 32];
        assert_eq!(rr.marshal_to(&mut out).unwrap(), 32);
        assert_eq!(out[..4], [0x81, 201, 0x00, 0x07]);
        assert_eq!(
            out[4..],
            SR_ONE_BLOCK[4..8]
                .iter()
                .chain(&SR_ONE_BLOCK[28..])
                .copied()
                .collect::<Vec<_>>()[..]
        );
        assert_eq!(ReceiverReport::parse(&out).unwrap(), rr);
        assert_eq!(rr.reports.get(0), Some(blocks[0]));
        assert_eq!(rr.reports.get(1), None);
    }

    #[test]
    fn built_reports_are_checked_when_marshalled() {
        let bad = [ReceptionReport {
            cumulative_lost: 1 << 23,
            ..Default::default()
        }];
        let mut out = [0u8; 64];
        assert_eq!(
            ReceiverReport::new(1, &bad).marshal_to(&mut out),
            Err(RtcpError::FieldOutOfRange("cumulative_lost"))
        );
        let many = [ReceptionReport::default(); 32];
        let mut big = [0u8; 1024];
        assert_eq!(
            ReceiverReport::new(1, &many).marshal_to(&mut big),
            Err(RtcpError::TooManyReports { max: 31, got: 32 })
        );
        assert_eq!(
            ReceiverReport::new(1, &many[..31]).marshal_to(&mut big),
            Ok(8 + 31 * 24)
        );
        // Wire blocks that are not whole blocks are refused, not truncated.
        let odd = ReceiverReport {
            ssrc: 1,
            reports: ItemList::Wire(&[0; 25]),
            profile_extensions: &[],
        };
        assert!(odd.marshal_to(&mut big).is_err());
    }
}
