//! The parser: text → [`SessionDescription`].
//!
//! Lenient where browsers differ (LF or CRLF, whitespace around lines,
//! attributes in any order, session lines in any order after `v=`), strict
//! where a value is malformed: the first bad line is reported with its
//! 1-based number and the reason.

use std::collections::BTreeMap;

use super::attributes::{
    Attribute, Bandwidth, Connection, Direction, ExtMap, Fingerprint, Group, Msid, MsidSemantic,
    Rid, Rtcp, SctpMap, Setup, Simulcast, Ssrc, SsrcGroup, digits, is_token, words,
};
use super::codec::{Fmtp, RtcpFeedback, RtpMap, split_payload_type};
use super::error::{SdpError, SdpErrorKind, invalid};
use super::media::{MediaDescription, MediaKind, Proto};
use super::session::{Origin, SessionDescription, Timing};
use crate::ice::Candidate;

type Result<T> = std::result::Result<T, SdpErrorKind>;

/// Which mandatory session lines were seen.
#[derive(Default)]
struct Seen {
    origin: bool,
    name: bool,
}

pub(crate) fn parse(text: &str) -> std::result::Result<SessionDescription, SdpError> {
    let mut session = SessionDescription::default();
    let mut seen = Seen::default();
    let mut version_seen = false;
    let mut current: Option<MediaDescription> = None;
    // Where each SSRC of the current section is in `ssrcs`: lines of one
    // SSRC need not be adjacent, and a linear search per line would make
    // a description with many SSRCs quadratic.
    let mut ssrc_index: BTreeMap<u32, usize> = BTreeMap::new();
    let mut last_line = 0;

    for (index, raw) in text.split('\n').enumerate() {
        let number = index + 1;
        let line = raw.trim_matches(|c: char| c.is_ascii_whitespace());
        if line.is_empty() {
            continue;
        }
        last_line = number;
        let at = |kind| SdpError::new(number, kind);
        let (kind, value) = split_line(line).map_err(at)?;
        if !version_seen {
            if kind != 'v' {
                return Err(at(SdpErrorKind::MissingVersion));
            }
            if value.trim() != "0" {
                return Err(at(SdpErrorKind::BadVersion));
            }
            version_seen = true;
            continue;
        }
        if kind == 'm' {
            check_session_complete(&session, &seen).map_err(at)?;
            if let Some(done) = current.take() {
                session.media.push(finish_media(done));
            }
            current = Some(parse_media_line(value).map_err(at)?);
            ssrc_index.clear();
            continue;
        }
        let result = match current.as_mut() {
            None => session_line(&mut session, &mut seen, kind, value),
            Some(media) => media_line(media, &mut ssrc_index, kind, value),
        };
        result.map_err(at)?;
    }
    if !version_seen {
        return Err(SdpError::new(1, SdpErrorKind::MissingVersion));
    }
    if let Some(done) = current.take() {
        session.media.push(finish_media(done));
    } else {
        check_session_complete(&session, &seen).map_err(|k| SdpError::new(last_line + 1, k))?;
    }
    Ok(session)
}

/// `x=value` → (`x`, `value`).
fn split_line(line: &str) -> Result<(char, &str)> {
    let mut chars = line.chars();
    let kind = chars.next().ok_or(SdpErrorKind::NotTypeValue)?;
    if chars.next() != Some('=') {
        return Err(SdpErrorKind::NotTypeValue);
    }
    if !kind.is_ascii_lowercase() {
        return Err(SdpErrorKind::NotTypeValue);
    }
    Ok((kind, line.get(2..).unwrap_or_default()))
}

fn check_session_complete(session: &SessionDescription, seen: &Seen) -> Result<()> {
    if !seen.origin {
        return Err(SdpErrorKind::Missing('o'));
    }
    if !seen.name {
        return Err(SdpErrorKind::Missing('s'));
    }
    if session.timings.is_empty() {
        return Err(SdpErrorKind::Missing('t'));
    }
    Ok(())
}

fn set_once<T>(slot: &mut Option<T>, value: T, name: &'static str) -> Result<()> {
    if slot.is_some() {
        return Err(SdpErrorKind::Duplicate(name));
    }
    *slot = Some(value);
    Ok(())
}

fn session_line(
    session: &mut SessionDescription,
    seen: &mut Seen,
    kind: char,
    value: &str,
) -> Result<()> {
    match kind {
        'v' => return Err(SdpErrorKind::Duplicate("v=")),
        'o' => {
            if seen.origin {
                return Err(SdpErrorKind::Duplicate("o="));
            }
            session.origin = parse_origin(value)?;
            seen.origin = true;
        }
        's' => {
            if seen.name {
                return Err(SdpErrorKind::Duplicate("s="));
            }
            session.session_name = value.into();
            seen.name = true;
        }
        'i' => set_once(&mut session.information, value.into(), "i=")?,
        'u' => set_once(&mut session.uri, value.into(), "u=")?,
        'e' => session.emails.push(value.into()),
        'p' => session.phones.push(value.into()),
        'c' => set_once(&mut session.connection, Connection::parse(value)?, "c=")?,
        'b' => session.bandwidths.push(Bandwidth::parse(value)?),
        't' => session.timings.push(parse_timing(value)?),
        'r' => match session.timings.last_mut() {
            Some(t) => t.repeats.push(value.into()),
            None => return Err(SdpErrorKind::Misplaced('r')),
        },
        'z' => set_once(&mut session.time_zones, value.into(), "z=")?,
        'k' => set_once(&mut session.encryption_key, value.into(), "k=")?,
        'a' => session_attribute(session, value)?,
        other => return Err(unknown_type(other)),
    }
    Ok(())
}

fn unknown_type(kind: char) -> SdpErrorKind {
    if "vosiuepcbtrzkam".contains(kind) {
        SdpErrorKind::Misplaced(kind)
    } else {
        SdpErrorKind::UnknownLineType(kind)
    }
}

fn parse_origin(value: &str) -> Result<Origin> {
    const WHAT: &str = "o=";
    let mut w = words(value);
    let mut next = |reason| w.next().ok_or(invalid(WHAT, reason));
    let username = next("missing username")?.into();
    let session_id = digits(next("missing session id")?)
        .ok_or(invalid(WHAT, "session id is not a 64-bit number"))?;
    let session_version = digits(next("missing session version")?)
        .ok_or(invalid(WHAT, "session version is not a 64-bit number"))?;
    let network_type = next("missing network type")?.into();
    let address_type = next("missing address type")?.into();
    let address = next("missing address")?.into();
    if w.next().is_some() {
        return Err(invalid(WHAT, "more than six fields"));
    }
    Ok(Origin {
        username,
        session_id,
        session_version,
        network_type,
        address_type,
        address,
    })
}

fn parse_timing(value: &str) -> Result<Timing> {
    let mut w = words(value);
    let (Some(start), Some(stop), None) = (w.next(), w.next(), w.next()) else {
        return Err(invalid("t=", "expected `<start> <stop>`"));
    };
    Ok(Timing {
        start: digits(start).ok_or(invalid("t=", "start is not a number"))?,
        stop: digits(stop).ok_or(invalid("t=", "stop is not a number"))?,
        repeats: Vec::new(),
    })
}

/// `name:value` → (`name`, `Some(value)`), `name` → (`name`, `None`).
fn split_attribute(value: &str) -> (&str, Option<&str>) {
    match value.split_once(':') {
        Some((name, v)) => (name, Some(v)),
        None => (value, None),
    }
}

fn required<'a>(value: Option<&'a str>, what: &'static str) -> Result<&'a str> {
    value.ok_or(invalid(what, "missing value"))
}

fn token(value: Option<&str>, what: &'static str) -> Result<String> {
    let v = required(value, what)?.trim();
    if !is_token(v) {
        return Err(invalid(what, "must be one word"));
    }
    Ok(v.into())
}

fn ice_options(value: Option<&str>) -> Result<Vec<String>> {
    let tokens: Vec<String> = words(required(value, "a=ice-options")?)
        .map(str::to_string)
        .collect();
    if tokens.is_empty() {
        return Err(invalid("a=ice-options", "no option"));
    }
    Ok(tokens)
}

fn setup(value: Option<&str>) -> Result<Setup> {
    Setup::parse(required(value, "a=setup")?.trim()).ok_or(invalid(
        "a=setup",
        "must be active, passive, actpass or holdconn",
    ))
}

fn keep(attributes: &mut Vec<Attribute>, name: &str, value: Option<&str>) {
    attributes.push(Attribute {
        name: name.into(),
        value: value.map(str::to_string),
    });
}

fn session_attribute(session: &mut SessionDescription, line: &str) -> Result<()> {
    let (name, value) = split_attribute(line);
    match (name, value) {
        ("group", Some(v)) => session.groups.push(Group::parse(v)?),
        ("extmap-allow-mixed", None) => session.extmap_allow_mixed = true,
        ("msid-semantic", Some(v)) => set_once(
            &mut session.msid_semantic,
            MsidSemantic::parse(v)?,
            "a=msid-semantic",
        )?,
        ("ice-lite", None) => session.ice_lite = true,
        ("ice-ufrag", v) => set_once(
            &mut session.ice_ufrag,
            token(v, "a=ice-ufrag")?,
            "a=ice-ufrag",
        )?,
        ("ice-pwd", v) => set_once(&mut session.ice_pwd, token(v, "a=ice-pwd")?, "a=ice-pwd")?,
        ("ice-options", v) => {
            if !session.ice_options.is_empty() {
                return Err(SdpErrorKind::Duplicate("a=ice-options"));
            }
            session.ice_options = ice_options(v)?;
        }
        ("fingerprint", v) => session
            .fingerprints
            .push(Fingerprint::parse(required(v, "a=fingerprint")?)?),
        ("setup", v) => set_once(&mut session.setup, setup(v)?, "a=setup")?,
        (name, None) if Direction::parse(name).is_some() => set_once(
            &mut session.direction,
            Direction::parse(name).unwrap_or_default(),
            "direction attribute",
        )?,
        (name, value) => {
            check_attribute_name(name, value)?;
            keep(&mut session.attributes, name, value);
        }
    }
    Ok(())
}

/// Checks the name of an attribute kept as written: one word, and not a
/// typed attribute that needs a value but has none (`a=rtpmap`).
fn check_attribute_name(name: &str, value: Option<&str>) -> Result<()> {
    if !is_token(name) {
        return Err(invalid("a=", "bad attribute name"));
    }
    if value.is_none()
        && let Some(what) = VALUED.iter().find(|w| w.get(2..) == Some(name))
    {
        return Err(invalid(what, "missing value"));
    }
    Ok(())
}

/// The typed attributes that take a value.
const VALUED: &[&str] = &[
    "a=group",
    "a=msid-semantic",
    "a=rtcp",
    "a=candidate",
    "a=extmap",
    "a=msid",
    "a=rtpmap",
    "a=fmtp",
    "a=rtcp-fb",
    "a=rid",
    "a=simulcast",
    "a=ssrc-group",
    "a=ssrc",
    "a=sctp-port",
    "a=max-message-size",
    "a=sctpmap",
];

fn parse_media_line(value: &str) -> Result<MediaDescription> {
    const WHAT: &str = "m=";
    let mut w = words(value);
    let kind = MediaKind::parse(w.next().ok_or(invalid(WHAT, "missing media type"))?);
    let port = w.next().ok_or(invalid(WHAT, "missing port"))?;
    let (port, port_count) = match port.split_once('/') {
        Some((p, n)) => (
            p,
            Some(digits(n).ok_or(invalid(WHAT, "port count is not a number"))?),
        ),
        None => (port, None),
    };
    let port = digits(port).ok_or(invalid(WHAT, "port is not a 16-bit number"))?;
    let proto = Proto::parse(w.next().ok_or(invalid(WHAT, "missing protocol"))?);
    let formats: Vec<String> = w.map(str::to_string).collect();
    // One codec per payload type, usually.
    let codecs = Vec::with_capacity(if proto.is_rtp() { formats.len() } else { 0 });
    Ok(MediaDescription {
        kind,
        port,
        port_count,
        proto,
        formats,
        codecs,
        ..MediaDescription::default()
    })
}

fn finish_media(mut media: MediaDescription) -> MediaDescription {
    media.normalize_codec_order();
    media
}

fn media_line(
    media: &mut MediaDescription,
    ssrc_index: &mut BTreeMap<u32, usize>,
    kind: char,
    value: &str,
) -> Result<()> {
    match kind {
        'i' => set_once(&mut media.title, value.into(), "i=")?,
        'c' => set_once(&mut media.connection, Connection::parse(value)?, "c=")?,
        'b' => media.bandwidths.push(Bandwidth::parse(value)?),
        'k' => set_once(&mut media.encryption_key, value.into(), "k=")?,
        'a' => media_attribute(media, ssrc_index, value)?,
        other => return Err(unknown_type(other)),
    }
    Ok(())
}

fn media_attribute(
    media: &mut MediaDescription,
    ssrc_index: &mut BTreeMap<u32, usize>,
    line: &str,
) -> Result<()> {
    let (name, value) = split_attribute(line);
    match (name, value) {
        ("rtcp", Some(v)) => set_once(&mut media.rtcp, Rtcp::parse(v)?, "a=rtcp")?,
        ("candidate", Some(v)) => media.candidates.push(Candidate::parse(v)?),
        ("end-of-candidates", None) => media.end_of_candidates = true,
        ("ice-ufrag", v) => set_once(
            &mut media.ice_ufrag,
            token(v, "a=ice-ufrag")?,
            "a=ice-ufrag",
        )?,
        ("ice-pwd", v) => set_once(&mut media.ice_pwd, token(v, "a=ice-pwd")?, "a=ice-pwd")?,
        ("ice-options", v) => {
            if !media.ice_options.is_empty() {
                return Err(SdpErrorKind::Duplicate("a=ice-options"));
            }
            media.ice_options = ice_options(v)?;
        }
        ("fingerprint", v) => media
            .fingerprints
            .push(Fingerprint::parse(required(v, "a=fingerprint")?)?),
        ("setup", v) => set_once(&mut media.setup, setup(v)?, "a=setup")?,
        ("mid", v) => set_once(&mut media.mid, token(v, "a=mid")?, "a=mid")?,
        ("bundle-only", None) => media.bundle_only = true,
        ("extmap-allow-mixed", None) => media.extmap_allow_mixed = true,
        ("extmap", Some(v)) => media.extmaps.push(ExtMap::parse(v)?),
        ("msid", Some(v)) => media.msids.push(Msid::parse(v)?),
        ("rtcp-mux", None) => media.rtcp_mux = true,
        ("rtcp-mux-only", None) => media.rtcp_mux_only = true,
        ("rtcp-rsize", None) => media.rtcp_rsize = true,
        ("rtpmap", Some(v)) => {
            let (pt, rest) = split_payload_type(v, "a=rtpmap", false)?;
            let map = RtpMap::parse(rest)?;
            let pt = pt.unwrap_or_default();
            media.with_codec(pt, |c| {
                set_once(&mut c.rtpmap, map, "a=rtpmap for a payload type")
            })?;
        }
        ("fmtp", Some(v)) => {
            let (pt, rest) = split_payload_type(v, "a=fmtp", false)?;
            let fmtp = Fmtp::parse(rest);
            let pt = pt.unwrap_or_default();
            media.with_codec(pt, |c| {
                set_once(&mut c.fmtp, fmtp, "a=fmtp for a payload type")
            })?;
        }
        ("rtcp-fb", Some(v)) => {
            let (pt, rest) = split_payload_type(v, "a=rtcp-fb", true)?;
            let fb = RtcpFeedback::parse(rest)?;
            match pt {
                Some(pt) => media.with_codec(pt, |c| c.rtcp_fb.push(fb)),
                None => media.rtcp_fb_all.push(fb),
            }
        }
        ("rid", Some(v)) => media.rids.push(Rid::parse(v)?),
        ("simulcast", Some(v)) => {
            set_once(&mut media.simulcast, Simulcast::parse(v)?, "a=simulcast")?
        }
        ("ssrc-group", Some(v)) => media.ssrc_groups.push(SsrcGroup::parse(v)?),
        ("ssrc", Some(v)) => {
            let (ssrc, attribute) = Ssrc::parse_line(v)?;
            let next = media.ssrcs.len();
            let index = *ssrc_index.entry(ssrc).or_insert(next);
            match media.ssrcs.get_mut(index) {
                Some(s) => s.attributes.push(attribute),
                None => media.ssrcs.push(Ssrc {
                    ssrc,
                    attributes: vec![attribute],
                }),
            }
        }
        ("sctp-port", Some(v)) => set_once(
            &mut media.sctp_port,
            digits(v.trim()).ok_or(invalid("a=sctp-port", "not a 16-bit number"))?,
            "a=sctp-port",
        )?,
        ("max-message-size", Some(v)) => set_once(
            &mut media.max_message_size,
            digits(v.trim()).ok_or(invalid("a=max-message-size", "not a 64-bit number"))?,
            "a=max-message-size",
        )?,
        ("sctpmap", Some(v)) => set_once(&mut media.sctpmap, SctpMap::parse(v)?, "a=sctpmap")?,
        (name, None) if Direction::parse(name).is_some() => set_once(
            &mut media.direction,
            Direction::parse(name).unwrap_or_default(),
            "direction attribute",
        )?,
        (name, value) => {
            check_attribute_name(name, value)?;
            keep(&mut media.attributes, name, value);
        }
    }
    Ok(())
}
