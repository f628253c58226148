//! Hand-built RTP packets checked field by field, round trips and bad input.

use zerortc::rtp::{
    AbsSendTime, AudioLevel, ExtensionBlock, ExtensionEncoding, ExtensionForm, ExtensionKind,
    ExtensionMap, ExtensionValue, HeaderExtensions, Padding, RtpError, RtpHeader, RtpPacket,
    TransportSequenceNumber,
};

/// A VP8 packet as Chromium sends it: V=2, X=1, M=1, PT=96, one-byte
/// extensions abs-send-time (id 2, 3 bytes), transport-cc (id 3, 2 bytes)
/// and mid (id 4, "0"), zero padding to the 32-bit boundary.
const CHROME_VP8: &[u8] = &[
    0x90, 0xE0, 0x1A, 0x2B, // V=2 X=1 CC=0 | M=1 PT=96 | seq 0x1A2B
    0x5F, 0x3E, 0x12, 0x34, // timestamp
    0x9A, 0xBC, 0xDE, 0xF0, // SSRC
    0xBE, 0xDE, 0x00, 0x03, // one-byte profile, 3 words
    0x22, 0x4C, 0x89, 0x12, // id 2 L=2: abs-send-time 0x4C8912
    0x31, 0x01, 0x7E, // id 3 L=1: transport-cc seq 0x017E
    0x40, 0x30, // id 4 L=0: mid "0"
    0x00, 0x00, 0x00, // padding to 12 bytes
    0x90, 0x80, 0x5A, 0x10, 0x02, 0x00, 0x9D, 0x01, 0x2A, // VP8 descriptor + keyframe start
];

fn chrome_map() -> ExtensionMap {
    let mut map = ExtensionMap::new();
    map.insert_uri(2, AbsSendTime::URI).unwrap();
    map.insert_uri(3, TransportSequenceNumber::URI).unwrap();
    map.insert(4, ExtensionKind::SdesMid).unwrap();
    map
}

fn marshal(header: &RtpHeader<'_>, payload: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; 2048];
    let n = header.marshal_packet(payload, &mut out).unwrap();
    assert_eq!(n, header.packet_len(payload.len()).unwrap());
    out.truncate(n);
    out
}

#[test]
fn chrome_vp8_fields() {
    let p = RtpPacket::parse(CHROME_VP8).unwrap();
    assert_eq!(p.version(), 2);
    assert!(!p.has_padding());
    assert!(p.has_extension());
    assert_eq!(p.csrc_count(), 0);
    assert!(p.marker());
    assert_eq!(p.payload_type(), 96);
    assert_eq!(p.sequence_number(), 0x1A2B);
    assert_eq!(p.timestamp(), 0x5F3E_1234);
    assert_eq!(p.ssrc(), 0x9ABC_DEF0);
    assert_eq!(p.csrcs().count(), 0);
    assert_eq!(p.header_len(), 28);
    assert_eq!(p.payload(), &CHROME_VP8[28..]);
    assert_eq!(p.padding_len(), 0);
    assert_eq!(p.padding(), &[] as &[u8]);
    assert_eq!(p.len(), CHROME_VP8.len());
    assert_eq!(p.extension_profile(), Some(0xBEDE));
    assert_eq!(p.extension_data(), Some(&CHROME_VP8[16..28]));

    let ext = p.extensions().unwrap();
    assert_eq!(ext.form(), Some(ExtensionForm::OneByte));
    let elements: Vec<_> = ext.iter().collect();
    assert_eq!(
        elements,
        vec![
            (2, &[0x4C, 0x89, 0x12][..]),
            (3, &[0x01, 0x7E][..]),
            (4, &b"0"[..])
        ]
    );
    assert_eq!(ext.get(3), Some(&[0x01, 0x7E][..]));
    assert_eq!(p.extension(4), Some(Ok(&b"0"[..])));
    assert_eq!(p.extension(5), None);

    let map = chrome_map();
    assert_eq!(p.transport_sequence_number(&map), Some(Ok(0x017E)));
    assert_eq!(
        p.abs_send_time(&map),
        Some(Ok(AbsSendTime::from_raw(0x4C_8912)))
    );
    assert_eq!(p.mid(&map), Some(Ok("0")));
    assert_eq!(p.rid(&map), None);
    assert_eq!(p.audio_level(&map), None);
    assert_eq!(
        ext.value::<TransportSequenceNumber>(&map),
        Some(Ok(TransportSequenceNumber(0x017E)))
    );
}

#[test]
fn chrome_vp8_round_trip_and_rebuild() {
    let p = RtpPacket::parse(CHROME_VP8).unwrap();
    let header = p.to_header();
    assert!(matches!(
        header.extension,
        ExtensionBlock::Raw {
            profile: 0xBEDE,
            ..
        }
    ));
    assert_eq!(marshal(&header, p.payload()), CHROME_VP8);

    // The same packet built from values, extensions framed automatically.
    let mut built = RtpHeader::new(96, 0x1A2B, 0x5F3E_1234, 0x9ABC_DEF0);
    built.marker = true;
    let (mut ast, mut tcc) = ([0u8; 3], [0u8; 2]);
    AbsSendTime::from_raw(0x4C_8912).write(&mut ast).unwrap();
    TransportSequenceNumber(0x017E).write(&mut tcc).unwrap();
    built.set_extension(2, &ast).unwrap();
    built.set_extension(3, &tcc).unwrap();
    built.set_extension(4, b"0").unwrap();
    assert_eq!(built.header_len(), Ok(28));
    assert_eq!(marshal(&built, &CHROME_VP8[28..]), CHROME_VP8);
}

#[test]
fn rewrite_one_extension_of_a_parsed_packet() {
    let p = RtpPacket::parse(CHROME_VP8).unwrap();
    let mut header = p.to_header();
    let new_seq = 0xBEEFu16.to_be_bytes();
    header.set_extension(3, &new_seq).unwrap();
    assert_eq!(header.extension(3), Some(&new_seq[..]));
    let out = marshal(&header, p.payload());
    let q = RtpPacket::parse(&out).unwrap();
    assert_eq!(q.transport_sequence_number(&chrome_map()), Some(Ok(0xBEEF)));
    assert_eq!(q.mid(&chrome_map()), Some(Ok("0")));
    assert_eq!(q.payload(), p.payload());
    assert_eq!(q.extension_profile(), Some(0xBEDE));
    // Everything except the two sequence bytes is unchanged.
    let mut expected = CHROME_VP8.to_vec();
    expected[21..23].copy_from_slice(&new_seq);
    assert_eq!(out, expected);

    assert_eq!(header.remove_extension(2), Ok(true));
    assert_eq!(header.remove_extension(2), Ok(false));
    let out = marshal(&header, p.payload());
    let q = RtpPacket::parse(&out).unwrap();
    assert_eq!(q.abs_send_time(&chrome_map()), None);
    assert_eq!(q.header_len(), 24); // 12 + 4 + (3 + 2 → 8)
}

/// Two-byte form: ids above 14, a zero-length element (extmap-allow-mixed),
/// a 20-byte value, padding byte between elements, application bits 0x5.
const TWO_BYTE: &[u8] = &[
    0x90, 0x6F, 0x00, 0x01, // X=1 PT=111 seq 1
    0x00, 0x00, 0x03, 0xC0, // timestamp 960
    0x11, 0x22, 0x33, 0x44, // SSRC
    0x10, 0x05, 0x00, 0x03, // profile 0x1005, 3 words
    0x01, 0x00, // id 1, empty
    0x00, // padding
    0x10, 0x01, 0x8A, // id 16, audio level V=1 level 10
    0xFF, 0x02, 0xAB, 0xCD, // id 255, 2 bytes
    0x00, 0x00, // padding
    0xF8, 0xFF, 0xFE, // Opus payload
];

#[test]
fn two_byte_fields_and_round_trip() {
    let p = RtpPacket::parse(TWO_BYTE).unwrap();
    assert!(!p.marker());
    assert_eq!(p.payload_type(), 111);
    assert_eq!(p.sequence_number(), 1);
    assert_eq!(p.timestamp(), 960);
    assert_eq!(p.ssrc(), 0x1122_3344);
    assert_eq!(p.header_len(), 28);
    assert_eq!(p.payload(), &[0xF8, 0xFF, 0xFE]);
    let ext = p.extensions().unwrap();
    assert_eq!(ext.profile(), 0x1005);
    assert_eq!(ext.form(), Some(ExtensionForm::TwoByte));
    assert_eq!(
        ext.iter().collect::<Vec<_>>(),
        vec![(1, &[][..]), (16, &[0x8A][..]), (255, &[0xAB, 0xCD][..])]
    );
    let mut map = ExtensionMap::new();
    map.insert(16, ExtensionKind::AudioLevel).unwrap();
    assert_eq!(
        p.audio_level(&map),
        Some(Ok(AudioLevel {
            voice_activity: true,
            level: 10
        }))
    );
    assert_eq!(marshal(&p.to_header(), p.payload()), TWO_BYTE);

    // Converted to elements, a two-byte block stays two-byte (padding between
    // elements and application bits are not kept once modified).
    let mut header = p.to_header();
    header.set_extension(3, &[7]).unwrap();
    let out = marshal(&header, p.payload());
    let q = RtpPacket::parse(&out).unwrap();
    assert_eq!(q.extension_profile(), Some(0x1000));
    assert_eq!(
        q.extensions().unwrap().iter().collect::<Vec<_>>(),
        vec![
            (1, &[][..]),
            (16, &[0x8A][..]),
            (255, &[0xAB, 0xCD][..]),
            (3, &[7][..])
        ]
    );
}

#[test]
fn auto_encoding_picks_the_form() {
    let mut h = RtpHeader::new(96, 0, 0, 1);
    h.set_extension(14, &[0; 16]).unwrap();
    let out = marshal(&h, &[]);
    assert_eq!(&out[12..16], &[0xBE, 0xDE, 0x00, 0x05]); // 17 bytes → 20
    assert_eq!(out[16], 0xEF);

    // A 17-byte value needs the two-byte form.
    let mut h = RtpHeader::new(96, 0, 0, 1);
    h.set_extension(1, &[9; 17]).unwrap();
    let out = marshal(&h, &[]);
    assert_eq!(&out[12..20], &[0x10, 0x00, 0x00, 0x05, 1, 17, 9, 9]);

    // An empty value or id 15 too.
    for (id, value) in [(5u8, &[][..]), (15, &[1][..])] {
        let mut h = RtpHeader::new(96, 0, 0, 1);
        h.set_extension(id, value).unwrap();
        let out = marshal(&h, &[]);
        assert_eq!(&out[12..14], &[0x10, 0x00]);
        let p = RtpPacket::parse(&out).unwrap();
        assert_eq!(p.extension(id), Some(Ok(value)));
    }

    // Forced one-byte rejects what it cannot carry; forced two-byte takes it.
    let mut elements = zerortc::rtp::ExtensionElements::new();
    elements.try_push((15u8, &[1u8][..])).unwrap();
    let mut h = RtpHeader::new(96, 0, 0, 1);
    h.extension = ExtensionBlock::Elements {
        encoding: ExtensionEncoding::OneByte,
        elements,
    };
    assert_eq!(h.header_len(), Err(RtpError::BadExtensionId(15)));
    assert_eq!(
        h.marshal_packet(&[], &mut [0u8; 64]),
        Err(RtpError::BadExtensionId(15))
    );
    h.extension = ExtensionBlock::Elements {
        encoding: ExtensionEncoding::TwoByte,
        elements,
    };
    assert_eq!(h.header_len(), Ok(20));
    let mut h = RtpHeader::new(96, 0, 0, 1);
    h.extension = ExtensionBlock::Elements {
        encoding: ExtensionEncoding::OneByte,
        elements: [(3u8, &[0u8; 17][..])][..].try_into().unwrap(),
    };
    assert_eq!(
        h.header_len(),
        Err(RtpError::BadExtensionValueLength { id: 3, len: 17 })
    );
    // Forced two-byte with small ids (mixed).
    h.extension = ExtensionBlock::Elements {
        encoding: ExtensionEncoding::TwoByte,
        elements: [(3u8, &[0u8; 2][..])][..].try_into().unwrap(),
    };
    let out = marshal(&h, &[]);
    assert_eq!(&out[12..20], &[0x10, 0x00, 0x00, 0x01, 3, 2, 0, 0]);
    assert_eq!(h.set_extension(0, &[1]), Err(RtpError::BadExtensionId(0)));
}

#[test]
fn too_many_csrcs_and_extensions() {
    let mut h = RtpHeader::new(0, 0, 0, 0);
    for i in 0..15 {
        h.push_csrc(i).unwrap();
    }
    assert_eq!(h.push_csrc(15), Err(RtpError::TooManyCsrcs));
    let values: Vec<[u8; 1]> = (0..=16u8).map(|i| [i]).collect();
    for id in 1..=16u8 {
        h.set_extension(id, &values[usize::from(id)]).unwrap();
    }
    assert_eq!(h.set_extension(17, &[0]), Err(RtpError::TooManyExtensions));
    let out = marshal(&h, b"x");
    let p = RtpPacket::parse(&out).unwrap();
    assert_eq!(p.csrcs().collect::<Vec<_>>(), (0..15).collect::<Vec<u32>>());
    assert_eq!(p.extensions().unwrap().len(), 16);
    assert_eq!(p.extension_profile(), Some(0x1000)); // ids 15, 16 force two-byte
}

/// CSRCs, no extension, 4 bytes of padding.
const CSRC_PADDED: &[u8] = &[
    0xA2, 0x08, 0xFF, 0xFF, // V=2 P=1 CC=2 | PT=8 | seq 65535
    0xFF, 0xFF, 0xFF, 0xFF, // timestamp
    0x00, 0x00, 0x00, 0x01, // SSRC 1
    0x11, 0x11, 0x11, 0x11, // CSRC 1
    0x22, 0x22, 0x22, 0x22, // CSRC 2
    0xD5, 0xD5, // PCMA payload
    0x00, 0x00, 0x00, 0x04, // padding, count 4
];

#[test]
fn csrcs_and_padding() {
    let p = RtpPacket::parse(CSRC_PADDED).unwrap();
    assert!(p.has_padding());
    assert!(!p.has_extension());
    assert_eq!(p.csrc_count(), 2);
    assert_eq!(p.payload_type(), 8);
    assert_eq!(p.sequence_number(), 0xFFFF);
    assert_eq!(p.timestamp(), 0xFFFF_FFFF);
    assert_eq!(p.ssrc(), 1);
    assert_eq!(p.csrcs().len(), 2);
    assert_eq!(
        p.csrcs().collect::<Vec<_>>(),
        vec![0x1111_1111, 0x2222_2222]
    );
    assert_eq!(p.header_len(), 20);
    assert_eq!(p.payload(), &[0xD5, 0xD5]);
    assert_eq!(p.padding_len(), 4);
    assert_eq!(p.padding(), &[0, 0, 0, 4]);
    assert_eq!(p.extension_profile(), None);
    assert_eq!(p.extensions(), Ok(HeaderExtensions::EMPTY));
    assert_eq!(p.extension(1), None);
    assert_eq!(marshal(&p.to_header(), p.payload()), CSRC_PADDED);

    // Padding contents other than zeros are kept too.
    let mut odd = CSRC_PADDED.to_vec();
    odd[22] = 0xAA;
    let q = RtpPacket::parse(&odd).unwrap();
    assert_eq!(marshal(&q.to_header(), q.payload()), odd);
    // And rebuilt from values with zero padding it matches the original.
    let mut h = RtpHeader::new(8, 0xFFFF, 0xFFFF_FFFF, 1);
    h.push_csrc(0x1111_1111).unwrap();
    h.push_csrc(0x2222_2222).unwrap();
    h.padding = Padding::Zeros(4);
    assert_eq!(marshal(&h, &[0xD5, 0xD5]), CSRC_PADDED);
}

#[test]
fn padding_only_packet() {
    // P=1, no payload, 1 byte of padding: the whole packet after the header.
    let buf = [0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01];
    let p = RtpPacket::parse(&buf).unwrap();
    assert_eq!(p.payload(), &[] as &[u8]);
    assert_eq!(p.padding_len(), 1);
    assert_eq!(marshal(&p.to_header(), p.payload()), buf);
}

#[test]
fn empty_extension_block_and_unknown_profile() {
    // X=1 with a zero-length block.
    let buf = [
        0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xBE, 0xDE, 0, 0, 0x42,
    ];
    let p = RtpPacket::parse(&buf).unwrap();
    assert_eq!(p.header_len(), 16);
    assert!(p.extensions().unwrap().is_empty());
    assert_eq!(p.payload(), &[0x42]);
    assert_eq!(marshal(&p.to_header(), p.payload()), buf);

    // A non-RFC 8285 profile is carried opaquely.
    let buf = [
        0x90, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xAB, 0xCD, 0, 1, 1, 2, 3, 4,
    ];
    let p = RtpPacket::parse(&buf).unwrap();
    let ext = p.extensions().unwrap();
    assert_eq!(ext.form(), None);
    assert!(ext.is_empty());
    assert_eq!(ext.data(), &[1, 2, 3, 4]);
    assert_eq!(marshal(&p.to_header(), p.payload()), buf);
    let mut h = p.to_header();
    assert!(h.set_extension(1, &[1]).is_err());
}

#[test]
fn truncations_never_panic() {
    for packet in [CHROME_VP8, TWO_BYTE, CSRC_PADDED] {
        let full = RtpPacket::parse(packet).unwrap();
        for cut in 0..packet.len() {
            let prefix = &packet[..cut];
            match RtpPacket::parse(prefix) {
                Ok(p) => {
                    // Only cuts inside the payload or padding can parse.
                    assert!(cut >= full.header_len(), "cut {cut}");
                    assert_eq!(p.header_len(), full.header_len());
                    assert!(p.payload().len() + p.padding_len() == cut - p.header_len());
                }
                Err(e) => assert!(
                    matches!(
                        e,
                        RtpError::TooShort { .. }
                            | RtpError::ExtensionTooLong { .. }
                            | RtpError::ZeroPadding
                            | RtpError::PaddingTooLong { .. }
                    ),
                    "cut {cut}: {e}"
                ),
            }
            if cut < full.header_len() {
                assert!(RtpPacket::parse(prefix).is_err(), "cut {cut}");
            }
        }
    }
    assert_eq!(
        RtpPacket::parse(&CHROME_VP8[..11]),
        Err(RtpError::TooShort {
            needed: 12,
            got: 11
        })
    );
    assert_eq!(
        RtpPacket::parse(&CHROME_VP8[..14]),
        Err(RtpError::TooShort {
            needed: 16,
            got: 14
        })
    );
    assert_eq!(
        RtpPacket::parse(&CHROME_VP8[..20]),
        Err(RtpError::ExtensionTooLong {
            declared: 12,
            available: 4
        })
    );
    assert_eq!(
        RtpPacket::parse(&CSRC_PADDED[..19]),
        Err(RtpError::TooShort {
            needed: 20,
            got: 19
        })
    );
    // Cutting the padded packet makes its last byte a zero padding count.
    assert_eq!(
        RtpPacket::parse(&CSRC_PADDED[..24]),
        Err(RtpError::ZeroPadding)
    );
}

#[test]
fn bad_version() {
    for version in [0u8, 1, 3] {
        let mut buf = CHROME_VP8.to_vec();
        buf[0] = (buf[0] & 0x3F) | (version << 6);
        assert_eq!(RtpPacket::parse(&buf), Err(RtpError::BadVersion(version)));
    }
}

#[test]
fn lying_lengths() {
    // Extension length one word too long.
    let mut buf = CHROME_VP8[..28].to_vec();
    buf[15] = 4;
    assert_eq!(
        RtpPacket::parse(&buf),
        Err(RtpError::ExtensionTooLong {
            declared: 16,
            available: 12
        })
    );
    // Extension length at its maximum.
    buf[14] = 0xFF;
    buf[15] = 0xFF;
    assert_eq!(
        RtpPacket::parse(&buf),
        Err(RtpError::ExtensionTooLong {
            declared: 262_140,
            available: 12
        })
    );
    // CSRC count beyond the buffer.
    let mut buf = CHROME_VP8.to_vec();
    buf[0] = 0x8F; // CC = 15: needs 72 bytes
    buf.truncate(36);
    assert_eq!(
        RtpPacket::parse(&buf),
        Err(RtpError::TooShort {
            needed: 72,
            got: 36
        })
    );
    // An element that runs past its block: the packet parses, the block does not.
    let mut buf = CHROME_VP8.to_vec();
    buf[23] = 0x4F; // mid claims 16 bytes
    let p = RtpPacket::parse(&buf).unwrap();
    assert_eq!(
        p.extensions(),
        Err(RtpError::ExtensionElementOverrun { id: 4, offset: 7 })
    );
    assert_eq!(p.extension(2), Some(Ok(&[0x4C, 0x89, 0x12][..])));
    assert_eq!(
        p.extension(9),
        Some(Err(RtpError::ExtensionElementOverrun { id: 4, offset: 7 }))
    );
    assert!(matches!(p.mid(&chrome_map()), Some(Err(_))));
    // A header built from it keeps the raw block and still round-trips...
    let h = p.to_header();
    assert_eq!(marshal(&h, p.payload()), buf);
    // ...but cannot be edited.
    let mut h = h;
    assert!(h.set_extension(3, &[0, 1]).is_err());
}

#[test]
fn bad_padding() {
    // Padding larger than the payload area.
    let mut buf = CSRC_PADDED.to_vec();
    *buf.last_mut().unwrap() = 7;
    assert_eq!(
        RtpPacket::parse(&buf),
        Err(RtpError::PaddingTooLong {
            padding: 7,
            available: 6
        })
    );
    *buf.last_mut().unwrap() = 255;
    assert!(matches!(
        RtpPacket::parse(&buf),
        Err(RtpError::PaddingTooLong { padding: 255, .. })
    ));
    // Padding exactly the payload area is fine.
    *buf.last_mut().unwrap() = 6;
    let p = RtpPacket::parse(&buf).unwrap();
    assert_eq!(p.payload(), &[] as &[u8]);
    // Zero with P set.
    *buf.last_mut().unwrap() = 0;
    assert_eq!(RtpPacket::parse(&buf), Err(RtpError::ZeroPadding));
    // P set on a packet that is all header.
    let buf = [0xA0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 12];
    assert_eq!(
        RtpPacket::parse(&buf),
        Err(RtpError::PaddingTooLong {
            padding: 1,
            available: 0
        })
    );

    // Writer side.
    let mut h = RtpHeader::new(0, 0, 0, 0);
    h.padding = Padding::Zeros(0);
    assert_eq!(
        h.marshal_packet(&[], &mut [0; 64]),
        Err(RtpError::BadPadding)
    );
    for raw in [&[][..], &[0, 0, 4][..], &[0, 2, 0][..], &[0][..], &[2][..]] {
        h.padding = Padding::Raw(raw);
        assert_eq!(h.packet_len(0), Err(RtpError::BadPadding), "{raw:?}");
    }
    h.padding = Padding::Raw(&[9, 9, 3]);
    assert_eq!(h.packet_len(1), Ok(16));
}

#[test]
fn marshal_into_too_small_buffers() {
    let p = RtpPacket::parse(CHROME_VP8).unwrap();
    let h = p.to_header();
    let total = CHROME_VP8.len();
    for size in 0..total {
        let mut out = vec![0u8; size];
        assert_eq!(
            h.marshal_packet(p.payload(), &mut out),
            Err(RtpError::BufferTooSmall {
                needed: total,
                got: size
            })
        );
    }
    for size in 0..28 {
        let mut out = vec![0u8; size];
        assert_eq!(
            h.marshal_header(&mut out),
            Err(RtpError::BufferTooSmall {
                needed: 28,
                got: size
            })
        );
    }
    let mut out = [0u8; 28];
    assert_eq!(h.marshal_header(&mut out), Ok(28));
    assert_eq!(&out[..], &CHROME_VP8[..28]);

    // Raw blocks must be whole words.
    let mut h = RtpHeader::new(0, 0, 0, 0);
    h.extension = ExtensionBlock::Raw {
        profile: 0xBEDE,
        data: &[0x10, 1, 0],
    };
    assert_eq!(
        h.marshal_header(&mut [0; 64]),
        Err(RtpError::UnalignedExtensionBlock(3))
    );
}
