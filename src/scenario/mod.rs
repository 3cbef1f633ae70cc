//! Scenarios: loading, validation and the validated [`Scenario`] the engine trusts.
//!
//! Loading is two-stage. [`file::ScenarioFile`] is what serde reads from TOML
//! (unknown fields are errors). [`Scenario::from_file`] checks every field,
//! collects *all* problems at once, resolves names (villages, commodities,
//! enterprises) to indices, and only then hands the engine a value whose
//! invariants hold, so the monthly loop never re-checks its inputs.

pub mod file;
pub mod locate;

use crate::error::{Error, FieldError, Result};
use file::*;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Largest population a scenario may ask for; far above the national
/// registry (29.5 M households) and far below what would overflow indices.
pub const MAX_HOUSEHOLDS: i64 = 100_000_000;
/// Largest number of replicates accepted in one run.
pub const MAX_REPLICATES: i64 = 1_000_000;
/// Longest horizon, in years.
pub const MAX_YEARS: i64 = 50;

/// Climate zones. They decide, with altitude and slope, which crops and
/// breeds suit a village.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Climate {
    Subtropical,
    WarmTemperate,
    Temperate,
    ColdTemperate,
    Alpine,
}

impl Climate {
    pub const NAMES: &'static str = "subtropical, warm_temperate, temperate, cold_temperate, alpine";
    fn parse(s: &str) -> Option<Climate> {
        Some(match s {
            "subtropical" => Climate::Subtropical,
            "warm_temperate" => Climate::WarmTemperate,
            "temperate" => Climate::Temperate,
            "cold_temperate" => Climate::ColdTemperate,
            "alpine" => Climate::Alpine,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommodityKind {
    /// Planted on land (mu); `yield` is units per mu.
    Crop,
    /// Raised as a herd (head); `yield` is units per head sold.
    Livestock,
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
}

impl Commodity {
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
        let mut s = (-off / 300.0).exp();
        s *= (-(v.slope_deg - self.max_slope_deg).max(0.0) / 10.0).exp();
        if !self.climates.is_empty() && !self.climates.contains(&v.climate) {
            s *= 0.3;
        }
        s
    }
}

#[derive(Debug, Clone)]
pub struct Cooperative {
    pub name: String,
    pub village: usize,
    pub commodity: usize,
    pub members: usize,
    pub land_share: f64,
    pub founders: usize,
    pub founder_capture: f64,
    pub yield_gain: f64,
}

#[derive(Debug, Clone)]
pub struct EnterpriseSpec {
    pub name: String,
    pub commodity: usize,
    /// Villages whose registered households it may link; empty = all.
    pub villages: Vec<usize>,
    pub own_capital: f64,
    pub capital_per_job: f64,
    pub wage: f64,
    pub rent: f64,
    pub lease_mu: f64,
    pub dividend_rate: f64,
    pub output_per_job: f64,
    pub fixed_cost: f64,
    pub max_linked: usize,
    pub diversion: f64,
    pub contract_floor: f64,
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
    pub villages: Vec<Village>,
}

#[derive(Debug, Clone, Copy)]
pub struct CashPolicy {
    pub budget_share: f64,
    pub interval_months: u32,
    pub leakage: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct EnterprisePolicy {
    pub budget_share: f64,
    pub enterprise: usize,
    pub transfer_month: u8,
    pub co_investment: f64,
    pub verified_linkage: bool,
    pub audit_probability: f64,
}

/// Who chooses what is handed out in kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Procurement {
    /// Bought centrally: the first item, whatever the village.
    Central,
    /// The village picks the item that suits it best.
    Village,
    /// Each household buys its own, with local knowledge of breeds and varieties.
    Household,
}

#[derive(Debug, Clone)]
pub struct InKindPolicy {
    pub budget_share: f64,
    pub items: Vec<usize>,
    pub units: f64,
    pub unit_cost: f64,
    pub procurement: Procurement,
    pub transfer_month: u8,
    pub patron_rotation_years: u32,
    /// Villages served; empty = all.
    pub villages: Vec<usize>,
}

#[derive(Debug, Clone, Copy)]
pub struct SchoolPolicy {
    pub budget_share: f64,
    pub tuition: f64,
    pub subsidy_share: f64,
    pub years: u32,
    pub skilled_wage: f64,
    pub remit_share: f64,
    pub enrol_month: u8,
}

#[derive(Debug, Clone, Copy)]
pub struct HealthAidPolicy {
    pub budget_share: f64,
    pub cover: f64,
}

#[derive(Debug, Clone)]
pub struct PackagePolicy {
    pub budget_share: f64,
    pub tailored: bool,
    pub items: Vec<usize>,
    pub unit_costs: Vec<f64>,
    pub item_shares: Vec<f64>,
    pub tuition: f64,
    pub skilled_wage: f64,
    pub remit_share: f64,
    pub transfer_month: u8,
}

/// Who uses a poverty loan: the household itself, or a partner that pays it a fixed dividend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CreditMode {
    SelfUse,
    Entrepreneur,
    Cooperative,
    Enterprise,
}

#[derive(Debug, Clone, Copy)]
pub struct CreditPolicy {
    pub budget_share: f64,
    pub mode: CreditMode,
    pub loan: f64,
    pub rate: f64,
    pub interest_subsidy: f64,
    pub self_return: f64,
    pub self_failure: f64,
    pub paired_return: f64,
    pub partner_failure: f64,
    pub guarantee: f64,
    pub min_productivity: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct MachineryPolicy {
    pub budget_share: f64,
    pub subsidy: f64,
    pub price: f64,
    pub point_of_sale: bool,
    pub yield_gain: f64,
}

/// How an arm's money is delivered.
#[derive(Debug, Clone, Copy)]
pub struct Delivery {
    pub delay_months: u32,
    /// Late seasonal money is lost (true) or rolls over a year (false).
    pub late_lost: bool,
    pub ring_fenced: bool,
}

/// Effective targeting error rates after the public notices.
#[derive(Debug, Clone, Copy)]
pub struct Targeting {
    pub exclusion: f64,
    pub inclusion: f64,
}

#[derive(Debug, Clone, Copy)]
pub struct CooperativePolicy {
    pub budget_share: f64,
    pub cooperative: usize,
    pub transfer_month: u8,
    pub enrol_per_year: usize,
    pub guaranteed_dividend: f64,
    /// The founders' capture in force in this arm.
    pub founder_capture: f64,
    pub sham: bool,
    pub loan: f64,
    pub loan_rate: f64,
    pub loan_return: f64,
}

#[derive(Debug, Clone)]
pub struct Arm {
    pub name: String,
    pub description: String,
    pub cash: Option<CashPolicy>,
    pub enterprise: Option<EnterprisePolicy>,
    pub cooperative: Option<CooperativePolicy>,
    pub inkind: Option<InKindPolicy>,
    pub school: Option<SchoolPolicy>,
    pub health_aid: Option<HealthAidPolicy>,
    pub package: Option<PackagePolicy>,
    pub credit: Option<CreditPolicy>,
    pub machinery: Option<MachineryPolicy>,
    pub delivery: Delivery,
}

impl Arm {
    /// Budget share of all the arm's instruments (administration excluded).
    pub fn instrument_share(&self) -> f64 {
        self.cash.map_or(0.0, |c| c.budget_share)
            + self.enterprise.map_or(0.0, |e| e.budget_share)
            + self.cooperative.map_or(0.0, |c| c.budget_share)
            + self.inkind.as_ref().map_or(0.0, |k| k.budget_share)
            + self.school.map_or(0.0, |k| k.budget_share)
            + self.health_aid.map_or(0.0, |k| k.budget_share)
            + self.package.as_ref().map_or(0.0, |k| k.budget_share)
            + self.credit.map_or(0.0, |k| k.budget_share)
            + self.machinery.map_or(0.0, |k| k.budget_share)
    }
}

/// A validated scenario. Construct it with [`Scenario::load`] or
/// [`Scenario::from_file`]; its fields then satisfy the documented ranges.
#[derive(Debug, Clone)]
pub struct Scenario {
    pub path: PathBuf,
    /// SHA-256 of the file's bytes, lowercase hex.
    pub sha256: String,
    pub name: String,
    pub description: String,
    pub start_year: i32,
    pub years: u32,
    pub replicates: u32,
    pub seed: u64,
    pub poverty_line: f64,
    pub indexation: f64,
    pub population: Population,
    pub commodities: Vec<Commodity>,
    pub cooperatives: Vec<Cooperative>,
    pub enterprises: Vec<EnterpriseSpec>,
    pub labour: LabourFile,
    pub health: HealthFile,
    pub behaviour: BehaviourFile,
    pub dibao: DibaoFile,
    pub budget: BudgetFile,
    pub targeting: Targeting,
    pub hazards: Vec<Hazard>,
    pub arms: Vec<Arm>,
}

impl Scenario {
    /// Read, parse and validate a scenario file.
    pub fn load(path: &Path) -> Result<Scenario> {
        if path.is_dir() {
            return Err(Error::Parse {
                path: path.into(),
                message: "is a directory; give a scenario .toml file".into(),
            });
        }
        let bytes = std::fs::read(path).map_err(|source| Error::Read { path: path.into(), source })?;
        Self::from_bytes(path, &bytes)
    }

    /// Parse and validate scenario text; `path` is used in messages only.
    pub fn from_bytes(path: &Path, bytes: &[u8]) -> Result<Scenario> {
        let parse_err = |message: String| Error::Parse { path: path.into(), message };
        let text = std::str::from_utf8(bytes).map_err(|e| {
            parse_err(format!(
                "not UTF-8 text (invalid byte at offset {}); a scenario is a TOML text file",
                e.valid_up_to()
            ))
        })?;
        if text.trim().is_empty() {
            return Err(parse_err("the file is empty; start from `fupin init` or scenarios/township.toml".into()));
        }
        // Syntax first, then shape: sections that must be tables are tables.
        let root: toml::Table = toml::from_str(text).map_err(|e| parse_err(e.to_string()))?;
        let locator = locate::Locator::new(text);
        let shape: Vec<FieldError> = locate::non_tables(&root)
            .into_iter()
            .map(|(p, kind)| FieldError {
                at: locator.find(&p),
                path: p,
                value: format!("{} {kind}", if kind.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" }),
                allowed: "a table (a [section] or { key = value, ... })".into(),
            })
            .collect();
        if !shape.is_empty() {
            return Err(Error::Invalid { path: path.into(), errors: shape });
        }
        let file: ScenarioFile = toml::from_str(text).map_err(|e| {
            let mut message = e.to_string();
            if let Some(name) = locate::suggestion(&message) {
                message.push_str(&format!("did you mean `{name}`?"));
            }
            parse_err(message)
        })?;
        let sha256 = format!("{:x}", Sha256::digest(bytes));
        Scenario::from_file(path, sha256, file).map_err(|e| match e {
            Error::Invalid { path, mut errors } => {
                for err in &mut errors {
                    err.at = locator.find(&err.path);
                }
                Error::Invalid { path, errors }
            }
            other => other,
        })
    }

    /// Stage two: validate a parsed file and resolve its names.
    pub fn from_file(path: &Path, sha256: String, f: ScenarioFile) -> Result<Scenario> {
        let mut c = Checker::default();
        let m = &f.meta;
        if m.name.trim().is_empty()
            || m.name.starts_with('.')
            || !m.name.chars().all(|ch| ch.is_alphanumeric() || "-_.".contains(ch))
        {
            c.push(
                "meta.name",
                format!("{:?}", m.name),
                "a non-empty name of letters, digits, '-', '_' or '.', not starting with '.' (it names the output folder)",
            );
        }
        c.int("meta.start_year", m.start_year, 1900, 2200);
        c.int("meta.years", m.years, 1, MAX_YEARS);
        c.int("meta.replicates", m.replicates, 1, MAX_REPLICATES);
        c.num("poverty_line.yuan_per_person_year", f.poverty_line.yuan_per_person_year, 1.0, 1e7);
        c.num("poverty_line.indexation", f.poverty_line.indexation, -0.5, 1.0);

        // Markets first: everything else refers to commodities by name.
        let mut commodities = Vec::new();
        if f.markets.commodities.is_empty() || f.markets.commodities.len() > crate::engine::MAX_COMMODITIES {
            c.push(
                "markets.commodities",
                format!("{} commodities", f.markets.commodities.len()),
                format!("between 1 and {} commodities", crate::engine::MAX_COMMODITIES),
            );
        }
        for (i, cf) in f.markets.commodities.iter().enumerate() {
            let p = format!("markets.commodities[{i}]");
            c.unique_name(
                &format!("{p}.name"),
                &cf.name,
                f.markets.commodities[..i].iter().map(|o| &o.name),
                "commodity",
            );
            let kind = match cf.kind.as_str() {
                "crop" => CommodityKind::Crop,
                "livestock" => CommodityKind::Livestock,
                other => {
                    c.push(&format!("{p}.kind"), format!("{other:?}"), "\"crop\" or \"livestock\"");
                    CommodityKind::Crop
                }
            };
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
                c.push(&format!("{p}.altitude_range_m"), format!("[{lo}, {hi}]"), "[low, high] with low <= high");
            }
            c.num(&format!("{p}.max_slope_deg"), cf.max_slope_deg, 0.0, 90.0);
            let climates = cf
                .climates
                .iter()
                .enumerate()
                .filter_map(|(j, s)| c.climate(&format!("{p}.climates[{j}]"), s))
                .collect();
            c.num(&format!("{p}.demand_elasticity"), cf.demand_elasticity, 0.0, 20.0);
            c.num(&format!("{p}.outside_area"), cf.outside_area, 0.0, 1e10);
            let adaptive = match cf.expectation.as_str() {
                "adaptive" => true,
                "naive" => false,
                other => {
                    c.push(&format!("{p}.expectation"), format!("{other:?}"), "\"naive\" or \"adaptive\"");
                    true
                }
            };
            c.prob(&format!("{p}.adaptation"), cf.adaptation);
            c.num(&format!("{p}.area_elasticity"), cf.area_elasticity, 0.0, 10.0);
            c.prob(&format!("{p}.area_adjustment"), cf.area_adjustment);
            c.prob(&format!("{p}.imitation"), cf.imitation);
            c.num(&format!("{p}.dig_cost"), cf.dig_cost, 0.0, 1e8);
            c.prob(&format!("{p}.max_land_share"), cf.max_land_share);
            c.num(&format!("{p}.mu_per_labour"), cf.mu_per_labour, 0.0, 1e6);
            c.int(&format!("{p}.years_to_bearing"), cf.years_to_bearing, 0, MAX_YEARS);
            let base_profit = cf.base_price * cf.yield_per - cf.cost - cf.dig_cost;
            if cf.area_elasticity > 0.0 && base_profit.is_finite() && base_profit <= 0.0 {
                c.push(&format!("{p}.area_elasticity"), cf.area_elasticity, format!("0, because profit at the base price (base_price × yield − cost − dig_cost = {base_profit}) is not positive; a responsive area needs a positive reference profit"));
            }
            if cf.demand_elasticity > 0.0 && cf.outside_area <= 0.0 {
                c.push(
                    &format!("{p}.outside_area"),
                    cf.outside_area,
                    "a positive area when demand_elasticity > 0 (the township is a price-taker in a wider market)",
                );
            }
            commodities.push(Commodity {
                name: cf.name.clone(),
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
            });
        }
        let find_commodity = |c: &mut Checker, path: &str, name: &str, kind: Option<CommodityKind>| match commodities
            .iter()
            .position(|k| k.name == name)
        {
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
                c.push(
                    path,
                    format!("{name:?}"),
                    format!(
                        "one of the commodities defined in [markets]: {}",
                        names(commodities.iter().map(|k| &k.name))
                    ),
                );
                0
            }
        };

        let pf = &f.population;
        c.int("population.households", pf.households, 1, MAX_HOUSEHOLDS);
        if pf.villages.len() > u16::MAX as usize {
            c.push("population.villages", format!("{} villages", pf.villages.len()), format!("at most {}", u16::MAX));
        }
        if f.organisations.enterprises.len() > 255 {
            c.push(
                "organisations.enterprises",
                format!("{} enterprises", f.organisations.enterprises.len()),
                "at most 255",
            );
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
        let staple = find_commodity(&mut c, "population.staple", &pf.staple, Some(CommodityKind::Crop));
        let livestock = pf
            .livestock
            .as_ref()
            .map(|n| find_commodity(&mut c, "population.livestock", n, Some(CommodityKind::Livestock)));
        let mut villages = Vec::new();
        if pf.villages.is_empty() {
            c.push("population.villages", "[]", "at least one village");
        }
        for (i, vf) in pf.villages.iter().enumerate() {
            let p = format!("population.villages[{i}]");
            c.unique_name(&format!("{p}.name"), &vf.name, pf.villages[..i].iter().map(|o| &o.name), "village");
            c.num(&format!("{p}.share"), vf.share, 0.0, 1.0);
            c.num(&format!("{p}.altitude_m"), vf.altitude_m, -500.0, 9000.0);
            c.num(&format!("{p}.slope_deg"), vf.slope_deg, 0.0, 90.0);
            let climate = c.climate(&format!("{p}.climate"), &vf.climate).unwrap_or(Climate::Temperate);
            let product = vf.product.as_ref().map(|n| find_commodity(&mut c, &format!("{p}.product"), n, None));
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
            c.push("population.villages[*].share", format!("sum {share_sum}"), "shares that sum to 1");
        }
        let find_village = |c: &mut Checker, path: &str, name: &str| match villages.iter().position(|v| v.name == name)
        {
            Some(i) => i,
            None => {
                c.push(
                    path,
                    format!("{name:?}"),
                    format!("one of the villages: {}", names(villages.iter().map(|v| &v.name))),
                );
                0
            }
        };

        let mut cooperatives = Vec::new();
        for (i, cf) in f.organisations.cooperatives.iter().enumerate() {
            let p = format!("organisations.cooperatives[{i}]");
            c.unique_name(
                &format!("{p}.name"),
                &cf.name,
                f.organisations.cooperatives[..i].iter().map(|o| &o.name),
                "cooperative",
            );
            let village = find_village(&mut c, &format!("{p}.village"), &cf.village);
            let commodity = find_commodity(&mut c, &format!("{p}.commodity"), &cf.commodity, Some(CommodityKind::Crop));
            c.int(&format!("{p}.members"), cf.members, 1, MAX_HOUSEHOLDS);
            c.prob(&format!("{p}.land_share"), cf.land_share);
            c.int(&format!("{p}.founders"), cf.founders, 1, cf.members.max(1));
            c.prob(&format!("{p}.founder_capture"), cf.founder_capture);
            c.num(&format!("{p}.yield_gain"), cf.yield_gain, 0.0, 10.0);
            cooperatives.push(Cooperative {
                name: cf.name.clone(),
                village,
                commodity,
                members: cf.members.max(0) as usize,
                land_share: cf.land_share,
                founders: cf.founders.max(0) as usize,
                founder_capture: cf.founder_capture,
                yield_gain: cf.yield_gain,
            });
        }
        let mut enterprises = Vec::new();
        for (i, ef) in f.organisations.enterprises.iter().enumerate() {
            let p = format!("organisations.enterprises[{i}]");
            c.unique_name(
                &format!("{p}.name"),
                &ef.name,
                f.organisations.enterprises[..i].iter().map(|o| &o.name),
                "enterprise",
            );
            for (j, v) in ef.villages.iter().enumerate() {
                if ef.villages[..j].contains(v) {
                    c.push(&format!("{p}.villages[{j}]"), format!("{v:?}"), "a village not already listed");
                }
            }
            let commodity = find_commodity(&mut c, &format!("{p}.commodity"), &ef.commodity, None);
            let vs = ef
                .villages
                .iter()
                .enumerate()
                .map(|(j, n)| find_village(&mut c, &format!("{p}.villages[{j}]"), n))
                .collect();
            c.num(&format!("{p}.own_capital"), ef.own_capital, 0.0, 1e12);
            c.num(&format!("{p}.capital_per_job"), ef.capital_per_job, 1.0, 1e9);
            c.num(&format!("{p}.wage"), ef.wage, 0.0, 1e7);
            c.num(&format!("{p}.rent"), ef.rent, 0.0, 1e6);
            c.num(&format!("{p}.lease_mu"), ef.lease_mu, 0.0, 1000.0);
            c.num(&format!("{p}.dividend_rate"), ef.dividend_rate, 0.0, 1.0);
            c.num(&format!("{p}.output_per_job"), ef.output_per_job, 0.0, 1e8);
            c.num(&format!("{p}.fixed_cost"), ef.fixed_cost, 0.0, 1e10);
            c.int(&format!("{p}.max_linked"), ef.max_linked, 0, MAX_HOUSEHOLDS);
            c.prob(&format!("{p}.diversion"), ef.diversion);
            c.num(&format!("{p}.contract_floor"), ef.contract_floor, 0.0, 1e7);
            enterprises.push(EnterpriseSpec {
                name: ef.name.clone(),
                commodity,
                villages: vs,
                own_capital: ef.own_capital,
                capital_per_job: ef.capital_per_job,
                wage: ef.wage,
                rent: ef.rent,
                lease_mu: ef.lease_mu,
                dividend_rate: ef.dividend_rate,
                output_per_job: ef.output_per_job,
                fixed_cost: ef.fixed_cost,
                max_linked: ef.max_linked.max(0) as usize,
                diversion: ef.diversion,
                contract_floor: ef.contract_floor,
            });
        }
        let mut hazards = Vec::new();
        for (i, hf) in f.hazards.iter().enumerate() {
            let p = format!("hazards[{i}]");
            c.unique_name(&format!("{p}.name"), &hf.name, f.hazards[..i].iter().map(|o| &o.name), "hazard");
            let commodities = hf
                .commodities
                .iter()
                .enumerate()
                .map(|(j, n)| find_commodity(&mut c, &format!("{p}.commodities[{j}]"), n, None))
                .collect();
            let climates = hf
                .climates
                .iter()
                .enumerate()
                .filter_map(|(j, s)| c.climate(&format!("{p}.climates[{j}]"), s))
                .collect();
            let [lo, hi] = hf.altitude_range_m;
            c.num(&format!("{p}.altitude_range_m[0]"), lo, -500.0, 9000.0);
            c.num(&format!("{p}.altitude_range_m[1]"), hi, -500.0, 9000.0);
            if lo > hi {
                c.push(&format!("{p}.altitude_range_m"), format!("[{lo}, {hi}]"), "[low, high] with low <= high");
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

        c.num("labour.local_wage", f.labour.local_wage, 0.0, 1e6);
        c.prob("labour.employment_rate", f.labour.employment_rate);
        c.num("labour.remittance", f.labour.remittance, 0.0, 1e6);
        c.num("labour.wage_growth", f.labour.wage_growth, -0.5, 1.0);
        c.prob("health.acute_illness_prob", f.health.acute_illness_prob);
        c.num("health.acute_cost_mean", f.health.acute_cost_mean, 0.0, 1e7);
        c.int("health.acute_labour_loss_months", f.health.acute_labour_loss_months, 0, 24);
        c.num("health.chronic_cost", f.health.chronic_cost, 0.0, 1e6);
        c.prob("health.insurance_reimbursement", f.health.insurance_reimbursement);
        c.num("behaviour.subsistence", f.behaviour.subsistence, 0.0, 1e6);
        c.prob("behaviour.mpc", f.behaviour.mpc);
        c.num("behaviour.debt_interest", f.behaviour.debt_interest, 0.0, 1.0);
        c.prob("behaviour.dependency_handout_step", f.behaviour.dependency_handout_step);
        c.prob("behaviour.dependency_earned_decay", f.behaviour.dependency_earned_decay);
        c.prob("behaviour.dependency_effort_loss", f.behaviour.dependency_effort_loss);
        c.prob("behaviour.liquidation_base", f.behaviour.liquidation_base);
        c.prob("behaviour.liquidation_dependency", f.behaviour.liquidation_dependency);
        c.prob("behaviour.liquidation_need", f.behaviour.liquidation_need);
        c.prob("behaviour.salvage_share", f.behaviour.salvage_share);
        c.num("dibao.line", f.dibao.line, 0.0, 1e7);
        c.num("budget.yearly", f.budget.yearly, 0.0, 1e13);
        for (y, b) in f.budget.by_year.iter().enumerate() {
            c.num(&format!("budget.by_year[{y}]"), *b, 0.0, 1e13);
        }
        c.prob("budget.admin_share", f.budget.admin_share);
        let t = &f.targeting;
        c.prob("targeting.exclusion_error", t.exclusion_error);
        c.prob("targeting.inclusion_error", t.inclusion_error);
        c.prob("targeting.notice_correction", t.notice_correction);
        let keep = if t.public_notices { (1.0 - t.notice_correction).powi(2) } else { 1.0 };
        let targeting = Targeting { exclusion: t.exclusion_error * keep, inclusion: t.inclusion_error * keep };

        let mut arms = Vec::new();
        if f.arms.is_empty() {
            c.push("arms", "[]", "at least one [[arms]] table");
        }
        for (i, af) in f.arms.iter().enumerate() {
            let p = format!("arms[{i}]");
            if af.name.trim().is_empty() {
                c.push(&format!("{p}.name"), "\"\"", "a non-empty arm name");
            }
            if f.arms[..i].iter().any(|o| o.name == af.name) {
                c.push(&format!("{p}.name"), format!("{:?}", af.name), "a name not used by another arm");
            }
            let mut total = f.budget.admin_share;
            let cooperative = af.policies.cooperative.as_ref().map(|cf| {
                let q = format!("{p}.policies.cooperative");
                c.prob(&format!("{q}.budget_share"), cf.budget_share);
                c.int(&format!("{q}.transfer_month"), cf.transfer_month, 1, 12);
                c.int(&format!("{q}.enrol_per_year"), cf.enrol_per_year, 0, MAX_HOUSEHOLDS);
                c.num(&format!("{q}.guaranteed_dividend"), cf.guaranteed_dividend, 0.0, 1e6);
                total += cf.budget_share;
                let idx = match cooperatives.iter().position(|k| k.name == cf.cooperative) {
                    Some(i) => i,
                    None => {
                        c.push(
                            &format!("{q}.cooperative"),
                            format!("{:?}", cf.cooperative),
                            format!(
                                "one of the cooperatives in [[organisations.cooperatives]]: {}",
                                names(cooperatives.iter().map(|k| &k.name))
                            ),
                        );
                        0
                    }
                };
                if let Some(fc) = cf.founder_capture {
                    c.prob(&format!("{q}.founder_capture"), fc);
                }
                c.num(&format!("{q}.loan"), cf.loan, 0.0, 1e11);
                c.num(&format!("{q}.loan_rate"), cf.loan_rate, 0.0, 1.0);
                c.num(&format!("{q}.loan_return"), cf.loan_return, -1.0, 10.0);
                CooperativePolicy {
                    budget_share: cf.budget_share,
                    cooperative: idx,
                    transfer_month: (cf.transfer_month.clamp(1, 12) - 1) as u8,
                    enrol_per_year: cf.enrol_per_year.max(0) as usize,
                    guaranteed_dividend: cf.guaranteed_dividend,
                    founder_capture: cf
                        .founder_capture
                        .unwrap_or_else(|| cooperatives.get(idx).map_or(0.0, |k| k.founder_capture)),
                    sham: cf.sham,
                    loan: cf.loan,
                    loan_rate: cf.loan_rate,
                    loan_return: cf.loan_return,
                }
            });
            let cash = af.policies.cash.as_ref().map(|cf| {
                let q = format!("{p}.policies.cash");
                c.prob(&format!("{q}.budget_share"), cf.budget_share);
                c.int(&format!("{q}.interval_months"), cf.interval_months, 1, 12);
                c.prob(&format!("{q}.leakage"), cf.leakage);
                total += cf.budget_share;
                CashPolicy {
                    budget_share: cf.budget_share,
                    interval_months: cf.interval_months.clamp(1, 12) as u32,
                    leakage: cf.leakage,
                }
            });
            let enterprise = af.policies.enterprise.as_ref().map(|ef| {
                let q = format!("{p}.policies.enterprise");
                c.prob(&format!("{q}.budget_share"), ef.budget_share);
                c.int(&format!("{q}.transfer_month"), ef.transfer_month, 1, 12);
                total += ef.budget_share;
                let idx = match enterprises.iter().position(|e| e.name == ef.enterprise) {
                    Some(i) => i,
                    None => {
                        c.push(
                            &format!("{q}.enterprise"),
                            format!("{:?}", ef.enterprise),
                            format!(
                                "one of the enterprises in [[organisations.enterprises]]: {}",
                                names(enterprises.iter().map(|e| &e.name))
                            ),
                        );
                        0
                    }
                };
                c.prob(&format!("{q}.co_investment"), ef.co_investment);
                c.prob(&format!("{q}.audit_probability"), ef.audit_probability);
                EnterprisePolicy {
                    budget_share: ef.budget_share,
                    enterprise: idx,
                    transfer_month: (ef.transfer_month.clamp(1, 12) - 1) as u8,
                    co_investment: ef.co_investment,
                    verified_linkage: ef.verified_linkage,
                    audit_probability: ef.audit_probability,
                }
            });
            let inkind = af.policies.inkind.as_ref().map(|kf| {
                let q = format!("{p}.policies.inkind");
                c.prob(&format!("{q}.budget_share"), kf.budget_share);
                total += kf.budget_share;
                if kf.items.is_empty() {
                    c.push(&format!("{q}.items"), "[]", "at least one commodity to hand out");
                }
                let items = kf
                    .items
                    .iter()
                    .enumerate()
                    .map(|(j, n)| find_commodity(&mut c, &format!("{q}.items[{j}]"), n, None))
                    .collect();
                c.num(&format!("{q}.units"), kf.units, 0.0, 1e6);
                c.num(&format!("{q}.unit_cost"), kf.unit_cost, 0.01, 1e8);
                c.int(&format!("{q}.transfer_month"), kf.transfer_month, 1, 12);
                c.int(&format!("{q}.patron_rotation_years"), kf.patron_rotation_years, 0, MAX_YEARS);
                let procurement = match kf.procurement.as_str() {
                    "central" => Procurement::Central,
                    "village" => Procurement::Village,
                    "household" => Procurement::Household,
                    other => {
                        c.push(
                            &format!("{q}.procurement"),
                            format!("{other:?}"),
                            "\"central\", \"village\" or \"household\"",
                        );
                        Procurement::Central
                    }
                };
                let villages = kf
                    .villages
                    .iter()
                    .enumerate()
                    .map(|(j, n)| find_village(&mut c, &format!("{q}.villages[{j}]"), n))
                    .collect();
                for (j, item) in kf.items.iter().enumerate() {
                    if let Some(k) = commodities.iter().find(|k| k.name == *item) {
                        if kf.transfer_month > k.plant_month as i64 + 1 {
                            c.push(
                                &format!("{q}.transfer_month"),
                                kf.transfer_month,
                                format!("a month no later than items[{j}] ({item:?}) is planted or stocked ({}), or the handout always misses its season", k.plant_month + 1),
                            );
                        }
                    }
                }
                InKindPolicy {
                    villages,
                    budget_share: kf.budget_share,
                    items,
                    units: kf.units,
                    unit_cost: kf.unit_cost,
                    procurement,
                    transfer_month: (kf.transfer_month.clamp(1, 12) - 1) as u8,
                    patron_rotation_years: kf.patron_rotation_years.clamp(0, MAX_YEARS) as u32,
                }
            });
            let school = af.policies.school.as_ref().map(|f| {
                let q = format!("{p}.policies.school");
                c.prob(&format!("{q}.budget_share"), f.budget_share);
                total += f.budget_share;
                c.num(&format!("{q}.tuition"), f.tuition, 0.0, 1e7);
                c.prob(&format!("{q}.subsidy_share"), f.subsidy_share);
                c.int(&format!("{q}.years"), f.years, 1, 6);
                c.num(&format!("{q}.skilled_wage"), f.skilled_wage, 0.0, 1e7);
                c.prob(&format!("{q}.remit_share"), f.remit_share);
                c.int(&format!("{q}.enrol_month"), f.enrol_month, 1, 12);
                SchoolPolicy {
                    budget_share: f.budget_share,
                    tuition: f.tuition,
                    subsidy_share: f.subsidy_share,
                    years: f.years.clamp(1, 6) as u32,
                    skilled_wage: f.skilled_wage,
                    remit_share: f.remit_share,
                    enrol_month: (f.enrol_month.clamp(1, 12) - 1) as u8,
                }
            });
            let health_aid = af.policies.health_aid.as_ref().map(|f| {
                let q = format!("{p}.policies.health_aid");
                c.prob(&format!("{q}.budget_share"), f.budget_share);
                total += f.budget_share;
                c.prob(&format!("{q}.cover"), f.cover);
                HealthAidPolicy { budget_share: f.budget_share, cover: f.cover }
            });
            let package = af.policies.package.as_ref().map(|f| {
                let q = format!("{p}.policies.package");
                c.prob(&format!("{q}.budget_share"), f.budget_share);
                total += f.budget_share;
                let tailored = match f.mode.as_str() {
                    "tailored" => true,
                    "uniform" => false,
                    other => {
                        c.push(&format!("{q}.mode"), format!("{other:?}"), "\"uniform\" or \"tailored\"");
                        false
                    }
                };
                if f.items.is_empty() || f.items.len() != f.unit_costs.len() || f.items.len() != f.item_shares.len() {
                    c.push(
                        &format!("{q}.items"),
                        format!(
                            "{} items, {} unit_costs, {} item_shares",
                            f.items.len(),
                            f.unit_costs.len(),
                            f.item_shares.len()
                        ),
                        "at least one item, with one unit cost and one share per item",
                    );
                }
                let items = f
                    .items
                    .iter()
                    .enumerate()
                    .map(|(j, n)| find_commodity(&mut c, &format!("{q}.items[{j}]"), n, None))
                    .collect();
                for (j, v) in f.unit_costs.iter().enumerate() {
                    c.num(&format!("{q}.unit_costs[{j}]"), *v, 0.01, 1e8);
                }
                for (j, v) in f.item_shares.iter().enumerate() {
                    c.prob(&format!("{q}.item_shares[{j}]"), *v);
                }
                let sum: f64 = f.item_shares.iter().sum();
                if !f.item_shares.is_empty() && (sum - 1.0).abs() > 1e-6 {
                    c.push(&format!("{q}.item_shares"), format!("sum {sum}"), "shares that sum to 1");
                }
                c.num(&format!("{q}.tuition"), f.tuition, 0.0, 1e7);
                c.num(&format!("{q}.skilled_wage"), f.skilled_wage, 0.0, 1e7);
                c.prob(&format!("{q}.remit_share"), f.remit_share);
                c.int(&format!("{q}.transfer_month"), f.transfer_month, 1, 12);
                PackagePolicy {
                    budget_share: f.budget_share,
                    tailored,
                    items,
                    unit_costs: f.unit_costs.clone(),
                    item_shares: f.item_shares.clone(),
                    tuition: f.tuition,
                    skilled_wage: f.skilled_wage,
                    remit_share: f.remit_share,
                    transfer_month: (f.transfer_month.clamp(1, 12) - 1) as u8,
                }
            });
            let credit = af.policies.credit.as_ref().map(|f| {
                let q = format!("{p}.policies.credit");
                c.prob(&format!("{q}.budget_share"), f.budget_share);
                total += f.budget_share;
                let mode = match f.mode.as_str() {
                    "self" => CreditMode::SelfUse,
                    "entrepreneur" => CreditMode::Entrepreneur,
                    "cooperative" => CreditMode::Cooperative,
                    "enterprise" => CreditMode::Enterprise,
                    other => {
                        c.push(
                            &format!("{q}.mode"),
                            format!("{other:?}"),
                            "\"self\", \"entrepreneur\", \"cooperative\" or \"enterprise\"",
                        );
                        CreditMode::SelfUse
                    }
                };
                c.num(&format!("{q}.loan"), f.loan, 0.0, 1e8);
                c.num(&format!("{q}.rate"), f.rate, 0.0, 1.0);
                c.prob(&format!("{q}.interest_subsidy"), f.interest_subsidy);
                c.num(&format!("{q}.self_return"), f.self_return, -1.0, 10.0);
                c.prob(&format!("{q}.self_failure"), f.self_failure);
                c.num(&format!("{q}.paired_return"), f.paired_return, 0.0, 1.0);
                c.prob(&format!("{q}.partner_failure"), f.partner_failure);
                c.prob(&format!("{q}.guarantee"), f.guarantee);
                c.num(&format!("{q}.min_productivity"), f.min_productivity, 0.0, 100.0);
                CreditPolicy {
                    budget_share: f.budget_share,
                    mode,
                    loan: f.loan,
                    rate: f.rate,
                    interest_subsidy: f.interest_subsidy,
                    self_return: f.self_return,
                    self_failure: f.self_failure,
                    paired_return: f.paired_return,
                    partner_failure: f.partner_failure,
                    guarantee: f.guarantee,
                    min_productivity: f.min_productivity,
                }
            });
            let machinery = af.policies.machinery.as_ref().map(|f| {
                let q = format!("{p}.policies.machinery");
                c.prob(&format!("{q}.budget_share"), f.budget_share);
                total += f.budget_share;
                c.num(&format!("{q}.subsidy"), f.subsidy, 0.01, 1e7);
                c.num(&format!("{q}.price"), f.price, f.subsidy.max(0.0), 1e8);
                c.num(&format!("{q}.yield_gain"), f.yield_gain, 0.0, 10.0);
                let point_of_sale = match f.mode.as_str() {
                    "point_of_sale" => true,
                    "reimbursed" => false,
                    other => {
                        c.push(&format!("{q}.mode"), format!("{other:?}"), "\"point_of_sale\" or \"reimbursed\"");
                        true
                    }
                };
                MachineryPolicy {
                    budget_share: f.budget_share,
                    subsidy: f.subsidy,
                    price: f.price,
                    point_of_sale,
                    yield_gain: f.yield_gain,
                }
            });
            let df = &af.delivery;
            c.int(&format!("{p}.delivery.delay_months"), df.delay_months, 0, 24);
            let late_lost = match df.late_funds.as_str() {
                "lost" => true,
                "rollover" => false,
                other => {
                    c.push(&format!("{p}.delivery.late_funds"), format!("{other:?}"), "\"lost\" or \"rollover\"");
                    false
                }
            };
            let delivery =
                Delivery { delay_months: df.delay_months.clamp(0, 24) as u32, late_lost, ring_fenced: df.ring_fenced };
            if total > 1.0 + 1e-9 {
                c.push(
                    &format!("{p}.policies.*.budget_share"),
                    format!("{total} including budget.admin_share"),
                    "shares that sum to at most 1",
                );
            }
            arms.push(Arm {
                name: af.name.clone(),
                description: af.description.clone(),
                cash,
                enterprise,
                cooperative,
                inkind,
                school,
                health_aid,
                package,
                credit,
                machinery,
                delivery,
            });
        }

        if !c.errors.is_empty() {
            return Err(Error::Invalid { path: path.into(), errors: c.errors });
        }
        Ok(Scenario {
            path: path.into(),
            sha256,
            name: m.name.clone(),
            description: m.description.clone(),
            start_year: m.start_year as i32,
            years: m.years as u32,
            replicates: m.replicates as u32,
            seed: m.seed,
            poverty_line: f.poverty_line.yuan_per_person_year,
            indexation: f.poverty_line.indexation,
            population: Population {
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
                villages,
            },
            commodities,
            cooperatives,
            enterprises,
            labour: f.labour.clone(),
            health: f.health.clone(),
            behaviour: f.behaviour.clone(),
            dibao: f.dibao.clone(),
            budget: f.budget.clone(),
            targeting,
            hazards,
            arms,
        })
    }

    /// The budget of policy year `y` (0 = `start_year`), yuan.
    pub fn budget_in(&self, y: usize) -> f64 {
        self.budget.by_year.get(y).copied().unwrap_or(self.budget.yearly)
    }

    /// Months simulated after the pre-policy year.
    pub fn months(&self) -> u32 {
        self.years * 12
    }

    /// The poverty line in force in policy year `y` (0 = `start_year`),
    /// yuan per person per year. Year -1 is the pre-policy year.
    pub fn poverty_line_in(&self, y: i32) -> f64 {
        self.poverty_line * (1.0 + self.indexation).powi(y)
    }
}

fn names<'a>(it: impl Iterator<Item = &'a String>) -> String {
    let v: Vec<String> = it.map(|s| format!("{s:?}")).collect();
    if v.is_empty() {
        "(none defined)".into()
    } else {
        v.join(", ")
    }
}

/// Collects every field error instead of stopping at the first.
#[derive(Default)]
struct Checker {
    errors: Vec<FieldError>,
}

impl Checker {
    fn push(&mut self, path: &str, value: impl ToString, allowed: impl ToString) {
        self.errors.push(FieldError {
            path: path.to_string(),
            value: value.to_string(),
            allowed: allowed.to_string(),
            at: None,
        });
    }
    /// A name that is not empty and not used by an earlier entry of its kind.
    fn unique_name<'a>(&mut self, path: &str, name: &str, earlier: impl Iterator<Item = &'a String>, kind: &str) {
        if name.trim().is_empty() {
            self.push(path, format!("{name:?}"), format!("a non-empty {kind} name"));
        } else if earlier.into_iter().any(|o| o == name) {
            self.push(path, format!("{name:?}"), format!("a name not used by another {kind}"));
        }
    }

    fn num(&mut self, path: &str, v: f64, lo: f64, hi: f64) {
        if !v.is_finite() {
            self.push(path, v, format!("a finite number in [{lo}, {hi}]"));
        } else if v < lo || v > hi {
            self.push(path, v, format!("a number in [{lo}, {hi}]"));
        }
    }
    fn prob(&mut self, path: &str, v: f64) {
        if !(0.0..=1.0).contains(&v) {
            self.push(path, v, "a probability or share in [0, 1]");
        }
    }
    fn int(&mut self, path: &str, v: i64, lo: i64, hi: i64) {
        if v < lo || v > hi {
            self.push(path, v, format!("an integer in [{lo}, {hi}]"));
        }
    }
    fn climate(&mut self, path: &str, s: &str) -> Option<Climate> {
        let c = Climate::parse(s);
        if c.is_none() {
            self.push(path, format!("{s:?}"), format!("one of {}", Climate::NAMES));
        }
        c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shipped_township_validates() {
        let s = Scenario::load(Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/scenarios/township.toml"))).unwrap();
        assert_eq!(s.arms.len(), 3);
        assert_eq!(s.years, 6);
    }

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
        };
        assert_eq!(c.suitability(&v), 1.0);
        c.altitude_range_m = [0.0, 1200.0];
        assert!((c.suitability(&v) - (-1.0f64).exp()).abs() < 1e-12);
        c.climates = vec![Climate::Subtropical];
        assert!((c.suitability(&v) - 0.3 * (-1.0f64).exp()).abs() < 1e-12);
    }
}
