//! Handshake message bodies (RFC 5246 §7.4, RFC 6347 §4.2.1, RFC 8422 §5,
//! RFC 5764 §4.1.1): zero-copy parsers and writers.

use super::DtlsError;
use super::codec::{Reader, WriteExt};

/// Iterates over a list of big-endian u16 values (cipher suites, groups,
/// signature schemes, SRTP profiles). An odd trailing byte is ignored;
/// parsers reject odd lengths before building one.
#[derive(Debug, Clone)]
pub struct U16List<'a> {
    chunks: core::slice::ChunksExact<'a, u8>,
}

impl<'a> U16List<'a> {
    fn new(bytes: &'a [u8], what: &'static str) -> Result<Self, DtlsError> {
        if !bytes.len().is_multiple_of(2) {
            return Err(DtlsError::BadLength(what));
        }
        Ok(Self {
            chunks: bytes.chunks_exact(2),
        })
    }
}

impl Iterator for U16List<'_> {
    type Item = u16;
    fn next(&mut self) -> Option<u16> {
        self.chunks
            .next()
            .and_then(|c| c.try_into().ok())
            .map(u16::from_be_bytes)
    }
}

/// Iterates over `(extension_type, extension_data)` pairs.
#[derive(Debug, Clone)]
pub struct Extensions<'a> {
    reader: Reader<'a>,
}

impl<'a> Extensions<'a> {
    /// The extensions of an extensions block (without its length prefix).
    #[must_use]
    pub const fn new(block: &'a [u8]) -> Self {
        Self {
            reader: Reader::new(block, "extension"),
        }
    }

    /// The data of the first extension of type `ty`.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`] when the block is malformed before it.
    pub fn find(&self, ty: u16) -> Result<Option<&'a [u8]>, DtlsError> {
        for item in self.clone() {
            let (t, data) = item?;
            if t == ty {
                return Ok(Some(data));
            }
        }
        Ok(None)
    }
}

impl<'a> Iterator for Extensions<'a> {
    type Item = Result<(u16, &'a [u8]), DtlsError>;
    fn next(&mut self) -> Option<Self::Item> {
        if self.reader.is_empty() {
            return None;
        }
        let item = (|| {
            let ty = self.reader.u16()?;
            let data = self.reader.vec16()?;
            Ok((ty, data))
        })();
        if item.is_err() {
            self.reader = Reader::new(&[], "extension");
        }
        Some(item)
    }
}

/// Validates an extensions block: every extension well framed, none twice.
fn check_extensions(block: &[u8]) -> Result<(), DtlsError> {
    let mut seen: smallvec::SmallVec<[u16; 24]> = smallvec::SmallVec::new();
    for item in Extensions::new(block) {
        let (ty, _) = item?;
        if seen.contains(&ty) {
            return Err(DtlsError::IllegalParameter("duplicate extension"));
        }
        seen.push(ty);
    }
    Ok(())
}

/// Reads the optional trailing extensions block of a hello.
fn read_extensions<'a>(r: &mut Reader<'a>) -> Result<&'a [u8], DtlsError> {
    if r.is_empty() {
        return Ok(&[]);
    }
    let block = r.vec16()?;
    r.finish()?;
    check_extensions(block)?;
    Ok(block)
}

/// The `use_srtp` extension data (RFC 5764 §4.1.1).
#[derive(Debug, Clone)]
pub struct UseSrtp<'a> {
    /// Protection profile identifiers, in the sender's preference order.
    pub profiles: U16List<'a>,
    /// The `srtp_mki` value (we send and accept only an empty one).
    pub mki: &'a [u8],
}

impl<'a> UseSrtp<'a> {
    /// Parses `use_srtp` extension data.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`] / [`DtlsError::BadLength`].
    pub fn parse(data: &'a [u8]) -> Result<Self, DtlsError> {
        let mut r = Reader::new(data, "use_srtp");
        let profiles = U16List::new(r.vec16()?, "use_srtp")?;
        let mki = r.vec8()?;
        r.finish()?;
        Ok(Self { profiles, mki })
    }
}

/// A u16 list with a two-byte length prefix (supported_groups,
/// signature_algorithms).
///
/// # Errors
/// [`DtlsError::Truncated`] / [`DtlsError::BadLength`].
pub fn parse_u16_list16<'a>(data: &'a [u8], what: &'static str) -> Result<U16List<'a>, DtlsError> {
    let mut r = Reader::new(data, what);
    let list = U16List::new(r.vec16()?, what)?;
    r.finish()?;
    Ok(list)
}

/// The ClientHello's supported_versions list (one-byte length prefix).
///
/// # Errors
/// [`DtlsError::Truncated`] / [`DtlsError::BadLength`].
pub fn parse_supported_versions(data: &[u8]) -> Result<U16List<'_>, DtlsError> {
    let mut r = Reader::new(data, "supported_versions");
    let list = U16List::new(r.vec8()?, "supported_versions")?;
    r.finish()?;
    Ok(list)
}

/// A ClientHello (RFC 6347 §4.2.1: TLS 1.2's plus the cookie).
#[derive(Debug, Clone)]
pub struct ClientHello<'a> {
    /// client_version (0xFEFD for DTLS 1.2, also sent by DTLS 1.3 clients).
    pub client_version: u16,
    /// The client random.
    pub random: [u8; 32],
    /// The legacy session id.
    pub session_id: &'a [u8],
    /// The cookie (empty in the first ClientHello).
    pub cookie: &'a [u8],
    /// Raw cipher suite list.
    pub cipher_suites_raw: &'a [u8],
    /// Compression methods (must include null, 0).
    pub compression_methods: &'a [u8],
    /// The extensions block, without its length prefix.
    pub extensions_raw: &'a [u8],
}

impl<'a> ClientHello<'a> {
    /// Parses a ClientHello body.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`], [`DtlsError::BadLength`] for lengths that
    /// lie, [`DtlsError::IllegalParameter`] for duplicate extensions or no
    /// null compression.
    pub fn parse(body: &'a [u8]) -> Result<Self, DtlsError> {
        let mut r = Reader::new(body, "ClientHello");
        let client_version = r.u16()?;
        let random = r.array()?;
        let session_id = r.vec8()?;
        let cookie = r.vec8()?;
        let cipher_suites_raw = r.vec16()?;
        U16List::new(cipher_suites_raw, "cipher_suites")?;
        let compression_methods = r.vec8()?;
        if !compression_methods.contains(&0) {
            return Err(DtlsError::IllegalParameter("no null compression"));
        }
        let extensions_raw = read_extensions(&mut r)?;
        Ok(Self {
            client_version,
            random,
            session_id,
            cookie,
            cipher_suites_raw,
            compression_methods,
            extensions_raw,
        })
    }

    /// The offered cipher suites in the client's order.
    #[must_use]
    pub fn cipher_suites(&self) -> U16List<'a> {
        U16List {
            chunks: self.cipher_suites_raw.chunks_exact(2),
        }
    }

    /// The extensions.
    #[must_use]
    pub const fn extensions(&self) -> Extensions<'a> {
        Extensions::new(self.extensions_raw)
    }

    /// Writes a ClientHello body.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u16(self.client_version);
        out.extend_from_slice(&self.random);
        out.put_vec(1, self.session_id);
        out.put_vec(1, self.cookie);
        out.put_vec(2, self.cipher_suites_raw);
        out.put_vec(1, self.compression_methods);
        out.put_vec(2, self.extensions_raw);
    }
}

/// A ServerHello.
#[derive(Debug, Clone)]
pub struct ServerHello<'a> {
    /// server_version (0xFEFD).
    pub server_version: u16,
    /// The server random.
    pub random: [u8; 32],
    /// The session id.
    pub session_id: &'a [u8],
    /// The chosen cipher suite.
    pub cipher_suite: u16,
    /// The chosen compression method.
    pub compression_method: u8,
    /// The extensions block, without its length prefix.
    pub extensions_raw: &'a [u8],
}

impl<'a> ServerHello<'a> {
    /// Parses a ServerHello body.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`], [`DtlsError::BadLength`],
    /// [`DtlsError::IllegalParameter`] for duplicate extensions.
    pub fn parse(body: &'a [u8]) -> Result<Self, DtlsError> {
        let mut r = Reader::new(body, "ServerHello");
        let server_version = r.u16()?;
        let random = r.array()?;
        let session_id = r.vec8()?;
        let cipher_suite = r.u16()?;
        let compression_method = r.u8()?;
        let extensions_raw = read_extensions(&mut r)?;
        Ok(Self {
            server_version,
            random,
            session_id,
            cipher_suite,
            compression_method,
            extensions_raw,
        })
    }

    /// The extensions.
    #[must_use]
    pub const fn extensions(&self) -> Extensions<'a> {
        Extensions::new(self.extensions_raw)
    }

    /// Writes a ServerHello body.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u16(self.server_version);
        out.extend_from_slice(&self.random);
        out.put_vec(1, self.session_id);
        out.put_u16(self.cipher_suite);
        out.put_u8(self.compression_method);
        out.put_vec(2, self.extensions_raw);
    }
}

/// A HelloVerifyRequest (RFC 6347 §4.2.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelloVerifyRequest<'a> {
    /// server_version.
    pub server_version: u16,
    /// The cookie the client must echo (at most 255 bytes).
    pub cookie: &'a [u8],
}

impl<'a> HelloVerifyRequest<'a> {
    /// Parses a HelloVerifyRequest body.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`], [`DtlsError::BadLength`].
    pub fn parse(body: &'a [u8]) -> Result<Self, DtlsError> {
        let mut r = Reader::new(body, "HelloVerifyRequest");
        let server_version = r.u16()?;
        let cookie = r.vec8()?;
        r.finish()?;
        Ok(Self {
            server_version,
            cookie,
        })
    }

    /// Writes a HelloVerifyRequest body.
    pub fn write(&self, out: &mut Vec<u8>) {
        out.put_u16(self.server_version);
        out.put_vec(1, self.cookie);
    }
}

/// The certificate list of a Certificate message (RFC 5246 §7.4.2).
#[derive(Debug, Clone)]
pub struct CertificateList<'a> {
    reader: Reader<'a>,
}

impl<'a> CertificateList<'a> {
    /// Parses a Certificate body; iterate for the DER certificates, the
    /// end-entity certificate first.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`], [`DtlsError::BadLength`].
    pub fn parse(body: &'a [u8]) -> Result<Self, DtlsError> {
        let mut r = Reader::new(body, "Certificate");
        let list = r.vec24()?;
        r.finish()?;
        let mut check = Reader::new(list, "Certificate");
        while !check.is_empty() {
            check.vec24()?;
        }
        Ok(Self {
            reader: Reader::new(list, "Certificate"),
        })
    }

    /// Writes a Certificate body holding `certs`.
    pub fn write(certs: &[&[u8]], out: &mut Vec<u8>) {
        let total: usize = certs.iter().map(|c| 3 + c.len()).sum();
        out.put_u24(total as u32);
        for cert in certs {
            out.put_vec(3, cert);
        }
    }
}

impl<'a> Iterator for CertificateList<'a> {
    type Item = &'a [u8];
    fn next(&mut self) -> Option<&'a [u8]> {
        self.reader.vec24().ok()
    }
}

/// ECCurveType named_curve (RFC 8422 §5.4).
pub const CURVE_TYPE_NAMED: u8 = 3;

/// A ServerKeyExchange for ECDHE (RFC 8422 §5.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerKeyExchange<'a> {
    /// The `NamedGroup`.
    pub group: u16,
    /// The server's ephemeral public key.
    pub public_key: &'a [u8],
    /// The signed `ServerECDHParams` bytes (curve type, group, key).
    pub params: &'a [u8],
    /// The `SignatureScheme`.
    pub scheme: u16,
    /// The signature.
    pub signature: &'a [u8],
}

impl<'a> ServerKeyExchange<'a> {
    /// Parses an ECDHE ServerKeyExchange body.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`], [`DtlsError::BadLength`],
    /// [`DtlsError::IllegalParameter`] for a non-named curve type.
    pub fn parse(body: &'a [u8]) -> Result<Self, DtlsError> {
        let mut r = Reader::new(body, "ServerKeyExchange");
        if r.u8()? != CURVE_TYPE_NAMED {
            return Err(DtlsError::IllegalParameter("curve type"));
        }
        let group = r.u16()?;
        let public_key = r.vec8()?;
        let params_len = 4 + public_key.len();
        let params = body
            .get(..params_len)
            .ok_or(DtlsError::Truncated("ServerKeyExchange"))?;
        let scheme = r.u16()?;
        let signature = r.vec16()?;
        r.finish()?;
        Ok(Self {
            group,
            public_key,
            params,
            scheme,
            signature,
        })
    }

    /// The `ServerECDHParams` for `group` and `public_key` (what is signed).
    #[must_use]
    pub fn params_bytes(group: u16, public_key: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(4 + public_key.len());
        out.put_u8(CURVE_TYPE_NAMED);
        out.put_u16(group);
        out.put_vec(1, public_key);
        out
    }

    /// Writes a ServerKeyExchange body.
    pub fn write(params: &[u8], scheme: u16, signature: &[u8], out: &mut Vec<u8>) {
        out.extend_from_slice(params);
        out.put_u16(scheme);
        out.put_vec(2, signature);
    }
}

/// Client certificate type ecdsa_sign (RFC 8422 §5.5).
pub const CERT_TYPE_ECDSA_SIGN: u8 = 64;
/// Client certificate type rsa_sign (RFC 5246 §7.4.4).
pub const CERT_TYPE_RSA_SIGN: u8 = 1;

/// A CertificateRequest (RFC 5246 §7.4.4).
#[derive(Debug, Clone)]
pub struct CertificateRequest<'a> {
    /// Accepted certificate types.
    pub certificate_types: &'a [u8],
    /// Accepted signature schemes.
    pub signature_schemes: U16List<'a>,
}

impl<'a> CertificateRequest<'a> {
    /// Parses a CertificateRequest body.
    ///
    /// # Errors
    /// [`DtlsError::Truncated`], [`DtlsError::BadLength`].
    pub fn parse(body: &'a [u8]) -> Result<Self, DtlsError> {
        let mut r = Reader::new(body, "CertificateRequest");
        let certificate_types = r.vec8()?;
        let signature_schemes = U16List::new(r.vec16()?, "CertificateRequest")?;
        let _authorities = r.vec16()?;
        r.finish()?;
        Ok(Self {
            certificate_types,
            signature_schemes,
        })
    }

    /// Writes a CertificateRequest body with no certificate authorities.
    pub fn write(certificate_types: &[u8], schemes: &[u16], out: &mut Vec<u8>) {
        out.put_vec(1, certificate_types);
        out.put_u16((schemes.len() * 2) as u16);
        for s in schemes {
            out.put_u16(*s);
        }
        out.put_u16(0);
    }
}

/// A ClientKeyExchange for ECDHE: the client's public key (RFC 8422 §5.7).
///
/// # Errors
/// [`DtlsError::Truncated`], [`DtlsError::BadLength`].
pub fn parse_client_key_exchange(body: &[u8]) -> Result<&[u8], DtlsError> {
    let mut r = Reader::new(body, "ClientKeyExchange");
    let key = r.vec8()?;
    r.finish()?;
    Ok(key)
}

/// A digitally-signed struct (CertificateVerify body): scheme and signature.
///
/// # Errors
/// [`DtlsError::Truncated`], [`DtlsError::BadLength`].
pub fn parse_digitally_signed(body: &[u8]) -> Result<(u16, &[u8]), DtlsError> {
    let mut r = Reader::new(body, "CertificateVerify");
    let scheme = r.u16()?;
    let sig = r.vec16()?;
    r.finish()?;
    Ok((scheme, sig))
}

/// Writes the extensions block (without length prefix) of one extension.
pub fn put_extension(out: &mut Vec<u8>, ty: u16, data: &[u8]) {
    out.put_u16(ty);
    out.put_vec(2, data);
}

/// `use_srtp` extension data for `profiles` with an empty MKI.
#[must_use]
pub fn use_srtp_data(profiles: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(3 + 2 * profiles.len());
    out.put_u16((profiles.len() * 2) as u16);
    for p in profiles {
        out.put_u16(*p);
    }
    out.put_u8(0);
    out
}

/// A u16 list with a two-byte length prefix, as extension data.
#[must_use]
pub fn u16_list16_data(values: &[u16]) -> Vec<u8> {
    let mut out = Vec::with_capacity(2 + 2 * values.len());
    out.put_u16((values.len() * 2) as u16);
    for v in values {
        out.put_u16(*v);
    }
    out
}

/// The renegotiation_info data of an initial handshake (RFC 5746 §3.2).
pub const EMPTY_RENEGOTIATION_INFO: [u8; 1] = [0];
/// ec_point_formats data: uncompressed only.
pub const EC_POINT_FORMATS_UNCOMPRESSED: [u8; 2] = [1, 0];
