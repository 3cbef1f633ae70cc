//! The budget and its delivery (MODEL.md §4.13): the arm's money, from the
//! January allocation to the month it reaches an instrument.
//!
//! Each January an arm's yearly budget is split across its instruments.
//! Each instrument's money is due in a month (cash: every payment month;
//! enterprise, cooperative and in-kind: their `transfer_month`) and arrives
//! `delivery.delay_months` later. Money whose arrival falls after December,
//! or, for the seasonal instruments (in-kind items and cooperative grants),
//! after the planting month of what it buys, is late: it is lost
//! (`late_funds = "lost"`, sink `lost_late`) or carried into next year's
//! pool of the same instrument (`"rollover"`). What is still pooled when the
//! run ends is `unspent`.
//!
//! Sections: `[budget]` and `[arms.delivery]`.

use crate::check::{Checker, Choice, Choices};
use crate::ledger::Ledger;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetFile {
    /// Poverty budget of each arm in each policy year not listed in `by_year`, credited every January, in yuan of the
    /// pre-policy year (so it rises in nominal terms with `[prices]`). The same for every arm unless the arm has its
    /// own `arms[].budget`.
    ///
    /// Unit: yuan/year. Default: required. Allowed: [0, 1e13].
    pub yearly: f64,
    /// Share of each year's budget spent on administration, charged only in arms whose instrument shares sum to more
    /// than 0.
    ///
    /// Unit: prob. Default: `0`. Allowed: [0, 1].
    #[serde(default)]
    pub admin_share: f64,
    /// Budget per policy year, overriding `yearly`: element *k* is the budget of policy year *k* (element 0 =
    /// `start_year`).
    ///
    /// Unit: yuan/year. Default: `[]`. Allowed: each in [0, 1e13]; any length (elements beyond `years` are ignored).
    #[serde(default)]
    pub by_year: Vec<f64>,
}

/// `[arms.budget]`: an arm's own budget. The amounts are the arm's own once
/// it gives `yearly` or `by_year`; whatever it leaves out is the scenario's.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ArmBudgetFile {
    /// This arm's budget in each policy year not listed in its `by_year`. Given `by_year` alone, years beyond it
    /// get nothing.
    ///
    /// Unit: yuan/year. Default: the scenario's `budget.yearly` and `budget.by_year`, unless this arm gives
    /// `by_year` (then 0). Allowed: [0, 1e13].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub yearly: Option<f64>,
    /// This arm's budget per policy year, overriding its `yearly`.
    ///
    /// Unit: yuan/year. Default: `[]` if this arm gives `yearly`, otherwise the scenario's `budget.by_year`.
    /// Allowed: each in [0, 1e13]; any length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub by_year: Option<Vec<f64>>,
    /// This arm's administration share.
    ///
    /// Unit: prob. Default: the scenario's `budget.admin_share`. Allowed: [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin_share: Option<f64>,
}

/// `[arms.budget]` at path `p`: only the fields the arm gives are checked
/// here (the scenario's own are checked under `budget`), then the rest is
/// filled in from the scenario's `[budget]`.
pub fn check_arm_budget(c: &mut Checker, p: &str, f: &ArmBudgetFile, scenario: &BudgetFile) -> Budget {
    if let Some(y) = f.yearly {
        c.num(&format!("{p}.yearly"), y, 0.0, 1e13);
    }
    for (y, b) in f.by_year.iter().flatten().enumerate() {
        c.num(&format!("{p}.by_year[{y}]"), *b, 0.0, 1e13);
    }
    if let Some(a) = f.admin_share {
        c.prob(&format!("{p}.admin_share"), a);
    }
    let r = f.resolve(scenario);
    Budget { yearly: r.yearly, admin_share: r.admin_share, by_year: r.by_year }
}

impl ArmBudgetFile {
    /// The arm's budget section filled in from the scenario's `[budget]`.
    pub fn resolve(&self, scenario: &BudgetFile) -> BudgetFile {
        let own_amounts = self.yearly.is_some() || self.by_year.is_some();
        BudgetFile {
            yearly: self.yearly.unwrap_or(if own_amounts { 0.0 } else { scenario.yearly }),
            admin_share: self.admin_share.unwrap_or(scenario.admin_share),
            by_year: match (&self.by_year, own_amounts) {
                (Some(b), _) => b.clone(),
                (None, true) => Vec::new(),
                (None, false) => scenario.by_year.clone(),
            },
        }
    }
}

/// How the arm's money is delivered (MODEL.md §4.13).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct DeliveryFile {
    /// Approval delay: cash payments, the enterprise tranche, cooperative grant, in-kind handout, school enrolment,
    /// packages, credit lending, machinery purchases, insurance premiums, returns to school, housing renovation,
    /// infrastructure money, e-commerce linkage, relocation, the land centre's transfers and the guarantee company's
    /// capital happen this many months after they are due (still within the calendar year). Health aid and credit
    /// interest subsidies are drawn from their pools without delay, and work teams are fielded in January (they shorten
    /// the delay while in the field).
    ///
    /// Unit: months. Default: `0`. Allowed: [0, 24].
    #[serde(default)]
    pub delay_months: i64,
    /// What happens to **late** money: cash and enterprise money not delivered by December, and cooperative, in-kind or
    /// infrastructure money arriving after its season or after December. `lost`: booked to the sink `lost_late`. `rollover`: carried
    /// over; cash and enterprise money rejoin their pools next January, seasonal money is delivered in next year's due
    /// month (already approved). Carried money still held at the end of the run is unspent. School, health-aid,
    /// package, credit, machinery, housing and e-commerce money unused by December is always unspent.
    ///
    /// Unit: –. Default: `"rollover"`. Allowed: `"rollover"` or `"lost"`.
    #[serde(default = "default_late_funds")]
    pub late_funds: Choice<LateFunds>,
    /// `true`: each instrument's money stays in its instrument. `false` (pooled): in the in-kind instrument only, a
    /// recipient household with less than 0.5 labour units gets the package's value in cash instead of an item it
    /// cannot raise. No other instrument is affected.
    ///
    /// Unit: –. Default: `true`. Allowed: `true`/`false`.
    #[serde(default = "crate::check::default_true")]
    pub ring_fenced: bool,
}
fn default_late_funds() -> Choice<LateFunds> {
    Choice::Known(LateFunds::Rollover)
}

/// What becomes of money that arrives too late.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LateFunds {
    Lost,
    Rollover,
}

impl Choices for LateFunds {
    const ALLOWED: &'static str = "\"lost\" or \"rollover\"";
}
impl Default for DeliveryFile {
    fn default() -> Self {
        DeliveryFile { delay_months: 0, late_funds: default_late_funds(), ring_fenced: true }
    }
}

/// The validated `[budget]`.
#[derive(Debug, Clone)]
pub struct Budget {
    /// yuan per policy year not listed in `by_year`.
    pub yearly: f64,
    /// Share of each year's budget spent on administration.
    pub admin_share: f64,
    /// yuan per policy year, overriding `yearly`.
    pub by_year: Vec<f64>,
}

impl Budget {
    /// The budget of policy year `y` (0 = `start_year`), yuan.
    pub fn in_year(&self, y: usize) -> f64 {
        self.by_year.get(y).copied().unwrap_or(self.yearly)
    }
}

/// `[budget]`.
pub fn check_budget(c: &mut Checker, f: &BudgetFile) -> Budget {
    let p = "budget";
    c.num(&format!("{p}.yearly"), f.yearly, 0.0, 1e13);
    for (y, b) in f.by_year.iter().enumerate() {
        c.num(&format!("{p}.by_year[{y}]"), *b, 0.0, 1e13);
    }
    c.prob(&format!("{p}.admin_share"), f.admin_share);
    Budget { yearly: f.yearly, admin_share: f.admin_share, by_year: f.by_year.clone() }
}

/// How an arm's money is delivered.
#[derive(Debug, Clone, Copy, Default)]
pub struct Delivery {
    pub delay_months: u32,
    /// Late seasonal money is lost (true) or rolls over a year (false).
    pub late_lost: bool,
    pub ring_fenced: bool,
    /// The arm's work teams in the field this year, for the order in which projects reach households (none: set by
    /// `work_teams::delivery`).
    pub teams: Option<crate::world::TeamCheck>,
}

/// `arms[i].delivery` (`p` = `arms[i]`).
pub fn check_delivery(c: &mut Checker, p: &str, df: &DeliveryFile) -> Delivery {
    c.int(&format!("{p}.delivery.delay_months"), df.delay_months, 0, 24);
    let late_lost =
        c.known(&format!("{p}.delivery.late_funds"), &df.late_funds, LateFunds::Rollover) == LateFunds::Lost;
    Delivery { delay_months: df.delay_months.clamp(0, 24) as u32, late_lost, ring_fenced: df.ring_fenced, teams: None }
}

/// Each instrument's share of an arm's yearly budget (0 when the arm does
/// not run it), in the order of [`crate::outcome::INSTRUMENTS`].
#[derive(Debug, Clone, Copy, Default)]
pub struct Shares {
    /// Cash: its share and the number of payments a year.
    pub cash: Option<(f64, u32)>,
    pub enterprise: f64,
    pub cooperative: f64,
    pub inkind: f64,
    pub school: f64,
    pub health: f64,
    pub package: f64,
    pub credit: f64,
    pub machinery: f64,
    pub housing: f64,
    pub infrastructure: f64,
    pub ecommerce: f64,
    pub relocation: f64,
    pub loan_guarantee: f64,
    pub work_teams: f64,
    pub land_centre: f64,
}

impl Shares {
    /// Budget share of all the instruments (administration excluded).
    pub fn total(&self) -> f64 {
        self.cash.map_or(0.0, |c| c.0)
            + self.enterprise
            + self.cooperative
            + self.inkind
            + self.school
            + self.health
            + self.package
            + self.credit
            + self.machinery
            + self.housing
            + self.infrastructure
            + self.ecommerce
            + self.relocation
            + self.loan_guarantee
            + self.work_teams
            + self.land_centre
    }
}

/// Instruments' money not yet delivered, yuan.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pools {
    pub cash: f64,
    pub cash_per_payment: f64,
    pub enterprise: f64,
    pub cooperative: f64,
    pub inkind: f64,
    /// Late money rolled over from last year. Cash and enterprise money
    /// rejoins its pool in January; seasonal money is delivered in its due
    /// month, the approval having already been given.
    pub carried_cash: f64,
    pub carried_enterprise: f64,
    pub carried_cooperative: f64,
    pub carried_inkind: f64,
    pub school: f64,
    pub health: f64,
    pub package: f64,
    pub credit: f64,
    pub machinery: f64,
    pub housing: f64,
    pub infrastructure: f64,
    pub carried_infrastructure: f64,
    pub ecommerce: f64,
    pub relocation: f64,
    pub loan_guarantee: f64,
    pub work_teams: f64,
    pub land_centre: f64,
}

/// January: the year's budget arrives and is split across instruments.
pub fn allocate(budget: &Budget, shares: &Shares, p: &mut Pools, ledger: &mut Ledger, y: usize) {
    let b = budget.in_year(y - 1);
    ledger.budget += b;
    // Administration is charged only on instruments that run.
    let instruments = shares.total();
    let admin = if instruments > 0.0 { budget.admin_share } else { 0.0 };
    ledger.admin += b * admin;
    ledger.unspent += b * (1.0 - admin - instruments).max(0.0);
    if let Some((share, payments)) = shares.cash {
        p.cash += b * share;
        p.cash_per_payment = p.cash / payments as f64;
    }
    p.enterprise += b * shares.enterprise;
    p.cooperative += b * shares.cooperative;
    p.inkind += b * shares.inkind;
    p.school += b * shares.school;
    p.health += b * shares.health;
    p.package += b * shares.package;
    p.credit += b * shares.credit;
    p.machinery += b * shares.machinery;
    p.housing += b * shares.housing;
    p.infrastructure += b * shares.infrastructure;
    p.ecommerce += b * shares.ecommerce;
    p.relocation += b * shares.relocation;
    p.loan_guarantee += b * shares.loan_guarantee;
    p.work_teams += b * shares.work_teams;
    p.land_centre += b * shares.land_centre;
}

/// Whether money due in month `due` arrives this month, given the delay;
/// `None` if it arrives only after December.
pub fn arrives(delivery: &Delivery, due: u8, m: u8) -> Option<bool> {
    let at = due as u32 + delivery.delay_months;
    if at > 11 {
        None
    } else {
        Some(at == m as u32)
    }
}

/// Close the year: money that could not arrive in time is lost or carried
/// over; in the last year what is left is unspent.
pub fn year_end(delivery: &Delivery, p: &mut Pools, ledger: &mut Ledger, last_year: bool) {
    let (cash, enterprise) = (std::mem::take(&mut p.cash), std::mem::take(&mut p.enterprise));
    let seasonal = std::mem::take(&mut p.cooperative)
        + std::mem::take(&mut p.inkind)
        + std::mem::take(&mut p.school)
        + std::mem::take(&mut p.health)
        + std::mem::take(&mut p.package)
        + std::mem::take(&mut p.credit)
        + std::mem::take(&mut p.machinery)
        + std::mem::take(&mut p.housing)
        + std::mem::take(&mut p.infrastructure)
        + std::mem::take(&mut p.ecommerce)
        + std::mem::take(&mut p.relocation)
        + std::mem::take(&mut p.loan_guarantee)
        + std::mem::take(&mut p.work_teams)
        + std::mem::take(&mut p.land_centre);
    if delivery.late_lost {
        ledger.lost_late += cash + enterprise;
    } else {
        p.carried_cash += cash;
        p.carried_enterprise += enterprise;
    }
    // Money for the other instruments that found no use this year (no
    // eligible recipient, or the seasonal item's money left over) goes back
    // to the treasury.
    ledger.unspent += seasonal;
    if last_year {
        ledger.unspent += std::mem::take(&mut p.carried_cash)
            + std::mem::take(&mut p.carried_enterprise)
            + std::mem::take(&mut p.carried_cooperative)
            + std::mem::take(&mut p.carried_inkind)
            + std::mem::take(&mut p.carried_infrastructure);
    }
}

/// Money carried from last year rejoins the cash and enterprise pools in January.
pub fn restore_carry(shares: &Shares, p: &mut Pools) {
    p.cash += std::mem::take(&mut p.carried_cash);
    p.enterprise += std::mem::take(&mut p.carried_enterprise);
    if let Some((_, payments)) = shares.cash {
        p.cash_per_payment = p.cash / payments as f64;
    }
}

/// The money of a seasonal instrument (due in month `due`, useful only up to
/// month `season`) that can be spent this month: last year's late money,
/// already approved, arrives on time in the due month; this year's arrives
/// after the delay, and if that is after the season, or after December, it
/// is late (lost or carried over).
pub fn seasonal_arrival(
    delivery: &Delivery,
    ledger: &mut Ledger,
    (pool, carried): (&mut f64, &mut f64),
    due: u8,
    season: u8,
    m: u8,
) -> f64 {
    let mut now = if m == due { std::mem::take(carried) } else { 0.0 };
    match arrives(delivery, due, m) {
        Some(true) if m <= season => now += std::mem::take(pool),
        Some(true) => late_seasonal(delivery, ledger, carried, std::mem::take(pool)),
        None if m == 11 => late_seasonal(delivery, ledger, carried, std::mem::take(pool)),
        _ => {}
    }
    now
}

/// Late seasonal money: lost, or carried to the same month next year.
fn late_seasonal(delivery: &Delivery, ledger: &mut Ledger, carried: &mut f64, late: f64) {
    if delivery.late_lost {
        ledger.lost_late += late;
    } else {
        *carried += late;
    }
}

/// Whether an instrument due in month `due` runs this month (after the delay,
/// within the year).
pub fn runs_now(delivery: &Delivery, due: u8, m: u8) -> bool {
    arrives(delivery, due, m) == Some(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn delivery(delay_months: u32, late_lost: bool) -> Delivery {
        Delivery { delay_months, late_lost, ring_fenced: true, teams: None }
    }

    #[test]
    fn money_arrives_after_the_delay_within_the_year() {
        assert_eq!(arrives(&delivery(2, false), 3, 5), Some(true));
        assert_eq!(arrives(&delivery(2, false), 3, 4), Some(false));
        assert_eq!(arrives(&delivery(10, false), 3, 5), None);
    }

    #[test]
    fn late_seasonal_money_is_lost_or_carried_and_the_books_balance() {
        // Due in March, useful until April, but three months late: it arrives in June.
        for lost in [true, false] {
            let d = delivery(3, lost);
            let mut ledger = Ledger { budget: 100.0, ..Default::default() };
            let (mut pool, mut carried) = (100.0, 0.0);
            let mut got = 0.0;
            for m in 0..12 {
                got += seasonal_arrival(&d, &mut ledger, (&mut pool, &mut carried), 2, 3, m);
            }
            assert_eq!(got, 0.0);
            assert_eq!(pool, 0.0);
            if lost {
                assert_eq!((ledger.lost_late, carried), (100.0, 0.0));
            } else {
                assert_eq!((ledger.lost_late, carried), (0.0, 100.0));
                // Next year the approved money arrives on time, in its due month.
                let got: f64 =
                    (0..12).map(|m| seasonal_arrival(&d, &mut ledger, (&mut pool, &mut carried), 2, 3, m)).sum();
                assert_eq!(got, 100.0);
            }
        }
    }

    #[test]
    fn allocation_books_admin_and_unused_shares() {
        let budget = Budget { yearly: 1000.0, admin_share: 0.1, by_year: vec![] };
        let shares = Shares { cash: Some((0.5, 12)), school: 0.2, ..Default::default() };
        let (mut pools, mut ledger) = (Pools::default(), Ledger::default());
        allocate(&budget, &shares, &mut pools, &mut ledger, 1);
        let close = |a: f64, b: f64| (a - b).abs() < 1e-9;
        assert!(close(ledger.budget, 1000.0) && close(ledger.admin, 100.0) && close(ledger.unspent, 200.0));
        assert!(close(pools.cash, 500.0) && close(pools.cash_per_payment, 500.0 / 12.0) && close(pools.school, 200.0));
        // Every yuan is either in a sink or waiting in a pool.
        assert!(close(ledger.admin + ledger.unspent + pools.cash + pools.school, ledger.budget));
    }
}
