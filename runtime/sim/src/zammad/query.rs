//! The search language: Elasticsearch `query_string` (Lucene syntax) with `AND` as the default
//! operator, as Zammad sends it (`search_index_backend.rb`).
//!
//! Supported: `field:value`, `field:"a phrase"`, `field:(a OR b)`, ranges `field:[a TO b]`
//! (`{}` exclusive, `*` open) and `field:>=a` / `>` / `<` / `<=`, `field:*` (has a value),
//! `AND` / `OR` / `NOT` (also `&&`, `||`, `!`, `+`, `-`), parentheses, `*` and `?` wildcards,
//! backslash escapes, and bare words searched in every text field. As in Lucene an unescaped
//! `:` ends a value, so `updated_at:>=2024-01-01T10:00:00Z` is a syntax error; quote it or use
//! a bracket range. Text is matched by lower-cased words, like an analysed ES text field.

use chrono::{DateTime, Utc};

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `field: pred`, or `pred` in any text field when `field` is `None`.
    Term {
        field: Option<String>,
        pred: Pred,
    },
}

/// What a term asks of a field's values.
#[derive(Debug, Clone, PartialEq)]
pub enum Pred {
    /// A word; may contain `*` / `?` wildcards.
    Word(String),
    /// Consecutive words.
    Phrase(String),
    Range {
        lo: Bound,
        hi: Bound,
    },
    /// `field:*`.
    Exists,
}

/// One end of a range.
#[derive(Debug, Clone, PartialEq)]
pub enum Bound {
    Open,
    Incl(String),
    Excl(String),
}

/// A value of a document field.
#[derive(Debug, Clone, PartialEq)]
pub enum Val {
    Num(f64),
    Date(DateTime<Utc>),
    Text(String),
    Bool(bool),
}

/// A query that Elasticsearch would refuse (Zammad then answers an empty result).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError(pub String);

/// A document the query runs against.
pub trait Document {
    /// The values of a field (empty when the field is unknown or unset).
    fn values(&self, field: &str) -> Vec<Val>;
    /// Every text value, for terms without a field.
    fn all_text(&self) -> Vec<String>;
}

/// Parses a query string.
pub fn parse(input: &str) -> Result<Expr, ParseError> {
    let mut p = Parser {
        chars: input.chars().collect(),
        pos: 0,
    };
    let e = p.or(None)?;
    p.skip_ws();
    if p.pos < p.chars.len() {
        return Err(p.error("unexpected input"));
    }
    Ok(e)
}

struct Parser {
    chars: Vec<char>,
    pos: usize,
}

const SPECIAL: &[char] = &['(', ')', '[', ']', '{', '}', ':', '"'];

impl Parser {
    fn error(&self, what: &str) -> ParseError {
        ParseError(format!("{what} at position {}", self.pos))
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn skip_ws(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    /// Consumes `kw` when it stands alone (followed by space, `(` or the end).
    fn keyword(&mut self, kw: &str) -> bool {
        self.skip_ws();
        let n = kw.chars().count();
        let matches = self.chars[self.pos..]
            .iter()
            .take(n)
            .copied()
            .eq(kw.chars());
        let alone = self
            .chars
            .get(self.pos + n)
            .is_none_or(|c| c.is_whitespace() || *c == '(' || !kw.chars().all(char::is_alphabetic));
        if matches && alone {
            self.pos += n;
            true
        } else {
            false
        }
    }

    fn or(&mut self, field: Option<&str>) -> Result<Expr, ParseError> {
        let mut items = vec![self.and(field)?];
        while self.keyword("OR") || self.keyword("||") {
            items.push(self.and(field)?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            Expr::Or(items)
        })
    }

    fn and(&mut self, field: Option<&str>) -> Result<Expr, ParseError> {
        let mut items = vec![self.unary(field)?];
        loop {
            self.skip_ws();
            if self.peek().is_none_or(|c| c == ')') {
                break;
            }
            let save = self.pos;
            if self.keyword("OR") || self.keyword("||") {
                self.pos = save;
                break;
            }
            let _ = self.keyword("AND") || self.keyword("&&");
            items.push(self.unary(field)?);
        }
        Ok(if items.len() == 1 {
            items.pop().expect("one")
        } else {
            Expr::And(items)
        })
    }

    fn unary(&mut self, field: Option<&str>) -> Result<Expr, ParseError> {
        self.skip_ws();
        if self.keyword("NOT") {
            return Ok(Expr::Not(Box::new(self.unary(field)?)));
        }
        match self.peek() {
            Some('!' | '-') => {
                self.pos += 1;
                Ok(Expr::Not(Box::new(self.unary(field)?)))
            }
            Some('+') => {
                self.pos += 1;
                self.unary(field)
            }
            _ => self.primary(field),
        }
    }

    fn primary(&mut self, field: Option<&str>) -> Result<Expr, ParseError> {
        self.skip_ws();
        match self.peek() {
            None => Err(self.error("a term expected")),
            Some('(') => {
                self.pos += 1;
                let e = self.or(field)?;
                self.expect(')')?;
                Ok(e)
            }
            Some('"') => Ok(Expr::Term {
                field: field.map(str::to_owned),
                pred: Pred::Phrase(self.quoted()?),
            }),
            Some(c) if SPECIAL.contains(&c) => Err(self.error("unexpected character")),
            Some(_) => {
                let word = self.word()?;
                if self.peek() == Some(':') {
                    if field.is_some() {
                        return Err(self.error("a field inside a field group"));
                    }
                    self.pos += 1;
                    return self.value(&word);
                }
                Ok(Expr::Term {
                    field: field.map(str::to_owned),
                    pred: Pred::Word(word),
                })
            }
        }
    }

    /// What follows `field:`.
    fn value(&mut self, field: &str) -> Result<Expr, ParseError> {
        let term = |pred| Expr::Term {
            field: Some(field.to_owned()),
            pred,
        };
        match self.peek() {
            Some('(') => {
                self.pos += 1;
                let e = self.or(Some(field))?;
                self.expect(')')?;
                Ok(e)
            }
            Some('"') => Ok(term(Pred::Phrase(self.quoted()?))),
            Some(open @ ('[' | '{')) => {
                self.pos += 1;
                let lo = self.bound(open == '[')?;
                if !self.keyword("TO") {
                    return Err(self.error("TO expected in a range"));
                }
                let hi = self.bound(true)?;
                self.skip_ws();
                let close = self.peek();
                let hi = match (close, hi) {
                    (Some(']'), hi) => hi,
                    (Some('}'), Bound::Incl(v)) => Bound::Excl(v),
                    (Some('}'), hi) => hi,
                    _ => return Err(self.error("] or } expected")),
                };
                self.pos += 1;
                Ok(term(Pred::Range { lo, hi }))
            }
            Some('>' | '<') => {
                let less = self.peek() == Some('<');
                self.pos += 1;
                let incl = self.peek() == Some('=');
                if incl {
                    self.pos += 1;
                }
                let v = if self.peek() == Some('"') {
                    self.quoted()?
                } else {
                    self.word()?
                };
                let b = if incl { Bound::Incl(v) } else { Bound::Excl(v) };
                Ok(term(if less {
                    Pred::Range {
                        lo: Bound::Open,
                        hi: b,
                    }
                } else {
                    Pred::Range {
                        lo: b,
                        hi: Bound::Open,
                    }
                }))
            }
            Some(c) if !c.is_whitespace() && !SPECIAL.contains(&c) => {
                let w = self.word()?;
                Ok(term(if w == "*" {
                    Pred::Exists
                } else {
                    Pred::Word(w)
                }))
            }
            _ => Err(self.error("a value expected after ':'")),
        }
    }

    fn bound(&mut self, inclusive: bool) -> Result<Bound, ParseError> {
        self.skip_ws();
        let v = if self.peek() == Some('"') {
            self.quoted()?
        } else {
            self.word()?
        };
        Ok(match (v.as_str(), inclusive) {
            ("*", _) => Bound::Open,
            (_, true) => Bound::Incl(v),
            (_, false) => Bound::Excl(v),
        })
    }

    fn expect(&mut self, c: char) -> Result<(), ParseError> {
        self.skip_ws();
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("'{c}' expected")))
        }
    }

    fn quoted(&mut self) -> Result<String, ParseError> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            match self.peek() {
                None => return Err(self.error("unterminated quote")),
                Some('"') => {
                    self.pos += 1;
                    return Ok(out);
                }
                Some('\\') => {
                    out.extend(self.chars.get(self.pos + 1));
                    self.pos += 2;
                }
                Some(c) => {
                    out.push(c);
                    self.pos += 1;
                }
            }
        }
    }

    /// A bare word up to white space or a special character (escapes kept literally).
    fn word(&mut self) -> Result<String, ParseError> {
        let mut out = String::new();
        while let Some(c) = self.peek() {
            if c.is_whitespace() || SPECIAL.contains(&c) {
                break;
            }
            if c == '\\' {
                out.extend(self.chars.get(self.pos + 1));
                self.pos += 2;
                continue;
            }
            out.push(c);
            self.pos += 1;
        }
        if out.is_empty() {
            Err(self.error("a word expected"))
        } else {
            Ok(out)
        }
    }
}

/// Lower-cased words of a text, as an analysed text field holds them.
pub fn tokens(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// `*` / `?` wildcard match.
fn wildcard(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|i| wildcard(rest, &text[i..])),
        Some(('?', rest)) => !text.is_empty() && wildcard(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && wildcard(rest, &text[1..]),
    }
}

fn text_has_word(text: &str, word: &str) -> bool {
    if word.contains(['*', '?']) {
        let p: Vec<char> = word.to_lowercase().chars().collect();
        return tokens(text).iter().any(|t| {
            let t: Vec<char> = t.chars().collect();
            wildcard(&p, &t)
        });
    }
    let want = tokens(word);
    let have = tokens(text);
    !want.is_empty() && want.iter().all(|w| have.contains(w))
}

fn text_has_phrase(text: &str, phrase: &str) -> bool {
    let want = tokens(phrase);
    let have = tokens(text);
    !want.is_empty() && have.windows(want.len()).any(|w| w == want.as_slice())
}

fn val_matches_word(v: &Val, word: &str) -> bool {
    match v {
        Val::Text(t) => text_has_word(t, word),
        Val::Num(n) => word.parse::<f64>().is_ok_and(|w| w == *n),
        Val::Date(d) => super::time::parse(word).is_some_and(|w| w == *d),
        Val::Bool(b) => word.eq_ignore_ascii_case(if *b { "true" } else { "false" }),
    }
}

/// Where a value stands against a bound value: `None` when they cannot be compared.
fn compare(v: &Val, bound: &str) -> Option<std::cmp::Ordering> {
    match v {
        Val::Num(n) => n.partial_cmp(&bound.parse::<f64>().ok()?),
        Val::Date(d) => Some(d.cmp(&super::time::parse(bound)?)),
        Val::Text(t) => Some(t.to_lowercase().cmp(&bound.to_lowercase())),
        Val::Bool(_) => None,
    }
}

fn in_range(v: &Val, lo: &Bound, hi: &Bound) -> bool {
    use std::cmp::Ordering::{Equal, Greater, Less};
    let lo_ok = match lo {
        Bound::Open => true,
        Bound::Incl(b) => matches!(compare(v, b), Some(Greater | Equal)),
        Bound::Excl(b) => matches!(compare(v, b), Some(Greater)),
    };
    let hi_ok = match hi {
        Bound::Open => true,
        Bound::Incl(b) => matches!(compare(v, b), Some(Less | Equal)),
        Bound::Excl(b) => matches!(compare(v, b), Some(Less)),
    };
    lo_ok && hi_ok
}

/// Whether `doc` matches `expr`.
pub fn matches(expr: &Expr, doc: &dyn Document) -> bool {
    match expr {
        Expr::And(items) => items.iter().all(|e| matches(e, doc)),
        Expr::Or(items) => items.iter().any(|e| matches(e, doc)),
        Expr::Not(e) => !matches(e, doc),
        Expr::Term { field: None, pred } => {
            let texts = doc.all_text();
            match pred {
                Pred::Word(w) if w == "*" => true,
                Pred::Word(w) => texts.iter().any(|t| text_has_word(t, w)),
                Pred::Phrase(p) => texts.iter().any(|t| text_has_phrase(t, p)),
                Pred::Range { .. } | Pred::Exists => false,
            }
        }
        Expr::Term {
            field: Some(f),
            pred,
        } => {
            let values = doc.values(f);
            match pred {
                Pred::Exists => !values.is_empty(),
                Pred::Word(w) => values.iter().any(|v| val_matches_word(v, w)),
                Pred::Phrase(p) => values.iter().any(|v| match v {
                    Val::Text(t) => text_has_phrase(t, p),
                    other => val_matches_word(other, p),
                }),
                Pred::Range { lo, hi } => values.iter().any(|v| in_range(v, lo, hi)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    struct Doc(BTreeMap<&'static str, Vec<Val>>);

    impl Document for Doc {
        fn values(&self, field: &str) -> Vec<Val> {
            self.0.get(field).cloned().unwrap_or_default()
        }
        fn all_text(&self) -> Vec<String> {
            self.0
                .values()
                .flatten()
                .filter_map(|v| match v {
                    Val::Text(t) => Some(t.clone()),
                    _ => None,
                })
                .collect()
        }
    }

    fn doc() -> Doc {
        Doc(BTreeMap::from([
            ("id", vec![Val::Num(42.0)]),
            ("title", vec![Val::Text("Invoice charged twice".into())]),
            ("group.name", vec![Val::Text("Billing and Payments".into())]),
            ("state.name", vec![Val::Text("pending reminder".into())]),
            (
                "tags",
                vec![Val::Text("vip".into()), Val::Text("web".into())],
            ),
            (
                "updated_at",
                vec![Val::Date(
                    super::super::time::parse("2024-03-01T10:00:00.500Z").unwrap(),
                )],
            ),
        ]))
    }

    fn yes(q: &str) -> bool {
        matches(&parse(q).unwrap_or_else(|e| panic!("{q}: {e:?}")), &doc())
    }

    #[test]
    fn fields_words_and_phrases() {
        assert!(yes("invoice"));
        assert!(yes("INVOICE twice"));
        assert!(!yes("invoice refund"));
        assert!(yes("invoice OR refund"));
        assert!(yes("inv*"));
        assert!(yes(r#"group.name:"Billing and Payments""#));
        assert!(!yes(r#"group.name:"Payments and Billing""#));
        assert!(yes("state.name:pending"));
        assert!(yes("tags:vip AND NOT tags:spam"));
        assert!(yes("-tags:spam"));
        assert!(yes(r#"state.name:("new" OR "pending reminder")"#));
        assert!(!yes("state.name:(new OR open)"));
        assert!(yes("id:42 && title:*"));
        assert!(!yes("nothing:*"));
    }

    #[test]
    fn ranges_on_numbers_and_dates() {
        assert!(yes("id:[40 TO 42]"));
        assert!(!yes("id:{40 TO 42}"));
        assert!(yes("id:>=42"));
        assert!(!yes("id:>42"));
        assert!(yes(r#"updated_at:["2024-03-01T10:00:00.500Z" TO *]"#));
        assert!(!yes(r#"updated_at:{"2024-03-01T10:00:00.500Z" TO *]"#));
        assert!(yes(r#"updated_at:>="2024-03-01T10:00:00Z""#));
        assert!(yes(r"updated_at:>=2024-03-01T10\:00\:00Z"));
        assert!(yes("updated_at:[2024-03-01 TO now]"));
    }

    #[test]
    fn syntax_errors() {
        for q in [
            "updated_at:>=2024-03-01T10:00:00Z",
            "(a OR b",
            "title:",
            "id:[1 2]",
            "\"open",
        ] {
            assert!(parse(q).is_err(), "{q}");
        }
    }
}
