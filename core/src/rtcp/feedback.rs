//! Feedback messages (RFC 4585 section 6): generic NACK (RTPFB FMT 1),
//! picture loss indication (PSFB FMT 1), full intra request (RFC 5104,
//! PSFB FMT 4) and receiver estimated maximum bitrate
//! (draft-alvestrand-rmcat-remb, PSFB FMT 15 with the "REMB" identifier).
//!
//! Every feedback message starts with the SSRC of the packet sender and the
//! SSRC of the media source, followed by feedback control information (FCI).

use smallvec::SmallVec;

use super::error::RtcpError;
use super::header::{
    FMT_APPLICATION_LAYER, FMT_FIR, FMT_GENERIC_NACK, FMT_PLI, PT_PAYLOAD_FEEDBACK,
    PT_TRANSPORT_FEEDBACK, RawPacket, RtcpHeader,
};
use super::item_list::{FixedSizeItem, ItemIter, ItemList};
use super::wire::{Reader, Writer};

/// One generic NACK entry: a lost packet id and a bitmask of the 16 that follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct NackPair {
    /// Packet ID: sequence number of a lost packet.
    pub pid: u16,
    /// Bitmask of following lost packets: bit i set means `pid + i + 1` is lost.
    pub blp: u16,
}

impl NackPair {
    /// The sequence numbers this entry reports lost, in order.
    pub fn lost(&self) -> impl Iterator<Item = u16> + Clone + use<> {
        let NackPair { pid, blp } = *self;
        core::iter::once(pid).chain(
            (0..16u16)
                .filter(move |i| blp & (1 << i) != 0)
                .map(move |i| pid.wrapping_add(i + 1)),
        )
    }
}

impl FixedSizeItem for NackPair {
    const SIZE: usize = 4;

    fn read_from(bytes: &[u8]) -> Result<Self, RtcpError> {
        let mut r = Reader::new(bytes);
        Ok(NackPair {
            pid: r.u16()?,
            blp: r.u16()?,
        })
    }

    fn write_to(&self, out: &mut [u8]) -> Result<(), RtcpError> {
        let mut w = Writer::with_capacity(out, 4)?;
        w.u16(self.pid)?;
        w.u16(self.blp)
    }
}

/// NACK pairs built by [`nack_pairs_from_lost`]: inline up to 16 pairs
/// (up to 272 lost packets), on the heap beyond.
pub type NackPairs = SmallVec<[NackPair; 16]>;

/// Packs lost sequence numbers, sorted in wrapping order (each one after the
/// previous, modulo 2^16), into as few PID/BLP pairs as the greedy packing
/// allows. Duplicates are ignored.
pub fn nack_pairs_from_lost(lost: impl IntoIterator<Item = u16>) -> NackPairs {
    let mut pairs = NackPairs::new();
    for seq in lost {
        if let Some(last) = pairs.last_mut() {
            let distance = seq.wrapping_sub(last.pid);
            if distance == 0 {
                continue;
            }
            if (1..=16).contains(&distance) {
                last.blp |= 1 << (distance - 1);
                continue;
            }
        }
        pairs.push(NackPair { pid: seq, blp: 0 });
    }
    pairs
}

fn read_ssrcs(r: &mut Reader<'_>) -> Result<(u32, u32), RtcpError> {
    let [a0, a1, a2, a3, b0, b1, b2, b3] = *r.array_ref::<8>()?;
    Ok((
        u32::from_be_bytes([a0, a1, a2, a3]),
        u32::from_be_bytes([b0, b1, b2, b3]),
    ))
}

/// Writes the common feedback head (header, sender SSRC, media SSRC: 12
/// bytes) in one piece.
#[inline]
fn write_feedback_head(
    w: &mut Writer<'_>,
    header: RtcpHeader,
    sender_ssrc: u32,
    media_ssrc: u32,
) -> Result<(), RtcpError> {
    let [h0, h1, h2, h3] = header.to_bytes();
    let [s0, s1, s2, s3] = sender_ssrc.to_be_bytes();
    let [m0, m1, m2, m3] = media_ssrc.to_be_bytes();
    *w.take_array::<12>()? = [h0, h1, h2, h3, s0, s1, s2, s3, m0, m1, m2, m3];
    Ok(())
}

/// Generic NACK (RTPFB, FMT 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct GenericNack<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source the losses are about.
    pub media_ssrc: u32,
    /// PID/BLP entries.
    pub pairs: ItemList<'a, NackPair>,
}

impl<'a> GenericNack<'a> {
    /// A NACK to send, borrowing the caller's pairs.
    pub fn new(sender_ssrc: u32, media_ssrc: u32, pairs: &'a [NackPair]) -> Self {
        GenericNack {
            sender_ssrc,
            media_ssrc,
            pairs: ItemList::Items(pairs),
        }
    }

    /// Parses a buffer holding exactly one generic NACK.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes a generic NACK already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_TRANSPORT_FEEDBACK, Some(FMT_GENERIC_NACK))?;
        let mut r = Reader::new(raw.body);
        let (sender_ssrc, media_ssrc) = read_ssrcs(&mut r)?;
        Ok(GenericNack {
            sender_ssrc,
            media_ssrc,
            pairs: ItemList::from_wire(r.rest())?,
        })
    }

    /// Every sequence number reported lost, pair by pair.
    pub fn lost_sequence_numbers(&self) -> impl Iterator<Item = u16> + Clone + use<'a> {
        self.pairs.iter().flat_map(|p| p.lost())
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    #[inline]
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE + 8 + self.pairs.wire_len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_TRANSPORT_FEEDBACK, FMT_GENERIC_NACK, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        write_feedback_head(&mut w, header, self.sender_ssrc, self.media_ssrc)?;
        self.pairs.write(&mut w)?;
        Ok(w.position())
    }
}

/// Picture loss indication (PSFB, FMT 1): no FCI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PictureLossIndication {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// SSRC of the media source that should send a key frame.
    pub media_ssrc: u32,
}

impl PictureLossIndication {
    /// Size on the wire.
    pub const SIZE: usize = 12;

    /// Parses a buffer holding exactly one PLI.
    pub fn parse(buf: &[u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes a PLI already cut by [`RawPacket::split`]; extra FCI bytes are
    /// an error.
    pub fn from_raw(raw: &RawPacket<'_>) -> Result<Self, RtcpError> {
        raw.expect(PT_PAYLOAD_FEEDBACK, Some(FMT_PLI))?;
        let mut r = Reader::new(raw.body);
        let (sender_ssrc, media_ssrc) = read_ssrcs(&mut r)?;
        if r.remaining() != 0 {
            return Err(RtcpError::LengthMismatch {
                declared: raw.body.len() + RtcpHeader::SIZE,
                available: Self::SIZE,
            });
        }
        Ok(PictureLossIndication {
            sender_ssrc,
            media_ssrc,
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes (12).
    #[inline]
    pub fn marshal_size(&self) -> usize {
        Self::SIZE
    }

    /// Writes the packet into `out`, returning 12.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let header = RtcpHeader::for_packet(PT_PAYLOAD_FEEDBACK, FMT_PLI, Self::SIZE)?;
        let mut w = Writer::with_capacity(out, Self::SIZE)?;
        write_feedback_head(&mut w, header, self.sender_ssrc, self.media_ssrc)?;
        Ok(w.position())
    }
}

/// One FIR entry (RFC 5104 section 4.3.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FirEntry {
    /// SSRC of the media sender asked for a decoder refresh.
    pub ssrc: u32,
    /// Command sequence number, incremented per new request.
    pub sequence_number: u8,
}

impl FixedSizeItem for FirEntry {
    const SIZE: usize = 8;

    fn read_from(bytes: &[u8]) -> Result<Self, RtcpError> {
        let mut r = Reader::new(bytes);
        // The 24 reserved bits are ignored on receipt.
        Ok(FirEntry {
            ssrc: r.u32()?,
            sequence_number: r.u8()?,
        })
    }

    fn write_to(&self, out: &mut [u8]) -> Result<(), RtcpError> {
        let mut w = Writer::with_capacity(out, 8)?;
        w.u32(self.ssrc)?;
        w.u8(self.sequence_number)?;
        w.zeros(3)
    }
}

/// Full intra request (PSFB, FMT 4; RFC 5104).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FullIntraRequest<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// Media source field (RFC 5104: unused, set to 0).
    pub media_ssrc: u32,
    /// Requests, one per media sender.
    pub entries: ItemList<'a, FirEntry>,
}

impl<'a> FullIntraRequest<'a> {
    /// A FIR to send, borrowing the caller's entries; media SSRC 0.
    pub fn new(sender_ssrc: u32, entries: &'a [FirEntry]) -> Self {
        FullIntraRequest {
            sender_ssrc,
            media_ssrc: 0,
            entries: ItemList::Items(entries),
        }
    }

    /// Parses a buffer holding exactly one FIR.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes a FIR already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_PAYLOAD_FEEDBACK, Some(FMT_FIR))?;
        let mut r = Reader::new(raw.body);
        let (sender_ssrc, media_ssrc) = read_ssrcs(&mut r)?;
        Ok(FullIntraRequest {
            sender_ssrc,
            media_ssrc,
            entries: ItemList::from_wire(r.rest())?,
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    #[inline]
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE + 8 + self.entries.wire_len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_PAYLOAD_FEEDBACK, FMT_FIR, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        write_feedback_head(&mut w, header, self.sender_ssrc, self.media_ssrc)?;
        self.entries.write(&mut w)?;
        Ok(w.position())
    }
}

/// The unique identifier that makes an application layer feedback a REMB.
pub const REMB_IDENTIFIER: [u8; 4] = *b"REMB";

/// Receiver estimated maximum bitrate (PSFB FMT 15, "REMB").
///
/// The bitrate travels as an 18-bit mantissa and a 6-bit exponent; both are
/// kept as received so that parse then marshal gives the same bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Remb<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    /// Media source field (always 0 for REMB).
    pub media_ssrc: u32,
    /// 6-bit exponent.
    pub exponent: u8,
    /// 18-bit mantissa.
    pub mantissa: u32,
    /// SSRCs the estimate applies to (at most 255).
    pub ssrcs: ItemList<'a, u32>,
}

impl<'a> Remb<'a> {
    /// A REMB for `bitrate_bps` (rounded down to what 18 bits of mantissa
    /// keep), borrowing the caller's SSRC list.
    pub fn new(sender_ssrc: u32, bitrate_bps: u64, ssrcs: &'a [u32]) -> Self {
        let (exponent, mantissa) = Self::encode_bitrate(bitrate_bps);
        Remb {
            sender_ssrc,
            media_ssrc: 0,
            exponent,
            mantissa,
            ssrcs: ItemList::Items(ssrcs),
        }
    }

    /// Splits a bitrate into (exponent, mantissa) with the smallest exponent.
    pub fn encode_bitrate(bitrate_bps: u64) -> (u8, u32) {
        let mut exponent = 0u8;
        let mut mantissa = bitrate_bps;
        while mantissa >= 1 << 18 {
            mantissa >>= 1;
            exponent += 1;
        }
        (exponent, mantissa as u32)
    }

    /// The bitrate in bits per second (saturating at `u64::MAX`).
    pub fn bitrate_bps(&self) -> u64 {
        let wide = u128::from(self.mantissa) << self.exponent.min(63);
        u64::try_from(wide).unwrap_or(u64::MAX)
    }

    /// True when an application layer feedback body (after the header)
    /// carries the REMB identifier.
    pub fn is_remb_body(body: &[u8]) -> bool {
        body.get(8..12) == Some(&REMB_IDENTIFIER[..])
    }

    /// Parses a buffer holding exactly one REMB.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes a REMB already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_PAYLOAD_FEEDBACK, Some(FMT_APPLICATION_LAYER))?;
        let mut r = Reader::new(raw.body);
        let (sender_ssrc, media_ssrc) = read_ssrcs(&mut r)?;
        if r.array::<4>()? != REMB_IDENTIFIER {
            return Err(RtcpError::UnexpectedPacketType {
                packet_type: raw.header.packet_type,
                count: raw.header.count,
            });
        }
        let [num_ssrc, b0, b1, b2] = *r.array_ref::<4>()?;
        let num_ssrc = usize::from(num_ssrc);
        let br = u32::from_be_bytes([0, b0, b1, b2]);
        let ssrcs = r.bytes(num_ssrc * 4)?;
        if r.remaining() != 0 {
            return Err(RtcpError::LengthMismatch {
                declared: raw.body.len() + RtcpHeader::SIZE,
                available: r.position() + RtcpHeader::SIZE,
            });
        }
        Ok(Remb {
            sender_ssrc,
            media_ssrc,
            exponent: (br >> 18) as u8,
            mantissa: br & 0x3_ffff,
            ssrcs: ItemList::Wire(ssrcs),
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    #[inline]
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE + 16 + self.ssrcs.wire_len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        if self.exponent > 63 {
            return Err(RtcpError::FieldOutOfRange("exponent"));
        }
        if self.mantissa >= 1 << 18 {
            return Err(RtcpError::FieldOutOfRange("mantissa"));
        }
        let num_ssrc = u8::try_from(self.ssrcs.len()).map_err(|_| RtcpError::TooManyReports {
            max: 255,
            got: self.ssrcs.len(),
        })?;
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_PAYLOAD_FEEDBACK, FMT_APPLICATION_LAYER, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        write_feedback_head(&mut w, header, self.sender_ssrc, self.media_ssrc)?;
        let [_, b0, b1, b2] = ((u32::from(self.exponent) << 18) | self.mantissa).to_be_bytes();
        let [r0, r1, r2, r3] = REMB_IDENTIFIER;
        *w.take_array::<8>()? = [r0, r1, r2, r3, num_ssrc, b0, b1, b2];
        self.ssrcs.write(&mut w)?;
        Ok(w.position())
    }

    /// Iterates over the SSRCs.
    pub fn ssrc_iter(&self) -> ItemIter<'a, u32> {
        self.ssrcs.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nack_fields_and_lost() {
        let bytes = [
            0x81, 205, 0x00, 0x04, // RTPFB FMT 1, length 4
            0x00, 0x00, 0x00, 0x01, // sender
            0x00, 0x00, 0x00, 0x02, // media
            0x00, 0x64, 0x80, 0x05, // PID 100, BLP bits 0, 2, 15
            0xff, 0xff, 0x00, 0x01, // PID 65535, BLP bit 0 (wraps to 0)
        ];
        let nack = GenericNack::parse(&bytes).unwrap();
        assert_eq!(nack.sender_ssrc, 1);
        assert_eq!(nack.media_ssrc, 2);
        let pairs: Vec<_> = nack.pairs.iter().collect();
        assert_eq!(
            pairs,
            vec![
                NackPair {
                    pid: 100,
                    blp: 0x8005
                },
                NackPair { pid: 65535, blp: 1 }
            ]
        );
        let lost: Vec<_> = nack.lost_sequence_numbers().collect();
        assert_eq!(lost, vec![100, 101, 103, 116, 65535, 0]);
        let mut out = [0u8; 20];
        assert_eq!(nack.marshal_to(&mut out).unwrap(), 20);
        assert_eq!(out, bytes);
        let rebuilt = nack_pairs_from_lost(lost);
        assert_eq!(rebuilt.as_slice(), pairs.as_slice());
        let built = GenericNack::new(1, 2, &rebuilt);
        assert_eq!(built, nack);
        let mut out2 = [0u8; 20];
        built.marshal_to(&mut out2).unwrap();
        assert_eq!(out2, bytes);
    }

    #[test]
    fn nack_builder_packs_and_splits() {
        let pairs = nack_pairs_from_lost([10, 10, 11, 26, 27, 40, 60]);
        assert_eq!(
            pairs.as_slice(),
            &[
                NackPair {
                    pid: 10,
                    blp: 0x8001
                },
                NackPair {
                    pid: 27,
                    blp: 0x1000
                },
                NackPair { pid: 60, blp: 0 },
            ]
        );
        assert!(nack_pairs_from_lost([]).is_empty());
    }

    #[test]
    fn pli_fields() {
        let bytes = [0x81, 206, 0x00, 0x02, 0, 0, 0, 1, 0, 0, 0, 2];
        let pli = PictureLossIndication::parse(&bytes).unwrap();
        assert_eq!(
            pli,
            PictureLossIndication {
                sender_ssrc: 1,
                media_ssrc: 2
            }
        );
        let mut out = [0u8; 12];
        assert_eq!(pli.marshal_to(&mut out).unwrap(), 12);
        assert_eq!(out, bytes);
        let long = [0x81, 206, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 0];
        assert!(matches!(
            PictureLossIndication::parse(&long),
            Err(RtcpError::LengthMismatch { .. })
        ));
    }

    #[test]
    fn fir_fields() {
        let bytes = [
            0x84, 206, 0x00, 0x06, // PSFB FMT 4, length 6
            0x00, 0x00, 0x00, 0x01, // sender
            0x00, 0x00, 0x00, 0x00, // media (unused)
            0x00, 0x00, 0x00, 0x0a, 0x07, 0, 0, 0, // SSRC 10, seq 7
            0x00, 0x00, 0x00, 0x0b, 0xff, 0, 0, 0, // SSRC 11, seq 255
        ];
        let fir = FullIntraRequest::parse(&bytes).unwrap();
        assert_eq!(fir.sender_ssrc, 1);
        assert_eq!(fir.media_ssrc, 0);
        let entries: Vec<_> = fir.entries.iter().collect();
        let expected = [
            FirEntry {
                ssrc: 10,
                sequence_number: 7,
            },
            FirEntry {
                ssrc: 11,
                sequence_number: 255,
            },
        ];
        assert_eq!(entries, expected);
        let built = FullIntraRequest::new(1, &expected);
        assert_eq!(built, fir);
        let mut out = [0u8; 28];
        assert_eq!(built.marshal_to(&mut out).unwrap(), 28);
        assert_eq!(out, bytes);
        let odd = [0x84, 206, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1];
        assert_eq!(FullIntraRequest::parse(&odd), Err(RtcpError::Misaligned(4)));
    }

    #[test]
    fn remb_two_ssrcs() {
        let bytes = [
            0x8f, 206, 0x00, 0x06, // PSFB FMT 15, length 6
            0x00, 0x00, 0x00, 0x01, // sender
            0x00, 0x00, 0x00, 0x00, // media 0
            b'R', b'E', b'M', b'B', //
            0x02, 0x0b, 0xd0, 0x90, // 2 SSRCs, exp 2, mantissa 0x3d090 (250000)
            0x00, 0x00, 0x00, 0x0a, //
            0x00, 0x00, 0x00, 0x0b,
        ];
        let remb = Remb::parse(&bytes).unwrap();
        assert_eq!(remb.sender_ssrc, 1);
        assert_eq!(remb.exponent, 2);
        assert_eq!(remb.mantissa, 250_000);
        assert_eq!(remb.bitrate_bps(), 1_000_000);
        assert_eq!(remb.ssrc_iter().collect::<Vec<_>>(), vec![10, 11]);
        let mut out = [0u8; 28];
        assert_eq!(remb.marshal_to(&mut out).unwrap(), 28);
        assert_eq!(out, bytes);
        let built = Remb::new(1, 1_000_000, &[10, 11]);
        assert_eq!(built, remb);
        assert!(Remb::is_remb_body(&bytes[4..]));
    }

    #[test]
    fn remb_bitrate_encoding_and_errors() {
        assert_eq!(Remb::encode_bitrate(0), (0, 0));
        assert_eq!(Remb::encode_bitrate((1 << 18) - 1), (0, (1 << 18) - 1));
        assert_eq!(Remb::encode_bitrate(1 << 18), (1, 1 << 17));
        assert_eq!(Remb::encode_bitrate(u64::MAX), (46, (1 << 18) - 1));
        let saturated = Remb {
            exponent: 63,
            mantissa: (1 << 18) - 1,
            ..Default::default()
        };
        assert_eq!(saturated.bitrate_bps(), u64::MAX);
        // Num SSRC says 3, only 2 present.
        let short = [
            0x8f, 206, 0x00, 0x06, 0, 0, 0, 1, 0, 0, 0, 0, b'R', b'E', b'M', b'B', 0x03, 0, 0, 1,
            0, 0, 0, 10, 0, 0, 0, 11,
        ];
        assert!(matches!(
            Remb::parse(&short),
            Err(RtcpError::TooShort { .. })
        ));
        let not_remb = [
            0x8f, 206, 0x00, 0x03, 0, 0, 0, 1, 0, 0, 0, 0, b'X', b'Y', b'Z', b'W',
        ];
        assert!(matches!(
            Remb::parse(&not_remb),
            Err(RtcpError::UnexpectedPacketType { .. })
        ));
    }
}
