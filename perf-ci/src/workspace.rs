//! Finding the workspace root and the bench suites of `benches/`.
//!
//! Suites come from two places, merged: the `[[bench]]` entries of `benches/Cargo.toml` and the
//! files `benches/benches/NAME.rs` (or `benches/benches/NAME/main.rs`). A name ending in `_ir`
//! is a gungraun suite (instruction counts); any other name is a criterion suite. A `[[bench]]`
//! entry with `required-features` is skipped (it needs a feature the plain run does not turn on,
//! such as the `peers` suite).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// Suffix of gungraun suites.
pub const IR_SUFFIX: &str = "_ir";

/// Walks up from `start` to the first directory whose `Cargo.toml` has a `[workspace]` table.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    let mut dir = Some(start);
    while let Some(d) = dir {
        let manifest = d.join("Cargo.toml");
        if let Ok(text) = std::fs::read_to_string(&manifest)
            && text.lines().any(|l| l.trim() == "[workspace]")
        {
            return Some(d.to_path_buf());
        }
        dir = d.parent();
    }
    None
}

/// One `[[bench]]` entry of a manifest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BenchEntry {
    /// `name = "..."`.
    pub name: String,
    /// Whether the entry declares `required-features`.
    pub requires_features: bool,
}

/// Reads the `[[bench]]` entries of a manifest with a small line-based scan (the entries perf-ci
/// needs are simple `key = value` lines; a full TOML parser is not worth the build time).
pub fn bench_entries(manifest: &str) -> Vec<BenchEntry> {
    let mut entries = Vec::new();
    let mut current: Option<BenchEntry> = None;
    for raw in manifest.lines() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.starts_with('[') {
            if let Some(done) = current.take().filter(|e| !e.name.is_empty()) {
                entries.push(done);
            }
            if line == "[[bench]]" {
                current = Some(BenchEntry {
                    name: String::new(),
                    requires_features: false,
                });
            }
            continue;
        }
        let Some(entry) = current.as_mut() else {
            continue;
        };
        let Some((key, value)) = line.split_once('=') else {
            continue;
        };
        match key.trim() {
            "name" => entry.name = value.trim().trim_matches('"').to_string(),
            "required-features" => entry.requires_features = true,
            _ => {}
        }
    }
    if let Some(done) = current.filter(|e| !e.name.is_empty()) {
        entries.push(done);
    }
    entries
}

/// The suites found in `benches/`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Suites {
    /// gungraun suites (`*_ir`), sorted.
    pub ir: Vec<String>,
    /// criterion suites, sorted.
    pub criterion: Vec<String>,
    /// Suites skipped because they need a cargo feature.
    pub skipped: Vec<String>,
}

/// Discovers the suites of the `benches/` crate under `root`.
pub fn discover_suites(root: &Path) -> Suites {
    let benches = root.join("benches");
    let mut names = BTreeSet::new();
    let mut skipped = BTreeSet::new();
    if let Ok(text) = std::fs::read_to_string(benches.join("Cargo.toml")) {
        for entry in bench_entries(&text) {
            if entry.requires_features {
                skipped.insert(entry.name);
            } else {
                names.insert(entry.name);
            }
        }
    }
    if let Ok(dir) = std::fs::read_dir(benches.join("benches")) {
        for entry in dir.flatten() {
            let path = entry.path();
            let name = if path.is_dir() && path.join("main.rs").is_file() {
                entry.file_name().to_string_lossy().into_owned()
            } else if path.extension().is_some_and(|e| e == "rs") {
                path.file_stem()
                    .map(|s| s.to_string_lossy().into_owned())
                    .unwrap_or_default()
            } else {
                continue;
            };
            if !name.is_empty() && !skipped.contains(&name) {
                names.insert(name);
            }
        }
    }
    let (ir, criterion): (Vec<String>, Vec<String>) =
        names.into_iter().partition(|n| n.ends_with(IR_SUFFIX));
    Suites {
        ir,
        criterion,
        skipped: skipped.into_iter().collect(),
    }
}

/// The names in `wanted` that are neither a discovered suite nor `allocs`.
pub fn unknown_suites(suites: &Suites, wanted: &[String]) -> Vec<String> {
    wanted
        .iter()
        .filter(|w| !suites.ir.contains(w) && !suites.criterion.contains(w) && *w != "allocs")
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_bench_entries() {
        let manifest = r#"
[package]
name = "zerortc-benches"

[[bench]]
name = "rtp_ir"   # gungraun
harness = false

[[bench]]
harness = false
name = "rtp"

[[bench]]
name = "peers"
harness = false
required-features = ["peers"]

[dev-dependencies]
name = "not a bench"
"#;
        let entries = bench_entries(manifest);
        let names: Vec<_> = entries.iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, ["rtp_ir", "rtp", "peers"]);
        assert!(entries[2].requires_features);
        assert!(!entries[0].requires_features);
    }

    #[test]
    fn finds_root_and_suites() {
        let root = std::env::temp_dir().join(format!("perf-ci-ws-{}", std::process::id()));
        let benches = root.join("benches/benches");
        std::fs::create_dir_all(benches.join("e2e")).unwrap();
        std::fs::write(root.join("Cargo.toml"), "[workspace]\nmembers = []\n").unwrap();
        std::fs::write(
            root.join("benches/Cargo.toml"),
            "[package]\nname = \"b\"\n[[bench]]\nname = \"stun_ir\"\n[[bench]]\nname = \"peers\"\nrequired-features = [\"peers\"]\n",
        )
        .unwrap();
        for f in ["rtp_ir.rs", "rtp.rs", "peers.rs", "notes.txt"] {
            std::fs::write(benches.join(f), "").unwrap();
        }
        std::fs::write(benches.join("e2e/main.rs"), "").unwrap();

        assert_eq!(find_root(&root.join("benches/benches")), Some(root.clone()));
        let suites = discover_suites(&root);
        assert_eq!(suites.ir, ["rtp_ir", "stun_ir"]);
        assert_eq!(suites.criterion, ["e2e", "rtp"]);
        assert_eq!(suites.skipped, ["peers"]);

        let unknown = unknown_suites(
            &suites,
            &[
                "rtp_ir".into(),
                "nope".into(),
                "allocs".into(),
                "peers".into(),
            ],
        );
        // `peers` needs a feature: asking for it by name is an error too.
        assert_eq!(unknown, ["nope", "peers"]);
        std::fs::remove_dir_all(&root).unwrap();
    }
}
