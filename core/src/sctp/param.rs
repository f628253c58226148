//! TLV parameters (RFC 9260 §3.2.1): INIT / INIT-ACK parameters, error
//! causes (§3.3.10), RE-CONFIG parameters (RFC 6525 §4) and heartbeat
//! information all share the type-length-value framing read here.

use super::error::SctpError;
use super::{put, put_u16, read_u16, read_u32};

/// INIT parameter: IPv4 address (RFC 9260 §3.3.2.1).
pub const PARAM_IPV4_ADDRESS: u16 = 5;
/// INIT parameter: IPv6 address.
pub const PARAM_IPV6_ADDRESS: u16 = 6;
/// INIT-ACK parameter: state cookie.
pub const PARAM_STATE_COOKIE: u16 = 7;
/// INIT-ACK parameter: unrecognized parameter (wraps one the peer did not know).
pub const PARAM_UNRECOGNIZED: u16 = 8;
/// INIT parameter: cookie preservative.
pub const PARAM_COOKIE_PRESERVATIVE: u16 = 9;
/// INIT parameter: supported address types.
pub const PARAM_SUPPORTED_ADDRESS_TYPES: u16 = 12;
/// HEARTBEAT parameter: heartbeat information (RFC 9260 §3.3.5).
pub const PARAM_HEARTBEAT_INFO: u16 = 1;
/// INIT parameter: ECN capable.
pub const PARAM_ECN_CAPABLE: u16 = 0x8000;
/// INIT parameter: zero checksum acceptable (RFC 9653 §3).
pub const PARAM_ZERO_CHECKSUM_ACCEPTABLE: u16 = 0x8001;
/// INIT parameter: supported extensions (RFC 5061 §4.2.7).
pub const PARAM_SUPPORTED_EXTENSIONS: u16 = 0x8008;
/// INIT parameter: forward-TSN supported (RFC 3758 §3.1).
pub const PARAM_FORWARD_TSN_SUPPORTED: u16 = 0xC000;
/// RE-CONFIG: outgoing SSN reset request (RFC 6525 §4.1).
pub const PARAM_OUTGOING_SSN_RESET: u16 = 13;
/// RE-CONFIG: incoming SSN reset request (RFC 6525 §4.2).
pub const PARAM_INCOMING_SSN_RESET: u16 = 14;
/// RE-CONFIG: SSN/TSN reset request (RFC 6525 §4.3).
pub const PARAM_SSN_TSN_RESET: u16 = 15;
/// RE-CONFIG: re-configuration response (RFC 6525 §4.4).
pub const PARAM_RECONFIG_RESPONSE: u16 = 16;
/// RE-CONFIG: add outgoing streams request (RFC 6525 §4.5).
pub const PARAM_ADD_OUTGOING_STREAMS: u16 = 17;
/// RE-CONFIG: add incoming streams request (RFC 6525 §4.6).
pub const PARAM_ADD_INCOMING_STREAMS: u16 = 18;

/// Error detection method id of DTLS in the zero checksum parameter
/// (RFC 9653 §3, "SCTP over DTLS").
pub const EDMID_DTLS: u32 = 1;

/// One type-length-value item: type and value (padding excluded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tlv<'a> {
    /// Parameter type or cause code.
    pub tlv_type: u16,
    /// The value after the 4-byte TLV header.
    pub value: &'a [u8],
}

impl Tlv<'_> {
    /// Length on the wire, header included, padding excluded.
    pub fn len(&self) -> usize {
        4 + self.value.len()
    }

    /// Always false: a TLV has at least its header.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Writes header, value and zero padding into `out`; returns the
    /// padded length written.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, SctpError> {
        write_tlv(out, self.tlv_type, self.value.len(), |v| {
            v.copy_from_slice(self.value)
        })
    }
}

/// Iterator over a run of TLVs. Stops after the first framing error,
/// which it yields.
#[derive(Debug, Clone)]
pub struct TlvIter<'a> {
    rest: &'a [u8],
}

impl<'a> TlvIter<'a> {
    /// Iterates over the TLVs in `buf`.
    pub fn new(buf: &'a [u8]) -> Self {
        Self { rest: buf }
    }

    /// Checks the framing of every TLV in `buf`.
    pub fn validate(buf: &'a [u8]) -> Result<(), SctpError> {
        Self::new(buf).try_for_each(|t| t.map(|_| ()))
    }

    /// The first TLV of type `tlv_type`, if the framing is valid up to it.
    pub fn find(buf: &'a [u8], tlv_type: u16) -> Option<Tlv<'a>> {
        Self::new(buf)
            .map_while(Result::ok)
            .find(|t| t.tlv_type == tlv_type)
    }
}

impl<'a> Iterator for TlvIter<'a> {
    type Item = Result<Tlv<'a>, SctpError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let buf = self.rest;
        let tlv_type = read_u16(buf, 0).unwrap_or(0);
        let length = read_u16(buf, 2).unwrap_or(0);
        let len = usize::from(length);
        let bad = SctpError::BadParameterLength {
            param_type: tlv_type,
            length,
        };
        let Some(value) = buf.get(4..len).filter(|_| len >= 4) else {
            self.rest = &[];
            return Some(Err(bad));
        };
        let padded = (len + 3) & !3;
        self.rest = match buf.get(padded..) {
            Some(r) => r,
            None if len == buf.len() => &[],
            None => {
                self.rest = &[];
                return Some(Err(bad));
            }
        };
        Some(Ok(Tlv { tlv_type, value }))
    }
}

/// Writes a TLV header for a value of `value_len` bytes, lets `fill`
/// write the value, zeroes the padding; returns the padded length.
pub(crate) fn write_tlv(
    out: &mut [u8],
    tlv_type: u16,
    value_len: usize,
    fill: impl FnOnce(&mut [u8]),
) -> Result<usize, SctpError> {
    let len = 4 + value_len;
    let padded = (len + 3) & !3;
    let length = u16::try_from(len).map_err(|_| SctpError::InvalidField("TLV length"))?;
    let available = out.len();
    let dst = out.get_mut(..padded).ok_or(SctpError::BufferTooSmall {
        needed: padded,
        available,
    })?;
    let (head, rest) = dst.split_at_mut(4);
    put_u16(head, 0, tlv_type);
    put_u16(head, 2, length);
    let (value, pad) = rest.split_at_mut(value_len);
    fill(value);
    pad.fill(0);
    Ok(padded)
}

/// Error cause codes (RFC 9260 §3.3.10).
pub mod cause {
    /// Invalid stream identifier.
    pub const INVALID_STREAM_IDENTIFIER: u16 = 1;
    /// Missing mandatory parameter.
    pub const MISSING_MANDATORY_PARAMETER: u16 = 2;
    /// Stale cookie error.
    pub const STALE_COOKIE: u16 = 3;
    /// Out of resource.
    pub const OUT_OF_RESOURCE: u16 = 4;
    /// Unresolvable address.
    pub const UNRESOLVABLE_ADDRESS: u16 = 5;
    /// Unrecognized chunk type (value: the chunk as received).
    pub const UNRECOGNIZED_CHUNK_TYPE: u16 = 6;
    /// Invalid mandatory parameter.
    pub const INVALID_MANDATORY_PARAMETER: u16 = 7;
    /// Unrecognized parameters.
    pub const UNRECOGNIZED_PARAMETERS: u16 = 8;
    /// No user data (value: the TSN).
    pub const NO_USER_DATA: u16 = 9;
    /// Cookie received while shutting down.
    pub const COOKIE_WHILE_SHUTTING_DOWN: u16 = 10;
    /// Restart of an association with new addresses.
    pub const RESTART_WITH_NEW_ADDRESSES: u16 = 11;
    /// User-initiated abort (value: the upper layer's reason).
    pub const USER_INITIATED_ABORT: u16 = 12;
    /// Protocol violation (value: additional information).
    pub const PROTOCOL_VIOLATION: u16 = 13;
}

/// Result codes of a RE-CONFIG response (RFC 6525 §4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconfigResult {
    /// 0: success, nothing to do.
    SuccessNothingToDo,
    /// 1: success, performed.
    SuccessPerformed,
    /// 2: denied.
    Denied,
    /// 3: error, wrong SSN.
    ErrorWrongSsn,
    /// 4: error, request already in progress.
    ErrorRequestAlreadyInProgress,
    /// 5: error, bad sequence number.
    ErrorBadSequenceNumber,
    /// 6: in progress.
    InProgress,
    /// Any other value.
    Other(u32),
}

impl ReconfigResult {
    /// Decodes a result code.
    pub fn from_u32(v: u32) -> Self {
        match v {
            0 => Self::SuccessNothingToDo,
            1 => Self::SuccessPerformed,
            2 => Self::Denied,
            3 => Self::ErrorWrongSsn,
            4 => Self::ErrorRequestAlreadyInProgress,
            5 => Self::ErrorBadSequenceNumber,
            6 => Self::InProgress,
            o => Self::Other(o),
        }
    }

    /// Encodes the result code.
    pub fn to_u32(self) -> u32 {
        match self {
            Self::SuccessNothingToDo => 0,
            Self::SuccessPerformed => 1,
            Self::Denied => 2,
            Self::ErrorWrongSsn => 3,
            Self::ErrorRequestAlreadyInProgress => 4,
            Self::ErrorBadSequenceNumber => 5,
            Self::InProgress => 6,
            Self::Other(o) => o,
        }
    }
}

/// A stream list inside a RE-CONFIG request: 16-bit stream ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamList<'a>(&'a [u8]);

impl<'a> StreamList<'a> {
    /// The raw bytes (2 per stream; a trailing odd byte is ignored).
    pub fn bytes(&self) -> &'a [u8] {
        self.0
    }

    /// Number of streams listed.
    pub fn len(&self) -> usize {
        self.0.len() / 2
    }

    /// True when no stream is listed (meaning "all streams", RFC 6525).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The stream ids.
    pub fn iter(&self) -> impl Iterator<Item = u16> + 'a {
        self.0.chunks_exact(2).map(|c| read_u16(c, 0).unwrap_or(0))
    }
}

/// A decoded RE-CONFIG parameter (RFC 6525 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReconfigParam<'a> {
    /// Outgoing SSN reset request: the sender resets its outgoing streams.
    OutgoingSsnReset {
        /// Re-configuration request sequence number.
        request_seq: u32,
        /// Response sequence number of the request this answers.
        response_seq: u32,
        /// The sender's last assigned TSN.
        last_tsn: u32,
        /// The streams (empty: all).
        streams: StreamList<'a>,
    },
    /// Incoming SSN reset request: asks the peer to reset its outgoing streams.
    IncomingSsnReset {
        /// Re-configuration request sequence number.
        request_seq: u32,
        /// The streams (empty: all).
        streams: StreamList<'a>,
    },
    /// SSN/TSN reset request.
    SsnTsnReset {
        /// Re-configuration request sequence number.
        request_seq: u32,
    },
    /// Re-configuration response.
    Response {
        /// Sequence number of the request answered.
        response_seq: u32,
        /// The result.
        result: ReconfigResult,
        /// Sender's next TSN and receiver's next TSN, present for SSN/TSN reset.
        next_tsns: Option<(u32, u32)>,
    },
    /// Add outgoing (`incoming == false`) or incoming streams request.
    AddStreams {
        /// True for "add incoming streams".
        incoming: bool,
        /// Re-configuration request sequence number.
        request_seq: u32,
        /// Number of new streams.
        new_streams: u16,
    },
    /// A parameter type this implementation does not decode.
    Unknown(Tlv<'a>),
}

impl<'a> ReconfigParam<'a> {
    /// Decodes one TLV of a RE-CONFIG chunk.
    pub fn decode(tlv: Tlv<'a>) -> Result<Self, SctpError> {
        let v = tlv.value;
        let bad = SctpError::MalformedParameter {
            param_type: tlv.tlv_type,
            len: v.len(),
        };
        let streams_at = |off: usize| -> Result<StreamList<'a>, SctpError> {
            let s = v.get(off..).ok_or(bad)?;
            if s.len() % 2 != 0 {
                return Err(bad);
            }
            Ok(StreamList(s))
        };
        Ok(match tlv.tlv_type {
            PARAM_OUTGOING_SSN_RESET => Self::OutgoingSsnReset {
                request_seq: read_u32(v, 0).map_err(|_| bad)?,
                response_seq: read_u32(v, 4).map_err(|_| bad)?,
                last_tsn: read_u32(v, 8).map_err(|_| bad)?,
                streams: streams_at(12)?,
            },
            PARAM_INCOMING_SSN_RESET => Self::IncomingSsnReset {
                request_seq: read_u32(v, 0).map_err(|_| bad)?,
                streams: streams_at(4)?,
            },
            PARAM_SSN_TSN_RESET => {
                if v.len() != 4 {
                    return Err(bad);
                }
                Self::SsnTsnReset {
                    request_seq: read_u32(v, 0).map_err(|_| bad)?,
                }
            }
            PARAM_RECONFIG_RESPONSE => {
                let next_tsns = match v.len() {
                    8 => None,
                    16 => Some((
                        read_u32(v, 8).map_err(|_| bad)?,
                        read_u32(v, 12).map_err(|_| bad)?,
                    )),
                    _ => return Err(bad),
                };
                Self::Response {
                    response_seq: read_u32(v, 0).map_err(|_| bad)?,
                    result: ReconfigResult::from_u32(read_u32(v, 4).map_err(|_| bad)?),
                    next_tsns,
                }
            }
            PARAM_ADD_OUTGOING_STREAMS | PARAM_ADD_INCOMING_STREAMS => {
                if v.len() != 8 {
                    return Err(bad);
                }
                Self::AddStreams {
                    incoming: tlv.tlv_type == PARAM_ADD_INCOMING_STREAMS,
                    request_seq: read_u32(v, 0).map_err(|_| bad)?,
                    new_streams: read_u16(v, 4).map_err(|_| bad)?,
                }
            }
            _ => Self::Unknown(tlv),
        })
    }

    /// Writes the parameter (padded) into `out`; returns the length written.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, SctpError> {
        match *self {
            Self::OutgoingSsnReset {
                request_seq,
                response_seq,
                last_tsn,
                streams,
            } => write_tlv(out, PARAM_OUTGOING_SSN_RESET, 12 + streams.0.len(), |v| {
                put(v, 0, &request_seq.to_be_bytes());
                put(v, 4, &response_seq.to_be_bytes());
                put(v, 8, &last_tsn.to_be_bytes());
                put(v, 12, streams.0);
            }),
            Self::IncomingSsnReset {
                request_seq,
                streams,
            } => write_tlv(out, PARAM_INCOMING_SSN_RESET, 4 + streams.0.len(), |v| {
                put(v, 0, &request_seq.to_be_bytes());
                put(v, 4, streams.0);
            }),
            Self::SsnTsnReset { request_seq } => write_tlv(out, PARAM_SSN_TSN_RESET, 4, |v| {
                put(v, 0, &request_seq.to_be_bytes())
            }),
            Self::Response {
                response_seq,
                result,
                next_tsns,
            } => {
                let len = if next_tsns.is_some() { 16 } else { 8 };
                write_tlv(out, PARAM_RECONFIG_RESPONSE, len, |v| {
                    put(v, 0, &response_seq.to_be_bytes());
                    put(v, 4, &result.to_u32().to_be_bytes());
                    if let Some((s, r)) = next_tsns {
                        put(v, 8, &s.to_be_bytes());
                        put(v, 12, &r.to_be_bytes());
                    }
                })
            }
            Self::AddStreams {
                incoming,
                request_seq,
                new_streams,
            } => {
                let t = if incoming {
                    PARAM_ADD_INCOMING_STREAMS
                } else {
                    PARAM_ADD_OUTGOING_STREAMS
                };
                write_tlv(out, t, 8, |v| {
                    put(v, 0, &request_seq.to_be_bytes());
                    put(v, 4, &new_streams.to_be_bytes());
                    put(v, 6, &[0, 0]);
                })
            }
            Self::Unknown(tlv) => tlv.write(out),
        }
    }
}

/// Writes a stream list of `ids` into `out` (2 bytes each) and returns it
/// as a [`StreamList`] to put in a [`ReconfigParam`].
pub fn stream_list<'a>(ids: &[u16], out: &'a mut [u8]) -> Result<StreamList<'a>, SctpError> {
    let need = ids.len() * 2;
    let dst = out.get_mut(..need).ok_or(SctpError::BufferTooSmall {
        needed: need,
        available: 0,
    })?;
    for (d, id) in dst.chunks_exact_mut(2).zip(ids) {
        d.copy_from_slice(&id.to_be_bytes());
    }
    Ok(StreamList(dst))
}
