//! Application-defined packet (APP, PT 204; RFC 3550 section 6.7).

use super::error::RtcpError;
use super::header::{PT_APP, RawPacket, RtcpHeader};
use super::wire::{Reader, Writer};

/// Application-defined packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct App<'a> {
    /// Subtype (5 bits, in the count field).
    pub subtype: u8,
    /// SSRC/CSRC of the sender.
    pub ssrc: u32,
    /// Four ASCII characters naming the application.
    pub name: [u8; 4],
    /// Application data (a multiple of 4 bytes), borrowed.
    pub data: &'a [u8],
}

impl<'a> App<'a> {
    /// Parses a buffer holding exactly one APP packet.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes an APP packet already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_APP, None)?;
        let mut r = Reader::new(raw.body);
        let ssrc = r.u32()?;
        let name = r.array::<4>()?;
        let data = r.rest();
        if !data.len().is_multiple_of(4) {
            return Err(RtcpError::Misaligned(data.len()));
        }
        Ok(App {
            subtype: raw.header.count,
            ssrc,
            name,
            data,
        })
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE + 8 + self.data.len()
    }

    /// Writes the packet into `out`, returning the bytes written.
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        if self.subtype > 31 {
            return Err(RtcpError::FieldOutOfRange("subtype"));
        }
        if !self.data.len().is_multiple_of(4) {
            return Err(RtcpError::Misaligned(self.data.len()));
        }
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_APP, self.subtype, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        header.write(&mut w)?;
        w.u32(self.ssrc)?;
        w.put(&self.name)?;
        w.put(self.data)?;
        Ok(w.position())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn app_fields() {
        let bytes = [
            0x85, 204, 0x00, 0x03, // subtype 5, length 3
            0xca, 0xfe, 0xba, 0xbe, // SSRC
            b'z', b'r', b't', b'c', // name
            1, 2, 3, 4, // data
        ];
        let app = App::parse(&bytes).unwrap();
        assert_eq!(app.subtype, 5);
        assert_eq!(app.ssrc, 0xcafe_babe);
        assert_eq!(&app.name, b"zrtc");
        assert_eq!(app.data, &[1, 2, 3, 4]);
        let mut out = [0u8; 16];
        assert_eq!(app.marshal_to(&mut out).unwrap(), 16);
        assert_eq!(out, bytes);
        let odd = App {
            data: &[1, 2, 3],
            ..app
        };
        assert_eq!(odd.marshal_to(&mut out), Err(RtcpError::Misaligned(3)));
        let big = App { subtype: 32, ..app };
        assert_eq!(
            big.marshal_to(&mut out),
            Err(RtcpError::FieldOutOfRange("subtype"))
        );
    }

    #[test]
    fn app_too_short() {
        let bytes = [0x80, 204, 0x00, 0x01, 0, 0, 0, 1];
        assert!(matches!(
            App::parse(&bytes),
            Err(RtcpError::TooShort { .. })
        ));
    }
}
