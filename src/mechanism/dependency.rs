//! Dependency (等靠要, MODEL.md §4.5): free support raises it, earned
//! income and time without support lower it, and it saps effort.
//!
//! Each household carries an index `d` in 0..1. A free transfer worth `m`
//! months of the household's subsistence need moves it to
//! `1 − (1 − d) e^(−step·m)`: two transfers compose into one of their
//! total, so the same yuan raises it the same way in one payment or many, in
//! cash or in kind, and `d` never reaches 1. Each month with an enterprise
//! job or a cooperative membership lowers it by `earned_decay × d`; each
//! month without free support (no cash payment, handout or package), by
//! `idle_decay × d`. Effort, which scales wage, farm and orchard income, is
//! `1 − effort_loss × d`. There is no ratchet: every rise can wear off.
//!
//! Parameters: `[behaviour]` (see `setting::Behaviour`).

use crate::setting::Behaviour;

/// `d` after a transfer worth `months` months of need (the household
/// pass's single-precision form).
#[inline]
pub fn raised_f32(b: &Behaviour, months: f32, d: f32) -> f32 {
    1.0 - (1.0 - d) * (-(b.dependency_handout_step as f32) * months_of_need(months as f64) as f32).exp()
}

/// A transfer's months of need, 0 when it has no finite value (a household
/// without need, `subsistence = 0`, is not made dependent).
fn months_of_need(months: f64) -> f64 {
    if months.is_finite() {
        months.max(0.0)
    } else {
        0.0
    }
}

/// A free handout worth `value` yuan to a household of `adult_eq` adult
/// equivalents raises its dependency `d`, and marks the month as supported.
pub fn raise(b: &Behaviour, adult_eq: f32, value: f64, d: &mut f32, supported: &mut bool) {
    let need = b.subsistence * adult_eq as f64;
    let d0 = *d as f64;
    *d = (1.0 - (1.0 - d0) * (-b.dependency_handout_step * months_of_need(value / need)).exp()) as f32;
    *supported = true;
}

/// Effort at dependency `d`.
#[inline]
pub fn effort(b: &Behaviour, d: f32) -> f32 {
    1.0 - b.dependency_effort_loss as f32 * d
}

/// The month's fall of `d`: by `earned_decay` with an enterprise job or a
/// cooperative membership, and by `idle_decay` without free support.
#[inline]
pub fn decay(b: &Behaviour, earning: bool, supported: bool, d: &mut f32) {
    if earning {
        *d -= b.dependency_earned_decay as f32 * *d;
    }
    if !supported {
        *d -= b.dependency_idle_decay as f32 * *d;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn behaviour() -> Behaviour {
        Behaviour {
            subsistence: 100.0,
            mpc: 0.8,
            consumption_rule: crate::setting::ConsumptionRule::Mpc,
            buffer_months: 2.0,
            buffer_spread_months: 12.0,
            debt_interest: 0.08,
            deposit_rate: 0.0,
            consumption_floor: 0.6,
            debt_limit_months: 12.0,
            dependency_handout_step: 0.1,
            dependency_earned_decay: 0.5,
            dependency_idle_decay: 0.1,
            dependency_effort_loss: 0.5,
            liquidation_base: 0.0,
            liquidation_dependency: 0.0,
            liquidation_need: 0.0,
            salvage_share: 0.5,
            livestock_skill_gradient: 0.5,
            investment_hurdle: 0.15,
            investment_credit_months: 0.0,
            investment_horizon_years: 10.0,
            distress_sale_months: 1.0,
        }
    }

    /// A transfer raises `d`; the same yuan in one payment or in many, in
    /// the same month, raise it the same; `d` stays below 1.
    #[test]
    fn the_same_yuan_raise_dependency_the_same_in_one_payment_or_many() {
        let b = behaviour();
        let (mut one, mut many) = (0.2f32, 0.2f32);
        let (mut s1, mut s2) = (false, false);
        raise(&b, 1.0, 1200.0, &mut one, &mut s1);
        for _ in 0..12 {
            raise(&b, 1.0, 100.0, &mut many, &mut s2);
        }
        assert!(one > 0.2 && s1 && s2);
        assert!((one - many).abs() < 1e-5, "{one} vs {many}");
        assert!((one as f64 - (1.0 - 0.8 * (-0.1f64 * 12.0).exp())).abs() < 1e-5);
        assert!((raised_f32(&b, 12.0, 0.2) - one).abs() < 1e-5);
        let mut big = 0.0;
        raise(&b, 1.0, 1e9, &mut big, &mut s1);
        assert!(big <= 1.0);
        // Without need (subsistence 0) a transfer does not make a household dependent, and never NaN.
        let none = Behaviour { subsistence: 0.0, dependency_handout_step: 0.0, ..b };
        let mut z = 0.3;
        raise(&none, 1.0, 100.0, &mut z, &mut s1);
        assert_eq!(z, 0.3);
        assert_eq!(raised_f32(&none, f32::INFINITY, 0.3), 0.3);
        assert_eq!(raised_f32(&b, f32::NAN, 0.3), 0.3);
    }

    /// Work and time without support lower `d`; support stops the idle decay.
    #[test]
    fn work_and_time_without_support_lower_dependency() {
        let b = behaviour();
        let mut d = 0.4;
        decay(&b, false, true, &mut d);
        assert_eq!(d, 0.4, "a supported month without work: no fall");
        decay(&b, false, false, &mut d);
        assert!((d - 0.4 * 0.9).abs() < 1e-6, "idle decay");
        let mut w = 0.4;
        decay(&b, true, true, &mut w);
        assert!((w - 0.2).abs() < 1e-6, "earned decay");
        assert!((effort(&b, 0.4) - 0.8).abs() < 1e-6);
        // No ratchet: a rise wears off.
        let (mut d, mut s) = (0.1f32, false);
        raise(&b, 1.0, 500.0, &mut d, &mut s);
        for _ in 0..60 {
            decay(&b, false, false, &mut d);
        }
        assert!(d < 0.1, "{d}");
    }
}
