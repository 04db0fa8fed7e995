//! Images and ROIs through the C ABI: `ecv_image_check`, `ecv_roi_scratch_len`,
//! `ecv_roi_summary`, `ecv_roi_stats`, `ecv_roi_percentiles`, `ecv_roi_pool`,
//! `ecv_reader_average`, `ecv_ct_structure_ecv` and `ecv_ct_tumor_liver_ecv`. Descriptors of
//! any field value (stored type, size, stride, Bits Stored, rescale, spacing, padding kind and
//! range as arbitrary integers and doubles), pixel bytes of any value (NaN / ±inf for f32),
//! shapes of every kind and unit with any parameters (polygons up to hundreds of vertices,
//! masks anywhere), value windows, short scratch and outputs, NULL, misaligned and overlapping
//! buffers. The descriptor never claims more bytes than the buffer holds (the C contract).
#![no_main]

use ecvkit::ecv::PhaseValues;
use ecvkit::ffi::ecv::EcvHematocrit;
use ecvkit::ffi::image::{ecv_image_check, ecv_image_packed, EcvImage};
use ecvkit::ffi::roi::{
    ecv_ct_structure_ecv, ecv_ct_tumor_liver_ecv, ecv_measurement_options_default,
    ecv_reader_average, ecv_roi_circle, ecv_roi_ellipse, ecv_roi_mask, ecv_roi_percentiles,
    ecv_roi_polygon, ecv_roi_pool, ecv_roi_rectangle, ecv_roi_scratch_len, ecv_roi_stats,
    ecv_roi_summary, EcvMeasurementOptions, EcvPhaseRois, EcvRoi, EcvStructureRois,
};
use ecvkit::image::{PixelSpacing, Rescale};
use ecvkit::roi::{
    Clipping, CtEcvMeasurement, Point, PooledStats, RoiOptions, RoiStats, RoiSummary, StructureEcv,
    ValueWindow,
};
use ecvkit::Status;
use ecvkit_fuzz::{check_status, finite, guarded_one, Bytes, Guarded, Input};
use libfuzzer_sys::fuzz_target;
use std::ptr::null;

fuzz_target!(|data: &[u8]| run(data));

/// Bytes per stored pixel of a valid type (0 for an unknown one).
fn bytes_of(stored_type: u32) -> usize {
    match stored_type {
        0 | 1 => 1,
        2 | 3 => 2,
        4..=6 => 4,
        _ => 0,
    }
}

/// A descriptor and the pixel storage it points into.
struct Frame {
    image: EcvImage,
    _storage: Vec<u64>,
}

fn frame(b: &mut Bytes) -> Frame {
    let stored_type = b.enum_u32(7);
    let bpp = bytes_of(stored_type).max(1);
    let width = if b.one_in(32) {
        b.u32()
    } else {
        1 + b.below(40) as u32
    };
    let height = if b.one_in(32) {
        b.u32()
    } else {
        1 + b.below(40) as u32
    };
    let packed_stride = (width as usize).saturating_mul(bpp);
    let stride = match b.u8() % 8 {
        0 => b.below(200),
        1 => packed_stride.saturating_add(bpp * b.below(4)),
        _ => packed_stride,
    };
    // Real bytes: enough for the descriptor (capped), filled from the input or a pattern.
    let wanted = (height as usize)
        .saturating_sub(1)
        .saturating_mul(stride)
        .saturating_add(packed_stride);
    let real = wanted.min(1 << 16);
    let mut storage = vec![0u64; real.div_ceil(8) + 1];
    {
        // SAFETY: storage holds at least `real` bytes.
        let bytes =
            unsafe { std::slice::from_raw_parts_mut(storage.as_mut_ptr().cast::<u8>(), real) };
        match b.u8() % 3 {
            0 => bytes.iter_mut().for_each(|x| *x = b.u8()),
            1 => {
                let mut rng = ecvkit_fuzz::SplitMix(b.u64());
                bytes.iter_mut().for_each(|x| *x = rng.next_u64() as u8);
            }
            _ => {
                let v = b.u8();
                bytes.iter_mut().for_each(|x| *x = v);
            }
        }
        if stored_type == 6 && real >= 4 && b.bool() {
            // Plant NaN / ±inf / huge floats.
            for _ in 0..b.u8() % 6 {
                let at = b.below(real / 4) * 4;
                let v = ecvkit_fuzz::SPECIAL_F64[b.below(ecvkit_fuzz::SPECIAL_F64.len())] as f32;
                bytes[at..at + 4].copy_from_slice(&v.to_ne_bytes());
            }
        }
    }
    let spacing = PixelSpacing {
        row_mm: b.f64_or(0.8),
        col_mm: b.f64_or(0.8),
    };
    let base = storage.as_ptr().cast::<u8>();
    // SAFETY: offset 0 or 1 inside the storage (1 makes a misaligned pointer for wide types).
    let data = unsafe { base.add(usize::from(b.one_in(32))) };
    let mut image = ecv_image_packed(stored_type, data.cast(), width, height, spacing);
    image.row_stride_bytes = stride;
    // Never more than the real bytes (the contract); sometimes fewer than needed.
    let available = real.saturating_sub(data as usize - base as usize);
    image.data_len_bytes = if b.one_in(8) {
        b.below(available + 1)
    } else {
        available
    };
    if b.one_in(6) {
        image.bits_stored = u32::from(b.u8() % 40);
    } else if b.one_in(4) && image.bits_stored > 1 {
        image.bits_stored -= b.below(image.bits_stored as usize) as u32;
    }
    if b.bool() {
        image.rescale = Rescale {
            slope: b.f64_or(1.0),
            intercept: b.f64_or(-1024.0),
        };
    }
    image.padding_kind = b.enum_u32(3);
    let (pv, pr) = (f64::from(b.u8()), f64::from(b.u8()));
    image.padding_value = b.f64_or(pv);
    image.padding_range_limit = b.f64_or(pr);
    if b.one_in(64) {
        image.data = null();
    }
    Frame {
        image,
        _storage: storage,
    }
}

/// Shape parameters: pixel-ish coordinates mostly, any double sometimes.
fn coord(b: &mut Bytes) -> f64 {
    if b.one_in(6) {
        b.f64()
    } else {
        f64::from(b.u8() % 64) - 8.0 + f64::from(b.u8() % 4) / 4.0
    }
}

/// A shape; polygon vertices and mask bytes live in `keep` (they must outlive the ROI).
fn roi(b: &mut Bytes, vertices: &mut Vec<Point>, mask: &mut Vec<u8>) -> EcvRoi {
    let units = b.enum_u32(2);
    let mut r = match b.u8() % 5 {
        0 => ecv_roi_circle(units, coord(b), coord(b), coord(b).abs() + 0.5),
        1 => ecv_roi_ellipse(
            units,
            coord(b),
            coord(b),
            coord(b),
            coord(b),
            coord(b) / 8.0,
        ),
        2 => ecv_roi_rectangle(units, coord(b), coord(b), coord(b), coord(b)),
        3 => {
            let count = if b.one_in(8) {
                b.below(400)
            } else {
                b.below(12)
            };
            *vertices = (0..count)
                .map(|_| Point {
                    x: coord(b),
                    y: coord(b),
                })
                .collect();
            ecv_roi_polygon(units, vertices.as_ptr(), vertices.len())
        }
        _ => {
            let (w, h) = (b.below(48) as u32, b.below(48) as u32);
            *mask = (0..w * h).map(|_| b.u8() % 2).collect();
            let origin = |b: &mut Bytes| {
                if b.one_in(8) {
                    b.u64() as i64
                } else {
                    b.below(50) as i64 - 10
                }
            };
            let (oc, or) = (origin(b), origin(b));
            ecv_roi_mask(mask.as_ptr(), w, h, oc, or)
        }
    };
    if b.one_in(16) {
        r.kind = b.u32();
    }
    if b.one_in(64) {
        r.vertices = null();
        r.mask = null();
    }
    r
}

fn window(b: &mut Bytes) -> Option<RoiOptions> {
    b.bool().then(|| RoiOptions {
        window: ValueWindow {
            lo: b.f64_or(-100.0),
            hi: b.f64_or(300.0),
        },
    })
}

fn opt_ptr<T>(o: &Option<T>) -> *const T {
    o.as_ref().map_or(null(), |o| o as *const T)
}

/// A summary's invariants on `ECV_OK`.
fn check_summary(s: &RoiSummary, image: &EcvImage) {
    let cells = u64::from(image.width) * u64::from(image.height);
    assert!(s.count >= 1 && s.shape_pixels <= cells, "{s:?}");
    assert_eq!(
        s.count + s.padding_pixels + s.window_excluded + s.non_finite_pixels,
        s.shape_pixels,
        "{s:?}"
    );
    finite("mean", s.mean);
    finite("sum", s.sum);
    finite("min", s.min);
    finite("max", s.max);
    assert!(
        s.min <= s.mean && s.mean <= s.max,
        "mean {} outside [{}, {}]",
        s.mean,
        s.min,
        s.max
    );
    finite("SD population", s.sd_population);
    assert!(s.sd_population >= 0.0);
    if s.count > 1 {
        finite("SD sample", s.sd_sample);
    } else {
        assert!(s.sd_sample.is_nan());
    }
    // +∞ only when the spacing makes the area exceed the largest double (documented).
    let cell_area = image.spacing.row_mm * image.spacing.col_mm;
    if cell_area * s.shape_pixels as f64 <= f64::MAX {
        finite("area", s.area_mm2);
    }
    assert!(s.area_mm2 >= 0.0);
    assert!(!s.analytic_area_mm2.is_nan() && s.analytic_area_mm2 >= 0.0);
}

fn run(data: &[u8]) {
    let mut b = Bytes::new(data);
    let f = frame(&mut b);
    let (mut vertices, mut mask) = (Vec::new(), Vec::new());
    let shape = roi(&mut b, &mut vertices, &mut mask);
    let opts = window(&mut b);
    if ecvkit_fuzz::verbose() {
        eprintln!(
            "image {:?}\nroi {shape:?}\nvertices {vertices:?}\nmask {mask:?}\noptions {opts:?}",
            f.image
        );
    }

    // SAFETY: the descriptor points to data_len_bytes readable bytes.
    let s = unsafe { ecv_image_check(&f.image) };
    check_status("ecv_image_check", s);
    let image_ok = s == Status::Ok;

    let mut len = guarded_one(usize::MAX);
    // SAFETY: valid descriptor, ROI, and output.
    let s = unsafe { ecv_roi_scratch_len(&f.image, &shape, len.ptr()) };
    check_status("ecv_roi_scratch_len", s);
    let scratch_needed = if s == Status::Ok {
        assert!(image_ok);
        let l: usize = len.get(0);
        Some(l)
    } else {
        len.check_unchanged("ecv_roi_scratch_len out");
        None
    };

    let mut summary = Guarded::new::<RoiSummary>(1, false);
    // SAFETY: as above.
    let s = unsafe { ecv_roi_summary(&f.image, &shape, opt_ptr(&opts), summary.ptr()) };
    check_status("ecv_roi_summary", s);
    let sum = if s == Status::Ok {
        assert!(scratch_needed.is_some());
        let r: RoiSummary = summary.get(0);
        check_summary(&r, &f.image);
        summary.check_guards("ecv_roi_summary out");
        Some(r)
    } else {
        summary.check_unchanged("ecv_roi_summary out");
        None
    };

    let scratch_len = b.capacity(scratch_needed.unwrap_or(0));
    let mut scratch = Guarded::new::<f64>(scratch_len, b.one_in(64));
    let mut stats = Guarded::new::<RoiStats>(1, false);
    // SAFETY: as above.
    let s = unsafe {
        ecv_roi_stats(
            &f.image,
            &shape,
            opt_ptr(&opts),
            scratch.ptr(),
            scratch_len,
            stats.ptr(),
        )
    };
    check_status("ecv_roi_stats", s);
    scratch.check_guards("ecv_roi_stats scratch");
    if s == Status::Ok {
        let r: RoiStats = stats.get(0);
        check_summary(&r.summary, &f.image);
        let base = sum.expect("stats succeeded where the summary failed");
        assert_eq!(
            (r.summary.count, r.summary.shape_pixels),
            (base.count, base.shape_pixels)
        );
        assert_eq!(
            r.summary.sum.to_bits(),
            base.sum.to_bits(),
            "sum differs from the summary's"
        );
        finite("median", r.median);
        assert!(r.summary.min <= r.median && r.median <= r.summary.max);
        stats.check_guards("ecv_roi_stats out");
    } else {
        stats.check_unchanged("ecv_roi_stats out");
    }

    // Percentiles.
    let n_probs = b.below(6);
    let probs = Input::new(
        (0..n_probs)
            .map(|_| {
                if b.one_in(8) {
                    b.f64()
                } else {
                    f64::from(b.u8()) / 255.0
                }
            })
            .collect::<Vec<f64>>(),
        false,
    );
    let capacity = b.capacity(n_probs);
    let mut out = Guarded::new::<f64>(capacity, false);
    let mut psum = Guarded::new::<RoiSummary>(1, false);
    // SAFETY: as above.
    let s = unsafe {
        ecv_roi_percentiles(
            &f.image,
            &shape,
            opt_ptr(&opts),
            probs.ptr(),
            n_probs,
            out.ptr(),
            capacity,
            scratch.ptr(),
            scratch_len,
            psum.ptr(),
        )
    };
    check_status("ecv_roi_percentiles", s);
    scratch.check_guards("ecv_roi_percentiles scratch");
    if s == Status::Ok {
        let r: RoiSummary = psum.get(0);
        check_summary(&r, &f.image);
        for i in 0..n_probs {
            let q: f64 = out.get(i);
            finite("percentile", q);
            assert!(
                r.min <= q && q <= r.max,
                "percentile {q} outside [{}, {}]",
                r.min,
                r.max
            );
        }
        out.check_unchanged_from(n_probs * 8, "ecv_roi_percentiles out");
    } else {
        out.check_unchanged("ecv_roi_percentiles out");
        psum.check_unchanged("ecv_roi_percentiles summary");
    }

    // Pooling: the summary above (when there is one) and decoded ones.
    let mut summaries: Vec<RoiSummary> = sum.into_iter().collect();
    for _ in 0..b.below(4) {
        let count = if b.one_in(4) {
            0
        } else {
            u64::from(b.u8()) + 1
        };
        let usual_mean = f64::from(b.u8());
        let mean = b.f64_or(usual_mean);
        summaries.push(RoiSummary {
            count,
            shape_pixels: count,
            padding_pixels: 0,
            window_excluded: 0,
            non_finite_pixels: 0,
            clipping: Clipping::Inside,
            area_mm2: count as f64,
            analytic_area_mm2: count as f64,
            mean,
            sum: mean * count as f64,
            sd_sample: b.f64_or(3.0),
            sd_population: b.f64_or(3.0),
            min: mean - 10.0,
            max: mean + 10.0,
        });
    }
    let pool_in = Input::new(summaries, false);
    let mut pooled = Guarded::new::<PooledStats>(1, false);
    // SAFETY: `pool_in` holds its summaries.
    let s = unsafe { ecv_roi_pool(pool_in.ptr(), pool_in.values.len(), pooled.ptr()) };
    check_status("ecv_roi_pool", s);
    if s == Status::Ok {
        let p: PooledStats = pooled.get(0);
        finite("mean of means", p.mean_of_means);
        finite("pooled mean", p.pooled_mean);
        assert!(p.roi_count as usize == pool_in.values.len());
        pooled.check_guards("ecv_roi_pool out");
    } else {
        pooled.check_unchanged("ecv_roi_pool out");
    }

    let readers = Input::new(
        (0..b.below(4)).map(|_| b.f64()).collect::<Vec<f64>>(),
        false,
    );
    if ecvkit_fuzz::verbose() {
        eprintln!("readers {:?}", readers.values);
    }
    let mut avg = guarded_one(-7.0f64);
    // SAFETY: as above.
    let s = unsafe { ecv_reader_average(readers.ptr(), readers.values.len(), avg.ptr()) };
    check_status("ecv_reader_average", s);
    if s == Status::Ok {
        finite("reader average", avg.get::<f64>(0));
    } else {
        avg.check_unchanged("ecv_reader_average out");
    }

    measurement(&mut b, &f.image, &shape);
}

/// The tumor / liver measurement on this image (both phases, aorta ROIs) with one reader or two.
fn measurement(b: &mut Bytes, image: &EcvImage, shape: &EcvRoi) {
    let (mut v2, mut m2) = (Vec::new(), Vec::new());
    let aorta = roi(b, &mut v2, &mut m2);
    let tissue = [*shape];
    let aortas = [aorta];
    let usual_shift = f64::from(b.u8());
    let equilibrium_shift = b.f64_or(usual_shift);
    let mut eq_image = *image;
    eq_image.rescale.intercept += equilibrium_shift;
    let phase = |img: *const EcvImage| EcvPhaseRois {
        image: img,
        tissue: tissue.as_ptr(),
        tissue_count: 1,
        aorta: aortas.as_ptr(),
        aorta_count: 1,
    };
    let structure = EcvStructureRois {
        unenhanced: phase(image),
        equilibrium: phase(&eq_image),
    };
    let readers = vec![structure; 1 + b.below(2)];
    let hct = EcvHematocrit {
        fraction: b.f64_or(0.4),
        origin: b.enum_u32(2),
    };
    let opts: Option<EcvMeasurementOptions> = b.bool().then(|| {
        let mut o = ecv_measurement_options_default();
        o.pooling = b.enum_u32(2);
        o.min_roi_pixels = u64::from(b.u8());
        o
    });
    let mut out = Guarded::new::<StructureEcv>(1, false);
    // SAFETY: every pointer in `readers` is valid for its count.
    let s = unsafe {
        ecv_ct_structure_ecv(
            readers.as_ptr(),
            readers.len(),
            hct,
            opt_ptr(&opts),
            out.ptr(),
        )
    };
    check_status("ecv_ct_structure_ecv", s);
    if s == Status::Ok {
        let r: StructureEcv = out.get(0);
        finite("structure ECV", r.ecv.fraction);
        check_phase(&r.tissue_hu);
        check_phase(&r.aorta_hu);
        out.check_guards("ecv_ct_structure_ecv out");
    } else {
        out.check_unchanged("ecv_ct_structure_ecv out");
    }
    let mut both = Guarded::new::<CtEcvMeasurement>(1, false);
    // SAFETY: as above.
    let s2 = unsafe {
        ecv_ct_tumor_liver_ecv(
            readers.as_ptr(),
            readers.len(),
            readers.as_ptr(),
            readers.len(),
            hct,
            opt_ptr(&opts),
            both.ptr(),
        )
    };
    check_status("ecv_ct_tumor_liver_ecv", s2);
    assert_eq!(s, s2, "one structure and the same structure twice disagree");
    if s2 != Status::Ok {
        both.check_unchanged("ecv_ct_tumor_liver_ecv out");
    }
}

fn check_phase(p: &PhaseValues) {
    finite("unenhanced HU", p.unenhanced);
    finite("equilibrium HU", p.equilibrium);
}
