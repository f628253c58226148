//! Interop tests against real peers. Empty until the DTLS/ICE/SCTP layers land.
