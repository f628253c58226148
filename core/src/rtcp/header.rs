//! The common RTCP header (RFC 3550 section 6.4.1) and splitting of one
//! packet off a compound buffer.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |V=2|P| count/FMT |      PT       |  length (words - 1)           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! Padding: when P is set, the last byte of the packet counts the padding
//! bytes including itself; it must be at least 1 and fit within the packet
//! body. RFC 3550 asks for a multiple of four, but libwebrtc pads transport-cc
//! feedback with 1 to 3 bytes, so any count from 1 up is accepted.

use super::error::RtcpError;
use super::wire::{Reader, Writer};

/// Sender report (RFC 3550).
pub const PT_SENDER_REPORT: u8 = 200;
/// Receiver report (RFC 3550).
pub const PT_RECEIVER_REPORT: u8 = 201;
/// Source description (RFC 3550).
pub const PT_SOURCE_DESCRIPTION: u8 = 202;
/// Goodbye (RFC 3550).
pub const PT_GOODBYE: u8 = 203;
/// Application-defined (RFC 3550).
pub const PT_APP: u8 = 204;
/// Transport-layer feedback (RFC 4585).
pub const PT_TRANSPORT_FEEDBACK: u8 = 205;
/// Payload-specific feedback (RFC 4585).
pub const PT_PAYLOAD_FEEDBACK: u8 = 206;
/// Extended report (RFC 3611).
pub const PT_EXTENDED_REPORT: u8 = 207;

/// RTPFB FMT 1: generic NACK (RFC 4585 section 6.2.1).
pub const FMT_GENERIC_NACK: u8 = 1;
/// RTPFB FMT 15: transport-wide congestion control feedback.
pub const FMT_TRANSPORT_CC: u8 = 15;
/// PSFB FMT 1: picture loss indication (RFC 4585 section 6.3.1).
pub const FMT_PLI: u8 = 1;
/// PSFB FMT 4: full intra request (RFC 5104 section 4.3.1).
pub const FMT_FIR: u8 = 4;
/// PSFB FMT 15: application layer feedback (REMB when the FCI starts "REMB").
pub const FMT_APPLICATION_LAYER: u8 = 15;

/// True when `buf` looks like RTCP rather than RTP on a multiplexed port
/// (RFC 5761 section 4): version 2 and a second byte (PT with the RTP marker
/// bit position included) in 192..=223.
pub fn looks_like_rtcp(buf: &[u8]) -> bool {
    matches!(buf, [first, second, ..] if first >> 6 == 2 && (192..=223).contains(second))
}

/// The first 32 bits of every RTCP packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct RtcpHeader {
    /// P bit: the packet ends with padding.
    pub padding: bool,
    /// Report count, source count or feedback message type (5 bits).
    pub count: u8,
    /// Packet type (PT).
    pub packet_type: u8,
    /// Packet length in 32-bit words minus one, header and padding included.
    pub length: u16,
}

impl RtcpHeader {
    /// Size of the header on the wire.
    pub const SIZE: usize = 4;

    /// Reads and validates (version 2) the first four bytes of `buf`.
    #[inline]
    pub fn parse(buf: &[u8]) -> Result<Self, RtcpError> {
        if let Some(&[first, packet_type, l0, l1]) = buf.first_chunk::<4>()
            && first >> 6 == 2
        {
            return Ok(RtcpHeader {
                padding: first & 0x20 != 0,
                count: first & 0x1f,
                packet_type,
                length: u16::from_be_bytes([l0, l1]),
            });
        }
        let mut r = Reader::new(buf);
        let first = r.u8()?;
        let version = first >> 6;
        if version != 2 {
            return Err(RtcpError::BadVersion(version));
        }
        Ok(RtcpHeader {
            padding: first & 0x20 != 0,
            count: first & 0x1f,
            packet_type: r.u8()?,
            length: r.u16()?,
        })
    }

    /// Builds the header of an unpadded packet of `size` bytes (a multiple
    /// of 4, at most 262,144).
    #[inline]
    pub fn for_packet(packet_type: u8, count: u8, size: usize) -> Result<Self, RtcpError> {
        if count > 31 {
            return Err(RtcpError::TooManyReports {
                max: 31,
                got: count as usize,
            });
        }
        if !size.is_multiple_of(4) || size < Self::SIZE {
            return Err(RtcpError::Misaligned(size));
        }
        let length = u16::try_from(size / 4 - 1).map_err(|_| RtcpError::PacketTooLarge(size))?;
        Ok(RtcpHeader {
            padding: false,
            count,
            packet_type,
            length,
        })
    }

    /// The packet length in bytes, header and padding included.
    #[inline]
    pub fn packet_len(&self) -> usize {
        (self.length as usize + 1) * 4
    }

    /// Writes the header into `out`, returning 4.
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let mut w = Writer::with_capacity(out, Self::SIZE)?;
        self.write(&mut w)?;
        Ok(Self::SIZE)
    }

    /// The four header bytes as on the wire.
    #[inline]
    pub fn to_bytes(&self) -> [u8; 4] {
        let [l0, l1] = self.length.to_be_bytes();
        [
            0x80 | (u8::from(self.padding) << 5) | (self.count & 0x1f),
            self.packet_type,
            l0,
            l1,
        ]
    }

    pub(crate) fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        w.put(&self.to_bytes())
    }
}

/// One RTCP packet cut from a buffer: its header, its body without the
/// header and without padding, and the padding length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RawPacket<'a> {
    /// The header as read.
    pub header: RtcpHeader,
    /// The bytes after the header, padding removed.
    pub body: &'a [u8],
    /// Padding bytes at the end (0 when P is clear).
    pub padding_len: usize,
    /// The whole packet as on the wire, header and padding included.
    pub bytes: &'a [u8],
}

impl<'a> RawPacket<'a> {
    /// Cuts the first packet off `buf`; returns it and the bytes after it.
    pub fn split(buf: &'a [u8]) -> Result<(Self, &'a [u8]), RtcpError> {
        let header = RtcpHeader::parse(buf)?;
        let len = header.packet_len();
        let (bytes, rest) = buf.split_at_checked(len).ok_or(RtcpError::LengthMismatch {
            declared: len,
            available: buf.len(),
        })?;
        let body = bytes.get(RtcpHeader::SIZE..).unwrap_or_default();
        let mut padding_len = 0;
        let body = if header.padding {
            let pad = body.last().copied().unwrap_or(0) as usize;
            if pad == 0 || pad > body.len() {
                return Err(RtcpError::BadPadding {
                    pad,
                    body: body.len(),
                });
            }
            padding_len = pad;
            body.get(..body.len() - pad).unwrap_or_default()
        } else {
            body
        };
        Ok((
            RawPacket {
                header,
                body,
                padding_len,
                bytes,
            },
            rest,
        ))
    }

    /// Parses a buffer that must hold exactly one packet.
    pub fn parse_exact(buf: &'a [u8]) -> Result<Self, RtcpError> {
        let (raw, rest) = Self::split(buf)?;
        if !rest.is_empty() {
            return Err(RtcpError::LengthMismatch {
                declared: raw.bytes.len(),
                available: buf.len(),
            });
        }
        Ok(raw)
    }

    /// Fails unless the packet type (and, when given, count/FMT) match.
    pub(crate) fn expect(&self, packet_type: u8, fmt: Option<u8>) -> Result<(), RtcpError> {
        let fmt_ok = fmt.is_none_or(|f| f == self.header.count);
        if self.header.packet_type != packet_type || !fmt_ok {
            return Err(RtcpError::UnexpectedPacketType {
                packet_type: self.header.packet_type,
                count: self.header.count,
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_fields() {
        let h = RtcpHeader::parse(&[0xa1, 201, 0x00, 0x07]).unwrap();
        assert!(h.padding);
        assert_eq!(h.count, 1);
        assert_eq!(h.packet_type, PT_RECEIVER_REPORT);
        assert_eq!(h.length, 7);
        assert_eq!(h.packet_len(), 32);
        let mut out = [0u8; 4];
        assert_eq!(h.marshal_to(&mut out).unwrap(), 4);
        assert_eq!(out, [0xa1, 201, 0x00, 0x07]);
    }

    #[test]
    fn rtp_rtcp_demux() {
        assert!(looks_like_rtcp(&[0x80, 200, 0, 1]));
        assert!(looks_like_rtcp(&[0x81, 223]));
        // RTP payload type 96 with and without the marker bit.
        assert!(!looks_like_rtcp(&[0x80, 96, 0, 1]));
        assert!(!looks_like_rtcp(&[0x80, 0xe0, 0, 1]));
        assert!(!looks_like_rtcp(&[0x40, 200, 0, 1]));
        assert!(!looks_like_rtcp(&[0x80]));
    }

    #[test]
    fn bad_version_and_short() {
        assert_eq!(
            RtcpHeader::parse(&[0x40, 200, 0, 1]),
            Err(RtcpError::BadVersion(1))
        );
        assert!(matches!(
            RtcpHeader::parse(&[0x80, 200]),
            Err(RtcpError::TooShort { .. })
        ));
    }

    #[test]
    fn padding_rules() {
        // P set, body of 4 bytes ending in pad count 4: body empties.
        let ok = [0xa0, 204, 0, 1, 0, 0, 0, 4];
        let (raw, rest) = RawPacket::split(&ok).unwrap();
        assert!(raw.body.is_empty());
        assert_eq!(raw.padding_len, 4);
        assert!(rest.is_empty());
        // Zero pad count.
        let zero = [0xa0, 204, 0, 1, 0, 0, 0, 0];
        assert_eq!(
            RawPacket::split(&zero),
            Err(RtcpError::BadPadding { pad: 0, body: 4 })
        );
        // Pad count reaching into the header.
        let over = [0xa0, 204, 0, 1, 0, 0, 0, 5];
        assert_eq!(
            RawPacket::split(&over),
            Err(RtcpError::BadPadding { pad: 5, body: 4 })
        );
        // P set on a header-only packet: no room for the count byte.
        let empty = [0xa0, 204, 0, 0];
        assert_eq!(
            RawPacket::split(&empty),
            Err(RtcpError::BadPadding { pad: 0, body: 0 })
        );
    }

    #[test]
    fn length_longer_than_buffer() {
        let lie = [0x80, 201, 0, 9, 0, 0, 0, 0];
        assert_eq!(
            RawPacket::split(&lie),
            Err(RtcpError::LengthMismatch {
                declared: 40,
                available: 8
            })
        );
    }

    #[test]
    fn for_packet_checks() {
        assert_eq!(
            RtcpHeader::for_packet(200, 32, 8),
            Err(RtcpError::TooManyReports { max: 31, got: 32 })
        );
        assert_eq!(
            RtcpHeader::for_packet(200, 0, 6),
            Err(RtcpError::Misaligned(6))
        );
        assert_eq!(
            RtcpHeader::for_packet(200, 0, 4 * 65537),
            Err(RtcpError::PacketTooLarge(4 * 65537))
        );
        assert_eq!(
            RtcpHeader::for_packet(200, 0, 4 * 65536).unwrap().length,
            65535
        );
    }
}
