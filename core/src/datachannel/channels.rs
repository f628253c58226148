//! [`DataChannels`]: the data channels of one SCTP association (RFC 8831),
//! opened with DCEP (RFC 8832) or negotiated out of band, closed by
//! stream reset (RFC 8831 §6.7).

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::dcep::{
    ChannelType, DataChannelOpen, DcepMessage, PPID_BINARY, PPID_BINARY_EMPTY, PPID_BINARY_PARTIAL,
    PPID_DCEP, PPID_STRING, PPID_STRING_EMPTY, PPID_STRING_PARTIAL,
};
use super::error::DataChannelError;
use crate::sctp::assoc::StreamMap;
use crate::sctp::{AbortReason, Association, Config, Event, Reliability, SctpError};

/// Which end of the DTLS handshake this peer is: the client uses even
/// stream ids, the server odd ones (RFC 8832 §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DtlsRole {
    /// DTLS client: even ids.
    Client,
    /// DTLS server: odd ids.
    Server,
}

/// How hard a channel's messages are retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ChannelReliability {
    /// Every message arrives.
    #[default]
    Reliable,
    /// A message is given up after this many retransmissions (`maxRetransmits`).
    MaxRetransmits(u32),
    /// A message is given up this many milliseconds after `send` (`maxPacketLifeTime`).
    MaxPacketLifetime(u32),
}

/// Options of a new channel (the W3C `RTCDataChannelInit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelOptions {
    /// Label.
    pub label: String,
    /// Sub-protocol.
    pub protocol: String,
    /// In-order delivery.
    pub ordered: bool,
    /// Partial reliability.
    pub reliability: ChannelReliability,
    /// Priority (256: normal).
    pub priority: u16,
    /// `Some(id)`: negotiated out of band on this id, no DCEP.
    pub negotiated: Option<u16>,
}

impl Default for ChannelOptions {
    fn default() -> Self {
        Self {
            label: String::new(),
            protocol: String::new(),
            ordered: true,
            reliability: ChannelReliability::Reliable,
            priority: 256,
            negotiated: None,
        }
    }
}

/// The state of a channel (W3C `RTCDataChannelState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChannelState {
    /// Waiting for the association.
    Connecting,
    /// Messages flow.
    Open,
    /// Stream reset in progress.
    Closing,
    /// Gone; the id can be reused.
    Closed,
}

/// What a channel is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelInfo {
    /// Stream id.
    pub id: u16,
    /// Label.
    pub label: String,
    /// Sub-protocol.
    pub protocol: String,
    /// In-order delivery.
    pub ordered: bool,
    /// Partial reliability.
    pub reliability: ChannelReliability,
    /// Priority.
    pub priority: u16,
    /// Negotiated out of band.
    pub negotiated: bool,
    /// Opened by the peer.
    pub remote: bool,
    /// State.
    pub state: ChannelState,
}

#[derive(Debug)]
struct Channel {
    info: ChannelInfo,
    /// DCEP ACK received (or not needed): unordered sending allowed.
    acked: bool,
    open_sent: bool,
    outgoing_reset: bool,
    incoming_reset: bool,
}

/// Something that happened to the channels, from [`DataChannels::poll_event`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataChannelEvent {
    /// The SCTP association is up.
    Connected,
    /// A channel opened: ours once the association is up, or one the peer
    /// opened (`remote`; see [`DataChannels::channel`] for its label).
    Open {
        /// Stream id.
        id: u16,
        /// Opened by the peer.
        remote: bool,
    },
    /// A message arrived. Hand `data` back with [`DataChannels::recycle`].
    Message {
        /// Stream id.
        id: u16,
        /// Binary (PPID 53/57) or string (51/56).
        binary: bool,
        /// The message (empty for the "empty" PPIDs).
        data: Vec<u8>,
    },
    /// The unsent bytes of the channel fell to its low threshold.
    BufferedAmountLow {
        /// Stream id.
        id: u16,
    },
    /// The channel closed (both directions reset); its id is free again.
    Closed {
        /// Stream id.
        id: u16,
    },
    /// A bad DCEP message or a message on an unknown channel.
    Error {
        /// Stream id it came on.
        id: u16,
        /// What was wrong.
        error: DataChannelError,
    },
    /// The peer restarted the association; every channel was closed
    /// ([`DataChannelEvent::Connected`] follows).
    AssociationRestarted,
    /// The association shut down; every channel is closed.
    AssociationClosed,
    /// The association was aborted; every channel is closed.
    AssociationAborted(AbortReason),
}

/// The data channels over one SCTP association. Drive it like the
/// association: `handle_receive`, `poll_transmit`, `poll_timeout`,
/// `handle_timeout`, and read [`DataChannelEvent`]s from `poll_event`.
#[derive(Debug)]
pub struct DataChannels {
    assoc: Association,
    role: DtlsRole,
    /// By stream id, with the SCTP layer's hasher: cheap, and the same
    /// iteration order in every run (reproducible under a seed).
    channels: StreamMap<Channel>,
    events: VecDeque<DataChannelEvent>,
    scratch: Vec<u8>,
}

impl DataChannels {
    /// Data channels over a new association with `config`, for the DTLS `role`.
    pub fn new(config: Config, role: DtlsRole, now: Instant) -> Self {
        Self {
            assoc: Association::new(config, now),
            role,
            channels: StreamMap::default(),
            events: VecDeque::new(),
            scratch: Vec::new(),
        }
    }

    /// Starts the SCTP handshake (both WebRTC peers do).
    pub fn connect(&mut self, now: Instant) {
        self.assoc.connect(now);
    }

    /// The association underneath.
    pub fn association(&self) -> &Association {
        &self.assoc
    }

    /// The association underneath, mutably (for shutdown, abort, thresholds).
    pub fn association_mut(&mut self) -> &mut Association {
        &mut self.assoc
    }

    /// A channel's description.
    pub fn channel(&self, id: u16) -> Option<&ChannelInfo> {
        self.channels.get(&id).map(|c| &c.info)
    }

    /// Ids of the channels not yet closed.
    pub fn channel_ids(&self) -> impl Iterator<Item = u16> + '_ {
        self.channels.keys().copied()
    }

    fn id_available(&self, id: u16) -> bool {
        !self.channels.contains_key(&id) && id != u16::MAX
    }

    fn max_streams(&self) -> u16 {
        let n = self.assoc.outbound_streams();
        if n == 0 {
            self.assoc.config().streams
        } else {
            n
        }
    }

    /// Creates a channel (W3C `createDataChannel`): a DCEP OPEN goes out
    /// once the association is up, unless `negotiated`. Returns its id.
    pub fn create_channel(
        &mut self,
        now: Instant,
        options: ChannelOptions,
    ) -> Result<u16, DataChannelError> {
        if options.label.len() > usize::from(u16::MAX)
            || options.protocol.len() > usize::from(u16::MAX)
        {
            return Err(DataChannelError::LabelTooLong);
        }
        let id = match options.negotiated {
            Some(id) => {
                if !self.id_available(id) {
                    return Err(DataChannelError::IdInUse(id));
                }
                id
            }
            None => {
                let first = match self.role {
                    DtlsRole::Client => 0u16,
                    DtlsRole::Server => 1,
                };
                let max = self.max_streams();
                (first..max)
                    .step_by(2)
                    .find(|&id| self.id_available(id))
                    .ok_or(DataChannelError::NoFreeId)?
            }
        };
        let negotiated = options.negotiated.is_some();
        self.channels.insert(
            id,
            Channel {
                info: ChannelInfo {
                    id,
                    label: options.label,
                    protocol: options.protocol,
                    ordered: options.ordered,
                    reliability: options.reliability,
                    priority: options.priority,
                    negotiated,
                    remote: false,
                    state: ChannelState::Connecting,
                },
                acked: negotiated,
                open_sent: negotiated,
                outgoing_reset: false,
                incoming_reset: false,
            },
        );
        if self.assoc.is_established() {
            self.open_channel(now, id);
        }
        Ok(id)
    }

    /// Sends OPEN (if needed) and marks the channel open.
    fn open_channel(&mut self, now: Instant, id: u16) {
        let Some(c) = self.channels.get_mut(&id) else {
            return;
        };
        if c.info.state != ChannelState::Connecting {
            return;
        }
        if !c.open_sent {
            let (channel_type, reliability_parameter) =
                channel_type(c.info.ordered, c.info.reliability);
            let open = DcepMessage::Open(DataChannelOpen {
                channel_type,
                priority: c.info.priority,
                reliability_parameter,
                label: c.info.label.as_bytes(),
                protocol: c.info.protocol.as_bytes(),
            });
            self.scratch.resize(open.encoded_len(), 0);
            let sent = open
                .write(&mut self.scratch)
                .map_err(|_| SctpError::EmptyMessage)
                .and_then(|n| {
                    let msg = self.scratch.get(..n).unwrap_or_default();
                    self.assoc
                        .send(now, id, PPID_DCEP, msg, false, Reliability::Reliable)
                });
            if let Err(e) = sent {
                self.events.push_back(DataChannelEvent::Error {
                    id,
                    error: e.into(),
                });
                return;
            }
            c.open_sent = true;
        }
        c.info.state = ChannelState::Open;
        self.events
            .push_back(DataChannelEvent::Open { id, remote: false });
    }

    /// Sends a message on channel `id`: `binary` (PPID 53) or a UTF-8
    /// string (51); empty messages use PPIDs 57 / 56 (RFC 8831 §6.6).
    pub fn send(
        &mut self,
        now: Instant,
        id: u16,
        data: &[u8],
        binary: bool,
    ) -> Result<(), DataChannelError> {
        let c = self
            .channels
            .get(&id)
            .ok_or(DataChannelError::NoSuchChannel(id))?;
        if c.info.state != ChannelState::Open {
            return Err(DataChannelError::NotOpen(id));
        }
        let (ppid, payload): (u32, &[u8]) = match (binary, data.is_empty()) {
            (true, false) => (PPID_BINARY, data),
            (false, false) => (PPID_STRING, data),
            (true, true) => (PPID_BINARY_EMPTY, &[0]),
            (false, true) => (PPID_STRING_EMPTY, &[0]),
        };
        // RFC 8832 §6: ordered until the OPEN is acknowledged.
        let unordered = !c.info.ordered && c.acked;
        let reliability = match c.info.reliability {
            ChannelReliability::Reliable => Reliability::Reliable,
            ChannelReliability::MaxRetransmits(n) => Reliability::MaxRetransmits(n),
            ChannelReliability::MaxPacketLifetime(ms) => {
                Reliability::MaxLifetime(Duration::from_millis(u64::from(ms)))
            }
        };
        self.assoc
            .send(now, id, ppid, payload, unordered, reliability)?;
        Ok(())
    }

    /// Bytes queued on channel `id` and not yet sent (W3C `bufferedAmount`).
    pub fn buffered_amount(&self, id: u16) -> usize {
        self.assoc.buffered_amount(id)
    }

    /// Sets `bufferedAmountLowThreshold` of channel `id`.
    pub fn set_buffered_amount_low_threshold(&mut self, id: u16, threshold: usize) {
        self.assoc.set_buffered_amount_low_threshold(id, threshold);
    }

    /// Closes channel `id` (RFC 8831 §6.7): queued messages go out, then
    /// the outgoing stream is reset; [`DataChannelEvent::Closed`] follows
    /// when the peer has reset its side too.
    pub fn close(&mut self, id: u16) -> Result<(), DataChannelError> {
        let c = self
            .channels
            .get_mut(&id)
            .ok_or(DataChannelError::NoSuchChannel(id))?;
        match c.info.state {
            ChannelState::Closing | ChannelState::Closed => return Ok(()),
            ChannelState::Connecting => {
                self.channels.remove(&id);
                self.events.push_back(DataChannelEvent::Closed { id });
                return Ok(());
            }
            ChannelState::Open => {}
        }
        c.info.state = ChannelState::Closing;
        self.assoc.reset_streams(&[id])?;
        Ok(())
    }

    /// Gives a received message's buffer back for reuse.
    pub fn recycle(&mut self, data: Vec<u8>) {
        self.assoc.recycle(data);
    }

    /// Feeds one received SCTP packet (the DTLS application data).
    pub fn handle_receive(&mut self, now: Instant, packet: &[u8]) -> Result<(), DataChannelError> {
        let r = self.assoc.handle_receive(now, packet);
        self.process_events(now);
        r.map_err(Into::into)
    }

    /// Next SCTP packet to send (see [`Association::poll_transmit`]).
    pub fn poll_transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        self.assoc.poll_transmit(now, buf)
    }

    /// When [`handle_timeout`](Self::handle_timeout) is due.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.assoc.poll_timeout()
    }

    /// Runs the association's timers.
    pub fn handle_timeout(&mut self, now: Instant) {
        self.assoc.handle_timeout(now);
        self.process_events(now);
    }

    /// Next event.
    pub fn poll_event(&mut self) -> Option<DataChannelEvent> {
        self.events.pop_front()
    }

    fn process_events(&mut self, now: Instant) {
        while let Some(e) = self.assoc.poll_event() {
            match e {
                Event::Connected => {
                    self.events.push_back(DataChannelEvent::Connected);
                    let mut ids: Vec<u16> = self
                        .channels
                        .iter()
                        .filter(|(_, c)| c.info.state == ChannelState::Connecting)
                        .map(|(&id, _)| id)
                        .collect();
                    ids.sort_unstable();
                    for id in ids {
                        self.open_channel(now, id);
                    }
                }
                Event::Message(m) => self.on_message(now, m.stream_id, m.ppid, m.data),
                Event::BufferedAmountLow { stream_id } => self
                    .events
                    .push_back(DataChannelEvent::BufferedAmountLow { id: stream_id }),
                Event::IncomingStreamReset { stream_id } => {
                    if let Some(c) = self.channels.get_mut(&stream_id) {
                        c.incoming_reset = true;
                        if c.info.state == ChannelState::Open {
                            // The peer closed: close our side too.
                            c.info.state = ChannelState::Closing;
                            let _ = self.assoc.reset_streams(&[stream_id]);
                        }
                    }
                    self.maybe_closed(stream_id);
                }
                Event::OutgoingStreamReset { stream_id } => {
                    if let Some(c) = self.channels.get_mut(&stream_id) {
                        c.outgoing_reset = true;
                    }
                    self.maybe_closed(stream_id);
                }
                Event::Restarted => {
                    self.close_all();
                    self.events
                        .push_back(DataChannelEvent::AssociationRestarted);
                }
                Event::Closed => {
                    self.close_all();
                    self.events.push_back(DataChannelEvent::AssociationClosed);
                }
                Event::Aborted(reason) => {
                    self.close_all();
                    self.events
                        .push_back(DataChannelEvent::AssociationAborted(reason));
                }
            }
        }
    }

    fn close_all(&mut self) {
        let mut ids: Vec<u16> = self.channels.keys().copied().collect();
        ids.sort_unstable();
        self.channels.clear();
        for id in ids {
            self.events.push_back(DataChannelEvent::Closed { id });
        }
    }

    fn maybe_closed(&mut self, id: u16) {
        if self
            .channels
            .get(&id)
            .is_some_and(|c| c.outgoing_reset && c.incoming_reset)
        {
            self.channels.remove(&id);
            self.events.push_back(DataChannelEvent::Closed { id });
        }
    }

    fn on_message(&mut self, now: Instant, id: u16, ppid: u32, mut data: Vec<u8>) {
        let binary = match ppid {
            PPID_DCEP => {
                self.on_dcep(now, id, &data);
                self.assoc.recycle(data);
                return;
            }
            PPID_BINARY | PPID_BINARY_PARTIAL => true,
            PPID_STRING | PPID_STRING_PARTIAL => false,
            PPID_BINARY_EMPTY => {
                data.clear();
                true
            }
            PPID_STRING_EMPTY => {
                data.clear();
                false
            }
            other => {
                self.assoc.recycle(data);
                self.events.push_back(DataChannelEvent::Error {
                    id,
                    error: DataChannelError::UnknownPpid(other),
                });
                return;
            }
        };
        match self.channels.get_mut(&id) {
            Some(c) if matches!(c.info.state, ChannelState::Open | ChannelState::Closing) => {
                // Data from the peer implies it saw our OPEN (RFC 8832 §6).
                c.acked = true;
                self.events
                    .push_back(DataChannelEvent::Message { id, binary, data });
            }
            _ => {
                self.assoc.recycle(data);
                self.events.push_back(DataChannelEvent::Error {
                    id,
                    error: DataChannelError::NoSuchChannel(id),
                });
            }
        }
    }

    fn on_dcep(&mut self, now: Instant, id: u16, data: &[u8]) {
        match DcepMessage::parse(data) {
            Ok(DcepMessage::Ack) => {
                if let Some(c) = self.channels.get_mut(&id) {
                    c.acked = true;
                }
            }
            Ok(DcepMessage::Open(open)) => {
                if self.channels.contains_key(&id) {
                    self.events.push_back(DataChannelEvent::Error {
                        id,
                        error: DataChannelError::IdInUse(id),
                    });
                    return;
                }
                let ordered = !open.channel_type.unordered();
                let reliability = match open.channel_type {
                    ChannelType::Reliable | ChannelType::ReliableUnordered => {
                        ChannelReliability::Reliable
                    }
                    ChannelType::PartialReliableRexmit
                    | ChannelType::PartialReliableRexmitUnordered => {
                        ChannelReliability::MaxRetransmits(open.reliability_parameter)
                    }
                    ChannelType::PartialReliableTimed
                    | ChannelType::PartialReliableTimedUnordered => {
                        ChannelReliability::MaxPacketLifetime(open.reliability_parameter)
                    }
                };
                let mut ack = [0u8; 1];
                let _ = DcepMessage::Ack.write(&mut ack);
                if let Err(e) =
                    self.assoc
                        .send(now, id, PPID_DCEP, &ack, false, Reliability::Reliable)
                {
                    self.events.push_back(DataChannelEvent::Error {
                        id,
                        error: e.into(),
                    });
                    return;
                }
                self.channels.insert(
                    id,
                    Channel {
                        info: ChannelInfo {
                            id,
                            label: String::from_utf8_lossy(open.label).into_owned(),
                            protocol: String::from_utf8_lossy(open.protocol).into_owned(),
                            ordered,
                            reliability,
                            priority: open.priority,
                            negotiated: false,
                            remote: true,
                            state: ChannelState::Open,
                        },
                        acked: true,
                        open_sent: true,
                        outgoing_reset: false,
                        incoming_reset: false,
                    },
                );
                self.events
                    .push_back(DataChannelEvent::Open { id, remote: true });
            }
            Err(error) => self.events.push_back(DataChannelEvent::Error { id, error }),
        }
    }
}

/// The DCEP channel type and reliability parameter of a channel.
fn channel_type(ordered: bool, reliability: ChannelReliability) -> (ChannelType, u32) {
    match (ordered, reliability) {
        (true, ChannelReliability::Reliable) => (ChannelType::Reliable, 0),
        (false, ChannelReliability::Reliable) => (ChannelType::ReliableUnordered, 0),
        (true, ChannelReliability::MaxRetransmits(n)) => (ChannelType::PartialReliableRexmit, n),
        (false, ChannelReliability::MaxRetransmits(n)) => {
            (ChannelType::PartialReliableRexmitUnordered, n)
        }
        (true, ChannelReliability::MaxPacketLifetime(ms)) => {
            (ChannelType::PartialReliableTimed, ms)
        }
        (false, ChannelReliability::MaxPacketLifetime(ms)) => {
            (ChannelType::PartialReliableTimedUnordered, ms)
        }
    }
}
