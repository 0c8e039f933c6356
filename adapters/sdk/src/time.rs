//! Timestamps cross the contract as RFC 3339 UTC strings (`2024-05-01T10:00:00Z`).
//! Systems that send local times without a zone (OTOBO) need the adapter to say
//! which zone they are in; these helpers keep that arithmetic out of mapping code.

/// Days since 1970-01-01 for a civil date (Howard Hinnant's algorithm).
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let m = month as i64;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Civil date for days since 1970-01-01.
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// Seconds since the epoch for `YYYY-MM-DD[T ]HH:MM:SS` with an optional `Z` or
/// `±HH:MM` suffix; no suffix means UTC shifted by `local_offset_secs`.
pub fn parse_timestamp(text: &str, local_offset_secs: i64) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() < 19 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let num = |r: std::ops::Range<usize>| text.get(r)?.parse::<i64>().ok();
    let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
    let (h, mi, s) = (num(11..13)?, num(14..16)?, num(17..19)?);
    let mut rest = &text[19..];
    if let Some(frac) = rest.strip_prefix('.') {
        rest = frac.trim_start_matches(|c: char| c.is_ascii_digit());
    }
    let offset = match rest {
        "" => local_offset_secs,
        "Z" | "z" => 0,
        zone => {
            let sign = match zone.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let hh: i64 = zone.get(1..3)?.parse().ok()?;
            let mm: i64 = zone.get(zone.len() - 2..)?.parse().ok()?;
            sign * (hh * 3600 + mm * 60)
        }
    };
    let days = days_from_civil(y, mo as u32, d as u32);
    Some(days * 86_400 + h * 3600 + mi * 60 + s - offset)
}

/// RFC 3339 UTC text for seconds since the epoch.
pub fn format_timestamp(secs: i64) -> String {
    let (y, mo, d) = civil_from_days(secs.div_euclid(86_400));
    let t = secs.rem_euclid(86_400);
    format!(
        "{y:04}-{mo:02}-{d:02}T{:02}:{:02}:{:02}Z",
        t / 3600,
        t % 3600 / 60,
        t % 60
    )
}

/// Normalise any supported timestamp to RFC 3339 UTC.
pub fn to_rfc3339(text: &str, local_offset_secs: i64) -> Option<String> {
    parse_timestamp(text, local_offset_secs).map(format_timestamp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_zones() {
        let cases = [
            ("2016-05-18T04:36:04Z", 0, "2016-05-18T04:36:04Z"),
            ("2024-02-29 23:30:00", 3600, "2024-02-29T22:30:00Z"),
            ("2024-01-01T00:30:00+01:00", 0, "2023-12-31T23:30:00Z"),
            ("1969-12-31T23:59:59.5Z", 0, "1969-12-31T23:59:59Z"),
        ];
        for (text, local_offset, expected) in cases {
            assert_eq!(to_rfc3339(text, local_offset).unwrap(), expected, "{text}");
        }
        assert!(parse_timestamp("yesterday", 0).is_none());
    }
}
