//! What one adapter instance's store holds, and the version-independent side of
//! the host imports (HTTP through the gateway, log, settings).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use triage_gateway::{Access, CallBudget, Gateway, GatewayError, OutboundRequest, Response};
use wasmtime_wasi::{ResourceTable, WasiCtx, WasiCtxView, WasiView};

use crate::limits::ResourceBudget;
use crate::output::{Dropped, OutputBudget};
use crate::wasi_log::GuestOutput;

/// Longest log line accepted from a guest.
const MAX_LOG_LINE: usize = 8192;

pub(crate) struct GuestState {
    adapter: Arc<str>,
    gateway: Option<Gateway>,
    budget: CallBudget,
    access: Access,
    /// The first request of this call the gateway refused as not allowed in it.
    pub(crate) refused: Option<String>,
    settings: Arc<BTreeMap<String, String>>,
    pub(crate) limiter: ResourceBudget,
    /// When the current call (or the instantiation) must have ended; checked on each epoch tick.
    pub(crate) deadline: Instant,
    output: OutputBudget,
    stdout: GuestOutput,
    stderr: GuestOutput,
    wasi: WasiCtx,
    table: ResourceTable,
}

impl GuestState {
    pub(crate) fn new(
        adapter: Arc<str>,
        gateway: Option<Gateway>,
        settings: Arc<BTreeMap<String, String>>,
        memory_bytes: usize,
        deadline: Duration,
    ) -> Self {
        let output = OutputBudget::default();
        let stdout = GuestOutput::new(adapter.clone(), "stdout", output.clone());
        let stderr = GuestOutput::new(adapter.clone(), "stderr", output.clone());
        // Grants nothing: no preopens, no env, no args, no sockets. Output is logged.
        let wasi = WasiCtx::builder()
            .stdout(stdout.clone())
            .stderr(stderr.clone())
            .build();
        Self {
            adapter,
            gateway,
            budget: CallBudget::new(0),
            access: Access::default(),
            refused: None,
            settings,
            limiter: ResourceBudget::new(memory_bytes),
            deadline: Instant::now() + deadline,
            output,
            stdout,
            stderr,
            wasi,
            table: ResourceTable::new(),
        }
    }

    /// Start a new call with a fresh request budget and output allowance, this call's
    /// access, and a deadline `deadline` from now.
    pub(crate) fn begin_call(&mut self, access: Access, deadline: Duration) {
        self.deadline = Instant::now() + deadline;
        self.output.begin_call();
        let limit = self
            .gateway
            .as_ref()
            .map_or(0, |g| g.limits().max_requests_per_call);
        self.budget = CallBudget::new(limit);
        self.access = access;
        self.refused = None;
    }

    /// `text` without the connection's secrets (injected or learnt).
    pub(crate) fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        match &self.gateway {
            Some(gateway) => gateway.redactor().redact(text),
            None => Cow::Borrowed(text),
        }
    }

    pub(crate) async fn send_http(
        &mut self,
        request: OutboundRequest,
    ) -> Result<Response, GatewayError> {
        let sent = match &self.gateway {
            Some(gateway) => {
                gateway
                    .send_as(request, &mut self.budget, &self.access)
                    .await
            }
            None => Err(GatewayError::Denied(
                "this adapter instance has no connection (inspection only)".into(),
            )),
        };
        if let Err(GatewayError::Refused(why)) = &sent {
            self.refused.get_or_insert_with(|| why.clone());
        }
        sent
    }

    /// End a call's output: log the lines still open, and say what was dropped, if anything.
    pub(crate) fn end_output(&self) -> Option<(Dropped, String)> {
        self.stdout.flush_line();
        self.stderr.flush_line();
        let dropped = self.output.take_dropped()?;
        Some((dropped, self.output.describe(dropped)))
    }

    /// Whether this instance has used up its output allowance and should not serve again.
    pub(crate) fn output_spent(&self) -> bool {
        self.output.instance_spent()
    }

    pub(crate) fn log_line(&self, level: tracing::Level, message: &str) {
        // A level nobody logs costs nothing, not even the redaction.
        let enabled = match level {
            tracing::Level::ERROR => tracing::enabled!(tracing::Level::ERROR),
            tracing::Level::WARN => tracing::enabled!(tracing::Level::WARN),
            tracing::Level::INFO => tracing::enabled!(tracing::Level::INFO),
            tracing::Level::DEBUG => tracing::enabled!(tracing::Level::DEBUG),
            _ => tracing::enabled!(tracing::Level::TRACE),
        };
        if !enabled {
            return;
        }
        let message = self.redact(message);
        let mut end = message.len().min(MAX_LOG_LINE);
        while !message.is_char_boundary(end) {
            end -= 1;
        }
        let message = &message[..end];
        if !self.output.admit(message.len()) {
            return;
        }
        let adapter = &*self.adapter;
        match level {
            tracing::Level::ERROR => tracing::error!(adapter, "{message}"),
            tracing::Level::WARN => tracing::warn!(adapter, "{message}"),
            tracing::Level::INFO => tracing::info!(adapter, "{message}"),
            tracing::Level::DEBUG => tracing::debug!(adapter, "{message}"),
            _ => tracing::trace!(adapter, "{message}"),
        }
    }

    pub(crate) fn settings(&self) -> &BTreeMap<String, String> {
        &self.settings
    }
}

impl WasiView for GuestState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}
