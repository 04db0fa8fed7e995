//! The log-rank test for K groups, with Fleming–Harrington ρ weights and strata: R's
//! `survival::survdiff(Surv(time, event) ~ group + strata(s), rho = ρ)`.
//!
//! Per distinct time t with d events among N at risk (n_k of them in group k), within a stratum:
//! w = S(t−)^ρ, the left-continuous Kaplan-Meier of the stratum's pooled data (w = 1 for ρ = 0);
//! O_k += w·d_k; E_k += w·d·n_k / N; V_jk += w²·d·(N − d)/(N (N − 1)) · n_j (δ_jk − n_k / N),
//! the last skipped when N = 1. O, E and V are summed over strata. The statistic is
//! χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with E > 0 except the first of them, with
//! (number of groups with E > 0) − 1 degrees of freedom (survdiff.R, survdiff2.c).

use super::dist::chisq_sf;
use super::risk_set::{
    payload, payload_event, payload_group, payload_stratum, sorted_scratch_len, PairScratch,
    SortedSurvival, SurvivalData, TieRule, TimeGroups, TimeMatching,
};
use crate::status::require_finite;
use crate::Status;

/// The most groups a log-rank test compares (the statistic's work arrays live on the stack).
pub const MAX_GROUPS: usize = 32;

/// Options of the log-rank test. Defaults: ρ = 0 (the log-rank test), R's `timefix`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LogRankOptions {
    /// Fleming–Harrington ρ ≥ 0 (the G^ρ family of Harrington & Fleming 1982): each time is
    /// weighted by S(t−)^ρ ∈ [0, 1]. 0 gives the log-rank (Mantel–Haenszel) test, 1 the Peto &
    /// Peto modification of the Gehan–Wilcoxon test (R's `rho`). A negative ρ is refused
    /// (`InvalidOption`): R accepts it, but its weights S^ρ grow without bound as S falls and
    /// overflow to ∞ (then NaN statistics) for large |ρ|.
    pub rho: f64,
    /// Tie matching of times (default [`TimeMatching::RTimefix`]).
    pub time_matching: TimeMatching,
}

/// The groups being compared: `labels[i]` in 0..`count` is subject i's group (any order; a
/// label without subjects is allowed and gets O = E = 0).
#[derive(Clone, Copy, Debug)]
pub struct Groups<'a> {
    /// Group label per subject, each < `count`.
    pub labels: &'a [u32],
    /// Number of groups K (2 ≤ K ≤ [`MAX_GROUPS`]); the outputs have K and K² elements.
    pub count: usize,
}

/// Caller buffers for the per-group results (written only on success; extra elements are left
/// alone).
#[derive(Debug)]
pub struct LogRankOutput<'a> {
    /// Observed (weighted) events per group, at least K values: R's `obs` (summed over strata).
    pub observed: &'a mut [f64],
    /// Expected (weighted) events per group, at least K values: R's `exp` (summed over strata).
    pub expected: &'a mut [f64],
    /// Variance matrix of O − E, at least K² values, row-major (symmetric): R's `var`.
    pub variance: &'a mut [f64],
}

/// The test statistic.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LogRankTest {
    /// χ² = (O − E)ᵀ V⁻¹ (O − E) over the groups with E > 0 but the first: R's `chisq`.
    pub chisq: f64,
    /// Degrees of freedom: the number of groups with E > 0, minus 1.
    pub df: usize,
    /// P(χ²_df > chisq); 1 when df = 0 (R's `pchisq(0, 0, lower.tail = FALSE)`).
    pub p_value: f64,
    /// Number of strata (1 without strata).
    pub strata: usize,
}

/// The `u64` scratch [`log_rank`] needs for n subjects: 4n, with or without strata.
pub const fn logrank_scratch_len(n: usize) -> usize {
    sorted_scratch_len(n)
}

/// Running sums of one test.
struct Sums {
    k: usize,
    observed: [f64; MAX_GROUPS],
    expected: [f64; MAX_GROUPS],
    variance: [[f64; MAX_GROUPS]; MAX_GROUPS],
    /// Per group, the sum of the (non-negative) terms added to its diagonal of V before the
    /// terms subtracted: the size of the numbers V_jj cancels from, for the singularity test.
    variance_gross: [f64; MAX_GROUPS],
    risk: [f64; MAX_GROUPS],
}

impl Sums {
    fn new(k: usize) -> Self {
        Sums {
            k,
            observed: [0.0; MAX_GROUPS],
            expected: [0.0; MAX_GROUPS],
            variance: [[0.0; MAX_GROUPS]; MAX_GROUPS],
            variance_gross: [0.0; MAX_GROUPS],
            risk: [0.0; MAX_GROUPS],
        }
    }

    /// Adds one stratum whose (time key, payload) pairs are sorted by time (survdiff2.c).
    fn add_stratum(&mut self, keys: &[u64], payloads: &[u64], rule: TieRule, rho: f64) {
        self.risk = [0.0; MAX_GROUPS];
        for &p in payloads {
            if let Some(r) = self.risk.get_mut(payload_group(p)) {
                *r += 1.0;
            }
        }
        let k = self.k;
        let mut km = 1.0;
        for g in TimeGroups::new(keys, payloads, rule) {
            let w = if rho == 0.0 { 1.0 } else { libm::pow(km, rho) };
            let n = g.at_risk as f64;
            let deaths = g.events as f64;
            if g.events > 0 {
                let risk = &self.risk;
                for (e, &r) in self.expected.iter_mut().zip(risk).take(k) {
                    *e += w * deaths * r / n;
                }
                if g.at_risk > 1 {
                    let w2 = w * w;
                    let rows = self.variance.iter_mut().zip(risk).enumerate().take(k);
                    for ((j, (row, &rj)), gross) in rows.zip(self.variance_gross.iter_mut()) {
                        let tmp = w2 * deaths * rj * (n - deaths) / (n * (n - 1.0));
                        if let Some(v) = row.get_mut(j) {
                            *v += tmp;
                        }
                        *gross += tmp;
                        for (v, &rk) in row.iter_mut().zip(risk).take(k) {
                            *v -= tmp * rk / n;
                        }
                    }
                }
                km *= (n - deaths) / n;
            }
            // obs[k] += status * wt (survdiff2.c); then the subjects leave the risk set
            for &p in g.members {
                let k = payload_group(p);
                if let Some(o) = self.observed.get_mut(k) {
                    *o += payload_event(p) as f64 * w;
                }
                if let Some(r) = self.risk.get_mut(k) {
                    *r -= 1.0;
                }
            }
        }
    }
}

/// Solves A x = b for the m × m leading block of `a` by Gaussian elimination with partial
/// pivoting and returns bᵀ x; `None` when a pivot is below ε · m times the larger of the
/// largest |Aᵢⱼ| and `gross` (R's `solve` refuses matrices whose reciprocal condition number is
/// below ε). `gross` is the size of the terms the entries were summed from: an entry that is
/// only their rounding residue (a group alone at risk at every death time gives V_jj = Σ t − Σ t,
/// about 1e-17 · Σ t instead of 0) counts as zero, as R's exact zero does.
fn quadratic_form_inverse(
    a: &mut [[f64; MAX_GROUPS]; MAX_GROUPS],
    b: &[f64; MAX_GROUPS],
    m: usize,
    gross: f64,
) -> Option<f64> {
    let mut x = *b;
    let scale = a
        .iter()
        .take(m)
        .flat_map(|row| row.iter().take(m))
        .fold(gross, |acc, &v| libm::fmax(acc, libm::fabs(v)));
    let tolerance = f64::EPSILON * scale * m as f64;
    for col in 0..m {
        // pivot: the largest |a[r][col]| for r ≥ col
        let mut pivot_row = col;
        let mut pivot_abs = 0.0;
        for (r, row) in a.iter().enumerate().take(m).skip(col) {
            let v = libm::fabs(row.get(col).copied().unwrap_or(0.0));
            if v > pivot_abs {
                pivot_abs = v;
                pivot_row = r;
            }
        }
        if pivot_abs <= tolerance || pivot_abs.is_nan() {
            return None;
        }
        if pivot_row != col {
            if let Ok([p, c]) = a.get_disjoint_mut([pivot_row, col]) {
                core::mem::swap(p, c);
            }
            if let Ok([p, c]) = x.get_disjoint_mut([pivot_row, col]) {
                core::mem::swap(p, c);
            }
        }
        let (upper, lower) = a.split_at_mut_checked(col + 1)?;
        let pivot = upper.last()?;
        let pivot_value = pivot.get(col).copied()?;
        let x_col = x.get(col).copied()?;
        for (r, row) in lower.iter_mut().enumerate().take(m.saturating_sub(col + 1)) {
            let factor = row.get(col).copied()? / pivot_value;
            for (v, &p) in row.iter_mut().zip(pivot.iter()).take(m).skip(col) {
                *v -= factor * p;
            }
            if let Some(xr) = x.get_mut(col + 1 + r) {
                *xr -= factor * x_col;
            }
        }
    }
    // back substitution
    for col in (0..m).rev() {
        let row = a.get(col)?;
        let mut s = x.get(col).copied()?;
        for (v, xv) in row.iter().zip(x.iter()).take(m).skip(col + 1) {
            s -= v * xv;
        }
        *x.get_mut(col)? = s / row.get(col).copied()?;
    }
    Some(x.iter().zip(b.iter()).take(m).map(|(xi, bi)| xi * bi).sum())
}

/// Checks everything [`log_rank`] needs before any work. Returns the data.
fn validate<'a>(
    time: &'a [f64],
    event: &'a [u8],
    groups: &Groups<'_>,
    strata: Option<&[u32]>,
    options: &LogRankOptions,
    out: &LogRankOutput<'_>,
) -> Result<SurvivalData<'a>, Status> {
    let data = SurvivalData::new(time, event)?;
    validate_groups(&data, groups, options, out)?;
    if strata.is_some_and(|s| s.len() != data.len()) {
        return Err(Status::LengthMismatch);
    }
    Ok(data)
}

fn validate_groups(
    data: &SurvivalData<'_>,
    groups: &Groups<'_>,
    options: &LogRankOptions,
    out: &LogRankOutput<'_>,
) -> Result<(), Status> {
    if groups.labels.len() != data.len() {
        return Err(Status::LengthMismatch);
    }
    check_labels(groups.labels.iter().map(|&g| g as usize), groups.count)?;
    check_options_and_outputs(groups.count, data.events(), options, out)
}

/// Labels below K ≤ [`MAX_GROUPS`], at least two groups present.
fn check_labels(labels: impl Iterator<Item = usize>, k: usize) -> Result<(), Status> {
    if k > MAX_GROUPS {
        return Err(Status::TooManyGroups);
    }
    let mut present = [false; MAX_GROUPS];
    for g in labels {
        if g >= k {
            return Err(Status::GroupOutOfRange);
        }
        if let Some(p) = present.get_mut(g) {
            *p = true;
        }
    }
    if present.iter().filter(|&&p| p).count() < 2 {
        return Err(Status::SingleGroup);
    }
    Ok(())
}

fn check_options_and_outputs(
    k: usize,
    events: usize,
    options: &LogRankOptions,
    out: &LogRankOutput<'_>,
) -> Result<(), Status> {
    if require_finite(options.rho)? < 0.0 {
        return Err(Status::InvalidOption);
    }
    if out.observed.len() < k || out.expected.len() < k || out.variance.len() < k * k {
        return Err(Status::BufferTooSmall);
    }
    if events == 0 {
        return Err(Status::NoEvents);
    }
    Ok(())
}

/// Turns the sums into the statistic and writes the outputs.
fn finish(sums: &Sums, strata: usize, out: &mut LogRankOutput<'_>) -> Result<LogRankTest, Status> {
    let k = sums.k;
    // groups with E > 0, in label order
    let mut used = [0usize; MAX_GROUPS];
    let mut n_used = 0usize;
    for (g, &e) in sums.expected.iter().enumerate().take(k) {
        if e > 0.0 {
            if let Some(u) = used.get_mut(n_used) {
                *u = g;
            }
            n_used += 1;
        }
    }
    let (chisq, df) = if n_used < 2 {
        (0.0, 0)
    } else {
        // drop the first used group, as survdiff does
        let m = n_used - 1;
        let mut a = [[0.0; MAX_GROUPS]; MAX_GROUPS];
        let mut b = [0.0; MAX_GROUPS];
        let kept = used.get(1..n_used).unwrap_or(&[]);
        for ((row, bi), &gi) in a.iter_mut().zip(b.iter_mut()).zip(kept) {
            let o = sums.observed.get(gi).copied().unwrap_or(0.0);
            let e = sums.expected.get(gi).copied().unwrap_or(0.0);
            *bi = o - e;
            let source = sums.variance.get(gi);
            for (v, &gj) in row.iter_mut().zip(kept) {
                *v = source.and_then(|s| s.get(gj)).copied().unwrap_or(0.0);
            }
        }
        let gross = kept
            .iter()
            .filter_map(|&g| sums.variance_gross.get(g))
            .fold(0.0f64, |acc, &v| libm::fmax(acc, v));
        let chisq = quadratic_form_inverse(&mut a, &b, m, gross).ok_or(Status::SingularVariance)?;
        (chisq, m)
    };
    let p_value = if df == 0 {
        1.0
    } else {
        chisq_sf(chisq, df as f64)
    };
    for (o, &s) in out.observed.iter_mut().zip(&sums.observed).take(k) {
        *o = s;
    }
    for (e, &s) in out.expected.iter_mut().zip(&sums.expected).take(k) {
        *e = s;
    }
    for (row_out, row) in out
        .variance
        .chunks_exact_mut(k.max(1))
        .zip(&sums.variance)
        .take(k)
    {
        for (v, &s) in row_out.iter_mut().zip(row.iter()) {
            *v = s;
        }
    }
    Ok(LogRankTest {
        chisq,
        df,
        p_value,
        strata,
    })
}

/// The log-rank (ρ = 0) or Fleming–Harrington (ρ ≠ 0) test comparing K groups, optionally
/// stratified: R's `survdiff(Surv(time, event) ~ group + strata(strata), rho = rho)`.
///
/// `strata`, when given, holds one label per subject (any `u32` values, any order); O, E and V
/// are summed over strata. `scratch` holds at least [`logrank_scratch_len`]`(n)` = 4n values.
/// The caller's arrays are not modified.
///
/// Errors (nothing written): those of [`SurvivalData::new`]; `LengthMismatch` (labels or strata
/// of another length); `TooManyGroups` (K > [`MAX_GROUPS`]); `GroupOutOfRange` (a label ≥ K);
/// `SingleGroup` (fewer than two groups have subjects; R: "There is only 1 group"); `NotFinite`
/// (ρ); `InvalidOption` (ρ < 0); `BufferTooSmall` (outputs shorter than K, K, K²); `NoEvents` (no event at all: the test
/// is undefined); `ScratchTooSmall`; `SingularVariance` (V cannot be inverted, where R's `solve`
/// fails too).
///
/// ```
/// use ecvkit::survival::{log_rank, logrank_scratch_len, Groups, LogRankOptions, LogRankOutput};
///
/// let time = [1.0, 2.0, 3.0, 4.0, 5.0, 6.0];
/// let event = [1, 1, 0, 1, 1, 0];
/// let labels = [0, 1, 0, 1, 0, 1];
/// let (mut o, mut e, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);
/// let mut scratch = vec![0u64; logrank_scratch_len(time.len())];
/// let test = log_rank(
///     &time, &event, Groups { labels: &labels, count: 2 }, None, &LogRankOptions::default(),
///     &mut scratch, LogRankOutput { observed: &mut o, expected: &mut e, variance: &mut v },
/// )?;
/// assert_eq!(test.df, 1);
/// assert_eq!(o, [2.0, 2.0]);
/// // two groups: χ² = (O₁ − E₁)² / V₁₁
/// assert!((test.chisq - (o[0] - e[0]).powi(2) / v[0]).abs() < 1e-12);
/// # Ok::<(), ecvkit::Status>(())
/// ```
pub fn log_rank(
    time: &[f64],
    event: &[u8],
    groups: Groups<'_>,
    strata: Option<&[u32]>,
    options: &LogRankOptions,
    scratch: &mut [u64],
    mut out: LogRankOutput<'_>,
) -> Result<LogRankTest, Status> {
    let data = validate(time, event, &groups, strata, options, &out)?;
    let mut pairs = PairScratch::new(scratch, data.len())?;
    let label = |i: usize| groups.labels.get(i).copied().unwrap_or(0);
    let stratum = |i: usize| strata.and_then(|s| s.get(i)).copied().unwrap_or(0);
    pairs.sort_by_time(&data, |i, e| payload(e, label(i), stratum(i)))?;
    // R applies aeqSurv to all times before splitting by stratum: the mean of the distinct
    // times is over the whole data.
    let rule = TieRule::new(pairs.pairs().0, options.time_matching);
    let mut sums = Sums::new(groups.count);
    if strata.is_none() {
        let (keys, payloads) = pairs.pairs();
        sums.add_stratum(keys, payloads, rule, options.rho);
        return finish(&sums, 1, &mut out);
    }
    pairs.sort(|_, p| u64::from(payload_stratum(p)))?;
    let mut n_strata = 0usize;
    let (mut keys, mut payloads) = pairs.pairs();
    while let Some(&head) = payloads.first() {
        let s = payload_stratum(head);
        let len = payloads
            .iter()
            .take_while(|&&p| payload_stratum(p) == s)
            .count();
        let (block_keys, rest_keys) = keys.split_at_checked(len).ok_or(Status::InvalidOrder)?;
        let (block, rest) = payloads.split_at_checked(len).ok_or(Status::InvalidOrder)?;
        sums.add_stratum(block_keys, block, rule, options.rho);
        n_strata += 1;
        keys = rest_keys;
        payloads = rest;
    }
    finish(&sums, n_strata, &mut out)
}

/// The unstratified test on data already sorted by [`SortedSurvival::with_groups`] (for example
/// shared with a Kaplan-Meier fit): no scratch, no second sort. `n_groups` is K; the tie
/// matching is the one `sorted` was built with (`options.time_matching` is ignored). Errors as
/// [`log_rank`].
pub fn log_rank_sorted(
    sorted: &SortedSurvival<'_>,
    n_groups: usize,
    options: &LogRankOptions,
    mut out: LogRankOutput<'_>,
) -> Result<LogRankTest, Status> {
    let (keys, payloads) = sorted.pairs();
    check_labels(payloads.iter().map(|&p| payload_group(p)), n_groups)?;
    check_options_and_outputs(n_groups, sorted.events(), options, &out)?;
    let mut sums = Sums::new(n_groups);
    sums.add_stratum(keys, payloads, sorted.rule(), options.rho);
    finish(&sums, 1, &mut out)
}

#[cfg(test)]
mod tests {
    use super::*;

    type Outcome = (LogRankTest, Vec<f64>, Vec<f64>, Vec<f64>);

    fn run(
        time: &[f64],
        event: &[u8],
        labels: &[u32],
        k: usize,
        strata: Option<&[u32]>,
        rho: f64,
    ) -> Result<Outcome, Status> {
        let (mut o, mut e, mut v) = (vec![0.0; k], vec![0.0; k], vec![0.0; k * k]);
        let mut s = vec![0u64; 4 * time.len()];
        let t = log_rank(
            time,
            event,
            Groups { labels, count: k },
            strata,
            &LogRankOptions {
                rho,
                ..LogRankOptions::default()
            },
            &mut s,
            LogRankOutput {
                observed: &mut o,
                expected: &mut e,
                variance: &mut v,
            },
        )?;
        Ok((t, o, e, v))
    }

    const T: [f64; 8] = [1.0, 2.0, 2.0, 3.0, 4.0, 4.0, 5.0, 6.0];
    const E: [u8; 8] = [1, 1, 0, 1, 0, 1, 1, 0];
    const G: [u32; 8] = [0, 0, 0, 0, 1, 1, 1, 1];

    #[test]
    fn matches_r_small_example() {
        // R: survdiff(Surv(t, e) ~ g)$var[1, 1] = 0.654898 (printed to 6 digits)
        let (t, o, e, v) = run(&T, &E, &G, 2, None, 0.0).unwrap();
        assert_eq!(o, vec![3.0, 2.0]);
        assert!((v[0] - 0.654898).abs() < 1e-6, "{v:?}");
        assert_eq!(v[0], -v[1]);
        assert_eq!(t.df, 1);
        assert!((t.chisq - (o[0] - e[0]).powi(2) / v[0]).abs() < 1e-12);
        assert!((e[0] + e[1] - 5.0).abs() < 1e-12);
        // R example: t2, e2, g2 gives chisq 1 on 1 df, p 0.3173105, var 0.25
        let (t, o, e, v) = run(
            &[1.0, 1.0, 2.0, 2.0, 3.0, 3.0],
            &[1, 0, 0, 0, 0, 0],
            &[0, 0, 0, 1, 1, 1],
            2,
            None,
            0.0,
        )
        .unwrap();
        assert_eq!(
            (o, e, v),
            (
                vec![1.0, 0.0],
                vec![0.5, 0.5],
                vec![0.25, -0.25, -0.25, 0.25]
            )
        );
        assert!((t.chisq - 1.0).abs() < 1e-14);
        assert!((t.p_value - 0.3173105078629141).abs() < 1e-12);
    }

    #[test]
    fn errors() {
        assert_eq!(
            run(&T, &E, &G, 40, None, 0.0).unwrap_err(),
            Status::TooManyGroups
        );
        assert_eq!(
            run(&T, &E, &G, 1, None, 0.0).unwrap_err(),
            Status::GroupOutOfRange
        );
        assert_eq!(
            run(&T, &E, &[0; 8], 2, None, 0.0).unwrap_err(),
            Status::SingleGroup
        );
        assert_eq!(
            run(&T, &[0; 8], &G, 2, None, 0.0).unwrap_err(),
            Status::NoEvents
        );
        assert_eq!(
            run(&T, &E, &G[..7], 2, None, 0.0).unwrap_err(),
            Status::LengthMismatch
        );
        assert_eq!(
            run(&T, &E, &G, 2, Some(&[0; 7]), 0.0).unwrap_err(),
            Status::LengthMismatch
        );
        assert_eq!(
            run(&T, &E, &G, 2, None, f64::NAN).unwrap_err(),
            Status::NotFinite
        );
        let (mut o, mut e, mut v) = ([9.0; 2], [9.0; 2], [9.0; 3]);
        let mut s = vec![0u64; 32];
        let r = log_rank(
            &T,
            &E,
            Groups {
                labels: &G,
                count: 2,
            },
            None,
            &LogRankOptions::default(),
            &mut s,
            LogRankOutput {
                observed: &mut o,
                expected: &mut e,
                variance: &mut v,
            },
        );
        assert_eq!(r, Err(Status::BufferTooSmall));
        assert_eq!((o, e, v), ([9.0; 2], [9.0; 2], [9.0; 3]));
    }

    #[test]
    fn empty_group_is_ignored_and_strata_add_up() {
        let with_empty: Vec<u32> = G.iter().map(|&g| g * 2).collect();
        let (a, ..) = run(&T, &E, &G, 2, None, 0.0).unwrap();
        let (b, o, e, _) = run(&T, &E, &with_empty, 3, None, 0.0).unwrap();
        assert_eq!((o[1], e[1]), (0.0, 0.0));
        assert_eq!(b.df, 1);
        assert!((a.chisq - b.chisq).abs() < 1e-14);
        // one stratum label for all = unstratified
        let (c, ..) = run(&T, &E, &G, 2, Some(&[7; 8]), 0.5).unwrap();
        let (d, ..) = run(&T, &E, &G, 2, None, 0.5).unwrap();
        assert_eq!(c, d);
        let (s2, ..) = run(&T, &E, &G, 2, Some(&[1, 0, 1, 0, 1, 0, 1, 0]), 0.0).unwrap();
        assert_eq!(s2.strata, 2);
    }

    #[test]
    fn sorted_variant_agrees() {
        let (a, ..) = run(&T, &E, &G, 2, None, 1.0).unwrap();
        let data = SurvivalData::new(&T, &E).unwrap();
        let mut s = vec![0u64; 32];
        let sorted = SortedSurvival::with_groups(data, &G, TimeMatching::RTimefix, &mut s).unwrap();
        let (mut o, mut e, mut v) = ([0.0; 2], [0.0; 2], [0.0; 4]);
        let b = log_rank_sorted(
            &sorted,
            2,
            &LogRankOptions {
                rho: 1.0,
                ..LogRankOptions::default()
            },
            LogRankOutput {
                observed: &mut o,
                expected: &mut e,
                variance: &mut v,
            },
        )
        .unwrap();
        assert_eq!(a, b);
    }
}
