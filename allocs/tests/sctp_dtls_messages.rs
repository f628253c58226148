//! Once two SCTP associations are connected over DTLS 1.2 and warm, a
//! message sent by A and delivered by B allocates nothing: SCTP packets
//! sealed into AES-128-GCM application data records in a reused buffer,
//! opened in place by the other side's DTLS connection and handed to the
//! other association (RFC 8261), SACKs back the same way; every channel
//! kind at 64 B, 1 KiB and 64 KiB, zero checksum (RFC 9653) as over DTLS.
//! One operation = one message.

use std::hint::black_box;

use zerortc::dtls::CipherSuite;
use zerortc_allocs::measure;
use zerortc_benches::ops::{SctpChannel, sctp_over_dtls};

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    for channel in SctpChannel::ALL {
        for size in [64usize, 1024, 64 * 1024] {
            let mut pair =
                sctp_over_dtls(CipherSuite::EcdheEcdsaAes128GcmSha256, true, channel, size)
                    .expect("pair connects over DTLS");
            let before = pair.received();
            let records = pair.wire().records();
            let name = format!("sctp_dtls_messages/{}/{size}", channel.id());
            let count = measure(&name, || {
                black_box(black_box(&mut pair).transfer(1).expect("transfer"));
            });
            // Every operation really delivered one whole message, in DTLS
            // records (at least one per operation).
            let ops = count.ops + zerortc_allocs::WARMUP_OPS;
            assert_eq!(pair.received() - before, ops);
            assert!(pair.wire().records() - records >= ops);
            dhat::assert_eq!(count.blocks, 0);
            dhat::assert_eq!(count.bytes, 0);
        }
    }
}
