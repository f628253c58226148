//! RFC 3711 Appendix B.3 and RFC 7714 §16–17, transcribed from the RFCs.

use super::super::cipher::SessionCiphers;
use super::super::kdf::{KeyDerivation, Label};
use super::*;

/// RFC 3711 Appendix B.3: cipher key, cipher salt and the 94-octet auth key
/// derived from the published master key and salt.
#[test]
fn rfc3711_b3_key_derivation() {
    let master_key = unhex("E1F97A0D3E018BE0D64FA32C06DE4139");
    let master_salt = unhex("0EC675AD498AFEEBB6960B3AABE6");
    let kdf = KeyDerivation::new(&master_key, &master_salt).unwrap();

    let mut cipher_key = [0u8; 16];
    kdf.derive(Label::RtpEncryption, &mut cipher_key);
    assert_eq!(
        hex::encode_upper(cipher_key),
        "C61E7A93744F39EE10734AFE3FF7A087"
    );

    let mut cipher_salt = [0u8; 14];
    kdf.derive(Label::RtpSalt, &mut cipher_salt);
    assert_eq!(
        hex::encode_upper(cipher_salt),
        "30CBBC08863D8C85D49DB34A9AE1"
    );

    let mut auth_key = [0u8; 94];
    kdf.derive(Label::RtpAuthentication, &mut auth_key);
    assert_eq!(
        hex::encode_upper(auth_key),
        concat!(
            "CEBE321F6FF7716B6FD4AB49AF256A15",
            "6D38BAA48F0A0ACF3C34E2359E6CDBCE",
            "E049646C43D9327AD175578EF7227098",
            "6371C10C9A369AC2F94A8C5FBCDDDC25",
            "6D6E919A48B610EF17C2041E47403576",
            "6B68642C59BBFC2F34DB60DBDFB2",
        )
    );
    // The SRTP context uses the first 20 bytes of that auth key.
    let mut short = [0u8; 20];
    kdf.derive(Label::RtpAuthentication, &mut short);
    assert_eq!(short, auth_key[..20]);
}

/// The shared RTP packet of RFC 7714 §16 (header 8040f17b 8041f8d3 5501a0b2,
/// payload "Gallia est omnis divisa in partes tres").
const RFC7714_RTP: &str = "8040f17b 8041f8d3 5501a0b2 47616c6c 69612065 7374206f 6d6e6973
                           20646976 69736120 696e2070 61727465 73207472 6573";
/// "Quid pro quo".
const RFC7714_SALT: &str = "51756964 2070726f 2071756f";
/// The RTCP packet of RFC 7714 §17.1–17.4.
const RFC7714_RTCP: &str = "81c8000d 4d617273 4e545031 4e545032 52545020 0000042a 0000e930 4c756e61
                            deadbeef deadbeef deadbeef deadbeef deadbeef";

fn rfc7714(profile: SrtpProfile) -> (SrtpProtector, SrtpUnprotector) {
    let key: Vec<u8> = (0u8..).take(profile.master_key_len()).collect();
    let salt: [u8; 12] = unhex(RFC7714_SALT).try_into().unwrap();
    let c = || SessionCiphers::gcm_from_session_keys(profile, &key, salt).unwrap();
    (
        SrtpProtector::from_ciphers(c(), SrtpConfig::default()),
        SrtpUnprotector::from_ciphers(c(), SrtpConfig::default()),
    )
}

/// §16.1.1 / §16.1.2 (AEAD_AES_128_GCM) and §16.2.1 / §16.2.2 (AEAD_AES_256_GCM).
#[test]
fn rfc7714_16_srtp_encryption_and_decryption() {
    let plain = unhex(RFC7714_RTP);
    for (profile, expected) in [
        (
            SrtpProfile::AeadAes128Gcm,
            "8040f17b 8041f8d3 5501a0b2 f24de3a3 fb34de6c acba861c 9d7e4bca be633bd5
             0d294e6f 42a5f47a 51c7d19b 36de3adf 8833899d 7f27beb1 6a9152cf 765ee439 0cce",
        ),
        (
            SrtpProfile::AeadAes256Gcm,
            "8040f17b 8041f8d3 5501a0b2 32b1de78 a822fe12 ef9f78fa 332e33aa b1801238
             9a58e2f3 b50b2a02 76ffae0f 1ba63799 b87b7aa3 db36dfff d6b0f9bb 7878d7a7 6c13",
        ),
    ] {
        let (mut protector, mut unprotector) = rfc7714(profile);
        let expected = unhex(expected);
        assert_eq!(
            protect(&mut protector, &plain),
            expected,
            "{profile:?} encryption"
        );
        assert_eq!(protector.roc(0x5501_a0b2), Some(0));
        assert_eq!(
            unprotect(&mut unprotector, &expected).unwrap(),
            plain,
            "{profile:?} decryption"
        );
        assert_eq!(unprotector.roc(0x5501_a0b2), Some(0));
    }
}

/// §17.1: SRTCP AEAD_AES_128_GCM encryption with SRTCP index 0x5d4.
#[test]
fn rfc7714_17_1_srtcp_128_encryption() {
    let (mut protector, mut unprotector) = rfc7714(SrtpProfile::AeadAes128Gcm);
    protector.set_next_rtcp_index(0x4d61_7273, 0x5d4);
    let expected = unhex(
        "81c8000d 4d617273 63e94885 dcdab67c a727d766 2f6b7e99 7ff5c0f7 6c06f32d
         c676a5f1 730d6fda 4ce09b46 86303ded 0bb9275b c84aa458 96cf4d2f c5abf872
         45d9eade 800005d4",
    );
    let plain = unhex(RFC7714_RTCP);
    assert_eq!(protect_c(&mut protector, &plain), expected);
    assert_eq!(unprotect_c(&mut unprotector, &expected).unwrap(), plain);
    assert_eq!(unprotector.highest_rtcp_index(0x4d61_7273), Some(0x5d4));
}

/// §17.2: SRTCP AEAD_AES_256_GCM verification and decryption.
#[test]
fn rfc7714_17_2_srtcp_256_decryption() {
    let (mut protector, mut unprotector) = rfc7714(SrtpProfile::AeadAes256Gcm);
    let protected = unhex(
        "81c8000d 4d617273 d50ae4d1 f5ce5d30 4ba297e4 7d470c28 2c3ece5d bffe0a50
         a2eaa5c1 110555be 8415f658 c61de047 6f1b6fad 1d1eb30c 4446839f 57ff6f6c
         b26ac3be 800005d4",
    );
    let plain = unhex(RFC7714_RTCP);
    assert_eq!(unprotect_c(&mut unprotector, &protected).unwrap(), plain);
    // And our encryption gives the same bytes.
    protector.set_next_rtcp_index(0x4d61_7273, 0x5d4);
    assert_eq!(protect_c(&mut protector, &plain), protected);
}

/// §17.3 and §17.4: SRTCP tagged but not encrypted (E = 0), 128 and 256.
/// We never send these, but accept them from peers.
#[test]
fn rfc7714_17_3_and_17_4_srtcp_tagging_only() {
    let plain = unhex(RFC7714_RTCP);
    for (profile, tag) in [
        (
            SrtpProfile::AeadAes128Gcm,
            "841dd968 3dd78ec9 2ae58790 125f62b3",
        ),
        (
            SrtpProfile::AeadAes256Gcm,
            "91db4afb feee5a97 8fab4393 ed2615fe",
        ),
    ] {
        let (_, mut unprotector) = rfc7714(profile);
        let mut tagged = plain.clone();
        tagged.extend(unhex(tag));
        tagged.extend(unhex("000005d4"));
        assert_eq!(
            unprotect_c(&mut unprotector, &tagged).unwrap(),
            plain,
            "{profile:?}"
        );
        // Replaying it is refused, and a flipped E flag no longer verifies.
        assert_eq!(
            unprotect_c(&mut unprotector, &tagged),
            Err(SrtpError::Replayed { index: 0x5d4 })
        );
        let (_, mut fresh) = rfc7714(profile);
        let last = tagged.len() - 4;
        tagged[last] ^= 0x80;
        assert_eq!(
            unprotect_c(&mut fresh, &tagged),
            Err(SrtpError::AuthenticationFailed)
        );
    }
}

/// The six labels give six different session values (RFC 3711 §4.3.1):
/// RTP and RTCP never share a key or salt.
#[test]
fn derived_rtp_and_rtcp_keys_differ() {
    let (key, salt) = master(SrtpProfile::Aes128CmHmacSha1_80, 3);
    let kdf = KeyDerivation::new(&key, &salt).unwrap();
    let mut a = [0u8; 16];
    let mut b = [0u8; 16];
    kdf.derive(Label::RtpEncryption, &mut a);
    kdf.derive(Label::RtcpEncryption, &mut b);
    assert_ne!(a, b);
    let mut c = [0u8; 14];
    let mut d = [0u8; 14];
    kdf.derive(Label::RtpSalt, &mut c);
    kdf.derive(Label::RtcpSalt, &mut d);
    assert_ne!(c, d);
    let mut e = [0u8; 20];
    kdf.derive(Label::RtcpAuthentication, &mut e);
    assert_ne!(e[..16], a);
}
