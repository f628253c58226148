//! Writing the agent's STUN messages into the caller's buffer: checks and
//! consent requests (RFC 8445 §7.2.2, RFC 7675), gathering requests,
//! success and error responses (§7.3.1).

use super::agent::{IceAgent, IceError, Outgoing, TxKind};
use super::candidate::CandidateType;
use super::config::IceRole;
use super::event::Transmit;
use super::priority::candidate_priority;
use crate::stun::{
    Attribute, Class, ErrorCode, MessageType, MessageWriter, Method, UnknownAttributeList,
    reason_phrase,
};

impl IceAgent {
    /// Writes one queued message; `None` when it no longer applies (its
    /// transaction ended, or credentials changed).
    pub(crate) fn write_outgoing(
        &mut self,
        out: &Outgoing,
        buf: &mut [u8],
    ) -> Result<Option<Transmit>, IceError> {
        match out {
            Outgoing::Request(txid) => {
                let Some(t) = self.transactions.iter().find(|t| t.txid == *txid) else {
                    return Ok(None);
                };
                let (kind, source, destination, use_candidate, role) =
                    (t.kind, t.source, t.destination, t.use_candidate, t.role);
                let mut w = MessageWriter::new(buf, MessageType::BINDING_REQUEST, *txid)?;
                if kind != TxKind::Gather {
                    let Some(key) = self.remote_key.as_ref() else {
                        return Ok(None);
                    };
                    let local_preference = self
                        .locals
                        .iter()
                        .find(|l| l.base == source)
                        .map_or(0, |l| l.local_preference);
                    w.add(&Attribute::Username(&self.outbound_username))?;
                    w.add(&Attribute::Priority(candidate_priority(
                        CandidateType::PeerReflexive,
                        local_preference,
                        1,
                    )))?;
                    w.add(&match role {
                        IceRole::Controlling => Attribute::IceControlling(self.tie_breaker),
                        IceRole::Controlled => Attribute::IceControlled(self.tie_breaker),
                    })?;
                    if use_candidate {
                        w.add(&Attribute::UseCandidate)?;
                    }
                    w.add_message_integrity(key)?;
                }
                w.add_fingerprint()?;
                Ok(Some(Transmit {
                    source,
                    destination,
                    len: w.finish(),
                }))
            }
            Outgoing::Success {
                txid,
                source,
                destination,
            } => {
                let mut w = MessageWriter::new(buf, MessageType::BINDING_SUCCESS, *txid)?;
                w.add(&Attribute::XorMappedAddress(*destination))?;
                w.add_message_integrity(&self.local_key)?;
                w.add_fingerprint()?;
                Ok(Some(Transmit {
                    source: *source,
                    destination: *destination,
                    len: w.finish(),
                }))
            }
            Outgoing::Error {
                txid,
                source,
                destination,
                code,
                unknown,
            } => {
                let msg_type = MessageType::new(Method::BINDING, Class::ErrorResponse);
                let mut w = MessageWriter::new(buf, msg_type, *txid)?;
                w.add(&Attribute::ErrorCode(ErrorCode {
                    code: *code,
                    reason: reason_phrase(*code),
                }))?;
                if !unknown.is_empty() {
                    w.add(&Attribute::UnknownAttributes(
                        UnknownAttributeList::from_types(unknown),
                    ))?;
                }
                w.add_message_integrity(&self.local_key)?;
                w.add_fingerprint()?;
                Ok(Some(Transmit {
                    source: *source,
                    destination: *destination,
                    len: w.finish(),
                }))
            }
        }
    }
}
