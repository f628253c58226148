//! The DTLS connection: record processing, flights, retransmission, events
//! (RFC 6347 §4.1, §4.2.4). The role-specific handshake steps live in
//! `client.rs` and `server.rs`.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use rand_chacha::ChaCha20Rng;
use rand_core::{RngCore, SeedableRng};

use crate::crypto::{Digest, EcdheGroup, EcdheKeyPair, PeerPublicKey, fill_random};
use crate::srtp::{DtlsRole, SrtpProfile};

use super::DtlsError;
use super::alert::{self, LEVEL_FATAL, LEVEL_WARNING, description};
use super::config::{DtlsConfig, DtlsEvent, HandshakeSummary};
use super::handshake::{
    FragmentDisposition, HANDSHAKE_HEADER_LEN, HandshakeFragment, HandshakeHeader,
    HandshakeMessage, HandshakeType, Reassembler,
};
use super::keys::{self, GCM_RECORD_OVERHEAD, MASTER_SECRET_LEN, RecordKeys};
use super::record::{
    ContentType, DTLS_1_2, MAX_SEQUENCE_NUMBER, RECORD_HEADER_LEN, Record, RecordHeader, Records,
    ReplayWindow,
};
use super::suite::CipherSuite;

/// Records of the next epoch kept while waiting for ChangeCipherSpec.
const MAX_EARLY_RECORDS: usize = 8;
/// Smallest handshake fragment worth starting in a partly filled datagram.
const MIN_FRAGMENT: usize = 64;

/// Where the handshake stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum State {
    ClientWaitHello,
    ClientWaitCertificate,
    ClientWaitKeyExchange,
    ClientWaitCertificateRequestOrDone,
    ServerWaitHello,
    ServerWaitCertificate,
    ServerWaitKeyExchange,
    ServerWaitCertificateVerify,
    WaitChangeCipherSpec,
    WaitFinished,
    Connected,
    Closed,
    Failed,
}

/// One message of a flight, kept for retransmission.
#[derive(Debug, Clone)]
pub(super) enum FlightItem {
    Handshake {
        msg_type: HandshakeType,
        message_seq: u16,
        body: Vec<u8>,
        epoch: u16,
    },
    ChangeCipherSpec,
}

/// Handshake secrets and choices (dropped state once connected is small).
#[derive(Debug, Default)]
pub(super) struct Negotiation {
    pub(super) client_random: [u8; 32],
    pub(super) server_random: [u8; 32],
    pub(super) suite: Option<CipherSuite>,
    pub(super) srtp_profile: Option<SrtpProfile>,
    pub(super) transcript: Vec<u8>,
    pub(super) cookie: Vec<u8>,
    pub(super) peer_certificate: Option<Vec<u8>>,
    pub(super) peer_key: Option<PeerPublicKey>,
    pub(super) ecdhe: Option<EcdheKeyPair>,
    pub(super) group: Option<EcdheGroup>,
    pub(super) peer_ecdhe_public: Vec<u8>,
    pub(super) certificate_requested: bool,
    pub(super) master_secret: Option<[u8; MASTER_SECRET_LEN]>,
}

/// A DTLS 1.2 client or server connection, driven sans-I/O.
///
/// Feed datagrams with [`handle_read`](Self::handle_read), send what
/// [`poll_write`](Self::poll_write) returns, wake up at
/// [`poll_timeout`](Self::poll_timeout) and call
/// [`handle_timeout`](Self::handle_timeout), and read
/// [`poll_event`](Self::poll_event) for the outcome.
#[derive(Debug)]
pub struct DtlsConnection {
    pub(super) role: DtlsRole,
    pub(super) config: DtlsConfig,
    pub(super) state: State,
    pub(super) neg: Negotiation,
    pub(super) summary: Option<HandshakeSummary>,
    pub(super) keys: Option<RecordKeys>,
    pub(super) next_send_seq: u16,
    pub(super) reassembler: Reassembler,
    pub(super) cookie_secret: [u8; 32],
    /// Every random byte of the handshake comes from here
    /// ([`DtlsConfig::rng_seed`]).
    pub(super) rng: ChaCha20Rng,
    write_epoch: u16,
    write_seq: [u64; 2],
    read_epoch: u16,
    replay: [ReplayWindow; 2],
    early_records: Vec<Vec<u8>>,
    /// The peer's ChangeCipherSpec arrived before the handshake messages
    /// that precede it in its flight.
    early_change_cipher_spec: bool,
    flight: Vec<FlightItem>,
    /// When the current flight last went out (first transmission or
    /// retransmission).
    flight_sent_at: Option<Instant>,
    retransmit_at: Option<Instant>,
    retransmit_timeout: Duration,
    retransmissions: u32,
    outgoing: VecDeque<Vec<u8>>,
    events: VecDeque<DtlsEvent>,
    scratch: Vec<u8>,
}

impl DtlsConnection {
    fn new(role: DtlsRole, config: DtlsConfig, state: State) -> Result<Self, DtlsError> {
        let seed = match config.rng_seed {
            Some(seed) => seed,
            None => {
                let mut seed = [0u8; 32];
                fill_random(&mut seed)?;
                seed
            }
        };
        let mut rng = ChaCha20Rng::from_seed(seed);
        let mut cookie_secret = [0u8; 32];
        rng.fill_bytes(&mut cookie_secret);
        let timeout = config.initial_retransmit_timeout;
        Ok(Self {
            role,
            config,
            state,
            neg: Negotiation::default(),
            summary: None,
            keys: None,
            next_send_seq: 0,
            reassembler: Reassembler::new(),
            cookie_secret,
            rng,
            write_epoch: 0,
            write_seq: [0; 2],
            read_epoch: 0,
            replay: [ReplayWindow::new(); 2],
            early_records: Vec::new(),
            early_change_cipher_spec: false,
            flight: Vec::new(),
            flight_sent_at: None,
            retransmit_at: None,
            retransmit_timeout: timeout,
            retransmissions: 0,
            outgoing: VecDeque::new(),
            events: VecDeque::new(),
            scratch: Vec::new(),
        })
    }

    /// A client; its ClientHello is ready in [`poll_write`](Self::poll_write)
    /// at once.
    ///
    /// # Errors
    /// [`DtlsError::Crypto`] when the system RNG fails.
    pub fn new_client(config: DtlsConfig, now: Instant) -> Result<Self, DtlsError> {
        let mut conn = Self::new(DtlsRole::Client, config, State::ClientWaitHello)?;
        conn.rng.fill_bytes(&mut conn.neg.client_random);
        conn.send_client_hello(now)?;
        Ok(conn)
    }

    /// A server waiting for a ClientHello.
    ///
    /// # Errors
    /// [`DtlsError::Crypto`] when the system RNG fails.
    pub fn new_server(config: DtlsConfig) -> Result<Self, DtlsError> {
        Self::new(DtlsRole::Server, config, State::ServerWaitHello)
    }

    /// Our role.
    #[must_use]
    pub const fn role(&self) -> DtlsRole {
        self.role
    }

    /// Whether the handshake completed and the connection is open.
    #[must_use]
    pub fn is_connected(&self) -> bool {
        self.state == State::Connected
    }

    /// Whether the connection closed or failed.
    #[must_use]
    pub fn is_finished(&self) -> bool {
        matches!(self.state, State::Closed | State::Failed)
    }

    /// What the handshake settled, once connected.
    #[must_use]
    pub const fn handshake_summary(&self) -> Option<&HandshakeSummary> {
        self.summary.as_ref()
    }

    /// RFC 5705 keying material exporter (no context), once connected.
    ///
    /// # Errors
    /// [`DtlsError::NotConnected`] before the handshake completed.
    pub fn export_keying_material(&self, label: &str, len: usize) -> Result<Vec<u8>, DtlsError> {
        let (Some(suite), Some(master)) = (self.neg.suite, self.neg.master_secret.as_ref()) else {
            return Err(DtlsError::NotConnected);
        };
        if self.state != State::Connected {
            return Err(DtlsError::NotConnected);
        }
        keys::export_keying_material(
            suite,
            master,
            &self.neg.client_random,
            &self.neg.server_random,
            label,
            len,
        )
    }

    /// This connection's line of an NSS key log file, as browsers write
    /// with `SSLKEYLOGFILE`: `CLIENT_RANDOM <client random> <master secret>`
    /// in lower-case hex, once the master secret is known. With it,
    /// `zerortc inspect --keylog` (or Wireshark) decrypts a capture of
    /// the connection. It reveals every record's plaintext: for debugging
    /// and tests only, never log it in production.
    #[must_use]
    pub fn key_log_line(&self) -> Option<String> {
        let master = self.neg.master_secret.as_ref()?;
        let mut line = String::with_capacity(14 + 64 + 1 + 96);
        line.push_str("CLIENT_RANDOM ");
        for b in self.neg.client_random {
            line.push_str(&format!("{b:02x}"));
        }
        line.push(' ');
        for b in master {
            line.push_str(&format!("{b:02x}"));
        }
        Some(line)
    }

    /// The next datagram to send.
    pub fn poll_write(&mut self) -> Option<Vec<u8>> {
        self.outgoing.pop_front()
    }

    /// The next event.
    pub fn poll_event(&mut self) -> Option<DtlsEvent> {
        self.events.pop_front()
    }

    /// When [`handle_timeout`](Self::handle_timeout) must be called next.
    #[must_use]
    pub const fn poll_timeout(&self) -> Option<Instant> {
        self.retransmit_at
    }

    /// Retransmits the current flight when its timer expired, doubling the
    /// timeout (RFC 6347 §4.2.4.1); fails after `max_retransmissions`.
    ///
    /// # Errors
    /// [`DtlsError::Timeout`] when the handshake gives up.
    pub fn handle_timeout(&mut self, now: Instant) -> Result<(), DtlsError> {
        let Some(at) = self.retransmit_at else {
            return Ok(());
        };
        if now < at {
            return Ok(());
        }
        self.retransmissions += 1;
        if self.retransmissions > self.config.max_retransmissions {
            self.fail(DtlsError::Timeout);
            return Err(DtlsError::Timeout);
        }
        self.retransmit_timeout =
            (self.retransmit_timeout * 2).min(self.config.max_retransmit_timeout);
        self.retransmit_at = Some(now + self.retransmit_timeout);
        self.transmit_flight_at(now)
    }

    /// Queues `data` as one application data record.
    ///
    /// # Errors
    /// [`DtlsError::NotConnected`] before the handshake completed,
    /// [`DtlsError::Closed`] after, [`DtlsError::BadLength`] beyond 2^14 bytes.
    pub fn send_application_data(&mut self, data: &[u8]) -> Result<(), DtlsError> {
        let mut out = vec![0u8; data.len() + RECORD_HEADER_LEN + GCM_RECORD_OVERHEAD];
        let len = self.seal_application_data(data, &mut out)?;
        out.truncate(len);
        self.outgoing.push_back(out);
        Ok(())
    }

    /// Seals `data` as one application data record into `out` (a datagram
    /// the caller sends itself); returns its length. No allocation.
    ///
    /// # Errors
    /// As [`send_application_data`](Self::send_application_data), plus
    /// [`DtlsError::BufferTooSmall`].
    pub fn seal_application_data(
        &mut self,
        data: &[u8],
        out: &mut [u8],
    ) -> Result<usize, DtlsError> {
        match self.state {
            State::Connected => {}
            State::Closed | State::Failed => return Err(DtlsError::Closed),
            _ => return Err(DtlsError::NotConnected),
        }
        if data.len() > 1 << 14 {
            return Err(DtlsError::BadLength("application data"));
        }
        let header = self.next_header(ContentType::ApplicationData, 1)?;
        let keys = self.keys.as_ref().ok_or(DtlsError::NotConnected)?;
        keys.write.seal(header, data, out)
    }

    /// Zero-copy receive path for an established connection: when
    /// `datagram` is exactly one application-data record of epoch 1, it is
    /// checked against the replay window, authenticated and decrypted in
    /// place, and its plaintext (a slice of `datagram`) returned — no
    /// allocation, no event. Any other datagram goes through
    /// [`handle_read`](Self::handle_read) (events as usual) and `Ok(None)`
    /// is returned.
    ///
    /// # Errors
    /// [`DtlsError::Replayed`], [`DtlsError::DecryptFailed`] (the record is
    /// dropped, the connection unchanged), or what `handle_read` returns.
    pub fn handle_read_in_place<'b>(
        &mut self,
        now: Instant,
        datagram: &'b mut [u8],
    ) -> Result<Option<&'b mut [u8]>, DtlsError> {
        if self.state == State::Connected {
            let single = match Record::parse(datagram) {
                Ok((record, rest))
                    if rest.is_empty()
                        && record.header.content_type == ContentType::ApplicationData
                        && record.header.epoch == 1 =>
                {
                    Some(record.header)
                }
                _ => None,
            };
            if let Some(header) = single {
                if !self.replay[1].check(header.sequence_number) {
                    return Err(DtlsError::Replayed);
                }
                let keys = self.keys.as_ref().ok_or(DtlsError::NotConnected)?;
                let fragment = datagram
                    .get_mut(RECORD_HEADER_LEN..)
                    .ok_or(DtlsError::Truncated("record"))?;
                let plain = keys.read.open_in_place(&header, fragment)?;
                self.replay[1].mark(header.sequence_number);
                return Ok(Some(plain));
            }
        }
        self.handle_read(now, datagram).map(|()| None)
    }

    /// Whether a retransmission of the peer's flight, seen at `now`, gets
    /// our flight again: not when we sent it less than half the initial
    /// retransmission timeout ago. Every datagram of a retransmitted
    /// multi-datagram flight (and every network duplicate) is "old"; were
    /// each answered with our whole flight, the two sides would multiply
    /// each other's flights at every round trip.
    fn answers_retransmission(&self, now: Instant) -> bool {
        self.flight_sent_at.is_none_or(|at| {
            now.saturating_duration_since(at) >= self.config.initial_retransmit_timeout / 2
        })
    }

    /// Sends close_notify and closes the connection.
    pub fn close(&mut self) {
        if matches!(self.state, State::Closed | State::Failed) {
            return;
        }
        self.send_alert(LEVEL_WARNING, description::CLOSE_NOTIFY);
        self.state = State::Closed;
        self.retransmit_at = None;
    }

    /// Processes one received datagram (one or more records).
    ///
    /// A record that does not parse, is replayed, or does not decrypt is
    /// dropped and its error returned after the other records were
    /// processed; the connection state is unchanged by it. A handshake
    /// failure fails the connection (fatal alert queued,
    /// [`DtlsEvent::Failed`]) and is returned.
    ///
    /// # Errors
    /// The first error met, as above; [`DtlsError::Closed`] once closed.
    pub fn handle_read(&mut self, now: Instant, datagram: &[u8]) -> Result<(), DtlsError> {
        if self.is_finished() {
            return Err(DtlsError::Closed);
        }
        let mut dropped = None;
        let mut retransmit = false;
        for record in Records::new(datagram) {
            let result = record.and_then(|r| self.handle_record(now, &r, &mut retransmit));
            if let Err(e) = result {
                if self.is_finished() {
                    return Err(e);
                }
                dropped.get_or_insert(e);
            }
        }
        if retransmit && !self.flight.is_empty() && self.answers_retransmission(now) {
            self.transmit_flight_at(now)?;
        }
        dropped.map_or(Ok(()), Err)
    }

    fn handle_record(
        &mut self,
        now: Instant,
        record: &Record<'_>,
        retransmit: &mut bool,
    ) -> Result<(), DtlsError> {
        let h = record.header;
        match h.epoch {
            0 => {
                if !self.replay[0].check(h.sequence_number) {
                    return Err(DtlsError::Replayed);
                }
                self.replay[0].mark(h.sequence_number);
                self.handle_plaintext(now, h.content_type, 0, record.fragment, retransmit)
            }
            1 if self.read_epoch == 1 => {
                if !self.replay[1].check(h.sequence_number) {
                    return Err(DtlsError::Replayed);
                }
                let mut scratch = core::mem::take(&mut self.scratch);
                scratch.clear();
                scratch.extend_from_slice(record.fragment);
                let result = match self.keys.as_ref() {
                    Some(keys) => keys.read.open_in_place(&h, &mut scratch).map(|p| p.len()),
                    None => Err(DtlsError::UnexpectedEpoch(1)),
                };
                let result = result.and_then(|len| {
                    self.replay[1].mark(h.sequence_number);
                    let plain = scratch.get(8..8 + len).ok_or(DtlsError::DecryptFailed)?;
                    self.handle_plaintext(now, h.content_type, 1, plain, retransmit)
                });
                self.scratch = scratch;
                result
            }
            1 if !self.is_connected() && self.early_records.len() < MAX_EARLY_RECORDS => {
                let mut raw = vec![0u8; RECORD_HEADER_LEN + record.fragment.len()];
                Record::write(h, record.fragment, &mut raw)?;
                self.early_records.push(raw);
                Ok(())
            }
            other => Err(DtlsError::UnexpectedEpoch(other)),
        }
    }

    fn handle_plaintext(
        &mut self,
        now: Instant,
        content_type: ContentType,
        epoch: u16,
        data: &[u8],
        retransmit: &mut bool,
    ) -> Result<(), DtlsError> {
        match content_type {
            ContentType::Handshake => self.handle_handshake_record(now, data, retransmit),
            ContentType::ChangeCipherSpec => {
                if data != [1] {
                    return Err(DtlsError::BadLength("ChangeCipherSpec"));
                }
                match self.state {
                    State::WaitChangeCipherSpec => self.change_cipher_spec(now, retransmit),
                    // The client's flight arrived out of order: its
                    // ChangeCipherSpec overtook the messages before it.
                    // Kept and applied once they are in; dropping it
                    // would cost a retransmission round.
                    State::ServerWaitCertificate
                    | State::ServerWaitKeyExchange
                    | State::ServerWaitCertificateVerify => {
                        self.early_change_cipher_spec = true;
                        Ok(())
                    }
                    _ => Ok(()),
                }
            }
            ContentType::Alert => {
                let [level, desc] = data else {
                    return Err(DtlsError::BadLength("alert"));
                };
                if self.is_connected() && epoch == 0 {
                    // Unauthenticated once keys are in use: ignore.
                    return Ok(());
                }
                if *desc == description::CLOSE_NOTIFY {
                    if self.state == State::Connected {
                        self.send_alert(LEVEL_WARNING, description::CLOSE_NOTIFY);
                    }
                    self.state = State::Closed;
                    self.retransmit_at = None;
                    self.events.push_back(DtlsEvent::Closed);
                    return Err(DtlsError::Closed);
                }
                if *level == LEVEL_FATAL {
                    let error = DtlsError::AlertReceived { description: *desc };
                    self.state = State::Failed;
                    self.retransmit_at = None;
                    self.events.push_back(DtlsEvent::Failed(error.clone()));
                    return Err(error);
                }
                Ok(())
            }
            ContentType::ApplicationData => {
                if self.state == State::Connected && epoch == 1 {
                    self.events
                        .push_back(DtlsEvent::ApplicationData(data.to_vec()));
                    Ok(())
                } else {
                    Err(DtlsError::UnexpectedMessage("application data"))
                }
            }
        }
    }

    /// The peer's ChangeCipherSpec: read epoch 1 from now on, and process
    /// the epoch-1 records that arrived before it.
    fn change_cipher_spec(&mut self, now: Instant, retransmit: &mut bool) -> Result<(), DtlsError> {
        self.early_change_cipher_spec = false;
        self.read_epoch = 1;
        self.state = State::WaitFinished;
        let early = core::mem::take(&mut self.early_records);
        for raw in early {
            if let Ok((record, _)) = Record::parse(&raw) {
                // Bad early records are dropped like any other.
                let result = self.handle_record(now, &record, retransmit);
                if self.is_finished() {
                    return result;
                }
            }
        }
        Ok(())
    }

    fn handle_handshake_record(
        &mut self,
        now: Instant,
        mut data: &[u8],
        retransmit: &mut bool,
    ) -> Result<(), DtlsError> {
        while !data.is_empty() {
            let (fragment, rest) = HandshakeFragment::parse(data)?;
            data = rest;
            match self.reassembler.insert(&fragment)? {
                FragmentDisposition::Old => {
                    // The peer retransmits: our last flight was lost
                    // (RFC 6347 §4.2.4). A connected client has nothing
                    // left to send.
                    let client_done = self.is_connected() && self.role == DtlsRole::Client;
                    *retransmit |= !client_done;
                }
                FragmentDisposition::TooFarAhead => {}
                FragmentDisposition::Buffered => {
                    while let Some(message) = self.reassembler.pop() {
                        if let Err(e) = self.handle_message(now, message) {
                            self.fail(e.clone());
                            return Err(e);
                        }
                        if self.is_finished() {
                            return Ok(());
                        }
                        if self.early_change_cipher_spec
                            && self.state == State::WaitChangeCipherSpec
                        {
                            self.change_cipher_spec(now, retransmit)?;
                            if self.is_finished() {
                                return Ok(());
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    }

    fn handle_message(&mut self, now: Instant, message: HandshakeMessage) -> Result<(), DtlsError> {
        if self.state == State::Connected {
            // A new handshake on an established connection (renegotiation,
            // RFC 5746): refused with a warning alert.
            self.send_alert(LEVEL_WARNING, description::NO_RENEGOTIATION);
            return Ok(());
        }
        match self.role {
            DtlsRole::Client => self.client_handle(now, message),
            DtlsRole::Server => self.server_handle(now, message),
        }
    }

    /// Fails the connection: fatal alert (unless the peer's alert or a
    /// timeout caused it), event, no more timers.
    pub(super) fn fail(&mut self, error: DtlsError) {
        if self.is_finished() {
            return;
        }
        if !matches!(error, DtlsError::AlertReceived { .. } | DtlsError::Timeout) {
            self.send_alert(LEVEL_FATAL, alert::alert_for(&error));
        }
        self.state = State::Failed;
        self.retransmit_at = None;
        self.flight.clear();
        self.events.push_back(DtlsEvent::Failed(error));
    }

    fn send_alert(&mut self, level: u8, desc: u8) {
        let epoch = self.write_epoch;
        let mut datagram = Vec::with_capacity(RECORD_HEADER_LEN + GCM_RECORD_OVERHEAD + 2);
        if self
            .write_record(ContentType::Alert, epoch, &[level, desc], &mut datagram)
            .is_ok()
        {
            self.outgoing.push_back(datagram);
        }
    }

    fn next_header(
        &mut self,
        content_type: ContentType,
        epoch: u16,
    ) -> Result<RecordHeader, DtlsError> {
        let slot = self
            .write_seq
            .get_mut(usize::from(epoch))
            .ok_or(DtlsError::UnexpectedEpoch(epoch))?;
        if *slot > MAX_SEQUENCE_NUMBER {
            return Err(DtlsError::Closed);
        }
        let sequence_number = *slot;
        *slot += 1;
        Ok(RecordHeader {
            content_type,
            version: DTLS_1_2,
            epoch,
            sequence_number,
            length: 0,
        })
    }

    /// Appends one record of `plaintext` (sealed in epoch 1) to `out`.
    fn write_record(
        &mut self,
        content_type: ContentType,
        epoch: u16,
        plaintext: &[u8],
        out: &mut Vec<u8>,
    ) -> Result<(), DtlsError> {
        let header = self.next_header(content_type, epoch)?;
        let start = out.len();
        if epoch == 0 {
            out.resize(start + RECORD_HEADER_LEN + plaintext.len(), 0);
            let dst = out.get_mut(start..).ok_or(DtlsError::BadLength("record"))?;
            Record::write(header, plaintext, dst)?;
        } else {
            out.resize(
                start + RECORD_HEADER_LEN + GCM_RECORD_OVERHEAD + plaintext.len(),
                0,
            );
            let dst = out.get_mut(start..).ok_or(DtlsError::BadLength("record"))?;
            let keys = self.keys.as_ref().ok_or(DtlsError::NotConnected)?;
            keys.write.seal(header, plaintext, dst)?;
        }
        Ok(())
    }

    /// Adds a handshake message we send to the transcript and the flight.
    pub(super) fn push_message(&mut self, msg_type: HandshakeType, body: Vec<u8>, epoch: u16) {
        let message_seq = self.next_send_seq;
        self.next_send_seq = self.next_send_seq.wrapping_add(1);
        let message = HandshakeMessage {
            msg_type,
            message_seq,
            body,
        };
        self.neg
            .transcript
            .extend_from_slice(&message.transcript_bytes());
        self.flight.push(FlightItem::Handshake {
            msg_type,
            message_seq,
            body: message.body,
            epoch,
        });
    }

    /// Adds ChangeCipherSpec to the flight; what follows is sent in epoch 1.
    pub(super) fn push_change_cipher_spec(&mut self) {
        self.flight.push(FlightItem::ChangeCipherSpec);
    }

    /// Starts a new flight (forgetting the previous one).
    pub(super) fn begin_flight(&mut self) {
        self.flight.clear();
    }

    /// Sends the flight built since [`begin_flight`](Self::begin_flight);
    /// with `timer`, retransmits it until the peer answers.
    pub(super) fn send_flight(&mut self, now: Instant, timer: bool) -> Result<(), DtlsError> {
        self.retransmissions = 0;
        self.retransmit_timeout = self.config.initial_retransmit_timeout;
        self.retransmit_at = timer.then(|| now + self.retransmit_timeout);
        self.transmit_flight_at(now)
    }

    /// Stops the retransmission timer (the peer's answer arrived).
    pub(super) fn stop_timer(&mut self) {
        self.retransmit_at = None;
    }

    /// The handshake completed: report it.
    pub(super) fn connected(&mut self, summary: HandshakeSummary) {
        self.state = State::Connected;
        self.retransmit_at = None;
        if self.role == DtlsRole::Client {
            self.flight.clear();
        }
        self.early_records.clear();
        self.summary = Some(summary.clone());
        self.events.push_back(DtlsEvent::Connected(summary));
    }

    pub(super) fn set_write_epoch(&mut self, epoch: u16) {
        self.write_epoch = epoch;
    }

    /// [`transmit_flight`](Self::transmit_flight), noting when.
    fn transmit_flight_at(&mut self, now: Instant) -> Result<(), DtlsError> {
        self.flight_sent_at = Some(now);
        self.transmit_flight()
    }

    /// Fragments and packs the current flight into datagrams of at most
    /// `mtu` bytes (RFC 6347 §4.2.3); every transmission uses fresh record
    /// sequence numbers.
    fn transmit_flight(&mut self) -> Result<(), DtlsError> {
        let mtu = self
            .config
            .mtu
            .max(RECORD_HEADER_LEN + GCM_RECORD_OVERHEAD + HANDSHAKE_HEADER_LEN + MIN_FRAGMENT);
        let flight = core::mem::take(&mut self.flight);
        let mut datagram: Vec<u8> = Vec::with_capacity(mtu);
        let mut result = Ok(());
        for item in &flight {
            match item {
                FlightItem::ChangeCipherSpec => {
                    if datagram.len() + RECORD_HEADER_LEN + 1 > mtu {
                        self.outgoing.push_back(core::mem::take(&mut datagram));
                    }
                    result =
                        self.write_record(ContentType::ChangeCipherSpec, 0, &[1], &mut datagram);
                }
                FlightItem::Handshake {
                    msg_type,
                    message_seq,
                    body,
                    epoch,
                } => {
                    let overhead = RECORD_HEADER_LEN
                        + HANDSHAKE_HEADER_LEN
                        + if *epoch == 0 { 0 } else { GCM_RECORD_OVERHEAD };
                    let mut offset = 0usize;
                    loop {
                        let remaining = body.len() - offset;
                        let room = mtu.saturating_sub(datagram.len() + overhead);
                        if !datagram.is_empty() && room < remaining.clamp(1, MIN_FRAGMENT) {
                            self.outgoing.push_back(core::mem::take(&mut datagram));
                            continue;
                        }
                        let take = remaining.min(room);
                        let chunk = body.get(offset..offset + take).unwrap_or_default();
                        let fragment = HandshakeFragment {
                            header: HandshakeHeader {
                                msg_type: *msg_type,
                                length: body.len() as u32,
                                message_seq: *message_seq,
                                fragment_offset: offset as u32,
                                fragment_length: take as u32,
                            },
                            body: chunk,
                        };
                        let mut plain = vec![0u8; HANDSHAKE_HEADER_LEN + take];
                        fragment.write(&mut plain)?;
                        result = result.and(self.write_record(
                            ContentType::Handshake,
                            *epoch,
                            &plain,
                            &mut datagram,
                        ));
                        offset += take;
                        if offset >= body.len() {
                            break;
                        }
                    }
                }
            }
        }
        if !datagram.is_empty() {
            self.outgoing.push_back(datagram);
        }
        self.flight = flight;
        result
    }

    /// Hash of the transcript so far with the negotiated suite's hash.
    pub(super) fn transcript_hash(&self) -> Result<arrayvec::ArrayVec<u8, 48>, DtlsError> {
        let suite = self
            .neg
            .suite
            .ok_or(DtlsError::UnexpectedMessage("message before ServerHello"))?;
        let mut digest = Digest::new(suite.hash());
        digest.update(&self.neg.transcript);
        let mut out = [0u8; 48];
        let len = digest.finish_into(&mut out)?;
        let mut hash = arrayvec::ArrayVec::new();
        hash.try_extend_from_slice(out.get(..len).unwrap_or_default())
            .map_err(|_| DtlsError::BadLength("hash"))?;
        Ok(hash)
    }

    /// Adds a received message to the transcript.
    pub(super) fn record_received(&mut self, message: &HandshakeMessage) {
        self.neg
            .transcript
            .extend_from_slice(&message.transcript_bytes());
    }

    /// The summary reported at the end of the handshake.
    pub(super) fn build_summary(&self) -> Result<HandshakeSummary, DtlsError> {
        let suite = self.neg.suite.ok_or(DtlsError::NotConnected)?;
        let master = self
            .neg
            .master_secret
            .as_ref()
            .ok_or(DtlsError::NotConnected)?;
        let srtp_keying_material = match self.neg.srtp_profile {
            Some(profile) => Some(keys::export_keying_material(
                suite,
                master,
                &self.neg.client_random,
                &self.neg.server_random,
                crate::srtp::DTLS_SRTP_EXPORTER_LABEL,
                profile.keying_material_len(),
            )?),
            None => None,
        };
        Ok(HandshakeSummary {
            cipher_suite: suite,
            srtp_profile: self.neg.srtp_profile,
            srtp_keying_material,
            peer_certificate: self.neg.peer_certificate.clone().unwrap_or_default(),
        })
    }
}
