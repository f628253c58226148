//! Damaged captures: truncated at many offsets, bytes flipped. The inspector
//! must report a capture error naming a byte offset inside the file, or decode
//! errors per packet, and never panic.

use std::io;

use zerortc_cli::inspect::{Options, run};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../core/tests/fixtures/chromium156-plain-rtp.pcapng"
);

fn inspect(bytes: &[u8]) -> (u64, Option<zerortc_cli::capture::CaptureError>) {
    let (summary, error) = run(bytes, &Options::default(), &mut io::sink(), None).unwrap();
    (summary.frames, error)
}

#[test]
fn intact_fixture_reads_to_the_end() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let (frames, error) = inspect(&bytes);
    assert_eq!(frames, 722);
    assert_eq!(error, None);
}

#[test]
fn truncated_at_many_offsets() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let cuts = (0..2048).chain((2048..bytes.len()).step_by(241));
    let mut previous_frames = 0;
    for cut in cuts {
        let (frames, error) = inspect(&bytes[..cut]);
        assert!(
            frames >= previous_frames,
            "cut {cut}: fewer frames than a shorter cut"
        );
        previous_frames = frames;
        match error {
            Some(e) => {
                assert!(
                    e.offset <= cut,
                    "cut {cut}: error offset {} past the end",
                    e.offset
                );
                assert!(e.to_string().contains("byte offset"), "{e}");
            }
            // Only an empty file or one cut exactly between blocks reads cleanly.
            None => assert!(cut > 0, "an empty file is an error"),
        }
    }
}

#[test]
fn cut_exactly_between_blocks_reads_cleanly() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    // The first block is the section header; its length is at bytes 4..8.
    let shb_len = u32::from_le_bytes(bytes[4..8].try_into().unwrap()) as usize;
    let (frames, error) = inspect(&bytes[..shb_len]);
    assert_eq!((frames, error), (0, None));
    let (_, error) = inspect(&bytes[..shb_len + 1]);
    assert_eq!(error.unwrap().offset, shb_len);
}

/// xorshift64*: a fixed-seed generator so every run flips the same bytes.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
}

#[test]
fn flipped_bytes_never_panic() {
    let bytes = std::fs::read(FIXTURE).unwrap();
    let mut rng = Rng(0x5eed_cafe_f00d_0001);
    let mut capture_errors = 0;
    let mut decode_errors = 0;
    for round in 0..400 {
        let mut damaged = bytes.clone();
        // Early rounds hit the headers, later ones anywhere.
        let span = if round < 100 { 600 } else { damaged.len() };
        for _ in 0..1 + rng.next() % 8 {
            let at = (rng.next() as usize) % span;
            damaged[at] ^= 1 << (rng.next() % 8);
        }
        let (summary, error) = run(&damaged, &Options::default(), &mut io::sink(), None).unwrap();
        if let Some(e) = error {
            assert!(e.offset < damaged.len(), "{e}");
            capture_errors += 1;
        }
        if summary.undecoded > 0 {
            decode_errors += 1;
        }
    }
    // The damage is seen: as capture errors (block headers) or decode errors.
    assert!(capture_errors > 0, "no capture error in 400 damaged files");
    assert!(decode_errors > 0, "no decode error in 400 damaged files");
}

#[test]
fn every_pcapng_block_type_field_flipped() {
    // Damage each block's length fields in turn: the reader must stop with an
    // error at (or before) that block, never loop or panic.
    let bytes = std::fs::read(FIXTURE).unwrap();
    let mut at = 0;
    let mut blocks = 0;
    while at + 8 <= bytes.len() {
        let len = u32::from_le_bytes(bytes[at + 4..at + 8].try_into().unwrap()) as usize;
        if blocks < 40 {
            for bad_len in [0u32, 1, 12, len as u32 + 4, u32::MAX] {
                let mut damaged = bytes.clone();
                damaged[at + 4..at + 8].copy_from_slice(&bad_len.to_le_bytes());
                let (_, error) = inspect(&damaged);
                let e = error.unwrap_or_else(|| panic!("block at {at} length {bad_len}"));
                assert!(e.offset <= at, "block at {at}: error at {}", e.offset);
            }
        }
        blocks += 1;
        at += len;
    }
    assert_eq!(at, bytes.len());
    assert!(blocks > 722);
}
