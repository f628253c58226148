//! Building offers and answers (RFC 8829 §5.2, §5.3) into the SDP model.

use crate::ice::IceCredentials;
use crate::sdp::negotiate::{answer_direction, answer_setup, negotiate_codecs, negotiate_extmaps};
use crate::sdp::{
    Connection, Direction, ExtMap, Fingerprint, Group, MediaDescription, MediaKind as SdpKind,
    Msid, MsidSemantic, Origin, Proto, Rtcp, SessionDescription, Setup, Ssrc, SsrcAttribute,
    SsrcGroup,
};
use crate::srtp::DtlsRole;

use super::convert::{to_sdp_codec, to_sdp_direction, to_sdp_extmap, to_sdp_kind};
use super::{MLine, MLineUse};
use crate::peer::PeerError;
use crate::peer::connection::RTCPeerConnection;
use crate::peer::media::{Transceiver, default_codecs, default_header_extensions};
use crate::peer::state::RTCSignalingState;

/// The SCTP port we announce (RFC 8841 §5; every browser uses 5000).
pub(crate) const SCTP_PORT: u16 = 5000;
/// The `m=` port of every accepted m-line (RFC 8829 §5.2.1: 9, discard).
const DISCARD_PORT: u16 = 9;

/// The transport attributes every accepted m-line repeats.
struct TransportAttrs {
    ice: IceCredentials,
    fingerprint: Fingerprint,
    setup: Setup,
}

impl TransportAttrs {
    fn apply(&self, m: &mut MediaDescription) {
        m.connection = Some(Connection::placeholder());
        m.ice_ufrag = Some(self.ice.ufrag.clone());
        m.ice_pwd = Some(self.ice.pwd.clone());
        m.ice_options = vec!["trickle".into()];
        m.fingerprints = vec![self.fingerprint.clone()];
        m.setup = Some(self.setup);
    }
}

/// What an audio/video section says besides the transport.
struct Section<'a> {
    mid: &'a str,
    direction: Direction,
    codecs: Vec<crate::sdp::Codec>,
    extmaps: Vec<ExtMap>,
    rtcp_rsize: bool,
    /// Offer the sender's simulcast layers (offers only).
    simulcast: bool,
}

/// A rejected m-line: port 0, the kind, proto and formats as given.
fn rejected(mid: &str, kind: SdpKind, proto: Proto, formats: &[String]) -> MediaDescription {
    let mut m = MediaDescription::new(kind, 0, proto);
    m.formats = if formats.is_empty() {
        vec!["0".into()]
    } else {
        formats.to_vec()
    };
    m.connection = Some(Connection::placeholder());
    m.mid = Some(mid.into());
    m
}

impl RTCPeerConnection {
    fn session(&mut self) -> SessionDescription {
        self.jsep.session_version += 1;
        let mut s =
            SessionDescription::new(Origin::new(self.jsep.session_id, self.jsep.session_version));
        s.extmap_allow_mixed = true;
        s.msid_semantic = Some(MsidSemantic {
            semantics: "WMS".into(),
            identifiers: Vec::new(),
        });
        s
    }

    fn local_fingerprint(&self) -> Fingerprint {
        Fingerprint::from(&self.fingerprint())
    }

    /// An audio/video section for a transceiver.
    fn media_section(
        &self,
        t: &Transceiver,
        spec: Section,
        transport: &TransportAttrs,
    ) -> MediaDescription {
        let Section {
            mid,
            direction,
            codecs,
            extmaps,
            rtcp_rsize,
            simulcast,
        } = spec;
        let mut m = MediaDescription::new(to_sdp_kind(t.kind), DISCARD_PORT, Proto::UdpTlsRtpSavpf);
        transport.apply(&mut m);
        m.rtcp = Some(Rtcp {
            port: DISCARD_PORT,
            connection: Some(Connection::placeholder()),
        });
        m.mid = Some(mid.into());
        m.extmaps = extmaps;
        m.direction = Some(direction);
        m.rtcp_mux = true;
        m.rtcp_rsize = rtcp_rsize;
        let has_rtx = codecs.iter().any(crate::sdp::Codec::is_rtx);
        for c in codecs {
            m.push_codec(c);
        }
        let simulcast = simulcast && direction.sends() && t.send_layers.len() > 1;
        if simulcast {
            super::simulcast::offer_layers(&t.send_layers, &mut m);
        }
        if direction.sends()
            && let Some(track) = &t.sender_track
        {
            let msid_value = |stream: &str| format!("{stream} {}", track.id);
            let streams: Vec<&str> = if t.stream_ids.is_empty() {
                vec!["-"]
            } else {
                t.stream_ids.iter().map(String::as_str).collect()
            };
            m.msids = streams
                .iter()
                .map(|s| Msid {
                    stream_id: (*s).to_string(),
                    track_id: Some(track.id.clone()),
                })
                .collect();
            // Simulcast layers are named by rid, without a=ssrc lines
            // (RFC 8853 §5.2, as Chromium offers them).
            let mut ssrcs = if simulcast { Vec::new() } else { vec![t.ssrc] };
            if let (false, true, Some(rtx)) = (simulcast, has_rtx, t.rtx_ssrc) {
                ssrcs.push(rtx);
                m.ssrc_groups.push(SsrcGroup {
                    semantics: "FID".into(),
                    ssrcs: vec![t.ssrc, rtx],
                });
            }
            for ssrc in ssrcs {
                let mut s = Ssrc::with_cname(ssrc, self.jsep.cname.clone());
                s.attributes.push(SsrcAttribute {
                    name: "msid".into(),
                    value: Some(msid_value(streams.first().copied().unwrap_or("-"))),
                });
                m.ssrcs.push(s);
            }
        }
        m
    }

    /// The data channel section.
    fn data_section(
        &self,
        mid: &str,
        proto: Proto,
        transport: &TransportAttrs,
    ) -> MediaDescription {
        let mut m = MediaDescription::new(SdpKind::Application, DISCARD_PORT, proto);
        m.formats = vec!["webrtc-datachannel".into()];
        transport.apply(&mut m);
        m.mid = Some(mid.into());
        m.sctp_port = Some(SCTP_PORT);
        m.max_message_size = Some(self.config.sctp.max_message_size as u64);
        m
    }

    /// A mid not used by any m-line or transceiver: the smallest free
    /// number, as browsers number them.
    fn free_mid(&self, layout: &[MLine]) -> String {
        (0u32..)
            .map(|n| n.to_string())
            .find(|mid| {
                !layout.iter().any(|l| &l.mid == mid)
                    && !self
                        .transceivers
                        .iter()
                        .any(|t| t.mid.as_ref() == Some(mid))
            })
            .unwrap_or_default()
    }

    /// Our codecs for a transceiver: the negotiated ones once there are
    /// (payload types must stay the same, RFC 8829 §5.2.2), else ours.
    fn offer_codecs(t: &Transceiver) -> Vec<crate::sdp::Codec> {
        if t.negotiated.codecs.is_empty() {
            default_codecs(t.kind).iter().map(to_sdp_codec).collect()
        } else {
            t.negotiated.codecs.iter().map(to_sdp_codec).collect()
        }
    }

    fn offer_extmaps(t: &Transceiver) -> Vec<ExtMap> {
        if t.negotiated.header_extensions.is_empty() {
            default_header_extensions(t.kind)
                .iter()
                .map(to_sdp_extmap)
                .collect()
        } else {
            t.negotiated
                .header_extensions
                .iter()
                .map(to_sdp_extmap)
                .collect()
        }
    }

    /// Builds an offer: the model, its m-line layout, its ICE credentials.
    pub(crate) fn build_offer(&mut self) -> (SessionDescription, Vec<MLine>, IceCredentials) {
        let ice = if self.ice_restart {
            match &self.jsep.pending_local_ice {
                Some(c) => c.clone(),
                None => IceCredentials::random(&mut self.rng),
            }
        } else {
            self.local_ice.clone()
        };
        let mut layout = if self.signaling == RTCSignalingState::HaveLocalOffer {
            self.jsep.layout().to_vec()
        } else {
            self.jsep.mlines.clone()
        };
        for i in 0..self.transceivers.len() {
            let Some(t) = self.transceivers.get(i) else {
                continue;
            };
            if t.mid.is_some() || t.stopped {
                continue;
            }
            let (id, kind) = (t.id, t.kind);
            let mid = self.free_mid(&layout);
            layout.push(MLine {
                mid,
                usage: MLineUse::Media(id),
                kind: to_sdp_kind(kind),
                proto: Proto::UdpTlsRtpSavpf,
                formats: Vec::new(),
            });
        }
        if self.channels.len() > 0 && !layout.iter().any(|l| l.usage == MLineUse::Data) {
            let mid = self.free_mid(&layout);
            layout.push(MLine {
                mid,
                usage: MLineUse::Data,
                kind: SdpKind::Application,
                proto: Proto::UdpDtlsSctp,
                formats: Vec::new(),
            });
        }
        let transport = TransportAttrs {
            ice: ice.clone(),
            fingerprint: self.local_fingerprint(),
            setup: Setup::ActPass,
        };
        let mut session = self.session();
        let mut bundle = Vec::new();
        for line in &layout {
            let section = match &line.usage {
                MLineUse::Media(id) => match self.transceivers.get(id.0 as usize) {
                    Some(t) if !t.stopped => {
                        bundle.push(line.mid.clone());
                        self.media_section(
                            t,
                            Section {
                                mid: &line.mid,
                                direction: to_sdp_direction(t.direction),
                                codecs: Self::offer_codecs(t),
                                extmaps: Self::offer_extmaps(t),
                                rtcp_rsize: true,
                                simulcast: true,
                            },
                            &transport,
                        )
                    }
                    Some(t) => {
                        let formats: Vec<String> = Self::offer_codecs(t)
                            .iter()
                            .map(|c| c.payload_type.to_string())
                            .collect();
                        rejected(
                            &line.mid,
                            to_sdp_kind(t.kind),
                            Proto::UdpTlsRtpSavpf,
                            &formats,
                        )
                    }
                    None => rejected(
                        &line.mid,
                        line.kind.clone(),
                        line.proto.clone(),
                        &line.formats,
                    ),
                },
                MLineUse::Data => {
                    bundle.push(line.mid.clone());
                    self.data_section(&line.mid, Proto::UdpDtlsSctp, &transport)
                }
                MLineUse::Unsupported => rejected(
                    &line.mid,
                    line.kind.clone(),
                    line.proto.clone(),
                    &line.formats,
                ),
            };
            session.media.push(section);
        }
        if !bundle.is_empty() {
            session.groups.push(Group::bundle(bundle));
        }
        self.add_local_candidates(&mut session);
        (session, layout, ice)
    }

    /// Builds the answer to the pending remote offer.
    pub(crate) fn build_answer(&mut self) -> Result<SessionDescription, PeerError> {
        let remote = self
            .jsep
            .pending_remote
            .as_ref()
            .ok_or(PeerError::NoRemoteDescription)?
            .model
            .clone();
        let layout = self.jsep.layout().to_vec();
        let ice = match &self.jsep.remote_restart {
            Some(r) => r.local.clone(),
            None => self.local_ice.clone(),
        };
        let accepted = super::apply::accepted_mids(&remote);
        let offered = remote
            .media
            .iter()
            .find(|m| accepted.contains(&m.mid.clone().unwrap_or_default()))
            .and_then(|m| remote.setup_of(m))
            .unwrap_or(Setup::ActPass);
        // RFC 8842 §5.3 and §5.5: an `actpass` re-offer leaves the roles of
        // the current association as they are; an offer that takes a role
        // (`active`/`passive`, RFC 8842 §5.2) gets the other one (it takes
        // effect with a new association, that is with a new remote
        // fingerprint: see `apply_dtls`).
        let setup = match (self.transport.dtls_role(), offered) {
            (Some(DtlsRole::Client), Setup::ActPass) => Setup::Active,
            (Some(DtlsRole::Server), Setup::ActPass) => Setup::Passive,
            _ => answer_setup(offered),
        };
        let transport = TransportAttrs {
            ice,
            fingerprint: self.local_fingerprint(),
            setup,
        };
        let mut session = self.session();
        let mut bundle = Vec::new();
        for (line, offered) in layout.iter().zip(&remote.media) {
            let is_accepted = accepted.contains(&line.mid);
            let reject = || {
                rejected(
                    &line.mid,
                    offered.kind.clone(),
                    offered.proto.clone(),
                    &offered.formats,
                )
            };
            let section = match (&line.usage, is_accepted) {
                (MLineUse::Media(id), true) => match self.transceivers.get(id.0 as usize) {
                    Some(t) if !t.stopped => {
                        let local_codecs: Vec<_> =
                            default_codecs(t.kind).iter().map(to_sdp_codec).collect();
                        let codecs = negotiate_codecs(&offered.codecs, &local_codecs);
                        if codecs.iter().all(crate::sdp::Codec::is_rtx) {
                            reject()
                        } else {
                            let local_ext: Vec<_> = default_header_extensions(t.kind)
                                .iter()
                                .map(to_sdp_extmap)
                                .collect();
                            let extmaps = negotiate_extmaps(&offered.extmaps, &local_ext);
                            let direction = answer_direction(
                                remote.direction_of(offered),
                                to_sdp_direction(t.direction),
                            );
                            bundle.push(line.mid.clone());
                            let mut m = self.media_section(
                                t,
                                Section {
                                    mid: &line.mid,
                                    direction,
                                    codecs,
                                    extmaps,
                                    rtcp_rsize: offered.rtcp_rsize,
                                    simulcast: false,
                                },
                                &transport,
                            );
                            super::simulcast::answer_layers(offered, &mut m);
                            m
                        }
                    }
                    _ => reject(),
                },
                (MLineUse::Data, true) => {
                    bundle.push(line.mid.clone());
                    let mut m = self.data_section(&line.mid, offered.proto.clone(), &transport);
                    if offered.proto == Proto::DtlsSctp {
                        // The legacy form (RFC 8841 draft 06): port in sctpmap.
                        m.formats = vec![SCTP_PORT.to_string()];
                        m.sctp_port = None;
                        m.sctpmap = offered.sctpmap.clone().map(|mut s| {
                            s.port = SCTP_PORT;
                            s
                        });
                    }
                    m
                }
                _ => reject(),
            };
            session.media.push(section);
        }
        if !bundle.is_empty() {
            session.groups.push(Group::bundle(bundle));
        }
        self.add_local_candidates(&mut session);
        Ok(session)
    }

    /// Writes the candidates gathered so far (and end-of-candidates once
    /// gathering completed) into the first accepted m-line.
    pub(crate) fn add_local_candidates(&self, session: &mut SessionDescription) {
        let Some(first) = session.media.iter_mut().find(|m| m.port != 0) else {
            return;
        };
        let ufrag = first.ice_ufrag.clone();
        first.candidates = self
            .local_candidates
            .iter()
            .filter(|c| c.ufrag.is_none() || c.ufrag == ufrag)
            .cloned()
            .collect();
        first.end_of_candidates =
            self.local_candidates_complete && Some(&self.local_ice.ufrag) == ufrag.as_ref();
    }
}
