//! Replay protection (RFC 3711 §3.3.2) and SRTP index estimation
//! (RFC 3711 §3.3.1 and Appendix A).

use super::SrtpError;

/// Largest supported replay window, in packets.
pub const MAX_REPLAY_WINDOW: usize = 32_768;

/// A sliding replay window over packet indices: the highest index accepted
/// so far and one bit for each of the `size` indices up to it.
///
/// [`check`](Self::check) never mutates, [`accept`](Self::accept) is called
/// only once a packet has been authenticated, so a rejected packet never
/// moves the window. The bitmap is a ring indexed by `index mod size`, with
/// `size` a power of two so the slot is a mask, not a division (this runs
/// on every packet); it is allocated once when the stream is created.
#[derive(Debug, Clone)]
pub(crate) struct ReplayWindow {
    bits: Box<[u64]>,
    /// `size - 1`, `size` being a power of two of at least 64.
    mask: u64,
    highest: Option<u64>,
}

impl ReplayWindow {
    /// A window of at least `packets` indices (rounded up to a power of two,
    /// at least 64).
    pub(crate) fn new(packets: usize) -> Self {
        let size = packets.max(64).next_power_of_two();
        Self {
            bits: vec![0u64; size / 64].into_boxed_slice(),
            mask: size as u64 - 1,
            highest: None,
        }
    }

    /// Number of indices the window covers.
    pub(crate) const fn size(&self) -> u64 {
        self.mask + 1
    }

    /// Highest accepted index, `None` before the first packet.
    pub(crate) const fn highest(&self) -> Option<u64> {
        self.highest
    }

    const fn slot(&self, index: u64) -> (usize, u64) {
        let pos = index & self.mask;
        ((pos / 64) as usize, 1u64 << (pos % 64))
    }

    fn bit(&self, index: u64) -> bool {
        let (word, mask) = self.slot(index);
        self.bits.get(word).is_some_and(|w| w & mask != 0)
    }

    fn set(&mut self, index: u64, value: bool) {
        let (word, mask) = self.slot(index);
        if let Some(w) = self.bits.get_mut(word) {
            if value {
                *w |= mask;
            } else {
                *w &= !mask;
            }
        }
    }

    /// Whether `index` may be accepted: newer than the highest, or inside
    /// the window and not yet seen.
    #[inline]
    pub(crate) fn check(&self, index: u64) -> Result<(), SrtpError> {
        let Some(highest) = self.highest else {
            return Ok(());
        };
        if index > highest {
            return Ok(());
        }
        if highest - index >= self.size() {
            return Err(SrtpError::TooOld { index });
        }
        if self.bit(index) {
            return Err(SrtpError::Replayed { index });
        }
        Ok(())
    }

    /// Records `index` as received (call only after authentication).
    #[inline]
    pub(crate) fn accept(&mut self, index: u64) {
        match self.highest {
            Some(highest) if index <= highest => self.set(index, true),
            Some(highest) => {
                let jump = index - highest;
                if jump >= self.size() {
                    self.bits.fill(0);
                } else {
                    for newer in highest + 1..index {
                        self.set(newer, false);
                    }
                }
                self.set(index, true);
                self.highest = Some(index);
            }
            None => {
                self.bits.fill(0);
                self.set(index, true);
                self.highest = Some(index);
            }
        }
    }
}

/// Estimates the 48-bit SRTP index `ROC·2^16 + SEQ` of a packet with
/// sequence number `seq`, given the highest index seen so far on the stream
/// (RFC 3711 Appendix A): the candidate ROC among ROC−1, ROC, ROC+1 that puts
/// the index closest to the highest one. A stream starts at ROC 0, so ROC−1
/// is never guessed while the ROC is 0 (the packet is then taken as a jump
/// forward within ROC 0, as libsrtp does).
///
/// # Errors
/// [`SrtpError::IndexExhausted`] when the ROC would pass 2^32 − 1.
#[inline]
pub(crate) fn estimate_index(highest: Option<u64>, seq: u16, ssrc: u32) -> Result<u64, SrtpError> {
    const HALF: u16 = 1 << 15;
    let Some(highest) = highest else {
        return Ok(u64::from(seq));
    };
    let roc = highest >> 16;
    let s_l = highest as u16;
    let v = if s_l < HALF {
        if seq > s_l && seq - s_l > HALF {
            roc.saturating_sub(1)
        } else {
            roc
        }
    } else if s_l - HALF > seq {
        roc + 1
    } else {
        roc
    };
    if v > u64::from(u32::MAX) {
        return Err(SrtpError::IndexExhausted { ssrc });
    }
    Ok((v << 16) | u64::from(seq))
}

/// The ROC part of a 48-bit SRTP index.
pub(crate) const fn roc_of(index: u64) -> u32 {
    (index >> 16) as u32
}
