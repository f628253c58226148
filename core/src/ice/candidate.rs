//! ICE candidates and their SDP form, the `candidate` attribute (RFC 8839
//! §5.1, RFC 8445 §5.1), with the extensions browsers add (`tcptype` RFC
//! 6544, `generation`, `ufrag`, `network-id`, `network-cost`).

use std::fmt;
use std::net::{IpAddr, SocketAddr};

use super::error::CandidateError;

/// Longest foundation (RFC 8839 §5.1: 1 to 32 ice-chars).
pub const MAX_FOUNDATION_LEN: usize = 32;

/// The candidate type (RFC 8445 §5.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CandidateType {
    /// `host`: an address of a local interface.
    Host,
    /// `srflx`: the address a STUN server saw (server reflexive).
    ServerReflexive,
    /// `prflx`: an address learned from a connectivity check (peer reflexive).
    PeerReflexive,
    /// `relay`: an address allocated on a TURN server.
    Relayed,
}

impl CandidateType {
    /// The SDP token: `host`, `srflx`, `prflx`, `relay`.
    pub const fn as_str(self) -> &'static str {
        match self {
            CandidateType::Host => "host",
            CandidateType::ServerReflexive => "srflx",
            CandidateType::PeerReflexive => "prflx",
            CandidateType::Relayed => "relay",
        }
    }

    /// The recommended type preference (RFC 8445 §5.1.2.2): host 126,
    /// peer reflexive 110, server reflexive 100, relayed 0.
    pub const fn preference(self) -> u32 {
        match self {
            CandidateType::Host => 126,
            CandidateType::PeerReflexive => 110,
            CandidateType::ServerReflexive => 100,
            CandidateType::Relayed => 0,
        }
    }

    fn parse(token: &str) -> Option<CandidateType> {
        Some(match token {
            "host" => CandidateType::Host,
            "srflx" => CandidateType::ServerReflexive,
            "prflx" => CandidateType::PeerReflexive,
            "relay" => CandidateType::Relayed,
            _ => return None,
        })
    }
}

/// The transport of a candidate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TransportProtocol {
    /// UDP.
    Udp,
    /// TCP (RFC 6544), with a [`TcpType`].
    Tcp,
}

impl TransportProtocol {
    /// `udp` or `tcp` (browsers write lower case; Firefox writes `UDP`/`TCP`,
    /// both are accepted).
    pub const fn as_str(self) -> &'static str {
        match self {
            TransportProtocol::Udp => "udp",
            TransportProtocol::Tcp => "tcp",
        }
    }
}

/// The `tcptype` of a TCP candidate (RFC 6544 §4.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TcpType {
    /// Opens connections, never accepts (browsers: port 9).
    Active,
    /// Accepts connections.
    Passive,
    /// Simultaneous open.
    SimultaneousOpen,
}

impl TcpType {
    /// `active`, `passive` or `so`.
    pub const fn as_str(self) -> &'static str {
        match self {
            TcpType::Active => "active",
            TcpType::Passive => "passive",
            TcpType::SimultaneousOpen => "so",
        }
    }

    /// The direction preference of RFC 6544 §4.2 for a host candidate
    /// (active 6, passive 4, so 2).
    pub const fn direction_preference(self) -> u32 {
        match self {
            TcpType::Active => 6,
            TcpType::Passive => 4,
            TcpType::SimultaneousOpen => 2,
        }
    }
}

/// The connection address of a candidate: an IP address, or a hostname
/// (an mDNS `.local` name as browsers hide local addresses behind, RFC
/// draft-ietf-mmusic-mdns-ice-candidates), kept unresolved.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum CandidateAddress {
    /// A literal IPv4 or IPv6 address.
    Ip(IpAddr),
    /// A hostname, e.g. `1f0e4c6b-0a2e-4b8c-9d1e-2f3a4b5c6d7e.local`.
    Hostname(String),
}

impl CandidateAddress {
    fn parse(token: &str) -> Result<CandidateAddress, CandidateError> {
        if let Ok(ip) = token.parse::<IpAddr>() {
            return Ok(CandidateAddress::Ip(ip));
        }
        let valid_label = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        };
        // A last label of digits only is a mistyped IPv4 address, not a name.
        let numeric_tld = token
            .rsplit('.')
            .next()
            .is_some_and(|l| l.bytes().all(|b| b.is_ascii_digit()));
        if token.len() <= 253 && !numeric_tld && token.split('.').all(valid_label) {
            Ok(CandidateAddress::Hostname(token.to_string()))
        } else {
            Err(CandidateError::BadAddress)
        }
    }

    /// The IP address, when this is not a hostname.
    pub fn ip(&self) -> Option<IpAddr> {
        match self {
            CandidateAddress::Ip(ip) => Some(*ip),
            CandidateAddress::Hostname(_) => None,
        }
    }

    /// Whether this is an mDNS name (ends in `.local`).
    pub fn is_mdns(&self) -> bool {
        match self {
            CandidateAddress::Hostname(h) => h.to_ascii_lowercase().ends_with(".local"),
            CandidateAddress::Ip(_) => false,
        }
    }
}

impl fmt::Display for CandidateAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CandidateAddress::Ip(ip) => write!(f, "{ip}"),
            CandidateAddress::Hostname(h) => f.write_str(h),
        }
    }
}

/// One ICE candidate as carried in SDP (`a=candidate:`) or trickled.
///
/// [`Candidate::parse`] accepts the line with or without `a=` and
/// `candidate:`; [`fmt::Display`] writes `candidate:...` (no `a=`) in the
/// order Chromium uses: the fixed fields, `raddr`/`rport`, `tcptype`,
/// `generation`, `ufrag`, `network-id`, `network-cost`, then unknown
/// extensions in the order they came. A line in that order (every browser
/// line seen) formats back byte for byte, except that the transport is
/// written lower case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    /// Same for candidates of the same type, base, server and transport
    /// (RFC 8445 §5.1.1.3); 1 to 32 chars of ALPHA / DIGIT / `+` / `/`.
    pub foundation: String,
    /// Component id: 1 for RTP (and everything with rtcp-mux), 2 for RTCP.
    pub component: u16,
    /// UDP or TCP.
    pub transport: TransportProtocol,
    /// Priority (RFC 8445 §5.1.2).
    pub priority: u32,
    /// The connection address.
    pub address: CandidateAddress,
    /// The port (9 on `tcptype active` candidates, by convention).
    pub port: u16,
    /// host, srflx, prflx or relay.
    pub kind: CandidateType,
    /// `raddr` and `rport`: the related address (the base of a reflexive
    /// candidate, the mapped address of a relayed one).
    pub related: Option<(CandidateAddress, u16)>,
    /// `tcptype` (TCP candidates).
    pub tcp_type: Option<TcpType>,
    /// `generation` (Chromium; 0 until an ICE restart).
    pub generation: Option<u32>,
    /// `ufrag`: the ICE username fragment the candidate belongs to.
    pub ufrag: Option<String>,
    /// `network-id` (Chromium).
    pub network_id: Option<u32>,
    /// `network-cost` (Chromium: 10 ethernet, 50 unknown/loopback, 900 cellular...).
    pub network_cost: Option<u32>,
    /// Extension attributes this type does not model, in order.
    pub extensions: Vec<(String, String)>,
}

fn is_ice_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'+' || b == b'/'
}

fn number<T: std::str::FromStr>(
    token: Option<&str>,
    err: CandidateError,
) -> Result<T, CandidateError> {
    let token = token.ok_or(CandidateError::Truncated)?;
    if token.is_empty() || !token.bytes().all(|b| b.is_ascii_digit()) {
        return Err(err);
    }
    token.parse().map_err(|_| err)
}

impl Candidate {
    /// Parses a candidate attribute: `a=candidate:...`, `candidate:...`
    /// or just the value after `candidate:` (what `RTCIceCandidate`
    /// carries minus the prefix). Surrounding whitespace and the line end
    /// are ignored.
    pub fn parse(line: &str) -> Result<Candidate, CandidateError> {
        let line = line.trim();
        let line = line.strip_prefix("a=").unwrap_or(line);
        let line = line.strip_prefix("candidate:").unwrap_or(line);
        let mut tokens = line.split(' ').filter(|t| !t.is_empty());

        let foundation = tokens.next().ok_or(CandidateError::Truncated)?;
        if foundation.is_empty()
            || foundation.len() > MAX_FOUNDATION_LEN
            || !foundation.bytes().all(is_ice_char)
        {
            return Err(CandidateError::BadFoundation);
        }
        let component: u16 = number(tokens.next(), CandidateError::BadComponent)?;
        if !(1..=256).contains(&component) {
            return Err(CandidateError::BadComponent);
        }
        let transport = match tokens.next().ok_or(CandidateError::Truncated)? {
            t if t.eq_ignore_ascii_case("udp") => TransportProtocol::Udp,
            t if t.eq_ignore_ascii_case("tcp") => TransportProtocol::Tcp,
            _ => return Err(CandidateError::UnknownTransport),
        };
        let priority: u32 = number(tokens.next(), CandidateError::BadPriority)?;
        let address = CandidateAddress::parse(tokens.next().ok_or(CandidateError::Truncated)?)?;
        let port: u16 = number(tokens.next(), CandidateError::BadPort)?;
        match tokens.next() {
            Some("typ") => {}
            Some(_) => return Err(CandidateError::MissingType),
            None => return Err(CandidateError::Truncated),
        }
        let kind = CandidateType::parse(tokens.next().ok_or(CandidateError::Truncated)?)
            .ok_or(CandidateError::UnknownType)?;

        let mut candidate = Candidate {
            foundation: foundation.to_string(),
            component,
            transport,
            priority,
            address,
            port,
            kind,
            related: None,
            tcp_type: None,
            generation: None,
            ufrag: None,
            network_id: None,
            network_cost: None,
            extensions: Vec::new(),
        };
        let mut raddr = None;
        let mut rport = None;
        while let Some(name) = tokens.next() {
            let value = tokens.next().ok_or(CandidateError::MissingExtensionValue)?;
            match name {
                "raddr" => raddr = Some(CandidateAddress::parse(value)?),
                "rport" => rport = Some(number::<u16>(Some(value), CandidateError::BadPort)?),
                "tcptype" => {
                    candidate.tcp_type = Some(match value {
                        "active" => TcpType::Active,
                        "passive" => TcpType::Passive,
                        "so" => TcpType::SimultaneousOpen,
                        _ => return Err(CandidateError::BadTcpType),
                    })
                }
                "generation" => {
                    candidate.generation = Some(number(Some(value), CandidateError::BadExtension)?)
                }
                "ufrag" => candidate.ufrag = Some(value.to_string()),
                "network-id" => {
                    candidate.network_id = Some(number(Some(value), CandidateError::BadExtension)?)
                }
                "network-cost" => {
                    candidate.network_cost =
                        Some(number(Some(value), CandidateError::BadExtension)?)
                }
                _ => candidate
                    .extensions
                    .push((name.to_string(), value.to_string())),
            }
        }
        candidate.related = match (raddr, rport) {
            (Some(a), Some(p)) => Some((a, p)),
            (None, None) => None,
            _ => return Err(CandidateError::IncompleteRelatedAddress),
        };
        Ok(candidate)
    }

    /// The transport address, when the connection address is an IP
    /// (`None` for an unresolved hostname).
    pub fn socket_addr(&self) -> Option<SocketAddr> {
        self.address.ip().map(|ip| SocketAddr::new(ip, self.port))
    }

    /// Whether a UDP-only agent can use it: UDP, and an IP address (an
    /// mDNS name needs resolving first).
    pub fn is_udp_ip(&self) -> bool {
        self.transport == TransportProtocol::Udp && self.address.ip().is_some()
    }
}

impl fmt::Display for Candidate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "candidate:{} {} {} {} {} {} typ {}",
            self.foundation,
            self.component,
            self.transport.as_str(),
            self.priority,
            self.address,
            self.port,
            self.kind.as_str()
        )?;
        if let Some((addr, port)) = &self.related {
            write!(f, " raddr {addr} rport {port}")?;
        }
        if let Some(t) = self.tcp_type {
            write!(f, " tcptype {}", t.as_str())?;
        }
        if let Some(g) = self.generation {
            write!(f, " generation {g}")?;
        }
        if let Some(u) = &self.ufrag {
            write!(f, " ufrag {u}")?;
        }
        if let Some(n) = self.network_id {
            write!(f, " network-id {n}")?;
        }
        if let Some(c) = self.network_cost {
            write!(f, " network-cost {c}")?;
        }
        for (name, value) in &self.extensions {
            write!(f, " {name} {value}")?;
        }
        Ok(())
    }
}
