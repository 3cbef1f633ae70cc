//! The books (MODEL.md §4.14): every yuan of an arm's budget ends in exactly
//! one named sink.
//!
//! Each January the year's budget is credited and each flow debits it into a
//! sink as the money moves; money still waiting in an instrument's pool (or
//! carried to next year) is in no sink yet. At the end of a run nothing is
//! waiting, and [`Ledger::imbalance`] is zero, to rounding, in every
//! replicate; tests check it.

/// `part / whole`, or NaN (reported as missing) when nothing was budgeted.
fn share(part: f64, whole: f64) -> f64 {
    if whole > 0.0 {
        part / whole
    } else {
        f64::NAN
    }
}

/// Sinks, in output order.
pub const SINKS: [&str; 13] = [
    "to_poor_households",
    "to_nonpoor_households",
    "enterprise_equity",
    "enterprise_failed",
    "enterprise_owners",
    "coop_capital",
    "coop_founders",
    "diverted",
    "lost_late",
    "admin",
    "unspent",
    "public_works",
    "guarantee_capital",
];

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ledger {
    /// Budget made available so far, yuan.
    pub budget: f64,
    /// Paid to households that were truly poor at their last identification.
    pub to_poor_households: f64,
    /// Paid to households that were not (inclusion error, or exited since).
    pub to_nonpoor_households: f64,
    /// Held by a live enterprise as the poor households' equity.
    pub enterprise_equity: f64,
    /// Equity lost when its enterprise failed.
    pub enterprise_failed: f64,
    /// Diverted by enterprise owners.
    pub enterprise_owners: f64,
    /// Grant capital a cooperative still holds for its members.
    pub coop_capital: f64,
    /// Grant money captured by cooperative founders.
    pub coop_founders: f64,
    /// Skimmed in delivery (village cadres, procurement).
    pub diverted: f64,
    /// Arrived after its season and was lost.
    pub lost_late: f64,
    /// Administration.
    pub admin: f64,
    /// Not spent: unallocated shares, or nobody eligible.
    pub unspent: f64,
    /// Village infrastructure: paid into projects, reaching no household directly.
    pub public_works: f64,
    /// Capital the loan guarantee company holds (paid in, less defaults it covered).
    pub guarantee_capital: f64,
}

impl Ledger {
    pub fn sinks(&self) -> [f64; 13] {
        [
            self.to_poor_households,
            self.to_nonpoor_households,
            self.enterprise_equity,
            self.enterprise_failed,
            self.enterprise_owners,
            self.coop_capital,
            self.coop_founders,
            self.diverted,
            self.lost_late,
            self.admin,
            self.unspent,
            self.public_works,
            self.guarantee_capital,
        ]
    }

    /// Spent: every sink but `unspent`. Money still pooled or carried over
    /// is neither spent nor unspent until it moves.
    pub fn spent(&self) -> f64 {
        self.sinks().iter().sum::<f64>() - self.unspent
    }

    /// Share of the budget that leaked: diverted by enterprise owners,
    /// captured by cooperative founders, or skimmed in delivery.
    pub fn leakage_share(&self) -> f64 {
        share(self.enterprise_owners + self.coop_founders + self.diverted, self.budget)
    }

    /// Share of the budget that reached poor households, as cash or goods, or
    /// as equity and capital held for them by a live enterprise or cooperative.
    pub fn share_reaching_poor(&self) -> f64 {
        share(self.to_poor_households + self.enterprise_equity + self.coop_capital, self.budget)
    }

    /// Pay `yuan` of budget money to a household, booking it as reaching a
    /// poor household (`poor`, poor at its last identification) or a non-poor one.
    #[inline]
    pub fn pay(&mut self, poor: bool, yuan: f64) {
        if poor {
            self.to_poor_households += yuan;
        } else {
            self.to_nonpoor_households += yuan;
        }
    }

    /// Budget minus the sum of the sinks; zero when the books balance.
    pub fn imbalance(&self) -> f64 {
        self.budget - self.sinks().iter().sum::<f64>()
    }
}
