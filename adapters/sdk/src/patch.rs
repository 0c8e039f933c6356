//! Helpers for `update-ticket`: what a patch needs and what its tag operation writes, for
//! systems whose tag list is replaced whole (read, modify, write back).

use crate::{TagOp, TicketPatch};

/// A patch that changes nothing, to fill in with struct update syntax.
pub fn empty() -> TicketPatch {
    TicketPatch {
        queue: None,
        priority: None,
        tags: None,
        custom_fields: Vec::new(),
        if_version: None,
    }
}

/// Whether applying `patch` needs the ticket as it is now: to compare `if-version`, or to
/// add or remove tags in a list that is written whole (`replace` needs nothing).
pub fn needs_current(patch: &TicketPatch) -> bool {
    patch.if_version.is_some() || matches!(patch.tags, Some(TagOp::Add(_) | TagOp::Remove(_)))
}

/// The tag list after adding (appended, no duplicates) or removing.
pub fn tags_after(current: &[String], add: &[String], remove: &[String]) -> Vec<String> {
    let mut out: Vec<String> = Vec::with_capacity(current.len() + add.len());
    for t in current.iter().chain(add) {
        if !remove.contains(t) && !out.contains(t) {
            out.push(t.clone());
        }
    }
    out
}

/// The whole tag list to write for `op`, given the current tags (read for `add` and `remove`
/// only); `None` when an `add` or `remove` would change nothing.
pub fn tags_to_write(current: &[String], op: &TagOp) -> Option<Vec<String>> {
    match op {
        TagOp::Replace(all) => Some(tags_after(&[], all, &[])),
        TagOp::Add(add) => Some(tags_after(current, add, &[])).filter(|a| a != current),
        TagOp::Remove(rm) => Some(tags_after(current, &[], rm)).filter(|a| a != current),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| (*x).to_owned()).collect()
    }

    #[test]
    fn tags_keep_the_others() {
        let cur = s(&["a", "b"]);
        assert_eq!(tags_after(&cur, &s(&["c", "a"]), &[]), ["a", "b", "c"]);
        assert_eq!(tags_after(&cur, &[], &s(&["a"])), ["b"]);
    }

    #[test]
    fn only_a_change_is_written() {
        let cur = s(&["vip", "billing"]);
        assert_eq!(
            tags_to_write(&cur, &TagOp::Add(s(&["triaged"]))),
            Some(s(&["vip", "billing", "triaged"]))
        );
        assert_eq!(tags_to_write(&cur, &TagOp::Add(s(&["vip"]))), None);
        assert_eq!(tags_to_write(&cur, &TagOp::Remove(s(&["x"]))), None);
        assert_eq!(
            tags_to_write(&cur, &TagOp::Remove(s(&["vip"]))),
            Some(s(&["billing"]))
        );
        assert_eq!(
            tags_to_write(&cur, &TagOp::Replace(s(&["a", "a"]))),
            Some(s(&["a"]))
        );
    }

    #[test]
    fn what_needs_the_current_ticket() {
        assert!(!needs_current(&empty()));
        let replace = TicketPatch {
            tags: Some(TagOp::Replace(s(&["a"]))),
            ..empty()
        };
        assert!(!needs_current(&replace));
        let add = TicketPatch {
            tags: Some(TagOp::Add(s(&["a"]))),
            ..empty()
        };
        assert!(needs_current(&add));
        let versioned = TicketPatch {
            if_version: Some("1".into()),
            ..empty()
        };
        assert!(needs_current(&versioned));
    }
}
