//! The metric registry: every output metric declared once, by name.
//!
//! Each entry gives the metric's name, unit, how it aggregates over
//! households or time, and a one-line meaning. The output columns of
//! `timeseries.csv`, `prices.csv`, `replicates.csv` and the metric blocks of
//! `summary.*` are built from these lists, and the simulation fills its rows
//! by name through [`Row`], never by position. `docs/outputs.md` gives the
//! full definitions; a test checks that every metric here is documented
//! there with the same unit.
//!
//! Architecture invariant: this module knows metric names only. It does not
//! compute any metric and imports nothing from the simulation.

use std::collections::BTreeMap;

/// How a metric aggregates over households, months or the run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Agg {
    /// A sum over households, or a flow summed over the year.
    Sum,
    /// A mean over households (person-weighted where the meaning says so).
    Mean,
    /// A person-weighted median.
    Median,
    /// One sum divided by another (NaN when the denominator is 0).
    Ratio,
    /// A running balance from the start of the run (a ledger sink, a cumulative counter).
    Balance,
    /// A count of households or organisations in a state.
    Count,
    /// A level read at the time (a price, an index).
    Level,
}

/// One metric of the registry.
#[derive(Debug, Clone, Copy)]
pub struct Metric {
    pub name: &'static str,
    pub unit: &'static str,
    pub agg: Agg,
    pub meaning: &'static str,
}

const fn m(name: &'static str, unit: &'static str, agg: Agg, meaning: &'static str) -> Metric {
    Metric { name, unit, agg, meaning }
}

/// Columns of the monthly time series, after `arm, replicate, year, month`.
pub const MONTHLY: [Metric; 11] = [
    m("headcount", "people", Agg::Sum, "Poor people this month."),
    m("headcount_rate", "share 0..1", Agg::Ratio, "Poor people ÷ all people (FGT(0))."),
    m("poverty_gap", "share 0..1", Agg::Ratio, "FGT(1)."),
    m("poverty_severity", "share 0..1", Agg::Ratio, "FGT(2)."),
    m("mean_income_pc", "yuan/person/year", Agg::Mean, "Person-weighted mean trailing income."),
    m("gini", "0..1", Agg::Level, "Person-weighted Gini of trailing income."),
    m("dependency_mean", "index 0..1", Agg::Mean, "Mean dependency index (等靠要) over households."),
    m("fiscal_spent", "yuan", Agg::Sum, "Budget money that moved into a spent sink this month."),
    m("dibao_spent", "yuan", Agg::Sum, "Dibao (低保) top-ups paid this month."),
    m(
        "registered_households",
        "households",
        Agg::Count,
        "Households registered at the last identification, plus those registered early by monitoring since.",
    ),
    m("enterprise_jobs", "jobs", Agg::Count, "Jobs held by linked households in all enterprises."),
];

/// Columns of `prices.csv` after `arm, replicate, year, month, commodity`.
pub const MARKET: [Metric; 3] = [
    m("price", "yuan/unit", Agg::Level, "The latest realised price."),
    m("planted_area", "mu (crop) or head (livestock)", Agg::Sum, "Area planted, township plus outside farmers."),
    m("harvested_area", "mu or head", Agg::Sum, "Area harvested, township plus outside farmers."),
];

/// Metrics reported at each yearly identification, before spending by
/// instrument and the per-commodity ones.
pub const YEARLY_BASE: [Metric; 125] = [
    m("headcount_rate", "share 0..1", Agg::Ratio, "Poor people ÷ all people."),
    m("poor_people", "people", Agg::Sum, "Members of poor households."),
    m("poor_households", "households", Agg::Count, "Households below the poverty line."),
    m("poverty_gap", "share 0..1", Agg::Ratio, "FGT(1)."),
    m("poverty_severity", "share 0..1", Agg::Ratio, "FGT(2)."),
    m("mean_income_pc", "yuan/person/year", Agg::Mean, "Person-weighted mean trailing income."),
    m("median_income_pc", "yuan/person/year", Agg::Median, "Person-weighted median trailing income."),
    m("gini", "0..1", Agg::Level, "Person-weighted Gini of trailing income."),
    m("exits", "households", Agg::Sum, "Poor at the previous identification, not now (and not died out)."),
    m("reentries", "households", Agg::Sum, "返贫: poor again after an earlier exit."),
    m("new_entrants", "households", Agg::Sum, "Poor for the first time."),
    m("registered_households", "households", Agg::Count, "Households registered (建档立卡) now."),
    m("dependency_mean", "index 0..1", Agg::Mean, "Mean dependency index over households."),
    m("dependency_mean_registered", "index 0..1", Agg::Ratio, "Mean dependency index of registered households."),
    m("fiscal_spent", "yuan", Agg::Sum, "Budget money spent this year."),
    m("dibao_spent", "yuan", Agg::Sum, "Dibao paid this year."),
    m("enterprise_jobs", "jobs", Agg::Count, "Jobs in all enterprises."),
    m("enterprises_alive", "count", Agg::Count, "Enterprises that have not failed."),
    m("contracts_broken", "count", Agg::Count, "Enterprises that broke their purchase contract."),
    m("enterprise_capital", "yuan", Agg::Level, "Enterprises' capital stock in December: fund and co-investment as invested, less depreciation."),
    m("enterprise_cash", "yuan", Agg::Level, "Cash of the enterprises still alive, in December."),
    m("enterprise_output", "yuan", Agg::Sum, "Enterprises' revenue this year: output at its price and the leased land's harvest."),
    m("enterprise_profit", "yuan", Agg::Sum, "Enterprises' revenue less wages, rent, dividends, overheads, contract top-ups and depreciation."),
    m("local_sales", "yuan", Agg::Sum, "Local sellers' income from households' spending above the reference arm's (negative below)."),
    m("local_price_index", "index", Agg::Level, "Person-weighted mean of the villages' local price levels over the year (1: the reference arm's)."),
    m("local_multiplier", "yuan per yuan", Agg::Ratio, "Township income gained this year against the reference ÷ budget and dibao spent more than the reference."),
    m("coop_members", "households", Agg::Count, "Members of cooperatives still alive."),
    m("hazard_villages_hit", "villages", Agg::Count, "Villages struck by a hazard this year."),
    m(
        "poor_share_illness_disability_labour",
        "share 0..1",
        Agg::Ratio,
        "Poor households poor through illness, disability or lack of labour.",
    ),
    m("poor_households_key_villages", "households", Agg::Count, "Poor households in key villages."),
    m("poor_share_illness", "share 0..1", Agg::Ratio, "Poor households poor through illness."),
    m("targeting_inclusion_error", "share 0..1", Agg::Ratio, "Registered households that are not poor, nor kept on in transition or for a guarantee."),
    m("targeting_exclusion_error", "share 0..1", Agg::Ratio, "Poor households not registered."),
    m("handout_recipients", "handouts", Agg::Sum, "Households handed an item or a package this year."),
    m("livestock_mortality", "share", Agg::Ratio, "Handed-out animals that died ÷ animals kept."),
    m("handouts_liquidated", "share", Agg::Ratio, "Handed-out units eaten or sold ÷ units handed out."),
    m("handout_reapply_rate", "share 0..1", Agg::Ratio, "This year's recipients registered again."),
    m("inkind_income", "yuan", Agg::Sum, "Income from handed-out animals and trees this year."),
    m("coop_founder_share", "share 0..1", Agg::Ratio, "What cooperative founders received ÷ what was distributed."),
    m("coop_members_lifted", "households", Agg::Count, "Cooperative members poor initially and not now."),
    m("coop_loan_defaults", "yuan", Agg::Sum, "Cooperative loans members could not repay this year."),
    m("linked_income_to_poor", "yuan", Agg::Balance, "Enterprise and cooperative payments to poor households."),
    m("leakage_share", "share", Agg::Ratio, "Budget diverted, captured or skimmed ÷ budget so far."),
    m("share_reaching_poor", "share", Agg::Ratio, "Budget reaching poor households ÷ budget so far."),
    m("lost_to_late_funds", "yuan", Agg::Balance, "The lost_late sink."),
    m("students", "students", Agg::Sum, "Teenagers enrolled this year."),
    m("graduates", "persons", Agg::Balance, "Graduates so far."),
    m("graduate_household_poor_rate", "share 0..1", Agg::Ratio, "Poor households among those with a graduate."),
    m("credit_borrowers", "households", Agg::Sum, "New loans this year (1+3 credit, or guaranteed loans)."),
    m("credit_defaults", "yuan", Agg::Sum, "Failed loan principal not repaid this year."),
    m("machines", "machines", Agg::Sum, "Subsidised machines bought this year."),
    m("machinery_to_poor_share", "share 0..1", Agg::Ratio, "This year's machines bought by poor households."),
    m("to_poor_households", "yuan", Agg::Balance, "Ledger sink: reached poor households."),
    m("to_nonpoor_households", "yuan", Agg::Balance, "Ledger sink: reached non-poor households."),
    m("enterprise_equity", "yuan", Agg::Balance, "Ledger sink: held as equity by a live enterprise."),
    m("enterprise_failed", "yuan", Agg::Balance, "Ledger sink: equity lost with a failed enterprise."),
    m("enterprise_owners", "yuan", Agg::Balance, "Ledger sink: diverted by enterprise owners."),
    m("coop_capital", "yuan", Agg::Balance, "Ledger sink: grant capital held by a cooperative."),
    m("coop_founders", "yuan", Agg::Balance, "Ledger sink: captured by cooperative founders."),
    m("diverted", "yuan", Agg::Balance, "Ledger sink: skimmed in delivery."),
    m("lost_late", "yuan", Agg::Balance, "Ledger sink: arrived too late and lost."),
    m("admin", "yuan", Agg::Balance, "Ledger sink: administration."),
    m("unspent", "yuan", Agg::Balance, "Ledger sink: not spent."),
    m("public_works", "yuan", Agg::Balance, "Ledger sink: paid into village infrastructure projects."),
    m("guarantee_capital", "yuan", Agg::Balance, "Ledger sink: capital the loan guarantee company holds."),
    m("winners_share", "share 0..1", Agg::Ratio, "Households with more income than under the reference arm."),
    m("losers_share", "share 0..1", Agg::Ratio, "Households with less income than under the reference arm."),
    m("savings_pc", "yuan/person", Agg::Mean, "Positive savings balances per person in December."),
    m("debt_pc", "yuan/person", Agg::Mean, "Debt (negative savings balances) per person in December."),
    m("consumption_pc", "yuan/person/year", Agg::Mean, "Household consumption this year per person."),
    m("debt_defaults", "yuan", Agg::Sum, "Household debt beyond the debt limit written off this year."),
    m("early_entries", "households", Agg::Sum, "Households registered early by monitoring this year."),
    m("monitored", "households", Agg::Count, "Households not poor but within monitoring's near-poor band in December."),
    m("in_transition", "households", Agg::Count, "Registered households kept on the register after their exit."),
    m(
        "assets_pc",
        "yuan/person",
        Agg::Mean,
        "Productive assets per person in December: herds, handed-out animals, orchards, businesses, machines.",
    ),
    m(
        "investment",
        "yuan",
        Agg::Sum,
        "Yuan households paid for breeding animals, trees, school, businesses and machines this year.",
    ),
    m("herd_born", "head", Agg::Sum, "Animals born in breeding herds this year."),
    m("herd_died", "head", Agg::Sum, "Animals of breeding herds that died this year (outbreaks included)."),
    m("herd_sold", "head", Agg::Sum, "Animals of breeding herds sold this year (mature young, culls, herds given up, distress sales)."),
    m("herd_eaten", "head", Agg::Sum, "Breeding animals handed out and eaten or sold at once this year."),
    m("herd_slaughtered", "head", Agg::Sum, "Grown animals of breeding herds eaten at home instead of sold this year."),
    m("herd_bought", "head", Agg::Sum, "Breeding females households bought this year."),
    m("herd_received", "head", Agg::Sum, "Breeding animals handed out in kind and kept this year."),
    m("businesses", "households", Agg::Count, "Households running a business of their own in December."),
    m("businesses_opened", "households", Agg::Sum, "Businesses households opened this year."),
    m("businesses_closed", "households", Agg::Sum, "Businesses that failed or wore out this year."),
    m("machines_bought", "machines", Agg::Sum, "Machines households bought themselves, unsubsidised, this year."),
    m(
        "households_unbalanced",
        "households",
        Agg::Count,
        "Households whose savings differ from their own account (last December's savings plus this year's booked money flows).",
    ),
    m(
        "benefits_to_nonpoor_share",
        "share",
        Agg::Ratio,
        "Yuan paid to non-poor households ÷ yuan paid to households so far.",
    ),
    m("registered_with_ties_share", "share 0..1", Agg::Ratio, "Registered households with ties to village cadres."),
    m(
        "price_index",
        "index, pre-policy year = 1",
        Agg::Level,
        "The price level of the year: a money column times it is in that year's nominal yuan.",
    ),
    m(
        "held_by_guarantees",
        "households",
        Agg::Count,
        "Registered households above the line kept on because they lack a guarantee (两不愁三保障).",
    ),
    m("unsafe_housing", "households", Agg::Count, "Households whose house is unsafe (危房)."),
    m("uninsured", "households", Agg::Count, "Households without basic medical insurance."),
    m("out_of_school", "households", Agg::Count, "Households with a child of compulsory-school age out of school."),
    m("houses_renovated", "households", Agg::Sum, "Unsafe houses renovated this year (危房改造)."),
    m("insured_by_aid", "households", Agg::Sum, "Households whose insurance premium medical aid paid this year."),
    m("back_to_school", "households", Agg::Sum, "Children brought back to school this year (控辍保学)."),
    m("projects_finished", "projects", Agg::Balance, "Infrastructure projects finished so far."),
    m("projects_half_built", "projects", Agg::Count, "Infrastructure projects with money in them, not finished."),
    m("ecommerce_linked", "households", Agg::Sum, "Households linked to e-commerce this year (电商带贫)."),
    m("online_households", "households", Agg::Balance, "Households linked to e-commerce so far."),
    m("relocated", "households", Agg::Sum, "Households moved to a resettlement site this year (易地扶贫搬迁)."),
    m("returned", "households", Agg::Sum, "Moved households that went back to their village this year."),
    m("at_site", "households", Agg::Balance, "Households living at a resettlement site in December."),
    m("loans_outstanding", "households", Agg::Balance, "Households with a loan in force (1+3 or guaranteed) in December."),
    m("guarantees_paid", "yuan", Agg::Sum, "Defaults the loan guarantee company covered this year."),
    m("work_teams", "teams", Agg::Level, "Resident work teams the arm has in the field this year."),
    m("land_transferred", "mu", Agg::Balance, "Land households have transferred through the land centre, in December."),
    m("land_transferors", "households", Agg::Balance, "Households that have transferred land through the land centre."),
    m("migrant_share", "share 0..1", Agg::Ratio, "Adults working away ÷ all adults, in December."),
    m(
        "local_work_share",
        "share 0..1",
        Agg::Ratio,
        "Labour units in paid local work (hired, monthly mean, plus enterprise jobs in December) ÷ all adults.",
    ),
    m("local_wage", "yuan/month", Agg::Mean, "Local wage per labour unit when employed, mean over the year's months."),
    m("local_employment", "labour units", Agg::Mean, "Labour units in hired local work, mean over the year's months."),
    m("departures", "adults", Agg::Sum, "Adults who left to work away at this year's choice."),
    m("homecomings", "adults", Agg::Sum, "Migrants who came home to work at this year's choice."),
    m("hired_locally", "workers", Agg::Sum, "Enterprise jobs filled this year by an adult already at home."),
    m("hired_from_migration", "workers", Agg::Sum, "Enterprise jobs filled this year by a migrant who came home."),
    m("people", "persons", Agg::Count, "Registered members of all households, migrants included, in December."),
    m(
        "working_age_share",
        "share 0..1",
        Agg::Ratio,
        "Adults (working age, not in school) ÷ people, in December.",
    ),
    m("old_age_share", "share 0..1", Agg::Ratio, "Elderly members (`demography.old_age` and older) ÷ people, in December."),
    m(
        "children_share",
        "share 0..1",
        Agg::Ratio,
        "Children (under working age, or in school until `demography.school_leaving_age`) ÷ people, in December.",
    ),
    m(
        "poor_died_out",
        "households",
        Agg::Sum,
        "Households poor at the previous identification whose last member died since (not exits).",
    ),
    m("adopters.business", "households", Agg::Count, "Households running a small business of their own in December."),
    m("adopters.machine", "households", Agg::Count, "Households owning a farm machine in December."),
];

/// Per-livestock yearly metrics, named `<metric>.<species>`.
pub const YEARLY_LIVESTOCK: [Metric; 1] = [m(
    "herd",
    "head/household",
    Agg::Mean,
    "Mean head per household in December: breeding herd, handed-out animals and fattening stock.",
)];

/// Per-commodity yearly metrics, named `<metric>.<commodity>`.
pub const YEARLY_COMMODITY: [Metric; 6] = [
    m("price", "yuan/unit", Agg::Level, "The latest realised price in December (the unit is the commodity's `unit`)."),
    m("planted_area", "mu (crop) or head (livestock)", Agg::Sum, "Township area at the latest planting."),
    m("harvested_area", "mu or head", Agg::Sum, "Township area at the latest harvest."),
    m("specialised_households", "households", Agg::Count, "Cohort that ever had half its land under the crop."),
    m("specialised_poor_rate", "share 0..1", Agg::Ratio, "Share of that cohort poor now."),
    m("adopters", "households", Agg::Count, "Households growing or raising it in December (area or head > 0)."),
];

/// Instruments, in the order of the `spent.<instrument>` metrics.
pub const INSTRUMENTS: [&str; 16] = [
    "cash",
    "enterprise",
    "cooperative",
    "inkind",
    "school",
    "health_aid",
    "package",
    "credit",
    "machinery",
    "housing",
    "infrastructure",
    "ecommerce",
    "relocation",
    "loan_guarantee",
    "work_teams",
    "land_centre",
];

/// Whole-run metrics per arm, before the `sink_share.<sink>` ones.
pub const TOTALS: [Metric; 7] = [
    m("sustained_exits", "exits (households)", Agg::Sum, "Exits that last two more identifications."),
    m("cost_per_sustained_exit", "yuan per sustained exit", Agg::Ratio, "Budget spent ÷ sustained exits."),
    m("budget_total", "yuan", Agg::Sum, "Budget credited over the run."),
    m("books_imbalance", "yuan", Agg::Sum, "Budget minus the sum of the sinks (zero to rounding)."),
    m("poverty_years", "person-years", Agg::Sum, "Poor people summed over the policy years."),
    m("spent_total", "yuan", Agg::Sum, "Budget spent over the run (every sink but unspent)."),
    m(
        "local_multiplier",
        "yuan per yuan",
        Agg::Ratio,
        "Township income gained over the run against the reference ÷ budget and dibao spent more than the reference.",
    ),
];

/// Names of the yearly metrics of a scenario with commodities `commodities`
/// (each with whether it is livestock): [`YEARLY_BASE`], spending per
/// instrument (`spent.<instrument>`), then per commodity, then per livestock species.
pub fn yearly_names<'a>(commodities: impl IntoIterator<Item = (&'a str, bool)>) -> Vec<String> {
    let mut v: Vec<String> = YEARLY_BASE.iter().map(|m| m.name.to_string()).collect();
    v.extend(INSTRUMENTS.iter().map(|s| format!("spent.{s}")));
    let commodities: Vec<(&str, bool)> = commodities.into_iter().collect();
    for (c, _) in &commodities {
        for m in &YEARLY_COMMODITY {
            v.push(format!("{}.{c}", m.name));
        }
    }
    for (c, _) in commodities.iter().filter(|c| c.1) {
        for m in &YEARLY_LIVESTOCK {
            v.push(format!("{}.{c}", m.name));
        }
    }
    v
}

/// [`yearly_names`], then the group metric of every group.
pub fn yearly_names_with_groups<'a>(
    commodities: impl IntoIterator<Item = (&'a str, bool)>,
    groups: impl IntoIterator<Item = String>,
) -> Vec<String> {
    let mut v = yearly_names(commodities);
    v.extend(groups.into_iter().map(|g| group_metric(&g)));
    v
}

/// The subgroup metric, reported for every group of households, named
/// `<metric>@<group>` (see [`GROUP_METRIC`] and `Scenario::groups`).
pub const GROUP_METRIC: Metric =
    m("headcount_rate", "share 0..1", Agg::Ratio, "Poor people ÷ all people, within the group.");

/// The yearly metric of group `group`.
pub fn group_metric(group: &str) -> String {
    format!("{}@{group}", GROUP_METRIC.name)
}

/// A yearly metric's name split into the metric and its group, if any.
pub fn split_group(name: &str) -> (&str, &str) {
    name.split_once('@').unwrap_or((name, ""))
}

/// Pre-policy income deciles of the `income_change.decile_<k>` totals.
pub const DECILES: usize = 10;

/// Names of the whole-run metrics: [`TOTALS`], the mean income change by
/// pre-policy income decile, then each sink's share of the budget.
pub fn totals_names(sinks: &[&str]) -> Vec<String> {
    TOTALS
        .iter()
        .map(|m| m.name.to_string())
        .chain((1..=DECILES).map(|k| format!("income_change.decile_{k}")))
        .chain(sinks.iter().map(|s| format!("sink_share.{s}")))
        .collect()
}

/// The unit of metric `name` in a scenario with commodities `commodities`:
/// a commodity's price in yuan per its own sales unit (`price.grain` in
/// yuan/jin), any other metric's as [`unit_of`].
pub fn unit_in(commodities: &[crate::setting::Commodity], name: &str) -> String {
    if let Some(c) = name.strip_prefix("price.").and_then(|c| commodities.iter().find(|k| k.name == c)) {
        return format!("yuan/{}", c.unit);
    }
    unit_of(name).to_string()
}

/// The unit of any metric a scenario's outputs name: the registered ones,
/// spending by instrument, per-commodity metrics, decile changes, sink
/// shares and the whole-run comparisons.
pub fn unit_of(name: &str) -> &'static str {
    let find = |list: &[Metric], n: &str| list.iter().find(|m| m.name == n).map(|m| m.unit);
    if let Some(u) = find(&YEARLY_BASE, name).or_else(|| find(&TOTALS, name)) {
        return u;
    }
    match name {
        "poverty_years_averted" => return "person-years",
        "mean_headcount_rate_effect" => return "share 0..1",
        "p_beats_reference" => return "share of replicates",
        "cost_per_poverty_year_averted" => return "yuan per person-year",
        "cost_per_additional_sustained_exit" => return "yuan per exit",
        _ => {}
    }
    if !split_group(name).1.is_empty() {
        return GROUP_METRIC.unit;
    }
    let prefix = name.split('.').next().unwrap_or("");
    match prefix {
        "spent" => "yuan",
        "sink_share" => "share",
        "income_change" => "yuan/person/year",
        "p_beats" => "share of replicates",
        _ => find(&YEARLY_COMMODITY, prefix).or_else(|| find(&YEARLY_LIVESTOCK, prefix)).unwrap_or(""),
    }
}

/// Names of a fixed list of metrics.
pub fn names(list: &[Metric]) -> Vec<&'static str> {
    list.iter().map(|m| m.name).collect()
}

/// A row of a fixed list of metrics (the monthly and market rows), from
/// `(name, value)` pairs in any order; each metric of `list` exactly once.
pub fn fixed_row<const N: usize>(list: &[Metric; N], values: [(&str, f64); N]) -> [f64; N] {
    let mut row = [f64::NAN; N];
    let mut filled = [false; N];
    for (name, v) in values {
        let Some(i) = list.iter().position(|m| m.name == name) else {
            unreachable!("metric {name:?} is not in the registry");
        };
        debug_assert!(!filled[i], "metric {name:?} set twice");
        row[i] = v;
        filled[i] = true;
    }
    row
}

/// Column positions of a list of metric names, looked up by name.
#[derive(Debug, Clone)]
pub struct Layout {
    names: Vec<String>,
    index: BTreeMap<String, usize>,
}

impl Layout {
    pub fn new(names: Vec<String>) -> Layout {
        let index = names.iter().enumerate().map(|(i, n)| (n.clone(), i)).collect();
        Layout { names, index }
    }

    pub fn names(&self) -> &[String] {
        &self.names
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// Position of metric `name`, if it is in the layout.
    pub fn position(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// One row of metric values, filled by name.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    layout: &'a Layout,
    values: Vec<f64>,
    filled: Vec<bool>,
}

impl<'a> Row<'a> {
    pub fn new(layout: &'a Layout) -> Row<'a> {
        Row { layout, values: vec![f64::NAN; layout.len()], filled: vec![false; layout.len()] }
    }

    /// Set metric `name`. A name outside the layout is a programming error.
    pub fn put(&mut self, name: &str, value: f64) {
        let Some(i) = self.layout.position(name) else {
            unreachable!("metric {name:?} is not in the registry");
        };
        debug_assert!(!self.filled[i], "metric {name:?} set twice");
        self.values[i] = value;
        self.filled[i] = true;
    }

    /// Metrics of the layout not yet set.
    pub fn missing(&self) -> Vec<&str> {
        self.layout.names.iter().zip(&self.filled).filter(|(_, &f)| !f).map(|(n, _)| n.as_str()).collect()
    }

    /// The values in layout order. Every metric must have been set.
    pub fn finish(self) -> Vec<f64> {
        debug_assert!(self.missing().is_empty(), "metrics not set: {:?}", self.missing());
        self.values
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_price_is_in_yuan_per_its_commodity_s_unit() {
        let sc = crate::testing::township(100);
        assert_eq!(unit_in(&sc.commodities, "price.grain"), "yuan/jin");
        assert_eq!(unit_in(&sc.commodities, "price.seedlings"), "yuan/plant");
        assert_eq!(unit_in(&sc.commodities, "planted_area.grain"), unit_of("planted_area.grain"));
        assert_eq!(unit_in(&sc.commodities, "headcount_rate"), "share 0..1");
    }

    #[test]
    fn every_output_metric_has_a_unit() {
        let names = yearly_names([("grain", false), ("pig.x", true)])
            .into_iter()
            .chain(totals_names(&["unspent"]))
            .chain(["poverty_years_averted", "p_beats.cash", "cost_per_poverty_year_averted"].map(String::from));
        for n in names {
            assert!(!unit_of(&n).is_empty(), "{n}");
        }
        assert_eq!(unit_of("price.grain"), "yuan/unit");
        assert_eq!(unit_of("spent.cash"), "yuan");
        assert_eq!(unit_of("herd.pig.x"), "head/household");
    }

    #[test]
    fn names_are_unique_in_each_list() {
        for list in [&MONTHLY[..], &MARKET[..], &YEARLY_BASE[..], &YEARLY_COMMODITY[..], &TOTALS[..]] {
            let mut n = names(list);
            n.sort();
            n.dedup();
            assert_eq!(n.len(), list.len());
        }
    }

    #[test]
    fn a_row_is_filled_by_name_in_any_order() {
        let layout = Layout::new(vec!["a".into(), "b".into(), "c".into()]);
        let mut row = Row::new(&layout);
        row.put("c", 3.0);
        row.put("a", 1.0);
        assert_eq!(row.missing(), ["b"]);
        row.put("b", 2.0);
        assert_eq!(row.finish(), [1.0, 2.0, 3.0]);
    }

    #[test]
    #[should_panic(expected = "not in the registry")]
    fn an_unknown_name_is_caught() {
        let layout = Layout::new(vec!["a".into()]);
        Row::new(&layout).put("b", 1.0);
    }

    /// Every registered metric is documented in docs/outputs.md, with its unit.
    #[test]
    fn every_metric_is_documented_with_its_unit() {
        let doc = include_str!("../docs/outputs.md");
        let mut missing = Vec::new();
        let yearly = YEARLY_BASE.iter().filter(|m| !crate::ledger::SINKS.contains(&m.name));
        let commodity = YEARLY_COMMODITY.iter().map(|m| (format!("`{}.<c>`", m.name), m.unit));
        let livestock = YEARLY_LIVESTOCK.iter().map(|m| (format!("`{}.<species>`", m.name), m.unit));
        let rows = MONTHLY
            .iter()
            .chain(&MARKET)
            .chain(yearly)
            .chain(&TOTALS)
            .map(|m| (format!("`{}`", m.name), m.unit))
            .chain(commodity)
            .chain(livestock);
        for (name, unit) in rows {
            let documented = doc.lines().any(|l| {
                let cells: Vec<&str> = l.split('|').map(str::trim).collect();
                cells.len() > 3 && cells[1] == name && cells.contains(&unit)
            });
            if !documented {
                missing.push(format!("{name} ({unit})"));
            }
        }
        assert!(missing.is_empty(), "not in docs/outputs.md with this unit: {missing:?}");
    }
}
