//! The Wilcoxon rank-sum (Mann–Whitney) test, as R's `wilcox.test(x, y)`.

use super::wilcoxon_distribution::{pwilcox, EXACT_MAX_SAMPLE};
use super::{p_from_tails, r, require_all_finite, Alternative, Continuity, RankScratch};
use crate::sort::{argsort_f64, mid_ranks};
use crate::Status;

/// How the p-value is computed (R's `exact` argument).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum WilcoxonMethod {
    /// R's default (`exact = NULL`): exact when both samples have fewer than 50 observations
    /// and there are no ties, otherwise the normal approximation.
    #[default]
    Auto = 0,
    /// Always the normal approximation (`exact = FALSE`).
    NormalApproximation = 1,
}

impl TryFrom<u32> for WilcoxonMethod {
    type Error = Status;

    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(WilcoxonMethod::Auto),
            1 => Ok(WilcoxonMethod::NormalApproximation),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Which computation gave a [`WilcoxonTest`]'s p-value.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum WilcoxonPValue {
    /// The exact permutation distribution of W (R's "Wilcoxon rank sum exact test").
    #[default]
    Exact = 0,
    /// The normal approximation with tie-corrected variance (and continuity correction if
    /// asked for).
    NormalApproximation = 1,
}

/// Options of [`wilcoxon_rank_sum`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WilcoxonOptions {
    /// The alternative about the location shift of x relative to y, minus `mu`.
    pub alternative: Alternative,
    /// Continuity correction of the normal approximation (R's `correct`, on by default).
    pub continuity: Continuity,
    /// Exact or normal approximation.
    pub method: WilcoxonMethod,
    /// The location shift under the null hypothesis (R's `mu`): x − mu is ranked against y.
    pub mu: f64,
}

impl Default for WilcoxonOptions {
    fn default() -> Self {
        WilcoxonOptions {
            alternative: Alternative::TwoSided,
            continuity: Continuity::Corrected,
            method: WilcoxonMethod::Auto,
            mu: 0.0,
        }
    }
}

/// The result of [`wilcoxon_rank_sum`], as R's `wilcox.test(x, y)` reports it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WilcoxonTest {
    /// R's W = Σ ranks of x − nₓ(nₓ + 1)/2 (the Mann–Whitney U of x).
    pub w: f64,
    /// The p-value for the chosen alternative.
    pub p_value: f64,
    /// The standardized statistic of the normal approximation (NaN for the exact test).
    pub z: f64,
    /// How the p-value was computed.
    pub p_method: WilcoxonPValue,
    /// Number of groups of tied values in the pooled sample.
    pub tie_groups: usize,
    /// Size of x.
    pub n_x: usize,
    /// Size of y.
    pub n_y: usize,
}

/// The two-sample Wilcoxon rank-sum test, R's `wilcox.test(x, y, alternative, mu, exact,
/// correct)`.
///
/// The pooled sample (x − mu, y) gets mid-ranks; W = Σ ranks of x − nₓ(nₓ + 1)/2. Exact
/// (default when nₓ, nᵧ < 50 and no ties): R's `pwilcox` on the permutation distribution of W
/// (two-sided: 2 · the tail on the observed side, at most 1). Otherwise
/// z = (W − nₓnᵧ/2 − c) / σ with σ² = nₓnᵧ/12 · (nₓ + nᵧ + 1 − Σ(t³ − t)/((nₓ + nᵧ)(nₓ + nᵧ − 1)))
/// (t the sizes of tied groups) and c = sign(W − nₓnᵧ/2)/2 two-sided, +1/2 for `Greater`, −1/2
/// for `Less` (0 when uncorrected).
///
/// Scratch: [`RankScratch`] for n = nₓ + nᵧ (2n doubles, 2n `u32`). The exact distribution uses
/// a fixed 19.2 KB stack table (module `wilcoxon_distribution`), no caller memory.
///
/// Errors: `EmptyInput` (x or y empty), `NotFinite` (data or mu), `ScratchTooSmall`,
/// `TooManyElements`, `ZeroVariance` (every pooled value tied: σ = 0).
pub fn wilcoxon_rank_sum(
    x: &[f64],
    y: &[f64],
    options: &WilcoxonOptions,
    scratch: &mut RankScratch<'_>,
) -> Result<WilcoxonTest, Status> {
    if x.is_empty() || y.is_empty() {
        return Err(Status::EmptyInput);
    }
    require_all_finite(x)?;
    require_all_finite(y)?;
    if !options.mu.is_finite() {
        return Err(Status::NotFinite);
    }
    let (nx, ny) = (x.len(), y.len());
    let n = nx.checked_add(ny).ok_or(Status::TooManyElements)?;
    scratch.check(n)?;
    let parts = scratch.split(n)?;
    let (keys_x, keys_y) = parts
        .f1
        .split_at_mut_checked(nx)
        .ok_or(Status::ScratchTooSmall)?;
    for (k, &v) in keys_x.iter_mut().zip(x) {
        *k = v - options.mu;
    }
    for (k, &v) in keys_y.iter_mut().zip(y) {
        *k = v;
    }
    let keys: &[f64] = parts.f1;
    argsort_f64(keys, parts.order, parts.sort)?;
    let ties = mid_ranks(keys, parts.order, parts.f2)?;
    let (nxf, nyf) = (nx as f64, ny as f64);
    let rank_sum: f64 = parts.f2.iter().take(nx).sum();
    let w = rank_sum - nxf * (nxf + 1.0) / 2.0;

    let exact = options.method == WilcoxonMethod::Auto
        && ties.tie_groups == 0
        && nx <= EXACT_MAX_SAMPLE
        && ny <= EXACT_MAX_SAMPLE;
    let (p_value, z, p_method) = if exact {
        let upper = || pwilcox(w - 1.0, nx, ny, false); // P[W ≥ w]
        let lower = || pwilcox(w, nx, ny, true); // P[W ≤ w]
        let p = match options.alternative {
            Alternative::TwoSided => {
                let p = if w > nxf * nyf / 2.0 {
                    upper()
                } else {
                    lower()
                };
                libm::fmin(2.0 * p, 1.0)
            }
            Alternative::Greater => upper(),
            Alternative::Less => lower(),
        };
        (p, f64::NAN, WilcoxonPValue::Exact)
    } else {
        let nn = nxf + nyf;
        let sigma =
            libm::sqrt((nxf * nyf / 12.0) * ((nn + 1.0) - ties.sum_t3_minus_t / (nn * (nn - 1.0))));
        if sigma.is_nan() || sigma <= 0.0 {
            return Err(Status::ZeroVariance);
        }
        let d = w - nxf * nyf / 2.0;
        let correction = match (options.continuity, options.alternative) {
            (Continuity::Uncorrected, _) => 0.0,
            (Continuity::Corrected, Alternative::TwoSided) => {
                if d > 0.0 {
                    0.5
                } else if d < 0.0 {
                    -0.5
                } else {
                    0.0
                }
            }
            (Continuity::Corrected, Alternative::Greater) => 0.5,
            (Continuity::Corrected, Alternative::Less) => -0.5,
        };
        let z = (d - correction) / sigma;
        let p = p_from_tails(options.alternative, r::pnorm(z), r::pnorm_upper(z));
        (p, z, WilcoxonPValue::NormalApproximation)
    };
    Ok(WilcoxonTest {
        w,
        p_value,
        z,
        p_method,
        tie_groups: ties.tie_groups,
        n_x: nx,
        n_y: ny,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors() {
        let (mut v, mut i) = ([0.0; 8], [0u32; 8]);
        let mut s = RankScratch {
            values: &mut v,
            indices: &mut i,
        };
        let o = WilcoxonOptions::default();
        assert_eq!(
            wilcoxon_rank_sum(&[], &[1.0], &o, &mut s),
            Err(Status::EmptyInput)
        );
        assert_eq!(
            wilcoxon_rank_sum(&[1.0, 1.0], &[1.0, 1.0], &o, &mut s),
            Err(Status::ZeroVariance)
        );
        assert_eq!(
            wilcoxon_rank_sum(&[1.0; 3], &[1.0, 2.0], &o, &mut s),
            Err(Status::ScratchTooSmall)
        );
        assert_eq!(
            wilcoxon_rank_sum(&[f64::INFINITY], &[1.0], &o, &mut s),
            Err(Status::NotFinite)
        );
        assert_eq!(WilcoxonMethod::try_from(2), Err(Status::InvalidEnumValue));
    }

    #[test]
    fn separated_samples_exact() {
        let (mut v, mut i) = ([0.0; 14], [0u32; 14]);
        let mut s = RankScratch {
            values: &mut v,
            indices: &mut i,
        };
        let x = [11.0, 12.0, 13.0, 14.0];
        let y = [1.0, 2.0, 3.0];
        let t = wilcoxon_rank_sum(&x, &y, &WilcoxonOptions::default(), &mut s).unwrap();
        assert_eq!(t.w, 12.0);
        assert_eq!(t.p_method, WilcoxonPValue::Exact);
        // one arrangement of 35 in each tail: 2/35
        assert!((t.p_value - 2.0 / 35.0).abs() < 1e-15);
    }
}
