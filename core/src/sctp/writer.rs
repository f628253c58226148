//! [`PacketWriter`]: builds an SCTP packet chunk by chunk in a caller
//! buffer, then stamps the CRC32c (or zero, RFC 9653).

use super::checksum;
use super::chunk::{
    ChunkView, DATA_HEADER_LEN, FLAG_T, I_DATA_HEADER_LEN, chunk_type, write_chunk,
};
use super::error::SctpError;
use super::packet::{CHUNK_HEADER_LEN, COMMON_HEADER_LEN, CommonHeader};
use super::param::{
    PARAM_FORWARD_TSN_SUPPORTED, PARAM_HEARTBEAT_INFO, PARAM_STATE_COOKIE,
    PARAM_SUPPORTED_EXTENSIONS, PARAM_ZERO_CHECKSUM_ACCEPTABLE, ReconfigParam, write_tlv,
};
use super::{put, put_u16, put_u32};

/// Fields of a DATA chunk to write (the payload is passed separately).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DataHeader {
    /// Flags (`FLAG_BEGIN | FLAG_END | FLAG_UNORDERED | FLAG_IMMEDIATE`).
    pub flags: u8,
    /// Transmission sequence number.
    pub tsn: u32,
    /// Stream identifier.
    pub stream_id: u16,
    /// Stream sequence number.
    pub ssn: u16,
    /// Payload protocol identifier.
    pub ppid: u32,
}

/// Fixed fields and the parameters this implementation sends in INIT and
/// INIT-ACK.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct InitFields<'a> {
    /// Initiate tag (non-zero).
    pub initiate_tag: u32,
    /// Advertised receiver window.
    pub a_rwnd: u32,
    /// Outbound streams.
    pub outbound_streams: u16,
    /// Inbound streams.
    pub inbound_streams: u16,
    /// Initial TSN.
    pub initial_tsn: u32,
    /// Send the forward-TSN-supported parameter (RFC 3758).
    pub forward_tsn: bool,
    /// Chunk types for the supported extensions parameter (empty: none).
    pub supported_extensions: &'a [u8],
    /// Send zero checksum acceptable with this EDMID (RFC 9653).
    pub zero_checksum_edmid: Option<u32>,
    /// State cookie (INIT-ACK only).
    pub state_cookie: Option<&'a [u8]>,
}

/// Builds one SCTP packet in a caller buffer. Every chunk is written with
/// its padding; [`finish`](Self::finish) stamps the checksum and returns
/// the packet length.
#[derive(Debug)]
pub struct PacketWriter<'b> {
    buf: &'b mut [u8],
    len: usize,
    chunks: usize,
}

impl<'b> PacketWriter<'b> {
    /// Starts a packet with this common header (its checksum field is
    /// ignored) in `buf`. The usable packet size is `buf.len()`: pass a
    /// slice of the path MTU's payload size to bound the packet.
    pub fn new(buf: &'b mut [u8], header: CommonHeader) -> Result<Self, SctpError> {
        CommonHeader {
            checksum: 0,
            ..header
        }
        .write(buf)?;
        Ok(Self {
            buf,
            len: COMMON_HEADER_LEN,
            chunks: 0,
        })
    }

    /// Bytes written so far.
    pub fn len(&self) -> usize {
        self.len
    }

    /// True when no chunk has been written.
    pub fn is_empty(&self) -> bool {
        self.chunks == 0
    }

    /// Number of chunks written.
    pub fn chunk_count(&self) -> usize {
        self.chunks
    }

    /// Bytes left for further chunks (headers and padding included).
    pub fn remaining(&self) -> usize {
        self.buf.len().saturating_sub(self.len)
    }

    /// Largest DATA payload that still fits.
    pub fn data_room(&self) -> usize {
        (self.remaining() & !3).saturating_sub(CHUNK_HEADER_LEN + DATA_HEADER_LEN)
    }

    fn chunk(
        &mut self,
        chunk_type: u8,
        flags: u8,
        value_len: usize,
        fill: impl FnOnce(&mut [u8]),
    ) -> Result<(), SctpError> {
        let out = self.buf.get_mut(self.len..).unwrap_or_default();
        let n = write_chunk(out, chunk_type, flags, value_len, fill)?;
        self.len += n;
        self.chunks += 1;
        Ok(())
    }

    /// Writes any decoded chunk as it was received.
    pub fn push(&mut self, chunk: &ChunkView<'_>) -> Result<(), SctpError> {
        let out = self.buf.get_mut(self.len..).unwrap_or_default();
        let n = chunk.write(out)?;
        self.len += n;
        self.chunks += 1;
        Ok(())
    }

    /// Writes a DATA chunk.
    pub fn data(&mut self, h: &DataHeader, payload: &[u8]) -> Result<(), SctpError> {
        if payload.is_empty() {
            return Err(SctpError::EmptyMessage);
        }
        self.chunk(
            chunk_type::DATA,
            h.flags,
            DATA_HEADER_LEN + payload.len(),
            |v| {
                put_u32(v, 0, h.tsn);
                put_u16(v, 4, h.stream_id);
                put_u16(v, 6, h.ssn);
                put_u32(v, 8, h.ppid);
                put(v, DATA_HEADER_LEN, payload);
            },
        )
    }

    /// Writes an I-DATA chunk (RFC 8260): `ppid_or_fsn` is the PPID on the
    /// first fragment and the fragment sequence number on the others.
    pub fn i_data(
        &mut self,
        flags: u8,
        tsn: u32,
        stream_id: u16,
        mid: u32,
        ppid_or_fsn: u32,
        payload: &[u8],
    ) -> Result<(), SctpError> {
        if payload.is_empty() {
            return Err(SctpError::EmptyMessage);
        }
        self.chunk(
            chunk_type::I_DATA,
            flags,
            I_DATA_HEADER_LEN + payload.len(),
            |v| {
                put_u32(v, 0, tsn);
                put_u16(v, 4, stream_id);
                put_u16(v, 6, 0);
                put_u32(v, 8, mid);
                put_u32(v, 12, ppid_or_fsn);
                put(v, I_DATA_HEADER_LEN, payload);
            },
        )
    }

    /// Writes an INIT (`ack == false`) or INIT-ACK chunk.
    pub fn init(&mut self, ack: bool, f: &InitFields<'_>) -> Result<(), SctpError> {
        let tlv = |n: usize| (4 + n + 3) & !3;
        let mut params = 0;
        if let Some(c) = f.state_cookie {
            params += tlv(c.len());
        }
        if f.forward_tsn {
            params += 4;
        }
        if !f.supported_extensions.is_empty() {
            params += tlv(f.supported_extensions.len());
        }
        if f.zero_checksum_edmid.is_some() {
            params += 8;
        }
        let t = if ack {
            chunk_type::INIT_ACK
        } else {
            chunk_type::INIT
        };
        self.chunk(t, 0, 16 + params, |v| {
            put_u32(v, 0, f.initiate_tag);
            put_u32(v, 4, f.a_rwnd);
            put_u16(v, 8, f.outbound_streams);
            put_u16(v, 10, f.inbound_streams);
            put_u32(v, 12, f.initial_tsn);
            let mut at = 16;
            let mut add = |v: &mut [u8], ty: u16, value: &[u8]| {
                let out = v.get_mut(at..).unwrap_or_default();
                at += write_tlv(out, ty, value.len(), |d| d.copy_from_slice(value)).unwrap_or(0);
            };
            if let Some(c) = f.state_cookie {
                add(v, PARAM_STATE_COOKIE, c);
            }
            if f.forward_tsn {
                add(v, PARAM_FORWARD_TSN_SUPPORTED, &[]);
            }
            if !f.supported_extensions.is_empty() {
                add(v, PARAM_SUPPORTED_EXTENSIONS, f.supported_extensions);
            }
            if let Some(e) = f.zero_checksum_edmid {
                add(v, PARAM_ZERO_CHECKSUM_ACCEPTABLE, &e.to_be_bytes());
            }
        })
    }

    /// Writes a SACK chunk.
    pub fn sack(
        &mut self,
        cumulative_tsn_ack: u32,
        a_rwnd: u32,
        gap_blocks: &[(u16, u16)],
        dup_tsns: &[u32],
    ) -> Result<(), SctpError> {
        let gaps =
            u16::try_from(gap_blocks.len()).map_err(|_| SctpError::InvalidField("gap blocks"))?;
        let dups =
            u16::try_from(dup_tsns.len()).map_err(|_| SctpError::InvalidField("dup TSNs"))?;
        let len = 12 + 4 * gap_blocks.len() + 4 * dup_tsns.len();
        self.chunk(chunk_type::SACK, 0, len, |v| {
            put_u32(v, 0, cumulative_tsn_ack);
            put_u32(v, 4, a_rwnd);
            put_u16(v, 8, gaps);
            put_u16(v, 10, dups);
            let mut at = 12;
            for &(s, e) in gap_blocks {
                put_u16(v, at, s);
                put_u16(v, at + 2, e);
                at += 4;
            }
            for &d in dup_tsns {
                put_u32(v, at, d);
                at += 4;
            }
        })
    }

    /// Writes a HEARTBEAT carrying `info` in a heartbeat info parameter.
    pub fn heartbeat(&mut self, info: &[u8]) -> Result<(), SctpError> {
        let plen = (4 + info.len() + 3) & !3;
        self.chunk(chunk_type::HEARTBEAT, 0, plen, |v| {
            let _ = write_tlv(v, PARAM_HEARTBEAT_INFO, info.len(), |d| {
                d.copy_from_slice(info)
            });
        })
    }

    /// Writes a HEARTBEAT-ACK echoing the HEARTBEAT's value (its parameters).
    pub fn heartbeat_ack(&mut self, heartbeat_value: &[u8]) -> Result<(), SctpError> {
        self.chunk(chunk_type::HEARTBEAT_ACK, 0, heartbeat_value.len(), |v| {
            put(v, 0, heartbeat_value)
        })
    }

    /// Writes an ABORT with at most one cause (`cause_value` is the cause's
    /// value after its 4-byte header).
    pub fn abort(&mut self, t_bit: bool, cause: Option<(u16, &[u8])>) -> Result<(), SctpError> {
        self.with_cause(chunk_type::ABORT, if t_bit { FLAG_T } else { 0 }, cause)
    }

    /// Writes an ERROR chunk with one cause.
    pub fn error(&mut self, code: u16, value: &[u8]) -> Result<(), SctpError> {
        self.with_cause(chunk_type::ERROR, 0, Some((code, value)))
    }

    fn with_cause(
        &mut self,
        t: u8,
        flags: u8,
        cause: Option<(u16, &[u8])>,
    ) -> Result<(), SctpError> {
        let len = cause.map_or(0, |(_, v)| (4 + v.len() + 3) & !3);
        self.chunk(t, flags, len, |v| {
            if let Some((code, value)) = cause {
                let _ = write_tlv(v, code, value.len(), |d| d.copy_from_slice(value));
            }
        })
    }

    /// Writes a SHUTDOWN.
    pub fn shutdown(&mut self, cumulative_tsn_ack: u32) -> Result<(), SctpError> {
        self.chunk(chunk_type::SHUTDOWN, 0, 4, |v| {
            put_u32(v, 0, cumulative_tsn_ack)
        })
    }

    /// Writes a SHUTDOWN-ACK.
    pub fn shutdown_ack(&mut self) -> Result<(), SctpError> {
        self.chunk(chunk_type::SHUTDOWN_ACK, 0, 0, |_| {})
    }

    /// Writes a SHUTDOWN-COMPLETE.
    pub fn shutdown_complete(&mut self, t_bit: bool) -> Result<(), SctpError> {
        self.chunk(chunk_type::SHUTDOWN_COMPLETE, u8::from(t_bit), 0, |_| {})
    }

    /// Writes a COOKIE-ECHO.
    pub fn cookie_echo(&mut self, cookie: &[u8]) -> Result<(), SctpError> {
        self.chunk(chunk_type::COOKIE_ECHO, 0, cookie.len(), |v| {
            put(v, 0, cookie)
        })
    }

    /// Writes a COOKIE-ACK.
    pub fn cookie_ack(&mut self) -> Result<(), SctpError> {
        self.chunk(chunk_type::COOKIE_ACK, 0, 0, |_| {})
    }

    /// Writes a FORWARD-TSN with (stream, SSN) pairs.
    pub fn forward_tsn(
        &mut self,
        new_cumulative_tsn: u32,
        streams: &[(u16, u16)],
    ) -> Result<(), SctpError> {
        self.chunk(chunk_type::FORWARD_TSN, 0, 4 + 4 * streams.len(), |v| {
            put_u32(v, 0, new_cumulative_tsn);
            let mut at = 4;
            for &(s, ssn) in streams {
                put_u16(v, at, s);
                put_u16(v, at + 2, ssn);
                at += 4;
            }
        })
    }

    /// Writes an I-FORWARD-TSN (RFC 8260 §2.3.1) with (stream, unordered,
    /// MID) entries.
    pub fn i_forward_tsn(
        &mut self,
        new_cumulative_tsn: u32,
        entries: &[(u16, bool, u32)],
    ) -> Result<(), SctpError> {
        self.chunk(chunk_type::I_FORWARD_TSN, 0, 4 + 8 * entries.len(), |v| {
            put_u32(v, 0, new_cumulative_tsn);
            let mut at = 4;
            for &(s, unordered, mid) in entries {
                put_u16(v, at, s);
                put_u16(v, at + 2, u16::from(unordered));
                put_u32(v, at + 4, mid);
                at += 8;
            }
        })
    }

    /// Writes a RE-CONFIG chunk with one or two parameters.
    pub fn reconfig(&mut self, params: &[ReconfigParam<'_>]) -> Result<(), SctpError> {
        let mut scratch = [0u8; 0];
        let mut len = 0;
        for p in params {
            len += match p.write(&mut scratch) {
                Err(SctpError::BufferTooSmall { needed, .. }) => needed,
                Ok(n) => n,
                Err(e) => return Err(e),
            };
        }
        self.chunk(chunk_type::RE_CONFIG, 0, len, |v| {
            let mut at = 0;
            for p in params {
                at += p.write(v.get_mut(at..).unwrap_or_default()).unwrap_or(0);
            }
        })
    }

    /// Stamps the checksum (CRC32c, or zero with `zero_checksum`, RFC 9653)
    /// and returns the packet length.
    pub fn finish(self, zero_checksum: bool) -> usize {
        let packet = self.buf.get_mut(..self.len).unwrap_or_default();
        if !zero_checksum {
            checksum::write_checksum(packet);
        }
        self.len
    }
}
