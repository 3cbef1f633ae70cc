//! What every arm of a replicate shares, and where a month's rows go.

use crate::mechanism::cooperative::{self, Membership};
use crate::mechanism::demography::Demography;
use crate::mechanism::market::PricePaths;
use crate::outcome::{Layout, MARKET, MONTHLY};
use crate::rng::Streams;
use crate::scenario::Scenario;
use crate::world::World;

/// Everything shared by the arms of one replicate.
pub struct Replicate<'a> {
    pub sc: &'a Scenario,
    pub world: World<'a>,
    /// The cooperatives as founded, before any policy.
    pub founded: Vec<Membership>,
    pub prices: PricePaths,
    /// Column positions of the yearly metrics.
    pub layout: Layout,
    /// Whether any arm has a local economy (`[local_economy]`, or an arm's
    /// `set`): only then is spending by village counted, for every arm.
    pub local_economy: bool,
    /// The households' composition year by year (`[demography]`), the same in every arm.
    pub demography: Option<Demography>,
}

impl<'a> Replicate<'a> {
    pub fn new(sc: &'a Scenario, replicate: u32) -> Replicate<'a> {
        match Replicate::new_until(sc, replicate, &std::sync::atomic::AtomicBool::new(false)) {
            Some(r) => r,
            None => unreachable!("never stopped"),
        }
    }

    /// As [`Replicate::new`], but gives up (`None`) soon after `stop` is set.
    pub fn new_until(sc: &'a Scenario, replicate: u32, stop: &std::sync::atomic::AtomicBool) -> Option<Replicate<'a>> {
        let streams = Streams::new(sc.seed, replicate);
        let mut world = World::new_until(&sc.setting, streams, stop)?;
        let teams: Vec<bool> = sc.population.villages.iter().map(|v| sc.targeting.has_team(v)).collect();
        world.mark_ties(sc.targeting.ties_share, sc.targeting.favour_projects, (&teams, sc.targeting.work_team_check));
        let founded = cooperative::found(&sc.cooperatives, &mut world);
        let demography = sc.demography.as_ref().map(|d| Demography::build(d, &world, sc.years as usize));
        Some(Replicate {
            sc,
            world,
            founded,
            demography,
            prices: PricePaths::new(&sc.commodities, sc.years, streams),
            layout: Layout::new(sc.yearly_names()),
            local_economy: sc.local_economy.on() || sc.arm_scenarios.iter().flatten().any(|a| a.local_economy.on()),
        })
    }
}

/// Where one month's outputs go.
#[derive(Default)]
pub struct MonthSink {
    /// Whether monthly rows are wanted; without them, the poverty measures
    /// (and the sort behind the Gini) run only in December.
    pub wanted: bool,
    pub monthly: Vec<[f64; MONTHLY.len()]>,
    pub market: Vec<[f64; MARKET.len()]>,
}
