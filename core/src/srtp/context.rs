//! The SRTP/SRTCP crypto contexts of one direction (RFC 3711 §3.2): session
//! ciphers derived once, plus per-SSRC state created on first use, up to a
//! configured number of SSRCs.

use super::cipher::SessionCiphers;
use super::header::{rtcp_ssrc, rtp_fields};
use super::replay::{MAX_REPLAY_WINDOW, ReplayWindow, estimate_index};
use super::streams::StreamTable;
use super::{SRTCP_E_FLAG, SrtpError, SrtpProfile};

/// Tunables of an SRTP context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SrtpConfig {
    /// SRTP replay window in packets (RFC 3711 §3.3.2; default 1024 as in
    /// current browsers; rounded up to a power of two, at least 64 and at
    /// most 32768).
    pub rtp_replay_window: usize,
    /// SRTCP replay window in packets (default 128).
    pub rtcp_replay_window: usize,
    /// Most SSRCs a context tracks (default 64; 0 refuses every packet). A
    /// packet of a further SSRC is refused with [`SrtpError::TooManySsrcs`].
    pub max_ssrcs: usize,
    /// Let the protector encrypt an SRTP index it has already used (default
    /// `false`, as in libsrtp). Only for retransmitting the *identical*
    /// packet (NACK without RTX): two different packets under one index
    /// reuse the keystream, and for AES-GCM the nonce, which gives away the
    /// authentication key.
    pub allow_repeat_tx: bool,
}

impl Default for SrtpConfig {
    fn default() -> Self {
        Self {
            rtp_replay_window: 1024,
            rtcp_replay_window: 128,
            max_ssrcs: 64,
            allow_repeat_tx: false,
        }
    }
}

impl SrtpConfig {
    fn validate(&self) -> Result<(), SrtpError> {
        for window in [self.rtp_replay_window, self.rtcp_replay_window] {
            if window == 0 || window > MAX_REPLAY_WINDOW {
                return Err(SrtpError::BadReplayWindow(window));
            }
        }
        Ok(())
    }
}

/// What a context did: packets that passed, and one counter per rejection
/// kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SrtpCounters {
    /// RTP packets protected or unprotected successfully.
    pub rtp_packets: u64,
    /// RTCP packets protected or unprotected successfully.
    pub rtcp_packets: u64,
    /// Packets shorter than their header plus trailer.
    pub too_short: u64,
    /// Packets whose version field is not 2.
    pub bad_version: u64,
    /// Protect calls whose buffer had no room for the trailer.
    pub buffer_too_small: u64,
    /// Packets whose tag did not verify.
    pub authentication_failed: u64,
    /// Packets already received.
    pub replayed: u64,
    /// Packets older than the replay window.
    pub too_old: u64,
    /// Packets of an SSRC beyond the configured maximum.
    pub too_many_ssrcs: u64,
    /// Packets refused because the index space is used up.
    pub index_exhausted: u64,
}

impl SrtpCounters {
    /// Counts a refused packet and hands its error back.
    #[cold]
    #[inline(never)]
    fn refused(&mut self, error: SrtpError) -> SrtpError {
        let counter = match error {
            SrtpError::TooShort { .. } => &mut self.too_short,
            SrtpError::BadVersion(_) => &mut self.bad_version,
            SrtpError::BufferTooSmall { .. } => &mut self.buffer_too_small,
            SrtpError::AuthenticationFailed => &mut self.authentication_failed,
            SrtpError::Replayed { .. } => &mut self.replayed,
            SrtpError::TooOld { .. } => &mut self.too_old,
            SrtpError::TooManySsrcs { .. } => &mut self.too_many_ssrcs,
            SrtpError::IndexExhausted { .. } => &mut self.index_exhausted,
            SrtpError::BadKeyLength { .. }
            | SrtpError::BadReplayWindow(_)
            | SrtpError::Crypto(_) => return error,
        };
        *counter += 1;
        error
    }
}

/// Sending state of one SSRC.
#[derive(Debug, Clone)]
struct SendStream {
    /// SRTP indices protected so far (the highest gives the ROC); refuses a
    /// repeated index unless [`SrtpConfig::allow_repeat_tx`].
    rtp: ReplayWindow,
    /// Next SRTCP index to use.
    next_rtcp_index: u32,
}

/// Receiving state of one SSRC.
#[derive(Debug, Clone)]
struct ReceiveStream {
    rtp: ReplayWindow,
    rtcp: ReplayWindow,
}

#[inline]
fn send_stream<'a>(
    streams: &'a mut StreamTable<SendStream>,
    config: &SrtpConfig,
    ssrc: u32,
) -> Result<&'a mut SendStream, SrtpError> {
    streams
        .get_or_insert_with(ssrc, || SendStream {
            rtp: ReplayWindow::new(config.rtp_replay_window),
            next_rtcp_index: 0,
        })
        .ok_or_else(|| too_many_ssrcs(ssrc, config.max_ssrcs))
}

#[cold]
const fn too_many_ssrcs(ssrc: u32, limit: usize) -> SrtpError {
    SrtpError::TooManySsrcs { ssrc, limit }
}

fn new_receive_stream(config: &SrtpConfig) -> ReceiveStream {
    ReceiveStream {
        rtp: ReplayWindow::new(config.rtp_replay_window),
        rtcp: ReplayWindow::new(config.rtcp_replay_window),
    }
}

/// Counts the outcome of one packet: `packets` on success, the error's
/// counter otherwise.
#[inline]
fn record(
    counters: &mut SrtpCounters,
    result: Result<usize, SrtpError>,
    packets: fn(&mut SrtpCounters) -> &mut u64,
) -> Result<usize, SrtpError> {
    match result {
        Ok(len) => {
            *packets(counters) += 1;
            Ok(len)
        }
        Err(error) => Err(counters.refused(error)),
    }
}

fn rtp_packets(counters: &mut SrtpCounters) -> &mut u64 {
    &mut counters.rtp_packets
}

fn rtcp_packets(counters: &mut SrtpCounters) -> &mut u64 {
    &mut counters.rtcp_packets
}

/// The protecting (sending) side of an SRTP session: encrypts and tags
/// outgoing RTP and RTCP in place.
///
/// Per SSRC it keeps the rollover counter, estimated from the sequence
/// numbers it is given (so it follows wraps and places late packets before
/// a wrap correctly), a window of the indices already used, and the SRTCP
/// index. Protecting an index twice is refused with
/// [`SrtpError::Replayed`] (or [`SrtpError::TooOld`] beyond the window)
/// unless [`SrtpConfig::allow_repeat_tx`] is set.
#[derive(Debug)]
pub struct SrtpProtector {
    ciphers: SessionCiphers,
    streams: StreamTable<SendStream>,
    config: SrtpConfig,
    counters: SrtpCounters,
}

impl SrtpProtector {
    /// A context for `profile` keyed with a master key and salt.
    ///
    /// # Errors
    /// [`SrtpError::BadKeyLength`] when the key or salt does not fit the
    /// profile, [`SrtpError::BadReplayWindow`] for a bad configuration.
    pub fn new(
        profile: SrtpProfile,
        master_key: &[u8],
        master_salt: &[u8],
        config: SrtpConfig,
    ) -> Result<Self, SrtpError> {
        config.validate()?;
        Ok(Self::from_ciphers(
            SessionCiphers::new(profile, master_key, master_salt)?,
            config,
        ))
    }

    pub(crate) fn from_ciphers(ciphers: SessionCiphers, config: SrtpConfig) -> Self {
        Self {
            ciphers,
            streams: StreamTable::new(config.max_ssrcs),
            config,
            counters: SrtpCounters::default(),
        }
    }

    /// The protection profile.
    #[must_use]
    pub const fn profile(&self) -> SrtpProfile {
        self.ciphers.profile
    }

    /// Counters of protected packets and refusals.
    #[must_use]
    pub const fn counters(&self) -> &SrtpCounters {
        &self.counters
    }

    /// The rollover counter of `ssrc`'s highest protected packet, if any.
    #[must_use]
    pub fn roc(&self, ssrc: u32) -> Option<u32> {
        self.streams
            .get(ssrc)
            .and_then(|s| s.rtp.highest())
            .map(super::replay::roc_of)
    }

    /// Protects the RTP packet `buf[..len]` in place: encrypts the payload
    /// and appends the tag. `buf` must have
    /// [`SrtpProfile::rtp_overhead`] bytes of room after `len`. Returns the
    /// length of the SRTP packet (`len` + tag).
    ///
    /// # Errors
    /// [`SrtpError::TooShort`] / [`SrtpError::BadVersion`] for a malformed
    /// header, [`SrtpError::BufferTooSmall`], [`SrtpError::TooManySsrcs`],
    /// [`SrtpError::IndexExhausted`]. On error the state is unchanged.
    pub fn protect_rtp(&mut self, buf: &mut [u8], len: usize) -> Result<usize, SrtpError> {
        let result = self.protect_rtp_inner(buf, len);
        record(&mut self.counters, result, rtp_packets)
    }

    fn protect_rtp_inner(&mut self, buf: &mut [u8], len: usize) -> Result<usize, SrtpError> {
        let available = buf.len();
        let packet = buf.get(..len).ok_or(SrtpError::BufferTooSmall {
            needed: len,
            available,
        })?;
        let (ssrc, seq, header_len) = rtp_fields(packet)?;
        let needed = len + self.ciphers.rtp_tag_len();
        if available < needed {
            return Err(SrtpError::BufferTooSmall { needed, available });
        }
        let stream = send_stream(&mut self.streams, &self.config, ssrc)?;
        let index = estimate_index(stream.rtp.highest(), seq, ssrc)?;
        if !self.config.allow_repeat_tx {
            stream.rtp.check(index)?;
        }
        let out = self.ciphers.seal_rtp(buf, header_len, len, ssrc, index)?;
        stream.rtp.accept(index);
        Ok(out)
    }

    /// Protects the RTCP compound `buf[..len]` in place: encrypts everything
    /// after the first 8 bytes, appends the E flag with the SRTCP index and
    /// the tag. `buf` must have [`SrtpProfile::rtcp_overhead`] bytes of room
    /// after `len`. Returns the length of the SRTCP packet.
    ///
    /// # Errors
    /// As [`protect_rtp`](Self::protect_rtp); [`SrtpError::IndexExhausted`]
    /// after 2^31 packets of one SSRC.
    pub fn protect_rtcp(&mut self, buf: &mut [u8], len: usize) -> Result<usize, SrtpError> {
        let result = self.protect_rtcp_inner(buf, len);
        record(&mut self.counters, result, rtcp_packets)
    }

    fn protect_rtcp_inner(&mut self, buf: &mut [u8], len: usize) -> Result<usize, SrtpError> {
        let available = buf.len();
        let packet = buf.get(..len).ok_or(SrtpError::BufferTooSmall {
            needed: len,
            available,
        })?;
        let ssrc = rtcp_ssrc(packet)?;
        let needed = len + self.profile().rtcp_overhead();
        if available < needed {
            return Err(SrtpError::BufferTooSmall { needed, available });
        }
        let stream = send_stream(&mut self.streams, &self.config, ssrc)?;
        let index = stream.next_rtcp_index;
        if index & SRTCP_E_FLAG != 0 {
            return Err(SrtpError::IndexExhausted { ssrc });
        }
        let out = self.ciphers.seal_rtcp(buf, len, ssrc, index)?;
        stream.next_rtcp_index = index + 1;
        Ok(out)
    }

    #[cfg(test)]
    pub(crate) fn set_next_rtcp_index(&mut self, ssrc: u32, index: u32) {
        if let Ok(stream) = send_stream(&mut self.streams, &self.config, ssrc) {
            stream.next_rtcp_index = index;
        }
    }
}

/// The unprotecting (receiving) side of an SRTP session: verifies and
/// decrypts incoming SRTP and SRTCP in place.
///
/// Per SSRC it keeps a replay window for SRTP (its highest index also gives
/// the rollover counter) and one for SRTCP. A stream is created only once
/// a packet of its SSRC has been authenticated, and a rejected packet never
/// moves a window or the rollover counter.
#[derive(Debug)]
pub struct SrtpUnprotector {
    ciphers: SessionCiphers,
    streams: StreamTable<ReceiveStream>,
    config: SrtpConfig,
    counters: SrtpCounters,
}

impl SrtpUnprotector {
    /// A context for `profile` keyed with a master key and salt.
    ///
    /// # Errors
    /// As [`SrtpProtector::new`].
    pub fn new(
        profile: SrtpProfile,
        master_key: &[u8],
        master_salt: &[u8],
        config: SrtpConfig,
    ) -> Result<Self, SrtpError> {
        config.validate()?;
        Ok(Self::from_ciphers(
            SessionCiphers::new(profile, master_key, master_salt)?,
            config,
        ))
    }

    pub(crate) fn from_ciphers(ciphers: SessionCiphers, config: SrtpConfig) -> Self {
        Self {
            ciphers,
            streams: StreamTable::new(config.max_ssrcs),
            config,
            counters: SrtpCounters::default(),
        }
    }

    /// The protection profile.
    #[must_use]
    pub const fn profile(&self) -> SrtpProfile {
        self.ciphers.profile
    }

    /// Counters of accepted packets and of each rejection kind.
    #[must_use]
    pub const fn counters(&self) -> &SrtpCounters {
        &self.counters
    }

    /// Number of SSRCs with state.
    #[must_use]
    pub fn ssrc_count(&self) -> usize {
        self.streams.len()
    }

    /// The rollover counter of `ssrc`'s highest accepted SRTP packet.
    #[must_use]
    pub fn roc(&self, ssrc: u32) -> Option<u32> {
        self.streams
            .get(ssrc)
            .and_then(|s| s.rtp.highest())
            .map(super::replay::roc_of)
    }

    /// Highest accepted SRTCP index of `ssrc`.
    #[must_use]
    pub fn highest_rtcp_index(&self, ssrc: u32) -> Option<u32> {
        self.streams
            .get(ssrc)
            .and_then(|s| s.rtcp.highest())
            .and_then(|i| u32::try_from(i).ok())
    }

    fn refuse_new(&self, ssrc: u32) -> Result<(), SrtpError> {
        if self.streams.is_full() {
            return Err(too_many_ssrcs(ssrc, self.config.max_ssrcs));
        }
        Ok(())
    }

    /// Unprotects the SRTP packet that fills `packet` in place: verifies the
    /// tag, checks the replay window, decrypts the payload. Returns the
    /// length of the RTP packet (a prefix of `packet`).
    ///
    /// # Errors
    /// [`SrtpError::TooShort`], [`SrtpError::BadVersion`],
    /// [`SrtpError::AuthenticationFailed`], [`SrtpError::Replayed`],
    /// [`SrtpError::TooOld`], [`SrtpError::TooManySsrcs`],
    /// [`SrtpError::IndexExhausted`]. On error the context is unchanged and
    /// the packet must be dropped (for GCM its payload bytes are
    /// unspecified).
    pub fn unprotect_rtp(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        let result = self.unprotect_rtp_inner(packet);
        record(&mut self.counters, result, rtp_packets)
    }

    fn unprotect_rtp_inner(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        let tag_len = self.ciphers.rtp_tag_len();
        let authenticated_len = packet.len().saturating_sub(tag_len);
        let authenticated = packet.get(..authenticated_len).unwrap_or_default();
        let (ssrc, seq, header_len) = rtp_fields(authenticated).map_err(|e| match e {
            SrtpError::TooShort { needed, .. } => SrtpError::TooShort {
                needed: needed + tag_len,
                got: packet.len(),
            },
            other => other,
        })?;
        if let Some(stream) = self.streams.get_mut(ssrc) {
            let index = estimate_index(stream.rtp.highest(), seq, ssrc)?;
            stream.rtp.check(index)?;
            let len = self.ciphers.open_rtp(packet, header_len, ssrc, index)?;
            stream.rtp.accept(index);
            return Ok(len);
        }
        self.unprotect_rtp_new_stream(packet, ssrc, seq, header_len)
    }

    /// The first packet of an SSRC: the stream is created only once the
    /// packet has authenticated.
    #[cold]
    #[inline(never)]
    fn unprotect_rtp_new_stream(
        &mut self,
        packet: &mut [u8],
        ssrc: u32,
        seq: u16,
        header_len: usize,
    ) -> Result<usize, SrtpError> {
        self.refuse_new(ssrc)?;
        let index = estimate_index(None, seq, ssrc)?;
        let len = self.ciphers.open_rtp(packet, header_len, ssrc, index)?;
        let mut stream = new_receive_stream(&self.config);
        stream.rtp.accept(index);
        self.streams.insert(ssrc, stream);
        Ok(len)
    }

    /// Unprotects the SRTCP packet that fills `packet` in place: verifies
    /// the tag, checks the SRTCP replay window, decrypts when the E flag is
    /// set. Returns the length of the RTCP compound (a prefix of `packet`).
    ///
    /// # Errors
    /// As [`unprotect_rtp`](Self::unprotect_rtp).
    pub fn unprotect_rtcp(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        let result = self.unprotect_rtcp_inner(packet);
        record(&mut self.counters, result, rtcp_packets)
    }

    fn unprotect_rtcp_inner(&mut self, packet: &mut [u8]) -> Result<usize, SrtpError> {
        let word = self.ciphers.srtcp_index_word(packet)?;
        let ssrc = rtcp_ssrc(packet)?;
        let index = u64::from(word & !SRTCP_E_FLAG);
        if let Some(stream) = self.streams.get_mut(ssrc) {
            stream.rtcp.check(index)?;
            let len = self.ciphers.open_rtcp(packet, ssrc, word)?;
            stream.rtcp.accept(index);
            return Ok(len);
        }
        self.unprotect_rtcp_new_stream(packet, ssrc, word)
    }

    /// The first SRTCP packet of an SSRC (see
    /// [`unprotect_rtp_new_stream`](Self::unprotect_rtp_new_stream)).
    #[cold]
    #[inline(never)]
    fn unprotect_rtcp_new_stream(
        &mut self,
        packet: &mut [u8],
        ssrc: u32,
        word: u32,
    ) -> Result<usize, SrtpError> {
        let index = u64::from(word & !SRTCP_E_FLAG);
        self.refuse_new(ssrc)?;
        let len = self.ciphers.open_rtcp(packet, ssrc, word)?;
        let mut stream = new_receive_stream(&self.config);
        stream.rtcp.accept(index);
        self.streams.insert(ssrc, stream);
        Ok(len)
    }
}
