//! The few header fields SRTP needs, read without a full parse: SRTP must
//! not look at RTP padding (it is encrypted) and must be cheap.

use super::SrtpError;
use super::cipher::RTCP_HEADER_LEN;

const RTP_FIXED_HEADER_LEN: usize = crate::rtp::FIXED_HEADER_LEN;

fn version_2(first: u8) -> Result<(), SrtpError> {
    match first >> 6 {
        2 => Ok(()),
        v => Err(SrtpError::BadVersion(v)),
    }
}

/// SSRC, sequence number and header length (fixed header, CSRCs, header
/// extension) of the RTP packet `packet` (RFC 3550 §5.1, §5.3.1).
pub(crate) fn rtp_fields(packet: &[u8]) -> Result<(u32, u16, usize), SrtpError> {
    let Some((fixed, _)) = packet.split_first_chunk::<RTP_FIXED_HEADER_LEN>() else {
        return Err(SrtpError::TooShort {
            needed: RTP_FIXED_HEADER_LEN,
            got: packet.len(),
        });
    };
    version_2(fixed[0])?;
    let seq = u16::from_be_bytes([fixed[2], fixed[3]]);
    let ssrc = u32::from_be_bytes([fixed[8], fixed[9], fixed[10], fixed[11]]);
    let mut header_len = RTP_FIXED_HEADER_LEN + 4 * usize::from(fixed[0] & 0x0f);
    if fixed[0] & 0x10 != 0 {
        let Some(&[_, _, hi, lo]) = packet.get(header_len..header_len + 4) else {
            return Err(SrtpError::TooShort {
                needed: header_len + 4,
                got: packet.len(),
            });
        };
        header_len += 4 + 4 * usize::from(u16::from_be_bytes([hi, lo]));
    }
    if header_len > packet.len() {
        return Err(SrtpError::TooShort {
            needed: header_len,
            got: packet.len(),
        });
    }
    Ok((ssrc, seq, header_len))
}

/// Sender SSRC of the first packet of an RTCP compound (RFC 3550 §6.4).
pub(crate) fn rtcp_ssrc(packet: &[u8]) -> Result<u32, SrtpError> {
    let Some((fixed, _)) = packet.split_first_chunk::<RTCP_HEADER_LEN>() else {
        return Err(SrtpError::TooShort {
            needed: RTCP_HEADER_LEN,
            got: packet.len(),
        });
    };
    version_2(fixed[0])?;
    Ok(u32::from_be_bytes([fixed[4], fixed[5], fixed[6], fixed[7]]))
}
