//! Cox proportional hazards regression, as R's `survival::coxph` computes it.
//!
//! The partial likelihood of Cox (1972) for right-censored data, with ties by Efron (R's default)
//! or Breslow (SPSS's), optional strata and case weights, fitted by Newton–Raphson with R's rules
//! (Therneau's `coxfit6.c`, survival 3.5):
//!
//! - covariates are centred on their weighted mean and scaled by Σw / Σw|x − mean| inside the fit,
//!   except columns whose values are all in {−1, 0, 1} (`coxph(nocenter = c(-1, 0, 1))`); the
//!   results are back on the caller's scale;
//! - tied times are R's (`timefix = TRUE`: times within √ε of each other are one time, see
//!   [`TimeMatching`]); at a tied time the censored subjects are still at risk;
//! - the iteration starts at β = 0 and stops when |1 − ℓ_old / ℓ_new| ≤ `eps` (1e-9) or after
//!   `max_iterations` (20); a step that lowers the log-likelihood, or makes it or its derivatives
//!   non-finite, is shortened by step-halving (the new point moves to (β_new + h·β_old)/(h + 1)
//!   after the h-th consecutive failure);
//! - the information matrix is factored by an LDLᵀ Cholesky with R's singularity tolerance
//!   (`toler.chol` = ε^0.75), and inverted from it for the covariance;
//! - score test at β = 0: U(0)ᵀ I(0)⁻¹ U(0); Wald test: β̂ᵀ V⁻¹ β̂ by the same Cholesky;
//!   likelihood-ratio test: 2 (ℓ(β̂) − ℓ(0)); each χ² with p degrees of freedom;
//! - Harrell's concordance C = (concordant + tied.x / 2) / (concordant + discordant + tied.x) of
//!   the linear predictor (a higher predictor with a shorter time is concordant), tied.y pairs
//!   excluded, with R's infinitesimal-jackknife standard error (`concordancefit`).
//!
//! One pass over the subjects sorted by time (descending, within strata) gives the
//! log-likelihood, its gradient and its information matrix at a β by running sums over the risk
//! sets: O(n·p²) per iteration after one O(n) radix sort, never an n × n loop. Nothing is
//! allocated: the covariate count is bounded by [`MAX_COVARIATES`], every matrix is a fixed
//! array, and the sort and a sorted copy of the centred covariates (R's `x[sorted, ]`, which
//! keeps every iteration a sequential pass) live in caller-lent [`CoxScratch`] whose size
//! [`scratch_sizes`] gives.
//!
//! Where R only warns, ecvkit fails with a status (nothing else is returned). The rules:
//!
//! - monotone likelihood — R's own test (`coxph.fit`): after convergence, covariate j is
//!   diverging when its remaining Newton step |(U V)_j| (U the score, V = I⁻¹, both at β̂, on the
//!   caller's scale) exceeds both `eps` and `toler_inf`·|β̂_j|, or U_j is not finite; a column
//!   whose information vanished only at β̂ (its Cholesky pivot fell below the tolerance while the
//!   coefficient ran off) counts too. When the iterations run out, R's "may be infinite" test
//!   decides: the largest centred linear predictor above 500, or a non-finite step; the
//!   covariate reported is the one with the largest step. In a group without events the
//!   coefficient creeps towards −∞ while the log-likelihood gains less and less, so R stops
//!   with β ≈ −20 and a warning: here the fit fails with the covariate's index.
//! - collinear: a column whose Cholesky pivot of I(0) is below `toler_chol` × the largest
//!   diagonal element (R gives it an `NA` coefficient) — the first such column is reported.
//! - not converged: `max_iterations` used up without the monotone-likelihood signs.
//! - below the start: the convergence test passed at a log-likelihood below ℓ(0) by more than
//!   rounding (1e-10 · |ℓ(0)|). R's test compares only successive values, so a large `eps` can
//!   stop it one Newton step past the maximum, where it reports the fit as converged with a
//!   negative likelihood-ratio statistic; here the fit fails with
//!   [`Status::CoxLikelihoodBelowStart`] instead (R and ecvkit agree wherever the fit ends at or
//!   above its start, as the default `eps` = 1e-9 gives in practice).
//!
//! The statuses:
//! [`Status::CoxMonotoneLikelihood`] (a coefficient that runs off to ±∞, e.g. a group without
//! events: R prints β ≈ −20 and a warning; also a β̂ or SE beyond the largest double on the
//! caller's scale), [`Status::CoxCollinear`],
//! [`Status::CoxNotConverged`], [`Status::CoxLikelihoodBelowStart`], [`Status::NoEvents`] and
//! [`Status::CoxTooManyCovariates`]. A
//! [`CoxDiagnostic`] says which covariate, after how many iterations.
//!
//! The seed paper's workflow is in [`univariable_screen`] (univariable models, keep P < 0.1, then
//! the multivariable model) and [`subgroup_effects`] (the group effect in each level of a
//! subgroup variable and the interaction p, for a forest plot).
//!
//! ```
//! use ecvkit::cox::{cox_fit, scratch_sizes, CoxData, CoxOptions, CoxScratch};
//!
//! // 8 subjects, 1 covariate (row-major matrix n × p).
//! let time = [5.0, 8.0, 12.0, 3.0, 9.0, 15.0, 7.0, 20.0];
//! let event = [1, 1, 0, 1, 1, 0, 1, 0];
//! let x = [1.0, 0.0, 0.0, 1.0, 1.0, 0.0, 1.0, 0.0];
//! let data = CoxData::new(&time, &event, &x, 1)?;
//! let sizes = scratch_sizes(time.len(), 1)?;
//! let (mut index, mut values) = (vec![0u32; sizes.index], vec![0.0; sizes.values]);
//! let mut scratch = CoxScratch { index: &mut index, values: &mut values };
//! let fit = cox_fit(&data, &CoxOptions::default(), &mut scratch, None)?;
//! assert!(fit.coefficients[0] > 0.0); // x = 1 dies earlier: HR > 1
//! assert!(fit.loglik > fit.loglik_null);
//! # Ok::<(), ecvkit::Status>(())
//! ```

mod cholesky;
mod concordance;
mod data;
mod design;
mod fit;
mod risk_set;
mod workflow;

pub use data::{scratch_sizes, CoxData, CoxScratch, ScratchSizes};
pub use fit::{cox_fit, CoxDiagnostic, NO_COVARIATE};
pub use workflow::{
    subgroup_effects, univariable_screen, ScreenOptions, ScreenResult, ScreenTest, SubgroupLevel,
    SubgroupResult, UnivariableRow, MAX_SUBGROUP_LEVELS,
};

use crate::survival::TimeMatching;
use crate::Status;

/// The largest number of covariates (model columns) a fit accepts; every vector and matrix of
/// the fit and of [`CoxFit`] has this fixed size. More covariates: [`Status::CoxTooManyCovariates`].
pub const MAX_COVARIATES: usize = 32;

/// A p × p matrix in fixed storage: entry (i, j) is `m[i][j]`; only i, j < p are meaningful,
/// the rest is 0.
pub type CovMatrix = [[f64; MAX_COVARIATES]; MAX_COVARIATES];

/// How tied event times enter the partial likelihood.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Ties {
    /// Efron (1977): the d deaths at a time leave the risk set gradually, the k-th term's
    /// denominator being Σ_risk − (k/d) Σ_deaths (k = 0 … d − 1). R's `coxph` default.
    #[default]
    Efron = 0,
    /// Breslow (1974): all d deaths share the full risk set. SPSS's and SAS's default.
    Breslow = 1,
}

impl TryFrom<u32> for Ties {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(Ties::Efron),
            1 => Ok(Ties::Breslow),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Whether the fit also computes the concordance of its linear predictor (O(n log n) more).
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ConcordanceMode {
    /// Compute concordance and its standard error, as `coxph` always does.
    #[default]
    Compute = 0,
    /// Skip it: the concordance fields of [`CoxFit`] are NaN.
    Skip = 1,
}

impl TryFrom<u32> for ConcordanceMode {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(ConcordanceMode::Compute),
            1 => Ok(ConcordanceMode::Skip),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Settings of a Cox fit; [`CoxOptions::default`] gives R's `coxph.control()` and a 95 % CI.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoxOptions {
    /// Ties handling: Efron (default) or Breslow.
    pub ties: Ties,
    /// Confidence level of the hazard-ratio intervals, in (0, 1). Default 0.95.
    pub conf_level: f64,
    /// Most Newton–Raphson iterations (R's `iter.max`, default 20). 0 returns the model at β = 0
    /// (with its score test), as R does.
    pub max_iterations: u32,
    /// Convergence: stop when |1 − ℓ_old / ℓ_new| ≤ eps (R's `eps`, default 1e-9); in (0, 1).
    /// A relative tolerance of 1 or more accepts any log-likelihood as converged (R takes it
    /// and may stop after one step, below the start): `InvalidOption`.
    pub eps: f64,
    /// Singularity tolerance of the Cholesky factorization, relative to the largest diagonal
    /// element (R's `toler.chol`, default ε^0.75 ≈ 1.8e-12); in (0, 1) (at 1 or more every
    /// column would be singular).
    pub toler_chol: f64,
    /// Monotone-likelihood tolerance (R's `toler.inf`, default √eps ≈ 3.2e-5); in (0, 1) (at 1
    /// or more a coefficient whose remaining step is as large as itself would pass as finite).
    /// The rule is in the [module documentation](self).
    pub toler_inf: f64,
    /// Compute the concordance (default) or skip it.
    pub concordance: ConcordanceMode,
    /// Which times are tied: R's `timefix` rule (default, as `coxph`) or exact equality.
    pub time_matching: TimeMatching,
}

/// R's `coxph.control()$toler.chol`: ε^0.75 for f64.
pub const DEFAULT_TOLER_CHOL: f64 = 1.818_989_403_545_856_5e-12;

impl Default for CoxOptions {
    fn default() -> Self {
        CoxOptions {
            ties: Ties::Efron,
            conf_level: 0.95,
            max_iterations: 20,
            eps: 1e-9,
            toler_chol: DEFAULT_TOLER_CHOL,
            toler_inf: libm::sqrt(1e-9),
            concordance: ConcordanceMode::Compute,
            time_matching: TimeMatching::RTimefix,
        }
    }
}

impl CoxOptions {
    /// `InvalidOption` unless every number is in its documented range: the confidence level and
    /// the three relative tolerances each in the open interval (0, 1).
    pub(crate) fn validate(&self) -> Result<(), Status> {
        let in_unit_interval = |x: f64| x > 0.0 && x < 1.0;
        let all = [self.conf_level, self.eps, self.toler_chol, self.toler_inf];
        if all.into_iter().all(in_unit_interval) {
            Ok(())
        } else {
            Err(Status::InvalidOption)
        }
    }
}

/// A χ² test: statistic, degrees of freedom, upper-tail p.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct CoxTest {
    /// The χ² statistic.
    pub statistic: f64,
    /// Degrees of freedom.
    pub df: u32,
    /// P(χ²_df ≥ statistic).
    pub p_value: f64,
}

/// Harrell's concordance of a Cox model's linear predictor, as R's `coxph(...)$concordance`.
///
/// Pairs are comparable when the shorter time is an event (within a stratum); a pair is
/// concordant when the subject with the shorter time has the higher linear predictor.
/// C = (concordant + tied_x / 2) / (concordant + discordant + tied_x). Counts are sums of the
/// products of the two case weights.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct Concordance {
    /// Comparable pairs ordered as the model predicts.
    pub concordant: f64,
    /// Comparable pairs ordered against the prediction.
    pub discordant: f64,
    /// Comparable pairs with equal linear predictors (count half).
    pub tied_x: f64,
    /// Pairs of events at the same time with different predictors (excluded).
    pub tied_y: f64,
    /// Pairs of events at the same time with equal predictors (excluded).
    pub tied_xy: f64,
    /// C, in [0, 1].
    pub concordance: f64,
    /// Its standard error by the infinitesimal jackknife (R's `sqrt(concordancefit()$var)`).
    pub std_err: f64,
}

impl Concordance {
    /// Every field NaN: concordance not computed ([`ConcordanceMode::Skip`]).
    ///
    /// Not in the C header: C has no constant expression for NaN that C++ accepts; a C caller
    /// sees these NaN fields in the result of `ecv_cox_fit` with `ECV_CONCORDANCE_MODE_SKIP`.
    ///
    /// cbindgen:ignore
    pub const NOT_COMPUTED: Concordance = Concordance {
        concordant: f64::NAN,
        discordant: f64::NAN,
        tied_x: f64::NAN,
        tied_y: f64::NAN,
        tied_xy: f64::NAN,
        concordance: f64::NAN,
        std_err: f64::NAN,
    };
}

/// A fitted Cox model, in the caller's covariate units (R's `summary(coxph(...))`).
///
/// Vectors have [`MAX_COVARIATES`] slots; the first `n_covariates` are the model's, in the order
/// of its columns, and the rest are 0.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoxFit {
    /// p, the number of model columns.
    pub n_covariates: u32,
    /// Subjects used.
    pub n: u32,
    /// Events among them.
    pub n_events: u32,
    /// Newton–Raphson iterations (R's `iter`).
    pub iterations: u32,
    /// β̂ (log hazard ratios).
    pub coefficients: [f64; MAX_COVARIATES],
    /// SE(β̂) = √V_ii.
    pub std_errors: [f64; MAX_COVARIATES],
    /// exp(β̂). As in R, 0 when β̂ < −745 and +∞ when β̂ > 709.78, beyond the range of a double
    /// (a covariate on a tiny scale, or a near-monotone likelihood): read β̂ and its SE then.
    pub hazard_ratios: [f64; MAX_COVARIATES],
    /// exp(β̂ − z·SE), z = Φ⁻¹(1 − (1 − conf_level)/2); 0 or +∞ beyond exp's range, as the HR.
    pub hr_lower: [f64; MAX_COVARIATES],
    /// exp(β̂ + z·SE); 0 or +∞ beyond exp's range, as the HR.
    pub hr_upper: [f64; MAX_COVARIATES],
    /// Wald z = β̂ / SE.
    pub z: [f64; MAX_COVARIATES],
    /// Two-sided p = 2 Φ(−|z|).
    pub p_values: [f64; MAX_COVARIATES],
    /// V = I(β̂)⁻¹, the model-based covariance of β̂ (R's `vcov`).
    pub covariance: CovMatrix,
    /// The confidence level of `hr_lower` / `hr_upper`.
    pub conf_level: f64,
    /// Log partial likelihood at β = 0 (R's `loglik[1]`).
    pub loglik_null: f64,
    /// Log partial likelihood at β̂ (R's `loglik[2]`).
    pub loglik: f64,
    /// Likelihood-ratio test 2 (ℓ(β̂) − ℓ(0)), p df.
    pub likelihood_ratio: CoxTest,
    /// Wald test β̂ᵀ V⁻¹ β̂, p df.
    pub wald: CoxTest,
    /// Score (log-rank) test U(0)ᵀ I(0)⁻¹ U(0), p df.
    pub score: CoxTest,
    /// Concordance of the linear predictor (NaN fields when skipped).
    pub concordance: Concordance,
}
