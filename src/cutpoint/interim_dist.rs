//! Interim distribution functions until the crate's `dist` module lands: closed forms on libm's
//! `erfc` (the normal distribution, χ² with 1 and 2 df are all this module needs).

/// φ(x) = e^{−x²/2} / √(2π), as R's `dnorm` for |x| < 5.
pub(crate) fn normal_pdf(x: f64) -> f64 {
    0.398_942_280_401_432_7 * libm::exp(-0.5 * x * x)
}

/// Φ(x) = erfc(−x / √2) / 2.
pub(crate) fn normal_cdf(x: f64) -> f64 {
    0.5 * libm::erfc(-x * core::f64::consts::FRAC_1_SQRT_2)
}

/// 1 − Φ(x) = erfc(x / √2) / 2.
pub(crate) fn normal_sf(x: f64) -> f64 {
    0.5 * libm::erfc(x * core::f64::consts::FRAC_1_SQRT_2)
}

/// P(χ²_df > x) for df = 1 (erfc(√(x/2))) and df = 2 (e^{−x/2}); NaN otherwise.
pub(crate) fn chisq_sf(x: f64, df: f64) -> f64 {
    if x <= 0.0 {
        return 1.0;
    }
    if df == 1.0 {
        libm::erfc(libm::sqrt(0.5 * x))
    } else if df == 2.0 {
        libm::exp(-0.5 * x)
    } else {
        f64::NAN
    }
}
