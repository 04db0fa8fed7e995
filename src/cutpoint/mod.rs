//! Optimal cutpoints of a continuous marker for survival: maxstat's maximally selected log-rank
//! statistic with its scan-corrected p-values, survdiff's χ² at every split (X-tile's curve), the
//! X-tile two-cutpoint grid, and applying a fixed cutoff to a new cohort.
//!
//! The seed paper (Fu et al., Sci Rep 2025) split patients at tumor ECV 27.2 % and liver ECV
//! 29.0 %, found by X-tile on overall survival. Choosing the cutoff by scanning every split
//! inflates significance; R's `maxstat` corrects the p-value for the scan (Lausen & Schumacher
//! 1992, 1994), X-tile draws the pictures (Camp, Dolled-Filhart & Rimm, Clin Cancer Res 2004).
//!
//! # Splits
//! Subjects sorted by marker; a split puts the m subjects with marker ≤ c (the cutpoint, the
//! largest marker value in the low group) in the low group L and the rest in the high group H.
//! Splits exist only between distinct marker values, and m must lie in
//! [max(1, ⌊N·min_prop⌋), ⌊N·max_prop⌋] ([`CutpointOptions`], maxstat's `minprop` / `maxprop`).
//!
//! # The two statistics at each split
//! **maxstat** (`maxstat.test(smethod = "LogRank")`): log-rank scores
//! a_i = δ_i − Σ_{j : r_j ≤ r_i} δ_j / (N − r_j + 1), r the largest rank among tied times; S_m the
//! sum of the scores of L; statistic |S_m − E_m| / √V_m with the permutation moments
//! E_m = m/N · Σa and V_m = m (N − m) / (N² (N − 1)) · (N Σa² − (Σa)²). S_m is a running sum in
//! marker order: O(1) per split. The best split is the first reaching the maximum M.
//!
//! **survdiff** (`survdiff(Surv(time, event) ~ low)$chisq`): with t_1 < … < t_K the distinct event
//! times, d_k events and n_k subjects at risk at t_k, n_{Lk} of them in L, p_k = n_{Lk} / n_k and
//! w_k = d_k (n_k − d_k) / (n_k − 1) (0 when n_k = 1):
//! χ² = (O_L − E_L)² / V_L, E_L = Σ_k d_k p_k, V_L = Σ_k w_k p_k (1 − p_k).
//! One log-rank per split costs O(n), O(n²) over all splits. ecvkit updates the three terms as
//! subjects join L in marker order, in O(log K) each:
//!
//! - **Numerator.** n_{Lk} = Σ_{i ∈ L} 1[T_i ≥ t_k], so
//!   E_L = Σ_k d_k / n_k Σ_{i ∈ L} 1[t_k ≤ T_i] = Σ_{i ∈ L} Λ̂(T_i), with Λ̂ the pooled
//!   Nelson–Aalen estimate; hence O_L − E_L = Σ_{i ∈ L} (δ_i − Λ̂(T_i)), a sum of per-subject terms
//!   (the martingale residuals of the null model).
//! - **Variance.** With c_k = w_k / n_k², V_L = Σ_k c_k n_{Lk} n_{Hk}. When subject i (with
//!   κ_i = #{k : t_k ≤ T_i}) joins L, n_{Lk} rises and n_{Hk} falls by one for k ≤ κ_i, so
//!   n_{Lk} n_{Hk} changes by n_k − 1 − 2 n_{Lk} and
//!   ΔV = P(κ_i) − 2 Σ_{k ≤ κ_i} c_k n_{Lk}, where P(κ) = Σ_{k ≤ κ} c_k (n_k − 1) is a prefix sum
//!   over event times. The last sum is over the current members j of L:
//!   Σ_{k ≤ κ} c_k n_{Lk} = Σ_{j ∈ L} C(min(κ_j, κ)) = Σ_{j ∈ L, κ_j < κ} C(κ_j) +
//!   C(κ) · #{j ∈ L : κ_j ≥ κ}, with C(κ) = Σ_{k ≤ κ} c_k; two Fenwick trees indexed by κ
//!   (one summing C(κ_j), one counting members) give both parts in O(log K).
//!
//! After one O(n log n) sort by time (the event-time table: κ_i, Λ̂, C, P) and one by marker, the
//! scan is O(n log K). Sums are compensated (Neumaier). R's rules are kept: χ² = 0 when a group
//! has E = 0 (R drops it and keeps fewer than two groups) and when V is zero (R's `solve` would
//! stop); tests check every split against the direct computation.
//!
//! # p-values
//! For each statistic's best split: unadjusted (2 (1 − Φ(M)); P(χ²₁ > χ²)), Lausen–Schumacher
//! 1992 and 1994 ([`lausen92_p`], [`Lausen94Terms`]; R's `pLausen92` / `pLausen94` with the
//! evaluated splits), and optionally a permutation p (B random permutations of the marker from a
//! caller seed, [`CutpointOptions::permutations`]).
//!
//! # X-tile
//! [`xtile_grid`]: low / middle / high for every pair of cutpoints, survdiff's 3-group χ², and the
//! ordering of the groups' O/E; the best division is the largest χ² whose ordering is consistent.
//!
//! # Validation on a new cohort
//! [`apply_cutoff`]: a cutoff found on one cohort applied to another in one call — the groups,
//! their Kaplan-Meier medians with CI, and the log-rank test.
//!
//! ```
//! use ecvkit::cutpoint::{scan_cutpoints, CutpointData, CutpointOptions, CutpointRow,
//!                        CutpointScratch, ScratchLen};
//!
//! let marker = [0.21, 0.25, 0.27, 0.30, 0.33, 0.24, 0.29, 0.35, 0.22, 0.31];
//! let time = [30.0, 24.0, 20.0, 9.0, 6.0, 28.0, 12.0, 4.0, 36.0, 8.0];
//! let event = [0, 1, 1, 1, 1, 0, 1, 1, 1, 0];
//! let data = CutpointData { marker: &marker, time: &time, event: &event };
//! let options = CutpointOptions::default();
//! let need = ScratchLen::for_scan(marker.len());
//! let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
//! let mut profile = vec![CutpointRow::default(); options.max_cuts(marker.len())];
//! let scan = scan_cutpoints(
//!     data,
//!     &options,
//!     Some(&mut profile),
//!     CutpointScratch { reals: &mut reals, indices: &mut indices },
//! )?;
//! assert_eq!(scan.cuts, 9);
//! assert!(scan.maxstat.p_lausen94 > scan.maxstat.p_unadjusted); // the scan costs significance
//! # Ok::<(), ecvkit::Status>(())
//! ```

mod event_times;
mod fenwick;
mod fixed_cutoff;
mod incremental_logrank;
mod lausen;
mod options;
mod permutation;
mod scan;
mod scratch;
mod xtile;

#[cfg(test)]
mod tests;

pub use fixed_cutoff::{
    apply_cutoff, FixedCutoff, FixedCutoffScratch, FixedCutoffScratchLen, GroupSurvival,
};
pub use lausen::{lausen92_p, lausen94_p, Lausen94Terms, LAUSEN94_MAX_SUBJECTS};
pub use options::{CutpointOptions, SplitRange, DEFAULT_MAX_PROP, DEFAULT_MIN_PROP, DEFAULT_SEED};
pub use scan::{
    count_cuts, scan_cutpoints, CutpointChoice, CutpointData, CutpointRow, CutpointScan,
};
pub use scratch::{CutpointScratch, ScratchLen};
pub use xtile::{
    xtile_cell_index, xtile_cells, xtile_grid, GroupOrdering, XtileCell, XtileSummary,
};
