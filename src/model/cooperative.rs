//! Cooperatives (合作社): members pledge land-use rights as shares, the
//! cooperative farms the pooled land in its business line, and the season's
//! surplus is paid out by land share after the founders take their part.
//!
//! Membership is part of the population (the same in every arm of a
//! replicate): `members` households of the cooperative's village, drawn by
//! a keyed walk; the most productive of them are the founders.

use crate::model::population::Traits;
use crate::rng::{Purpose, Streams};
use crate::scenario::Cooperative;

#[derive(Debug, Clone, PartialEq)]
pub struct Membership {
    /// Member households; the first `founders` of them are the founders.
    pub members: Vec<u32>,
    /// Land each member pledged, mu.
    pub pledged: Vec<f32>,
    pub founders: usize,
    /// Total pooled land, mu.
    pub pooled: f64,
}

/// A walk over `0..n` that visits each index once: blocks of
/// [`WALK_BLOCK`] consecutive indices, the blocks in a keyed order (a keyed
/// start and a stride coprime to the number of blocks). An allocation-free
/// shuffle for choosing households that still reads memory in runs, which
/// matters at the national scale, where a fully scattered walk was mostly
/// cache misses.
pub fn keyed_walk(n: usize, streams: Streams, entity: u64) -> impl Iterator<Item = usize> {
    let blocks = n.div_ceil(WALK_BLOCK);
    let bits = streams.bits(Purpose::Organisation, entity, 0);
    let start = if blocks == 0 { 0 } else { (bits % blocks as u64) as usize };
    let mut stride = if blocks <= 1 { 1 } else { 1 + ((bits >> 32) % (blocks as u64 - 1)) as usize };
    while gcd(stride, blocks.max(1)) != 1 {
        stride += 1;
    }
    (0..blocks).flat_map(move |k| {
        let b = (start + k * stride) % blocks;
        b * WALK_BLOCK..((b + 1) * WALK_BLOCK).min(n)
    })
}

/// Households per block of a [`keyed_walk`].
pub const WALK_BLOCK: usize = 16;

fn gcd(mut a: usize, mut b: usize) -> usize {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

/// Choose the members of cooperative `index` from the households of its
/// village (`village_range`).
pub fn enrol(
    spec: &Cooperative,
    index: usize,
    village_range: std::ops::Range<usize>,
    traits: &[Traits],
    streams: Streams,
) -> Membership {
    let len = village_range.len();
    let mut members: Vec<u32> = keyed_walk(len, streams, 1_000 + index as u64)
        .map(|k| (village_range.start + k) as u32)
        .filter(|&i| traits[i as usize].land > 0.0)
        .take(spec.members)
        .collect();
    // Founders are the most productive members: local elites (能人).
    let founders = spec.founders.min(members.len());
    members
        .sort_by(|&a, &b| traits[b as usize].productivity.total_cmp(&traits[a as usize].productivity).then(a.cmp(&b)));
    members[founders..].sort_unstable();
    let pledged: Vec<f32> = members.iter().map(|&i| traits[i as usize].land * spec.land_share as f32).collect();
    let pooled = pledged.iter().map(|&x| x as f64).sum();
    Membership { members, pledged, founders, pooled }
}

/// The season's payout: founders first capture `capture` of the surplus,
/// the rest goes by pledged land. Calls `pay(member index, household, yuan)`
/// for each member and returns what the founders received in all (capture
/// plus their own land dividends).
pub fn distribute(capture: f64, m: &Membership, surplus: f64, mut pay: impl FnMut(usize, u32, f64)) -> f64 {
    if surplus <= 0.0 || m.members.is_empty() || m.pooled <= 0.0 {
        return 0.0;
    }
    let captured = surplus * capture;
    let per_founder = if m.founders > 0 { captured / m.founders as f64 } else { 0.0 };
    let shared = surplus - captured;
    let mut to_founders = 0.0;
    for (k, (&i, &land)) in m.members.iter().zip(&m.pledged).enumerate() {
        let founder = if k < m.founders { per_founder } else { 0.0 };
        let yuan = founder + shared * land as f64 / m.pooled;
        if k < m.founders {
            to_founders += yuan;
        }
        pay(k, i, yuan);
    }
    to_founders
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyed_walk_is_a_permutation() {
        for n in [1usize, 2, 7, 12, 100] {
            let mut v: Vec<usize> = keyed_walk(n, Streams::new(3, 1), 9).collect();
            v.sort();
            assert_eq!(v, (0..n).collect::<Vec<_>>());
        }
    }

    #[test]
    fn surplus_goes_by_land_share_after_capture() {
        let m = Membership { members: vec![7, 1, 2], pledged: vec![1.0, 1.0, 2.0], founders: 1, pooled: 4.0 };
        let mut paid = vec![];
        let founders = distribute(0.4, &m, 1000.0, |_, i, y| paid.push((i, y)));
        assert_eq!(founders, 400.0 + 150.0);
        assert_eq!(paid, vec![(7, 400.0 + 150.0), (1, 150.0), (2, 300.0)]);
    }
}
