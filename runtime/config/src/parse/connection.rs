//! `connections.NAME`: adapter file and pin, origins, credential, settings, limits.

use std::collections::BTreeMap;

use triage_gateway::{Credential, Origin, OriginPolicy};

use super::{ReadSecret, secret};
use crate::model::{AuthConfig, ConnectionConfig, ConnectionLimits, SecretRef};
use crate::read::{Ctx, Val};

pub(super) fn connection(
    cx: &mut Ctx<'_>,
    v: &Val<'_>,
    read: ReadSecret<'_>,
) -> Option<ConnectionConfig> {
    let mut o = cx.obj(v)?;
    let adapter = o.need(cx, "adapter").and_then(|a| adapter_file(cx, &a));
    let sha256 = o.get(cx, "sha256").map(|s| pin(cx, &s));
    let base = o.need(cx, "base_url");
    let origins = o.get(cx, "allow_origins").map(|a| allow_origins(cx, &a));
    let auth = o.get(cx, "auth").map(|a| (auth(cx, &a), a));
    let settings = o.get(cx, "settings").map(|s| settings(cx, &s));
    let limits = o.get(cx, "limits").map(|l| limits(cx, &l));
    let session = o
        .get(cx, "session_material")
        .map(|s| session_material(cx, &s));
    o.finish(cx);

    let base_url = base.and_then(|b| {
        let url = cx.name(&b)?;
        match OriginPolicy::new(&url, &[]) {
            Ok(_) => Some(url),
            Err(e) => {
                cx.bad(&b, e);
                None
            }
        }
    });
    let (credential, auth) = match auth {
        None => (Some(None), None),
        Some((parsed, at)) => match parsed {
            Some(parsed) => (credential(cx, &at, &parsed, read).map(Some), Some(parsed)),
            None => (None, None),
        },
    };
    Some(ConnectionConfig {
        adapter: adapter?,
        sha256: sha256.unwrap_or(Some(None))?,
        base_url: base_url?,
        allow_origins: origins.unwrap_or(Some(Vec::new()))?,
        credential: credential?,
        auth,
        settings: settings.unwrap_or(Some(BTreeMap::new()))?,
        limits: limits.unwrap_or(Some(ConnectionLimits::default()))?,
        session_material: session.unwrap_or(Some(None))?,
    })
}

/// `session_material: [NAME, ...]`: `Some(Some(names))`, or `None` on a problem.
fn session_material(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Option<Vec<String>>> {
    let mut ok = true;
    let mut names = Vec::new();
    for item in cx.list(v)? {
        match cx.name(&item) {
            Some(name) if !name.trim().is_empty() => names.push(name.trim().to_owned()),
            Some(_) => {
                cx.bad(&item, "a session material name must not be empty");
                ok = false;
            }
            None => ok = false,
        }
    }
    ok.then_some(Some(names))
}

fn adapter_file(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<std::path::PathBuf> {
    let path = cx.path(v)?;
    if !path.is_file() {
        cx.bad(v, format!("adapter file {} does not exist", path.display()));
        return None;
    }
    Some(path)
}

/// `Some(Some(pin))` or `None` on a problem (the outer layer is "present").
fn pin(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Option<String>> {
    let text = cx.text(v)?.trim().to_ascii_lowercase();
    if text.len() != 64 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        cx.bad(
            v,
            "expected 64 hexadecimal digits (`triage adapter inspect FILE` prints them)",
        );
        return None;
    }
    Some(Some(text))
}

fn allow_origins(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<Vec<String>> {
    let mut ok = true;
    let mut origins = Vec::new();
    for item in cx.list(v)? {
        let Some(text) = cx.name(&item) else {
            ok = false;
            continue;
        };
        match Origin::parse(&text) {
            Ok(_) => origins.push(text),
            Err(e) => {
                cx.bad(&item, e);
                ok = false;
            }
        }
    }
    ok.then_some(origins)
}

/// `auth: { basic: {username, password} | bearer: SECRET | header: {name, value}
/// | fields: {NAME: SECRET, ...} }`.
fn auth(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<AuthConfig> {
    let mut o = cx.obj(v)?;
    let basic = o.get(cx, "basic");
    let bearer = o.get(cx, "bearer");
    let header = o.get(cx, "header");
    let fields = o.get(cx, "fields");
    o.finish(cx);
    let given = [&basic, &bearer, &header, &fields]
        .iter()
        .filter(|x| x.is_some())
        .count();
    if given != 1 {
        cx.bad(v, "expected exactly one of: basic, bearer, header, fields");
        return None;
    }
    if let Some(f) = fields {
        return self::fields(cx, &f);
    }
    if let Some(b) = basic {
        let mut o = cx.obj(&b)?;
        let user = o.need(cx, "username");
        let password = o.need(cx, "password");
        o.finish(cx);
        let username = secret::reference(cx, &user?, true);
        let password = secret::reference(cx, &password?, true);
        let (username, password) = (username?, password?);
        if matches!(
            (&username, &password),
            (SecretRef::Literal(_), SecretRef::Literal(_))
        ) {
            cx.bad(
                &b,
                "username and password are both written in the file; read the secret one \
                 from { env: NAME } or { file: PATH }",
            );
            return None;
        }
        return Some(AuthConfig::Basic { username, password });
    }
    if let Some(t) = bearer {
        return Some(AuthConfig::Bearer(secret::reference(cx, &t, false)?));
    }
    let h = header.expect("exactly one is present");
    let mut o = cx.obj(&h)?;
    let name = o.need(cx, "name");
    let value = o.need(cx, "value");
    o.finish(cx);
    let (name_at, value) = (name?, value?);
    let name = cx.name(&name_at)?;
    if !name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_!#$%&'*+.^`|~".contains(&b))
    {
        cx.bad(
            &name_at,
            format!("{name:?} is not a valid HTTP header name"),
        );
        return None;
    }
    let value = secret::reference(cx, &value, false)?;
    Some(AuthConfig::Header { name, value })
}

/// `fields: { UserLogin: { value: agent }, Password: { env: OTOBO_PASSWORD } }`.
fn fields(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<AuthConfig> {
    let mut out = Vec::new();
    let mut ok = true;
    for (name, value) in cx.named(v) {
        match secret::reference(cx, &value, true) {
            Some(r) => out.push((name, r)),
            None => ok = false,
        }
    }
    if !ok {
        return None;
    }
    if out.is_empty() {
        cx.bad(v, "expected at least one field");
        return None;
    }
    if out.iter().all(|(_, r)| matches!(r, SecretRef::Literal(_))) {
        cx.bad(
            v,
            "every field is written in the file; read the secret one from { env: NAME } or \
             { file: PATH }",
        );
        return None;
    }
    Some(AuthConfig::Fields(out))
}

/// Read every part of the credential now.
fn credential(
    cx: &mut Ctx<'_>,
    at: &Val<'_>,
    auth: &AuthConfig,
    read: ReadSecret<'_>,
) -> Option<Credential> {
    let mut secrets = Vec::new();
    for (key, part) in auth.parts() {
        let path = format!("{}.{key}", at.path);
        let pos = cx.index.get(&path).copied().unwrap_or(at.at);
        let place = Val {
            node: at.node,
            at: pos,
            path,
        };
        secrets.push(secret::read(cx, &place, part, read));
    }
    let mut secrets = secrets.into_iter().collect::<Option<Vec<_>>>()?.into_iter();
    let mut next = || secrets.next().expect("one secret per part");
    Some(match auth {
        AuthConfig::Basic { .. } => Credential::Basic {
            user: next(),
            password: next(),
        },
        AuthConfig::Bearer(_) => Credential::Bearer(next()),
        AuthConfig::Header { name, .. } => Credential::Header {
            name: name.clone(),
            value: next(),
        },
        AuthConfig::Fields(fields) => {
            match Credential::fields(fields.iter().map(|(name, _)| (name.clone(), next()))) {
                Ok(c) => c,
                Err(e) => {
                    cx.bad(
                        &Val {
                            path: format!("{}.fields", at.path),
                            ..at.clone()
                        },
                        e,
                    );
                    return None;
                }
            }
        }
    })
}

fn settings(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<BTreeMap<String, String>> {
    let mut ok = true;
    let mut out = BTreeMap::new();
    for (key, value) in cx.named(v) {
        match cx.text(&value) {
            Some(text) => {
                out.insert(key, text);
            }
            None => ok = false,
        }
    }
    ok.then_some(out)
}

fn limits(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<ConnectionLimits> {
    let mut limits = ConnectionLimits::default();
    let mut o = cx.obj(v)?;
    let concurrency = o.get(cx, "concurrency");
    let rpm = o.get(cx, "requests_per_minute");
    let memory = o.get(cx, "memory_mb");
    let deadline = o.get(cx, "deadline");
    o.finish(cx);
    let mut ok = true;
    if let Some(c) = concurrency {
        ok &= cx
            .number(&c, 1u32)
            .map(|n| limits.concurrency = n)
            .is_some();
    }
    if let Some(r) = rpm {
        ok &= cx
            .number(&r, 1u32)
            .map(|n| limits.requests_per_minute = Some(n))
            .is_some();
    }
    if let Some(m) = memory {
        match cx.number(&m, 1u64) {
            // A wasm32 memory cannot grow past 4 GiB.
            Some(n) if n <= 4096 => limits.memory_mb = n,
            Some(_) => {
                cx.bad(&m, "at most 4096 (a 32-bit sandbox cannot use more)");
                ok = false;
            }
            None => ok = false,
        }
    }
    if let Some(d) = deadline {
        ok &= cx.duration(&d).map(|d| limits.deadline = d).is_some();
    }
    ok.then_some(limits)
}
