//! The one error type of the crate: [`Status`].
//!
//! Every fallible function of the Rust core returns `Result<T, Status>` (never `Err(Status::Ok)`);
//! every fallible C function returns the same value as `ecv_status`, with `ECV_OK = 0`, and
//! `ecv_status_str` prints it. The model is rustls-ffi's `rustls_result`.
//!
//! Values are explicit and grouped by hundreds so that a number printed in a log tells the family:
//! 1–99 any function's input, 100–199 ECV, 200–299 images and ROIs, 300–399 survival curves and
//! log-rank, 400–499 Cox models, 500–599 cutpoints, 600–699 correlation, agreement and group
//! comparisons. Values are never reused or renumbered.

use core::ffi::CStr;
use core::fmt;

/// The outcome of a call: `Ok` (0) or the reason nothing was computed.
///
/// On any value other than `Ok`, no output was written.
#[repr(u32)]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Status {
    /// Success: the outputs were written.
    Ok = 0,

    // 1–99: inputs of any function.
    /// A required pointer was null.
    NullPointer = 1,
    /// An input number was NaN or infinite.
    NotFinite = 2,
    /// An input had length zero where at least one element is needed.
    EmptyInput = 3,
    /// Two inputs that must have the same length do not.
    LengthMismatch = 4,
    /// An output buffer is smaller than the result; the number of elements needed was reported.
    BufferTooSmall = 5,
    /// The caller-lent scratch buffer is smaller than the function documents.
    ScratchTooSmall = 6,
    /// An enumeration value arriving as an integer is not one of the defined values.
    InvalidEnumValue = 7,
    /// An option is outside its documented range (for example a confidence level not in (0, 1)).
    InvalidOption = 8,
    /// More elements than the function can index (it uses 32-bit indices).
    TooManyElements = 9,
    /// An output buffer overlaps an input buffer.
    BuffersOverlap = 10,
    /// A pointer is not aligned for its element type.
    MisalignedPointer = 11,

    // 100–199: ECV.
    /// Hematocrit above 1: most likely a percent (42 instead of 0.42); give a fraction.
    HematocritPercent = 100,
    /// Hematocrit not in the open interval (0, 1).
    HematocritOutOfRange = 101,
    /// Blood enhancement (equilibrium − unenhanced) is exactly zero: ECV is undefined.
    BloodEnhancementZero = 102,
    /// Blood enhancement is negative: the blood pool lost signal, so the ECV would be meaningless.
    BloodEnhancementNegative = 103,
    /// A T1 relaxation time is zero or negative.
    T1NotPositive = 104,
    /// A synthetic-hematocrit model gave a value outside (0, 1) for this input.
    SyntheticHematocritOutOfRange = 105,
    /// A pixel value window or plausible ECV range has its lower bound above its upper bound.
    InvalidRange = 106,

    // 300–399: sorting, survival curves and log-rank.
    /// An index array is not an ascending order of its keys (an index out of range, or keys that
    /// decrease along it).
    InvalidOrder = 300,
    /// An event indicator is neither 0 (censored) nor 1 (event).
    EventNotBinary = 301,
    /// A survival time is negative.
    NegativeTime = 302,
    /// A group label is not below the number of groups.
    GroupOutOfRange = 303,
    /// More groups than the function supports (the log-rank test: 32).
    TooManyGroups = 304,
    /// Fewer than two groups have subjects: there is nothing to compare.
    SingleGroup = 305,
    /// No subject had an event: the test is undefined.
    NoEvents = 306,
    /// The variance matrix of the test statistic is singular (R's `solve` fails too).
    SingularVariance = 307,

    // 400–499: Cox models.
    /// More model columns than `cox::MAX_COVARIATES` (32).
    CoxTooManyCovariates = 400,
    /// Monotone likelihood: a Cox coefficient diverges to ±∞ (for example a group without events);
    /// the diagnostic names the covariate. R only warns and prints a huge coefficient.
    CoxMonotoneLikelihood = 401,
    /// Collinear Cox covariates: a column is a linear combination of earlier ones (or constant);
    /// the diagnostic names it. R reports its coefficient as NA.
    CoxCollinear = 402,
    /// The Cox Newton-Raphson iteration did not converge within the maximum number of iterations
    /// (the diagnostic gives the count).
    CoxNotConverged = 403,
    /// A case weight is zero or negative (R's `coxph` rejects weights <= 0).
    CoxWeightNotPositive = 404,
    /// A subgroup variable has more distinct values than `cox::MAX_SUBGROUP_LEVELS` (16).
    CoxTooManySubgroupLevels = 405,
    /// The subgroup variable has a single value: no interaction can be tested.
    CoxOneSubgroupLevel = 406,
    /// No covariate passed the univariable screen: no multivariable model was fitted.
    CoxNothingSelected = 407,
}

impl Status {
    /// A static, NUL-terminated English description of the status, for logs and error dialogs.
    pub const fn description(self) -> &'static CStr {
        match self {
            Status::Ok => c"success",
            Status::NullPointer => c"a required pointer argument was null",
            Status::NotFinite => c"an input number was NaN or infinite",
            Status::EmptyInput => c"an input had length zero where at least one element is needed",
            Status::LengthMismatch => c"inputs that must have the same length do not",
            Status::BufferTooSmall => {
                c"the output buffer is too small; the number of elements needed was reported"
            }
            Status::ScratchTooSmall => c"the scratch buffer is smaller than the function documents",
            Status::InvalidEnumValue => c"an enumeration value is not one of the defined values",
            Status::InvalidOption => c"an option is outside its documented range",
            Status::TooManyElements => c"more elements than the function can index (2^32 - 1)",
            Status::BuffersOverlap => c"an output buffer overlaps an input buffer",
            Status::MisalignedPointer => c"a pointer is not aligned for its element type",
            Status::HematocritPercent => {
                c"hematocrit above 1: it looks like a percent; give a fraction (0.42, not 42)"
            }
            Status::HematocritOutOfRange => c"hematocrit must be a fraction in (0, 1)",
            Status::BloodEnhancementZero => {
                c"blood enhancement is zero: ECV is undefined (check the blood ROI and phases)"
            }
            Status::BloodEnhancementNegative => {
                c"blood enhancement is negative: equilibrium blood value below unenhanced"
            }
            Status::T1NotPositive => c"a T1 relaxation time is zero or negative",
            Status::SyntheticHematocritOutOfRange => {
                c"the synthetic hematocrit model gave a value outside (0, 1) for this input"
            }
            Status::InvalidRange => c"a range has its lower bound above its upper bound",
            Status::InvalidOrder => {
                c"an index array is not an ascending order of its keys (index out of range or unsorted)"
            }
            Status::EventNotBinary => c"an event indicator is neither 0 (censored) nor 1 (event)",
            Status::NegativeTime => c"a survival time is negative",
            Status::GroupOutOfRange => c"a group label is not below the number of groups",
            Status::TooManyGroups => c"more groups than the function supports (log-rank: 32)",
            Status::SingleGroup => c"fewer than two groups have subjects: nothing to compare",
            Status::NoEvents => c"no subject had an event: the test is undefined",
            Status::SingularVariance => c"the variance matrix of the test statistic is singular",
            Status::CoxTooManyCovariates => c"a Cox model has more covariates than the maximum (32)",
            Status::CoxMonotoneLikelihood => c"monotone likelihood: a Cox coefficient is infinite (e.g. a group without events); see the diagnostic for which",
            Status::CoxCollinear => c"collinear covariates: a column is redundant (or constant); see the diagnostic for which",
            Status::CoxNotConverged => c"the Cox model did not converge within the maximum number of iterations",
            Status::CoxWeightNotPositive => c"a case weight is zero or negative",
            Status::CoxTooManySubgroupLevels => c"the subgroup variable has more distinct values than the maximum (16)",
            Status::CoxOneSubgroupLevel => c"the subgroup variable has a single value: no interaction can be tested",
            Status::CoxNothingSelected => c"no covariate passed the univariable screen: no multivariable model was fitted",
        }
    }

    /// The description as a Rust string slice.
    pub fn as_str(self) -> &'static str {
        self.description().to_str().unwrap_or("")
    }

    /// Every status value, in numeric order (for tests and documentation tables).
    pub const ALL: &'static [Status] = &[
        Status::Ok,
        Status::NullPointer,
        Status::NotFinite,
        Status::EmptyInput,
        Status::LengthMismatch,
        Status::BufferTooSmall,
        Status::ScratchTooSmall,
        Status::InvalidEnumValue,
        Status::InvalidOption,
        Status::TooManyElements,
        Status::BuffersOverlap,
        Status::MisalignedPointer,
        Status::HematocritPercent,
        Status::HematocritOutOfRange,
        Status::BloodEnhancementZero,
        Status::BloodEnhancementNegative,
        Status::T1NotPositive,
        Status::SyntheticHematocritOutOfRange,
        Status::InvalidRange,
        Status::InvalidOrder,
        Status::EventNotBinary,
        Status::NegativeTime,
        Status::GroupOutOfRange,
        Status::TooManyGroups,
        Status::SingleGroup,
        Status::NoEvents,
        Status::SingularVariance,
        Status::CoxTooManyCovariates,
        Status::CoxMonotoneLikelihood,
        Status::CoxCollinear,
        Status::CoxNotConverged,
        Status::CoxWeightNotPositive,
        Status::CoxTooManySubgroupLevels,
        Status::CoxOneSubgroupLevel,
        Status::CoxNothingSelected,
    ];
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Returns `Err(Status::NotFinite)` unless `x` is finite.
pub(crate) fn require_finite(x: f64) -> Result<f64, Status> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(Status::NotFinite)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_has_a_distinct_nonempty_description() {
        for (i, a) in Status::ALL.iter().enumerate() {
            assert!(!a.as_str().is_empty(), "{a:?}");
            for b in &Status::ALL[i + 1..] {
                assert_ne!(a.as_str(), b.as_str(), "{a:?} and {b:?}");
                assert_ne!(*a as u32, *b as u32);
            }
        }
    }

    #[test]
    fn all_is_sorted_and_starts_with_ok() {
        assert_eq!(Status::ALL[0], Status::Ok);
        assert!(Status::ALL
            .windows(2)
            .all(|w| (w[0] as u32) < (w[1] as u32)));
    }

    #[test]
    fn require_finite_rejects_nan_and_infinities() {
        assert_eq!(require_finite(1.5), Ok(1.5));
        assert_eq!(require_finite(f64::NAN), Err(Status::NotFinite));
        assert_eq!(require_finite(f64::INFINITY), Err(Status::NotFinite));
        assert_eq!(require_finite(f64::NEG_INFINITY), Err(Status::NotFinite));
    }
}
