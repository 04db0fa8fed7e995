//! The statistics of the seed paper besides survival: reader agreement (ICC), correlation
//! (Spearman, Pearson) and the Table 1 comparisons (t, Wilcoxon rank-sum, χ², Fisher), with the
//! descriptive numbers that go with them (median, IQR, quantiles).
//!
//! Every function reproduces one R function, named on it, to 1e-9 relative (tests/stats_vs_r.rs
//! against tests/reference/stats.R):
//!
//! | module | functions | R |
//! | --- | --- | --- |
//! | [`describe`] | [`quantile_type7`], [`median_iqr`], [`mean_sd`] | `quantile(type = 7)`, `median`, `IQR`, `mean`, `sd` |
//! | [`correlation`] | [`spearman`], [`pearson`] | `cor.test(method = "spearman" / "pearson")` |
//! | [`agreement`] | [`icc`] | `psych::ICC(lmer = FALSE)` |
//! | [`t_test`](mod@t_test) | [`t_test()`] | `t.test` (Welch and Student) |
//! | [`wilcoxon`] | [`wilcoxon_rank_sum`] | `wilcox.test` (two samples) |
//! | [`contingency`] | [`chi_square`], [`fisher_exact_2x2`] | `chisq.test`, `fisher.test` |
//!
//! Missing values: R drops `NA`s; here a NaN or infinity anywhere in an input is
//! [`Status::NotFinite`] (drop missing values before the call, as the paper's complete-case
//! analysis does). The caller's inputs are never reordered: ranks and orderings are built in
//! scratch the caller lends, whose size each function documents ([`RankScratch`]).
//!
//! [`Status::NotFinite`]: crate::Status::NotFinite

pub mod agreement;
pub mod contingency;
pub mod correlation;
pub mod describe;
mod rho_distribution;
pub mod t_test;
pub mod wilcoxon;
mod wilcoxon_distribution;

pub use agreement::{icc, IccForm, IccOptions, IccTable, IccType, RatingMatrix};
pub use contingency::{chi_square, fisher_exact_2x2, ChiSquareTest, ContingencyTable, FisherTest};
pub use correlation::{
    pearson, spearman, PearsonOptions, PearsonTest, SpearmanMethod, SpearmanOptions,
    SpearmanPValue, SpearmanTest,
};
pub use describe::{mean_sd, median_iqr, quantile_type7, MeanSd, MedianIqr};
pub use t_test::{t_test, TTest, TTestOptions, TTestVariance};
pub use wilcoxon::{
    wilcoxon_rank_sum, WilcoxonMethod, WilcoxonOptions, WilcoxonPValue, WilcoxonTest,
};

use crate::Status;

/// The alternative hypothesis of a test, as R's `alternative` argument.
///
/// `Less` means the true value (difference in means, location shift, correlation) is below the
/// null value; `Greater` above it.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Alternative {
    /// `"two.sided"` (R's default).
    #[default]
    TwoSided = 0,
    /// `"less"`.
    Less = 1,
    /// `"greater"`.
    Greater = 2,
}

impl TryFrom<u32> for Alternative {
    type Error = Status;

    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(Alternative::TwoSided),
            1 => Ok(Alternative::Less),
            2 => Ok(Alternative::Greater),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Whether a normal or χ² approximation of a discrete statistic gets a continuity correction
/// (R's `correct` argument of `wilcox.test` and `chisq.test`, `TRUE` by default).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Continuity {
    /// Corrected (`correct = TRUE`, R's default): ±0.5 for Wilcoxon, Yates for a 2 × 2 χ².
    #[default]
    Corrected = 0,
    /// Uncorrected (`correct = FALSE`).
    Uncorrected = 1,
}

impl TryFrom<u32> for Continuity {
    type Error = Status;

    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(Continuity::Corrected),
            1 => Ok(Continuity::Uncorrected),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Scratch that rank statistics ([`spearman`], [`wilcoxon_rank_sum`]) borrow from the caller:
/// `values` needs at least [`RankScratch::values_needed`]`(n)` = 2n doubles and `indices` at least
/// [`RankScratch::indices_needed`]`(n)` = 2n `u32`s, n the total number of observations. Their
/// contents on entry do not matter and are overwritten.
#[derive(Debug)]
pub struct RankScratch<'a> {
    /// At least 2n doubles (ranks, and a copy of the pooled samples for Wilcoxon).
    pub values: &'a mut [f64],
    /// At least 2n `u32` (an ordering and the radix sort's buffer).
    pub indices: &'a mut [u32],
}

impl RankScratch<'_> {
    /// Doubles needed for n observations: 2n (saturating).
    pub const fn values_needed(n: usize) -> usize {
        n.saturating_mul(2)
    }

    /// `u32`s needed for n observations: 2n (saturating).
    pub const fn indices_needed(n: usize) -> usize {
        n.saturating_mul(2)
    }

    /// Splits the scratch into two `n`-long f64 halves and two `n`-long u32 halves.
    fn split(&mut self, n: usize) -> Result<ScratchParts<'_>, Status> {
        let (a, rest) = self
            .values
            .split_at_mut_checked(n)
            .ok_or(Status::ScratchTooSmall)?;
        let b = rest.get_mut(..n).ok_or(Status::ScratchTooSmall)?;
        let (c, rest) = self
            .indices
            .split_at_mut_checked(n)
            .ok_or(Status::ScratchTooSmall)?;
        let d = rest.get_mut(..n).ok_or(Status::ScratchTooSmall)?;
        Ok(ScratchParts {
            f1: a,
            f2: b,
            order: c,
            sort: d,
        })
    }

    /// `Err(ScratchTooSmall)` unless the scratch holds n observations.
    fn check(&self, n: usize) -> Result<(), Status> {
        if self.values.len() < Self::values_needed(n)
            || self.indices.len() < Self::indices_needed(n)
        {
            Err(Status::ScratchTooSmall)
        } else {
            Ok(())
        }
    }
}

/// The four n-long pieces of a [`RankScratch`].
struct ScratchParts<'a> {
    f1: &'a mut [f64],
    f2: &'a mut [f64],
    order: &'a mut [u32],
    sort: &'a mut [u32],
}

/// `Err(NotFinite)` unless every value is finite.
fn require_all_finite(x: &[f64]) -> Result<(), Status> {
    if x.iter().all(|v| v.is_finite()) {
        Ok(())
    } else {
        Err(Status::NotFinite)
    }
}

/// `Err(InvalidOption)` unless `level` is in the open interval (0, 1).
fn require_conf_level(level: f64) -> Result<(), Status> {
    if level > 0.0 && level < 1.0 {
        Ok(())
    } else {
        Err(Status::InvalidOption)
    }
}

/// P-value of a statistic whose null distribution has the lower tail `lower` and upper tail
/// `upper` at the observed value, as R's htest functions combine them: `less` → lower,
/// `greater` → upper, two-sided → 2 · min(lower, upper) (not clipped: R does not clip these).
fn p_from_tails(alternative: Alternative, lower: f64, upper: f64) -> f64 {
    match alternative {
        Alternative::Less => lower,
        Alternative::Greater => upper,
        Alternative::TwoSided => 2.0 * libm::fmin(lower, upper),
    }
}

/// Distribution functions, in one place so the statistics read like R (`pt`, `qnorm`, ...).
mod r {
    use crate::dist;

    /// `pnorm(x)`.
    pub(super) fn pnorm(x: f64) -> f64 {
        dist::normal_cdf(x)
    }
    /// `pnorm(x, lower.tail = FALSE)`.
    pub(super) fn pnorm_upper(x: f64) -> f64 {
        dist::normal_sf(x)
    }
    /// `qnorm(p)`.
    pub(super) fn qnorm(p: f64) -> f64 {
        dist::normal_quantile(p)
    }
    /// `pt(x, df)`.
    pub(super) fn pt(x: f64, df: f64) -> f64 {
        dist::t_cdf(x, df)
    }
    /// `pt(x, df, lower.tail = FALSE)`.
    pub(super) fn pt_upper(x: f64, df: f64) -> f64 {
        dist::t_sf(x, df)
    }
    /// `qt(p, df)`.
    pub(super) fn qt(p: f64, df: f64) -> f64 {
        dist::t_quantile(p, df)
    }
    /// `pchisq(x, df, lower.tail = FALSE)`.
    pub(super) fn pchisq_upper(x: f64, df: f64) -> f64 {
        dist::chisq_sf(x, df)
    }
    /// `pf(x, d1, d2, lower.tail = FALSE)`.
    pub(super) fn pf_upper(x: f64, d1: f64, d2: f64) -> f64 {
        dist::f_sf(x, d1, d2)
    }
    /// `qf(p, d1, d2)`.
    pub(super) fn qf(p: f64, d1: f64, d2: f64) -> f64 {
        dist::f_quantile(p, d1, d2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_through_u32() {
        for a in [
            Alternative::TwoSided,
            Alternative::Less,
            Alternative::Greater,
        ] {
            assert_eq!(Alternative::try_from(a as u32), Ok(a));
        }
        assert_eq!(Alternative::try_from(3), Err(Status::InvalidEnumValue));
        for c in [Continuity::Corrected, Continuity::Uncorrected] {
            assert_eq!(Continuity::try_from(c as u32), Ok(c));
        }
        assert_eq!(Continuity::try_from(2), Err(Status::InvalidEnumValue));
    }

    #[test]
    fn scratch_split_checks_sizes() {
        let mut v = [0.0; 6];
        let mut i = [0u32; 5];
        let mut s = RankScratch {
            values: &mut v,
            indices: &mut i,
        };
        assert_eq!(s.check(3), Err(Status::ScratchTooSmall));
        assert!(s.split(3).is_err());
        assert!(s.split(2).is_ok());
        assert_eq!(s.check(2), Ok(()));
    }
}
