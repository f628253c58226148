//! The `zerortc` command line.
//!
//! `zerortc inspect FILE [--json]` decodes every packet of a pcap or pcapng
//! capture: UDP payloads are demultiplexed per RFC 7983 (STUN, DTLS, TURN
//! channel, RTP/RTCP per RFC 5761; plaintext SCTP by port or CRC32c) and
//! decoded with zerortc's own parsers; `--keylog FILE` opens DTLS records
//! and decodes the SCTP chunks and DCEP messages inside.
//!
//! Exit codes: 0 ok, 1 capture error (unreadable or damaged file), 2 usage.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use zerortc_cli::inspect;

#[derive(Parser)]
#[command(name = "zerortc", version, about = "zerortc tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Decode every packet of a pcap/pcapng capture, then print a summary.
    Inspect {
        /// The capture file (pcap or pcapng).
        file: PathBuf,
        /// One JSON object per packet, then a summary object.
        #[arg(long)]
        json: bool,
        /// Read RTP header extension ids (`a=extmap`) and the ICE passwords
        /// (to check STUN MESSAGE-INTEGRITY) from this SDP (repeatable).
        #[arg(long, value_name = "SDP")]
        sdp: Vec<PathBuf>,
        /// Declare an RTP header extension id, as `ID=URI` (repeatable).
        #[arg(long, value_name = "ID=URI")]
        extmap: Vec<String>,
        /// Write the UDP payloads of RTP and RTCP packets to OUT as records
        /// (kind byte 1 = RTP, 2 = RTCP; u16 big-endian length; payload).
        #[arg(long, value_name = "OUT")]
        dump_payloads: Option<PathBuf>,
        /// Which payloads `--dump-payloads` writes: a comma-separated list
        /// of `rtp`, `rtcp`, `stun` (record kind 3).
        #[arg(long, value_name = "KINDS", default_value = "rtp,rtcp")]
        dump_kinds: String,
        /// NSS key log file (`SSLKEYLOGFILE` format: `CLIENT_RANDOM`
        /// lines): open DTLS 1.2 AES-GCM records and decode the SCTP
        /// chunks and DCEP messages inside.
        #[arg(long, value_name = "FILE")]
        keylog: Option<PathBuf>,
        /// UDP port carrying plaintext SCTP (SCTP over UDP, RFC 6951;
        /// repeatable). Other payloads are taken as SCTP when their
        /// CRC32c matches.
        #[arg(long, value_name = "PORT", default_value = "9899")]
        sctp_port: Vec<u16>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Inspect {
            file,
            json,
            sdp,
            extmap,
            dump_payloads,
            dump_kinds,
            keylog,
            sctp_port,
        } => match inspect::DumpKinds::parse(&dump_kinds) {
            Ok(kinds) => {
                let mut options = inspect::Options {
                    json,
                    dump_kinds: kinds,
                    sctp_ports: sctp_port,
                    ..Default::default()
                };
                if let Some(path) = keylog {
                    let log = std::fs::read_to_string(&path)
                        .map_err(|e| format!("cannot read key log {}: {e}", path.display()))
                        .and_then(|text| zerortc_cli::keylog::KeyLog::parse(&text));
                    match log {
                        Ok(log) => options.keylog = Some(log),
                        Err(e) => return usage_error(&e),
                    }
                }
                inspect_command(&file, options, &sdp, &extmap, dump_payloads.as_deref())
            }
            Err(e) => usage_error(&e),
        },
    }
}

fn usage_error(message: &str) -> ExitCode {
    eprintln!("zerortc: {message}");
    ExitCode::from(2)
}

fn inspect_command(
    file: &std::path::Path,
    mut options: inspect::Options,
    sdp: &[PathBuf],
    extmap: &[String],
    dump_payloads: Option<&std::path::Path>,
) -> ExitCode {
    for path in sdp {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                options.media.add_sdp(&text);
                options.ice_keys.add_sdp(&text);
            }
            Err(e) => return usage_error(&format!("cannot read SDP {}: {e}", path.display())),
        }
    }
    for spec in extmap {
        match spec.split_once('=') {
            Some((id, uri)) if id.parse::<u8>().is_ok() => {
                options.media.add_sdp(&format!("a=extmap:{id} {uri}"));
            }
            _ => return usage_error(&format!("--extmap wants ID=URI, got {spec:?}")),
        }
    }
    let bytes = match std::fs::read(file) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("zerortc: cannot read {}: {e}", file.display());
            return ExitCode::from(1);
        }
    };
    let mut dump = match dump_payloads.map(File::create).transpose() {
        Ok(f) => f.map(BufWriter::new),
        Err(e) => {
            eprintln!("zerortc: cannot create the payload dump: {e}");
            return ExitCode::from(1);
        }
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let result = inspect::run(
        &bytes,
        &options,
        &mut out,
        dump.as_mut().map(|d| d as &mut dyn Write),
    )
    .and_then(|r| {
        out.flush()?;
        if let Some(d) = dump.as_mut() {
            d.flush()?;
        }
        Ok(r)
    });
    match result {
        Ok((_, None)) => ExitCode::SUCCESS,
        Ok((_, Some(e))) => {
            eprintln!("zerortc: {}: {e}", file.display());
            ExitCode::from(1)
        }
        // Output closed early (e.g. piped into `head`): not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("zerortc: {e}");
            ExitCode::from(1)
        }
    }
}
