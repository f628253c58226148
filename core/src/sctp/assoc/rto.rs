//! Retransmission timeout computation (RFC 6298, RFC 9260 §6.3.1).

use std::time::Duration;

/// Smoothed RTT, RTT variance and the resulting RTO.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RtoEstimator {
    srtt: Option<Duration>,
    rttvar: Duration,
    rto: Duration,
    min: Duration,
    max: Duration,
}

impl RtoEstimator {
    pub(crate) fn new(initial: Duration, min: Duration, max: Duration) -> Self {
        Self {
            srtt: None,
            rttvar: Duration::ZERO,
            rto: initial.clamp(min, max),
            min,
            max,
        }
    }

    /// The current RTO.
    pub(crate) fn rto(&self) -> Duration {
        self.rto
    }

    /// The smoothed RTT, once measured.
    pub(crate) fn srtt(&self) -> Option<Duration> {
        self.srtt
    }

    /// Takes one RTT measurement (RFC 6298 §2.2 / §2.3, alpha 1/8, beta 1/4,
    /// clock granularity 1 ms).
    pub(crate) fn sample(&mut self, r: Duration) {
        match self.srtt {
            None => {
                self.srtt = Some(r);
                self.rttvar = r / 2;
            }
            Some(srtt) => {
                let delta = srtt.abs_diff(r);
                self.rttvar = self.rttvar * 3 / 4 + delta / 4;
                self.srtt = Some(srtt * 7 / 8 + r / 8);
            }
        }
        let srtt = self.srtt.unwrap_or(r);
        let g = Duration::from_millis(1);
        self.rto = (srtt + (self.rttvar * 4).max(g)).clamp(self.min, self.max);
    }

    /// Drops the back-off once the peer acknowledges new data again (as
    /// TCP stacks do): the RTO returns to SRTT + 4·RTTVAR. Without a
    /// measurement yet, the backed-off value stays.
    pub(crate) fn clear_back_off(&mut self) {
        if let Some(srtt) = self.srtt {
            let g = Duration::from_millis(1);
            self.rto = (srtt + (self.rttvar * 4).max(g)).clamp(self.min, self.max);
        }
    }

    /// Doubles the RTO after a timeout (RFC 6298 §5.5), up to the maximum.
    pub(crate) fn back_off(&mut self) {
        self.rto = (self.rto * 2).min(self.max);
    }
}

/// Serial number arithmetic on 32-bit TSNs (RFC 1982): true when `a`
/// comes before `b`.
pub(crate) fn tsn_lt(a: u32, b: u32) -> bool {
    (a.wrapping_sub(b) as i32) < 0
}

/// True when `a` comes before or equals `b`.
pub(crate) fn tsn_le(a: u32, b: u32) -> bool {
    a == b || tsn_lt(a, b)
}

/// Serial comparison on 16-bit SSNs: true when `a` comes before `b`.
pub(crate) fn ssn_lt(a: u16, b: u16) -> bool {
    (a.wrapping_sub(b) as i16) < 0
}
