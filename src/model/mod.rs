//! Agents and their mechanisms: one module per agent kind.

pub mod cooperative;
pub mod enterprise;
pub mod market;
pub mod population;
