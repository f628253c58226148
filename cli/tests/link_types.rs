//! Legacy pcap files (both byte orders, micro- and nanosecond magic) and
//! every supported link type, built by hand.

use std::io;

use zerortc_cli::inspect::{Options, run};

/// A minimal RTP packet: V=2, PT 111, seq 7, ts 960, SSRC 0x01020304, 2-byte payload.
const RTP: [u8; 14] = [0x80, 111, 0, 7, 0, 0, 0x03, 0xc0, 1, 2, 3, 4, 0xaa, 0xbb];
/// An RTCP receiver report with no report block (SSRC 0x01020304).
const RTCP_RR: [u8; 8] = [0x80, 201, 0, 1, 1, 2, 3, 4];

fn ipv4_udp(payload: &[u8]) -> Vec<u8> {
    let total = (20 + 8 + payload.len()) as u16;
    let mut p = vec![0x45, 0];
    p.extend_from_slice(&total.to_be_bytes());
    p.extend_from_slice(&[0, 0, 0x40, 0, 64, 17, 0, 0, 127, 0, 0, 1, 127, 0, 0, 1]);
    p.extend_from_slice(&5000u16.to_be_bytes());
    p.extend_from_slice(&6000u16.to_be_bytes());
    p.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(payload);
    p
}

fn ipv6_udp(payload: &[u8]) -> Vec<u8> {
    let mut p = vec![0x60, 0, 0, 0];
    p.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    p.extend_from_slice(&[17, 64]);
    p.extend_from_slice(&std::net::Ipv6Addr::LOCALHOST.octets());
    p.extend_from_slice(&std::net::Ipv6Addr::LOCALHOST.octets());
    p.extend_from_slice(&5000u16.to_be_bytes());
    p.extend_from_slice(&6000u16.to_be_bytes());
    p.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    p.extend_from_slice(&[0, 0]);
    p.extend_from_slice(payload);
    p
}

/// A legacy pcap file. `big_endian` writes every field big endian;
/// `nanos` uses the nanosecond magic.
fn pcap(linktype: u32, frames: &[Vec<u8>], big_endian: bool, nanos: bool) -> Vec<u8> {
    let u32b = |v: u32| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let u16b = |v: u16| {
        if big_endian {
            v.to_be_bytes()
        } else {
            v.to_le_bytes()
        }
    };
    let mut f = Vec::new();
    f.extend_from_slice(&u32b(if nanos { 0xa1b2_3c4d } else { 0xa1b2_c3d4 }));
    f.extend_from_slice(&u16b(2));
    f.extend_from_slice(&u16b(4));
    f.extend_from_slice(&u32b(0));
    f.extend_from_slice(&u32b(0));
    f.extend_from_slice(&u32b(65535));
    f.extend_from_slice(&u32b(linktype));
    for (i, frame) in frames.iter().enumerate() {
        f.extend_from_slice(&u32b(1_700_000_000));
        let fraction = if nanos { 500_000_000 } else { 500_000 } * i as u32;
        f.extend_from_slice(&u32b(fraction));
        f.extend_from_slice(&u32b(frame.len() as u32));
        f.extend_from_slice(&u32b(frame.len() as u32));
        f.extend_from_slice(frame);
    }
    f
}

fn json_lines(file: &[u8]) -> Vec<serde_json::Value> {
    let options = Options {
        json: true,
        ..Options::default()
    };
    let mut out = Vec::new();
    let (_, error) = run(file, &options, &mut out, None).unwrap();
    assert_eq!(error, None);
    String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn check_rtp_then_rtcp(lines: &[serde_json::Value]) {
    assert_eq!(lines.len(), 3, "{lines:?}");
    assert_eq!(lines[0]["kind"], "rtp");
    assert_eq!(lines[0]["rtp"]["ssrc"], 0x0102_0304);
    assert_eq!(lines[0]["rtp"]["pt"], 111);
    assert_eq!(lines[0]["rtp"]["seq"], 7);
    assert_eq!(lines[0]["rtp"]["ts"], 960);
    assert_eq!(
        lines[0]["dst"].as_str().unwrap().rsplit(':').next(),
        Some("6000")
    );
    assert_eq!(lines[1]["kind"], "rtcp");
    assert!(lines[1].get("error").is_none(), "{}", lines[1]);
    assert_eq!(lines[1]["rtcp"][0]["type"], "RR");
    assert_eq!(lines[1]["rtcp"][0]["ssrc"], 0x0102_0304);
    assert_eq!(lines[1]["rtcp"][0]["reports"], serde_json::json!([]));
    assert_eq!(lines[0]["time"], 0.0);
    assert_eq!(lines[1]["time"], 0.5);
    assert_eq!(lines[2]["summary"]["undecoded"], 0);
}

fn wrap(link: &[u8], ip: Vec<u8>) -> Vec<u8> {
    let mut f = link.to_vec();
    f.extend(ip);
    f
}

#[test]
fn ethernet_both_byte_orders_and_precisions() {
    let eth = [[0u8; 12].as_slice(), &[0x08, 0x00]].concat();
    let frames = [wrap(&eth, ipv4_udp(&RTP)), wrap(&eth, ipv4_udp(&RTCP_RR))];
    for big_endian in [false, true] {
        for nanos in [false, true] {
            check_rtp_then_rtcp(&json_lines(&pcap(1, &frames, big_endian, nanos)));
        }
    }
}

#[test]
fn linux_cooked_v1_and_v2() {
    let sll = [[0u8; 14].as_slice(), &[0x08, 0x00]].concat();
    let frames = [wrap(&sll, ipv4_udp(&RTP)), wrap(&sll, ipv4_udp(&RTCP_RR))];
    check_rtp_then_rtcp(&json_lines(&pcap(113, &frames, false, false)));
    let sll2 = [[0x86, 0xdd].as_slice(), &[0u8; 18]].concat();
    let frames = [wrap(&sll2, ipv6_udp(&RTP)), wrap(&sll2, ipv6_udp(&RTCP_RR))];
    let lines = json_lines(&pcap(276, &frames, false, false));
    assert_eq!(lines[0]["src"], "[::1]:5000");
    check_rtp_then_rtcp(&lines);
}

#[test]
fn raw_ip_and_loopback() {
    let frames = [ipv4_udp(&RTP), ipv6_udp(&RTCP_RR)];
    for linktype in [101, 228] {
        let frames = [ipv4_udp(&RTP), ipv4_udp(&RTCP_RR)];
        check_rtp_then_rtcp(&json_lines(&pcap(linktype, &frames, false, false)));
    }
    check_rtp_then_rtcp(&json_lines(&pcap(101, &frames, false, false)));
    let null = [
        wrap(&2u32.to_le_bytes(), ipv4_udp(&RTP)),
        wrap(&30u32.to_le_bytes(), ipv6_udp(&RTCP_RR)),
    ];
    check_rtp_then_rtcp(&json_lines(&pcap(0, &null, false, false)));
    let lo = [
        wrap(&2u32.to_be_bytes(), ipv4_udp(&RTP)),
        wrap(&24u32.to_be_bytes(), ipv6_udp(&RTCP_RR)),
    ];
    check_rtp_then_rtcp(&json_lines(&pcap(108, &lo, false, false)));
}

#[test]
fn unsupported_link_type_and_non_udp_are_other() {
    let lines = json_lines(&pcap(147, &[ipv4_udp(&RTP)], false, false));
    assert_eq!(lines[0]["kind"], "other");
    assert_eq!(lines[0]["note"], "unsupported link type 147");
    assert!(lines[0].get("error").is_none());
    let mut tcp = ipv4_udp(&RTP);
    tcp[9] = 6;
    let lines = json_lines(&pcap(101, &[tcp], false, false));
    assert_eq!(lines[0]["kind"], "other");
    assert_eq!(lines[0]["note"], "IP protocol 6");
}

#[test]
fn damaged_frames_are_counted_per_reason() {
    let mut short_udp = ipv4_udp(&RTP);
    short_udp.truncate(30); // the IPv4 total length now lies
    let empty = ipv4_udp(&[]);
    let odd = ipv4_udp(&[0xff, 1, 2]);
    let frames = [short_udp.clone(), short_udp, empty, odd];
    let lines = json_lines(&pcap(101, &frames, false, false));
    let summary = &lines[4]["summary"];
    assert_eq!(summary["undecoded"], 4);
    assert_eq!(summary["errors"]["frame: truncated IPv4 packet"], 2);
    assert_eq!(summary["errors"]["udp: empty UDP payload"], 1);
    assert_eq!(
        summary["errors"]["udp: no demultiplexing range for the first byte"],
        1
    );
    assert!(
        lines[0]["error"]
            .as_str()
            .unwrap()
            .contains("30 of 42 bytes")
    );
}

#[test]
fn every_truncation_of_a_pcap_is_reported_with_its_offset() {
    let eth = [[0u8; 12].as_slice(), &[0x08, 0x00]].concat();
    let frames = [wrap(&eth, ipv4_udp(&RTP)), wrap(&eth, ipv4_udp(&RTCP_RR))];
    let file = pcap(1, &frames, false, false);
    let first_record_end = 24 + 16 + frames[0].len();
    for cut in 0..file.len() {
        let (summary, error) =
            run(&file[..cut], &Options::default(), &mut io::sink(), None).unwrap();
        let expected_offset = match cut {
            0..24 => 0,
            24 => {
                assert_eq!(error, None);
                continue;
            }
            _ if cut < first_record_end => 24,
            _ if cut == first_record_end => {
                assert_eq!((summary.frames, error), (1, None));
                continue;
            }
            _ => first_record_end,
        };
        assert_eq!(error.unwrap().offset, expected_offset, "cut {cut}");
    }
}

#[test]
fn every_demultiplexed_kind_end_to_end() {
    // RFC 5769 §2.1 sample request (header + attributes).
    let stun: Vec<u8> = [
        &[0x00, 0x01, 0x00, 0x58, 0x21, 0x12, 0xa4, 0x42][..],
        &[
            0xb7, 0xe7, 0xa7, 0x01, 0xbc, 0x34, 0xd6, 0x86, 0xfa, 0x87, 0xdf, 0xae,
        ],
        &[0x80, 0x22, 0x00, 0x10],
        b"STUN test client",
        &[0x00, 0x24, 0x00, 0x04, 0x6e, 0x00, 0x01, 0xff],
        &[
            0x80, 0x29, 0x00, 0x08, 0x93, 0x2f, 0xf9, 0xb1, 0x51, 0x26, 0x3b, 0x36,
        ],
        &[0x00, 0x06, 0x00, 0x09],
        b"evtj:h6vY   ",
        &[0x00, 0x08, 0x00, 0x14],
        &[0x9a, 0xea, 0xa7, 0x0c, 0xbf, 0xd8, 0xcb, 0x56, 0x78, 0x1e],
        &[0xf2, 0xb5, 0xb2, 0xd3, 0xf2, 0x49, 0xc1, 0xb5, 0x71, 0xa2],
        &[0x80, 0x28, 0x00, 0x04, 0xe5, 0x7a, 0x3b, 0xcf],
    ]
    .concat();
    // DTLS 1.2 handshake record (ClientHello fragment) + DTLS 1.3 unified header record.
    let dtls = [
        &[22, 0xfe, 0xfd, 0, 0, 0, 0, 0, 0, 0, 7, 0, 4, 1, 0, 0, 0][..],
        &[0b0010_1101, 0x01, 0x02, 0x00, 0x02, 0xaa, 0xbb],
    ]
    .concat();
    let turn = vec![0x40, 0x01, 0x00, 0x03, 1, 2, 3, 0];
    let zrtp = vec![0x10, 0, 0, 1];
    let frames: Vec<Vec<u8>> = [stun, dtls, turn, zrtp, RTP.to_vec(), RTCP_RR.to_vec()]
        .iter()
        .map(|p| ipv4_udp(p))
        .collect();
    let lines = json_lines(&pcap(101, &frames, false, false));
    let kinds: Vec<&str> = lines[..6]
        .iter()
        .map(|l| l["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["stun", "dtls", "turn_channel", "zrtp", "rtp", "rtcp"]
    );
    let stun = &lines[0]["stun"];
    assert_eq!(stun["class"], "request");
    assert_eq!(stun["method_name"], "Binding");
    assert_eq!(stun["transaction_id"], "b7e7a701bc34d686fa87dfae");
    assert_eq!(stun["attributes"][0], "SOFTWARE");
    let dtls = &lines[1]["dtls"];
    assert_eq!(dtls[0]["content"], "handshake");
    assert_eq!(dtls[0]["handshake"], "ClientHello");
    assert_eq!(dtls[0]["version"], 0xfefd);
    assert_eq!(dtls[0]["sequence"], 7);
    assert_eq!(dtls[1]["content"], "dtls13_ciphertext");
    assert_eq!(dtls[1]["epoch"], 1);
    assert_eq!(dtls[1]["sequence"], 0x0102);
    assert_eq!(lines[2]["turn_channel"]["channel"], 0x4001);
    assert_eq!(lines[2]["turn_channel"]["length"], 3);
    assert_eq!(lines[6]["summary"]["undecoded"], 0);
}

#[test]
fn sdp_extmap_names_and_decodes_extensions() {
    // RTP with a one-byte extension block: id 1 audio level (-42 dBov,
    // voice), id 5 an extension zerortc does not decode (named from its URI).
    let rtp = [
        0x90,
        111,
        0,
        9,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        1, // V=2 X=1
        0xbe,
        0xde,
        0x00,
        0x02, // one-byte form, 2 words
        0x10,
        0x80 | 42, // id 1, len 1
        0x51,
        0xaa,
        0xbb, // id 5, len 2
        0x00,
        0x00,
        0x00, // padding
        0xde,
        0xad, // payload
    ];
    let options = Options {
        json: true,
        media: {
            let mut m = zerortc_cli::media::MediaContext::default();
            m.add_sdp(
                "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n\
                 a=extmap:5/sendrecv http://www.webrtc.org/experiments/rtp-hdrext/video-timing\r\n",
            );
            m
        },
        ..Options::default()
    };
    let mut out = Vec::new();
    run(
        &pcap(101, &[ipv4_udp(&rtp)], false, false),
        &options,
        &mut out,
        None,
    )
    .unwrap();
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().next().unwrap()).unwrap();
    let ext = &line["rtp"]["extensions"];
    assert_eq!(ext[0]["id"], 1);
    assert_eq!(ext[0]["name"], "audio-level");
    assert_eq!(ext[0]["value"]["dbov"], -42);
    assert_eq!(ext[0]["value"]["voice_activity"], true);
    assert_eq!(ext[1]["id"], 5);
    assert_eq!(ext[1]["name"], "video-timing");
    assert!(ext[1].get("value").is_none());
    assert_eq!(ext[1]["raw"], "aabb");
    assert_eq!(line["rtp"]["payload_len"], 2);
}

#[test]
fn a_bad_extension_value_is_a_decode_error() {
    // Audio level must be 1 byte: a 2-byte value under its id is an error.
    let rtp = [
        0x90, 111, 0, 9, 0, 0, 0, 0, 0, 0, 0, 1, 0xbe, 0xde, 0x00, 0x01, 0x11, 0x80, 0x80, 0x00,
    ];
    let options = Options {
        json: true,
        media: {
            let mut m = zerortc_cli::media::MediaContext::default();
            m.add_sdp("a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level");
            m
        },
        ..Options::default()
    };
    let mut out = Vec::new();
    let (summary, _) = run(
        &pcap(101, &[ipv4_udp(&rtp)], false, false),
        &options,
        &mut out,
        None,
    )
    .unwrap();
    assert_eq!(summary.undecoded, 1);
    let line: serde_json::Value =
        serde_json::from_str(String::from_utf8(out).unwrap().lines().next().unwrap()).unwrap();
    assert_eq!(line["kind"], "rtp");
    assert!(
        line["error"].as_str().unwrap().contains("extension 1"),
        "{line}"
    );
}

/// A pcapng file with one section per entry of `sections` (its byte order),
/// each with one interface (`linktype`, timestamps in nanoseconds) and the
/// frames as enhanced packet blocks.
fn pcapng(sections: &[bool], linktype: u16, frames: &[Vec<u8>]) -> Vec<u8> {
    let mut f = Vec::new();
    for &big_endian in sections {
        let u32b = |v: u32| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let u16b = |v: u16| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        let block = |f: &mut Vec<u8>, kind: u32, body: &[u8]| {
            let len = 12 + body.len() as u32;
            f.extend_from_slice(&u32b(kind));
            f.extend_from_slice(&u32b(len));
            f.extend_from_slice(body);
            f.extend_from_slice(&u32b(len));
        };
        let mut shb = u32b(0x1a2b_3c4d).to_vec();
        shb.extend_from_slice(&u16b(1));
        shb.extend_from_slice(&u16b(0));
        shb.extend_from_slice(&[0xff; 8]);
        block(&mut f, 0x0a0d_0d0a, &shb);
        let mut idb = u16b(linktype).to_vec();
        idb.extend_from_slice(&u16b(0));
        idb.extend_from_slice(&u32b(0));
        idb.extend_from_slice(&u16b(9)); // if_tsresol
        idb.extend_from_slice(&u16b(1));
        idb.extend_from_slice(&[9, 0, 0, 0]); // 10^-9 s
        idb.extend_from_slice(&[0; 4]); // opt_endofopt
        block(&mut f, 1, &idb);
        for (i, frame) in frames.iter().enumerate() {
            let ns = 1_700_000_000_000_000_000u64 + 500_000_000 * i as u64;
            let mut epb = u32b(0).to_vec();
            epb.extend_from_slice(&u32b((ns >> 32) as u32));
            epb.extend_from_slice(&u32b(ns as u32));
            epb.extend_from_slice(&u32b(frame.len() as u32));
            epb.extend_from_slice(&u32b(frame.len() as u32));
            epb.extend_from_slice(frame);
            epb.resize(epb.len().next_multiple_of(4), 0);
            block(&mut f, 6, &epb);
        }
    }
    f
}

#[test]
fn pcapng_in_either_byte_order_and_several_sections() {
    let frames = [ipv4_udp(&RTP), ipv4_udp(&RTCP_RR)];
    check_rtp_then_rtcp(&json_lines(&pcapng(&[false], 101, &frames)));
    check_rtp_then_rtcp(&json_lines(&pcapng(&[true], 101, &frames)));
    let lines = json_lines(&pcapng(&[true, false], 101, &frames));
    assert_eq!(lines.len(), 5);
    assert_eq!(lines[4]["summary"]["kinds"]["rtp"], 2);
    assert_eq!(lines[4]["summary"]["kinds"]["rtcp"], 2);
}

#[test]
fn pcapng_packet_on_an_undeclared_interface() {
    let mut file = pcapng(&[false], 101, &[ipv4_udp(&RTP)]);
    // The EPB starts after the SHB (28 bytes) and IDB (32 bytes); its
    // interface id is the first body field.
    file[60 + 8] = 3;
    let (summary, error) = run(&file, &Options::default(), &mut io::sink(), None).unwrap();
    assert_eq!(summary.frames, 0);
    let error = error.unwrap();
    assert_eq!(error.offset, 60);
    assert!(
        error.to_string().contains("undeclared interface 3"),
        "{error}"
    );
}

#[test]
fn real_linux_cooked_captures_from_tshark() {
    // See tests/fixtures/README.md: tshark -i any, cooked v1 and v2, pcapng and pcap.
    for name in [
        "linux-sll-udp.pcapng",
        "linux-sll-udp.pcap",
        "linux-sll2-udp.pcapng",
    ] {
        let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
        let lines = json_lines(&std::fs::read(path).unwrap());
        assert_eq!(lines.len(), 3, "{name}");
        assert_eq!(lines[0]["kind"], "rtp", "{name}");
        assert_eq!(lines[0]["dst"], "127.0.0.1:5004", "{name}");
        assert_eq!(lines[0]["rtp"]["pt"], 111);
        assert_eq!(lines[0]["rtp"]["payload_len"], 2);
        assert_eq!(lines[1]["kind"], "rtcp", "{name}");
        assert_eq!(lines[1]["dst"], "[::1]:5005", "{name}");
        assert_eq!(lines[1]["rtcp"][0]["type"], "RR");
        assert_eq!(lines[2]["summary"]["undecoded"], 0, "{name}");
    }
}
