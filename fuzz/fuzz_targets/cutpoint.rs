//! Cutpoints through the C ABI: `ecv_cutpoint_rows_needed`, `ecv_cutpoint_scan`,
//! `ecv_xtile_grid`, `ecv_cutpoint_apply`, `ecv_lausen92_p`, `ecv_lausen94_p`,
//! `ecv_cutpoint_max_rows`, `ecv_xtile_cells` and `ecv_xtile_cell_index`, with markers and times
//! of every class (ties, constants, NaN, ±inf, negative times), events not 0/1 or all censored,
//! proportions of any value, short scratch, short and huge profile / grid capacities, NULL,
//! misaligned and overlapping buffers. Permutations are kept ≤ 64 (the caller's requested work:
//! B permutations cost B scans, documented).
#![no_main]

use ecvkit::cutpoint::{
    CutpointOptions, CutpointRow, CutpointScan, FixedCutoff, XtileCell, XtileSummary,
};
use ecvkit::ffi::cutpoint::{
    ecv_cutpoint_apply, ecv_cutpoint_max_rows, ecv_cutpoint_rows_needed, ecv_cutpoint_scan,
    ecv_cutpoint_scratch_len, ecv_fixed_cutoff_scratch_len, ecv_lausen92_p, ecv_lausen94_p,
    ecv_xtile_cell_index, ecv_xtile_cells, ecv_xtile_grid, ecv_xtile_scratch_len,
};
use ecvkit::ffi::survival::EcvKmOptions;
use ecvkit::Status;
use ecvkit_fuzz::{
    check_status, finite, finite_or_na, guarded_one, probability, probability_or_na, Bytes,
    Guarded, Input,
};
use libfuzzer_sys::fuzz_target;
use std::ptr::{null, null_mut};

fuzz_target!(|data: &[u8]| run(data));

fn options(b: &mut Bytes) -> Option<CutpointOptions> {
    if b.one_in(3) {
        return None;
    }
    let d = CutpointOptions::default();
    let usual_min = [0.1, 0.0, 0.25, 0.4][b.below(4)];
    let usual_max = [0.9, 1.0, 0.75, 0.6][b.below(4)];
    Some(CutpointOptions {
        min_prop: b.f64_or(usual_min),
        max_prop: b.f64_or(usual_max),
        permutations: if b.one_in(8) {
            u32::from(b.u8() % 65)
        } else {
            0
        },
        seed: if b.bool() { b.u64() } else { d.seed },
    })
}

fn opt_ptr<T>(o: &Option<T>) -> *const T {
    o.as_ref().map_or(null(), |o| o as *const T)
}

fn run(data: &[u8]) {
    let mut b = Bytes::new(data);
    // Scalar functions first (no memory involved).
    let (bb, lo, hi) = (b.f64_or(2.5), b.f64_or(0.1), b.f64_or(0.9));
    // Pure formulas, as R's pLausen92 / pLausen94: +∞ only at the documented limits.
    let p92 = ecv_lausen92_p(bb, lo, hi);
    let limit = lo == 0.0 || hi == 1.0 || bb.is_infinite();
    assert!(
        !p92.is_infinite() || limit,
        "Lausen 92 p = {p92} (b {bb}, {lo}, {hi})"
    );
    let proper = lo > 0.0 && hi < 1.0 && lo < hi && bb.is_finite();
    assert!(
        !proper || p92.is_finite(),
        "Lausen 92 p = {p92} (b {bb}, {lo}, {hi})"
    );
    let nn = b.below(5000);
    let p94 = ecv_lausen94_p(bb, nn, lo, hi);
    assert!(
        !proper || p94.is_finite(),
        "Lausen 94 p = {p94} (b {bb}, n {nn}, {lo}, {hi})"
    );
    let cuts = if b.one_in(16) {
        b.u64() as usize
    } else {
        b.below(200)
    };
    let cells = ecv_xtile_cells(cuts);
    let (ca, cb) = (b.below(cuts.min(200) + 1), b.below(cuts.min(200) + 1));
    let mut index = guarded_one(usize::MAX);
    // SAFETY: one writable size_t.
    let s = unsafe { ecv_xtile_cell_index(cuts, ca, cb, index.ptr()) };
    check_status("ecv_xtile_cell_index", s);
    if s == Status::Ok {
        let i: usize = index.get(0);
        assert!(
            ca < cb && cb < cuts && i < cells,
            "cell index {i} of {cells}"
        );
    } else {
        index.check_unchanged("ecv_xtile_cell_index index");
    }

    let n = b.len(30, 400);
    let marker = Input::new(b.f64s(n), b.one_in(64));
    let time = Input::new(b.times(n), false);
    let event = Input::new(b.events(n), false);
    let opts = options(&mut b);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n = {n}\nmarker = {:?}\ntime = {:?}\nevent = {:?}\noptions = {opts:?}",
            marker.values, time.values, event.values
        );
    }
    // SAFETY: options NULL or valid.
    let max_rows = unsafe { ecv_cutpoint_max_rows(n, opt_ptr(&opts)) };
    assert!(max_rows <= n, "max rows {max_rows} for n = {n}");

    // Rows needed.
    let need = ecv_cutpoint_scratch_len(n);
    let il = b.capacity(need.indices);
    let mut idx = Guarded::new::<u32>(il, b.one_in(64));
    let mut rows_needed = guarded_one(usize::MAX);
    // SAFETY: every pointer is NULL or valid for the length passed with it.
    let s = unsafe {
        ecv_cutpoint_rows_needed(
            marker.ptr_or_null(b.one_in(64)),
            n,
            opt_ptr(&opts),
            idx.ptr(),
            il,
            rows_needed.ptr(),
        )
    };
    check_status("ecv_cutpoint_rows_needed", s);
    idx.check_guards("ecv_cutpoint_rows_needed indices");
    let needed = if s == Status::Ok {
        let r: usize = rows_needed.get(0);
        assert!(r >= 1 && r <= max_rows, "rows needed {r}, max {max_rows}");
        Some(r)
    } else {
        rows_needed.check_unchanged("ecv_cutpoint_rows_needed rows_needed");
        None
    };

    scan(&mut b, &marker, &time, &event, &opts, needed);
    xtile(&mut b, &marker, &time, &event, &opts, needed);
    apply(&mut b, &marker, &time, &event);
    marker.check_unchanged("marker");
    time.check_unchanged("time");
    event.check_unchanged("event");
}

fn check_choice(c: &ecvkit::cutpoint::CutpointChoice, n: usize, opts: &Option<CutpointOptions>) {
    let o = opts.unwrap_or_default();
    let permutations = o.permutations;
    finite("cutpoint", c.cutpoint);
    assert!(c.n_low >= 1 && c.n_high >= 1 && c.n_low + c.n_high == n);
    finite("statistic", c.statistic);
    assert!(c.statistic >= 0.0);
    probability("p unadjusted", c.p_unadjusted);
    // Lausen's approximations are not clipped at 1 (as in R): finite and ≥ 0.
    // +∞ at the documented limits min_prop = 0 or max_prop = 1 (as R's pLausen92).
    if !(o.min_prop == 0.0 || o.max_prop == 1.0) {
        finite("p Lausen 92", c.p_lausen92);
    }
    assert!(!c.p_lausen92.is_nan(), "p Lausen 92 = NaN on ECV_OK");
    finite("p Lausen 94", c.p_lausen94);
    // Lausen 1992 is max(p, 0); Lausen 1994 is not clipped at all (documented, as R's
    // pLausen94, whose correction term can take it below 0 for large b).
    assert!(c.p_lausen92 >= 0.0);
    if permutations == 0 {
        assert!(c.p_permutation.is_nan());
    } else {
        probability("p permutation", c.p_permutation);
    }
}

fn scan(
    b: &mut Bytes,
    marker: &Input<f64>,
    time: &Input<f64>,
    event: &Input<u8>,
    opts: &Option<CutpointOptions>,
    needed: Option<usize>,
) {
    let n = marker.values.len();
    let need = ecv_cutpoint_scratch_len(n);
    let (rl, il) = (b.capacity(need.reals), b.capacity(need.indices));
    let mut reals = Guarded::new::<f64>(rl, b.one_in(64));
    let mut idx = Guarded::new::<u32>(il, false);
    let with_profile = !b.one_in(4);
    let capacity = b.capacity(needed.unwrap_or(n));
    let mut profile = Guarded::new::<CutpointRow>(capacity, b.one_in(64));
    let mut rows_needed = guarded_one(usize::MAX);
    let mut result = guarded_one(CutpointScan::default());
    // SAFETY: as above.
    let s = unsafe {
        ecv_cutpoint_scan(
            marker.ptr(),
            time.ptr(),
            event.ptr(),
            n,
            opt_ptr(opts),
            reals.ptr(),
            rl,
            idx.ptr(),
            il,
            if with_profile {
                profile.ptr()
            } else {
                null_mut()
            },
            capacity,
            if with_profile {
                rows_needed.ptr()
            } else {
                null_mut()
            },
            result.ptr(),
        )
    };
    check_status("ecv_cutpoint_scan", s);
    reals.check_guards("ecv_cutpoint_scan reals");
    idx.check_guards("ecv_cutpoint_scan indices");
    match s {
        Status::Ok => {
            let r: CutpointScan = result.get(0);
            assert_eq!(r.subjects, n);
            assert!(r.cuts >= 1 && r.cuts <= n.saturating_sub(1));
            if let Some(k) = needed {
                assert_eq!(k, r.cuts, "rows_needed and the scan disagree");
            }
            check_choice(&r.maxstat, n, opts);
            check_choice(&r.logrank, n, opts);
            if with_profile {
                let written: usize = rows_needed.get(0);
                assert_eq!(written, r.cuts);
                let mut previous = f64::NEG_INFINITY;
                for i in 0..written {
                    let row: CutpointRow = profile.get(i);
                    finite("profile cutpoint", row.cutpoint);
                    assert!(row.cutpoint > previous, "profile cutpoints not increasing");
                    previous = row.cutpoint;
                    assert!(row.n_low + row.n_high == n && row.n_low >= 1 && row.n_high >= 1);
                    finite_or_na("standardized statistic", row.standardized_statistic);
                    finite_or_na("chisq", row.chisq);
                    finite("observed low", row.observed_low);
                    finite("expected low", row.expected_low);
                }
                profile.check_unchanged_from(
                    written * std::mem::size_of::<CutpointRow>(),
                    "ecv_cutpoint_scan profile",
                );
            }
        }
        Status::BufferTooSmall => {
            assert!(with_profile);
            let k: usize = rows_needed.get(0);
            assert!(k > capacity);
            if let Some(needed) = needed {
                assert_eq!(k, needed);
            }
            profile.check_unchanged("ecv_cutpoint_scan profile");
            result.check_unchanged("ecv_cutpoint_scan result");
        }
        _ => {
            profile.check_unchanged("ecv_cutpoint_scan profile");
            rows_needed.check_unchanged("ecv_cutpoint_scan rows_needed");
            result.check_unchanged("ecv_cutpoint_scan result");
        }
    }

    // Scratch laid over the marker must be refused, the marker intact.
    if n > 0 && b.one_in(16) {
        let mut room = marker.values.clone();
        room.resize(n + need.reals, 0.0);
        let mut shared = Guarded::with(&room, false);
        let mut idx = Guarded::new::<u32>(need.indices, false);
        let mut result = guarded_one(CutpointScan::default());
        let offset = b.below(n) * 8;
        // SAFETY: every range lies inside its buffer; the overlap is what is tested.
        let s = unsafe {
            ecv_cutpoint_scan(
                shared.cptr(),
                time.ptr(),
                event.ptr(),
                n,
                null(),
                shared.ptr_at(offset),
                need.reals,
                idx.ptr(),
                need.indices,
                null_mut(),
                0,
                null_mut(),
                result.ptr(),
            )
        };
        check_status("ecv_cutpoint_scan", s);
        assert_ne!(s, Status::Ok);
        shared.check_unchanged("marker under the scratch");
        result.check_unchanged("ecv_cutpoint_scan result");
    }
}

fn xtile(
    b: &mut Bytes,
    marker: &Input<f64>,
    time: &Input<f64>,
    event: &Input<u8>,
    opts: &Option<CutpointOptions>,
    needed: Option<usize>,
) {
    let n = marker.values.len();
    if n > 150 {
        return; // the grid is quadratic in the cuts; the scan covers large n
    }
    let need = ecv_xtile_scratch_len(n);
    let (rl, il) = (b.capacity(need.reals), b.capacity(need.indices));
    let mut reals = Guarded::new::<f64>(rl, false);
    let mut idx = Guarded::new::<u32>(il, b.one_in(64));
    let cells_guess = ecv_xtile_cells(needed.unwrap_or(n));
    let capacity = b.capacity(cells_guess).min(20_000);
    let blank = XtileCell::default();
    let mut grid = Guarded::with(&vec![blank; capacity], b.one_in(64));
    let mut cells_needed = guarded_one(usize::MAX);
    let mut summary = guarded_one(XtileSummary::default());
    // SAFETY: as above.
    let s = unsafe {
        ecv_xtile_grid(
            marker.ptr(),
            time.ptr(),
            event.ptr(),
            n,
            opt_ptr(opts),
            reals.ptr(),
            rl,
            idx.ptr(),
            il,
            grid.ptr(),
            capacity,
            cells_needed.ptr(),
            summary.ptr(),
        )
    };
    check_status("ecv_xtile_grid", s);
    reals.check_guards("ecv_xtile_grid reals");
    idx.check_guards("ecv_xtile_grid indices");
    match s {
        Status::Ok => {
            let sum: XtileSummary = summary.get(0);
            let written: usize = cells_needed.get(0);
            assert_eq!(written, sum.cells);
            assert_eq!(sum.cells, ecv_xtile_cells(sum.cuts));
            if let Some(k) = needed {
                assert_eq!(k, sum.cuts);
            }
            assert!(sum.consistent_cells <= sum.cells);
            for i in 0..written {
                let c: XtileCell = grid.get(i);
                assert!(
                    c.low_cut < c.high_cut,
                    "cell {i}: {} ≥ {}",
                    c.low_cut,
                    c.high_cut
                );
                assert_eq!(c.n_low + c.n_mid + c.n_high, n);
                finite_or_na("xtile chisq", c.chisq);
                assert!(c.chisq.is_nan() || c.chisq >= 0.0);
            }
            probability_or_na("xtile p", sum.p_unadjusted);
            grid.check_unchanged_from(
                written * std::mem::size_of::<XtileCell>(),
                "ecv_xtile_grid grid",
            );
        }
        Status::BufferTooSmall => {
            let k: usize = cells_needed.get(0);
            assert!(k > capacity);
            grid.check_unchanged("ecv_xtile_grid grid");
            summary.check_unchanged("ecv_xtile_grid summary");
        }
        _ => {
            grid.check_unchanged("ecv_xtile_grid grid");
            cells_needed.check_unchanged("ecv_xtile_grid cells_needed");
            summary.check_unchanged("ecv_xtile_grid summary");
        }
    }
}

fn apply(b: &mut Bytes, marker: &Input<f64>, time: &Input<f64>, event: &Input<u8>) {
    let n = marker.values.len();
    let need = ecv_fixed_cutoff_scratch_len(n);
    let lens = [
        b.capacity(need.times),
        b.capacity(need.events),
        b.capacity(need.indices),
        b.capacity(need.sort),
    ];
    let mut times = Guarded::new::<f64>(lens[0], b.one_in(64));
    let mut events = Guarded::new::<u8>(lens[1], false);
    let mut indices = Guarded::new::<u32>(lens[2], false);
    let mut sort = Guarded::new::<u64>(lens[3], false);
    let cutoff = match b.u8() % 4 {
        0 => b.f64(),
        _ if n > 0 => marker.values[b.below(n)],
        _ => 0.5,
    };
    let km = if b.bool() {
        None
    } else {
        Some(EcvKmOptions {
            conf_type: b.enum_u32(3),
            conf_level: b.f64_or(0.95),
            time_matching: b.enum_u32(2),
        })
    };
    let mut result = guarded_one(FixedCutoff::default());
    // SAFETY: as above.
    let s = unsafe {
        ecv_cutpoint_apply(
            marker.ptr(),
            time.ptr(),
            event.ptr(),
            n,
            cutoff,
            opt_ptr(&km),
            times.ptr(),
            lens[0],
            events.ptr(),
            lens[1],
            indices.ptr(),
            lens[2],
            sort.ptr(),
            lens[3],
            result.ptr(),
        )
    };
    check_status("ecv_cutpoint_apply", s);
    times.check_guards("ecv_cutpoint_apply times");
    events.check_guards("ecv_cutpoint_apply events");
    indices.check_guards("ecv_cutpoint_apply indices");
    sort.check_guards("ecv_cutpoint_apply sort");
    if s == Status::Ok {
        let f: FixedCutoff = result.get(0);
        assert_eq!(f.low.n + f.high.n, n);
        assert!(f.low.n >= 1 && f.high.n >= 1);
        for g in [&f.low, &f.high] {
            finite_or_na("median", g.median.median);
            finite("observed", g.observed);
            finite("expected", g.expected);
        }
        finite("chisq", f.test.chisq);
        probability("p", f.test.p_value);
        result.check_guards("ecv_cutpoint_apply result");
    } else {
        result.check_unchanged("ecv_cutpoint_apply result");
    }
}
