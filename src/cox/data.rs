//! The inputs of a Cox fit: the caller's arrays, the model's columns, their validation, the
//! centring and scaling R applies, and the caller-lent scratch.

use super::MAX_COVARIATES;
use crate::numeric::{NeumaierSum, SQRT_EPSILON};
use crate::survival::{SurvivalData, TimeMatching};
use crate::Status;

/// The data of a Cox model: one row per subject.
///
/// `covariates` is row-major: subject i's values are `covariates[i·n_columns .. (i+1)·n_columns]`.
/// A fit uses every column ([`super::cox_fit`]); the workflow helpers pick columns. Missing
/// values are not allowed (R's `coxph` drops rows with `NA`: drop them before the call).
#[derive(Clone, Copy, Debug)]
pub struct CoxData<'a> {
    /// Follow-up time of each subject, finite and ≥ 0. Which times are tied follows
    /// [`super::CoxOptions::time_matching`] (R's `timefix` by default).
    pub time: &'a [f64],
    /// 1 = event (death, progression), 0 = censored.
    pub event: &'a [u8],
    /// n × `n_columns` covariates, row-major, finite.
    pub covariates: &'a [f64],
    /// Columns per row of `covariates` (1 … [`MAX_COVARIATES`] for a fit of all of them).
    pub n_columns: usize,
    /// Optional stratum label per subject: a separate baseline hazard per label (R's
    /// `strata()`); risk sets and concordance pairs never cross strata.
    pub strata: Option<&'a [u32]>,
    /// Optional case weights, finite and > 0 (R's `weights`, which rejects w ≤ 0).
    pub weights: Option<&'a [f64]>,
}

impl<'a> CoxData<'a> {
    /// Data without strata or weights, after checking the lengths: `LengthMismatch` unless
    /// `event` has n = `time.len()` values and `covariates` has n · `n_columns`; `EmptyInput`
    /// for n = 0 or `n_columns` = 0.
    pub fn new(
        time: &'a [f64],
        event: &'a [u8],
        covariates: &'a [f64],
        n_columns: usize,
    ) -> Result<Self, Status> {
        let data = CoxData {
            time,
            event,
            covariates,
            n_columns,
            strata: None,
            weights: None,
        };
        data.check_lengths()?;
        Ok(data)
    }

    /// The same data with stratum labels (one per subject).
    pub fn with_strata(self, strata: &'a [u32]) -> Self {
        CoxData {
            strata: Some(strata),
            ..self
        }
    }

    /// The same data with case weights (one per subject).
    pub fn with_weights(self, weights: &'a [f64]) -> Self {
        CoxData {
            weights: Some(weights),
            ..self
        }
    }

    /// The number of subjects.
    pub fn n(&self) -> usize {
        self.time.len()
    }

    /// `EmptyInput`, `LengthMismatch` or `TooManyElements` when the arrays do not fit together.
    pub(crate) fn check_lengths(&self) -> Result<(), Status> {
        let n = self.time.len();
        if n == 0 || self.n_columns == 0 {
            return Err(Status::EmptyInput);
        }
        if u32::try_from(n).is_err() {
            return Err(Status::TooManyElements);
        }
        let cells = n
            .checked_mul(self.n_columns)
            .ok_or(Status::TooManyElements)?;
        let strata_ok = self.strata.is_none_or(|s| s.len() == n);
        let weights_ok = self.weights.is_none_or(|w| w.len() == n);
        if self.event.len() != n || self.covariates.len() != cells || !strata_ok || !weights_ok {
            return Err(Status::LengthMismatch);
        }
        Ok(())
    }

    /// The stratum label of subject `i` (0 without strata).
    pub(crate) fn stratum(&self, i: usize) -> u32 {
        self.strata
            .and_then(|s| s.get(i).copied())
            .unwrap_or_default()
    }

    /// The case weight of subject `i` (1 without weights).
    pub(crate) fn weight(&self, i: usize) -> f64 {
        self.weights.and_then(|w| w.get(i).copied()).unwrap_or(1.0)
    }

    /// The time of subject `i`.
    pub(crate) fn time_of(&self, i: usize) -> f64 {
        self.time.get(i).copied().unwrap_or(f64::NAN)
    }

    /// `true` when subject `i` had the event.
    pub(crate) fn is_event(&self, i: usize) -> bool {
        self.event.get(i).copied() == Some(1)
    }

    /// The value in row `i`, column `column` (NaN outside the matrix, never reached after
    /// validation).
    pub(crate) fn value(&self, i: usize, column: usize) -> f64 {
        i.checked_mul(self.n_columns)
            .and_then(|start| start.checked_add(column))
            .and_then(|k| self.covariates.get(k).copied())
            .unwrap_or(f64::NAN)
    }
}

/// One column of a model's design, built from the caller's matrix.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Term {
    /// Column j of the matrix.
    Column(usize),
    /// 1 when x_j equals the level, else 0 (a dummy of a categorical column, as R's factor
    /// coding with the other levels as reference).
    Indicator(usize, f64),
    /// x_j · [x_k = level]: the interaction of column j with a dummy of column k (R's `a:b`).
    IndicatorProduct(usize, usize, f64),
}

/// The columns of one model: up to [`MAX_COVARIATES`] terms.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Model {
    terms: heapless::Vec<Term, MAX_COVARIATES>,
}

impl Model {
    /// An empty model.
    pub(crate) const fn empty() -> Self {
        Model {
            terms: heapless::Vec::new(),
        }
    }

    /// Every column of the data, in order.
    pub(crate) fn all_columns(n_columns: usize) -> Result<Self, Status> {
        let mut model = Model::empty();
        for j in 0..n_columns {
            model.push(Term::Column(j))?;
        }
        Ok(model)
    }

    /// Adds a term; `CoxTooManyCovariates` beyond [`MAX_COVARIATES`] (heapless hands it back).
    pub(crate) fn push(&mut self, term: Term) -> Result<(), Status> {
        self.terms
            .push(term)
            .map_err(|_| Status::CoxTooManyCovariates)
    }

    /// The number of terms, p.
    pub(crate) fn p(&self) -> usize {
        self.terms.len()
    }

    /// The terms.
    pub(crate) fn terms(&self) -> impl Iterator<Item = Term> + '_ {
        self.terms.iter().copied()
    }

    /// The largest matrix column a term reads, to check it exists.
    fn max_column(&self) -> Option<usize> {
        self.terms()
            .map(|t| match t {
                Term::Column(j) | Term::Indicator(j, _) => j,
                Term::IndicatorProduct(j, k, _) => j.max(k),
            })
            .max()
    }

    /// The value of `term` for subject `i`.
    pub(crate) fn term_value(data: &CoxData<'_>, i: usize, term: Term) -> f64 {
        let indicator = |k: usize, level: f64| {
            if data.value(i, k) == level {
                1.0
            } else {
                0.0
            }
        };
        match term {
            Term::Column(j) => data.value(i, j),
            Term::Indicator(j, level) => indicator(j, level),
            Term::IndicatorProduct(j, k, level) => data.value(i, j) * indicator(k, level),
        }
    }
}

/// R's rule for tied times (`aeqSurv`, used by `coxph` with `timefix = TRUE`): over the sorted
/// distinct times y, a time joins the group of the previous distinct time when their gap is
/// ≤ √ε absolutely or relative to mean(|y|); a group is one tied time. With
/// [`TimeMatching::Exact`], only equal times are tied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TimeTies {
    matching: TimeMatching,
    mean_distinct: f64,
}

impl TimeTies {
    /// The rule for times given in ascending order.
    pub(crate) fn new(sorted_times: impl Iterator<Item = f64>, matching: TimeMatching) -> Self {
        let mut sum = NeumaierSum::new();
        let mut count = 0u32;
        let mut previous = f64::NAN;
        if matching == TimeMatching::RTimefix {
            for t in sorted_times {
                if t != previous {
                    sum.add(libm::fabs(t));
                    count = count.saturating_add(1);
                    previous = t;
                }
            }
        }
        let mean_distinct = if count == 0 {
            0.0
        } else {
            sum.total() / f64::from(count)
        };
        TimeTies {
            matching,
            mean_distinct,
        }
    }

    /// Whether `b` is in the tied group of the next smaller distinct time `a` (a ≤ b).
    pub(crate) fn linked(&self, a: f64, b: f64) -> bool {
        if a == b {
            return true;
        }
        match self.matching {
            TimeMatching::Exact => false,
            TimeMatching::RTimefix => {
                let gap = b - a;
                gap <= SQRT_EPSILON || gap / self.mean_distinct <= SQRT_EPSILON
            }
        }
    }
}

/// The caller-lent working memory of a fit (see [`scratch_sizes`]). Its contents on entry do
/// not matter and on return are unspecified.
#[derive(Debug)]
pub struct CoxScratch<'a> {
    /// At least [`ScratchSizes::index`] values: the subjects' sweep order, the radix sort's
    /// buffer, their tied-time groups and flags (then the concordance's predictor ranks).
    pub index: &'a mut [u32],
    /// At least [`ScratchSizes::values`] values: the weights and the centred, scaled
    /// covariates in sweep order (R works on such a sorted copy too), then the concordance's
    /// predictor and search trees.
    pub values: &'a mut [f64],
}

/// How much scratch a fit needs.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ScratchSizes {
    /// `u32` values: 4 n.
    pub index: usize,
    /// `f64` values: n · (1 + max(p, 6)).
    pub values: usize,
}

/// The scratch a fit of `n` subjects on `p` model columns needs: 4n `u32` and
/// n · (1 + max(p, 6)) `f64` (for p ≤ 6: 16 + 56 bytes per subject). The univariable screen needs
/// the sizes for p = its number of columns; the subgroup helper for p = 2K − 1 with K levels
/// (at most 31).
///
/// Errors: `TooManyElements` when n does not fit in a `u32` index or the sizes overflow.
pub fn scratch_sizes(n: usize, p: usize) -> Result<ScratchSizes, Status> {
    if u32::try_from(n).is_err() {
        return Err(Status::TooManyElements);
    }
    Ok(ScratchSizes {
        index: n.checked_mul(4).ok_or(Status::TooManyElements)?,
        values: super::design::values_len(n, p).ok_or(Status::TooManyElements)?,
    })
}

/// Which rows of the data a fit uses: all, or those whose column `column` equals `level`
/// exactly (a subgroup).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Rows {
    /// Every subject.
    All,
    /// Subjects with `x[i][column] == level`.
    Level {
        /// The subgroup column.
        column: usize,
        /// Its value.
        level: f64,
    },
}

impl Rows {
    /// `true` when subject `i` is used.
    pub(crate) fn includes(&self, data: &CoxData<'_>, i: usize) -> bool {
        match *self {
            Rows::All => true,
            Rows::Level { column, level } => data.value(i, column) == level,
        }
    }
}

/// Checks everything a fit reads, before anything is computed: every time finite and ≥ 0 and
/// every event 0/1 (as [`SurvivalData::new`]); for the rows in use, covariates finite and weights
/// finite and > 0; model columns inside the matrix.
pub(crate) fn validate(data: &CoxData<'_>, model: &Model, rows: Rows) -> Result<(), Status> {
    data.check_lengths()?;
    SurvivalData::new(data.time, data.event)?;
    if model.p() == 0 {
        return Err(Status::EmptyInput);
    }
    if model.max_column().is_some_and(|c| c >= data.n_columns) {
        return Err(Status::InvalidOption);
    }
    if let Rows::Level { column, level } = rows {
        if column >= data.n_columns {
            return Err(Status::InvalidOption);
        }
        if !level.is_finite() {
            return Err(Status::NotFinite);
        }
    }
    for i in 0..data.n() {
        if !rows.includes(data, i) {
            continue;
        }
        let w = data.weight(i);
        if !w.is_finite() {
            return Err(Status::NotFinite);
        }
        if w <= 0.0 {
            return Err(Status::CoxWeightNotPositive);
        }
        let column_bad = |j: usize| !data.value(i, j).is_finite();
        let term_bad = |t: Term| match t {
            Term::Column(j) | Term::Indicator(j, _) => column_bad(j),
            Term::IndicatorProduct(j, k, _) => column_bad(j) || column_bad(k),
        };
        if model.terms().any(term_bad) {
            return Err(Status::NotFinite);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_are_checked() {
        let t = [1.0, 2.0];
        let e = [1, 0];
        assert_eq!(
            CoxData::new(&t, &e, &[1.0, 2.0, 3.0], 2).err(),
            Some(Status::LengthMismatch)
        );
        assert_eq!(
            CoxData::new(&[], &[], &[], 1).err(),
            Some(Status::EmptyInput)
        );
        let d = CoxData::new(&t, &e, &[1.0, 2.0], 1).unwrap();
        assert_eq!(
            d.with_strata(&[1]).check_lengths(),
            Err(Status::LengthMismatch)
        );
        assert_eq!(
            d.with_weights(&[1.0, 2.0, 3.0]).check_lengths(),
            Err(Status::LengthMismatch)
        );
    }

    #[test]
    fn validation_rejects_bad_values() {
        let t = [1.0, 2.0];
        let x = [0.5, 1.5];
        let model = Model::all_columns(1).unwrap();
        let d = CoxData::new(&t, &[1, 2], &x, 1).unwrap();
        assert_eq!(validate(&d, &model, Rows::All), Err(Status::EventNotBinary));
        let d = CoxData::new(&[1.0, -2.0], &[1, 0], &x, 1).unwrap();
        assert_eq!(validate(&d, &model, Rows::All), Err(Status::NegativeTime));
        let d = CoxData::new(&t, &[1, 0], &x, 1).unwrap();
        assert_eq!(
            validate(&d.with_weights(&[1.0, 0.0]), &model, Rows::All),
            Err(Status::CoxWeightNotPositive)
        );
        let xn = [0.5, f64::NAN];
        let d = CoxData::new(&t, &[1, 0], &xn, 1).unwrap();
        assert_eq!(validate(&d, &model, Rows::All), Err(Status::NotFinite));
        // The NaN row is outside the subgroup: fine.
        let rows = Rows::Level {
            column: 0,
            level: 0.5,
        };
        assert_eq!(validate(&d, &model, rows), Ok(()));
    }
}
