//! Freshdesk's timestamp form (`2016-05-18T04:36:04Z`: UTC, whole seconds) in and out.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};

/// Formats a timestamp the way Freshdesk does.
pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Parses an ISO-8601 timestamp (any offset, optional fraction) or a bare `YYYY-MM-DD` (midnight UTC).
pub fn parse(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    if let Ok(t) = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S") {
        return Some(t.and_utc());
    }
    parse_date(s).map(|d| d.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
}

/// Parses `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
}

/// Truncates to whole seconds, as everything the API returns is.
pub fn whole_seconds(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp(t.timestamp(), 0).expect("in range")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let t = parse("2016-05-18T04:36:04Z").unwrap();
        assert_eq!(format(t), "2016-05-18T04:36:04Z");
        assert_eq!(format(parse("2016-05-18").unwrap()), "2016-05-18T00:00:00Z");
        assert_eq!(
            format(parse("2016-05-18T06:36:04+02:00").unwrap()),
            "2016-05-18T04:36:04Z"
        );
        assert!(parse("yesterday").is_none());
    }
}
