//! Statistics of one ROI over the stored pixels: counts, areas, sum, mean, SD (sample and
//! population), min, max, median and R type-7 percentiles.
//!
//! Integer pixels are summed exactly (128-bit sums of stored values and of their squares); the mean
//! and variance are then converted to modality units once (mean = slope · mean_stored + intercept,
//! SD = |slope| · SD_stored), and median and percentiles come from a radix selection over the
//! stored range (see `select.rs`): exact, without scratch. Float pixels are accumulated in f64
//! with Neumaier compensation around a shift (the first value), and their order statistics sort a
//! copy in caller scratch ([`roi_scratch_len`] says how much).

use crate::image::{Image, IntCodec, PixelData, Rescale, StoredInt};
use crate::numeric::NeumaierSum;
use crate::roi::raster::{for_each_span, Clipping, RasterInfo};
use crate::roi::select::{select_pair, type7_interpolate, type7_position, PassResult, PassSpec};
use crate::roi::shape::Roi;
use crate::sort::heapsort_f64;
use crate::status::Status;

/// An inclusive window [lo, hi] of modality values (HU on CT): pixels outside it are excluded
/// from every statistic and counted (calcification, necrosis, fat, contrast-filled vessels).
/// Bounds may be infinite; the default, [−∞, +∞], keeps everything.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ValueWindow {
    /// Lowest value kept (inclusive).
    pub lo: f64,
    /// Highest value kept (inclusive).
    pub hi: f64,
}

impl ValueWindow {
    /// [−∞, +∞]: no pixel is excluded.
    ///
    /// Not in the C header (no C constant expression gives ±∞ without `<math.h>`, and a struct
    /// constant needs designated initializers that C++ before C++20 refuses): a C caller gets
    /// this window from `ecv_roi_options_default()`.
    ///
    /// cbindgen:ignore
    pub const ALL: ValueWindow = ValueWindow {
        lo: f64::NEG_INFINITY,
        hi: f64::INFINITY,
    };

    /// Errors: `NotFinite` for a NaN bound, `InvalidRange` when lo > hi.
    pub fn validate(self) -> Result<ValueWindow, Status> {
        if self.lo.is_nan() || self.hi.is_nan() {
            return Err(Status::NotFinite);
        }
        if self.lo > self.hi {
            return Err(Status::InvalidRange);
        }
        Ok(self)
    }

    fn contains(self, v: f64) -> bool {
        v >= self.lo && v <= self.hi
    }
}

impl Default for ValueWindow {
    fn default() -> Self {
        ValueWindow::ALL
    }
}

/// Options of the ROI statistics.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Default)]
pub struct RoiOptions {
    /// Modality values kept; default all.
    pub window: ValueWindow,
}

/// Moments and counts of one ROI (everything but the order statistics).
///
/// Counts: `shape_pixels` = `count` + `padding_pixels` + `window_excluded` + `non_finite_pixels`.
/// Values are modality values (stored · slope + intercept; HU on CT).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RoiSummary {
    /// Pixels used by the statistics.
    pub count: u64,
    /// Pixel centres inside the shape and the image (after clipping, before exclusions).
    pub shape_pixels: u64,
    /// Pixels excluded as padding (matched on stored values).
    pub padding_pixels: u64,
    /// Pixels excluded by the value window (padding pixels are not counted here).
    pub window_excluded: u64,
    /// Float pixels excluded because they (or their rescaled value) are NaN or infinite; 0 for
    /// integer images.
    pub non_finite_pixels: u64,
    /// Whether the shape was cut at the image edge.
    pub clipping: Clipping,
    /// `shape_pixels` · Δx · Δy, mm²: the ROI's pixel area, as viewers report it (+∞ when the
    /// Pixel Spacing is so large that the area exceeds the largest double).
    pub area_mm2: f64,
    /// The analytic area of the unclipped shape, mm²: π r² for a circle, π a b for an ellipse,
    /// width × height for a rectangle, the shoelace area for a polygon, the nonzero count × Δx · Δy
    /// for a mask (shapes in pixel units scaled by Δx · Δy). Computed in an extended exponent
    /// range and rounded once: +∞ only when the area in mm² exceeds the largest double, 0 when it
    /// is below the smallest (never NaN, whatever the shape's size in pixels).
    pub analytic_area_mm2: f64,
    /// Σ values.
    pub sum: f64,
    /// Σ values / count.
    pub mean: f64,
    /// Sample SD, √(Σ(x − mean)² / (count − 1)): the convention of ITK, 3D Slicer, ImageJ and
    /// Horos, and R's `sd`. NaN when count = 1 (R gives NA).
    pub sd_sample: f64,
    /// Population SD, √(Σ(x − mean)² / count): the convention of pyradiomics, Cornerstone/OHIF
    /// and Weasis, and NumPy's `std` default.
    pub sd_population: f64,
    /// Smallest value.
    pub min: f64,
    /// Largest value.
    pub max: f64,
}

/// [`RoiSummary`] plus the median (R type 7: the mean of the two middle values for even count).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RoiStats {
    /// Counts, areas and moments.
    pub summary: RoiSummary,
    /// Median, R `quantile(x, 0.5, type = 7)` = R `median(x)`.
    pub median: f64,
}

/// The scratch length [`roi_stats`] and [`roi_percentiles`] need: 0 for integer images (their
/// order statistics need no scratch), the number of pixel centres inside the shape and the image
/// for f32 images.
///
/// Errors: those of the rasteriser (`InvalidShape`, `NotFinite`, `RoiOutsideImage`, `RoiEmpty`,
/// `PolygonTooComplex`), and `TooManyElements` if the count does not fit in `usize`.
pub fn roi_scratch_len(image: &Image<'_>, roi: &Roi<'_>) -> Result<usize, Status> {
    let info = for_each_span(
        roi,
        image.width(),
        image.height(),
        image.spacing(),
        |_, _, _| {},
    )?;
    match image.pixels() {
        PixelData::F32(_) => {
            usize::try_from(info.shape_pixels).map_err(|_| Status::TooManyElements)
        }
        _ => Ok(0),
    }
}

/// Counts, areas and moments of the ROI: one pass over its row spans, no scratch, any stored type.
///
/// Errors: `NotFinite` / `InvalidRange` (window); those of the rasteriser (`InvalidShape`,
/// `NotFinite`, `RoiOutsideImage`, `RoiEmpty`, `PolygonTooComplex`); `RoiAllExcluded` when every
/// pixel is padding, outside the window or not finite.
///
/// ```
/// use ecvkit::image::{Image, ImageDescriptor, PixelData, PixelSpacing, Rescale};
/// use ecvkit::roi::{roi_summary, Roi, RoiOptions};
///
/// // A 5 × 5 CT patch of stored 1064 (40 HU with intercept −1024), spacing 0.5 mm.
/// let px = [1064i16; 25];
/// let spacing = PixelSpacing::from_dicom([0.5, 0.5]);
/// let mut d = ImageDescriptor::packed(PixelData::I16(&px), 5, 5, spacing);
/// d.rescale = Rescale { slope: 1.0, intercept: -1024.0 };
/// let image = Image::new(d)?;
/// // A 1 mm circle around pixel (2, 2): pixel offsets (dx, dy) with dx² + dy² ≤ 4 → 13 pixels.
/// let s = roi_summary(&image, &Roi::circle_mm(1.0, 1.0, 1.0), &RoiOptions::default())?;
/// assert_eq!(s.count, 13);
/// assert_eq!(s.mean, 40.0);
/// assert_eq!(s.sd_population, 0.0);
/// assert_eq!(s.area_mm2, 13.0 * 0.25);
/// # Ok::<(), ecvkit::Status>(())
/// ```
pub fn roi_summary(
    image: &Image<'_>,
    roi: &Roi<'_>,
    options: &RoiOptions,
) -> Result<RoiSummary, Status> {
    measure(image, roi, options, None).map(|(s, _)| s)
}

/// [`roi_summary`] and the median.
///
/// `scratch`: ignored for integer images (pass `&mut []`); for f32 images at least
/// [`roi_scratch_len`] values, overwritten (its contents afterwards are unspecified).
///
/// Errors: those of [`roi_summary`], and `ScratchTooSmall` (checked before any pixel is read).
pub fn roi_stats(
    image: &Image<'_>,
    roi: &Roi<'_>,
    options: &RoiOptions,
    scratch: &mut [f64],
) -> Result<RoiStats, Status> {
    let (summary, order) = measure(image, roi, options, Some(scratch))?;
    let median = quantile(image, roi, &order, summary.count, 0.5)?;
    Ok(RoiStats { summary, median })
}

/// Percentiles of the ROI's values by R's type-7 rule (NumPy's default "linear"):
/// `out[i]` = R `quantile(x, probs[i], type = 7)`; probabilities are fractions in [0, 1]
/// (0.25, not 25). Returns the summary as [`roi_summary`] would.
///
/// `out` must hold at least `probs.len()` values (only those are written, and only on success);
/// `scratch` as for [`roi_stats`].
///
/// Errors: those of [`roi_stats`]; `EmptyInput` (no probabilities), `NotFinite` (a NaN
/// probability), `InvalidOption` (a probability outside [0, 1]), `BufferTooSmall`.
pub fn roi_percentiles(
    image: &Image<'_>,
    roi: &Roi<'_>,
    options: &RoiOptions,
    probs: &[f64],
    out: &mut [f64],
    scratch: &mut [f64],
) -> Result<RoiSummary, Status> {
    if probs.is_empty() {
        return Err(Status::EmptyInput);
    }
    for &p in probs {
        if p.is_nan() {
            return Err(Status::NotFinite);
        }
        if !(0.0..=1.0).contains(&p) {
            return Err(Status::InvalidOption);
        }
    }
    let out = out.get_mut(..probs.len()).ok_or(Status::BufferTooSmall)?;
    let (summary, order) = measure(image, roi, options, Some(scratch))?;
    // Compute everything before writing anything.
    let mut first_error = None;
    let mut values = probs
        .iter()
        .map(|&p| quantile(image, roi, &order, summary.count, p));
    for (o, v) in out.iter_mut().zip(values.by_ref()) {
        match v {
            Ok(v) => *o = v,
            Err(e) => {
                first_error = Some(e);
                break;
            }
        }
    }
    match first_error {
        // Unreachable in practice (the walks repeat one that succeeded); never leave a
        // half-written output behind a success.
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// What the order statistics need after the moments pass.
enum Order<'s> {
    /// Integer pixels: select over the stored range [min, max] with this filter.
    Int {
        filter: IntFilter,
        min: i64,
        max: i64,
    },
    /// Float pixels: the kept values, sorted.
    Sorted(&'s [f64]),
    /// Not requested.
    None,
}

/// The moments pass, and what the order statistics need. `scratch` is `None` when no order
/// statistic will be asked for.
fn measure<'s>(
    image: &Image<'_>,
    roi: &Roi<'_>,
    options: &RoiOptions,
    scratch: Option<&'s mut [f64]>,
) -> Result<(RoiSummary, Order<'s>), Status> {
    let window = options.window.validate()?;
    let analytic_area_mm2 = roi.analytic_area_mm2(image.spacing())?;
    let (info, moments, order) = match image.pixels() {
        PixelData::U8(d) => int_measure(image, d, roi, window)?,
        PixelData::I8(d) => int_measure(image, d, roi, window)?,
        PixelData::U16(d) => int_measure(image, d, roi, window)?,
        PixelData::I16(d) => int_measure(image, d, roi, window)?,
        PixelData::U32(d) => int_measure(image, d, roi, window)?,
        PixelData::I32(d) => int_measure(image, d, roi, window)?,
        PixelData::F32(d) => float_measure(image, d, roi, window, scratch)?,
    };
    let summary = RoiSummary {
        count: moments.n,
        shape_pixels: info.shape_pixels,
        padding_pixels: moments.padding,
        window_excluded: info
            .shape_pixels
            .saturating_sub(moments.n)
            .saturating_sub(moments.padding)
            .saturating_sub(moments.non_finite),
        non_finite_pixels: moments.non_finite,
        clipping: info.clipping,
        area_mm2: info.shape_pixels as f64 * image.spacing().pixel_area_mm2(),
        analytic_area_mm2,
        sum: moments.sum,
        mean: moments.mean,
        sd_sample: moments.sd_sample,
        sd_population: moments.sd_population,
        min: moments.min,
        max: moments.max,
    };
    Ok((summary, order))
}

/// Moments in modality units, with the exclusion counts.
struct Moments {
    n: u64,
    padding: u64,
    non_finite: u64,
    sum: f64,
    mean: f64,
    sd_population: f64,
    sd_sample: f64,
    min: f64,
    max: f64,
}

/// The k-th quantile of the kept values (k from p by type 7).
fn quantile(
    image: &Image<'_>,
    roi: &Roi<'_>,
    order: &Order<'_>,
    n: u64,
    p: f64,
) -> Result<f64, Status> {
    let (k, h) = type7_position(n, p);
    let want_next = h > 0.0 && k + 1 < n;
    match *order {
        Order::Sorted(sorted) => {
            let x_k = sorted.get(k as usize).copied().unwrap_or(f64::NAN);
            let x_next = sorted.get(k as usize + 1).copied().unwrap_or(x_k);
            Ok(type7_interpolate(x_k, x_next, h))
        }
        Order::Int {
            ref filter,
            min,
            max,
        } => {
            let rescale = image.rescale();
            let mut walk = |spec: &PassSpec| count_pass(image, roi, filter, spec);
            // With a negative slope the k-th smallest value is the (n − 1 − k)-th smallest
            // stored value.
            let (x_k, x_next) = if rescale.slope > 0.0 {
                select_pair(&mut walk, min, max, k, want_next)?
            } else if want_next {
                let (a, b) = select_pair(&mut walk, min, max, n - 2 - k, true)?;
                (b, a)
            } else {
                let (a, _) = select_pair(&mut walk, min, max, n - 1 - k, false)?;
                (a, a)
            };
            Ok(type7_interpolate(
                rescale.apply(x_k as f64),
                rescale.apply(x_next as f64),
                h,
            ))
        }
        Order::None => Ok(f64::NAN),
    }
}

// ---------------------------------------------------------------------------------------------
// Integer pixels

/// Which decoded stored values are padding and which are kept.
#[derive(Clone, Copy, Debug)]
struct IntFilter {
    codec: IntCodec,
    /// Padded stored range, inclusive; empty (lo > hi) without padding.
    pad_lo: i64,
    pad_hi: i64,
    /// Stored range whose modality values lie in the window, inclusive.
    keep_lo: i64,
    keep_hi: i64,
}

impl IntFilter {
    fn new(image: &Image<'_>, window: ValueWindow) -> IntFilter {
        let codec = IntCodec::new(image.stored_type(), image.bits_stored());
        let (pad_lo, pad_hi) = match image.padding_bounds() {
            // Float → int casts saturate; a non-integer bound keeps only the integers inside.
            Some((lo, hi)) => (libm::ceil(lo) as i64, libm::floor(hi) as i64),
            None => (1, 0),
        };
        let (keep_lo, keep_hi) = stored_range_in_window(&codec, image.rescale(), window);
        IntFilter {
            codec,
            pad_lo,
            pad_hi,
            keep_lo,
            keep_hi,
        }
    }

    /// (is padding, is kept) for a decoded stored value.
    #[inline(always)]
    fn classify(&self, v: i64) -> (bool, bool) {
        let pad = (v >= self.pad_lo) & (v <= self.pad_hi);
        let keep = !pad & (v >= self.keep_lo) & (v <= self.keep_hi);
        (pad, keep)
    }
}

/// The smallest s in [lo, hi] with `pred(s)`, for a predicate that is false then true; hi + 1 if
/// none.
fn first_true<P: Fn(i64) -> bool>(lo: i64, hi: i64, pred: P) -> i64 {
    let (mut a, mut b) = (lo, hi.saturating_add(1));
    while a < b {
        let m = a + (b - a) / 2;
        if pred(m) {
            b = m;
        } else {
            a = m + 1;
        }
    }
    a
}

/// The stored values whose modality value `stored as f64 * slope + intercept` lies in the window:
/// an interval, because that f64 expression is monotone in the stored value. Found by binary
/// search with exactly that expression, so the integer test in the pixel loop excludes the same
/// pixels as testing every rescaled value would.
fn stored_range_in_window(codec: &IntCodec, rescale: Rescale, w: ValueWindow) -> (i64, i64) {
    let f = |s: i64| rescale.apply(s as f64);
    let (lo, hi) = (codec.min, codec.max);
    if w.lo == f64::NEG_INFINITY && w.hi == f64::INFINITY {
        return (lo, hi);
    }
    if rescale.slope > 0.0 {
        let a = first_true(lo, hi, |s| f(s) >= w.lo);
        let b = first_true(lo, hi, |s| f(s) > w.hi) - 1;
        (a, b)
    } else {
        let a = first_true(lo, hi, |s| f(s) <= w.hi);
        let b = first_true(lo, hi, |s| f(s) < w.lo) - 1;
        (a, b)
    }
}

/// Exact integer moments of kept stored values.
#[derive(Clone, Copy, Debug)]
struct IntMoments {
    n: u64,
    padding: u64,
    sum: i128,
    sum_sq: u128,
    min: i64,
    max: i64,
}

/// Pixels per block: small enough to stay in L1 cache between the block's two passes.
const BLOCK: usize = 4096;

/// Pixels per sub-block of the fast path: 256 squares of values below 4096 fit in a u32.
const SUB_BLOCK: usize = 256;

/// The largest range (max − min) of a block the fast path takes: squares of offsets < 2^12.
const FAST_RANGE: i32 = 4095;

/// The pixels of row `row`, columns [c0, c1).
fn row_pixels<T>(data: &[T], stride: usize, row: u32, c0: u32, c1: u32) -> &[T] {
    let start = (row as usize)
        .checked_mul(stride)
        .and_then(|s| s.checked_add(c0 as usize));
    let end = start.and_then(|s| s.checked_add(c1.saturating_sub(c0) as usize));
    match (start, end) {
        (Some(s), Some(e)) => data.get(s..e).unwrap_or(&[]),
        _ => &[],
    }
}

/// The moments of one block of pixels (at most [`BLOCK`]).
#[derive(Clone, Copy)]
struct BlockMoments {
    sum: i64,
    sum_sq: u128,
    min: i64,
    max: i64,
    n: u64,
    padding: u64,
}

/// 8- and 16-bit pixels: a first pass finds the block's min and max (decoded values); when the
/// whole block is kept (no value in the padding range, all inside the window) and max − min is
/// below 4096, the second pass sums the offsets d = v − min and d² in u32 lanes over sub-blocks
/// of 256 (d² < 2^24, so 256 of them fit), and Σv = Σd + n·min, Σv² = Σd² + 2·min·Σd + n·min²
/// restore the exact sums. This keeps every lane 32-bit, which the compiler vectorises even
/// with plain SSE2. Other blocks take [`block_narrow_filtered`].
fn block_narrow<T: StoredInt, const DECODE: bool>(block: &[T], f: &IntFilter) -> BlockMoments {
    let decode = |x: T| -> i32 {
        if DECODE {
            f.codec.decode(x) as i32
        } else {
            x.widen() as i32
        }
    };
    let (lo, hi) = if DECODE {
        block.iter().fold((i32::MAX, i32::MIN), |(lo, hi), &x| {
            let v = decode(x);
            (lo.min(v), hi.max(v))
        })
    } else {
        match block.first() {
            Some(&first) => {
                let (lo, hi) = block
                    .iter()
                    .fold((first, first), |(lo, hi), &x| (lo.min(x), hi.max(x)));
                (decode(lo), decode(hi))
            }
            None => (i32::MAX, i32::MIN),
        }
    };
    let (lo64, hi64) = (i64::from(lo), i64::from(hi));
    let touches_padding = f.pad_lo <= f.pad_hi && f.pad_lo <= hi64 && lo64 <= f.pad_hi;
    let all_kept = !touches_padding && f.keep_lo <= lo64 && hi64 <= f.keep_hi;
    if !all_kept || hi.saturating_sub(lo) > FAST_RANGE {
        return block_narrow_filtered(block, f);
    }
    let (mut sum_d, mut sum_d2) = (0u64, 0u64);
    for sub in block.chunks(SUB_BLOCK) {
        let (mut a, mut b) = (0u32, 0u32);
        for &x in sub {
            let d = decode(x).wrapping_sub(lo) as u32;
            a = a.wrapping_add(d);
            b = b.wrapping_add(d.wrapping_mul(d));
        }
        sum_d += u64::from(a);
        sum_d2 += u64::from(b);
    }
    let n = block.len() as u64;
    let (n128, base, sd) = (i128::from(n), i128::from(lo), i128::from(sum_d));
    let sum = sd.wrapping_add(n128.wrapping_mul(base));
    let sum_sq = i128::from(sum_d2)
        .wrapping_add(base.wrapping_mul(2).wrapping_mul(sd))
        .wrapping_add(n128.wrapping_mul(base).wrapping_mul(base));
    BlockMoments {
        sum: sum as i64,
        sum_sq: sum_sq as u128,
        min: lo64,
        max: hi64,
        n,
        padding: 0,
    }
}

/// 8- and 16-bit pixels with decoding, padding and window tests, without branches, in i32 lanes
/// (the filter bounds clamped to i32 keep every comparison with such values).
fn block_narrow_filtered<T: StoredInt>(block: &[T], f: &IntFilter) -> BlockMoments {
    let clamp = |b: i64| b.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let (pl, ph, kl, kh) = (
        clamp(f.pad_lo),
        clamp(f.pad_hi),
        clamp(f.keep_lo),
        clamp(f.keep_hi),
    );
    let (mut s, mut q, mut lo, mut hi) = (0i64, 0u64, i32::MAX, i32::MIN);
    let (mut n, mut pad) = (0u64, 0u64);
    for &x in block {
        let v = f.codec.decode(x) as i32;
        let is_pad = (v >= pl) & (v <= ph);
        let keep = !is_pad & (v >= kl) & (v <= kh);
        let kv = if keep { v } else { 0 };
        let a = kv.unsigned_abs();
        s += i64::from(kv);
        q += u64::from(a * a);
        lo = lo.min(if keep { v } else { i32::MAX });
        hi = hi.max(if keep { v } else { i32::MIN });
        n += u64::from(keep);
        pad += u64::from(is_pad);
    }
    BlockMoments {
        sum: s,
        sum_sq: u128::from(q),
        min: i64::from(lo),
        max: i64::from(hi),
        n,
        padding: pad,
    }
}

/// 32-bit pixels: squares in u128.
fn block_wide<T: StoredInt>(block: &[T], f: &IntFilter) -> BlockMoments {
    let (mut s, mut q, mut lo, mut hi) = (0i64, 0u128, i64::MAX, i64::MIN);
    let (mut n, mut pad) = (0u64, 0u64);
    for &x in block {
        let v = f.codec.decode(x);
        let (is_pad, keep) = f.classify(v);
        let kv = if keep { v } else { 0 };
        let a = u128::from(kv.unsigned_abs());
        s += kv;
        q += a.wrapping_mul(a);
        lo = lo.min(if keep { v } else { i64::MAX });
        hi = hi.max(if keep { v } else { i64::MIN });
        n += u64::from(keep);
        pad += u64::from(is_pad);
    }
    BlockMoments {
        sum: s,
        sum_sq: q,
        min: lo,
        max: hi,
        n,
        padding: pad,
    }
}

/// Adds one span to the moments, block by block (see [`block_narrow`] for the fast path; the
/// general paths test each pixel without branches).
#[inline(always)]
fn accumulate_ints<T: StoredInt>(px: &[T], f: &IntFilter, m: &mut IntMoments) {
    for block in px.chunks(BLOCK) {
        let b = if T::BITS > 16 {
            block_wide(block, f)
        } else if f.codec.full_width {
            block_narrow::<T, false>(block, f)
        } else {
            block_narrow::<T, true>(block, f)
        };
        m.sum += i128::from(b.sum);
        m.sum_sq += b.sum_sq;
        m.min = m.min.min(b.min);
        m.max = m.max.max(b.max);
        m.n += b.n;
        m.padding += b.padding;
    }
}

fn int_measure<'s, T: StoredInt>(
    image: &Image<'_>,
    data: &[T],
    roi: &Roi<'_>,
    window: ValueWindow,
) -> Result<(RasterInfo, Moments, Order<'s>), Status> {
    let filter = IntFilter::new(image, window);
    let mut m = IntMoments {
        n: 0,
        padding: 0,
        sum: 0,
        sum_sq: 0,
        min: i64::MAX,
        max: i64::MIN,
    };
    let stride = image.stride_elements();
    let info = for_each_span(
        roi,
        image.width(),
        image.height(),
        image.spacing(),
        |r, c0, c1| accumulate_ints(row_pixels(data, stride, r, c0, c1), &filter, &mut m),
    )?;
    if m.n == 0 {
        return Err(Status::RoiAllExcluded);
    }
    let moments = int_moments(&m, image.rescale());
    Ok((
        info,
        moments,
        Order::Int {
            filter,
            min: m.min,
            max: m.max,
        },
    ))
}

/// An i128 as f64 without the compiler-builtins conversion routine (which, like i128 division
/// and overflow-checked i128 multiplication, drags an unwinding reference into the C library):
/// |x| = hi · 2^64 + lo, converted in two parts (at most two roundings, relative error ≤ 2^−52).
fn i128_to_f64(x: i128) -> f64 {
    let m = x.unsigned_abs();
    let (hi, lo) = ((m >> 64) as u64, m as u64);
    let f = hi as f64 * 18_446_744_073_709_551_616.0 + lo as f64;
    if x < 0 {
        -f
    } else {
        f
    }
}

/// Bits needed for a u128 (0 for 0).
fn bit_length(x: u128) -> u32 {
    128 - x.leading_zeros()
}

/// Mean and variances from exact sums S = Σs and Q = Σs² of n stored values.
///
/// Shift by K = the integer nearest S/n: S' = S − nK and D = Σ(s − K)² = Q − 2KS + nK² are exact
/// (computed modulo 2^128 with wrapping operations: the true values fit, so the results are
/// exact even where an intermediate product would not), and |S'| ≤ n/2. Then
/// n²·var_pop = nD − S'², exact whenever nD fits in 126 bits (always for 8- and 16-bit pixels;
/// for 32-bit pixels up to about 2^31 pixels); otherwise var_pop = D/n − (S'/n)² in f64, where the
/// subtracted term is at most 1/4. The mean is K + S'/n. The one or two roundings come last.
fn int_moments(m: &IntMoments, rescale: Rescale) -> Moments {
    let n = m.n.max(1);
    let nf = n as f64;
    let k = libm::round(i128_to_f64(m.sum) / nf) as i64;
    let (n128, k128) = (i128::from(n), i128::from(k));
    let shifted_sum = m.sum.wrapping_sub(n128.wrapping_mul(k128));
    let d = (m.sum_sq as i128)
        .wrapping_sub(k128.wrapping_mul(2).wrapping_mul(m.sum))
        .wrapping_add(n128.wrapping_mul(k128).wrapping_mul(k128));
    let d = d.max(0) as u128;
    let sf = i128_to_f64(shifted_sum);
    let mean_stored = k as f64 + sf / nf;
    let n2_var = if bit_length(d) + bit_length(u128::from(n)) <= 126 {
        let nd = (d as i128).wrapping_mul(n128);
        i128_to_f64(nd.wrapping_sub(shifted_sum.wrapping_mul(shifted_sum)))
    } else {
        let mean_shift = sf / nf;
        (i128_to_f64(d as i128) / nf - mean_shift * mean_shift) * nf * nf
    };
    let n2_var = libm::fmax(n2_var, 0.0);
    let var_stored_pop = n2_var / (nf * nf);
    let var_stored_sample = if n > 1 {
        n2_var / (nf * (nf - 1.0))
    } else {
        f64::NAN
    };
    // |slope| · SD of the stored values (not √(slope² · var): slope² overflows or underflows
    // for extreme slopes while the SD itself fits).
    let slope = libm::fabs(rescale.slope);
    let (vmin, vmax) = (rescale.apply(m.min as f64), rescale.apply(m.max as f64));
    Moments {
        n: m.n,
        padding: m.padding,
        non_finite: 0,
        sum: rescale.slope * i128_to_f64(m.sum) + rescale.intercept * nf,
        mean: rescale.apply(mean_stored),
        sd_population: slope * libm::sqrt(var_stored_pop),
        sd_sample: slope * libm::sqrt(var_stored_sample),
        min: libm::fmin(vmin, vmax),
        max: libm::fmax(vmin, vmax),
    }
}

/// One counting pass of the selection over every kept decoded stored value of the ROI.
fn count_pass(
    image: &Image<'_>,
    roi: &Roi<'_>,
    filter: &IntFilter,
    spec: &PassSpec,
) -> Result<PassResult, Status> {
    fn typed<T: StoredInt>(
        image: &Image<'_>,
        data: &[T],
        roi: &Roi<'_>,
        filter: &IntFilter,
        spec: &PassSpec,
    ) -> Result<PassResult, Status> {
        let stride = image.stride_elements();
        let mut result = PassResult::new();
        for_each_span(
            roi,
            image.width(),
            image.height(),
            image.spacing(),
            |r, c0, c1| {
                let kept = row_pixels(data, stride, r, c0, c1)
                    .iter()
                    .map(|&x| filter.codec.decode(x))
                    .filter(|&v| filter.classify(v).1);
                spec.visit_all(kept, &mut result);
            },
        )?;
        Ok(result)
    }
    match image.pixels() {
        PixelData::U8(d) => typed(image, d, roi, filter, spec),
        PixelData::I8(d) => typed(image, d, roi, filter, spec),
        PixelData::U16(d) => typed(image, d, roi, filter, spec),
        PixelData::I16(d) => typed(image, d, roi, filter, spec),
        PixelData::U32(d) => typed(image, d, roi, filter, spec),
        PixelData::I32(d) => typed(image, d, roi, filter, spec),
        PixelData::F32(_) => Ok(PassResult::new()),
    }
}

// ---------------------------------------------------------------------------------------------
// Float pixels

/// Streaming f64 moments of float pixels: shifted by the first kept value K (so Σ(x − K)² does
/// not cancel), each sum compensated (Neumaier).
struct FloatAcc {
    n: u64,
    padding: u64,
    non_finite: u64,
    shift: f64,
    sum: NeumaierSum,
    d: NeumaierSum,
    d2: NeumaierSum,
    min: f64,
    max: f64,
}

impl FloatAcc {
    fn push(&mut self, v: f64) {
        if self.n == 0 {
            self.shift = v;
        }
        self.n += 1;
        let d = v - self.shift;
        self.sum.add(v);
        self.d.add(d);
        self.d2.add(d * d);
        self.min = libm::fmin(self.min, v);
        self.max = libm::fmax(self.max, v);
    }

    fn moments(&self) -> Moments {
        let nf = self.n.max(1) as f64;
        let sd = self.d.total();
        let m2 = libm::fmax(self.d2.total() - sd * sd / nf, 0.0);
        Moments {
            n: self.n,
            padding: self.padding,
            non_finite: self.non_finite,
            sum: self.sum.total(),
            mean: self.shift + sd / nf,
            sd_population: libm::sqrt(m2 / nf),
            sd_sample: if self.n > 1 {
                libm::sqrt(m2 / (nf - 1.0))
            } else {
                f64::NAN
            },
            min: self.min,
            max: self.max,
        }
    }
}

fn float_measure<'s>(
    image: &Image<'_>,
    data: &[f32],
    roi: &Roi<'_>,
    window: ValueWindow,
    scratch: Option<&'s mut [f64]>,
) -> Result<(RasterInfo, Moments, Order<'s>), Status> {
    let mut scratch = match scratch {
        Some(s) => {
            let need = roi_scratch_len(image, roi)?;
            Some(s.get_mut(..need).ok_or(Status::ScratchTooSmall)?)
        }
        None => None,
    };
    let rescale = image.rescale();
    let padding = image.padding_bounds();
    let stride = image.stride_elements();
    let mut acc = FloatAcc {
        n: 0,
        padding: 0,
        non_finite: 0,
        shift: 0.0,
        sum: NeumaierSum::new(),
        d: NeumaierSum::new(),
        d2: NeumaierSum::new(),
        min: f64::INFINITY,
        max: f64::NEG_INFINITY,
    };
    let info = for_each_span(
        roi,
        image.width(),
        image.height(),
        image.spacing(),
        |r, c0, c1| {
            for &x in row_pixels(data, stride, r, c0, c1) {
                let s = f64::from(x);
                let v = rescale.apply(s);
                if !v.is_finite() {
                    acc.non_finite += 1;
                } else if padding.is_some_and(|(lo, hi)| s >= lo && s <= hi) {
                    acc.padding += 1;
                } else if window.contains(v) {
                    if let Some(slot) = scratch
                        .as_deref_mut()
                        .and_then(|sc| sc.get_mut(acc.n as usize))
                    {
                        *slot = v;
                    }
                    acc.push(v);
                }
            }
        },
    )?;
    if acc.n == 0 {
        return Err(Status::RoiAllExcluded);
    }
    let order = match scratch {
        Some(sc) => {
            let kept = sc.get_mut(..acc.n as usize).unwrap_or(&mut []);
            heapsort_f64(kept);
            Order::Sorted(kept)
        }
        None => Order::None,
    };
    Ok((info, acc.moments(), order))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{ImageDescriptor, Padding, PixelSpacing};
    use crate::roi::shape::{Ellipse, Point, Shape, Units};

    const SP: PixelSpacing = PixelSpacing {
        row_mm: 0.6,
        col_mm: 0.9,
    };

    /// The kept modality values of an ROI by brute force over every pixel, with the documented
    /// membership given as a closure.
    fn brute_values<F: Fn(u32, u32) -> bool>(
        img: &Image<'_>,
        inside: F,
        w: ValueWindow,
    ) -> Vec<f64> {
        let mut v = vec![];
        for r in 0..img.height() {
            for c in 0..img.width() {
                if inside(c, r) && !img.is_padding(c, r) {
                    let x = img.value(c, r).unwrap();
                    if x.is_finite() && x >= w.lo && x <= w.hi {
                        v.push(x);
                    }
                }
            }
        }
        v
    }

    fn r_quantile(sorted: &[f64], p: f64) -> f64 {
        let n = sorted.len();
        let index = 1.0 + (n - 1) as f64 * p;
        let lo = index.floor();
        let h = index - lo;
        let a = sorted[lo as usize - 1];
        let b = sorted[(index.ceil() as usize - 1).min(n - 1)];
        if h > 0.0 && a != b {
            (1.0 - h) * a + h * b
        } else {
            a
        }
    }

    fn check_against_brute(
        img: &Image<'_>,
        roi: &Roi<'_>,
        inside: impl Fn(u32, u32) -> bool,
        w: ValueWindow,
    ) {
        let mut v = brute_values(img, inside, w);
        let n = v.len() as f64;
        let mean = v.iter().sum::<f64>() / n;
        let m2: f64 = v.iter().map(|x| (x - mean).powi(2)).sum();
        v.sort_by(f64::total_cmp);
        let mut scratch = vec![0.0; roi_scratch_len(img, roi).unwrap()];
        let opt = RoiOptions { window: w };
        let s = roi_stats(img, roi, &opt, &mut scratch).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs().max(1.0);
        assert_eq!(s.summary.count, v.len() as u64);
        assert!(close(s.summary.mean, mean), "{} vs {mean}", s.summary.mean);
        assert!(close(s.summary.sd_population, (m2 / n).sqrt()));
        assert!(close(s.summary.sd_sample, (m2 / (n - 1.0)).sqrt()));
        assert_eq!(s.summary.min, v[0]);
        assert_eq!(s.summary.max, *v.last().unwrap());
        assert!(close(s.median, r_quantile(&v, 0.5)));
        let probs = [0.0, 0.05, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0];
        let mut out = [0.0; 8];
        roi_percentiles(img, roi, &opt, &probs, &mut out, &mut scratch).unwrap();
        for (p, q) in probs.iter().zip(out) {
            assert!(
                close(q, r_quantile(&v, *p)),
                "p {p}: {q} vs {}",
                r_quantile(&v, *p)
            );
        }
        assert_eq!(
            s.summary.shape_pixels,
            s.summary.count
                + s.summary.padding_pixels
                + s.summary.window_excluded
                + s.summary.non_finite_pixels
        );
    }

    /// Pseudo-random CT-like stored values (a fixed LCG, so the test is reproducible).
    fn lcg_values(n: usize, seed: u64, modulo: i64, offset: i64) -> Vec<i64> {
        let mut x = seed;
        (0..n)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((x >> 33) as i64).rem_euclid(modulo) + offset
            })
            .collect()
    }

    #[test]
    fn integer_types_bits_stored_padding_window_and_slopes_match_brute_force() {
        let (w, h) = (23u32, 19u32);
        let e = Ellipse {
            center: Point { x: 11.3, y: 8.7 },
            semi_axis_a: 9.0,
            semi_axis_b: 5.5,
            angle_rad: 0.6,
        };
        let roi = Roi::new(Shape::Ellipse(e), Units::Pixels);
        let inside = |c: u32, r: u32| {
            let (dx, dy) = (c as f64 - e.center.x, r as f64 - e.center.y);
            let (s, co) = (e.angle_rad.sin(), e.angle_rad.cos());
            let (u, v) = (dx * co + dy * s, -dx * s + dy * co);
            let (a2, b2) = (81.0, 5.5 * 5.5);
            b2 * (u * u) + a2 * (v * v) <= a2 * b2
        };
        let vals = lcg_values((w * h) as usize, 7, 3000, -1100);
        let windows = [
            ValueWindow::ALL,
            ValueWindow {
                lo: -1500.0,
                hi: 0.5,
            },
            ValueWindow {
                lo: -100.0,
                hi: f64::INFINITY,
            },
        ];
        let i16s: Vec<i16> = vals.iter().map(|&v| v as i16).collect();
        let u16s: Vec<u16> = vals.iter().map(|&v| (v + 1100) as u16 | 0xC000).collect();
        let i32s: Vec<i32> = vals.iter().map(|&v| v as i32 * 1000).collect();
        let u8s: Vec<u8> = vals.iter().map(|&v| (v & 0xff) as u8).collect();
        let f32s: Vec<f32> = vals.iter().map(|&v| v as f32 * 0.25).collect();
        // Ranges far above 4096 (the kernel's wide path).
        let i16_wide: Vec<i16> = vals.iter().map(|&v| (v * 10) as i16).collect();
        let u16_wide: Vec<u16> = vals.iter().map(|&v| ((v + 1100) * 21) as u16).collect();
        // Under Miri: the first slope, padding and window only (every pixel type still runs).
        let miri_cut = |n| crate::test_support::native_or_miri(n, 1);
        for slope in [1.0, 0.5, -2.0].into_iter().take(miri_cut(3)) {
            for pad in [
                Padding::None,
                Padding::Value(-1100.0),
                Padding::Range {
                    value: 5.0,
                    range_limit: -1000.0,
                },
            ]
            .into_iter()
            .take(miri_cut(3))
            {
                for win in windows.into_iter().take(miri_cut(3)) {
                    let mut descs = vec![
                        ImageDescriptor::packed(PixelData::I16(&i16s), w, h, SP),
                        ImageDescriptor::packed(PixelData::U16(&u16s), w, h, SP),
                        ImageDescriptor::packed(PixelData::I32(&i32s), w, h, SP),
                        ImageDescriptor::packed(PixelData::U8(&u8s), w, h, SP),
                        ImageDescriptor::packed(PixelData::F32(&f32s), w, h, SP),
                        ImageDescriptor::packed(PixelData::I16(&i16_wide), w, h, SP),
                        ImageDescriptor::packed(PixelData::U16(&u16_wide), w, h, SP),
                    ];
                    descs[1].bits_stored = 12; // drops the 0xC000 garbage
                    for mut d in descs {
                        d.rescale = Rescale {
                            slope,
                            intercept: -1024.0,
                        };
                        d.padding = pad;
                        let img = Image::new(d).unwrap();
                        let kept = brute_values(&img, inside, win).len();
                        if kept < 2 {
                            assert_eq!(
                                roi_summary(&img, &roi, &RoiOptions { window: win })
                                    .err()
                                    .filter(|_| kept == 0),
                                if kept == 0 {
                                    Some(Status::RoiAllExcluded)
                                } else {
                                    None
                                }
                            );
                            continue;
                        }
                        check_against_brute(&img, &roi, inside, win);
                    }
                }
            }
        }
    }

    #[test]
    fn float_pixels_skip_non_finite_values_and_need_scratch() {
        let mut px = [10.0f32; 16];
        px[5] = f32::NAN;
        px[6] = f32::INFINITY;
        px[9] = 30.0;
        let img = Image::new(ImageDescriptor::packed(PixelData::F32(&px), 4, 4, SP)).unwrap();
        let roi = Roi::new(
            Shape::Rectangle(crate::roi::Rectangle {
                min: Point { x: 0.0, y: 0.0 },
                max: Point { x: 3.0, y: 3.0 },
            }),
            Units::Pixels,
        );
        assert_eq!(roi_scratch_len(&img, &roi), Ok(16));
        let mut small = [0.0; 15];
        assert_eq!(
            roi_stats(&img, &roi, &RoiOptions::default(), &mut small),
            Err(Status::ScratchTooSmall)
        );
        let mut scratch = [0.0; 16];
        let s = roi_stats(&img, &roi, &RoiOptions::default(), &mut scratch).unwrap();
        assert_eq!((s.summary.count, s.summary.non_finite_pixels), (14, 2));
        assert_eq!(s.summary.mean, (13.0 * 10.0 + 30.0) / 14.0);
        assert_eq!((s.median, s.summary.max), (10.0, 30.0));
        let s2 = roi_summary(&img, &roi, &RoiOptions::default()).unwrap();
        assert_eq!(s2, s.summary);
        let int = [0i16; 16];
        let img = Image::new(ImageDescriptor::packed(PixelData::I16(&int), 4, 4, SP)).unwrap();
        assert_eq!(roi_scratch_len(&img, &roi), Ok(0));
    }

    #[test]
    fn option_and_output_errors() {
        let px = [1i16; 16];
        let img = Image::new(ImageDescriptor::packed(PixelData::I16(&px), 4, 4, SP)).unwrap();
        let roi = Roi::circle_px(1.0, 1.0, 1.0);
        let bad = RoiOptions {
            window: ValueWindow { lo: 2.0, hi: 1.0 },
        };
        assert_eq!(roi_summary(&img, &roi, &bad), Err(Status::InvalidRange));
        let nan = RoiOptions {
            window: ValueWindow {
                lo: f64::NAN,
                hi: 1.0,
            },
        };
        assert_eq!(roi_summary(&img, &roi, &nan), Err(Status::NotFinite));
        let empty = RoiOptions {
            window: ValueWindow { lo: 2.0, hi: 3.0 },
        };
        assert_eq!(roi_summary(&img, &roi, &empty), Err(Status::RoiAllExcluded));
        let o = RoiOptions::default();
        let mut out = [7.0; 2];
        assert_eq!(
            roi_percentiles(&img, &roi, &o, &[0.5, 0.6, 0.7], &mut out, &mut []),
            Err(Status::BufferTooSmall)
        );
        assert_eq!(
            roi_percentiles(&img, &roi, &o, &[1.5], &mut out, &mut []),
            Err(Status::InvalidOption)
        );
        assert_eq!(
            roi_percentiles(&img, &roi, &o, &[f64::NAN], &mut out, &mut []),
            Err(Status::NotFinite)
        );
        assert_eq!(
            roi_percentiles(&img, &roi, &o, &[], &mut out, &mut []),
            Err(Status::EmptyInput)
        );
        assert_eq!(out, [7.0; 2]);
        let s = roi_stats(&img, &roi, &o, &mut []).unwrap();
        assert_eq!(
            (
                s.summary.count,
                s.summary.mean,
                s.median,
                s.summary.sd_sample
            ),
            (5, 1.0, 1.0, 0.0)
        );
        let one = roi_stats(&img, &Roi::circle_px(1.0, 1.0, 0.5), &o, &mut []).unwrap();
        assert!(one.summary.sd_sample.is_nan());
        assert_eq!(one.summary.sd_population, 0.0);
    }

    #[test]
    fn window_bounds_are_exact_on_rescaled_values() {
        // Values 0.1 · s − 3: the window [−2.7, −2.5] must keep s = 3, 4, 5 exactly as a test on
        // the rescaled f64 values would (0.1 · 3 − 3 = −2.7 exactly in f64? The binary search uses
        // the same expression, so whatever it rounds to, the test agrees).
        let px: Vec<i16> = (0..16).collect();
        let mut d = ImageDescriptor::packed(PixelData::I16(&px), 16, 1, SP);
        d.rescale = Rescale {
            slope: 0.1,
            intercept: -3.0,
        };
        let img = Image::new(d).unwrap();
        let w = ValueWindow { lo: -2.7, hi: -2.5 };
        let want = (0..16i16)
            .filter(|&s| {
                let v = f64::from(s) * 0.1 - 3.0;
                (-2.7..=-2.5).contains(&v)
            })
            .count() as u64;
        let rect = Roi::new(
            Shape::Rectangle(crate::roi::Rectangle {
                min: Point { x: 0.0, y: 0.0 },
                max: Point { x: 15.0, y: 0.0 },
            }),
            Units::Pixels,
        );
        let s = roi_summary(&img, &rect, &RoiOptions { window: w }).unwrap();
        assert_eq!(s.count, want);
        assert_eq!(s.window_excluded, 16 - want);
    }
}
