//! Two-sample t tests, Welch and Student, as R's `t.test(x, y)`.

use super::correlation::t_tails;
use super::describe::{power_of_two_scale_for, scaled_mean_var};
use super::{p_from_tails, r, require_all_finite, require_conf_level, Alternative};
use crate::Status;

/// The variance assumption of the two-sample t test (R's `var.equal`).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TTestVariance {
    /// Welch (`var.equal = FALSE`, R's default): separate variances, Welch–Satterthwaite df.
    #[default]
    Welch = 0,
    /// Student (`var.equal = TRUE`): pooled variance, n_x + n_y − 2 df.
    Pooled = 1,
}

impl TryFrom<u32> for TTestVariance {
    type Error = Status;

    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(TTestVariance::Welch),
            1 => Ok(TTestVariance::Pooled),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Options of [`t_test`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TTestOptions {
    /// The alternative hypothesis about mean(x) − mean(y) − `mu`.
    pub alternative: Alternative,
    /// Welch or Student.
    pub variance: TTestVariance,
    /// The difference in means under the null hypothesis (R's `mu`), 0 by default.
    pub mu: f64,
    /// Confidence level of the interval for the difference, in (0, 1); 0.95 by default.
    pub conf_level: f64,
}

impl Default for TTestOptions {
    fn default() -> Self {
        TTestOptions {
            alternative: Alternative::TwoSided,
            variance: TTestVariance::Welch,
            mu: 0.0,
            conf_level: 0.95,
        }
    }
}

/// The result of [`t_test`], as R's `t.test` reports it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TTest {
    /// t = (x̄ − ȳ − μ) / SE.
    pub t: f64,
    /// Degrees of freedom (non-integer for Welch).
    pub df: f64,
    /// The p-value for the chosen alternative.
    pub p_value: f64,
    /// Lower bound of the interval for the difference in means (−∞ for `Less`; ±∞ when the
    /// bound lies beyond the largest double, as in R: a `Greater` test at conf_level 5e-324 with
    /// SE 5e299 gives [+∞, +∞] in both).
    pub conf_low: f64,
    /// Upper bound (+∞ for `Greater`; ±∞ when the bound lies beyond the largest double).
    pub conf_high: f64,
    /// Mean of x.
    pub mean_x: f64,
    /// Mean of y.
    pub mean_y: f64,
    /// Standard error of the difference, SE.
    pub stderr: f64,
}

/// The two-sample t test, R's `t.test(x, y, alternative, mu, var.equal, conf.level)`.
///
/// Welch: SE = √(s²ₓ/nₓ + s²ᵧ/nᵧ), df = SE⁴ / ((s²ₓ/nₓ)²/(nₓ − 1) + (s²ᵧ/nᵧ)²/(nᵧ − 1)).
/// Student: s²ₚ = ((nₓ − 1)s²ₓ + (nᵧ − 1)s²ᵧ)/(nₓ + nᵧ − 2) (a sample of one contributes no
/// variance), SE = √(s²ₚ(1/nₓ + 1/nᵧ)), df = nₓ + nᵧ − 2. The interval is
/// μ + (t ± t₁₋α/₂,df) · SE (one-sided alternatives: one bound with t₁₋α,df). No scratch.
///
/// Errors: `EmptyInput` (x or y empty), `TooFewObservations` (Welch: nₓ or nᵧ < 2; Student:
/// nₓ + nᵧ < 3), `NotFinite` (data or `mu`), `InvalidOption` (conf_level), `ZeroVariance` (R's
/// "data are essentially constant": SE < 10 ε · max(|x̄|, |ȳ|)).
pub fn t_test(x: &[f64], y: &[f64], options: &TTestOptions) -> Result<TTest, Status> {
    if x.is_empty() || y.is_empty() {
        return Err(Status::EmptyInput);
    }
    let (nx, ny) = (x.len(), y.len());
    let enough = match options.variance {
        TTestVariance::Welch => nx >= 2 && ny >= 2,
        TTestVariance::Pooled => nx.saturating_add(ny) >= 3,
    };
    if !enough {
        return Err(Status::TooFewObservations);
    }
    require_all_finite(x)?;
    require_all_finite(y)?;
    if !options.mu.is_finite() {
        return Err(Status::NotFinite);
    }
    require_conf_level(options.conf_level)?;
    // Everything below runs on x / s, y / s and μ / s for one power of two s (exact), so that
    // no variance, SE⁴ or difference overflows (x = [9, 1e300] gave s²ₓ = ∞ and a NaN Welch df);
    // t, df and p are scale-free and bit-identical to the unscaled formulas wherever those do
    // not overflow; the SE, the means and the interval are multiplied back by s.
    let largest = |v: &[f64]| v.iter().fold(0.0f64, |m, &a| libm::fmax(m, libm::fabs(a)));
    let scale = power_of_two_scale_for(libm::fmax(largest(x), largest(y)));
    let (mx, vx) = scaled_mean_var(x, scale);
    let (my, vy) = scaled_mean_var(y, scale);
    let mu = options.mu / scale;
    let (nxf, nyf) = (nx as f64, ny as f64);
    let (stderr, df) = match options.variance {
        TTestVariance::Pooled => {
            let df = nxf + nyf - 2.0;
            let mut v = 0.0;
            if nx > 1 {
                v += (nxf - 1.0) * vx;
            }
            if ny > 1 {
                v += (nyf - 1.0) * vy;
            }
            v /= df;
            (libm::sqrt(v * (1.0 / nxf + 1.0 / nyf)), df)
        }
        TTestVariance::Welch => {
            let sx = libm::sqrt(vx / nxf);
            let sy = libm::sqrt(vy / nyf);
            let se = libm::sqrt(sx * sx + sy * sy);
            // R: stderr^4 is (x²)² (R_pow_di)
            let pow4 = |v: f64| (v * v) * (v * v);
            let df = pow4(se) / (pow4(sx) / (nxf - 1.0) + pow4(sy) / (nyf - 1.0));
            (se, df)
        }
    };
    if stderr < 10.0 * f64::EPSILON * libm::fmax(libm::fabs(mx), libm::fabs(my)) || stderr == 0.0 {
        return Err(Status::ZeroVariance);
    }
    let t = (mx - my - mu) / stderr;
    let cl = options.conf_level;
    let (lower, upper) = t_tails(t, df);
    let (p_value, lo, hi) = match options.alternative {
        Alternative::Less => (lower, f64::NEG_INFINITY, t + r::qt(cl, df)),
        Alternative::Greater => (upper, t - r::qt(cl, df), f64::INFINITY),
        Alternative::TwoSided => {
            let q = r::qt(1.0 - (1.0 - cl) / 2.0, df);
            // R: 2 * pt(-abs(t), df)
            (
                p_from_tails(Alternative::TwoSided, lower, upper),
                t - q,
                t + q,
            )
        }
    };
    Ok(TTest {
        t,
        df,
        p_value,
        conf_low: (mu + lo * stderr) * scale,
        conf_high: (mu + hi * stderr) * scale,
        mean_x: mx * scale,
        mean_y: my * scale,
        stderr: stderr * scale,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors() {
        let o = TTestOptions::default();
        assert_eq!(t_test(&[], &[1.0], &o), Err(Status::EmptyInput));
        assert_eq!(
            t_test(&[1.0], &[1.0, 2.0], &o),
            Err(Status::TooFewObservations)
        );
        let s = TTestOptions {
            variance: TTestVariance::Pooled,
            ..o
        };
        assert_eq!(t_test(&[1.0], &[2.0], &s), Err(Status::TooFewObservations));
        assert_eq!(
            t_test(&[1.0, 1.0], &[1.0, 1.0], &o),
            Err(Status::ZeroVariance)
        );
        assert_eq!(
            t_test(&[1.0, f64::NAN], &[1.0, 2.0], &o),
            Err(Status::NotFinite)
        );
        let bad = TTestOptions { mu: f64::NAN, ..o };
        assert_eq!(
            t_test(&[1.0, 3.0], &[1.0, 2.0], &bad),
            Err(Status::NotFinite)
        );
        assert_eq!(TTestVariance::try_from(2), Err(Status::InvalidEnumValue));
    }
}
