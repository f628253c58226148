//! zerortc: a sans-I/O WebRTC stack, built performance-first.
//!
//! Every layer is a pure state machine or wire format: time and packets are
//! passed in, nothing inside reads a clock, opens a socket or spawns a thread.
//! Layers (see `DESIGN.md`): wire formats ([`rtp`], [`rtcp`], [`stun`]) come
//! first; [`crypto`] is the one place that calls cipher crates, used by
//! [`srtp`] and [`dtls`]; the ICE agent ([`ice`]) builds on STUN; [`sctp`] and
//! [`datachannel`] carry data channels; the peer-connection layer comes next.
//!
//! Parsers never panic on bytes from the network: malformed input yields a
//! typed error. The crate forbids `unsafe` and, outside tests, denies
//! `unwrap`, `expect`, `panic!` and slice indexing that could panic.
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]
#![warn(missing_docs)]

pub mod crypto;
pub mod datachannel;
pub mod dtls;
pub mod ice;
pub mod rtcp;
pub mod rtp;
pub mod sctp;
pub mod sdp;
pub mod srtp;
pub mod stun;
