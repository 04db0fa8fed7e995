//! The ECV formulas for CT, dual-energy CT and MRI.

use crate::ecv::{Hematocrit, QualityFlags};
use crate::status::{require_finite, Status};

/// The default minimum blood enhancement on CT, in HU. No published threshold exists, so this is
/// a conservative default; below it the result is flagged (exactly 0 is always an error).
pub const DEFAULT_MIN_BLOOD_DELTA_HU: f64 = 10.0;

/// Mean values of one structure in the two CT phases, in HU.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PhaseValues {
    /// Unenhanced (native) phase.
    pub unenhanced: f64,
    /// Equilibrium phase (the seed paper: 120–180 s after injection).
    pub equilibrium: f64,
}

impl PhaseValues {
    /// Equilibrium − unenhanced, after checking both are finite.
    fn enhancement(self) -> Result<f64, Status> {
        Ok(require_finite(self.equilibrium)? - require_finite(self.unenhanced)?)
    }
}

/// T1 relaxation times of one structure before and after gadolinium, in ms.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct T1Values {
    /// Native (pre-contrast) T1, ms.
    pub native_ms: f64,
    /// Post-contrast T1, ms.
    pub post_ms: f64,
}

impl T1Values {
    /// ΔR1 = 1000 / T1_post − 1000 / T1_native, in 1/s.
    fn delta_r1_per_s(self) -> Result<f64, Status> {
        let native = require_finite(self.native_ms)?;
        let post = require_finite(self.post_ms)?;
        if native <= 0.0 || post <= 0.0 {
            return Err(Status::T1NotPositive);
        }
        Ok(1000.0 / post - 1000.0 / native)
    }
}

/// Thresholds below which blood enhancement is flagged ([`QualityFlags::LOW_BLOOD_ENHANCEMENT`]),
/// one per modality because their units differ. Exactly zero is always an error.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvOptions {
    /// CT: minimum aorta equilibrium − unenhanced, HU, below which the result is flagged
    /// `LOW_BLOOD_ENHANCEMENT`. Default 10; 0 or below never flags (a negative enhancement is
    /// refused on its own with `BloodEnhancementNegative`).
    pub min_blood_delta_hu: f64,
    /// Dual-energy CT: minimum blood iodine, mg/mL. Default 0 (no published threshold).
    pub min_blood_iodine_mg_per_ml: f64,
    /// MRI: minimum blood ΔR1, 1/s. Default 0 (no published threshold).
    pub min_blood_delta_r1_per_s: f64,
}

impl Default for EcvOptions {
    fn default() -> Self {
        EcvOptions {
            min_blood_delta_hu: DEFAULT_MIN_BLOOD_DELTA_HU,
            min_blood_iodine_mg_per_ml: 0.0,
            min_blood_delta_r1_per_s: 0.0,
        }
    }
}

/// An ECV fraction with its quality flags.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Ecv {
    /// ECV as a fraction (0.272 means 27.2 %). Not clamped: see `flags`.
    pub fraction: f64,
    /// What is doubtful about it.
    pub flags: QualityFlags,
}

/// The shared core: ECV = (1 − Hct) · Δtissue / Δblood with its quality flags (low blood
/// enhancement, negative ECV, ECV above one, non-physiological or synthetic hematocrit): flags,
/// not silent clamps; only inputs that make the number meaningless are errors.
fn ecv_from_deltas(
    delta_tissue: f64,
    delta_blood: f64,
    hct: Hematocrit,
    min_blood_delta: f64,
) -> Result<Ecv, Status> {
    require_finite(min_blood_delta)?;
    if delta_blood == 0.0 {
        return Err(Status::BloodEnhancementZero);
    }
    if delta_blood < 0.0 {
        return Err(Status::BloodEnhancementNegative);
    }
    let fraction = (1.0 - hct.fraction()) * delta_tissue / delta_blood;
    require_finite(fraction)?;
    let flags = hct
        .flags()
        .with_if(
            QualityFlags::LOW_BLOOD_ENHANCEMENT,
            delta_blood < min_blood_delta,
        )
        .with_if(QualityFlags::NEGATIVE_ECV, fraction < 0.0)
        .with_if(QualityFlags::ECV_ABOVE_ONE, fraction > 1.0);
    Ok(Ecv { fraction, flags })
}

/// CT ECV: (1 − Hct) · (HU_tissue,eq − HU_tissue,un) / (HU_blood,eq − HU_blood,un).
///
/// Source: Fu et al., Sci Rep 2025 (tumor and liver ECV; blood = abdominal aorta at the same
/// slice). Errors: `NotFinite`, `BloodEnhancementZero`, `BloodEnhancementNegative`.
///
/// ```
/// use ecvkit::ecv::{ct_ecv, EcvOptions, Hematocrit, PhaseValues};
/// // Liver of the seed paper's Fig. 1 case: 28.07 %.
/// let liver = PhaseValues { unenhanced: 55.0, equilibrium: 111.14 };
/// let aorta = PhaseValues { unenhanced: 42.0, equilibrium: 162.0 };
/// let ecv = ct_ecv(liver, aorta, Hematocrit::measured(0.40)?, &EcvOptions::default())?;
/// assert!((ecv.fraction - 0.2807).abs() < 1e-12);
/// # Ok::<(), ecvkit::Status>(())
/// ```
pub fn ct_ecv(
    tissue: PhaseValues,
    blood: PhaseValues,
    hct: Hematocrit,
    options: &EcvOptions,
) -> Result<Ecv, Status> {
    ecv_from_deltas(
        tissue.enhancement()?,
        blood.enhancement()?,
        hct,
        options.min_blood_delta_hu,
    )
}

/// Dual-energy CT ECV: (1 − Hct) · I_tissue / I_blood, iodine concentrations (mg/mL) from the
/// equilibrium-phase iodine map; no unenhanced scan is needed.
///
/// Errors: `NotFinite`, `BloodEnhancementZero` (I_blood = 0), `BloodEnhancementNegative`.
pub fn dect_ecv(
    tissue_iodine_mg_per_ml: f64,
    blood_iodine_mg_per_ml: f64,
    hct: Hematocrit,
    options: &EcvOptions,
) -> Result<Ecv, Status> {
    ecv_from_deltas(
        require_finite(tissue_iodine_mg_per_ml)?,
        require_finite(blood_iodine_mg_per_ml)?,
        hct,
        options.min_blood_iodine_mg_per_ml,
    )
}

/// MRI ECV: (1 − Hct) · ΔR1_tissue / ΔR1_blood with R1 = 1/T1 and ΔR1 = R1_post − R1_native
/// (SCMR consensus, Messroghli et al., JCMR 2017; Kellman et al.). T1 in ms.
///
/// Errors: `NotFinite`, `T1NotPositive`, `BloodEnhancementZero`, `BloodEnhancementNegative`.
pub fn mri_ecv(
    tissue: T1Values,
    blood: T1Values,
    hct: Hematocrit,
    options: &EcvOptions,
) -> Result<Ecv, Status> {
    ecv_from_deltas(
        tissue.delta_r1_per_s()?,
        blood.delta_r1_per_s()?,
        hct,
        options.min_blood_delta_r1_per_s,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecv::HematocritOrigin;
    use proptest::prelude::*;

    fn hct(x: f64) -> Hematocrit {
        Hematocrit::measured(x).unwrap()
    }

    /// The seed paper's Fig. 1 case: tumor ECV 38.48 %, liver ECV 28.07 %. The paper does not
    /// print its HU values; these are chosen (Hct 0.40, aorta 42 → 162 HU, ΔHU_blood = 120) so that
    /// 0.6 · 76.96 / 120 = 0.3848 and 0.6 · 56.14 / 120 = 0.2807.
    #[test]
    fn seed_paper_fig1_worked_example() {
        let aorta = PhaseValues {
            unenhanced: 42.0,
            equilibrium: 162.0,
        };
        let tumor = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 116.96,
        };
        let liver = PhaseValues {
            unenhanced: 55.0,
            equilibrium: 111.14,
        };
        let o = EcvOptions::default();
        let t = ct_ecv(tumor, aorta, hct(0.40), &o).unwrap();
        let l = ct_ecv(liver, aorta, hct(0.40), &o).unwrap();
        assert!((t.fraction - 0.3848).abs() < 1e-12, "{}", t.fraction);
        assert!((l.fraction - 0.2807).abs() < 1e-12, "{}", l.fraction);
        assert!(t.flags.is_empty() && l.flags.is_empty());
    }

    #[test]
    fn blood_enhancement_zero_and_negative_are_errors() {
        let t = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 80.0,
        };
        let flat = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 40.0,
        };
        let down = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 30.0,
        };
        let o = EcvOptions::default();
        assert_eq!(
            ct_ecv(t, flat, hct(0.4), &o),
            Err(Status::BloodEnhancementZero)
        );
        assert_eq!(
            ct_ecv(t, down, hct(0.4), &o),
            Err(Status::BloodEnhancementNegative)
        );
    }

    #[test]
    fn flags_low_blood_negative_and_above_one() {
        let o = EcvOptions::default();
        let blood = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 45.0,
        };
        let r = ct_ecv(
            PhaseValues {
                unenhanced: 0.0,
                equilibrium: 20.0,
            },
            blood,
            hct(0.4),
            &o,
        );
        let r = r.unwrap();
        assert!(r.flags.contains(QualityFlags::LOW_BLOOD_ENHANCEMENT));
        assert!(r.flags.contains(QualityFlags::ECV_ABOVE_ONE));
        assert!((r.fraction - 2.4).abs() < 1e-12);
        let blood = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 160.0,
        };
        let r = ct_ecv(
            PhaseValues {
                unenhanced: 50.0,
                equilibrium: 40.0,
            },
            blood,
            hct(0.4),
            &o,
        );
        assert_eq!(r.unwrap().flags, QualityFlags::NEGATIVE_ECV);
    }

    #[test]
    fn non_finite_inputs_are_rejected() {
        let ok = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 160.0,
        };
        let nan = PhaseValues {
            unenhanced: f64::NAN,
            equilibrium: 160.0,
        };
        let o = EcvOptions::default();
        assert_eq!(ct_ecv(nan, ok, hct(0.4), &o), Err(Status::NotFinite));
        assert_eq!(ct_ecv(ok, nan, hct(0.4), &o), Err(Status::NotFinite));
        assert_eq!(
            dect_ecv(f64::INFINITY, 1.0, hct(0.4), &o),
            Err(Status::NotFinite)
        );
        let bad = EcvOptions {
            min_blood_delta_hu: f64::NAN,
            ..o
        };
        assert_eq!(ct_ecv(ok, ok, hct(0.4), &bad), Err(Status::NotFinite));
    }

    #[test]
    fn mri_myocardium_example() {
        // Typical 1.5 T values: myocardium 1000 → 450 ms, blood 1600 → 300 ms, Hct 0.42.
        let myo = T1Values {
            native_ms: 1000.0,
            post_ms: 450.0,
        };
        let blood = T1Values {
            native_ms: 1600.0,
            post_ms: 300.0,
        };
        let r = mri_ecv(myo, blood, hct(0.42), &EcvOptions::default()).unwrap();
        let expected = 0.58 * (1.0 / 450.0 - 1.0 / 1000.0) / (1.0 / 300.0 - 1.0 / 1600.0);
        assert!((r.fraction - expected).abs() < 1e-14);
        assert!(r.fraction > 0.2 && r.fraction < 0.3);
        let zero = T1Values {
            native_ms: 0.0,
            post_ms: 300.0,
        };
        assert_eq!(
            mri_ecv(myo, zero, hct(0.42), &EcvOptions::default()),
            Err(Status::T1NotPositive)
        );
    }

    #[test]
    fn synthetic_hematocrit_is_flagged_on_the_result() {
        let h = Hematocrit::new(0.4, HematocritOrigin::Synthetic).unwrap();
        let r = dect_ecv(1.0, 4.0, h, &EcvOptions::default()).unwrap();
        assert!((r.fraction - 0.15).abs() < 1e-15);
        assert_eq!(r.flags, QualityFlags::SYNTHETIC_HEMATOCRIT);
    }

    fn hu() -> impl Strategy<Value = f64> {
        -200.0f64..400.0
    }

    proptest! {
        #[test]
        fn ct_ecv_is_unchanged_by_a_common_hu_shift(
            tu in hu(), te in hu(), bu in hu(), db in 20.0f64..300.0,
            h in 0.2f64..0.6, shift in -1000.0f64..1000.0,
        ) {
            let o = EcvOptions::default();
            let be = bu + db;
            let a = ct_ecv(PhaseValues { unenhanced: tu, equilibrium: te },
                PhaseValues { unenhanced: bu, equilibrium: be }, hct(h), &o).unwrap();
            let b = ct_ecv(PhaseValues { unenhanced: tu + shift, equilibrium: te + shift },
                PhaseValues { unenhanced: bu + shift, equilibrium: be + shift }, hct(h), &o).unwrap();
            // The shift is exact in real arithmetic; in f64 each HU sum rounds once (≤ 1e-13 HU
            // at these magnitudes), so the ratio agrees to about 1e-12 absolute.
            prop_assert!((a.fraction - b.fraction).abs() <= 1e-11 * (1.0 + a.fraction.abs()));
            prop_assert_eq!(a.flags, b.flags);
        }

        #[test]
        fn ecv_scales_linearly_with_one_minus_hematocrit(
            dt in -50.0f64..200.0, db in 20.0f64..300.0, h1 in 0.05f64..0.95, h2 in 0.05f64..0.95,
        ) {
            let o = EcvOptions::default();
            let a = dect_ecv(dt, db, hct(h1), &o).unwrap().fraction;
            let b = dect_ecv(dt, db, hct(h2), &o).unwrap().fraction;
            prop_assert!((a * (1.0 - h2) - b * (1.0 - h1)).abs() <= 1e-12 * (1.0 + a.abs()));
        }

        #[test]
        fn ct_and_dect_agree_when_iodine_is_proportional_to_delta_hu(
            tu in hu(), dt in -50.0f64..200.0, bu in hu(), db in 20.0f64..300.0,
            h in 0.2f64..0.6, hu_per_mg in 20.0f64..30.0,
        ) {
            let o = EcvOptions { min_blood_iodine_mg_per_ml: 10.0 / hu_per_mg, ..EcvOptions::default() };
            let ct = ct_ecv(PhaseValues { unenhanced: tu, equilibrium: tu + dt },
                PhaseValues { unenhanced: bu, equilibrium: bu + db }, hct(h), &o).unwrap();
            let de = dect_ecv(dt / hu_per_mg, db / hu_per_mg, hct(h), &o).unwrap();
            prop_assert!((ct.fraction - de.fraction).abs() <= 1e-11 * (1.0 + ct.fraction.abs()));
            prop_assert_eq!(ct.flags, de.flags);
        }
    }
}
