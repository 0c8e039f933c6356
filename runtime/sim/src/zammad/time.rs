//! Zammad's timestamps: UTC with milliseconds (`2021-02-24T14:44:43.828Z`), and the date forms a
//! search query accepts (ISO-8601, `YYYY-MM-DD`, Elasticsearch date math such as `now-7d`).

use chrono::{DateTime, Duration, SecondsFormat, Utc};

/// Formats a timestamp the way Zammad does.
pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Truncates to whole milliseconds, as everything the API stores is.
pub fn millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).expect("in range")
}

/// The current time, in milliseconds.
pub fn now() -> DateTime<Utc> {
    millis(Utc::now())
}

/// Parses a query's date: ISO-8601 or `YYYY-MM-DD` (see `freshdesk::parse_time`), or date math
/// `now`, `now-1h`, `now+2d` (units y, M, w, d, h, m, s; a `/unit` rounding suffix is ignored).
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let Some(math) = s.strip_prefix("now") else {
        return crate::freshdesk::parse_time(s);
    };
    let math = math.split('/').next().unwrap_or("");
    let mut t = Utc::now();
    if math.is_empty() {
        return Some(t);
    }
    let (sign, rest) = match math.as_bytes()[0] {
        b'+' => (1, &math[1..]),
        b'-' => (-1, &math[1..]),
        _ => return None,
    };
    let unit = rest.chars().last()?;
    let n: i64 = rest[..rest.len() - unit.len_utf8()].parse().ok()?;
    let step = match unit {
        's' => Duration::seconds(n),
        'm' => Duration::minutes(n),
        'h' => Duration::hours(n),
        'd' => Duration::days(n),
        'w' => Duration::weeks(n),
        'M' => Duration::days(30 * n),
        'y' => Duration::days(365 * n),
        _ => return None,
    };
    t = if sign > 0 { t + step } else { t - step };
    Some(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses() {
        let t = parse("2021-02-24T14:44:43.828Z").unwrap();
        assert_eq!(format(t), "2021-02-24T14:44:43.828Z");
        assert_eq!(
            format(parse("2021-02-24").unwrap()),
            "2021-02-24T00:00:00.000Z"
        );
        let hour_ago = parse("now-1h").unwrap();
        let diff = Utc::now() - hour_ago;
        assert!(diff > Duration::minutes(59) && diff < Duration::minutes(61));
        assert!(parse("now-1x").is_none());
        assert!(parse("soon").is_none());
    }
}
