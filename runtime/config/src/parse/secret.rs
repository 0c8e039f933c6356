//! Secrets as written: `{ env: NAME }`, `{ file: PATH }`, or — only for a part
//! that is not secret — `{ value: TEXT }`. Values are read here and never shown;
//! errors name the variable or file.

use triage_gateway::{Secret, SecretSource};

use super::ReadSecret;
use crate::model::SecretRef;
use crate::read::{Ctx, Val};

/// `{ env: NAME }` or `{ file: PATH }`.
pub(super) fn source(cx: &mut Ctx<'_>, v: &Val<'_>) -> Option<SecretSource> {
    match reference(cx, v, false)? {
        SecretRef::Source(s) => Some(s),
        SecretRef::Literal(_) => None,
    }
}

/// `{ env: NAME }`, `{ file: PATH }`, or `{ value: TEXT }` where `literal_ok`.
pub(super) fn reference(cx: &mut Ctx<'_>, v: &Val<'_>, literal_ok: bool) -> Option<SecretRef> {
    let expected = if literal_ok {
        "expected { env: NAME }, { file: PATH } or { value: TEXT }"
    } else {
        "expected { env: NAME } or { file: PATH }"
    };
    if !matches!(v.node, crate::yaml::Node::Map(_)) {
        cx.bad(v, expected);
        return None;
    }
    let mut o = cx.obj(v)?;
    let env = o.get(cx, "env");
    let file = o.get(cx, "file");
    let value = o.get(cx, "value");
    o.finish(cx);
    let found = [&env, &file, &value].iter().filter(|x| x.is_some()).count();
    if found != 1 {
        cx.bad(v, format!("{expected}: exactly one of them"));
        return None;
    }
    if let Some(e) = env {
        return Some(SecretRef::Source(SecretSource::Env(cx.name(&e)?)));
    }
    if let Some(f) = file {
        return Some(SecretRef::Source(SecretSource::File(cx.path(&f)?)));
    }
    let value = value.expect("exactly one is present");
    if !literal_ok {
        cx.bad(
            &value,
            "a secret cannot be written in the file; read it from { env: NAME } or { file: PATH }",
        );
        return None;
    }
    Some(SecretRef::Literal(cx.text(&value)?))
}

/// Read a part now; a problem names the key and the source, never a value.
pub(super) fn read(
    cx: &mut Ctx<'_>,
    v: &Val<'_>,
    r: &SecretRef,
    read: ReadSecret<'_>,
) -> Option<Secret> {
    match r {
        SecretRef::Literal(text) => Some(Secret::new(text.clone())),
        SecretRef::Source(source) => match read(source) {
            Ok(secret) => Some(secret),
            Err(e) => {
                cx.bad(v, e);
                None
            }
        },
    }
}

/// Read a source to prove it is there, and forget the value.
pub(super) fn check_readable(
    cx: &mut Ctx<'_>,
    v: &Val<'_>,
    source: &SecretSource,
    read: ReadSecret<'_>,
) -> bool {
    self::read(cx, v, &SecretRef::Source(source.clone()), read).is_some()
}
