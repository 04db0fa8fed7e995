//! Correlation tests: Spearman's ρ with mid-ranks and Pearson's r, as R's `cor.test`.
//!
//! The seed paper correlated tumor and liver ECV with Spearman's ρ (0.203, P = 0.012).

use super::describe::mean_var;
use super::rho_distribution::{prho, Tail, AS89_MAX_N, EXACT_MAX_N};
use super::{p_from_tails, r, require_all_finite, require_conf_level, Alternative, RankScratch};
use crate::numeric::NeumaierSum;
use crate::sort::{argsort_f64, mid_ranks};
use crate::Status;

/// How the p-value of Spearman's ρ is computed (R's `exact` argument of `cor.test`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SpearmanMethod {
    /// R's default (`exact = NULL`): AS 89 when there are no ties and n ≤ 1290 (exact
    /// enumeration for n ≤ 9, Edgeworth series above), otherwise the t approximation.
    #[default]
    Auto = 0,
    /// Always the t approximation (`exact = FALSE`); needs n ≥ 3.
    TApproximation = 1,
}

impl TryFrom<u32> for SpearmanMethod {
    type Error = Status;

    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(SpearmanMethod::Auto),
            1 => Ok(SpearmanMethod::TApproximation),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Which computation gave a [`SpearmanTest`]'s p-value.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum SpearmanPValue {
    /// Exact enumeration of all n! permutations (no ties, n ≤ 9).
    #[default]
    Exact = 0,
    /// AS 89's Edgeworth series (no ties, 10 ≤ n ≤ 1290).
    Edgeworth = 1,
    /// t = ρ √((n − 2)/(1 − ρ²)) with n − 2 df (ties, n > 1290, or asked for).
    TApproximation = 2,
}

/// Options of [`spearman`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpearmanOptions {
    /// The alternative hypothesis (`Greater`: positive association).
    pub alternative: Alternative,
    /// How the p-value is computed.
    pub method: SpearmanMethod,
}

/// The result of [`spearman`], as R's `cor.test(x, y, method = "spearman")` reports it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SpearmanTest {
    /// Number of pairs.
    pub n: usize,
    /// Spearman's ρ: Pearson's correlation of the mid-ranks.
    pub rho: f64,
    /// R's statistic S = (n³ − n)(1 − ρ)/6 (= Σ d² without ties).
    pub s: f64,
    /// The p-value for the chosen alternative.
    pub p_value: f64,
    /// How the p-value was computed.
    pub p_method: SpearmanPValue,
    /// Number of groups of tied values in x.
    pub tie_groups_x: usize,
    /// Number of groups of tied values in y.
    pub tie_groups_y: usize,
}

/// Spearman's rank correlation test, R's `cor.test(x, y, method = "spearman")` (R ≥ 4.0).
///
/// ρ is Pearson's correlation of the mid-ranks (ties get the average of the ranks they span);
/// S = (n³ − n)(1 − ρ)/6. The p-value follows R exactly: without ties and with n ≤ 1290, AS 89
/// (Best & Roberts 1975) on round(S) — exact enumeration for n ≤ 9, the Edgeworth series above
/// (R's `prho.c`); otherwise the t approximation t = r / √((1 − r²)/(n − 2)) with r = 1 − S/den,
/// den = (n³ − n)/6, and n − 2 df. Two-sided: 2 · the tail on the observed side, at most 1.
///
/// Scratch: [`RankScratch`] for n observations (2n doubles, 2n `u32`); `x` and `y` are not
/// reordered.
///
/// Errors: `LengthMismatch`, `EmptyInput`, `TooFewObservations` (n < 2, or n < 3 with the t
/// approximation), `NotFinite`, `ScratchTooSmall`, `TooManyElements`, `ZeroVariance` (all x or
/// all y tied: ρ undefined, R's `NA`).
///
/// ```
/// use ecvkit::stats::{spearman, RankScratch, SpearmanOptions, SpearmanPValue};
/// let x = [1.0, 2.0, 3.0, 4.0, 5.0];
/// let y = [2.0, 1.0, 4.0, 3.0, 5.0];
/// let (mut v, mut i) = ([0.0; 10], [0u32; 10]);
/// let mut scratch = RankScratch { values: &mut v, indices: &mut i };
/// let t = spearman(&x, &y, &SpearmanOptions::default(), &mut scratch)?;
/// assert!((t.rho - 0.8).abs() < 1e-12);
/// assert_eq!(t.p_method, SpearmanPValue::Exact);
/// assert!((t.p_value - 0.13333333333333333).abs() < 1e-15); // R: cor.test(x, y, method = "spearman")
/// # Ok::<(), ecvkit::Status>(())
/// ```
pub fn spearman(
    x: &[f64],
    y: &[f64],
    options: &SpearmanOptions,
    scratch: &mut RankScratch<'_>,
) -> Result<SpearmanTest, Status> {
    let n = x.len();
    if y.len() != n {
        return Err(Status::LengthMismatch);
    }
    if n == 0 {
        return Err(Status::EmptyInput);
    }
    let min_n = match options.method {
        SpearmanMethod::Auto => 2,
        SpearmanMethod::TApproximation => 3,
    };
    if n < min_n {
        return Err(Status::TooFewObservations);
    }
    require_all_finite(x)?;
    require_all_finite(y)?;
    scratch.check(n)?;
    let parts = scratch.split(n)?;
    argsort_f64(x, parts.order, parts.sort)?;
    let ties_x = mid_ranks(x, parts.order, parts.f1)?;
    argsort_f64(y, parts.order, parts.sort)?;
    let ties_y = mid_ranks(y, parts.order, parts.f2)?;
    let rho = correlation(parts.f1, parts.f2).ok_or(Status::ZeroVariance)?;

    let nf = n as f64;
    let q = (nf * nf * nf - nf) * (1.0 - rho) / 6.0;
    let ties = ties_x.tie_groups > 0 || ties_y.tie_groups > 0;
    let use_as89 = options.method == SpearmanMethod::Auto && !ties && n <= AS89_MAX_N;
    let p_method = if !use_as89 {
        SpearmanPValue::TApproximation
    } else if n <= EXACT_MAX_N {
        SpearmanPValue::Exact
    } else {
        SpearmanPValue::Edgeworth
    };
    // R's pspearman(q, n, lower.tail): P[S ≤ q] (lower) or P[S ≥ q] (upper).
    let pspearman = |lower_tail: bool| -> f64 {
        if use_as89 {
            if lower_tail {
                prho(n, libm::round(q) + 2.0, Tail::Lower)
            } else {
                prho(n, libm::round(q), Tail::Upper)
            }
        } else {
            let den = (nf * (nf * nf - 1.0)) / 6.0;
            let r = 1.0 - q / den;
            let t = r / libm::sqrt((1.0 - r * r) / (nf - 2.0));
            let (lower, upper) = t_tails(t, nf - 2.0);
            // small S is large r: P[S ≤ q] = P[T ≥ t]
            if lower_tail {
                upper
            } else {
                lower
            }
        }
    };
    let p_value = match options.alternative {
        Alternative::TwoSided => {
            let p = if q > (nf * nf * nf - nf) / 6.0 {
                pspearman(false)
            } else {
                pspearman(true)
            };
            libm::fmin(2.0 * p, 1.0)
        }
        Alternative::Greater => pspearman(true),
        Alternative::Less => pspearman(false),
    };
    Ok(SpearmanTest {
        n,
        rho,
        s: q,
        p_value,
        p_method,
        tie_groups_x: ties_x.tie_groups,
        tie_groups_y: ties_y.tie_groups,
    })
}

/// Options of [`pearson`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PearsonOptions {
    /// The alternative hypothesis (`Greater`: positive correlation).
    pub alternative: Alternative,
    /// Confidence level of the interval, in (0, 1); 0.95 by default.
    pub conf_level: f64,
}

impl Default for PearsonOptions {
    fn default() -> Self {
        PearsonOptions {
            alternative: Alternative::TwoSided,
            conf_level: 0.95,
        }
    }
}

/// The result of [`pearson`], as R's `cor.test(x, y, method = "pearson")` reports it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct PearsonTest {
    /// Number of pairs.
    pub n: usize,
    /// Pearson's r.
    pub r: f64,
    /// t = √(n − 2) · r / √(1 − r²).
    pub t: f64,
    /// Degrees of freedom, n − 2.
    pub df: f64,
    /// The p-value of t for the chosen alternative.
    pub p_value: f64,
    /// Lower confidence bound (Fisher z); −1 for `Less`; NaN when n = 3 (R gives no interval).
    pub conf_low: f64,
    /// Upper confidence bound (Fisher z); 1 for `Greater`; NaN when n = 3.
    pub conf_high: f64,
}

/// Pearson's product-moment correlation test, R's `cor.test(x, y, method = "pearson")`.
///
/// r = Σ(x − x̄)(y − ȳ) / √(Σ(x − x̄)² Σ(y − ȳ)²) (compensated two-pass sums, clamped to [−1, 1]);
/// t = √(n − 2) r / √(1 − r²) with n − 2 df. The interval (n > 3) is Fisher's z:
/// tanh(atanh(r) ± z₁₋α/₂ / √(n − 3)); one-sided alternatives give a one-sided interval with
/// z₁₋α. No scratch.
///
/// Errors: `LengthMismatch`, `EmptyInput`, `TooFewObservations` (n < 3), `NotFinite`,
/// `InvalidOption` (conf_level not in (0, 1)), `ZeroVariance` (x or y constant).
pub fn pearson(x: &[f64], y: &[f64], options: &PearsonOptions) -> Result<PearsonTest, Status> {
    let n = x.len();
    if y.len() != n {
        return Err(Status::LengthMismatch);
    }
    if n == 0 {
        return Err(Status::EmptyInput);
    }
    if n < 3 {
        return Err(Status::TooFewObservations);
    }
    require_all_finite(x)?;
    require_all_finite(y)?;
    require_conf_level(options.conf_level)?;
    let r = correlation(x, y).ok_or(Status::ZeroVariance)?;
    let nf = n as f64;
    let df = nf - 2.0;
    let t = libm::sqrt(df) * r / libm::sqrt(1.0 - r * r);
    let (lower, upper) = t_tails(t, df);
    let p_value = p_from_tails(options.alternative, lower, upper);
    let (conf_low, conf_high) = if n > 3 {
        let z = libm::atanh(r);
        let sigma = 1.0 / libm::sqrt(nf - 3.0);
        let cl = options.conf_level;
        match options.alternative {
            Alternative::Less => (-1.0, libm::tanh(z + sigma * r::qnorm(cl))),
            Alternative::Greater => (libm::tanh(z - sigma * r::qnorm(cl)), 1.0),
            Alternative::TwoSided => {
                let half = sigma * r::qnorm((1.0 + cl) / 2.0);
                (libm::tanh(z - half), libm::tanh(z + half))
            }
        }
    } else {
        (f64::NAN, f64::NAN)
    };
    Ok(PearsonTest {
        n,
        r,
        t,
        df,
        p_value,
        conf_low,
        conf_high,
    })
}

/// `(pt(t, df), pt(t, df, lower.tail = FALSE))`, exact at t = ±∞ (|r| = 1).
pub(super) fn t_tails(t: f64, df: f64) -> (f64, f64) {
    if t == f64::INFINITY {
        (1.0, 0.0)
    } else if t == f64::NEG_INFINITY {
        (0.0, 1.0)
    } else {
        (r::pt(t, df), r::pt_upper(t, df))
    }
}

/// Pearson's correlation of two equally long, finite samples (n ≥ 2), as R's `cor`: centred
/// sums of squares and products, r = Sxy / (√Sxx · √Syy), clamped to [−1, 1]. `None` when a
/// sample is constant.
///
/// ρ = 1 may come out one ulp below 1 (as in R): the p-value paths round S or tolerate it.
fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    let (mx, _) = mean_var(x);
    let (my, _) = mean_var(y);
    let (mut sxx, mut syy, mut sxy) = (NeumaierSum::new(), NeumaierSum::new(), NeumaierSum::new());
    for (&a, &b) in x.iter().zip(y) {
        let (dx, dy) = (a - mx, b - my);
        sxx.add(dx * dx);
        syy.add(dy * dy);
        sxy.add(dx * dy);
    }
    // R's cov.c: cov = Sxy/(n − 1), sd = √(S/(n − 1)), r = cov / (sd_x sd_y), clamped.
    let n1 = (x.len() as f64) - 1.0;
    let sd_x = libm::sqrt(sxx.total() / n1);
    let sd_y = libm::sqrt(syy.total() / n1);
    if !(sd_x > 0.0 && sd_y > 0.0) {
        return None;
    }
    Some((sxy.total() / n1 / (sd_x * sd_y)).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch_for(n: usize) -> (Vec<f64>, Vec<u32>) {
        (vec![0.0; 2 * n], vec![0u32; 2 * n])
    }

    #[test]
    fn spearman_errors() {
        let (mut v, mut i) = scratch_for(3);
        let mut s = RankScratch {
            values: &mut v,
            indices: &mut i,
        };
        let o = SpearmanOptions::default();
        assert_eq!(
            spearman(&[1.0], &[1.0, 2.0], &o, &mut s),
            Err(Status::LengthMismatch)
        );
        assert_eq!(spearman(&[], &[], &o, &mut s), Err(Status::EmptyInput));
        assert_eq!(
            spearman(&[1.0], &[1.0], &o, &mut s),
            Err(Status::TooFewObservations)
        );
        assert_eq!(
            spearman(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], &o, &mut s),
            Err(Status::ZeroVariance)
        );
        assert_eq!(
            spearman(&[1.0, f64::NAN], &[1.0, 2.0], &o, &mut s),
            Err(Status::NotFinite)
        );
        assert_eq!(
            spearman(&[1.0, 2.0, 3.0, 4.0], &[1.0, 2.0, 3.0, 4.0], &o, &mut s),
            Err(Status::ScratchTooSmall)
        );
        let t = SpearmanOptions {
            method: SpearmanMethod::TApproximation,
            ..o
        };
        assert_eq!(
            spearman(&[1.0, 2.0], &[2.0, 1.0], &t, &mut s),
            Err(Status::TooFewObservations)
        );
    }

    #[test]
    fn pearson_errors() {
        let o = PearsonOptions::default();
        assert_eq!(
            pearson(&[1.0, 2.0], &[1.0, 2.0], &o),
            Err(Status::TooFewObservations)
        );
        assert_eq!(
            pearson(&[1.0, 1.0, 1.0], &[1.0, 2.0, 3.0], &o),
            Err(Status::ZeroVariance)
        );
        let bad = PearsonOptions {
            conf_level: 1.0,
            ..o
        };
        assert_eq!(
            pearson(&[1.0, 2.0, 4.0], &[1.0, 2.0, 3.0], &bad),
            Err(Status::InvalidOption)
        );
    }

    #[test]
    fn spearman_of_a_perfect_monotone_pair_is_one() {
        let x = [0.5, 1.0, 8.0, 9.0];
        let y = [1.0, 100.0, 1000.0, 1e6];
        let (mut v, mut i) = scratch_for(4);
        let mut s = RankScratch {
            values: &mut v,
            indices: &mut i,
        };
        let t = spearman(&x, &y, &SpearmanOptions::default(), &mut s).unwrap();
        assert!(crate::numeric::approx_eq(t.rho, 1.0, 1e-15));
        assert!(t.s.abs() < 1e-12);
        // exact: P[S ≤ 0] = 1/24, two-sided 1/12
        assert!((t.p_value - 1.0 / 12.0).abs() < 1e-15);
    }
}
