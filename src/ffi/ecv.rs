//! C ABI of [`crate::ecv`]: ECV for CT, dual-energy CT and MRI, synthetic hematocrit, CT maps.

use super::{
    aliased, input_slice, output_slice, read_or_default, require_output, status_of, write_output,
    Span,
};
use crate::ecv::{
    ct_ecv, ct_ecv_map, dect_ecv, mri_ecv, BloodHuHematocritModel, CtPhaseImages, Ecv,
    EcvMapOptions, EcvMapSummary, EcvOptions, Hematocrit, HematocritOrigin, PhaseValues,
    T1HematocritModel, T1Values,
};
use crate::Status;

/// Flag: blood enhancement below the caller's minimum (`ecv_options`).
pub const ECV_FLAG_LOW_BLOOD_ENHANCEMENT: u32 = 1;
/// Flag: tissue enhancement negative, so ECV < 0.
pub const ECV_FLAG_NEGATIVE_ECV: u32 = 2;
/// Flag: ECV above 1 (100 %).
pub const ECV_FLAG_ECV_ABOVE_ONE: u32 = 4;
/// Flag: hematocrit outside the physiological range 0.15–0.65.
pub const ECV_FLAG_HEMATOCRIT_NON_PHYSIOLOGICAL: u32 = 8;
/// Flag: the hematocrit was synthetic (estimated from imaging), not measured.
pub const ECV_FLAG_SYNTHETIC_HEMATOCRIT: u32 = 16;
/// Flag: an ROI behind the value had fewer pixels than the caller's minimum.
pub const ECV_FLAG_FEW_PIXELS: u32 = 32;

/// A hematocrit as C passes it: a fraction in (0, 1) (0.42, never 42) and its origin
/// (an `ecv_hematocrit_origin` value, as `uint32_t`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvHematocrit {
    /// Hematocrit fraction in (0, 1).
    pub fraction: f64,
    /// `ECV_HEMATOCRIT_ORIGIN_MEASURED` (0) or `ECV_HEMATOCRIT_ORIGIN_SYNTHETIC` (1).
    pub origin: u32,
}

impl EcvHematocrit {
    fn to_core(self) -> Result<Hematocrit, Status> {
        Hematocrit::new(self.fraction, HematocritOrigin::try_from(self.origin)?)
    }

    fn from_core(h: Hematocrit) -> Self {
        EcvHematocrit {
            fraction: h.fraction(),
            origin: h.origin() as u32,
        }
    }
}

/// The default options: minimum blood enhancement 10 HU on CT, 0 for dual-energy iodine and MRI ΔR1.
#[no_mangle]
pub extern "C" fn ecv_options_default() -> EcvOptions {
    EcvOptions::default()
}

/// The default map options: fill NaN, plausible ECV range [0, 1].
#[no_mangle]
pub extern "C" fn ecv_map_options_default() -> EcvMapOptions {
    EcvMapOptions::default()
}

fn write_ecv(result: Result<Ecv, Status>, out: *mut Ecv) -> Status {
    // SAFETY: `out` was checked by require_output before the computation; the caller of the
    // extern function guarantees it is writable.
    status_of(result.and_then(|ecv| unsafe { write_output(out, ecv) }))
}

/// CT ECV = (1 − Hct) · (HU_tissue,eq − HU_tissue,un) / (HU_blood,eq − HU_blood,un).
///
/// Source: Fu et al., Sci Rep 2025. `options` may be NULL (defaults). On `ECV_OK`, `*out` holds
/// the fraction (0.3848 = 38.48 %) and `ECV_FLAG_*` bits; on any other status `*out` is untouched.
/// Statuses: `ECV_NULL_POINTER` (out), `ECV_NOT_FINITE`, `ECV_HEMATOCRIT_PERCENT` (e.g. 42),
/// `ECV_HEMATOCRIT_OUT_OF_RANGE`, `ECV_INVALID_ENUM_VALUE` (origin),
/// `ECV_BLOOD_ENHANCEMENT_ZERO`, `ECV_BLOOD_ENHANCEMENT_NEGATIVE`.
///
/// # Safety
/// `options` is NULL or points to a valid `ecv_options`; `out` points to writable memory for one
/// `ecv_result`.
#[no_mangle]
pub unsafe extern "C" fn ecv_ct(
    tissue: PhaseValues,
    blood: PhaseValues,
    hematocrit: EcvHematocrit,
    options: *const EcvOptions,
    out: *mut Ecv,
) -> Status {
    let result = require_output(out).and_then(|()| {
        // SAFETY: the caller guarantees `options` is NULL or valid.
        let options = unsafe { read_or_default(options) }?;
        ct_ecv(tissue, blood, hematocrit.to_core()?, &options)
    });
    write_ecv(result, out)
}

/// Dual-energy CT ECV = (1 − Hct) · I_tissue / I_blood (iodine in mg/mL, equilibrium phase).
///
/// Statuses as `ecv_ct`; `ECV_BLOOD_ENHANCEMENT_ZERO` when blood iodine is 0.
///
/// # Safety
/// As `ecv_ct`.
#[no_mangle]
pub unsafe extern "C" fn ecv_dect(
    tissue_iodine_mg_per_ml: f64,
    blood_iodine_mg_per_ml: f64,
    hematocrit: EcvHematocrit,
    options: *const EcvOptions,
    out: *mut Ecv,
) -> Status {
    let result = require_output(out).and_then(|()| {
        // SAFETY: the caller guarantees `options` is NULL or valid.
        let options = unsafe { read_or_default(options) }?;
        dect_ecv(
            tissue_iodine_mg_per_ml,
            blood_iodine_mg_per_ml,
            hematocrit.to_core()?,
            &options,
        )
    });
    write_ecv(result, out)
}

/// MRI ECV = (1 − Hct) · ΔR1_tissue / ΔR1_blood, R1 = 1/T1, T1 in ms (SCMR consensus 2017).
///
/// Statuses as `ecv_ct`, plus `ECV_T1_NOT_POSITIVE`.
///
/// # Safety
/// As `ecv_ct`.
#[no_mangle]
pub unsafe extern "C" fn ecv_mri(
    tissue: T1Values,
    blood: T1Values,
    hematocrit: EcvHematocrit,
    options: *const EcvOptions,
    out: *mut Ecv,
) -> Status {
    let result = require_output(out).and_then(|()| {
        // SAFETY: the caller guarantees `options` is NULL or valid.
        let options = unsafe { read_or_default(options) }?;
        mri_ecv(tissue, blood, hematocrit.to_core()?, &options)
    });
    write_ecv(result, out)
}

/// Synthetic hematocrit from unenhanced blood-pool HU: Hct = slope · HU + intercept
/// (Treibel et al. 2016 form; no preset: give your site's coefficients). `*out` gets
/// origin `ECV_HEMATOCRIT_ORIGIN_SYNTHETIC`.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_NOT_FINITE`, `ECV_SYNTHETIC_HEMATOCRIT_OUT_OF_RANGE`.
///
/// # Safety
/// `out` points to writable memory for one `ecv_hematocrit`.
#[no_mangle]
pub unsafe extern "C" fn ecv_hematocrit_from_blood_hu(
    model: BloodHuHematocritModel,
    blood_unenhanced_hu: f64,
    out: *mut EcvHematocrit,
) -> Status {
    let result = require_output(out)
        .and_then(|()| model.estimate(blood_unenhanced_hu))
        // SAFETY: `out` checked non-null above; the caller guarantees it is writable.
        .and_then(|h| unsafe { write_output(out, EcvHematocrit::from_core(h)) });
    status_of(result)
}

/// Synthetic hematocrit from blood T1 (ms): Hct = a_native / T1_native + b + c_post / T1_post.
/// `blood_t1_post_ms` is ignored when `model.c_post` is 0. `*out` gets origin
/// `ECV_HEMATOCRIT_ORIGIN_SYNTHETIC`.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_NOT_FINITE`, `ECV_T1_NOT_POSITIVE`,
/// `ECV_SYNTHETIC_HEMATOCRIT_OUT_OF_RANGE`.
///
/// # Safety
/// `out` points to writable memory for one `ecv_hematocrit`.
#[no_mangle]
pub unsafe extern "C" fn ecv_hematocrit_from_t1(
    model: T1HematocritModel,
    blood_t1_native_ms: f64,
    blood_t1_post_ms: f64,
    out: *mut EcvHematocrit,
) -> Status {
    let result = require_output(out)
        .and_then(|()| model.estimate(blood_t1_native_ms, blood_t1_post_ms))
        // SAFETY: `out` checked non-null above; the caller guarantees it is writable.
        .and_then(|h| unsafe { write_output(out, EcvHematocrit::from_core(h)) });
    status_of(result)
}

/// The 3 T MOLLI model of Reiter et al., Eur J Radiol 2024: Hct = 1355.52 / T1_native − 0.310.
#[no_mangle]
pub extern "C" fn ecv_t1_hematocrit_model_reiter_2024_3t_molli() -> T1HematocritModel {
    T1HematocritModel::REITER_2024_3T_MOLLI
}

/// Pixelwise CT ECV map: `out[i] = (1 − Hct) · (equilibrium[i] − unenhanced[i]) / ΔHU_blood`.
///
/// `unenhanced`, `equilibrium` (HU) and `mask` (NULL for none; nonzero = inside) hold
/// `n_pixels` values each; `out` has room for `out_capacity ≥ n_pixels` floats and must not
/// overlap the inputs. Pixels with a non-finite ECV or one outside the plausible range, and
/// pixels outside the mask, get `map_options->fill`. `options` and `map_options` may be NULL
/// (defaults). On `ECV_OK`, `out[0..n_pixels]` and `*summary` are written; otherwise neither is.
///
/// Statuses: `ECV_NULL_POINTER`, `ECV_EMPTY_INPUT` (n_pixels = 0), `ECV_BUFFER_TOO_SMALL`,
/// `ECV_BUFFERS_OVERLAP`, `ECV_INVALID_RANGE`, and those of `ecv_ct` for the blood and hematocrit.
///
/// # Safety
/// Each non-NULL input points to `n_pixels` readable values; `out` to `out_capacity` writable
/// floats; `summary` to one writable `ecv_map_summary`; options are NULL or valid.
#[no_mangle]
pub unsafe extern "C" fn ecv_ct_map(
    unenhanced: *const f32,
    equilibrium: *const f32,
    mask: *const u8,
    n_pixels: usize,
    blood: PhaseValues,
    hematocrit: EcvHematocrit,
    options: *const EcvOptions,
    map_options: *const EcvMapOptions,
    out: *mut f32,
    out_capacity: usize,
    summary: *mut EcvMapSummary,
) -> Status {
    // SAFETY (whole block): each pointer is checked for NULL and alignment by the helpers; the
    // caller guarantees the lengths given.
    let result = (|| unsafe {
        require_output(summary)?;
        if unenhanced.is_null() || equilibrium.is_null() || out.is_null() {
            return Err(Status::NullPointer);
        }
        let inputs = [
            Span::of(unenhanced, n_pixels),
            Span::of(equilibrium, n_pixels),
            Span::of(mask, n_pixels),
        ];
        if aliased(&[Span::of(out, out_capacity)], &inputs) {
            return Err(Status::BuffersOverlap);
        }
        let unenhanced = input_slice(unenhanced, n_pixels)?;
        let equilibrium = input_slice(equilibrium, n_pixels)?;
        let mask = if mask.is_null() {
            None
        } else {
            Some(input_slice(mask, n_pixels)?)
        };
        let out = output_slice(out, out_capacity)?;
        let options = read_or_default(options)?;
        let map_options = read_or_default(map_options)?;
        let images = CtPhaseImages {
            unenhanced,
            equilibrium,
            mask,
        };
        let s = ct_ecv_map(
            images,
            blood,
            hematocrit.to_core()?,
            &options,
            &map_options,
            out,
        )?;
        write_output(summary, s)
    })();
    status_of(result)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ecv::QualityFlags;

    #[test]
    fn c_flag_values_equal_the_core_flags() {
        let pairs = [
            (
                ECV_FLAG_LOW_BLOOD_ENHANCEMENT,
                QualityFlags::LOW_BLOOD_ENHANCEMENT,
            ),
            (ECV_FLAG_NEGATIVE_ECV, QualityFlags::NEGATIVE_ECV),
            (ECV_FLAG_ECV_ABOVE_ONE, QualityFlags::ECV_ABOVE_ONE),
            (
                ECV_FLAG_HEMATOCRIT_NON_PHYSIOLOGICAL,
                QualityFlags::HEMATOCRIT_NON_PHYSIOLOGICAL,
            ),
            (
                ECV_FLAG_SYNTHETIC_HEMATOCRIT,
                QualityFlags::SYNTHETIC_HEMATOCRIT,
            ),
            (ECV_FLAG_FEW_PIXELS, QualityFlags::FEW_PIXELS),
        ];
        for (c, core) in pairs {
            assert_eq!(c, core.bits());
        }
    }

    #[test]
    fn nothing_is_written_on_failure() {
        let mut out = Ecv {
            fraction: -7.0,
            flags: QualityFlags(99),
        };
        let tissue = PhaseValues {
            unenhanced: 40.0,
            equilibrium: 116.96,
        };
        let blood = PhaseValues {
            unenhanced: 42.0,
            equilibrium: 162.0,
        };
        let percent = EcvHematocrit {
            fraction: 40.0,
            origin: 0,
        };
        // SAFETY: valid pointers.
        let s = unsafe { ecv_ct(tissue, blood, percent, core::ptr::null(), &mut out) };
        assert_eq!(s, Status::HematocritPercent);
        assert_eq!(out.fraction, -7.0);
        let bad_origin = EcvHematocrit {
            fraction: 0.4,
            origin: 7,
        };
        // SAFETY: valid pointers.
        let s = unsafe { ecv_ct(tissue, blood, bad_origin, core::ptr::null(), &mut out) };
        assert_eq!(s, Status::InvalidEnumValue);
        let ok = EcvHematocrit {
            fraction: 0.4,
            origin: 0,
        };
        // SAFETY: null output is checked.
        let s = unsafe { ecv_ct(tissue, blood, ok, core::ptr::null(), core::ptr::null_mut()) };
        assert_eq!(s, Status::NullPointer);
        // SAFETY: valid pointers.
        let s = unsafe { ecv_ct(tissue, blood, ok, core::ptr::null(), &mut out) };
        assert_eq!(s, Status::Ok);
        assert!((out.fraction - 0.3848).abs() < 1e-12);
    }

    #[test]
    fn map_rejects_an_output_that_aliases_an_input() {
        let mut buf = [40.0f32; 8];
        let eq = [100.0f32; 4];
        let mut summary = EcvMapSummary::default();
        let blood = PhaseValues {
            unenhanced: 42.0,
            equilibrium: 162.0,
        };
        let hct = EcvHematocrit {
            fraction: 0.4,
            origin: 0,
        };
        let p = buf.as_mut_ptr();
        // SAFETY: all pointers valid for the lengths given; the aliasing is what is tested.
        let s = unsafe {
            ecv_ct_map(
                p,
                eq.as_ptr(),
                core::ptr::null(),
                4,
                blood,
                hct,
                core::ptr::null(),
                core::ptr::null(),
                p.add(2),
                4,
                &mut summary,
            )
        };
        assert_eq!(s, Status::BuffersOverlap);
        assert_eq!(buf, [40.0; 8]);
    }
}
