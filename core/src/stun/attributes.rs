//! Typed STUN attribute values: decoding from the wire and encoding into a
//! caller buffer (RFC 8489 §14, RFC 8445 §16.1, RFC 8656 §18).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::attr_type::AttributeType;
use super::error::StunError;
use super::header::{MAGIC_COOKIE, TransactionId};

/// Longest USERNAME value allowed (RFC 8489 §14.3: less than 513 bytes).
pub const MAX_USERNAME_LEN: usize = 512;
/// Longest REALM, NONCE, SOFTWARE or ERROR-CODE reason in bytes (less than
/// 128 characters, each at most 6 bytes in the RFC's arithmetic: 763).
pub const MAX_TEXT_LEN: usize = 763;

/// ERROR-CODE value (RFC 8489 §14.8): a code in 300..=699 and a reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ErrorCode<'a> {
    /// The error code, class × 100 + number (e.g. 420, 487).
    pub code: u16,
    /// The reason phrase (UTF-8).
    pub reason: &'a str,
}

impl ErrorCode<'_> {
    /// 300 Try Alternate.
    pub const TRY_ALTERNATE: u16 = 300;
    /// 400 Bad Request.
    pub const BAD_REQUEST: u16 = 400;
    /// 401 Unauthenticated.
    pub const UNAUTHENTICATED: u16 = 401;
    /// 420 Unknown Attribute.
    pub const UNKNOWN_ATTRIBUTE: u16 = 420;
    /// 438 Stale Nonce.
    pub const STALE_NONCE: u16 = 438;
    /// 487 Role Conflict (RFC 8445 §7.3.1.1).
    pub const ROLE_CONFLICT: u16 = 487;
    /// 500 Server Error.
    pub const SERVER_ERROR: u16 = 500;
}

/// The list carried by UNKNOWN-ATTRIBUTES (RFC 8489 §14.13): 16-bit types,
/// either borrowed from a received message or given by the caller to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownAttributeList<'a>(ListSource<'a>);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ListSource<'a> {
    Wire(&'a [u8]),
    Types(&'a [AttributeType]),
}

impl<'a> UnknownAttributeList<'a> {
    /// A list to write, from attribute types.
    pub const fn from_types(types: &'a [AttributeType]) -> Self {
        UnknownAttributeList(ListSource::Types(types))
    }

    /// Number of types in the list.
    pub fn len(&self) -> usize {
        match self.0 {
            ListSource::Wire(bytes) => bytes.len() / 2,
            ListSource::Types(types) => types.len(),
        }
    }

    /// Whether the list is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The types in order.
    pub fn iter(&self) -> impl Iterator<Item = AttributeType> + 'a {
        let (wire, types): (&'a [u8], &'a [AttributeType]) = match self.0 {
            ListSource::Wire(bytes) => (bytes, &[]),
            ListSource::Types(types) => (&[], types),
        };
        wire.chunks_exact(2)
            .map(|c| match c {
                &[a, b] => AttributeType(u16::from_be_bytes([a, b])),
                _ => AttributeType(0),
            })
            .chain(types.iter().copied())
    }
}

/// One decoded STUN attribute.
///
/// Values borrow the message buffer. Address attributes are given
/// un-XORed. [`Attribute::Other`] carries any type this layer does not
/// decode (for example Chromium's GOOG-NETWORK-INFO) with its raw value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Attribute<'a> {
    /// MAPPED-ADDRESS (RFC 8489 §14.1).
    MappedAddress(SocketAddr),
    /// XOR-MAPPED-ADDRESS (RFC 8489 §14.2), decoded.
    XorMappedAddress(SocketAddr),
    /// USERNAME (RFC 8489 §14.3); for ICE `remote-ufrag:local-ufrag`.
    Username(&'a str),
    /// MESSAGE-INTEGRITY: the 20-byte HMAC-SHA1 (RFC 8489 §14.5).
    MessageIntegrity(&'a [u8; 20]),
    /// MESSAGE-INTEGRITY-SHA256: 16 to 32 bytes of HMAC-SHA256, a
    /// multiple of 4 (RFC 8489 §14.6).
    MessageIntegritySha256(&'a [u8]),
    /// FINGERPRINT: CRC-32 of the message XOR 0x5354554E (RFC 8489 §14.7).
    Fingerprint(u32),
    /// ERROR-CODE (RFC 8489 §14.8).
    ErrorCode(ErrorCode<'a>),
    /// UNKNOWN-ATTRIBUTES (RFC 8489 §14.13).
    UnknownAttributes(UnknownAttributeList<'a>),
    /// SOFTWARE (RFC 8489 §14.14).
    Software(&'a str),
    /// REALM (RFC 8489 §14.9).
    Realm(&'a str),
    /// NONCE (RFC 8489 §14.10).
    Nonce(&'a str),
    /// PRIORITY (RFC 8445 §7.1.1).
    Priority(u32),
    /// USE-CANDIDATE (RFC 8445 §7.1.2), no value.
    UseCandidate,
    /// ICE-CONTROLLED with its tie-breaker (RFC 8445 §7.1.3).
    IceControlled(u64),
    /// ICE-CONTROLLING with its tie-breaker (RFC 8445 §7.1.3).
    IceControlling(u64),
    /// LIFETIME in seconds (RFC 8656 §18.2).
    Lifetime(u32),
    /// XOR-PEER-ADDRESS (RFC 8656 §18.3), decoded.
    XorPeerAddress(SocketAddr),
    /// DATA (RFC 8656 §18.4).
    Data(&'a [u8]),
    /// XOR-RELAYED-ADDRESS (RFC 8656 §18.5), decoded.
    XorRelayedAddress(SocketAddr),
    /// REQUESTED-TRANSPORT: an IP protocol number, 17 for UDP (RFC 8656 §18.7).
    RequestedTransport(u8),
    /// CHANNEL-NUMBER (RFC 8656 §18.1): 0x4000..=0x4FFF for valid channels.
    ChannelNumber(u16),
    /// Any other type, with its raw value (padding excluded).
    Other {
        /// The attribute type.
        attr_type: AttributeType,
        /// The raw value.
        value: &'a [u8],
    },
}

fn text(attr_type: AttributeType, value: &[u8], max: usize) -> Result<&str, StunError> {
    if value.len() > max {
        return Err(StunError::MalformedAttribute(attr_type.0));
    }
    std::str::from_utf8(value).map_err(|_| StunError::MalformedAttribute(attr_type.0))
}

fn fixed<const N: usize>(attr_type: AttributeType, value: &[u8]) -> Result<[u8; N], StunError> {
    value
        .try_into()
        .map_err(|_| StunError::MalformedAttribute(attr_type.0))
}

/// XOR mask of the port and the address for XOR-*-ADDRESS.
fn xor_mask(txid: &TransactionId) -> [u8; 16] {
    let mut mask = [0u8; 16];
    let (cookie, rest) = mask.split_at_mut(4);
    cookie.copy_from_slice(&MAGIC_COOKIE.to_be_bytes());
    rest.copy_from_slice(&txid.0);
    mask
}

fn decode_address(
    attr_type: AttributeType,
    value: &[u8],
    xor: Option<&TransactionId>,
) -> Result<SocketAddr, StunError> {
    let bad = StunError::MalformedAttribute(attr_type.0);
    let (head, addr) = value.split_at_checked(4).ok_or(bad)?;
    let &[_, family, p0, p1] = head else {
        return Err(bad);
    };
    let mask = xor.map(xor_mask).unwrap_or([0; 16]);
    let port = u16::from_be_bytes([p0, p1]) ^ u16::from_be_bytes([mask[0], mask[1]]);
    let ip = match family {
        0x01 => {
            let mut a: [u8; 4] = fixed(attr_type, addr)?;
            a.iter_mut().zip(mask).for_each(|(b, m)| *b ^= m);
            IpAddr::V4(Ipv4Addr::from(a))
        }
        0x02 => {
            let mut a: [u8; 16] = fixed(attr_type, addr)?;
            a.iter_mut().zip(mask).for_each(|(b, m)| *b ^= m);
            IpAddr::V6(Ipv6Addr::from(a))
        }
        _ => return Err(bad),
    };
    Ok(SocketAddr::new(ip, port))
}

fn address_len(addr: &SocketAddr) -> usize {
    match addr {
        SocketAddr::V4(_) => 8,
        SocketAddr::V6(_) => 20,
    }
}

fn encode_address(addr: &SocketAddr, xor: Option<&TransactionId>, out: &mut [u8]) {
    let mask = xor.map(xor_mask).unwrap_or([0; 16]);
    let port = addr.port() ^ u16::from_be_bytes([mask[0], mask[1]]);
    let (family, ip): (u8, [u8; 16]) = match addr.ip() {
        IpAddr::V4(v4) => {
            let mut ip = [0u8; 16];
            ip.iter_mut().zip(v4.octets()).for_each(|(d, s)| *d = s);
            (0x01, ip)
        }
        IpAddr::V6(v6) => (0x02, v6.octets()),
    };
    let header = [0u8, family, (port >> 8) as u8, port as u8];
    let xored = ip.iter().zip(mask).map(|(b, m)| b ^ m);
    for (dst, src) in out.iter_mut().zip(header.into_iter().chain(xored)) {
        *dst = src;
    }
}

impl<'a> Attribute<'a> {
    /// Decodes one attribute value. `txid` un-XORs the XOR address types.
    ///
    /// Types this layer does not decode come back as [`Attribute::Other`];
    /// values of known types that break their definition give
    /// [`StunError::MalformedAttribute`].
    pub fn decode(
        attr_type: AttributeType,
        value: &'a [u8],
        txid: &TransactionId,
    ) -> Result<Attribute<'a>, StunError> {
        let bad = StunError::MalformedAttribute(attr_type.0);
        Ok(match attr_type {
            AttributeType::MAPPED_ADDRESS => {
                Attribute::MappedAddress(decode_address(attr_type, value, None)?)
            }
            AttributeType::XOR_MAPPED_ADDRESS => {
                Attribute::XorMappedAddress(decode_address(attr_type, value, Some(txid))?)
            }
            AttributeType::XOR_PEER_ADDRESS => {
                Attribute::XorPeerAddress(decode_address(attr_type, value, Some(txid))?)
            }
            AttributeType::XOR_RELAYED_ADDRESS => {
                Attribute::XorRelayedAddress(decode_address(attr_type, value, Some(txid))?)
            }
            AttributeType::USERNAME => {
                Attribute::Username(text(attr_type, value, MAX_USERNAME_LEN)?)
            }
            AttributeType::SOFTWARE => Attribute::Software(text(attr_type, value, MAX_TEXT_LEN)?),
            AttributeType::REALM => Attribute::Realm(text(attr_type, value, MAX_TEXT_LEN)?),
            AttributeType::NONCE => Attribute::Nonce(text(attr_type, value, MAX_TEXT_LEN)?),
            AttributeType::MESSAGE_INTEGRITY => {
                Attribute::MessageIntegrity(value.try_into().map_err(|_| bad)?)
            }
            AttributeType::MESSAGE_INTEGRITY_SHA256 => {
                if !(16..=32).contains(&value.len()) || !value.len().is_multiple_of(4) {
                    return Err(bad);
                }
                Attribute::MessageIntegritySha256(value)
            }
            AttributeType::FINGERPRINT => {
                Attribute::Fingerprint(u32::from_be_bytes(fixed(attr_type, value)?))
            }
            AttributeType::ERROR_CODE => {
                let (head, reason) = value.split_at_checked(4).ok_or(bad)?;
                let &[_, _, class, number] = head else {
                    return Err(bad);
                };
                let class = class & 0x07;
                if !(3..=6).contains(&class) || number > 99 {
                    return Err(bad);
                }
                Attribute::ErrorCode(ErrorCode {
                    code: u16::from(class) * 100 + u16::from(number),
                    reason: text(attr_type, reason, MAX_TEXT_LEN)?,
                })
            }
            AttributeType::UNKNOWN_ATTRIBUTES => {
                if !value.len().is_multiple_of(2) {
                    return Err(bad);
                }
                Attribute::UnknownAttributes(UnknownAttributeList(ListSource::Wire(value)))
            }
            AttributeType::PRIORITY => {
                Attribute::Priority(u32::from_be_bytes(fixed(attr_type, value)?))
            }
            AttributeType::USE_CANDIDATE => {
                if !value.is_empty() {
                    return Err(bad);
                }
                Attribute::UseCandidate
            }
            AttributeType::ICE_CONTROLLED => {
                Attribute::IceControlled(u64::from_be_bytes(fixed(attr_type, value)?))
            }
            AttributeType::ICE_CONTROLLING => {
                Attribute::IceControlling(u64::from_be_bytes(fixed(attr_type, value)?))
            }
            AttributeType::LIFETIME => {
                Attribute::Lifetime(u32::from_be_bytes(fixed(attr_type, value)?))
            }
            AttributeType::DATA => Attribute::Data(value),
            AttributeType::REQUESTED_TRANSPORT => {
                let [protocol, _, _, _] = fixed::<4>(attr_type, value)?;
                Attribute::RequestedTransport(protocol)
            }
            AttributeType::CHANNEL_NUMBER => {
                let [a, b, _, _] = fixed::<4>(attr_type, value)?;
                Attribute::ChannelNumber(u16::from_be_bytes([a, b]))
            }
            _ => Attribute::Other { attr_type, value },
        })
    }

    /// The attribute type.
    pub fn attr_type(&self) -> AttributeType {
        match self {
            Attribute::MappedAddress(_) => AttributeType::MAPPED_ADDRESS,
            Attribute::XorMappedAddress(_) => AttributeType::XOR_MAPPED_ADDRESS,
            Attribute::Username(_) => AttributeType::USERNAME,
            Attribute::MessageIntegrity(_) => AttributeType::MESSAGE_INTEGRITY,
            Attribute::MessageIntegritySha256(_) => AttributeType::MESSAGE_INTEGRITY_SHA256,
            Attribute::Fingerprint(_) => AttributeType::FINGERPRINT,
            Attribute::ErrorCode(_) => AttributeType::ERROR_CODE,
            Attribute::UnknownAttributes(_) => AttributeType::UNKNOWN_ATTRIBUTES,
            Attribute::Software(_) => AttributeType::SOFTWARE,
            Attribute::Realm(_) => AttributeType::REALM,
            Attribute::Nonce(_) => AttributeType::NONCE,
            Attribute::Priority(_) => AttributeType::PRIORITY,
            Attribute::UseCandidate => AttributeType::USE_CANDIDATE,
            Attribute::IceControlled(_) => AttributeType::ICE_CONTROLLED,
            Attribute::IceControlling(_) => AttributeType::ICE_CONTROLLING,
            Attribute::Lifetime(_) => AttributeType::LIFETIME,
            Attribute::XorPeerAddress(_) => AttributeType::XOR_PEER_ADDRESS,
            Attribute::Data(_) => AttributeType::DATA,
            Attribute::XorRelayedAddress(_) => AttributeType::XOR_RELAYED_ADDRESS,
            Attribute::RequestedTransport(_) => AttributeType::REQUESTED_TRANSPORT,
            Attribute::ChannelNumber(_) => AttributeType::CHANNEL_NUMBER,
            Attribute::Other { attr_type, .. } => *attr_type,
        }
    }

    /// Length of the encoded value, padding excluded.
    pub fn value_len(&self) -> usize {
        match self {
            Attribute::MappedAddress(a)
            | Attribute::XorMappedAddress(a)
            | Attribute::XorPeerAddress(a)
            | Attribute::XorRelayedAddress(a) => address_len(a),
            Attribute::Username(s)
            | Attribute::Software(s)
            | Attribute::Realm(s)
            | Attribute::Nonce(s) => s.len(),
            Attribute::MessageIntegrity(_) => 20,
            Attribute::MessageIntegritySha256(v) | Attribute::Data(v) => v.len(),
            Attribute::Other { value, .. } => value.len(),
            Attribute::ErrorCode(e) => 4 + e.reason.len(),
            Attribute::UnknownAttributes(list) => 2 * list.len(),
            Attribute::UseCandidate => 0,
            Attribute::Fingerprint(_)
            | Attribute::Priority(_)
            | Attribute::Lifetime(_)
            | Attribute::RequestedTransport(_)
            | Attribute::ChannelNumber(_) => 4,
            Attribute::IceControlled(_) | Attribute::IceControlling(_) => 8,
        }
    }

    /// Checks the limits the RFCs set on values this layer writes.
    fn check_writable(&self) -> Result<(), StunError> {
        let too_long = StunError::ValueTooLong(self.attr_type().0);
        match self {
            Attribute::Username(s) if s.len() > MAX_USERNAME_LEN => Err(too_long),
            Attribute::Software(s) | Attribute::Realm(s) | Attribute::Nonce(s)
                if s.len() > MAX_TEXT_LEN =>
            {
                Err(too_long)
            }
            Attribute::ErrorCode(e) if e.reason.len() > MAX_TEXT_LEN => Err(too_long),
            Attribute::ErrorCode(e) if !(300..=699).contains(&e.code) => {
                Err(StunError::BadErrorCode(e.code))
            }
            Attribute::MessageIntegritySha256(v) if v.len() > 32 => Err(too_long),
            _ if self.value_len() > usize::from(u16::MAX) => Err(too_long),
            _ => Ok(()),
        }
    }

    /// Encodes the value (padding excluded) into `out`, which must be
    /// exactly [`Attribute::value_len`] bytes. `txid` XORs the XOR address
    /// types.
    pub(crate) fn encode_value(
        &self,
        out: &mut [u8],
        txid: &TransactionId,
    ) -> Result<(), StunError> {
        self.check_writable()?;
        if out.len() != self.value_len() {
            return Err(StunError::BufferTooSmall {
                needed: self.value_len(),
                available: out.len(),
            });
        }
        let copy = |out: &mut [u8], src: &[u8]| out.iter_mut().zip(src).for_each(|(d, s)| *d = *s);
        match self {
            Attribute::MappedAddress(a) => encode_address(a, None, out),
            Attribute::XorMappedAddress(a)
            | Attribute::XorPeerAddress(a)
            | Attribute::XorRelayedAddress(a) => encode_address(a, Some(txid), out),
            Attribute::Username(s)
            | Attribute::Software(s)
            | Attribute::Realm(s)
            | Attribute::Nonce(s) => copy(out, s.as_bytes()),
            Attribute::MessageIntegrity(v) => copy(out, &v[..]),
            Attribute::MessageIntegritySha256(v) | Attribute::Data(v) => copy(out, v),
            Attribute::Other { value, .. } => copy(out, value),
            Attribute::ErrorCode(e) => {
                let head = [0, 0, (e.code / 100) as u8, (e.code % 100) as u8];
                copy(out, &head);
                if let Some(rest) = out.get_mut(4..) {
                    copy(rest, e.reason.as_bytes());
                }
            }
            Attribute::UnknownAttributes(list) => {
                for (chunk, t) in out.chunks_exact_mut(2).zip(list.iter()) {
                    chunk.copy_from_slice(&t.0.to_be_bytes());
                }
            }
            Attribute::UseCandidate => {}
            Attribute::Fingerprint(v) | Attribute::Priority(v) | Attribute::Lifetime(v) => {
                copy(out, &v.to_be_bytes())
            }
            Attribute::IceControlled(v) | Attribute::IceControlling(v) => {
                copy(out, &v.to_be_bytes())
            }
            Attribute::RequestedTransport(p) => copy(out, &[*p, 0, 0, 0]),
            Attribute::ChannelNumber(n) => {
                let [a, b] = n.to_be_bytes();
                copy(out, &[a, b, 0, 0]);
            }
        }
        Ok(())
    }
}
