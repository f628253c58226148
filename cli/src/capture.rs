//! Reading capture files: legacy pcap (both byte orders, micro- and
//! nanosecond timestamps) and pcapng (any number of sections and interfaces).
//!
//! The whole file is in memory; frames borrow it. A damaged file yields a
//! [`CaptureError`] naming the byte offset of the record or block that could
//! not be read, after all the frames before it.

use pcap_parser::nom;
use pcap_parser::pcapng::{Block, parse_block_be, parse_block_le, parse_sectionheaderblock};
use pcap_parser::{Linktype, PcapError, parse_pcap_frame, parse_pcap_frame_be, parse_pcap_header};

const PCAPNG_SHB_MAGIC: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];

/// Why a capture file could not be read (past the frames already returned).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{what} at byte offset {offset}")]
pub struct CaptureError {
    /// Offset in the file of the record or block that could not be read.
    pub offset: usize,
    /// What is wrong there.
    pub what: String,
}

impl CaptureError {
    fn new(offset: usize, what: impl Into<String>) -> Self {
        Self {
            offset,
            what: what.into(),
        }
    }
}

/// One captured frame.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Capture time in seconds since the Unix epoch (as written in the file).
    pub time: f64,
    /// Link type of the interface the frame was captured on.
    pub linktype: i32,
    /// The captured bytes (possibly shorter than on the wire).
    pub data: &'a [u8],
}

/// An iterator over the frames of a capture held in memory.
pub struct CaptureReader<'a> {
    file: &'a [u8],
    /// Unparsed rest of the file.
    rest: &'a [u8],
    done: bool,
    pcap: Option<PcapState>,
    pcapng: PcapNgState,
}

#[derive(Clone, Copy)]
struct PcapState {
    big_endian: bool,
    nanoseconds: bool,
    linktype: i32,
}

#[derive(Default)]
struct PcapNgState {
    in_section: bool,
    big_endian: bool,
    interfaces: Vec<Interface>,
}

#[derive(Clone, Copy)]
struct Interface {
    linktype: i32,
    /// Timestamp units per second.
    units_per_second: u64,
    /// Seconds to add to every timestamp.
    offset_seconds: i64,
}

impl<'a> CaptureReader<'a> {
    /// Recognises the format from the first bytes of `file`.
    pub fn new(file: &'a [u8]) -> Result<Self, CaptureError> {
        let magic = file
            .get(..4)
            .ok_or_else(|| CaptureError::new(0, "file too short for a pcap or pcapng header"))?;
        let is_pcap = if magic == PCAPNG_SHB_MAGIC {
            false
        } else if matches!(
            u32::from_le_bytes([magic[0], magic[1], magic[2], magic[3]]),
            0xa1b2_c3d4 | 0xa1b2_3c4d | 0xd4c3_b2a1 | 0x4d3c_b2a1
        ) {
            true
        } else {
            return Err(CaptureError::new(
                0,
                format!("not a pcap or pcapng file (magic {magic:02x?})"),
            ));
        };
        let mut reader = Self {
            file,
            rest: file,
            done: false,
            pcap: None,
            pcapng: PcapNgState::default(),
        };
        if is_pcap {
            reader.read_pcap_header()?;
        }
        Ok(reader)
    }

    fn offset(&self) -> usize {
        self.file.len() - self.rest.len()
    }

    fn read_pcap_header(&mut self) -> Result<(), CaptureError> {
        match parse_pcap_header(self.rest) {
            Ok((rest, header)) => {
                self.pcap = Some(PcapState {
                    big_endian: header.is_bigendian(),
                    nanoseconds: header.is_nanosecond_precision(),
                    linktype: header.network.0,
                });
                self.rest = rest;
                Ok(())
            }
            Err(e) => Err(CaptureError::new(0, describe("pcap file header", &e))),
        }
    }

    fn next_pcap(&mut self, state: PcapState) -> Result<Option<Frame<'a>>, CaptureError> {
        if self.rest.is_empty() {
            return Ok(None);
        }
        let offset = self.offset();
        let parsed = if state.big_endian {
            parse_pcap_frame_be(self.rest)
        } else {
            parse_pcap_frame(self.rest)
        };
        let (rest, record) =
            parsed.map_err(|e| CaptureError::new(offset, describe("pcap record", &e)))?;
        self.rest = rest;
        let fraction = if state.nanoseconds { 1e9 } else { 1e6 };
        Ok(Some(Frame {
            time: f64::from(record.ts_sec) + f64::from(record.ts_usec) / fraction,
            linktype: state.linktype,
            data: record.data,
        }))
    }

    fn next_pcapng(&mut self) -> Result<Option<Frame<'a>>, CaptureError> {
        loop {
            if self.rest.is_empty() {
                return Ok(None);
            }
            let offset = self.offset();
            let starts_section = self.rest.get(..4) == Some(&PCAPNG_SHB_MAGIC[..]);
            if !self.pcapng.in_section && !starts_section {
                return Err(CaptureError::new(
                    offset,
                    "pcapng block outside of a section",
                ));
            }
            let parsed = if starts_section {
                parse_sectionheaderblock(self.rest).map(|(r, shb)| (r, Block::SectionHeader(shb)))
            } else if self.pcapng.big_endian {
                parse_block_be(self.rest)
            } else {
                parse_block_le(self.rest)
            };
            let (rest, block) =
                parsed.map_err(|e| CaptureError::new(offset, describe("pcapng block", &e)))?;
            let big_endian = match &block {
                Block::SectionHeader(shb) => shb.big_endian(),
                _ => self.pcapng.big_endian,
            };
            let raw = self
                .rest
                .get(..self.rest.len() - rest.len())
                .unwrap_or_default();
            check_block_lengths(raw, big_endian).map_err(|what| CaptureError::new(offset, what))?;
            self.rest = rest;
            match block {
                Block::SectionHeader(shb) => {
                    self.pcapng = PcapNgState {
                        in_section: true,
                        big_endian: shb.big_endian(),
                        interfaces: Vec::new(),
                    };
                }
                Block::InterfaceDescription(idb) => {
                    let units_per_second = units_per_second(idb.if_tsresol).ok_or_else(|| {
                        CaptureError::new(
                            offset,
                            format!(
                                "interface timestamp resolution {:#x} unusable",
                                idb.if_tsresol
                            ),
                        )
                    })?;
                    self.pcapng.interfaces.push(Interface {
                        linktype: idb.linktype.0,
                        units_per_second,
                        offset_seconds: idb.if_tsoffset,
                    });
                }
                Block::EnhancedPacket(epb) => {
                    let interface = self
                        .pcapng
                        .interfaces
                        .get(epb.if_id as usize)
                        .copied()
                        .ok_or_else(|| {
                            CaptureError::new(
                                offset,
                                format!("packet on undeclared interface {}", epb.if_id),
                            )
                        })?;
                    if epb.caplen as usize > epb.data.len() {
                        return Err(CaptureError::new(
                            offset,
                            format!(
                                "packet claims {} captured bytes, block holds {}",
                                epb.caplen,
                                epb.data.len()
                            ),
                        ));
                    }
                    let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                    return Ok(Some(Frame {
                        time: interface.seconds(ticks),
                        linktype: interface.linktype,
                        data: epb.data.get(..epb.caplen as usize).unwrap_or(epb.data),
                    }));
                }
                Block::SimplePacket(spb) => {
                    let interface = self.pcapng.interfaces.first().copied().ok_or_else(|| {
                        CaptureError::new(offset, "simple packet block with no interface")
                    })?;
                    return Ok(Some(Frame {
                        time: 0.0,
                        linktype: interface.linktype,
                        data: spb.data.get(..spb.origlen as usize).unwrap_or(spb.data),
                    }));
                }
                // Name resolution, statistics, secrets, custom blocks: not frames.
                _ => {}
            }
        }
    }
}

impl Interface {
    fn seconds(&self, ticks: u64) -> f64 {
        let whole = ticks / self.units_per_second;
        let fraction = ticks % self.units_per_second;
        self.offset_seconds as f64 + whole as f64 + fraction as f64 / self.units_per_second as f64
    }
}

/// A pcapng block starts and ends with its total length (pcapng §3.1):
/// both must agree with the bytes the block took.
fn check_block_lengths(raw: &[u8], big_endian: bool) -> Result<(), String> {
    let read = |b: Option<&[u8]>| -> Option<u32> {
        let b: [u8; 4] = b?.try_into().ok()?;
        Some(if big_endian {
            u32::from_be_bytes(b)
        } else {
            u32::from_le_bytes(b)
        })
    };
    let leading = read(raw.get(4..8));
    let trailing = read(raw.len().checked_sub(4).and_then(|at| raw.get(at..)));
    match (leading, trailing) {
        (Some(l), Some(t)) if l == t && l as usize == raw.len() => Ok(()),
        (Some(l), Some(t)) => Err(format!(
            "pcapng block lengths disagree (leading {l}, trailing {t}, block {} bytes)",
            raw.len()
        )),
        _ => Err("pcapng block shorter than its length fields".to_string()),
    }
}

/// `if_tsresol`: a power of ten, or of two when the top bit is set.
fn units_per_second(tsresol: u8) -> Option<u64> {
    let exponent = u32::from(tsresol & 0x7f);
    let units = if tsresol & 0x80 != 0 {
        2u64.checked_pow(exponent)
    } else {
        10u64.checked_pow(exponent)
    };
    units.filter(|&u| u > 0)
}

fn describe(what: &str, error: &nom::Err<PcapError<&[u8]>>) -> String {
    match error {
        nom::Err::Incomplete(nom::Needed::Size(n)) => {
            format!("truncated {what} ({n} more bytes needed)")
        }
        nom::Err::Incomplete(nom::Needed::Unknown) => format!("truncated {what}"),
        nom::Err::Error(e) | nom::Err::Failure(e) => match e {
            PcapError::NomError(_, kind) => format!("malformed {what} ({})", kind.description()),
            PcapError::OwnedNomError(_, kind) => {
                format!("malformed {what} ({})", kind.description())
            }
            PcapError::Incomplete(n) => format!("truncated {what} ({n} more bytes needed)"),
            PcapError::UnexpectedEof | PcapError::Eof => format!("truncated {what}"),
            PcapError::HeaderNotRecognized => format!("unrecognised {what}"),
            other => format!("malformed {what} ({other:?})"),
        },
    }
}

impl<'a> Iterator for CaptureReader<'a> {
    type Item = Result<Frame<'a>, CaptureError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let next = match self.pcap {
            Some(state) => self.next_pcap(state),
            None => self.next_pcapng(),
        };
        match next {
            Ok(Some(frame)) => Some(Ok(frame)),
            Ok(None) => {
                self.done = true;
                None
            }
            Err(e) => {
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

/// Link types this tool decodes (numbers from the tcpdump link-type registry).
pub mod linktype {
    use super::Linktype;
    /// BSD loopback: 4-byte address family in host byte order.
    pub const NULL: i32 = Linktype::NULL.0;
    /// Ethernet II (with optional 802.1Q / 802.1ad tags).
    pub const ETHERNET: i32 = Linktype::ETHERNET.0;
    /// Raw IPv4 or IPv6.
    pub const RAW: i32 = Linktype::RAW.0;
    /// OpenBSD loopback: 4-byte address family in network byte order.
    pub const LOOP: i32 = Linktype::LOOP.0;
    /// Linux cooked capture v1.
    pub const LINUX_SLL: i32 = Linktype::LINUX_SLL.0;
    /// Raw IPv4.
    pub const IPV4: i32 = Linktype::IPV4.0;
    /// Raw IPv6.
    pub const IPV6: i32 = Linktype::IPV6.0;
    /// Linux cooked capture v2.
    pub const LINUX_SLL2: i32 = Linktype::LINUX_SLL2.0;
}
