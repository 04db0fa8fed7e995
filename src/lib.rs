//! # ecvkit
//!
//! The extracellular volume (ECV) fraction from contrast-enhanced CT, dual-energy CT and MRI T1
//! maps, and the statistics that make ECV a prognostic marker, in a `no_std`, allocation-free
//! library with a C ABI. It is meant to be linked into a scanner console or a PACS plugin, and to
//! give the same numbers as R.
//!
//! Every output goes into memory the caller provides; every scratch buffer is the caller's.
//! Nothing panics, nothing allocates, nothing is global: every function is thread-safe.
//!
//! ```
//! use ecvkit::ecv::{ct_ecv, EcvOptions, Hematocrit, PhaseValues};
//!
//! // The seed paper's Fig. 1 case (Fu et al., Sci Rep 2025): tumor ECV 38.48 %.
//! // (HU values chosen to give the published ECV; the paper does not print them.)
//! let tumor = PhaseValues { unenhanced: 40.0, equilibrium: 116.96 };
//! let aorta = PhaseValues { unenhanced: 42.0, equilibrium: 162.0 };
//! let hct = Hematocrit::measured(0.40)?;
//! let ecv = ct_ecv(tumor, aorta, hct, &EcvOptions::default())?;
//! assert!((ecv.fraction - 0.3848).abs() < 1e-12);
//! assert!(ecv.flags.is_empty());
//! # Ok::<(), ecvkit::Status>(())
//! ```
//!
//! Modules:
//! - [`cutpoint`]: optimal cutpoints of a marker for survival (maxstat's scan with Lausen p-values,
//!   survdiff's χ² profile, the X-tile grid, a fixed cutoff applied to a new cohort).
//! - [`ecv`]: the ECV formulas (CT, dual-energy CT, MRI), hematocrit (measured or synthetic), quality
//!   flags and pixelwise ECV maps.
//! - [`image`]: a validated view over stored pixels (type, stride, Bits Stored, rescale, spacing,
//!   padding).
//! - [`roi`]: ROI shapes → row spans → statistics (mean, SD, median, percentiles), multi-ROI
//!   pooling, and the whole tumor/liver ECV measurement.
//! - [`dist`]: distribution functions (normal, χ², t, F, incomplete gamma and beta) for p-values and
//!   confidence limits, checked against R.
//! - [`sort`]: panic-free stable radix sorts (index argsort of f64 keys, (key, payload) pairs),
//!   mid-ranks, heapsort (shared by the statistics modules).
//! - [`survival`]: Kaplan-Meier curves and log-rank tests, as R's `survfit` and `survdiff`.
//! - [`stats`]: reader agreement (ICC), Spearman and Pearson correlation, t / Wilcoxon / χ² /
//!   Fisher tests, median, IQR and quantiles, matching R.
//! - [`cutpoint`]: optimal cutpoints (maxstat's log-rank scan with Lausen–Schumacher p-values,
//!   survdiff's χ² at every cut, the X-tile grid) and fixed cutoffs applied to a cohort.
//! - [`cox`]: Cox proportional hazards as R's `coxph` (Efron/Breslow, strata, weights, tests,
//!   concordance), with the univariable screen and subgroup helpers.
//! - [`status`]: the one error type, [`Status`].
//! - [`numeric`]: the float comparison and compensated summation every module shares.
//! - `ffi` (feature `capi`): the C ABI, declared in `include/ecvkit.h`.
#![cfg_attr(not(test), no_std)]
#![deny(missing_docs)]
#![deny(unsafe_op_in_unsafe_fn)]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod cox;
pub mod cutpoint;
pub mod dist;
pub mod ecv;
pub mod image;
pub mod numeric;
pub mod roi;
pub mod sort;
pub mod stats;
pub mod status;
pub mod survival;

#[cfg(feature = "capi")]
pub mod ffi;

#[cfg(test)]
mod test_support;

pub use status::Status;

/// The README's Rust snippets, compiled and run as doctests so they cannot go stale.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The crate version, as in Cargo.toml (`ECVKIT_VERSION_*` in the C header).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The panic handler of the shipped C libraries: abort the process. A hung console is worse than
/// a crash; no panic path is expected to exist (see the `no-panic-proof` build).
#[cfg(all(feature = "panic-handler", not(feature = "no-panic-proof"), not(test)))]
#[panic_handler]
fn panic_abort(_info: &core::panic::PanicInfo) -> ! {
    extern "C" {
        fn abort() -> !;
    }
    // SAFETY: abort() from the C library takes no arguments and never returns.
    unsafe { abort() }
}

/// The panic handler of the no-panic link proof: it calls a symbol that exists nowhere, so the
/// library links (with `-z defs`) only if the optimiser removed every panic path.
#[cfg(all(feature = "no-panic-proof", not(test)))]
#[panic_handler]
fn panic_unlinkable(_info: &core::panic::PanicInfo) -> ! {
    extern "C" {
        fn ecvkit_has_a_panic_path_see_ffi_tests_makefile() -> !;
    }
    // SAFETY: never called in a build that links; the linker rejects any reference to it.
    unsafe { ecvkit_has_a_panic_path_see_ffi_tests_makefile() }
}
