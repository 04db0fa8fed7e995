//! Properties of the statistics that hold for any data (issue 7, item 7): Spearman's ρ is
//! invariant under strictly increasing transforms and lies in [−1, 1]; the ICC of identical
//! raters is 1; swapping the two samples of a t or Wilcoxon test keeps the two-sided p (and
//! flips t); a χ² table and its transpose give the same χ² and p.

use ecvkit::numeric::approx_eq;
use ecvkit::stats::{
    chi_square, icc, spearman, t_test, wilcoxon_rank_sum, ContingencyTable, Continuity, IccOptions,
    RankScratch, RatingMatrix, SpearmanOptions, TTestOptions, TTestVariance, WilcoxonOptions,
};
use ecvkit::Status;
use proptest::prelude::*;

/// Tolerance of the property checks: the two sides are computed in different orders, so they
/// may differ by rounding only.
const TOL: f64 = 1e-10;

fn rank_scratch(n: usize) -> (Vec<f64>, Vec<u32>) {
    (
        vec![0.0; RankScratch::values_needed(n)],
        vec![0; RankScratch::indices_needed(n)],
    )
}

fn run_spearman(x: &[f64], y: &[f64]) -> Result<(f64, f64), Status> {
    let (mut v, mut i) = rank_scratch(x.len());
    let mut s = RankScratch {
        values: &mut v,
        indices: &mut i,
    };
    spearman(x, y, &SpearmanOptions::default(), &mut s).map(|t| (t.rho, t.p_value))
}

/// Small integers as f64: ties happen, and increasing transforms keep distinct values distinct.
fn small_ints(n: std::ops::Range<usize>) -> impl Strategy<Value = Vec<f64>> {
    prop::collection::vec((-40i32..40).prop_map(f64::from), n)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 2 } else { 200 }))]

    #[test]
    fn spearman_is_rank_invariant_and_bounded(
        xy in (2usize..40).prop_flat_map(|n| (small_ints(n..n + 1), small_ints(n..n + 1)))
    ) {
        let (x, y) = xy;
        match run_spearman(&x, &y) {
            Err(Status::ZeroVariance) => return Ok(()),
            Err(e) => panic!("{e:?}"),
            Ok((rho, p)) => {
                prop_assert!((-1.0..=1.0).contains(&rho));
                prop_assert!((0.0..=1.0).contains(&p));
                // libm's exp: one value for one input (Miri perturbs std's exp call by call,
                // which would break ties).
                let fx: Vec<f64> = x.iter().map(|v| libm::exp(v / 10.0)).collect();
                let gy: Vec<f64> = y.iter().map(|v| v * v * v + 2.0 * v - 1000.0).collect();
                let (rho2, p2) = run_spearman(&fx, &gy).unwrap();
                prop_assert!(approx_eq(rho, rho2, TOL) || (rho - rho2).abs() < TOL, "{rho} {rho2}");
                prop_assert!(approx_eq(p, p2, TOL), "{p} {p2}");
            }
        }
    }

    #[test]
    fn icc_of_identical_raters_is_one(
        subjects in prop::collection::vec(-1000.0f64..1000.0, 2..30),
        raters in 2usize..5,
    ) {
        let mut m = Vec::new();
        for &s in &subjects {
            m.extend(std::iter::repeat_n(s, raters));
        }
        let table = icc(
            RatingMatrix::new(&m, subjects.len(), raters).unwrap(),
            &IccOptions::default(),
        );
        if subjects.windows(2).all(|w| w[0] == w[1]) {
            prop_assert_eq!(table, Err(Status::ZeroVariance));
            return Ok(());
        }
        for form in table.unwrap().forms {
            prop_assert!(approx_eq(form.icc, 1.0, 1e-12), "{form:?}");
            prop_assert!(form.p_value <= 1e-6 || subjects.len() == 2, "{form:?}");
        }
    }

    #[test]
    fn swapping_samples_keeps_the_two_sided_p(
        x in prop::collection::vec(-50.0f64..50.0, 2..30),
        y in prop::collection::vec(-50.0f64..50.0, 2..30),
        pooled in any::<bool>(),
    ) {
        let options = TTestOptions {
            variance: if pooled { TTestVariance::Pooled } else { TTestVariance::Welch },
            ..Default::default()
        };
        if let (Ok(a), Ok(b)) = (t_test(&x, &y, &options), t_test(&y, &x, &options)) {
            prop_assert!(approx_eq(a.t, -b.t, TOL), "{} {}", a.t, b.t);
            prop_assert!(approx_eq(a.p_value, b.p_value, TOL));
            prop_assert!(approx_eq(a.df, b.df, TOL));
        }
        let n = x.len() + y.len();
        let (mut v, mut i) = rank_scratch(n);
        let mut s = RankScratch { values: &mut v, indices: &mut i };
        let a = wilcoxon_rank_sum(&x, &y, &WilcoxonOptions::default(), &mut s).unwrap();
        let b = wilcoxon_rank_sum(&y, &x, &WilcoxonOptions::default(), &mut s).unwrap();
        prop_assert_eq!(a.w + b.w, (x.len() * y.len()) as f64);
        prop_assert!(approx_eq(a.p_value, b.p_value, TOL), "{} {}", a.p_value, b.p_value);
        prop_assert_eq!(a.p_method, b.p_method);
    }

    #[test]
    fn wilcoxon_with_ties_is_symmetric_too(
        x in small_ints(1..60), y in small_ints(1..60),
    ) {
        let n = x.len() + y.len();
        let (mut v, mut i) = rank_scratch(n);
        let mut s = RankScratch { values: &mut v, indices: &mut i };
        let a = wilcoxon_rank_sum(&x, &y, &WilcoxonOptions::default(), &mut s);
        let b = wilcoxon_rank_sum(&y, &x, &WilcoxonOptions::default(), &mut s);
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!(approx_eq(a.p_value, b.p_value, TOL), "{} {}", a.p_value, b.p_value);
                prop_assert!((0.0..=1.0 + 1e-12).contains(&a.p_value));
            }
            (a, b) => prop_assert_eq!(a.err(), b.err()),
        }
    }

    #[test]
    fn chi_square_of_the_transpose_is_the_same(
        dims in (2usize..5, 2usize..5),
        cells in prop::collection::vec(0u32..30, 16),
        corrected in any::<bool>(),
    ) {
        let (r, c) = dims;
        let counts: Vec<f64> = cells.iter().take(r * c).map(|&v| f64::from(v)).collect();
        let transposed: Vec<f64> = (0..c)
            .flat_map(|j| (0..r).map(move |i| (i, j)))
            .map(|(i, j)| counts[i * c + j])
            .collect();
        let continuity = if corrected { Continuity::Corrected } else { Continuity::Uncorrected };
        let a = ContingencyTable::new(&counts, r, c).and_then(|t| chi_square(t, continuity));
        let b = ContingencyTable::new(&transposed, c, r).and_then(|t| chi_square(t, continuity));
        match (a, b) {
            (Ok(a), Ok(b)) => {
                prop_assert!(approx_eq(a.statistic, b.statistic, TOL) || (a.statistic - b.statistic).abs() < 1e-12);
                prop_assert!(approx_eq(a.p_value, b.p_value, TOL) || (a.p_value - b.p_value).abs() < 1e-12);
                prop_assert_eq!(a.df, b.df);
            }
            (a, b) => prop_assert_eq!(a.err(), b.err()),
        }
    }
}
