//! [`Association::handle_receive`]: verification tags, the handshake
//! (RFC 9260 §5), and the dispatch of every chunk of a packet.

use std::time::Instant;

use super::*;

impl Association {
    /// Processes one received SCTP packet.
    ///
    /// A malformed packet, a bad checksum, wrong ports or a wrong
    /// verification tag give an error and change nothing (RFC 9260 §8.5);
    /// chunks before a malformed chunk in the same packet are processed.
    pub fn handle_receive(&mut self, now: Instant, packet: &[u8]) -> Result<(), SctpError> {
        let p = SctpPacket::parse_checked(packet, self.config.zero_checksum)?;
        if p.destination_port() != self.config.local_port
            || p.source_port() != self.config.remote_port
        {
            return Err(SctpError::InvalidField("port"));
        }
        let vtag = p.verification_tag();
        let mut chunks = p.chunks().peekable();
        let Some(first) = chunks.peek().copied().transpose()? else {
            return Ok(());
        };
        // RFC 9260 §8.5.1: the exceptions to the verification tag rule.
        match first.chunk_type {
            chunk_type::INIT => {
                if vtag != 0 {
                    return Err(SctpError::InvalidField("verification tag"));
                }
                if let ChunkView::Init(init) = first.decode()? {
                    self.on_init(now, &init);
                }
                return Ok(());
            }
            chunk_type::COOKIE_ECHO => {
                if let ChunkView::CookieEcho(cookie) = first.decode()?
                    && !self.on_cookie_echo(now, vtag, cookie)
                {
                    return Err(SctpError::InvalidField("state cookie"));
                }
                chunks.next();
            }
            chunk_type::ABORT | chunk_type::SHUTDOWN_COMPLETE => {
                let t_bit = first.flags & super::super::chunk::FLAG_T != 0;
                let ok = self.state != AssociationState::Closed
                    && if t_bit {
                        vtag == self.peer_tag && self.peer_tag != 0
                    } else {
                        vtag == self.local_tag
                    };
                if !ok {
                    return Err(SctpError::InvalidField("verification tag"));
                }
            }
            _ => {
                if vtag != self.local_tag || self.state == AssociationState::Closed {
                    return Err(SctpError::InvalidField("verification tag"));
                }
            }
        }
        let mut had_data = false;
        let mut immediate = false;
        let mut result = Ok(());
        for chunk in chunks {
            let chunk = match chunk.and_then(|c| c.decode().map(|v| (c, v))) {
                Ok(c) => c,
                Err(e) => {
                    result = Err(e);
                    break;
                }
            };
            let (raw, view) = chunk;
            match view {
                ChunkView::Data(d) => {
                    if !matches!(
                        self.state,
                        AssociationState::Established
                            | AssociationState::ShutdownPending
                            | AssociationState::ShutdownSent
                    ) {
                        continue;
                    }
                    had_data = true;
                    immediate |= d.immediate();
                    if d.stream_id >= self.in_streams {
                        self.invalid_stream(d.stream_id, d.tsn);
                        continue;
                    }
                    if let Some(r) = self.receiver.as_mut() {
                        // A duplicate, or a chunk dropped for want of room
                        // (RFC 9260 §6.2: the SACK showing the closed window
                        // goes at once), is acknowledged without delay.
                        if r.on_data(&d, &mut self.pool) != Accepted::New {
                            immediate = true;
                        }
                        self.events.extend(r.ready.drain(..).map(Event::Message));
                    }
                }
                ChunkView::Sack(s) => {
                    self.on_sack(now, s.cumulative_tsn_ack, s.a_rwnd, s.gap_blocks())
                }
                ChunkView::InitAck(init) => self.on_init_ack(now, &init),
                ChunkView::CookieAck => {
                    if self.state == AssociationState::CookieEchoed {
                        if let Some(sent) = self.t1_sent.take() {
                            self.rto.sample(now.saturating_duration_since(sent));
                        }
                        self.t1 = None;
                        self.peer_cookie.clear();
                        self.establish(now);
                    }
                }
                ChunkView::Heartbeat(value) => {
                    let tag = self.peer_tag;
                    let z = self.sends_zero_checksum();
                    self.push_control(tag, z, |w| w.heartbeat_ack(value));
                }
                ChunkView::HeartbeatAck(_) => {
                    if let Some(info) = view.heartbeat_info() {
                        self.on_heartbeat_ack(now, info);
                    }
                }
                ChunkView::Abort { .. } => {
                    self.close(Event::Aborted(AbortReason::Peer));
                    return Ok(());
                }
                ChunkView::Error(_) => {}
                ChunkView::Shutdown(cum) => self.on_shutdown(now, cum),
                ChunkView::ShutdownAck => {
                    if matches!(
                        self.state,
                        AssociationState::ShutdownSent | AssociationState::ShutdownAckSent
                    ) {
                        let tag = self.peer_tag;
                        let z = self.sends_zero_checksum();
                        self.push_control(tag, z, |w| w.shutdown_complete(false));
                        self.close(Event::Closed);
                        return Ok(());
                    }
                }
                ChunkView::ShutdownComplete { .. } => {
                    if self.state == AssociationState::ShutdownAckSent {
                        self.close(Event::Closed);
                        return Ok(());
                    }
                }
                ChunkView::CookieEcho(_) | ChunkView::Init(_) => {}
                ChunkView::ForwardTsn(f) => {
                    if let Some(r) = self.receiver.as_mut() {
                        r.on_forward_tsn(f.new_cumulative_tsn, f.streams(), &mut self.pool);
                        self.events.extend(r.ready.drain(..).map(Event::Message));
                    }
                    had_data = true;
                    immediate = true;
                }
                ChunkView::ReConfig(_) => {
                    for param in view.reconfig_params() {
                        self.on_reconfig_param(now, param);
                    }
                }
                ChunkView::IData(d) if self.uses_i_data() => {
                    if !matches!(
                        self.state,
                        AssociationState::Established
                            | AssociationState::ShutdownPending
                            | AssociationState::ShutdownSent
                    ) {
                        continue;
                    }
                    had_data = true;
                    immediate |= d.flags & super::super::chunk::FLAG_IMMEDIATE != 0;
                    if d.stream_id >= self.in_streams {
                        self.invalid_stream(d.stream_id, d.tsn);
                        continue;
                    }
                    if let Some(r) = self.receiver.as_mut() {
                        // A duplicate, or a chunk dropped for want of room
                        // (RFC 9260 §6.2: the SACK showing the closed window
                        // goes at once), is acknowledged without delay.
                        if r.on_i_data(&d, &mut self.pool) != Accepted::New {
                            immediate = true;
                        }
                        self.events.extend(r.ready.drain(..).map(Event::Message));
                    }
                }
                ChunkView::IForwardTsn(f) if self.uses_i_data() => {
                    if let Some(r) = self.receiver.as_mut() {
                        r.on_i_forward_tsn(f.new_cumulative_tsn, f.entries(), &mut self.pool);
                        self.events.extend(r.ready.drain(..).map(Event::Message));
                    }
                    had_data = true;
                    immediate = true;
                }
                // Not negotiated: treated as unknown (reported, skipped).
                ChunkView::IData(_) | ChunkView::IForwardTsn(_) => self.on_unknown(raw),
                ChunkView::Unknown(_) => {
                    self.on_unknown(raw);
                    if !UnknownAction::for_chunk_type(raw.chunk_type).continues() {
                        break;
                    }
                }
            }
        }
        if had_data {
            self.unacked_packets += 1;
            let gaps = self
                .receiver
                .as_ref()
                .is_some_and(|r| r.has_gaps() || r.has_dups());
            if immediate
                || gaps
                || self.unacked_packets >= 2
                || self.state != AssociationState::Established
            {
                self.ack_due = true;
            } else if self.ack_deadline.is_none() {
                self.ack_deadline = now.checked_add(self.config.delayed_ack);
            }
            self.try_deferred_reset(now);
        }
        result
    }

    /// RFC 9260 §6.5: DATA on a stream that does not exist is
    /// acknowledged, dropped and reported with an ERROR.
    fn invalid_stream(&mut self, stream_id: u16, tsn: u32) {
        if let Some(r) = self.receiver.as_mut() {
            r.skip_tsn(tsn);
        }
        let mut v = [0u8; 4];
        v[..2].copy_from_slice(&stream_id.to_be_bytes());
        let tag = self.peer_tag;
        let z = self.sends_zero_checksum();
        self.push_control(tag, z, |w| w.error(cause::INVALID_STREAM_IDENTIFIER, &v));
    }

    fn on_unknown(&mut self, raw: RawChunk<'_>) {
        if !UnknownAction::for_chunk_type(raw.chunk_type).reports() || self.peer_tag == 0 {
            return;
        }
        let tag = self.peer_tag;
        let z = self.sends_zero_checksum();
        let value = raw
            .value
            .get(..raw.value.len().min(self.config.mtu / 2))
            .unwrap_or_default();
        let len = u16::try_from(4 + value.len()).unwrap_or(u16::MAX);
        self.push_control(tag, z, |w| {
            let mut head = [raw.chunk_type, raw.flags, 0, 0];
            head[2..].copy_from_slice(&len.to_be_bytes());
            let mut cause_value = [0u8; 1024];
            let n = 4 + value.len();
            let dst = cause_value
                .get_mut(..n)
                .ok_or(SctpError::InvalidField("chunk"))?;
            let (h, v) = dst.split_at_mut(4);
            h.copy_from_slice(&head);
            v.copy_from_slice(value);
            w.error(cause::UNRECOGNIZED_CHUNK_TYPE, dst)
        });
    }

    fn peer_flags_of(init: &InitChunk<'_>) -> u8 {
        let mut flags = 0;
        if init.forward_tsn_supported() || init.supports_extension(chunk_type::FORWARD_TSN) {
            flags |= PEER_FORWARD_TSN;
        }
        if init.supports_extension(chunk_type::RE_CONFIG) {
            flags |= PEER_RECONFIG;
        }
        if init.zero_checksum_edmid() == Some(EDMID_DTLS) {
            flags |= PEER_ZERO_CHECKSUM;
        }
        if init.supports_extension(chunk_type::I_DATA) {
            flags |= PEER_I_DATA;
        }
        flags
    }

    fn now_ns(&self, now: Instant) -> u64 {
        u64::try_from(now.saturating_duration_since(self.epoch).as_nanos()).unwrap_or(u64::MAX)
    }

    /// INIT: answer with an INIT-ACK carrying a signed cookie (RFC 9260
    /// §5.1); in COOKIE-WAIT / COOKIE-ECHOED (collision, §5.2.1) with our
    /// existing tag and TSN; on an established association (the peer may
    /// have restarted, §5.2.2) with a fresh tag and the current tags as
    /// tie-tags. In SHUTDOWN-ACK-SENT it is ignored.
    fn on_init(&mut self, now: Instant, init: &InitChunk<'_>) {
        if self.state == AssociationState::ShutdownAckSent
            || (self.state == AssociationState::Closed && self.sender.is_some())
        {
            return;
        }
        let fresh = |rng: &mut u64| loop {
            let t = splitmix(rng) as u32;
            if t != 0 {
                break t;
            }
        };
        let (local_tag, local_initial_tsn, local_tie_tag, peer_tie_tag) = match self.state {
            AssociationState::Closed => {
                // A listener picks fresh values for each INIT it answers.
                self.local_tag = fresh(&mut self.rng);
                self.local_initial_tsn = splitmix(&mut self.rng) as u32;
                self.next_request_seq = self.local_initial_tsn;
                (self.local_tag, self.local_initial_tsn, 0, 0)
            }
            AssociationState::CookieWait | AssociationState::CookieEchoed => {
                (self.local_tag, self.local_initial_tsn, 0, 0)
            }
            _ => {
                let tag = fresh(&mut self.rng);
                let tsn = splitmix(&mut self.rng) as u32;
                (tag, tsn, self.local_tag, self.peer_tag)
            }
        };
        let streams = self.config.streams.max(1);
        let fields = CookieFields {
            created_ns: self.now_ns(now),
            local_tag,
            peer_tag: init.initiate_tag,
            local_initial_tsn,
            peer_initial_tsn: init.initial_tsn,
            peer_rwnd: init.a_rwnd,
            outbound_streams: streams.min(init.inbound_streams),
            inbound_streams: streams.min(init.outbound_streams),
            flags: Self::peer_flags_of(init),
            local_tie_tag,
            peer_tie_tag,
        };
        let cookie = fields.seal(&self.cookie_key);
        let f = InitFields {
            initiate_tag: local_tag,
            initial_tsn: local_initial_tsn,
            ..self.init_fields(Some(&cookie))
        };
        self.push_control(init.initiate_tag, false, |w| w.init(true, &f));
    }

    /// INIT-ACK in COOKIE-WAIT: keep the cookie, echo it.
    fn on_init_ack(&mut self, now: Instant, init: &InitChunk<'_>) {
        if self.state != AssociationState::CookieWait {
            return;
        }
        let Some(cookie) = init.state_cookie() else {
            return;
        };
        self.peer_cookie.clear();
        if self.peer_cookie.try_extend_from_slice(cookie).is_err() {
            return;
        }
        if let Some(sent) = self.t1_sent.take() {
            self.rto.sample(now.saturating_duration_since(sent));
        }
        self.peer_tag = init.initiate_tag;
        self.peer_flags = Self::peer_flags_of(init);
        let streams = self.config.streams.max(1);
        self.out_streams = streams.min(init.inbound_streams);
        self.in_streams = streams.min(init.outbound_streams);
        self.sender = Some(Sender::new(
            self.local_initial_tsn,
            init.a_rwnd,
            self.config.mtu,
            self.uses_i_data(),
        ));
        self.receiver = Some(Receiver::new(
            init.initial_tsn,
            self.config.receive_window,
            self.config.max_message_size,
        ));
        self.state = AssociationState::CookieEchoed;
        self.init_due = true;
        self.init_retransmits = 0;
        self.t1 = now.checked_add(self.rto.rto());
    }

    /// COOKIE-ECHO (RFC 9260 §5.1 D, §5.2.4): returns false when the cookie
    /// is forged or stale.
    fn on_cookie_echo(&mut self, now: Instant, vtag: u32, cookie: &[u8]) -> bool {
        let Some(c) = CookieFields::open(&self.cookie_key, cookie) else {
            return false;
        };
        if c.local_tag != vtag {
            return false;
        }
        let age = self.now_ns(now).saturating_sub(c.created_ns);
        if u128::from(age) > self.config.cookie_lifetime.as_nanos() {
            let staleness = u32::try_from(age / 1000).unwrap_or(u32::MAX);
            self.push_control(c.peer_tag, false, |w| {
                w.error(cause::STALE_COOKIE, &staleness.to_be_bytes())
            });
            return false;
        }
        let z = self.config.zero_checksum && c.flags & PEER_ZERO_CHECKSUM != 0;
        match self.state {
            AssociationState::Closed if self.sender.is_none() => {}
            AssociationState::CookieWait | AssociationState::CookieEchoed
                if c.local_tag == self.local_tag => {}
            AssociationState::Established
                if c.local_tag == self.local_tag && c.peer_tag == self.peer_tag =>
            {
                // Duplicate COOKIE-ECHO (§5.2.4 case D): acknowledge again.
                self.push_control(c.peer_tag, z, |w| w.cookie_ack());
                return true;
            }
            AssociationState::Established
            | AssociationState::ShutdownPending
            | AssociationState::ShutdownSent
            | AssociationState::ShutdownReceived
                if c.local_tag != self.local_tag
                    && c.peer_tag != self.peer_tag
                    && c.local_tie_tag == self.local_tag
                    && c.peer_tie_tag == self.peer_tag =>
            {
                // The peer restarted (§5.2.4 case A): everything queued or
                // in flight belongs to the old association.
                if let Some(mut s) = self.sender.take() {
                    s.clear(&mut self.pool);
                }
                self.receiver = None;
                self.reset_waiting.clear();
                self.reset_in_flight = None;
                self.deferred_reset = None;
                self.last_response = None;
                self.responses_due.clear();
                self.ack_due = false;
                self.ack_deadline = None;
                self.t2 = None;
                self.shutdown_due = false;
                self.shutdown_ack_due = false;
                self.error_count = 0;
                self.events.push_back(Event::Restarted);
            }
            _ => return false,
        }
        self.local_tag = c.local_tag;
        self.local_initial_tsn = c.local_initial_tsn;
        self.peer_tag = c.peer_tag;
        self.peer_flags = c.flags;
        self.out_streams = c.outbound_streams;
        self.in_streams = c.inbound_streams;
        self.sender = Some(Sender::new(
            c.local_initial_tsn,
            c.peer_rwnd,
            self.config.mtu,
            self.uses_i_data(),
        ));
        self.receiver = Some(Receiver::new(
            c.peer_initial_tsn,
            self.config.receive_window,
            self.config.max_message_size,
        ));
        self.next_request_seq = c.local_initial_tsn;
        self.peer_request_seq = c.peer_initial_tsn;
        self.t1 = None;
        self.init_due = false;
        self.peer_cookie.clear();
        self.push_control(c.peer_tag, z, |w| w.cookie_ack());
        self.establish(now);
        true
    }

    fn establish(&mut self, now: Instant) {
        self.state = AssociationState::Established;
        self.peer_request_seq = self
            .receiver
            .as_ref()
            .map_or(0, |r| r.cum_tsn.wrapping_add(1));
        self.hb_deadline = now.checked_add(self.config.heartbeat_interval);
        self.events.push_back(Event::Connected);
    }

    fn on_sack(
        &mut self,
        now: Instant,
        cum: u32,
        a_rwnd: u32,
        gaps: impl Iterator<Item = (u16, u16)>,
    ) {
        let Some(s) = self.sender.as_mut() else {
            return;
        };
        let out = s.on_sack(now, cum, a_rwnd, gaps, &mut self.rto, &mut self.pool);
        if out.progress {
            self.error_count = 0;
        }
        while let Some(stream_id) = s.low_events.pop_front() {
            self.events
                .push_back(Event::BufferedAmountLow { stream_id });
        }
        if s.is_idle() && self.state == AssociationState::ShutdownReceived {
            self.shutdown_ack_due = true;
        }
    }

    fn on_heartbeat_ack(&mut self, now: Instant, info: &[u8]) {
        let Some(sent) = info.get(..8).and_then(|b| <[u8; 8]>::try_from(b).ok()) else {
            return;
        };
        let sent_ns = u64::from_be_bytes(sent);
        let now_ns = self.now_ns(now);
        if sent_ns <= now_ns {
            self.rto.sample(Duration::from_nanos(now_ns - sent_ns));
        }
        self.hb_outstanding = false;
        self.error_count = 0;
    }

    fn on_shutdown(&mut self, _now: Instant, cum: u32) {
        if let Some(s) = self.sender.as_mut() {
            let rwnd = u32::try_from(s.peer_rwnd + s.flight_size()).unwrap_or(u32::MAX);
            let _ = s.on_sack(
                _now,
                cum,
                rwnd,
                std::iter::empty(),
                &mut self.rto,
                &mut self.pool,
            );
        }
        match self.state {
            AssociationState::Established | AssociationState::ShutdownPending => {
                self.state = AssociationState::ShutdownReceived;
                if self.sender.as_ref().is_none_or(|s| s.is_idle()) {
                    self.shutdown_ack_due = true;
                }
            }
            AssociationState::ShutdownSent => {
                // Both sides shut down at once (§9.2): answer with SHUTDOWN-ACK.
                self.state = AssociationState::ShutdownAckSent;
                self.shutdown_ack_due = true;
            }
            _ => {}
        }
    }

    fn on_reconfig_param(&mut self, now: Instant, param: ReconfigParam<'_>) {
        match param {
            ReconfigParam::OutgoingSsnReset {
                request_seq,
                last_tsn,
                streams,
                ..
            } => {
                if request_seq == self.peer_request_seq {
                    let mut list = ArrayVec::new();
                    list.extend(streams.iter().take(MAX_RESET_STREAMS));
                    self.deferred_reset = Some(DeferredReset {
                        request_seq,
                        last_tsn,
                        streams: list,
                    });
                    if !self.try_deferred_reset(now) {
                        let _ = self
                            .responses_due
                            .try_push((request_seq, ReconfigResult::InProgress));
                    }
                } else if request_seq == self.peer_request_seq.wrapping_sub(1) {
                    if let Some((seq, result)) = self.last_response {
                        let _ = self.responses_due.try_push((seq, result));
                    }
                } else {
                    let _ = self
                        .responses_due
                        .try_push((request_seq, ReconfigResult::ErrorBadSequenceNumber));
                }
            }
            ReconfigParam::IncomingSsnReset {
                request_seq,
                streams,
            } => {
                let result = if request_seq == self.peer_request_seq {
                    self.peer_request_seq = self.peer_request_seq.wrapping_add(1);
                    let all: ArrayVec<u16, MAX_RESET_STREAMS> =
                        streams.iter().take(MAX_RESET_STREAMS).collect();
                    let _ = self.reset_streams(&all);
                    ReconfigResult::SuccessNothingToDo
                } else {
                    ReconfigResult::ErrorBadSequenceNumber
                };
                self.last_response = Some((request_seq, result));
                let _ = self.responses_due.try_push((request_seq, result));
            }
            ReconfigParam::SsnTsnReset { request_seq }
            | ReconfigParam::AddStreams { request_seq, .. } => {
                let result = if request_seq == self.peer_request_seq {
                    self.peer_request_seq = self.peer_request_seq.wrapping_add(1);
                    ReconfigResult::Denied
                } else {
                    ReconfigResult::ErrorBadSequenceNumber
                };
                self.last_response = Some((request_seq, result));
                let _ = self.responses_due.try_push((request_seq, result));
            }
            ReconfigParam::Response {
                response_seq,
                result,
                ..
            } => self.on_reconfig_response(now, response_seq, result),
            ReconfigParam::Unknown(_) => {}
        }
    }

    fn on_reconfig_response(&mut self, now: Instant, response_seq: u32, result: ReconfigResult) {
        let Some(r) = self.reset_in_flight.as_mut() else {
            return;
        };
        if r.request_seq != response_seq {
            return;
        }
        match result {
            ReconfigResult::InProgress => {
                r.deadline = now.checked_add(self.rto.rto());
            }
            ReconfigResult::SuccessPerformed | ReconfigResult::SuccessNothingToDo => {
                if let (Some(r), Some(s)) = (self.reset_in_flight.take(), self.sender.as_mut()) {
                    for stream_id in r.streams {
                        s.finish_reset(stream_id);
                        self.events
                            .push_back(Event::OutgoingStreamReset { stream_id });
                    }
                }
            }
            _ => {
                if let (Some(r), Some(s)) = (self.reset_in_flight.take(), self.sender.as_mut()) {
                    for stream_id in r.streams {
                        s.cancel_reset(stream_id);
                    }
                }
            }
        }
    }

    /// Performs a deferred incoming reset once every TSN up to its
    /// `last_tsn` arrived (RFC 6525 §5.2.2). Returns true when performed.
    fn try_deferred_reset(&mut self, _now: Instant) -> bool {
        let (Some(d), Some(r)) = (self.deferred_reset.as_ref(), self.receiver.as_mut()) else {
            return false;
        };
        if !tsn_le(d.last_tsn, r.cum_tsn) {
            return false;
        }
        let Some(d) = self.deferred_reset.take() else {
            return false;
        };
        r.reset_streams(d.streams.iter().copied(), d.streams.is_empty());
        for &stream_id in &d.streams {
            self.events
                .push_back(Event::IncomingStreamReset { stream_id });
        }
        self.peer_request_seq = self.peer_request_seq.wrapping_add(1);
        self.last_response = Some((d.request_seq, ReconfigResult::SuccessPerformed));
        let _ = self
            .responses_due
            .try_push((d.request_seq, ReconfigResult::SuccessPerformed));
        true
    }
}
