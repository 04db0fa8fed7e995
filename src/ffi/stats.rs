//! C ABI of [`crate::stats`]: Spearman, Pearson, ICC, t, Wilcoxon, χ², Fisher, quantiles,
//! median / IQR, mean / SD.
//!
//! Rank statistics take caller scratch: `ecv_rank_scratch_values_needed(n)` doubles and
//! `ecv_rank_scratch_indices_needed(n)` `uint32_t` (2n each); quantiles and the median take n
//! doubles. Scratch must not overlap the inputs (`ECV_BUFFERS_OVERLAP`).

use super::{
    aliased, input_slice, output_slice, read_or_default, require_output, status_of, write_output,
    Span,
};
use crate::stats::{
    chi_square, fisher_exact_2x2, icc, mean_sd, median_iqr, pearson, quantile_type7, spearman,
    t_test, wilcoxon_rank_sum, Alternative, ChiSquareTest, ContingencyTable, Continuity,
    FisherTest, IccOptions, IccTable, MeanSd, MedianIqr, PearsonOptions, PearsonTest, RankScratch,
    RatingMatrix, SpearmanMethod, SpearmanOptions, SpearmanTest, TTest, TTestOptions,
    TTestVariance, WilcoxonMethod, WilcoxonOptions, WilcoxonTest,
};
use crate::Status;

/// Options of `ecv_spearman` as C passes them: `alternative` is an `ecv_alternative`, `method`
/// an `ecv_spearman_method` (both `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EcvSpearmanOptions {
    /// `ECV_ALTERNATIVE_TWO_SIDED` (default), `_LESS` or `_GREATER`.
    pub alternative: u32,
    /// `ECV_SPEARMAN_METHOD_AUTO` (default, R's) or `ECV_SPEARMAN_METHOD_T_APPROXIMATION`.
    pub method: u32,
}

impl Default for EcvSpearmanOptions {
    fn default() -> Self {
        ecv_spearman_options_default()
    }
}

/// Options of `ecv_pearson`: `alternative` an `ecv_alternative`; `conf_level` in (0, 1).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvPearsonOptions {
    /// `ECV_ALTERNATIVE_TWO_SIDED` (default), `_LESS` or `_GREATER`.
    pub alternative: u32,
    /// Confidence level of the Fisher-z interval (0.95 by default).
    pub conf_level: f64,
}

impl Default for EcvPearsonOptions {
    fn default() -> Self {
        ecv_pearson_options_default()
    }
}

/// Options of `ecv_t_test`: `alternative` an `ecv_alternative`, `variance` an
/// `ecv_t_test_variance`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvTTestOptions {
    /// `ECV_ALTERNATIVE_TWO_SIDED` (default), `_LESS` or `_GREATER`.
    pub alternative: u32,
    /// `ECV_T_TEST_VARIANCE_WELCH` (default) or `ECV_T_TEST_VARIANCE_POOLED` (Student).
    pub variance: u32,
    /// Difference in means under the null hypothesis (0 by default).
    pub mu: f64,
    /// Confidence level of the interval (0.95 by default).
    pub conf_level: f64,
}

impl Default for EcvTTestOptions {
    fn default() -> Self {
        ecv_t_test_options_default()
    }
}

/// Options of `ecv_wilcoxon_rank_sum`: `alternative` an `ecv_alternative`, `continuity` an
/// `ecv_continuity`, `method` an `ecv_wilcoxon_method`.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvWilcoxonOptions {
    /// `ECV_ALTERNATIVE_TWO_SIDED` (default), `_LESS` or `_GREATER`.
    pub alternative: u32,
    /// `ECV_CONTINUITY_CORRECTED` (default) or `ECV_CONTINUITY_UNCORRECTED`.
    pub continuity: u32,
    /// `ECV_WILCOXON_METHOD_AUTO` (default) or `ECV_WILCOXON_METHOD_NORMAL_APPROXIMATION`.
    pub method: u32,
    /// Location shift under the null hypothesis (0 by default).
    pub mu: f64,
}

impl Default for EcvWilcoxonOptions {
    fn default() -> Self {
        ecv_wilcoxon_options_default()
    }
}

/// Defaults of `ecv_spearman`: two-sided, R's automatic choice of p-value.
#[no_mangle]
pub extern "C" fn ecv_spearman_options_default() -> EcvSpearmanOptions {
    EcvSpearmanOptions {
        alternative: Alternative::TwoSided as u32,
        method: SpearmanMethod::Auto as u32,
    }
}

/// Defaults of `ecv_pearson`: two-sided, 95 % interval.
#[no_mangle]
pub extern "C" fn ecv_pearson_options_default() -> EcvPearsonOptions {
    EcvPearsonOptions {
        alternative: Alternative::TwoSided as u32,
        conf_level: 0.95,
    }
}

/// Defaults of `ecv_icc`: 95 % intervals.
#[no_mangle]
pub extern "C" fn ecv_icc_options_default() -> IccOptions {
    IccOptions::default()
}

/// Defaults of `ecv_t_test`: Welch, two-sided, mu = 0, 95 % interval.
#[no_mangle]
pub extern "C" fn ecv_t_test_options_default() -> EcvTTestOptions {
    EcvTTestOptions {
        alternative: Alternative::TwoSided as u32,
        variance: TTestVariance::Welch as u32,
        mu: 0.0,
        conf_level: 0.95,
    }
}

/// Defaults of `ecv_wilcoxon_rank_sum`: two-sided, continuity-corrected, R's automatic exact /
/// normal choice, mu = 0.
#[no_mangle]
pub extern "C" fn ecv_wilcoxon_options_default() -> EcvWilcoxonOptions {
    EcvWilcoxonOptions {
        alternative: Alternative::TwoSided as u32,
        continuity: Continuity::Corrected as u32,
        method: WilcoxonMethod::Auto as u32,
        mu: 0.0,
    }
}

/// Doubles of scratch that `ecv_spearman` and `ecv_wilcoxon_rank_sum` need for n observations
/// in all (2n).
#[no_mangle]
pub extern "C" fn ecv_rank_scratch_values_needed(n: usize) -> usize {
    RankScratch::values_needed(n)
}

/// `uint32_t`s of scratch that `ecv_spearman` and `ecv_wilcoxon_rank_sum` need for n
/// observations in all (2n).
#[no_mangle]
pub extern "C" fn ecv_rank_scratch_indices_needed(n: usize) -> usize {
    RankScratch::indices_needed(n)
}

/// Builds the rank scratch from C pointers after checking it overlaps none of the `inputs`
/// (pointer, length) pairs.
///
/// # Safety
/// As `output_slice` for both pairs.
unsafe fn rank_scratch<'a>(
    values: *mut f64,
    values_len: usize,
    indices: *mut u32,
    indices_len: usize,
    inputs: &[(*const f64, usize)],
) -> Result<RankScratch<'a>, Status> {
    let writable = [Span::of(values, values_len), Span::of(indices, indices_len)];
    let overlap = inputs
        .iter()
        .any(|&(p, n)| aliased(&writable, &[Span::of(p, n)]));
    if overlap || aliased(&writable, &[]) {
        return Err(Status::BuffersOverlap);
    }
    // SAFETY: forwarded from the caller; no overlap with the inputs (checked).
    let values = unsafe { output_slice(values, values_len) }?;
    // SAFETY: as above.
    let indices = unsafe { output_slice(indices, indices_len) }?;
    Ok(RankScratch { values, indices })
}

/// Spearman's rank correlation test, R's `cor.test(x, y, method = "spearman")`: ρ from
/// mid-ranks, S = (n³ − n)(1 − ρ)/6, p by AS 89 (no ties, n ≤ 1290: exact for n ≤ 9, Edgeworth
/// above) or the t approximation (ties, n > 1290). `x`, `y`: n values each. Scratch:
/// `ecv_rank_scratch_values_needed(n)` doubles and `ecv_rank_scratch_indices_needed(n)`
/// `uint32_t`. `options` may be NULL (defaults).
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_TOO_FEW_OBSERVATIONS` (n < 2; n < 3 with
/// the t approximation), `ECV_NOT_FINITE`, `ECV_SCRATCH_TOO_SMALL`, `ECV_BUFFERS_OVERLAP`,
/// `ECV_INVALID_ENUM_VALUE`, `ECV_ZERO_VARIANCE` (all x or all y tied).
///
/// # Safety
/// Non-NULL pointers point to the number of elements given; scratch is writable; `out` points
/// to one writable `ecv_spearman_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_spearman(
    x: *const f64,
    y: *const f64,
    n: usize,
    options: *const EcvSpearmanOptions,
    scratch_values: *mut f64,
    scratch_values_len: usize,
    scratch_indices: *mut u32,
    scratch_indices_len: usize,
    out: *mut SpearmanTest,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let mut scratch = rank_scratch(
            scratch_values,
            scratch_values_len,
            scratch_indices,
            scratch_indices_len,
            &[(x, n), (y, n)],
        )?;
        let x = input_slice(x, n)?;
        let y = input_slice(y, n)?;
        let o = read_or_default(options)?;
        let options = SpearmanOptions {
            alternative: Alternative::try_from(o.alternative)?,
            method: SpearmanMethod::try_from(o.method)?,
        };
        let t = spearman(x, y, &options, &mut scratch)?;
        write_output(out, t)
    })();
    status_of(result)
}

/// Pearson's correlation test, R's `cor.test(x, y)`: r, t with n − 2 df, p, and the Fisher-z
/// interval (NaN bounds when n = 3). `options` may be NULL.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_TOO_FEW_OBSERVATIONS` (n < 3),
/// `ECV_NOT_FINITE`, `ECV_INVALID_OPTION` (conf_level), `ECV_INVALID_ENUM_VALUE`,
/// `ECV_ZERO_VARIANCE`.
///
/// # Safety
/// `x`, `y` point to n values each (or are NULL with n = 0); `out` to one writable
/// `ecv_pearson_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_pearson(
    x: *const f64,
    y: *const f64,
    n: usize,
    options: *const EcvPearsonOptions,
    out: *mut PearsonTest,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let x = input_slice(x, n)?;
        let y = input_slice(y, n)?;
        let o = read_or_default(options)?;
        let options = PearsonOptions {
            alternative: Alternative::try_from(o.alternative)?,
            conf_level: o.conf_level,
        };
        write_output(out, pearson(x, y, &options)?)
    })();
    status_of(result)
}

/// The six ICCs of `psych::ICC(x, lmer = FALSE)` for a rating matrix of `subjects` rows and
/// `raters` columns, row-major (`ratings[i * raters + j]`). `options` may be NULL (95 %).
/// `out->forms[ECV_ICC_TYPE_ICC2]` is ICC(A,1), and so on.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_TOO_FEW_OBSERVATIONS` (< 2 subjects),
/// `ECV_TOO_FEW_RATERS` (< 2 raters), `ECV_TOO_MANY_ELEMENTS` (subjects · raters overflows),
/// `ECV_NOT_FINITE` (a missing rating as NaN), `ECV_INVALID_OPTION`, `ECV_ZERO_VARIANCE`.
///
/// # Safety
/// `ratings` points to subjects · raters values; `out` to one writable `ecv_icc_table`.
#[no_mangle]
pub unsafe extern "C" fn ecv_icc(
    ratings: *const f64,
    subjects: usize,
    raters: usize,
    options: *const IccOptions,
    out: *mut IccTable,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let len = subjects
            .checked_mul(raters)
            .ok_or(Status::TooManyElements)?;
        let values = input_slice(ratings, len)?;
        let options = read_or_default(options)?;
        let table = icc(RatingMatrix::new(values, subjects, raters)?, &options)?;
        write_output(out, table)
    })();
    status_of(result)
}

/// The two-sample t test, R's `t.test(x, y)` (Welch by default; Student with
/// `ECV_T_TEST_VARIANCE_POOLED`). `options` may be NULL.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_TOO_FEW_OBSERVATIONS` (Welch: a sample
/// below 2; Student: fewer than 3 in all), `ECV_NOT_FINITE`, `ECV_INVALID_OPTION`,
/// `ECV_INVALID_ENUM_VALUE`, `ECV_ZERO_VARIANCE` (data essentially constant).
///
/// # Safety
/// `x` points to `n_x` values, `y` to `n_y`; `out` to one writable `ecv_t_test_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_t_test(
    x: *const f64,
    n_x: usize,
    y: *const f64,
    n_y: usize,
    options: *const EcvTTestOptions,
    out: *mut TTest,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let x = input_slice(x, n_x)?;
        let y = input_slice(y, n_y)?;
        let o = read_or_default(options)?;
        let options = TTestOptions {
            alternative: Alternative::try_from(o.alternative)?,
            variance: TTestVariance::try_from(o.variance)?,
            mu: o.mu,
            conf_level: o.conf_level,
        };
        write_output(out, t_test(x, y, &options)?)
    })();
    status_of(result)
}

/// The Wilcoxon rank-sum test, R's `wilcox.test(x, y)`: exact for samples below 50 without ties,
/// otherwise the normal approximation with tie correction (and continuity correction unless
/// `ECV_CONTINUITY_UNCORRECTED`). Scratch for n = n_x + n_y as `ecv_spearman`. `options` may be
/// NULL.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE`, `ECV_SCRATCH_TOO_SMALL`,
/// `ECV_BUFFERS_OVERLAP`, `ECV_INVALID_ENUM_VALUE`, `ECV_ZERO_VARIANCE` (every value tied).
///
/// # Safety
/// As `ecv_spearman`, with `x` of `n_x` and `y` of `n_y` values; `out` to one writable
/// `ecv_wilcoxon_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_wilcoxon_rank_sum(
    x: *const f64,
    n_x: usize,
    y: *const f64,
    n_y: usize,
    options: *const EcvWilcoxonOptions,
    scratch_values: *mut f64,
    scratch_values_len: usize,
    scratch_indices: *mut u32,
    scratch_indices_len: usize,
    out: *mut WilcoxonTest,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let mut scratch = rank_scratch(
            scratch_values,
            scratch_values_len,
            scratch_indices,
            scratch_indices_len,
            &[(x, n_x), (y, n_y)],
        )?;
        let x = input_slice(x, n_x)?;
        let y = input_slice(y, n_y)?;
        let o = read_or_default(options)?;
        let options = WilcoxonOptions {
            alternative: Alternative::try_from(o.alternative)?,
            continuity: Continuity::try_from(o.continuity)?,
            method: WilcoxonMethod::try_from(o.method)?,
            mu: o.mu,
        };
        write_output(out, wilcoxon_rank_sum(x, y, &options, &mut scratch)?)
    })();
    status_of(result)
}

/// Pearson's χ² test of independence for a `rows` × `cols` table of counts (row-major), R's
/// `chisq.test(x, correct)`. `continuity` is an `ecv_continuity`: Yates' correction applies to
/// 2 × 2 tables only, as in R.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_TABLE_TOO_SMALL`,
/// `ECV_TOO_MANY_ELEMENTS` (rows · cols overflows), `ECV_NOT_FINITE`, `ECV_NEGATIVE_COUNT`,
/// `ECV_EMPTY_TABLE`, `ECV_ZERO_MARGINAL`, `ECV_INVALID_ENUM_VALUE`.
///
/// # Safety
/// `counts` points to rows · cols values; `out` to one writable `ecv_chi_square_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_chi_square(
    counts: *const f64,
    rows: usize,
    cols: usize,
    continuity: u32,
    out: *mut ChiSquareTest,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let len = rows.checked_mul(cols).ok_or(Status::TooManyElements)?;
        let counts = input_slice(counts, len)?;
        let continuity = Continuity::try_from(continuity)?;
        let table = ContingencyTable::new(counts, rows, cols)?;
        write_output(out, chi_square(table, continuity)?)
    })();
    status_of(result)
}

/// Fisher's exact test for a 2 × 2 table (row-major `counts[4]` = a, b, c, d; `rows` = `cols` =
/// 2), R's `fisher.test(x)`: the two-sided, less and greater p-values.
///
/// Statuses: as `ecv_chi_square` (except `ECV_ZERO_MARGINAL`), plus `ECV_TABLE_NOT_TWO_BY_TWO` and
/// `ECV_NON_INTEGER_COUNT`.
///
/// # Safety
/// `counts` points to rows · cols values; `out` to one writable `ecv_fisher_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_fisher_exact_2x2(
    counts: *const f64,
    rows: usize,
    cols: usize,
    out: *mut FisherTest,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let len = rows.checked_mul(cols).ok_or(Status::TooManyElements)?;
        let counts = input_slice(counts, len)?;
        let table = ContingencyTable::new(counts, rows, cols)?;
        write_output(out, fisher_exact_2x2(table)?)
    })();
    status_of(result)
}

/// Quantiles by R's type 7 (`quantile(x, probs)`): `out[i]` gets the quantile at `probs[i]`.
/// `out_capacity` ≥ `n_probs`; `scratch` holds at least n doubles (a sorted copy of `x` is left
/// there). Neither may overlap the inputs or each other.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE`, `ECV_INVALID_OPTION` (a
/// probability outside [0, 1]), `ECV_BUFFER_TOO_SMALL`, `ECV_SCRATCH_TOO_SMALL`,
/// `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// Each pointer is NULL with a zero length or points to that many elements; `out` and `scratch`
/// are writable.
#[no_mangle]
pub unsafe extern "C" fn ecv_quantile_type7(
    x: *const f64,
    n: usize,
    probs: *const f64,
    n_probs: usize,
    out: *mut f64,
    out_capacity: usize,
    scratch: *mut f64,
    scratch_len: usize,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        let writable = [Span::of(out, out_capacity), Span::of(scratch, scratch_len)];
        if aliased(&writable, &[Span::of(x, n), Span::of(probs, n_probs)]) {
            return Err(Status::BuffersOverlap);
        }
        let x = input_slice(x, n)?;
        let probs = input_slice(probs, n_probs)?;
        let out = output_slice(out, out_capacity)?;
        let scratch = output_slice(scratch, scratch_len)?;
        quantile_type7(x, probs, out, scratch)
    })();
    status_of(result)
}

/// Median, quartiles (type 7), IQR, minimum and maximum of `x` (R's `median`, `quantile`,
/// `IQR`). `scratch` holds at least n doubles and must not overlap `x`.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE`, `ECV_SCRATCH_TOO_SMALL`,
/// `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// `x` points to n values, `scratch` to `scratch_len` writable doubles, `out` to one writable
/// `ecv_median_iqr_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_median_iqr(
    x: *const f64,
    n: usize,
    scratch: *mut f64,
    scratch_len: usize,
    out: *mut MedianIqr,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        if aliased(&[Span::of(scratch, scratch_len)], &[Span::of(x, n)]) {
            return Err(Status::BuffersOverlap);
        }
        let x = input_slice(x, n)?;
        let scratch = output_slice(scratch, scratch_len)?;
        write_output(out, median_iqr(x, scratch)?)
    })();
    status_of(result)
}

/// Mean and sample standard deviation of `x` (R's `mean`, `sd`; sd is NaN when n = 1).
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE`.
///
/// # Safety
/// `x` points to n values; `out` to one writable `ecv_mean_sd_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_mean_sd(x: *const f64, n: usize, out: *mut MeanSd) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let x = input_slice(x, n)?;
        write_output(out, mean_sd(x)?)
    })();
    status_of(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr::{null, null_mut};

    #[test]
    fn defaults_match_the_core() {
        let s = ecv_spearman_options_default();
        assert_eq!(s.alternative, Alternative::default() as u32);
        assert_eq!(s.method, SpearmanMethod::default() as u32);
        let w = ecv_wilcoxon_options_default();
        let core = WilcoxonOptions::default();
        assert_eq!(w.continuity, core.continuity as u32);
        assert_eq!(w.mu, core.mu);
        let t = ecv_t_test_options_default();
        assert_eq!(t.conf_level, TTestOptions::default().conf_level);
        assert_eq!(
            ecv_pearson_options_default().conf_level,
            PearsonOptions::default().conf_level
        );
        assert_eq!(ecv_rank_scratch_values_needed(5), 10);
        assert_eq!(ecv_rank_scratch_indices_needed(5), 10);
    }

    #[test]
    fn scratch_aliasing_an_input_is_refused() {
        let mut buf = [1.0, 2.0, 3.0, 4.0, 0.0, 0.0, 0.0, 0.0];
        let mut idx = [0u32; 8];
        let mut out = SpearmanTest::default();
        let p = buf.as_mut_ptr();
        // SAFETY: every pointer is valid for the length given; the aliasing is what is tested.
        let s = unsafe { ecv_spearman(p, p, 2, null(), p, 8, idx.as_mut_ptr(), 8, &mut out) };
        assert_eq!(s, Status::BuffersOverlap);
        assert_eq!(out, SpearmanTest::default());
    }

    #[test]
    fn bad_enum_and_null_output() {
        let x = [1.0, 2.0, 3.0];
        let mut out = TTest::default();
        let bad = EcvTTestOptions {
            variance: 7,
            ..ecv_t_test_options_default()
        };
        // SAFETY: valid pointers.
        let s = unsafe { ecv_t_test(x.as_ptr(), 3, x.as_ptr(), 3, &bad, &mut out) };
        assert_eq!(s, Status::InvalidEnumValue);
        // SAFETY: the null output is what is tested.
        let s = unsafe { ecv_t_test(x.as_ptr(), 3, x.as_ptr(), 3, null(), null_mut()) };
        assert_eq!(s, Status::NullPointer);
    }
}
