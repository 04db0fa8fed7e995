//! ROI statistics on a real CT image against an independent NumPy implementation.
//!
//! `tests/reference/roi_ct_small.py` (NumPy 2.4.6, pydicom 3.0.2) produced
//! `roi_ct_small.csv` from `tests/data/CT_small.dcm` (pydicom's CT_small.dcm: 128 × 128, signed
//! 16-bit, intercept −1024), and wrote the stored pixels to `roi_ct_small_stored_i16le.bin`. It
//! tests every pixel centre against the documented membership rule (no spans), masks padding
//! (stored values) and the value window, and lets NumPy compute the statistics (percentiles with
//! `method="linear"`, which is R's type 7).
//!
//! Agreement required: exact pixel counts, min and max; 1e-12 relative on sums, means, SDs,
//! medians, percentiles and areas. (The sums differ in the order of additions: ecvkit sums the
//! stored integers exactly and rescales once, NumPy adds rescaled doubles pairwise.)

mod common;

use common::{assert_close, reference_path, Table};
use ecvkit::image::{Image, ImageDescriptor, Padding, PixelData, PixelSpacing, Rescale};
use ecvkit::roi::{
    roi_percentiles, roi_stats, Circle, Clipping, Ellipse, Mask, Point, Rectangle, Roi, RoiOptions,
    Shape, Units, ValueWindow,
};

const TOL: f64 = 1e-12;

fn stored_pixels() -> Vec<i16> {
    let bytes = std::fs::read(reference_path("roi_ct_small_stored_i16le.bin")).unwrap();
    bytes
        .chunks_exact(2)
        .map(|b| i16::from_le_bytes([b[0], b[1]]))
        .collect()
}

/// The .bin is the DICOM file's Pixel Data (7FE0,0010), explicit VR little endian, OW, length
/// 32768: find that element header in the committed file and compare the bytes that follow.
#[test]
fn extracted_pixels_are_the_dicom_pixel_data() {
    let dcm = std::fs::read(
        std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/CT_small.dcm"),
    )
    .unwrap();
    let header = [
        0xE0, 0x7F, 0x10, 0x00, b'O', b'W', 0, 0, 0x00, 0x80, 0x00, 0x00,
    ];
    let at = dcm
        .windows(header.len())
        .position(|w| w == header)
        .expect("Pixel Data element");
    let bin = std::fs::read(reference_path("roi_ct_small_stored_i16le.bin")).unwrap();
    assert_eq!(&dcm[at + header.len()..at + header.len() + 32768], &bin[..]);
}

fn roi_of<'a>(t: &Table, row: usize, vertices: &'a [Point], mask: &'a [u8]) -> Roi<'a> {
    let units = match t.str(row, "units") {
        "mm" => Units::Millimetres,
        _ => Units::Pixels,
    };
    let f = |c: &str| t.f64(row, c);
    let center = Point {
        x: f("cx"),
        y: f("cy"),
    };
    let shape = match t.str(row, "kind") {
        "circle" => Shape::Circle(Circle {
            center,
            radius: f("r"),
        }),
        "ellipse" => Shape::Ellipse(Ellipse {
            center,
            semi_axis_a: f("a"),
            semi_axis_b: f("b"),
            angle_rad: f("angle_rad"),
        }),
        "rectangle" => Shape::Rectangle(Rectangle {
            min: Point {
                x: f("x0"),
                y: f("y0"),
            },
            max: Point {
                x: f("x1"),
                y: f("y1"),
            },
        }),
        "polygon" => Shape::Polygon(vertices),
        "mask" => Shape::Mask(Mask {
            data: mask,
            width: f("mask_w") as u32,
            height: f("mask_h") as u32,
            origin_col: f("mask_col") as i64,
            origin_row: f("mask_row") as i64,
        }),
        k => panic!("unknown kind {k}"),
    };
    Roi::new(shape, units)
}

fn parse_vertices(s: &str) -> Vec<Point> {
    s.split(';')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut xy = p.split(' ').map(|v| v.parse::<f64>().unwrap());
            Point {
                x: xy.next().unwrap(),
                y: xy.next().unwrap(),
            }
        })
        .collect()
}

/// The script's mask rule: cell (mc, mr) nonzero iff (7 mc + 3 mr) mod 5 ≠ 0.
fn rule_mask(w: usize, h: usize) -> Vec<u8> {
    (0..h)
        .flat_map(|r| (0..w).map(move |c| u8::from((7 * c + 3 * r) % 5 != 0)))
        .collect()
}

#[test]
fn roi_statistics_match_numpy_on_ct_small() {
    let meta = Table::load("roi_ct_small_meta.csv");
    let (rows, cols) = (meta.f64(0, "rows") as u32, meta.f64(0, "columns") as u32);
    let px = stored_pixels();
    assert_eq!(px.len(), (rows * cols) as usize);
    let t = Table::load("roi_ct_small.csv");
    assert!(t.len() >= 20);
    let mut worst: Vec<(&str, f64)> = vec![];
    let mut note = |what: &'static str, got: f64, want: f64| {
        let rel = if got == want {
            0.0
        } else {
            (got - want).abs() / want.abs().max(1.0)
        };
        match worst.iter_mut().find(|(w, _)| *w == what) {
            Some((_, r)) => *r = r.max(rel),
            None => worst.push((what, rel)),
        }
    };
    for row in 0..t.len() {
        let id = t.str(row, "id").to_string();
        let mut d = ImageDescriptor::packed(
            PixelData::I16(&px),
            cols,
            rows,
            PixelSpacing {
                row_mm: t.f64(row, "spacing_row"),
                col_mm: t.f64(row, "spacing_col"),
            },
        );
        d.bits_stored = meta.f64(0, "bits_stored") as u32;
        d.rescale = Rescale {
            slope: meta.f64(0, "slope"),
            intercept: meta.f64(0, "intercept"),
        };
        if !t.f64(row, "pad_lo").is_nan() {
            d.padding = Padding::Range {
                value: t.f64(row, "pad_lo"),
                range_limit: t.f64(row, "pad_hi"),
            };
        }
        let image = Image::new(d).unwrap();
        let window = ValueWindow {
            lo: if t.f64(row, "win_lo").is_nan() {
                f64::NEG_INFINITY
            } else {
                t.f64(row, "win_lo")
            },
            hi: if t.f64(row, "win_hi").is_nan() {
                f64::INFINITY
            } else {
                t.f64(row, "win_hi")
            },
        };
        let vertices = parse_vertices(t.str(row, "vertices"));
        let mask = if t.str(row, "kind") == "mask" {
            rule_mask(t.f64(row, "mask_w") as usize, t.f64(row, "mask_h") as usize)
        } else {
            vec![]
        };
        let roi = roi_of(&t, row, &vertices, &mask);
        let options = RoiOptions { window };
        let s =
            roi_stats(&image, &roi, &options, &mut []).unwrap_or_else(|e| panic!("{id}: {e:?}"));
        let sm = s.summary;
        let exact = |what: &str, got: u64| {
            assert_eq!(got, t.f64(row, what) as u64, "{id}: {what}");
        };
        exact("shape_pixels", sm.shape_pixels);
        exact("count", sm.count);
        exact("padding_pixels", sm.padding_pixels);
        exact("window_excluded", sm.window_excluded);
        let clipped = t.f64(row, "clipped") == 1.0;
        assert_eq!(sm.clipping == Clipping::Clipped, clipped, "{id}: clipping");
        assert_eq!(sm.min, t.f64(row, "min"), "{id}: min");
        assert_eq!(sm.max, t.f64(row, "max"), "{id}: max");
        let close = |what: &'static str, got: f64, note: &mut dyn FnMut(&'static str, f64, f64)| {
            let want = t.f64(row, what);
            note(what, got, want);
            assert_close(got, want, TOL, 1.0, &format!("{id}: {what}"));
        };
        close("sum", sm.sum, &mut note);
        close("mean", sm.mean, &mut note);
        close("sd_sample", sm.sd_sample, &mut note);
        close("sd_population", sm.sd_population, &mut note);
        close("median", s.median, &mut note);
        close("area_mm2", sm.area_mm2, &mut note);
        close("analytic_area_mm2", sm.analytic_area_mm2, &mut note);
        let probs = [0.05, 0.25, 0.75, 0.95];
        let mut q = [0.0; 4];
        let again = roi_percentiles(&image, &roi, &options, &probs, &mut q, &mut []).unwrap();
        assert_eq!(
            again, sm,
            "{id}: the percentile call reports the same summary"
        );
        for (name, v) in ["p05", "p25", "p75", "p95"].into_iter().zip(q) {
            close(name, v, &mut note);
        }
    }
    eprintln!(
        "largest relative difference to NumPy over {} ROIs:",
        t.len()
    );
    for (what, rel) in worst {
        eprintln!("  {what:18} {rel:.3e}");
    }
}

/// The same image handed over as f32 (stored values as floats) gives the same statistics: the
/// float path (f64 accumulation, heapsort in scratch) agrees with the exact integer path.
#[test]
fn float_copy_of_the_image_agrees_with_the_integer_path() {
    let meta = Table::load("roi_ct_small_meta.csv");
    let (rows, cols) = (meta.f64(0, "rows") as u32, meta.f64(0, "columns") as u32);
    let px = stored_pixels();
    let fx: Vec<f32> = px.iter().map(|&v| f32::from(v)).collect();
    let spacing =
        PixelSpacing::from_dicom([meta.f64(0, "spacing_row"), meta.f64(0, "spacing_col")]);
    let rescale = Rescale {
        slope: 1.0,
        intercept: -1024.0,
    };
    let mut di = ImageDescriptor::packed(PixelData::I16(&px), cols, rows, spacing);
    di.rescale = rescale;
    let mut df = ImageDescriptor::packed(PixelData::F32(&fx), cols, rows, spacing);
    df.rescale = rescale;
    let (int_image, float_image) = (Image::new(di).unwrap(), Image::new(df).unwrap());
    let roi = Roi::circle_mm(40.0, 42.0, 20.0);
    let o = RoiOptions::default();
    let a = roi_stats(&int_image, &roi, &o, &mut []).unwrap();
    let mut scratch = vec![0.0; ecvkit::roi::roi_scratch_len(&float_image, &roi).unwrap()];
    let b = roi_stats(&float_image, &roi, &o, &mut scratch).unwrap();
    assert_eq!(a.summary.count, b.summary.count);
    assert_eq!(
        (a.summary.min, a.summary.max, a.median),
        (b.summary.min, b.summary.max, b.median)
    );
    assert_close(b.summary.mean, a.summary.mean, 1e-14, 1.0, "mean");
    assert_close(b.summary.sd_sample, a.summary.sd_sample, 1e-12, 1.0, "sd");
}
