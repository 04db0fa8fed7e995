//! C ABI of [`crate::cox`]: Cox proportional hazards fits, the univariable screen and the
//! subgroup analysis.
//!
//! The data arrive as `time` (`double`, finite, ≥ 0) and `event` (`uint8_t`, 1 = event,
//! 0 = censored) arrays of length `n`, a row-major `n × n_columns` covariate matrix, and
//! optional `strata` (`uint32_t` labels) and `weights` (`double`, > 0) arrays of length `n`
//! (NULL when absent). Every function works in two caller scratch arrays:
//! `ecv_cox_index_scratch_len(n)` `uint32_t` and `ecv_cox_values_scratch_len(n, p)` `double`.

use super::{aliased, input_slice, output_slice, read_or_default, require_output, status_of, Span};
use crate::cox::{
    cox_fit, subgroup_effects, univariable_screen, ConcordanceMode, CoxData, CoxDiagnostic, CoxFit,
    CoxOptions, CoxScratch, ScreenOptions, ScreenResult, ScreenTest, SubgroupResult, Ties,
};
use crate::survival::TimeMatching;
use crate::Status;

/// Options of a Cox fit, as C passes them (`ecv_cox_options_default()` gives R's
/// `coxph.control()`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvCoxOptions {
    /// `ECV_TIES_EFRON` (default, R's) or `ECV_TIES_BRESLOW`.
    pub ties: u32,
    /// Confidence level of the hazard-ratio intervals, in (0, 1); default 0.95.
    pub conf_level: f64,
    /// Most Newton–Raphson iterations; default 20 (0: the model at β = 0).
    pub max_iterations: u32,
    /// Relative convergence tolerance on |1 − loglik_old / loglik_new|, in (0, 1); default 1e-9
    /// (R's `eps`). 1 or more would accept any log-likelihood: `ECV_INVALID_OPTION`.
    pub eps: f64,
    /// Cholesky singularity tolerance, relative to the largest pivot, in (0, 1); default
    /// ε^0.75 ≈ 1.8e-12 (R's `toler.chol`).
    pub toler_chol: f64,
    /// Relative monotone-likelihood tolerance, in (0, 1); default √1e-9 (R's `toler.inf`).
    pub toler_inf: f64,
    /// `ECV_CONCORDANCE_MODE_COMPUTE` (default) or `ECV_CONCORDANCE_MODE_SKIP`.
    pub concordance: u32,
    /// `ECV_TIME_MATCHING_R_TIMEFIX` (default) or `ECV_TIME_MATCHING_EXACT`.
    pub time_matching: u32,
}

impl Default for EcvCoxOptions {
    fn default() -> Self {
        let core = CoxOptions::default();
        EcvCoxOptions {
            ties: core.ties as u32,
            conf_level: core.conf_level,
            max_iterations: core.max_iterations,
            eps: core.eps,
            toler_chol: core.toler_chol,
            toler_inf: core.toler_inf,
            concordance: core.concordance as u32,
            time_matching: core.time_matching as u32,
        }
    }
}

impl EcvCoxOptions {
    fn to_core(self) -> Result<CoxOptions, Status> {
        Ok(CoxOptions {
            ties: Ties::try_from(self.ties)?,
            conf_level: self.conf_level,
            max_iterations: self.max_iterations,
            eps: self.eps,
            toler_chol: self.toler_chol,
            toler_inf: self.toler_inf,
            concordance: ConcordanceMode::try_from(self.concordance)?,
            time_matching: TimeMatching::try_from(self.time_matching)?,
        })
    }
}

/// Options of `ecv_cox_screen`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvCoxScreenOptions {
    /// Options of every fit.
    pub cox: EcvCoxOptions,
    /// Keep a column when its univariable p < threshold; default 0.1 (the seed paper).
    pub threshold: f64,
    /// `ECV_SCREEN_TEST_WALD` (default), `ECV_SCREEN_TEST_LIKELIHOOD_RATIO` or
    /// `ECV_SCREEN_TEST_SCORE`.
    pub test: u32,
}

impl Default for EcvCoxScreenOptions {
    fn default() -> Self {
        let core = ScreenOptions::default();
        EcvCoxScreenOptions {
            cox: EcvCoxOptions::default(),
            threshold: core.threshold,
            test: core.test as u32,
        }
    }
}

impl EcvCoxScreenOptions {
    fn to_core(self) -> Result<ScreenOptions, Status> {
        Ok(ScreenOptions {
            cox: self.cox.to_core()?,
            threshold: self.threshold,
            test: ScreenTest::try_from(self.test)?,
        })
    }
}

/// The default Cox options: Efron ties, 95 % CIs, R's `coxph.control()`, concordance computed,
/// R's time matching.
#[no_mangle]
pub extern "C" fn ecv_cox_options_default() -> EcvCoxOptions {
    EcvCoxOptions::default()
}

/// The default screen options: the default Cox options, Wald p < 0.1.
#[no_mangle]
pub extern "C" fn ecv_cox_screen_options_default() -> EcvCoxScreenOptions {
    EcvCoxScreenOptions::default()
}

/// `uint32_t` scratch elements every Cox function needs for `n` subjects: 4n (saturating at
/// `SIZE_MAX`).
#[no_mangle]
pub extern "C" fn ecv_cox_index_scratch_len(n: usize) -> usize {
    n.saturating_mul(4)
}

/// `double` scratch elements a Cox function needs for `n` subjects and `p` model columns:
/// n · (1 + max(p, 6)) (saturating at `SIZE_MAX`). `ecv_cox_fit` and `ecv_cox_screen`:
/// p = `n_columns`; `ecv_cox_subgroup`: p = 2K − 1 for K subgroup levels (31 always suffices).
#[no_mangle]
pub extern "C" fn ecv_cox_values_scratch_len(n: usize, p: usize) -> usize {
    n.saturating_mul(p.max(6).saturating_add(1))
}

/// The inputs of every Cox function, as C passes them.
struct Inputs {
    time: *const f64,
    event: *const u8,
    n: usize,
    covariates: *const f64,
    n_columns: usize,
    strata: *const u32,
    weights: *const f64,
    index_scratch: *mut u32,
    index_scratch_len: usize,
    values_scratch: *mut f64,
    values_scratch_len: usize,
}

impl Inputs {
    /// The data and the scratch as Rust slices, after the NULL, length and overlap checks
    /// (`strata` and `weights` may be NULL: absent). `other_writable` are the caller's other
    /// outputs written through slices, checked with the scratch before any slice exists.
    ///
    /// # Safety
    /// Every non-NULL pointer points to the number of valid elements its length says
    /// (`covariates`: n · n_columns), the scratch arrays writable and not aliased elsewhere.
    unsafe fn slices<'a>(
        &self,
        other_writable: &[Span],
    ) -> Result<(CoxData<'a>, CoxScratch<'a>), Status> {
        let cells = self
            .n
            .checked_mul(self.n_columns)
            .ok_or(Status::TooManyElements)?;
        // The scratch is written during the fit: it must alias no input and not each other.
        let readable = [
            Span::of(self.time, self.n),
            Span::of(self.event, self.n),
            Span::of(self.covariates, cells),
            Span::of(self.strata, self.n),
            Span::of(self.weights, self.n),
        ];
        let scratch = [
            Span::of(self.index_scratch, self.index_scratch_len),
            Span::of(self.values_scratch, self.values_scratch_len),
        ];
        if aliased(&scratch, &readable)
            || aliased(other_writable, &readable)
            || aliased(other_writable, &scratch)
        {
            return Err(Status::BuffersOverlap);
        }
        // SAFETY: the caller guarantees the lengths; the helpers check NULL and alignment.
        let (time, event, covariates, index, values) = unsafe {
            (
                input_slice(self.time, self.n)?,
                input_slice(self.event, self.n)?,
                input_slice(self.covariates, cells)?,
                output_slice(self.index_scratch, self.index_scratch_len)?,
                output_slice(self.values_scratch, self.values_scratch_len)?,
            )
        };
        // SAFETY: as above; NULL means absent.
        let strata = unsafe { optional_slice(self.strata, self.n)? };
        // SAFETY: as above; NULL means absent.
        let weights = unsafe { optional_slice(self.weights, self.n)? };
        let mut data = CoxData::new(time, event, covariates, self.n_columns)?;
        if let Some(s) = strata {
            data = data.with_strata(s);
        }
        if let Some(w) = weights {
            data = data.with_weights(w);
        }
        Ok((data, CoxScratch { index, values }))
    }
}

/// `None` for NULL, else the slice of `n` elements.
///
/// # Safety
/// When not NULL, `ptr` points to `n` valid, aligned elements.
unsafe fn optional_slice<'a, T>(ptr: *const T, n: usize) -> Result<Option<&'a [T]>, Status> {
    if ptr.is_null() {
        Ok(None)
    } else {
        // SAFETY: non-NULL; the caller guarantees n elements.
        Ok(Some(unsafe { input_slice(ptr, n)? }))
    }
}

/// `true` for the statuses after which the diagnostic says why.
fn diagnosed(result: &Result<CoxFit, Status>) -> bool {
    matches!(
        result,
        Ok(_)
            | Err(Status::CoxMonotoneLikelihood)
            | Err(Status::CoxCollinear)
            | Err(Status::CoxNotConverged)
            | Err(Status::CoxLikelihoodBelowStart)
    )
}

/// Fits the Cox model of (`time`, `event`) on all `n_columns` covariates, as R's
/// `coxph(Surv(time, event) ~ x1 + … + xp (+ strata(s)), weights = w, ties = …)`:
/// coefficients, SEs, covariance, hazard ratios with CIs, Wald z and p, log-likelihoods, the
/// likelihood-ratio, Wald and score tests, and the concordance with its SE (`ecv_cox_result`).
///
/// `options` may be NULL (defaults). `diagnostic` may be NULL; when given it receives the
/// iteration count on `ECV_OK` and, on `ECV_COX_MONOTONE_LIKELIHOOD`, `ECV_COX_COLLINEAR`,
/// `ECV_COX_NOT_CONVERGED` and `ECV_COX_LIKELIHOOD_BELOW_START`, the covariate concerned, the
/// iteration count and the last log-likelihood (the only output written on a failure). `*out`
/// is written only on `ECV_OK`.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_MISALIGNED_POINTER`, `ECV_EMPTY_INPUT` (n = 0 or no
/// column), `ECV_TOO_MANY_ELEMENTS`, `ECV_NOT_FINITE`, `ECV_NEGATIVE_TIME`,
/// `ECV_EVENT_NOT_BINARY`, `ECV_COX_WEIGHT_NOT_POSITIVE`, `ECV_INVALID_OPTION` (`conf_level`,
/// `eps`, `toler_chol` or `toler_inf` outside (0, 1)), `ECV_INVALID_ENUM_VALUE`,
/// `ECV_SCRATCH_TOO_SMALL`, `ECV_BUFFERS_OVERLAP`, `ECV_COX_TOO_MANY_COVARIATES` (n_columns >
/// `ECV_COX_MAX_COVARIATES`), `ECV_NO_EVENTS`, `ECV_COX_COLLINEAR`,
/// `ECV_COX_MONOTONE_LIKELIHOOD`, `ECV_COX_NOT_CONVERGED`, `ECV_COX_LIKELIHOOD_BELOW_START` (the
/// convergence test passed at a log-likelihood below the start, beta = 0: not a maximum; R
/// reports such a fit as converged, with a negative likelihood-ratio statistic).
///
/// # Safety
/// `time`, `event` (and `strata`, `weights` when not NULL) point to `n` readable values,
/// `covariates` to `n · n_columns`; `index_scratch` and `values_scratch` to their lengths of
/// writable memory; `out` to one writable `ecv_cox_result`; `options` and `diagnostic` are NULL
/// or valid.
#[no_mangle]
pub unsafe extern "C" fn ecv_cox_fit(
    time: *const f64,
    event: *const u8,
    n: usize,
    covariates: *const f64,
    n_columns: usize,
    strata: *const u32,
    weights: *const f64,
    options: *const EcvCoxOptions,
    index_scratch: *mut u32,
    index_scratch_len: usize,
    values_scratch: *mut f64,
    values_scratch_len: usize,
    out: *mut CoxFit,
    diagnostic: *mut CoxDiagnostic,
) -> Status {
    let inputs = Inputs {
        time,
        event,
        n,
        covariates,
        n_columns,
        strata,
        weights,
        index_scratch,
        index_scratch_len,
        values_scratch,
        values_scratch_len,
    };
    let mut diag = CoxDiagnostic::default();
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        if !diagnostic.is_null() {
            require_output(diagnostic)?;
        }
        let options = read_or_default(options)?.to_core()?;
        let (data, mut scratch) = inputs.slices(&[])?;
        cox_fit(&data, &options, &mut scratch, Some(&mut diag))
    })();
    if diagnosed(&result) && !diagnostic.is_null() && diagnostic.is_aligned() {
        // SAFETY: non-NULL and aligned (checked); the caller guarantees it is writable.
        unsafe { diagnostic.write(diag) };
    }
    status_of(result.map(|fit| {
        // SAFETY: `out` was checked by require_output; the caller guarantees it is writable.
        unsafe { out.write(fit) }
    }))
}

/// The seed paper's variable selection: one Cox model per column, the columns with
/// p < `threshold` kept (`selected[j]` = 1, else 0), then the multivariable model on them
/// (R: `coxph(Surv ~ x_j)` for each j, then `coxph(Surv ~ kept columns)`).
///
/// A univariable model that fails is reported in its row's `status` (not kept, with a status of
/// `ecv_cox_fit`); a failed multivariable model in `multivariable_status` (a status of
/// `ecv_cox_fit`), or `ECV_COX_NOTHING_SELECTED` there when no column passed the screen.
/// `selected` needs `n_columns` bytes.
/// `*out` and `selected` are written only on `ECV_OK`. `options` may be NULL.
///
/// Statuses: those of `ecv_cox_fit` about the inputs (not the fit failures), plus
/// `ECV_BUFFER_TOO_SMALL` (`selected_len` < `n_columns`).
///
/// # Safety
/// As `ecv_cox_fit`; `selected` points to `selected_len` writable bytes, `out` to one writable
/// `ecv_cox_screen_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_cox_screen(
    time: *const f64,
    event: *const u8,
    n: usize,
    covariates: *const f64,
    n_columns: usize,
    strata: *const u32,
    weights: *const f64,
    options: *const EcvCoxScreenOptions,
    index_scratch: *mut u32,
    index_scratch_len: usize,
    values_scratch: *mut f64,
    values_scratch_len: usize,
    selected: *mut u8,
    selected_len: usize,
    out: *mut ScreenResult,
) -> Status {
    let inputs = Inputs {
        time,
        event,
        n,
        covariates,
        n_columns,
        strata,
        weights,
        index_scratch,
        index_scratch_len,
        values_scratch,
        values_scratch_len,
    };
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let options = read_or_default(options)?.to_core()?;
        let (data, mut scratch) = inputs.slices(&[Span::of(selected, selected_len)])?;
        let selected = output_slice(selected, selected_len)?;
        let screen = univariable_screen(&data, &options, selected, &mut scratch)?;
        out.write(screen);
        Ok(())
    })();
    status_of(result)
}

/// Subgroup analysis for a forest plot: the Cox model of column `group_column` alone, overall
/// and within each level (distinct value) of column `subgroup_column`, and the interaction tests
/// (joint Wald and likelihood ratio, K − 1 df) from
/// `Surv ~ group + factor(sub) + group:factor(sub)`.
///
/// A level whose model fails is reported in its row's `status`; failed interaction models in
/// `interaction_status` (`ECV_COX_ONE_SUBGROUP_LEVEL` when the subgroup column has a single
/// value, `ECV_COX_LIKELIHOOD_BELOW_START` also when the model with the products ends below the
/// maximum of the model without them, which it nests, else a status of `ecv_cox_fit`). `*out` is written only on `ECV_OK`. `options` may be
/// NULL.
///
/// Statuses: those of `ecv_cox_fit` about the inputs, plus `ECV_INVALID_OPTION` (same column
/// twice, or a column ≥ n_columns) and `ECV_COX_TOO_MANY_SUBGROUP_LEVELS`.
///
/// # Safety
/// As `ecv_cox_fit`; `out` points to one writable `ecv_cox_subgroup_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_cox_subgroup(
    time: *const f64,
    event: *const u8,
    n: usize,
    covariates: *const f64,
    n_columns: usize,
    strata: *const u32,
    weights: *const f64,
    group_column: usize,
    subgroup_column: usize,
    options: *const EcvCoxOptions,
    index_scratch: *mut u32,
    index_scratch_len: usize,
    values_scratch: *mut f64,
    values_scratch_len: usize,
    out: *mut SubgroupResult,
) -> Status {
    let inputs = Inputs {
        time,
        event,
        n,
        covariates,
        n_columns,
        strata,
        weights,
        index_scratch,
        index_scratch_len,
        values_scratch,
        values_scratch_len,
    };
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let options = read_or_default(options)?.to_core()?;
        let (data, mut scratch) = inputs.slices(&[])?;
        let subgroups =
            subgroup_effects(&data, group_column, subgroup_column, &options, &mut scratch)?;
        out.write(subgroups);
        Ok(())
    })();
    status_of(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_convert_back() {
        assert_eq!(
            EcvCoxOptions::default().to_core(),
            Ok(CoxOptions::default())
        );
        assert_eq!(
            EcvCoxScreenOptions::default().to_core(),
            Ok(ScreenOptions::default())
        );
        let bad = EcvCoxOptions {
            ties: 7,
            ..EcvCoxOptions::default()
        };
        assert_eq!(bad.to_core(), Err(Status::InvalidEnumValue));
    }
}
