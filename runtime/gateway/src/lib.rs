//! The HTTP gateway: decides *whether* an adapter's request may leave and *what* it
//! carries, then sends it.
//!
//! Policy (pure, unit-tested: [`policy`], [`credential`], [`inject`], [`access`], [`notes`],
//! [`redact`]) is kept apart
//! from the mechanism ([`transport`], [`gateway`]) so the rules can be read and tested
//! without a network. How credentials that live in the request body (OTOBO/Znuny's
//! `UserLogin`/`Password`) are injected safely is decided in [`inject`].
#![deny(missing_docs)]

pub mod access;
pub mod credential;
mod error;
mod gateway;
pub mod inject;
pub mod notes;
pub mod pace;
pub mod policy;
pub mod redact;
pub mod transport;

pub use access::{Access, ReadRoute, ReadRoutes};
pub use credential::{Credential, Secret, SecretSource};
pub use error::GatewayError;
pub use gateway::{CallBudget, Gateway, GatewayLimits, Method, OutboundRequest, Response};
pub use pace::RequestPacer;
pub use policy::{Origin, OriginPolicy};
pub use redact::{Redactor, SessionMaterial};
pub use transport::{PreparedRequest, ReqwestTransport, Transport};
