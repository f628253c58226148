//! The scenarios of the matrix. Each runs one or more sessions (a fresh
//! zerortc `RTCPeerConnection` and a fresh one in the remote peer, same
//! page and browser process) and checks both ends.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use zerortc::peer::{RTCDataChannelInit, RTCPeerConnectionState};

use super::http::Signaling;
use super::msg::ChannelStats;
use super::remote::{Kind, Remote};
use super::zpeer::{Background, ZOptions, ZPeer};

/// Every scenario, in matrix order.
pub const ALL: &[&str] = &[
    "browser-offers",
    "zerortc-offers",
    "reliable-text-1000",
    "reliable-binary-1000",
    "unordered-max-retransmits-0",
    "max-packet-lifetime",
    "channels-16",
    "large-messages",
    "trickle-both-ways",
    "ice-restart",
    "renegotiation-and-close",
    "wrong-fingerprint",
    "stun-coturn",
    "throughput",
];

/// How a cell ended.
#[derive(Debug, Clone)]
pub enum Outcome {
    Pass(String),
    Fail(String),
    NotApplicable(String),
}

const T: Duration = Duration::from_secs(10);

/// What a scenario works with.
pub struct Ctx<'a> {
    pub remote: &'a mut Remote,
    pub signaling: Signaling,
    pub session: u64,
    pub z: Option<ZPeer>,
    pub coturn: Option<SocketAddr>,
    /// Per-session logs of the zerortc peer, written by the runner.
    pub zlogs: Vec<String>,
    /// SDPs the remote peer sent, as (name, sdp), saved by the runner.
    pub sdps: Vec<(String, String)>,
    pub scenario: &'static str,
}

/// Who makes the first offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Offerer {
    Remote,
    Zerortc,
}

fn init_json(label: &str, init: &RTCDataChannelInit) -> Value {
    json!({
        "label": label,
        "ordered": init.ordered,
        "maxRetransmits": init.max_retransmits,
        "maxPacketLifeTime": init.max_packet_life_time,
        "negotiated": init.negotiated,
        "id": init.id,
        "protocol": init.protocol,
    })
}

fn ensure(cond: bool, what: impl FnOnce() -> String) -> Result<(), String> {
    if cond { Ok(()) } else { Err(what()) }
}

impl Ctx<'_> {
    fn z(&self) -> &ZPeer {
        self.z.as_ref().expect("a session is running")
    }

    async fn r(&mut self, command: &str, args: Value) -> Result<Value, String> {
        self.remote.run(command, args).await
    }

    /// Starts a session: a new zerortc peer and a new remote peer
    /// connection.
    async fn begin(&mut self, zopts: ZOptions, ropts: Value) -> Result<(), String> {
        self.end().await;
        self.session += 1;
        self.z = Some(ZPeer::start(self.session, zopts.clone(), &self.signaling));
        let mut args = json!({
            "session": self.session,
            "trickle": zopts.trickle,
            "getUserMedia": self.remote.kind == Kind::Chromium,
            "iceServers": [],
        });
        if let (Value::Object(a), Value::Object(extra)) = (&mut args, ropts) {
            a.extend(extra);
        }
        self.r("start", args).await?;
        Ok(())
    }

    /// Ends the session: keeps the zerortc log and the remote SDPs.
    pub async fn end(&mut self) {
        if self.z.is_none() {
            return;
        }
        if let Ok(d) = self.remote.run("descriptions", json!({})).await
            && let Some(events) = d["events"].as_array()
        {
            for (n, e) in events.iter().enumerate() {
                let kind = e["type"].as_str().unwrap_or("?");
                if kind == "offer" || kind == "answer" {
                    self.sdps.push((
                        format!("{}-s{}-{n}-{kind}", self.scenario, self.session),
                        e["sdp"].as_str().unwrap_or("").to_string(),
                    ));
                }
            }
        }
        if let Some(z) = self.z.take() {
            let mut log = z.stop();
            log.insert(0, format!("--- session {}", self.session));
            self.zlogs.extend(log);
        }
    }

    /// A closure result for the zerortc side.
    fn zcall<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut super::zpeer::ZState) -> T + Send + 'static,
    ) -> T {
        self.z().call(f)
    }

    async fn zwait_connected(&self) -> Result<(), String> {
        let state = self
            .z()
            .wait("connected", T, |s| {
                let st = s.pc.connection_state();
                matches!(
                    st,
                    RTCPeerConnectionState::Connected | RTCPeerConnectionState::Failed
                )
                .then_some(st)
            })
            .await?;
        ensure(state == RTCPeerConnectionState::Connected, || {
            format!("zerortc failed: {}", self.zcall(|s| s.summary()))
        })
    }

    async fn rwait_connected(&mut self) -> Result<Value, String> {
        let s = self
            .r("waitConnected", json!({ "timeoutMs": 10000 }))
            .await?;
        ensure(s["connectionState"] == "connected", || {
            format!(
                "{} connectionState {}: {s}",
                self.remote.kind.name(),
                s["connectionState"]
            )
        })?;
        Ok(s)
    }

    async fn zwait_open(&self, labels: &[&str]) -> Result<(), String> {
        let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
        self.z()
            .wait(&format!("channels open {labels:?}"), T, move |s| {
                labels.iter().all(|l| s.stats(l).open).then_some(())
            })
            .await
    }

    async fn rwait_open(&mut self, labels: &[&str]) -> Result<(), String> {
        self.r("waitOpen", json!({ "labels": labels, "timeoutMs": 10000 }))
            .await
            .map(|_| ())
    }

    /// Connects with `channels` created by the offerer before its offer.
    async fn connect(
        &mut self,
        offerer: Offerer,
        channels: &[(&str, RTCDataChannelInit)],
    ) -> Result<(), String> {
        match offerer {
            Offerer::Remote => {
                for (label, init) in channels {
                    self.r("createChannel", init_json(label, init)).await?;
                }
                self.r("offer", json!({})).await?;
            }
            Offerer::Zerortc => {
                let list: Vec<(String, RTCDataChannelInit)> = channels
                    .iter()
                    .map(|(l, i)| (l.to_string(), i.clone()))
                    .collect();
                self.zcall(move |s| -> Result<(), String> {
                    for (label, init) in list {
                        s.create_channel(&label, init)?;
                    }
                    s.offer(false).map(|_| ())
                })?;
            }
        }
        self.zwait_connected().await?;
        self.rwait_connected().await?;
        let labels: Vec<&str> = channels.iter().map(|(l, _)| *l).collect();
        self.zwait_open(&labels).await?;
        self.rwait_open(&labels).await
    }

    /// The remote peer's stats of `label`.
    async fn rstats(&mut self, label: &str) -> Result<ChannelStats, String> {
        let s = self.r("states", json!({})).await?;
        Ok(ChannelStats::from_json(&s["channels"][label]))
    }

    fn zstats(&self, label: &str) -> ChannelStats {
        let label = label.to_string();
        self.zcall(move |s| s.stats(&label))
    }

    /// `count` messages of `size` bytes each way on `label`; waits for
    /// `expect` of them (all, for reliable channels) and returns both
    /// sides' stats as (zerortc, remote).
    async fn exchange(
        &mut self,
        label: &str,
        count: u32,
        size: usize,
        binary: bool,
        reliable: bool,
    ) -> Result<(ChannelStats, ChannelStats), String> {
        let (l, zb) = (label.to_string(), self.zstats(label));
        let (rb, start) = (self.rstats(label).await?, 0);
        self.zcall(move |s| s.send(&l, start, count, size, binary))?;
        self.r(
            "send",
            json!({ "label": label, "count": count, "size": size, "binary": binary }),
        )
        .await?;
        let want_z = zb.received + u64::from(count);
        let want_r = rb.received + u64::from(count);
        self.settle(label, want_z, want_r, reliable).await
    }

    /// Waits until zerortc received `want_z` and the remote peer `want_r`
    /// messages on `label` (reliable), or a while (unreliable), then
    /// checks content and, for reliable channels, both checksums.
    async fn settle(
        &mut self,
        label: &str,
        want_z: u64,
        want_r: u64,
        reliable: bool,
    ) -> Result<(ChannelStats, ChannelStats), String> {
        if reliable {
            let l = label.to_string();
            self.z()
                .wait(&format!("{want_z} messages on {label}"), T, move |s| {
                    (s.stats(&l).received >= want_z).then_some(())
                })
                .await?;
            self.r(
                "waitReceived",
                json!({ "label": label, "count": want_r, "timeoutMs": 10000 }),
            )
            .await?;
        } else {
            // Unreliable: give them time to arrive (loopback loses little).
            let deadline = Instant::now() + Duration::from_millis(1500);
            loop {
                let z = self.zstats(label);
                let r = self.rstats(label).await?;
                if (z.received >= want_z && r.received >= want_r) || Instant::now() > deadline {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        let z = self.zstats(label);
        let r = self.rstats(label).await?;
        ensure(z.bad == 0 && r.bad == 0, || {
            format!(
                "corrupt messages on {label}: zerortc {} remote {}",
                z.bad, r.bad
            )
        })?;
        if reliable {
            ensure(
                z.checksum == r.sent_checksum && z.received == r.sent,
                || {
                    format!(
                        "{label}: zerortc received {} (checksum {:08x}), remote sent {} ({:08x})",
                        z.received, z.checksum, r.sent, r.sent_checksum
                    )
                },
            )?;
            ensure(
                r.checksum == z.sent_checksum && r.received == z.sent,
                || {
                    format!(
                        "{label}: remote received {} (checksum {:08x}), zerortc sent {} ({:08x})",
                        r.received, r.checksum, z.sent, z.sent_checksum
                    )
                },
            )?;
        } else {
            ensure(z.received <= r.sent && r.received <= z.sent, || {
                format!("{label}: more received than sent: {z:?} {r:?}")
            })?;
        }
        Ok((z, r))
    }
}

fn reliable() -> RTCDataChannelInit {
    RTCDataChannelInit::default()
}

/// Runs scenario `name`.
pub async fn run(name: &str, ctx: &mut Ctx<'_>) -> Outcome {
    let kind = ctx.remote.kind;
    let result = match name {
        "browser-offers" => basic(ctx, Offerer::Remote).await,
        "zerortc-offers" => basic(ctx, Offerer::Zerortc).await,
        "reliable-text-1000" => bulk(ctx, false).await,
        "reliable-binary-1000" => bulk(ctx, true).await,
        "unordered-max-retransmits-0" => unreliable(ctx, false).await,
        "max-packet-lifetime" => unreliable(ctx, true).await,
        "channels-16" => channels16(ctx).await,
        "large-messages" => large(ctx).await,
        "trickle-both-ways" => trickle(ctx).await,
        "ice-restart" => {
            if kind == Kind::Aiortc {
                return Outcome::NotApplicable("aiortc has no ICE restart".into());
            }
            ice_restart(ctx).await
        }
        "renegotiation-and-close" => renegotiation(ctx).await,
        "wrong-fingerprint" => wrong_fingerprint(ctx).await,
        "stun-coturn" => match ctx.coturn {
            Some(_) => stun(ctx).await,
            None => Err("coturn (turnserver) did not start".into()),
        },
        "throughput" => throughput(ctx).await,
        other => Err(format!("unknown scenario {other}")),
    };
    ctx.end().await;
    match result {
        Ok(note) => Outcome::Pass(note),
        Err(e) => Outcome::Fail(e),
    }
}

async fn basic(ctx: &mut Ctx<'_>, offerer: Offerer) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    ctx.connect(offerer, &[("chat", reliable())]).await?;
    ctx.exchange("chat", 10, 100, false, true).await?;
    let pair = ctx.r("selectedPair", json!({})).await?;
    let zpair = ctx.zcall(|s| s.pc.selected_candidate_pair());
    Ok(format!(
        "pair zerortc {:?}, remote {} -> {}",
        zpair, pair["local"], pair["remote"]
    ))
}

async fn bulk(ctx: &mut Ctx<'_>, binary: bool) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    ctx.connect(Offerer::Remote, &[("bulk", reliable())])
        .await?;
    let size = if binary { 1024 } else { 200 };
    let (z, r) = ctx.exchange("bulk", 1000, size, binary, true).await?;
    ensure(z.out_of_order == 0 && r.out_of_order == 0, || {
        format!("ordered channel delivered out of order: {z:?} {r:?}")
    })?;
    if binary {
        ensure(z.binary_received == 1000, || {
            format!("binary flag lost: {z:?}")
        })?;
    } else {
        ensure(z.binary_received == 0, || {
            format!("text arrived as binary: {z:?}")
        })?;
    }
    Ok(format!(
        "1000 × {size} B each way, checksums {:08x}/{:08x}",
        z.checksum, r.checksum
    ))
}

async fn unreliable(ctx: &mut Ctx<'_>, lifetime: bool) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    let init = if lifetime {
        RTCDataChannelInit {
            max_packet_life_time: Some(500),
            ..RTCDataChannelInit::default()
        }
    } else {
        RTCDataChannelInit {
            ordered: false,
            max_retransmits: Some(0),
            ..RTCDataChannelInit::default()
        }
    };
    // One channel opened by each side.
    ctx.connect(Offerer::Remote, &[("u-remote", init.clone())])
        .await?;
    ctx.zcall({
        let init = init.clone();
        move |s| s.create_channel("u-zerortc", init)
    })?;
    ctx.zwait_open(&["u-zerortc"]).await?;
    ctx.rwait_open(&["u-zerortc"]).await?;
    // Each side sees the other's channel with the options it was made with
    // (DCEP, RFC 8832 §5.1).
    let st = ctx.r("states", json!({})).await?;
    let theirs = &st["channels"]["u-zerortc"];
    let (want_retransmits, want_lifetime) = (init.max_retransmits, init.max_packet_life_time);
    ensure(
        theirs["ordered"].as_bool() == Some(init.ordered)
            && theirs["maxRetransmits"].as_u64() == want_retransmits.map(u64::from)
            && theirs["maxPacketLifeTime"].as_u64() == want_lifetime.map(u64::from),
        || format!("the remote peer sees zerortc's channel as {theirs}, made with {init:?}"),
    )?;
    let ours = ctx.zcall(|s| {
        let id = *s.ids.get("u-remote")?;
        let ch = s.pc.data_channel(id)?;
        Some((
            ch.ordered(),
            ch.max_retransmits(),
            ch.max_packet_life_time(),
        ))
    });
    ensure(
        ours == Some((init.ordered, want_retransmits, want_lifetime)),
        || format!("zerortc sees the remote channel as {ours:?}, made with {init:?}"),
    )?;
    let mut notes = Vec::new();
    for label in ["u-remote", "u-zerortc"] {
        let drops = udp_receive_buffer_errors();
        let (z, r) = ctx.exchange(label, 500, 300, true, false).await?;
        ensure(z.received > 0 && r.received > 0, || {
            format!("{label}: nothing arrived: {z:?} {r:?}")
        })?;
        notes.push(format!(
            "{label} {}/{} and {}/{} (UDP receive buffer drops {})",
            z.received,
            r.sent,
            r.received,
            z.sent,
            udp_receive_buffer_errors().saturating_sub(drops)
        ));
    }
    Ok(format!("received/sent: {}", notes.join(", ")))
}

/// Datagrams the kernel dropped on the IPv4 UDP socket bound to `port`
/// (`/proc/net/udp`, last column).
fn udp_socket_drops(port: u16) -> u64 {
    let text = std::fs::read_to_string("/proc/net/udp").unwrap_or_default();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            let local_port = f.get(1)?.split(':').nth(1)?;
            (u16::from_str_radix(local_port, 16).ok()? == port)
                .then(|| f.last()?.parse::<u64>().ok())
                .flatten()
        })
        .sum()
}

/// Datagrams the kernel dropped for full socket receive buffers in this
/// network namespace (`/proc/net/snmp`, Udp RcvbufErrors).
fn udp_receive_buffer_errors() -> u64 {
    let text = std::fs::read_to_string("/proc/net/snmp").unwrap_or_default();
    let mut udp = text.lines().filter(|l| l.starts_with("Udp:"));
    let (Some(names), Some(values)) = (udp.next(), udp.next()) else {
        return 0;
    };
    names
        .split_whitespace()
        .zip(values.split_whitespace())
        .find(|(n, _)| *n == "RcvbufErrors")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0)
}

async fn channels16(ctx: &mut Ctx<'_>) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    let remote_labels: Vec<String> = (0..6).map(|i| format!("r{i}")).collect();
    let z_labels: Vec<String> = (0..6).map(|i| format!("z{i}")).collect();
    let negotiated: Vec<(String, u16)> = (0..4).map(|i| (format!("n{i}"), 100 + i)).collect();
    // Sub-protocols cross in DCEP OPEN (RFC 8832 §5.1) both ways.
    let with_protocol = |p: &str| RTCDataChannelInit {
        protocol: p.to_string(),
        ..RTCDataChannelInit::default()
    };
    let first: Vec<(&str, RTCDataChannelInit)> = remote_labels
        .iter()
        .map(|l| (l.as_str(), with_protocol("remote-proto")))
        .collect();
    ctx.connect(Offerer::Remote, &first).await?;
    for (label, id) in &negotiated {
        let init = RTCDataChannelInit {
            negotiated: true,
            id: Some(*id),
            ..RTCDataChannelInit::default()
        };
        ctx.r("createChannel", init_json(label, &init)).await?;
        let (l, i) = (label.clone(), init.clone());
        ctx.zcall(move |s| s.create_channel(&l, i))?;
    }
    for label in &z_labels {
        let l = label.clone();
        let init = with_protocol("zerortc-proto");
        ctx.zcall(move |s| s.create_channel(&l, init))?;
    }
    let all: Vec<&str> = remote_labels
        .iter()
        .chain(&z_labels)
        .map(String::as_str)
        .chain(negotiated.iter().map(|(l, _)| l.as_str()))
        .collect();
    ensure(all.len() == 16, || "16 channels".into())?;
    ctx.zwait_open(&all).await?;
    ctx.rwait_open(&all).await?;
    // Send on all 16 first, then wait: they run concurrently.
    for label in &all {
        let l = label.to_string();
        ctx.zcall(move |s| s.send(&l, 0, 50, 500, true))?;
        ctx.r(
            "send",
            json!({ "label": label, "count": 50, "size": 500, "binary": true }),
        )
        .await?;
    }
    let mut ids = Vec::new();
    let st = ctx.r("states", json!({})).await?;
    for label in &all {
        let (z, r) = ctx.settle(label, 50, 50, true).await?;
        ensure(z.received == 50 && r.received == 50, || {
            format!("{label}: {} and {} of 50", z.received, r.received)
        })?;
        ids.push(st["channels"][label]["id"].as_u64().unwrap_or(u64::MAX));
    }
    for label in &z_labels {
        let got = &st["channels"][label]["protocol"];
        ensure(got == "zerortc-proto", || {
            format!("the remote peer sees {label}'s protocol as {got}")
        })?;
    }
    for label in &remote_labels {
        let l = label.clone();
        let got = ctx.zcall(move |s| {
            let id = *s.ids.get(&l)?;
            Some(s.pc.data_channel(id)?.protocol().to_string())
        });
        ensure(got.as_deref() == Some("remote-proto"), || {
            format!("zerortc sees {label}'s protocol as {got:?}")
        })?;
    }
    for (label, id) in &negotiated {
        let got = st["channels"][label]["id"].as_u64();
        ensure(got == Some(u64::from(*id)), || {
            format!("negotiated {label}: remote id {got:?}, want {id}")
        })?;
    }
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    sorted.dedup();
    ensure(sorted.len() == 16, || {
        format!("stream ids not distinct: {ids:?}")
    })?;
    Ok(format!(
        "16 channels × 50 × 500 B each way, sub-protocols seen both ways; stream ids {ids:?}"
    ))
}

async fn large(ctx: &mut Ctx<'_>) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    ctx.connect(Offerer::Remote, &[("large", reliable())])
        .await?;
    ctx.exchange("large", 4, 64 * 1024, true, true).await?;
    ctx.exchange("large", 4, 256 * 1024, true, true).await?;
    // What each side announced, and that each side holds to the other's.
    let st = ctx.r("states", json!({})).await?;
    let remote_sees = st["sctpMaxMessageSize"].as_u64();
    let ours = zerortc::peer::SctpLimits::default().max_message_size as u64;
    let mut notes = vec![format!("remote's maxMessageSize {remote_sees:?}")];
    if ctx.remote.kind.is_browser() {
        ensure(remote_sees == Some(ours), || {
            format!("the remote peer sees max-message-size {remote_sees:?}, zerortc offered {ours}")
        })?;
        let threw = ctx
            .r("trySend", json!({ "label": "large", "size": ours + 1 }))
            .await?;
        ensure(threw["threw"].is_string(), || {
            format!(
                "the browser sent {} bytes past zerortc's max-message-size",
                ours + 1
            )
        })?;
        notes.push(format!(
            "browser refuses {} B: {}",
            ours + 1,
            threw["threw"]
        ));
    }
    let remote_max: Option<usize> = ctx.zcall(|s| {
        s.remote_sdps.last().and_then(|(_, sdp)| {
            sdp.lines()
                .find_map(|l| l.strip_prefix("a=max-message-size:"))
                .and_then(|v| v.trim().parse().ok())
        })
    });
    if let Some(max) = remote_max.filter(|m| *m <= 1 << 20) {
        let err = ctx.zcall(move |s| s.try_send("large", max + 1));
        ensure(err.is_err(), || {
            format!(
                "zerortc sent {} bytes past the remote max-message-size {max}",
                max + 1
            )
        })?;
        notes.push(format!(
            "zerortc refuses {} B: {}",
            max + 1,
            err.unwrap_err()
        ));
        let ok = ctx.zcall(move |s| s.try_send("large", max));
        ensure(ok.is_ok(), || format!("zerortc refused {max} B: {ok:?}"))?;
    } else {
        notes.push(format!("remote max-message-size {remote_max:?}"));
    }
    Ok(format!(
        "4 × 64 KiB + 4 × 256 KiB each way; {}",
        notes.join("; ")
    ))
}

async fn trickle(ctx: &mut Ctx<'_>) -> Result<String, String> {
    let mut notes = Vec::new();
    for offerer in [Offerer::Remote, Offerer::Zerortc] {
        let zopts = ZOptions {
            trickle: true,
            ..ZOptions::default()
        };
        ctx.begin(zopts, json!({ "trickle": true })).await?;
        ctx.connect(offerer, &[("trickled", reliable())]).await?;
        ctx.exchange("trickled", 20, 100, false, true).await?;
        // The descriptions carried no candidates: they came one by one.
        let (local, remote) = ctx.zcall(|s| (s.local_sdps.clone(), s.remote_sdps.clone()));
        let z_in_sdp = local.iter().any(|(_, s)| s.contains("a=candidate"));
        let r_in_sdp = remote.iter().any(|(_, s)| s.contains("a=candidate"));
        ensure(!z_in_sdp, || {
            format!("zerortc's description carried candidates: {local:?}")
        })?;
        if ctx.remote.kind.is_browser() {
            ensure(!r_in_sdp, || {
                "the browser's description carried candidates".into()
            })?;
        }
        notes.push(format!(
            "{offerer:?} offers: candidates in SDP zerortc {z_in_sdp} remote {r_in_sdp}"
        ));
    }
    Ok(notes.join("; "))
}

fn ufrag(sdp: &str) -> String {
    sdp.lines()
        .find_map(|l| l.strip_prefix("a=ice-ufrag:"))
        .unwrap_or("")
        .trim()
        .to_string()
}

async fn ice_restart(ctx: &mut Ctx<'_>) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    ctx.connect(Offerer::Remote, &[("steady", reliable())])
        .await?;
    // Traffic both ways all along.
    ctx.zcall(|s| {
        s.background = Some(Background {
            label: "steady".into(),
            size: 200,
            next: 0,
            interval: Duration::from_millis(5),
            last: None,
            failures: 0,
        });
    });
    ctx.r(
        "sendInBackground",
        json!({ "label": "steady", "size": 200, "binary": true, "intervalMs": 5 }),
    )
    .await?;
    let mut notes = Vec::new();
    for restarter in [Offerer::Remote, Offerer::Zerortc] {
        tokio::time::sleep(Duration::from_millis(300)).await;
        let before_z = ctx.zstats("steady").received;
        let before_r = ctx.rstats("steady").await?.received;
        let old_ufrag = ctx.zcall(|s| {
            s.remote_sdps
                .last()
                .map(|(_, s)| ufrag(s))
                .unwrap_or_default()
        });
        let old_local = ctx.zcall(|s| {
            s.pc.local_description()
                .map(|d| ufrag(&d.sdp))
                .unwrap_or_default()
        });
        let n_remote = ctx.zcall(|s| s.remote_sdps.len());
        match restarter {
            Offerer::Remote => {
                ctx.r("offer", json!({ "iceRestart": true })).await?;
            }
            Offerer::Zerortc => {
                ctx.zcall(|s| s.offer(true))?;
            }
        }
        // Wait for the exchange to complete on both sides.
        ctx.z()
            .wait("the restart's answer", T, move |s| {
                (s.remote_sdps.len() > n_remote
                    && s.pc.signaling_state() == zerortc::peer::RTCSignalingState::Stable)
                    .then_some(())
            })
            .await?;
        ctx.r("waitStable", json!({})).await?;
        let new_ufrag = ctx.zcall(|s| {
            s.remote_sdps
                .last()
                .map(|(_, s)| ufrag(s))
                .unwrap_or_default()
        });
        let new_local = ctx.zcall(|s| {
            s.pc.local_description()
                .map(|d| ufrag(&d.sdp))
                .unwrap_or_default()
        });
        ensure(new_ufrag != old_ufrag && new_local != old_local, || {
            format!(
                "{restarter:?} restart: ufrags remote {old_ufrag}→{new_ufrag}, zerortc {old_local}→{new_local}"
            )
        })?;
        // Traffic goes on after the restart.
        let (bz, br) = (before_z + 50, before_r + 50);
        ctx.z()
            .wait("traffic after the restart", T, move |s| {
                (s.stats("steady").received > bz).then_some(())
            })
            .await?;
        ctx.r(
            "waitReceived",
            json!({ "label": "steady", "count": br, "timeoutMs": 10000 }),
        )
        .await?;
        ctx.zwait_connected().await?;
        notes.push(format!(
            "{restarter:?} restart: ufrag {old_ufrag}→{new_ufrag} / {old_local}→{new_local}"
        ));
    }
    let st = ctx.r("stopSending", json!({})).await?;
    ctx.zcall(|s| s.background = None);
    tokio::time::sleep(Duration::from_millis(300)).await;
    let z = ctx.zstats("steady");
    let r = ChannelStats::from_json(&st["channels"]["steady"]);
    let r_now = ctx.rstats("steady").await?;
    ensure(
        z.bad == 0 && r_now.bad == 0 && z.out_of_order == 0 && r_now.out_of_order == 0,
        || format!("corrupt or reordered after restarts: {z:?} {r_now:?}"),
    )?;
    ensure(z.received == r.sent, || {
        format!(
            "zerortc received {} of {} sent by the remote peer",
            z.received, r.sent
        )
    })?;
    ensure(r_now.received == z.sent, || {
        format!(
            "remote received {} of {} sent by zerortc",
            r_now.received, z.sent
        )
    })?;
    notes.push(format!(
        "{} and {} messages, none lost",
        z.received, r_now.received
    ));
    Ok(notes.join("; "))
}

async fn renegotiation(ctx: &mut Ctx<'_>) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    // First exchange: audio only (no data m-line yet).
    ctx.r(
        "addTransceiver",
        json!({ "kind": "audio", "direction": "recvonly" }),
    )
    .await?;
    ctx.r("offer", json!({})).await?;
    ctx.zwait_connected().await?;
    ctx.rwait_connected().await?;
    ctx.r("waitStable", json!({})).await?;
    // A channel once connected: the remote peer re-offers with a data m-line.
    ctx.r("createChannel", init_json("late", &reliable()))
        .await?;
    ctx.r("offer", json!({})).await?;
    ctx.zwait_open(&["late"]).await?;
    ctx.rwait_open(&["late"]).await?;
    ctx.exchange("late", 20, 100, false, true).await?;
    // zerortc opens another on the live association (no negotiation).
    ctx.zcall(|s| s.create_channel("late-z", RTCDataChannelInit::default()))?;
    ctx.zwait_open(&["late-z"]).await?;
    ctx.rwait_open(&["late-z"]).await?;
    ctx.exchange("late-z", 20, 100, true, true).await?;
    // Close from either side; the other side sees it.
    ctx.r("close", json!({ "label": "late" })).await?;
    ctx.z()
        .wait("close of late", T, |s| s.stats("late").closed.then_some(()))
        .await?;
    ctx.r("waitClosed", json!({ "labels": ["late"] })).await?;
    ctx.zcall(|s| s.close("late-z"))?;
    ctx.r("waitClosed", json!({ "labels": ["late-z"] })).await?;
    ctx.z()
        .wait("close of late-z", T, |s| {
            s.stats("late-z").closed.then_some(())
        })
        .await?;
    // And zerortc renegotiates too: a new channel after both closed
    // reuses the association; then zerortc offers (nothing changes).
    ctx.zcall(|s| s.create_channel("again", RTCDataChannelInit::default()))?;
    ctx.zwait_open(&["again"]).await?;
    ctx.rwait_open(&["again"]).await?;
    let n = ctx.zcall(|s| s.remote_sdps.len());
    ctx.zcall(|s| s.offer(false))?;
    ctx.z()
        .wait("answer to zerortc's re-offer", T, move |s| {
            (s.remote_sdps.len() > n
                && s.pc.signaling_state() == zerortc::peer::RTCSignalingState::Stable)
                .then_some(())
        })
        .await?;
    ctx.exchange("again", 10, 100, true, true).await?;
    let errors = ctx.zcall(|s| s.errors.clone());
    ensure(errors.is_empty(), || format!("zerortc errors: {errors:?}"))?;
    Ok(
        "audio first, data m-line added by re-offer, channels closed both ways, zerortc re-offer"
            .into(),
    )
}

async fn wrong_fingerprint(ctx: &mut Ctx<'_>) -> Result<String, String> {
    let mut notes = Vec::new();
    // (a) the remote peer's fingerprint is wrong in what zerortc gets;
    // (b) zerortc's fingerprint is wrong in what the remote peer gets.
    for munged_by_remote in [true, false] {
        let zopts = ZOptions {
            munge_fingerprint: !munged_by_remote,
            ..ZOptions::default()
        };
        ctx.begin(zopts, json!({ "mungeFingerprint": munged_by_remote }))
            .await?;
        ctx.r("createChannel", init_json("doomed", &reliable()))
            .await?;
        ctx.r("offer", json!({})).await?;
        let r = ctx
            .r(
                "waitConnected",
                json!({ "state": "failed", "timeoutMs": 15000 }),
            )
            .await;
        let r = match r {
            Ok(r) => r,
            Err(e) => {
                let summary = ctx.zcall(|s| s.summary());
                return Err(format!("the remote peer did not fail ({e}); {summary}"));
            }
        };
        ensure(r["connectionState"] == "failed", || format!("remote: {r}"))?;
        let silent = !munged_by_remote && ctx.remote.kind == Kind::Aiortc;
        let zerr = if silent {
            // aiortc checks the fingerprint after its handshake and stops
            // without an alert: zerortc's DTLS is up, its SCTP never is.
            tokio::time::sleep(Duration::from_millis(1000)).await;
            let (open, state) = ctx.zcall(|s| (s.stats("doomed").open, s.pc.connection_state()));
            ensure(!open, || {
                "the channel opened despite a wrong fingerprint".into()
            })?;
            format!("{state:?}, no alert from aiortc, the channel never opens")
        } else {
            let zstate = ctx
                .z()
                .wait("zerortc to fail", Duration::from_secs(15), |s| {
                    let st = s.pc.connection_state();
                    matches!(
                        st,
                        RTCPeerConnectionState::Failed | RTCPeerConnectionState::Connected
                    )
                    .then(|| (st, s.errors.clone()))
                })
                .await?;
            ensure(zstate.0 == RTCPeerConnectionState::Failed, || {
                format!("zerortc connected despite a wrong fingerprint: {zstate:?}")
            })?;
            zstate.1.join("; ")
        };
        ensure(
            !munged_by_remote || zerr.to_lowercase().contains("fingerprint"),
            || format!("zerortc's error does not name the fingerprint: {zerr}"),
        )?;
        notes.push(format!(
            "{}: zerortc [{zerr}], remote {} {}",
            if munged_by_remote {
                "remote's fingerprint wrong"
            } else {
                "zerortc's fingerprint wrong"
            },
            r["connectionState"],
            r["errors"]
        ));
    }
    Ok(notes.join("; "))
}

async fn stun(ctx: &mut Ctx<'_>) -> Result<String, String> {
    let server = ctx.coturn.expect("checked");
    let zopts = ZOptions {
        stun: Some(server),
        nat: true,
        ..ZOptions::default()
    };
    ctx.begin(
        zopts,
        json!({ "iceServers": [{ "urls": format!("stun:{server}") }] }),
    )
    .await?;
    ctx.connect(Offerer::Remote, &[("via-stun", reliable())])
        .await?;
    ctx.exchange("via-stun", 20, 100, false, true).await?;
    let sent = ctx.zcall(|s| s.local_sdps.clone());
    let answer = sent.last().map(|(_, s)| s.clone()).unwrap_or_default();
    let srflx: Vec<&str> = answer
        .lines()
        .filter(|l| l.starts_with("a=candidate"))
        .collect();
    ensure(
        !srflx.is_empty()
            && srflx
                .iter()
                .all(|l| l.contains("typ srflx") && l.contains("127.0.0.2")),
        || format!("zerortc's answer should carry only its srflx candidate: {srflx:?}"),
    )?;
    let pair = ctx.r("selectedPair", json!({})).await?;
    ensure(pair["remote"]["address"] == "127.0.0.2", || {
        format!("the remote peer's selected pair is not through the mapped address: {pair}")
    })?;
    Ok(format!("zerortc reached only as {}", srflx.join(" ")))
}

async fn throughput(ctx: &mut Ctx<'_>) -> Result<String, String> {
    ctx.begin(ZOptions::default(), json!({})).await?;
    ctx.connect(Offerer::Remote, &[("blast", reliable())])
        .await?;
    // MiB to send: ZERORTC_INTEROP_BLAST_MIB, else 64 optimised, 8 in
    // debug builds (the matrix's default; a figure only from --release),
    // 4 to aiortc.
    let mib: u64 = std::env::var("ZERORTC_INTEROP_BLAST_MIB")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(match (ctx.remote.kind, cfg!(debug_assertions)) {
            // aiortc (Python) moves about 1 MB/s.
            (Kind::Aiortc, _) => 4,
            (_, true) => 8,
            (_, false) => 64,
        });
    let total: u64 = mib << 20;
    let size: u64 = 16 * 1024;
    let count = total.div_ceil(size);
    let t0 = Instant::now();
    let drops = udp_receive_buffer_errors();
    let r = ctx
        .r(
            "blast",
            json!({ "label": "blast", "totalBytes": total, "size": size }),
        )
        .await?;
    ctx.z()
        .wait("every blasted message", Duration::from_secs(60), move |s| {
            (s.stats("blast").received >= count).then_some(())
        })
        .await?;
    let wall = t0.elapsed();
    let drops = udp_receive_buffer_errors().saturating_sub(drops);
    let z = ctx.zstats("blast");
    ensure(z.bad == 0 && z.out_of_order == 0, || format!("{z:?}"))?;
    let span = ctx.zcall(|s| s.first_last.get("blast").map(|(a, b)| *b - *a));
    let span = span.unwrap_or(wall).max(Duration::from_millis(1));
    // From the send command to the last message at zerortc (what a user
    // waits for; aiortc buffers before it sends, so first-to-last at the
    // receiver would flatter it).
    let mbps = z.bytes as f64 / wall.as_secs_f64() / 1e6;
    let t = ctx.zcall(|s| s.pc.stats().transport);
    let zport = ctx.zcall(|s| s.socket_port());
    let zdrops = udp_socket_drops(zport);
    Ok(format!(
        "{} MiB in {} × {} KiB: {mbps:.1} MB/s ({:.0} ms from the send command to the last message, {:.0} ms first to last message at zerortc; sender's loop {:.0} ms; zerortc built {}; {drops} datagrams dropped by the kernel for a full receive buffer, {zdrops} of them at zerortc's socket; zerortc got {} datagrams, dropped {} DTLS and {} SCTP)",
        total >> 20,
        count,
        size / 1024,
        wall.as_secs_f64() * 1e3,
        span.as_secs_f64() * 1e3,
        r["ms"].as_f64().unwrap_or(0.0),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        },
        t.datagrams_received,
        t.dropped_dtls,
        t.dropped_sctp
    ))
}
