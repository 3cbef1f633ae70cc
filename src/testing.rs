//! Test support: the shipped township at a small size, with its replicate
//! and opening state, for the mechanisms' unit tests.

use crate::scenario::Scenario;
use crate::sim::{Replicate, State};

/// The shipped township with `households` households.
pub fn township(households: usize) -> Scenario {
    shipped("township", households)
}

/// Shipped scenario `name` (`scenarios/<name>.toml`) with `households` households.
pub fn shipped(name: &str, households: usize) -> Scenario {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("scenarios/{name}.toml"));
    let mut sc = Scenario::load(&path).expect("a shipped scenario loads");
    sc.population.households = households;
    sc
}

/// Replicate 0 of `sc` and the state at the end of its pre-policy year.
pub fn after_pre_policy_year(sc: &Scenario) -> (Replicate<'_>, State) {
    let r = Replicate::new(sc, 0);
    let (s, _) = crate::sim::pre_policy_year(&r);
    (r, s)
}

/// The index of commodity `name`.
pub fn commodity(sc: &Scenario, name: &str) -> usize {
    sc.commodities.iter().position(|c| c.name == name).expect("a shipped commodity")
}

/// The household pass's investment choice ([`crate::mechanism::invest`])
/// for every household in turn, in month `m` of year index `y` at prices
/// `price`, from its savings (as if its month's income less need were
/// already in them): for tests that step investment alone. Returns what the
/// choices add up to.
pub fn invest(r: &Replicate, s: &mut State, price: &[f64], (m, y): (u8, usize)) -> crate::mechanism::invest::Sums {
    use crate::mechanism::{consumption, dependency, invest};
    let w = &r.world;
    let (b, n, nc) = (&w.sc.behaviour, w.households(), w.sc.commodities.len());
    let species = s.herd.species.clone();
    let nb = species.len();
    let wage = crate::mechanism::labour::rates(&w.sc.labour, 1.0).wage;
    let machine_gain = crate::mechanism::machinery::gain(None, &w.sc.ventures);
    let menu = invest::Menu::new(w, &species, price, (m, y), machine_gain, (wage, 1.0));
    let mut sums = invest::Sums::default();
    let mut holdings = s.inkind.holdings.chunks(n, nc);
    let mut students = s.school.students.chunks(n, nc);
    let mut books = if s.books.business_year.is_empty() { None } else { Some(s.books.chunks(n, nc)) };
    let mut none = crate::mechanism::venture::Books::none();
    for i in 0..n {
        let need = b.subsistence as f32 * w.traits[i].adult_eq;
        let on_hand = consumption::investable(b, need, s.hh.savings[i]);
        let effort = dependency::effort(b, s.hh.dependency[i]);
        let mut stocks = invest::Stocks {
            females: &mut s.herd.herds.females[i * nb..(i + 1) * nb],
            holdings: &mut holdings[0],
            students: &mut students[0],
            books: books.as_mut().map_or(&mut none, |c| &mut c[0]),
            area: &mut s.hh.area[i * nc..(i + 1) * nc],
            status: &mut s.hh.status[i],
            knows: s.hh.knows[i],
        };
        s.hh.savings[i] -= invest::household(&menu, (i, i), &mut stocks, (on_hand, effort), &mut sums) as f32;
    }
    sums
}
