//! The seed paper's modelling workflow on top of [`super::cox_fit`]: a univariable screen with
//! the P < 0.1 rule followed by the multivariable model, and the subgroup analysis behind a
//! forest plot (the group's hazard ratio within each level of a subgroup variable, and the
//! interaction test).

use super::data::{validate, CoxData, CoxScratch, Model, Rows, Term};
use super::fit::{chi_square, fit_model, CoxDiagnostic};
use super::{CoxFit, CoxOptions, CoxTest, MAX_COVARIATES};
use crate::Status;

/// Which test's p-value decides the univariable screen.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum ScreenTest {
    /// The Wald test of the coefficient (`summary(coxph)`'s `Pr(>|z|)`). Default.
    #[default]
    Wald = 0,
    /// The likelihood-ratio test.
    LikelihoodRatio = 1,
    /// The score (log-rank) test.
    Score = 2,
}

impl TryFrom<u32> for ScreenTest {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(ScreenTest::Wald),
            1 => Ok(ScreenTest::LikelihoodRatio),
            2 => Ok(ScreenTest::Score),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Settings of [`univariable_screen`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenOptions {
    /// Options of every fit.
    pub cox: CoxOptions,
    /// A column is kept when its univariable p < threshold (the paper: 0.1); in (0, 1].
    pub threshold: f64,
    /// The test whose p is compared.
    pub test: ScreenTest,
}

impl Default for ScreenOptions {
    fn default() -> Self {
        ScreenOptions {
            cox: CoxOptions::default(),
            threshold: 0.1,
            test: ScreenTest::Wald,
        }
    }
}

/// One covariate's univariable model.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UnivariableRow {
    /// `Ok`, or why this model failed (`CoxMonotoneLikelihood`, `CoxCollinear`,
    /// `CoxNotConverged`, `CoxLikelihoodBelowStart`): then the numbers are NaN and the column
    /// is not selected.
    pub status: Status,
    /// 1 when selected for the multivariable model, else 0.
    pub selected: u8,
    /// β̂.
    pub coefficient: f64,
    /// SE(β̂).
    pub std_error: f64,
    /// exp(β̂): 0 or +∞ beyond the range of a double, as R prints (see `CoxFit::hazard_ratios`).
    pub hazard_ratio: f64,
    /// Lower CI bound of the HR.
    pub hr_lower: f64,
    /// Upper CI bound of the HR.
    pub hr_upper: f64,
    /// The p of the chosen [`ScreenTest`].
    pub p_value: f64,
}

impl UnivariableRow {
    const FAILED: UnivariableRow = UnivariableRow {
        status: Status::Ok,
        selected: 0,
        coefficient: f64::NAN,
        std_error: f64::NAN,
        hazard_ratio: f64::NAN,
        hr_lower: f64::NAN,
        hr_upper: f64::NAN,
        p_value: f64::NAN,
    };
}

/// The univariable screen and the multivariable model of the selected columns.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScreenResult {
    /// Columns screened (the data's `n_columns`).
    pub n_columns: u32,
    /// One row per column (the first `n_columns`).
    pub univariable: [UnivariableRow; MAX_COVARIATES],
    /// Columns selected.
    pub n_selected: u32,
    /// `Ok` when the multivariable model was fitted; `CoxNothingSelected` when no column passed
    /// the screen; otherwise the status of its failed fit.
    pub multivariable_status: Status,
    /// The multivariable model on the selected columns, in their order (valid when
    /// `multivariable_status` is `Ok`).
    pub multivariable: CoxFit,
    /// Iterations and, on failure, the covariate concerned (an index among the selected ones).
    pub multivariable_diagnostic: CoxDiagnostic,
}

/// The paper's variable selection: one Cox model per column (`Surv ~ x_j`), the columns with
/// p < `threshold` (default 0.1, Wald) kept, then one model on all kept columns.
///
/// `selected` (at least `n_columns` bytes) receives 1 for each kept column and 0 otherwise;
/// `scratch` must hold [`super::scratch_sizes`]`(n, n_columns)`.
/// A univariable model that fails (monotone likelihood, for example) is reported in its row and
/// not kept. Input errors as [`super::cox_fit`] (checked on every column before any fit),
/// `BufferTooSmall` for `selected`, `InvalidOption` for the threshold.
pub fn univariable_screen(
    data: &CoxData<'_>,
    options: &ScreenOptions,
    selected: &mut [u8],
    scratch: &mut CoxScratch<'_>,
) -> Result<ScreenResult, Status> {
    if data.n_columns > MAX_COVARIATES {
        return Err(Status::CoxTooManyCovariates);
    }
    if !(options.threshold > 0.0 && options.threshold <= 1.0) {
        return Err(Status::InvalidOption);
    }
    options.cox.validate()?;
    let all = Model::all_columns(data.n_columns)?;
    validate(data, &all, Rows::All)?;
    if selected.len() < data.n_columns {
        return Err(Status::BufferTooSmall);
    }
    check_scratch(data, data.n_columns, scratch)?;
    if !(0..data.n()).any(|i| data.is_event(i)) {
        return Err(Status::NoEvents);
    }

    let mut rows = [UnivariableRow::FAILED; MAX_COVARIATES];
    let mut chosen = Model::empty();
    for (j, row) in rows.iter_mut().enumerate().take(data.n_columns) {
        let mut model = Model::empty();
        model.push(Term::Column(j))?;
        *row = match fit_model(data, &model, Rows::All, &options.cox, scratch, None) {
            Ok(fit) => {
                let p_value = match options.test {
                    ScreenTest::Wald => fit.p_values[0],
                    ScreenTest::LikelihoodRatio => fit.likelihood_ratio.p_value,
                    ScreenTest::Score => fit.score.p_value,
                };
                let keep = p_value < options.threshold;
                if keep {
                    chosen.push(Term::Column(j))?;
                }
                UnivariableRow {
                    status: Status::Ok,
                    selected: u8::from(keep),
                    coefficient: fit.coefficients[0],
                    std_error: fit.std_errors[0],
                    hazard_ratio: fit.hazard_ratios[0],
                    hr_lower: fit.hr_lower[0],
                    hr_upper: fit.hr_upper[0],
                    p_value,
                }
            }
            Err(status) => UnivariableRow {
                status,
                ..UnivariableRow::FAILED
            },
        };
    }

    let mut diagnostic = CoxDiagnostic::default();
    let (multivariable_status, multivariable) = if chosen.p() == 0 {
        (Status::CoxNothingSelected, empty_fit(&options.cox))
    } else {
        match fit_model(
            data,
            &chosen,
            Rows::All,
            &options.cox,
            scratch,
            Some(&mut diagnostic),
        ) {
            Ok(fit) => (Status::Ok, fit),
            Err(status) => (status, empty_fit(&options.cox)),
        }
    };
    for (s, row) in selected.iter_mut().zip(rows.iter()).take(data.n_columns) {
        *s = row.selected;
    }
    Ok(ScreenResult {
        n_columns: u32::try_from(data.n_columns).map_err(|_| Status::CoxTooManyCovariates)?,
        univariable: rows,
        n_selected: u32::try_from(chosen.p()).map_err(|_| Status::CoxTooManyCovariates)?,
        multivariable_status,
        multivariable,
        multivariable_diagnostic: diagnostic,
    })
}

/// `ScratchTooSmall` unless `scratch` fits fits of up to `p` model columns.
fn check_scratch(data: &CoxData<'_>, p: usize, scratch: &CoxScratch<'_>) -> Result<(), Status> {
    let sizes = super::scratch_sizes(data.n(), p)?;
    if scratch.index.len() < sizes.index || scratch.values.len() < sizes.values {
        Err(Status::ScratchTooSmall)
    } else {
        Ok(())
    }
}

/// A [`CoxFit`] with no model: p = 0, every number NaN (stands where a fit failed).
fn empty_fit(options: &CoxOptions) -> CoxFit {
    let nan = [f64::NAN; MAX_COVARIATES];
    let test = CoxTest {
        statistic: f64::NAN,
        df: 0,
        p_value: f64::NAN,
    };
    CoxFit {
        n_covariates: 0,
        n: 0,
        n_events: 0,
        iterations: 0,
        coefficients: nan,
        std_errors: nan,
        hazard_ratios: nan,
        hr_lower: nan,
        hr_upper: nan,
        z: nan,
        p_values: nan,
        covariance: [nan; MAX_COVARIATES],
        conf_level: options.conf_level,
        loglik_null: f64::NAN,
        loglik: f64::NAN,
        likelihood_ratio: test,
        wald: test,
        score: test,
        concordance: super::Concordance::NOT_COMPUTED,
    }
}

/// The most levels a subgroup variable may have in [`subgroup_effects`].
pub const MAX_SUBGROUP_LEVELS: usize = 16;

/// The group effect within one subgroup level (one row of a forest plot).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SubgroupLevel {
    /// The subgroup variable's value (the overall row: NaN).
    pub level: f64,
    /// `Ok`, or why the model in this level failed (for example `NoEvents`,
    /// `CoxMonotoneLikelihood` when one group has no event in this level); then the numbers
    /// are NaN.
    pub status: Status,
    /// Subjects in the level.
    pub n: u32,
    /// Events in the level.
    pub n_events: u32,
    /// β̂ of the group column.
    pub coefficient: f64,
    /// SE(β̂).
    pub std_error: f64,
    /// exp(β̂): 0 or +∞ beyond the range of a double, as R prints (see `CoxFit::hazard_ratios`).
    pub hazard_ratio: f64,
    /// Lower CI bound of the HR.
    pub hr_lower: f64,
    /// Upper CI bound of the HR.
    pub hr_upper: f64,
    /// Wald p.
    pub p_value: f64,
}

/// A forest plot's numbers: the group effect overall and within each subgroup level, and the
/// test of group × subgroup interaction.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SubgroupResult {
    /// `Surv ~ group` on every subject.
    pub overall: SubgroupLevel,
    /// Distinct values of the subgroup column.
    pub n_levels: u32,
    /// `Surv ~ group` within each level, levels ascending (the first `n_levels`).
    pub levels: [SubgroupLevel; MAX_SUBGROUP_LEVELS],
    /// `Ok` when both interaction models were fitted, else the failing status
    /// (`CoxOneSubgroupLevel` when the subgroup column is constant; `CoxLikelihoodBelowStart`
    /// also when the model with the products ends below the maximum of the model without them,
    /// which it nests: a loose `eps`, where R prints a negative LR statistic).
    pub interaction_status: Status,
    /// Joint Wald test of the K − 1 product coefficients in
    /// `Surv ~ group + factor(sub) + group:factor(sub)`; for a two-level subgroup its p is
    /// `summary(coxph)`'s p of the product term.
    pub interaction_wald: CoxTest,
    /// Likelihood-ratio test of that model against `Surv ~ group + factor(sub)`, K − 1 df
    /// (R's `anova(reduced, full)`).
    pub interaction_lr: CoxTest,
}

/// One subgroup row from a fit of the group column alone.
fn level_row(level: f64, result: Result<CoxFit, Status>) -> SubgroupLevel {
    match result {
        Ok(fit) => SubgroupLevel {
            level,
            status: Status::Ok,
            n: fit.n,
            n_events: fit.n_events,
            coefficient: fit.coefficients[0],
            std_error: fit.std_errors[0],
            hazard_ratio: fit.hazard_ratios[0],
            hr_lower: fit.hr_lower[0],
            hr_upper: fit.hr_upper[0],
            p_value: fit.p_values[0],
        },
        Err(status) => SubgroupLevel {
            level,
            status,
            n: 0,
            n_events: 0,
            coefficient: f64::NAN,
            std_error: f64::NAN,
            hazard_ratio: f64::NAN,
            hr_lower: f64::NAN,
            hr_upper: f64::NAN,
            p_value: f64::NAN,
        },
    }
}

/// The distinct values of a subgroup column, ascending: at most [`MAX_SUBGROUP_LEVELS`].
type SortedLevels = heapless::Vec<f64, MAX_SUBGROUP_LEVELS>;

/// The distinct values of `column`, ascending; `CoxTooManySubgroupLevels` beyond
/// [`MAX_SUBGROUP_LEVELS`] (heapless hands the value back when full).
fn distinct_levels(data: &CoxData<'_>, column: usize) -> Result<SortedLevels, Status> {
    let mut levels = SortedLevels::new();
    for i in 0..data.n() {
        let v = data.value(i, column);
        let position = levels.iter().position(|&l| l >= v).unwrap_or(levels.len());
        if levels.get(position) == Some(&v) {
            continue;
        }
        levels
            .insert(position, v)
            .map_err(|_| Status::CoxTooManySubgroupLevels)?;
    }
    Ok(levels)
}

/// Subgroup analysis for a forest plot: the Cox model of `group_column` alone, overall and
/// within each level of `subgroup_column` (its distinct values, at most
/// [`MAX_SUBGROUP_LEVELS`]), and the interaction tests from
/// `Surv ~ group + factor(sub) + group:factor(sub)` (dummies for every level but the lowest).
///
/// A level whose model fails is reported in its row. `scratch` must hold
/// [`super::scratch_sizes`]`(n, 2K − 1)` for K levels ((n, 31) always suffices). Input errors as
/// [`super::cox_fit`] (checked on the two columns first); `InvalidOption` when the columns are
/// the same or outside the matrix; `CoxTooManySubgroupLevels`.
pub fn subgroup_effects(
    data: &CoxData<'_>,
    group_column: usize,
    subgroup_column: usize,
    options: &CoxOptions,
    scratch: &mut CoxScratch<'_>,
) -> Result<SubgroupResult, Status> {
    options.validate()?;
    if group_column == subgroup_column {
        return Err(Status::InvalidOption);
    }
    let mut group_only = Model::empty();
    group_only.push(Term::Column(group_column))?;
    let mut both = group_only.clone();
    both.push(Term::Column(subgroup_column))?;
    validate(data, &both, Rows::All)?;
    if !(0..data.n()).any(|i| data.is_event(i)) {
        return Err(Status::NoEvents);
    }
    let values = distinct_levels(data, subgroup_column)?;
    let n_levels = values.len();
    // The interaction model: group, K − 1 dummies, K − 1 products.
    check_scratch(data, (2 * n_levels).saturating_sub(1).max(1), scratch)?;

    let overall = level_row(
        f64::NAN,
        fit_model(data, &group_only, Rows::All, options, scratch, None),
    );
    let mut levels = [level_row(f64::NAN, Err(Status::Ok)); MAX_SUBGROUP_LEVELS];
    for (row, &level) in levels.iter_mut().zip(values.iter()) {
        let rows = Rows::Level {
            column: subgroup_column,
            level,
        };
        *row = level_row(
            level,
            fit_model(data, &group_only, rows, options, scratch, None),
        );
    }

    let nan_test = CoxTest {
        statistic: f64::NAN,
        df: 0,
        p_value: f64::NAN,
    };
    let mut result = SubgroupResult {
        overall,
        n_levels: u32::try_from(n_levels).map_err(|_| Status::CoxTooManySubgroupLevels)?,
        levels,
        interaction_status: Status::Ok,
        interaction_wald: nan_test,
        interaction_lr: nan_test,
    };
    match interaction_tests(
        data,
        group_column,
        subgroup_column,
        &values,
        options,
        scratch,
    ) {
        Ok((wald, lr)) => {
            result.interaction_wald = wald;
            result.interaction_lr = lr;
        }
        Err(status) => result.interaction_status = status,
    }
    Ok(result)
}

/// The joint Wald and the likelihood-ratio tests of the group × subgroup products.
fn interaction_tests(
    data: &CoxData<'_>,
    group_column: usize,
    subgroup_column: usize,
    values: &[f64],
    options: &CoxOptions,
    scratch: &mut CoxScratch<'_>,
) -> Result<(CoxTest, CoxTest), Status> {
    let n_levels = values.len();
    if n_levels < 2 {
        return Err(Status::CoxOneSubgroupLevel);
    }
    let others = values.iter().skip(1);
    let mut reduced = Model::empty();
    reduced.push(Term::Column(group_column))?;
    for &level in others.clone() {
        reduced.push(Term::Indicator(subgroup_column, level))?;
    }
    let mut full = reduced.clone();
    for &level in others {
        full.push(Term::IndicatorProduct(group_column, subgroup_column, level))?;
    }
    let options = CoxOptions {
        concordance: super::ConcordanceMode::Skip,
        ..*options
    };
    let reduced_fit = fit_model(data, &reduced, Rows::All, &options, scratch, None)?;
    let full_fit = fit_model(data, &full, Rows::All, &options, scratch, None)?;
    // The full model nests the reduced one (its β̂ with zero products is a point of the full
    // model), so its maximum cannot lie below the reduced maximum: if it does, a loose `eps`
    // stopped one of them short, and the LR statistic would be negative.
    if super::fit::below_start(full_fit.loglik, reduced_fit.loglik) {
        return Err(Status::CoxLikelihoodBelowStart);
    }
    let df = n_levels - 1;
    let first = reduced.p();
    // b_I and V_II of the product terms (the last df coefficients of the full model).
    let mut b = [0.0; MAX_COVARIATES];
    let mut v = [[0.0; MAX_COVARIATES]; MAX_COVARIATES];
    for (k, bk) in b.iter_mut().enumerate().take(df) {
        *bk = full_fit
            .coefficients
            .get(first + k)
            .copied()
            .unwrap_or(f64::NAN);
        let source = full_fit.covariance.get(first + k);
        if let (Some(row), Some(source)) = (v.get_mut(k), source) {
            for (l, x) in row.iter_mut().enumerate().take(df) {
                *x = source.get(first + l).copied().unwrap_or(f64::NAN);
            }
        }
    }
    let (wald, _) = super::cholesky::quadratic_form(&v, df, &b, options.toler_chol);
    let df = u32::try_from(df).map_err(|_| Status::CoxTooManySubgroupLevels)?;
    let lr = 2.0 * (full_fit.loglik - reduced_fit.loglik);
    Ok((chi_square(wald, df), chi_square(lr, df)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distinct_levels_are_sorted_and_bounded() {
        let t = [1.0; 6];
        let e = [1; 6];
        let x = [3.0, 1.0, 2.0, 1.0, 3.0, -1.0];
        let d = CoxData::new(&t, &e, &x, 1).unwrap();
        let levels = distinct_levels(&d, 0).unwrap();
        assert_eq!(levels.as_slice(), &[-1.0, 1.0, 2.0, 3.0]);
        let many: Vec<f64> = (0..20).map(f64::from).collect();
        let t = [1.0; 20];
        let e = [1; 20];
        let d = CoxData::new(&t, &e, &many, 1).unwrap();
        assert_eq!(
            distinct_levels(&d, 0),
            Err(Status::CoxTooManySubgroupLevels)
        );
    }
}
