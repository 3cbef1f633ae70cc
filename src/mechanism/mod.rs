//! The mechanisms of the model, one module each.
//!
//! Each module holds one mechanism's whole life: its scenario section (a
//! serde type, stage one of loading) and its validation into parameters
//! (stage two); its own household columns (declared with `columns!`) and
//! arm-level state; its arm-level delivery; its block of the household pass;
//! what it adds up for the metrics; and its unit tests. `sim` calls them in
//! the order of the month's schedule (`sim::month`).
//!
//! Architecture invariant: a mechanism imports the setting, the world, the
//! household columns, the ledger, the checker and `rng`, and other
//! mechanisms' public types where one hands something to another (a package
//! hands out in-kind items and school places); never `sim`, `scenario`, the
//! writers or the CLI.

pub mod budget;
pub mod cash;
pub mod consumption;
pub mod cooperative;
pub mod credit;
pub mod demography;
pub mod dependency;
pub mod dibao;
pub mod ecommerce;
pub mod enterprise;
pub mod guarantee;
pub mod health;
pub mod herd;
pub mod housing;
pub mod infrastructure;
pub mod inkind;
pub mod invest;
pub mod labour;
pub mod labour_market;
pub mod land_centre;
pub mod loan_guarantee;
pub mod local_economy;
pub mod machinery;
pub mod market;
pub mod network;
pub mod package;
pub mod registry;
pub mod relocation;
pub mod school;
pub mod venture;
pub mod work_teams;
