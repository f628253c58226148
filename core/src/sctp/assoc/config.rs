//! Configuration of an [`Association`](super::Association).

use std::time::Duration;

/// Settings of one association. `Default` gives the values WebRTC uses:
/// ports 5000, 1200-byte packets, 256 KiB messages, 65 535 streams.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Local SCTP port (5000 for data channels, RFC 8841 `a=sctp-port`).
    pub local_port: u16,
    /// Remote SCTP port.
    pub remote_port: u16,
    /// Largest SCTP packet this association sends (the DTLS record
    /// payload the path allows). At least 256.
    pub mtu: usize,
    /// Largest user message accepted by `send` and by reassembly
    /// (`a=max-message-size`, RFC 8841).
    pub max_message_size: usize,
    /// Receive buffer, advertised as a_rwnd (bytes held out of order or
    /// waiting in the event queue count against it).
    pub receive_window: u32,
    /// Most bytes queued for sending (unsent plus unacknowledged); `send`
    /// fails with `SendBufferFull` beyond it.
    pub send_buffer_limit: usize,
    /// Streams offered in each direction (the lower of both sides' counts
    /// is used).
    pub streams: u16,
    /// Initial RTO (RFC 9260 RTO.Initial; 1 s as in RFC 6298).
    pub rto_initial: Duration,
    /// Lower bound of the RTO (RTO.Min).
    pub rto_min: Duration,
    /// Upper bound of the RTO (RTO.Max).
    pub rto_max: Duration,
    /// INIT / COOKIE-ECHO retransmissions before giving up (Max.Init.Retransmits).
    pub max_init_retransmits: u32,
    /// Consecutive unanswered retransmission timeouts and heartbeats before
    /// the association is declared dead (Association.Max.Retrans).
    pub max_retransmits: u32,
    /// Delayed SACK timer (RFC 9260 §6.2: at most 500 ms; 200 ms usual).
    pub delayed_ack: Duration,
    /// Heartbeat interval while idle (HB.interval).
    pub heartbeat_interval: Duration,
    /// Lifetime of a state cookie (Valid.Cookie.Life).
    pub cookie_lifetime: Duration,
    /// Offer "zero checksum acceptable" with the DTLS method (RFC 9653):
    /// set when SCTP runs over DTLS. Zero checksums are then accepted, and
    /// sent once the peer offers it too.
    pub zero_checksum: bool,
    /// Offer I-DATA and I-FORWARD-TSN (RFC 8260). Used when the peer
    /// offers them too; browsers do not by default, so neither do we.
    pub interleaving: bool,
    /// Seed of the association's random numbers (verification tag,
    /// initial TSN, cookie key). Use a fresh random value in production.
    pub seed: u64,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            local_port: 5000,
            remote_port: 5000,
            mtu: 1200,
            max_message_size: 256 * 1024,
            receive_window: 1024 * 1024,
            send_buffer_limit: 16 * 1024 * 1024,
            streams: u16::MAX,
            rto_initial: Duration::from_secs(1),
            rto_min: Duration::from_millis(200),
            rto_max: Duration::from_secs(60),
            max_init_retransmits: 8,
            max_retransmits: 10,
            delayed_ack: Duration::from_millis(200),
            heartbeat_interval: Duration::from_secs(30),
            cookie_lifetime: Duration::from_secs(60),
            zero_checksum: false,
            interleaving: false,
            seed: 0x5EED_5C79,
        }
    }
}
