//! The seed paper's whole measurement in one call: tumor and liver ROIs with the aorta at the
//! same level, on an unenhanced and an equilibrium image, plus hematocrit → tumor ECV and liver
//! ECV with their quality flags.
//!
//! Fu et al., Sci Rep 2025: one circular or oval ROI "as large as possible" in the tumor at its
//! largest diameter; three liver ROIs of about 100 mm² averaged; an aorta ROI of about 100 mm² at
//! the same level, in the same place on both phases; the values of two readers averaged;
//! ECV = (1 − Hct) · ΔHU_tissue / ΔHU_aorta, with the aorta of the tumor's plane for the tumor
//! and of the liver's plane for the liver. Each structure therefore brings its own images and
//! aorta ROIs (pass the same ones when tumor and liver share a slice).

use crate::ecv::{ct_ecv, Ecv, EcvOptions, Hematocrit, PhaseValues, QualityFlags};
use crate::image::Image;
use crate::roi::pool::{pool_rois, reader_average, Pooling};
use crate::roi::shape::Roi;
use crate::roi::stats::{roi_summary, RoiOptions, RoiSummary, ValueWindow};
use crate::status::Status;

/// The default minimum pixel count per ROI below which a result is flagged
/// ([`QualityFlags::FEW_PIXELS`]): 20. No published threshold exists; with a CT noise SD of
/// 10–20 HU per pixel, 20 pixels leave a standard error of the ROI mean of 2–5 HU, comparable to
/// the enhancement differences ECV is made of, so fewer deserves a flag. Set your own.
pub const DEFAULT_MIN_ROI_PIXELS: u64 = 20;

/// The most ROIs one structure may have on one phase for one reader (the ROI summaries are held
/// on the stack): 16.
pub const MAX_ROIS_PER_STRUCTURE: usize = 16;

/// The most readers per structure: 8.
pub const MAX_READERS: usize = 8;

/// One reader's ROIs of one structure on one phase image.
#[derive(Clone, Copy, Debug)]
pub struct PhaseRois<'a> {
    /// The phase image (the slice through the structure).
    pub image: &'a Image<'a>,
    /// ROIs on the tissue (one tumor ROI, or the three liver ROIs), at least one.
    pub tissue: &'a [Roi<'a>],
    /// ROIs on the aorta at the same level, at least one (usually one).
    pub aorta: &'a [Roi<'a>],
}

/// One reader's ROIs of one structure on both phases.
#[derive(Clone, Copy, Debug)]
pub struct StructureRois<'a> {
    /// Unenhanced phase.
    pub unenhanced: PhaseRois<'a>,
    /// Equilibrium phase.
    pub equilibrium: PhaseRois<'a>,
}

/// Options of the measurement.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MeasurementOptions {
    /// How several ROIs on one structure make one value; default the mean of ROI means (the
    /// paper's average of three liver ROIs).
    pub pooling: Pooling,
    /// ROIs with fewer used pixels flag the result [`QualityFlags::FEW_PIXELS`]; default
    /// [`DEFAULT_MIN_ROI_PIXELS`].
    pub min_roi_pixels: u64,
    /// Values kept in tissue ROIs (e.g. exclude calcification); default all.
    pub tissue_window: ValueWindow,
    /// Values kept in aorta ROIs (e.g. exclude wall calcification); default all.
    pub aorta_window: ValueWindow,
    /// The ECV options (minimum blood enhancement).
    pub ecv: EcvOptions,
}

impl Default for MeasurementOptions {
    fn default() -> Self {
        MeasurementOptions {
            pooling: Pooling::MeanOfMeans,
            min_roi_pixels: DEFAULT_MIN_ROI_PIXELS,
            tissue_window: ValueWindow::ALL,
            aorta_window: ValueWindow::ALL,
            ecv: EcvOptions::default(),
        }
    }
}

/// The ECV of one structure and the values behind it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StructureEcv {
    /// ECV fraction and flags (those of [`ct_ecv`] plus [`QualityFlags::FEW_PIXELS`]).
    pub ecv: Ecv,
    /// Tissue value per phase (pooled over ROIs, averaged over readers), HU.
    pub tissue_hu: PhaseValues,
    /// Aorta value per phase (pooled over ROIs, averaged over readers), HU.
    pub aorta_hu: PhaseValues,
    /// The smallest used-pixel count of any tissue ROI (any phase, any reader).
    pub smallest_tissue_roi_pixels: u64,
    /// The smallest used-pixel count of any aorta ROI.
    pub smallest_aorta_roi_pixels: u64,
    /// Number of readers averaged.
    pub readers: u64,
}

/// Tumor and liver ECV of one patient.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CtEcvMeasurement {
    /// Tumor ECV (the seed paper's cutoff: 27.2 %).
    pub tumor: StructureEcv,
    /// Liver ECV (the seed paper's cutoff: 29.0 %).
    pub liver: StructureEcv,
}

/// The pooled mean of some ROIs on one image, and the smallest ROI's count.
fn pooled_value(
    image: &Image<'_>,
    rois: &[Roi<'_>],
    window: ValueWindow,
    pooling: Pooling,
) -> Result<(f64, u64), Status> {
    if rois.is_empty() {
        return Err(Status::EmptyInput);
    }
    if rois.len() > MAX_ROIS_PER_STRUCTURE {
        return Err(Status::TooManyElements);
    }
    let options = RoiOptions { window };
    let mut summaries = [EMPTY_SUMMARY; MAX_ROIS_PER_STRUCTURE];
    for (slot, roi) in summaries.iter_mut().zip(rois) {
        *slot = roi_summary(image, roi, &options)?;
    }
    let pooled = pool_rois(summaries.get(..rois.len()).unwrap_or(&[]))?;
    Ok((pooled.mean(pooling), pooled.smallest_roi_count))
}

const EMPTY_SUMMARY: RoiSummary = RoiSummary {
    count: 0,
    shape_pixels: 0,
    padding_pixels: 0,
    window_excluded: 0,
    non_finite_pixels: 0,
    clipping: crate::roi::raster::Clipping::Inside,
    area_mm2: 0.0,
    analytic_area_mm2: 0.0,
    sum: 0.0,
    mean: 0.0,
    sd_sample: 0.0,
    sd_population: 0.0,
    min: 0.0,
    max: 0.0,
};

/// One structure's ECV from the ROIs of one or more readers: per reader and phase, the tissue
/// ROIs are pooled (`options.pooling`) and so are the aorta ROIs; the readers' values are then
/// averaged per structure and phase, and ECV = (1 − Hct) · ΔHU_tissue / ΔHU_aorta ([`ct_ecv`]).
/// [`QualityFlags::FEW_PIXELS`] is added when any ROI used fewer than `options.min_roi_pixels`.
///
/// Errors: `EmptyInput` (no reader, or a phase without tissue or aorta ROIs), `TooManyElements`
/// (more than [`MAX_READERS`] readers or [`MAX_ROIS_PER_STRUCTURE`] ROIs), the errors of
/// [`roi_summary`] for any ROI, and those of [`ct_ecv`].
pub fn structure_ct_ecv(
    readers: &[StructureRois<'_>],
    hematocrit: Hematocrit,
    options: &MeasurementOptions,
) -> Result<StructureEcv, Status> {
    if readers.is_empty() {
        return Err(Status::EmptyInput);
    }
    if readers.len() > MAX_READERS {
        return Err(Status::TooManyElements);
    }
    let mut values = [[0.0f64; MAX_READERS]; 4];
    let (mut smallest_tissue, mut smallest_aorta) = (u64::MAX, u64::MAX);
    for (i, reader) in readers.iter().enumerate() {
        let phases = [reader.unenhanced, reader.equilibrium];
        for (p, phase) in phases.iter().enumerate() {
            let (tissue, nt) = pooled_value(
                phase.image,
                phase.tissue,
                options.tissue_window,
                options.pooling,
            )?;
            let (aorta, na) = pooled_value(
                phase.image,
                phase.aorta,
                options.aorta_window,
                options.pooling,
            )?;
            smallest_tissue = smallest_tissue.min(nt);
            smallest_aorta = smallest_aorta.min(na);
            if let Some(v) = values.get_mut(p).and_then(|row| row.get_mut(i)) {
                *v = tissue;
            }
            if let Some(v) = values.get_mut(p + 2).and_then(|row| row.get_mut(i)) {
                *v = aorta;
            }
        }
    }
    let n = readers.len();
    let average = |row: usize| -> Result<f64, Status> {
        reader_average(values.get(row).and_then(|r| r.get(..n)).unwrap_or(&[]))
    };
    let tissue_hu = PhaseValues {
        unenhanced: average(0)?,
        equilibrium: average(1)?,
    };
    let aorta_hu = PhaseValues {
        unenhanced: average(2)?,
        equilibrium: average(3)?,
    };
    let ecv = ct_ecv(tissue_hu, aorta_hu, hematocrit, &options.ecv)?;
    let few = smallest_tissue < options.min_roi_pixels || smallest_aorta < options.min_roi_pixels;
    Ok(StructureEcv {
        ecv: Ecv {
            fraction: ecv.fraction,
            flags: ecv.flags.with_if(QualityFlags::FEW_PIXELS, few),
        },
        tissue_hu,
        aorta_hu,
        smallest_tissue_roi_pixels: smallest_tissue,
        smallest_aorta_roi_pixels: smallest_aorta,
        readers: n as u64,
    })
}

/// Tumor and liver ECV of one patient in one call (the seed paper's measurement): each structure
/// as [`structure_ct_ecv`], with one hematocrit.
///
/// Errors: those of [`structure_ct_ecv`] for either structure.
pub fn tumor_and_liver_ct_ecv(
    tumor: &[StructureRois<'_>],
    liver: &[StructureRois<'_>],
    hematocrit: Hematocrit,
    options: &MeasurementOptions,
) -> Result<CtEcvMeasurement, Status> {
    Ok(CtEcvMeasurement {
        tumor: structure_ct_ecv(tumor, hematocrit, options)?,
        liver: structure_ct_ecv(liver, hematocrit, options)?,
    })
}
