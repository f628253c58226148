//! [`Association::poll_transmit`]: control packets first, then the
//! handshake, then packets that bundle SACK, FORWARD-TSN, RE-CONFIG,
//! SHUTDOWN*, HEARTBEAT and as much DATA as the MTU, the congestion window
//! and the peer's window allow.

use std::time::Instant;

use super::*;

impl Association {
    /// Writes the next packet to send into `buf` and returns its length, or
    /// `None` when nothing is due. Call until `None` after every input.
    /// Packets are at most `min(buf.len(), config.mtu)` bytes.
    pub fn poll_transmit(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        while let Some(p) = self.control.pop_front() {
            let n = p.len();
            let fits = buf.get_mut(..n).map(|d| d.copy_from_slice(&p)).is_some();
            self.pool.give(p);
            if fits {
                return Some(n);
            }
        }
        let size = buf.len().min(self.config.mtu);
        let buf = buf.get_mut(..size)?;
        match self.state {
            AssociationState::Closed => None,
            AssociationState::CookieWait => {
                if !self.init_due {
                    return None;
                }
                self.init_due = false;
                self.t1_sent = (self.init_retransmits == 0).then_some(now);
                let f = self.init_fields(None);
                let mut w = PacketWriter::new(buf, self.header(0)).ok()?;
                w.init(false, &f).ok()?;
                Some(w.finish(false))
            }
            AssociationState::CookieEchoed => {
                if !self.init_due {
                    return None;
                }
                self.init_due = false;
                self.t1_sent = (self.init_retransmits == 0).then_some(now);
                let mut w = PacketWriter::new(buf, self.header(self.peer_tag)).ok()?;
                w.cookie_echo(&self.peer_cookie).ok()?;
                Some(w.finish(false))
            }
            _ => self.transmit_established(now, buf),
        }
    }

    fn transmit_established(&mut self, now: Instant, buf: &mut [u8]) -> Option<usize> {
        let zero = self.sends_zero_checksum();
        let header = self.header(self.peer_tag);
        let mut w = PacketWriter::new(buf, header).ok()?;
        let sender = self.sender.as_mut()?;
        // Shutdown progress (RFC 9260 §9.2).
        if self.state == AssociationState::ShutdownPending && sender.is_idle() {
            self.state = AssociationState::ShutdownSent;
            self.shutdown_due = true;
            self.t2 = now.checked_add(self.rto.rto());
        }
        if self.state == AssociationState::ShutdownReceived && sender.is_idle() {
            self.shutdown_ack_due = true;
        }
        let receiver_cum = self.receiver.as_ref().map_or(0, |r| r.cum_tsn);
        if self.ack_due
            && let Some(r) = self.receiver.as_mut()
        {
            r.sack_info(&mut self.gaps, &mut self.dups);
            let a_rwnd = r.a_rwnd();
            if w.sack(r.cum_tsn, a_rwnd, &self.gaps, &self.dups).is_ok() {
                r.advertised(a_rwnd);
                self.ack_due = false;
                self.ack_deadline = None;
                self.unacked_packets = 0;
            }
        }
        if sender.forward_tsn_due && self.peer_flags & PEER_FORWARD_TSN != 0 {
            let written = if self.config.interleaving && self.peer_flags & PEER_I_DATA != 0 {
                sender
                    .i_forward_tsn(&mut self.i_fwd_entries)
                    .map(|point| w.i_forward_tsn(point, &self.i_fwd_entries).is_ok())
            } else {
                sender
                    .forward_tsn(&mut self.fwd_streams)
                    .map(|point| w.forward_tsn(point, &self.fwd_streams).is_ok())
            };
            if written != Some(false) {
                sender.forward_tsn_due = false;
            }
        }
        // Stream reset: responses, then our request.
        while let Some(&(seq, result)) = self.responses_due.first() {
            let p = ReconfigParam::Response {
                response_seq: seq,
                result,
                next_tsns: None,
            };
            if w.reconfig(&[p]).is_err() {
                break;
            }
            self.responses_due.remove(0);
        }
        if self.reset_in_flight.is_none()
            && !self.reset_waiting.is_empty()
            && self.peer_flags & PEER_RECONFIG != 0
        {
            let mut streams = ArrayVec::new();
            let mut i = 0;
            while i < self.reset_waiting.len() && !streams.is_full() {
                let s = self.reset_waiting.get(i).copied().unwrap_or(0);
                if sender.drained(s) {
                    streams.push(s);
                    self.reset_waiting.swap_remove(i);
                } else {
                    i += 1;
                }
            }
            if !streams.is_empty() {
                let seq = self.next_request_seq;
                self.next_request_seq = seq.wrapping_add(1);
                self.reset_in_flight = Some(ResetInFlight {
                    request_seq: seq,
                    last_tsn: sender.next_tsn.wrapping_sub(1),
                    streams,
                    deadline: None,
                    due: true,
                });
            }
        }
        let rto = self.rto.rto();
        if let Some(r) = self.reset_in_flight.as_mut().filter(|r| r.due) {
            let mut ids = [0u8; 2 * MAX_RESET_STREAMS];
            if let Ok(list) = stream_list(&r.streams, &mut ids) {
                let p = ReconfigParam::OutgoingSsnReset {
                    request_seq: r.request_seq,
                    response_seq: self.peer_request_seq.wrapping_sub(1),
                    last_tsn: r.last_tsn,
                    streams: list,
                };
                if w.reconfig(&[p]).is_ok() {
                    r.due = false;
                    r.deadline = now.checked_add(rto);
                }
            }
        }
        if self.shutdown_due && w.shutdown(receiver_cum).is_ok() {
            self.shutdown_due = false;
            self.t2 = now.checked_add(rto);
        }
        if self.shutdown_ack_due && w.shutdown_ack().is_ok() {
            self.shutdown_ack_due = false;
            self.state = AssociationState::ShutdownAckSent;
            self.t2 = now.checked_add(rto);
        }
        if self.hb_due {
            let mut info = [0u8; 16];
            let sent = u64::try_from(now.saturating_duration_since(self.epoch).as_nanos())
                .unwrap_or(u64::MAX);
            let nonce = splitmix(&mut self.rng);
            crate::sctp::put(&mut info, 0, &sent.to_be_bytes());
            crate::sctp::put(&mut info, 8, &nonce.to_be_bytes());
            if w.heartbeat(&info).is_ok() {
                self.hb_due = false;
                self.hb_outstanding = true;
            }
        }
        if matches!(
            self.state,
            AssociationState::Established
                | AssociationState::ShutdownPending
                | AssociationState::ShutdownReceived
        ) && sender.fill(now, &mut w, &self.rto)
        {
            self.hb_deadline = now.checked_add(self.config.heartbeat_interval);
        }
        if w.is_empty() {
            return None;
        }
        Some(w.finish(zero))
    }
}
