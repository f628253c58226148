//! Maps keyed by stream id with a trivial hasher: stream ids are small
//! integers chosen by the endpoints, and the per-chunk lookups on the hot
//! path should not pay for SipHash. (A peer choosing colliding ids only
//! slows its own association's lookups, bounded by 65 535 streams.)

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hashes a `u16` stream id by spreading it over the word.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct StreamIdHasher(u64);

impl Hasher for StreamIdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8 | u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }

    fn write_u16(&mut self, v: u16) {
        self.0 = u64::from(v).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

/// A map keyed by stream id.
pub(crate) type StreamMap<V> = HashMap<u16, V, BuildHasherDefault<StreamIdHasher>>;
