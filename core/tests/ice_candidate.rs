//! Candidate lines: real Chromium 156 lines (fixture) and the forms other
//! browsers write, parsed field by field and formatted back; priorities
//! and foundations; bad input.

use std::net::{IpAddr, Ipv4Addr};

use proptest::prelude::*;
use zerortc::ice::{
    Candidate, CandidateAddress, CandidateError, CandidateType, DEFAULT_LOCAL_PREFERENCE, TcpType,
    TransportProtocol, address_local_preference, candidate_priority, foundation, pair_priority,
    tcp_local_preference,
};

const CHROMIUM_LINES: &str = include_str!("fixtures/chromium156-candidates.txt");

#[test]
fn every_chromium_line_parses_and_formats_back() {
    let lines: Vec<&str> = CHROMIUM_LINES
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .collect();
    assert_eq!(lines.len(), 16);
    let (mut udp, mut tcp) = (0, 0);
    for line in &lines {
        let c = Candidate::parse(line).unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(format!("a={c}"), *line);
        assert_eq!(c.component, 1);
        assert_eq!(c.kind, CandidateType::Host);
        assert_eq!(c.generation, Some(0));
        assert_eq!(c.ufrag.as_deref(), Some("R7FB"));
        assert!(c.network_id.is_some());
        assert!(c.extensions.is_empty());
        assert!(c.related.is_none());
        // 256 - component in the low byte (RFC 8445 §5.1.2.1).
        assert_eq!(c.priority & 0xFF, 255);
        let ip = c.address.ip().unwrap();
        // Chromium sets network-cost 50 on loopback only here.
        assert_eq!(c.network_cost.is_some(), ip.is_loopback(), "{line}");
        match c.transport {
            TransportProtocol::Udp => {
                udp += 1;
                assert_eq!(c.priority >> 24, 126, "host type preference");
                assert!(c.tcp_type.is_none());
                assert!(c.is_udp_ip());
                assert_eq!(c.socket_addr().unwrap().ip(), ip);
            }
            TransportProtocol::Tcp => {
                tcp += 1;
                assert_eq!(c.tcp_type, Some(TcpType::Active));
                assert_eq!(c.port, 9);
                assert!(!c.is_udp_ip());
            }
        }
    }
    assert_eq!((udp, tcp), (8, 8));

    let first = Candidate::parse(lines[0]).unwrap();
    assert_eq!(first.foundation, "2472405615");
    assert_eq!(first.priority, 2122194687);
    assert_eq!(
        first.address,
        CandidateAddress::Ip(IpAddr::V4(Ipv4Addr::LOCALHOST))
    );
    assert_eq!(first.port, 53698);
    assert_eq!(first.network_id, Some(3));
    assert_eq!(first.network_cost, Some(50));
    // Chromium's local preference for that address, recomputed.
    let local_pref = ((first.priority >> 8) & 0xFFFF) as u16;
    assert_eq!(
        candidate_priority(CandidateType::Host, local_pref, 1),
        first.priority
    );
    // The same foundation for the same type, base and transport.
    let same: Vec<_> = lines
        .iter()
        .map(|l| Candidate::parse(l).unwrap())
        .filter(|c| c.address == first.address && c.transport == first.transport)
        .collect();
    assert_eq!(same.len(), 2);
    assert!(same.iter().all(|c| c.foundation == first.foundation));
}

#[test]
fn forms_other_peers_write() {
    // Firefox: upper-case transport, no Chromium extensions.
    let c = Candidate::parse("candidate:0 1 UDP 2122252543 192.168.1.5 54321 typ host").unwrap();
    assert_eq!(c.transport, TransportProtocol::Udp);
    assert_eq!(
        c.to_string(),
        "candidate:0 1 udp 2122252543 192.168.1.5 54321 typ host"
    );
    let c = Candidate::parse("candidate:1 1 TCP 2105524479 127.0.0.1 9 typ host tcptype active")
        .unwrap();
    assert_eq!(
        (c.transport, c.tcp_type),
        (TransportProtocol::Tcp, Some(TcpType::Active))
    );

    // Server reflexive with its base.
    let line = "candidate:842163049 1 udp 1677729535 203.0.113.7 61234 typ srflx raddr 192.168.1.5 rport 54321 generation 0 ufrag EsAw network-cost 999";
    let c = Candidate::parse(line).unwrap();
    assert_eq!(c.kind, CandidateType::ServerReflexive);
    assert_eq!(
        c.related,
        Some((CandidateAddress::Ip("192.168.1.5".parse().unwrap()), 54321))
    );
    assert_eq!(c.network_cost, Some(999));
    assert_eq!(c.to_string(), line);

    // Relayed, IPv6, with a related address.
    let line =
        "candidate:3 1 udp 41885439 2001:db8::5 3478 typ relay raddr 2001:db8::1 rport 50000";
    let c = Candidate::parse(&format!("a={line}\r\n")).unwrap();
    assert_eq!(c.kind, CandidateType::Relayed);
    assert_eq!(c.socket_addr(), Some("[2001:db8::5]:3478".parse().unwrap()));
    assert_eq!(c.to_string(), line);

    // Peer reflexive, component 2.
    let c = Candidate::parse("1 2 udp 1845501694 10.0.0.9 4000 typ prflx raddr 0.0.0.0 rport 0")
        .unwrap();
    assert_eq!((c.kind, c.component), (CandidateType::PeerReflexive, 2));

    // mDNS hostname kept unresolved; srflx behind mDNS has raddr 0.0.0.0.
    let line = "candidate:1467250027 1 udp 2122260223 a6b1c7d2-3e4f-4a5b-8c6d-7e8f9a0b1c2d.local 56143 typ host generation 0 ufrag 5ZP8 network-id 1";
    let c = Candidate::parse(line).unwrap();
    assert!(c.address.is_mdns());
    assert_eq!(c.address.ip(), None);
    assert_eq!(c.socket_addr(), None);
    assert!(!c.is_udp_ip(), "a UDP-only agent must resolve it first");
    assert_eq!(c.to_string(), line);

    // Passive and simultaneous-open TCP; unknown extensions kept in order.
    let line =
        "candidate:7 1 tcp 1518280447 10.0.0.1 50000 typ host tcptype passive x-foo bar x-baz 1";
    let c = Candidate::parse(line).unwrap();
    assert_eq!(c.tcp_type, Some(TcpType::Passive));
    assert_eq!(
        c.extensions,
        [
            ("x-foo".to_string(), "bar".to_string()),
            ("x-baz".to_string(), "1".to_string())
        ]
    );
    assert_eq!(c.to_string(), line);
    let c = Candidate::parse("candidate:7 1 tcp 1 10.0.0.1 50000 typ host tcptype so").unwrap();
    assert_eq!(c.tcp_type, Some(TcpType::SimultaneousOpen));
    // Foundation with the other ice-chars.
    assert_eq!(
        Candidate::parse("candidate:a+/Z 1 udp 1 ::1 1 typ host")
            .unwrap()
            .foundation,
        "a+/Z"
    );
}

#[test]
fn bad_lines() {
    use CandidateError::*;
    for (line, err) in [
        ("", Truncated),
        ("candidate:", Truncated),
        ("candidate:1 1 udp 2122260223 127.0.0.1", Truncated),
        ("candidate:1 1 udp 2122260223 127.0.0.1 5000 typ", Truncated),
        (
            "candidate:1 1 udp 2122260223 127.0.0.1 5000 host",
            MissingType,
        ),
        ("candidate:1 1 udp 2122260223 127.0.0.1 5000", Truncated),
        (
            "candidate:f_o 1 udp 1 127.0.0.1 5000 typ host",
            BadFoundation,
        ),
        (
            "candidate:123456789012345678901234567890123 1 udp 1 127.0.0.1 5000 typ host",
            BadFoundation,
        ),
        ("candidate:1 0 udp 1 127.0.0.1 5000 typ host", BadComponent),
        (
            "candidate:1 257 udp 1 127.0.0.1 5000 typ host",
            BadComponent,
        ),
        ("candidate:1 -1 udp 1 127.0.0.1 5000 typ host", BadComponent),
        (
            "candidate:1 1 sctp 1 127.0.0.1 5000 typ host",
            UnknownTransport,
        ),
        (
            "candidate:1 1 udp 4294967296 127.0.0.1 5000 typ host",
            BadPriority,
        ),
        ("candidate:1 1 udp +1 127.0.0.1 5000 typ host", BadPriority),
        ("candidate:1 1 udp 1 1.2.3.999 5000 typ host", BadAddress),
        ("candidate:1 1 udp 1 bad..name 5000 typ host", BadAddress),
        ("candidate:1 1 udp 1 127.0.0.1 65536 typ host", BadPort),
        ("candidate:1 1 udp 1 127.0.0.1 5000 typ local", UnknownType),
        (
            "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr",
            MissingExtensionValue,
        ),
        (
            "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr 10.0.0.1",
            IncompleteRelatedAddress,
        ),
        (
            "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr 10.0.0.1 generation 0",
            IncompleteRelatedAddress,
        ),
        (
            "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx rport 1",
            IncompleteRelatedAddress,
        ),
        (
            "candidate:1 1 udp 1 127.0.0.1 5000 typ srflx raddr 10.0.0.1 rport x",
            BadPort,
        ),
        (
            "candidate:1 1 tcp 1 127.0.0.1 9 typ host tcptype sideways",
            BadTcpType,
        ),
        (
            "candidate:1 1 udp 1 127.0.0.1 5000 typ host generation zero",
            BadExtension,
        ),
        (
            "candidate:1 1 udp 1 127.0.0.1 5000 typ host network-cost -5",
            BadExtension,
        ),
    ] {
        assert_eq!(Candidate::parse(line), Err(err), "{line:?}");
    }
}

#[test]
fn priorities() {
    // RFC 8445 §5.1.2.1 with the recommended type preferences and a single
    // address (local preference 65535).
    let lp = DEFAULT_LOCAL_PREFERENCE;
    assert_eq!(candidate_priority(CandidateType::Host, lp, 1), 0x7EFF_FFFF);
    assert_eq!(candidate_priority(CandidateType::Host, lp, 2), 0x7EFF_FFFE);
    assert_eq!(
        candidate_priority(CandidateType::PeerReflexive, lp, 1),
        0x6EFF_FFFF
    );
    assert_eq!(
        candidate_priority(CandidateType::ServerReflexive, lp, 1),
        0x64FF_FFFF
    );
    assert_eq!(
        candidate_priority(CandidateType::Relayed, lp, 1),
        0x00FF_FFFF
    );
    assert_eq!(candidate_priority(CandidateType::Host, 0, 256), 126 << 24);
    // RFC 6544 §4.2: active 6, passive 4, so 2 in the top three bits.
    assert_eq!(tcp_local_preference(TcpType::Active, 8191), 0xDFFF);
    assert_eq!(tcp_local_preference(TcpType::Passive, 0), 0x8000);
    assert_eq!(
        tcp_local_preference(TcpType::SimultaneousOpen, 0xFFFF),
        0x5FFF
    );
    // IPv6 first, then the application's order.
    let v6: IpAddr = "::1".parse().unwrap();
    let v4: IpAddr = "127.0.0.1".parse().unwrap();
    assert!(address_local_preference(v6, 5) > address_local_preference(v4, 0));
    assert!(address_local_preference(v4, 0) > address_local_preference(v4, 1));
    assert_eq!(
        address_local_preference(v4, 1000),
        address_local_preference(v4, 127)
    );
    // RFC 8445 §6.1.2.3.
    let (g, d) = (0x7EFF_FFFFu32, 0x64FF_FFFFu32);
    assert_eq!(
        pair_priority(g, d),
        (u64::from(d) << 32) + 2 * u64::from(g) + 1
    );
    assert_eq!(pair_priority(d, g), (u64::from(d) << 32) + 2 * u64::from(g));
    assert_eq!(pair_priority(g, g), (u64::from(g) << 32) + 2 * u64::from(g));
}

#[test]
fn foundations() {
    let base: IpAddr = "192.168.1.5".parse().unwrap();
    let other: IpAddr = "192.168.1.6".parse().unwrap();
    let server: IpAddr = "203.0.113.1".parse().unwrap();
    let f = |k, b, s, t| foundation(k, b, s, t);
    let host = f(CandidateType::Host, base, None, TransportProtocol::Udp);
    assert_eq!(
        host,
        f(CandidateType::Host, base, None, TransportProtocol::Udp)
    );
    let all = [
        host.clone(),
        f(CandidateType::Host, other, None, TransportProtocol::Udp),
        f(CandidateType::Host, base, None, TransportProtocol::Tcp),
        f(
            CandidateType::ServerReflexive,
            base,
            Some(server),
            TransportProtocol::Udp,
        ),
        f(
            CandidateType::ServerReflexive,
            base,
            Some(other),
            TransportProtocol::Udp,
        ),
        f(
            CandidateType::Relayed,
            base,
            Some(server),
            TransportProtocol::Udp,
        ),
    ];
    for (i, a) in all.iter().enumerate() {
        assert!(!a.is_empty() && a.len() <= 32 && a.bytes().all(|b| b.is_ascii_digit()));
        for b in &all[i + 1..] {
            assert_ne!(a, b);
        }
    }
    // Usable in a candidate line.
    let line = format!("candidate:{host} 1 udp 1 192.168.1.5 1 typ host");
    assert_eq!(Candidate::parse(&line).unwrap().foundation, host);
}

fn candidate() -> impl Strategy<Value = Candidate> {
    let addr = prop_oneof![
        any::<[u8; 4]>().prop_map(|a| CandidateAddress::Ip(IpAddr::from(a))),
        any::<[u8; 16]>().prop_map(|a| CandidateAddress::Ip(IpAddr::from(a))),
        "[a-f0-9]{8}-[a-f0-9]{4}".prop_map(|h| CandidateAddress::Hostname(format!("{h}.local"))),
    ];
    let kind = prop_oneof![
        Just(CandidateType::Host),
        Just(CandidateType::ServerReflexive),
        Just(CandidateType::PeerReflexive),
        Just(CandidateType::Relayed),
    ];
    (
        "[a-zA-Z0-9+/]{1,32}",
        1u16..=256,
        any::<bool>(),
        any::<u32>(),
        addr.clone(),
        any::<u16>(),
        kind,
        proptest::option::of((addr, any::<u16>())),
        proptest::option::of(prop_oneof![
            Just(TcpType::Active),
            Just(TcpType::Passive),
            Just(TcpType::SimultaneousOpen)
        ]),
        (
            proptest::option::of(any::<u32>()),
            proptest::option::of("[a-zA-Z0-9+/]{4,8}"),
            proptest::option::of(any::<u32>()),
            proptest::option::of(any::<u32>()),
            proptest::collection::vec(("x-[a-z]{1,6}", "[!-~]{1,8}"), 0..3),
        ),
    )
        .prop_map(
            |(
                foundation,
                component,
                tcp,
                priority,
                address,
                port,
                kind,
                related,
                tcp_type,
                rest,
            )| {
                let (generation, ufrag, network_id, network_cost, extensions) = rest;
                Candidate {
                    foundation,
                    component,
                    transport: if tcp {
                        TransportProtocol::Tcp
                    } else {
                        TransportProtocol::Udp
                    },
                    priority,
                    address,
                    port,
                    kind,
                    related,
                    tcp_type,
                    generation,
                    ufrag,
                    network_id,
                    network_cost,
                    extensions,
                }
            },
        )
}

proptest! {
    #[test]
    fn format_then_parse_is_identity(c in candidate()) {
        let line = c.to_string();
        prop_assert_eq!(Candidate::parse(&line).unwrap(), c.clone());
        prop_assert_eq!(Candidate::parse(&format!("a={line}\r\n")).unwrap(), c);
    }

    #[test]
    fn any_text_never_panics(s in "\\PC{0,120}") {
        let _ = Candidate::parse(&s);
    }

    #[test]
    fn mutated_chromium_lines_never_panic(i in 0usize..16, at in any::<prop::sample::Index>(), b in any::<u8>()) {
        let line = CHROMIUM_LINES.split("\r\n").nth(i).unwrap();
        let mut bytes = line.as_bytes().to_vec();
        let k = at.index(bytes.len());
        bytes[k] = b;
        if let Ok(s) = std::str::from_utf8(&bytes)
            && let Ok(c) = Candidate::parse(s)
        {
            prop_assert_eq!(Candidate::parse(&c.to_string()).unwrap(), c);
        }
    }
}
