//! RTP parse and marshal.

use zerortc::rtp::{RtpHeader, RtpPacket};

/// Parses an RTP packet and reads its header, extensions and payload length.
/// Returns 0 for a malformed packet.
#[inline]
pub fn rtp_parse(buf: &[u8]) -> usize {
    let Ok(packet) = RtpPacket::parse(buf) else {
        return 0;
    };
    let mut acc = usize::from(packet.sequence_number())
        ^ packet.timestamp() as usize
        ^ packet.ssrc() as usize
        ^ usize::from(packet.payload_type())
        ^ usize::from(packet.marker());
    if let Ok(extensions) = packet.extensions() {
        for (id, value) in extensions.iter() {
            acc = acc.wrapping_add(usize::from(id) + value.len());
        }
    }
    acc.wrapping_add(packet.payload().len())
}

/// A header and payload ready to be marshalled, as a sender keeps them.
#[derive(Debug, Clone)]
pub struct RtpMarshalCase<'a> {
    /// The header with its extension elements.
    pub header: RtpHeader<'a>,
    /// The payload written after the header.
    pub payload: &'a [u8],
}

impl<'a> RtpMarshalCase<'a> {
    /// Builds the header field by field and element by element from a
    /// parsed `packet` (so marshal encodes the elements, not a copied block).
    pub fn from_packet(packet: &'a [u8]) -> Result<Self, zerortc::rtp::RtpError> {
        let parsed = RtpPacket::parse(packet)?;
        let mut header = RtpHeader::new(
            parsed.payload_type(),
            parsed.sequence_number(),
            parsed.timestamp(),
            parsed.ssrc(),
        );
        header.marker = parsed.marker();
        for (id, value) in parsed.extensions()?.iter() {
            header.set_extension(id, value)?;
        }
        Ok(RtpMarshalCase {
            header,
            payload: parsed.payload(),
        })
    }
}

/// Marshals the header and payload into `out`; returns the length written
/// (0 on error).
#[inline]
pub fn rtp_marshal(case: &RtpMarshalCase<'_>, out: &mut [u8]) -> usize {
    case.header.marshal_packet(case.payload, out).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::OUT_LEN;
    use crate::rtp_inputs;

    #[test]
    fn rtp_inputs_parse_and_marshal_back_byte_identical() {
        for (id, packet) in rtp_inputs() {
            assert_ne!(rtp_parse(&packet), 0, "{id}");
            let parsed = RtpPacket::parse(&packet).unwrap();
            assert_eq!(parsed.extensions().unwrap().iter().count(), 3, "{id}");
            let case = RtpMarshalCase::from_packet(&packet).unwrap();
            let mut out = [0u8; OUT_LEN];
            let n = rtp_marshal(&case, &mut out);
            assert_eq!(&out[..n], &packet[..], "{id}");
        }
    }
}
