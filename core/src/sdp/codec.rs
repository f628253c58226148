//! RTP payload formats of a media section: `a=rtpmap` (RFC 8866 §6.6),
//! `a=fmtp` (§6.15) and `a=rtcp-fb` (RFC 4585 §4.2), grouped per payload
//! type into a [`Codec`].

use std::fmt;

use super::attributes::{digits, is_token};
use super::error::{SdpErrorKind, invalid};

/// `a=rtpmap:<pt> <name>/<clock rate>[/<channels>]`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RtpMap {
    /// The encoding name as written (`opus`, `VP8`, `H264`, `rtx`...);
    /// compare case-insensitively.
    pub encoding_name: String,
    /// The RTP clock rate in Hz.
    pub clock_rate: u32,
    /// The encoding parameters: the channel count for audio, if written.
    pub channels: Option<u16>,
}

impl RtpMap {
    /// Parses `<name>/<clock rate>[/<channels>]` (after the payload type).
    ///
    /// # Errors
    /// When the clock rate or channel count is not a number.
    pub fn parse(value: &str) -> Result<RtpMap, SdpErrorKind> {
        const WHAT: &str = "a=rtpmap";
        let mut parts = value.trim().split('/');
        let name = parts.next().unwrap_or_default();
        if !is_token(name) {
            return Err(invalid(WHAT, "bad encoding name"));
        }
        let clock_rate = parts
            .next()
            .and_then(digits)
            .ok_or(invalid(WHAT, "clock rate is not a number"))?;
        let channels = match parts.next() {
            Some(c) => Some(digits(c).ok_or(invalid(WHAT, "channel count is not a number"))?),
            None => None,
        };
        if parts.next().is_some() {
            return Err(invalid(WHAT, "too many `/` fields"));
        }
        Ok(RtpMap {
            encoding_name: name.into(),
            clock_rate,
            channels,
        })
    }
}

impl fmt::Display for RtpMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.encoding_name, self.clock_rate)?;
        if let Some(c) = self.channels {
            write!(f, "/{c}")?;
        }
        Ok(())
    }
}

/// One format parameter: `name=value`, or a bare value (`0-15` of
/// telephone-event, `111/111` of RED) kept as a name without value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct FmtpParam {
    /// The parameter name (or the bare value).
    pub name: String,
    /// The value after `=`.
    pub value: Option<String>,
}

/// The parameters of an `a=fmtp:<pt> <params>` line, split at `;`
/// (RFC 8866 §6.15 leaves the syntax to the format; every WebRTC codec
/// uses `;`-separated `name=value`). Spaces around a parameter are
/// dropped.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Fmtp {
    /// The parameters in the order written.
    pub params: Vec<FmtpParam>,
}

impl Fmtp {
    /// Parses `a=b;c=d;e`.
    pub fn parse(value: &str) -> Fmtp {
        let params = value
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(|p| match p.split_once('=') {
                Some((n, v)) => FmtpParam {
                    name: n.trim().into(),
                    value: Some(v.trim().into()),
                },
                None => FmtpParam {
                    name: p.into(),
                    value: None,
                },
            })
            .collect();
        Fmtp { params }
    }

    /// The value of parameter `name` (names compare case-insensitively,
    /// RFC 6184 §8.1).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name))
            .and_then(|p| p.value.as_deref())
    }

    /// Sets `name=value`, replacing an existing value in place or
    /// appending.
    pub fn set(&mut self, name: &str, value: impl Into<String>) {
        let value = Some(value.into());
        match self
            .params
            .iter_mut()
            .find(|p| p.name.eq_ignore_ascii_case(name))
        {
            Some(p) => p.value = value,
            None => self.params.push(FmtpParam {
                name: name.into(),
                value,
            }),
        }
    }

    /// Removes parameter `name`.
    pub fn remove(&mut self, name: &str) {
        self.params.retain(|p| !p.name.eq_ignore_ascii_case(name));
    }

    /// Whether there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }
}

impl fmt::Display for Fmtp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.params.iter().enumerate() {
            if i > 0 {
                f.write_str(";")?;
            }
            f.write_str(&p.name)?;
            if let Some(v) = &p.value {
                write!(f, "={v}")?;
            }
        }
        Ok(())
    }
}

/// One RTCP feedback type of `a=rtcp-fb:<pt> <type> [<parameter>]` (RFC
/// 4585 §4.2): `nack`, `nack pli`, `ccm fir`, `goog-remb`,
/// `transport-cc`, `trr-int 100`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RtcpFeedback {
    /// The feedback type: `nack`, `ccm`, `ack`, `trr-int`, `goog-remb`,
    /// `transport-cc`...
    pub kind: String,
    /// The rest of the line (`pli`, `fir`, `100`...), if any.
    pub parameter: Option<String>,
}

impl RtcpFeedback {
    /// A feedback type with an optional parameter.
    pub fn new(kind: &str, parameter: Option<&str>) -> RtcpFeedback {
        RtcpFeedback {
            kind: kind.into(),
            parameter: parameter.map(str::to_string),
        }
    }

    /// Parses `<type> [<parameter>]` (after the payload type).
    ///
    /// # Errors
    /// When the value is empty.
    pub fn parse(value: &str) -> Result<RtcpFeedback, SdpErrorKind> {
        let value = value.trim();
        let (kind, param) = match value.split_once(' ') {
            Some((k, p)) => (k, Some(p.trim())),
            None => (value, None),
        };
        if kind.is_empty() {
            return Err(invalid("a=rtcp-fb", "missing feedback type"));
        }
        Ok(RtcpFeedback {
            kind: kind.into(),
            parameter: param.filter(|p| !p.is_empty()).map(str::to_string),
        })
    }
}

impl fmt::Display for RtcpFeedback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.kind)?;
        if let Some(p) = &self.parameter {
            write!(f, " {p}")?;
        }
        Ok(())
    }
}

/// Everything a media section says about one RTP payload type: its
/// `a=rtpmap`, `a=fmtp` and `a=rtcp-fb` lines. Written in that order per
/// payload type (as Chromium does).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Codec {
    /// The payload type, 0..=127.
    pub payload_type: u8,
    /// The `a=rtpmap`, if written (static payload types may omit it; see
    /// [`Codec::name`]).
    pub rtpmap: Option<RtpMap>,
    /// The `a=fmtp`, if written.
    pub fmtp: Option<Fmtp>,
    /// The `a=rtcp-fb` lines for this payload type, in order.
    pub rtcp_fb: Vec<RtcpFeedback>,
}

impl Codec {
    /// A codec with an rtpmap and no fmtp or feedback.
    pub fn new(payload_type: u8, name: &str, clock_rate: u32, channels: Option<u16>) -> Codec {
        Codec {
            payload_type,
            rtpmap: Some(RtpMap {
                encoding_name: name.into(),
                clock_rate,
                channels,
            }),
            fmtp: None,
            rtcp_fb: Vec::new(),
        }
    }

    /// Adds format parameters (`a=b;c=d`).
    #[must_use]
    pub fn with_fmtp(mut self, fmtp: &str) -> Codec {
        self.fmtp = Some(Fmtp::parse(fmtp));
        self
    }

    /// Adds an RTCP feedback line.
    #[must_use]
    pub fn with_feedback(mut self, kind: &str, parameter: Option<&str>) -> Codec {
        self.rtcp_fb.push(RtcpFeedback::new(kind, parameter));
        self
    }

    /// A codec with no lines yet.
    pub(crate) fn empty(payload_type: u8) -> Codec {
        Codec {
            payload_type,
            rtpmap: None,
            fmtp: None,
            rtcp_fb: Vec::new(),
        }
    }

    /// The rtpmap, or the RFC 3551 §6 static assignment for payload types
    /// below 96 written without one.
    pub fn encoding(&self) -> Option<RtpMap> {
        if let Some(map) = &self.rtpmap {
            return Some(map.clone());
        }
        static_payload_type(self.payload_type).map(|(name, clock_rate, channels)| RtpMap {
            encoding_name: name.into(),
            clock_rate,
            channels,
        })
    }

    /// The encoding name (rtpmap or static table), e.g. `opus`.
    pub fn name(&self) -> Option<&str> {
        match &self.rtpmap {
            Some(map) => Some(&map.encoding_name),
            None => static_payload_type(self.payload_type).map(|(n, _, _)| n),
        }
    }

    /// The clock rate (rtpmap or static table).
    pub fn clock_rate(&self) -> Option<u32> {
        self.encoding().map(|m| m.clock_rate)
    }

    /// The channel count (rtpmap or static table), if written.
    pub fn channels(&self) -> Option<u16> {
        self.encoding().and_then(|m| m.channels)
    }

    /// Whether the encoding name is `name`, case-insensitively.
    pub fn is(&self, name: &str) -> bool {
        self.name().is_some_and(|n| n.eq_ignore_ascii_case(name))
    }

    /// A format parameter.
    pub fn fmtp_param(&self, name: &str) -> Option<&str> {
        self.fmtp.as_ref().and_then(|f| f.get(name))
    }

    /// Whether this is a retransmission format (`rtx`, RFC 4588).
    pub fn is_rtx(&self) -> bool {
        self.is("rtx")
    }

    /// The associated payload type of an RTX format (`apt=`).
    pub fn apt(&self) -> Option<u8> {
        self.fmtp_param("apt").and_then(digits)
    }

    /// Whether any line belongs to this payload type (a codec with none
    /// writes nothing).
    pub fn has_lines(&self) -> bool {
        self.rtpmap.is_some() || self.fmtp.is_some() || !self.rtcp_fb.is_empty()
    }
}

/// The static RTP/AVP payload types of RFC 3551 §6 (name, clock rate,
/// channels for audio).
pub fn static_payload_type(pt: u8) -> Option<(&'static str, u32, Option<u16>)> {
    Some(match pt {
        0 => ("PCMU", 8000, Some(1)),
        3 => ("GSM", 8000, Some(1)),
        4 => ("G723", 8000, Some(1)),
        5 => ("DVI4", 8000, Some(1)),
        6 => ("DVI4", 16000, Some(1)),
        7 => ("LPC", 8000, Some(1)),
        8 => ("PCMA", 8000, Some(1)),
        9 => ("G722", 8000, Some(1)),
        10 => ("L16", 44100, Some(2)),
        11 => ("L16", 44100, Some(1)),
        12 => ("QCELP", 8000, Some(1)),
        13 => ("CN", 8000, Some(1)),
        14 => ("MPA", 90000, None),
        15 => ("G728", 8000, Some(1)),
        16 => ("DVI4", 11025, Some(1)),
        17 => ("DVI4", 22050, Some(1)),
        18 => ("G729", 8000, Some(1)),
        25 => ("CelB", 90000, None),
        26 => ("JPEG", 90000, None),
        28 => ("nv", 90000, None),
        31 => ("H261", 90000, None),
        32 => ("MPV", 90000, None),
        33 => ("MP2T", 90000, None),
        34 => ("H263", 90000, None),
        _ => return None,
    })
}

/// Parses the `<pt>` before the first space of an rtpmap/fmtp/rtcp-fb
/// value. `None` as payload type means `*` (rtcp-fb only).
pub(crate) fn split_payload_type<'a>(
    value: &'a str,
    what: &'static str,
    wildcard: bool,
) -> Result<(Option<u8>, &'a str), SdpErrorKind> {
    let value = value.trim_start();
    let (pt, rest) = value.split_once(' ').unwrap_or((value, ""));
    if wildcard && pt == "*" {
        return Ok((None, rest));
    }
    let pt: u8 = digits(pt).ok_or(invalid(what, "payload type is not a number"))?;
    if pt > 127 {
        return Err(invalid(what, "payload type above 127"));
    }
    Ok((Some(pt), rest))
}
