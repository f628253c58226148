//! Demultiplexing a UDP payload by its first byte (RFC 7983, section 7, with
//! the TURN channel range of RFC 7983 §7 / RFC 8656) and telling RTP from
//! RTCP by the second byte (RFC 5761, section 4).

use serde::Serialize;

/// What a UDP payload carries, by its first byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// 0..=3: STUN (RFC 8489).
    Stun,
    /// 16..=19: ZRTP (RFC 6189).
    Zrtp,
    /// 20..=63: DTLS (RFC 6347, RFC 9147).
    Dtls,
    /// 64..=79: TURN ChannelData (RFC 8656).
    TurnChannel,
    /// 128..=191 with a second byte outside 192..=223: RTP (RFC 3550).
    Rtp,
    /// 128..=191 with a second byte in 192..=223: RTCP (RFC 3550, RFC 5761).
    Rtcp,
    /// A plaintext SCTP packet (RFC 9260) straight in UDP: SCTP over UDP
    /// encapsulation (RFC 6951, usrsctp's port 9899) or a simulator trace.
    /// Not a first-byte range of RFC 7983: recognised by its UDP port or
    /// by a matching CRC32c (see `inspect`), never by [`classify`].
    Sctp,
    /// Anything else, or not a UDP datagram at all.
    Other,
}

impl Kind {
    /// Every kind, in the order the summary prints them.
    pub const ALL: [Kind; 8] = [
        Kind::Stun,
        Kind::Zrtp,
        Kind::Dtls,
        Kind::TurnChannel,
        Kind::Rtp,
        Kind::Rtcp,
        Kind::Sctp,
        Kind::Other,
    ];

    /// The lower-case name used in text and JSON output.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Stun => "stun",
            Kind::Zrtp => "zrtp",
            Kind::Dtls => "dtls",
            Kind::TurnChannel => "turn_channel",
            Kind::Rtp => "rtp",
            Kind::Rtcp => "rtcp",
            Kind::Sctp => "sctp",
            Kind::Other => "other",
        }
    }
}

/// Classifies a UDP payload.
pub fn classify(payload: &[u8]) -> Kind {
    match payload.first() {
        Some(0..=3) => Kind::Stun,
        Some(16..=19) => Kind::Zrtp,
        Some(20..=63) => Kind::Dtls,
        Some(64..=79) => Kind::TurnChannel,
        Some(128..=191) => match payload.get(1) {
            // RFC 5761: RTCP packet types 192..=223 collide with RTP payload
            // types 64..=95 with the marker bit set, which are not used.
            Some(192..=223) => Kind::Rtcp,
            _ => Kind::Rtp,
        },
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc7983_ranges() {
        for b in 0u8..=255 {
            let expected = match b {
                0..=3 => Kind::Stun,
                16..=19 => Kind::Zrtp,
                20..=63 => Kind::Dtls,
                64..=79 => Kind::TurnChannel,
                128..=191 => Kind::Rtp,
                _ => Kind::Other,
            };
            assert_eq!(classify(&[b, 0]), expected, "first byte {b}");
        }
        assert_eq!(classify(&[]), Kind::Other);
    }

    #[test]
    fn rtcp_by_second_byte() {
        assert_eq!(classify(&[0x80, 200]), Kind::Rtcp);
        assert_eq!(classify(&[0x81, 205]), Kind::Rtcp);
        assert_eq!(classify(&[0x80, 192]), Kind::Rtcp);
        assert_eq!(classify(&[0x80, 223]), Kind::Rtcp);
        assert_eq!(classify(&[0x80, 224]), Kind::Rtp);
        assert_eq!(classify(&[0x80, 191]), Kind::Rtp);
        assert_eq!(classify(&[0x80, 96]), Kind::Rtp);
        assert_eq!(classify(&[0x80]), Kind::Rtp);
    }
}
