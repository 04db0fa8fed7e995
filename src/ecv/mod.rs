//! The extracellular volume (ECV) fraction.
//!
//! ECV = (1 − Hct) · Δtissue / Δblood, where Δ is the contrast-induced change of the same structure:
//!
//! | modality | Δ | function |
//! | --- | --- | --- |
//! | CT, single energy | equilibrium HU − unenhanced HU | [`ct_ecv`], [`ct_ecv_map`] |
//! | dual-energy CT | iodine concentration (mg/mL) in the equilibrium phase | [`dect_ecv`] |
//! | MRI T1 mapping | ΔR1 = 1/T1 post-contrast − 1/T1 native | [`mri_ecv`] |
//!
//! Sources: Fu et al., Sci Rep 2025 (the seed paper: tumor and liver ECV on CT, blood = abdominal
//! aorta at the same slice); the SCMR T1-mapping consensus (Messroghli et al., JCMR 2017) for MRI.
//! Hematocrit is a fraction in (0, 1) ([`Hematocrit`]); results are fractions (0.272), not percent.
//! Doubtful results are not clamped: they carry [`QualityFlags`].

mod flags;
mod formula;
mod hematocrit;
mod map;

pub use flags::QualityFlags;
pub use formula::{
    ct_ecv, dect_ecv, mri_ecv, Ecv, EcvOptions, PhaseValues, T1Values, DEFAULT_MIN_BLOOD_DELTA_HU,
};
pub use hematocrit::{
    BloodHuHematocritModel, Hematocrit, HematocritOrigin, T1HematocritModel,
    PHYSIOLOGICAL_HEMATOCRIT_MAX, PHYSIOLOGICAL_HEMATOCRIT_MIN,
};
pub use map::{ct_ecv_map, CtPhaseImages, EcvMapOptions, EcvMapSummary};
