//! The whole peer connection of [`crate::ops::PeerPair`] on str0m 0.25
//! (`Rtc`) and on webrtc-rs `rtc` 0.21 (`RTCPeerConnection`), driven the
//! same way (feature `peers`): two peers in one process on one core,
//! sans-I/O, every datagram one side writes handed straight to the other
//! side's input (no copy where the API allows it, no loss), a virtual
//! clock that jumps to the next timer when both sides are quiet (or 1 ms
//! when none is due), exactly as zerortc's pair is pumped.
//!
//! What every stack does:
//!
//! - **setup** ([`PeerCase`]): both peers created with an ECDSA P-256
//!   certificate made beforehand (key generation left out, as zerortc's
//!   `PeerCertificates`), a host candidate each on loopback-shaped
//!   addresses put in the descriptions (no trickle), A offers, B answers,
//!   the descriptions go across as SDP **text** and are parsed on the
//!   other side; then ICE, DTLS 1.2 and (data) SCTP + DCEP until connected.
//!   `data`: one reliable ordered channel from A, done when it is open on
//!   both sides. `audio_video`: one audio (Opus) and one video (VP8) track
//!   sent by A, each stack with its default codec list, done when both
//!   peers are connected (DTLS done, SRTP keyed) and B has announced the
//!   tracks where its API announces them at negotiation (zerortc's
//!   `Track`, str0m's `MediaAdded`; webrtc-rs announces a track on its
//!   first RTP packet, so for it the end is "connected on both sides");
//! - **transfer**: A sends messages of one size on the reliable ordered
//!   channel, at most [`PEER_SEND_QUEUE_BYTES`] queued (each stack's own
//!   buffered-amount figure), until B has delivered them all; SACKs go
//!   back through the same loop;
//! - **one way**: one 1 KiB message from A's send to its delivery by B on
//!   an idle pair (what it leaves behind runs in `settle`, untimed);
//! - **RTP**: A writes [`PEER_RTP_PAYLOAD`]-byte-payload RTP packets (a
//!   1200-byte packet as the application writes it: 12-byte header) on
//!   its video sender; B reads them through SRTP (the first profile both
//!   offer: AEAD_AES_128_GCM on all three). Each stack adds the header
//!   extensions it negotiates by itself (zerortc: mid; str0m: its default
//!   extension set, at least mid; webrtc-rs: none, it routes by SSRC), so
//!   the datagrams differ by a few bytes.
//!
//! How each stack is configured is in its module: [`str0m`] and [`rtc`].
//! Reported, never gated (`shared/LAB.md`).

pub mod rtc;
pub mod str0m;
mod zerortc;

use std::net::SocketAddr;

pub use crate::ops::PEER_SEND_QUEUE_BYTES;

/// Payload bytes of the RTP packets of the RTP workload: with the 12-byte
/// header the application writes, a 1200-byte packet.
pub const PEER_RTP_PAYLOAD: usize = 1188;

/// Message sizes of the throughput workload (id, bytes).
pub const PEER_MESSAGE_SIZES: [(&str, usize); 3] =
    [("64", 64), ("1024", 1024), ("16384", 16 * 1024)];

/// What a pair negotiates for the setup workload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerCase {
    /// One reliable ordered data channel from A.
    Data,
    /// One audio and one video track sent by A.
    AudioVideo,
}

impl PeerCase {
    /// Both cases.
    pub const ALL: [PeerCase; 2] = [PeerCase::Data, PeerCase::AudioVideo];

    /// The benchmark parameter name.
    pub fn id(self) -> &'static str {
        match self {
            PeerCase::Data => "data",
            PeerCase::AudioVideo => "audio_video",
        }
    }
}

/// A's address (loopback-shaped; nothing is sent on a socket).
pub fn addr_a() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 5000))
}

/// B's address.
pub fn addr_b() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], 5001))
}

/// The message bytes of a transfer (same pattern on every stack).
pub fn message(size: usize) -> Vec<u8> {
    (0..size).map(|i| (i * 7 + 3) as u8).collect()
}

/// The workloads on a connected pair (one implementation per stack).
pub trait PeerWorkload {
    /// Sets the size of the messages [`transfer`](Self::transfer) and
    /// [`one_way`](Self::one_way) send.
    fn set_message_size(&mut self, size: usize);
    /// Sends `count` messages from A and moves datagrams until B delivered
    /// them all; returns the bytes delivered.
    fn transfer(&mut self, count: u64) -> u64;
    /// One message from A's send to its delivery by B (the latency path
    /// only; call [`settle`](Self::settle) after it, untimed).
    fn one_way(&mut self);
    /// Moves what is left (acknowledgements, due timers) until quiet.
    fn settle(&mut self);
    /// Writes `count` RTP packets on A's video sender and moves datagrams
    /// until B read them all; returns the packets delivered.
    fn send_rtp(&mut self, count: u64) -> u64;
}

/// The three stacks' setups, made once (certificates, crypto providers):
/// `connect` on each is the measured "offer → connected".
pub struct PeerSetups {
    /// zerortc's certificates.
    pub zerortc: crate::ops::PeerCertificates,
    /// str0m's certificates and crypto provider.
    pub str0m: str0m::Str0mSetup,
    /// webrtc-rs's certificates and crypto provider.
    pub rtc: rtc::RtcSetup,
}

/// Stack names, in the order of [`PeerSetups::connect`].
pub const PEER_STACKS: [&str; 3] = ["zerortc", "str0m", "rtc"];

impl PeerSetups {
    /// Certificates and providers for all three stacks.
    pub fn new() -> Self {
        Self {
            zerortc: crate::ops::PeerCertificates::new().expect("zerortc certificates"),
            str0m: str0m::Str0mSetup::new(),
            rtc: rtc::RtcSetup::new(),
        }
    }

    /// Connects a pair of stack `stack` (an index into [`PEER_STACKS`]).
    pub fn connect(&self, stack: usize, case: PeerCase) -> Box<dyn PeerWorkload> {
        match stack {
            0 => Box::new(zerortc::connect(case, &self.zerortc)),
            1 => Box::new(str0m::Str0mPair::connect(case, &self.str0m)),
            _ => Box::new(rtc::RtcPair::connect(case, &self.rtc)),
        }
    }
}

impl Default for PeerSetups {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every stack connects in both cases, moves messages of every size
    /// (each byte counted), one-way messages and RTP packets.
    #[test]
    fn every_stack_runs_every_workload() {
        let setups = PeerSetups::new();
        for (stack, name) in PEER_STACKS.iter().enumerate() {
            for case in PeerCase::ALL {
                drop(setups.connect(stack, case));
            }
            let mut pair = setups.connect(stack, PeerCase::Data);
            for (_, size) in PEER_MESSAGE_SIZES {
                pair.set_message_size(size);
                assert_eq!(pair.transfer(50), 50 * size as u64, "{name} {size}");
            }
            pair.set_message_size(1024);
            for _ in 0..10 {
                pair.one_way();
                pair.settle();
            }
            let mut media = setups.connect(stack, PeerCase::AudioVideo);
            assert_eq!(media.send_rtp(200), 200, "{name}");
            assert_eq!(media.send_rtp(200), 200, "{name}");
        }
    }
}
