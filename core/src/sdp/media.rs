//! One media section (`m=` and everything up to the next `m=`).

use std::fmt;

use super::attributes::{
    Attribute, Bandwidth, Connection, Direction, ExtMap, Fingerprint, Msid, Rid, Rtcp, SctpMap,
    Setup, Simulcast, Ssrc, SsrcGroup,
};
use super::codec::{Codec, RtcpFeedback};
use crate::ice::Candidate;

/// The media type of an `m=` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum MediaKind {
    /// `audio`
    Audio,
    /// `video`
    Video,
    /// `application` (the data channel section).
    #[default]
    Application,
    /// Anything else (`text`, `message`...), as written.
    Other(String),
}

impl MediaKind {
    /// The `m=` token.
    pub fn as_str(&self) -> &str {
        match self {
            MediaKind::Audio => "audio",
            MediaKind::Video => "video",
            MediaKind::Application => "application",
            MediaKind::Other(s) => s,
        }
    }

    /// The kind for an `m=` token.
    pub fn parse(token: &str) -> MediaKind {
        match token {
            "audio" => MediaKind::Audio,
            "video" => MediaKind::Video,
            "application" => MediaKind::Application,
            _ => MediaKind::Other(token.into()),
        }
    }
}

impl fmt::Display for MediaKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The transport protocol of an `m=` line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub enum Proto {
    /// `UDP/TLS/RTP/SAVPF`: DTLS-SRTP media (RFC 5764, what JSEP offers).
    UdpTlsRtpSavpf,
    /// `UDP/DTLS/SCTP`: data channels (RFC 8841).
    #[default]
    UdpDtlsSctp,
    /// `DTLS/SCTP`: the legacy data channel proto (with `a=sctpmap`).
    DtlsSctp,
    /// `RTP/SAVPF` (RFC 5124; JSEP accepts it in offers).
    RtpSavpf,
    /// `RTP/AVPF` (RFC 4585: what Chromium writes with encryption off).
    RtpAvpf,
    /// `RTP/AVP` (RFC 3551).
    RtpAvp,
    /// Anything else, as written.
    Other(String),
}

impl Proto {
    /// The `m=` token.
    pub fn as_str(&self) -> &str {
        match self {
            Proto::UdpTlsRtpSavpf => "UDP/TLS/RTP/SAVPF",
            Proto::UdpDtlsSctp => "UDP/DTLS/SCTP",
            Proto::DtlsSctp => "DTLS/SCTP",
            Proto::RtpSavpf => "RTP/SAVPF",
            Proto::RtpAvpf => "RTP/AVPF",
            Proto::RtpAvp => "RTP/AVP",
            Proto::Other(s) => s,
        }
    }

    /// The proto for an `m=` token (exact, as RFC 8866 tokens are
    /// case-sensitive).
    pub fn parse(token: &str) -> Proto {
        match token {
            "UDP/TLS/RTP/SAVPF" => Proto::UdpTlsRtpSavpf,
            "UDP/DTLS/SCTP" => Proto::UdpDtlsSctp,
            "DTLS/SCTP" => Proto::DtlsSctp,
            "RTP/SAVPF" => Proto::RtpSavpf,
            "RTP/AVPF" => Proto::RtpAvpf,
            "RTP/AVP" => Proto::RtpAvp,
            _ => Proto::Other(token.into()),
        }
    }

    /// Whether the formats are RTP payload types.
    pub fn is_rtp(&self) -> bool {
        match self {
            Proto::UdpTlsRtpSavpf | Proto::RtpSavpf | Proto::RtpAvpf | Proto::RtpAvp => true,
            Proto::UdpDtlsSctp | Proto::DtlsSctp => false,
            Proto::Other(s) => s.contains("RTP/"),
        }
    }

    /// Whether this carries SCTP (a data channel section).
    pub fn is_sctp(&self) -> bool {
        match self {
            Proto::UdpDtlsSctp | Proto::DtlsSctp => true,
            Proto::Other(s) => s.ends_with("/SCTP"),
            _ => false,
        }
    }
}

impl fmt::Display for Proto {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A media section: the `m=` line and its `i=`, `c=`, `b=`, `k=` lines and
/// attributes.
///
/// The typed fields cover what browsers write (RFC 8829 §5.2/§5.3 and the
/// RFCs named in the module doc); any other attribute is kept in
/// [`attributes`](Self::attributes) in order and written back after the
/// typed ones.
///
/// Codecs: [`codecs`](Self::codecs) holds one [`Codec`] per payload type
/// that has an `a=rtpmap`, `a=fmtp` or `a=rtcp-fb` line. The parser orders
/// them as the payload types appear in [`formats`](Self::formats), then
/// any others in the order first seen; the serializer writes each codec's
/// lines together in that order. Build RTP sections with
/// [`push_codec`](Self::push_codec), which also appends the format.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct MediaDescription {
    /// `audio`, `video`, `application`.
    pub kind: MediaKind,
    /// The port: 9 (discard) in JSEP, 0 for a rejected or bundle-only
    /// section (RFC 8843 §7.2).
    pub port: u16,
    /// The number of ports after `/` (`m=video 9/2 ...`), rarely written.
    pub port_count: Option<u16>,
    /// The transport protocol.
    pub proto: Proto,
    /// The formats of the `m=` line: payload types for RTP,
    /// `webrtc-datachannel` for `UDP/DTLS/SCTP`.
    pub formats: Vec<String>,
    /// `i=`: the media title.
    pub title: Option<String>,
    /// `c=`: the connection line.
    pub connection: Option<Connection>,
    /// `b=` lines.
    pub bandwidths: Vec<Bandwidth>,
    /// `k=` (obsolete encryption key), as written.
    pub encryption_key: Option<String>,
    /// `a=rtcp` (RFC 3605).
    pub rtcp: Option<Rtcp>,
    /// `a=candidate` lines (RFC 8839 §5.1), in order.
    pub candidates: Vec<Candidate>,
    /// `a=end-of-candidates` (RFC 8840 §8.2).
    pub end_of_candidates: bool,
    /// `a=ice-ufrag` (RFC 8839 §5.4).
    pub ice_ufrag: Option<String>,
    /// `a=ice-pwd` (RFC 8839 §5.4).
    pub ice_pwd: Option<String>,
    /// `a=ice-options` tokens (`trickle`, `renomination`...).
    pub ice_options: Vec<String>,
    /// `a=fingerprint` lines (RFC 8122 §5), usually one.
    pub fingerprints: Vec<Fingerprint>,
    /// `a=setup` (RFC 4145 §4).
    pub setup: Option<Setup>,
    /// `a=mid` (RFC 5888 §4).
    pub mid: Option<String>,
    /// `a=bundle-only` (RFC 8843 §6).
    pub bundle_only: bool,
    /// `a=extmap-allow-mixed` at media level (RFC 8285 §6).
    pub extmap_allow_mixed: bool,
    /// `a=extmap` lines (RFC 8285 §8), in order.
    pub extmaps: Vec<ExtMap>,
    /// The direction attribute, if written (`None` means sendrecv).
    pub direction: Option<Direction>,
    /// `a=msid` lines (RFC 8830).
    pub msids: Vec<Msid>,
    /// `a=rtcp-mux` (RFC 5761 §5.1.1).
    pub rtcp_mux: bool,
    /// `a=rtcp-mux-only` (RFC 8858).
    pub rtcp_mux_only: bool,
    /// `a=rtcp-rsize` (RFC 5506 §5).
    pub rtcp_rsize: bool,
    /// Per payload type: rtpmap, fmtp, rtcp-fb (see the type doc for the
    /// order).
    pub codecs: Vec<Codec>,
    /// `a=rtcp-fb:* ...`: feedback for every payload type.
    pub rtcp_fb_all: Vec<RtcpFeedback>,
    /// `a=rid` lines (RFC 8851).
    pub rids: Vec<Rid>,
    /// `a=simulcast` (RFC 8853).
    pub simulcast: Option<Simulcast>,
    /// `a=ssrc-group` lines (RFC 5576 §4.2).
    pub ssrc_groups: Vec<SsrcGroup>,
    /// `a=ssrc` lines grouped per SSRC in order of first appearance (RFC
    /// 5576 §4.1).
    pub ssrcs: Vec<Ssrc>,
    /// `a=sctp-port` (RFC 8841 §5).
    pub sctp_port: Option<u16>,
    /// `a=max-message-size` (RFC 8841 §6).
    pub max_message_size: Option<u64>,
    /// The legacy `a=sctpmap`.
    pub sctpmap: Option<SctpMap>,
    /// Every other attribute, in order.
    pub attributes: Vec<Attribute>,
}

impl MediaDescription {
    /// A section with this kind, port and proto, no formats, nothing else.
    pub fn new(kind: MediaKind, port: u16, proto: Proto) -> MediaDescription {
        MediaDescription {
            kind,
            port,
            proto,
            ..MediaDescription::default()
        }
    }

    /// Appends a codec and its payload type to the `m=` formats.
    pub fn push_codec(&mut self, codec: Codec) {
        self.formats.push(codec.payload_type.to_string());
        self.codecs.push(codec);
    }

    /// Whether the section is rejected (port 0 without `a=bundle-only`,
    /// RFC 8829 §5.3.1 / RFC 8843 §7.3.3).
    pub fn is_rejected(&self) -> bool {
        self.port == 0 && !self.bundle_only
    }

    /// The direction, sendrecv when none is written.
    pub fn direction(&self) -> Direction {
        self.direction.unwrap_or_default()
    }

    /// The payload types of the `m=` line (formats that are numbers).
    pub fn payload_types(&self) -> impl Iterator<Item = u8> + '_ {
        self.formats.iter().filter_map(|f| f.parse().ok())
    }

    /// The codec for a payload type.
    pub fn codec(&self, payload_type: u8) -> Option<&Codec> {
        self.codecs.iter().find(|c| c.payload_type == payload_type)
    }

    /// The codec for a payload type, mutable.
    pub fn codec_mut(&mut self, payload_type: u8) -> Option<&mut Codec> {
        self.codecs
            .iter_mut()
            .find(|c| c.payload_type == payload_type)
    }

    /// Runs `f` on the codec for a payload type, created (empty) if
    /// missing.
    pub(crate) fn with_codec<R>(&mut self, payload_type: u8, f: impl FnOnce(&mut Codec) -> R) -> R {
        match self
            .codecs
            .iter_mut()
            .find(|c| c.payload_type == payload_type)
        {
            Some(codec) => f(codec),
            None => {
                let mut codec = Codec::empty(payload_type);
                let r = f(&mut codec);
                self.codecs.push(codec);
                r
            }
        }
    }

    /// The RTX SSRC paired with `primary` by an `a=ssrc-group:FID`.
    pub fn rtx_ssrc(&self, primary: u32) -> Option<u32> {
        self.ssrc_groups
            .iter()
            .filter(|g| g.semantics == "FID")
            .find(|g| g.ssrcs.first() == Some(&primary))
            .and_then(|g| g.ssrcs.get(1).copied())
    }

    /// The source attributes of an SSRC.
    pub fn ssrc(&self, ssrc: u32) -> Option<&Ssrc> {
        self.ssrcs.iter().find(|s| s.ssrc == ssrc)
    }

    /// The extension id of a header extension URI.
    pub fn extmap_id(&self, uri: &str) -> Option<u16> {
        self.extmaps.iter().find(|e| e.uri == uri).map(|e| e.id)
    }

    /// The attributes kept as written with this name.
    pub fn attributes_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Attribute> {
        self.attributes.iter().filter(move |a| a.name == name)
    }

    /// Sorts [`codecs`](Self::codecs) into the order the parser produces:
    /// payload types of the `m=` line first, in that order; then the
    /// others, keeping their relative order.
    pub fn normalize_codec_order(&mut self) {
        let formats = &self.formats;
        self.codecs.sort_by_key(|c| {
            formats
                .iter()
                .position(|f| f.parse() == Ok(c.payload_type))
                .unwrap_or(usize::MAX)
        });
    }
}
