//! [`RTCConfiguration`]: what a peer connection is created with (W3C
//! `RTCConfiguration`, plus the knobs a sans-I/O stack needs: RNG seed,
//! MTU, SCTP limits, local candidate filter).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use crate::crypto::Certificate;
use crate::ice::CandidateFilter;

use super::PeerError;

/// A STUN or TURN server (W3C `RTCIceServer`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RTCIceServer {
    /// `stun:` / `turn:` URLs. A sans-I/O stack resolves no names: STUN
    /// hosts must be IP literals (`stun:192.0.2.1:3478`,
    /// `stun:[2001:db8::1]`). `turn:`/`turns:` URLs are accepted and not
    /// used yet (the ICE layer has no TURN client).
    pub urls: Vec<String>,
    /// TURN username.
    pub username: String,
    /// TURN credential.
    pub credential: String,
}

/// Bundle policy (W3C `RTCBundlePolicy`, RFC 8829 §4.1.1): what to do
/// when the peer does not bundle every m-line (RFC 8843).
///
/// zerortc runs one ICE/DTLS transport per connection. Under every policy
/// an offer puts all its m-lines in one `a=group:BUNDLE` and gives each
/// its own port 9 and ICE/DTLS attributes, as Chromium and Firefox write
/// them under their default policies (neither writes `a=bundle-only`,
/// which RFC 8829 §5.2.1 asks of balanced and max-bundle initial offers:
/// the shape browsers send is the one answerers are known to take). An
/// answer takes the peer's BUNDLE group (the first one) as it is. The
/// policies differ when the peer leaves an m-line out of the bundle:
///
/// - an answer that accepts m-lines outside the offer's BUNDLE group:
///   under [`MaxBundle`](Self::MaxBundle) only the bundled ones (or, with
///   no group, the first) are used and the others are treated as rejected
///   (RFC 8829 §4.1.1: "only a single media stream" with a peer that is
///   not BUNDLE-aware); under [`Balanced`](Self::Balanced) and
///   [`MaxCompat`](Self::MaxCompat) they would each need their own
///   transport, which zerortc does not run: the answer is refused with
///   [`super::PeerError::UnbundledTransport`] and nothing changes (roll
///   the offer back, or offer again);
/// - an offer with m-lines outside its BUNDLE group: under every policy
///   our answer rejects them (port 0), which RFC 3264 allows.
///
/// `Default` is max-bundle (the W3C default is balanced), as one
/// transport is what zerortc runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RTCBundlePolicy {
    /// Negotiate one transport per media type with a peer that does not
    /// bundle (W3C `balanced`).
    Balanced,
    /// One transport per m-line with a peer that does not bundle (W3C
    /// `max-compat`).
    MaxCompat,
    /// One transport for everything (W3C `max-bundle`).
    #[default]
    MaxBundle,
}

/// RTCP multiplexing policy (W3C `RTCRtcpMuxPolicy`). Only `require`:
/// RTP and RTCP share the 5-tuple (RFC 5761, RFC 8829 §4.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum RTCRtcpMuxPolicy {
    /// RTCP on the RTP 5-tuple; a description without `a=rtcp-mux` is
    /// refused.
    #[default]
    Require,
}

/// Limits of the SCTP association under the data channels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SctpLimits {
    /// Largest message we accept, announced as `a=max-message-size`
    /// (RFC 8841 §6). Default 256 KiB.
    pub max_message_size: usize,
    /// Receive window in bytes. Default 1 MiB.
    pub receive_window: u32,
    /// Most bytes queued for sending on all channels. Default 16 MiB.
    pub send_buffer_limit: usize,
    /// Streams offered each way. Default 1024 (as browsers).
    pub streams: u16,
}

impl Default for SctpLimits {
    fn default() -> Self {
        Self {
            max_message_size: 256 * 1024,
            receive_window: 1024 * 1024,
            send_buffer_limit: 16 * 1024 * 1024,
            streams: 1024,
        }
    }
}

/// The configuration of a peer connection. `Default` gives max-bundle,
/// rtcp-mux require, a generated certificate, every address, an RNG seeded
/// from the operating system, 1200-byte datagrams and default SCTP limits.
#[derive(Debug, Clone)]
pub struct RTCConfiguration {
    /// STUN (and, later, TURN) servers.
    pub ice_servers: Vec<RTCIceServer>,
    /// Bundle policy.
    pub bundle_policy: RTCBundlePolicy,
    /// RTCP multiplexing policy.
    pub rtcp_mux_policy: RTCRtcpMuxPolicy,
    /// Our DTLS certificate(s); the first is used. Empty: one is generated
    /// (ECDSA P-256; from the RNG seed when one is given, so seeded runs
    /// are reproducible).
    pub certificates: Vec<Arc<Certificate>>,
    /// Which addresses to use, locally and remotely.
    pub candidate_filter: CandidateFilter,
    /// Seed of every random choice (ICE credentials and transaction ids,
    /// DTLS randoms and keys, SSRCs, SCTP tags). `None`: from the operating
    /// system. Give a constant in tests and benchmarks only.
    pub rng_seed: Option<u64>,
    /// Largest UDP payload we send (DTLS flights, SCTP packets sealed in
    /// DTLS). Default 1200, safe on any path; at least 576.
    pub mtu: usize,
    /// SCTP limits.
    pub sctp: SctpLimits,
}

impl Default for RTCConfiguration {
    fn default() -> Self {
        Self {
            ice_servers: Vec::new(),
            bundle_policy: RTCBundlePolicy::MaxBundle,
            rtcp_mux_policy: RTCRtcpMuxPolicy::Require,
            certificates: Vec::new(),
            candidate_filter: CandidateFilter::All,
            rng_seed: None,
            mtu: 1200,
            sctp: SctpLimits::default(),
        }
    }
}

impl RTCConfiguration {
    /// The STUN servers of [`RTCConfiguration::ice_servers`].
    ///
    /// # Errors
    /// [`PeerError::InvalidConfiguration`] for a URL that is neither
    /// `stun:`/`stuns:` with an IP literal nor `turn:`/`turns:`.
    pub(crate) fn stun_servers(&self) -> Result<Vec<SocketAddr>, PeerError> {
        let mut out = Vec::new();
        for url in self.ice_servers.iter().flat_map(|s| &s.urls) {
            if url.starts_with("turn:") || url.starts_with("turns:") {
                continue;
            }
            let rest = url
                .strip_prefix("stun:")
                .or_else(|| url.strip_prefix("stuns:"))
                .ok_or(PeerError::InvalidConfiguration("ICE server URL scheme"))?;
            let rest = rest.split('?').next().unwrap_or_default();
            out.push(parse_host_port(rest).ok_or(PeerError::InvalidConfiguration(
                "STUN server must be an IP literal (a sans-I/O stack resolves no names)",
            ))?);
        }
        Ok(out)
    }

    pub(crate) fn validate(&self) -> Result<(), PeerError> {
        if !(576..=65_507).contains(&self.mtu) {
            return Err(PeerError::InvalidConfiguration("mtu must be 576..=65507"));
        }
        if self.sctp.streams == 0 || self.sctp.max_message_size == 0 {
            return Err(PeerError::InvalidConfiguration("SCTP limits"));
        }
        self.stun_servers().map(|_| ())
    }
}

/// `host[:port]` with an IP literal host (IPv6 in brackets), port 3478 by
/// default (RFC 7064).
fn parse_host_port(text: &str) -> Option<SocketAddr> {
    if let Ok(addr) = text.parse::<SocketAddr>() {
        return Some(addr);
    }
    let host = text.strip_prefix('[').and_then(|h| h.strip_suffix(']'));
    let ip: IpAddr = host.unwrap_or(text).parse().ok()?;
    Some(SocketAddr::new(ip, 3478))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_urls(urls: &[&str]) -> RTCConfiguration {
        RTCConfiguration {
            ice_servers: vec![RTCIceServer {
                urls: urls.iter().map(ToString::to_string).collect(),
                ..RTCIceServer::default()
            }],
            ..RTCConfiguration::default()
        }
    }

    #[test]
    fn stun_urls() {
        let c = with_urls(&[
            "stun:192.0.2.1:3479",
            "stun:192.0.2.2",
            "stun:[2001:db8::1]",
            "stun:[2001:db8::2]:5000?transport=udp",
            "turn:turn.example.org",
        ]);
        let servers = c.stun_servers().unwrap();
        assert_eq!(
            servers,
            [
                "192.0.2.1:3479".parse().unwrap(),
                "192.0.2.2:3478".parse().unwrap(),
                "[2001:db8::1]:3478".parse().unwrap(),
                "[2001:db8::2]:5000".parse().unwrap(),
            ]
        );
        assert!(with_urls(&["stun:stun.example.org"]).validate().is_err());
        assert!(with_urls(&["http://x"]).validate().is_err());
        assert!(RTCConfiguration::default().validate().is_ok());
        let small = RTCConfiguration {
            mtu: 100,
            ..RTCConfiguration::default()
        };
        assert!(small.validate().is_err());
    }
}
