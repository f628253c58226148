//! STUN inputs: real messages of a Chromium 156 call and the fields of a
//! connectivity check as zerortc sends it (RFC 8489, RFC 8445 §7.1).
//!
//! The Chromium messages come from `core/tests/fixtures/chromium156-stun.bin`
//! (the UDP payloads of the 28 STUN packets of a real call, records `kind`
//! (3 = STUN), `u16` big-endian length, payload; see
//! `core/tests/fixtures/README.md`). The passwords are the `a=ice-pwd` of
//! that call's offer and answer.

use zerortc::stun::{Class, IntegrityKey, StunMessage, TransactionId};

const CHROMIUM_STUN: &[u8] = include_bytes!("../../core/tests/fixtures/chromium156-stun.bin");
const CHROMIUM_OFFER: &str =
    include_str!("../../core/tests/fixtures/chromium156-plain-rtp-offer.sdp");
const CHROMIUM_ANSWER: &str =
    include_str!("../../core/tests/fixtures/chromium156-plain-rtp-answer.sdp");
const RECORD_STUN: u8 = 3;

/// One STUN message and the short-term password it is keyed with.
#[derive(Debug, Clone)]
pub struct StunInput {
    /// Input id in figure keys.
    pub id: &'static str,
    /// The message bytes.
    pub bytes: Vec<u8>,
    /// The ICE password of its MESSAGE-INTEGRITY.
    pub password: String,
}

impl StunInput {
    /// The integrity key of [`StunInput::password`].
    pub fn key(&self) -> IntegrityKey {
        IntegrityKey::short_term(&self.password).expect("an ICE password is a valid key")
    }
}

/// The STUN payloads of the capture, in order.
fn chromium_records() -> Vec<&'static [u8]> {
    let mut out = Vec::new();
    let mut rest = CHROMIUM_STUN;
    while let Some((head, tail)) = rest.split_at_checked(3) {
        assert_eq!(head[0], RECORD_STUN);
        let len = usize::from(u16::from_be_bytes([head[1], head[2]]));
        let (payload, tail) = tail.split_at(len);
        out.push(payload);
        rest = tail;
    }
    assert!(rest.is_empty());
    out
}

/// `(ufrag, pwd)` of an SDP.
fn credentials(sdp: &str) -> (&str, &str) {
    let find = |key: &str| {
        sdp.lines()
            .find_map(|l| l.strip_prefix(key))
            .expect("the SDP has ICE credentials")
            .trim()
    };
    (find("a=ice-ufrag:"), find("a=ice-pwd:"))
}

/// The password of the agent whose ufrag is `ufrag`.
fn password_of(ufrag: &str) -> String {
    [credentials(CHROMIUM_OFFER), credentials(CHROMIUM_ANSWER)]
        .into_iter()
        .find(|(u, _)| *u == ufrag)
        .map(|(_, p)| p.to_string())
        .expect("ufrag of the call")
}

/// The first Binding request of the call (a connectivity check: USERNAME,
/// GOOG-NETWORK-INFO, ICE-CONTROLLING or -CONTROLLED, PRIORITY,
/// MESSAGE-INTEGRITY, FINGERPRINT) and the success response to it
/// (XOR-MAPPED-ADDRESS, MESSAGE-INTEGRITY, FINGERPRINT). Both are keyed
/// with the password of the agent the request went to.
pub fn chromium_check_and_response() -> (StunInput, StunInput) {
    let records = chromium_records();
    let (request, msg) = records
        .iter()
        .find_map(|r| {
            let msg = StunMessage::parse(r).ok()?;
            (msg.message_type().class == Class::Request).then_some((*r, msg))
        })
        .expect("the capture has a request");
    let txid: TransactionId = msg.transaction_id();
    let username = msg.username().expect("a check has a USERNAME");
    let (receiver_ufrag, _) = username.split_once(':').expect("ICE USERNAME");
    let password = password_of(receiver_ufrag);
    let response = records
        .iter()
        .find(|r| {
            StunMessage::parse(r).is_ok_and(|m| {
                m.message_type().class == Class::SuccessResponse && m.transaction_id() == txid
            })
        })
        .expect("the request was answered");
    (
        StunInput {
            id: "chromium_request",
            bytes: request.to_vec(),
            password: password.clone(),
        },
        StunInput {
            id: "chromium_response",
            bytes: response.to_vec(),
            password,
        },
    )
}

/// The parse inputs: a Chromium Binding request and its success response.
pub fn stun_inputs() -> Vec<StunInput> {
    let (request, response) = chromium_check_and_response();
    vec![request, response]
}

/// A connectivity check as the controlling agent sends it when it
/// nominates: USERNAME (`remote:local`, Chromium-length ufrags), PRIORITY
/// (a peer-reflexive priority), ICE-CONTROLLING, USE-CANDIDATE,
/// MESSAGE-INTEGRITY with the remote password, FINGERPRINT.
#[derive(Clone)]
pub struct StunCheckCase {
    /// `remote-ufrag:local-ufrag`.
    pub username: String,
    /// PRIORITY of a peer-reflexive candidate from this host.
    pub priority: u32,
    /// The ICE-CONTROLLING tie-breaker.
    pub tie_breaker: u64,
    /// The remote password's key, prepared once per session.
    pub key: IntegrityKey,
    /// The transaction id (a new random one per check in the agent).
    pub txid: TransactionId,
}

impl StunCheckCase {
    /// The case with the credentials of the Chromium call.
    pub fn chromium_like() -> StunCheckCase {
        let (offer_ufrag, _) = credentials(CHROMIUM_OFFER);
        let (answer_ufrag, answer_pwd) = credentials(CHROMIUM_ANSWER);
        StunCheckCase {
            username: format!("{answer_ufrag}:{offer_ufrag}"),
            priority: 0x6E7F_1EFF,
            tie_breaker: 0x1D5C_89A3_0F4E_77B2,
            key: IntegrityKey::short_term(answer_pwd).expect("an ICE password is a valid key"),
            txid: TransactionId(*b"zerortc-lab1"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerortc::stun::{AttributeType, MessageType};

    #[test]
    fn chromium_inputs_are_a_check_and_its_answer() {
        let (request, response) = chromium_check_and_response();
        let req = StunMessage::parse(&request.bytes).unwrap();
        let resp = StunMessage::parse(&response.bytes).unwrap();
        assert_eq!(req.message_type(), MessageType::BINDING_REQUEST);
        assert_eq!(resp.message_type(), MessageType::BINDING_SUCCESS);
        assert_eq!(req.transaction_id(), resp.transaction_id());
        assert!(req.priority().is_some());
        assert!(req.ice_controlling().is_some() || req.ice_controlled().is_some());
        assert!(
            req.raw_attributes()
                .any(|a| a.attr_type == AttributeType::GOOG_NETWORK_INFO)
        );
        assert!(resp.xor_mapped_address().is_some());
        req.verify_integrity(&request.key()).unwrap();
        resp.verify_integrity(&response.key()).unwrap();
        req.verify_fingerprint().unwrap();
        resp.verify_fingerprint().unwrap();
        assert_eq!(request.password, response.password);
    }
}
