//! The W3C state machines of a peer connection: signaling (RFC 8829 §3.2,
//! W3C webrtc-pc §4.3.1), ICE gathering, ICE connection, DTLS transport and
//! the aggregated connection state (webrtc-pc §4.3.3).

use crate::ice::{IceConnectionState, IceGatheringState};

/// The signaling state (W3C `RTCSignalingState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCSignalingState {
    /// No offer/answer exchange in progress.
    Stable,
    /// A local offer was applied.
    HaveLocalOffer,
    /// A remote offer was applied.
    HaveRemoteOffer,
    /// A remote offer and a local provisional answer were applied.
    HaveLocalPranswer,
    /// A local offer and a remote provisional answer were applied.
    HaveRemotePranswer,
    /// The connection is closed.
    Closed,
}

/// The ICE gathering state (W3C `RTCIceGatheringState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCIceGatheringState {
    /// Nothing gathered yet.
    New,
    /// Gathering candidates.
    Gathering,
    /// Every candidate is known.
    Complete,
}

impl From<IceGatheringState> for RTCIceGatheringState {
    fn from(s: IceGatheringState) -> Self {
        match s {
            IceGatheringState::New => Self::New,
            IceGatheringState::Gathering => Self::Gathering,
            IceGatheringState::Complete => Self::Complete,
        }
    }
}

/// The ICE connection state (W3C `RTCIceConnectionState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCIceConnectionState {
    /// Waiting for candidates.
    New,
    /// Checking candidate pairs.
    Checking,
    /// A usable pair is selected.
    Connected,
    /// Checks are over and a pair is selected.
    Completed,
    /// Consent was not refreshed for a while.
    Disconnected,
    /// Every pair failed, or consent expired.
    Failed,
    /// The connection is closed.
    Closed,
}

impl From<IceConnectionState> for RTCIceConnectionState {
    fn from(s: IceConnectionState) -> Self {
        match s {
            IceConnectionState::New => Self::New,
            IceConnectionState::Checking => Self::Checking,
            IceConnectionState::Connected => Self::Connected,
            IceConnectionState::Completed => Self::Completed,
            IceConnectionState::Disconnected => Self::Disconnected,
            IceConnectionState::Failed => Self::Failed,
            IceConnectionState::Closed => Self::Closed,
        }
    }
}

/// The DTLS transport state (W3C `RTCDtlsTransportState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCDtlsTransportState {
    /// The handshake has not started.
    New,
    /// The handshake is under way.
    Connecting,
    /// The handshake completed and the peer's fingerprint matched.
    Connected,
    /// Closed by either side (close_notify).
    Closed,
    /// The handshake failed (fingerprint mismatch, alert, timeout).
    Failed,
}

/// The connection state (W3C `RTCPeerConnectionState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RTCPeerConnectionState {
    /// Nothing started.
    New,
    /// ICE or DTLS under way.
    Connecting,
    /// ICE and DTLS up.
    Connected,
    /// ICE lost consent for a while.
    Disconnected,
    /// ICE or DTLS failed.
    Failed,
    /// [`super::RTCPeerConnection::close`] was called.
    Closed,
}

/// The aggregated connection state of webrtc-pc §4.3.3 for one (bundled)
/// transport.
pub(crate) fn connection_state(
    closed: bool,
    ice: RTCIceConnectionState,
    dtls: RTCDtlsTransportState,
) -> RTCPeerConnectionState {
    use RTCDtlsTransportState as D;
    use RTCIceConnectionState as I;
    if closed {
        return RTCPeerConnectionState::Closed;
    }
    if ice == I::Failed || dtls == D::Failed {
        return RTCPeerConnectionState::Failed;
    }
    if ice == I::Disconnected {
        return RTCPeerConnectionState::Disconnected;
    }
    if matches!(ice, I::New | I::Closed) && matches!(dtls, D::New | D::Closed) {
        return RTCPeerConnectionState::New;
    }
    if matches!(ice, I::New | I::Checking) || matches!(dtls, D::New | D::Connecting) {
        return RTCPeerConnectionState::Connecting;
    }
    RTCPeerConnectionState::Connected
}

#[cfg(test)]
mod tests {
    use super::*;
    use RTCDtlsTransportState as D;
    use RTCIceConnectionState as I;
    use RTCPeerConnectionState as P;

    #[test]
    fn aggregation_follows_webrtc_pc() {
        assert_eq!(
            connection_state(true, I::Connected, D::Connected),
            P::Closed
        );
        assert_eq!(connection_state(false, I::New, D::New), P::New);
        assert_eq!(connection_state(false, I::Checking, D::New), P::Connecting);
        assert_eq!(connection_state(false, I::Connected, D::New), P::Connecting);
        assert_eq!(
            connection_state(false, I::Connected, D::Connecting),
            P::Connecting
        );
        assert_eq!(
            connection_state(false, I::Connected, D::Connected),
            P::Connected
        );
        assert_eq!(
            connection_state(false, I::Completed, D::Connected),
            P::Connected
        );
        assert_eq!(
            connection_state(false, I::Disconnected, D::Connected),
            P::Disconnected
        );
        assert_eq!(connection_state(false, I::Failed, D::Connected), P::Failed);
        assert_eq!(connection_state(false, I::Connected, D::Failed), P::Failed);
        assert_eq!(
            connection_state(false, I::Connected, D::Closed),
            P::Connected
        );
        assert_eq!(connection_state(false, I::Closed, D::Closed), P::New);
    }
}
