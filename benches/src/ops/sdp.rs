//! SDP parse, serialize and answer negotiation (not a per-packet path:
//! allocations are expected and counted, see `allocs/tests/sdp.rs`).

use std::fmt::Write;

use zerortc::sdp::negotiate::{answer_direction, negotiate_codecs, negotiate_extmaps};
use zerortc::sdp::{MediaDescription, SessionDescription};

/// Parses a session description; returns a value derived from it (media
/// sections, codecs, extensions, candidates), 0 when it does not parse.
#[inline]
pub fn sdp_parse(text: &str) -> usize {
    let Ok(sdp) = SessionDescription::parse(text) else {
        return 0;
    };
    sdp.media.iter().fold(sdp.media.len(), |acc, m| {
        acc + m.codecs.len() + m.extmaps.len() + m.candidates.len()
    })
}

/// Writes a parsed description into `out` (cleared first, its capacity
/// reused); returns the length.
#[inline]
pub fn sdp_serialize(sdp: &SessionDescription, out: &mut String) -> usize {
    out.clear();
    let _ = write!(out, "{sdp}");
    out.len()
}

/// What JSEP computes per section to answer an offer: codecs, header
/// extensions and direction against the local capabilities (`local`, one
/// section per media kind). Returns the number of negotiated codecs and
/// extensions.
#[inline]
pub fn sdp_negotiate(offer: &SessionDescription, local: &[MediaDescription]) -> usize {
    let mut n = 0;
    for remote in &offer.media {
        let Some(own) = local.iter().find(|m| m.kind == remote.kind) else {
            continue;
        };
        n += negotiate_codecs(&remote.codecs, &own.codecs).len();
        n += negotiate_extmaps(&remote.extmaps, &own.extmaps).len();
        n += answer_direction(offer.direction_of(remote), own.direction()) as usize;
    }
    n
}
