//! What every simulator does with a request before its API sees it: read and log it, then
//! apply an injected delay or dropped connection. The rest of a simulator's pipeline (rate
//! limit, auth, error bodies) is system-specific and stays with the simulator.

use std::sync::{Mutex, MutexGuard};

use axum::body::Bytes;
use axum::extract::Request;
use axum::http::request::Parts;

use crate::faults::{Action, Decision};
use crate::log::{RequestLog, RequestRecord};
use crate::server::ConnKill;

/// Largest request body read (tickets and notes are small).
const MAX_BODY: usize = 16 * 1024 * 1024;

/// Locks a mutex, shrugging off poisoning: a panicked handler must not wedge the simulator.
pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// A request read whole, with its log record (status still unset).
pub(crate) struct Intake {
    pub parts: Parts,
    pub body: Bytes,
    pub record: RequestRecord,
}

/// Reads the request and starts its log record; `authorized` judges the credentials.
pub(crate) async fn intake(
    req: Request,
    log: &Mutex<RequestLog>,
    authorized: impl FnOnce(&Parts) -> bool,
) -> Intake {
    let (parts, body) = req.into_parts();
    let body = axum::body::to_bytes(body, MAX_BODY)
        .await
        .unwrap_or_default();
    let record = RequestRecord {
        seq: lock(log).next_seq(),
        at: chrono::Utc::now(),
        method: parts.method.to_string(),
        path: parts.uri.path().to_owned(),
        query: parts.uri.query().map(str::to_owned),
        body: String::from_utf8_lossy(&body).into_owned(),
        status: None,
        authorized: authorized(&parts),
        injected: false,
    };
    Intake {
        parts,
        body,
        record,
    }
}

/// Waits out the decision's delay; for a drop, logs the request and closes its connection
/// without a reply (never returning). True only when the connection could not be closed
/// (no [`ConnKill`]): the caller then answers with its own 503.
pub(crate) async fn pause_or_drop(
    decision: Decision,
    intake: &mut Intake,
    log: &Mutex<RequestLog>,
) -> bool {
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    if decision.action != Action::Drop {
        return false;
    }
    intake.record.injected = true;
    lock(log).push(intake.record.clone());
    if let Some(ConnKill(kill)) = intake.parts.extensions.get::<ConnKill>() {
        kill.notify_one();
        std::future::pending::<()>().await;
    }
    true
}
