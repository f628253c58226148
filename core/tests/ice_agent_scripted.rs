//! One ICE agent against a scripted peer: real Chromium checks replayed,
//! Firefox-style aggressive nomination, server-reflexive gathering from a
//! STUN server that answers and one that does not, 420 for unknown
//! attributes, and bad input that must be dropped and counted without
//! changing anything.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use zerortc::ice::{
    Candidate, CandidateType, IceAgent, IceConfig, IceConnectionState, IceCredentials, IceEvent,
    IceGatheringState, IceRole, IceStats, Transmit, candidate_priority,
};
use zerortc::stun::{
    Attribute, AttributeType, Class, ErrorCode, IntegrityKey, MessageType, MessageWriter,
    StunMessage, TransactionId,
};

const STUN_RECORDS: &[u8] = include_bytes!("fixtures/chromium156-stun.bin");

fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

fn creds(ufrag: &str, pwd: &str) -> IceCredentials {
    IceCredentials {
        ufrag: ufrag.into(),
        pwd: pwd.into(),
    }
}

fn records() -> Vec<&'static [u8]> {
    let mut out = Vec::new();
    let mut rest = STUN_RECORDS;
    while !rest.is_empty() {
        let len = usize::from(u16::from_be_bytes([rest[1], rest[2]]));
        out.push(&rest[3..3 + len]);
        rest = &rest[3 + len..];
    }
    out
}

/// Everything the agent wants to send right now.
fn transmits(agent: &mut IceAgent) -> Vec<(Transmit, Vec<u8>)> {
    let mut buf = [0u8; 1500];
    let mut out = Vec::new();
    while let Some(t) = agent.poll_transmit(&mut buf).unwrap() {
        out.push((t, buf[..t.len].to_vec()));
    }
    out
}

fn events(agent: &mut IceAgent) -> Vec<IceEvent> {
    std::iter::from_fn(|| agent.poll_event()).collect()
}

/// A check as a peer would send it.
#[allow(clippy::too_many_arguments)]
fn check(
    txid: u8,
    username: &str,
    key: &IntegrityKey,
    controlling: bool,
    use_candidate: bool,
    extra: Option<Attribute<'_>>,
) -> Vec<u8> {
    let mut buf = [0u8; 512];
    let mut w = MessageWriter::new(
        &mut buf,
        MessageType::BINDING_REQUEST,
        TransactionId([txid; 12]),
    )
    .unwrap();
    w.add(&Attribute::Username(username)).unwrap();
    w.add(&Attribute::Priority(1_845_501_695)).unwrap();
    w.add(&if controlling {
        Attribute::IceControlling(7)
    } else {
        Attribute::IceControlled(7)
    })
    .unwrap();
    if use_candidate {
        w.add(&Attribute::UseCandidate).unwrap();
    }
    if let Some(a) = extra {
        w.add(&a).unwrap();
    }
    w.add_message_integrity(key).unwrap();
    w.add_fingerprint().unwrap();
    let len = w.finish();
    buf[..len].to_vec()
}

/// The success response a peer with `key` sends to `request`.
fn answer(request: &[u8], mapped: SocketAddr, key: Option<&IntegrityKey>) -> Vec<u8> {
    let req = StunMessage::parse(request).unwrap();
    let mut buf = [0u8; 512];
    let len = zerortc::stun::write_binding_success(&mut buf, &req, mapped, key).unwrap();
    buf[..len].to_vec()
}

#[test]
fn answers_real_chromium_checks_and_connects() {
    // The call of fixtures/chromium156-plain-rtp.pcapng: the answerer
    // (ufrag yEcT) was 127.0.0.1:56867, the offerer (nBRx, controlling)
    // 127.0.0.1:58412. We play the answerer with its credentials and
    // replay the offerer's checks.
    let me = addr("127.0.0.1:56867");
    let chromium = addr("127.0.0.1:58412");
    let offer_creds = creds("nBRx", "EpWMO3cI2eqUyAVdMJxKR2Bd");
    let config = IceConfig {
        role: IceRole::Controlled,
        local_credentials: Some(creds("yEcT", "WfXfVkRby3F/VgibOeqg+qN2")),
        ..IceConfig::new(1)
    };
    let mut agent = IceAgent::new(config).unwrap();
    let my_key = IntegrityKey::short_term("WfXfVkRby3F/VgibOeqg+qN2").unwrap();
    let offer_key = IntegrityKey::short_term(&offer_creds.pwd).unwrap();
    agent.add_local_host(me);
    agent.set_remote_credentials(offer_creds).unwrap();
    let now = Instant::now();
    agent.gather(now);
    events(&mut agent);

    let offerer_checks: Vec<&[u8]> = records()
        .into_iter()
        .filter(|m| {
            let m = StunMessage::parse(m).unwrap();
            m.username().is_some_and(|u| u.starts_with("yEcT:"))
        })
        .collect();
    assert_eq!(offerer_checks.len(), 7);
    let mut t = now;
    for (i, request) in offerer_checks.iter().enumerate() {
        t += Duration::from_millis(10);
        assert!(agent.handle_packet(t, me, chromium, request));
        let sent = transmits(&mut agent);
        let response = sent
            .iter()
            .find(|(tx, _)| {
                tx.destination == chromium
                    && StunMessage::parse(&tx_bytes(tx, &sent))
                        .unwrap()
                        .message_type()
                        .class
                        == Class::SuccessResponse
            })
            .map(|(_, b)| b.clone())
            .unwrap_or_else(|| panic!("check {i} not answered"));
        let msg = StunMessage::parse(&response).unwrap();
        let req = StunMessage::parse(request).unwrap();
        assert_eq!(msg.transaction_id(), req.transaction_id());
        assert_eq!(msg.xor_mapped_address(), Some(chromium));
        // Chromium verifies our answer with our password.
        msg.verify_integrity(&my_key).unwrap();
        msg.verify_fingerprint().unwrap();
        // Our triggered check goes to Chromium with its credentials.
        for (tx, bytes) in &sent {
            let m = StunMessage::parse(bytes).unwrap();
            if m.message_type().class == Class::Request {
                assert_eq!(tx.destination, chromium);
                assert_eq!(m.username(), Some("nBRx:yEcT"));
                assert!(m.ice_controlled().is_some());
                m.verify_integrity(&offer_key).unwrap();
                // Chromium answers it: the pair becomes valid and, since
                // USE-CANDIDATE came with the check, it is selected.
                let reply = answer(bytes, me, Some(&offer_key));
                agent.handle_packet(t, me, chromium, &reply);
            }
        }
        agent.handle_timeout(t);
    }
    let stats = agent.stats();
    assert_eq!(stats.checks_answered, 7);
    assert_eq!(
        stats.dropped_bad_integrity + stats.dropped_bad_username + stats.dropped_malformed,
        0
    );
    assert_eq!(agent.selected_pair(), Some((me, chromium)));
    assert!(matches!(
        agent.connection_state(),
        IceConnectionState::Connected | IceConnectionState::Completed
    ));
    // The responses Chromium sent to its own checks match none of ours.
    let responses: Vec<&[u8]> = records()
        .into_iter()
        .filter(|m| StunMessage::parse(m).unwrap().message_type().class == Class::SuccessResponse)
        .collect();
    for r in &responses {
        agent.handle_packet(t, me, chromium, r);
    }
    assert_eq!(
        agent.stats().dropped_unknown_transaction,
        responses.len() as u64
    );
    assert_eq!(agent.selected_pair(), Some((me, chromium)));
}

fn tx_bytes(tx: &Transmit, sent: &[(Transmit, Vec<u8>)]) -> Vec<u8> {
    sent.iter()
        .find(|(t, _)| t == tx)
        .map(|(_, b)| b.clone())
        .unwrap()
}

/// A controlled agent with one host candidate and a scripted peer.
fn controlled_agent() -> (IceAgent, SocketAddr, IntegrityKey, IntegrityKey, Instant) {
    let config = IceConfig {
        role: IceRole::Controlled,
        local_credentials: Some(creds("mine", "my+password+is+22+chars")),
        ..IceConfig::new(2)
    };
    let mut agent = IceAgent::new(config).unwrap();
    let me = addr("127.0.0.1:40000");
    agent.add_local_host(me);
    agent
        .set_remote_credentials(creds("peer", "peer-password-22-chars!"))
        .unwrap_err();
    agent
        .set_remote_credentials(creds("peer", "peer+password+22+chars"))
        .unwrap();
    let now = Instant::now();
    agent.gather(now);
    events(&mut agent);
    let mine = IntegrityKey::short_term("my+password+is+22+chars").unwrap();
    let peer = IntegrityKey::short_term("peer+password+22+chars").unwrap();
    (agent, me, mine, peer, now)
}

#[test]
fn aggressive_nomination_as_firefox_does_it() {
    let config = IceConfig {
        role: IceRole::Controlled,
        local_credentials: Some(creds("mine", "my+password+is+22+char")),
        ..IceConfig::new(3)
    };
    let mut agent = IceAgent::new(config).unwrap();
    let me = addr("127.0.0.1:40000");
    let (low, high) = (addr("127.0.0.1:50000"), addr("[::1]:50000"));
    let me6 = addr("[::1]:40000");
    agent.add_local_host(me);
    agent.add_local_host(me6);
    agent
        .set_remote_credentials(creds("peer", "peer+password+22+chars"))
        .unwrap();
    let mine = IntegrityKey::short_term("my+password+is+22+char").unwrap();
    let peer = IntegrityKey::short_term("peer+password+22+chars").unwrap();
    let mut now = Instant::now();
    agent.gather(now);
    events(&mut agent);

    // First check from the peer already carries USE-CANDIDATE.
    for (local, from, txid) in [(me, low, 1u8), (me6, high, 2)] {
        now += Duration::from_millis(50);
        let req = check(txid, "mine:peer", &mine, true, true, None);
        assert!(agent.handle_packet(now, local, from, &req));
        agent.handle_timeout(now);
        for (tx, bytes) in transmits(&mut agent) {
            let m = StunMessage::parse(&bytes).unwrap();
            if m.message_type().class == Class::Request {
                assert_eq!((tx.source, tx.destination), (local, from));
                let reply = answer(&bytes, tx.source, Some(&peer));
                agent.handle_packet(now, tx.source, tx.destination, &reply);
            }
        }
        assert_eq!(
            agent.selected_pair(),
            Some((local, from)),
            "the best nominated pair wins"
        );
    }
    let selected: Vec<_> = events(&mut agent)
        .into_iter()
        .filter_map(|e| match e {
            IceEvent::SelectedPairChange { local, remote } => Some((local, remote)),
            _ => None,
        })
        .collect();
    assert_eq!(selected, [(me, low), (me6, high)]);
    // A nomination of the worse pair again does not switch back.
    now += Duration::from_millis(50);
    agent.handle_packet(
        now,
        me,
        low,
        &check(3, "mine:peer", &mine, true, true, None),
    );
    assert_eq!(agent.selected_pair(), Some((me6, high)));
}

#[test]
fn server_reflexive_gathering_with_a_live_and_a_dead_server() {
    let live = addr("192.0.2.1:3478");
    let dead = addr("192.0.2.2:3478");
    let config = IceConfig {
        stun_servers: vec![live, dead, addr("[2001:db8::1]:3478")],
        ..IceConfig::new(4)
    };
    let mut agent = IceAgent::new(config).unwrap();
    let base = addr("10.0.0.5:40000");
    agent.add_local_host(base);
    let mut now = Instant::now();
    agent.gather(now);
    let ev = events(&mut agent);
    assert!(matches!(&ev[0], IceEvent::LocalCandidate(c) if c.kind == CandidateType::Host));
    assert_eq!(
        ev[1],
        IceEvent::GatheringStateChange(IceGatheringState::Gathering)
    );
    let sent = transmits(&mut agent);
    assert_eq!(
        sent.len(),
        2,
        "one request per IPv4 server, none to the IPv6 one"
    );
    let to_live = sent.iter().find(|(t, _)| t.destination == live).unwrap();
    let req = StunMessage::parse(&to_live.1).unwrap();
    assert_eq!(req.message_type(), MessageType::BINDING_REQUEST);
    assert!(req.username().is_none() && !req.has_integrity() && req.has_fingerprint());

    now += Duration::from_millis(30);
    let mapped = addr("203.0.113.9:61000");
    agent.handle_packet(now, base, live, &answer(&to_live.1, mapped, None));
    let ev = events(&mut agent);
    let IceEvent::LocalCandidate(srflx) = &ev[0] else {
        panic!("{ev:?}")
    };
    assert_eq!(srflx.kind, CandidateType::ServerReflexive);
    assert_eq!(srflx.socket_addr(), Some(mapped));
    let (raddr, rport) = srflx.related.clone().unwrap();
    assert_eq!((raddr.ip(), rport), (Some(base.ip()), base.port()));
    assert_eq!(srflx.priority >> 24, 100);
    assert_eq!(Candidate::parse(&srflx.to_string()).unwrap(), *srflx);
    assert_eq!(
        agent.gathering_state(),
        IceGatheringState::Gathering,
        "the dead server is pending"
    );

    // The dead server: 7 transmissions, then gathering completes.
    let mut transmissions = 1;
    while let Some(at) = agent.poll_timeout() {
        now = at;
        agent.handle_timeout(now);
        transmissions += transmits(&mut agent)
            .iter()
            .filter(|(t, _)| t.destination == dead)
            .count();
        if agent.gathering_state() == IceGatheringState::Complete {
            break;
        }
    }
    assert_eq!(transmissions, 7);
    let ev = events(&mut agent);
    assert_eq!(
        ev,
        [
            IceEvent::EndOfLocalCandidates,
            IceEvent::GatheringStateChange(IceGatheringState::Complete)
        ]
    );
}

#[test]
fn bad_input_is_dropped_and_counted() {
    let (mut agent, me, mine, peer, now) = controlled_agent();
    let from = addr("127.0.0.1:50000");
    let before_state = agent.connection_state();
    let expect =
        |agent: &IceAgent, f: fn(&IceStats) -> u64, n: u64| assert_eq!(f(&agent.stats()), n);

    // Not STUN at all: left to the caller.
    assert!(!agent.handle_packet(now, me, from, &[0x80, 0x60, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0]));
    // Looks like STUN, does not parse.
    let mut broken = check(1, "mine:peer", &mine, true, false, None);
    broken.truncate(40);
    assert!(agent.handle_packet(now, me, from, &broken));
    expect(&agent, |s| s.dropped_malformed, 1);
    // Fingerprint wrong.
    let mut bad_fp = check(2, "mine:peer", &mine, true, false, None);
    let last = bad_fp.len() - 1;
    bad_fp[last] ^= 1;
    agent.handle_packet(now, me, from, &bad_fp);
    expect(&agent, |s| s.dropped_malformed, 2);
    // Wrong USERNAME (someone else's ufrag, or reversed).
    agent.handle_packet(
        now,
        me,
        from,
        &check(3, "other:peer", &mine, true, false, None),
    );
    agent.handle_packet(
        now,
        me,
        from,
        &check(4, "peer:mine", &mine, true, false, None),
    );
    agent.handle_packet(
        now,
        me,
        from,
        &check(5, "mine:intruder", &mine, true, false, None),
    );
    expect(&agent, |s| s.dropped_bad_username, 3);
    // Right USERNAME, keyed with the wrong password.
    agent.handle_packet(
        now,
        me,
        from,
        &check(6, "mine:peer", &peer, true, true, None),
    );
    expect(&agent, |s| s.dropped_bad_integrity, 1);
    // On an address we do not have.
    agent.handle_packet(
        now,
        addr("127.0.0.1:1"),
        from,
        &check(7, "mine:peer", &mine, true, false, None),
    );
    expect(&agent, |s| s.dropped_unknown_local, 1);
    // A response to nothing.
    let stray = answer(
        &check(8, "mine:peer", &mine, true, false, None),
        me,
        Some(&peer),
    );
    agent.handle_packet(now, me, from, &stray);
    expect(&agent, |s| s.dropped_unknown_transaction, 1);
    // An indication.
    let mut buf = [0u8; 64];
    let mut w = MessageWriter::new(
        &mut buf,
        MessageType::BINDING_INDICATION,
        TransactionId([9; 12]),
    )
    .unwrap();
    w.add_fingerprint().unwrap();
    let len = w.finish();
    agent.handle_packet(now, me, from, &buf[..len]);
    expect(&agent, |s| s.dropped_other, 1);

    // None of it changed anything: no answer, no event, no pair.
    assert!(transmits(&mut agent).is_empty());
    assert!(events(&mut agent).is_empty());
    assert_eq!(agent.connection_state(), before_state);
    assert_eq!(agent.pair_counts(), (0, 0, 0, 0, 0));
    assert_eq!(agent.stats().checks_answered, 0);
}

#[test]
fn unknown_comprehension_required_attribute_gets_420() {
    let (mut agent, me, mine, _, now) = controlled_agent();
    let from = addr("127.0.0.1:50000");
    let odd = Attribute::Other {
        attr_type: AttributeType(0x7ABC),
        value: &[1, 2, 3, 4],
    };
    agent.handle_packet(
        now,
        me,
        from,
        &check(1, "mine:peer", &mine, true, false, Some(odd)),
    );
    let sent = transmits(&mut agent);
    assert_eq!(sent.len(), 1);
    let msg = StunMessage::parse(&sent[0].1).unwrap();
    assert_eq!(msg.message_type().class, Class::ErrorResponse);
    assert_eq!(msg.transaction_id(), TransactionId([1; 12]));
    assert_eq!(msg.error_code().unwrap().code, ErrorCode::UNKNOWN_ATTRIBUTE);
    assert_eq!(
        msg.unknown_attributes().unwrap().iter().collect::<Vec<_>>(),
        [AttributeType(0x7ABC)]
    );
    msg.verify_integrity(&mine).unwrap();
    assert_eq!(agent.stats().unknown_attribute_responses, 1);
    assert_eq!(
        agent.pair_counts(),
        (0, 0, 0, 0, 0),
        "rejected checks create nothing"
    );
    // Comprehension-optional unknowns (GOOG-NETWORK-INFO) are fine.
    let goog = Attribute::Other {
        attr_type: AttributeType::GOOG_NETWORK_INFO,
        value: &[0, 1, 0, 10],
    };
    agent.handle_packet(
        now,
        me,
        from,
        &check(2, "mine:peer", &mine, true, false, Some(goog)),
    );
    assert_eq!(agent.stats().checks_answered, 1);
}

#[test]
fn role_conflict_answered_with_487() {
    // We are controlling with a tie-breaker above the peer's (7): a
    // controlling peer gets 487 and nothing else happens here.
    let mut seed = 0;
    let mut agent = loop {
        let config = IceConfig {
            local_credentials: Some(creds("mine", "my+password+is+22+char")),
            ..IceConfig::new(seed)
        };
        let agent = IceAgent::new(config).unwrap();
        if agent.tie_breaker() > 7 {
            break agent;
        }
        seed += 1;
    };
    let me = addr("127.0.0.1:40000");
    agent.add_local_host(me);
    agent
        .set_remote_credentials(creds("peer", "peer+password+22+chars"))
        .unwrap();
    let now = Instant::now();
    agent.gather(now);
    let mine = IntegrityKey::short_term("my+password+is+22+char").unwrap();
    agent.handle_packet(
        now,
        me,
        addr("127.0.0.1:50000"),
        &check(1, "mine:peer", &mine, true, false, None),
    );
    let sent = transmits(&mut agent);
    let msg = StunMessage::parse(&sent[0].1).unwrap();
    assert_eq!(msg.error_code().unwrap().code, 487);
    assert_eq!(agent.role(), IceRole::Controlling);
    assert_eq!(agent.stats().role_conflicts, 1);
    // And a controlled peer is simply answered.
    agent.handle_packet(
        now,
        me,
        addr("127.0.0.1:50000"),
        &check(2, "mine:peer", &mine, false, false, None),
    );
    agent.handle_timeout(now);
    let sent = transmits(&mut agent);
    assert!(sent.iter().any(
        |(_, b)| StunMessage::parse(b).unwrap().message_type().class == Class::SuccessResponse
    ));
    // Its check priority is a peer-reflexive priority of our host.
    let p = sent
        .iter()
        .find_map(|(_, b)| {
            let m = StunMessage::parse(b).unwrap();
            (m.message_type().class == Class::Request).then(|| m.priority().unwrap())
        })
        .expect("a triggered check");
    assert_eq!(p >> 24, 110);
    assert_eq!(p & 0xFF, 255);
    assert!(p > candidate_priority(CandidateType::ServerReflexive, u16::MAX, 1));
}

#[test]
fn close_stops_everything() {
    let (mut agent, me, mine, _, now) = controlled_agent();
    agent.close();
    assert_eq!(agent.connection_state(), IceConnectionState::Closed);
    assert_eq!(agent.poll_timeout(), None);
    agent.handle_packet(
        now,
        me,
        addr("127.0.0.1:50000"),
        &check(1, "mine:peer", &mine, true, false, None),
    );
    assert!(transmits(&mut agent).is_empty());
    assert_eq!(
        events(&mut agent),
        [IceEvent::ConnectionStateChange(IceConnectionState::Closed)]
    );
    assert!(agent.restart(now, None).is_err());
}

#[test]
fn remote_candidates_a_udp_agent_cannot_use_are_ignored_and_counted() {
    use zerortc::ice::CandidateFilter;
    let config = IceConfig {
        filter: CandidateFilter::LoopbackOnly,
        ..IceConfig::new(9)
    };
    let mut agent = IceAgent::new(config).unwrap();
    assert!(!agent.add_local_host(addr("10.0.0.5:4000")), "filtered");
    assert!(agent.add_local_host(addr("127.0.0.1:4000")));
    assert!(!agent.add_local_host(addr("127.0.0.1:4000")), "duplicate");
    agent
        .set_remote_credentials(creds("peer", "peer+password+22+chars"))
        .unwrap();
    for line in [
        // As browsers send them: TCP active on port 9, an mDNS name.
        "candidate:1 1 tcp 1518280447 127.0.0.1 9 typ host tcptype active generation 0 ufrag peer",
        "candidate:2 1 udp 2122260223 0b4e8f2a-1c3d-4e5f-8a9b-0c1d2e3f4a5b.local 50000 typ host generation 0 ufrag peer",
        // RTCP component without rtcp-mux, another ufrag, another interface.
        "candidate:3 2 udp 2122260222 127.0.0.1 50001 typ host",
        "candidate:4 1 udp 2122260223 127.0.0.1 50002 typ host ufrag old1",
        "candidate:5 1 udp 2122260223 192.168.1.7 50003 typ host",
    ] {
        assert!(
            !agent.add_remote_candidate(&Candidate::parse(line).unwrap()),
            "{line}"
        );
    }
    assert_eq!(agent.stats().ignored_remote_candidates, 5);
    assert_eq!(agent.pair_counts(), (0, 0, 0, 0, 0));
    let good = Candidate::parse("candidate:6 1 udp 2122260223 127.0.0.1 50004 typ host ufrag peer")
        .unwrap();
    assert!(agent.add_remote_candidate(&good));
    assert!(!agent.add_remote_candidate(&good), "duplicate");
    assert_eq!(agent.pair_counts(), (0, 1, 0, 0, 0), "one waiting pair");
}

mod random_input {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(300))]
        #[test]
        fn random_stun_never_panics_nor_changes_state(
            body in proptest::collection::vec(any::<u8>(), 0..120),
            class in 0u16..4,
        ) {
            let (mut agent, me, _, _, now) = controlled_agent();
            // A STUN-looking header, then random bytes; the length field
            // may or may not be right.
            let mut msg = vec![0, 1, 0, body.len() as u8, 0x21, 0x12, 0xA4, 0x42];
            let t = zerortc::stun::MessageType::new(zerortc::stun::Method::BINDING, Class::from_bits(class));
            msg[..2].copy_from_slice(&t.to_u16().to_be_bytes());
            msg.extend_from_slice(&[5; 12]);
            msg.extend_from_slice(&body);
            prop_assert!(agent.handle_packet(now, me, addr("127.0.0.1:50000"), &msg));
            prop_assert!(transmits(&mut agent).is_empty());
            prop_assert!(events(&mut agent).is_empty());
            prop_assert_eq!(agent.pair_counts(), (0, 0, 0, 0, 0));
            prop_assert_eq!(agent.stats().checks_answered, 0);
        }
    }
}

#[test]
fn a_peer_reflexive_candidate_is_replaced_by_the_signalled_one() {
    let (mut agent, me, mine, _, now) = controlled_agent();
    let from = addr("127.0.0.1:50000");
    // The check arrives before the candidate is signalled: peer reflexive,
    // with the PRIORITY of the check (1845501695).
    agent.handle_packet(
        now,
        me,
        from,
        &check(1, "mine:peer", &mine, true, false, None),
    );
    let pair = agent.pairs().next().unwrap();
    assert_eq!((pair.local, pair.remote), (me, from));
    assert_eq!(pair.remote_type, CandidateType::PeerReflexive);
    let prflx_priority = pair.priority;
    let local_priority = candidate_priority(CandidateType::Host, 0x7F00, 1);
    // Controlled: G is the peer's priority.
    assert_eq!(
        prflx_priority,
        zerortc::ice::pair_priority(1_845_501_695, local_priority)
    );
    // Then the host candidate is signalled: type and priority replaced.
    let line = "candidate:9 1 udp 2122260223 127.0.0.1 50000 typ host ufrag peer";
    assert!(
        !agent.add_remote_candidate(&Candidate::parse(line).unwrap()),
        "not a new address"
    );
    let pair = agent.pairs().next().unwrap();
    assert_eq!(pair.remote_type, CandidateType::Host);
    assert_eq!(
        pair.priority,
        zerortc::ice::pair_priority(2_122_260_223, local_priority)
    );
    assert_eq!(agent.pairs().count(), 1);
}
