//! Extended reports (XR, PT 207; RFC 3611).
//!
//! Decoded block types: receiver reference time (RRTR, BT 4) and DLRR
//! (BT 5), which together let a receiver-only endpoint measure round-trip
//! time. Other block types are kept as borrowed bytes
//! ([`XrBlock::Unknown`]) and written back unchanged.
//!
//! Like SDES, a parsed XR keeps its validated wire bytes and a packet to
//! send borrows the caller's blocks; [`ExtendedReport::blocks`] walks both.

use super::error::RtcpError;
use super::header::{PT_EXTENDED_REPORT, RawPacket, RtcpHeader};
use super::item_list::{FixedSizeItem, ItemList};
use super::wire::{Reader, Writer};

/// Block type of a receiver reference time report block.
pub const XR_BT_RECEIVER_REFERENCE_TIME: u8 = 4;
/// Block type of a DLRR report block.
pub const XR_BT_DLRR: u8 = 5;

/// One DLRR sub-block (RFC 3611 section 4.5), 12 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct DlrrSubBlock {
    /// SSRC of the receiver whose RRTR is answered.
    pub ssrc: u32,
    /// Middle 32 bits of the NTP timestamp of that RRTR (LRR).
    pub last_rr: u32,
    /// Delay since receiving it, in 1/65536 s (DLRR).
    pub delay_since_last_rr: u32,
}

impl FixedSizeItem for DlrrSubBlock {
    const SIZE: usize = 12;

    fn read_from(bytes: &[u8]) -> Result<Self, RtcpError> {
        let mut r = Reader::new(bytes);
        Ok(DlrrSubBlock {
            ssrc: r.u32()?,
            last_rr: r.u32()?,
            delay_since_last_rr: r.u32()?,
        })
    }

    fn write_to(&self, out: &mut [u8]) -> Result<(), RtcpError> {
        let mut w = Writer::with_capacity(out, 12)?;
        w.u32(self.ssrc)?;
        w.u32(self.last_rr)?;
        w.u32(self.delay_since_last_rr)
    }
}

/// One XR report block.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum XrBlock<'a> {
    /// Receiver reference time (BT 4): the receiver's NTP timestamp.
    ReceiverReferenceTime {
        /// 64-bit NTP timestamp.
        ntp_timestamp: u64,
    },
    /// DLRR (BT 5): answers to receiver reference times.
    Dlrr(ItemList<'a, DlrrSubBlock>),
    /// Any other block type, kept as is.
    Unknown {
        /// Block type (BT).
        block_type: u8,
        /// The type-specific byte of the block header.
        type_specific: u8,
        /// The block contents after its 4-byte header (a multiple of 4).
        body: &'a [u8],
    },
}

impl<'a> XrBlock<'a> {
    /// The block type (BT).
    pub fn block_type(&self) -> u8 {
        match self {
            XrBlock::ReceiverReferenceTime { .. } => XR_BT_RECEIVER_REFERENCE_TIME,
            XrBlock::Dlrr(_) => XR_BT_DLRR,
            XrBlock::Unknown { block_type, .. } => *block_type,
        }
    }

    /// Bytes on the wire, block header included.
    pub fn wire_len(&self) -> usize {
        4 + match self {
            XrBlock::ReceiverReferenceTime { .. } => 8,
            XrBlock::Dlrr(list) => list.wire_len(),
            XrBlock::Unknown { body, .. } => body.len(),
        }
    }

    /// Reads the block at the front of `r`.
    fn read(r: &mut Reader<'a>) -> Result<Self, RtcpError> {
        let block_type = r.u8()?;
        let type_specific = r.u8()?;
        let words = r.u16()? as usize;
        let body = r.bytes(words * 4)?;
        Ok(match block_type {
            XR_BT_RECEIVER_REFERENCE_TIME => {
                if body.len() != 8 {
                    return Err(RtcpError::InvalidXrBlock(block_type));
                }
                XrBlock::ReceiverReferenceTime {
                    ntp_timestamp: Reader::new(body).u64()?,
                }
            }
            XR_BT_DLRR => XrBlock::Dlrr(
                ItemList::from_wire(body).map_err(|_| RtcpError::InvalidXrBlock(block_type))?,
            ),
            _ => XrBlock::Unknown {
                block_type,
                type_specific,
                body,
            },
        })
    }

    fn write(&self, w: &mut Writer<'_>) -> Result<(), RtcpError> {
        let words = (self.wire_len() - 4) / 4;
        let words = u16::try_from(words).map_err(|_| RtcpError::PacketTooLarge(self.wire_len()))?;
        let type_specific = match self {
            XrBlock::Unknown { type_specific, .. } => *type_specific,
            _ => 0,
        };
        w.u8(self.block_type())?;
        w.u8(type_specific)?;
        w.u16(words)?;
        match self {
            XrBlock::ReceiverReferenceTime { ntp_timestamp } => w.u64(*ntp_timestamp),
            XrBlock::Dlrr(list) => list.write(w),
            XrBlock::Unknown { body, .. } => {
                if !body.len().is_multiple_of(4) {
                    return Err(RtcpError::Misaligned(body.len()));
                }
                w.put(body)
            }
        }
    }
}

#[derive(Debug, Clone, Copy)]
enum XrRepr<'a> {
    Wire(&'a [u8]),
    Blocks(&'a [XrBlock<'a>]),
}

/// Extended report packet (PT 207).
#[derive(Debug, Clone, Copy)]
pub struct ExtendedReport<'a> {
    /// SSRC of the packet sender.
    pub sender_ssrc: u32,
    repr: XrRepr<'a>,
}

impl<'a> ExtendedReport<'a> {
    /// An XR to send, borrowing the caller's blocks.
    pub fn new(sender_ssrc: u32, blocks: &'a [XrBlock<'a>]) -> Self {
        ExtendedReport {
            sender_ssrc,
            repr: XrRepr::Blocks(blocks),
        }
    }

    /// Parses a buffer holding exactly one XR.
    pub fn parse(buf: &'a [u8]) -> Result<Self, RtcpError> {
        Self::from_raw(&RawPacket::parse_exact(buf)?)
    }

    /// Decodes an XR already cut by [`RawPacket::split`]; checks every block.
    pub fn from_raw(raw: &RawPacket<'a>) -> Result<Self, RtcpError> {
        raw.expect(PT_EXTENDED_REPORT, None)?;
        let mut r = Reader::new(raw.body);
        let sender_ssrc = r.u32()?;
        let blocks = r.rest();
        while r.remaining() > 0 {
            XrBlock::read(&mut r)?;
        }
        Ok(ExtendedReport {
            sender_ssrc,
            repr: XrRepr::Wire(blocks),
        })
    }

    /// Iterates over the report blocks.
    pub fn blocks(&self) -> XrBlocks<'a> {
        match self.repr {
            XrRepr::Wire(b) => XrBlocks(BlocksInner::Wire(Reader::new(b))),
            XrRepr::Blocks(b) => XrBlocks(BlocksInner::List(b.iter())),
        }
    }

    /// Bytes [`marshal_to`](Self::marshal_to) writes.
    pub fn marshal_size(&self) -> usize {
        RtcpHeader::SIZE
            + 4
            + match self.repr {
                XrRepr::Wire(b) => b.len(),
                XrRepr::Blocks(b) => b.iter().map(XrBlock::wire_len).sum(),
            }
    }

    /// Writes the packet into `out`, returning the bytes written.
    pub fn marshal_to(&self, out: &mut [u8]) -> Result<usize, RtcpError> {
        let size = self.marshal_size();
        let header = RtcpHeader::for_packet(PT_EXTENDED_REPORT, 0, size)?;
        let mut w = Writer::with_capacity(out, size)?;
        header.write(&mut w)?;
        w.u32(self.sender_ssrc)?;
        match self.repr {
            XrRepr::Wire(b) => w.put(b)?,
            XrRepr::Blocks(blocks) => {
                for block in blocks {
                    block.write(&mut w)?;
                }
            }
        }
        Ok(w.position())
    }
}

impl PartialEq for ExtendedReport<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.sender_ssrc == other.sender_ssrc && self.blocks().eq(other.blocks())
    }
}

impl Eq for ExtendedReport<'_> {}

/// Iterator over the blocks of an [`ExtendedReport`].
#[derive(Debug, Clone)]
pub struct XrBlocks<'a>(BlocksInner<'a>);

#[derive(Debug, Clone)]
enum BlocksInner<'a> {
    Wire(Reader<'a>),
    List(core::slice::Iter<'a, XrBlock<'a>>),
}

impl<'a> Iterator for XrBlocks<'a> {
    type Item = XrBlock<'a>;

    fn next(&mut self) -> Option<XrBlock<'a>> {
        match &mut self.0 {
            // Validated by `from_raw`: reading cannot fail.
            BlocksInner::Wire(r) => {
                if r.remaining() == 0 {
                    return None;
                }
                XrBlock::read(r).ok()
            }
            BlocksInner::List(i) => i.next().copied(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const XR_RRTR_DLRR: [u8; 40] = [
        0x80, 207, 0x00, 0x09, // XR, length 9
        0x00, 0x00, 0x00, 0x01, // sender SSRC
        0x04, 0x00, 0x00, 0x02, // RRTR, block length 2
        0xe9, 0x4c, 0x56, 0x90, 0x80, 0x00, 0x00, 0x00, // NTP
        0x05, 0x00, 0x00, 0x03, // DLRR, block length 3
        0x00, 0x00, 0x00, 0x02, // SSRC
        0x4c, 0x56, 0x90, 0x80, // LRR
        0x00, 0x00, 0x80, 0x00, // DLRR 0.5 s
        0x2a, 0x07, 0x00, 0x00, // unknown BT 42, type-specific 7, empty
    ];

    #[test]
    fn rrtr_dlrr_fields() {
        let xr = ExtendedReport::parse(&XR_RRTR_DLRR).unwrap();
        assert_eq!(xr.sender_ssrc, 1);
        let blocks: Vec<_> = xr.blocks().collect();
        assert_eq!(blocks.len(), 3);
        assert_eq!(
            blocks[0],
            XrBlock::ReceiverReferenceTime {
                ntp_timestamp: 0xe94c_5690_8000_0000
            }
        );
        let XrBlock::Dlrr(list) = blocks[1] else {
            panic!("expected DLRR");
        };
        let subs: Vec<_> = list.iter().collect();
        let expected = [DlrrSubBlock {
            ssrc: 2,
            last_rr: 0x4c56_9080,
            delay_since_last_rr: 0x8000,
        }];
        assert_eq!(subs, expected);
        assert_eq!(
            blocks[2],
            XrBlock::Unknown {
                block_type: 42,
                type_specific: 7,
                body: &[]
            }
        );
        let mut out = [0u8; 40];
        assert_eq!(xr.marshal_to(&mut out).unwrap(), 40);
        assert_eq!(out, XR_RRTR_DLRR);
        let built_blocks = [
            XrBlock::ReceiverReferenceTime {
                ntp_timestamp: 0xe94c_5690_8000_0000,
            },
            XrBlock::Dlrr(ItemList::Items(&expected)),
            XrBlock::Unknown {
                block_type: 42,
                type_specific: 7,
                body: &[],
            },
        ];
        let built = ExtendedReport::new(1, &built_blocks);
        assert_eq!(built, xr);
        let mut out2 = [0u8; 40];
        assert_eq!(built.marshal_to(&mut out2).unwrap(), 40);
        assert_eq!(out2, XR_RRTR_DLRR);
    }

    #[test]
    fn bad_blocks() {
        let mut bad_rrtr = XR_RRTR_DLRR;
        bad_rrtr[11] = 0x01; // RRTR length 1
        assert!(ExtendedReport::parse(&bad_rrtr).is_err());
        let mut over = XR_RRTR_DLRR;
        over[39] = 0x01; // unknown block claims 4 more bytes
        assert!(matches!(
            ExtendedReport::parse(&over),
            Err(RtcpError::TooShort { .. })
        ));
        let dlrr_odd = [
            0x80, 207, 0x00, 0x03, 0, 0, 0, 1, 0x05, 0x00, 0x00, 0x01, 0, 0, 0, 2,
        ];
        assert_eq!(
            ExtendedReport::parse(&dlrr_odd),
            Err(RtcpError::InvalidXrBlock(5))
        );
    }
}
