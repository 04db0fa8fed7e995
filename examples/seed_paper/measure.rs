//! The ROI step: each patient's phantom slices measured by the two simulated readers with
//! ecvkit's ROI API (`roi::measure_phase`: the ROI means, three liver ROIs pooled as the mean of
//! their means as the paper did), giving one [`ReaderMeasurement`] per reader and structure.
//!
//! Its output is the per-reader HU table `examples/data/measurements.csv` (what the R reference
//! reads, so R's inputs are provably the pipeline's); a test checks the ROI step reproduces it
//! bit for bit.

use crate::cohort::{Cohort, Patient};
use crate::phantom::{self, Phase, READERS};
use ecvkit::roi::{
    measure_phase, MeasurementOptions, PhaseMeasurement, PhaseRois, ReaderMeasurement, Roi,
};
use ecvkit::Status;

/// One reader's values for one patient: the tumor (with the aorta of its slice) and the liver
/// (with the aorta of its slice; the phantom has one slice, so both aortas are the same ROI).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ReaderHu {
    /// Tumor and aorta, both phases.
    pub tumor: ReaderMeasurement,
    /// Liver (mean of three ROI means) and aorta, both phases.
    pub liver: ReaderMeasurement,
}

/// All readers' values for one patient.
#[derive(Clone, Debug, PartialEq)]
pub struct PatientMeasurement {
    /// Patient identifier.
    pub id: String,
    /// One entry per reader.
    pub readers: Vec<ReaderHu>,
}

fn phase_pair(un: PhaseMeasurement, eq: PhaseMeasurement) -> ReaderMeasurement {
    ReaderMeasurement {
        unenhanced: un,
        equilibrium: eq,
    }
}

/// Draws the patient's phantom and measures it with both readers. Errors: the status of the
/// first ROI that fails (none does on the shipped cohort).
pub fn measure_phantom(patient: &Patient) -> Result<PatientMeasurement, Status> {
    let spec = patient.phantom.ok_or(Status::EmptyInput)?;
    let slices = Phase::BOTH.map(|phase| phantom::render(&spec, &patient.ct, phase));
    let [un_image, eq_image] = [phantom::image(&slices[0])?, phantom::image(&slices[1])?];
    let options = MeasurementOptions::default();
    let mut readers = Vec::with_capacity(READERS);
    for reader in 0..READERS {
        let rois = phantom::reader_rois(&spec, reader);
        let mut tumor = [None; 2];
        let mut liver = [None; 2];
        for (k, (phase, image)) in Phase::BOTH.iter().zip([&un_image, &eq_image]).enumerate() {
            let r = rois.phase(*phase);
            let tumor_roi = [r.tumor.roi()];
            let liver_rois: [Roi<'_>; 3] = r.liver.map(|c| c.roi());
            let aorta_roi = [r.aorta.roi()];
            tumor[k] = Some(measure_phase(
                &PhaseRois {
                    image,
                    tissue: &tumor_roi,
                    aorta: &aorta_roi,
                },
                &options,
            )?);
            liver[k] = Some(measure_phase(
                &PhaseRois {
                    image,
                    tissue: &liver_rois,
                    aorta: &aorta_roi,
                },
                &options,
            )?);
        }
        let get = |m: [Option<PhaseMeasurement>; 2]| -> Result<ReaderMeasurement, Status> {
            match m {
                [Some(u), Some(e)] => Ok(phase_pair(u, e)),
                _ => Err(Status::EmptyInput),
            }
        };
        readers.push(ReaderHu {
            tumor: get(tumor)?,
            liver: get(liver)?,
        });
    }
    Ok(PatientMeasurement {
        id: patient.id.clone(),
        readers,
    })
}

/// A user's CSV without phantoms: its HU columns are one (already averaged) reading.
pub fn from_csv_values(patient: &Patient) -> PatientMeasurement {
    let phase = |tissue: f64, aorta: f64| PhaseMeasurement {
        tissue_hu: tissue,
        aorta_hu: aorta,
        smallest_tissue_roi_pixels: u64::MAX,
        smallest_aorta_roi_pixels: u64::MAX,
    };
    let ct = &patient.ct;
    let structure = |t: crate::cohort::PhasePair| ReaderMeasurement {
        unenhanced: phase(t.unenhanced, ct.aorta.unenhanced),
        equilibrium: phase(t.equilibrium, ct.aorta.equilibrium),
    };
    PatientMeasurement {
        id: patient.id.clone(),
        readers: vec![ReaderHu {
            tumor: structure(ct.tumor),
            liver: structure(ct.liver),
        }],
    }
}

/// The ROI step over the cohort: phantoms when the CSV has them, else the CSV's HU.
/// `progress(done, total)` is called after each patient.
pub fn measure_cohort(
    cohort: &Cohort,
    mut progress: impl FnMut(usize, usize),
) -> Result<Vec<PatientMeasurement>, String> {
    let total = cohort.patients.len();
    let mut out = Vec::with_capacity(total);
    for (i, p) in cohort.patients.iter().enumerate() {
        let m = if p.phantom.is_some() {
            measure_phantom(p).map_err(|s| {
                format!(
                    "line {}: patient {}: ROI measurement failed: {s}",
                    p.line, p.id
                )
            })?
        } else {
            from_csv_values(p)
        };
        out.push(m);
        progress(i + 1, total);
    }
    Ok(out)
}

/// The header of `measurements.csv`.
pub const MEASUREMENTS_HEADER: &str = "id,reader,tumor_hu_unenhanced,tumor_hu_equilibrium,\
liver_hu_unenhanced,liver_hu_equilibrium,aorta_hu_unenhanced,aorta_hu_equilibrium,\
tumor_roi_pixels_min,liver_roi_pixels_min,aorta_roi_pixels_min";

/// The per-reader HU table, one line per patient and reader, numbers in Rust's shortest
/// round-trip form (parsing them gives back the same f64 bits).
pub fn measurements_csv(measurements: &[PatientMeasurement]) -> String {
    let mut s = String::from(MEASUREMENTS_HEADER);
    s.push('\n');
    for m in measurements {
        for (k, r) in m.readers.iter().enumerate() {
            let (t, l) = (r.tumor, r.liver);
            let min2 = |a: u64, b: u64| a.min(b);
            s.push_str(&format!(
                "{},{},{:?},{:?},{:?},{:?},{:?},{:?},{},{},{}\n",
                m.id,
                k + 1,
                t.unenhanced.tissue_hu,
                t.equilibrium.tissue_hu,
                l.unenhanced.tissue_hu,
                l.equilibrium.tissue_hu,
                t.unenhanced.aorta_hu,
                t.equilibrium.aorta_hu,
                min2(
                    t.unenhanced.smallest_tissue_roi_pixels,
                    t.equilibrium.smallest_tissue_roi_pixels
                ),
                min2(
                    l.unenhanced.smallest_tissue_roi_pixels,
                    l.equilibrium.smallest_tissue_roi_pixels
                ),
                min2(
                    t.unenhanced.smallest_aorta_roi_pixels,
                    t.equilibrium.smallest_aorta_roi_pixels
                ),
            ));
        }
    }
    s
}

/// Reads a table written by [`measurements_csv`] back (for the statistics without the ROI step,
/// e.g. the R cross-check): one [`PatientMeasurement`] per id, readers in file order.
pub fn parse_measurements_csv(text: &str) -> Result<Vec<PatientMeasurement>, String> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    match lines.next() {
        Some((_, h)) if h.trim() == MEASUREMENTS_HEADER => {}
        _ => return Err(format!("line 1: expected the header {MEASUREMENTS_HEADER}")),
    }
    let mut out: Vec<PatientMeasurement> = Vec::new();
    for (i, line) in lines {
        let cells: Vec<&str> = line.split(',').map(str::trim).collect();
        let bad = || {
            format!(
                "line {}: expected 11 cells: numbers after id and reader",
                i + 1
            )
        };
        if cells.len() != 11 {
            return Err(bad());
        }
        let f = |k: usize| cells[k].parse::<f64>().map_err(|_| bad());
        let u = |k: usize| cells[k].parse::<u64>().map_err(|_| bad());
        let phase = |tissue: f64, aorta: f64, tp: u64, ap: u64| PhaseMeasurement {
            tissue_hu: tissue,
            aorta_hu: aorta,
            smallest_tissue_roi_pixels: tp,
            smallest_aorta_roi_pixels: ap,
        };
        let (tp, lp, ap) = (u(8)?, u(9)?, u(10)?);
        let reader = ReaderHu {
            tumor: ReaderMeasurement {
                unenhanced: phase(f(2)?, f(6)?, tp, ap),
                equilibrium: phase(f(3)?, f(7)?, tp, ap),
            },
            liver: ReaderMeasurement {
                unenhanced: phase(f(4)?, f(6)?, lp, ap),
                equilibrium: phase(f(5)?, f(7)?, lp, ap),
            },
        };
        match out.last_mut() {
            Some(last) if last.id == cells[0] => last.readers.push(reader),
            _ => out.push(PatientMeasurement {
                id: cells[0].to_string(),
                readers: vec![reader],
            }),
        }
    }
    Ok(out)
}
