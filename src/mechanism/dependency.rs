//! Dependency (等靠要, MODEL.md §4.5): free handouts raise it, earned
//! income lowers it, and it saps effort.
//!
//! Each household carries an index `d` in 0..1. A free transfer of value
//! `V` raises it by `step × min(V / n, 3) × (1 − d)`, where `n` is the
//! household's monthly subsistence need; each month with an enterprise job
//! or a cooperative membership lowers it by `decay × d`. Effort, which
//! scales wage, farm and orchard income, is `1 − effort_loss × d`.
//!
//! Parameters: `[behaviour]` (see `setting::Behaviour`).

use crate::setting::Behaviour;

/// A handout raises dependency in proportion to its value in months of the
/// household's subsistence need, up to this many months per handout.
pub const MAX_HANDOUT_MONTHS: f64 = 3.0;

/// The rise of `d` from a transfer worth `months` months of need (the
/// household pass's single-precision form).
#[inline]
pub fn step_f32(b: &Behaviour, months: f32, d: f32) -> f32 {
    b.dependency_handout_step as f32 * months.min(MAX_HANDOUT_MONTHS as f32) * (1.0 - d)
}

/// A free handout worth `value` yuan to a household of `adult_eq` adult
/// equivalents raises its dependency `d`.
pub fn raise(b: &Behaviour, adult_eq: f32, value: f64, d: &mut f32) {
    let need = b.subsistence * adult_eq as f64;
    let d0 = *d as f64;
    *d += (b.dependency_handout_step * (value / need).min(MAX_HANDOUT_MONTHS) * (1.0 - d0)) as f32;
}

/// Effort at dependency `d`.
#[inline]
pub fn effort(b: &Behaviour, d: f32) -> f32 {
    1.0 - b.dependency_effort_loss as f32 * d
}

/// A month of earned income (an enterprise job or a cooperative membership) lowers `d`.
#[inline]
pub fn decay(b: &Behaviour, earning: bool, d: &mut f32) {
    if earning {
        *d -= b.dependency_earned_decay as f32 * *d;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn behaviour() -> Behaviour {
        Behaviour {
            subsistence: 100.0,
            mpc: 0.8,
            debt_interest: 0.08,
            dependency_handout_step: 0.1,
            dependency_earned_decay: 0.5,
            dependency_effort_loss: 0.5,
            liquidation_base: 0.0,
            liquidation_dependency: 0.0,
            liquidation_need: 0.0,
            salvage_share: 0.5,
        }
    }

    #[test]
    fn handouts_raise_dependency_up_to_a_cap_and_work_lowers_it() {
        let b = behaviour();
        let mut d = 0.0;
        raise(&b, 1.0, 100.0, &mut d);
        assert!((d - 0.1).abs() < 1e-6);
        // Ten months of need count as three.
        let mut big = 0.0;
        raise(&b, 1.0, 1000.0, &mut big);
        assert!((big - 0.3).abs() < 1e-6);
        assert!((step_f32(&b, 10.0, 0.0) - 0.3).abs() < 1e-6);
        decay(&b, false, &mut d);
        assert!((d - 0.1).abs() < 1e-6);
        decay(&b, true, &mut d);
        assert!((d - 0.05).abs() < 1e-6);
        assert!((effort(&b, 0.4) - 0.8).abs() < 1e-6);
    }
}
