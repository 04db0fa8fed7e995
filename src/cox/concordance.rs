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
//! deaths not yet visited. Two passes: the counts (which fix Somers' d), then the influence.
//! R's tree is a balanced binary tree; this one is a Fenwick tree: same sums, O(log n) each.

use super::data::{CoxData, Model, Scaling};
use super::MAX_COVARIATES;
use crate::numeric::NeumaierSum;
use crate::sort::{sort_order_by_key, total_order_key};
use crate::Status;

/// A Fenwick (binary indexed) tree of weights over ranks 0 … m − 1, with the weight of each
/// rank kept apart so that ties are exact.
struct RankTree<'s> {
    prefix: &'s mut [f64],
    node: &'s mut [f64],
    total: f64,
}

/// At-risk weight relative to one rank.
#[derive(Clone, Copy, Default)]
struct Split {
    smaller: f64,
    equal: f64,
    greater: f64,
}

impl<'s> RankTree<'s> {
    /// An empty tree over the ranks 0 … m − 1, m = `prefix.len()` = `node.len()` (zeroed).
    fn new(prefix: &'s mut [f64], node: &'s mut [f64]) -> Self {
        prefix.iter_mut().for_each(|x| *x = 0.0);
        node.iter_mut().for_each(|x| *x = 0.0);
        RankTree {
            prefix,
            node,
            total: 0.0,
        }
    }

    /// Adds weight `w` at `rank` (a negative weight removes it).
    fn add(&mut self, rank: usize, w: f64) {
        if let Some(x) = self.node.get_mut(rank) {
            *x += w;
        }
        self.total += w;
        let mut k = rank + 1; // 1-based Fenwick index
        while let Some(x) = self.prefix.get_mut(k - 1) {
            *x += w;
            k += k & k.wrapping_neg();
        }
    }

    /// Σ of the weights of ranks < `rank`.
    fn below(&self, rank: usize) -> f64 {
        let mut sum = 0.0;
        let mut k = rank;
        while k > 0 {
            sum += self.prefix.get(k - 1).copied().unwrap_or(0.0);
            k &= k - 1;
        }
        sum
    }

    /// The weight below, at and above `rank`.
    fn split(&self, rank: usize) -> Split {
        let smaller = self.below(rank);
        let equal = self.node.get(rank).copied().unwrap_or(0.0);
        Split {
            smaller,
            equal,
            greater: self.total - smaller - equal,
        }
    }
}

/// The pair counts of pass 1.
#[derive(Clone, Copy, Default)]
struct Counts {
    concordant: f64,
    discordant: f64,
    tied_x: f64,
    tied_y_all: f64,
    tied_xy: f64,
}

/// One subject of the sorted sweep.
#[derive(Clone, Copy)]
struct Subject {
    rank: usize,
    weight: f64,
    time_group: u32,
    stratum: u32,
    event: bool,
}

/// Everything the two passes read.
struct Sorted<'d, 'a> {
    data: &'d CoxData<'a>,
    order: &'d [u32],
    rank: &'d [u32],
    group: &'d [u32],
}

impl Sorted<'_, '_> {
    fn subject(&self, position: usize) -> Option<Subject> {
        let index = *self.order.get(position)? as usize;
        Some(Subject {
            rank: self.rank.get(index).copied().unwrap_or(0) as usize,
            weight: self.data.weight(index),
            time_group: self.group.get(index).copied().unwrap_or(0),
            stratum: self.data.stratum(index),
            event: self.data.is_event(index),
        })
    }

    /// The end of the stratum starting at `start`, and the number of distinct ranks in it.
    fn stratum_end(&self, start: usize) -> (usize, usize) {
        let Some(first) = self.subject(start) else {
            return (start, 0);
        };
        let mut end = start;
        let mut max_rank = 0;
        while let Some(s) = self.subject(end) {
            if s.stratum != first.stratum {
                break;
            }
            max_rank = max_rank.max(s.rank);
            end += 1;
        }
        (end, max_rank + 1)
    }

    /// The end of the block of deaths at the time of the death at `start`.
    fn death_block_end(&self, start: usize, stratum_end: usize) -> usize {
        let Some(first) = self.subject(start) else {
            return start;
        };
        let mut end = start + 1;
        while end < stratum_end {
            match self.subject(end) {
                Some(s) if s.event && s.time_group == first.time_group => end += 1,
                _ => break,
            }
        }
        end
    }
}

/// The concordance of the fitted linear predictor (see the module documentation).
///
/// `order` holds the `n_used` subjects of the fit (its first `n_used` entries; any order);
/// `group` their tied-time groups; `index_scratch` at least 2n and `values` at least 4n entries
/// (n = subjects in the data).
#[allow(clippy::too_many_arguments)]
pub(crate) fn concordance(
    data: &CoxData<'_>,
    model: &Model,
    coefficients: &[f64; MAX_COVARIATES],
    scaling: &Scaling,
    order_all: &mut [u32],
    n_used: usize,
    group: &[u32],
    index_scratch: &mut [u32],
    values: &mut [f64],
) -> Result<super::Concordance, Status> {
    let n = data.n();
    let order = order_all.get_mut(..n_used).ok_or(Status::ScratchTooSmall)?;
    let (radix, rest) = index_scratch
        .split_at_mut_checked(n)
        .ok_or(Status::ScratchTooSmall)?;
    let rank = rest.get_mut(..n).ok_or(Status::ScratchTooSmall)?;
    let lp = values.get_mut(..n).ok_or(Status::ScratchTooSmall)?;

    // The linear predictor as R's coxph computes it: x β − Σ β m.
    let p = model.p().min(MAX_COVARIATES);
    let centre: f64 = coefficients
        .iter()
        .zip(scaling.mean.iter())
        .take(p)
        .map(|(b, m)| b * m)
        .sum();
    for &i in order.iter() {
        let i = i as usize;
        let xb: f64 = model
            .terms()
            .zip(coefficients.iter())
            .map(|(t, b)| Model::term_value(data, i, t) * b)
            .sum();
        if let Some(slot) = lp.get_mut(i) {
            *slot = xb - centre;
        }
    }

    // Dense ranks of the predictor within each stratum.
    let lp_ro: &[f64] = lp;
    let lp_of = |i: u32| lp_ro.get(i as usize).copied().unwrap_or(f64::NAN);
    sort_order_by_key(order, radix, |i| total_order_key(lp_of(i)))?;
    sort_order_by_key(order, radix, |i| u64::from(data.stratum(i as usize)))?;
    let mut previous: Option<(u32, f64)> = None;
    let mut current = 0u32;
    for &i in order.iter() {
        let key = (data.stratum(i as usize), lp_of(i));
        current = match previous {
            Some((stratum, value)) if stratum == key.0 && value == key.1 => current,
            Some((stratum, _)) if stratum == key.0 => current.saturating_add(1),
            _ => 0,
        };
        previous = Some(key);
        if let Some(slot) = rank.get_mut(i as usize) {
            *slot = current;
        }
    }

    // Sweep order: stratum, time descending, censored before deaths, predictor rank.
    let rank_ro: &[u32] = rank;
    sort_order_by_key(order, radix, |i| {
        u64::from(rank_ro.get(i as usize).copied().unwrap_or(0))
    })?;
    sort_order_by_key(order, radix, |i| u64::from(data.is_event(i as usize)))?;
    sort_order_by_key(order, radix, |i| {
        u64::from(u32::MAX - group.get(i as usize).copied().unwrap_or(0))
    })?;
    if data.strata.is_some() {
        sort_order_by_key(order, radix, |i| u64::from(data.stratum(i as usize)))?;
    }

    let sorted = Sorted {
        data,
        order,
        rank: rank_ro,
        group,
    };
    let counts = count_pairs(&sorted, values)?;
    let npair = counts.concordant + counts.discordant + counts.tied_x;
    // R's Somers' d before `reverse` (its "concordant" is our discordant).
    let somers = (counts.discordant - counts.concordant) / npair;
    let variance = influence_variance(&sorted, values, somers, npair)?;
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

/// An empty tree of `m` ranks in the front of `values`, and the rest of `values`.
fn take_tree(values: &mut [f64], m: usize) -> Result<(RankTree<'_>, &mut [f64]), Status> {
    let (prefix, rest) = values
        .split_at_mut_checked(m)
        .ok_or(Status::ScratchTooSmall)?;
    let (node, rest) = rest
        .split_at_mut_checked(m)
        .ok_or(Status::ScratchTooSmall)?;
    Ok((RankTree::new(prefix, node), rest))
}

/// Pass 1: concordant, discordant and tied pairs, summed over strata.
fn count_pairs(sorted: &Sorted<'_, '_>, values: &mut [f64]) -> Result<Counts, Status> {
    let mut counts = Counts::default();
    let mut start = 0;
    let n_used = sorted.order.len();
    while start < n_used {
        let (end, m) = sorted.stratum_end(start);
        let (mut at_risk, _) = take_tree(values, m)?;
        let mut k = start;
        while k < end {
            let Some(s) = sorted.subject(k) else { break };
            if !s.event {
                at_risk.add(s.rank, s.weight);
                k += 1;
                continue;
            }
            let block_end = sorted.death_block_end(k, end);
            let (mut dead_weight, mut same_x_weight) = (0.0, 0.0);
            let mut same_x_rank = s.rank;
            for j in k..block_end {
                let Some(d) = sorted.subject(j) else { break };
                counts.tied_y_all += d.weight * dead_weight;
                dead_weight += d.weight;
                if d.rank != same_x_rank {
                    same_x_weight = 0.0;
                    same_x_rank = d.rank;
                }
                counts.tied_xy += d.weight * same_x_weight;
                same_x_weight += d.weight;
                let split = at_risk.split(d.rank);
                counts.concordant += d.weight * split.smaller;
                counts.discordant += d.weight * split.greater;
                counts.tied_x += d.weight * split.equal;
            }
            for j in k..block_end {
                if let Some(d) = sorted.subject(j) {
                    at_risk.add(d.rank, d.weight);
                }
            }
            k = block_end;
        }
        start = end.max(start + 1);
    }
    Ok(counts)
}

/// Pass 2: Σ dfbeta_i² given Somers' d (R's sign convention) and npair.
fn influence_variance(
    sorted: &Sorted<'_, '_>,
    values: &mut [f64],
    somers: f64,
    npair: f64,
) -> Result<f64, Status> {
    let mut sum = NeumaierSum::new();
    let mut add_influence = |s: &Subject, greater: f64, smaller: f64, equal: f64| {
        let dfbeta =
            ((greater - smaller) - (greater + smaller + equal) * somers) * s.weight / (2.0 * npair);
        sum.add(dfbeta * dfbeta);
    };
    let mut start = 0;
    let n_used = sorted.order.len();
    while start < n_used {
        let (end, m) = sorted.stratum_end(start);
        let (mut at_risk, rest) = take_tree(values, m)?;
        let (mut later_deaths, _) = take_tree(rest, m)?;
        for k in start..end {
            if let Some(s) = sorted.subject(k).filter(|s| s.event) {
                later_deaths.add(s.rank, s.weight);
            }
        }
        let mut k = start;
        while k < end {
            let Some(s) = sorted.subject(k) else { break };
            if !s.event {
                // At risk for every death not yet visited: pairs with a smaller predictor
                // count for R's "concordant" (its larger-x-survives-longer sense).
                let q = later_deaths.split(s.rank);
                add_influence(&s, q.smaller, q.greater, q.equal);
                at_risk.add(s.rank, s.weight);
                k += 1;
                continue;
            }
            let block_end = sorted.death_block_end(k, end);
            for j in k..block_end {
                if let Some(d) = sorted.subject(j) {
                    later_deaths.add(d.rank, -d.weight);
                }
            }
            for j in k..block_end {
                let Some(d) = sorted.subject(j) else { break };
                let own = at_risk.split(d.rank);
                let q = later_deaths.split(d.rank);
                add_influence(
                    &d,
                    own.greater + q.smaller,
                    own.smaller + q.greater,
                    own.equal + q.equal,
                );
            }
            for j in k..block_end {
                if let Some(d) = sorted.subject(j) {
                    at_risk.add(d.rank, d.weight);
                }
            }
            k = block_end;
        }
        start = end.max(start + 1);
    }
    Ok(sum.total())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cox::data::Model;

    /// Concordance counts and the IJ variance by brute force over all pairs.
    fn brute_force(time: &[f64], event: &[u8], lp: &[f64], w: &[f64]) -> (f64, f64, f64, f64) {
        let n = time.len();
        let (mut c, mut d, mut t) = (0.0, 0.0, 0.0);
        // Influence per subject: concordant, discordant, tied (R's unreversed sense flipped).
        let mut ic = vec![0.0; n];
        let mut id = vec![0.0; n];
        let mut it = vec![0.0; n];
        for i in 0..n {
            for j in 0..n {
                // i dies first, j still at risk.
                let comparable =
                    event[i] == 1 && (time[j] > time[i] || (time[j] == time[i] && event[j] == 0));
                if !comparable {
                    continue;
                }
                let ww = w[i] * w[j];
                if lp[i] > lp[j] {
                    c += ww;
                    ic[i] += w[j];
                    ic[j] += w[i];
                } else if lp[i] < lp[j] {
                    d += ww;
                    id[i] += w[j];
                    id[j] += w[i];
                } else {
                    t += ww;
                    it[i] += w[j];
                    it[j] += w[i];
                }
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
    fn matches_brute_force_with_ties_and_weights() {
        let time = [1.0, 2.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 7.0, 8.0];
        let event = [1, 1, 1, 0, 0, 1, 1, 1, 0, 1, 1, 0];
        let x = [2.0, 1.0, 1.0, 0.0, 3.0, 2.0, -1.0, 0.5, 0.5, 1.0, -2.0, 0.5];
        let w = [1.0, 2.0, 0.5, 1.5, 1.0, 1.0, 3.0, 1.0, 2.0, 1.0, 1.0, 0.25];
        let n = time.len();
        let data = CoxData::new(&time, &event, &x, 1).unwrap().with_weights(&w);
        let model = Model::all_columns(1).unwrap();
        let scaling = Scaling {
            mean: [0.0; MAX_COVARIATES],
            scale: [1.0; MAX_COVARIATES],
        };
        let mut beta = [0.0; MAX_COVARIATES];
        beta[0] = 0.7;
        let mut order: Vec<u32> = (0..n as u32).collect();
        let mut index = vec![0u32; 2 * n];
        let mut values = vec![0.0; 4 * n];
        let group: Vec<u32> = time.iter().map(|&t| t as u32).collect();
        let c = concordance(
            &data,
            &model,
            &beta,
            &scaling,
            &mut order,
            n,
            &group,
            &mut index,
            &mut values,
        )
        .unwrap();
        let lp: Vec<f64> = x.iter().map(|v| v * 0.7).collect();
        let (bc, bd, bt, bvar) = brute_force(&time, &event, &lp, &w);
        assert!((c.concordant - bc).abs() < 1e-12);
        assert!((c.discordant - bd).abs() < 1e-12);
        assert!((c.tied_x - bt).abs() < 1e-12);
        assert!((c.concordance - (bc + bt / 2.0) / (bc + bd + bt)).abs() < 1e-14);
        assert!(
            (c.std_err - bvar.sqrt()).abs() < 1e-14,
            "{} {}",
            c.std_err,
            bvar.sqrt()
        );
        // Deaths at time 2 (weights 2 and 0.5, same x), at 4 (x 2 and −1).
        assert!((c.tied_xy - 1.0).abs() < 1e-15);
        assert!((c.tied_y - 3.0).abs() < 1e-15);
    }
}
