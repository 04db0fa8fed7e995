//! Properties of the ROI statistics (issue 3, item 8): a constant image has SD 0 and its
//! constant as mean; translating an image and its ROI together by whole pixels changes nothing;
//! the pooled mean of disjoint ROIs is the mean of their union; padding pixels never change a
//! statistic; the row stride changes nothing; and the f32 path agrees with the integer path.

use ecvkit::image::{Image, ImageDescriptor, Padding, PixelData, PixelSpacing, Rescale};
use ecvkit::roi::{
    pool_rois, roi_scratch_len, roi_stats, roi_summary, Ellipse, Mask, Point, Rectangle, Roi,
    RoiOptions, RoiStats, Shape, Units, ValueWindow,
};
use proptest::prelude::*;

const SPACING: PixelSpacing = PixelSpacing {
    row_mm: 0.7,
    col_mm: 0.55,
};

/// A coordinate on the 1/8 grid: sums and differences with whole pixels stay exact in f64, so
/// a translated shape tests exactly the same pixel centres.
fn eighths(lo: i32, hi: i32) -> impl Strategy<Value = f64> {
    (lo * 8..hi * 8).prop_map(|k| f64::from(k) / 8.0)
}

/// Shapes in pixel units within (or overlapping) a 40 × 32 image (`W` × `H`), on the 1/8 grid.
#[derive(Clone, Debug)]
enum TestShape {
    Circle(f64, f64, f64),
    Ellipse(f64, f64, f64, f64, f64),
    Rectangle(f64, f64, f64, f64),
    Polygon(Vec<Point>),
}

fn shape() -> impl Strategy<Value = TestShape> {
    prop_oneof![
        (eighths(-3, 43), eighths(-3, 35), eighths(1, 15))
            .prop_map(|(x, y, r)| TestShape::Circle(x, y, r)),
        (
            eighths(0, 40),
            eighths(0, 32),
            eighths(1, 14),
            eighths(1, 9),
            -3.2f64..3.2
        )
            .prop_map(|(x, y, a, b, t)| TestShape::Ellipse(x, y, a, b, t)),
        (
            eighths(-2, 30),
            eighths(-2, 25),
            eighths(0, 20),
            eighths(0, 15)
        )
            .prop_map(|(x, y, w, h)| TestShape::Rectangle(x, y, x + w, y + h)),
        prop::collection::vec((eighths(-2, 42), eighths(-2, 34)), 3..9).prop_map(|v| {
            TestShape::Polygon(v.into_iter().map(|(x, y)| Point { x, y }).collect())
        }),
    ]
}

impl TestShape {
    fn translated(&self, dx: f64, dy: f64) -> TestShape {
        match self {
            TestShape::Circle(x, y, r) => TestShape::Circle(x + dx, y + dy, *r),
            TestShape::Ellipse(x, y, a, b, t) => TestShape::Ellipse(x + dx, y + dy, *a, *b, *t),
            TestShape::Rectangle(x0, y0, x1, y1) => {
                TestShape::Rectangle(x0 + dx, y0 + dy, x1 + dx, y1 + dy)
            }
            TestShape::Polygon(v) => TestShape::Polygon(
                v.iter()
                    .map(|p| Point {
                        x: p.x + dx,
                        y: p.y + dy,
                    })
                    .collect(),
            ),
        }
    }

    fn roi(&self) -> Roi<'_> {
        let shape = match self {
            TestShape::Circle(x, y, r) => return Roi::circle_px(*x, *y, *r),
            TestShape::Ellipse(x, y, a, b, t) => Shape::Ellipse(Ellipse {
                center: Point { x: *x, y: *y },
                semi_axis_a: *a,
                semi_axis_b: *b,
                angle_rad: *t,
            }),
            TestShape::Rectangle(x0, y0, x1, y1) => Shape::Rectangle(Rectangle {
                min: Point { x: *x0, y: *y0 },
                max: Point { x: *x1, y: *y1 },
            }),
            TestShape::Polygon(v) => Shape::Polygon(v),
        };
        Roi::new(shape, Units::Pixels)
    }
}

fn ct(px: &[i16], w: u32, h: u32) -> ImageDescriptor<'_> {
    let mut d = ImageDescriptor::packed(PixelData::I16(px), w, h, SPACING);
    d.rescale = Rescale {
        slope: 1.0,
        intercept: -1024.0,
    };
    d
}

fn stats(d: ImageDescriptor<'_>, roi: &Roi<'_>, options: &RoiOptions) -> Option<RoiStats> {
    let image = Image::new(d).unwrap();
    let mut scratch = vec![0.0; roi_scratch_len(&image, roi).ok()?];
    roi_stats(&image, roi, options, &mut scratch).ok()
}

/// Equality that counts NaN = NaN (the sample SD of a single pixel is NaN).
fn same(a: &Option<RoiStats>, b: &Option<RoiStats>) -> bool {
    format!("{a:?}") == format!("{b:?}")
}

/// CT-like stored values (a range below 4096: the kernel's fast path) or any i16 (its wide
/// path).
fn pixels(n: usize) -> impl Strategy<Value = Vec<i16>> {
    prop_oneof![
        prop::collection::vec(-1000i16..3000, n),
        prop::collection::vec(any::<i16>(), n),
    ]
}

/// CT-like stored values only, none in [−3000, −2000].
fn ct_pixels(n: usize) -> impl Strategy<Value = Vec<i16>> {
    prop::collection::vec(-1000i16..3000, n)
}

/// The test image: 40 × 32 pixels natively, 20 × 16 under Miri (`make miri`), where every
/// pixel is interpreted (the shapes then fall partly or wholly outside more often: both sides
/// of each property still have to agree).
const W: u32 = if cfg!(miri) { 20 } else { 40 };
const H: u32 = if cfg!(miri) { 16 } else { 32 };
const N: usize = (W * H) as usize;
/// The image the test image is moved into: room for a shift of up to 19 columns and 17 rows.
const BIG_N: usize = ((W + 20) * (H + 18)) as usize;
/// The side of the square mask, placed at column 5, row 3 (inside the image).
const MASK: usize = if cfg!(miri) { 10 } else { 25 };

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(miri) { 2 } else { 128 }))]

    #[test]
    fn constant_image_has_sd_zero_and_its_constant_as_mean(
        s in shape(), v in -2048i16..4000, slope in prop_oneof![Just(1.0), Just(0.5), Just(-2.0)],
        as_float in any::<bool>(),
    ) {
        let px = vec![v; N];
        let fx = vec![f32::from(v); N];
        let mut d = if as_float {
            ImageDescriptor::packed(PixelData::F32(&fx), W, H, SPACING)
        } else {
            ImageDescriptor::packed(PixelData::I16(&px), W, H, SPACING)
        };
        d.rescale = Rescale { slope, intercept: -1024.0 };
        let roi = s.roi();
        if let Some(st) = stats(d, &roi, &RoiOptions::default()) {
            let value = f64::from(v) * slope - 1024.0;
            prop_assert_eq!(st.summary.mean, value);
            prop_assert_eq!(st.median, value);
            prop_assert_eq!((st.summary.min, st.summary.max), (value, value));
            prop_assert_eq!(st.summary.sd_population, 0.0);
            prop_assert!(st.summary.count == 1 || st.summary.sd_sample == 0.0);
        }
    }

    #[test]
    fn translating_image_and_roi_by_whole_pixels_changes_nothing(
        s in shape(), px in pixels(N), fill in pixels(BIG_N), dx in 0u32..20, dy in 0u32..18,
    ) {
        // The W × H image placed at (dx, dy) inside a (W + 20) × (H + 18) one filled with other
        // values.
        let mut big = fill;
        let (w, h) = (W as usize, H as usize);
        for r in 0..h {
            for c in 0..w {
                big[(r + dy as usize) * (w + 20) + c + dx as usize] = px[r * w + c];
            }
        }
        let roi = s.roi();
        let moved = s.translated(f64::from(dx), f64::from(dy));
        let a = stats(ct(&px, W, H), &roi, &RoiOptions::default());
        // Only ROIs that lie inside the small image can be compared: clipping differs otherwise.
        if let Some(a) = a.filter(|a| a.summary.clipping == ecvkit::roi::Clipping::Inside) {
            let b = stats(ct(&big, W + 20, H + 18), &moved.roi(), &RoiOptions::default());
            prop_assert!(same(&Some(a), &b), "{:?} vs {:?}", a, b);
        }
    }

    #[test]
    fn pooled_mean_of_disjoint_rois_is_the_mean_of_their_union(
        px in pixels(N), cells in prop::collection::vec(0u8..3, 30 * 20),
        col in -5i64..15, row in -5i64..15,
    ) {
        // A 30 × 20 mask with labels 0 (outside), 1 and 2: ROIs 1 and 2 are disjoint, their union
        // is every nonzero cell.
        let only = |label: u8| cells.iter().map(|&c| u8::from(c == label)).collect::<Vec<u8>>();
        let (one, two) = (only(1), only(2));
        let mask = |data| Roi::new(Shape::Mask(Mask { data, width: 30, height: 20, origin_col: col, origin_row: row }), Units::Pixels);
        let image = Image::new(ct(&px, W, H)).unwrap();
        let o = RoiOptions::default();
        let (a, b, u) = (
            roi_summary(&image, &mask(&one), &o),
            roi_summary(&image, &mask(&two), &o),
            roi_summary(&image, &mask(&cells), &o),
        );
        if let (Ok(a), Ok(b), Ok(u)) = (a, b, u) {
            let p = pool_rois(&[a, b]).unwrap();
            prop_assert_eq!(p.pixel_count, u.count);
            prop_assert!((p.pooled_mean - u.mean).abs() <= 1e-12 * u.mean.abs().max(1.0));
            prop_assert!((p.pooled_sd_population - u.sd_population).abs() <= 1e-10 * u.sd_population.max(1.0));
            prop_assert_eq!((p.min, p.max), (u.min, u.max));
        }
    }

    #[test]
    fn padding_pixels_never_change_a_statistic(
        px in ct_pixels(N), padded in prop::collection::vec(any::<bool>(), N),
        pad_values in prop::collection::vec(-3000i16..-2000, N),
        cells in prop::collection::vec(any::<bool>(), MASK * MASK),
        window in prop_oneof![Just(ValueWindow::ALL), Just(ValueWindow { lo: 0.0, hi: 1500.0 })],
    ) {
        // Padding is the stored range [−3000, −2000]; no image value falls in it.
        let with_padding: Vec<i16> = px.iter().zip(&padded).zip(&pad_values)
            .map(|((&v, &p), &pv)| if p { pv } else { v }).collect();
        let mask: Vec<u8> = cells.iter().map(|&c| u8::from(c)).collect();
        // The same mask without the padded pixels, on the image without padding.
        let mut without = mask.clone();
        for r in 0..MASK {
            for c in 0..MASK {
                if padded[(r + 3) * W as usize + c + 5] {
                    without[r * MASK + c] = 0;
                }
            }
        }
        let side = MASK as u32;
        let roi = |data| Roi::new(Shape::Mask(Mask { data, width: side, height: side, origin_col: 5, origin_row: 3 }), Units::Pixels);
        let mut d = ct(&with_padding, W, H);
        d.padding = Padding::Range { value: -2000.0, range_limit: -3000.0 };
        let o = RoiOptions { window };
        let a = stats(d, &roi(&mask), &o);
        let b = stats(ct(&px, W, H), &roi(&without), &o);
        prop_assert_eq!(a.is_some(), b.is_some());
        if let (Some(a), Some(b)) = (a, b) {
            let (sa, sb) = (a.summary, b.summary);
            prop_assert_eq!(sa.count, sb.count);
            prop_assert_eq!(sa.padding_pixels, sb.shape_pixels.abs_diff(sa.shape_pixels));
            prop_assert_eq!(sa.window_excluded, sb.window_excluded);
            prop_assert_eq!((sa.sum, sa.mean, sa.sd_population), (sb.sum, sb.mean, sb.sd_population));
            prop_assert_eq!(format!("{:?}", sa.sd_sample), format!("{:?}", sb.sd_sample));
            prop_assert_eq!((sa.min, sa.max, a.median), (sb.min, sb.max, b.median));
        }
    }

    #[test]
    fn results_do_not_depend_on_the_row_stride(
        s in shape(), px in pixels(N), extra in 0usize..7, garbage in any::<i16>(),
        bits_stored in 12u32..=16,
    ) {
        let (w, h) = (W as usize, H as usize);
        let stride = w + extra;
        let mut wide = vec![garbage; stride * h];
        for r in 0..h {
            wide[r * stride..r * stride + w].copy_from_slice(&px[r * w..r * w + w]);
        }
        let mut packed = ct(&px, W, H);
        packed.bits_stored = bits_stored;
        let mut strided = ct(&wide, W, H);
        strided.row_stride_bytes = stride * 2;
        strided.bits_stored = bits_stored;
        let roi = s.roi();
        let (a, b) = (stats(packed, &roi, &RoiOptions::default()), stats(strided, &roi, &RoiOptions::default()));
        prop_assert!(same(&a, &b), "{:?} vs {:?}", a, b);
    }

    #[test]
    fn float_pixels_agree_with_integer_pixels(s in shape(), px in pixels(N)) {
        let fx: Vec<f32> = px.iter().map(|&v| f32::from(v)).collect();
        let mut df = ImageDescriptor::packed(PixelData::F32(&fx), W, H, SPACING);
        df.rescale = Rescale { slope: 1.0, intercept: -1024.0 };
        let roi = s.roi();
        let (a, b) = (stats(ct(&px, W, H), &roi, &RoiOptions::default()), stats(df, &roi, &RoiOptions::default()));
        prop_assert_eq!(a.is_some(), b.is_some());
        if let (Some(a), Some(b)) = (a, b) {
            prop_assert_eq!(a.summary.count, b.summary.count);
            prop_assert_eq!((a.summary.min, a.summary.max, a.median), (b.summary.min, b.summary.max, b.median));
            prop_assert!((a.summary.mean - b.summary.mean).abs() <= 1e-12 * a.summary.mean.abs().max(1.0));
            prop_assert!((a.summary.sd_population - b.summary.sd_population).abs() <= 1e-9 * a.summary.sd_population.max(1.0));
        }
    }
}
