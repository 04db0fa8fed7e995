//! Pixelwise ECV maps on co-registered CT images.

use crate::ecv::{ct_ecv, Ecv, EcvOptions, Hematocrit, PhaseValues, QualityFlags};
use crate::status::{require_finite, Status};

/// The two co-registered CT phases of a map, in HU, and an optional mask (nonzero = inside), all
/// of one length and one pixel order.
#[derive(Clone, Copy, Debug)]
pub struct CtPhaseImages<'a> {
    /// Unenhanced phase, HU.
    pub unenhanced: &'a [f32],
    /// Equilibrium phase, HU.
    pub equilibrium: &'a [f32],
    /// Pixels to compute (nonzero); `None` computes every pixel.
    pub mask: Option<&'a [u8]>,
}

/// How a pixelwise map marks pixels it cannot trust.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EcvMapOptions {
    /// Written where the pixel's ECV is not finite or outside [`plausible_min`, `plausible_max`],
    /// and where the mask is 0. Default NaN (what ITK and NumPy users expect); choose e.g. −1 for
    /// displays that cannot show NaN.
    ///
    /// [`plausible_min`]: EcvMapOptions::plausible_min
    /// [`plausible_max`]: EcvMapOptions::plausible_max
    pub fill: f32,
    /// Lowest ECV kept (fraction). Default 0.
    pub plausible_min: f64,
    /// Highest ECV kept (fraction). Default 1.
    pub plausible_max: f64,
}

impl Default for EcvMapOptions {
    fn default() -> Self {
        EcvMapOptions {
            fill: f32::NAN,
            plausible_min: 0.0,
            plausible_max: 1.0,
        }
    }
}

/// What a map computation did besides writing the map.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct EcvMapSummary {
    /// Pixels inside the mask whose ECV was not finite or outside the plausible range (filled).
    pub invalid_pixels: usize,
    /// Pixels outside the mask (filled, not counted as invalid).
    pub masked_pixels: usize,
    /// The scalar ECV of one unit of tissue enhancement per unit of blood enhancement, i.e.
    /// (1 − Hct) / ΔHU_blood, the factor applied to every pixel's ΔHU.
    pub factor_per_hu: f64,
    /// Flags of the blood and hematocrit (low blood enhancement, hematocrit), plus
    /// `NEGATIVE_ECV` / `ECV_ABOVE_ONE` when a kept pixel is below 0 / above 1.
    pub flags: QualityFlags,
}

/// A pixelwise CT ECV map: `out[i] = (1 − Hct) · (equilibrium[i] − unenhanced[i]) / ΔHU_blood`,
/// with a scalar blood enhancement on co-registered unenhanced and equilibrium images.
///
/// The images' `unenhanced`, `equilibrium` and `mask` must have the same length n ≥ 1; `out` must hold at least n values and only its first
/// n are written. Pixels whose ECV is NaN, infinite or outside the plausible range, and pixels
/// outside the mask, get `map_options.fill`; their counts are returned. Nothing is written on error.
///
/// Errors: `EmptyInput`, `LengthMismatch`, `BufferTooSmall`, `InvalidRange` (min > max),
/// `NotFinite` (blood values, options), and the errors of [`ct_ecv`] for the blood.
pub fn ct_ecv_map(
    images: CtPhaseImages<'_>,
    blood: PhaseValues,
    hct: Hematocrit,
    options: &EcvOptions,
    map_options: &EcvMapOptions,
    out: &mut [f32],
) -> Result<EcvMapSummary, Status> {
    let CtPhaseImages {
        unenhanced,
        equilibrium,
        mask,
    } = images;
    let n = unenhanced.len();
    if n == 0 {
        return Err(Status::EmptyInput);
    }
    if equilibrium.len() != n || mask.is_some_and(|m| m.len() != n) {
        return Err(Status::LengthMismatch);
    }
    let lo = require_finite(map_options.plausible_min)?;
    let hi = require_finite(map_options.plausible_max)?;
    if lo > hi {
        return Err(Status::InvalidRange);
    }
    let out = out.get_mut(..n).ok_or(Status::BufferTooSmall)?;
    // One unit of tissue enhancement through the scalar formula gives the per-HU factor and the
    // blood/hematocrit flags, with the same checks as the scalar function.
    let unit = PhaseValues {
        unenhanced: 0.0,
        equilibrium: 1.0,
    };
    let Ecv {
        fraction: factor,
        flags,
    } = ct_ecv(unit, blood, hct, options)?;
    let mut summary = EcvMapSummary {
        factor_per_hu: factor,
        flags: flags.without(QualityFlags::ECV_ABOVE_ONE),
        ..EcvMapSummary::default()
    };
    let rule = PixelRule {
        factor,
        lo,
        hi,
        fill: map_options.fill,
    };
    match mask {
        // Separate loops so the unmasked one stays branch-free and vectorises.
        None => {
            for ((&un, &eq), o) in unenhanced.iter().zip(equilibrium).zip(out.iter_mut()) {
                let (value, kept) = rule.apply(un, eq);
                *o = value;
                summary.invalid_pixels += usize::from(!kept);
            }
        }
        Some(mask) => {
            let pixels = unenhanced
                .iter()
                .zip(equilibrium)
                .zip(mask)
                .zip(out.iter_mut());
            for (((&un, &eq), &inside), o) in pixels {
                if inside == 0 {
                    *o = rule.fill;
                    summary.masked_pixels += 1;
                } else {
                    let (value, kept) = rule.apply(un, eq);
                    *o = value;
                    summary.invalid_pixels += usize::from(!kept);
                }
            }
        }
    }
    // Kept pixels below 0 or above 1 exist only when the plausible range allows them; the
    // default range [0, 1] skips this second look at the inputs.
    let kept_values = || {
        let inside = |i: usize| mask.is_none_or(|m| m.get(i).is_some_and(|&v| v != 0));
        (0..n).filter(move |&i| inside(i)).filter_map(|i| {
            let un = unenhanced.get(i)?;
            let eq = equilibrium.get(i)?;
            let e = factor * (f64::from(*eq) - f64::from(*un));
            (e >= lo && e <= hi).then_some(e)
        })
    };
    let below_zero = lo < 0.0 && kept_values().any(|e| e < 0.0);
    let above_one = hi > 1.0 && kept_values().any(|e| e > 1.0);
    summary.flags = summary
        .flags
        .with_if(QualityFlags::NEGATIVE_ECV, below_zero)
        .with_if(QualityFlags::ECV_ABOVE_ONE, above_one);
    Ok(summary)
}

/// The per-pixel rule of [`ct_ecv_map`]: ECV = factor · (eq − un), kept when inside [lo, hi].
struct PixelRule {
    factor: f64,
    lo: f64,
    hi: f64,
    fill: f32,
}

impl PixelRule {
    /// The value to store for one pixel and whether it was kept; branch-free so the loop
    /// vectorises.
    #[inline(always)]
    fn apply(&self, unenhanced: f32, equilibrium: f32) -> (f32, bool) {
        let e = self.factor * (f64::from(equilibrium) - f64::from(unenhanced));
        // NaN fails both comparisons, so non-finite pixels are not kept.
        let keep = (e >= self.lo) & (e <= self.hi);
        (if keep { e as f32 } else { self.fill }, keep)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn blood() -> PhaseValues {
        PhaseValues {
            unenhanced: 42.0,
            equilibrium: 162.0,
        }
    }

    fn hct() -> Hematocrit {
        Hematocrit::measured(0.40).unwrap()
    }

    #[test]
    fn invalid_and_masked_pixels_get_the_fill_and_are_counted() {
        let un = [40.0, 40.0, f32::NAN, 40.0, 40.0];
        let eq = [116.96, 500.0, 50.0, 20.0, 116.96];
        let mask = [1, 1, 1, 1, 0];
        let mut out = [7.0f32; 6];
        let opts = EcvMapOptions {
            fill: -1.0,
            ..EcvMapOptions::default()
        };
        let s = ct_ecv_map(
            CtPhaseImages {
                unenhanced: &un,
                equilibrium: &eq,
                mask: Some(&mask),
            },
            blood(),
            hct(),
            &EcvOptions::default(),
            &opts,
            &mut out,
        )
        .unwrap();
        assert!((f64::from(out[0]) - 0.3848).abs() < 1e-6);
        assert_eq!(&out[1..], &[-1.0, -1.0, -1.0, -1.0, 7.0]);
        assert_eq!((s.invalid_pixels, s.masked_pixels), (3, 1));
        assert!(s.flags.is_empty());
        assert!((s.factor_per_hu - 0.6 / 120.0).abs() < 1e-16);
    }

    #[test]
    fn bad_arguments_write_nothing() {
        let mut out = [7.0f32; 2];
        let o = EcvOptions::default();
        let m = EcvMapOptions::default();
        let flat = PhaseValues {
            unenhanced: 1.0,
            equilibrium: 1.0,
        };
        assert_eq!(
            ct_ecv_map(
                CtPhaseImages {
                    unenhanced: &[],
                    equilibrium: &[],
                    mask: None
                },
                blood(),
                hct(),
                &o,
                &m,
                &mut out
            ),
            Err(Status::EmptyInput)
        );
        assert_eq!(
            ct_ecv_map(
                CtPhaseImages {
                    unenhanced: &[1.0],
                    equilibrium: &[1.0, 2.0],
                    mask: None
                },
                blood(),
                hct(),
                &o,
                &m,
                &mut out
            ),
            Err(Status::LengthMismatch)
        );
        assert_eq!(
            ct_ecv_map(
                CtPhaseImages {
                    unenhanced: &[1.0; 3],
                    equilibrium: &[1.0; 3],
                    mask: None
                },
                blood(),
                hct(),
                &o,
                &m,
                &mut out
            ),
            Err(Status::BufferTooSmall)
        );
        assert_eq!(
            ct_ecv_map(
                CtPhaseImages {
                    unenhanced: &[1.0],
                    equilibrium: &[1.0],
                    mask: Some(&[1, 1])
                },
                blood(),
                hct(),
                &o,
                &m,
                &mut out
            ),
            Err(Status::LengthMismatch)
        );
        assert_eq!(
            ct_ecv_map(
                CtPhaseImages {
                    unenhanced: &[1.0],
                    equilibrium: &[1.0],
                    mask: None
                },
                flat,
                hct(),
                &o,
                &m,
                &mut out
            ),
            Err(Status::BloodEnhancementZero)
        );
        let reversed = EcvMapOptions {
            plausible_min: 1.0,
            plausible_max: 0.0,
            ..m
        };
        assert_eq!(
            ct_ecv_map(
                CtPhaseImages {
                    unenhanced: &[1.0],
                    equilibrium: &[1.0],
                    mask: None
                },
                blood(),
                hct(),
                &o,
                &reversed,
                &mut out
            ),
            Err(Status::InvalidRange)
        );
        assert_eq!(out, [7.0, 7.0]);
    }

    #[test]
    fn kept_pixels_outside_zero_one_raise_flags() {
        let wide = EcvMapOptions {
            plausible_min: -1.0,
            plausible_max: 2.0,
            ..EcvMapOptions::default()
        };
        let mut out = [0.0f32; 2];
        let s = ct_ecv_map(
            CtPhaseImages {
                unenhanced: &[40.0, 40.0],
                equilibrium: &[30.0, 300.0],
                mask: None,
            },
            blood(),
            hct(),
            &EcvOptions::default(),
            &wide,
            &mut out,
        )
        .unwrap();
        assert_eq!(s.invalid_pixels, 0);
        assert!(s.flags.contains(QualityFlags::NEGATIVE_ECV));
        assert!(s.flags.contains(QualityFlags::ECV_ABOVE_ONE));
    }

    proptest! {
        #[test]
        fn map_of_a_constant_image_equals_the_scalar_ecv(
            un in -100.0f32..100.0, d in 0.0f32..150.0, n in 1usize..300, h in 0.2f64..0.6,
        ) {
            let eq = un + d;
            let unen = [un; 300];
            let equi = [eq; 300];
            let mut out = [0.0f32; 300];
            let hct = Hematocrit::measured(h).unwrap();
            let o = EcvOptions::default();
            let s = ct_ecv_map(CtPhaseImages { unenhanced: &unen[..n], equilibrium: &equi[..n], mask: None }, blood(), hct, &o, &EcvMapOptions::default(), &mut out)
                .unwrap();
            let tissue = PhaseValues { unenhanced: f64::from(un), equilibrium: f64::from(eq) };
            let scalar = ct_ecv(tissue, blood(), hct, &o).unwrap().fraction;
            prop_assert_eq!(s.invalid_pixels, 0);
            for &v in &out[..n] {
                // The map stores f32: agreement to f32 rounding of the scalar value.
                prop_assert!((f64::from(v) - scalar).abs() <= 1e-6 * (1.0 + scalar.abs()));
            }
            prop_assert!(out[n..].iter().all(|&v| v == 0.0));
        }
    }
}
