//! Village infrastructure (要路、要喝水、要電: roads, drinking water, power).
//!
//! An arm funds a list of projects in order, each in one village with a
//! cost and a build time. The year's infrastructure money is due in
//! `transfer_month` and arrives after the delivery delay; money that would
//! arrive after December is late, and is lost or rolled over to the same
//! month next year as the delivery rules say. Arrived money goes to the
//! first unfinished project until it is paid for, then to the next; what no
//! project needs is unspent. A project is finished `build_months` after its
//! first money arrived, once it is fully paid for: a project left half-paid
//! yields nothing until it is finished. A finished project raises its
//! village's earning power (productivity, so wages and farm output, by
//! `income_gain`) and market access (the farm-gate price of its produce, by
//! `price_gain`) for the rest of the run, in that arm.
//!
//! The money is public works (ledger sink `public_works`): it reaches no
//! household directly.
//!
//! Section: `[arms.policies.infrastructure]`.

use super::budget::{self, Delivery, Pools};
use crate::check::Checker;
use crate::ledger::Ledger;
use crate::setting::{self, Village};
use serde::{Deserialize, Serialize};

/// Village infrastructure projects.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct InfrastructureFile {
    /// Share of the yearly budget for infrastructure.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Month the year's infrastructure money is due; it arrives `delay_months` later, or is late after December.
    ///
    /// Unit: month 1–12. Default: `3`. Allowed: [1, 12].
    #[serde(default = "crate::check::default_transfer_month")]
    pub transfer_month: i64,
    /// The `arms[].policies.infrastructure.projects` section list, funded in this order: see docs/scenario.md.
    pub projects: Vec<ProjectFile>,
}

/// One infrastructure project.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ProjectFile {
    /// The village it serves (a `population.villages` name).
    ///
    /// Unit: –. Default: required. Allowed: a village name.
    pub village: String,
    /// What it costs, in all.
    ///
    /// Unit: yuan. Default: required. Allowed: [1, 1e11].
    pub cost: f64,
    /// Months from its first money to its completion (if by then it is fully paid for; otherwise at full payment).
    ///
    /// Unit: months. Default: `12` (assumed). Allowed: [0, 120].
    #[serde(default = "default_build_months")]
    pub build_months: i64,
    /// Share by which, once finished, it raises the productivity of the village's households (their wages and farm
    /// output).
    ///
    /// Unit: share. Default: `0.1` (assumed). Allowed: [0, 10].
    #[serde(default = "default_income_gain")]
    pub income_gain: f64,
    /// Share by which, once finished, it raises the farm-gate price the village's households get for their produce
    /// (market access, lower transport costs).
    ///
    /// Unit: share. Default: `0.05` (assumed). Allowed: [0, 10].
    #[serde(default = "default_price_gain")]
    pub price_gain: f64,
}
fn default_build_months() -> i64 {
    12
}
fn default_income_gain() -> f64 {
    0.1
}
fn default_price_gain() -> f64 {
    0.05
}

/// A validated project.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Project {
    pub village: usize,
    pub cost: f64,
    pub build_months: u32,
    pub income_gain: f64,
    pub price_gain: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct InfrastructurePolicy {
    pub budget_share: f64,
    /// 0-based.
    pub transfer_month: u8,
    pub projects: Vec<Project>,
}

/// `arms[i].policies.infrastructure` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &InfrastructureFile, villages: &[Village]) -> InfrastructurePolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let transfer_month = c.month(&format!("{q}.transfer_month"), f.transfer_month);
    if f.projects.is_empty() {
        c.push(&format!("{q}.projects"), "[]", "at least one project");
    }
    let projects = f
        .projects
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let r = format!("{q}.projects[{k}]");
            c.num(&format!("{r}.cost"), p.cost, 1.0, 1e11);
            c.int(&format!("{r}.build_months"), p.build_months, 0, 120);
            c.num(&format!("{r}.income_gain"), p.income_gain, 0.0, 10.0);
            c.num(&format!("{r}.price_gain"), p.price_gain, 0.0, 10.0);
            Project {
                village: setting::village_index(c, villages, &format!("{r}.village"), &p.village),
                cost: p.cost,
                build_months: p.build_months.clamp(0, 120) as u32,
                income_gain: p.income_gain,
                price_gain: p.price_gain,
            }
        })
        .collect();
    InfrastructurePolicy { budget_share: f.budget_share, transfer_month, projects }
}

/// One arm's projects and their effect on each village.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Works {
    /// Yuan paid into each project so far.
    pub funded: Vec<f64>,
    /// Month (counted from the pre-policy January) of each project's first money.
    pub started: Vec<Option<u32>>,
    pub finished: Vec<bool>,
    /// Productivity factor of each village (1 without finished projects).
    pub income: Vec<f32>,
    /// Farm-gate price factor of each village (1 without finished projects).
    pub access: Vec<f32>,
}

impl Works {
    pub fn new(villages: usize) -> Works {
        Works {
            funded: Vec::new(),
            started: Vec::new(),
            finished: Vec::new(),
            income: vec![1.0; villages],
            access: vec![1.0; villages],
        }
    }

    /// Projects finished so far.
    pub fn done(&self) -> f64 {
        self.finished.iter().filter(|&&f| f).count() as f64
    }

    /// Projects with money in them that are not finished.
    pub fn half_built(&self) -> f64 {
        self.funded.iter().zip(&self.finished).filter(|(&f, &done)| f > 0.0 && !done).count() as f64
    }
}

/// Month `t` (month of the year `m`): pay arrived money into the projects in
/// order, then finish those paid for whose build time has passed.
pub fn build(
    k: &InfrastructurePolicy,
    d: &Delivery,
    works: &mut Works,
    (p, ledger): (&mut Pools, &mut Ledger),
    t: u32,
) {
    let n = k.projects.len();
    if works.funded.len() != n {
        works.funded = vec![0.0; n];
        works.started = vec![None; n];
        works.finished = vec![false; n];
    }
    let m = (t % 12) as u8;
    let books = (&mut p.infrastructure, &mut p.carried_infrastructure);
    let mut now = budget::seasonal_arrival(d, ledger, books, k.transfer_month, 11, m);
    for (q, project) in k.projects.iter().enumerate() {
        if now <= 0.0 {
            break;
        }
        let take = (project.cost - works.funded[q]).max(0.0).min(now);
        if take > 0.0 {
            works.funded[q] += take;
            works.started[q].get_or_insert(t);
            ledger.public_works += take;
            now -= take;
        }
    }
    ledger.unspent += now.max(0.0);
    for (q, project) in k.projects.iter().enumerate() {
        let paid = works.funded[q] >= project.cost * (1.0 - 1e-12);
        let built = works.started[q].is_some_and(|s| t >= s + project.build_months);
        if !works.finished[q] && paid && built {
            works.finished[q] = true;
            works.income[project.village] *= (1.0 + project.income_gain) as f32;
            works.access[project.village] *= (1.0 + project.price_gain) as f32;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> InfrastructurePolicy {
        let road = Project { village: 1, cost: 1000.0, build_months: 6, income_gain: 0.1, price_gain: 0.05 };
        InfrastructurePolicy {
            budget_share: 1.0,
            transfer_month: 2,
            projects: vec![road, Project { village: 0, ..road }],
        }
    }

    /// Money goes to the first project, then the next; a project is finished
    /// only when paid for and built; a half-paid one yields nothing; every
    /// yuan is public works or unspent.
    #[test]
    fn projects_are_paid_in_order_and_yield_only_when_finished() {
        let k = policy();
        let mut works = Works::new(2);
        let d = Delivery { delay_months: 0, late_lost: true, ring_fenced: true, teams: None };
        let mut ledger = Ledger { budget: 1500.0, ..Default::default() };
        let mut pools = Pools { infrastructure: 1500.0, ..Default::default() };
        for t in 12..24 {
            build(&k, &d, &mut works, (&mut pools, &mut ledger), t);
        }
        // Paid in March (t = 14): the first in full, the second half; built by September.
        assert_eq!(works.funded, vec![1000.0, 500.0]);
        assert_eq!(works.finished, vec![true, false]);
        assert_eq!((works.income[1], works.access[1]), (1.1, 1.05));
        assert_eq!((works.income[0], works.access[0]), (1.0, 1.0), "half-paid yields nothing");
        assert_eq!(works.half_built(), 1.0);
        assert!((ledger.public_works + ledger.unspent - 1500.0).abs() < 1e-9 && ledger.unspent == 0.0);
        // The next year's money finishes the second, six months after its first money.
        pools.infrastructure = 800.0;
        ledger.budget += 800.0;
        for t in 24..36 {
            build(&k, &d, &mut works, (&mut pools, &mut ledger), t);
        }
        assert_eq!(works.finished, vec![true, true]);
        assert_eq!(works.income[0], 1.1);
        assert!((ledger.unspent - 300.0).abs() < 1e-9, "what no project needs is unspent");
        assert!(ledger.imbalance().abs() < 1e-9);
    }

    /// Money that would arrive after December is late: lost, the project
    /// left as it was.
    #[test]
    fn late_money_is_lost_and_leaves_the_project_unbuilt() {
        let k = policy();
        let mut works = Works::new(2);
        let d = Delivery { delay_months: 10, late_lost: true, ring_fenced: true, teams: None };
        let mut ledger = Ledger { budget: 1500.0, ..Default::default() };
        let mut pools = Pools { infrastructure: 1500.0, ..Default::default() };
        for t in 12..24 {
            build(&k, &d, &mut works, (&mut pools, &mut ledger), t);
        }
        assert_eq!((ledger.lost_late, ledger.public_works), (1500.0, 0.0));
        assert_eq!(works.finished, vec![false, false]);
    }
}
