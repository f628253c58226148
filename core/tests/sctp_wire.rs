//! SCTP wire format: CRC32c check values (RFC 3720 §B.4, as cited by
//! RFC 3309 / RFC 9260 Appendix B), hand-built chunks checked field by
//! field, round trips, unknown-chunk rules and malformed input.

use zerortc::sctp::param::{
    EDMID_DTLS, ReconfigParam, ReconfigResult, TlvIter, cause, stream_list,
};
use zerortc::sctp::{
    ChunkView, CommonHeader, DataHeader, FLAG_BEGIN, FLAG_END, FLAG_UNORDERED, InitFields,
    PacketWriter, SctpError, SctpPacket, UnknownAction, checksum, chunk_type,
};

fn header() -> CommonHeader {
    CommonHeader {
        source_port: 5000,
        destination_port: 5000,
        verification_tag: 0xDEAD_BEEF,
        checksum: 0,
    }
}

#[test]
fn crc32c_check_values() {
    // RFC 3720 §B.4: the CRC bytes as they appear on the wire.
    let cases: [([u8; 32], [u8; 4]); 4] = [
        ([0u8; 32], [0xaa, 0x36, 0x91, 0x8a]),
        ([0xffu8; 32], [0x43, 0xab, 0xa8, 0x62]),
        (std::array::from_fn(|i| i as u8), [0x4e, 0x79, 0xdd, 0x46]),
        (
            std::array::from_fn(|i| 31 - i as u8),
            [0x5c, 0xdb, 0x3f, 0x11],
        ),
    ];
    for (data, wire) in cases {
        assert_eq!(crc32c::crc32c(&data).to_le_bytes(), wire);
    }
    // The standard CRC-32C check value.
    assert_eq!(crc32c::crc32c(b"123456789"), 0xE306_9283);
}

#[test]
fn packet_checksum_ignores_its_own_field_and_is_little_endian() {
    let mut buf = [0u8; 64];
    let mut w = PacketWriter::new(&mut buf, header()).unwrap();
    w.cookie_ack().unwrap();
    let n = w.finish(false);
    assert_eq!(n, 16);
    let mut zeroed = buf[..n].to_vec();
    zeroed[8..12].fill(0);
    let crc = crc32c::crc32c(&zeroed);
    assert_eq!(&buf[8..12], &crc.to_le_bytes());
    assert_eq!(checksum::packet_crc32c(&buf[..n]), crc);
    assert!(checksum::verify_checksum(&buf[..n]));
    SctpPacket::parse_checked(&buf[..n], false).unwrap();
    buf[13] ^= 1;
    assert!(matches!(
        SctpPacket::parse_checked(&buf[..n], false),
        Err(SctpError::BadChecksum { .. })
    ));
}

#[test]
fn zero_checksum_accepted_only_when_negotiated() {
    let mut buf = [0u8; 64];
    let mut w = PacketWriter::new(&mut buf, header()).unwrap();
    w.shutdown_ack().unwrap();
    let n = w.finish(true);
    assert_eq!(&buf[8..12], &[0, 0, 0, 0]);
    SctpPacket::parse_checked(&buf[..n], true).unwrap();
    assert!(SctpPacket::parse_checked(&buf[..n], false).is_err());
}

#[test]
fn data_chunk_by_hand() {
    #[rustfmt::skip]
    let bytes = [
        0x13, 0x88, 0x13, 0x89, 0x01, 0x02, 0x03, 0x04, 0, 0, 0, 0, // header
        0x00, 0x03, 0x00, 0x13, // DATA, B|E, length 19
        0x00, 0x00, 0x00, 0x2A, // TSN 42
        0x00, 0x07, 0x00, 0x05, // stream 7, SSN 5
        0x00, 0x00, 0x00, 0x33, // PPID 51 (WebRTC string)
        b'a', b'b', b'c', 0x00, // "abc" + 1 byte padding
    ];
    let p = SctpPacket::parse(&bytes).unwrap();
    assert_eq!(p.source_port(), 5000);
    assert_eq!(p.destination_port(), 5001);
    assert_eq!(p.verification_tag(), 0x0102_0304);
    let chunks: Vec<_> = p.chunks().map(Result::unwrap).collect();
    assert_eq!(chunks.len(), 1);
    assert_eq!(chunks[0].padding, 1);
    let ChunkView::Data(d) = chunks[0].decode().unwrap() else {
        panic!("not DATA")
    };
    assert_eq!((d.tsn, d.stream_id, d.ssn, d.ppid), (42, 7, 5, 51));
    assert!(d.beginning() && d.ending() && !d.unordered() && !d.immediate());
    assert_eq!(d.payload, b"abc");
    // Writer produces the same bytes.
    let mut out = [0u8; 64];
    let mut w = PacketWriter::new(
        &mut out,
        CommonHeader {
            source_port: 5000,
            destination_port: 5001,
            verification_tag: 0x0102_0304,
            checksum: 0,
        },
    )
    .unwrap();
    let h = DataHeader {
        flags: FLAG_BEGIN | FLAG_END,
        tsn: 42,
        stream_id: 7,
        ssn: 5,
        ppid: 51,
    };
    w.data(&h, b"abc").unwrap();
    let n = w.finish(true);
    assert_eq!(&out[..n], &bytes[..]);
}

#[test]
fn sack_by_hand() {
    #[rustfmt::skip]
    let value = [
        0x00, 0x00, 0x01, 0x00, // cum TSN 256
        0x00, 0x01, 0x00, 0x00, // a_rwnd 65536
        0x00, 0x02, 0x00, 0x01, // 2 gap blocks, 1 dup
        0x00, 0x02, 0x00, 0x03, // gap 2..3
        0x00, 0x05, 0x00, 0x05, // gap 5..5
        0x00, 0x00, 0x00, 0xFF, // dup 255
    ];
    let ChunkView::Sack(s) = ChunkView::decode(chunk_type::SACK, 0, &value).unwrap() else {
        panic!("not SACK")
    };
    assert_eq!(s.cumulative_tsn_ack, 256);
    assert_eq!(s.a_rwnd, 65536);
    assert_eq!(s.gap_blocks().collect::<Vec<_>>(), [(2, 3), (5, 5)]);
    assert_eq!(s.dup_tsns().collect::<Vec<_>>(), [255]);
    let mut buf = [0u8; 64];
    let mut w = PacketWriter::new(&mut buf, header()).unwrap();
    w.sack(256, 65536, &[(2, 3), (5, 5)], &[255]).unwrap();
    let n = w.finish(false);
    assert_eq!(&buf[16..n], &value);
    // Counts that lie about the length.
    let mut lying = value;
    lying[11] = 2;
    assert!(ChunkView::decode(chunk_type::SACK, 0, &lying).is_err());
    assert!(ChunkView::decode(chunk_type::SACK, 0, &value[..11]).is_err());
}

#[test]
fn init_and_init_ack_parameters() {
    let mut buf = [0u8; 256];
    let mut w = PacketWriter::new(&mut buf, header()).unwrap();
    let f = InitFields {
        initiate_tag: 0x1234_5678,
        a_rwnd: 1 << 20,
        outbound_streams: 1024,
        inbound_streams: 65535,
        initial_tsn: 99,
        forward_tsn: true,
        supported_extensions: &[chunk_type::FORWARD_TSN, chunk_type::RE_CONFIG],
        zero_checksum_edmid: Some(EDMID_DTLS),
        state_cookie: Some(b"cookie!"),
    };
    w.init(true, &f).unwrap();
    w.init(
        false,
        &InitFields {
            state_cookie: None,
            ..f
        },
    )
    .unwrap();
    let n = w.finish(false);
    let p = SctpPacket::parse_checked(&buf[..n], false).unwrap();
    let mut it = p.chunks();
    let ChunkView::InitAck(ack) = it.next().unwrap().unwrap().decode().unwrap() else {
        panic!()
    };
    assert_eq!(ack.initiate_tag, 0x1234_5678);
    assert_eq!(ack.a_rwnd, 1 << 20);
    assert_eq!((ack.outbound_streams, ack.inbound_streams), (1024, 65535));
    assert_eq!(ack.initial_tsn, 99);
    assert_eq!(ack.state_cookie(), Some(&b"cookie!"[..]));
    assert!(ack.forward_tsn_supported());
    assert!(ack.supports_extension(chunk_type::RE_CONFIG));
    assert!(!ack.supports_extension(chunk_type::I_DATA));
    assert_eq!(ack.zero_checksum_edmid(), Some(EDMID_DTLS));
    assert_eq!(ack.params().count(), 4);
    let ChunkView::Init(init) = it.next().unwrap().unwrap().decode().unwrap() else {
        panic!()
    };
    assert_eq!(init.state_cookie(), None);
    assert!(it.next().is_none());
    // Cookie parameter: type 7, length 11, 1 byte padding.
    assert_eq!(&buf[32..36], &[0, 7, 0, 11]);
}

#[test]
fn init_rejects_zero_tag_and_zero_streams() {
    let mut v = [0u8; 16];
    v[3] = 1; // tag 1
    v[9] = 1; // outbound 1
    v[11] = 1; // inbound 1
    ChunkView::decode(chunk_type::INIT, 0, &v).unwrap();
    let mut z = v;
    z[3] = 0;
    assert_eq!(
        ChunkView::decode(chunk_type::INIT, 0, &z),
        Err(SctpError::InvalidField("initiate tag"))
    );
    let mut z = v;
    z[9] = 0;
    assert!(ChunkView::decode(chunk_type::INIT_ACK, 0, &z).is_err());
    assert!(ChunkView::decode(chunk_type::INIT, 0, &v[..15]).is_err());
}

#[test]
fn control_chunks_round_trip() {
    let mut buf = [0u8; 512];
    let mut w = PacketWriter::new(&mut buf, header()).unwrap();
    w.heartbeat(b"\x01\x02\x03\x04\x05").unwrap();
    w.abort(true, Some((cause::USER_INITIATED_ABORT, b"bye")))
        .unwrap();
    w.error(cause::INVALID_STREAM_IDENTIFIER, &[0, 9, 0, 0])
        .unwrap();
    w.shutdown(77).unwrap();
    w.shutdown_ack().unwrap();
    w.shutdown_complete(true).unwrap();
    w.cookie_echo(b"c00kie").unwrap();
    w.cookie_ack().unwrap();
    w.forward_tsn(1000, &[(1, 5), (3, 9)]).unwrap();
    let mut ids = [0u8; 4];
    let streams = stream_list(&[4, 6], &mut ids).unwrap();
    w.reconfig(&[
        ReconfigParam::OutgoingSsnReset {
            request_seq: 10,
            response_seq: 20,
            last_tsn: 999,
            streams,
        },
        ReconfigParam::Response {
            response_seq: 7,
            result: ReconfigResult::SuccessPerformed,
            next_tsns: None,
        },
    ])
    .unwrap();
    w.i_data(FLAG_BEGIN | FLAG_UNORDERED, 5, 2, 77, 53, b"xyz")
        .unwrap();
    let n = w.finish(false);
    let p = SctpPacket::parse_checked(&buf[..n], false).unwrap();
    let views: Vec<ChunkView> = p.chunks().map(|c| c.unwrap().decode().unwrap()).collect();
    assert_eq!(views.len(), 11);
    assert_eq!(
        views[0].heartbeat_info(),
        Some(&b"\x01\x02\x03\x04\x05"[..])
    );
    assert!(matches!(views[1], ChunkView::Abort { t_bit: true, .. }));
    let c: Vec<_> = views[1].causes().collect();
    assert_eq!(
        (c[0].tlv_type, c[0].value),
        (cause::USER_INITIATED_ABORT, &b"bye"[..])
    );
    assert_eq!(views[2].causes().next().unwrap().tlv_type, 1);
    assert_eq!(views[3], ChunkView::Shutdown(77));
    assert_eq!(views[4], ChunkView::ShutdownAck);
    assert_eq!(views[5], ChunkView::ShutdownComplete { t_bit: true });
    assert_eq!(views[6], ChunkView::CookieEcho(b"c00kie"));
    assert_eq!(views[7], ChunkView::CookieAck);
    let ChunkView::ForwardTsn(f) = views[8] else {
        panic!()
    };
    assert_eq!(f.new_cumulative_tsn, 1000);
    assert_eq!(f.streams().collect::<Vec<_>>(), [(1, 5), (3, 9)]);
    let r: Vec<_> = views[9].reconfig_params().collect();
    let ReconfigParam::OutgoingSsnReset {
        request_seq,
        response_seq,
        last_tsn,
        streams,
    } = r[0]
    else {
        panic!()
    };
    assert_eq!((request_seq, response_seq, last_tsn), (10, 20, 999));
    assert_eq!(streams.iter().collect::<Vec<_>>(), [4, 6]);
    assert!(matches!(
        r[1],
        ReconfigParam::Response {
            response_seq: 7,
            result: ReconfigResult::SuccessPerformed,
            next_tsns: None
        }
    ));
    let ChunkView::IData(d) = views[10] else {
        panic!()
    };
    assert_eq!((d.tsn, d.stream_id, d.mid, d.ppid_or_fsn), (5, 2, 77, 53));
    assert_eq!(d.payload, b"xyz");
    // Rewriting every view reproduces the packet.
    let mut again = [0u8; 512];
    let mut w2 = PacketWriter::new(&mut again, header()).unwrap();
    for v in &views {
        w2.push(v).unwrap();
    }
    let n2 = w2.finish(false);
    assert_eq!(&again[..n2], &buf[..n]);
}

#[test]
fn incoming_reset_with_empty_list_means_all_streams() {
    let tlv = zerortc::sctp::param::Tlv {
        tlv_type: 14,
        value: &[0, 0, 0, 1],
    };
    let ReconfigParam::IncomingSsnReset {
        request_seq,
        streams,
    } = ReconfigParam::decode(tlv).unwrap()
    else {
        panic!("not an incoming reset")
    };
    assert_eq!(request_seq, 1);
    assert!(streams.is_empty());
    // An odd-length stream list is malformed.
    let odd = zerortc::sctp::param::Tlv {
        tlv_type: 14,
        value: &[0, 0, 0, 1, 0],
    };
    assert!(ReconfigParam::decode(odd).is_err());
}

#[test]
fn reconfig_param_kinds_round_trip() {
    let params = [
        ReconfigParam::SsnTsnReset { request_seq: 3 },
        ReconfigParam::Response {
            response_seq: 3,
            result: ReconfigResult::InProgress,
            next_tsns: Some((100, 200)),
        },
        ReconfigParam::AddStreams {
            incoming: true,
            request_seq: 4,
            new_streams: 16,
        },
        ReconfigParam::AddStreams {
            incoming: false,
            request_seq: 5,
            new_streams: 2,
        },
    ];
    for p in params {
        let mut out = [0u8; 32];
        let n = p.write(&mut out).unwrap();
        let tlv = TlvIter::new(&out[..n]).next().unwrap().unwrap();
        assert_eq!(ReconfigParam::decode(tlv).unwrap(), p);
    }
    // Response with a bad length.
    let bad = zerortc::sctp::param::Tlv {
        tlv_type: 16,
        value: &[0; 12],
    };
    assert!(ReconfigParam::decode(bad).is_err());
}

#[test]
fn unknown_chunks_follow_the_upper_bits() {
    assert_eq!(UnknownAction::for_chunk_type(0x3F), UnknownAction::Stop);
    assert_eq!(
        UnknownAction::for_chunk_type(0x40 | 0x21),
        UnknownAction::StopAndReport
    );
    assert_eq!(
        UnknownAction::for_chunk_type(0x80 | 0x21),
        UnknownAction::Skip
    );
    assert_eq!(
        UnknownAction::for_chunk_type(0xC0 | 0x21),
        UnknownAction::SkipAndReport
    );
    assert_eq!(
        UnknownAction::for_parameter_type(0xC000),
        UnknownAction::SkipAndReport
    );
    assert_eq!(
        UnknownAction::for_parameter_type(0x4001),
        UnknownAction::StopAndReport
    );
    assert!(UnknownAction::Skip.continues() && !UnknownAction::Skip.reports());
    let ChunkView::Unknown(raw) = ChunkView::decode(0xA1, 0x55, &[1, 2, 3]).unwrap() else {
        panic!()
    };
    assert_eq!(
        (raw.chunk_type, raw.flags, raw.value),
        (0xA1, 0x55, &[1u8, 2, 3][..])
    );
}

#[test]
fn malformed_packets_are_errors() {
    assert_eq!(
        SctpPacket::parse(&[0; 11]),
        Err(SctpError::PacketTooShort(11))
    );
    let mut p = [0u8; 20];
    // chunk length 3
    p[12..16].copy_from_slice(&[0, 0, 0, 3]);
    assert!(matches!(
        SctpPacket::parse(&p),
        Err(SctpError::BadChunkLength {
            offset: 12,
            length: 3
        })
    ));
    // chunk length beyond the packet
    p[12..16].copy_from_slice(&[11, 0, 0, 12]);
    assert!(SctpPacket::parse(&p).is_err());
    // length 5 followed by 3 bytes that are its padding: fine
    p[12..16].copy_from_slice(&[11, 0, 0, 5]);
    assert!(SctpPacket::parse(&p).is_ok());
    // last chunk without padding: accepted
    assert!(SctpPacket::parse(&p[..17]).is_ok());
    // 1 stray byte after a padded chunk: a chunk header cut short
    let mut q = [0u8; 21];
    q[12..16].copy_from_slice(&[11, 0, 0, 8]);
    assert!(SctpPacket::parse(&q).is_err());
    // DATA without user data
    assert_eq!(
        ChunkView::decode(chunk_type::DATA, 3, &[0; 12]),
        Err(SctpError::InvalidField("DATA user data"))
    );
    // HEARTBEAT without heartbeat info
    assert!(ChunkView::decode(chunk_type::HEARTBEAT, 0, &[0, 2, 0, 4]).is_err());
    // SHUTDOWN of the wrong size
    assert!(ChunkView::decode(chunk_type::SHUTDOWN, 0, &[0; 5]).is_err());
    // FORWARD-TSN with a partial stream entry
    assert!(ChunkView::decode(chunk_type::FORWARD_TSN, 0, &[0; 6]).is_err());
    // ERROR whose cause overruns
    assert!(ChunkView::decode(chunk_type::ERROR, 0, &[0, 1, 0, 9, 0, 0]).is_err());
    // RE-CONFIG with no parameter
    assert!(ChunkView::decode(chunk_type::RE_CONFIG, 0, &[]).is_err());
}

#[test]
fn writer_reports_a_full_buffer() {
    let mut buf = [0u8; 40];
    let mut w = PacketWriter::new(&mut buf, header()).unwrap();
    assert_eq!(w.data_room(), 40 - 12 - 16);
    let h = DataHeader {
        flags: 3,
        ..Default::default()
    };
    assert!(matches!(
        w.data(&h, &[0; 13]),
        Err(SctpError::BufferTooSmall { .. })
    ));
    w.data(&h, &[0; 12]).unwrap();
    assert_eq!(w.remaining(), 0);
    assert_eq!(w.data(&h, &[]), Err(SctpError::EmptyMessage));
    assert!(PacketWriter::new(&mut [0u8; 11], header()).is_err());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            if let Ok(p) = SctpPacket::parse(&bytes) {
                for c in p.chunks() {
                    let c = c.unwrap();
                    if let Ok(v) = c.decode() {
                        let mut out = vec![0u8; v.padded_len()];
                        prop_assert_eq!(v.write(&mut out).unwrap(), v.padded_len());
                        let again = ChunkView::decode(out[0], out[1], &out[4..4 + v.value_len()]).unwrap();
                        prop_assert_eq!(again, v);
                        let _ = v.reconfig_params().count();
                        let _ = v.causes().count();
                    }
                }
            }
        }

        #[test]
        fn data_and_sack_round_trip(
            tsn in any::<u32>(), sid in any::<u16>(), ssn in any::<u16>(), ppid in any::<u32>(),
            flags in 0u8..16, payload in proptest::collection::vec(any::<u8>(), 1..200),
            cum in any::<u32>(), rwnd in any::<u32>(),
            gaps in proptest::collection::vec((any::<u16>(), any::<u16>()), 0..20),
            dups in proptest::collection::vec(any::<u32>(), 0..20),
        ) {
            let mut buf = vec![0u8; 1024];
            let mut w = PacketWriter::new(&mut buf, header()).unwrap();
            w.data(&DataHeader { flags, tsn, stream_id: sid, ssn, ppid }, &payload).unwrap();
            w.sack(cum, rwnd, &gaps, &dups).unwrap();
            let n = w.finish(false);
            let p = SctpPacket::parse_checked(&buf[..n], false).unwrap();
            let v: Vec<_> = p.chunks().map(|c| c.unwrap().decode().unwrap()).collect();
            let ChunkView::Data(d) = v[0] else { panic!() };
            prop_assert_eq!((d.flags, d.tsn, d.stream_id, d.ssn, d.ppid), (flags, tsn, sid, ssn, ppid));
            prop_assert_eq!(d.payload, &payload[..]);
            let ChunkView::Sack(s) = v[1] else { panic!() };
            prop_assert_eq!((s.cumulative_tsn_ack, s.a_rwnd), (cum, rwnd));
            prop_assert_eq!(s.gap_blocks().collect::<Vec<_>>(), gaps);
            prop_assert_eq!(s.dup_tsns().collect::<Vec<_>>(), dups);
            // Whole-packet round trip.
            let mut again = vec![0u8; 1024];
            let mut w2 = PacketWriter::new(&mut again, p.header()).unwrap();
            for c in &v { w2.push(c).unwrap(); }
            let n2 = w2.finish(false);
            prop_assert_eq!(&again[..n2], &buf[..n]);
        }
    }
}

#[test]
fn i_forward_tsn_by_hand() {
    #[rustfmt::skip]
    let value = [
        0x00, 0x00, 0x03, 0xE8, // new cumulative TSN 1000
        0x00, 0x02, 0x00, 0x01, 0x00, 0x00, 0x00, 0x07, // stream 2, U, MID 7
        0x00, 0x05, 0x00, 0x00, 0x00, 0x00, 0x01, 0x00, // stream 5, ordered, MID 256
    ];
    let ChunkView::IForwardTsn(f) =
        ChunkView::decode(chunk_type::I_FORWARD_TSN, 0, &value).unwrap()
    else {
        panic!("not I-FORWARD-TSN")
    };
    assert_eq!(f.new_cumulative_tsn, 1000);
    assert_eq!(
        f.entries().collect::<Vec<_>>(),
        [(2, true, 7), (5, false, 256)]
    );
    let mut buf = [0u8; 64];
    let mut w = PacketWriter::new(&mut buf, header()).unwrap();
    w.i_forward_tsn(1000, &[(2, true, 7), (5, false, 256)])
        .unwrap();
    let n = w.finish(false);
    assert_eq!(&buf[16..n], &value);
    assert!(ChunkView::decode(chunk_type::I_FORWARD_TSN, 0, &value[..10]).is_err());
}
