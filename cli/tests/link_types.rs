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
