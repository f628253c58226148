//! Interop tests against real peers that nobody here wrote, started by the
//! tests themselves on loopback only (see `shared/INTEROP.md`):
//!
//! - `tests/dtls_openssl.rs`: OpenSSL's `s_server`/`s_client -dtls1_2` in
//!   both roles, every cipher suite and SRTP profile, keying material equal
//!   to OpenSSL's, wrong fingerprints refused.
//! - `tests/dtls_chromium.rs`: headless Chromium driven over WebDriver in a
//!   loopback-only network namespace, DTLS 1.2 with zerortc in both roles.
//! - `tests/coturn.rs`: STUN binding and server-reflexive gathering against
//!   coturn (directly and through an address-rewriting relay), and a dead
//!   server timing out.
//! - `tests/usrsctp.rs`, `tests/tsctp.rs`: usrsctp's example programs over
//!   SCTP-over-UDP encapsulation (RFC 6951): `echo_server` echoes 300
//!   messages; throughput runs with `tsctp` in both directions, tsctp to
//!   tsctp as the reference.
//!
//! - `tests/browsers.rs`: the data channel matrix — headless Chromium and
//!   Firefox ESR over WebDriver (fantoccini) and aiortc, against a zerortc
//!   `RTCPeerConnection` on a `UdpSocket` loop, in a loopback-only
//!   namespace: either side offering, bulk reliable/unreliable/timed
//!   channels, 16 channels, 256 KiB messages, trickle, ICE restart,
//!   renegotiation, close, wrong fingerprint, STUN through coturn,
//!   throughput (see `README.md`).
//!
//! `scripts/test` installs the peers (openssl, chromium, chromium-driver,
//! firefox-esr, geckodriver, aiortc, coturn, usrsctp's examples) and
//! requires these tests to run, never to skip.

pub mod coturn;
