//! Demultiplexing of one 5-tuple by the first byte (RFC 7983 §7, updated by
//! RFC 9443), and RTP / RTCP by packet type (RFC 5761 §4).

/// What a datagram received on the peer connection's 5-tuple is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketKind {
    /// First byte 0..=3: STUN (connectivity checks, consent).
    Stun,
    /// First byte 20..=63: DTLS records.
    Dtls,
    /// First byte 128..=191, second byte outside 192..=223: SRTP.
    Rtp,
    /// First byte 128..=191, second byte in 192..=223: SRTCP.
    Rtcp,
    /// Anything else: ZRTP (16..=19), TURN channels (64..=79), QUIC
    /// (192..=255 by RFC 9443), empty datagrams. Dropped and counted.
    Other,
}

/// Classifies `datagram` by RFC 7983 §7 and RFC 5761 §4.
#[inline]
pub fn classify(datagram: &[u8]) -> PacketKind {
    match datagram {
        [0..=3, ..] => PacketKind::Stun,
        [20..=63, ..] => PacketKind::Dtls,
        [128..=191, 192..=223, ..] => PacketKind::Rtcp,
        [128..=191, _, ..] => PacketKind::Rtp,
        _ => PacketKind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_first_byte_has_its_range() {
        for b in 0u8..=255 {
            let kind = classify(&[b, 96]);
            let expected = match b {
                0..=3 => PacketKind::Stun,
                20..=63 => PacketKind::Dtls,
                128..=191 => PacketKind::Rtp,
                _ => PacketKind::Other,
            };
            assert_eq!(kind, expected, "first byte {b}");
        }
    }

    #[test]
    fn rtcp_by_packet_type() {
        assert_eq!(classify(&[0x80, 200]), PacketKind::Rtcp);
        assert_eq!(classify(&[0x81, 223]), PacketKind::Rtcp);
        assert_eq!(classify(&[0x80, 192]), PacketKind::Rtcp);
        assert_eq!(classify(&[0x80, 191]), PacketKind::Rtp);
        assert_eq!(classify(&[0x80, 224]), PacketKind::Rtp);
        assert_eq!(classify(&[0x80, 0xE0]), PacketKind::Rtp); // marker + PT 96
    }

    #[test]
    fn short_datagrams() {
        assert_eq!(classify(&[]), PacketKind::Other);
        assert_eq!(classify(&[0x80]), PacketKind::Other);
        assert_eq!(classify(&[0x00]), PacketKind::Stun);
        assert_eq!(classify(&[22]), PacketKind::Dtls);
    }
}
