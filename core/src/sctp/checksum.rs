//! The CRC32c checksum of SCTP packets (RFC 9260 §6.8 and Appendix B,
//! RFC 3309), computed with the `crc32c` crate (SSE4.2 / ARMv8 CRC
//! instructions when the CPU has them, a table otherwise).

/// Offset of the checksum field in the common header.
pub const CHECKSUM_OFFSET: usize = 8;

/// CRC32c of an SCTP packet, computed as if its checksum field were zero.
///
/// `packet` must hold at least the 12-byte common header; shorter input
/// gives the CRC of what is there. The result goes on the wire in
/// little-endian byte order (see [`write_checksum`]), as RFC 9260
/// Appendix B and every deployed implementation do.
pub fn packet_crc32c(packet: &[u8]) -> u32 {
    let (head, rest) = packet.split_at(packet.len().min(CHECKSUM_OFFSET));
    let crc = crc32c::crc32c(head);
    if rest.len() < 4 {
        return crc;
    }
    let crc = crc32c::crc32c_append(crc, &[0u8; 4]);
    crc32c::crc32c_append(crc, rest.get(4..).unwrap_or_default())
}

/// The checksum carried by a packet (little-endian, see [`packet_crc32c`]),
/// or `None` when the packet is shorter than the common header.
pub fn read_checksum(packet: &[u8]) -> Option<u32> {
    let b = packet.get(CHECKSUM_OFFSET..CHECKSUM_OFFSET + 4)?;
    let b: [u8; 4] = b.try_into().ok()?;
    Some(u32::from_le_bytes(b))
}

/// Computes the checksum of `packet` and stores it in its common header.
/// Does nothing when the packet is shorter than the common header.
pub fn write_checksum(packet: &mut [u8]) {
    let crc = packet_crc32c(packet);
    if let Some(field) = packet.get_mut(CHECKSUM_OFFSET..CHECKSUM_OFFSET + 4) {
        field.copy_from_slice(&crc.to_le_bytes());
    }
}

/// True when the checksum carried by `packet` matches its content.
pub fn verify_checksum(packet: &[u8]) -> bool {
    read_checksum(packet).is_some_and(|found| found == packet_crc32c(packet))
}
