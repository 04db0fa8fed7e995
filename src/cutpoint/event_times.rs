//! The pooled event-time table every split shares: for each subject the number of distinct event
//! times up to its own time, the pooled Nelson–Aalen hazard and the variance prefix sums over the
//! event times, and maxstat's log-rank scores.

use crate::numeric::NeumaierSum;
use crate::Status;

/// Per-subject and per-event-time arrays, built once from the time order (see the module docs
/// of [`crate::cutpoint`] for the formulas).
///
/// With t_1 < … < t_K the distinct event times, d_k the events and n_k the subjects at risk
/// (time ≥ t_k) at t_k, and κ_i = #{k : t_k ≤ T_i}:
/// - `hazard[κ]` = Λ(κ) = Σ_{k ≤ κ} d_k / n_k (pooled Nelson–Aalen; `hazard[0]` = 0);
/// - `c_prefix[κ]` = Σ_{k ≤ κ} c_k with c_k = d_k (n_k − d_k) / ((n_k − 1) n_k²) (0 if n_k = 1);
/// - `p_prefix[κ]` = Σ_{k ≤ κ} c_k (n_k − 1) = Σ_{k ≤ κ} d_k (n_k − d_k) / n_k².
pub(crate) struct EventTimes<'a> {
    /// κ_i per subject, in the caller's subject order.
    pub(crate) kappa: &'a [u32],
    /// maxstat's log-rank score a_i per subject, in the caller's subject order.
    pub(crate) scores: &'a [f64],
    /// Λ(κ), κ = 0..=K.
    pub(crate) hazard: &'a [f64],
    /// C(κ), κ = 0..=K.
    pub(crate) c_prefix: &'a [f64],
    /// P(κ), κ = 0..=K.
    pub(crate) p_prefix: &'a [f64],
    /// Number of distinct event times K.
    pub(crate) event_times: usize,
    /// Total events D = Σ d_k.
    pub(crate) events: usize,
    /// Subjects with κ = 0 (time before the first event time): their expected count is 0.
    pub(crate) before_first_event: usize,
    /// W = Σ_k d_k (n_k − d_k) / (n_k − 1), the log-rank variance scale (zero-variance test).
    pub(crate) information: f64,
}

/// The arrays [`build`] fills.
pub(crate) struct EventTimeBuffers<'a> {
    /// Per subject: κ_i (n).
    pub(crate) kappa: &'a mut [u32],
    /// Per subject: maxstat's log-rank score a_i (n).
    pub(crate) scores: &'a mut [f64],
    /// K + 1 ≤ n + 1 each.
    pub(crate) hazard: &'a mut [f64],
    /// K + 1 ≤ n + 1.
    pub(crate) c_prefix: &'a mut [f64],
    /// K + 1 ≤ n + 1.
    pub(crate) p_prefix: &'a mut [f64],
}

/// Builds the event-time table and maxstat's scores from `by_time`, a stable ascending order of
/// `time`. `event` holds 0/1 (validated by the caller).
///
/// maxstat's scores (exactRankTests::cscores(type = "LogRank"), which `maxstat.test(smethod =
/// "LogRank")` calls): with r_i the largest rank among subjects tied with T_i (R's `irank`),
/// a_i = δ_i − Σ_{j : r_j ≤ r_i} δ_j / (N − r_j + 1). Within a block of k subjects tied at time t
/// with n_t at risk and d_t events, every r_j is the block's last position, so the block adds
/// d_t / (n_t − k + 1) — not d_t / n_t: maxstat's scores are not Nelson–Aalen residuals when
/// times are tied, and ecvkit keeps that definition to match R.
pub(crate) fn build<'a>(
    time: &[f64],
    event: &[u8],
    by_time: &[u32],
    out: EventTimeBuffers<'a>,
) -> Result<EventTimes<'a>, Status> {
    let EventTimeBuffers {
        kappa,
        scores,
        hazard,
        c_prefix,
        p_prefix,
    } = out;
    let n = by_time.len();
    let (mut lambda, mut c_sum, mut p_sum, mut score_sum) = (
        NeumaierSum::new(),
        NeumaierSum::new(),
        NeumaierSum::new(),
        NeumaierSum::new(),
    );
    let mut information = NeumaierSum::new();
    let (mut k, mut events, mut before_first) = (0usize, 0usize, 0usize);
    for slot in [
        hazard.first_mut(),
        c_prefix.first_mut(),
        p_prefix.first_mut(),
    ]
    .into_iter()
    .flatten()
    {
        *slot = 0.0;
    }
    let mut start = 0usize;
    while start < n {
        let t = by_time
            .get(start)
            .and_then(|&i| time.get(i as usize))
            .copied()
            .ok_or(Status::InvalidOrder)?;
        // The block of subjects tied at time t: positions start..end.
        let mut end = start;
        let mut d = 0usize;
        while let Some(&i) = by_time.get(end) {
            if time.get(i as usize).copied() != Some(t) {
                break;
            }
            d = d.saturating_add(usize::from(event.get(i as usize).copied() == Some(1)));
            end += 1;
        }
        let at_risk = n - start; // n_t ≥ 1
        let tied = end - start; // k ≥ 1, k ≤ n_t
        let (df, nf) = (d as f64, at_risk as f64);
        if d > 0 {
            k += 1;
            events = events.saturating_add(d);
            lambda.add(df / nf);
            if at_risk > 1 {
                let w = df * (nf - df) / (nf - 1.0);
                information.add(w);
                c_sum.add(w / (nf * nf));
                p_sum.add(df * (nf - df) / (nf * nf));
            }
            *hazard.get_mut(k).ok_or(Status::ScratchTooSmall)? = lambda.total();
            *c_prefix.get_mut(k).ok_or(Status::ScratchTooSmall)? = c_sum.total();
            *p_prefix.get_mut(k).ok_or(Status::ScratchTooSmall)? = p_sum.total();
            // maxstat's score increment for the block: d / (n_t − k_t + 1).
            score_sum.add(df / ((at_risk - tied + 1) as f64));
        }
        if k == 0 {
            before_first += tied;
        }
        let g = score_sum.total();
        let kk = u32::try_from(k).map_err(|_| Status::TooManyElements)?;
        for &i in by_time.get(start..end).unwrap_or(&[]) {
            let delta = f64::from(event.get(i as usize).copied().unwrap_or(0));
            *kappa.get_mut(i as usize).ok_or(Status::ScratchTooSmall)? = kk;
            *scores.get_mut(i as usize).ok_or(Status::ScratchTooSmall)? = delta - g;
        }
        start = end;
    }
    let hazard = hazard.get(..=k).ok_or(Status::ScratchTooSmall)?;
    let c_prefix = c_prefix.get(..=k).ok_or(Status::ScratchTooSmall)?;
    let p_prefix = p_prefix.get(..=k).ok_or(Status::ScratchTooSmall)?;
    Ok(EventTimes {
        kappa,
        scores,
        hazard,
        c_prefix,
        p_prefix,
        event_times: k,
        events,
        before_first_event: before_first,
        information: information.total(),
    })
}
