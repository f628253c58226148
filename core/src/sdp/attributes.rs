//! Typed values of the session- and media-level attributes and lines that
//! are not about codecs: directions, DTLS (`fingerprint`, `setup`),
//! grouping and identification (`group`, `msid`, `msid-semantic`),
//! `c=`/`b=` lines, `rtcp`, `extmap`, `ssrc`/`ssrc-group`, `rid`,
//! `simulcast`, `sctpmap`, and unknown attributes.
//!
//! Each type has a `parse` for the value after `a=<name>:` (or after `c=`,
//! `b=`) and a [`fmt::Display`] that writes the value back in the form
//! browsers use.

use std::fmt;
use std::net::IpAddr;
use std::str::FromStr;

use super::error::{SdpErrorKind, invalid};
use crate::crypto;

/// Parses a non-empty string of ASCII digits (no sign, no spaces).
pub(crate) fn digits<T: FromStr>(s: &str) -> Option<T> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Whether `s` is a non-empty token without whitespace (what browsers put
/// in ids: mids, rids, stream and track ids, ufrags...).
pub(crate) fn is_token(s: &str) -> bool {
    !s.is_empty() && !s.chars().any(char::is_whitespace)
}

/// Splits on runs of spaces (browsers write single spaces; a doubled
/// space is accepted).
pub(crate) fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split([' ', '\t']).filter(|w| !w.is_empty())
}

/// The direction of a media section or header extension (RFC 8866 §6.7,
/// RFC 3264 §5.1): `sendrecv`, `sendonly`, `recvonly`, `inactive`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Direction {
    /// Send and receive (the default when no direction is written).
    #[default]
    SendRecv,
    /// Send only.
    SendOnly,
    /// Receive only.
    RecvOnly,
    /// Neither.
    Inactive,
}

impl Direction {
    /// The attribute name: `sendrecv`, `sendonly`, `recvonly`, `inactive`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Direction::SendRecv => "sendrecv",
            Direction::SendOnly => "sendonly",
            Direction::RecvOnly => "recvonly",
            Direction::Inactive => "inactive",
        }
    }

    /// The direction for an attribute name, or `None`.
    pub fn parse(name: &str) -> Option<Direction> {
        Some(match name {
            "sendrecv" => Direction::SendRecv,
            "sendonly" => Direction::SendOnly,
            "recvonly" => Direction::RecvOnly,
            "inactive" => Direction::Inactive,
            _ => return None,
        })
    }

    /// The direction that sends iff `send` and receives iff `recv`.
    pub const fn from_flags(send: bool, recv: bool) -> Direction {
        match (send, recv) {
            (true, true) => Direction::SendRecv,
            (true, false) => Direction::SendOnly,
            (false, true) => Direction::RecvOnly,
            (false, false) => Direction::Inactive,
        }
    }

    /// Whether this side sends.
    pub const fn sends(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::SendOnly)
    }

    /// Whether this side receives.
    pub const fn receives(self) -> bool {
        matches!(self, Direction::SendRecv | Direction::RecvOnly)
    }

    /// The same stream seen from the other side: sendonly ↔ recvonly.
    pub const fn reverse(self) -> Direction {
        Direction::from_flags(self.receives(), self.sends())
    }
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The `a=setup` attribute (RFC 4145 §4, RFC 8842 §5): which side opens
/// the DTLS connection. `active` is the DTLS client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Setup {
    /// `active`: this side initiates (DTLS client).
    Active,
    /// `passive`: this side waits (DTLS server).
    Passive,
    /// `actpass`: either; an offer writes this (RFC 8842 §5.2).
    ActPass,
    /// `holdconn`: no connection for now.
    HoldConn,
}

impl Setup {
    /// The attribute value.
    pub const fn as_str(self) -> &'static str {
        match self {
            Setup::Active => "active",
            Setup::Passive => "passive",
            Setup::ActPass => "actpass",
            Setup::HoldConn => "holdconn",
        }
    }

    /// The role for an attribute value, or `None`.
    pub fn parse(value: &str) -> Option<Setup> {
        Some(match value {
            "active" => Setup::Active,
            "passive" => Setup::Passive,
            "actpass" => Setup::ActPass,
            "holdconn" => Setup::HoldConn,
            _ => return None,
        })
    }
}

impl fmt::Display for Setup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The hash function of an `a=fingerprint` (RFC 8122 §5, RFC 5763 §5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum HashFunction {
    /// `sha-1` (20 bytes).
    Sha1,
    /// `sha-224` (28 bytes).
    Sha224,
    /// `sha-256` (32 bytes; what browsers write).
    Sha256,
    /// `sha-384` (48 bytes).
    Sha384,
    /// `sha-512` (64 bytes).
    Sha512,
    /// `md5` (16 bytes; RFC 8122 keeps it for backwards compatibility).
    Md5,
    /// `md2` (16 bytes).
    Md2,
    /// Any other token, kept lower case; its value length is not checked.
    Other(String),
}

impl HashFunction {
    /// The SDP name, lower case.
    pub fn as_str(&self) -> &str {
        match self {
            HashFunction::Sha1 => "sha-1",
            HashFunction::Sha224 => "sha-224",
            HashFunction::Sha256 => "sha-256",
            HashFunction::Sha384 => "sha-384",
            HashFunction::Sha512 => "sha-512",
            HashFunction::Md5 => "md5",
            HashFunction::Md2 => "md2",
            HashFunction::Other(name) => name,
        }
    }

    /// The hash function for a name (case-insensitive; kept lower case).
    pub fn parse(name: &str) -> HashFunction {
        const KNOWN: [HashFunction; 7] = [
            HashFunction::Sha1,
            HashFunction::Sha224,
            HashFunction::Sha256,
            HashFunction::Sha384,
            HashFunction::Sha512,
            HashFunction::Md5,
            HashFunction::Md2,
        ];
        KNOWN
            .into_iter()
            .find(|h| h.as_str().eq_ignore_ascii_case(name))
            .unwrap_or_else(|| HashFunction::Other(name.to_ascii_lowercase()))
    }

    /// The digest length in bytes, for the functions this type knows.
    pub fn output_len(&self) -> Option<usize> {
        match self {
            HashFunction::Sha1 => Some(20),
            HashFunction::Sha224 => Some(28),
            HashFunction::Sha256 => Some(32),
            HashFunction::Sha384 => Some(48),
            HashFunction::Sha512 => Some(64),
            HashFunction::Md5 | HashFunction::Md2 => Some(16),
            HashFunction::Other(_) => None,
        }
    }
}

/// A certificate fingerprint, `a=fingerprint:sha-256 AB:CD:...` (RFC 8122
/// §5). Written with upper-case hex as browsers do; parsed in either case.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fingerprint {
    /// The hash function.
    pub hash: HashFunction,
    /// The digest, as many bytes as the hash function outputs.
    pub value: Vec<u8>,
}

impl Fingerprint {
    /// Parses `<hash-func> <hex>:<hex>:...`.
    ///
    /// # Errors
    /// When the value is not two words, a byte is not two hex digits, or
    /// the length does not match a known hash function.
    pub fn parse(value: &str) -> Result<Fingerprint, SdpErrorKind> {
        const WHAT: &str = "a=fingerprint";
        let mut w = words(value);
        let (Some(name), Some(hex), None) = (w.next(), w.next(), w.next()) else {
            return Err(invalid(WHAT, "expected `<hash-function> <hex bytes>`"));
        };
        let hash = HashFunction::parse(name);
        if !is_token(name) || name.contains(':') {
            return Err(invalid(WHAT, "bad hash function name"));
        }
        let mut bytes = Vec::with_capacity(64);
        for pair in hex.split(':') {
            if pair.len() != 2 || !pair.bytes().all(|b| b.is_ascii_hexdigit()) {
                return Err(invalid(
                    WHAT,
                    "fingerprint bytes must be two hex digits each",
                ));
            }
            bytes.push(u8::from_str_radix(pair, 16).map_err(|_| invalid(WHAT, "bad hex"))?);
        }
        if hash.output_len().is_some_and(|n| n != bytes.len()) {
            return Err(invalid(
                WHAT,
                "fingerprint length does not match its hash function",
            ));
        }
        Ok(Fingerprint { hash, value: bytes })
    }

    /// The certificate fingerprint for the DTLS layer, when the hash
    /// function is one [`crypto`] computes (SHA-1/256/384/512).
    pub fn to_crypto(&self) -> Option<crypto::Fingerprint> {
        let algorithm = match self.hash {
            HashFunction::Sha1 => crypto::FingerprintAlgorithm::Sha1,
            HashFunction::Sha256 => crypto::FingerprintAlgorithm::Sha256,
            HashFunction::Sha384 => crypto::FingerprintAlgorithm::Sha384,
            HashFunction::Sha512 => crypto::FingerprintAlgorithm::Sha512,
            _ => return None,
        };
        Some(crypto::Fingerprint {
            algorithm,
            value: self.value.clone(),
        })
    }
}

impl From<&crypto::Fingerprint> for Fingerprint {
    fn from(f: &crypto::Fingerprint) -> Self {
        Fingerprint {
            hash: HashFunction::parse(f.algorithm.sdp_name()),
            value: f.value.clone(),
        }
    }
}

impl fmt::Display for Fingerprint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.hash.as_str())?;
        for (i, byte) in self.value.iter().enumerate() {
            let sep = if i == 0 { ' ' } else { ':' };
            write!(f, "{sep}{byte:02X}")?;
        }
        Ok(())
    }
}

/// A connection line, `c=IN IP4 0.0.0.0` (RFC 8866 §5.7), also the
/// address part of `a=rtcp`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Connection {
    /// The network type: `IN`.
    pub network_type: String,
    /// The address type: `IP4` or `IP6`.
    pub address_type: String,
    /// The connection address, as written (may carry `/ttl/count` for
    /// multicast).
    pub address: String,
}

impl Connection {
    /// `IN IP4 <ip>` or `IN IP6 <ip>`.
    pub fn from_ip(ip: IpAddr) -> Connection {
        Connection {
            network_type: "IN".into(),
            address_type: if ip.is_ipv4() { "IP4" } else { "IP6" }.into(),
            address: ip.to_string(),
        }
    }

    /// The JSEP placeholder `IN IP4 0.0.0.0` (RFC 8829 §5.2.1).
    pub fn placeholder() -> Connection {
        Connection::from_ip(IpAddr::from([0, 0, 0, 0]))
    }

    /// Parses the value of a `c=` line, `<nettype> <addrtype> <address>`.
    ///
    /// # Errors
    /// When the value is not three words.
    pub fn parse(value: &str) -> Result<Connection, SdpErrorKind> {
        Connection::parse_as(value, "c=")
    }

    pub(crate) fn parse_as(value: &str, what: &'static str) -> Result<Connection, SdpErrorKind> {
        let mut w = words(value);
        let (Some(n), Some(t), Some(a), None) = (w.next(), w.next(), w.next(), w.next()) else {
            return Err(invalid(what, "expected `<nettype> <addrtype> <address>`"));
        };
        Ok(Connection {
            network_type: n.into(),
            address_type: t.into(),
            address: a.into(),
        })
    }

    /// The IP address, without a multicast `/ttl`, if it is one.
    pub fn ip(&self) -> Option<IpAddr> {
        let addr = self.address.split('/').next().unwrap_or_default();
        addr.parse().ok()
    }
}

impl fmt::Display for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {} {}",
            self.network_type, self.address_type, self.address
        )
    }
}

/// A bandwidth line, `b=AS:500` or `b=TIAS:500000` (RFC 8866 §5.8, RFC
/// 3890).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Bandwidth {
    /// The type: `AS` (kbit/s), `TIAS` (bit/s), `CT`, `RS`, `RR`...
    pub kind: String,
    /// The value.
    pub value: u64,
}

impl Bandwidth {
    /// Parses `<type>:<number>`.
    ///
    /// # Errors
    /// When there is no `:` or the value is not a number.
    pub fn parse(value: &str) -> Result<Bandwidth, SdpErrorKind> {
        let (kind, n) = value
            .split_once(':')
            .ok_or(invalid("b=", "expected `<type>:<bandwidth>`"))?;
        if !is_token(kind) {
            return Err(invalid("b=", "bad bandwidth type"));
        }
        let value = digits(n).ok_or(invalid("b=", "bandwidth is not a number"))?;
        Ok(Bandwidth {
            kind: kind.into(),
            value,
        })
    }
}

impl fmt::Display for Bandwidth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind, self.value)
    }
}

/// `a=group:<semantics> <mid>...` (RFC 5888), e.g. `BUNDLE 0 1` (RFC 8843).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Group {
    /// `BUNDLE`, `LS`, `FID`...
    pub semantics: String,
    /// The identification tags (mids), in order.
    pub mids: Vec<String>,
}

impl Group {
    /// A `BUNDLE` group of these mids.
    pub fn bundle<I: IntoIterator<Item = S>, S: Into<String>>(mids: I) -> Group {
        Group {
            semantics: "BUNDLE".into(),
            mids: mids.into_iter().map(Into::into).collect(),
        }
    }

    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<Group, SdpErrorKind> {
        let mut w = words(value);
        let semantics = w
            .next()
            .ok_or(invalid("a=group", "missing semantics"))?
            .to_string();
        Ok(Group {
            semantics,
            mids: w.map(str::to_string).collect(),
        })
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.semantics)?;
        for mid in &self.mids {
            write!(f, " {mid}")?;
        }
        Ok(())
    }
}

/// `a=msid-semantic: WMS [ids]` (the WebRTC media stream semantic of the
/// msid drafts; Chromium writes `WMS` and its stream ids, Firefox `WMS *`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MsidSemantic {
    /// `WMS`.
    pub semantics: String,
    /// Stream ids or `*`.
    pub identifiers: Vec<String>,
}

impl MsidSemantic {
    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<MsidSemantic, SdpErrorKind> {
        let mut w = words(value);
        let semantics = w
            .next()
            .ok_or(invalid("a=msid-semantic", "missing semantics"))?
            .to_string();
        Ok(MsidSemantic {
            semantics,
            identifiers: w.map(str::to_string).collect(),
        })
    }
}

impl fmt::Display for MsidSemantic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.semantics)?;
        for id in &self.identifiers {
            write!(f, " {id}")?;
        }
        Ok(())
    }
}

/// `a=msid:<stream id> [<track id>]` (RFC 8830): the media stream a track
/// belongs to; `-` as stream id means none.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Msid {
    /// The stream id (`-` for a track without a stream).
    pub stream_id: String,
    /// The track id (the "appdata"), if written.
    pub track_id: Option<String>,
}

impl Msid {
    /// `a=msid:<stream id> <track id>`.
    pub fn new(stream_id: impl Into<String>, track_id: impl Into<String>) -> Msid {
        Msid {
            stream_id: stream_id.into(),
            track_id: Some(track_id.into()),
        }
    }

    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<Msid, SdpErrorKind> {
        let mut w = words(value);
        let stream_id = w
            .next()
            .ok_or(invalid("a=msid", "missing stream id"))?
            .to_string();
        let track_id = w.next().map(str::to_string);
        if w.next().is_some() {
            return Err(invalid("a=msid", "more than two words"));
        }
        Ok(Msid {
            stream_id,
            track_id,
        })
    }
}

impl fmt::Display for Msid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.stream_id)?;
        if let Some(t) = &self.track_id {
            write!(f, " {t}")?;
        }
        Ok(())
    }
}

/// `a=rtcp:<port> [IN IP4 <address>]` (RFC 3605).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rtcp {
    /// The RTCP port.
    pub port: u16,
    /// The RTCP address, if written.
    pub connection: Option<Connection>,
}

impl Rtcp {
    /// JSEP's `a=rtcp:9 IN IP4 0.0.0.0` (RFC 8829 §5.2.1: written with
    /// the placeholder port and address before candidates are known).
    pub fn placeholder() -> Rtcp {
        Rtcp {
            port: 9,
            connection: Some(Connection::placeholder()),
        }
    }

    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<Rtcp, SdpErrorKind> {
        let value = value.trim();
        let (port, rest) = value.split_once(' ').unwrap_or((value, ""));
        let port = digits(port).ok_or(invalid("a=rtcp", "port is not a 16-bit number"))?;
        let connection = if rest.trim().is_empty() {
            None
        } else {
            Some(Connection::parse_as(rest, "a=rtcp")?)
        };
        Ok(Rtcp { port, connection })
    }
}

impl fmt::Display for Rtcp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.port)?;
        if let Some(c) = &self.connection {
            write!(f, " {c}")?;
        }
        Ok(())
    }
}

/// `a=extmap:<id>[/<direction>] <uri> [<attributes>]` (RFC 8285 §8): an
/// RTP header extension and its local id.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExtMap {
    /// The local identifier: 1..=14 fits the one-byte form, up to 255 the
    /// two-byte form (Safari writes ids up to 255); 4096..=4351 are the
    /// RFC 8285 negotiation range.
    pub id: u16,
    /// The direction, when written (none means sendrecv).
    pub direction: Option<Direction>,
    /// The extension URI.
    pub uri: String,
    /// Extension attributes after the URI, as written.
    pub attributes: Option<String>,
}

impl ExtMap {
    /// An extension with this id and URI, no direction, no attributes.
    pub fn new(id: u16, uri: impl Into<String>) -> ExtMap {
        ExtMap {
            id,
            direction: None,
            uri: uri.into(),
            attributes: None,
        }
    }

    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<ExtMap, SdpErrorKind> {
        const WHAT: &str = "a=extmap";
        let value = value.trim();
        let (head, rest) = value
            .split_once(' ')
            .ok_or(invalid(WHAT, "expected `<id> <uri>`"))?;
        let (id, direction) = match head.split_once('/') {
            Some((id, dir)) => (
                id,
                Some(Direction::parse(dir).ok_or(invalid(WHAT, "unknown direction"))?),
            ),
            None => (head, None),
        };
        let id: u16 = digits(id).ok_or(invalid(WHAT, "id is not a number"))?;
        if !(1..=255).contains(&id) && !(4096..=4351).contains(&id) {
            return Err(invalid(WHAT, "id outside 1..=255 and 4096..=4351"));
        }
        let rest = rest.trim_start();
        let (uri, attributes) = match rest.split_once(' ') {
            Some((uri, attrs)) if !attrs.trim().is_empty() => (uri, Some(attrs.trim().into())),
            Some((uri, _)) => (uri, None),
            None => (rest, None),
        };
        if uri.is_empty() {
            return Err(invalid(WHAT, "missing URI"));
        }
        Ok(ExtMap {
            id,
            direction,
            uri: uri.into(),
            attributes,
        })
    }
}

impl fmt::Display for ExtMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.id)?;
        if let Some(d) = self.direction {
            write!(f, "/{d}")?;
        }
        write!(f, " {}", self.uri)?;
        if let Some(a) = &self.attributes {
            write!(f, " {a}")?;
        }
        Ok(())
    }
}

/// One source attribute, the part after the SSRC in `a=ssrc:<ssrc>
/// <name>[:<value>]` (RFC 5576 §4.1): `cname:...`, `msid:...`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SsrcAttribute {
    /// The attribute name: `cname`, `msid`, `mslabel`, `label`...
    pub name: String,
    /// The value after `:`, if any.
    pub value: Option<String>,
}

/// The source attributes of one SSRC, from all its `a=ssrc:` lines in
/// order (RFC 5576 §4.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Ssrc {
    /// The synchronization source.
    pub ssrc: u32,
    /// Its attributes in the order written.
    pub attributes: Vec<SsrcAttribute>,
}

impl Ssrc {
    /// An SSRC with just a `cname`.
    pub fn with_cname(ssrc: u32, cname: impl Into<String>) -> Ssrc {
        Ssrc {
            ssrc,
            attributes: vec![SsrcAttribute {
                name: "cname".into(),
                value: Some(cname.into()),
            }],
        }
    }

    /// The value of the first attribute called `name`.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|a| a.name == name)
            .and_then(|a| a.value.as_deref())
    }

    /// The `cname` (RFC 5576 §6.1).
    pub fn cname(&self) -> Option<&str> {
        self.attribute("cname")
    }

    /// Parses one line's value into the SSRC and attribute.
    pub(crate) fn parse_line(value: &str) -> Result<(u32, SsrcAttribute), SdpErrorKind> {
        const WHAT: &str = "a=ssrc";
        let value = value.trim();
        let (ssrc, attr) = value
            .split_once(' ')
            .ok_or(invalid(WHAT, "expected `<ssrc> <attribute>`"))?;
        let ssrc = digits(ssrc).ok_or(invalid(WHAT, "ssrc is not a 32-bit number"))?;
        let attr = attr.trim_start();
        let (name, value) = match attr.split_once(':') {
            Some((n, v)) => (n, Some(v.to_string())),
            None => (attr, None),
        };
        if !is_token(name) {
            return Err(invalid(WHAT, "bad attribute name"));
        }
        Ok((
            ssrc,
            SsrcAttribute {
                name: name.into(),
                value,
            },
        ))
    }
}

/// `a=ssrc-group:<semantics> <ssrc>...` (RFC 5576 §4.2), e.g. `FID`
/// (RTX, RFC 4588), `FEC-FR`, `SIM`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SsrcGroup {
    /// `FID`, `FEC-FR`, `SIM`...
    pub semantics: String,
    /// The SSRCs, in order (for `FID`: primary, then retransmission).
    pub ssrcs: Vec<u32>,
}

impl SsrcGroup {
    /// `FID <primary> <retransmission>` (RFC 4588 §8.2).
    pub fn fid(primary: u32, rtx: u32) -> SsrcGroup {
        SsrcGroup {
            semantics: "FID".into(),
            ssrcs: vec![primary, rtx],
        }
    }

    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<SsrcGroup, SdpErrorKind> {
        const WHAT: &str = "a=ssrc-group";
        let mut w = words(value);
        let semantics = w.next().ok_or(invalid(WHAT, "missing semantics"))?.into();
        let ssrcs = w
            .map(|s| digits(s).ok_or(invalid(WHAT, "ssrc is not a 32-bit number")))
            .collect::<Result<Vec<u32>, _>>()?;
        Ok(SsrcGroup { semantics, ssrcs })
    }
}

impl fmt::Display for SsrcGroup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.semantics)?;
        for s in &self.ssrcs {
            write!(f, " {s}")?;
        }
        Ok(())
    }
}

/// The direction of an `a=rid` (RFC 8851 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RidDirection {
    /// `send`: the writer of the description sends this stream.
    Send,
    /// `recv`: the writer receives it.
    Recv,
}

impl RidDirection {
    /// `send` or `recv`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RidDirection::Send => "send",
            RidDirection::Recv => "recv",
        }
    }

    /// The other side's view.
    pub const fn reverse(self) -> RidDirection {
        match self {
            RidDirection::Send => RidDirection::Recv,
            RidDirection::Recv => RidDirection::Send,
        }
    }
}

/// One restriction of an `a=rid` (`max-width=1280`, `max-fps=30`...).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RidRestriction {
    /// The name, e.g. `max-width`.
    pub name: String,
    /// The value, if any (`depend` has a list).
    pub value: Option<String>,
}

/// `a=rid:<id> <send|recv> [pt=<pts>;<restriction>=<value>;...]` (RFC
/// 8851): a restriction identifier for one RTP stream (a simulcast layer).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Rid {
    /// The rid-id: letters, digits, `-`, `_`.
    pub id: String,
    /// Send or receive.
    pub direction: RidDirection,
    /// The `pt=` list, empty when absent (written first).
    pub payload_types: Vec<u8>,
    /// The other restrictions in order.
    pub restrictions: Vec<RidRestriction>,
}

impl Rid {
    /// A rid without restrictions.
    pub fn new(id: impl Into<String>, direction: RidDirection) -> Rid {
        Rid {
            id: id.into(),
            direction,
            payload_types: Vec::new(),
            restrictions: Vec::new(),
        }
    }

    /// The value of the restriction `name`.
    pub fn restriction(&self, name: &str) -> Option<&str> {
        self.restrictions
            .iter()
            .find(|r| r.name == name)
            .and_then(|r| r.value.as_deref())
    }

    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<Rid, SdpErrorKind> {
        const WHAT: &str = "a=rid";
        let mut w = words(value);
        let id = w.next().ok_or(invalid(WHAT, "missing rid-id"))?;
        if !is_rid_id(id) {
            return Err(invalid(WHAT, "rid-id must be letters, digits, `-`, `_`"));
        }
        let direction = match w.next() {
            Some("send") => RidDirection::Send,
            Some("recv") => RidDirection::Recv,
            _ => return Err(invalid(WHAT, "direction must be `send` or `recv`")),
        };
        let mut rid = Rid::new(id, direction);
        if let Some(params) = w.next() {
            for param in params.split(';').filter(|p| !p.is_empty()) {
                let (name, value) = match param.split_once('=') {
                    Some((n, v)) => (n, Some(v)),
                    None => (param, None),
                };
                if name == "pt" {
                    let list = value.ok_or(invalid(WHAT, "`pt` without a value"))?;
                    if !rid.payload_types.is_empty() {
                        return Err(SdpErrorKind::Duplicate("pt= in a=rid"));
                    }
                    for pt in list.split(',') {
                        let pt: u8 = digits(pt).ok_or(invalid(WHAT, "bad payload type"))?;
                        if pt > 127 {
                            return Err(invalid(WHAT, "payload type above 127"));
                        }
                        rid.payload_types.push(pt);
                    }
                } else {
                    rid.restrictions.push(RidRestriction {
                        name: name.into(),
                        value: value.map(str::to_string),
                    });
                }
            }
        }
        if w.next().is_some() {
            return Err(invalid(WHAT, "unexpected text after the restrictions"));
        }
        Ok(rid)
    }
}

fn is_rid_id(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

impl fmt::Display for Rid {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.id, self.direction.as_str())?;
        let mut sep = ' ';
        if !self.payload_types.is_empty() {
            f.write_str(" pt=")?;
            for (i, pt) in self.payload_types.iter().enumerate() {
                if i > 0 {
                    f.write_str(",")?;
                }
                write!(f, "{pt}")?;
            }
            sep = ';';
        }
        for r in &self.restrictions {
            write!(f, "{sep}{}", r.name)?;
            if let Some(v) = &r.value {
                write!(f, "={v}")?;
            }
            sep = ';';
        }
        Ok(())
    }
}

/// One rid in an `a=simulcast` list; `~` marks it paused (RFC 8853 §5.1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SimulcastRid {
    /// The rid-id.
    pub id: String,
    /// Written with a leading `~`.
    pub paused: bool,
}

/// `a=simulcast:send <streams> recv <streams>` (RFC 8853 §5.1). Each
/// direction is a `;`-separated list of simulcast streams, each a
/// `,`-separated list of alternative rids.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Simulcast {
    /// The streams this side sends, each with its alternatives.
    pub send: Vec<Vec<SimulcastRid>>,
    /// The streams this side receives.
    pub recv: Vec<Vec<SimulcastRid>>,
}

impl Simulcast {
    /// Send simulcast with one rid per stream (what browsers offer).
    pub fn send<I: IntoIterator<Item = S>, S: Into<String>>(rids: I) -> Simulcast {
        Simulcast {
            send: rids
                .into_iter()
                .map(|id| {
                    vec![SimulcastRid {
                        id: id.into(),
                        paused: false,
                    }]
                })
                .collect(),
            recv: Vec::new(),
        }
    }

    /// The same streams seen from the other side (send ↔ recv), as an
    /// answer to this offer lists them.
    pub fn reverse(&self) -> Simulcast {
        Simulcast {
            send: self.recv.clone(),
            recv: self.send.clone(),
        }
    }

    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<Simulcast, SdpErrorKind> {
        const WHAT: &str = "a=simulcast";
        let mut sim = Simulcast::default();
        let mut w = words(value);
        let mut seen_any = false;
        while let Some(dir) = w.next() {
            let list = w
                .next()
                .ok_or(invalid(WHAT, "a direction without a stream list"))?;
            let target = match dir {
                "send" if sim.send.is_empty() => &mut sim.send,
                "recv" if sim.recv.is_empty() => &mut sim.recv,
                "send" | "recv" => return Err(SdpErrorKind::Duplicate("direction in a=simulcast")),
                _ => return Err(invalid(WHAT, "direction must be `send` or `recv`")),
            };
            for stream in list.split(';') {
                let mut alternatives = Vec::new();
                for rid in stream.split(',') {
                    let (id, paused) = match rid.strip_prefix('~') {
                        Some(id) => (id, true),
                        None => (rid, false),
                    };
                    if !is_rid_id(id) {
                        return Err(invalid(WHAT, "bad rid-id"));
                    }
                    alternatives.push(SimulcastRid {
                        id: id.into(),
                        paused,
                    });
                }
                target.push(alternatives);
            }
            seen_any = true;
        }
        if !seen_any {
            return Err(invalid(WHAT, "empty"));
        }
        Ok(sim)
    }
}

fn write_simulcast_list(f: &mut fmt::Formatter<'_>, list: &[Vec<SimulcastRid>]) -> fmt::Result {
    for (i, stream) in list.iter().enumerate() {
        if i > 0 {
            f.write_str(";")?;
        }
        for (j, rid) in stream.iter().enumerate() {
            if j > 0 {
                f.write_str(",")?;
            }
            if rid.paused {
                f.write_str("~")?;
            }
            f.write_str(&rid.id)?;
        }
    }
    Ok(())
}

impl fmt::Display for Simulcast {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.send.is_empty() {
            f.write_str("send ")?;
            write_simulcast_list(f, &self.send)?;
        }
        if !self.recv.is_empty() {
            if !self.send.is_empty() {
                f.write_str(" ")?;
            }
            f.write_str("recv ")?;
            write_simulcast_list(f, &self.recv)?;
        }
        Ok(())
    }
}

/// The legacy `a=sctpmap:<port> webrtc-datachannel [<streams>]`
/// (draft-ietf-mmusic-sctp-sdp-05, with `DTLS/SCTP` m-lines).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct SctpMap {
    /// The SCTP port (the m-line format).
    pub port: u16,
    /// The application protocol: `webrtc-datachannel`.
    pub protocol: String,
    /// The number of streams, if written.
    pub streams: Option<u32>,
}

impl SctpMap {
    /// Parses the attribute value (after `a=<name>:`).
    ///
    /// # Errors
    /// When the value is malformed; the error names the reason.
    pub fn parse(value: &str) -> Result<SctpMap, SdpErrorKind> {
        const WHAT: &str = "a=sctpmap";
        let mut w = words(value);
        let port = w
            .next()
            .and_then(digits)
            .ok_or(invalid(WHAT, "port is not a 16-bit number"))?;
        let protocol = w.next().ok_or(invalid(WHAT, "missing protocol"))?.into();
        let streams = match w.next() {
            Some(s) => Some(digits(s).ok_or(invalid(WHAT, "streams is not a number"))?),
            None => None,
        };
        if w.next().is_some() {
            return Err(invalid(WHAT, "too many words"));
        }
        Ok(SctpMap {
            port,
            protocol,
            streams,
        })
    }
}

impl fmt::Display for SctpMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.port, self.protocol)?;
        if let Some(s) = self.streams {
            write!(f, " {s}")?;
        }
        Ok(())
    }
}

/// An attribute this model does not type, kept as written: `a=<name>` or
/// `a=<name>:<value>`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Attribute {
    /// The name.
    pub name: String,
    /// The value after `:` (`Some("")` for `a=name:`), `None` for a
    /// property attribute.
    pub value: Option<String>,
}

impl Attribute {
    /// An attribute with a value.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> Attribute {
        Attribute {
            name: name.into(),
            value: Some(value.into()),
        }
    }
}

impl fmt::Display for Attribute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)?;
        if let Some(v) = &self.value {
            write!(f, ":{v}")?;
        }
        Ok(())
    }
}
