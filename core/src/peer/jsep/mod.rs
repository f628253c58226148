//! JSEP (RFC 8829, updated by RFC 9429): offers and answers built from the
//! peer connection's transceivers and data channels into the SDP model of
//! [`crate::sdp`], and remote and local descriptions validated and applied
//! (through `negotiation.rs`), with the W3C signaling state machine,
//! rollback, trickle ICE and ICE restart.
//!
//! Choices (one transport, rtcp-mux require; the bundle policies are
//! described at [`super::RTCBundlePolicy`]):
//! - every m-line carries `a=ice-ufrag`, `a=ice-pwd`, `a=fingerprint`,
//!   `a=setup` and port 9, and all accepted mids form one BUNDLE group, as
//!   Chromium writes; candidates go in the first m-line;
//! - an offer has `a=setup:actpass`; an answer `active` (we are the DTLS
//!   client, RFC 8842 §5.3) unless a DTLS association exists, whose role
//!   it keeps for an `actpass` re-offer; an offer that takes a role gets
//!   the other one. A changed remote fingerprint starts a new DTLS
//!   association (in the roles of that exchange) when the exchange
//!   completes (RFC 8842 §5, see `negotiation.rs`); roles alone do not
//!   (Firefox re-answers `active` as the DTLS server);
//! - an offer without a BUNDLE group gets all m-lines but the first
//!   rejected (one transport only); m-lines of unknown kinds, audio/video
//!   lines without a common codec and SCTP lines without a port are
//!   rejected (port 0);
//! - a simulcast offer (RFC 8853) is answered with `a=rid ... recv` and
//!   `a=simulcast:recv` for the layers we take (`simulcast.rs`); a sender
//!   made with several `sendEncodings` offers simulcast;
//! - a remote offer's new audio/video m-line takes a transceiver made by
//!   `add_track` of the same kind that has no mid yet, else a new
//!   recvonly one (RFC 8829 §5.10);
//! - an ICE restart changes the ICE agent when the exchange completes (at
//!   the answer), so that rolling back an offer needs no undo.

mod apply;
mod build;
pub(crate) mod convert;
mod rollback;
mod simulcast;

use std::time::Instant;

use rand_chacha::ChaCha20Rng;
use rand_core::RngCore;

use crate::ice::{Candidate, IceCredentials};
use crate::sdp::{MediaKind as SdpKind, Proto, SessionDescription};

use super::PeerError;
use super::connection::RTCPeerConnection;
use super::event::RTCIceCandidateInit;
use super::media::{RTCRtpTransceiverDirection, TransceiverId};
use super::state::RTCSignalingState;

/// The type of a session description (W3C `RTCSdpType`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCSdpType {
    /// An offer.
    Offer,
    /// A provisional answer.
    Pranswer,
    /// A final answer.
    Answer,
    /// Cancels the pending offer (no SDP).
    Rollback,
}

/// A session description with its type (W3C `RTCSessionDescriptionInit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RTCSessionDescription {
    /// Offer, answer, pranswer or rollback.
    pub sdp_type: RTCSdpType,
    /// The SDP text (empty for a rollback, or to apply the last created
    /// offer or answer locally).
    pub sdp: String,
}

impl RTCSessionDescription {
    /// An offer.
    pub fn offer(sdp: impl Into<String>) -> Self {
        Self {
            sdp_type: RTCSdpType::Offer,
            sdp: sdp.into(),
        }
    }

    /// An answer.
    pub fn answer(sdp: impl Into<String>) -> Self {
        Self {
            sdp_type: RTCSdpType::Answer,
            sdp: sdp.into(),
        }
    }

    /// A provisional answer.
    pub fn pranswer(sdp: impl Into<String>) -> Self {
        Self {
            sdp_type: RTCSdpType::Pranswer,
            sdp: sdp.into(),
        }
    }

    /// A rollback.
    pub fn rollback() -> Self {
        Self {
            sdp_type: RTCSdpType::Rollback,
            sdp: String::new(),
        }
    }
}

/// Options of [`RTCPeerConnection::create_offer`] (W3C `RTCOfferOptions`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RTCOfferOptions {
    /// New ICE credentials (as [`RTCPeerConnection::restart_ice`]).
    pub ice_restart: bool,
}

/// What an m-line is used for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum MLineUse {
    /// An audio/video transceiver.
    Media(TransceiverId),
    /// The data channels.
    Data,
    /// Something we reject (unknown kind, or kept after rejection).
    Unsupported,
}

/// One m-line of the negotiated (or pending) layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct MLine {
    pub mid: String,
    pub usage: MLineUse,
    /// For lines we reject: what the m= line said.
    pub kind: SdpKind,
    pub proto: Proto,
    pub formats: Vec<String>,
}

/// A description applied, as text and model.
#[derive(Debug, Clone)]
pub(crate) struct Applied {
    pub sdp_type: RTCSdpType,
    pub model: SessionDescription,
}

/// An ICE restart the peer asked for in its offer, applied with our answer.
#[derive(Debug, Clone)]
pub(crate) struct RemoteRestart {
    /// Our new credentials (in the answer).
    pub local: IceCredentials,
}

/// A transceiver's remote track before a remote offer was applied, to
/// restore it if the offer is rolled back.
#[derive(Debug, Clone)]
pub(crate) struct PreOfferTrack {
    pub id: TransceiverId,
    pub receiving: bool,
    pub track: super::media::MediaStreamTrack,
}

/// Offer/answer bookkeeping.
#[derive(Debug, Clone, Default)]
pub(crate) struct JsepState {
    /// `o=` session id (RFC 8829 §5.2.1: random, 63 bits).
    pub session_id: u64,
    /// `o=` session version, incremented per local description created.
    pub session_version: u64,
    /// `a=ssrc ... cname:` of our senders (RFC 7022: random).
    pub cname: String,
    /// The negotiated m-line layout.
    pub mlines: Vec<MLine>,
    /// The layout of the pending offer (ours or the peer's).
    pub pending_mlines: Option<Vec<MLine>>,
    pub current_local: Option<Applied>,
    pub pending_local: Option<Applied>,
    pub current_remote: Option<Applied>,
    pub pending_remote: Option<Applied>,
    /// The last offer we created, its layout and ICE credentials.
    pub last_offer: Option<(String, Vec<MLine>, IceCredentials)>,
    /// The last answer we created.
    pub last_answer: Option<String>,
    /// Our new ICE credentials, offered and not yet answered.
    pub pending_local_ice: Option<IceCredentials>,
    /// The peer's ICE restart, to apply with our answer.
    pub remote_restart: Option<RemoteRestart>,
    /// Transceivers that got their mid from the pending description.
    pub pending_mids: Vec<TransceiverId>,
    /// Remote tracks before the pending remote offer (for its rollback).
    pub pre_offer_tracks: Vec<PreOfferTrack>,
    /// Remote candidates trickled for a restart not applied yet.
    pub pending_remote_candidates: Vec<Candidate>,
    /// What each transceiver's direction was when last negotiated (the
    /// negotiation-needed check compares against it).
    pub directions: Vec<(TransceiverId, RTCRtpTransceiverDirection)>,
}

impl JsepState {
    pub(crate) fn new(rng: &mut ChaCha20Rng) -> Self {
        let cname: String = (0..16)
            .map(|_| {
                let i = (rng.next_u32() % 62) as u8;
                char::from(match i {
                    0..=25 => b'a' + i,
                    26..=51 => b'A' + (i - 26),
                    _ => b'0' + (i - 52),
                })
            })
            .collect();
        Self {
            session_id: rng.next_u64() >> 1,
            cname,
            ..Self::default()
        }
    }

    /// The layout in effect for new candidates: pending, else current.
    pub(crate) fn layout(&self) -> &[MLine] {
        self.pending_mlines.as_deref().unwrap_or(&self.mlines)
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

    /// The remote description in effect: pending, else current.
    pub(crate) fn remote(&self) -> Option<&Applied> {
        self.pending_remote
            .as_ref()
            .or(self.current_remote.as_ref())
    }
}

impl RTCPeerConnection {
    /// Creates an offer (W3C `createOffer`, RFC 8829 §5.2): one m-line per
    /// transceiver and one for the data channels, all bundled. Apply it
    /// with [`set_local_description`](Self::set_local_description).
    ///
    /// # Errors
    /// [`PeerError::Closed`]; [`PeerError::WrongSignalingState`] in
    /// have-remote-offer or have-local-pranswer.
    pub fn create_offer(
        &mut self,
        options: RTCOfferOptions,
    ) -> Result<RTCSessionDescription, PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        if !matches!(
            self.signaling,
            RTCSignalingState::Stable | RTCSignalingState::HaveLocalOffer
        ) {
            return Err(PeerError::WrongSignalingState {
                operation: "createOffer",
                state: self.signaling,
            });
        }
        if options.ice_restart {
            self.ice_restart = true;
        }
        let (model, layout, ice) = self.build_offer();
        let sdp = model.to_string();
        self.jsep.last_offer = Some((sdp.clone(), layout, ice));
        Ok(RTCSessionDescription::offer(sdp))
    }

    /// Creates an answer to the remote offer (W3C `createAnswer`, RFC 8829
    /// §5.3). Apply it with
    /// [`set_local_description`](Self::set_local_description).
    ///
    /// # Errors
    /// [`PeerError::Closed`]; [`PeerError::WrongSignalingState`] unless in
    /// have-remote-offer or have-local-pranswer.
    pub fn create_answer(&mut self) -> Result<RTCSessionDescription, PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        if !matches!(
            self.signaling,
            RTCSignalingState::HaveRemoteOffer | RTCSignalingState::HaveLocalPranswer
        ) {
            return Err(PeerError::WrongSignalingState {
                operation: "createAnswer",
                state: self.signaling,
            });
        }
        let model = self.build_answer()?;
        let sdp = model.to_string();
        self.jsep.last_answer = Some(sdp.clone());
        Ok(RTCSessionDescription::answer(sdp))
    }

    /// Applies a local description (W3C `setLocalDescription`): the last
    /// offer or answer created (its SDP, or an empty string), a pranswer,
    /// or a rollback. Gathering starts with the first one.
    ///
    /// # Errors
    /// [`PeerError::Closed`]; [`PeerError::WrongSignalingState`];
    /// [`PeerError::InvalidModification`] for SDP other than the last
    /// created. The connection is unchanged on error.
    pub fn set_local_description(
        &mut self,
        now: Instant,
        description: RTCSessionDescription,
    ) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        self.apply_local(now, description)
    }

    /// Applies a remote description (W3C `setRemoteDescription`): an
    /// offer (in have-local-offer it rolls ours back first), an answer, a
    /// pranswer, or a rollback.
    ///
    /// # Errors
    /// [`PeerError::Closed`]; [`PeerError::WrongSignalingState`];
    /// [`PeerError::Sdp`] when it does not parse (naming the line);
    /// [`PeerError::MissingFingerprint`], [`PeerError::MissingIceCredentials`],
    /// [`PeerError::InvalidDescription`] when it breaks a JSEP rule. The
    /// connection is unchanged on error.
    pub fn set_remote_description(
        &mut self,
        now: Instant,
        description: RTCSessionDescription,
    ) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        self.apply_remote(now, description)
    }

    /// Adds a remote candidate (W3C `addIceCandidate`); an empty
    /// `candidate` signals end-of-candidates (RFC 8838 §4.4).
    ///
    /// # Errors
    /// [`PeerError::NoRemoteDescription`] before a remote description;
    /// [`PeerError::CandidateWithoutMid`]; [`PeerError::UnknownMid`] /
    /// [`PeerError::UnknownMLine`] for an m-line the remote description
    /// does not have; [`PeerError::Candidate`] when it does not parse; a
    /// `username_fragment` of no remote description is
    /// [`PeerError::InvalidDescription`]. Nothing changes on error.
    pub fn add_ice_candidate(&mut self, candidate: RTCIceCandidateInit) -> Result<(), PeerError> {
        if self.closed {
            return Err(PeerError::Closed);
        }
        self.apply_candidate(candidate)
    }

    /// Asks for an ICE restart at the next offer (W3C `restartIce`):
    /// `negotiationneeded` fires.
    pub fn restart_ice(&mut self) {
        if self.closed {
            return;
        }
        self.ice_restart = true;
        self.update_negotiation_needed();
    }

    fn describe(&self, applied: Option<&Applied>, local: bool) -> Option<RTCSessionDescription> {
        let applied = applied?;
        let mut model = applied.model.clone();
        if local {
            self.add_local_candidates(&mut model);
        }
        Some(RTCSessionDescription {
            sdp_type: applied.sdp_type,
            sdp: model.to_string(),
        })
    }

    /// The pending local description, else the current one, with the
    /// candidates gathered so far (W3C `localDescription`).
    pub fn local_description(&self) -> Option<RTCSessionDescription> {
        self.describe(
            self.jsep
                .pending_local
                .as_ref()
                .or(self.jsep.current_local.as_ref()),
            true,
        )
    }

    /// The local description of the last completed exchange.
    pub fn current_local_description(&self) -> Option<RTCSessionDescription> {
        self.describe(self.jsep.current_local.as_ref(), true)
    }

    /// The local description of the exchange under way.
    pub fn pending_local_description(&self) -> Option<RTCSessionDescription> {
        self.describe(self.jsep.pending_local.as_ref(), true)
    }

    /// The pending remote description, else the current one, with the
    /// candidates added since (W3C `remoteDescription`).
    pub fn remote_description(&self) -> Option<RTCSessionDescription> {
        self.describe(self.jsep.remote(), false)
    }

    /// The remote description of the last completed exchange.
    pub fn current_remote_description(&self) -> Option<RTCSessionDescription> {
        self.describe(self.jsep.current_remote.as_ref(), false)
    }

    /// The remote description of the exchange under way.
    pub fn pending_remote_description(&self) -> Option<RTCSessionDescription> {
        self.describe(self.jsep.pending_remote.as_ref(), false)
    }
}
