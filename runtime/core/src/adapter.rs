//! The one boundary the pipeline calls: a ticket system behind an adapter.

use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};

use crate::{AdapterError, EntityRef, Note, Page, Ticket, TicketPatch, TicketQuery};

/// What an adapter can do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capabilities {
    /// Tags can be read and changed.
    pub tags: bool,
    /// Internal notes can be added.
    pub internal_notes: bool,
    /// Custom fields can be read and changed.
    pub custom_fields: bool,
    /// `TicketQuery::native` is understood.
    pub native_search: bool,
    /// Pages carry a total count.
    pub total_count: bool,
    /// `TicketPatch::if_version` is honoured.
    pub optimistic_locking: bool,
}

/// What an adapter says about itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdapterInfo {
    /// Adapter name.
    pub name: String,
    /// Adapter version.
    pub version: String,
    /// The system it speaks to.
    pub system: String,
    /// What it can do.
    pub capabilities: Capabilities,
    /// Largest page the system serves.
    pub max_page_size: u32,
}

/// A ticket system, reached through an adapter.
#[async_trait]
pub trait TicketAdapter: Send + Sync {
    /// The adapter's self-description.
    fn info(&self) -> &AdapterInfo;
    /// One page of tickets matching `query`, continuing from `cursor`.
    async fn find_tickets(
        &self,
        query: &TicketQuery,
        cursor: Option<String>,
    ) -> Result<Page, AdapterError>;
    /// One ticket by id.
    async fn get_ticket(&self, id: &str) -> Result<Ticket, AdapterError>;
    /// Change the fields set in `patch`; returns the ticket as it now is.
    async fn update_ticket(&self, id: &str, patch: &TicketPatch) -> Result<Ticket, AdapterError>;
    /// Add an internal note; returns the note's id when the system gives one.
    async fn add_note(&self, id: &str, note: &Note) -> Result<Option<String>, AdapterError>;
    /// The queues a ticket can be moved to.
    async fn list_queues(&self) -> Result<Vec<EntityRef>, AdapterError>;
    /// The priorities a ticket can be given.
    async fn list_priorities(&self) -> Result<Vec<EntityRef>, AdapterError>;
    /// The same adapter with every call read-only, enforced below the adapter (the sandbox
    /// refuses its writes): for dry runs and checks. `None` where that cannot be enforced.
    fn read_only(&self) -> Option<Arc<dyn TicketAdapter>> {
        None
    }
}
