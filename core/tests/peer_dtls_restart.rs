//! A new DTLS association on renegotiation (RFC 8842 §5, RFC 5763 §6.6,
//! RFC 8829 §5.8 and §5.10): when the peer's fingerprint changes (another
//! endpoint takes over the session with an ICE restart), a new handshake
//! runs, in the roles of that exchange, with new SRTP keys and a new SCTP
//! association, and the data channels of the old one close; with the
//! same fingerprint the association carries on untouched, whatever roles
//! the exchange writes (Firefox re-answers `active` as the DTLS server).

mod peer_util;
mod sim;

use std::time::Duration;

use peer_util::{Peer, World, config, rtp};
use sim::LinkConditions;
use zerortc::peer::*;
use zerortc::rtp::RtpPacket;

fn link() -> LinkConditions {
    LinkConditions::ideal(Duration::from_millis(10))
}

/// a and b connected with a data channel from a and video from a; the
/// channel ids on both sides.
fn connected(seed: u64) -> (World, TransceiverId, DataChannelId, DataChannelId) {
    let mut w = World::new(seed, link());
    let video = w
        .a()
        .add_track(MediaStreamTrack::new("cam", MediaKind::Video, "s"))
        .unwrap();
    let ch = w
        .a()
        .create_data_channel("chat", RTCDataChannelInit::default())
        .unwrap();
    w.negotiate(0);
    assert!(w.run_until(Duration::from_secs(10), |w| {
        w.peers[0].saw(|e| *e == PeerEvent::DataChannelOpen(ch))
            && w.peers[1].saw(|e| matches!(e, PeerEvent::DataChannel(_)))
    }));
    let remote = opened_remote(&mut w.peers[1]);
    w.peers[0].events.clear();
    w.peers[1].events.clear();
    (w, video, ch, remote)
}

fn opened_remote(p: &mut Peer) -> DataChannelId {
    p.take(|e| matches!(e, PeerEvent::DataChannel(_)))
        .into_iter()
        .find_map(|e| match e {
            PeerEvent::DataChannel(id) => Some(id),
            _ => None,
        })
        .expect("datachannel event")
}

fn dtls_events(p: &Peer) -> Vec<RTCDtlsTransportState> {
    p.events
        .iter()
        .filter_map(|e| match e {
            PeerEvent::DtlsStateChange(s) => Some(*s),
            _ => None,
        })
        .collect()
}

/// A message from `from`'s channel `ch` arrives on `to`'s `remote`.
fn message(w: &mut World, from: usize, ch: DataChannelId, remote: DataChannelId, text: &str) {
    w.peers[from]
        .pc
        .data_channel(ch)
        .unwrap()
        .send_text(text)
        .unwrap();
    assert!(w.run_until(Duration::from_secs(5), |w| {
        w.peers[1 - from].saw(|e| matches!(e, PeerEvent::DataChannelMessage { .. }))
    }));
    assert_eq!(
        w.peers[1 - from].messages(),
        [(remote, text.as_bytes().to_vec())]
    );
}

/// Video from a reaches b with a's SSRC.
fn video_flows(w: &mut World, video: TransceiverId, seq: u16) {
    w.a().write_rtp(video, &rtp(96, seq, 0, &[5; 300])).unwrap();
    assert!(w.run_until(Duration::from_secs(2), |w| {
        w.peers[1].saw(|e| matches!(e, PeerEvent::Rtp { .. }))
    }));
    let got = w.peers[1].rtp();
    assert_eq!(got.len(), 1);
    let p = RtpPacket::parse(&got[0].1).unwrap();
    assert_eq!(p.sequence_number(), seq);
    assert_eq!(p.payload(), &[5; 300][..]);
}

#[test]
fn same_fingerprint_and_role_keep_the_association() {
    let (mut w, video, ch, remote) = connected(80);
    video_flows(&mut w, video, 99);
    let sent_before = w.a().stats().srtp_sent.unwrap();
    // Renegotiate both ways, with an ICE restart in the middle.
    w.b()
        .add_track(MediaStreamTrack::new("mic", MediaKind::Audio, "t"))
        .unwrap();
    w.negotiate(1);
    w.a().restart_ice();
    w.negotiate(0);
    message(&mut w, 0, ch, remote, "same association");
    video_flows(&mut w, video, 100);
    for p in &w.peers {
        assert!(dtls_events(p).is_empty(), "{:?}", p.events);
        assert!(!p.saw(|e| matches!(e, PeerEvent::DataChannelClose(_))));
    }
    // The SRTP context carried on: its counters did not start over.
    let sent_after = w.a().stats().srtp_sent.unwrap();
    assert_eq!(sent_after.rtp_packets, sent_before.rtp_packets + 1);
}

/// b's session is taken over by another endpoint (c, a new certificate,
/// at b's address), reached through a's ICE restart: a's answer has a new
/// fingerprint, so a starts a new DTLS association.
#[test]
fn a_new_remote_fingerprint_with_an_ice_restart_starts_a_new_association() {
    let (mut w, video, ch, _) = connected(81);
    let old_fingerprint = w.b().fingerprint();
    let c = RTCPeerConnection::new(config(8181)).unwrap();
    assert_ne!(c.fingerprint(), old_fingerprint);
    w.peers[1].pc = c;
    let addr = w.peers[1].addr;
    w.b().add_local_address(addr);
    w.peers[1].events.clear();
    w.peers[1].outbox.clear();
    w.a().restart_ice();
    w.negotiate(0);
    let now_remote = w.a().remote_description().unwrap().sdp;
    assert!(now_remote.contains(&w.peers[1].pc.fingerprint().to_string()));
    assert!(w.run_until(Duration::from_secs(10), |w| {
        w.peers[0].pc.dtls_state() == RTCDtlsTransportState::Connected
            && w.peers[0]
                .saw(|e| *e == PeerEvent::DtlsStateChange(RTCDtlsTransportState::Connected))
    }));
    // a: the old association's channel closed, a new handshake ran.
    assert!(w.peers[0].saw(|e| *e == PeerEvent::DataChannelClose(ch)));
    assert_eq!(
        w.a().data_channel(ch).unwrap().ready_state(),
        RTCDataChannelState::Closed
    );
    assert_eq!(
        dtls_events(&w.peers[0]),
        [
            RTCDtlsTransportState::New,
            RTCDtlsTransportState::Connecting,
            RTCDtlsTransportState::Connected
        ]
    );
    // A new SCTP association: a new channel needs no negotiation.
    w.peers[0].events.clear();
    let ch2 = w
        .a()
        .create_data_channel("again", RTCDataChannelInit::default())
        .unwrap();
    assert!(w.run_until(Duration::from_secs(5), |w| {
        w.peers[0].saw(|e| *e == PeerEvent::DataChannelOpen(ch2))
            && w.peers[1].saw(|e| matches!(e, PeerEvent::DataChannel(_)))
    }));
    assert!(!w.peers[0].saw(|e| *e == PeerEvent::NegotiationNeeded));
    let remote2 = opened_remote(&mut w.peers[1]);
    message(&mut w, 0, ch2, remote2, "to the new endpoint");
    message(&mut w, 1, remote2, ch2, "from the new endpoint");
    // Media under new SRTP keys (c could not decrypt the old ones).
    video_flows(&mut w, video, 7);
    assert!(w.connected());
}

/// Roles written in a re-negotiation that differ from the association's,
/// with the same fingerprints, keep the association: Firefox answers
/// every re-offer `a=setup:active`, also as the DTLS server, and keeps its
/// association (the interop `ice-restart` cell depends on it). Here b
/// re-offers and a's answer says `active` though a is the server; then a
/// re-offers taking the client role (`a=setup:active`, RFC 8842 §5.2).
#[test]
fn roles_alone_keep_the_association() {
    let (mut w, video, ch, remote) = connected(82);
    // a offered first and b answered active: a is the DTLS server (odd).
    assert_eq!(w.a().data_channel(ch).unwrap().id(), Some(1));
    let now = w.now();
    let offer = w.b().create_offer(RTCOfferOptions::default()).unwrap();
    w.b().set_local_description(now, offer.clone()).unwrap();
    w.a().set_remote_description(now, offer).unwrap();
    let answer = w.a().create_answer().unwrap();
    assert!(answer.sdp.contains("a=setup:passive"), "a keeps its role");
    w.a().set_local_description(now, answer.clone()).unwrap();
    let firefox_like = answer.sdp.replace("a=setup:passive", "a=setup:active");
    w.b()
        .set_remote_description(now, RTCSessionDescription::answer(firefox_like))
        .unwrap();
    // a takes the client role in its next offer; b answers passive.
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    let taking_client = offer.sdp.replace("a=setup:actpass", "a=setup:active");
    w.b()
        .set_remote_description(now, RTCSessionDescription::offer(taking_client))
        .unwrap();
    let answer = w.b().create_answer().unwrap();
    assert!(answer.sdp.contains("a=setup:passive"), "{}", answer.sdp);
    w.b().set_local_description(now, answer.clone()).unwrap();
    w.a().set_remote_description(now, answer).unwrap();
    w.run_for(Duration::from_millis(500));
    message(&mut w, 0, ch, remote, "same association");
    message(&mut w, 1, remote, ch, "both ways");
    video_flows(&mut w, video, 3);
    for p in &w.peers {
        assert!(dtls_events(p).is_empty(), "{:?}", p.events);
        assert!(!p.saw(|e| matches!(e, PeerEvent::DataChannelClose(_))));
    }
}

/// A takeover (new fingerprint, ICE restart) whose offer also takes the
/// DTLS client role: the new association runs in the new roles, and SCTP
/// stream ids follow them (RFC 8832 §6: the client's are even).
#[test]
fn a_new_association_takes_the_new_roles() {
    let (mut w, video, ch, _) = connected(83);
    assert_eq!(w.a().data_channel(ch).unwrap().id(), Some(1));
    w.peers[1].pc = RTCPeerConnection::new(config(8383)).unwrap();
    let addr = w.peers[1].addr;
    w.b().add_local_address(addr);
    w.peers[1].events.clear();
    w.peers[1].outbox.clear();
    w.a().restart_ice();
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    let taking_client = offer.sdp.replace("a=setup:actpass", "a=setup:active");
    w.b()
        .set_remote_description(now, RTCSessionDescription::offer(taking_client))
        .unwrap();
    let answer = w.b().create_answer().unwrap();
    assert!(answer.sdp.contains("a=setup:passive"), "{}", answer.sdp);
    w.b().set_local_description(now, answer.clone()).unwrap();
    w.a().set_remote_description(now, answer).unwrap();
    assert!(w.run_until(Duration::from_secs(10), |w| {
        w.peers[0].saw(|e| *e == PeerEvent::DtlsStateChange(RTCDtlsTransportState::Connected))
    }));
    assert!(w.peers[0].saw(|e| *e == PeerEvent::DataChannelClose(ch)));
    w.peers[0].events.clear();
    let ch2 = w
        .a()
        .create_data_channel("client now", RTCDataChannelInit::default())
        .unwrap();
    assert!(w.run_until(Duration::from_secs(5), |w| {
        w.peers[0].saw(|e| *e == PeerEvent::DataChannelOpen(ch2))
            && w.peers[1].saw(|e| matches!(e, PeerEvent::DataChannel(_)))
    }));
    // a is the DTLS client now: even stream ids.
    assert_eq!(w.a().data_channel(ch2).unwrap().id(), Some(0));
    let remote2 = opened_remote(&mut w.peers[1]);
    message(&mut w, 0, ch2, remote2, "new roles");
    message(&mut w, 1, remote2, ch2, "new roles back");
    video_flows(&mut w, video, 9);
}

/// RFC 8829 §5.11: an answer whose fingerprint changes while the ICE
/// session goes on (no ICE restart in our offer) would need a new DTLS
/// association over the same path: refused with a typed error, our offer
/// still pending and the association untouched; the true answer then
/// applies.
#[test]
fn a_new_fingerprint_in_an_answer_without_an_ice_restart_is_refused() {
    let (mut w, video, ch, remote) = connected(84);
    let now = w.now();
    let offer = w.a().create_offer(RTCOfferOptions::default()).unwrap();
    w.a().set_local_description(now, offer.clone()).unwrap();
    w.b().set_remote_description(now, offer).unwrap();
    let answer = w.b().create_answer().unwrap();
    w.b().set_local_description(now, answer.clone()).unwrap();
    let other = RTCPeerConnection::new(config(8484)).unwrap().fingerprint();
    let ours = w.b().fingerprint().to_string();
    assert!(answer.sdp.contains(&ours));
    let forged = answer.sdp.replace(&ours, &other.to_string());
    let err = w
        .a()
        .set_remote_description(now, RTCSessionDescription::answer(forged))
        .unwrap_err();
    assert!(
        matches!(&err, PeerError::InvalidDescription(text) if text.contains("fingerprint")),
        "{err:?}"
    );
    assert_eq!(w.a().signaling_state(), RTCSignalingState::HaveLocalOffer);
    w.a().set_remote_description(now, answer).unwrap();
    assert_eq!(w.a().signaling_state(), RTCSignalingState::Stable);
    w.run_for(Duration::from_millis(200));
    message(&mut w, 0, ch, remote, "same association");
    video_flows(&mut w, video, 11);
    for p in &w.peers {
        assert!(dtls_events(p).is_empty(), "{:?}", p.events);
    }
}
