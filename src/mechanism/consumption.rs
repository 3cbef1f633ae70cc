//! Consumption and savings (MODEL.md §4.1).
//!
//! A household first meets its subsistence need, then consumes a share
//! (`mpc`) of any surplus; savings buffer shortfalls, and when they run out
//! it borrows, cutting consumption to no less than `consumption_floor` of
//! need. Debt costs `debt_interest` a year and savings earn `deposit_rate`,
//! both monthly.
//!
//! Section: `[behaviour]` (in the setting).

use crate::setting::Behaviour;

/// Interest on debt this month, yuan (0 without debt).
#[inline]
pub fn debt_interest(b: &Behaviour, savings: f32) -> f32 {
    if savings < 0.0 {
        -savings * (b.debt_interest / 12.0) as f32
    } else {
        0.0
    }
}

/// Interest on savings this month, yuan (0 without savings).
#[inline]
pub fn deposit_interest(b: &Behaviour, savings: f32) -> f32 {
    savings.max(0.0) * (b.deposit_rate / 12.0) as f32
}

/// Consumption this month, from net income `net`, savings and need.
#[inline]
pub fn consumption(b: &Behaviour, need: f32, net: f32, savings: f32) -> f32 {
    if net >= need {
        need + b.mpc as f32 * (net - need)
    } else if savings + net >= need {
        need
    } else {
        (savings.max(0.0) + net).max(b.consumption_floor as f32 * need)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn need_first_then_a_share_of_the_surplus_and_debt_below() {
        let b = Behaviour {
            subsistence: 100.0,
            mpc: 0.5,
            debt_interest: 0.12,
            deposit_rate: 0.0,
            consumption_floor: 0.6,
            dependency_handout_step: 0.0,
            dependency_earned_decay: 0.0,
            dependency_idle_decay: 0.0,
            dependency_effort_loss: 0.0,
            liquidation_base: 0.0,
            liquidation_dependency: 0.0,
            liquidation_need: 0.0,
            salvage_share: 0.0,
        };
        assert_eq!(consumption(&b, 100.0, 300.0, 0.0), 200.0);
        assert_eq!(consumption(&b, 100.0, 50.0, 60.0), 100.0);
        assert!((consumption(&b, 100.0, 10.0, 20.0) - 60.0).abs() < 1e-4);
        assert!((debt_interest(&b, -1200.0) - 12.0).abs() < 1e-4);
        assert_eq!(debt_interest(&b, 10.0), 0.0);
        // Savings earn the deposit rate, monthly; debt earns nothing.
        let saver = Behaviour { deposit_rate: 0.12, ..b };
        assert!((deposit_interest(&saver, 1200.0) - 12.0).abs() < 1e-4);
        assert_eq!(deposit_interest(&saver, -1200.0), 0.0);
        // The floor is the scenario's.
        let low = Behaviour { consumption_floor: 0.3, ..b };
        assert!((consumption(&low, 100.0, 10.0, 20.0) - 30.0).abs() < 1e-4);
    }
}
