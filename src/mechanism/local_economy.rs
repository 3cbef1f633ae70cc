//! Spending that stays in the township: the local multiplier and local
//! prices (MODEL.md §9–10).
//!
//! The calibrated incomes already hold the local trade of the world without
//! the policy. What an arm changes is spending: cash recipients buy more,
//! households that lose a harvest buy less. So the mechanism works on the
//! difference from the **reference arm** (the first), month by month and
//! village by village, on the same households and the same draws (common
//! random numbers):
//!
//! - **Local sales.** Of the change in a village's cash consumption (food
//!   eaten from one's own harvest is not bought) against the reference arm's
//!   in the same month, `local_share` is spent with sellers in the village,
//!   and `margin` of that becomes their income (the rest pays for goods
//!   brought in from outside), at unchanged prices. `farm_share` of it buys local farm produce and
//!   is shared among the village's households by their crop land; the rest
//!   goes to its households with a business (`[ventures]`), equally — to the
//!   farms too where no household has one. Sellers are paid the next month,
//!   and what they earn is income they spend in turn: the multiplier is the
//!   sum of those rounds, not a parameter. A fall in spending lowers their
//!   income the same way.
//! - **Local prices.** Where local supply is inelastic, prices rise with
//!   demand: a village's price level *p* is (its cash consumption ÷ the
//!   reference arm's)^`price_response`, and a household's income counts in
//!   the poverty measure at 1 + `local_share` × (*p* − 1) less (its local
//!   purchases cost more). Sellers keep the whole of the higher price: of
//!   local spending *S* against the reference's *S*ᵣ, they earn `margin` ×
//!   (*S*/*p* − *S*ᵣ) on the quantity sold above the reference's and
//!   *S* × (1 − 1/*p*) on the price. So part of a transfer leaks into prices:
//!   it moves income from buyers to sellers instead of buying more.
//!
//! The reference arm itself has neither effect: its local trade is the
//! calibrated one. `local_multiplier` (per year and over the run) is the
//! change in the township's total income against the reference per yuan of
//! the arm's spending against the reference: 1 when nothing is spent locally
//! and nothing else responds, more with local spending.
//!
//! Section: `[local_economy]` (off by default: a local share of 0).

use crate::check::Checker;
use crate::household::Households;
use crate::setting::{village_index, CommodityKind, Village};
use crate::world::World;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LocalEconomyFile {
    /// Share of a household's cash consumption bought from sellers in its own village (its shops, its farms). 0 turns
    /// the mechanism off. A remote village buys more of its goods locally than one on a good road (source: assumed;
    /// the shares of village spending on local goods in Taylor & Filipski 2014's LEWIE models are 0.3–0.7).
    ///
    /// Unit: share. Default: `0` (off). Allowed: [0, 1].
    #[serde(default)]
    pub local_share: f64,
    /// Share of a yuan spent with local sellers that becomes their income (value added; the rest buys the goods they
    /// bring in from outside) (source: assumed).
    ///
    /// Unit: share. Default: `0.3`. Allowed: [0, 1].
    #[serde(default = "default_margin")]
    pub margin: f64,
    /// Share of local spending that buys local farm produce, paid to the village's households by crop land; the rest
    /// goes to its households with a business (source: assumed).
    ///
    /// Unit: share. Default: `0.4`. Allowed: [0, 1].
    #[serde(default = "default_farm_share")]
    pub farm_share: f64,
    /// Elasticity of a village's price level to its cash consumption against the reference arm's: 0 where supply is
    /// elastic (goods come in by road at the same price), higher where it is not (source: assumed; Egger et al. 2022
    /// find a 0.1% rise in local prices for transfers of about 15% of local GDP in rural Kenya, so near 0 there).
    ///
    /// Unit: –. Default: `0`. Allowed: [0, 5].
    #[serde(default)]
    pub price_response: f64,
    /// Villages with their own `local_share` or `price_response`: `[[local_economy.villages]]` tables with `name` and
    /// either field.
    ///
    /// Unit: –. Default: `[]`. Allowed: each a village name, none listed twice.
    #[serde(default)]
    pub villages: Vec<LocalVillageFile>,
}

impl Default for LocalEconomyFile {
    fn default() -> Self {
        LocalEconomyFile {
            local_share: 0.0,
            margin: default_margin(),
            farm_share: default_farm_share(),
            price_response: 0.0,
            villages: Vec::new(),
        }
    }
}

fn default_margin() -> f64 {
    0.3
}
fn default_farm_share() -> f64 {
    0.4
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct LocalVillageFile {
    /// The village.
    ///
    /// Unit: village name. Default: required. Allowed: name of a village.
    pub name: String,
    /// This village's `local_share`.
    ///
    /// Unit: share. Default: the section's. Allowed: [0, 1].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub local_share: Option<f64>,
    /// This village's `price_response`.
    ///
    /// Unit: –. Default: the section's. Allowed: [0, 5].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price_response: Option<f64>,
}

/// `[local_economy]`, validated: per village, its local share and price response.
#[derive(Debug, Clone, PartialEq)]
pub struct LocalEconomy {
    pub share: Vec<f64>,
    pub response: Vec<f64>,
    pub margin: f64,
    pub farm_share: f64,
}

impl LocalEconomy {
    /// Whether any village buys locally.
    pub fn on(&self) -> bool {
        self.share.iter().any(|&s| s > 0.0)
    }
}

/// `[local_economy]`, for the villages `villages`.
pub fn check(c: &mut Checker, f: &LocalEconomyFile, villages: &[Village]) -> LocalEconomy {
    c.prob("local_economy.local_share", f.local_share);
    c.prob("local_economy.margin", f.margin);
    c.prob("local_economy.farm_share", f.farm_share);
    c.num("local_economy.price_response", f.price_response, 0.0, 5.0);
    let mut share = vec![f.local_share; villages.len()];
    let mut response = vec![f.price_response; villages.len()];
    let mut listed = std::collections::HashSet::new();
    for (j, lv) in f.villages.iter().enumerate() {
        let p = format!("local_economy.villages[{j}]");
        let v = village_index(c, villages, &format!("{p}.name"), &lv.name);
        if !listed.insert(&lv.name) {
            c.push(&format!("{p}.name"), format!("{:?}", lv.name), "a village not already listed");
        }
        if let Some(s) = lv.local_share {
            c.prob(&format!("{p}.local_share"), s);
            if let Some(x) = share.get_mut(v) {
                *x = s;
            }
        }
        if let Some(r) = lv.price_response {
            c.num(&format!("{p}.price_response"), r, 0.0, 5.0);
            if let Some(x) = response.get_mut(v) {
                *x = r;
            }
        }
    }
    LocalEconomy { share, response, margin: f.margin, farm_share: f.farm_share }
}

/// One arm's local economy.
#[derive(Debug, Clone, Default)]
pub struct Local {
    /// The reference arm's cash consumption this month, per village (`None`:
    /// this is the reference arm, or the pre-policy year).
    pub reference: Option<Vec<f64>>,
    /// This month's cash consumption per village, from the pass.
    pub spent: Vec<f64>,
    /// What sellers are paid this month, per village: yuan per mu of crop
    /// land, and per household with a business.
    pub per_mu: Vec<f32>,
    pub per_business: Vec<f32>,
    /// This month's factor on incomes per village: 1 + share × (price level − 1).
    pub deflator: Vec<f32>,
    /// The person-weighted price level of this month's deflator, less 1.
    pub level_above: f64,
    /// This year: seller income paid, yuan; the person-weighted price level summed over months, and the months.
    pub sales_year: f64,
    pub price_year: f64,
    pub months_year: f64,
}

impl Local {
    /// The year's mean local price level (1 before any month counted).
    pub fn price_index(&self) -> f64 {
        if self.months_year > 0.0 {
            self.price_year / self.months_year
        } else {
            1.0
        }
    }

    /// After December's row.
    pub fn close_year(&mut self) {
        (self.sales_year, self.price_year, self.months_year) = (0.0, 0.0, 0.0);
    }

    /// What the pass reads this month: `None` when nothing changes hands.
    pub fn pay(&self) -> Option<Pay<'_>> {
        (!self.deflator.is_empty()).then_some(Pay {
            per_mu: &self.per_mu,
            per_business: &self.per_business,
            deflator: &self.deflator,
        })
    }
}

/// What the household pass reads: per village, sellers' pay and the deflator.
#[derive(Debug, Clone, Copy)]
pub struct Pay<'a> {
    pub per_mu: &'a [f32],
    pub per_business: &'a [f32],
    pub deflator: &'a [f32],
}

/// A household's income as a local seller in village `v` this month, with
/// `crop_mu` of crop land and a business or not.
#[inline]
pub fn seller_income(p: &Pay, v: usize, crop_mu: f32, business: bool) -> f32 {
    p.per_mu[v] * crop_mu + if business { p.per_business[v] } else { 0.0 }
}

/// After the pass: the month's price level counts in the year's index;
/// then this month's cash consumption `spent` (per village) sets what local
/// sellers are paid next month and next month's price levels, against the
/// reference arm's consumption. Households' crop land is read from `hh`
/// (households at a resettlement site neither buy nor sell in their
/// village), their businesses from `business` (year opened + 1 per
/// household, empty without ventures).
pub fn close(le: &LocalEconomy, w: &World, local: &mut Local, spent: &[f64], (hh, business): (&Households, &[u8])) {
    local.price_year += 1.0 + local.level_above;
    local.months_year += 1.0;
    local.spent.clear();
    local.spent.extend_from_slice(spent);
    let Some(reference) = local.reference.as_ref().filter(|_| le.on()) else {
        local.deflator.clear();
        local.level_above = 0.0;
        return;
    };
    let sc = w.sc;
    let (nc, nv) = (sc.commodities.len(), le.share.len());
    let crops: Vec<usize> = (0..nc).filter(|&c| sc.commodities[c].kind == CommodityKind::Crop).collect();
    let (mut mu, mut shops, mut people) = (vec![0.0f64; nv], vec![0.0f64; nv], vec![0.0f64; nv]);
    for (i, t) in w.traits.iter().enumerate() {
        if hh.moved[i] > 0 && !hh.returned[i] {
            continue;
        }
        let v = t.village as usize;
        mu[v] += crops.iter().map(|&c| hh.area[i * nc + c] as f64).sum::<f64>();
        shops[v] += business.get(i).is_some_and(|&b| b > 0) as u8 as f64;
        people[v] += w.sizes[i] as f64;
    }
    local.per_mu = vec![0.0; nv];
    local.per_business = vec![0.0; nv];
    local.deflator = vec![1.0; nv];
    let mut level = 0.0;
    for v in 0..nv {
        let p = if reference[v] > 0.0 && spent[v] > 0.0 { (spent[v] / reference[v]).powf(le.response[v]) } else { 1.0 };
        // At the reference arm's prices households bought spent ÷ p: sellers earn the margin on the quantity
        // above the reference's, and the whole of the higher price.
        let sales = le.share[v] * (le.margin * (spent[v] / p - reference[v]) + spent[v] * (1.0 - 1.0 / p));
        let farm = if shops[v] > 0.0 { le.farm_share } else { 1.0 };
        if mu[v] > 0.0 {
            local.per_mu[v] = (farm * sales / mu[v]) as f32;
        }
        if shops[v] > 0.0 {
            local.per_business[v] = ((1.0 - farm) * sales / shops[v]) as f32;
        }
        local.deflator[v] = (1.0 + le.share[v] * (p - 1.0)) as f32;
        level += people[v] * p;
    }
    let total: f64 = people.iter().sum();
    local.level_above = if total > 0.0 { level / total - 1.0 } else { 0.0 };
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A village listed under `[[local_economy.villages]]` takes its own
    /// share and response; the others keep the section's; a village listed
    /// twice or unknown is refused.
    #[test]
    fn villages_take_their_own_share_and_response() {
        let sc = crate::testing::township(100);
        let villages = &sc.population.villages;
        let named = |name: &str, share: Option<f64>| LocalVillageFile {
            name: name.into(),
            local_share: share,
            price_response: Some(0.4),
        };
        let f = LocalEconomyFile {
            local_share: 0.2,
            villages: vec![named(&villages[1].name, Some(0.7))],
            ..Default::default()
        };
        let mut c = Checker::default();
        let le = check(&mut c, &f, villages);
        assert!(c.errors.is_empty());
        assert_eq!((le.share[1], le.response[1]), (0.7, 0.4));
        assert_eq!((le.share[0], le.response[0]), (0.2, 0.0));
        let twice = LocalEconomyFile {
            villages: vec![named(&villages[1].name, None), named(&villages[1].name, None), named("Atlantis", None)],
            ..Default::default()
        };
        let mut c = Checker::default();
        check(&mut c, &twice, villages);
        assert_eq!(c.errors.len(), 2, "{:?}", c.errors);
    }

    fn economy(nv: usize, share: f64, response: f64) -> LocalEconomy {
        LocalEconomy { share: vec![share; nv], response: vec![response; nv], margin: 0.3, farm_share: 0.4 }
    }

    /// A village spending 20% more than the reference at a price response
    /// of 0.5 has a price level p = 1.2^0.5, and incomes there count at
    /// 1 + share × (p − 1) less. What its sellers are paid adds up to
    /// share × (margin × (12,000 / p − 10,000) + 12,000 × (1 − 1/p)), split
    /// by farm_share between crop land and businesses; at a price response of
    /// 0, share × margin × 2,000.
    #[test]
    fn sales_add_up_and_prices_follow_demand() {
        let sc = crate::testing::township(400);
        let w = World::new(&sc.setting, crate::rng::Streams::new(1, 0));
        let nv = sc.population.villages.len();
        let nc = sc.commodities.len();
        let hh = crate::sim::State::households(&w);
        // Every fourth household has a business.
        let business: Vec<u8> = (0..w.households()).map(|i| (i % 4 == 0) as u8).collect();
        let le = economy(nv, 0.5, 0.5);
        let reference = vec![10_000.0; nv];
        let spent: Vec<f64> = (0..nv).map(|v| 10_000.0 + 2_000.0 * (v % 2) as f64).collect();
        let mut local = Local { reference: Some(reference), ..Default::default() };
        close(&le, &w, &mut local, &spent, (&hh, &business));
        let pay = local.pay().unwrap();
        let crops: Vec<usize> = (0..nc).filter(|&c| sc.commodities[c].kind == CommodityKind::Crop).collect();
        let mut paid = vec![0.0f64; nv];
        for (i, (t, &b)) in w.traits.iter().zip(&business).enumerate() {
            let mu: f32 = crops.iter().map(|&c| hh.area[i * nc + c]).sum();
            paid[t.village as usize] += seller_income(&pay, t.village as usize, mu, b > 0) as f64;
        }
        let p = 1.2f64.sqrt();
        // The businesses' part is 1 − farm_share of the sales, shared equally.
        let shops =
            |v: usize| w.traits.iter().zip(&business).filter(|(t, &b)| t.village as usize == v && b > 0).count();
        let sales1 = 0.5 * (0.3 * (12_000.0 / p - 10_000.0) + 12_000.0 * (1.0 - 1.0 / p));
        assert!((pay.per_business[1] as f64 * shops(1) as f64 - 0.6 * sales1).abs() < 1e-3 * sales1);
        for (v, &paid) in paid.iter().enumerate() {
            let sales = 0.5 * (0.3 * (12_000.0 / p - 10_000.0) + 12_000.0 * (1.0 - 1.0 / p)) * (v % 2) as f64;
            assert!((paid - sales).abs() < 1e-3 * sales.max(1.0), "village {v}: {paid} against {sales}");
            let expected = 1.0 + 0.5 * (1.2f64.sqrt() - 1.0);
            let d = if v % 2 == 1 { expected } else { 1.0 };
            assert!((pay.deflator[v] as f64 - d).abs() < 1e-6, "village {v}: {}", pay.deflator[v]);
        }
        // The reference arm pays nobody and moves no price.
        let mut reference = Local::default();
        close(&le, &w, &mut reference, &spent, (&hh, &business));
        assert!(reference.pay().is_none());
        // At a price response of 0 sellers earn the margin on the extra spending.
        let mut elastic = Local { reference: Some(vec![10_000.0; nv]), ..Default::default() };
        close(&economy(nv, 0.5, 0.0), &w, &mut elastic, &spent, (&hh, &business));
        let v = 1;
        let total: f64 = (0..w.households())
            .filter(|&i| w.traits[i].village as usize == v)
            .map(|i| {
                let mu: f32 = crops.iter().map(|&c| hh.area[i * nc + c]).sum();
                seller_income(&elastic.pay().unwrap(), v, mu, business[i] > 0) as f64
            })
            .sum();
        assert!((total - 0.5 * 0.3 * 2_000.0).abs() < 0.1, "{total}");
        assert_eq!(elastic.deflator[v], 1.0);
        // Nothing is spent locally at a share of 0.
        let mut off = Local { reference: Some(vec![10_000.0; nv]), ..Default::default() };
        close(&economy(nv, 0.0, 0.5), &w, &mut off, &spent, (&hh, &business));
        assert!(off.pay().is_none());
    }
}
