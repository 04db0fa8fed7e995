//! C ABI of [`crate::cutpoint`]: the one-cutpoint scan (maxstat's statistic and survdiff's χ²
//! at every split, the best split under each with Lausen 1992 / 1994 and permutation p-values),
//! the X-tile grid, and a fixed cutoff applied to a cohort.
//!
//! Data arrive as `marker` (`double`, finite), `time` (`double`, finite, ≥ 0) and `event`
//! (`uint8_t`, 1 = event, 0 = censored), `n` values each; inputs are never modified. Scratch is
//! the caller's: `reals` (`double`) and `indices` (`uint32_t`), sized by
//! `ecv_cutpoint_scratch_len` / `ecv_xtile_scratch_len`.

use super::{
    aliased, input_slice, output_slice, read_or_default, require_output, status_of, write_output,
    Span,
};
use crate::cutpoint::{
    apply_cutoff, count_cuts, lausen92_p, lausen94_p, scan_cutpoints, xtile_cell_index,
    xtile_cells, xtile_grid, CutpointData, CutpointOptions, CutpointRow, CutpointScan,
    CutpointScratch, FixedCutoff, FixedCutoffScratch, FixedCutoffScratchLen, ScratchLen, XtileCell,
    XtileSummary,
};
use crate::ffi::survival::EcvKmOptions;
use crate::survival::{ConfType, KmOptions, TimeMatching};
use crate::Status;

/// The default options: min_prop 0.1, max_prop 0.9 (maxstat's), no permutations, a fixed seed.
#[no_mangle]
pub extern "C" fn ecv_cutpoint_options_default() -> CutpointOptions {
    CutpointOptions::default()
}

/// The scratch `ecv_cutpoint_scan` and `ecv_cutpoint_rows_needed` need for n subjects:
/// 5n + 4 doubles and 6n + 1 `uint32_t` (saturating).
#[no_mangle]
pub extern "C" fn ecv_cutpoint_scratch_len(n: usize) -> ScratchLen {
    ScratchLen::for_scan(n)
}

/// The scratch `ecv_xtile_grid` needs for n subjects: 14n + 5 doubles and 8n + 2 `uint32_t`.
#[no_mangle]
pub extern "C" fn ecv_xtile_scratch_len(n: usize) -> ScratchLen {
    ScratchLen::for_xtile(n)
}

/// The scratch `ecv_cutpoint_apply` needs for n subjects: n doubles, n bytes, n `uint32_t` and
/// 4n `uint64_t` (saturating).
#[no_mangle]
pub extern "C" fn ecv_fixed_cutoff_scratch_len(n: usize) -> FixedCutoffScratchLen {
    FixedCutoffScratchLen::for_subjects(n)
}

/// An upper bound on the profile rows for n subjects, known without the data:
/// ⌊n·max_prop⌋ − max(1, ⌊n·min_prop⌋) + 1 (0 when no split is possible or the options are
/// invalid). `options` may be NULL (defaults; a misaligned pointer also gives 0).
///
/// # Safety
/// `options` is NULL or points to a valid `ecv_cutpoint_options`.
#[no_mangle]
pub unsafe extern "C" fn ecv_cutpoint_max_rows(n: usize, options: *const CutpointOptions) -> usize {
    // SAFETY: the caller guarantees `options` is NULL or valid.
    unsafe { read_or_default(options) }.map_or(0, |o| o.max_cuts(n))
}

/// Lausen & Schumacher 1992 p-value of a maximally selected standardized statistic `b`
/// (R's `maxstat::pLausen92(b, minprop, maxprop)`): 1 for b < 1; not clipped at 1, as in R;
/// +∞ when min_prop = 0 or max_prop = 1 and b > 1, NaN for proportions that make the formula's
/// logarithm undefined (R gives the same).
#[no_mangle]
pub extern "C" fn ecv_lausen92_p(b: f64, min_prop: f64, max_prop: f64) -> f64 {
    lausen92_p(b, min_prop, max_prop)
}

/// Lausen, Sauerbrei & Schumacher 1994 p-value (R's `maxstat::pLausen94(b, N, minprop,
/// maxprop)` with every split size ⌊N·minprop⌋ … ⌊N·maxprop⌋). NaN unless 0 ≤ min_prop ≤
/// max_prop ≤ 1 and n ≤ 2²⁴ (the work is one term per split size).
#[no_mangle]
pub extern "C" fn ecv_lausen94_p(b: f64, n: usize, min_prop: f64, max_prop: f64) -> f64 {
    lausen94_p(b, n, min_prop, max_prop)
}

/// Number of cells of the X-tile grid over `cuts` cutpoints: cuts (cuts − 1) / 2.
#[no_mangle]
pub extern "C" fn ecv_xtile_cells(cuts: usize) -> usize {
    xtile_cells(cuts)
}

/// The index of cell (a, b), 0 ≤ a < b < cuts, in the grid: a·cuts − a (a + 1) / 2 + (b − a − 1)
/// (the strict upper triangle, row by row; row a holds b = a + 1 … cuts − 1).
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_INVALID_OPTION` (not a < b < cuts).
///
/// # Safety
/// `index` points to one writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn ecv_xtile_cell_index(
    cuts: usize,
    a: usize,
    b: usize,
    index: *mut usize,
) -> Status {
    let result = require_output(index)
        .and_then(|()| xtile_cell_index(cuts, a, b).ok_or(Status::InvalidOption))
        // SAFETY: `index` checked non-null; the caller guarantees it is writable.
        .and_then(|i| unsafe { write_output(index, i) });
    status_of(result)
}

/// Marker, time and event.
type CutpointSlices<'a> = (&'a [f64], &'a [f64], &'a [u8]);

/// The three inputs as slices.
///
/// # Safety
/// Each pointer is NULL (only with n = 0) or points to `n` readable values.
unsafe fn data_slices<'a>(
    marker: *const f64,
    time: *const f64,
    event: *const u8,
    n: usize,
) -> Result<CutpointSlices<'a>, Status> {
    // SAFETY: the caller guarantees the lengths; the helpers check NULL and alignment.
    unsafe {
        Ok((
            input_slice(marker, n)?,
            input_slice(time, n)?,
            input_slice(event, n)?,
        ))
    }
}

/// The byte ranges of the three inputs, for the overlap checks made before any slice exists.
fn input_spans(marker: *const f64, time: *const f64, event: *const u8, n: usize) -> [Span; 3] {
    [Span::of(marker, n), Span::of(time, n), Span::of(event, n)]
}

/// The scratch as a core value (the caller has checked that it overlaps nothing).
///
/// # Safety
/// `reals` points to `reals_len` writable doubles, `indices` to `indices_len` writable
/// `uint32_t` (NULL allowed with length 0), not aliased elsewhere.
unsafe fn scratch_of<'a>(
    reals: *mut f64,
    reals_len: usize,
    indices: *mut u32,
    indices_len: usize,
) -> Result<CutpointScratch<'a>, Status> {
    // SAFETY: the caller guarantees the lengths; the helpers check NULL and alignment.
    let (reals, indices) = unsafe {
        (
            output_slice(reals, reals_len)?,
            output_slice(indices, indices_len)?,
        )
    };
    Ok(CutpointScratch { reals, indices })
}

/// The number of profile rows `ecv_cutpoint_scan` writes for this marker: the splits between
/// distinct values with max(1, ⌊n·min_prop⌋) ≤ m ≤ ⌊n·max_prop⌋ subjects in the low group.
/// `indices` is scratch of at least 2n `uint32_t`. `options` may be NULL (defaults).
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE` (NaN/inf marker),
/// `ECV_INVALID_OPTION`, `ECV_CUTPOINT_TOO_FEW_SUBJECTS`, `ECV_SCRATCH_TOO_SMALL`,
/// `ECV_CUTPOINT_MARKER_CONSTANT`, `ECV_CUTPOINT_NO_SPLIT_IN_RANGE`, `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// `marker` points to `n` readable doubles; `indices` to `indices_len` writable `uint32_t`;
/// `rows_needed` to one writable `size_t`; `options` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn ecv_cutpoint_rows_needed(
    marker: *const f64,
    n: usize,
    options: *const CutpointOptions,
    indices: *mut u32,
    indices_len: usize,
    rows_needed: *mut usize,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let result = (|| unsafe {
        require_output(rows_needed)?;
        let options = read_or_default(options)?;
        if aliased(&[Span::of(indices, indices_len)], &[Span::of(marker, n)]) {
            return Err(Status::BuffersOverlap);
        }
        let marker = input_slice(marker, n)?;
        let indices = output_slice(indices, indices_len)?;
        let rows = count_cuts(marker, &options, indices)?;
        write_output(rows_needed, rows)
    })();
    status_of(result)
}

/// The cutpoint scan: every admissible split "marker ≤ cut" vs "marker > cut", maxstat's
/// standardized log-rank statistic and survdiff's χ² at each (the profile, the curve X-tile
/// draws), and the best split under each statistic with its p-values (unadjusted, Lausen 1992,
/// Lausen 1994, and a permutation p when `options->permutations` > 0). Matches R's
/// `maxstat.test(Surv(time, event) ~ marker, smethod = "LogRank", pmethod = "Lau92" / "Lau94")`
/// and `survdiff` at every cut. O(n log n).
///
/// `profile`: NULL for no profile, or room for `profile_capacity` rows. `*rows_needed` is
/// written on `ECV_OK` (rows written) and on `ECV_BUFFER_TOO_SMALL` (then nothing else is
/// written): call again with that capacity, or size the buffer up front with
/// `ecv_cutpoint_rows_needed` / `ecv_cutpoint_max_rows`. `rows_needed` may be NULL when
/// `profile` is NULL. Scratch: `ecv_cutpoint_scratch_len(n)`. `options` may be NULL.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`,
/// `ECV_NOT_FINITE` (NaN/inf marker or time), `ECV_NEGATIVE_TIME`, `ECV_EVENT_NOT_BINARY`,
/// `ECV_INVALID_OPTION`, `ECV_CUTPOINT_TOO_FEW_SUBJECTS`, `ECV_SCRATCH_TOO_SMALL`,
/// `ECV_NO_EVENTS`, `ECV_CUTPOINT_MARKER_CONSTANT`, `ECV_CUTPOINT_NO_SPLIT_IN_RANGE`,
/// `ECV_BUFFER_TOO_SMALL`, `ECV_CUTPOINT_SCORES_CONSTANT`, `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// `marker`, `time`, `event` point to `n` readable values; `reals` / `indices` to
/// `reals_len` / `indices_len` writable values; `profile` is NULL or points to
/// `profile_capacity` writable rows; `rows_needed` is NULL (only with a NULL profile) or points
/// to one writable `size_t`; `result` to one writable `ecv_cutpoint_result`; `options` is NULL
/// or valid. No output may overlap an input or the scratch.
#[no_mangle]
pub unsafe extern "C" fn ecv_cutpoint_scan(
    marker: *const f64,
    time: *const f64,
    event: *const u8,
    n: usize,
    options: *const CutpointOptions,
    reals: *mut f64,
    reals_len: usize,
    indices: *mut u32,
    indices_len: usize,
    profile: *mut CutpointRow,
    profile_capacity: usize,
    rows_needed: *mut usize,
    result: *mut CutpointScan,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let outcome = (|| unsafe {
        require_output(result)?;
        if !profile.is_null() {
            require_output(rows_needed)?;
        }
        let options = read_or_default(options)?;
        let writable = [
            Span::of(reals, reals_len),
            Span::of(indices, indices_len),
            Span::of(profile, profile_capacity),
        ];
        if aliased(&writable, &input_spans(marker, time, event, n)) {
            return Err(Status::BuffersOverlap);
        }
        let inputs = data_slices(marker, time, event, n)?;
        let scratch = scratch_of(reals, reals_len, indices, indices_len)?;
        let profile = if profile.is_null() {
            None
        } else {
            Some(output_slice(profile, profile_capacity)?)
        };
        let has_profile = profile.is_some();
        let (m, t, e) = inputs;
        let data = CutpointData {
            marker: m,
            time: t,
            event: e,
        };
        let CutpointScratch { reals, indices } = scratch;
        match scan_cutpoints(
            data,
            &options,
            profile,
            CutpointScratch {
                reals: &mut *reals,
                indices: &mut *indices,
            },
        ) {
            Ok(scan) => {
                if has_profile {
                    write_output(rows_needed, scan.cuts)?;
                }
                write_output(result, scan)
            }
            Err(Status::BufferTooSmall) => {
                write_output(rows_needed, count_cuts(m, &options, indices)?)?;
                Err(Status::BufferTooSmall)
            }
            Err(status) => Err(status),
        }
    })();
    status_of(outcome)
}

/// The X-tile grid: for every pair of profile cutpoints c_a < c_b, low (marker ≤ c_a), middle
/// and high (marker > c_b), survdiff's 3-group χ², each group's O/E and their ordering, into
/// `grid` in the layout of `ecv_xtile_cell_index`; `*summary` gets the best consistently ordered
/// division (X-tile's rule). Cells whose middle group is below the minimum size have χ² NaN.
///
/// `*cells_needed` (= `ecv_xtile_cells(rows_needed)`) is written on `ECV_OK` and on
/// `ECV_BUFFER_TOO_SMALL` (then nothing else is written). Scratch: `ecv_xtile_scratch_len(n)`.
/// `options` may be NULL.
///
/// Statuses: those of `ecv_cutpoint_scan` except `ECV_CUTPOINT_SCORES_CONSTANT`.
///
/// # Safety
/// As `ecv_cutpoint_scan`; `grid` points to `grid_capacity` writable cells (NULL only with
/// capacity 0); `cells_needed` and `summary` to one writable value each.
#[no_mangle]
pub unsafe extern "C" fn ecv_xtile_grid(
    marker: *const f64,
    time: *const f64,
    event: *const u8,
    n: usize,
    options: *const CutpointOptions,
    reals: *mut f64,
    reals_len: usize,
    indices: *mut u32,
    indices_len: usize,
    grid: *mut XtileCell,
    grid_capacity: usize,
    cells_needed: *mut usize,
    summary: *mut XtileSummary,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let outcome = (|| unsafe {
        require_output(summary)?;
        require_output(cells_needed)?;
        let options = read_or_default(options)?;
        let writable = [
            Span::of(reals, reals_len),
            Span::of(indices, indices_len),
            Span::of(grid, grid_capacity),
        ];
        if aliased(&writable, &input_spans(marker, time, event, n)) {
            return Err(Status::BuffersOverlap);
        }
        let inputs = data_slices(marker, time, event, n)?;
        let scratch = scratch_of(reals, reals_len, indices, indices_len)?;
        let cells = output_slice(grid, grid_capacity)?;
        let (m, t, e) = inputs;
        let data = CutpointData {
            marker: m,
            time: t,
            event: e,
        };
        let CutpointScratch { reals, indices } = scratch;
        match xtile_grid(
            data,
            &options,
            cells,
            CutpointScratch {
                reals: &mut *reals,
                indices: &mut *indices,
            },
        ) {
            Ok(s) => {
                write_output(cells_needed, s.cells)?;
                write_output(summary, s)
            }
            Err(Status::BufferTooSmall) => {
                let cuts = count_cuts(m, &options, indices)?;
                write_output(cells_needed, xtile_cells(cuts))?;
                Err(Status::BufferTooSmall)
            }
            Err(status) => Err(status),
        }
    })();
    status_of(outcome)
}

/// The Kaplan-Meier options as the core takes them.
fn km_options_to_core(o: EcvKmOptions) -> Result<KmOptions, Status> {
    Ok(KmOptions {
        conf_type: ConfType::try_from(o.conf_type)?,
        conf_level: o.conf_level,
        time_matching: TimeMatching::try_from(o.time_matching)?,
    })
}

/// A fixed cutoff applied to a cohort (the seed paper's validation of 27.2 % / 29.0 % on new
/// patients): low = marker ≤ cutoff, high = marker > cutoff; each group's size, events and
/// Kaplan-Meier median with CI, and survdiff's log-rank test between them.
///
/// `km_options` (NULL: defaults, R's log band at 95 % and `timefix`) sets the median CI and the
/// tie matching of both the curves and the test. Scratch: `ecv_fixed_cutoff_scratch_len(n)`.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE` (marker, time, cutoff),
/// `ECV_NEGATIVE_TIME`, `ECV_EVENT_NOT_BINARY`, `ECV_SCRATCH_TOO_SMALL`, `ECV_SINGLE_GROUP`
/// (everyone on one side of the cutoff), `ECV_NO_EVENTS`, `ECV_SINGULAR_VARIANCE`,
/// `ECV_INVALID_OPTION`, `ECV_INVALID_ENUM_VALUE`, `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// `marker`, `time`, `event` point to `n` readable values; `times`, `events`, `indices`, `sort`
/// to `times_len`, `events_len`, `indices_len`, `sort_len` writable values; `result` to one writable
/// `ecv_fixed_cutoff`; `km_options` is NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn ecv_cutpoint_apply(
    marker: *const f64,
    time: *const f64,
    event: *const u8,
    n: usize,
    cutoff: f64,
    km_options: *const EcvKmOptions,
    times: *mut f64,
    times_len: usize,
    events: *mut u8,
    events_len: usize,
    indices: *mut u32,
    indices_len: usize,
    sort: *mut u64,
    sort_len: usize,
    result: *mut FixedCutoff,
) -> Status {
    // SAFETY (whole block): pointers checked by the helpers; lengths guaranteed by the caller.
    let outcome = (|| unsafe {
        require_output(result)?;
        let km = km_options_to_core(read_or_default(km_options)?)?;
        let writable = [
            Span::of(times, times_len),
            Span::of(events, events_len),
            Span::of(indices, indices_len),
            Span::of(sort, sort_len),
        ];
        if aliased(&writable, &input_spans(marker, time, event, n)) {
            return Err(Status::BuffersOverlap);
        }
        let inputs = data_slices(marker, time, event, n)?;
        let times = output_slice(times, times_len)?;
        let events = output_slice(events, events_len)?;
        let indices = output_slice(indices, indices_len)?;
        let sort = output_slice(sort, sort_len)?;
        let (m, t, e) = inputs;
        let data = CutpointData {
            marker: m,
            time: t,
            event: e,
        };
        let fixed = apply_cutoff(
            data,
            cutoff,
            &km,
            FixedCutoffScratch {
                times,
                events,
                indices,
                sort,
            },
        )?;
        write_output(result, fixed)
    })();
    status_of(outcome)
}

#[cfg(test)]
mod tests {
    use super::*;
    use core::ptr::{null, null_mut};

    const X: [f64; 10] = [0.21, 0.25, 0.27, 0.30, 0.33, 0.24, 0.29, 0.35, 0.22, 0.31];
    const T: [f64; 10] = [30.0, 24.0, 20.0, 9.0, 6.0, 28.0, 12.0, 4.0, 36.0, 8.0];
    const E: [u8; 10] = [0, 1, 1, 1, 1, 0, 1, 1, 1, 0];

    #[test]
    fn scan_reports_rows_needed_and_writes_nothing_when_short() {
        let need = ecv_cutpoint_scratch_len(10);
        let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
        let mut rows = [CutpointRow::default(); 4];
        let mut needed = 0usize;
        let mut out = CutpointScan::default();
        // SAFETY: every pointer is valid for the length given.
        let s = unsafe {
            ecv_cutpoint_scan(
                X.as_ptr(),
                T.as_ptr(),
                E.as_ptr(),
                10,
                null(),
                reals.as_mut_ptr(),
                reals.len(),
                indices.as_mut_ptr(),
                indices.len(),
                rows.as_mut_ptr(),
                rows.len(),
                &mut needed,
                &mut out,
            )
        };
        assert_eq!((s, needed), (Status::BufferTooSmall, 9));
        assert_eq!(out, CutpointScan::default());
        assert!(rows.iter().all(|r| *r == CutpointRow::default()));
        let mut rows = [CutpointRow::default(); 9];
        // SAFETY: as above.
        let s = unsafe {
            ecv_cutpoint_scan(
                X.as_ptr(),
                T.as_ptr(),
                E.as_ptr(),
                10,
                null(),
                reals.as_mut_ptr(),
                reals.len(),
                indices.as_mut_ptr(),
                indices.len(),
                rows.as_mut_ptr(),
                rows.len(),
                &mut needed,
                &mut out,
            )
        };
        assert_eq!((s, needed, out.cuts), (Status::Ok, 9, 9));
        assert_eq!(rows[8].n_low, 9);
    }

    #[test]
    fn null_and_aliased_buffers_are_rejected() {
        let need = ecv_cutpoint_scratch_len(10);
        let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
        let mut out = CutpointScan::default();
        // SAFETY: the NULL result is what is tested.
        let s = unsafe {
            ecv_cutpoint_scan(
                X.as_ptr(),
                T.as_ptr(),
                E.as_ptr(),
                10,
                null(),
                reals.as_mut_ptr(),
                reals.len(),
                indices.as_mut_ptr(),
                indices.len(),
                null_mut(),
                0,
                null_mut(),
                null_mut(),
            )
        };
        assert_eq!(s, Status::NullPointer);
        // Scratch that overlaps the marker.
        let mut both = X.to_vec();
        both.extend_from_slice(&reals);
        // SAFETY: pointers valid; the aliasing is what is tested.
        let s = unsafe {
            ecv_cutpoint_scan(
                both.as_ptr(),
                T.as_ptr(),
                E.as_ptr(),
                10,
                null(),
                both.as_mut_ptr(),
                both.len(),
                indices.as_mut_ptr(),
                indices.len(),
                null_mut(),
                0,
                null_mut(),
                &mut out,
            )
        };
        assert_eq!(s, Status::BuffersOverlap);
        let mut index = 0usize;
        // SAFETY: valid pointer.
        assert_eq!(
            unsafe { ecv_xtile_cell_index(5, 1, 3, &mut index) },
            Status::Ok
        );
        assert_eq!(index, 5);
        // SAFETY: valid pointer.
        let s = unsafe { ecv_xtile_cell_index(5, 3, 3, &mut index) };
        assert_eq!(s, Status::InvalidOption);
    }
}
