//! Household packages (MODEL.md §4.9): every registered household the
//! budget covers gets a package of equal value, the same for all
//! ("two mu of pomegranate and 30 eco-chickens") or tailored to why it is poor.
//!
//! Section: `[arms.policies.package]`.

use super::budget::{self, Delivery};
use super::dependency;
use super::health::{Cover, CoverChunk};
use super::herd::Herd;
use super::inkind::{self, InKind, Procurement};
use super::school::{self, School};
use crate::check::{Checker, Choice, Choices};
use crate::household::Cause;
use crate::household::Households;
use crate::ledger::Ledger;
use crate::setting::{commodity_index, Commodity};
use crate::world::World;
use serde::{Deserialize, Serialize};

/// One package per registered household: the same for all, or chosen by cause.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PackageFile {
    /// Share of the yearly budget spent on packages.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Uniform: every household gets `items` in the proportions `item_shares`. Tailored: illness → medical cover worth
    /// *V* (unused cover paid in cash in December); disability or lack of labour → *V* as an allowance over 12 months;
    /// a teenager at home → a 2-year school place costing `2 × tuition`; otherwise → the best-suited of `items`, chosen
    /// by the household.
    ///
    /// Unit: –. Default: required. Allowed: `"uniform"` or `"tailored"`.
    pub mode: Choice<PackageMode>,
    /// The uniform package's items, or what able households choose from when tailored.
    ///
    /// Unit: commodity names. Default: required. Allowed: at least one; each a commodity of either kind.
    pub items: Vec<String>,
    /// Cost per unit (head or mu) of each item.
    ///
    /// Unit: yuan/unit. Default: required. Allowed: each in [0.01, 1e8]; one per item.
    pub unit_costs: Vec<f64>,
    /// Share of the package's value spent on each item in the uniform package (unused when tailored).
    ///
    /// Unit: prob. Default: required. Allowed: each in [0, 1]; one per item; sum to 1 (±1e-6).
    pub item_shares: Vec<f64>,
    /// Tuition of the tailored school place (paid in full: 2 × this).
    ///
    /// Unit: yuan/student/year. Default: `4000`. Allowed: [0, 1e7].
    #[serde(default = "crate::setting::default_tuition")]
    pub tuition: f64,
    /// Graduate's wage for the tailored school place (grown like `school.skilled_wage`).
    ///
    /// Unit: yuan/month. Default: `3000`. Allowed: [0, 1e7].
    #[serde(default = "crate::setting::default_skilled_wage")]
    pub skilled_wage: f64,
    /// Share of that wage sent home.
    ///
    /// Unit: prob. Default: `0.4`. Allowed: [0, 1].
    #[serde(default = "crate::setting::default_remit_share")]
    pub remit_share: f64,
    /// Month the packages are handed out (plus `delay_months`; not at all that year if after December).
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12].
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// Tailored industry items are chosen by the household: the share of the remaining misfit its own choice
    /// closes, as `inkind.household_fit` (source: assumed).
    ///
    /// Unit: share. Default: `0.9`. Allowed: [0, 1].
    #[serde(default = "super::inkind::default_household_fit")]
    pub household_fit: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
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
    pub household_fit: f64,
    /// Households in transition keep receiving it.
    pub transition: bool,
}

/// `arms[i].policies.package` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &PackageFile, commodities: &[Commodity]) -> PackagePolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let tailored = c.known(&format!("{q}.mode"), &f.mode, PackageMode::Uniform) == PackageMode::Tailored;
    if f.items.is_empty() || f.items.len() != f.unit_costs.len() || f.items.len() != f.item_shares.len() {
        c.push(
            &format!("{q}.items"),
            format!("{} items, {} unit_costs, {} item_shares", f.items.len(), f.unit_costs.len(), f.item_shares.len()),
            "at least one item, with one unit cost and one share per item",
        );
    }
    let items = f
        .items
        .iter()
        .enumerate()
        .map(|(j, n)| commodity_index(c, commodities, &format!("{q}.items[{j}]"), n, None))
        .collect();
    for (j, v) in f.unit_costs.iter().enumerate() {
        c.num(&format!("{q}.unit_costs[{j}]"), *v, 0.01, 1e8);
    }
    for (j, v) in f.item_shares.iter().enumerate() {
        c.prob(&format!("{q}.item_shares[{j}]"), *v);
    }
    let sum: f64 = f.item_shares.iter().sum();
    if !f.item_shares.is_empty() && (sum - 1.0).abs() > 1e-6 {
        c.push(&format!("{q}.item_shares"), format!("sum {}", crate::check::show(sum)), "shares that sum to 1");
    }
    c.num(&format!("{q}.tuition"), f.tuition, 0.0, 1e7);
    c.num(&format!("{q}.skilled_wage"), f.skilled_wage, 0.0, 1e7);
    c.prob(&format!("{q}.remit_share"), f.remit_share);
    c.prob(&format!("{q}.household_fit"), f.household_fit);
    let transfer_month = c.month(&format!("{q}.transfer_month"), f.transfer_month);
    PackagePolicy {
        transition: f.transition,
        budget_share: f.budget_share,
        tailored,
        items,
        unit_costs: f.unit_costs.clone(),
        item_shares: f.item_shares.clone(),
        tuition: f.tuition,
        skilled_wage: f.skilled_wage,
        remit_share: f.remit_share,
        transfer_month,
        household_fit: f.household_fit,
    }
}

/// The same package for all, or one chosen by the household's cause of poverty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PackageMode {
    Uniform,
    Tailored,
}

impl Choices for PackageMode {
    const ALLOWED: &'static str = "\"uniform\" or \"tailored\"";
}

columns! {
    /// A tailored package's monthly allowance.
    pub struct Allowances / AllowancesChunk {
        /// Yuan a month.
        allowance: f32,
        /// Months it has left.
        allowance_months: u8,
    }
}

/// The household instruments a package can hand out.
pub struct Targets<'a> {
    pub allowances: &'a mut Allowances,
    pub cover: &'a mut Cover,
    pub school: &'a mut School,
    pub inkind: &'a mut InKind,
    pub herd: &'a mut Herd,
}

/// The package, uniform or tailored, for every registered household the
/// budget covers, all of equal value `V = pool / registered`.
///
/// Tailored: the cause decides. Illness: medical cover worth V (what is not
/// used by December is paid in cash). No labour or disability: V as a
/// monthly allowance over twelve months. A teenager at home: school, the
/// course paid in full. Able to work: the best-suited item, chosen by the
/// household. Uniform: every household gets the same items, whatever it can use.
#[allow(clippy::too_many_arguments)]
pub fn handout(
    w: &World,
    k: &PackagePolicy,
    delivery: &Delivery,
    registered: u32,
    t: Targets,
    hh: &mut Households,
    (pool, ledger): (&mut f64, &mut Ledger),
    m: u8,
    y: usize,
) {
    if !budget::runs_now(delivery, k.transfer_month, m) || registered == 0 {
        return;
    }
    let sc = w.sc;
    let b = &sc.behaviour;
    let value = *pool / registered as f64;
    for i in w.project_walk(7_000 + y as u64, delivery.teams) {
        let st = hh.status[i];
        if !st.served(k.transition) {
            continue;
        }
        let tr = w.traits[i];
        let (cost, kind) = if !k.tailored {
            (value, Package::Uniform)
        } else {
            match tr.cause() {
                Cause::Illness => (value, Package::Health),
                Cause::Disability | Cause::LackOfLabour => (value, Package::Allowance),
                _ if school::has_teen_at_home(w, t.school, i) => (k.tuition * 2.0, Package::School),
                _ => (value, Package::Industry),
            }
        };
        if *pool < cost - 1e-6 {
            continue;
        }
        *pool -= cost;
        ledger.pay(st.poor(), cost);
        t.inkind.holdings.handout_year[i] = y as u8;
        t.inkind.tally.recipients += 1.0;
        match kind {
            Package::Uniform => {
                dependency::raise(b, tr.adult_eq, value, &mut hh.dependency[i], &mut hh.supported[i]);
                for ((&c, &unit_cost), &share) in k.items.iter().zip(&k.unit_costs).zip(&k.item_shares) {
                    let suit = sc.commodities[c].suitability(&sc.population.villages[tr.village as usize]) as f32;
                    inkind::give_item(
                        w,
                        hh,
                        (&mut *t.inkind, &mut *t.herd),
                        i,
                        (c, suit),
                        value * share / unit_cost,
                        value * share,
                        y,
                    );
                }
            }
            Package::Health => t.cover.health_cover[i] += value as f32,
            Package::Allowance => {
                dependency::raise(b, tr.adult_eq, value, &mut hh.dependency[i], &mut hh.supported[i]);
                t.allowances.allowance[i] = (value / 12.0) as f32;
                t.allowances.allowance_months[i] = 12;
            }
            Package::School => {
                school::enrol_student(w, t.school, i, 2, k.skilled_wage * k.remit_share, 0.0);
            }
            Package::Industry => {
                dependency::raise(b, tr.adult_eq, value, &mut hh.dependency[i], &mut hh.supported[i]);
                let (c, suit) =
                    inkind::choose_item(w, &k.items, (Procurement::Household, k.household_fit), tr.village as usize);
                let unit_cost = k.items.iter().zip(&k.unit_costs).find(|(&j, _)| j == c).map_or(1.0, |(_, &u)| u);
                inkind::give_item(w, hh, (&mut *t.inkind, &mut *t.herd), i, (c, suit), value / unit_cost, value, y);
            }
        }
    }
}

/// What a household's package is.
enum Package {
    Uniform,
    Health,
    Allowance,
    School,
    Industry,
}

/// A month of household `j`'s allowance; in December what its medical
/// cover did not use this year is paid out in cash.
#[inline]
pub fn household(a: &mut AllowancesChunk, cover: &mut CoverChunk, j: usize, m: u8, income: &mut f32) -> bool {
    let paid = a.allowance_months[j] > 0;
    if paid {
        *income += a.allowance[j];
        a.allowance_months[j] -= 1;
    }
    if m == 11 && cover.health_cover[j] > 0.0 {
        // What the cover did not use this year is paid out in cash.
        *income += std::mem::take(&mut cover.health_cover[j]);
    }
    paid
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::{Cause, Status};
    use crate::mechanism::health::Cover;
    use crate::testing::{after_pre_policy_year, commodity, township};

    #[test]
    fn a_tailored_package_follows_the_cause_of_poverty_and_the_books_balance() {
        let sc = township(600);
        let (r, mut s) = after_pre_policy_year(&sc);
        let w = &r.world;
        let n = w.households();
        s.hh.status.iter_mut().for_each(|st| *st = Status::REGISTERED | Status::POOR);
        let k = PackagePolicy {
            transition: true,
            budget_share: 1.0,
            tailored: true,
            items: vec![commodity(&sc, "pig")],
            unit_costs: vec![1000.0],
            item_shares: vec![1.0],
            tuition: 4000.0,
            skilled_wage: 3000.0,
            remit_share: 0.4,
            transfer_month: 2,
            household_fit: 0.9,
        };
        let (mut allowances, mut cover) = (
            Allowances { allowance: vec![0.0; n], allowance_months: vec![0; n] },
            Cover { health_cover: vec![0.0; n] },
        );
        let (mut school, mut inkind) = (School::new(n), InKind::new(n));
        let mut herd = Herd::new(w);
        let t = Targets {
            allowances: &mut allowances,
            cover: &mut cover,
            school: &mut school,
            inkind: &mut inkind,
            herd: &mut herd,
        };
        let (mut pool, mut ledger) = (n as f64 * 3000.0, Ledger::default());
        let start = pool;
        handout(w, &k, &Delivery::default(), n as u32, t, &mut s.hh, (&mut pool, &mut ledger), 2, 1);
        assert!((ledger.to_poor_households - (start - pool)).abs() < 1e-6, "every yuan paid is booked");
        for i in 0..n {
            match w.traits[i].cause() {
                Cause::Illness => assert!(cover.health_cover[i] > 0.0 || pool < 3000.0),
                Cause::Disability | Cause::LackOfLabour => {
                    assert!(allowances.allowance_months[i] == 12 || pool < 3000.0)
                }
                _ => assert_eq!(cover.health_cover[i], 0.0),
            }
        }
        assert!(school.enrolled > 0.0 && inkind.tally.given > 0.0);
    }
}
