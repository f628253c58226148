//! RTP decoding for the inspector, on top of `zerortc::rtp` (RTCP is in
//! [`crate::rtcp_view`], re-exported here).

use std::fmt::{self, Write as _};

use serde::Serialize;

pub use crate::rtcp_view::{RtcpItem, decode_rtcp};
use zerortc::rtp::{
    AbsSendTime, AudioLevel, ExtensionKind, ExtensionMap, ExtensionValue, PlayoutDelay,
    RepairedRtpStreamId, RtpError, RtpPacket, RtpStreamId, SdesMid, TransportSequenceNumber,
    VideoOrientation,
};

/// Facts from SDP that decoding needs (extension ids).
#[derive(Debug, Default, Clone)]
pub struct MediaContext {
    /// `a=extmap` id → URI, every URI (known to zerortc or not).
    pub extmap: Vec<(u8, String)>,
    /// The ids of the extensions `zerortc::rtp` has typed values for.
    pub map: ExtensionMap,
}

impl MediaContext {
    /// Adds every `a=extmap:ID[/direction] URI` line of an SDP.
    pub fn add_sdp(&mut self, sdp: &str) {
        for line in sdp.lines() {
            let Some(rest) = line.trim().strip_prefix("a=extmap:") else {
                continue;
            };
            let mut parts = rest.split_whitespace();
            let (Some(id), Some(uri)) = (parts.next(), parts.next()) else {
                continue;
            };
            let id = id.split('/').next().unwrap_or(id);
            if let Ok(id) = id.parse::<u8>()
                && id != 0
                && !self.extmap.iter().any(|(i, _)| *i == id)
            {
                self.extmap.push((id, uri.to_string()));
                // Unknown URIs are kept in `extmap` only (named, not decoded).
                let _ = self.map.insert_uri(u16::from(id), uri);
            }
        }
    }

    fn uri_of(&self, id: u8) -> Option<&str> {
        self.extmap
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, u)| u.as_str())
    }
}

/// The decoded header of an RTP packet.
#[derive(Debug, Clone, Serialize)]
pub struct RtpSummary {
    /// Synchronisation source.
    pub ssrc: u32,
    /// Payload type.
    pub pt: u8,
    /// Sequence number.
    pub seq: u16,
    /// RTP timestamp.
    pub ts: u32,
    /// Marker bit.
    pub marker: bool,
    /// Contributing sources.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub csrcs: Vec<u32>,
    /// Header length (fixed header, CSRCs, extension block).
    pub header_len: usize,
    /// Payload length (without padding).
    pub payload_len: usize,
    /// Padding length (0 when the P bit is clear).
    pub padding_len: usize,
    /// Extension profile (0xBEDE one-byte, 0x100X two-byte), if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extension_profile: Option<u16>,
    /// The header extensions present, in order.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub extensions: Vec<RtpExtension>,
}

/// One RFC 8285 header extension element.
#[derive(Debug, Clone, Serialize)]
pub struct RtpExtension {
    /// Local id.
    pub id: u8,
    /// Short name from the negotiated URI (`--sdp`/`--extmap`), if known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The decoded value, when zerortc knows the extension.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<serde_json::Value>,
    /// The value bytes, hex.
    pub raw: String,
}

fn hex(bytes: &[u8]) -> String {
    bytes
        .iter()
        .fold(String::with_capacity(bytes.len() * 2), |mut s, b| {
            let _ = write!(s, "{b:02x}");
            s
        })
}

fn short_name(uri: &str) -> String {
    if let Some(kind) = ExtensionKind::from_uri(uri) {
        return match kind {
            ExtensionKind::AbsSendTime => "abs-send-time",
            ExtensionKind::TransportSequenceNumber => "transport-cc",
            ExtensionKind::SdesMid => "mid",
            ExtensionKind::RtpStreamId => "rid",
            ExtensionKind::RepairedRtpStreamId => "repaired-rid",
            ExtensionKind::AudioLevel => "audio-level",
            ExtensionKind::VideoOrientation => "video-orientation",
            ExtensionKind::PlayoutDelay => "playout-delay",
        }
        .to_string();
    }
    uri.rsplit([':', '/']).next().unwrap_or(uri).to_string()
}

fn typed_value(kind: ExtensionKind, value: &[u8]) -> Result<serde_json::Value, RtpError> {
    use serde_json::json;
    Ok(match kind {
        ExtensionKind::AbsSendTime => {
            let t = AbsSendTime::parse(value)?;
            json!({ "raw": t.raw(), "seconds": t.to_duration().as_secs_f64() })
        }
        ExtensionKind::TransportSequenceNumber => json!(TransportSequenceNumber::parse(value)?.0),
        ExtensionKind::SdesMid => json!(SdesMid::parse(value)?.as_str()),
        ExtensionKind::RtpStreamId => json!(RtpStreamId::parse(value)?.as_str()),
        ExtensionKind::RepairedRtpStreamId => json!(RepairedRtpStreamId::parse(value)?.as_str()),
        ExtensionKind::AudioLevel => {
            let a = AudioLevel::parse(value)?;
            json!({ "dbov": -i16::from(a.level), "voice_activity": a.voice_activity })
        }
        ExtensionKind::VideoOrientation => {
            let v = VideoOrientation::parse(value)?;
            json!({
                "rotation": v.rotation.degrees(),
                "back_camera": v.back_camera,
                "horizontal_flip": v.horizontal_flip,
            })
        }
        ExtensionKind::PlayoutDelay => {
            let p = PlayoutDelay::parse(value)?;
            json!({ "min_ms": u32::from(p.min) * 10, "max_ms": u32::from(p.max) * 10 })
        }
    })
}

fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Object(m) => {
            if let (Some(dbov), Some(vad)) = (m.get("dbov"), m.get("voice_activity")) {
                return format!("{dbov}dBov{}", if vad == true { " voice" } else { "" });
            }
            if let Some(secs) = m.get("seconds").and_then(|s| s.as_f64()) {
                return format!("{secs:.6}s");
            }
            let parts: Vec<String> = m.iter().map(|(k, v)| format!("{k}:{v}")).collect();
            parts.join(",")
        }
        other => other.to_string(),
    }
}

impl fmt::Display for RtpSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ssrc={:#010x} pt={} seq={} ts={}{} payload={}",
            self.ssrc,
            self.pt,
            self.seq,
            self.ts,
            if self.marker { " M" } else { "" },
            self.payload_len
        )?;
        if self.padding_len > 0 {
            write!(f, " pad={}", self.padding_len)?;
        }
        if !self.csrcs.is_empty() {
            write!(f, " csrcs={:x?}", self.csrcs)?;
        }
        if !self.extensions.is_empty() {
            f.write_str(" ext[")?;
            for (i, e) in self.extensions.iter().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                write!(f, "{}", e.id)?;
                if let Some(name) = &e.name {
                    write!(f, ":{name}")?;
                }
                match &e.value {
                    Some(v) => write!(f, "={}", value_text(v))?,
                    None => write!(f, "=0x{}", e.raw)?,
                }
            }
            f.write_str("]")?;
        }
        Ok(())
    }
}

/// Decodes an RTP packet with `zerortc::rtp`.
pub fn decode_rtp(payload: &[u8], media: &MediaContext) -> Result<RtpSummary, String> {
    let packet = RtpPacket::parse(payload).map_err(|e| e.to_string())?;
    let mut extensions = Vec::new();
    if packet.has_extension() {
        let elements = packet.extensions().map_err(|e| e.to_string())?;
        for (id, value) in elements.iter() {
            let kind = media.map.kind_of(id);
            let decoded = match kind {
                Some(kind) => Some(
                    typed_value(kind, value)
                        .map_err(|e| format!("extension {id} ({}): {e}", kind.uri()))?,
                ),
                None => None,
            };
            extensions.push(RtpExtension {
                id,
                name: media.uri_of(id).map(short_name),
                value: decoded,
                raw: hex(value),
            });
        }
    }
    Ok(RtpSummary {
        ssrc: packet.ssrc(),
        pt: packet.payload_type(),
        seq: packet.sequence_number(),
        ts: packet.timestamp(),
        marker: packet.marker(),
        csrcs: packet.csrcs().collect(),
        header_len: packet.header_len(),
        payload_len: packet.payload().len(),
        padding_len: packet.padding_len(),
        extension_profile: packet.extension_profile(),
        extensions,
    })
}
