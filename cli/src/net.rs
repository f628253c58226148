//! From a captured frame to a UDP datagram: link layer (Ethernet, Linux
//! cooked v1/v2, raw IP, BSD null/loop), IPv4 (RFC 791) or IPv6 (RFC 8200,
//! skipping extension headers) and UDP (RFC 768). Bounds-checked, no panics.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use crate::capture::linktype;

/// A UDP datagram found in a frame.
#[derive(Debug, Clone, Copy)]
pub struct Datagram<'a> {
    /// Source address and port.
    pub src: SocketAddr,
    /// Destination address and port.
    pub dst: SocketAddr,
    /// UDP payload.
    pub payload: &'a [u8],
}

/// Why a frame holds no decodable UDP datagram.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotUdp {
    /// The frame is well formed but carries something else (ARP, TCP, ICMP...).
    Other(String),
    /// The frame is damaged or truncated.
    Malformed(String),
}

impl fmt::Display for NotUdp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NotUdp::Other(s) | NotUdp::Malformed(s) => f.write_str(s),
        }
    }
}

const ETHERTYPE_IPV4: u16 = 0x0800;
const ETHERTYPE_IPV6: u16 = 0x86dd;
const ETHERTYPE_VLAN: u16 = 0x8100;
const ETHERTYPE_QINQ: u16 = 0x88a8;
const IP_PROTO_UDP: u8 = 17;

fn malformed(s: impl Into<String>) -> NotUdp {
    NotUdp::Malformed(s.into())
}

fn be16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

/// Decodes the UDP datagram of a frame captured with `linktype`.
pub fn udp_datagram(linktype: i32, frame: &[u8]) -> Result<Datagram<'_>, NotUdp> {
    let (ethertype, ip) = match linktype {
        linktype::ETHERNET => ethernet(frame)?,
        linktype::LINUX_SLL => {
            let proto =
                be16(frame, 14).ok_or_else(|| malformed("truncated Linux cooked header"))?;
            (proto, frame.get(16..).unwrap_or_default())
        }
        linktype::LINUX_SLL2 => {
            let proto =
                be16(frame, 0).ok_or_else(|| malformed("truncated Linux cooked v2 header"))?;
            let ip = frame
                .get(20..)
                .ok_or_else(|| malformed("truncated Linux cooked v2 header"))?;
            (proto, ip)
        }
        linktype::RAW | linktype::IPV4 | linktype::IPV6 => match frame.first().map(|b| b >> 4) {
            Some(4) => (ETHERTYPE_IPV4, frame),
            Some(6) => (ETHERTYPE_IPV6, frame),
            Some(v) => return Err(malformed(format!("raw IP of unknown version ({v})"))),
            None => return Err(malformed("empty frame")),
        },
        linktype::NULL | linktype::LOOP => {
            let family = frame
                .get(..4)
                .ok_or_else(|| malformed("truncated loopback header"))?;
            let family: [u8; 4] = family
                .try_into()
                .map_err(|_| malformed("loopback header"))?;
            // NULL is in the capturing host's byte order, LOOP in network order:
            // accept either.
            let value = if linktype == linktype::LOOP {
                u32::from_be_bytes(family)
            } else if u32::from_le_bytes(family) < 0x100 {
                u32::from_le_bytes(family)
            } else {
                u32::from_be_bytes(family)
            };
            let ethertype = match value {
                2 => ETHERTYPE_IPV4,
                // AF_INET6 on the BSDs, macOS and Linux.
                10 | 24 | 28 | 30 => ETHERTYPE_IPV6,
                other => return Err(NotUdp::Other(format!("loopback address family {other}"))),
            };
            (ethertype, frame.get(4..).unwrap_or_default())
        }
        other => return Err(NotUdp::Other(format!("unsupported link type {other}"))),
    };
    match ethertype {
        ETHERTYPE_IPV4 => ipv4(ip),
        ETHERTYPE_IPV6 => ipv6(ip),
        other => Err(NotUdp::Other(format!("ethertype {other:#06x}"))),
    }
}

fn ethernet(frame: &[u8]) -> Result<(u16, &[u8]), NotUdp> {
    let mut at = 12;
    loop {
        let ethertype = be16(frame, at).ok_or_else(|| malformed("truncated Ethernet header"))?;
        if ethertype == ETHERTYPE_VLAN || ethertype == ETHERTYPE_QINQ {
            at += 4;
            continue;
        }
        let rest = frame.get(at + 2..).unwrap_or_default();
        return Ok((ethertype, rest));
    }
}

fn ipv4(packet: &[u8]) -> Result<Datagram<'_>, NotUdp> {
    let header = packet
        .get(..20)
        .ok_or_else(|| malformed("truncated IPv4 header"))?;
    let (first, _) = header
        .split_first()
        .ok_or_else(|| malformed("truncated IPv4 header"))?;
    if first >> 4 != 4 {
        return Err(malformed(format!(
            "wrong IP version in an IPv4 frame ({})",
            first >> 4
        )));
    }
    let header_len = usize::from(first & 0x0f) * 4;
    let total_len = usize::from(be16(packet, 2).unwrap_or_default());
    if header_len < 20 || total_len < header_len {
        return Err(malformed(format!(
            "bad IPv4 lengths (header {header_len}, total {total_len})"
        )));
    }
    let packet = packet.get(..total_len).ok_or_else(|| {
        malformed(format!(
            "truncated IPv4 packet ({} of {total_len} bytes)",
            packet.len()
        ))
    })?;
    let flags_fragment = be16(packet, 6).unwrap_or_default();
    if flags_fragment & 0x3fff != 0 {
        return Err(NotUdp::Other("IPv4 fragment".into()));
    }
    let proto = packet.get(9).copied().unwrap_or_default();
    let octets = |at: usize| -> Option<[u8; 4]> { packet.get(at..at + 4)?.try_into().ok() };
    let src = Ipv4Addr::from(octets(12).ok_or_else(|| malformed("IPv4 header"))?);
    let dst = Ipv4Addr::from(octets(16).ok_or_else(|| malformed("IPv4 header"))?);
    if proto != IP_PROTO_UDP {
        return Err(NotUdp::Other(format!("IP protocol {proto}")));
    }
    let payload = packet
        .get(header_len..)
        .ok_or_else(|| malformed("IPv4 header longer than the packet"))?;
    udp(IpAddr::V4(src), IpAddr::V4(dst), payload)
}

fn ipv6(packet: &[u8]) -> Result<Datagram<'_>, NotUdp> {
    let header = packet
        .get(..40)
        .ok_or_else(|| malformed("truncated IPv6 header"))?;
    if header.first().map(|b| b >> 4) != Some(6) {
        return Err(malformed("IP version in an IPv6 frame is not 6"));
    }
    let payload_len = usize::from(be16(header, 4).unwrap_or_default());
    let addr = |at: usize| -> Option<Ipv6Addr> {
        let bytes: [u8; 16] = header.get(at..at + 16)?.try_into().ok()?;
        Some(Ipv6Addr::from(bytes))
    };
    let src = addr(8).ok_or_else(|| malformed("IPv6 header"))?;
    let dst = addr(24).ok_or_else(|| malformed("IPv6 header"))?;
    let mut next = header.get(6).copied().unwrap_or_default();
    let mut rest = packet.get(40..40 + payload_len).ok_or_else(|| {
        malformed(format!(
            "truncated IPv6 packet (payload length {payload_len})"
        ))
    })?;
    loop {
        match next {
            IP_PROTO_UDP => return udp(IpAddr::V6(src), IpAddr::V6(dst), rest),
            // Hop-by-hop, routing, destination options.
            0 | 43 | 60 => {
                let len = rest
                    .get(1)
                    .map(|&l| (usize::from(l) + 1) * 8)
                    .ok_or_else(|| malformed("truncated IPv6 extension header"))?;
                next = rest.first().copied().unwrap_or_default();
                rest = rest
                    .get(len..)
                    .ok_or_else(|| malformed("truncated IPv6 extension header"))?;
            }
            44 => return Err(NotUdp::Other("IPv6 fragment".into())),
            other => return Err(NotUdp::Other(format!("IP protocol {other}"))),
        }
    }
}

fn udp(src: IpAddr, dst: IpAddr, segment: &[u8]) -> Result<Datagram<'_>, NotUdp> {
    let src_port = be16(segment, 0).ok_or_else(|| malformed("truncated UDP header"))?;
    let dst_port = be16(segment, 2).ok_or_else(|| malformed("truncated UDP header"))?;
    let len = usize::from(be16(segment, 4).ok_or_else(|| malformed("truncated UDP header"))?);
    if len < 8 {
        return Err(malformed(format!("UDP length below 8 ({len})")));
    }
    let payload = segment.get(8..len).ok_or_else(|| {
        malformed(format!(
            "truncated UDP datagram ({} of {len} bytes)",
            segment.len()
        ))
    })?;
    Ok(Datagram {
        src: SocketAddr::new(src, src_port),
        dst: SocketAddr::new(dst, dst_port),
        payload,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn udp_ipv4(payload: &[u8]) -> Vec<u8> {
        let total = 20 + 8 + payload.len();
        let mut p = vec![
            0x45,
            0,
            (total >> 8) as u8,
            total as u8,
            0,
            0,
            0x40,
            0,
            64,
            17,
            0,
            0,
        ];
        p.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 2]);
        let ulen = 8 + payload.len();
        p.extend_from_slice(&[0x13, 0x88, 0x13, 0x89, (ulen >> 8) as u8, ulen as u8, 0, 0]);
        p.extend_from_slice(payload);
        p
    }

    #[test]
    fn ethernet_ipv4_udp() {
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x08, 0x00]);
        frame.extend_from_slice(&udp_ipv4(b"hello"));
        let d = udp_datagram(linktype::ETHERNET, &frame).unwrap();
        assert_eq!(d.src, "127.0.0.1:5000".parse().unwrap());
        assert_eq!(d.dst, "127.0.0.2:5001".parse().unwrap());
        assert_eq!(d.payload, b"hello");
    }

    #[test]
    fn vlan_tagged_ethernet() {
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x81, 0x00, 0x00, 0x05, 0x08, 0x00]);
        frame.extend_from_slice(&udp_ipv4(b"x"));
        assert_eq!(
            udp_datagram(linktype::ETHERNET, &frame).unwrap().payload,
            b"x"
        );
    }

    #[test]
    fn linux_cooked_v1_and_v2() {
        let mut v1 = vec![0u8; 14];
        v1.extend_from_slice(&[0x08, 0x00]);
        v1.extend_from_slice(&udp_ipv4(b"v1"));
        assert_eq!(
            udp_datagram(linktype::LINUX_SLL, &v1).unwrap().payload,
            b"v1"
        );
        let mut v2 = vec![0x08, 0x00];
        v2.extend_from_slice(&[0u8; 18]);
        v2.extend_from_slice(&udp_ipv4(b"v2"));
        assert_eq!(
            udp_datagram(linktype::LINUX_SLL2, &v2).unwrap().payload,
            b"v2"
        );
    }

    #[test]
    fn raw_and_null() {
        let ip = udp_ipv4(b"raw");
        assert_eq!(udp_datagram(linktype::RAW, &ip).unwrap().payload, b"raw");
        let mut null = 2u32.to_le_bytes().to_vec();
        null.extend_from_slice(&ip);
        assert_eq!(udp_datagram(linktype::NULL, &null).unwrap().payload, b"raw");
        let mut lo = 2u32.to_be_bytes().to_vec();
        lo.extend_from_slice(&ip);
        assert_eq!(udp_datagram(linktype::LOOP, &lo).unwrap().payload, b"raw");
    }

    #[test]
    fn ipv6_with_destination_options() {
        let payload = b"six";
        let mut p = vec![0x60, 0, 0, 0];
        let plen = 8 + 8 + payload.len();
        p.extend_from_slice(&[(plen >> 8) as u8, plen as u8, 60, 64]);
        p.extend_from_slice(&Ipv6Addr::LOCALHOST.octets());
        p.extend_from_slice(&Ipv6Addr::LOCALHOST.octets());
        p.extend_from_slice(&[17, 0, 1, 4, 0, 0, 0, 0]); // dest options, PadN
        let ulen = 8 + payload.len();
        p.extend_from_slice(&[0, 1, 0, 2, 0, ulen as u8, 0, 0]);
        p.extend_from_slice(payload);
        let d = udp_datagram(linktype::RAW, &p).unwrap();
        assert_eq!(d.payload, payload);
        assert_eq!(d.src, "[::1]:1".parse().unwrap());
    }

    #[test]
    fn every_truncation_is_an_error_not_a_panic() {
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x08, 0x00]);
        frame.extend_from_slice(&udp_ipv4(b"payload"));
        for cut in 0..frame.len() {
            let err = udp_datagram(linktype::ETHERNET, &frame[..cut]).unwrap_err();
            assert!(matches!(err, NotUdp::Malformed(_)), "cut {cut}: {err}");
        }
    }

    #[test]
    fn not_udp_is_other() {
        let mut ip = udp_ipv4(b"tcp?");
        ip[9] = 6;
        assert_eq!(
            udp_datagram(linktype::RAW, &ip).unwrap_err(),
            NotUdp::Other("IP protocol 6".into())
        );
        let mut fragment = udp_ipv4(b"frag");
        fragment[6] = 0x20; // more fragments
        assert!(matches!(
            udp_datagram(linktype::RAW, &fragment),
            Err(NotUdp::Other(_))
        ));
    }

    #[test]
    fn udp_length_that_lies() {
        let mut ip = udp_ipv4(b"abc");
        ip[24] = 0;
        ip[25] = 200;
        assert!(matches!(
            udp_datagram(linktype::RAW, &ip),
            Err(NotUdp::Malformed(_))
        ));
        ip[25] = 4;
        assert!(matches!(
            udp_datagram(linktype::RAW, &ip),
            Err(NotUdp::Malformed(_))
        ));
    }
}
