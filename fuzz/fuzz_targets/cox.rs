//! Cox models through the C ABI: `ecv_cox_fit`, `ecv_cox_screen`, `ecv_cox_subgroup` (one per
//! input, chosen by the first byte), with times and covariates of every class, constant and
//! collinear columns, groups without events (monotone likelihood), events not 0/1 or all
//! censored, strata and weights of any value, 0 to 34 columns, options of any value and
//! unknown enum values, short scratch, NULL, misaligned and overlapping buffers. The iteration
//! limit is kept ≤ 40 (the caller's requested work; R's default is 20).
#![no_main]

use ecvkit::cox::{CoxDiagnostic, CoxFit, CoxTest, ScreenResult, SubgroupLevel, SubgroupResult};
use ecvkit::ffi::cox::{
    ecv_cox_fit, ecv_cox_index_scratch_len, ecv_cox_screen, ecv_cox_subgroup,
    ecv_cox_values_scratch_len, EcvCoxOptions, EcvCoxScreenOptions,
};
use ecvkit::Status;
use ecvkit_fuzz::{
    check_status, finite, finite_or_na, probability, probability_or_na, Bytes, Guarded, Input,
};
use libfuzzer_sys::fuzz_target;
use std::ptr::{null, null_mut};

fuzz_target!(|data: &[u8]| run(data));

/// Data and scratch of one call.
struct Case {
    n: usize,
    p: usize,
    time: Input<f64>,
    event: Input<u8>,
    x: Input<f64>,
    strata: Option<Input<u32>>,
    weights: Option<Input<f64>>,
    index: Guarded,
    index_len: usize,
    values: Guarded,
    values_len: usize,
}

fn cox_options(b: &mut Bytes) -> EcvCoxOptions {
    let d = EcvCoxOptions::default();
    EcvCoxOptions {
        ties: b.enum_u32(2),
        conf_level: b.f64_or(d.conf_level),
        max_iterations: if b.one_in(4) {
            u32::from(b.u8() % 41)
        } else {
            d.max_iterations
        },
        eps: b.f64_or(d.eps),
        toler_chol: b.f64_or(d.toler_chol),
        toler_inf: b.f64_or(d.toler_inf),
        concordance: b.enum_u32(2),
        time_matching: b.enum_u32(2),
    }
}

fn case(b: &mut Bytes, scratch_p: usize) -> Case {
    let n = b.len(30, 300);
    let p = if b.one_in(16) {
        b.below(35)
    } else {
        1 + b.below(4)
    };
    let time = Input::new(b.times(n), b.one_in(64));
    let event = Input::new(b.events(n), false);
    let mut x = Vec::with_capacity(n * p);
    for _ in 0..p {
        let column: Vec<f64> = match b.u8() % 6 {
            0 => (0..n).map(|_| f64::from(b.u8() & 1)).collect(), // a group
            1 => vec![b.f64_or(1.0); n],                          // constant
            2 if !x.is_empty() => {
                // a multiple of the first column: collinear
                let k = b.f64_or(2.0);
                let first: &Vec<f64> = &x[0];
                first.iter().map(|v| k * v).collect()
            }
            _ => b.f64s(n),
        };
        x.push(column);
    }
    // row-major n × p
    let xs: Vec<f64> = (0..n).flat_map(|i| x.iter().map(move |c| c[i])).collect();
    let x = Input::new(xs, b.one_in(64));
    let strata = b.one_in(4).then(|| {
        let k = u32::from(b.u8() % 4) + 1;
        Input::new((0..n).map(|_| u32::from(b.u8()) % k).collect(), false)
    });
    let weights = b.one_in(4).then(|| {
        Input::new(
            (0..n)
                .map(|_| {
                    if b.one_in(8) {
                        b.f64()
                    } else {
                        f64::from(b.u8() % 4 + 1) / 2.0
                    }
                })
                .collect(),
            false,
        )
    });
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n {n} p {p}\ntime {:?}\nevent {:?}\nx {:?}\nstrata {:?}\nweights {:?}",
            time.values,
            event.values,
            x.values,
            strata.as_ref().map(|s| &s.values),
            weights.as_ref().map(|w| &w.values)
        );
    }
    let index_len = b.capacity(ecv_cox_index_scratch_len(n));
    let values_len = b.capacity(ecv_cox_values_scratch_len(n, scratch_p.max(p)));
    Case {
        n,
        p,
        time,
        event,
        x,
        strata,
        weights,
        index: Guarded::new::<u32>(index_len, b.one_in(64)),
        index_len,
        values: Guarded::new::<f64>(values_len, b.one_in(64)),
        values_len,
    }
}

fn opt_ptr<T>(o: &Option<T>) -> *const T {
    o.as_ref().map_or(null(), |o| o as *const T)
}

fn run(data: &[u8]) {
    let mut b = Bytes::new(data);
    match b.u8() % 3 {
        0 => fit(&mut b),
        1 => screen(&mut b),
        _ => subgroup(&mut b),
    }
}

fn check_test(what: &str, t: &CoxTest) {
    finite(what, t.statistic);
    assert!(t.statistic >= -1e-9, "{what} = {}", t.statistic);
    probability(what, t.p_value);
}

/// A fit's invariants on `ECV_OK`.
fn check_fit(f: &CoxFit, p: usize, n: usize) {
    assert_eq!(f.n_covariates as usize, p);
    assert!(f.n as usize <= n && f.n_events <= f.n);
    for j in 0..p {
        finite("coefficient", f.coefficients[j]);
        finite("SE", f.std_errors[j]);
        assert!(f.std_errors[j] >= 0.0);
        // exp(β̂) as R: 0 or +inf only where β̂ is beyond exp's range (documented).
        let hr = f.hazard_ratios[j];
        assert!(hr >= 0.0 && !hr.is_nan());
        assert!(
            hr > 0.0 || f.coefficients[j] < -700.0,
            "HR 0 at beta {}",
            f.coefficients[j]
        );
        assert!(
            hr.is_finite() || f.coefficients[j] > 700.0,
            "HR inf at beta {}",
            f.coefficients[j]
        );
        assert!(f.hr_lower[j] <= f.hazard_ratios[j] && f.hazard_ratios[j] <= f.hr_upper[j]);
        finite_or_na("z", f.z[j]);
        probability_or_na("p", f.p_values[j]);
    }
    for j in p..f.coefficients.len() {
        assert_eq!(f.coefficients[j], 0.0, "slot {j} beyond the model is not 0");
    }
    finite("loglik", f.loglik);
    finite("loglik_null", f.loglik_null);
    check_test("LR", &f.likelihood_ratio);
    check_test("Wald", &f.wald);
    check_test("score", &f.score);
    probability_or_na("concordance", f.concordance.concordance);
}

fn fit(b: &mut Bytes) {
    let mut c = case(b, 0);
    let opts = (!b.one_in(3)).then(|| cox_options(b));
    let mut out = Guarded::new::<CoxFit>(1, false);
    let mut diag = Guarded::new::<CoxDiagnostic>(1, b.one_in(64));
    let with_diag = b.bool();
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n {} p {}\ntime {:?}\nevent {:?}\nx {:?}\nstrata {:?}\nweights {:?}\noptions {opts:?}",
            c.n,
            c.p,
            c.time.values,
            c.event.values,
            c.x.values,
            c.strata.as_ref().map(|s| &s.values),
            c.weights.as_ref().map(|w| &w.values)
        );
    }
    // SAFETY: every pointer is NULL or valid for the length passed with it.
    let s = unsafe {
        ecv_cox_fit(
            c.time.ptr(),
            c.event.ptr(),
            c.n,
            c.x.ptr_or_null(b.one_in(64)),
            c.p,
            c.strata.as_ref().map_or(null(), |s| s.ptr()),
            c.weights.as_ref().map_or(null(), |w| w.ptr()),
            opt_ptr(&opts),
            c.index.ptr(),
            c.index_len,
            c.values.ptr(),
            c.values_len,
            out.ptr(),
            if with_diag { diag.ptr() } else { null_mut() },
        )
    };
    check_status("ecv_cox_fit", s);
    c.index.check_guards("ecv_cox_fit index scratch");
    c.values.check_guards("ecv_cox_fit values scratch");
    diag.check_guards("ecv_cox_fit diagnostic");
    let diagnosed = matches!(
        s,
        Status::Ok
            | Status::CoxMonotoneLikelihood
            | Status::CoxCollinear
            | Status::CoxNotConverged
            | Status::CoxLikelihoodBelowStart
    );
    if !(diagnosed && with_diag) {
        diag.check_unchanged("ecv_cox_fit diagnostic");
    }
    if s == Status::Ok {
        let f: CoxFit = out.get(0);
        check_fit(&f, c.p, c.n);
        out.check_guards("ecv_cox_fit out");
    } else {
        out.check_unchanged("ecv_cox_fit out");
    }

    // Scratch over the covariates must be refused, the covariates intact.
    if c.n > 0 && c.p > 0 && b.one_in(16) {
        let cells = c.n * c.p;
        let need = ecv_cox_values_scratch_len(c.n, c.p);
        let mut room = c.x.values.clone();
        room.resize(cells + need, 0.0);
        let mut shared = Guarded::with(&room, false);
        let mut index = Guarded::new::<u32>(ecv_cox_index_scratch_len(c.n), false);
        let mut out = Guarded::new::<CoxFit>(1, false);
        let offset = b.below(cells) * 8;
        // SAFETY: every range lies inside its buffer; the overlap is what is tested.
        let s = unsafe {
            ecv_cox_fit(
                c.time.ptr(),
                c.event.ptr(),
                c.n,
                shared.cptr(),
                c.p,
                null(),
                null(),
                null(),
                index.ptr(),
                ecv_cox_index_scratch_len(c.n),
                shared.ptr_at(offset),
                need,
                out.ptr(),
                null_mut(),
            )
        };
        check_status("ecv_cox_fit", s);
        assert_ne!(s, Status::Ok);
        shared.check_unchanged("covariates under the scratch");
        out.check_unchanged("ecv_cox_fit out");
    }
    c.time.check_unchanged("time");
    c.event.check_unchanged("event");
    c.x.check_unchanged("covariates");
}

fn screen(b: &mut Bytes) {
    let mut c = case(b, 0);
    let opts = (!b.one_in(3)).then(|| EcvCoxScreenOptions {
        cox: cox_options(b),
        threshold: b.f64_or(0.1),
        test: b.enum_u32(3),
    });
    if ecvkit_fuzz::verbose() {
        eprintln!("options {opts:?}");
    }
    let selected_len = b.capacity(c.p);
    let mut selected = Guarded::new::<u8>(selected_len, false);
    let mut out = Guarded::new::<ScreenResult>(1, false);
    // SAFETY: as above.
    let s = unsafe {
        ecv_cox_screen(
            c.time.ptr(),
            c.event.ptr(),
            c.n,
            c.x.ptr(),
            c.p,
            c.strata.as_ref().map_or(null(), |s| s.ptr()),
            c.weights.as_ref().map_or(null(), |w| w.ptr()),
            opt_ptr(&opts),
            c.index.ptr(),
            c.index_len,
            c.values.ptr(),
            c.values_len,
            selected.ptr(),
            selected_len,
            out.ptr(),
        )
    };
    check_status("ecv_cox_screen", s);
    c.index.check_guards("ecv_cox_screen index scratch");
    c.values.check_guards("ecv_cox_screen values scratch");
    if s == Status::Ok {
        let r: ScreenResult = out.get(0);
        assert_eq!(r.n_columns as usize, c.p);
        let mut kept = 0;
        for j in 0..c.p {
            let flag: u8 = selected.get(j);
            assert!(flag <= 1);
            let row = r.univariable[j];
            if ecvkit_fuzz::verbose() {
                eprintln!("{row:?}");
            }
            check_status("ecv_cox_fit", row.status);
            assert_eq!(row.selected, flag);
            kept += usize::from(flag);
            if row.status == Status::Ok {
                finite("univariable coefficient", row.coefficient);
                probability("univariable p", row.p_value);
            } else {
                assert_eq!(flag, 0, "a failed model was selected");
            }
        }
        assert_eq!(r.n_selected as usize, kept);
        check_status("ecv_cox_screen", r.multivariable_status);
        if r.multivariable_status == Status::Ok {
            check_fit(&r.multivariable, kept, c.n);
        }
        selected.check_unchanged_from(c.p, "ecv_cox_screen selected");
        out.check_guards("ecv_cox_screen out");
    } else {
        selected.check_unchanged("ecv_cox_screen selected");
        out.check_unchanged("ecv_cox_screen out");
    }
    c.x.check_unchanged("covariates");
}

fn check_level(l: &SubgroupLevel) {
    if l.status == Status::Ok {
        finite("subgroup coefficient", l.coefficient);
        assert!(l.hazard_ratio >= 0.0 && !l.hazard_ratio.is_nan());
        assert!(l.hazard_ratio > 0.0 || l.coefficient < -700.0);
        probability_or_na("subgroup p", l.p_value);
    } else {
        check_status("ecv_cox_fit", l.status);
    }
}

fn subgroup(b: &mut Bytes) {
    let mut c = case(b, 31);
    let columns = c.p.max(1) + 1;
    let (group, sub) = if b.one_in(8) {
        (b.u64() as usize, b.u64() as usize)
    } else {
        (b.below(columns), b.below(columns))
    };
    let opts = (!b.one_in(3)).then(|| cox_options(b));
    let mut out = Guarded::new::<SubgroupResult>(1, false);
    // SAFETY: as above.
    let s = unsafe {
        ecv_cox_subgroup(
            c.time.ptr(),
            c.event.ptr(),
            c.n,
            c.x.ptr(),
            c.p,
            c.strata.as_ref().map_or(null(), |s| s.ptr()),
            c.weights.as_ref().map_or(null(), |w| w.ptr()),
            group,
            sub,
            opt_ptr(&opts),
            c.index.ptr(),
            c.index_len,
            c.values.ptr(),
            c.values_len,
            out.ptr(),
        )
    };
    check_status("ecv_cox_subgroup", s);
    c.index.check_guards("ecv_cox_subgroup index scratch");
    c.values.check_guards("ecv_cox_subgroup values scratch");
    if s == Status::Ok {
        let r: SubgroupResult = out.get(0);
        assert!(group < c.p && sub < c.p && group != sub);
        assert!(r.n_levels as usize <= r.levels.len());
        check_level(&r.overall);
        for l in &r.levels[..r.n_levels as usize] {
            check_level(l);
        }
        check_status("ecv_cox_subgroup", r.interaction_status);
        if r.interaction_status == Status::Ok {
            check_test("interaction Wald", &r.interaction_wald);
            check_test("interaction LR", &r.interaction_lr);
        }
        out.check_guards("ecv_cox_subgroup out");
    } else {
        out.check_unchanged("ecv_cox_subgroup out");
    }
    c.x.check_unchanged("covariates");
}
