//! The `/search/tickets` query language: the subset the reference documents.
//!
//! `field:value`, `field:>value` (≥), `field:<value` (≤), `AND`, `OR` (AND binds tighter),
//! parentheses, single-quoted strings, numbers, `null`, `true`/`false`. Fields: status, priority,
//! group_id, agent_id, type, tag, created_at, updated_at, due_by, fr_due_by and `cf_*`. A date
//! value `'YYYY-MM-DD'` means the whole day (so `:<` includes it); a full timestamp compares exactly.

use chrono::{DateTime, Duration, Utc};

use super::model::{CustomFieldKind, Ticket};
use super::store::Schema;
use super::time;

/// A parsed query.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    And(Box<Expr>, Box<Expr>),
    Or(Box<Expr>, Box<Expr>),
    Cond(Cond),
}

/// One `field op value` condition.
#[derive(Debug, Clone, PartialEq)]
pub struct Cond {
    pub field: String,
    pub op: Op,
    pub value: Literal,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    /// `:>`, meaning ≥.
    Ge,
    /// `:<`, meaning ≤.
    Le,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Literal {
    Str(String),
    Num(f64),
    Bool(bool),
    Null,
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    LParen,
    RParen,
    Word(String),
    Quoted(String),
    Colon(Op),
}

/// Why a query was refused; the text goes into the 400 body.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct QueryError(pub String);

fn err<T>(msg: impl Into<String>) -> Result<T, QueryError> {
    Err(QueryError(msg.into()))
}

fn tokenize(q: &str) -> Result<Vec<Tok>, QueryError> {
    let chars: Vec<char> = q.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            c if c.is_whitespace() => i += 1,
            '(' => {
                out.push(Tok::LParen);
                i += 1;
            }
            ')' => {
                out.push(Tok::RParen);
                i += 1;
            }
            ':' => {
                let op = match chars.get(i + 1) {
                    Some('>') => Op::Ge,
                    Some('<') => Op::Le,
                    _ => Op::Eq,
                };
                i += if op == Op::Eq { 1 } else { 2 };
                out.push(Tok::Colon(op));
            }
            '\'' => {
                let start = i + 1;
                let Some(len) = chars[start..].iter().position(|c| *c == '\'') else {
                    return err("Unterminated quoted string in query");
                };
                out.push(Tok::Quoted(chars[start..start + len].iter().collect()));
                i = start + len + 1;
            }
            _ => {
                let start = i;
                while i < chars.len()
                    && !matches!(chars[i], '(' | ')' | ':' | '\'')
                    && !chars[i].is_whitespace()
                {
                    i += 1;
                }
                out.push(Tok::Word(chars[start..i].iter().collect()));
            }
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos)
    }

    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.pos).cloned();
        self.pos += 1;
        t
    }

    fn keyword(&self, kw: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(w)) if w == kw)
    }

    fn or(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.and()?;
        while self.keyword("OR") {
            self.pos += 1;
            left = Expr::Or(Box::new(left), Box::new(self.and()?));
        }
        Ok(left)
    }

    fn and(&mut self) -> Result<Expr, QueryError> {
        let mut left = self.atom()?;
        while self.keyword("AND") {
            self.pos += 1;
            left = Expr::And(Box::new(left), Box::new(self.atom()?));
        }
        Ok(left)
    }

    fn atom(&mut self) -> Result<Expr, QueryError> {
        match self.next() {
            Some(Tok::LParen) => {
                let e = self.or()?;
                match self.next() {
                    Some(Tok::RParen) => Ok(e),
                    _ => err("Missing closing parenthesis in query"),
                }
            }
            Some(Tok::Word(field)) if field != "AND" && field != "OR" => {
                let Some(Tok::Colon(op)) = self.next() else {
                    return err(format!("Expected ':' after '{field}'"));
                };
                let value = match self.next() {
                    Some(Tok::Quoted(s)) => Literal::Str(s),
                    Some(Tok::Word(w)) if w == "null" => Literal::Null,
                    Some(Tok::Word(w)) if w == "true" => Literal::Bool(true),
                    Some(Tok::Word(w)) if w == "false" => Literal::Bool(false),
                    Some(Tok::Word(w)) => match w.parse::<f64>() {
                        Ok(n) => Literal::Num(n),
                        Err(_) => {
                            return err(format!(
                                "Value '{w}' for '{field}' must be a number, null or a quoted string"
                            ));
                        }
                    },
                    _ => return err(format!("Missing value for '{field}'")),
                };
                Ok(Expr::Cond(Cond { field, op, value }))
            }
            _ => err("Invalid query syntax"),
        }
    }
}

/// Parses and checks a query (without its surrounding double quotes) against the account's fields.
pub fn parse(q: &str, schema: &Schema) -> Result<Expr, QueryError> {
    let toks = tokenize(q)?;
    if toks.is_empty() {
        return err("Query is empty");
    }
    let mut p = Parser { toks, pos: 0 };
    let e = p.or()?;
    if p.pos < p.toks.len() {
        return err("Invalid query syntax: expected AND or OR");
    }
    check(&e, schema)?;
    Ok(e)
}

fn check(e: &Expr, schema: &Schema) -> Result<(), QueryError> {
    match e {
        Expr::And(a, b) | Expr::Or(a, b) => {
            check(a, schema)?;
            check(b, schema)
        }
        Expr::Cond(c) => check_cond(c, schema),
    }
}

fn check_cond(c: &Cond, schema: &Schema) -> Result<(), QueryError> {
    let f = c.field.as_str();
    let is_num = matches!(c.value, Literal::Num(_));
    let ok = match f {
        "status" | "priority" => is_num,
        "group_id" | "agent_id" => is_num || c.value == Literal::Null,
        "type" | "tag" => matches!(c.value, Literal::Str(_) | Literal::Null) && c.op == Op::Eq,
        "created_at" | "updated_at" | "due_by" | "fr_due_by" => match &c.value {
            Literal::Str(s) => time::parse(s).is_some(),
            _ => false,
        },
        _ if f.starts_with("cf_") => {
            let Some(field) = schema.custom_field(f) else {
                return err(format!("'{f}' is not a custom field of this account"));
            };
            match (&field.kind, &c.value) {
                (_, Literal::Null) => true,
                (CustomFieldKind::Number, Literal::Num(_)) => true,
                (CustomFieldKind::Checkbox, Literal::Bool(_)) => c.op == Op::Eq,
                (
                    CustomFieldKind::Text
                    | CustomFieldKind::Paragraph
                    | CustomFieldKind::Dropdown(_),
                    Literal::Str(_),
                ) => c.op == Op::Eq,
                _ => false,
            }
        }
        _ => return err(format!("'{f}' is not a searchable field")),
    };
    if ok {
        Ok(())
    } else {
        err(format!("Invalid value or operator for '{f}'"))
    }
}

fn cmp_num(op: Op, have: f64, want: f64) -> bool {
    match op {
        Op::Eq => have == want,
        Op::Ge => have >= want,
        Op::Le => have <= want,
    }
}

fn cmp_time(op: Op, have: DateTime<Utc>, want: &str) -> bool {
    let Some(at) = time::parse(want) else {
        return false;
    };
    if time::parse_date(want).is_some() {
        let end = at + Duration::days(1);
        return match op {
            Op::Eq => have >= at && have < end,
            Op::Ge => have >= at,
            Op::Le => have < end,
        };
    }
    match op {
        Op::Eq => have == at,
        Op::Ge => have >= at,
        Op::Le => have <= at,
    }
}

fn opt_num(op: Op, have: Option<u64>, want: &Literal) -> bool {
    match (have, want) {
        (None, Literal::Null) => true,
        (Some(h), Literal::Num(w)) => cmp_num(op, h as f64, *w),
        _ => false,
    }
}

/// Whether `t` matches `e`.
pub fn matches(e: &Expr, t: &Ticket) -> bool {
    match e {
        Expr::And(a, b) => matches(a, t) && matches(b, t),
        Expr::Or(a, b) => matches(a, t) || matches(b, t),
        Expr::Cond(c) => cond_matches(c, t),
    }
}

fn cond_matches(c: &Cond, t: &Ticket) -> bool {
    let lit_str = |l: &Literal| match l {
        Literal::Str(s) => Some(s.to_lowercase()),
        _ => None,
    };
    match c.field.as_str() {
        "status" => opt_num(c.op, Some(u64::from(t.status)), &c.value),
        "priority" => opt_num(c.op, Some(u64::from(t.priority)), &c.value),
        "group_id" => opt_num(c.op, t.group_id, &c.value),
        "agent_id" => opt_num(c.op, t.responder_id, &c.value),
        "type" => match (&t.ticket_type, lit_str(&c.value)) {
            (None, None) => true,
            (Some(have), Some(want)) => have.to_lowercase() == want,
            _ => false,
        },
        "tag" => match lit_str(&c.value) {
            None => t.tags.is_empty(),
            Some(want) => t.tags.iter().any(|tag| tag.to_lowercase() == want),
        },
        "created_at" | "updated_at" | "due_by" | "fr_due_by" => {
            let have = match c.field.as_str() {
                "created_at" => t.created_at,
                "updated_at" => t.updated_at,
                "due_by" => t.due_by,
                _ => t.fr_due_by,
            };
            matches!(&c.value, Literal::Str(s) if cmp_time(c.op, have, s))
        }
        name => {
            let have = t
                .custom_fields
                .get(name)
                .unwrap_or(&serde_json::Value::Null);
            match (&c.value, have) {
                (Literal::Null, v) => v.is_null(),
                (Literal::Num(w), v) => v.as_f64().is_some_and(|h| cmp_num(c.op, h, *w)),
                (Literal::Bool(w), v) => v.as_bool() == Some(*w),
                (Literal::Str(w), v) => v.as_str().is_some_and(|h| h.eq_ignore_ascii_case(w)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::freshdesk::config::SimConfig;

    fn schema() -> Schema {
        Schema::from_config(&SimConfig::default()).unwrap()
    }

    #[test]
    fn precedence_and_parens() {
        let s = schema();
        let e = parse("status:2 OR priority:4 AND tag:'vip'", &s).unwrap();
        assert!(matches!(e, Expr::Or(_, _)));
        let e = parse("(status:2 OR priority:4) AND tag:'vip'", &s).unwrap();
        assert!(matches!(e, Expr::And(_, _)));
    }

    #[test]
    fn rejects_bad_queries() {
        let s = schema();
        for q in [
            "subject:'x'",
            "status:",
            "status:2 AND",
            "(status:2",
            "type:'a",
            "cf_nope:1",
            "status:open",
            "created_at:>'soon'",
            "status:2 priority:1",
        ] {
            assert!(parse(q, &s).is_err(), "{q}");
        }
    }
}
