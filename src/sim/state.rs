//! The state of one arm: the core household columns, one block per
//! mechanism, the markets, the pools and the books.
//!
//! Every arm of a replicate starts from a clone of the state at the end of
//! the pre-policy year.

use super::shared::Replicate;
use crate::household::{Households, Status, Unmet};
use crate::ledger::Ledger;
use crate::mechanism::budget::Pools;
use crate::mechanism::cooperative::Coops;
use crate::mechanism::credit::Credit;
use crate::mechanism::enterprise::Enterprises;
use crate::mechanism::health::Cover;
use crate::mechanism::herd::Herd;
use crate::mechanism::inkind::InKind;
use crate::mechanism::market::MarketState;
use crate::mechanism::package::Allowances;
use crate::mechanism::school::School;
use crate::mechanism::{
    guarantee, infrastructure, labour, labour_market, loan_guarantee, local_economy, machinery, registry, relocation,
    venture,
};
use crate::metrics;
use crate::outcome::INSTRUMENTS;
use crate::world::World;

/// Per-arm dynamic state (struct of arrays, indexed by household).
#[derive(Clone)]
pub struct State {
    pub hh: Households,
    /// Net income of the last 12 months, month-major: `ring[slot * n + i]`.
    pub ring: Vec<f32>,
    /// Monthly dibao top-up of each household, yuan.
    pub dibao: Vec<f32>,
    pub ent: Enterprises,
    pub coops: Coops,
    pub inkind: InKind,
    /// Breeding herds (empty when no commodity breeds).
    pub herd: Herd,
    /// Households' businesses and own machines (empty when `[ventures]` allows neither).
    pub books: venture::Books,
    /// This year's businesses opened and closed, machines bought and worn out.
    pub ventures: venture::Sums,
    pub allowances: Allowances,
    pub cover: Cover,
    pub school: School,
    pub credit: Credit,
    /// The loan guarantee company.
    pub company: loan_guarantee::Company,
    /// The arm's resident work teams this year.
    pub teams: registry::Teams,
    pub machinery: machinery::Tally,
    /// Guarantees met this year.
    pub guarantees: guarantee::Tally,
    /// The arm's infrastructure projects and their villages' factors.
    pub infra: infrastructure::Works,
    /// Households linked to e-commerce this year.
    pub ecommerce_linked: f64,
    /// Households moved and returned this year (relocation).
    pub moves: relocation::Moves,
    pub markets: Vec<MarketState>,
    /// The local labour market and this year's migration choices.
    pub work: labour_market::Market,
    /// Local sales and prices against the reference arm.
    pub local: local_economy::Local,
    pub ledger: Ledger,
    pub pools: Pools,
    /// Spending per instrument this year, yuan, in the order of [`INSTRUMENTS`].
    pub spent_by: [f64; INSTRUMENTS.len()],
    /// Enterprise and cooperative payments to poor households since the start, yuan.
    pub linked_to_poor: f64,
    /// Households registered at the last identification.
    pub registered: u32,
    /// Of them, households in transition after their exit.
    pub in_transition: u32,
    /// Of them, households above the line kept on because they lack a guarantee.
    pub held: u32,
    pub fiscal_month: f64,
    pub dibao_month: f64,
    pub fiscal_year: f64,
    pub dibao_year: f64,
    /// Household consumption this month and so far this year, yuan.
    pub consumption_month: f64,
    pub consumption_year: f64,
    /// Household debt defaulted on this month and so far this year, yuan.
    pub debt_defaults_month: f64,
    pub debt_defaults_year: f64,
    /// Households registered early by monitoring so far this year.
    pub early_entries: f64,
    /// Scratch of the income sort behind the Gini and the median.
    pub order: Vec<u32>,
    pub radix: metrics::RadixScratch,
}

impl State {
    /// The core household columns at the opening of the pre-policy year.
    pub fn households(w: &World) -> Households {
        let n = w.households();
        let sc = w.sc;
        let savings: Vec<f32> = w
            .traits
            .iter()
            .map(|t| t.adult_eq * sc.behaviour.subsistence as f32 * sc.population.savings_months as f32)
            .collect();
        Households {
            booked: savings.iter().map(|&x| x as f64).collect(),
            savings,
            dependency: vec![sc.population.dependency_mean as f32; n],
            trailing: vec![0.0; n],
            sick: vec![0; n],
            status: vec![Status::empty(); n],
            history: vec![0; n],
            extra: vec![0.0; n],
            in_kind: vec![0.0; n],
            specialised: vec![0; n],
            ypc: vec![0.0; n],
            supported: vec![false; n],
            unmet: vec![Unmet::empty(); n],
            online: vec![false; n],
            moved: vec![0; n],
            returned: vec![false; n],
            away: w.traits.iter().map(|t| labour::founding(t.migrants)).collect(),
            adopted: vec![0; n],
            knows: vec![0; n],
            transferred: vec![0.0; n],
            area: w.base_area.clone(),
            stock: vec![0.0; w.base_area.len()],
            left: vec![0.0; w.base_area.len()],
        }
    }

    /// Households an instrument serves: the registered, less those in
    /// transition unless the instrument `keeps` serving them.
    pub fn served(&self, keeps: bool) -> u32 {
        if keeps {
            self.registered
        } else {
            self.registered - self.in_transition
        }
    }

    /// Opening state of the pre-policy year.
    pub fn new(r: &Replicate) -> State {
        let w = &r.world;
        let n = w.households();
        let sc = r.sc;
        let mut hh = State::households(w);
        let coops = Coops::new(&r.founded, &mut hh);
        State {
            hh,
            ring: vec![0.0; 12 * n],
            dibao: vec![0.0; n],
            ent: Enterprises::new(&sc.enterprises, n),
            coops,
            inkind: InKind::new(n),
            herd: Herd::new(w),
            books: venture::Books::new(n, &sc.ventures),
            ventures: venture::Sums::default(),
            allowances: Allowances { allowance: vec![0.0; n], allowance_months: vec![0; n] },
            cover: Cover { health_cover: vec![0.0; n] },
            school: School::new(n),
            credit: Credit::new(n),
            company: loan_guarantee::Company::default(),
            teams: registry::Teams::default(),
            machinery: machinery::Tally::default(),
            guarantees: guarantee::Tally::default(),
            infra: infrastructure::Works::new(r.sc.population.villages.len()),
            ecommerce_linked: 0.0,
            moves: relocation::Moves::default(),
            markets: sc.commodities.iter().map(MarketState::new).collect(),
            work: labour_market::Market::new(sc, &w.area_by_commodity()),
            local: local_economy::Local::default(),
            ledger: Ledger::default(),
            pools: Pools::default(),
            spent_by: [0.0; INSTRUMENTS.len()],
            linked_to_poor: 0.0,
            registered: 0,
            in_transition: 0,
            held: 0,
            fiscal_month: 0.0,
            dibao_month: 0.0,
            fiscal_year: 0.0,
            dibao_year: 0.0,
            consumption_month: 0.0,
            consumption_year: 0.0,
            debt_defaults_month: 0.0,
            debt_defaults_year: 0.0,
            early_entries: 0.0,
            order: Vec::new(),
            radix: metrics::RadixScratch::default(),
        }
    }
}
