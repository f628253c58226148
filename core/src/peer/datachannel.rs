//! The peer connection's data channels (W3C `RTCDataChannel`): created
//! before or after the SCTP association exists, bound to SCTP streams once
//! the DTLS role is known (RFC 8832 §6: client even, server odd), and
//! mapped back from stream ids when their events arrive.

use std::collections::VecDeque;
use std::fmt;
use std::time::Instant;

use crate::datachannel::{
    ChannelOptions, ChannelReliability, DataChannelError, DataChannelEvent, DataChannels,
};

use super::PeerError;
use super::buffer::{Buffer, Origin};
use super::event::PeerEvent;

/// A data channel of this peer connection: a handle that stays valid (and
/// is never reused) for the connection's lifetime. The W3C `id` (the SCTP
/// stream id) is [`super::RTCDataChannel::id`], known once the DTLS role
/// is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DataChannelId(pub(crate) u32);

impl fmt::Display for DataChannelId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// Options of a new data channel (W3C `RTCDataChannelInit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RTCDataChannelInit {
    /// In-order delivery. Default true.
    pub ordered: bool,
    /// Give a message up this many milliseconds after `send`.
    pub max_packet_life_time: Option<u16>,
    /// Give a message up after this many retransmissions.
    pub max_retransmits: Option<u16>,
    /// Sub-protocol name.
    pub protocol: String,
    /// Negotiated by the application on both sides with the same `id`: no
    /// DCEP OPEN is sent.
    pub negotiated: bool,
    /// The stream id of a negotiated channel.
    pub id: Option<u16>,
    /// Priority (RFC 8831 §6.4 weights; 256 is normal).
    pub priority: u16,
}

impl Default for RTCDataChannelInit {
    fn default() -> Self {
        Self {
            ordered: true,
            max_packet_life_time: None,
            max_retransmits: None,
            protocol: String::new(),
            negotiated: false,
            id: None,
            priority: 256,
        }
    }
}

/// The state of a data channel (W3C `RTCDataChannelState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCDataChannelState {
    /// Waiting for the SCTP association (and the DCEP exchange).
    Connecting,
    /// Messages flow.
    Open,
    /// Closing (stream reset under way).
    Closing,
    /// Closed.
    Closed,
}

#[derive(Debug)]
pub(crate) struct Slot {
    pub label: String,
    pub init: RTCDataChannelInit,
    pub stream: Option<u16>,
    pub state: RTCDataChannelState,
    pub low_threshold: usize,
}

/// Every data channel of one connection.
#[derive(Debug, Default)]
pub(crate) struct Channels {
    slots: Vec<Slot>,
    /// (stream id, handle), sorted by stream id.
    by_stream: Vec<(u16, u32)>,
}

impl Channels {
    pub(crate) fn get(&self, id: DataChannelId) -> Option<&Slot> {
        self.slots.get(id.0 as usize)
    }

    pub(crate) fn get_mut(&mut self, id: DataChannelId) -> Option<&mut Slot> {
        self.slots.get_mut(id.0 as usize)
    }

    /// How many channels were ever created (open or not).
    pub(crate) fn len(&self) -> usize {
        self.slots.len()
    }

    /// Whether any channel exists that is not closed.
    pub(crate) fn any_live(&self) -> bool {
        self.slots
            .iter()
            .any(|s| s.state != RTCDataChannelState::Closed)
    }

    fn handle_of(&self, stream: u16) -> Option<DataChannelId> {
        self.by_stream
            .binary_search_by_key(&stream, |&(s, _)| s)
            .ok()
            .and_then(|i| self.by_stream.get(i))
            .map(|&(_, h)| DataChannelId(h))
    }

    fn map_stream(&mut self, stream: u16, handle: u32) {
        match self.by_stream.binary_search_by_key(&stream, |&(s, _)| s) {
            Ok(i) => {
                if let Some(e) = self.by_stream.get_mut(i) {
                    e.1 = handle;
                }
            }
            Err(i) => self.by_stream.insert(i, (stream, handle)),
        }
    }

    fn unmap_stream(&mut self, stream: u16) {
        if let Ok(i) = self.by_stream.binary_search_by_key(&stream, |&(s, _)| s) {
            self.by_stream.remove(i);
        }
    }

    /// Validates `init` (W3C `createDataChannel` steps) and adds a channel.
    pub(crate) fn create(
        &mut self,
        label: &str,
        init: RTCDataChannelInit,
    ) -> Result<DataChannelId, PeerError> {
        if label.len() > usize::from(u16::MAX) || init.protocol.len() > usize::from(u16::MAX) {
            return Err(DataChannelError::LabelTooLong.into());
        }
        if init.max_packet_life_time.is_some() && init.max_retransmits.is_some() {
            return Err(PeerError::InvalidConfiguration(
                "maxPacketLifeTime and maxRetransmits are exclusive",
            ));
        }
        match (init.negotiated, init.id) {
            (true, None) => {
                return Err(PeerError::InvalidConfiguration(
                    "a negotiated data channel needs an id",
                ));
            }
            (_, Some(u16::MAX)) => {
                return Err(PeerError::InvalidConfiguration("data channel id 65535"));
            }
            _ => {}
        }
        if let Some(id) = init.id.filter(|_| init.negotiated)
            && self.handle_of(id).is_some()
        {
            return Err(DataChannelError::IdInUse(id).into());
        }
        let handle = u32::try_from(self.slots.len())
            .map_err(|_| PeerError::InvalidConfiguration("too many data channels"))?;
        self.slots.push(Slot {
            label: label.to_string(),
            init,
            stream: None,
            state: RTCDataChannelState::Connecting,
            low_threshold: 0,
        });
        Ok(DataChannelId(handle))
    }

    /// Creates the SCTP side of channel `id` (the association exists).
    pub(crate) fn bind(
        &mut self,
        id: DataChannelId,
        sctp: &mut DataChannels,
        now: Instant,
        events: &mut VecDeque<PeerEvent>,
    ) {
        let Some(slot) = self.slots.get_mut(id.0 as usize) else {
            return;
        };
        if slot.stream.is_some() || slot.state != RTCDataChannelState::Connecting {
            return;
        }
        let reliability = match (slot.init.max_retransmits, slot.init.max_packet_life_time) {
            (Some(n), _) => ChannelReliability::MaxRetransmits(u32::from(n)),
            (None, Some(ms)) => ChannelReliability::MaxPacketLifetime(u32::from(ms)),
            (None, None) => ChannelReliability::Reliable,
        };
        let options = ChannelOptions {
            label: slot.label.clone(),
            protocol: slot.init.protocol.clone(),
            ordered: slot.init.ordered,
            reliability,
            priority: slot.init.priority,
            negotiated: slot.init.id.filter(|_| slot.init.negotiated),
        };
        match sctp.create_channel(now, options) {
            Ok(stream) => {
                slot.stream = Some(stream);
                if slot.low_threshold > 0 {
                    sctp.set_buffered_amount_low_threshold(stream, slot.low_threshold);
                }
                self.map_stream(stream, id.0);
            }
            Err(error) => {
                slot.state = RTCDataChannelState::Closed;
                events.push_back(PeerEvent::DataChannelError {
                    channel: Some(id),
                    error,
                });
                events.push_back(PeerEvent::DataChannelClose(id));
            }
        }
    }

    /// Binds every channel created before the association existed, in
    /// creation order.
    pub(crate) fn bind_all(
        &mut self,
        sctp: &mut DataChannels,
        now: Instant,
        events: &mut VecDeque<PeerEvent>,
    ) {
        for i in 0..self.slots.len() {
            self.bind(DataChannelId(i as u32), sctp, now, events);
        }
    }

    /// Closes every channel (the association or the connection went away).
    pub(crate) fn close_all(&mut self, events: &mut VecDeque<PeerEvent>) {
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if slot.state != RTCDataChannelState::Closed {
                slot.state = RTCDataChannelState::Closed;
                events.push_back(PeerEvent::DataChannelClose(DataChannelId(i as u32)));
            }
        }
        self.by_stream.clear();
    }

    /// Closes every channel bound to an SCTP stream (the association under
    /// them is gone: a new DTLS association); channels still waiting for a
    /// stream keep waiting, for the next association.
    pub(crate) fn close_bound(&mut self, events: &mut VecDeque<PeerEvent>) {
        for (i, slot) in self.slots.iter_mut().enumerate() {
            if slot.stream.is_some() && slot.state != RTCDataChannelState::Closed {
                slot.state = RTCDataChannelState::Closed;
                events.push_back(PeerEvent::DataChannelClose(DataChannelId(i as u32)));
            }
        }
        self.by_stream.clear();
    }

    /// Turns an event of the data channel layer into the peer
    /// connection's; may push one more event (a remote channel's `Open`)
    /// to `extra`.
    pub(crate) fn translate(
        &mut self,
        event: DataChannelEvent,
        sctp: &mut DataChannels,
        extra: &mut VecDeque<PeerEvent>,
    ) -> Option<PeerEvent> {
        match event {
            DataChannelEvent::Message { id, binary, data } => match self.handle_of(id) {
                Some(channel) => Some(PeerEvent::DataChannelMessage {
                    channel,
                    binary,
                    data: Buffer::new(data, Origin::Sctp),
                }),
                None => {
                    sctp.recycle(data);
                    None
                }
            },
            DataChannelEvent::Open { id, remote: false } => {
                let handle = self.handle_of(id)?;
                let slot = self.slots.get_mut(handle.0 as usize)?;
                slot.state = RTCDataChannelState::Open;
                Some(PeerEvent::DataChannelOpen(handle))
            }
            DataChannelEvent::Open { id, remote: true } => {
                let info = sctp.channel(id)?;
                let (max_retransmits, max_packet_life_time) = match info.reliability {
                    ChannelReliability::Reliable => (None, None),
                    ChannelReliability::MaxRetransmits(n) => {
                        (Some(u16::try_from(n).unwrap_or(u16::MAX)), None)
                    }
                    ChannelReliability::MaxPacketLifetime(ms) => {
                        (None, Some(u16::try_from(ms).unwrap_or(u16::MAX)))
                    }
                };
                let handle = DataChannelId(u32::try_from(self.slots.len()).ok()?);
                self.slots.push(Slot {
                    label: info.label.clone(),
                    init: RTCDataChannelInit {
                        ordered: info.ordered,
                        max_packet_life_time,
                        max_retransmits,
                        protocol: info.protocol.clone(),
                        negotiated: false,
                        id: Some(id),
                        priority: info.priority,
                    },
                    stream: Some(id),
                    state: RTCDataChannelState::Open,
                    low_threshold: 0,
                });
                self.map_stream(id, handle.0);
                extra.push_back(PeerEvent::DataChannelOpen(handle));
                Some(PeerEvent::DataChannel(handle))
            }
            DataChannelEvent::BufferedAmountLow { id } => self
                .handle_of(id)
                .map(PeerEvent::DataChannelBufferedAmountLow),
            DataChannelEvent::Closed { id } => {
                let handle = self.handle_of(id)?;
                self.unmap_stream(id);
                let slot = self.slots.get_mut(handle.0 as usize)?;
                if slot.state == RTCDataChannelState::Closed {
                    return None;
                }
                slot.state = RTCDataChannelState::Closed;
                Some(PeerEvent::DataChannelClose(handle))
            }
            DataChannelEvent::Error { id, error } => Some(PeerEvent::DataChannelError {
                channel: self.handle_of(id),
                error,
            }),
            DataChannelEvent::Connected
            | DataChannelEvent::AssociationRestarted
            | DataChannelEvent::AssociationClosed
            | DataChannelEvent::AssociationAborted(_) => None,
        }
    }

    /// Marks channel `id` closing (or closed at once when it never got a
    /// stream); returns its stream id to reset.
    pub(crate) fn begin_close(
        &mut self,
        id: DataChannelId,
        events: &mut VecDeque<PeerEvent>,
    ) -> Result<Option<u16>, PeerError> {
        let slot = self
            .slots
            .get_mut(id.0 as usize)
            .ok_or(PeerError::NoSuchDataChannel(id.0))?;
        match slot.state {
            RTCDataChannelState::Closing | RTCDataChannelState::Closed => Ok(None),
            RTCDataChannelState::Connecting if slot.stream.is_none() => {
                slot.state = RTCDataChannelState::Closed;
                events.push_back(PeerEvent::DataChannelClose(id));
                Ok(None)
            }
            _ => {
                slot.state = RTCDataChannelState::Closing;
                Ok(slot.stream)
            }
        }
    }
}
