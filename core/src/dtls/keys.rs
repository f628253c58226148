//! Key derivation (RFC 5246 §6.3, §7.4.9, §8.1; RFC 7627 §4; RFC 5705 §4)
//! and AES-GCM record protection (RFC 5288 §3, RFC 6347 §4.1.2.1).

use crate::crypto::{AEAD_NONCE_LEN, AEAD_TAG_LEN, AeadKey, tls12_prf};

use super::DtlsError;
use super::record::{RECORD_HEADER_LEN, RecordHeader};
use super::suite::CipherSuite;

/// Length of the master secret.
pub const MASTER_SECRET_LEN: usize = 48;
/// Length of Finished verify_data.
pub const VERIFY_DATA_LEN: usize = 12;
/// Bytes an AES-GCM record adds to its plaintext: explicit nonce + tag.
pub const GCM_RECORD_OVERHEAD: usize = 8 + AEAD_TAG_LEN;

/// The master secret with extended_master_secret (RFC 7627 §4):
/// `PRF(pre_master_secret, "extended master secret", session_hash)`.
///
/// # Errors
/// [`DtlsError::Crypto`] on a backend failure.
pub fn extended_master_secret(
    suite: CipherSuite,
    pre_master: &[u8],
    session_hash: &[u8],
) -> Result<[u8; MASTER_SECRET_LEN], DtlsError> {
    let mut out = [0u8; MASTER_SECRET_LEN];
    tls12_prf(
        suite.hash(),
        pre_master,
        b"extended master secret",
        &[session_hash],
        &mut out,
    )?;
    Ok(out)
}

/// Finished verify_data: `PRF(master, label, Hash(handshake_messages))[..12]`.
///
/// # Errors
/// [`DtlsError::Crypto`] on a backend failure.
pub fn verify_data(
    suite: CipherSuite,
    master: &[u8; MASTER_SECRET_LEN],
    label: &[u8],
    transcript_hash: &[u8],
) -> Result<[u8; VERIFY_DATA_LEN], DtlsError> {
    let mut out = [0u8; VERIFY_DATA_LEN];
    tls12_prf(suite.hash(), master, label, &[transcript_hash], &mut out)?;
    Ok(out)
}

/// RFC 5705 exporter without context:
/// `PRF(master, label, client_random + server_random)`, `len` bytes.
///
/// # Errors
/// [`DtlsError::Crypto`] on a backend failure.
pub fn export_keying_material(
    suite: CipherSuite,
    master: &[u8; MASTER_SECRET_LEN],
    client_random: &[u8; 32],
    server_random: &[u8; 32],
    label: &str,
    len: usize,
) -> Result<Vec<u8>, DtlsError> {
    let mut out = vec![0u8; len];
    tls12_prf(
        suite.hash(),
        master,
        label.as_bytes(),
        &[client_random, server_random],
        &mut out,
    )?;
    Ok(out)
}

/// One direction of AES-GCM record protection: key and 4-byte implicit salt.
#[derive(Debug)]
pub struct RecordCipher {
    key: AeadKey,
    salt: [u8; 4],
}

impl RecordCipher {
    fn nonce(&self, explicit: &[u8; 8]) -> [u8; AEAD_NONCE_LEN] {
        let [a, b, c, d] = self.salt;
        let [e, f, g, h, i, j, k, l] = *explicit;
        [a, b, c, d, e, f, g, h, i, j, k, l]
    }

    fn aad(header: &RecordHeader, plaintext_len: usize) -> [u8; RECORD_HEADER_LEN] {
        let [s0, s1, s2, s3, s4, s5, s6, s7] = header.epoch_and_sequence();
        let [v0, v1] = header.version.to_be_bytes();
        let [l0, l1] = (plaintext_len as u16).to_be_bytes();
        [
            s0,
            s1,
            s2,
            s3,
            s4,
            s5,
            s6,
            s7,
            header.content_type as u8,
            v0,
            v1,
            l0,
            l1,
        ]
    }

    /// Writes the protected record (header, explicit nonce, ciphertext,
    /// tag) of `plaintext` into `out`; returns its length. The explicit
    /// nonce is the record's epoch and sequence number, unique per key.
    ///
    /// # Errors
    /// [`DtlsError::BufferTooSmall`], [`DtlsError::BadLength`],
    /// [`DtlsError::Crypto`].
    pub fn seal(
        &self,
        header: RecordHeader,
        plaintext: &[u8],
        out: &mut [u8],
    ) -> Result<usize, DtlsError> {
        let fragment_len = plaintext.len() + GCM_RECORD_OVERHEAD;
        let length = u16::try_from(fragment_len).map_err(|_| DtlsError::BadLength("record"))?;
        let needed = RECORD_HEADER_LEN + fragment_len;
        let dst = out
            .get_mut(..needed)
            .ok_or(DtlsError::BufferTooSmall { needed })?;
        let header = RecordHeader { length, ..header };
        let (head, rest) = dst.split_at_mut(RECORD_HEADER_LEN);
        header.write(head)?;
        let (explicit, rest) = rest
            .split_at_mut_checked(8)
            .ok_or(DtlsError::BufferTooSmall { needed })?;
        let seq = header.epoch_and_sequence();
        explicit.copy_from_slice(&seq);
        let (body, tag_out) = rest
            .split_at_mut_checked(plaintext.len())
            .ok_or(DtlsError::BufferTooSmall { needed })?;
        body.copy_from_slice(plaintext);
        let tag = self.key.seal_in_place(
            &self.nonce(&seq),
            &Self::aad(&header, plaintext.len()),
            body,
        )?;
        tag_out.copy_from_slice(&tag);
        Ok(needed)
    }

    /// Authenticates and decrypts a record fragment in place; returns the
    /// plaintext's range within `fragment`.
    ///
    /// # Errors
    /// [`DtlsError::BadLength`] for a fragment shorter than nonce + tag,
    /// [`DtlsError::DecryptFailed`] when the tag does not verify.
    pub fn open_in_place<'b>(
        &self,
        header: &RecordHeader,
        fragment: &'b mut [u8],
    ) -> Result<&'b mut [u8], DtlsError> {
        let (explicit, rest) = fragment
            .split_at_mut_checked(8)
            .ok_or(DtlsError::BadLength("protected record"))?;
        let body_len = rest
            .len()
            .checked_sub(AEAD_TAG_LEN)
            .ok_or(DtlsError::BadLength("protected record"))?;
        let (body, tag) = rest
            .split_at_mut_checked(body_len)
            .ok_or(DtlsError::BadLength("protected record"))?;
        let explicit: [u8; 8] = (&*explicit)
            .try_into()
            .map_err(|_| DtlsError::BadLength("protected record"))?;
        let tag: [u8; AEAD_TAG_LEN] = (&*tag)
            .try_into()
            .map_err(|_| DtlsError::BadLength("protected record"))?;
        self.key
            .open_in_place(
                &self.nonce(&explicit),
                &Self::aad(header, body_len),
                body,
                &tag,
            )
            .map_err(|_| DtlsError::DecryptFailed)?;
        Ok(body)
    }
}

/// Both directions' record ciphers derived from the master secret.
#[derive(Debug)]
pub struct RecordKeys {
    /// What we seal with.
    pub write: RecordCipher,
    /// What we open with.
    pub read: RecordCipher,
}

impl RecordKeys {
    /// Key expansion (RFC 5246 §6.3) for AES-GCM: client key, server key,
    /// client salt, server salt from
    /// `PRF(master, "key expansion", server_random + client_random)`.
    ///
    /// # Errors
    /// [`DtlsError::Crypto`] on a backend failure.
    pub fn derive(
        suite: CipherSuite,
        master: &[u8; MASTER_SECRET_LEN],
        client_random: &[u8; 32],
        server_random: &[u8; 32],
        is_client: bool,
    ) -> Result<Self, DtlsError> {
        let key_len = suite.aead().key_len();
        let mut block = [0u8; 2 * 32 + 2 * 4];
        let total = 2 * key_len + 8;
        let block = block
            .get_mut(..total)
            .ok_or(DtlsError::BadLength("key block"))?;
        tls12_prf(
            suite.hash(),
            master,
            b"key expansion",
            &[server_random, client_random],
            block,
        )?;
        let bad = DtlsError::BadLength("key block");
        let (client_key, rest) = block.split_at_checked(key_len).ok_or(bad.clone())?;
        let (server_key, rest) = rest.split_at_checked(key_len).ok_or(bad.clone())?;
        let (client_salt, server_salt) = rest.split_at_checked(4).ok_or(bad.clone())?;
        let make = |key: &[u8], salt: &[u8]| -> Result<RecordCipher, DtlsError> {
            Ok(RecordCipher {
                key: AeadKey::new(suite.aead(), key)?,
                salt: salt
                    .try_into()
                    .map_err(|_| DtlsError::BadLength("key block"))?,
            })
        };
        let client = make(client_key, client_salt)?;
        let server = make(server_key, server_salt)?;
        Ok(if is_client {
            Self {
                write: client,
                read: server,
            }
        } else {
            Self {
                write: server,
                read: client,
            }
        })
    }
}
