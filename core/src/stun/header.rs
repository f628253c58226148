//! The 20-byte STUN header (RFC 8489 §5): message type (method and
//! class), length, magic cookie and transaction id.

use std::fmt;

/// The magic cookie, fixed value of bytes 4..8 (RFC 8489 §5).
pub const MAGIC_COOKIE: u32 = 0x2112_A442;

/// Length of the STUN header.
pub const HEADER_LEN: usize = 20;

/// The class of a STUN message (RFC 8489 §5): two bits spread over the
/// message type field (C1 at bit 8, C0 at bit 4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Class {
    /// A request (0b00), answered by a response with the same transaction id.
    Request,
    /// An indication (0b01), not answered.
    Indication,
    /// A success response (0b10).
    SuccessResponse,
    /// An error response (0b11), carries ERROR-CODE.
    ErrorResponse,
}

impl Class {
    /// The two class bits as a number (C1 C0).
    pub const fn bits(self) -> u16 {
        match self {
            Class::Request => 0b00,
            Class::Indication => 0b01,
            Class::SuccessResponse => 0b10,
            Class::ErrorResponse => 0b11,
        }
    }

    /// The class from its two bits (only the low two bits are looked at).
    pub const fn from_bits(bits: u16) -> Class {
        match bits & 0b11 {
            0b00 => Class::Request,
            0b01 => Class::Indication,
            0b10 => Class::SuccessResponse,
            _ => Class::ErrorResponse,
        }
    }

    /// Lower-case name: `request`, `indication`, `success response`,
    /// `error response`.
    pub const fn name(self) -> &'static str {
        match self {
            Class::Request => "request",
            Class::Indication => "indication",
            Class::SuccessResponse => "success response",
            Class::ErrorResponse => "error response",
        }
    }
}

/// A STUN method: 12 bits (RFC 8489 §5, §18.2; TURN methods RFC 8656 §17).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Method(u16);

impl Method {
    /// Binding (0x001), RFC 8489.
    pub const BINDING: Method = Method(0x001);
    /// Allocate (0x003), RFC 8656.
    pub const ALLOCATE: Method = Method(0x003);
    /// Refresh (0x004), RFC 8656.
    pub const REFRESH: Method = Method(0x004);
    /// Send (0x006, indication only), RFC 8656.
    pub const SEND: Method = Method(0x006);
    /// Data (0x007, indication only), RFC 8656.
    pub const DATA: Method = Method(0x007);
    /// CreatePermission (0x008), RFC 8656.
    pub const CREATE_PERMISSION: Method = Method(0x008);
    /// ChannelBind (0x009), RFC 8656.
    pub const CHANNEL_BIND: Method = Method(0x009);

    /// A method from its number; `None` above 12 bits.
    pub const fn new(number: u16) -> Option<Method> {
        if number > 0x0FFF {
            None
        } else {
            Some(Method(number))
        }
    }

    /// The method number (0..=0xFFF).
    pub const fn number(self) -> u16 {
        self.0
    }

    /// The registered name, when this is a Binding or TURN method.
    pub const fn name(self) -> Option<&'static str> {
        Some(match self.0 {
            0x001 => "Binding",
            0x003 => "Allocate",
            0x004 => "Refresh",
            0x006 => "Send",
            0x007 => "Data",
            0x008 => "CreatePermission",
            0x009 => "ChannelBind",
            _ => return None,
        })
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "method {:#05x}", self.0),
        }
    }
}

/// The 14-bit message type: a method and a class (RFC 8489 §5, Figure 3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct MessageType {
    /// The method.
    pub method: Method,
    /// The class.
    pub class: Class,
}

impl MessageType {
    /// Binding request.
    pub const BINDING_REQUEST: MessageType = MessageType::new(Method::BINDING, Class::Request);
    /// Binding success response.
    pub const BINDING_SUCCESS: MessageType =
        MessageType::new(Method::BINDING, Class::SuccessResponse);
    /// Binding error response.
    pub const BINDING_ERROR: MessageType = MessageType::new(Method::BINDING, Class::ErrorResponse);
    /// Binding indication (keepalive).
    pub const BINDING_INDICATION: MessageType =
        MessageType::new(Method::BINDING, Class::Indication);

    /// A message type from a method and a class.
    pub const fn new(method: Method, class: Class) -> MessageType {
        MessageType { method, class }
    }

    /// Decodes the 16-bit type field; `None` when one of its two most
    /// significant bits is set.
    pub const fn from_u16(value: u16) -> Option<MessageType> {
        if value & 0xC000 != 0 {
            return None;
        }
        let method = (value & 0x000F) | ((value & 0x00E0) >> 1) | ((value & 0x3E00) >> 2);
        let class = ((value >> 7) & 0b10) | ((value >> 4) & 0b01);
        Some(MessageType {
            method: Method(method),
            class: Class::from_bits(class),
        })
    }

    /// Encodes the 16-bit type field.
    pub const fn to_u16(self) -> u16 {
        let m = self.method.0;
        let c = self.class.bits();
        (m & 0x000F)
            | ((m & 0x0070) << 1)
            | ((m & 0x0F80) << 2)
            | ((c & 0b01) << 4)
            | ((c & 0b10) << 7)
    }
}

impl fmt::Display for MessageType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.method, self.class.name())
    }
}

/// The 96-bit transaction id (RFC 8489 §5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct TransactionId(pub [u8; 12]);

impl TransactionId {
    /// The id bytes.
    pub const fn as_bytes(&self) -> &[u8; 12] {
        &self.0
    }
}

impl fmt::Display for TransactionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Quick test whether a datagram looks like STUN: at least a header, first
/// two bits zero, and the magic cookie in place (RFC 7983 demultiplexing
/// plus the cookie check of RFC 8489 §5). Does not validate attributes.
pub fn looks_like_stun(buf: &[u8]) -> bool {
    match buf.get(..8) {
        Some(&[b0, _, _, _, c0, c1, c2, c3]) => {
            b0 & 0xC0 == 0 && u32::from_be_bytes([c0, c1, c2, c3]) == MAGIC_COOKIE
        }
        _ => false,
    }
}
