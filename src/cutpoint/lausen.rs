//! p-values of a maximally selected standardized statistic, corrected for the scan over
//! cutpoints: Lausen & Schumacher (1992) and the improved Bonferroni bound of Lausen, Sauerbrei &
//! Schumacher (1994), exactly as R's `maxstat::pLausen92` and `maxstat::pLausen94`.

use crate::dist::{normal_cdf, normal_pdf};
use crate::numeric::NeumaierSum;

/// Lausen & Schumacher (Biometrics 1992) approximation of P(max_m |Z_m| ≥ b) over the splits
/// with ε₁ = `min_prop`, ε₂ = `max_prop`:
///
/// p = 4 φ(b) / b + φ(b) (b − 1/b) log(ε₂ (1 − ε₁) / ((1 − ε₂) ε₁)),
///
/// 1 when b < 1, and max(p, 0), as R's `pLausen92`. Like R it is not clipped at 1 (it is an
/// approximation that can exceed 1 for b just above 1 when ε₁ is small). As in R: +∞ when
/// ε₁ = 0 or ε₂ = 1 and b > 1, NaN there at b = 1 (0 · ∞), and NaN for proportions outside
/// [0, 1] that make the logarithm's argument negative.
pub fn lausen92_p(b: f64, min_prop: f64, max_prop: f64) -> f64 {
    if b < 1.0 {
        return 1.0;
    }
    let db = normal_pdf(b);
    let ratio = (max_prop * (1.0 - min_prop)) / ((1.0 - max_prop) * min_prop);
    // R's form, unless the ratio overflows or underflows (a subnormal min_prop made it +∞ where
    // the logarithm is about 745): then the same logarithm as a sum of logarithms.
    let log_ratio = if ratio.is_finite() && ratio > 0.0 {
        libm::log(ratio)
    } else {
        libm::log(max_prop) + libm::log1p(-min_prop) - libm::log1p(-max_prop) - libm::log(min_prop)
    };
    let p = 4.0 * db / b + db * (b - 1.0 / b) * log_ratio;
    libm::fmax(p, 0.0)
}

/// The sums over adjacent splits that Lausen94's bound needs, accumulated while the splits are
/// scanned: for consecutive admissible low-group sizes m₁ < m₂ (consecutive in the list of
/// evaluated splits), t = √(1 − m₁ (N − m₂) / ((N − m₁) m₂)); S₁ = Σ t, S₃ = Σ t³.
#[derive(Clone, Copy, Debug, Default)]
pub struct Lausen94Terms {
    n: usize,
    previous: Option<usize>,
    t_sum: NeumaierSum,
    t3_sum: NeumaierSum,
}

impl Lausen94Terms {
    /// No splits yet, for N subjects.
    pub fn new(n: usize) -> Self {
        Lausen94Terms {
            n,
            ..Lausen94Terms::default()
        }
    }

    /// Records the next evaluated split (low-group size m, increasing from call to call).
    pub fn push(&mut self, m: usize) {
        if let Some(m1) = self.previous {
            let (nf, a, b) = (self.n as f64, m1 as f64, m as f64);
            let t = libm::sqrt(1.0 - a * (nf - b) / ((nf - a) * b));
            self.t_sum.add(t);
            self.t3_sum.add(libm::pow(t, 3.0));
        }
        self.previous = Some(m);
    }

    /// The improved Bonferroni bound (Lausen, Sauerbrei & Schumacher 1994; Worsley 1982) for
    /// the recorded splits, as R's `pLausen94(b, N, minprop, maxprop, m)`:
    ///
    /// p = 1 − (Φ(b) − Φ(−b)) + Σ (1/π) e^{−b²/2} (t − (b²/4 − 1) t³ / 6).
    ///
    /// With one split or none the sum is empty. Not clipped to [0, 1], as in R. Where e^{−b²/2}
    /// underflows to 0 (|b| > 38.6) the sum's limit, 0, is used: with b² overflowing, the
    /// product 0 · ∞ gave NaN (R's `pLausen94(1e300, 100, 0.1, 0.9)` is NaN too; the p-value is
    /// 0).
    pub fn p_value(&self, b: f64) -> f64 {
        let scale = libm::exp(-(b * b) / 2.0) / core::f64::consts::PI;
        let d = if scale == 0.0 {
            0.0
        } else {
            scale * (self.t_sum.total() - (b * b / 4.0 - 1.0) * self.t3_sum.total() / 6.0)
        };
        1.0 - (normal_cdf(b) - normal_cdf(-b)) + d
    }
}

/// The largest N [`lausen94_p`] sums over: 2²⁴ (one term per split size, about 0.1 s).
pub const LAUSEN94_MAX_SUBJECTS: usize = 1 << 24;

/// `pLausen94(b, N, minprop, maxprop)` with R's default splits m = ⌊N·min_prop⌋, …,
/// ⌊N·max_prop⌋ (every size in the range, not only those between distinct marker values, and
/// including m = 0 if ⌊N·min_prop⌋ = 0, as R does). See [`Lausen94Terms::p_value`].
///
/// NaN unless 0 ≤ `min_prop` ≤ `max_prop` ≤ 1 and N ≤ [`LAUSEN94_MAX_SUBJECTS`]: the work is one
/// term per split size, so a proportion above 1 or a huge N (numbers, not data) would make it
/// unbounded (max_prop = 1e300 looped 2⁶⁴ times: a hang); R's vector of split sizes fails there
/// too.
pub fn lausen94_p(b: f64, n: usize, min_prop: f64, max_prop: f64) -> f64 {
    let proportions =
        (0.0..=1.0).contains(&min_prop) && (0.0..=1.0).contains(&max_prop) && min_prop <= max_prop;
    if !proportions || n > LAUSEN94_MAX_SUBJECTS {
        return f64::NAN;
    }
    let nf = n as f64;
    let lo = libm::floor(nf * min_prop) as usize;
    let hi = libm::floor(nf * max_prop) as usize;
    let mut terms = Lausen94Terms::new(n);
    for m in lo..=hi {
        terms.push(m);
    }
    terms.p_value(b)
}
