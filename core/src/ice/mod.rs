//! ICE (RFC 8445): candidates, their SDP form (RFC 8839 §5.1, with the
//! `tcptype` of RFC 6544 and Chromium's `generation`, `ufrag`,
//! `network-id`, `network-cost`), priorities and foundations.
//!
//! What this layer owns so far:
//!
//! - [`Candidate`]: parse and format `candidate:` attributes as browsers
//!   write them; `.local` (mDNS) hostnames are kept unresolved
//!   ([`CandidateAddress::Hostname`]); unknown extension pairs are kept.
//! - [`candidate_priority`] (RFC 8445 §5.1.2.1), [`tcp_local_preference`]
//!   (RFC 6544 §4.2), [`address_local_preference`] (RFC 8421 ordering),
//!   [`foundation`] (§5.1.1.3), [`pair_priority`] (§6.1.2.3).
//!
//! Candidate and transport types already distinguish UDP/TCP
//! ([`TransportProtocol`], [`TcpType`]), relayed candidates
//! ([`CandidateType::Relayed`], related address) and hostnames, so relay
//! (TURN), ICE-TCP and mDNS resolution slot in without reshaping them.
//!
//! STUN messages themselves are in [`crate::stun`].

mod candidate;
mod error;
mod priority;

pub use candidate::{
    Candidate, CandidateAddress, CandidateType, MAX_FOUNDATION_LEN, TcpType, TransportProtocol,
};
pub use error::CandidateError;
pub use priority::{
    DEFAULT_LOCAL_PREFERENCE, address_local_preference, candidate_priority, foundation,
    pair_priority, tcp_local_preference,
};
