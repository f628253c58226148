//! Zero heap allocations per packet in steady state: protect and unprotect
//! of SRTP and SRTCP, every profile, once the SSRC is known. (The lab's
//! `allocs/` suite will measure the same with dhat; this keeps the property
//! under `cargo test -p zerortc`.) Only allocations made by the measuring
//! thread are counted: the test harness's own threads print and allocate
//! concurrently.

use zerortc::srtp::{SrtpConfig, SrtpProfile, SrtpProtector, SrtpUnprotector};

#[path = "support/counting_alloc.rs"]
mod counting_alloc;
use counting_alloc::allocations_during;

fn rtp(ssrc: u32, seq: u16, out: &mut [u8; 1500], payload_len: usize) -> usize {
    out[0] = 0x80;
    out[1] = 96;
    out[2..4].copy_from_slice(&seq.to_be_bytes());
    out[4..8].copy_from_slice(&u32::from(seq).to_be_bytes());
    out[8..12].copy_from_slice(&ssrc.to_be_bytes());
    out[12..12 + payload_len].fill(seq as u8);
    12 + payload_len
}

fn rtcp(ssrc: u32, out: &mut [u8; 1500]) -> usize {
    out[..4].copy_from_slice(&[0x81, 201, 0, 7]);
    out[4..8].copy_from_slice(&ssrc.to_be_bytes());
    out[8..32].fill(0x33);
    32
}

#[test]
fn steady_state_protect_and_unprotect_allocate_nothing() {
    assert_eq!(
        allocations_during(|| drop(std::hint::black_box(Box::new(1u64)))),
        1,
        "the counting allocator sees this thread"
    );
    for profile in SrtpProfile::ALL {
        let key = vec![1u8; profile.master_key_len()];
        let salt = vec![2u8; profile.master_salt_len()];
        let mut tx = SrtpProtector::new(profile, &key, &salt, SrtpConfig::default()).unwrap();
        let mut rx = SrtpUnprotector::new(profile, &key, &salt, SrtpConfig::default()).unwrap();
        let mut buf = [0u8; 1500];
        let ssrcs = [0x1111_1111u32, 0x2222_2222, 0x3333_3333];
        // Warm up: the first packet of each SSRC creates its state.
        for ssrc in ssrcs {
            let n = rtp(ssrc, 65_000, &mut buf, 160);
            let n = tx.protect_rtp(&mut buf, n).unwrap();
            rx.unprotect_rtp(&mut buf[..n]).unwrap();
            let n = rtcp(ssrc, &mut buf);
            let n = tx.protect_rtcp(&mut buf, n).unwrap();
            rx.unprotect_rtcp(&mut buf[..n]).unwrap();
        }

        let mut ops = 0u64;
        let allocations = allocations_during(|| {
            for i in 1..=2_000u16 {
                let seq = 65_000u16.wrapping_add(i); // crosses the wrap
                for ssrc in ssrcs {
                    let n = rtp(ssrc, seq, &mut buf, if i % 2 == 0 { 160 } else { 1200 });
                    let n = tx.protect_rtp(&mut buf, n).unwrap();
                    rx.unprotect_rtp(&mut buf[..n]).unwrap();
                    // A replay is refused without allocating.
                    assert!(rx.unprotect_rtp(&mut buf[..n]).is_err());
                    ops += 3;
                }
                if i % 10 == 0 {
                    let n = rtcp(ssrcs[0], &mut buf);
                    let n = tx.protect_rtcp(&mut buf, n).unwrap();
                    rx.unprotect_rtcp(&mut buf[..n]).unwrap();
                    ops += 2;
                }
            }
        });
        assert_eq!(rx.roc(ssrcs[0]), Some(1));
        assert_eq!(
            allocations, 0,
            "{profile:?}: {allocations} allocations in {ops} operations"
        );
    }
}
