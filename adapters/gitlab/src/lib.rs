//! The GitLab issues API v4 adapter: a project's issues as tickets, as GitLab Service Desk
//! files them.
//!
//! Settings (non-secret, from the connection): `project` (required: the numeric id, or the
//! path `group/project`, sent URL-encoded), `base_url` (the server root, e.g.
//! `https://gitlab.example.com` or a simulator's `http://127.0.0.1:PORT`; without it paths
//! resolve against the connection's base URL), `queue_prefix` (default `queue::`) and
//! `priority_prefix` (default `priority::`). The host adds the credential: a personal,
//! project or group access token as the `PRIVATE-TOKEN` header, or a token as Bearer. The
//! adapter never sees it.
//!
//! Each API decision, with its evidence (`shared/reference/ticket-apis.md` "GitLab" is [R];
//! GitLab's REST docs as remembered and found through the search corpus are [D]; `[U]` marks
//! a choice neither makes explicit, made the same way in `runtime/sim/src/gitlab` so a
//! correction is one place to change):
//! - **Ticket id** is the issue's `iid` (its number in the project: what people see as
//!   `#12`, and what every issue path takes) [D]; `number` is `#iid`. The global `id` is
//!   only in `raw`. One connection is one project, so iids are unique.
//! - **Listing**: `GET /projects/:id/issues?order_by=updated_at&sort=asc&updated_after=…`
//!   [R: `updated_after`, `per_page` ≤ 100, `X-Next-Page`, `Link`; D: `updated_after` is
//!   inclusive, ties ordered by id]. Offset pages only: keyset pagination is not offered for
//!   project issues [D, `[U]` for newer releases], so a sliding `updated_after` window and a
//!   tail of ids read at its newest millisecond give exactly-once scans (`find.rs`).
//!   `X-Total` is absent past 10,000 matches [D]; nothing relies on it.
//! - **Queues and priorities** are scoped labels (`queue::Billing`, `priority::high`) [R];
//!   the entity id is the whole label, the name its value. `list-queues` and
//!   `list-priorities` read `GET /projects/:id/labels` [D]. Priority levels come from the
//!   usual value names (low/medium/normal/high/urgent/critical, P1–P4) [U].
//! - **Writes**: `PUT /projects/:id/issues/:iid` with `add_labels` / `remove_labels`
//!   (comma-separated) [R], which keep other labels; `labels` replaces them all and is never
//!   sent. Removal is applied after addition [D: `IssuableBaseService#process_label_ids`].
//!   A label an update names is created if missing [D], so queue and priority names are
//!   checked first. Scoped-label exclusivity is a Premium feature [D]; the adapter removes
//!   the other labels of the scope itself (`update.rs`).
//! - **Tags** are the labels that are neither queue nor priority labels.
//! - **Custom fields** are the issue attributes `due_date`, `weight`, `confidential` [D];
//!   issues have no custom fields in REST v4.
//! - **Notes**: `POST /projects/:id/issues/:iid/notes` with `internal: true` [R] and the
//!   older name `confidential: true` [D: renamed in GitLab 15.6; Grape ignores parameters
//!   an endpoint does not declare, so sending both is safe on old and new servers] [U]. A
//!   note without either is public and e-mailed to a Service Desk requester [D]. The reply
//!   is checked: a note stored public is reported as a `protocol` error, not retried.
//! - **Errors**: 404 `{"message":"404 Issue Not Found"}` is `not-found`; 400
//!   `{"message":{attr:[…]}}` and `{"error":"attr is invalid"}` become field errors, `title`
//!   as `subject`, `labels` as `tags`, the custom attributes as `custom_fields.<name>` [D
//!   shapes; U names]; 401 `{"message":"401 Unauthorized"}` is `auth`; 429 with
//!   `Retry-After` (and `RateLimit-*`) is `rate-limited` [R: RateLimit headers, U: on every
//!   reply]; 5xx and dropped connections are `transient`.
//! - **Versions**: `updated_at` (milliseconds). REST v4 has no conditional update, so
//!   `if-version` is compared with a fresh read (`update.rs`) and `optimistic-locking` is
//!   not claimed.
//!
//! See `adapters/README.md` for how it differs from the other adapters.

pub mod api;
pub mod find;
pub mod map;
pub mod update;

use serde_json::json;
use triage_adapter_sdk::http::Method;
use triage_adapter_sdk::*;

use crate::map::Prefixes;

/// The adapter; exported as the component's `adapter` interface on wasm32.
pub struct Gitlab;

/// Ticket ids are iids; anything else cannot exist (`#12` is taken as 12).
fn iid(id: &str) -> AdapterResult<u64> {
    id.trim().trim_start_matches('#').parse().map_err(|_| {
        AdapterError::NotFound(format!(
            "GitLab issue ids are the project's issue numbers (iid), not {id:?}"
        ))
    })
}

/// A 404 names the issue.
fn about(iid: u64, e: AdapterError) -> AdapterError {
    match e {
        AdapterError::NotFound(m) => AdapterError::NotFound(format!("issue #{iid}: {m}")),
        other => other,
    }
}

/// The project labels with `prefix`, as entities.
fn scoped_labels(prefix: &str) -> AdapterResult<Vec<EntityRef>> {
    Ok(api::fetch_labels()?
        .iter()
        .filter_map(|l| map::label_entity(l, prefix))
        .collect())
}

impl Adapter for Gitlab {
    fn describe() -> AdapterInfo {
        AdapterInfo {
            name: "gitlab".into(),
            version: env!("CARGO_PKG_VERSION").into(),
            system: "GitLab issues API v4 (Service Desk)".into(),
            capabilities: Capabilities::TAGS
                | Capabilities::INTERNAL_NOTES
                | Capabilities::CUSTOM_FIELDS
                | Capabilities::NATIVE_SEARCH,
            max_page_size: find::PAGE_MAX,
        }
    }

    fn find_tickets(query: TicketQuery, cursor: Option<String>) -> AdapterResult<Page> {
        find::find(&query, cursor.as_deref())
    }

    fn get_ticket(id: String) -> AdapterResult<Ticket> {
        let iid = iid(&id)?;
        map::ticket_from(
            &update::fetch(iid).map_err(|e| about(iid, e))?,
            &Prefixes::from_config(),
        )
    }

    fn update_ticket(id: String, patch: TicketPatch) -> AdapterResult<Ticket> {
        let iid = iid(&id)?;
        let written = update::update(iid, &patch).map_err(|e| about(iid, e))?;
        map::ticket_from(&written, &Prefixes::from_config())
    }

    fn add_note(id: String, note: Note) -> AdapterResult<Option<String>> {
        let iid = iid(&id)?;
        let body = map::note_body(note.subject.as_deref(), &note.body);
        let reply = api::send(
            Method::Post,
            &format!("/issues/{iid}/notes"),
            &json!({"body": body, "internal": true, "confidential": true}),
        )
        .map_err(|e| about(iid, e))?;
        let public = [&reply["internal"], &reply["confidential"]]
            .iter()
            .all(|f| f.as_bool() == Some(false));
        let note_id = reply["id"].as_u64().map(|n| n.to_string());
        if public {
            return Err(AdapterError::Protocol(format!(
                "issue #{iid}: GitLab stored note {} as public although it was sent internal; check the server version",
                note_id.as_deref().unwrap_or("?")
            )));
        }
        Ok(note_id)
    }

    fn list_queues() -> AdapterResult<Vec<EntityRef>> {
        scoped_labels(&Prefixes::from_config().queue)
    }

    fn list_priorities() -> AdapterResult<Vec<EntityRef>> {
        scoped_labels(&Prefixes::from_config().priority)
    }
}

export_adapter!(Gitlab);
