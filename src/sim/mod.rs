//! The simulation: one replicate of every arm, month by month.
//!
//! A replicate ([`replicate`]) builds the world every arm shares, runs the
//! pre-policy year once, identifies the poor, then clones that state for
//! each arm and runs the policy years. A month ([`month`]) is an ordered
//! list of phases, each a call into one mechanism; the household pass
//! ([`pass`]) runs every mechanism's household block over fixed-size chunks
//! of households in parallel. [`measure`] fills the monthly and yearly
//! metric rows by name; [`run`] runs many replicates and folds their
//! results.
//!
//! Architecture invariant: `sim` holds the schedule and the state, not the
//! rules: every rule of behaviour or policy is in a mechanism module.

pub mod measure;
pub mod month;
pub mod pass;
pub mod replicate;
pub mod run;
pub mod shared;
pub mod state;

pub use month::step_month;
pub use replicate::{
    initial_row, pre_policy_year, run_replicate, run_replicate_until, run_replicate_with, sustained_exits, ArmOutcome,
    ReplicateOutcome,
};
pub use shared::{MonthSink, Replicate};
pub use state::State;
