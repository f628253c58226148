//! Typed, zero-copy views of the SCTP chunks (RFC 9260 §3.3, RFC 3758,
//! RFC 6525, RFC 8260) and their writer.

use super::error::SctpError;
use super::packet::{CHUNK_HEADER_LEN, RawChunk};
use super::param::{
    PARAM_FORWARD_TSN_SUPPORTED, PARAM_HEARTBEAT_INFO, PARAM_STATE_COOKIE,
    PARAM_SUPPORTED_EXTENSIONS, PARAM_ZERO_CHECKSUM_ACCEPTABLE, ReconfigParam, Tlv, TlvIter,
};
use super::{put, put_u16, put_u32, read_u16, read_u32};

/// Chunk type numbers.
pub mod chunk_type {
    /// Payload data (RFC 9260 §3.3.1).
    pub const DATA: u8 = 0;
    /// Initiation.
    pub const INIT: u8 = 1;
    /// Initiation acknowledgement.
    pub const INIT_ACK: u8 = 2;
    /// Selective acknowledgement.
    pub const SACK: u8 = 3;
    /// Heartbeat request.
    pub const HEARTBEAT: u8 = 4;
    /// Heartbeat acknowledgement.
    pub const HEARTBEAT_ACK: u8 = 5;
    /// Abort.
    pub const ABORT: u8 = 6;
    /// Shutdown.
    pub const SHUTDOWN: u8 = 7;
    /// Shutdown acknowledgement.
    pub const SHUTDOWN_ACK: u8 = 8;
    /// Operation error.
    pub const ERROR: u8 = 9;
    /// State cookie echo.
    pub const COOKIE_ECHO: u8 = 10;
    /// Cookie acknowledgement.
    pub const COOKIE_ACK: u8 = 11;
    /// Shutdown complete.
    pub const SHUTDOWN_COMPLETE: u8 = 14;
    /// I-DATA (RFC 8260 §2.1).
    pub const I_DATA: u8 = 64;
    /// Stream re-configuration (RFC 6525 §3.1).
    pub const RE_CONFIG: u8 = 130;
    /// Forward cumulative TSN (RFC 3758 §3.2).
    pub const FORWARD_TSN: u8 = 192;
    /// I-FORWARD-TSN (RFC 8260 §2.3.1).
    pub const I_FORWARD_TSN: u8 = 194;
}

/// DATA / I-DATA flag: last fragment (E).
pub const FLAG_END: u8 = 0x01;
/// DATA / I-DATA flag: first fragment (B).
pub const FLAG_BEGIN: u8 = 0x02;
/// DATA / I-DATA flag: unordered (U).
pub const FLAG_UNORDERED: u8 = 0x04;
/// DATA / I-DATA flag: SACK immediately (I, RFC 7053).
pub const FLAG_IMMEDIATE: u8 = 0x08;
/// ABORT / SHUTDOWN-COMPLETE flag: T bit (verification tag reflected).
pub const FLAG_T: u8 = 0x01;

/// Length of the DATA chunk fields before the user data.
pub const DATA_HEADER_LEN: usize = 12;
/// Length of the I-DATA chunk fields before the user data.
pub const I_DATA_HEADER_LEN: usize = 16;

/// A DATA chunk (RFC 9260 §3.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataChunk<'a> {
    /// Flags (`FLAG_*`; the upper 4 bits are kept as received).
    pub flags: u8,
    /// Transmission sequence number.
    pub tsn: u32,
    /// Stream identifier.
    pub stream_id: u16,
    /// Stream sequence number.
    pub ssn: u16,
    /// Payload protocol identifier.
    pub ppid: u32,
    /// User data (never empty).
    pub payload: &'a [u8],
}

impl DataChunk<'_> {
    /// U bit.
    pub fn unordered(&self) -> bool {
        self.flags & FLAG_UNORDERED != 0
    }
    /// B bit.
    pub fn beginning(&self) -> bool {
        self.flags & FLAG_BEGIN != 0
    }
    /// E bit.
    pub fn ending(&self) -> bool {
        self.flags & FLAG_END != 0
    }
    /// I bit (RFC 7053).
    pub fn immediate(&self) -> bool {
        self.flags & FLAG_IMMEDIATE != 0
    }
}

/// An I-DATA chunk (RFC 8260 §2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IDataChunk<'a> {
    /// Flags, as for DATA.
    pub flags: u8,
    /// Transmission sequence number.
    pub tsn: u32,
    /// Stream identifier.
    pub stream_id: u16,
    /// Reserved field (kept for round trips; sent as zero).
    pub reserved: u16,
    /// Message identifier.
    pub mid: u32,
    /// PPID when B is set, fragment sequence number otherwise.
    pub ppid_or_fsn: u32,
    /// User data (never empty).
    pub payload: &'a [u8],
}

/// INIT and INIT-ACK (RFC 9260 §3.3.2, §3.3.3): fixed fields and the
/// parameter list, read with [`InitChunk::params`] and the accessors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InitChunk<'a> {
    /// Initiate tag (never zero).
    pub initiate_tag: u32,
    /// Advertised receiver window credit.
    pub a_rwnd: u32,
    /// Number of outbound streams (never zero).
    pub outbound_streams: u16,
    /// Number of inbound streams (never zero).
    pub inbound_streams: u16,
    /// Initial TSN.
    pub initial_tsn: u32,
    /// The parameter bytes (framing checked at decode).
    pub params: &'a [u8],
}

impl<'a> InitChunk<'a> {
    /// The parameters.
    pub fn params(&self) -> TlvIter<'a> {
        TlvIter::new(self.params)
    }
    /// The state cookie (INIT-ACK).
    pub fn state_cookie(&self) -> Option<&'a [u8]> {
        TlvIter::find(self.params, PARAM_STATE_COOKIE).map(|t| t.value)
    }
    /// True when the forward-TSN-supported parameter is present (RFC 3758).
    pub fn forward_tsn_supported(&self) -> bool {
        TlvIter::find(self.params, PARAM_FORWARD_TSN_SUPPORTED).is_some()
    }
    /// The chunk types of the supported extensions parameter (RFC 5061).
    pub fn supported_extensions(&self) -> &'a [u8] {
        TlvIter::find(self.params, PARAM_SUPPORTED_EXTENSIONS).map_or(&[], |t| t.value)
    }
    /// True when `chunk_type` is among the supported extensions.
    pub fn supports_extension(&self, chunk_type: u8) -> bool {
        self.supported_extensions().contains(&chunk_type)
    }
    /// The error detection method of the zero checksum acceptable
    /// parameter (RFC 9653), if present and well formed.
    pub fn zero_checksum_edmid(&self) -> Option<u32> {
        let t = TlvIter::find(self.params, PARAM_ZERO_CHECKSUM_ACCEPTABLE)?;
        read_u32(t.value, 0).ok()
    }
}

/// A SACK chunk (RFC 9260 §3.3.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SackChunk<'a> {
    /// Cumulative TSN ack.
    pub cumulative_tsn_ack: u32,
    /// Advertised receiver window credit.
    pub a_rwnd: u32,
    gap_blocks: &'a [u8],
    dup_tsns: &'a [u8],
}

impl<'a> SackChunk<'a> {
    /// Gap ack blocks as (start, end) offsets from the cumulative TSN ack.
    pub fn gap_blocks(&self) -> impl ExactSizeIterator<Item = (u16, u16)> + 'a {
        self.gap_blocks
            .chunks_exact(4)
            .map(|c| (read_u16(c, 0).unwrap_or(0), read_u16(c, 2).unwrap_or(0)))
    }
    /// Duplicate TSNs reported.
    pub fn dup_tsns(&self) -> impl ExactSizeIterator<Item = u32> + 'a {
        self.dup_tsns
            .chunks_exact(4)
            .map(|c| read_u32(c, 0).unwrap_or(0))
    }
    /// Number of gap ack blocks.
    pub fn gap_block_count(&self) -> usize {
        self.gap_blocks.len() / 4
    }
    /// Number of duplicate TSNs.
    pub fn dup_tsn_count(&self) -> usize {
        self.dup_tsns.len() / 4
    }
}

/// A FORWARD-TSN chunk (RFC 3758 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ForwardTsnChunk<'a> {
    /// The new cumulative TSN.
    pub new_cumulative_tsn: u32,
    streams: &'a [u8],
}

impl<'a> ForwardTsnChunk<'a> {
    /// (stream, SSN) pairs: the largest skipped SSN of each ordered stream.
    pub fn streams(&self) -> impl ExactSizeIterator<Item = (u16, u16)> + 'a {
        self.streams
            .chunks_exact(4)
            .map(|c| (read_u16(c, 0).unwrap_or(0), read_u16(c, 2).unwrap_or(0)))
    }
}

/// An I-FORWARD-TSN chunk (RFC 8260 §2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IForwardTsnChunk<'a> {
    /// The new cumulative TSN.
    pub new_cumulative_tsn: u32,
    entries: &'a [u8],
}

impl<'a> IForwardTsnChunk<'a> {
    /// (stream, unordered, MID) entries: the message to skip on each
    /// stream (the largest skipped MID for ordered messages).
    pub fn entries(&self) -> impl ExactSizeIterator<Item = (u16, bool, u32)> + 'a {
        self.entries.chunks_exact(8).map(|c| {
            (
                read_u16(c, 0).unwrap_or(0),
                read_u16(c, 2).unwrap_or(0) & 1 != 0,
                read_u32(c, 4).unwrap_or(0),
            )
        })
    }
}

/// A chunk decoded by type. Fixed fields are values, variable parts
/// borrow the packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkView<'a> {
    /// DATA.
    Data(DataChunk<'a>),
    /// I-DATA.
    IData(IDataChunk<'a>),
    /// INIT.
    Init(InitChunk<'a>),
    /// INIT-ACK.
    InitAck(InitChunk<'a>),
    /// SACK.
    Sack(SackChunk<'a>),
    /// HEARTBEAT; the value is the parameter list (heartbeat info).
    Heartbeat(&'a [u8]),
    /// HEARTBEAT-ACK; the value is echoed from the HEARTBEAT.
    HeartbeatAck(&'a [u8]),
    /// ABORT: T bit and error causes.
    Abort {
        /// T bit.
        t_bit: bool,
        /// Error causes (TLVs, see [`super::param::cause`]).
        causes: &'a [u8],
    },
    /// ERROR: error causes.
    Error(&'a [u8]),
    /// SHUTDOWN with the cumulative TSN ack.
    Shutdown(u32),
    /// SHUTDOWN-ACK.
    ShutdownAck,
    /// SHUTDOWN-COMPLETE with its T bit.
    ShutdownComplete {
        /// T bit.
        t_bit: bool,
    },
    /// COOKIE-ECHO carrying the state cookie.
    CookieEcho(&'a [u8]),
    /// COOKIE-ACK.
    CookieAck,
    /// FORWARD-TSN.
    ForwardTsn(ForwardTsnChunk<'a>),
    /// I-FORWARD-TSN.
    IForwardTsn(IForwardTsnChunk<'a>),
    /// RE-CONFIG: its parameters (one or two requests / responses).
    ReConfig(&'a [u8]),
    /// Any other chunk, including known ones this layer does not decode
    /// (ECNE, CWR, ASCONF, AUTH, PAD).
    Unknown(RawChunk<'a>),
}

fn malformed(chunk_type: u8, len: usize) -> SctpError {
    SctpError::MalformedChunk { chunk_type, len }
}

impl<'a> ChunkView<'a> {
    /// Decodes a chunk from its type, flags and value, checking every
    /// length and the fields the protocol forbids to be zero.
    pub fn decode(ty: u8, flags: u8, v: &'a [u8]) -> Result<Self, SctpError> {
        use chunk_type as t;
        let bad = || malformed(ty, v.len());
        let exact = |n: usize| if v.len() == n { Ok(()) } else { Err(bad()) };
        Ok(match ty {
            t::DATA => {
                let payload = v.get(DATA_HEADER_LEN..).filter(|p| !p.is_empty());
                let payload = payload.ok_or(SctpError::InvalidField("DATA user data"))?;
                Self::Data(DataChunk {
                    flags,
                    tsn: read_u32(v, 0)?,
                    stream_id: read_u16(v, 4)?,
                    ssn: read_u16(v, 6)?,
                    ppid: read_u32(v, 8)?,
                    payload,
                })
            }
            t::I_DATA => {
                let payload = v.get(I_DATA_HEADER_LEN..).filter(|p| !p.is_empty());
                let payload = payload.ok_or(SctpError::InvalidField("I-DATA user data"))?;
                Self::IData(IDataChunk {
                    flags,
                    tsn: read_u32(v, 0)?,
                    stream_id: read_u16(v, 4)?,
                    reserved: read_u16(v, 6)?,
                    mid: read_u32(v, 8)?,
                    ppid_or_fsn: read_u32(v, 12)?,
                    payload,
                })
            }
            t::INIT | t::INIT_ACK => {
                let params = v.get(16..).ok_or_else(bad)?;
                TlvIter::validate(params)?;
                let init = InitChunk {
                    initiate_tag: read_u32(v, 0)?,
                    a_rwnd: read_u32(v, 4)?,
                    outbound_streams: read_u16(v, 8)?,
                    inbound_streams: read_u16(v, 10)?,
                    initial_tsn: read_u32(v, 12)?,
                    params,
                };
                if init.initiate_tag == 0 {
                    return Err(SctpError::InvalidField("initiate tag"));
                }
                if init.outbound_streams == 0 || init.inbound_streams == 0 {
                    return Err(SctpError::InvalidField("number of streams"));
                }
                if ty == t::INIT {
                    Self::Init(init)
                } else {
                    Self::InitAck(init)
                }
            }
            t::SACK => {
                let gaps = usize::from(read_u16(v, 8)?);
                let dups = usize::from(read_u16(v, 10)?);
                exact(12 + 4 * gaps + 4 * dups)?;
                let (gap_blocks, dup_tsns) = v
                    .get(12..)
                    .and_then(|r| r.split_at_checked(4 * gaps))
                    .ok_or_else(bad)?;
                Self::Sack(SackChunk {
                    cumulative_tsn_ack: read_u32(v, 0)?,
                    a_rwnd: read_u32(v, 4)?,
                    gap_blocks,
                    dup_tsns,
                })
            }
            t::HEARTBEAT | t::HEARTBEAT_ACK => {
                TlvIter::new(v)
                    .next()
                    .transpose()?
                    .filter(|p| p.tlv_type == PARAM_HEARTBEAT_INFO)
                    .ok_or_else(bad)?;
                if ty == t::HEARTBEAT {
                    Self::Heartbeat(v)
                } else {
                    Self::HeartbeatAck(v)
                }
            }
            t::ABORT => {
                TlvIter::validate(v)?;
                Self::Abort {
                    t_bit: flags & FLAG_T != 0,
                    causes: v,
                }
            }
            t::ERROR => {
                TlvIter::validate(v)?;
                Self::Error(v)
            }
            t::SHUTDOWN => {
                exact(4)?;
                Self::Shutdown(read_u32(v, 0)?)
            }
            t::SHUTDOWN_ACK => {
                exact(0)?;
                Self::ShutdownAck
            }
            t::SHUTDOWN_COMPLETE => {
                exact(0)?;
                Self::ShutdownComplete {
                    t_bit: flags & FLAG_T != 0,
                }
            }
            t::COOKIE_ECHO => Self::CookieEcho(v),
            t::COOKIE_ACK => {
                exact(0)?;
                Self::CookieAck
            }
            t::FORWARD_TSN => {
                let (head, streams) = v.split_at_checked(4).ok_or_else(bad)?;
                if streams.len() % 4 != 0 {
                    return Err(bad());
                }
                Self::ForwardTsn(ForwardTsnChunk {
                    new_cumulative_tsn: read_u32(head, 0)?,
                    streams,
                })
            }
            t::I_FORWARD_TSN => {
                let (head, entries) = v.split_at_checked(4).ok_or_else(bad)?;
                if entries.len() % 8 != 0 {
                    return Err(bad());
                }
                Self::IForwardTsn(IForwardTsnChunk {
                    new_cumulative_tsn: read_u32(head, 0)?,
                    entries,
                })
            }
            t::RE_CONFIG => {
                let mut n = 0;
                for p in TlvIter::new(v) {
                    ReconfigParam::decode(p?)?;
                    n += 1;
                }
                if !(1..=2).contains(&n) {
                    return Err(bad());
                }
                Self::ReConfig(v)
            }
            _ => Self::Unknown(RawChunk {
                chunk_type: ty,
                flags,
                value: v,
                padding: 0,
            }),
        })
    }

    /// The heartbeat information of a HEARTBEAT or HEARTBEAT-ACK.
    pub fn heartbeat_info(&self) -> Option<&'a [u8]> {
        match self {
            Self::Heartbeat(v) | Self::HeartbeatAck(v) => {
                TlvIter::find(v, PARAM_HEARTBEAT_INFO).map(|t| t.value)
            }
            _ => None,
        }
    }

    /// The decoded parameters of a RE-CONFIG chunk (empty for other chunks).
    pub fn reconfig_params(&self) -> impl Iterator<Item = ReconfigParam<'a>> + 'a {
        let v: &'a [u8] = match self {
            Self::ReConfig(v) => v,
            _ => &[],
        };
        TlvIter::new(v)
            .map_while(Result::ok)
            .filter_map(|t| ReconfigParam::decode(t).ok())
    }

    /// The error causes of an ABORT or ERROR chunk (empty for others).
    pub fn causes(&self) -> impl Iterator<Item = Tlv<'a>> + 'a {
        let v: &'a [u8] = match self {
            Self::Abort { causes, .. } | Self::Error(causes) => causes,
            _ => &[],
        };
        TlvIter::new(v).map_while(Result::ok)
    }

    /// The chunk type number.
    pub fn chunk_type(&self) -> u8 {
        use chunk_type as t;
        match self {
            Self::Data(_) => t::DATA,
            Self::IData(_) => t::I_DATA,
            Self::Init(_) => t::INIT,
            Self::InitAck(_) => t::INIT_ACK,
            Self::Sack(_) => t::SACK,
            Self::Heartbeat(_) => t::HEARTBEAT,
            Self::HeartbeatAck(_) => t::HEARTBEAT_ACK,
            Self::Abort { .. } => t::ABORT,
            Self::Error(_) => t::ERROR,
            Self::Shutdown(_) => t::SHUTDOWN,
            Self::ShutdownAck => t::SHUTDOWN_ACK,
            Self::ShutdownComplete { .. } => t::SHUTDOWN_COMPLETE,
            Self::CookieEcho(_) => t::COOKIE_ECHO,
            Self::CookieAck => t::COOKIE_ACK,
            Self::ForwardTsn(_) => t::FORWARD_TSN,
            Self::IForwardTsn(_) => t::I_FORWARD_TSN,
            Self::ReConfig(_) => t::RE_CONFIG,
            Self::Unknown(r) => r.chunk_type,
        }
    }

    /// Length of the chunk value (what follows the 4-byte chunk header).
    pub fn value_len(&self) -> usize {
        match self {
            Self::Data(d) => DATA_HEADER_LEN + d.payload.len(),
            Self::IData(d) => I_DATA_HEADER_LEN + d.payload.len(),
            Self::Init(i) | Self::InitAck(i) => 16 + i.params.len(),
            Self::Sack(s) => 12 + s.gap_blocks.len() + s.dup_tsns.len(),
            Self::Heartbeat(v)
            | Self::HeartbeatAck(v)
            | Self::Error(v)
            | Self::CookieEcho(v)
            | Self::ReConfig(v) => v.len(),
            Self::Abort { causes, .. } => causes.len(),
            Self::Shutdown(_) => 4,
            Self::ShutdownAck | Self::ShutdownComplete { .. } | Self::CookieAck => 0,
            Self::ForwardTsn(f) => 4 + f.streams.len(),
            Self::IForwardTsn(f) => 4 + f.entries.len(),
            Self::Unknown(r) => r.value.len(),
        }
    }

    /// Length on the wire including the chunk header and padding.
    pub fn padded_len(&self) -> usize {
        (CHUNK_HEADER_LEN + self.value_len() + 3) & !3
    }

    /// Writes the chunk, padded with zeros, into `out`; returns the padded
    /// length. Parse then write reproduces the original bytes.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, SctpError> {
        let flags = match self {
            Self::Data(d) => d.flags,
            Self::IData(d) => d.flags,
            Self::Abort { t_bit, .. } | Self::ShutdownComplete { t_bit } => u8::from(*t_bit),
            Self::Unknown(r) => r.flags,
            _ => 0,
        };
        write_chunk(
            out,
            self.chunk_type(),
            flags,
            self.value_len(),
            |v| match self {
                Self::Data(d) => {
                    put_u32(v, 0, d.tsn);
                    put_u16(v, 4, d.stream_id);
                    put_u16(v, 6, d.ssn);
                    put_u32(v, 8, d.ppid);
                    put(v, DATA_HEADER_LEN, d.payload);
                }
                Self::IData(d) => {
                    put_u32(v, 0, d.tsn);
                    put_u16(v, 4, d.stream_id);
                    put_u16(v, 6, d.reserved);
                    put_u32(v, 8, d.mid);
                    put_u32(v, 12, d.ppid_or_fsn);
                    put(v, I_DATA_HEADER_LEN, d.payload);
                }
                Self::Init(i) | Self::InitAck(i) => {
                    put_u32(v, 0, i.initiate_tag);
                    put_u32(v, 4, i.a_rwnd);
                    put_u16(v, 8, i.outbound_streams);
                    put_u16(v, 10, i.inbound_streams);
                    put_u32(v, 12, i.initial_tsn);
                    put(v, 16, i.params);
                }
                Self::Sack(s) => {
                    put_u32(v, 0, s.cumulative_tsn_ack);
                    put_u32(v, 4, s.a_rwnd);
                    put_u16(v, 8, (s.gap_blocks.len() / 4) as u16);
                    put_u16(v, 10, (s.dup_tsns.len() / 4) as u16);
                    put(v, 12, s.gap_blocks);
                    put(v, 12 + s.gap_blocks.len(), s.dup_tsns);
                }
                Self::Heartbeat(b)
                | Self::HeartbeatAck(b)
                | Self::Error(b)
                | Self::CookieEcho(b)
                | Self::ReConfig(b)
                | Self::Abort { causes: b, .. } => put(v, 0, b),
                Self::Shutdown(cum) => put_u32(v, 0, *cum),
                Self::ShutdownAck | Self::ShutdownComplete { .. } | Self::CookieAck => {}
                Self::ForwardTsn(f) => {
                    put_u32(v, 0, f.new_cumulative_tsn);
                    put(v, 4, f.streams);
                }
                Self::IForwardTsn(f) => {
                    put_u32(v, 0, f.new_cumulative_tsn);
                    put(v, 4, f.entries);
                }
                Self::Unknown(r) => put(v, 0, r.value),
            },
        )
    }
}

/// Writes a chunk header for a value of `value_len` bytes, lets `fill`
/// write the value, zeroes the padding; returns the padded length.
pub(crate) fn write_chunk(
    out: &mut [u8],
    chunk_type: u8,
    flags: u8,
    value_len: usize,
    fill: impl FnOnce(&mut [u8]),
) -> Result<usize, SctpError> {
    let len = CHUNK_HEADER_LEN + value_len;
    let padded = (len + 3) & !3;
    let length = u16::try_from(len).map_err(|_| SctpError::InvalidField("chunk length"))?;
    let available = out.len();
    let dst = out.get_mut(..padded).ok_or(SctpError::BufferTooSmall {
        needed: padded,
        available,
    })?;
    let (head, rest) = dst.split_at_mut(CHUNK_HEADER_LEN);
    put(head, 0, &[chunk_type, flags]);
    put_u16(head, 2, length);
    let (value, pad) = rest.split_at_mut(value_len);
    fill(value);
    pad.fill(0);
    Ok(padded)
}
