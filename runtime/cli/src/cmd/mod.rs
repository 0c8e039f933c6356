//! One module per subcommand.

pub mod adapter;
pub mod classify;
pub mod demo;
pub mod sim;
