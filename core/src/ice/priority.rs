//! Candidate priority (RFC 8445 §5.1.2, RFC 6544 §4.2 for TCP) and
//! foundation (RFC 8445 §5.1.1.3), and pair priority (§6.1.2.3).

use std::net::IpAddr;

use super::candidate::{CandidateType, TcpType, TransportProtocol};

/// The local preference of a host that has a single address (RFC 8445
/// §5.1.2.1).
pub const DEFAULT_LOCAL_PREFERENCE: u16 = 65535;

/// Candidate priority (RFC 8445 §5.1.2.1):
/// `2^24 × type preference + 2^8 × local preference + (256 − component)`.
///
/// `component` is clamped to 1..=256.
pub fn candidate_priority(kind: CandidateType, local_preference: u16, component: u16) -> u32 {
    let component = u32::from(component.clamp(1, 256));
    (kind.preference() << 24) + (u32::from(local_preference) << 8) + (256 - component)
}

/// The local preference of a TCP candidate (RFC 6544 §4.2):
/// `2^13 × direction preference + other preference` (other preference
/// 0..=8191, e.g. to rank interfaces).
pub fn tcp_local_preference(tcp_type: TcpType, other_preference: u16) -> u16 {
    let direction = tcp_type.direction_preference() as u16;
    (direction << 13) | (other_preference & 0x1FFF)
}

/// A local preference that ranks the addresses of a multihomed host: IPv6
/// before IPv4 as RFC 8421 recommends, then the interface order the
/// application gave (`index` 0 is the best), leaving room for 128
/// interfaces per family.
pub fn address_local_preference(ip: IpAddr, index: usize) -> u16 {
    let index = index.min(127) as u16;
    let family = match ip {
        IpAddr::V6(_) => 0xFF00,
        IpAddr::V4(_) => 0x7F00,
    };
    family - index * 2
}

/// A foundation for a candidate: the same string for the same type, base
/// IP address, STUN/TURN server and transport, different otherwise (RFC
/// 8445 §5.1.1.3). A 32-bit FNV-1a hash of those, in decimal (1 to 10
/// digits, valid ice-chars).
pub fn foundation(
    kind: CandidateType,
    base: IpAddr,
    server: Option<IpAddr>,
    transport: TransportProtocol,
) -> String {
    const OFFSET: u32 = 0x811C_9DC5;
    const PRIME: u32 = 0x0100_0193;
    let mut hash = OFFSET;
    let mut eat = |bytes: &[u8]| {
        for b in bytes {
            hash ^= u32::from(*b);
            hash = hash.wrapping_mul(PRIME);
        }
    };
    eat(kind.as_str().as_bytes());
    eat(transport.as_str().as_bytes());
    let ip_bytes = |ip: IpAddr| match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    };
    eat(&ip_bytes(base));
    match server {
        Some(s) => {
            eat(&[1]);
            eat(&ip_bytes(s));
        }
        None => eat(&[0]),
    }
    hash.to_string()
}

/// Pair priority (RFC 8445 §6.1.2.3), with G the controlling side's
/// candidate priority and D the controlled side's:
/// `2^32 × min(G, D) + 2 × max(G, D) + (G > D ? 1 : 0)`.
pub fn pair_priority(controlling: u32, controlled: u32) -> u64 {
    let (g, d) = (u64::from(controlling), u64::from(controlled));
    (g.min(d) << 32) + 2 * g.max(d) + u64::from(g > d)
}
