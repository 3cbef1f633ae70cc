//! fupin (扶贫): an agent-based simulator of poverty-alleviation policy.
//!
//! Data flows one way: a scenario file ([`scenario`]) is validated into a
//! [`setting`] and each mechanism's parameters ([`mechanism`]); a replicate
//! ([`sim`]) builds the [`world`] every arm shares and runs the months, each
//! an ordered list of mechanism phases; its metrics are filled by name from
//! the registry ([`outcome`]); the writers ([`output`]), charts ([`chart`])
//! and report ([`report`]) turn the aggregates into files; [`app`] is the
//! pipeline, [`serve`] the trainer's live page and [`cli`] the command line. `ARCHITECTURE.md` is the map;
//! the model is described in `docs/ODD.md`.

#[macro_use]
mod columns;

pub mod app;
pub mod atomic;
pub mod chart;
pub mod check;
pub mod cli;
pub mod compare;
pub mod error;
pub mod household;
pub mod lang;
pub mod ledger;
pub mod mechanism;
pub mod memory;
pub mod merge;
pub mod metrics;
pub mod outcome;
pub mod output;
pub mod report;
pub mod rng;
pub mod scenario;
pub mod sensitivity;
pub mod serve;
pub mod setting;
pub mod shipped;
pub mod sim;
pub mod stats;
pub mod summary;
pub mod sweep;
pub mod world;

pub use error::{Error, Result};

#[cfg(test)]
mod testing;
