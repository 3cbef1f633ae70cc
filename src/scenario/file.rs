//! Stage one of scenario loading: the TOML file as written.
//!
//! These structs only parse. Every struct denies unknown fields, so a typo is
//! an error, not a silently ignored line. Each section's type lives with the
//! module that owns it (the setting's in `setting`, each instrument's and
//! organisation's in its mechanism); this file assembles the top level.
//! Defaults are given once, on the fields, and documented in
//! `docs/scenario.md`; validation happens in [`super::Scenario::from_file`].

use crate::mechanism::budget::{ArmBudgetFile, BudgetFile, DeliveryFile};
use crate::mechanism::cash::CashFile;
use crate::mechanism::cooperative::{CooperativeFile, CooperativePolicyFile};
use crate::mechanism::credit::CreditFile;
use crate::mechanism::demography::DemographyFile;
use crate::mechanism::dibao::DibaoFile;
use crate::mechanism::ecommerce::EcommerceFile;
use crate::mechanism::enterprise::{EnterpriseFile, EnterprisePolicyFile};
use crate::mechanism::guarantee::GuaranteesFile;
use crate::mechanism::health::HealthAidFile;
use crate::mechanism::housing::HousingFile;
use crate::mechanism::infrastructure::InfrastructureFile;
use crate::mechanism::inkind::InKindFile;
use crate::mechanism::land_centre::LandCentreFile;
use crate::mechanism::loan_guarantee::LoanGuaranteeFile;
use crate::mechanism::local_economy::LocalEconomyFile;
use crate::mechanism::machinery::MachineryFile;
use crate::mechanism::network::NetworkFile;
use crate::mechanism::package::PackageFile;
use crate::mechanism::registry::TargetingFile;
use crate::mechanism::relocation::RelocationFile;
use crate::mechanism::school::SchoolFile;
use crate::mechanism::work_teams::WorkTeamsFile;
use crate::setting::{
    BehaviourFile, HazardFile, HealthFile, LabourFile, MarketsFile, PopulationFile, PovertyLineFile, PricesFile,
    SchoolingFile, VenturesFile,
};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The `meta` section or list: see docs/scenario.md.
    pub meta: MetaFile,
    /// The `poverty_line` section or list: see docs/scenario.md.
    #[serde(default)]
    pub poverty_line: PovertyLineFile,
    /// The `prices` section: see docs/scenario.md.
    #[serde(default)]
    pub prices: PricesFile,
    /// The `population` section or list: see docs/scenario.md.
    pub population: PopulationFile,
    /// The `markets` section or list: see docs/scenario.md.
    pub markets: MarketsFile,
    /// The `organisations` section or list: see docs/scenario.md.
    #[serde(default)]
    pub organisations: OrganisationsFile,
    /// The `labour` section or list: see docs/scenario.md.
    #[serde(default)]
    pub labour: LabourFile,
    /// The `health` section or list: see docs/scenario.md.
    #[serde(default)]
    pub health: HealthFile,
    /// The `behaviour` section or list: see docs/scenario.md.
    #[serde(default)]
    pub behaviour: BehaviourFile,
    /// The `schooling` section: see docs/scenario.md.
    #[serde(default)]
    pub schooling: SchoolingFile,
    /// The `ventures` section: see docs/scenario.md.
    #[serde(default)]
    pub ventures: VenturesFile,
    /// The `dibao` section or list: see docs/scenario.md.
    #[serde(default)]
    pub dibao: DibaoFile,
    /// The `budget` section or list: see docs/scenario.md.
    pub budget: BudgetFile,
    /// The `targeting` section or list: see docs/scenario.md.
    #[serde(default)]
    pub targeting: TargetingFile,
    /// The `guarantees` section: see docs/scenario.md.
    #[serde(default)]
    pub guarantees: GuaranteesFile,
    /// The `network` section: see docs/scenario.md.
    #[serde(default)]
    pub network: NetworkFile,
    /// The `local_economy` section: see docs/scenario.md.
    #[serde(default)]
    pub local_economy: LocalEconomyFile,
    /// The `demography` section: see docs/scenario.md.
    #[serde(default)]
    pub demography: DemographyFile,
    /// The `hazards` section or list: see docs/scenario.md.
    #[serde(default)]
    pub hazards: Vec<HazardFile>,
    /// The `arms` section or list: see docs/scenario.md.
    pub arms: Vec<ArmFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MetaFile {
    /// Scenario name. It names the default output folder `output/<name>/` and appears in the outputs.
    ///
    /// Unit: –. Default: required. Allowed: non-empty after trimming; only letters (any script), digits, `-`, `_`, `.`;
    /// not starting with `.`.
    pub name: String,
    /// Free text, copied into `summary.json`.
    ///
    /// Unit: –. Default: `""`. Allowed: any.
    #[serde(default)]
    pub description: String,
    /// The first **policy** year. The year before it (`start_year − 1`) is simulated once, without policy, as the pre-
    /// policy year.
    ///
    /// Unit: calendar year. Default: `2015`. Allowed: [1900, 2200].
    #[serde(default = "default_start_year")]
    pub start_year: i64,
    /// Number of policy years. A run simulates `12 × years` policy months after the pre-policy year.
    ///
    /// Unit: years. Default: `6`. Allowed: [1, 50].
    #[serde(default = "default_years")]
    pub years: i64,
    /// Monte Carlo replicates. Overridden by `fupin run --replicates`; with `--first-replicate K` the run is the shard
    /// of replicates K … K + N − 1 (see [`outputs.md`](outputs.md#commands-and-exit-codes)).
    ///
    /// Unit: count. Default: `100`. Allowed: [1, 1,000,000].
    #[serde(default = "default_replicates")]
    pub replicates: i64,
    /// Master seed of all random streams. Overridden by `fupin run --seed` (which accepts any unsigned 64-bit value).
    ///
    /// Unit: –. Default: `1`. Allowed: any non-negative TOML integer (0 to 2^63−1); not range-checked further.
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
    /// The `organisations.cooperatives` section or list: see docs/scenario.md.
    #[serde(default)]
    pub cooperatives: Vec<CooperativeFile>,
    /// The `organisations.enterprises` section or list: see docs/scenario.md.
    #[serde(default)]
    pub enterprises: Vec<EnterpriseFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArmFile {
    /// Arm name, used in every output file.
    ///
    /// Unit: –. Default: required. Allowed: non-empty after trimming, unique among arms.
    pub name: String,
    /// Free text, copied into `summary.json`.
    ///
    /// Unit: –. Default: `""`. Allowed: any.
    #[serde(default)]
    pub description: String,
    /// The instruments this arm runs (any combination, each at most once). With none, the arm spends nothing: its whole
    /// budget is booked as unspent (dibao still runs).
    ///
    /// Unit: –. Default: empty. Allowed: only the keys `cash`, `enterprise`, `cooperative`, `inkind`, `school`,
    /// `health_aid`, `package`, `credit`, `machinery`, `housing`, `infrastructure`, `ecommerce`, `relocation`, `loan_guarantee`, `work_teams`, `land_centre`.
    #[serde(default)]
    pub policies: PoliciesFile,
    /// How the arm's money is delivered.
    ///
    /// Unit: –. Default: see below. Allowed: –.
    #[serde(default)]
    pub delivery: DeliveryFile,
    /// The `arms[].budget` section: this arm's own budget, instead of the scenario's `[budget]`;
    /// see docs/scenario.md.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub budget: Option<ArmBudgetFile>,
    /// Fields this arm runs with instead of the scenario's, from its first policy month: `"PATH=VALUE"` texts, as
    /// `fupin run --set` takes them, for fields of `behaviour`, `labour`, `health`, `dibao`, `local_economy` and
    /// `organisations.enterprises` (not an enterprise's `own_capital` or `contract_floor`, fixed before the arms
    /// part). What every arm shares (households, villages, markets, hazards, the poverty line, the pre-policy year)
    /// cannot differ. Dibao fields apply from the arm's first identification (its first policy December): the first
    /// year's dibao was set at the shared pre-policy identification.
    ///
    /// Unit: –. Default: `[]`. Allowed: such texts, each for one of those sections, whose result validates.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub set: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PoliciesFile {
    /// The `arms[].policies.cash` section or list: see docs/scenario.md.
    #[serde(default)]
    pub cash: Option<CashFile>,
    /// The `arms[].policies.enterprise` section or list: see docs/scenario.md.
    #[serde(default)]
    pub enterprise: Option<EnterprisePolicyFile>,
    /// The `arms[].policies.cooperative` section or list: see docs/scenario.md.
    #[serde(default)]
    pub cooperative: Option<CooperativePolicyFile>,
    /// The `arms[].policies.inkind` section or list: see docs/scenario.md.
    #[serde(default)]
    pub inkind: Option<InKindFile>,
    /// The `arms[].policies.school` section or list: see docs/scenario.md.
    #[serde(default)]
    pub school: Option<SchoolFile>,
    /// The `arms[].policies.health_aid` section or list: see docs/scenario.md.
    #[serde(default)]
    pub health_aid: Option<HealthAidFile>,
    /// The `arms[].policies.package` section or list: see docs/scenario.md.
    #[serde(default)]
    pub package: Option<PackageFile>,
    /// The `arms[].policies.credit` section or list: see docs/scenario.md.
    #[serde(default)]
    pub credit: Option<CreditFile>,
    /// The `arms[].policies.machinery` section or list: see docs/scenario.md.
    #[serde(default)]
    pub machinery: Option<MachineryFile>,
    /// The `arms[].policies.housing` section: see docs/scenario.md.
    #[serde(default)]
    pub housing: Option<HousingFile>,
    /// The `arms[].policies.infrastructure` section: see docs/scenario.md.
    #[serde(default)]
    pub infrastructure: Option<InfrastructureFile>,
    /// The `arms[].policies.ecommerce` section: see docs/scenario.md.
    #[serde(default)]
    pub ecommerce: Option<EcommerceFile>,
    /// The `arms[].policies.relocation` section: see docs/scenario.md.
    #[serde(default)]
    pub relocation: Option<RelocationFile>,
    /// The `arms[].policies.loan_guarantee` section: see docs/scenario.md.
    #[serde(default)]
    pub loan_guarantee: Option<LoanGuaranteeFile>,
    /// The `arms[].policies.work_teams` section: see docs/scenario.md.
    #[serde(default)]
    pub work_teams: Option<WorkTeamsFile>,
    /// The `arms[].policies.land_centre` section: see docs/scenario.md.
    #[serde(default)]
    pub land_centre: Option<LandCentreFile>,
}
