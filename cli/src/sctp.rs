//! SCTP packets (RFC 9260) and the data channel messages they carry,
//! decoded with `zerortc::sctp` and `zerortc::datachannel`: the common
//! header, whether the CRC32c matches (or is zero, RFC 9653), and every
//! chunk — DATA / I-DATA (TSN, stream, SSN or MID, PPID, flags, length;
//! DCEP DATA_CHANNEL_OPEN / ACK of RFC 8832 decoded with channel type,
//! priority, label and protocol when the PPID is 50 and the message is
//! whole in the chunk), INIT / INIT-ACK (tag, window, streams, initial TSN,
//! extensions), SACK (cumulative TSN, window, gap blocks, duplicates),
//! FORWARD-TSN, RE-CONFIG, and the others by name.
//!
//! Plaintext SCTP appears in simulator traces and in SCTP over UDP
//! encapsulation (RFC 6951, usrsctp's port 9899); inside DTLS it is the
//! plaintext of application data records (`inspect --keylog`).

use std::fmt;

use serde::Serialize;
use zerortc::datachannel::{ChannelType, DcepMessage, PPID_DCEP};
use zerortc::sctp::checksum::packet_crc32c;
use zerortc::sctp::{ChunkView, FLAG_BEGIN, FLAG_END, FLAG_UNORDERED, SctpPacket, chunk_type};

/// A decoded SCTP packet.
#[derive(Debug, Clone, Serialize)]
pub struct SctpSummary {
    /// Source port.
    pub src_port: u16,
    /// Destination port.
    pub dst_port: u16,
    /// Verification tag.
    pub verification_tag: u32,
    /// `ok`, `zero` (RFC 9653 zero checksum) or `bad`.
    pub checksum: &'static str,
    /// The chunks in order.
    pub chunks: Vec<ChunkInfo>,
}

/// One chunk.
#[derive(Debug, Clone, Serialize)]
pub struct ChunkInfo {
    /// Chunk name (`DATA`, `SACK`, ...; `type_N` when unknown).
    pub chunk: String,
    /// Chunk flags.
    pub flags: u8,
    /// Decoded fields as `name=value` pairs, in wire order.
    pub fields: Vec<(String, String)>,
    /// The DCEP message of a whole PPID 50 DATA chunk.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dcep: Option<DcepInfo>,
    /// Why the chunk's value did not decode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A DCEP message (RFC 8832).
#[derive(Debug, Clone, Serialize)]
pub struct DcepInfo {
    /// `DATA_CHANNEL_OPEN` or `DATA_CHANNEL_ACK`.
    pub message: &'static str,
    /// Channel type name (OPEN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub channel_type: Option<&'static str>,
    /// Priority (OPEN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub priority: Option<u16>,
    /// Retransmissions or lifetime in ms (OPEN).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability_parameter: Option<u32>,
    /// Label (OPEN; lossy UTF-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
    /// Sub-protocol (OPEN; lossy UTF-8).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// Why the message did not parse.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// Whether `payload` is an SCTP packet whose CRC32c matches (how a UDP
/// payload is recognised as SCTP over UDP when its port is not given).
pub fn looks_like_sctp(payload: &[u8]) -> bool {
    payload.len() >= 16
        && SctpPacket::parse(payload).is_ok_and(|p| {
            p.header().checksum != 0 && packet_crc32c(payload) == p.header().checksum
        })
}

/// Decodes one SCTP packet.
pub fn decode(packet: &[u8]) -> Result<SctpSummary, String> {
    let parsed = SctpPacket::parse(packet).map_err(|e| e.to_string())?;
    let header = parsed.header();
    let checksum = if header.checksum == 0 {
        "zero"
    } else if packet_crc32c(packet) == header.checksum {
        "ok"
    } else {
        "bad"
    };
    let mut chunks = Vec::new();
    for raw in parsed.chunks() {
        let raw = raw.map_err(|e| e.to_string())?;
        let mut info = ChunkInfo {
            chunk: chunk_name(raw.chunk_type),
            flags: raw.flags,
            fields: Vec::new(),
            dcep: None,
            error: None,
        };
        match raw.decode() {
            Ok(view) => describe(&view, &mut info),
            Err(e) => info.error = Some(e.to_string()),
        }
        chunks.push(info);
    }
    Ok(SctpSummary {
        src_port: header.source_port,
        dst_port: header.destination_port,
        verification_tag: header.verification_tag,
        checksum,
        chunks,
    })
}

fn field(info: &mut ChunkInfo, name: &str, value: impl ToString) {
    info.fields.push((name.to_string(), value.to_string()));
}

fn data_flags(flags: u8) -> String {
    let mut s = String::new();
    if flags & FLAG_UNORDERED != 0 {
        s.push('U');
    }
    if flags & FLAG_BEGIN != 0 {
        s.push('B');
    }
    if flags & FLAG_END != 0 {
        s.push('E');
    }
    if s.is_empty() {
        s.push('-');
    }
    s
}

fn describe(view: &ChunkView<'_>, info: &mut ChunkInfo) {
    match view {
        ChunkView::Data(d) => {
            field(info, "tsn", d.tsn);
            field(info, "sid", d.stream_id);
            field(info, "ssn", d.ssn);
            field(info, "ppid", d.ppid);
            field(info, "flags", data_flags(d.flags));
            field(info, "len", d.payload.len());
            let whole = d.flags & (FLAG_BEGIN | FLAG_END) == FLAG_BEGIN | FLAG_END;
            if d.ppid == PPID_DCEP && whole {
                info.dcep = Some(dcep(d.payload));
            }
        }
        ChunkView::IData(d) => {
            field(info, "tsn", d.tsn);
            field(info, "sid", d.stream_id);
            field(info, "mid", d.mid);
            field(info, "ppid_or_fsn", d.ppid_or_fsn);
            field(info, "flags", data_flags(d.flags));
            field(info, "len", d.payload.len());
        }
        ChunkView::Init(i) | ChunkView::InitAck(i) => {
            field(info, "tag", format!("{:#010x}", i.initiate_tag));
            field(info, "a_rwnd", i.a_rwnd);
            field(
                info,
                "streams",
                format!("{}/{}", i.outbound_streams, i.inbound_streams),
            );
            field(info, "initial_tsn", i.initial_tsn);
            if i.forward_tsn_supported() {
                field(info, "forward_tsn", "yes");
            }
            let ext: Vec<String> = i
                .supported_extensions()
                .iter()
                .map(|&t| chunk_name(t))
                .collect();
            if !ext.is_empty() {
                field(info, "ext", ext.join(","));
            }
            if let Some(edmid) = i.zero_checksum_edmid() {
                field(info, "zero_checksum_edmid", edmid);
            }
            if let Some(cookie) = i.state_cookie() {
                field(info, "cookie_len", cookie.len());
            }
        }
        ChunkView::Sack(s) => {
            field(info, "cum_tsn", s.cumulative_tsn_ack);
            field(info, "a_rwnd", s.a_rwnd);
            if s.gap_block_count() > 0 {
                let gaps: Vec<String> = s.gap_blocks().map(|(a, b)| format!("{a}-{b}")).collect();
                field(info, "gaps", gaps.join(","));
            }
            if s.dup_tsn_count() > 0 {
                let dups: Vec<String> = s.dup_tsns().map(|t| t.to_string()).collect();
                field(info, "dups", dups.join(","));
            }
        }
        ChunkView::ForwardTsn(f) => {
            field(info, "new_cum_tsn", f.new_cumulative_tsn);
            let streams: Vec<String> = f.streams().map(|(s, q)| format!("{s}:{q}")).collect();
            if !streams.is_empty() {
                field(info, "streams", streams.join(","));
            }
        }
        ChunkView::IForwardTsn(f) => {
            field(info, "new_cum_tsn", f.new_cumulative_tsn);
            field(info, "entries", f.entries().len());
        }
        ChunkView::Shutdown(cum) => field(info, "cum_tsn", cum),
        ChunkView::CookieEcho(c) => field(info, "cookie_len", c.len()),
        ChunkView::ReConfig(_) => field(info, "params", view.reconfig_params().count()),
        ChunkView::Abort { .. } | ChunkView::Error(_) => {
            field(info, "causes", view.causes().count())
        }
        ChunkView::Heartbeat(v) | ChunkView::HeartbeatAck(v) => field(info, "info_len", v.len()),
        _ => {}
    }
}

fn dcep(payload: &[u8]) -> DcepInfo {
    let mut out = DcepInfo {
        message: "unknown",
        channel_type: None,
        priority: None,
        reliability_parameter: None,
        label: None,
        protocol: None,
        error: None,
    };
    match DcepMessage::parse(payload) {
        Ok(DcepMessage::Ack) => out.message = "DATA_CHANNEL_ACK",
        Ok(DcepMessage::Open(o)) => {
            out.message = "DATA_CHANNEL_OPEN";
            out.channel_type = Some(channel_type_name(o.channel_type));
            out.priority = Some(o.priority);
            out.reliability_parameter = Some(o.reliability_parameter);
            out.label = Some(String::from_utf8_lossy(o.label).into_owned());
            out.protocol = Some(String::from_utf8_lossy(o.protocol).into_owned());
        }
        Err(e) => out.error = Some(e.to_string()),
    }
    out
}

fn channel_type_name(t: ChannelType) -> &'static str {
    match t {
        ChannelType::Reliable => "reliable",
        ChannelType::ReliableUnordered => "reliable_unordered",
        ChannelType::PartialReliableRexmit => "rexmit",
        ChannelType::PartialReliableRexmitUnordered => "rexmit_unordered",
        ChannelType::PartialReliableTimed => "timed",
        ChannelType::PartialReliableTimedUnordered => "timed_unordered",
    }
}

/// The name of a chunk type.
pub fn chunk_name(t: u8) -> String {
    let name = match t {
        chunk_type::DATA => "DATA",
        chunk_type::INIT => "INIT",
        chunk_type::INIT_ACK => "INIT_ACK",
        chunk_type::SACK => "SACK",
        chunk_type::HEARTBEAT => "HEARTBEAT",
        chunk_type::HEARTBEAT_ACK => "HEARTBEAT_ACK",
        chunk_type::ABORT => "ABORT",
        chunk_type::SHUTDOWN => "SHUTDOWN",
        chunk_type::SHUTDOWN_ACK => "SHUTDOWN_ACK",
        chunk_type::ERROR => "ERROR",
        chunk_type::COOKIE_ECHO => "COOKIE_ECHO",
        chunk_type::COOKIE_ACK => "COOKIE_ACK",
        chunk_type::SHUTDOWN_COMPLETE => "SHUTDOWN_COMPLETE",
        chunk_type::I_DATA => "I_DATA",
        chunk_type::RE_CONFIG => "RE_CONFIG",
        chunk_type::FORWARD_TSN => "FORWARD_TSN",
        chunk_type::I_FORWARD_TSN => "I_FORWARD_TSN",
        15 => "ECNE",
        0x80 => "PAD",
        0x81 => "ASCONF_ACK",
        0xc1 => "ASCONF",
        _ => return format!("type_{t}"),
    };
    name.to_string()
}

impl fmt::Display for SctpSummary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "SCTP {}→{} vtag={:#010x} crc={}",
            self.src_port, self.dst_port, self.verification_tag, self.checksum
        )?;
        for c in &self.chunks {
            write!(f, " [{c}]")?;
        }
        Ok(())
    }
}

impl fmt::Display for ChunkInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.chunk)?;
        for (name, value) in &self.fields {
            write!(f, " {name}={value}")?;
        }
        if let Some(d) = &self.dcep {
            write!(f, " {d}")?;
        }
        if let Some(e) = &self.error {
            write!(f, " error: {e}")?;
        }
        Ok(())
    }
}

impl fmt::Display for DcepInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DCEP {}", self.message)?;
        if let Some(t) = self.channel_type {
            write!(f, " type={t}")?;
        }
        if let Some(p) = self.priority {
            write!(f, " priority={p}")?;
        }
        if let Some(r) = self.reliability_parameter {
            write!(f, " reliability={r}")?;
        }
        if let Some(l) = &self.label {
            write!(f, " label={l:?}")?;
        }
        if let Some(p) = &self.protocol {
            write!(f, " protocol={p:?}")?;
        }
        if let Some(e) = &self.error {
            write!(f, " error: {e}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zerortc::datachannel::DataChannelOpen;
    use zerortc::sctp::checksum::packet_crc32c;

    /// A packet with one chunk, CRC32c filled in.
    fn packet(chunk: &[u8]) -> Vec<u8> {
        let mut p = vec![0x13, 0x88, 0x13, 0x88, 0xde, 0xad, 0xbe, 0xef, 0, 0, 0, 0];
        p.extend_from_slice(chunk);
        while p.len() % 4 != 0 {
            p.push(0);
        }
        let crc = packet_crc32c(&p);
        p[8..12].copy_from_slice(&crc.to_le_bytes());
        p
    }

    fn data_chunk(ppid: u32, payload: &[u8]) -> Vec<u8> {
        let mut c = vec![0, 0x03];
        c.extend_from_slice(&((16 + payload.len()) as u16).to_be_bytes());
        c.extend_from_slice(&7u32.to_be_bytes());
        c.extend_from_slice(&[0, 2, 0, 0]);
        c.extend_from_slice(&ppid.to_be_bytes());
        c.extend_from_slice(payload);
        c
    }

    #[test]
    fn dcep_open_in_a_data_chunk() {
        let open = DcepMessage::Open(DataChannelOpen {
            channel_type: ChannelType::ReliableUnordered,
            priority: 256,
            reliability_parameter: 0,
            label: b"chat",
            protocol: b"json",
        });
        let mut buf = [0u8; 64];
        let n = open.write(&mut buf).unwrap();
        let p = packet(&data_chunk(PPID_DCEP, &buf[..n]));
        assert!(looks_like_sctp(&p));
        let s = decode(&p).unwrap();
        assert_eq!(s.checksum, "ok");
        assert_eq!((s.src_port, s.dst_port), (5000, 5000));
        let text = s.to_string();
        assert!(
            text.contains("[DATA tsn=7 sid=2 ssn=0 ppid=50 flags=BE len=20 DCEP DATA_CHANNEL_OPEN type=reliable_unordered priority=256 reliability=0 label=\"chat\" protocol=\"json\"]"),
            "{text}"
        );
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["chunks"][0]["dcep"]["label"], "chat");
    }

    #[test]
    fn ack_sack_bad_checksum_and_garbage() {
        let p = packet(&data_chunk(PPID_DCEP, &[2]));
        assert!(
            decode(&p)
                .unwrap()
                .to_string()
                .contains("DCEP DATA_CHANNEL_ACK")
        );
        // SACK cum 9, window 1000, one gap block 2-3, no duplicates.
        let sack = [
            3, 0, 0, 20, 0, 0, 0, 9, 0, 0, 3, 0xe8, 0, 1, 0, 0, 0, 2, 0, 3,
        ];
        let mut p = packet(&sack);
        assert_eq!(
            decode(&p).unwrap().to_string(),
            "SCTP 5000→5000 vtag=0xdeadbeef crc=ok [SACK cum_tsn=9 a_rwnd=1000 gaps=2-3]"
        );
        p[8] ^= 1;
        assert_eq!(decode(&p).unwrap().checksum, "bad");
        assert!(!looks_like_sctp(&p));
        p[8..12].copy_from_slice(&[0; 4]);
        assert_eq!(decode(&p).unwrap().checksum, "zero");
        assert!(decode(&[1, 2, 3]).is_err());
        // A chunk length running past the packet.
        assert!(decode(&packet(&[0, 3, 0, 200, 1, 2, 3, 4])).is_err());
    }
}
