//! Hostile components made from real adapters: the built probe with extra core module
//! instances appended, each with its own linear memory that its start function grows and
//! fills (so, unbounded, every page would be resident). The result is a real component that
//! still implements the contract: only its instantiation is hostile.

use std::path::{Path, PathBuf};

/// One appended module: a memory of `initial_pages`, grown by `grow_pages` and then filled
/// when the module is instantiated.
fn hog_module(initial_pages: u32, grow_pages: u32) -> Vec<u8> {
    wat::parse_str(format!(
        r#"(module
             (memory {initial_pages})
             (func $hog
               (drop (memory.grow (i32.const {grow_pages})))
               (memory.fill (i32.const 0) (i32.const 1)
                 (i32.mul (memory.size) (i32.const 65536))))
             (start $hog))"#
    ))
    .expect("the hog module is valid WAT")
}

/// Core modules the component defines at its top level (the index the next one gets).
fn top_level_modules(component: &[u8]) -> u32 {
    let mut depth = 0usize;
    let mut modules = 0;
    for payload in wasmparser::Parser::new(0).parse_all(component) {
        match payload.expect("a valid component") {
            wasmparser::Payload::Version { .. } => depth += 1,
            wasmparser::Payload::End(_) => depth -= 1,
            wasmparser::Payload::ModuleSection { .. } if depth == 1 => modules += 1,
            _ => {}
        }
    }
    modules
}

fn leb(mut n: u32, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn section(id: u8, body: &[u8], out: &mut Vec<u8>) {
    out.push(id);
    leb(body.len() as u32, out);
    out.extend_from_slice(body);
}

/// `component` with `instances` more core instances, each of a module defining one memory
/// of `initial_pages` that grows by `grow_pages` and is filled when instantiated.
pub fn with_memories(
    component: &[u8],
    instances: u32,
    initial_pages: u32,
    grow_pages: u32,
) -> Vec<u8> {
    const CORE_MODULE_SECTION: u8 = 1;
    const CORE_INSTANCE_SECTION: u8 = 2;
    let index = top_level_modules(component);
    let mut out = component.to_vec();
    section(
        CORE_MODULE_SECTION,
        &hog_module(initial_pages, grow_pages),
        &mut out,
    );
    let mut body = Vec::new();
    leb(instances, &mut body);
    for _ in 0..instances {
        body.push(0x00); // instantiate
        leb(index, &mut body);
        leb(0, &mut body); // no arguments
    }
    section(CORE_INSTANCE_SECTION, &body, &mut out);
    out
}

/// [`with_memories`] of the built probe, written to `dir/name.wasm`.
pub fn probe_with_memories(
    dir: &Path,
    name: &str,
    instances: u32,
    initial_pages: u32,
    grow_pages: u32,
) -> PathBuf {
    let probe = std::fs::read(crate::adapter_file("probe")).expect("read the probe");
    let path = dir.join(format!("{name}.wasm"));
    std::fs::write(
        &path,
        with_memories(&probe, instances, initial_pages, grow_pages),
    )
    .expect("write the hostile component");
    path
}
