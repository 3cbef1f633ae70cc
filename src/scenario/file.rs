//! Stage one of scenario loading: the TOML file as written.
//!
//! These structs only parse. Every struct denies unknown fields, so a typo is
//! an error, not a silently ignored line. Defaults are given here, once, and
//! documented in `docs/scenario.md`; validation happens in
//! [`super::Scenario::from_file`].

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

/// The seven-step identification (精准识别): errors at application, then
/// corrected at each public notice.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TargetingFile {
    /// Share of the truly poor left out at application and review.
    #[serde(default)]
    pub exclusion_error: f64,
    /// Share of the non-poor let in at application and review.
    #[serde(default)]
    pub inclusion_error: f64,
    /// Whether the two public notices run.
    #[serde(default = "default_true")]
    pub public_notices: bool,
    /// Share of the remaining errors each public notice corrects.
    #[serde(default = "default_notice_correction")]
    pub notice_correction: f64,
}
fn default_notice_correction() -> f64 {
    0.3
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HazardFile {
    pub name: String,
    /// Commodities whose harvest it hits; empty = all.
    #[serde(default)]
    pub commodities: Vec<String>,
    /// Climate zones where it strikes; empty = all.
    #[serde(default)]
    pub climates: Vec<String>,
    #[serde(default = "default_hazard_altitude")]
    pub altitude_range_m: [f64; 2],
    /// Chance per village per year.
    pub probability: f64,
    /// Share of the harvest lost when it strikes.
    pub loss: f64,
}
fn default_hazard_altitude() -> [f64; 2] {
    [-500.0, 9000.0]
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PovertyLineFile {
    /// yuan per person per year, in `start_year` prices.
    #[serde(default = "default_line")]
    pub yuan_per_person_year: f64,
    /// yearly growth of the line (0.074 takes 2,800 in 2015 to ~4,000 in 2020).
    #[serde(default = "default_indexation")]
    pub indexation: f64,
}
fn default_line() -> f64 {
    2800.0
}
fn default_indexation() -> f64 {
    0.074
}
impl Default for PovertyLineFile {
    fn default() -> Self {
        PovertyLineFile { yuan_per_person_year: default_line(), indexation: default_indexation() }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationFile {
    pub households: i64,
    #[serde(default = "default_mean_adults")]
    pub mean_adults: f64,
    #[serde(default = "default_mean_elderly")]
    pub mean_elderly: f64,
    #[serde(default = "default_mean_children")]
    pub mean_children: f64,
    #[serde(default = "default_labourless_share")]
    pub labourless_share: f64,
    #[serde(default = "default_chronic_share")]
    pub chronic_illness_share: f64,
    #[serde(default = "default_disability_share")]
    pub disability_share: f64,
    #[serde(default = "default_land_mean")]
    pub land_mu_mean: f64,
    #[serde(default = "default_land_sd")]
    pub land_sd_log: f64,
    #[serde(default = "default_productivity_sd")]
    pub productivity_sd_log: f64,
    #[serde(default = "default_migrant_share")]
    pub migrant_share: f64,
    #[serde(default = "default_savings_months")]
    pub savings_months: f64,
    #[serde(default = "default_dependency_mean")]
    pub dependency_mean: f64,
    pub staple: String,
    #[serde(default)]
    pub livestock: Option<String>,
    #[serde(default = "default_herd_mean")]
    pub herd_mean: f64,
    #[serde(default = "default_product_land_share")]
    pub product_land_share: f64,
    pub villages: Vec<VillageFile>,
}
fn default_mean_adults() -> f64 {
    1.9
}
fn default_mean_elderly() -> f64 {
    0.6
}
fn default_mean_children() -> f64 {
    1.2
}
fn default_labourless_share() -> f64 {
    0.07
}
fn default_chronic_share() -> f64 {
    0.09
}
fn default_disability_share() -> f64 {
    0.05
}
fn default_land_mean() -> f64 {
    3.0
}
fn default_land_sd() -> f64 {
    0.5
}
fn default_productivity_sd() -> f64 {
    0.45
}
fn default_migrant_share() -> f64 {
    0.35
}
fn default_savings_months() -> f64 {
    2.0
}
fn default_dependency_mean() -> f64 {
    0.2
}
fn default_herd_mean() -> f64 {
    2.0
}
fn default_product_land_share() -> f64 {
    0.4
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VillageFile {
    pub name: String,
    pub share: f64,
    #[serde(default = "default_altitude")]
    pub altitude_m: f64,
    #[serde(default = "default_slope")]
    pub slope_deg: f64,
    #[serde(default = "default_climate")]
    pub climate: String,
    #[serde(default)]
    pub product: Option<String>,
    #[serde(default = "default_governance")]
    pub governance: f64,
    #[serde(default)]
    pub key: bool,
    #[serde(default = "default_one")]
    pub income_factor: f64,
}
fn default_altitude() -> f64 {
    1000.0
}
fn default_slope() -> f64 {
    10.0
}
fn default_climate() -> String {
    "temperate".into()
}
fn default_governance() -> f64 {
    0.6
}
fn default_one() -> f64 {
    1.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarketsFile {
    pub commodities: Vec<CommodityFile>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommodityFile {
    pub name: String,
    #[serde(default = "default_kind")]
    pub kind: String,
    #[serde(default = "default_unit")]
    pub unit: String,
    pub base_price: f64,
    #[serde(rename = "yield")]
    pub yield_per: f64,
    pub cost: f64,
    #[serde(default = "default_plant_month")]
    pub plant_month: i64,
    #[serde(default = "default_harvest_month")]
    pub harvest_month: i64,
    #[serde(default = "default_price_sd")]
    pub price_sd: f64,
    #[serde(default)]
    pub scripted_prices: Vec<f64>,
    #[serde(default = "default_mortality")]
    pub monthly_mortality: f64,
    #[serde(default = "default_altitude_range")]
    pub altitude_range_m: [f64; 2],
    #[serde(default = "default_max_slope")]
    pub max_slope_deg: f64,
    #[serde(default)]
    pub climates: Vec<String>,
    /// Price elasticity of demand in the wider market; 0 = exogenous price.
    #[serde(default)]
    pub demand_elasticity: f64,
    /// Area (mu) or herd (head) outside the township at the base price.
    #[serde(default)]
    pub outside_area: f64,
    /// "naive" (last price) or "adaptive" expectations.
    #[serde(default = "default_expectation")]
    pub expectation: String,
    /// Weight of the latest price in adaptive expectations.
    #[serde(default = "default_adaptation")]
    pub adaptation: f64,
    /// Long-run elasticity of area to expected profit; 0 = fixed areas.
    #[serde(default)]
    pub area_elasticity: f64,
    /// Share of the gap to the desired area closed each season outside the township (Nerlove).
    #[serde(default = "default_area_adjustment")]
    pub area_adjustment: f64,
    /// Weight households give to last season's realised profit (imitation).
    #[serde(default)]
    pub imitation: f64,
    /// Cost of digging up / bringing in the harvest, yuan per mu or head; paid only if harvested.
    #[serde(default)]
    pub dig_cost: f64,
    /// Largest share of a household's land it may put under this crop.
    #[serde(default = "default_max_land_share")]
    pub max_land_share: f64,
    /// Mu (or head) one labour unit can tend.
    #[serde(default = "default_mu_per_labour")]
    pub mu_per_labour: f64,
    /// Years from planting to first harvest (trees); applies to area handed out.
    #[serde(default)]
    pub years_to_bearing: i64,
}
fn default_expectation() -> String {
    "adaptive".into()
}
fn default_adaptation() -> f64 {
    0.5
}
fn default_area_adjustment() -> f64 {
    0.5
}
fn default_max_land_share() -> f64 {
    0.8
}
fn default_mu_per_labour() -> f64 {
    10.0
}
fn default_kind() -> String {
    "crop".into()
}
fn default_unit() -> String {
    "jin".into()
}
fn default_plant_month() -> i64 {
    4
}
fn default_harvest_month() -> i64 {
    10
}
fn default_price_sd() -> f64 {
    0.1
}
fn default_mortality() -> f64 {
    0.004
}
fn default_altitude_range() -> [f64; 2] {
    [0.0, 5000.0]
}
fn default_max_slope() -> f64 {
    90.0
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
pub struct CooperativeFile {
    pub name: String,
    pub village: String,
    pub commodity: String,
    pub members: i64,
    #[serde(default = "default_coop_land_share")]
    pub land_share: f64,
    #[serde(default = "default_founders")]
    pub founders: i64,
    #[serde(default = "default_founder_capture")]
    pub founder_capture: f64,
    #[serde(default = "default_coop_yield_gain")]
    pub yield_gain: f64,
}
fn default_coop_land_share() -> f64 {
    0.5
}
fn default_founders() -> i64 {
    3
}
fn default_founder_capture() -> f64 {
    0.2
}
fn default_coop_yield_gain() -> f64 {
    1.2
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseFile {
    pub name: String,
    pub commodity: String,
    #[serde(default)]
    pub villages: Vec<String>,
    pub own_capital: f64,
    #[serde(default = "default_capital_per_job")]
    pub capital_per_job: f64,
    #[serde(default = "default_wage")]
    pub wage: f64,
    #[serde(default = "default_rent")]
    pub rent: f64,
    #[serde(default = "default_lease_mu")]
    pub lease_mu: f64,
    #[serde(default = "default_dividend_rate")]
    pub dividend_rate: f64,
    #[serde(default = "default_output_per_job")]
    pub output_per_job: f64,
    #[serde(default = "default_fixed_cost")]
    pub fixed_cost: f64,
    #[serde(default = "default_max_linked")]
    pub max_linked: i64,
    #[serde(default)]
    pub diversion: f64,
    /// Floor price (yuan/unit) of a purchase contract with linked households; 0 = none.
    #[serde(default)]
    pub contract_floor: f64,
}
fn default_capital_per_job() -> f64 {
    60_000.0
}
fn default_wage() -> f64 {
    20_000.0
}
fn default_rent() -> f64 {
    600.0
}
fn default_lease_mu() -> f64 {
    1.0
}
fn default_dividend_rate() -> f64 {
    0.08
}
fn default_output_per_job() -> f64 {
    32_000.0
}
fn default_fixed_cost() -> f64 {
    300_000.0
}
fn default_max_linked() -> i64 {
    100_000
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabourFile {
    /// yuan per month per full labour unit when employed locally.
    #[serde(default = "default_local_wage")]
    pub local_wage: f64,
    /// share of months a local labour unit finds paid work.
    #[serde(default = "default_employment_rate")]
    pub employment_rate: f64,
    /// yuan per month sent home per migrant member.
    #[serde(default = "default_remittance")]
    pub remittance: f64,
    /// yearly nominal growth of local wages and remittances.
    #[serde(default = "default_wage_growth")]
    pub wage_growth: f64,
}
fn default_wage_growth() -> f64 {
    0.08
}
fn default_local_wage() -> f64 {
    1500.0
}
fn default_employment_rate() -> f64 {
    0.35
}
fn default_remittance() -> f64 {
    700.0
}
impl Default for LabourFile {
    fn default() -> Self {
        LabourFile {
            local_wage: default_local_wage(),
            employment_rate: default_employment_rate(),
            remittance: default_remittance(),
            wage_growth: default_wage_growth(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HealthFile {
    #[serde(default = "default_acute_prob")]
    pub acute_illness_prob: f64,
    #[serde(default = "default_acute_cost")]
    pub acute_cost_mean: f64,
    #[serde(default = "default_acute_months")]
    pub acute_labour_loss_months: i64,
    #[serde(default = "default_chronic_cost")]
    pub chronic_cost: f64,
    #[serde(default = "default_reimbursement")]
    pub insurance_reimbursement: f64,
}
fn default_acute_prob() -> f64 {
    0.01
}
fn default_acute_cost() -> f64 {
    4000.0
}
fn default_acute_months() -> i64 {
    2
}
fn default_chronic_cost() -> f64 {
    250.0
}
fn default_reimbursement() -> f64 {
    0.5
}
impl Default for HealthFile {
    fn default() -> Self {
        HealthFile {
            acute_illness_prob: default_acute_prob(),
            acute_cost_mean: default_acute_cost(),
            acute_labour_loss_months: default_acute_months(),
            chronic_cost: default_chronic_cost(),
            insurance_reimbursement: default_reimbursement(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourFile {
    /// yuan per adult-equivalent per month.
    #[serde(default = "default_subsistence")]
    pub subsistence: f64,
    #[serde(default = "default_mpc")]
    pub mpc: f64,
    #[serde(default = "default_debt_interest")]
    pub debt_interest: f64,
    #[serde(default = "default_handout_step")]
    pub dependency_handout_step: f64,
    #[serde(default = "default_earned_decay")]
    pub dependency_earned_decay: f64,
    #[serde(default = "default_effort_loss")]
    pub dependency_effort_loss: f64,
    /// Chance that any household eats or sells a handout.
    #[serde(default = "default_liquidation_base")]
    pub liquidation_base: f64,
    /// Added chance per unit of dependency index.
    #[serde(default = "default_liquidation_dependency")]
    pub liquidation_dependency: f64,
    /// Added chance when savings are below a month of need.
    #[serde(default = "default_liquidation_need")]
    pub liquidation_need: f64,
    /// Share of a handout's cost recovered when it is eaten or sold.
    #[serde(default = "default_salvage_share")]
    pub salvage_share: f64,
}
fn default_liquidation_base() -> f64 {
    0.03
}
fn default_liquidation_dependency() -> f64 {
    0.6
}
fn default_liquidation_need() -> f64 {
    0.2
}
fn default_salvage_share() -> f64 {
    0.5
}
fn default_subsistence() -> f64 {
    180.0
}
fn default_mpc() -> f64 {
    0.8
}
fn default_debt_interest() -> f64 {
    0.08
}
fn default_handout_step() -> f64 {
    0.03
}
fn default_earned_decay() -> f64 {
    0.04
}
fn default_effort_loss() -> f64 {
    0.5
}
impl Default for BehaviourFile {
    fn default() -> Self {
        BehaviourFile {
            subsistence: default_subsistence(),
            mpc: default_mpc(),
            debt_interest: default_debt_interest(),
            dependency_handout_step: default_handout_step(),
            dependency_earned_decay: default_earned_decay(),
            dependency_effort_loss: default_effort_loss(),
            liquidation_base: default_liquidation_base(),
            liquidation_dependency: default_liquidation_dependency(),
            liquidation_need: default_liquidation_need(),
            salvage_share: default_salvage_share(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DibaoFile {
    #[serde(default = "default_true")]
    pub enabled: bool,
    /// yuan per person per year; the top-up fills the gap to this line.
    #[serde(default = "default_dibao_line")]
    pub line: f64,
}
fn default_true() -> bool {
    true
}
fn default_dibao_line() -> f64 {
    2400.0
}
impl Default for DibaoFile {
    fn default() -> Self {
        DibaoFile { enabled: true, line: default_dibao_line() }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    /// yuan per year for the arm's instruments.
    pub yearly: f64,
    #[serde(default)]
    pub admin_share: f64,
    /// Budget per policy year, yuan, overriding `yearly` for the years it lists.
    #[serde(default)]
    pub by_year: Vec<f64>,
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

/// How the arm's money is delivered (MODEL.md §4.13).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryFile {
    /// Months of approval delay before any instrument's money arrives.
    #[serde(default)]
    pub delay_months: i64,
    /// "rollover" (late money is carried to next year's season) or "lost".
    #[serde(default = "default_late_funds")]
    pub late_funds: String,
    /// true: in-kind money buys items for every recipient; false: a household
    /// without labour (under 0.5 units) gets the item's value in cash instead.
    #[serde(default = "default_true")]
    pub ring_fenced: bool,
}
fn default_late_funds() -> String {
    "rollover".into()
}
impl Default for DeliveryFile {
    fn default() -> Self {
        DeliveryFile { delay_months: 0, late_funds: default_late_funds(), ring_fenced: true }
    }
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

/// Vocational or nursing school for teenagers of registered households.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolFile {
    pub budget_share: f64,
    /// Tuition and board, yuan per student per year.
    #[serde(default = "default_tuition")]
    pub tuition: f64,
    /// Share of the tuition the policy pays; the family pays the rest.
    #[serde(default = "default_one")]
    pub subsidy_share: f64,
    /// Length of the course, years.
    #[serde(default = "default_school_years")]
    pub years: i64,
    /// A graduate's wage, yuan per month in the first policy year's prices.
    #[serde(default = "default_skilled_wage")]
    pub skilled_wage: f64,
    /// Share of the wage sent home.
    #[serde(default = "default_remit_share")]
    pub remit_share: f64,
    /// Month (1-12) the school year starts.
    #[serde(default = "default_enrol_month")]
    pub enrol_month: i64,
}
fn default_tuition() -> f64 {
    4000.0
}
fn default_school_years() -> i64 {
    2
}
fn default_skilled_wage() -> f64 {
    3000.0
}
fn default_remit_share() -> f64 {
    0.4
}
fn default_enrol_month() -> i64 {
    9
}

/// Medical aid (医疗救助) on top of insurance for registered households.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HealthAidFile {
    pub budget_share: f64,
    /// Share of the out-of-pocket medical cost the aid pays.
    #[serde(default = "default_aid_cover")]
    pub cover: f64,
}
fn default_aid_cover() -> f64 {
    0.8
}

/// One package per registered household: the same for all, or chosen by cause.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageFile {
    pub budget_share: f64,
    /// "uniform" or "tailored".
    pub mode: String,
    /// The uniform package, or what households able to work choose from when tailored.
    pub items: Vec<String>,
    /// Yuan per unit of each item.
    pub unit_costs: Vec<f64>,
    /// Share of the package's value spent on each item in the uniform package.
    pub item_shares: Vec<f64>,
    /// Tuition per student year when tailored (school for households with teenagers).
    #[serde(default = "default_tuition")]
    pub tuition: f64,
    #[serde(default = "default_skilled_wage")]
    pub skilled_wage: f64,
    #[serde(default = "default_remit_share")]
    pub remit_share: f64,
    /// Month (1-12) the packages are handed out.
    #[serde(default = "default_transfer_month")]
    pub transfer_month: i64,
}

/// Poverty micro-credit, the "1+3" model (扶贫小额信贷).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CreditFile {
    /// Budget share spent on interest subsidies and the guarantee fund.
    pub budget_share: f64,
    /// "self", "entrepreneur", "cooperative" or "enterprise".
    pub mode: String,
    /// Loan per household, yuan (credit limit).
    #[serde(default = "default_loan")]
    pub loan: f64,
    /// Bank interest rate per year.
    #[serde(default = "default_bank_rate")]
    pub rate: f64,
    /// Share of the interest the policy pays.
    #[serde(default = "default_one")]
    pub interest_subsidy: f64,
    /// Yearly return on the loan in self-use, at productivity 1.
    #[serde(default = "default_self_return")]
    pub self_return: f64,
    /// Yearly chance that a self-use project fails and the principal is lost.
    #[serde(default = "default_self_failure")]
    pub self_failure: f64,
    /// Fixed yearly dividend a partner pays on the principal.
    #[serde(default = "default_paired_return")]
    pub paired_return: f64,
    /// Yearly chance that the partner defaults.
    #[serde(default = "default_partner_failure")]
    pub partner_failure: f64,
    /// Share of a default the guarantee fund covers.
    #[serde(default = "default_guarantee")]
    pub guarantee: f64,
    /// Least productivity a household needs to be lent to.
    #[serde(default)]
    pub min_productivity: f64,
}
fn default_loan() -> f64 {
    50000.0
}
fn default_bank_rate() -> f64 {
    0.0435
}
fn default_self_return() -> f64 {
    0.12
}
fn default_self_failure() -> f64 {
    0.1
}
fn default_paired_return() -> f64 {
    0.08
}
fn default_partner_failure() -> f64 {
    0.03
}
fn default_guarantee() -> f64 {
    0.8
}

/// The farm machinery purchase subsidy (农机购置补贴).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MachineryFile {
    pub budget_share: f64,
    /// Subsidy per machine, yuan.
    #[serde(default = "default_machine_subsidy")]
    pub subsidy: f64,
    /// Price of a machine, yuan.
    #[serde(default = "default_machine_price")]
    pub price: f64,
    /// "point_of_sale" (deducted when buying) or "reimbursed" (paid back later).
    pub mode: String,
    /// Share by which a machine raises the household's crop output.
    #[serde(default = "default_machine_gain")]
    pub yield_gain: f64,
}
fn default_machine_subsidy() -> f64 {
    5000.0
}
fn default_machine_price() -> f64 {
    12000.0
}
fn default_machine_gain() -> f64 {
    0.2
}

/// In-kind handouts of animals, seedlings or trees (MODEL.md §4.4).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InKindFile {
    pub budget_share: f64,
    /// Commodities that may be handed out; central procurement buys the first.
    pub items: Vec<String>,
    /// Units (head or mu) per recipient household.
    pub units: f64,
    /// Yuan per unit delivered.
    pub unit_cost: f64,
    /// "central", "village" or "household".
    #[serde(default = "default_procurement")]
    pub procurement: String,
    /// Month (1-12) the handout is due.
    #[serde(default = "default_transfer_month")]
    pub transfer_month: i64,
    /// Years between rotations of the sponsoring officials; 0 = never.
    #[serde(default)]
    pub patron_rotation_years: i64,
    /// Villages whose registered households receive it; empty = all.
    #[serde(default)]
    pub villages: Vec<String>,
}
fn default_procurement() -> String {
    "central".into()
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CooperativePolicyFile {
    pub budget_share: f64,
    pub cooperative: String,
    #[serde(default = "default_transfer_month")]
    pub transfer_month: i64,
    /// Registered poor households enrolled as new members per year.
    #[serde(default = "default_enrol")]
    pub enrol_per_year: i64,
    /// Yuan per pledged mu per season guaranteed to members: the cooperative's
    /// capital tops up any member whose payout falls below it, while it lasts.
    #[serde(default = "default_min_dividend")]
    pub guaranteed_dividend: f64,
    /// Overrides the cooperative's founder_capture in this arm (governance).
    #[serde(default)]
    pub founder_capture: Option<f64>,
    /// A sham cooperative takes the grant and dissolves.
    #[serde(default)]
    pub sham: bool,
    /// Bank loan taken each year as one borrower and on-lent to members (统借统还), yuan.
    #[serde(default)]
    pub loan: f64,
    #[serde(default = "default_loan_rate")]
    pub loan_rate: f64,
    /// Yearly return members earn on the money they borrow.
    #[serde(default = "default_loan_return")]
    pub loan_return: f64,
}
fn default_loan_rate() -> f64 {
    0.06
}
fn default_loan_return() -> f64 {
    0.15
}
fn default_enrol() -> i64 {
    100
}
fn default_min_dividend() -> f64 {
    300.0
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CashFile {
    pub budget_share: f64,
    #[serde(default = "default_interval")]
    pub interval_months: i64,
    #[serde(default = "default_cash_leakage")]
    pub leakage: f64,
}
fn default_interval() -> i64 {
    1
}
fn default_cash_leakage() -> f64 {
    0.05
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct EnterprisePolicyFile {
    pub budget_share: f64,
    pub enterprise: String,
    #[serde(default = "default_transfer_month")]
    pub transfer_month: i64,
    /// Safeguard: share of each tranche the enterprise must invest first from its own cash.
    #[serde(default)]
    pub co_investment: f64,
    /// Safeguard: pay only for verified linkage (jobs filled by poor workers).
    #[serde(default)]
    pub verified_linkage: bool,
    /// Safeguard: chance per year that an audit finds and recovers diverted funds.
    #[serde(default)]
    pub audit_probability: f64,
}
fn default_transfer_month() -> i64 {
    3
}
