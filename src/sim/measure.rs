//! The metrics of a month and of a year, filled by name from the registry
//! (`outcome`).
//!
//! Poverty is measured on every household's trailing 12-month per-capita
//! net income against the line of the year; the yearly row adds the
//! identification's flows, each mechanism's yearly tally and the books.

use super::shared::{MonthSink, Replicate};
use super::state::State;
use crate::household::{Cause, Condition, Status, CHUNK};
use crate::ledger::SINKS;
use crate::mechanism::registry::Identified;
use crate::mechanism::{consumption, guarantee, herd, labour, venture};
use crate::metrics::{self, Fgt};
use crate::outcome::{self, Row, DECILES, INSTRUMENTS, MARKET, MONTHLY, YEARLY_COMMODITY, YEARLY_LIVESTOCK};
use crate::setting::CommodityKind;
use rayon::prelude::*;

/// The poverty measures of this month.
pub struct Poverty {
    pub fgt: Fgt,
    pub gini: f64,
    pub dependency_mean: f64,
    pub jobs: f64,
}

/// Measure poverty and inequality now, at line `line`.
pub fn poverty(r: &Replicate, s: &mut State, line: f64) -> Poverty {
    let w = &r.world;
    let fgt = metrics::fgt(&s.hh.ypc, &w.sizes, line);
    metrics::sort_order(&mut s.order, &s.hh.ypc, &mut s.radix);
    let gini = metrics::gini(&s.order, &s.hh.ypc, &w.sizes);
    let (mut sum, mut n) = (0.0f64, 0.0f64);
    for (&d, &size) in s.hh.dependency.iter().zip(&w.sizes) {
        // A household without members (its last died) is no household.
        if size > 0 {
            (sum, n) = (sum + d as f64, n + 1.0);
        }
    }
    let dependency_mean = sum / n.max(1.0);
    Poverty { fgt, gini, dependency_mean, jobs: s.ent.jobs() }
}

/// Push this month's row of `timeseries.csv` and rows of `prices.csv`.
pub fn monthly(s: &State, p: &Poverty, sink: &mut MonthSink) {
    let f = &p.fgt;
    sink.monthly.push(outcome::fixed_row(
        &MONTHLY,
        [
            ("headcount", f.poor_people),
            ("headcount_rate", f.headcount_rate),
            ("poverty_gap", f.gap),
            ("poverty_severity", f.severity),
            ("mean_income_pc", f.mean),
            ("gini", p.gini),
            ("dependency_mean", p.dependency_mean),
            ("fiscal_spent", s.fiscal_month),
            ("dibao_spent", s.dibao_month),
            ("registered_households", s.registered as f64),
            ("enterprise_jobs", p.jobs),
        ],
    ));
    for mk in &s.markets {
        sink.market.push(outcome::fixed_row(
            &MARKET,
            [
                ("price", mk.price),
                ("planted_area", mk.planted + mk.outside_area),
                ("harvested_area", mk.harvested + mk.outside_harvested),
            ],
        ));
    }
}

/// Households growing or raising each commodity (area or head > 0; for a
/// breeding species, breeding females).
fn adopters(r: &Replicate, s: &State) -> Vec<f64> {
    let nc = r.sc.commodities.len();
    let mut count = vec![0.0; nc];
    for row in s.hh.area.chunks_exact(nc) {
        count.iter_mut().zip(row).for_each(|(n, &a)| *n += (a > 0.0) as u8 as f64);
    }
    let nb = s.herd.species.len();
    for (b, &c) in s.herd.species.iter().enumerate() {
        count[c] = s.herd.herds.females.iter().skip(b).step_by(nb).filter(|&&f| f > 0.0).count() as f64;
    }
    count
}

/// The people and their age groups (`[demography]`; constant without it).
fn population_metrics(row: &mut Row, r: &Replicate) {
    let (mut people, mut adults, mut elderly, mut children) = (0.0, 0.0, 0.0, 0.0);
    for t in &r.world.traits {
        people += t.size as f64;
        adults += t.adults as f64;
        elderly += t.elderly as f64;
        children += t.children as f64;
    }
    row.put("people", people);
    row.put("working_age_share", ratio(adults, people));
    row.put("old_age_share", ratio(elderly, people));
    row.put("children_share", ratio(children, people));
}

/// Work: migration, local work and its market, enterprise hires.
fn labour_metrics(row: &mut Row, r: &Replicate, s: &mut State) {
    let adults: f64 = r.world.traits.iter().map(|t| t.adults as f64).sum();
    let away: f64 = s.hh.away.iter().map(|&a| labour::count(a) as f64).sum();
    let year = std::mem::take(&mut s.work.year);
    let months = year.months.max(1.0);
    row.put("migrant_share", ratio(away, adults));
    row.put("local_work_share", ratio(year.employed / months + s.ent.jobs(), adults));
    row.put("local_wage", year.wage / months);
    row.put("local_employment", year.employed / months);
    row.put("departures", year.moves.left);
    row.put("homecomings", year.moves.came_home);
    let [local, migration] = std::mem::take(&mut s.ent.hired);
    row.put("hired_locally", local);
    row.put("hired_from_migration", migration);
    let business = s.books.business_year.iter().filter(|&&y| y > 0).count();
    row.put("adopters.business", business as f64);
    row.put("adopters.machine", s.hh.status.iter().filter(|st| st.contains(Status::MACHINE)).count() as f64);
}

fn ratio(a: f64, b: f64) -> f64 {
    if b > 0.0 {
        a / b
    } else {
        f64::NAN
    }
}

/// The December row of year index `y`, after identification `id`. The
/// yearly tallies of the mechanisms are reset.
pub fn yearly(r: &Replicate, s: &mut State, p: &Poverty, id: &Identified, y: usize) -> Vec<f64> {
    let hs = household_stats(r, s, y);
    let mut row = Row::new(&r.layout);
    poverty_metrics(&mut row, s, p, id, &hs);
    row.put("median_income_pc", metrics::median(&s.order, &s.hh.ypc, &r.world.sizes));
    organisation_metrics(&mut row, r, s, &hs, y);
    instrument_metrics(&mut row, s, &hs);
    let l = &s.ledger;
    row.put("linked_income_to_poor", s.linked_to_poor);
    row.put("leakage_share", l.leakage_share());
    row.put("share_reaching_poor", l.share_reaching_poor());
    row.put(
        "benefits_to_nonpoor_share",
        ratio(l.to_nonpoor_households, l.to_poor_households + l.to_nonpoor_households),
    );
    row.put("lost_to_late_funds", l.lost_late);
    for (name, v) in SINKS.iter().zip(l.sinks()) {
        row.put(name, v);
    }
    for (name, v) in INSTRUMENTS.iter().zip(std::mem::take(&mut s.spent_by)) {
        row.put(&format!("spent.{name}"), v);
    }
    // Filled by the replicate, which holds the reference arm's incomes and the groups.
    row.put("winners_share", f64::NAN);
    row.put("losers_share", f64::NAN);
    for g in r.sc.groups() {
        row.put(&outcome::group_metric(&g), f64::NAN);
    }
    row.put("price_index", r.sc.price(y as i32));
    row.put("held_by_guarantees", s.held as f64);
    for (name, n) in ["unsafe_housing", "uninsured", "out_of_school"].iter().zip(guarantee::lacking(&s.hh)) {
        row.put(name, n);
    }
    let g = std::mem::take(&mut s.guarantees);
    row.put("houses_renovated", g.houses_renovated);
    row.put("insured_by_aid", g.insured_by_aid);
    row.put("back_to_school", g.back_to_school);
    row.put("projects_finished", s.infra.done());
    row.put("projects_half_built", s.infra.half_built());
    row.put("ecommerce_linked", std::mem::take(&mut s.ecommerce_linked));
    row.put("online_households", s.hh.online.iter().filter(|&&o| o).count() as f64);
    let moves = std::mem::take(&mut s.moves);
    row.put("relocated", moves.moved);
    row.put("returned", moves.returned);
    let at_site = s.hh.moved.iter().zip(&s.hh.returned).filter(|&(&m, &r)| m > 0 && !r).count();
    row.put("at_site", at_site as f64);
    row.put("loans_outstanding", s.credit.loans.credit.iter().filter(|&&l| l > 0.0).count() as f64);
    row.put("guarantees_paid", std::mem::take(&mut s.company.covered));
    row.put("work_teams", s.teams.count() as f64);
    row.put("land_transferred", s.hh.transferred.iter().map(|&x| x as f64).sum());
    row.put("land_transferors", s.hh.transferred.iter().filter(|&&x| x > 0.0).count() as f64);
    labour_metrics(&mut row, r, s);
    population_metrics(&mut row, r);
    let households = r.world.households() as f64;
    for (c, k) in r.sc.commodities.iter().enumerate().filter(|(_, k)| k.kind == CommodityKind::Livestock) {
        for metric in &YEARLY_LIVESTOCK {
            row.put(&format!("{}.{}", metric.name, k.name), hs.herd.get(c).map_or(0.0, |h| h / households));
        }
    }
    let adopters = adopters(r, s);
    for ((k, mk), adopters) in r.sc.commodities.iter().zip(&s.markets).zip(adopters) {
        // The cohort columns are filled at the end of the run.
        let values = [mk.price, mk.planted, mk.harvested, f64::NAN, f64::NAN, adopters];
        for (metric, v) in YEARLY_COMMODITY.iter().zip(values) {
            row.put(&format!("{}.{}", metric.name, k.name), v);
        }
    }
    row.finish()
}

fn poverty_metrics(row: &mut Row, s: &State, p: &Poverty, id: &Identified, hs: &HouseholdStats) {
    let f = &p.fgt;
    row.put("headcount_rate", f.headcount_rate);
    row.put("poor_people", f.poor_people);
    row.put("poor_households", f.poor_households);
    row.put("poverty_gap", f.gap);
    row.put("poverty_severity", f.severity);
    row.put("mean_income_pc", f.mean);
    row.put("gini", p.gini);
    row.put("exits", id.exits);
    row.put("reentries", id.reentries);
    row.put("new_entrants", id.entrants);
    row.put("poor_died_out", id.died_out);
    row.put("registered_households", s.registered as f64);
    row.put("in_transition", id.in_transition as f64);
    row.put("early_entries", s.early_entries);
    row.put("monitored", hs.monitored);
    row.put("dependency_mean", p.dependency_mean);
    row.put("dependency_mean_registered", ratio(hs.dependency_registered, s.registered as f64));
    row.put("fiscal_spent", s.fiscal_year);
    row.put("dibao_spent", s.dibao_year);
    row.put("savings_pc", ratio(hs.savings, hs.people));
    row.put("debt_pc", ratio(hs.debt, hs.people));
    row.put("households_unbalanced", hs.unbalanced);
    row.put("consumption_pc", ratio(s.consumption_year, hs.people));
    row.put("debt_defaults", s.debt_defaults_year);
    row.put("poor_share_illness_disability_labour", ratio(hs.poor_by_cause, f.poor_households));
    row.put("poor_households_key_villages", hs.poor_key);
    row.put("poor_share_illness", ratio(hs.poor_ill, f.poor_households));
    row.put("targeting_inclusion_error", ratio(hs.registered_nonpoor, s.registered as f64));
    row.put("targeting_exclusion_error", ratio(hs.poor_unregistered, f.poor_households));
    row.put("registered_with_ties_share", ratio(hs.registered_ties, s.registered as f64));
}

fn organisation_metrics(row: &mut Row, r: &Replicate, s: &State, hs: &HouseholdStats, y: usize) {
    row.put("enterprise_jobs", s.ent.jobs());
    row.put("enterprises_alive", s.ent.alive());
    row.put("contracts_broken", s.ent.contracts_broken(&r.sc.enterprises));
    let [capital, cash, output, profit] = s.ent.books();
    row.put("enterprise_capital", capital);
    row.put("enterprise_cash", cash);
    row.put("enterprise_output", output);
    row.put("enterprise_profit", profit);
    row.put("local_sales", s.local.sales_year);
    row.put("local_price_index", s.local.price_index());
    // Filled by the replicate, which holds the reference arm's incomes and spending.
    row.put("local_multiplier", f64::NAN);
    row.put("coop_members", s.coops.members());
    row.put("hazard_villages_hit", r.world.hazard_hits[y] as f64);
    row.put("coop_founder_share", s.coops.founder_share());
    row.put("coop_members_lifted", hs.members_lifted);
}

/// The instruments' yearly tallies, which are reset here.
fn instrument_metrics(row: &mut Row, s: &mut State, hs: &HouseholdStats) {
    let k = std::mem::take(&mut s.inkind.tally);
    row.put("handout_recipients", k.recipients);
    row.put("livestock_mortality", ratio(k.died, k.raised));
    row.put("handouts_liquidated", ratio(k.liquidated, k.given));
    row.put("handout_reapply_rate", ratio(hs.recipients_registered, hs.recipients));
    row.put("inkind_income", k.inkind_income);
    row.put("coop_loan_defaults", std::mem::take(&mut s.coops.loan_defaults));
    row.put("students", std::mem::take(&mut s.school.enrolled));
    row.put("graduates", s.school.graduates());
    row.put("graduate_household_poor_rate", ratio(hs.graduate_poor, hs.graduate_households));
    row.put("credit_borrowers", std::mem::take(&mut s.credit.borrowers));
    row.put("credit_defaults", std::mem::take(&mut s.credit.defaults));
    let m = std::mem::take(&mut s.machinery);
    row.put("machines", m.machines);
    row.put("machinery_to_poor_share", ratio(m.machines_poor, m.machines));
    let herd = std::mem::take(&mut s.herd.tally);
    let v = std::mem::take(&mut s.ventures);
    row.put("investment", herd.invested + std::mem::take(&mut s.school.self_paid) + k.planting_invested + v.invested);
    row.put("herd_born", herd.born);
    row.put("herd_died", herd.died);
    row.put("herd_sold", herd.sold);
    row.put("herd_eaten", herd.eaten);
    row.put("herd_slaughtered", herd.slaughtered);
    row.put("herd_bought", herd.bought);
    row.put("herd_received", herd.handed);
    row.put("businesses", s.books.business_year.iter().filter(|&&y| y > 0).count() as f64);
    row.put("businesses_opened", v.opened);
    row.put("businesses_closed", v.failed + v.worn_out);
    row.put("machines_bought", v.machines);
    row.put("assets_pc", ratio(hs.assets, hs.people));
}

/// Household counts behind the yearly metrics, after identification.
#[derive(Default)]
struct HouseholdStats {
    poor_by_cause: f64,
    poor_ill: f64,
    poor_key: f64,
    dependency_registered: f64,
    registered_nonpoor: f64,
    poor_unregistered: f64,
    recipients: f64,
    recipients_registered: f64,
    members_lifted: f64,
    graduate_households: f64,
    graduate_poor: f64,
    savings: f64,
    debt: f64,
    unbalanced: f64,
    monitored: f64,
    people: f64,
    /// Productive assets, yuan.
    assets: f64,
    /// Registered households with ties to village cadres.
    registered_ties: f64,
    /// Head of each commodity held (livestock only), per commodity.
    herd: Vec<f64>,
}

impl HouseholdStats {
    fn add(self, o: HouseholdStats) -> HouseholdStats {
        HouseholdStats {
            poor_by_cause: self.poor_by_cause + o.poor_by_cause,
            poor_ill: self.poor_ill + o.poor_ill,
            poor_key: self.poor_key + o.poor_key,
            dependency_registered: self.dependency_registered + o.dependency_registered,
            registered_nonpoor: self.registered_nonpoor + o.registered_nonpoor,
            poor_unregistered: self.poor_unregistered + o.poor_unregistered,
            recipients: self.recipients + o.recipients,
            recipients_registered: self.recipients_registered + o.recipients_registered,
            members_lifted: self.members_lifted + o.members_lifted,
            savings: self.savings + o.savings,
            debt: self.debt + o.debt,
            unbalanced: self.unbalanced + o.unbalanced,
            monitored: self.monitored + o.monitored,
            people: self.people + o.people,
            assets: self.assets + o.assets,
            registered_ties: self.registered_ties + o.registered_ties,
            herd: if self.herd.is_empty() {
                o.herd
            } else {
                self.herd.iter().zip(&o.herd).map(|(a, b)| a + b).collect()
            },
            graduate_households: self.graduate_households + o.graduate_households,
            graduate_poor: self.graduate_poor + o.graduate_poor,
        }
    }
}

fn household_stats(r: &Replicate, s: &State, y: usize) -> HouseholdStats {
    let n = r.world.households();
    // Read-only and independent per household: chunks in parallel, added in chunk order.
    let parts: Vec<HouseholdStats> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| household_stats_range(r, s, y, k * CHUNK..((k + 1) * CHUNK).min(n)))
        .collect();
    parts.into_iter().fold(HouseholdStats::default(), |a, b| a.add(b))
}

fn household_stats_range(r: &Replicate, s: &State, y: usize, range: std::ops::Range<usize>) -> HouseholdStats {
    let sc = r.sc;
    // Monitoring's near-poor band (0 households without monitoring).
    let t = &sc.targeting;
    let near_poor = if t.monitoring { (1.0 + t.monitoring_band) * sc.poverty_line_in(y as i32 - 1) } else { 0.0 };
    // Registered above the line for an unmet guarantee (两不愁三保障) is the rule, not an error.
    let held_by_rule = y > 0 && sc.guarantees.required_for_exit;
    let w = &r.world;
    let mut h = HouseholdStats::default();
    for i in range {
        // A household whose last member died counts no more.
        if w.sizes[i] == 0 {
            continue;
        }
        let t = &w.traits[i];
        let st = s.hh.status[i];
        let poor = st.poor();
        let registered = st.registered();
        let held = held_by_rule && !s.hh.unmet[i].is_empty();
        if poor {
            let cause = t.cause();
            h.poor_by_cause += matches!(cause, Cause::Illness | Cause::Disability | Cause::LackOfLabour) as u8 as f64;
            h.poor_ill += (cause == Cause::Illness) as u8 as f64;
            h.poor_key += sc.population.villages[t.village as usize].key as u8 as f64;
            h.poor_unregistered += !registered as u8 as f64;
        } else if registered && !st.contains(Status::TRANSITION) && !held {
            // Kept on by the transition, or held for an unmet guarantee, is the rule, not an error.
            h.registered_nonpoor += 1.0;
        }
        if registered {
            h.dependency_registered += s.hh.dependency[i] as f64;
            h.registered_ties += t.flags.contains(Condition::TIES) as u8 as f64;
        }
        // Recipients of this year's handout who are back on the register ("a project every year, poor every year").
        if y > 0 && s.inkind.holdings.handout_year[i] as usize == y {
            h.recipients += 1.0;
            h.recipients_registered += registered as u8 as f64;
        }
        if st.contains(Status::COOP) && s.hh.history[i] & 1 == 1 && !poor {
            h.members_lifted += 1.0;
        }
        h.people += w.sizes[i] as f64;
        let balance = s.hh.savings[i] as f64;
        if balance >= 0.0 {
            h.savings += balance;
        } else {
            h.debt -= balance;
        }
        h.unbalanced += consumption::unbalanced(s.hh.savings[i], s.hh.booked[i]) as u8 as f64;
        h.monitored += (!poor && (s.hh.ypc[i] as f64) < near_poor) as u8 as f64;
        if s.school.students.graduates[i] > 0 {
            h.graduate_households += 1.0;
            h.graduate_poor += poor as u8 as f64;
        }
        assets_and_herds(r, s, (i, y), &mut h);
    }
    h
}

/// Household `i`'s productive assets (breeding herds at the female price,
/// young at half of it; handed-out and fattening animals at their sale
/// value, `yield` × the latest price; orchards at `planting_cost` per mu,
/// or one season's `cost` for a crop without one; its own business and
/// machine at their price less straight-line wear) and its head of each
/// livestock commodity, in year index `y`.
fn assets_and_herds(r: &Replicate, s: &State, (i, y): (usize, usize), h: &mut HouseholdStats) {
    let sc = r.sc;
    let nc = sc.commodities.len();
    if h.herd.is_empty() {
        h.herd = vec![0.0; nc];
    }
    let sale = |c: usize| sc.commodities[c].yield_per * s.markets[c].price;
    let hold = &s.inkind.holdings;
    h.assets += herd::value(sc, &s.herd, i);
    h.assets += venture::value(sc, &s.books, i, y);
    for (slot, &c) in s.herd.species.iter().enumerate() {
        h.herd[c] += s.herd.head(i, slot) as f64;
    }
    if hold.handout_alive[i] > 0.0 {
        let c = hold.handout_item[i] as usize;
        h.herd[c] += hold.handout_alive[i] as f64;
        h.assets += hold.handout_alive[i] as f64 * sale(c);
    }
    if hold.orchard[i] > 0.0 {
        let k = &sc.commodities[hold.orchard_item[i] as usize];
        h.assets += hold.orchard[i] as f64 * if k.planting_cost > 0.0 { k.planting_cost } else { k.cost };
    }
    for c in (0..nc).filter(|&c| sc.commodities[c].kind == CommodityKind::Livestock) {
        let stock = s.hh.stock[i * nc + c] as f64;
        h.herd[c] += stock;
        h.assets += stock * sale(c);
    }
}

/// Fill `specialised_households.<c>` and `specialised_poor_rate.<c>` of every
/// year with the poverty of the cohort that specialised in `c` during the run.
pub fn specialised_cohorts(r: &Replicate, s: &State, yearly: &mut [Vec<f64>]) {
    for (c, k) in r.sc.commodities.iter().enumerate() {
        let size = r.layout.position(&format!("specialised_households.{}", k.name)).expect("registered");
        let rate = r.layout.position(&format!("specialised_poor_rate.{}", k.name)).expect("registered");
        let bit = 1u32 << c;
        let cohort: Vec<u64> =
            s.hh.history.iter().zip(&s.hh.specialised).filter(|(_, &m)| m & bit != 0).map(|(&h, _)| h).collect();
        for (k, row) in yearly.iter_mut().enumerate() {
            let poor = cohort.iter().filter(|&&h| h >> k & 1 == 1).count() as f64;
            row[size] = cohort.len() as f64;
            row[rate] = if cohort.is_empty() { f64::NAN } else { poor / cohort.len() as f64 };
        }
    }
}

/// The groups each household belongs to, fixed for the replicate: key
/// village or not, its village, its cause of poverty, registered at the
/// initial identification or not. Group indices follow `Scenario::groups`.
pub struct Groups {
    /// Per household, its four group indices.
    of: Vec<[u32; 4]>,
    count: usize,
}

impl Groups {
    pub fn new(r: &Replicate, status_at_start: &[Status]) -> Groups {
        let villages = &r.sc.population.villages;
        let nv = villages.len() as u32;
        let of = r
            .world
            .traits
            .iter()
            .zip(status_at_start)
            .map(|(t, st)| {
                let v = t.village as u32;
                let key = if villages[t.village as usize].key { 0 } else { 1 };
                let cause = Cause::ALL.iter().position(|c| *c == t.cause()).unwrap_or(0) as u32;
                let registered = if st.registered() { 0 } else { 1 };
                [key, 2 + v, 2 + nv + cause, 2 + nv + Cause::ALL.len() as u32 + registered]
            })
            .collect();
        Groups { of, count: 2 + villages.len() + Cause::ALL.len() + 2 }
    }

    /// The headcount rate of every group now, from the December status.
    pub fn headcount(&self, sizes: &[u8], status: &[Status]) -> Vec<f64> {
        let (mut poor, mut people) = (vec![0.0; self.count], vec![0.0; self.count]);
        for ((groups, &w), st) in self.of.iter().zip(sizes).zip(status) {
            for &g in groups {
                people[g as usize] += w as f64;
                if st.poor() {
                    poor[g as usize] += w as f64;
                }
            }
        }
        poor.iter().zip(&people).map(|(p, n)| if *n > 0.0 { p / n } else { f64::NAN }).collect()
    }

    /// Write the group headcounts into a yearly row.
    pub fn fill(&self, r: &Replicate, row: &mut [f64], values: &[f64]) {
        for (g, v) in r.sc.groups().iter().zip(values) {
            let at = r.layout.position(&outcome::group_metric(g));
            if let Some(at) = at {
                row[at] = *v;
            }
        }
    }
}

/// Households compared with themselves under the reference arm: every arm
/// runs on the same households and draws, so each household's income under
/// an arm can be set against its income under the reference.
pub struct Paired {
    /// Pre-policy, person-weighted income decile of each household, 0..9.
    pub decile: Vec<u8>,
    /// The reference arm's trailing per-capita income of every household, each December.
    pub reference: Vec<Vec<f32>>,
    /// The reference arm's total income, and budget and dibao spent, each policy year, yuan.
    pub income: Vec<f64>,
    pub spent: Vec<f64>,
    /// The reference arm's budget spent, each policy year, yuan.
    pub fiscal: Vec<f64>,
    /// The reference arm's cash consumption per village, each policy month, yuan.
    pub spending: Vec<Vec<f64>>,
}

impl Paired {
    /// Deciles of the pre-policy incomes `ypc` weighted by members `sizes`.
    pub fn new(ypc: &[f32], sizes: &[u8]) -> Paired {
        let mut order = Vec::new();
        metrics::sort_order(&mut order, ypc, &mut metrics::RadixScratch::default());
        let total: f64 = sizes.iter().map(|&w| w as f64).sum();
        let mut decile = vec![0u8; ypc.len()];
        let mut before = 0.0;
        for &i in &order {
            let w = sizes[i as usize] as f64;
            // The decile of the household's middle person.
            let at = (before + w / 2.0) / total.max(1.0);
            decile[i as usize] = ((at * DECILES as f64) as usize).min(DECILES - 1) as u8;
            before += w;
        }
        Paired {
            decile,
            reference: Vec::new(),
            income: Vec::new(),
            spent: Vec::new(),
            fiscal: Vec::new(),
            spending: Vec::new(),
        }
    }
}

/// Mean income change by pre-policy decile, accumulated over the policy years.
#[derive(Debug, Clone, Default)]
pub struct DecileChange {
    sum: [f64; DECILES],
    people: [f64; DECILES],
}

impl DecileChange {
    /// The mean change per person in each decile, yuan per person per year.
    pub fn means(&self) -> [f64; DECILES] {
        std::array::from_fn(|d| if self.people[d] > 0.0 { self.sum[d] / self.people[d] } else { f64::NAN })
    }
}

/// One December: the shares of households better and worse off than under
/// the reference, added to the decile changes.
pub fn compare_with_reference(
    paired: &Paired,
    sizes: &[u8],
    ypc: &[f32],
    reference: &[f32],
    change: &mut DecileChange,
) -> (f64, f64) {
    let (mut winners, mut losers, mut n) = (0usize, 0usize, 0usize);
    for (i, (&x, &r)) in ypc.iter().zip(reference).enumerate() {
        // A household without members (its last died) is no household.
        let alive = sizes[i] > 0;
        n += alive as usize;
        winners += (alive && x > r) as usize;
        losers += (alive && x < r) as usize;
        let d = paired.decile[i] as usize;
        let w = sizes[i] as f64;
        change.sum[d] += w * (x as f64 - r as f64);
        change.people[d] += w;
    }
    let n = n.max(1) as f64;
    (winners as f64 / n, losers as f64 / n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deciles_hold_a_tenth_of_the_people_and_changes_weigh_back_to_the_mean() {
        let n = 5000;
        let sizes: Vec<u8> = (0..n).map(|i| 1 + (i * 7 % 5) as u8).collect();
        let before: Vec<f32> = (0..n).map(|i| ((i * 7919) % 10007) as f32).collect();
        let paired = Paired::new(&before, &sizes);
        let people: f64 = sizes.iter().map(|&w| w as f64).sum();
        for d in 0..DECILES as u8 {
            let in_d: f64 = (0..n).filter(|&i| paired.decile[i] == d).map(|i| sizes[i] as f64).sum();
            assert!((in_d / people - 0.1).abs() < 0.01, "decile {d}: {}", in_d / people);
        }
        // Richer households are in higher deciles.
        let (poorest, richest) = (before.iter().cmp_by_min(), before.iter().cmp_by_max());
        assert_eq!((paired.decile[poorest], paired.decile[richest]), (0, DECILES as u8 - 1));
        let after: Vec<f32> = before.iter().enumerate().map(|(i, &y)| y + (i % 3) as f32 - 1.0).collect();
        let mut change = DecileChange::default();
        let (w, l) = compare_with_reference(&paired, &sizes, &after, &before, &mut change);
        let same = (0..n).filter(|&i| after[i] == before[i]).count() as f64 / n as f64;
        assert!((w + l + same - 1.0).abs() < 1e-12);
        let overall: f64 = (0..n).map(|i| sizes[i] as f64 * (after[i] - before[i]) as f64).sum::<f64>() / people;
        let weighed: f64 = (0..DECILES).map(|d| change.means()[d] * change.people[d]).sum::<f64>() / people;
        assert!((overall - weighed).abs() < 1e-9, "{overall} vs {weighed}");
    }

    trait Extremes {
        fn cmp_by_min(self) -> usize;
        fn cmp_by_max(self) -> usize;
    }

    impl<'a, I: Iterator<Item = &'a f32>> Extremes for I {
        fn cmp_by_min(self) -> usize {
            self.enumerate().min_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i).unwrap()
        }
        fn cmp_by_max(self) -> usize {
            self.enumerate().max_by(|a, b| a.1.total_cmp(b.1)).map(|(i, _)| i).unwrap()
        }
    }
}
