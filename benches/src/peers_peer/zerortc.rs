//! zerortc's side of the comparison: [`PeerPair`] as `benches/peer.rs`
//! measures it (its addresses are 10.0.0.1/10.0.0.2: nothing is sent on
//! a network, the address only names the candidate).

use super::{PEER_RTP_PAYLOAD, PeerCase, PeerWorkload};
use crate::ops::{PeerCertificates, PeerPair, PeerSetup};

/// Connects a zerortc pair for `case` (video last, so the RTP workload
/// writes on the video sender).
pub(super) fn connect(case: PeerCase, certs: &PeerCertificates) -> PeerPair {
    let mut pair = match case {
        PeerCase::Data => PeerPair::connect(
            PeerSetup {
                data: true,
                media: false,
                seed: 42,
            },
            certs,
        ),
        PeerCase::AudioVideo => PeerPair::connect_with_audio(
            PeerSetup {
                data: false,
                media: true,
                seed: 42,
            },
            certs,
        ),
    }
    .expect("zerortc pair connects");
    pair.set_rtp_payload(PEER_RTP_PAYLOAD);
    pair
}

impl PeerWorkload for PeerPair {
    fn set_message_size(&mut self, size: usize) {
        PeerPair::set_message_size(self, size);
    }
    fn transfer(&mut self, count: u64) -> u64 {
        PeerPair::transfer(self, count).expect("zerortc transfer")
    }
    fn one_way(&mut self) {
        PeerPair::one_way(self).expect("zerortc one_way");
    }
    fn settle(&mut self) {
        PeerPair::settle(self);
    }
    fn send_rtp(&mut self, count: u64) -> u64 {
        PeerPair::send_rtp(self, count).expect("zerortc send_rtp")
    }
}
