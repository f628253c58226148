//! Transceivers, senders and receivers (W3C `RTCRtpTransceiver`), the
//! codecs and header extensions we offer, and the routing of incoming RTP
//! to receivers by mid header extension, SSRC or payload type (RFC 8843
//! §9.2).

use std::fmt;

use crate::rtp::{ExtensionKind, ExtensionMap, RtpPacket};

/// The kind of a track and of an audio/video m-line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MediaKind {
    /// `audio`
    Audio,
    /// `video`
    Video,
}

impl MediaKind {
    /// `audio` or `video`.
    pub const fn as_str(self) -> &'static str {
        match self {
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
        }
    }
}

/// A track to send, or one the peer announced (W3C `MediaStreamTrack`,
/// with the ids of the streams it belongs to, as `a=msid` carries them).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MediaStreamTrack {
    /// Track id (the second field of `a=msid`).
    pub id: String,
    /// Audio or video.
    pub kind: MediaKind,
    /// Ids of the media streams it belongs to (the first field of
    /// `a=msid`, one line per stream).
    pub stream_ids: Vec<String>,
}

impl MediaStreamTrack {
    /// A track with an id and a kind, in one stream named `stream_id`.
    pub fn new(id: impl Into<String>, kind: MediaKind, stream_id: impl Into<String>) -> Self {
        Self {
            id: id.into(),
            kind,
            stream_ids: vec![stream_id.into()],
        }
    }
}

/// Direction of a transceiver (W3C `RTCRtpTransceiverDirection`, the SDP
/// direction attribute of RFC 8866 §6.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCRtpTransceiverDirection {
    /// Send and receive.
    SendRecv,
    /// Send only.
    SendOnly,
    /// Receive only.
    RecvOnly,
    /// Neither.
    Inactive,
    /// Stopped: the m-line is rejected (port 0).
    Stopped,
}

impl RTCRtpTransceiverDirection {
    /// Built from whether it sends and receives.
    pub const fn from_send_recv(send: bool, recv: bool) -> Self {
        match (send, recv) {
            (true, true) => Self::SendRecv,
            (true, false) => Self::SendOnly,
            (false, true) => Self::RecvOnly,
            (false, false) => Self::Inactive,
        }
    }

    /// Whether it sends.
    pub const fn has_send(self) -> bool {
        matches!(self, Self::SendRecv | Self::SendOnly)
    }

    /// Whether it receives.
    pub const fn has_recv(self) -> bool {
        matches!(self, Self::SendRecv | Self::RecvOnly)
    }

    /// The direction seen from the other side (sendonly ↔ recvonly).
    pub const fn reverse(self) -> Self {
        match self {
            Self::SendOnly => Self::RecvOnly,
            Self::RecvOnly => Self::SendOnly,
            other => other,
        }
    }

    /// The answer's direction for an offered one and what we want (RFC
    /// 8829 §5.3.1, RFC 3264 §6.1): we send only if the offer receives,
    /// and receive only if it sends.
    pub const fn answer(offered: Self, wanted: Self) -> Self {
        Self::from_send_recv(
            wanted.has_send() && offered.has_recv(),
            wanted.has_recv() && offered.has_send(),
        )
    }
}

/// A transceiver of this peer connection: a handle that stays valid (and
/// is never reused). Senders and receivers are named by their
/// transceiver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TransceiverId(pub(crate) u32);

impl fmt::Display for TransceiverId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// One RTCP feedback mechanism of a codec (`a=rtcp-fb`, RFC 4585).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RTCRtcpFeedback {
    /// `nack`, `ccm`, `goog-remb`, `transport-cc`...
    pub kind: String,
    /// `pli`, `fir`..., empty when none.
    pub parameter: String,
}

impl RTCRtcpFeedback {
    fn new(kind: &str, parameter: &str) -> Self {
        Self {
            kind: kind.into(),
            parameter: parameter.into(),
        }
    }
}

/// A codec as negotiated or offered (W3C `RTCRtpCodecParameters`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RTCRtpCodecParameters {
    /// The RTP payload type.
    pub payload_type: u8,
    /// `audio/opus`, `video/VP8`, `video/rtx`...
    pub mime_type: String,
    /// The RTP clock rate.
    pub clock_rate: u32,
    /// Audio channels (`None` for video).
    pub channels: Option<u16>,
    /// The `a=fmtp` parameters, as written.
    pub sdp_fmtp_line: String,
    /// RTCP feedback.
    pub rtcp_feedback: Vec<RTCRtcpFeedback>,
}

impl RTCRtpCodecParameters {
    /// The encoding name: the part of the MIME type after `/`.
    pub fn name(&self) -> &str {
        self.mime_type
            .split_once('/')
            .map_or(self.mime_type.as_str(), |(_, n)| n)
    }

    /// Whether this is RTX (RFC 4588).
    pub fn is_rtx(&self) -> bool {
        self.name().eq_ignore_ascii_case("rtx")
    }

    fn new(kind: MediaKind, pt: u8, name: &str, clock: u32, channels: Option<u16>) -> Self {
        Self {
            payload_type: pt,
            mime_type: format!("{}/{name}", kind.as_str()),
            clock_rate: clock,
            channels,
            sdp_fmtp_line: String::new(),
            rtcp_feedback: Vec::new(),
        }
    }

    fn fmtp(mut self, fmtp: &str) -> Self {
        self.sdp_fmtp_line = fmtp.into();
        self
    }

    fn video_feedback(mut self) -> Self {
        self.rtcp_feedback = vec![
            RTCRtcpFeedback::new("goog-remb", ""),
            RTCRtcpFeedback::new("transport-cc", ""),
            RTCRtcpFeedback::new("ccm", "fir"),
            RTCRtcpFeedback::new("nack", ""),
            RTCRtcpFeedback::new("nack", "pli"),
        ];
        self
    }

    fn rtx(kind: MediaKind, pt: u8, apt: u8) -> Self {
        Self::new(kind, pt, "rtx", 90_000, None).fmtp(&format!("apt={apt}"))
    }
}

/// A header extension as offered or negotiated (`a=extmap`, RFC 8285).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RTCRtpHeaderExtensionParameters {
    /// The extension URI.
    pub uri: String,
    /// Its id (1..=14 in the one-byte form, up to 255 with
    /// `extmap-allow-mixed`).
    pub id: u16,
}

/// The codecs we offer for `kind`, most preferred first, with the payload
/// types Chromium uses: Opus; VP8, VP9 (profile 0), H.264 constrained
/// baseline packetization-mode 1 and 0, AV1 — each video codec with its
/// RTX (RFC 4588).
pub fn default_codecs(kind: MediaKind) -> Vec<RTCRtpCodecParameters> {
    use RTCRtpCodecParameters as C;
    match kind {
        MediaKind::Audio => {
            vec![C::new(kind, 111, "opus", 48_000, Some(2)).fmtp("minptime=10;useinbandfec=1")]
        }
        MediaKind::Video => {
            let v = |pt, name, fmtp: &str| {
                C::new(kind, pt, name, 90_000, None)
                    .fmtp(fmtp)
                    .video_feedback()
            };
            vec![
                v(96, "VP8", ""),
                C::rtx(kind, 97, 96),
                v(98, "VP9", "profile-id=0"),
                C::rtx(kind, 99, 98),
                v(
                    102,
                    "H264",
                    "level-asymmetry-allowed=1;packetization-mode=1;profile-level-id=42e01f",
                ),
                C::rtx(kind, 103, 102),
                v(
                    104,
                    "H264",
                    "level-asymmetry-allowed=1;packetization-mode=0;profile-level-id=42e01f",
                ),
                C::rtx(kind, 105, 104),
                v(45, "AV1", "level-idx=5;profile=0;tier=0"),
                C::rtx(kind, 46, 45),
            ]
        }
    }
}

/// The header extensions we offer for `kind`, with Chromium's ids.
pub fn default_header_extensions(kind: MediaKind) -> Vec<RTCRtpHeaderExtensionParameters> {
    let e = |id, kind: ExtensionKind| RTCRtpHeaderExtensionParameters {
        uri: kind.uri().into(),
        id,
    };
    match kind {
        MediaKind::Audio => vec![
            e(1, ExtensionKind::AudioLevel),
            e(2, ExtensionKind::AbsSendTime),
            e(3, ExtensionKind::TransportSequenceNumber),
            e(4, ExtensionKind::SdesMid),
        ],
        MediaKind::Video => vec![
            e(2, ExtensionKind::AbsSendTime),
            e(3, ExtensionKind::TransportSequenceNumber),
            e(4, ExtensionKind::SdesMid),
            e(10, ExtensionKind::RtpStreamId),
            e(11, ExtensionKind::RepairedRtpStreamId),
            e(13, ExtensionKind::VideoOrientation),
        ],
    }
}

/// Options of [`super::RTCPeerConnection::add_transceiver`] (W3C
/// `RTCRtpTransceiverInit`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RTCRtpTransceiverInit {
    /// The direction. Default sendrecv.
    pub direction: RTCRtpTransceiverDirection,
    /// Stream ids for `a=msid`.
    pub stream_ids: Vec<String>,
}

impl Default for RTCRtpTransceiverInit {
    fn default() -> Self {
        Self {
            direction: RTCRtpTransceiverDirection::SendRecv,
            stream_ids: Vec::new(),
        }
    }
}

/// A sender, as [`super::RTCPeerConnection::get_senders`] shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RTCRtpSender {
    /// Its transceiver (the handle for `write_rtp`).
    pub transceiver: TransceiverId,
    /// The track it sends, if any.
    pub track: Option<MediaStreamTrack>,
    /// Our SSRC for this sender (`a=ssrc`).
    pub ssrc: u32,
    /// Our RTX SSRC (`a=ssrc-group:FID`), for video.
    pub rtx_ssrc: Option<u32>,
    /// The negotiated codecs we may send with, most preferred first.
    pub codecs: Vec<RTCRtpCodecParameters>,
    /// The negotiated header extensions.
    pub header_extensions: Vec<RTCRtpHeaderExtensionParameters>,
}

/// A receiver, as [`super::RTCPeerConnection::get_receivers`] shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RTCRtpReceiver {
    /// Its transceiver.
    pub transceiver: TransceiverId,
    /// The remote track (its id from `a=msid`, or generated).
    pub track: MediaStreamTrack,
    /// SSRCs the peer announced or that were routed here.
    pub ssrcs: Vec<u32>,
    /// The negotiated codecs the peer may send with.
    pub codecs: Vec<RTCRtpCodecParameters>,
}

/// A transceiver, as [`super::RTCPeerConnection::get_transceivers`] shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RTCRtpTransceiver {
    /// The handle.
    pub id: TransceiverId,
    /// Its mid, once negotiated (or offered).
    pub mid: Option<String>,
    /// Audio or video.
    pub kind: MediaKind,
    /// The direction we want.
    pub direction: RTCRtpTransceiverDirection,
    /// The direction last negotiated (`None` before).
    pub current_direction: Option<RTCRtpTransceiverDirection>,
    /// Whether it was stopped.
    pub stopped: bool,
    /// Its sender.
    pub sender: RTCRtpSender,
    /// Its receiver.
    pub receiver: RTCRtpReceiver,
}

/// The negotiated parameters of one transceiver.
#[derive(Debug, Clone, Default)]
pub(crate) struct Negotiated {
    pub codecs: Vec<RTCRtpCodecParameters>,
    pub header_extensions: Vec<RTCRtpHeaderExtensionParameters>,
    /// The id of the mid extension we write, when negotiated.
    pub mid_ext_id: Option<u8>,
}

/// A transceiver's internal state.
#[derive(Debug, Clone)]
pub(crate) struct Transceiver {
    pub id: TransceiverId,
    pub kind: MediaKind,
    pub mid: Option<String>,
    pub direction: RTCRtpTransceiverDirection,
    pub current_direction: Option<RTCRtpTransceiverDirection>,
    pub stopped: bool,
    pub sender_track: Option<MediaStreamTrack>,
    pub stream_ids: Vec<String>,
    pub ssrc: u32,
    pub rtx_ssrc: Option<u32>,
    pub receiver_track: MediaStreamTrack,
    pub remote_ssrcs: Vec<u32>,
    pub negotiated: Negotiated,
    /// Created by applying a remote offer (removed again by its rollback
    /// unless a track was attached).
    pub from_remote_offer: bool,
    /// A `track` event was fired for the current remote description.
    pub receiving: bool,
    /// Removed by the rollback of the remote offer that created it (kept
    /// so that handles stay indices; invisible to the application).
    pub removed: bool,
    /// Negotiation once let it send (W3C: a sender "used to send" is not
    /// reused by `addTrack`).
    pub has_sent: bool,
}

impl Transceiver {
    pub(crate) fn snapshot(&self) -> RTCRtpTransceiver {
        RTCRtpTransceiver {
            id: self.id,
            mid: self.mid.clone(),
            kind: self.kind,
            direction: self.direction,
            current_direction: self.current_direction,
            stopped: self.stopped,
            sender: RTCRtpSender {
                transceiver: self.id,
                track: self.sender_track.clone(),
                ssrc: self.ssrc,
                rtx_ssrc: self.rtx_ssrc,
                codecs: self.negotiated.codecs.clone(),
                header_extensions: self.negotiated.header_extensions.clone(),
            },
            receiver: RTCRtpReceiver {
                transceiver: self.id,
                track: self.receiver_track.clone(),
                ssrcs: self.remote_ssrcs.clone(),
                codecs: self.negotiated.codecs.clone(),
            },
        }
    }

    /// Whether negotiation lets us send on it now.
    pub(crate) fn can_send(&self) -> bool {
        !self.stopped
            && self.sender_track.is_some()
            && self
                .current_direction
                .is_some_and(RTCRtpTransceiverDirection::has_send)
    }
}

/// Routes incoming RTP to transceivers (RFC 8843 §9.2): by the mid header
/// extension, else by an SSRC already bound (from `a=ssrc` or an earlier
/// packet with a mid), else by a payload type only one receiver uses.
#[derive(Debug, Default)]
pub(crate) struct Router {
    /// The bundle's extension ids (the mid id is what routing needs).
    pub extensions: ExtensionMap,
    /// (SSRC, transceiver index), sorted by SSRC.
    ssrcs: Vec<(u32, usize)>,
    /// (mid, transceiver index) of receiving transceivers.
    mids: Vec<(String, usize)>,
    /// (payload type, transceiver index) for payload types only one
    /// receiving transceiver uses.
    unique_pts: Vec<(u8, usize)>,
}

/// SSRCs bound at most (a bound on memory under a flood of new SSRCs).
const MAX_BOUND_SSRCS: usize = 1024;

impl Router {
    /// Rebuilds the tables from the transceivers after a negotiation.
    pub(crate) fn rebuild(&mut self, transceivers: &[Transceiver], extensions: ExtensionMap) {
        self.extensions = extensions;
        self.mids.clear();
        self.unique_pts.clear();
        self.ssrcs.clear();
        let mut pts: Vec<(u8, usize, bool)> = Vec::new();
        for (i, t) in transceivers.iter().enumerate() {
            if t.stopped {
                continue;
            }
            let Some(mid) = &t.mid else { continue };
            if t.current_direction.is_none() {
                continue;
            }
            self.mids.push((mid.clone(), i));
            for &ssrc in &t.remote_ssrcs {
                self.bind(ssrc, i);
            }
            for c in &t.negotiated.codecs {
                match pts.iter_mut().find(|(pt, _, _)| *pt == c.payload_type) {
                    Some(e) => e.2 = false,
                    None => pts.push((c.payload_type, i, true)),
                }
            }
        }
        self.unique_pts = pts
            .into_iter()
            .filter(|&(_, _, unique)| unique)
            .map(|(pt, i, _)| (pt, i))
            .collect();
    }

    fn bind(&mut self, ssrc: u32, index: usize) {
        match self.ssrcs.binary_search_by_key(&ssrc, |&(s, _)| s) {
            Ok(i) => {
                if let Some(e) = self.ssrcs.get_mut(i) {
                    e.1 = index;
                }
            }
            Err(i) => {
                if self.ssrcs.len() < MAX_BOUND_SSRCS {
                    self.ssrcs.insert(i, (ssrc, index));
                }
            }
        }
    }

    /// The transceiver index for a decrypted RTP packet.
    pub(crate) fn route(&mut self, packet: &[u8]) -> Option<usize> {
        let rtp = RtpPacket::parse(packet).ok()?;
        let ssrc = rtp.ssrc();
        if let Some(id) = self.extensions.id_of(ExtensionKind::SdesMid)
            && let Some(Ok(mid)) = rtp.extension(id)
            && let Some(&(_, index)) = self.mids.iter().find(|(m, _)| m.as_bytes() == mid)
        {
            // RFC 8843 §9.2: a mid binds the SSRC for packets without one.
            let known = self
                .ssrcs
                .binary_search_by_key(&ssrc, |&(s, _)| s)
                .ok()
                .and_then(|i| self.ssrcs.get(i))
                .is_some_and(|&(_, t)| t == index);
            if !known {
                self.bind(ssrc, index);
            }
            return Some(index);
        }
        if let Ok(i) = self.ssrcs.binary_search_by_key(&ssrc, |&(s, _)| s) {
            return self.ssrcs.get(i).map(|&(_, t)| t);
        }
        let pt = rtp.payload_type();
        let index = self
            .unique_pts
            .iter()
            .find(|&&(p, _)| p == pt)
            .map(|&(_, i)| i)?;
        self.bind(ssrc, index);
        Some(index)
    }

    /// The SSRCs bound to transceiver `index` (learned from packets too).
    pub(crate) fn ssrcs_of(&self, index: usize) -> impl Iterator<Item = u32> + '_ {
        self.ssrcs
            .iter()
            .filter(move |&&(_, t)| t == index)
            .map(|&(s, _)| s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RTCRtpTransceiverDirection as D;

    #[test]
    fn answer_directions_follow_rfc_3264() {
        assert_eq!(D::answer(D::SendRecv, D::SendRecv), D::SendRecv);
        assert_eq!(D::answer(D::SendOnly, D::SendRecv), D::RecvOnly);
        assert_eq!(D::answer(D::RecvOnly, D::SendRecv), D::SendOnly);
        assert_eq!(D::answer(D::SendRecv, D::RecvOnly), D::RecvOnly);
        assert_eq!(D::answer(D::RecvOnly, D::RecvOnly), D::Inactive);
        assert_eq!(D::answer(D::Inactive, D::SendRecv), D::Inactive);
        assert_eq!(D::SendOnly.reverse(), D::RecvOnly);
    }

    fn transceiver(i: u32, mid: &str, pts: &[u8], remote_ssrcs: &[u32]) -> Transceiver {
        Transceiver {
            id: TransceiverId(i),
            kind: MediaKind::Video,
            mid: Some(mid.into()),
            direction: D::SendRecv,
            current_direction: Some(D::SendRecv),
            stopped: false,
            sender_track: None,
            stream_ids: Vec::new(),
            ssrc: 1,
            rtx_ssrc: None,
            receiver_track: MediaStreamTrack::new("t", MediaKind::Video, "s"),
            remote_ssrcs: remote_ssrcs.to_vec(),
            negotiated: Negotiated {
                codecs: default_codecs(MediaKind::Video)
                    .into_iter()
                    .filter(|c| pts.contains(&c.payload_type))
                    .collect(),
                ..Negotiated::default()
            },
            from_remote_offer: false,
            receiving: false,
            removed: false,
            has_sent: false,
        }
    }

    fn packet(pt: u8, ssrc: u32, mid: Option<&[u8]>) -> Vec<u8> {
        let mut h = crate::rtp::RtpHeader::new(pt, 1, 2, ssrc);
        if let Some(mid) = mid {
            h.set_extension(4, mid).unwrap();
        }
        let mut out = vec![0; 200];
        let n = h.marshal_packet(&[1, 2, 3], &mut out).unwrap();
        out.truncate(n);
        out
    }

    #[test]
    fn routes_by_mid_then_ssrc_then_unique_payload_type() {
        let ts = [
            transceiver(0, "0", &[96, 97], &[]),
            transceiver(1, "1", &[96, 98], &[0xAAAA]),
        ];
        let mut map = ExtensionMap::new();
        map.insert(4, ExtensionKind::SdesMid).unwrap();
        let mut r = Router::default();
        r.rebuild(&ts, map);
        // By mid; binds the SSRC.
        assert_eq!(r.route(&packet(96, 0x1234, Some(b"0"))), Some(0));
        assert_eq!(r.route(&packet(96, 0x1234, None)), Some(0));
        // By a signalled SSRC.
        assert_eq!(r.route(&packet(96, 0xAAAA, None)), Some(1));
        // By a payload type only one transceiver has.
        assert_eq!(r.route(&packet(98, 0x5555, None)), Some(1));
        assert_eq!(r.route(&packet(97, 0x6666, None)), Some(0));
        // Shared payload type, unknown SSRC, no mid: nowhere.
        assert_eq!(r.route(&packet(96, 0x7777, None)), None);
        // Unknown mid falls back to the SSRC.
        assert_eq!(r.route(&packet(96, 0xAAAA, Some(b"9"))), Some(1));
        assert_eq!(r.ssrcs_of(0).collect::<Vec<_>>(), [0x1234, 0x6666]);
        assert_eq!(r.route(&[0x80]), None);
    }
}
