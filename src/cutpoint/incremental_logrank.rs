//! survdiff's two-group log-rank terms of a group that grows one subject at a time, each
//! addition in O(log K) (derivation in the docs of [`crate::cutpoint`]).

use super::event_times::EventTimes;
use super::fenwick::Fenwick;
use crate::numeric::NeumaierSum;

/// Below this fraction of W = Σ_k d_k (n_k − d_k) / (n_k − 1), a log-rank variance is taken as
/// zero: in exact arithmetic it is then exactly zero (every event time has all its subjects in
/// one group, or n_k = d_k), and what is left is rounding of order ε·W.
pub(crate) const ZERO_VARIANCE_FRACTION: f64 = 1e-12;

/// The log-rank terms of one group G (the "low" group of a split, or the "high" group when the
/// subjects are added from the top): O_G, E_G and V_G = Var(O_G − E_G), as survdiff defines
/// them for the two groups G and its complement.
pub(crate) struct IncrementalLogRank<'t, 'f> {
    times: &'t EventTimes<'t>,
    event: &'t [u8],
    /// Σ C(κ_j) over the members j, by κ_j.
    c_tree: Fenwick<'f, f64>,
    /// Member count by κ_j.
    count_tree: Fenwick<'f, u32>,
    size: usize,
    observed: usize,
    expected: NeumaierSum,
    variance: NeumaierSum,
    before_first_event: usize,
}

/// The log-rank terms of a group at one moment of the sweep.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct GroupTerms {
    /// Subjects in the group.
    pub(crate) size: usize,
    /// Observed events O_G.
    pub(crate) observed: f64,
    /// Expected events E_G = Σ_k d_k n_{Gk} / n_k.
    pub(crate) expected: f64,
    /// Var(O_G − E_G) = Σ_k w_k p_k (1 − p_k), p_k = n_{Gk} / n_k.
    pub(crate) variance: f64,
    /// Members whose time precedes the first event time (κ = 0); E_G = 0 exactly when that is
    /// every member.
    pub(crate) before_first_event: usize,
}

impl GroupTerms {
    /// `true` when E_G = 0 exactly (every member's time precedes the first event time).
    pub(crate) fn expected_is_zero(&self) -> bool {
        self.before_first_event == self.size
    }
}

impl<'t, 'f> IncrementalLogRank<'t, 'f> {
    /// An empty group. `c_tree` and `count_tree` hold at least K + 1 values.
    pub(crate) fn new(
        times: &'t EventTimes<'t>,
        event: &'t [u8],
        c_tree: &'f mut [f64],
        count_tree: &'f mut [u32],
    ) -> Self {
        IncrementalLogRank {
            times,
            event,
            c_tree: Fenwick::new(c_tree),
            count_tree: Fenwick::new(count_tree),
            size: 0,
            observed: 0,
            expected: NeumaierSum::new(),
            variance: NeumaierSum::new(),
            before_first_event: 0,
        }
    }

    /// Empties the group.
    pub(crate) fn clear(&mut self) {
        self.c_tree.clear();
        self.count_tree.clear();
        self.size = 0;
        self.observed = 0;
        self.expected = NeumaierSum::new();
        self.variance = NeumaierSum::new();
        self.before_first_event = 0;
    }

    /// Adds subject `i` (index into the caller's arrays) to the group.
    ///
    /// O_G += δ_i; E_G += Λ(κ_i); V_G += P(κ_i) − 2 Σ_{k ≤ κ_i} c_k n_{Gk}, where
    /// Σ_{k ≤ κ} c_k n_{Gk} = Σ_{j ∈ G} C(min(κ_j, κ)) = Σ_{j ∈ G, κ_j < κ} C(κ_j) + C(κ) · #{j ∈ G :
    /// κ_j ≥ κ}, two Fenwick prefix queries.
    pub(crate) fn add(&mut self, i: u32) {
        let t = self.times;
        let kappa = t.kappa.get(i as usize).map_or(0, |&k| k as usize);
        let hazard = t.hazard.get(kappa).copied().unwrap_or(0.0);
        let c = t.c_prefix.get(kappa).copied().unwrap_or(0.0);
        let p = t.p_prefix.get(kappa).copied().unwrap_or(0.0);
        let below_sum = self.c_tree.prefix_sum(kappa);
        let below_count = self.count_tree.prefix_sum(kappa) as usize;
        let at_or_above = self.size.saturating_sub(below_count);
        let shared = below_sum + c * at_or_above as f64;
        self.variance.add(p - 2.0 * shared);
        self.expected.add(hazard);
        if self.event.get(i as usize).copied() == Some(1) {
            self.observed = self.observed.saturating_add(1);
        }
        if kappa == 0 {
            self.before_first_event = self.before_first_event.saturating_add(1);
        }
        self.c_tree.add(kappa, c);
        self.count_tree.add(kappa, 1);
        self.size = self.size.saturating_add(1);
    }

    /// The group's current terms.
    pub(crate) fn terms(&self) -> GroupTerms {
        GroupTerms {
            size: self.size,
            observed: self.observed as f64,
            expected: self.expected.total(),
            variance: self.variance.total(),
            before_first_event: self.before_first_event,
        }
    }

    /// survdiff's χ² for G against its complement (n − |G| subjects): (O_G − E_G)² / V_G, and
    /// 0 when either group has E = 0 (R then keeps fewer than two groups and reports 0) or when
    /// V_G is zero (R's `solve` would stop on the singular variance; there is no information).
    pub(crate) fn chisq_against_rest(&self, n: usize) -> f64 {
        let g = self.terms();
        let rest = n.saturating_sub(self.size);
        let rest_before_first = self
            .times
            .before_first_event
            .saturating_sub(self.before_first_event);
        if g.expected_is_zero() || rest_before_first == rest {
            return 0.0;
        }
        two_group_chisq(g.observed - g.expected, g.variance, self.times.information)
    }
}

/// U² / V, or 0 when V is zero up to rounding (≤ [`ZERO_VARIANCE_FRACTION`] · W).
pub(crate) fn two_group_chisq(u: f64, v: f64, information: f64) -> f64 {
    if v <= ZERO_VARIANCE_FRACTION * information {
        0.0
    } else {
        u * u / v
    }
}
