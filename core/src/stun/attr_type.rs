//! STUN attribute type numbers (RFC 8489 §18.3, RFC 8656 §18, RFC 8445
//! §16.1) and the comprehension-required / optional split (RFC 8489 §14).

use std::fmt;

/// A STUN attribute type (16 bits).
///
/// Types 0x0000..=0x7FFF are comprehension-required: an agent that does
/// not understand one must reject a request carrying it with a 420
/// (Unknown Attribute) error. Types 0x8000..=0xFFFF are
/// comprehension-optional and are skipped when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AttributeType(pub u16);

impl AttributeType {
    /// MAPPED-ADDRESS (RFC 8489 §14.1).
    pub const MAPPED_ADDRESS: AttributeType = AttributeType(0x0001);
    /// USERNAME (RFC 8489 §14.3).
    pub const USERNAME: AttributeType = AttributeType(0x0006);
    /// MESSAGE-INTEGRITY, HMAC-SHA1 (RFC 8489 §14.5).
    pub const MESSAGE_INTEGRITY: AttributeType = AttributeType(0x0008);
    /// ERROR-CODE (RFC 8489 §14.8).
    pub const ERROR_CODE: AttributeType = AttributeType(0x0009);
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.13).
    pub const UNKNOWN_ATTRIBUTES: AttributeType = AttributeType(0x000A);
    /// CHANNEL-NUMBER (RFC 8656 §18.1).
    pub const CHANNEL_NUMBER: AttributeType = AttributeType(0x000C);
    /// LIFETIME (RFC 8656 §18.2).
    pub const LIFETIME: AttributeType = AttributeType(0x000D);
    /// XOR-PEER-ADDRESS (RFC 8656 §18.3).
    pub const XOR_PEER_ADDRESS: AttributeType = AttributeType(0x0012);
    /// DATA (RFC 8656 §18.4).
    pub const DATA: AttributeType = AttributeType(0x0013);
    /// REALM (RFC 8489 §14.9).
    pub const REALM: AttributeType = AttributeType(0x0014);
    /// NONCE (RFC 8489 §14.10).
    pub const NONCE: AttributeType = AttributeType(0x0015);
    /// XOR-RELAYED-ADDRESS (RFC 8656 §18.5).
    pub const XOR_RELAYED_ADDRESS: AttributeType = AttributeType(0x0016);
    /// REQUESTED-TRANSPORT (RFC 8656 §18.7).
    pub const REQUESTED_TRANSPORT: AttributeType = AttributeType(0x0019);
    /// MESSAGE-INTEGRITY-SHA256 (RFC 8489 §14.6).
    pub const MESSAGE_INTEGRITY_SHA256: AttributeType = AttributeType(0x001C);
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2).
    pub const XOR_MAPPED_ADDRESS: AttributeType = AttributeType(0x0020);
    /// PRIORITY (RFC 8445 §16.1).
    pub const PRIORITY: AttributeType = AttributeType(0x0024);
    /// USE-CANDIDATE (RFC 8445 §16.1).
    pub const USE_CANDIDATE: AttributeType = AttributeType(0x0025);
    /// SOFTWARE (RFC 8489 §14.14).
    pub const SOFTWARE: AttributeType = AttributeType(0x8022);
    /// FINGERPRINT (RFC 8489 §14.7).
    pub const FINGERPRINT: AttributeType = AttributeType(0x8028);
    /// ICE-CONTROLLED (RFC 8445 §16.1).
    pub const ICE_CONTROLLED: AttributeType = AttributeType(0x8029);
    /// ICE-CONTROLLING (RFC 8445 §16.1).
    pub const ICE_CONTROLLING: AttributeType = AttributeType(0x802A);
    /// GOOG-NETWORK-INFO (0xC057), sent by Chromium; not decoded, kept as
    /// a name only.
    pub const GOOG_NETWORK_INFO: AttributeType = AttributeType(0xC057);

    /// Whether an agent that does not understand this type must reject
    /// the message (types below 0x8000).
    pub const fn is_comprehension_required(self) -> bool {
        self.0 < 0x8000
    }

    /// Whether this layer decodes values of this type (everything listed
    /// as a constant above except GOOG-NETWORK-INFO). Unknown
    /// comprehension-required types are what a 420 response lists.
    pub const fn is_understood(self) -> bool {
        matches!(
            self.0,
            0x0001
                | 0x0006
                | 0x0008
                | 0x0009
                | 0x000A
                | 0x000C
                | 0x000D
                | 0x0012
                | 0x0013
                | 0x0014
                | 0x0015
                | 0x0016
                | 0x0019
                | 0x001C
                | 0x0020
                | 0x0024
                | 0x0025
                | 0x8022
                | 0x8028
                | 0x8029
                | 0x802A
        )
    }

    /// The registered name, for the types this layer knows by name
    /// (including a few it does not decode).
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x0001 => "MAPPED-ADDRESS",
            0x0006 => "USERNAME",
            0x0008 => "MESSAGE-INTEGRITY",
            0x0009 => "ERROR-CODE",
            0x000A => "UNKNOWN-ATTRIBUTES",
            0x000C => "CHANNEL-NUMBER",
            0x000D => "LIFETIME",
            0x0012 => "XOR-PEER-ADDRESS",
            0x0013 => "DATA",
            0x0014 => "REALM",
            0x0015 => "NONCE",
            0x0016 => "XOR-RELAYED-ADDRESS",
            0x0017 => "REQUESTED-ADDRESS-FAMILY",
            0x0018 => "EVEN-PORT",
            0x0019 => "REQUESTED-TRANSPORT",
            0x001A => "DONT-FRAGMENT",
            0x001C => "MESSAGE-INTEGRITY-SHA256",
            0x001D => "PASSWORD-ALGORITHM",
            0x001E => "USERHASH",
            0x0020 => "XOR-MAPPED-ADDRESS",
            0x0022 => "RESERVATION-TOKEN",
            0x0024 => "PRIORITY",
            0x0025 => "USE-CANDIDATE",
            0x8002 => "PASSWORD-ALGORITHMS",
            0x8003 => "ALTERNATE-DOMAIN",
            0x8022 => "SOFTWARE",
            0x8023 => "ALTERNATE-SERVER",
            0x8028 => "FINGERPRINT",
            0x8029 => "ICE-CONTROLLED",
            0x802A => "ICE-CONTROLLING",
            0xC057 => "GOOG-NETWORK-INFO",
            _ => return None,
        })
    }
}

impl fmt::Display for AttributeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "{:#06x}", self.0),
        }
    }
}
