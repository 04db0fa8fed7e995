//! Descriptive statistics for Table 1: quantiles by R's type 7, median and interquartile range,
//! mean and standard deviation.

use super::require_all_finite;
use crate::numeric::NeumaierSum;
use crate::sort::{heapsort_f64, total_order_key};
use crate::Status;

/// Quantiles by linear interpolation between order statistics, R's `quantile(x, probs, type = 7)`
/// (also numpy's default): with the sorted sample x₍₁₎ ≤ … ≤ x₍ₙ₎, index h = 1 + (n − 1)·p,
/// lo = ⌊h⌋, and Q(p) = x₍lo₎ + (h − lo)·(x₍lo+1₎ − x₍lo₎), written as R writes it,
/// (1 − (h − lo))·x₍lo₎ + (h − lo)·x₍lo+1₎, and exactly x₍lo₎ when the two order statistics are
/// equal (Hyndman & Fan 1996, definition 7).
///
/// `out[i]` gets the quantile at `probs[i]`. Scratch: `scratch` needs at least `x.len()` doubles;
/// a sorted copy of `x` is left there (the caller's `x` is not reordered).
///
/// Errors (nothing written to `out`): `EmptyInput` (no `x`), `NotFinite` (a NaN or infinity in
/// `x` or `probs`), `InvalidOption` (a probability outside [0, 1]), `BufferTooSmall`
/// (`out.len() < probs.len()`), `ScratchTooSmall`.
///
/// ```
/// use ecvkit::stats::quantile_type7;
/// let x = [7.0, 1.0, 3.0, 10.0];
/// let mut q = [0.0; 3];
/// let mut scratch = [0.0; 4];
/// quantile_type7(&x, &[0.25, 0.5, 0.9], &mut q, &mut scratch)?;
/// // R: quantile(c(7, 1, 3, 10), c(.25, .5, .9)) gives 2.5, 5, 9.1000000000000014
/// assert_eq!(q, [2.5, 5.0, 9.100_000_000_000_001_4]);
/// # Ok::<(), ecvkit::Status>(())
/// ```
pub fn quantile_type7(
    x: &[f64],
    probs: &[f64],
    out: &mut [f64],
    scratch: &mut [f64],
) -> Result<(), Status> {
    if x.is_empty() {
        return Err(Status::EmptyInput);
    }
    require_all_finite(x)?;
    require_all_finite(probs)?;
    if probs.iter().any(|&p| !(0.0..=1.0).contains(&p)) {
        return Err(Status::InvalidOption);
    }
    let out = out.get_mut(..probs.len()).ok_or(Status::BufferTooSmall)?;
    let sorted = sorted_copy(x, scratch)?;
    for (q, &p) in out.iter_mut().zip(probs) {
        *q = quantile_sorted(sorted, p);
    }
    Ok(())
}

/// Copies `x` into the front of `scratch` and sorts it ascending.
fn sorted_copy<'s>(x: &[f64], scratch: &'s mut [f64]) -> Result<&'s [f64], Status> {
    let sorted = scratch.get_mut(..x.len()).ok_or(Status::ScratchTooSmall)?;
    sorted.iter_mut().zip(x).for_each(|(s, &v)| *s = v);
    heapsort_f64(sorted);
    Ok(sorted)
}

/// Type 7 quantile of a sorted, non-empty, finite sample at p ∈ [0, 1].
fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    let n = sorted.len();
    let index = 1.0 + (n.saturating_sub(1)) as f64 * p; // R: 1 + max(n - 1, 0) * probs
    let lo = libm::floor(index);
    let hi = libm::ceil(index);
    let at = |one_based: f64| {
        sorted
            .get((one_based as usize).saturating_sub(1))
            .copied()
            .unwrap_or(f64::NAN)
    };
    let qs = at(lo);
    let x_hi = at(hi);
    if index > lo && x_hi != qs {
        let h = index - lo;
        (1.0 - h) * qs + h * x_hi
    } else {
        qs
    }
}

/// Median and quartiles of a sample, R's `median(x)`, `quantile(x, c(.25, .75))` (type 7) and
/// `IQR(x)` = Q3 − Q1, with the minimum and maximum: the "median (IQR)" of a Table 1.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MedianIqr {
    /// Number of observations.
    pub n: usize,
    /// Median (type 7 at 0.5: the mean of the two middle values when n is even).
    pub median: f64,
    /// First quartile (type 7 at 0.25).
    pub q1: f64,
    /// Third quartile (type 7 at 0.75).
    pub q3: f64,
    /// Interquartile range Q3 − Q1 (R's `IQR`).
    pub iqr: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// [`MedianIqr`] of `x`. Scratch: `scratch` needs at least `x.len()` doubles (it receives a
/// copy of `x`, partially ordered; `x` itself is not reordered).
///
/// The six order statistics the three type 7 quantiles need are found by selection (a 3-way
/// quickselect that falls back to heapsort after 2·log₂ n rounds), O(n), not by a full sort.
///
/// Errors: `EmptyInput`, `NotFinite`, `ScratchTooSmall`.
pub fn median_iqr(x: &[f64], scratch: &mut [f64]) -> Result<MedianIqr, Status> {
    if x.is_empty() {
        return Err(Status::EmptyInput);
    }
    require_all_finite(x)?;
    let v = scratch.get_mut(..x.len()).ok_or(Status::ScratchTooSmall)?;
    v.iter_mut().zip(x).for_each(|(s, &a)| *s = a);
    let n = v.len();
    // 0-based order statistics for p = 0.25, 0.5, 0.75 (lo and hi of each), ascending.
    let mut wanted = [0usize; 6];
    for (pair, p) in wanted.chunks_exact_mut(2).zip([0.25, 0.5, 0.75]) {
        let index = (n - 1) as f64 * p;
        if let [lo, hi] = pair {
            *lo = libm::floor(index) as usize;
            *hi = libm::ceil(index) as usize;
        }
    }
    let mut from = 0;
    for &k in &wanted {
        if k >= from {
            select(v, from, k);
            from = k + 1;
        }
    }
    let order_stat = |k: usize| v.get(k).copied().unwrap_or(f64::NAN);
    let at = |p: f64| {
        let index = 1.0 + (n - 1) as f64 * p;
        let lo = libm::floor(index);
        let hi = libm::ceil(index);
        let qs = order_stat((lo as usize).saturating_sub(1));
        let x_hi = order_stat((hi as usize).saturating_sub(1));
        if index > lo && x_hi != qs {
            let h = index - lo;
            (1.0 - h) * qs + h * x_hi
        } else {
            qs
        }
    };
    let (q1, median, q3) = (at(0.25), at(0.5), at(0.75));
    let min = x.iter().copied().fold(f64::INFINITY, libm::fmin);
    let max = x.iter().copied().fold(f64::NEG_INFINITY, libm::fmax);
    Ok(MedianIqr {
        n,
        median,
        q1,
        q3,
        iqr: q3 - q1,
        min,
        max,
    })
}

/// Rearranges `v[from..]` so that `v[k]` holds the value a full ascending sort would put there,
/// with nothing smaller after it and nothing larger before it (within `v[from..]`); `k ≥ from`.
/// A 3-way (Dutch flag) quickselect with a median-of-three pivot, so ties cost nothing, and a
/// heapsort of the remaining range after 2·log₂ n rounds (worst case O(n log n)). Panic-free.
fn select(v: &mut [f64], from: usize, k: usize) {
    let key = |v: &[f64], i: usize| v.get(i).map_or(0, |&x| total_order_key(x));
    if k == from {
        // the smallest of v[from..]: one scan (the "hi" neighbour of a type 7 quantile)
        let mut best = from;
        for i in from..v.len() {
            if key(v, i) < key(v, best) {
                best = i;
            }
        }
        swap(v, from, best);
        return;
    }
    let (mut lo, mut hi) = (from, v.len());
    let mut budget = 2 * (usize::BITS - v.len().leading_zeros());
    while hi.saturating_sub(lo) > 1 && k >= lo && k < hi {
        if budget == 0 {
            if let Some(rest) = v.get_mut(lo..hi) {
                heapsort_f64(rest);
            }
            return;
        }
        budget -= 1;
        let mid = lo + (hi - lo) / 2;
        let (a, b, c) = (key(v, lo), key(v, mid), key(v, hi - 1));
        let pivot = a.max(b).min(a.min(b).max(c)); // median of three
        let (mut lt, mut i, mut gt) = (lo, lo, hi);
        while i < gt {
            let x = key(v, i);
            if x < pivot {
                swap(v, lt, i);
                lt += 1;
                i += 1;
            } else if x > pivot {
                gt -= 1;
                swap(v, i, gt);
            } else {
                i += 1;
            }
        }
        if k < lt {
            hi = lt;
        } else if k >= gt {
            lo = gt;
        } else {
            return; // v[lt..gt] all equal the pivot
        }
    }
}

/// Swaps two elements without a panic path (no-op for equal or out-of-range indices).
fn swap(v: &mut [f64], a: usize, b: usize) {
    if let Ok([x, y]) = v.get_disjoint_mut([a, b]) {
        core::mem::swap(x, y);
    }
}

/// Mean and sample standard deviation, R's `mean(x)` and `sd(x)`: the "mean ± SD" of a Table 1.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MeanSd {
    /// Number of observations.
    pub n: usize,
    /// Arithmetic mean.
    pub mean: f64,
    /// Sample standard deviation √(Σ(x − x̄)² / (n − 1)); NaN when n = 1 (R gives `NA`).
    pub sd: f64,
}

/// [`MeanSd`] of `x`: the mean as R computes it (the sum divided by n, then refined by the mean
/// of the residuals), the variance by a second pass over the residuals, both with compensated
/// sums, on the values divided by a power of two near their largest magnitude (exact, and the
/// same result as R wherever R's sums do not overflow or underflow; finite mean and SD for
/// every finite sample whose SD fits a double). No scratch.
///
/// Errors: `EmptyInput`, `NotFinite`.
pub fn mean_sd(x: &[f64]) -> Result<MeanSd, Status> {
    if x.is_empty() {
        return Err(Status::EmptyInput);
    }
    require_all_finite(x)?;
    let scale = power_of_two_scale(x);
    let (mean, var) = scaled_mean_var(x, scale);
    Ok(MeanSd {
        n: x.len(),
        mean: mean * scale,
        sd: libm::sqrt(var) * scale,
    })
}

/// A power of two 2^k with max |x| / 2 < 2^k ≤ max |x| (1 when every value is 0). Dividing by
/// it is exact and brings every value into [−2, 2], so that sums and squares of the scaled
/// values neither overflow nor underflow; every sum, product and quotient of the scaled values
/// is the unscaled one times a power of two, so results are bit-identical to the unscaled
/// computation wherever that one neither overflows nor underflows. (Unscaled, the sample
/// [−88, −1e300] gave a NaN SD from (x − x̄)² = ∞; R's `sd` gives `Inf`; the SD is 7.07e299.)
pub(super) fn power_of_two_scale(x: &[f64]) -> f64 {
    power_of_two_scale_for(x.iter().fold(0.0f64, |m, &v| libm::fmax(m, libm::fabs(v))))
}

/// The [`power_of_two_scale`] of values whose largest magnitude is `max`.
pub(super) fn power_of_two_scale_for(max: f64) -> f64 {
    if max == 0.0 || !max.is_finite() {
        return 1.0;
    }
    let (_, e) = libm::frexp(max); // max = m · 2^e, m in [0.5, 1)
    libm::ldexp(1.0, e - 1)
}

/// Mean (two passes, as R's `mean`) and sample variance (n − 1 denominator; NaN for n < 2) of
/// x / `scale` for a non-empty finite sample and a `scale` from [`power_of_two_scale`].
pub(super) fn scaled_mean_var(x: &[f64], scale: f64) -> (f64, f64) {
    let n = x.len() as f64;
    let mut s = NeumaierSum::new();
    x.iter().for_each(|&v| s.add(v / scale));
    let rough = s.total() / n;
    let mut r = NeumaierSum::new();
    x.iter().for_each(|&v| r.add(v / scale - rough));
    let mean = rough + r.total() / n;
    let mut ss = NeumaierSum::new();
    x.iter().for_each(|&v| {
        let d = v / scale - mean;
        ss.add(d * d)
    });
    let var = if x.len() < 2 {
        f64::NAN
    } else {
        ss.total() / (n - 1.0)
    };
    (mean, var)
}

/// Mean (two passes, as R's `mean`) and sample variance (n − 1 denominator; NaN for n < 2) of a
/// non-empty finite sample, computed on the values scaled by [`power_of_two_scale`] (so the
/// mean is always finite; the variance is ∞ only when its true value exceeds the largest
/// double).
pub(super) fn mean_var(x: &[f64]) -> (f64, f64) {
    let scale = power_of_two_scale(x);
    let (mean, var) = scaled_mean_var(x, scale);
    (mean * scale, var * scale * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type7_matches_hand_values() {
        // R: quantile(c(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), c(0, .1, .25, .5, 1))
        let x = [10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0, 3.0, 2.0, 1.0];
        let mut q = [0.0; 5];
        let mut s = [0.0; 10];
        quantile_type7(&x, &[0.0, 0.1, 0.25, 0.5, 1.0], &mut q, &mut s).unwrap();
        assert_eq!(q, [1.0, 1.9, 3.25, 5.5, 10.0]);
        assert_eq!(x[0], 10.0, "input untouched");
        let m = median_iqr(&x, &mut s).unwrap();
        assert_eq!((m.median, m.q1, m.q3, m.iqr), (5.5, 3.25, 7.75, 4.5));
        assert_eq!((m.min, m.max, m.n), (1.0, 10.0, 10));
    }

    #[test]
    fn single_value_and_errors() {
        let mut s = [0.0; 1];
        let m = median_iqr(&[4.0], &mut s).unwrap();
        assert_eq!((m.median, m.iqr), (4.0, 0.0));
        assert_eq!(median_iqr(&[], &mut s), Err(Status::EmptyInput));
        assert_eq!(
            median_iqr(&[1.0, 2.0], &mut s),
            Err(Status::ScratchTooSmall)
        );
        assert_eq!(median_iqr(&[f64::NAN], &mut s), Err(Status::NotFinite));
        let mut q = [7.0; 1];
        assert_eq!(
            quantile_type7(&[1.0], &[1.5], &mut q, &mut s),
            Err(Status::InvalidOption)
        );
        assert_eq!(
            quantile_type7(&[1.0], &[0.5, 0.6], &mut q, &mut s),
            Err(Status::BufferTooSmall)
        );
        assert_eq!(q, [7.0], "nothing written on failure");
        let ms = mean_sd(&[3.0]).unwrap();
        assert!(ms.sd.is_nan() && ms.mean == 3.0);
        assert_eq!(mean_sd(&[]), Err(Status::EmptyInput));
    }

    #[test]
    fn selection_agrees_with_sorting() {
        let mut state = 7u64;
        for n in 1..crate::test_support::native_or_miri(300, 8) {
            let x: Vec<f64> = (0..n)
                .map(|_| {
                    state = state.wrapping_mul(6364136223846793005).wrapping_add(1);
                    ((state >> 40) % (n as u64 / 3 + 1)) as f64 - 4.5
                })
                .collect();
            let mut s = vec![0.0; n];
            let mut q = [0.0; 3];
            quantile_type7(&x, &[0.25, 0.5, 0.75], &mut q, &mut s).unwrap();
            let m = median_iqr(&x, &mut s).unwrap();
            assert_eq!((m.q1, m.median, m.q3), (q[0], q[1], q[2]), "n={n}");
            assert_eq!(m.min, *x.iter().min_by(|a, b| a.total_cmp(b)).unwrap());
        }
        // sorted, reversed and constant inputs
        for x in [
            (0..1000).map(f64::from).collect::<Vec<_>>(),
            (0..1000).rev().map(f64::from).collect(),
            vec![2.5; 1000],
        ] {
            let mut s = vec![0.0; 1000];
            let m = median_iqr(&x, &mut s).unwrap();
            let mut q = [0.0; 3];
            quantile_type7(&x, &[0.25, 0.5, 0.75], &mut q, &mut s).unwrap();
            assert_eq!((m.q1, m.median, m.q3), (q[0], q[1], q[2]));
        }
    }

    #[test]
    fn mean_sd_is_accurate_with_a_large_offset() {
        let x = [1e9 + 1.0, 1e9 + 2.0, 1e9 + 3.0];
        let m = mean_sd(&x).unwrap();
        assert_eq!((m.mean, m.sd), (1e9 + 2.0, 1.0));
    }
}
