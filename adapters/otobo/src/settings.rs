//! The connection's settings (non-secret), parsed once per call. Pure: built from any lookup,
//! so it is unit-tested natively.
//!
//! | setting | meaning | default |
//! |---|---|---|
//! | `route_style` | `generic` (the shipped `GenericTicketConnectorREST`: `GET /Ticket`, `GET`/`PATCH /Ticket/:TicketID`) or `otai` (Open Ticket AI's generated web service: `POST /ticket-search`, `POST /ticket-get`, `PUT /ticket-update`) | `generic` |
//! | `base_url` | the web service's URL, `…/nph-genericinterface.pl/Webservice/<Name>` | the connection's base URL |
//! | `timezone` | the server's offset from UTC (`+01:00`, `-0530`, `UTC`): OTOBO's times carry no zone | `UTC` |
//! | `queues` | comma-separated queue names: the GenericInterface cannot list queues | none (`list-queues` is unsupported) |
//! | `priorities` | comma-separated priority names | OTOBO's `1 very low` … `5 very high` (ids 1–5) |
//! | `tag_field` | a (multiselect) dynamic field that holds the tags: OTOBO has no tags | none (tags unsupported) |
//! | `search_limit` | ticket ids per `TicketSearch` (a window of the scan) | 500 |
//! | `note_subject` | the subject of note articles without one (OTOBO requires a subject) | `triage` |
//!
//! `timezone` takes a fixed offset only (the sandbox has no zone database). OTOBO ≥ 10 keeps
//! system times in `OTOBOTimeZone`, UTC unless changed; an instance in a zone with daylight
//! saving should be given its standard (winter) offset: in summer its times then read an hour
//! late, which widens `updated-since` windows (never narrows them).

use triage_adapter_sdk::{config, AdapterError, AdapterResult, EntityRef};

/// Which route layout the web service uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Generic,
    Otai,
}

/// OTOBO's default priorities.
pub const DEFAULT_PRIORITIES: [(&str, &str); 5] = [
    ("1", "1 very low"),
    ("2", "2 low"),
    ("3", "3 normal"),
    ("4", "4 high"),
    ("5", "5 very high"),
];

#[derive(Debug, Clone)]
pub struct Settings {
    pub style: Style,
    /// The web service URL without a trailing `/`; empty: paths resolve against the connection.
    pub base: String,
    /// Seconds east of UTC.
    pub offset_secs: i64,
    pub queues: Vec<String>,
    pub priorities: Vec<EntityRef>,
    pub tag_field: Option<String>,
    pub search_limit: u32,
    pub note_subject: String,
}

fn unsupported(message: String) -> AdapterError {
    AdapterError::Unsupported(message)
}

/// `+01:00`, `-0530`, `+1`, `UTC`, `Z` → seconds east of UTC.
pub fn parse_offset(text: &str) -> Option<i64> {
    let t = text.trim();
    if t.is_empty() || t.eq_ignore_ascii_case("utc") || t.eq_ignore_ascii_case("z") {
        return Some(0);
    }
    let t = t.strip_prefix("UTC").unwrap_or(t);
    let (sign, rest) = match t.as_bytes().first()? {
        b'+' => (1, &t[1..]),
        b'-' => (-1, &t[1..]),
        _ => return None,
    };
    let (h, m) = match rest.split_once(':') {
        Some((h, m)) => (h, m),
        None if rest.len() == 4 => rest.split_at(2),
        None => (rest, "0"),
    };
    let (h, m): (i64, i64) = (h.parse().ok()?, m.parse().ok()?);
    (h <= 14 && m < 60 && !rest.is_empty()).then_some(sign * (h * 3600 + m * 60))
}

fn names(list: &str) -> Vec<String> {
    list.split(',')
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .collect()
}

impl Settings {
    /// From the connection's settings.
    pub fn load() -> AdapterResult<Self> {
        Self::from_lookup(config::get)
    }

    /// From any lookup (tests).
    pub fn from_lookup(get: impl Fn(&str) -> Option<String>) -> AdapterResult<Self> {
        let style = match get("route_style").as_deref().map(str::trim) {
            None | Some("generic") | Some("GenericTicketConnectorREST") => Style::Generic,
            Some("otai") | Some("OpenTicketAI") => Style::Otai,
            Some(other) => {
                return Err(unsupported(format!(
                    "setting \"route_style\" must be \"generic\" or \"otai\", not {other:?}"
                )));
            }
        };
        let timezone = get("timezone").unwrap_or_default();
        let offset_secs = parse_offset(&timezone).ok_or_else(|| {
            unsupported(format!(
                "setting \"timezone\" must be a UTC offset such as +01:00 or UTC, not {timezone:?} \
                 (OTOBO sends local times without a zone; named zones are not supported)"
            ))
        })?;
        let priorities = match get("priorities") {
            Some(list) => names(&list)
                .into_iter()
                .map(|n| EntityRef {
                    id: None,
                    name: Some(n),
                })
                .collect(),
            None => DEFAULT_PRIORITIES
                .iter()
                .map(|(id, n)| EntityRef {
                    id: Some((*id).to_owned()),
                    name: Some((*n).to_owned()),
                })
                .collect(),
        };
        let search_limit = match get("search_limit") {
            None => 500,
            Some(n) => n
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=10_000).contains(n))
                .ok_or_else(|| {
                    unsupported(format!(
                        "setting \"search_limit\" must be a number from 1 to 10000, not {n:?}"
                    ))
                })?,
        };
        Ok(Self {
            style,
            base: get("base_url")
                .map(|b| b.trim().trim_end_matches('/').to_owned())
                .unwrap_or_default(),
            offset_secs,
            queues: get("queues").map(|q| names(&q)).unwrap_or_default(),
            priorities,
            tag_field: get("tag_field")
                .map(|t| t.trim().to_owned())
                .filter(|t| !t.is_empty()),
            search_limit,
            note_subject: get("note_subject")
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "triage".to_owned()),
        })
    }

    /// The URL of a route below the web service (`/Ticket/7`).
    pub fn url(&self, route: &str) -> String {
        format!("{}{route}", self.base)
    }

    /// The configured priority a name means: exact, then ignoring case and OTOBO's leading
    /// ordinal (`high` → `4 high`); the name as given when nothing matches (OTOBO decides).
    pub fn priority_name(&self, name: &str) -> String {
        let name = name.trim();
        let bare = |n: &str| {
            n.trim_start_matches(|c: char| c.is_ascii_digit())
                .trim()
                .to_lowercase()
        };
        let known = self.priorities.iter().filter_map(|p| p.name.as_deref());
        let found = known
            .clone()
            .find(|n| *n == name)
            .or_else(|| known.clone().find(|n| n.eq_ignore_ascii_case(name)))
            .or_else(|| {
                known
                    .clone()
                    .find(|n| bare(n) == bare(name) && !bare(name).is_empty())
            });
        found.unwrap_or(name).to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn settings(pairs: &[(&str, &str)]) -> AdapterResult<Settings> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Settings::from_lookup(|k| map.get(k).cloned())
    }

    #[test]
    fn defaults() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.style, Style::Generic);
        assert_eq!((s.offset_secs, s.search_limit), (0, 500));
        assert_eq!(s.priorities.len(), 5);
        assert!(s.queues.is_empty() && s.tag_field.is_none());
        assert_eq!(s.url("/Ticket"), "/Ticket");
    }

    #[test]
    fn everything_set() {
        let s = settings(&[
            ("route_style", "otai"),
            (
                "base_url",
                "https://h/otobo/nph-genericinterface.pl/Webservice/OpenTicketAI/",
            ),
            ("timezone", "+01:00"),
            ("queues", "Raw, Misc ,,Billing::Invoices"),
            ("priorities", "low,high"),
            ("tag_field", "Tags"),
            ("search_limit", "50"),
        ])
        .unwrap();
        assert_eq!(s.style, Style::Otai);
        assert_eq!(
            s.url("/ticket-get"),
            "https://h/otobo/nph-genericinterface.pl/Webservice/OpenTicketAI/ticket-get"
        );
        assert_eq!(s.offset_secs, 3600);
        assert_eq!(s.queues, ["Raw", "Misc", "Billing::Invoices"]);
        assert_eq!(s.priorities[1].name.as_deref(), Some("high"));
        assert_eq!(s.priorities[1].id, None);
        assert_eq!(s.search_limit, 50);
    }

    #[test]
    fn bad_values_name_the_setting() {
        for (k, v) in [
            ("route_style", "soap"),
            ("timezone", "Europe/Berlin"),
            ("search_limit", "0"),
        ] {
            match settings(&[(k, v)]) {
                Err(AdapterError::Unsupported(m)) => assert!(m.contains(k), "{m}"),
                other => panic!("{k}={v}: {other:?}"),
            }
        }
    }

    #[test]
    fn offsets() {
        for (text, secs) in [
            ("UTC", 0),
            ("+02:00", 7200),
            ("-0530", -19800),
            ("+1", 3600),
            ("UTC+03:00", 10800),
        ] {
            assert_eq!(parse_offset(text), Some(secs), "{text}");
        }
        for bad in ["CET", "+25:00", "1", "+"] {
            assert_eq!(parse_offset(bad), None, "{bad}");
        }
    }

    #[test]
    fn priority_names_resolve_to_otobos() {
        let s = settings(&[]).unwrap();
        assert_eq!(s.priority_name("4 high"), "4 high");
        assert_eq!(s.priority_name("HIGH"), "4 high");
        assert_eq!(s.priority_name("very high"), "5 very high");
        assert_eq!(s.priority_name("critical"), "critical");
    }
}
