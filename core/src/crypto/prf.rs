//! The TLS 1.2 pseudo-random function (RFC 5246 §5): `P_SHA256` or
//! `P_SHA384` over HMAC, used by DTLS 1.2 for the master secret, key
//! expansion, Finished and the RFC 5705 exporter.

use super::{CryptoError, DigestAlgorithm, HmacKey};

/// `PRF(secret, label, seed)` written over the whole of `out`
/// (`P_hash(secret, label + seed)` with the suite's hash).
///
/// # Errors
/// [`CryptoError::Backend`] only if the HMAC backend misbehaves.
pub fn tls12_prf(
    hash: DigestAlgorithm,
    secret: &[u8],
    label: &[u8],
    seeds: &[&[u8]],
    out: &mut [u8],
) -> Result<(), CryptoError> {
    let key = HmacKey::new(hash, secret);
    let len = hash.output_len();
    // A(1) = HMAC(secret, label + seed); A(i) = HMAC(secret, A(i-1)).
    let mut a = [0u8; 64];
    let mut parts: arrayvec::ArrayVec<&[u8], 8> = arrayvec::ArrayVec::new();
    parts.push(label);
    for seed in seeds {
        parts.try_push(seed).map_err(|_| CryptoError::Backend)?;
    }
    key.sign_into(&parts, &mut a)?;
    for chunk in out.chunks_mut(len) {
        let mut next = [0u8; 64];
        {
            let a_cur = a.get(..len).ok_or(CryptoError::Backend)?;
            let mut block = [0u8; 64];
            let mut block_parts: arrayvec::ArrayVec<&[u8], 9> = arrayvec::ArrayVec::new();
            block_parts.push(a_cur);
            block_parts.push(label);
            for seed in seeds {
                block_parts
                    .try_push(seed)
                    .map_err(|_| CryptoError::Backend)?;
            }
            key.sign_into(&block_parts, &mut block)?;
            let src = block.get(..chunk.len()).ok_or(CryptoError::Backend)?;
            chunk.copy_from_slice(src);
            key.sign_into(&[a_cur], &mut next)?;
        }
        a = next;
    }
    Ok(())
}
