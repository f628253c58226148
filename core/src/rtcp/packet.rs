//! [`RtcpPacket`]: any one RTCP packet, decoded by packet type and FMT.

use super::app::App;
use super::bye::Goodbye;
use super::error::RtcpError;
use super::header::{
    PT_APP, PT_GOODBYE, PT_RECEIVER_REPORT, PT_SENDER_REPORT, PT_SOURCE_DESCRIPTION, RawPacket,
    RtcpHeader,
};
use super::report::{ReceiverReport, SenderReport};
use super::sdes::SourceDescription;
use super::wire::Writer;

/// One RTCP packet, borrowing the buffer it was parsed from.
///
/// Packet types and feedback formats this module does not decode are kept as
/// [`RtcpPacket::Unknown`] so that a compound packet can be walked past them.
// The report variants hold up to 31 blocks inline; boxing them would put a
// heap allocation on the parse path, which this crate does not allow.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RtcpPacket<'a> {
    /// Sender report (PT 200).
    SenderReport(SenderReport<'a>),
    /// Receiver report (PT 201).
    ReceiverReport(ReceiverReport<'a>),
    /// Source description (PT 202).
    SourceDescription(SourceDescription<'a>),
    /// Goodbye (PT 203).
    Goodbye(Goodbye<'a>),
    /// Application-defined (PT 204).
    App(App<'a>),
    /// A packet type or feedback format that is not decoded.
    Unknown {
        /// The header as on the wire (padding bit included).
        header: RtcpHeader,
        /// Everything after the header, padding included.
        body: &'a [u8],
    },
}

impl<'a> RtcpPacket<'a> {
    /// Parses a buffer holding exactly one packet.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes a packet already cut by [`RawPacket::split`].
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        Ok(match raw.header.packet_type {
            PT_SENDER_REPORT => RtcpPacket::SenderReport(SenderReport::from_raw(raw)?),
            PT_RECEIVER_REPORT => RtcpPacket::ReceiverReport(ReceiverReport::from_raw(raw)?),
            PT_SOURCE_DESCRIPTION => {
                RtcpPacket::SourceDescription(SourceDescription::from_raw(raw)?)
            }
            PT_GOODBYE => RtcpPacket::Goodbye(Goodbye::from_raw(raw)?),
            PT_APP => RtcpPacket::App(App::from_raw(raw)?),
            _ => RtcpPacket::Unknown {
                header: raw.header,
                body: raw.bytes.get(RtcpHeader::SIZE..).unwrap_or_default(),
            },
        })
    }

    /// The packet type (PT) this packet is marshalled with.
    pub fn packet_type(&self) -> u8 {
        match self {
            RtcpPacket::SenderReport(_) => PT_SENDER_REPORT,
            RtcpPacket::ReceiverReport(_) => PT_RECEIVER_REPORT,
            RtcpPacket::SourceDescription(_) => PT_SOURCE_DESCRIPTION,
            RtcpPacket::Goodbye(_) => PT_GOODBYE,
            RtcpPacket::App(_) => PT_APP,
            RtcpPacket::Unknown { header, .. } => header.packet_type,
        }
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    pub fn marshal_size(&self) -> usize {
        match self {
            RtcpPacket::SenderReport(p) => p.marshal_size(),
            RtcpPacket::ReceiverReport(p) => p.marshal_size(),
            RtcpPacket::SourceDescription(p) => p.marshal_size(),
            RtcpPacket::Goodbye(p) => p.marshal_size(),
            RtcpPacket::App(p) => p.marshal_size(),
            RtcpPacket::Unknown { body, .. } => RtcpHeader::SIZE + body.len(),
        }
    }

    /// Writes the packet into `out`, returning the bytes written.
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        match self {
            RtcpPacket::SenderReport(p) => p.marshal_to(out),
            RtcpPacket::ReceiverReport(p) => p.marshal_to(out),
            RtcpPacket::SourceDescription(p) => p.marshal_to(out),
            RtcpPacket::Goodbye(p) => p.marshal_to(out),
            RtcpPacket::App(p) => p.marshal_to(out),
            RtcpPacket::Unknown { header, body } => {
                let size = RtcpHeader::SIZE + body.len();
                if header.packet_len() != size {
                    return Err(RtcpError::LengthMismatch {
                        declared: header.packet_len(),
                        available: size,
                    });
                }
                let mut w = Writer::with_capacity(out, size)?;
                header.write(&mut w)?;
                w.put(body)?;
                Ok(w.position())
            }
        }
    }
}

impl<'a> From<SenderReport<'a>> for RtcpPacket<'a> {
    fn from(p: SenderReport<'a>) -> Self {
        RtcpPacket::SenderReport(p)
    }
}

impl<'a> From<ReceiverReport<'a>> for RtcpPacket<'a> {
    fn from(p: ReceiverReport<'a>) -> Self {
        RtcpPacket::ReceiverReport(p)
    }
}

impl<'a> From<SourceDescription<'a>> for RtcpPacket<'a> {
    fn from(p: SourceDescription<'a>) -> Self {
        RtcpPacket::SourceDescription(p)
    }
}

impl<'a> From<Goodbye<'a>> for RtcpPacket<'a> {
    fn from(p: Goodbye<'a>) -> Self {
        RtcpPacket::Goodbye(p)
    }
}

impl<'a> From<App<'a>> for RtcpPacket<'a> {
    fn from(p: App<'a>) -> Self {
        RtcpPacket::App(p)
    }
}
