//! Newton–Raphson for the Cox partial likelihood, with R's step-halving, convergence and
//! failure rules, and the summary of the fitted model.

use super::cholesky::{self, at};
use super::concordance::concordance;
use super::data::{validate, CoxData, CoxScratch, Model, Rows};
use super::design::{build, Regions, Scaling};
use super::risk_set::{Derivatives, Sweep};
use super::{Concordance, ConcordanceMode, CovMatrix, CoxFit, CoxOptions, CoxTest, MAX_COVARIATES};
use crate::{dist, Status};

/// [`CoxDiagnostic::covariate`] when no covariate is concerned.
pub const NO_COVARIATE: u32 = u32::MAX;

/// What happened inside a fit: written whenever the iteration ran, on success and on the
/// failures [`Status::CoxMonotoneLikelihood`], [`Status::CoxCollinear`] and
/// [`Status::CoxNotConverged`] and [`Status::CoxLikelihoodBelowStart`] (the only outputs written
/// on a failure, to say why).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CoxDiagnostic {
    /// Newton–Raphson iterations done.
    pub iterations: u32,
    /// Steps shortened by step-halving, in total.
    pub step_halvings: u32,
    /// The model column (0-based) a failure concerns: the diverging coefficient
    /// (monotone likelihood) or the redundant column (collinear); [`NO_COVARIATE`] otherwise.
    pub covariate: u32,
    /// The log partial likelihood at the last accepted β.
    pub loglik: f64,
}

impl Default for CoxDiagnostic {
    fn default() -> Self {
        CoxDiagnostic {
            iterations: 0,
            step_halvings: 0,
            covariate: NO_COVARIATE,
            loglik: f64::NAN,
        }
    }
}

/// Fits the Cox model of `time`, `event` on every column of `data.covariates`, as R's
/// `coxph(Surv(time, event) ~ x1 + … + xp (+ strata(s)), weights = w, ties = …)`.
///
/// The method, R's conventions and the failure rules are in the [module documentation](super).
/// `scratch` must hold [`super::scratch_sizes`]`(n, p)`; `diagnostic`, when given, receives the
/// iteration count and, on a fit failure, the covariate concerned.
///
/// Errors, nothing written (but `diagnostic`): `EmptyInput`, `LengthMismatch`,
/// `TooManyElements`, `NotFinite` (time, covariate or weight), `NegativeTime`,
/// `EventNotBinary`, `CoxWeightNotPositive`, `InvalidOption`, `ScratchTooSmall`,
/// `CoxTooManyCovariates` (p > [`MAX_COVARIATES`]), `NoEvents`, `CoxCollinear`,
/// `CoxMonotoneLikelihood`, `CoxNotConverged`, `CoxLikelihoodBelowStart` (the convergence
/// test passed below ℓ(0): a loose `eps`, see the module documentation).
pub fn cox_fit(
    data: &CoxData<'_>,
    options: &CoxOptions,
    scratch: &mut CoxScratch<'_>,
    diagnostic: Option<&mut CoxDiagnostic>,
) -> Result<CoxFit, Status> {
    if data.n_columns > MAX_COVARIATES {
        return Err(Status::CoxTooManyCovariates);
    }
    let model = Model::all_columns(data.n_columns)?;
    fit_model(data, &model, Rows::All, options, scratch, diagnostic)
}

/// The fit of `model` on the subjects `rows`: the engine behind [`cox_fit`] and the workflow
/// helpers.
pub(crate) fn fit_model(
    data: &CoxData<'_>,
    model: &Model,
    rows: Rows,
    options: &CoxOptions,
    scratch: &mut CoxScratch<'_>,
    diagnostic: Option<&mut CoxDiagnostic>,
) -> Result<CoxFit, Status> {
    options.validate()?;
    validate(data, model, rows)?;
    let n = data.n();
    let p = model.p();
    let sizes = super::scratch_sizes(n, p)?;
    if scratch.index.len() < sizes.index || scratch.values.len() < sizes.values {
        return Err(Status::ScratchTooSmall);
    }
    let mut regions = Regions::split(scratch.index, scratch.values, n, p)?;
    let built = build(data, model, rows, options, &mut regions)?;
    if built.n_events == 0 {
        return Err(Status::NoEvents);
    }
    let mut local_diagnostic = CoxDiagnostic::default();
    let diagnostic = diagnostic.unwrap_or(&mut local_diagnostic);
    let sweep = Sweep {
        design: regions.design(built.n_used, p)?,
        ties: options.ties,
    };
    let estimate = newton_raphson(&sweep, &built.scaling, options, diagnostic)?;
    let mut fit = summarize(&estimate, &built.scaling, p, options)?;
    fit.n = u32::try_from(built.n_used).map_err(|_| Status::TooManyElements)?;
    fit.n_events = u32::try_from(built.n_events).map_err(|_| Status::TooManyElements)?;
    if options.concordance == ConcordanceMode::Compute {
        fit.concordance = concordance(&mut regions, built.n_used, p, &estimate.beta)?;
    }
    Ok(fit)
}

/// The converged Newton–Raphson state, on the centred, scaled covariates.
struct Estimate {
    /// β̂ (scaled).
    beta: [f64; MAX_COVARIATES],
    /// ℓ, U, I at β̂.
    at_estimate: Derivatives,
    /// I(β̂)⁻¹ (scaled).
    inverse_information: CovMatrix,
    /// ℓ(0).
    loglik_null: f64,
    /// U(0)ᵀ I(0)⁻¹ U(0).
    score_statistic: f64,
    /// Iterations.
    iterations: u32,
}

/// `true` when ℓ, U or the factored I has a non-finite entry (R's `notfinite`).
fn not_finite(d: &Derivatives, factored: &CovMatrix, p: usize) -> bool {
    let score_bad = d.score.iter().take(p).any(|u| !u.is_finite());
    let info_bad = factored
        .iter()
        .take(p)
        .any(|row| row.iter().take(p).any(|x| !x.is_finite()));
    !d.loglik.is_finite() || score_bad || info_bad
}

/// Index of the largest |U V| component (the direction Newton would still move along), or of
/// the first non-finite one.
fn largest_step(score: &[f64; MAX_COVARIATES], inverse: &CovMatrix, p: usize) -> usize {
    let mut best = (0usize, -1.0);
    for (j, column) in (0..p).map(|j| (j, step_component(score, inverse, p, j))) {
        if !column.is_finite() {
            return j;
        }
        if column > best.1 {
            best = (j, column);
        }
    }
    best.0
}

/// |Σ_i U_i V_ij|: R's `abs(u %*% var)` entry j.
fn step_component(score: &[f64; MAX_COVARIATES], inverse: &CovMatrix, p: usize, j: usize) -> f64 {
    let s: f64 = score
        .iter()
        .take(p)
        .enumerate()
        .map(|(i, u)| u * at(inverse, i, j))
        .sum();
    libm::fabs(s)
}

/// R's `coxfit6` iteration from β = 0.
fn newton_raphson(
    sweep: &Sweep<'_>,
    scaling: &Scaling,
    options: &CoxOptions,
    diagnostic: &mut CoxDiagnostic,
) -> Result<Estimate, Status> {
    let p = sweep.design.p.min(MAX_COVARIATES);
    let toler = options.toler_chol;
    let mut beta = [0.0; MAX_COVARIATES];
    let start = sweep.derivatives(&beta);
    let mut factored = start.information;
    let factorization = cholesky::factor(&mut factored, p, toler);
    let mut step = start.score;
    cholesky::solve(&factored, p, &mut step);
    let score_statistic = start
        .score
        .iter()
        .zip(step.iter())
        .take(p)
        .map(|(u, s)| u * s)
        .sum();
    diagnostic.loglik = start.loglik;
    if let Some(j) = factorization.first_singular {
        diagnostic.covariate = u32::try_from(j).unwrap_or(NO_COVARIATE);
        return Err(Status::CoxCollinear);
    }
    let finish = |beta, at_estimate: Derivatives, mut factored: CovMatrix, iterations| {
        cholesky::invert(&mut factored, p);
        Estimate {
            beta,
            at_estimate,
            inverse_information: factored,
            loglik_null: start.loglik,
            score_statistic,
            iterations,
        }
    };
    if options.max_iterations == 0 {
        return Ok(finish(beta, start, factored, 0));
    }
    let mut best = start.loglik;
    let mut new_beta = beta;
    for (nb, s) in new_beta.iter_mut().zip(step.iter()).take(p) {
        *nb += s;
    }
    let mut halving = 0u32;
    for iteration in 1..=options.max_iterations {
        diagnostic.iterations = iteration;
        let d = sweep.derivatives(&new_beta);
        let mut factored = d.information;
        let factorization = cholesky::factor(&mut factored, p, toler);
        let bad = not_finite(&d, &factored, p);
        if !bad && libm::fabs(1.0 - best / d.loglik) <= options.eps {
            diagnostic.loglik = d.loglik;
            if below_start(d.loglik, start.loglik) {
                return Err(Status::CoxLikelihoodBelowStart);
            }
            let estimate = finish(new_beta, d, factored, iteration);
            let singular = factorization.first_singular;
            return check_estimate(estimate, singular, scaling, p, options, diagnostic);
        }
        if bad || d.loglik < best {
            halving += 1;
            diagnostic.step_halvings += 1;
            let h = f64::from(halving);
            for (nb, b) in new_beta.iter_mut().zip(beta.iter()).take(p) {
                *nb = (*nb + h * b) / (h + 1.0);
            }
        } else {
            halving = 0;
            best = d.loglik;
            diagnostic.loglik = d.loglik;
            let mut step = d.score;
            cholesky::solve(&factored, p, &mut step);
            beta = new_beta;
            for (nb, s) in new_beta.iter_mut().zip(step.iter()).take(p) {
                *nb += s;
            }
        }
    }
    // Out of iterations: R's rule for "one or more coefficients may be infinite" on the last
    // accepted β — the linear predictor above 500 or a non-finite Newton step.
    let last = sweep.derivatives(&beta);
    let mut factored = last.information;
    cholesky::factor(&mut factored, p, toler);
    cholesky::invert(&mut factored, p);
    let j = largest_step(&last.score, &factored, p);
    let step_finite = (0..p).all(|k| step_component(&last.score, &factored, p, k).is_finite());
    if last.max_linear_predictor > 500.0 || !step_finite {
        diagnostic.covariate = u32::try_from(j).unwrap_or(NO_COVARIATE);
        return Err(Status::CoxMonotoneLikelihood);
    }
    Err(Status::CoxNotConverged)
}

/// Whether a log-likelihood that passed the convergence test lies below the start ℓ(0) by more
/// than the rounding of its sum over the risk sets (1e-10 · |ℓ(0)|; the rounding differences
/// of two such sums stay near √n · ε · |ℓ(0)|, 1e-13 · |ℓ(0)| at n = 10⁶). Newton–Raphson with
/// step-halving only accepts steps that raise ℓ, so this happens only when a loose `eps` takes
/// a step that overshot the maximum as converged.
pub(super) fn below_start(loglik: f64, loglik_start: f64) -> bool {
    loglik < loglik_start - 1e-10 * libm::fabs(loglik_start)
}

/// R's checks after convergence (`coxph.fit`): a coefficient whose remaining Newton step
/// |(U V)_j| exceeds both `eps` and `toler_inf`·|β_j| (or whose score is not finite) is running
/// off to infinity: monotone likelihood. A column that became redundant only at β̂ (its
/// information vanished while the coefficient diverged) is reported the same way, and so is a
/// β̂ or SE that exceeds the largest double once back on the caller's scale (values that differ
/// by ~1e-308: R would print Inf).
fn check_estimate(
    estimate: Estimate,
    singular_at_estimate: Option<usize>,
    scaling: &Scaling,
    p: usize,
    options: &CoxOptions,
    diagnostic: &mut CoxDiagnostic,
) -> Result<Estimate, Status> {
    let score = &estimate.at_estimate.score;
    for j in 0..p {
        // On the caller's scale: (U V)_j and β_j are both the scaled values times s_j.
        let s_j = scaling.scale.get(j).copied().unwrap_or(1.0);
        let infs = step_component(score, &estimate.inverse_information, p, j) * s_j;
        let beta_j = libm::fabs(estimate.beta.get(j).copied().unwrap_or(0.0) * s_j);
        let u_finite = score.get(j).is_some_and(|u| u.is_finite());
        // β̂ or its SE beyond the largest double once back on the caller's scale (a covariate
        // whose values differ by ~1e-308, so s_j ~ 1e308): no finite answer to report.
        let se_j = libm::sqrt(at(&estimate.inverse_information, j, j)) * s_j;
        let representable = beta_j.is_finite() && se_j.is_finite();
        if !u_finite || !representable || (infs > options.eps && infs > options.toler_inf * beta_j)
        {
            diagnostic.covariate = u32::try_from(j).unwrap_or(NO_COVARIATE);
            return Err(Status::CoxMonotoneLikelihood);
        }
    }
    if let Some(j) = singular_at_estimate {
        diagnostic.covariate = u32::try_from(j).unwrap_or(NO_COVARIATE);
        return Err(Status::CoxMonotoneLikelihood);
    }
    Ok(estimate)
}

/// Back to the caller's scale, with SEs, HRs, CIs, z, p and the three tests.
fn summarize(
    estimate: &Estimate,
    scaling: &Scaling,
    p: usize,
    options: &CoxOptions,
) -> Result<CoxFit, Status> {
    let p = p.min(MAX_COVARIATES);
    let p_u32 = u32::try_from(p).map_err(|_| Status::CoxTooManyCovariates)?;
    let mut fit = CoxFit {
        n_covariates: p_u32,
        n: 0,
        n_events: 0,
        iterations: estimate.iterations,
        coefficients: [0.0; MAX_COVARIATES],
        std_errors: [0.0; MAX_COVARIATES],
        hazard_ratios: [0.0; MAX_COVARIATES],
        hr_lower: [0.0; MAX_COVARIATES],
        hr_upper: [0.0; MAX_COVARIATES],
        z: [0.0; MAX_COVARIATES],
        p_values: [0.0; MAX_COVARIATES],
        covariance: [[0.0; MAX_COVARIATES]; MAX_COVARIATES],
        conf_level: options.conf_level,
        loglik_null: estimate.loglik_null,
        loglik: estimate.at_estimate.loglik,
        likelihood_ratio: CoxTest::default(),
        wald: CoxTest::default(),
        score: CoxTest::default(),
        concordance: Concordance::NOT_COMPUTED,
    };
    for (i, row) in fit.covariance.iter_mut().enumerate().take(p) {
        let si = scaling.scale.get(i).copied().unwrap_or(1.0);
        for (j, v) in row.iter_mut().enumerate().take(p) {
            let sj = scaling.scale.get(j).copied().unwrap_or(1.0);
            *v = at(&estimate.inverse_information, i, j) * si * sj;
        }
    }
    let quantile = dist::normal_quantile(1.0 - (1.0 - options.conf_level) / 2.0);
    for j in 0..p {
        let s_j = scaling.scale.get(j).copied().unwrap_or(1.0);
        let b_scaled = estimate.beta.get(j).copied().unwrap_or(0.0);
        let se_scaled = libm::sqrt(at(&estimate.inverse_information, j, j));
        let b = b_scaled * s_j;
        // SE = √V_jj on the design's scale times s_j, and z from the scaled values (z does not
        // depend on the scale): forming V_jj · s_j² first underflowed to 0 for a covariate near
        // 1e308 (s_j ≈ 2/1e308), giving SE 0 and z = 0/0 = NaN with a valid fit.
        let se = se_scaled * s_j;
        let z = b_scaled / se_scaled;
        let slots = [
            (&mut fit.coefficients, b),
            (&mut fit.std_errors, se),
            (&mut fit.hazard_ratios, libm::exp(b)),
            (&mut fit.hr_lower, libm::exp(b - quantile * se)),
            (&mut fit.hr_upper, libm::exp(b + quantile * se)),
            (&mut fit.z, z),
            (&mut fit.p_values, 2.0 * dist::normal_sf(libm::fabs(z))),
        ];
        for (array, value) in slots {
            if let Some(x) = array.get_mut(j) {
                *x = value;
            }
        }
    }
    let lr = 2.0 * (fit.loglik - fit.loglik_null);
    let (wald, _) =
        cholesky::quadratic_form(&fit.covariance, p, &fit.coefficients, options.toler_chol);
    fit.likelihood_ratio = chi_square(lr, p_u32);
    fit.wald = chi_square(wald, p_u32);
    fit.score = chi_square(estimate.score_statistic, p_u32);
    Ok(fit)
}

/// A χ² test with its upper-tail p.
pub(crate) fn chi_square(statistic: f64, df: u32) -> CoxTest {
    CoxTest {
        statistic,
        df,
        p_value: dist::chisq_sf(statistic, f64::from(df)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cox::{scratch_sizes, Ties};

    /// A small data set: 12 subjects, 2 covariates, tied times.
    const TIME: [f64; 12] = [5., 8., 8., 3., 9., 15., 7., 20., 4., 8., 12., 6.];
    const EVENT: [u8; 12] = [1, 1, 0, 1, 1, 0, 1, 0, 1, 1, 1, 0];
    const X: [f64; 24] = [
        1., 0.5, 0., 1.2, 0., -0.3, 1., 2.0, 1., 0.1, 0., 0.0, 1., 1.1, 0., -1.0, 1., 0.7, 0., 0.9,
        1., -0.2, 0., 0.4,
    ];

    fn run(data: &CoxData<'_>, options: &CoxOptions) -> (Result<CoxFit, Status>, CoxDiagnostic) {
        let sizes = scratch_sizes(data.n(), data.n_columns).unwrap();
        let mut index = vec![0u32; sizes.index];
        let mut values = vec![0.0; sizes.values];
        let mut scratch = CoxScratch {
            index: &mut index,
            values: &mut values,
        };
        let mut diagnostic = CoxDiagnostic::default();
        let result = cox_fit(data, options, &mut scratch, Some(&mut diagnostic));
        (result, diagnostic)
    }

    #[test]
    fn a_regular_fit_is_at_a_maximum() {
        let data = CoxData::new(&TIME, &EVENT, &X, 2).unwrap();
        for ties in [Ties::Efron, Ties::Breslow] {
            let options = CoxOptions {
                ties,
                ..CoxOptions::default()
            };
            let (fit, diag) = run(&data, &options);
            let fit = fit.unwrap();
            assert_eq!(diag.iterations, fit.iterations);
            assert_eq!(diag.covariate, NO_COVARIATE);
            assert_eq!((fit.n, fit.n_events, fit.n_covariates), (12, 8, 2));
            assert!(fit.loglik > fit.loglik_null);
            // Moving any coefficient lowers the log-likelihood (sweeps on the fit's design).
            let model = Model::all_columns(2).unwrap();
            let n = 12;
            let sizes = scratch_sizes(n, 2).unwrap();
            let mut index = vec![0u32; sizes.index];
            let mut values = vec![0.0; sizes.values];
            let mut regions = Regions::split(&mut index, &mut values, n, 2).unwrap();
            let built = build(&data, &model, Rows::All, &options, &mut regions).unwrap();
            let sweep = Sweep {
                design: regions.design(n, 2).unwrap(),
                ties,
            };
            // β on the design's scale: β_scaled = β / s.
            let mut beta = [0.0; MAX_COVARIATES];
            for ((b, c), s) in beta
                .iter_mut()
                .zip(&fit.coefficients)
                .zip(&built.scaling.scale)
            {
                *b = c / s;
            }
            let at = sweep.derivatives(&beta).loglik;
            assert!((at - fit.loglik).abs() < 1e-10);
            for j in 0..2 {
                for h in [-1e-3, 1e-3] {
                    let mut b = beta;
                    b[j] += h;
                    assert!(sweep.derivatives(&b).loglik < at);
                }
            }
            // HR and CI are consistent.
            for j in 0..2 {
                assert!((fit.hazard_ratios[j] - fit.coefficients[j].exp()).abs() < 1e-12);
                assert!(fit.hr_lower[j] < fit.hazard_ratios[j]);
                assert!(fit.hr_upper[j] > fit.hazard_ratios[j]);
                let se = fit.covariance[j][j].sqrt();
                assert_eq!(fit.std_errors[j], se);
            }
            assert_eq!(fit.covariance[0][1], fit.covariance[1][0]);
            assert!(fit.concordance.concordance > 0.0 && fit.concordance.concordance < 1.0);
        }
    }

    #[test]
    fn zero_iterations_give_the_model_at_zero() {
        let data = CoxData::new(&TIME, &EVENT, &X, 2).unwrap();
        let options = CoxOptions {
            max_iterations: 0,
            ..CoxOptions::default()
        };
        let fit = run(&data, &options).0.unwrap();
        assert_eq!(fit.iterations, 0);
        assert_eq!(fit.coefficients[..2], [0.0, 0.0]);
        assert_eq!(fit.loglik, fit.loglik_null);
        assert!(fit.score.statistic > 0.0);
        assert_eq!(fit.likelihood_ratio.statistic, 0.0);
    }

    #[test]
    fn one_iteration_does_not_converge() {
        let data = CoxData::new(&TIME, &EVENT, &X, 2).unwrap();
        let options = CoxOptions {
            max_iterations: 1,
            ..CoxOptions::default()
        };
        let (fit, diag) = run(&data, &options);
        assert_eq!(fit.err(), Some(Status::CoxNotConverged));
        assert_eq!(diag.iterations, 1);
    }

    #[test]
    fn a_group_without_events_is_monotone_likelihood() {
        // Column 1 is 1 only for censored subjects.
        let mut x = X;
        for i in 0..12 {
            x[2 * i + 1] = if EVENT[i] == 0 { 1.0 } else { 0.0 };
        }
        let data = CoxData::new(&TIME, &EVENT, &x, 2).unwrap();
        let (fit, diag) = run(&data, &CoxOptions::default());
        assert_eq!(fit.err(), Some(Status::CoxMonotoneLikelihood));
        assert_eq!(diag.covariate, 1);
    }

    #[test]
    fn a_constant_column_is_collinear() {
        let mut x = X;
        for i in 0..12 {
            x[2 * i] = 3.5;
        }
        let data = CoxData::new(&TIME, &EVENT, &x, 2).unwrap();
        let (fit, diag) = run(&data, &CoxOptions::default());
        assert_eq!(fit.err(), Some(Status::CoxCollinear));
        assert_eq!(diag.covariate, 0);
    }

    #[test]
    fn input_failures() {
        let data = CoxData::new(&TIME, &EVENT, &X, 2).unwrap();
        let no_events = [0u8; 12];
        let d = CoxData::new(&TIME, &no_events, &X, 2).unwrap();
        assert_eq!(
            run(&d, &CoxOptions::default()).0.err(),
            Some(Status::NoEvents)
        );
        // Each relative tolerance and the level must lie in (0, 1); the edges are refused.
        let d = CoxOptions::default();
        let with = |k: usize, v: f64| {
            let mut o = d;
            *[
                &mut o.conf_level,
                &mut o.eps,
                &mut o.toler_chol,
                &mut o.toler_inf,
            ][k] = v;
            o
        };
        for k in 0..4 {
            for v in [0.0, 1.0, 46.0, -1e-9, f64::NAN, f64::INFINITY] {
                assert_eq!(run(&data, &with(k, v)).0.err(), Some(Status::InvalidOption));
            }
            // Inside the range the fit runs (a pivot tolerance of 0.999 flags a column).
            let inside = run(&data, &with(k, 0.999)).0.err();
            let expected = if k == 2 {
                Some(Status::CoxCollinear)
            } else {
                None
            };
            assert_eq!(inside, expected, "option {k}");
        }
        let wide = [0.0; 33];
        let d = CoxData::new(&TIME[..1], &EVENT[..1], &wide, 33).unwrap();
        assert_eq!(
            run(&d, &CoxOptions::default()).0.err(),
            Some(Status::CoxTooManyCovariates)
        );
        let mut index = [0u32; 47];
        let mut values = [0.0; 48];
        let mut scratch = CoxScratch {
            index: &mut index,
            values: &mut values,
        };
        let options = CoxOptions::default();
        assert_eq!(
            cox_fit(&data, &options, &mut scratch, None).err(),
            Some(Status::ScratchTooSmall)
        );
        // Without concordance the fields are NaN.
        let mut index = [0u32; 48];
        let mut values = [0.0; 84];
        let mut scratch = CoxScratch {
            index: &mut index,
            values: &mut values,
        };
        let skip = CoxOptions {
            concordance: crate::cox::ConcordanceMode::Skip,
            ..CoxOptions::default()
        };
        let fit = cox_fit(&data, &skip, &mut scratch, None).unwrap();
        assert!(fit.concordance.concordance.is_nan());
    }
}
