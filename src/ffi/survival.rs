//! C ABI of [`crate::survival`]: Kaplan-Meier tables, survival at times and numbers at risk,
//! the restricted mean, and the log-rank test.
//!
//! Survival data arrive as `time` (`double`, finite, ≥ 0) and `event` (`uint8_t`, 1 = event,
//! 0 = censored) arrays of length `n`. Every function sorts a copy of the data in the caller's
//! `scratch` (`uint64_t`, at least `ecv_survival_scratch_len(n)` = 4n elements) and never
//! modifies the inputs.

use super::{
    aliased, input_slice, output_slice, read_or_default, require_output, status_of, write_output,
    Span,
};
use crate::survival::{
    km_rows_needed, km_scratch_len, log_rank, ConfType, Groups, KaplanMeier, KmOptions, KmPoint,
    KmRow, KmSummary, LogRankOptions, LogRankOutput, LogRankTest, RestrictedMean, TimeMatching,
};
use crate::Status;

/// Options of the Kaplan-Meier functions, as C passes them.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvKmOptions {
    /// `ECV_CONF_TYPE_PLAIN`, `ECV_CONF_TYPE_LOG` (default, R's) or `ECV_CONF_TYPE_LOG_LOG`.
    pub conf_type: u32,
    /// Confidence level in (0, 1); default 0.95.
    pub conf_level: f64,
    /// `ECV_TIME_MATCHING_R_TIMEFIX` (default: R's `timefix = TRUE`) or
    /// `ECV_TIME_MATCHING_EXACT`.
    pub time_matching: u32,
}

impl Default for EcvKmOptions {
    fn default() -> Self {
        let core = KmOptions::default();
        EcvKmOptions {
            conf_type: core.conf_type as u32,
            conf_level: core.conf_level,
            time_matching: core.time_matching as u32,
        }
    }
}

impl EcvKmOptions {
    fn to_core(self) -> Result<KmOptions, Status> {
        Ok(KmOptions {
            conf_type: ConfType::try_from(self.conf_type)?,
            conf_level: self.conf_level,
            time_matching: TimeMatching::try_from(self.time_matching)?,
        })
    }
}

/// Options of the log-rank test, as C passes them.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvLogRankOptions {
    /// Fleming–Harrington ρ ≥ 0 (R's `rho`): 0 (default) is the log-rank test, 1 Peto & Peto.
    pub rho: f64,
    /// `ECV_TIME_MATCHING_R_TIMEFIX` (default) or `ECV_TIME_MATCHING_EXACT`.
    pub time_matching: u32,
}

impl Default for EcvLogRankOptions {
    fn default() -> Self {
        let core = LogRankOptions::default();
        EcvLogRankOptions {
            rho: core.rho,
            time_matching: core.time_matching as u32,
        }
    }
}

impl EcvLogRankOptions {
    fn to_core(self) -> Result<LogRankOptions, Status> {
        Ok(LogRankOptions {
            rho: self.rho,
            time_matching: TimeMatching::try_from(self.time_matching)?,
        })
    }
}

/// The most groups `ecv_logrank` compares (the core's `survival::MAX_GROUPS`; a literal so that
/// cbindgen can print it, checked by a test).
pub const ECV_LOGRANK_MAX_GROUPS: usize = 32;

/// The default Kaplan-Meier options: log band (R's default), 95 %, R's time matching.
#[no_mangle]
pub extern "C" fn ecv_km_options_default() -> EcvKmOptions {
    EcvKmOptions::default()
}

/// The default log-rank options: ρ = 0, R's time matching.
#[no_mangle]
pub extern "C" fn ecv_logrank_options_default() -> EcvLogRankOptions {
    EcvLogRankOptions::default()
}

/// The number of `uint64_t` scratch elements every survival function needs for `n` subjects:
/// 4n (saturating at `SIZE_MAX`).
#[no_mangle]
pub extern "C" fn ecv_survival_scratch_len(n: usize) -> usize {
    km_scratch_len(n)
}

/// Times, events and scratch.
type SurvivalSlices<'a> = (&'a [f64], &'a [u8], &'a mut [u64]);

/// The survival inputs and the scratch as slices. `other_writable` and `other_readable` are the
/// caller's other buffers: every overlap among them, the data and the scratch is checked on the
/// raw pointers before any slice exists.
///
/// # Safety
/// As the extern functions: `time` and `event` point to `n` readable values (or are NULL with
/// n = 0), `scratch` to `scratch_len` writable `uint64_t`.
unsafe fn survival_slices<'a>(
    time: *const f64,
    event: *const u8,
    n: usize,
    scratch: *mut u64,
    scratch_len: usize,
    other_writable: &[Span],
    other_readable: &[Span],
) -> Result<SurvivalSlices<'a>, Status> {
    let data = [Span::of(time, n), Span::of(event, n)];
    let scratch_span = [Span::of(scratch, scratch_len)];
    // writable = scratch + other_writable; readable = data + other_readable
    if aliased(&scratch_span, &data)
        || aliased(&scratch_span, other_readable)
        || aliased(other_writable, &data)
        || aliased(other_writable, other_readable)
        || aliased(other_writable, &scratch_span)
    {
        return Err(Status::BuffersOverlap);
    }
    // SAFETY: the caller guarantees the lengths; the helpers check NULL and alignment; no
    // writable buffer overlaps another buffer (checked above).
    let (time, event, scratch) = unsafe {
        (
            input_slice(time, n)?,
            input_slice(event, n)?,
            output_slice(scratch, scratch_len)?,
        )
    };
    Ok((time, event, scratch))
}

/// The number of rows `ecv_km_estimate` will write for these data (the distinct times).
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT` (n = 0), `ECV_NOT_FINITE` (NaN/inf time),
/// `ECV_NEGATIVE_TIME`, `ECV_EVENT_NOT_BINARY`, `ECV_INVALID_ENUM_VALUE` (time_matching),
/// `ECV_SCRATCH_TOO_SMALL`, `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// `time` and `event` point to `n` readable values; `scratch` to `scratch_len` writable
/// `uint64_t`; `rows_needed` to one writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn ecv_km_rows_needed(
    time: *const f64,
    event: *const u8,
    n: usize,
    time_matching: u32,
    scratch: *mut u64,
    scratch_len: usize,
    rows_needed: *mut usize,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(rows_needed)?;
        let matching = TimeMatching::try_from(time_matching)?;
        let (time, event, scratch) =
            survival_slices(time, event, n, scratch, scratch_len, &[], &[])?;
        let rows = km_rows_needed(time, event, matching, scratch)?;
        write_output(rows_needed, rows)
    })();
    status_of(result)
}

/// The Kaplan-Meier table (R: `survfit(Surv(time, event) ~ 1, conf.type, conf.int)`): one
/// `ecv_km_row` per distinct time into `rows[0..rows_needed]`, and `*summary` (rows, n,
/// events, median survival with its CI by R's `print.survfit` rule; NaN = NA).
///
/// `options` may be NULL (defaults). `*rows_needed` is written on `ECV_OK` and on
/// `ECV_BUFFER_TOO_SMALL` (then nothing else is written): call again with that capacity.
///
/// Statuses: those of `ecv_km_rows_needed`, plus `ECV_BUFFER_TOO_SMALL`, `ECV_INVALID_OPTION`
/// (conf_level not in (0, 1)), `ECV_INVALID_ENUM_VALUE` (conf_type), `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// `time` and `event` point to `n` readable values; `scratch` to `scratch_len` writable
/// `uint64_t`; `rows` to `rows_capacity` writable rows (NULL allowed when the capacity is 0);
/// `rows_needed` and `summary` to one writable value each; `options` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn ecv_km_estimate(
    time: *const f64,
    event: *const u8,
    n: usize,
    options: *const EcvKmOptions,
    scratch: *mut u64,
    scratch_len: usize,
    rows: *mut KmRow,
    rows_capacity: usize,
    rows_needed: *mut usize,
    summary: *mut KmSummary,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(rows_needed)?;
        require_output(summary)?;
        let options = read_or_default(options)?.to_core()?;
        let rows_span = Span::of(rows, rows_capacity);
        let (time, event, scratch) =
            survival_slices(time, event, n, scratch, scratch_len, &[rows_span], &[])?;
        let rows = output_slice(rows, rows_capacity)?;
        let km = KaplanMeier::new(time, event, &options, scratch)?;
        let needed = km.row_count();
        if rows.len() < needed {
            write_output(rows_needed, needed)?;
            return Err(Status::BufferTooSmall);
        }
        let written = km.write_rows(rows)?;
        write_output(rows_needed, written)?;
        write_output(
            summary,
            KmSummary {
                rows: written,
                n: km.n(),
                events: km.events(),
                median: km.median(),
            },
        )
    })();
    status_of(result)
}

/// The Kaplan-Meier estimate at each of `at_times` (any order; R: `summary(fit, times,
/// extend = TRUE)`): per time, the number at risk (the table under a KM plot), S(t), its
/// standard errors and confidence limits, into `points[0..n_times]`.
///
/// Statuses: those of `ecv_km_estimate`; `ECV_NOT_FINITE` also for a NaN/inf time in
/// `at_times`; `ECV_BUFFER_TOO_SMALL` when `points_capacity < n_times`.
///
/// # Safety
/// As `ecv_km_estimate`; `at_times` points to `n_times` readable values, `points` to
/// `points_capacity` writable `ecv_km_point`.
#[no_mangle]
pub unsafe extern "C" fn ecv_km_at_times(
    time: *const f64,
    event: *const u8,
    n: usize,
    options: *const EcvKmOptions,
    scratch: *mut u64,
    scratch_len: usize,
    at_times: *const f64,
    n_times: usize,
    points: *mut KmPoint,
    points_capacity: usize,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        let options = read_or_default(options)?.to_core()?;
        let (time, event, scratch) = survival_slices(
            time,
            event,
            n,
            scratch,
            scratch_len,
            &[Span::of(points, points_capacity)],
            &[Span::of(at_times, n_times)],
        )?;
        let at_times = input_slice(at_times, n_times)?;
        let points = output_slice(points, points_capacity)?;
        if at_times.iter().any(|t| !t.is_finite()) {
            return Err(Status::NotFinite);
        }
        let points = points.get_mut(..n_times).ok_or(Status::BufferTooSmall)?;
        let km = KaplanMeier::new(time, event, &options, scratch)?;
        for (p, &t) in points.iter_mut().zip(at_times) {
            *p = km.survival_at(t)?;
        }
        Ok(())
    })();
    status_of(result)
}

/// The restricted mean survival time up to `tau` and its standard error (R: `print(fit,
/// rmean = tau)`), into `*out`.
///
/// Statuses: those of `ecv_km_estimate`; `ECV_NOT_FINITE` (tau), `ECV_INVALID_OPTION` (tau < 0).
///
/// # Safety
/// As `ecv_km_estimate`; `out` points to one writable `ecv_restricted_mean`.
#[no_mangle]
pub unsafe extern "C" fn ecv_km_restricted_mean(
    time: *const f64,
    event: *const u8,
    n: usize,
    options: *const EcvKmOptions,
    scratch: *mut u64,
    scratch_len: usize,
    tau: f64,
    out: *mut RestrictedMean,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(out)?;
        let options = read_or_default(options)?.to_core()?;
        let (time, event, scratch) =
            survival_slices(time, event, n, scratch, scratch_len, &[], &[])?;
        let km = KaplanMeier::new(time, event, &options, scratch)?;
        let mean = km.restricted_mean(tau)?;
        write_output(out, mean)
    })();
    status_of(result)
}

/// The log-rank test (ρ = 0) or Fleming–Harrington test comparing `n_groups` groups, stratified
/// when `strata` is not NULL: R's `survdiff(Surv(time, event) ~ group + strata(strata), rho)`.
///
/// `group[i]` < `n_groups` (2 ≤ `n_groups` ≤ `ECV_LOGRANK_MAX_GROUPS`) labels subject i; a label
/// without subjects is allowed (O = E = 0). `strata` (NULL or `n` labels, any values). Outputs:
/// `observed` and `expected` (at least `n_groups` doubles each, `groups_capacity`), `variance`
/// (at least `n_groups`² doubles, row-major, `variance_capacity`) and `*test` (χ², df, p,
/// strata). `options` may be NULL.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE` (time or rho),
/// `ECV_INVALID_OPTION` (rho < 0), `ECV_NEGATIVE_TIME`, `ECV_EVENT_NOT_BINARY`, `ECV_GROUP_OUT_OF_RANGE`, `ECV_TOO_MANY_GROUPS`,
/// `ECV_SINGLE_GROUP` (fewer than two groups have subjects), `ECV_NO_EVENTS` (all censored),
/// `ECV_BUFFER_TOO_SMALL`, `ECV_SCRATCH_TOO_SMALL`, `ECV_SINGULAR_VARIANCE`,
/// `ECV_INVALID_ENUM_VALUE`, `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// `time`, `event`, `group` (and `strata` unless NULL) point to `n` readable values; `scratch`
/// to `scratch_len` writable `uint64_t`; `observed`/`expected` to `groups_capacity` and
/// `variance` to `variance_capacity` writable doubles; `test` to one writable
/// `ecv_logrank_test`; `options` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn ecv_logrank(
    time: *const f64,
    event: *const u8,
    group: *const u32,
    n: usize,
    n_groups: usize,
    strata: *const u32,
    options: *const EcvLogRankOptions,
    scratch: *mut u64,
    scratch_len: usize,
    observed: *mut f64,
    expected: *mut f64,
    groups_capacity: usize,
    variance: *mut f64,
    variance_capacity: usize,
    test: *mut LogRankTest,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(test)?;
        if observed.is_null() || expected.is_null() || variance.is_null() {
            return Err(Status::NullPointer);
        }
        let options = read_or_default(options)?.to_core()?;
        let (time, event, scratch) = survival_slices(
            time,
            event,
            n,
            scratch,
            scratch_len,
            &[
                Span::of(observed, groups_capacity),
                Span::of(expected, groups_capacity),
                Span::of(variance, variance_capacity),
            ],
            &[Span::of(group, n), Span::of(strata, n)],
        )?;
        let labels = input_slice(group, n)?;
        let strata = if strata.is_null() {
            None
        } else {
            Some(input_slice(strata, n)?)
        };
        let observed = output_slice(observed, groups_capacity)?;
        let expected = output_slice(expected, groups_capacity)?;
        let variance = output_slice(variance, variance_capacity)?;
        let t = log_rank(
            time,
            event,
            Groups {
                labels,
                count: n_groups,
            },
            strata,
            &options,
            scratch,
            LogRankOutput {
                observed,
                expected,
                variance,
            },
        )?;
        write_output(test, t)
    })();
    status_of(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr::{null, null_mut};

    const T: [f64; 7] = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0];
    const E: [u8; 7] = [1, 1, 0, 1, 0, 1, 1];

    #[test]
    fn km_reports_rows_needed_and_writes_nothing_when_short() {
        let mut scratch = [0u64; 28];
        let mut rows = [KmRow::default(); 4];
        let mut needed = 0usize;
        let mut summary = KmSummary::default();
        // SAFETY: every pointer is valid for the length given.
        let s = unsafe {
            ecv_km_estimate(
                T.as_ptr(),
                E.as_ptr(),
                7,
                null(),
                scratch.as_mut_ptr(),
                28,
                rows.as_mut_ptr(),
                4,
                &mut needed,
                &mut summary,
            )
        };
        assert_eq!((s, needed), (Status::BufferTooSmall, 5));
        assert_eq!(rows, [KmRow::default(); 4]);
        assert_eq!(summary, KmSummary::default());
        let mut rows = [KmRow::default(); 5];
        // SAFETY: as above.
        let s = unsafe {
            ecv_km_estimate(
                T.as_ptr(),
                E.as_ptr(),
                7,
                null(),
                scratch.as_mut_ptr(),
                28,
                rows.as_mut_ptr(),
                5,
                &mut needed,
                &mut summary,
            )
        };
        assert_eq!(s, Status::Ok);
        assert_eq!((summary.rows, summary.n, summary.events), (5, 7, 5));
        assert_eq!(summary.median.median, 4.0);
    }

    #[test]
    fn c_constant_equals_the_core_one() {
        assert_eq!(ECV_LOGRANK_MAX_GROUPS, crate::survival::MAX_GROUPS);
    }

    #[test]
    fn scratch_may_not_alias_inputs() {
        let mut buf = [0u64; 32];
        let mut needed = 0usize;
        let p = buf.as_mut_ptr();
        // SAFETY: the event pointer reads inside buf; the aliasing is what is tested.
        let s = unsafe { ecv_km_rows_needed(T.as_ptr(), p.cast(), 7, 0, p, 32, &mut needed) };
        assert_eq!(s, Status::BuffersOverlap);
        // SAFETY: (NULL, 0) inputs are an empty slice.
        let s = unsafe { ecv_km_rows_needed(null(), null(), 0, 0, p, 32, &mut needed) };
        assert_eq!(s, Status::EmptyInput);
        // SAFETY: NULL with n > 0 is reported.
        let s = unsafe { ecv_km_rows_needed(null(), null(), 3, 0, p, 32, &mut needed) };
        assert_eq!(s, Status::NullPointer);
        // SAFETY: NULL output is reported before any work.
        let s = unsafe { ecv_km_rows_needed(T.as_ptr(), E.as_ptr(), 7, 0, p, 32, null_mut()) };
        assert_eq!(s, Status::NullPointer);
    }
}
