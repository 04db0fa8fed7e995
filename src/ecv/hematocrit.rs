//! Hematocrit: measured, or synthetic from blood-pool attenuation or native blood T1.

use crate::ecv::QualityFlags;
use crate::status::{require_finite, Status};

/// Lower end of the physiological hematocrit range (about 0.15–0.65): outside it a hematocrit is
/// accepted and the result flagged `HEMATOCRIT_NON_PHYSIOLOGICAL`.
pub const PHYSIOLOGICAL_HEMATOCRIT_MIN: f64 = 0.15;
/// Upper end of the physiological hematocrit range (see [`PHYSIOLOGICAL_HEMATOCRIT_MIN`]).
pub const PHYSIOLOGICAL_HEMATOCRIT_MAX: f64 = 0.65;

/// Where a hematocrit value came from. In C: `ECV_HEMATOCRIT_ORIGIN_MEASURED`,
/// `ECV_HEMATOCRIT_ORIGIN_SYNTHETIC`.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum HematocritOrigin {
    /// Measured in a blood sample.
    Measured = 0,
    /// Estimated by a synthetic-hematocrit model; every ECV from it carries
    /// [`QualityFlags::SYNTHETIC_HEMATOCRIT`].
    Synthetic = 1,
}

impl TryFrom<u32> for HematocritOrigin {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(HematocritOrigin::Measured),
            1 => Ok(HematocritOrigin::Synthetic),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// A hematocrit fraction in the open interval (0, 1), with its origin. It can only be built valid.
///
/// A value above 1 is almost always a percent typed by a human (42 instead of 0.42): it is
/// rejected with [`Status::HematocritPercent`], never guessed. Values outside the physiological
/// range 0.15–0.65 are accepted and flagged ([`QualityFlags::HEMATOCRIT_NON_PHYSIOLOGICAL`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Hematocrit {
    fraction: f64,
    origin: HematocritOrigin,
}

impl Hematocrit {
    /// A measured hematocrit.
    ///
    /// Errors: `NotFinite` (NaN, ±∞); `HematocritPercent` for a value in (1, 100];
    /// `HematocritOutOfRange` for ≤ 0, exactly 1, or > 100.
    pub fn measured(fraction: f64) -> Result<Self, Status> {
        Self::new(fraction, HematocritOrigin::Measured)
    }

    /// A hematocrit of the given origin, validated as [`Hematocrit::measured`] describes.
    pub fn new(fraction: f64, origin: HematocritOrigin) -> Result<Self, Status> {
        require_finite(fraction)?;
        if fraction > 1.0 && fraction <= 100.0 {
            return Err(Status::HematocritPercent);
        }
        if fraction <= 0.0 || fraction >= 1.0 {
            return Err(Status::HematocritOutOfRange);
        }
        Ok(Hematocrit { fraction, origin })
    }

    /// The fraction, in (0, 1).
    pub fn fraction(self) -> f64 {
        self.fraction
    }

    /// Where the value came from.
    pub fn origin(self) -> HematocritOrigin {
        self.origin
    }

    /// `true` inside the physiological range 0.15–0.65 (inclusive).
    pub fn is_physiological(self) -> bool {
        (PHYSIOLOGICAL_HEMATOCRIT_MIN..=PHYSIOLOGICAL_HEMATOCRIT_MAX).contains(&self.fraction)
    }

    /// The flags any ECV computed from this hematocrit carries.
    pub fn flags(self) -> QualityFlags {
        QualityFlags::NONE
            .with_if(
                QualityFlags::HEMATOCRIT_NON_PHYSIOLOGICAL,
                !self.is_physiological(),
            )
            .with_if(
                QualityFlags::SYNTHETIC_HEMATOCRIT,
                self.origin == HematocritOrigin::Synthetic,
            )
    }

    fn synthetic(fraction: f64) -> Result<Self, Status> {
        require_finite(fraction)?;
        if fraction <= 0.0 || fraction >= 1.0 {
            return Err(Status::SyntheticHematocritOutOfRange);
        }
        Self::new(fraction, HematocritOrigin::Synthetic)
    }
}

/// Synthetic hematocrit linear in unenhanced blood-pool attenuation (CT):
/// Hct = `slope` · HU_blood,unenhanced + `intercept`.
///
/// The form of Treibel et al., Circ Cardiovasc Imaging 2016. Published coefficients differ by
/// scanner, kVp and blood pool and several misclassify patients (Shang et al., JCMR 2018), so
/// ecvkit ships no preset: give the coefficients your site validated.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BloodHuHematocritModel {
    /// Hematocrit per HU.
    pub slope: f64,
    /// Hematocrit at 0 HU.
    pub intercept: f64,
}

impl BloodHuHematocritModel {
    /// The synthetic hematocrit for an unenhanced blood-pool attenuation in HU.
    ///
    /// Errors: `NotFinite`; `SyntheticHematocritOutOfRange` when the model leaves (0, 1).
    pub fn estimate(&self, blood_unenhanced_hu: f64) -> Result<Hematocrit, Status> {
        require_finite(self.slope)?;
        require_finite(self.intercept)?;
        require_finite(blood_unenhanced_hu)?;
        Hematocrit::synthetic(self.slope * blood_unenhanced_hu + self.intercept)
    }
}

/// Synthetic hematocrit linear in blood R1 = 1/T1 (MRI), optionally with a post-contrast term:
/// Hct = `a_native` / T1_native + `b` + `c_post` / T1_post, T1 in ms.
///
/// The form of Treibel et al. 2016 (native term) and its extensions with a post-contrast term.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct T1HematocritModel {
    /// Coefficient of 1 / T1_native (ms).
    pub a_native: f64,
    /// Constant term.
    pub b: f64,
    /// Coefficient of 1 / T1_post (ms); 0 for a native-only model.
    pub c_post: f64,
}

impl T1HematocritModel {
    /// 3 T MOLLI: Hct = 1355.52 / T1_native − 0.310 (Reiter et al., Eur J Radiol 2024).
    ///
    /// Not in the C header as a constant (a struct constant needs designated initializers,
    /// which C++ before C++20 refuses): a C caller gets it from
    /// `ecv_t1_hematocrit_model_reiter_2024_3t_molli()`.
    ///
    /// cbindgen:ignore
    pub const REITER_2024_3T_MOLLI: T1HematocritModel = T1HematocritModel {
        a_native: 1355.52,
        b: -0.310,
        c_post: 0.0,
    };

    /// The synthetic hematocrit for native (and, when `c_post` ≠ 0, post-contrast) blood T1 in ms.
    /// `blood_t1_post_ms` is ignored when `c_post` is 0.
    ///
    /// Errors: `NotFinite`; `T1NotPositive`; `SyntheticHematocritOutOfRange`.
    pub fn estimate(
        &self,
        blood_t1_native_ms: f64,
        blood_t1_post_ms: f64,
    ) -> Result<Hematocrit, Status> {
        require_finite(self.a_native)?;
        require_finite(self.b)?;
        require_finite(self.c_post)?;
        require_finite(blood_t1_native_ms)?;
        if blood_t1_native_ms <= 0.0 {
            return Err(Status::T1NotPositive);
        }
        let mut hct = self.a_native / blood_t1_native_ms + self.b;
        if self.c_post != 0.0 {
            require_finite(blood_t1_post_ms)?;
            if blood_t1_post_ms <= 0.0 {
                return Err(Status::T1NotPositive);
            }
            hct += self.c_post / blood_t1_post_ms;
        }
        Hematocrit::synthetic(hct)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_is_its_own_error() {
        assert_eq!(Hematocrit::measured(42.0), Err(Status::HematocritPercent));
        assert_eq!(Hematocrit::measured(100.0), Err(Status::HematocritPercent));
        assert_eq!(Hematocrit::measured(1.0), Err(Status::HematocritOutOfRange));
        assert_eq!(Hematocrit::measured(0.0), Err(Status::HematocritOutOfRange));
        assert_eq!(
            Hematocrit::measured(-0.4),
            Err(Status::HematocritOutOfRange)
        );
        assert_eq!(
            Hematocrit::measured(420.0),
            Err(Status::HematocritOutOfRange)
        );
        assert_eq!(Hematocrit::measured(f64::NAN), Err(Status::NotFinite));
        assert_eq!(
            Hematocrit::measured(0.42).map(Hematocrit::fraction),
            Ok(0.42)
        );
    }

    #[test]
    fn flags_mark_non_physiological_and_synthetic() {
        let low = Hematocrit::measured(0.10).unwrap();
        assert_eq!(low.flags(), QualityFlags::HEMATOCRIT_NON_PHYSIOLOGICAL);
        assert!(Hematocrit::measured(0.15).unwrap().flags().is_empty());
        assert!(Hematocrit::measured(0.65).unwrap().flags().is_empty());
        let syn = Hematocrit::new(0.4, HematocritOrigin::Synthetic).unwrap();
        assert_eq!(syn.flags(), QualityFlags::SYNTHETIC_HEMATOCRIT);
    }

    #[test]
    fn reiter_preset_gives_the_published_formula() {
        // 1355.52 / 1650 − 0.310 = 0.511527...
        let hct = T1HematocritModel::REITER_2024_3T_MOLLI
            .estimate(1650.0, f64::NAN)
            .unwrap();
        assert!((hct.fraction() - (1355.52 / 1650.0 - 0.310)).abs() < 1e-15);
        assert_eq!(hct.origin(), HematocritOrigin::Synthetic);
        assert_eq!(
            T1HematocritModel::REITER_2024_3T_MOLLI.estimate(0.0, 1.0),
            Err(Status::T1NotPositive)
        );
        // T1 = 1000 ms gives 1.0455: outside (0, 1).
        assert_eq!(
            T1HematocritModel::REITER_2024_3T_MOLLI.estimate(1000.0, 1.0),
            Err(Status::SyntheticHematocritOutOfRange)
        );
    }

    #[test]
    fn post_contrast_term_is_used_only_when_nonzero() {
        let m = T1HematocritModel {
            a_native: 600.0,
            b: 0.0,
            c_post: 60.0,
        };
        let hct = m.estimate(1500.0, 300.0).unwrap();
        assert!((hct.fraction() - (0.4 + 0.2)).abs() < 1e-15);
        assert_eq!(m.estimate(1500.0, -1.0), Err(Status::T1NotPositive));
    }

    #[test]
    fn blood_hu_model_is_linear() {
        let m = BloodHuHematocritModel {
            slope: 0.009,
            intercept: 0.05,
        };
        let hct = m.estimate(40.0).unwrap();
        assert!((hct.fraction() - 0.41).abs() < 1e-15);
        assert_eq!(
            m.estimate(200.0),
            Err(Status::SyntheticHematocritOutOfRange)
        );
        assert_eq!(m.estimate(f64::INFINITY), Err(Status::NotFinite));
    }

    #[test]
    fn origin_from_integer_rejects_unknown_values() {
        assert_eq!(
            HematocritOrigin::try_from(1),
            Ok(HematocritOrigin::Synthetic)
        );
        assert_eq!(HematocritOrigin::try_from(2), Err(Status::InvalidEnumValue));
    }
}
