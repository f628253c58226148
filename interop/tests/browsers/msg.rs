//! The messages of the matrix, the same in the page, the aiortc helper and
//! here: message `i` of `size` bytes is `i` as 10 decimal digits, `:`,
//! then byte `j` = `'a' + (i + 7 j) mod 26`. Receivers check every byte,
//! count, and add up an FNV-1a hash of each message (order-independent),
//! so both ends compare checksums.

/// FNV-1a, 32 bits.
pub fn fnv(bytes: &[u8]) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for &b in bytes {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}

/// Message `i` of `size` (at least 11) bytes.
pub fn make(i: u32, size: usize, out: &mut Vec<u8>) {
    out.clear();
    out.extend_from_slice(format!("{i:010}:").as_bytes());
    out.extend((11..size).map(|j| b'a' + ((i as usize + 7 * j) % 26) as u8));
    out.truncate(size);
}

/// The index of a well-formed message, `None` for anything else.
pub fn check(bytes: &[u8]) -> Option<u32> {
    let head = bytes.get(..11)?;
    if head[10] != b':' || !head[..10].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let i: u32 = std::str::from_utf8(&head[..10]).ok()?.parse().ok()?;
    bytes
        .iter()
        .enumerate()
        .skip(11)
        .all(|(j, &b)| b == b'a' + ((i as usize + 7 * j) % 26) as u8)
        .then_some(i)
}

/// What one side saw and sent on one channel.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChannelStats {
    pub received: u64,
    pub bytes: u64,
    pub checksum: u32,
    pub bad: u64,
    pub out_of_order: u64,
    pub last: i64,
    pub sent: u64,
    pub sent_checksum: u32,
    pub open: bool,
    pub closed: bool,
    pub binary_received: u64,
}

impl Default for ChannelStats {
    fn default() -> Self {
        Self::new()
    }
}

impl ChannelStats {
    pub fn new() -> Self {
        Self {
            received: 0,
            bytes: 0,
            checksum: 0,
            bad: 0,
            out_of_order: 0,
            last: -1,
            sent: 0,
            sent_checksum: 0,
            open: false,
            closed: false,
            binary_received: 0,
        }
    }

    pub fn receive(&mut self, bytes: &[u8], binary: bool) {
        self.received += 1;
        self.bytes += bytes.len() as u64;
        if binary {
            self.binary_received += 1;
        }
        match check(bytes) {
            Some(i) => {
                self.checksum = self.checksum.wrapping_add(fnv(bytes));
                if i64::from(i) <= self.last {
                    self.out_of_order += 1;
                }
                self.last = self.last.max(i64::from(i));
            }
            None => self.bad += 1,
        }
    }

    pub fn sent(&mut self, bytes: &[u8]) {
        self.sent += 1;
        self.sent_checksum = self.sent_checksum.wrapping_add(fnv(bytes));
    }

    /// The remote side's view of the same channel, from its JSON.
    pub fn from_json(v: &serde_json::Value) -> Self {
        let n = |k: &str| v[k].as_u64().unwrap_or(0);
        Self {
            received: n("received"),
            bytes: n("bytes"),
            checksum: n("checksum") as u32,
            bad: n("bad"),
            out_of_order: n("outOfOrder"),
            last: v["last"].as_i64().unwrap_or(-1),
            sent: n("sent"),
            sent_checksum: n("sentChecksum") as u32,
            open: v["open"].as_bool().unwrap_or(false),
            closed: v["closed"].as_bool().unwrap_or(false),
            binary_received: 0,
        }
    }
}

/// Checks the message model on itself (run once at start).
pub fn self_check() {
    let mut m = Vec::new();
    make(42, 100, &mut m);
    assert_eq!(m.len(), 100);
    assert_eq!(&m[..11], b"0000000042:");
    assert_eq!(check(&m), Some(42));
    m[50] ^= 1;
    assert_eq!(check(&m), None);
}
