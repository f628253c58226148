//! RTP packets as Chromium sends them, built byte by byte (RFC 3550 §5.1,
//! RFC 8285 one-byte header extensions).
//!
//! The extension ids follow Chromium's default `a=extmap` numbering for a
//! bundled audio + video session: 1 audio level, 2 abs-send-time,
//! 3 transport-wide sequence number, 4 SDES mid.

/// Extension id of `urn:ietf:params:rtp-hdrext:ssrc-audio-level` (RFC 6464).
pub const EXT_AUDIO_LEVEL: u8 = 1;
/// Extension id of `http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time`.
pub const EXT_ABS_SEND_TIME: u8 = 2;
/// Extension id of transport-wide-cc (`draft-holmer-rmcat-transport-wide-cc-extensions-01`).
pub const EXT_TRANSPORT_CC: u8 = 3;
/// Extension id of `urn:ietf:params:rtp-hdrext:sdes:mid` (RFC 8843).
pub const EXT_MID: u8 = 4;

/// Size of the video packet: a full packet as Chromium's VP8/H.264 packetizer
/// fills it (its default max packet size leaves room for SRTP and IP/UDP).
pub const VIDEO_PACKET_LEN: usize = 1200;
/// Size of the audio packet: Opus at ~48 kbit/s, 20 ms frames.
pub const AUDIO_PACKET_LEN: usize = 160;

/// One-byte-form extension elements `(id, value)` written in order.
fn one_byte_extensions(elements: &[(u8, &[u8])]) -> Vec<u8> {
    let mut data = Vec::new();
    for (id, value) in elements {
        assert!((1..=14).contains(id) && (1..=16).contains(&value.len()));
        data.push((id << 4) | (value.len() as u8 - 1));
        data.extend_from_slice(value);
    }
    while !data.len().is_multiple_of(4) {
        data.push(0); // RFC 8285 §4.2: padding bytes are zero
    }
    data
}

/// A whole RTP packet: fixed header, one-byte extension block, payload of
/// deterministic bytes up to `total_len`.
#[allow(clippy::too_many_arguments)]
fn rtp_packet(
    marker: bool,
    payload_type: u8,
    sequence_number: u16,
    timestamp: u32,
    ssrc: u32,
    extensions: &[(u8, &[u8])],
    total_len: usize,
) -> Vec<u8> {
    let ext = one_byte_extensions(extensions);
    let mut p = Vec::with_capacity(total_len);
    p.push(0x80 | 0x10); // V=2, P=0, X=1, CC=0
    p.push((u8::from(marker) << 7) | payload_type);
    p.extend_from_slice(&sequence_number.to_be_bytes());
    p.extend_from_slice(&timestamp.to_be_bytes());
    p.extend_from_slice(&ssrc.to_be_bytes());
    p.extend_from_slice(&0xBEDEu16.to_be_bytes());
    p.extend_from_slice(&((ext.len() / 4) as u16).to_be_bytes());
    p.extend_from_slice(&ext);
    assert!(p.len() < total_len);
    // Payload: a VP8/Opus-looking byte pattern; the bytes are not inspected.
    let mut x: u32 = 0x1234_5678;
    while p.len() < total_len {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p.push(x as u8);
    }
    p
}

/// A 1200-byte VP8 video packet (PT 96) with abs-send-time, transport-wide
/// sequence number and mid `"0"`, marker set (last packet of a frame).
pub fn video_packet() -> Vec<u8> {
    rtp_packet(
        true,
        96,
        23_456,
        1_820_468_123,
        0x2E4F_7A31,
        &[
            (EXT_ABS_SEND_TIME, &[0x3A, 0x1F, 0x8C]),
            (EXT_TRANSPORT_CC, &[0x04, 0xD2]),
            (EXT_MID, b"0"),
        ],
        VIDEO_PACKET_LEN,
    )
}

/// A 160-byte Opus audio packet (PT 111) with audio level (voice activity,
/// -42 dBov), transport-wide sequence number and mid `"1"`.
pub fn audio_packet() -> Vec<u8> {
    rtp_packet(
        false,
        111,
        31_337,
        3_612_480,
        0x0B5C_91E7,
        &[
            (EXT_AUDIO_LEVEL, &[0x80 | 42]),
            (EXT_TRANSPORT_CC, &[0x04, 0xD3]),
            (EXT_MID, b"1"),
        ],
        AUDIO_PACKET_LEN,
    )
}

/// The RTP inputs of every suite: `(bench id, packet bytes)`.
pub fn rtp_inputs() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("video_1200", video_packet()),
        ("audio_160", audio_packet()),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_packet_layout() {
        let p = video_packet();
        assert_eq!(p.len(), VIDEO_PACKET_LEN);
        assert_eq!(p[0], 0x90);
        assert_eq!(p[1], 0x80 | 96);
        assert_eq!(&p[12..14], &[0xBE, 0xDE]);
        // 3 elements: 4 + 3 + 2 bytes = 9, padded to 12 = 3 words.
        assert_eq!(&p[14..16], &[0, 3]);
        assert_eq!(&p[16..20], &[0x22, 0x3A, 0x1F, 0x8C]);
        assert_eq!(&p[20..23], &[0x31, 0x04, 0xD2]);
        assert_eq!(&p[23..25], &[0x40, b'0']);
        assert_eq!(&p[25..28], &[0, 0, 0]);
    }

    #[test]
    fn audio_packet_layout() {
        let p = audio_packet();
        assert_eq!(p.len(), AUDIO_PACKET_LEN);
        assert_eq!(p[1], 111);
        assert_eq!(&p[14..16], &[0, 2]);
        assert_eq!(&p[16..18], &[0x10, 0x80 | 42]);
        assert_eq!(&p[18..21], &[0x31, 0x04, 0xD3]);
        assert_eq!(&p[21..23], &[0x40, b'1']);
        assert_eq!(p[23], 0);
    }
}
