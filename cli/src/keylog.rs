//! Decrypting DTLS 1.2 captures with an NSS key log file.
//!
//! The key log format is the one browsers write with `SSLKEYLOGFILE`
//! (and zerortc's `DtlsConnection::key_log_line`): one
//! `CLIENT_RANDOM <client random> <master secret>` line per session, in
//! hex; comments (`#`) and other labels (TLS 1.3 traffic secrets) are
//! skipped. [`DtlsSessions`] follows every DTLS flow of a capture: the
//! client random from the ClientHello, the server random and cipher
//! suite from the ServerHello (RFC 6347, RFC 5246 §7.4.1), then derives
//! the AES-GCM record keys (RFC 5246 §6.3, RFC 5288) from the logged
//! master secret and opens every epoch-1 record, in either direction.

use std::collections::HashMap;
use std::net::SocketAddr;

use zerortc::dtls::{
    CipherSuite, ClientHello, ContentType, HandshakeFragment, HandshakeType, Record, RecordKeys,
    Records, ServerHello,
};

/// Master secrets by client random.
#[derive(Debug, Default, Clone)]
pub struct KeyLog {
    secrets: HashMap<[u8; 32], [u8; 48]>,
}

fn hex_array<const N: usize>(s: &str) -> Option<[u8; N]> {
    if s.len() != 2 * N {
        return None;
    }
    let mut out = [0u8; N];
    for (i, b) in out.iter_mut().enumerate() {
        *b = u8::from_str_radix(s.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

impl KeyLog {
    /// Parses a key log file. A `CLIENT_RANDOM` line that is not 32 + 48
    /// bytes of hex is an error naming its line number.
    pub fn parse(text: &str) -> Result<KeyLog, String> {
        let mut log = KeyLog::default();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            let mut words = line.split_whitespace();
            if words.next() != Some("CLIENT_RANDOM") {
                continue;
            }
            let random = words.next().and_then(hex_array::<32>);
            let secret = words.next().and_then(hex_array::<48>);
            match (random, secret) {
                (Some(r), Some(s)) => {
                    log.secrets.insert(r, s);
                }
                _ => return Err(format!("key log line {}: bad CLIENT_RANDOM line", n + 1)),
            }
        }
        Ok(log)
    }

    /// Sessions in the log.
    pub fn len(&self) -> usize {
        self.secrets.len()
    }

    /// Whether the log holds no session.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }
}

/// What one epoch-1 record held.
#[derive(Debug, Clone)]
pub enum Opened {
    /// The plaintext.
    Plain(ContentType, Vec<u8>),
    /// No keys for this flow (no ServerHello seen, or its client random
    /// not in the key log).
    NoKeys,
    /// The keys did not open it (wrong secret or damaged record).
    Failed(String),
}

#[derive(Debug)]
struct Session {
    client: SocketAddr,
    server: SocketAddr,
    client_random: Option<[u8; 32]>,
    server_random: Option<[u8; 32]>,
    suite: Option<CipherSuite>,
    /// Keys as the client holds them: `write` opens client → server
    /// records, `read` server → client.
    keys: Option<RecordKeys>,
}

/// The DTLS flows of one capture and their keys.
#[derive(Debug, Default)]
pub struct DtlsSessions {
    log: KeyLog,
    sessions: Vec<Session>,
}

impl DtlsSessions {
    /// Sessions decrypted with `log`.
    pub fn new(log: KeyLog) -> Self {
        Self {
            log,
            sessions: Vec::new(),
        }
    }

    fn session(&mut self, client: SocketAddr, server: SocketAddr) -> &mut Session {
        let i = match self
            .sessions
            .iter()
            .position(|s| s.client == client && s.server == server)
        {
            Some(i) => i,
            None => {
                self.sessions.push(Session {
                    client,
                    server,
                    client_random: None,
                    server_random: None,
                    suite: None,
                    keys: None,
                });
                self.sessions.len() - 1
            }
        };
        &mut self.sessions[i]
    }

    /// Reads the plaintext hellos of a datagram sent from `src` to `dst`,
    /// then opens its epoch-1 records: one entry per record, in order
    /// (`None` for records that are not encrypted).
    pub fn datagram(
        &mut self,
        src: SocketAddr,
        dst: SocketAddr,
        datagram: &[u8],
    ) -> Vec<Option<Opened>> {
        let mut out = Vec::new();
        for record in Records::new(datagram) {
            let Ok(record) = record else {
                break;
            };
            if record.header.epoch == 0 {
                if record.header.content_type == ContentType::Handshake {
                    self.hellos(src, dst, record.fragment);
                }
                out.push(None);
            } else {
                out.push(Some(self.open(src, dst, &record)));
            }
        }
        out
    }

    fn hellos(&mut self, src: SocketAddr, dst: SocketAddr, mut rest: &[u8]) {
        while let Ok((fragment, next)) = HandshakeFragment::parse(rest) {
            let h = fragment.header;
            let whole = h.fragment_offset == 0 && h.fragment_length == h.length;
            match h.msg_type {
                HandshakeType::ClientHello if whole => {
                    if let Ok(hello) = ClientHello::parse(fragment.body) {
                        let s = self.session(src, dst);
                        s.client_random = Some(hello.random);
                        s.keys = None;
                    }
                }
                HandshakeType::ServerHello if whole => {
                    if let Ok(hello) = ServerHello::parse(fragment.body) {
                        let s = self.session(dst, src);
                        s.server_random = Some(hello.random);
                        s.suite = CipherSuite::from_id(hello.cipher_suite);
                        s.keys = None;
                    }
                }
                _ => {}
            }
            rest = next;
        }
    }

    fn open(&mut self, src: SocketAddr, dst: SocketAddr, record: &Record<'_>) -> Opened {
        let log = &self.log;
        let (session, from_client) = match self
            .sessions
            .iter_mut()
            .find(|s| (s.client, s.server) == (src, dst) || (s.client, s.server) == (dst, src))
        {
            Some(s) => {
                let from_client = s.client == src;
                (s, from_client)
            }
            None => return Opened::NoKeys,
        };
        if session.keys.is_none()
            && let (Some(cr), Some(sr), Some(suite)) =
                (session.client_random, session.server_random, session.suite)
            && let Some(master) = log.secrets.get(&cr)
        {
            match RecordKeys::derive(suite, master, &cr, &sr, true) {
                Ok(k) => session.keys = Some(k),
                Err(e) => return Opened::Failed(e.to_string()),
            }
        }
        let Some(keys) = session.keys.as_ref() else {
            return Opened::NoKeys;
        };
        let cipher = if from_client { &keys.write } else { &keys.read };
        let mut fragment = record.fragment.to_vec();
        match cipher.open_in_place(&record.header, &mut fragment) {
            Ok(plain) => Opened::Plain(record.header.content_type, plain.to_vec()),
            Err(e) => Opened::Failed(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_log_lines() {
        let r = "01".repeat(32);
        let s = "ab".repeat(48);
        let text = format!(
            "# SSL/TLS secrets log file\nCLIENT_HANDSHAKE_TRAFFIC_SECRET {r} {s}\nCLIENT_RANDOM {r} {s}\n\n"
        );
        let log = KeyLog::parse(&text).unwrap();
        assert_eq!(log.len(), 1);
        assert_eq!(log.secrets[&[1; 32]], [0xab; 48]);
        assert!(KeyLog::parse(&format!("CLIENT_RANDOM {r} abcd")).is_err());
        assert!(KeyLog::parse(&format!("CLIENT_RANDOM {r}")).is_err());
        assert!(KeyLog::parse("").unwrap().is_empty());
    }

    #[test]
    fn records_without_a_session_have_no_keys() {
        let mut sessions = DtlsSessions::new(KeyLog::default());
        let a: SocketAddr = "127.0.0.1:1".parse().unwrap();
        let b: SocketAddr = "127.0.0.1:2".parse().unwrap();
        // An epoch-1 application data record of 30 bytes.
        let mut d = vec![23, 0xfe, 0xfd, 0, 1, 0, 0, 0, 0, 0, 5, 0, 30];
        d.extend_from_slice(&[0; 30]);
        let out = sessions.datagram(a, b, &d);
        assert!(matches!(out.as_slice(), [Some(Opened::NoKeys)]));
    }
}
