//! The three guarantees (两不愁三保障, MODEL.md §10): exit from poverty was
//! never a matter of income alone. From 2015 to 2020 a registered household
//! could exit only with safe housing, basic medical insurance and its
//! children of compulsory-school age in school.
//!
//! At the pre-policy identification each household poor then lacks each
//! guarantee with the share given here (keyed draws, the same in every arm;
//! households not poor then lack none). What a household lacks is its
//! [`Unmet`] column, per arm. Instruments meet them: housing renovation
//! ([`super::housing`]) makes a house safe, medical aid pays the insurance
//! premium ([`insure`]), and the school policy brings a child back to school
//! ([`back_to_school`]). With `required_for_exit`, identification keeps a
//! registered household above the line on the register while it lacks any
//! guarantee (`held_by_guarantees`; [`super::registry::identify`]). Lacking
//! insurance also costs money: an uninsured household gets no reimbursement
//! ([`super::health`]). Unsafe housing and a child out of school have no
//! other effect in the model.
//!
//! Section: `[guarantees]`.

use super::budget::{self, Delivery};
use crate::check::Checker;
use crate::household::{Households, Unmet};
use crate::ledger::Ledger;
use crate::rng::Purpose;
use crate::world::World;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct GuaranteesFile {
    /// Share of the households poor before the policy whose house is unsafe (危房).
    ///
    /// Unit: prob. Default: `0` (assumed; none). Allowed: [0, 1].
    #[serde(default)]
    pub unsafe_housing_share: f64,
    /// Share of the households poor before the policy without basic medical insurance (未参保); they get no
    /// reimbursement (`health.insurance_reimbursement`) until insured.
    ///
    /// Unit: prob. Default: `0` (assumed; none). Allowed: [0, 1].
    #[serde(default)]
    pub uninsured_share: f64,
    /// Share of the households poor before the policy, among those with children, with a child of compulsory-school
    /// age out of school (辍学).
    ///
    /// Unit: prob. Default: `0` (assumed; none). Allowed: [0, 1].
    #[serde(default)]
    pub out_of_school_share: f64,
    /// Whether exit requires the guarantees (两不愁三保障, as from 2015 to 2020): a registered household above the line
    /// that still lacks one stays on the register (`held_by_guarantees`), served like a poor one.
    ///
    /// Unit: –. Default: `true`. Allowed: `true` or `false`.
    #[serde(default = "crate::check::default_true")]
    pub required_for_exit: bool,
}

impl Default for GuaranteesFile {
    fn default() -> Self {
        GuaranteesFile {
            unsafe_housing_share: 0.0,
            uninsured_share: 0.0,
            out_of_school_share: 0.0,
            required_for_exit: true,
        }
    }
}

/// Validated `[guarantees]`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Guarantees {
    /// Shares lacking housing, insurance and schooling, in the order of [`Unmet`]'s bits.
    pub shares: [f64; 3],
    pub required_for_exit: bool,
}

impl Default for Guarantees {
    fn default() -> Self {
        Guarantees { shares: [0.0; 3], required_for_exit: true }
    }
}

/// `[guarantees]`.
pub fn check(c: &mut Checker, f: &GuaranteesFile) -> Guarantees {
    c.prob("guarantees.unsafe_housing_share", f.unsafe_housing_share);
    c.prob("guarantees.uninsured_share", f.uninsured_share);
    c.prob("guarantees.out_of_school_share", f.out_of_school_share);
    Guarantees {
        shares: [f.unsafe_housing_share, f.uninsured_share, f.out_of_school_share],
        required_for_exit: f.required_for_exit,
    }
}

/// Guarantees met this year by each instrument, households.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub houses_renovated: f64,
    pub insured_by_aid: f64,
    pub back_to_school: f64,
}

/// What each of [`Unmet`]'s bits is, in order.
const KINDS: [Unmet; 3] = [Unmet::HOUSING, Unmet::INSURANCE, Unmet::SCHOOLING];

/// After the pre-policy identification: each household poor then lacks
/// each guarantee with its share (a keyed draw per household and kind; a
/// child out of school only where there are children).
pub fn draw(w: &World, g: &Guarantees, hh: &mut Households) {
    if g.shares.iter().all(|&s| s <= 0.0) {
        return;
    }
    for (i, unmet) in hh.unmet.iter_mut().enumerate() {
        if !hh.status[i].poor() {
            continue;
        }
        for (k, (&kind, &share)) in KINDS.iter().zip(&g.shares).enumerate() {
            let applies = kind != Unmet::SCHOOLING || w.traits[i].children > 0;
            if applies && w.streams.uniform(Purpose::Guarantee, i as u64, k as u32) < share {
                *unmet |= kind;
            }
        }
    }
}

/// Households lacking each guarantee, in the order of [`Unmet`]'s bits.
pub fn lacking(hh: &Households) -> [f64; 3] {
    let mut n = [0.0; 3];
    for u in &hh.unmet {
        for (k, kind) in KINDS.iter().enumerate() {
            n[k] += u.contains(*kind) as u8 as f64;
        }
    }
    n
}

/// The arm's month: its `delivery`, and month `m` of year index `y`.
#[derive(Debug, Clone, Copy)]
pub struct When<'a> {
    pub delivery: &'a Delivery,
    pub m: u8,
    pub y: usize,
}

/// In month `due` (0-based, plus the delay), meet guarantee `kind` for served
/// households that lack it, in the keyed project order (key 10,000 + 1,000
/// × the guarantee's position in [`Unmet`] + `y`; households with favour
/// first, when projects favour them), at `cost(i)` yuan each from `pool`,
/// while the pool lasts; the money reaches the household (in kind). Returns
/// how many were met.
pub fn remedy(
    w: &World,
    (kind, keeps, due): (Unmet, bool, u8),
    when: When,
    cost: impl Fn(usize) -> f64,
    hh: &mut Households,
    (pool, ledger): (&mut f64, &mut Ledger),
) -> f64 {
    if !budget::runs_now(when.delivery, due, when.m) {
        return 0.0;
    }
    let position = KINDS.iter().position(|&k| k == kind).unwrap_or(0) as u64;
    let mut met = 0.0;
    for i in w.project_walk(10_000 + 1_000 * position + when.y as u64, when.delivery.teams) {
        if !hh.unmet[i].contains(kind) || !hh.status[i].served(keeps) {
            continue;
        }
        let c = cost(i);
        if *pool < c {
            continue;
        }
        *pool -= c;
        ledger.pay(hh.status[i].poor(), c);
        hh.unmet[i].remove(kind);
        met += 1.0;
    }
    met
}

/// Medical aid enrols uninsured served households in basic medical
/// insurance (资助参保) in January, paying `premium` yuan per member from its
/// pool. Enrolled once, a household stays insured (its own later premiums
/// are not modelled).
pub fn insure(
    w: &World,
    (premium, keeps): (f64, bool),
    when: When,
    hh: &mut Households,
    books: (&mut f64, &mut Ledger),
) -> f64 {
    let cost = |i: usize| premium * w.sizes[i] as f64;
    remedy(w, (Unmet::INSURANCE, keeps, 0), when, cost, hh, books)
}

/// The school policy brings a child of compulsory-school age back to
/// school (控辍保学) in its enrolment month `month`, at `cost` yuan per
/// household from its pool.
pub fn back_to_school(
    w: &World,
    (cost, keeps, month): (f64, bool, u8),
    when: When,
    hh: &mut Households,
    books: (&mut f64, &mut Ledger),
) -> f64 {
    remedy(w, (Unmet::SCHOOLING, keeps, month), when, |_| cost, hh, books)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::household::Status;

    /// Draws fall only on households poor before the policy, about at the
    /// given share; a remedy meets a guarantee only for served households,
    /// while the pool lasts, and every yuan it takes reaches a household.
    #[test]
    fn deficits_fall_on_the_poor_and_remedies_meet_them_while_the_pool_lasts() {
        let sc = crate::testing::township(4000);
        let (r, mut s) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        s.hh.unmet.iter_mut().for_each(|u| *u = Unmet::empty());
        let g = Guarantees { shares: [0.5, 0.0, 1.0], required_for_exit: true };
        draw(w, &g, &mut s.hh);
        let poor = s.hh.status.iter().filter(|st| st.poor()).count() as f64;
        let [housing, insurance, schooling] = lacking(&s.hh);
        assert!(poor > 100.0 && (housing / poor - 0.5).abs() < 0.1, "{housing} of {poor}");
        assert_eq!(insurance, 0.0);
        let with_children =
            (0..w.households()).filter(|&i| s.hh.status[i].poor() && w.traits[i].children > 0).count() as f64;
        assert_eq!(schooling, with_children);
        assert!(s.hh.unmet.iter().zip(&s.hh.status).all(|(u, st)| st.poor() || u.is_empty()));
        // Only registered households are served: none are registered yet here.
        s.hh.status.iter_mut().for_each(|st| *st -= Status::REGISTERED);
        let (mut pool, mut ledger) = (1e9, Ledger::default());
        let d = Delivery::default();
        let now = When { delivery: &d, m: 0, y: 1 };
        let met = remedy(w, (Unmet::HOUSING, true, 0), now, |_| 100.0, &mut s.hh, (&mut pool, &mut ledger));
        assert_eq!(met, 0.0);
        // Registered: met while the pool lasts, the money reaching households.
        s.hh.status.iter_mut().filter(|st| st.poor()).for_each(|st| *st |= Status::REGISTERED);
        let mut pool = 100.0 * (housing / 2.0).floor() + 50.0;
        let later = When { m: 1, ..now };
        let met = remedy(w, (Unmet::HOUSING, true, 0), later, |_| 100.0, &mut s.hh, (&mut pool, &mut ledger));
        assert_eq!(met, 0.0, "not in its month");
        let met = remedy(w, (Unmet::HOUSING, true, 0), now, |_| 100.0, &mut s.hh, (&mut pool, &mut ledger));
        assert_eq!(met, (housing / 2.0).floor());
        assert_eq!(pool, 50.0);
        assert!((ledger.to_poor_households - 100.0 * met).abs() < 1e-6);
        assert_eq!(lacking(&s.hh)[0], housing - met);
        // Households in transition are served only when the instrument keeps serving them.
        s.hh.status.iter_mut().filter(|st| st.registered()).for_each(|st| *st |= Status::TRANSITION);
        let mut pool = 1e9;
        let stops = remedy(w, (Unmet::HOUSING, false, 0), now, |_| 100.0, &mut s.hh, (&mut pool, &mut ledger));
        let keeps = remedy(w, (Unmet::HOUSING, true, 0), now, |_| 100.0, &mut s.hh, (&mut pool, &mut ledger));
        assert_eq!((stops, keeps), (0.0, housing - met));
    }
}
