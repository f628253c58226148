//! What browsers send, held against the DTLS layer.
//!
//! `fixtures/chromium156-dtls-datagrams.bin` holds the DTLS datagrams (UDP
//! payloads whose first byte is 20..=63, RFC 7983) of
//! `fixtures/chromium156-dtls.pcapng`: a real data-channel call between two
//! headless Chromium 156 peers, which negotiate DTLS 1.3. Its ClientHello
//! offers DTLS 1.3 and 1.2 and an X25519MLKEM768 key share, so it is 1413
//! bytes split over two records in two datagrams (1200 + 263 bytes).
//! `-nopqc` is the same call with `--disable-features=WebRtcPqcForDtls`: a
//! one-record, 191-byte ClientHello. Both were made with
//! `interop/pages/capture-dtls.sh` (see `fixtures/README.md`). Each record is
//! `direction (0 = DTLS client, 1 = server) | u16 length | payload`.
//!
//! Firefox is not installed here: its hello is built by hand from what
//! `shared/INTEROP.md` records (ffdhe groups, ALPN, delegated_credentials,
//! record_size_limit, use_srtp 0007 0008 0001 0002, 1408 + 103 bytes).

use std::sync::Arc;
use std::time::Instant;

use zerortc::crypto::Certificate;
use zerortc::dtls::{
    ClientHello, ContentType, DTLS_1_0, DTLS_1_2, DtlsConfig, DtlsConnection, DtlsError,
    HandshakeFragment, HandshakeMessage, HandshakeType, HelloVerifyRequest, Reassembler, Records,
    ServerHello, ServerKeyExchange, UseSrtp, ext, parse_supported_versions, parse_u16_list16,
};

const PQC: &[u8] = include_bytes!("fixtures/chromium156-dtls-datagrams.bin");
const NO_PQC: &[u8] = include_bytes!("fixtures/chromium156-dtls-nopqc-datagrams.bin");

fn datagrams(blob: &'static [u8]) -> Vec<(u8, &'static [u8])> {
    let mut out = Vec::new();
    let mut rest = blob;
    while !rest.is_empty() {
        let (head, tail) = rest.split_at(3);
        let len = usize::from(u16::from_be_bytes([head[1], head[2]]));
        let (payload, tail) = tail.split_at(len);
        out.push((head[0], payload));
        rest = tail;
    }
    out
}

/// The handshake fragments of the plaintext records of a datagram.
fn fragments(datagram: &[u8]) -> Vec<HandshakeFragment<'_>> {
    let mut out = Vec::new();
    for record in Records::new(datagram) {
        let Ok(record) = record else { break };
        if record.header.content_type == ContentType::Handshake && record.header.epoch == 0 {
            let mut rest = record.fragment;
            while !rest.is_empty() {
                let (fragment, tail) = HandshakeFragment::parse(rest).unwrap();
                out.push(fragment);
                rest = tail;
            }
        }
    }
    out
}

fn reassemble(parts: &[&[u8]]) -> HandshakeMessage {
    let mut reassembler = Reassembler::new();
    for part in parts {
        for fragment in fragments(part) {
            reassembler.insert(&fragment).unwrap();
        }
    }
    reassembler.pop().expect("complete message")
}

const CHROMIUM_SUITES: [u16; 14] = [
    0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc009, 0xc013, 0xc00a, 0xc014, 0x009c,
    0x002f, 0x0035,
];

#[test]
fn capture_records_parse_and_dtls13_ciphertext_is_refused_cleanly() {
    let all = datagrams(PQC);
    assert_eq!(all.len(), 23);
    assert_eq!((all[0].1.len(), all[1].1.len()), (1200, 263));
    let mut plaintext_records = 0;
    let mut unified_headers = 0;
    for (_, datagram) in &all {
        for record in Records::new(datagram) {
            match record {
                Ok(r) => {
                    plaintext_records += 1;
                    assert_eq!(r.header.epoch, 0);
                    assert_eq!(r.header.content_type, ContentType::Handshake);
                }
                // DTLS 1.3 protected records use the unified header
                // (RFC 9147 §4: first bits 001): not a DTLS 1.2 content type.
                Err(DtlsError::UnknownContentType(b)) => {
                    assert_eq!(b & 0xe0, 0x20);
                    unified_headers += 1;
                }
                Err(e) => panic!("{e}"),
            }
        }
    }
    // Two ClientHello records and the server's plaintext ServerHello (a
    // datagram of its own); every other datagram starts with DTLS 1.3
    // ciphertext, and the iterator stops at the first unparsable record.
    assert_eq!(plaintext_records, 3);
    assert_eq!(unified_headers, 20);
}

#[test]
fn chromium_split_client_hello_reassembles_in_any_order() {
    let all = datagrams(PQC);
    let (first, second) = (all[0].1, all[1].1);
    let f1 = fragments(first);
    let f2 = fragments(second);
    assert_eq!(f1.len(), 1);
    assert_eq!(f2.len(), 1);
    let (h1, h2) = (f1[0].header, f2[0].header);
    assert_eq!(h1.msg_type, HandshakeType::ClientHello);
    assert_eq!((h1.length, h1.message_seq), (1413, 0));
    assert_eq!((h1.fragment_offset, h1.fragment_length), (0, 1175));
    assert_eq!((h2.fragment_offset, h2.fragment_length), (1175, 238));
    // The record version of a DTLS 1.3 client's first flight is DTLS 1.0.
    let record = Records::new(first).next().unwrap().unwrap();
    assert_eq!(record.header.version, DTLS_1_0);

    let in_order = reassemble(&[first, second]);
    let reversed = reassemble(&[second, first]);
    let duplicated = reassemble(&[second, second, first, second]);
    assert_eq!(in_order, reversed);
    assert_eq!(in_order, duplicated);
    assert_eq!(in_order.body.len(), 1413);

    let hello = ClientHello::parse(&in_order.body).unwrap();
    assert_eq!(hello.client_version, DTLS_1_2);
    assert!(hello.cookie.is_empty());
    assert_eq!(hello.cipher_suites().collect::<Vec<_>>(), CHROMIUM_SUITES);
    let exts = hello.extensions();
    let versions = parse_supported_versions(exts.find(ext::SUPPORTED_VERSIONS).unwrap().unwrap())
        .unwrap()
        .collect::<Vec<_>>();
    assert_eq!(versions, [0xfefc, 0xfefd]);
    let groups = parse_u16_list16(exts.find(ext::SUPPORTED_GROUPS).unwrap().unwrap(), "g")
        .unwrap()
        .collect::<Vec<_>>();
    assert_eq!(groups, [0x11ec, 29, 23, 24]);
    let srtp = UseSrtp::parse(exts.find(ext::USE_SRTP).unwrap().unwrap()).unwrap();
    assert_eq!(srtp.profiles.clone().collect::<Vec<_>>(), [1, 8, 7]);
    assert!(srtp.mki.is_empty());
    assert_eq!(
        exts.find(ext::EXTENDED_MASTER_SECRET).unwrap(),
        Some(&[][..])
    );
    assert_eq!(
        exts.find(ext::RENEGOTIATION_INFO).unwrap(),
        Some(&[0u8][..])
    );
    let key_share = exts.find(ext::KEY_SHARE).unwrap().unwrap();
    assert_eq!(key_share.len(), 1258);
    // X25519MLKEM768 (0x11EC) with its 1216-byte share comes first.
    assert_eq!(&key_share[2..6], &[0x11, 0xec, 0x04, 0xc0]);
    // Round trip: the parsed hello writes back byte for byte.
    let mut body = Vec::new();
    hello.write(&mut body);
    assert_eq!(body, in_order.body);
}

#[test]
fn chromium_one_record_client_hello_parses() {
    let all = datagrams(NO_PQC);
    let first = all[0].1;
    assert_eq!(first.len(), 216);
    let message = reassemble(&[first]);
    assert_eq!(message.body.len(), 191);
    let hello = ClientHello::parse(&message.body).unwrap();
    assert_eq!(hello.cipher_suites().collect::<Vec<_>>(), CHROMIUM_SUITES);
    let groups = parse_u16_list16(
        hello
            .extensions()
            .find(ext::SUPPORTED_GROUPS)
            .unwrap()
            .unwrap(),
        "g",
    )
    .unwrap()
    .collect::<Vec<_>>();
    assert_eq!(groups, [29, 23, 24]);
}

fn server(cookie_exchange: bool) -> DtlsConnection {
    let cert = Arc::new(Certificate::generate_self_signed().unwrap());
    let mut config = DtlsConfig::new(cert, None);
    config.cookie_exchange = cookie_exchange;
    DtlsConnection::new_server(config).unwrap()
}

/// Every handshake message of the server's answer, reassembled.
fn answer(conn: &mut DtlsConnection) -> Vec<HandshakeMessage> {
    let mut reassembler = Reassembler::new();
    let mut out = Vec::new();
    let mut first_seq = None;
    while let Some(datagram) = conn.poll_write() {
        assert!(datagram.len() <= 1200);
        for record in Records::new(&datagram) {
            assert_eq!(record.unwrap().header.version, DTLS_1_2);
        }
        for fragment in fragments(&datagram) {
            if first_seq.is_none() {
                first_seq = Some(fragment.header.message_seq);
                reassembler.set_next_seq(fragment.header.message_seq);
            }
            reassembler.insert(&fragment).unwrap();
        }
        while let Some(m) = reassembler.pop() {
            out.push(m);
        }
    }
    out
}

/// Answers one browser ClientHello (given as datagrams) with DTLS 1.2 and
/// checks the ServerHello; returns the chosen SRTP profile id.
fn answers_with_dtls12(hello_datagrams: &[&[u8]]) -> u16 {
    let now = Instant::now();
    // With the cookie exchange: a HelloVerifyRequest, nothing kept.
    let mut with_cookie = server(true);
    for d in hello_datagrams {
        with_cookie.handle_read(now, d).unwrap();
    }
    let hvr = answer(&mut with_cookie);
    assert_eq!(hvr.len(), 1);
    assert_eq!(hvr[0].msg_type, HandshakeType::HelloVerifyRequest);
    assert_eq!(hvr[0].message_seq, 0);
    assert_eq!(
        HelloVerifyRequest::parse(&hvr[0].body)
            .unwrap()
            .cookie
            .len(),
        32
    );

    // Without: the full server flight, in DTLS 1.2.
    let mut conn = server(false);
    for d in hello_datagrams {
        conn.handle_read(now, d).unwrap();
    }
    let flight = answer(&mut conn);
    let types: Vec<_> = flight.iter().map(|m| m.msg_type).collect();
    assert_eq!(
        types,
        [
            HandshakeType::ServerHello,
            HandshakeType::Certificate,
            HandshakeType::ServerKeyExchange,
            HandshakeType::CertificateRequest,
            HandshakeType::ServerHelloDone
        ]
    );
    let sh = ServerHello::parse(&flight[0].body).unwrap();
    assert_eq!(sh.server_version, DTLS_1_2);
    assert_eq!(sh.cipher_suite, 0xc02b);
    // No TLS 1.3 downgrade sentinel: we do not implement (D)TLS 1.3.
    assert_ne!(&sh.random[24..], b"DOWNGRD\x01");
    assert_ne!(&sh.random[24..], b"DOWNGRD\x00");
    let exts = sh.extensions();
    assert_eq!(
        exts.find(ext::EXTENDED_MASTER_SECRET).unwrap(),
        Some(&[][..])
    );
    assert_eq!(
        exts.find(ext::RENEGOTIATION_INFO).unwrap(),
        Some(&[0u8][..])
    );
    assert_eq!(exts.find(ext::SUPPORTED_VERSIONS).unwrap(), None);
    assert_eq!(exts.find(ext::KEY_SHARE).unwrap(), None);
    let ske = ServerKeyExchange::parse(&flight[2].body).unwrap();
    assert_eq!(ske.group, 29, "X25519 is our first choice and offered");
    let srtp = UseSrtp::parse(exts.find(ext::USE_SRTP).unwrap().unwrap()).unwrap();
    let chosen: Vec<u16> = srtp.profiles.collect();
    assert_eq!(chosen.len(), 1);
    chosen[0]
}

#[test]
fn zerortc_server_answers_chromium_split_hello_with_dtls12() {
    let all = datagrams(PQC);
    // Our order: AEAD_AES_128_GCM first, offered by Chromium.
    assert_eq!(answers_with_dtls12(&[all[0].1, all[1].1]), 0x0007);
    assert_eq!(answers_with_dtls12(&[all[1].1, all[0].1]), 0x0007);
}

#[test]
fn zerortc_server_answers_chromium_one_record_hello_with_dtls12() {
    let all = datagrams(NO_PQC);
    assert_eq!(answers_with_dtls12(&[all[0].1]), 0x0007);
}

/// A Firefox-like ClientHello split over 1408 + 103-byte datagrams.
fn firefox_hello() -> (Vec<u8>, Vec<u8>) {
    fn put_ext(out: &mut Vec<u8>, ty: u16, data: &[u8]) {
        out.extend_from_slice(&ty.to_be_bytes());
        out.extend_from_slice(&(data.len() as u16).to_be_bytes());
        out.extend_from_slice(data);
    }
    fn u16s(prefix_len: usize, values: &[u16]) -> Vec<u8> {
        let mut out = Vec::new();
        let n = values.len() * 2;
        if prefix_len == 1 {
            out.push(n as u8);
        } else {
            out.extend_from_slice(&(n as u16).to_be_bytes());
        }
        for v in values {
            out.extend_from_slice(&v.to_be_bytes());
        }
        out
    }
    let mut exts = Vec::new();
    put_ext(&mut exts, ext::EXTENDED_MASTER_SECRET, &[]);
    put_ext(&mut exts, ext::RENEGOTIATION_INFO, &[0]);
    // x25519, secp256r1, secp384r1, secp521r1, ffdhe2048, ffdhe3072 + MLKEM.
    put_ext(
        &mut exts,
        ext::SUPPORTED_GROUPS,
        &u16s(2, &[0x11ec, 29, 23, 24, 25, 0x0100, 0x0101]),
    );
    put_ext(&mut exts, ext::EC_POINT_FORMATS, &[1, 0]);
    // ALPN: "webrtc", "c-webrtc".
    let mut alpn = vec![0, 17, 6];
    alpn.extend_from_slice(b"webrtc");
    alpn.push(8);
    alpn.extend_from_slice(b"c-webrtc");
    put_ext(&mut exts, ext::ALPN, &alpn);
    put_ext(
        &mut exts,
        ext::DELEGATED_CREDENTIALS,
        &u16s(2, &[0x0403, 0x0503]),
    );
    // key_share: X25519MLKEM768 (1216 bytes), x25519 (32).
    let mut shares = Vec::new();
    for (group, len) in [(0x11ecu16, 1216usize), (29, 32)] {
        shares.extend_from_slice(&group.to_be_bytes());
        shares.extend_from_slice(&(len as u16).to_be_bytes());
        shares.extend(std::iter::repeat_n(0x42, len));
    }
    let mut key_share = (shares.len() as u16).to_be_bytes().to_vec();
    key_share.extend_from_slice(&shares);
    put_ext(&mut exts, ext::KEY_SHARE, &key_share);
    put_ext(
        &mut exts,
        ext::SUPPORTED_VERSIONS,
        &u16s(1, &[0xfefc, 0xfefd]),
    );
    put_ext(
        &mut exts,
        ext::SIGNATURE_ALGORITHMS,
        &u16s(
            2,
            &[
                0x0403, 0x0503, 0x0603, 0x0804, 0x0805, 0x0806, 0x0401, 0x0501, 0x0601,
            ],
        ),
    );
    put_ext(&mut exts, ext::RECORD_SIZE_LIMIT, &0x4001u16.to_be_bytes());
    let mut srtp = u16s(2, &[0x0007, 0x0008, 0x0001, 0x0002]);
    srtp.push(0);
    put_ext(&mut exts, ext::USE_SRTP, &srtp);
    let suites: Vec<u8> = [
        0x1301u16, 0x1303, 0x1302, 0xc02b, 0xc02f, 0xcca9, 0xcca8, 0xc02c, 0xc030, 0xc00a, 0xc009,
        0xc013, 0xc014, 0x002f, 0x0035,
    ]
    .iter()
    .flat_map(|s| s.to_be_bytes())
    .collect();
    // Pad (extension 21) so the hello is 1408 + 103 bytes on the wire.
    let base = 2 + 32 + 1 + 1 + 2 + suites.len() + 2 + 2 + exts.len();
    let target = (1408 - 25) + (103 - 25);
    put_ext(&mut exts, 21, &vec![0; target - base - 4]);
    let random = [7u8; 32];
    let hello = ClientHello {
        client_version: DTLS_1_2,
        random,
        session_id: &[],
        cookie: &[],
        cipher_suites_raw: &suites,
        compression_methods: &[0],
        extensions_raw: &exts,
    };
    let mut body = Vec::new();
    hello.write(&mut body);
    assert_eq!(body.len(), target);
    let record = |offset: usize, chunk: &[u8], seq: u8| {
        let mut out = vec![22, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, seq];
        out.extend_from_slice(&((chunk.len() + 12) as u16).to_be_bytes());
        out.push(1);
        out.extend_from_slice(&(body.len() as u32).to_be_bytes()[1..]);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(&(offset as u32).to_be_bytes()[1..]);
        out.extend_from_slice(&(chunk.len() as u32).to_be_bytes()[1..]);
        out.extend_from_slice(chunk);
        out
    };
    let (a, b) = body.split_at(1408 - 25);
    let first = record(0, a, 0);
    let second = record(a.len(), b, 1);
    assert_eq!((first.len(), second.len()), (1408, 103));
    (first, second)
}

#[test]
fn firefox_like_hello_with_extras_is_answered_with_dtls12() {
    let (first, second) = firefox_hello();
    let message = reassemble(&[&second, &first]);
    let hello = ClientHello::parse(&message.body).unwrap();
    let exts = hello.extensions();
    for ty in [
        ext::ALPN,
        ext::DELEGATED_CREDENTIALS,
        ext::RECORD_SIZE_LIMIT,
        ext::KEY_SHARE,
    ] {
        assert!(exts.find(ty).unwrap().is_some(), "extension {ty}");
    }
    // Firefox's SRTP order is 0007 0008 0001 0002; ours picks 0007 too.
    assert_eq!(answers_with_dtls12(&[&first, &second]), 0x0007);
}

#[test]
fn hello_offering_only_dtls10_is_refused() {
    let (first, second) = firefox_hello();
    let mut message = reassemble(&[&first, &second]);
    message.body[0..2].copy_from_slice(&DTLS_1_0.to_be_bytes());
    let mut datagram = vec![22, 0xfe, 0xff, 0, 0, 0, 0, 0, 0, 0, 0];
    datagram.extend_from_slice(&((message.body.len() + 12) as u16).to_be_bytes());
    datagram.extend_from_slice(&message.transcript_bytes());
    let mut conn = server(false);
    assert_eq!(
        conn.handle_read(Instant::now(), &datagram),
        Err(DtlsError::UnsupportedVersion(DTLS_1_0))
    );
    assert!(conn.is_finished());
}
