//! Distribution functions for p-values and confidence limits: the standard normal, χ², Student t
//! and F distributions, the regularised incomplete gamma and beta functions, ln Γ and ln B.
//!
//! Plain `f64 → f64` functions in the style of R's `pnorm`, `pchisq`, `pt`, `pf`, `qnorm`, `qt`,
//! `qf`, `pgamma`, `pbeta`, `lgamma` and `lbeta`, built on `libm` only. Conventions follow R:
//! invalid parameters (a negative or zero df where R rejects it, p outside [0, 1]) and NaN inputs
//! give NaN; quantiles at p = 0 and p = 1 are the ends of the support (±∞, or 0 for F); degrees of
//! freedom need not be integers (Welch–Satterthwaite df are not). Each tail has its own function
//! (`*_sf`, the survival function P(X > x)) that is computed directly, never as 1 − cdf, so a tiny
//! p-value keeps its relative precision down to about 1e-300.
//!
//! Every function states the largest relative difference from R 4.2.2 measured on the committed
//! grid `tests/reference/dist.csv` (written by `tests/reference/dist.R`), and
//! `tests/dist_vs_r.rs` asserts it.
//!
//! ```
//! use ecvkit::dist::{chisq_sf, normal_quantile};
//!
//! // A log-rank χ² of 13.8 on 1 df (R: pchisq(13.8, 1, lower.tail = FALSE) = 0.000203...).
//! let p = chisq_sf(13.8, 1.0);
//! assert!((p - 2.033_362_298_949_219e-4).abs() < 1e-16);
//! // The 95 % two-sided normal multiplier.
//! assert!((normal_quantile(0.975) - 1.959_963_984_540_054).abs() < 1e-15);
//! ```

mod gamma;
mod normal;

pub use gamma::{chisq_cdf, chisq_sf, gamma_p, gamma_q, ln_gamma};
pub use normal::{normal_cdf, normal_pdf, normal_quantile, normal_sf};
