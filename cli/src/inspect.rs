//! `zerortc inspect`: one decoded line (or JSON object) per captured packet,
//! then a summary.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::{self, Write};
use std::net::SocketAddr;

use serde::Serialize;

use crate::capture::{CaptureError, CaptureReader};
use crate::demux::{Kind, classify};
use crate::keylog::{DtlsSessions, KeyLog};
use crate::media::{self, MediaContext, RtcpItem, RtpSummary};
use crate::net::{NotUdp, udp_datagram};
use crate::{dtls, sctp, stun};

/// How to print.
#[derive(Debug, Default)]
pub struct Options {
    /// One JSON object per line instead of text.
    pub json: bool,
    /// Extension ids and other SDP facts used to decode RTP.
    pub media: MediaContext,
    /// Which payloads go to the dump (RTP and RTCP by default).
    pub dump_kinds: DumpKinds,
    /// ICE passwords from the SDP, to check STUN MESSAGE-INTEGRITY.
    pub ice_keys: stun::IceKeys,
    /// DTLS master secrets (`--keylog`): encrypted records are opened and
    /// their SCTP packets decoded.
    pub keylog: Option<KeyLog>,
    /// UDP ports whose payloads are plaintext SCTP (`--sctp-port`; SCTP
    /// over UDP, RFC 6951). Payloads outside the RFC 7983 ranges whose
    /// CRC32c matches are decoded as SCTP too.
    pub sctp_ports: Vec<u16>,
}

/// Which payload kinds `--dump-payloads` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DumpKinds {
    /// RTP packets (record kind 1).
    pub rtp: bool,
    /// RTCP compounds (record kind 2).
    pub rtcp: bool,
    /// STUN messages (record kind 3).
    pub stun: bool,
}

impl Default for DumpKinds {
    fn default() -> Self {
        DumpKinds {
            rtp: true,
            rtcp: true,
            stun: false,
        }
    }
}

impl DumpKinds {
    /// Parses a comma-separated list of `rtp`, `rtcp`, `stun`.
    pub fn parse(list: &str) -> Result<DumpKinds, String> {
        let mut kinds = DumpKinds {
            rtp: false,
            rtcp: false,
            stun: false,
        };
        for name in list.split(',').map(str::trim) {
            match name {
                "rtp" => kinds.rtp = true,
                "rtcp" => kinds.rtcp = true,
                "stun" => kinds.stun = true,
                other => return Err(format!("unknown dump kind {other:?} (rtp, rtcp, stun)")),
            }
        }
        Ok(kinds)
    }

    fn select(&self, kind: Kind) -> Option<DumpKind> {
        match kind {
            Kind::Rtp if self.rtp => Some(DumpKind::Rtp),
            Kind::Rtcp if self.rtcp => Some(DumpKind::Rtcp),
            Kind::Stun if self.stun => Some(DumpKind::Stun),
            _ => None,
        }
    }
}

/// What `inspect` decoded from one packet.
#[derive(Debug, Serialize)]
pub struct PacketReport {
    /// 1-based frame number in the capture.
    pub number: u64,
    /// Seconds since the first frame.
    pub time: f64,
    /// UDP source, when the frame holds a UDP datagram.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub src: Option<SocketAddr>,
    /// UDP destination.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dst: Option<SocketAddr>,
    /// UDP payload length (frame length when not UDP).
    pub len: usize,
    /// What the payload is.
    pub kind: Kind,
    /// Why the packet could not be decoded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Remark on a packet that is not UDP (not an error).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The decoded fields.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub decoded: Option<Decoded>,
    /// Key grouping this packet's error in the summary.
    #[serde(skip)]
    pub error_group: Option<String>,
}

/// Decoded fields per kind (the JSON key is the kind's name).
#[derive(Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decoded {
    /// STUN header and attribute types.
    Stun(stun::StunHeader),
    /// DTLS record headers.
    Dtls(Vec<dtls::DtlsRecord>),
    /// TURN ChannelData header.
    TurnChannel {
        /// Channel number.
        channel: u16,
        /// Length of the application data.
        length: u16,
    },
    /// RTP header and extensions.
    Rtp(RtpSummary),
    /// The packets of an RTCP compound.
    Rtcp(Vec<RtcpItem>),
    /// A plaintext SCTP packet (SCTP over UDP, or a simulator trace).
    Sctp(sctp::SctpSummary),
}

/// Totals printed at the end.
#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Frames read from the capture.
    pub frames: u64,
    /// Frames per kind (every kind listed, zeros included).
    pub kinds: BTreeMap<&'static str, u64>,
    /// RTCP packets (inside compounds) per type name.
    pub rtcp_packets: BTreeMap<String, u64>,
    /// SCTP chunks per type name, plaintext and decrypted.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub sctp_chunks: BTreeMap<String, u64>,
    /// DTLS records that could not be opened with the key log, per reason.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub undecrypted: BTreeMap<String, u64>,
    /// Packets that could not be decoded.
    pub undecoded: u64,
    /// Undecoded packets per reason.
    pub errors: BTreeMap<String, u64>,
    /// Why reading the capture stopped early, if it did.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capture_error: Option<String>,
}

/// A payload written by `--dump-payloads`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DumpKind {
    /// An RTP packet.
    Rtp = 1,
    /// An RTCP compound packet.
    Rtcp = 2,
    /// A STUN message.
    Stun = 3,
}

/// Decodes one frame. `sessions` follows the DTLS flows of the capture to
/// open encrypted records (when a key log was given).
pub fn decode_frame(
    number: u64,
    time: f64,
    linktype: i32,
    frame: &[u8],
    options: &Options,
    sessions: Option<&mut DtlsSessions>,
) -> PacketReport {
    let media = &options.media;
    let ice_keys = &options.ice_keys;
    let mut report = PacketReport {
        number,
        time,
        src: None,
        dst: None,
        len: frame.len(),
        kind: Kind::Other,
        error: None,
        note: None,
        decoded: None,
        error_group: None,
    };
    let datagram = match udp_datagram(linktype, frame) {
        Ok(d) => d,
        Err(NotUdp::Other(why)) => {
            report.note = Some(why);
            return report;
        }
        Err(NotUdp::Malformed(why)) => {
            report.fail("frame", why);
            return report;
        }
    };
    report.src = Some(datagram.src);
    report.dst = Some(datagram.dst);
    report.len = datagram.payload.len();
    let payload = datagram.payload;
    report.kind = classify(payload);
    let sctp_port = options
        .sctp_ports
        .iter()
        .any(|&p| p == datagram.src.port() || p == datagram.dst.port());
    if sctp_port
        || (matches!(report.kind, Kind::Zrtp | Kind::Other) && sctp::looks_like_sctp(payload))
    {
        report.kind = Kind::Sctp;
    }
    match report.kind {
        Kind::Stun => match stun::decode_with_keys(payload, ice_keys) {
            Ok(h) => report.decoded = Some(Decoded::Stun(h)),
            Err(e) => report.fail("stun", e.to_string()),
        },
        Kind::Dtls => match dtls::decode(payload) {
            Ok(mut records) => {
                if let Some(sessions) = sessions {
                    let opened = sessions.datagram(datagram.src, datagram.dst, payload);
                    for (record, opened) in records.iter_mut().zip(opened) {
                        record.decrypted = opened.map(dtls::Decrypted::from_opened);
                    }
                }
                report.decoded = Some(Decoded::Dtls(records));
            }
            Err(e) => report.fail("dtls", e.to_string()),
        },
        Kind::Sctp => match sctp::decode(payload) {
            Ok(s) => report.decoded = Some(Decoded::Sctp(s)),
            Err(e) => report.fail("sctp", e),
        },
        Kind::TurnChannel => {
            let be16 = |at: usize| {
                payload
                    .get(at..at + 2)
                    .map(|b| u16::from_be_bytes([b[0], b[1]]))
            };
            match (be16(0), be16(2)) {
                (Some(channel), Some(length)) if payload.len() >= 4 + usize::from(length) => {
                    report.decoded = Some(Decoded::TurnChannel { channel, length });
                }
                (Some(_), Some(_)) => report.fail("turn_channel", "length runs past the datagram"),
                _ => report.fail("turn_channel", "truncated ChannelData header"),
            }
        }
        Kind::Rtp => match media::decode_rtp(payload, media) {
            Ok(summary) => report.decoded = Some(Decoded::Rtp(summary)),
            Err(e) => report.fail("rtp", e),
        },
        Kind::Rtcp => match media::decode_rtcp(payload) {
            Ok(items) => report.decoded = Some(Decoded::Rtcp(items)),
            Err(e) => report.fail("rtcp", e),
        },
        Kind::Zrtp => {}
        Kind::Other => {
            let why = match payload.first() {
                Some(b) => format!("no demultiplexing range for the first byte ({b})"),
                None => "empty UDP payload".to_string(),
            };
            report.fail("udp", why);
        }
    }
    report
}

impl PacketReport {
    fn fail(&mut self, layer: &str, why: impl Into<String>) {
        let why = why.into();
        // Group by the message without its variable part in parentheses.
        let stem = why.split(" (").next().unwrap_or(&why);
        self.error_group = Some(format!("{layer}: {stem}"));
        self.error = Some(why);
    }

    /// The text line for this packet.
    pub fn text(&self) -> String {
        let mut line = format!("{:>6} {:>11.6} ", self.number, self.time);
        match (self.src, self.dst) {
            (Some(s), Some(d)) => {
                let _ = write!(line, "{s} → {d} ");
            }
            _ => line.push_str("- "),
        }
        let _ = write!(line, "{} {}B", self.kind.name().to_uppercase(), self.len);
        if let Some(d) = &self.decoded {
            line.push(' ');
            match d {
                Decoded::Stun(h) => {
                    let _ = write!(line, "{h}");
                }
                Decoded::Dtls(records) => {
                    let parts: Vec<String> = records.iter().map(|r| r.to_string()).collect();
                    line.push_str(&parts.join(" | "));
                }
                Decoded::TurnChannel { channel, length } => {
                    let _ = write!(line, "channel={channel:#06x} len={length}");
                }
                Decoded::Rtp(r) => {
                    let _ = write!(line, "{r}");
                }
                Decoded::Rtcp(items) => {
                    let parts: Vec<String> = items.iter().map(|i| i.to_string()).collect();
                    line.push_str(&parts.join(" | "));
                }
                Decoded::Sctp(packet) => {
                    let _ = write!(line, "{packet}");
                }
            }
        }
        if let Some(note) = &self.note {
            let _ = write!(line, " ({note})");
        }
        if let Some(e) = &self.error {
            let _ = write!(line, " ERROR: {e}");
        }
        line
    }
}

impl Summary {
    fn new() -> Self {
        Self {
            kinds: Kind::ALL.iter().map(|k| (k.name(), 0)).collect(),
            ..Self::default()
        }
    }

    fn add(&mut self, report: &PacketReport) {
        self.frames += 1;
        *self.kinds.entry(report.kind.name()).or_default() += 1;
        if let Some(Decoded::Rtcp(items)) = &report.decoded {
            for item in items {
                *self
                    .rtcp_packets
                    .entry(item.name().to_string())
                    .or_default() += 1;
            }
        }
        let mut count_chunks = |packet: &sctp::SctpSummary| {
            for c in &packet.chunks {
                *self.sctp_chunks.entry(c.chunk.clone()).or_default() += 1;
            }
        };
        match &report.decoded {
            Some(Decoded::Sctp(packet)) => count_chunks(packet),
            Some(Decoded::Dtls(records)) => {
                for d in records.iter().filter_map(|r| r.decrypted.as_ref()) {
                    if let Some(packet) = &d.sctp {
                        count_chunks(packet);
                    }
                    if let Some(e) = &d.error {
                        *self.undecrypted.entry(e.clone()).or_default() += 1;
                    }
                }
            }
            _ => {}
        }
        if let Some(group) = &report.error_group {
            self.undecoded += 1;
            *self.errors.entry(group.clone()).or_default() += 1;
        }
    }

    fn text(&self) -> String {
        let mut s = format!("summary: {} frames\n  kinds:", self.frames);
        for (kind, n) in &self.kinds {
            if *n > 0 {
                let _ = write!(s, " {kind}={n}");
            }
        }
        if !self.rtcp_packets.is_empty() {
            s.push_str("\n  rtcp packets:");
            for (name, n) in &self.rtcp_packets {
                let _ = write!(s, " {name}={n}");
            }
        }
        if !self.sctp_chunks.is_empty() {
            s.push_str("\n  sctp chunks:");
            for (name, n) in &self.sctp_chunks {
                let _ = write!(s, " {name}={n}");
            }
        }
        if !self.undecrypted.is_empty() {
            s.push_str("\n  not decrypted:");
            for (why, n) in &self.undecrypted {
                let _ = write!(s, " {n} × {why}");
            }
        }
        let _ = write!(s, "\n  could not decode: {}", self.undecoded);
        for (why, n) in &self.errors {
            let _ = write!(s, "\n    {n} × {why}");
        }
        if let Some(e) = &self.capture_error {
            let _ = write!(s, "\n  capture error: {e}");
        }
        s
    }
}

/// Runs the inspector over a capture held in memory, writing to `out`.
/// Payloads of the kinds in `options.dump_kinds` go to `dump` when given. Returns the
/// summary, and the capture error if the file is damaged (after printing
/// everything before the damage).
pub fn run(
    file: &[u8],
    options: &Options,
    out: &mut dyn Write,
    mut dump: Option<&mut dyn Write>,
) -> io::Result<(Summary, Option<CaptureError>)> {
    let mut summary = Summary::new();
    let mut capture_error = None;
    let mut sessions = options.keylog.clone().map(DtlsSessions::new);
    match CaptureReader::new(file) {
        Err(e) => capture_error = Some(e),
        Ok(reader) => {
            let mut first_time = None;
            for (index, frame) in reader.enumerate() {
                let frame = match frame {
                    Ok(f) => f,
                    Err(e) => {
                        capture_error = Some(e);
                        break;
                    }
                };
                let start = *first_time.get_or_insert(frame.time);
                let report = decode_frame(
                    index as u64 + 1,
                    frame.time - start,
                    frame.linktype,
                    frame.data,
                    options,
                    sessions.as_mut(),
                );
                summary.add(&report);
                if options.json {
                    serde_json::to_writer(&mut *out, &report)?;
                    out.write_all(b"\n")?;
                } else {
                    writeln!(out, "{}", report.text())?;
                }
                if let Some(dump) = dump.as_deref_mut()
                    && let Some(kind) = options.dump_kinds.select(report.kind)
                    && let Ok(d) = udp_datagram(frame.linktype, frame.data)
                {
                    write_dump_record(dump, kind, d.payload)?;
                }
            }
        }
    }
    summary.capture_error = capture_error.as_ref().map(|e| e.to_string());
    if options.json {
        serde_json::to_writer(&mut *out, &serde_json::json!({ "summary": &summary }))?;
        out.write_all(b"\n")?;
    } else {
        writeln!(out, "{}", summary.text())?;
    }
    Ok((summary, capture_error))
}

/// Writes one `--dump-payloads` record: kind byte (1 RTP, 2 RTCP, 3 STUN), length
/// (u16, big endian), payload.
pub fn write_dump_record(out: &mut dyn Write, kind: DumpKind, payload: &[u8]) -> io::Result<()> {
    let len = u16::try_from(payload.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "payload over 65535 bytes"))?;
    out.write_all(&[kind as u8])?;
    out.write_all(&len.to_be_bytes())?;
    out.write_all(payload)
}
