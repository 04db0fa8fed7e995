//! Reader agreement: the six intraclass correlation coefficients of Shrout & Fleiss (1979) /
//! McGraw & Wong (1996), as R's `psych::ICC(x, lmer = FALSE)` reports them.
//!
//! The seed paper's two radiologists agreed on tumor CT values with ICCs of 0.91–0.97.

use super::describe::power_of_two_scale;
use super::{r, require_conf_level};
use crate::numeric::NeumaierSum;
use crate::Status;

/// An n × k rating matrix: `values[i · raters + j]` is subject i's rating by rater j (row-major,
/// one row per subject). Missing ratings are not allowed (psych with `lmer = FALSE` stops on
/// them): a NaN is `NotFinite`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RatingMatrix<'a> {
    values: &'a [f64],
    subjects: usize,
    raters: usize,
}

impl<'a> RatingMatrix<'a> {
    /// A matrix of `subjects` rows and `raters` columns over `values` (row-major).
    ///
    /// Errors: `EmptyInput` (no values), `TooFewObservations` (fewer than 2 subjects),
    /// `TooFewRaters` (fewer than 2 raters), `LengthMismatch` (`values.len()` ≠ subjects · raters),
    /// `NotFinite` (a NaN or infinite rating).
    pub fn new(values: &'a [f64], subjects: usize, raters: usize) -> Result<Self, Status> {
        if values.is_empty() {
            return Err(Status::EmptyInput);
        }
        if subjects < 2 {
            return Err(Status::TooFewObservations);
        }
        if raters < 2 {
            return Err(Status::TooFewRaters);
        }
        if subjects.checked_mul(raters) != Some(values.len()) {
            return Err(Status::LengthMismatch);
        }
        super::require_all_finite(values)?;
        Ok(RatingMatrix {
            values,
            subjects,
            raters,
        })
    }

    /// Number of subjects (rows), n.
    pub fn subjects(&self) -> usize {
        self.subjects
    }

    /// Number of raters (columns), k.
    pub fn raters(&self) -> usize {
        self.raters
    }

    /// The row of subject `i`.
    fn row(&self, i: usize) -> &'a [f64] {
        let start = i.saturating_mul(self.raters);
        self.values
            .get(start..start.saturating_add(self.raters))
            .unwrap_or(&[])
    }
}

/// The six ICC forms, in psych's row order. Shrout–Fleiss names first, McGraw–Wong after.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum IccType {
    /// ICC1 = ICC(1,1): one-way random effects, single rater (absolute agreement).
    #[default]
    Icc1 = 0,
    /// ICC2 = ICC(2,1) = ICC(A,1): two-way random effects, single rater, absolute agreement.
    Icc2 = 1,
    /// ICC3 = ICC(3,1) = ICC(C,1): two-way mixed effects, single rater, consistency.
    Icc3 = 2,
    /// ICC1k = ICC(1,k): one-way random effects, mean of k raters.
    Icc1k = 3,
    /// ICC2k = ICC(2,k) = ICC(A,k): two-way random effects, mean of k raters, agreement.
    Icc2k = 4,
    /// ICC3k = ICC(3,k) = ICC(C,k): two-way mixed effects, mean of k raters, consistency.
    Icc3k = 5,
}

impl IccType {
    /// All six, in psych's row order (the order of [`IccTable::forms`]).
    pub const ALL: [IccType; 6] = [
        IccType::Icc1,
        IccType::Icc2,
        IccType::Icc3,
        IccType::Icc1k,
        IccType::Icc2k,
        IccType::Icc3k,
    ];
}

impl TryFrom<u32> for IccType {
    type Error = Status;

    fn try_from(value: u32) -> Result<Self, Status> {
        IccType::ALL
            .iter()
            .copied()
            .find(|t| *t as u32 == value)
            .ok_or(Status::InvalidEnumValue)
    }
}

/// One row of psych's ICC table.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct IccForm {
    /// Which ICC.
    pub kind: IccType,
    /// The coefficient.
    pub icc: f64,
    /// F statistic of the test ICC = 0: MSB/MSW (one-way forms) or MSB/MSE (two-way forms).
    pub f: f64,
    /// Numerator degrees of freedom, n − 1.
    pub df1: f64,
    /// Denominator degrees of freedom: n(k − 1) (one-way) or (n − 1)(k − 1) (two-way).
    pub df2: f64,
    /// Upper-tail p-value of F.
    pub p_value: f64,
    /// Lower confidence bound (level from [`IccOptions`]).
    pub lower: f64,
    /// Upper confidence bound.
    pub upper: f64,
}

/// The six ICCs with the ANOVA mean squares they come from.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct IccTable {
    /// ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k (psych's order; index = [`IccType`] value).
    pub forms: [IccForm; 6],
    /// Number of subjects n.
    pub subjects: usize,
    /// Number of raters k.
    pub raters: usize,
    /// Between-subjects mean square MSB = k Σᵢ(x̄ᵢ. − x̄)² / (n − 1).
    pub ms_subjects: f64,
    /// Between-raters mean square MSJ = n Σⱼ(x̄.ⱼ − x̄)² / (k − 1).
    pub ms_raters: f64,
    /// Residual mean square MSE = SSE / ((n − 1)(k − 1)) of the two-way model.
    pub ms_residual: f64,
    /// Within-subjects mean square MSW = (SSJ + SSE) / (n(k − 1)) of the one-way model.
    ///
    /// (The mean squares are computed on the ratings divided by a power of two near their
    /// largest magnitude, which leaves every ICC, F, p and bound unchanged and keeps the sums
    /// of squares from overflowing; a mean square itself is +∞ only when its true value exceeds
    /// the largest double.)
    pub ms_within: f64,
}

impl IccTable {
    /// The row of one ICC form (a copy; `forms[kind as usize]`).
    pub fn get(&self, kind: IccType) -> IccForm {
        self.forms.get(kind as usize).copied().unwrap_or_default()
    }
}

/// Options of [`icc`] (also the C `ecv_icc_options`).
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct IccOptions {
    /// Confidence level of the intervals, in (0, 1): 0.95 by default (psych's `alpha = 0.05`).
    pub conf_level: f64,
}

impl Default for IccOptions {
    fn default() -> Self {
        IccOptions { conf_level: 0.95 }
    }
}

/// The six intraclass correlations of an n × k rating matrix, exactly as `psych::ICC(x,
/// lmer = FALSE, alpha = 1 − conf_level)` computes them (psych 2.2.9), from the two-way ANOVA
/// without replication (MSB subjects, MSJ raters, MSE residual, MSW = (SSJ + SSE)/(n(k − 1))):
///
/// | form | ICC | F, df | CI |
/// | --- | --- | --- | --- |
/// | ICC1 | (MSB − MSW)/(MSB + (k − 1)MSW) | MSB/MSW; n − 1, n(k − 1) | F_L = F/q(1−α/2; df1, df2), F_U = F · q(1−α/2; df2, df1); (F − 1)/(F + k − 1) |
/// | ICC2 | (MSB − MSE)/(MSB + (k − 1)MSE + k(MSJ − MSE)/n) | MSB/MSE; n − 1, (n − 1)(k − 1) | Satterthwaite ν below |
/// | ICC3 | (MSB − MSE)/(MSB + (k − 1)MSE) | MSB/MSE | as ICC1 with MSB/MSE |
/// | ICC1k | (MSB − MSW)/MSB | as ICC1 | 1 − 1/F_L, 1 − 1/F_U |
/// | ICC2k | (MSB − MSE)/(MSB + (MSJ − MSE)/n) | as ICC2 | L·k/(1 + L(k − 1)) of ICC2's bounds |
/// | ICC3k | (MSB − MSE)/MSB | as ICC3 | 1 − 1/F_L, 1 − 1/F_U |
///
/// ICC2's interval (McGraw & Wong 1996, Table 7, as psych codes it): with Fj = MSJ/MSE and
/// ν = (k − 1)(n − 1)(k·ICC2·Fj + n(1 + (k − 1)ICC2) − k·ICC2)² / ((n − 1)k²ICC2²Fj² +
/// (n(1 + (k − 1)ICC2) − k·ICC2)²), F* = q(1 − α/2; n − 1, ν) and F** = q(1 − α/2; ν, n − 1):
/// L = n(MSB − F*·MSE)/(F*(k·MSJ + (kn − k − n)MSE) + n·MSB),
/// U = n(F**·MSB − MSE)/(k·MSJ + (kn − k − n)MSE + n·F**·MSB).
///
/// When MSE = 0 (raters agree exactly up to a shift, or entirely) the F tests are infinite
/// (p = 0) and the bounds take their limits (1 for the consistency forms; ν → k − 1 for ICC2);
/// R would print the same limits up to rounding noise. When MSB = 0 but MSE > 0 (every subject
/// has the same mean rating, the raters disagree) the average-measure forms ICC1k = 1 − 1/F and
/// ICC3k are −∞, with −∞ bounds, as `psych::ICC` prints them; ICC2's bounds are NaN (NA) when
/// its Satterthwaite ν is 0.
///
/// ICC(A,1) and ICC(A,k) are NaN (NA) when their denominators MSB + (k − 1)MSE + k(MSJ − MSE)/n
/// and MSB + (MSJ − MSE)/n are 0 within rounding: the forms are undefined there, and
/// `psych::ICC` prints whatever its rounding residue gives (ICC(A,k) = 1.3e15 for the 2 × 3
/// ratings 0.375 0.625 0.5 / 0.625 0.25 1).
///
/// Sums are compensated; SSE = SST − SSB − SSJ is formed by subtraction (what `aov`'s QR gives
/// up to rounding), so its relative error is about ε · SST/SSE: negligible unless the raters
/// agree to many digits. No scratch.
///
/// Errors: those of [`RatingMatrix::new`], `InvalidOption` (conf_level), `ZeroVariance` (no
/// variation between subjects and none left over: MSB = MSE = 0, e.g. every rating equal).
///
/// ```
/// use ecvkit::stats::{icc, IccOptions, IccType, RatingMatrix};
/// // Shrout & Fleiss (1979), Table 2: 6 targets, 4 judges.
/// let sf = [9.0, 2.0, 5.0, 8.0, 6.0, 1.0, 3.0, 2.0, 8.0, 4.0, 6.0, 8.0,
///           7.0, 1.0, 2.0, 6.0, 10.0, 5.0, 6.0, 9.0, 6.0, 2.0, 4.0, 7.0];
/// let table = icc(RatingMatrix::new(&sf, 6, 4)?, &IccOptions::default())?;
/// let published = [0.17, 0.29, 0.71, 0.44, 0.62, 0.91];
/// for (kind, want) in IccType::ALL.iter().zip(published) {
///     assert!((table.get(*kind).icc - want).abs() < 0.005);
/// }
/// # Ok::<(), ecvkit::Status>(())
/// ```
pub fn icc(ratings: RatingMatrix<'_>, options: &IccOptions) -> Result<IccTable, Status> {
    require_conf_level(options.conf_level)?;
    let n = ratings.subjects;
    let k = ratings.raters;
    let (nf, kf) = (n as f64, k as f64);
    // Mean squares of ratings / s, s a power of two (exact): every ICC, F and bound below is a
    // ratio of them and does not change, while squares of ratings near 1e300 no longer overflow
    // (they gave MSB = NaN). Only the reported mean squares are multiplied back by s².
    let scale = power_of_two_scale(ratings.values);
    let ms = mean_squares(&ratings, scale);
    let (msb, msj, mse, msw) = (ms.subjects, ms.raters, ms.residual, ms.within);
    if msb == 0.0 && mse == 0.0 {
        return Err(Status::ZeroVariance);
    }
    let alpha = 1.0 - options.conf_level;
    let upper_q = 1.0 - alpha / 2.0;

    let icc1 = (msb - msw) / (msb + (kf - 1.0) * msw);
    let icc2 = absolute_agreement(
        msb - mse,
        msb + (kf - 1.0) * mse,
        kf * (msj - mse) / nf,
        kf * (msj + mse) / nf,
    );
    let icc3 = (msb - mse) / (msb + (kf - 1.0) * mse);
    let icc1k = (msb - msw) / msb;
    let icc2k = absolute_agreement(msb - mse, msb, (msj - mse) / nf, (msj + mse) / nf);
    let icc3k = (msb - mse) / msb;

    let df1 = nf - 1.0;
    let df_one_way = nf * (kf - 1.0);
    let df_two_way = (nf - 1.0) * (kf - 1.0);
    let f1 = msb / msw;
    let f2 = msb / mse;
    let p1 = f_upper(f1, df1, df_one_way);
    let p2 = f_upper(f2, df1, df_two_way);

    // psych: F1L, F1U (one-way), F3L, F3U (two-way consistency).
    let f1l = f1 / r::qf(upper_q, df1, df_one_way);
    let f1u = f1 * r::qf(upper_q, df_one_way, df1);
    let f3l = f2 / r::qf(upper_q, df1, df_two_way);
    let f3u = f2 * r::qf(upper_q, df_two_way, df1);
    let single = |f: f64| {
        if f.is_infinite() {
            1.0
        } else {
            (f - 1.0) / (f + kf - 1.0)
        }
    };
    let average = |f: f64| 1.0 - 1.0 / f;

    // ICC2: Satterthwaite df for the agreement forms.
    let v = if mse > 0.0 {
        let fj = msj / mse;
        let a = nf * (1.0 + (kf - 1.0) * icc2) - kf * icc2;
        let vn = (kf - 1.0) * (nf - 1.0) * (kf * icc2 * fj + a) * (kf * icc2 * fj + a);
        let vd = (nf - 1.0) * kf * kf * icc2 * icc2 * fj * fj + a * a;
        vn / vd
    } else if msj > 0.0 {
        kf - 1.0 // the limit of ν as Fj → ∞
    } else {
        df_two_way // MSE = MSJ = 0: the bounds below are 1 whatever ν is
    };
    let fs_u = r::qf(upper_q, df1, v);
    let fs_l = r::qf(upper_q, v, df1);
    let shared = kf * msj + (kf * nf - kf - nf) * mse;
    let l2 = nf * (msb - fs_u * mse) / (fs_u * shared + nf * msb);
    let u2 = nf * (fs_l * msb - mse) / (shared + nf * fs_l * msb);
    let to_average = |b: f64| b * kf / (1.0 + b * (kf - 1.0));

    let form = |kind, icc, f, df2, p, lower, upper| IccForm {
        kind,
        icc,
        f,
        df1,
        df2,
        p_value: p,
        lower,
        upper,
    };
    Ok(IccTable {
        forms: [
            form(
                IccType::Icc1,
                icc1,
                f1,
                df_one_way,
                p1,
                single(f1l),
                single(f1u),
            ),
            form(IccType::Icc2, icc2, f2, df_two_way, p2, l2, u2),
            form(
                IccType::Icc3,
                icc3,
                f2,
                df_two_way,
                p2,
                single(f3l),
                single(f3u),
            ),
            form(
                IccType::Icc1k,
                icc1k,
                f1,
                df_one_way,
                p1,
                average(f1l),
                average(f1u),
            ),
            form(
                IccType::Icc2k,
                icc2k,
                f2,
                df_two_way,
                p2,
                to_average(l2),
                to_average(u2),
            ),
            form(
                IccType::Icc3k,
                icc3k,
                f2,
                df_two_way,
                p2,
                average(f3l),
                average(f3u),
            ),
        ],
        subjects: n,
        raters: k,
        ms_subjects: msb * scale * scale,
        ms_raters: msj * scale * scale,
        ms_residual: mse * scale * scale,
        ms_within: msw * scale * scale,
    })
}

/// `pf(f, d1, d2, lower.tail = FALSE)`, 0 at f = ∞.
fn f_upper(f: f64, d1: f64, d2: f64) -> f64 {
    if f == f64::INFINITY {
        0.0
    } else {
        r::pf_upper(f, d1, d2)
    }
}

/// The mean squares of the two-way ANOVA without replication.
struct MeanSquares {
    subjects: f64,
    raters: f64,
    residual: f64,
    within: f64,
}

/// The absolute-agreement forms ICC(A,1) and ICC(A,k): `numerator / (positive + spread)`, where
/// `spread` ∝ MSJ − MSE is the only term that can be negative (`spread_magnitude` ∝ MSJ + MSE).
/// NaN (NA) when the denominator is 0 within the rounding of its terms (8ε of their magnitude):
/// the form is undefined there, not ±∞ or rounding noise.
fn absolute_agreement(numerator: f64, positive: f64, spread: f64, spread_magnitude: f64) -> f64 {
    let denominator = positive + spread;
    if libm::fabs(denominator) <= 8.0 * f64::EPSILON * (positive + spread_magnitude) {
        f64::NAN
    } else {
        numerator / denominator
    }
}

/// MSB, MSJ, MSE and MSW of a validated rating matrix divided by `scale` (compensated sums, no
/// scratch: column means are accumulated one strided pass per rater).
fn mean_squares(m: &RatingMatrix<'_>, scale: f64) -> MeanSquares {
    let (n, k) = (m.subjects, m.raters);
    let (nf, kf) = (n as f64, k as f64);
    let mut total = NeumaierSum::new();
    m.values.iter().for_each(|&v| total.add(v / scale));
    let grand = total.total() / (nf * kf);

    let mut sst = NeumaierSum::new();
    m.values
        .iter()
        .for_each(|&v| sst.add((v / scale - grand) * (v / scale - grand)));
    let mut ssb = NeumaierSum::new();
    for i in 0..n {
        let mut s = NeumaierSum::new();
        m.row(i).iter().for_each(|&v| s.add(v / scale - grand));
        let d = s.total() / kf;
        ssb.add(kf * d * d);
    }
    let mut ssj = NeumaierSum::new();
    for j in 0..k {
        let mut s = NeumaierSum::new();
        m.values
            .iter()
            .skip(j)
            .step_by(k)
            .for_each(|&v| s.add(v / scale - grand));
        let d = s.total() / nf;
        ssj.add(nf * d * d);
    }
    let (sst, ssb, ssj) = (sst.total(), ssb.total(), ssj.total());
    let sse = libm::fmax(sst - ssb - ssj, 0.0);
    let df_j = kf - 1.0;
    let df_e = (nf - 1.0) * (kf - 1.0);
    MeanSquares {
        subjects: ssb / (nf - 1.0),
        raters: ssj / df_j,
        residual: sse / df_e,
        within: (ssj + sse) / (df_j + df_e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_validation() {
        assert_eq!(RatingMatrix::new(&[], 0, 2), Err(Status::EmptyInput));
        assert_eq!(
            RatingMatrix::new(&[1.0, 2.0], 1, 2),
            Err(Status::TooFewObservations)
        );
        assert_eq!(
            RatingMatrix::new(&[1.0, 2.0], 2, 1),
            Err(Status::TooFewRaters)
        );
        assert_eq!(
            RatingMatrix::new(&[1.0, 2.0, 3.0], 2, 2),
            Err(Status::LengthMismatch)
        );
        assert_eq!(
            RatingMatrix::new(&[1.0, f64::NAN, 3.0, 4.0], 2, 2),
            Err(Status::NotFinite)
        );
        assert_eq!(
            RatingMatrix::new(&[1.0, 2.0], usize::MAX, 2),
            Err(Status::LengthMismatch)
        );
    }

    #[test]
    fn constant_matrix_is_zero_variance() {
        let m = RatingMatrix::new(&[3.0; 6], 3, 2).unwrap();
        assert_eq!(icc(m, &IccOptions::default()), Err(Status::ZeroVariance));
        let bad = IccOptions { conf_level: 0.0 };
        let m = RatingMatrix::new(&[1.0, 2.0, 3.0, 5.0], 2, 2).unwrap();
        assert_eq!(icc(m, &bad), Err(Status::InvalidOption));
    }

    #[test]
    fn raters_shifted_by_a_constant_give_the_limits_r_prints() {
        // psych::ICC(cbind(x, x + 5), lmer = FALSE) with x = c(1, 3, 2, 5, 4): R's residual mean
        // square is rounding noise (F = 7.8e30, p = 4.9e-62); the bounds do not depend on it.
        let m = [1.0, 6.0, 3.0, 8.0, 2.0, 7.0, 5.0, 10.0, 4.0, 9.0];
        let t = icc(RatingMatrix::new(&m, 5, 2).unwrap(), &IccOptions::default()).unwrap();
        let close = |a: f64, b: f64| crate::numeric::approx_eq(a, b, 1e-9);
        let icc2 = t.get(IccType::Icc2);
        assert!(close(icc2.icc, 0.166666666666667));
        assert_eq!((icc2.f, icc2.p_value), (f64::INFINITY, 0.0));
        assert!(close(icc2.lower, 2.22275738766956e-04), "{icc2:?}");
        assert!(close(icc2.upper, 0.709603909233409), "{icc2:?}");
        let icc2k = t.get(IccType::Icc2k);
        assert!(close(icc2k.lower, 4.44452686484676e-04) && close(icc2k.upper, 0.830138379306348));
        let icc3 = t.get(IccType::Icc3);
        assert_eq!((icc3.icc, icc3.lower, icc3.upper), (1.0, 1.0, 1.0));
        let icc1 = t.get(IccType::Icc1);
        assert!(close(icc1.icc, -0.428571428571429) && close(icc1.p_value, 0.802282098329367));
        assert!(close(icc1.lower, -0.897276356439901) && close(icc1.upper, 0.578573703149240));
    }

    #[test]
    fn type_round_trip() {
        for t in IccType::ALL {
            assert_eq!(IccType::try_from(t as u32), Ok(t));
        }
        assert_eq!(IccType::try_from(6), Err(Status::InvalidEnumValue));
    }
}
