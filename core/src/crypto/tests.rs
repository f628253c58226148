use super::*;

fn unhex(s: &str) -> Vec<u8> {
    let clean: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    hex::decode(clean).unwrap()
}

/// RFC 3711 Appendix B.2: the AES-CM keystream for session key
/// 2B7E1516…, IV F0F1…FD0000, 65282 blocks; the first three and last three
/// blocks are published.
#[test]
fn rfc3711_b2_aes_cm_keystream() {
    let key = unhex("2B7E151628AED2A6ABF7158809CF4F3C");
    let iv: [u8; 16] = unhex("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000")
        .try_into()
        .unwrap();
    let ctr = AesCtr::new(&key).unwrap();
    let mut stream = vec![0u8; 1_044_512];
    assert_eq!(stream.len(), 65_282 * 16);
    ctr.apply_keystream(&iv, &mut stream);
    let block = |i: usize| hex::encode_upper(&stream[16 * i..16 * i + 16]);
    assert_eq!(block(0), "E03EAD0935C95E80E166B16DD92B4EB4");
    assert_eq!(block(1), "D23513162B02D0F72A43A2FE4A5F97AB");
    assert_eq!(block(2), "41E95B3BB0A2E8DD477901E4FCA894C0");
    assert_eq!(block(0xFEFF), "EC8CDF7398607CB0F2D21675EA9EA1E4");
    assert_eq!(block(0xFF00), "362B7C3C6773516318A077D7FC5073AE");
    assert_eq!(block(0xFF01), "6A2CC3787889374FBEB4C81B17BA6C44");
}

#[test]
fn aes_ctr_is_its_own_inverse_and_restarts_at_each_iv() {
    let ctr = AesCtr::new(&[9u8; 32]).unwrap();
    let iv = [3u8; 16];
    let plain: Vec<u8> = (0..=255u8).collect();
    let mut data = plain.clone();
    ctr.apply_keystream(&iv, &mut data);
    assert_ne!(data, plain);
    let mut again = plain.clone();
    ctr.apply_keystream(&iv, &mut again);
    assert_eq!(
        again, data,
        "same IV, same keystream: no state carried between calls"
    );
    ctr.apply_keystream(&iv, &mut data);
    assert_eq!(data, plain);
}

#[test]
fn aes_ctr_rejects_other_key_lengths() {
    for len in [0, 15, 17, 24, 33] {
        assert_eq!(
            AesCtr::new(&vec![0; len]).unwrap_err(),
            CryptoError::BadKeyLength {
                expected: 16,
                got: len
            }
        );
    }
}

/// RFC 2202 §3, HMAC-SHA1 test cases 1 and 2.
#[test]
fn rfc2202_hmac_sha1() {
    let mac = HmacSha1::new(&[0x0b; 20]).unwrap();
    assert_eq!(
        hex::encode(mac.sign(&[b"Hi There"])),
        "b617318655057264e28bc0b6fb378c8ef146be00"
    );
    let mac = HmacSha1::new(b"Jefe").unwrap();
    let tag = mac.sign(&[b"what do ya want ", b"for nothing?"]);
    assert_eq!(hex::encode(tag), "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
    // The prepared state is reused: signing twice gives the same tag.
    assert_eq!(mac.sign(&[b"what do ya want for nothing?"]), tag);
    mac.verify_truncated(&[b"what do ya want for nothing?"], &tag[..10])
        .unwrap();
    mac.verify_truncated(&[b"what do ya want for nothing?"], &tag[..4])
        .unwrap();
    mac.verify_truncated(&[b"what do ya want for nothing?"], &tag)
        .unwrap();
    let mut bad = tag;
    bad[3] ^= 1;
    assert_eq!(
        mac.verify_truncated(&[b"what do ya want for nothing?"], &bad[..10]),
        Err(CryptoError::AuthenticationFailed)
    );
    assert_eq!(
        mac.verify_truncated(&[b"what do ya want for nothing?"], &[]),
        Err(CryptoError::AuthenticationFailed),
        "an empty tag never verifies"
    );
    assert_eq!(
        mac.verify_truncated(&[b"what do ya want for nothing?"], &[0; 21]),
        Err(CryptoError::AuthenticationFailed)
    );
}

/// RFC 7714 §16.1.3 and §16.2.3: GCM with the whole RTP packet as AAD and
/// an empty plaintext gives the published tags; §16.1.4/§16.2.4 verify them.
#[test]
fn rfc7714_16_x_3_gcm_tagging_only() {
    let packet = unhex(
        "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973 20646976
         69736120 696e2070 61727465 73207472 6573",
    );
    let iv: [u8; 12] = unhex("51753c6580c2726f20718414").try_into().unwrap();
    let key: Vec<u8> = (0u8..32).collect();
    for (algorithm, key_len, tag) in [
        (
            AeadAlgorithm::Aes128Gcm,
            16,
            "22493f82d2bce397e9d79e3b19aa4216",
        ),
        (
            AeadAlgorithm::Aes256Gcm,
            32,
            "a866d5910f887463067ceefec45215d4",
        ),
    ] {
        let aead = AeadKey::new(algorithm, &key[..key_len]).unwrap();
        let computed = aead.seal_in_place(&iv, &packet, &mut []).unwrap();
        assert_eq!(hex::encode(computed), tag, "{algorithm:?}");
        aead.open_in_place(&iv, &packet, &mut [], &computed)
            .unwrap();
        let mut wrong = packet.clone();
        wrong[20] ^= 0x80;
        assert_eq!(
            aead.open_in_place(&iv, &wrong, &mut [], &computed),
            Err(CryptoError::AuthenticationFailed)
        );
    }
}

#[test]
fn gcm_seal_open_round_trip_and_tamper() {
    let aead = AeadKey::new(AeadAlgorithm::Aes128Gcm, &[1; 16]).unwrap();
    assert_eq!(aead.algorithm(), AeadAlgorithm::Aes128Gcm);
    let nonce = [2u8; 12];
    let plain = vec![0x5a; 1200];
    let mut data = plain.clone();
    let tag = aead.seal_in_place(&nonce, b"header", &mut data).unwrap();
    assert_ne!(data, plain);
    let mut opened = data.clone();
    aead.open_in_place(&nonce, b"header", &mut opened, &tag)
        .unwrap();
    assert_eq!(opened, plain);
    let mut opened = data.clone();
    assert!(
        aead.open_in_place(&nonce, b"headex", &mut opened, &tag)
            .is_err()
    );
    let mut bad_tag = tag;
    bad_tag[15] ^= 1;
    let mut opened = data.clone();
    assert!(
        aead.open_in_place(&nonce, b"header", &mut opened, &bad_tag)
            .is_err()
    );
    assert_eq!(
        AeadKey::new(AeadAlgorithm::Aes256Gcm, &[0; 16]).unwrap_err(),
        CryptoError::BadKeyLength {
            expected: 32,
            got: 16
        }
    );
}

/// FIPS 180-2 "abc" for SHA-256 and SHA-384; RFC 4231 test case 2 for
/// HMAC-SHA256 and HMAC-SHA384.
#[test]
fn sha2_and_hmac_sha2_known_answers() {
    let mut out = [0u8; 48];
    let n = Digest::hash_into(DigestAlgorithm::Sha256, b"abc", &mut out).unwrap();
    assert_eq!(
        hex::encode(&out[..n]),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
    let mut running = Digest::new(DigestAlgorithm::Sha384);
    running.update(b"a");
    running.update(b"bc");
    let n = running.finish_into(&mut out).unwrap();
    assert_eq!(n, DigestAlgorithm::Sha384.output_len());
    assert_eq!(
        hex::encode(&out[..n]),
        "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed\
         8086072ba1e7cc2358baeca134c825a7"
    );
    assert!(running.finish_into(&mut [0u8; 47]).is_err());

    let hmac = HmacKey::new(DigestAlgorithm::Sha256, b"Jefe");
    let n = hmac
        .sign_into(&[b"what do ya want ", b"for nothing?"], &mut out)
        .unwrap();
    let expected = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
    assert_eq!(hex::encode(&out[..n]), expected);
    hmac.verify(&[b"what do ya want for nothing?"], &out[..n])
        .unwrap();
    assert!(
        hmac.verify(&[b"what do ya want for nothing!"], &out[..n])
            .is_err()
    );
    assert!(
        hmac.verify(&[b"what do ya want for nothing?"], &out[..n - 1])
            .is_err()
    );
    let hmac = HmacKey::new(DigestAlgorithm::Sha384, b"Jefe");
    let n = hmac
        .sign_into(&[b"what do ya want for nothing?"], &mut out)
        .unwrap();
    assert_eq!(
        hex::encode(&out[..n]),
        "af45d2e376484031617f78d2b58a6b1b9c7ef464f5a01b47e42ec3736322445e\
         8e2240ca5e69e2c78b3239ecfab21649"
    );
}

#[test]
fn aes_ni_is_detected_on_x86_64() {
    if cfg!(target_arch = "x86_64") {
        assert!(
            aes_ni_in_use(),
            "this lab's CPU has AES-NI; the aes crate must use it"
        );
    }
}
