//! Conversions between the peer connection's W3C-shaped values and the
//! SDP model: codecs, header extensions, directions, tracks.

use crate::rtp::{ExtensionKind, ExtensionMap};
use crate::sdp::{
    Codec, Direction, ExtMap, Fmtp, MediaDescription, MediaKind as SdpKind, RtcpFeedback,
};

use crate::peer::media::{
    MediaKind, MediaStreamTrack, RTCRtcpFeedback, RTCRtpCodecParameters,
    RTCRtpHeaderExtensionParameters, RTCRtpTransceiverDirection,
};

/// An SDP codec from W3C codec parameters.
pub(crate) fn to_sdp_codec(c: &RTCRtpCodecParameters) -> Codec {
    let mut codec = Codec::new(c.payload_type, c.name(), c.clock_rate, c.channels);
    if !c.sdp_fmtp_line.is_empty() {
        codec.fmtp = Some(Fmtp::parse(&c.sdp_fmtp_line));
    }
    codec.rtcp_fb = c
        .rtcp_feedback
        .iter()
        .map(|f| {
            RtcpFeedback::new(
                &f.kind,
                Some(f.parameter.as_str()).filter(|p| !p.is_empty()),
            )
        })
        .collect();
    codec
}

/// W3C codec parameters from an SDP codec of an m-line of `kind`; `None`
/// when the codec has no name (a dynamic payload type without rtpmap).
pub(crate) fn from_sdp_codec(kind: MediaKind, c: &Codec) -> Option<RTCRtpCodecParameters> {
    let map = c.encoding()?;
    Some(RTCRtpCodecParameters {
        payload_type: c.payload_type,
        mime_type: format!("{}/{}", kind.as_str(), map.encoding_name),
        clock_rate: map.clock_rate,
        channels: map.channels,
        sdp_fmtp_line: c.fmtp.as_ref().map(ToString::to_string).unwrap_or_default(),
        rtcp_feedback: c
            .rtcp_fb
            .iter()
            .map(|f| RTCRtcpFeedback {
                kind: f.kind.clone(),
                parameter: f.parameter.clone().unwrap_or_default(),
            })
            .collect(),
    })
}

/// An SDP extmap from W3C header extension parameters.
pub(crate) fn to_sdp_extmap(e: &RTCRtpHeaderExtensionParameters) -> ExtMap {
    ExtMap::new(e.id, e.uri.clone())
}

/// W3C header extension parameters from an SDP extmap.
pub(crate) fn from_sdp_extmap(e: &ExtMap) -> RTCRtpHeaderExtensionParameters {
    RTCRtpHeaderExtensionParameters {
        uri: e.uri.clone(),
        id: e.id,
    }
}

/// Adds the extensions routing and sending need (those the RTP layer
/// knows) to the bundle-wide map; an id already taken keeps its first
/// meaning (JSEP requires one meaning per id in a bundle).
pub(crate) fn add_to_extension_map(map: &mut ExtensionMap, extmaps: &[ExtMap]) {
    for e in extmaps {
        let Ok(id) = u8::try_from(e.id) else { continue };
        let Some(kind) = ExtensionKind::from_uri(&e.uri) else {
            continue;
        };
        if id != 0 && map.kind_of(id).is_none() && map.id_of(kind).is_none() {
            let _ = map.insert(id, kind);
        }
    }
}

/// The id of the mid extension in these extmaps (one that fits a byte).
pub(crate) fn mid_extension_id(extmaps: &[ExtMap]) -> Option<u8> {
    extmaps
        .iter()
        .find(|e| e.uri == ExtensionKind::SdesMid.uri())
        .and_then(|e| u8::try_from(e.id).ok())
        .filter(|&id| id != 0)
}

pub(crate) fn to_sdp_direction(d: RTCRtpTransceiverDirection) -> Direction {
    Direction::from_flags(d.has_send(), d.has_recv())
}

pub(crate) fn from_sdp_direction(d: Direction) -> RTCRtpTransceiverDirection {
    RTCRtpTransceiverDirection::from_send_recv(d.sends(), d.receives())
}

/// The media kind of an audio or video m-line.
pub(crate) fn media_kind(kind: &SdpKind) -> Option<MediaKind> {
    match kind {
        SdpKind::Audio => Some(MediaKind::Audio),
        SdpKind::Video => Some(MediaKind::Video),
        _ => None,
    }
}

pub(crate) fn to_sdp_kind(kind: MediaKind) -> SdpKind {
    match kind {
        MediaKind::Audio => SdpKind::Audio,
        MediaKind::Video => SdpKind::Video,
    }
}

/// The track a media section announces (`a=msid`, else the `msid` of its
/// first `a=ssrc`), if any.
pub(crate) fn remote_track(kind: MediaKind, m: &MediaDescription) -> Option<MediaStreamTrack> {
    let mut streams = Vec::new();
    let mut track_id = None;
    for msid in &m.msids {
        if msid.stream_id != "-" && !streams.contains(&msid.stream_id) {
            streams.push(msid.stream_id.clone());
        }
        if track_id.is_none() {
            track_id.clone_from(&msid.track_id);
        }
    }
    if m.msids.is_empty()
        && let Some(value) = m.ssrcs.iter().find_map(|s| s.attribute("msid"))
    {
        let mut words = value.split(' ');
        if let Some(stream) = words.next().filter(|s| *s != "-" && !s.is_empty()) {
            streams.push(stream.to_string());
        }
        track_id = words.next().map(str::to_string);
    }
    if streams.is_empty() && track_id.is_none() {
        return None;
    }
    Some(MediaStreamTrack {
        id: track_id.unwrap_or_default(),
        kind,
        stream_ids: streams,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::peer::media::default_codecs;

    #[test]
    fn codecs_convert_both_ways() {
        for kind in [MediaKind::Audio, MediaKind::Video] {
            for c in default_codecs(kind) {
                let sdp = to_sdp_codec(&c);
                assert_eq!(from_sdp_codec(kind, &sdp).as_ref(), Some(&c));
            }
        }
    }

    #[test]
    fn directions_convert_both_ways() {
        for d in [
            Direction::SendRecv,
            Direction::SendOnly,
            Direction::RecvOnly,
            Direction::Inactive,
        ] {
            assert_eq!(to_sdp_direction(from_sdp_direction(d)), d);
        }
    }
}
