//! ROI statistics and ECV on real DICOM files: dicom-rs reads the file, ecvkit measures.
//!
//! ```text
//! cargo run --release --example dicom_roi -- FILE ROI [ROI ...]
//! cargo run --release --example dicom_roi -- --unenhanced FILE --equilibrium FILE \
//!     --hematocrit 0.42 --tumor ROI --liver ROI [--liver ROI ...] --aorta ROI
//! ```
//!
//! ROIs: `circle-mm:CX,CY,R`, `ellipse-px:CX,CY,A,B,ANGLE_DEG`, `rect-mm:X0,Y0,X1,Y1`,
//! `polygon-px:X,Y;X,Y;X,Y` (see `examples/dicom_roi/roi_spec.rs`). Example on the CT slice the
//! repository ships (pydicom's CT_small.dcm):
//!
//! ```text
//! cargo run --release --example dicom_roi -- tests/data/CT_small.dcm circle-mm:40.1,45.3,5.64 circle-px:64,64,20
//! ```
//!
//! The stored pixels go to ecvkit with Rescale Slope / Intercept, Bits Stored, Pixel
//! Representation, Pixel Padding Value and Pixel Spacing as the file gives them; ecvkit masks,
//! sign-extends, excludes padding and rescales (DICOM PS3.3 C.7.6.3, C.11.1.1.2, C.7.5.1.1.2).
//! In the ECV mode the tumor, liver and aorta ROIs are placed at the same coordinates on both
//! phases (one reader), and ECV = (1 − Hct) · ΔHU_tissue / ΔHU_aorta with ecvkit's quality flags.

#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "dicom_roi/dicom_image.rs"]
mod dicom_image;
#[allow(dead_code)] // shared by the example and its tests; each uses a part
#[path = "dicom_roi/roi_spec.rs"]
mod roi_spec;

use ecvkit::ecv::QualityFlags;
use ecvkit::image::Padding;
use ecvkit::roi::{roi_percentiles, roi_scratch_len, Roi, RoiOptions};
use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: dicom_roi FILE ROI [ROI ...]\n       dicom_roi --unenhanced FILE --equilibrium FILE --hematocrit H --tumor ROI --liver ROI [--liver ROI ...] --aorta ROI\nROI: circle-mm:CX,CY,R | circle-px:.. | ellipse-mm:CX,CY,A,B,DEG | rect-mm:X0,Y0,X1,Y1 | polygon-px:X,Y;X,Y;X,Y";

fn describe(path: &std::path::Path, d: &dicom_image::DicomImage) {
    let kind = match &d.pixels {
        dicom_image::StoredPixels::U8(_) => "unsigned 8-bit",
        dicom_image::StoredPixels::I8(_) => "signed 8-bit",
        dicom_image::StoredPixels::U16(_) => "unsigned 16-bit",
        dicom_image::StoredPixels::I16(_) => "signed 16-bit",
        dicom_image::StoredPixels::U32(_) => "unsigned 32-bit",
        dicom_image::StoredPixels::I32(_) => "signed 32-bit",
    };
    let padding = match d.padding {
        Padding::None => "none".to_string(),
        Padding::Value(v) => format!("{v}"),
        Padding::Range { value, range_limit } => format!("{value} ..= {range_limit}"),
    };
    println!(
        "{}: {} x {} {kind}, Bits Stored {}, rescale {} * stored + {}, spacing (row, col) = ({}, {}) mm, padding {padding}",
        path.display(),
        d.columns,
        d.rows,
        d.bits_stored,
        d.rescale.slope,
        d.rescale.intercept,
        d.spacing.row_mm,
        d.spacing.col_mm
    );
}

/// One ROI's statistics line.
fn stats_line(
    image: &ecvkit::image::Image<'_>,
    spec: &roi_spec::RoiSpec,
) -> Result<String, String> {
    let roi = spec.roi();
    let mut scratch =
        vec![0.0; roi_scratch_len(image, &roi).map_err(|s| format!("{}: {s}", spec.text))?];
    let probs = [0.05, 0.25, 0.5, 0.75, 0.95];
    let mut q = [0.0; 5];
    let s = roi_percentiles(
        image,
        &roi,
        &RoiOptions::default(),
        &probs,
        &mut q,
        &mut scratch,
    )
    .map_err(|st| format!("{}: {st}", spec.text))?;
    Ok(format!(
        "{}\n  n {} (padding excluded {}{}), area {:.2} mm² (shape {:.2} mm²)\n  mean {:.3}  SD {:.3} (n-1) / {:.3} (n)  min {}  max {}\n  median {}  P5 {}  P25 {}  P75 {}  P95 {}",
        spec.text,
        s.count,
        s.padding_pixels,
        if s.clipping == ecvkit::roi::Clipping::Clipped { ", clipped at the image edge" } else { "" },
        s.area_mm2,
        s.analytic_area_mm2,
        s.mean,
        s.sd_sample,
        s.sd_population,
        s.min,
        s.max,
        q[2],
        q[0],
        q[1],
        q[3],
        q[4]
    ))
}

fn rois(v: &[roi_spec::RoiSpec]) -> Vec<Roi<'_>> {
    v.iter().map(|s| s.roi()).collect()
}

fn flag_names(flags: QualityFlags) -> String {
    let names = [
        (QualityFlags::LOW_BLOOD_ENHANCEMENT, "low blood enhancement"),
        (QualityFlags::NEGATIVE_ECV, "negative ECV"),
        (QualityFlags::ECV_ABOVE_ONE, "ECV above 100 %"),
        (
            QualityFlags::HEMATOCRIT_NON_PHYSIOLOGICAL,
            "hematocrit outside 0.15-0.65",
        ),
        (QualityFlags::SYNTHETIC_HEMATOCRIT, "synthetic hematocrit"),
        (QualityFlags::FEW_PIXELS, "an ROI has few pixels"),
    ];
    let v: Vec<&str> = names
        .iter()
        .filter(|(f, _)| flags.contains(*f))
        .map(|(_, n)| *n)
        .collect();
    if v.is_empty() {
        "none".into()
    } else {
        v.join(", ")
    }
}

struct EcvArgs {
    unenhanced: PathBuf,
    equilibrium: PathBuf,
    hematocrit: f64,
    tumor: Vec<roi_spec::RoiSpec>,
    liver: Vec<roi_spec::RoiSpec>,
    aorta: Vec<roi_spec::RoiSpec>,
}

fn ecv_mode(a: EcvArgs) -> Result<(), String> {
    let un = dicom_image::load(&a.unenhanced)?;
    let eq = dicom_image::load(&a.equilibrium)?;
    describe(&a.unenhanced, &un);
    describe(&a.equilibrium, &eq);
    let (tumor, liver, aorta) = (rois(&a.tumor), rois(&a.liver), rois(&a.aorta));
    let structure = |tissue: &[Roi<'_>], name: &str| -> Result<(), String> {
        let e = dicom_image::structure_ecv(&un, &eq, a.hematocrit, tissue, &aorta)
            .map_err(|s| format!("{name} ECV: {s}"))?;
        println!(
            "{name} ECV {:.2} %  ({name} {:.2} -> {:.2} HU, aorta {:.2} -> {:.2} HU, hematocrit {})  flags: {}",
            100.0 * e.ecv.fraction,
            e.tissue_hu.unenhanced,
            e.tissue_hu.equilibrium,
            e.aorta_hu.unenhanced,
            e.aorta_hu.equilibrium,
            a.hematocrit,
            flag_names(e.ecv.flags)
        );
        Ok(())
    };
    if !tumor.is_empty() {
        structure(&tumor, "tumor")?;
    }
    if !liver.is_empty() {
        structure(&liver, "liver")?;
    }
    Ok(())
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() || args.iter().any(|a| a == "-h" || a == "--help") {
        return Err(USAGE.into());
    }
    if args[0].starts_with("--") {
        let mut e = EcvArgs {
            unenhanced: PathBuf::new(),
            equilibrium: PathBuf::new(),
            hematocrit: f64::NAN,
            tumor: Vec::new(),
            liver: Vec::new(),
            aorta: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it.next().ok_or(format!("{flag} needs a value\n{USAGE}"))?;
            match flag.as_str() {
                "--unenhanced" => e.unenhanced = PathBuf::from(value),
                "--equilibrium" => e.equilibrium = PathBuf::from(value),
                "--hematocrit" => {
                    e.hematocrit = value
                        .parse()
                        .map_err(|_| format!("--hematocrit '{value}' is not a number"))?
                }
                "--tumor" => e.tumor.push(roi_spec::parse(value)?),
                "--liver" => e.liver.push(roi_spec::parse(value)?),
                "--aorta" => e.aorta.push(roi_spec::parse(value)?),
                f => return Err(format!("unknown option {f}\n{USAGE}")),
            }
        }
        if e.unenhanced.as_os_str().is_empty()
            || e.equilibrium.as_os_str().is_empty()
            || e.hematocrit.is_nan()
            || e.aorta.is_empty()
            || (e.tumor.is_empty() && e.liver.is_empty())
        {
            return Err(format!("the ECV mode needs --unenhanced, --equilibrium, --hematocrit, --aorta and --tumor or --liver\n{USAGE}"));
        }
        return ecv_mode(e);
    }
    let path = PathBuf::from(&args[0]);
    let specs: Result<Vec<_>, _> = args[1..].iter().map(|s| roi_spec::parse(s)).collect();
    let specs = specs?;
    if specs.is_empty() {
        return Err(format!("no ROI given\n{USAGE}"));
    }
    let d = dicom_image::load(&path)?;
    describe(&path, &d);
    let image = d.image().map_err(|s| format!("{}: {s}", path.display()))?;
    for s in &specs {
        println!("{}", stats_line(&image, s)?);
    }
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dicom_roi: {e}");
            ExitCode::from(2)
        }
    }
}
