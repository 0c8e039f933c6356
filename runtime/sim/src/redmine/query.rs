//! `GET /issues.json`: filters, sort and offset/limit paging, the way Redmine reads them.
//!
//! Redmine's quirks kept here because adapters trip on them:
//! - without `status_id` only **open** issues are listed (`status_id=*` lists all);
//! - `limit` defaults to 25 and is capped at 100; `offset` counts from 0 (`page` also works);
//! - the default order is `id:desc`, and ties of the sort columns break by `id` descending
//!   unless `id` is one of them;
//! - an unknown `project_id` is 404; unknown parameters and sort columns are ignored;
//! - short filters take `|`-separated values, `*` (any) and `!*` (none); time filters take
//!   `>=T`, `<=T` and `><A|B` with a date or an ISO 8601 time;
//! - as in Redmine 5.0's `Query#date_clause` (checked against a real server,
//!   tests/all/conformance_redmine_real.rs): a lower bound with a time is `> T - 1s` against the
//!   stored time, which has microseconds, so `>=T` also lists the second before `T`; a time
//!   with a fraction of a second or a `+hh:mm` offset does not match Redmine's pattern
//!   (`\d{4}-\d{2}-\d{2}(T\d{2}(:?\d{2}){0,2}(Z|\d{2}:?\d{2})?)?`) and is a 422.

use std::cmp::Ordering;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::model::Issue;
use super::store::Store;
use crate::freshdesk::parse_time;

/// Redmine's page size without `limit`, and the largest it serves.
pub const DEFAULT_LIMIT: usize = 25;
pub const MAX_LIMIT: usize = 100;

/// Why a list request is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ListError {
    /// `project_id` names no project (404).
    ProjectNotFound,
    /// A filter value Redmine cannot read (422 with these messages).
    Invalid(Vec<String>),
}

#[derive(Debug, Clone, PartialEq)]
enum StatusFilter {
    Open,
    Closed,
    Any,
    Ids(Vec<u64>),
}

#[derive(Debug, Clone, PartialEq)]
enum Values {
    Any,
    None,
    In(Vec<String>),
    NotIn(Vec<String>),
}

impl Values {
    fn parse(raw: &str) -> Self {
        match raw.trim() {
            "*" => Self::Any,
            "!*" => Self::None,
            v => match v.strip_prefix('!') {
                Some(rest) => Self::NotIn(split(rest)),
                None => Self::In(split(v)),
            },
        }
    }

    fn matches(&self, value: Option<&str>) -> bool {
        let value = value.filter(|v| !v.is_empty());
        match self {
            Self::Any => value.is_some(),
            Self::None => value.is_none(),
            Self::In(set) => value.is_some_and(|v| set.iter().any(|s| s == v)),
            Self::NotIn(set) => value.is_none_or(|v| !set.iter().any(|s| s == v)),
        }
    }
}

fn split(v: &str) -> Vec<String> {
    v.split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Category,
    Tracker,
    Priority,
    Author,
    AssignedTo,
}

#[derive(Debug, Clone, PartialEq)]
enum Filter {
    Ids(Field, Values),
    Custom(u64, Values),
    /// `updated_on` (true) or `created_on`: from, to (inclusive).
    Time(bool, Option<DateTime<Utc>>, Option<DateTime<Utc>>),
    SubjectContains(String),
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Column {
    Id,
    UpdatedOn,
    CreatedOn,
    Priority,
    Subject,
    Status,
    Tracker,
    Project,
}

/// A parsed list request.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ListQuery {
    pub offset: usize,
    pub limit: usize,
    project: Option<u64>,
    status: StatusFilter,
    filters: Vec<Filter>,
    sort: Vec<(Column, bool)>,
}

fn number(raw: Option<&str>) -> i64 {
    // Ruby's `to_i`: leading digits, else 0.
    let raw = raw.unwrap_or("").trim();
    let end = raw
        .char_indices()
        .find(|(i, c)| !(c.is_ascii_digit() || (*i == 0 && *c == '-')))
        .map_or(raw.len(), |(i, _)| i);
    raw[..end].parse().unwrap_or(0)
}

/// A time bound: a date means the start (or, as an upper bound, the end) of that day; a
/// lower bound with a time is one second early (Redmine compares `> T - 1s`).
fn bound(raw: &str, upper: bool) -> Option<DateTime<Utc>> {
    let raw = raw.trim();
    if let Ok(d) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") {
        let start = d.and_hms_opt(0, 0, 0)?.and_utc();
        return Some(if upper {
            start + Duration::days(1) - Duration::seconds(1)
        } else {
            start
        });
    }
    let (_, clock) = raw.split_once('T')?;
    if !clock
        .chars()
        .all(|c| c.is_ascii_digit() || c == ':' || c == 'Z')
    {
        return None; // a fraction or a signed offset: Redmine's pattern refuses it
    }
    let t = parse_time(raw)?;
    Some(if upper {
        t
    } else {
        t - Duration::seconds(1) + Duration::microseconds(1)
    })
}

/// Inclusive bounds of a time filter; `None` is open.
type Range = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

fn time_filter(raw: &str) -> Option<Range> {
    let raw = raw.trim();
    if let Some(v) = raw.strip_prefix(">=") {
        return Some((Some(bound(v, false)?), None));
    }
    if let Some(v) = raw.strip_prefix("<=") {
        return Some((None, Some(bound(v, true)?)));
    }
    if let Some(v) = raw.strip_prefix("><") {
        let (a, b) = v.split_once('|')?;
        return Some((Some(bound(a, false)?), Some(bound(b, true)?)));
    }
    let v = raw.strip_prefix('=').unwrap_or(raw);
    Some((Some(bound(v, false)?), Some(bound(v, true)?)))
}

fn column(name: &str) -> Option<Column> {
    Some(match name {
        "id" => Column::Id,
        "updated_on" => Column::UpdatedOn,
        "created_on" => Column::CreatedOn,
        "priority" => Column::Priority,
        "subject" => Column::Subject,
        "status" => Column::Status,
        "tracker" => Column::Tracker,
        "project" => Column::Project,
        _ => return None,
    })
}

impl ListQuery {
    /// Reads the query parameters (already decoded).
    pub fn parse(params: &[(String, String)], store: &Store) -> Result<Self, ListError> {
        let get = |k: &str| {
            params
                .iter()
                .find(|(key, _)| key == k)
                .map(|(_, v)| v.as_str())
        };
        let mut limit = number(get("limit"));
        if limit < 1 {
            limit = DEFAULT_LIMIT as i64;
        }
        let limit = (limit as usize).min(MAX_LIMIT);
        let offset = match get("offset") {
            Some(o) => number(Some(o)).max(0) as usize,
            None => ((number(get("page")).max(1) - 1) as usize) * limit,
        };
        let project = match get("project_id") {
            Some(p) if !p.trim().is_empty() => Some(
                store
                    .project(p)
                    .map(|p| p.id)
                    .ok_or(ListError::ProjectNotFound)?,
            ),
            _ => None,
        };
        let status = match get("status_id").map(str::trim) {
            None | Some("" | "open" | "o") => StatusFilter::Open,
            Some("closed" | "c") => StatusFilter::Closed,
            Some("*") => StatusFilter::Any,
            Some(ids) => {
                StatusFilter::Ids(split(ids).iter().filter_map(|i| i.parse().ok()).collect())
            }
        };
        let mut filters = Vec::new();
        let mut invalid = Vec::new();
        for (key, value) in params {
            let field = match key.as_str() {
                "category_id" => Some(Field::Category),
                "tracker_id" => Some(Field::Tracker),
                "priority_id" => Some(Field::Priority),
                "author_id" => Some(Field::Author),
                "assigned_to_id" => Some(Field::AssignedTo),
                _ => None,
            };
            if let Some(field) = field {
                filters.push(Filter::Ids(field, Values::parse(value)));
            } else if let Some(id) = key.strip_prefix("cf_").and_then(|n| n.parse::<u64>().ok()) {
                if store.custom_field(id).is_some() {
                    filters.push(Filter::Custom(id, Values::parse(value)));
                }
            } else if key == "updated_on" || key == "created_on" {
                match time_filter(value) {
                    Some((from, to)) => filters.push(Filter::Time(key == "updated_on", from, to)),
                    None => invalid.push(format!(
                        "{} is invalid",
                        if key == "updated_on" {
                            "Updated"
                        } else {
                            "Created"
                        }
                    )),
                }
            } else if key == "subject" {
                let text = value.strip_prefix('~').unwrap_or(value);
                filters.push(Filter::SubjectContains(text.to_lowercase()));
            }
        }
        if !invalid.is_empty() {
            return Err(ListError::Invalid(invalid));
        }
        let mut sort: Vec<(Column, bool)> = get("sort")
            .unwrap_or("")
            .split(',')
            .filter_map(|part| {
                let (name, dir) = part.trim().split_once(':').unwrap_or((part.trim(), "asc"));
                column(name).map(|c| (c, dir.eq_ignore_ascii_case("desc")))
            })
            .collect();
        if !sort.iter().any(|(c, _)| *c == Column::Id) {
            sort.push((Column::Id, true));
        }
        Ok(Self {
            offset,
            limit,
            project,
            status,
            filters,
            sort,
        })
    }

    fn keeps(&self, issue: &Issue, store: &Store) -> bool {
        if !store.visible(issue) || self.project.is_some_and(|p| p != issue.project_id) {
            return false;
        }
        let closed = store.status(issue.status_id).is_some_and(|s| s.is_closed);
        let status_ok = match &self.status {
            StatusFilter::Open => !closed,
            StatusFilter::Closed => closed,
            StatusFilter::Any => true,
            StatusFilter::Ids(ids) => ids.contains(&issue.status_id),
        };
        status_ok
            && self.filters.iter().all(|f| match f {
                Filter::Ids(field, values) => {
                    let v = match field {
                        Field::Category => issue.category_id,
                        Field::Tracker => Some(issue.tracker_id),
                        Field::Priority => Some(issue.priority_id),
                        Field::Author => Some(issue.author_id),
                        Field::AssignedTo => issue.assigned_to_id,
                    };
                    values.matches(v.map(|v| v.to_string()).as_deref())
                }
                Filter::Custom(id, values) => {
                    values.matches(issue.custom_fields.get(id).map(String::as_str))
                }
                Filter::Time(updated, from, to) => {
                    let t = if *updated {
                        issue.updated_on
                    } else {
                        issue.created_on
                    };
                    from.is_none_or(|f| t >= f) && to.is_none_or(|e| t <= e)
                }
                Filter::SubjectContains(text) => issue.subject.to_lowercase().contains(text),
            })
    }

    fn compare(&self, a: &Issue, b: &Issue, store: &Store) -> Ordering {
        let position = |id: u64| store.priorities.iter().position(|p| p.id == id);
        for (col, desc) in &self.sort {
            let o = match col {
                Column::Id => a.id.cmp(&b.id),
                Column::UpdatedOn => a.updated_on.cmp(&b.updated_on),
                Column::CreatedOn => a.created_on.cmp(&b.created_on),
                Column::Priority => position(a.priority_id).cmp(&position(b.priority_id)),
                Column::Subject => a.subject.to_lowercase().cmp(&b.subject.to_lowercase()),
                Column::Status => a.status_id.cmp(&b.status_id),
                Column::Tracker => a.tracker_id.cmp(&b.tracker_id),
                Column::Project => a.project_id.cmp(&b.project_id),
            };
            let o = if *desc { o.reverse() } else { o };
            if o != Ordering::Equal {
                return o;
            }
        }
        Ordering::Equal
    }

    /// The page asked for and the number of matching issues.
    pub fn run<'a>(&self, store: &'a Store) -> (Vec<&'a Issue>, usize) {
        let mut all: Vec<&Issue> = store
            .issues
            .values()
            .filter(|i| self.keeps(i, store))
            .collect();
        all.sort_by(|a, b| self.compare(a, b, store));
        let total = all.len();
        let page = all.into_iter().skip(self.offset).take(self.limit).collect();
        (page, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::generate::{GenerateOptions, generate};
    use crate::redmine::config::SimConfig;

    fn store() -> Store {
        let config = SimConfig::default().with_data(generate(&GenerateOptions::new(120, 5)));
        Store::new(&config, Utc::now()).unwrap()
    }

    fn params(q: &str) -> Vec<(String, String)> {
        url::form_urlencoded::parse(q.as_bytes())
            .into_owned()
            .collect()
    }

    fn ids(q: &str, store: &Store) -> (Vec<u64>, usize) {
        let query = ListQuery::parse(&params(q), store).unwrap();
        let (page, total) = query.run(store);
        (page.iter().map(|i| i.id).collect(), total)
    }

    #[test]
    fn defaults_open_only_25_newest_id_first() {
        let s = store();
        let open = s
            .issues
            .values()
            .filter(|i| !s.status(i.status_id).unwrap().is_closed)
            .count();
        let (page, total) = ids("", &s);
        assert_eq!(total, open);
        assert!(open < 120, "some generated issues are closed");
        assert_eq!(page.len(), 25);
        assert!(page.windows(2).all(|w| w[0] > w[1]));
        assert_eq!(ids("status_id=*", &s).1, 120);
    }

    #[test]
    fn limit_is_capped_and_offset_pages() {
        let s = store();
        let (all, _) = ids("status_id=*&limit=500&sort=id", &s);
        assert_eq!(all.len(), 100);
        let (second, _) = ids("status_id=*&limit=10&offset=10&sort=id", &s);
        assert_eq!(second, all[10..20]);
        let (by_page, _) = ids("status_id=*&limit=10&page=2&sort=id", &s);
        assert_eq!(by_page, second);
    }

    #[test]
    fn updated_on_window_and_sort() {
        let s = store();
        let mut times: Vec<_> = s.issues.values().map(|i| i.updated_on).collect();
        times.sort();
        let since = times[60];
        let q = format!(
            "status_id=*&limit=100&sort=updated_on,id&updated_on=>={}",
            crate::freshdesk::format_time(since)
        );
        let (page, total) = ids(&q, &s);
        // `>= T` is `> T - 1s` on microsecond times: the second before T is listed too.
        let shown = crate::freshdesk::whole_seconds(since);
        let floor = shown - Duration::seconds(1);
        assert_eq!(total, times.iter().filter(|t| **t > floor).count());
        let keys: Vec<_> = page
            .iter()
            .map(|id| (s.issues[id].updated_on, *id))
            .collect();
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        for bad in [
            "updated_on=>=yesterday",
            "updated_on=>=2024-05-01T10:00:00.5Z",
            "updated_on=>=2024-05-01T10:00:00%2B02:00",
        ] {
            assert!(
                matches!(
                    ListQuery::parse(&params(bad), &s),
                    Err(ListError::Invalid(_))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn a_lower_time_bound_lists_the_second_before() {
        let mut s = store();
        let t0 = DateTime::parse_from_rfc3339("2030-01-01T10:00:00Z")
            .unwrap()
            .to_utc();
        let ids_of: Vec<u64> = s.issues.keys().copied().take(3).collect();
        for (id, ms) in ids_of.iter().zip([0, 500, 1_200]) {
            s.issues.get_mut(id).unwrap().updated_on = t0 + Duration::milliseconds(ms);
        }
        // `> 10:00:00` on stored times: 10:00:00.500 (shown as 10:00:00) is in, 10:00:00 is not.
        let (page, total) = ids(
            "status_id=*&sort=updated_on&updated_on=>=2030-01-01T10:00:01Z",
            &s,
        );
        assert_eq!((page, total), (ids_of[1..].to_vec(), 2));
    }

    #[test]
    fn projects_and_short_filters() {
        let s = store();
        assert_eq!(
            ListQuery::parse(&params("project_id=nowhere"), &s),
            Err(ListError::ProjectNotFound)
        );
        assert_eq!(ids("status_id=*&project_id=helpdesk", &s).1, 120);
        assert_eq!(ids("status_id=*&project_id=2", &s).1, 0);
        assert_eq!(ids("status_id=*&category_id=!*", &s).1, 120);
        let de = s
            .issues
            .values()
            .filter(|i| i.custom_fields[&2] == "de")
            .count();
        assert_eq!(ids("status_id=*&cf_2=de", &s).1, de);
        assert_eq!(ids("status_id=*&cf_2=de|en", &s).1, 120);
    }
}
