//! ROI statistics on a 512 × 512 i16 CT slice (0.7 mm pixels), for a 100 mm² circle (the seed
//! paper's liver and aorta ROIs) and for the full image. In each group:
//! - `ecvkit_roi_summary`: count, sum, mean, both SDs, min, max (one pass over the row spans);
//! - `ecvkit_roi_stats`: the same plus the exact median (radix-select passes, no scratch);
//! - `baseline_bbox_per_pixel`: what a straightforward implementation does, testing every pixel
//!   of the bounding box and accumulating rescaled f64 values;
//! - `ceiling_plain_sum`: a plain i64 sum of the same stored pixels, row runs precomputed (the
//!   memory-bandwidth ceiling: nothing can read the pixels faster).
//!
//! Run: `cargo bench --bench roi -- --warm-up-time 1 --measurement-time 2`

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use ecvkit::image::{Image, ImageDescriptor, PixelData, PixelSpacing, Rescale};
use ecvkit::roi::{roi_stats, roi_summary, Point, Rectangle, Roi, RoiOptions, Shape, Units};
use std::hint::black_box;

const SIDE: usize = 512;
const SPACING_MM: f64 = 0.7;

/// A deterministic CT-like slice: stored = HU + 1024, soft tissue 0–120 HU with texture.
fn slice() -> Vec<i16> {
    (0..SIDE * SIDE)
        .map(|i| 1024 + 20 + ((i * 7919) % 101) as i16)
        .collect()
}

/// Row runs [c0, c1) of a circle in mm (centre and radius in mm), by the pixel-centre rule.
fn circle_runs(cx: f64, cy: f64, r: f64) -> Vec<(usize, usize, usize)> {
    let mut runs = vec![];
    for row in 0..SIDE {
        let cols: Vec<usize> = (0..SIDE)
            .filter(|&c| {
                let (dx, dy) = (c as f64 * SPACING_MM - cx, row as f64 * SPACING_MM - cy);
                dx * dx + dy * dy <= r * r
            })
            .collect();
        if let (Some(&a), Some(&b)) = (cols.first(), cols.last()) {
            runs.push((row, a, b + 1));
        }
    }
    runs
}

/// The straightforward implementation: every pixel of the bounding box, tested, rescaled and
/// accumulated in f64.
fn bbox_baseline(
    px: &[i16],
    bbox: (usize, usize, usize, usize),
    inside: impl Fn(usize, usize) -> bool,
) -> (u64, f64, f64, f64, f64) {
    let (c0, r0, c1, r1) = bbox;
    let (mut n, mut sum, mut sq, mut lo, mut hi) =
        (0u64, 0.0, 0.0, f64::INFINITY, f64::NEG_INFINITY);
    for r in r0..=r1 {
        for c in c0..=c1 {
            if inside(c, r) {
                let v = f64::from(px[r * SIDE + c]) - 1024.0;
                n += 1;
                sum += v;
                sq += v * v;
                lo = lo.min(v);
                hi = hi.max(v);
            }
        }
    }
    let mean = sum / n as f64;
    (n, mean, (sq / n as f64 - mean * mean).sqrt(), lo, hi)
}

fn plain_sum(px: &[i16], runs: &[(usize, usize, usize)]) -> i64 {
    runs.iter()
        .map(|&(r, a, b)| {
            px[r * SIDE + a..r * SIDE + b]
                .iter()
                .map(|&v| i64::from(v))
                .sum::<i64>()
        })
        .sum()
}

fn bench_roi(c: &mut Criterion) {
    let px = slice();
    let mut d = ImageDescriptor::packed(
        PixelData::I16(&px),
        SIDE as u32,
        SIDE as u32,
        PixelSpacing::from_dicom([SPACING_MM, SPACING_MM]),
    );
    d.rescale = Rescale {
        slope: 1.0,
        intercept: -1024.0,
    };
    let image = Image::new(d).expect("valid image");
    let options = RoiOptions::default();

    // 100 mm²: r = √(100 / π) = 5.64 mm, about 204 pixels of 0.49 mm².
    let r = (100.0 / std::f64::consts::PI).sqrt();
    let (cx, cy) = (180.3, 170.9);
    let circle = Roi::circle_mm(cx, cy, r);
    let circle_runs = circle_runs(cx, cy, r);
    let n_circle: usize = circle_runs.iter().map(|&(_, a, b)| b - a).sum();
    let bbox = (
        ((cx - r) / SPACING_MM).floor() as usize,
        ((cy - r) / SPACING_MM).floor() as usize,
        ((cx + r) / SPACING_MM).ceil() as usize,
        ((cy + r) / SPACING_MM).ceil() as usize,
    );
    let full = Roi::new(
        Shape::Rectangle(Rectangle {
            min: Point { x: 0.0, y: 0.0 },
            max: Point {
                x: (SIDE - 1) as f64,
                y: (SIDE - 1) as f64,
            },
        }),
        Units::Pixels,
    );
    let full_runs: Vec<(usize, usize, usize)> = (0..SIDE).map(|r| (r, 0, SIDE)).collect();

    // The four contenders compute over the same pixels.
    let s = roi_summary(&image, &circle, &options).expect("circle inside");
    assert_eq!(s.count as usize, n_circle);
    let base = bbox_baseline(&px, bbox, |col, row| {
        let (dx, dy) = (col as f64 * SPACING_MM - cx, row as f64 * SPACING_MM - cy);
        dx * dx + dy * dy <= r * r
    });
    assert_eq!(base.0 as usize, n_circle);
    assert!((base.1 - s.mean).abs() < 1e-9);
    let plain = plain_sum(&px, &circle_runs) as f64 - 1024.0 * n_circle as f64;
    assert!((plain - s.sum).abs() < 1e-6);

    let mut group = c.benchmark_group("roi_circle_100mm2_512x512_i16");
    group.throughput(Throughput::Elements(n_circle as u64));
    group.bench_function("ecvkit_roi_summary", |b| {
        b.iter(|| black_box(roi_summary(&image, black_box(&circle), &options)))
    });
    group.bench_function("ecvkit_roi_stats", |b| {
        b.iter(|| black_box(roi_stats(&image, black_box(&circle), &options, &mut [])))
    });
    group.bench_function("baseline_bbox_per_pixel", |b| {
        b.iter(|| {
            black_box(bbox_baseline(black_box(&px), bbox, |col, row| {
                let (dx, dy) = (col as f64 * SPACING_MM - cx, row as f64 * SPACING_MM - cy);
                dx * dx + dy * dy <= r * r
            }))
        })
    });
    group.bench_function("ceiling_plain_sum", |b| {
        b.iter(|| black_box(plain_sum(black_box(&px), &circle_runs)))
    });
    group.finish();

    let mut group = c.benchmark_group("roi_full_image_512x512_i16");
    group.throughput(Throughput::Elements((SIDE * SIDE) as u64));
    group.bench_function("ecvkit_roi_summary", |b| {
        b.iter(|| black_box(roi_summary(&image, black_box(&full), &options)))
    });
    group.bench_function("ecvkit_roi_stats", |b| {
        b.iter(|| black_box(roi_stats(&image, black_box(&full), &options, &mut [])))
    });
    group.bench_function("baseline_bbox_per_pixel", |b| {
        b.iter(|| {
            black_box(bbox_baseline(
                black_box(&px),
                (0, 0, SIDE - 1, SIDE - 1),
                |c, r| {
                    let (x, y) = (c as f64, r as f64);
                    (0.0..=(SIDE - 1) as f64).contains(&x) && (0.0..=(SIDE - 1) as f64).contains(&y)
                },
            ))
        })
    });
    group.bench_function("ceiling_plain_sum", |b| {
        b.iter(|| black_box(plain_sum(black_box(&px), &full_runs)))
    });
    group.finish();
}

criterion_group!(benches, bench_roi);
criterion_main!(benches);
