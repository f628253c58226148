//! The negotiated mapping between extension URIs and local ids (SDP
//! `a=extmap`, RFC 8285 §5), fixed-size and allocation-free.

use super::error::RtpError;

/// The header extensions this layer knows by URI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u8)]
pub enum ExtensionKind {
    /// `http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time`
    AbsSendTime,
    /// `http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01`
    TransportSequenceNumber,
    /// `urn:ietf:params:rtp-hdrext:sdes:mid` (RFC 8843)
    SdesMid,
    /// `urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id` (RFC 8852)
    RtpStreamId,
    /// `urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id` (RFC 8852)
    RepairedRtpStreamId,
    /// `urn:ietf:params:rtp-hdrext:ssrc-audio-level` (RFC 6464)
    AudioLevel,
    /// `urn:3gpp:video-orientation` (3GPP TS 26.114)
    VideoOrientation,
    /// `http://www.webrtc.org/experiments/rtp-hdrext/playout-delay`
    PlayoutDelay,
}

impl ExtensionKind {
    /// Every kind, in declaration order.
    pub const ALL: [ExtensionKind; 8] = [
        Self::AbsSendTime,
        Self::TransportSequenceNumber,
        Self::SdesMid,
        Self::RtpStreamId,
        Self::RepairedRtpStreamId,
        Self::AudioLevel,
        Self::VideoOrientation,
        Self::PlayoutDelay,
    ];

    /// The URI used in `a=extmap`.
    pub const fn uri(self) -> &'static str {
        match self {
            Self::AbsSendTime => "http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time",
            Self::TransportSequenceNumber => {
                "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01"
            }
            Self::SdesMid => "urn:ietf:params:rtp-hdrext:sdes:mid",
            Self::RtpStreamId => "urn:ietf:params:rtp-hdrext:sdes:rtp-stream-id",
            Self::RepairedRtpStreamId => "urn:ietf:params:rtp-hdrext:sdes:repaired-rtp-stream-id",
            Self::AudioLevel => "urn:ietf:params:rtp-hdrext:ssrc-audio-level",
            Self::VideoOrientation => "urn:3gpp:video-orientation",
            Self::PlayoutDelay => "http://www.webrtc.org/experiments/rtp-hdrext/playout-delay",
        }
    }

    /// The kind a URI names, or `None` for URIs this layer does not know.
    pub fn from_uri(uri: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.uri() == uri)
    }

    #[inline]
    const fn index(self) -> usize {
        self as usize
    }
}

/// Local id ↔ extension kind for one media section (or a BUNDLE group),
/// as negotiated by `a=extmap:<id> <uri>`.
///
/// Ids are 1..=255 (ids above 14 need the two-byte form). Lookups both ways
/// are array indexing; the map is `Copy` and holds no heap memory. URIs this
/// layer has no [`ExtensionKind`] for are not stored.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct ExtensionMap {
    by_id: [Option<ExtensionKind>; 256],
    by_kind: [u8; ExtensionKind::ALL.len()],
}

impl Default for ExtensionMap {
    fn default() -> Self {
        Self::new()
    }
}

impl core::fmt::Debug for ExtensionMap {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl ExtensionMap {
    /// An empty map.
    pub const fn new() -> Self {
        Self {
            by_id: [None; 256],
            by_kind: [0; ExtensionKind::ALL.len()],
        }
    }

    /// Maps `id` to `kind`, replacing whatever `id` or `kind` was mapped to
    /// before. Id 0 is [`RtpError::BadExtensionId`].
    pub fn insert(&mut self, id: u8, kind: ExtensionKind) -> Result<(), RtpError> {
        if id == 0 {
            return Err(RtpError::BadExtensionId(0));
        }
        self.remove_id(id);
        if let Some(old) = self.id_of(kind) {
            self.remove_id(old);
        }
        if let Some(slot) = self.by_id.get_mut(usize::from(id)) {
            *slot = Some(kind);
        }
        if let Some(slot) = self.by_kind.get_mut(kind.index()) {
            *slot = id;
        }
        Ok(())
    }

    /// Maps `id` to the kind `uri` names, as from `a=extmap:<id> <uri>`.
    /// Returns the kind, or `None` if the URI is unknown (nothing stored).
    /// Ids outside 1..=255 are [`RtpError::BadExtensionId`].
    pub fn insert_uri(&mut self, id: u16, uri: &str) -> Result<Option<ExtensionKind>, RtpError> {
        let id = u8::try_from(id)
            .ok()
            .filter(|&id| id != 0)
            .ok_or(RtpError::BadExtensionId(id))?;
        let Some(kind) = ExtensionKind::from_uri(uri) else {
            return Ok(None);
        };
        self.insert(id, kind)?;
        Ok(Some(kind))
    }

    /// Removes the mapping of `id`; returns the kind it had.
    pub fn remove_id(&mut self, id: u8) -> Option<ExtensionKind> {
        let kind = self.by_id.get_mut(usize::from(id))?.take()?;
        if let Some(slot) = self.by_kind.get_mut(kind.index()) {
            *slot = 0;
        }
        Some(kind)
    }

    /// The id negotiated for `kind`.
    #[inline]
    pub fn id_of(&self, kind: ExtensionKind) -> Option<u8> {
        self.by_kind
            .get(kind.index())
            .copied()
            .filter(|&id| id != 0)
    }

    /// The kind mapped to `id`.
    #[inline]
    pub fn kind_of(&self, id: u8) -> Option<ExtensionKind> {
        self.by_id.get(usize::from(id)).copied().flatten()
    }

    /// The id negotiated for the extension named by `uri`.
    pub fn id_of_uri(&self, uri: &str) -> Option<u8> {
        self.id_of(ExtensionKind::from_uri(uri)?)
    }

    /// `(id, kind)` pairs in increasing id order.
    pub fn iter(&self) -> impl Iterator<Item = (u8, ExtensionKind)> + '_ {
        (1..=u8::MAX).filter_map(|id| Some((id, self.kind_of(id)?)))
    }

    /// True when nothing is mapped.
    pub fn is_empty(&self) -> bool {
        self.by_kind.iter().all(|&id| id == 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_round_trip() {
        for kind in ExtensionKind::ALL {
            assert_eq!(ExtensionKind::from_uri(kind.uri()), Some(kind));
        }
        assert_eq!(ExtensionKind::from_uri("urn:example:unknown"), None);
        assert_eq!(
            ExtensionKind::from_uri("urn:ietf:params:rtp-hdrext:sdes:mid"),
            Some(ExtensionKind::SdesMid)
        );
    }

    #[test]
    fn insert_lookup_replace() {
        let mut map = ExtensionMap::new();
        assert!(map.is_empty());
        map.insert(3, ExtensionKind::TransportSequenceNumber)
            .unwrap();
        assert_eq!(
            map.insert_uri(2, ExtensionKind::AbsSendTime.uri()),
            Ok(Some(ExtensionKind::AbsSendTime))
        );
        assert_eq!(map.insert_uri(9, "urn:example:unknown"), Ok(None));
        assert_eq!(map.id_of(ExtensionKind::TransportSequenceNumber), Some(3));
        assert_eq!(map.kind_of(2), Some(ExtensionKind::AbsSendTime));
        assert_eq!(map.kind_of(9), None);
        assert_eq!(map.id_of(ExtensionKind::SdesMid), None);
        // Safari-style high id.
        map.insert(255, ExtensionKind::SdesMid).unwrap();
        assert_eq!(
            map.id_of_uri("urn:ietf:params:rtp-hdrext:sdes:mid"),
            Some(255)
        );
        // Moving a kind to another id frees the old id.
        map.insert(7, ExtensionKind::TransportSequenceNumber)
            .unwrap();
        assert_eq!(map.kind_of(3), None);
        assert_eq!(map.id_of(ExtensionKind::TransportSequenceNumber), Some(7));
        // Reusing an id evicts the kind that had it.
        map.insert(7, ExtensionKind::AudioLevel).unwrap();
        assert_eq!(map.id_of(ExtensionKind::TransportSequenceNumber), None);
        assert_eq!(
            map.iter().collect::<Vec<_>>(),
            vec![
                (2, ExtensionKind::AbsSendTime),
                (7, ExtensionKind::AudioLevel),
                (255, ExtensionKind::SdesMid)
            ]
        );
        assert_eq!(map.remove_id(2), Some(ExtensionKind::AbsSendTime));
        assert_eq!(map.id_of(ExtensionKind::AbsSendTime), None);
        assert_eq!(map.remove_id(2), None);
    }

    #[test]
    fn bad_ids() {
        let mut map = ExtensionMap::new();
        assert_eq!(
            map.insert(0, ExtensionKind::AudioLevel),
            Err(RtpError::BadExtensionId(0))
        );
        assert_eq!(
            map.insert_uri(256, ExtensionKind::AudioLevel.uri()),
            Err(RtpError::BadExtensionId(256))
        );
        assert_eq!(
            map.insert_uri(4096, ExtensionKind::AudioLevel.uri()),
            Err(RtpError::BadExtensionId(4096))
        );
        assert!(map.is_empty());
    }
}
