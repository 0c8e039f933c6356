//! Contract `triage:adapter@0.1.0`: bindings and the one place its types are
//! converted to and from the runtime's.

use std::collections::BTreeMap;
use std::time::Duration;

use chrono::{DateTime, Utc};
use triage_core as core;
use wasmtime::Store;
use wasmtime::component::HasSelf;

use super::{Call, Fault};
use crate::guest_state::GuestState;

wasmtime::component::bindgen!({
    world: "ticket-adapter",
    path: "../../wit/since_v0.1.0",
    imports: { default: async },
    exports: { default: async },
});

use triage::adapter::{config, http, log, types as wit};

pub(crate) fn add_to_linker(
    linker: &mut wasmtime::component::Linker<GuestState>,
) -> wasmtime::Result<()> {
    TicketAdapter::add_to_linker::<GuestState, HasSelf<GuestState>>(linker, |s| s)
}

// ---- imports: thin shims over the version-independent GuestState ----

impl wit::Host for GuestState {}

impl http::Host for GuestState {
    async fn send(&mut self, request: http::Request) -> Result<http::Response, http::HttpError> {
        let method = match request.method {
            http::Method::Get => triage_gateway::Method::Get,
            http::Method::Head => triage_gateway::Method::Head,
            http::Method::Post => triage_gateway::Method::Post,
            http::Method::Put => triage_gateway::Method::Put,
            http::Method::Patch => triage_gateway::Method::Patch,
            http::Method::Delete => triage_gateway::Method::Delete,
        };
        let outbound = triage_gateway::OutboundRequest {
            method,
            url: request.url,
            headers: request.headers,
            body: request.body,
        };
        use triage_gateway::GatewayError as E;
        match self.send_http(outbound).await {
            Ok(r) => Ok(http::Response {
                status: r.status,
                headers: r.headers,
                body: r.body,
            }),
            Err(e) => Err(match e {
                E::Denied(m) | E::Refused(m) => http::HttpError::Denied(m),
                E::Timeout => http::HttpError::Timeout,
                E::TooLarge(n) => http::HttpError::TooLarge(n),
                E::RequestLimit(n) => http::HttpError::RequestLimit(n),
                E::Connect(m) => http::HttpError::Connect(m),
                E::InvalidRequest(m) => http::HttpError::InvalidRequest(m),
                E::Protocol(m) => http::HttpError::Protocol(m),
            }),
        }
    }
}

impl log::Host for GuestState {
    async fn log(&mut self, level: log::Level, message: String) {
        let level = match level {
            log::Level::Trace => tracing::Level::TRACE,
            log::Level::Debug => tracing::Level::DEBUG,
            log::Level::Info => tracing::Level::INFO,
            log::Level::Warn => tracing::Level::WARN,
            log::Level::Error => tracing::Level::ERROR,
        };
        self.log_line(level, &message);
    }
}

impl config::Host for GuestState {
    async fn get(&mut self, key: String) -> Option<String> {
        self.settings().get(&key).cloned()
    }

    async fn entries(&mut self) -> Vec<(String, String)> {
        self.settings()
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }
}

// ---- exports ----

pub(crate) async fn describe(
    b: &TicketAdapter,
    store: &mut Store<GuestState>,
) -> Result<core::AdapterInfo, Fault> {
    let info = b.triage_adapter_adapter().call_describe(store).await?;
    let caps = info.capabilities;
    Ok(core::AdapterInfo {
        name: info.name,
        version: info.version,
        system: info.system,
        capabilities: core::Capabilities {
            tags: caps.contains(wit::Capabilities::TAGS),
            internal_notes: caps.contains(wit::Capabilities::INTERNAL_NOTES),
            custom_fields: caps.contains(wit::Capabilities::CUSTOM_FIELDS),
            native_search: caps.contains(wit::Capabilities::NATIVE_SEARCH),
            total_count: caps.contains(wit::Capabilities::TOTAL_COUNT),
            optimistic_locking: caps.contains(wit::Capabilities::OPTIMISTIC_LOCKING),
        },
        max_page_size: info.max_page_size,
    })
}

pub(crate) async fn find_tickets(
    b: &TicketAdapter,
    store: &mut Store<GuestState>,
    query: &core::TicketQuery,
    cursor: Option<&str>,
) -> Call<core::Page> {
    let query = wit::TicketQuery {
        queues: query.queues.iter().map(entity_out).collect(),
        statuses: query.statuses.iter().map(|s| status_out(*s)).collect(),
        updated_since: query.updated_since.map(|t| t.to_rfc3339()),
        native: query.native.clone(),
        page_size: query.page_size,
    };
    let cursor = cursor.map(str::to_owned);
    let reply = b
        .triage_adapter_adapter()
        .call_find_tickets(store, &query, cursor.as_ref())
        .await?;
    answer(reply, |page| {
        Ok(core::Page {
            tickets: page
                .tickets
                .into_iter()
                .map(ticket_in)
                .collect::<Result<_, _>>()?,
            next: page.next,
            total: page.total,
        })
    })
}

pub(crate) async fn get_ticket(
    b: &TicketAdapter,
    store: &mut Store<GuestState>,
    id: &str,
) -> Call<core::Ticket> {
    let reply = b
        .triage_adapter_adapter()
        .call_get_ticket(store, id)
        .await?;
    answer(reply, ticket_in)
}

pub(crate) async fn update_ticket(
    b: &TicketAdapter,
    store: &mut Store<GuestState>,
    id: &str,
    patch: &core::TicketPatch,
) -> Call<core::Ticket> {
    let patch = wit::TicketPatch {
        queue: patch.queue.as_ref().map(entity_out),
        priority: patch.priority.as_ref().map(entity_out),
        tags: patch.tags.as_ref().map(|op| match op {
            core::TagOp::Add(t) => wit::TagOp::Add(t.clone()),
            core::TagOp::Remove(t) => wit::TagOp::Remove(t.clone()),
            core::TagOp::Replace(t) => wit::TagOp::Replace(t.clone()),
        }),
        custom_fields: patch
            .custom_fields
            .iter()
            .map(|(name, value)| wit::CustomField {
                name: name.clone(),
                value: value.to_string(),
            })
            .collect(),
        if_version: patch.if_version.clone(),
    };
    let reply = b
        .triage_adapter_adapter()
        .call_update_ticket(store, id, &patch)
        .await?;
    answer(reply, ticket_in)
}

pub(crate) async fn add_note(
    b: &TicketAdapter,
    store: &mut Store<GuestState>,
    id: &str,
    note: &core::Note,
) -> Call<Option<String>> {
    let note = wit::Note {
        subject: note.subject.clone(),
        body: note.body.clone(),
        html: note.html,
    };
    let reply = b
        .triage_adapter_adapter()
        .call_add_note(store, id, &note)
        .await?;
    answer(reply, Ok)
}

pub(crate) async fn list_queues(
    b: &TicketAdapter,
    store: &mut Store<GuestState>,
) -> Call<Vec<core::EntityRef>> {
    let reply = b.triage_adapter_adapter().call_list_queues(store).await?;
    answer(reply, |list| Ok(list.into_iter().map(entity_in).collect()))
}

pub(crate) async fn list_priorities(
    b: &TicketAdapter,
    store: &mut Store<GuestState>,
) -> Call<Vec<core::EntityRef>> {
    let reply = b
        .triage_adapter_adapter()
        .call_list_priorities(store)
        .await?;
    answer(reply, |list| Ok(list.into_iter().map(entity_in).collect()))
}

// ---- conversions ----

fn answer<W, T>(
    reply: Result<W, wit::AdapterError>,
    convert: impl FnOnce(W) -> Result<T, String>,
) -> Call<T> {
    match reply {
        Ok(value) => convert(value).map(Ok).map_err(Fault::BadOutput),
        Err(e) => Ok(Err(error_in(e))),
    }
}

fn error_in(e: wit::AdapterError) -> core::AdapterError {
    use core::AdapterError as E;
    match e {
        wit::AdapterError::Auth(m) => E::Auth(m),
        wit::AdapterError::Forbidden(m) => E::Forbidden(m),
        wit::AdapterError::NotFound(m) => E::NotFound(m),
        wit::AdapterError::Validation(fields) => E::Validation(
            fields
                .into_iter()
                .map(|f| core::FieldError {
                    field: f.field,
                    code: f.code,
                    message: f.message,
                })
                .collect(),
        ),
        wit::AdapterError::RateLimited(ms) => E::RateLimited(ms.map(Duration::from_millis)),
        wit::AdapterError::Conflict(m) => E::Conflict(m),
        wit::AdapterError::Transient(m) => E::Transient(m),
        wit::AdapterError::Unsupported(m) => E::Unsupported(m),
        wit::AdapterError::Protocol(m) => E::Protocol(m),
    }
}

fn entity_in(e: wit::EntityRef) -> core::EntityRef {
    core::EntityRef {
        id: e.id,
        name: e.name,
    }
}

fn entity_out(e: &core::EntityRef) -> wit::EntityRef {
    wit::EntityRef {
        id: e.id.clone(),
        name: e.name.clone(),
    }
}

fn status_out(s: core::StatusCategory) -> wit::StatusCategory {
    use core::StatusCategory as S;
    match s {
        S::New => wit::StatusCategory::New,
        S::Open => wit::StatusCategory::Open,
        S::Pending => wit::StatusCategory::Pending,
        S::Resolved => wit::StatusCategory::Resolved,
        S::Closed => wit::StatusCategory::Closed,
        S::Other => wit::StatusCategory::Other,
    }
}

fn status_in(s: wit::StatusCategory) -> core::StatusCategory {
    use core::StatusCategory as S;
    match s {
        wit::StatusCategory::New => S::New,
        wit::StatusCategory::Open => S::Open,
        wit::StatusCategory::Pending => S::Pending,
        wit::StatusCategory::Resolved => S::Resolved,
        wit::StatusCategory::Closed => S::Closed,
        wit::StatusCategory::Other => S::Other,
    }
}

fn priority_in(p: wit::PriorityLevel) -> core::PriorityLevel {
    match p {
        wit::PriorityLevel::Low => core::PriorityLevel::Low,
        wit::PriorityLevel::Medium => core::PriorityLevel::Medium,
        wit::PriorityLevel::High => core::PriorityLevel::High,
        wit::PriorityLevel::Urgent => core::PriorityLevel::Urgent,
    }
}

fn time_in(
    ticket: &str,
    field: &str,
    value: Option<String>,
) -> Result<Option<DateTime<Utc>>, String> {
    value
        .map(|v| {
            DateTime::parse_from_rfc3339(&v)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| format!("ticket {ticket}: {field} {v:?} is not RFC 3339: {e}"))
        })
        .transpose()
}

fn json_in(ticket: &str, field: &str, text: &str) -> Result<serde_json::Value, String> {
    serde_json::from_str(text).map_err(|e| format!("ticket {ticket}: {field} is not JSON: {e}"))
}

fn ticket_in(t: wit::Ticket) -> Result<core::Ticket, String> {
    let id = t.id;
    let custom_fields = t
        .custom_fields
        .into_iter()
        .map(|f| {
            let value = json_in(&id, &format!("custom field {}", f.name), &f.value)?;
            Ok((f.name, value))
        })
        .collect::<Result<BTreeMap<_, _>, String>>()?;
    Ok(core::Ticket {
        created_at: time_in(&id, "created-at", t.created_at)?,
        updated_at: time_in(&id, "updated-at", t.updated_at)?,
        raw: t.raw.map(|r| json_in(&id, "raw", &r)).transpose()?,
        number: t.number,
        subject: t.subject,
        body_text: t.body_text,
        body_html: t.body_html,
        queue: t.queue.map(entity_in),
        priority: t.priority.map(entity_in),
        priority_level: t.priority_level.map(priority_in),
        status: t.status.map(entity_in),
        status_category: t.status_category.map(status_in),
        ticket_type: t.ticket_type.map(entity_in),
        tags: t.tags,
        custom_fields,
        assignee: t.assignee.map(entity_in),
        requester: t.requester.map(entity_in),
        version: t.version,
        id,
    })
}
