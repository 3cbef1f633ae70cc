//! Dibao (低保, MODEL.md §4.12): the minimum living guarantee.
//!
//! At each identification, registered households with less than one labour
//! unit are assessed: their monthly top-up for the coming year fills the gap
//! between their own income (net of last year's top-up) and the dibao line,
//! indexed with the poverty line. It runs in every arm, outside the arm's
//! budget (not in the ledger).
//!
//! Section: `[dibao]`.

use crate::check::Checker;
use crate::household::Traits;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DibaoFile {
    /// Whether registered households with less than one labour unit get the dibao top-up. Runs in every arm, outside
    /// the arm's budget (not in the ledger).
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub enabled: bool,
    /// Dibao line at the level of `poverty_line.yuan_per_person_year`; indexed with the poverty line. The top-up fills
    /// the gap between the household's own income and this line.
    ///
    /// Unit: yuan/person/year. Default: `2400`. Allowed: [0, 1e7].
    #[serde(default = "default_dibao_line")]
    pub line: f64,
    /// Whether households kept on the register in transition after their exit (`targeting.transition_years`,
    /// 脱贫不脱政策) keep receiving this instrument, as they did from 2015 to 2020.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub transition: bool,
}
fn default_dibao_line() -> f64 {
    2400.0
}
impl Default for DibaoFile {
    fn default() -> Self {
        DibaoFile { enabled: true, line: default_dibao_line(), transition: true }
    }
}

/// The validated `[dibao]`.
#[derive(Debug, Clone, Copy)]
pub struct Dibao {
    pub enabled: bool,
    /// yuan per person per year at the level of the first poverty line.
    pub line: f64,
    /// Households in transition after their exit keep it.
    pub transition: bool,
}

/// `[dibao]`.
pub fn check(c: &mut Checker, f: &DibaoFile) -> Dibao {
    c.num("dibao.line", f.line, 0.0, 1e7);
    Dibao { enabled: f.enabled, line: f.line, transition: f.transition }
}

/// The monthly top-up of a household at identification: registered
/// (`register`) households without working capacity get the gap between
/// their own income and `line` (this year's dibao line, yuan per person per
/// year); `ypc` is their trailing per-capita income, `last` last year's top-up.
#[inline]
pub fn assess(d: &Dibao, line: f64, (register, transition): (bool, bool), tr: &Traits, ypc: f32, last: f32) -> f32 {
    if d.enabled && register && (d.transition || !transition) && tr.labour < 1.0 {
        let own = ypc as f64 * tr.size as f64 - 12.0 * last as f64;
        ((line * tr.size as f64 - own).max(0.0) / 12.0) as f32
    } else {
        0.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_top_up_fills_the_gap_for_households_without_labour_only() {
        let d = Dibao { enabled: true, line: 2400.0, transition: true };
        let tr = Traits { size: 2, labour: 0.4, ..Default::default() };
        // Own income 1,200 a person (1,800 with last year's 100 a month of dibao).
        let top = assess(&d, 2400.0, (true, false), &tr, 1800.0, 100.0);
        assert!((top - 200.0).abs() < 1e-3, "{top}");
        assert_eq!(assess(&d, 2400.0, (false, false), &tr, 1800.0, 100.0), 0.0);
        let worker = Traits { labour: 1.0, ..tr };
        assert_eq!(assess(&d, 2400.0, (true, false), &worker, 1800.0, 100.0), 0.0);
        assert_eq!(assess(&Dibao { enabled: false, ..d }, 2400.0, (true, false), &tr, 1800.0, 100.0), 0.0);
        // In transition after its exit: kept by default, not when dibao stops at exit.
        assert_eq!(assess(&d, 2400.0, (true, true), &tr, 1800.0, 100.0), top);
        assert_eq!(assess(&Dibao { transition: false, ..d }, 2400.0, (true, true), &tr, 1800.0, 100.0), 0.0);
    }
}
