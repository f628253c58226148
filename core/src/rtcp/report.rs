//! Sender and receiver reports (RFC 3550 sections 6.4.1 and 6.4.2).

use arrayvec::ArrayVec;

use super::error::RtcpError;
use super::header::{PT_RECEIVER_REPORT, PT_SENDER_REPORT, RawPacket, RtcpHeader};
use super::wire::{Reader, Writer};

/// Most report blocks one SR or RR can carry (5-bit count).
pub const MAX_REPORTS: usize = 31;

/// Bounded list of report blocks, stored inline.
pub type ReportBlocks = ArrayVec<ReceptionReport, MAX_REPORTS>;

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
        let ssrc = r.u32()?;
        let fraction_lost = r.u8()?;
        let raw_lost = r.u24()?;
        // Sign-extend 24 to 32 bits.
        let cumulative_lost = ((raw_lost << 8) as i32) >> 8;
        Ok(ReceptionReport {
            ssrc,
            fraction_lost,
            cumulative_lost,
            extended_highest_seq: r.u32()?,
            jitter: r.u32()?,
            last_sr: r.u32()?,
            delay_since_last_sr: r.u32()?,
        })
    }

    /// Writes the block into `out`, returning 24. Fails with
    /// [`RtcpError::FieldOutOfRange`] when `cumulative_lost` does not fit 24
    /// signed bits (clamp it before, as RFC 3550 section 6.4.1 says).
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let mut w = Writer::with_capacity(out, Self::SIZE)?;
        self.write(&mut w)?;
        Ok(Self::SIZE)
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        if !CUMULATIVE_LOST_RANGE.contains(&self.cumulative_lost) {
            return Err(RtcpError::FieldOutOfRange("cumulative_lost"));
        }
        w.u32(self.ssrc)?;
        w.u8(self.fraction_lost)?;
        w.u24(self.cumulative_lost as u32 & 0x00ff_ffff)?;
        w.u32(self.extended_highest_seq)?;
        w.u32(self.jitter)?;
        w.u32(self.last_sr)?;
        w.u32(self.delay_since_last_sr)
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

    fn read(r: &mut Reader<'_>) -> Result<Self, RtcpError> {
        Ok(SenderInfo {
            ntp_timestamp: r.u64()?,
            rtp_timestamp: r.u32()?,
            packet_count: r.u32()?,
            octet_count: r.u32()?,
        })
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        w.u64(self.ntp_timestamp)?;
        w.u32(self.rtp_timestamp)?;
        w.u32(self.packet_count)?;
        w.u32(self.octet_count)
    }
}

fn read_blocks(r: &mut Reader<'_>, count: u8) -> Result<ReportBlocks, RtcpError> {
    let mut reports = ReportBlocks::new();
    for _ in 0..count {
        // count is 5 bits, so at most 31 blocks: never over capacity.
        reports
            .try_push(ReceptionReport::read(r)?)
            .map_err(|_| RtcpError::TooManyReports {
                max: MAX_REPORTS,
                got: count as usize,
            })?;
    }
    Ok(reports)
}

fn read_extensions<'a>(r: &Reader<'a>) -> Result<&'a [u8], RtcpError> {
    let ext = r.rest();
    if !ext.len().is_multiple_of(4) {
        return Err(RtcpError::Misaligned(ext.len()));
    }
    Ok(ext)
}

fn check_extensions(ext: &[u8]) -> Result<(), RtcpError> {
    if !ext.len().is_multiple_of(4) {
        return Err(RtcpError::Misaligned(ext.len()));
    }
    Ok(())
}

/// Sender report (PT 200).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SenderReport<'a> {
    /// SSRC of the sender.
    pub ssrc: u32,
    /// What the sender sent.
    pub sender_info: SenderInfo,
    /// Reception report blocks (at most 31).
    pub reports: ReportBlocks,
    /// Profile-specific extension bytes after the blocks (a multiple of 4).
    pub profile_extensions: &'a [u8],
}

impl<'a> SenderReport<'a> {
    /// Parses a buffer holding exactly one SR.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes an SR from a packet already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_SENDER_REPORT, None)?;
        let mut r = Reader::new(raw.body);
        let ssrc = r.u32()?;
        let sender_info = SenderInfo::read(&mut r)?;
        let reports = read_blocks(&mut r, raw.header.count)?;
        Ok(SenderReport {
            ssrc,
            sender_info,
            reports,
            profile_extensions: read_extensions(&r)?,
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE
            + 4
            + SenderInfo::SIZE
            + self.reports.len() * ReceptionReport::SIZE
            + self.profile_extensions.len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        check_extensions(self.profile_extensions)?;
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_SENDER_REPORT, self.reports.len() as u8, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        header.write(&mut w)?;
        w.u32(self.ssrc)?;
        self.sender_info.write(&mut w)?;
        for block in &self.reports {
            block.write(&mut w)?;
        }
        w.put(self.profile_extensions)?;
        Ok(w.position())
    }
}

/// Receiver report (PT 201).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ReceiverReport<'a> {
    /// SSRC of the packet sender.
    pub ssrc: u32,
    /// Reception report blocks (at most 31).
    pub reports: ReportBlocks,
    /// Profile-specific extension bytes after the blocks (a multiple of 4).
    pub profile_extensions: &'a [u8],
}

impl<'a> ReceiverReport<'a> {
    /// Parses a buffer holding exactly one RR.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes an RR from a packet already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_RECEIVER_REPORT, None)?;
        let mut r = Reader::new(raw.body);
        let ssrc = r.u32()?;
        let reports = read_blocks(&mut r, raw.header.count)?;
        Ok(ReceiverReport {
            ssrc,
            reports,
            profile_extensions: read_extensions(&r)?,
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE
            + 4
            + self.reports.len() * ReceptionReport::SIZE
            + self.profile_extensions.len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        check_extensions(self.profile_extensions)?;
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_RECEIVER_REPORT, self.reports.len() as u8, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        header.write(&mut w)?;
        w.u32(self.ssrc)?;
        for block in &self.reports {
            block.write(&mut w)?;
        }
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
        let b = sr.reports[0];
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
}
