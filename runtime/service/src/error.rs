//! Why the service could not start or reload.

/// The service's errors.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The configuration file is invalid (every problem, with file:line:col).
    #[error(transparent)]
    Config(#[from] triage_config::ConfigError),
    /// The state database could not be opened.
    #[error(transparent)]
    State(#[from] triage_state::StateError),
    /// The sandbox engine could not start.
    #[error(transparent)]
    Host(#[from] triage_host::HostError),
    /// The API's address could not be bound.
    #[error("listening on {address}: {source}")]
    Listen {
        /// The address from `service.listen`.
        address: std::net::SocketAddr,
        /// Why.
        source: std::io::Error,
    },
    /// The API token could not be read.
    #[error("service.token: {0}")]
    Token(String),
    /// A named pipeline is not in the configuration.
    #[error("no pipeline named {0:?} in the configuration")]
    UnknownPipeline(String),
}
