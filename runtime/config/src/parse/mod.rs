//! From the YAML tree to [`Config`]: one function per section, every problem
//! collected with its key path and line. Cross references (pipeline → connection,
//! step → model) are checked against the names written, so a connection that is
//! itself invalid is not reported a second time as missing.

mod connection;
mod pipeline;
mod precision;
mod secret;

use std::collections::{BTreeMap, BTreeSet};
use std::net::SocketAddr;

use triage_gateway::{Secret, SecretSource};

use crate::model::{Config, ModelConfig, ServiceConfig, StateConfig};
use crate::read::{Ctx, Val};

/// Reads a secret from its source (the real environment and files, or a stand-in in tests).
pub type ReadSecret<'r> = &'r dyn Fn(&SecretSource) -> Result<Secret, String>;

/// The whole document; `None` when anything was wrong (see `cx.errors`).
pub(crate) fn document(cx: &mut Ctx<'_>, root: &Val<'_>, read: ReadSecret<'_>) -> Option<Config> {
    let mut top = cx.obj(root)?;
    let v = top.get(cx, "state");
    let state = state(cx, v);
    let v = top.get(cx, "service");
    let service = service(cx, v, read);

    let mut models = BTreeMap::new();
    let mut model_names = BTreeSet::new();
    if let Some(v) = top.get(cx, "models") {
        for (name, v) in cx.named(&v) {
            model_names.insert(name.clone());
            if let Some(m) = model(cx, &v) {
                models.insert(name, m);
            }
        }
    }

    let mut connections = BTreeMap::new();
    let mut connection_names = BTreeSet::new();
    if let Some(v) = top.get(cx, "connections") {
        for (name, v) in cx.named(&v) {
            connection_names.insert(name.clone());
            if let Some(c) = connection::connection(cx, &v, read) {
                connections.insert(name, c);
            }
        }
    }

    let mut pipelines = BTreeMap::new();
    if let Some(v) = top.get(cx, "pipelines") {
        let names = pipeline::Names {
            models: &model_names,
            connections: &connection_names,
        };
        for (name, v) in cx.named(&v) {
            if let Some(p) = pipeline::pipeline(cx, &name, &v, &names) {
                pipelines.insert(name, p);
            }
        }
    }
    precision::resolve(cx, &mut pipelines, &models);
    top.finish(cx);

    Some(Config {
        path: cx.file.to_owned(),
        state: state?,
        service: service?,
        models,
        connections,
        pipelines,
        index: std::mem::take(&mut cx.index),
    })
}

/// `state: FILE`, or `state: { sqlite: FILE }`.
fn state(cx: &mut Ctx<'_>, v: Option<Val<'_>>) -> Option<StateConfig> {
    let Some(v) = v else {
        return Some(StateConfig {
            path: cx.resolve("triage-state.db"),
        });
    };
    let path = if matches!(v.node, crate::yaml::Node::Map(_)) {
        let mut o = cx.obj(&v)?;
        let path = o.need(cx, "sqlite").and_then(|p| cx.path(&p));
        o.finish(cx);
        path?
    } else {
        cx.path(&v)?
    };
    if let Some(dir) = path.parent()
        && !dir.as_os_str().is_empty()
        && !dir.is_dir()
    {
        cx.bad(&v, format!("directory {} does not exist", dir.display()));
        return None;
    }
    Some(StateConfig { path })
}

fn service(cx: &mut Ctx<'_>, v: Option<Val<'_>>, read: ReadSecret<'_>) -> Option<ServiceConfig> {
    let mut service = ServiceConfig {
        listen: SocketAddr::from(([127, 0, 0, 1], 8080)),
        token: None,
    };
    let Some(v) = v else {
        return Some(service);
    };
    let mut o = cx.obj(&v)?;
    let mut ok = true;
    if let Some(l) = o.get(cx, "listen") {
        match cx.text(&l).map(|t| t.trim().parse::<SocketAddr>()) {
            Some(Ok(addr)) => service.listen = addr,
            Some(Err(_)) => {
                cx.bad(
                    &l,
                    "expected an address and port, like 127.0.0.1:8080 or [::1]:8080",
                );
                ok = false;
            }
            None => ok = false,
        }
    }
    if let Some(t) = o.get(cx, "token") {
        match secret::source(cx, &t) {
            Some(source) => {
                ok &= secret::check_readable(cx, &t, &source, read);
                service.token = Some(source);
            }
            None => ok = false,
        }
    }
    o.finish(cx);
    ok.then_some(service)
}

/// `NAME: DIR` or `NAME: { path: DIR, threads: N }`.
fn model(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<ModelConfig> {
    let mut threads = triage_classifier::ClassifierOptions::default().intra_threads;
    let (path, at) = if matches!(v.node, crate::yaml::Node::Map(_)) {
        let mut o = cx.obj(v)?;
        let p = o.need(cx, "path");
        let t = o.get(cx, "threads");
        o.finish(cx);
        if let Some(t) = t {
            threads = cx.number(&t, 1usize)?;
        }
        let p = p?;
        (cx.path(&p)?, p)
    } else {
        (cx.path(v)?, v.clone())
    };
    if !path.is_dir() {
        cx.bad(
            &at,
            format!("model directory {} does not exist", path.display()),
        );
        return None;
    }
    Some(ModelConfig { path, threads })
}
