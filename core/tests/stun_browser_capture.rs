//! Every STUN message of a real Chromium 156 call parses, its
//! MESSAGE-INTEGRITY verifies with the ICE password from that call's SDP,
//! its FINGERPRINT verifies, and the writer rebuilds it byte for byte.
//!
//! `fixtures/chromium156-stun.bin` holds the UDP payloads of the 28 STUN
//! packets of `fixtures/chromium156-plain-rtp.pcapng` (14 Binding requests,
//! 14 success responses, counted with tshark), in capture order, written by
//! `zerortc inspect ... --dump-payloads OUT --dump-kinds stun` (records:
//! kind 3, u16 big-endian length, payload; see `fixtures/README.md`).
//!
//! Keys (RFC 8445 §7.2.2, §7.3): a check from L to R carries
//! `USERNAME = R-ufrag:L-ufrag` and is keyed with R's password; the
//! response is keyed with the same password (the responder's).

use std::collections::HashMap;

use zerortc::stun::{
    Attribute, AttributeType, Class, IntegrityKey, MessageType, MessageWriter, StunError,
    StunMessage, TransactionId,
};

const PAYLOADS: &[u8] = include_bytes!("fixtures/chromium156-stun.bin");
const OFFER: &str = include_str!("fixtures/chromium156-plain-rtp-offer.sdp");
const ANSWER: &str = include_str!("fixtures/chromium156-plain-rtp-answer.sdp");
const RECORD_STUN: u8 = 3;

fn records() -> Vec<(u8, &'static [u8])> {
    let mut out = Vec::new();
    let mut rest = PAYLOADS;
    while !rest.is_empty() {
        let (head, tail) = rest.split_at(3);
        let len = usize::from(u16::from_be_bytes([head[1], head[2]]));
        let (payload, tail) = tail.split_at(len);
        out.push((head[0], payload));
        rest = tail;
    }
    out
}

/// (ufrag, pwd) from an SDP.
fn credentials(sdp: &str) -> (String, String) {
    let find = |key: &str| {
        sdp.lines()
            .find_map(|l| l.strip_prefix(key))
            .unwrap()
            .trim()
            .to_string()
    };
    (find("a=ice-ufrag:"), find("a=ice-pwd:"))
}

#[test]
fn every_stun_message_of_the_call_verifies() {
    let records = records();
    assert_eq!(records.len(), 28);
    assert!(records.iter().all(|(kind, _)| *kind == RECORD_STUN));

    let (offer_ufrag, offer_pwd) = credentials(OFFER);
    let (answer_ufrag, answer_pwd) = credentials(ANSWER);
    let pwd_of: HashMap<String, String> = [
        (offer_ufrag.clone(), offer_pwd),
        (answer_ufrag.clone(), answer_pwd),
    ]
    .into_iter()
    .collect();

    // The password each transaction is keyed with, learned from its request.
    let mut transactions: HashMap<TransactionId, String> = HashMap::new();
    let (mut requests, mut responses, mut use_candidate) = (0, 0, 0);
    for (i, (_, payload)) in records.iter().enumerate() {
        let msg = StunMessage::parse(payload).unwrap_or_else(|e| panic!("message {i}: {e}"));
        assert_eq!(msg.message_type().method.name(), Some("Binding"));
        msg.verify_fingerprint()
            .unwrap_or_else(|e| panic!("message {i}: {e}"));
        assert!(msg.unknown_comprehension_required().is_empty());

        let pwd = match msg.message_type().class {
            Class::Request => {
                requests += 1;
                let username = msg.username().unwrap();
                let (receiver, sender) = username.split_once(':').unwrap();
                assert_ne!(receiver, sender);
                assert!(pwd_of.contains_key(sender), "{username}");
                let pwd = pwd_of[receiver].clone();
                transactions.insert(msg.transaction_id(), pwd.clone());
                // Chromium's checks: PRIORITY, one role attribute, and the
                // comprehension-optional GOOG-NETWORK-INFO kept raw.
                assert!(msg.priority().is_some());
                assert!(msg.ice_controlling().is_some() != msg.ice_controlled().is_some());
                assert!(msg.attributes().any(|a| matches!(
                    a,
                    Attribute::Other {
                        attr_type: AttributeType::GOOG_NETWORK_INFO,
                        ..
                    }
                )));
                if msg.use_candidate() {
                    use_candidate += 1;
                    assert!(msg.ice_controlling().is_some());
                }
                pwd
            }
            Class::SuccessResponse => {
                responses += 1;
                assert_eq!(
                    msg.xor_mapped_address().unwrap().ip().to_string(),
                    "127.0.0.1"
                );
                transactions
                    .get(&msg.transaction_id())
                    .unwrap_or_else(|| panic!("message {i}: response without a request"))
                    .clone()
            }
            other => panic!("message {i}: unexpected class {other:?}"),
        };
        let key = IntegrityKey::short_term(&pwd).unwrap();
        msg.verify_integrity(&key)
            .unwrap_or_else(|e| panic!("message {i}: {e}"));
        msg.verify(&key).unwrap();
        // The other side's password must not verify.
        let other = pwd_of.values().find(|p| **p != pwd).unwrap();
        assert_eq!(
            msg.verify_integrity(&IntegrityKey::short_term(other).unwrap()),
            Err(StunError::IntegrityMismatch)
        );

        // Rebuilt from its decoded attributes, integrity and fingerprint
        // recomputed: byte-identical to what Chromium sent.
        let mut out = [0u8; 512];
        let mut w = MessageWriter::new(&mut out, msg.message_type(), msg.transaction_id()).unwrap();
        for attr in msg.attributes() {
            match attr {
                Attribute::MessageIntegrity(_) => w.add_message_integrity(&key).unwrap(),
                Attribute::Fingerprint(_) => w.add_fingerprint().unwrap(),
                other => w.add(&other).unwrap(),
            }
        }
        let len = w.finish();
        assert_eq!(&out[..len], *payload, "message {i}");
    }
    assert_eq!((requests, responses), (14, 14));
    assert!(use_candidate > 0, "Chromium nominates with USE-CANDIDATE");
    assert_eq!(MessageType::BINDING_REQUEST.to_u16(), 0x0001);
}
