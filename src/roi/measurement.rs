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
use crate::numeric::NeumaierSum;
use crate::roi::pool::{Pooling, RoiPool};
use crate::roi::shape::Roi;
use crate::roi::stats::{roi_summary, RoiOptions, ValueWindow};
use crate::status::Status;

/// The default minimum pixel count per ROI below which a result is flagged
/// ([`QualityFlags::FEW_PIXELS`]): 20. No published threshold exists; with a CT noise SD of
/// 10–20 HU per pixel, 20 pixels leave a standard error of the ROI mean of 2–5 HU, comparable to
/// the enhancement differences ECV is made of, so fewer deserves a flag. Set your own.
pub const DEFAULT_MIN_ROI_PIXELS: u64 = 20;

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

/// One reader's values of one structure on one phase.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhaseMeasurement {
    /// The tissue ROIs pooled (`MeasurementOptions::pooling`), HU.
    pub tissue_hu: f64,
    /// The aorta ROIs pooled likewise, HU.
    pub aorta_hu: f64,
    /// The smallest used-pixel count of the tissue ROIs.
    pub smallest_tissue_roi_pixels: u64,
    /// The smallest used-pixel count of the aorta ROIs.
    pub smallest_aorta_roi_pixels: u64,
}

/// One reader's values of one structure on both phases.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReaderMeasurement {
    /// Unenhanced phase.
    pub unenhanced: PhaseMeasurement,
    /// Equilibrium phase.
    pub equilibrium: PhaseMeasurement,
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

/// The pooled value of some ROIs on one image, and the smallest ROI's count.
fn pooled_value(
    image: &Image<'_>,
    rois: &[Roi<'_>],
    window: ValueWindow,
    pooling: Pooling,
) -> Result<(f64, u64), Status> {
    let options = RoiOptions { window };
    let mut pool = RoiPool::new();
    for roi in rois {
        pool.add(&roi_summary(image, roi, &options)?)?;
    }
    let pooled = pool.finish()?;
    Ok((pooled.mean(pooling), pooled.smallest_roi_count))
}

/// One reader's tissue and aorta values on one phase: each ROI's mean by [`roi_summary`] (with
/// the option's windows), pooled by `options.pooling`.
///
/// Errors: `EmptyInput` (no tissue or no aorta ROI), and those of [`roi_summary`].
pub fn measure_phase(
    phase: &PhaseRois<'_>,
    options: &MeasurementOptions,
) -> Result<PhaseMeasurement, Status> {
    let (tissue_hu, smallest_tissue_roi_pixels) = pooled_value(
        phase.image,
        phase.tissue,
        options.tissue_window,
        options.pooling,
    )?;
    let (aorta_hu, smallest_aorta_roi_pixels) = pooled_value(
        phase.image,
        phase.aorta,
        options.aorta_window,
        options.pooling,
    )?;
    Ok(PhaseMeasurement {
        tissue_hu,
        aorta_hu,
        smallest_tissue_roi_pixels,
        smallest_aorta_roi_pixels,
    })
}

/// One structure's ECV from its readers' values: the readers' tissue and aorta values are
/// averaged per phase (the seed paper averaged its two radiologists), then
/// ECV = (1 − Hct) · ΔHU_tissue / ΔHU_aorta ([`ct_ecv`]), flagged
/// [`QualityFlags::FEW_PIXELS`] when any ROI used fewer than `options.min_roi_pixels`.
///
/// Errors: `EmptyInput` (no reader), `NotFinite`, and those of [`ct_ecv`].
pub fn structure_ecv_from_readers(
    readers: &[ReaderMeasurement],
    hematocrit: Hematocrit,
    options: &MeasurementOptions,
) -> Result<StructureEcv, Status> {
    if readers.is_empty() {
        return Err(Status::EmptyInput);
    }
    let mut sums = [NeumaierSum::new(); 4];
    let (mut smallest_tissue, mut smallest_aorta) = (u64::MAX, u64::MAX);
    for r in readers {
        let values = [
            r.unenhanced.tissue_hu,
            r.equilibrium.tissue_hu,
            r.unenhanced.aorta_hu,
            r.equilibrium.aorta_hu,
        ];
        for (s, v) in sums.iter_mut().zip(values) {
            s.add(v);
        }
        for p in [r.unenhanced, r.equilibrium] {
            smallest_tissue = smallest_tissue.min(p.smallest_tissue_roi_pixels);
            smallest_aorta = smallest_aorta.min(p.smallest_aorta_roi_pixels);
        }
    }
    let n = readers.len() as f64;
    let [tu, te, au, ae] = sums.map(|s| s.total() / n);
    let tissue_hu = PhaseValues {
        unenhanced: tu,
        equilibrium: te,
    };
    let aorta_hu = PhaseValues {
        unenhanced: au,
        equilibrium: ae,
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
        readers: readers.len() as u64,
    })
}

/// The most readers [`structure_ct_ecv`] averages (their measurements are held on the stack): 8.
pub const MAX_READERS: usize = 8;

/// One structure's ECV from the ROIs of one or more readers: [`measure_phase`] for each reader
/// and phase, then [`structure_ecv_from_readers`].
///
/// Errors: `EmptyInput` (no reader, or a phase without tissue or aorta ROIs), `TooManyElements`
/// (more than [`MAX_READERS`] readers), those of [`roi_summary`] for any ROI, and those of
/// [`ct_ecv`].
pub fn structure_ct_ecv(
    readers: &[StructureRois<'_>],
    hematocrit: Hematocrit,
    options: &MeasurementOptions,
) -> Result<StructureEcv, Status> {
    // Checked before any ROI is measured, so that too many readers is reported as such, whatever
    // the ROIs; the push below then never fails.
    if readers.len() > MAX_READERS {
        return Err(Status::TooManyElements);
    }
    let mut measured = heapless::Vec::<ReaderMeasurement, MAX_READERS>::new();
    for r in readers {
        let m = ReaderMeasurement {
            unenhanced: measure_phase(&r.unenhanced, options)?,
            equilibrium: measure_phase(&r.equilibrium, options)?,
        };
        measured.push(m).map_err(|_| Status::TooManyElements)?;
    }
    structure_ecv_from_readers(&measured, hematocrit, options)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::{ImageDescriptor, PixelData, PixelSpacing, Rescale};

    const SP: PixelSpacing = PixelSpacing {
        row_mm: 0.75,
        col_mm: 0.75,
    };

    /// A 64 × 64 phantom: background 0 HU, liver (left half below row 32) `liver` HU, tumor disk
    /// (centre (44, 44), r 10 px) `tumor` HU, aorta disk (centre (32, 12), r 6 px) `aorta` HU;
    /// stored = HU + 1024.
    fn phantom(liver: i16, tumor: i16, aorta: i16) -> Vec<i16> {
        let mut px = vec![1024i16; 64 * 64];
        for r in 0..64i32 {
            for c in 0..64i32 {
                let hu = if (c - 44).pow(2) + (r - 44).pow(2) <= 100 {
                    tumor
                } else if (c - 32).pow(2) + (r - 12).pow(2) <= 36 {
                    aorta
                } else if c < 32 && r >= 32 {
                    liver
                } else {
                    0
                };
                px[(r * 64 + c) as usize] = hu + 1024;
            }
        }
        px
    }

    fn image(px: &[i16]) -> Image<'_> {
        let mut d = ImageDescriptor::packed(PixelData::I16(px), 64, 64, SP);
        d.rescale = Rescale {
            slope: 1.0,
            intercept: -1024.0,
        };
        Image::new(d).unwrap()
    }

    #[test]
    fn phantom_gives_the_closed_form_ecv() {
        let (un, eq) = (phantom(55, 40, 42), phantom(111, 117, 162));
        let (un, eq) = (image(&un), image(&eq));
        // mm coordinates: pixel (c, r) is at (0.75 c, 0.75 r).
        let tumor = [Roi::circle_mm(44.0 * 0.75, 44.0 * 0.75, 5.0)];
        let liver = [
            Roi::circle_mm(8.0 * 0.75, 40.0 * 0.75, 5.6),
            Roi::circle_mm(20.0 * 0.75, 50.0 * 0.75, 5.6),
            Roi::circle_mm(10.0 * 0.75, 58.0 * 0.75, 3.0),
        ];
        let aorta = [Roi::circle_mm(32.0 * 0.75, 12.0 * 0.75, 3.5)];
        let t = StructureRois {
            unenhanced: PhaseRois {
                image: &un,
                tissue: &tumor,
                aorta: &aorta,
            },
            equilibrium: PhaseRois {
                image: &eq,
                tissue: &tumor,
                aorta: &aorta,
            },
        };
        let l = StructureRois {
            unenhanced: PhaseRois {
                image: &un,
                tissue: &liver,
                aorta: &aorta,
            },
            equilibrium: PhaseRois {
                image: &eq,
                tissue: &liver,
                aorta: &aorta,
            },
        };
        let hct = Hematocrit::measured(0.40).unwrap();
        let m = tumor_and_liver_ct_ecv(&[t], &[l], hct, &MeasurementOptions::default()).unwrap();
        assert!((m.tumor.ecv.fraction - 0.6 * 77.0 / 120.0).abs() < 1e-14);
        assert!((m.liver.ecv.fraction - 0.6 * 56.0 / 120.0).abs() < 1e-14);
        assert_eq!(m.tumor.ecv.flags, QualityFlags::NONE);
        assert_eq!(m.liver.aorta_hu.equilibrium, 162.0);
        assert_eq!(m.liver.readers, 1);
        // The third liver ROI is small (r = 3 mm = 4 px: 49 pixels) but above 20.
        assert_eq!(m.liver.smallest_tissue_roi_pixels, 49);
        let strict = MeasurementOptions {
            min_roi_pixels: 50,
            ..MeasurementOptions::default()
        };
        let m = tumor_and_liver_ct_ecv(&[t], &[l], hct, &strict).unwrap();
        assert!(m.liver.ecv.flags.contains(QualityFlags::FEW_PIXELS));
        assert!(!m.tumor.ecv.flags.contains(QualityFlags::FEW_PIXELS));
    }

    #[test]
    fn readers_are_averaged_and_pooling_modes_differ() {
        // A horizontal gradient in the liver: HU = column, so ROI means are their centre columns.
        let mut un = vec![1024i16; 64 * 64];
        for (i, p) in un.iter_mut().enumerate() {
            *p += (i % 64) as i16;
        }
        let eq: Vec<i16> = un.iter().map(|&p| p + 50).collect();
        let mut aorta_eq = eq.clone();
        for r in 0..64 {
            for c in 0..64 {
                if (c as i32 - 50).pow(2) + (r as i32 - 10).pow(2) <= 16 {
                    aorta_eq[r * 64 + c] += 100; // aorta enhances 150 HU
                }
            }
        }
        let (un, eq) = (image(&un), image(&aorta_eq));
        let big = Roi::circle_px(10.0, 40.0, 6.0);
        let small = Roi::circle_px(30.0, 40.0, 2.0);
        let rois = [big, small];
        let aorta = [Roi::circle_px(50.0, 10.0, 4.0)];
        let phase = |img, t| PhaseRois {
            image: img,
            tissue: t,
            aorta: &aorta,
        };
        let r1 = StructureRois {
            unenhanced: phase(&un, &rois),
            equilibrium: phase(&eq, &rois),
        };
        let shifted = [
            Roi::circle_px(12.0, 40.0, 6.0),
            Roi::circle_px(32.0, 40.0, 2.0),
        ];
        let r2 = StructureRois {
            unenhanced: phase(&un, &shifted),
            equilibrium: phase(&eq, &shifted),
        };
        let hct = Hematocrit::measured(0.45).unwrap();
        let o = MeasurementOptions::default();
        let one = structure_ct_ecv(&[r1], hct, &o).unwrap();
        assert_eq!(one.tissue_hu.unenhanced, 20.0); // (10 + 30) / 2
        let both = structure_ct_ecv(&[r1, r2], hct, &o).unwrap();
        assert_eq!(both.tissue_hu.unenhanced, 21.0);
        assert_eq!(both.readers, 2);
        // Aorta: unenhanced mean of columns 46..54 = 50; equilibrium 50 + 150.
        assert_eq!(both.aorta_hu.unenhanced, 50.0);
        assert_eq!(both.aorta_hu.equilibrium, 200.0);
        assert!((both.ecv.fraction - 0.55 * 50.0 / 150.0).abs() < 1e-14);
        let weighted = MeasurementOptions {
            pooling: Pooling::PixelWeighted,
            ..o
        };
        let w = structure_ct_ecv(&[r1], hct, &weighted).unwrap();
        // 113 pixels at mean 10 and 13 at mean 30.
        assert!((w.tissue_hu.unenhanced - (113.0 * 10.0 + 13.0 * 30.0) / 126.0).abs() < 1e-12);
        assert_eq!(structure_ct_ecv(&[], hct, &o), Err(Status::EmptyInput));
        let none = StructureRois {
            unenhanced: phase(&un, &[]),
            equilibrium: phase(&eq, &rois),
        };
        assert_eq!(structure_ct_ecv(&[none], hct, &o), Err(Status::EmptyInput));
        assert_eq!(
            structure_ct_ecv(&[r1; 9], hct, &o),
            Err(Status::TooManyElements)
        );
    }
}
