//! The state cookie (RFC 9260 §5.1.3): everything the association needs
//! from the INIT / INIT-ACK exchange, signed with HMAC-SHA-256 under a
//! per-association secret so that a listener keeps no state until the
//! COOKIE-ECHO proves the peer's address.

use crate::crypto::{DigestAlgorithm, HmacKey};

use super::super::{put, put_u16, put_u32, read_u16, read_u32};

/// Length of the signed fields.
const BODY_LEN: usize = 48;
/// Length of the MAC.
const MAC_LEN: usize = 32;
/// Length of a cookie on the wire.
pub(crate) const COOKIE_LEN: usize = BODY_LEN + MAC_LEN;

/// Flag: the peer supports FORWARD-TSN (RFC 3758).
pub(crate) const PEER_FORWARD_TSN: u8 = 1;
/// Flag: the peer supports RE-CONFIG (RFC 6525).
pub(crate) const PEER_RECONFIG: u8 = 2;
/// Flag: the peer accepts zero checksums over DTLS (RFC 9653).
pub(crate) const PEER_ZERO_CHECKSUM: u8 = 4;
/// Flag: the peer supports I-DATA (RFC 8260).
pub(crate) const PEER_I_DATA: u8 = 8;

/// The fields carried by a cookie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CookieFields {
    /// When the cookie was made, in nanoseconds since the association's epoch.
    pub(crate) created_ns: u64,
    /// Our verification tag.
    pub(crate) local_tag: u32,
    /// The peer's verification tag.
    pub(crate) peer_tag: u32,
    /// Our initial TSN.
    pub(crate) local_initial_tsn: u32,
    /// The peer's initial TSN.
    pub(crate) peer_initial_tsn: u32,
    /// The peer's a_rwnd.
    pub(crate) peer_rwnd: u32,
    /// Streams we send on (min of our outbound and their inbound).
    pub(crate) outbound_streams: u16,
    /// Streams we receive on.
    pub(crate) inbound_streams: u16,
    /// `PEER_*` flags.
    pub(crate) flags: u8,
    /// Tie-tags (RFC 9260 §5.2.2): our and the peer's tags of the
    /// association that existed when the INIT arrived (0 when none).
    pub(crate) local_tie_tag: u32,
    /// The peer's tie-tag.
    pub(crate) peer_tie_tag: u32,
}

/// HMAC-SHA-256 of `body` under the cookie secret (handshake only: the key
/// is scheduled per cookie, never per data packet).
fn mac(key: &[u8; 32], body: &[u8]) -> [u8; MAC_LEN] {
    let mut out = [0u8; MAC_LEN];
    // `out` is exactly SHA-256's output length, so this cannot fail.
    let _ = HmacKey::new(DigestAlgorithm::Sha256, key).sign_into(&[body], &mut out);
    out
}

impl CookieFields {
    /// Serialises and signs the cookie.
    pub(crate) fn seal(&self, key: &[u8; 32]) -> [u8; COOKIE_LEN] {
        let mut c = [0u8; COOKIE_LEN];
        put(&mut c, 0, &self.created_ns.to_be_bytes());
        put_u32(&mut c, 8, self.local_tag);
        put_u32(&mut c, 12, self.peer_tag);
        put_u32(&mut c, 16, self.local_initial_tsn);
        put_u32(&mut c, 20, self.peer_initial_tsn);
        put_u32(&mut c, 24, self.peer_rwnd);
        put_u16(&mut c, 28, self.outbound_streams);
        put_u16(&mut c, 30, self.inbound_streams);
        put(&mut c, 32, &[self.flags]);
        put_u32(&mut c, 36, self.local_tie_tag);
        put_u32(&mut c, 40, self.peer_tie_tag);
        let m = mac(key, c.get(..BODY_LEN).unwrap_or_default());
        put(&mut c, BODY_LEN, &m);
        c
    }

    /// Checks the MAC (in constant time) and decodes the cookie.
    pub(crate) fn open(key: &[u8; 32], cookie: &[u8]) -> Option<Self> {
        if cookie.len() != COOKIE_LEN {
            return None;
        }
        let (body, tag) = cookie.split_at_checked(BODY_LEN)?;
        // Constant-time comparison inside `verify`.
        HmacKey::new(DigestAlgorithm::Sha256, key)
            .verify(&[body], tag)
            .ok()?;
        let created: [u8; 8] = body.get(..8)?.try_into().ok()?;
        Some(Self {
            created_ns: u64::from_be_bytes(created),
            local_tag: read_u32(body, 8).ok()?,
            peer_tag: read_u32(body, 12).ok()?,
            local_initial_tsn: read_u32(body, 16).ok()?,
            peer_initial_tsn: read_u32(body, 20).ok()?,
            peer_rwnd: read_u32(body, 24).ok()?,
            outbound_streams: read_u16(body, 28).ok()?,
            inbound_streams: read_u16(body, 30).ok()?,
            flags: *body.get(32)?,
            local_tie_tag: read_u32(body, 36).ok()?,
            peer_tie_tag: read_u32(body, 40).ok()?,
        })
    }
}
