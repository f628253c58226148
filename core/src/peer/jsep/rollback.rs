//! Rollback (RFC 8829 §4.1.8.2, W3C webrtc-pc §4.4.1.5 rollback) and
//! remote candidates (RFC 8838 trickle ICE, W3C `addIceCandidate`).

use crate::ice::Candidate;

use super::PreOfferTrack;
use super::apply::{accepted_mids, invalid};
use crate::peer::PeerError;
use crate::peer::connection::RTCPeerConnection;
use crate::peer::event::RTCIceCandidateInit;
use crate::peer::media::{RTCRtpTransceiverDirection, TransceiverId};
use crate::peer::state::RTCSignalingState;

impl RTCPeerConnection {
    // ----- rollback -----

    /// Undoes the pending offer (ours or the peer's): mids it assigned,
    /// transceivers it created without a track, pending ICE changes.
    ///
    /// Rolling back a remote offer also undoes its remote tracks (RFC 8829
    /// §4.1.8.2, W3C webrtc-pc §4.4.1.6 rollback): a track it added fires
    /// [`crate::peer::PeerEvent::RemoveTrack`] (`ended` when its
    /// transceiver, created by the offer, is removed), and a track it
    /// removed is given back with a new `Track` event.
    pub(crate) fn rollback(&mut self) {
        let was_remote_offer = self.signaling == RTCSignalingState::HaveRemoteOffer;
        let before = std::mem::take(&mut self.jsep.pre_offer_tracks);
        let pending = std::mem::take(&mut self.jsep.pending_mids);
        if was_remote_offer {
            self.restore_remote_tracks(&before, &pending);
        }
        for id in pending {
            if let Some(t) = self.transceivers.get_mut(id.0 as usize) {
                t.mid = None;
                if t.from_remote_offer && t.sender_track.is_none() {
                    t.removed = true;
                    t.stopped = true;
                    t.direction = RTCRtpTransceiverDirection::Stopped;
                }
                t.receiving = false;
            }
        }
        let first_exchange =
            self.jsep.current_local.is_none() && self.jsep.current_remote.is_none();
        self.jsep.pending_mlines = None;
        self.jsep.pending_local = None;
        self.jsep.pending_remote = None;
        self.jsep.pending_local_ice = None;
        self.jsep.remote_restart = None;
        self.jsep.pending_remote_candidates.clear();
        if first_exchange && was_remote_offer {
            // The ICE agent was made for the peer's offer, as controlled:
            // start over.
            self.transport.reset_ice();
            self.local_candidates.clear();
            self.local_candidates_complete = false;
        }
        self.router
            .rebuild(&self.transceivers, self.router.extensions);
        self.set_signaling(RTCSignalingState::Stable);
        self.negotiation_needed = false;
        self.update_negotiation_needed();
    }

    /// Puts every transceiver's remote track back as it was before the
    /// remote offer being rolled back (`before`: receiving and track per
    /// transceiver then), with the events the change makes.
    fn restore_remote_tracks(&mut self, before: &[PreOfferTrack], pending: &[TransceiverId]) {
        for i in 0..self.transceivers.len() {
            let Some(t) = self.transceivers.get(i) else {
                continue;
            };
            let id = t.id;
            match before.iter().find(|p| p.id == id) {
                None => {
                    // Created by the offer: removed with it unless a track
                    // to send was attached meanwhile.
                    let removed =
                        pending.contains(&id) && t.from_remote_offer && t.sender_track.is_none();
                    self.remove_remote_track(id, removed);
                }
                Some(prior) if prior.receiving => {
                    if let Some(t) = self.transceivers.get_mut(i) {
                        let changed = !t.receiving || t.receiver_track != prior.track;
                        t.receiver_track = prior.track.clone();
                        t.receiving = true;
                        if changed {
                            self.events.push_back(crate::peer::PeerEvent::Track {
                                transceiver: id,
                                track: prior.track.clone(),
                            });
                        }
                    }
                }
                Some(prior) => {
                    self.remove_remote_track(id, false);
                    if let Some(t) = self.transceivers.get_mut(i) {
                        t.receiver_track = prior.track.clone();
                    }
                }
            }
        }
    }

    // ----- candidates -----

    pub(crate) fn apply_candidate(&mut self, init: RTCIceCandidateInit) -> Result<(), PeerError> {
        let remote = &self
            .jsep
            .remote()
            .ok_or(PeerError::NoRemoteDescription)?
            .model;
        let index = match (&init.sdp_mid, init.sdp_m_line_index) {
            (Some(mid), _) => remote
                .media
                .iter()
                .position(|m| m.mid.as_ref() == Some(mid))
                .ok_or_else(|| PeerError::UnknownMid(mid.clone()))?,
            (None, Some(i)) => {
                let i = usize::from(i);
                if i >= remote.media.len() {
                    return Err(PeerError::UnknownMLine(init.sdp_m_line_index.unwrap_or(0)));
                }
                i
            }
            (None, None) => return Err(PeerError::CandidateWithoutMid),
        };
        let Some(m) = remote.media.get(index) else {
            return Err(PeerError::UnknownMLine(index as u16));
        };
        let line_ufrag = remote.ice_ufrag_of(m).map(str::to_string);
        let accepted = accepted_mids(remote).contains(&m.mid.clone().unwrap_or_default());
        if init.candidate.trim().is_empty() {
            if accepted {
                self.transport.end_of_remote_candidates();
            }
            return Ok(());
        }
        let candidate = Candidate::parse(&init.candidate)?;
        let ufrag = init.username_fragment.clone().or(candidate.ufrag.clone());
        let restart_pending = self.jsep.remote_restart.is_some();
        if let Some(u) = &ufrag
            && Some(u) != line_ufrag.as_ref()
        {
            if self.current_remote_ufrag().as_ref() == Some(u) {
                return Ok(()); // an old generation: ignored (RFC 8838 §4.4)
            }
            return Err(invalid("candidate ufrag of no remote description"));
        }
        // Kept in the remote description.
        let applied = if self.jsep.pending_remote.is_some() {
            self.jsep.pending_remote.as_mut()
        } else {
            self.jsep.current_remote.as_mut()
        };
        if let Some(m) = applied.and_then(|a| a.model.media.get_mut(index))
            && !m.candidates.contains(&candidate)
        {
            m.candidates.push(candidate.clone());
        }
        if !accepted {
            return Ok(());
        }
        if restart_pending {
            self.jsep.pending_remote_candidates.push(candidate);
        } else {
            self.transport.add_remote_candidate(&candidate);
            self.process_transport();
        }
        Ok(())
    }
}
