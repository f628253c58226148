//! OpenSSL's DTLS 1.2 through the `openssl` crate (the system libssl, 3.0
//! here), over an in-memory datagram transport: each side's `SslStream`
//! sits on a [`Pipe`] whose writes are datagrams queued for the other side
//! and whose reads hand out one queued datagram (or `WouldBlock`), so the
//! handshake runs non-blocking, both sides in one thread. Same choices as
//! ours: TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 or _AES_256_GCM_SHA384
//! only, groups X25519 then P-256, self-signed ECDSA P-256 certificates,
//! client certificate required and its SHA-256 fingerprint checked after
//! the handshake (no chain verification: the verify callback accepts the
//! self-signed certificate), `use_srtp` with the four profiles, MTU 1200,
//! extended master secret (OpenSSL 3 default), and the SRTP keying material
//! exported on both sides at the end. The cookie exchange is
//! `SSL_OP_COOKIE_EXCHANGE` with an HMAC-SHA256 cookie callback.
//!
//! Seal: `SslStream::ssl_write` of one record into the pipe, copied into
//! our buffer; open: one record pushed into the server's pipe and
//! `ssl_read`. The pipes recycle their datagram buffers, so the transport
//! allocates nothing per record.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::rc::Rc;

use openssl::ec::{EcGroup, EcKey};
use openssl::hash::MessageDigest;
use openssl::nid::Nid;
use openssl::pkey::{PKey, Private};
use openssl::sign::Signer;
use openssl::ssl::{
    Ssl, SslContext, SslContextBuilder, SslMethod, SslOptions, SslStream, SslVerifyMode, SslVersion,
};
use openssl::x509::{X509, X509NameBuilder};
use zerortc::dtls::CipherSuite;

/// Datagrams in flight one way, and spare buffers for the next ones.
#[derive(Default)]
struct Queue {
    datagrams: VecDeque<Vec<u8>>,
    spare: Vec<Vec<u8>>,
    written: usize,
}

impl Queue {
    fn push(&mut self, data: &[u8]) {
        let mut d = self.spare.pop().unwrap_or_default();
        d.clear();
        d.extend_from_slice(data);
        self.datagrams.push_back(d);
        self.written += data.len();
    }
}

type Shared = Rc<RefCell<Queue>>;

/// One side's transport: reads from `inbox`, writes to `outbox`.
pub struct Pipe {
    inbox: Shared,
    outbox: Shared,
}

impl Read for Pipe {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut q = self.inbox.borrow_mut();
        let Some(d) = q.datagrams.pop_front() else {
            return Err(io::ErrorKind::WouldBlock.into());
        };
        let n = d.len().min(buf.len());
        buf[..n].copy_from_slice(&d[..n]);
        q.spare.push(d);
        Ok(n)
    }
}

impl Write for Pipe {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.outbox.borrow_mut().push(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A self-signed ECDSA P-256 certificate and its key.
fn certificate(name: &str) -> (X509, PKey<Private>) {
    let group = EcGroup::from_curve_name(Nid::X9_62_PRIME256V1).expect("P-256");
    let key = PKey::from_ec_key(EcKey::generate(&group).expect("key")).expect("pkey");
    let mut subject = X509NameBuilder::new().expect("name");
    subject
        .append_entry_by_nid(Nid::COMMONNAME, name)
        .expect("CN");
    let subject = subject.build();
    let mut b = X509::builder().expect("x509");
    b.set_version(2).expect("version");
    b.set_subject_name(&subject).expect("subject");
    b.set_issuer_name(&subject).expect("issuer");
    b.set_pubkey(&key).expect("pubkey");
    let not_before = openssl::asn1::Asn1Time::days_from_now(0).expect("time");
    let not_after = openssl::asn1::Asn1Time::days_from_now(30).expect("time");
    b.set_not_before(&not_before).expect("not before");
    b.set_not_after(&not_after).expect("not after");
    b.sign(&key, MessageDigest::sha256()).expect("sign");
    (b.build(), key)
}

/// The HMAC-SHA256 cookie of a handshake, bound to the client's address
/// (fixed here: one client); the key is the cookie secret of a
/// long-running server.
fn cookie(out: &mut [u8]) -> Result<usize, openssl::error::ErrorStack> {
    let key = PKey::hmac(&[7u8; 32])?;
    let mut signer = Signer::new(MessageDigest::sha256(), &key)?;
    signer.update(b"127.0.0.1:5000")?;
    signer.sign(out)
}

fn context(
    suite: CipherSuite,
    cert: &(X509, PKey<Private>),
    server: bool,
    cookie_exchange: bool,
) -> SslContext {
    let mut b = SslContextBuilder::new(SslMethod::dtls()).expect("context");
    b.set_min_proto_version(Some(SslVersion::DTLS1_2))
        .expect("min");
    b.set_max_proto_version(Some(SslVersion::DTLS1_2))
        .expect("max");
    let cipher = match suite {
        CipherSuite::EcdheEcdsaAes256GcmSha384 => "ECDHE-ECDSA-AES256-GCM-SHA384",
        _ => "ECDHE-ECDSA-AES128-GCM-SHA256",
    };
    b.set_cipher_list(cipher).expect("cipher");
    b.set_groups_list("X25519:P-256").expect("groups");
    b.set_tlsext_use_srtp(
        "SRTP_AEAD_AES_128_GCM:SRTP_AEAD_AES_256_GCM:SRTP_AES128_CM_SHA1_80:SRTP_AES128_CM_SHA1_32",
    )
    .expect("use_srtp");
    b.set_certificate(&cert.0).expect("certificate");
    b.set_private_key(&cert.1).expect("key");
    // Self-signed certificates: the fingerprint, checked after the
    // handshake, authenticates the peer.
    let mode = if server {
        SslVerifyMode::PEER | SslVerifyMode::FAIL_IF_NO_PEER_CERT
    } else {
        SslVerifyMode::PEER
    };
    b.set_verify_callback(mode, |_, _| true);
    b.set_options(SslOptions::NO_QUERY_MTU | SslOptions::NO_TICKET);
    if cookie_exchange {
        b.set_options(SslOptions::COOKIE_EXCHANGE);
        b.set_cookie_generate_cb(|_, out| cookie(out));
        b.set_cookie_verify_cb(|_, got| {
            let mut want = [0u8; 64];
            matches!(cookie(&mut want), Ok(n) if want.get(..n) == Some(got))
        });
    }
    b.build()
}

/// Contexts and certificates for both sides, built once.
#[derive(Clone)]
pub struct OpensslSetup {
    client: SslContext,
    server: SslContext,
    client_fingerprint: Vec<u8>,
    server_fingerprint: Vec<u8>,
}

impl OpensslSetup {
    /// Contexts offering only `suite`; the server does the cookie exchange
    /// when `cookie`.
    pub fn new(suite: CipherSuite, cookie: bool) -> Self {
        let client_cert = certificate("openssl client");
        let server_cert = certificate("openssl server");
        let fingerprint = |c: &X509| c.digest(MessageDigest::sha256()).expect("digest").to_vec();
        Self {
            client: context(suite, &client_cert, false, false),
            server: context(suite, &server_cert, true, cookie),
            client_fingerprint: fingerprint(&client_cert.0),
            server_fingerprint: fingerprint(&server_cert.0),
        }
    }
}

/// A connected OpenSSL client and server.
pub struct OpensslPair {
    client: SslStream<Pipe>,
    server: SslStream<Pipe>,
    to_client: Shared,
    to_server: Shared,
    plain: Vec<u8>,
}

/// The peer's certificate hashes to `expected`, and the SRTP keying
/// material exports.
fn authenticated(stream: &SslStream<Pipe>, expected: &[u8]) -> bool {
    let Some(peer) = stream.ssl().peer_certificate() else {
        return false;
    };
    let Ok(digest) = peer.digest(MessageDigest::sha256()) else {
        return false;
    };
    let mut keying = [0u8; 56];
    *digest == *expected
        && stream
            .ssl()
            .export_keying_material(&mut keying, "EXTRACTOR-dtls_srtp", None)
            .is_ok()
}

/// A whole OpenSSL handshake, both sides in memory, datagrams handed over
/// as they are written. Returns the pair and the bytes exchanged (0 if it
/// did not connect).
pub fn openssl_handshake(setup: &OpensslSetup) -> Option<(OpensslPair, usize)> {
    let to_client: Shared = Rc::default();
    let to_server: Shared = Rc::default();
    let stream = |ctx: &SslContext, inbox: &Shared, outbox: &Shared| {
        let pipe = Pipe {
            inbox: inbox.clone(),
            outbox: outbox.clone(),
        };
        let mut ssl = Ssl::new(ctx).ok()?;
        ssl.set_mtu(1200).ok()?;
        SslStream::new(ssl, pipe).ok()
    };
    let mut client = stream(&setup.client, &to_client, &to_server)?;
    let mut server = stream(&setup.server, &to_server, &to_client)?;
    let (mut client_up, mut server_up) = (false, false);
    for _ in 0..16 {
        if !client_up {
            client_up = client.connect().is_ok();
        }
        if !server_up {
            server_up = server.accept().is_ok();
        }
        if client_up && server_up {
            break;
        }
    }
    let bytes = to_client.borrow().written + to_server.borrow().written;
    let connected = client_up
        && server_up
        && authenticated(&client, &setup.server_fingerprint)
        && authenticated(&server, &setup.client_fingerprint);
    connected.then_some((
        OpensslPair {
            client,
            server,
            to_client,
            to_server,
            plain: vec![0u8; 1 << 14],
        },
        bytes,
    ))
}

impl OpensslPair {
    /// Seal: one record of `payload` from the client, copied into `out`;
    /// its length (0 on error).
    pub fn seal(&mut self, payload: &[u8], out: &mut [u8]) -> usize {
        if self.client.ssl_write(payload).is_err() {
            return 0;
        }
        let mut q = self.to_server.borrow_mut();
        let Some(d) = q.datagrams.pop_front() else {
            return 0;
        };
        let n = d.len().min(out.len());
        out[..n].copy_from_slice(&d[..n]);
        q.spare.push(d);
        n
    }

    /// Open: the server reads one record, returns the plaintext length.
    pub fn open(&mut self, record: &[u8]) -> usize {
        self.to_server.borrow_mut().push(record);
        self.server.ssl_read(&mut self.plain).unwrap_or(0)
    }

    /// The plaintext of the last record opened.
    pub fn plaintext(&self, len: usize) -> &[u8] {
        &self.plain[..len]
    }

    /// The negotiated cipher suite and SRTP profile (OpenSSL names), as
    /// the client sees them.
    pub fn negotiated(&self) -> (String, String) {
        let ssl = self.client.ssl();
        (
            ssl.current_cipher()
                .map(|c| c.name().to_owned())
                .unwrap_or_default(),
            ssl.selected_srtp_profile()
                .map(|p| p.name().to_owned())
                .unwrap_or_default(),
        )
    }

    /// Drops anything queued toward the client (nothing is read back in
    /// the record benchmarks).
    pub fn clear(&mut self) {
        let mut q = self.to_client.borrow_mut();
        while let Some(d) = q.datagrams.pop_front() {
            q.spare.push(d);
        }
    }
}
