//! The township's setting: what every mechanism reads and none owns.
//!
//! The population and its villages, the commodities and their markets'
//! parameters, natural hazards, labour, health and household behaviour:
//! their scenario sections as written (serde, stage one), their validated
//! forms, and the checks between the two. Mechanisms read the validated
//! [`Setting`]; the scenario assembles it.
//!
//! Architecture invariant: this module knows no mechanism, no arm and no
//! simulation state.

use crate::check::{show, Checker, Choice, Choices, MAX_HOUSEHOLDS, MAX_YEARS};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PovertyLineFile {
    /// Poverty line in force in `start_year`.
    ///
    /// Unit: yuan/person/year. Default: `2800`. Allowed: [1, 1e7].
    #[serde(default = "default_line")]
    pub yuan_per_person_year: f64,
    /// Yearly growth of the line. The line of policy year *k* is `yuan_per_person_year × (1 + indexation)^k`; the pre-
    /// policy year uses *k* = −1.
    ///
    /// Unit: share per year. Default: `0.074`. Allowed: [−0.5, 1].
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

/// Which price index deflates the scenario's money amounts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    /// Prices rise with the poverty line's `indexation`.
    Line,
    /// Prices rise by the rates listed in `prices.yearly`.
    Yearly,
    /// Prices do not rise: every amount stays at its nominal value while the line and wages grow (the model before
    /// `[prices]` existed).
    None,
}

impl Choices for IndexKind {
    const ALLOWED: &'static str = "\"line\", \"yearly\" or \"none\"";
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PricesFile {
    /// The one price index. The simulation runs in yuan of the pre-policy year (`start_year − 1`): every money
    /// amount of the scenario is read as a pre-policy-year amount and stays constant in real terms, except the
    /// nominal paths, deflated by this index: the poverty line (`poverty_line.indexation`) and the dibao line, which
    /// follows it, and wages, remittances, a graduate's wage and a business's takings (`labour.wage_growth`). `"line"`: prices rise with the line, so the line is constant in real terms.
    /// `"yearly"`: prices rise by `prices.yearly`. `"none"`: prices never rise, so every other amount is pinned at its
    /// nominal value and loses against the line and wages.
    ///
    /// Unit: –. Default: `"line"`. Allowed: `"line"`, `"yearly"` or `"none"`.
    #[serde(default = "default_index")]
    pub index: Choice<IndexKind>,
    /// With `index = "yearly"`: the rise of prices into each policy year; element *k* is from `start_year + k − 1` to
    /// `start_year + k` (element 0 from the pre-policy year into `start_year`).
    ///
    /// Unit: share per year. Default: `[]`. Allowed: each in [−0.5, 1]; at least `meta.years` elements with `"yearly"`
    /// (extra ones are ignored), none otherwise.
    #[serde(default)]
    pub yearly: Vec<f64>,
}
fn default_index() -> Choice<IndexKind> {
    Choice::Known(IndexKind::Line)
}
impl Default for PricesFile {
    fn default() -> Self {
        PricesFile { index: default_index(), yearly: Vec::new() }
    }
}

/// `[prices]`: the price level of each year index (0 = the pre-policy year, at 1).
pub fn check_prices(c: &mut Checker, f: &PricesFile, line: &PovertyLineFile, years: u32) -> Vec<f64> {
    let kind = c.known("prices.index", &f.index, IndexKind::Line);
    for (k, r) in f.yearly.iter().enumerate() {
        c.num(&format!("prices.yearly[{k}]"), *r, -0.5, 1.0);
    }
    match kind {
        IndexKind::Yearly if f.yearly.len() < years as usize => c.push(
            "prices.yearly",
            format!("{} elements", f.yearly.len()),
            format!("at least meta.years = {years} elements with prices.index = \"yearly\""),
        ),
        IndexKind::Line | IndexKind::None if !f.yearly.is_empty() => {
            c.push("prices.yearly", format!("{} elements", f.yearly.len()), "none unless prices.index = \"yearly\"")
        }
        _ => {}
    }
    let rise = |k: usize| match kind {
        IndexKind::Line => line.indexation,
        IndexKind::Yearly => f.yearly.get(k).copied().unwrap_or(0.0),
        IndexKind::None => 0.0,
    };
    let mut level = vec![1.0f64];
    for k in 0..years as usize {
        level.push(level[k] * (1.0 + rise(k)));
    }
    level
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PopulationFile {
    /// Number of households in the township.
    ///
    /// Unit: households. Default: required. Allowed: [1, 100,000,000].
    pub households: i64,
    /// Mean working-age adults in a household that has any: drawn as 1 + Binomial(2, (mean − 1)/2).
    ///
    /// Unit: persons/household. Default: `1.9`. Allowed: [1, 3].
    #[serde(default = "default_mean_adults")]
    pub mean_adults: f64,
    /// Mean elderly members (Binomial(2, mean/2)) in households with working-age adults.
    ///
    /// Unit: persons/household. Default: `0.6`. Allowed: [0, 2].
    #[serde(default = "default_mean_elderly")]
    pub mean_elderly: f64,
    /// Mean children (Binomial(4, mean/4)) in households with working-age adults. Each child is a teenager (who could
    /// go to vocational school) with probability 0.3.
    ///
    /// Unit: persons/household. Default: `1.2`. Allowed: [0, 4].
    #[serde(default = "default_mean_children")]
    pub mean_children: f64,
    /// Share of households with no working-age adult: they get 1 or 2 elderly (even odds) and 0–2 children (uniform).
    ///
    /// Unit: prob. Default: `0.07`. Allowed: [0, 1].
    #[serde(default = "default_labourless_share")]
    pub labourless_share: f64,
    /// Chance a household has a chronically ill member (−0.6 labour units, monthly `health.chronic_cost`).
    ///
    /// Unit: prob. Default: `0.09`. Allowed: [0, 1].
    #[serde(default = "default_chronic_share")]
    pub chronic_illness_share: f64,
    /// Chance a household has a disabled member (−0.8 labour units). Independent of chronic illness.
    ///
    /// Unit: prob. Default: `0.05`. Allowed: [0, 1].
    #[serde(default = "default_disability_share")]
    pub disability_share: f64,
    /// Mean contracted land per household (log-normal with this mean).
    ///
    /// Unit: mu. Default: `3.0`. Allowed: [0, 1000].
    #[serde(default = "default_land_mean")]
    pub land_mu_mean: f64,
    /// Standard deviation of log land.
    ///
    /// Unit: log-sd. Default: `0.5`. Allowed: [0, 3].
    #[serde(default = "default_land_sd")]
    pub land_sd_log: f64,
    /// Standard deviation of log earning capacity (mean-one log-normal, then times the village `income_factor`).
    ///
    /// Unit: log-sd. Default: `0.45`. Allowed: [0, 3].
    #[serde(default = "default_productivity_sd")]
    pub productivity_sd_log: f64,
    /// Chance that each working-age adult beyond the first works away and remits.
    ///
    /// Unit: prob. Default: `0.35`. Allowed: [0, 1].
    #[serde(default = "default_migrant_share")]
    pub migrant_share: f64,
    /// Opening savings, in months of the household's subsistence need.
    ///
    /// Unit: months. Default: `2.0`. Allowed: [0, 120].
    #[serde(default = "default_savings_months")]
    pub savings_months: f64,
    /// Opening dependency index (等靠要). Every household starts at this value.
    ///
    /// Unit: index 0..1. Default: `0.2`. Allowed: [0, 1].
    #[serde(default = "default_dependency_mean")]
    pub dependency_mean: f64,
    /// Crop grown on all land not used for the village product, pledged to a cooperative or leased to an enterprise.
    /// Land for expanding a responsive crop is taken from it, and returned to it.
    ///
    /// Unit: commodity name. Default: required. Allowed: name of a commodity of kind `crop`.
    pub staple: String,
    /// Livestock raised by every household with at least 0.4 labour units. Leave out for none.
    ///
    /// Unit: commodity name. Default: none. Allowed: name of a commodity of kind `livestock`.
    #[serde(default)]
    pub livestock: Option<String>,
    /// Mean herd (Poisson) of households with at least 0.4 labour units; 0 means no herds.
    ///
    /// Unit: head/household/cycle. Default: `2.0`. Allowed: [0, 1000].
    #[serde(default = "default_herd_mean")]
    pub herd_mean: f64,
    /// Share of each household's land planted with its village's product, when that product is a crop other than the
    /// staple.
    ///
    /// Unit: prob. Default: `0.4`. Allowed: [0, 1].
    #[serde(default = "default_product_land_share")]
    pub product_land_share: f64,
    /// Share of a product village's households that grow its product (a crop other than the staple) at founding, a
    /// keyed draw per household; the others plant the staple there and may take the product up later from their
    /// neighbours (`[network]`).
    ///
    /// Unit: prob. Default: `1`. Allowed: [0, 1].
    #[serde(default = "crate::check::default_one")]
    pub product_growers_share: f64,
    /// See below.
    ///
    /// Unit: –. Default: required. Allowed: 1 to 65,535.
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
    /// Village name, used by cooperatives, enterprises and in-kind policies.
    ///
    /// Unit: –. Default: required. Allowed: non-empty, unique among villages.
    pub name: String,
    /// Share of the township's households living here.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1]; all shares sum to 1 (±1e-6).
    pub share: f64,
    /// Altitude; enters suitability and hazard exposure.
    ///
    /// Unit: metres. Default: `1000`. Allowed: [−500, 9000].
    #[serde(default = "default_altitude")]
    pub altitude_m: f64,
    /// Typical slope; enters suitability.
    ///
    /// Unit: degrees. Default: `10`. Allowed: [0, 90].
    #[serde(default = "default_slope")]
    pub slope_deg: f64,
    /// Climate zone; enters suitability and hazard exposure.
    ///
    /// Unit: –. Default: `"temperate"`. Allowed: `subtropical`, `warm_temperate`, `temperate`, `cold_temperate`,
    /// `alpine`.
    #[serde(default = "default_climate")]
    pub climate: Choice<Climate>,
    /// "One village, one product". A crop (other than the staple) takes `product_land_share` of each household's land;
    /// a livestock product gives each household its herd of that species.
    ///
    /// Unit: commodity name. Default: none. Allowed: name of any commodity.
    #[serde(default)]
    pub product: Option<String>,
    /// Quality of village governance. Its only effect: cash handouts lose `leakage × (1 − governance)` in delivery.
    ///
    /// Unit: index 0..1. Default: `0.6`. Allowed: [0, 1].
    #[serde(default = "default_governance")]
    pub governance: f64,
    /// Marks a key poor village; counted in the metric `poor_households_key_villages`.
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub key: bool,
    /// Multiplies every household's earning capacity here (harsh conditions, roads, information).
    ///
    /// Unit: multiplier. Default: `1.0`. Allowed: [0.01, 100].
    #[serde(default = "crate::check::default_one")]
    pub income_factor: f64,
}
fn default_altitude() -> f64 {
    1000.0
}
fn default_slope() -> f64 {
    10.0
}
fn default_climate() -> Choice<Climate> {
    Choice::Known(Climate::Temperate)
}
fn default_governance() -> f64 {
    0.6
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarketsFile {
    /// The `markets.commodities` section or list: see docs/scenario.md.
    pub commodities: Vec<CommodityFile>,
    /// Suitability falls by a factor e for every this many metres a village lies outside a commodity's
    /// `altitude_range_m` (source: assumed).
    ///
    /// Unit: m. Default: `300`. Allowed: [1, 10,000].
    #[serde(default = "default_suitability_altitude_m")]
    pub suitability_altitude_m: f64,
    /// Suitability falls by a factor e for every this many degrees a village's slope exceeds a commodity's
    /// `max_slope_deg` (source: assumed).
    ///
    /// Unit: degrees. Default: `10`. Allowed: [0.1, 90].
    #[serde(default = "default_suitability_slope_deg")]
    pub suitability_slope_deg: f64,
    /// Suitability is multiplied by this where a village's climate is not among a commodity's `climates` (source:
    /// assumed).
    ///
    /// Unit: factor. Default: `0.3`. Allowed: [0, 1].
    #[serde(default = "default_suitability_climate")]
    pub suitability_climate: f64,
}
fn default_suitability_altitude_m() -> f64 {
    300.0
}
fn default_suitability_slope_deg() -> f64 {
    10.0
}
fn default_suitability_climate() -> f64 {
    0.3
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CommodityFile {
    /// Commodity name, referred to elsewhere.
    ///
    /// Unit: –. Default: required. Allowed: non-empty, unique among commodities, not `"business"` or `"machine"`.
    pub name: String,
    /// Crops are planted on land (mu); livestock is raised in herds (head).
    ///
    /// Unit: –. Default: `"crop"`. Allowed: `"crop"` or `"livestock"`.
    #[serde(default = "default_kind")]
    pub kind: Choice<CommodityKind>,
    /// Label of the sales unit (jin, plant, head, …): prices are in yuan per it, in `summary.csv`, `summary.json`
    /// (`commodity_units`) and the prices chart. Not used in any computation.
    ///
    /// Unit: –. Default: `"jin"`. Allowed: any.
    #[serde(default = "default_unit")]
    pub unit: String,
    /// Mean price of an exogenous market; reference price of an endogenous one; reference for expected profit and for
    /// an enterprise's price index.
    ///
    /// Unit: yuan/unit. Default: required. Allowed: [1e-6, 1e7] (positive).
    pub base_price: f64,
    /// Yield per season at a perfectly suitable site. Township households, cooperatives, handouts and township market
    /// supply use it times suitability; outside supply, expected profit and enterprise-leased land use it as is.
    ///
    /// Unit: units/mu (crop) or units/head (livestock). Default: required. Allowed: [0, 1e7].
    #[serde(rename = "yield")]
    pub yield_per: f64,
    /// Input cost, paid by households in the planting (stocking) month; cooperatives and enterprises deduct it at
    /// harvest. For trees handed out in kind it is the yearly upkeep per mu, charged at each harvest after the handout
    /// year. Not charged for handed-out animals.
    ///
    /// Unit: yuan/mu or yuan/head, per season. Default: required. Allowed: [0, 1e8].
    pub cost: f64,
    /// Planting month (livestock: month the herd is stocked). Also the deadline for in-kind money buying this item (see
    /// `[arms.policies.inkind]`).
    ///
    /// Unit: month 1–12. Default: `4`. Allowed: [1, 12].
    #[serde(default = "default_plant_month")]
    pub plant_month: i64,
    /// Harvest month (livestock: month the herd, and any handed-out animals, are sold).
    ///
    /// Unit: month 1–12. Default: `10`. Allowed: [1, 12].
    #[serde(default = "default_harvest_month")]
    pub harvest_month: i64,
    /// Standard deviation of the yearly mean-one log-normal price shock (it multiplies the cleared price of an
    /// endogenous market too).
    ///
    /// Unit: log-sd. Default: `0.1`. Allowed: [0, 3].
    #[serde(default = "default_price_sd")]
    pub price_sd: f64,
    /// Prices replayed exactly, overriding the market: element *k* is the price of the harvest in policy year *k*
    /// (element 0 = `start_year`). Years beyond the list, and the pre-policy year, use the random or market price.
    ///
    /// Unit: yuan/unit. Default: `[]`. Allowed: each in [0, 1e7]; any length (extra elements are ignored).
    #[serde(default)]
    pub scripted_prices: Vec<f64>,
    /// Whether `scripted_prices` are nominal, as quoted in their year (then each is divided by its year's
    /// `prices.index` level), or already in yuan of the pre-policy year.
    ///
    /// Unit: –. Default: `false`. Allowed: `true` or `false`.
    #[serde(default)]
    pub scripted_prices_nominal: bool,
    /// Livestock loss per month at a perfectly suitable site; divided by suitability elsewhere (and scaled by skill and
    /// labour for handed-out animals). Ignored for crops.
    ///
    /// Unit: share of herd per month. Default: `0.004`. Allowed: [0, 1].
    #[serde(default = "default_mortality")]
    pub monthly_mortality: f64,
    /// Altitudes that suit the commodity.
    ///
    /// Unit: metres. Default: `[0, 5000]`. Allowed: each in [−500, 9000]; low ≤ high.
    #[serde(default = "default_altitude_range", deserialize_with = "crate::check::pair")]
    pub altitude_range_m: [f64; 2],
    /// Steepest suitable slope.
    ///
    /// Unit: degrees. Default: `90`. Allowed: [0, 90].
    #[serde(default = "default_max_slope")]
    pub max_slope_deg: f64,
    /// Suitable climate zones; empty means every zone.
    ///
    /// Unit: –. Default: `[]` (all). Allowed: each one of the five climate names.
    #[serde(default)]
    pub climates: Vec<Choice<Climate>>,
    /// Price elasticity of demand in the wider market. 0: the price is exogenous. Above 0: the price clears township
    /// plus outside supply, *P* = `base_price` × (*Q*/*Q*<sub>ref</sub>)^(−1/ε) × shock.
    ///
    /// Unit: elasticity. Default: `0`. Allowed: [0, 20].
    #[serde(default)]
    pub demand_elasticity: f64,
    /// Area (or herd) of farmers outside the township at the base price. Outside farmers adjust it each season only in
    /// an endogenous market; otherwise it stays constant. It is added to the areas in `prices.csv`.
    ///
    /// Unit: mu (crop) or head (livestock). Default: `0`. Allowed: [0, 1e10]; must be > 0 when `demand_elasticity` > 0.
    #[serde(default)]
    pub outside_area: f64,
    /// How the price expected at planting is formed: naive = last realised price; adaptive = *E* ← *E* + `adaptation` ×
    /// (last price − *E*).
    ///
    /// Unit: –. Default: `"adaptive"`. Allowed: `"naive"` or `"adaptive"`.
    #[serde(default = "default_expectation")]
    pub expectation: Choice<Expectation>,
    /// Weight of the latest price in adaptive expectations.
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_adaptation")]
    pub adaptation: f64,
    /// Long-run response of planted area to expected profit (township) and to the expected price (outside farmers). 0:
    /// areas stay at their customary level.
    ///
    /// Unit: elasticity. Default: `0`. Allowed: [0, 10]; may be > 0 only if `base_price × yield − cost − dig_cost` > 0.
    #[serde(default)]
    pub area_elasticity: f64,
    /// Share of the (log) gap to the desired area that outside farmers close each season (Nerlove partial adjustment).
    /// Township households adjust fully, within their limits.
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_area_adjustment")]
    pub area_adjustment: f64,
    /// Weight households give to last season's realised profit per mu (market-level, at nominal yield), against the
    /// profit at the expected price, when deciding area.
    ///
    /// Unit: prob. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub imitation: f64,
    /// Cost of digging up (or bringing in) the harvest, paid only if harvested. A household leaves its harvest in the
    /// ground when price × its own yield per mu is below this; outside farmers when price × `yield` is below it.
    ///
    /// Unit: yuan/mu or yuan/head. Default: `0`. Allowed: [0, 1e8].
    #[serde(default)]
    pub dig_cost: f64,
    /// Largest share of a household's land it will put under this crop when expanding (never below its customary area).
    /// Crops only.
    ///
    /// Unit: prob. Default: `0.8`. Allowed: [0, 1].
    #[serde(default = "default_max_land_share")]
    pub max_land_share: f64,
    /// Area (or herd) one labour unit can tend; caps expansion at `mu_per_labour × labour` (never below the customary
    /// area).
    ///
    /// Unit: mu (or head) per labour unit. Default: `10`. Allowed: [0, 1e6].
    #[serde(default = "default_mu_per_labour")]
    pub mu_per_labour: f64,
    /// Years from planting to first harvest, for trees. Applies **only to orchards handed out in kind or planted by a
    /// household (`planting_cost`)**: it bears at harvests in years ≥ planting year + `years_to_bearing`. 0 = an annual
    /// crop: the handout is one season's crop and is gone after its harvest. Customary areas ignore it.
    /// `yield_by_age`, when given, replaces it.
    ///
    /// Unit: years. Default: `0`. Allowed: [0, 50]; 0 when `yield_by_age` is given.
    #[serde(default)]
    pub years_to_bearing: i64,
    /// A tree crop's yield curve: element *a* is the share of full yield an orchard bears in its year of age *a* (0 =
    /// the year it is planted); older orchards bear the last element. It applies to handed-out orchards (instead of
    /// `years_to_bearing`), to the customary orchards already on the land (aged `customary_age_years` at the start),
    /// and to land an enterprise leases and plants (aged from its first lease). Empty: no curve (handed-out trees
    /// bear fully from `years_to_bearing`; customary and leased land bear fully).
    ///
    /// Unit: share of full yield, by year of age. Default: `[]`. Allowed: each in [0, 10]; at most 100 elements;
    /// crops only; not together with `years_to_bearing` > 0.
    #[serde(default)]
    pub yield_by_age: Vec<f64>,
    /// With `yield_by_age`: the age of each household's customary orchard of this crop in the pre-policy year, a whole
    /// number of years drawn per household, each from the low to the high end (rounded down) equally likely (the same
    /// in every arm); it ages a year each year.
    ///
    /// Unit: years. Default: `[20, 20]`. Allowed: each in [0, 200]; low ≤ high.
    #[serde(default = "default_customary_age", deserialize_with = "crate::check::pair")]
    pub customary_age_years: [f64; 2],
    /// What a household pays to plant a mu of this tree crop on its own staple land, as an investment (seedlings,
    /// digging, fencing; the first season's inputs included). Households plant whole mu in its planting month when
    /// their cash on hand allows and the orchard's value over `behaviour.investment_horizon_years` at the investment
    /// hurdle is positive. 0: households do not plant it themselves.
    ///
    /// Unit: yuan/mu. Default: `0`. Allowed: [0, 1e8]; above 0 only for a tree crop (`yield_by_age` given, or
    /// `years_to_bearing` > 0).
    #[serde(default)]
    pub planting_cost: f64,
    /// Makes a livestock commodity a breeding herd that households keep, breed, buy and sell, instead of a herd
    /// stocked in `plant_month` and sold in `harvest_month`. See `[markets.commodities.breeding]` in
    /// `docs/scenario.md`.
    ///
    /// Unit: table. Default: absent (a fattening herd). Allowed: livestock only, with an exogenous, unresponsive
    /// market (`demand_elasticity` = 0, `area_elasticity` = 0).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub breeding: Option<BreedingFile>,
    /// Yearly chance of a disease outbreak among a fattening livestock commodity's animals in each village, drawn per
    /// commodity, village and year (the same in every arm). A breeding species sets `breeding.outbreak_probability`
    /// instead.
    ///
    /// Unit: prob per year. Default: `0`. Allowed: [0, 1]; above 0 only for livestock without a `breeding` table.
    #[serde(default)]
    pub outbreak_probability: f64,
    /// Share of the village's fattening animals of this commodity an outbreak kills, households' own and handed out.
    ///
    /// Unit: share. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_outbreak_loss")]
    pub outbreak_loss: f64,
    /// Month an outbreak strikes the fattening animals.
    ///
    /// Unit: month 1–12. Default: `7`. Allowed: [1, 12].
    #[serde(default = "default_outbreak_month")]
    pub outbreak_month: i64,
}

/// How a livestock species breeds, ages and dies, and what a breeding female costs (MODEL.md §9).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BreedingFile {
    /// Offspring per birth (a mean: the fraction is a chance of one more).
    ///
    /// Unit: head per birth. Default: required. Allowed: [0, 20].
    pub litter: f64,
    /// Mean months between two births of a breeding female: each month she gives birth with chance 1 / this.
    ///
    /// Unit: months. Default: required. Allowed: [1, 120].
    pub birth_interval_months: f64,
    /// Mean age at maturity, when a young animal is sold or kept for breeding: each month a young animal matures
    /// with chance 1 / this (a geometric stage, so ages at maturity vary around the mean).
    ///
    /// Unit: months. Default: required. Allowed: [1, 120].
    pub maturity_months: f64,
    /// Mean breeding life of a female: each month she is culled and sold with chance 1 / (12 × this).
    ///
    /// Unit: years. Default: `6`. Allowed: [0.1, 50].
    #[serde(default = "default_breeding_years")]
    pub breeding_years: f64,
    /// Share of offspring that are female (the males are sold at maturity).
    ///
    /// Unit: share. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_female_share")]
    pub female_share: f64,
    /// Price of a breeding female bought by a household (and the value of one in `assets_pc`). A mature animal
    /// sells for `yield` × the latest price, like a fattened one.
    ///
    /// Unit: yuan/head. Default: required. Allowed: [0.01, 1e7].
    pub female_price: f64,
    /// Feed, shelter and veterinary cost of every head, paid monthly as 1/12.
    ///
    /// Unit: yuan/head/year. Default: `0`. Allowed: [0, 1e7].
    #[serde(default)]
    pub upkeep: f64,
    /// Breeding females one labour unit can tend: a household keeps females only up to this × its labour (at least
    /// one), and buys none beyond it.
    ///
    /// Unit: head per labour unit. Default: `4`. Allowed: [0, 1e4].
    #[serde(default = "default_females_per_labour")]
    pub females_per_labour: f64,
    /// Yearly chance of a disease outbreak in each village, drawn per species, village and year (the same in every
    /// arm).
    ///
    /// Unit: prob per year. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub outbreak_probability: f64,
    /// Share of the village's animals of this species an outbreak kills (each animal dies with this chance).
    ///
    /// Unit: share. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_outbreak_loss")]
    pub outbreak_loss: f64,
    /// Months of need below which a household eats, rather than sells, the grown animals it would sell (young at
    /// maturity, culls): while its savings are below this many months of its need, it eats as many of them as cover
    /// the shortfall (at least one). 0: animals are never eaten (source: assumed).
    ///
    /// Unit: months of need. Default: `0`. Allowed: [0, 120].
    #[serde(default)]
    pub eat_below_months: f64,
    /// Month an outbreak strikes.
    ///
    /// Unit: month 1–12. Default: `7`. Allowed: [1, 12].
    #[serde(default = "default_outbreak_month")]
    pub outbreak_month: i64,
}
fn default_customary_age() -> [f64; 2] {
    [20.0, 20.0]
}
fn default_breeding_years() -> f64 {
    6.0
}
fn default_female_share() -> f64 {
    0.5
}
fn default_females_per_labour() -> f64 {
    4.0
}
fn default_outbreak_loss() -> f64 {
    0.5
}
fn default_outbreak_month() -> i64 {
    7
}
fn default_expectation() -> Choice<Expectation> {
    Choice::Known(Expectation::Adaptive)
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
fn default_kind() -> Choice<CommodityKind> {
    Choice::Known(CommodityKind::Crop)
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

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HazardFile {
    /// Label only.
    ///
    /// Unit: –. Default: required. Allowed: non-empty, unique among hazards.
    pub name: String,
    /// Commodities whose harvest it hits (crops or livestock).
    ///
    /// Unit: commodity names. Default: `[]` (all). Allowed: each the name of a commodity.
    #[serde(default)]
    pub commodities: Vec<String>,
    /// Climate zones where it can strike.
    ///
    /// Unit: –. Default: `[]` (all). Allowed: each one of the five climate names.
    #[serde(default)]
    pub climates: Vec<Choice<Climate>>,
    /// Altitudes where it can strike.
    ///
    /// Unit: metres. Default: `[-500, 9000]`. Allowed: each in [−500, 9000]; low ≤ high.
    #[serde(default = "default_hazard_altitude", deserialize_with = "crate::check::pair")]
    pub altitude_range_m: [f64; 2],
    /// Chance that it strikes an exposed village in a given year.
    ///
    /// Unit: probability per village per year. Default: required. Allowed: [0, 1].
    pub probability: f64,
    /// Share of the harvest lost in a village it strikes. Several hazards in the same year multiply: kept = Π(1 −
    /// loss).
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub loss: f64,
}
fn default_hazard_altitude() -> [f64; 2] {
    [-500.0, 9000.0]
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LabourFile {
    /// Local wage when employed, at the pre-policy year's level.
    ///
    /// Unit: yuan/month per labour unit. Default: `1500`. Allowed: [0, 1e6].
    #[serde(default = "default_local_wage")]
    pub local_wage: f64,
    /// Share of months a local labour unit finds paid work. Applied as an expected value (no random draw).
    ///
    /// Unit: prob. Default: `0.35`. Allowed: [0, 1].
    #[serde(default = "default_employment_rate")]
    pub employment_rate: f64,
    /// Remittance from each migrant member, at the pre-policy year's level.
    ///
    /// Unit: yuan/month per migrant. Default: `700`. Allowed: [0, 1e6].
    #[serde(default = "default_remittance")]
    pub remittance: f64,
    /// Yearly nominal growth of local wages, remittances and graduates' remittances: year index *y* (0 = pre-policy
    /// year) pays `(1 + wage_growth)^y` times the base for wages and remittances, and `(1 + wage_growth)^(y − 1)` times
    /// a graduate's `skilled_wage` (which is in first-policy-year prices), each divided by the year's price level
    /// (`[prices]`).
    ///
    /// Unit: share per year. Default: `0.08`. Allowed: [−0.5, 1].
    #[serde(default = "default_wage_growth")]
    pub wage_growth: f64,
    /// How adults' work is decided. `"fixed"`: the migrants drawn at founding stay away for the whole run, and a
    /// labour unit at home finds local work for `employment_rate` of its months at `local_wage`, whatever happens.
    /// `"choice"`: each year, after the Spring Festival (`decision_month`), adults move between migration and work
    /// at home by what local work pays against the pre-policy year; a household offered an enterprise job takes it
    /// with the member whose current work is worth least, a migrant included, when the job pays more; and a local
    /// labour market sets the wage and the share of months a local worker finds work (docs/ODD.md §7.35–7.36).
    ///
    /// Unit: –. Default: `"fixed"`. Allowed: `"fixed"` or `"choice"`.
    #[serde(default = "default_allocation")]
    pub allocation: Choice<Allocation>,
    /// With `allocation = "choice"`: the month in which adults decide to leave or come home (after the Spring
    /// Festival, before spring planting).
    ///
    /// Unit: month 1–12. Default: `2`. Allowed: [1, 12].
    #[serde(default = "default_decision_month")]
    pub decision_month: i64,
    /// With `allocation = "choice"`: what an adult's departure costs the household (travel, the first weeks in the
    /// city), paid from its savings when the adult leaves; a household without it in savings sends nobody. A
    /// departure must repay it within a year. Assumed.
    ///
    /// Unit: yuan per departure. Default: `1000`. Allowed: [0, 1e6].
    #[serde(default = "default_move_cost")]
    pub move_cost: f64,
    /// With `allocation = "choice"`: the mean of each adult's attachment to its current place of work, an
    /// exponential draw per household and member, fixed for the run: local work must pay this much less than before
    /// (plus the move cost) for an adult at home to leave, or this much more for a migrant to come back. It grows
    /// with `wage_growth`. Assumed.
    ///
    /// Unit: yuan/month. Default: `200`. Allowed: [0, 1e6].
    #[serde(default = "default_attachment")]
    pub attachment: f64,
    /// With `allocation = "choice"`: the speed at which the local wage moves toward clearing: each month the wage
    /// is multiplied by (demand ÷ (`employment_rate` × supply)) to this power. The market converges when
    /// `wage_adjustment` × `demand_elasticity` < 2. Assumed.
    ///
    /// Unit: per month. Default: `0.2`. Allowed: [0, 1].
    #[serde(default = "default_wage_adjustment")]
    pub wage_adjustment: f64,
    /// With `allocation = "choice"`: elasticity of the demand for hired local labour to the local wage (demand ∝
    /// wage^−elasticity). Assumed.
    ///
    /// Unit: –. Default: `1`. Allowed: [0.01, 10].
    #[serde(default = "default_demand_elasticity")]
    pub demand_elasticity: f64,
    /// With `allocation = "choice"`: the farms' hired labour at peak season, in each crop's planting and harvest
    /// months, per mu planted with it (households' fields and the land enterprises lease). The rest of the demand is
    /// set at the end of the pre-policy year (which runs as with `"fixed"`) so that the market would clear on average
    /// at the founding wage. Assumed.
    ///
    /// Unit: labour units per mu. Default: `0.02`. Allowed: [0, 1].
    #[serde(default = "default_peak_hiring")]
    pub peak_hiring: f64,
}

/// How adults' work is decided (`labour.allocation`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Allocation {
    /// Migrants fixed at founding, a constant employment rate and wage.
    Fixed,
    /// Yearly migration choices, job offers judged against current work, a local labour market.
    Choice,
}

impl Choices for Allocation {
    const ALLOWED: &'static str = "\"fixed\" or \"choice\"";
}

fn default_allocation() -> Choice<Allocation> {
    Choice::Known(Allocation::Fixed)
}
fn default_decision_month() -> i64 {
    2
}
fn default_move_cost() -> f64 {
    1000.0
}
fn default_attachment() -> f64 {
    200.0
}
fn default_wage_adjustment() -> f64 {
    0.2
}
fn default_demand_elasticity() -> f64 {
    1.0
}
fn default_peak_hiring() -> f64 {
    0.02
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
            allocation: default_allocation(),
            decision_month: default_decision_month(),
            move_cost: default_move_cost(),
            attachment: default_attachment(),
            wage_adjustment: default_wage_adjustment(),
            demand_elasticity: default_demand_elasticity(),
            peak_hiring: default_peak_hiring(),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HealthFile {
    /// Chance of an acute illness episode in a month.
    ///
    /// Unit: probability per household per month. Default: `0.01`. Allowed: [0, 1].
    #[serde(default = "default_acute_prob")]
    pub acute_illness_prob: f64,
    /// Mean cost of an episode (exponentially distributed).
    ///
    /// Unit: yuan/episode. Default: `4000`. Allowed: [0, 1e7].
    #[serde(default = "default_acute_cost")]
    pub acute_cost_mean: f64,
    /// Months in which the household loses one labour unit, counting the month of onset.
    ///
    /// Unit: months. Default: `2`. Allowed: [0, 24].
    #[serde(default = "default_acute_months")]
    pub acute_labour_loss_months: i64,
    /// Monthly medical cost of a household with a chronically ill member.
    ///
    /// Unit: yuan/month per household. Default: `250`. Allowed: [0, 1e6].
    #[serde(default = "default_chronic_cost")]
    pub chronic_cost: f64,
    /// Share of all medical costs reimbursed by insurance; households pay the rest (before any medical aid).
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
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

/// Vocational school as a household's own investment (MODEL.md §9): the
/// household's view of the course, its cost and its pay-off.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct SchoolingFile {
    /// Whether households may pay for a teenager's vocational course themselves, as an investment, in every arm.
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub self_financed: bool,
    /// Tuition and board a household pays, the whole course at enrolment.
    ///
    /// Unit: yuan/student/year. Default: `4000`. Allowed: [0, 1e7].
    #[serde(default = "default_tuition")]
    pub tuition: f64,
    /// Length of the course.
    ///
    /// Unit: years. Default: `2`. Allowed: [1, 6].
    #[serde(default = "default_course_years")]
    pub years: i64,
    /// A graduate's wage in `start_year` prices (grown with `labour.wage_growth` from then).
    ///
    /// Unit: yuan/month. Default: `3000`. Allowed: [0, 1e7].
    #[serde(default = "default_skilled_wage")]
    pub skilled_wage: f64,
    /// Share of the wage a graduate sends home every month.
    ///
    /// Unit: prob. Default: `0.4`. Allowed: [0, 1].
    #[serde(default = "default_remit_share")]
    pub remit_share: f64,
    /// Years of remittances the household counts on when it decides (source: assumed).
    ///
    /// Unit: years. Default: `10`. Allowed: [1, 60].
    #[serde(default = "default_schooling_horizon")]
    pub horizon_years: f64,
    /// Month the course starts and households decide.
    ///
    /// Unit: month 1–12. Default: `9`. Allowed: [1, 12].
    #[serde(default = "default_enrol_month")]
    pub enrol_month: i64,
}
/// A vocational course's defaults, shared by `[schooling]` and the school and package policies.
pub fn default_tuition() -> f64 {
    4000.0
}
pub fn default_course_years() -> i64 {
    2
}
pub fn default_skilled_wage() -> f64 {
    3000.0
}
pub fn default_remit_share() -> f64 {
    0.4
}
pub fn default_enrol_month() -> i64 {
    9
}
fn default_schooling_horizon() -> f64 {
    10.0
}
/// A scenario without `[schooling]` gets every field's documented default.
impl Default for SchoolingFile {
    fn default() -> Self {
        SchoolingFile {
            self_financed: false,
            tuition: default_tuition(),
            years: default_course_years(),
            skilled_wage: default_skilled_wage(),
            remit_share: default_remit_share(),
            horizon_years: default_schooling_horizon(),
            enrol_month: default_enrol_month(),
        }
    }
}

/// Validated `[schooling]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schooling {
    pub self_financed: bool,
    pub tuition: f64,
    pub years: u32,
    pub skilled_wage: f64,
    pub remit_share: f64,
    pub horizon_years: f64,
    /// 0-based month.
    pub enrol_month: u8,
}

/// `[schooling]`.
pub fn check_schooling(c: &mut Checker, f: &SchoolingFile) -> Schooling {
    c.num("schooling.tuition", f.tuition, 0.0, 1e7);
    c.int("schooling.years", f.years, 1, 6);
    c.num("schooling.skilled_wage", f.skilled_wage, 0.0, 1e7);
    c.prob("schooling.remit_share", f.remit_share);
    c.num("schooling.horizon_years", f.horizon_years, 1.0, 60.0);
    c.int("schooling.enrol_month", f.enrol_month, 1, 12);
    Schooling {
        self_financed: f.self_financed,
        tuition: f.tuition,
        years: f.years.clamp(1, 6) as u32,
        skilled_wage: f.skilled_wage,
        remit_share: f.remit_share,
        horizon_years: f.horizon_years.max(1.0),
        enrol_month: (f.enrol_month.clamp(1, 12) - 1) as u8,
    }
}

/// Ventures a household may buy with its own cash (MODEL.md §9): a small
/// non-farm business (个体经营) and a farm machine of its own. Both are off by
/// default; every figure is assumed.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct VenturesFile {
    /// Whether households may open a small non-farm business (a shop, a noodle stall, transport), in every arm.
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub business: bool,
    /// What opening the business costs, paid at once (source: assumed).
    ///
    /// Unit: yuan. Default: `15000`. Allowed: [1, 1e8].
    #[serde(default = "default_business_price")]
    pub business_price: f64,
    /// The business's net takings at productivity 1 and full effort, after its running costs, in `start_year` prices
    /// (grown with `labour.wage_growth` from then) (source: assumed).
    ///
    /// Unit: yuan/month. Default: `1000`. Allowed: [0, 1e7].
    #[serde(default = "default_business_income")]
    pub business_income: f64,
    /// Labour the business takes from the household's local wage work (source: assumed).
    ///
    /// Unit: labour units. Default: `1`. Allowed: [0, 10].
    #[serde(default = "crate::check::default_one")]
    pub business_labour: f64,
    /// Yearly chance that the business fails: it closes and its capital is lost (source: assumed).
    ///
    /// Unit: prob/year. Default: `0.1`. Allowed: [0, 1].
    #[serde(default = "default_business_failure")]
    pub business_failure_probability: f64,
    /// Years a business runs before its capital is worn out and it closes (source: assumed).
    ///
    /// Unit: years. Default: `8`. Allowed: [1, 50].
    #[serde(default = "default_business_life")]
    pub business_life_years: i64,
    /// Whether households may buy a farm machine themselves, unsubsidised, in every arm.
    ///
    /// Unit: –. Default: `false`. Allowed: `true`/`false`.
    #[serde(default)]
    pub machine: bool,
    /// Price of a machine (source: assumed, as the machinery subsidy's default price).
    ///
    /// Unit: yuan. Default: `12000`. Allowed: [1, 1e8].
    #[serde(default = "default_own_machine_price")]
    pub machine_price: f64,
    /// Share by which a machine raises the household's customary crop output; an arm's `machinery` policy, where it
    /// has one, sets its own (source: assumed, as the subsidy's default gain).
    ///
    /// Unit: share. Default: `0.2`. Allowed: [0, 10].
    #[serde(default = "default_own_machine_gain")]
    pub machine_yield_gain: f64,
    /// Fuel and repairs (source: assumed).
    ///
    /// Unit: yuan/year. Default: `300`. Allowed: [0, 1e7].
    #[serde(default = "default_own_machine_upkeep")]
    pub machine_upkeep: f64,
    /// Years a machine lasts (source: assumed).
    ///
    /// Unit: years. Default: `10`. Allowed: [1, 50].
    #[serde(default = "default_own_machine_life")]
    pub machine_life_years: i64,
}
fn default_business_price() -> f64 {
    15000.0
}
fn default_business_income() -> f64 {
    1000.0
}
fn default_business_failure() -> f64 {
    0.1
}
fn default_business_life() -> i64 {
    8
}
fn default_own_machine_price() -> f64 {
    12000.0
}
fn default_own_machine_gain() -> f64 {
    0.2
}
fn default_own_machine_upkeep() -> f64 {
    300.0
}
fn default_own_machine_life() -> i64 {
    10
}
/// A scenario without `[ventures]` gets every field's documented default: no ventures.
impl Default for VenturesFile {
    fn default() -> Self {
        VenturesFile {
            business: false,
            business_price: default_business_price(),
            business_income: default_business_income(),
            business_labour: crate::check::default_one(),
            business_failure_probability: default_business_failure(),
            business_life_years: default_business_life(),
            machine: false,
            machine_price: default_own_machine_price(),
            machine_yield_gain: default_own_machine_gain(),
            machine_upkeep: default_own_machine_upkeep(),
            machine_life_years: default_own_machine_life(),
        }
    }
}

/// Validated `[ventures]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Ventures {
    pub business: bool,
    pub business_price: f64,
    pub business_income: f64,
    pub business_labour: f64,
    pub business_failure_probability: f64,
    pub business_life_years: u8,
    pub machine: bool,
    pub machine_price: f64,
    pub machine_yield_gain: f64,
    pub machine_upkeep: f64,
    pub machine_life_years: u8,
}

impl Ventures {
    /// Whether households may buy either venture.
    pub fn any(&self) -> bool {
        self.business || self.machine
    }
}

/// `[ventures]`.
pub fn check_ventures(c: &mut Checker, f: &VenturesFile) -> Ventures {
    c.num("ventures.business_price", f.business_price, 1.0, 1e8);
    c.num("ventures.business_income", f.business_income, 0.0, 1e7);
    c.num("ventures.business_labour", f.business_labour, 0.0, 10.0);
    c.prob("ventures.business_failure_probability", f.business_failure_probability);
    c.int("ventures.business_life_years", f.business_life_years, 1, 50);
    c.num("ventures.machine_price", f.machine_price, 1.0, 1e8);
    c.num("ventures.machine_yield_gain", f.machine_yield_gain, 0.0, 10.0);
    c.num("ventures.machine_upkeep", f.machine_upkeep, 0.0, 1e7);
    c.int("ventures.machine_life_years", f.machine_life_years, 1, 50);
    Ventures {
        business: f.business,
        business_price: f.business_price.max(1.0),
        business_income: f.business_income,
        business_labour: f.business_labour,
        business_failure_probability: f.business_failure_probability,
        business_life_years: f.business_life_years.clamp(1, 50) as u8,
        machine: f.machine,
        machine_price: f.machine_price.max(1.0),
        machine_yield_gain: f.machine_yield_gain,
        machine_upkeep: f.machine_upkeep,
        machine_life_years: f.machine_life_years.clamp(1, 50) as u8,
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BehaviourFile {
    /// Subsistence consumption need. A household's monthly need *n* = this × adult equivalents; handouts are measured
    /// in months of *n*.
    ///
    /// Unit: yuan/adult-equivalent/month. Default: `180`. Allowed: [0, 1e6].
    #[serde(default = "default_subsistence")]
    pub subsistence: f64,
    /// How a household splits its cash on hand between consumption and savings: `"buffer_stock"` (it keeps a
    /// target buffer of `buffer_months` of need and consumes what lies above need and buffer over
    /// `buffer_spread_months`, so a windfall is spread over months and first rebuilds the buffer and repays debt) or
    /// `"mpc"` (it consumes need plus the share `mpc` of this month's income above need).
    ///
    /// Unit: –. Default: `"buffer_stock"`. Allowed: `"buffer_stock"`, `"mpc"`.
    #[serde(default = "default_consumption_rule")]
    pub consumption_rule: Choice<ConsumptionRule>,
    /// With `consumption_rule = "mpc"`: the share of income above need that is consumed.
    ///
    /// Unit: prob. Default: `0.8`. Allowed: [0, 1].
    #[serde(default = "default_mpc")]
    pub mpc: f64,
    /// With the buffer-stock rule: the savings a household aims to hold, in months of its need (source: assumed,
    /// equal to the opening `population.savings_months`).
    ///
    /// Unit: months of need. Default: `2`. Allowed: [0, 120].
    #[serde(default = "default_buffer_months")]
    pub buffer_months: f64,
    /// With the buffer-stock rule: cash on hand above need and buffer is consumed at 1/this per month, so a windfall
    /// is spread over about this many months (source: assumed).
    ///
    /// Unit: months. Default: `12`. Allowed: [1, 120].
    #[serde(default = "default_buffer_spread_months")]
    pub buffer_spread_months: f64,
    /// Interest on negative savings (debt), charged monthly as 1/12. A real rate (see `[prices]`).
    ///
    /// Unit: share per year. Default: `0.08`. Allowed: [0, 1].
    #[serde(default = "default_debt_interest")]
    pub debt_interest: f64,
    /// Interest on positive savings, credited monthly as 1/12 and counted as income (source: the People's Bank of
    /// China one-year benchmark deposit rate from 24 October 2015). A real rate (see `[prices]`): the default, a
    /// nominal rate, overstates the real one by the inflation of the time (about 2% a year, 2015–2020).
    ///
    /// Unit: share per year. Default: `0.015`. Allowed: [0, 1].
    #[serde(default = "default_deposit_rate")]
    pub deposit_rate: f64,
    /// The least a household consumes when its income and savings fall short of its need, as a share of that need;
    /// it borrows to reach it (source: assumed).
    ///
    /// Unit: share of need. Default: `0.6`. Allowed: [0, 1].
    #[serde(default = "default_consumption_floor")]
    pub consumption_floor: f64,
    /// The most a household can owe (to kin, shops and moneylenders), in months of its need: debt beyond it, from
    /// costs, interest or borrowing to the consumption floor, is defaulted on (written off, and reported as
    /// `debt_defaults`) (source: assumed).
    ///
    /// Unit: months of need. Default: `12`. Allowed: [0, 1200].
    #[serde(default = "default_debt_limit_months")]
    pub debt_limit_months: f64,
    /// Rise of the dependency index (等靠要) per month of need received free: a cash payment or free handout worth *V*
    /// yuan, *n* the household's monthly subsistence need, moves *d* to `1 − (1 − d) × exp(−step × V / n)`, so the
    /// same yuan raises it the same way in one payment or many, in cash or in kind (source: assumed).
    ///
    /// Unit: per month of need. Default: `0.03`. Allowed: [0, 1].
    #[serde(default = "default_handout_step")]
    pub dependency_handout_step: f64,
    /// Each month a household holds an enterprise job or is a cooperative member, its index falls by this share.
    ///
    /// Unit: prob. Default: `0.04`. Allowed: [0, 1].
    #[serde(default = "default_earned_decay")]
    pub dependency_earned_decay: f64,
    /// Each month a household receives no free support (no cash payment, no handout, no package), its index falls by
    /// this share: dependency wears off with time without support (source: assumed; 0.01 halves it in about
    /// 69 months). Applies from the first simulated month, the pre-policy year included.
    ///
    /// Unit: share per month. Default: `0.01`. Allowed: [0, 1].
    #[serde(default = "default_idle_decay")]
    pub dependency_idle_decay: f64,
    /// Effort = 1 − this × dependency; effort scales local wages, crop, livestock and orchard income.
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_effort_loss")]
    pub dependency_effort_loss: f64,
    /// Chance that any household eats or sells an item handed out in kind, instead of raising it.
    ///
    /// Unit: prob. Default: `0.03`. Allowed: [0, 1].
    #[serde(default = "default_liquidation_base")]
    pub liquidation_base: f64,
    /// Added to that chance per unit of the household's dependency index.
    ///
    /// Unit: prob per unit of index. Default: `0.6`. Allowed: [0, 1].
    #[serde(default = "default_liquidation_dependency")]
    pub liquidation_dependency: f64,
    /// Added to that chance when the household's savings are below one month of its need. The total is capped at 1.
    ///
    /// Unit: prob. Default: `0.2`. Allowed: [0, 1].
    #[serde(default = "default_liquidation_need")]
    pub liquidation_need: f64,
    /// Share of an item's cost recovered as cash when it is eaten or sold (also when old handed-out animals are sold
    /// off for a new species, or when a handout is sold at once in a patron-rotation year).
    ///
    /// Unit: prob. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_salvage_share")]
    pub salvage_share: f64,
    /// How much a keeper's skill moves the mortality of handed-out animals: a household of productivity *p* loses
    /// them at `monthly_mortality` × clamp(1 + g × (1 − *p*), 1 − g, 1 + g), divided by its labour (at least 0.25,
    /// at most 1) (source: assumed).
    ///
    /// Unit: factor per unit of productivity. Default: `0.5`. Allowed: [0, 1].
    #[serde(default = "default_livestock_skill_gradient")]
    pub livestock_skill_gradient: f64,
    /// The yearly return a household asks of a breeding animal before it buys one, or keeps one it holds (over
    /// what the animal would fetch if sold): the expected net yearly income of a female ÷ her price must exceed it
    /// (source: assumed; about the 8% a year of informal credit plus a premium for risk).
    ///
    /// Unit: share per year. Default: `0.15`. Allowed: [0, 100].
    #[serde(default = "default_investment_hurdle")]
    pub investment_hurdle: f64,
    /// What a household may borrow to buy breeding animals, in months of its need, on top of its savings above the
    /// buffer (`buffer_months`); it is repaid like any debt (source: assumed: informal credit is scarce).
    ///
    /// Unit: months of need. Default: `0`. Allowed: [0, 1200]; at most `debt_limit_months`.
    #[serde(default)]
    pub investment_credit_months: f64,
    /// Years of returns a household counts when it weighs planting trees (source: assumed).
    ///
    /// Unit: years. Default: `10`. Allowed: [1, 60].
    #[serde(default = "default_investment_horizon")]
    pub investment_horizon_years: f64,
    /// Livestock as savings: a household whose debt exceeds this many months of its need sells one breeding female
    /// a month, the proceeds into savings (source: assumed).
    ///
    /// Unit: months of need. Default: `1`. Allowed: [0, 1200].
    #[serde(default = "default_distress_sale_months")]
    pub distress_sale_months: f64,
}
fn default_distress_sale_months() -> f64 {
    1.0
}
fn default_investment_horizon() -> f64 {
    10.0
}
fn default_investment_hurdle() -> f64 {
    0.15
}
fn default_livestock_skill_gradient() -> f64 {
    0.5
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
fn default_consumption_rule() -> Choice<ConsumptionRule> {
    Choice::Known(ConsumptionRule::BufferStock)
}
fn default_buffer_months() -> f64 {
    2.0
}
fn default_buffer_spread_months() -> f64 {
    12.0
}
fn default_mpc() -> f64 {
    0.8
}
fn default_debt_interest() -> f64 {
    0.08
}
fn default_deposit_rate() -> f64 {
    0.015
}
fn default_debt_limit_months() -> f64 {
    12.0
}
fn default_consumption_floor() -> f64 {
    0.6
}
fn default_handout_step() -> f64 {
    0.03
}
fn default_earned_decay() -> f64 {
    0.04
}
fn default_idle_decay() -> f64 {
    0.01
}
fn default_effort_loss() -> f64 {
    0.5
}
impl Default for BehaviourFile {
    fn default() -> Self {
        BehaviourFile {
            subsistence: default_subsistence(),
            consumption_rule: default_consumption_rule(),
            mpc: default_mpc(),
            buffer_months: default_buffer_months(),
            buffer_spread_months: default_buffer_spread_months(),
            debt_interest: default_debt_interest(),
            deposit_rate: default_deposit_rate(),
            consumption_floor: default_consumption_floor(),
            debt_limit_months: default_debt_limit_months(),
            dependency_handout_step: default_handout_step(),
            dependency_earned_decay: default_earned_decay(),
            dependency_idle_decay: default_idle_decay(),
            dependency_effort_loss: default_effort_loss(),
            liquidation_base: default_liquidation_base(),
            liquidation_dependency: default_liquidation_dependency(),
            liquidation_need: default_liquidation_need(),
            salvage_share: default_salvage_share(),
            livestock_skill_gradient: default_livestock_skill_gradient(),
            investment_hurdle: default_investment_hurdle(),
            investment_credit_months: 0.0,
            investment_horizon_years: default_investment_horizon(),
            distress_sale_months: default_distress_sale_months(),
        }
    }
}

/// Climate zones. They decide, with altitude and slope, which crops and
/// breeds suit a village.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Climate {
    Subtropical,
    WarmTemperate,
    Temperate,
    ColdTemperate,
    Alpine,
}

impl Choices for Climate {
    const ALLOWED: &'static str = "one of subtropical, warm_temperate, temperate, cold_temperate, alpine";
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CommodityKind {
    /// Planted on land (mu); `yield` is units per mu.
    Crop,
    /// Raised as a herd (head); `yield` is units per head sold.
    Livestock,
}

impl Choices for CommodityKind {
    const ALLOWED: &'static str = "\"crop\" or \"livestock\"";
}

/// How the price expected at planting is formed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Expectation {
    /// The last realised price.
    Naive,
    /// `E ← E + adaptation × (last price − E)`.
    Adaptive,
}

impl Choices for Expectation {
    const ALLOWED: &'static str = "\"naive\" or \"adaptive\"";
}

#[derive(Debug, Clone)]
pub struct Village {
    pub name: String,
    pub share: f64,
    pub altitude_m: f64,
    pub slope_deg: f64,
    pub climate: Climate,
    pub product: Option<usize>,
    pub governance: f64,
    pub key: bool,
    pub income_factor: f64,
}

#[derive(Debug, Clone)]
pub struct Commodity {
    pub name: String,
    /// `markets.suitability_altitude_m`, `suitability_slope_deg`, `suitability_climate`.
    pub suitability_scales: [f64; 3],
    pub kind: CommodityKind,
    pub unit: String,
    pub base_price: f64,
    pub yield_per: f64,
    pub cost: f64,
    /// 0-based month of the year (0 = January).
    pub plant_month: u8,
    /// 0-based month of the year.
    pub harvest_month: u8,
    pub price_sd: f64,
    pub scripted_prices: Vec<f64>,
    pub monthly_mortality: f64,
    pub altitude_range_m: [f64; 2],
    pub max_slope_deg: f64,
    pub climates: Vec<Climate>,
    pub demand_elasticity: f64,
    pub outside_area: f64,
    /// Adaptive (true) or naive (false) price expectations.
    pub adaptive: bool,
    pub adaptation: f64,
    pub area_elasticity: f64,
    pub area_adjustment: f64,
    pub imitation: f64,
    pub dig_cost: f64,
    pub max_land_share: f64,
    pub mu_per_labour: f64,
    pub years_to_bearing: u32,
    /// Share of full yield by year of age (empty: no curve).
    pub yield_by_age: Vec<f64>,
    /// Age range of customary orchards in the pre-policy year, years.
    pub customary_age_years: [f64; 2],
    /// What a household pays to plant a mu itself (0: it does not), yuan.
    pub planting_cost: f64,
    /// A breeding herd (households keep, breed, buy and sell it); `None` for a fattening herd or a crop.
    pub breeding: Option<Breeding>,
    /// Disease outbreaks among a fattening herd (`None`: none, a crop, or a breeding herd, which has its own).
    pub outbreak: Option<Outbreak>,
}

/// Disease outbreaks among a fattening livestock commodity.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Outbreak {
    /// Yearly chance per village.
    pub probability: f64,
    /// Share of the animals it kills.
    pub loss: f64,
    /// 0-based month it strikes.
    pub month: u8,
}

/// Validated `[markets.commodities.breeding]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Breeding {
    pub litter: f64,
    pub birth_interval_months: f64,
    pub maturity_months: f64,
    pub breeding_years: f64,
    pub female_share: f64,
    pub female_price: f64,
    pub upkeep: f64,
    pub females_per_labour: f64,
    pub outbreak_probability: f64,
    pub outbreak_loss: f64,
    /// 0-based month.
    pub outbreak_month: u8,
    pub eat_below_months: f64,
}

impl Commodity {
    /// Share of full yield an orchard of this crop bears in its year of age
    /// `age` (0 = planted this year): the `yield_by_age` curve, its last
    /// element beyond it; without a curve, 1 from `years_to_bearing` on.
    pub fn bearing_share(&self, age: usize) -> f64 {
        match self.yield_by_age.last() {
            Some(&last) => self.yield_by_age.get(age).copied().unwrap_or(last),
            None => (age >= self.years_to_bearing as usize) as u8 as f64,
        }
    }

    /// Whether orchards of this crop follow a yield curve by age.
    pub fn aged(&self) -> bool {
        !self.yield_by_age.is_empty()
    }

    /// Whether the price is formed in the market (otherwise it is exogenous).
    pub fn endogenous(&self) -> bool {
        self.demand_elasticity > 0.0
    }

    /// Whether planted area responds to expected profit.
    pub fn responsive(&self) -> bool {
        self.area_elasticity > 0.0
    }

    /// Profit per mu (or head) at the base price and nominal yield.
    pub fn base_profit(&self) -> f64 {
        self.base_price * self.yield_per - self.cost - self.dig_cost
    }

    /// How well this commodity suits a village, in (0, 1]. 1 is a perfect
    /// fit; each unmet condition multiplies it down. Crop yields are scaled
    /// by it, and livestock mortality divided by it.
    pub fn suitability(&self, v: &Village) -> f64 {
        let [lo, hi] = self.altitude_range_m;
        let off = (lo - v.altitude_m).max(v.altitude_m - hi).max(0.0);
        let [altitude, slope, climate] = self.suitability_scales;
        let mut s = (-off / altitude).exp();
        s *= (-(v.slope_deg - self.max_slope_deg).max(0.0) / slope).exp();
        if !self.climates.is_empty() && !self.climates.contains(&v.climate) {
            s *= climate;
        }
        s
    }
}

#[derive(Debug, Clone)]
pub struct Hazard {
    pub name: String,
    /// Commodities hit; empty = all.
    pub commodities: Vec<usize>,
    /// Climates where it strikes; empty = all.
    pub climates: Vec<Climate>,
    pub altitude_range_m: [f64; 2],
    pub probability: f64,
    pub loss: f64,
}

impl Hazard {
    /// Whether the hazard can strike village `v` at all.
    pub fn exposed(&self, v: &Village) -> bool {
        (self.climates.is_empty() || self.climates.contains(&v.climate))
            && v.altitude_m >= self.altitude_range_m[0]
            && v.altitude_m <= self.altitude_range_m[1]
    }

    pub fn hits(&self, commodity: usize) -> bool {
        self.commodities.is_empty() || self.commodities.contains(&commodity)
    }
}

#[derive(Debug, Clone)]
pub struct Population {
    pub households: usize,
    pub mean_adults: f64,
    pub mean_elderly: f64,
    pub mean_children: f64,
    pub labourless_share: f64,
    pub chronic_illness_share: f64,
    pub disability_share: f64,
    pub land_mu_mean: f64,
    pub land_sd_log: f64,
    pub productivity_sd_log: f64,
    pub migrant_share: f64,
    pub savings_months: f64,
    pub dependency_mean: f64,
    pub staple: usize,
    pub livestock: Option<usize>,
    pub herd_mean: f64,
    pub product_land_share: f64,
    pub product_growers_share: f64,
    pub villages: Vec<Village>,
}

/// Local wages and remittances (`[labour]`), validated.
#[derive(Debug, Clone, Copy)]
pub struct Labour {
    /// yuan per month per full labour unit when employed locally.
    pub local_wage: f64,
    /// Share of months a local labour unit finds paid work.
    pub employment_rate: f64,
    /// yuan per month sent home per migrant member.
    pub remittance: f64,
    /// Yearly nominal growth of local wages and remittances.
    pub wage_growth: f64,
    /// Whether adults choose their work and a local labour market sets the wage (`"choice"`).
    pub choice: bool,
    /// 0-based month of the yearly migration decision.
    pub decision_month: u8,
    /// yuan per departure.
    pub move_cost: f64,
    /// Mean attachment to the current place of work, yuan/month.
    pub attachment: f64,
    /// Exponent of the monthly wage adjustment toward clearing.
    pub wage_adjustment: f64,
    /// Elasticity of hired-labour demand to the wage.
    pub demand_elasticity: f64,
    /// Hired labour units per mu in a crop's planting and harvest months.
    pub peak_hiring: f64,
}

/// Illness and insurance (`[health]`), validated.
#[derive(Debug, Clone, Copy)]
pub struct Health {
    /// Chance of an acute illness episode per household and month.
    pub acute_illness_prob: f64,
    /// Mean cost of an episode, yuan (exponential).
    pub acute_cost_mean: f64,
    /// Months of one lost labour unit after onset.
    pub acute_labour_loss_months: u32,
    /// Monthly medical cost of a chronically ill member, yuan.
    pub chronic_cost: f64,
    /// Share of medical costs reimbursed by insurance.
    pub insurance_reimbursement: f64,
}

/// How cash on hand is split between consumption and savings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConsumptionRule {
    /// A target buffer, the excess spread over months.
    BufferStock,
    /// Need plus a share of this month's surplus.
    Mpc,
}

impl Choices for ConsumptionRule {
    const ALLOWED: &'static str = "\"buffer_stock\" or \"mpc\"";
}

/// Household behaviour (`[behaviour]`), validated; see docs/scenario.md.
#[derive(Debug, Clone, Copy)]
pub struct Behaviour {
    pub subsistence: f64,
    pub consumption_rule: ConsumptionRule,
    pub mpc: f64,
    pub buffer_months: f64,
    pub buffer_spread_months: f64,
    pub debt_interest: f64,
    pub deposit_rate: f64,
    pub consumption_floor: f64,
    pub debt_limit_months: f64,
    pub dependency_handout_step: f64,
    pub dependency_earned_decay: f64,
    pub dependency_idle_decay: f64,
    pub dependency_effort_loss: f64,
    pub liquidation_base: f64,
    pub liquidation_dependency: f64,
    pub liquidation_need: f64,
    pub salvage_share: f64,
    pub livestock_skill_gradient: f64,
    pub investment_hurdle: f64,
    pub investment_credit_months: f64,
    pub investment_horizon_years: f64,
    pub distress_sale_months: f64,
}

impl Behaviour {
    /// What one yuan a year for `years` years is worth today at the
    /// investment hurdle: (1 − (1 + r)^−years) / r, or `years` at r = 0.
    pub fn annuity(&self, years: f64) -> f64 {
        let r = self.investment_hurdle;
        if r > 0.0 {
            (1.0 - (1.0 + r).powf(-years)) / r
        } else {
            years
        }
    }
}

/// The validated setting of a scenario.
#[derive(Debug, Clone)]
pub struct Setting {
    pub start_year: i32,
    /// Policy years.
    pub years: u32,
    /// Poverty line in `start_year`, nominal yuan per person per year.
    pub poverty_line: f64,
    /// Yearly nominal growth of the poverty line.
    pub indexation: f64,
    /// The price level of each year index (0 = the pre-policy year, at 1;
    /// `years + 1` values): the one deflator of the line and wages.
    pub price_index: Vec<f64>,
    pub population: Population,
    pub commodities: Vec<Commodity>,
    pub hazards: Vec<Hazard>,
    pub labour: Labour,
    pub health: Health,
    pub behaviour: Behaviour,
    pub schooling: Schooling,
    pub ventures: Ventures,
}

impl Setting {
    /// Months simulated after the pre-policy year.
    pub fn months(&self) -> u32 {
        self.years * 12
    }

    /// The poverty line in force in policy year `y` (0 = `start_year`),
    /// yuan of the pre-policy year per person per year. Year -1 is the
    /// pre-policy year.
    pub fn poverty_line_in(&self, y: i32) -> f64 {
        self.nominal_line_in(y) / self.price(y + 1)
    }

    /// The poverty line of policy year `y` in that year's yuan.
    pub fn nominal_line_in(&self, y: i32) -> f64 {
        self.poverty_line * (1.0 + self.indexation).powi(y)
    }

    /// The price level of year index `y` (0 = the pre-policy year, at 1).
    pub fn price(&self, y: i32) -> f64 {
        let last = self.price_index.len().saturating_sub(1);
        self.price_index.get((y.max(0) as usize).min(last)).copied().unwrap_or(1.0)
    }
}

/// Most commodities a scenario may have (specialisation is a bit mask).
pub const MAX_COMMODITIES: usize = 32;

/// The index of commodity `name` (of kind `kind`, if given), or an error.
pub fn commodity_index(
    c: &mut Checker,
    commodities: &[Commodity],
    path: &str,
    name: &str,
    kind: Option<CommodityKind>,
) -> usize {
    match commodities.iter().position(|k| k.name == name) {
        Some(i) if kind.is_none_or(|k| commodities[i].kind == k) => i,
        Some(_) => {
            c.push(
                path,
                format!("{name:?}"),
                format!("a commodity of kind {:?}", kind.unwrap_or(CommodityKind::Crop)).to_lowercase(),
            );
            0
        }
        None => {
            c.lookup(path, name, commodities.iter().map(|k| &k.name), "the commodities defined in [markets]");
            0
        }
    }
}

/// The index of village `name`, or an error.
pub fn village_index(c: &mut Checker, villages: &[Village], path: &str, name: &str) -> usize {
    match c.position_of("village", name).filter(|&i| i < villages.len()) {
        Some(i) => i,
        None => c.lookup(path, name, villages.iter().map(|v| &v.name), "the villages"),
    }
}

/// A listed climate zone, or an error (and none).
fn checked_climate(c: &mut Checker, path: &str, v: &Choice<Climate>) -> Option<Climate> {
    match v {
        Choice::Known(k) => Some(*k),
        Choice::Unknown(_) => {
            c.known(path, v, Climate::Temperate);
            None
        }
    }
}

/// `[poverty_line]`.
pub fn check_poverty_line(c: &mut Checker, f: &PovertyLineFile) {
    c.num("poverty_line.yuan_per_person_year", f.yuan_per_person_year, 1.0, 1e7);
    c.num("poverty_line.indexation", f.indexation, -0.5, 1.0);
}

/// `[[markets.commodities]]`: checked first, since everything else refers to commodities by name.
pub fn check_commodities(c: &mut Checker, f: &MarketsFile) -> Vec<Commodity> {
    if f.commodities.is_empty() || f.commodities.len() > MAX_COMMODITIES {
        c.push(
            "markets.commodities",
            format!("{} commodities", f.commodities.len()),
            format!("between 1 and {} commodities", MAX_COMMODITIES),
        );
    }
    c.num("markets.suitability_altitude_m", f.suitability_altitude_m, 1.0, 10_000.0);
    c.num("markets.suitability_slope_deg", f.suitability_slope_deg, 0.1, 90.0);
    c.prob("markets.suitability_climate", f.suitability_climate);
    let scales = [f.suitability_altitude_m, f.suitability_slope_deg, f.suitability_climate];
    let mut commodities = Vec::new();
    for (i, cf) in f.commodities.iter().enumerate() {
        let p = format!("markets.commodities[{i}]");
        c.unique_name(&format!("{p}.name"), &cf.name, "commodity");
        if ASSETS.contains(&cf.name.trim()) {
            // `adopters.business` and `adopters.machine` name the assets.
            c.push(&format!("{p}.name"), format!("{:?}", cf.name), "a name other than \"business\" or \"machine\"");
        }
        commodities.push(Commodity { suitability_scales: scales, ..check_commodity(c, &p, cf) });
    }
    commodities
}

/// The assets a household may hold besides commodities, named in `adopters.<asset>`.
pub const ASSETS: [&str; 2] = ["business", "machine"];

/// One commodity (`p` is its path).
fn check_commodity(c: &mut Checker, p: &str, cf: &CommodityFile) -> Commodity {
    let kind = c.known(&format!("{p}.kind"), &cf.kind, CommodityKind::Crop);
    c.num(&format!("{p}.base_price"), cf.base_price, 1e-6, 1e7);
    c.num(&format!("{p}.yield"), cf.yield_per, 0.0, 1e7);
    c.num(&format!("{p}.cost"), cf.cost, 0.0, 1e8);
    c.int(&format!("{p}.plant_month"), cf.plant_month, 1, 12);
    c.int(&format!("{p}.harvest_month"), cf.harvest_month, 1, 12);
    c.num(&format!("{p}.price_sd"), cf.price_sd, 0.0, 3.0);
    for (y, v) in cf.scripted_prices.iter().enumerate() {
        c.num(&format!("{p}.scripted_prices[{y}]"), *v, 0.0, 1e7);
    }
    c.prob(&format!("{p}.monthly_mortality"), cf.monthly_mortality);
    let [lo, hi] = cf.altitude_range_m;
    c.num(&format!("{p}.altitude_range_m[0]"), lo, -500.0, 9000.0);
    c.num(&format!("{p}.altitude_range_m[1]"), hi, -500.0, 9000.0);
    if lo > hi {
        c.push(
            &format!("{p}.altitude_range_m"),
            format!("[{}, {}]", show(lo), show(hi)),
            "[low, high] with low <= high",
        );
    }
    c.num(&format!("{p}.max_slope_deg"), cf.max_slope_deg, 0.0, 90.0);
    let climates = cf
        .climates
        .iter()
        .enumerate()
        .filter_map(|(j, s)| checked_climate(c, &format!("{p}.climates[{j}]"), s))
        .collect();
    c.num(&format!("{p}.demand_elasticity"), cf.demand_elasticity, 0.0, 20.0);
    c.num(&format!("{p}.outside_area"), cf.outside_area, 0.0, 1e10);
    let adaptive =
        c.known(&format!("{p}.expectation"), &cf.expectation, Expectation::Adaptive) == Expectation::Adaptive;
    c.prob(&format!("{p}.adaptation"), cf.adaptation);
    c.num(&format!("{p}.area_elasticity"), cf.area_elasticity, 0.0, 10.0);
    c.prob(&format!("{p}.area_adjustment"), cf.area_adjustment);
    c.prob(&format!("{p}.imitation"), cf.imitation);
    c.num(&format!("{p}.dig_cost"), cf.dig_cost, 0.0, 1e8);
    c.prob(&format!("{p}.max_land_share"), cf.max_land_share);
    c.num(&format!("{p}.mu_per_labour"), cf.mu_per_labour, 0.0, 1e6);
    c.int(&format!("{p}.years_to_bearing"), cf.years_to_bearing, 0, MAX_YEARS);
    check_yield_by_age(c, p, cf);
    let base_profit = cf.base_price * cf.yield_per - cf.cost - cf.dig_cost;
    if cf.area_elasticity > 0.0 && base_profit.is_finite() && base_profit <= 0.0 {
        c.push(&format!("{p}.area_elasticity"), show(cf.area_elasticity), format!("0, because profit at the base price (base_price × yield − cost − dig_cost = {}) is not positive; a responsive area needs a positive reference profit", show(base_profit)));
    }
    if cf.demand_elasticity > 0.0 && cf.outside_area <= 0.0 {
        c.push(
            &format!("{p}.outside_area"),
            show(cf.outside_area),
            "a positive area when demand_elasticity > 0 (the township is a price-taker in a wider market)",
        );
    }
    let breeding = cf.breeding.as_ref().map(|b| check_breeding(c, &format!("{p}.breeding"), b, cf));
    let outbreak = check_outbreak(c, p, cf);
    Commodity {
        breeding,
        outbreak,
        yield_by_age: cf.yield_by_age.clone(),
        customary_age_years: cf.customary_age_years,
        planting_cost: cf.planting_cost,
        name: cf.name.clone(),
        suitability_scales: [300.0, 10.0, 0.3],
        kind,
        unit: cf.unit.clone(),
        base_price: cf.base_price,
        yield_per: cf.yield_per,
        cost: cf.cost,
        plant_month: (cf.plant_month.clamp(1, 12) - 1) as u8,
        harvest_month: (cf.harvest_month.clamp(1, 12) - 1) as u8,
        price_sd: cf.price_sd,
        scripted_prices: cf.scripted_prices.clone(),
        monthly_mortality: cf.monthly_mortality,
        altitude_range_m: cf.altitude_range_m,
        max_slope_deg: cf.max_slope_deg,
        climates,
        demand_elasticity: cf.demand_elasticity,
        outside_area: cf.outside_area,
        adaptive,
        adaptation: cf.adaptation,
        area_elasticity: cf.area_elasticity,
        area_adjustment: cf.area_adjustment,
        imitation: cf.imitation,
        dig_cost: cf.dig_cost,
        max_land_share: cf.max_land_share,
        mu_per_labour: cf.mu_per_labour,
        years_to_bearing: cf.years_to_bearing.clamp(0, MAX_YEARS) as u32,
    }
}

/// A fattening herd's `outbreak_probability`, `outbreak_loss` and
/// `outbreak_month` (`p` is the commodity's path).
fn check_outbreak(c: &mut Checker, p: &str, cf: &CommodityFile) -> Option<Outbreak> {
    c.prob(&format!("{p}.outbreak_probability"), cf.outbreak_probability);
    c.prob(&format!("{p}.outbreak_loss"), cf.outbreak_loss);
    c.int(&format!("{p}.outbreak_month"), cf.outbreak_month, 1, 12);
    if cf.outbreak_probability <= 0.0 {
        return None;
    }
    if !matches!(cf.kind, Choice::Known(CommodityKind::Livestock)) || cf.breeding.is_some() {
        c.push(
            &format!("{p}.outbreak_probability"),
            show(cf.outbreak_probability),
            "0, unless the commodity is fattening livestock (a breeding species sets breeding.outbreak_probability)",
        );
    }
    Some(Outbreak {
        probability: cf.outbreak_probability,
        loss: cf.outbreak_loss.clamp(0.0, 1.0),
        month: (cf.outbreak_month.clamp(1, 12) - 1) as u8,
    })
}

/// A crop's `yield_by_age` and `customary_age_years` (`p` is its path).
fn check_yield_by_age(c: &mut Checker, p: &str, cf: &CommodityFile) {
    for (a, v) in cf.yield_by_age.iter().enumerate() {
        c.num(&format!("{p}.yield_by_age[{a}]"), *v, 0.0, 10.0);
    }
    if cf.yield_by_age.len() > 100 {
        c.push(&format!("{p}.yield_by_age"), format!("{} elements", cf.yield_by_age.len()), "at most 100 elements");
    }
    if !cf.yield_by_age.is_empty() {
        if !matches!(cf.kind, Choice::Known(CommodityKind::Crop)) {
            c.push(&format!("{p}.yield_by_age"), "a curve", "[] for livestock: only trees have a yield curve by age");
        }
        if cf.years_to_bearing > 0 {
            c.push(
                &format!("{p}.years_to_bearing"),
                cf.years_to_bearing,
                "0 when yield_by_age is given: the curve says when the trees bear (put zeros first)",
            );
        }
    }
    c.num(&format!("{p}.planting_cost"), cf.planting_cost, 0.0, 1e8);
    if cf.planting_cost > 0.0
        && (cf.yield_by_age.is_empty() && cf.years_to_bearing <= 0
            || !matches!(cf.kind, Choice::Known(CommodityKind::Crop)))
    {
        c.push(
            &format!("{p}.planting_cost"),
            show(cf.planting_cost),
            "0, unless the commodity is a tree crop (a crop with yield_by_age, or years_to_bearing > 0)",
        );
    }
    let [lo, hi] = cf.customary_age_years;
    c.num(&format!("{p}.customary_age_years[0]"), lo, 0.0, 200.0);
    c.num(&format!("{p}.customary_age_years[1]"), hi, 0.0, 200.0);
    if lo > hi {
        c.push(
            &format!("{p}.customary_age_years"),
            format!("[{}, {}]", show(lo), show(hi)),
            "[low, high] with low <= high",
        );
    }
}

/// A livestock commodity's `breeding` table (`p` is its path).
fn check_breeding(c: &mut Checker, p: &str, b: &BreedingFile, cf: &CommodityFile) -> Breeding {
    let q = p.trim_end_matches(".breeding");
    if !matches!(cf.kind, Choice::Known(CommodityKind::Livestock)) {
        c.push(p, "a table", format!("absent: only livestock breeds (set {q}.kind = \"livestock\")"));
    }
    if cf.demand_elasticity > 0.0 || cf.area_elasticity > 0.0 {
        c.push(
            p,
            "a table",
            format!("absent, or {q}.demand_elasticity and {q}.area_elasticity both 0: a breeding herd sells on an exogenous market"),
        );
    }
    c.num(&format!("{p}.litter"), b.litter, 0.0, 20.0);
    c.num(&format!("{p}.birth_interval_months"), b.birth_interval_months, 1.0, 120.0);
    c.num(&format!("{p}.maturity_months"), b.maturity_months, 1.0, 120.0);
    c.num(&format!("{p}.breeding_years"), b.breeding_years, 0.1, 50.0);
    c.prob(&format!("{p}.female_share"), b.female_share);
    c.num(&format!("{p}.female_price"), b.female_price, 0.01, 1e7);
    c.num(&format!("{p}.upkeep"), b.upkeep, 0.0, 1e7);
    c.num(&format!("{p}.females_per_labour"), b.females_per_labour, 0.0, 1e4);
    c.prob(&format!("{p}.outbreak_probability"), b.outbreak_probability);
    c.prob(&format!("{p}.outbreak_loss"), b.outbreak_loss);
    c.int(&format!("{p}.outbreak_month"), b.outbreak_month, 1, 12);
    c.num(&format!("{p}.eat_below_months"), b.eat_below_months, 0.0, 120.0);
    Breeding {
        eat_below_months: b.eat_below_months,
        litter: b.litter,
        birth_interval_months: b.birth_interval_months.max(1.0),
        maturity_months: b.maturity_months.max(1.0),
        breeding_years: b.breeding_years.max(0.1),
        female_share: b.female_share,
        female_price: b.female_price,
        upkeep: b.upkeep,
        females_per_labour: b.females_per_labour,
        outbreak_probability: b.outbreak_probability,
        outbreak_loss: b.outbreak_loss,
        outbreak_month: (b.outbreak_month.clamp(1, 12) - 1) as u8,
    }
}

/// `[population]` and its villages.
pub fn check_population(c: &mut Checker, pf: &PopulationFile, commodities: &[Commodity]) -> Population {
    c.int("population.households", pf.households, 1, MAX_HOUSEHOLDS);
    if pf.villages.len() > u16::MAX as usize {
        c.push("population.villages", format!("{} villages", pf.villages.len()), format!("at most {}", u16::MAX));
    }
    c.num("population.mean_adults", pf.mean_adults, 1.0, 3.0);
    c.num("population.mean_elderly", pf.mean_elderly, 0.0, 2.0);
    c.num("population.mean_children", pf.mean_children, 0.0, 4.0);
    c.prob("population.labourless_share", pf.labourless_share);
    c.prob("population.chronic_illness_share", pf.chronic_illness_share);
    c.prob("population.disability_share", pf.disability_share);
    c.num("population.land_mu_mean", pf.land_mu_mean, 0.0, 1000.0);
    c.num("population.land_sd_log", pf.land_sd_log, 0.0, 3.0);
    c.num("population.productivity_sd_log", pf.productivity_sd_log, 0.0, 3.0);
    c.prob("population.migrant_share", pf.migrant_share);
    c.num("population.savings_months", pf.savings_months, 0.0, 120.0);
    c.prob("population.dependency_mean", pf.dependency_mean);
    c.num("population.herd_mean", pf.herd_mean, 0.0, 1000.0);
    c.prob("population.product_land_share", pf.product_land_share);
    c.prob("population.product_growers_share", pf.product_growers_share);
    let staple = commodity_index(c, commodities, "population.staple", &pf.staple, Some(CommodityKind::Crop));
    if let Some(k) = commodities.get(staple).filter(|k| k.planting_cost > 0.0) {
        c.push(
            "population.staple",
            format!("{:?}", k.name),
            "a crop without a planting_cost: households plant trees on their staple land, not the staple itself",
        );
    }
    let livestock = pf
        .livestock
        .as_ref()
        .map(|n| commodity_index(c, commodities, "population.livestock", n, Some(CommodityKind::Livestock)));
    if let Some(k) = livestock.and_then(|k| commodities.get(k)).filter(|k| k.breeding.is_some()) {
        c.push(
            "population.livestock",
            format!("{:?}", k.name),
            "a livestock commodity that does not breed: nobody keeps a breeding species at the start (households buy it, or are given it)",
        );
    }
    let mut villages = Vec::new();
    if pf.villages.is_empty() {
        c.push("population.villages", "[]", "at least one village");
    }
    for (i, vf) in pf.villages.iter().enumerate() {
        let p = format!("population.villages[{i}]");
        c.unique_name(&format!("{p}.name"), &vf.name, "village");
        c.num(&format!("{p}.share"), vf.share, 0.0, 1.0);
        c.num(&format!("{p}.altitude_m"), vf.altitude_m, -500.0, 9000.0);
        c.num(&format!("{p}.slope_deg"), vf.slope_deg, 0.0, 90.0);
        let climate = c.known(&format!("{p}.climate"), &vf.climate, Climate::Temperate);
        let product = vf.product.as_ref().map(|n| commodity_index(c, commodities, &format!("{p}.product"), n, None));
        if let Some(k) = product.and_then(|k| commodities.get(k)).filter(|k| k.breeding.is_some()) {
            c.push(&format!("{p}.product"), format!("{:?}", k.name), "a commodity that does not breed: nobody keeps a breeding species at the start (households buy it, or are given it)");
        }
        c.prob(&format!("{p}.governance"), vf.governance);
        c.num(&format!("{p}.income_factor"), vf.income_factor, 0.01, 100.0);
        villages.push(Village {
            name: vf.name.clone(),
            share: vf.share,
            altitude_m: vf.altitude_m,
            slope_deg: vf.slope_deg,
            climate,
            product,
            governance: vf.governance,
            key: vf.key,
            income_factor: vf.income_factor,
        });
    }
    let share_sum: f64 = pf.villages.iter().map(|v| v.share).sum();
    if !pf.villages.is_empty() && (share_sum - 1.0).abs() > 1e-6 {
        c.push("population.villages[*].share", format!("sum {}", show(share_sum)), "shares that sum to 1");
    }
    Population {
        households: pf.households as usize,
        mean_adults: pf.mean_adults,
        mean_elderly: pf.mean_elderly,
        mean_children: pf.mean_children,
        labourless_share: pf.labourless_share,
        chronic_illness_share: pf.chronic_illness_share,
        disability_share: pf.disability_share,
        land_mu_mean: pf.land_mu_mean,
        land_sd_log: pf.land_sd_log,
        productivity_sd_log: pf.productivity_sd_log,
        migrant_share: pf.migrant_share,
        savings_months: pf.savings_months,
        dependency_mean: pf.dependency_mean,
        staple,
        livestock,
        herd_mean: pf.herd_mean,
        product_land_share: pf.product_land_share,
        product_growers_share: pf.product_growers_share,
        villages,
    }
}

/// `[[hazards]]`.
pub fn check_hazards(c: &mut Checker, hazards_file: &[HazardFile], commodities: &[Commodity]) -> Vec<Hazard> {
    let mut hazards = Vec::new();
    for (i, hf) in hazards_file.iter().enumerate() {
        let p = format!("hazards[{i}]");
        c.unique_name(&format!("{p}.name"), &hf.name, "hazard");
        let commodities = hf
            .commodities
            .iter()
            .enumerate()
            .map(|(j, n)| commodity_index(c, commodities, &format!("{p}.commodities[{j}]"), n, None))
            .collect();
        let climates = hf
            .climates
            .iter()
            .enumerate()
            .filter_map(|(j, s)| checked_climate(c, &format!("{p}.climates[{j}]"), s))
            .collect();
        let [lo, hi] = hf.altitude_range_m;
        c.num(&format!("{p}.altitude_range_m[0]"), lo, -500.0, 9000.0);
        c.num(&format!("{p}.altitude_range_m[1]"), hi, -500.0, 9000.0);
        if lo > hi {
            c.push(
                &format!("{p}.altitude_range_m"),
                format!("[{}, {}]", show(lo), show(hi)),
                "[low, high] with low <= high",
            );
        }
        c.prob(&format!("{p}.probability"), hf.probability);
        c.prob(&format!("{p}.loss"), hf.loss);
        hazards.push(Hazard {
            name: hf.name.clone(),
            commodities,
            climates,
            altitude_range_m: hf.altitude_range_m,
            probability: hf.probability,
            loss: hf.loss,
        });
    }

    hazards
}

/// `[labour]`.
pub fn check_labour(c: &mut Checker, f: &LabourFile) -> Labour {
    c.num("labour.local_wage", f.local_wage, 0.0, 1e6);
    c.prob("labour.employment_rate", f.employment_rate);
    c.num("labour.remittance", f.remittance, 0.0, 1e6);
    c.num("labour.wage_growth", f.wage_growth, -0.5, 1.0);
    let allocation = c.known("labour.allocation", &f.allocation, Allocation::Fixed);
    c.int("labour.decision_month", f.decision_month, 1, 12);
    c.num("labour.move_cost", f.move_cost, 0.0, 1e6);
    c.num("labour.attachment", f.attachment, 0.0, 1e6);
    c.prob("labour.wage_adjustment", f.wage_adjustment);
    c.num("labour.demand_elasticity", f.demand_elasticity, 0.01, 10.0);
    c.prob("labour.peak_hiring", f.peak_hiring);
    Labour {
        local_wage: f.local_wage,
        employment_rate: f.employment_rate,
        remittance: f.remittance,
        wage_growth: f.wage_growth,
        choice: allocation == Allocation::Choice,
        decision_month: (f.decision_month.clamp(1, 12) - 1) as u8,
        move_cost: f.move_cost,
        attachment: f.attachment,
        wage_adjustment: f.wage_adjustment,
        demand_elasticity: f.demand_elasticity,
        peak_hiring: f.peak_hiring,
    }
}

/// `[health]`.
pub fn check_health(c: &mut Checker, f: &HealthFile) -> Health {
    c.prob("health.acute_illness_prob", f.acute_illness_prob);
    c.num("health.acute_cost_mean", f.acute_cost_mean, 0.0, 1e7);
    c.int("health.acute_labour_loss_months", f.acute_labour_loss_months, 0, 24);
    c.num("health.chronic_cost", f.chronic_cost, 0.0, 1e6);
    c.prob("health.insurance_reimbursement", f.insurance_reimbursement);
    Health {
        acute_illness_prob: f.acute_illness_prob,
        acute_cost_mean: f.acute_cost_mean,
        acute_labour_loss_months: f.acute_labour_loss_months.clamp(0, 24) as u32,
        chronic_cost: f.chronic_cost,
        insurance_reimbursement: f.insurance_reimbursement,
    }
}

/// `[behaviour]`.
pub fn check_behaviour(c: &mut Checker, f: &BehaviourFile) -> Behaviour {
    c.num("behaviour.subsistence", f.subsistence, 0.0, 1e6);
    c.prob("behaviour.mpc", f.mpc);
    let consumption_rule = c.known("behaviour.consumption_rule", &f.consumption_rule, ConsumptionRule::BufferStock);
    c.num("behaviour.buffer_months", f.buffer_months, 0.0, 120.0);
    c.num("behaviour.buffer_spread_months", f.buffer_spread_months, 1.0, 120.0);
    c.num("behaviour.debt_interest", f.debt_interest, 0.0, 1.0);
    c.prob("behaviour.dependency_handout_step", f.dependency_handout_step);
    c.prob("behaviour.deposit_rate", f.deposit_rate);
    c.prob("behaviour.consumption_floor", f.consumption_floor);
    c.num("behaviour.debt_limit_months", f.debt_limit_months, 0.0, 1200.0);
    c.prob("behaviour.dependency_earned_decay", f.dependency_earned_decay);
    c.prob("behaviour.dependency_idle_decay", f.dependency_idle_decay);
    c.prob("behaviour.dependency_effort_loss", f.dependency_effort_loss);
    c.prob("behaviour.liquidation_base", f.liquidation_base);
    c.prob("behaviour.liquidation_dependency", f.liquidation_dependency);
    c.prob("behaviour.liquidation_need", f.liquidation_need);
    c.prob("behaviour.salvage_share", f.salvage_share);
    c.prob("behaviour.livestock_skill_gradient", f.livestock_skill_gradient);
    c.num("behaviour.investment_hurdle", f.investment_hurdle, 0.0, 100.0);
    c.num(
        "behaviour.investment_credit_months",
        f.investment_credit_months,
        0.0,
        f.debt_limit_months.clamp(0.0, 1200.0),
    );
    c.num("behaviour.investment_horizon_years", f.investment_horizon_years, 1.0, 60.0);
    c.num("behaviour.distress_sale_months", f.distress_sale_months, 0.0, 1200.0);
    Behaviour {
        subsistence: f.subsistence,
        consumption_rule,
        mpc: f.mpc,
        buffer_months: f.buffer_months,
        buffer_spread_months: f.buffer_spread_months.max(1.0),
        debt_interest: f.debt_interest,
        dependency_handout_step: f.dependency_handout_step,
        deposit_rate: f.deposit_rate,
        consumption_floor: f.consumption_floor,
        debt_limit_months: f.debt_limit_months,
        dependency_earned_decay: f.dependency_earned_decay,
        dependency_idle_decay: f.dependency_idle_decay,
        dependency_effort_loss: f.dependency_effort_loss,
        liquidation_base: f.liquidation_base,
        liquidation_dependency: f.liquidation_dependency,
        liquidation_need: f.liquidation_need,
        livestock_skill_gradient: f.livestock_skill_gradient,
        salvage_share: f.salvage_share,
        investment_hurdle: f.investment_hurdle,
        investment_credit_months: f.investment_credit_months,
        investment_horizon_years: f.investment_horizon_years.max(1.0),
        distress_sale_months: f.distress_sale_months,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suitability_penalises_each_mismatch() {
        let v = Village {
            name: "v".into(),
            share: 1.0,
            altitude_m: 1500.0,
            slope_deg: 30.0,
            climate: Climate::ColdTemperate,
            product: None,
            governance: 0.5,
            key: false,
            income_factor: 1.0,
        };
        let mut c = Commodity {
            name: "c".into(),
            kind: CommodityKind::Crop,
            unit: "jin".into(),
            base_price: 1.0,
            yield_per: 1.0,
            cost: 0.0,
            plant_month: 3,
            harvest_month: 9,
            price_sd: 0.0,
            scripted_prices: vec![],
            monthly_mortality: 0.0,
            altitude_range_m: [0.0, 2000.0],
            max_slope_deg: 35.0,
            climates: vec![],
            demand_elasticity: 0.0,
            outside_area: 0.0,
            adaptive: true,
            adaptation: 0.5,
            area_elasticity: 0.0,
            area_adjustment: 0.5,
            imitation: 0.0,
            dig_cost: 0.0,
            max_land_share: 0.8,
            mu_per_labour: 10.0,
            years_to_bearing: 0,
            yield_by_age: vec![],
            customary_age_years: [20.0, 20.0],
            planting_cost: 0.0,
            breeding: None,
            outbreak: None,
            suitability_scales: [300.0, 10.0, 0.3],
        };
        assert_eq!(c.suitability(&v), 1.0);
        c.altitude_range_m = [0.0, 1200.0];
        assert!((c.suitability(&v) - (-1.0f64).exp()).abs() < 1e-12);
        c.climates = vec![Climate::Subtropical];
        assert!((c.suitability(&v) - 0.3 * (-1.0f64).exp()).abs() < 1e-12);
        // The scales are the scenario's ([markets]): a wider altitude scale and no climate penalty.
        c.suitability_scales = [600.0, 10.0, 1.0];
        assert!((c.suitability(&v) - (-0.5f64).exp()).abs() < 1e-12);
    }
}
