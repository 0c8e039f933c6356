//! Sandbox overhead, network excluded: one `find-tickets` call that parses and
//! maps a 100-ticket JSON page, through the sandbox versus the same mapping code
//! compiled natively; plus instantiation and compile costs.
//!
//! Needs `cargo xtask adapters` first. Prints ratios measured in one run.

use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use async_trait::async_trait;
use triage_core::{TicketAdapter, TicketQuery};
use triage_gateway::{
    Gateway, GatewayError, GatewayLimits, OriginPolicy, PreparedRequest, Response, Transport,
};
use triage_host::{AdapterSettings, Sandbox, SandboxConfig, SandboxLimits, WasmAdapter};

/// Answers every request with the same page, so only the sandbox is measured.
struct CannedPage(Vec<u8>);

#[async_trait]
impl Transport for CannedPage {
    async fn send(&self, _request: PreparedRequest) -> Result<Response, GatewayError> {
        Ok(Response {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: self.0.clone(),
        })
    }
}

fn page_json(n: usize) -> Vec<u8> {
    let tickets: Vec<_> = (0..n)
        .map(|i| {
            serde_json::json!({
                "id": 1000 + i,
                "subject": format!("Cannot log in to the portal after password reset #{i}"),
                "body": "Hello team,\n\nsince this morning I get 'invalid session' when I log in. \
                         I cleared cookies and tried two browsers. Order 4711-2023.\n\nBest regards,\nAnna",
                "queue": "IT Support",
                "priority": "high",
                "tags": ["portal", "login"],
                "updated_at": "2024-05-01T10:00:00Z",
                "custom_fields": {"cf_plan": "pro", "cf_seats": 12}
            })
        })
        .collect();
    serde_json::to_vec(&tickets).unwrap()
}

fn probe_file() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist/adapters/probe.wasm");
    assert!(path.exists(), "run `cargo xtask adapters` first");
    path
}

fn time<F: FnMut()>(iterations: u32, mut f: F) -> Duration {
    let started = Instant::now();
    for _ in 0..iterations {
        f();
    }
    started.elapsed() / iterations
}

fn connect_settings(transport: Arc<dyn Transport>, instances: usize) -> AdapterSettings {
    let policy = OriginPolicy::new("http://127.0.0.1:9", &[]).unwrap();
    AdapterSettings {
        connection: "bench".into(),
        gateway: Some(Gateway::new(
            "bench",
            policy,
            None,
            GatewayLimits::default(),
            transport,
        )),
        settings: Default::default(),
        limits: SandboxLimits {
            instances,
            ..SandboxLimits::default()
        },
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let page = page_json(100);
    let file = probe_file();

    // Cold compile (no cache) and load from the compiled cache.
    let cache = std::env::temp_dir().join(format!("triage-bench-cache-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&cache);
    let cold = Sandbox::new(SandboxConfig {
        cache_dir: Some(cache.clone()),
        epoch_tick: Duration::from_millis(10),
    })
    .unwrap();
    let compiled = cold.load(&file, None).unwrap();
    let warm = Sandbox::new(SandboxConfig {
        cache_dir: Some(cache.clone()),
        epoch_tick: Duration::from_millis(10),
    })
    .unwrap();
    let cached = warm.load(&file, None).unwrap();
    assert!(cached.from_cache());

    let transport: Arc<dyn Transport> = Arc::new(CannedPage(page.clone()));
    let query = TicketQuery::default();
    let (pooled, fresh) = rt.block_on(async {
        let pooled = WasmAdapter::connect(&cached, connect_settings(transport.clone(), 1))
            .await
            .unwrap();
        let fresh = WasmAdapter::connect(&cached, connect_settings(transport.clone(), 0))
            .await
            .unwrap();
        (pooled, fresh)
    });
    let call = |adapter: &WasmAdapter| {
        let page = rt.block_on(adapter.find_tickets(&query, None)).unwrap();
        assert_eq!(page.tickets.len(), 100);
        black_box(page);
    };
    let count_only = TicketQuery {
        native: Some("count".into()),
        ..TicketQuery::default()
    };

    let n = 2000;
    for _ in 0..200 {
        call(&pooled);
        black_box(triage_adapter_probe::map::page_from_json(&page).unwrap());
    }
    let native = time(n, || {
        black_box(triage_adapter_probe::map::page_from_json(black_box(&page)).unwrap());
    });
    let sandboxed = time(n, || call(&pooled));
    let in_guest = time(n, || {
        let page = rt.block_on(pooled.find_tickets(&count_only, None)).unwrap();
        assert_eq!(page.tickets[0].subject, "100");
    });
    let with_instantiation = time(n / 4, || call(&fresh));
    let instantiate = with_instantiation.saturating_sub(sandboxed);

    println!(
        "adapter call: parse + map a 100-ticket JSON page ({} bytes)",
        page.len()
    );
    println!(
        "  native            {:>10.1} µs",
        native.as_secs_f64() * 1e6
    );
    println!(
        "  through sandbox   {:>10.1} µs",
        sandboxed.as_secs_f64() * 1e6
    );
    println!(
        "  ratio             {:>10.3}× (goal ≤ 1.10×)",
        sandboxed.as_secs_f64() / native.as_secs_f64()
    );
    println!(
        "    of which the guest's parse + map {:.1} µs, returning 100 tickets to the host {:.1} µs",
        in_guest.as_secs_f64() * 1e6,
        sandboxed.saturating_sub(in_guest).as_secs_f64() * 1e6
    );
    println!(
        "instantiation from the compiled cache: {:.1} µs per instance (goal ≤ 1 ms)",
        instantiate.as_secs_f64() * 1e6
    );
    println!(
        "load from compiled cache: {:.2} ms; cold compile: {:.1} ms ({} bytes component)",
        cached.compile_time().as_secs_f64() * 1e3,
        compiled.compile_time().as_secs_f64() * 1e3,
        std::fs::metadata(&file).unwrap().len()
    );
    let _ = std::fs::remove_dir_all(&cache);
}
