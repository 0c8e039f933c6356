//! The triage adapter SDK: everything an adapter author needs besides the mapping
//! code for their ticket system.
//!
//! An adapter implements [`Adapter`] and exports it with [`export_adapter!`]:
//!
//! ```ignore
//! use triage_adapter_sdk::*;
//! struct MySystem;
//! impl Adapter for MySystem { /* describe, find_tickets, ... */ }
//! export_adapter!(MySystem);
//! ```
//!
//! The adapter has no files, environment or sockets: it reaches its system only
//! through [`http::Client`], whose requests the host checks against the origins the
//! operator allowed and to which it adds the credentials. Settings come from
//! [`config`]; lines for the operator go through [`log`].

pub mod config;
pub mod cursor;
pub mod errors;
pub mod http;
pub mod log;
pub mod paging;
pub mod patch;
pub mod query;
pub mod time;

#[doc(hidden)]
pub mod bindings {
    wit_bindgen::generate!({
        world: "ticket-adapter",
        path: "../../wit/since_v0.1.0",
        pub_export_macro: true,
        default_bindings_module: "triage_adapter_sdk::bindings",
    });
}

pub use bindings::triage::adapter::types::{
    AdapterError, AdapterInfo, Capabilities, CustomField, EntityRef, FieldError, Note, Page,
    PriorityLevel, StatusCategory, TagOp, Ticket, TicketPatch, TicketQuery,
};

/// The contract version this SDK builds against.
pub const CONTRACT_VERSION: &str = "0.1.0";

/// Result of an adapter operation.
pub type AdapterResult<T> = Result<T, AdapterError>;

/// What an adapter implements: one method per contract export.
pub trait Adapter {
    /// Name, version, system and capabilities.
    fn describe() -> AdapterInfo;
    /// One page of tickets; `cursor` is what the previous page returned as `next`.
    fn find_tickets(query: TicketQuery, cursor: Option<String>) -> AdapterResult<Page>;
    /// One ticket by id.
    fn get_ticket(id: String) -> AdapterResult<Ticket>;
    /// Change only the fields set in `patch`; return the ticket as it now is.
    fn update_ticket(id: String, patch: TicketPatch) -> AdapterResult<Ticket>;
    /// Add an internal note (never customer-visible); the note id when known.
    fn add_note(id: String, note: Note) -> AdapterResult<Option<String>>;
    /// Queues a ticket can be moved to.
    fn list_queues() -> AdapterResult<Vec<EntityRef>>;
    /// Priorities a ticket can be given.
    fn list_priorities() -> AdapterResult<Vec<EntityRef>>;
}

/// An empty ticket with this id and subject, to fill in with struct update syntax.
pub fn ticket(id: impl Into<String>, subject: impl Into<String>) -> Ticket {
    Ticket {
        id: id.into(),
        number: None,
        subject: subject.into(),
        body_text: None,
        body_html: None,
        queue: None,
        priority: None,
        priority_level: None,
        status: None,
        status_category: None,
        ticket_type: None,
        tags: Vec::new(),
        custom_fields: Vec::new(),
        assignee: None,
        requester: None,
        created_at: None,
        updated_at: None,
        version: None,
        raw: None,
    }
}

/// An entity by id and name.
pub fn entity(id: impl ToString, name: Option<String>) -> EntityRef {
    EntityRef {
        id: Some(id.to_string()),
        name,
    }
}

#[doc(hidden)]
pub fn __enter() {
    static HOOK: std::sync::Once = std::sync::Once::new();
    HOOK.call_once(|| {
        // A panic becomes a trap the host reports; log the message first so the
        // operator sees why.
        std::panic::set_hook(Box::new(|info| {
            log::error(&format!("adapter panicked: {info}"))
        }));
    });
}

/// Export an [`Adapter`] implementation as the component's `adapter` interface.
#[macro_export]
macro_rules! export_adapter {
    ($adapter:ty) => {
        // Only on wasm: natively (unit tests, benchmarks) the export names are not
        // valid linker symbols, and there is no host to call them.
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            struct __TriageExport;

            impl $crate::bindings::exports::triage::adapter::adapter::Guest for __TriageExport {
                fn describe() -> $crate::AdapterInfo {
                    $crate::__enter();
                    <$adapter as $crate::Adapter>::describe()
                }
                fn find_tickets(
                    query: $crate::TicketQuery,
                    cursor: Option<String>,
                ) -> Result<$crate::Page, $crate::AdapterError> {
                    $crate::__enter();
                    <$adapter as $crate::Adapter>::find_tickets(query, cursor)
                }
                fn get_ticket(id: String) -> Result<$crate::Ticket, $crate::AdapterError> {
                    $crate::__enter();
                    <$adapter as $crate::Adapter>::get_ticket(id)
                }
                fn update_ticket(
                    id: String,
                    patch: $crate::TicketPatch,
                ) -> Result<$crate::Ticket, $crate::AdapterError> {
                    $crate::__enter();
                    <$adapter as $crate::Adapter>::update_ticket(id, patch)
                }
                fn add_note(
                    id: String,
                    note: $crate::Note,
                ) -> Result<Option<String>, $crate::AdapterError> {
                    $crate::__enter();
                    <$adapter as $crate::Adapter>::add_note(id, note)
                }
                fn list_queues() -> Result<Vec<$crate::EntityRef>, $crate::AdapterError> {
                    $crate::__enter();
                    <$adapter as $crate::Adapter>::list_queues()
                }
                fn list_priorities() -> Result<Vec<$crate::EntityRef>, $crate::AdapterError> {
                    $crate::__enter();
                    <$adapter as $crate::Adapter>::list_priorities()
                }
            }

    $crate::bindings::export!(__TriageExport with_types_in $crate::bindings);
        };
    };
}

/// Declare the routes that only read although their method is not GET (a search by POST),
/// so that the host lets them through in read-only calls (`describe`, `find-tickets`,
/// `get-ticket`, `list-*`, dry runs and checks), where every other write is refused:
///
/// ```ignore
/// read_only_routes!("POST /ticket-search", "POST /ticket-get");
/// ```
///
/// Each route is `METHOD /path`; the host matches the end of the request's path (at a
/// segment boundary, query ignored), on the connection's base origin only. The list is a
/// custom section of the component (`triage:read-only-routes`), shown by
/// `triage adapter inspect`. Declare only what truly reads: the operator sees the list.
#[macro_export]
macro_rules! read_only_routes {
    ($($route:literal),+ $(,)?) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            const TEXT: &str = concat!($($route, "\n"),+);
            #[used]
            #[link_section = "triage:read-only-routes"]
            static ROUTES: [u8; TEXT.len()] = {
                let bytes = TEXT.as_bytes();
                let mut out = [0u8; TEXT.len()];
                let mut i = 0;
                while i < bytes.len() {
                    out[i] = bytes[i];
                    i += 1;
                }
                out
            };
        };
    };
}
