//! [`RTCDataChannel`]: a data channel borrowed from its peer connection,
//! with the W3C `RTCDataChannel` attributes and methods.

use super::PeerError;
use super::connection::RTCPeerConnection;
use super::datachannel::{DataChannelId, RTCDataChannelInit, RTCDataChannelState};

/// Default `a=max-message-size` when the peer gives none (RFC 8841 §6.1).
const DEFAULT_REMOTE_MAX_MESSAGE_SIZE: usize = 64 * 1024;

/// A data channel of a peer connection (W3C `RTCDataChannel`), from
/// [`RTCPeerConnection::data_channel`].
#[derive(Debug)]
pub struct RTCDataChannel<'a> {
    pc: &'a mut RTCPeerConnection,
    id: DataChannelId,
}

impl RTCPeerConnection {
    /// The data channel `id`, to send on, close or inspect.
    pub fn data_channel(&mut self, id: DataChannelId) -> Option<RTCDataChannel<'_>> {
        self.channels.get(id)?;
        Some(RTCDataChannel { pc: self, id })
    }
}

impl RTCDataChannel<'_> {
    /// The handle.
    pub fn handle(&self) -> DataChannelId {
        self.id
    }

    fn init(&self) -> Option<&RTCDataChannelInit> {
        self.pc.channels.get(self.id).map(|s| &s.init)
    }

    /// The label.
    pub fn label(&self) -> &str {
        self.pc
            .channels
            .get(self.id)
            .map_or("", |s| s.label.as_str())
    }

    /// The SCTP stream id (W3C `id`), once known.
    pub fn id(&self) -> Option<u16> {
        self.pc.channels.get(self.id).and_then(|s| s.stream)
    }

    /// The sub-protocol.
    pub fn protocol(&self) -> &str {
        self.init().map_or("", |i| i.protocol.as_str())
    }

    /// In-order delivery.
    pub fn ordered(&self) -> bool {
        self.init().is_some_and(|i| i.ordered)
    }

    /// `maxRetransmits`.
    pub fn max_retransmits(&self) -> Option<u16> {
        self.init().and_then(|i| i.max_retransmits)
    }

    /// `maxPacketLifeTime` in milliseconds.
    pub fn max_packet_life_time(&self) -> Option<u16> {
        self.init().and_then(|i| i.max_packet_life_time)
    }

    /// Negotiated out of band.
    pub fn negotiated(&self) -> bool {
        self.init().is_some_and(|i| i.negotiated)
    }

    /// The state.
    pub fn ready_state(&self) -> RTCDataChannelState {
        self.pc
            .channels
            .get(self.id)
            .map_or(RTCDataChannelState::Closed, |s| s.state)
    }

    /// Bytes queued and not yet sent (W3C `bufferedAmount`).
    pub fn buffered_amount(&self) -> usize {
        match (self.id(), self.pc.transport.sctp()) {
            (Some(stream), Some(sctp)) => sctp.buffered_amount(stream),
            _ => 0,
        }
    }

    /// Sets `bufferedAmountLowThreshold`:
    /// [`super::PeerEvent::DataChannelBufferedAmountLow`] fires when the
    /// buffered amount falls to it.
    pub fn set_buffered_amount_low_threshold(&mut self, threshold: usize) {
        if let Some(slot) = self.pc.channels.get_mut(self.id) {
            slot.low_threshold = threshold;
            if let (Some(stream), Some(sctp)) = (slot.stream, self.pc.transport.sctp_mut()) {
                sctp.set_buffered_amount_low_threshold(stream, threshold);
            }
        }
    }

    /// Sends a binary message.
    ///
    /// # Errors
    /// As [`send_text`](Self::send_text).
    pub fn send(&mut self, data: &[u8]) -> Result<(), PeerError> {
        self.send_message(data, true)
    }

    /// Sends a text message.
    ///
    /// # Errors
    /// [`PeerError::DataChannelNotOpen`] unless open;
    /// [`PeerError::DataChannel`] for a message larger than the peer's
    /// `a=max-message-size` or a full send buffer.
    pub fn send_text(&mut self, text: &str) -> Result<(), PeerError> {
        self.send_message(text.as_bytes(), false)
    }

    fn send_message(&mut self, data: &[u8], binary: bool) -> Result<(), PeerError> {
        let pc = &mut *self.pc;
        if pc.closed {
            return Err(PeerError::Closed);
        }
        // let-else, not `ok_or`: no error value is built (and dropped) per
        // message on the hot path.
        let Some(slot) = pc.channels.get(self.id) else {
            return Err(PeerError::NoSuchDataChannel(self.id.0));
        };
        let (RTCDataChannelState::Open, Some(stream)) = (slot.state, slot.stream) else {
            return Err(PeerError::DataChannelNotOpen(self.id.0));
        };
        let max = match pc.remote_max_message_size {
            0 => DEFAULT_REMOTE_MAX_MESSAGE_SIZE,
            n => n,
        };
        if data.len() > max {
            return Err(crate::sctp::SctpError::MessageTooLarge {
                len: data.len(),
                max,
            }
            .into());
        }
        let Some(now) = pc.transport.now() else {
            return Err(PeerError::DataChannelNotOpen(self.id.0));
        };
        let Some(sctp) = pc.transport.sctp_mut() else {
            return Err(PeerError::DataChannelNotOpen(self.id.0));
        };
        sctp.send(now, stream, data, binary)?;
        Ok(())
    }

    /// Closes the channel (W3C `close`): queued messages go out, then its
    /// stream is reset; [`super::PeerEvent::DataChannelClose`] follows.
    ///
    /// # Errors
    /// [`PeerError::NoSuchDataChannel`].
    pub fn close(&mut self) -> Result<(), PeerError> {
        let pc = &mut *self.pc;
        let Some(stream) = pc.channels.begin_close(self.id, &mut pc.events)? else {
            return Ok(());
        };
        if let Some(sctp) = pc.transport.sctp_mut() {
            sctp.close(stream)?;
        }
        Ok(())
    }
}
