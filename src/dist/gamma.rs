//! ln Γ, the regularised incomplete gamma functions P(a, x) and Q(a, x), and the χ² distribution.
//!
//! P and Q are computed by the classical trio (Abramowitz & Stegun 6.5.29 series, Legendre's
//! continued fraction 6.5.31, and for a < 1, x ≤ 1 the splitting Q = (1 − xᵃ/Γ(1+a)) + xᵃ/Γ(1+a)·a·Σ
//! of Gautschi 1979 / DiDonato & Morris 1986). Whichever of P and Q is the smaller is computed
//! directly, so both keep full relative precision in their tails. The factor xᵃe⁻ˣ/Γ(a+1) in front
//! is computed in Loader's saddle-point form for a ≥ 8 (Loader, "Fast and accurate computation of
//! binomial probabilities", 2000: Stirling's error and the deviance e − ln(1 + e)), so large
//! shapes do not lose digits to cancellation. From a = 10⁶ on, Temme's uniform asymptotic
//! expansion (DLMF 8.12) takes over, with its first two coefficient functions.

// Coefficients keep the digits of their published source; the compiler rounds them correctly.
#![allow(clippy::excessive_precision)]

use crate::numeric::NeumaierSum;

/// ln √(2π).
pub(super) const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_741_780_329_736_406;
/// Euler's constant γ.
const EULER: f64 = 0.577_215_664_901_532_860_606_512_090_082;
/// Half the machine epsilon: the relative size at which a further term no longer counts.
pub(super) const HALF_EPSILON: f64 = f64::EPSILON * 0.5;
/// The most terms a series or continued fraction may take. They converge in O(√a) terms for a
/// near x, so this bound is reached only for shapes above about 10¹⁰.
pub(super) const MAX_TERMS: u32 = 1_000_000;

/// ζ(n) − 1 for n = 2, …, 31 (mpmath, 20 digits), for the series of ln Γ(1 + a).
const ZETA_MINUS_ONE: [f64; 30] = [
    0.644_934_066_848_226_436_47,
    0.202_056_903_159_594_285_4,
    0.082_323_233_711_138_191_516,
    0.036_927_755_143_369_926_331,
    0.017_343_061_984_449_139_715,
    0.008_349_277_381_922_826_839_8,
    0.004_077_356_197_944_339_378_7,
    0.002_008_392_826_082_214_417_9,
    0.000_994_575_127_818_085_337_15,
    0.000_494_188_604_119_464_558_7,
    0.000_246_086_553_308_048_298_64,
    0.000_122_713_347_578_489_146_75,
    6.124_813_505_870_482_925_9e-5,
    3.058_823_630_702_049_355_2e-5,
    1.528_225_940_865_187_173_3e-5,
    7.637_197_637_899_762_273_6e-6,
    3.817_293_264_999_839_856_5e-6,
    1.908_212_716_553_938_925_7e-6,
    9.539_620_338_727_961_131_5e-7,
    4.769_329_867_878_064_631_2e-7,
    2.384_505_027_277_329_9e-7,
    1.192_199_259_653_110_730_7e-7,
    5.960_818_905_125_947_961_2e-8,
    2.980_350_351_465_228_018_6e-8,
    1.490_155_482_836_504_123_5e-8,
    7.450_711_789_835_429_492e-9,
    3.725_334_024_788_457_054_8e-9,
    1.862_659_723_513_049_006_4e-9,
    9.313_274_324_196_681_828_7e-10,
    4.656_629_065_033_784_073e-10,
];

/// exp(a + b) without the rounding of the sum: Knuth's two-sum recovers the rounding error, which
/// then enters as a first-order correction. Where a is exact and large (−x in e⁻ˣ), this keeps
/// the relative error of the result at the error of b instead of ε·|a|.
pub(super) fn exp_sum(a: f64, b: f64) -> f64 {
    let s = a + b;
    if !s.is_finite() {
        return libm::exp(s);
    }
    let bb = s - a;
    let err = (a - (s - bb)) + (b - bb);
    let e = libm::exp(s);
    e + e * err
}

/// ln Γ(1 + a), accurate relative to its value also for small |a|: for |a| < 1/2 the series
/// ln Γ(1+a) = −ln(1+a) + a(1 − γ) + Σ_{n≥2} (−1)ⁿ (ζ(n) − 1) aⁿ/n (Abramowitz & Stegun 6.1.33),
/// otherwise `lgamma(1 + a)`.
pub(super) fn ln_gamma_1p(a: f64) -> f64 {
    if a.is_nan() || libm::fabs(a) >= 0.5 {
        return libm::lgamma(1.0 + a);
    }
    let tail = ZETA_MINUS_ONE
        .iter()
        .zip(2u32..32)
        .rev()
        .fold(0.0, |acc, (z, n)| acc * (-a) + z / f64::from(n));
    -libm::log1p(a) + a * (1.0 - EULER) + a * a * tail
}

/// Stirling's error δ(n) = ln Γ(n + 1) − (n + ½) ln n + n − ln √(2π), which is also
/// ln Γ(n) − (n − ½) ln n + n − ln √(2π). For n ≥ 8 the asymptotic series 1/(12n) − 1/(360n³) + … to the n⁻¹⁷ term (its
/// truncation error is below 1e-17 there); below 8 the definition through `lgamma`, which loses a
/// few units of 1e-15 to cancellation (only ln-beta of small arguments goes there).
pub(super) fn stirling_error(n: f64) -> f64 {
    // B_{2k} / (2k (2k − 1)) for k = 1..9.
    const S: [f64; 9] = [
        1.0 / 12.0,
        -1.0 / 360.0,
        1.0 / 1260.0,
        -1.0 / 1680.0,
        1.0 / 1188.0,
        -691.0 / 360_360.0,
        1.0 / 156.0,
        -3617.0 / 122_400.0,
        43_867.0 / 244_188.0,
    ];
    if n >= 8.0 {
        let nn = 1.0 / (n * n);
        S.iter().rev().fold(0.0, |acc, s| acc * nn + s) / n
    } else {
        ln_gamma_1p(n) - (n + 0.5) * libm::log(n) + n - LN_SQRT_2PI
    }
}

/// e − ln(1 + e) ≥ 0, the deviance term of Loader's saddle-point expansion, without cancellation
/// near e = 0: with t = e/(2 + e), ln(1 + e) = 2 artanh t, so e − ln(1 + e) = t·e − 2(t³/3 + t⁵/5
/// + …).
pub(super) fn ln1p_deviance(e: f64) -> f64 {
    if libm::fabs(e) < 0.25 {
        let t = e / (2.0 + e);
        let t2 = t * t;
        // Σ_{k=1}^{13} t^{2k}/(2k+1) by Horner; t² ≤ 0.021, so the 14th term is below 1e-23.
        let series = (1..=13u32)
            .rev()
            .fold(0.0, |acc, k| acc * t2 + 1.0 / f64::from(2 * k + 1))
            * t2;
        t * e - 2.0 * t * series
    } else {
        e - libm::log1p(e)
    }
}

/// The Poisson-like factor xᵃ e⁻ˣ / Γ(a + 1) for a > 0, x > 0 (finite).
///
/// a < 8: exp(−x + (a ln x − ln Γ(1 + a))) with the exact −x kept apart ([`exp_sum`]).
/// a ≥ 8: Loader's form exp(−δ(a) − a·(e − ln(1 + e))) / √(2πa), e = (x − a)/a.
pub(super) fn gamma_factor(a: f64, x: f64) -> f64 {
    if a < 8.0 {
        return exp_sum(-x, a * libm::log(x) - ln_gamma_1p(a));
    }
    let scale = 1.0 / libm::sqrt(2.0 * core::f64::consts::PI * a);
    let diff = x - a;
    // The rounding error of x − a (two-sum).
    let bb = diff - x;
    let diff_err = (x - (diff - bb)) + (-a - bb);
    let e = diff / a;
    // Near x = a, e carries the rounding of the division; its first-order effect on a·(e − ln(1 + e)) is
    // a·e/(1 + e) · δe, with δe recovered exactly by a fused multiply-add.
    let e_err = (libm::fma(-e, a, diff) + diff_err) / a;
    if libm::fabs(e) < 0.25 {
        let correction = a * e / (1.0 + e) * e_err;
        scale * libm::exp(-stirling_error(a) - a * ln1p_deviance(e) - correction)
    } else {
        // −a(e − ln(1 + e)) = −(x − a) + a ln(x/a); ln(x/a) from the rounded ratio r plus the
        // first-order effect of its rounding, which stays accurate as x/a → 0 (where 1 + e would not).
        let r = x / a;
        let ln_ratio = libm::log(r) + libm::fma(-r, a, x) / x;
        scale * exp_sum(-diff, a * ln_ratio - diff_err - stirling_error(a))
    }
}

/// P(a, x) by the series xᵃe⁻ˣ/Γ(a+1) · Σ_{n≥0} xⁿ/((a+1)…(a+n)) (A&S 6.5.29), for x < a + 1.
fn lower_series(a: f64, x: f64) -> f64 {
    let mut sum = NeumaierSum::new();
    sum.add(1.0);
    let mut term = 1.0;
    let mut denom = a;
    for _ in 0..MAX_TERMS {
        denom += 1.0;
        term *= x / denom;
        sum.add(term);
        if term <= sum.total() * HALF_EPSILON {
            break;
        }
    }
    gamma_factor(a, x) * sum.total()
}

/// Q(a, x) by Legendre's continued fraction (A&S 6.5.31) evaluated with the modified Lentz
/// method: Γ(a, x) = e⁻ˣxᵃ / (x + 1 − a − 1(1 − a)/(x + 3 − a − 2(2 − a)/(x + 5 − a − …))).
fn upper_fraction(a: f64, x: f64) -> f64 {
    const TINY: f64 = 1e-300;
    let guard = |v: f64| if libm::fabs(v) < TINY { TINY } else { v };
    let mut b = x + 1.0 - a;
    let mut c = 1.0 / TINY;
    let mut d = 1.0 / guard(b);
    let mut h = d;
    let mut i = 0.0;
    for _ in 0..MAX_TERMS {
        i += 1.0;
        let an = -i * (i - a);
        b += 2.0;
        d = 1.0 / guard(an * d + b);
        c = guard(b + an / c);
        let del = d * c;
        h *= del;
        if libm::fabs(del - 1.0) <= f64::EPSILON {
            break;
        }
    }
    gamma_factor(a, x) * a * h
}

/// (P, Q) for 0 < a < 1 and 0 < x ≤ 1: with w = xᵃ/Γ(1 + a) and S = Σ_{n≥1} (−1)ⁿ⁺¹ xⁿ/(n!(a+n)),
/// P = w(1 − aS) and Q = (1 − w) + w·a·S, where 1 − w = −expm1(a ln x − ln Γ(1 + a)) keeps Q's
/// precision as a → 0 (Gautschi 1979; DiDonato & Morris 1986, eq. 14).
fn small_x_pair(a: f64, x: f64) -> (f64, f64) {
    let mut s = 0.0;
    let mut term = 1.0;
    let mut n = 0.0;
    // xⁿ/n! ≤ 1/n! < 1e-17 once n = 19; 25 terms leave a margin.
    for _ in 0..25 {
        n += 1.0;
        term *= -x / n;
        s -= term / (a + n);
    }
    let ln_w = a * libm::log(x) - ln_gamma_1p(a);
    let w = libm::exp(ln_w);
    let p = w * (1.0 - a * s);
    let q = -libm::expm1(ln_w) + w * a * s;
    (p, q)
}

/// Shapes from which [`temme_pair`] replaces the series and the continued fraction (which would
/// need about 9√a terms near x = a).
const TEMME_MIN_SHAPE: f64 = 1e6;

/// The coefficients of c₀(η) = 1/(λ − 1) − 1/η in powers of η (exact rationals from the series
/// reversion of η²/2 = λ − 1 − ln λ, as DiDonato & Morris 1986 tabulate them).
const TEMME_C0: [f64; 20] = [
    -1.0 / 3.0,
    1.0 / 12.0,
    -2.0 / 135.0,
    1.0 / 864.0,
    1.0 / 2835.0,
    -139.0 / 777_600.0,
    1.0 / 25_515.0,
    -571.0 / 261_273_600.0,
    -281.0 / 151_559_100.0,
    8.296_711_340_953_087e-7,
    -1.766_595_273_682_607_8e-7,
    6.707_853_543_401_498e-9,
    1.026_180_978_424_030_9e-8,
    -4.382_036_018_453_353e-9,
    9.147_699_582_236_79e-10,
    -2.551_419_399_494_624_8e-11,
    -5.830_772_132_550_426e-11,
    2.436_194_802_066_741_5e-11,
    -5.027_669_280_114_175_5e-12,
    1.100_439_203_195_613_5e-13,
];
/// The coefficients of c₁(η) = 1/η³ − 1/(λ − 1)³ − 1/(λ − 1)² − 1/(12(λ − 1)) in powers of η.
const TEMME_C1: [f64; 18] = [
    -1.0 / 540.0,
    -1.0 / 288.0,
    1.0 / 378.0,
    -77.0 / 77_760.0,
    1.0 / 4860.0,
    -1.0 / 2_488_320.0,
    -2743.0 / 151_559_100.0,
    41_969.0 / 5_486_745_600.0,
    -11.0 / 6_823_440.0,
    4.647_127_802_807_434e-9,
    1.378_633_446_915_721e-7,
    -5.752_545_603_517_705e-8,
    1.195_162_859_977_814_8e-8,
    -1.754_324_171_974_764_7e-11,
    -1.009_154_371_060_041_3e-9,
    4.162_792_991_842_583e-10,
    -8.563_907_026_492_98e-11,
    6.067_215_101_604_758e-14,
];

/// (P, Q) for large a by Temme's uniform asymptotic expansion (DLMF 8.12.3, 8.12.8–8.12.10):
/// Q = ½ erfc(η√(a/2)) + R, P = ½ erfc(−η√(a/2)) − R, R = e^(−aη²/2)/√(2πa) · (c₀(η) + c₁(η)/a),
/// with λ = x/a and η = sign(λ − 1)√(2(λ − 1 − ln λ)). The next term, c₂/a², is below 1e-14 of
/// R for a ≥ [`TEMME_MIN_SHAPE`], and R itself is a correction of relative size 1/√a.
fn temme_pair(a: f64, x: f64) -> (f64, f64) {
    let mu = (x - a) / a;
    let eta = libm::copysign(libm::sqrt(2.0 * ln1p_deviance(mu)), mu);
    let (c0, c1) = if libm::fabs(eta) < 1.0 {
        let horner = |c: &[f64]| c.iter().rev().fold(0.0, |acc, k| acc * eta + k);
        (horner(&TEMME_C0), horner(&TEMME_C1))
    } else {
        let e3 = eta * eta * eta;
        (
            1.0 / mu - 1.0 / eta,
            1.0 / e3 - 1.0 / (mu * mu * mu) - 1.0 / (mu * mu) - 1.0 / (12.0 * mu),
        )
    };
    let sqrt_a = libm::sqrt(a);
    let z = eta * sqrt_a;
    let r = super::normal::normal_pdf(z) / sqrt_a * (c0 + c1 / a);
    (
        super::normal::normal_cdf(z) - r,
        super::normal::normal_sf(z) + r,
    )
}

/// (P(a, x), Q(a, x)) for a > 0 and x > 0, both finite: the smaller one directly.
pub(super) fn gamma_pair(a: f64, x: f64) -> (f64, f64) {
    if a >= TEMME_MIN_SHAPE {
        return temme_pair(a, x);
    }
    if a < 1.0 {
        if x <= 1.0 {
            small_x_pair(a, x)
        } else {
            let q = upper_fraction(a, x);
            (1.0 - q, q)
        }
    } else if x < a + 1.0 {
        let p = lower_series(a, x);
        (p, 1.0 - p)
    } else {
        let q = upper_fraction(a, x);
        (1.0 - q, q)
    }
}

/// (P, Q) with R's conventions for the edges: NaN or a < 0 → NaN; a = 0 is a point mass at 0;
/// x ≤ 0 → (0, 1); x = +∞ → (1, 0); a = +∞ with finite x → (0, 1).
fn gamma_pair_checked(a: f64, x: f64) -> (f64, f64) {
    if a.is_nan() || x.is_nan() || a < 0.0 {
        (f64::NAN, f64::NAN)
    } else if x <= 0.0 {
        (0.0, 1.0)
    } else if a == 0.0 || x == f64::INFINITY {
        (1.0, 0.0)
    } else if a == f64::INFINITY {
        (0.0, 1.0)
    } else {
        gamma_pair(a, x)
    }
}

/// ln |Γ(x)|, as R's `lgamma(x)` (and C's `lgamma`): the libm implementation (Sun's fdlibm
/// algorithm), accurate to about 1e-16 relative away from its zeros at 1 and 2 (there it is
/// accurate absolutely, and more accurate than R, whose `lgamma` near 1 and 2 is only absolutely
/// accurate). Measured against R 4.2.2 away from 1 and 2: relative difference ≤ 3.3e-16 (test
/// tolerance 1e-13). +∞ at 0 and the negative integers; NaN gives NaN.
pub fn ln_gamma(x: f64) -> f64 {
    libm::lgamma(x)
}

/// The regularised lower incomplete gamma function P(a, x) = γ(a, x)/Γ(a) = (1/Γ(a)) ∫₀ˣ tᵃ⁻¹e⁻ᵗ dt,
/// as R's `pgamma(x, shape = a)`.
///
/// Method in the module documentation: series, continued fraction and the small-x splitting,
/// with whichever of P and Q = 1 − P is smaller computed directly. Measured against R 4.2.2 on the
/// reference grid (a from 1e-3 to 1e5, x from 1e-10 to 2·10⁵, values down to 1e-300): relative
/// difference ≤ 1.7e-13 (test tolerance 1e-12); against 50-digit mpmath ≤ 1.2e-13. a < 0 or NaN gives NaN; a = 0 is R's point mass at 0
/// (P = 1 for x > 0); x ≤ 0 gives 0, x = +∞ gives 1. From a = 10⁶ on, Temme's uniform asymptotic
/// expansion replaces the series (whose work grows as √a), so every shape takes bounded work.
pub fn gamma_p(a: f64, x: f64) -> f64 {
    gamma_pair_checked(a, x).0
}

/// The regularised upper incomplete gamma function Q(a, x) = 1 − P(a, x) = Γ(a, x)/Γ(a), as R's
/// `pgamma(x, shape = a, lower.tail = FALSE)`, computed directly where it is the smaller tail (so
/// Q(0.5, 690) ≈ 1e-301 keeps full relative precision). Accuracy and conventions as [`gamma_p`].
pub fn gamma_q(a: f64, x: f64) -> f64 {
    gamma_pair_checked(a, x).1
}

/// The χ² distribution function P(X ≤ x) with `df` degrees of freedom (non-integer allowed), as
/// R's `pchisq(x, df)`: P(df/2, x/2).
///
/// Accuracy as [`gamma_p`]: measured against R 4.2.2 on the reference grid (df from 0.1 to 10⁵):
/// relative difference ≤ 1e-13 (test tolerance 1e-12). df < 0 or NaN gives NaN; df = 0 is R's
/// point mass at 0.
pub fn chisq_cdf(x: f64, df: f64) -> f64 {
    gamma_p(df * 0.5, x * 0.5)
}

/// The χ² upper tail P(X > x), as R's `pchisq(x, df, lower.tail = FALSE)`: Q(df/2, x/2), computed
/// directly, so p-values down to 1e-300 (x ≈ 1380 at df = 1) keep full relative precision.
/// Accuracy and conventions as [`chisq_cdf`]; this is the log-rank and Wald p-value.
pub fn chisq_sf(x: f64, df: f64) -> f64 {
    gamma_q(df * 0.5, x * 0.5)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nan_in_nan_out() {
        assert!(gamma_p(f64::NAN, 1.0).is_nan());
        assert!(gamma_p(1.0, f64::NAN).is_nan());
        assert!(gamma_q(-1.0, 1.0).is_nan());
        assert!(chisq_cdf(1.0, -2.0).is_nan());
        assert!(chisq_sf(f64::NAN, 2.0).is_nan());
        assert!(ln_gamma(f64::NAN).is_nan());
    }

    #[test]
    fn edges_follow_r() {
        assert_eq!(chisq_cdf(0.0, 3.0), 0.0);
        assert_eq!(chisq_sf(0.0, 3.0), 1.0);
        assert_eq!(chisq_cdf(-1.0, 3.0), 0.0);
        assert_eq!(chisq_cdf(f64::INFINITY, 3.0), 1.0);
        assert_eq!(chisq_sf(f64::INFINITY, 3.0), 0.0);
        // df = 0: point mass at 0, as pchisq(x, 0).
        assert_eq!(chisq_cdf(0.5, 0.0), 1.0);
        assert_eq!(chisq_cdf(0.0, 0.0), 0.0);
        assert_eq!(gamma_p(f64::INFINITY, 5.0), 0.0);
        assert_eq!(ln_gamma(1.0), 0.0);
        assert_eq!(ln_gamma(2.0), 0.0);
        assert_eq!(ln_gamma(0.0), f64::INFINITY);
    }

    #[test]
    fn closed_forms() {
        // a = 1: P = 1 − e⁻ˣ; χ² with 2 df: Q = e^(−x/2).
        for &x in &[1e-8, 0.3, 1.0, 2.5, 10.0, 100.0, 700.0] {
            let q = gamma_q(1.0, x);
            assert!((q / libm::exp(-x) - 1.0).abs() < 1e-14, "{x}: {q:e}");
            let p = gamma_p(1.0, x);
            assert!((p / -libm::expm1(-x) - 1.0).abs() < 1e-14, "{x}: {p:e}");
            assert!((chisq_sf(2.0 * x, 2.0) / libm::exp(-x) - 1.0).abs() < 1e-14);
        }
        // χ² with 1 df: Q(1/2, x²/2) = 2 P(Z > x).
        for &x in &[0.01, 0.5, 1.0, 3.0, 10.0, 37.0] {
            let q = chisq_sf(x * x, 1.0);
            let z = 2.0 * super::super::normal_sf(x);
            assert!((q / z - 1.0).abs() < 1e-13, "{x}: {q:e} vs {z:e}");
        }
    }

    #[test]
    fn ln_gamma_1p_matches_lgamma_away_from_zero() {
        for &a in &[-0.4, -0.1, 0.1, 0.3, 0.49] {
            let s = ln_gamma_1p(a);
            let l = libm::lgamma(1.0 + a);
            assert!((s - l).abs() < 1e-15, "{a}: {s} vs {l}");
        }
        // ln Γ(1 + a) ≈ −γ a for tiny a, to full relative precision.
        let a = 1e-12;
        assert!((ln_gamma_1p(a) / (-EULER * a) - 1.0).abs() < 1e-11);
    }

    #[test]
    fn stirling_error_is_continuous_at_the_switch() {
        let below = stirling_error(8.0 - 1e-12);
        let at = stirling_error(8.0);
        assert!((below - at).abs() < 1e-14, "{below} vs {at}");
    }

    #[test]
    fn deviance_is_continuous_at_the_switch() {
        for e in [0.25f64, -0.25] {
            let inside = ln1p_deviance(e * (1.0 - 1e-15));
            let outside = e - libm::log1p(e);
            assert!((inside / outside - 1.0).abs() < 1e-14);
        }
    }
}
