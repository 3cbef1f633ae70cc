//! Stage one of scenario loading: the TOML file as written.
//!
//! These structs only parse. Every struct denies unknown fields, so a typo is
//! an error, not a silently ignored line. Each section's type lives with the
//! module that owns it (the setting's in `setting`, each instrument's and
//! organisation's in its mechanism); this file assembles the top level.
//! Defaults are given once, on the fields, and documented in
//! `docs/scenario.md`; validation happens in [`super::Scenario::from_file`].

use crate::mechanism::budget::{BudgetFile, DeliveryFile};
use crate::mechanism::cash::CashFile;
use crate::mechanism::cooperative::{CooperativeFile, CooperativePolicyFile};
use crate::mechanism::credit::CreditFile;
use crate::mechanism::dibao::DibaoFile;
use crate::mechanism::enterprise::{EnterpriseFile, EnterprisePolicyFile};
use crate::mechanism::health::HealthAidFile;
use crate::mechanism::inkind::InKindFile;
use crate::mechanism::machinery::MachineryFile;
use crate::mechanism::package::PackageFile;
use crate::mechanism::registry::TargetingFile;
use crate::mechanism::school::SchoolFile;
use crate::setting::{BehaviourFile, HazardFile, HealthFile, LabourFile, MarketsFile, PopulationFile, PovertyLineFile};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    pub meta: MetaFile,
    #[serde(default)]
    pub poverty_line: PovertyLineFile,
    pub population: PopulationFile,
    pub markets: MarketsFile,
    #[serde(default)]
    pub organisations: OrganisationsFile,
    #[serde(default)]
    pub labour: LabourFile,
    #[serde(default)]
    pub health: HealthFile,
    #[serde(default)]
    pub behaviour: BehaviourFile,
    #[serde(default)]
    pub dibao: DibaoFile,
    pub budget: BudgetFile,
    #[serde(default)]
    pub targeting: TargetingFile,
    #[serde(default)]
    pub hazards: Vec<HazardFile>,
    pub arms: Vec<ArmFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetaFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default = "default_start_year")]
    pub start_year: i64,
    #[serde(default = "default_years")]
    pub years: i64,
    #[serde(default = "default_replicates")]
    pub replicates: i64,
    #[serde(default = "default_seed")]
    pub seed: u64,
}
fn default_start_year() -> i64 {
    2015
}
fn default_years() -> i64 {
    6
}
fn default_replicates() -> i64 {
    100
}
fn default_seed() -> u64 {
    1
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OrganisationsFile {
    #[serde(default)]
    pub cooperatives: Vec<CooperativeFile>,
    #[serde(default)]
    pub enterprises: Vec<EnterpriseFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArmFile {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub policies: PoliciesFile,
    #[serde(default)]
    pub delivery: DeliveryFile,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoliciesFile {
    #[serde(default)]
    pub cash: Option<CashFile>,
    #[serde(default)]
    pub enterprise: Option<EnterprisePolicyFile>,
    #[serde(default)]
    pub cooperative: Option<CooperativePolicyFile>,
    #[serde(default)]
    pub inkind: Option<InKindFile>,
    #[serde(default)]
    pub school: Option<SchoolFile>,
    #[serde(default)]
    pub health_aid: Option<HealthAidFile>,
    #[serde(default)]
    pub package: Option<PackageFile>,
    #[serde(default)]
    pub credit: Option<CreditFile>,
    #[serde(default)]
    pub machinery: Option<MachineryFile>,
}
