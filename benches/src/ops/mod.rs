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
//! - **DTLS handshake**: a full DTLS 1.2 handshake, client and server in
//!   memory, with or without the cookie exchange.
//! - **DTLS record seal / open**: one application data record sealed by an
//!   established connection, and opened in place by its peer.
//! - **TWCC build**: a receiver turning 50 arrivals into a transport-cc
//!   feedback and marshalling it.
//! - **STUN parse / build / verify**: a Chromium check and response parsed
//!   with every attribute decoded; a nominating check written with
//!   MESSAGE-INTEGRITY and FINGERPRINT; HMAC-SHA1 and CRC-32 checks of a
//!   parsed message.
//! - **ICE consent round / answered check**: two connected agents
//!   ([`IceSession`]), one RFC 7675 consent round, or one check answered.
//! - **SCTP transfer**: two associations back to back in memory
//!   ([`SctpPair`]); a batch of messages sent by one and delivered by the
//!   other (data one way, SACKs back), buffers recycled; the same over
//!   DTLS 1.2 application records ([`DtlsWire`], RFC 8261); one message's
//!   one-way latency on an idle pair ([`SctpPair::one_way`]).
//! - **SDP parse / serialize / negotiate**: a real browser offer parsed
//!   into the typed model, written back, and answered (codecs, header
//!   extensions, direction) against another browser's capabilities.
//! - **Peer connection end to end** ([`PeerPair`]): two
//!   `RTCPeerConnection`s negotiated with SDP and connected in memory
//!   (ICE, DTLS, SCTP, SRTP); data channel messages or RTP packets from A
//!   delivered by B, buffers recycled.
//! - **SRTP/SRTCP protect and unprotect** ([`SrtpCase`]) for the four
//!   profiles, and the raw ciphers beside them ([`RawCiphers`]).
//!
//! The functions return a value derived from what they read so the compiler
//! cannot drop the work; callers pass it to `std::hint::black_box`.

mod dtls;
mod ice;
mod peer;
mod rtcp;
mod rtp;
mod sctp;
mod sctp_dtls;
mod sdp;
mod srtp;
mod stun;

pub use dtls::*;
pub use ice::*;
pub use peer::*;
pub use rtcp::*;
pub use rtp::*;
pub use sctp::*;
pub use sctp_dtls::*;
pub use sdp::*;
pub use srtp::*;
pub use stun::*;

/// Large enough for any input of the suites (one MTU).
pub const OUT_LEN: usize = 1500;
