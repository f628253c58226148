//! Goodbye (BYE, PT 203; RFC 3550 section 6.6).

use super::error::RtcpError;
use super::header::{PT_GOODBYE, RawPacket, RtcpHeader};
use super::item_list::ItemList;
use super::wire::{Reader, Writer, align4};

/// Most sources one BYE can carry (5-bit count).
pub const MAX_BYE_SOURCES: usize = 31;

/// The sources of a BYE: wire bytes when parsed, the caller's slice when
/// built (at most [`MAX_BYE_SOURCES`]).
pub type ByeSources<'a> = ItemList<'a, u32>;

/// Goodbye packet: sources leaving, with an optional reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Goodbye<'a> {
    /// SSRC/CSRCs leaving (at most 31).
    pub sources: ByeSources<'a>,
    /// Reason for leaving (at most 255 bytes), borrowed.
    pub reason: Option<&'a [u8]>,
}

impl<'a> Goodbye<'a> {
    /// A BYE to send for the caller's `sources`, with an optional reason.
    pub fn new(sources: &'a [u32], reason: Option<&'a [u8]>) -> Self {
        Goodbye {
            sources: ItemList::Items(sources),
            reason,
        }
    }

    /// Parses a buffer holding exactly one BYE.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes a BYE already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_GOODBYE, None)?;
        let mut r = Reader::new(raw.body);
        let sources = ItemList::Wire(r.bytes(4 * usize::from(raw.header.count))?);
        let reason = if r.remaining() == 0 {
            None
        } else {
            let len = r.u8()? as usize;
            let text = r.bytes(len)?;
            // Only the zero padding to 32 bits may follow.
            let end = align4(r.position());
            if end < raw.body.len() {
                return Err(RtcpError::LengthMismatch {
                    declared: raw.body.len(),
                    available: end,
                });
            }
            Some(text)
        };
        Ok(Goodbye { sources, reason })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE + 4 * self.sources.len() + self.reason.map_or(0, |r| align4(1 + r.len()))
    }

    /// Writes the packet into `out`, returning the bytes written.
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let count = self.sources.len();
        if count > MAX_BYE_SOURCES {
            return Err(RtcpError::TooManyReports {
                max: MAX_BYE_SOURCES,
                got: count,
            });
        }
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_GOODBYE, count as u8, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        header.write(&mut w)?;
        self.sources.write(&mut w)?;
        if let Some(reason) = self.reason {
            let len =
                u8::try_from(reason.len()).map_err(|_| RtcpError::FieldOutOfRange("reason"))?;
            w.u8(len)?;
            w.put(reason)?;
            w.zeros(size - w.position())?;
        }
        Ok(w.position())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bye_with_reason() {
        let bytes = [
            0x82, 203, 0x00, 0x04, // SC=2, length 4
            0x00, 0x00, 0x00, 0x01, //
            0x00, 0x00, 0x00, 0x02, //
            0x05, b'q', b'u', b'i', // reason "quit!"
            b't', b'!', 0x00, 0x00,
        ];
        let bye = Goodbye::parse(&bytes).unwrap();
        assert_eq!(bye.sources.iter().collect::<Vec<_>>(), [1, 2]);
        assert_eq!(bye.reason, Some(&b"quit!"[..]));
        let mut out = [0u8; 20];
        assert_eq!(bye.marshal_to(&mut out).unwrap(), 20);
        assert_eq!(out, bytes);
    }

    #[test]
    fn bye_without_reason_and_bad_reason() {
        let bytes = [0x81, 203, 0x00, 0x01, 0, 0, 0, 7];
        let bye = Goodbye::parse(&bytes).unwrap();
        assert_eq!(bye.sources.iter().collect::<Vec<_>>(), [7]);
        assert_eq!(bye.reason, None);
        let overrun = [0x81, 203, 0x00, 0x02, 0, 0, 0, 7, 9, b'a', 0, 0];
        assert!(matches!(
            Goodbye::parse(&overrun),
            Err(RtcpError::TooShort { .. })
        ));
        let junk = [0x80, 203, 0x00, 0x02, 1, b'a', 0, 0, 0, 0, 0, 0];
        assert!(matches!(
            Goodbye::parse(&junk),
            Err(RtcpError::LengthMismatch { .. })
        ));
        let long = [0u8; 256];
        let bye = Goodbye {
            sources: ByeSources::default(),
            reason: Some(&long),
        };
        let mut out = [0u8; 300];
        assert_eq!(
            bye.marshal_to(&mut out),
            Err(RtcpError::FieldOutOfRange("reason"))
        );
    }
}
