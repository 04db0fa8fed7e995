//! The X-tile view (Camp, Dolled-Filhart & Rimm, Clin Cancer Res 2004): every division of the
//! cohort by two cutpoints into low / middle / high marker groups, with survdiff's 3-group
//! log-rank χ² of each, into a caller buffer laid out as a triangle.

use super::incremental_logrank::{GroupTerms, ZERO_VARIANCE_FRACTION};
use super::options::CutpointOptions;
use super::scan::{cut_at, prepare, CutpointData, Prepared};
use super::scratch::{take, CutpointScratch, ScratchLen};
use crate::dist::chisq_sf;
use crate::Status;

/// How the three groups' hazards are ordered, judged by survdiff's observed / expected ratio
/// (O/E, the group's hazard relative to the pooled one).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GroupOrdering {
    /// The middle group's O/E is not strictly between the low and high groups' (or a group has
    /// E = 0): X-tile does not consider this division.
    #[default]
    Inconsistent = 0,
    /// O/E low < middle < high: the hazard rises with the marker (higher marker, worse survival).
    HazardIncreasing = 1,
    /// O/E low > middle > high: the hazard falls as the marker rises.
    HazardDecreasing = 2,
}

/// One cell of the X-tile grid: low = marker ≤ `low_cut`, middle = `low_cut` < marker ≤
/// `high_cut`, high = marker > `high_cut`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct XtileCell {
    /// Upper bound of the low group (a profile cutpoint).
    pub low_cut: f64,
    /// Upper bound of the middle group (a larger profile cutpoint).
    pub high_cut: f64,
    /// Subjects in the low group.
    pub n_low: usize,
    /// Subjects in the middle group.
    pub n_mid: usize,
    /// Subjects in the high group.
    pub n_high: usize,
    /// survdiff's χ² for the three groups (2 df, or fewer when a group has E = 0, as R drops
    /// it). NaN when the middle group has fewer than max(1, ⌊n·min_prop⌋) subjects.
    pub chisq: f64,
    /// O/E of the low group (NaN when E = 0).
    pub observed_expected_low: f64,
    /// O/E of the middle group.
    pub observed_expected_mid: f64,
    /// O/E of the high group.
    pub observed_expected_high: f64,
    /// The ordering of the three O/E ratios.
    pub ordering: GroupOrdering,
}

/// The summary of [`xtile_grid`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct XtileSummary {
    /// J, the number of cutpoints per axis (the profile's cuts).
    pub cuts: usize,
    /// Cells written, J (J − 1) / 2.
    pub cells: usize,
    /// Cells with a χ² (middle group large enough) and a consistent ordering.
    pub consistent_cells: usize,
    /// Index of the best cell: the largest χ² among consistent cells, the first in layout order
    /// on ties. Equal to `cells` when no cell is consistent.
    pub best_index: usize,
    /// A copy of the best cell (all NaN / zero when none).
    pub best: XtileCell,
    /// P(χ²₂ > best χ²): NOT corrected for the search over J (J − 1) / 2 divisions (X-tile
    /// corrects by Monte-Carlo or a training / validation split; ecvkit leaves that to the
    /// caller). NaN when no cell is consistent.
    pub p_unadjusted: f64,
}

/// Number of cells of a grid over J cutpoints: J (J − 1) / 2 (saturating).
pub const fn xtile_cells(cuts: usize) -> usize {
    if cuts.is_multiple_of(2) {
        (cuts / 2).saturating_mul(cuts.saturating_sub(1))
    } else {
        cuts.saturating_mul(cuts.saturating_sub(1) / 2)
    }
}

/// The position of cell (a, b), 0 ≤ a < b < J, in the grid: the strict upper triangle in
/// row-major order, index = a·J − a (a + 1) / 2 + (b − a − 1). Row a (low cut = cut a) holds
/// b = a + 1, …, J − 1. `None` unless a < b < J.
pub fn xtile_cell_index(cuts: usize, a: usize, b: usize) -> Option<usize> {
    if a >= b || b >= cuts {
        return None;
    }
    // Cells before row a: Σ_{r < a} (J − 1 − r) = a (J − 1) − a (a − 1) / 2.
    let before = a
        .checked_mul(cuts - 1)?
        .checked_sub(a.checked_mul(a.saturating_sub(1))? / 2)?;
    before.checked_add(b - a - 1)
}

/// The X-tile grid: for every pair of profile cutpoints c_a < c_b (the splits
/// [`scan_cutpoints`](super::scan_cutpoints) evaluates), survdiff's χ² for low / middle / high,
/// each group's O/E and their ordering, written to `grid` in the layout of
/// [`xtile_cell_index`]. The best division is the largest χ² among cells whose ordering is
/// consistent (X-tile's rule: the middle group's survival lies between the other two).
///
/// `grid` needs at least [`xtile_cells`]`(J)` cells, J = [`count_cuts`](super::count_cuts);
/// `scratch` at least [`ScratchLen::for_xtile`]`(n)`. Cost O(J (n + K)) for K event times:
/// the low and high groups' log-rank terms come from two incremental sweeps, and the
/// covariance of the low and high groups, −Σ_k c_k n_{Lk} n_{Hk}, from one pass per low cut.
///
/// Errors: those of [`scan_cutpoints`](super::scan_cutpoints) except `CutpointScoresConstant`,
/// with `BufferTooSmall` for the grid.
pub fn xtile_grid(
    data: CutpointData<'_>,
    options: &CutpointOptions,
    grid: &mut [XtileCell],
    scratch: CutpointScratch<'_>,
) -> Result<XtileSummary, Status> {
    let CutpointScratch {
        mut reals,
        mut indices,
    } = scratch;
    let n = data.validate()?;
    let need = ScratchLen::for_xtile(n);
    if reals.len() < need.reals || indices.len() < need.indices {
        return Err(Status::ScratchTooSmall);
    }
    let mut prep = prepare(data, options, &mut reals, &mut indices)?;
    let j = prep.cuts;
    let cells = xtile_cells(j);
    let grid = grid.get_mut(..cells).ok_or(Status::BufferTooSmall)?;
    let k = prep.times.event_times;
    let cut_m = take(&mut indices, j)?;
    let hist = take(&mut indices, k + 1)?;
    let mut side = SideTerms {
        low: take(&mut reals, 4 * j)?,
        high: take(&mut reals, 4 * j)?,
    };
    let shared = take(&mut reals, k + 1)?;

    sweep_both_sides(&mut prep, cut_m, &mut side);
    let mut summary = XtileSummary {
        cuts: j,
        cells,
        best_index: cells,
        best: XtileCell {
            low_cut: f64::NAN,
            high_cut: f64::NAN,
            chisq: f64::NAN,
            observed_expected_low: f64::NAN,
            observed_expected_mid: f64::NAN,
            observed_expected_high: f64::NAN,
            ..XtileCell::default()
        },
        p_unadjusted: f64::NAN,
        ..XtileSummary::default()
    };
    let totals = Totals {
        n,
        events: prep.times.events as f64,
        before_first_event: prep.times.before_first_event,
        information: prep.times.information,
        min_group: prep.range.lo,
    };
    hist.fill(0);
    let mut filled_to = 0usize; // positions 0..filled_to are counted in `hist`
    for a in 0..j {
        let m_a = cut_m.get(a).map_or(0, |&m| m as usize);
        for pos in filled_to..m_a {
            if let Some(h) = subject_at(&prep, pos)
                .and_then(|i| prep.times.kappa.get(i as usize))
                .and_then(|&kk| hist.get_mut(kk as usize))
            {
                *h = h.saturating_add(1);
            }
        }
        filled_to = m_a;
        shared_prefix(&prep, hist, m_a, shared);
        // Walk the high group down from the top, accumulating Σ_{j ∈ H} R(κ_j).
        let mut cross = crate::numeric::NeumaierSum::new();
        let mut pos = n;
        for b in (a + 1..j).rev() {
            let m_b = cut_m.get(b).map_or(0, |&m| m as usize);
            while pos > m_b {
                pos -= 1;
                let r = subject_at(&prep, pos)
                    .and_then(|i| prep.times.kappa.get(i as usize))
                    .and_then(|&kk| shared.get(kk as usize))
                    .copied()
                    .unwrap_or(0.0);
                cross.add(r);
            }
            let low = side.get(Side::Low, a);
            let high = side.get(Side::High, b);
            let mut cell = three_group_cell(&totals, low, high, -cross.total(), m_a, m_b);
            cell.low_cut = prep.cut_at(m_a).unwrap_or(f64::NAN);
            cell.high_cut = prep.cut_at(m_b).unwrap_or(f64::NAN);
            let index = xtile_cell_index(j, a, b).unwrap_or(cells);
            if cell.ordering != GroupOrdering::Inconsistent && !cell.chisq.is_nan() {
                summary.consistent_cells += 1;
                if summary.best_index == cells || cell.chisq > summary.best.chisq {
                    summary.best_index = index;
                    summary.best = cell;
                }
            }
            if let Some(slot) = grid.get_mut(index) {
                *slot = cell;
            }
        }
    }
    if summary.best_index < cells {
        summary.p_unadjusted = chisq_sf(summary.best.chisq, 2.0);
    }
    Ok(summary)
}

/// The subject at position `pos` of the marker order.
fn subject_at(prep: &Prepared<'_>, pos: usize) -> Option<u32> {
    prep.by_marker.get(pos).copied()
}

/// R(κ) = Σ_{k=1..κ} c_k n_{Lk} for κ = 0..=K, where n_{Lk} = #{i ∈ L : κ_i ≥ k} and `hist`
/// counts the low group's κ values (|L| = `low_size`).
fn shared_prefix(prep: &Prepared<'_>, hist: &[u32], low_size: usize, shared: &mut [f64]) {
    let c = prep.times.c_prefix;
    let mut below = 0usize; // #{i ∈ L : κ_i < k}
    let mut acc = crate::numeric::NeumaierSum::new();
    let mut previous_c = 0.0;
    for (kk, slot) in shared.iter_mut().enumerate() {
        if kk > 0 {
            below = below.saturating_add(hist.get(kk - 1).map_or(0, |&h| h as usize));
            let ck = c.get(kk).copied().unwrap_or(previous_c);
            let n_lk = low_size.saturating_sub(below) as f64;
            acc.add((ck - previous_c) * n_lk);
            previous_c = ck;
        }
        *slot = acc.total();
    }
}

/// The outer groups' terms per cut, four values each: O, E, V, and the number of members before
/// the first event time. `low[a]`: L = the first m_a subjects; `high[b]`: H = the subjects from
/// position m_b on.
struct SideTerms<'a> {
    low: &'a mut [f64],
    high: &'a mut [f64],
}

#[derive(Clone, Copy)]
enum Side {
    Low,
    High,
}

impl SideTerms<'_> {
    fn put(&mut self, side: Side, cut: usize, terms: &GroupTerms) {
        let buf = match side {
            Side::Low => &mut *self.low,
            Side::High => &mut *self.high,
        };
        if let Some(chunk) = buf.chunks_exact_mut(4).nth(cut) {
            let values = [
                terms.observed,
                terms.expected,
                terms.variance,
                terms.before_first_event as f64,
            ];
            for (slot, v) in chunk.iter_mut().zip(values) {
                *slot = v;
            }
        }
    }

    fn get(&self, side: Side, cut: usize) -> SideValues {
        let buf = match side {
            Side::Low => &*self.low,
            Side::High => &*self.high,
        };
        let chunk = buf.chunks_exact(4).nth(cut);
        let at = |i: usize| chunk.and_then(|c| c.get(i)).copied().unwrap_or(f64::NAN);
        SideValues {
            observed: at(0),
            expected: at(1),
            variance: at(2),
            before_first_event: at(3) as usize,
        }
    }
}

/// O, E, V and the count before the first event time of one outer group.
#[derive(Clone, Copy, Debug)]
struct SideValues {
    observed: f64,
    expected: f64,
    variance: f64,
    before_first_event: usize,
}

/// Cohort totals a cell needs.
struct Totals {
    n: usize,
    events: f64,
    before_first_event: usize,
    information: f64,
    min_group: usize,
}

/// Forward sweep (low groups) and backward sweep (high groups), storing the terms per cut; also
/// records the low-group size m of every cut in `cut_m`.
fn sweep_both_sides(prep: &mut Prepared<'_>, cut_m: &mut [u32], side: &mut SideTerms<'_>) {
    let n = prep.n;
    let (marker, by_marker, range) = (prep.data.marker, prep.by_marker, prep.range);
    let is_cut = |m: usize| cut_at(marker, by_marker, range, m).is_some();
    let mut group = prep.group();
    let mut cut = 0usize;
    for (pos, &i) in by_marker.iter().enumerate() {
        group.add(i);
        let m = pos + 1;
        if is_cut(m) {
            side.put(Side::Low, cut, &group.terms());
            if let Some(slot) = cut_m.get_mut(cut) {
                *slot = u32::try_from(m).unwrap_or(u32::MAX);
            }
            cut += 1;
        }
    }
    group.clear();
    let mut b = cut;
    for pos in (0..n).rev() {
        if let Some(&i) = by_marker.get(pos) {
            group.add(i);
        }
        // H = positions pos..n: the high group of the split with m = pos.
        if is_cut(pos) {
            b = b.saturating_sub(1);
            side.put(Side::High, b, &group.terms());
        }
    }
}

/// One cell from the outer groups' terms and their covariance V_LH = −Σ_k c_k n_{Lk} n_{Hk}.
fn three_group_cell(
    t: &Totals,
    low: SideValues,
    high: SideValues,
    v_lh: f64,
    m_a: usize,
    m_b: usize,
) -> XtileCell {
    let n_low = m_a;
    let n_mid = m_b.saturating_sub(m_a);
    let n_high = t.n.saturating_sub(m_b);
    let observed_mid = t.events - low.observed - high.observed;
    let expected_mid = t.events - low.expected - high.expected;
    let mid_before = t
        .before_first_event
        .saturating_sub(low.before_first_event)
        .saturating_sub(high.before_first_event);
    let zero_e = [
        low.before_first_event == n_low,
        mid_before == n_mid,
        high.before_first_event == n_high,
    ];
    let ratio = |o: f64, e: f64, zero: bool| if zero { f64::NAN } else { o / e };
    let oe = [
        ratio(low.observed, low.expected, zero_e[0]),
        ratio(observed_mid, expected_mid, zero_e[1]),
        ratio(high.observed, high.expected, zero_e[2]),
    ];
    let [oe_low, oe_mid, oe_high] = oe;
    let ordering = if oe_low < oe_mid && oe_mid < oe_high {
        GroupOrdering::HazardIncreasing
    } else if oe_low > oe_mid && oe_mid > oe_high {
        GroupOrdering::HazardDecreasing
    } else {
        GroupOrdering::Inconsistent
    };
    let chisq = if n_mid < t.min_group {
        f64::NAN
    } else {
        let u_low = low.observed - low.expected;
        let u_high = high.observed - high.expected;
        let u_mid = -(u_low + u_high);
        let v_mid = low.variance + high.variance + 2.0 * v_lh;
        three_group_chisq(
            [u_low, u_mid, u_high],
            [low.variance, v_mid, high.variance],
            v_lh,
            zero_e,
            t.information,
        )
    };
    XtileCell {
        low_cut: f64::NAN,
        high_cut: f64::NAN,
        n_low,
        n_mid,
        n_high,
        chisq,
        observed_expected_low: oe_low,
        observed_expected_mid: oe_mid,
        observed_expected_high: oe_high,
        ordering,
    }
}

/// survdiff's χ² for three groups: groups with E = 0 are dropped; with fewer than two left the
/// χ² is 0; with two, (O − E)² / V of the second; with three, the quadratic form of the low and
/// high groups (dropping any one group gives the same value; R drops the first).
fn three_group_chisq(
    u: [f64; 3],
    variance: [f64; 3],
    v_low_high: f64,
    zero_e: [bool; 3],
    information: f64,
) -> f64 {
    let kept = zero_e.iter().filter(|&&z| !z).count();
    if kept < 2 {
        return 0.0;
    }
    if kept == 2 {
        let last = zero_e.iter().rposition(|&z| !z).unwrap_or(2);
        let (ug, vg) = (
            u.get(last).copied().unwrap_or(0.0),
            variance.get(last).copied().unwrap_or(0.0),
        );
        return if vg <= ZERO_VARIANCE_FRACTION * information {
            0.0
        } else {
            ug * ug / vg
        };
    }
    let [u_l, _, u_h] = u;
    let [v_ll, _, v_hh] = variance;
    let det = v_ll * v_hh - v_low_high * v_low_high;
    if det <= ZERO_VARIANCE_FRACTION * information * information {
        return 0.0;
    }
    (v_hh * u_l * u_l - 2.0 * v_low_high * u_l * u_h + v_ll * u_h * u_h) / det
}
