//! Unit tests of the cutpoint module: the incremental sweep against the direct computation at
//! every split, the statuses, the permutation p-values, and the X-tile layout. Compiled only
//! under #[cfg(test)] (see `mod tests` in mod.rs): unwrap and panic are fine here.

use super::permutation::Xoshiro256StarStar;
use super::*;
use crate::survival::{log_rank, Groups, LogRankOptions, LogRankOutput, TimeMatching};
use crate::Status;

/// A deterministic cohort with tied times (whole months), tied markers and a marker effect.
fn cohort(n: usize, seed: u64, marker_levels: u64) -> (Vec<f64>, Vec<f64>, Vec<u8>) {
    let mut rng = Xoshiro256StarStar::from_seed(seed);
    let (mut x, mut t, mut d) = (vec![], vec![], vec![]);
    for _ in 0..n {
        let m = rng.below(marker_levels) as f64 / 4.0;
        let base = 1 + rng.below(40);
        let time = (base as f64 * (1.5 - m / marker_levels as f64))
            .round()
            .max(0.0);
        x.push(m);
        t.push(time);
        d.push(u8::from(rng.below(10) < 7));
    }
    (x, t, d)
}

fn run_scan(
    x: &[f64],
    t: &[f64],
    d: &[u8],
    options: &CutpointOptions,
) -> Result<(CutpointScan, Vec<CutpointRow>), Status> {
    let need = ScratchLen::for_scan(x.len());
    let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
    let mut profile = vec![CutpointRow::default(); options.max_cuts(x.len())];
    let scan = scan_cutpoints(
        CutpointData {
            marker: x,
            time: t,
            event: d,
        },
        options,
        Some(&mut profile),
        CutpointScratch {
            reals: &mut reals,
            indices: &mut indices,
        },
    )?;
    profile.truncate(scan.cuts);
    Ok((scan, profile))
}

/// survdiff for low = marker ≤ cut, by the survival module (one O(n log n) test per cut).
fn direct_log_rank(x: &[f64], t: &[f64], d: &[u8], cut: f64) -> (f64, f64, f64) {
    let labels: Vec<u32> = x.iter().map(|&v| u32::from(v > cut)).collect();
    let (mut o, mut e, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);
    let mut scratch = vec![0u64; crate::survival::logrank_scratch_len(x.len())];
    let r = log_rank(
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
    );
    match r {
        Ok(test) => (test.chisq, o[0], e[0]),
        // R's solve() stops on a singular variance; the scan reports 0 there.
        Err(Status::SingularVariance) => (0.0, o[0], e[0]),
        Err(s) => panic!("direct log-rank: {s:?}"),
    }
}

/// maxstat's statistic at every admissible cut from R's definitions, O(n²).
fn direct_maxstat(x: &[f64], t: &[f64], d: &[u8], cut: f64) -> f64 {
    let n = x.len();
    let nf = n as f64;
    // irank: the largest rank among ties = #{j : T_j ≤ T_i}.
    let rank = |i: usize| t.iter().filter(|&&tj| tj <= t[i]).count();
    let score = |i: usize| {
        let ri = rank(i);
        let s: f64 = (0..n)
            .filter(|&j| rank(j) <= ri)
            .map(|j| f64::from(d[j]) / (nf - rank(j) as f64 + 1.0))
            .sum();
        f64::from(d[i]) - s
    };
    let a: Vec<f64> = (0..n).map(score).collect();
    let (sum, sum2): (f64, f64) = (a.iter().sum(), a.iter().map(|v| v * v).sum());
    let m = x.iter().filter(|&&v| v <= cut).count() as f64;
    let s: f64 = (0..n).filter(|&i| x[i] <= cut).map(|i| a[i]).sum();
    let e = m / nf * sum;
    let v = m * (nf - m) / (nf * nf * (nf - 1.0)) * (nf * sum2 - sum * sum);
    ((s - e) / v.sqrt()).abs()
}

#[test]
fn every_split_agrees_with_the_direct_computation() {
    let mut worst = (0.0f64, 0.0f64);
    for seed in 0..crate::test_support::native_or_miri(12, 1) as u64 {
        let n = 20 + 7 * seed as usize;
        let (x, t, d) = cohort(n, seed, 3 + seed);
        let options = CutpointOptions {
            min_prop: 0.0,
            max_prop: 1.0,
            ..CutpointOptions::default()
        };
        let (scan, profile) = run_scan(&x, &t, &d, &options).expect("scan");
        let mut best = 0.0f64;
        for row in &profile {
            let (chisq, o, e) = direct_log_rank(&x, &t, &d, row.cutpoint);
            let m = direct_maxstat(&x, &t, &d, row.cutpoint);
            assert_eq!(row.observed_low, o);
            assert!(
                (row.expected_low - e).abs() <= 1e-12 * e.max(1.0),
                "seed {seed}"
            );
            let rel = (row.chisq - chisq).abs() / chisq.max(1.0);
            assert!(
                rel <= 1e-10,
                "seed {seed} cut {}: {} vs {chisq}",
                row.cutpoint,
                row.chisq
            );
            let rel_m = (row.standardized_statistic - m).abs() / m.max(1e-3);
            assert!(
                rel_m <= 1e-10,
                "seed {seed}: M {} vs {m}",
                row.standardized_statistic
            );
            worst = (worst.0.max(rel), worst.1.max(rel_m));
            best = best.max(chisq);
        }
        assert!((scan.logrank.statistic - best).abs() <= 1e-10 * best.max(1.0));
    }
    eprintln!(
        "worst relative difference: chisq {:e}, M {:e}",
        worst.0, worst.1
    );
}

#[test]
fn a_group_with_no_expected_events_gives_zero_as_survdiff() {
    // The three lowest markers are censored before the first event: E = 0 for that low group.
    let x = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
    let t = [1.0, 1.0, 2.0, 5.0, 6.0, 7.0, 8.0, 9.0];
    let d = [0, 0, 0, 1, 1, 0, 1, 1];
    let o = CutpointOptions {
        min_prop: 0.0,
        max_prop: 1.0,
        ..CutpointOptions::default()
    };
    let (_, profile) = run_scan(&x, &t, &d, &o).expect("scan");
    for row in &profile[..3] {
        assert_eq!(row.expected_low, 0.0);
        assert_eq!(row.chisq, 0.0);
        assert_eq!(direct_log_rank(&x, &t, &d, row.cutpoint).0, 0.0);
    }
    assert!(profile[3].chisq > 0.0);
}

#[test]
fn statuses_and_nothing_written_on_failure() {
    let o = CutpointOptions::default();
    let (x, t, d) = cohort(30, 7, 5);
    let check = |x: &[f64], t: &[f64], d: &[u8], o: &CutpointOptions, want: Status| {
        let need = ScratchLen::for_scan(x.len());
        let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
        let sentinel = CutpointRow {
            cutpoint: -99.0,
            ..CutpointRow::default()
        };
        let mut profile = vec![sentinel; 64];
        let r = scan_cutpoints(
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
        );
        assert_eq!(r, Err(want));
        assert!(profile.iter().all(|r| *r == sentinel), "{want:?}");
    };
    check(
        &x[..1],
        &t[..1],
        &d[..1],
        &o,
        Status::CutpointTooFewSubjects,
    );
    check(&[], &[], &[], &o, Status::EmptyInput);
    check(&x, &t[..29], &d, &o, Status::LengthMismatch);
    check(&[0.3; 30], &t, &d, &o, Status::CutpointMarkerConstant);
    let mut tied = [1.0; 30];
    tied[29] = 2.0;
    let half = CutpointOptions { max_prop: 0.5, ..o };
    check(&tied, &t, &d, &half, Status::CutpointNoSplitInRange);
    check(&x, &t, &[0; 30], &o, Status::NoEvents);
    check(&x, &[5.0; 30], &[1; 30], &o, Status::CutpointScoresConstant);
    let mut nan = x.clone();
    nan[4] = f64::NAN;
    check(&nan, &t, &d, &o, Status::NotFinite);
    let mut negative = t.clone();
    negative[0] = -1.0;
    check(&x, &negative, &d, &o, Status::NegativeTime);
    let mut two = d.clone();
    two[0] = 2;
    check(&x, &t, &two, &o, Status::EventNotBinary);
    let bad = CutpointOptions {
        min_prop: 0.6,
        max_prop: 0.4,
        ..o
    };
    check(&x, &t, &d, &bad, Status::InvalidOption);

    // A profile shorter than the number of cuts, and short scratch.
    let need = ScratchLen::for_scan(30);
    let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
    let cuts = count_cuts(&x, &o, &mut indices).expect("count");
    let mut short = vec![CutpointRow::default(); cuts - 1];
    let data = CutpointData {
        marker: &x,
        time: &t,
        event: &d,
    };
    let r = scan_cutpoints(
        data,
        &o,
        Some(&mut short),
        CutpointScratch {
            reals: &mut reals,
            indices: &mut indices,
        },
    );
    assert_eq!(r, Err(Status::BufferTooSmall));
    assert!(short.iter().all(|r| *r == CutpointRow::default()));
    let r = scan_cutpoints(
        data,
        &o,
        None,
        CutpointScratch {
            reals: &mut reals[1..],
            indices: &mut indices,
        },
    );
    assert_eq!(r, Err(Status::ScratchTooSmall));
    let scan = scan_cutpoints(
        data,
        &o,
        None,
        CutpointScratch {
            reals: &mut reals,
            indices: &mut indices,
        },
    )
    .expect("scan without a profile");
    assert_eq!(scan.cuts, cuts);
    assert!(scan.maxstat.p_permutation.is_nan());
}

#[test]
#[cfg_attr(
    miri,
    ignore = "800 permuted scans take hours under Miri; the fuzz target cutpoint runs \
              permutation scans under AddressSanitizer"
)]
fn permutation_p_is_deterministic_and_small_for_a_strong_effect() {
    // Survival falls steeply with the marker.
    let n = 60;
    let x: Vec<f64> = (0..n).map(|i| (i % 20) as f64).collect();
    let t: Vec<f64> = x
        .iter()
        .enumerate()
        .map(|(i, &m)| 100.0 - 4.0 * m + (i % 3) as f64)
        .collect();
    let d = vec![1u8; n];
    let o = CutpointOptions {
        permutations: 200,
        seed: 12345,
        ..CutpointOptions::default()
    };
    let (a, _) = run_scan(&x, &t, &d, &o).expect("scan");
    let (b, _) = run_scan(&x, &t, &d, &o).expect("scan");
    assert_eq!(a, b);
    assert!(
        a.maxstat.p_permutation < 0.01,
        "{}",
        a.maxstat.p_permutation
    );
    assert!(
        a.logrank.p_permutation < 0.01,
        "{}",
        a.logrank.p_permutation
    );

    // No effect: the permutation p is not small, and it depends on the seed only through noise.
    let (x, t, d) = cohort(80, 99, 50);
    let x: Vec<f64> = x.iter().rev().copied().collect(); // break the built-in effect
    let mut ps = vec![];
    for seed in [1, 2] {
        let o = CutpointOptions {
            permutations: 300,
            seed,
            ..CutpointOptions::default()
        };
        let (s, _) = run_scan(&x, &t, &d, &o).expect("scan");
        assert!((0.0..=1.0).contains(&s.maxstat.p_permutation));
        assert!((0.0..=1.0).contains(&s.logrank.p_permutation));
        ps.push(s.maxstat.p_permutation);
    }
    assert!((ps[0] - ps[1]).abs() < 0.15, "{ps:?}");
}

#[test]
fn xtile_cell_index_enumerates_the_triangle_in_order() {
    for j in 0..9 {
        let mut expected = 0;
        for a in 0..j {
            for b in a + 1..j {
                assert_eq!(xtile_cell_index(j, a, b), Some(expected));
                expected += 1;
            }
        }
        assert_eq!(xtile_cells(j), expected);
        assert_eq!(xtile_cell_index(j, 0, 0), None);
        assert_eq!(xtile_cell_index(j, 1, j), None);
    }
}

#[test]
fn xtile_pairs_agree_with_a_direct_three_group_log_rank() {
    let (x, t, d) = cohort(45, 3, 9);
    let o = CutpointOptions::default();
    let need = ScratchLen::for_xtile(x.len());
    let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
    let mut grid = vec![XtileCell::default(); xtile_cells(o.max_cuts(x.len()))];
    let s = xtile_grid(
        CutpointData {
            marker: &x,
            time: &t,
            event: &d,
        },
        &o,
        &mut grid,
        CutpointScratch {
            reals: &mut reals,
            indices: &mut indices,
        },
    )
    .expect("xtile");
    assert!(s.cells > 0);
    for cell in &grid[..s.cells] {
        if cell.chisq.is_nan() {
            continue;
        }
        let labels: Vec<u32> = x
            .iter()
            .map(|&v| u32::from(v > cell.low_cut) + u32::from(v > cell.high_cut))
            .collect();
        let (mut ob, mut ex, mut va) = ([0.0; 3], [0.0; 3], [0.0; 9]);
        let mut scratch = vec![0u64; crate::survival::logrank_scratch_len(x.len())];
        let direct = log_rank(
            &t,
            &d,
            Groups {
                labels: &labels,
                count: 3,
            },
            None,
            &LogRankOptions {
                rho: 0.0,
                time_matching: TimeMatching::Exact,
            },
            &mut scratch,
            LogRankOutput {
                observed: &mut ob,
                expected: &mut ex,
                variance: &mut va,
            },
        )
        .map_or(0.0, |r| r.chisq);
        assert!(
            (cell.chisq - direct).abs() <= 1e-10 * direct.max(1.0),
            "{} / {}: {} vs {direct}",
            cell.low_cut,
            cell.high_cut,
            cell.chisq
        );
    }
}
