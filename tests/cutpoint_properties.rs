//! Properties of the cutpoint scan (proptest): the incremental scan equals the direct per-cut
//! computations; a strictly increasing transform of the marker moves the cutpoint but not the
//! statistics or groups; reversing the marker's sign mirrors the groups.
use ecvkit::cutpoint::{
    scan_cutpoints, CutpointData, CutpointOptions, CutpointRow, CutpointScan, CutpointScratch,
    ScratchLen,
};
use ecvkit::survival::{log_rank, Groups, LogRankOptions, LogRankOutput, TimeMatching};
use ecvkit::Status;
use proptest::prelude::*;

/// Cohorts of 2–80 subjects: integer marker levels (ties), whole-unit times (ties), ~70 % events.
fn cohorts() -> impl Strategy<Value = (Vec<f64>, Vec<f64>, Vec<u8>)> {
    // Under Miri (`make miri`) at most 20 subjects: every scan is interpreted.
    (2usize..if cfg!(miri) { 20 } else { 80 }, 2u32..25).prop_flat_map(|(n, levels)| {
        (
            prop::collection::vec((0..levels).prop_map(f64::from), n),
            prop::collection::vec((0u32..30).prop_map(f64::from), n),
            prop::collection::vec(prop::bool::weighted(0.7).prop_map(u8::from), n),
        )
    })
}

fn all_splits() -> CutpointOptions {
    CutpointOptions {
        min_prop: 0.0,
        max_prop: 1.0,
        ..CutpointOptions::default()
    }
}

fn scan(
    x: &[f64],
    t: &[f64],
    d: &[u8],
    o: &CutpointOptions,
) -> Result<(CutpointScan, Vec<CutpointRow>), Status> {
    let need = ScratchLen::for_scan(x.len());
    let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
    let mut profile = vec![CutpointRow::default(); o.max_cuts(x.len())];
    let s = scan_cutpoints(
        CutpointData {
            marker: x,
            time: t,
            event: d,
        },
        o,
        Some(&mut profile),
        CutpointScratch {
            reals: &mut reals,
            indices: &mut indices,
        },
    )?;
    profile.truncate(s.cuts);
    Ok((s, profile))
}

/// survdiff's χ² for marker ≤ cut vs > cut by the survival module; 0 where R's solve() fails.
fn direct_chisq(x: &[f64], t: &[f64], d: &[u8], cut: f64) -> f64 {
    let labels: Vec<u32> = x.iter().map(|&v| u32::from(v > cut)).collect();
    let (mut o, mut e, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);
    let mut scratch = vec![0u64; ecvkit::survival::logrank_scratch_len(x.len())];
    match log_rank(
        t,
        d,
        Groups {
            labels: &labels,
            count: 2,
        },
        None,
        &LogRankOptions {
            rho: 0.0,
            time_matching: TimeMatching::Exact,
        },
        &mut scratch,
        LogRankOutput {
            observed: &mut o,
            expected: &mut e,
            variance: &mut v,
        },
    ) {
        Ok(test) => test.chisq,
        Err(Status::SingularVariance) => 0.0,
        Err(s) => panic!("{s:?}"),
    }
}

/// maxstat's standardized statistic at `cut` from its definition (R's cscores + cmaxstat).
fn direct_maxstat(x: &[f64], t: &[f64], d: &[u8], cut: f64) -> f64 {
    let n = x.len();
    let nf = n as f64;
    let rank: Vec<usize> = t
        .iter()
        .map(|ti| t.iter().filter(|tj| *tj <= ti).count())
        .collect();
    let a: Vec<f64> = (0..n)
        .map(|i| {
            let g: f64 = (0..n)
                .filter(|&j| rank[j] <= rank[i])
                .map(|j| f64::from(d[j]) / (nf - rank[j] as f64 + 1.0))
                .sum();
            f64::from(d[i]) - g
        })
        .collect();
    let (sum, sum2): (f64, f64) = (a.iter().sum(), a.iter().map(|v| v * v).sum());
    let m = x.iter().filter(|&&v| v <= cut).count() as f64;
    let s: f64 = (0..n).filter(|&i| x[i] <= cut).map(|i| a[i]).sum();
    let v = m * (nf - m) / (nf * nf * (nf - 1.0)) * (nf * sum2 - sum * sum);
    ((s - m / nf * sum) / v.sqrt()).abs()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 2 } else { 128 }))]

    #[test]
    fn best_statistics_are_the_maxima_of_direct_computations((x, t, d) in cohorts()) {
        let Ok((s, profile)) = scan(&x, &t, &d, &all_splits()) else {
            return Ok(()); // no split, no events, or constant scores: nothing to compare
        };
        let mut best = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for row in &profile {
            let chisq = direct_chisq(&x, &t, &d, row.cutpoint);
            let m = direct_maxstat(&x, &t, &d, row.cutpoint);
            prop_assert!(close(row.chisq, chisq), "cut {}: {} vs {chisq}", row.cutpoint, row.chisq);
            prop_assert!(close(row.standardized_statistic, m));
            best = (best.0.max(chisq), best.1.max(m));
        }
        prop_assert!(close(s.logrank.statistic, best.0));
        prop_assert!(close(s.maxstat.statistic, best.1));
    }

    #[test]
    fn increasing_transform_moves_the_cutpoint_only((x, t, d) in cohorts()) {
        let f = |v: f64| v * v * v + 3.0 * v + 1.0; // strictly increasing, exact for small integers
        let y: Vec<f64> = x.iter().map(|&v| f(v)).collect();
        let o = CutpointOptions::default();
        let (a, b) = (scan(&x, &t, &d, &o), scan(&y, &t, &d, &o));
        match (a, b) {
            (Ok((sa, pa)), Ok((sb, pb))) => {
                prop_assert_eq!(sb.maxstat.cutpoint, f(sa.maxstat.cutpoint));
                prop_assert_eq!(sb.logrank.cutpoint, f(sa.logrank.cutpoint));
                prop_assert_eq!(sa.maxstat.statistic, sb.maxstat.statistic);
                prop_assert_eq!(sa.logrank.statistic, sb.logrank.statistic);
                prop_assert_eq!(sa.maxstat.n_low, sb.maxstat.n_low);
                prop_assert_eq!(sa.logrank.n_low, sb.logrank.n_low);
                prop_assert_eq!(pa.len(), pb.len());
                for (ra, rb) in pa.iter().zip(&pb) {
                    prop_assert_eq!(rb.cutpoint, f(ra.cutpoint));
                    prop_assert_eq!((ra.n_low, ra.chisq), (rb.n_low, rb.chisq));
                    prop_assert_eq!(ra.standardized_statistic, rb.standardized_statistic);
                }
            }
            (Err(ea), Err(eb)) => prop_assert_eq!(ea, eb),
            (a, b) => prop_assert!(false, "{:?} vs {:?}", a.map(|r| r.0), b.map(|r| r.0)),
        }
    }

    #[test]
    fn reversing_the_sign_mirrors_the_groups((x, t, d) in cohorts()) {
        let neg: Vec<f64> = x.iter().map(|&v| -v).collect();
        let o = all_splits();
        let (Ok((sa, pa)), Ok((sb, pb))) = (scan(&x, &t, &d, &o), scan(&neg, &t, &d, &o)) else {
            return Ok(());
        };
        prop_assert_eq!(pa.len(), pb.len());
        for (ra, rb) in pa.iter().zip(pb.iter().rev()) {
            prop_assert_eq!((ra.n_low, ra.n_high), (rb.n_high, rb.n_low));
            prop_assert!(close(ra.chisq, rb.chisq));
            prop_assert!(close(ra.standardized_statistic, rb.standardized_statistic));
        }
        prop_assert!(close(sa.maxstat.statistic, sb.maxstat.statistic));
        prop_assert!(close(sa.logrank.statistic, sb.logrank.statistic));
        // The mirrored best split has the groups swapped (up to ties in the maximum).
        let at = |rows: &[CutpointRow], n_low: usize| {
            rows.iter().find(|r| r.n_low == n_low).map(|r| r.chisq)
        };
        prop_assert!(close(at(&pb, sa.logrank.n_high).unwrap_or(f64::NAN), sa.logrank.statistic));
    }
}
