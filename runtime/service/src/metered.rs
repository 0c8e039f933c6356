//! An adapter wrapper that times every call and counts sandbox faults, and a
//! slot that lets a reloaded adapter replace the old one between passes.

use std::sync::{Arc, RwLock};
use std::time::Instant;

use async_trait::async_trait;
use triage_core::{
    AdapterError, AdapterInfo, EntityRef, Note, Page, Ticket, TicketAdapter, TicketPatch,
    TicketQuery,
};

use crate::metrics::Metrics;

/// Times calls of the adapter it wraps.
pub struct MeteredAdapter {
    connection: String,
    inner: Arc<dyn TicketAdapter>,
    metrics: Arc<Metrics>,
}

impl MeteredAdapter {
    /// Wrap `inner`, reporting under `connection`.
    pub fn new(connection: &str, inner: Arc<dyn TicketAdapter>, metrics: Arc<Metrics>) -> Self {
        Self {
            connection: connection.to_owned(),
            inner,
            metrics,
        }
    }

    fn observe<T>(&self, call: &str, started: Instant, result: &Result<T, AdapterError>) {
        let fault = match result {
            Err(AdapterError::Sandbox { kind, .. }) => Some(kind.as_str()),
            _ => None,
        };
        self.metrics
            .adapter_call(&self.connection, call, started.elapsed(), fault);
    }
}

macro_rules! metered {
    ($self:ident, $call:literal, $e:expr) => {{
        let started = Instant::now();
        let result = $e.await;
        $self.observe($call, started, &result);
        result
    }};
}

#[async_trait]
impl TicketAdapter for MeteredAdapter {
    fn info(&self) -> &AdapterInfo {
        self.inner.info()
    }

    async fn find_tickets(
        &self,
        query: &TicketQuery,
        cursor: Option<String>,
    ) -> Result<Page, AdapterError> {
        metered!(self, "find-tickets", self.inner.find_tickets(query, cursor))
    }

    async fn get_ticket(&self, id: &str) -> Result<Ticket, AdapterError> {
        metered!(self, "get-ticket", self.inner.get_ticket(id))
    }

    async fn update_ticket(&self, id: &str, patch: &TicketPatch) -> Result<Ticket, AdapterError> {
        metered!(self, "update-ticket", self.inner.update_ticket(id, patch))
    }

    async fn add_note(&self, id: &str, note: &Note) -> Result<Option<String>, AdapterError> {
        metered!(self, "add-note", self.inner.add_note(id, note))
    }

    async fn list_queues(&self) -> Result<Vec<EntityRef>, AdapterError> {
        metered!(self, "list-queues", self.inner.list_queues())
    }

    async fn list_priorities(&self) -> Result<Vec<EntityRef>, AdapterError> {
        metered!(self, "list-priorities", self.inner.list_priorities())
    }

    fn read_only(&self) -> Option<Arc<dyn TicketAdapter>> {
        let inner = self.inner.read_only()?;
        Some(Arc::new(Self {
            connection: self.connection.clone(),
            inner,
            metrics: self.metrics.clone(),
        }))
    }
}

/// The adapter a connection uses now. A pass takes the current one when it
/// starts and keeps it to its end, so a reload never cuts a pass in half.
pub struct AdapterSlot {
    current: RwLock<Arc<dyn TicketAdapter>>,
}

impl AdapterSlot {
    /// A slot holding `adapter`.
    pub fn new(adapter: Arc<dyn TicketAdapter>) -> Self {
        Self {
            current: RwLock::new(adapter),
        }
    }

    /// The adapter for the next pass.
    pub fn current(&self) -> Arc<dyn TicketAdapter> {
        self.current.read().expect("slot lock").clone()
    }

    /// Replace it; passes under way keep the old one.
    pub fn replace(&self, adapter: Arc<dyn TicketAdapter>) {
        *self.current.write().expect("slot lock") = adapter;
    }
}
