//! Policy instruments and their delivery (MODEL.md §4.4, 4.8, 4.9, 4.13).
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
//! Every yuan paid is booked in the ledger as it moves.

use crate::engine::{book_payment, CoopState, State, World, COOP, POOR, REGISTERED};
use crate::model::cooperative::keyed_walk;
use crate::model::population::Cause;
use crate::rng::Purpose;
use crate::scenario::{Arm, CommodityKind, CreditMode, Procurement};
use rayon::prelude::*;

/// A handout raises dependency in proportion to its value in months of the
/// household's subsistence need, up to this many months per handout.
pub const MAX_HANDOUT_MONTHS: f64 = 3.0;

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
}

/// Instruments, in the order of the `spent.<instrument>` metrics.
pub use crate::outcome::INSTRUMENTS;
pub const CASH: usize = 0;
pub const ENTERPRISE: usize = 1;
pub const COOPERATIVE: usize = 2;
pub const INKIND: usize = 3;
pub const SCHOOL: usize = 4;
pub const HEALTH: usize = 5;
pub const PACKAGE: usize = 6;
pub const CREDIT: usize = 7;
pub const MACHINERY: usize = 8;

/// January: the year's budget arrives and is split across instruments.
pub fn allocate(w: &World, arm: &Arm, s: &mut State, y: usize) {
    let sc = w.sc;
    let b = sc.budget_in(y - 1);
    s.ledger.budget += b;
    // Administration is charged only on instruments that run.
    let instruments = arm.instrument_share();
    let admin = if instruments > 0.0 { sc.budget.admin_share } else { 0.0 };
    s.ledger.admin += b * admin;
    s.ledger.unspent += b * (1.0 - admin - instruments).max(0.0);
    let p = &mut s.pools;
    if let Some(c) = arm.cash {
        p.cash += b * c.budget_share;
        p.cash_per_payment = p.cash / 12u32.div_ceil(c.interval_months) as f64;
    }
    p.enterprise += arm.enterprise.map_or(0.0, |e| b * e.budget_share);
    p.cooperative += arm.cooperative.map_or(0.0, |c| b * c.budget_share);
    p.inkind += arm.inkind.as_ref().map_or(0.0, |k| b * k.budget_share);
    p.school += arm.school.map_or(0.0, |k| b * k.budget_share);
    p.health += arm.health_aid.map_or(0.0, |k| b * k.budget_share);
    p.package += arm.package.as_ref().map_or(0.0, |k| b * k.budget_share);
    p.credit += arm.credit.map_or(0.0, |k| b * k.budget_share);
    p.machinery += arm.machinery.map_or(0.0, |k| b * k.budget_share);
}

/// Whether money due in month `due` arrives this month, given the delay;
/// `None` if it arrives only after December.
fn arrives(arm: &Arm, due: u8, m: u8) -> Option<bool> {
    let at = due as u32 + arm.delivery.delay_months;
    if at > 11 {
        None
    } else {
        Some(at == m as u32)
    }
}

/// Close the year: money that could not arrive in time is lost or carried
/// over; in the last year what is left is unspent.
pub fn year_end(arm: &Arm, s: &mut State, last_year: bool) {
    let p = &mut s.pools;
    let (cash, enterprise) = (std::mem::take(&mut p.cash), std::mem::take(&mut p.enterprise));
    let seasonal = std::mem::take(&mut p.cooperative)
        + std::mem::take(&mut p.inkind)
        + std::mem::take(&mut p.school)
        + std::mem::take(&mut p.health)
        + std::mem::take(&mut p.package)
        + std::mem::take(&mut p.credit)
        + std::mem::take(&mut p.machinery);
    if arm.delivery.late_lost {
        s.ledger.lost_late += cash + enterprise;
    } else {
        p.carried_cash += cash;
        p.carried_enterprise += enterprise;
    }
    // Money for the other instruments that found no use this year (no
    // eligible recipient, or the seasonal item's money left over) goes back
    // to the treasury.
    s.ledger.unspent += seasonal;
    if last_year {
        let p = &mut s.pools;
        s.ledger.unspent += std::mem::take(&mut p.carried_cash)
            + std::mem::take(&mut p.carried_enterprise)
            + std::mem::take(&mut p.carried_cooperative)
            + std::mem::take(&mut p.carried_inkind);
    }
}

/// Money carried from last year rejoins the cash and enterprise pools in January.
pub fn restore_carry(arm: &Arm, s: &mut State) {
    let p = &mut s.pools;
    p.cash += std::mem::take(&mut p.carried_cash);
    p.enterprise += std::mem::take(&mut p.carried_enterprise);
    if let Some(c) = arm.cash {
        p.cash_per_payment = p.cash / 12u32.div_ceil(c.interval_months) as f64;
    }
}

/// The money of a seasonal instrument (due in month `due`, useful only up to
/// month `season`) that can be spent this month: last year's late money,
/// already approved, arrives on time in the due month; this year's arrives
/// after the delay, and if that is after the season, or after December, it
/// is late (lost or carried over).
fn seasonal_arrival(
    arm: &Arm,
    ledger: &mut crate::ledger::Ledger,
    (pool, carried): (&mut f64, &mut f64),
    due: u8,
    season: u8,
    m: u8,
) -> f64 {
    let mut now = if m == due { std::mem::take(carried) } else { 0.0 };
    match arrives(arm, due, m) {
        Some(true) if m <= season => now += std::mem::take(pool),
        Some(true) => late_seasonal(arm, ledger, carried, std::mem::take(pool)),
        None if m == 11 => late_seasonal(arm, ledger, carried, std::mem::take(pool)),
        _ => {}
    }
    now
}

/// Late seasonal money: lost, or carried to the same month next year.
fn late_seasonal(arm: &Arm, ledger: &mut crate::ledger::Ledger, carried: &mut f64, late: f64) {
    if arm.delivery.late_lost {
        ledger.lost_late += late;
    } else {
        *carried += late;
    }
}

/// This month's cash payment per registered household (0 if none), and the
/// leakage rate in delivery.
pub fn cash_due(arm: &Arm, s: &mut State, m: u8) -> (f64, f64) {
    let Some(c) = arm.cash else { return (0.0, 0.0) };
    let due = m as i64 - arm.delivery.delay_months as i64;
    if due < 0 || due as u32 % c.interval_months != 0 {
        return (0.0, 0.0);
    }
    let pay = s.pools.cash_per_payment.min(s.pools.cash);
    s.pools.cash -= pay;
    if s.registered > 0 {
        (pay / s.registered as f64, c.leakage)
    } else {
        s.ledger.unspent += pay;
        (0.0, 0.0)
    }
}

/// The enterprise tranche, with its safeguards.
pub fn enterprise_tranche(w: &World, arm: &Arm, s: &mut State, m: u8, y: usize) {
    let Some(e) = arm.enterprise else { return };
    if arrives(arm, e.transfer_month, m) != Some(true) {
        return;
    }
    let sc = w.sc;
    let k = e.enterprise;
    let spec = &sc.enterprises[k];
    let mut amount = std::mem::take(&mut s.pools.enterprise);
    let mut diversion = spec.diversion;
    // Co-investment: the enterprise first puts in its own money; an owner who
    // cannot does not get the tranche, and one who does has a stake to lose.
    if e.co_investment > 0.0 {
        let own = amount * e.co_investment;
        let ent = &mut s.enterprises[k];
        if !ent.alive || ent.cash < own {
            s.ledger.unspent += amount;
            return;
        }
        ent.cash -= own;
        ent.fund_own += own;
        diversion *= 1.0 - e.co_investment;
    }
    // Verified linkage: pay only for jobs that poor workers can fill.
    if e.verified_linkage {
        let workers = available_workers(w, s, k) as f64;
        let need = workers * spec.capital_per_job;
        let paid = amount.min(need);
        s.ledger.unspent += amount - paid;
        amount = paid;
        diversion *= 0.2;
    }
    let before = s.ledger.enterprise_owners;
    s.enterprises[k].receive(amount, diversion, &mut s.ledger);
    s.diverted_this_year[k] += s.ledger.enterprise_owners - before;
    link_households(w, s, k);
    // An audit finds and recovers what was diverted this year.
    if e.audit_probability > 0.0 && w.streams.uniform(Purpose::Audit, k as u64, y as u32) < e.audit_probability {
        let recovered = std::mem::take(&mut s.diverted_this_year[k]);
        s.ledger.enterprise_owners -= recovered;
        s.ledger.unspent += recovered;
    }
}

/// Registered households with a worker free for an enterprise job.
fn available_workers(w: &World, s: &State, k: usize) -> usize {
    let spec = &w.sc.enterprises[k];
    let eligible = |v: u16| spec.villages.is_empty() || spec.villages.contains(&(v as usize));
    (0..w.households())
        .filter(|&i| {
            s.status[i] & REGISTERED != 0
                && s.status[i] & crate::engine::JOB == 0
                && w.traits[i].labour >= 1.0
                && eligible(w.traits[i].village)
                && (s.link[i] == 0 || s.link[i] as usize == k + 1)
        })
        .count()
}

/// Link registered households to enterprise `k` after a fund transfer,
/// lease their land and fill the jobs the fund pays for.
pub fn link_households(w: &World, s: &mut State, k: usize) {
    let sc = w.sc;
    let spec = &sc.enterprises[k];
    let e = &mut s.enterprises[k];
    if !e.alive {
        return;
    }
    let nc = sc.commodities.len();
    let n = w.households();
    let eligible = |v: u16| spec.villages.is_empty() || spec.villages.contains(&(v as usize));
    for i in keyed_walk(n, w.streams, 2_000 + k as u64) {
        if e.linked as usize >= spec.max_linked {
            break;
        }
        if s.link[i] == 0 && s.status[i] & REGISTERED != 0 && eligible(w.traits[i].village) {
            s.link[i] = k as u8 + 1;
            e.linked += 1;
            let leased = crate::engine::take_land(
                &mut s.area[i * nc..(i + 1) * nc],
                sc.population.staple,
                spec.lease_mu as f32,
                sc,
            );
            s.leased[i] = leased;
            e.leased_mu += leased as f64;
        }
    }
    let capacity = e.job_capacity(spec);
    if e.jobs < capacity {
        for i in keyed_walk(n, w.streams, 3_000 + k as u64) {
            if e.jobs >= capacity {
                break;
            }
            if s.link[i] as usize == k + 1 && s.status[i] & crate::engine::JOB == 0 && w.traits[i].labour >= 1.0 {
                s.status[i] |= crate::engine::JOB;
                e.jobs += 1;
            }
        }
    }
    e.update_dividend(spec);
}

/// The cooperative grant: founders capture their share (all of it in a
/// sham), the rest is capital held for members, and poor households join.
pub fn cooperative_grant(w: &World, arm: &Arm, s: &mut State, m: u8) {
    let Some(c) = arm.cooperative else { return };
    let sc = w.sc;
    let plant = sc.commodities[sc.cooperatives[c.cooperative].commodity].plant_month;
    let p = &mut s.pools;
    let grant = seasonal_arrival(
        arm,
        &mut s.ledger,
        (&mut p.cooperative, &mut p.carried_cooperative),
        c.transfer_month,
        plant.max(c.transfer_month),
        m,
    );
    if grant == 0.0 {
        return;
    }
    let coop = &mut s.coops[c.cooperative];
    if !coop.alive {
        s.ledger.unspent += grant;
        return;
    }
    let captured = if c.sham { grant } else { grant * c.founder_capture };
    s.ledger.coop_founders += captured;
    coop.to_founders += captured;
    coop.distributed += grant;
    s.ledger.coop_capital += grant - captured;
    coop.capital += grant - captured;
    if c.sham {
        dissolve(w, s, c.cooperative);
        return;
    }
    enrol_poor(w, s, c.cooperative, c.enrol_per_year);
    // The cooperative borrows as one borrower and on-lends to members (统借统还).
    if c.loan > 0.0 {
        let coop = &mut s.coops[c.cooperative];
        let per = (c.loan / coop.membership.members.len().max(1) as f64) as f32;
        for &i in &coop.membership.members {
            s.loan[i as usize] += per;
        }
    }
}

/// A sham cooperative dissolves: members get their land back, capital is gone with the founders.
fn dissolve(w: &World, s: &mut State, k: usize) {
    let sc = w.sc;
    let nc = sc.commodities.len();
    let coop: &mut CoopState = &mut s.coops[k];
    coop.alive = false;
    s.ledger.coop_founders += coop.capital;
    s.ledger.coop_capital -= coop.capital;
    coop.to_founders += coop.capital;
    coop.capital = 0.0;
    for (&i, &land) in coop.membership.members.iter().zip(&coop.membership.pledged) {
        s.area[i as usize * nc + sc.population.staple] += land;
        s.status[i as usize] &= !COOP;
    }
}

/// Enrol up to `count` registered households of cooperative `k`'s village
/// as members; each pledges `land_share` of its land, the cooperative's crop first.
fn enrol_poor(w: &World, s: &mut State, k: usize, count: usize) {
    let sc = w.sc;
    let spec = &sc.cooperatives[k];
    let nc = sc.commodities.len();
    let range = w.village_range(spec.village);
    let mut added = 0;
    for j in keyed_walk(range.len(), w.streams, 4_000 + k as u64) {
        if added >= count {
            break;
        }
        let i = range.start + j;
        if s.status[i] & (REGISTERED | COOP) == REGISTERED && w.traits[i].land > 0.0 {
            let pledge = crate::engine::take_land(
                &mut s.area[i * nc..(i + 1) * nc],
                spec.commodity,
                w.traits[i].land * spec.land_share as f32,
                sc,
            );
            let m = &mut s.coops[k].membership;
            m.members.push(i as u32);
            m.pledged.push(pledge);
            m.pooled += pledge as f64;
            s.status[i] |= COOP;
            added += 1;
        }
    }
}

/// The item a household receives, and how well it fits, under the arm's procurement.
pub fn choose_item(w: &World, items: &[usize], procurement: Procurement, village: usize) -> (usize, f32) {
    let sc = w.sc;
    let v = &sc.population.villages[village];
    match procurement {
        Procurement::Central => (items[0], sc.commodities[items[0]].suitability(v) as f32),
        Procurement::Village | Procurement::Household => {
            let (c, suit) = items
                .iter()
                .map(|&c| (c, sc.commodities[c].suitability(v)))
                .fold((items[0], f64::MIN), |best, x| if x.1 > best.1 { x } else { best });
            // A household's own choice adds local knowledge of breeds and
            // varieties: it closes 90% of the remaining misfit.
            let suit = if procurement == Procurement::Household { 1.0 - 0.1 * (1.0 - suit) } else { suit };
            (c, suit as f32)
        }
    }
}

/// A free handout raises dependency in proportion to its value in months of need.
fn raise_dependency(w: &World, s: &mut State, i: usize, value: f64) {
    let b = &w.sc.behaviour;
    let need = b.subsistence * w.traits[i].adult_eq as f64;
    let d = s.dependency[i] as f64;
    s.dependency[i] += (b.dependency_handout_step * (value / need).min(MAX_HANDOUT_MONTHS) * (1.0 - d)) as f32;
}

/// Hand `units` of commodity `c` (worth `value`) to household `i`. A
/// household in urgent need of cash, or dependent, may eat or sell it.
#[allow(clippy::too_many_arguments)]
fn give_item(w: &World, s: &mut State, i: usize, c: usize, suit: f32, units: f64, value: f64, y: usize) {
    let sc = w.sc;
    let b = &sc.behaviour;
    let tr = &w.traits[i];
    if units <= 0.0 {
        return;
    }
    s.counters.given += units;
    let need = b.subsistence * tr.adult_eq as f64;
    let urgent = (s.savings[i] as f64) < need;
    let d = s.dependency[i] as f64;
    let p = b.liquidation_base + b.liquidation_dependency * d + if urgent { b.liquidation_need } else { 0.0 };
    let key = (i as u64) << 8 | c as u64;
    if w.streams.uniform(Purpose::Liquidation, key, y as u32) < p.min(1.0) {
        s.counters.liquidated += units;
        s.extra[i] += (value * b.salvage_share) as f32;
        return;
    }
    match sc.commodities[c].kind {
        CommodityKind::Livestock => {
            s.counters.raised += units;
            if s.handout_item[i] as usize != c && s.handout_alive[i] > 0.0 {
                // One herd of handed-out animals per household: a new species
                // means the old animals are sold off.
                let old = std::mem::take(&mut s.handout_alive[i]) as f64;
                s.counters.liquidated += old;
                s.extra[i] += (old * value / units * b.salvage_share) as f32;
            }
            s.handout_alive[i] += units as f32;
            s.handout_item[i] = c as u8;
            s.handout_suit[i] = suit;
        }
        CommodityKind::Crop => {
            if s.orchard_item[i] as usize != c || s.orchard[i] == 0.0 {
                // One orchard per household: a new variety replaces the old,
                // and a new orchard dates from now. More trees of the same
                // variety join the existing orchard and bear with it.
                s.orchard[i] = 0.0;
                s.orchard_year[i] = y as u8;
            }
            s.orchard[i] += units as f32;
            s.orchard_item[i] = c as u8;
            s.orchard_suit[i] = suit;
        }
    }
}

/// In-kind handouts: on arrival, registered households receive the item.
/// Those in urgent need of cash, or with high dependency, eat or sell it.
pub fn inkind_handout(w: &World, arm: &Arm, s: &mut State, m: u8, y: usize) {
    let Some(k) = arm.inkind.as_ref() else { return };
    let sc = w.sc;
    // Patron rotation: in a year the sponsoring officials rotate away,
    // dependent households sell what they are given at once and ask the
    // successor again.
    let rotation = k.patron_rotation_years > 0 && y > 1 && (y - 1) % k.patron_rotation_years as usize == 0;
    let season = k.items.iter().map(|&c| sc.commodities[c].plant_month).max().unwrap_or(11).max(k.transfer_month);
    let p = &mut s.pools;
    let mut pool =
        seasonal_arrival(arm, &mut s.ledger, (&mut p.inkind, &mut p.carried_inkind), k.transfer_month, season, m);
    if pool == 0.0 {
        return;
    }
    let per_household = k.units * k.unit_cost;
    for i in keyed_walk(w.households(), w.streams, 5_000 + y as u64) {
        if pool < per_household {
            break;
        }
        let st = s.status[i];
        let tr = &w.traits[i];
        if st & REGISTERED == 0 || !(k.villages.is_empty() || k.villages.contains(&(tr.village as usize))) {
            continue;
        }
        pool -= per_household;
        book_payment(&mut s.ledger, st, per_household);
        raise_dependency(w, s, i, per_household);
        // Pooled funds: a household without labour gets the value in cash instead of an item it cannot raise.
        if !arm.delivery.ring_fenced && tr.labour < 0.5 {
            s.extra[i] += per_household as f32;
            continue;
        }
        s.handout_year[i] = y as u8;
        s.counters.recipients += 1.0;
        let (c, suit) = choose_item(w, &k.items, k.procurement, tr.village as usize);
        if rotation && s.dependency[i] > 0.5 {
            s.counters.given += k.units;
            s.counters.liquidated += k.units;
            s.extra[i] += (per_household * sc.behaviour.salvage_share) as f32;
            continue;
        }
        give_item(w, s, i, c, suit, k.units, per_household, y);
    }
    // Whatever could not buy a whole package for one more household.
    s.ledger.unspent += pool;
}

/// Whether an instrument due in month `due` runs this month (after the delay,
/// within the year).
fn runs_now(arm: &Arm, due: u8, m: u8) -> bool {
    arrives(arm, due, m) == Some(true)
}

/// Vocational or nursing school: teenagers of registered households enrol;
/// the policy pays its share of the whole course up front.
pub fn school_enrol(w: &World, arm: &Arm, s: &mut State, m: u8, y: usize) {
    let Some(k) = arm.school else { return };
    if !runs_now(arm, k.enrol_month, m) {
        return;
    }
    let cost = k.tuition * k.subsidy_share * k.years as f64;
    let family = (k.tuition * (1.0 - k.subsidy_share) / 12.0) as f32;
    for i in keyed_walk(w.households(), w.streams, 6_000 + y as u64) {
        if s.pools.school < cost.max(1e-9) {
            break;
        }
        if s.status[i] & REGISTERED != 0 && enrol_student(w, s, i, k.years, k.skilled_wage * k.remit_share, family) {
            s.pools.school -= cost;
            book_payment(&mut s.ledger, s.status[i], cost);
        }
    }
}

/// Enrol one teenager of household `i`, if it has one not yet at school.
fn enrol_student(w: &World, s: &mut State, i: usize, years: u32, remit: f64, family_fee: f32) -> bool {
    if w.traits[i].teens == 0 || s.student_months[i] > 0 || s.graduates[i] >= w.traits[i].teens {
        return false;
    }
    s.student_months[i] = (years * 12) as u8;
    s.student_fee[i] = family_fee;
    s.graduate_remit[i] = remit as f32;
    s.counters.students += 1.0;
    true
}

/// The package, uniform or tailored, for every registered household the
/// budget covers, all of equal value `V = pool / registered`.
///
/// Tailored: the cause decides. Illness: medical cover worth V (what is not
/// used by December is paid in cash). No labour or disability: V as a
/// monthly allowance over twelve months. A teenager at home: school, the
/// course paid in full. Able to work: the best-suited item, chosen by the
/// household. Uniform: every household gets the same items, whatever it can use.
pub fn package_handout(w: &World, arm: &Arm, s: &mut State, m: u8, y: usize) {
    let Some(k) = arm.package.as_ref() else { return };
    if !runs_now(arm, k.transfer_month, m) || s.registered == 0 {
        return;
    }
    let sc = w.sc;
    let value = s.pools.package / s.registered as f64;
    for i in keyed_walk(w.households(), w.streams, 7_000 + y as u64) {
        let st = s.status[i];
        if st & REGISTERED == 0 {
            continue;
        }
        let tr = w.traits[i];
        let (cost, kind) = if !k.tailored {
            (value, Package::Uniform)
        } else {
            match tr.cause() {
                Cause::Illness => (value, Package::Health),
                Cause::Disability | Cause::LackOfLabour => (value, Package::Allowance),
                _ if tr.teens > s.graduates[i] && s.student_months[i] == 0 => (k.tuition * 2.0, Package::School),
                _ => (value, Package::Industry),
            }
        };
        if s.pools.package < cost - 1e-6 {
            continue;
        }
        s.pools.package -= cost;
        book_payment(&mut s.ledger, st, cost);
        s.handout_year[i] = y as u8;
        s.counters.recipients += 1.0;
        match kind {
            Package::Uniform => {
                raise_dependency(w, s, i, value);
                for ((&c, &unit_cost), &share) in k.items.iter().zip(&k.unit_costs).zip(&k.item_shares) {
                    let suit = sc.commodities[c].suitability(&sc.population.villages[tr.village as usize]) as f32;
                    give_item(w, s, i, c, suit, value * share / unit_cost, value * share, y);
                }
            }
            Package::Health => s.health_cover[i] += value as f32,
            Package::Allowance => {
                raise_dependency(w, s, i, value);
                s.allowance[i] = (value / 12.0) as f32;
                s.allowance_months[i] = 12;
            }
            Package::School => {
                enrol_student(w, s, i, 2, k.skilled_wage * k.remit_share, 0.0);
            }
            Package::Industry => {
                raise_dependency(w, s, i, value);
                let (c, suit) = choose_item(w, &k.items, Procurement::Household, tr.village as usize);
                let unit_cost = k.items.iter().zip(&k.unit_costs).find(|(&j, _)| j == c).map_or(1.0, |(_, &u)| u);
                give_item(w, s, i, c, suit, value / unit_cost, value, y);
            }
        }
    }
}

/// What a household's package is.
enum Package {
    Uniform,
    Health,
    Allowance,
    School,
    Industry,
}

/// Poverty micro-credit ("1+3"): each March, registered households without a
/// loan borrow `loan` for three years, used by themselves or handed to a partner.
/// A loan in force may fail each March: the household's project, or its partner.
pub fn credit_lend(w: &World, arm: &Arm, s: &mut State, m: u8, y: usize) {
    let Some(k) = arm.credit else { return };
    if !runs_now(arm, 2, m) {
        return;
    }
    let partner_gone = match k.mode {
        CreditMode::Enterprise => s.enterprises.first().is_some_and(|e| !e.alive),
        CreditMode::Cooperative => s.coops.first().is_some_and(|c| !c.alive),
        _ => false,
    };
    let status = &s.status;
    let chunk = crate::pass::CHUNK;
    // Independent per household: chunks in parallel, new borrowers counted in chunk order.
    let borrowers: Vec<f64> = s
        .credit
        .par_chunks_mut(chunk)
        .zip(s.credit_months.par_chunks_mut(chunk))
        .zip(s.credit_flags.par_chunks_mut(chunk))
        .enumerate()
        .map(|(c, ((credit, months), flags))| {
            let mut new = 0.0;
            for (j, ((l, mo), fl)) in credit.iter_mut().zip(months.iter_mut()).zip(flags.iter_mut()).enumerate() {
                let i = c * chunk + j;
                let tr = &w.traits[i];
                if *l > 0.0 {
                    if *fl & CREDIT_LOST == 0 {
                        let p = if k.mode == CreditMode::SelfUse {
                            k.self_failure * (1.5 - 0.5 * tr.productivity as f64).clamp(0.5, 1.5)
                        } else {
                            k.partner_failure
                        };
                        if partner_gone || w.streams.uniform(Purpose::Credit, i as u64, y as u32) < p {
                            *fl |= CREDIT_LOST;
                        }
                    }
                    continue;
                }
                let able = k.mode != CreditMode::SelfUse || tr.labour >= 1.0;
                if status[i] & REGISTERED != 0 && able && tr.productivity as f64 >= k.min_productivity {
                    *l = k.loan as f32;
                    *mo = 36;
                    *fl = 0;
                    new += 1.0;
                }
            }
            new
        })
        .collect();
    s.counters.borrowers += borrowers.iter().sum::<f64>();
}

/// Flag in `State::credit_flags`: the project or partner failed; returns stop.
pub const CREDIT_LOST: u8 = 1;

/// Machinery purchase subsidy: in March, households with land buy a machine
/// if they can pay for it: the price less the subsidy at the point of sale,
/// or the whole price when the subsidy is reimbursed later.
pub fn machinery_buy(w: &World, arm: &Arm, s: &mut State, m: u8, y: usize) {
    let Some(k) = arm.machinery else { return };
    if !runs_now(arm, 2, m) {
        return;
    }
    for i in keyed_walk(w.households(), w.streams, 8_000 + y as u64) {
        if s.pools.machinery < k.subsidy {
            break;
        }
        let st = s.status[i];
        if st & MACHINE != 0 || w.traits[i].land < 2.0 {
            continue;
        }
        let upfront = if k.point_of_sale { k.price - k.subsidy } else { k.price };
        if (s.savings[i] as f64) < upfront {
            continue;
        }
        s.savings[i] -= (k.price - k.subsidy) as f32;
        s.status[i] |= MACHINE;
        s.pools.machinery -= k.subsidy;
        book_payment(&mut s.ledger, st, k.subsidy);
        s.counters.machines += 1.0;
        if st & POOR != 0 {
            s.counters.machines_poor += 1.0;
        }
    }
}

/// Status bit: the household owns a subsidised machine.
pub const MACHINE: u8 = 64;
