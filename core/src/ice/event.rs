//! What the agent tells the application: events, packets to send, and
//! counters.

use std::net::SocketAddr;

use super::candidate::Candidate;

/// ICE connection state (W3C `RTCIceConnectionState`, RFC 8445 §6.1.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceConnectionState {
    /// Nothing happened yet.
    New,
    /// Checks are running, no pair selected yet.
    Checking,
    /// A pair is selected and has consent.
    Connected,
    /// A pair is selected and no checks are left to run.
    Completed,
    /// The selected pair has not had a consent response for a while.
    Disconnected,
    /// Every pair failed, or consent expired.
    Failed,
    /// [`super::IceAgent::close`] was called.
    Closed,
}

/// ICE gathering state (W3C `RTCIceGatheringState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceGatheringState {
    /// Not started.
    New,
    /// Server-reflexive requests are out.
    Gathering,
    /// Every candidate is known (end-of-candidates).
    Complete,
}

/// An event for the application. New variants may come (relay, ICE-TCP),
/// so matches need a wildcard arm.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum IceEvent {
    /// A local candidate to signal to the peer (trickle, RFC 8838).
    LocalCandidate(Candidate),
    /// All local candidates are known: signal `a=end-of-candidates`.
    EndOfLocalCandidates,
    /// The gathering state changed.
    GatheringStateChange(IceGatheringState),
    /// The connection state changed.
    ConnectionStateChange(IceConnectionState),
    /// The pair that carries data changed.
    SelectedPairChange {
        /// The local base address.
        local: SocketAddr,
        /// The remote address.
        remote: SocketAddr,
    },
    /// The role changed after a role conflict (RFC 8445 §7.3.1.1).
    RoleChange(super::IceRole),
}

/// A datagram to send: `len` bytes written at the start of the buffer
/// given to [`super::IceAgent::poll_transmit`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Transmit {
    /// Send from this local address (a host candidate's base).
    pub source: SocketAddr,
    /// To this address.
    pub destination: SocketAddr,
    /// Bytes written into the caller's buffer.
    pub len: usize,
}

/// Counters of what the agent did and dropped.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct IceStats {
    /// Connectivity check requests sent (first transmissions).
    pub checks_sent: u64,
    /// Retransmissions of requests.
    pub retransmissions: u64,
    /// Check requests received and answered with success.
    pub checks_answered: u64,
    /// Consent requests sent.
    pub consent_checks_sent: u64,
    /// Success responses accepted.
    pub responses_received: u64,
    /// Role conflicts seen (487 sent or received, or role switched).
    pub role_conflicts: u64,
    /// Datagrams that were not valid STUN (malformed, bad fingerprint).
    pub dropped_malformed: u64,
    /// Requests whose USERNAME does not match our credentials.
    pub dropped_bad_username: u64,
    /// Messages whose MESSAGE-INTEGRITY did not verify.
    pub dropped_bad_integrity: u64,
    /// Responses that match no transaction, or come from another address.
    pub dropped_unknown_transaction: u64,
    /// STUN on a local address the agent does not have.
    pub dropped_unknown_local: u64,
    /// Indications and other classes the agent ignores.
    pub dropped_other: u64,
    /// Remote candidates ignored (TCP, unresolved hostname, filtered,
    /// other component, other ufrag).
    pub ignored_remote_candidates: u64,
    /// 420 responses sent for unknown comprehension-required attributes.
    pub unknown_attribute_responses: u64,
}
