//! Two transports joined in memory: ICE, DTLS, SRTP and SCTP on one
//! 5-tuple, driven by hand without SDP.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;
use crate::crypto::{Certificate, FingerprintAlgorithm};
use crate::datachannel::{ChannelOptions, DataChannelEvent};

fn addr(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

fn config(seed: u8) -> TransportConfig {
    let cert = Certificate::generate_self_signed_from_seed([seed; 32]).unwrap();
    TransportConfig {
        ice: IceConfig::new(u64::from(seed)),
        certificate: Arc::new(cert),
        mtu: 1200,
        dtls_seed: [seed.wrapping_add(100); 32],
        sctp_seed: u64::from(seed) + 7,
        sctp: SctpLimits::default(),
    }
}

struct Pair {
    a: Transport,
    b: Transport,
    now: Instant,
    /// Decrypted media received by a and b.
    media: [Vec<Vec<u8>>; 2],
}

impl Pair {
    /// Two transports with ICE started (a controlling) and candidates
    /// exchanged; DTLS parameters set with the real fingerprints unless
    /// `wrong_fingerprint`, a in `a_role`, b's only if `set_b_dtls`.
    fn new(wrong_fingerprint: bool, a_role: DtlsRole, set_b_dtls: bool) -> Pair {
        let now = Instant::now();
        let mut a = Transport::new(config(1));
        let mut b = Transport::new(config(2));
        a.add_local_address(addr(10_000));
        b.add_local_address(addr(20_000));
        a.start_ice(IceRole::Controlling, creds("aaaa")).unwrap();
        b.start_ice(IceRole::Controlled, creds("bbbb")).unwrap();
        a.set_remote_credentials(creds("bbbb")).unwrap();
        b.set_remote_credentials(creds("aaaa")).unwrap();
        a.gather(now);
        b.gather(now);
        let fa = a.certificate().fingerprint(FingerprintAlgorithm::Sha256);
        let fb = if wrong_fingerprint {
            Certificate::generate_self_signed_from_seed([9; 32])
                .unwrap()
                .fingerprint(FingerprintAlgorithm::Sha256)
        } else {
            b.certificate().fingerprint(FingerprintAlgorithm::Sha256)
        };
        let b_role = match a_role {
            DtlsRole::Client => DtlsRole::Server,
            DtlsRole::Server => DtlsRole::Client,
        };
        a.set_dtls_params(
            now,
            DtlsParams {
                role: a_role,
                remote_fingerprint: fb,
            },
        );
        if set_b_dtls {
            b.set_dtls_params(
                now,
                DtlsParams {
                    role: b_role,
                    remote_fingerprint: fa,
                },
            );
        }
        let ports = SctpParams {
            local_port: 5000,
            remote_port: 5000,
        };
        a.set_sctp_params(now, ports);
        b.set_sctp_params(now, ports);
        let mut pair = Pair {
            a,
            b,
            now,
            media: [Vec::new(), Vec::new()],
        };
        pair.exchange_candidates();
        pair
    }

    fn exchange_candidates(&mut self) {
        let mut from_a = Vec::new();
        let mut from_b = Vec::new();
        while let Some(e) = self.a.poll_event() {
            if let TransportEvent::LocalCandidate(c) = e {
                from_a.push(c);
            }
        }
        while let Some(e) = self.b.poll_event() {
            if let TransportEvent::LocalCandidate(c) = e {
                from_b.push(c);
            }
        }
        for c in from_a {
            self.b.add_remote_candidate(&c);
        }
        for c in from_b {
            self.a.add_remote_candidate(&c);
        }
    }

    /// Moves every datagram both ways; returns how many moved.
    fn flush(&mut self) -> usize {
        let mut moved = 0;
        for from_a in [true, false] {
            let (src, dst) = if from_a {
                (&mut self.a, &mut self.b)
            } else {
                (&mut self.b, &mut self.a)
            };
            let mut batch = Vec::new();
            while let Some((local, peer, data)) = src.poll_transmit() {
                batch.push((local, peer, data.to_vec()));
            }
            for (local, peer, data) in batch {
                moved += 1;
                match dst.handle_read(self.now, peer, local, &data) {
                    Inbound::Rtp(p) | Inbound::Rtcp(p) => {
                        self.media[usize::from(from_a)].push(p);
                    }
                    Inbound::None => {}
                }
            }
        }
        moved
    }

    /// Runs until `done` holds or `limit` of virtual time passes.
    fn run_until(&mut self, limit: Duration, mut done: impl FnMut(&mut Pair) -> bool) -> bool {
        let end = self.now + limit;
        loop {
            while self.flush() > 0 {}
            if done(self) {
                return true;
            }
            let next = [self.a.poll_timeout(), self.b.poll_timeout()]
                .into_iter()
                .flatten()
                .min();
            match next {
                Some(t) if t <= end => {
                    self.now = self.now.max(t);
                    self.a.handle_timeout(self.now);
                    self.b.handle_timeout(self.now);
                }
                _ => return done(self),
            }
        }
    }

    fn connected(&self) -> bool {
        self.a
            .sctp()
            .is_some_and(|s| s.association().is_established())
            && self
                .b
                .sctp()
                .is_some_and(|s| s.association().is_established())
            && self.a.srtp().is_some()
            && self.b.srtp().is_some()
    }
}

fn creds(ufrag: &str) -> IceCredentials {
    IceCredentials {
        ufrag: ufrag.to_string(),
        pwd: format!("{ufrag}-password-of-22-chars").replace('-', "x"),
    }
}

fn copy(out: &mut [u8], packet: &[u8]) -> Result<usize, PeerError> {
    out[..packet.len()].copy_from_slice(packet);
    Ok(packet.len())
}

fn rtp(seq: u16, ssrc: u32) -> Vec<u8> {
    let mut p = vec![0x80, 96];
    p.extend_from_slice(&seq.to_be_bytes());
    p.extend_from_slice(&1000u32.to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    p.extend_from_slice(&[0xAB; 100]);
    p
}

#[test]
fn joins_ice_dtls_srtp_and_sctp_on_one_five_tuple() {
    let mut p = Pair::new(false, DtlsRole::Server, true);
    assert!(p.run_until(Duration::from_secs(10), |p| p.connected()));
    assert_eq!(p.a.dtls_state(), RTCDtlsTransportState::Connected);
    assert_eq!(p.a.selected_pair(), Some((addr(10_000), addr(20_000))));
    assert_eq!(p.b.selected_pair(), Some((addr(20_000), addr(10_000))));
    // Stream id parity by DTLS role: the client (b) opens even ids.
    let now = p.now;
    let id_b =
        p.b.sctp_mut()
            .unwrap()
            .create_channel(now, ChannelOptions::default())
            .unwrap();
    let id_a =
        p.a.sctp_mut()
            .unwrap()
            .create_channel(now, ChannelOptions::default())
            .unwrap();
    assert_eq!((id_b % 2, id_a % 2), (0, 1));
    p.b.sctp_mut()
        .unwrap()
        .send(now, id_b, b"hello", true)
        .unwrap();
    p.a.sctp_mut()
        .unwrap()
        .send(now, id_a, b"world", false)
        .unwrap();
    let mut got_a = None;
    let mut got_b = None;
    assert!(p.run_until(Duration::from_secs(5), |p| {
        while let Some(e) = p.a.sctp_mut().unwrap().poll_event() {
            if let DataChannelEvent::Message { id, data, binary } = e {
                got_a = Some((id, data, binary));
            }
        }
        while let Some(e) = p.b.sctp_mut().unwrap().poll_event() {
            if let DataChannelEvent::Message { id, data, binary } = e {
                got_b = Some((id, data, binary));
            }
        }
        got_a.is_some() && got_b.is_some()
    }));
    assert_eq!(got_a, Some((id_b, b"hello".to_vec(), true)));
    assert_eq!(got_b, Some((id_a, b"world".to_vec(), false)));

    // SRTP both ways, RTCP by packet type.
    for seq in 0..5 {
        p.a.send_rtp_with(|out| copy(out, &rtp(seq, 0x1111)))
            .unwrap();
    }
    p.b.send_rtcp_with(|out| copy(out, &[0x80, 201, 0, 1, 0, 0, 0x22, 0x22]))
        .unwrap();
    p.flush();
    assert_eq!(p.media[1].len(), 5, "b got a's RTP");
    assert_eq!(p.media[1][3], rtp(3, 0x1111));
    assert_eq!(p.media[0], [vec![0x80, 201, 0, 1, 0, 0, 0x22, 0x22]]);
    assert_eq!(p.a.stats().dropped_srtp + p.b.stats().dropped_srtp, 0);
}

#[test]
fn wrong_fingerprint_fails_the_dtls_transport() {
    let mut p = Pair::new(true, DtlsRole::Server, true);
    let failed = |t: &Transport| t.dtls_state() == RTCDtlsTransportState::Failed;
    assert!(p.run_until(Duration::from_secs(10), |p| failed(&p.a) && failed(&p.b)));
    let mut reason = None;
    while let Some(e) = p.a.poll_event() {
        if let TransportEvent::DtlsFailed(e) = e {
            reason = Some(e);
        }
    }
    assert!(
        matches!(reason, Some(DtlsError::FingerprintMismatch { .. })),
        "{reason:?}"
    );
    assert!(p.a.srtp().is_none() && p.b.srtp().is_none());
    assert!(p.a.sctp().is_none() && p.b.sctp().is_none());
}

#[test]
fn client_hello_before_the_remote_description_is_kept() {
    // a is the DTLS client; b, the server, learns its DTLS parameters only
    // after a's ClientHello arrived (an answer overtaken by DTLS).
    let mut p = Pair::new(false, DtlsRole::Client, false);
    assert!(p.run_until(Duration::from_secs(5), |p| {
        p.a.dtls().is_some() && p.b.early_dtls.len() == 1
    }));
    assert_eq!(p.b.dtls_state(), RTCDtlsTransportState::New);
    let now = p.now;
    let fa = p.a.certificate().fingerprint(FingerprintAlgorithm::Sha256);
    p.b.set_dtls_params(
        now,
        DtlsParams {
            role: DtlsRole::Server,
            remote_fingerprint: fa,
        },
    );
    assert!(p.b.early_dtls.is_empty());
    assert!(p.run_until(Duration::from_millis(100), |p| p.connected()));
}

#[test]
fn junk_is_dropped_and_counted() {
    let mut p = Pair::new(false, DtlsRole::Server, true);
    assert!(p.run_until(Duration::from_secs(10), |p| p.connected()));
    let now = p.now;
    let before = p.a.stats();
    for junk in [
        &[][..],
        &[0x80][..],
        &[70, 1, 2, 3][..],                             // TURN channel range
        &[17, 0, 0][..],                                // ZRTP range
        &[200, 1, 2, 3][..],                            // QUIC range
        &[22, 0xFE, 0xFD, 0][..],                       // truncated DTLS record
        &rtp(1, 9)[..],                                 // RTP that does not authenticate
        &[0x80, 200, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0][..], // bad SRTCP
        &[0, 1, 0, 0, 0x21, 0x12, 0xA4, 0x42][..],      // truncated STUN
    ] {
        assert!(matches!(
            p.a.handle_read(now, addr(10_000), addr(20_000), junk),
            Inbound::None
        ));
    }
    let after = p.a.stats();
    assert_eq!(after.dropped_unknown - before.dropped_unknown, 5);
    assert_eq!(after.dropped_dtls - before.dropped_dtls, 1);
    assert_eq!(after.dropped_srtp - before.dropped_srtp, 2);
    // Still connected, traffic still flows.
    p.b.send_rtp_with(|out| copy(out, &rtp(7, 0x2222))).unwrap();
    p.flush();
    assert_eq!(p.media[0], [rtp(7, 0x2222)]);
    assert_eq!(p.a.dtls_state(), RTCDtlsTransportState::Connected);
}

#[test]
fn close_sends_abort_and_close_notify() {
    let mut p = Pair::new(false, DtlsRole::Server, true);
    assert!(p.run_until(Duration::from_secs(10), |p| p.connected()));
    p.a.close();
    p.flush();
    assert_eq!(p.b.dtls_state(), RTCDtlsTransportState::Closed);
    let mut aborted = false;
    while let Some(e) = p.b.sctp_mut().unwrap().poll_event() {
        aborted |= matches!(e, DataChannelEvent::AssociationAborted(_));
    }
    assert!(aborted);
    assert!(p.a.poll_transmit().is_none());
    assert_eq!(p.a.poll_timeout(), None);
}
