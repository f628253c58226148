//! RTCP compound packets decoded with `zerortc::rtcp`, as inspector items:
//! one per packet, with its main fields for JSON and a one-line text form.

use std::fmt::{self, Write as _};

use serde::Serialize;
use serde_json::{Map, Value, json};
use zerortc::rtcp::{ReportBlocks, RtcpPacket, SdesItemType, XrBlock, parse_compound};

/// One packet of an RTCP compound.
#[derive(Debug, Clone, Serialize)]
pub struct RtcpItem {
    /// Short type name: SR, RR, SDES, BYE, APP, NACK, PLI, FIR, REMB, TWCC,
    /// XR, or `PT<n>`/`RTPFB<fmt>`/`PSFB<fmt>` for undecoded types.
    #[serde(rename = "type")]
    pub name: String,
    /// Decoded fields.
    #[serde(flatten)]
    pub fields: Map<String, Value>,
    /// The one-line text form.
    #[serde(skip)]
    text: String,
}

impl RtcpItem {
    /// Short name of the packet type.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Display for RtcpItem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

fn object(v: Value) -> Map<String, Value> {
    match v {
        Value::Object(m) => m,
        _ => Map::new(),
    }
}

fn text_of(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn report_blocks(reports: &ReportBlocks<'_>, text: &mut String) -> Value {
    let mut list = Vec::new();
    for r in reports {
        let _ = write!(
            text,
            " [ssrc={:#010x} lost={}/256,{} hseq={} jitter={} lsr={:#x} dlsr={}]",
            r.ssrc,
            r.fraction_lost,
            r.cumulative_lost,
            r.extended_highest_seq,
            r.jitter,
            r.last_sr,
            r.delay_since_last_sr
        );
        list.push(json!({
            "ssrc": r.ssrc,
            "fraction_lost": r.fraction_lost,
            "cumulative_lost": r.cumulative_lost,
            "extended_highest_seq": r.extended_highest_seq,
            "jitter": r.jitter,
            "last_sr": r.last_sr,
            "delay_since_last_sr": r.delay_since_last_sr,
        }));
    }
    Value::Array(list)
}

fn sdes_type_name(kind: SdesItemType) -> String {
    match kind {
        SdesItemType::Cname => "CNAME".into(),
        SdesItemType::Name => "NAME".into(),
        SdesItemType::Email => "EMAIL".into(),
        SdesItemType::Phone => "PHONE".into(),
        SdesItemType::Loc => "LOC".into(),
        SdesItemType::Tool => "TOOL".into(),
        SdesItemType::Note => "NOTE".into(),
        SdesItemType::Priv => "PRIV".into(),
        SdesItemType::Other(n) => format!("type{n}"),
    }
}

/// Decodes one RTCP packet into an item.
pub fn item(packet: &RtcpPacket<'_>) -> RtcpItem {
    let mut text = String::new();
    let (name, fields): (String, Value) = match packet {
        RtcpPacket::SenderReport(sr) => {
            let i = &sr.sender_info;
            let _ = write!(
                text,
                "SR ssrc={:#010x} ntp={:#018x} rtp_ts={} packets={} octets={}",
                sr.ssrc, i.ntp_timestamp, i.rtp_timestamp, i.packet_count, i.octet_count
            );
            let reports = report_blocks(&sr.reports, &mut text);
            (
                "SR".into(),
                json!({
                    "ssrc": sr.ssrc,
                    "ntp_timestamp": i.ntp_timestamp,
                    "rtp_timestamp": i.rtp_timestamp,
                    "packet_count": i.packet_count,
                    "octet_count": i.octet_count,
                    "reports": reports,
                }),
            )
        }
        RtcpPacket::ReceiverReport(rr) => {
            let _ = write!(text, "RR ssrc={:#010x}", rr.ssrc);
            let reports = report_blocks(&rr.reports, &mut text);
            ("RR".into(), json!({ "ssrc": rr.ssrc, "reports": reports }))
        }
        RtcpPacket::SourceDescription(sdes) => {
            text.push_str("SDES");
            let mut chunks = Vec::new();
            for chunk in sdes.chunks() {
                let _ = write!(text, " {:#010x}", chunk.ssrc);
                let mut items = Map::new();
                for item in chunk.items {
                    let kind = sdes_type_name(item.kind);
                    let value = text_of(item.value);
                    let _ = write!(text, " {kind}={value:?}");
                    items.insert(kind, Value::String(value));
                }
                chunks.push(json!({ "ssrc": chunk.ssrc, "items": items }));
            }
            ("SDES".into(), json!({ "chunks": chunks }))
        }
        RtcpPacket::Goodbye(bye) => {
            text.push_str("BYE");
            for s in &bye.sources {
                let _ = write!(text, " {s:#010x}");
            }
            let reason = bye.reason.map(text_of);
            if let Some(r) = &reason {
                let _ = write!(text, " reason={r:?}");
            }
            (
                "BYE".into(),
                json!({ "sources": bye.sources.iter().collect::<Vec<_>>(), "reason": reason }),
            )
        }
        RtcpPacket::App(app) => {
            let name = text_of(&app.name);
            let _ = write!(
                text,
                "APP ssrc={:#010x} name={name:?} subtype={} len={}",
                app.ssrc,
                app.subtype,
                app.data.len()
            );
            (
                "APP".into(),
                json!({ "ssrc": app.ssrc, "name": name, "subtype": app.subtype,
                        "data_len": app.data.len() }),
            )
        }
        RtcpPacket::GenericNack(nack) => {
            let lost: Vec<u16> = nack.lost_sequence_numbers().collect();
            let _ = write!(
                text,
                "NACK {:#010x}→{:#010x} lost={lost:?}",
                nack.sender_ssrc, nack.media_ssrc
            );
            (
                "NACK".into(),
                json!({ "sender_ssrc": nack.sender_ssrc, "media_ssrc": nack.media_ssrc,
                        "lost": lost }),
            )
        }
        RtcpPacket::PictureLossIndication(pli) => {
            let _ = write!(
                text,
                "PLI {:#010x}→{:#010x}",
                pli.sender_ssrc, pli.media_ssrc
            );
            (
                "PLI".into(),
                json!({ "sender_ssrc": pli.sender_ssrc, "media_ssrc": pli.media_ssrc }),
            )
        }
        RtcpPacket::FullIntraRequest(fir) => {
            let _ = write!(text, "FIR sender={:#010x}", fir.sender_ssrc);
            let mut entries = Vec::new();
            for e in fir.entries.iter() {
                let _ = write!(text, " [ssrc={:#010x} seq={}]", e.ssrc, e.sequence_number);
                entries.push(json!({ "ssrc": e.ssrc, "seq": e.sequence_number }));
            }
            (
                "FIR".into(),
                json!({ "sender_ssrc": fir.sender_ssrc, "entries": entries }),
            )
        }
        RtcpPacket::Remb(remb) => {
            let ssrcs: Vec<u32> = remb.ssrc_iter().collect();
            let _ = write!(
                text,
                "REMB sender={:#010x} bitrate={}bps ssrcs={:x?}",
                remb.sender_ssrc,
                remb.bitrate_bps(),
                ssrcs
            );
            (
                "REMB".into(),
                json!({ "sender_ssrc": remb.sender_ssrc, "bitrate_bps": remb.bitrate_bps(),
                        "ssrcs": ssrcs }),
            )
        }
        RtcpPacket::TransportCc(twcc) => {
            let (mut received, mut lost) = (0u32, 0u32);
            for p in twcc.packets() {
                if p.status.is_received() {
                    received += 1;
                } else {
                    lost += 1;
                }
            }
            let _ = write!(
                text,
                "TWCC {:#010x}→{:#010x} base={} count={} ref={}us fb={} received={received} lost={lost}",
                twcc.sender_ssrc,
                twcc.media_ssrc,
                twcc.base_sequence,
                twcc.status_count(),
                twcc.reference_time_us(),
                twcc.feedback_count
            );
            (
                "TWCC".into(),
                json!({
                    "sender_ssrc": twcc.sender_ssrc,
                    "media_ssrc": twcc.media_ssrc,
                    "base_sequence": twcc.base_sequence,
                    "status_count": twcc.status_count(),
                    "reference_time_us": twcc.reference_time_us(),
                    "feedback_count": twcc.feedback_count,
                    "received": received,
                    "not_received": lost,
                }),
            )
        }
        RtcpPacket::ExtendedReport(xr) => {
            let _ = write!(text, "XR ssrc={:#010x}", xr.sender_ssrc);
            let mut blocks = Vec::new();
            for block in xr.blocks() {
                match block {
                    XrBlock::ReceiverReferenceTime { ntp_timestamp } => {
                        let _ = write!(text, " [RRTR ntp={ntp_timestamp:#018x}]");
                        blocks.push(json!({ "block": "RRTR", "ntp_timestamp": ntp_timestamp }));
                    }
                    XrBlock::Dlrr(subs) => {
                        let mut list = Vec::new();
                        for s in subs.iter() {
                            let _ = write!(
                                text,
                                " [DLRR ssrc={:#010x} lrr={:#x} dlrr={}]",
                                s.ssrc, s.last_rr, s.delay_since_last_rr
                            );
                            list.push(json!({ "ssrc": s.ssrc, "last_rr": s.last_rr,
                                              "delay_since_last_rr": s.delay_since_last_rr }));
                        }
                        blocks.push(json!({ "block": "DLRR", "sub_blocks": list }));
                    }
                    XrBlock::Unknown {
                        block_type, body, ..
                    } => {
                        let _ = write!(text, " [BT{block_type} len={}]", body.len());
                        blocks.push(json!({ "block": block_type, "len": body.len() }));
                    }
                }
            }
            (
                "XR".into(),
                json!({ "ssrc": xr.sender_ssrc, "blocks": blocks }),
            )
        }
        RtcpPacket::Unknown { header, body } => {
            let name = match header.packet_type {
                205 => format!("RTPFB{}", header.count),
                206 => format!("PSFB{}", header.count),
                pt => format!("PT{pt}"),
            };
            let _ = write!(text, "{name} len={}", body.len());
            (
                name,
                json!({ "pt": header.packet_type, "count": header.count, "len": body.len() }),
            )
        }
    };
    RtcpItem {
        name,
        fields: object(fields),
        text,
    }
}

/// Decodes every packet of an RTCP compound (or reduced-size) datagram.
pub fn decode_rtcp(payload: &[u8]) -> Result<Vec<RtcpItem>, String> {
    let mut items = Vec::new();
    for (index, packet) in parse_compound(payload).enumerate() {
        let packet = packet.map_err(|e| format!("{e} (packet {} of the compound)", index + 1))?;
        items.push(item(&packet));
    }
    if items.is_empty() {
        return Err("empty RTCP datagram".into());
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerortc::rtcp::{
        App, FirEntry, FullIntraRequest, Goodbye, PictureLossIndication, Remb, TwccBuilder,
        marshal_compound,
    };

    #[test]
    fn packet_types_absent_from_the_browser_capture() {
        let fir_entries = [FirEntry {
            ssrc: 0x2222,
            sequence_number: 7,
        }];
        let remb_ssrcs = [0x3333, 0x4444];
        let sources = [0x5555];
        let mut twcc = TwccBuilder::new(1, 2, 9);
        twcc.push(100, Some(1_000)).unwrap();
        twcc.push(101, None).unwrap();
        twcc.push(102, Some(1_500)).unwrap();
        let twcc = twcc.build().unwrap();
        let packets = [
            RtcpPacket::PictureLossIndication(PictureLossIndication {
                sender_ssrc: 1,
                media_ssrc: 0x2222,
            }),
            RtcpPacket::FullIntraRequest(FullIntraRequest::new(1, &fir_entries)),
            RtcpPacket::Remb(Remb::new(1, 1_500_000, &remb_ssrcs)),
            RtcpPacket::App(App {
                subtype: 3,
                ssrc: 1,
                name: *b"zrtc",
                data: &[0; 8],
            }),
            RtcpPacket::TransportCc(twcc),
            RtcpPacket::Goodbye(Goodbye::new(&sources, Some(b"done"))),
        ];
        let mut buf = [0u8; 512];
        let n = marshal_compound(&packets, &mut buf).unwrap();
        let items = decode_rtcp(&buf[..n]).unwrap();
        let names: Vec<&str> = items.iter().map(|i| i.name()).collect();
        assert_eq!(names, ["PLI", "FIR", "REMB", "APP", "TWCC", "BYE"]);
        assert_eq!(items[0].fields["media_ssrc"], 0x2222);
        assert_eq!(items[1].fields["entries"][0]["seq"], 7);
        assert_eq!(items[2].fields["bitrate_bps"], 1_500_000);
        assert_eq!(items[2].fields["ssrcs"], json!([0x3333, 0x4444]));
        assert_eq!(items[3].fields["name"], "zrtc");
        assert_eq!(items[3].fields["subtype"], 3);
        assert_eq!(items[4].fields["base_sequence"], 100);
        assert_eq!(items[4].fields["status_count"], 3);
        assert_eq!(items[4].fields["received"], 2);
        assert_eq!(items[4].fields["not_received"], 1);
        assert_eq!(items[5].fields["sources"], json!([0x5555]));
        assert_eq!(items[5].fields["reason"], "done");
        assert_eq!(
            items[2].to_string(),
            "REMB sender=0x00000001 bitrate=1500000bps ssrcs=[3333, 4444]"
        );
        assert_eq!(items[5].to_string(), "BYE 0x00005555 reason=\"done\"");
    }

    #[test]
    fn unknown_and_malformed() {
        // RTPFB FMT 3 (TMMBR) is not decoded: kept as RTPFB3 with its length.
        let tmmbr = [
            0x83, 205, 0, 4, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0,
        ];
        let items = decode_rtcp(&tmmbr).unwrap();
        assert_eq!(items[0].name(), "RTPFB3");
        assert_eq!(items[0].fields["len"], 16);
        // A length that runs past the datagram is an error naming the packet.
        let err = decode_rtcp(&tmmbr[..12]).unwrap_err();
        assert!(err.contains("(packet 1 of the compound)"), "{err}");
        assert!(decode_rtcp(&[]).is_err());
    }
}
