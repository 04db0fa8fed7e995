//! The one-cutpoint scan: every admissible split, maxstat's standardized log-rank statistic and
//! survdiff's χ² at each, the best split under each with its p-values, and the profile.

use super::event_times::{self, EventTimeBuffers, EventTimes};
use super::incremental_logrank::IncrementalLogRank;
use super::lausen::{lausen92_p, Lausen94Terms};
use super::options::{CutpointOptions, SplitRange};
use super::permutation::{shuffle, Xoshiro256StarStar};
use super::scratch::{take, CutpointScratch, ScratchLen};
use crate::dist::{chisq_sf, normal_sf};
use crate::numeric::NeumaierSum;
use crate::sort::argsort_f64;
use crate::survival::SurvivalData;
use crate::Status;

/// The data of a cutpoint analysis: one marker value, one survival time and one event indicator
/// per subject, all of the same length n ≥ 1.
#[derive(Clone, Copy, Debug)]
pub struct CutpointData<'a> {
    /// The marker to dichotomize (for example tumor ECV as a fraction). Finite.
    pub marker: &'a [f64],
    /// Survival or follow-up time, finite and ≥ 0 (any unit).
    pub time: &'a [f64],
    /// 1 = event (death), 0 = censored.
    pub event: &'a [u8],
}

impl CutpointData<'_> {
    /// Checks lengths and values; returns n.
    ///
    /// Errors: `LengthMismatch`, `EmptyInput`, `TooManyElements` (n > 2³² − 1), `NotFinite`
    /// (marker or time NaN/±∞), and from [`SurvivalData::new`]: `NegativeTime`,
    /// `EventNotBinary` (an event other than 0 or 1).
    pub fn validate(&self) -> Result<usize, Status> {
        let n = self.marker.len();
        if self.time.len() != n || self.event.len() != n {
            return Err(Status::LengthMismatch);
        }
        SurvivalData::new(self.time, self.event)?;
        if !self.marker.iter().all(|x| x.is_finite()) {
            return Err(Status::NotFinite);
        }
        Ok(n)
    }
}

/// One row of the profile: the split "marker ≤ cutpoint" (low) vs "marker > cutpoint" (high).
/// This is the curve X-tile draws and the `stats` / `cuts` of R's `maxstat.test`.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CutpointRow {
    /// The largest marker value in the low group (R's `cuts`).
    pub cutpoint: f64,
    /// Subjects in the low group, m.
    pub n_low: usize,
    /// Subjects in the high group, n − m.
    pub n_high: usize,
    /// maxstat's standardized log-rank statistic |S_m − E_m| / √V_m (R's `stats`).
    pub standardized_statistic: f64,
    /// survdiff's log-rank χ² (1 df) for low vs high.
    pub chisq: f64,
    /// Observed events in the low group (survdiff's `obs`).
    pub observed_low: f64,
    /// Expected events in the low group (survdiff's `exp`).
    pub expected_low: f64,
}

/// The best split under one statistic, with its p-values.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CutpointChoice {
    /// The cutpoint: low = marker ≤ cutpoint. The first (smallest) one reaching the maximum.
    pub cutpoint: f64,
    /// Subjects in the low group.
    pub n_low: usize,
    /// Subjects in the high group.
    pub n_high: usize,
    /// The maximum: maxstat's M (a standardized statistic) or survdiff's χ².
    pub statistic: f64,
    /// The p-value of this one split as if it had been fixed in advance (not corrected for the
    /// scan: it overstates significance): 2 (1 − Φ(M)) for M, P(χ²₁ > χ²) for χ².
    pub p_unadjusted: f64,
    /// Lausen & Schumacher 1992 ([`lausen92_p`]) at b = M, or b = √χ² for χ²: +∞ when
    /// `min_prop` = 0 or `max_prop` = 1 and b > 1 (the approximation's limit there, as R's).
    pub p_lausen92: f64,
    /// Lausen, Sauerbrei & Schumacher 1994 over the evaluated splits
    /// ([`Lausen94Terms::p_value`]) at b = M, or b = √χ²; not clipped to [0, 1], as R's
    /// `pLausen94` (its correction term can take it slightly below 0 for a large b).
    pub p_lausen94: f64,
    /// Share of random permutations of the marker whose maximum exceeds this one (strictly, as
    /// maxstat's `condMC`); NaN when `options.permutations` is 0.
    pub p_permutation: f64,
}

/// The result of [`scan_cutpoints`].
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CutpointScan {
    /// The best split under maxstat's standardized statistic: R's `maxstat.test(smethod =
    /// "LogRank")` `statistic`, `estimate` and (`pmethod = "Lau92"` / `"Lau94"`) `p.value`.
    pub maxstat: CutpointChoice,
    /// The best split under survdiff's χ² (what X-tile reports). The Lausen corrections are the
    /// same asymptotic bounds applied to √χ² (R offers none for this statistic).
    pub logrank: CutpointChoice,
    /// Number of splits evaluated (profile rows).
    pub cuts: usize,
    /// Subjects n.
    pub subjects: usize,
    /// Events.
    pub events: usize,
}

/// What the scan shares with the X-tile grid: orders, the admissible range, the event-time
/// table and the working trees.
pub(crate) struct Prepared<'a> {
    pub(crate) data: CutpointData<'a>,
    pub(crate) n: usize,
    pub(crate) by_marker: &'a [u32],
    pub(crate) range: SplitRange,
    pub(crate) cuts: usize,
    pub(crate) times: EventTimes<'a>,
    pub(crate) c_tree: &'a mut [f64],
    pub(crate) count_tree: &'a mut [u32],
    pub(crate) perm: &'a mut [u32],
}

impl Prepared<'_> {
    /// The cutpoint of the split with m low subjects, if m is admissible (within the range and
    /// between two distinct marker values).
    pub(crate) fn cut_at(&self, m: usize) -> Option<f64> {
        cut_at(self.data.marker, self.by_marker, self.range, m)
    }

    /// The shared working trees as a fresh, empty incremental log-rank group.
    pub(crate) fn group(&mut self) -> IncrementalLogRank<'_, '_> {
        IncrementalLogRank::new(&self.times, self.data.event, self.c_tree, self.count_tree)
    }
}

/// The cutpoint of the split with m low subjects (the largest low marker value), if m is in
/// the range and falls between two distinct marker values.
pub(crate) fn cut_at(
    marker: &[f64],
    by_marker: &[u32],
    range: SplitRange,
    m: usize,
) -> Option<f64> {
    if !range.contains(m) {
        return None;
    }
    let below = marker.get(*by_marker.get(m.checked_sub(1)?)? as usize)?;
    let above = marker.get(*by_marker.get(m)? as usize)?;
    (below < above).then_some(*below)
}

/// Counts the admissible splits of `marker` under `options`, the number of rows
/// [`scan_cutpoints`] writes into its profile (an upper bound known without the data is
/// [`CutpointOptions::max_cuts`]). `indices` is scratch of at least 2n values.
///
/// Errors: `EmptyInput`, `TooManyElements`, `NotFinite`, `InvalidOption`,
/// `CutpointTooFewSubjects`, `ScratchTooSmall`, `CutpointMarkerConstant`,
/// `CutpointNoSplitInRange`.
pub fn count_cuts(
    marker: &[f64],
    options: &CutpointOptions,
    indices: &mut [u32],
) -> Result<usize, Status> {
    let n = marker.len();
    if n == 0 {
        return Err(Status::EmptyInput);
    }
    if u32::try_from(n).is_err() {
        return Err(Status::TooManyElements);
    }
    if !marker.iter().all(|x| x.is_finite()) {
        return Err(Status::NotFinite);
    }
    let range = options.split_range(n)?;
    let mut rest = indices;
    let order = take(&mut rest, n)?;
    let sort_scratch = take(&mut rest, n)?;
    argsort_f64(marker, order, sort_scratch)?;
    admissible_cuts(marker, order, range)
}

/// Number of admissible splits; the marker-constant and no-split statuses when there are none.
fn admissible_cuts(marker: &[f64], by_marker: &[u32], range: SplitRange) -> Result<usize, Status> {
    let cuts = (range.lo..=range.hi)
        .filter(|&m| cut_at(marker, by_marker, range, m).is_some())
        .count();
    if cuts > 0 {
        return Ok(cuts);
    }
    let first = by_marker.first().and_then(|&i| marker.get(i as usize));
    let last = by_marker.last().and_then(|&i| marker.get(i as usize));
    if first == last {
        Err(Status::CutpointMarkerConstant)
    } else {
        Err(Status::CutpointNoSplitInRange)
    }
}

/// Validates, sorts, and builds the event-time table; carves the scan's scratch (the caller
/// keeps what is left of `scratch` for more).
pub(crate) fn prepare<'a>(
    data: CutpointData<'a>,
    options: &CutpointOptions,
    reals: &mut &'a mut [f64],
    indices: &mut &'a mut [u32],
) -> Result<Prepared<'a>, Status> {
    let n = data.validate()?;
    let range = options.split_range(n)?;
    let need = ScratchLen::for_scan(n);
    if reals.len() < need.reals || indices.len() < need.indices {
        return Err(Status::ScratchTooSmall);
    }
    if data.event.iter().all(|&e| e == 0) {
        return Err(Status::NoEvents);
    }
    let by_marker = take(indices, n)?;
    let by_time = take(indices, n)?;
    let sort_scratch = take(indices, n)?;
    let kappa = take(indices, n)?;
    let perm = take(indices, n)?;
    let count_tree = take(indices, n + 1)?;
    let scores = take(reals, n)?;
    let hazard = take(reals, n + 1)?;
    let c_prefix = take(reals, n + 1)?;
    let p_prefix = take(reals, n + 1)?;
    let c_tree = take(reals, n + 1)?;

    argsort_f64(data.marker, by_marker, sort_scratch)?;
    let cuts = admissible_cuts(data.marker, by_marker, range)?;
    argsort_f64(data.time, by_time, sort_scratch)?;
    let times = event_times::build(
        data.time,
        data.event,
        by_time,
        EventTimeBuffers {
            kappa,
            scores,
            hazard,
            c_prefix,
            p_prefix,
        },
    )?;
    let k = times.event_times;
    let c_tree = c_tree.get_mut(..=k).ok_or(Status::ScratchTooSmall)?;
    let count_tree = count_tree.get_mut(..=k).ok_or(Status::ScratchTooSmall)?;
    Ok(Prepared {
        data,
        n,
        by_marker,
        range,
        cuts,
        times,
        c_tree,
        count_tree,
        perm,
    })
}

/// maxstat's standardized statistic from the running sum, with R's `cmaxstat` formulas and
/// evaluation order: E_m = m / N · Σa, V_m = m (N − m) / (N² (N − 1)) · (N Σa² − (Σa)²),
/// |S_m − E_m| / √V_m.
#[derive(Clone, Copy, Debug)]
struct ScoreMoments {
    n: f64,
    sum: f64,
    spread: f64,
}

impl ScoreMoments {
    fn new(scores: &[f64]) -> Result<Self, Status> {
        let (mut s, mut s2) = (NeumaierSum::new(), NeumaierSum::new());
        for &a in scores {
            s.add(a);
            s2.add(a * a);
        }
        let n = scores.len() as f64;
        let (sum, sum2) = (s.total(), s2.total());
        let spread = n * sum2 - sum * sum;
        let first = scores.first().copied();
        let constant = scores.iter().all(|&a| Some(a) == first);
        if constant || spread.partial_cmp(&0.0) != Some(core::cmp::Ordering::Greater) {
            return Err(Status::CutpointScoresConstant);
        }
        Ok(ScoreMoments { n, sum, spread })
    }

    fn statistic(&self, m: usize, running_sum: f64) -> f64 {
        let (nn, mf) = (self.n, m as f64);
        let e = mf / nn * self.sum;
        let v = mf * (nn - mf) / (nn * nn * (nn - 1.0)) * self.spread;
        libm::fabs((running_sum - e) / libm::sqrt(v))
    }
}

/// Running best (first maximum wins, as R's `min(which(Test == max(Test)))`).
#[derive(Clone, Copy, Debug, Default)]
struct Best {
    found: bool,
    statistic: f64,
    cutpoint: f64,
    m: usize,
}

impl Best {
    fn offer(&mut self, statistic: f64, cutpoint: f64, m: usize) {
        if !self.found || statistic > self.statistic {
            *self = Best {
                found: true,
                statistic,
                cutpoint,
                m,
            };
        }
    }
}

/// Scans every admissible cutpoint of the marker (see [`crate::cutpoint`] for the definitions
/// and the O(n log n) algorithm), writes the profile, and returns the best split under maxstat's
/// standardized log-rank statistic and under survdiff's χ², each with its p-values.
///
/// - `profile`: `None`, or a buffer of at least [`count_cuts`] rows (at most
///   [`CutpointOptions::max_cuts`]); rows are written in increasing cutpoint order and only the
///   first [`CutpointScan::cuts`] are touched.
/// - `scratch`: at least [`ScratchLen::for_scan`]`(n)`.
/// - With `options.permutations = B > 0`, B random permutations of the marker (seeded by
///   `options.seed`) give the permutation p of both statistics at O(B · n log n) more cost.
///
/// Matches R's `maxstat.test(Surv(time, event) ~ marker, smethod = "LogRank", pmethod =
/// "Lau92" | "Lau94", minprop, maxprop)` (statistic, estimate, p.value, and `stats` per cut) and
/// `survdiff(Surv(time, event) ~ (marker <= cut))$chisq` per cut. One difference: R drops the
/// last admissible split when minprop = 0 and maxprop = 1 (its special case), ecvkit does not.
/// Times are compared exactly (R's `survdiff` first merges times closer than √ε with `aeqSurv`).
///
/// Errors (nothing written): those of [`CutpointData::validate`], `InvalidOption`,
/// `CutpointTooFewSubjects`, `ScratchTooSmall`, `NoEvents`, `CutpointMarkerConstant`,
/// `CutpointNoSplitInRange`, `BufferTooSmall` (profile shorter than the number of cuts),
/// `CutpointScoresConstant`.
pub fn scan_cutpoints(
    data: CutpointData<'_>,
    options: &CutpointOptions,
    profile: Option<&mut [CutpointRow]>,
    scratch: CutpointScratch<'_>,
) -> Result<CutpointScan, Status> {
    let CutpointScratch {
        mut reals,
        mut indices,
    } = scratch;
    let mut prep = prepare(data, options, &mut reals, &mut indices)?;
    let profile = match profile {
        Some(rows) => Some(rows.get_mut(..prep.cuts).ok_or(Status::BufferTooSmall)?),
        None => None,
    };
    let moments = ScoreMoments::new(prep.times.scores)?;
    let observed = observed_scan(&mut prep, &moments, profile);
    let permutation = if options.permutations > 0 {
        Some(permutation_counts(
            &mut prep,
            &moments,
            &observed,
            options.permutations,
            options.seed,
        ))
    } else {
        None
    };
    let (n, b) = (prep.n, f64::from(options.permutations));
    let choice = |best: &Best, p_unadjusted: f64, z: f64, exceed: Option<u32>| CutpointChoice {
        cutpoint: best.cutpoint,
        n_low: best.m,
        n_high: n.saturating_sub(best.m),
        statistic: best.statistic,
        p_unadjusted,
        p_lausen92: lausen92_p(z, options.min_prop, options.max_prop),
        p_lausen94: observed.lausen94.p_value(z),
        p_permutation: exceed.map_or(f64::NAN, |c| f64::from(c) / b),
    };
    let m_stat = observed.maxstat.statistic;
    let chisq = observed.logrank.statistic;
    Ok(CutpointScan {
        maxstat: choice(
            &observed.maxstat,
            2.0 * normal_sf(m_stat),
            m_stat,
            permutation.map(|p| p.0),
        ),
        logrank: choice(
            &observed.logrank,
            chisq_sf(chisq, 1.0),
            libm::sqrt(chisq),
            permutation.map(|p| p.1),
        ),
        cuts: prep.cuts,
        subjects: n,
        events: prep.times.events,
    })
}

/// The results of the observed (unpermuted) sweep.
struct Observed {
    maxstat: Best,
    logrank: Best,
    lausen94: Lausen94Terms,
}

/// The sweep in marker order: adds subjects to the low group one at a time and evaluates each
/// admissible split.
fn observed_scan(
    prep: &mut Prepared<'_>,
    moments: &ScoreMoments,
    mut profile: Option<&mut [CutpointRow]>,
) -> Observed {
    let n = prep.n;
    let by_marker = prep.by_marker;
    let (marker, range) = (prep.data.marker, prep.range);
    let scores = prep.times.scores;
    let mut low = prep.group();
    let mut running = NeumaierSum::new();
    let mut out = Observed {
        maxstat: Best::default(),
        logrank: Best::default(),
        lausen94: Lausen94Terms::new(n),
    };
    let mut row_index = 0usize;
    for (pos, &i) in by_marker.iter().enumerate() {
        running.add(scores.get(i as usize).copied().unwrap_or(0.0));
        low.add(i);
        let m = pos + 1;
        if m > range.hi {
            break; // no admissible split beyond hi
        }
        let Some(cutpoint) = cut_at(marker, by_marker, range, m) else {
            continue;
        };
        let standardized = moments.statistic(m, running.total());
        let chisq = low.chisq_against_rest(n);
        out.maxstat.offer(standardized, cutpoint, m);
        out.logrank.offer(chisq, cutpoint, m);
        out.lausen94.push(m);
        if let Some(row) = profile
            .as_deref_mut()
            .and_then(|rows| rows.get_mut(row_index))
        {
            let terms = low.terms();
            *row = CutpointRow {
                cutpoint,
                n_low: m,
                n_high: n.saturating_sub(m),
                standardized_statistic: standardized,
                chisq,
                observed_low: terms.observed,
                expected_low: terms.expected,
            };
        }
        row_index += 1;
    }
    out
}

/// Counts, over `permutations` random permutations of the marker (the admissible splits stay
/// those of the observed marker, as in maxstat's `condMC`), how often each permuted maximum
/// strictly exceeds the observed one: (maxstat count, χ² count).
fn permutation_counts(
    prep: &mut Prepared<'_>,
    moments: &ScoreMoments,
    observed: &Observed,
    permutations: u32,
    seed: u64,
) -> (u32, u32) {
    let n = prep.n;
    let (marker, range, by_marker) = (prep.data.marker, prep.range, prep.by_marker);
    let scores = prep.times.scores;
    for (p, &i) in prep.perm.iter_mut().zip(by_marker) {
        *p = i;
    }
    let perm: &mut [u32] = &mut *prep.perm;
    let mut low = IncrementalLogRank::new(
        &prep.times,
        prep.data.event,
        &mut *prep.c_tree,
        &mut *prep.count_tree,
    );
    let mut rng = Xoshiro256StarStar::from_seed(seed);
    let (mut exceed_m, mut exceed_chisq) = (0u32, 0u32);
    for _ in 0..permutations {
        shuffle(perm, &mut rng);
        low.clear();
        let mut running = NeumaierSum::new();
        let (mut max_m, mut max_chisq) = (0.0f64, 0.0f64);
        for (pos, &i) in perm.iter().enumerate() {
            running.add(scores.get(i as usize).copied().unwrap_or(0.0));
            low.add(i);
            let m = pos + 1;
            if cut_at(marker, by_marker, range, m).is_some() {
                max_m = max_m.max(moments.statistic(m, running.total()));
                max_chisq = max_chisq.max(low.chisq_against_rest(n));
            }
            if m >= range.hi {
                break;
            }
        }
        exceed_m = exceed_m.saturating_add(u32::from(max_m > observed.maxstat.statistic));
        exceed_chisq =
            exceed_chisq.saturating_add(u32::from(max_chisq > observed.logrank.statistic));
    }
    (exceed_m, exceed_chisq)
}
