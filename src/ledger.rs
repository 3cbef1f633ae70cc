//! The books (MODEL.md §4.14): every yuan of an arm's budget ends in exactly
//! one named sink.
//!
//! The budget is credited month by month as it becomes available, and each
//! flow debits it into a sink. [`Ledger::imbalance`] is zero, to rounding, in
//! every replicate; a test checks it.

/// Sinks, in output order.
pub const SINKS: [&str; 9] = [
    "to_poor_households",
    "to_nonpoor_households",
    "enterprise_equity",
    "enterprise_failed",
    "coop_capital",
    "coop_founders",
    "diverted",
    "admin",
    "unspent",
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
    /// Grant capital a cooperative still holds for its members.
    pub coop_capital: f64,
    /// Grant money captured by cooperative founders.
    pub coop_founders: f64,
    /// Diverted by an enterprise or skimmed in delivery.
    pub diverted: f64,
    /// Administration.
    pub admin: f64,
    /// Not spent: unallocated shares, or nobody eligible.
    pub unspent: f64,
}

impl Ledger {
    pub fn sinks(&self) -> [f64; 9] {
        [
            self.to_poor_households,
            self.to_nonpoor_households,
            self.enterprise_equity,
            self.enterprise_failed,
            self.coop_capital,
            self.coop_founders,
            self.diverted,
            self.admin,
            self.unspent,
        ]
    }

    /// Spent: everything but `unspent`.
    pub fn spent(&self) -> f64 {
        self.budget - self.unspent
    }

    /// Budget minus the sum of the sinks; zero when the books balance.
    pub fn imbalance(&self) -> f64 {
        self.budget - self.sinks().iter().sum::<f64>()
    }
}
