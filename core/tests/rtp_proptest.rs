//! Property tests: marshal → parse recovers every field, parse → marshal is
//! byte-identical, and nothing panics on arbitrary bytes.

use proptest::collection::{btree_map, vec};
use proptest::prelude::*;
use zerortc::rtp::{
    AbsSendTime, AudioLevel, ExtensionBlock, ExtensionElements, ExtensionEncoding, ExtensionForm,
    ExtensionValue, PlayoutDelay, RepairedRtpStreamId, RtpError, RtpHeader, RtpPacket, RtpStreamId,
    SdesMid, TransportSequenceNumber, VideoOrientation,
};

/// Owned description of a packet, turned into an `RtpHeader` borrowing it.
#[derive(Debug, Clone)]
struct Spec {
    marker: bool,
    payload_type: u8,
    sequence_number: u16,
    timestamp: u32,
    ssrc: u32,
    csrcs: Vec<u32>,
    elements: Vec<(u8, Vec<u8>)>,
    encoding: ExtensionEncoding,
    payload: Vec<u8>,
    padding: Option<u8>,
}

impl Spec {
    fn header(&self) -> RtpHeader<'_> {
        let mut h = RtpHeader::new(
            self.payload_type,
            self.sequence_number,
            self.timestamp,
            self.ssrc,
        );
        h.marker = self.marker;
        for &c in &self.csrcs {
            h.push_csrc(c).unwrap();
        }
        let mut elements = ExtensionElements::new();
        for (id, v) in &self.elements {
            elements.try_push((*id, v)).unwrap();
        }
        if !self.elements.is_empty() {
            h.extension = ExtensionBlock::Elements {
                encoding: self.encoding,
                elements,
            };
        }
        if let Some(n) = self.padding {
            h.padding = zerortc::rtp::Padding::Zeros(n);
        }
        h
    }

    fn expected_form(&self) -> ExtensionForm {
        let one_byte_ok = self
            .elements
            .iter()
            .all(|(id, v)| ExtensionForm::OneByte.can_carry(*id, v.len()));
        match self.encoding {
            ExtensionEncoding::OneByte => ExtensionForm::OneByte,
            ExtensionEncoding::TwoByte => ExtensionForm::TwoByte,
            ExtensionEncoding::Auto if one_byte_ok => ExtensionForm::OneByte,
            ExtensionEncoding::Auto => ExtensionForm::TwoByte,
        }
    }
}

fn one_byte_elements() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
    btree_map(1u8..=14, vec(any::<u8>(), 1..=16), 0..=14).prop_map(|m| m.into_iter().collect())
}

fn two_byte_elements() -> impl Strategy<Value = Vec<(u8, Vec<u8>)>> {
    btree_map(1u8..=255, vec(any::<u8>(), 0..=40), 0..=16).prop_map(|m| m.into_iter().collect())
}

fn spec() -> impl Strategy<Value = Spec> {
    let elements = prop_oneof![
        one_byte_elements().prop_flat_map(|e| (
            Just(e),
            prop_oneof![
                Just(ExtensionEncoding::Auto),
                Just(ExtensionEncoding::OneByte),
                Just(ExtensionEncoding::TwoByte)
            ]
        )),
        two_byte_elements().prop_flat_map(|e| (
            Just(e),
            prop_oneof![
                Just(ExtensionEncoding::Auto),
                Just(ExtensionEncoding::TwoByte)
            ]
        )),
    ];
    (
        (
            any::<bool>(),
            0u8..128,
            any::<u16>(),
            any::<u32>(),
            any::<u32>(),
        ),
        vec(any::<u32>(), 0..=15),
        elements,
        vec(any::<u8>(), 0..300),
        prop::option::of(1u8..=255),
    )
        .prop_map(
            |(
                (marker, payload_type, sequence_number, timestamp, ssrc),
                csrcs,
                e,
                payload,
                padding,
            )| {
                Spec {
                    marker,
                    payload_type,
                    sequence_number,
                    timestamp,
                    ssrc,
                    csrcs,
                    elements: e.0,
                    encoding: e.1,
                    payload,
                    padding,
                }
            },
        )
}

/// Bytes that start like an RTP packet (version 2) with random flags, so
/// that parsing gets past the version check most of the time.
fn rtp_like_bytes() -> impl Strategy<Value = Vec<u8>> {
    (any::<u8>(), vec(any::<u8>(), 0..200)).prop_map(|(first, mut rest)| {
        rest.insert(0, 0x80 | (first & 0x3f));
        rest
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn marshal_then_parse_recovers_everything(spec in spec()) {
        let header = spec.header();
        let mut out = vec![0u8; 8192];
        let n = header.marshal_packet(&spec.payload, &mut out).unwrap();
        prop_assert_eq!(n, header.packet_len(spec.payload.len()).unwrap());
        let bytes = &out[..n];
        let p = RtpPacket::parse(bytes).unwrap();
        prop_assert_eq!(p.version(), 2);
        prop_assert_eq!(p.marker(), spec.marker);
        prop_assert_eq!(p.payload_type(), spec.payload_type);
        prop_assert_eq!(p.sequence_number(), spec.sequence_number);
        prop_assert_eq!(p.timestamp(), spec.timestamp);
        prop_assert_eq!(p.ssrc(), spec.ssrc);
        prop_assert_eq!(p.csrcs().collect::<Vec<_>>(), spec.csrcs.clone());
        prop_assert_eq!(p.payload(), &spec.payload[..]);
        prop_assert_eq!(p.padding_len(), spec.padding.map_or(0, usize::from));
        prop_assert_eq!(p.has_padding(), spec.padding.is_some());
        prop_assert_eq!(p.header_len(), header.header_len().unwrap());
        prop_assert_eq!(p.has_extension(), !spec.elements.is_empty());
        let ext = p.extensions().unwrap();
        let got: Vec<(u8, Vec<u8>)> = ext.iter().map(|(id, v)| (id, v.to_vec())).collect();
        prop_assert_eq!(&got, &spec.elements);
        if !spec.elements.is_empty() {
            prop_assert_eq!(ext.form(), Some(spec.expected_form()));
        }
        for (id, v) in &spec.elements {
            prop_assert_eq!(ext.get(*id), Some(&v[..]));
            prop_assert_eq!(p.extension(*id), Some(Ok(&v[..])));
        }
        // Header-only marshal agrees with the packet's header bytes.
        let mut head = vec![0u8; 8192];
        let hn = header.marshal_header(&mut head).unwrap();
        prop_assert_eq!(&head[..hn], &bytes[..p.header_len()]);
        // And parse → marshal gives the same bytes back.
        let mut again = vec![0u8; 8192];
        let m = p.to_header().marshal_packet(p.payload(), &mut again).unwrap();
        prop_assert_eq!(&again[..m], bytes);
        // Every smaller buffer is a typed error.
        for size in [0, n / 2, n - 1] {
            prop_assert_eq!(
                header.marshal_packet(&spec.payload, &mut out[..size]),
                Err(RtpError::BufferTooSmall { needed: n, got: size })
            );
        }
    }

    #[test]
    fn elements_survive_an_edit(spec in spec(), id in 1u8..=255, value in vec(any::<u8>(), 0..=20)) {
        // Parse a packet, set one extension, marshal: the other elements are
        // unchanged and the new value is there.
        let header = spec.header();
        let mut out = vec![0u8; 8192];
        let n = header.marshal_packet(&spec.payload, &mut out).unwrap();
        let p = RtpPacket::parse(&out[..n]).unwrap();
        let mut edited = p.to_header();
        let full = spec.elements.len() == 16 && !spec.elements.iter().any(|(i, _)| *i == id);
        match edited.set_extension(id, &value) {
            Ok(()) => prop_assert!(!full),
            Err(e) => {
                prop_assert!(full);
                prop_assert_eq!(e, RtpError::TooManyExtensions);
                return Ok(());
            }
        }
        let mut again = vec![0u8; 8192];
        let m = edited.marshal_packet(p.payload(), &mut again).unwrap();
        let q = RtpPacket::parse(&again[..m]).unwrap();
        let ext = q.extensions().unwrap();
        prop_assert_eq!(ext.get(id), Some(&value[..]));
        for (i, v) in &spec.elements {
            if *i != id {
                prop_assert_eq!(ext.get(*i), Some(&v[..]));
            }
        }
        prop_assert_eq!(q.payload(), p.payload());
        prop_assert_eq!(q.padding(), p.padding());
    }

    #[test]
    fn arbitrary_bytes_never_panic_and_round_trip(bytes in prop_oneof![vec(any::<u8>(), 0..200), rtp_like_bytes()]) {
        if let Ok(p) = RtpPacket::parse(&bytes) {
            prop_assert!(p.header_len() + p.payload().len() + p.padding_len() == bytes.len());
            let _ = p.csrcs().count();
            if let Ok(ext) = p.extensions() {
                for (id, v) in ext.iter() {
                    prop_assert!(id != 0);
                    prop_assert_eq!(ext.get(id).is_some(), true);
                    let _ = v.len();
                }
            }
            for id in 0..=255u8 {
                let _ = p.extension(id);
            }
            let mut out = vec![0u8; bytes.len()];
            let n = p.to_header().marshal_packet(p.payload(), &mut out).unwrap();
            prop_assert_eq!(&out[..n], &bytes[..]);
        }
    }

    #[test]
    fn typed_values_parse_write_parse(bytes in vec(any::<u8>(), 0..20)) {
        macro_rules! check {
            ($t:ident) => {
                if let Ok(v) = $t::parse(&bytes) {
                    let mut out = [0u8; 300];
                    let n = v.write(&mut out).unwrap();
                    prop_assert_eq!(n, v.encoded_len());
                    let w = $t::parse(&out[..n]).unwrap();
                    prop_assert_eq!(w, v);
                }
            };
        }
        check!(AbsSendTime);
        check!(TransportSequenceNumber);
        check!(SdesMid);
        check!(RtpStreamId);
        check!(RepairedRtpStreamId);
        check!(AudioLevel);
        check!(VideoOrientation);
        check!(PlayoutDelay);
        // Values whose wire form has no spare bits come back byte for byte.
        if let Ok(v) = AbsSendTime::parse(&bytes) {
            let mut out = [0u8; 3];
            v.write(&mut out).unwrap();
            prop_assert_eq!(&out[..], &bytes[..]);
        }
        if let Ok(v) = PlayoutDelay::parse(&bytes) {
            let mut out = [0u8; 3];
            v.write(&mut out).unwrap();
            prop_assert_eq!(&out[..], &bytes[..]);
        }
    }
}
