//! SCTP over DTLS 1.2 in memory (RFC 8261): the glue the lab uses until
//! the peer connection carries it. Every SCTP packet one association
//! writes is sealed by its side's [`DtlsConnection`] as one application
//! data record (`seal_application_data`, into a reused buffer), opened in
//! place by the other side's (`handle_read_in_place`) and handed to the
//! other association: no allocation per packet.

use std::time::{Duration, Instant};

use zerortc::dtls::{CipherSuite, DtlsConnection, DtlsError};
use zerortc::sctp::{Association, SctpError};

use super::sctp::{SctpChannel, SctpLink, SctpPair, Wire};
use super::{DTLS_DATAGRAM_LEN, DtlsPair};
use crate::dtls_inputs::DtlsCertificates;

/// Why a packet did not make it through SCTP over DTLS.
#[derive(Debug)]
pub enum SctpDtlsError {
    /// The SCTP association refused something.
    Sctp(SctpError),
    /// DTLS refused to seal or open a record.
    Dtls(DtlsError),
    /// A record was not taken by the in-place path (not a single epoch-1
    /// application data record: never the case once connected).
    NotApplicationData,
}

impl From<SctpError> for SctpDtlsError {
    fn from(e: SctpError) -> Self {
        SctpDtlsError::Sctp(e)
    }
}

impl From<DtlsError> for SctpDtlsError {
    fn from(e: DtlsError) -> Self {
        SctpDtlsError::Dtls(e)
    }
}

/// A connected DTLS client (A's side) and server (B's side), and the
/// buffer records are sealed into.
#[derive(Debug)]
pub struct DtlsWire {
    /// A's DTLS endpoint (the DTLS client).
    pub a: DtlsConnection,
    /// B's DTLS endpoint (the DTLS server).
    pub b: DtlsConnection,
    record: Vec<u8>,
    records: u64,
    record_bytes: u64,
}

impl DtlsWire {
    /// A connected pair for `suite` (seeded certificates and RNGs, no
    /// cookie exchange, handshake outside anything measured).
    pub fn connected(suite: CipherSuite) -> Self {
        let pair = DtlsPair::connected(&DtlsCertificates::seeded(), suite);
        Self {
            a: pair.client,
            b: pair.server,
            record: vec![0; DTLS_DATAGRAM_LEN.max(1500)],
            records: 0,
            record_bytes: 0,
        }
    }

    /// Records carried so far (both directions).
    pub fn records(&self) -> u64 {
        self.records
    }

    /// Bytes of the records carried so far (headers, nonces and tags
    /// included).
    pub fn record_bytes(&self) -> u64 {
        self.record_bytes
    }
}

impl Wire for DtlsWire {
    type Error = SctpDtlsError;

    fn carry(
        &mut self,
        now: Instant,
        a_to_b: bool,
        packet: &[u8],
        to: &mut Association,
    ) -> Result<(), SctpDtlsError> {
        let (tx, rx) = if a_to_b {
            (&mut self.a, &mut self.b)
        } else {
            (&mut self.b, &mut self.a)
        };
        let n = tx.seal_application_data(packet, &mut self.record)?;
        self.records += 1;
        self.record_bytes += n as u64;
        let record = self.record.get_mut(..n).unwrap_or_default();
        match rx.handle_read_in_place(now, record)? {
            Some(plain) => Ok(to.handle_receive(now, plain)?),
            None => Err(SctpDtlsError::NotApplicationData),
        }
    }
}

/// Two associations over DTLS 1.2 with `suite`, connected and warmed up
/// like [`SctpPair::established`](super::SctpPair::established); both offer RFC 9653 zero checksum
/// when `zero_checksum` (what a WebRTC stack does over DTLS), otherwise
/// every packet carries a CRC32c as well.
pub fn sctp_over_dtls(
    suite: CipherSuite,
    zero_checksum: bool,
    channel: SctpChannel,
    size: usize,
) -> Result<SctpLink<DtlsWire>, SctpDtlsError> {
    SctpLink::with_wire(DtlsWire::connected(suite), zero_checksum, channel, size)
}

/// What the suites need from a pair of associations, whichever stack
/// implements them (zerortc alone, zerortc over DTLS, and the peers of
/// `zerortc_benches::peers_sctp`): the examples and the `peers` suite
/// drive them all through it.
pub trait SctpWorkload {
    /// Sends `count` messages from A and moves packets until B delivered
    /// them all; returns the bytes delivered.
    fn transfer(&mut self, count: u64) -> u64;
    /// Wall-clock time from A's send of one message to its delivery by B
    /// on an idle pair; then, untimed, lets the SACK come back.
    fn one_way(&mut self) -> Duration;
    /// Messages B delivered so far.
    fn received(&self) -> u64;
}

impl SctpWorkload for SctpPair {
    fn transfer(&mut self, count: u64) -> u64 {
        SctpPair::transfer(self, count).expect("zerortc transfer")
    }
    fn one_way(&mut self) -> Duration {
        SctpPair::one_way(self).expect("zerortc one-way")
    }
    fn received(&self) -> u64 {
        SctpPair::received(self)
    }
}

impl SctpWorkload for SctpLink<DtlsWire> {
    fn transfer(&mut self, count: u64) -> u64 {
        SctpLink::transfer(self, count).expect("zerortc transfer over DTLS")
    }
    fn one_way(&mut self) -> Duration {
        SctpLink::one_way(self).expect("zerortc one-way over DTLS")
    }
    fn received(&self) -> u64 {
        SctpLink::received(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ops::SCTP_SIZES;

    #[test]
    fn every_channel_and_size_delivers_every_byte_over_dtls() {
        for zero_checksum in [true, false] {
            for channel in SctpChannel::ALL {
                for (_, size) in SCTP_SIZES {
                    let mut pair = sctp_over_dtls(
                        CipherSuite::EcdheEcdsaAes128GcmSha256,
                        zero_checksum,
                        channel,
                        size,
                    )
                    .expect("pair connects over DTLS");
                    assert_eq!(pair.sender().sends_zero_checksum(), zero_checksum);
                    let records = pair.wire().records();
                    let bytes = pair.transfer(50).expect("transfer");
                    assert_eq!(bytes, 50 * size as u64);
                    assert_eq!(pair.received(), 250);
                    // Every packet went through DTLS: at least one record
                    // per 1200-byte packet of payload.
                    let min_records = (50 * size as u64).div_ceil(1200);
                    assert!(pair.wire().records() - records >= min_records);
                }
            }
        }
    }

    #[test]
    fn one_way_latency_delivers_one_message_each() {
        let mut pair = SctpPair::established(SctpChannel::ReliableOrdered, 1024).expect("pair");
        let mut over = sctp_over_dtls(
            CipherSuite::EcdheEcdsaAes128GcmSha256,
            true,
            SctpChannel::ReliableOrdered,
            1024,
        )
        .expect("pair over DTLS");
        for i in 1..=50 {
            pair.one_way().expect("one way");
            over.one_way().expect("one way over DTLS");
            assert_eq!(pair.received(), 200 + i);
            assert_eq!(over.received(), 200 + i);
            assert_eq!(pair.sender().send_buffer_used(), 0);
            assert_eq!(over.sender().send_buffer_used(), 0);
        }
    }
}
