//! DTLS record layer and handshake framing: hand-built vectors checked field
//! by field, round trips, bad input, the anti-replay window, reassembly in
//! any order (proptest), and the crypto pieces DTLS adds (PRF vectors
//! computed with OpenSSL's `openssl kdf ... TLS1-PRF`, ECDHE, signatures,
//! fingerprints).

use proptest::prelude::*;
use zerortc::crypto::{
    Certificate, DigestAlgorithm, EcdheGroup, EcdheKeyPair, Fingerprint, FingerprintAlgorithm,
    SignatureScheme, peer_public_key, tls12_prf,
};
use zerortc::dtls::{
    CipherSuite, ContentType, DTLS_1_2, DtlsError, FragmentDisposition, HandshakeFragment,
    HandshakeHeader, HandshakeType, REASSEMBLY_WINDOW, Reassembler, Record, RecordHeader,
    RecordKeys, Records, ReplayWindow, fragments,
};

/// A handshake record: ServerHelloDone, epoch 0, sequence 0x010203040506.
const SHD_RECORD: [u8; 25] = [
    22, 0xfe, 0xfd, // handshake, DTLS 1.2
    0x00, 0x00, // epoch 0
    0x01, 0x02, 0x03, 0x04, 0x05, 0x06, // sequence number
    0x00, 0x0c, // length 12
    14, 0, 0, 0, // server_hello_done, length 0
    0x00, 0x05, // message_seq 5
    0, 0, 0, 0, 0, 0, // offset 0, fragment length 0
];

#[test]
fn record_header_fields() {
    let (record, rest) = Record::parse(&SHD_RECORD).unwrap();
    assert!(rest.is_empty());
    let h = record.header;
    assert_eq!(h.content_type, ContentType::Handshake);
    assert_eq!(h.version, DTLS_1_2);
    assert_eq!(h.epoch, 0);
    assert_eq!(h.sequence_number, 0x0102_0304_0506);
    assert_eq!(h.length, 12);
    assert_eq!(
        h.epoch_and_sequence(),
        [0, 0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06]
    );
    let (fragment, rest) = HandshakeFragment::parse(record.fragment).unwrap();
    assert!(rest.is_empty());
    assert_eq!(fragment.header.msg_type, HandshakeType::ServerHelloDone);
    assert_eq!(fragment.header.message_seq, 5);
    assert_eq!(fragment.header.length, 0);
    // Round trip.
    let mut out = [0u8; 25];
    assert_eq!(Record::write(h, record.fragment, &mut out).unwrap(), 25);
    assert_eq!(out, SHD_RECORD);
    let mut frag_out = [0u8; 12];
    fragment.write(&mut frag_out).unwrap();
    assert_eq!(frag_out, SHD_RECORD[13..]);
}

#[test]
fn several_records_per_datagram() {
    let mut datagram = SHD_RECORD.to_vec();
    // A ChangeCipherSpec record and an epoch-1 application data record.
    datagram.extend_from_slice(&[20, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 7, 0, 1, 1]);
    datagram.extend_from_slice(&[23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0xaa, 0xbb]);
    let records: Vec<_> = Records::new(&datagram).map(Result::unwrap).collect();
    assert_eq!(records.len(), 3);
    assert_eq!(
        records[1].header.content_type,
        ContentType::ChangeCipherSpec
    );
    assert_eq!(records[1].header.sequence_number, 7);
    assert_eq!(records[1].fragment, [1]);
    assert_eq!(records[2].header.epoch, 1);
    assert_eq!(records[2].fragment, [0xaa, 0xbb]);
}

#[test]
fn bad_records_are_refused() {
    // Truncated header and truncated fragment.
    for cut in [0, 5, 12, 13, 24] {
        assert!(matches!(
            Record::parse(&SHD_RECORD[..cut]),
            Err(DtlsError::Truncated(_))
        ));
    }
    // A length that lies (longer than the datagram).
    let mut lying = SHD_RECORD;
    lying[12] = 13;
    assert_eq!(Record::parse(&lying), Err(DtlsError::Truncated("record")));
    // Wrong versions: TLS 1.2 and DTLS 1.3's unused 0xFEFC.
    for version in [[0x03, 0x03], [0xfe, 0xfc]] {
        let mut bad = SHD_RECORD;
        bad[1..3].copy_from_slice(&version);
        assert_eq!(
            Record::parse(&bad),
            Err(DtlsError::UnsupportedVersion(u16::from_be_bytes(version)))
        );
    }
    let mut bad = SHD_RECORD;
    bad[0] = 24;
    assert_eq!(Record::parse(&bad), Err(DtlsError::UnknownContentType(24)));
    // Over 2^14 + 2048 bytes.
    let mut big = vec![23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 0, 0x48, 0x01];
    big.resize(13 + 0x4801, 0);
    assert_eq!(Record::parse(&big), Err(DtlsError::BadLength("record")));
    // The iterator yields the error once, then stops.
    let mut datagram = SHD_RECORD.to_vec();
    datagram.extend_from_slice(&[22, 0xfe]);
    let items: Vec<_> = Records::new(&datagram).collect();
    assert_eq!(items.len(), 2);
    assert!(items[1].is_err());
}

#[test]
fn bad_handshake_fragments_are_refused() {
    let body = &SHD_RECORD[13..];
    for cut in 0..12 {
        assert!(matches!(
            HandshakeFragment::parse(&body[..cut]),
            Err(DtlsError::Truncated(_))
        ));
    }
    // offset + fragment length beyond the message length.
    let mut bad = [1, 0, 0, 10, 0, 0, 0, 0, 8, 0, 0, 4, 0, 0, 0, 0];
    assert_eq!(HandshakeFragment::parse(&bad), Err(DtlsError::BadFragment));
    bad[8] = 6; // 6 + 4 = 10: fits.
    assert!(HandshakeFragment::parse(&bad).is_ok());
    // Unknown handshake type 99.
    let mut unknown = bad;
    unknown[0] = 99;
    assert!(matches!(
        HandshakeFragment::parse(&unknown),
        Err(DtlsError::UnexpectedMessage(_))
    ));
    // Too large a message.
    let huge = [11, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(
        HandshakeFragment::parse(&huge),
        Err(DtlsError::MessageTooLarge(0x20000))
    );
}

#[test]
fn replay_window_accepts_new_refuses_seen_and_old() {
    let mut w = ReplayWindow::new();
    assert!(w.check(0));
    w.mark(0);
    assert!(!w.check(0));
    w.mark(100);
    assert!(w.check(99));
    assert!(w.check(37)); // 100 - 63: the window's oldest slot.
    assert!(!w.check(36)); // too old
    w.mark(99);
    assert!(!w.check(99));
    assert!(w.check(98));
    // A jump beyond the window forgets the map.
    w.mark(1000);
    assert!(w.check(999));
    assert!(!w.check(100));
    assert!(!w.check(1000));
}

#[test]
fn fragments_split_to_a_size_and_cover_the_body() {
    let body: Vec<u8> = (0..=255).collect();
    let parts: Vec<_> = fragments(HandshakeType::Certificate, 3, &body, 100).collect();
    assert_eq!(parts.len(), 3);
    assert_eq!(
        parts
            .iter()
            .map(|f| (f.header.fragment_offset, f.header.fragment_length))
            .collect::<Vec<_>>(),
        [(0, 100), (100, 100), (200, 56)]
    );
    assert!(
        parts
            .iter()
            .all(|f| f.header.length == 256 && f.header.message_seq == 3)
    );
    // An empty body still makes one fragment.
    assert_eq!(
        fragments(HandshakeType::ServerHelloDone, 0, &[], 100).count(),
        1
    );
}

#[test]
fn reassembler_handles_overlaps_duplicates_and_conflicts() {
    let body: Vec<u8> = (0..200u8).collect();
    let frag = |seq: u16, offset: usize, len: usize| HandshakeFragment {
        header: HandshakeHeader {
            msg_type: HandshakeType::Certificate,
            length: 200,
            message_seq: seq,
            fragment_offset: offset as u32,
            fragment_length: len as u32,
        },
        body: &body[offset..offset + len],
    };
    let mut r = Reassembler::new();
    // Message 1 complete before message 0: held back.
    r.insert(&frag(1, 0, 200)).unwrap();
    assert_eq!(r.pop(), None);
    r.insert(&frag(0, 50, 100)).unwrap();
    r.insert(&frag(0, 120, 80)).unwrap(); // overlaps
    r.insert(&frag(0, 50, 100)).unwrap(); // duplicate
    assert_eq!(r.pop(), None); // bytes 0..50 missing
    r.insert(&frag(0, 0, 60)).unwrap();
    let m0 = r.pop().unwrap();
    assert_eq!((m0.message_seq, m0.body.as_slice()), (0, body.as_slice()));
    let m1 = r.pop().unwrap();
    assert_eq!(m1.message_seq, 1);
    assert_eq!(r.pop(), None);
    assert_eq!(r.insert(&frag(1, 0, 10)).unwrap(), FragmentDisposition::Old);
    assert_eq!(
        r.insert(&frag(2 + REASSEMBLY_WINDOW, 0, 10)).unwrap(),
        FragmentDisposition::TooFarAhead
    );
    // A fragment disagreeing about the length.
    r.insert(&frag(2, 0, 10)).unwrap();
    let mut other = frag(2, 10, 10);
    other.header.length = 300;
    assert_eq!(r.insert(&other), Err(DtlsError::BadFragment));
}

proptest! {
    #[test]
    fn record_round_trip(
        ct in prop::sample::select(vec![20u8, 21, 22, 23]),
        epoch: u16,
        seq in 0u64..(1 << 48),
        fragment in prop::collection::vec(any::<u8>(), 0..300),
    ) {
        let header = RecordHeader {
            content_type: ContentType::from_u8(ct).unwrap(),
            version: DTLS_1_2,
            epoch,
            sequence_number: seq,
            length: 0,
        };
        let mut out = vec![0u8; 13 + fragment.len()];
        Record::write(header, &fragment, &mut out).unwrap();
        let (parsed, rest) = Record::parse(&out).unwrap();
        prop_assert!(rest.is_empty());
        prop_assert_eq!(parsed.header.epoch, epoch);
        prop_assert_eq!(parsed.header.sequence_number, seq);
        prop_assert_eq!(parsed.fragment, fragment.as_slice());
    }

    #[test]
    fn parsers_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        for record in Records::new(&bytes).flatten() {
            let _ = HandshakeFragment::parse(record.fragment);
        }
        let _ = zerortc::dtls::ClientHello::parse(&bytes);
        let _ = zerortc::dtls::ServerHello::parse(&bytes);
        let _ = zerortc::dtls::ServerKeyExchange::parse(&bytes);
        let _ = zerortc::dtls::CertificateList::parse(&bytes).map(|l| l.count());
        let _ = zerortc::dtls::CertificateRequest::parse(&bytes);
    }

    #[test]
    fn reassembly_in_any_order_with_duplicates(
        body in prop::collection::vec(any::<u8>(), 1..2000),
        max in 1usize..400,
        order in prop::collection::vec(any::<u32>(), 0..64),
        dups in prop::collection::vec(any::<u32>(), 0..8),
    ) {
        let mut parts: Vec<_> = fragments(HandshakeType::ClientHello, 0, &body, max).collect();
        for d in &dups {
            let i = *d as usize % parts.len();
            parts.push(parts[i]);
        }
        for (k, o) in order.iter().enumerate() {
            let i = k % parts.len();
            let j = *o as usize % parts.len();
            parts.swap(i, j);
        }
        let mut r = Reassembler::new();
        let mut got = None;
        for p in &parts {
            r.insert(p).unwrap();
            if let Some(m) = r.pop() {
                got = Some(m);
            }
        }
        let message = got.unwrap();
        prop_assert_eq!(message.body, body);
        prop_assert_eq!(r.pop(), None);
    }
}

#[test]
fn tls12_prf_matches_openssl() {
    // openssl kdf -keylen 100 -kdfopt digest:SHA256 \
    //   -kdfopt hexsecret:9bbe436ba940f017b176528490a71db3 \
    //   -kdfopt hexseed:<"test label" a0ba9f936cda311827a6f796ffd5198c> TLS1-PRF
    let secret = hex::decode("9bbe436ba940f017b176528490a71db3").unwrap();
    let seed = hex::decode("a0ba9f936cda311827a6f796ffd5198c").unwrap();
    let mut out = [0u8; 100];
    tls12_prf(
        DigestAlgorithm::Sha256,
        &secret,
        b"test label",
        &[&seed],
        &mut out,
    )
    .unwrap();
    assert_eq!(
        hex::encode(out),
        "41dac7ead28306d626a93bf5337148c9c6acf7e5dbabc7e7a82a52afd50601c8a488efdb8d02096df73c9a70b8e9bfa1fd47afa36394045c09129de4256da70d4ca0291fa76b48042ae966ecc062df4702099c263f895d7425e87f7f8c7b0e7d8ce910b1"
    );
    let secret = hex::decode("b80b733d6ceefcdc71566ea48e5567df").unwrap();
    let seed = hex::decode("cd665cf6a8447dd6ff8b27555edb7465").unwrap();
    let mut out = [0u8; 148];
    // The seed may come in several parts.
    tls12_prf(
        DigestAlgorithm::Sha384,
        &secret,
        b"test label",
        &[&seed[..5], &seed[5..]],
        &mut out,
    )
    .unwrap();
    assert_eq!(
        hex::encode(out),
        "7b0c18e9ced410ed1804f2cfa34a336a1c14dffb4900bb5fd7942107e81c83cde9ca0faa60be9fe34f82b1233c9146a0e534cb400fed2700884f9dc236f80edd8bfa961144c9e8d792eca722a7b32fc3d416d473ebc2c5fd4abfdad05d9184259b5bf8cd4d90fa0d31e2dec479e4f1a26066f2eea9a69236a3e52655c9e9aee691c8f3a26854308d5eaa3be85e0990703d73e56f"
    );
}

#[test]
fn ecdhe_agrees_in_both_groups_and_refuses_bad_points() {
    for (group, len) in [(EcdheGroup::X25519, 32), (EcdheGroup::Secp256r1, 65)] {
        let a = EcdheKeyPair::generate(group).unwrap();
        let b = EcdheKeyPair::generate(group).unwrap();
        assert_eq!(a.public_key().len(), len);
        let (pa, pb) = (a.public_key().to_vec(), b.public_key().to_vec());
        let sa = a.agree(&pb).unwrap();
        let sb = b.agree(&pa).unwrap();
        assert_eq!(sa, sb);
        assert_eq!(sa.len(), 32);
        assert_eq!(EcdheGroup::from_tls_id(group.tls_id()), Some(group));
    }
    let p256 = EcdheKeyPair::generate(EcdheGroup::Secp256r1).unwrap();
    assert!(p256.agree(&[4; 65]).is_err());
}

/// An RNG that hands out fixed bytes (a private key from a test vector).
struct FixedBytes(Vec<u8>);

impl rand_core::RngCore for FixedBytes {
    fn next_u32(&mut self) -> u32 {
        let mut b = [0u8; 4];
        self.fill_bytes(&mut b);
        u32::from_le_bytes(b)
    }
    fn next_u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        self.fill_bytes(&mut b);
        u64::from_le_bytes(b)
    }
    fn fill_bytes(&mut self, dst: &mut [u8]) {
        let n = dst.len();
        dst.copy_from_slice(&self.0[..n]);
        self.0.drain(..n);
    }
}

fn x25519_from(private_hex: &str) -> EcdheKeyPair {
    let mut rng = FixedBytes(hex::decode(private_hex).unwrap());
    EcdheKeyPair::generate_with_rng(EcdheGroup::X25519, &mut rng).unwrap()
}

/// RFC 7748 §6.1: Alice's and Bob's key pairs and their shared secret;
/// small-order peer keys (all-zero output) and wrong lengths are refused.
#[test]
fn x25519_rfc7748_vector_and_small_order_points() {
    let alice = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    let bob = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    let alice_public = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    let bob_public = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    let shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
    let a = x25519_from(alice);
    let b = x25519_from(bob);
    assert_eq!(hex::encode(a.public_key()), alice_public);
    assert_eq!(hex::encode(b.public_key()), bob_public);
    let bob_key = hex::decode(bob_public).unwrap();
    assert_eq!(hex::encode(a.agree(&bob_key).unwrap()), shared);
    let alice_key = hex::decode(alice_public).unwrap();
    assert_eq!(hex::encode(b.agree(&alice_key).unwrap()), shared);
    // u = 0 and u = 1 have small order: the output would be all zero.
    let mut one = [0u8; 32];
    one[0] = 1;
    for peer in [[0u8; 32], one] {
        assert!(x25519_from(alice).agree(&peer).is_err(), "{peer:?}");
    }
    assert!(x25519_from(alice).agree(&[9u8; 31]).is_err());
    assert!(x25519_from(alice).agree(&[9u8; 33]).is_err());
}

#[test]
fn certificates_sign_verify_and_fingerprint() {
    let cert = Certificate::generate_self_signed().unwrap();
    let key = peer_public_key(cert.der()).unwrap();
    let sig = cert.signing_key().sign(&[b"hello ", b"world"]).unwrap();
    key.verify(SignatureScheme::EcdsaP256Sha256, &[b"hello world"], &sig)
        .unwrap();
    assert!(
        key.verify(SignatureScheme::EcdsaP256Sha256, &[b"hello there"], &sig)
            .is_err()
    );
    assert!(
        key.verify(SignatureScheme::RsaPkcs1Sha256, &[b"hello world"], &sig)
            .is_err()
    );
    for alg in [
        FingerprintAlgorithm::Sha1,
        FingerprintAlgorithm::Sha256,
        FingerprintAlgorithm::Sha384,
        FingerprintAlgorithm::Sha512,
    ] {
        let fp = cert.fingerprint(alg);
        let text = fp.to_string();
        assert!(text.starts_with(alg.sdp_name()));
        assert_eq!(Fingerprint::parse_sdp(&text), Some(fp.clone()));
        assert!(fp.matches(cert.der()));
    }
    assert_eq!(Fingerprint::parse_sdp("sha-256 AB:CD"), None);
    assert_eq!(Fingerprint::parse_sdp("md5 AB"), None);
    assert!(peer_public_key(&cert.der()[1..]).is_err());
}

#[test]
fn record_protection_round_trip_and_tamper() {
    let master = [9u8; 48];
    let (cr, sr) = ([1u8; 32], [2u8; 32]);
    for suite in CipherSuite::ALL {
        let client = RecordKeys::derive(suite, &master, &cr, &sr, true).unwrap();
        let server = RecordKeys::derive(suite, &master, &cr, &sr, false).unwrap();
        let header = RecordHeader {
            content_type: ContentType::ApplicationData,
            version: DTLS_1_2,
            epoch: 1,
            sequence_number: 42,
            length: 0,
        };
        let mut out = [0u8; 128];
        let n = client.write.seal(header, b"secret", &mut out).unwrap();
        assert_eq!(n, 13 + 8 + 6 + 16);
        // The explicit nonce is epoch and sequence number.
        assert_eq!(out[13..21], [0, 1, 0, 0, 0, 0, 0, 42]);
        let (record, _) = Record::parse(&out[..n]).unwrap();
        let h = record.header;
        let mut frag = record.fragment.to_vec();
        assert_eq!(server.read.open_in_place(&h, &mut frag).unwrap(), b"secret");
        // Changing the sequence number (in the AAD) breaks the tag.
        let mut frag = record.fragment.to_vec();
        let moved = RecordHeader {
            sequence_number: 43,
            ..h
        };
        assert_eq!(
            server.read.open_in_place(&moved, &mut frag),
            Err(DtlsError::DecryptFailed)
        );
        let mut short = [0u8; 20];
        assert_eq!(
            server.read.open_in_place(&h, &mut short),
            Err(DtlsError::BadLength("protected record"))
        );
    }
}
