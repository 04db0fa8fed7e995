//! Inputs the fuzz targets (fuzz/fuzz_targets/, issue 9) found, kept as tests named after the
//! input. Each test states what the input broke and checks the fixed behaviour; the fix itself
//! is in src/ (see the commit that added the test).

mod common;

use common::{assert_close, Table};
use ecvkit::cox::{
    cox_fit, scratch_sizes, subgroup_effects, univariable_screen, CoxData, CoxDiagnostic, CoxFit,
    CoxOptions, CoxScratch, ScreenOptions,
};
use ecvkit::cutpoint::{lausen92_p, lausen94_p};
use ecvkit::image::{Image, ImageDescriptor, Padding, PixelData, PixelSpacing, Rescale};
use ecvkit::roi::{reader_average, roi_summary, Point, Rectangle, Roi, RoiOptions, Shape, Units};
use ecvkit::stats::{
    chi_square, fisher_exact_2x2, icc, mean_sd, t_test, Alternative, ContingencyTable, Continuity,
    IccOptions, IccType, RatingMatrix, TTestOptions, TTestVariance,
};
use ecvkit::survival::{
    km_scratch_len, log_rank, logrank_scratch_len, Groups, KaplanMeier, KmOptions, LogRankOptions,
    LogRankOutput, TimeMatching,
};
use ecvkit::Status;

/// Runs `f` with Cox scratch for `n` subjects and `p` columns, in buffers the caller owns (as in C).
fn with_cox_scratch<T>(n: usize, p: usize, f: impl FnOnce(&mut CoxScratch<'_>) -> T) -> T {
    let sizes = scratch_sizes(n, p).unwrap();
    let (mut index, mut values) = (vec![0u32; sizes.index], vec![0.0; sizes.values]);
    let mut scratch = CoxScratch {
        index: &mut index,
        values: &mut values,
    };
    f(&mut scratch)
}

/// A committed reference table with its `time` and `event` columns read out.
fn survival_table(name: &str) -> (Table, Vec<f64>, Vec<u8>) {
    let table = Table::load(name);
    let time = table.f64_col("time");
    let event = table.f64_col("event").iter().map(|&e| e as u8).collect();
    (table, time, event)
}

/// `cox_fit` with the default options.
fn default_cox_fit(data: &CoxData<'_>, n: usize, p: usize) -> Result<CoxFit, Status> {
    with_cox_scratch(n, p, |scratch| {
        cox_fit(data, &CoxOptions::default(), scratch, None)
    })
}

/// fuzz target `km`: 8 subjects and τ = f64::MAX. The restricted mean's variance summed
/// hᵢ (T − Cᵢ)², whose squares overflowed to ∞, and the compensated sum of ∞ gave NaN: a NaN
/// standard error came back with `ECV_OK`.
#[test]
fn km_restricted_mean_tau_f64_max() {
    let time = [27.6875, 1008.125, 16.0, 0.0, 3.9375, 0.0625, 0.0, 0.0];
    let event = [1, 0, 0, 1, 1, 1, 1, 1];
    let mut scratch = vec![0u64; km_scratch_len(time.len())];
    let km = KaplanMeier::new(&time, &event, &KmOptions::default(), &mut scratch).unwrap();
    let r = km.restricted_mean(f64::MAX).unwrap();
    assert!(r.mean.is_finite() && r.mean > 0.0 && r.mean <= f64::MAX);
    assert!(
        r.std_err.is_finite() && r.std_err > 0.0,
        "std_err = {}",
        r.std_err
    );
    // The scaled sum agrees with the unscaled one where the latter does not overflow: the same
    // data at τ = 2000 (every event time ≤ 1008.125 < τ).
    let small = km.restricted_mean(2000.0).unwrap();
    let mut variance = 0.0;
    let (mut area, mut previous_time, mut previous_surv) = (0.0, 0.0, 1.0);
    let mut terms = Vec::new();
    for row in km.rows() {
        area += (row.time - previous_time) * previous_surv;
        let (n, d) = (row.n_risk as f64, row.n_event as f64);
        let h = if row.n_risk == row.n_event {
            0.0
        } else {
            d / (n * (n - d))
        };
        terms.push((area, h));
        previous_time = row.time;
        previous_surv = row.surv;
    }
    area += (2000.0 - previous_time) * previous_surv;
    for (cumulative, h) in terms {
        variance += h * (area - cumulative) * (area - cumulative);
    }
    assert!((small.std_err - variance.sqrt()).abs() <= 1e-12 * small.std_err);
}

/// fuzz target `km` (long run): times [1e300, DBL_MAX, 12.48] with the last censored. S is exactly
/// 0.5 from t = 1e300 until it drops at DBL_MAX, so R's rule takes the median as the mean of the
/// two times; (1e300 + DBL_MAX)/2 overflowed to +inf, which came back as the median with
/// `ECV_OK`. The mean is now `f64::midpoint`, equal to (a + b)/2 wherever that sum is finite.
#[test]
fn km_median_between_1e300_and_f64_max() {
    let time = [1e300, f64::MAX, 12.478999671649264];
    let event = [1, 1, 0];
    let mut scratch = vec![0u64; km_scratch_len(time.len())];
    let km = KaplanMeier::new(&time, &event, &KmOptions::default(), &mut scratch).unwrap();
    let median = km.median().median;
    assert!(median.is_finite(), "median = {median}");
    assert_eq!(median, 1e300 / 2.0 + f64::MAX / 2.0);
    assert!(median > 1e300 && median < f64::MAX);
    // Where the sum is finite the rule is R's (t0 + t1)/2 exactly: the same data scaled down.
    let time = [10.0, 31.0, 1.5];
    let mut scratch = vec![0u64; km_scratch_len(time.len())];
    let km = KaplanMeier::new(&time, &event, &KmOptions::default(), &mut scratch).unwrap();
    assert_eq!(km.median().median, (10.0 + 31.0) / 2.0);
}

/// fuzz target `logrank`: 3 subjects in 2 groups, ρ = −7.8e298. The Fleming–Harrington weights
/// S(t−)^ρ overflowed to ∞ and O came back infinite with `ECV_OK`. ρ < 0 lies outside the
/// G^ρ family (ρ ≥ 0) and is now refused; ρ = 0 on the same data still works.
#[test]
fn logrank_rho_minus_7_8e298() {
    let time = [0.0, 0.0, 12.0];
    let event = [0, 1, 1];
    let labels = [1, 0, 0];
    let run = |rho: f64| {
        let (mut o, mut e, mut v) = ([-1.0; 2], [-1.0; 2], [-1.0; 4]);
        let mut scratch = vec![0u64; logrank_scratch_len(3)];
        let result = log_rank(
            &time,
            &event,
            Groups {
                labels: &labels,
                count: 2,
            },
            None,
            &LogRankOptions {
                rho,
                time_matching: TimeMatching::Exact,
            },
            &mut scratch,
            LogRankOutput {
                observed: &mut o,
                expected: &mut e,
                variance: &mut v,
            },
        );
        (result, o)
    };
    let (result, o) = run(-7.845911676394542e298);
    assert_eq!(result.err(), Some(Status::InvalidOption));
    assert_eq!(o, [-1.0; 2], "nothing written");
    assert_eq!(run(-0.5).0.err(), Some(Status::InvalidOption));
    let (result, o) = run(0.0);
    assert!(result.is_ok() && o.iter().all(|x| x.is_finite()));
}

/// fuzz target `logrank`: 27 subjects, all events, 2 groups in 3 strata where only one group is
/// ever at risk within a stratum, ρ = 85. V is exactly singular (R: "system is exactly
/// singular"), but its entry was the rounding residue −6.4e-58 of Σ t − Σ t, and the singularity
/// tolerance, relative to that residue, let it through: χ² = −3.1e26 came back with `ECV_OK`.
#[test]
fn logrank_one_group_per_stratum_rho_85() {
    let time = [
        52.0, 25.0, 1.0, 58.0, 6.0, 19.0, 10.0, 1e15, 14.0, 57.0, 23.0, 45.0, 31.0, 33.0, 42.0,
        31.0, 29.0, 45.0, 12.0, 50.0, 51.0, 39.0, 55.0, 19.0, 51.0, 34.0, 24.0,
    ];
    let event = [1u8; 27];
    let mut labels = [1u32; 27];
    labels[0] = 0;
    labels[1] = 0;
    let mut strata = [1u32; 27];
    strata[..2].copy_from_slice(&[3, 3]);
    strata[2..6].copy_from_slice(&[0; 4]);
    for rho in [0.0, 1.0, 85.0] {
        let (mut o, mut e, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);
        let mut scratch = vec![0u64; logrank_scratch_len(27)];
        let result = log_rank(
            &time,
            &event,
            Groups {
                labels: &labels,
                count: 2,
            },
            Some(&strata),
            &LogRankOptions {
                rho,
                time_matching: TimeMatching::Exact,
            },
            &mut scratch,
            LogRankOutput {
                observed: &mut o,
                expected: &mut e,
                variance: &mut v,
            },
        );
        assert_eq!(result.err(), Some(Status::SingularVariance), "rho = {rho}");
    }
}

/// fuzz target `stats`: `ecv_mean_sd` of [−87.984375, −1e300]. (x − x̄)² overflowed to ∞ and
/// the compensated sum gave a NaN SD with `ECV_OK` (R's `sd` says `Inf`); the SD is
/// 1e300 / √2. Also: squares of tiny values no longer underflow to an SD of 0.
#[test]
fn stats_mean_sd_minus_88_and_minus_1e300() {
    let m = mean_sd(&[-87.984375, -1e300]).unwrap();
    assert_eq!(m.mean, -5e299);
    let sd = 1e300 / 2f64.sqrt();
    assert!((m.sd - sd).abs() <= 1e-15 * sd, "sd = {}", m.sd);
    // [M/2, −M/2, M/2], M the largest double: mean M/6, SD M/√3 (the sum M/2 and the squares
    // M²/9 … overflow unscaled).
    let half = f64::MAX / 2.0;
    let m = mean_sd(&[half, -half, half]).unwrap();
    assert!((m.mean - f64::MAX / 6.0).abs() <= 1e-15 * f64::MAX);
    let sd = f64::MAX / 3f64.sqrt();
    assert!((m.sd - sd).abs() <= 1e-15 * sd, "sd = {}", m.sd);
    let m = mean_sd(&[3e-310, 5e-310]).unwrap();
    assert!(m.sd > 0.0, "sd = {}", m.sd);
    // Ordinary data: identical to the unscaled two-pass computation.
    let x = [1.5, 2.25, -3.0, 7.125, 0.1, 1e-3];
    let n = x.len() as f64;
    let rough = x.iter().sum::<f64>() / n;
    let mean = rough + x.iter().map(|v| v - rough).sum::<f64>() / n;
    let sd = (x.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1.0)).sqrt();
    let m = mean_sd(&x).unwrap();
    assert!((m.mean - mean).abs() <= 1e-15 && (m.sd - sd).abs() <= 1e-15 * sd);
}

/// fuzz target `stats`: Welch's `ecv_t_test` of x = [9, 1e300] against 40 values in [0, 1].
/// s²ₓ = 5e599 overflowed to ∞ and the Welch df came out NaN (∞/∞) with `ECV_OK`. The test now
/// runs on the data divided by a power of two: t, df and p are scale-free.
#[test]
fn stats_welch_t_9_and_1e300() {
    let x = [9.0, 1e300];
    let y: Vec<f64> = (0..40).map(|i| f64::from(i) / 40.0).collect();
    for variance in [TTestVariance::Welch, TTestVariance::Pooled] {
        let o = TTestOptions {
            variance,
            ..TTestOptions::default()
        };
        let t = t_test(&x, &y, &o).unwrap();
        for v in [
            t.t,
            t.df,
            t.p_value,
            t.conf_low,
            t.conf_high,
            t.mean_x,
            t.stderr,
        ] {
            assert!(v.is_finite(), "{variance:?}: {t:?}");
        }
        // The same data divided by 1e290 (no overflow unscaled) give the same t, df, p, and
        // the SE and interval divided by 1e290.
        let xs = [9e-290, 1e10];
        let ys: Vec<f64> = y.iter().map(|v| v / 1e290).collect();
        let u = t_test(&xs, &ys, &o).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * a.abs().max(b.abs());
        assert!(close(t.t, u.t) && close(t.df, u.df) && close(t.p_value, u.p_value));
        assert!(close(t.stderr / 1e290, u.stderr) && close(t.conf_high / 1e290, u.conf_high));
    }
}

/// fuzz target `stats`: Welch's `ecv_t_test` of x = [5.07e-125, −0] against eleven zeros. The
/// first scaled version took the larger of the two samples' scales, 1 for the zeros, so
/// SE⁴ ≈ 4e-499 still underflowed to 0 and the Welch df came out 0/0 = NaN with `ECV_OK` (R
/// gives NaN too). One scale from the largest magnitude of both samples gives df = 1.
#[test]
fn stats_welch_t_5e_125_against_zeros() {
    let x = [5.071407362303264e-125, -0.0];
    let y = [0.0; 11];
    let t = t_test(&x, &y, &TTestOptions::default()).unwrap();
    assert_eq!(t.df, 1.0);
    assert!(t.t.is_finite() && (0.0..=1.0).contains(&t.p_value), "{t:?}");
    // Same as the data multiplied by 2^420 (no underflow there).
    let scale = libm::ldexp(1.0, 420);
    let u = t_test(&[x[0] * scale, 0.0], &y, &TTestOptions::default()).unwrap();
    assert_eq!((t.t, t.df, t.p_value), (u.t, u.df, u.p_value));
}

/// fuzz target `stats`: `ecv_icc` of 5 subjects × 3 raters with two ratings of 1e300. The sums
/// of squares overflowed (∞ − ∞) and MSB came back NaN with `ECV_OK`. The mean squares are now
/// taken on the ratings divided by a power of two: the ICCs equal those of the same matrix
/// divided by 1e290, and the mean squares themselves (about 1e599) are +∞, as documented.
#[test]
fn stats_icc_ratings_1e300() {
    let eps = f64::EPSILON;
    let ratings = [
        33.0, 52.0, 44.0, 31.0, 57.0, 37.0, -24.0, -24.0, 1e300, eps, eps, -54.0, eps, eps, 1e300,
    ];
    let t = icc(
        RatingMatrix::new(&ratings, 5, 3).unwrap(),
        &IccOptions::default(),
    )
    .unwrap();
    for v in [t.ms_subjects, t.ms_raters, t.ms_residual, t.ms_within] {
        assert_eq!(v, f64::INFINITY, "{t:?}");
    }
    for f in &t.forms {
        assert!(
            f.icc.is_finite() && f.f.is_finite() && f.p_value.is_finite(),
            "{f:?}"
        );
    }
    let small: Vec<f64> = ratings.iter().map(|v| v / 1e290).collect();
    let u = icc(
        RatingMatrix::new(&small, 5, 3).unwrap(),
        &IccOptions::default(),
    )
    .unwrap();
    for (a, b) in t.forms.iter().zip(&u.forms) {
        for (x, y) in [
            (a.icc, b.icc),
            (a.f, b.f),
            (a.p_value, b.p_value),
            (a.upper, b.upper),
        ] {
            // ICC2 is 0 here; the two scalings round its numerator differently (5e-17).
            assert!(
                (x - y).abs() <= 1e-9 * x.abs().max(y.abs()) + 1e-12,
                "{x} vs {y}"
            );
        }
    }
}

/// fuzz target `stats` (a timeout): `ecv_fisher_exact_2x2` of [[1768515945, 1768515945],
/// [1768515945, 1768515945]]. The p-values walked the whole hypergeometric support, 3.5e9
/// steps (over 30 s under the fuzzer). The walk now stops where the probability relative to
/// the mode falls below the smallest normal double; the p-values are unchanged (checked against
/// a direct sum on a table whose tails underflow).
#[test]
#[cfg_attr(
    miri,
    ignore = "walks about 1e6 table probabilities: hours under Miri (the walk is the same code \
              the other Fisher tests run under Miri)"
)]
fn stats_fisher_counts_1768515945() {
    let c = 1_768_515_945.0;
    let t = fisher_exact_2x2(ContingencyTable::new(&[c; 4], 2, 2).unwrap()).unwrap();
    assert_eq!(t.p_two_sided, 1.0);
    assert!(t.p_less > 0.5 && t.p_less < 0.51 && t.p_greater > 0.5 && t.p_greater < 0.51);
    assert!((t.p_less + t.p_greater - 1.0 - 2.0 * (t.p_less - 0.5)).abs() < 1e-9);
    // A table whose far tails underflow (x < 80 or x > 920 are below 1e-308 of the mode), small
    // enough to sum directly: [[520, 480], [480, 520]].
    let t = fisher_exact_2x2(ContingencyTable::new(&[520.0, 480.0, 480.0, 520.0], 2, 2).unwrap())
        .unwrap();
    let ln_choose = |n: f64, k: f64| {
        (1..=k as u64)
            .map(|i| ((n - k + i as f64) / i as f64).ln())
            .sum::<f64>()
    };
    // P(X ≥ 520) with X hypergeometric (m = 1000, n = 1000, k = 1000), by direct summation.
    let ln_total = ln_choose(2000.0, 1000.0);
    let greater: f64 = (520..=1000)
        .map(|x| {
            let x = f64::from(x);
            (ln_choose(1000.0, x) + ln_choose(1000.0, 1000.0 - x) - ln_total).exp()
        })
        .sum();
    assert!(
        (t.p_greater - greater).abs() <= 1e-9 * greater,
        "{} vs {greater}",
        t.p_greater
    );
}

/// fuzz target `stats`: `ecv_chi_square` of a 4 × 4 table whose counts are all 7.4e-309
/// (subnormal). Every expected count R·C/N underflowed to 0 and X² = 0/0 came back NaN with
/// `ECV_OK`. The sums now run on the counts divided by a power of two: X² = 0 here, and a table
/// scaled by 2^-1000 gives its X² times 2^-1000.
#[test]
fn stats_chi_square_subnormal_counts() {
    let t = chi_square(
        ContingencyTable::new(&[7.41691286169067e-309; 16], 4, 4).unwrap(),
        Continuity::Uncorrected,
    )
    .unwrap();
    assert_eq!((t.statistic, t.p_value), (0.0, 1.0));
    assert!(t.min_expected > 0.0);
    let counts = [12.0, 5.0, 7.0, 9.0, 3.0, 8.0];
    // Exact powers of two from ldexp: Miri (`make miri`) perturbs powi's last bits on purpose.
    let tiny: Vec<f64> = counts.iter().map(|c| c * libm::ldexp(1.0, -1000)).collect();
    let huge: Vec<f64> = counts.iter().map(|c| c * libm::ldexp(1.0, 1000)).collect();
    let plain = chi_square(
        ContingencyTable::new(&counts, 2, 3).unwrap(),
        Continuity::Corrected,
    )
    .unwrap();
    for (scaled, factor) in [
        (tiny, libm::ldexp(1.0, -1000)),
        (huge, libm::ldexp(1.0, 1000)),
    ] {
        let u = chi_square(
            ContingencyTable::new(&scaled, 2, 3).unwrap(),
            Continuity::Corrected,
        )
        .unwrap();
        assert_eq!(u.statistic, plain.statistic * factor);
        assert_eq!(u.min_expected, plain.min_expected * factor);
    }
}

/// fuzz target `cutpoint`: `ecv_lausen94_p(1e300, 0, 0.1, 0.9)`. b² overflowed to ∞, e^{−b²/2}
/// to 0, and the correction term 0 · ∞ came back NaN (R: 0 for N = 0, NaN for N = 100). The
/// p-value of such a b is 0; below the underflow the formula is unchanged.
#[test]
fn cutpoint_lausen94_b_1e300() {
    for n in [0, 1, 100, 10_000] {
        assert_eq!(lausen94_p(1e300, n, 0.1, 0.9), 0.0, "n = {n}");
        assert_eq!(lausen94_p(40.0, n, 0.1, 0.9), 0.0, "n = {n}");
    }
    // R: print(pLausen94(2.5, 100, 0.1, 0.9), digits = 10) gives 0.2667837878 (maxstat 0.7-25).
    assert!((lausen94_p(2.5, 100, 0.1, 0.9) - 0.2667837878).abs() < 1e-9);
}

/// fuzz target `cutpoint`: `ecv_lausen92_p(2.5, 1e-323, 0.9)`. The ratio of proportions
/// overflowed to ∞ (its logarithm is about 744) and the p-value came back +∞. Now the logarithm
/// is taken as a sum of logarithms when the ratio overflows; R's form is kept otherwise.
#[test]
fn cutpoint_lausen92_min_prop_1e_323() {
    let min_prop = 1.0569e-323;
    let p = lausen92_p(2.5, min_prop, 0.9);
    let log_ratio = 0.9f64.ln() - 0.1f64.ln() - min_prop.ln();
    let phi = (-2.5f64 * 2.5 / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt();
    let want = 4.0 * phi / 2.5 + phi * (2.5 - 1.0 / 2.5) * log_ratio;
    assert!(
        p.is_finite() && (p - want).abs() <= 1e-12 * want,
        "{p} vs {want}"
    );
    // Unchanged where the ratio is finite: R's print(pLausen92(2.5, 0.1, 0.9), digits = 10)
    // gives 0.1898024539 (maxstat 0.7-25).
    assert!((lausen92_p(2.5, 0.1, 0.9) - 0.1898024539).abs() < 1e-9);
}

/// fuzz target `cutpoint` (a timeout): `ecv_lausen94_p` with max_prop near 1e300. ⌊N·max_prop⌋
/// saturated to `usize::MAX` and the sum over split sizes looped 2⁶⁴ times. Proportions outside
/// [0, 1] (or min > max) and N above 2²⁴ now give NaN at once.
#[test]
fn cutpoint_lausen94_max_prop_1e300() {
    assert!(lausen94_p(2.5, 100, 0.1, 1e300).is_nan());
    assert!(lausen94_p(2.5, 100, -0.1, 0.9).is_nan());
    assert!(lausen94_p(2.5, 100, 0.9, 0.1).is_nan());
    assert!(lausen94_p(2.5, 100, f64::NAN, 0.9).is_nan());
    assert!(lausen94_p(2.5, usize::MAX, 0.1, 0.9).is_nan());
    assert!(
        lausen94_p(2.5, 1 << 24, 0.5, 0.5).is_finite(),
        "the largest N, one split size"
    );
    assert!((lausen94_p(2.5, 100, 0.1, 0.9) - 0.2667837878).abs() < 1e-9);
}

/// fuzz target `stats`: `ecv_chi_square` of the 3 × 3 table [15, 1.9e262, 33; 17, 36, 28; 15, 1,
/// 21]. Scaled by a power of two near 1.9e262, the expected counts of the small cells (R·C/N
/// ≈ 1e-522) underflowed to 0 and X² = 0/0 came back NaN. Those cells now use √E = √R·√(C/N):
/// X² is finite and agrees with the sum computed in extended range by hand.
#[test]
fn stats_chi_square_counts_spanning_1e262() {
    let counts = [
        15.0,
        1.9085195336615624e262,
        33.0,
        17.0,
        36.0,
        28.0,
        15.0,
        1.0,
        21.0,
    ];
    let t = chi_square(
        ContingencyTable::new(&counts, 3, 3).unwrap(),
        Continuity::Uncorrected,
    )
    .unwrap();
    assert!(t.statistic.is_finite() && t.statistic > 0.0, "{t:?}");
    assert!(t.min_expected > 0.0 && t.min_expected.is_finite(), "{t:?}");
    // X² by hand with every quantity divided by 1e250 (O − E and E stay in range there).
    let s = 1e250;
    let c: Vec<f64> = counts.iter().map(|v| v / s).collect();
    let row = |i: usize| c[3 * i] + c[3 * i + 1] + c[3 * i + 2];
    let col = |j: usize| c[j] + c[3 + j] + c[6 + j];
    let n: f64 = c.iter().sum();
    let mut x2 = 0.0;
    for i in 0..3 {
        for j in 0..3 {
            // E = R·C/N ≈ 1e-260 here: R·(C/N) keeps it in range.
            let e = row(i) * (col(j) / n);
            x2 += (c[3 * i + j] - e) * ((c[3 * i + j] - e) / e);
        }
    }
    let want = x2 * s;
    assert!(
        (t.statistic - want).abs() <= 1e-9 * want,
        "{} vs {want}",
        t.statistic
    );
}

/// fuzz target `stats`: ICC of the 2 × 3 ratings 0.375 0.625 0.5 / 0.625 0.25 1. ICC(A,k)'s
/// denominator MSB + (MSJ − MSE)/n is 0.0234375 − 0.0234375 = 0 exactly, and the ICC came back
/// −∞ with `ECV_OK` (psych prints 1.3e15, its rounding residue). The form is undefined there:
/// it is now NaN (NA); every other form and every bound is psych's.
#[test]
fn stats_icc_2x3_icc2k_denominator_zero() {
    let ratings = [0.375, 0.625, 0.5, 0.625, 0.25, 1.0];
    let t = icc(
        RatingMatrix::new(&ratings, 2, 3).unwrap(),
        &IccOptions::default(),
    )
    .unwrap();
    assert!(t.get(IccType::Icc2k).icc.is_nan());
    // psych::ICC(x, lmer = FALSE), R 4.2.2: the other forms.
    let psych = [
        (IccType::Icc1, -3.04347826086957e-01),
        (IccType::Icc2, -5.00000000000001e-01),
        (IccType::Icc3, -3.44827586206897e-01),
        (IccType::Icc1k, -2.33333333333334e+00),
        (IccType::Icc3k, -3.33333333333334e+00),
    ];
    for (kind, want) in psych {
        let got = t.get(kind).icc;
        assert!(
            (got - want).abs() <= 1e-13 * want.abs(),
            "{kind:?}: {got} vs {want}"
        );
    }
}

/// fuzz target `cox` (long run), `ecv_cox_screen`: a column [0, DBL_MIN] (weights 0.5, times
/// [2, 1], both events). Scaled by s = 1/mean|x − x̄| ≈ 9e307 the fit ran toward the monotone
/// likelihood's +∞, and β = 10.6 · s overflowed: coefficient and SE +inf in a row marked
/// `ECV_OK`. A β̂ or SE beyond the largest double is now `CoxMonotoneLikelihood`.
#[test]
fn cox_column_0_and_dbl_min_coefficient_overflow() {
    let (time, event, w) = ([2.0, 1.0], [1, 1], [0.5, 0.5]);
    let fit = |x: &[f64; 2]| {
        let data = CoxData::new(&time, &event, x, 1).unwrap().with_weights(&w);
        default_cox_fit(&data, 2, 1)
    };
    assert_eq!(
        fit(&[0.0, f64::MIN_POSITIVE]).err(),
        Some(Status::CoxMonotoneLikelihood)
    );
    // The same data on an ordinary scale: the same answer (the subject with the larger x dies
    // first, so the likelihood is monotone in β).
    assert_eq!(fit(&[0.0, 1.0]).err(), Some(Status::CoxMonotoneLikelihood));
}

/// fuzz target `stats` (long run): Student t test of [−0.125, −0.125] against [1e300, 1e15],
/// `greater`, μ = 41, conf_level 5e-324. The lower bound d − q·SE with q ≈ −1e161 and SE 5e299 is
/// +∞, which the target only accepted as −∞. R's `t.test` gives [Inf, Inf] too: the
/// documentation now says ±∞ and the target accepts either sign beyond the largest double.
#[test]
fn stats_student_t_greater_conf_level_5e_324() {
    let options = TTestOptions {
        alternative: Alternative::Greater,
        variance: TTestVariance::Pooled,
        mu: 41.0,
        conf_level: 5e-324,
    };
    let t = t_test(&[-0.125, -0.125], &[1e300, 1e15], &options).unwrap();
    assert_eq!((t.conf_low, t.conf_high), (f64::INFINITY, f64::INFINITY));
    assert!(t.t.is_finite() && t.p_value > 0.0 && t.p_value < 1.0);
}

/// fuzz target `stats` (long run): ICC of the 2 × 2 ratings 37, −5.314e303 / −5.314e303, 1.7e-315.
/// ICC(A,1)'s denominator MSB + MSE + 2(MSJ − MSE)/2 cancelled to 0 in floating point (MSJ and
/// MSE agree to every digit, MSB is 1e-23 of them) and the ICC came back −∞ with `ECV_OK`.
/// Undefined within rounding: NaN (NA), as ICC(A,k) in `stats_icc_2x3_icc2k_denominator_zero`.
#[test]
fn stats_icc_2x2_ratings_5_3e303_icc2_denominator_cancels() {
    let ratings = [
        37.0,
        -5.3140103724972176e303,
        -5.3140103725178076e303,
        1.657484146e-315,
    ];
    let t = icc(
        RatingMatrix::new(&ratings, 2, 2).unwrap(),
        &IccOptions::default(),
    )
    .unwrap();
    for form in t.forms {
        assert!(
            !form.icc.is_infinite() || form.kind == IccType::Icc1k || form.kind == IccType::Icc3k
        );
    }
    assert!(t.get(IccType::Icc2).icc.is_nan());
}

/// fuzz target `cox` (CI smoke run): one subject, 4 columns of zeros, `ecv_cox_subgroup`. The
/// result came back `ECV_OK` with `interaction_status` = `ECV_COX_ONE_SUBGROUP_LEVEL`, a status
/// the function's C documentation did not name. It now does; the status itself is right.
#[test]
fn cox_subgroup_one_subject_four_zero_columns() {
    let (time, event, x) = ([4095.9375], [1], [0.0; 4]);
    let data = CoxData::new(&time, &event, &x, 4).unwrap();
    let r = with_cox_scratch(1, 4, |s| {
        subgroup_effects(&data, 0, 1, &CoxOptions::default(), s)
    })
    .unwrap();
    assert_eq!(r.n_levels, 1);
    assert_eq!(r.interaction_status, Status::CoxOneSubgroupLevel);
    // The C documentation of ecv_cox_subgroup (its doc comment) names the status.
    let source = include_str!("../src/ffi/cox.rs");
    let before = &source[..source.find("fn ecv_cox_subgroup(").unwrap()];
    let doc = &before[before.rfind("/// Subgroup analysis").unwrap()..];
    assert!(doc.contains("ECV_COX_ONE_SUBGROUP_LEVEL"));
}

/// fuzz target `cox` (long run): 3 subjects, times [1, 9, 9], events [1, 1, 0], x of order
/// 1e-4. The likelihood peaks at β = −2162.559 (R's `coxph` too, 4 iterations), so
/// exp(β) underflows to 0: the fit came back with HR = 0, which the target took for a bug. It is
/// R's answer (`exp(coef)` prints 0, CI [0, Inf]); the documentation now says so and the target
/// accepts an HR of 0 (or +inf) exactly when β is beyond exp's range.
#[test]
fn cox_x_of_order_1e_4_coefficient_minus_2162() {
    let time = [1.0, 9.0, 9.0];
    let event = [1, 1, 0];
    let x = [
        0.00048716937785971793,
        0.00018326451306022672,
        0.0009072656646292081,
    ];
    let data = CoxData::new(&time, &event, &x, 1).unwrap();
    let fit = default_cox_fit(&data, 3, 1).unwrap();
    // R 4.2.2, survival 3.4: coef -2162.5590004959809, se 2730.777, iter 4.
    let beta = fit.coefficients[0];
    assert!(
        (beta - -2_162.559_000_495_981).abs() <= 1e-9 * 2162.56,
        "{beta}"
    );
    assert!(
        (fit.std_errors[0] - 2730.777).abs() <= 1e-3,
        "{}",
        fit.std_errors[0]
    );
    assert_eq!(fit.hazard_ratios[0], 0.0);
    assert_eq!((fit.hr_lower[0], fit.hr_upper[0]), (0.0, f64::INFINITY));
}

/// fuzz target `cox` (`ecv_cox_screen`): two tied events with the covariate [f64::MAX, 0]. The
/// covariance was unscaled as V_jj · s² with s ≈ 2/f64::MAX, which underflowed to 0: SE 0 and
/// z = 0/0 = NaN came back in a model marked `Ok` (R prints NaN there too). The SE is now
/// √V_jj · s and z is taken on the design's scale: z = 0, p = 1, as for the covariate [1, 0].
#[test]
fn cox_covariate_f64_max_and_0() {
    let time = [0.0, 0.0];
    let event = [1, 1];
    let fit = |x: &[f64; 2]| {
        let data = CoxData::new(&time, &event, x, 1).unwrap();
        default_cox_fit(&data, 2, 1).unwrap()
    };
    let huge = fit(&[f64::MAX, 0.0]);
    let unit = fit(&[1.0, 0.0]);
    assert_eq!(huge.coefficients[0], 0.0);
    assert!(huge.std_errors[0] > 0.0, "SE {}", huge.std_errors[0]);
    assert_eq!((huge.z[0], huge.p_values[0]), (unit.z[0], unit.p_values[0]));
    assert_eq!(huge.p_values[0], 1.0);
}

/// fuzz target `roi`: a polygon with a vertex at x = f64::MAX. The shoelace products
/// x_i y_(i+1) overflowed and ∞ − ∞ made the analytic area NaN in a summary returned with
/// `ECV_OK`, although the huge products cancel: the polygon is a triangle of 1001 px². The sum
/// is now Σ xᵢ (yᵢ₊₁ − yᵢ₋₁)/2 with the differences halved first.
#[test]
fn roi_polygon_vertex_at_f64_max() {
    let spacing = PixelSpacing {
        row_mm: 0.8,
        col_mm: 0.8,
    };
    let mut v = vec![Point { x: -8.0, y: -8.0 }; 8];
    v[0] = Point {
        x: f64::MAX,
        y: 27.75,
    };
    v[1] = Point { x: -64.0, y: -8.0 };
    let area = Roi::new(Shape::Polygon(&v), Units::Pixels)
        .analytic_area_mm2(spacing)
        .unwrap();
    // Base 56 px along y = −8 (from x = −64 to −8), height 35.75 px.
    assert!(
        (area - 0.5 * 56.0 * 35.75 * 0.64).abs() < 1e-9,
        "area {area}"
    );
    // A polygon whose area is beyond the double range: +∞, never NaN.
    let huge = [
        Point {
            x: -f64::MAX,
            y: -f64::MAX,
        },
        Point {
            x: f64::MAX,
            y: -f64::MAX,
        },
        Point {
            x: f64::MAX,
            y: f64::MAX,
        },
        Point {
            x: -f64::MAX,
            y: f64::MAX,
        },
    ];
    let area = Roi::new(Shape::Polygon(&huge), Units::Pixels)
        .analytic_area_mm2(spacing)
        .unwrap();
    assert_eq!(area, f64::INFINITY);
    let square = [
        Point { x: 1.0, y: 1.0 },
        Point { x: 4.0, y: 1.0 },
        Point { x: 4.0, y: 3.5 },
        Point { x: 1.0, y: 3.5 },
    ];
    let area = Roi::new(Shape::Polygon(&square), Units::Pixels)
        .analytic_area_mm2(spacing)
        .unwrap();
    assert!((area - 7.5 * 0.64).abs() < 1e-12, "area {area}");
}

/// fuzz target `roi`: an 8 × 18 i8 image with Rescale Slope 1e300. The variance was formed as
/// slope² · var = ∞ · 0 and the SDs came back NaN with `ECV_OK`. A rescale that can take a stored
/// value of the type beyond ±1e140 is now refused (`ECV_INVALID_OPTION`), and the SD is |slope|
/// times the stored values' SD (slope² no longer over- or underflows).
#[test]
fn roi_i8_rescale_slope_1e300() {
    let pixels: Vec<i8> = (0..144).map(|i| (i % 7) as i8).collect();
    let image = |slope: f64| {
        Image::new(ImageDescriptor {
            pixels: PixelData::I8(&pixels),
            width: 8,
            height: 18,
            row_stride_bytes: 8,
            bits_stored: 8,
            rescale: Rescale {
                slope,
                intercept: -1024.0,
            },
            spacing: PixelSpacing {
                row_mm: 0.8,
                col_mm: 0.8,
            },
            padding: Padding::None,
        })
    };
    assert_eq!(image(1e300).err(), Some(Status::InvalidOption));
    let circle = Roi::circle_px(4.0, 9.0, 3.0);
    let plain = roi_summary(&image(1.0).unwrap(), &circle, &RoiOptions::default()).unwrap();
    for slope in [1e100, 1e-300, -3.0] {
        let s = roi_summary(&image(slope).unwrap(), &circle, &RoiOptions::default()).unwrap();
        let want = slope.abs() * plain.sd_population;
        assert!(s.sd_population > 0.0 && (s.sd_population - want).abs() <= 1e-12 * want);
        assert!(s.sd_sample.is_finite() && s.mean.is_finite());
    }
}

/// fuzz target `roi`: `ecv_reader_average` of values near f64::MAX. The compensated sum
/// overflowed and gave NaN with `ECV_OK`; the average of [M, M] is M.
#[test]
fn roi_reader_average_of_f64_max() {
    assert_eq!(reader_average(&[f64::MAX, f64::MAX]).unwrap(), f64::MAX);
    assert_eq!(reader_average(&[f64::MAX; 3]).unwrap(), f64::MAX);
    let avg = reader_average(&[f64::MAX, f64::MAX / 2.0, -1.0]).unwrap();
    assert!((avg - f64::MAX / 2.0).abs() <= 1e-15 * f64::MAX);
    assert_eq!(reader_average(&[41.5, 42.5]).unwrap(), 42.0);
}

/// fuzz target `cox` (`ecv_cox_screen`, seed 746, issue 21): 32 subjects, one column that is 1
/// for a single early event, and `eps` = 46. R's convergence test |1 − ℓ_old/ℓ_new| ≤ eps
/// passed after one Newton step that overshot the maximum (β = 5.07, ℓ = −71.91 below
/// ℓ(0) = −67.74): a non-maximum came back as `Ok` with LR = −8.35, and the screen selected the
/// column on it. A relative tolerance ≥ 1 is now `InvalidOption`, and a fit that passes the test
/// below its start is `CoxLikelihoodBelowStart`; the default eps reaches R's maximum. R's numbers:
/// tests/reference/cox_loose_eps.R.
#[test]
fn cox_eps_46_stops_below_the_start() {
    let (input, time, event) = survival_table("cox_loose_eps_data.csv");
    let reference = Table::load("cox_loose_eps.csv");
    let x = input.f64_col("x");
    let n = time.len();
    let data = CoxData::new(&time, &event, &x, 1).unwrap();
    let fit_with = |eps: f64| {
        let options = CoxOptions {
            eps,
            ..CoxOptions::default()
        };
        let mut diagnostic = CoxDiagnostic::default();
        let fit = with_cox_scratch(n, 1, |s| cox_fit(&data, &options, s, Some(&mut diagnostic)));
        (fit, diagnostic)
    };
    for eps in [46.0, 1.0, f64::INFINITY, 0.0, -1e-9] {
        assert_eq!(
            fit_with(eps).0.err(),
            Some(Status::InvalidOption),
            "eps {eps}"
        );
    }

    // eps = 0.5: the same single step as R, refused because it ends below the start.
    let r = reference.filter("eps", "0.5");
    let (fit, diagnostic) = fit_with(0.5);
    assert_eq!(fit.err(), Some(Status::CoxLikelihoodBelowStart));
    assert_eq!(diagnostic.iterations, 1);
    assert_close(
        diagnostic.loglik,
        r.f64(0, "loglik"),
        1e-9,
        0.0,
        "loglik after the step",
    );

    // The default eps: R's maximum, with a positive likelihood-ratio statistic.
    let r = reference.filter("eps", "1.0000000000000001e-09");
    let fit = fit_with(1e-9).0.unwrap();
    assert_close(fit.coefficients[0], r.f64(0, "coef"), 1e-9, 0.0, "coef");
    assert_close(fit.std_errors[0], r.f64(0, "se"), 1e-9, 0.0, "se");
    assert_close(fit.loglik, r.f64(0, "loglik"), 1e-9, 0.0, "loglik");
    assert_close(
        fit.loglik_null,
        r.f64(0, "loglik_null"),
        1e-9,
        0.0,
        "loglik_null",
    );
    assert_close(
        fit.likelihood_ratio.statistic,
        r.f64(0, "lr"),
        1e-9,
        0.0,
        "LR",
    );
    assert_eq!(f64::from(fit.iterations), r.f64(0, "iter"));

    // The screen: the column's row carries the status and is not selected.
    let options = ScreenOptions {
        cox: CoxOptions {
            eps: 0.5,
            ..CoxOptions::default()
        },
        ..ScreenOptions::default()
    };
    let mut selected = [9u8; 1];
    let screen = with_cox_scratch(n, 1, |s| {
        univariable_screen(&data, &options, &mut selected, s)
    });
    let screen = screen.unwrap();
    assert_eq!(
        screen.univariable[0].status,
        Status::CoxLikelihoodBelowStart
    );
    assert_eq!((selected[0], screen.n_selected), (0, 0));
    assert_eq!(screen.multivariable_status, Status::CoxNothingSelected);
}

/// Issue 21, the nested form: with a loose but valid `eps` (0.05) the subgroup interaction's
/// model with the group × subgroup product stopped below the maximum of the model without it,
/// which it nests, and the interaction LR came back as −1.39e-4 with `Ok` (R's anova gives the
/// same negative value). The interaction status is now `CoxLikelihoodBelowStart`; with the
/// default eps the LR equals R's. Found by a search over small random data sets; R's numbers:
/// tests/reference/cox_loose_eps.R.
#[test]
fn cox_subgroup_interaction_eps_0_05_full_below_reduced() {
    let (input, time, event) = survival_table("cox_loose_eps_subgroup_data.csv");
    let reference = Table::load("cox_loose_eps_subgroup.csv");
    let (group, sub) = (input.f64_col("group"), input.f64_col("sub"));
    let x: Vec<f64> = group.iter().zip(&sub).flat_map(|(&g, &s)| [g, s]).collect();
    let n = time.len();
    let data = CoxData::new(&time, &event, &x, 2).unwrap();
    let run = |eps: f64| {
        let options = CoxOptions {
            eps,
            ..CoxOptions::default()
        };
        with_cox_scratch(n, 31, |s| subgroup_effects(&data, 0, 1, &options, s)).unwrap()
    };
    let loose = run(0.05);
    assert!(
        reference.f64(0, "lr") < 0.0,
        "R's LR at eps 0.05 is negative"
    );
    assert_eq!(loose.interaction_status, Status::CoxLikelihoodBelowStart);
    let r = reference.filter("eps", "1.0000000000000001e-09");
    let fit = run(1e-9);
    assert_eq!(fit.interaction_status, Status::Ok);
    // The LR is a difference of two log-likelihoods near −46 that differ by 3e-7: 1e-9 relative
    // to the log-likelihood, the scale its rounding lives on.
    let scale = r.f64(0, "loglik_reduced").abs();
    assert_close(
        fit.interaction_lr.statistic,
        r.f64(0, "lr"),
        1e-9,
        scale,
        "interaction LR",
    );
}

/// fuzz target `roi` (`make fuzz-rotate`, seed 20261208, issue 21's rotated run): a 66-vertex
/// polygon in pixels with a vertex at x = f64::MAX, on an image whose Pixel Spacing is 5e-324 mm
/// both ways. Its area in px² (about 1.3e309) exceeds the largest double while Δx · Δy
/// underflows to 0, and the analytic area was ∞ · 0 = NaN in a summary returned with `ECV_OK`.
/// Areas are now products in an extended exponent range, rounded once (`numeric::WideProduct`):
/// here 3e-338 mm², which rounds to 0; the same shapes with 1e-200 mm spacing give their finite
/// areas.
#[test]
fn roi_polygon_vertex_at_f64_max_spacing_5e_324() {
    let tiny = PixelSpacing {
        row_mm: 5e-324,
        col_mm: 5e-324,
    };
    let mut v = vec![Point { x: -8.0, y: -8.0 }; 66];
    let start = [
        (20.0, 20.0),
        (21.25, 12.0),
        (20.0, 20.0),
        (55.25, 8.0),
        (24.25, -64.0),
        (2.25, -2.75),
        (-2.75, -5.5),
        (-5.5, 2.25),
        (-2.75, -2.75),
        (-8.0, -8.0),
        (-8.0, -8.0),
        (-8.0, -8.0),
        (-8.0, -8.0),
        (-8.0, -8.0),
        (-8.0, -2.75),
        (f64::MAX, 20.0),
        (21.25, 12.0),
        (9.75, 28.0),
        (28.0, 27.0),
        (-8.0, 19.0),
        (28.0, -7.75),
        (-2.75, -2.75),
        (-2.75, -2.75),
        (-2.75, -2.75),
        (22.5, -7.5),
        (28.0, 28.0),
        (28.0, 28.0),
        (28.25, 35.0),
        (23.25, 39.0),
        (23.75, 29.75),
        (39.25, 20.5),
        (39.25, 27.5),
        (-8.0, 1.75),
        (27.75, 47.921875),
        (21.0, -8.0),
    ];
    for (p, (x, y)) in v.iter_mut().zip(start) {
        *p = Point { x, y };
    }
    let polygon = Roi::new(Shape::Polygon(&v), Units::Pixels);
    assert_eq!(polygon.analytic_area_mm2(tiny).unwrap(), 0.0);

    // A triangle with base f64::MAX px and height 4 px: 2 · f64::MAX px², beyond the double
    // range, at 1e-200 mm per pixel each way: 2 · f64::MAX · 1e-400 mm².
    let spacing = PixelSpacing {
        row_mm: 1e-200,
        col_mm: 1e-200,
    };
    let triangle = [
        Point { x: 0.0, y: 0.0 },
        Point {
            x: f64::MAX,
            y: 0.0,
        },
        Point { x: 0.0, y: 4.0 },
    ];
    let area = Roi::new(Shape::Polygon(&triangle), Units::Pixels)
        .analytic_area_mm2(spacing)
        .unwrap();
    let expected = 2.0 * 1e-200 * f64::MAX * 1e-200;
    assert!(
        (area - expected).abs() <= 1e-15 * expected,
        "{area} vs {expected}"
    );
    // A circle of radius 1e200 px and a rectangle 1e200 px on a side, at the same spacing.
    let circle = Roi::circle_px(0.0, 0.0, 1e200)
        .analytic_area_mm2(spacing)
        .unwrap();
    assert!((circle - core::f64::consts::PI).abs() <= 1e-15, "{circle}");
    let rect = Rectangle {
        min: Point {
            x: -f64::MAX,
            y: 0.0,
        },
        max: Point {
            x: f64::MAX,
            y: 1e-100,
        },
    };
    let area = Roi::new(Shape::Rectangle(rect), Units::Pixels)
        .analytic_area_mm2(spacing)
        .unwrap();
    let expected = 2.0 * 1e-200 * f64::MAX * 1e-100 * 1e-200;
    assert!(
        (area - expected).abs() <= 1e-15 * expected,
        "{area} vs {expected}"
    );
}
