//! SDP (RFC 8866) as WebRTC uses it: a typed session model, a parser that
//! accepts what browsers write, a serializer that writes what browsers
//! expect, and the pure negotiation rules JSEP needs ([`negotiate`]).
//!
//! RFCs and attributes:
//! - RFC 8866: `v= o= s= i= u= e= p= c= b= t= r= z= k= a= m=`;
//!   direction attributes (§6.7).
//! - RFC 8829/9429 (JSEP): the attribute set of §5.2/§5.3 and the answer
//!   rules in [`negotiate`]; RFC 3264 offer/answer.
//! - RFC 8843 (BUNDLE) and RFC 5888: `a=group`, `a=mid`, `a=bundle-only`.
//! - RFC 8839/8840: `a=candidate` (parsed and written by
//!   [`crate::ice::Candidate`]), `a=end-of-candidates`, `a=ice-ufrag`,
//!   `a=ice-pwd`, `a=ice-options`, `a=ice-lite`.
//! - RFC 8122/5763 and RFC 4145/8842: `a=fingerprint` (sha-1, -224, -256,
//!   -384, -512, md5, md2), `a=setup`.
//! - RFC 8841: `UDP/DTLS/SCTP`, `a=sctp-port`, `a=max-message-size`; the
//!   legacy `DTLS/SCTP` with `a=sctpmap`.
//! - RFC 8285: `a=extmap` (with direction and extension attributes),
//!   `a=extmap-allow-mixed`.
//! - RFC 5576: `a=ssrc`, `a=ssrc-group`. RFC 8851: `a=rid`. RFC 8853:
//!   `a=simulcast`. RFC 8830: `a=msid`, and `a=msid-semantic`.
//! - RFC 5761 `a=rtcp-mux`, RFC 8858 `a=rtcp-mux-only`, RFC 5506
//!   `a=rtcp-rsize`, RFC 3605 `a=rtcp`, RFC 4585 `a=rtcp-fb`.
//! - `a=rtpmap`/`a=fmtp` (RFC 8866 §6.6, §6.15) with the codec rules of
//!   RFC 7587 (Opus), RFC 6184 (H.264), RFC 7741/draft VP9, the AV1 RTP
//!   spec, RFC 7798 (H.265) and RFC 4588 (RTX) in [`negotiate`].
//!
//! # Model
//! [`SessionDescription`] holds the session-level lines and a list of
//! [`MediaDescription`]s. Every attribute above has a typed field;
//! anything else is kept as an [`Attribute`] in the order it came and is
//! written back. Codec lines are grouped per payload type into [`Codec`].
//!
//! # Parsing
//! [`SessionDescription::parse`] accepts LF or CRLF line ends, whitespace
//! around lines, empty lines, session lines in any order after `v=`, and
//! attributes in any order. A malformed line is an [`SdpError`] with its
//! 1-based line number and the reason. Nothing panics, whatever the input
//! (property-tested and fuzzed: `fuzz/fuzz_targets/sdp_parse.rs`).
//!
//! # Serializing
//! [`fmt::Display`](std::fmt::Display) writes CRLF line ends in the order
//! libwebrtc uses. Session: `v o s i u e p c b t r z k`, then `a=group`,
//! `a=extmap-allow-mixed`, `a=msid-semantic`, `a=ice-lite`,
//! `a=ice-ufrag`, `a=ice-pwd`, `a=ice-options`, `a=fingerprint`,
//! `a=setup`, direction, unknown attributes. Media: `m i c b k`, then
//! `a=rtcp`, `a=candidate`, `a=end-of-candidates`, `a=ice-ufrag`,
//! `a=ice-pwd`, `a=ice-options`, `a=fingerprint`, `a=setup`, `a=mid`,
//! `a=bundle-only`, `a=extmap-allow-mixed`, `a=extmap`, direction,
//! `a=msid`, `a=rtcp-mux`, `a=rtcp-mux-only`, `a=rtcp-rsize`, per codec
//! `a=rtpmap` `a=rtcp-fb` `a=fmtp`, `a=rtcp-fb:*`, `a=rid`,
//! `a=simulcast`, `a=ssrc-group`, `a=ssrc`, `a=sctp-port`,
//! `a=max-message-size`, `a=sctpmap`, unknown attributes.
//!
//! # Round trip
//! parse → serialize → parse gives an equal model. The serialized text of
//! a browser description has the same lines (as a multiset) up to these
//! normalisations: whitespace around a line and runs of spaces between
//! fields become single spaces; `a=msid-semantic:` is followed by one
//! space (Chromium's form); fingerprint hex is upper case and hash names
//! lower case; a candidate's transport is lower case (Firefox writes
//! `UDP`); spaces around `;` in `a=fmtp` are dropped; `a=rid` writes `pt=`
//! first; `a=simulcast` writes `send` before `recv`. Lines move (Firefox's
//! order differs from Chromium's), but keep their meaning. Chromium's own
//! descriptions come back byte for byte (tested on the fixtures), apart
//! from attributes this model does not type, which move to the end of
//! their section.

mod attributes;
mod codec;
mod error;
mod h264;
mod media;
pub mod negotiate;
mod parse;
mod session;
mod write;

pub use attributes::{
    Attribute, Bandwidth, Connection, Direction, ExtMap, Fingerprint, Group, HashFunction, Msid,
    MsidSemantic, Rid, RidDirection, RidRestriction, Rtcp, SctpMap, Setup, Simulcast, SimulcastRid,
    Ssrc, SsrcAttribute, SsrcGroup,
};
pub use codec::{Codec, Fmtp, FmtpParam, RtcpFeedback, RtpMap, static_payload_type};
pub use error::{SdpError, SdpErrorKind};
pub use media::{MediaDescription, MediaKind, Proto};
pub use session::{Origin, SessionDescription, Timing};
