//! Ventures a household buys with its own cash (MODEL.md §9): a small
//! non-farm business (个体经营) and a farm machine of its own.
//!
//! Both are indivisible and bought whole, by the household's investment
//! choice ([`super::invest`]), when they rank first among the options it can
//! reach and clear the hurdle.
//! - A **business** takes `business_labour` units from local wage work and
//!   pays `business_income` a month (in `start_year` prices, grown with
//!   wages), scaled by the household's productivity and effort. Each January it fails with `business_failure_probability`
//!   (a keyed draw per household and year, the same in every arm), and it
//!   closes once it is `business_life_years` old. Its capital is lost either
//!   way.
//! - A **machine** raises the household's customary crop output as a
//!   subsidised one does, costs `machine_upkeep` a year, and is gone after
//!   `machine_life_years`.
//!
//! Section: `[ventures]` (in the setting).

use crate::household::{Status, Traits};
use crate::rng::{Purpose, Streams};
use crate::setting::{Setting, Ventures};

columns! {
    /// Each household's ventures.
    pub struct Books / BooksChunk {
        /// Year index + 1 of the year its business opened (0: none).
        business_year: u8,
        /// Year index + 1 of the year it bought its own machine (0: none, or a subsidised one).
        machine_year: u8,
    }
}

impl Books {
    /// Columns for `n` households, or none when no venture can be bought.
    pub fn new(n: usize, k: &Ventures) -> Books {
        let n = if k.any() { n } else { 0 };
        Books { business_year: vec![0; n], machine_year: vec![0; n] }
    }

    /// A chunk of no households, for the pass when ventures are off.
    pub fn none<'a>() -> BooksChunk<'a> {
        BooksChunk { business_year: &mut [], machine_year: &mut [] }
    }
}

/// What the ventures of a chunk of households add up to this month.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sums {
    /// Businesses opened, failed and worn out.
    pub opened: f64,
    pub failed: f64,
    pub worn_out: f64,
    /// Machines bought, and machines worn out.
    pub machines: f64,
    pub machines_worn_out: f64,
    /// Yuan paid for businesses and machines.
    pub invested: f64,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.opened += o.opened;
        self.failed += o.failed;
        self.worn_out += o.worn_out;
        self.machines += o.machines;
        self.machines_worn_out += o.machines_worn_out;
        self.invested += o.invested;
    }
}

/// The share of its labour a business gets from `home_labour` units at home.
#[inline]
fn staffed(k: &Ventures, home_labour: f32) -> f32 {
    if k.business_labour > 0.0 {
        (home_labour / k.business_labour as f32).min(1.0)
    } else {
        1.0
    }
}

/// One month of household `i`'s ventures (position `j` in its chunk), in
/// month `m` of year index `y`, before its wage work: in January, failures
/// and wear; then the business's takings (its labour leaves `home_labour`)
/// and the machine's upkeep.
#[inline]
pub fn household(
    (k, streams): (&Ventures, Streams),
    (i, j, m, y): (usize, usize, u8, usize),
    (books, status): (&mut BooksChunk, &mut Status),
    (prod_e, growth, home_labour): (f32, f32, &mut f32),
    (income, costs): (&mut f32, &mut f32),
    sums: &mut Sums,
) {
    let now = y as u8 + 1;
    if books.business_year[j] > 0 {
        if m == 0 {
            if streams.uniform(Purpose::Venture, i as u64, y as u32) < k.business_failure_probability {
                books.business_year[j] = 0;
                sums.failed += 1.0;
            } else if now - books.business_year[j] >= k.business_life_years {
                books.business_year[j] = 0;
                sums.worn_out += 1.0;
            }
        }
        if books.business_year[j] > 0 {
            let share = staffed(k, *home_labour);
            *income += k.business_income as f32 * growth * share * prod_e;
            *home_labour -= k.business_labour as f32 * share;
        }
    }
    if books.machine_year[j] > 0 {
        if m == 0 && now - books.machine_year[j] >= k.machine_life_years {
            books.machine_year[j] = 0;
            status.remove(Status::MACHINE);
            sums.machines_worn_out += 1.0;
            return;
        }
        *costs += (k.machine_upkeep / 12.0) as f32;
    }
}

/// A business's expected net income per year, yuan, for a household with
/// productivity × effort `prod_e`, when a labour unit at home earns `wage`
/// a month per unit of productivity and wages have grown by `growth` since
/// `start_year`: its takings less the wages its labour no longer earns,
/// less its expected loss to failure and its wear (its price over its life).
pub fn business_return(k: &Ventures, prod_e: f32, wage: f32, growth: f32) -> f64 {
    let takings = 12.0 * prod_e as f64 * (k.business_income * growth as f64 - k.business_labour * wage as f64);
    takings - k.business_price * k.business_failure_probability - k.business_price / k.business_life_years as f64
}

/// Whether household `tr` (position `j`, status `st`) could open a
/// business: none open, and the hands to staff it besides an enterprise job.
pub fn can_open(k: &Ventures, (tr, st): (&Traits, Status), books: &BooksChunk, j: usize) -> bool {
    let free = tr.labour - st.contains(Status::JOB) as u8 as f32;
    k.business && books.business_year[j] == 0 && free as f64 >= k.business_labour
}

/// A machine's expected net income per year, yuan, for a household whose
/// customary crops bring `crop_revenue` a year: the gain on them less
/// upkeep and wear (its price over its life).
pub fn machine_return(k: &Ventures, gain: f32, crop_revenue: f64) -> f64 {
    (gain as f64 - 1.0) * crop_revenue - k.machine_upkeep - k.machine_price / k.machine_life_years as f64
}

/// Whether a household of status `st` could buy a machine: it has none.
pub fn can_buy_machine(k: &Ventures, st: Status) -> bool {
    k.machine && !st.contains(Status::MACHINE)
}

/// Open a business at household `j` in year index `y`; returns its price.
pub fn open(k: &Ventures, books: &mut BooksChunk, j: usize, y: usize, sums: &mut Sums) -> f64 {
    books.business_year[j] = y as u8 + 1;
    sums.opened += 1.0;
    sums.invested += k.business_price;
    k.business_price
}

/// Buy a machine for household `j` in year index `y`; returns its price.
pub fn buy_machine(
    k: &Ventures,
    books: &mut BooksChunk,
    status: &mut Status,
    j: usize,
    y: usize,
    sums: &mut Sums,
) -> f64 {
    books.machine_year[j] = y as u8 + 1;
    *status |= Status::MACHINE;
    sums.machines += 1.0;
    sums.invested += k.machine_price;
    k.machine_price
}

/// Value of household `i`'s ventures in year index `y`, yuan: each at its
/// price, less its wear so far (straight-line over its life).
pub fn value(sc: &Setting, books: &Books, i: usize, y: usize) -> f64 {
    let k = &sc.ventures;
    if books.business_year.is_empty() {
        return 0.0;
    }
    let left = |since: u8, life: u8, price: f64| {
        if since == 0 {
            0.0
        } else {
            let age = (y as f64 + 1.0 - since as f64).max(0.0);
            price * (1.0 - age / life as f64).max(0.0)
        }
    };
    left(books.business_year[i], k.business_life_years, k.business_price)
        + left(books.machine_year[i], k.machine_life_years, k.machine_price)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ventures() -> Ventures {
        let f = crate::setting::VenturesFile::default();
        let mut c = crate::check::Checker::default();
        Ventures { business: true, machine: true, ..crate::setting::check_ventures(&mut c, &f) }
    }

    /// One month of household `j` (chunk 0) in month `m` of year `y`, at
    /// productivity × effort `prod_e` with `labour` at home; returns the
    /// month's income and costs.
    fn month(
        k: &Ventures,
        (c, st): (&mut BooksChunk, &mut Status),
        (j, m, y): (usize, u8, usize),
        (prod_e, labour): (f32, &mut f32),
        sums: &mut Sums,
    ) -> (f32, f32) {
        let (mut income, mut costs) = (0.0, 0.0);
        let s = Streams::new(1, 0);
        household((k, s), (j, j, m, y), (c, st), (prod_e, 1.0, labour), (&mut income, &mut costs), sums);
        (income, costs)
    }

    /// A business takes its labour from wage work and pays its takings; it
    /// closes when worn out, and some fail each January, as the keyed draws say.
    #[test]
    fn a_business_pays_takes_labour_fails_and_wears_out() {
        let k = Ventures { business_failure_probability: 0.0, business_life_years: 3, ..ventures() };
        let mut books = Books::new(1, &k);
        let mut c = books.chunks(1, 1);
        let (mut st, mut sums) = (Status::empty(), Sums::default());
        open(&k, &mut c[0], 0, 1, &mut sums);
        let mut labour = 2.0;
        let (income, _) = month(&k, (&mut c[0], &mut st), (0, 5, 1), (0.5, &mut labour), &mut sums);
        assert_eq!((income, labour), (500.0, 1.0));
        // Half-staffed in a month of illness: half the takings.
        let mut labour = 0.5;
        let (income, _) = month(&k, (&mut c[0], &mut st), (0, 5, 1), (1.0, &mut labour), &mut sums);
        assert_eq!((income, labour), (500.0, 0.0));
        month(&k, (&mut c[0], &mut st), (0, 0, 3), (1.0, &mut 1.0), &mut sums);
        assert_eq!(c[0].business_year[0], 2, "two years old in year 3");
        month(&k, (&mut c[0], &mut st), (0, 0, 4), (1.0, &mut 1.0), &mut sums);
        assert_eq!((c[0].business_year[0], sums.worn_out), (0, 1.0));
        // With a 30% chance a year, about 30% of 10,000 businesses fail in a January.
        let k = Ventures { business_failure_probability: 0.3, ..ventures() };
        let n = 10_000;
        let mut books = Books::new(n, &k);
        let mut c = books.chunks(n, 1);
        let mut sums = Sums::default();
        for j in 0..n {
            open(&k, &mut c[0], j, 1, &mut sums);
            month(&k, (&mut c[0], &mut st), (j, 0, 2), (1.0, &mut 1.0), &mut sums);
        }
        assert!((sums.failed / n as f64 - 0.3).abs() < 0.015, "{}", sums.failed);
        assert_eq!(sums.opened, n as f64);
        assert_eq!(sums.invested, n as f64 * k.business_price);
    }

    /// A machine sets the household's machine status, costs upkeep, and is
    /// gone, status and all, after its life.
    #[test]
    fn a_machine_costs_upkeep_and_wears_out() {
        let k = Ventures { machine_life_years: 2, machine_upkeep: 1200.0, ..ventures() };
        let mut books = Books::new(1, &k);
        let mut c = books.chunks(1, 1);
        let (mut st, mut sums) = (Status::empty(), Sums::default());
        assert!(can_buy_machine(&k, st));
        assert_eq!(buy_machine(&k, &mut c[0], &mut st, 0, 1, &mut sums), k.machine_price);
        assert!(st.contains(Status::MACHINE) && !can_buy_machine(&k, st));
        let (_, costs) = month(&k, (&mut c[0], &mut st), (0, 4, 1), (1.0, &mut 1.0), &mut sums);
        assert_eq!(costs, 100.0);
        month(&k, (&mut c[0], &mut st), (0, 0, 3), (1.0, &mut 1.0), &mut sums);
        assert!(!st.contains(Status::MACHINE) && sums.machines_worn_out == 1.0);
    }

    /// Returns rise with the household's productivity and its crops, and
    /// fall with failure risk and the wage the business's labour gives up.
    #[test]
    fn venture_returns_move_the_right_way() {
        let k = ventures();
        assert!(business_return(&k, 1.5, 300.0, 1.0) > business_return(&k, 1.0, 300.0, 1.0));
        assert!(business_return(&k, 1.0, 600.0, 1.0) < business_return(&k, 1.0, 300.0, 1.0));
        let risky = Ventures { business_failure_probability: 0.5, ..k };
        assert!(business_return(&risky, 1.0, 300.0, 1.0) < business_return(&k, 1.0, 300.0, 1.0));
        assert!(machine_return(&k, 1.2, 20_000.0) > machine_return(&k, 1.2, 5_000.0));
        // A business needs its labour free of an enterprise job.
        let mut books = Books::new(1, &k);
        let c = books.chunks(1, 1);
        let one = Traits { labour: 1.0, ..Traits::default() };
        assert!(can_open(&k, (&one, Status::empty()), &c[0], 0));
        assert!(!can_open(&k, (&one, Status::JOB), &c[0], 0));
        assert!(can_open(&k, (&Traits { labour: 2.0, ..one }, Status::JOB), &c[0], 0));
        assert_eq!(machine_return(&k, 1.0, 20_000.0), -k.machine_upkeep - k.machine_price / 10.0);
    }
}
