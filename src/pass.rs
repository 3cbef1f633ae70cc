//! The household pass: one month of every household, in fixed-size chunks.
//!
//! Households are independent within a month once the shared quantities
//! (prices, instrument amounts, the rationing of pooled funds) are fixed, so
//! the pass runs on chunks of [`CHUNK`] households in parallel. Each chunk
//! returns its sums, which are added in chunk order; random draws are keyed
//! by household. The result is therefore the same on 1, 2 or 8 threads, and
//! the same whether the replicate is a township or the national registry.

use crate::engine::{book_payment, State, World, COOP, JOB, POOR, REGISTERED, SPECIALISED_SHARE};
use crate::ledger::Ledger;
use crate::model::population::CHRONIC;
use crate::policy::{self, CREDIT_LOST};
use crate::rng::Purpose;
use crate::scenario::{Arm, CreditMode};
use rayon::prelude::*;

/// Households per chunk. Fixed, so that sums are added in the same order
/// whatever the thread count.
pub(crate) const CHUNK: usize = 8192;

/// A commodity's event this month, as the pass sees it.
pub(crate) struct Event {
    pub c: usize,
    pub plant: bool,
    pub harvest: bool,
    pub livestock: bool,
    pub price: f32,
    pub cost: f32,
    pub dig: f32,
    pub factor: f32,
    pub responsive: bool,
    pub max_land: f32,
    pub mu_per_labour: f32,
}

/// Which per-household instruments an arm can have touched: the pass skips
/// the others' state entirely.
#[derive(Clone, Copy)]
pub(crate) struct Uses {
    pub health: bool,
    pub school: bool,
    pub allowance: bool,
    pub handouts: bool,
    pub credit: bool,
}

impl Uses {
    pub fn of(arm: Option<&Arm>) -> Uses {
        let a = |f: fn(&Arm) -> bool| arm.is_some_and(f);
        Uses {
            health: a(|a| a.health_aid.is_some() || a.package.is_some()),
            school: a(|a| a.school.is_some() || a.package.is_some()),
            allowance: a(|a| a.package.is_some()),
            handouts: a(|a| a.inkind.is_some() || a.package.is_some()),
            credit: a(|a| a.credit.is_some() || a.cooperative.is_some_and(|c| c.loan > 0.0)),
        }
    }
}

/// Everything the pass reads that is the same for every household this month.
pub(crate) struct Month<'a> {
    pub w: &'a World<'a>,
    pub arm: Option<&'a Arm>,
    pub t: u32,
    pub m: u8,
    pub y: usize,
    pub events: Vec<Event>,
    /// Per enterprise: alive, rent/month, dividend/month, wage/month, contract commodity, floor (0 = none honoured).
    pub ent_pay: Vec<(bool, f32, f32, f32, usize, f32)>,
    pub hazard_row: &'a [f32],
    pub leak_by_village: Vec<f32>,
    pub cash_now: f64,
    pub uses: Uses,
    pub health_cover: f64,
    pub health_fraction: f64,
    pub credit_fraction: f64,
    pub machine_gain: f32,
    pub growth: f64,
    pub price: Vec<f64>,
}

/// What a chunk adds up.
#[derive(Default)]
pub(crate) struct Sums {
    pub to_poor: f64,
    pub to_nonpoor: f64,
    pub leaked: f64,
    pub dibao_paid: f64,
    pub died: f64,
    pub inkind_income: f64,
    pub linked_to_poor: f64,
    pub aid_to_poor: f64,
    pub aid_to_nonpoor: f64,
    pub credit_to_poor: f64,
    pub credit_to_nonpoor: f64,
    pub credit_defaults: f64,
    /// Cooperative loan defaults, (household, yuan), for the capital to cover in order.
    pub loan_default_list: Vec<(u32, f64)>,
    pub planted: Vec<(f64, f64)>,
    pub harvested: Vec<f64>,
    pub contract_planted: Vec<f64>,
    pub contract_paid: Vec<f64>,
}

impl Sums {
    fn new(nc: usize, ne: usize) -> Sums {
        Sums {
            planted: vec![(0.0, 0.0); nc],
            harvested: vec![0.0; nc],
            contract_planted: vec![0.0; ne],
            contract_paid: vec![0.0; ne],
            ..Default::default()
        }
    }

    /// Add `o` into `self` (in chunk order).
    fn add(&mut self, o: Sums) {
        self.to_poor += o.to_poor;
        self.to_nonpoor += o.to_nonpoor;
        self.leaked += o.leaked;
        self.dibao_paid += o.dibao_paid;
        self.died += o.died;
        self.inkind_income += o.inkind_income;
        self.linked_to_poor += o.linked_to_poor;
        self.aid_to_poor += o.aid_to_poor;
        self.aid_to_nonpoor += o.aid_to_nonpoor;
        self.credit_to_poor += o.credit_to_poor;
        self.credit_to_nonpoor += o.credit_to_nonpoor;
        self.credit_defaults += o.credit_defaults;
        self.loan_default_list.extend(o.loan_default_list);
        for (a, b) in self.planted.iter_mut().zip(o.planted) {
            a.0 += b.0;
            a.1 += b.1;
        }
        for (a, b) in self.harvested.iter_mut().zip(o.harvested) {
            *a += b;
        }
        for (a, b) in self.contract_planted.iter_mut().zip(o.contract_planted) {
            *a += b;
        }
        for (a, b) in self.contract_paid.iter_mut().zip(o.contract_paid) {
            *a += b;
        }
    }
}

/// Split the named per-household columns of `State` into chunks of `size`
/// households (`size * nc` entries for the per-commodity ones).
macro_rules! columns {
    ($($f:ident: $t:ty),* ; wide: $($wf:ident: $wt:ty),*) => {
        /// One chunk's slice of every per-household column.
        pub(crate) struct Cols<'a> {
            $(pub $f: &'a mut [$t],)*
            $(pub $wf: &'a mut [$wt],)*
        }

        fn split<'a>(s: &'a mut State, size: usize, nc: usize) -> Vec<Cols<'a>> {
            $(let mut $f = s.$f.chunks_mut(size);)*
            $(let mut $wf = s.$wf.chunks_mut(size * nc);)*
            let mut out = Vec::new();
            loop {
                let chunk = ($($f.next(),)* $($wf.next(),)*);
                match chunk {
                    ($(Some($f),)* $(Some($wf),)*) => out.push(Cols { $($f,)* $($wf,)* }),
                    _ => break,
                }
            }
            out
        }
    };
}

columns!(
    savings: f32, dependency: f32, sick: u8, status: u8, health_cover: f32, student_months: u8, student_fee: f32,
    graduates: u8, graduate_remit: f32, allowance: f32, allowance_months: u8, link: u8, specialised: u32,
    leased: f32, handout_alive: f32, handout_item: u8, handout_suit: f32, orchard: f32, orchard_item: u8,
    orchard_suit: f32, orchard_year: u8, loan: f32, credit: f32, credit_months: u8, credit_flags: u8,
    extra: f32, dibao: f32, trailing: f64, ypc: f32;
    wide: area: f32, stock: f32
);

/// Run the pass over every household; returns the month's sums.
pub(crate) fn run(m_: &Month, s: &mut State) -> Sums {
    let w = m_.w;
    let nc = w.sc.commodities.len();
    let ne = w.sc.enterprises.len();
    let n = w.households();
    let slot = m_.m as usize;
    let mut ring = std::mem::take(&mut s.ring);
    let ring_row = &mut ring[slot * n..(slot + 1) * n];
    let cols = split(s, CHUNK, nc);
    let parts: Vec<Sums> = cols
        .into_par_iter()
        .zip(ring_row.par_chunks_mut(CHUNK))
        .enumerate()
        .map(|(k, (mut hh, ring_row))| chunk(m_, &mut hh, ring_row, k * CHUNK))
        .collect();
    s.ring = ring;
    let mut total = Sums::new(nc, ne);
    for p in parts {
        total.add(p);
    }
    total
}

/// One chunk of households, starting at household `start`. The loop indexes
/// a dozen columns by the same position, so it counts rather than zips.
#[allow(clippy::needless_range_loop)]
fn chunk(m_: &Month, hh: &mut Cols, ring_row: &mut [f32], start: usize) -> Sums {
    let Month { w, arm, t, m, y, uses, health_cover, machine_gain, growth, cash_now, .. } = *m_;
    let (events, ent_pay, hazard_row, leak_by_village, price) =
        (&m_.events, &m_.ent_pay, m_.hazard_row, &m_.leak_by_village, &m_.price);
    let sc = w.sc;
    let b = &sc.behaviour;
    let h = &sc.health;
    let nc = sc.commodities.len();
    let staple = sc.population.staple;
    let wage_rate = (sc.labour.local_wage * sc.labour.employment_rate * growth) as f32;
    let remittance = (sc.labour.remittance * growth) as f32;
    let reimb = (1.0 - h.insurance_reimbursement) as f32;
    // Graduates' skilled wages are set in first-policy-year prices.
    let graduate_growth = (growth / (1.0 + sc.labour.wage_growth)) as f32;
    let mut sums = Sums::new(nc, sc.enterprises.len());
    for j in 0..hh.savings.len() {
        let i = start + j;
        let tr = &w.traits[i];
        let v = tr.village as usize;
        let st = hh.status[j];
        let mut d = hh.dependency[j];
        let effort = 1.0 - b.dependency_effort_loss as f32 * d;
        let prod_e = tr.productivity * effort;

        // Illness: acute shocks (keyed, so identical across arms) and chronic costs.
        let (medical, acute) = illness(w, i, t);
        if acute {
            hh.sick[j] = h.acute_labour_loss_months as u8;
        }
        let lost = if hh.sick[j] > 0 {
            hh.sick[j] -= 1;
            1.0
        } else {
            0.0
        };
        let job = st & JOB != 0;
        let home_labour = (tr.labour - lost - job as u8 as f32).max(0.0);
        let mut income = home_labour * wage_rate * prod_e + tr.migrants as f32 * remittance;
        let mut out_of_pocket = medical * reimb;
        // Medical aid: a tailored package's cover first, then the arm's aid pool.
        if out_of_pocket > 0.0 && uses.health {
            let covered = out_of_pocket.min(hh.health_cover[j]);
            hh.health_cover[j] -= covered;
            out_of_pocket -= covered;
            if health_cover > 0.0 && st & REGISTERED != 0 {
                // The pool is rationed in proportion when this month's claims exceed it.
                let aid = out_of_pocket as f64 * health_cover * m_.health_fraction;
                out_of_pocket -= aid as f32;
                *if st & POOR != 0 { &mut sums.aid_to_poor } else { &mut sums.aid_to_nonpoor } += aid;
            }
        }
        let mut costs = out_of_pocket;
        // School: the family's share of fees while studying; a graduate's remittances after.
        if uses.school && hh.student_months[j] > 0 {
            costs += hh.student_fee[j];
            hh.student_months[j] -= 1;
            if hh.student_months[j] == 0 {
                hh.graduates[j] += 1;
            }
        }
        if uses.school {
            income += hh.graduates[j] as f32 * hh.graduate_remit[j] * graduate_growth;
        }
        if uses.allowance && hh.allowance_months[j] > 0 {
            income += hh.allowance[j];
            hh.allowance_months[j] -= 1;
        }
        if uses.allowance && m == 11 && hh.health_cover[j] > 0.0 {
            // What the cover did not use this year is paid out in cash.
            income += std::mem::take(&mut hh.health_cover[j]);
        }
        let farm_gain = if st & policy::MACHINE != 0 { machine_gain } else { 1.0 };
        let savings = hh.savings[j];
        let link = hh.link[j] as usize;

        // Crops and livestock.
        let row = i * nc;
        let lrow = j * nc;
        for e in events {
            let c = e.c;
            let ys = w.yield_suit[v * nc + c];
            if e.plant {
                // Spring: scale the customary area by the market's factor, within
                // land, labour and cash limits; the change comes from or goes to staple land.
                if e.responsive {
                    let base = w.base_area[row + c];
                    if base > 0.0 {
                        let mut want = base * e.factor;
                        want = want.min(base.max(e.mu_per_labour * tr.labour));
                        if !e.livestock {
                            want = want.min(base.max(e.max_land * tr.land));
                        }
                        if e.cost > 0.0 {
                            want = want.min(base + savings.max(0.0) / e.cost);
                        }
                        let current = hh.area[lrow + c];
                        if e.livestock {
                            hh.area[lrow + c] = want;
                        } else if want > current {
                            let got = (want - current).min(hh.area[lrow + staple]);
                            hh.area[lrow + staple] -= got;
                            hh.area[lrow + c] += got;
                        } else {
                            hh.area[lrow + staple] += current - want;
                            hh.area[lrow + c] = want;
                        }
                    }
                }
                let a = hh.area[lrow + c];
                if !e.livestock && tr.land > 0.0 && a >= SPECIALISED_SHARE * tr.land {
                    hh.specialised[j] |= 1 << c;
                }
                sums.planted[c].0 += a as f64;
                sums.planted[c].1 += (a * ys) as f64;
                if link > 0 && ent_pay[link - 1].4 == c {
                    sums.contract_planted[link - 1] += (a * ys) as f64;
                }
                costs += a * e.cost;
                if e.livestock {
                    hh.stock[lrow + c] = a;
                }
            }
            if e.livestock {
                hh.stock[lrow + c] *= w.survival[v * nc + c];
            }
            if e.harvest {
                let a = if e.livestock { std::mem::take(&mut hh.stock[lrow + c]) } else { hh.area[lrow + c] };
                if a > 0.0 {
                    let floor = if link > 0 && ent_pay[link - 1].4 == c { ent_pay[link - 1].5 } else { 0.0 };
                    let p = e.price.max(floor);
                    let q = ys * hazard_row[v * nc + c] * if e.livestock { effort } else { prod_e * farm_gain };
                    // Left in the ground (or unsold) when it does not pay the digging.
                    if p * q >= e.dig {
                        income += a * (q * p - e.dig);
                        sums.harvested[c] += a as f64;
                        if floor > e.price {
                            sums.contract_paid[link - 1] += (a * q * (floor - e.price)) as f64;
                        }
                    }
                }
            }
        }

        // Enterprise linkage: rent, dividend, wage.
        if link > 0 {
            let (alive, rent, dividend, wage, _, _) = ent_pay[link - 1];
            if alive {
                let paid = hh.leased[j] * rent + dividend + if job { wage } else { 0.0 };
                income += paid;
                if st & POOR != 0 {
                    sums.linked_to_poor += paid as f64;
                }
            }
        }

        // Handed-out animals die according to fit and skill, and are sold
        // with the herd; handed-out trees bear after their years to bearing.
        if uses.handouts && hh.handout_alive[j] > 0.0 {
            let c = hh.handout_item[j] as usize;
            let k = &sc.commodities[c];
            // Skill and hands to tend them: a household without labour loses more.
            let skill = (1.5 - 0.5 * tr.productivity).clamp(0.5, 1.5) / tr.labour.clamp(0.25, 1.0);
            let dead = hh.handout_alive[j] * (k.monthly_mortality as f32 / hh.handout_suit[j] * skill).min(1.0);
            hh.handout_alive[j] -= dead;
            sums.died += dead as f64;
            if k.harvest_month == m {
                let heads = std::mem::take(&mut hh.handout_alive[j]);
                let sale = heads
                    * (k.yield_per as f32 * hh.handout_suit[j])
                    * hazard_row[v * nc + c]
                    * effort
                    * price[c] as f32;
                income += sale;
                sums.inkind_income += sale as f64;
            }
        }
        if uses.handouts && hh.orchard[j] > 0.0 {
            let c = hh.orchard_item[j] as usize;
            let k = &sc.commodities[c];
            if k.harvest_month == m {
                let bearing = y >= hh.orchard_year[j] as usize + k.years_to_bearing as usize;
                let tend = tr.labour.min(1.0);
                let yield_ = if bearing {
                    k.yield_per as f32 * hh.orchard_suit[j] * hazard_row[v * nc + c] * prod_e * tend
                } else {
                    0.0
                };
                // The handout paid the first season's inputs; trees need upkeep after.
                let upkeep = if y > hh.orchard_year[j] as usize { k.cost as f32 } else { 0.0 };
                let net_orchard = hh.orchard[j] * (yield_ * price[c] as f32 - upkeep);
                income += net_orchard;
                sums.inkind_income += net_orchard as f64;
                // An annual crop is one season's handout; trees stay.
                if k.years_to_bearing == 0 {
                    hh.orchard[j] = 0.0;
                }
            }
        }
        if let (Some(arm), true) = (arm, uses.credit) {
            // Credit first: its maturity reads the month's opening savings,
            // as the pre-pass that rationed the guarantee fund did.
            let (returns, credit_interest) = credit_month(m_, arm, hh, i, j, &mut sums);
            let (earned, interest) = loan_month(m_, arm, hh, i, j, &mut sums);
            income += earned + returns;
            costs += interest + credit_interest;
        }
        income += std::mem::take(&mut hh.extra[j]);
        income += hh.dibao[j];
        sums.dibao_paid += hh.dibao[j] as f64;

        // Subsistence need this month, for handouts' dependency and for consumption.
        let need = b.subsistence as f32 * tr.adult_eq;
        // Cash handout to registered households; part is skimmed in delivery.
        if cash_now > 0.0 && st & REGISTERED != 0 {
            let leak = cash_now as f32 * leak_by_village[v];
            income += cash_now as f32 - leak;
            sums.leaked += leak as f64;
            if st & POOR != 0 {
                sums.to_poor += cash_now - leak as f64;
            } else {
                sums.to_nonpoor += cash_now - leak as f64;
            }
            d += b.dependency_handout_step as f32
                * (cash_now as f32 / need).min(policy::MAX_HANDOUT_MONTHS as f32)
                * (1.0 - d);
        }
        if job || st & COOP != 0 {
            d -= b.dependency_earned_decay as f32 * d;
        }
        hh.dependency[j] = d;

        let savings = hh.savings[j];
        if savings < 0.0 {
            costs += -savings * (b.debt_interest / 12.0) as f32;
        }
        let net = income - costs;
        // Trailing 12-month income: replace this month's slot of the ring
        // (laid out month-major, so each month touches 4 bytes a household)
        // and carry the running sum in f64.
        let slot_value = &mut ring_row[j];
        let trailing = hh.trailing[j] + net as f64 - *slot_value as f64;
        *slot_value = net;
        hh.trailing[j] = trailing;
        hh.ypc[j] = (trailing / tr.size.max(1) as f64) as f32;

        // Consumption: subsistence need first, then a share of any surplus;
        // savings buffer shortfalls and run into debt at 60% of need.
        let consumption = if net >= need {
            need + b.mpc as f32 * (net - need)
        } else if savings + net >= need {
            need
        } else {
            (savings.max(0.0) + net).max(0.6 * need)
        };
        hh.savings[j] = savings + net - consumption;
    }
    sums
}

/// Medical cost of household `i` in month `t` before insurance, and whether
/// an acute illness struck: keyed draws, the same in every arm and pass.
#[inline]
fn illness(w: &World, i: usize, t: u32) -> (f32, bool) {
    let h = &w.sc.health;
    let mut medical = 0.0f32;
    let acute = (w.streams.uniform(Purpose::Illness, i as u64, t) as f32) < h.acute_illness_prob as f32;
    if acute {
        let u = w.streams.uniform(Purpose::IllnessCost, i as u64, t);
        medical += (h.acute_cost_mean * -(1.0 - u).ln()) as f32;
    }
    if w.traits[i].flags & CHRONIC != 0 {
        medical += h.chronic_cost as f32;
    }
    (medical, acute)
}

/// Medical out-of-pocket cost of household `i` in month `t`, before any aid.
fn medical_cost(w: &World, i: usize, t: u32) -> f32 {
    illness(w, i, t).0 * (1.0 - w.sc.health.insurance_reimbursement) as f32
}

/// The share of this month's claims the health-aid and credit pools can pay
/// (1 when they cover them all): pooled money is rationed in proportion,
/// not first come, first served, so the answer does not depend on order.
/// Claims are summed chunk by chunk, as the pass pays them, and the share
/// is shaded by one part in 10^9 so rounding can never overspend a pool.
pub(crate) fn rationing(w: &World, arm: Option<&Arm>, s: &State, t: u32) -> (f64, f64) {
    let Some(arm) = arm else { return (1.0, 1.0) };
    if arm.health_aid.is_none() && arm.credit.is_none() {
        return (1.0, 1.0);
    }
    let n = w.households();
    // One pass over the households for both pools, chunk by chunk as the pass pays them.
    let claims = |i: usize| -> (f64, f64) {
        let health = match arm.health_aid {
            Some(aid) if s.status[i] & REGISTERED != 0 => {
                ((medical_cost(w, i, t) - s.health_cover[i]).max(0.0)) as f64 * aid.cover
            }
            _ => 0.0,
        };
        let credit = match arm.credit {
            Some(k) if s.credit[i] > 0.0 => {
                let l = s.credit[i] as f64;
                let mut d = l * k.rate / 12.0 * k.interest_subsidy;
                if s.credit_months[i] <= 1 && s.credit_flags[i] & CREDIT_LOST != 0 {
                    d += (l - l.min(s.savings[i].max(0.0) as f64)) * k.guarantee;
                }
                d
            }
            _ => 0.0,
        };
        (health, credit)
    };
    let parts: Vec<(f64, f64)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|k| (k * CHUNK..((k + 1) * CHUNK).min(n)).map(claims).fold((0.0, 0.0), |a, c| (a.0 + c.0, a.1 + c.1)))
        .collect();
    let (health, credit) = parts.iter().fold((0.0, 0.0), |a, c| (a.0 + c.0, a.1 + c.1));
    let share = |pool: f64, demand: f64| if demand > pool { pool / demand * (1.0 - 1e-9) } else { 1.0 };
    (share(s.pools.health, health), share(s.pools.credit, credit))
}

/// A month of 1+3 credit for household `i`: returns, interest (part paid by
/// the rationed pool), and at maturity repayment, default and the guarantee.
fn credit_month(m_: &Month, arm: &Arm, hh: &mut Cols, i: usize, j: usize, sums: &mut Sums) -> (f32, f32) {
    let Some(k) = arm.credit else { return (0.0, 0.0) };
    let l = hh.credit[j];
    if l <= 0.0 {
        return (0.0, 0.0);
    }
    let poor = hh.status[j] & POOR != 0;
    let mut pay = |yuan: f64| *if poor { &mut sums.credit_to_poor } else { &mut sums.credit_to_nonpoor } += yuan;
    let lost = hh.credit_flags[j] & CREDIT_LOST != 0;
    let rate = if k.mode == CreditMode::SelfUse {
        k.self_return * m_.w.traits[i].productivity as f64
    } else {
        k.paired_return
    };
    let income = if lost { 0.0 } else { l as f64 * rate / 12.0 };
    let interest = l as f64 * k.rate / 12.0;
    let subsidy = interest * k.interest_subsidy * m_.credit_fraction;
    pay(subsidy);
    hh.credit_months[j] = hh.credit_months[j].saturating_sub(1);
    if hh.credit_months[j] == 0 {
        // The principal comes back from the project or partner unless it failed.
        if lost {
            let repaid = l.min(hh.savings[j].max(0.0));
            hh.savings[j] -= repaid;
            let default = (l - repaid) as f64;
            pay(default * k.guarantee * m_.credit_fraction);
            sums.credit_defaults += default;
        }
        hh.credit[j] = 0.0;
    }
    (income as f32, (interest - subsidy) as f32)
}

/// A month of a cooperative loan (统借统还) for household `i`: the return on
/// the borrowed money and its interest; in December the principal comes back
/// with the harvest unless the project failed, and then it is repaid from
/// savings, any default being listed for the cooperative's capital to cover.
fn loan_month(m_: &Month, arm: &Arm, hh: &mut Cols, i: usize, j: usize, sums: &mut Sums) -> (f32, f32) {
    let Some(k) = arm.cooperative else { return (0.0, 0.0) };
    let l = hh.loan[j];
    if l <= 0.0 {
        return (0.0, 0.0);
    }
    let earned = l * (k.loan_return / 12.0) as f32;
    let interest = l * (k.loan_rate / 12.0) as f32;
    if m_.m == 11 {
        hh.loan[j] = 0.0;
        let p = 0.1 * (1.5 - 0.5 * m_.w.traits[i].productivity as f64).clamp(0.5, 1.5);
        if m_.w.streams.uniform(Purpose::Credit, (1 << 40) | i as u64, m_.y as u32) < p {
            let repaid = l.min(hh.savings[j].max(0.0));
            hh.savings[j] -= repaid;
            let default = (l - repaid) as f64;
            if default > 0.0 {
                sums.loan_default_list.push((i as u32, default));
            }
        }
    }
    (earned, interest)
}

/// Book the pass's flows: payments, the rationed pools, and cooperative
/// loan defaults covered by the cooperative's capital in household order.
pub(crate) fn settle(arm: Option<&Arm>, s: &mut State, sums: &Sums) {
    let l: &mut Ledger = &mut s.ledger;
    l.to_poor_households += sums.to_poor + sums.aid_to_poor + sums.credit_to_poor;
    l.to_nonpoor_households += sums.to_nonpoor + sums.aid_to_nonpoor + sums.credit_to_nonpoor;
    l.diverted += sums.leaked;
    s.pools.health = (s.pools.health - sums.aid_to_poor - sums.aid_to_nonpoor).max(0.0);
    s.pools.credit = (s.pools.credit - sums.credit_to_poor - sums.credit_to_nonpoor).max(0.0);
    s.counters.credit_defaults += sums.credit_defaults;
    s.counters.loan_defaults += sums.loan_default_list.iter().map(|&(_, d)| d).sum::<f64>();
    if let Some(k) = arm.and_then(|a| a.cooperative) {
        for &(i, default) in &sums.loan_default_list {
            let coop = &mut s.coops[k.cooperative];
            let covered = default.min(coop.capital);
            coop.capital -= covered;
            s.ledger.coop_capital -= covered;
            book_payment(&mut s.ledger, s.status[i as usize], covered);
        }
    }
}
