//! Configuration of the ICE agent: role, mode, credentials, timers.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

use rand_core::RngCore;

/// Full or lite implementation (RFC 8445 §2.5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceMode {
    /// Full: gathers, sends checks, nominates when controlling.
    Full,
    /// Lite: host candidates only, answers checks, never sends them; always
    /// controlled when the peer is full (§6.1.1).
    Lite,
}

/// The ICE role (RFC 8445 §6.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IceRole {
    /// Nominates the pair (the offerer, unless it is lite).
    Controlling,
    /// Follows the controlling agent's nomination.
    Controlled,
}

/// Which addresses the agent uses, locally and remotely: a candidate whose
/// IP does not pass is ignored (counted in [`super::IceStats`]).
#[derive(Debug, Clone, Copy, Default)]
pub enum CandidateFilter {
    /// Every address.
    #[default]
    All,
    /// 127.0.0.0/8 and ::1 only (tests against browsers on this machine).
    LoopbackOnly,
    /// A predicate of the application's.
    Custom(fn(IpAddr) -> bool),
}

impl CandidateFilter {
    /// Whether `ip` passes.
    pub fn accepts(&self, ip: IpAddr) -> bool {
        match self {
            CandidateFilter::All => true,
            CandidateFilter::LoopbackOnly => ip.is_loopback(),
            CandidateFilter::Custom(f) => f(ip),
        }
    }
}

/// ICE username fragment and password (RFC 8445 §5.3, RFC 8839 §5.4).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IceCredentials {
    /// `ice-ufrag`: 4 to 256 ice-chars.
    pub ufrag: String,
    /// `ice-pwd`: 22 to 256 ice-chars.
    pub pwd: String,
}

const ICE_CHARS: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

impl IceCredentials {
    /// Random credentials: an 8-char ufrag (48 bits) and a 24-char
    /// password (144 bits), as ice-chars.
    pub fn random(rng: &mut impl RngCore) -> IceCredentials {
        let mut chars = |n: usize| -> String {
            (0..n)
                .map(|_| {
                    let i = (rng.next_u32() & 63) as usize;
                    char::from(ICE_CHARS.get(i).copied().unwrap_or(b'A'))
                })
                .collect()
        };
        IceCredentials {
            ufrag: chars(8),
            pwd: chars(24),
        }
    }

    /// Whether the lengths and characters follow RFC 8839 §5.4.
    pub fn is_valid(&self) -> bool {
        let ice = |s: &str| s.bytes().all(|b| ICE_CHARS.contains(&b));
        (4..=256).contains(&self.ufrag.len())
            && (22..=256).contains(&self.pwd.len())
            && ice(&self.ufrag)
            && ice(&self.pwd)
    }
}

/// Everything the agent needs to start. [`IceConfig::new`] gives the
/// defaults listed on each field.
#[derive(Debug, Clone)]
pub struct IceConfig {
    /// Full or lite. Default full.
    pub mode: IceMode,
    /// The starting role. Default controlling.
    pub role: IceRole,
    /// Local credentials; `None` draws random ones from the agent's RNG.
    pub local_credentials: Option<IceCredentials>,
    /// STUN servers to gather server-reflexive candidates from.
    pub stun_servers: Vec<SocketAddr>,
    /// Which addresses to use, locally and remotely. Default all.
    pub filter: CandidateFilter,
    /// Seed of the agent's RNG (tie-breaker, transaction ids, random
    /// credentials, consent jitter). Give it from OS entropy in production,
    /// a constant in tests.
    pub rng_seed: u64,
    /// Pacing of new checks, Ta (RFC 8445 §14.2). Default 50 ms.
    pub ta: Duration,
    /// Lower bound of the first retransmission timeout, which is then
    /// doubled at each retransmission (RFC 8489 §6.2.1). RFC 8445 §14.3:
    /// a check starts at `max(initial_rto, Ta × (Waiting + In-Progress
    /// pairs))`, a gathering request at `max(initial_rto, Ta × number of
    /// gathering requests)`, a consent request at `initial_rto`. Default
    /// 500 ms (the floor of RFC 8445 §14.3).
    pub initial_rto: Duration,
    /// Longest retransmission timeout. Default 3 s.
    pub max_rto: Duration,
    /// Transmissions of one request before it times out. Default 7
    /// (RFC 8489's Rc).
    pub max_transmissions: u32,
    /// How long the controlling agent waits after the first valid pair for
    /// a better one before it nominates. Default 500 ms.
    pub nomination_delay: Duration,
    /// Interval of consent checks on the selected pair, randomized by
    /// ±20 % (RFC 7675 §5.1: 4 to 6 s). Default 5 s.
    pub consent_interval: Duration,
    /// Without a consent response for this long (counted from the last
    /// response), the state goes to disconnected. Default 8 s: longer than
    /// the longest consent interval (6 s) plus retransmissions, so one
    /// lost response does not flap the state.
    pub disconnected_timeout: Duration,
    /// Without a consent response for this long, consent is lost and the
    /// state goes to failed (RFC 7675 §5.1: 30 s).
    pub consent_timeout: Duration,
    /// When every pair has failed and the peer has not signalled
    /// end-of-candidates (RFC 8838 §4.4), how long to wait for more remote
    /// candidates before the state goes to failed; a new candidate
    /// restarts the wait. With end-of-candidates the agent fails at once.
    /// Default 10 s.
    pub end_of_candidates_timeout: Duration,
}

impl IceConfig {
    /// The defaults: full, controlling, random credentials, no STUN server,
    /// every address, Ta 50 ms, RTO at least 500 ms (RFC 8445 §14.3)
    /// doubling to 3 s, 7 transmissions, nomination after 500 ms, consent
    /// every 5 s, disconnected after 8 s and failed after 30 s without a
    /// response, failure 10 s after the last pair failed when the peer
    /// signals no end-of-candidates.
    pub fn new(rng_seed: u64) -> IceConfig {
        IceConfig {
            mode: IceMode::Full,
            role: IceRole::Controlling,
            local_credentials: None,
            stun_servers: Vec::new(),
            filter: CandidateFilter::All,
            rng_seed,
            ta: Duration::from_millis(50),
            initial_rto: Duration::from_millis(500),
            max_rto: Duration::from_secs(3),
            max_transmissions: 7,
            nomination_delay: Duration::from_millis(500),
            consent_interval: Duration::from_secs(5),
            disconnected_timeout: Duration::from_secs(8),
            consent_timeout: Duration::from_secs(30),
            end_of_candidates_timeout: Duration::from_secs(10),
        }
    }
}
