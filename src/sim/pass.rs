//! The household pass: one month of every household, in fixed-size chunks.
//!
//! Households are independent within a month once the shared quantities
//! (prices, instrument amounts, the rationing of pooled funds) are fixed, so
//! the pass runs on chunks of [`CHUNK`] households in parallel. Each chunk
//! returns its sums, which are added in chunk order; random draws are keyed
//! by household. The result is therefore the same on 1, 2 or 8 threads, and
//! the same whether the replicate is a township or the national registry.
//!
//! [`household`] is the month of one household: each mechanism's block in a
//! fixed order, then the household's net income, its trailing income and its
//! consumption.

use super::shared::Replicate;
use super::state::State;
use crate::household::{HouseholdsChunk, Status, CHUNK};
use crate::mechanism::cooperative::CooperativePolicy;
use crate::mechanism::credit::CreditPolicy;
use crate::mechanism::{
    cash, consumption, cooperative, credit, dependency, enterprise, health, inkind, invest, labour, local_economy,
    machinery, market, package, relocation, school, venture,
};
use crate::scenario::Arm;
use crate::setting::Behaviour;
use crate::world::World;
use rayon::prelude::*;

/// Which per-household instruments an arm can have touched: the pass skips
/// the others' state entirely.
#[derive(Clone, Copy)]
pub struct Uses {
    pub school: bool,
    pub allowance: bool,
    pub handouts: bool,
    pub credit: bool,
}

impl Uses {
    /// `self_schooling`: households may pay for school themselves (`schooling.self_financed`);
    /// `own_trees`: they may plant trees themselves (a crop's `planting_cost`).
    pub fn of(arm: Option<&Arm>, self_schooling: bool, own_trees: bool) -> Uses {
        let a = |f: fn(&Arm) -> bool| arm.is_some_and(f);
        Uses {
            school: self_schooling || a(|a| a.school.is_some() || a.package.is_some()),
            allowance: a(|a| a.package.is_some()),
            handouts: own_trees || a(|a| a.inkind.is_some() || a.package.is_some()),
            credit: a(|a| {
                a.credit.is_some() || a.loan_guarantee.is_some() || a.cooperative.is_some_and(|c| c.loan > 0.0)
            }),
        }
    }
}

/// Everything the pass reads that is the same for every household this month.
pub struct Month<'a> {
    pub r: &'a Replicate<'a>,
    pub arm: Option<&'a Arm>,
    pub t: u32,
    pub m: u8,
    pub y: usize,
    pub uses: Uses,
    pub fields: market::Fields<'a>,
    pub season: inkind::Season<'a>,
    pub pay: Vec<enterprise::Pay>,
    pub cash: cash::Payment,
    pub aid: health::Aid,
    pub credit_fraction: f64,
    pub rates: labour::Rates,
    /// A machine's factor on crop output.
    pub machine_gain: f32,
    /// Graduates' wage growth since the first policy year.
    pub graduate_growth: f32,
    /// Commodity index of each breeding species (empty: no herds).
    pub species: &'a [usize],
    /// Productivity factor per village from finished infrastructure (1 without).
    pub village_income: &'a [f32],
    /// The resettlement site, when the arm relocates households.
    pub site: Option<relocation::Site<'a>>,
    /// Local sellers' pay and the villages' price levels, when spending differs from the reference arm's.
    pub local: Option<local_economy::Pay<'a>>,
    /// The crops' commodity indices (local farm produce is sold by crop land).
    pub crops: &'a [usize],
}

/// What a chunk adds up, mechanism by mechanism.
#[derive(Default)]
pub struct Sums {
    pub cash: cash::Sums,
    pub health: health::Sums,
    pub credit: credit::Sums,
    pub coop: cooperative::Sums,
    pub market: market::Sums,
    pub ent: enterprise::Sums,
    pub inkind: inkind::Sums,
    pub invest: invest::Sums,
    pub dibao_paid: f64,
    /// Household consumption, yuan.
    pub consumption: f64,
    /// Household debt beyond the limit, written off, yuan.
    pub debt_defaults: f64,
    /// Labour units at home offering local wage work (the local labour market's supply).
    pub supply: f64,
    /// Cash consumption per village, yuan (households at a resettlement site not included).
    pub local_spent: Vec<f64>,
    /// Local sellers' income from spending above the reference arm's, yuan.
    pub local_sales: f64,
}

impl Sums {
    fn new(commodities: usize, enterprises: usize, villages: usize) -> Sums {
        Sums {
            market: market::Sums::new(commodities, enterprises),
            local_spent: vec![0.0; villages],
            ..Default::default()
        }
    }

    /// Add `o` into `self` (in chunk order).
    fn add(&mut self, o: &Sums) {
        self.cash.add(&o.cash);
        self.health.add(&o.health);
        self.credit.add(&o.credit);
        self.coop.add(&o.coop);
        self.market.add(&o.market);
        self.ent.add(&o.ent);
        self.inkind.add(&o.inkind);
        self.invest.add(&o.invest);
        self.dibao_paid += o.dibao_paid;
        self.consumption += o.consumption;
        self.debt_defaults += o.debt_defaults;
        self.supply += o.supply;
        for (a, b) in self.local_spent.iter_mut().zip(&o.local_spent) {
            *a += b;
        }
        self.local_sales += o.local_sales;
    }
}

/// One chunk's slice of every per-household column of the state.
pub struct Chunk<'a> {
    hh: HouseholdsChunk<'a>,
    ring: &'a mut [f32],
    dibao: &'a mut [f32],
    links: enterprise::LinksChunk<'a>,
    loans: cooperative::LoansChunk<'a>,
    holdings: inkind::HoldingsChunk<'a>,
    allowances: package::AllowancesChunk<'a>,
    cover: health::CoverChunk<'a>,
    students: school::StudentsChunk<'a>,
    credit: credit::LoansChunk<'a>,
    /// Breeding females per household × breeding species (empty without breeding species).
    herd: &'a mut [f32],
    /// Businesses and own machines (no households when ventures are off).
    books: venture::BooksChunk<'a>,
}

/// Split the state's columns into chunks of [`CHUNK`] households; `slot`
/// is this month's row of the income ring.
fn chunks<'a>(s: &'a mut State, slot: usize, nc: usize) -> Vec<Chunk<'a>> {
    let n = s.hh.savings.len();
    let ring = s.ring[slot * n..(slot + 1) * n].chunks_mut(CHUNK);
    let dibao = s.dibao.chunks_mut(CHUNK);
    let hh = s.hh.chunks(CHUNK, nc);
    let links = s.ent.links.chunks(CHUNK, nc);
    let loans = s.coops.loans.chunks(CHUNK, nc);
    let holdings = s.inkind.holdings.chunks(CHUNK, nc);
    let allowances = s.allowances.chunks(CHUNK, nc);
    let cover = s.cover.chunks(CHUNK, nc);
    let students = s.school.students.chunks(CHUNK, nc);
    let credit = s.credit.loans.chunks(CHUNK, nc);
    let nb = s.herd.species.len();
    let herd: Vec<&mut [f32]> = if nb > 0 {
        s.herd.herds.females.chunks_mut(CHUNK * nb).collect()
    } else {
        (0..hh.len()).map(|_| <&mut [f32]>::default()).collect()
    };
    let books: Vec<venture::BooksChunk> = if s.books.business_year.is_empty() {
        (0..hh.len()).map(|_| venture::Books::none()).collect()
    } else {
        s.books.chunks(CHUNK, nc)
    };
    let mut out = Vec::with_capacity(hh.len());
    let zipped = hh.into_iter().zip(ring).zip(dibao).zip(links).zip(loans).zip(holdings);
    let zipped = zipped.zip(allowances).zip(cover).zip(students).zip(credit).zip(herd).zip(books);
    for (
        ((((((((((hh, ring), dibao), links), loans), holdings), allowances), cover), students), credit), herd),
        books,
    ) in zipped
    {
        out.push(Chunk { hh, ring, dibao, links, loans, holdings, allowances, cover, students, credit, herd, books });
    }
    out
}

/// The month's loop invariants, copied once per chunk into a local value so
/// that the compiler keeps them in registers instead of reloading them
/// through `Month` for every household.
struct Fixed<'a> {
    w: &'a World<'a>,
    b: Behaviour,
    t: u32,
    m: u8,
    y: usize,
    uses: Uses,
    fields: market::Fields<'a>,
    season: inkind::Season<'a>,
    pay: &'a [enterprise::Pay],
    cash: (f64, &'a [f32], bool),
    aid: health::Aid,
    credit: Option<CreditPolicy>,
    coop: Option<CooperativePolicy>,
    credit_fraction: f64,
    rates: labour::Rates,
    machine_gain: f32,
    graduate_growth: f32,
    village_income: &'a [f32],
    site: Option<relocation::Site<'a>>,
    /// The enterprise that rents land through the land centre.
    centre: Option<usize>,
    /// The investment choice's menu, when households can invest in anything.
    invest: Option<invest::Menu<'a>>,
    /// Whether households may own ventures.
    ventures: bool,
    /// Whether households may eat animals of their herds (a species' `eat_below_months` > 0).
    eats: bool,
    local: Option<local_economy::Pay<'a>>,
    crops: &'a [usize],
    /// Whether spending by village is counted (some arm has a local economy).
    local_spending: bool,
}

impl<'a> Fixed<'a> {
    fn of(mo: &'a Month<'a>) -> Fixed<'a> {
        let w = &mo.r.world;
        let credit_on = mo.uses.credit;
        Fixed {
            w,
            b: w.sc.behaviour,
            t: mo.t,
            m: mo.m,
            y: mo.y,
            uses: mo.uses,
            fields: market::Fields {
                w,
                events: mo.fields.events,
                hazard_row: mo.fields.hazard_row,
                y: mo.y,
                survival: mo.fields.survival,
                access: mo.fields.access,
                online: mo.fields.online,
                entry: mo.fields.entry,
            },
            season: inkind::Season { w, m: mo.m, y: mo.y, price: mo.season.price, hazard_row: mo.season.hazard_row },
            pay: &mo.pay,
            cash: (mo.cash.per_household, &mo.cash.leak_by_village, mo.cash.transition),
            aid: mo.aid,
            credit: mo.arm.and_then(|a| a.credit.or(a.loan_guarantee.map(|g| g.terms))).filter(|_| credit_on),
            coop: mo.arm.and_then(|a| a.cooperative).filter(|_| credit_on),
            credit_fraction: mo.credit_fraction,
            rates: mo.rates,
            machine_gain: mo.machine_gain,
            graduate_growth: mo.graduate_growth,
            village_income: mo.village_income,
            site: mo.site,
            centre: mo.arm.and_then(|a| a.land_centre).and_then(|k| k.enterprise()),
            invest: invest::Menu::any(w, mo.species).then(|| {
                let menu = invest::Menu::new(
                    w,
                    mo.species,
                    mo.season.price,
                    (mo.m, mo.y),
                    mo.machine_gain,
                    (mo.rates.wage, mo.graduate_growth),
                );
                invest::Menu { village_income: mo.village_income, gated: mo.r.sc.network.on(), ..menu }
            }),
            ventures: w.sc.ventures.any(),
            eats: mo.species.iter().any(|&c| w.sc.commodities[c].breeding.is_some_and(|b| b.eat_below_months > 0.0)),
            local: mo.local,
            crops: mo.crops,
            local_spending: mo.r.local_economy,
        }
    }
}

/// Run the pass over every household; returns the month's sums.
pub fn run(mo: &Month, s: &mut State) -> Sums {
    let sc = mo.r.sc;
    let (nc, nv) = (sc.commodities.len(), sc.population.villages.len());
    let parts: Vec<Sums> = chunks(s, mo.m as usize, nc)
        .into_par_iter()
        .enumerate()
        .map(|(k, mut c)| {
            let mut sums = Sums::new(nc, sc.enterprises.len(), nv);
            chunk(&Fixed::of(mo), &mut c, k * CHUNK, &mut sums);
            sums
        })
        .collect();
    let mut total = Sums::new(nc, sc.enterprises.len(), nv);
    for p in &parts {
        total.add(p);
    }
    total
}

/// One chunk of households, from household `start`. Not inlined: as a
/// function of its own its arguments cannot alias, so the month's invariants
/// in `fx` stay in registers across the households.
#[inline(never)]
fn chunk(fx: &Fixed, c: &mut Chunk, start: usize, sums: &mut Sums) {
    for j in 0..c.hh.savings.len() {
        household(fx, c, start + j, j, sums);
    }
}

/// One month of household `i` (position `j` in its chunk): the schedule of
/// the mechanisms' household blocks.
#[inline(always)]
fn household(fx: &Fixed, c: &mut Chunk, i: usize, j: usize, sums: &mut Sums) {
    let w = fx.w;
    let b = &fx.b;
    let tr = &w.traits[i];
    let st = c.hh.status[j];
    let mut d = c.hh.dependency[j];
    let effort = dependency::effort(b, d);
    // A household at a resettlement site: the site's factors instead of its village's, while adjusting less.
    let site = fx.site.filter(|_| c.hh.moved[j] > 0 && !c.hh.returned[j]);
    let place = match &site {
        Some(s) => s.productivity(tr.village as usize, c.hh.moved[j] as u32 - 1),
        None => fx.village_income[tr.village as usize],
    };
    let prod_e = tr.productivity * effort * place;

    // Illness: acute shocks (keyed, so identical across arms), chronic costs, medical aid.
    let (lost, out_of_pocket) =
        health::household(w, &fx.aid, (i, j, fx.t), (st, c.hh.unmet[j]), c.hh.sick, &mut c.cover, &mut sums.health);
    let job = st.contains(Status::JOB);
    let away = labour::count(c.hh.away[j]);
    let mut home_labour = (tr.labour_with(away) - lost - job as u8 as f32).max(0.0);
    let (mut income, mut costs) = (0.0, out_of_pocket);
    if fx.ventures {
        let (v, at) = ((&w.sc.ventures, w.streams), (i, j, fx.m, fx.y));
        let (labour, money) = ((prod_e, fx.graduate_growth, &mut home_labour), (&mut income, &mut costs));
        venture::household(v, at, (&mut c.books, &mut c.hh.status[j]), labour, money, &mut sums.invest.ventures);
    }
    let st = c.hh.status[j];
    let rates = site.as_ref().map_or(&fx.rates, |s| &s.rates);
    income += labour::income(rates, home_labour, prod_e, away);
    match &site {
        Some(s) => costs += s.living_cost * w.sizes[i] as f32,
        None => sums.supply += home_labour as f64,
    }
    if fx.uses.school {
        school::household(&mut c.students, j, fx.graduate_growth, &mut income, &mut costs);
    }
    // A monthly allowance is free support: the month does not count as one without.
    let allowance = fx.uses.allowance && package::household(&mut c.allowances, &mut c.cover, j, fx.m, &mut income);
    let farm_gain = machinery::farm_gain(fx.machine_gain, st);
    let savings = c.hh.savings[j];

    // Crops and livestock, sold under a purchase contract where one is honoured.
    let link = c.links.link[j] as usize;
    let contract = enterprise::contract(fx.pay, link);
    let farm = (effort, prod_e, farm_gain, savings);
    market::household(&fx.fields, i, j, &mut c.hh, contract, farm, (&mut income, &mut costs), &mut sums.market);
    // Enterprise linkage: rent, dividend, wage; and rent for land transferred through the land centre.
    let land = (link, c.links.leased[j], fx.centre.map(|k| (&fx.pay[k], c.hh.transferred[j])));
    enterprise::household(fx.pay, land, st, &mut income, &mut sums.ent);
    if fx.uses.handouts {
        inkind::household(&fx.season, (i, j), &mut c.holdings, (effort, prod_e), &mut income, &mut sums.inkind);
    }
    if fx.uses.credit {
        // Credit first: its maturity reads the month's opening savings,
        // as the pre-pass that rationed the guarantee fund did.
        let (returns, credit_interest) = match &fx.credit {
            Some(k) => credit::household(k, w, (i, j), &mut c.credit, &mut c.hh, fx.credit_fraction, &mut sums.credit),
            None => (0.0, 0.0),
        };
        let (earned, interest) = match &fx.coop {
            Some(k) => cooperative::household(k, w, (i, j), &mut c.loans, &mut c.hh, (fx.m, fx.y), &mut sums.coop),
            None => (0.0, 0.0),
        };
        income += earned + returns;
        costs += interest + credit_interest;
    }
    income += std::mem::take(&mut c.hh.extra[j]);
    income += c.dibao[j];
    // Selling to neighbours who spend more (or less) than under the reference arm.
    let v = tr.village as usize;
    let local = fx.local.filter(|_| site.is_none());
    income += local.map_or(0.0, |l| sell_locally(&l, fx, c, (j, v), sums));
    sums.dibao_paid += c.dibao[j] as f64;

    // Subsistence need this month, for handouts' dependency and for consumption.
    let need = b.subsistence as f32 * tr.adult_eq_with(away);
    let paid = cash::household(fx.cash, st, tr.village as usize, need, b, &mut d, &mut income, &mut sums.cash);
    // Dibao is free support too: the same yuan, the same rise.
    let dibao = c.dibao[j];
    if dibao > 0.0 {
        d = dependency::raised_f32(b, dibao / need, d);
    }
    let supported = std::mem::take(&mut c.hh.supported[j]) || paid || dibao > 0.0 || allowance;
    dependency::decay(b, job || st.contains(Status::COOP), supported, &mut d);
    c.hh.dependency[j] = d;

    let savings = c.hh.savings[j];
    if savings < 0.0 {
        costs += consumption::debt_interest(b, savings);
    } else {
        income += consumption::deposit_interest(b, savings);
    }
    let net = income - costs;
    // Trailing 12-month income; where local prices moved, at its local purchasing power.
    record_income(c, j, local.map_or(net, |l| net / l.deflator[v]), tr.size);
    spend(fx, c, (i, j, site.is_none().then_some(v)), (need, net, effort), sums);
}

/// Household `j`'s income as a local seller in village `v` this month, by
/// its crop land and its business, added to `sums`.
#[inline(always)]
fn sell_locally(l: &local_economy::Pay, fx: &Fixed, c: &Chunk, (j, v): (usize, usize), sums: &mut Sums) -> f32 {
    let nc = fx.w.sc.commodities.len();
    let mu: f32 = fx.crops.iter().map(|&k| c.hh.area[j * nc + k]).sum();
    let business = c.books.business_year.get(j).is_some_and(|&b| b > 0);
    let sold = local_economy::seller_income(l, v, mu, business);
    sums.local_sales += sold as f64;
    sold
}

/// Trailing 12-month income: replace this month's slot of the ring (laid
/// out month-major, so each month touches 4 bytes a household) with
/// `counted` and carry the running sum in f64; per capita over `size` members.
#[inline(always)]
fn record_income(c: &mut Chunk, j: usize, counted: f32, size: u8) {
    let slot_value = &mut c.ring[j];
    let trailing = c.hh.trailing[j] + counted as f64 - *slot_value as f64;
    *slot_value = counted;
    c.hh.trailing[j] = trailing;
    c.hh.ypc[j] = (trailing / size.max(1) as f64) as f32;
}

/// The rest of household `i`'s month (position `j`), from its need, its net
/// income `net` and its effort: investment, then consumption and savings,
/// and its own account. Its cash consumption (what it ate of its own
/// produce not included) counts as spending in village `at` (`None` at a
/// resettlement site).
#[inline(always)]
fn spend(
    fx: &Fixed,
    c: &mut Chunk,
    (i, j, at): (usize, usize, Option<usize>),
    (need, net, effort): (f32, f32, f32),
    sums: &mut Sums,
) {
    let b = &fx.b;
    // Investment, before consumption: the options the household can reach, from cash on hand above need and buffer.
    // Own produce eaten at home is income in kind, consumed at once: investment and the rule decide about the cash.
    let in_kind = if fx.eats { std::mem::take(&mut c.hh.in_kind[j]) } else { 0.0 };
    let cash = net - in_kind;
    let savings = c.hh.savings[j];
    let invested = match &fx.invest {
        Some(menu) => invest(menu, c, (i, j), consumption::investable(b, need, savings + cash - need), effort, sums),
        None => 0.0,
    };
    let savings = savings - invested;
    // The meal replaces food the rule would buy; what the rule would not consume is eaten all the same.
    let rule = consumption::consumption(b, need, net, savings);
    let consumed = if in_kind > 0.0 { rule.max(in_kind) } else { rule };
    sums.consumption += consumed as f64;
    let (after, defaulted) = consumption::within_debt_limit(b, need, savings + net - consumed);
    sums.debt_defaults += defaulted as f64;
    c.hh.savings[j] = after;
    // The household's own account: money in less money out, debt written off included.
    c.hh.booked[j] += net as f64 - consumed as f64 - invested as f64 + defaulted as f64;
    if let Some(v) = at.filter(|_| fx.local_spending) {
        sums.local_spent[v] += (consumed - in_kind) as f64;
    }
}

/// Household `i`'s (position `j`) investment choice from cash on hand
/// `on_hand` at effort `effort`; returns the yuan paid.
#[inline(always)]
fn invest(
    menu: &invest::Menu,
    c: &mut Chunk,
    (i, j): (usize, usize),
    on_hand: f64,
    effort: f32,
    sums: &mut Sums,
) -> f32 {
    let (nb, nc) = (menu.species.len(), menu.w.sc.commodities.len());
    let mut stocks = invest::Stocks {
        females: &mut c.herd[j * nb..(j + 1) * nb],
        holdings: &mut c.holdings,
        students: &mut c.students,
        books: &mut c.books,
        area: &mut c.hh.area[j * nc..(j + 1) * nc],
        status: &mut c.hh.status[j],
        knows: c.hh.knows[j],
    };
    invest::household(menu, (i, j), &mut stocks, (on_hand, effort), &mut sums.invest) as f32
}

/// The share of this month's claims the health-aid and credit pools can pay
/// (1 when they cover them all): pooled money is rationed in proportion,
/// not first come, first served, so the answer does not depend on order.
/// Claims are summed chunk by chunk, as the pass pays them, and the share
/// is shaded by one part in 10^9 so rounding can never overspend a pool.
pub fn rationing(r: &Replicate, arm: Option<&Arm>, s: &State, t: u32) -> (f64, f64) {
    let Some(arm) = arm else { return (1.0, 1.0) };
    // A guaranteed loan claims from the company's capital as a 1+3 loan claims from its pool.
    let lending = arm.credit.or(arm.loan_guarantee.map(|g| g.terms));
    if arm.health_aid.is_none() && lending.is_none() {
        return (1.0, 1.0);
    }
    let w = &r.world;
    let n = w.households();
    // One pass over the households for both pools, chunk by chunk as the pass pays them.
    let claims = |i: usize| -> (f64, f64) {
        let health = match &arm.health_aid {
            Some(aid) => health::claim(w, aid, (s.hh.status[i], s.hh.unmet[i]), s.cover.health_cover[i], i, t),
            None => 0.0,
        };
        let credit = match &lending {
            Some(k) => credit::claim(k, &s.credit.loans, s.hh.savings[i], i),
            None => 0.0,
        };
        (health, credit)
    };
    let parts: Vec<(f64, f64)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| (k * CHUNK..((k + 1) * CHUNK).min(n)).map(claims).fold((0.0, 0.0), |a, c| (a.0 + c.0, a.1 + c.1)))
        .collect();
    let (health, credit) = parts.iter().fold((0.0, 0.0), |a, c| (a.0 + c.0, a.1 + c.1));
    let share = |pool: f64, demand: f64| if demand > pool { pool / demand * (1.0 - 1e-9) } else { 1.0 };
    let lendable = if arm.loan_guarantee.is_some() { s.company.capital } else { s.pools.credit };
    (share(s.pools.health, health), share(lendable, credit))
}
