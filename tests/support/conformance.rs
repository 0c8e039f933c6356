//! The conformance suite: what every adapter must do against its ticket system.
//!
//! Each check takes a connected adapter (any [`TicketAdapter`], normally the real host's
//! `WasmAdapter`) and a [`SimulatorProbe`]: a view of the system behind the API, through
//! which the suite reads what really changed and provokes rate limits and faults. A
//! simulator implements the probe in-process; a real server can implement it through its
//! admin API and answer `false` where it cannot steer something (that check is skipped).
//!
//! The checks panic with a message on failure, like assertions. Give each check its own
//! system (or at least do not run a scan while another check writes): an update moves a
//! ticket to the end of an `updated_at` scan, which is correct but not "exactly once".
//!
//! ```ignore
//! let probe = /* your simulator handle */;
//! let adapter = Connection::to(&url).connect(&load("mysystem")).await;
//! conformance::check_every_ticket_once(&adapter, &probe, 10).await;
//! conformance::check_update_round_trip(&adapter, &probe, &id).await;
//! ```

use std::collections::{BTreeSet, HashSet};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use triage_core::{
    AdapterError, EntityRef, FieldError, Note, StatusCategory, TagOp, Ticket, TicketAdapter,
    TicketPatch, TicketQuery,
};

/// A ticket as the system itself stores it (read behind the adapter's back).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SystemTicket {
    /// The queue's name, if the ticket has one.
    pub queue: Option<String>,
    /// The native priority id, as the adapter reports it in `priority.id`.
    pub priority: Option<String>,
    /// Tags in the system's order.
    pub tags: Vec<String>,
    /// When the system last changed the ticket.
    pub updated_at: Option<DateTime<Utc>>,
}

/// A note as the system stores it.
#[derive(Debug, Clone, PartialEq)]
pub struct SystemNote {
    /// The body as stored (HTML or text).
    pub body: String,
    /// Hidden from the customer.
    pub internal: bool,
}

/// A failure the system should produce for the very next request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProbeFault {
    /// Answer with this status (500, 503, ...).
    Status(u16),
    /// Close the connection without answering.
    Drop,
}

/// The system behind the adapter, seen and steered directly.
pub trait SimulatorProbe: Send + Sync {
    /// Every ticket an unfiltered `find-tickets` must return, by id.
    fn all_ticket_ids(&self) -> BTreeSet<String>;
    /// One ticket as stored; `None` when there is no such ticket.
    fn ticket(&self, id: &str) -> Option<SystemTicket>;
    /// Set a ticket's tags directly (not through the adapter).
    fn set_ticket_tags(&self, id: &str, tags: &[String]);
    /// The notes of a ticket, oldest first.
    fn notes(&self, id: &str) -> Vec<SystemNote>;
    /// An id no ticket has.
    fn missing_ticket_id(&self) -> String;
    /// A patch the system itself refuses, and the field its error names.
    fn invalid_patch(&self) -> (TicketPatch, String);
    /// Allow only `per_window` requests from now on (`None`: no limit). False when the
    /// system cannot be steered so (the check is skipped).
    fn set_rate_limit(&self, per_window: Option<u32>) -> bool;
    /// Fail the next requests, in order. False when unsupported (the check is skipped).
    fn set_faults(&self, next: &[ProbeFault]) -> bool;
    /// Forget faults not yet used.
    fn clear_faults(&self);
}

/// The result of one full scan.
#[derive(Debug, Clone)]
pub struct Scan {
    /// Ids in the order they were returned (duplicates kept).
    pub ids: Vec<String>,
    /// `find-tickets` calls made.
    pub pages: usize,
    /// Wall-clock time of the scan.
    pub elapsed: Duration,
    /// Length of the longest cursor the adapter handed out.
    pub largest_cursor: usize,
}

/// Follow `query`'s cursors to the end, collecting ticket ids.
pub async fn scan(adapter: &dyn TicketAdapter, query: &TicketQuery) -> Result<Scan, AdapterError> {
    let started = Instant::now();
    let (mut ids, mut pages, mut cursor, mut largest_cursor) = (Vec::new(), 0, None, 0);
    loop {
        let page = adapter.find_tickets(query, cursor).await?;
        pages += 1;
        ids.extend(page.tickets.into_iter().map(|t| t.id));
        largest_cursor = largest_cursor.max(page.next.as_ref().map_or(0, String::len));
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    Ok(Scan {
        ids,
        pages,
        elapsed: started.elapsed(),
        largest_cursor,
    })
}

/// Every ticket is found exactly once across pages (pages of `page_size`); returns the scan.
pub async fn check_every_ticket_once(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    page_size: u32,
) -> Scan {
    let query = TicketQuery {
        page_size,
        ..TicketQuery::default()
    };
    let scan = scan(adapter, &query).await.expect("the scan completes");
    let mut seen = HashSet::new();
    let twice: Vec<&String> = scan.ids.iter().filter(|id| !seen.insert(*id)).collect();
    assert!(
        twice.is_empty(),
        "{} tickets returned twice, e.g. {:?}",
        twice.len(),
        &twice[..twice.len().min(10)]
    );
    let expected = probe.all_ticket_ids();
    let found: BTreeSet<String> = scan.ids.iter().cloned().collect();
    let missed: Vec<&String> = expected.difference(&found).collect();
    let extra: Vec<&String> = found.difference(&expected).collect();
    assert!(
        missed.is_empty(),
        "{} tickets missed, e.g. {:?}",
        missed.len(),
        &missed[..missed.len().min(10)]
    );
    assert!(
        extra.is_empty(),
        "{} unexpected tickets, e.g. {:?}",
        extra.len(),
        &extra[..extra.len().min(10)]
    );
    scan
}

fn differs(current: Option<&EntityRef>, candidate: &EntityRef) -> bool {
    current.is_none_or(|c| c.id != candidate.id || c.name != candidate.name)
}

/// Moving a ticket to another queue and priority (by name) shows in the answer, in a
/// fresh read and in the system.
pub async fn check_update_round_trip(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    id: &str,
) {
    let before = adapter.get_ticket(id).await.expect("get-ticket");
    let queues = adapter.list_queues().await.expect("list-queues");
    let priorities = adapter.list_priorities().await.expect("list-priorities");
    let queue = queues
        .iter()
        .find(|q| differs(before.queue.as_ref(), q) && q.name.is_some())
        .expect("a second named queue to move to")
        .clone();
    let priority = priorities
        .iter()
        .find(|p| differs(before.priority.as_ref(), p) && p.name.is_some())
        .expect("a second named priority")
        .clone();
    let patch = TicketPatch {
        queue: Some(EntityRef::named(queue.name.clone().unwrap())),
        priority: Some(EntityRef::named(priority.name.clone().unwrap())),
        ..TicketPatch::default()
    };
    let answered = adapter
        .update_ticket(id, &patch)
        .await
        .expect("update-ticket");
    let reread = adapter
        .get_ticket(id)
        .await
        .expect("get-ticket after update");
    for (what, t) in [
        ("the update's answer", &answered),
        ("a fresh read", &reread),
    ] {
        let q = t
            .queue
            .as_ref()
            .unwrap_or_else(|| panic!("{what} has no queue"));
        assert_eq!(q.name, queue.name, "queue in {what}");
        let p = t
            .priority
            .as_ref()
            .unwrap_or_else(|| panic!("{what} has no priority"));
        assert_eq!(p.id, priority.id, "priority in {what}");
        assert_eq!(t.tags, before.tags, "tags untouched in {what}");
    }
    let stored = probe.ticket(id).expect("the ticket exists in the system");
    assert_eq!(stored.queue, queue.name, "queue in the system");
    assert_eq!(stored.priority, priority.id, "priority in the system");
    assert_eq!(stored.tags, before.tags, "tags untouched in the system");
}

/// Adding and removing a tag keeps every other tag, even ones set outside the adapter.
pub async fn check_tags_keep_others(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    id: &str,
) {
    let others = vec!["keep-me".to_owned(), "set-by-an-agent".to_owned()];
    probe.set_ticket_tags(id, &others);
    let add = TicketPatch {
        tags: Some(TagOp::Add(vec!["triaged".into()])),
        ..TicketPatch::default()
    };
    let t = adapter.update_ticket(id, &add).await.expect("add a tag");
    let with = ["keep-me", "set-by-an-agent", "triaged"];
    assert_eq!(sorted(&t.tags), with, "tags after adding");
    assert_eq!(
        sorted(&probe.ticket(id).unwrap().tags),
        with,
        "stored tags after adding"
    );
    let remove = TicketPatch {
        tags: Some(TagOp::Remove(vec!["triaged".into()])),
        ..TicketPatch::default()
    };
    let t = adapter
        .update_ticket(id, &remove)
        .await
        .expect("remove a tag");
    assert_eq!(sorted(&t.tags), sorted(&others), "tags after removing");
    assert_eq!(
        sorted(&probe.ticket(id).unwrap().tags),
        sorted(&others),
        "stored tags after removing"
    );
}

fn sorted(tags: &[String]) -> Vec<&str> {
    let mut v: Vec<&str> = tags.iter().map(String::as_str).collect();
    v.sort_unstable();
    v
}

/// A note is stored as internal (never customer-visible), with its text.
pub async fn check_note_is_internal(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    id: &str,
) {
    let before = probe.notes(id).len();
    let note = Note {
        subject: None,
        body: "Conformance: routed to billing (confidence 0.93).".into(),
        html: false,
    };
    adapter.add_note(id, &note).await.expect("add-note");
    let notes = probe.notes(id);
    assert_eq!(notes.len(), before + 1, "one note added");
    let added = notes.last().unwrap();
    assert!(added.internal, "the note must be internal: {added:?}");
    assert!(
        added.body.contains("routed to billing"),
        "note body: {:?}",
        added.body
    );
}

/// Errors are typed: an unknown ticket is `not-found`, an unknown queue and a value the
/// system refuses are `validation` naming the field.
pub async fn check_errors_are_typed(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    id: &str,
) {
    let missing = probe.missing_ticket_id();
    let err = adapter.get_ticket(&missing).await.unwrap_err();
    assert!(
        matches!(err, AdapterError::NotFound(_)),
        "get-ticket {missing}: {err}"
    );
    let patch = TicketPatch {
        tags: Some(TagOp::Add(vec!["x".into()])),
        ..TicketPatch::default()
    };
    let err = adapter.update_ticket(&missing, &patch).await.unwrap_err();
    assert!(
        matches!(err, AdapterError::NotFound(_)),
        "update-ticket {missing}: {err}"
    );

    let unknown = TicketPatch {
        queue: Some(EntityRef::named("No Such Queue 4711")),
        ..TicketPatch::default()
    };
    match adapter.update_ticket(id, &unknown).await {
        Err(AdapterError::Validation(fields)) => assert!(
            fields
                .iter()
                .any(|f| f.message.contains("No Such Queue 4711") || f.field.contains("queue")),
            "the error should name the queue: {fields:?}"
        ),
        other => panic!("unknown queue: expected validation, got {other:?}"),
    }

    let (bad, field) = probe.invalid_patch();
    match adapter.update_ticket(id, &bad).await {
        Err(AdapterError::Validation(fields)) => assert!(
            fields
                .iter()
                .any(|f| f.field == field && !f.message.is_empty()),
            "expected a field error for {field}: {fields:?}"
        ),
        other => panic!("invalid value: expected validation on {field}, got {other:?}"),
    }
}

/// Past the system's rate limit the adapter says `rate-limited` with a retry-after.
pub async fn check_rate_limit_is_surfaced(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    id: &str,
) {
    if !probe.set_rate_limit(Some(3)) {
        eprintln!("rate limits cannot be steered here: check skipped");
        return;
    }
    let mut outcome = None;
    for _ in 0..20 {
        match adapter.get_ticket(id).await {
            Ok(_) => continue,
            Err(e) => {
                outcome = Some(e);
                break;
            }
        }
    }
    probe.set_rate_limit(None);
    match outcome {
        Some(AdapterError::RateLimited(Some(after))) => {
            assert!(!after.is_zero(), "retry-after should be positive")
        }
        other => panic!("expected rate-limited with a retry-after, got {other:?}"),
    }
    adapter
        .get_ticket(id)
        .await
        .expect("calls work again once the limit is lifted");
}

/// Server errors and dropped connections are `transient`; the adapter recovers after.
pub async fn check_faults_are_transient(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    id: &str,
) {
    for fault in [
        ProbeFault::Status(500),
        ProbeFault::Status(503),
        ProbeFault::Drop,
    ] {
        if !probe.set_faults(&[fault]) {
            eprintln!("faults cannot be injected here: check skipped");
            return;
        }
        let err = adapter.get_ticket(id).await.unwrap_err();
        probe.clear_faults();
        assert!(
            matches!(err, AdapterError::Transient(_)),
            "{fault:?}: expected transient, got {err}"
        );
        assert!(err.is_retryable());
    }
    adapter
        .get_ticket(id)
        .await
        .expect("the adapter recovers after faults");
    let scan = scan(adapter, &TicketQuery::default()).await;
    assert!(scan.is_ok(), "a scan after faults: {scan:?}");
}

/// The median of the tickets' `updated_at` in the system: a `since` that splits them.
pub fn median_updated_at(probe: &dyn SimulatorProbe) -> DateTime<Utc> {
    let mut times: Vec<DateTime<Utc>> = probe
        .all_ticket_ids()
        .iter()
        .filter_map(|id| probe.ticket(id)?.updated_at)
        .collect();
    times.sort();
    *times
        .get(times.len() / 2)
        .expect("the system holds tickets with an update time")
}

/// A scan with `updated_since` (pages of `page_size`) returns exactly the tickets the system
/// changed at or after `since`, each once. Returns them.
pub async fn check_updated_since(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    since: DateTime<Utc>,
    page_size: u32,
) -> BTreeSet<String> {
    let want: BTreeSet<String> = probe
        .all_ticket_ids()
        .into_iter()
        .filter(|id| {
            let stored = probe.ticket(id).expect("a listed ticket exists");
            stored.updated_at.expect("the system keeps update times") >= since
        })
        .collect();
    let query = TicketQuery {
        updated_since: Some(since),
        page_size,
        ..TicketQuery::default()
    };
    let scan = scan(adapter, &query).await.expect("the scan completes");
    let got: BTreeSet<String> = scan.ids.iter().cloned().collect();
    assert_eq!(got.len(), scan.ids.len(), "no duplicates");
    assert_eq!(got, want, "tickets changed since {since}");
    want
}

/// The queue every system's test data has, to move a ticket into and filter by.
pub const FILTER_QUEUE: &str = "Billing and Payments";

/// After moving ticket `id` to [`FILTER_QUEUE`], a scan for that queue and `statuses` (which
/// must cover the ticket's) finds exactly it.
pub async fn check_queue_filter(
    adapter: &dyn TicketAdapter,
    id: &str,
    statuses: &[StatusCategory],
) {
    let moved = TicketPatch {
        queue: Some(EntityRef::named(FILTER_QUEUE)),
        ..TicketPatch::default()
    };
    adapter
        .update_ticket(id, &moved)
        .await
        .expect("move the ticket");
    let query = TicketQuery {
        queues: vec![EntityRef::named(FILTER_QUEUE)],
        statuses: statuses.to_vec(),
        ..TicketQuery::default()
    };
    let scan = scan(adapter, &query).await.expect("the filtered scan");
    assert_eq!(scan.ids, [id], "the only ticket in {FILTER_QUEUE}");
}

/// Filtering by a queue the system does not have is a `validation` error (for systems that
/// can tell; Zammad's search just finds nothing); returns its fields.
pub async fn check_unknown_queue_filter_refused(adapter: &dyn TicketAdapter) -> Vec<FieldError> {
    let unknown = TicketQuery {
        queues: vec![EntityRef::named("Nowhere")],
        ..TicketQuery::default()
    };
    match adapter.find_tickets(&unknown, None).await {
        Err(AdapterError::Validation(fields)) => fields,
        other => panic!("unknown queue filter: expected validation, got {other:?}"),
    }
}

/// `change` sent with the version `stale` is a `conflict`, and the system keeps the ticket
/// as it was. Then ask the system whether it saw a write request, and send it again with
/// [`check_current_version_accepted`].
pub async fn check_stale_version_refused(
    adapter: &dyn TicketAdapter,
    probe: &dyn SimulatorProbe,
    id: &str,
    change: &TicketPatch,
    stale: &str,
) {
    let before = probe.ticket(id).expect("the ticket exists");
    let patch = TicketPatch {
        if_version: Some(stale.to_owned()),
        ..change.clone()
    };
    let err = adapter.update_ticket(id, &patch).await.unwrap_err();
    assert!(matches!(err, AdapterError::Conflict(_)), "{err}");
    assert_eq!(
        probe.ticket(id).as_ref(),
        Some(&before),
        "nothing written in the system"
    );
}

/// `change` sent with the version a fresh `get-ticket` reports goes through; returns the
/// answer and the version sent.
pub async fn check_current_version_accepted(
    adapter: &dyn TicketAdapter,
    id: &str,
    change: &TicketPatch,
) -> (Ticket, String) {
    let current = adapter.get_ticket(id).await.expect("get-ticket");
    let version = current.version.expect("get-ticket carries a version");
    let patch = TicketPatch {
        if_version: Some(version.clone()),
        ..change.clone()
    };
    let answer = adapter
        .update_ticket(id, &patch)
        .await
        .expect("an update with the current version");
    (answer, version)
}

/// Declare shared checks as tests, each on a fresh setup: an async expression giving
/// `(probe, adapter, ticket id)`. `name => check;` becomes `#[tokio::test] async fn name()`
/// running `conformance::check(&adapter, &probe, &id)`. With `variants { a = setup; … }`
/// first, each check becomes a module `name` with one test per variant (`name::a`, …).
#[macro_export]
macro_rules! conformance_tests {
    (setup = $setup:expr; $($name:ident => $check:ident;)+) => {$(
        #[tokio::test]
        async fn $name() {
            let (probe, adapter, id) = $setup.await;
            $crate::conformance::$check(&adapter, &probe, &id).await;
        }
    )+};
    (variants $variants:tt $($name:ident => $check:ident;)+) => {$(
        $crate::conformance_tests!(@module $name $check $variants);
    )+};
    (@module $name:ident $check:ident { $($variant:ident = $setup:expr;)+ }) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;
            $(
                #[tokio::test]
                async fn $variant() {
                    let (probe, adapter, id) = $setup.await;
                    $crate::conformance::$check(&adapter, &probe, &id).await;
                }
            )+
        }
    };
}

/// The generated texts (subject, description) that `n` tickets seeded with `seed` were opened
/// with, in seeding order: what a real-server suite compares the adapter's output against.
pub fn generated_texts(n: usize, seed: u64) -> Vec<(String, String)> {
    triage_sim::generate::generate(&triage_sim::generate::GenerateOptions::new(n, seed))
        .tickets
        .into_iter()
        .map(|t| (t.subject, t.description_text))
        .collect()
}
