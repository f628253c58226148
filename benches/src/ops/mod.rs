//! The measured operations, shared by every lab tool so they all measure the
//! same work.
//!
//! - **RTP parse** (receive path): validate the packet, read the header
//!   fields a receiver uses and every header extension element.
//! - **RTP marshal** (send path): write a header with its extension elements
//!   and the payload into a caller buffer. The header is built once
//!   ([`RtpMarshalCase`]), as a sender keeps it and bumps its fields.
//! - **RTCP parse**: walk a compound packet and decode every packet; for
//!   transport-cc feedback, also walk every reported packet (what a sender's
//!   congestion controller reads).
//! - **RTCP marshal**: write already-built packets as one compound.
//! - **TWCC build**: a receiver turning 50 arrivals into a transport-cc
//!   feedback and marshalling it.
//! - **SRTP/SRTCP protect and unprotect** ([`SrtpCase`]) for the four
//!   profiles, and the raw ciphers beside them ([`RawCiphers`]).
//!
//! The functions return a value derived from what they read so the compiler
//! cannot drop the work; callers pass it to `std::hint::black_box`.

mod rtcp;
mod rtp;
mod srtp;

pub use rtcp::*;
pub use rtp::*;
pub use srtp::*;

/// Large enough for any input of the suites (one MTU).
pub const OUT_LEN: usize = 1500;
