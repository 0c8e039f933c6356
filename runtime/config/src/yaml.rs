//! A YAML document as a small tree that remembers where every node starts.
//!
//! Built from `saphyr-parser` events rather than a ready-made value type so that
//! mappings keep their order (label mappings are first-match-wins), duplicate keys
//! are refused instead of silently overwritten, and plain scalars stay apart from
//! quoted ones (`null` versus `"null"`). Anchors and aliases work; tags are ignored.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span};

/// A position in the file: line and column, both counted from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Pos {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1.
    pub col: usize,
}

impl Pos {
    fn of(span: &Span) -> Self {
        Self {
            line: span.start.line(),
            col: span.start.col() + 1,
        }
    }
}

/// One node of the document.
#[derive(Debug, Clone)]
pub enum Node {
    /// A scalar; `plain` when written without quotes or block markers.
    Scalar {
        /// The text.
        text: String,
        /// Unquoted (so `null`, `true`, `12` may mean what they look like).
        plain: bool,
    },
    /// A sequence: each item with where it starts.
    Seq(Vec<(Pos, Node)>),
    /// A mapping, in file order.
    Map(Vec<Entry>),
}

impl Node {
    /// Whether this is YAML's null (`~`, `null`, or nothing at all).
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Scalar { text, plain: true } if matches!(text.as_str(), "" | "~" | "null" | "Null" | "NULL"))
    }

    /// What kind of node this is, for messages.
    pub fn kind(&self) -> &'static str {
        match self {
            _ if self.is_null() => "nothing",
            Self::Scalar { .. } => "a single value",
            Self::Seq(_) => "a list",
            Self::Map(_) => "a mapping",
        }
    }
}

/// One `key: value` pair.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The key's text.
    pub key: String,
    /// Where the key starts.
    pub key_at: Pos,
    /// The value.
    pub value: Node,
}

/// A syntax error with its position.
#[derive(Debug, Clone)]
pub struct SyntaxError {
    /// Where.
    pub at: Pos,
    /// What.
    pub message: String,
}

enum Frame {
    Seq {
        anchor: usize,
        items: Vec<(Pos, Node)>,
    },
    Map {
        anchor: usize,
        entries: Vec<Entry>,
        key: Option<(String, Pos)>,
    },
}

/// Parse one document; `None` for an empty file.
pub fn parse(text: &str) -> Result<Option<(Pos, Node)>, SyntaxError> {
    let mut builder = Builder::default();
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| SyntaxError {
            at: Pos {
                line: e.marker().line(),
                col: e.marker().col() + 1,
            },
            message: e.info().to_owned(),
        })?;
        builder.event(event, &span)?;
    }
    Ok(builder.root)
}

#[derive(Default)]
struct Builder {
    stack: Vec<(Pos, Frame)>,
    anchors: HashMap<usize, Node>,
    root: Option<(Pos, Node)>,
    documents: usize,
}

impl Builder {
    fn event(&mut self, event: Event<'_>, span: &Span) -> Result<(), SyntaxError> {
        let at = Pos::of(span);
        match event {
            Event::DocumentStart(_) => {
                self.documents += 1;
                if self.documents > 1 {
                    return Err(SyntaxError {
                        at,
                        message: "only one YAML document per file".into(),
                    });
                }
            }
            Event::Scalar(text, style, anchor, _tag) => {
                let node = Node::Scalar {
                    text: text.into_owned(),
                    plain: style == ScalarStyle::Plain,
                };
                self.complete(at, anchor, node)?;
            }
            Event::Alias(id) => {
                let node = self.anchors.get(&id).cloned().ok_or_else(|| SyntaxError {
                    at,
                    message: "alias to an unknown anchor".into(),
                })?;
                self.complete(at, 0, node)?;
            }
            Event::SequenceStart(anchor, _) => self.stack.push((
                at,
                Frame::Seq {
                    anchor,
                    items: Vec::new(),
                },
            )),
            Event::MappingStart(anchor, _) => self.stack.push((
                at,
                Frame::Map {
                    anchor,
                    entries: Vec::new(),
                    key: None,
                },
            )),
            Event::SequenceEnd | Event::MappingEnd => {
                let (start, frame) = self
                    .stack
                    .pop()
                    .expect("the parser balances starts and ends");
                let (anchor, node) = match frame {
                    Frame::Seq { anchor, items } => (anchor, Node::Seq(items)),
                    Frame::Map {
                        anchor, entries, ..
                    } => (anchor, Node::Map(entries)),
                };
                self.complete(start, anchor, node)?;
            }
            Event::Nothing | Event::StreamStart | Event::StreamEnd | Event::DocumentEnd => {}
        }
        Ok(())
    }

    fn complete(&mut self, at: Pos, anchor: usize, node: Node) -> Result<(), SyntaxError> {
        if anchor != 0 {
            self.anchors.insert(anchor, node.clone());
        }
        match self.stack.last_mut() {
            None => self.root = Some((at, node)),
            Some((_, Frame::Seq { items, .. })) => items.push((at, node)),
            Some((_, Frame::Map { entries, key, .. })) => match key.take() {
                Some((key, key_at)) => entries.push(Entry {
                    key,
                    key_at,
                    value: node,
                }),
                None => {
                    let Node::Scalar { text, .. } = node else {
                        return Err(SyntaxError {
                            at,
                            message: "keys must be single values, not lists or mappings".into(),
                        });
                    };
                    if let Some(first) = entries.iter().find(|e| e.key == text) {
                        return Err(SyntaxError {
                            at,
                            message: format!(
                                "key {text:?} is given twice (first on line {})",
                                first.key_at.line
                            ),
                        });
                    }
                    *key = Some((text, at));
                }
            },
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(node: &Node) -> &[Entry] {
        match node {
            Node::Map(e) => e,
            other => panic!("not a map: {other:?}"),
        }
    }

    #[test]
    fn positions_order_and_plainness_are_kept() {
        let (_, root) = parse("a: 1\nb:\n  z: \"null\"\n  y: null\n")
            .unwrap()
            .unwrap();
        let top = map(&root);
        assert_eq!(top[0].key, "a");
        assert_eq!(top[1].key_at, Pos { line: 2, col: 1 });
        let inner = map(&top[1].value);
        assert_eq!(
            inner.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
            ["z", "y"]
        );
        assert!(!inner[0].value.is_null());
        assert!(inner[1].value.is_null());
        assert_eq!(inner[1].key_at, Pos { line: 4, col: 3 });
    }

    #[test]
    fn duplicate_keys_are_refused_with_both_lines() {
        let err = parse("a: 1\nb: 2\na: 3\n").unwrap_err();
        assert_eq!(err.at.line, 3);
        assert!(err.message.contains("first on line 1"), "{}", err.message);
    }

    #[test]
    fn aliases_copy_the_anchored_node() {
        let (_, root) = parse("a: &x {k: v}\nb: *x\n").unwrap().unwrap();
        assert!(matches!(&map(&root)[1].value, Node::Map(e) if e[0].key == "k"));
    }

    #[test]
    fn syntax_errors_have_a_line() {
        let err = parse("a: [1, 2\nb: 3\n").unwrap_err();
        assert!(err.at.line >= 1, "{err:?}");
        assert!(parse("").unwrap().is_none());
        assert!(parse("a: 1\n---\nb: 2\n").is_err());
    }
}
