//! Other DTLS 1.2 implementations doing the work of zerortc's
//! [`crate::ops::dtls_handshake`], [`crate::ops::dtls_seal`] and
//! [`crate::ops::dtls_open`] (feature `peers`), for the `peers_dtls`
//! criterion suite: str0m's `dimpl`, webrtc-rs's `rtc-dtls`, and OpenSSL
//! through the `openssl` crate. Each module says how it is driven and where
//! its work differs from ours.

pub mod dimpl;
pub mod openssl;
pub mod rtc;

pub use dimpl::{DimplPair, DimplSetup, dimpl_handshake};
pub use openssl::{OpensslPair, OpensslSetup, openssl_handshake};
pub use rtc::{RtcPair, RtcSetup, rtc_handshake};

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use zerortc::dtls::CipherSuite;

    use super::*;
    use crate::ops::{DTLS_DATAGRAM_LEN, DtlsPair, dtls_seal};
    use crate::{DTLS_SUITES, DtlsCertificates, dtls_payloads};

    /// Every peer connects, and seals records of the same size as ours
    /// (header 13 + explicit nonce 8 + tag 16 around the payload) that
    /// open to the payload length.
    #[test]
    fn every_peer_connects_and_records_match_ours() {
        let now = Instant::now();
        let certs = DtlsCertificates::seeded();
        for (_, suite) in DTLS_SUITES {
            let mut ours = DtlsPair::connected(&certs, suite);
            let mut dimpl = {
                let (pair, bytes) = dimpl_handshake(DimplSetup::new(suite, false), now);
                assert!(bytes > 1000, "dimpl {suite:?}");
                pair
            };
            let mut openssl = {
                let (pair, plain) = openssl_handshake(&OpensslSetup::new(suite, false)).unwrap();
                let (_, cookie) = openssl_handshake(&OpensslSetup::new(suite, true)).unwrap();
                assert!(plain > 1000, "openssl {suite:?}: {plain}");
                // HelloVerifyRequest and the second ClientHello.
                assert!(
                    cookie > plain + 100,
                    "openssl {suite:?}: {plain} / {cookie}"
                );
                let (cipher, srtp) = pair.negotiated();
                let want = match suite {
                    CipherSuite::EcdheEcdsaAes256GcmSha384 => "ECDHE-ECDSA-AES256-GCM-SHA384",
                    _ => "ECDHE-ECDSA-AES128-GCM-SHA256",
                };
                assert_eq!(cipher, want);
                assert_eq!(srtp, "SRTP_AEAD_AES_128_GCM");
                pair
            };
            let mut out = [0u8; DTLS_DATAGRAM_LEN + 64];
            for (_, payload) in dtls_payloads() {
                let n = dtls_seal(&mut ours.client, &payload, &mut out);
                assert_eq!(n, payload.len() + 37);
                assert_eq!(dimpl.seal(&payload, &mut out), n);
                assert_eq!(dimpl.open(&out[..n]), payload.len());
                assert_eq!(openssl.seal(&payload, &mut out), n);
                assert_eq!(openssl.open(&out[..n]), payload.len());
                assert_eq!(openssl.plaintext(payload.len()), payload.as_slice());
                // A replayed record is not opened twice.
                assert_eq!(openssl.open(&out[..n]), 0);
            }
        }
        // rtc-dtls: AES-128-GCM only.
        let setup = RtcSetup::new();
        let (mut rtc, bytes) = rtc_handshake(&setup, now);
        assert!(bytes > 1000, "rtc-dtls: {bytes}");
        let mut out = [0u8; DTLS_DATAGRAM_LEN + 64];
        for (_, payload) in dtls_payloads() {
            let n = rtc.seal(&payload, &mut out);
            assert_eq!(n, payload.len() + 37);
            assert_eq!(rtc.open(&out[..n]), payload.len());
        }
    }
}
