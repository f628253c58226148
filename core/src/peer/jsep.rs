//! JSEP (RFC 8829/9429) state: the descriptions applied so far and what
//! each transceiver last negotiated. Offers and answers are built from
//! and read into the SDP model of [`crate::sdp`] once that layer lands;
//! until then the negotiated parameters are applied through
//! `negotiation.rs` directly.

use rand_chacha::ChaCha20Rng;
use rand_core::RngCore;

use super::media::{RTCRtpTransceiverDirection, TransceiverId};

/// Offer/answer bookkeeping.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsepState {
    /// `o=` session id (RFC 8829 §5.2.1: random, 63 bits).
    pub session_id: u64,
    /// `o=` session version, incremented per local description.
    pub session_version: u64,
    /// The mids in m-line order of the current (or pending) local
    /// description.
    pub mids: Vec<String>,
    /// What each transceiver's direction was when last negotiated (the
    /// negotiation-needed check compares against it).
    pub directions: Vec<(TransceiverId, RTCRtpTransceiverDirection)>,
}

impl JsepState {
    pub(crate) fn new(rng: &mut ChaCha20Rng) -> Self {
        Self {
            session_id: rng.next_u64() >> 1,
            ..Self::default()
        }
    }

    /// The first mid (what trickled candidates name as `sdpMid`).
    pub(crate) fn first_mid(&self) -> Option<&str> {
        self.mids.first().map(String::as_str)
    }

    /// The direction transceiver `id` had when it was last negotiated.
    pub(crate) fn negotiated_direction(
        &self,
        id: TransceiverId,
    ) -> Option<RTCRtpTransceiverDirection> {
        self.directions
            .iter()
            .find(|(t, _)| *t == id)
            .map(|&(_, d)| d)
    }

    pub(crate) fn set_negotiated_direction(
        &mut self,
        id: TransceiverId,
        direction: RTCRtpTransceiverDirection,
    ) {
        match self.directions.iter_mut().find(|(t, _)| *t == id) {
            Some(e) => e.1 = direction,
            None => self.directions.push((id, direction)),
        }
    }
}
