//! Resident work teams (驻村工作队) as a costed instrument: sent to the poor
//! villages to carry out policy and mobilise people.
//!
//! Each January (without delay) the arm fields a team in each
//! covered village, in village order, while its pool pays `cost_per_team`
//! (booked to `admin`: the teams' work funds and allowances reach no
//! household). For that year, in a village with a team:
//! - at December's identification the registration errors
//!   (`targeting.exclusion_error`, `targeting.inclusion_error`, after the
//!   public notices) are smaller by `error_reduction`;
//! - a household's tie to the cadres is found out with chance
//!   `targeting.work_team_check` (the same keyed draw as the scenario-wide
//!   teams of `[targeting]`), and then it is not registered by favour.
//!
//! And while any team is in the field, the arm's approval delay is
//! `delay_cut_months` shorter (teams push the approvals through at the
//! county, for the whole arm's money).
//!
//! Section: `[arms.policies.work_teams]`.

use super::budget::Delivery;
use super::registry::{Teams, WorkTeams};
use crate::check::{Checker, Choice};
use crate::ledger::Ledger;
use crate::world::{TeamCheck, World};
use serde::{Deserialize, Serialize};

/// Resident work teams (驻村工作队).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct WorkTeamsFile {
    /// Share of the yearly budget for the teams.
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Which villages get a team.
    ///
    /// Unit: –. Default: `"key_villages"` (the poor villages). Allowed: `"key_villages"` or `"all_villages"`.
    #[serde(default = "default_villages")]
    pub villages: Choice<WorkTeams>,
    /// What a team costs the programme a year: work funds and allowances (the cadres' salaries are paid by their own
    /// units).
    ///
    /// Unit: yuan/team/year. Default: `100000` (assumed). Allowed: [0, 1e8].
    #[serde(default = "default_cost")]
    pub cost_per_team: f64,
    /// Share by which a team shrinks the registration errors (exclusion and inclusion) in its village.
    ///
    /// Unit: share. Default: `0.5` (assumed). Allowed: [0, 1].
    #[serde(default = "default_error_reduction")]
    pub error_reduction: f64,
    /// Months by which the arm's approval delay (`delivery.delay_months`) is shorter while teams are in the field.
    ///
    /// Unit: months. Default: `1` (assumed). Allowed: [0, 24].
    #[serde(default = "default_delay_cut")]
    pub delay_cut_months: i64,
}
fn default_villages() -> Choice<WorkTeams> {
    Choice::Known(WorkTeams::KeyVillages)
}
fn default_cost() -> f64 {
    100_000.0
}
fn default_error_reduction() -> f64 {
    0.5
}
fn default_delay_cut() -> i64 {
    1
}

#[derive(Debug, Clone, Copy)]
pub struct WorkTeamsPolicy {
    pub budget_share: f64,
    pub villages: WorkTeams,
    pub cost_per_team: f64,
    pub error_reduction: f64,
    pub delay_cut_months: u32,
}

/// `arms[i].policies.work_teams` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &WorkTeamsFile) -> WorkTeamsPolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    let villages = c.known(&format!("{q}.villages"), &f.villages, WorkTeams::KeyVillages);
    if villages == WorkTeams::None {
        c.push(&format!("{q}.villages"), "\"none\"", "\"key_villages\" or \"all_villages\"");
    }
    c.num(&format!("{q}.cost_per_team"), f.cost_per_team, 0.0, 1e8);
    c.prob(&format!("{q}.error_reduction"), f.error_reduction);
    c.int(&format!("{q}.delay_cut_months"), f.delay_cut_months, 0, 24);
    WorkTeamsPolicy {
        budget_share: f.budget_share,
        villages,
        cost_per_team: f.cost_per_team,
        error_reduction: f.error_reduction,
        delay_cut_months: f.delay_cut_months.clamp(0, 24) as u32,
    }
}

/// January, without delay (teams are in the field the whole year, so
/// that the delay they cut is the same all year): field a team in each
/// covered village, in village order, while the pool pays for it; `check`
/// is `targeting.work_team_check`.
pub fn field(
    w: &World,
    (k, check): (&WorkTeamsPolicy, f64),
    teams: &mut Teams,
    (pool, ledger): (&mut f64, &mut Ledger),
    m: u8,
) {
    if m != 0 {
        return;
    }
    let all = k.villages == WorkTeams::AllVillages;
    let covered = w.sc.population.villages.iter().filter(|v| all || v.key).count() as u32;
    let affordable = if k.cost_per_team > 0.0 { (*pool / k.cost_per_team + 1e-9).floor() as u32 } else { covered };
    let fielded = covered.min(affordable);
    let cost = fielded as f64 * k.cost_per_team;
    *pool -= cost;
    ledger.admin += cost;
    let t = (fielded > 0).then_some(TeamCheck { all, fielded, check });
    *teams = Teams { check: t, fielded: w.fielded(t), errors_left: 1.0 - k.error_reduction };
}

/// The arm's delivery while teams are in the field: the delay shorter by
/// `delay_cut_months`, and the teams' check on favour in the project order.
pub fn delivery(k: Option<&WorkTeamsPolicy>, d: &Delivery, teams: &Teams) -> Delivery {
    match (k, teams.check) {
        (Some(k), Some(t)) => {
            Delivery { delay_months: d.delay_months.saturating_sub(k.delay_cut_months), teams: Some(t), ..*d }
        }
        _ => *d,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(villages: WorkTeams) -> WorkTeamsPolicy {
        WorkTeamsPolicy { budget_share: 0.1, villages, cost_per_team: 100.0, error_reduction: 0.5, delay_cut_months: 1 }
    }

    /// Teams go, in January only, to the covered villages while the pool
    /// pays `cost_per_team` each, booked to `admin`; while any is in the
    /// field the arm's delay is shorter and the project order checks favour.
    #[test]
    fn teams_cost_their_price_in_covered_villages_and_cut_the_delay() {
        let sc = crate::testing::township(100);
        let (r, _) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let villages = &sc.population.villages;
        let key = villages.iter().filter(|v| v.key).count();
        assert!(key > 0 && key < villages.len());
        let (mut teams, mut ledger, mut pool) = (Teams::default(), Ledger::default(), 1e6);
        field(w, (&policy(WorkTeams::KeyVillages), 0.5), &mut teams, (&mut pool, &mut ledger), 1);
        assert_eq!(teams.count(), 0, "not in February");
        field(w, (&policy(WorkTeams::KeyVillages), 0.5), &mut teams, (&mut pool, &mut ledger), 0);
        assert_eq!(teams.count(), key);
        assert!((0..villages.len()).all(|v| teams.in_village(v) == villages[v].key));
        assert_eq!((ledger.admin, pool, teams.errors_left), (100.0 * key as f64, 1e6 - 100.0 * key as f64, 0.5));
        // A pool for two teams fields two, in village order.
        let mut pool = 250.0;
        field(w, (&policy(WorkTeams::AllVillages), 0.5), &mut teams, (&mut pool, &mut ledger), 0);
        assert_eq!((teams.count(), pool), (2, 50.0));
        assert!(teams.in_village(0) && teams.in_village(1) && !teams.in_village(2));
        let d = Delivery { delay_months: 3, ..Delivery::default() };
        let k = policy(WorkTeams::AllVillages);
        let with = delivery(Some(&k), &d, &teams);
        assert_eq!((with.delay_months, with.teams), (2, teams.check));
        assert_eq!(delivery(Some(&k), &d, &Teams::default()).delay_months, 3);
        assert_eq!(delivery(None, &d, &teams).delay_months, 3);
    }
}
