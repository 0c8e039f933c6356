//! Typed reading of the YAML tree: every value carries its key path and position,
//! every problem is collected (not just the first) with both.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Duration;

use crate::error::{Diagnostic, Location};
use crate::yaml::{Entry, Node, Pos};

/// Reading state: the file, its directory (relative paths resolve against it),
/// the problems found so far and where every key path is.
pub(crate) struct Ctx<'f> {
    pub file: &'f Path,
    pub dir: PathBuf,
    pub errors: Vec<Diagnostic>,
    pub index: BTreeMap<String, Pos>,
}

/// A value in the tree, with its key path and position.
#[derive(Clone)]
pub(crate) struct Val<'a> {
    pub node: &'a Node,
    pub at: Pos,
    pub path: String,
}

/// A mapping whose keys are taken one by one; what is left is unknown.
pub(crate) struct Obj<'a> {
    entries: &'a [Entry],
    pub at: Pos,
    pub path: String,
    taken: HashSet<&'static str>,
    known: Vec<&'static str>,
}

/// `parent.key`; keys that would be ambiguous in a path are quoted.
pub(crate) fn join(parent: &str, key: &str) -> String {
    let key = if key.is_empty() || key.contains(['.', '[', ']', '"']) || key.trim() != key {
        format!("{key:?}")
    } else {
        key.to_owned()
    };
    if parent.is_empty() {
        key
    } else {
        format!("{parent}.{key}")
    }
}

impl<'f> Ctx<'f> {
    pub fn new(file: &'f Path) -> Self {
        let dir = file
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_owned();
        Self {
            file,
            dir,
            errors: Vec::new(),
            index: BTreeMap::new(),
        }
    }

    pub fn location(&self, at: Pos) -> Location {
        Location {
            file: self.file.to_owned(),
            line: at.line,
            column: at.col,
        }
    }

    /// Record a problem at `at` under `key`.
    pub fn error(&mut self, at: Pos, key: &str, message: impl Into<String>) {
        self.errors.push(Diagnostic {
            location: self.location(at),
            key: key.to_owned(),
            message: message.into(),
        });
    }

    /// Record a problem with a value.
    pub fn bad(&mut self, v: &Val<'_>, message: impl Into<String>) {
        self.error(v.at, &v.path, message);
    }

    pub fn val<'a>(&mut self, node: &'a Node, at: Pos, path: String) -> Val<'a> {
        self.index.entry(path.clone()).or_insert(at);
        Val { node, at, path }
    }

    /// A mapping, or a problem.
    pub fn obj<'a>(&mut self, v: &Val<'a>) -> Option<Obj<'a>> {
        match v.node {
            Node::Map(entries) => Some(Obj {
                entries,
                at: v.at,
                path: v.path.clone(),
                taken: HashSet::new(),
                known: Vec::new(),
            }),
            other => {
                self.bad(
                    v,
                    format!("expected a mapping (key: value), found {}", other.kind()),
                );
                None
            }
        }
    }

    /// Every `key: value` of a mapping whose keys are names chosen by the user.
    pub fn named<'a>(&mut self, v: &Val<'a>) -> Vec<(String, Val<'a>)> {
        let Some(Obj { entries, path, .. }) = self.obj(v) else {
            return Vec::new();
        };
        entries
            .iter()
            .map(|e| {
                let child = self.val(&e.value, e.key_at, join(&path, &e.key));
                (e.key.clone(), child)
            })
            .collect()
    }

    /// A list's items.
    pub fn list<'a>(&mut self, v: &Val<'a>) -> Option<Vec<Val<'a>>> {
        match v.node {
            Node::Seq(items) => Some(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, (at, node))| self.val(node, *at, format!("{}[{i}]", v.path)))
                    .collect(),
            ),
            other => {
                self.bad(v, format!("expected a list, found {}", other.kind()));
                None
            }
        }
    }

    /// Text (any scalar, as written).
    pub fn text(&mut self, v: &Val<'_>) -> Option<String> {
        match v.node {
            Node::Scalar { text, .. } if !v.node.is_null() => Some(text.clone()),
            other => {
                self.bad(v, format!("expected text, found {}", other.kind()));
                None
            }
        }
    }

    /// Text that is not empty or blank.
    pub fn name(&mut self, v: &Val<'_>) -> Option<String> {
        let text = self.text(v)?;
        if text.trim().is_empty() {
            self.bad(v, "must not be empty");
            return None;
        }
        Some(text)
    }

    /// `true` or `false`.
    pub fn bool(&mut self, v: &Val<'_>) -> Option<bool> {
        if let Node::Scalar { text, plain: true } = v.node {
            match text.as_str() {
                "true" | "True" | "TRUE" => return Some(true),
                "false" | "False" | "FALSE" => return Some(false),
                _ => {}
            }
        }
        self.bad(v, "expected true or false");
        None
    }

    /// A whole number of at least `min`.
    pub fn number<T>(&mut self, v: &Val<'_>, min: T) -> Option<T>
    where
        T: FromStr + PartialOrd + std::fmt::Display + Copy,
    {
        let parsed = match v.node {
            Node::Scalar { text, .. } => text.trim().parse::<T>().ok(),
            _ => None,
        };
        match parsed {
            Some(n) if n >= min => Some(n),
            _ => {
                self.bad(v, format!("expected a whole number of at least {min}"));
                None
            }
        }
    }

    /// A confidence: a number from 0 to 1.
    pub fn fraction(&mut self, v: &Val<'_>) -> Option<f32> {
        let parsed = match v.node {
            Node::Scalar { text, .. } => text.trim().parse::<f32>().ok(),
            _ => None,
        };
        match parsed {
            Some(x) if (0.0..=1.0).contains(&x) => Some(x),
            _ => {
                self.bad(v, "expected a confidence between 0 and 1 (e.g. 0.6)");
                None
            }
        }
    }

    /// A positive duration: `30s`, `5m`, `1h30m`, `500ms`, `1d`.
    pub fn duration(&mut self, v: &Val<'_>) -> Option<Duration> {
        let parsed = match v.node {
            Node::Scalar { text, .. } => parse_duration(text),
            other => Err(format!("expected a duration, found {}", other.kind())),
        };
        match parsed {
            Ok(d) if !d.is_zero() => Some(d),
            Ok(_) => {
                self.bad(v, "must be longer than zero");
                None
            }
            Err(e) => {
                self.bad(v, e);
                None
            }
        }
    }

    /// A path, resolved against the configuration file's directory.
    pub fn path(&mut self, v: &Val<'_>) -> Option<PathBuf> {
        let text = self.name(v)?;
        Some(self.resolve(&text))
    }

    /// Resolve a path written in the file.
    pub fn resolve(&self, text: &str) -> PathBuf {
        let path = Path::new(text);
        if path.is_absolute() {
            path.to_owned()
        } else {
            self.dir.join(path)
        }
    }
}

impl<'a> Obj<'a> {
    /// The value of `key`, if present and not null.
    pub fn get(&mut self, cx: &mut Ctx<'_>, key: &'static str) -> Option<Val<'a>> {
        self.known.push(key);
        let entry = self.entries.iter().find(|e| e.key == key)?;
        self.taken.insert(key);
        let v = cx.val(&entry.value, entry.key_at, join(&self.path, key));
        (!entry.value.is_null()).then_some(v)
    }

    /// The value of `key`, or a problem saying it is missing.
    pub fn need(&mut self, cx: &mut Ctx<'_>, key: &'static str) -> Option<Val<'a>> {
        let v = self.get(cx, key);
        if v.is_none() {
            cx.error(self.at, &self.path, format!("missing key `{key}`"));
        }
        v
    }

    /// Report every key that was not taken.
    pub fn finish(self, cx: &mut Ctx<'_>) {
        for entry in self.entries {
            if !self.taken.contains(entry.key.as_str()) {
                let known = self.known.join(", ");
                cx.error(
                    entry.key_at,
                    &join(&self.path, &entry.key),
                    format!("unknown key; expected one of: {known}"),
                );
            }
        }
    }
}

/// `30s`, `5m`, `1h30m`, `500ms`, `2d`: one or more number-unit pairs.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let bad =
        || format!("{text:?} is not a duration; write a number and a unit: 500ms, 30s, 5m, 1h, 1d");
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total = Duration::ZERO;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        rest = &rest[digits..];
        let unit_len = rest
            .find(|c: char| c.is_ascii_digit())
            .unwrap_or(rest.len());
        let unit = match &rest[..unit_len] {
            "ms" => Duration::from_millis(1),
            "s" => Duration::from_secs(1),
            "m" => Duration::from_secs(60),
            "h" => Duration::from_secs(3600),
            "d" => Duration::from_secs(86_400),
            _ => return Err(bad()),
        };
        let part = unit.checked_mul(u32::try_from(n).map_err(|_| bad())?);
        total = part.and_then(|p| total.checked_add(p)).ok_or_else(bad)?;
        rest = &rest[unit_len..];
    }
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        let s = Duration::from_secs;
        assert_eq!(parse_duration("30s"), Ok(s(30)));
        assert_eq!(parse_duration("5m"), Ok(s(300)));
        assert_eq!(parse_duration("1h30m"), Ok(s(5400)));
        assert_eq!(parse_duration("2d"), Ok(s(172_800)));
        assert_eq!(parse_duration("250ms"), Ok(Duration::from_millis(250)));
        for bad in ["", "30", "s", "5 minutes", "1.5h", "-3s", "3x"] {
            assert!(parse_duration(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn key_paths_quote_only_what_would_be_ambiguous() {
        assert_eq!(join("a", "Billing*"), "a.Billing*");
        assert_eq!(join("a", "IT Support"), "a.IT Support");
        assert_eq!(join("a", "v1.2"), "a.\"v1.2\"");
        assert_eq!(join("", "models"), "models");
    }
}
