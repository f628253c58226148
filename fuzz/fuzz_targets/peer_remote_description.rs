//! Fuzz JSEP with remote offers: `set_remote_description` never panics;
//! when it refuses, the connection is unchanged (stable, no remote
//! description); when it accepts, an answer can be created and applied,
//! parses, and answers every offered m-line in order; then the same bytes
//! fed as datagrams are dropped without panicking.
//!
//! `cargo fuzz run peer_remote_description` (needs cargo-fuzz;
//! `RUSTC_BOOTSTRAP=1` on stable). Seed corpus: `core/tests/fixtures/sdp/*-offer.sdp`.
#![no_main]

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use libfuzzer_sys::fuzz_target;
use zerortc::crypto::Certificate;
use zerortc::peer::{
    Protocol, RTCConfiguration, RTCPeerConnection, RTCSessionDescription, RTCSignalingState,
    TaggedPacket,
};
use zerortc::sdp::SessionDescription;

fn certificate() -> Arc<Certificate> {
    static CERT: OnceLock<Arc<Certificate>> = OnceLock::new();
    CERT.get_or_init(|| {
        Arc::new(Certificate::generate_self_signed_from_seed([5; 32]).expect("certificate"))
    })
    .clone()
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut pc = RTCPeerConnection::new(RTCConfiguration {
        rng_seed: Some(1),
        certificates: vec![certificate()],
        ..RTCConfiguration::default()
    })
    .expect("peer connection");
    let local = "127.0.0.1:4000".parse().expect("address");
    pc.add_local_address(local);
    let now = Instant::now();
    match pc.set_remote_description(now, RTCSessionDescription::offer(text)) {
        Err(_) => {
            assert_eq!(pc.signaling_state(), RTCSignalingState::Stable);
            assert!(pc.remote_description().is_none());
            assert!(pc.get_transceivers().is_empty());
        }
        Ok(()) => {
            let offer = SessionDescription::parse(text).expect("accepted offers parse");
            let answer = pc
                .create_answer()
                .expect("an accepted offer can be answered");
            pc.set_local_description(now, answer.clone())
                .expect("our answer applies");
            let parsed = SessionDescription::parse(&answer.sdp).expect("our answer parses");
            assert_eq!(parsed.media.len(), offer.media.len());
            for (a, o) in parsed.media.iter().zip(&offer.media) {
                assert_eq!(a.mid, o.mid);
            }
            assert_eq!(pc.signaling_state(), RTCSignalingState::Stable);
        }
    }
    let peer = "127.0.0.1:5000".parse().expect("address");
    for chunk in data.chunks(300) {
        let _ = pc.handle_read(
            now,
            TaggedPacket {
                local,
                peer,
                protocol: Protocol::Udp,
                data: chunk,
            },
        );
    }
    while pc.poll_write().is_some() {}
    while pc.poll_event().is_some() {}
});
