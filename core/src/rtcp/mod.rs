//! RTCP: the RTP control protocol, wire format only.
//!
//! Zero-copy parsing of RTCP packets and compound packets, and marshalling
//! into caller-provided buffers, with no heap allocation for realistic
//! packets. Implements:
//!
//! - RFC 3550 (RTP): common header, SR, RR, SDES, BYE, APP, compound packets
//!   (section 6.1) — [`header`](RtcpHeader), [`SenderReport`],
//!   [`ReceiverReport`], [`SourceDescription`], [`Goodbye`], [`App`],
//!   [`RtcpCompound`];
//! - RFC 4585 (AVPF feedback): generic NACK ([`GenericNack`]), PLI
//!   ([`PictureLossIndication`]);
//! - RFC 5104 (codec control): FIR ([`FullIntraRequest`]);
//! - draft-alvestrand-rmcat-remb: [`Remb`];
//! - draft-holmer-rmcat-transport-wide-cc-extensions-01: [`TransportCc`],
//!   [`TwccBuilder`];
//! - RFC 3611 (XR): RRTR and DLRR blocks ([`ExtendedReport`], [`XrBlock`]);
//! - RFC 5761 (RTP/RTCP multiplexing): [`looks_like_rtcp`];
//! - RFC 5506 (reduced-size RTCP): the parser accepts any single packet;
//!   [`check_compound`] applies the RFC 3550 rules only when asked.
//!
//! How it fits together:
//!
//! - [`parse_compound`] / [`RtcpCompound`] walk a buffer packet by packet,
//!   yielding `Result<RtcpPacket<'a>, RtcpError>` and stopping after the
//!   first error. Every packet type also has `parse(buf)` (a buffer holding
//!   exactly that one packet) and `from_raw(&RawPacket)` (a packet already
//!   cut by [`RawPacket::split`]).
//! - Every packet type, and [`RtcpPacket`], has `marshal_size()` and
//!   `marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError>`;
//!   [`RtcpCompoundWriter`] and [`marshal_compound`] concatenate packets.
//! - Views borrow the input. Variable lists are zero-copy: SDES chunks, XR
//!   blocks, NACK pairs, FIR entries and REMB SSRCs keep their wire bytes
//!   when parsed and borrow a caller slice when built ([`ItemList`]), and so
//!   do SR/RR report blocks and BYE sources. Every packet is a small view
//!   (at most 72 bytes, checked by a test), so walking a compound copies
//!   nothing but a few words per packet. Parse → marshal is byte-identical
//!   for unpadded packets.
//! - Padding: checked on parse (count ≥ 1, within the packet) and stripped;
//!   accepted on any packet of a compound because each length field covers
//!   its own padding; [`check_compound`] in [`CompoundMode::Full`] rejects
//!   it on all but the last packet. Marshalling writes no padding except
//!   for transport-cc (1 to 3 bytes, P bit) and
//!   [`RtcpCompoundWriter::finish_with_padding`].
//! - Unknown packet types and feedback formats (including application layer
//!   feedback that is not REMB) are [`RtcpPacket::Unknown`], not errors.
//!
//! ```
//! use zerortc::rtcp::{RtcpPacket, parse_compound, GenericNack, nack_pairs_from_lost};
//!
//! // Build a NACK into a stack buffer, then walk it as a (reduced-size) compound.
//! let pairs = nack_pairs_from_lost([100, 101, 105]);
//! let mut buf = [0u8; 64];
//! let n = GenericNack::new(0x1111, 0x2222, &pairs).marshal_to(&mut buf)?;
//! for packet in parse_compound(&buf[..n]) {
//!     if let RtcpPacket::GenericNack(nack) = packet? {
//!         let lost: Vec<u16> = nack.lost_sequence_numbers().collect();
//!         assert_eq!(lost, [100, 101, 105]);
//!     }
//! }
//! # Ok::<(), zerortc::rtcp::RtcpError>(())
//! ```
//!
//! Not here: RTCP scheduling, statistics, SRTCP (see the `interceptor` and
//! `srtp` layers).

mod app;
mod bye;
mod compound;
mod error;
mod feedback;
mod header;
mod item_list;
mod packet;
mod report;
mod sdes;
mod twcc;
mod wire;
mod xr;

pub use app::App;
pub use bye::{ByeSources, Goodbye, MAX_BYE_SOURCES};
pub use compound::{
    CompoundMode, RtcpCompound, RtcpCompoundWriter, check_compound, marshal_compound,
    parse_compound,
};
pub use error::{CompoundRule, RtcpError, SdesError, TwccError};
pub use feedback::{
    FirEntry, FullIntraRequest, GenericNack, NackPair, NackPairs, PictureLossIndication,
    REMB_IDENTIFIER, Remb, nack_pairs_from_lost,
};
pub use header::{
    FMT_APPLICATION_LAYER, FMT_FIR, FMT_GENERIC_NACK, FMT_PLI, FMT_TRANSPORT_CC, PT_APP,
    PT_EXTENDED_REPORT, PT_GOODBYE, PT_PAYLOAD_FEEDBACK, PT_RECEIVER_REPORT, PT_SENDER_REPORT,
    PT_SOURCE_DESCRIPTION, PT_TRANSPORT_FEEDBACK, RawPacket, RtcpHeader, looks_like_rtcp,
};
pub use item_list::{FixedSizeItem, ItemIter, ItemList};
pub use packet::RtcpPacket;
pub use report::{
    MAX_REPORTS, ReceiverReport, ReceptionReport, ReportBlocks, SenderInfo, SenderReport,
};
pub use sdes::{
    SdesChunk, SdesChunkView, SdesChunks, SdesItem, SdesItemType, SdesItems, SourceDescription,
};
pub use twcc::{
    PacketChunk, PacketStatus, TWCC_DELTA_TICK_US, TWCC_MAX_RUN_LENGTH, TWCC_REFERENCE_TICK_US,
    TransportCc, TwccBuilder, TwccPacketReport, TwccPackets,
};
pub use xr::{
    DlrrSubBlock, ExtendedReport, XR_BT_DLRR, XR_BT_RECEIVER_REFERENCE_TIME, XrBlock, XrBlocks,
};
