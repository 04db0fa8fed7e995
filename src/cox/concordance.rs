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
//! Everything runs on the fit's [`super::design`] in scratch: the predictor βᵀz of each
//! subject in sweep order (z the centred, scaled rows: the same ranks as R's x β − Σ β m), its
//! dense rank within the stratum by one radix sort per stratum, then the two sweeps.

use super::design::{Regions, BLOCK_START, EVENT, STRATUM_START};
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

/// The concordance of the fitted predictor (see the module documentation): `beta` on the
/// design's scaled covariates; the design of `n_used` subjects with `p` columns in `regions`
/// (whose `z`, `order` and `group` it then overwrites).
pub(crate) fn concordance(
    regions: &mut Regions<'_>,
    n_used: usize,
    p: usize,
    beta: &[f64; MAX_COVARIATES],
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
    let flags: &[u32] = regions.flags.get(..n_used).ok_or(Status::ScratchTooSmall)?;

    // Dense ranks of the predictor within each stratum (into `group`, by position).
    let lp: &[f64] = regions.z.get(..n_used).ok_or(Status::ScratchTooSmall)?;
    let lp_of = |k: u32| lp.get(k as usize).copied().unwrap_or(f64::NAN);
    let perm = regions
        .order
        .get_mut(..n_used)
        .ok_or(Status::ScratchTooSmall)?;
    let by_flags = Positions {
        w: &[],
        flags,
        rank: &[],
    };
    let mut start = 0;
    while start < n_used {
        let end = by_flags.stratum_end(start);
        let members = perm.get_mut(start..end).ok_or(Status::ScratchTooSmall)?;
        for (slot, k) in members.iter_mut().zip(start..end) {
            *slot = u32::try_from(k).map_err(|_| Status::TooManyElements)?;
        }
        sort_order_by_key(members, regions.radix, |k| total_order_key(lp_of(k)))?;
        let mut rank = 0u32;
        let mut previous: Option<f64> = None;
        for &k in members.iter() {
            let value = lp_of(k);
            if previous.is_some_and(|v| v != value) {
                rank = rank.saturating_add(1);
            }
            previous = Some(value);
            if let Some(slot) = regions.group.get_mut(k as usize) {
                *slot = rank;
            }
        }
        start = end;
    }

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
    let npair = counts.concordant + counts.discordant + counts.tied_x;
    // R's Somers' d before `reverse` (its "concordant" is our discordant).
    let somers = (counts.discordant - counts.concordant) / npair;
    // dfbeta_i = ((c_i − d_i) − (c_i + d_i + t_i)·d) w_i / (2 npair), R's influence.
    let mut variance = NeumaierSum::new();
    for ((a, s), w) in difference.iter().zip(sum.iter()).zip(positions.w.iter()) {
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

    #[test]
    fn matches_brute_force_with_ties_weights_and_strata() {
        let time = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 7.0, 8.0];
        let event = [1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0];
        let x = [2.0, 1.0, 1.0, 0.0, 3.0, 2.0, -1.0, 0.5, 0.5, 1.0, -2.0, 0.5];
        let w = [1.0, 2.0, 0.5, 1.5, 1.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0, 0.25];
        let n = time.len();
        for strata in [[0u32; 12], [0, 1, 0, 1, 1, 0, 1, 0, 0, 1, 1, 0]] {
            let data = CoxData::new(&time, &event, &x, 1)
                .unwrap()
                .with_weights(&w)
                .with_strata(&strata);
            let model = Model::all_columns(1).unwrap();
            let mut index = vec![0u32; 4 * n];
            let mut values = vec![0.0; values_len(n, 1).unwrap()];
            let mut regions = Regions::split(&mut index, &mut values, n, 1).unwrap();
            let options = CoxOptions::default();
            build(&data, &model, Rows::All, &options, &mut regions).unwrap();
            // β = 0.7 on the scaled column: the same ranks as 0.7 x.
            let mut beta = [0.0; MAX_COVARIATES];
            beta[0] = 0.7;
            let c = concordance(&mut regions, n, 1, &beta).unwrap();
            let lp: Vec<f64> = x.iter().map(|v| v * 0.7).collect();
            let (bc, bd, bt, bvar) = brute_force(&time, &event, &lp, &w, &strata);
            assert!((c.concordant - bc).abs() < 1e-12);
            assert!((c.discordant - bd).abs() < 1e-12);
            assert!((c.tied_x - bt).abs() < 1e-12);
            assert!((c.concordance - (bc + bt / 2.0) / (bc + bd + bt)).abs() < 1e-14);
            let se = bvar.sqrt();
            assert!((c.std_err - se).abs() < 1e-14, "{} {se}", c.std_err);
            if strata[1] == 0 {
                // Deaths at time 2 (weights 2 and 0.5, same x), at 4 (x 2 and −1).
                assert!((c.tied_xy - 1.0).abs() < 1e-15);
                assert!((c.tied_y - 3.0).abs() < 1e-15);
            }
        }
    }
}
