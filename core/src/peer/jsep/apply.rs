//! Validating and applying descriptions (RFC 8829 §5.7–5.10, W3C
//! webrtc-pc §4.4.1.5–4.4.1.6): every check runs before anything
//! changes, so a refused description leaves the connection as it was.

use std::time::Instant;

use crate::crypto;
use crate::ice::{Candidate, IceCredentials, IceRole};
use crate::rtp::{ExtensionKind, ExtensionMap};
use crate::sdp::{MediaDescription, SessionDescription, Setup};
use crate::srtp::DtlsRole;

use super::build::SCTP_PORT;
use super::convert::{
    add_to_extension_map, from_sdp_codec, from_sdp_direction, from_sdp_extmap, media_kind,
    mid_extension_id, remote_track,
};
use super::simulcast::{extension_id, negotiated_layers};
use super::{
    Applied, MLine, MLineUse, PreOfferTrack, RTCSdpType, RTCSessionDescription, RemoteRestart,
};
use crate::peer::connection::RTCPeerConnection;
use crate::peer::media::{
    MediaKind, Negotiated, RTCRtpTransceiverDirection, RTCRtpTransceiverInit, TransceiverId,
};
use crate::peer::negotiation::{MediaUpdate, RemoteIce};
use crate::peer::state::RTCSignalingState;
use crate::peer::transport::SctpParams;
use crate::peer::{PeerError, RTCBundlePolicy};

pub(crate) fn invalid(text: impl Into<String>) -> PeerError {
    PeerError::InvalidDescription(text.into())
}

/// The mids a description accepts on the one bundled transport: m-lines
/// not rejected and in the first BUNDLE group; without a group, only the
/// first such m-line (max-bundle, RFC 8829 §5.10.2).
pub(crate) fn accepted_mids(desc: &SessionDescription) -> Vec<String> {
    let group = desc.bundle_group();
    let mids = desc
        .media
        .iter()
        .filter(|m| !m.is_rejected())
        .filter_map(|m| m.mid.clone())
        .filter(|mid| group.is_none_or(|g| g.mids.contains(mid)));
    if group.is_none() {
        mids.take(1).collect()
    } else {
        mids.collect()
    }
}

/// The transport parameters of a remote description: from its first
/// accepted m-line (session-level values apply where a line has none).
#[derive(Debug, Clone)]
struct RemoteTransport {
    ice: IceCredentials,
    ice_lite: bool,
    fingerprint: crypto::Fingerprint,
    setup: Setup,
    candidates: Vec<Candidate>,
    end_of_candidates: bool,
}

/// Checks what every remote description must satisfy and extracts its
/// transport parameters (`None` when it accepts nothing).
fn check_remote(desc: &SessionDescription) -> Result<Option<RemoteTransport>, PeerError> {
    let mut seen: Vec<&str> = Vec::new();
    for (i, m) in desc.media.iter().enumerate() {
        let mid = m
            .mid
            .as_deref()
            .filter(|mid| !mid.is_empty())
            .ok_or_else(|| invalid(format!("m-line {i} has no a=mid")))?;
        if seen.contains(&mid) {
            return Err(invalid(format!("mid {mid:?} appears twice")));
        }
        seen.push(mid);
    }
    let accepted = accepted_mids(desc);
    let lines: Vec<&MediaDescription> = desc
        .media
        .iter()
        .filter(|m| m.mid.as_ref().is_some_and(|mid| accepted.contains(mid)))
        .collect();
    for m in &lines {
        if m.proto.is_rtp() && !m.rtcp_mux {
            return Err(invalid(format!(
                "m-line {:?} lacks a=rtcp-mux (rtcp-mux policy require)",
                m.mid.as_deref().unwrap_or_default()
            )));
        }
    }
    let Some(first) = lines.first() else {
        return Ok(None);
    };
    let (Some(ufrag), Some(pwd)) = (desc.ice_ufrag_of(first), desc.ice_pwd_of(first)) else {
        return Err(PeerError::MissingIceCredentials);
    };
    let ice = IceCredentials {
        ufrag: ufrag.into(),
        pwd: pwd.into(),
    };
    if !ice.is_valid() {
        return Err(invalid(
            "ICE ufrag or pwd of the wrong length or characters",
        ));
    }
    let fingerprints = desc.fingerprints_of(first);
    if fingerprints.is_empty() {
        return Err(PeerError::MissingFingerprint);
    }
    let fingerprint = fingerprints
        .iter()
        .find_map(crate::sdp::Fingerprint::to_crypto)
        .ok_or_else(|| invalid("no fingerprint with a hash function we compute"))?;
    let setup = desc.setup_of(first).unwrap_or(Setup::ActPass);
    let mut candidates: Vec<Candidate> = Vec::new();
    let mut end_of_candidates = false;
    for m in &lines {
        for c in &m.candidates {
            if !candidates.contains(c) {
                candidates.push(c.clone());
            }
        }
        end_of_candidates |= m.end_of_candidates;
    }
    Ok(Some(RemoteTransport {
        ice,
        ice_lite: desc.ice_lite,
        fingerprint,
        setup,
        candidates,
        end_of_candidates,
    }))
}

/// An answer (or pranswer) being applied with the offer it answers.
struct Exchange<'a> {
    offer: &'a SessionDescription,
    answer: &'a SessionDescription,
    /// We made the offer; the answer is the peer's.
    local_offer: bool,
}

/// What a new remote offer's m-line will be bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Binding {
    Existing,
    /// A transceiver without a mid, made by `add_track`.
    Adopt(TransceiverId),
    /// A new recvonly transceiver.
    Create(MediaKind),
}

/// The SCTP port of a data m-line (`a=sctp-port`, the legacy sctpmap, or
/// 5000).
fn sctp_port(m: &MediaDescription) -> u16 {
    m.sctp_port
        .or(m.sctpmap.as_ref().map(|s| s.port))
        .unwrap_or(SCTP_PORT)
}

fn max_message_size(m: &MediaDescription) -> Option<usize> {
    m.max_message_size
        .map(|n| usize::try_from(n).unwrap_or(usize::MAX))
}

fn parse(text: &str) -> Result<SessionDescription, PeerError> {
    Ok(SessionDescription::parse(text)?)
}

impl RTCPeerConnection {
    fn wrong_state(&self, operation: &'static str) -> PeerError {
        PeerError::WrongSignalingState {
            operation,
            state: self.signaling,
        }
    }

    // ----- local -----

    pub(crate) fn apply_local(
        &mut self,
        now: Instant,
        description: RTCSessionDescription,
    ) -> Result<(), PeerError> {
        match description.sdp_type {
            RTCSdpType::Rollback => {
                if self.signaling != RTCSignalingState::HaveLocalOffer {
                    return Err(self.wrong_state("setLocalDescription(rollback)"));
                }
                self.rollback();
                Ok(())
            }
            RTCSdpType::Offer => {
                if !matches!(
                    self.signaling,
                    RTCSignalingState::Stable | RTCSignalingState::HaveLocalOffer
                ) {
                    return Err(self.wrong_state("setLocalDescription(offer)"));
                }
                let (text, layout, ice) = self
                    .jsep
                    .last_offer
                    .clone()
                    .ok_or(PeerError::InvalidModification)?;
                if !description.sdp.is_empty() && description.sdp != text {
                    return Err(PeerError::InvalidModification);
                }
                let model = parse(&text)?;
                self.apply_local_offer(now, model, layout, ice)
            }
            kind @ (RTCSdpType::Answer | RTCSdpType::Pranswer) => {
                if !matches!(
                    self.signaling,
                    RTCSignalingState::HaveRemoteOffer | RTCSignalingState::HaveLocalPranswer
                ) {
                    return Err(self.wrong_state("setLocalDescription(answer)"));
                }
                let text = self
                    .jsep
                    .last_answer
                    .clone()
                    .ok_or(PeerError::InvalidModification)?;
                if !description.sdp.is_empty() && description.sdp != text {
                    return Err(PeerError::InvalidModification);
                }
                let model = parse(&text)?;
                self.apply_local_answer(now, model, kind)
            }
        }
    }

    fn apply_local_offer(
        &mut self,
        now: Instant,
        model: SessionDescription,
        layout: Vec<MLine>,
        ice: IceCredentials,
    ) -> Result<(), PeerError> {
        if !self.transport.ice_started() {
            self.start_ice(IceRole::Controlling)?;
        }
        for line in &layout {
            if let MLineUse::Media(id) = line.usage
                && let Some(t) = self.transceivers.get_mut(id.0 as usize)
                && t.mid.is_none()
            {
                t.mid = Some(line.mid.clone());
                self.jsep.pending_mids.push(id);
            }
        }
        self.jsep.pending_local_ice = (ice != self.local_ice).then_some(ice);
        self.jsep.pending_mlines = Some(layout);
        self.jsep.pending_local = Some(Applied {
            sdp_type: RTCSdpType::Offer,
            model,
        });
        self.start_gathering(now);
        self.set_signaling(RTCSignalingState::HaveLocalOffer);
        Ok(())
    }

    fn apply_local_answer(
        &mut self,
        now: Instant,
        answer: SessionDescription,
        kind: RTCSdpType,
    ) -> Result<(), PeerError> {
        let offer = self
            .jsep
            .pending_remote
            .as_ref()
            .ok_or(PeerError::NoRemoteDescription)?
            .model
            .clone();
        let layout = self.jsep.layout().to_vec();
        let remote = check_remote(&offer)?;
        // The peer's ICE restart takes effect with our answer.
        if let Some(restart) = self.jsep.remote_restart.take() {
            self.restart_ice_transport(now, restart.local)?;
            if let Some(r) = &remote {
                let mut candidates = r.candidates.clone();
                candidates.append(&mut self.jsep.pending_remote_candidates);
                self.apply_remote_ice(&RemoteIce {
                    credentials: r.ice.clone(),
                    candidates,
                    end_of_candidates: r.end_of_candidates,
                })?;
            }
        }
        self.start_gathering(now);
        let accepted = accepted_mids(&answer);
        if let Some(r) = &remote
            && !accepted.is_empty()
        {
            let ours = answer
                .media
                .iter()
                .find(|m| m.port != 0)
                .and_then(|m| answer.setup_of(m));
            let role = match ours {
                Some(Setup::Passive) => DtlsRole::Server,
                _ => DtlsRole::Client,
            };
            self.apply_dtls(now, role, r.fingerprint.clone())?;
        }
        self.apply_mlines(
            now,
            kind,
            layout,
            Exchange {
                offer: &offer,
                answer: &answer,
                local_offer: false,
            },
        );
        self.complete_exchange(kind, answer, false);
        Ok(())
    }

    /// An m-line rejected by the answer: its transceiver is stopped, and
    /// a remote track it was receiving ends (W3C webrtc-pc §4.4.1.6,
    /// "process the removal of a remote track", then the track `ended`).
    fn reject_transceiver(&mut self, id: TransceiverId) {
        if let Some(t) = self.transceivers.get_mut(id.0 as usize) {
            t.stopped = true;
            t.direction = RTCRtpTransceiverDirection::Stopped;
            t.current_direction = None;
        }
        self.remove_remote_track(id, true);
    }

    /// The data m-line was rejected by the final answer (port 0; RFC 8829
    /// §5.10 "rejected m= section", RFC 8841 §10): there is no SCTP
    /// transport, so every data channel, open or still connecting, is
    /// closed with its `close` event (W3C webrtc-pc §6.1.1.1: the channels
    /// of an SCTP transport that goes away are closed). A channel created
    /// afterwards asks for a new negotiation and a new data m-line.
    fn reject_data(&mut self) {
        self.data_mid = None;
        self.remote_max_message_size = 0;
        self.transport.stop_sctp();
        self.channels.close_all(&mut self.events);
    }

    // ----- remote -----

    pub(crate) fn apply_remote(
        &mut self,
        now: Instant,
        description: RTCSessionDescription,
    ) -> Result<(), PeerError> {
        match description.sdp_type {
            RTCSdpType::Rollback => {
                if self.signaling != RTCSignalingState::HaveRemoteOffer {
                    return Err(self.wrong_state("setRemoteDescription(rollback)"));
                }
                self.rollback();
                Ok(())
            }
            RTCSdpType::Offer => {
                if !matches!(
                    self.signaling,
                    RTCSignalingState::Stable
                        | RTCSignalingState::HaveRemoteOffer
                        | RTCSignalingState::HaveLocalOffer
                ) {
                    return Err(self.wrong_state("setRemoteDescription(offer)"));
                }
                let model = parse(&description.sdp)?;
                let remote = check_remote(&model)?;
                // Its errors depend only on the negotiated layout, which a
                // rollback leaves alone: check before rolling back.
                let mut plan = self.plan_remote_offer(&model)?;
                if self.signaling == RTCSignalingState::HaveLocalOffer {
                    // Glare: W3C perfect negotiation rolls our offer back.
                    self.rollback();
                    plan = self.plan_remote_offer(&model)?;
                }
                self.apply_remote_offer(model, remote, plan)
            }
            kind @ (RTCSdpType::Answer | RTCSdpType::Pranswer) => {
                if !matches!(
                    self.signaling,
                    RTCSignalingState::HaveLocalOffer | RTCSignalingState::HaveRemotePranswer
                ) {
                    return Err(self.wrong_state("setRemoteDescription(answer)"));
                }
                let model = parse(&description.sdp)?;
                let remote = check_remote(&model)?;
                self.check_remote_answer(&model, remote.as_ref())?;
                self.apply_remote_answer(now, model, remote, kind)
            }
        }
    }

    /// Binds each m-line of a remote offer to what it will carry; fails
    /// (changing nothing) when the offer reorders or drops m-lines.
    fn plan_remote_offer(
        &self,
        offer: &SessionDescription,
    ) -> Result<Vec<(MLine, Binding)>, PeerError> {
        let current = &self.jsep.mlines;
        if offer.media.len() < current.len() {
            return Err(invalid("an offer cannot remove m-lines (RFC 8829 §5.2.2)"));
        }
        let mut plan: Vec<(MLine, Binding)> = Vec::with_capacity(offer.media.len());
        let mut adopted: Vec<TransceiverId> = Vec::new();
        let mut has_data = current.iter().any(|l| l.usage == MLineUse::Data);
        for (i, m) in offer.media.iter().enumerate() {
            let mid = m.mid.clone().unwrap_or_default();
            let unsupported = MLine {
                mid: mid.clone(),
                usage: MLineUse::Unsupported,
                kind: m.kind.clone(),
                proto: m.proto.clone(),
                formats: m.formats.clone(),
            };
            if let Some(existing) = current.get(i) {
                let recycled = match &existing.usage {
                    MLineUse::Unsupported => true,
                    MLineUse::Media(id) => self
                        .transceivers
                        .get(id.0 as usize)
                        .is_none_or(|t| t.stopped),
                    MLineUse::Data => false,
                };
                if existing.mid == mid {
                    let same_kind = match &existing.usage {
                        MLineUse::Media(id) => self
                            .transceivers
                            .get(id.0 as usize)
                            .is_some_and(|t| Some(t.kind) == media_kind(&m.kind)),
                        MLineUse::Data => m.proto.is_sctp(),
                        MLineUse::Unsupported => true,
                    };
                    if !same_kind {
                        return Err(invalid(format!("m-line {i} changed its kind")));
                    }
                    plan.push((existing.clone(), Binding::Existing));
                    continue;
                }
                if !recycled {
                    return Err(invalid(format!(
                        "m-line {i} changed its mid from {:?} to {mid:?}",
                        existing.mid
                    )));
                }
            }
            if m.is_rejected() {
                plan.push((unsupported, Binding::Existing));
                continue;
            }
            match media_kind(&m.kind) {
                Some(kind) if m.proto.is_rtp() => {
                    let adopt = self.transceivers.iter().find(|t| {
                        t.kind == kind
                            && t.mid.is_none()
                            && !t.stopped
                            && !t.removed
                            && t.sender_track.is_some()
                            && !adopted.contains(&t.id)
                    });
                    let binding = match adopt {
                        Some(t) => {
                            adopted.push(t.id);
                            Binding::Adopt(t.id)
                        }
                        None => Binding::Create(kind),
                    };
                    let id = match binding {
                        Binding::Adopt(id) => id,
                        // The index the new transceiver will get.
                        _ => TransceiverId(
                            (self.transceivers.len()
                                + plan
                                    .iter()
                                    .filter(|(_, b)| matches!(b, Binding::Create(_)))
                                    .count()) as u32,
                        ),
                    };
                    plan.push((
                        MLine {
                            usage: MLineUse::Media(id),
                            ..unsupported
                        },
                        binding,
                    ));
                }
                None if m.proto.is_sctp() && !has_data => {
                    has_data = true;
                    plan.push((
                        MLine {
                            usage: MLineUse::Data,
                            ..unsupported
                        },
                        Binding::Existing,
                    ));
                }
                _ => plan.push((unsupported, Binding::Existing)),
            }
        }
        Ok(plan)
    }

    fn apply_remote_offer(
        &mut self,
        offer: SessionDescription,
        remote: Option<RemoteTransport>,
        plan: Vec<(MLine, Binding)>,
    ) -> Result<(), PeerError> {
        // The remote tracks as they are, for a rollback.
        self.jsep.pre_offer_tracks = self
            .transceivers
            .iter()
            .filter(|t| !t.removed)
            .map(|t| PreOfferTrack {
                id: t.id,
                receiving: t.receiving,
                track: t.receiver_track.clone(),
            })
            .collect();
        // ICE first: the only step that can fail (bad credentials are
        // checked already, so it does not).
        if let Some(r) = &remote {
            if !self.transport.ice_started() {
                let role = if r.ice_lite {
                    IceRole::Controlling
                } else {
                    IceRole::Controlled
                };
                self.start_ice(role)?;
                self.apply_remote_ice(&RemoteIce {
                    credentials: r.ice.clone(),
                    candidates: r.candidates.clone(),
                    end_of_candidates: r.end_of_candidates,
                })?;
            } else if self
                .current_remote_ufrag()
                .is_some_and(|u| u != r.ice.ufrag)
            {
                self.jsep.remote_restart = Some(RemoteRestart {
                    local: IceCredentials::random(&mut self.rng),
                });
            } else {
                self.apply_remote_ice(&RemoteIce {
                    credentials: r.ice.clone(),
                    candidates: r.candidates.clone(),
                    end_of_candidates: r.end_of_candidates,
                })?;
            }
        }
        let mut layout = Vec::with_capacity(plan.len());
        for (line, binding) in plan {
            match binding {
                Binding::Existing => {}
                Binding::Adopt(id) => {
                    if let Some(t) = self.transceivers.get_mut(id.0 as usize) {
                        t.mid = Some(line.mid.clone());
                        self.jsep.pending_mids.push(id);
                    }
                }
                Binding::Create(kind) => {
                    let id = self.add_transceiver(
                        kind,
                        RTCRtpTransceiverInit {
                            direction: RTCRtpTransceiverDirection::RecvOnly,
                            ..RTCRtpTransceiverInit::default()
                        },
                    )?;
                    if let Some(t) = self.transceivers.get_mut(id.0 as usize) {
                        t.mid = Some(line.mid.clone());
                        t.from_remote_offer = true;
                    }
                    self.jsep.pending_mids.push(id);
                }
            }
            layout.push(line);
        }
        // Remote tracks (W3C: at setRemoteDescription of an offer too).
        let accepted = accepted_mids(&offer);
        for (line, m) in layout.iter().zip(&offer.media) {
            if let MLineUse::Media(id) = line.usage {
                let kind = self
                    .transceivers
                    .get(id.0 as usize)
                    .map_or(MediaKind::Audio, |t| t.kind);
                if m.is_rejected() {
                    // The peer stopped the m-line: the track ends with it.
                    self.remove_remote_track(id, true);
                    continue;
                }
                let sends = accepted.contains(&line.mid) && offer.direction_of(m).sends();
                self.apply_remote_track(id, sends, remote_track(kind, m));
            }
        }
        self.jsep.pending_mlines = Some(layout);
        self.jsep.pending_remote = Some(Applied {
            sdp_type: RTCSdpType::Offer,
            model: offer,
        });
        self.set_signaling(RTCSignalingState::HaveRemoteOffer);
        Ok(())
    }

    pub(crate) fn current_remote_ufrag(&self) -> Option<String> {
        let remote = &self.jsep.current_remote.as_ref()?.model;
        let first = remote.media.iter().find(|m| !m.is_rejected())?;
        remote.ice_ufrag_of(first).map(str::to_string)
    }

    /// An answer must match our offer m-line for m-line and choose a DTLS
    /// role.
    fn check_remote_answer(
        &self,
        answer: &SessionDescription,
        remote: Option<&RemoteTransport>,
    ) -> Result<(), PeerError> {
        let layout = self.jsep.layout();
        if answer.media.len() != layout.len() {
            return Err(invalid(format!(
                "the answer has {} m-lines, the offer {}",
                answer.media.len(),
                layout.len()
            )));
        }
        for (i, (m, line)) in answer.media.iter().zip(layout).enumerate() {
            if m.mid.as_deref() != Some(line.mid.as_str()) {
                return Err(invalid(format!("m-line {i} of the answer has another mid")));
            }
        }
        if self.config.bundle_policy != RTCBundlePolicy::MaxBundle {
            // Balanced and max-compat: an accepted m-line the answer does
            // not bundle needs a transport of its own (RFC 8829 §4.1.1).
            let bundled = accepted_mids(answer);
            if let Some(mid) = answer
                .media
                .iter()
                .filter(|m| !m.is_rejected())
                .filter_map(|m| m.mid.as_ref())
                .find(|mid| !bundled.contains(mid))
            {
                return Err(PeerError::UnbundledTransport { mid: mid.clone() });
            }
        }
        if let Some(r) = remote {
            if !matches!(r.setup, Setup::Active | Setup::Passive) {
                return Err(invalid("an answer's a=setup must be active or passive"));
            }
            let restarting = self.jsep.pending_local_ice.is_some();
            if !restarting
                && self
                    .current_remote_ufrag()
                    .is_some_and(|u| u != r.ice.ufrag)
            {
                return Err(invalid("an answer cannot restart ICE"));
            }
            // RFC 8829 §5.11: a new DTLS association (a changed remote
            // fingerprint) over the same ICE session is an error; it needs
            // the ICE restart of a new endpoint taking over.
            if !restarting
                && self
                    .transport
                    .dtls_params()
                    .is_some_and(|p| p.remote_fingerprint != r.fingerprint)
            {
                return Err(invalid(
                    "the answer changes the DTLS fingerprint without an ICE restart",
                ));
            }
        }
        Ok(())
    }

    fn apply_remote_answer(
        &mut self,
        now: Instant,
        answer: SessionDescription,
        remote: Option<RemoteTransport>,
        kind: RTCSdpType,
    ) -> Result<(), PeerError> {
        let layout = self.jsep.layout().to_vec();
        if let Some(creds) = self.jsep.pending_local_ice.take() {
            self.restart_ice_transport(now, creds)?;
            self.ice_restart = false;
        } else if self.ice_restart && self.jsep.current_remote.is_none() {
            // The first exchange uses the credentials we started with.
            self.ice_restart = false;
        }
        if let Some(r) = &remote {
            self.apply_remote_ice(&RemoteIce {
                credentials: r.ice.clone(),
                candidates: r.candidates.clone(),
                end_of_candidates: r.end_of_candidates,
            })?;
            let role = if r.setup == Setup::Active {
                DtlsRole::Server
            } else {
                DtlsRole::Client
            };
            self.apply_dtls(now, role, r.fingerprint.clone())?;
        }
        let offer = self
            .jsep
            .pending_local
            .as_ref()
            .map(|a| a.model.clone())
            .unwrap_or_default();
        self.apply_mlines(
            now,
            kind,
            layout,
            Exchange {
                offer: &offer,
                answer: &answer,
                local_offer: true,
            },
        );
        self.complete_exchange(kind, answer, true);
        Ok(())
    }

    /// Applies every m-line of an answer or pranswer, ours or the peer's
    /// (RFC 8829 §5.9 and §5.10, W3C webrtc-pc §4.4.1.6): an accepted
    /// audio/video line sets its transceiver's mid, direction, codecs,
    /// header extensions, SSRCs and simulcast layers (and, when the answer
    /// is the peer's, whether the peer sends); a rejected one stops its
    /// transceiver; an accepted data line starts SCTP, a rejected one
    /// (final answer only) closes the SCTP transport and every data
    /// channel. Then the routing tables follow.
    fn apply_mlines(
        &mut self,
        now: Instant,
        kind: RTCSdpType,
        mut layout: Vec<MLine>,
        ex: Exchange<'_>,
    ) {
        let accepted = accepted_mids(ex.answer);
        let mut extensions = ExtensionMap::new();
        for (i, line) in layout.iter_mut().enumerate() {
            let (Some(offered), Some(answered)) = (ex.offer.media.get(i), ex.answer.media.get(i))
            else {
                continue;
            };
            let (ours, theirs) = if ex.local_offer {
                (offered, answered)
            } else {
                (answered, offered)
            };
            let is_accepted = accepted.contains(&line.mid);
            match &line.usage {
                MLineUse::Media(id) if is_accepted => {
                    add_to_extension_map(&mut extensions, &answered.extmaps);
                    let answer_direction = ex.answer.direction_of(answered);
                    let direction = if ex.local_offer {
                        answer_direction.reverse()
                    } else {
                        answer_direction
                    };
                    let update =
                        media_update(&line.mid, answered, theirs, direction, ex.local_offer);
                    self.apply_media(*id, update);
                    if ex.local_offer {
                        let media = self
                            .transceivers
                            .get(id.0 as usize)
                            .map_or(MediaKind::Audio, |t| t.kind);
                        self.apply_remote_track(
                            *id,
                            answer_direction.sends(),
                            remote_track(media, answered),
                        );
                    }
                }
                MLineUse::Media(id) => self.reject_transceiver(*id),
                MLineUse::Data if is_accepted => self.apply_sctp(
                    now,
                    line.mid.clone(),
                    SctpParams {
                        local_port: sctp_port(ours),
                        remote_port: sctp_port(theirs),
                    },
                    max_message_size(theirs),
                ),
                MLineUse::Data if kind == RTCSdpType::Answer => {
                    self.reject_data();
                    line.usage = MLineUse::Unsupported;
                }
                MLineUse::Data | MLineUse::Unsupported => {}
            }
        }
        self.finish_media(extensions);
        self.jsep.pending_mlines = Some(layout);
    }

    /// Ends an exchange with its answer (stable: the pending descriptions
    /// become current) or pranswer (have-local/remote-pranswer).
    fn complete_exchange(&mut self, kind: RTCSdpType, answer: SessionDescription, remote: bool) {
        let applied = Applied {
            sdp_type: kind,
            model: answer,
        };
        if kind != RTCSdpType::Answer {
            if remote {
                self.jsep.pending_remote = Some(applied);
                self.set_signaling(RTCSignalingState::HaveRemotePranswer);
            } else {
                self.jsep.pending_local = Some(applied);
                self.set_signaling(RTCSignalingState::HaveLocalPranswer);
            }
            return;
        }
        if let Some(layout) = self.jsep.pending_mlines.take() {
            self.jsep.mlines = layout;
        }
        if remote {
            self.jsep.current_local = self.jsep.pending_local.take();
            self.jsep.current_remote = Some(applied);
            self.jsep.pending_remote = None;
        } else {
            self.jsep.current_local = Some(applied);
            self.jsep.current_remote = self.jsep.pending_remote.take();
            self.jsep.pending_local = None;
        }
        self.jsep.pending_mids.clear();
        self.jsep.pre_offer_tracks.clear();
        self.set_signaling(RTCSignalingState::Stable);
        self.negotiation_needed = false;
        self.update_negotiation_needed();
    }
}

/// The negotiated parameters of an accepted audio/video m-line: the codecs
/// and extensions of the answer (`answer_line`), the simulcast layers it
/// settled (RFC 8853 §5.3), the peer's SSRCs from its own line
/// (`remote_line`), our direction.
fn media_update(
    mid: &str,
    answer_line: &MediaDescription,
    remote_line: &MediaDescription,
    ours: crate::sdp::Direction,
    local_offer: bool,
) -> MediaUpdate {
    let kind = media_kind(&answer_line.kind).unwrap_or(MediaKind::Audio);
    let codecs = answer_line
        .codecs
        .iter()
        .filter(|c| answer_line.payload_types().any(|pt| pt == c.payload_type))
        .filter_map(|c| from_sdp_codec(kind, c))
        .collect();
    let (send_rids, recv_rids) = negotiated_layers(answer_line, local_offer);
    MediaUpdate {
        mid: mid.into(),
        direction: from_sdp_direction(ours),
        negotiated: Negotiated {
            codecs,
            header_extensions: answer_line.extmaps.iter().map(from_sdp_extmap).collect(),
            mid_ext_id: mid_extension_id(&answer_line.extmaps),
            rid_ext_id: extension_id(&answer_line.extmaps, ExtensionKind::RtpStreamId),
            rrid_ext_id: extension_id(&answer_line.extmaps, ExtensionKind::RepairedRtpStreamId),
            send_rids,
            recv_rids,
            rtx_pts: 0,
        },
        remote_ssrcs: remote_line.ssrcs.iter().map(|s| s.ssrc).collect(),
    }
}
