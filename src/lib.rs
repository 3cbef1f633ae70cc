//! fupin (扶贫): an agent-based simulator of poverty-alleviation policy.
//!
//! A scenario ([`scenario::Scenario`]) describes a township, its markets and
//! organisations, a budget and policy arms. [`engine::run_replicate`] runs one
//! Monte Carlo replicate of every arm on the same households and shocks;
//! [`run::simulate`] runs many in parallel; [`output`] writes the results.
//! The model is described in `docs/ODD.md`.

pub mod app;
pub mod atomic;
pub mod chart;
pub mod cli;
pub mod engine;
pub mod error;
pub mod ledger;
pub mod memory;
pub mod merge;
pub mod metrics;
pub mod model;
pub mod outcome;
pub mod output;
mod pass;
pub mod policy;
pub mod report;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod shipped;
pub mod stats;

pub use error::{Error, Result};
