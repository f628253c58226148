//! Applying what an offer/answer exchange settled: ICE role, credentials
//! and candidates, the DTLS role and the peer's fingerprint, the SCTP
//! ports, and each transceiver's mid, direction, codecs, header
//! extensions and SSRCs. JSEP fills these parameters from the session
//! descriptions; they are plain values, so the transport and the
//! transceivers can be driven (and tested) without SDP.

use std::time::Instant;

use rand_core::RngCore;

use crate::crypto::Fingerprint;
use crate::ice::{Candidate, IceCredentials, IceRole};
use crate::rtp::ExtensionMap;
use crate::srtp::DtlsRole;

use super::PeerError;
use super::connection::RTCPeerConnection;
use super::event::PeerEvent;
use super::media::{MediaStreamTrack, Negotiated, RTCRtpTransceiverDirection, TransceiverId};
use super::transport::{DtlsParams, SctpParams};

/// The peer's ICE parameters from its description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct RemoteIce {
    pub credentials: IceCredentials,
    pub candidates: Vec<Candidate>,
    pub end_of_candidates: bool,
}

/// What one negotiated audio/video m-line settled for its transceiver.
#[derive(Debug, Clone)]
pub(crate) struct MediaUpdate {
    pub mid: String,
    /// The negotiated direction from our side (W3C `currentDirection`).
    pub direction: RTCRtpTransceiverDirection,
    pub negotiated: Negotiated,
    /// SSRCs the peer announced for this m-line (`a=ssrc`).
    pub remote_ssrcs: Vec<u32>,
}

impl RTCPeerConnection {
    /// Starts ICE in `role` with our current credentials (at the first
    /// description, local or remote).
    pub(crate) fn start_ice(&mut self, role: IceRole) -> Result<(), PeerError> {
        self.transport.start_ice(role, self.local_ice.clone())?;
        self.process_transport();
        Ok(())
    }

    /// Starts gathering (at the first local description).
    pub(crate) fn start_gathering(&mut self, now: Instant) {
        self.transport.gather(now);
        self.process_transport();
    }

    /// ICE restart with new local credentials: the selected pair keeps
    /// carrying DTLS, SRTP and SCTP until the new generation nominates.
    pub(crate) fn restart_ice_transport(
        &mut self,
        now: Instant,
        credentials: IceCredentials,
    ) -> Result<(), PeerError> {
        self.transport.restart_ice(now, credentials.clone())?;
        self.local_ice = credentials;
        self.local_candidates.clear();
        self.local_candidates_complete = false;
        self.process_transport();
        Ok(())
    }

    /// The peer's credentials and the candidates of its description.
    pub(crate) fn apply_remote_ice(&mut self, remote: &RemoteIce) -> Result<(), PeerError> {
        self.transport
            .set_remote_credentials(remote.credentials.clone())?;
        for c in &remote.candidates {
            self.transport.add_remote_candidate(c);
        }
        if remote.end_of_candidates {
            self.transport.end_of_remote_candidates();
        }
        self.process_transport();
        Ok(())
    }

    /// Our DTLS role and the peer's fingerprint, from the first answer.
    ///
    /// A later exchange with another remote fingerprint (another endpoint
    /// took the session over, typically with an ICE restart, or the peer
    /// changed its certificate) starts a new DTLS association in the role
    /// this exchange gives (RFC 8842 §5 and RFC 5763 §6.6, RFC 8829 §5.8
    /// and §5.10): new handshake, new SRTP keys, a new SCTP association;
    /// the data channels of the old one are closed with their `close`
    /// events (W3C webrtc-pc §6.1.1.1), channels not yet bound to a stream
    /// wait for the new one.
    ///
    /// The same fingerprint keeps the current association untouched, also
    /// when the `a=setup` roles of the exchange differ from those of the
    /// association: Firefox answers every re-offer `a=setup:active`, also
    /// when it is the DTLS server, and keeps its association (see
    /// `tests/fixtures/sdp/firefox153-ice-restart-answer-to-zerortc.sdp`);
    /// restarting on the role alone would break such sessions. A role
    /// change takes effect with a new fingerprint, as in libwebrtc.
    pub(crate) fn apply_dtls(
        &mut self,
        now: Instant,
        role: DtlsRole,
        fingerprint: Fingerprint,
    ) -> Result<(), PeerError> {
        let params = DtlsParams {
            role,
            remote_fingerprint: fingerprint,
        };
        match self.transport.dtls_params() {
            Some(current) if current.remote_fingerprint == params.remote_fingerprint => {}
            Some(_) => {
                let mut dtls_seed = [0u8; 32];
                self.rng.fill_bytes(&mut dtls_seed);
                let sctp_seed = self.rng.next_u64();
                self.channels.close_bound(&mut self.events);
                self.transport
                    .restart_dtls(now, params, dtls_seed, sctp_seed);
            }
            None => self.transport.set_dtls_params(now, params),
        }
        self.process_transport();
        Ok(())
    }

    /// The negotiated data channel m-line.
    pub(crate) fn apply_sctp(
        &mut self,
        now: Instant,
        mid: String,
        params: SctpParams,
        remote_max_message_size: Option<usize>,
    ) {
        self.data_mid = Some(mid);
        // RFC 8841 §6.1: 0 means "no limit"; absent means 64 KiB.
        self.remote_max_message_size = match remote_max_message_size {
            Some(0) => usize::MAX,
            Some(n) => n,
            None => 0,
        };
        self.transport.set_sctp_params(now, params);
        self.process_transport();
    }

    /// One negotiated audio/video m-line (answer applied).
    pub(crate) fn apply_media(&mut self, id: TransceiverId, update: MediaUpdate) {
        let Some(t) = self.transceivers.get_mut(id.0 as usize) else {
            return;
        };
        t.mid = Some(update.mid);
        t.current_direction = Some(update.direction);
        t.has_sent |= update.direction.has_send();
        t.negotiated = update.negotiated;
        t.negotiated.index_rtx();
        // Only layers this sender offered can be sent.
        let layers = &t.send_layers;
        t.negotiated
            .send_rids
            .retain(|rid| layers.iter().any(|l| l.rid == *rid));
        t.remote_ssrcs = update.remote_ssrcs;
        t.from_remote_offer = false;
        if !update.direction.has_recv() {
            t.receiving = false;
        }
    }

    /// A remote description says whether the peer sends on `id`'s m-line,
    /// with the track it described: fires `track` when it starts sending
    /// (W3C webrtc-pc §4.4.1.5, "process the addition of a remote track").
    pub(crate) fn apply_remote_track(
        &mut self,
        id: TransceiverId,
        remote_sends: bool,
        track: Option<MediaStreamTrack>,
    ) {
        let Some(t) = self.transceivers.get_mut(id.0 as usize) else {
            return;
        };
        if remote_sends && !t.receiving && !t.stopped {
            if let Some(track) = track {
                t.receiver_track.id = track.id;
                t.receiver_track.stream_ids = track.stream_ids;
            }
            t.receiving = true;
            self.events.push_back(PeerEvent::Track {
                transceiver: id,
                track: t.receiver_track.clone(),
            });
        } else if !remote_sends {
            self.remove_remote_track(id, false);
        } else if let Some(track) = track {
            t.receiver_track.id = track.id;
            t.receiver_track.stream_ids = track.stream_ids;
        }
    }

    /// The peer no longer sends on `id`'s m-line (a remote description
    /// without send, a rejected m-line, a rollback): W3C webrtc-pc
    /// §4.4.1.6 "process the removal of a remote track" — the track is
    /// muted and leaves its streams, which is
    /// [`PeerEvent::RemoveTrack`]; `ended` when the receiver goes away with
    /// its transceiver (stopped, or removed by a rollback). Nothing fires
    /// when the peer was not sending.
    pub(crate) fn remove_remote_track(&mut self, id: TransceiverId, ended: bool) {
        let Some(t) = self.transceivers.get_mut(id.0 as usize) else {
            return;
        };
        if !std::mem::replace(&mut t.receiving, false) {
            return;
        }
        self.events.push_back(PeerEvent::RemoveTrack {
            transceiver: id,
            track: t.receiver_track.clone(),
            ended,
        });
    }

    /// After the media m-lines of an answer: the routing tables follow the
    /// negotiated mids, SSRCs, payload types and header extension ids.
    pub(crate) fn finish_media(&mut self, extensions: ExtensionMap) {
        self.router.rebuild(&self.transceivers, extensions);
        for t in &self.transceivers {
            if t.current_direction.is_some() || t.stopped {
                self.jsep.set_negotiated_direction(t.id, t.direction);
            }
        }
    }
}
