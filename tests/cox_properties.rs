//! Invariances of the Cox fit (issue 5, item 7), checked on random data with proptest.
//!
//! Tolerances: each pair of fits follows the same Newton–Raphson path in exact arithmetic
//! (Newton's method is affine-invariant and R's centring/scaling absorbs shifts and scale
//! changes), so they differ by rounding only; 1e-8 relative leaves room for the rounding of the
//! transformed inputs, amplified by a few iterations.

use ecvkit::cox::{cox_fit, scratch_sizes, CoxData, CoxFit, CoxOptions, CoxScratch, Ties};
use ecvkit::Status;
use proptest::prelude::*;

/// One random data set: times, events, p covariates row-major.
#[derive(Clone, Debug)]
struct Sample {
    time: Vec<f64>,
    event: Vec<u8>,
    x: Vec<f64>,
    p: usize,
}

/// n in 15..80, p in 1..=3; times whole numbers in 1..=`max_time` (ties when small).
fn sample(max_time: u32) -> impl Strategy<Value = Sample> {
    // Under Miri (`make miri`) 15..20 subjects: each fit is interpreted.
    (15usize..if cfg!(miri) { 20 } else { 80 }, 1usize..=3).prop_flat_map(move |(n, p)| {
        (
            prop::collection::vec(1..=max_time, n),
            prop::collection::vec(prop::bool::weighted(0.7), n),
            prop::collection::vec(-3.0f64..3.0, n * p),
        )
            .prop_map(move |(t, e, x)| Sample {
                time: t.into_iter().map(f64::from).collect(),
                event: e.into_iter().map(u8::from).collect(),
                x: x.into_iter().map(|v| (v * 100.0).round() / 100.0).collect(),
                p,
            })
    })
}

fn fit_with(s: &Sample, time: &[f64], x: &[f64], ties: Ties) -> Result<CoxFit, Status> {
    let data = CoxData::new(time, &s.event, x, s.p)?;
    let sizes = scratch_sizes(time.len(), s.p)?;
    let mut index = vec![0u32; sizes.index];
    let mut values = vec![0.0; sizes.values];
    let mut scratch = CoxScratch {
        index: &mut index,
        values: &mut values,
    };
    let options = CoxOptions {
        ties,
        ..CoxOptions::default()
    };
    cox_fit(&data, &options, &mut scratch, None)
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-8)
}

const REL: f64 = 1e-8;

/// Runs both fits; when the first fails the second must fail the same way.
fn both(
    a: Result<CoxFit, Status>,
    b: Result<CoxFit, Status>,
) -> Result<Option<(CoxFit, CoxFit)>, TestCaseError> {
    match (a, b) {
        (Ok(a), Ok(b)) => Ok(Some((a, b))),
        (Err(e), Err(f)) => {
            prop_assert_eq!(e, f);
            Ok(None)
        }
        (a, b) => Err(TestCaseError::fail(format!(
            "one fit failed: {:?} / {:?}",
            a.err(),
            b.err()
        ))),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 2 } else { 64 }))]

    #[test]
    fn negating_a_covariate_negates_its_coefficient(s in sample(10), j in 0usize..3) {
        let j = j % s.p;
        let mut x = s.x.clone();
        for row in x.chunks_exact_mut(s.p) {
            row[j] = -row[j];
        }
        if let Some((a, b)) = both(fit_with(&s, &s.time, &s.x, Ties::Efron),
                                   fit_with(&s, &s.time, &x, Ties::Efron))? {
            for k in 0..s.p {
                let sign = if k == j { -1.0 } else { 1.0 };
                prop_assert!(close(a.coefficients[k], sign * b.coefficients[k], REL));
                prop_assert!(close(a.std_errors[k], b.std_errors[k], REL));
            }
            prop_assert!(close(a.loglik, b.loglik, REL));
        }
    }

    #[test]
    fn scaling_a_covariate_by_c_scales_its_coefficient_by_1_over_c(
        s in sample(10), j in 0usize..3, c in prop::sample::select(vec![0.01, 0.5, 3.0, 1000.0]),
    ) {
        let j = j % s.p;
        let mut x = s.x.clone();
        for row in x.chunks_exact_mut(s.p) {
            row[j] *= c;
        }
        if let Some((a, b)) = both(fit_with(&s, &s.time, &s.x, Ties::Efron),
                                   fit_with(&s, &s.time, &x, Ties::Efron))? {
            prop_assert!(close(a.coefficients[j], c * b.coefficients[j], REL));
            prop_assert!(close(a.loglik, b.loglik, REL));
            prop_assert!(close(a.wald.statistic, b.wald.statistic, REL));
        }
    }

    #[test]
    fn adding_a_constant_changes_neither_coefficient_nor_loglik(
        s in sample(10), j in 0usize..3, shift in -50.0f64..50.0,
    ) {
        let j = j % s.p;
        let mut x = s.x.clone();
        for row in x.chunks_exact_mut(s.p) {
            row[j] += shift;
        }
        if let Some((a, b)) = both(fit_with(&s, &s.time, &s.x, Ties::Efron),
                                   fit_with(&s, &s.time, &x, Ties::Efron))? {
            for k in 0..s.p {
                prop_assert!(close(a.coefficients[k], b.coefficients[k], 1e-7));
            }
            prop_assert!(close(a.loglik, b.loglik, REL));
            prop_assert!(close(a.loglik_null, b.loglik_null, REL));
        }
    }

    #[test]
    fn multiplying_every_time_by_c_changes_nothing(
        s in sample(10), c in prop::sample::select(vec![1e-3, 0.37, 30.0, 1e6]),
    ) {
        let time: Vec<f64> = s.time.iter().map(|t| t * c).collect();
        if let Some((a, b)) = both(fit_with(&s, &s.time, &s.x, Ties::Breslow),
                                   fit_with(&s, &time, &s.x, Ties::Breslow))? {
            // Order and ties are exactly preserved: identical arithmetic.
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn permuting_subjects_changes_nothing(s in sample(10), seed in any::<u64>()) {
        let n = s.time.len();
        let mut perm: Vec<usize> = (0..n).collect();
        let mut state = seed | 1;
        for i in (1..n).rev() {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            perm.swap(i, (state % (i as u64 + 1)) as usize);
        }
        let time: Vec<f64> = perm.iter().map(|&i| s.time[i]).collect();
        let event: Vec<u8> = perm.iter().map(|&i| s.event[i]).collect();
        let x: Vec<f64> = perm.iter().flat_map(|&i| s.x[i * s.p..(i + 1) * s.p].to_vec()).collect();
        let permuted = Sample { time: time.clone(), event, x: x.clone(), p: s.p };
        if let Some((a, b)) = both(fit_with(&s, &s.time, &s.x, Ties::Efron),
                                   fit_with(&permuted, &time, &x, Ties::Efron))? {
            for k in 0..s.p {
                prop_assert!(close(a.coefficients[k], b.coefficients[k], REL));
                prop_assert!(close(a.std_errors[k], b.std_errors[k], REL));
            }
            prop_assert!(close(a.loglik, b.loglik, 1e-12));
            prop_assert!(close(a.score.statistic, b.score.statistic, REL));
            prop_assert!(close(a.concordance.concordance, b.concordance.concordance, 1e-12));
            prop_assert!(close(a.concordance.std_err, b.concordance.std_err, 1e-10));
        }
    }

    #[test]
    fn without_tied_event_times_efron_equals_breslow(s in sample(1_000_000)) {
        // Make event times distinct: subject i's time gets a unique fractional part.
        let time: Vec<f64> = s.time.iter().enumerate().map(|(i, t)| t + i as f64 / 1024.0).collect();
        if let Some((a, b)) = both(fit_with(&s, &time, &s.x, Ties::Efron),
                                   fit_with(&s, &time, &s.x, Ties::Breslow))? {
            prop_assert_eq!(a, b);
        }
    }
}
