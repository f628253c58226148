//! Fuzz the STUN view, the integrity and fingerprint checks and the
//! writer: parsing never panics, and whatever parses re-writes from its
//! decoded attributes to the same bytes (with zero padding), re-parses to
//! the same attributes, and verifies once integrity and fingerprint are
//! recomputed.
//!
//! `cargo fuzz run stun_message` (needs cargo-fuzz; `RUSTC_BOOTSTRAP=1` on
//! stable), or build it with the sancov flags listed in `rtp_packet.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zerortc::stun::{
    Attribute, IntegrityKey, MessageWriter, StunMessage, write_unknown_attributes_error,
};

fuzz_target!(|data: &[u8]| {
    let Ok(msg) = StunMessage::parse(data) else {
        return;
    };
    let key = IntegrityKey::short_term("fuzz-password").expect("any key length works");
    let _ = msg.verify(&key);
    let _ = msg.verify_integrity(&key);
    let _ = msg.verify_fingerprint();
    let mut reply = [0u8; 512];
    let _ = write_unknown_attributes_error(&mut reply, &msg, Some(&key));

    // Re-write every attribute that counts, recomputing integrity and
    // fingerprint where they were.
    let attrs: Vec<Attribute<'_>> = msg.attributes().collect();
    let mut out = vec![0u8; data.len() + 64];
    let mut w = MessageWriter::new(&mut out, msg.message_type(), msg.transaction_id())
        .expect("room for the header");
    for a in &attrs {
        match a {
            Attribute::MessageIntegrity(_) => w.add_message_integrity(&key),
            Attribute::MessageIntegritySha256(_) => w.add_message_integrity_sha256(&key),
            Attribute::Fingerprint(_) => w.add_fingerprint(),
            other => w.add(other),
        }
        .expect("a parsed attribute writes");
    }
    let len = w.finish();
    let again = StunMessage::parse(&out[..len]).expect("what we write parses");
    let reparsed: Vec<Attribute<'_>> = again.attributes().collect();
    assert_eq!(reparsed.len(), attrs.len());
    for (a, b) in attrs.iter().zip(&reparsed) {
        match (a, b) {
            (Attribute::MessageIntegrity(_), Attribute::MessageIntegrity(_))
            | (Attribute::MessageIntegritySha256(_), Attribute::MessageIntegritySha256(_))
            | (Attribute::Fingerprint(_), Attribute::Fingerprint(_)) => {}
            (Attribute::UnknownAttributes(x), Attribute::UnknownAttributes(y)) => {
                assert!(x.iter().eq(y.iter()))
            }
            _ => assert_eq!(a, b),
        }
    }
    if again.has_integrity() {
        again
            .verify_integrity(&key)
            .expect("recomputed integrity verifies");
    }
    if again.has_integrity_sha256() {
        again
            .verify_integrity_sha256(&key)
            .expect("recomputed integrity verifies");
    }
    if again.has_fingerprint() {
        again
            .verify_fingerprint()
            .expect("recomputed fingerprint verifies");
    }
});
