//! Work (MODEL.md §4.1): local wage work, migration and remittances, and
//! each adult's choice between them.
//!
//! Each labour unit at home that is neither ill nor in an enterprise job
//! earns the local wage for the share of months it finds work, applied as an
//! expected value and scaled by the household's productivity and effort; each
//! member away remits. Both grow with `wage_growth` a year in nominal terms,
//! deflated by the scenario's price index (`[prices]`), since the simulation
//! runs in yuan of the pre-policy year.
//!
//! With `labour.allocation = "fixed"` the migrants drawn at founding stay away
//! and the wage and the employment rate are constants. With `"choice"`:
//! - **the yearly choice** ([`allocate`]): after the Spring Festival, an adult
//!   at home leaves when local work is worth less than at the pre-policy level
//!   by more than its attachment and the move cost over a year; a migrant comes
//!   home when local work is worth more than before by more than its
//!   attachment. The first adult stays (the farm, children and the elderly),
//!   a household with a chronically ill or disabled member keeps one more at
//!   home for care, nobody leaves in a month of acute illness, and a worker in
//!   an enterprise job stays;
//! - **job offers** ([`job_source`]): a household offered an enterprise job
//!   takes it with the member whose current work is worth least, an adult at
//!   home or a migrant, if the job pays more;
//! - the wage and the employment rate come from the local labour market
//!   (`labour_market`).
//!
//! Section: `[labour]` (in the setting).

use crate::household::{Condition, Households, Status, Traits};
use crate::rng::Purpose;
use crate::setting::Labour;
use crate::world::World;

/// Wage and remittance rates of one month.
#[derive(Debug, Clone, Copy)]
pub struct Rates {
    /// Expected local wage income per labour unit and unit of productivity, yuan.
    pub wage: f32,
    /// Remittance per migrant, yuan.
    pub remittance: f32,
}

/// The rates of year index `y`, at wage growth `growth = (1 + g)^y`, with
/// the constant employment rate and wage (`allocation = "fixed"`).
pub fn rates(l: &Labour, growth: f64) -> Rates {
    Rates { wage: (l.local_wage * l.employment_rate * growth) as f32, remittance: (l.remittance * growth) as f32 }
}

/// Real wage growth since the pre-policy year, at year index `y` and price
/// level `price` (1 in the pre-policy year).
pub fn growth(l: &Labour, y: usize, price: f64) -> f64 {
    (1.0 + l.wage_growth).powi(y as i32) / price
}

/// A household's wage and remittance income this month: `home_labour`
/// units at home, `prod_e` its productivity times effort, `away` members away.
#[inline]
pub fn income(r: &Rates, home_labour: f32, prod_e: f32, away: u8) -> f32 {
    home_labour * r.wage * prod_e + away as f32 * r.remittance
}

/// What a month of each kind of work is worth to a household, for its choices.
#[derive(Debug, Clone, Copy)]
pub struct Values {
    /// Whether adults choose (`allocation = "choice"`).
    pub choice: bool,
    /// Local work per labour unit and unit of productivity, at the wage and
    /// employment of the last 12 months, yuan/month.
    pub local: f32,
    /// The same at the pre-policy wage and `employment_rate`, grown.
    pub local_base: f32,
    /// A migrant: its remittance plus the food it eats away (0.7 adult
    /// equivalents of subsistence), yuan/month.
    pub away: f32,
    /// The mean attachment to a place of work this year (`attachment` × growth), yuan/month.
    pub attachment: f32,
}

impl Values {
    /// The values at wage growth `growth`, with `paid` the mean over the last
    /// 12 months of the wage index times the employment rate, and
    /// `subsistence` one adult equivalent's monthly need.
    pub fn new(l: &Labour, growth: f64, paid: f64, subsistence: f64) -> Values {
        Values {
            choice: l.choice,
            local: (l.local_wage * paid * growth) as f32,
            local_base: (l.local_wage * l.employment_rate * growth) as f32,
            away: (l.remittance * growth + 0.7 * subsistence) as f32,
            attachment: (l.attachment * growth) as f32,
        }
    }
}

/// Where the worker for a job comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// An adult at home, who gives up local wage work.
    Local,
    /// A migrant, who comes home and stops remitting.
    Migration,
}

/// Whether a household (traits `tr`, members `away`, see [`count`]) takes a
/// job paying `wage` a month, and with whom. With
/// `allocation = "fixed"`, any household with a full labour unit at home
/// takes it. With choice, the member whose current work is worth least takes
/// it if the job pays more: an adult at home (local work at `v.local` times
/// the household's productivity) or a migrant (`v.away`).
pub fn job_source(v: &Values, tr: &Traits, away: u8, wage: f32) -> Option<Source> {
    let away = count(away);
    if !v.choice {
        return (tr.labour_with(away) >= 1.0).then_some(Source::Local);
    }
    let local = (tr.labour_with(away) >= 1.0).then_some(v.local * tr.productivity);
    let migrant = (away > 0).then_some(v.away);
    let (source, worth) = match (local, migrant) {
        (Some(l), Some(m)) if m < l => (Source::Migration, m),
        (Some(l), _) => (Source::Local, l),
        (None, Some(m)) => (Source::Migration, m),
        (None, None) => return None,
    };
    (wage > worth).then_some(source)
}

/// Adults who left and who came home in one yearly choice.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moves {
    pub left: f64,
    pub came_home: f64,
}

/// The adults away of a household's `away` column, a bit per member: bit
/// *k* set when adult *k* works away (adult 0 never does).
#[inline]
pub fn count(away: u8) -> u8 {
    away.count_ones() as u8
}

/// The `away` column of a household with its founding's `migrants`: adults 1 to `migrants`.
pub fn founding(migrants: u8) -> u8 {
    (((1u16 << migrants) - 1) << 1) as u8
}

/// Adult `k`'s attachment to its place of work in household `i`: an
/// exponential draw with mean `attachment`, grown, fixed for the run.
fn attachment(w: &World, v: &Values, i: usize, k: u32) -> f32 {
    let u = w.streams.uniform(Purpose::Migration, 8 * i as u64 + k as u64, 0);
    v.attachment * -(1.0 - u).ln() as f32
}

/// The member who comes home for a job in household `i` (members `away`,
/// not empty): the migrant least attached to its work away. Returns the new column.
pub fn home_for_job(w: &World, v: &Values, i: usize, away: u8) -> u8 {
    let least = (1..8u32)
        .filter(|&k| away & (1 << k) != 0)
        .min_by(|&a, &b| attachment(w, v, i, a).total_cmp(&attachment(w, v, i, b)));
    least.map_or(away, |k| away & !(1 << k))
}

/// The yearly choice of household `i`: which adults work away. Returns its
/// new `away` column.
pub fn choose(w: &World, l: &Labour, v: &Values, hh: &Households, i: usize) -> u8 {
    let tr = &w.traits[i];
    let mut away = hh.away[i];
    // How much less local work pays now than at the pre-policy level, a month.
    let loss = (v.local_base - v.local) * tr.productivity;
    let adults = tr.adults.min(8) as u32;
    if loss < 0.0 {
        for k in 1..adults {
            if away & (1 << k) != 0 && -loss > attachment(w, v, i, k) {
                away &= !(1 << k);
            }
        }
        return away;
    }
    // A departure needs a month without acute illness and the move cost in savings.
    if loss == 0.0 || hh.sick[i] > 0 || (hh.savings[i] as f64) < l.move_cost {
        return away;
    }
    let job = hh.status[i].contains(Status::JOB) as u8;
    let care = tr.flags.intersects(Condition::CHRONIC | Condition::DISABLED) as u8;
    let movable = tr.adults.saturating_sub(1 + job + care);
    let threshold = loss - l.move_cost as f32 / 12.0;
    for k in 1..adults {
        if away & (1 << k) == 0 && count(away) < movable && threshold > attachment(w, v, i, k) {
            away |= 1 << k;
        }
    }
    away
}

/// The yearly choice of every household not at a resettlement site: members
/// leave (paying `move_cost` from savings, booked) or come home.
pub fn allocate(w: &World, l: &Labour, v: &Values, hh: &mut Households) -> Moves {
    let mut moves = Moves::default();
    for i in 0..w.households() {
        if (hh.moved[i] > 0 && !hh.returned[i]) || w.traits[i].adults < 2 {
            continue;
        }
        let (before, after) = (hh.away[i], choose(w, l, v, hh, i));
        let (left, came_home) = (count(after & !before), count(before & !after));
        hh.away[i] = after;
        let cost = (left as f64 * l.move_cost) as f32;
        hh.savings[i] -= cost;
        hh.booked[i] -= cost as f64;
        moves.left += left as f64;
        moves.came_home += came_home as f64;
    }
    moves
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labour(choice: bool) -> Labour {
        Labour {
            local_wage: 1000.0,
            employment_rate: 0.5,
            remittance: 600.0,
            wage_growth: 0.1,
            choice,
            decision_month: 1,
            move_cost: 1200.0,
            attachment: 100.0,
            wage_adjustment: 0.2,
            demand_elasticity: 1.0,
            peak_hiring: 0.0,
        }
    }

    #[test]
    fn wages_grow_and_scale_with_labour_and_productivity() {
        let l = labour(false);
        let r = rates(&l, growth(&l, 2, 1.0));
        assert!((r.wage - 605.0).abs() < 1e-3 && (r.remittance - 726.0).abs() < 1e-3);
        assert!((income(&r, 2.0, 0.5, 1) - (605.0 + 726.0)).abs() < 1e-3);
        // Prices that rise as fast as wages leave them where they were.
        let flat = rates(&l, growth(&l, 2, 1.21));
        assert!((flat.wage - 500.0).abs() < 1e-3 && (flat.remittance - 600.0).abs() < 1e-3);
    }

    fn two_adults(migrants: u8) -> Traits {
        Traits { adults: 2, migrants, labour: (2 - migrants) as f32, productivity: 1.0, ..Traits::default() }
    }

    #[test]
    fn a_job_draws_the_member_whose_work_is_worth_least_when_it_pays_more() {
        // Local work is worth 500 a month per unit of productivity, a migrant 600 + 0.7 × 300 = 810.
        let v = Values::new(&labour(true), 1.0, 0.5, 300.0);
        let (home, split) = (two_adults(0), two_adults(1));
        assert_eq!((home.labour, split.labour), (2.0, 1.0));
        assert_eq!(job_source(&v, &home, 0, 700.0), Some(Source::Local));
        assert_eq!(job_source(&v, &home, 0, 400.0), None, "a job that pays less than local work is refused");
        // A skilled adult at home earns more locally than a migrant is worth: the migrant comes home for the job.
        let skilled = Traits { productivity: 2.0, ..split };
        assert_eq!(job_source(&v, &skilled, 1, 900.0), Some(Source::Migration));
        assert_eq!(job_source(&v, &skilled, 1, 800.0), None, "less than either use of a member");
        // Nobody at home: only a migrant can take it.
        let all_away = Traits { labour: 0.0, ..split };
        assert_eq!(job_source(&v, &all_away, 1, 900.0), Some(Source::Migration));
        // Fixed allocation: any household with a full unit at home, whatever the wage.
        let fixed = Values { choice: false, ..v };
        assert_eq!(job_source(&fixed, &home, 0, 1.0), Some(Source::Local));
        assert_eq!(job_source(&fixed, &all_away, 1, 1e6), None);
        assert!(job_source(&v, &all_away, 1, 900.0).is_some() && job_source(&fixed, &all_away, 1, 900.0).is_none());
    }

    #[test]
    fn each_adult_moves_by_its_own_attachment_year_after_year() {
        let sc = crate::testing::township(2000);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let l = Labour { choice: true, ..sc.labour };
        let i = (0..w.households())
            .find(|&i| {
                let t = &w.traits[i];
                t.adults == 3 && t.flags.is_empty() && s.hh.sick[i] == 0 && !s.hh.status[i].contains(Status::JOB)
            })
            .expect("a household of three adults, none ill");
        (s.hh.savings[i], s.hh.booked[i]) = (1e5, 1e5);
        let base = Values::new(&l, 1.0, l.employment_rate, 300.0);
        assert_eq!(base.local, base.local_base);
        let p = w.traits[i].productivity;
        let (a1, a2) = (attachment(w, &base, i, 1), attachment(w, &base, i, 2));
        let ((lo, k_lo), (hi, k_hi)) = if a1 < a2 { ((a1, 1), (a2, 2)) } else { ((a2, 2), (a1, 1)) };
        let paying = |more: f32| Values { local: base.local_base + more / p, ..base };
        // Both away, local work now pays halfway between their attachments more: only the less attached comes
        // home, this year and the next.
        s.hh.away[i] = 0b110;
        for _ in 0..2 {
            s.hh.away[i] = choose(w, &l, &paying((lo + hi) / 2.0), &s.hh, i);
            assert_eq!(s.hh.away[i], 1 << k_hi);
        }
        // Both at home, local work pays less by the move cost over a year plus halfway: only the less attached
        // leaves, this year and the next.
        let year = l.move_cost as f32 / 12.0;
        s.hh.away[i] = 0;
        for _ in 0..2 {
            s.hh.away[i] = choose(w, &l, &paying(-(year + (lo + hi) / 2.0)), &s.hh, i);
            assert_eq!(s.hh.away[i], 1 << k_lo);
        }
        // Unchanged pay: nobody moves.
        assert_eq!(choose(w, &l, &base, &s.hh, i), 1 << k_lo);
        // Much less pay: both leave, each paying the move cost, booked; the first adult stays.
        s.hh.away[i] = 0;
        let moves = allocate(w, &l, &paying(-(year + hi + 1.0)), &mut s.hh);
        assert_eq!(s.hh.away[i], 0b110);
        assert_eq!(s.hh.savings[i] as f64, 1e5 - 2.0 * l.move_cost);
        assert_eq!(s.hh.booked[i], 1e5 - 2.0 * l.move_cost);
        assert!(moves.left >= 2.0 && moves.came_home == 0.0);
        // Without the move cost in savings nobody leaves.
        (s.hh.away[i], s.hh.savings[i]) = (0, 10.0);
        assert_eq!(choose(w, &l, &paying(-(year + hi + 1.0)), &s.hh, i), 0);
    }
}
