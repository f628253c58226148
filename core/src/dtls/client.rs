//! The client side of the handshake (RFC 6347 §4.2, RFC 5246 §7.3).

use std::time::Instant;

use crate::crypto::{EcdheGroup, EcdheKeyPair, SignatureScheme, peer_public_key};
use crate::srtp::SrtpProfile;

use super::DtlsError;
use super::codec::WriteExt;
use super::connection::{DtlsConnection, State};
use super::handshake::{HandshakeMessage, HandshakeType};
use super::keys::{self, RecordKeys};
use super::messages::{
    CertificateList, CertificateRequest, ClientHello, EC_POINT_FORMATS_UNCOMPRESSED,
    EMPTY_RENEGOTIATION_INFO, HelloVerifyRequest, ServerHello, ServerKeyExchange, UseSrtp,
    put_extension, u16_list16_data, use_srtp_data,
};
use super::record::DTLS_1_2;
use super::suite::{CipherSuite, ext};

/// Groups we offer, most preferred first.
pub(super) const GROUPS: [EcdheGroup; 2] = [EcdheGroup::X25519, EcdheGroup::Secp256r1];

impl DtlsConnection {
    /// Builds and sends the ClientHello (with the cookie once we have one).
    pub(super) fn send_client_hello(&mut self, now: Instant) -> Result<(), DtlsError> {
        let mut suites = Vec::new();
        for suite in &self.config.cipher_suites {
            suites.put_u16(suite.id());
        }
        let mut exts = Vec::new();
        let groups: Vec<u16> = GROUPS.iter().map(|g| g.tls_id()).collect();
        put_extension(&mut exts, ext::SUPPORTED_GROUPS, &u16_list16_data(&groups));
        put_extension(
            &mut exts,
            ext::EC_POINT_FORMATS,
            &EC_POINT_FORMATS_UNCOMPRESSED,
        );
        let schemes: Vec<u16> = SignatureScheme::VERIFY_ALL
            .iter()
            .map(|s| s.tls_id())
            .collect();
        put_extension(
            &mut exts,
            ext::SIGNATURE_ALGORITHMS,
            &u16_list16_data(&schemes),
        );
        if !self.config.srtp_profiles.is_empty() {
            let ids: Vec<u16> = self
                .config
                .srtp_profiles
                .iter()
                .map(|p| p.dtls_id())
                .collect();
            put_extension(&mut exts, ext::USE_SRTP, &use_srtp_data(&ids));
        }
        put_extension(&mut exts, ext::EXTENDED_MASTER_SECRET, &[]);
        put_extension(
            &mut exts,
            ext::RENEGOTIATION_INFO,
            &EMPTY_RENEGOTIATION_INFO,
        );
        let hello = ClientHello {
            client_version: DTLS_1_2,
            random: self.neg.client_random,
            session_id: &[],
            cookie: &self.neg.cookie,
            cipher_suites_raw: &suites,
            compression_methods: &[0],
            extensions_raw: &exts,
        };
        let mut body = Vec::with_capacity(256);
        hello.write(&mut body);
        // Only the ClientHello answered by the server starts the
        // transcript (RFC 6347 §4.2.6).
        self.neg.transcript.clear();
        self.begin_flight();
        self.push_message(HandshakeType::ClientHello, body, 0);
        self.send_flight(now, true)
    }

    pub(super) fn client_handle(
        &mut self,
        now: Instant,
        message: HandshakeMessage,
    ) -> Result<(), DtlsError> {
        match (self.state, message.msg_type) {
            (State::ClientWaitHello, HandshakeType::HelloVerifyRequest) => {
                let hvr = HelloVerifyRequest::parse(&message.body)?;
                self.neg.cookie = hvr.cookie.to_vec();
                self.send_client_hello(now)
            }
            (State::ClientWaitHello, HandshakeType::ServerHello) => {
                self.client_process_server_hello(&message.body)?;
                self.record_received(&message);
                self.state = State::ClientWaitCertificate;
                Ok(())
            }
            (State::ClientWaitCertificate, HandshakeType::Certificate) => {
                self.accept_peer_certificate(&message.body)?;
                let suite = self
                    .neg
                    .suite
                    .ok_or(DtlsError::UnexpectedMessage("Certificate"))?;
                let kind = self
                    .neg
                    .peer_key
                    .as_ref()
                    .map(|k| k.kind)
                    .ok_or(DtlsError::BadCertificate)?;
                if suite.is_ecdsa() == (kind == crate::crypto::PublicKeyKind::Rsa) {
                    return Err(DtlsError::BadCertificate);
                }
                self.record_received(&message);
                self.state = State::ClientWaitKeyExchange;
                Ok(())
            }
            (State::ClientWaitKeyExchange, HandshakeType::ServerKeyExchange) => {
                let ske = ServerKeyExchange::parse(&message.body)?;
                let group = EcdheGroup::from_tls_id(ske.group)
                    .ok_or(DtlsError::IllegalParameter("ECDHE group"))?;
                self.verify_peer_signature(
                    ske.scheme,
                    &[&self.neg.client_random, &self.neg.server_random, ske.params],
                    ske.signature,
                )?;
                self.neg.group = Some(group);
                self.neg.peer_ecdhe_public = ske.public_key.to_vec();
                self.record_received(&message);
                self.state = State::ClientWaitCertificateRequestOrDone;
                Ok(())
            }
            (State::ClientWaitCertificateRequestOrDone, HandshakeType::CertificateRequest)
                if !self.neg.certificate_requested =>
            {
                let request = CertificateRequest::parse(&message.body)?;
                let ecdsa_ok = request
                    .signature_schemes
                    .clone()
                    .any(|s| s == SignatureScheme::EcdsaP256Sha256.tls_id());
                if !ecdsa_ok {
                    return Err(DtlsError::IllegalParameter("no ecdsa_secp256r1_sha256"));
                }
                self.neg.certificate_requested = true;
                self.record_received(&message);
                Ok(())
            }
            (State::ClientWaitCertificateRequestOrDone, HandshakeType::ServerHelloDone) => {
                if !message.body.is_empty() {
                    return Err(DtlsError::BadLength("ServerHelloDone"));
                }
                self.record_received(&message);
                self.send_client_final_flight(now)
            }
            (State::WaitFinished, HandshakeType::Finished) => {
                self.check_finished(b"server finished", &message.body)?;
                let summary = self.build_summary()?;
                self.connected(summary);
                Ok(())
            }
            _ => Err(DtlsError::UnexpectedMessage("handshake message")),
        }
    }

    fn client_process_server_hello(&mut self, body: &[u8]) -> Result<(), DtlsError> {
        let hello = ServerHello::parse(body)?;
        if hello.server_version != DTLS_1_2 {
            return Err(DtlsError::UnsupportedVersion(hello.server_version));
        }
        let suite = CipherSuite::from_id(hello.cipher_suite)
            .filter(|s| self.config.cipher_suites.contains(s))
            .ok_or(DtlsError::IllegalParameter("cipher suite"))?;
        if hello.compression_method != 0 {
            return Err(DtlsError::IllegalParameter("compression"));
        }
        let mut ems = false;
        let mut srtp = None;
        for item in hello.extensions() {
            let (ty, data) = item?;
            match ty {
                ext::EXTENDED_MASTER_SECRET => ems = true,
                ext::RENEGOTIATION_INFO => {
                    if data != EMPTY_RENEGOTIATION_INFO {
                        return Err(DtlsError::RenegotiationRefused);
                    }
                }
                ext::USE_SRTP if !self.config.srtp_profiles.is_empty() => {
                    let use_srtp = UseSrtp::parse(data)?;
                    let mut ids = use_srtp.profiles;
                    let (Some(id), None) = (ids.next(), ids.next()) else {
                        return Err(DtlsError::IllegalParameter("use_srtp"));
                    };
                    let profile = SrtpProfile::from_dtls_id(id)
                        .filter(|p| self.config.srtp_profiles.contains(p))
                        .ok_or(DtlsError::IllegalParameter("SRTP profile"))?;
                    srtp = Some(profile);
                }
                ext::EC_POINT_FORMATS => {}
                _ => return Err(DtlsError::IllegalParameter("unrequested extension")),
            }
        }
        if !ems {
            return Err(DtlsError::ExtendedMasterSecretMissing);
        }
        if !self.config.srtp_profiles.is_empty() && srtp.is_none() {
            return Err(DtlsError::NoCommonSrtpProfile);
        }
        self.neg.server_random = hello.random;
        self.neg.suite = Some(suite);
        self.neg.srtp_profile = srtp;
        // The server's messages follow its ServerHello.
        Ok(())
    }

    /// Flight 5: [Certificate], ClientKeyExchange, [CertificateVerify],
    /// ChangeCipherSpec, Finished.
    fn send_client_final_flight(&mut self, now: Instant) -> Result<(), DtlsError> {
        let suite = self
            .neg
            .suite
            .ok_or(DtlsError::UnexpectedMessage("ServerHelloDone"))?;
        let group = self
            .neg
            .group
            .ok_or(DtlsError::UnexpectedMessage("ServerHelloDone"))?;
        let ecdhe = EcdheKeyPair::generate_with_rng(group, &mut self.rng)?;
        let public = ecdhe.public_key().to_vec();
        let pre_master = ecdhe
            .agree(&self.neg.peer_ecdhe_public)
            .map_err(|_| DtlsError::IllegalParameter("ECDHE public key"))?;
        self.begin_flight();
        let certificate = self.config.certificate.clone();
        if self.neg.certificate_requested {
            let mut body = Vec::with_capacity(certificate.der().len() + 6);
            CertificateList::write(&[certificate.der()], &mut body);
            self.push_message(HandshakeType::Certificate, body, 0);
        }
        let mut cke = Vec::with_capacity(public.len() + 1);
        cke.put_vec(1, &public);
        self.push_message(HandshakeType::ClientKeyExchange, cke, 0);
        let session_hash = self.transcript_hash()?;
        let master = keys::extended_master_secret(suite, &pre_master, &session_hash)?;
        self.neg.master_secret = Some(master);
        self.keys = Some(RecordKeys::derive(
            suite,
            &master,
            &self.neg.client_random,
            &self.neg.server_random,
            true,
        )?);
        if self.neg.certificate_requested {
            let signature = certificate.signing_key().sign(&[&self.neg.transcript])?;
            let mut body = Vec::with_capacity(signature.len() + 4);
            body.put_u16(SignatureScheme::EcdsaP256Sha256.tls_id());
            body.put_vec(2, &signature);
            self.push_message(HandshakeType::CertificateVerify, body, 0);
        }
        self.push_change_cipher_spec();
        self.set_write_epoch(1);
        let verify =
            keys::verify_data(suite, &master, b"client finished", &self.transcript_hash()?)?;
        self.push_message(HandshakeType::Finished, verify.to_vec(), 1);
        self.state = State::WaitChangeCipherSpec;
        self.send_flight(now, true)
    }

    /// Checks a Certificate message against the expected fingerprint and
    /// keeps the peer's public key.
    pub(super) fn accept_peer_certificate(&mut self, body: &[u8]) -> Result<(), DtlsError> {
        let mut list = CertificateList::parse(body)?;
        let der = list.next().ok_or(DtlsError::NoCertificate)?;
        if let Some(expected) = &self.config.remote_fingerprint
            && !expected.matches(der)
        {
            return Err(DtlsError::FingerprintMismatch {
                expected: expected.to_string(),
            });
        }
        let key = peer_public_key(der).map_err(|_| DtlsError::BadCertificate)?;
        self.neg.peer_key = Some(key);
        self.neg.peer_certificate = Some(der.to_vec());
        Ok(())
    }

    /// Verifies a peer's handshake signature with its certificate key.
    pub(super) fn verify_peer_signature(
        &self,
        scheme: u16,
        message: &[&[u8]],
        signature: &[u8],
    ) -> Result<(), DtlsError> {
        let scheme = SignatureScheme::from_tls_id(scheme)
            .ok_or(DtlsError::IllegalParameter("signature scheme"))?;
        let key = self.neg.peer_key.as_ref().ok_or(DtlsError::NoCertificate)?;
        key.verify(scheme, message, signature)
            .map_err(|_| DtlsError::BadSignature)
    }

    /// Checks the peer's Finished against the transcript so far, then adds
    /// it to the transcript.
    pub(super) fn check_finished(&mut self, label: &[u8], body: &[u8]) -> Result<(), DtlsError> {
        let suite = self
            .neg
            .suite
            .ok_or(DtlsError::UnexpectedMessage("Finished"))?;
        let master = self
            .neg
            .master_secret
            .ok_or(DtlsError::UnexpectedMessage("Finished"))?;
        let expected = keys::verify_data(suite, &master, label, &self.transcript_hash()?)?;
        if !crate::crypto::constant_time_eq(&expected, body) {
            return Err(DtlsError::FinishedMismatch);
        }
        let seq = self.reassembler.next_seq().wrapping_sub(1);
        let message = HandshakeMessage {
            msg_type: HandshakeType::Finished,
            message_seq: seq,
            body: body.to_vec(),
        };
        self.record_received(&message);
        Ok(())
    }
}
