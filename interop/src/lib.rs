//! Interop tests against real peers, started by the tests themselves on
//! loopback (`shared/INTEROP.md`). So far `tests/coturn.rs`: STUN binding
//! and server-reflexive gathering against coturn, and a dead server.
