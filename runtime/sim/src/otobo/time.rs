//! OTOBO's times: the server's local time as `YYYY-MM-DD HH:MM:SS`, without a zone.

use chrono::{DateTime, FixedOffset, NaiveDateTime, TimeZone, Utc};

const FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// `2026-03-01 13:00:00` for 12:00 UTC on a +01:00 server.
pub fn format_local(t: DateTime<Utc>, offset: FixedOffset) -> String {
    t.with_timezone(&offset).format(FORMAT).to_string()
}

/// A local time as the API accepts it; `None` when it is not `YYYY-MM-DD HH:MM:SS`.
pub fn parse_local(text: &str, offset: FixedOffset) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(text.trim(), FORMAT).ok()?;
    offset
        .from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_round_trip() {
        let cet = FixedOffset::east_opt(3600).unwrap();
        let t = DateTime::parse_from_rfc3339("2026-03-01T23:30:00Z")
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(format_local(t, cet), "2026-03-02 00:30:00");
        assert_eq!(parse_local("2026-03-02 00:30:00", cet), Some(t));
        assert_eq!(parse_local("2026-03-02T00:30:00Z", cet), None);
    }
}
