//! The server side of the handshake (RFC 6347 §4.2, RFC 5246 §7.3), with
//! the stateless cookie exchange (RFC 6347 §4.2.1).

use std::time::Instant;

use rand_core::RngCore;

use crate::crypto::{DigestAlgorithm, EcdheGroup, EcdheKeyPair, HmacKey, SignatureScheme};
use crate::srtp::SrtpProfile;

use super::DtlsError;
use super::client::GROUPS;
use super::connection::{DtlsConnection, State};
use super::handshake::{HandshakeMessage, HandshakeType};
use super::keys::{self, RecordKeys};
use super::messages::{
    CERT_TYPE_ECDSA_SIGN, CERT_TYPE_RSA_SIGN, CertificateList, CertificateRequest, ClientHello,
    EC_POINT_FORMATS_UNCOMPRESSED, EMPTY_RENEGOTIATION_INFO, HelloVerifyRequest, ServerHello,
    ServerKeyExchange, UseSrtp, parse_client_key_exchange, parse_digitally_signed,
    parse_u16_list16, put_extension, use_srtp_data,
};
use super::record::{DTLS_1_0, DTLS_1_2};
use super::suite::{CipherSuite, EMPTY_RENEGOTIATION_INFO_SCSV, ext};

/// Cookie length: a full HMAC-SHA256.
const COOKIE_LEN: usize = 32;

/// What the server chose from a ClientHello.
struct Choice {
    suite: CipherSuite,
    group: EcdheGroup,
    srtp: Option<SrtpProfile>,
    echo_point_formats: bool,
}

impl DtlsConnection {
    pub(super) fn server_handle(
        &mut self,
        now: Instant,
        message: HandshakeMessage,
    ) -> Result<(), DtlsError> {
        match (self.state, message.msg_type) {
            (State::ServerWaitHello, HandshakeType::ClientHello) => {
                self.server_process_client_hello(now, &message)
            }
            // The flight-4 timer keeps running until the client's whole
            // flight (up to Finished) arrived (RFC 6347 §4.2.4, WAITING).
            (State::ServerWaitCertificate, HandshakeType::Certificate) => {
                self.accept_peer_certificate(&message.body)?;
                self.record_received(&message);
                self.state = State::ServerWaitKeyExchange;
                Ok(())
            }
            (State::ServerWaitKeyExchange, HandshakeType::ClientKeyExchange) => {
                let public = parse_client_key_exchange(&message.body)?;
                let ecdhe = self
                    .neg
                    .ecdhe
                    .take()
                    .ok_or(DtlsError::UnexpectedMessage("ClientKeyExchange"))?;
                let pre_master = ecdhe
                    .agree(public)
                    .map_err(|_| DtlsError::IllegalParameter("ECDHE public key"))?;
                self.record_received(&message);
                let suite = self
                    .neg
                    .suite
                    .ok_or(DtlsError::UnexpectedMessage("ClientKeyExchange"))?;
                let session_hash = self.transcript_hash()?;
                let master = keys::extended_master_secret(suite, &pre_master, &session_hash)?;
                self.neg.master_secret = Some(master);
                self.keys = Some(RecordKeys::derive(
                    suite,
                    &master,
                    &self.neg.client_random,
                    &self.neg.server_random,
                    false,
                )?);
                self.state = State::ServerWaitCertificateVerify;
                Ok(())
            }
            (State::ServerWaitCertificateVerify, HandshakeType::CertificateVerify) => {
                let (scheme, signature) = parse_digitally_signed(&message.body)?;
                self.verify_peer_signature(scheme, &[&self.neg.transcript], signature)?;
                self.record_received(&message);
                self.state = State::WaitChangeCipherSpec;
                Ok(())
            }
            (State::WaitFinished, HandshakeType::Finished) => {
                self.check_finished(b"client finished", &message.body)?;
                let suite = self
                    .neg
                    .suite
                    .ok_or(DtlsError::UnexpectedMessage("Finished"))?;
                let master = self
                    .neg
                    .master_secret
                    .ok_or(DtlsError::UnexpectedMessage("Finished"))?;
                let verify = keys::verify_data(
                    suite,
                    &master,
                    b"server finished",
                    &self.transcript_hash()?,
                )?;
                self.begin_flight();
                self.push_change_cipher_spec();
                self.set_write_epoch(1);
                self.push_message(HandshakeType::Finished, verify.to_vec(), 1);
                // The last flight is resent only when the client's flight
                // comes again (RFC 6347 §4.2.4): no timer.
                self.send_flight(now, false)?;
                let summary = self.build_summary()?;
                self.connected(summary);
                Ok(())
            }
            _ => Err(DtlsError::UnexpectedMessage("handshake message")),
        }
    }

    fn cookie_for(&self, hello: &ClientHello<'_>) -> Result<[u8; COOKIE_LEN], DtlsError> {
        let key = HmacKey::new(DigestAlgorithm::Sha256, &self.cookie_secret);
        let mut cookie = [0u8; COOKIE_LEN];
        key.sign_into(
            &[
                &hello.random,
                hello.session_id,
                hello.cipher_suites_raw,
                hello.extensions_raw,
            ],
            &mut cookie,
        )?;
        Ok(cookie)
    }

    fn server_process_client_hello(
        &mut self,
        now: Instant,
        message: &HandshakeMessage,
    ) -> Result<(), DtlsError> {
        let hello = ClientHello::parse(&message.body)?;
        // DTLS versions count down: 0xFEFF is 1.0, 0xFEFD is 1.2.
        if hello.client_version > DTLS_1_2 {
            return Err(DtlsError::UnsupportedVersion(hello.client_version));
        }
        if self.config.cookie_exchange {
            let cookie = self.cookie_for(&hello)?;
            if !crate::crypto::constant_time_eq(&cookie, hello.cookie) {
                // Stateless: nothing of this ClientHello is kept but the
                // reassembler's position (RFC 6347 §4.2.1).
                let mut body = Vec::with_capacity(3 + COOKIE_LEN);
                HelloVerifyRequest {
                    server_version: DTLS_1_0,
                    cookie: &cookie,
                }
                .write(&mut body);
                self.next_send_seq = message.message_seq;
                self.begin_flight();
                self.push_message(HandshakeType::HelloVerifyRequest, body, 0);
                self.neg.transcript.clear();
                return self.send_flight(now, false);
            }
        }
        let choice = self.choose(&hello)?;
        self.record_received(message);
        self.neg.client_random = hello.random;
        self.rng.fill_bytes(&mut self.neg.server_random);
        self.neg.suite = Some(choice.suite);
        self.neg.srtp_profile = choice.srtp;
        self.neg.group = Some(choice.group);
        let ecdhe = EcdheKeyPair::generate_with_rng(choice.group, &mut self.rng)?;
        self.stop_timer();
        self.next_send_seq = message.message_seq;
        self.begin_flight();

        let mut exts = Vec::new();
        put_extension(
            &mut exts,
            ext::RENEGOTIATION_INFO,
            &EMPTY_RENEGOTIATION_INFO,
        );
        put_extension(&mut exts, ext::EXTENDED_MASTER_SECRET, &[]);
        if let Some(profile) = choice.srtp {
            put_extension(
                &mut exts,
                ext::USE_SRTP,
                &use_srtp_data(&[profile.dtls_id()]),
            );
        }
        if choice.echo_point_formats {
            put_extension(
                &mut exts,
                ext::EC_POINT_FORMATS,
                &EC_POINT_FORMATS_UNCOMPRESSED,
            );
        }
        let mut body = Vec::with_capacity(128);
        ServerHello {
            server_version: DTLS_1_2,
            random: self.neg.server_random,
            session_id: &[],
            cipher_suite: choice.suite.id(),
            compression_method: 0,
            extensions_raw: &exts,
        }
        .write(&mut body);
        self.push_message(HandshakeType::ServerHello, body, 0);

        let certificate = self.config.certificate.clone();
        let mut body = Vec::with_capacity(certificate.der().len() + 6);
        CertificateList::write(&[certificate.der()], &mut body);
        self.push_message(HandshakeType::Certificate, body, 0);

        let params = ServerKeyExchange::params_bytes(choice.group.tls_id(), ecdhe.public_key());
        let signature = certificate.signing_key().sign(&[
            &self.neg.client_random,
            &self.neg.server_random,
            &params,
        ])?;
        let mut body = Vec::with_capacity(params.len() + signature.len() + 4);
        ServerKeyExchange::write(
            &params,
            SignatureScheme::EcdsaP256Sha256.tls_id(),
            &signature,
            &mut body,
        );
        self.push_message(HandshakeType::ServerKeyExchange, body, 0);
        self.neg.ecdhe = Some(ecdhe);

        let schemes: Vec<u16> = SignatureScheme::VERIFY_ALL
            .iter()
            .map(|s| s.tls_id())
            .collect();
        let mut body = Vec::with_capacity(32);
        CertificateRequest::write(
            &[CERT_TYPE_ECDSA_SIGN, CERT_TYPE_RSA_SIGN],
            &schemes,
            &mut body,
        );
        self.push_message(HandshakeType::CertificateRequest, body, 0);
        self.push_message(HandshakeType::ServerHelloDone, Vec::new(), 0);
        self.state = State::ServerWaitCertificate;
        self.send_flight(now, true)
    }

    /// Picks suite, group and SRTP profile; checks the required extensions.
    /// Extensions we do not implement (supported_versions, key_share, ALPN,
    /// record_size_limit, delegated_credentials...) are ignored.
    fn choose(&self, hello: &ClientHello<'_>) -> Result<Choice, DtlsError> {
        // Our certificate is ECDSA: only ECDSA suites, in our order.
        let suite = self
            .config
            .cipher_suites
            .iter()
            .copied()
            .filter(|s| s.is_ecdsa())
            .find(|s| hello.cipher_suites().any(|id| id == s.id()))
            .ok_or(DtlsError::NoCommonCipherSuite)?;
        let exts = hello.extensions();
        let group = match exts.find(ext::SUPPORTED_GROUPS)? {
            Some(data) => {
                let offered = parse_u16_list16(data, "supported_groups")?;
                GROUPS
                    .iter()
                    .copied()
                    .find(|g| offered.clone().any(|id| id == g.tls_id()))
                    .ok_or(DtlsError::NoCommonGroup)?
            }
            // RFC 8422 §4: no extension means the client supports any curve.
            None => EcdheGroup::Secp256r1,
        };
        if let Some(data) = exts.find(ext::SIGNATURE_ALGORITHMS)? {
            let offered = parse_u16_list16(data, "signature_algorithms")?;
            let ours = SignatureScheme::EcdsaP256Sha256.tls_id();
            if !offered.clone().any(|id| id == ours) {
                return Err(DtlsError::NoCommonCipherSuite);
            }
        }
        if exts.find(ext::EXTENDED_MASTER_SECRET)?.is_none() {
            return Err(DtlsError::ExtendedMasterSecretMissing);
        }
        match exts.find(ext::RENEGOTIATION_INFO)? {
            Some(data) if data != EMPTY_RENEGOTIATION_INFO => {
                return Err(DtlsError::RenegotiationRefused);
            }
            Some(_) => {}
            None => {
                // RFC 5746 §3.6: the SCSV stands for an empty extension; a
                // client with neither is a legacy client we still serve.
                let _ = hello
                    .cipher_suites()
                    .any(|id| id == EMPTY_RENEGOTIATION_INFO_SCSV);
            }
        }
        let srtp = if self.config.srtp_profiles.is_empty() {
            None
        } else {
            let data = exts
                .find(ext::USE_SRTP)?
                .ok_or(DtlsError::NoCommonSrtpProfile)?;
            let offered = UseSrtp::parse(data)?;
            Some(
                self.config
                    .srtp_profiles
                    .iter()
                    .copied()
                    .find(|p| offered.profiles.clone().any(|id| id == p.dtls_id()))
                    .ok_or(DtlsError::NoCommonSrtpProfile)?,
            )
        };
        Ok(Choice {
            suite,
            group,
            srtp,
            echo_point_formats: exts.find(ext::EC_POINT_FORMATS)?.is_some(),
        })
    }
}
