//! Numerical helpers every module shares: one float comparison with a documented tolerance,
//! compensated (Neumaier) summation for long sums that meet cancellation, and products whose
//! intermediate values may leave the double range.

/// √ε for f64 (1.49e-8): the tolerance R's `survival` uses when it compares survival values with
/// 0.5 for the median, and the default relative tolerance of [`approx_eq`].
pub const SQRT_EPSILON: f64 = 1.490_116_119_384_765_6e-8;

/// `true` when `a` and `b` agree to relative tolerance `rel_tol`:
/// |a − b| ≤ rel_tol · max(|a|, |b|), or both are exactly equal (which covers 0 = 0).
///
/// This is the one place the crate compares floats with a tolerance.
pub fn approx_eq(a: f64, b: f64, rel_tol: f64) -> bool {
    a == b || libm::fabs(a - b) <= rel_tol * libm::fmax(libm::fabs(a), libm::fabs(b))
}

/// A running sum with Neumaier's compensation: the error of n additions stays O(ε) instead of
/// O(n ε) (Neumaier, ZAMM 1974; the "improved Kahan–Babuška" algorithm).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct NeumaierSum {
    sum: f64,
    compensation: f64,
}

impl NeumaierSum {
    /// An empty sum (0).
    pub const fn new() -> Self {
        NeumaierSum {
            sum: 0.0,
            compensation: 0.0,
        }
    }

    /// Adds `x`.
    pub fn add(&mut self, x: f64) {
        let t = self.sum + x;
        if libm::fabs(self.sum) >= libm::fabs(x) {
            self.compensation += (self.sum - t) + x;
        } else {
            self.compensation += (x - t) + self.sum;
        }
        self.sum = t;
    }

    /// The compensated total.
    pub fn total(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// A non-negative product kept as mantissa · 2^exponent (mantissa in [0.5, 1), or 0), so that a
/// chain of factors neither overflows nor underflows before [`WideProduct::value`] rounds it to a
/// double once: +∞ above the largest double, a subnormal or 0 below the smallest normal. Each
/// step rounds the product of two mantissas, which rounds exactly as the plain product of the
/// factors wherever that stays in the normal range: there the result is bit-identical to the
/// plain chain of multiplications. It serves areas such as π r² · Δx · Δy, where r² may exceed
/// the largest double while Δx · Δy underflows (the plain product is then ∞ · 0 = NaN).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WideProduct {
    mantissa: f64,
    exponent: i64,
}

impl WideProduct {
    /// |x| as a product of one factor; `x` must be finite (a non-finite `x` is taken as 0).
    pub fn of(x: f64) -> Self {
        if !x.is_finite() {
            return WideProduct {
                mantissa: 0.0,
                exponent: 0,
            };
        }
        let (mantissa, exponent) = libm::frexp(libm::fabs(x));
        WideProduct {
            mantissa,
            exponent: i64::from(exponent),
        }
    }

    /// This product times |x| (`x` finite).
    pub fn times(self, x: f64) -> Self {
        self.times_product(WideProduct::of(x))
    }

    /// This product times another.
    pub fn times_product(self, other: WideProduct) -> Self {
        let (mantissa, exponent) = libm::frexp(self.mantissa * other.mantissa);
        if mantissa == 0.0 {
            return WideProduct::of(0.0);
        }
        WideProduct {
            mantissa,
            exponent: self.exponent + other.exponent + i64::from(exponent),
        }
    }

    /// This product times 2^k (exact).
    pub fn times_power_of_two(self, k: i64) -> Self {
        WideProduct {
            exponent: self.exponent.saturating_add(k),
            ..self
        }
    }

    /// The product rounded to a double: +∞ beyond the largest double, 0 below the smallest.
    pub fn value(self) -> f64 {
        // ±2200 lies beyond every double's exponent (±1074 with the mantissa's 53 bits): ldexp
        // then saturates to +∞ or 0 exactly as the unclamped exponent would.
        let exponent = self.exponent.clamp(-2200, 2200);
        libm::ldexp(self.mantissa, i32::try_from(exponent).unwrap_or(0))
    }
}

/// The binary exponent e of the largest |x| (the largest is m · 2^e, m in [0.5, 1)), 0 when
/// every value is 0: dividing by 2^e brings every value into [−1, 1] exactly (values 2^1074
/// times smaller than the largest flush to 0).
pub fn exponent_of_largest(values: impl Iterator<Item = f64>) -> i64 {
    let largest = values.fold(0.0, |m: f64, x| m.max(libm::fabs(x)));
    i64::from(libm::frexp(largest).1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn approx_eq_is_relative_and_exact_at_zero() {
        assert!(approx_eq(0.0, 0.0, 0.0));
        assert!(approx_eq(1.0, 1.0 + 1e-10, 1e-9));
        assert!(!approx_eq(1.0, 1.0 + 1e-8, 1e-9));
        assert!(approx_eq(1e300, 1.0000000001e300, 1e-9));
        assert!(!approx_eq(f64::NAN, f64::NAN, 1.0));
    }

    #[test]
    fn neumaier_recovers_what_naive_summation_loses() {
        let mut s = NeumaierSum::new();
        let mut naive = 0.0;
        for x in [1.0, 1e100, 1.0, -1e100] {
            s.add(x);
            naive += x;
        }
        assert_eq!(s.total(), 2.0);
        assert_eq!(naive, 0.0);
    }

    #[test]
    fn sqrt_epsilon_is_the_square_root_of_epsilon() {
        assert_eq!(SQRT_EPSILON, libm::sqrt(f64::EPSILON));
    }

    #[test]
    fn wide_products_leave_and_reenter_the_double_range() {
        // Inside the normal range: the plain chain, bit for bit.
        let plain = core::f64::consts::PI * 2.5 * 2.5 * (0.7 * 0.8);
        let wide = WideProduct::of(core::f64::consts::PI)
            .times(2.5)
            .times(2.5)
            .times_product(WideProduct::of(0.7).times(0.8));
        assert_eq!(wide.value(), plain);
        // r² beyond the largest double, Δx · Δy below the smallest: the plain chain is ∞ · 0.
        let r: f64 = 1e200;
        assert!((r * r * (1e-200 * 1e-200)).is_nan());
        let area = WideProduct::of(r)
            .times(r)
            .times_product(WideProduct::of(1e-200).times(1e-200));
        assert!((area.value() - 1.0).abs() < 1e-15, "{}", area.value());
        assert_eq!(WideProduct::of(f64::MAX).times(4.0).value(), f64::INFINITY);
        assert_eq!(WideProduct::of(5e-324).times(0.25).value(), 0.0);
        assert_eq!(WideProduct::of(3.0).times(0.0).value(), 0.0);
        assert_eq!(WideProduct::of(1.5).times_power_of_two(-3).value(), 0.1875);
        assert_eq!(exponent_of_largest([0.0, -6.0, 3.0].into_iter()), 3);
        assert_eq!(exponent_of_largest([0.0, 0.0].into_iter()), 0);
    }
}
