//! Regression (found against Chromium 156 in the interop matrix: a 64 MiB
//! data channel transfer that stopped for good): the first fragment of the
//! next ordered message is lost, the messages after it arrive complete and
//! wait for it (RFC 9260 §6.6 ordered delivery) until they fill the
//! receive window. The retransmission of the lost fragment is the next
//! in-sequence TSN and the only chunk that lets anything be delivered: the
//! receiver must take it although the window is full, or the association
//! deadlocks (every retransmission dropped, nothing delivered, ever).
//! Complete messages waiting behind a gap are not "held by the user".
//!
//! Chromium's sender (dcsctp) reached that state when Chromium dropped
//! its own datagrams (EAGAIN on its UDP socket) during a burst; a zerortc
//! sender does not fill the window that tightly, so the packets are
//! written here by hand.
//!
//! Also here: a chunk dropped for a full window is acknowledged at once
//! (what a zero-window prober waits for).

use std::time::Instant;

use zerortc::sctp::{
    Association, CommonHeader, Config, DataHeader, Event, PacketWriter, Reliability,
};

const PPID_BINARY: u32 = 53;
const FLAG_END: u8 = 0x01;
const FLAG_BEGIN: u8 = 0x02;
const WINDOW: u32 = 8192;

/// `a` and `b` connected in memory; `b`'s receive window is [`WINDOW`].
fn pair() -> (Association, Association, Instant) {
    let now = Instant::now();
    let mut a = Association::new(
        Config {
            seed: 1,
            ..Config::default()
        },
        now,
    );
    let mut b = Association::new(
        Config {
            seed: 2,
            receive_window: WINDOW,
            ..Config::default()
        },
        now,
    );
    a.connect(now);
    b.connect(now);
    let mut buf = [0u8; 1500];
    for _ in 0..6 {
        while let Some(n) = a.poll_transmit(now, &mut buf) {
            b.handle_receive(now, &buf[..n]).unwrap();
        }
        while let Some(n) = b.poll_transmit(now, &mut buf) {
            a.handle_receive(now, &buf[..n]).unwrap();
        }
    }
    assert!(a.is_established() && b.is_established());
    (a, b, now)
}

/// One DATA chunk from `a` to `b`, written by hand.
fn data(tag: u32, tsn: u32, ssn: u16, flags: u8, payload: &[u8]) -> Vec<u8> {
    let mut buf = vec![0u8; 1500];
    let header = CommonHeader {
        source_port: 5000,
        destination_port: 5000,
        verification_tag: tag,
        checksum: 0,
    };
    let mut w = PacketWriter::new(&mut buf, header).unwrap();
    w.data(
        &DataHeader {
            flags,
            tsn,
            stream_id: 1,
            ssn,
            ppid: PPID_BINARY,
        },
        payload,
    )
    .unwrap();
    let n = w.finish(false);
    buf.truncate(n);
    buf
}

fn messages(b: &mut Association) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    while let Some(e) = b.poll_event() {
        if let Event::Message(m) = e {
            out.push(m.data);
        }
    }
    out
}

#[test]
fn retransmission_of_a_lost_fragment_is_taken_when_waiting_messages_fill_the_window() {
    let (mut a, mut b, now) = pair();
    // The tag and the next TSN: one real message from a.
    a.send(now, 1, PPID_BINARY, b"first", false, Reliability::Reliable)
        .unwrap();
    let mut buf = [0u8; 1500];
    let n = a.poll_transmit(now, &mut buf).unwrap();
    b.handle_receive(now, &buf[..n]).unwrap();
    let tag = u32::from_be_bytes(buf[4..8].try_into().unwrap());
    let first_tsn = u32::from_be_bytes(buf[16..20].try_into().unwrap());
    assert_eq!(messages(&mut b), [b"first".to_vec()]);

    // Message 1 (ssn 1) in two fragments of 1000 bytes: the first is lost.
    let part = |i: u8| vec![i; 1000];
    let t0 = first_tsn.wrapping_add(1);
    b.handle_receive(now, &data(tag, t0.wrapping_add(1), 1, FLAG_END, &part(1)))
        .unwrap();
    // Messages 2.. (ssn 2..) complete, 1000 bytes each, until the window
    // is full: 1000 held + 7 × 1000 waiting = 8000 of 8192.
    for i in 0..7u16 {
        let tsn = t0.wrapping_add(2 + u32::from(i));
        let m = data(tag, tsn, 2 + i, FLAG_BEGIN | FLAG_END, &part(2 + i as u8));
        b.handle_receive(now, &m).unwrap();
    }
    assert!(messages(&mut b).is_empty(), "nothing can be delivered yet");

    // The retransmission of the lost fragment: the next in-sequence TSN.
    b.handle_receive(now, &data(tag, t0, 1, FLAG_BEGIN, &part(1)))
        .unwrap();
    let got = messages(&mut b);
    let mut want = vec![[part(1), part(1)].concat()];
    want.extend((2..9u8).map(part));
    assert_eq!(
        got.len(),
        want.len(),
        "the fragment that completes the blocking message was refused: \
         the association would never deliver again"
    );
    assert_eq!(got, want);
}

/// RFC 9260 §6.2: a DATA chunk dropped because the window is full is
/// answered at once by a SACK that shows the closed window and leaves the
/// chunk out — not after the delayed-ack timer. That SACK is how a
/// zero-window prober (usrsctp, zerortc) tells "the window is still
/// closed" from "the peer is gone": without it, the probe's
/// retransmission timer fires first and counts as a timeout.
#[test]
fn a_chunk_dropped_for_a_full_window_is_acknowledged_at_once() {
    let (mut a, mut b, now) = pair();
    a.send(now, 1, PPID_BINARY, b"first", false, Reliability::Reliable)
        .unwrap();
    let mut buf = [0u8; 1500];
    let n = a.poll_transmit(now, &mut buf).unwrap();
    b.handle_receive(now, &buf[..n]).unwrap();
    let tag = u32::from_be_bytes(buf[4..8].try_into().unwrap());
    let first_tsn = u32::from_be_bytes(buf[16..20].try_into().unwrap());

    // The user reads nothing: 5 + 8 × 1000 bytes unread of 8192.
    let t0 = first_tsn.wrapping_add(1);
    for i in 0..8u16 {
        let tsn = t0.wrapping_add(u32::from(i));
        let m = data(tag, tsn, 1 + i, FLAG_BEGIN | FLAG_END, &[i as u8; 1000]);
        b.handle_receive(now, &m).unwrap();
    }
    // Every SACK so far out, the delayed one included.
    let later = now + std::time::Duration::from_secs(1);
    b.handle_timeout(later);
    while b.poll_transmit(later, &mut buf).is_some() {}

    // One more in-sequence message: no room, dropped.
    let last_accepted = t0.wrapping_add(7);
    let m = data(
        tag,
        t0.wrapping_add(8),
        9,
        FLAG_BEGIN | FLAG_END,
        &[9; 1000],
    );
    b.handle_receive(later, &m).unwrap();
    let n = b
        .poll_transmit(later, &mut buf)
        .expect("a SACK at once for the dropped chunk");
    let sack = &buf[12..n];
    assert_eq!(sack[0], 3, "a SACK chunk");
    let cum = u32::from_be_bytes(sack[4..8].try_into().unwrap());
    let a_rwnd = u32::from_be_bytes(sack[8..12].try_into().unwrap());
    assert_eq!(cum, last_accepted, "the dropped chunk is not acknowledged");
    assert_eq!(a_rwnd, 8192 - 8005, "the closed window");
    // The messages were kept.
    assert_eq!(messages(&mut b).len(), 9);
}
