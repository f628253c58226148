//! The offer/answer rules JSEP applies to one media section, as pure
//! functions over the model (RFC 8829/9429 §5.3.1, RFC 3264 §6):
//!
//! - [`answer_direction`]: the direction table of RFC 3264 §6.1 / RFC 8829
//!   §5.3.1 (an answer sends only what the offer receives and the answerer
//!   wants to send, and the other way round).
//! - [`answer_setup`], [`dtls_role`]: `a=setup` in an answer (RFC 8842
//!   §5.2: `actpass` → `active` by default) and who is the DTLS client.
//! - [`codecs_match`]: same format by encoding name (case-insensitive),
//!   clock rate and channels (absent = 1), plus the rules of the format's
//!   RFC: H.264 profile (from `profile-level-id`) and `packetization-mode`
//!   (RFC 6184 §8.2.2), VP9 `profile-id`, AV1 `profile`, H.265
//!   `profile-id` and `tier-flag` (RFC 7798 §7.2.2).
//! - [`negotiate_codecs`]: the codecs of an answer: the remote's payload
//!   types and order (as both browsers answer), the answerer's format parameters
//!   (H.264 level by `level-asymmetry-allowed`, RTX `apt` remapped to the
//!   negotiated payload types, RED's redundant payload types checked),
//!   RTCP feedback intersected ([`intersect_rtcp_fb`]).
//! - [`negotiate_extmaps`]: header extensions intersected by URI; the
//!   answer keeps the offerer's ids (RFC 8285 §7); the direction by the
//!   same table.
//! - [`answer_rids`], [`Simulcast::reverse`]: rid and simulcast seen from
//!   the answerer (RFC 8853 §5.3).

use super::attributes::{Direction, ExtMap, Rid, Setup};
use super::codec::{Codec, Fmtp, RtcpFeedback};
pub use super::h264::{H264Profile, H264ProfileLevelId};

#[cfg(doc)]
use super::attributes::Simulcast;

/// The direction of an answer (RFC 8829 §5.3.1, RFC 3264 §6.1): the
/// answer sends iff the offer receives and the answerer wants to send, and
/// receives iff the offer sends and the answerer wants to receive.
///
/// | offer \ local wants | sendrecv | sendonly | recvonly | inactive |
/// |---|---|---|---|---|
/// | sendrecv | sendrecv | sendonly | recvonly | inactive |
/// | sendonly | recvonly | inactive | recvonly | inactive |
/// | recvonly | sendonly | sendonly | inactive | inactive |
/// | inactive | inactive | inactive | inactive | inactive |
pub fn answer_direction(offered: Direction, local: Direction) -> Direction {
    Direction::from_flags(
        offered.receives() && local.sends(),
        offered.sends() && local.receives(),
    )
}

/// `a=setup` of an answer to `offered` (RFC 8842 §5.2, RFC 8829 §5.3.1):
/// `actpass` → `active` (JSEP's default: the answerer is the DTLS
/// client), `active` → `passive`, `passive` → `active`, `holdconn` →
/// `holdconn`.
pub fn answer_setup(offered: Setup) -> Setup {
    answer_setup_preferring(offered, Setup::Active)
}

/// [`answer_setup`] choosing `prefer` (active or passive) when the offer
/// is `actpass`; `prefer` values other than active/passive mean active.
pub fn answer_setup_preferring(offered: Setup, prefer: Setup) -> Setup {
    match offered {
        Setup::ActPass if prefer == Setup::Passive => Setup::Passive,
        Setup::ActPass | Setup::Passive => Setup::Active,
        Setup::Active => Setup::Passive,
        Setup::HoldConn => Setup::HoldConn,
    }
}

/// The DTLS role after an offer/answer exchange.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DtlsRole {
    /// Sends the ClientHello (`a=setup:active`).
    Client,
    /// Waits for it (`a=setup:passive`).
    Server,
}

/// This side's DTLS role from the local and remote `a=setup` (RFC 4145
/// §4.1): `None` when they do not make one client and one server (both
/// active, both passive, holdconn).
pub fn dtls_role(local: Setup, remote: Setup) -> Option<DtlsRole> {
    match (local, remote) {
        (Setup::Active, Setup::Passive | Setup::ActPass) => Some(DtlsRole::Client),
        (Setup::Passive, Setup::Active | Setup::ActPass) => Some(DtlsRole::Server),
        (Setup::ActPass, Setup::Active) => Some(DtlsRole::Server),
        (Setup::ActPass, Setup::Passive) => Some(DtlsRole::Client),
        _ => None,
    }
}

/// Whether the codec is a named format whose parameters the rules below
/// read.
fn is(codec: &Codec, name: &str) -> bool {
    codec.is(name)
}

/// `packetization-mode` (RFC 6184 §8.1: absent = 0).
fn packetization_mode(codec: &Codec) -> &str {
    codec.fmtp_param("packetization-mode").unwrap_or("0")
}

/// A numeric parameter compared as a number, with a default.
fn param_or<'a>(codec: &'a Codec, name: &str, default: &'a str) -> &'a str {
    codec.fmtp_param(name).unwrap_or(default)
}

fn same_number(a: &str, b: &str) -> bool {
    match (a.parse::<u64>(), b.parse::<u64>()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}

/// Whether two codecs are the same format (RFC 3264 §6.1: name, clock
/// rate, channels) and their format parameters do not make them different
/// formats: H.264 profile and packetization mode, VP9 `profile-id`
/// (default 0), AV1 `profile` (default 0), H.265 `profile-id` (default 1)
/// and `tier-flag` (default 0). Levels are not compared: they are
/// negotiated. RTX and RED match on name and clock rate here;
/// [`negotiate_codecs`] checks what they refer to.
pub fn codecs_match(a: &Codec, b: &Codec) -> bool {
    let (Some(x), Some(y)) = (a.encoding(), b.encoding()) else {
        return false;
    };
    if !x.encoding_name.eq_ignore_ascii_case(&y.encoding_name)
        || x.clock_rate != y.clock_rate
        || x.channels.unwrap_or(1) != y.channels.unwrap_or(1)
    {
        return false;
    }
    if is(a, "H264") {
        let (Some(pa), Some(pb)) = (
            H264ProfileLevelId::from_fmtp(a.fmtp_param("profile-level-id")),
            H264ProfileLevelId::from_fmtp(b.fmtp_param("profile-level-id")),
        ) else {
            return false;
        };
        return pa.profile() == pb.profile()
            && same_number(packetization_mode(a), packetization_mode(b));
    }
    if is(a, "VP9") {
        return same_number(
            param_or(a, "profile-id", "0"),
            param_or(b, "profile-id", "0"),
        );
    }
    if is(a, "AV1") {
        return same_number(param_or(a, "profile", "0"), param_or(b, "profile", "0"));
    }
    if is(a, "H265") {
        return same_number(
            param_or(a, "profile-id", "1"),
            param_or(b, "profile-id", "1"),
        ) && same_number(param_or(a, "tier-flag", "0"), param_or(b, "tier-flag", "0"));
    }
    true
}

/// The RTCP feedback both sides list, in local order (RFC 4585 §4.2: a
/// feedback type is used only when both sides support it).
pub fn intersect_rtcp_fb(remote: &[RtcpFeedback], local: &[RtcpFeedback]) -> Vec<RtcpFeedback> {
    local
        .iter()
        .filter(|l| {
            remote
                .iter()
                .any(|r| r.kind.eq_ignore_ascii_case(&l.kind) && r.parameter == l.parameter)
        })
        .cloned()
        .collect()
}

/// The H.264 `fmtp` of an answer: the local parameters with the remote
/// profile and the level this side can receive: its own level when both
/// sides allow level asymmetry (RFC 6184 §8.1 `level-asymmetry-allowed`),
/// else the lower of the two (§8.2.2).
pub fn h264_answer_fmtp(remote: &Codec, local: &Codec) -> Fmtp {
    let mut fmtp = local.fmtp.clone().unwrap_or_default();
    let ids = (
        H264ProfileLevelId::from_fmtp(remote.fmtp_param("profile-level-id")),
        H264ProfileLevelId::from_fmtp(local.fmtp_param("profile-level-id")),
    );
    if let (Some(r), Some(l)) = ids {
        let asymmetry = |c: &Codec| c.fmtp_param("level-asymmetry-allowed") == Some("1");
        let own_level = (asymmetry(remote) && asymmetry(local)) || l.cmp_level(&r).is_le();
        let level = if own_level { l } else { r };
        fmtp.set("profile-level-id", r.with_level_of(&level).to_string());
    }
    fmtp
}

/// The answer's codec for a remote codec matched by a local one: the
/// remote payload type and rtpmap, the local format parameters (H.264
/// computed by [`h264_answer_fmtp`]), feedback intersected.
fn answer_codec(remote: &Codec, local: &Codec) -> Codec {
    let fmtp = if is(remote, "H264") {
        Some(h264_answer_fmtp(remote, local))
    } else {
        local.fmtp.clone()
    };
    Codec {
        payload_type: remote.payload_type,
        rtpmap: remote.rtpmap.clone().or_else(|| local.rtpmap.clone()),
        fmtp,
        rtcp_fb: intersect_rtcp_fb(&remote.rtcp_fb, &local.rtcp_fb),
    }
}

/// Whether the codec refers to other payload types in its `fmtp`: RTX
/// (`apt=`) or RED (`<pt>/<pt>...`).
fn is_dependent(codec: &Codec) -> bool {
    codec.is_rtx() || is(codec, "red")
}

/// The payload types a RED `fmtp` lists (`111/111`), if it parses.
fn red_payload_types(codec: &Codec) -> Option<Vec<u8>> {
    let fmtp = codec.fmtp.as_ref()?;
    let first = fmtp.params.first()?;
    if first.value.is_some() {
        return None;
    }
    first.name.split('/').map(|p| p.parse().ok()).collect()
}

/// The codecs of an answer (or of the negotiated result, on the offerer's
/// side) from the remote description's codecs and the local ones: the
/// remote payload types (RFC 8829 §5.3.1) in the remote order, as
/// Chromium and Firefox answer (RFC 3264 §6.1 lets the answerer reorder;
/// reorder the result to prefer local codecs).
///
/// Each remote codec takes the first local codec [`codecs_match`]es that
/// no earlier remote codec took. An RTX format is kept when the format its
/// `apt` names was negotiated and the local side has RTX for the matching
/// local format; its `fmtp` is the local one with `apt` rewritten to the
/// remote payload type. RED is kept when every payload type its `fmtp`
/// lists was negotiated (its remote `fmtp` is used). Codecs only one side
/// has are dropped.
pub fn negotiate_codecs(remote: &[Codec], local: &[Codec]) -> Vec<Codec> {
    let mut taken = vec![false; local.len()];
    let mut result: Vec<(usize, Codec)> = Vec::new();
    // Remote payload type → local payload type of the negotiated formats.
    let mut mapping: Vec<(u8, u8)> = Vec::new();
    for (ri, r) in remote.iter().enumerate() {
        if is_dependent(r) {
            continue;
        }
        let found = local
            .iter()
            .zip(taken.iter_mut())
            .find(|(l, t)| !**t && !is_dependent(l) && codecs_match(r, l));
        if let Some((l, t)) = found {
            *t = true;
            mapping.push((r.payload_type, l.payload_type));
            result.push((ri, answer_codec(r, l)));
        }
    }
    // RED after the formats it carries, and before RTX, which may repair it.
    let negotiated: Vec<u8> = mapping.iter().map(|&(r, _)| r).collect();
    for (ri, r) in remote.iter().enumerate() {
        if !is(r, "red")
            || !red_payload_types(r).is_none_or(|pts| pts.iter().all(|pt| negotiated.contains(pt)))
        {
            continue;
        }
        let found = local
            .iter()
            .zip(taken.iter_mut())
            .find(|(l, t)| !**t && is(l, "red") && codecs_match(r, l));
        if let Some((l, t)) = found {
            *t = true;
            mapping.push((r.payload_type, l.payload_type));
            let mut codec = answer_codec(r, l);
            codec.fmtp = r.fmtp.clone();
            result.push((ri, codec));
        }
    }
    for (ri, r) in remote.iter().enumerate() {
        if !r.is_rtx() {
            continue;
        }
        let Some(apt) = r.apt() else { continue };
        let Some(&(_, local_apt)) = mapping.iter().find(|(rp, _)| *rp == apt) else {
            continue;
        };
        let found = local
            .iter()
            .zip(taken.iter_mut())
            .find(|(l, t)| !**t && l.is_rtx() && l.apt() == Some(local_apt) && codecs_match(r, l));
        if let Some((l, t)) = found {
            *t = true;
            let mut codec = answer_codec(r, l);
            let mut fmtp = codec.fmtp.take().unwrap_or_default();
            fmtp.set("apt", apt.to_string());
            codec.fmtp = Some(fmtp);
            result.push((ri, codec));
        }
    }
    result.sort_by_key(|(ri, _)| *ri);
    result.into_iter().map(|(_, c)| c).collect()
}

/// The header extensions of an answer: each remote extension whose URI
/// the local side also lists (for `urn:ietf:params:rtp-hdrext:encrypt`,
/// RFC 6904, the extension attributes must match too), with the remote id
/// (RFC 8285 §7) and remote order, and the direction from
/// [`answer_direction`] (none written for sendrecv; dropped when
/// inactive).
pub fn negotiate_extmaps(remote: &[ExtMap], local: &[ExtMap]) -> Vec<ExtMap> {
    const ENCRYPT: &str = "urn:ietf:params:rtp-hdrext:encrypt";
    remote
        .iter()
        .filter_map(|r| {
            let l = local
                .iter()
                .find(|l| l.uri == r.uri && (r.uri != ENCRYPT || l.attributes == r.attributes))?;
            let direction = answer_direction(
                r.direction.unwrap_or_default(),
                l.direction.unwrap_or_default(),
            );
            (direction != Direction::Inactive).then(|| ExtMap {
                id: r.id,
                direction: (direction != Direction::SendRecv).then_some(direction),
                uri: r.uri.clone(),
                attributes: r.attributes.clone(),
            })
        })
        .collect()
}

/// The rids of an answer that accepts these offered rids: the same ids,
/// direction reversed, the offered restrictions kept; payload types
/// (`pt=`) kept only where `accepted_pts` has them (RFC 8851 §7: an
/// answer removes what it does not support; a rid left with no payload
/// type from a non-empty list is dropped).
pub fn answer_rids(offered: &[Rid], accepted_pts: &[u8]) -> Vec<Rid> {
    offered
        .iter()
        .filter_map(|rid| {
            let payload_types: Vec<u8> = rid
                .payload_types
                .iter()
                .copied()
                .filter(|pt| accepted_pts.contains(pt))
                .collect();
            if !rid.payload_types.is_empty() && payload_types.is_empty() {
                return None;
            }
            Some(Rid {
                id: rid.id.clone(),
                direction: rid.direction.reverse(),
                payload_types,
                restrictions: rid.restrictions.clone(),
            })
        })
        .collect()
}
