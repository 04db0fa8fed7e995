//! Pixelwise CT ECV map on a 512 × 512 slice: ecvkit against two baselines in one group —
//! a per-pixel call of the scalar ECV function (what a caller without a map would write), and a
//! plain loop of the bare formula with no checks (the arithmetic floor; memory-bound).
//!
//! Run: `cargo bench --bench ecv_map`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ecvkit::ecv::{
    ct_ecv, ct_ecv_map, CtPhaseImages, EcvMapOptions, EcvOptions, Hematocrit, PhaseValues,
};
use std::hint::black_box;

const SIDE: usize = 512;

fn images() -> (Vec<f32>, Vec<f32>) {
    // Deterministic texture: liver-like attenuation with an enhancement of 40–80 HU.
    let un: Vec<f32> = (0..SIDE * SIDE)
        .map(|i| 50.0 + ((i * 7919) % 23) as f32)
        .collect();
    let eq: Vec<f32> = un
        .iter()
        .enumerate()
        .map(|(i, u)| u + 40.0 + ((i * 104_729) % 41) as f32)
        .collect();
    (un, eq)
}

fn bench_map(c: &mut Criterion) {
    let (un, eq) = images();
    let mut out = vec![0.0f32; SIDE * SIDE];
    let blood = PhaseValues {
        unenhanced: 42.0,
        equilibrium: 162.0,
    };
    let hct = Hematocrit::measured(0.40).expect("valid hematocrit");
    let options = EcvOptions::default();
    let map_options = EcvMapOptions::default();

    let mut group = c.benchmark_group("ecv_map_512x512");
    group.throughput(Throughput::Elements((SIDE * SIDE) as u64));
    group.bench_function("ecvkit_ct_ecv_map", |b| {
        b.iter(|| {
            let images = CtPhaseImages {
                unenhanced: &un,
                equilibrium: &eq,
                mask: None,
            };
            black_box(ct_ecv_map(
                images,
                blood,
                hct,
                &options,
                &map_options,
                &mut out,
            ))
        })
    });
    group.bench_function("baseline_scalar_call_per_pixel", |b| {
        b.iter(|| {
            for ((&u, &e), o) in un.iter().zip(&eq).zip(out.iter_mut()) {
                let tissue = PhaseValues {
                    unenhanced: f64::from(u),
                    equilibrium: f64::from(e),
                };
                *o = match ct_ecv(tissue, blood, hct, &options) {
                    Ok(ecv) if (0.0..=1.0).contains(&ecv.fraction) => ecv.fraction as f32,
                    _ => f32::NAN,
                };
            }
            black_box(&out);
        })
    });
    group.bench_function("floor_bare_formula_loop", |b| {
        let k = (1.0 - 0.40) / (162.0 - 42.0);
        b.iter(|| {
            for ((&u, &e), o) in un.iter().zip(&eq).zip(out.iter_mut()) {
                *o = (k * (f64::from(e) - f64::from(u))) as f32;
            }
            black_box(&out);
        })
    });
    group.finish();
}

criterion_group!(benches, bench_map);
criterion_main!(benches);
