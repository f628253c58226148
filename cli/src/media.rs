//! RTP and RTCP decoding for the inspector, on top of `zerortc::rtp` and
//! `zerortc::rtcp`.
//!
//! Until those layers are merged, this only reads the fixed header fields
//! needed to name a packet; the full decode plugs in here.

use std::fmt;

use serde::Serialize;

/// Facts from SDP that decoding needs (extension ids).
#[derive(Debug, Default, Clone)]
pub struct MediaContext {
    /// `a=extmap` id → URI.
    pub extmap: Vec<(u8, String)>,
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
                && !self.extmap.iter().any(|(i, _)| *i == id)
            {
                self.extmap.push((id, uri.to_string()));
            }
        }
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
}

impl fmt::Display for RtpSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "ssrc={:#010x} pt={} seq={} ts={}{}",
            self.ssrc,
            self.pt,
            self.seq,
            self.ts,
            if self.marker { " M" } else { "" }
        )
    }
}

/// One packet of an RTCP compound.
#[derive(Debug, Clone, Serialize)]
pub struct RtcpItem {
    /// Packet type.
    pub pt: u8,
}

impl RtcpItem {
    /// Short name of the packet type.
    pub fn name(&self) -> &'static str {
        match self.pt {
            200 => "SR",
            201 => "RR",
            202 => "SDES",
            203 => "BYE",
            204 => "APP",
            205 => "RTPFB",
            206 => "PSFB",
            207 => "XR",
            _ => "other",
        }
    }
}

impl fmt::Display for RtcpItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Decodes an RTP packet.
pub fn decode_rtp(payload: &[u8], _media: &MediaContext) -> Result<RtpSummary, String> {
    let h = payload
        .get(..12)
        .ok_or_else(|| "shorter than the 12-byte RTP header".to_string())?;
    let word = |at: usize| u32::from_be_bytes([h[at], h[at + 1], h[at + 2], h[at + 3]]);
    Ok(RtpSummary {
        ssrc: word(8),
        pt: h[1] & 0x7f,
        seq: u16::from_be_bytes([h[2], h[3]]),
        ts: word(4),
        marker: h[1] & 0x80 != 0,
    })
}

/// Decodes an RTCP compound packet.
pub fn decode_rtcp(payload: &[u8]) -> Result<Vec<RtcpItem>, String> {
    let mut items = Vec::new();
    let mut rest = payload;
    while let Some(h) = rest.get(..4) {
        let len = (usize::from(u16::from_be_bytes([h[2], h[3]])) + 1) * 4;
        items.push(RtcpItem { pt: h[1] });
        rest = rest
            .get(len..)
            .ok_or_else(|| "packet length runs past the datagram".to_string())?;
    }
    if !rest.is_empty() {
        return Err("trailing bytes after the last packet".into());
    }
    Ok(items)
}
