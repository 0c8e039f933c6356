//! One module per subcommand.

pub mod adapter;
pub mod check;
pub mod classify;
pub mod corrections;
pub mod demo;
pub mod history;
pub mod run;
pub mod serve;
pub mod sim;
pub mod train;
