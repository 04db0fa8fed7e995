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

    // 200–299: images and ROIs.
    /// The image width or height is zero.
    ImageSizeZero = 200,
    /// The row stride is smaller than width × bytes per pixel.
    RowStrideTooSmall = 201,
    /// The row stride is not a multiple of the bytes per pixel.
    RowStrideNotMultiple = 202,
    /// The pixel buffer is shorter than (height − 1) · stride + width · bytes per pixel.
    ImageDataTooShort = 203,
    /// Bits Stored is 0, larger than the stored type's width, or not 32 for f32 pixels.
    BitsStoredInvalid = 204,
    /// The Rescale Slope is zero, so every pixel would get the same value.
    RescaleSlopeZero = 205,
    /// A Pixel Spacing value is zero or negative.
    PixelSpacingNotPositive = 206,
    /// A shape parameter is invalid: radius or semi-axis ≤ 0, rectangle with x0 > x1 or y0 > y1,
    /// polygon with fewer than 3 vertices, empty mask, or a mask given in millimetres.
    InvalidShape = 207,
    /// The shape lies wholly outside the image.
    RoiOutsideImage = 208,
    /// No pixel centre of the image lies inside the shape (it falls between pixel centres).
    RoiEmpty = 209,
    /// Every pixel of the ROI is padding, outside the value window, or not finite.
    RoiAllExcluded = 210,
    /// A polygon crosses one pixel row more often than the rasteriser's fixed capacity.
    PolygonTooComplex = 211,

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
    /// The Cox iteration met its convergence test at a log-likelihood below its start (β = 0):
    /// the point is not a maximum (R's `coxph` reports it as converged, with a negative
    /// likelihood-ratio statistic). A smaller `eps` lets the iteration go on to the maximum.
    CoxLikelihoodBelowStart = 408,
    // 500–599: cutpoints.
    /// Too few subjects for two groups of the minimum size: the admissible low-group sizes
    /// max(1, ⌊n·min_prop⌋) … ⌊n·max_prop⌋ (and ≤ n − 1) are empty.
    CutpointTooFewSubjects = 500,
    /// Every marker value is equal: there is no split.
    CutpointMarkerConstant = 501,
    /// The marker has distinct values, but ties put every split outside the admissible
    /// proportions (R's maxstat: "no data between minprop, maxprop").
    CutpointNoSplitInRange = 502,
    /// maxstat's log-rank scores are all equal (for example every event at one time with no
    /// other subject): the standardized statistic has no variance.
    CutpointScoresConstant = 503,
    // 600–699: correlation, agreement and group comparisons.
    /// Fewer observations than the statistic needs (2 for Spearman and Wilcoxon, 3 for Pearson,
    /// 2 per group for Welch's t, 2 subjects for an ICC).
    TooFewObservations = 600,
    /// An ICC needs at least 2 raters (columns of the rating matrix).
    TooFewRaters = 601,
    /// The data have no variation where the statistic needs some (a constant sample, all values
    /// tied, every rating equal): the statistic is undefined.
    ZeroVariance = 602,
    /// A contingency table count is negative.
    NegativeCount = 603,
    /// An exact test needs whole-number counts (at most 2^31 − 1).
    NonIntegerCount = 604,
    /// Every count of the contingency table is zero.
    EmptyTable = 605,
    /// A row or column of the contingency table sums to zero, so an expected count is zero.
    ZeroMarginal = 606,
    /// A contingency table needs at least 2 rows and 2 columns.
    TableTooSmall = 607,
    /// The test takes a 2 × 2 table only (Fisher's exact test here).
    TableNotTwoByTwo = 608,
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
            Status::ImageSizeZero => c"the image width or height is zero",
            Status::RowStrideTooSmall => {
                c"the row stride is smaller than width times the bytes per pixel"
            }
            Status::RowStrideNotMultiple => {
                c"the row stride is not a multiple of the bytes per pixel"
            }
            Status::ImageDataTooShort => {
                c"the pixel buffer is shorter than (height - 1) * stride + width pixels"
            }
            Status::BitsStoredInvalid => {
                c"bits stored is 0, wider than the stored type, or not 32 for float pixels"
            }
            Status::RescaleSlopeZero => c"the rescale slope is zero",
            Status::PixelSpacingNotPositive => c"a pixel spacing value is zero or negative",
            Status::InvalidShape => {
                c"invalid ROI shape (radius or axis <= 0, inverted rectangle, polygon < 3 vertices, empty or mm mask)"
            }
            Status::RoiOutsideImage => c"the ROI shape lies wholly outside the image",
            Status::RoiEmpty => c"no pixel centre lies inside the ROI shape",
            Status::RoiAllExcluded => {
                c"every ROI pixel is padding, outside the value window, or not finite"
            }
            Status::PolygonTooComplex => {
                c"the polygon crosses one pixel row more often than the rasteriser supports"
            }
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
            Status::CoxLikelihoodBelowStart => c"the Cox fit stopped at a log-likelihood below its start (beta = 0): not a maximum; use a smaller eps",
            Status::CutpointTooFewSubjects => {
                c"too few subjects for two groups of the minimum size (min_prop, max_prop)"
            }
            Status::CutpointMarkerConstant => c"every marker value is equal: there is no cutpoint",
            Status::CutpointNoSplitInRange => {
                c"tied marker values leave no split within the admissible group proportions"
            }
            Status::CutpointScoresConstant => {
                c"the log-rank scores are all equal: the maximally selected statistic is undefined"
            }
            Status::TooFewObservations => c"too few observations for this statistic",
            Status::TooFewRaters => c"an ICC needs at least 2 raters (columns)",
            Status::ZeroVariance => {
                c"the data have zero variance (constant or all tied): the statistic is undefined"
            }
            Status::NegativeCount => c"a table count is negative",
            Status::NonIntegerCount => {
                c"an exact test needs whole-number counts (at most 2^31 - 1)"
            }
            Status::EmptyTable => c"every count of the table is zero",
            Status::ZeroMarginal => {
                c"a row or column of the table sums to zero: an expected count is zero"
            }
            Status::TableTooSmall => c"a contingency table needs at least 2 rows and 2 columns",
            Status::TableNotTwoByTwo => c"this test takes a 2 x 2 table only",
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
        Status::ImageSizeZero,
        Status::RowStrideTooSmall,
        Status::RowStrideNotMultiple,
        Status::ImageDataTooShort,
        Status::BitsStoredInvalid,
        Status::RescaleSlopeZero,
        Status::PixelSpacingNotPositive,
        Status::InvalidShape,
        Status::RoiOutsideImage,
        Status::RoiEmpty,
        Status::RoiAllExcluded,
        Status::PolygonTooComplex,
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
        Status::CoxLikelihoodBelowStart,
        Status::CutpointTooFewSubjects,
        Status::CutpointMarkerConstant,
        Status::CutpointNoSplitInRange,
        Status::CutpointScoresConstant,
        Status::TooFewObservations,
        Status::TooFewRaters,
        Status::ZeroVariance,
        Status::NegativeCount,
        Status::NonIntegerCount,
        Status::EmptyTable,
        Status::ZeroMarginal,
        Status::TableTooSmall,
        Status::TableNotTwoByTwo,
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

    /// `ALL` is what `ecv_status_str` searches: a variant missing from it would print as
    /// "unknown". Count the declared variants in this very file and compare.
    #[test]
    fn all_lists_every_declared_variant() {
        let source = include_str!("status.rs");
        let enum_body = source
            .split("pub enum Status {")
            .nth(1)
            .and_then(|rest| rest.split("\n}").next())
            .expect("the enum declaration");
        let declared = enum_body
            .lines()
            .filter(|l| {
                let t = l.trim();
                t.ends_with(',') && t.contains(" = ") && !t.starts_with("//")
            })
            .count();
        assert_eq!(declared, Status::ALL.len());
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
