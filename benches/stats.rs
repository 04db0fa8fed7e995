//! Rank statistics at n = 100 000: ecvkit against what a Rust caller with `std` would write —
//! ranks by `sort_by(f64::total_cmp)` on index vectors (allocating), then the same correlation /
//! rank sum; and the median / IQR by `sort_by` of a copy. Each group holds ecvkit and its
//! baseline, so the report shows the ratio.
//!
//! Run: `cargo bench --bench stats -- --warm-up-time 1 --measurement-time 2`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ecvkit::stats::{
    median_iqr, spearman, wilcoxon_rank_sum, RankScratch, SpearmanOptions, WilcoxonOptions,
};
use std::hint::black_box;

const N: usize = 100_000;

/// Deterministic data with ties (values on a 0.1 grid), like rounded ECV percentages.
fn data(seed: u64) -> Vec<f64> {
    let mut s = seed;
    (0..N)
        .map(|_| {
            s = s
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((s >> 33) % 600) as f64 / 10.0 + 10.0
        })
        .collect()
}

/// Mid-ranks the std way: sort an index vector by value, then average tied positions.
fn std_ranks(x: &[f64]) -> Vec<f64> {
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]));
    let mut ranks = vec![0.0; x.len()];
    let mut i = 0;
    while i < idx.len() {
        let mut j = i;
        while j + 1 < idx.len() && x[idx[j + 1]] == x[idx[i]] {
            j += 1;
        }
        let r = (i + j) as f64 / 2.0 + 1.0;
        for &k in &idx[i..=j] {
            ranks[k] = r;
        }
        i = j + 1;
    }
    ranks
}

fn std_spearman(x: &[f64], y: &[f64]) -> f64 {
    let (rx, ry) = (std_ranks(x), std_ranks(y));
    let n = x.len() as f64;
    let m = (n + 1.0) / 2.0;
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in rx.iter().zip(&ry) {
        sxy += (a - m) * (b - m);
        sxx += (a - m) * (a - m);
        syy += (b - m) * (b - m);
    }
    sxy / (sxx * syy).sqrt()
}

fn bench_ranks(c: &mut Criterion) {
    let x = data(1);
    let y: Vec<f64> = data(2).iter().zip(&x).map(|(a, b)| a + b).collect();
    let mut values = vec![0.0; RankScratch::values_needed(2 * N)];
    let mut indices = vec![0u32; RankScratch::indices_needed(2 * N)];

    let mut group = c.benchmark_group("spearman_n100k");
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("ecvkit_spearman", |b| {
        b.iter(|| {
            let mut s = RankScratch {
                values: &mut values,
                indices: &mut indices,
            };
            black_box(spearman(&x, &y, &SpearmanOptions::default(), &mut s))
        })
    });
    group.bench_function("baseline_std_sort_by_ranks", |b| {
        b.iter(|| black_box(std_spearman(&x, &y)))
    });
    group.finish();

    let mut group = c.benchmark_group("wilcoxon_2x50k");
    let (a, b2) = x.split_at(N / 2);
    group.bench_function("ecvkit_wilcoxon_rank_sum", |b| {
        b.iter(|| {
            let mut s = RankScratch {
                values: &mut values,
                indices: &mut indices,
            };
            black_box(wilcoxon_rank_sum(
                a,
                b2,
                &WilcoxonOptions::default(),
                &mut s,
            ))
        })
    });
    group.bench_function("baseline_std_sort_by_rank_sum", |b| {
        b.iter(|| {
            let pooled: Vec<f64> = a.iter().chain(b2).copied().collect();
            let r = std_ranks(&pooled);
            black_box(r[..a.len()].iter().sum::<f64>())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("median_iqr_n100k");
    let mut scratch = vec![0.0; N];
    group.bench_function("ecvkit_median_iqr", |b| {
        b.iter(|| black_box(median_iqr(&x, &mut scratch)))
    });
    group.bench_function("baseline_std_sort_by_copy", |b| {
        b.iter(|| {
            let mut v = x.clone();
            v.sort_by(f64::total_cmp);
            black_box((v[N / 2], v[N / 4], v[3 * N / 4]))
        })
    });
    group.finish();
}

criterion_group!(benches, bench_ranks);
criterion_main!(benches);
