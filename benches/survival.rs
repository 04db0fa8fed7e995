//! Kaplan-Meier and log-rank at n = 10^3, 10^5, 10^6 against the cost of sorting n f64 alone
//! (issue 4, item 7), in one criterion group per n so the report shows the ratios:
//!
//! - `floor_std_sort_f64`: `sort_unstable_by(f64::total_cmp)` of a copy of the times (the copy is
//!   made outside the timing): the floor any estimator that sorts must pay;
//! - `ecvkit_argsort_radix`: the crate's index radix argsort alone (`sort::argsort_f64`, which
//!   gathers keys by index; the survival functions use the pair sort instead);
//! - `ecvkit_pair_sort`: copying (time bits, event) pairs and sorting them with
//!   `sort::sort_pairs_by`, the sort every survival function starts with (its own floor);
//! - `ecvkit_km`: the whole Kaplan-Meier fit: sort, every row with its band, the median;
//! - `ecvkit_logrank`: the whole two-group log-rank test, sort included;
//! - `ecvkit_km_and_logrank`: both on one sort ([`SortedSurvival`] shared).
//!
//! Data: exponential times (mean 365, continuous: every radix digit varies, the sort's worst
//! case) rounded to whole days, as follow-up times are recorded, 30 % censored, two groups.
//!
//! Run: `cargo bench --bench survival -- --warm-up-time 1 --measurement-time 2`

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ecvkit::sort::{argsort_f64, sort_pairs_by};
use ecvkit::survival::{
    log_rank, log_rank_sorted, logrank_scratch_len, Groups, KaplanMeier, KmOptions, LogRankOptions,
    LogRankOutput, SortedSurvival, SurvivalData, TimeMatching,
};
use std::hint::black_box;

struct Cohort {
    time: Vec<f64>,
    event: Vec<u8>,
    group: Vec<u32>,
}

/// A deterministic cohort (splitmix64).
fn cohort(n: usize) -> Cohort {
    let mut state = 0x9E37_79B9_7F4A_7C15u64;
    let mut next = move || {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
    };
    let mut c = Cohort {
        time: Vec::with_capacity(n),
        event: Vec::with_capacity(n),
        group: Vec::with_capacity(n),
    };
    for _ in 0..n {
        c.time.push((-365.0 * (1.0 - next()).ln()).round());
        c.event.push(u8::from(next() < 0.7));
        c.group.push(u32::from(next() < 0.5));
    }
    c
}

fn km_work(km: &KaplanMeier<'_>) -> f64 {
    let mut acc = 0.0;
    for row in km.rows() {
        acc += row.surv + row.lower + row.upper;
    }
    acc + km.median().median
}

fn bench_survival(c: &mut Criterion) {
    for (label, n) in [("1e3", 1_000usize), ("1e5", 100_000), ("1e6", 1_000_000)] {
        let data = cohort(n);
        let mut group = c.benchmark_group(format!("survival_n{label}"));
        group.throughput(Throughput::Elements(n as u64));
        if n >= 1_000_000 {
            group.sample_size(10);
        }
        let mut scratch = vec![0u64; logrank_scratch_len(n)];
        let (mut o, mut e, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);

        group.bench_function("floor_std_sort_f64", |b| {
            b.iter_batched_ref(
                || data.time.clone(),
                |t| {
                    t.sort_unstable_by(f64::total_cmp);
                    black_box(t.first().copied())
                },
                BatchSize::LargeInput,
            )
        });
        let mut index_scratch = vec![0u32; 2 * n];
        group.bench_function("ecvkit_argsort_radix", |b| {
            b.iter(|| {
                let (order, buffer) = index_scratch.split_at_mut(n);
                argsort_f64(&data.time, order, buffer).unwrap();
                black_box(order.first().copied())
            })
        });
        let (mut keys, mut payloads) = (vec![0u64; n], vec![0u64; n]);
        let (mut key_buffer, mut payload_buffer) = (vec![0u64; n], vec![0u64; n]);
        group.bench_function("ecvkit_pair_sort", |b| {
            b.iter(|| {
                for (((k, p), &t), &e) in keys
                    .iter_mut()
                    .zip(payloads.iter_mut())
                    .zip(&data.time)
                    .zip(&data.event)
                {
                    *k = t.to_bits();
                    *p = u64::from(e);
                }
                sort_pairs_by(
                    &mut keys,
                    &mut payloads,
                    &mut key_buffer,
                    &mut payload_buffer,
                    |k, _| k,
                )
                .unwrap();
                black_box(keys.first().copied())
            })
        });
        group.bench_function("ecvkit_km", |b| {
            b.iter(|| {
                let km =
                    KaplanMeier::new(&data.time, &data.event, &KmOptions::default(), &mut scratch)
                        .unwrap();
                black_box(km_work(&km))
            })
        });
        group.bench_function("ecvkit_logrank", |b| {
            b.iter(|| {
                let out = LogRankOutput {
                    observed: &mut o,
                    expected: &mut e,
                    variance: &mut v,
                };
                let groups = Groups {
                    labels: &data.group,
                    count: 2,
                };
                let opts = LogRankOptions::default();
                black_box(
                    log_rank(
                        &data.time,
                        &data.event,
                        groups,
                        None,
                        &opts,
                        &mut scratch,
                        out,
                    )
                    .unwrap(),
                )
            })
        });
        group.bench_function("ecvkit_km_and_logrank", |b| {
            b.iter(|| {
                let d = SurvivalData::new(&data.time, &data.event).unwrap();
                let sorted = SortedSurvival::with_groups(
                    d,
                    &data.group,
                    TimeMatching::RTimefix,
                    &mut scratch,
                )
                .unwrap();
                let km = KaplanMeier::from_sorted(sorted, &KmOptions::default()).unwrap();
                let out = LogRankOutput {
                    observed: &mut o,
                    expected: &mut e,
                    variance: &mut v,
                };
                let t = log_rank_sorted(&sorted, 2, &LogRankOptions::default(), out).unwrap();
                black_box((km_work(&km), t))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench_survival);
criterion_main!(benches);
