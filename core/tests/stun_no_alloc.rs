//! A connectivity check and its answer allocate nothing once the key is
//! prepared: writing the request, parsing and verifying it, writing the
//! Binding success response, parsing and verifying that (the four steps of
//! an ICE check or a consent round trip). A counting global allocator
//! watches the measuring thread only.

use zerortc::stun::{
    Attribute, IntegrityKey, MessageType, MessageWriter, StunMessage, TransactionId,
    write_binding_success,
};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

#[test]
fn a_check_round_trip_allocates_nothing() {
    let key = IntegrityKey::short_term("WfXfVkRby3F/VgibOeqg+qN2").unwrap();
    let mut request = [0u8; 256];
    let mut response = [0u8; 256];
    let source = "127.0.0.1:56867".parse().unwrap();
    let mut round = |i: u8| {
        let mut w = MessageWriter::new(
            &mut request,
            MessageType::BINDING_REQUEST,
            TransactionId([i; 12]),
        )
        .unwrap();
        w.add(&Attribute::Username("yEcT:nBRx")).unwrap();
        w.add(&Attribute::IceControlling(0x0102_0304_0506_0708))
            .unwrap();
        w.add(&Attribute::UseCandidate).unwrap();
        w.add(&Attribute::Priority(1_845_501_695)).unwrap();
        w.add_message_integrity(&key).unwrap();
        w.add_fingerprint().unwrap();
        let len = w.finish();

        let req = StunMessage::parse(&request[..len]).unwrap();
        req.verify_fingerprint().unwrap();
        req.verify_integrity(&key).unwrap();
        assert_eq!(req.username(), Some("yEcT:nBRx"));
        assert!(req.use_candidate());
        assert!(req.unknown_comprehension_required().is_empty());

        let n = write_binding_success(&mut response, &req, source, Some(&key)).unwrap();
        let resp = StunMessage::parse(&response[..n]).unwrap();
        resp.verify_fingerprint().unwrap();
        resp.verify_integrity(&key).unwrap();
        assert_eq!(resp.xor_mapped_address(), Some(source));
    };
    round(0); // warm-up
    let allocations = allocations_during(|| {
        for i in 1..=100 {
            round(i);
        }
    });
    assert_eq!(allocations, 0);
}
