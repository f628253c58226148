//! ICE (RFC 8445) with trickle (RFC 8838) and consent freshness (RFC
//! 7675): candidates and their SDP form (RFC 8839 §5.1, `tcptype` of RFC
//! 6544, Chromium's `generation`, `ufrag`, `network-id`, `network-cost`),
//! priorities and foundations, and the sans-I/O agent.
//!
//! What this layer owns:
//!
//! - [`Candidate`]: parse and format `candidate:` attributes as browsers
//!   write them; `.local` (mDNS) hostnames are kept unresolved
//!   ([`CandidateAddress::Hostname`]); unknown extension pairs are kept.
//! - [`candidate_priority`] (RFC 8445 §5.1.2.1), [`tcp_local_preference`]
//!   (RFC 6544 §4.2), [`address_local_preference`] (IPv6 first, RFC 8421),
//!   [`foundation`] (§5.1.1.3), [`pair_priority`] (§6.1.2.3).
//! - [`IceAgent`], sans-I/O (`handle_packet`, `poll_transmit`,
//!   `poll_event`, `poll_timeout`/`handle_timeout`, `now` always passed
//!   in, randomness from a seeded ChaCha20 RNG):
//!   - full and lite modes ([`IceMode`]), controlling and controlled
//!     ([`IceRole`]); a lite agent is always controlled;
//!   - local host candidates given by the application, through a
//!     [`CandidateFilter`] (e.g. loopback only) that also applies to remote
//!     candidates; server-reflexive candidates gathered from the configured
//!     STUN servers (signalled, not paired: their base is paired already);
//!     gathering states and end-of-candidates;
//!   - remote candidates from SDP or trickle in any order, with
//!     end-of-candidates; peer-reflexive remote candidates learned from
//!     checks; TCP candidates and unresolved `.local` names are ignored and
//!     counted (a UDP-only agent);
//!   - pair formation (same family, deduplicated, at most 100), frozen /
//!     waiting per foundation, unfreezing on success, the checklist paced
//!     at Ta, triggered checks, retransmissions with the first RTO of RFC
//!     8445 §14.3 (checks: `max(500 ms, Ta × (Waiting + In-Progress
//!     pairs))`, so every pair is tried once before any retransmission;
//!     gathering: `max(500 ms, Ta × requests)`; consent: 500 ms) doubling
//!     up to `max_rto`, pair failure on timeout;
//!   - failure of the checklist once every pair has failed and our
//!     gathering is complete: at once when the peer signalled
//!     end-of-candidates, otherwise after
//!     [`IceConfig::end_of_candidates_timeout`] (10 s) without a new
//!     remote candidate (a trickled candidate restarts the wait);
//!   - role conflicts (487 both ways, §7.2.5.1 and §7.3.1.1);
//!   - regular nomination by the controlling side (USE-CANDIDATE on a
//!     valid pair once no better pair is pending, or after
//!     `nomination_delay`); the controlled side also accepts aggressive
//!     nomination (USE-CANDIDATE on the first check, as Firefox does) and
//!     selects the highest-priority nominated pair;
//!   - consent freshness on the selected pair (RFC 7675: requests every
//!     5 s ± 20 %, disconnected after `disconnected_timeout` and failed
//!     after 30 s without a response; sending stops on failure);
//!   - ICE restart with new credentials, keeping the selected pair until
//!     the new generation nominates;
//!   - connection states new / checking / connected / completed /
//!     disconnected / failed / closed, selected-pair and role events;
//!   - bad input (not STUN, bad fingerprint, wrong USERNAME, bad
//!     MESSAGE-INTEGRITY, unknown transaction, unknown local address)
//!     dropped and counted in [`IceStats`], never changing state; unknown
//!     comprehension-required attributes answered with 420.
//!
//! A lite agent (RFC 8445 §2.5) is always controlled and sends no
//! request at all: it answers checks, learns peer-reflexive candidates,
//! selects the highest-priority pair the peer nominated (USE-CANDIDATE)
//! and is then completed at once; the peer's checks on the selected pair
//! are its consent (disconnected after `disconnected_timeout`, failed after
//! `consent_timeout` without one). It never fails before a pair is
//! selected: with nothing to check it cannot tell a slow peer from a dead
//! one, so the application bounds the setup time.
//!
//! Not done yet: relay candidates (TURN client), ICE-TCP (RFC 6544
//! framing), mDNS resolution of `.local` candidates, more than one
//! component (everything is rtcp-muxed and bundled), the full agent's
//! consent-failure recovery by re-checking other valid pairs (it goes to
//! failed; [`IceAgent::restart`] recovers), and RTO estimates from
//! measured round trips (RFC 8489 §6.2.1 allows them; the RFC 8445
//! formula is used). Failed is final until [`IceAgent::restart`].
//! Allocations: the checklist and queues are
//! `Vec`/`VecDeque` that grow while candidates are added and are reused
//! afterwards; STUN messages are written into the caller's buffer.
//!
//! STUN messages themselves are in [`crate::stun`].

mod agent;
mod candidate;
mod checklist;
mod config;
mod error;
mod event;
mod inbound;
mod outbound;
mod priority;

pub use agent::{IceAgent, IceError, PairInfo};
pub use checklist::PairState;
pub use config::{CandidateFilter, IceConfig, IceCredentials, IceMode, IceRole};
pub use event::{IceConnectionState, IceEvent, IceGatheringState, IceStats, Transmit};

pub use candidate::{
    Candidate, CandidateAddress, CandidateType, MAX_FOUNDATION_LEN, TcpType, TransportProtocol,
};
pub use error::CandidateError;
pub use priority::{
    DEFAULT_LOCAL_PREFERENCE, address_local_preference, candidate_priority, foundation,
    pair_priority, tcp_local_preference,
};
