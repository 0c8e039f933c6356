//! The request log: what an adapter actually sent, for tests to assert on.
//!
//! Conformance checks need to see the wire ("was the key sent?", "did it page with
//! updated_since?", "how many calls did the scan take?"), not only the resulting state.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

/// One request as received, with the status it got.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestRecord {
    /// Arrival order, from 1.
    pub seq: u64,
    pub at: DateTime<Utc>,
    pub method: String,
    pub path: String,
    /// The raw (still percent-encoded) query string, if any.
    pub query: Option<String>,
    /// The body as text (lossy UTF-8); empty when there was none.
    pub body: String,
    /// The reply's status; `None` when the connection was dropped on purpose.
    pub status: Option<u16>,
    /// Whether the credentials were right.
    pub authorized: bool,
    /// Whether the reply was an injected fault (status or drop).
    pub injected: bool,
}

impl RequestRecord {
    /// The decoded value of a query parameter.
    pub fn query_param(&self, key: &str) -> Option<String> {
        let q = self.query.as_deref()?;
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.into_owned())
    }
}

/// A bounded log, oldest dropped first.
#[derive(Debug)]
pub(crate) struct RequestLog {
    records: VecDeque<RequestRecord>,
    capacity: usize,
    next_seq: u64,
}

impl RequestLog {
    pub fn new(capacity: usize) -> Self {
        Self {
            records: VecDeque::new(),
            capacity: capacity.max(1),
            next_seq: 1,
        }
    }

    pub fn next_seq(&mut self) -> u64 {
        let s = self.next_seq;
        self.next_seq += 1;
        s
    }

    pub fn push(&mut self, record: RequestRecord) {
        if self.records.len() == self.capacity {
            self.records.pop_front();
        }
        self.records.push_back(record);
    }

    /// All kept records in arrival order.
    pub fn snapshot(&self) -> Vec<RequestRecord> {
        let mut v: Vec<RequestRecord> = self.records.iter().cloned().collect();
        v.sort_by_key(|r| r.seq);
        v
    }

    pub fn clear(&mut self) {
        self.records.clear();
    }
}
