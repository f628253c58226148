//! DCEP wire format (RFC 8832 §5): hand-built messages checked field by
//! field, round trips, every channel type, malformed input.

use zerortc::datachannel::{ChannelType, DataChannelError, DataChannelOpen, DcepMessage};

#[test]
fn open_by_hand() {
    #[rustfmt::skip]
    let bytes = [
        0x03, // DATA_CHANNEL_OPEN
        0x81, // partial reliable rexmit, unordered
        0x01, 0x00, // priority 256
        0x00, 0x00, 0x00, 0x05, // 5 retransmissions
        0x00, 0x04, // label length 4
        0x00, 0x03, // protocol length 3
        b'c', b'h', b'a', b't',
        b'x', b'y', b'z',
    ];
    let DcepMessage::Open(o) = DcepMessage::parse(&bytes).unwrap() else {
        panic!("not OPEN")
    };
    assert_eq!(o.channel_type, ChannelType::PartialReliableRexmitUnordered);
    assert!(o.channel_type.unordered());
    assert_eq!(o.priority, 256);
    assert_eq!(o.reliability_parameter, 5);
    assert_eq!(o.label, b"chat");
    assert_eq!(o.protocol, b"xyz");
    let mut out = [0u8; 64];
    let n = DcepMessage::Open(o).write(&mut out).unwrap();
    assert_eq!(&out[..n], &bytes);
}

#[test]
fn ack_by_hand() {
    assert_eq!(DcepMessage::parse(&[0x02]).unwrap(), DcepMessage::Ack);
    let mut out = [0u8; 1];
    assert_eq!(DcepMessage::Ack.write(&mut out).unwrap(), 1);
    assert_eq!(out, [0x02]);
}

#[test]
fn every_channel_type_round_trips() {
    let types = [
        (0x00, ChannelType::Reliable, false),
        (0x80, ChannelType::ReliableUnordered, true),
        (0x01, ChannelType::PartialReliableRexmit, false),
        (0x81, ChannelType::PartialReliableRexmitUnordered, true),
        (0x02, ChannelType::PartialReliableTimed, false),
        (0x82, ChannelType::PartialReliableTimedUnordered, true),
    ];
    for (byte, ty, unordered) in types {
        assert_eq!(ChannelType::from_u8(byte).unwrap(), ty);
        assert_eq!(ty.to_u8(), byte);
        assert_eq!(ty.unordered(), unordered);
        let open = DcepMessage::Open(DataChannelOpen {
            channel_type: ty,
            priority: 512,
            reliability_parameter: 1000,
            label: "ünïcode".as_bytes(),
            protocol: b"",
        });
        let mut out = vec![0u8; open.encoded_len()];
        open.write(&mut out).unwrap();
        assert_eq!(DcepMessage::parse(&out).unwrap(), open);
    }
    assert_eq!(
        ChannelType::from_u8(0x03),
        Err(DataChannelError::UnknownChannelType(0x03))
    );
}

#[test]
fn malformed_messages() {
    assert_eq!(DcepMessage::parse(&[]), Err(DataChannelError::Truncated));
    assert_eq!(
        DcepMessage::parse(&[0x04]),
        Err(DataChannelError::UnknownMessageType(0x04))
    );
    // Header cut short.
    assert_eq!(
        DcepMessage::parse(&[0x03, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
        Err(DataChannelError::Truncated)
    );
    // Label length beyond the message.
    let lying = [0x03, 0, 0, 0, 0, 0, 0, 0, 0, 5, 0, 0, b'a'];
    assert_eq!(DcepMessage::parse(&lying), Err(DataChannelError::Truncated));
    // Protocol length beyond the message.
    let lying = [0x03, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, b'a', b'b'];
    assert_eq!(DcepMessage::parse(&lying), Err(DataChannelError::Truncated));
    // Unknown channel type.
    let bad = [0x03, 0x7F, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    assert_eq!(
        DcepMessage::parse(&bad),
        Err(DataChannelError::UnknownChannelType(0x7F))
    );
    // Writing into a short buffer.
    assert_eq!(
        DcepMessage::Ack.write(&mut []),
        Err(DataChannelError::BufferTooSmall)
    );
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn any_bytes_never_panic_and_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            if let Ok(m) = DcepMessage::parse(&bytes) {
                let mut out = vec![0u8; m.encoded_len()];
                prop_assert_eq!(m.write(&mut out).unwrap(), m.encoded_len());
                prop_assert_eq!(DcepMessage::parse(&out).unwrap(), m);
            }
        }
    }
}
