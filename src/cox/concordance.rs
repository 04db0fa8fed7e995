//! Harrell's concordance of the linear predictor and its infinitesimal-jackknife standard
//! error, as R's `concordancefit(y, lp, strata, weights, reverse = TRUE)` (survival 3.5,
//! `concordance3.c`), which `coxph` reports.
//!
//! Subjects are visited by decreasing time within each stratum, censored before deaths at a
//! tied time. A search tree over the ranks of the linear predictor holds the weights of the
//! subjects already visited (the risk set of the current time): each death j of weight w_j
//! finds the at-risk weight with a smaller predictor (concordant), larger (discordant) and
//! equal (tied.x) in O(log n). Deaths at the same time are tied.y pairs (tied.xy when their
//! predictors are equal too), and are excluded. With npair = concordant + discordant + tied.x:
//! C = (concordant + tied.x / 2) / npair.
//!
//! Standard error: each subject's influence on Somers' d = (concordant − discordant) / npair
//! (its pairs as a death against the at-risk, plus its pairs as an at-risk subject against the
//! later deaths), dfbeta_i = w_i ((c_i − d_i) − d·(c_i + d_i + t_i)) / (2 npair), and
//! var(C) = Σ dfbeta_i². The at-risk part of each subject comes from a second tree holding the
//! deaths not yet visited. One pass gives the counts and each subject's two influence sums
//! (c_i − d_i and c_i + d_i + t_i, kept in scratch); Somers' d then gives the variance.
//! R's tree is a balanced binary tree; these are Fenwick trees, interleaved so that the two
//! trees' queries at one rank share cache lines: same sums, O(log n) each.
//!
//! Heavily tied times (at most n/8 distinct tied-time blocks, the usual whole-day data) take
//! the other orientation ([`Orientation::ByRank`]): subjects in increasing predictor order,
//! Fenwick trees over the time blocks, which stay in cache; the same sums.
//!
//! Everything runs on the fit's [`super::design`] in scratch: the predictor βᵀz of each
//! subject in sweep order (z the centred, scaled rows: the same ranks as R's x β − Σ β m,
//! unless two different rows give predictors that differ by rounding only), its dense rank
//! within the stratum by one radix sort per stratum, then one sweep.

use super::design::{flag, Regions, BLOCK_START, EVENT, STRATUM_START};
use super::MAX_COVARIATES;
use crate::numeric::NeumaierSum;
use crate::sort::{sort_order_by_key, total_order_key};
use crate::Status;

/// Which of the two trees of [`Trees`].
#[derive(Clone, Copy)]
enum Tree {
    /// The risk set: subjects already visited.
    AtRisk = 0,
    /// The deaths not yet visited.
    Other = 1,
}

/// Two Fenwick (binary indexed) trees of weights over ranks 0 … m − 1, with the weight of each
/// rank kept apart so that ties are exact. Interleaved per rank, [prefix₀, node₀, prefix₁,
/// node₁]: the two trees are queried at the same ranks, so one cache line serves both.
struct Trees<'s> {
    cells: &'s mut [[f64; 4]],
    total: [f64; 2],
}

/// At-risk weight relative to one rank.
#[derive(Clone, Copy, Default)]
struct Split {
    smaller: f64,
    equal: f64,
    greater: f64,
}

impl<'s> Trees<'s> {
    /// Two empty trees over m ranks in the front of `values` (4m values).
    fn new(values: &'s mut [f64], m: usize) -> Result<Self, Status> {
        let (cells, _) = values.as_chunks_mut::<4>();
        let cells = cells.get_mut(..m).ok_or(Status::ScratchTooSmall)?;
        cells.iter_mut().for_each(|c| *c = [0.0; 4]);
        Ok(Trees {
            cells,
            total: [0.0; 2],
        })
    }

    /// Adds weight `w` at `rank` of `tree` (a negative weight removes it).
    fn add(&mut self, tree: Tree, rank: usize, w: f64) {
        let t = tree as usize;
        if let Some(x) = self.cells.get_mut(rank).and_then(|c| c.get_mut(2 * t + 1)) {
            *x += w;
        }
        if let Some(total) = self.total.get_mut(t) {
            *total += w;
        }
        let mut k = rank + 1; // 1-based Fenwick index
        while let Some(x) = self.cells.get_mut(k - 1).and_then(|c| c.get_mut(2 * t)) {
            *x += w;
            k += k & k.wrapping_neg();
        }
    }

    /// The weight below, at and above `rank` in `tree`.
    fn split(&self, tree: Tree, rank: usize) -> Split {
        let t = tree as usize;
        let mut smaller = 0.0;
        let mut k = rank;
        while k > 0 {
            smaller += self
                .cells
                .get(k - 1)
                .and_then(|c| c.get(2 * t))
                .copied()
                .unwrap_or(0.0);
            k &= k - 1;
        }
        let equal = self.node(tree, rank);
        let total = self.total.get(t).copied().unwrap_or(0.0);
        Split {
            smaller,
            equal,
            greater: total - smaller - equal,
        }
    }

    /// Sets `tree` to the given weights per rank in O(m) (the Fenwick tree's linear
    /// construction): `weights` yields (rank, weight) pairs.
    fn fill(&mut self, tree: Tree, weights: impl Iterator<Item = (usize, f64)>) {
        let t = tree as usize;
        for (rank, w) in weights {
            if let Some(cell) = self.cells.get_mut(rank) {
                if let Some(x) = cell.get_mut(2 * t) {
                    *x += w;
                }
                if let Some(x) = cell.get_mut(2 * t + 1) {
                    *x += w;
                }
            }
            if let Some(total) = self.total.get_mut(t) {
                *total += w;
            }
        }
        let m = self.cells.len();
        for k in 1..=m {
            let parent = k + (k & k.wrapping_neg());
            let value = self
                .cells
                .get(k - 1)
                .and_then(|c| c.get(2 * t))
                .copied()
                .unwrap_or(0.0);
            if let Some(x) = self
                .cells
                .get_mut(parent - 1)
                .and_then(|c| c.get_mut(2 * t))
            {
                *x += value;
            }
        }
    }

    /// [`Trees::split`] of both trees at one rank, in one walk.
    fn split_both(&self, rank: usize) -> [Split; 2] {
        let mut smaller = [0.0; 2];
        let mut k = rank;
        while k > 0 {
            if let Some(c) = self.cells.get(k - 1) {
                smaller[0] += c[0];
                smaller[1] += c[2];
            }
            k &= k - 1;
        }
        let split = |t: usize, tree: Tree| {
            let small = smaller.get(t).copied().unwrap_or(0.0);
            let equal = self.node(tree, rank);
            let total = self.total.get(t).copied().unwrap_or(0.0);
            Split {
                smaller: small,
                equal,
                greater: total - small - equal,
            }
        };
        [split(0, Tree::AtRisk), split(1, Tree::Other)]
    }

    /// The weight at `rank` of `tree`.
    fn node(&self, tree: Tree, rank: usize) -> f64 {
        let slot = 2 * tree as usize + 1;
        self.cells
            .get(rank)
            .and_then(|c| c.get(slot))
            .copied()
            .unwrap_or(0.0)
    }
}

/// The pair counts.
#[derive(Clone, Copy, Default)]
struct Counts {
    concordant: f64,
    discordant: f64,
    tied_x: f64,
    tied_y_all: f64,
    tied_xy: f64,
}

/// The subjects in sweep order: weight, flags and predictor rank per position.
struct Positions<'s> {
    w: &'s [f64],
    flags: &'s [u32],
    rank: &'s [u32],
}

/// One subject of the sweep.
#[derive(Clone, Copy)]
struct Subject {
    rank: usize,
    weight: f64,
    event: bool,
}

impl Positions<'_> {
    fn len(&self) -> usize {
        self.flags.len()
    }

    fn flag(&self, k: usize) -> u32 {
        self.flags
            .get(k)
            .copied()
            .unwrap_or(BLOCK_START | STRATUM_START)
    }

    fn subject(&self, k: usize) -> Subject {
        Subject {
            rank: self.rank.get(k).copied().unwrap_or(0) as usize,
            weight: self.w.get(k).copied().unwrap_or(0.0),
            event: self.flag(k) & EVENT != 0,
        }
    }

    /// The end (exclusive) of the stratum that starts at `start`.
    fn stratum_end(&self, start: usize) -> usize {
        let mut end = start + 1;
        while end < self.len() && self.flag(end) & STRATUM_START == 0 {
            end += 1;
        }
        end
    }

    /// The start of the tied-time block that ends (exclusive) at `end` > 0.
    fn block_start(&self, end: usize) -> usize {
        let mut start = end.saturating_sub(1);
        while start > 0 && self.flag(start) & BLOCK_START == 0 {
            start -= 1;
        }
        start
    }

    /// The number of distinct ranks in [start, end).
    fn ranks_in(&self, start: usize, end: usize) -> usize {
        (start..end)
            .map(|k| self.subject(k).rank + 1)
            .max()
            .unwrap_or(0)
    }
}

/// Which way the sweep runs ([`concordance`] picks it from the data).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Orientation {
    /// Through time, with trees over the predictor ranks (R's way): for any data.
    ByTime,
    /// Through the predictor ranks, with trees over the tied-time blocks: for heavily tied
    /// times (few blocks), where these trees stay in cache.
    ByRank,
}

/// The concordance of the fitted predictor (see the module documentation): `beta` on the
/// design's scaled covariates; the design of `n_used` subjects with `p` columns in `regions`
/// (whose `z`, `order`, `radix` and `group` it then overwrites).
pub(crate) fn concordance(
    regions: &mut Regions<'_>,
    n_used: usize,
    p: usize,
    beta: &[f64; MAX_COVARIATES],
) -> Result<super::Concordance, Status> {
    let blocks = regions
        .flags
        .iter()
        .take(n_used)
        .filter(|&&f| f & BLOCK_START != 0)
        .count();
    let orientation = if blocks.saturating_mul(8) <= n_used && n_used < 1 << 30 {
        Orientation::ByRank
    } else {
        Orientation::ByTime
    };
    concordance_oriented(regions, n_used, p, beta, orientation)
}

/// [`concordance`] with the orientation given.
pub(crate) fn concordance_oriented(
    regions: &mut Regions<'_>,
    n_used: usize,
    p: usize,
    beta: &[f64; MAX_COVARIATES],
    orientation: Orientation,
) -> Result<super::Concordance, Status> {
    let p = p.clamp(1, MAX_COVARIATES);
    // The predictor, compacted in place: slot k lies in a row ≤ k, already read.
    for k in 0..n_used {
        let start = k.checked_mul(p).ok_or(Status::TooManyElements)?;
        let row = regions
            .z
            .get(start..start + p)
            .ok_or(Status::ScratchTooSmall)?;
        let lp: f64 = row.iter().zip(beta.iter()).map(|(z, b)| z * b).sum();
        if let Some(slot) = regions.z.get_mut(k) {
            *slot = lp + 0.0;
        }
    }
    let (counts, influence) = match orientation {
        Orientation::ByTime => by_time(regions, n_used)?,
        Orientation::ByRank => by_rank(regions, n_used)?,
    };
    let npair = counts.concordant + counts.discordant + counts.tied_x;
    // R's Somers' d before `reverse` (its "concordant" is our discordant).
    let somers = (counts.discordant - counts.concordant) / npair;
    // dfbeta_i = ((c_i − d_i) − (c_i + d_i + t_i)·d) w_i / (2 npair), R's influence.
    let mut variance = NeumaierSum::new();
    for ((a, s), w) in influence
        .difference
        .iter()
        .zip(influence.sum)
        .zip(influence.w)
    {
        let dfbeta = (a - s * somers) * w / (2.0 * npair);
        variance.add(dfbeta * dfbeta);
    }
    let variance = variance.total();
    Ok(super::Concordance {
        concordant: counts.concordant,
        discordant: counts.discordant,
        tied_x: counts.tied_x,
        tied_y: counts.tied_y_all - counts.tied_xy,
        tied_xy: counts.tied_xy,
        concordance: 1.0 - (somers + 1.0) / 2.0,
        std_err: libm::sqrt(variance),
    })
}

/// Each subject's influence sums (c_i − d_i, c_i + d_i + t_i) and weight, in some order.
struct Influence<'s> {
    difference: &'s [f64],
    sum: &'s [f64],
    w: &'s [f64],
}

/// Where a subject stands in the predictor order of its stratum.
#[derive(Clone, Copy)]
struct RankStep {
    /// Index in the predictor order (the stratum's positions, re-sorted).
    k: usize,
    /// Its position in the design.
    position: usize,
    /// First subject of its stratum.
    first: bool,
    /// Its predictor differs from the previous subject's.
    new_value: bool,
}

/// Sorts each stratum's positions by the predictor (`lp`, by position) into `perm`, and calls
/// `each` on every subject in that order; `perm[k]` then holds what `each` returned.
fn rank_strata(
    flags: &[u32],
    lp: &[f64],
    perm: &mut [u32],
    radix: &mut [u32],
    mut each: impl FnMut(RankStep) -> u32,
) -> Result<(), Status> {
    let lp_of = |k: u32| lp.get(k as usize).copied().unwrap_or(f64::NAN);
    let by_flags = Positions {
        w: &[],
        flags,
        rank: &[],
    };
    let mut start = 0;
    while start < flags.len() {
        let end = by_flags.stratum_end(start);
        let members = perm.get_mut(start..end).ok_or(Status::ScratchTooSmall)?;
        for (slot, k) in members.iter_mut().zip(start..end) {
            *slot = u32::try_from(k).map_err(|_| Status::TooManyElements)?;
        }
        sort_order_by_key(members, radix, |k| total_order_key(lp_of(k)))?;
        let mut previous: Option<f64> = None;
        for (k, slot) in (start..end).zip(members.iter_mut()) {
            let position = *slot;
            let value = lp_of(position);
            *slot = each(RankStep {
                k,
                position: position as usize,
                first: previous.is_none(),
                new_value: previous.is_some_and(|v| v != value),
            });
            previous = Some(value);
        }
        start = end;
    }
    Ok(())
}

/// The sweep through time (R's orientation): dense ranks by position, trees over ranks.
fn by_time<'r>(
    regions: &'r mut Regions<'_>,
    n_used: usize,
) -> Result<(Counts, Influence<'r>), Status> {
    let flags: &[u32] = regions.flags.get(..n_used).ok_or(Status::ScratchTooSmall)?;
    let lp: &[f64] = regions.z.get(..n_used).ok_or(Status::ScratchTooSmall)?;
    let perm = regions
        .order
        .get_mut(..n_used)
        .ok_or(Status::ScratchTooSmall)?;
    let ranks = &mut *regions.group;
    let mut rank = 0u32;
    rank_strata(flags, lp, perm, regions.radix, |step| {
        rank = if step.first {
            0
        } else if step.new_value {
            rank.saturating_add(1)
        } else {
            rank
        };
        if let Some(slot) = ranks.get_mut(step.position) {
            *slot = rank;
        }
        0
    })?;
    let positions = Positions {
        w: regions.w.get(..n_used).ok_or(Status::ScratchTooSmall)?,
        flags,
        rank: regions.group.get(..n_used).ok_or(Status::ScratchTooSmall)?,
    };
    let (influence, trees) = regions
        .z
        .split_at_mut_checked(2 * n_used)
        .ok_or(Status::ScratchTooSmall)?;
    let (difference, sum) = influence.split_at_mut(n_used);
    let counts = sweep_pairs(&positions, difference, sum, trees)?;
    Ok((
        counts,
        Influence {
            difference,
            sum,
            w: positions.w,
        },
    ))
}

/// Packed per subject in rank order (`by_rank`): its tied-time block (low 30 bits), the start
/// of a new predictor value, and the event.
const NEW_VALUE: u32 = 1 << 30;
/// See [`NEW_VALUE`].
const DEATH: u32 = 1 << 31;
/// See [`NEW_VALUE`].
const BLOCK_MASK: u32 = NEW_VALUE - 1;

/// A Fenwick tree's prefix sum of `tree` over [0, end).
fn prefix(tree: &[f64], end: usize) -> f64 {
    let mut sum = 0.0;
    let mut k = end;
    while k > 0 {
        sum += tree.get(k - 1).copied().unwrap_or(0.0);
        k &= k - 1;
    }
    sum
}

/// Adds `w` at `index` of the Fenwick tree `tree`.
fn fenwick_add(tree: &mut [f64], index: usize, w: f64) {
    let mut k = index + 1;
    while let Some(x) = tree.get_mut(k - 1) {
        *x += w;
        k += k & k.wrapping_neg();
    }
}

/// Fenwick trees over the tied-time blocks 0 … B − 1 of a stratum, for `by_rank`: the weight of
/// the subjects inserted so far (those with a smaller predictor) at later blocks, censored at
/// each block, and dead at earlier blocks and at each block.
struct BlockTrees<'s> {
    /// Fenwick tree over reversed blocks (B − 1 − b) of every inserted subject.
    later_all: &'s mut [f64],
    /// Inserted censored weight per block.
    censored: &'s mut [f64],
    /// Fenwick tree over blocks of the inserted deaths.
    dead: &'s mut [f64],
    /// Inserted death weight per block.
    dead_at: &'s mut [f64],
}

impl BlockTrees<'_> {
    fn blocks(&self) -> usize {
        self.censored.len()
    }

    /// Inserted weight comparable with a death at block b: every subject at a later block,
    /// and the censored at b (still at risk at b).
    fn at_risk_for_death(&self, b: usize) -> f64 {
        let later = prefix(self.later_all, self.blocks().saturating_sub(b + 1));
        later + self.censored.get(b).copied().unwrap_or(0.0)
    }

    /// Inserted death weight a subject at block b was at risk for: deaths at earlier blocks,
    /// and at b when the subject is censored.
    fn deaths_while_at_risk(&self, b: usize, death: bool) -> f64 {
        let earlier = prefix(self.dead, b);
        if death {
            earlier
        } else {
            earlier + self.dead_at.get(b).copied().unwrap_or(0.0)
        }
    }

    fn insert(&mut self, b: usize, w: f64, death: bool) {
        let reversed = self.blocks().saturating_sub(b + 1);
        fenwick_add(self.later_all, reversed, w);
        if death {
            fenwick_add(self.dead, b, w);
            if let Some(x) = self.dead_at.get_mut(b) {
                *x += w;
            }
        } else if let Some(x) = self.censored.get_mut(b) {
            *x += w;
        }
    }
}

/// The sweep through the predictor ranks: subjects in increasing predictor order within each
/// stratum; for each group of equal predictors, the comparable weight with a smaller predictor
/// comes from the block trees, the equal part from the group itself, and the larger part from
/// the totals at the end. Same sums as [`by_time`]; each tree has B (tied-time blocks) entries.
fn by_rank<'r>(
    regions: &'r mut Regions<'_>,
    n_used: usize,
) -> Result<(Counts, Influence<'r>), Status> {
    let mut counts = Counts::default();
    let flags: &[u32] = regions.flags.get(..n_used).ok_or(Status::ScratchTooSmall)?;
    // Block index by position (from 0 in each stratum) into `group`; tied.y along the way.
    let mut block = 0u32;
    let mut dead_weight = 0.0;
    for ((&f, b), &w) in flags
        .iter()
        .zip(regions.group.iter_mut())
        .zip(regions.w.iter())
    {
        if f & STRATUM_START != 0 {
            block = 0;
        } else if f & BLOCK_START != 0 {
            block = block.saturating_add(1);
        }
        if f & BLOCK_START != 0 {
            dead_weight = 0.0;
        }
        if f & EVENT != 0 {
            counts.tied_y_all += w * dead_weight;
            dead_weight += w;
        }
        *b = block;
    }
    let (lp, rest) = regions
        .z
        .split_at_mut_checked(n_used)
        .ok_or(Status::ScratchTooSmall)?;
    let (w_sorted, rest) = rest
        .split_at_mut_checked(n_used)
        .ok_or(Status::ScratchTooSmall)?;
    let (difference, rest) = rest
        .split_at_mut_checked(n_used)
        .ok_or(Status::ScratchTooSmall)?;
    let (sum, trees) = rest
        .split_at_mut_checked(n_used)
        .ok_or(Status::ScratchTooSmall)?;
    // Rank order: (block, new value, event) packed in place of the permutation, weights beside.
    let perm = regions
        .order
        .get_mut(..n_used)
        .ok_or(Status::ScratchTooSmall)?;
    let (blocks, w): (&[u32], &[f64]) = (regions.group, regions.w);
    rank_strata(flags, lp, perm, regions.radix, |step| {
        let f = flags.get(step.position).copied().unwrap_or(0);
        if let Some(slot) = w_sorted.get_mut(step.k) {
            *slot = w.get(step.position).copied().unwrap_or(0.0);
        }
        let b = blocks.get(step.position).copied().unwrap_or(0) & BLOCK_MASK;
        b | flag(step.new_value || step.first, NEW_VALUE) | flag(f & EVENT != 0, DEATH)
    })?;
    let sorted: &[u32] = perm;
    let w_sorted: &[f64] = w_sorted;
    let subject = |k: usize| {
        let word = sorted.get(k).copied().unwrap_or(0);
        let w = w_sorted.get(k).copied().unwrap_or(0.0);
        ((word & BLOCK_MASK) as usize, word & DEATH != 0, w)
    };
    let by_flags = Positions {
        w: &[],
        flags,
        rank: &[],
    };
    let mut own_total_weighted = 0.0;
    let mut start = 0;
    while start < n_used {
        let end = by_flags.stratum_end(start);
        let n_blocks = blocks
            .get(end - 1)
            .map_or(0, |&b| (b & BLOCK_MASK) as usize + 1);
        let mut trees = block_trees(trees, n_blocks)?;
        let mut k = start;
        while k < end {
            // The group of equal predictors [k, group_end), in position order (stable sort):
            // blocks never decrease along it.
            let mut group_end = k + 1;
            while group_end < end && sorted.get(group_end).is_some_and(|&x| x & NEW_VALUE == 0) {
                group_end += 1;
            }
            // Smaller predictors: from the trees (stashed: own part, at-risk part).
            for j in k..group_end {
                let (b, death, _) = subject(j);
                let own = if death {
                    trees.at_risk_for_death(b)
                } else {
                    0.0
                };
                set(
                    difference,
                    sum,
                    j,
                    own,
                    trees.deaths_while_at_risk(b, death),
                );
            }
            // Equal predictors, block by block (each block a run of the group). Own part,
            // from the group's end: a death is comparable with the group's members at later
            // blocks and its censored at the same block.
            let mut later_blocks = 0.0;
            let mut run_end = group_end;
            while run_end > k {
                let block = subject(run_end - 1).0;
                let mut run_start = run_end - 1;
                while run_start > k && subject(run_start - 1).0 == block {
                    run_start -= 1;
                }
                let (mut all, mut censored) = (0.0, 0.0);
                for j in run_start..run_end {
                    let (_, death, w) = subject(j);
                    all += w;
                    if !death {
                        censored += w;
                    }
                }
                for j in run_start..run_end {
                    let (_, death, w) = subject(j);
                    let own_lt = difference.get(j).copied().unwrap_or(0.0);
                    let own_part = if death {
                        let own_eq = later_blocks + censored;
                        counts.concordant += w * own_lt;
                        counts.tied_x += w * own_eq;
                        -2.0 * own_lt - own_eq
                    } else {
                        0.0
                    };
                    if let Some(x) = difference.get_mut(j) {
                        *x = own_part;
                    }
                }
                later_blocks += all;
                run_end = run_start;
            }
            // At-risk part, from the group's start: a subject was at risk for the group's
            // deaths at earlier blocks (and at its own block when censored); tied.xy: pairs
            // of the group's deaths at one block.
            let mut earlier_deaths = 0.0;
            let mut run_start = k;
            while run_start < group_end {
                let block = subject(run_start).0;
                let mut run_end = run_start + 1;
                while run_end < group_end && subject(run_end).0 == block {
                    run_end += 1;
                }
                let mut deaths = 0.0;
                for j in run_start..run_end {
                    let (_, death, w) = subject(j);
                    if death {
                        counts.tied_xy += w * deaths;
                        deaths += w;
                    }
                }
                for j in run_start..run_end {
                    let (_, death, _) = subject(j);
                    let q_lt = sum.get(j).copied().unwrap_or(0.0);
                    let q_eq = if death {
                        earlier_deaths
                    } else {
                        earlier_deaths + deaths
                    };
                    if let Some(x) = difference.get_mut(j) {
                        *x += 2.0 * q_lt + q_eq;
                    }
                }
                earlier_deaths += deaths;
                run_start = run_end;
            }
            for j in k..group_end {
                let (b, death, w) = subject(j);
                trees.insert(b, w, death);
            }
            k = group_end;
        }
        // Totals (everyone inserted): c + d + t and the rest of c − d.
        for j in start..end {
            let (b, death, w) = subject(j);
            let own_total = if death {
                trees.at_risk_for_death(b)
            } else {
                0.0
            };
            let q_total = trees.deaths_while_at_risk(b, death);
            own_total_weighted += w * own_total;
            if let (Some(x), Some(y)) = (difference.get_mut(j), sum.get_mut(j)) {
                *x += own_total - q_total;
                *y = own_total + q_total;
            }
        }
        start = end;
    }
    counts.discordant = own_total_weighted - counts.concordant - counts.tied_x;
    Ok((
        counts,
        Influence {
            difference,
            sum,
            w: w_sorted,
        },
    ))
}

/// Four empty arrays of `n_blocks` in the front of `values`, as [`BlockTrees`].
fn block_trees(values: &mut [f64], n_blocks: usize) -> Result<BlockTrees<'_>, Status> {
    let used = values
        .get_mut(..n_blocks.checked_mul(4).ok_or(Status::TooManyElements)?)
        .ok_or(Status::ScratchTooSmall)?;
    used.iter_mut().for_each(|x| *x = 0.0);
    let (later_all, rest) = used.split_at_mut(n_blocks);
    let (censored, rest) = rest.split_at_mut(n_blocks);
    let (dead, dead_at) = rest.split_at_mut(n_blocks);
    Ok(BlockTrees {
        later_all,
        censored,
        dead,
        dead_at,
    })
}

/// Stores subject k's influence sums.
fn set(difference: &mut [f64], sum: &mut [f64], k: usize, a: f64, s: f64) {
    if let (Some(x), Some(y)) = (difference.get_mut(k), sum.get_mut(k)) {
        *x = a;
        *y = s;
    }
}

/// One sweep: the pair counts, and per subject (position) R's influence sums
/// `difference` = c_i − d_i and `sum` = c_i + d_i + t_i (in R's unreversed sense: c counts pairs
/// where the larger predictor survives longer). `trees` holds 4m values for m ranks.
fn sweep_pairs(
    positions: &Positions<'_>,
    difference: &mut [f64],
    sum: &mut [f64],
    trees: &mut [f64],
) -> Result<Counts, Status> {
    let mut counts = Counts::default();
    let later = Tree::Other;
    let mut start = 0;
    while start < positions.len() {
        let stratum_end = positions.stratum_end(start);
        let m = positions.ranks_in(start, stratum_end);
        let mut trees = Trees::new(trees, m)?;
        let deaths = (start..stratum_end)
            .map(|k| positions.subject(k))
            .filter(|s| s.event)
            .map(|s| (s.rank, s.weight));
        trees.fill(later, deaths);
        let mut end = stratum_end;
        while end > start {
            let block = positions.block_start(end).max(start)..end;
            // Censored at this time: at risk for every death not yet visited (these included).
            for k in block.clone() {
                let s = positions.subject(k);
                if !s.event {
                    let q = trees.split(later, s.rank);
                    set(
                        difference,
                        sum,
                        k,
                        q.smaller - q.greater,
                        q.smaller + q.greater + q.equal,
                    );
                    trees.add(Tree::AtRisk, s.rank, s.weight);
                }
            }
            // The block's deaths leave the "later" tree; tied.y and tied.xy among them (the
            // weight at a rank before the block, kept in `difference` meanwhile, minus the
            // weight left there, is the earlier deaths of this block at that rank).
            for k in block.clone() {
                let d = positions.subject(k);
                if d.event {
                    set(difference, sum, k, trees.node(later, d.rank), 0.0);
                }
            }
            let mut dead_weight = 0.0;
            for k in block.clone() {
                let d = positions.subject(k);
                if !d.event {
                    continue;
                }
                counts.tied_y_all += d.weight * dead_weight;
                dead_weight += d.weight;
                let before = difference.get(k).copied().unwrap_or(0.0);
                counts.tied_xy += d.weight * (before - trees.node(later, d.rank));
                trees.add(later, d.rank, -d.weight);
            }
            for k in block.clone() {
                let d = positions.subject(k);
                if !d.event {
                    continue;
                }
                let [own, q] = trees.split_both(d.rank);
                counts.concordant += d.weight * own.smaller;
                counts.discordant += d.weight * own.greater;
                counts.tied_x += d.weight * own.equal;
                let c = own.greater + q.smaller;
                let dd = own.smaller + q.greater;
                set(difference, sum, k, c - dd, c + dd + own.equal + q.equal);
            }
            for k in block.clone() {
                let d = positions.subject(k);
                if d.event {
                    trees.add(Tree::AtRisk, d.rank, d.weight);
                }
            }
            end = block.start;
        }
        start = stratum_end;
    }
    Ok(counts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cox::data::{CoxData, Model, Rows};
    use crate::cox::design::{build, values_len};
    use crate::cox::CoxOptions;

    /// Concordance counts and the IJ variance by brute force over all pairs (within strata).
    fn brute_force(
        time: &[f64],
        event: &[u8],
        lp: &[f64],
        w: &[f64],
        strata: &[u32],
    ) -> (f64, f64, f64, f64) {
        let n = time.len();
        let (mut c, mut d, mut t) = (0.0, 0.0, 0.0);
        let mut ic = vec![0.0; n];
        let mut id = vec![0.0; n];
        let mut it = vec![0.0; n];
        for i in 0..n {
            for j in 0..n {
                // i dies first, j still at risk (same stratum).
                let comparable = strata[i] == strata[j]
                    && event[i] == 1
                    && (time[j] > time[i] || (time[j] == time[i] && event[j] == 0));
                if !comparable {
                    continue;
                }
                let ww = w[i] * w[j];
                let (total, mine) = if lp[i] > lp[j] {
                    (&mut c, &mut ic)
                } else if lp[i] < lp[j] {
                    (&mut d, &mut id)
                } else {
                    (&mut t, &mut it)
                };
                *total += ww;
                mine[i] += w[j];
                mine[j] += w[i];
            }
        }
        let npair = c + d + t;
        let somers = (c - d) / npair;
        let var: f64 = (0..n)
            .map(|i| {
                let f = ((ic[i] - id[i]) - (ic[i] + id[i] + it[i]) * somers) * w[i] / (2.0 * npair);
                f * f
            })
            .sum();
        (c, d, t, var)
    }

    /// Both orientations against the brute force on one data set.
    fn check(time: &[f64], event: &[u8], x: &[f64], w: &[f64], strata: &[u32]) {
        let n = time.len();
        let data = CoxData::new(time, event, x, 1)
            .unwrap()
            .with_weights(w)
            .with_strata(strata);
        let model = Model::all_columns(1).unwrap();
        let lp: Vec<f64> = x.iter().map(|v| v * 0.7).collect();
        let (bc, bd, bt, bvar) = brute_force(time, event, &lp, w, strata);
        let (mut tied_y, mut tied_xy) = (0.0, 0.0);
        for i in 0..n {
            for j in 0..i {
                if event[i] == 1 && event[j] == 1 && time[i] == time[j] && strata[i] == strata[j] {
                    if lp[i] == lp[j] {
                        tied_xy += w[i] * w[j];
                    } else {
                        tied_y += w[i] * w[j];
                    }
                }
            }
        }
        // ByRank's trees need 4 values per tied-time block in 2n: at most n / 2 blocks.
        let mut blocks: Vec<(u32, f64)> =
            strata.iter().copied().zip(time.iter().copied()).collect();
        blocks.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        blocks.dedup();
        let orientations: &[Orientation] = if blocks.len() * 2 <= n {
            &[Orientation::ByTime, Orientation::ByRank]
        } else {
            &[Orientation::ByTime]
        };
        for &orientation in orientations {
            let mut index = vec![0u32; 4 * n];
            let mut values = vec![0.0; values_len(n, 1).unwrap()];
            let mut regions = Regions::split(&mut index, &mut values, n, 1).unwrap();
            let options = CoxOptions::default();
            build(&data, &model, Rows::All, &options, &mut regions).unwrap();
            // β = 0.7 on the scaled column: the same ranks as 0.7 x.
            let mut beta = [0.0; MAX_COVARIATES];
            beta[0] = 0.7;
            let c = concordance_oriented(&mut regions, n, 1, &beta, orientation).unwrap();
            let tag = format!("{orientation:?}");
            assert!(
                (c.tied_y - tied_y).abs() < 1e-12,
                "{tag} {} {tied_y}",
                c.tied_y
            );
            assert!(
                (c.tied_xy - tied_xy).abs() < 1e-12,
                "{tag} {} {tied_xy}",
                c.tied_xy
            );
            assert!(
                (c.concordant - bc).abs() < 1e-12,
                "{tag} {} {bc}",
                c.concordant
            );
            assert!(
                (c.discordant - bd).abs() < 1e-12,
                "{tag} {} {bd}",
                c.discordant
            );
            assert!((c.tied_x - bt).abs() < 1e-12, "{tag} {} {bt}", c.tied_x);
            let expected = (bc + bt / 2.0) / (bc + bd + bt);
            assert!((c.concordance - expected).abs() < 1e-14, "{tag}");
            let se = bvar.sqrt();
            assert!(
                (c.std_err - se).abs() < 1e-14 * se.max(1.0),
                "{tag} {} {se}",
                c.std_err
            );
        }
    }

    #[test]
    fn matches_brute_force_with_ties_weights_and_strata() {
        let time = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 7.0, 8.0];
        let event = [1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0];
        let x = [2.0, 1.0, 1.0, 0.0, 3.0, 2.0, -1.0, 0.5, 0.5, 1.0, -2.0, 0.5];
        let w = [1.0, 2.0, 0.5, 1.5, 1.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0, 0.25];
        check(&time, &event, &x, &w, &[0; 12]);
        check(&time, &event, &x, &w, &[0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0]);
        // tied.y and tied.xy (one orientation suffices: both are checked against each other
        // in the random test below).
        let n = time.len();
        let data = CoxData::new(&time, &event, &x, 1).unwrap().with_weights(&w);
        let model = Model::all_columns(1).unwrap();
        let mut index = vec![0u32; 4 * n];
        let mut values = vec![0.0; values_len(n, 1).unwrap()];
        let mut regions = Regions::split(&mut index, &mut values, n, 1).unwrap();
        build(
            &data,
            &model,
            Rows::All,
            &CoxOptions::default(),
            &mut regions,
        )
        .unwrap();
        let mut beta = [0.0; MAX_COVARIATES];
        beta[0] = 0.7;
        let c = concordance(&mut regions, n, 1, &beta).unwrap();
        // Deaths at time 2 (weights 2 and 0.5, same x), at 4 (x 2 and −1).
        assert!((c.tied_xy - 1.0).abs() < 1e-15);
        assert!((c.tied_y - 3.0).abs() < 1e-15);
    }

    #[test]
    fn both_orientations_match_brute_force_on_random_tied_data() {
        let mut state = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |m: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % m
        };
        for case in 0..crate::test_support::native_or_miri(200, 6) {
            let n = 2 + next(40) as usize;
            let n_times = 1 + next(8);
            let n_values = 1 + next(6);
            let time: Vec<f64> = (0..n).map(|_| next(n_times) as f64).collect();
            let mut event: Vec<u8> = (0..n).map(|_| u8::from(next(3) > 0)).collect();
            event[0] = 1;
            let x: Vec<f64> = (0..n).map(|_| next(n_values) as f64 - 2.0).collect();
            let w: Vec<f64> = (0..n)
                .map(|_| {
                    if case % 2 == 0 {
                        1.0
                    } else {
                        0.25 * (1 + next(8)) as f64
                    }
                })
                .collect();
            let strata: Vec<u32> = (0..n)
                .map(|_| if case % 3 == 0 { next(2) as u32 } else { 0 })
                .collect();
            let comparable = (0..n).any(|i| {
                event[i] == 1
                    && (0..n).any(|j| {
                        strata[i] == strata[j]
                            && (time[j] > time[i] || (time[j] == time[i] && event[j] == 0))
                    })
            });
            if comparable {
                check(&time, &event, &x, &w, &strata);
            }
        }
    }
}
