//! A connection's adapter: warm instances, one call at a time per instance, every
//! call bounded; a faulting instance is thrown away, never reused.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use tokio::sync::Semaphore;
use triage_core::{
    AdapterError, AdapterInfo, EntityRef, Note, Page, SandboxFault, Ticket, TicketAdapter,
    TicketPatch, TicketQuery,
};
use triage_gateway::Gateway;
use wasmtime::Store;

use crate::bindings::{AdapterBindings, Call, Fault};
use crate::guest_state::GuestState;
use crate::{HostError, LoadedAdapter, SandboxLimits};

/// Grace beyond the epoch deadline before the host drops a call that is stuck in
/// a host import (the epoch check only fires while guest code runs).
const STUCK_GRACE: Duration = Duration::from_millis(500);

/// What a connection gives its adapter.
#[derive(Debug, Clone, Default)]
pub struct AdapterSettings {
    /// Connection name, used in logs and errors.
    pub connection: String,
    /// The door out; `None` denies every request (for inspection).
    pub gateway: Option<Gateway>,
    /// Non-secret settings the adapter reads through `config`.
    pub settings: BTreeMap<String, String>,
    /// Bounds.
    pub limits: SandboxLimits,
}

struct Instance {
    store: Store<GuestState>,
    bindings: AdapterBindings,
}

/// An adapter component bound to one connection; the runtime's `TicketAdapter`.
#[derive(Clone)]
pub struct WasmAdapter {
    inner: Arc<Inner>,
}

struct Inner {
    loaded: LoadedAdapter,
    label: Arc<str>,
    gateway: Option<Gateway>,
    settings: Arc<BTreeMap<String, String>>,
    limits: SandboxLimits,
    idle: Mutex<Vec<Instance>>,
    slots: Semaphore,
    info: AdapterInfo,
}

type BoxedCall<'a, T> = Pin<Box<dyn Future<Output = Call<T>> + Send + 'a>>;

impl WasmAdapter {
    /// Instantiate the adapter for a connection and ask it to describe itself.
    pub async fn connect(
        loaded: &LoadedAdapter,
        settings: AdapterSettings,
    ) -> Result<Self, HostError> {
        let label: Arc<str> = if settings.connection.is_empty() {
            loaded.path.display().to_string().into()
        } else {
            settings.connection.clone().into()
        };
        let mut inner = Inner {
            loaded: loaded.clone(),
            label,
            gateway: settings.gateway,
            settings: Arc::new(settings.settings),
            limits: settings.limits,
            idle: Mutex::new(Vec::new()),
            slots: Semaphore::new(settings.limits.instances.max(1)),
            info: AdapterInfo {
                name: String::new(),
                version: String::new(),
                system: String::new(),
                capabilities: Default::default(),
                max_page_size: 0,
            },
        };
        let failed = |e: AdapterError| HostError::Instantiate {
            path: loaded.path.clone(),
            detail: e.to_string(),
        };
        let mut instance = inner.instantiate().await.map_err(failed)?;
        let info = inner
            .run(&mut instance, "describe", |b, s| {
                Box::pin(async move { b.describe(s).await.map(Ok) })
            })
            .await
            .map_err(failed)?;
        inner.info = info;
        inner.idle.lock().expect("idle pool").push(instance);
        Ok(Self {
            inner: Arc::new(inner),
        })
    }

    /// The loaded component behind this adapter.
    pub fn loaded(&self) -> &LoadedAdapter {
        &self.inner.loaded
    }

    async fn call<T: Send>(
        &self,
        op: &'static str,
        f: impl for<'a> FnOnce(&'a AdapterBindings, &'a mut Store<GuestState>) -> BoxedCall<'a, T>
        + Send,
    ) -> Result<T, AdapterError> {
        let inner = &*self.inner;
        let _slot = inner.slots.acquire().await.expect("semaphore never closed");
        let pooled = inner.idle.lock().expect("idle pool").pop();
        let mut instance = match pooled {
            Some(instance) => instance,
            None => inner.instantiate().await?,
        };
        let result = inner.run(&mut instance, op, f).await;
        let faulted = matches!(
            &result,
            Err(AdapterError::Sandbox { kind, .. }) if *kind != SandboxFault::BadOutput
        );
        if !faulted {
            let mut idle = inner.idle.lock().expect("idle pool");
            if idle.len() < inner.limits.instances {
                idle.push(instance);
            }
        }
        result
    }
}

impl Inner {
    fn fault(&self, kind: SandboxFault, op: &str, detail: String) -> AdapterError {
        tracing::warn!(adapter = %self.label, call = op, fault = %kind, "{detail}");
        AdapterError::Sandbox {
            adapter: self.label.to_string(),
            kind,
            detail: format!("{op}: {detail}"),
        }
    }

    async fn instantiate(&self) -> Result<Instance, AdapterError> {
        let mut store = Store::new(
            self.loaded.sandbox.engine(),
            GuestState::new(
                self.label.clone(),
                self.gateway.clone(),
                self.settings.clone(),
                self.limits.memory_bytes,
            ),
        );
        store.limiter(|s| &mut s.limiter);
        store.epoch_deadline_trap();
        store.set_epoch_deadline(self.deadline_ticks());
        match self.loaded.pre.instantiate(&mut store).await {
            Ok(bindings) => Ok(Instance { store, bindings }),
            Err(e) => {
                let kind = if store.data().limiter.exceeded {
                    SandboxFault::Memory
                } else {
                    SandboxFault::Instantiate
                };
                Err(self.fault(kind, "instantiate", format!("{e:#}")))
            }
        }
    }

    fn deadline_ticks(&self) -> u64 {
        let tick = self.loaded.sandbox.epoch_tick().as_nanos().max(1);
        (self.limits.call_deadline.as_nanos().div_ceil(tick) as u64).max(1)
    }

    async fn run<T>(
        &self,
        instance: &mut Instance,
        op: &'static str,
        f: impl for<'a> FnOnce(&'a AdapterBindings, &'a mut Store<GuestState>) -> BoxedCall<'a, T>,
    ) -> Result<T, AdapterError> {
        instance.store.data_mut().begin_call();
        instance.store.set_epoch_deadline(self.deadline_ticks());
        let limit = self.limits.call_deadline + STUCK_GRACE;
        let outcome = tokio::time::timeout(limit, f(&instance.bindings, &mut instance.store)).await;
        match outcome {
            Ok(Ok(answer)) => answer,
            Ok(Err(Fault::BadOutput(detail))) => {
                Err(self.fault(SandboxFault::BadOutput, op, detail))
            }
            Ok(Err(Fault::Wasm(e))) => {
                let kind = if instance.store.data().limiter.exceeded {
                    SandboxFault::Memory
                } else if e.downcast_ref::<wasmtime::Trap>() == Some(&wasmtime::Trap::Interrupt) {
                    SandboxFault::Deadline
                } else {
                    SandboxFault::Trap
                };
                Err(self.fault(kind, op, format!("{e:#}")))
            }
            Err(_) => Err(self.fault(
                SandboxFault::Deadline,
                op,
                format!("no answer within {:?}", self.limits.call_deadline),
            )),
        }
    }
}

#[async_trait]
impl TicketAdapter for WasmAdapter {
    fn info(&self) -> &AdapterInfo {
        &self.inner.info
    }

    async fn find_tickets(
        &self,
        query: &TicketQuery,
        cursor: Option<String>,
    ) -> Result<Page, AdapterError> {
        let query = query.clone();
        self.call("find-tickets", move |b, s| {
            Box::pin(async move { b.find_tickets(s, &query, cursor.as_deref()).await })
        })
        .await
    }

    async fn get_ticket(&self, id: &str) -> Result<Ticket, AdapterError> {
        let id = id.to_owned();
        self.call("get-ticket", move |b, s| {
            Box::pin(async move { b.get_ticket(s, &id).await })
        })
        .await
    }

    async fn update_ticket(&self, id: &str, patch: &TicketPatch) -> Result<Ticket, AdapterError> {
        let (id, patch) = (id.to_owned(), patch.clone());
        self.call("update-ticket", move |b, s| {
            Box::pin(async move { b.update_ticket(s, &id, &patch).await })
        })
        .await
    }

    async fn add_note(&self, id: &str, note: &Note) -> Result<Option<String>, AdapterError> {
        let (id, note) = (id.to_owned(), note.clone());
        self.call("add-note", move |b, s| {
            Box::pin(async move { b.add_note(s, &id, &note).await })
        })
        .await
    }

    async fn list_queues(&self) -> Result<Vec<EntityRef>, AdapterError> {
        self.call("list-queues", |b, s| Box::pin(b.list_queues(s)))
            .await
    }

    async fn list_priorities(&self) -> Result<Vec<EntityRef>, AdapterError> {
        self.call("list-priorities", |b, s| Box::pin(b.list_priorities(s)))
            .await
    }
}
