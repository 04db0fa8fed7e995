//! Numerical helpers every module shares: one float comparison with a documented tolerance, and
//! compensated (Neumaier) summation for long sums that meet cancellation.

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
}
