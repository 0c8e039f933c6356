//! The operator's settings for an RT connection: where REST2 is, how RT's integer
//! priorities map to the four canonical levels, and which lifecycle statuses mean what.
//! Parsing takes a lookup function so it is unit-tested natively.

use triage_adapter_sdk::{AdapterError, AdapterResult, PriorityLevel, StatusCategory};

/// RT's largest `per_page`.
pub const MAX_PAGE_SIZE: u32 = 100;

/// Where `/REST/2.0` is: `base_url` is RT's web root (`https://rt.example.com` or
/// `https://example.com/rt`); without it, paths resolve against the connection's base URL.
pub fn api_root(base_url: Option<&str>) -> String {
    match base_url.map(|b| b.trim().trim_end_matches('/')) {
        Some(b) if b.ends_with("/REST/2.0") => b.to_owned(),
        Some(b) if !b.is_empty() => format!("{b}/REST/2.0"),
        _ => "/REST/2.0".to_owned(),
    }
}

/// The four levels in order, with the names `list-priorities` gives them.
const LEVELS: [(PriorityLevel, &str, &str); 4] = [
    (PriorityLevel::Low, "low", "Low"),
    (PriorityLevel::Medium, "medium", "Medium"),
    (PriorityLevel::High, "high", "High"),
    (PriorityLevel::Urgent, "urgent", "Urgent"),
];

/// Defaults: RT 5's own `%PriorityAsString` (Low 0, Medium 50, High 100). RT has no
/// fourth label, so Urgent writes 100 as well (it reads back as High) unless the operator
/// gives it a number of its own with `priority.urgent`.
const DEFAULT_NUMBERS: [i64; 4] = [0, 50, 100, 100];

/// Level ⇄ RT priority number.
#[derive(Debug, Clone, PartialEq)]
pub struct Priorities {
    /// `(level, name, number)`, numbers ascending.
    pub levels: Vec<(PriorityLevel, &'static str, i64)>,
}

impl Priorities {
    /// From `priority.low`, `priority.medium`, `priority.high`, `priority.urgent`.
    pub fn from_settings(get: impl Fn(&str) -> Option<String>) -> AdapterResult<Self> {
        let mut levels = Vec::with_capacity(4);
        for ((level, key, name), default) in LEVELS.iter().zip(DEFAULT_NUMBERS) {
            let key = format!("priority.{key}");
            let number = match get(&key) {
                Some(v) => v.trim().parse::<i64>().map_err(|_| {
                    AdapterError::Unsupported(format!(
                        "setting {key:?} must be an RT priority number, not {v:?}"
                    ))
                })?,
                None => default,
            };
            levels.push((*level, *name, number));
        }
        if levels.windows(2).any(|w| w[0].2 > w[1].2) {
            return Err(AdapterError::Unsupported(format!(
                "settings priority.low <= medium <= high <= urgent must ascend: {:?}",
                levels.iter().map(|l| l.2).collect::<Vec<_>>()
            )));
        }
        Ok(Self { levels })
    }

    /// The level and name of an RT priority number: the highest level whose number it
    /// reaches (RT's own rule for showing numbers as labels). Below Low's number: Low.
    pub fn level_of(&self, number: i64) -> (PriorityLevel, &'static str) {
        let mut found = (self.levels[0].0, self.levels[0].1);
        for (level, name, n) in &self.levels {
            // Equal numbers: the first level keeps the name (Urgent = High reads as High).
            if number >= *n && *n > self.number_of(found.0) {
                found = (*level, *name);
            }
        }
        found
    }

    fn number_of(&self, level: PriorityLevel) -> i64 {
        self.levels
            .iter()
            .find(|l| l.0 == level)
            .map_or(i64::MIN, |l| l.2)
    }

    /// The number for a level name (any case) or a number given as text.
    pub fn number_for(&self, text: &str) -> Option<i64> {
        let text = text.trim();
        if let Ok(n) = text.parse::<i64>() {
            return Some(n);
        }
        self.levels
            .iter()
            .find(|(_, name, _)| name.eq_ignore_ascii_case(text))
            .map(|l| l.2)
    }

    /// One entry per distinct number, as `(number, name)`.
    pub fn distinct(&self) -> Vec<(i64, &'static str)> {
        let mut out: Vec<(i64, &'static str)> = Vec::new();
        for (_, name, n) in &self.levels {
            if !out.iter().any(|(m, _)| m == n) {
                out.push((*n, name));
            }
        }
        out
    }
}

/// The categories in order, their setting keys and RT's default lifecycle statuses.
const STATUS_DEFAULTS: [(StatusCategory, &str, &str); 5] = [
    (StatusCategory::New, "new", "new"),
    (StatusCategory::Open, "open", "open"),
    (StatusCategory::Pending, "pending", "stalled"),
    (StatusCategory::Resolved, "resolved", "resolved"),
    (StatusCategory::Closed, "closed", "rejected"),
];

/// Category ⇄ RT statuses. Anything not listed (`deleted`, custom lifecycle statuses) is
/// `other`.
#[derive(Debug, Clone, PartialEq)]
pub struct Statuses {
    pub map: Vec<(StatusCategory, Vec<String>)>,
}

impl Statuses {
    /// From `status.new` … `status.closed`, each a comma-separated list of RT statuses.
    pub fn from_settings(get: impl Fn(&str) -> Option<String>) -> Self {
        let map = STATUS_DEFAULTS
            .iter()
            .map(|(cat, key, default)| {
                let list = get(&format!("status.{key}")).unwrap_or_else(|| (*default).to_owned());
                let names = list
                    .split(',')
                    .map(|s| s.trim().to_ascii_lowercase())
                    .filter(|s| !s.is_empty())
                    .collect();
                (*cat, names)
            })
            .collect();
        Self { map }
    }

    /// The category of an RT status.
    pub fn category(&self, status: &str) -> StatusCategory {
        let status = status.to_ascii_lowercase();
        self.map
            .iter()
            .find(|(_, names)| names.contains(&status))
            .map_or(StatusCategory::Other, |(cat, _)| *cat)
    }

    /// The RT statuses of a category (empty for `other`).
    pub fn names(&self, cat: StatusCategory) -> &[String] {
        self.map
            .iter()
            .find(|(c, _)| *c == cat)
            .map_or(&[], |(_, names)| names.as_slice())
    }

    /// Every status some category names.
    pub fn all_named(&self) -> impl Iterator<Item = &String> {
        self.map.iter().flat_map(|(_, names)| names)
    }
}

/// Whether tickets carry their first message's text (two extra requests per page).
pub fn fetch_bodies(get: impl Fn(&str) -> Option<String>) -> AdapterResult<bool> {
    match get("body").as_deref().map(str::trim) {
        None | Some("first-message") => Ok(true),
        Some("none") => Ok(false),
        Some(other) => Err(AdapterError::Unsupported(format!(
            "setting \"body\" is \"first-message\" or \"none\", not {other:?}"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn none(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn api_root_from_base_url() {
        assert_eq!(api_root(None), "/REST/2.0");
        assert_eq!(api_root(Some("http://h:1/")), "http://h:1/REST/2.0");
        assert_eq!(api_root(Some("https://h/rt")), "https://h/rt/REST/2.0");
        assert_eq!(
            api_root(Some("https://h/rt/REST/2.0/")),
            "https://h/rt/REST/2.0"
        );
    }

    #[test]
    fn default_priorities_follow_rts_labels() {
        let p = Priorities::from_settings(none).unwrap();
        assert_eq!(p.distinct(), [(0, "Low"), (50, "Medium"), (100, "High")]);
        assert_eq!(p.level_of(0), (PriorityLevel::Low, "Low"));
        assert_eq!(p.level_of(49), (PriorityLevel::Low, "Low"));
        assert_eq!(p.level_of(50), (PriorityLevel::Medium, "Medium"));
        assert_eq!(p.level_of(250), (PriorityLevel::High, "High"));
        assert_eq!(p.level_of(-3), (PriorityLevel::Low, "Low"));
        assert_eq!(p.number_for("urgent"), Some(100));
        assert_eq!(p.number_for("MEDIUM"), Some(50));
        assert_eq!(p.number_for("37"), Some(37));
        assert_eq!(p.number_for("On Fire"), None);
    }

    #[test]
    fn priorities_from_settings() {
        let get = |k: &str| match k {
            "priority.high" => Some("80".to_owned()),
            "priority.urgent" => Some("99".to_owned()),
            _ => None,
        };
        let p = Priorities::from_settings(get).unwrap();
        assert_eq!(p.level_of(99), (PriorityLevel::Urgent, "Urgent"));
        assert_eq!(p.level_of(80), (PriorityLevel::High, "High"));
        assert_eq!(p.distinct().len(), 4);
        let bad = |k: &str| (k == "priority.low").then(|| "lots".to_owned());
        assert!(Priorities::from_settings(bad).is_err());
        let unordered = |k: &str| (k == "priority.medium").then(|| "120".to_owned());
        assert!(Priorities::from_settings(unordered).is_err());
    }

    #[test]
    fn statuses_default_to_rts_lifecycle() {
        let s = Statuses::from_settings(none);
        assert_eq!(s.category("stalled"), StatusCategory::Pending);
        assert_eq!(s.category("Rejected"), StatusCategory::Closed);
        assert_eq!(s.category("deleted"), StatusCategory::Other);
        let custom = |k: &str| (k == "status.pending").then(|| "stalled, waiting".to_owned());
        let s = Statuses::from_settings(custom);
        assert_eq!(s.names(StatusCategory::Pending), ["stalled", "waiting"]);
        assert_eq!(s.all_named().count(), 6);
    }

    #[test]
    fn body_setting() {
        assert!(fetch_bodies(none).unwrap());
        assert!(!fetch_bodies(|_| Some("none".into())).unwrap());
        assert!(fetch_bodies(|_| Some("all".into())).is_err());
    }
}
