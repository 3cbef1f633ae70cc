//! Consumption and savings (MODEL.md §4.1).
//!
//! A household first meets its subsistence need. Under the buffer-stock
//! rule (the default) it aims at savings of `buffer_months` of need and
//! consumes cash on hand above need and buffer at `1 / buffer_spread_months`
//! a month, so a windfall first repays debt and rebuilds the buffer and the
//! rest is spread over months; under the `mpc` rule it consumes a share
//! `mpc` of this month's income above need. Savings buffer shortfalls, and
//! when they run out it borrows, cutting consumption to no less than
//! `consumption_floor` of need. Debt beyond `debt_limit_months` of need is
//! defaulted on. Debt costs `debt_interest` a year and savings earn `deposit_rate`,
//! both monthly.
//!
//! Section: `[behaviour]` (in the setting).

use crate::setting::{Behaviour, ConsumptionRule};

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

/// Savings after the month, `after`, held at the debt limit: returns the
/// balance and what is defaulted on (yuan, 0 within the limit).
#[inline]
pub fn within_debt_limit(b: &Behaviour, need: f32, after: f32) -> (f32, f32) {
    let limit = -(b.debt_limit_months as f32) * need;
    if after < limit {
        (limit, limit - after)
    } else {
        (after, 0.0)
    }
}

/// Cash on hand for investment of a household with need `need` (yuan a
/// month) holding `cash` (savings, and this month's net income less need
/// when it decides in the pass): what lies above its buffer, plus what it
/// may borrow (`investment_credit_months`).
#[inline]
pub fn investable(b: &Behaviour, need: f32, cash: f32) -> f64 {
    cash as f64 - (b.buffer_months - b.investment_credit_months) * need as f64
}

/// Whether a household's savings `savings` disagree with its own account
/// `booked` (its savings at the last December plus every money flow booked
/// since, in f64) by more than the rounding of a year of f32 savings:
/// [`BALANCE_TOLERANCE`] yuan plus 1e-5 of the larger in size.
#[inline]
pub fn unbalanced(savings: f32, booked: f64) -> bool {
    let s = savings as f64;
    (s - booked).abs() > BALANCE_TOLERANCE + 1e-5 * s.abs().max(booked.abs())
}

/// Yuan by which a household's savings may differ from its account through rounding alone.
pub const BALANCE_TOLERANCE: f64 = 1.0;

/// Consumption this month, from net income `net`, savings and need.
#[inline]
pub fn consumption(b: &Behaviour, need: f32, net: f32, savings: f32) -> f32 {
    let on_hand = savings + net;
    match b.consumption_rule {
        ConsumptionRule::Mpc if net >= need => need + b.mpc as f32 * (net - need),
        ConsumptionRule::BufferStock if on_hand >= need => {
            let above = on_hand - need - b.buffer_months as f32 * need;
            need + above.max(0.0) / b.buffer_spread_months as f32
        }
        ConsumptionRule::BufferStock => {
            // Short of need: spend what there is, at most need (a household in debt repays from
            // income above need), at least the floor (borrowing the difference).
            (savings.max(0.0) + net).clamp(b.consumption_floor as f32 * need, need)
        }
        _ if on_hand >= need => need,
        _ => (savings.max(0.0) + net).max(b.consumption_floor as f32 * need),
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
            consumption_rule: crate::setting::ConsumptionRule::Mpc,
            buffer_months: 2.0,
            buffer_spread_months: 12.0,
            debt_interest: 0.12,
            deposit_rate: 0.0,
            consumption_floor: 0.6,
            debt_limit_months: 12.0,
            dependency_handout_step: 0.0,
            dependency_earned_decay: 0.0,
            dependency_idle_decay: 0.0,
            dependency_effort_loss: 0.0,
            liquidation_base: 0.0,
            liquidation_dependency: 0.0,
            liquidation_need: 0.0,
            salvage_share: 0.0,
            livestock_skill_gradient: 0.5,
            investment_hurdle: 0.15,
            investment_credit_months: 0.0,
            investment_horizon_years: 10.0,
            distress_sale_months: 1.0,
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
        // Buffer stock: a windfall of 1,200 on a need of 100 and a buffer of 2 months is mostly
        // saved, the excess over need and buffer spread over 12 months (the mpc rule would eat
        // half of it at once); below the buffer the household rebuilds it; in debt it repays
        // from income above need, and it never falls below the floor.
        let buffer = Behaviour { consumption_rule: ConsumptionRule::BufferStock, ..b };
        assert!((consumption(&buffer, 100.0, 1300.0, 0.0) - (100.0 + 1000.0 / 12.0)).abs() < 1e-3);
        assert_eq!(consumption(&b, 100.0, 1300.0, 0.0), 700.0);
        assert_eq!(consumption(&buffer, 100.0, 150.0, 50.0), 100.0);
        assert_eq!(consumption(&buffer, 100.0, 300.0, -500.0), 100.0);
        assert!((consumption(&buffer, 100.0, 10.0, -500.0) - 60.0).abs() < 1e-4);
        assert_eq!(consumption(&buffer, 100.0, 30.0, 50.0), 80.0);
        // Debt beyond the limit (12 months of a need of 100) is defaulted on.
        assert_eq!(within_debt_limit(&b, 100.0, -1500.0), (-1200.0, 300.0));
        assert_eq!(within_debt_limit(&b, 100.0, -500.0), (-500.0, 0.0));
        // The floor is the scenario's.
        let low = Behaviour { consumption_floor: 0.3, ..b };
        assert!((consumption(&low, 100.0, 10.0, 20.0) - 30.0).abs() < 1e-4);
    }

    /// A household whose savings moved by ten yuan that were never booked is
    /// unbalanced; rounding within the tolerance is not.
    #[test]
    fn a_household_whose_savings_moved_unbooked_is_unbalanced() {
        assert!(!unbalanced(148_586.48, 148_586.42), "f32 rounding of large savings");
        assert!(!unbalanced(-38.53, -38.532));
        assert!(unbalanced(1000.0, 990.0));
        assert!(unbalanced(-500.0, -510.0));
    }
}
