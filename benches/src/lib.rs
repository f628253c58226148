//! Shared inputs and operations for the zerortc benchmark suites.
//!
//! Every lab tool measures the same work on the same bytes: the criterion
//! suites (`benches/rtp.rs`, `benches/rtcp.rs`), the gungraun instruction
//! counts (`benches/*_ir.rs`), the dhat allocation tests (`allocs/`) and the
//! flamegraph loops (`profiles/`) all take their packets from
//! [`rtp_inputs`] / [`rtcp_inputs`] / [`stun_inputs`] and call the
//! operations in [`ops`].

#[cfg(feature = "backends")]
pub mod backends;
pub mod dtls_inputs;
pub mod ops;
#[cfg(feature = "peers")]
pub mod peers_dtls;
#[cfg(feature = "peers")]
pub mod peers_peer;
#[cfg(feature = "peers")]
pub mod peers_sctp;
#[cfg(feature = "peers")]
pub mod peers_srtp;
pub mod rtcp_inputs;
pub mod rtp_inputs;
pub mod sdp_inputs;
#[cfg(feature = "backends")]
pub mod signing;
pub mod stun_inputs;

pub use dtls_inputs::{DTLS_SUITES, DtlsCertificates, dtls_payloads};
pub use rtcp_inputs::rtcp_inputs;
pub use rtp_inputs::rtp_inputs;
pub use sdp_inputs::sdp_inputs;
pub use stun_inputs::stun_inputs;
