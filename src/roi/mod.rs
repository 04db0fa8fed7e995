//! Regions of interest on raw pixel buffers: shapes → row spans → statistics, several ROIs on one
//! structure, and the seed paper's whole ECV measurement.
//!
//! Conventions, and which tool each matches:
//! - A pixel belongs to a shape when its centre lies inside, boundary included: ImageJ's rule for
//!   ovals; ITK and 3D Slicer count label voxels by their centres the same way.
//! - Shapes ([`Shape`]): circle, rotated ellipse, axis-aligned rectangle, polygon (even-odd rule,
//!   as PNPOLY, with its edges and vertices included) and a caller mask, in pixel units or in mm
//!   ([`Units`]; Pixel Spacing converts, so a mm circle is an ellipse in pixels when Δx ≠ Δy).
//!   Shapes partly outside the image are clipped; one wholly outside is `RoiOutsideImage`.
//! - Values are modality values (stored · slope + intercept, HU on CT) after masking to Bits
//!   Stored; padding is matched on stored values and excluded ([`crate::image`]).
//! - SD both ways, named: `sd_sample` (n − 1: ITK, Slicer, ImageJ, Horos, R `sd`) and
//!   `sd_population` (n: pyradiomics, Cornerstone/OHIF, Weasis, NumPy `std`).
//! - Median and percentiles by R's type 7 (NumPy's default "linear").
//! - Several ROIs: mean of ROI means (the seed paper) and pixel-weighted pooled mean, both named.
//!
//! Integer pixels are summed exactly and their order statistics come from counting passes over
//! the ROI (no scratch); f32 pixels need caller scratch for order statistics only
//! ([`roi_scratch_len`]). Nothing allocates; rasterisation walks each row's span of the shape.
//!
//! ```
//! use ecvkit::image::{Image, ImageDescriptor, PixelData, PixelSpacing, Rescale, Padding};
//! use ecvkit::roi::{roi_stats, Roi, RoiOptions, ValueWindow};
//!
//! // 8 × 8 CT slice, stored = HU + 1024, padding −2000 in the first row.
//! let mut px = [1064i16; 64]; // 40 HU
//! px[..8].fill(-2000);
//! px[8 * 4 + 4] = 1024 + 900; // one calcified pixel
//! let mut d = ImageDescriptor::packed(PixelData::I16(&px), 8, 8, PixelSpacing::from_dicom([0.7, 0.7]));
//! d.rescale = Rescale { slope: 1.0, intercept: -1024.0 };
//! d.padding = Padding::Value(-2000.0);
//! let image = Image::new(d)?;
//! let options = RoiOptions { window: ValueWindow { lo: -100.0, hi: 300.0 } };
//! let s = roi_stats(&image, &Roi::circle_px(4.0, 3.0, 3.0), &options, &mut [])?;
//! assert_eq!(s.summary.padding_pixels, 1);   // (4, 0) is padding
//! assert_eq!(s.summary.window_excluded, 1);  // the calcification
//! assert_eq!(s.summary.count, 29 - 2);       // 29 pixel centres inside the circle
//! assert_eq!((s.summary.mean, s.median), (40.0, 40.0));
//! # Ok::<(), ecvkit::Status>(())
//! ```

mod measurement;
mod pool;
mod raster;
mod select;
mod shape;
mod stats;

pub use measurement::{
    measure_phase, structure_ct_ecv, structure_ecv_from_readers, tumor_and_liver_ct_ecv,
    CtEcvMeasurement, MeasurementOptions, PhaseMeasurement, PhaseRois, ReaderMeasurement,
    StructureEcv, StructureRois, DEFAULT_MIN_ROI_PIXELS, MAX_READERS,
};
pub use pool::{pool_rois, reader_average, PooledStats, Pooling, RoiPool};
pub use raster::{Clipping, MAX_POLYGON_CROSSINGS_PER_ROW};
pub use shape::{Circle, Ellipse, Mask, Point, Rectangle, Roi, Shape, Units};
pub use stats::{
    roi_percentiles, roi_scratch_len, roi_stats, roi_summary, RoiOptions, RoiStats, RoiSummary,
    ValueWindow,
};
