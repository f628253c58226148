//! STUN messages built by hand and checked field by field: every attribute
//! type the layer decodes, the integrity ordering rules of RFC 8489
//! §14.5-14.7, 420 responses, and bad input.

use std::net::SocketAddr;

use zerortc::stun::{
    Attribute, AttributeType, Class, ErrorCode, IntegrityKey, MessageType, MessageWriter, Method,
    StunError, StunMessage, TransactionId, UnknownAttributeList, long_term_key_md5,
    long_term_key_sha256, looks_like_stun, message_len, write_binding_success,
    write_error_response, write_unknown_attributes_error,
};

const TXID: TransactionId = TransactionId([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);

fn write(msg_type: MessageType, attrs: &[Attribute<'_>]) -> Vec<u8> {
    let mut buf = vec![0u8; 2048];
    let mut w = MessageWriter::new(&mut buf, msg_type, TXID).unwrap();
    for a in attrs {
        w.add(a).unwrap();
    }
    let len = w.finish();
    buf.truncate(len);
    buf
}

#[test]
fn message_type_bits() {
    // RFC 8489 §5 Figure 3: method bits M0-M3, M4-M6, M7-M11 around C0, C1.
    for (value, method, class) in [
        (0x0001u16, 0x001u16, Class::Request),
        (0x0011, 0x001, Class::Indication),
        (0x0101, 0x001, Class::SuccessResponse),
        (0x0111, 0x001, Class::ErrorResponse),
        (0x0003, 0x003, Class::Request),
        (0x0113, 0x003, Class::ErrorResponse),
        (0x0016, 0x006, Class::Indication),
        (0x0017, 0x007, Class::Indication),
        (0x0009, 0x009, Class::Request),
        (0x3EEF, 0xFFF, Class::Request),
        (0x3FFF, 0xFFF, Class::ErrorResponse),
    ] {
        let t = MessageType::from_u16(value).unwrap();
        assert_eq!(
            (t.method.number(), t.class),
            (method, class),
            "{value:#06x}"
        );
        assert_eq!(t.to_u16(), value);
    }
    assert_eq!(MessageType::from_u16(0x4001), None);
    assert_eq!(MessageType::from_u16(0x8001), None);
    assert_eq!(Method::new(0x1000), None);
    assert_eq!(Method::CHANNEL_BIND.name(), Some("ChannelBind"));
    assert_eq!(
        MessageType::BINDING_ERROR.to_string(),
        "Binding error response"
    );
}

#[test]
fn header_written_field_by_field() {
    let bytes = write(
        MessageType::BINDING_REQUEST,
        &[Attribute::Priority(0x01020304)],
    );
    assert_eq!(
        bytes,
        [
            0x00, 0x01, 0x00, 0x08, 0x21, 0x12, 0xA4, 0x42, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
            0x00, 0x24, 0x00, 0x04, 0x01, 0x02, 0x03, 0x04
        ]
    );
    assert!(looks_like_stun(&bytes));
    assert_eq!(message_len(&bytes), Ok(28));
}

#[test]
fn every_attribute_round_trips() {
    let v4: SocketAddr = "192.0.2.1:32853".parse().unwrap();
    let v6: SocketAddr = "[2001:db8::1]:3478".parse().unwrap();
    let unknown = [AttributeType(0x0031), AttributeType(0x7001)];
    let attrs = [
        Attribute::MappedAddress(v4),
        Attribute::MappedAddress(v6),
        Attribute::XorMappedAddress(v4),
        Attribute::XorMappedAddress(v6),
        Attribute::Username("abcd:efgh"),
        Attribute::ErrorCode(ErrorCode {
            code: 487,
            reason: "Role Conflict",
        }),
        Attribute::UnknownAttributes(UnknownAttributeList::from_types(&unknown)),
        Attribute::Software("zerortc"),
        Attribute::Realm("example.org"),
        Attribute::Nonce("nonce-value"),
        Attribute::Priority(0x6E7F00FF),
        Attribute::UseCandidate,
        Attribute::IceControlled(u64::MAX),
        Attribute::IceControlling(0x0102030405060708),
        Attribute::Lifetime(600),
        Attribute::XorPeerAddress(v6),
        Attribute::Data(b"hello"),
        Attribute::XorRelayedAddress(v4),
        Attribute::RequestedTransport(17),
        Attribute::ChannelNumber(0x4001),
        Attribute::Other {
            attr_type: AttributeType(0xC057),
            value: &[0, 1, 0, 10],
        },
    ];
    let bytes = write(MessageType::new(Method::ALLOCATE, Class::Request), &attrs);
    let msg = StunMessage::parse(&bytes).unwrap();
    let decoded: Vec<_> = msg.attributes().collect();
    assert_eq!(decoded.len(), attrs.len());
    for (d, a) in decoded.iter().zip(&attrs) {
        match (d, a) {
            (Attribute::UnknownAttributes(x), Attribute::UnknownAttributes(y)) => {
                assert_eq!(x.iter().collect::<Vec<_>>(), y.iter().collect::<Vec<_>>());
            }
            _ => assert_eq!(d, a),
        }
    }
    // Re-writing the decoded attributes gives the same bytes.
    assert_eq!(write(msg.message_type(), &decoded), bytes);
    // Spot checks on the wire form.
    let raw: Vec<_> = msg.raw_attributes().collect();
    assert_eq!(raw[0].value, [0, 1, 0x80, 0x55, 192, 0, 2, 1]);
    assert_eq!(raw[2].value, [0, 1, 0xA1, 0x47, 0xE1, 0x12, 0xA6, 0x43]); // RFC 5769 §2.2
    assert_eq!(raw[5].value[..4], [0, 0, 4, 87]);
    assert_eq!(raw[16].value, b"hello");
    assert_eq!(raw[16].padding, [0, 0, 0]);
    assert_eq!(raw[18].value, [17, 0, 0, 0]);
    assert_eq!(raw[19].value, [0x40, 0x01, 0, 0]);
    assert_eq!(
        msg.error_code(),
        Some(ErrorCode {
            code: 487,
            reason: "Role Conflict"
        })
    );
    assert_eq!(msg.mapped_address(), Some(v4));
    assert_eq!(msg.xor_mapped_address(), Some(v4));
    assert!(msg.use_candidate());
    // GOOG-NETWORK-INFO is comprehension-optional, 0x0031 and 0x7001 are
    // only inside the UNKNOWN-ATTRIBUTES value: nothing unknown here.
    assert!(msg.unknown_comprehension_required().is_empty());
}

#[test]
fn integrity_sha256_full_and_truncated() {
    let key = IntegrityKey::short_term("secret").unwrap();
    let mut buf = [0u8; 256];
    let mut w = MessageWriter::new(&mut buf, MessageType::BINDING_REQUEST, TXID).unwrap();
    w.add(&Attribute::Username("a:b")).unwrap();
    w.add_message_integrity(&key).unwrap();
    w.add_message_integrity_sha256(&key).unwrap();
    w.add_fingerprint().unwrap();
    let len = w.finish();
    let msg = StunMessage::parse(&buf[..len]).unwrap();
    assert!(msg.has_integrity() && msg.has_integrity_sha256() && msg.has_fingerprint());
    msg.verify_integrity(&key).unwrap();
    msg.verify_integrity_sha256(&key).unwrap();
    msg.verify(&key).unwrap();
    msg.verify_fingerprint().unwrap();

    // Truncated to 16 bytes: still verifies (RFC 8489 §14.6) once the
    // attribute is re-framed. Build it by hand from the full tag.
    let full = match msg.attribute(AttributeType::MESSAGE_INTEGRITY_SHA256) {
        Some(Attribute::MessageIntegritySha256(t)) => t.to_vec(),
        other => panic!("{other:?}"),
    };
    let mut buf2 = [0u8; 256];
    let mut w = MessageWriter::new(&mut buf2, MessageType::BINDING_REQUEST, TXID).unwrap();
    w.add(&Attribute::Username("a:b")).unwrap();
    let before = w.len();
    let len2 = {
        // The HMAC covers the message with the length counting a 16-byte
        // tag: compute it with a 32-byte tag would differ, so recompute.
        w.add(&Attribute::MessageIntegritySha256(&[0u8; 16]))
            .unwrap();
        w.finish()
    };
    let mut head = buf2[..before].to_vec();
    head[2..4].copy_from_slice(&((len2 - 20) as u16).to_be_bytes());
    let tag = key.sha256(&[&head]);
    buf2[before + 4..before + 20].copy_from_slice(&tag[..16]);
    let msg2 = StunMessage::parse(&buf2[..len2]).unwrap();
    msg2.verify_integrity_sha256(&key).unwrap();
    assert_eq!(msg2.verify_integrity(&key), Err(StunError::NoIntegrity));
    assert_ne!(
        full[..16],
        tag[..16],
        "the length field is part of the HMAC input"
    );
    // A wrong key fails.
    let wrong = IntegrityKey::short_term("Secret").unwrap();
    assert_eq!(msg2.verify(&wrong), Err(StunError::IntegrityMismatch));
}

#[test]
fn attributes_after_integrity_are_ignored() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let mut bytes = {
        let mut buf = vec![0u8; 256];
        let mut w = MessageWriter::new(&mut buf, MessageType::BINDING_REQUEST, TXID).unwrap();
        w.add(&Attribute::Priority(7)).unwrap();
        w.add_message_integrity(&key).unwrap();
        let len = w.finish();
        buf.truncate(len);
        buf
    };
    // Append a USERNAME and an unknown comprehension-required attribute
    // after MESSAGE-INTEGRITY, fixing up the length field: RFC 8489 §14.5
    // says they are ignored, and integrity still verifies.
    bytes.extend_from_slice(&[0x00, 0x06, 0x00, 0x04, b'x', b':', b'y', b'z']);
    bytes.extend_from_slice(&[0x00, 0x33, 0x00, 0x00]);
    let length = (bytes.len() - 20) as u16;
    bytes[2..4].copy_from_slice(&length.to_be_bytes());
    let msg = StunMessage::parse(&bytes).unwrap();
    assert_eq!(msg.username(), None);
    assert_eq!(msg.priority(), Some(7));
    assert_eq!(msg.attributes().count(), 2);
    assert_eq!(msg.raw_attributes().count(), 4);
    assert!(msg.unknown_comprehension_required().is_empty());
    msg.verify_integrity(&key).unwrap();
}

#[test]
fn writer_enforces_integrity_ordering() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let mut buf = [0u8; 256];
    let mut w = MessageWriter::new(&mut buf, MessageType::BINDING_REQUEST, TXID).unwrap();
    w.add_message_integrity(&key).unwrap();
    assert_eq!(
        w.add(&Attribute::Priority(1)),
        Err(StunError::AttributeAfterIntegrity(0x0024))
    );
    w.add_fingerprint().unwrap();
    assert_eq!(
        w.add_fingerprint(),
        Err(StunError::AttributeAfterIntegrity(0x8028))
    );
    assert_eq!(
        w.add_message_integrity_sha256(&key),
        Err(StunError::AttributeAfterIntegrity(0x001C))
    );
}

#[test]
fn writer_rejects_what_the_wire_cannot_carry() {
    let mut small = [0u8; 19];
    assert!(matches!(
        MessageWriter::new(&mut small, MessageType::BINDING_REQUEST, TXID),
        Err(StunError::BufferTooSmall {
            needed: 20,
            available: 19
        })
    ));
    let mut buf = [0u8; 32];
    let mut w = MessageWriter::new(&mut buf, MessageType::BINDING_REQUEST, TXID).unwrap();
    assert!(matches!(
        w.add(&Attribute::Username("0123456789")),
        Err(StunError::BufferTooSmall { .. })
    ));
    assert!(w.is_empty());
    w.add(&Attribute::Priority(1)).unwrap();
    assert_eq!(w.len(), 28);
    let long = "x".repeat(513);
    let mut big = vec![0u8; 2048];
    let mut w = MessageWriter::new(&mut big, MessageType::BINDING_REQUEST, TXID).unwrap();
    assert_eq!(
        w.add(&Attribute::Username(&long)),
        Err(StunError::ValueTooLong(0x0006))
    );
    assert_eq!(
        w.add(&Attribute::ErrorCode(ErrorCode {
            code: 200,
            reason: ""
        })),
        Err(StunError::BadErrorCode(200))
    );
    assert_eq!(w.len(), 20, "a rejected attribute leaves nothing behind");
    assert_eq!(w.finish(), 20);
    assert_eq!(
        StunMessage::parse(&big[..20]).unwrap().attributes().count(),
        0
    );
}

#[test]
fn unknown_comprehension_required_gets_420() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let request = write(
        MessageType::BINDING_REQUEST,
        &[
            Attribute::Other {
                attr_type: AttributeType(0x0031),
                value: &[1, 2, 3, 4],
            },
            Attribute::Other {
                attr_type: AttributeType(0xC057),
                value: &[0; 4],
            },
            Attribute::Other {
                attr_type: AttributeType(0x001E),
                value: &[0; 32],
            },
            Attribute::Other {
                attr_type: AttributeType(0x0031),
                value: &[],
            },
        ],
    );
    let msg = StunMessage::parse(&request).unwrap();
    assert_eq!(
        msg.unknown_comprehension_required().as_slice(),
        [AttributeType(0x0031), AttributeType(0x001E)]
    );
    let mut out = [0u8; 256];
    let len = write_unknown_attributes_error(&mut out, &msg, Some(&key))
        .unwrap()
        .unwrap();
    let resp = StunMessage::parse(&out[..len]).unwrap();
    assert_eq!(resp.message_type(), MessageType::BINDING_ERROR);
    assert_eq!(resp.transaction_id(), TXID);
    assert_eq!(
        resp.error_code(),
        Some(ErrorCode {
            code: 420,
            reason: "Unknown Attribute"
        })
    );
    let listed: Vec<_> = resp.unknown_attributes().unwrap().iter().collect();
    assert_eq!(listed, [AttributeType(0x0031), AttributeType(0x001E)]);
    resp.verify_integrity(&key).unwrap();
    resp.verify_fingerprint().unwrap();

    // Nothing to say for a request without unknowns, nor for a response.
    let plain = write(MessageType::BINDING_REQUEST, &[Attribute::Priority(1)]);
    let plain = StunMessage::parse(&plain).unwrap();
    assert_eq!(
        write_unknown_attributes_error(&mut out, &plain, None),
        Ok(None)
    );
    let response = write(
        MessageType::BINDING_SUCCESS,
        &[Attribute::Other {
            attr_type: AttributeType(0x0031),
            value: &[],
        }],
    );
    let response = StunMessage::parse(&response).unwrap();
    assert_eq!(response.unknown_comprehension_required().len(), 1);
    assert_eq!(
        write_unknown_attributes_error(&mut out, &response, None),
        Ok(None)
    );
}

#[test]
fn error_and_success_responses() {
    let key = IntegrityKey::short_term("pw").unwrap();
    let request = write(
        MessageType::BINDING_REQUEST,
        &[Attribute::IceControlling(5)],
    );
    let request = StunMessage::parse(&request).unwrap();
    let mut out = [0u8; 128];
    let len = write_error_response(&mut out, &request, 487, Some(&key)).unwrap();
    let resp = StunMessage::parse(&out[..len]).unwrap();
    assert_eq!(
        resp.error_code(),
        Some(ErrorCode {
            code: 487,
            reason: "Role Conflict"
        })
    );
    resp.verify_integrity(&key).unwrap();

    let source: SocketAddr = "[::1]:50000".parse().unwrap();
    let len = write_binding_success(&mut out, &request, source, Some(&key)).unwrap();
    let resp = StunMessage::parse(&out[..len]).unwrap();
    assert_eq!(resp.message_type(), MessageType::BINDING_SUCCESS);
    assert_eq!(resp.xor_mapped_address(), Some(source));
    resp.verify_integrity(&key).unwrap();
    resp.verify_fingerprint().unwrap();
}

#[test]
fn long_term_keys() {
    // MD5("user:realm:pass") and SHA-256 of the same string, computed
    // independently with coreutils md5sum / sha256sum.
    assert_eq!(
        long_term_key_md5("user", "realm", "pass"),
        *b"\x84\x93\xfb\xc5\x3b\xa5\x82\xfb\x4c\x04\x4c\x45\x6b\xdc\x40\xeb"
    );
    assert_eq!(
        long_term_key_sha256("user", "realm", "pass"),
        [
            0x07, 0xe9, 0x34, 0x11, 0x7a, 0xbd, 0x40, 0x83, 0x6e, 0x7c, 0x63, 0x29, 0xb5, 0x47,
            0x31, 0xb2, 0xb2, 0xd2, 0xa5, 0xf9, 0xa7, 0x1f, 0x54, 0x49, 0x22, 0xd7, 0x5e, 0x07,
            0x30, 0xd8, 0x25, 0x1b
        ]
    );
}

#[test]
fn bad_headers() {
    let good = write(MessageType::BINDING_REQUEST, &[Attribute::Priority(1)]);
    for cut in 0..20 {
        assert_eq!(
            StunMessage::parse(&good[..cut]).unwrap_err(),
            StunError::TooShort(cut)
        );
    }
    for cut in 21..good.len() {
        assert!(StunMessage::parse(&good[..cut]).is_err(), "cut {cut}");
    }
    let mut not_stun = good.clone();
    not_stun[0] = 0x80;
    assert_eq!(
        StunMessage::parse(&not_stun).unwrap_err(),
        StunError::NotStun
    );
    assert!(!looks_like_stun(&not_stun));
    let mut cookie = good.clone();
    cookie[7] = 0x43;
    assert_eq!(
        StunMessage::parse(&cookie).unwrap_err(),
        StunError::BadMagicCookie(0x2112A443)
    );
    let mut unaligned = good.clone();
    unaligned[3] = 7;
    assert_eq!(
        StunMessage::parse(&unaligned).unwrap_err(),
        StunError::UnalignedLength(7)
    );
    let mut lying = good.clone();
    lying[3] = 12;
    assert_eq!(
        StunMessage::parse(&lying).unwrap_err(),
        StunError::LengthMismatch {
            declared: 12,
            available: 8
        }
    );
    let mut extra = good.clone();
    extra.extend_from_slice(&[0; 4]);
    assert_eq!(
        StunMessage::parse(&extra).unwrap_err(),
        StunError::LengthMismatch {
            declared: 8,
            available: 12
        }
    );
}

/// A message with one attribute of the given type and raw value.
fn with_raw(attr_type: u16, declared_len: u16, value: &[u8]) -> Vec<u8> {
    let mut bytes = vec![0x00, 0x01, 0, 0, 0x21, 0x12, 0xA4, 0x42];
    bytes.extend_from_slice(&TXID.0);
    bytes.extend_from_slice(&attr_type.to_be_bytes());
    bytes.extend_from_slice(&declared_len.to_be_bytes());
    bytes.extend_from_slice(value);
    while bytes.len() % 4 != 0 {
        bytes.push(0);
    }
    let length = (bytes.len() - 20) as u16;
    bytes[2..4].copy_from_slice(&length.to_be_bytes());
    bytes
}

#[test]
fn bad_attributes() {
    // Value length past the end of the message.
    assert_eq!(
        StunMessage::parse(&with_raw(0x0024, 8, &[0; 4])).unwrap_err(),
        StunError::AttributeOverrun {
            attr_type: 0x0024,
            offset: 20
        }
    );
    // A 5-byte USERNAME cut after 4 bytes of value (length field 8: the
    // value and its padding would need 12).
    let mut no_pad = with_raw(0x0006, 5, b"abcde");
    no_pad.truncate(28);
    no_pad[2..4].copy_from_slice(&8u16.to_be_bytes());
    assert!(matches!(
        StunMessage::parse(&no_pad).unwrap_err(),
        StunError::AttributeOverrun {
            attr_type: 0x0006,
            ..
        }
    ));
    for (t, value) in [
        (0x0024u16, &[0u8; 3][..]),          // PRIORITY too short
        (0x0024, &[0; 8]),                   // PRIORITY too long
        (0x0025, &[0; 4]),                   // USE-CANDIDATE with a value
        (0x8029, &[0; 4]),                   // ICE-CONTROLLED too short
        (0x0020, &[0, 3, 0, 0, 1, 2, 3, 4]), // family 3
        (0x0020, &[0, 1, 0, 0, 1, 2, 3]),    // IPv4 address too short
        (0x0001, &[0, 2, 0, 0, 1, 2, 3, 4]), // IPv6 family, 4-byte address
        (0x0008, &[0; 16]),                  // MESSAGE-INTEGRITY not 20 bytes
        (0x001C, &[0; 12]),                  // MESSAGE-INTEGRITY-SHA256 under 16
        (0x001C, &[0; 18]),                  // not a multiple of 4
        (0x8028, &[0; 2]),                   // FINGERPRINT
        (0x0009, &[0, 0, 2, 0]),             // ERROR-CODE class 2
        (0x0009, &[0, 0, 4, 100]),           // ERROR-CODE number 100
        (0x000A, &[0, 1, 0]),                // UNKNOWN-ATTRIBUTES odd length
        (0x0006, &[0xFF, 0xFE]),             // USERNAME not UTF-8
        (0x0019, &[17, 0]),                  // REQUESTED-TRANSPORT
        (0x000C, &[0x40]),                   // CHANNEL-NUMBER
        (0x000D, &[0; 5]),                   // LIFETIME
    ] {
        let bytes = with_raw(t, value.len() as u16, value);
        assert_eq!(
            StunMessage::parse(&bytes).unwrap_err(),
            StunError::MalformedAttribute(t),
            "type {t:#06x} value {value:?}"
        );
    }
    let long_username = vec![b'a'; 513];
    assert_eq!(
        StunMessage::parse(&with_raw(0x0006, 513, &long_username)).unwrap_err(),
        StunError::MalformedAttribute(0x0006)
    );
}

#[test]
fn fingerprint_must_be_last_and_match() {
    let mut buf = [0u8; 64];
    let mut w = MessageWriter::new(&mut buf, MessageType::BINDING_INDICATION, TXID).unwrap();
    w.add_fingerprint().unwrap();
    let len = w.finish();
    let mut bytes = buf[..len].to_vec();
    StunMessage::parse(&bytes)
        .unwrap()
        .verify_fingerprint()
        .unwrap();
    bytes.extend_from_slice(&[0x00, 0x24, 0x00, 0x04, 0, 0, 0, 1]);
    bytes[3] = 16;
    assert_eq!(
        StunMessage::parse(&bytes).unwrap_err(),
        StunError::AttributeAfterFingerprint
    );

    let mut wrong = buf[..len].to_vec();
    wrong[27] ^= 0xFF;
    let msg = StunMessage::parse(&wrong).unwrap();
    assert!(matches!(
        msg.verify_fingerprint(),
        Err(StunError::FingerprintMismatch { .. })
    ));
    let plain = write(MessageType::BINDING_INDICATION, &[]);
    let msg = StunMessage::parse(&plain).unwrap();
    assert_eq!(msg.verify_fingerprint(), Err(StunError::NoFingerprint));
    assert_eq!(
        msg.verify_integrity(&IntegrityKey::new(b"k").unwrap()),
        Err(StunError::NoIntegrity)
    );
    assert_eq!(
        msg.verify_integrity_sha256(&IntegrityKey::new(b"k").unwrap()),
        Err(StunError::NoIntegrity)
    );
}
