//! The peers zerortc talks to: headless Chromium (chromedriver) and
//! headless Firefox ESR (geckodriver), driven over W3C WebDriver with
//! fantoccini and running `pages/zerortc-peer.html`; and aiortc in
//! `pages/aiortc-peer.py`, driven by JSON lines on its stdin/stdout. All
//! three take the same commands (`start`, `createChannel`, `offer`,
//! `send`, ...; see the page) and answer JSON.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;
use fantoccini::{Client, ClientBuilder};
use serde_json::{Value, json};

/// Which peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Chromium,
    Firefox,
    Aiortc,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Chromium => "chromium",
            Kind::Firefox => "firefox",
            Kind::Aiortc => "aiortc",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        match s {
            "chromium" => Some(Kind::Chromium),
            "firefox" => Some(Kind::Firefox),
            "aiortc" => Some(Kind::Aiortc),
            _ => None,
        }
    }

    pub fn is_browser(self) -> bool {
        self != Kind::Aiortc
    }
}

/// Children of the harness, killed by their handles when dropped.
#[derive(Default)]
pub struct Children(pub Vec<Child>);

impl Drop for Children {
    fn drop(&mut self) {
        for child in &mut self.0 {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

enum Driver {
    WebDriver(Client),
    Helper {
        stdin: ChildStdin,
        lines: Receiver<String>,
    },
}

/// One running peer (a browser with the page open, or the aiortc helper).
pub struct Remote {
    pub kind: Kind,
    /// Browser name and version, as it reports them.
    pub version: String,
    driver: Driver,
    _children: Children,
}

fn wait_for_tcp(port: u16, what: &str) -> Result<(), String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    while TcpStream::connect(("127.0.0.1", port)).is_err() {
        if Instant::now() > deadline {
            return Err(format!("{what} does not listen on {port}"));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Ok(())
}

fn free_tcp_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn log_file(dir: &Path, name: &str) -> Stdio {
    std::fs::File::create(dir.join(name)).map_or_else(|_| Stdio::null(), Stdio::from)
}

/// Verbose browser logs (`scripts/interop` sets `ZERORTC_INTEROP_PCAP=1`).
fn verbose() -> bool {
    std::env::var_os("ZERORTC_INTEROP_PCAP").is_some_and(|v| v == "1")
}

const CHROMIUM_ARGS: &[&str] = &[
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-features=WebRtcHideLocalIpsWithMdns",
    "--allow-loopback-in-peer-connection",
    "--use-fake-device-for-media-stream",
    "--use-fake-ui-for-media-stream",
];

impl Remote {
    /// Starts the peer; `logs` gets its driver's and browser's output,
    /// `profile` is a fresh directory of its own.
    pub async fn start(
        kind: Kind,
        page_port: u16,
        logs: &Path,
        profile: &Path,
    ) -> Result<Remote, String> {
        let mut children = Children::default();
        match kind {
            Kind::Chromium | Kind::Firefox => {
                let port = free_tcp_port();
                let (caps, child) = if kind == Kind::Chromium {
                    let mut args: Vec<String> =
                        CHROMIUM_ARGS.iter().map(|s| s.to_string()).collect();
                    args.push(format!("--user-data-dir={}", profile.display()));
                    args.push("--enable-logging=stderr".into());
                    if verbose() {
                        args.push("--vmodule=*/webrtc/*=1,*/p2p/*=1,*/pc/*=1".into());
                    }
                    let caps = json!({
                        "browserName": "chrome",
                        "goog:chromeOptions": {
                            "binary": "/usr/bin/chromium",
                            "args": args,
                        },
                    });
                    let child = Command::new("chromedriver")
                        .arg(format!("--port={port}"))
                        .arg("--enable-chrome-logs")
                        .arg(format!(
                            "--log-path={}",
                            logs.join("chromium-browser.log").display()
                        ))
                        .stdout(Stdio::null())
                        .stderr(Stdio::null())
                        .spawn()
                        .map_err(|e| {
                            format!("chromedriver: {e} (apt-get install chromium-driver)")
                        })?;
                    (caps, child)
                } else {
                    std::fs::create_dir_all(profile).map_err(|e| e.to_string())?;
                    let caps = json!({
                        "browserName": "firefox",
                        "moz:firefoxOptions": {
                            "binary": "/usr/bin/firefox-esr",
                            "args": ["-headless", "-profile", profile.display().to_string()],
                            "prefs": {
                                "media.peerconnection.ice.obfuscate_host_addresses": false,
                                "media.peerconnection.ice.loopback": true,
                                "media.navigator.streams.fake": true,
                                "media.navigator.permission.disabled": true,
                            },
                            "env": {
                                "MOZ_LOG": if verbose() {
                                    "jsep:4,signaling:4,webrtc_trace:1,DataChannel:4,sctp:2"
                                } else {
                                    "jsep:2,signaling:2,DataChannel:2"
                                },
                            },
                        },
                    });
                    let child = Command::new("geckodriver")
                        .arg(format!("--port={port}"))
                        .arg("--host=127.0.0.1")
                        .stdout(log_file(logs, "firefox-browser.log"))
                        .stderr(log_file(logs, "firefox-stderr.log"))
                        .spawn()
                        .map_err(|e| {
                            format!("geckodriver: {e} (cargo install geckodriver --locked)")
                        })?;
                    (caps, child)
                };
                children.0.push(child);
                wait_for_tcp(port, "the WebDriver driver")?;
                let caps = match caps {
                    Value::Object(m) => m,
                    _ => unreachable!(),
                };
                let client =
                    ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
                        .capabilities(caps)
                        .connect(&format!("http://127.0.0.1:{port}"))
                        .await
                        .map_err(|e| format!("WebDriver session: {e}"))?;
                client
                    .update_timeouts(TimeoutConfiguration::new(
                        Some(Duration::from_secs(120)),
                        Some(Duration::from_secs(20)),
                        None,
                    ))
                    .await
                    .map_err(|e| e.to_string())?;
                client
                    .goto(&format!("http://127.0.0.1:{page_port}/zerortc-peer.html"))
                    .await
                    .map_err(|e| format!("open the page: {e}"))?;
                let version = client
                    .capabilities()
                    .map(|c| {
                        format!(
                            "{} {}",
                            c.get("browserName").and_then(Value::as_str).unwrap_or("?"),
                            c.get("browserVersion")
                                .and_then(Value::as_str)
                                .unwrap_or("?")
                        )
                    })
                    .unwrap_or_default();
                Ok(Remote {
                    kind,
                    version,
                    driver: Driver::WebDriver(client),
                    _children: children,
                })
            }
            Kind::Aiortc => {
                let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("pages/aiortc-peer.py");
                let mut child = Command::new("python3")
                    .arg(script)
                    .arg(format!("--server=http://127.0.0.1:{page_port}"))
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(log_file(logs, "aiortc.log"))
                    .spawn()
                    .map_err(|e| format!("python3: {e}"))?;
                let stdin = child.stdin.take().unwrap();
                let stdout = child.stdout.take().unwrap();
                children.0.push(child);
                let (tx, lines) = channel();
                std::thread::spawn(move || {
                    for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                        if tx.send(line).is_err() {
                            break;
                        }
                    }
                });
                let mut remote = Remote {
                    kind,
                    version: String::new(),
                    driver: Driver::Helper { stdin, lines },
                    _children: children,
                };
                let hello = remote.run("version", json!({})).await?;
                remote.version = format!("aiortc {}", hello["aiortc"].as_str().unwrap_or("?"));
                Ok(remote)
            }
        }
    }

    /// Runs `command` with `args` on the peer; its answer, or its error.
    pub async fn run(&mut self, command: &str, args: Value) -> Result<Value, String> {
        let value = match &mut self.driver {
            Driver::WebDriver(client) => {
                let script = "const done = arguments[arguments.length - 1];\
                              window.zr.run(arguments[0], arguments[1])\
                              .then(done, (e) => done({ __error: String(e && e.stack || e) }));";
                client
                    .execute_async(script, vec![json!(command), args])
                    .await
                    .map_err(|e| format!("{} {command}: WebDriver: {e}", self.kind.name()))?
            }
            Driver::Helper { stdin, lines } => {
                let line = json!({ "command": command, "args": args }).to_string();
                writeln!(stdin, "{line}").map_err(|e| format!("aiortc helper: {e}"))?;
                stdin.flush().map_err(|e| e.to_string())?;
                let deadline = Instant::now() + Duration::from_secs(120);
                loop {
                    match lines.try_recv() {
                        Ok(line) => {
                            break serde_json::from_str(&line)
                                .map_err(|e| format!("aiortc helper said {line:?}: {e}"))?;
                        }
                        Err(std::sync::mpsc::TryRecvError::Empty) => {
                            if Instant::now() > deadline {
                                return Err(format!("aiortc {command}: no answer"));
                            }
                            tokio::time::sleep(Duration::from_millis(5)).await;
                        }
                        Err(_) => return Err("the aiortc helper exited".into()),
                    }
                }
            }
        };
        match value.get("__error") {
            Some(e) => Err(format!(
                "{} {command}: {}",
                self.kind.name(),
                e.as_str().unwrap_or("?")
            )),
            None => Ok(value),
        }
    }

    /// Ends the WebDriver session (the browser exits).
    pub async fn quit(self) {
        if let Driver::WebDriver(client) = self.driver {
            let _ = client.close().await;
        }
    }
}
