//! The Kaplan-Meier estimator with Greenwood's variance, R's three confidence bands, the median
//! and its CI by R's rule, survival at a time, the restricted mean, and numbers at risk.
//!
//! Reference: R `survival::survfit(Surv(time, event) ~ 1)` (survival 3.5), its `summary` and
//! `print` methods.

use super::dist::normal_quantile;
use super::risk_set::{sorted_scratch_len, SortedSurvival, SurvivalData, TimeGroups, TimeMatching};
use crate::numeric::{NeumaierSum, SQRT_EPSILON};
use crate::status::require_finite;
use crate::Status;

/// The transform under which a pointwise confidence interval of S(t) is symmetric, as R's
/// `survfit(conf.type = ...)`; z = Φ⁻¹(1 − (1 − level)/2), se = R's `std.err` (the standard error
/// of −log S, √(Greenwood sum)).
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum ConfType {
    /// S ± z·se·S, clipped to [0, 1] (R `"plain"`). NaN where S = 0.
    Plain = 0,
    /// exp(log S ± z·se), upper clipped at 1 (R `"log"`, R's default). NaN where S = 0.
    #[default]
    Log = 1,
    /// exp(−exp(log(−log S) ∓ z·se / log S)) (R `"log-log"`, lifelines' default).
    /// NaN where S = 0 or S = 1.
    LogLog = 2,
}

impl TryFrom<u32> for ConfType {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(ConfType::Plain),
            1 => Ok(ConfType::Log),
            2 => Ok(ConfType::LogLog),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Options of the Kaplan-Meier estimate. The defaults are R's: log band, 95 %, `timefix`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct KmOptions {
    /// Confidence band type (default [`ConfType::Log`]).
    pub conf_type: ConfType,
    /// Confidence level in (0, 1) (default 0.95), R's `conf.int`.
    pub conf_level: f64,
    /// Tie matching of times (default [`TimeMatching::RTimefix`]).
    pub time_matching: TimeMatching,
}

impl Default for KmOptions {
    fn default() -> Self {
        KmOptions {
            conf_type: ConfType::Log,
            conf_level: 0.95,
            time_matching: TimeMatching::RTimefix,
        }
    }
}

impl KmOptions {
    /// z = Φ⁻¹(1 − (1 − level)/2), R's `qnorm(1 - (1 - conf.int)/2)`. Errors: `NotFinite`,
    /// `InvalidOption` (level not in (0, 1)).
    fn z(&self) -> Result<f64, Status> {
        let level = require_finite(self.conf_level)?;
        if level <= 0.0 || level >= 1.0 {
            return Err(Status::InvalidOption);
        }
        Ok(normal_quantile(1.0 - (1.0 - level) / 2.0))
    }
}

/// One row of the Kaplan-Meier table: one distinct time (events or censorings), as R's
/// `survfit` object holds it. NaN stands for R's `NA`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KmRow {
    /// The time.
    pub time: f64,
    /// Subjects at risk just before the time (time ≥ this time), R's `n.risk`.
    pub n_risk: usize,
    /// Events at the time, R's `n.event`.
    pub n_event: usize,
    /// Censorings at the time, R's `n.censor`.
    pub n_censor: usize,
    /// S(t) = Π over event times s ≤ t of (1 − d_s / n_s), R's `surv`.
    pub surv: f64,
    /// Standard error of −log S(t) = √(Σ d / (n (n − d))) (Greenwood), R's `std.err` (+∞ once
    /// S = 0).
    pub std_err: f64,
    /// Standard error of S(t) = S · `std_err`, what R's `summary()` prints as `std.err` (NaN
    /// once S = 0, as 0 · ∞).
    pub std_err_surv: f64,
    /// Lower confidence limit (R's `lower`).
    pub lower: f64,
    /// Upper confidence limit (R's `upper`).
    pub upper: f64,
}

/// R's `pmin`/`pmax` propagate NaN; `f64::min`/`max` do not.
fn r_pmin(x: f64, bound: f64) -> f64 {
    if x.is_nan() {
        x
    } else {
        libm::fmin(x, bound)
    }
}

fn r_pmax(x: f64, bound: f64) -> f64 {
    if x.is_nan() {
        x
    } else {
        libm::fmax(x, bound)
    }
}

/// The confidence limits of R's `survfit_confint(p, se, logse = TRUE, conf.type, conf.int)`.
pub(crate) fn confidence_limits(conf_type: ConfType, z: f64, surv: f64, se: f64) -> (f64, f64) {
    match conf_type {
        ConfType::Plain => {
            let half = se * surv * z;
            (r_pmax(surv - half, 0.0), r_pmin(surv + half, 1.0))
        }
        ConfType::Log => {
            if surv == 0.0 {
                return (f64::NAN, f64::NAN);
            }
            let half = z * se;
            let log_s = libm::log(surv);
            (
                libm::exp(log_s - half),
                r_pmin(libm::exp(log_s + half), 1.0),
            )
        }
        ConfType::LogLog => {
            if surv == 0.0 || surv == 1.0 {
                return (f64::NAN, f64::NAN);
            }
            let log_s = libm::log(surv);
            let half = z * se / log_s;
            let loglog = libm::log(-log_s);
            (
                libm::exp(-libm::exp(loglog - half)),
                libm::exp(-libm::exp(loglog + half)),
            )
        }
    }
}

/// Iterator over the rows of a Kaplan-Meier table, in ascending time; no buffer needed.
#[derive(Clone, Debug)]
pub struct KmRows<'a> {
    groups: TimeGroups<'a>,
    surv: f64,
    greenwood: f64,
    conf_type: ConfType,
    z: f64,
}

impl Iterator for KmRows<'_> {
    type Item = KmRow;

    fn next(&mut self) -> Option<KmRow> {
        let g = self.groups.next()?;
        if g.events > 0 {
            // survfitkm.c: km *= (n - d) / n; v += d / (n (n - d))
            let n = g.at_risk as f64;
            let d = g.events as f64;
            self.surv *= (n - d) / n;
            self.greenwood += d / (n * (n - d));
        }
        let std_err = libm::sqrt(self.greenwood);
        let (lower, upper) = confidence_limits(self.conf_type, self.z, self.surv, std_err);
        Some(KmRow {
            time: g.time,
            n_risk: g.at_risk,
            n_event: g.events,
            n_censor: g.censored(),
            surv: self.surv,
            std_err,
            std_err_surv: self.surv * std_err,
            lower,
            upper,
        })
    }
}

/// The median survival time and its confidence interval, as R's `print(survfit)`; NaN = `NA`
/// (the curve or band never reaches 0.5).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct MedianSurvival {
    /// Median survival time.
    pub median: f64,
    /// Lower confidence limit: the same rule applied to the lower band.
    pub lower: f64,
    /// Upper confidence limit: the same rule applied to the upper band.
    pub upper: f64,
}

/// R's median rule (`survival:::survmean`, `minmin`), fed one row at a time: the first time whose
/// value is < 0.5 + √ε; if that value equals 0.5 within √ε and the curve drops later, the mean of
/// that time and the time of the first lower value. NA values are skipped. The mean is
/// `f64::midpoint`: R's (t₀ + t₁)/2 bit for bit while that sum is finite, and still finite when
/// both times exceed `DBL_MAX`/2 (where R's sum overflows to Inf).
#[derive(Clone, Copy, Debug)]
enum MedianRule {
    Searching,
    AtHalf { time: f64, value: f64 },
    Done(f64),
}

impl MedianRule {
    fn feed(self, time: f64, value: f64) -> Self {
        if value.is_nan() {
            return self;
        }
        match self {
            MedianRule::Searching if value < 0.5 + SQRT_EPSILON => {
                if libm::fabs(value - 0.5) < SQRT_EPSILON {
                    MedianRule::AtHalf { time, value }
                } else {
                    MedianRule::Done(time)
                }
            }
            MedianRule::AtHalf {
                time: t0,
                value: v0,
            } if value < v0 => MedianRule::Done(f64::midpoint(t0, time)),
            other => other,
        }
    }

    fn result(self) -> f64 {
        match self {
            MedianRule::Searching => f64::NAN,
            MedianRule::AtHalf { time, .. } | MedianRule::Done(time) => time,
        }
    }
}

/// The Kaplan-Meier estimate at one time t, as R's `summary(fit, times = t, extend = TRUE)`:
/// the values of the last row at or before t; before the first row, S = 1 with SE 0 and
/// limits 1 (R's `survfit0` start row).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KmPoint {
    /// The time asked for.
    pub time: f64,
    /// Subjects at risk at t (time ≥ t).
    pub n_risk: usize,
    /// S(t).
    pub surv: f64,
    /// SE of −log S(t) (R's `std.err` of the fit).
    pub std_err: f64,
    /// SE of S(t) (R's `summary()` `std.err`).
    pub std_err_surv: f64,
    /// Lower confidence limit.
    pub lower: f64,
    /// Upper confidence limit.
    pub upper: f64,
}

/// The restricted mean survival time up to τ: ∫₀^τ S(t) dt, with its standard error, as R's
/// `print(fit, rmean = tau)` (`survival:::survmean`).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RestrictedMean {
    /// τ, the truncation time.
    pub tau: f64,
    /// ∫₀^τ S(t) dt (the area under the step function).
    pub mean: f64,
    /// Its standard error: √(Σ over event times tᵢ ≤ τ of dᵢ / (nᵢ (nᵢ − dᵢ)) · A(tᵢ)²), A(tᵢ)
    /// the area under S between tᵢ and τ (terms with nᵢ = dᵢ count 0). Finite for every finite
    /// τ whose value fits a double (+∞ only when the true value exceeds the largest double).
    pub std_err: f64,
}

/// A Kaplan-Meier fit over subjects sorted in caller scratch. Cheap to query: every method is a
/// sweep over the sorted subjects, without allocation.
///
/// ```
/// use ecvkit::survival::{KaplanMeier, KmOptions, km_scratch_len};
///
/// // R: survfit(Surv(c(1, 2, 2, 3, 4, 4, 5), c(1, 1, 0, 1, 0, 1, 1)) ~ 1)
/// let time = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0];
/// let event = [1, 1, 0, 1, 0, 1, 1];
/// let mut scratch = vec![0u64; km_scratch_len(time.len())];
/// let km = KaplanMeier::new(&time, &event, &KmOptions::default(), &mut scratch)?;
/// let s: Vec<f64> = km.rows().map(|r| r.surv).collect();
/// assert!((s[2] - 0.5357142857142857).abs() < 1e-15); // (6/7)(5/6)(3/4)
/// assert_eq!(km.median().median, 4.0);
/// # Ok::<(), ecvkit::Status>(())
/// ```
#[derive(Clone, Copy, Debug)]
pub struct KaplanMeier<'a> {
    sorted: SortedSurvival<'a>,
    conf_type: ConfType,
    z: f64,
    rows: usize,
}

/// The `u64` scratch [`KaplanMeier::new`] needs for n subjects: 4n.
pub const fn km_scratch_len(n: usize) -> usize {
    sorted_scratch_len(n)
}

impl<'a> KaplanMeier<'a> {
    /// Validates, sorts the subjects by time into `scratch` (at least [`km_scratch_len`]`(n)` =
    /// 4n values) and prepares the fit. `time` and `event` are not modified; `event` is 1 for an
    /// event, 0 for a censoring.
    ///
    /// Errors: those of [`SurvivalData::new`], `ScratchTooSmall`, `NotFinite` /
    /// `InvalidOption` for the confidence level.
    pub fn new(
        time: &'a [f64],
        event: &'a [u8],
        options: &KmOptions,
        scratch: &'a mut [u64],
    ) -> Result<Self, Status> {
        let data = SurvivalData::new(time, event)?;
        options.z()?;
        let sorted = SortedSurvival::new(data, options.time_matching, scratch)?;
        Self::from_sorted(sorted, options)
    }

    /// A fit over data already sorted (for example shared with a log-rank test). The tie
    /// matching is the one `sorted` was built with; `options.time_matching` is ignored.
    pub fn from_sorted(sorted: SortedSurvival<'a>, options: &KmOptions) -> Result<Self, Status> {
        let z = options.z()?;
        Ok(KaplanMeier {
            sorted,
            conf_type: options.conf_type,
            z,
            rows: sorted.distinct_times(),
        })
    }

    /// The rows, one per distinct time, in ascending time.
    pub fn rows(&self) -> KmRows<'a> {
        KmRows {
            groups: self.sorted.groups(),
            surv: 1.0,
            greenwood: 0.0,
            conf_type: self.conf_type,
            z: self.z,
        }
    }

    /// Number of rows (distinct times).
    pub fn row_count(&self) -> usize {
        self.rows
    }

    /// Number of subjects.
    pub fn n(&self) -> usize {
        self.sorted.len()
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.sorted.events()
    }

    /// The sorted data behind the fit.
    pub fn sorted(&self) -> SortedSurvival<'a> {
        self.sorted
    }

    /// Writes the rows into `out[..row_count()]` and returns their number.
    /// Errors: `BufferTooSmall` (ask [`row_count`](Self::row_count)); nothing is written then.
    pub fn write_rows(&self, out: &mut [KmRow]) -> Result<usize, Status> {
        let out = out.get_mut(..self.rows).ok_or(Status::BufferTooSmall)?;
        for (slot, row) in out.iter_mut().zip(self.rows()) {
            *slot = row;
        }
        Ok(self.rows)
    }

    /// The median survival time and its CI by R's rule (see [`MedianSurvival`]); the CI uses
    /// the fit's band type and level.
    pub fn median(&self) -> MedianSurvival {
        let mut rules = [MedianRule::Searching; 3];
        for row in self.rows() {
            let [m, lo, hi] = &mut rules;
            *m = m.feed(row.time, row.surv);
            *lo = lo.feed(row.time, row.lower);
            *hi = hi.feed(row.time, row.upper);
            if rules.iter().all(|r| matches!(r, MedianRule::Done(_))) {
                break;
            }
        }
        let [m, lo, hi] = rules;
        MedianSurvival {
            median: m.result(),
            lower: lo.result(),
            upper: hi.result(),
        }
    }

    /// Number of subjects at risk at `t` (time ≥ t): R's `summary(fit, times = t, extend =
    /// TRUE)$n.risk`. O(log n). Errors: `NotFinite`.
    pub fn n_at_risk(&self, t: f64) -> Result<usize, Status> {
        Ok(self.sorted.at_risk(require_finite(t)?))
    }

    /// The numbers at risk at each of `times` (any order) into `out[..times.len()]`: the table
    /// under a KM plot. Errors (nothing written): `NotFinite`, `BufferTooSmall`.
    pub fn numbers_at_risk(&self, times: &[f64], out: &mut [usize]) -> Result<(), Status> {
        if times.iter().any(|t| !t.is_finite()) {
            return Err(Status::NotFinite);
        }
        let out = out.get_mut(..times.len()).ok_or(Status::BufferTooSmall)?;
        for (slot, &t) in out.iter_mut().zip(times) {
            *slot = self.sorted.at_risk(t);
        }
        Ok(())
    }

    /// The estimate at time `t` (see [`KmPoint`]). Errors: `NotFinite`.
    pub fn survival_at(&self, t: f64) -> Result<KmPoint, Status> {
        let t = require_finite(t)?;
        let mut point = KmPoint {
            time: t,
            n_risk: self.sorted.at_risk(t),
            surv: 1.0,
            std_err: 0.0,
            std_err_surv: 0.0,
            lower: 1.0,
            upper: 1.0,
        };
        for row in self.rows().take_while(|r| r.time <= t) {
            point.surv = row.surv;
            point.std_err = row.std_err;
            point.std_err_surv = row.std_err_surv;
            point.lower = row.lower;
            point.upper = row.upper;
        }
        Ok(point)
    }

    /// The restricted mean survival time up to `tau` and its standard error (see
    /// [`RestrictedMean`]). Errors: `NotFinite`, `InvalidOption` (τ < 0).
    pub fn restricted_mean(&self, tau: f64) -> Result<RestrictedMean, Status> {
        let tau = require_finite(tau)?;
        if tau < 0.0 {
            return Err(Status::InvalidOption);
        }
        // Pass 1: the total area T. Rectangles: (t₁ − 0)·1, (tᵢ − tᵢ₋₁)·Sᵢ₋₁, (τ − t_last)·S_last.
        let area_until = |stop: &mut dyn FnMut(f64, f64, f64)| {
            let (mut previous_time, mut previous_surv) = (0.0, 1.0);
            let mut area = NeumaierSum::new();
            for row in self.rows().take_while(|r| r.time <= tau) {
                area.add((row.time - previous_time) * previous_surv);
                let n = row.n_risk as f64;
                let d = row.n_event as f64;
                let h = if row.n_risk == row.n_event {
                    0.0
                } else {
                    d / (n * (n - d))
                };
                stop(area.total(), h, row.time);
                previous_time = row.time;
                previous_surv = row.surv;
            }
            area.add((tau - previous_time) * previous_surv);
            area.total()
        };
        let total = area_until(&mut |_, _, _| {});
        // Pass 2: Σ hᵢ (T − Cᵢ)², Cᵢ the area up to tᵢ, summed as τ² Σ hᵢ ((T − Cᵢ)/τ)²: each
        // area is at most τ, so the scaled squares stay ≤ 1 and a τ near the largest double does
        // not overflow them (unscaled, (T − Cᵢ)² overflowed to ∞ and the sum gave NaN).
        let scale = if tau > 0.0 { tau } else { 1.0 };
        let mut variance = NeumaierSum::new();
        area_until(&mut |cumulative, h, _| {
            let after = (total - cumulative) / scale;
            variance.add(h * after * after);
        });
        Ok(RestrictedMean {
            tau,
            mean: total,
            std_err: scale * libm::sqrt(variance.total()),
        })
    }
}

/// What [`kaplan_meier`] returns besides the rows.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct KmSummary {
    /// Rows written (distinct times).
    pub rows: usize,
    /// Subjects.
    pub n: usize,
    /// Events.
    pub events: usize,
    /// Median survival and its CI.
    pub median: MedianSurvival,
}

/// Number of rows a Kaplan-Meier table of these data will have (the distinct times), for sizing
/// the buffer of [`kaplan_meier`]. Needs the same scratch (4n `u64`) because it sorts.
pub fn km_rows_needed(
    time: &[f64],
    event: &[u8],
    time_matching: TimeMatching,
    scratch: &mut [u64],
) -> Result<usize, Status> {
    let data = SurvivalData::new(time, event)?;
    Ok(SortedSurvival::new(data, time_matching, scratch)?.distinct_times())
}

/// The whole Kaplan-Meier table into `out` (one [`KmRow`] per distinct time) with the median.
/// R: `survfit(Surv(time, event) ~ 1, conf.type, conf.int)`.
///
/// `scratch` holds at least [`km_scratch_len`]`(n)` = 4n values. Errors (nothing written to
/// `out`): those of [`KaplanMeier::new`], `BufferTooSmall` (see [`km_rows_needed`]).
pub fn kaplan_meier(
    time: &[f64],
    event: &[u8],
    options: &KmOptions,
    scratch: &mut [u64],
    out: &mut [KmRow],
) -> Result<KmSummary, Status> {
    let km = KaplanMeier::new(time, event, options, scratch)?;
    let rows = km.write_rows(out)?;
    Ok(KmSummary {
        rows,
        n: km.n(),
        events: km.events(),
        median: km.median(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: [f64; 7] = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0];
    const E: [u8; 7] = [1, 1, 0, 1, 0, 1, 1];

    fn fit(conf_type: ConfType) -> Vec<KmRow> {
        let mut s = vec![0u64; 28];
        let o = KmOptions {
            conf_type,
            ..KmOptions::default()
        };
        KaplanMeier::new(&T, &E, &o, &mut s)
            .unwrap()
            .rows()
            .collect()
    }

    fn close(a: f64, b: f64) -> bool {
        (a.is_nan() && b.is_nan()) || (a - b).abs() <= 1e-6 * b.abs().max(1e-300)
    }

    #[test]
    fn matches_r_printout_of_a_small_fit() {
        // R 4.2.2, survival 3.5-3, 7 significant digits printed
        let r = fit(ConfType::Log);
        let expect = [
            (1.0, 7, 1, 0, 0.8571429, 0.1543033, 0.6334465, 1.0),
            (2.0, 6, 1, 1, 0.7142857, 0.2390457, 0.4470909, 1.0),
            (3.0, 4, 1, 0, 0.5357143, 0.3748015, 0.2569813, 1.0),
            (4.0, 3, 1, 1, 0.3571429, 0.5542047, 0.1205319, 1.0),
            (5.0, 1, 1, 0, 0.0, f64::INFINITY, f64::NAN, f64::NAN),
        ];
        assert_eq!(r.len(), expect.len());
        for (row, e) in r.iter().zip(expect) {
            assert_eq!(
                (row.time, row.n_risk, row.n_event, row.n_censor),
                (e.0, e.1, e.2, e.3)
            );
            assert!(close(row.surv, e.4), "{row:?}");
            assert!(row.std_err == e.5 || close(row.std_err, e.5), "{row:?}");
            assert!(close(row.lower, e.6) && close(row.upper, e.7), "{row:?}");
        }
        let plain = fit(ConfType::Plain);
        assert!(close(plain[2].lower, 0.1421799) && close(plain[2].upper, 0.9292487));
        assert_eq!(plain[3].lower, 0.0);
        assert!(plain[4].lower.is_nan() && plain[4].upper.is_nan());
        let ll = fit(ConfType::LogLog);
        assert!(close(ll[3].lower, 0.05197652) && close(ll[3].upper, 0.6987130));
    }

    #[test]
    fn median_rules() {
        let mut s = vec![0u64; 28];
        let km = KaplanMeier::new(&T, &E, &KmOptions::default(), &mut s).unwrap();
        let m = km.median();
        assert_eq!((m.median, m.lower), (4.0, 2.0));
        assert!(m.upper.is_nan());
        // exactly 0.5 at t = 4, drops at 5: median (4 + 5) / 2
        let t = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0];
        let e = [1u8; 8];
        let mut s = vec![0u64; 32];
        let km = KaplanMeier::new(&t, &e, &KmOptions::default(), &mut s).unwrap();
        assert_eq!(km.median().median, 4.5);
        // exactly 0.5 and no later drop: the time itself
        let mut s = vec![0u64; 8];
        let km = KaplanMeier::new(&[1.0, 2.0], &[1, 0], &KmOptions::default(), &mut s).unwrap();
        assert_eq!(km.median().median, 1.0);
        // never below 0.5: NA
        let mut s = vec![0u64; 12];
        let o = KmOptions::default();
        let km = KaplanMeier::new(&[1.0, 2.0, 3.0], &[1, 0, 0], &o, &mut s).unwrap();
        assert!(km.median().median.is_nan());
    }

    #[test]
    fn survival_at_and_rmean_match_r() {
        // R: summary(survfit(Surv(t, e) ~ 1), times = ..., extend = TRUE), rmean = 3.5
        let mut s = vec![0u64; 28];
        let km = KaplanMeier::new(&T, &E, &KmOptions::default(), &mut s).unwrap();
        let p = km.survival_at(0.5).unwrap();
        assert_eq!(
            (p.n_risk, p.surv, p.std_err, p.lower, p.upper),
            (7, 1.0, 0.0, 1.0, 1.0)
        );
        let p = km.survival_at(2.5).unwrap();
        assert_eq!(p.n_risk, 4);
        assert!(close(p.surv, 0.7142857) && close(p.lower, 0.4470909));
        assert_eq!(km.survival_at(9.0).unwrap().n_risk, 0);
        let rm = km.restricted_mean(3.5).unwrap();
        assert!(
            close(rm.mean, 2.8392857) && close(rm.std_err, 0.3444988),
            "{rm:?}"
        );
        let rm0 = km.restricted_mean(0.5).unwrap();
        assert_eq!((rm0.mean, rm0.std_err), (0.5, 0.0));
        assert_eq!(km.restricted_mean(-1.0).unwrap_err(), Status::InvalidOption);
        let mut at = [0usize; 3];
        km.numbers_at_risk(&[4.0, 0.0, 4.5], &mut at).unwrap();
        assert_eq!(at, [3, 7, 1]);
    }

    #[test]
    fn buffers_and_options() {
        let mut s = vec![0u64; 28];
        let mut out = [KmRow::default(); 4];
        assert_eq!(
            kaplan_meier(&T, &E, &KmOptions::default(), &mut s, &mut out),
            Err(Status::BufferTooSmall)
        );
        assert_eq!(out, [KmRow::default(); 4]);
        assert_eq!(
            km_rows_needed(&T, &E, TimeMatching::RTimefix, &mut s),
            Ok(5)
        );
        let mut out = [KmRow::default(); 6];
        let summary = kaplan_meier(&T, &E, &KmOptions::default(), &mut s, &mut out).unwrap();
        assert_eq!((summary.rows, summary.n, summary.events), (5, 7, 5));
        let bad = KmOptions {
            conf_level: 1.0,
            ..KmOptions::default()
        };
        assert_eq!(
            KaplanMeier::new(&T, &E, &bad, &mut s).unwrap_err(),
            Status::InvalidOption
        );
        let mut small = [0u64; 27];
        assert_eq!(
            KaplanMeier::new(&T, &E, &KmOptions::default(), &mut small).unwrap_err(),
            Status::ScratchTooSmall
        );
        assert_eq!(ConfType::try_from(3), Err(Status::InvalidEnumValue));
    }

    #[test]
    fn all_censored_stays_at_one() {
        let mut s = vec![0u64; 12];
        let km =
            KaplanMeier::new(&[3.0, 1.0, 2.0], &[0, 0, 0], &KmOptions::default(), &mut s).unwrap();
        assert!(km
            .rows()
            .all(|r| r.surv == 1.0 && r.std_err == 0.0 && r.lower == 1.0));
        assert!(km.median().median.is_nan());
    }
}
