//! `examples/dicom_roi.rs` on a real CT slice: pydicom's CT_small.dcm (tests/data/), read with
//! dicom-rs and measured by ecvkit, against the statistics NumPy computed on the same stored
//! pixels (tests/reference/roi_ct_small.py wrote roi_ct_small.csv and roi_ct_small_meta.csv).
//! The example's own modules are included by path, so this checks the code the example runs:
//! the DICOM attributes it reads and the ROI specs it parses from the command line.

#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/dicom_roi/dicom_image.rs"]
mod dicom_image;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "../examples/dicom_roi/roi_spec.rs"]
mod roi_spec;

mod common;
use common::{assert_close, reference_path, Table};
use ecvkit::image::Padding;
use ecvkit::roi::{roi_percentiles, roi_scratch_len, RoiOptions};

fn ct_small() -> dicom_image::DicomImage {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/CT_small.dcm");
    dicom_image::load(&path).expect("CT_small.dcm reads")
}

#[test]
fn attributes_match_the_reference_metadata() {
    let d = ct_small();
    let meta = Table::load("roi_ct_small_meta.csv");
    assert_eq!(f64::from(d.rows), meta.f64(0, "rows"));
    assert_eq!(f64::from(d.columns), meta.f64(0, "columns"));
    assert_eq!(f64::from(d.bits_stored), meta.f64(0, "bits_stored"));
    assert_eq!(meta.f64(0, "pixel_representation"), 1.0);
    assert!(matches!(d.pixels, dicom_image::StoredPixels::I16(_)));
    assert_eq!(d.rescale.slope, meta.f64(0, "slope"));
    assert_eq!(d.rescale.intercept, meta.f64(0, "intercept"));
    assert_eq!(d.spacing.row_mm, meta.f64(0, "spacing_row"));
    assert_eq!(d.spacing.col_mm, meta.f64(0, "spacing_col"));
    assert_eq!(
        d.padding,
        Padding::Value(meta.f64(0, "pixel_padding_value"))
    );
    // The stored pixels are the ones NumPy measured.
    let bin = std::fs::read(reference_path("roi_ct_small_stored_i16le.bin")).unwrap();
    let numpy: Vec<i16> = bin
        .chunks_exact(2)
        .map(|c| i16::from_le_bytes([c[0], c[1]]))
        .collect();
    match &d.pixels {
        dicom_image::StoredPixels::I16(v) => assert_eq!(v, &numpy),
        other => panic!("unexpected pixel type {other:?}"),
    }
}

/// The spec text the command line would carry for a reference row.
fn spec_text(t: &Table, row: usize) -> Option<String> {
    let units = if t.str(row, "units") == "mm" {
        "mm"
    } else {
        "px"
    };
    let f = |c: &str| t.str(row, c).to_string();
    Some(match t.str(row, "kind") {
        "circle" => format!("circle-{units}:{},{},{}", f("cx"), f("cy"), f("r")),
        "ellipse" => format!(
            "ellipse-{units}:{},{},{},{},{}rad",
            f("cx"),
            f("cy"),
            f("a"),
            f("b"),
            f("angle_rad")
        ),
        "rectangle" => format!(
            "rect-{units}:{},{},{},{}",
            f("x0"),
            f("y0"),
            f("x1"),
            f("y1")
        ),
        "polygon" => format!("polygon-{units}:{}", f("vertices").replace(' ', ",")),
        _ => return None,
    })
}

#[test]
fn roi_statistics_match_numpy_on_the_real_slice() {
    let d = ct_small();
    let image = d.image().expect("a valid image");
    let t = Table::load("roi_ct_small.csv");
    let mut checked = 0;
    for row in 0..t.len() {
        // Rows that override spacing, padding or the value window test the library, not the
        // file as it is; the example measures the file as it is.
        let plain = ["pad_lo", "pad_hi", "win_lo", "win_hi"]
            .iter()
            .all(|c| t.str(row, c) == "NA")
            && t.f64(row, "spacing_row") == d.spacing.row_mm
            && t.f64(row, "spacing_col") == d.spacing.col_mm;
        let Some(text) = spec_text(&t, row).filter(|_| plain) else {
            continue;
        };
        let id = t.str(row, "id").to_string();
        let spec = roi_spec::parse(&text).unwrap_or_else(|e| panic!("{id}: {e}"));
        let roi = spec.roi();
        let mut scratch = vec![0.0; roi_scratch_len(&image, &roi).unwrap()];
        let probs = [0.05, 0.25, 0.5, 0.75, 0.95];
        let mut q = [0.0; 5];
        let s = roi_percentiles(
            &image,
            &roi,
            &RoiOptions::default(),
            &probs,
            &mut q,
            &mut scratch,
        )
        .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(s.count as f64, t.f64(row, "count"), "{id}: count");
        assert_eq!(
            s.padding_pixels as f64,
            t.f64(row, "padding_pixels"),
            "{id}: padding"
        );
        // NumPy sums in float64 and ecvkit exactly in integers: the reference test of the roi
        // module found ≤ 4e-15 relative; 1e-12 leaves room for the platform's libm.
        for (name, ours) in [
            ("area_mm2", s.area_mm2),
            ("analytic_area_mm2", s.analytic_area_mm2),
            ("sum", s.sum),
            ("mean", s.mean),
            ("sd_sample", s.sd_sample),
            ("sd_population", s.sd_population),
            ("min", s.min),
            ("max", s.max),
            ("p05", q[0]),
            ("p25", q[1]),
            ("median", q[2]),
            ("p75", q[3]),
            ("p95", q[4]),
        ] {
            assert_close(ours, t.f64(row, name), 1e-12, 1e-9, &format!("{id} {name}"));
        }
        checked += 1;
    }
    eprintln!("{checked} ROI cases agree with NumPy");
    assert!(checked >= 16, "only {checked} ROI rows checked");
}

#[test]
fn roi_specs_are_parsed_or_refused_with_the_reason() {
    let c = roi_spec::parse("circle-mm:40.1,45.3,5.64").unwrap();
    assert_eq!(c.roi(), ecvkit::roi::Roi::circle_mm(40.1, 45.3, 5.64));
    let e = roi_spec::parse("ellipse-px:1,2,3,4,90").unwrap();
    match e.kind {
        roi_spec::SpecKind::Ellipse(e) => assert_eq!(e.angle_rad, std::f64::consts::FRAC_PI_2),
        other => panic!("{other:?}"),
    }
    for (bad, reason) in [
        ("circle:1,2,3", "needs units"),
        ("circle-cm:1,2,3", "units 'cm'"),
        ("circle-mm:1,2", "expected 3"),
        ("square-px:1,2,3", "unknown shape"),
        ("polygon-px:1,2;3,4", "at least 3 vertices"),
        ("ellipse-px:1,2,3,4,x", "angle"),
        ("64,64,20", "expected SHAPE-UNITS"),
    ] {
        let err = roi_spec::parse(bad).unwrap_err();
        assert!(err.contains(reason), "{bad}: {err}");
    }
}

/// The ECV mode on a real slice: the equilibrium image is CT_small with every non-padding stored
/// value raised by a known amount inside a disk (the "tissue") and by another in a second disk
/// (the "aorta"), so ECV has a closed form; the same file on both phases is refused (no blood
/// enhancement), as the example reports it.
#[test]
fn ecv_from_an_unenhanced_and_an_equilibrium_image() {
    let un = ct_small();
    let mut eq = un.clone();
    let (tissue_c, aorta_c, r) = ((40.0, 60.0), (90.0, 60.0), 12.0);
    if let dicom_image::StoredPixels::I16(v) = &mut eq.pixels {
        for (i, p) in v.iter_mut().enumerate() {
            let (c, row) = ((i % 128) as f64, (i / 128) as f64);
            let inside = |(x, y): (f64, f64)| (c - x).powi(2) + (row - y).powi(2) <= r * r;
            if *p != -2000 && inside(tissue_c) {
                *p += 30;
            } else if *p != -2000 && inside(aorta_c) {
                *p += 120;
            }
        }
    }
    let tissue = [roi_spec::parse("circle-px:40,60,8").unwrap()];
    let aorta = [roi_spec::parse("circle-px:90,60,8").unwrap()];
    let (t, a) = ([tissue[0].roi()], [aorta[0].roi()]);
    let e = dicom_image::structure_ecv(&un, &eq, 0.4, &t, &a).unwrap();
    let want = 0.6 * 30.0 / 120.0;
    assert!(
        (e.ecv.fraction - want).abs() < 1e-12,
        "{} vs {want}",
        e.ecv.fraction
    );
    assert!(e.ecv.flags.is_empty());
    assert_eq!(
        dicom_image::structure_ecv(&un, &un, 0.4, &t, &a).unwrap_err(),
        ecvkit::Status::BloodEnhancementZero
    );
    assert_eq!(
        dicom_image::structure_ecv(&un, &eq, 40.0, &t, &a).unwrap_err(),
        ecvkit::Status::HematocritPercent
    );
}
