//! Cox fit (Efron ties, R's defaults, concordance included) for p = 5 and p = 20 covariates and
//! n = 10^3 … 10^6 subjects: ecvkit against a naive implementation in the same group that sums
//! every risk set from scratch (O(n) per distinct event time, so O(n²) per Newton iteration),
//! run only up to n = 10^4 to keep the bench short.
//!
//! The data are deterministic (Weyl sequences), generated identically by
//! `tests/reference/cox_timing.R`, which records R's `coxph` time on the same data
//! (`tests/reference/cox_timing.csv`) for the closing note.
//!
//! Run: `cargo bench --bench cox -- --warm-up-time 1 --measurement-time 2`
//!
//! Closing note (2-core shared VM, load average 3–4.5 during both runs, run back to back;
//! criterion's median; R 4.2.2 / survival 3.5-3 `coxph(ties = "efron")` from
//! `tests/reference/cox_timing.R`, median of 3 runs, 1 at n = 10^6; every fit includes the
//! concordance, as R's does):
//!
//! | p | n | ecvkit | naive O(n²) | naive / ecvkit | R coxph | R / ecvkit |
//! | --- | --- | --- | --- | --- | --- | --- |
//! | 5 | 10^3 | 0.34 ms | 18.8 ms | 55× | 5 ms | 15× |
//! | 5 | 10^4 | 3.7 ms | 402 ms | 108× | 42 ms | 11× |
//! | 5 | 10^5 | 55 ms | — | — | 568 ms | 10× |
//! | 5 | 10^6 | 0.70 s | — | — | 8.57 s | 12× |
//! | 20 | 10^3 | 3.4 ms | 218 ms | 64× | 18 ms | 5× |
//! | 20 | 10^4 | 16 ms | 5.6 s | 355× | 113 ms | 7× |
//! | 20 | 10^5 | 128 ms | — | — | 1.42 s | 11× |
//! | 20 | 10^6 | 1.51 s | — | — | 16.2 s | 11× |

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use ecvkit::cox::{cox_fit, scratch_sizes, CoxData, CoxOptions, CoxScratch};
use std::hint::black_box;

/// frac(i · a): a Weyl sequence, the same IEEE arithmetic as R's `i * a - floor(i * a)`.
fn weyl(i: usize, a: f64) -> f64 {
    let x = i as f64 * a;
    x - x.floor()
}

/// frac(√k).
fn irrational(k: u32) -> f64 {
    let s = f64::from(k).sqrt();
    s - s.floor()
}

const PRIMES: [u32; 20] = [
    2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53, 59, 61, 67, 71,
];

/// n subjects, p covariates uniform on (−1, 1); log hazard 0.5 x1 − 0.3 x2; times in whole days
/// (heavily tied); 70 % events.
pub struct Data {
    time: Vec<f64>,
    event: Vec<u8>,
    x: Vec<f64>,
    p: usize,
}

pub fn data(n: usize, p: usize) -> Data {
    let mut x = Vec::with_capacity(n * p);
    let mut time = Vec::with_capacity(n);
    let mut event = Vec::with_capacity(n);
    for i in 1..=n {
        let row: Vec<f64> = PRIMES[..p]
            .iter()
            .map(|&q| 2.0 * weyl(i, irrational(q)) - 1.0)
            .collect();
        let eta = 0.5 * row[0] - 0.3 * row[1];
        let u = weyl(i, irrational(101));
        time.push((365.0 * -u.ln() * (-eta).exp()).ceil());
        event.push(u8::from(weyl(i, irrational(103)) < 0.7));
        x.extend(row);
    }
    Data { time, event, x, p }
}

/// The naive baseline: R's Newton–Raphson (start 0, step-halving, |1 − ℓ_old/ℓ_new| ≤ 1e-9, 20
/// iterations, Efron ties), every risk set summed over all n subjects (the lower triangle of
/// the p × p sums, as ecvkit). Returns ℓ(β̂).
pub fn naive_fit(d: &Data) -> f64 {
    let p = d.p;
    let n = d.time.len();
    let mut event_times: Vec<f64> = (0..n)
        .filter(|&i| d.event[i] == 1)
        .map(|i| d.time[i])
        .collect();
    event_times.sort_by(f64::total_cmp);
    event_times.dedup();
    let derivatives = |beta: &[f64]| {
        let mut ll = 0.0;
        let mut u = vec![0.0; p];
        let mut info = vec![0.0; p * p];
        for &t in &event_times {
            let (mut s0, mut s1, mut s2) = (0.0, vec![0.0; p], vec![0.0; p * p]);
            let (mut d0, mut d1, mut d2) = (0.0, vec![0.0; p], vec![0.0; p * p]);
            let mut deaths = 0.0;
            for j in 0..n {
                if d.time[j] < t {
                    continue;
                }
                let xj = &d.x[j * p..(j + 1) * p];
                let eta: f64 = xj.iter().zip(beta).map(|(a, b)| a * b).sum();
                let r = eta.exp();
                s0 += r;
                for a in 0..p {
                    s1[a] += r * xj[a];
                    for b in 0..=a {
                        s2[a * p + b] += r * xj[a] * xj[b];
                    }
                }
                if d.time[j] == t && d.event[j] == 1 {
                    deaths += 1.0;
                    ll += eta;
                    d0 += r;
                    for a in 0..p {
                        u[a] += xj[a];
                        d1[a] += r * xj[a];
                        for b in 0..=a {
                            d2[a * p + b] += r * xj[a] * xj[b];
                        }
                    }
                }
            }
            for k in 0..deaths as usize {
                let f = k as f64 / deaths;
                let z0 = s0 - f * d0;
                ll -= z0.ln();
                for a in 0..p {
                    let ma = (s1[a] - f * d1[a]) / z0;
                    u[a] -= ma;
                    for b in 0..=a {
                        let mb = (s1[b] - f * d1[b]) / z0;
                        let v = (s2[a * p + b] - f * d2[a * p + b]) / z0 - ma * mb;
                        info[a * p + b] += v;
                        if b != a {
                            info[b * p + a] += v;
                        }
                    }
                }
            }
        }
        (ll, u, info)
    };
    let solve = |m: &[f64], y: &[f64]| {
        // Gaussian elimination with partial pivoting on a copy.
        let mut a = m.to_vec();
        let mut b = y.to_vec();
        for c in 0..p {
            let piv = (c..p)
                .max_by(|&i, &j| a[i * p + c].abs().total_cmp(&a[j * p + c].abs()))
                .unwrap();
            for k in 0..p {
                a.swap(c * p + k, piv * p + k);
            }
            b.swap(c, piv);
            for r in c + 1..p {
                let f = a[r * p + c] / a[c * p + c];
                for k in c..p {
                    a[r * p + k] -= f * a[c * p + k];
                }
                b[r] -= f * b[c];
            }
        }
        for c in (0..p).rev() {
            let s: f64 = (c + 1..p).map(|k| a[c * p + k] * b[k]).sum();
            b[c] = (b[c] - s) / a[c * p + c];
        }
        b
    };
    let mut beta = vec![0.0; p];
    let (mut best, u, info) = derivatives(&beta);
    let mut new_beta: Vec<f64> = solve(&info, &u);
    let mut halving = 0.0;
    for _ in 0..20 {
        let (ll, u, info) = derivatives(&new_beta);
        if (1.0 - best / ll).abs() <= 1e-9 {
            return ll;
        }
        if ll < best {
            halving += 1.0;
            for (nb, b) in new_beta.iter_mut().zip(&beta) {
                *nb = (*nb + halving * b) / (halving + 1.0);
            }
        } else {
            halving = 0.0;
            best = ll;
            let step = solve(&info, &u);
            beta.clone_from(&new_beta);
            for (nb, s) in new_beta.iter_mut().zip(&step) {
                *nb += s;
            }
        }
    }
    best
}

/// ecvkit's fit; returns ℓ(β̂).
fn ecvkit_fit(d: &Data, index: &mut [u32], values: &mut [f64]) -> f64 {
    let data = CoxData::new(&d.time, &d.event, &d.x, d.p).expect("valid data");
    let mut scratch = CoxScratch { index, values };
    cox_fit(&data, &CoxOptions::default(), &mut scratch, None)
        .expect("the bench data fit")
        .loglik
}

fn bench_cox(c: &mut Criterion) {
    for p in [5usize, 20] {
        let mut group = c.benchmark_group(format!("cox_efron_p{p}"));
        group.sample_size(10);
        for n in [1_000usize, 10_000, 100_000, 1_000_000] {
            let d = data(n, p);
            let sizes = scratch_sizes(n, p).expect("n fits");
            let mut index = vec![0u32; sizes.index];
            let mut values = vec![0.0; sizes.values];
            let ours = ecvkit_fit(&d, &mut index, &mut values);
            if n <= 10_000 {
                // Same model, same maximum (the naive one works without centring).
                let naive = naive_fit(&d);
                assert!(
                    (ours - naive).abs() <= 1e-6 * ours.abs(),
                    "{ours} vs {naive}"
                );
                group.bench_with_input(BenchmarkId::new("naive_o_n2", n), &d, |b, d| {
                    b.iter(|| black_box(naive_fit(d)))
                });
            }
            group.bench_with_input(BenchmarkId::new("ecvkit", n), &d, |b, d| {
                b.iter(|| black_box(ecvkit_fit(d, &mut index, &mut values)))
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench_cox);
criterion_main!(benches);
