//! Transceivers, senders and receivers (W3C `RTCRtpTransceiver`), the
//! codecs and header extensions we offer, and the routing of incoming RTP
//! to receivers by mid header extension, SSRC or payload type (RFC 8843
//! §9.2), and to simulcast layers by RTP stream id (RFC 8852: the
//! `rtp-stream-id` extension, `repaired-rtp-stream-id` for RTX; RFC 8853
//! simulcast), the SSRC latched to its layer by the first tagged packet.

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

/// Most simulcast layers a sender offers or a receiver accepts.
pub const MAX_SIMULCAST_LAYERS: usize = 8;

/// An RTP stream id (RFC 8852 `rtp-stream-id`, the `a=rid` of RFC 8851):
/// names one simulcast layer. Kept inline (at most 16 bytes: what a
/// one-byte header extension element carries, RFC 8285 §4.2, and
/// libwebrtc's limit), so routing a packet to its layer and the
/// [`super::PeerEvent::Rtp`] event allocate nothing.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct RtpStreamId {
    len: u8,
    bytes: [u8; 16],
}

impl RtpStreamId {
    /// Longest rid, in bytes.
    pub const MAX_LEN: usize = 16;

    /// A rid from its text: 1 to 16 letters, digits, `-` or `_` (RFC 8851
    /// §10 `rid-id`, within the one-byte extension limit); `None` else.
    pub fn new(rid: &str) -> Option<Self> {
        Self::from_bytes(rid.as_bytes())
    }

    /// As [`RtpStreamId::new`], from an extension element's bytes.
    pub(crate) fn from_bytes(rid: &[u8]) -> Option<Self> {
        let ok = |b: &u8| b.is_ascii_alphanumeric() || *b == b'-' || *b == b'_';
        if rid.is_empty() || rid.len() > Self::MAX_LEN || !rid.iter().all(ok) {
            return None;
        }
        let mut bytes = [0u8; 16];
        bytes.get_mut(..rid.len())?.copy_from_slice(rid);
        Some(Self {
            len: rid.len() as u8,
            bytes,
        })
    }

    /// The rid's bytes.
    pub fn as_bytes(&self) -> &[u8] {
        self.bytes.get(..usize::from(self.len)).unwrap_or_default()
    }

    /// The rid.
    pub fn as_str(&self) -> &str {
        core::str::from_utf8(self.as_bytes()).unwrap_or_default()
    }
}

impl fmt::Debug for RtpStreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RtpStreamId({:?})", self.as_str())
    }
}

impl fmt::Display for RtpStreamId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PartialEq<&str> for RtpStreamId {
    fn eq(&self, other: &&str) -> bool {
        self.as_bytes() == other.as_bytes()
    }
}

/// One RTP stream of a sender or a receiver (W3C `RTCRtpCodingParameters`:
/// its `rid`), with the SSRCs it goes on: ours for a sender, those learned
/// from the peer's packets for a receiver.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RTCRtpCodingParameters {
    /// The rid (RFC 8851).
    pub rid: String,
    /// The SSRC of the stream, once known.
    pub ssrc: Option<u32>,
    /// The SSRC of its RTX stream (RFC 4588), once known.
    pub rtx_ssrc: Option<u32>,
}

/// One encoding to send (W3C `RTCRtpEncodingParameters`): with more than
/// one in [`RTCRtpTransceiverInit::send_encodings`], the sender offers
/// simulcast (RFC 8853).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RTCRtpEncodingParameters {
    /// The rid of the layer (RFC 8851: letters, digits, `-`, `_`; at most
    /// 16 bytes here).
    pub rid: String,
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
    /// The encodings to send (W3C `sendEncodings`). Two or more, each
    /// with a rid, offer simulcast as Chromium does (`a=rid:<rid> send`
    /// lines and `a=simulcast:send <rid>;<rid>...`, RFC 8851 and RFC
    /// 8853); each layer gets its own SSRC and RTX SSRC, and is sent with
    /// [`super::RTCPeerConnection::write_rtp_rid`]. Empty or one: a single
    /// stream. Only an offer can start simulcast sending: answering a
    /// peer's offer to receive simulcast sends one stream.
    pub send_encodings: Vec<RTCRtpEncodingParameters>,
}

impl Default for RTCRtpTransceiverInit {
    fn default() -> Self {
        Self {
            direction: RTCRtpTransceiverDirection::SendRecv,
            stream_ids: Vec::new(),
            send_encodings: Vec::new(),
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
    /// The simulcast layers it sends, once the answer accepted them (RFC
    /// 8853), in the order offered; empty for a single stream.
    pub encodings: Vec<RTCRtpCodingParameters>,
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
    /// The simulcast layers it receives (RFC 8853: the rids our answer
    /// accepted), with the SSRCs latched to each from the peer's packets;
    /// empty for a single stream. Packets of a layer carry its rid in
    /// [`super::PeerEvent::Rtp`].
    pub encodings: Vec<RTCRtpCodingParameters>,
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
    /// The ids of the rid and repaired-rid extensions we write on
    /// simulcast layers (RFC 8852), when negotiated.
    pub rid_ext_id: Option<u8>,
    pub rrid_ext_id: Option<u8>,
    /// Simulcast layers we send, as the answer accepted them.
    pub send_rids: Vec<RtpStreamId>,
    /// Simulcast layers we receive, as the answer accepted them.
    pub recv_rids: Vec<RtpStreamId>,
    /// Bit `pt` set for each negotiated RTX payload type (see
    /// [`Negotiated::index_rtx`]).
    pub rtx_pts: u128,
}

impl Negotiated {
    /// Fills [`Negotiated::rtx_pts`] from the codecs (once per
    /// negotiation, so the send path tests one bit).
    pub(crate) fn index_rtx(&mut self) {
        self.rtx_pts = self
            .codecs
            .iter()
            .filter(|c| c.is_rtx() && c.payload_type < 128)
            .fold(0, |bits, c| bits | 1u128 << c.payload_type);
    }

    /// Whether `pt` is a negotiated RTX payload type (RFC 4588): such
    /// packets go on the RTX SSRC with the repaired rid.
    pub(crate) fn is_rtx(&self, pt: u8) -> bool {
        pt < 128 && self.rtx_pts & (1u128 << pt) != 0
    }
}

/// One layer a sender can send: its rid and SSRCs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SendLayer {
    pub rid: RtpStreamId,
    pub ssrc: u32,
    pub rtx_ssrc: Option<u32>,
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
    /// The simulcast layers offered (`sendEncodings` with rids); the
    /// first uses `ssrc`/`rtx_ssrc`. Empty: one stream.
    pub send_layers: Vec<SendLayer>,
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
                encodings: self
                    .negotiated
                    .send_rids
                    .iter()
                    .filter_map(|rid| self.send_layers.iter().find(|l| l.rid == *rid))
                    .map(|l| RTCRtpCodingParameters {
                        rid: l.rid.as_str().into(),
                        ssrc: Some(l.ssrc),
                        rtx_ssrc: l.rtx_ssrc,
                    })
                    .collect(),
            },
            receiver: RTCRtpReceiver {
                transceiver: self.id,
                track: self.receiver_track.clone(),
                ssrcs: self.remote_ssrcs.clone(),
                codecs: self.negotiated.codecs.clone(),
                encodings: self
                    .negotiated
                    .recv_rids
                    .iter()
                    .map(|rid| RTCRtpCodingParameters {
                        rid: rid.as_str().into(),
                        ssrc: None,
                        rtx_ssrc: None,
                    })
                    .collect(),
            },
        }
    }

    /// The SSRC, and the rid extension (id, rid), to send a packet of
    /// payload type `pt` with on simulcast layer `layer` (index into the
    /// negotiated send rids): the layer's SSRC and rid, or for an RTX
    /// payload type its RTX SSRC and repaired rid (RFC 8852 §3.2, RFC
    /// 4588).
    pub(crate) fn send_stream(
        &self,
        layer: usize,
        pt: u8,
    ) -> Option<(u32, Option<(u8, RtpStreamId)>)> {
        let rid = *self.negotiated.send_rids.get(layer)?;
        let l = self.send_layers.iter().find(|l| l.rid == rid)?;
        if self.negotiated.is_rtx(pt) {
            let ssrc = l.rtx_ssrc?;
            Some((ssrc, self.negotiated.rrid_ext_id.map(|id| (id, rid))))
        } else {
            Some((l.ssrc, self.negotiated.rid_ext_id.map(|id| (id, rid))))
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

/// Where an incoming RTP packet goes: a transceiver (by index) and, for a
/// simulcast receiver, the layer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Routed {
    pub index: usize,
    pub rid: Option<RtpStreamId>,
}

/// An SSRC bound to a transceiver (and layer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Bound {
    ssrc: u32,
    index: usize,
    /// Index into [`Router::layers`].
    layer: Option<u8>,
    /// Learned from a repaired rid: the layer's RTX stream.
    repaired: bool,
}

/// Routes incoming RTP to transceivers (RFC 8843 §9.2): by the mid header
/// extension, else by an SSRC already bound (from `a=ssrc` or an earlier
/// packet with a mid), else by a payload type only one receiver uses.
///
/// Simulcast receivers (RFC 8853) also route to a layer: a packet with a
/// mid and an `rtp-stream-id` (or, for RTX, a `repaired-rtp-stream-id`,
/// RFC 8852 §3) naming one of the transceiver's negotiated rids binds its
/// SSRC to that layer, so later packets without the extensions (senders
/// stop writing them once they know the receiver has the mapping) still
/// reach it. A packet with a rid and no mid finds its layer when exactly
/// one receiver has that rid.
#[derive(Debug, Default)]
pub(crate) struct Router {
    /// The bundle's extension ids (mid, rid, repaired rid).
    pub extensions: ExtensionMap,
    /// Bound SSRCs, sorted by SSRC.
    ssrcs: Vec<Bound>,
    /// (mid, transceiver index) of receiving transceivers.
    mids: Vec<(String, usize)>,
    /// (transceiver index, rid) of every simulcast layer received.
    layers: Vec<(usize, RtpStreamId)>,
    /// (payload type, transceiver index) for payload types only one
    /// receiving transceiver uses.
    unique_pts: Vec<(u8, usize)>,
}

/// SSRCs bound at most (a bound on memory under a flood of new SSRCs).
const MAX_BOUND_SSRCS: usize = 1024;

impl Router {
    /// Rebuilds the tables from the transceivers after a negotiation.
    /// SSRCs learned from packets stay bound (to their layer, by rid)
    /// while their transceiver still receives: a sender that stopped
    /// writing the mid and rid extensions keeps being routed across
    /// renegotiations.
    pub(crate) fn rebuild(&mut self, transceivers: &[Transceiver], extensions: ExtensionMap) {
        let learned: Vec<(Bound, Option<RtpStreamId>)> = self
            .ssrcs
            .iter()
            .map(|b| (*b, self.routed(*b).rid))
            .collect();
        self.extensions = extensions;
        self.mids.clear();
        self.unique_pts.clear();
        self.ssrcs.clear();
        self.layers.clear();
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
            for &rid in &t.negotiated.recv_rids {
                self.layers.push((i, rid));
            }
            for &ssrc in &t.remote_ssrcs {
                self.bind(Bound {
                    ssrc,
                    index: i,
                    layer: None,
                    repaired: false,
                });
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
        for (bound, rid) in learned {
            if self.bound(bound.ssrc).is_some() || !self.mids.iter().any(|&(_, i)| i == bound.index)
            {
                continue;
            }
            let layer = rid.and_then(|rid| {
                let l = self
                    .layers
                    .iter()
                    .position(|&(i, r)| i == bound.index && r == rid)?;
                u8::try_from(l).ok()
            });
            if rid.is_some() && layer.is_none() {
                continue; // the layer is gone
            }
            self.bind(Bound { layer, ..bound });
        }
    }

    fn bind(&mut self, bound: Bound) {
        match self.ssrcs.binary_search_by_key(&bound.ssrc, |b| b.ssrc) {
            Ok(i) => {
                if let Some(e) = self.ssrcs.get_mut(i) {
                    *e = bound;
                }
            }
            Err(i) => {
                if self.ssrcs.len() < MAX_BOUND_SSRCS {
                    self.ssrcs.insert(i, bound);
                }
            }
        }
    }

    fn bound(&self, ssrc: u32) -> Option<Bound> {
        let i = self.ssrcs.binary_search_by_key(&ssrc, |b| b.ssrc).ok()?;
        self.ssrcs.get(i).copied()
    }

    fn routed(&self, bound: Bound) -> Routed {
        Routed {
            index: bound.index,
            rid: bound
                .layer
                .and_then(|l| self.layers.get(usize::from(l)))
                .map(|&(_, rid)| rid),
        }
    }

    /// The rid (or repaired rid) a packet carries: (its value, repaired).
    fn stream_id<'a>(&self, rtp: &RtpPacket<'a>) -> Option<(&'a [u8], bool)> {
        if let Some(id) = self.extensions.id_of(ExtensionKind::RtpStreamId)
            && let Some(Ok(rid)) = rtp.extension(id)
        {
            return Some((rid, false));
        }
        let id = self.extensions.id_of(ExtensionKind::RepairedRtpStreamId)?;
        match rtp.extension(id) {
            Some(Ok(rid)) => Some((rid, true)),
            _ => None,
        }
    }

    /// The layer of transceiver `index` named by the packet's rid.
    fn layer_of(&self, index: usize, rtp: &RtpPacket<'_>) -> Option<(u8, bool)> {
        if !self.layers.iter().any(|&(i, _)| i == index) {
            return None;
        }
        let (rid, repaired) = self.stream_id(rtp)?;
        let layer = self
            .layers
            .iter()
            .position(|(i, r)| *i == index && r.as_bytes() == rid)?;
        Some((u8::try_from(layer).ok()?, repaired))
    }

    /// The transceiver (and layer) for a decrypted RTP packet.
    pub(crate) fn route(&mut self, packet: &[u8]) -> Option<Routed> {
        let rtp = RtpPacket::parse(packet).ok()?;
        let ssrc = rtp.ssrc();
        if let Some(id) = self.extensions.id_of(ExtensionKind::SdesMid)
            && let Some(Ok(mid)) = rtp.extension(id)
            && let Some(&(_, index)) = self.mids.iter().find(|(m, _)| m.as_bytes() == mid)
        {
            // RFC 8843 §9.2: a mid binds the SSRC for packets without one;
            // RFC 8852: a rid binds it to the layer.
            if self.layers.is_empty() {
                // No simulcast receiver: no rid to look at.
                if self.bound(ssrc).is_none_or(|b| b.index != index) {
                    self.bind(Bound {
                        ssrc,
                        index,
                        layer: None,
                        repaired: false,
                    });
                }
                return Some(Routed { index, rid: None });
            }
            let tagged = self.layer_of(index, &rtp);
            let known = self.bound(ssrc).filter(|b| {
                b.index == index && tagged.is_none_or(|(layer, _)| b.layer == Some(layer))
            });
            let bound = known.unwrap_or(Bound {
                ssrc,
                index,
                layer: tagged.map(|(l, _)| l),
                repaired: tagged.is_some_and(|(_, r)| r),
            });
            if known.is_none() {
                self.bind(bound);
            }
            return Some(self.routed(bound));
        }
        if let Some(bound) = self.bound(ssrc) {
            return Some(self.routed(bound));
        }
        if !self.layers.is_empty()
            && let Some((rid, repaired)) = self.stream_id(&rtp)
        {
            let mut matching = self
                .layers
                .iter()
                .enumerate()
                .filter(|(_, (_, r))| r.as_bytes() == rid);
            if let (Some((layer, &(index, _))), None) = (matching.next(), matching.next()) {
                let bound = Bound {
                    ssrc,
                    index,
                    layer: u8::try_from(layer).ok(),
                    repaired,
                };
                self.bind(bound);
                return Some(self.routed(bound));
            }
        }
        let pt = rtp.payload_type();
        let index = self
            .unique_pts
            .iter()
            .find(|&&(p, _)| p == pt)
            .map(|&(_, i)| i)?;
        let bound = Bound {
            ssrc,
            index,
            layer: None,
            repaired: false,
        };
        self.bind(bound);
        Some(self.routed(bound))
    }

    /// The SSRCs bound to transceiver `index` (learned from packets too).
    pub(crate) fn ssrcs_of(&self, index: usize) -> impl Iterator<Item = u32> + '_ {
        self.ssrcs
            .iter()
            .filter(move |b| b.index == index)
            .map(|b| b.ssrc)
    }

    /// The SSRCs latched to simulcast layer `rid` of transceiver `index`:
    /// (the stream's, its RTX stream's).
    pub(crate) fn layer_ssrcs(&self, index: usize, rid: RtpStreamId) -> (Option<u32>, Option<u32>) {
        let Some(layer) = self
            .layers
            .iter()
            .position(|&(i, r)| i == index && r == rid)
        else {
            return (None, None);
        };
        let mut found = (None, None);
        for b in &self.ssrcs {
            if b.index == index && b.layer.map(usize::from) == Some(layer) {
                if b.repaired {
                    found.1 = Some(b.ssrc);
                } else {
                    found.0 = Some(b.ssrc);
                }
            }
        }
        found
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
            send_layers: Vec::new(),
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
        let to = |r: &mut Router, p: Vec<u8>| r.route(&p).map(|x| x.index);
        // By mid; binds the SSRC.
        assert_eq!(to(&mut r, packet(96, 0x1234, Some(b"0"))), Some(0));
        assert_eq!(to(&mut r, packet(96, 0x1234, None)), Some(0));
        // By a signalled SSRC.
        assert_eq!(to(&mut r, packet(96, 0xAAAA, None)), Some(1));
        // By a payload type only one transceiver has.
        assert_eq!(to(&mut r, packet(98, 0x5555, None)), Some(1));
        assert_eq!(to(&mut r, packet(97, 0x6666, None)), Some(0));
        // Shared payload type, unknown SSRC, no mid: nowhere.
        assert_eq!(to(&mut r, packet(96, 0x7777, None)), None);
        // Unknown mid falls back to the SSRC.
        assert_eq!(to(&mut r, packet(96, 0xAAAA, Some(b"9"))), Some(1));
        assert_eq!(r.ssrcs_of(0).collect::<Vec<_>>(), [0x1234, 0x6666]);
        assert_eq!(r.route(&[0x80]), None);
    }

    /// A packet with mid 1 and, when given, a rid (id 10) or repaired rid
    /// (id 11).
    fn tagged(pt: u8, ssrc: u32, mid: bool, rid: Option<&[u8]>, rrid: Option<&[u8]>) -> Vec<u8> {
        let mut h = crate::rtp::RtpHeader::new(pt, 1, 2, ssrc);
        if mid {
            h.set_extension(4, b"1").unwrap();
        }
        if let Some(rid) = rid {
            h.set_extension(10, rid).unwrap();
        }
        if let Some(rrid) = rrid {
            h.set_extension(11, rrid).unwrap();
        }
        let mut out = vec![0; 200];
        let n = h.marshal_packet(&[1, 2, 3], &mut out).unwrap();
        out.truncate(n);
        out
    }

    #[test]
    fn simulcast_layers_latch_their_ssrcs() {
        let rids: Vec<RtpStreamId> = ["q", "h", "f"]
            .iter()
            .map(|r| RtpStreamId::new(r).unwrap())
            .collect();
        let mut single = transceiver(0, "0", &[96, 97], &[]);
        single.negotiated.recv_rids.clear();
        let mut sim = transceiver(1, "1", &[96, 97], &[]);
        sim.negotiated.recv_rids = rids.clone();
        let mut map = ExtensionMap::new();
        map.insert(4, ExtensionKind::SdesMid).unwrap();
        map.insert(10, ExtensionKind::RtpStreamId).unwrap();
        map.insert(11, ExtensionKind::RepairedRtpStreamId).unwrap();
        let mut r = Router::default();
        let (single_clone, sim_clone) = (single.clone(), sim.clone());
        r.rebuild(&[single.clone(), sim.clone()], map);
        let at = |r: &mut Router, p: Vec<u8>| {
            r.route(&p)
                .map(|x| (x.index, x.rid.map(|id| id.as_str().to_string())))
        };
        let layer = |rid: &str| Some((1, Some(rid.to_string())));
        // The first packet of each layer carries mid and rid.
        assert_eq!(
            at(&mut r, tagged(96, 10, true, Some(b"q"), None)),
            layer("q")
        );
        assert_eq!(
            at(&mut r, tagged(96, 20, true, Some(b"h"), None)),
            layer("h")
        );
        assert_eq!(
            at(&mut r, tagged(96, 30, true, Some(b"f"), None)),
            layer("f")
        );
        // RTX: the repaired rid binds the RTX SSRC to the same layer.
        assert_eq!(
            at(&mut r, tagged(97, 21, true, None, Some(b"h"))),
            layer("h")
        );
        // Later packets without any extension: the latched SSRCs.
        assert_eq!(at(&mut r, tagged(96, 10, false, None, None)), layer("q"));
        assert_eq!(at(&mut r, tagged(96, 30, false, None, None)), layer("f"));
        assert_eq!(at(&mut r, tagged(97, 21, false, None, None)), layer("h"));
        // A mid without a rid keeps the latched layer.
        assert_eq!(at(&mut r, tagged(96, 20, true, None, None)), layer("h"));
        // A rid not negotiated: the transceiver, no layer.
        assert_eq!(
            at(&mut r, tagged(96, 40, true, Some(b"x"), None)),
            Some((1, None))
        );
        // A rid without a mid, new SSRC: the one receiver with that rid.
        assert_eq!(
            at(&mut r, tagged(96, 50, false, Some(b"f"), None)),
            layer("f")
        );
        let f = RtpStreamId::new("f").unwrap();
        let h = RtpStreamId::new("h").unwrap();
        assert_eq!(r.layer_ssrcs(1, h), (Some(20), Some(21)));
        assert_eq!(r.layer_ssrcs(1, f).1, None);
        assert!(matches!(r.layer_ssrcs(1, f).0, Some(30 | 50)));
        // A renegotiation keeps what was learned: the latched SSRCs still
        // route without extensions, to their layers.
        r.rebuild(&[single, sim], map);
        assert_eq!(at(&mut r, tagged(96, 20, false, None, None)), layer("h"));
        assert_eq!(at(&mut r, tagged(97, 21, false, None, None)), layer("h"));
        assert_eq!(at(&mut r, tagged(96, 10, false, None, None)), layer("q"));
        // Unless the layer went away.
        let mut narrowed = sim_clone;
        narrowed.negotiated.recv_rids = vec![rids[0]];
        r.rebuild(&[single_clone, narrowed], map);
        assert_eq!(at(&mut r, tagged(96, 10, false, None, None)), layer("q"));
        assert_eq!(at(&mut r, tagged(96, 20, false, None, None)), None);
    }

    #[test]
    fn rtp_stream_ids() {
        assert_eq!(RtpStreamId::new("hi-res_1").unwrap().as_str(), "hi-res_1");
        assert!(RtpStreamId::new("").is_none());
        assert!(RtpStreamId::new("a b").is_none());
        assert!(RtpStreamId::new(&"x".repeat(17)).is_none());
        assert_eq!(
            RtpStreamId::new(&"x".repeat(16)).unwrap().as_bytes().len(),
            16
        );
        assert_eq!(RtpStreamId::new("q").unwrap(), "q");
    }
}
