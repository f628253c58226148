//! [`RtcpPacket`]: any one RTCP packet, decoded by packet type and FMT.

use super::app::App;
use super::bye::Goodbye;
use super::error::RtcpError;
use super::feedback::{FullIntraRequest, GenericNack, PictureLossIndication, Remb};
use super::header::{
    FMT_APPLICATION_LAYER, FMT_FIR, FMT_GENERIC_NACK, FMT_PLI, FMT_TRANSPORT_CC, PT_APP,
    PT_EXTENDED_REPORT, PT_GOODBYE, PT_PAYLOAD_FEEDBACK, PT_RECEIVER_REPORT, PT_SENDER_REPORT,
    PT_SOURCE_DESCRIPTION, PT_TRANSPORT_FEEDBACK, RawPacket, RtcpHeader,
};
use super::report::{ReceiverReport, SenderReport};
use super::sdes::SourceDescription;
use super::twcc::TransportCc;
use super::wire::Writer;
use super::xr::ExtendedReport;

/// One RTCP packet, borrowing the buffer it was parsed from.
///
/// Packet types and feedback formats this module does not decode are kept as
/// [`RtcpPacket::Unknown`] so that a compound packet can be walked past them.
/// Every variant is a view (fields and borrowed slices, report blocks
/// included), so the enum stays at 72 bytes and moving it is cheap.
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
    /// Generic NACK (RTPFB FMT 1).
    GenericNack(GenericNack<'a>),
    /// Picture loss indication (PSFB FMT 1).
    PictureLossIndication(PictureLossIndication),
    /// Full intra request (PSFB FMT 4).
    FullIntraRequest(FullIntraRequest<'a>),
    /// Receiver estimated maximum bitrate (PSFB FMT 15, "REMB").
    Remb(Remb<'a>),
    /// Transport-wide congestion control feedback (RTPFB FMT 15).
    TransportCc(TransportCc<'a>),
    /// Extended report (PT 207).
    ExtendedReport(ExtendedReport<'a>),
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
            PT_TRANSPORT_FEEDBACK if raw.header.count == FMT_GENERIC_NACK => {
                RtcpPacket::GenericNack(GenericNack::from_raw(raw)?)
            }
            PT_EXTENDED_REPORT => RtcpPacket::ExtendedReport(ExtendedReport::from_raw(raw)?),
            PT_TRANSPORT_FEEDBACK if raw.header.count == FMT_TRANSPORT_CC => {
                RtcpPacket::TransportCc(TransportCc::from_raw(raw)?)
            }
            PT_PAYLOAD_FEEDBACK if raw.header.count == FMT_PLI => {
                RtcpPacket::PictureLossIndication(PictureLossIndication::from_raw(raw)?)
            }
            PT_PAYLOAD_FEEDBACK if raw.header.count == FMT_FIR => {
                RtcpPacket::FullIntraRequest(FullIntraRequest::from_raw(raw)?)
            }
            PT_PAYLOAD_FEEDBACK
                if raw.header.count == FMT_APPLICATION_LAYER && Remb::is_remb_body(raw.body) =>
            {
                RtcpPacket::Remb(Remb::from_raw(raw)?)
            }
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
            RtcpPacket::ExtendedReport(_) => PT_EXTENDED_REPORT,
            RtcpPacket::GenericNack(_) | RtcpPacket::TransportCc(_) => PT_TRANSPORT_FEEDBACK,
            RtcpPacket::PictureLossIndication(_)
            | RtcpPacket::FullIntraRequest(_)
            | RtcpPacket::Remb(_) => PT_PAYLOAD_FEEDBACK,
            RtcpPacket::Unknown { header, .. } => header.packet_type,
        }
    }

    /// A short name of the packet kind ("SR", "RR", "SDES", "BYE", "APP",
    /// "NACK", "PLI", "FIR", "REMB", "TWCC", "XR" or "unknown"), for logs
    /// and inspectors.
    pub fn name(&self) -> &'static str {
        match self {
            RtcpPacket::SenderReport(_) => "SR",
            RtcpPacket::ReceiverReport(_) => "RR",
            RtcpPacket::SourceDescription(_) => "SDES",
            RtcpPacket::Goodbye(_) => "BYE",
            RtcpPacket::App(_) => "APP",
            RtcpPacket::GenericNack(_) => "NACK",
            RtcpPacket::PictureLossIndication(_) => "PLI",
            RtcpPacket::FullIntraRequest(_) => "FIR",
            RtcpPacket::Remb(_) => "REMB",
            RtcpPacket::TransportCc(_) => "TWCC",
            RtcpPacket::ExtendedReport(_) => "XR",
            RtcpPacket::Unknown { .. } => "unknown",
        }
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    #[inline]
    pub fn marshal_size(&self) -> usize {
        match self {
            RtcpPacket::SenderReport(p) => p.marshal_size(),
            RtcpPacket::ReceiverReport(p) => p.marshal_size(),
            RtcpPacket::SourceDescription(p) => p.marshal_size(),
            RtcpPacket::Goodbye(p) => p.marshal_size(),
            RtcpPacket::App(p) => p.marshal_size(),
            RtcpPacket::GenericNack(p) => p.marshal_size(),
            RtcpPacket::PictureLossIndication(p) => p.marshal_size(),
            RtcpPacket::FullIntraRequest(p) => p.marshal_size(),
            RtcpPacket::Remb(p) => p.marshal_size(),
            RtcpPacket::ExtendedReport(p) => p.marshal_size(),
            RtcpPacket::TransportCc(p) => p.marshal_size(),
            RtcpPacket::Unknown { body, .. } => RtcpHeader::SIZE + body.len(),
        }
    }

    /// Writes the packet into `out`, returning the bytes written.
    #[inline]
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        match self {
            RtcpPacket::SenderReport(p) => p.marshal_to(out),
            RtcpPacket::ReceiverReport(p) => p.marshal_to(out),
            RtcpPacket::SourceDescription(p) => p.marshal_to(out),
            RtcpPacket::Goodbye(p) => p.marshal_to(out),
            RtcpPacket::App(p) => p.marshal_to(out),
            RtcpPacket::GenericNack(p) => p.marshal_to(out),
            RtcpPacket::PictureLossIndication(p) => p.marshal_to(out),
            RtcpPacket::FullIntraRequest(p) => p.marshal_to(out),
            RtcpPacket::Remb(p) => p.marshal_to(out),
            RtcpPacket::ExtendedReport(p) => p.marshal_to(out),
            RtcpPacket::TransportCc(p) => p.marshal_to(out),
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

impl<'a> From<GenericNack<'a>> for RtcpPacket<'a> {
    fn from(p: GenericNack<'a>) -> Self {
        RtcpPacket::GenericNack(p)
    }
}

impl<'a> From<PictureLossIndication> for RtcpPacket<'a> {
    fn from(p: PictureLossIndication) -> Self {
        RtcpPacket::PictureLossIndication(p)
    }
}

impl<'a> From<FullIntraRequest<'a>> for RtcpPacket<'a> {
    fn from(p: FullIntraRequest<'a>) -> Self {
        RtcpPacket::FullIntraRequest(p)
    }
}

impl<'a> From<Remb<'a>> for RtcpPacket<'a> {
    fn from(p: Remb<'a>) -> Self {
        RtcpPacket::Remb(p)
    }
}

impl<'a> From<TransportCc<'a>> for RtcpPacket<'a> {
    fn from(p: TransportCc<'a>) -> Self {
        RtcpPacket::TransportCc(p)
    }
}

impl<'a> From<ExtendedReport<'a>> for RtcpPacket<'a> {
    fn from(p: ExtendedReport<'a>) -> Self {
        RtcpPacket::ExtendedReport(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::mem::size_of;

    /// Every variant is a view (fields plus borrowed slices), so moving an
    /// `RtcpPacket` out of the compound iterator stays cheap. A variant that
    /// grows past this bound (an inline array, say) fails here.
    #[test]
    fn packet_and_variants_stay_small() {
        let sizes = [
            ("SR", size_of::<SenderReport<'_>>()),
            ("RR", size_of::<ReceiverReport<'_>>()),
            ("SDES", size_of::<SourceDescription<'_>>()),
            ("BYE", size_of::<Goodbye<'_>>()),
            ("APP", size_of::<App<'_>>()),
            ("NACK", size_of::<GenericNack<'_>>()),
            ("PLI", size_of::<PictureLossIndication>()),
            ("FIR", size_of::<FullIntraRequest<'_>>()),
            ("REMB", size_of::<Remb<'_>>()),
            ("TWCC", size_of::<TransportCc<'_>>()),
            ("XR", size_of::<ExtendedReport<'_>>()),
            ("packet", size_of::<RtcpPacket<'_>>()),
        ];
        println!("{sizes:?}");
        for (name, size) in sizes {
            assert!(size <= 72, "{name} is {size} bytes");
        }
    }
}
