//! Typed values of the header extensions WebRTC negotiates.
//!
//! Each type parses the value bytes of one element (as found by
//! [`HeaderExtensions::get`] or [`RtpPacket::extension`]) and writes them
//! back into a caller buffer. Lengths are strict: a value of the wrong size is
//! [`RtpError::BadValueLength`].

use core::time::Duration;

use arrayvec::ArrayVec;

use super::error::RtpError;
use super::extension_map::{ExtensionKind, ExtensionMap};
use super::extensions::HeaderExtensions;
use super::packet::RtpPacket;

/// A typed header extension value.
pub trait ExtensionValue<'a>: Sized {
    /// Which extension this is.
    const KIND: ExtensionKind;
    /// The URI used in `a=extmap` (same as `KIND.uri()`).
    const URI: &'static str;

    /// Parses the value bytes of an element (without the element header).
    fn parse(value: &'a [u8]) -> Result<Self, RtpError>;

    /// Bytes [`write`](Self::write) produces.
    fn encoded_len(&self) -> usize;

    /// Writes the value bytes into `out`; returns the number written.
    fn write(&self, out: &mut [u8]) -> Result<usize, RtpError>;

    /// The value bytes in an inline buffer (no heap), ready for
    /// [`RtpHeader::set_extension`](super::RtpHeader::set_extension).
    fn to_bytes(&self) -> Result<ExtensionValueBytes, RtpError> {
        let mut buf = [0u8; 255];
        let n = self.write(&mut buf)?;
        let mut bytes = ExtensionValueBytes::new();
        bytes
            .try_extend_from_slice(buf.get(..n).unwrap_or_default())
            .map_err(|_| RtpError::BadValueLength {
                expected: 255,
                got: n,
            })?;
        Ok(bytes)
    }
}

/// The bytes of one extension value (at most 255, the two-byte form's limit).
pub type ExtensionValueBytes = ArrayVec<u8, 255>;

fn exact<const N: usize>(value: &[u8]) -> Result<[u8; N], RtpError> {
    value.try_into().map_err(|_| RtpError::BadValueLength {
        expected: N,
        got: value.len(),
    })
}

fn put(out: &mut [u8], bytes: &[u8]) -> Result<usize, RtpError> {
    let got = out.len();
    out.get_mut(..bytes.len())
        .ok_or(RtpError::BufferTooSmall {
            needed: bytes.len(),
            got,
        })?
        .copy_from_slice(bytes);
    Ok(bytes.len())
}

/// abs-send-time: the sender's clock when the packet left, 24-bit unsigned
/// fixed point seconds with 6 integer and 18 fractional bits (wraps every
/// 64 s). 3 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AbsSendTime(u32);

impl AbsSendTime {
    /// Largest raw value (24 bits).
    pub const MAX_RAW: u32 = 0x00FF_FFFF;

    /// From the raw 24-bit value; higher bits are dropped.
    #[inline]
    pub const fn from_raw(raw: u32) -> Self {
        Self(raw & Self::MAX_RAW)
    }

    /// The raw 24-bit value.
    #[inline]
    pub const fn raw(self) -> u32 {
        self.0
    }

    /// From a 64-bit NTP timestamp (32.32 fixed point): bits 14..38.
    #[inline]
    pub const fn from_ntp(ntp: u64) -> Self {
        Self(((ntp >> 14) as u32) & Self::MAX_RAW)
    }

    /// From a time (its value modulo 64 s), rounded down to 1/2^18 s.
    pub fn from_duration(time: Duration) -> Self {
        let secs = time.as_secs() & 0x3f;
        let frac = (u64::from(time.subsec_nanos()) << 18) / 1_000_000_000;
        Self::from_raw(((secs << 18) | frac) as u32)
    }

    /// The value as a time in `0..64` s (rounded down to the nanosecond).
    pub fn to_duration(self) -> Duration {
        let secs = u64::from(self.0 >> 18);
        let nanos = (u64::from(self.0 & 0x3_ffff) * 1_000_000_000) >> 18;
        Duration::new(secs, nanos as u32)
    }
}

impl ExtensionValue<'_> for AbsSendTime {
    const KIND: ExtensionKind = ExtensionKind::AbsSendTime;
    const URI: &'static str = ExtensionKind::AbsSendTime.uri();

    fn parse(value: &[u8]) -> Result<Self, RtpError> {
        let [a, b, c] = exact::<3>(value)?;
        Ok(Self(u32::from_be_bytes([0, a, b, c])))
    }

    fn encoded_len(&self) -> usize {
        3
    }

    fn write(&self, out: &mut [u8]) -> Result<usize, RtpError> {
        let [_, a, b, c] = self.0.to_be_bytes();
        put(out, &[a, b, c])
    }
}

/// Transport-wide sequence number (draft-holmer-rmcat-transport-wide-cc-
/// extensions-01): a 16-bit counter over all packets of the transport. 2 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct TransportSequenceNumber(pub u16);

impl ExtensionValue<'_> for TransportSequenceNumber {
    const KIND: ExtensionKind = ExtensionKind::TransportSequenceNumber;
    const URI: &'static str = ExtensionKind::TransportSequenceNumber.uri();

    fn parse(value: &[u8]) -> Result<Self, RtpError> {
        Ok(Self(u16::from_be_bytes(exact::<2>(value)?)))
    }

    fn encoded_len(&self) -> usize {
        2
    }

    fn write(&self, out: &mut [u8]) -> Result<usize, RtpError> {
        put(out, &self.0.to_be_bytes())
    }
}

/// RFC 5888 `token` characters, which a MID (an `a=mid` identification tag)
/// is made of.
fn is_token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"-.!%*_+`'~".contains(&b)
}

/// RFC 8851 `rid-id` characters: alphanumerics, `-` and `_`.
fn is_rid_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'_'
}

fn sdes_text(value: &[u8], allowed: fn(u8) -> bool) -> Result<&str, RtpError> {
    if value.is_empty() {
        return Err(RtpError::BadValue("empty SDES item"));
    }
    if value.len() > 255 {
        return Err(RtpError::BadValueLength {
            expected: 255,
            got: value.len(),
        });
    }
    if !value.iter().all(|&b| allowed(b)) {
        return Err(RtpError::BadValue(
            "SDES item has characters outside its syntax",
        ));
    }
    // All bytes are ASCII at this point.
    core::str::from_utf8(value).map_err(|_| RtpError::BadValue("SDES item is not UTF-8"))
}

macro_rules! sdes_value {
    ($(#[$doc:meta])* $name:ident, $kind:ident, $allowed:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $name<'a>(&'a str);

        impl<'a> $name<'a> {
            /// Checks the text against the item's syntax (1..=255 bytes).
            pub fn new(text: &'a str) -> Result<Self, RtpError> {
                sdes_text(text.as_bytes(), $allowed).map(Self)
            }

            /// The text.
            #[inline]
            pub const fn as_str(&self) -> &'a str {
                self.0
            }
        }

        impl<'a> ExtensionValue<'a> for $name<'a> {
            const KIND: ExtensionKind = ExtensionKind::$kind;
            const URI: &'static str = ExtensionKind::$kind.uri();

            fn parse(value: &'a [u8]) -> Result<Self, RtpError> {
                sdes_text(value, $allowed).map(Self)
            }

            fn encoded_len(&self) -> usize {
                self.0.len()
            }

            fn write(&self, out: &mut [u8]) -> Result<usize, RtpError> {
                put(out, self.0.as_bytes())
            }
        }
    };
}

sdes_value!(
    /// SDES MID (RFC 8843 §15.2, RFC 7941): the `a=mid` of the media
    /// section the packet belongs to, 1..=255 RFC 5888 token characters.
    SdesMid,
    SdesMid,
    is_token_byte
);
sdes_value!(
    /// RtpStreamId (RFC 8852 §3.1): the `rid` of a simulcast encoding,
    /// 1..=255 of `A-Z a-z 0-9 - _`.
    RtpStreamId,
    RtpStreamId,
    is_rid_byte
);
sdes_value!(
    /// RepairedRtpStreamId (RFC 8852 §3.2): the `rid` of the stream an RTX
    /// or FEC packet repairs.
    RepairedRtpStreamId,
    RepairedRtpStreamId,
    is_rid_byte
);

/// Client-to-mixer audio level (RFC 6464): the V (voice activity) bit and
/// the level in −dBov, 0 (loudest) ..= 127 (silence). 1 byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AudioLevel {
    /// V: the sender's voice activity detector found speech.
    pub voice_activity: bool,
    /// Level in −dBov, 0..=127.
    pub level: u8,
}

impl ExtensionValue<'_> for AudioLevel {
    const KIND: ExtensionKind = ExtensionKind::AudioLevel;
    const URI: &'static str = ExtensionKind::AudioLevel.uri();

    fn parse(value: &[u8]) -> Result<Self, RtpError> {
        let [b] = exact::<1>(value)?;
        Ok(Self {
            voice_activity: b & 0x80 != 0,
            level: b & 0x7f,
        })
    }

    fn encoded_len(&self) -> usize {
        1
    }

    fn write(&self, out: &mut [u8]) -> Result<usize, RtpError> {
        if self.level > 127 {
            return Err(RtpError::BadValue("audio level above 127"));
        }
        put(out, &[(u8::from(self.voice_activity) << 7) | self.level])
    }
}

/// Rotation of a video frame, as signalled by CVO (`R1 R0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Rotation {
    /// 0°.
    #[default]
    Deg0,
    /// 90°.
    Deg90,
    /// 180°.
    Deg180,
    /// 270°.
    Deg270,
}

impl Rotation {
    /// The angle in degrees.
    pub const fn degrees(self) -> u16 {
        match self {
            Self::Deg0 => 0,
            Self::Deg90 => 90,
            Self::Deg180 => 180,
            Self::Deg270 => 270,
        }
    }

    const fn from_bits(bits: u8) -> Self {
        match bits & 3 {
            0 => Self::Deg0,
            1 => Self::Deg90,
            2 => Self::Deg180,
            _ => Self::Deg270,
        }
    }

    const fn bits(self) -> u8 {
        match self {
            Self::Deg0 => 0,
            Self::Deg90 => 1,
            Self::Deg180 => 2,
            Self::Deg270 => 3,
        }
    }
}

/// Coordination of video orientation (3GPP TS 26.114 §7.4.5, CVO): one
/// byte `0 0 0 0 C F R1 R0`. The four reserved bits are ignored on parse and
/// written as zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct VideoOrientation {
    /// C: the back-facing camera (false: front-facing or unknown).
    pub back_camera: bool,
    /// F: the picture is flipped horizontally.
    pub horizontal_flip: bool,
    /// R1 R0: rotation to apply before display.
    pub rotation: Rotation,
}

impl ExtensionValue<'_> for VideoOrientation {
    const KIND: ExtensionKind = ExtensionKind::VideoOrientation;
    const URI: &'static str = ExtensionKind::VideoOrientation.uri();

    fn parse(value: &[u8]) -> Result<Self, RtpError> {
        let [b] = exact::<1>(value)?;
        Ok(Self {
            back_camera: b & 0x08 != 0,
            horizontal_flip: b & 0x04 != 0,
            rotation: Rotation::from_bits(b),
        })
    }

    fn encoded_len(&self) -> usize {
        1
    }

    fn write(&self, out: &mut [u8]) -> Result<usize, RtpError> {
        let b = (u8::from(self.back_camera) << 3)
            | (u8::from(self.horizontal_flip) << 2)
            | self.rotation.bits();
        put(out, &[b])
    }
}

/// Playout delay limits: two 12-bit values (minimum, maximum) in units of
/// 10 ms, 0..=4095 (up to 40.95 s). 3 bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct PlayoutDelay {
    /// Minimum delay in 10 ms units.
    pub min: u16,
    /// Maximum delay in 10 ms units.
    pub max: u16,
}

impl PlayoutDelay {
    /// Largest value of either field.
    pub const MAX_VALUE: u16 = 0x0fff;
    /// Duration of one unit.
    pub const UNIT: Duration = Duration::from_millis(10);

    /// The minimum as a duration.
    pub fn min_delay(&self) -> Duration {
        Self::UNIT * u32::from(self.min)
    }

    /// The maximum as a duration.
    pub fn max_delay(&self) -> Duration {
        Self::UNIT * u32::from(self.max)
    }
}

impl ExtensionValue<'_> for PlayoutDelay {
    const KIND: ExtensionKind = ExtensionKind::PlayoutDelay;
    const URI: &'static str = ExtensionKind::PlayoutDelay.uri();

    fn parse(value: &[u8]) -> Result<Self, RtpError> {
        let [a, b, c] = exact::<3>(value)?;
        Ok(Self {
            min: (u16::from(a) << 4) | u16::from(b >> 4),
            max: (u16::from(b & 0x0f) << 8) | u16::from(c),
        })
    }

    fn encoded_len(&self) -> usize {
        3
    }

    fn write(&self, out: &mut [u8]) -> Result<usize, RtpError> {
        if self.min > Self::MAX_VALUE || self.max > Self::MAX_VALUE {
            return Err(RtpError::BadValue("playout delay above 4095"));
        }
        let [min_hi, min_lo] = self.min.to_be_bytes();
        let [max_hi, max_lo] = self.max.to_be_bytes();
        put(
            out,
            &[
                (min_hi << 4) | (min_lo >> 4),
                (min_lo << 4) | max_hi,
                max_lo,
            ],
        )
    }
}

impl<'a> HeaderExtensions<'a> {
    /// The typed value of extension `T` under the id `map` gives it.
    /// `None` if not negotiated or absent; `Some(Err)` if malformed.
    #[inline]
    pub fn value<T: ExtensionValue<'a>>(&self, map: &ExtensionMap) -> Option<Result<T, RtpError>> {
        self.get(map.id_of(T::KIND)?).map(T::parse)
    }
}

impl<'a> RtpPacket<'a> {
    /// The typed value of extension `T` under the id `map` gives it.
    /// `None` if not negotiated or absent; `Some(Err)` if the value or the
    /// block before it is malformed.
    #[inline]
    pub fn extension_value<T: ExtensionValue<'a>>(
        &self,
        map: &ExtensionMap,
    ) -> Option<Result<T, RtpError>> {
        let id = map.id_of(T::KIND)?;
        Some(self.extension(id)?.and_then(T::parse))
    }

    /// abs-send-time, see [`extension_value`](Self::extension_value).
    #[inline]
    pub fn abs_send_time(&self, map: &ExtensionMap) -> Option<Result<AbsSendTime, RtpError>> {
        self.extension_value(map)
    }

    /// Transport-wide sequence number, see
    /// [`extension_value`](Self::extension_value).
    #[inline]
    pub fn transport_sequence_number(&self, map: &ExtensionMap) -> Option<Result<u16, RtpError>> {
        self.extension_value::<TransportSequenceNumber>(map)
            .map(|r| r.map(|v| v.0))
    }

    /// SDES MID, see [`extension_value`](Self::extension_value).
    #[inline]
    pub fn mid(&self, map: &ExtensionMap) -> Option<Result<&'a str, RtpError>> {
        self.extension_value::<SdesMid<'a>>(map)
            .map(|r| r.map(|v| v.as_str()))
    }

    /// RtpStreamId (rid), see [`extension_value`](Self::extension_value).
    #[inline]
    pub fn rid(&self, map: &ExtensionMap) -> Option<Result<&'a str, RtpError>> {
        self.extension_value::<RtpStreamId<'a>>(map)
            .map(|r| r.map(|v| v.as_str()))
    }

    /// RepairedRtpStreamId, see [`extension_value`](Self::extension_value).
    #[inline]
    pub fn repaired_rid(&self, map: &ExtensionMap) -> Option<Result<&'a str, RtpError>> {
        self.extension_value::<RepairedRtpStreamId<'a>>(map)
            .map(|r| r.map(|v| v.as_str()))
    }

    /// Audio level, see [`extension_value`](Self::extension_value).
    #[inline]
    pub fn audio_level(&self, map: &ExtensionMap) -> Option<Result<AudioLevel, RtpError>> {
        self.extension_value(map)
    }

    /// Video orientation, see [`extension_value`](Self::extension_value).
    #[inline]
    pub fn video_orientation(
        &self,
        map: &ExtensionMap,
    ) -> Option<Result<VideoOrientation, RtpError>> {
        self.extension_value(map)
    }

    /// Playout delay, see [`extension_value`](Self::extension_value).
    #[inline]
    pub fn playout_delay(&self, map: &ExtensionMap) -> Option<Result<PlayoutDelay, RtpError>> {
        self.extension_value(map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<'a, T: ExtensionValue<'a> + PartialEq + core::fmt::Debug>(
        value: &T,
        expected: &[u8],
    ) {
        let mut out = [0u8; 300];
        let n = value.write(&mut out).unwrap();
        assert_eq!(n, value.encoded_len());
        assert_eq!(&out[..n], expected);
        assert_eq!(value.to_bytes().unwrap().as_slice(), expected);
        // Too small a buffer is an error, never a panic.
        if n > 0 {
            assert_eq!(
                value.write(&mut out[..n - 1]),
                Err(RtpError::BufferTooSmall {
                    needed: n,
                    got: n - 1
                })
            );
        }
    }

    #[test]
    fn abs_send_time() {
        // 1.5 s = 1 << 18 | 1 << 17 = 0x060000
        let v = AbsSendTime::parse(&[0x06, 0x00, 0x00]).unwrap();
        assert_eq!(v.raw(), 0x06_0000);
        assert_eq!(v.to_duration(), Duration::from_millis(1500));
        assert_eq!(AbsSendTime::from_duration(Duration::from_millis(1500)), v);
        // Wraps at 64 s.
        assert_eq!(AbsSendTime::from_duration(Duration::from_millis(65_500)), v);
        // NTP 32.32: 1.5 s is 0x0000_0001_8000_0000.
        assert_eq!(AbsSendTime::from_ntp(0x0000_0001_8000_0000), v);
        round_trip(&v, &[0x06, 0, 0]);
        round_trip(&AbsSendTime::from_raw(0xFFAB_CDEF), &[0xAB, 0xCD, 0xEF]);
        assert_eq!(
            AbsSendTime::parse(&[1, 2]),
            Err(RtpError::BadValueLength {
                expected: 3,
                got: 2
            })
        );
        assert!(AbsSendTime::parse(&[1, 2, 3, 4]).is_err());
    }

    #[test]
    fn transport_sequence_number() {
        let v = TransportSequenceNumber::parse(&[0x12, 0x34]).unwrap();
        assert_eq!(v, TransportSequenceNumber(0x1234));
        round_trip(&v, &[0x12, 0x34]);
        assert!(TransportSequenceNumber::parse(&[0x12]).is_err());
        assert!(TransportSequenceNumber::parse(&[0x12, 0, 0]).is_err());
    }

    #[test]
    fn sdes_items() {
        assert_eq!(SdesMid::parse(b"0").unwrap().as_str(), "0");
        assert_eq!(SdesMid::parse(b"sdparta_1").unwrap().as_str(), "sdparta_1");
        round_trip(&SdesMid::new("audio").unwrap(), b"audio");
        assert_eq!(
            RtpStreamId::parse(b"hi-res_1").unwrap().as_str(),
            "hi-res_1"
        );
        round_trip(&RepairedRtpStreamId::new("l").unwrap(), b"l");
        assert_eq!(
            SdesMid::parse(b""),
            Err(RtpError::BadValue("empty SDES item"))
        );
        assert!(SdesMid::parse(b"a b").is_err());
        assert!(SdesMid::parse(&[0xC3, 0xA9]).is_err()); // "é": not a token
        assert!(RtpStreamId::parse(b"a.b").is_err());
        assert!(RtpStreamId::parse(&[0xff]).is_err());
        assert!(RtpStreamId::new("").is_err());
        let long = [b'a'; 256];
        assert!(RtpStreamId::parse(&long).is_err());
        assert_eq!(
            RtpStreamId::parse(&long[..255]).unwrap().as_str().len(),
            255
        );
    }

    #[test]
    fn audio_level() {
        let v = AudioLevel::parse(&[0x80 | 42]).unwrap();
        assert_eq!(
            v,
            AudioLevel {
                voice_activity: true,
                level: 42
            }
        );
        round_trip(&v, &[0xAA]);
        let quiet = AudioLevel::parse(&[127]).unwrap();
        assert!(!quiet.voice_activity);
        assert_eq!(quiet.level, 127);
        assert!(AudioLevel::parse(&[]).is_err());
        assert!(AudioLevel::parse(&[1, 2]).is_err());
        let bad = AudioLevel {
            voice_activity: false,
            level: 128,
        };
        assert!(bad.write(&mut [0u8; 1]).is_err());
    }

    #[test]
    fn video_orientation() {
        // C=1 F=0 R=90°
        let v = VideoOrientation::parse(&[0b0000_1001]).unwrap();
        assert!(v.back_camera);
        assert!(!v.horizontal_flip);
        assert_eq!(v.rotation, Rotation::Deg90);
        assert_eq!(v.rotation.degrees(), 90);
        round_trip(&v, &[0b0000_1001]);
        let v = VideoOrientation::parse(&[0b1111_0111]).unwrap();
        assert!(!v.back_camera);
        assert!(v.horizontal_flip);
        assert_eq!(v.rotation, Rotation::Deg270);
        round_trip(&v, &[0b0000_0111]); // reserved bits written as zero
        assert_eq!(
            VideoOrientation::parse(&[0b10]).unwrap().rotation,
            Rotation::Deg180
        );
        assert!(VideoOrientation::parse(&[]).is_err());
    }

    #[test]
    fn playout_delay() {
        // min 0x123 max 0x456
        let v = PlayoutDelay::parse(&[0x12, 0x34, 0x56]).unwrap();
        assert_eq!(
            v,
            PlayoutDelay {
                min: 0x123,
                max: 0x456
            }
        );
        assert_eq!(v.min_delay(), Duration::from_millis(2910));
        assert_eq!(v.max_delay(), Duration::from_millis(11100));
        round_trip(&v, &[0x12, 0x34, 0x56]);
        round_trip(
            &PlayoutDelay {
                min: 4095,
                max: 4095,
            },
            &[0xFF, 0xFF, 0xFF],
        );
        assert!(
            PlayoutDelay { min: 4096, max: 0 }
                .write(&mut [0; 3])
                .is_err()
        );
        assert!(PlayoutDelay::parse(&[0, 0]).is_err());
    }

    #[test]
    fn uris_match_kinds() {
        assert_eq!(
            AbsSendTime::URI,
            "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time"
        );
        assert_eq!(
            TransportSequenceNumber::URI,
            "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
        );
        assert_eq!(SdesMid::URI, "urn:ietf:params:rtp-hdrext:sdes:mid");
        assert_eq!(
            RtpStreamId::URI,
            "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id"
        );
        assert_eq!(
            RepairedRtpStreamId::URI,
            "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id"
        );
        assert_eq!(
            AudioLevel::URI,
            "urn:ietf:params:rtp-hdrext:ssrc-audio-level"
        );
        assert_eq!(VideoOrientation::URI, "urn:3gpp:video-orientation");
        assert_eq!(
            PlayoutDelay::URI,
            "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay"
        );
    }
}
