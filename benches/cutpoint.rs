//! The cutpoint scan (maxstat statistic + survdiff χ² at every split, O(n log n)) against the
//! direct scan — one survdiff log-rank per split, O(n) each after its sort, O(n²) in all — in one
//! group, n = 10³ … 10⁶.
//!
//! The full direct scan is run only where one pass stays under a few seconds (n ≤ 10⁴). For
//! every n the group also times ONE direct log-rank (`direct_one_split`): the direct scan is
//! exactly `cuts` such calls (each split is an independent test of the same size), so its cost
//! at larger n is cuts × that time; at n ≤ 10⁴ both are measured and the product can be checked
//! against the full direct scan.
//!
//! Run: `cargo bench --bench cutpoint -- --warm-up-time 1 --measurement-time 2`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ecvkit::cutpoint::{
    count_cuts, scan_cutpoints, CutpointData, CutpointOptions, CutpointRow, CutpointScratch,
    ScratchLen,
};
use ecvkit::survival::{log_rank, Groups, LogRankOptions, LogRankOutput, TimeMatching};
use std::hint::black_box;

/// A deterministic cohort: continuous marker (distinct values), whole-day times with ties,
/// about 70 % events, hazard rising with the marker.
fn cohort(n: usize) -> (Vec<f64>, Vec<f64>, Vec<u8>) {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    let (mut x, mut t, mut d) = (vec![], vec![], vec![]);
    for _ in 0..n {
        let marker = 0.15 + 0.3 * next();
        let time = (-(next().max(1e-12)).ln() * 900.0 / (1.0 + 4.0 * (marker - 0.15))).ceil();
        x.push(marker);
        t.push(time.min(3000.0));
        d.push(u8::from(next() < 0.7));
    }
    (x, t, d)
}

/// One survdiff log-rank for the split marker ≤ cut.
fn direct_split(
    x: &[f64],
    t: &[f64],
    d: &[u8],
    cut: f64,
    labels: &mut [u32],
    s: &mut [u64],
) -> f64 {
    for (l, &v) in labels.iter_mut().zip(x) {
        *l = u32::from(v > cut);
    }
    let (mut o, mut e, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);
    log_rank(
        t,
        d,
        Groups { labels, count: 2 },
        None,
        &LogRankOptions {
            rho: 0.0,
            time_matching: TimeMatching::Exact,
        },
        s,
        LogRankOutput {
            observed: &mut o,
            expected: &mut e,
            variance: &mut v,
        },
    )
    .map_or(0.0, |r| r.chisq)
}

fn bench_scan(c: &mut Criterion) {
    let options = CutpointOptions::default();
    let mut group = c.benchmark_group("cutpoint_scan");
    group.sample_size(10);
    for n in [1_000usize, 10_000, 100_000, 1_000_000] {
        let (x, t, d) = cohort(n);
        let need = ScratchLen::for_scan(n);
        let (mut reals, mut indices) = (vec![0.0; need.reals], vec![0u32; need.indices]);
        let cuts = count_cuts(&x, &options, &mut indices).expect("cuts");
        let mut profile = vec![CutpointRow::default(); cuts];
        let data = CutpointData {
            marker: &x,
            time: &t,
            event: &d,
        };
        group.bench_with_input(BenchmarkId::new("ecvkit_scan", n), &n, |b, _| {
            b.iter(|| {
                black_box(scan_cutpoints(
                    data,
                    &options,
                    Some(&mut profile),
                    CutpointScratch {
                        reals: &mut reals,
                        indices: &mut indices,
                    },
                ))
            })
        });
        let (mut labels, mut s) = (
            vec![0u32; n],
            vec![0u64; ecvkit::survival::logrank_scratch_len(n)],
        );
        let median_cut = profile[cuts / 2].cutpoint;
        group.bench_with_input(BenchmarkId::new("direct_one_split", n), &n, |b, _| {
            b.iter(|| black_box(direct_split(&x, &t, &d, median_cut, &mut labels, &mut s)))
        });
        if n <= 10_000 {
            group.bench_with_input(BenchmarkId::new("direct_scan", n), &n, |b, _| {
                b.iter(|| {
                    let mut best = 0.0f64;
                    for row in &profile {
                        best =
                            best.max(direct_split(&x, &t, &d, row.cutpoint, &mut labels, &mut s));
                    }
                    black_box(best)
                })
            });
        }
        eprintln!("n = {n}: {cuts} splits evaluated");
    }
    group.finish();
}

criterion_group!(benches, bench_scan);
criterion_main!(benches);
