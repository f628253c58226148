//! STUN parse, check build, integrity and fingerprint verification.

use zerortc::stun::{Attribute, IntegrityKey, MessageType, MessageWriter, StunError, StunMessage};

use crate::stun_inputs::StunCheckCase;

/// Parses a STUN message and decodes every attribute (what an ICE agent
/// reads of a check or a response). Returns 0 for a malformed message.
#[inline]
pub fn stun_parse(buf: &[u8]) -> usize {
    let Ok(msg) = StunMessage::parse(buf) else {
        return 0;
    };
    let mut acc = usize::from(msg.message_type().to_u16()) ^ usize::from(msg.transaction_id().0[0]);
    for attr in msg.attributes() {
        acc = acc.wrapping_add(match attr {
            Attribute::Username(u) => u.len(),
            Attribute::Priority(p) => p as usize,
            Attribute::IceControlling(t) | Attribute::IceControlled(t) => t as usize,
            Attribute::XorMappedAddress(a) => usize::from(a.port()),
            Attribute::MessageIntegrity(tag) => usize::from(tag[0]),
            Attribute::Fingerprint(f) => f as usize,
            other => other.value_len(),
        });
    }
    acc | 1
}

/// Writes the check of `case` (USERNAME, PRIORITY, ICE-CONTROLLING,
/// USE-CANDIDATE, MESSAGE-INTEGRITY, FINGERPRINT) into `out`; returns its
/// length (0 on error).
#[inline]
pub fn stun_build_check(case: &StunCheckCase, out: &mut [u8]) -> usize {
    let write = |out: &mut [u8]| -> Result<usize, StunError> {
        let mut w = MessageWriter::new(out, MessageType::BINDING_REQUEST, case.txid)?;
        w.add(&Attribute::Username(&case.username))?;
        w.add(&Attribute::Priority(case.priority))?;
        w.add(&Attribute::IceControlling(case.tie_breaker))?;
        w.add(&Attribute::UseCandidate)?;
        w.add_message_integrity(&case.key)?;
        w.add_fingerprint()?;
        Ok(w.finish())
    };
    write(out).unwrap_or(0)
}

/// Verifies the MESSAGE-INTEGRITY (HMAC-SHA1) of an already parsed
/// message: 1 when it verifies, 0 otherwise.
#[inline]
pub fn stun_verify_integrity(msg: &StunMessage<'_>, key: &IntegrityKey) -> usize {
    usize::from(msg.verify_integrity(key).is_ok())
}

/// Verifies the FINGERPRINT (CRC-32) of an already parsed message: 1 when
/// it verifies, 0 otherwise.
#[inline]
pub fn stun_verify_fingerprint(msg: &StunMessage<'_>) -> usize {
    usize::from(msg.verify_fingerprint().is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::OUT_LEN;
    use crate::stun_inputs::stun_inputs;

    #[test]
    fn stun_inputs_parse_and_verify() {
        for input in stun_inputs() {
            assert_ne!(stun_parse(&input.bytes), 0, "{}", input.id);
            let msg = StunMessage::parse(&input.bytes).unwrap();
            assert_eq!(stun_verify_integrity(&msg, &input.key()), 1, "{}", input.id);
            assert_eq!(stun_verify_fingerprint(&msg), 1, "{}", input.id);
            let wrong = IntegrityKey::short_term("not-the-password-of-it").unwrap();
            assert_eq!(stun_verify_integrity(&msg, &wrong), 0, "{}", input.id);
        }
        assert_eq!(stun_parse(&[0u8; 7]), 0);
    }

    #[test]
    fn built_check_carries_every_attribute_and_verifies() {
        let case = StunCheckCase::chromium_like();
        let mut out = [0u8; OUT_LEN];
        let n = stun_build_check(&case, &mut out);
        // 20 header + USERNAME (4 + 9 → 16) + PRIORITY 8 + ICE-CONTROLLING 12
        // + USE-CANDIDATE 4 + MESSAGE-INTEGRITY 24 + FINGERPRINT 8.
        assert_eq!(n, 20 + 16 + 8 + 12 + 4 + 24 + 8);
        let msg = StunMessage::parse(&out[..n]).unwrap();
        assert_eq!(msg.message_type(), MessageType::BINDING_REQUEST);
        assert_eq!(msg.transaction_id(), case.txid);
        assert_eq!(msg.username(), Some(case.username.as_str()));
        assert_eq!(msg.priority(), Some(case.priority));
        assert_eq!(msg.ice_controlling(), Some(case.tie_breaker));
        assert!(msg.use_candidate());
        assert_eq!(stun_verify_integrity(&msg, &case.key), 1);
        assert_eq!(stun_verify_fingerprint(&msg), 1);
        assert_eq!(stun_build_check(&case, &mut out[..40]), 0);
    }
}
