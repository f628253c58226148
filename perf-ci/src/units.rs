//! Human-readable numbers for tables: counts with thousands separators, durations, rates.

/// `1234567` → `1,234,567`.
pub fn count(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A count stored as f64 (whole numbers print as [`count`], fractions with 3 decimals).
pub fn figure(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 {
        if v < 0.0 {
            format!("-{}", count((-v) as u64))
        } else {
            count(v as u64)
        }
    } else {
        format!("{v:.3}")
    }
}

/// Signed percentage: `+2.00 %`, `-0.13 %`, `+inf %` for growth from zero.
pub fn pct(change: f64) -> String {
    if change.is_infinite() {
        if change > 0.0 {
            "+inf %".to_string()
        } else {
            "-inf %".to_string()
        }
    } else {
        format!("{change:+.2} %")
    }
}

/// Nanoseconds in the largest unit that keeps the number ≥ 1: `12.30 ns`, `1.53 µs`, `2.10 ms`.
pub fn duration_ns(ns: f64) -> String {
    let (value, unit) = if ns >= 1e9 {
        (ns / 1e9, "s")
    } else if ns >= 1e6 {
        (ns / 1e6, "ms")
    } else if ns >= 1e3 {
        (ns / 1e3, "µs")
    } else {
        (ns, "ns")
    };
    format!("{value:.2} {unit}")
}

/// Bytes per second in decimal units: `9.70 GB/s`, `512.00 MB/s`.
pub fn bytes_per_s(v: f64) -> String {
    scaled(v, &["B/s", "kB/s", "MB/s", "GB/s", "TB/s"])
}

/// Elements per second: `81.00 M elem/s`.
pub fn elements_per_s(v: f64) -> String {
    scaled(
        v,
        &["elem/s", "k elem/s", "M elem/s", "G elem/s", "T elem/s"],
    )
}

fn scaled(mut v: f64, units: &[&str]) -> String {
    let mut unit = 0;
    while v.abs() >= 1000.0 && unit + 1 < units.len() {
        v /= 1000.0;
        unit += 1;
    }
    format!("{v:.2} {}", units.get(unit).copied().unwrap_or(""))
}

/// Ratio with two decimals and a `×`: `1.25×`.
pub fn ratio(r: f64) -> String {
    format!("{r:.2}×")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(count(0), "0");
        assert_eq!(count(999), "999");
        assert_eq!(count(1000), "1,000");
        assert_eq!(count(1_234_567), "1,234,567");
        assert_eq!(figure(1234.0), "1,234");
        assert_eq!(figure(0.25), "0.250");
        assert_eq!(pct(2.0), "+2.00 %");
        assert_eq!(pct(-0.125), "-0.12 %");
        assert_eq!(pct(f64::INFINITY), "+inf %");
        assert_eq!(duration_ns(12.3), "12.30 ns");
        assert_eq!(duration_ns(1530.0), "1.53 µs");
        assert_eq!(duration_ns(2.1e6), "2.10 ms");
        assert_eq!(duration_ns(3.0e9), "3.00 s");
        assert_eq!(bytes_per_s(9.7e10), "97.00 GB/s");
        assert_eq!(bytes_per_s(512.0), "512.00 B/s");
        assert_eq!(elements_per_s(8.1e7), "81.00 M elem/s");
        assert_eq!(ratio(1.254), "1.25×");
    }
}
