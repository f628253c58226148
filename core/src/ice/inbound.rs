//! Incoming STUN: connectivity checks from the peer (RFC 8445 §7.3: role
//! conflicts, peer-reflexive candidates, triggered checks, USE-CANDIDATE)
//! and responses to our requests (§7.2.5). Anything that does not verify
//! is dropped and counted, and changes no state.

use std::net::SocketAddr;
use std::time::Instant;

use arrayvec::ArrayVec;

use super::agent::{IceAgent, Outgoing, Transaction, TxKind, hash_str};
use super::candidate::CandidateType;
use super::checklist::{PairState, RemoteCandidate};
use super::config::{IceMode, IceRole};
use super::event::{IceConnectionState, IceEvent};
use crate::stun::{Class, ErrorCode, Method, StunMessage, looks_like_stun};

impl IceAgent {
    /// Feeds a datagram received on local address `local` from `from`.
    /// Returns `false` when it is not STUN (the caller passes it on to
    /// DTLS/SRTP); STUN is always consumed, even when dropped.
    pub fn handle_packet(
        &mut self,
        now: Instant,
        local: SocketAddr,
        from: SocketAddr,
        data: &[u8],
    ) -> bool {
        if !looks_like_stun(data) {
            return false;
        }
        self.last_now = Some(now);
        if matches!(
            self.state,
            IceConnectionState::Closed | IceConnectionState::Failed
        ) {
            // Failed is final until a restart (RFC 7675 §5.1 for consent).
            self.stats.dropped_other += 1;
            return true;
        }
        let Ok(msg) = StunMessage::parse(data) else {
            self.stats.dropped_malformed += 1;
            return true;
        };
        if msg.message_type().method != Method::BINDING {
            self.stats.dropped_other += 1;
            return true;
        }
        // ICE requires FINGERPRINT on every message (RFC 8445 §7.2.2).
        if msg.verify_fingerprint().is_err() {
            self.stats.dropped_malformed += 1;
            return true;
        }
        match msg.message_type().class {
            Class::Request => self.handle_request(now, local, from, &msg),
            Class::SuccessResponse | Class::ErrorResponse => {
                self.handle_response(now, local, from, &msg)
            }
            Class::Indication => self.stats.dropped_other += 1,
        }
        true
    }

    fn handle_request(
        &mut self,
        now: Instant,
        local: SocketAddr,
        from: SocketAddr,
        msg: &StunMessage<'_>,
    ) {
        if !self.locals.iter().any(|l| l.base == local) {
            self.stats.dropped_unknown_local += 1;
            return;
        }
        // USERNAME = local-ufrag:remote-ufrag (§7.3).
        let username_ok =
            msg.username()
                .and_then(|u| u.split_once(':'))
                .is_some_and(|(ours, theirs)| {
                    ours == self.local_credentials.ufrag
                        && self
                            .remote_credentials
                            .as_ref()
                            .is_none_or(|c| c.ufrag == theirs)
                });
        if !username_ok {
            self.stats.dropped_bad_username += 1;
            return;
        }
        if msg.verify_integrity(&self.local_key).is_err() {
            self.stats.dropped_bad_integrity += 1;
            return;
        }
        if !self.config.filter.accepts(from.ip()) {
            self.stats.ignored_remote_candidates += 1;
            return;
        }
        let txid = msg.transaction_id();
        let unknown = msg.unknown_comprehension_required();
        if !unknown.is_empty() {
            self.stats.unknown_attribute_responses += 1;
            self.outgoing.push_back(Outgoing::Error {
                txid,
                source: local,
                destination: from,
                code: ErrorCode::UNKNOWN_ATTRIBUTE,
                unknown,
            });
            return;
        }
        // Role conflict (§7.3.1.1).
        match (self.role, msg.ice_controlling(), msg.ice_controlled()) {
            (IceRole::Controlling, Some(theirs), _) => {
                self.stats.role_conflicts += 1;
                if self.tie_breaker >= theirs {
                    self.send_error(txid, local, from, ErrorCode::ROLE_CONFLICT);
                    return;
                }
                self.switch_role(IceRole::Controlled);
            }
            (IceRole::Controlled, _, Some(theirs)) => {
                self.stats.role_conflicts += 1;
                if self.tie_breaker >= theirs {
                    self.switch_role(IceRole::Controlling);
                } else {
                    self.send_error(txid, local, from, ErrorCode::ROLE_CONFLICT);
                    return;
                }
            }
            _ => {}
        }
        self.stats.checks_answered += 1;
        self.outgoing.push_back(Outgoing::Success {
            txid,
            source: local,
            destination: from,
        });

        // Peer-reflexive remote candidate (§7.3.1.3).
        if !self.remotes.iter().any(|r| r.addr == from) {
            let priority = msg.priority().unwrap_or(0);
            let foundation = hash_str(&from.to_string());
            self.add_remote(RemoteCandidate {
                addr: from,
                priority,
                kind: CandidateType::PeerReflexive,
                foundation,
            });
        }
        let Some(pi) = self.checklist.find(local, from) else {
            return;
        };
        let use_candidate = msg.use_candidate() && self.role == IceRole::Controlled;
        let mut select = false;
        if let Some(pair) = self.checklist.pairs.get_mut(pi) {
            pair.last_seen = Some(now);
            if use_candidate {
                pair.use_candidate_received = true;
            }
            match self.config.mode {
                IceMode::Lite => {
                    // A lite agent does not check: the peer's check is the
                    // proof, and USE-CANDIDATE selects (§8.2.2... lite).
                    pair.state = PairState::Succeeded;
                    if use_candidate {
                        pair.nominated = true;
                        select = true;
                    }
                }
                IceMode::Full => match pair.state {
                    PairState::Succeeded => {
                        if use_candidate {
                            pair.nominated = true;
                            select = true;
                        }
                    }
                    PairState::InProgress => {}
                    PairState::Frozen | PairState::Waiting | PairState::Failed => {
                        pair.state = PairState::Waiting;
                        self.checklist.trigger(pi);
                    }
                },
            }
        }
        if select {
            self.select_best_nominated(now);
        }
        // For a lite agent, a check on the selected pair is consent.
        self.consent_refreshed_by_request(now, local, from);
        if self.state == IceConnectionState::New {
            self.set_state(IceConnectionState::Checking);
        }
    }

    fn consent_refreshed_by_request(&mut self, now: Instant, local: SocketAddr, from: SocketAddr) {
        if self.config.mode == IceMode::Lite {
            self.consent_refreshed(now, local, from);
        }
    }

    /// The controlled side selects the highest-priority nominated valid
    /// pair (Firefox nominates aggressively, so a later nomination of a
    /// better pair wins).
    fn select_best_nominated(&mut self, now: Instant) {
        let best = self
            .checklist
            .pairs
            .iter()
            .find(|p| p.nominated && p.state == PairState::Succeeded)
            .map(|p| (p.local_addr, p.remote_addr));
        if let Some((local, remote)) = best {
            self.select(now, local, remote);
        }
    }

    fn send_error(
        &mut self,
        txid: crate::stun::TransactionId,
        local: SocketAddr,
        to: SocketAddr,
        code: u16,
    ) {
        self.outgoing.push_back(Outgoing::Error {
            txid,
            source: local,
            destination: to,
            code,
            unknown: ArrayVec::new(),
        });
    }

    pub(crate) fn switch_role(&mut self, role: IceRole) {
        if self.role != role {
            self.role = role;
            self.checklist.recompute_priorities(role);
            self.nominating = false;
            self.nomination_target = None;
            self.events.push_back(IceEvent::RoleChange(role));
        }
    }

    fn handle_response(
        &mut self,
        now: Instant,
        local: SocketAddr,
        from: SocketAddr,
        msg: &StunMessage<'_>,
    ) {
        let txid = msg.transaction_id();
        let Some(ti) = self.transactions.iter().position(|t| t.txid == txid) else {
            self.stats.dropped_unknown_transaction += 1;
            return;
        };
        let Some(t) = self.transactions.get(ti).cloned() else {
            return;
        };
        // Responses must come back on the same 5-tuple (§7.2.5.2.1).
        if t.destination != from || t.source != local {
            self.stats.dropped_unknown_transaction += 1;
            return;
        }
        if t.kind != TxKind::Gather {
            let verified = self
                .remote_key
                .as_ref()
                .is_some_and(|k| msg.verify_integrity(k).is_ok());
            if !verified {
                self.stats.dropped_bad_integrity += 1;
                return;
            }
        }
        self.transactions.remove(ti);
        self.stats.responses_received += 1;
        match (t.kind, msg.message_type().class) {
            (TxKind::Gather, Class::SuccessResponse) => {
                if let Some(mapped) = msg.xor_mapped_address().or_else(|| msg.mapped_address()) {
                    self.add_server_reflexive(t.source, t.destination, mapped);
                }
                self.check_gathering_complete();
            }
            (TxKind::Gather, _) => self.check_gathering_complete(),
            (TxKind::Consent, Class::SuccessResponse) => {
                self.consent_refreshed(now, t.source, t.destination);
            }
            (TxKind::Consent, _) => {}
            (TxKind::Check, Class::SuccessResponse) => self.check_succeeded(now, &t),
            (TxKind::Check, _) => {
                self.check_failed(&t, msg.error_code().map(|e| e.code));
                self.update_failed(now);
            }
        }
    }

    fn check_succeeded(&mut self, now: Instant, t: &Transaction) {
        let Some(pi) = self.checklist.find(t.source, t.destination) else {
            return;
        };
        let mut select = false;
        let mut foundation = None;
        if let Some(pair) = self.checklist.pairs.get_mut(pi) {
            pair.state = PairState::Succeeded;
            pair.last_seen = Some(now);
            foundation = Some(pair.foundation);
            if t.use_candidate
                && t.role == IceRole::Controlling
                && self.role == IceRole::Controlling
            {
                pair.nominated = true;
                select = true;
            }
            if self.role == IceRole::Controlled && pair.use_candidate_received {
                pair.nominated = true;
            }
        }
        if let Some(f) = foundation {
            self.checklist.unfreeze_foundation(f);
        }
        if self.first_valid_at.is_none() {
            self.first_valid_at = Some(now);
        }
        if t.use_candidate {
            self.nominating = false;
        }
        self.consent_refreshed(now, t.source, t.destination);
        if select {
            self.select(now, t.source, t.destination);
        } else if self.role == IceRole::Controlled {
            self.select_best_nominated(now);
        } else {
            self.maybe_nominate(now);
        }
        self.update_connected();
    }

    fn check_failed(&mut self, t: &Transaction, code: Option<u16>) {
        if t.use_candidate {
            self.nominating = false;
        }
        let Some(pi) = self.checklist.find(t.source, t.destination) else {
            return;
        };
        if code == Some(ErrorCode::ROLE_CONFLICT) {
            // §7.2.5.1: switch to the other role than the one we claimed,
            // and check the pair again.
            self.stats.role_conflicts += 1;
            let role = match t.role {
                IceRole::Controlling => IceRole::Controlled,
                IceRole::Controlled => IceRole::Controlling,
            };
            self.switch_role(role);
            if let Some(pi) = self.checklist.find(t.source, t.destination) {
                if let Some(pair) = self.checklist.pairs.get_mut(pi)
                    && pair.state != PairState::Succeeded
                {
                    pair.state = PairState::Waiting;
                }
                self.checklist.trigger(pi);
            }
            return;
        }
        if let Some(pair) = self.checklist.pairs.get_mut(pi)
            && pair.state != PairState::Succeeded
        {
            pair.state = PairState::Failed;
        }
    }
}
