//! Properties of the Kaplan-Meier estimate and the log-rank test (issue 4, item 6) on random
//! heavily tied data: monotonicity and range of S, no events → S = 1, no censoring → the
//! empirical survival function, invariance to time scaling and to the order of the subjects,
//! χ² invariant to relabelling the groups, and the two-group χ² = ((O − E) / √V)².

use ecvkit::survival::{
    km_scratch_len, log_rank, logrank_scratch_len, Groups, KaplanMeier, KmOptions, KmRow,
    LogRankOptions, LogRankOutput, LogRankTest,
};
use proptest::prelude::*;

/// Subjects: (time in whole units 0..=max_time, event 0/1, group 0..k).
fn subjects(max_n: usize, k: u32) -> impl Strategy<Value = Vec<(f64, u8, u32)>> {
    // Under Miri (`make miri`) at most 20 subjects: every estimate is interpreted.
    let max_n = if cfg!(miri) { max_n.min(20) } else { max_n };
    prop::collection::vec(((0u32..=20).prop_map(f64::from), 0u8..=1, 0..k), 1..max_n)
}

fn km_rows(time: &[f64], event: &[u8]) -> Vec<KmRow> {
    let mut scratch = vec![0u64; km_scratch_len(time.len())];
    let km = KaplanMeier::new(time, event, &KmOptions::default(), &mut scratch).unwrap();
    km.rows().collect()
}

/// A row as bits, so that NaN limits (where S = 0) compare equal to themselves. Every NaN
/// becomes the one canonical NaN first: IEEE 754 leaves a NaN's sign and payload open, and Miri
/// (`make miri`) picks them at random (it gave −NaN for one call and +NaN for the other).
fn bits(r: &KmRow) -> [u64; 9] {
    let b = |x: f64| if x.is_nan() { f64::NAN } else { x }.to_bits();
    [
        b(r.time),
        r.n_risk as u64,
        r.n_event as u64,
        r.n_censor as u64,
        b(r.surv),
        b(r.std_err),
        b(r.std_err_surv),
        b(r.lower),
        b(r.upper),
    ]
}

fn split(s: &[(f64, u8, u32)]) -> (Vec<f64>, Vec<u8>, Vec<u32>) {
    (
        s.iter().map(|x| x.0).collect(),
        s.iter().map(|x| x.1).collect(),
        s.iter().map(|x| x.2).collect(),
    )
}

/// The test, observed, expected and variance.
type Outcome = (LogRankTest, Vec<f64>, Vec<f64>, Vec<f64>);

fn logrank(time: &[f64], event: &[u8], labels: &[u32], k: usize) -> Option<Outcome> {
    let (mut o, mut e, mut v) = (vec![0.0; k], vec![0.0; k], vec![0.0; k * k]);
    let mut scratch = vec![0u64; logrank_scratch_len(time.len())];
    let t = log_rank(
        time,
        event,
        Groups { labels, count: k },
        None,
        &LogRankOptions::default(),
        &mut scratch,
        LogRankOutput {
            observed: &mut o,
            expected: &mut e,
            variance: &mut v,
        },
    )
    .ok()?;
    Some((t, o, e, v))
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * a.abs().max(b.abs()).max(1e-12)
}

proptest! {
    #[test]
    fn survival_is_non_increasing_and_in_unit_interval(s in subjects(200, 1)) {
        let (time, event, _) = split(&s);
        let rows = km_rows(&time, &event);
        let mut previous = 1.0;
        for r in &rows {
            prop_assert!((0.0..=1.0).contains(&r.surv));
            prop_assert!(r.surv <= previous);
            previous = r.surv;
        }
        prop_assert_eq!(rows.iter().map(|r| r.n_event + r.n_censor).sum::<usize>(), time.len());
    }

    #[test]
    fn no_events_means_survival_one(s in subjects(100, 1)) {
        let (time, _, _) = split(&s);
        let event = vec![0u8; time.len()];
        prop_assert!(km_rows(&time, &event).iter().all(|r| r.surv == 1.0 && r.std_err == 0.0));
    }

    #[test]
    fn without_censoring_survival_is_the_empirical_function(s in subjects(200, 1)) {
        let (time, _, _) = split(&s);
        let event = vec![1u8; time.len()];
        let n = time.len() as f64;
        for r in km_rows(&time, &event) {
            let beyond = time.iter().filter(|&&t| t > r.time).count() as f64;
            prop_assert!(close(r.surv, beyond / n, 1e-12), "{} vs {}", r.surv, beyond / n);
        }
    }

    #[test]
    fn scaling_times_scales_row_times_only(s in subjects(150, 1), c in 0.001f64..1000.0) {
        let (time, event, _) = split(&s);
        let scaled: Vec<f64> = time.iter().map(|t| t * c).collect();
        let a = km_rows(&time, &event);
        let b = km_rows(&scaled, &event);
        prop_assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(&b) {
            prop_assert_eq!(x.time * c, y.time);
            let (mut xb, yb) = (bits(x), bits(y));
            xb[0] = yb[0];
            prop_assert_eq!(xb, yb);
        }
    }

    #[test]
    fn permuting_subjects_changes_nothing(
        s in subjects(150, 3),
        seed in any::<u64>(),
    ) {
        let mut p = s.clone();
        // Fisher-Yates with a small LCG: a permutation chosen by the seed
        let mut x = seed | 1;
        for i in (1..p.len()).rev() {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            p.swap(i, (x >> 33) as usize % (i + 1));
        }
        let (t1, e1, g1) = split(&s);
        let (t2, e2, g2) = split(&p);
        let a: Vec<_> = km_rows(&t1, &e1).iter().map(bits).collect();
        let b: Vec<_> = km_rows(&t2, &e2).iter().map(bits).collect();
        prop_assert_eq!(a, b);
        let a = logrank(&t1, &e1, &g1, 3);
        let b = logrank(&t2, &e2, &g2, 3);
        prop_assert_eq!(a.is_some(), b.is_some());
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert!(close(a.0.chisq, b.0.chisq, 1e-9));
            for (x, y) in a.2.iter().zip(&b.2) {
                prop_assert!(close(*x, *y, 1e-12));
            }
        }
    }

    #[test]
    fn relabelling_groups_leaves_chisq_unchanged(s in subjects(150, 3), perm in 0usize..6) {
        let maps: [[u32; 3]; 6] = [[0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]];
        let (time, event, labels) = split(&s);
        let relabelled: Vec<u32> = labels.iter().map(|&g| maps[perm][g as usize]).collect();
        let a = logrank(&time, &event, &labels, 3);
        let b = logrank(&time, &event, &relabelled, 3);
        prop_assert_eq!(a.is_some(), b.is_some());
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert_eq!(a.0.df, b.0.df);
            prop_assert!(close(a.0.chisq, b.0.chisq, 1e-9), "{} vs {}", a.0.chisq, b.0.chisq);
            for (g, &h) in maps[perm].iter().enumerate() {
                let h = h as usize;
                prop_assert!(close(a.1[g], b.1[h], 1e-12) && close(a.2[g], b.2[h], 1e-12));
            }
        }
    }

    #[test]
    fn two_group_chisq_is_the_squared_standardized_difference(s in subjects(200, 2)) {
        let (time, event, labels) = split(&s);
        if let Some((t, o, e, v)) = logrank(&time, &event, &labels, 2) {
            if t.df == 1 {
                let z = (o[0] - e[0]) / v[0].sqrt();
                prop_assert!(close(t.chisq, z * z, 1e-9), "{} vs {}", t.chisq, z * z);
                let z1 = (o[1] - e[1]) / v[3].sqrt();
                prop_assert!(close(t.chisq, z1 * z1, 1e-9));
            }
        }
    }
}
