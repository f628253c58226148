//! The library behind the `zerortc` command line: capture reading, packet
//! demultiplexing (RFC 7983) and the `inspect` report. The binary in
//! `main.rs` only parses arguments and sets exit codes.

pub mod capture;
pub mod demux;
pub mod dtls;
pub mod inspect;
pub mod keylog;
pub mod media;
pub mod net;
pub mod rtcp_view;
pub mod sctp;
pub mod stun;
