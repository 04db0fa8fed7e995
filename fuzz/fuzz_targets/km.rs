//! Kaplan-Meier through the C ABI: `ecv_km_rows_needed`, `ecv_km_estimate`, `ecv_km_at_times`,
//! `ecv_km_restricted_mean` on the same decoded data (NaN / ±inf / negative / tied times, events
//! not 0/1 or all censored, short or huge scratch and row capacities, NULLs, misaligned and
//! overlapping buffers, unknown enum values).
#![no_main]

use ecvkit::ffi::survival::{
    ecv_km_at_times, ecv_km_estimate, ecv_km_restricted_mean, ecv_km_rows_needed,
    ecv_survival_scratch_len, EcvKmOptions,
};
use ecvkit::survival::{KmPoint, KmRow, KmSummary, MedianSurvival, RestrictedMean};
use ecvkit::Status;
use ecvkit_fuzz::{
    check_status, finite, finite_or_na, guarded_one, probability, probability_or_na, Bytes,
    Guarded, Input,
};
use libfuzzer_sys::fuzz_target;
use std::ptr::{null, null_mut};

fuzz_target!(|data: &[u8]| run(data));

/// Options as C could pass them: NULL (defaults) or any enum values and level.
fn options(b: &mut Bytes) -> Option<EcvKmOptions> {
    if b.one_in(3) {
        return None;
    }
    Some(EcvKmOptions {
        conf_type: b.enum_u32(3),
        conf_level: {
            let usual = [0.95, 0.9, 0.5, 0.999][b.below(4)];
            b.f64_or(usual)
        },
        time_matching: b.enum_u32(2),
    })
}

fn opt_ptr(o: &Option<EcvKmOptions>) -> *const EcvKmOptions {
    o.as_ref().map_or(null(), |o| o as *const _)
}

fn run(data: &[u8]) {
    let mut b = Bytes::new(data);
    let n = b.len(40, 3000);
    let time = Input::new(b.times(n), b.one_in(64));
    let event = Input::new(b.events(n), false);
    let time_ptr = time.ptr_or_null(b.one_in(32));
    let event_ptr = event.ptr_or_null(b.one_in(32));
    let opts = options(&mut b);
    let scratch_len = b.capacity(ecv_survival_scratch_len(n));
    let mut scratch = Guarded::new::<u64>(scratch_len, b.one_in(64));
    let scratch_ptr = if b.one_in(64) {
        null_mut()
    } else {
        scratch.ptr::<u64>()
    };
    let time_matching = opts.map_or(0, |o| o.time_matching);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n = {n}\ntime = {:?}\nevent = {:?}\noptions = {opts:?}\nscratch_len = {scratch_len}",
            time.values, event.values
        );
    }

    // ecv_km_rows_needed
    let mut needed_out = guarded_one(usize::MAX);
    let needed_ptr = if b.one_in(64) {
        null_mut()
    } else {
        needed_out.ptr::<usize>()
    };
    // SAFETY: every pointer is NULL or valid for the length passed with it.
    let s = unsafe {
        ecv_km_rows_needed(
            time_ptr,
            event_ptr,
            n,
            time_matching,
            scratch_ptr,
            scratch_len,
            needed_ptr,
        )
    };
    check_status("ecv_km_rows_needed", s);
    scratch.check_guards("ecv_km_rows_needed scratch");
    let rows_needed = if s == Status::Ok {
        let r: usize = needed_out.get(0);
        assert!(r >= 1 && r <= n, "rows_needed {r} for n = {n}");
        Some(r)
    } else {
        needed_out.check_unchanged("ecv_km_rows_needed rows_needed");
        None
    };
    needed_out.check_guards("ecv_km_rows_needed rows_needed");

    // ecv_km_estimate
    let capacity = b.capacity(rows_needed.unwrap_or(n));
    let mut rows = Guarded::new::<KmRow>(capacity, b.one_in(64));
    let rows_ptr = if capacity == 0 && b.bool() {
        null_mut()
    } else {
        rows.ptr::<KmRow>()
    };
    let mut needed2 = guarded_one(usize::MAX);
    let mut summary = guarded_one(KmSummary::default());
    // SAFETY: as above.
    let s = unsafe {
        ecv_km_estimate(
            time_ptr,
            event_ptr,
            n,
            opt_ptr(&opts),
            scratch_ptr,
            scratch_len,
            rows_ptr,
            capacity,
            needed2.ptr(),
            summary.ptr(),
        )
    };
    check_status("ecv_km_estimate", s);
    scratch.check_guards("ecv_km_estimate scratch");
    needed2.check_guards("ecv_km_estimate rows_needed");
    match s {
        Status::Ok => {
            let written: usize = needed2.get(0);
            let sum: KmSummary = summary.get(0);
            assert_eq!(sum.rows, written);
            assert!(written <= capacity);
            if let Some(r) = rows_needed {
                assert_eq!(
                    r, written,
                    "ecv_km_rows_needed and ecv_km_estimate disagree"
                );
            }
            assert_eq!(sum.n, n);
            check_rows(&mut rows, written, n, sum.events);
            check_median(&sum.median);
            rows.check_guards("ecv_km_estimate rows");
        }
        Status::BufferTooSmall => {
            let needed: usize = needed2.get(0);
            assert!(needed > capacity && needed <= n);
            if let Some(r) = rows_needed {
                assert_eq!(r, needed);
            }
            rows.check_unchanged("ecv_km_estimate rows");
            summary.check_unchanged("ecv_km_estimate summary");
        }
        _ => {
            rows.check_unchanged("ecv_km_estimate rows");
            needed2.check_unchanged("ecv_km_estimate rows_needed");
            summary.check_unchanged("ecv_km_estimate summary");
        }
    }
    summary.check_guards("ecv_km_estimate summary");

    // ecv_km_at_times
    let n_times = b.len(8, 64);
    let at = Input::new(b.times(n_times), b.one_in(64));
    let points_capacity = b.capacity(n_times);
    let mut points = Guarded::new::<KmPoint>(points_capacity, b.one_in(64));
    // SAFETY: as above.
    let s = unsafe {
        ecv_km_at_times(
            time_ptr,
            event_ptr,
            n,
            opt_ptr(&opts),
            scratch_ptr,
            scratch_len,
            at.ptr(),
            n_times,
            points.ptr(),
            points_capacity,
        )
    };
    check_status("ecv_km_at_times", s);
    scratch.check_guards("ecv_km_at_times scratch");
    if s == Status::Ok {
        for i in 0..n_times {
            let p: KmPoint = points.get(i);
            assert!(p.time.to_bits() == at.values[i].to_bits());
            assert!(p.n_risk <= n);
            probability("S(t)", p.surv);
            std_err_ok(p.std_err, p.surv);
            probability_or_na("lower", p.lower);
            probability_or_na("upper", p.upper);
        }
        points.check_guards("ecv_km_at_times points");
    } else {
        points.check_unchanged("ecv_km_at_times points");
    }
    at.check_unchanged("ecv_km_at_times at_times");

    // ecv_km_restricted_mean
    let usual_tau = f64::from(b.u8());
    let tau = b.f64_or(usual_tau);
    if ecvkit_fuzz::verbose() {
        eprintln!("tau = {tau}");
    }
    let mut rm = guarded_one(RestrictedMean::default());
    // SAFETY: as above.
    let s = unsafe {
        ecv_km_restricted_mean(
            time_ptr,
            event_ptr,
            n,
            opt_ptr(&opts),
            scratch_ptr,
            scratch_len,
            tau,
            rm.ptr(),
        )
    };
    check_status("ecv_km_restricted_mean", s);
    scratch.check_guards("ecv_km_restricted_mean scratch");
    if s == Status::Ok {
        let r: RestrictedMean = rm.get(0);
        finite("restricted mean", r.mean);
        assert!(
            r.mean >= 0.0 && r.mean <= tau * (1.0 + 1e-12),
            "mean {} tau {tau}",
            r.mean
        );
        // Documented: finite unless the true value exceeds the largest double (τ near it).
        assert!(r.std_err >= 0.0, "restricted mean std_err = {}", r.std_err);
        if tau < 1e300 {
            finite("restricted mean std_err", r.std_err);
        }
        rm.check_guards("ecv_km_restricted_mean out");
    } else {
        rm.check_unchanged("ecv_km_restricted_mean out");
    }

    // Overlap: scratch placed over the time array must be refused before anything is written.
    if n > 0 && b.one_in(16) {
        let len = ecv_survival_scratch_len(n);
        let mut shared = Guarded::with(&vec![0u64; len + n], false);
        let times_in_shared = shared.ptr::<f64>();
        for (i, t) in time.values.iter().enumerate() {
            // SAFETY: shared holds len + n u64 slots.
            unsafe { times_in_shared.add(i).write(*t) };
        }
        shared.snapshot();
        let offset = b.below(n) * 8;
        let mut out = guarded_one(usize::MAX);
        // SAFETY: both ranges lie inside `shared`; the overlap is what is tested.
        let s = unsafe {
            ecv_km_rows_needed(
                times_in_shared,
                event.ptr(),
                n,
                0,
                shared.ptr_at::<u64>(offset),
                len,
                out.ptr(),
            )
        };
        check_status("ecv_km_rows_needed", s);
        assert_eq!(s, Status::BuffersOverlap);
        shared.check_unchanged("overlapping scratch and time");
        out.check_unchanged("ecv_km_rows_needed rows_needed");
    }

    time.check_unchanged("time");
    event.check_unchanged("event");
}

/// The table's invariants: times increasing and finite, S in [0, 1] and not increasing, counts
/// that add up, confidence limits around S.
fn check_rows(rows: &mut Guarded, written: usize, n: usize, events: usize) {
    let mut previous_time = f64::NEG_INFINITY;
    let mut previous_surv = 1.0;
    let mut at_risk = n;
    let (mut event_total, mut censor_total) = (0usize, 0usize);
    for i in 0..written {
        let r: KmRow = rows.get(i);
        finite("time", r.time);
        assert!(
            r.time >= 0.0 && r.time > previous_time,
            "times not increasing"
        );
        assert_eq!(r.n_risk, at_risk, "n_risk");
        probability("surv", r.surv);
        assert!(r.surv <= previous_surv, "S increased");
        std_err_ok(r.std_err, r.surv);
        finite_or_na("std_err_surv", r.std_err_surv);
        probability_or_na("lower", r.lower);
        probability_or_na("upper", r.upper);
        if !r.lower.is_nan() && !r.upper.is_nan() {
            assert!(r.lower <= r.surv + 1e-12 && r.surv <= r.upper + 1e-12);
        }
        at_risk = at_risk
            .checked_sub(r.n_event + r.n_censor)
            .expect("more leave than at risk");
        event_total += r.n_event;
        censor_total += r.n_censor;
        previous_time = r.time;
        previous_surv = r.surv;
    }
    assert_eq!(at_risk, 0, "subjects left after the last row");
    assert_eq!(event_total, events);
    assert_eq!(event_total + censor_total, n);
}

/// R's `std.err` of −log S: finite and ≥ 0, or +∞ once S = 0 (documented on `KmRow`).
fn std_err_ok(se: f64, surv: f64) {
    let ok = (se.is_finite() && se >= 0.0) || (se == f64::INFINITY && surv == 0.0);
    assert!(ok, "std_err = {se} with S = {surv} on ECV_OK");
}

fn check_median(m: &MedianSurvival) {
    finite_or_na("median", m.median);
    finite_or_na("median lower", m.lower);
    finite_or_na("median upper", m.upper);
}
