//! C ABI of [`crate::roi`]: ROI shapes, statistics, percentiles, pooling and the tumor/liver ECV
//! measurement.

use super::ecv::EcvHematocrit;
use super::image::{image_from_c, image_span, EcvImage};
use super::write_output;
use super::{aliased, input_slice, output_slice, read_or_default, require_output, status_of, Span};
use crate::ecv::{EcvOptions, Hematocrit, HematocritOrigin};
use crate::roi::{
    measure_phase, pool_rois, reader_average, roi_percentiles, roi_scratch_len, roi_stats,
    roi_summary, structure_ecv_from_readers, Circle, CtEcvMeasurement, Ellipse, Mask,
    MeasurementOptions, PhaseMeasurement, PhaseRois, Point, PooledStats, Pooling,
    ReaderMeasurement, Rectangle, Roi, RoiOptions, RoiStats, RoiSummary, Shape, StructureEcv,
    Units, ValueWindow, DEFAULT_MIN_ROI_PIXELS, MAX_READERS,
};
use crate::Status;

/// The shape of an `ecv_roi`. In C: `ECV_SHAPE_KIND_CIRCLE` … `ECV_SHAPE_KIND_MASK`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShapeKind {
    /// `circle` is used.
    Circle = 0,
    /// `ellipse` is used.
    Ellipse = 1,
    /// `rectangle` is used.
    Rectangle = 2,
    /// `vertices` / `vertex_count` are used.
    Polygon = 3,
    /// `mask*` fields are used.
    Mask = 4,
}

impl TryFrom<u32> for ShapeKind {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(ShapeKind::Circle),
            1 => Ok(ShapeKind::Ellipse),
            2 => Ok(ShapeKind::Rectangle),
            3 => Ok(ShapeKind::Polygon),
            4 => Ok(ShapeKind::Mask),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// An ROI as C passes it: a shape kind, units, and the parameters of that kind (the others are
/// ignored). Build it with `ecv_roi_circle`, `ecv_roi_ellipse`, `ecv_roi_rectangle`,
/// `ecv_roi_polygon` or `ecv_roi_mask`. Coordinates: pixel (c, r) has its centre at (c, r) in
/// `ECV_UNITS_PIXELS`, at (c · Δx, r · Δy) in `ECV_UNITS_MILLIMETRES`; a pixel belongs to the ROI
/// when its centre is inside, boundary included.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EcvRoi {
    /// `ECV_SHAPE_KIND_*`.
    pub kind: u32,
    /// `ECV_UNITS_PIXELS` or `ECV_UNITS_MILLIMETRES` (masks: pixels only).
    pub units: u32,
    /// Circle parameters.
    pub circle: Circle,
    /// Rotated ellipse parameters.
    pub ellipse: Ellipse,
    /// Rectangle corners.
    pub rectangle: Rectangle,
    /// Polygon vertices (≥ 3; the last joins the first).
    pub vertices: *const Point,
    /// Number of vertices.
    pub vertex_count: usize,
    /// Mask bytes, `mask_width` · `mask_height`, row-major; nonzero = inside.
    pub mask: *const u8,
    /// Mask columns.
    pub mask_width: u32,
    /// Mask rows.
    pub mask_height: u32,
    /// Image column of mask column 0.
    pub mask_origin_col: i64,
    /// Image row of mask row 0.
    pub mask_origin_row: i64,
}

const ORIGIN: Point = Point { x: 0.0, y: 0.0 };

fn blank_roi(kind: ShapeKind, units: u32) -> EcvRoi {
    EcvRoi {
        kind: kind as u32,
        units,
        circle: Circle {
            center: ORIGIN,
            radius: 0.0,
        },
        ellipse: Ellipse {
            center: ORIGIN,
            semi_axis_a: 0.0,
            semi_axis_b: 0.0,
            angle_rad: 0.0,
        },
        rectangle: Rectangle {
            min: ORIGIN,
            max: ORIGIN,
        },
        vertices: core::ptr::null(),
        vertex_count: 0,
        mask: core::ptr::null(),
        mask_width: 0,
        mask_height: 0,
        mask_origin_col: 0,
        mask_origin_row: 0,
    }
}

/// A circle: pixel centres with (x − cx)² + (y − cy)² ≤ r².
#[no_mangle]
pub extern "C" fn ecv_roi_circle(units: u32, cx: f64, cy: f64, radius: f64) -> EcvRoi {
    EcvRoi {
        circle: Circle {
            center: Point { x: cx, y: cy },
            radius,
        },
        ..blank_roi(ShapeKind::Circle, units)
    }
}

/// A rotated ellipse with semi-axis `a` along the angle (radians, from +x towards +y, i.e.
/// clockwise on screen) and `b` across it.
#[no_mangle]
pub extern "C" fn ecv_roi_ellipse(
    units: u32,
    cx: f64,
    cy: f64,
    semi_axis_a: f64,
    semi_axis_b: f64,
    angle_rad: f64,
) -> EcvRoi {
    EcvRoi {
        ellipse: Ellipse {
            center: Point { x: cx, y: cy },
            semi_axis_a,
            semi_axis_b,
            angle_rad,
        },
        ..blank_roi(ShapeKind::Ellipse, units)
    }
}

/// An axis-aligned rectangle: pixel centres with x0 ≤ x ≤ x1 and y0 ≤ y ≤ y1.
#[no_mangle]
pub extern "C" fn ecv_roi_rectangle(units: u32, x0: f64, y0: f64, x1: f64, y1: f64) -> EcvRoi {
    EcvRoi {
        rectangle: Rectangle {
            min: Point { x: x0, y: y0 },
            max: Point { x: x1, y: y1 },
        },
        ..blank_roi(ShapeKind::Rectangle, units)
    }
}

/// A polygon (even-odd rule, edges and vertices inside). The vertices are not copied: they must
/// stay valid while the ROI is used.
#[no_mangle]
pub extern "C" fn ecv_roi_polygon(
    units: u32,
    vertices: *const Point,
    vertex_count: usize,
) -> EcvRoi {
    EcvRoi {
        vertices,
        vertex_count,
        ..blank_roi(ShapeKind::Polygon, units)
    }
}

/// A caller mask of `width` × `height` bytes whose element (0, 0) lies on image pixel
/// (`origin_col`, `origin_row`); pixel units. Not copied: it must stay valid while used.
#[no_mangle]
pub extern "C" fn ecv_roi_mask(
    mask: *const u8,
    width: u32,
    height: u32,
    origin_col: i64,
    origin_row: i64,
) -> EcvRoi {
    EcvRoi {
        mask,
        mask_width: width,
        mask_height: height,
        mask_origin_col: origin_col,
        mask_origin_row: origin_row,
        ..blank_roi(ShapeKind::Mask, Units::Pixels as u32)
    }
}

/// Builds the core's [`Roi`] from a C ROI.
///
/// # Safety
/// `roi` is NULL or points to a valid `ecv_roi`; its polygon vertices or mask bytes (for those
/// kinds) are valid for their counts and unmodified for `'a`.
pub(crate) unsafe fn roi_from_c<'a>(roi: *const EcvRoi) -> Result<Roi<'a>, Status> {
    if !roi.is_aligned() {
        return Err(Status::MisalignedPointer);
    }
    // SAFETY: aligned (checked), valid when non-null (caller).
    let r = unsafe { roi.as_ref() }.ok_or(Status::NullPointer)?;
    let units = Units::try_from(r.units)?;
    let shape = match ShapeKind::try_from(r.kind)? {
        ShapeKind::Circle => Shape::Circle(r.circle),
        ShapeKind::Ellipse => Shape::Ellipse(r.ellipse),
        ShapeKind::Rectangle => Shape::Rectangle(r.rectangle),
        ShapeKind::Polygon => {
            if r.vertices.is_null() {
                return Err(Status::NullPointer);
            }
            // SAFETY: non-null, vertex_count valid points (caller); alignment checked inside.
            Shape::Polygon(unsafe { input_slice(r.vertices, r.vertex_count) }?)
        }
        ShapeKind::Mask => {
            if r.mask.is_null() {
                return Err(Status::NullPointer);
            }
            let cells = (r.mask_width as usize)
                .checked_mul(r.mask_height as usize)
                .ok_or(Status::TooManyElements)?;
            // SAFETY: non-null, width · height readable bytes (caller).
            let data = unsafe { input_slice(r.mask, cells) }?;
            Shape::Mask(Mask {
                data,
                width: r.mask_width,
                height: r.mask_height,
                origin_col: r.mask_origin_col,
                origin_row: r.mask_origin_row,
            })
        }
    };
    Ok(Roi::new(shape, units))
}

/// The default ROI options: value window [−∞, +∞] (nothing excluded).
#[no_mangle]
pub extern "C" fn ecv_roi_options_default() -> RoiOptions {
    RoiOptions::default()
}

/// The scratch length (doubles) `ecv_roi_stats` and `ecv_roi_percentiles` need: 0 for integer
/// images, the number of pixel centres inside the shape and the image for f32 images.
///
/// Statuses: those of `ecv_image_check`, the ROI's (`ECV_NULL_POINTER`, `ECV_INVALID_ENUM_VALUE`,
/// `ECV_INVALID_SHAPE`, `ECV_NOT_FINITE`, `ECV_ROI_OUTSIDE_IMAGE`, `ECV_ROI_EMPTY`,
/// `ECV_POLYGON_TOO_COMPLEX`), and `ECV_NULL_POINTER` for `out`.
///
/// # Safety
/// `image` and `roi` as in `ecv_roi_summary`; `out` points to a writable `size_t`.
#[no_mangle]
pub unsafe extern "C" fn ecv_roi_scratch_len(
    image: *const EcvImage,
    roi: *const EcvRoi,
    out: *mut usize,
) -> Status {
    // SAFETY (whole block): the caller's guarantees; every pointer is checked by the helpers.
    let result = (|| unsafe {
        require_output(out)?;
        let image = image_from_c(image)?;
        let roi = roi_from_c(roi)?;
        write_output(out, roi_scratch_len(&image, &roi)?)
    })();
    status_of(result)
}

/// Counts, areas and moments of one ROI (no median; no scratch for any stored type): count,
/// excluded counts (padding, value window, non-finite), pixel and analytic area (mm²), sum, mean,
/// SD sample (n − 1) and population (n), min, max, in modality units (HU on CT).
///
/// `options` may be NULL (no window). On `ECV_OK`, `*out` is written; otherwise it is untouched.
/// Statuses: those of `ecv_roi_scratch_len`, `ECV_INVALID_RANGE` / `ECV_NOT_FINITE` (window),
/// `ECV_ROI_ALL_EXCLUDED`.
///
/// # Safety
/// `image` points to a valid `ecv_image` (see `ecv_image_check`); `roi` to a valid `ecv_roi`
/// whose vertices or mask are valid; `options` is NULL or valid; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn ecv_roi_summary(
    image: *const EcvImage,
    roi: *const EcvRoi,
    options: *const RoiOptions,
    out: *mut RoiSummary,
) -> Status {
    // SAFETY (whole block): the caller's guarantees; every pointer is checked by the helpers.
    let result = (|| unsafe {
        require_output(out)?;
        let image = image_from_c(image)?;
        let roi = roi_from_c(roi)?;
        let options = read_or_default(options)?;
        write_output(out, roi_summary(&image, &roi, &options)?)
    })();
    status_of(result)
}

/// `ecv_roi_summary` plus the median (R type 7). Integer images: exact, `scratch` may be NULL with
/// `scratch_len` 0. f32 images: `scratch` holds at least `ecv_roi_scratch_len` doubles, is
/// overwritten, and must not overlap the image.
///
/// Statuses: those of `ecv_roi_summary`, `ECV_SCRATCH_TOO_SMALL`, `ECV_BUFFERS_OVERLAP`.
///
/// # Safety
/// As `ecv_roi_summary`; `scratch` is NULL (with length 0) or points to `scratch_len` writable
/// doubles.
#[no_mangle]
pub unsafe extern "C" fn ecv_roi_stats(
    image: *const EcvImage,
    roi: *const EcvRoi,
    options: *const RoiOptions,
    scratch: *mut f64,
    scratch_len: usize,
    out: *mut RoiStats,
) -> Status {
    // SAFETY (whole block): the caller's guarantees; every pointer is checked by the helpers.
    let result = (|| unsafe {
        require_output(out)?;
        let img = image_from_c(image)?;
        let roi = roi_from_c(roi)?;
        let options = read_or_default(options)?;
        if aliased(&[Span::of(scratch, scratch_len)], &[image_span(image)]) {
            return Err(Status::BuffersOverlap);
        }
        let scratch = output_slice(scratch, scratch_len)?;
        write_output(out, roi_stats(&img, &roi, &options, scratch)?)
    })();
    status_of(result)
}

/// Percentiles by R's type 7 (NumPy's "linear"): `out[i]` = quantile(x, `probs[i]`) for
/// `probs[i]` in [0, 1] (fractions: 0.25, not 25). `out` has room for `out_capacity ≥ n_probs`
/// doubles; `summary` may be NULL, else it receives the ROI's summary. Scratch as `ecv_roi_stats`.
/// Outputs and scratch must not overlap each other, `probs` or the image.
///
/// Statuses: those of `ecv_roi_stats`, `ECV_EMPTY_INPUT` (n_probs = 0), `ECV_INVALID_OPTION` (a
/// probability outside [0, 1]), `ECV_BUFFER_TOO_SMALL`.
///
/// # Safety
/// As `ecv_roi_stats`; `probs` points to `n_probs` doubles, `out` to `out_capacity` writable
/// doubles, `summary` is NULL or writable.
#[no_mangle]
pub unsafe extern "C" fn ecv_roi_percentiles(
    image: *const EcvImage,
    roi: *const EcvRoi,
    options: *const RoiOptions,
    probs: *const f64,
    n_probs: usize,
    out: *mut f64,
    out_capacity: usize,
    scratch: *mut f64,
    scratch_len: usize,
    summary: *mut RoiSummary,
) -> Status {
    // SAFETY (whole block): the caller's guarantees; every pointer is checked by the helpers.
    let result = (|| unsafe {
        if !summary.is_aligned() {
            return Err(Status::MisalignedPointer);
        }
        let img = image_from_c(image)?;
        let roi = roi_from_c(roi)?;
        let options = read_or_default(options)?;
        if out.is_null() {
            return Err(Status::NullPointer);
        }
        let writable = [Span::of(out, out_capacity), Span::of(scratch, scratch_len)];
        if aliased(&writable, &[Span::of(probs, n_probs), image_span(image)]) {
            return Err(Status::BuffersOverlap);
        }
        let probs = input_slice(probs, n_probs)?;
        let out = output_slice(out, out_capacity)?;
        let scratch = output_slice(scratch, scratch_len)?;
        let s = roi_percentiles(&img, &roi, &options, probs, out, scratch)?;
        if !summary.is_null() {
            write_output(summary, s)?;
        }
        Ok(())
    })();
    status_of(result)
}

/// Several ROIs on one structure: the mean of ROI means (the seed paper's average of three liver
/// ROIs) and the pixel-weighted pooled mean, pooled SDs, min, max and counts.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT` (n = 0), `ECV_ROI_ALL_EXCLUDED` (a summary with
/// count 0), `ECV_NOT_FINITE`.
///
/// # Safety
/// `summaries` points to `n` valid `ecv_roi_summary_result`s; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn ecv_roi_pool(
    summaries: *const RoiSummary,
    n: usize,
    out: *mut PooledStats,
) -> Status {
    // SAFETY (whole block): the caller's guarantees; every pointer is checked by the helpers.
    let result = (|| unsafe {
        require_output(out)?;
        let s = input_slice(summaries, n)?;
        write_output(out, pool_rois(s)?)
    })();
    status_of(result)
}

/// The average of the readers' values for one structure (the seed paper averaged its two
/// radiologists).
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT`, `ECV_NOT_FINITE`.
///
/// # Safety
/// `values` points to `n` doubles; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn ecv_reader_average(values: *const f64, n: usize, out: *mut f64) -> Status {
    // SAFETY (whole block): the caller's guarantees; every pointer is checked by the helpers.
    let result = (|| unsafe {
        require_output(out)?;
        write_output(out, reader_average(input_slice(values, n)?)?)
    })();
    status_of(result)
}

/// The most ROIs the C measurement functions accept per structure, phase and reader, for the
/// tissue and (separately) the aorta: 16.
pub const ECV_MAX_ROIS_PER_PHASE: usize = 16;

/// One reader's ROIs of one structure on one phase image.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EcvPhaseRois {
    /// The phase image.
    pub image: *const EcvImage,
    /// Tissue ROIs (tumor: one; liver: e.g. three), 1 ..= `ECV_MAX_ROIS_PER_PHASE`.
    pub tissue: *const EcvRoi,
    /// Number of tissue ROIs.
    pub tissue_count: usize,
    /// Aorta ROIs at the same level, 1 ..= `ECV_MAX_ROIS_PER_PHASE`.
    pub aorta: *const EcvRoi,
    /// Number of aorta ROIs.
    pub aorta_count: usize,
}

/// One reader's ROIs of one structure on both phases.
#[repr(C)]
#[derive(Clone, Copy, Debug)]
pub struct EcvStructureRois {
    /// Unenhanced phase.
    pub unenhanced: EcvPhaseRois,
    /// Equilibrium phase.
    pub equilibrium: EcvPhaseRois,
}

/// Options of the measurement, as C passes them (`ecv_measurement_options_default`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvMeasurementOptions {
    /// `ECV_POOLING_MEAN_OF_MEANS` (default, the seed paper) or `ECV_POOLING_PIXEL_WEIGHTED`.
    pub pooling: u32,
    /// ROIs with fewer used pixels flag the result `ECV_FLAG_FEW_PIXELS` (default 20).
    pub min_roi_pixels: u64,
    /// Values kept in tissue ROIs (default all).
    pub tissue_window: ValueWindow,
    /// Values kept in aorta ROIs (default all).
    pub aorta_window: ValueWindow,
    /// ECV options (minimum blood enhancement, default 10 HU).
    pub ecv: EcvOptions,
}

impl Default for EcvMeasurementOptions {
    fn default() -> Self {
        let core = MeasurementOptions::default();
        EcvMeasurementOptions {
            pooling: core.pooling as u32,
            min_roi_pixels: DEFAULT_MIN_ROI_PIXELS,
            tissue_window: core.tissue_window,
            aorta_window: core.aorta_window,
            ecv: core.ecv,
        }
    }
}

impl EcvMeasurementOptions {
    fn to_core(self) -> Result<MeasurementOptions, Status> {
        Ok(MeasurementOptions {
            pooling: Pooling::try_from(self.pooling)?,
            min_roi_pixels: self.min_roi_pixels,
            tissue_window: self.tissue_window,
            aorta_window: self.aorta_window,
            ecv: self.ecv,
        })
    }
}

/// The default measurement options: mean of ROI means, at least 20 pixels per ROI, no windows,
/// minimum blood enhancement 10 HU.
#[no_mangle]
pub extern "C" fn ecv_measurement_options_default() -> EcvMeasurementOptions {
    EcvMeasurementOptions::default()
}

/// Converts up to `ECV_MAX_ROIS_PER_PHASE` C ROIs into `buf`, returning the filled part.
///
/// # Safety
/// `rois` is NULL with `n` 0, or points to `n` valid `ecv_roi`s (with valid vertices / masks).
unsafe fn rois_into<'a, 'b>(
    rois: *const EcvRoi,
    n: usize,
    buf: &'b mut [Roi<'a>; ECV_MAX_ROIS_PER_PHASE],
) -> Result<&'b [Roi<'a>], Status> {
    if n > ECV_MAX_ROIS_PER_PHASE {
        return Err(Status::TooManyElements);
    }
    // SAFETY: the caller's guarantee.
    let c_rois = unsafe { input_slice(rois, n) }?;
    for (slot, r) in buf.iter_mut().zip(c_rois) {
        // SAFETY: r is a valid ecv_roi (caller).
        *slot = unsafe { roi_from_c(r) }?;
    }
    Ok(buf.get(..n).unwrap_or(&[]))
}

/// One reader's phase, measured by the core.
///
/// # Safety
/// `phase`'s pointers are valid as `ecv_ct_structure_ecv` documents.
unsafe fn phase_from_c(
    phase: &EcvPhaseRois,
    options: &MeasurementOptions,
) -> Result<PhaseMeasurement, Status> {
    const PLACEHOLDER: Roi<'static> = Roi::circle_px(0.0, 0.0, 1.0);
    let (mut tissue, mut aorta) = (
        [PLACEHOLDER; ECV_MAX_ROIS_PER_PHASE],
        [PLACEHOLDER; ECV_MAX_ROIS_PER_PHASE],
    );
    // SAFETY (whole block): the caller's guarantees, passed on.
    unsafe {
        let image = image_from_c(phase.image)?;
        let tissue = rois_into(phase.tissue, phase.tissue_count, &mut tissue)?;
        let aorta = rois_into(phase.aorta, phase.aorta_count, &mut aorta)?;
        measure_phase(
            &PhaseRois {
                image: &image,
                tissue,
                aorta,
            },
            options,
        )
    }
}

/// Measures every reader of one structure.
///
/// # Safety
/// As `ecv_ct_structure_ecv`.
unsafe fn structure_from_c(
    readers: *const EcvStructureRois,
    n_readers: usize,
    hematocrit: EcvHematocrit,
    options: *const EcvMeasurementOptions,
) -> Result<StructureEcv, Status> {
    // SAFETY (whole block): the caller's guarantees; pointers checked by the helpers.
    unsafe {
        let options = read_or_default(options)?.to_core()?;
        let hematocrit = Hematocrit::new(
            hematocrit.fraction,
            HematocritOrigin::try_from(hematocrit.origin)?,
        )?;
        let readers = input_slice(readers, n_readers)?;
        if readers.len() > MAX_READERS {
            return Err(Status::TooManyElements);
        }
        let empty = PhaseMeasurement {
            tissue_hu: 0.0,
            aorta_hu: 0.0,
            smallest_tissue_roi_pixels: 0,
            smallest_aorta_roi_pixels: 0,
        };
        let mut measured = [ReaderMeasurement {
            unenhanced: empty,
            equilibrium: empty,
        }; MAX_READERS];
        for (m, r) in measured.iter_mut().zip(readers) {
            *m = ReaderMeasurement {
                unenhanced: phase_from_c(&r.unenhanced, &options)?,
                equilibrium: phase_from_c(&r.equilibrium, &options)?,
            };
        }
        structure_ecv_from_readers(
            measured.get(..readers.len()).unwrap_or(&[]),
            hematocrit,
            &options,
        )
    }
}

/// One structure's CT ECV from its ROIs, as the seed paper measured it: per reader and phase the
/// tissue ROIs are pooled (`options->pooling`) and so are the aorta ROIs; the readers' values are
/// averaged; ECV = (1 − Hct) · ΔHU_tissue / ΔHU_aorta with the flags of `ecv_ct` plus
/// `ECV_FLAG_FEW_PIXELS` when an ROI used fewer than `options->min_roi_pixels` pixels.
/// `readers` holds `n_readers` (1 ..= 8) readers; `options` may be NULL (defaults).
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT` (no reader, or a phase without tissue or aorta
/// ROIs), `ECV_TOO_MANY_ELEMENTS` (more than 8 readers or 16 ROIs per phase), every status of
/// `ecv_image_check` and `ecv_roi_summary`, `ECV_INVALID_ENUM_VALUE` (pooling, hematocrit
/// origin), and those of `ecv_ct`.
///
/// # Safety
/// `readers` points to `n_readers` `ecv_structure_rois` whose images, ROI arrays (with their
/// counts), vertices and masks are valid; `options` is NULL or valid; `out` is writable.
#[no_mangle]
pub unsafe extern "C" fn ecv_ct_structure_ecv(
    readers: *const EcvStructureRois,
    n_readers: usize,
    hematocrit: EcvHematocrit,
    options: *const EcvMeasurementOptions,
    out: *mut StructureEcv,
) -> Status {
    // SAFETY (whole block): the caller's guarantees, passed on; `out` checked first.
    let result = (|| unsafe {
        require_output(out)?;
        write_output(
            out,
            structure_from_c(readers, n_readers, hematocrit, options)?,
        )
    })();
    status_of(result)
}

/// Tumor and liver ECV of one patient in one call: `ecv_ct_structure_ecv` for each, with one
/// hematocrit. Nothing is written unless both succeed.
///
/// # Safety
/// As `ecv_ct_structure_ecv`, for `tumor` and `liver`.
#[no_mangle]
pub unsafe extern "C" fn ecv_ct_tumor_liver_ecv(
    tumor: *const EcvStructureRois,
    n_tumor_readers: usize,
    liver: *const EcvStructureRois,
    n_liver_readers: usize,
    hematocrit: EcvHematocrit,
    options: *const EcvMeasurementOptions,
    out: *mut CtEcvMeasurement,
) -> Status {
    // SAFETY (whole block): the caller's guarantees, passed on; `out` checked first.
    let result = (|| unsafe {
        require_output(out)?;
        let m = CtEcvMeasurement {
            tumor: structure_from_c(tumor, n_tumor_readers, hematocrit, options)?,
            liver: structure_from_c(liver, n_liver_readers, hematocrit, options)?,
        };
        write_output(out, m)
    })();
    status_of(result)
}
