//! What instantiating a component costs before any of its code runs: how many core
//! instances, defined memories and tables it creates, and the bytes their initial sizes
//! take. Read from the component's bytes, so that one asking for too much is refused with
//! the numbers instead of being started (see [`crate::limits::ResourceBudget`], which
//! enforces the same bounds at run time, growth included).
//!
//! Counted as wasmtime counts them: every core module instantiation is one instance and
//! creates the memories and tables that module defines (imported ones are shared, not
//! created); a nested component counts once per instantiation. A module or component
//! reached through an instance export cannot be followed statically and counts zero here;
//! the run-time budget still holds for it.

use wasmparser::{
    ComponentAlias, ComponentExternalKind, ComponentInstance, ComponentOuterAliasKind,
    ComponentTypeRef, Encoding, Instance, Parser, Payload,
};

/// Bytes counted for one table element: a pointer-sized slot in wasmtime's tables.
pub(crate) const TABLE_ELEMENT_BYTES: u64 = 8;

/// Resources one instantiation creates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Footprint {
    /// Core module instances.
    pub core_instances: u64,
    /// Linear memories defined by those instances.
    pub memories: u64,
    /// Tables defined by those instances.
    pub tables: u64,
    /// Initial size of those memories plus tables (at [`TABLE_ELEMENT_BYTES`] an element).
    pub initial_bytes: u64,
}

impl Footprint {
    fn add(&mut self, other: Footprint) {
        self.core_instances = self.core_instances.saturating_add(other.core_instances);
        self.memories = self.memories.saturating_add(other.memories);
        self.tables = self.tables.saturating_add(other.tables);
        self.initial_bytes = self.initial_bytes.saturating_add(other.initial_bytes);
    }
}

/// A component (or module) being read: its index spaces and what instantiating it costs.
#[derive(Default)]
struct Frame {
    /// Cost of instantiating each core module in the core module index space.
    modules: Vec<Footprint>,
    /// Cost of instantiating each component in the component index space.
    components: Vec<Footprint>,
    /// Cost of one instantiation of this frame.
    cost: Footprint,
    /// A core module (else a component).
    is_module: bool,
}

/// The footprint of a component (or a core module) from its bytes.
pub fn of(bytes: &[u8]) -> Result<Footprint, String> {
    let mut stack: Vec<Frame> = Vec::new();
    for payload in Parser::new(0).parse_all(bytes) {
        let payload = payload.map_err(|e| format!("reading the component: {e}"))?;
        let outer = |stack: &Vec<Frame>, count: u32| -> Option<usize> {
            stack.len().checked_sub(2 + count as usize)
        };
        match payload {
            Payload::Version { encoding, .. } => {
                let mut frame = Frame {
                    is_module: encoding == Encoding::Module,
                    ..Frame::default()
                };
                if frame.is_module {
                    frame.cost.core_instances = 1;
                }
                stack.push(frame);
            }
            Payload::MemorySection(memories) => {
                let frame = stack.last_mut().ok_or("memory section outside a module")?;
                for memory in memories {
                    let memory = memory.map_err(|e| e.to_string())?;
                    let page = 1u64 << memory.page_size_log2();
                    frame.cost.memories += 1;
                    frame.cost.initial_bytes = frame
                        .cost
                        .initial_bytes
                        .saturating_add(memory.initial.saturating_mul(page));
                }
            }
            Payload::TableSection(tables) => {
                let frame = stack.last_mut().ok_or("table section outside a module")?;
                for table in tables {
                    let table = table.map_err(|e| e.to_string())?;
                    frame.cost.tables += 1;
                    frame.cost.initial_bytes = frame
                        .cost
                        .initial_bytes
                        .saturating_add(table.ty.initial.saturating_mul(TABLE_ELEMENT_BYTES));
                }
            }
            Payload::ComponentImportSection(imports) => {
                let frame = stack.last_mut().ok_or("import outside a component")?;
                for import in imports {
                    match import.map_err(|e| e.to_string())?.ty {
                        ComponentTypeRef::Module(_) => frame.modules.push(Footprint::default()),
                        ComponentTypeRef::Component(_) => {
                            frame.components.push(Footprint::default())
                        }
                        _ => {}
                    }
                }
            }
            Payload::ComponentAliasSection(aliases) => {
                for alias in aliases {
                    let alias = alias.map_err(|e| e.to_string())?;
                    let pushed = match alias {
                        ComponentAlias::Outer { kind, count, index } => {
                            let from = outer(&stack, count).map(|i| &stack[i]);
                            match kind {
                                ComponentOuterAliasKind::CoreModule => Some((
                                    true,
                                    from.and_then(|f| f.modules.get(index as usize).copied()),
                                )),
                                ComponentOuterAliasKind::Component => Some((
                                    false,
                                    from.and_then(|f| f.components.get(index as usize).copied()),
                                )),
                                _ => None,
                            }
                        }
                        ComponentAlias::InstanceExport { kind, .. } => match kind {
                            ComponentExternalKind::Module => Some((true, None)),
                            ComponentExternalKind::Component => Some((false, None)),
                            _ => None,
                        },
                        ComponentAlias::CoreInstanceExport { .. } => None,
                    };
                    let frame = stack.last_mut().ok_or("alias outside a component")?;
                    match pushed {
                        Some((true, cost)) => frame.modules.push(cost.unwrap_or_default()),
                        Some((false, cost)) => frame.components.push(cost.unwrap_or_default()),
                        None => {}
                    }
                }
            }
            Payload::InstanceSection(instances) => {
                let frame = stack.last_mut().ok_or("instance outside a component")?;
                for instance in instances {
                    if let Instance::Instantiate { module_index, .. } =
                        instance.map_err(|e| e.to_string())?
                    {
                        let cost = frame.modules.get(module_index as usize).copied();
                        frame.cost.add(cost.unwrap_or_default());
                    }
                }
            }
            Payload::ComponentInstanceSection(instances) => {
                let frame = stack.last_mut().ok_or("instance outside a component")?;
                for instance in instances {
                    if let ComponentInstance::Instantiate {
                        component_index, ..
                    } = instance.map_err(|e| e.to_string())?
                    {
                        let cost = frame.components.get(component_index as usize).copied();
                        frame.cost.add(cost.unwrap_or_default());
                    }
                }
            }
            Payload::End(_) => {
                let done = stack.pop().ok_or("unbalanced end")?;
                let Some(parent) = stack.last_mut() else {
                    return Ok(done.cost);
                };
                // A finished module joins its parent's module index space, a component its
                // component index space.
                if done.is_module {
                    parent.modules.push(done.cost);
                } else {
                    parent.components.push(done.cost);
                }
            }
            _ => {}
        }
    }
    Err("the component ends early".into())
}
