//! The Data Channel Establishment Protocol messages (RFC 8832 §5) and the
//! WebRTC payload protocol identifiers (RFC 8831 §8).

use super::error::DataChannelError;

/// PPID of DCEP messages.
pub const PPID_DCEP: u32 = 50;
/// PPID of a non-empty UTF-8 string message.
pub const PPID_STRING: u32 = 51;
/// PPID of a non-empty binary message.
pub const PPID_BINARY: u32 = 53;
/// PPID of an empty string message (sent as one zero byte).
pub const PPID_STRING_EMPTY: u32 = 56;
/// PPID of an empty binary message (sent as one zero byte).
pub const PPID_BINARY_EMPTY: u32 = 57;
/// Deprecated PPID of a partial string message (RFC 8831 §8), still
/// received from old peers; treated as string.
pub const PPID_STRING_PARTIAL: u32 = 54;
/// Deprecated PPID of a partial binary message; treated as binary.
pub const PPID_BINARY_PARTIAL: u32 = 52;

/// DCEP message type of DATA_CHANNEL_ACK.
pub const MESSAGE_ACK: u8 = 0x02;
/// DCEP message type of DATA_CHANNEL_OPEN.
pub const MESSAGE_OPEN: u8 = 0x03;

/// Length of the fixed part of DATA_CHANNEL_OPEN.
const OPEN_HEADER_LEN: usize = 12;

/// Channel type of DATA_CHANNEL_OPEN (RFC 8832 §5.1): reliability and order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelType {
    /// 0x00: reliable, ordered.
    Reliable,
    /// 0x80: reliable, unordered.
    ReliableUnordered,
    /// 0x01: partial reliability by retransmissions, ordered.
    PartialReliableRexmit,
    /// 0x81: partial reliability by retransmissions, unordered.
    PartialReliableRexmitUnordered,
    /// 0x02: partial reliability by lifetime, ordered.
    PartialReliableTimed,
    /// 0x82: partial reliability by lifetime, unordered.
    PartialReliableTimedUnordered,
}

impl ChannelType {
    /// Decodes the channel type byte.
    pub fn from_u8(v: u8) -> Result<Self, DataChannelError> {
        Ok(match v {
            0x00 => Self::Reliable,
            0x80 => Self::ReliableUnordered,
            0x01 => Self::PartialReliableRexmit,
            0x81 => Self::PartialReliableRexmitUnordered,
            0x02 => Self::PartialReliableTimed,
            0x82 => Self::PartialReliableTimedUnordered,
            other => return Err(DataChannelError::UnknownChannelType(other)),
        })
    }

    /// The channel type byte.
    pub fn to_u8(self) -> u8 {
        match self {
            Self::Reliable => 0x00,
            Self::ReliableUnordered => 0x80,
            Self::PartialReliableRexmit => 0x01,
            Self::PartialReliableRexmitUnordered => 0x81,
            Self::PartialReliableTimed => 0x02,
            Self::PartialReliableTimedUnordered => 0x82,
        }
    }

    /// True for the unordered types.
    pub fn unordered(self) -> bool {
        self.to_u8() & 0x80 != 0
    }
}

/// A DATA_CHANNEL_OPEN message, borrowing label and protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DataChannelOpen<'a> {
    /// Channel type.
    pub channel_type: ChannelType,
    /// Priority (RFC 8831 §6.4; 128 below normal, 256 normal, 512 high, 1024 extra high).
    pub priority: u16,
    /// Retransmissions (rexmit types) or lifetime in ms (timed types); 0 for reliable.
    pub reliability_parameter: u32,
    /// Label (UTF-8 as sent).
    pub label: &'a [u8],
    /// Sub-protocol (UTF-8 as sent).
    pub protocol: &'a [u8],
}

/// A DCEP message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DcepMessage<'a> {
    /// DATA_CHANNEL_OPEN.
    Open(DataChannelOpen<'a>),
    /// DATA_CHANNEL_ACK.
    Ack,
}

fn be16(b: &[u8], off: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(off..off + 2)?.try_into().ok()?))
}

impl<'a> DcepMessage<'a> {
    /// Parses a DCEP message (the payload of a PPID 50 message).
    pub fn parse(buf: &'a [u8]) -> Result<Self, DataChannelError> {
        let (&ty, _) = buf.split_first().ok_or(DataChannelError::Truncated)?;
        match ty {
            MESSAGE_ACK => Ok(Self::Ack),
            MESSAGE_OPEN => {
                let head = buf
                    .get(..OPEN_HEADER_LEN)
                    .ok_or(DataChannelError::Truncated)?;
                let channel_type =
                    ChannelType::from_u8(*head.get(1).ok_or(DataChannelError::Truncated)?)?;
                let priority = be16(head, 2).ok_or(DataChannelError::Truncated)?;
                let rel = head.get(4..8).and_then(|b| <[u8; 4]>::try_from(b).ok());
                let reliability_parameter =
                    u32::from_be_bytes(rel.ok_or(DataChannelError::Truncated)?);
                let label_len = usize::from(be16(head, 8).ok_or(DataChannelError::Truncated)?);
                let protocol_len = usize::from(be16(head, 10).ok_or(DataChannelError::Truncated)?);
                let rest = buf.get(OPEN_HEADER_LEN..).unwrap_or_default();
                let (label, rest) = rest
                    .split_at_checked(label_len)
                    .ok_or(DataChannelError::Truncated)?;
                let protocol = rest
                    .get(..protocol_len)
                    .ok_or(DataChannelError::Truncated)?;
                Ok(Self::Open(DataChannelOpen {
                    channel_type,
                    priority,
                    reliability_parameter,
                    label,
                    protocol,
                }))
            }
            other => Err(DataChannelError::UnknownMessageType(other)),
        }
    }

    /// Bytes [`write`](Self::write) needs.
    pub fn encoded_len(&self) -> usize {
        match self {
            Self::Ack => 1,
            Self::Open(o) => OPEN_HEADER_LEN + o.label.len() + o.protocol.len(),
        }
    }

    /// Writes the message into `out`; returns its length.
    pub fn write(&self, out: &mut [u8]) -> Result<usize, DataChannelError> {
        let n = self.encoded_len();
        let dst = out.get_mut(..n).ok_or(DataChannelError::BufferTooSmall)?;
        match self {
            Self::Ack => {
                if let Some(b) = dst.first_mut() {
                    *b = MESSAGE_ACK;
                }
            }
            Self::Open(o) => {
                let label_len =
                    u16::try_from(o.label.len()).map_err(|_| DataChannelError::LabelTooLong)?;
                let protocol_len =
                    u16::try_from(o.protocol.len()).map_err(|_| DataChannelError::LabelTooLong)?;
                let (head, rest) = dst.split_at_mut(OPEN_HEADER_LEN);
                head.copy_from_slice(&{
                    let mut h = [0u8; OPEN_HEADER_LEN];
                    h[0] = MESSAGE_OPEN;
                    h[1] = o.channel_type.to_u8();
                    h[2..4].copy_from_slice(&o.priority.to_be_bytes());
                    h[4..8].copy_from_slice(&o.reliability_parameter.to_be_bytes());
                    h[8..10].copy_from_slice(&label_len.to_be_bytes());
                    h[10..12].copy_from_slice(&protocol_len.to_be_bytes());
                    h
                });
                let (label, protocol) = rest.split_at_mut(o.label.len());
                label.copy_from_slice(o.label);
                protocol.copy_from_slice(o.protocol);
            }
        }
        Ok(n)
    }
}
