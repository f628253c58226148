//! RTP packets (RFC 3550) and header extensions (RFC 8285).
//!
//! What this layer owns:
//!
//! - [`RtpPacket`]: a zero-copy, validated view of one RTP packet
//!   (RFC 3550 §5.1: fixed header, CSRC list, header extension block §5.3.1,
//!   payload and padding).
//! - [`RtpHeader`]: the header as values, marshalled into a caller buffer;
//!   built by hand or from a parsed packet ([`RtpPacket::to_header`]) so that
//!   parse → marshal reproduces the original bytes exactly.
//! - RFC 8285 extension framing ([`HeaderExtensions`], [`ExtensionForm`]):
//!   one-byte (`0xBEDE`) and two-byte (`0x100X`) forms, padding, id 15,
//!   `a=extmap-allow-mixed`.
//! - Typed extension values ([`ExtensionValue`]): abs-send-time,
//!   transport-wide sequence number, SDES mid / rtp-stream-id /
//!   repaired-rtp-stream-id (RFC 7941, RFC 8852, RFC 8843), client-to-mixer
//!   audio level (RFC 6464), video orientation (3GPP TS 26.114 §7.4.5, CVO),
//!   playout delay; and the negotiated id map [`ExtensionMap`] (SDP
//!   `a=extmap`, RFC 8285 §5).
//! - RTP/RTCP demultiplexing on one port ([`classify`], RFC 5761 §4).
//!
//! What it does not do: SRTP (see `srtp`), payload formats (see `media`),
//! jitter buffering or sequence number tracking.
//!
//! ```
//! use zerortc::rtp::{ExtensionKind, ExtensionMap, ExtensionValue, RtpPacket,
//!                    TransportSequenceNumber};
//!
//! // a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01
//! let mut map = ExtensionMap::new();
//! map.insert_uri(3, TransportSequenceNumber::URI)?;
//!
//! let bytes = [
//!     0x90, 0x60, 0x00, 0x07, 0, 0, 0x03, 0xE8, 0x12, 0x34, 0x56, 0x78, // V=2 X=1 PT=96
//!     0xBE, 0xDE, 0x00, 0x01, 0x31, 0x00, 0x2A, 0x00, // one-byte form: id 3 = 42
//!     0xDE, 0xAD, // payload
//! ];
//! let packet = RtpPacket::parse(&bytes)?;
//! assert_eq!(packet.sequence_number(), 7);
//! assert_eq!(packet.transport_sequence_number(&map), Some(Ok(42)));
//! assert_eq!(packet.payload(), &[0xDE, 0xAD]);
//!
//! // Rewrite the transport-wide sequence number and marshal.
//! let mut header = packet.to_header();
//! let tcc = TransportSequenceNumber(43).to_bytes()?;
//! let id = map.id_of(ExtensionKind::TransportSequenceNumber).unwrap_or(3);
//! header.set_extension(id, &tcc)?;
//! let mut out = [0u8; 1500];
//! let len = header.marshal_packet(packet.payload(), &mut out)?;
//! let rewritten = RtpPacket::parse(&out[..len])?;
//! assert_eq!(rewritten.transport_sequence_number(&map), Some(Ok(43)));
//! # Ok::<(), zerortc::rtp::RtpError>(())
//! ```
//!
//! Nothing here allocates: views borrow the packet buffer, the header keeps
//! CSRCs and extension elements in `ArrayVec`s and marshals into `&mut [u8]`.
//! Malformed input gives an [`RtpError`], never a panic.

mod error;
mod ext_values;
mod extension_map;
mod extensions;
mod header;
mod packet;

pub use error::RtpError;
pub use ext_values::{
    AbsSendTime, AudioLevel, ExtensionValue, ExtensionValueBytes, PlayoutDelay,
    RepairedRtpStreamId, Rotation, RtpStreamId, SdesMid, TransportSequenceNumber, VideoOrientation,
};
pub use extension_map::{ExtensionKind, ExtensionMap};
pub use extensions::{
    ExtensionForm, ExtensionIter, HeaderExtensions, ONE_BYTE_MAX_ID, ONE_BYTE_MAX_VALUE_LEN,
    ONE_BYTE_PROFILE, RawExtensionElements, TWO_BYTE_MAX_VALUE_LEN, TWO_BYTE_PROFILE,
    TWO_BYTE_PROFILE_MASK,
};
pub use header::{
    ExtensionBlock, ExtensionElements, ExtensionEncoding, MAX_HEADER_EXTENSIONS, Padding, RtpHeader,
};
pub use packet::{Csrcs, FIXED_HEADER_LEN, MAX_CSRCS, RTP_VERSION, RtpPacket};

/// What a datagram on an RTP/RTCP port is, by RFC 5761 §4.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RtpOrRtcp {
    /// An RTP packet: version 2, second byte outside 192..=223.
    Rtp,
    /// An RTCP packet: version 2, packet type (the whole second byte) in
    /// 192..=223 (SR 200, RR 201, SDES 202, BYE 203, APP 204, RTPFB 205,
    /// PSFB 206, XR 207, …).
    Rtcp,
}

/// Classifies a datagram multiplexed on one port (RFC 5761 §4).
///
/// RTP and RTCP are told apart by the second byte: RTCP packet types
/// 192..=223 fall where an RTP marker bit plus payload type 64..=95 would be,
/// a range RTP payload types must avoid when multiplexing. Returns `None`
/// when the buffer is shorter than 2 bytes or the version is not 2. This is
/// a cheap demultiplexing hint, not validation: parse the packet next.
///
/// Call it on a datagram already known to be RTP or RTCP by its first byte
/// (128..=191, RFC 7983), i.e. after STUN/DTLS are ruled out.
#[inline]
pub fn classify(buf: &[u8]) -> Option<RtpOrRtcp> {
    match *buf {
        [first, second, ..] if first >> 6 == RTP_VERSION => {
            if (192..=223).contains(&second) {
                Some(RtpOrRtcp::Rtcp)
            } else {
                Some(RtpOrRtcp::Rtp)
            }
        }
        _ => None,
    }
}

/// True when `buf` looks like RTP or RTCP: at least 2 bytes and version 2
/// (first byte 128..=191, the RFC 7983 range). Use [`classify`] to tell
/// which one.
#[inline]
pub fn is_rtp_or_rtcp(buf: &[u8]) -> bool {
    classify(buf).is_some()
}

/// True when `buf` is RTCP by [`classify`].
#[inline]
pub fn is_rtcp(buf: &[u8]) -> bool {
    classify(buf) == Some(RtpOrRtcp::Rtcp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_by_second_byte() {
        assert_eq!(classify(&[0x80, 0x60]), Some(RtpOrRtcp::Rtp)); // PT 96
        assert_eq!(classify(&[0x80, 0xE0]), Some(RtpOrRtcp::Rtp)); // M + PT 96
        assert_eq!(classify(&[0x80, 0x6F]), Some(RtpOrRtcp::Rtp)); // PT 111
        assert_eq!(classify(&[0x80, 200]), Some(RtpOrRtcp::Rtcp)); // SR
        assert_eq!(classify(&[0x81, 201]), Some(RtpOrRtcp::Rtcp)); // RR
        assert_eq!(classify(&[0x8F, 206]), Some(RtpOrRtcp::Rtcp)); // PSFB
        assert_eq!(classify(&[0x80, 192]), Some(RtpOrRtcp::Rtcp));
        assert_eq!(classify(&[0x80, 223]), Some(RtpOrRtcp::Rtcp));
        assert_eq!(classify(&[0x80, 191]), Some(RtpOrRtcp::Rtp));
        assert_eq!(classify(&[0x80, 224]), Some(RtpOrRtcp::Rtp));
        assert_eq!(classify(&[0x40, 200]), None); // version 1
        assert_eq!(classify(&[0x00, 0x01]), None); // STUN
        assert_eq!(classify(&[0x16, 0xFE]), None); // DTLS
        assert_eq!(classify(&[0x80]), None);
        assert_eq!(classify(&[]), None);
        assert!(is_rtp_or_rtcp(&[0xBF, 0]));
        assert!(!is_rtp_or_rtcp(&[0xC0, 0]));
        assert!(is_rtcp(&[0x80, 200, 0, 6]));
        assert!(!is_rtcp(&[0x80, 96, 0, 6]));
    }
}
