//! Generated bindings, one frozen module per contract version, behind one enum so
//! the rest of the host never names a version.

pub(crate) mod since_v0_1_0;

use triage_core::{
    AdapterError, AdapterInfo, EntityRef, Note, Page, Ticket, TicketPatch, TicketQuery,
};
use wasmtime::Store;
use wasmtime::component::InstancePre;

use crate::guest_state::GuestState;

/// Why a call produced no usable answer: the guest faulted, or answered
/// something the host refuses to pass on.
pub(crate) enum Fault {
    Wasm(wasmtime::Error),
    BadOutput(String),
}

impl From<wasmtime::Error> for Fault {
    fn from(e: wasmtime::Error) -> Self {
        Self::Wasm(e)
    }
}

pub(crate) type Call<T> = Result<Result<T, AdapterError>, Fault>;

/// A pre-instantiated component of some contract version.
#[derive(Clone)]
pub(crate) enum AdapterPre {
    V0_1(since_v0_1_0::TicketAdapterPre<GuestState>),
}

impl AdapterPre {
    /// Type-check `pre` against the contract version the component was found to use.
    pub(crate) fn new(pre: InstancePre<GuestState>) -> wasmtime::Result<Self> {
        Ok(Self::V0_1(since_v0_1_0::TicketAdapterPre::new(pre)?))
    }

    pub(crate) async fn instantiate(
        &self,
        store: &mut Store<GuestState>,
    ) -> wasmtime::Result<AdapterBindings> {
        match self {
            Self::V0_1(pre) => Ok(AdapterBindings::V0_1(pre.instantiate_async(store).await?)),
        }
    }
}

/// A live instance, whatever its contract version.
pub(crate) enum AdapterBindings {
    V0_1(since_v0_1_0::TicketAdapter),
}

impl AdapterBindings {
    pub(crate) async fn describe(
        &self,
        store: &mut Store<GuestState>,
    ) -> Result<AdapterInfo, Fault> {
        match self {
            Self::V0_1(b) => since_v0_1_0::describe(b, store).await,
        }
    }

    pub(crate) async fn find_tickets(
        &self,
        store: &mut Store<GuestState>,
        query: &TicketQuery,
        cursor: Option<&str>,
    ) -> Call<Page> {
        match self {
            Self::V0_1(b) => since_v0_1_0::find_tickets(b, store, query, cursor).await,
        }
    }

    pub(crate) async fn get_ticket(&self, store: &mut Store<GuestState>, id: &str) -> Call<Ticket> {
        match self {
            Self::V0_1(b) => since_v0_1_0::get_ticket(b, store, id).await,
        }
    }

    pub(crate) async fn update_ticket(
        &self,
        store: &mut Store<GuestState>,
        id: &str,
        patch: &TicketPatch,
    ) -> Call<Ticket> {
        match self {
            Self::V0_1(b) => since_v0_1_0::update_ticket(b, store, id, patch).await,
        }
    }

    pub(crate) async fn add_note(
        &self,
        store: &mut Store<GuestState>,
        id: &str,
        note: &Note,
    ) -> Call<Option<String>> {
        match self {
            Self::V0_1(b) => since_v0_1_0::add_note(b, store, id, note).await,
        }
    }

    pub(crate) async fn list_queues(&self, store: &mut Store<GuestState>) -> Call<Vec<EntityRef>> {
        match self {
            Self::V0_1(b) => since_v0_1_0::list_queues(b, store).await,
        }
    }

    pub(crate) async fn list_priorities(
        &self,
        store: &mut Store<GuestState>,
    ) -> Call<Vec<EntityRef>> {
        match self {
            Self::V0_1(b) => since_v0_1_0::list_priorities(b, store).await,
        }
    }
}

/// Add every import of every supported contract version (and deny-all WASI).
pub(crate) fn add_to_linker(
    linker: &mut wasmtime::component::Linker<GuestState>,
) -> wasmtime::Result<()> {
    since_v0_1_0::add_to_linker(linker)?;
    wasmtime_wasi::p2::add_to_linker_async(linker)
}
