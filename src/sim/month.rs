//! One month: the model's schedule.
//!
//! 0. After the Spring Festival, with labour choice, adults leave or come home.
//! 1. The month's local wage (a firm pays it); the arm's money: the January
//!    budget, then each instrument's delivery; in January, each firm's jobs
//!    set to those worth their wage (`enterprise::replan`).
//! 2. Markets: spring planting decisions (with a network, households first
//!    learn of assets in January and take crops up from their contacts),
//!    harvest-time clearing; purchase contracts checked at harvest.
//! 3. Cooperatives harvest and pay out; breeding herds breed, die, are
//!    sold or kept (`herd::month`).
//! 4. The household pass (`pass`), after the pooled funds are rationed and
//!    the labour market has opened (closed after it);
//!    it includes households' ventures and their investment choice; after
//!    it the local economy sets next month's sellers' pay and price levels.
//! 5. The pass's flows booked; markets and contracts record the season,
//!    firms' and on-market cooperatives' harvests joining the supply.
//! 6. Enterprises' own accounts (a firm reinvests in December).
//! 7. December: late money lost or carried, identification, the year's row.

use super::measure;
use super::pass::{self, Month, Uses};
use super::shared::{MonthSink, Replicate};
use super::state::State;
use crate::mechanism::{
    budget, cash, cooperative, credit, ecommerce, enterprise, guarantee, health, herd, housing, infrastructure, inkind,
    labour, labour_market, land_centre, loan_guarantee, local_economy, machinery, market, network, package, registry,
    relocation, school, work_teams,
};
use crate::outcome::INSTRUMENTS;
use crate::scenario::Arm;

/// Position of instrument `name` among the `spent.<instrument>` metrics.
fn instrument(name: &str) -> usize {
    match INSTRUMENTS.iter().position(|&i| i == name) {
        Some(k) => k,
        None => unreachable!("instrument {name:?} is not in the registry"),
    }
}

/// One month. `t` counts months from January of the pre-policy year.
/// Pushes the monthly rows of policy months to `sink`; returns the yearly
/// row in December.
pub fn step_month(r: &Replicate, arm: Option<&Arm>, s: &mut State, t: u32, sink: &mut MonthSink) -> Option<Vec<f64>> {
    let sc = r.sc;
    let w = &r.world;
    let (m, y) = ((t % 12) as u8, (t / 12) as usize);
    let spent_before = s.ledger.spent();

    // After the Spring Festival: adults choose to leave or come home.
    if sc.labour.choice && m == sc.labour.decision_month {
        let moves = labour::allocate(w, &sc.labour, &values(r, s, y), &mut s.hh);
        s.work.year.moves.left += moves.left;
        s.work.year.moves.came_home += moves.came_home;
    }
    // What a full-time local worker earns a year: `"firm"` enterprises pay it.
    let growth = labour::growth(&sc.labour, y, sc.price(y as i32));
    s.ent.local_wage = sc.labour.local_wage * s.work.index * growth * 12.0;
    let payment = match arm {
        Some(arm) => deliver(r, arm, s, m, y),
        None => {
            cash::due(None, &budget::Delivery::default(), &mut s.pools, &mut s.ledger, 0, &sc.population.villages, m)
        }
    };
    if m == 0 && y > 0 {
        let work = values(r, s, y);
        // In the order the arm's hiring walks (with its work teams' checks).
        let teams = arm.and_then(|a| work_teams::delivery(a.work_teams.as_ref(), &a.delivery, &s.teams).teams);
        enterprise::replan(w, &sc.enterprises, &mut s.ent, (&mut s.hh, &work), (teams, y));
    }
    if sc.labour.choice {
        // The farms' hired labour counts last season's area of a crop planted this month.
        let leased = leased_areas(r, s);
        labour_market::observe(&mut s.work, s.markets.iter().map(|mk| mk.planted), &leased);
    }
    let planting = market::plant(sc, &mut s.markets, m);
    // Crops spread from household to household, before anyone plants; in January, word of assets.
    if sc.network.on() {
        if m == 0 {
            let held = assets_held(s);
            network::learn(w, &sc.network, &held, &mut s.hh.knows, y);
        }
        for c in (0..planting.len()).filter(|&c| planting[c]) {
            network::adopt(w, &sc.network, c, &s.markets, &mut s.hh, y);
        }
    }
    let price = market::clear(w, &r.prices, &mut s.markets, m, y);
    enterprise::check_contracts(sc, &sc.enterprises, &mut s.ent, &price, m);
    let coop_policy = arm.and_then(|a| a.cooperative.as_ref());
    let linked = (&mut s.ledger, &mut s.linked_to_poor);
    cooperative::payouts(w, &sc.cooperatives, coop_policy, &mut s.coops, &mut s.hh, (&price, y), linked, m);

    herd::month(w, &mut s.herd, &mut s.hh, &price, t);
    let sums = household_pass(r, arm, s, (t, m, y), &planting, &price, payment);
    settle(arm, s, &sums);
    market::record(sc, &mut s.markets, &planting, &sums.market, m);
    enterprise::record_planting(&sc.enterprises, &mut s.ent, &planting, &sums.market);
    enterprise::supply(w, &sc.enterprises, &s.ent, &mut s.markets, &planting, y);
    cooperative::supply(w, &sc.cooperatives, &s.coops, &mut s.markets, &planting);
    let flows = (price.as_slice(), sums.market.contract_paid.as_slice());
    let centre = arm.and_then(|a| a.land_centre).and_then(|k| k.enterprise());
    enterprise::accounts(w, &sc.enterprises, &mut s.ent, &mut s.hh, flows, &mut s.ledger, (m, y), centre);

    if let (11, Some(arm)) = (m, arm) {
        budget::year_end(&arm.delivery, &mut s.pools, &mut s.ledger, t + 1 == 12 + sc.months());
    }
    // Monitoring, in policy months before December's identification: early registration.
    if y > 0 && m != 11 {
        let entered = registry::monitor(&sc.targeting, &mut s.hh, &w.sizes, sc.poverty_line_in(y as i32 - 1));
        s.registered += entered;
        s.early_entries += entered as f64;
    }
    s.fiscal_month = s.ledger.spent() - spent_before;
    s.fiscal_year += s.fiscal_month;
    s.dibao_year += s.dibao_month;
    s.consumption_year += s.consumption_month;
    s.debt_defaults_year += s.debt_defaults_month;
    measure_month(r, arm, s, y, m, sink)
}

/// What local work and migration are worth in year index `y`, for choices.
fn values(r: &Replicate, s: &State, y: usize) -> labour::Values {
    let sc = r.sc;
    let growth = labour::growth(&sc.labour, y, sc.price(y as i32));
    labour::Values::new(&sc.labour, growth, s.work.paid(), sc.behaviour.subsistence)
}

/// The arm's money this month: in January the year's budget, then each
/// instrument's delivery, its spending counted per instrument. Returns this
/// month's cash payment.
fn deliver(r: &Replicate, arm: &Arm, s: &mut State, m: u8, y: usize) -> cash::Payment {
    let sc = r.sc;
    let w = &r.world;
    let shares = arm.shares();
    if m == 0 {
        s.ent.new_year();
        budget::restore_carry(&shares, &mut s.pools);
        budget::allocate(arm.budget.as_ref().unwrap_or(&sc.budget), &shares, &mut s.pools, &mut s.ledger, y);
    }
    run("work_teams", s, &mut |s| {
        if let Some(k) = &arm.work_teams {
            let books = (&mut s.pools.work_teams, &mut s.ledger);
            work_teams::field(w, (k, sc.targeting.work_team_check), &mut s.teams, books, m);
        }
    });
    // Teams in the field shorten the approval delay.
    let d = &work_teams::delivery(arm.work_teams.as_ref(), &arm.delivery, &s.teams);
    let paid = s.served(arm.cash.as_ref().is_none_or(|c| c.transition));
    let payment = cash::due(arm.cash.as_ref(), d, &mut s.pools, &mut s.ledger, paid, &sc.population.villages, m);
    let when = guarantee::When { delivery: d, m, y };
    let work = values(r, s, y);
    run("enterprise", s, &mut |s| {
        if let Some(e) = &arm.enterprise {
            let books = (&mut s.pools.enterprise, &mut s.ledger);
            enterprise::tranche(w, &sc.enterprises, e, d, &mut s.ent, (&mut s.hh, &work), books, m, y);
        }
    });
    run("cooperative", s, &mut |s| {
        if let Some(c) = &arm.cooperative {
            let books = (&mut s.pools, &mut s.ledger);
            cooperative::grant(w, &sc.cooperatives, c, d, &mut s.coops, &mut s.hh, books, m);
        }
    });
    run("inkind", s, &mut |s| {
        if let Some(k) = &arm.inkind {
            inkind::handout(w, k, d, (&mut s.inkind, &mut s.herd), &mut s.hh, (&mut s.pools, &mut s.ledger), m, y);
        }
    });
    run("school", s, &mut |s| {
        if let Some(k) = &arm.school {
            school::enrol(w, k, d, &mut s.school, &s.hh, (&mut s.pools.school, &mut s.ledger), m, y);
            let back = (k.back_to_school_cost, k.transition, k.enrol_month);
            let books = (&mut s.pools.school, &mut s.ledger);
            s.guarantees.back_to_school += guarantee::back_to_school(w, back, when, &mut s.hh, books);
        }
    });
    run("health_aid", s, &mut |s| {
        if let Some(k) = &arm.health_aid {
            let books = (&mut s.pools.health, &mut s.ledger);
            s.guarantees.insured_by_aid += guarantee::insure(w, (k.premium, k.transition), when, &mut s.hh, books);
        }
    });
    run("infrastructure", s, &mut |s| {
        if let Some(k) = &arm.infrastructure {
            infrastructure::build(k, d, &mut s.infra, (&mut s.pools, &mut s.ledger), 12 * y as u32 + m as u32);
        }
    });
    run("ecommerce", s, &mut |s| {
        if let Some(k) = &arm.ecommerce {
            let books = (&mut s.pools.ecommerce, &mut s.ledger);
            s.ecommerce_linked += ecommerce::link(w, k, d, &mut s.hh, books, m, y);
        }
    });
    households(r, arm, s, when);
    payment
}

/// Run `f` on the state, counting what it spends as instrument `name`'s.
fn run(name: &str, s: &mut State, f: &mut dyn FnMut(&mut State)) {
    let before = s.ledger.spent();
    f(s);
    s.spent_by[instrument(name)] += s.ledger.spent() - before;
}

/// The month's deliveries to households chosen one by one: land
/// transfers, moves, houses, packages, machines and loans.
fn households(r: &Replicate, arm: &Arm, s: &mut State, when: guarantee::When) {
    let w = &r.world;
    let (d, m, y) = (when.delivery, when.m, when.y);
    run("land_centre", s, &mut |s| {
        if let Some(k) = &arm.land_centre {
            let books = (&mut s.pools.land_centre, &mut s.ledger);
            let firms = (&mut s.ent, &mut s.coops);
            let to = land_centre::taker(w, k, firms, (&r.sc.enterprises, &r.sc.cooperatives), arm.cooperative.as_ref());
            land_centre::transfer(w, (k, d), to, &mut s.hh, books, (&s.infra.income, m, y));
        }
    });
    run("relocation", s, &mut |s| {
        if let Some(k) = &arm.relocation {
            let books = (&mut s.pools.relocation, &mut s.ledger);
            let moves = relocation::relocate(w, k, d, &mut s.hh, books, 12 * y as u32 + m as u32);
            s.moves.moved += moves.moved;
            s.moves.returned += moves.returned;
        }
    });
    run("housing", s, &mut |s| {
        if let Some(k) = &arm.housing {
            let books = (&mut s.pools.housing, &mut s.ledger);
            s.guarantees.houses_renovated += housing::renovate(w, k, when, &mut s.hh, books);
        }
    });
    run("package", s, &mut |s| {
        if let Some(k) = &arm.package {
            let served = s.served(k.transition);
            let t = package::Targets {
                allowances: &mut s.allowances,
                cover: &mut s.cover,
                school: &mut s.school,
                inkind: &mut s.inkind,
                herd: &mut s.herd,
            };
            package::handout(w, k, d, served, t, &mut s.hh, (&mut s.pools.package, &mut s.ledger), m, y);
        }
    });
    run("machinery", s, &mut |s| {
        if let Some(k) = &arm.machinery {
            let books = (&mut s.pools.machinery, &mut s.ledger);
            machinery::buy(w, k, d, &mut s.machinery, &mut s.hh, books, m, y);
        }
    });
    run("loan_guarantee", s, &mut |s| {
        if let Some(k) = &arm.loan_guarantee {
            let books = (&mut s.pools.loan_guarantee, &mut s.ledger);
            let t = 12 * y as u32 + m as u32;
            loan_guarantee::lend(w, k, d, (&mut s.company, &mut s.credit), &s.hh.status, books, t);
        }
    });
    if let Some(k) = &arm.credit {
        let partners_gone =
            (s.ent.firms.first().is_some_and(|e| !e.alive), s.coops.states.first().is_some_and(|c| !c.alive));
        credit::lend(w, k, d, &mut s.credit, &s.hh.status, partners_gone, m, y);
    }
}

/// Set up this month's household pass and run it.
fn household_pass(
    r: &Replicate,
    arm: Option<&Arm>,
    s: &mut State,
    (t, m, y): (u32, u8, usize),
    planting: &[bool],
    price: &[f64],
    cash: cash::Payment,
) -> pass::Sums {
    let sc = r.sc;
    let w = &r.world;
    let nc = sc.commodities.len();
    let nv = sc.population.villages.len();
    let growth = labour::growth(&sc.labour, y, sc.price(y as i32));
    let events = market::events(sc, &s.markets, planting, price, m);
    let hazard_row = &w.hazard[y * nv * nc..(y + 1) * nv * nc];
    let survival = market::survival(w, m, y);
    let (health_fraction, credit_fraction) = pass::rationing(r, arm, s, t);
    let species = s.herd.species.clone();
    // The villages' infrastructure factors, lent to the pass (which takes the state) and put back.
    let infra = std::mem::take(&mut s.infra);
    let local = std::mem::take(&mut s.local);
    let crops: Vec<usize> =
        (0..nc).filter(|&c| sc.commodities[c].kind == crate::setting::CommodityKind::Crop).collect();
    let farm = if sc.labour.choice { labour_market::farm_demand(sc, &s.work.areas, m) } else { 0.0 };
    let rates = labour_market::open(&sc.labour, &mut s.work, farm, growth);
    let mo = Month {
        r,
        arm,
        t,
        m,
        y,
        uses: Uses::of(arm, sc.schooling.self_financed, sc.commodities.iter().any(|c| c.planting_cost > 0.0)),
        fields: market::Fields {
            w,
            events: &events,
            hazard_row,
            y,
            survival: &survival,
            access: &infra.access,
            online: arm.and_then(|a| a.ecommerce).map_or(1.0, |k| k.price_factor()),
            entry: sc.network.entry_share as f32,
        },
        season: inkind::Season { w, m, y, price, hazard_row },
        pay: enterprise::pay(&sc.enterprises, &s.ent),
        cash,
        aid: health::Aid {
            active: arm.is_some_and(|a| a.health_aid.is_some() || a.package.is_some()),
            cover: arm.and_then(|a| a.health_aid.as_ref()).map_or(0.0, |h| h.cover),
            fraction: health_fraction,
            transition: arm.and_then(|a| a.health_aid.as_ref()).is_none_or(|h| h.transition),
        },
        credit_fraction,
        rates,
        machine_gain: machinery::gain(arm.and_then(|a| a.machinery.as_ref()), &sc.ventures),
        // Graduates' skilled wages are set in first-policy-year prices.
        graduate_growth: (growth / (1.0 + sc.labour.wage_growth)) as f32,
        species: &species,
        village_income: &infra.income,
        site: arm
            .and_then(|a| a.relocation.as_ref())
            .map(|k| relocation::Site::new(k, labour::rates(&sc.labour, growth), t)),
        local: local.pay(),
        crops: &crops,
    };
    let sums = pass::run(&mo, s);
    s.infra = infra;
    s.local = local;
    local_economy::close(&r.sc.local_economy, w, &mut s.local, &sums.local_spent, (&s.hh, &s.books.business_year));
    s.local.sales_year += sums.local_sales;
    labour_market::close(&sc.labour, &mut s.work, sums.supply, growth, m);
    sums
}

/// The assets each household holds, as `network::BUSINESS`, `MACHINE` and `HERD` bits.
fn assets_held(s: &State) -> Vec<u8> {
    let nb = s.herd.species.len();
    (0..s.hh.status.len())
        .map(|i| {
            let business = s.books.business_year.get(i).is_some_and(|&y| y > 0);
            let machine = s.hh.status[i].contains(crate::household::Status::MACHINE);
            let herd = nb > 0 && s.herd.herds.females[i * nb..(i + 1) * nb].iter().any(|&f| f > 0.0);
            business as u8 * network::BUSINESS + machine as u8 * network::MACHINE + herd as u8 * network::HERD
        })
        .collect()
}

/// The land enterprises lease and farm, mu by commodity.
fn leased_areas(r: &Replicate, s: &State) -> Vec<f64> {
    let mut areas = vec![0.0; r.sc.commodities.len()];
    for (spec, firm) in r.sc.enterprises.iter().zip(&s.ent.firms) {
        areas[spec.commodity] += firm.leased_mu;
    }
    areas
}

/// Book the pass's flows: payments, the rationed pools, spending by
/// instrument, and cooperative loan defaults covered by the cooperative's
/// capital in household order.
fn settle(arm: Option<&Arm>, s: &mut State, sums: &pass::Sums) {
    let (cash, aid, credit) = (&sums.cash, &sums.health, &sums.credit);
    // The guarantee company pays from its capital, already spent; 1+3 credit from its pool.
    let company = arm.is_some_and(|a| a.loan_guarantee.is_some());
    let from_pool = if company { (0.0, 0.0) } else { (credit.to_poor, credit.to_nonpoor) };
    let l = &mut s.ledger;
    l.to_poor_households += cash.to_poor + aid.aid_to_poor + from_pool.0;
    l.to_nonpoor_households += cash.to_nonpoor + aid.aid_to_nonpoor + from_pool.1;
    l.diverted += cash.leaked;
    if company {
        loan_guarantee::settle(&mut s.company, (credit.to_poor, credit.to_nonpoor), l);
    }
    s.pools.health = (s.pools.health - aid.aid_to_poor - aid.aid_to_nonpoor).max(0.0);
    s.pools.credit = (s.pools.credit - from_pool.0 - from_pool.1).max(0.0);
    s.credit.defaults += credit.defaults;
    cooperative::settle(arm.and_then(|a| a.cooperative.as_ref()), &mut s.coops, &s.hh, &sums.coop, &mut s.ledger);
    s.spent_by[instrument("cash")] += cash.to_poor + cash.to_nonpoor + cash.leaked;
    s.spent_by[instrument("health_aid")] += aid.aid_to_poor + aid.aid_to_nonpoor;
    s.spent_by[instrument("credit")] += from_pool.0 + from_pool.1;
    s.dibao_month = sums.dibao_paid;
    s.consumption_month = sums.consumption;
    s.debt_defaults_month = sums.debt_defaults;
    s.inkind.tally.died += sums.inkind.died;
    let invest = &sums.invest;
    s.herd.tally.bought += invest.herd.bought;
    s.herd.tally.invested += invest.herd.invested;
    s.inkind.tally.planting_invested += invest.trees;
    s.school.enrolled += invest.school.enrolled;
    s.school.self_paid += invest.school.self_paid;
    s.ventures.add(&invest.ventures);
    s.inkind.tally.inkind_income += sums.inkind.inkind_income;
    s.linked_to_poor += sums.ent.linked_to_poor;
}

/// The month's metrics: the monthly rows when wanted, and in December the
/// identification and the year's row.
fn measure_month(
    r: &Replicate,
    arm: Option<&Arm>,
    s: &mut State,
    y: usize,
    m: u8,
    sink: &mut MonthSink,
) -> Option<Vec<f64>> {
    let sc = r.sc;
    if !sink.wanted && m != 11 {
        return None;
    }
    let line = sc.poverty_line_in(y as i32 - 1);
    let p = measure::poverty(r, s, line);
    if arm.is_some() && sink.wanted {
        measure::monthly(s, &p, sink);
    }
    if m != 11 {
        return None;
    }
    let g = &sc.guarantees;
    let rules = (&sc.targeting, g, &s.teams);
    let id = registry::identify(&r.world, rules, &sc.dibao, &mut s.hh, &mut s.dibao, y as u32, line);
    if y == 0 {
        // Households poor before the policy lack guarantees (the same in every arm).
        guarantee::draw(&r.world, g, &mut s.hh);
    }
    s.registered = id.registered;
    s.held = id.held;
    s.in_transition = id.in_transition;
    let row = measure::yearly(r, s, &p, &id, y);
    s.fiscal_year = 0.0;
    s.dibao_year = 0.0;
    s.consumption_year = 0.0;
    s.debt_defaults_year = 0.0;
    s.early_entries = 0.0;
    s.ent.close_year();
    s.local.close_year();
    // Each household's account starts the new year at its savings.
    for (booked, &savings) in s.hh.booked.iter_mut().zip(&s.hh.savings) {
        *booked = savings as f64;
    }
    Some(row)
}
