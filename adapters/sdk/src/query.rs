//! Reading a [`TicketQuery`] the same way in every adapter.

use crate::TicketQuery;

/// A query for everything, `page_size` per page, to fill in with struct update syntax.
pub fn all(page_size: u32) -> TicketQuery {
    TicketQuery {
        queues: Vec::new(),
        statuses: Vec::new(),
        updated_since: None,
        native: None,
        page_size,
    }
}

/// The query's native text, trimmed; `None` when absent or blank.
pub fn native(q: &TicketQuery) -> Option<&str> {
    q.native.as_deref().map(str::trim).filter(|n| !n.is_empty())
}

/// The page size to ask for: `default` when the query leaves it to the adapter (0), else the
/// query's, at most `max`.
pub fn page_size(q: &TicketQuery, default: u32, max: u32) -> u32 {
    match q.page_size {
        0 => default,
        n => n.min(max),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blank_native_text_is_none_and_page_sizes_are_capped() {
        let q = TicketQuery {
            native: Some("  ".into()),
            ..all(0)
        };
        assert_eq!(native(&q), None);
        let q = TicketQuery {
            native: Some(" tags:vip ".into()),
            ..all(500)
        };
        assert_eq!(native(&q), Some("tags:vip"));
        assert_eq!(page_size(&q, 50, 100), 100);
        assert_eq!(page_size(&all(0), 50, 100), 50);
        assert_eq!(page_size(&all(7), 50, 100), 7);
    }
}
