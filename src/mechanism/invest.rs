//! The household's investment choice (MODEL.md §9): every month, after the
//! month's income and before consumption, a household ranks the options it
//! can reach and buys them in order of their return while its cash on hand
//! lasts.
//!
//! Cash on hand is savings plus the month's net income, less the month's
//! need and the buffer, plus what it may borrow
//! (`behaviour.investment_credit_months` of need; [`super::consumption::investable`]).
//! Debt is repaid first: a household in debt has that much less on hand.
//!
//! The options, each indivisible, each with its own rule for whether it is
//! worth its price at the hurdle `behaviour.investment_hurdle`:
//! - breeding females of a species (any month; [`super::herd::best`]);
//! - a mu or more of trees, in the crop's planting month
//!   ([`super::inkind::trees_rate`]);
//! - a teenager's vocational course, in the enrolment month
//!   ([`super::school::course_rate`]);
//! - a small business, and a farm machine ([`super::venture`]).
//!
//! They are ranked by their expected net yield a year per yuan of price:
//! for animals, a business and a machine, their expected net income a year
//! (after losses and wear) over their price; for trees and a course, whose
//! returns come late, the hurdle plus their net present value at the hurdle
//! spread evenly over the years the household counts on. Each option is
//! taken at most once a month; ties go to the earlier option in the list
//! above.

use super::venture::{self, BooksChunk};
use super::{herd, inkind, network, school};
use crate::household::Status;
use crate::setting::CommodityKind;
use crate::world::World;

/// What a household could buy.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Option_ {
    /// Breeding females of the species in this slot.
    Herd(usize),
    /// Trees of this commodity.
    Trees(usize),
    Course,
    Business,
    Machine,
}

impl Option_ {
    /// Its place in the list of options (and in the month's "taken" flags).
    fn slot(self) -> usize {
        match self {
            Option_::Herd(_) => 0,
            Option_::Trees(_) => 1,
            Option_::Course => 2,
            Option_::Business => 3,
            Option_::Machine => 4,
        }
    }
}

/// What every household's choice reads this month.
pub struct Menu<'a> {
    pub w: &'a World<'a>,
    /// Commodity index of each breeding species.
    pub species: &'a [usize],
    /// Every commodity's latest price.
    pub price: &'a [f64],
    pub m: u8,
    pub y: usize,
    /// A machine's factor on crop output.
    pub machine_gain: f32,
    /// A labour unit's expected local wage a month, per unit of productivity.
    pub wage: f32,
    /// Wage growth since `start_year` (a business's takings grow with it).
    pub growth: f32,
    /// Whether a tree crop with a `planting_cost` is planted this month.
    pub trees_now: bool,
    /// Whether households may pay for school themselves and enrol this month.
    pub course_now: bool,
    /// Productivity factor per village from finished infrastructure (empty: 1 everywhere).
    pub village_income: &'a [f32],
    /// With `[network]`: a household reaches a business, a machine or breeding animals only once it knows them
    /// (its `knows` column, `network::learn`).
    pub gated: bool,
}

impl<'a> Menu<'a> {
    /// The menu of month `m` of year index `y`, at prices `price`, a
    /// machine's factor `machine_gain` and a labour unit's wage `wage`.
    pub fn new(
        w: &'a World<'a>,
        species: &'a [usize],
        price: &'a [f64],
        (m, y): (u8, usize),
        machine_gain: f32,
        (wage, growth): (f32, f32),
    ) -> Menu<'a> {
        let sc = w.sc;
        let trees_now = sc.commodities.iter().any(|c| c.planting_cost > 0.0 && c.plant_month == m);
        let course_now = sc.schooling.self_financed && sc.schooling.enrol_month == m;
        let village_income = &[];
        Menu {
            w,
            species,
            price,
            m,
            y,
            machine_gain,
            wage,
            growth,
            trees_now,
            course_now,
            village_income,
            gated: false,
        }
    }

    /// Whether an option besides breeding animals can be reached this month.
    /// Without, a household's choice ends with its first purchase.
    fn others(&self) -> bool {
        self.trees_now || self.course_now || self.w.sc.ventures.any()
    }
}

impl Menu<'_> {
    /// Whether any household could invest in anything: without, the pass skips the choice.
    pub fn any(w: &World, species: &[usize]) -> bool {
        let sc = w.sc;
        !species.is_empty()
            || sc.schooling.self_financed
            || sc.ventures.any()
            || sc.commodities.iter().any(|c| c.planting_cost > 0.0)
    }
}

/// A household's stocks the choice may add to: its breeding females by
/// species, its orchard, its students, its ventures, its fields and status.
pub struct Stocks<'a, 'b> {
    pub females: &'a mut [f32],
    pub holdings: &'a mut inkind::HoldingsChunk<'b>,
    pub students: &'a mut school::StudentsChunk<'b>,
    pub books: &'a mut BooksChunk<'b>,
    /// The household's area by commodity.
    pub area: &'a mut [f32],
    pub status: &'a mut Status,
    /// The assets it knows (`network::BUSINESS`, `MACHINE`, `HERD`).
    pub knows: u8,
}

/// What the choices of a chunk of households add up to.
#[derive(Debug, Clone, Default)]
pub struct Sums {
    pub herd: herd::Sums,
    /// Yuan paid to plant trees.
    pub trees: f64,
    pub school: school::Sums,
    pub ventures: venture::Sums,
}

impl Sums {
    pub fn add(&mut self, o: &Sums) {
        self.herd.add(&o.herd);
        self.trees += o.trees;
        self.school.add(&o.school);
        self.ventures.add(&o.ventures);
    }
}

/// Household `i` (position `j` in its chunk) invests from cash on hand
/// `on_hand` at effort `effort`: it takes the best-ranked option it can
/// afford, then the next from what is left, until none remains. Returns
/// the yuan paid.
pub fn household(
    mu: &Menu,
    (i, j): (usize, usize),
    st: &mut Stocks,
    (on_hand, effort): (f64, f32),
    sums: &mut Sums,
) -> f64 {
    let mut left = on_hand;
    let mut taken = [false; 5];
    let others = mu.others();
    loop {
        let best = rank(mu, (i, j), st, (left, effort), &taken);
        let Some((choice, _)) = best else { break };
        taken[choice.slot()] = true;
        let paid = buy(mu, (i, j), st, choice, left, sums);
        left -= paid;
        if !others {
            break;
        }
    }
    on_hand - left
}

/// The best option household `i` can reach and afford with `left`, among
/// those not yet `taken` this month, with its rate.
fn rank(
    mu: &Menu,
    (i, j): (usize, usize),
    st: &Stocks,
    (left, effort): (f64, f32),
    taken: &[bool; 5],
) -> Option<(Option_, f64)> {
    let w = mu.w;
    let sc = w.sc;
    let tr = &w.traits[i];
    let hurdle = sc.behaviour.investment_hurdle;
    let village = mu.village_income.get(tr.village as usize).copied().unwrap_or(1.0);
    let prod_e = tr.productivity * effort * village;
    let mut best: Option<(Option_, f64)> = None;
    let mut consider = |o: Option_, rate: f64| {
        if best.is_none_or(|b| rate > b.1) {
            best = Some((o, rate));
        }
    };
    // Only the options not yet taken this month are valued, and with a network only the assets it knows.
    let known = |bit: u8| !mu.gated || st.knows & bit != 0;
    let open = |o: Option_| {
        !taken[o.slot()]
            && match o {
                Option_::Herd(_) => known(network::HERD),
                Option_::Business => known(network::BUSINESS),
                Option_::Machine => known(network::MACHINE),
                _ => true,
            }
    };
    if open(Option_::Herd(0)) {
        if let Some((s, rate)) = herd::best(w, mu.species, i, st.females, (left, effort), mu.price) {
            consider(Option_::Herd(s), rate);
        }
    }
    if !mu.others() {
        return best;
    }
    if mu.trees_now && open(Option_::Trees(0)) {
        if let Some((c, rate)) = inkind::trees_rate(w, (i, j), st.holdings, st.area, (mu.m, left, effort), mu.price) {
            consider(Option_::Trees(c), rate);
        }
    }
    if mu.course_now && open(Option_::Course) {
        if let Some(rate) = school::course_rate(sc, tr, st.students, j, (mu.m, mu.y), left) {
            consider(Option_::Course, rate);
        }
    }
    let k = &sc.ventures;
    if open(Option_::Business) && venture::can_open(k, (tr, *st.status), st.books, j) && left >= k.business_price {
        let rate = venture::business_return(k, prod_e, mu.wage, mu.growth) / k.business_price;
        if rate > hurdle {
            consider(Option_::Business, rate);
        }
    }
    if open(Option_::Machine) && venture::can_buy_machine(k, *st.status) && left >= k.machine_price {
        let rate = venture::machine_return(k, mu.machine_gain, crop_revenue(mu, i, st.area, prod_e)) / k.machine_price;
        if rate > hurdle {
            consider(Option_::Machine, rate);
        }
    }
    best
}

/// Buy `choice` with `left`; returns the yuan paid.
fn buy(mu: &Menu, (i, j): (usize, usize), st: &mut Stocks, choice: Option_, left: f64, sums: &mut Sums) -> f64 {
    let w = mu.w;
    let sc = w.sc;
    match choice {
        Option_::Herd(s) => herd::buy(w, mu.species, i, st.females, s, left, &mut sums.herd),
        Option_::Trees(c) => {
            let paid = inkind::plant(w, (i, j), st.holdings, st.area, (c, mu.y, left));
            sums.trees += paid;
            paid
        }
        Option_::Course => school::pay_course(sc, st.students, j, &mut sums.school),
        Option_::Business => venture::open(&sc.ventures, st.books, j, mu.y, &mut sums.ventures),
        Option_::Machine => venture::buy_machine(&sc.ventures, st.books, st.status, j, mu.y, &mut sums.ventures),
    }
}

/// What household `i`'s customary crops on `area` bring in a year at the
/// latest prices, at productivity × effort `prod_e`: the yield a machine
/// raises.
fn crop_revenue(mu: &Menu, i: usize, area: &[f32], prod_e: f32) -> f64 {
    let w = mu.w;
    let sc = w.sc;
    let nc = sc.commodities.len();
    let v = w.traits[i].village as usize;
    (0..nc)
        .filter(|&c| sc.commodities[c].kind != CommodityKind::Livestock)
        .map(|c| area[c] as f64 * w.yield_suit[v * nc + c] as f64 * mu.price[c] * prod_e as f64)
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::mechanism::dependency;
    use crate::sim::Replicate;
    use crate::testing::{after_pre_policy_year, commodity, shipped};

    /// Households that could buy a cow (worth holding, room for one) and
    /// have the hands for a business, each given `cash` on hand (no credit),
    /// with businesses earning `income` a month. Returns, per household, the
    /// cows and businesses it bought and the yuan it paid.
    fn choose(income: f64, cash: f64) -> Vec<(f32, u8, f32)> {
        let mut sc = shipped("breeding_livestock", 400);
        sc.setting.behaviour.investment_credit_months = 0.0;
        let (_, mut s) = after_pre_policy_year(&sc);
        sc.setting.ventures.business = true;
        sc.setting.ventures.business_income = income;
        let r = Replicate::new(&sc, 0);
        let w = &r.world;
        let (b, n, nb) = (sc.behaviour, w.households(), s.herd.species.len());
        s.books = venture::Books::new(n, &sc.ventures);
        let price: Vec<f64> = sc.commodities.iter().map(|k| k.base_price).collect();
        let able: Vec<usize> = (0..n)
            .filter(|&i| {
                let effort = dependency::effort(&b, s.hh.dependency[i]);
                let females = &s.herd.herds.females[i * nb..(i + 1) * nb];
                let cow = herd::best(w, &s.herd.species, i, females, (1e9, effort), &price).is_some();
                cow && w.traits[i].labour as f64 >= sc.ventures.business_labour
            })
            .collect();
        assert!(able.len() > 20, "{} households could buy either", able.len());
        // Nobody else has cash on hand.
        s.hh.savings.iter_mut().for_each(|x| *x = 0.0);
        for &i in &able {
            s.hh.savings[i] = (b.buffer_months * b.subsistence) as f32 * w.traits[i].adult_eq + cash as f32;
        }
        let before = (s.herd.herds.females.clone(), s.hh.savings.clone());
        let sums = crate::testing::invest(&r, &mut s, &price, (5, 1));
        let out: Vec<(f32, u8, f32)> = able
            .iter()
            .map(|&i| {
                (
                    s.herd.herds.females[i * nb] - before.0[i * nb],
                    s.books.business_year[i],
                    before.1[i] - s.hh.savings[i],
                )
            })
            .collect();
        let cows: f32 = out.iter().map(|o| o.0).sum();
        let paid: f32 = out.iter().map(|o| o.2).sum();
        // Every yuan paid bought something, at its price.
        let cow = sc.commodities[commodity(&sc, "cattle")].breeding.as_ref().unwrap().female_price;
        assert_eq!(sums.herd.bought, cows as f64);
        assert_eq!(sums.herd.invested + sums.ventures.invested, paid as f64);
        assert_eq!(sums.ventures.invested, sums.ventures.opened * sc.ventures.business_price);
        assert_eq!(sums.herd.invested, cows as f64 * cow);
        out
    }

    /// With cash for one option, a household takes the one that pays more
    /// per yuan: a business that pays far more than a cow, cows when the
    /// business does not clear the hurdle. With cash for both, it takes the
    /// better one first and the next with what is left.
    #[test]
    fn a_household_takes_the_best_paying_option_first_then_the_next_with_what_is_left() {
        let (price, cow) = (15_000.0, 7_000.0);
        let rich = choose(100_000.0, price + 1.0);
        assert!(rich.iter().all(|&(cows, business, paid)| cows == 0.0 && business == 2 && paid == price as f32));
        let poor = choose(0.0, price + 1.0);
        assert!(poor.iter().all(|&(cows, business, _)| cows >= 1.0 && business == 0));
        let both = choose(100_000.0, price + cow + 1.0);
        assert!(both
            .iter()
            .all(|&(cows, business, paid)| cows == 1.0 && business == 2 && paid == (price + cow) as f32));
    }
}
