//! H.264 `profile-level-id` (RFC 6184 §8.1): three bytes in hex,
//! `profile_idc`, `profile-iop` (the constraint_set flags) and
//! `level_idc`. Two codecs are the same format when their profiles match
//! (the level is negotiated, §8.2.2); [`H264ProfileLevelId::profile`]
//! reduces the flags to the profile they say a stream conforms to.

use std::cmp::Ordering;
use std::fmt;

/// The profile a `profile-level-id` announces (RFC 6184 Table 5 and the
/// H.264 constraint_set semantics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum H264Profile {
    /// Baseline also conforming to Main (what `42e0..` says).
    ConstrainedBaseline,
    /// Baseline (`4200..`).
    Baseline,
    /// Main (`4d00..`).
    Main,
    /// Extended (`58..`).
    Extended,
    /// High (`6400..`).
    High,
    /// Constrained High (`640c..`: constraint_set4 and 5).
    ConstrainedHigh,
    /// High 10 (`6e..`).
    High10,
    /// High 4:2:2 (`7a..`).
    High422,
    /// High 4:4:4 Predictive (`f4..`).
    High444,
    /// CAVLC 4:4:4 Intra (`2c..`).
    Cavlc444,
    /// Any other `profile_idc`.
    Other(u8),
}

const SET0: u8 = 0x80;
const SET1: u8 = 0x40;
const SET3: u8 = 0x10;
const SET4: u8 = 0x08;
const SET5: u8 = 0x04;

/// A parsed `profile-level-id`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct H264ProfileLevelId {
    /// `profile_idc` (66 Baseline, 77 Main, 88 Extended, 100 High...).
    pub profile_idc: u8,
    /// `profile-iop`: constraint_set0..5 flags in the top six bits.
    pub profile_iop: u8,
    /// `level_idc`: 10 × the level (31 = 3.1); 9, or 11 with
    /// constraint_set3 in Baseline/Main/Extended, is level 1b.
    pub level_idc: u8,
}

impl H264ProfileLevelId {
    /// The default when `profile-level-id` is absent: Baseline, level 1
    /// (RFC 6184 §8.1: `42000a`).
    pub const DEFAULT: H264ProfileLevelId = H264ProfileLevelId {
        profile_idc: 0x42,
        profile_iop: 0,
        level_idc: 10,
    };

    /// Parses six hex digits.
    pub fn parse(hex: &str) -> Option<H264ProfileLevelId> {
        if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        let byte = |i: usize| {
            hex.get(i..i + 2)
                .and_then(|s| u8::from_str_radix(s, 16).ok())
        };
        Some(H264ProfileLevelId {
            profile_idc: byte(0)?,
            profile_iop: byte(2)?,
            level_idc: byte(4)?,
        })
    }

    /// The `profile-level-id` of format parameters, [`Self::DEFAULT`]
    /// when absent, `None` when malformed.
    pub fn from_fmtp(value: Option<&str>) -> Option<H264ProfileLevelId> {
        match value {
            None => Some(Self::DEFAULT),
            Some(v) => Self::parse(v),
        }
    }

    /// The profile the flags announce.
    pub fn profile(&self) -> H264Profile {
        let iop = self.profile_iop;
        let set = |flag: u8| iop & flag != 0;
        match self.profile_idc {
            0x42 if set(SET1) => H264Profile::ConstrainedBaseline,
            0x42 => H264Profile::Baseline,
            0x4d if set(SET0) => H264Profile::ConstrainedBaseline,
            0x4d => H264Profile::Main,
            0x58 if set(SET0) && set(SET1) => H264Profile::ConstrainedBaseline,
            0x58 if set(SET0) => H264Profile::Baseline,
            0x58 => H264Profile::Extended,
            0x64 if set(SET4) && set(SET5) => H264Profile::ConstrainedHigh,
            0x64 => H264Profile::High,
            0x6e => H264Profile::High10,
            0x7a => H264Profile::High422,
            0xf4 => H264Profile::High444,
            0x2c => H264Profile::Cavlc444,
            other => H264Profile::Other(other),
        }
    }

    /// Whether the level is 1b.
    pub fn is_level_1b(&self) -> bool {
        self.level_idc == 9
            || (self.level_idc == 11
                && self.profile_iop & SET3 != 0
                && matches!(self.profile_idc, 0x42 | 0x4d | 0x58))
    }

    /// Orders levels: 1 < 1b < 1.1 < 1.2 < ... < 6.2.
    fn level_rank(&self) -> u16 {
        if self.is_level_1b() {
            21
        } else {
            u16::from(self.level_idc) * 2
        }
    }

    /// Compares the levels of two ids.
    pub fn cmp_level(&self, other: &H264ProfileLevelId) -> Ordering {
        self.level_rank().cmp(&other.level_rank())
    }

    /// This profile with the level of `other` (1b written the way this
    /// profile writes it).
    #[must_use]
    pub fn with_level_of(&self, other: &H264ProfileLevelId) -> H264ProfileLevelId {
        let mut out = *self;
        if other.is_level_1b() {
            if matches!(self.profile_idc, 0x42 | 0x4d | 0x58) {
                out.level_idc = 11;
                out.profile_iop |= SET3;
            } else {
                out.level_idc = 9;
            }
        } else {
            if self.is_level_1b() && self.level_idc == 11 {
                out.profile_iop &= !SET3;
            }
            out.level_idc = other.level_idc;
        }
        out
    }
}

impl fmt::Display for H264ProfileLevelId {
    /// Six lower-case hex digits, as browsers write them.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:02x}{:02x}{:02x}",
            self.profile_idc, self.profile_iop, self.level_idc
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(s: &str) -> H264ProfileLevelId {
        H264ProfileLevelId::parse(s).unwrap()
    }

    #[test]
    fn profiles_of_what_browsers_offer() {
        assert_eq!(id("42001f").profile(), H264Profile::Baseline);
        assert_eq!(id("42e01f").profile(), H264Profile::ConstrainedBaseline);
        assert_eq!(id("4d001f").profile(), H264Profile::Main);
        assert_eq!(id("4d801f").profile(), H264Profile::ConstrainedBaseline);
        assert_eq!(id("64001f").profile(), H264Profile::High);
        assert_eq!(id("640c1f").profile(), H264Profile::ConstrainedHigh);
        assert_eq!(id("58c01f").profile(), H264Profile::ConstrainedBaseline);
        assert_eq!(id("58801f").profile(), H264Profile::Baseline);
        assert_eq!(id("58001f").profile(), H264Profile::Extended);
        assert_eq!(id("f4001f").profile(), H264Profile::High444);
        assert_eq!(id("01001f").profile(), H264Profile::Other(1));
        assert_eq!(H264ProfileLevelId::DEFAULT.profile(), H264Profile::Baseline);
    }

    #[test]
    fn parse_rejects_malformed() {
        for bad in ["", "42e01", "42e01f0", "42g01f", "+2e01f"] {
            assert_eq!(H264ProfileLevelId::parse(bad), None, "{bad}");
        }
        assert_eq!(id("42E01F").to_string(), "42e01f");
    }

    #[test]
    fn levels_order_with_1b() {
        let l1 = id("42e00a");
        let l1b = id("42f00b"); // constraint_set3 + level_idc 11 = 1b
        let l11 = id("42e00b");
        let l31 = id("42e01f");
        assert!(l1b.is_level_1b() && !l11.is_level_1b());
        assert!(id("640009").is_level_1b());
        assert_eq!(l1.cmp_level(&l1b), Ordering::Less);
        assert_eq!(l1b.cmp_level(&l11), Ordering::Less);
        assert_eq!(l11.cmp_level(&l31), Ordering::Less);
        assert_eq!(l31.cmp_level(&id("4d001f")), Ordering::Equal);
    }

    #[test]
    fn with_level_of_rewrites_the_level_only() {
        assert_eq!(
            id("42e01f").with_level_of(&id("640c15")).to_string(),
            "42e015"
        );
        assert_eq!(
            id("42e01f").with_level_of(&id("640009")).to_string(),
            "42f00b"
        );
        assert_eq!(
            id("640c1f").with_level_of(&id("42f00b")).to_string(),
            "640c09"
        );
        assert_eq!(
            id("42f00b").with_level_of(&id("42e01f")).to_string(),
            "42e01f"
        );
    }
}
