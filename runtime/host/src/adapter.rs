//! A connection's adapter: warm instances, one call at a time per instance, every
//! call bounded; a faulting instance is thrown away, never reused.

use std::collections::BTreeMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use async_trait::async_trait;
use tokio::sync::Semaphore;
use triage_core::{
    AdapterError, AdapterInfo, EntityRef, Note, Page, SandboxFault, Ticket, TicketAdapter,
    TicketPatch, TicketQuery,
};
use triage_gateway::{Access, Gateway, ReadRoutes};
use wasmtime::{Store, UpdateDeadline};

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

/// Told of each fault the sandbox contained without failing the call (`log_flood`), for
/// metrics; faults that fail a call reach the caller as [`AdapterError::Sandbox`].
pub type FaultSink = Arc<dyn Fn(SandboxFault) + Send + Sync>;

struct Instance {
    store: Store<GuestState>,
    bindings: AdapterBindings,
}

/// An adapter component bound to one connection; the runtime's `TicketAdapter`.
///
/// Access per call: `describe`, `find-tickets`, `get-ticket` and `list-*` always run with a
/// read-only gateway (GET, HEAD and the adapter's declared read-only routes);
/// `update-ticket` and `add-note` may write, unless this is a [`WasmAdapter::read_only_view`]
/// (dry runs, `triage check`). A request refused as not allowed in the call fails the call
/// with [`SandboxFault::Denied`], whatever the adapter makes of the error it got.
#[derive(Clone)]
pub struct WasmAdapter {
    inner: Arc<Inner>,
    read_only: bool,
}

struct Inner {
    loaded: LoadedAdapter,
    label: Arc<str>,
    gateway: Option<Gateway>,
    read_routes: ReadRoutes,
    settings: Arc<BTreeMap<String, String>>,
    limits: SandboxLimits,
    idle: Mutex<Vec<Instance>>,
    slots: Semaphore,
    info: AdapterInfo,
    faults: OnceLock<FaultSink>,
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
        let read_routes = crate::declared::read_routes_of(&loaded.path, &loaded.sha256)
            .unwrap_or_else(|e| {
                tracing::warn!(adapter = %label, "read-only routes: {e}");
                ReadRoutes::default()
            });
        let mut inner = Inner {
            loaded: loaded.clone(),
            label,
            gateway: settings.gateway,
            read_routes,
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
            faults: OnceLock::new(),
        };
        let failed = |e: AdapterError| HostError::Instantiate {
            path: loaded.path.clone(),
            detail: e.to_string(),
        };
        let mut instance = inner.instantiate().await.map_err(failed)?;
        let info = inner
            .run(&mut instance, "describe", false, |b, s| {
                Box::pin(async move { b.describe(s).await.map(Ok) })
            })
            .await
            .map_err(failed)?;
        inner.info = info;
        inner.idle.lock().expect("idle pool").push(instance);
        Ok(Self {
            inner: Arc::new(inner),
            read_only: false,
        })
    }

    /// Report contained faults (`log_flood`) to `sink` from now on; the first sink set stays.
    pub fn report_faults(&self, sink: FaultSink) {
        let _ = self.inner.faults.set(sink);
    }

    /// The loaded component behind this adapter.
    pub fn loaded(&self) -> &LoadedAdapter {
        &self.inner.loaded
    }

    /// The read-only routes the adapter declares (shown by `triage adapter inspect`).
    pub fn read_routes(&self) -> &ReadRoutes {
        &self.inner.read_routes
    }

    /// The same adapter (same instances) with every call read-only: for dry runs and checks.
    pub fn read_only_view(&self) -> Self {
        Self {
            inner: self.inner.clone(),
            read_only: true,
        }
    }

    async fn call<T: Send>(
        &self,
        op: &'static str,
        writes: bool,
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
        let result = inner
            .run(&mut instance, op, writes && !self.read_only, f)
            .await;
        // Bad output and a refused request leave the instance sound: it may serve again.
        // One that has used up its output allowance is retired, so the next gets a fresh one.
        let faulted = matches!(
            &result,
            Err(AdapterError::Sandbox { kind, .. })
                if !matches!(kind, SandboxFault::BadOutput | SandboxFault::Denied)
        );
        if !faulted && !instance.store.data().output_spent() {
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
        let detail = self.redact(&detail);
        tracing::warn!(adapter = %self.label, call = op, fault = %kind, "{detail}");
        AdapterError::Sandbox {
            adapter: self.label.to_string(),
            kind,
            detail: format!("{op}: {detail}"),
        }
    }

    async fn instantiate(&self) -> Result<Instance, AdapterError> {
        // Refused before anything is allocated, with the numbers.
        if let Some(why) = crate::limits::refuse(&self.loaded.footprint, self.limits.memory_bytes) {
            return Err(self.fault(SandboxFault::Memory, "instantiate", why));
        }
        let mut store = Store::new(
            self.loaded.sandbox.engine(),
            GuestState::new(
                self.label.clone(),
                self.gateway.clone(),
                self.settings.clone(),
                self.limits.memory_bytes,
                self.limits.call_deadline,
            ),
        );
        store.limiter(|s| &mut s.limiter);
        // On every epoch tick the guest yields to the executor, so other tasks (the API,
        // probes, other pipelines) run while it spins; past its deadline it traps. Tokio's
        // `yield_now` (not wasmtime's plain `Yield`, which wakes at once) lets the worker
        // poll the I/O driver first: with every worker in a guest, a plain yield would leave
        // sockets unpolled for tens of ticks.
        store.epoch_deadline_callback(|store| {
            Ok(if Instant::now() >= store.data().deadline {
                UpdateDeadline::Interrupt
            } else {
                UpdateDeadline::YieldCustom(1, Box::pin(tokio::task::yield_now()))
            })
        });
        store.set_epoch_deadline(1);
        let instantiated = self.loaded.pre.instantiate(&mut store).await;
        self.report_dropped(store.data(), "instantiate");
        match instantiated {
            Ok(bindings) => Ok(Instance { store, bindings }),
            Err(e) => {
                let detail = format!("{e:#}");
                // Over the budget: grown past it, or more instances, memories or tables
                // than the store allows (counted by wasmtime as it instantiates).
                let kind = if store.data().limiter.exceeded.is_some()
                    || detail.contains("resource limit exceeded")
                {
                    SandboxFault::Memory
                } else {
                    SandboxFault::Instantiate
                };
                Err(self.fault(kind, "instantiate", detail))
            }
        }
    }

    /// Log the one record saying what output was dropped, and count it as a `log_flood`.
    fn report_dropped(&self, state: &GuestState, op: &str) {
        if let Some((_, why)) = state.end_output() {
            let kind = SandboxFault::LogFlood;
            tracing::warn!(adapter = %self.label, call = op, fault = %kind, "{why}");
            if let Some(sink) = self.faults.get() {
                sink(kind);
            }
        }
    }

    /// Text without the connection's secrets.
    fn redact(&self, text: &str) -> String {
        match &self.gateway {
            Some(g) => g.redactor().redact(text).into_owned(),
            None => text.to_owned(),
        }
    }

    async fn run<T>(
        &self,
        instance: &mut Instance,
        op: &'static str,
        writes: bool,
        f: impl for<'a> FnOnce(&'a AdapterBindings, &'a mut Store<GuestState>) -> BoxedCall<'a, T>,
    ) -> Result<T, AdapterError> {
        let access = if writes {
            Access::ReadWrite
        } else {
            Access::ReadOnly(self.read_routes.clone())
        };
        let deadline = self.limits.call_deadline;
        instance.store.data_mut().begin_call(access, deadline);
        instance.store.set_epoch_deadline(1);
        let outcome = tokio::time::timeout(
            deadline + STUCK_GRACE,
            f(&instance.bindings, &mut instance.store),
        )
        .await;
        self.report_dropped(instance.store.data(), op);
        // A call that ended normally after a refused request is the denied fault; one that
        // trapped or ran out of time is that fault (and its instance is discarded).
        if matches!(outcome, Ok(Ok(_)))
            && let Some(why) = instance.store.data_mut().refused.take()
        {
            return Err(self.fault(SandboxFault::Denied, op, why));
        }
        match outcome {
            Ok(Ok(answer)) => answer.map_err(|e| redact_error(e, |t| self.redact(t))),
            Ok(Err(Fault::BadOutput(detail))) => {
                Err(self.fault(SandboxFault::BadOutput, op, detail))
            }
            Ok(Err(Fault::Wasm(e))) => {
                let kind = if instance.store.data().limiter.exceeded.is_some() {
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
        self.call("find-tickets", false, move |b, s| {
            Box::pin(async move { b.find_tickets(s, &query, cursor.as_deref()).await })
        })
        .await
    }

    async fn get_ticket(&self, id: &str) -> Result<Ticket, AdapterError> {
        let id = id.to_owned();
        self.call("get-ticket", false, move |b, s| {
            Box::pin(async move { b.get_ticket(s, &id).await })
        })
        .await
    }

    async fn update_ticket(&self, id: &str, patch: &TicketPatch) -> Result<Ticket, AdapterError> {
        let (id, patch) = (id.to_owned(), patch.clone());
        self.call("update-ticket", true, move |b, s| {
            Box::pin(async move { b.update_ticket(s, &id, &patch).await })
        })
        .await
    }

    async fn add_note(&self, id: &str, note: &Note) -> Result<Option<String>, AdapterError> {
        let (id, note) = (id.to_owned(), note.clone());
        self.call("add-note", true, move |b, s| {
            Box::pin(async move { b.add_note(s, &id, &note).await })
        })
        .await
    }

    async fn list_queues(&self) -> Result<Vec<EntityRef>, AdapterError> {
        self.call("list-queues", false, |b, s| Box::pin(b.list_queues(s)))
            .await
    }

    async fn list_priorities(&self) -> Result<Vec<EntityRef>, AdapterError> {
        self.call("list-priorities", false, |b, s| {
            Box::pin(b.list_priorities(s))
        })
        .await
    }

    fn read_only(&self) -> Option<Arc<dyn TicketAdapter>> {
        Some(Arc::new(self.read_only_view()))
    }
}

/// An adapter's own error with the connection's secrets cut out of its messages.
fn redact_error(e: AdapterError, redact: impl Fn(&str) -> String) -> AdapterError {
    use AdapterError as E;
    match e {
        E::Auth(m) => E::Auth(redact(&m)),
        E::Forbidden(m) => E::Forbidden(redact(&m)),
        E::NotFound(m) => E::NotFound(redact(&m)),
        E::Validation(fields) => E::Validation(
            fields
                .into_iter()
                .map(|mut f| {
                    f.field = redact(&f.field);
                    f.code = redact(&f.code);
                    f.message = redact(&f.message);
                    f
                })
                .collect(),
        ),
        E::Conflict(m) => E::Conflict(redact(&m)),
        E::Transient(m) => E::Transient(redact(&m)),
        E::Unsupported(m) => E::Unsupported(redact(&m)),
        E::Protocol(m) => E::Protocol(redact(&m)),
        other @ (E::RateLimited(_) | E::Sandbox { .. }) => other,
    }
}
