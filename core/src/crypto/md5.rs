//! MD5 (RFC 1321), for one legacy use only: the long-term credential key of
//! STUN/TURN (RFC 8489 §9.2.2, `MD5(username ":" realm ":" password)`).
//! Never used for integrity on its own.

use md5::{Digest as _, Md5};

/// Length of an MD5 digest, in bytes.
pub const MD5_LEN: usize = 16;

/// MD5 over the concatenation of `parts`.
#[must_use]
pub fn md5(parts: &[&[u8]]) -> [u8; MD5_LEN] {
    let mut hasher = Md5::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc1321_test_suite() {
        // RFC 1321 §A.5.
        assert_eq!(md5(&[b""]), hex_literal("d41d8cd98f00b204e9800998ecf8427e"));
        assert_eq!(
            md5(&[b"abc"]),
            hex_literal("900150983cd24fb0d6963f7d28e17f72")
        );
        assert_eq!(
            md5(&[b"message ", b"digest"]),
            hex_literal("f96b697d7cb7938d525a2f31aaf161d0")
        );
    }

    fn hex_literal(s: &str) -> [u8; MD5_LEN] {
        let v = hex::decode(s).unwrap();
        v.try_into().unwrap()
    }
}
