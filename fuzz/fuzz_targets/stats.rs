//! Correlation, agreement and Table 1 tests through the C ABI: `ecv_spearman`, `ecv_pearson`,
//! `ecv_icc`, `ecv_t_test`, `ecv_wilcoxon_rank_sum`, `ecv_chi_square`, `ecv_fisher_exact_2x2`,
//! `ecv_quantile_type7`, `ecv_median_iqr`, `ecv_mean_sd`. One function per input (chosen by the
//! first byte), with values of every class, ties, constant samples, n from 0 to past the exact
//! and Edgeworth limits (1290), counts that are negative / fractional / huge, unknown enum
//! values, short scratch, NULL, misaligned and overlapping buffers.
#![no_main]

use ecvkit::ffi::stats::{
    ecv_chi_square, ecv_fisher_exact_2x2, ecv_icc, ecv_mean_sd, ecv_median_iqr, ecv_pearson,
    ecv_quantile_type7, ecv_rank_scratch_indices_needed, ecv_rank_scratch_values_needed,
    ecv_spearman, ecv_t_test, ecv_wilcoxon_rank_sum, EcvPearsonOptions, EcvSpearmanOptions,
    EcvTTestOptions, EcvWilcoxonOptions,
};
use ecvkit::stats::{
    ChiSquareTest, FisherTest, IccOptions, IccTable, MeanSd, MedianIqr, PearsonTest, SpearmanTest,
    TTest, WilcoxonTest,
};
use ecvkit::Status;
use ecvkit_fuzz::{
    check_status, finite, finite_or_na, guarded_one, probability, probability_or_na, Bytes,
    Guarded, Input,
};
use libfuzzer_sys::fuzz_target;
use std::ptr::null;

fuzz_target!(|data: &[u8]| run(data));

fn run(data: &[u8]) {
    let mut b = Bytes::new(data);
    match b.u8() % 10 {
        0 => spearman(&mut b),
        1 => pearson(&mut b),
        2 => icc(&mut b),
        3 => t_test(&mut b),
        4 => wilcoxon(&mut b),
        5 => chi_square(&mut b),
        6 => fisher(&mut b),
        7 => quantiles(&mut b),
        8 => median_iqr(&mut b),
        _ => mean_sd(&mut b),
    }
}

fn opt_ptr<T>(o: &Option<T>) -> *const T {
    o.as_ref().map_or(null(), |o| o as *const T)
}

/// Rank scratch (values, indices) for n observations, possibly short or misaligned.
fn rank_scratch(b: &mut Bytes, n: usize) -> (Guarded, usize, Guarded, usize) {
    let vl = b.capacity(ecv_rank_scratch_values_needed(n));
    let il = b.capacity(ecv_rank_scratch_indices_needed(n));
    (
        Guarded::new::<f64>(vl, b.one_in(64)),
        vl,
        Guarded::new::<u32>(il, false),
        il,
    )
}

fn spearman(b: &mut Bytes) {
    let n = b.len(20, 1500);
    let x = Input::new(b.f64s(n), b.one_in(64));
    let y = Input::new(b.f64s(n), false);
    let opts = (!b.one_in(3)).then(|| EcvSpearmanOptions {
        alternative: b.enum_u32(3),
        method: b.enum_u32(2),
    });
    let (mut sv, svl, mut si, sil) = rank_scratch(b, n);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n {n}\nx = {:?}\ny = {:?}\noptions = {opts:?} scratch {svl} {sil}",
            x.values, y.values
        );
    }
    let mut out = guarded_one(SpearmanTest::default());
    // SAFETY: every pointer is NULL or valid for the length passed with it.
    let s = unsafe {
        ecv_spearman(
            x.ptr_or_null(b.one_in(64)),
            y.ptr(),
            n,
            opt_ptr(&opts),
            sv.ptr(),
            svl,
            si.ptr(),
            sil,
            out.ptr(),
        )
    };
    check_status("ecv_spearman", s);
    sv.check_guards("ecv_spearman scratch values");
    si.check_guards("ecv_spearman scratch indices");
    if s == Status::Ok {
        let t: SpearmanTest = out.get(0);
        assert_eq!(t.n, n);
        finite("rho", t.rho);
        assert!((-1.0..=1.0).contains(&t.rho), "rho {}", t.rho);
        finite("S", t.s);
        assert!(t.s >= 0.0);
        probability("p", t.p_value);
        out.check_guards("ecv_spearman out");
    } else {
        out.check_unchanged("ecv_spearman out");
    }
    // Scratch over x must be refused with x intact.
    if n > 0 && b.one_in(8) {
        let mut room = x.values.clone();
        room.resize(2 * n + ecv_rank_scratch_values_needed(n), 0.0);
        let mut shared = Guarded::with(&room, false);
        let mut idx = Guarded::new::<u32>(ecv_rank_scratch_indices_needed(n), false);
        let mut out = guarded_one(SpearmanTest::default());
        let offset = b.below(n) * 8;
        // SAFETY: ranges inside their buffers; the overlap is what is tested.
        let s = unsafe {
            ecv_spearman(
                shared.cptr(),
                y.ptr(),
                n,
                null(),
                shared.ptr_at(offset),
                ecv_rank_scratch_values_needed(n),
                idx.ptr(),
                ecv_rank_scratch_indices_needed(n),
                out.ptr(),
            )
        };
        check_status("ecv_spearman", s);
        assert_ne!(s, Status::Ok);
        shared.check_unchanged("x under the scratch");
        out.check_unchanged("ecv_spearman out");
    }
    x.check_unchanged("x");
    y.check_unchanged("y");
}

fn pearson(b: &mut Bytes) {
    let n = b.len(20, 2000);
    let x = Input::new(b.f64s(n), b.one_in(64));
    let y = Input::new(b.f64s(n), false);
    let opts = (!b.one_in(3)).then(|| EcvPearsonOptions {
        alternative: b.enum_u32(3),
        conf_level: b.f64_or(0.95),
    });
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "n {n}\nx = {:?}\ny = {:?}\noptions = {opts:?}",
            x.values, y.values
        );
    }
    let mut out = guarded_one(PearsonTest::default());
    // SAFETY: as above.
    let s = unsafe {
        ecv_pearson(
            x.ptr(),
            y.ptr_or_null(b.one_in(64)),
            n,
            opt_ptr(&opts),
            out.ptr(),
        )
    };
    check_status("ecv_pearson", s);
    if s == Status::Ok {
        let t: PearsonTest = out.get(0);
        finite("r", t.r);
        assert!((-1.0..=1.0).contains(&t.r), "r {}", t.r);
        if t.r.abs() < 1.0 {
            finite("t", t.t);
        } else {
            assert!(!t.t.is_nan());
        }
        probability("p", t.p_value);
        probability_or_na("conf_low + 1 / 2", (t.conf_low + 1.0) / 2.0);
        probability_or_na("conf_high + 1 / 2", (t.conf_high + 1.0) / 2.0);
        out.check_guards("ecv_pearson out");
    } else {
        out.check_unchanged("ecv_pearson out");
    }
    x.check_unchanged("x");
    y.check_unchanged("y");
}

fn icc(b: &mut Bytes) {
    let subjects = b.len(12, 200);
    let raters = b.len(4, 12);
    let ratings = Input::new(b.f64s(subjects * raters), b.one_in(64));
    let opts = (!b.one_in(3)).then(|| IccOptions {
        conf_level: b.f64_or(0.95),
    });
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "subjects {subjects} raters {raters}\nratings = {:?}\noptions = {opts:?}",
            ratings.values
        );
    }
    let mut out = guarded_one(IccTable::default());
    // SAFETY: as above.
    let s = unsafe { ecv_icc(ratings.ptr(), subjects, raters, opt_ptr(&opts), out.ptr()) };
    check_status("ecv_icc", s);
    if s == Status::Ok {
        let t: IccTable = out.get(0);
        assert_eq!((t.subjects, t.raters), (subjects, raters));
        if ecvkit_fuzz::verbose() {
            eprintln!("{t:#?}");
        }
        for f in t.forms {
            // −∞ only for the average-measure forms when MSB = 0 (documented, as psych).
            let degenerate = t.ms_subjects == 0.0 && f.icc == f64::NEG_INFINITY;
            if !degenerate {
                finite_or_na("icc", f.icc);
            }
            // No upper bound: ICC(A,k) exceeds 1 when its denominator turns negative, in
            // psych::ICC too (a fuzz input gave 12.43 in both).
            probability_or_na("icc p", f.p_value);
            assert!(!f.df1.is_nan() && !f.df2.is_nan());
        }
        // +∞ only when the true mean square exceeds the largest double (documented).
        for ms in [t.ms_subjects, t.ms_raters, t.ms_residual, t.ms_within] {
            assert!(ms >= 0.0, "mean square {ms}");
        }
        out.check_guards("ecv_icc out");
    } else {
        out.check_unchanged("ecv_icc out");
    }
    ratings.check_unchanged("ratings");
}

/// Two samples for the two-sample tests, read in one fixed order (both lengths, then x, its
/// alignment, then y), so that the committed corpora keep decoding to the same calls.
fn two_samples(b: &mut Bytes, small: usize, max: usize) -> (Input<f64>, Input<f64>) {
    let (nx, ny) = (b.len(small, max), b.len(small, max));
    let x = Input::new(b.f64s(nx), b.one_in(64));
    let y = Input::new(b.f64s(ny), false);
    (x, y)
}

fn t_test(b: &mut Bytes) {
    let (x, y) = two_samples(b, 12, 500);
    let (nx, ny) = (x.values.len(), y.values.len());
    let opts = (!b.one_in(3)).then(|| EcvTTestOptions {
        alternative: b.enum_u32(3),
        variance: b.enum_u32(2),
        mu: b.f64_or(0.0),
        conf_level: b.f64_or(0.95),
    });
    if ecvkit_fuzz::verbose() {
        eprintln!("x = {:?}\ny = {:?}\noptions = {opts:?}", x.values, y.values);
    }
    let mut out = guarded_one(TTest::default());
    // SAFETY: as above.
    let s = unsafe { ecv_t_test(x.ptr(), nx, y.ptr(), ny, opt_ptr(&opts), out.ptr()) };
    check_status("ecv_t_test", s);
    if s == Status::Ok {
        let t: TTest = out.get(0);
        if ecvkit_fuzz::verbose() {
            eprintln!("{t:?}");
        }
        finite("t", t.t);
        finite("df", t.df);
        assert!(t.df > 0.0);
        probability("p", t.p_value);
        // One-sided alternatives have one infinite bound (documented); the other is finite.
        // Both also overflow when the bound lies beyond the largest double (documented), i.e.
        // when the SE or a mean is within a few orders of magnitude of it.
        let alternative = opts.map_or(0, |o| o.alternative);
        // The bounds are (t ∓ q)·SE + μ: "beyond the largest double" is judged from the same
        // quantile q (a conf_level of 2e-319 gives q ~ 1e79, so an SE of 2e267 is enough).
        let cl = opts.map_or(0.95, |o| o.conf_level);
        let q = if alternative == 0 {
            ecvkit::dist::t_quantile(1.0 - (1.0 - cl) / 2.0, t.df)
        } else {
            ecvkit::dist::t_quantile(cl, t.df)
        };
        let reach = (t.t.abs() + q.abs()) * t.stderr;
        let huge = !(reach < 1e300) || t.mean_x.abs().max(t.mean_y.abs()) > 1e290;
        // Beyond the largest double a bound is ±inf with either sign (the quantile times a
        // huge SE: conf_level 5e-324 with SE 5e299 put the lower bound of a `greater` test
        // at +inf, as R does).
        let low_ok = t.conf_low.is_finite()
            || (t.conf_low == f64::NEG_INFINITY && alternative == 1)
            || (t.conf_low.is_infinite() && huge);
        let high_ok = t.conf_high.is_finite()
            || (t.conf_high == f64::INFINITY && alternative == 2)
            || (t.conf_high.is_infinite() && huge);
        assert!(
            low_ok && high_ok,
            "bounds [{}, {}]",
            t.conf_low,
            t.conf_high
        );
        finite("mean_x", t.mean_x);
        finite("mean_y", t.mean_y);
        finite("stderr", t.stderr);
        out.check_guards("ecv_t_test out");
    } else {
        out.check_unchanged("ecv_t_test out");
    }
    x.check_unchanged("x");
    y.check_unchanged("y");
}

fn wilcoxon(b: &mut Bytes) {
    let (x, y) = two_samples(b, 15, 600);
    let (nx, ny) = (x.values.len(), y.values.len());
    let opts = (!b.one_in(3)).then(|| EcvWilcoxonOptions {
        alternative: b.enum_u32(3),
        continuity: b.enum_u32(2),
        method: b.enum_u32(2),
        mu: b.f64_or(0.0),
    });
    let (mut sv, svl, mut si, sil) = rank_scratch(b, nx + ny);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "x = {:?}\ny = {:?}\noptions = {opts:?} scratch {svl} {sil}",
            x.values, y.values
        );
    }
    let mut out = guarded_one(WilcoxonTest::default());
    // SAFETY: as above.
    let s = unsafe {
        ecv_wilcoxon_rank_sum(
            x.ptr(),
            nx,
            y.ptr(),
            ny,
            opt_ptr(&opts),
            sv.ptr(),
            svl,
            si.ptr(),
            sil,
            out.ptr(),
        )
    };
    check_status("ecv_wilcoxon_rank_sum", s);
    sv.check_guards("ecv_wilcoxon_rank_sum scratch values");
    si.check_guards("ecv_wilcoxon_rank_sum scratch indices");
    if s == Status::Ok {
        let t: WilcoxonTest = out.get(0);
        finite("W", t.w);
        assert!(t.w >= 0.0 && t.w <= (nx * ny) as f64, "W {}", t.w);
        probability("p", t.p_value);
        finite_or_na("z", t.z);
        assert_eq!((t.n_x, t.n_y), (nx, ny));
        out.check_guards("ecv_wilcoxon_rank_sum out");
    } else {
        out.check_unchanged("ecv_wilcoxon_rank_sum out");
    }
    x.check_unchanged("x");
    y.check_unchanged("y");
}

/// Counts: small whole numbers mostly, sometimes any double.
fn counts(b: &mut Bytes, n: usize) -> Vec<f64> {
    (0..n)
        .map(|_| {
            if b.one_in(6) {
                b.f64()
            } else {
                f64::from(b.u8() % 40)
            }
        })
        .collect()
}

fn chi_square(b: &mut Bytes) {
    let rows = b.below(5);
    let cols = b.below(5);
    let table = Input::new(counts(b, rows * cols), b.one_in(64));
    let continuity = b.enum_u32(2);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "{rows} x {cols} = {:?} continuity {continuity}",
            table.values
        );
    }
    let mut out = guarded_one(ChiSquareTest::default());
    // SAFETY: as above.
    let s = unsafe { ecv_chi_square(table.ptr(), rows, cols, continuity, out.ptr()) };
    check_status("ecv_chi_square", s);
    if s == Status::Ok {
        let t: ChiSquareTest = out.get(0);
        // +∞ only when X² exceeds the largest double (documented): counts near it.
        if table.values.iter().sum::<f64>() < 1e300 {
            finite("chi-square", t.statistic);
        }
        assert!(t.statistic >= 0.0);
        assert_eq!(t.df, ((rows - 1) * (cols - 1)) as f64);
        probability("p", t.p_value);
        finite("min_expected", t.min_expected);
        out.check_guards("ecv_chi_square out");
    } else {
        out.check_unchanged("ecv_chi_square out");
    }
    table.check_unchanged("table");
}

fn fisher(b: &mut Bytes) {
    let (rows, cols) = if b.one_in(8) {
        (b.below(4), b.below(4))
    } else {
        (2, 2)
    };
    let table = Input::new(
        (0..rows * cols)
            .map(|_| match b.u8() % 8 {
                0 => b.f64(),
                1 => f64::from(b.u32()),
                _ => f64::from(b.u8() % 60),
            })
            .collect(),
        b.one_in(64),
    );
    if ecvkit_fuzz::verbose() {
        eprintln!("{rows} x {cols} = {:?}", table.values);
    }
    let mut out = guarded_one(FisherTest::default());
    // SAFETY: as above.
    let s = unsafe { ecv_fisher_exact_2x2(table.ptr(), rows, cols, out.ptr()) };
    check_status("ecv_fisher_exact_2x2", s);
    if s == Status::Ok {
        let t: FisherTest = out.get(0);
        probability("p two-sided", t.p_two_sided);
        probability("p less", t.p_less);
        probability("p greater", t.p_greater);
        out.check_guards("ecv_fisher_exact_2x2 out");
    } else {
        out.check_unchanged("ecv_fisher_exact_2x2 out");
    }
    table.check_unchanged("table");
}

fn quantiles(b: &mut Bytes) {
    let n = b.len(30, 3000);
    let x = Input::new(b.f64s(n), b.one_in(64));
    let n_probs = b.len(6, 40);
    let probs = Input::new(
        (0..n_probs)
            .map(|_| {
                if b.one_in(6) {
                    b.f64()
                } else {
                    f64::from(b.u8()) / 255.0
                }
            })
            .collect(),
        false,
    );
    if ecvkit_fuzz::verbose() {
        eprintln!("x = {:?}\nprobs = {:?}", x.values, probs.values);
    }
    let capacity = b.capacity(n_probs);
    let scratch_len = b.capacity(n);
    let mut out = Guarded::new::<f64>(capacity, b.one_in(64));
    let mut scratch = Guarded::new::<f64>(scratch_len, false);
    // SAFETY: as above.
    let s = unsafe {
        ecv_quantile_type7(
            x.ptr(),
            n,
            probs.ptr(),
            n_probs,
            out.ptr(),
            capacity,
            scratch.ptr(),
            scratch_len,
        )
    };
    check_status("ecv_quantile_type7", s);
    scratch.check_guards("ecv_quantile_type7 scratch");
    if s == Status::Ok {
        let lo = x.values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        for i in 0..n_probs {
            let q: f64 = out.get(i);
            finite("quantile", q);
            assert!(q >= lo && q <= hi, "quantile {q} outside [{lo}, {hi}]");
            for j in 0..n_probs {
                let qj: f64 = out.get(j);
                if probs.values[i] < probs.values[j] {
                    assert!(q <= qj, "quantiles not monotone in p");
                }
            }
        }
        out.check_unchanged_from(n_probs * 8, "ecv_quantile_type7 out");
    } else {
        out.check_unchanged("ecv_quantile_type7 out");
    }
    x.check_unchanged("x");
    probs.check_unchanged("probs");
}

fn median_iqr(b: &mut Bytes) {
    let n = b.len(30, 3000);
    let x = Input::new(b.f64s(n), b.one_in(64));
    if ecvkit_fuzz::verbose() {
        eprintln!("x = {:?}", x.values);
    }
    let scratch_len = b.capacity(n);
    let mut scratch = Guarded::new::<f64>(scratch_len, b.one_in(64));
    let mut out = guarded_one(MedianIqr::default());
    // SAFETY: as above.
    let s = unsafe { ecv_median_iqr(x.ptr(), n, scratch.ptr(), scratch_len, out.ptr()) };
    check_status("ecv_median_iqr", s);
    scratch.check_guards("ecv_median_iqr scratch");
    if s == Status::Ok {
        let m: MedianIqr = out.get(0);
        for v in [m.median, m.q1, m.q3, m.iqr, m.min, m.max] {
            finite("median/IQR field", v);
        }
        assert!(m.min <= m.q1 && m.q1 <= m.median && m.median <= m.q3 && m.q3 <= m.max);
        assert!(m.iqr >= 0.0);
        out.check_guards("ecv_median_iqr out");
    } else {
        out.check_unchanged("ecv_median_iqr out");
    }
    x.check_unchanged("x");
}

fn mean_sd(b: &mut Bytes) {
    let n = b.len(30, 3000);
    let x = Input::new(b.f64s(n), b.one_in(64));
    if ecvkit_fuzz::verbose() {
        eprintln!("x = {:?}", x.values);
    }
    let mut out = guarded_one(MeanSd::default());
    // SAFETY: as above.
    let s = unsafe { ecv_mean_sd(x.ptr_or_null(b.one_in(64)), n, out.ptr()) };
    check_status("ecv_mean_sd", s);
    if s == Status::Ok {
        let m: MeanSd = out.get(0);
        if ecvkit_fuzz::verbose() {
            eprintln!("{m:?}");
        }
        finite("mean", m.mean);
        let lo = x.values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        assert!(
            m.mean >= lo && m.mean <= hi,
            "mean {} outside [{lo}, {hi}]",
            m.mean
        );
        if n > 1 {
            finite("sd", m.sd);
            assert!(m.sd >= 0.0);
        } else {
            assert!(m.sd.is_nan());
        }
        out.check_guards("ecv_mean_sd out");
    } else {
        out.check_unchanged("ecv_mean_sd out");
    }
    x.check_unchanged("x");
}
