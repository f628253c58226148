//! The session description: session-level lines and the media sections.

use std::fmt;
use std::str::FromStr;

use super::attributes::{
    Attribute, Bandwidth, Connection, Direction, Fingerprint, Group, MsidSemantic, Setup,
};
use super::error::SdpError;
use super::media::MediaDescription;

/// `o=<username> <sess-id> <sess-version> <nettype> <addrtype> <address>`
/// (RFC 8866 §5.2). JSEP (RFC 8829 §5.2.1) writes `-`, a random 63-bit id,
/// a version incremented on every new local description, `IN IP4
/// 127.0.0.1` (Chromium) or `0.0.0.0` (Firefox).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Origin {
    /// The user name (`-` in WebRTC; Firefox writes
    /// `mozilla...THIS_IS_SDPARTA-<version>`).
    pub username: String,
    /// The session id.
    pub session_id: u64,
    /// The session version.
    pub session_version: u64,
    /// The network type, `IN`.
    pub network_type: String,
    /// `IP4` or `IP6`.
    pub address_type: String,
    /// The unicast address.
    pub address: String,
}

impl Origin {
    /// JSEP's origin: `- <session_id> <session_version> IN IP4 127.0.0.1`.
    pub fn new(session_id: u64, session_version: u64) -> Origin {
        Origin {
            username: "-".into(),
            session_id,
            session_version,
            network_type: "IN".into(),
            address_type: "IP4".into(),
            address: "127.0.0.1".into(),
        }
    }
}

impl Default for Origin {
    fn default() -> Self {
        Origin::new(0, 0)
    }
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {} {} {} {}",
            self.username,
            self.session_id,
            self.session_version,
            self.network_type,
            self.address_type,
            self.address
        )
    }
}

/// A `t=<start> <stop>` line and its `r=` repeat lines (RFC 8866 §5.9,
/// §5.10). WebRTC writes `t=0 0`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Timing {
    /// Start time (NTP seconds; 0 = unbounded).
    pub start: u64,
    /// Stop time (0 = unbounded).
    pub stop: u64,
    /// `r=` lines that follow, as written.
    pub repeats: Vec<String>,
}

/// A session description (RFC 8866), as exchanged by JSEP (RFC 8829).
///
/// Parse with [`SessionDescription::parse`] (or `str::parse`), write with
/// [`fmt::Display`] (`to_string()`): CRLF line ends, the line order of RFC
/// 8866 §5 and, for attributes, the order Chromium writes (see
/// [`crate::sdp`] for the exact order and the normalisations a round
/// trip makes).
///
/// Session-level `a=ice-ufrag`, `a=ice-pwd`, `a=ice-options`,
/// `a=fingerprint` and `a=setup` apply to every media section that does
/// not have its own; [`SessionDescription::ice_ufrag_of`] and the other
/// `*_of` helpers resolve that.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SessionDescription {
    /// `o=`.
    pub origin: Origin,
    /// `s=` (`-` in WebRTC).
    pub session_name: String,
    /// `i=`.
    pub information: Option<String>,
    /// `u=`.
    pub uri: Option<String>,
    /// `e=` lines.
    pub emails: Vec<String>,
    /// `p=` lines.
    pub phones: Vec<String>,
    /// Session-level `c=`.
    pub connection: Option<Connection>,
    /// Session-level `b=` lines.
    pub bandwidths: Vec<Bandwidth>,
    /// `t=` lines (at least one; WebRTC writes `t=0 0`).
    pub timings: Vec<Timing>,
    /// `z=`, as written.
    pub time_zones: Option<String>,
    /// Session-level `k=`, as written.
    pub encryption_key: Option<String>,
    /// `a=group` lines, e.g. `BUNDLE 0 1` (RFC 5888, RFC 8843).
    pub groups: Vec<Group>,
    /// `a=extmap-allow-mixed` (RFC 8285 §6).
    pub extmap_allow_mixed: bool,
    /// `a=msid-semantic`.
    pub msid_semantic: Option<MsidSemantic>,
    /// `a=ice-lite` (RFC 8839 §5.3).
    pub ice_lite: bool,
    /// Session-level `a=ice-ufrag`.
    pub ice_ufrag: Option<String>,
    /// Session-level `a=ice-pwd`.
    pub ice_pwd: Option<String>,
    /// Session-level `a=ice-options` tokens (Firefox writes `trickle`
    /// here).
    pub ice_options: Vec<String>,
    /// Session-level `a=fingerprint` lines (Firefox writes them here).
    pub fingerprints: Vec<Fingerprint>,
    /// Session-level `a=setup`.
    pub setup: Option<Setup>,
    /// Session-level direction attribute.
    pub direction: Option<Direction>,
    /// Every other session-level attribute, in order.
    pub attributes: Vec<Attribute>,
    /// The media sections in order.
    pub media: Vec<MediaDescription>,
}

impl SessionDescription {
    /// An empty JSEP description: `v=0`, the origin, `s=-`, `t=0 0`.
    pub fn new(origin: Origin) -> SessionDescription {
        SessionDescription {
            origin,
            session_name: "-".into(),
            timings: vec![Timing::default()],
            ..SessionDescription::default()
        }
    }

    /// Parses a session description; see [`crate::sdp`] for what is
    /// accepted.
    ///
    /// # Errors
    /// [`SdpError`] naming the first malformed line and why.
    pub fn parse(text: &str) -> Result<SessionDescription, SdpError> {
        super::parse::parse(text)
    }

    /// [`parse`](Self::parse) for bytes off the wire: invalid UTF-8 is an
    /// error naming its line.
    ///
    /// # Errors
    /// [`SdpError`] naming the first malformed line and why.
    pub fn parse_bytes(bytes: &[u8]) -> Result<SessionDescription, SdpError> {
        match std::str::from_utf8(bytes) {
            Ok(text) => Self::parse(text),
            Err(e) => {
                let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
                let line = 1 + valid.iter().filter(|&&b| b == b'\n').count();
                Err(SdpError::new(line, super::error::SdpErrorKind::NotUtf8))
            }
        }
    }

    /// The first `a=group:BUNDLE` group.
    pub fn bundle_group(&self) -> Option<&Group> {
        self.groups.iter().find(|g| g.semantics == "BUNDLE")
    }

    /// The media section with this mid.
    pub fn media_by_mid(&self, mid: &str) -> Option<&MediaDescription> {
        self.media.iter().find(|m| m.mid.as_deref() == Some(mid))
    }

    /// The media section with this mid, mutable.
    pub fn media_by_mid_mut(&mut self, mid: &str) -> Option<&mut MediaDescription> {
        self.media
            .iter_mut()
            .find(|m| m.mid.as_deref() == Some(mid))
    }

    /// The ICE ufrag of a media section: its own, else the session's.
    pub fn ice_ufrag_of<'a>(&'a self, media: &'a MediaDescription) -> Option<&'a str> {
        media.ice_ufrag.as_deref().or(self.ice_ufrag.as_deref())
    }

    /// The ICE password of a media section: its own, else the session's.
    pub fn ice_pwd_of<'a>(&'a self, media: &'a MediaDescription) -> Option<&'a str> {
        media.ice_pwd.as_deref().or(self.ice_pwd.as_deref())
    }

    /// The ICE options of a media section: its own, else the session's.
    pub fn ice_options_of<'a>(&'a self, media: &'a MediaDescription) -> &'a [String] {
        if media.ice_options.is_empty() {
            &self.ice_options
        } else {
            &media.ice_options
        }
    }

    /// The fingerprints of a media section: its own, else the session's.
    pub fn fingerprints_of<'a>(&'a self, media: &'a MediaDescription) -> &'a [Fingerprint] {
        if media.fingerprints.is_empty() {
            &self.fingerprints
        } else {
            &media.fingerprints
        }
    }

    /// The `a=setup` of a media section: its own, else the session's.
    pub fn setup_of(&self, media: &MediaDescription) -> Option<Setup> {
        media.setup.or(self.setup)
    }

    /// The direction of a media section: its own, else the session's,
    /// else sendrecv.
    pub fn direction_of(&self, media: &MediaDescription) -> Direction {
        media.direction.or(self.direction).unwrap_or_default()
    }

    /// The session-level attributes kept as written with this name.
    pub fn attributes_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Attribute> {
        self.attributes.iter().filter(move |a| a.name == name)
    }
}

impl FromStr for SessionDescription {
    type Err = SdpError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        SessionDescription::parse(s)
    }
}
