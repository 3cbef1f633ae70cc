//! Illness and medical aid (MODEL.md §4.1, §4.8).
//!
//! Every month each household may fall acutely ill (a keyed draw, the same
//! in every arm), losing a labour unit for some months and paying an
//! exponentially distributed cost; a chronically ill member costs the same
//! every month. Insurance reimburses a share. What is left is out of pocket:
//! first a tailored package's medical cover pays, then the arm's medical aid
//! (医疗救助) for registered households, rationed in proportion when a
//! month's claims exceed the pool.
//!
//! Sections: `[health]` (in the setting) and `[arms.policies.health_aid]`.

use crate::check::Checker;
use crate::household::{Condition, Status, Unmet};
use crate::rng::Purpose;
use crate::world::World;
use serde::{Deserialize, Serialize};

/// Medical aid (医疗救助) on top of insurance for registered households.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct HealthAidFile {
    /// Share of the yearly budget in the medical-aid pool, available for claims from January (no delivery delay; its
    /// insurance premiums wait `delay_months`).
    ///
    /// Unit: prob. Default: required. Allowed: [0, 1].
    pub budget_share: f64,
    /// Share of a registered household's out-of-pocket medical cost (after insurance and any tailored-package cover)
    /// that the aid pays. The pool is rationed in proportion: if this month's claims of all registered households
    /// exceed what is left in the pool, every claim is paid the same fraction (pool left ÷ claims). Months are served
    /// in turn, so early months can empty the pool for later ones.
    ///
    /// Unit: prob. Default: `0.8`. Allowed: [0, 1].
    #[serde(default = "default_aid_cover")]
    pub cover: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
    /// Yearly premium of basic medical insurance per member, paid from the aid's pool in January (plus `delay_months`)
    /// for each served household without insurance (资助参保, `guarantees.uninsured_share`), which is then insured for
    /// good.
    ///
    /// Unit: yuan/person/year. Default: `180` (the individual contribution to residents' basic medical insurance in
    /// 2017). Allowed: [0, 1e5].
    #[serde(default = "default_premium")]
    pub premium: f64,
}
fn default_aid_cover() -> f64 {
    0.8
}
fn default_premium() -> f64 {
    180.0
}

#[derive(Debug, Clone, Copy)]
pub struct HealthAidPolicy {
    pub budget_share: f64,
    pub cover: f64,
    /// yuan per member for an uninsured household's premium.
    pub premium: f64,
    /// Households in transition keep receiving it.
    pub transition: bool,
}

/// `arms[i].policies.health_aid` (`q` is its path).
pub fn check(c: &mut Checker, q: &str, f: &HealthAidFile) -> HealthAidPolicy {
    c.prob(&format!("{q}.budget_share"), f.budget_share);
    c.prob(&format!("{q}.cover"), f.cover);
    c.num(&format!("{q}.premium"), f.premium, 0.0, 1e5);
    HealthAidPolicy { budget_share: f.budget_share, cover: f.cover, transition: f.transition, premium: f.premium }
}

columns! {
    /// Medical cover from a tailored package.
    pub struct Cover / CoverChunk {
        /// Yuan left this year.
        health_cover: f32,
    }
}

/// Medical cost of household `i` in month `t` before insurance, and whether
/// an acute illness struck: keyed draws, the same in every arm and pass.
#[inline(always)]
pub fn illness(w: &World, i: usize, t: u32) -> (f32, bool) {
    let h = &w.sc.health;
    let mut medical = 0.0f32;
    let acute = (w.streams.uniform(Purpose::Illness, i as u64, t) as f32) < h.acute_illness_prob as f32;
    if acute {
        let u = w.streams.uniform(Purpose::IllnessCost, i as u64, t);
        medical += (h.acute_cost_mean * -(1.0 - u).ln()) as f32;
    }
    if w.traits[i].flags.contains(Condition::CHRONIC) {
        medical += h.chronic_cost as f32;
    }
    (medical, acute)
}

/// The share of medical costs left to a household after insurance: all of
/// them without insurance ([`Unmet::INSURANCE`]).
#[inline(always)]
pub fn uninsured_share(w: &World, unmet: Unmet) -> f32 {
    if unmet.contains(Unmet::INSURANCE) {
        1.0
    } else {
        (1.0 - w.sc.health.insurance_reimbursement) as f32
    }
}

/// Medical out-of-pocket cost of household `i` in month `t`, before any aid.
fn medical_cost(w: &World, i: usize, t: u32, unmet: Unmet) -> f32 {
    illness(w, i, t).0 * uninsured_share(w, unmet)
}

/// What household `i` would claim from the aid pool in month `t` (for the rationing pre-pass).
#[inline]
pub fn claim(w: &World, aid: &HealthAidPolicy, (st, unmet): (Status, Unmet), cover: f32, i: usize, t: u32) -> f64 {
    if st.served(aid.transition) {
        ((medical_cost(w, i, t, unmet) - cover).max(0.0)) as f64 * aid.cover
    } else {
        0.0
    }
}

/// The aid in force this month.
#[derive(Debug, Clone, Copy)]
pub struct Aid {
    /// Whether the arm can have touched medical cover or aid at all.
    pub active: bool,
    /// Share of out-of-pocket costs the aid pays (0: no aid).
    pub cover: f64,
    /// Share of this month's claims the pool can pay.
    pub fraction: f64,
    /// Whether households in transition after their exit get aid.
    pub transition: bool,
}

/// Aid paid, added up.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub aid_to_poor: f64,
    pub aid_to_nonpoor: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.aid_to_poor += o.aid_to_poor;
        self.aid_to_nonpoor += o.aid_to_nonpoor;
    }

    pub fn total(&self) -> f64 {
        self.aid_to_poor + self.aid_to_nonpoor
    }
}

/// Household `i`'s (chunk position `j`) illness this month: returns the
/// labour units lost and the medical cost left out of pocket after
/// insurance, a package's cover and medical aid.
#[inline]
#[allow(clippy::too_many_arguments)]
pub fn household(
    w: &World,
    aid: &Aid,
    (i, j, t): (usize, usize, u32),
    (st, unmet): (Status, Unmet),
    sick: &mut [u8],
    cover: &mut CoverChunk,
    sums: &mut Sums,
) -> (f32, f32) {
    let h = &w.sc.health;
    let (medical, acute) = illness(w, i, t);
    if acute {
        sick[j] = h.acute_labour_loss_months as u8;
    }
    let lost = if sick[j] > 0 {
        sick[j] -= 1;
        1.0
    } else {
        0.0
    };
    let mut out_of_pocket = medical * uninsured_share(w, unmet);
    // Medical aid: a tailored package's cover first, then the arm's aid pool.
    if out_of_pocket > 0.0 && aid.active {
        let covered = out_of_pocket.min(cover.health_cover[j]);
        cover.health_cover[j] -= covered;
        out_of_pocket -= covered;
        if aid.cover > 0.0 && st.served(aid.transition) {
            // The pool is rationed in proportion when this month's claims exceed it.
            let aid = out_of_pocket as f64 * aid.cover * aid.fraction;
            out_of_pocket -= aid as f32;
            *if st.poor() { &mut sums.aid_to_poor } else { &mut sums.aid_to_nonpoor } += aid;
        }
    }
    (lost, out_of_pocket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cover_pays_first_then_aid_for_registered_households_and_nothing_is_lost() {
        let sc = crate::testing::township(2000);
        let (r, _) = crate::testing::after_pre_policy_year(&sc);
        let w = &r.world;
        let reimb = (1.0 - sc.health.insurance_reimbursement) as f32;
        // An acute illness somewhere in the first months.
        let (i, t) =
            (0..w.households()).flat_map(|i| (12..24).map(move |t| (i, t))).find(|&(i, t)| illness(w, i, t).1).unwrap();
        let medical = illness(w, i, t).0;
        let aid = Aid { active: true, cover: 0.5, fraction: 0.8, transition: true };
        for (st, cover0) in [(Status::REGISTERED | Status::POOR, 100.0f32), (Status::POOR, 0.0)] {
            let mut c = Cover { health_cover: vec![cover0] };
            let mut chunk = c.chunks(1, 1).pop().unwrap();
            let (mut sick, mut sums) = (vec![0u8], Sums::default());
            let (lost, oop) = household(w, &aid, (i, 0, t), (st, Unmet::empty()), &mut sick, &mut chunk, &mut sums);
            assert_eq!(lost, 1.0, "the month of onset loses a labour unit");
            let covered = cover0 - chunk.health_cover[0];
            let total = oop as f64 + covered as f64 + sums.total();
            assert!((total - (medical * reimb) as f64).abs() < 1e-2, "{total} vs {}", medical * reimb);
            if st.registered() {
                assert!(sums.aid_to_poor > 0.0 && covered == cover0.min(medical * reimb));
            } else {
                assert_eq!(sums.total(), 0.0, "aid is for registered households only");
            }
        }
    }
}
