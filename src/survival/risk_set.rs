//! The shared part of every survival estimator: validated (time, event) input, the sort of the
//! subjects by time into caller scratch, R's rule for which times count as tied, and the sweep
//! over the distinct times with the risk set at each.

use crate::numeric::{NeumaierSum, SQRT_EPSILON};
use crate::sort::{identity_order, sort_order_by_key, total_order_key};
use crate::Status;

/// How survival times are matched into tied groups.
#[repr(u32)]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum TimeMatching {
    /// R's default (`timefix = TRUE`, `survival::aeqSurv`): the distinct times are sorted, and a
    /// time whose gap to the previous distinct time is ≤ √ε (1.49e-8) either absolutely or
    /// relative to the mean of the distinct times joins that time's group; a group's time is its
    /// smallest value. This undoes floating-point noise (7/3 · 3 ≠ 7) exactly as `survfit`,
    /// `survdiff` and `coxph` do.
    #[default]
    RTimefix = 0,
    /// Times are tied only when exactly equal (R's `timefix = FALSE`).
    Exact = 1,
}

impl TryFrom<u32> for TimeMatching {
    type Error = Status;
    fn try_from(value: u32) -> Result<Self, Status> {
        match value {
            0 => Ok(TimeMatching::RTimefix),
            1 => Ok(TimeMatching::Exact),
            _ => Err(Status::InvalidEnumValue),
        }
    }
}

/// Right-censored survival data, validated: one time and one event indicator per subject.
///
/// Times are finite and ≥ 0 (−0.0 counts as 0); an event is 1 (the event happened at that time)
/// or 0 (censored at that time), R's `Surv(time, event)`. At a tied time, events happen before
/// censorings: a subject censored at t is still at risk at t.
#[derive(Clone, Copy, Debug)]
pub struct SurvivalData<'a> {
    time: &'a [f64],
    event: &'a [u8],
}

impl<'a> SurvivalData<'a> {
    /// Validates the data. Errors: `LengthMismatch` (time and event lengths differ), `EmptyInput`
    /// (n = 0), `TooManyElements` (n > 2^32 − 1), `NotFinite` (a NaN or infinite time),
    /// `NegativeTime`, `EventNotBinary` (an event other than 0 or 1).
    pub fn new(time: &'a [f64], event: &'a [u8]) -> Result<Self, Status> {
        if time.len() != event.len() {
            return Err(Status::LengthMismatch);
        }
        if time.is_empty() {
            return Err(Status::EmptyInput);
        }
        if u32::try_from(time.len()).is_err() {
            return Err(Status::TooManyElements);
        }
        if time.iter().any(|t| !t.is_finite()) {
            return Err(Status::NotFinite);
        }
        if time.iter().any(|&t| t < 0.0) {
            return Err(Status::NegativeTime);
        }
        if event.iter().any(|&e| e > 1) {
            return Err(Status::EventNotBinary);
        }
        Ok(SurvivalData { time, event })
    }

    /// Number of subjects (≥ 1).
    pub fn len(&self) -> usize {
        self.time.len()
    }

    /// Always `false`: validated data has at least one subject.
    pub fn is_empty(&self) -> bool {
        self.time.is_empty()
    }

    /// The times, as given.
    pub fn time(&self) -> &'a [f64] {
        self.time
    }

    /// The event indicators, as given.
    pub fn event(&self) -> &'a [u8] {
        self.event
    }

    /// Number of events (subjects with event = 1).
    pub fn events(&self) -> usize {
        self.event.iter().map(|&e| usize::from(e)).sum()
    }

    /// Time of subject `i` (0 for an index out of range, which validated callers never pass).
    pub(crate) fn time_of(&self, i: u32) -> f64 {
        self.time.get(i as usize).copied().unwrap_or(0.0)
    }

    /// Event indicator of subject `i` (0 out of range).
    pub(crate) fn event_of(&self, i: u32) -> u8 {
        self.event.get(i as usize).copied().unwrap_or(0)
    }
}

/// The `u32` scratch a sort of n subjects by time needs: 2n (n for the order that the result
/// keeps, n for the radix sort's buffer). Saturates instead of overflowing.
pub const fn sorted_scratch_len(n: usize) -> usize {
    n.saturating_mul(2)
}

/// The sort key of a validated time: −0.0 and +0.0 get one key.
fn time_key(t: f64) -> u64 {
    total_order_key(t + 0.0)
}

/// Sorts `order` (identity first) by time, stable, with `buffer` as the radix buffer.
pub(crate) fn sort_by_time(
    data: &SurvivalData<'_>,
    order: &mut [u32],
    buffer: &mut [u32],
) -> Result<(), Status> {
    identity_order(order)?;
    sort_order_by_key(order, buffer, |i| time_key(data.time_of(i)))
}

/// Which adjacent distinct times are one tied time ([`TimeMatching`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TieRule {
    matching: TimeMatching,
    /// Mean of the distinct times (R's `mean(abs(y))` in `aeqSurv`).
    mean_distinct: f64,
}

impl TieRule {
    /// The rule for data whose subjects `order` lists in ascending time.
    pub(crate) fn new(data: &SurvivalData<'_>, order: &[u32], matching: TimeMatching) -> Self {
        let mut sum = NeumaierSum::new();
        let mut count = 0usize;
        let mut previous = f64::NAN;
        if matching == TimeMatching::RTimefix {
            for &i in order {
                let t = data.time_of(i) + 0.0;
                if t != previous {
                    sum.add(t);
                    count += 1;
                    previous = t;
                }
            }
        }
        let mean_distinct = if count == 0 {
            0.0
        } else {
            sum.total() / count as f64
        };
        TieRule {
            matching,
            mean_distinct,
        }
    }

    /// Whether time `b` joins the group of the previous distinct time `a` (a ≤ b).
    pub(crate) fn linked(&self, a: f64, b: f64) -> bool {
        if a == b {
            return true;
        }
        match self.matching {
            TimeMatching::Exact => false,
            TimeMatching::RTimefix => {
                let dy = b - a;
                // NaN (0/0) and +inf (dy/0) both fail the comparison, as in R.
                dy <= SQRT_EPSILON || dy / self.mean_distinct <= SQRT_EPSILON
            }
        }
    }
}

/// The subjects of one distinct time and the risk set at that time.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TimeGroup<'a> {
    /// The time (the smallest of the tied values).
    pub(crate) time: f64,
    /// Subjects with time ≥ this time (in this risk set).
    pub(crate) at_risk: usize,
    /// Events at this time.
    pub(crate) events: usize,
    /// Subjects at this time (events and censorings), indices into the data.
    pub(crate) members: &'a [u32],
}

impl TimeGroup<'_> {
    /// Censorings at this time.
    pub(crate) fn censored(&self) -> usize {
        self.members.len().saturating_sub(self.events)
    }
}

/// Iterator over the distinct times of subjects listed in ascending time: the risk-set sweep.
#[derive(Clone, Debug)]
pub(crate) struct TimeGroups<'a> {
    data: SurvivalData<'a>,
    rest: &'a [u32],
    at_risk: usize,
    rule: TieRule,
}

impl<'a> TimeGroups<'a> {
    /// A sweep over `order` (ascending time), all of whose subjects start at risk.
    pub(crate) fn new(data: SurvivalData<'a>, order: &'a [u32], rule: TieRule) -> Self {
        TimeGroups {
            data,
            rest: order,
            at_risk: order.len(),
            rule,
        }
    }
}

impl<'a> Iterator for TimeGroups<'a> {
    type Item = TimeGroup<'a>;

    fn next(&mut self) -> Option<TimeGroup<'a>> {
        let &head = self.rest.first()?;
        let time = self.data.time_of(head) + 0.0;
        let mut previous = time;
        let mut len = 0usize;
        let mut events = 0usize;
        for &i in self.rest {
            let t = self.data.time_of(i);
            if t != previous {
                if !self.rule.linked(previous, t) {
                    break;
                }
                previous = t;
            }
            events += usize::from(self.data.event_of(i));
            len += 1;
        }
        let (members, rest) = self.rest.split_at_checked(len)?;
        let group = TimeGroup {
            time,
            at_risk: self.at_risk,
            events,
            members,
        };
        self.rest = rest;
        self.at_risk = self.at_risk.saturating_sub(len);
        Some(group)
    }
}

/// Subjects sorted by time in caller scratch, ready for any number of sweeps (Kaplan-Meier,
/// numbers at risk, log-rank) without sorting again.
#[derive(Clone, Copy, Debug)]
pub struct SortedSurvival<'a> {
    data: SurvivalData<'a>,
    order: &'a [u32],
    rule: TieRule,
}

impl<'a> SortedSurvival<'a> {
    /// Sorts the subjects of `data` by time (stable radix sort, O(n)) into `scratch`, which must
    /// hold at least [`sorted_scratch_len`]`(n)` = 2n values; the first n keep the order for the
    /// lifetime of the result. The caller's arrays are not modified.
    ///
    /// Errors: `ScratchTooSmall`.
    pub fn new(
        data: SurvivalData<'a>,
        matching: TimeMatching,
        scratch: &'a mut [u32],
    ) -> Result<Self, Status> {
        let n = data.len();
        if scratch.len() < sorted_scratch_len(n) {
            return Err(Status::ScratchTooSmall);
        }
        let (order, buffer) = scratch
            .split_at_mut_checked(n)
            .ok_or(Status::ScratchTooSmall)?;
        sort_by_time(&data, order, buffer)?;
        let order: &'a [u32] = order;
        let rule = TieRule::new(&data, order, matching);
        Ok(SortedSurvival { data, order, rule })
    }

    /// The data.
    pub fn data(&self) -> SurvivalData<'a> {
        self.data
    }

    /// Subject indices in ascending time (stable: equal times keep their input order).
    pub fn order(&self) -> &'a [u32] {
        self.order
    }

    /// Number of subjects.
    pub fn len(&self) -> usize {
        self.order.len()
    }

    /// Always `false` (validated data is never empty).
    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }

    /// The tie rule.
    pub(crate) fn rule(&self) -> TieRule {
        self.rule
    }

    /// The sweep over the distinct times.
    pub(crate) fn groups(&self) -> TimeGroups<'a> {
        TimeGroups::new(self.data, self.order, self.rule)
    }

    /// Number of distinct times (after [`TimeMatching`]).
    pub fn distinct_times(&self) -> usize {
        self.groups().count()
    }

    /// Number of subjects at risk at time `t`: those whose (tie-matched) time is ≥ t. This is
    /// R's `summary(survfit(...), times = t, extend = TRUE)$n.risk`, the table under a KM plot.
    /// O(log n).
    pub fn at_risk(&self, t: f64) -> usize {
        let time = |p: usize| {
            self.order
                .get(p)
                .map_or(f64::INFINITY, |&i| self.data.time_of(i))
        };
        let mut p = self.order.partition_point(|&i| self.data.time_of(i) < t);
        // A time just below t may pull later values into its group (R's timefix): they then are
        // no longer at risk at t either.
        while p > 0 && p < self.order.len() && self.rule.linked(time(p - 1), time(p)) {
            p += 1;
        }
        self.order.len().saturating_sub(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_order_of_errors() {
        assert_eq!(
            SurvivalData::new(&[1.0], &[1, 0]).unwrap_err(),
            Status::LengthMismatch
        );
        assert_eq!(SurvivalData::new(&[], &[]).unwrap_err(), Status::EmptyInput);
        assert_eq!(
            SurvivalData::new(&[-1.0, f64::NAN], &[1, 0]).unwrap_err(),
            Status::NotFinite
        );
        assert_eq!(
            SurvivalData::new(&[-1.0, 2.0], &[1, 0]).unwrap_err(),
            Status::NegativeTime
        );
        assert_eq!(
            SurvivalData::new(&[1.0, 2.0], &[1, 2]).unwrap_err(),
            Status::EventNotBinary
        );
        let d = SurvivalData::new(&[-0.0, 2.0], &[1, 1]).unwrap();
        assert_eq!((d.len(), d.events()), (2, 2));
    }

    #[test]
    fn groups_and_timefix() {
        let time = [3.0, 1.0, 3.0 + 3e-12, 7.0, 1.0, 2.0];
        let event = [1, 0, 1, 0, 1, 1];
        let data = SurvivalData::new(&time, &event).unwrap();
        let mut scratch = [0u32; 12];
        let s = SortedSurvival::new(data, TimeMatching::RTimefix, &mut scratch).unwrap();
        let g: Vec<_> = s
            .groups()
            .map(|g| (g.time, g.at_risk, g.events, g.censored()))
            .collect();
        assert_eq!(
            g,
            vec![
                (1.0, 6, 1, 1),
                (2.0, 4, 1, 0),
                (3.0, 3, 2, 0),
                (7.0, 1, 0, 1)
            ]
        );
        // 3 + 3e-12 is one time with 3 under R's rule: nobody of that group is at risk after 3
        assert_eq!(s.at_risk(3.0 + 1e-12), 1);
        assert_eq!(s.at_risk(3.0), 3);
        assert_eq!(s.at_risk(7.0), 1);
        assert_eq!(s.at_risk(7.5), 0);
        assert_eq!(s.at_risk(0.0), 6);
        assert_eq!(s.at_risk(1.5), 4);
        let mut scratch = [0u32; 12];
        let s = SortedSurvival::new(data, TimeMatching::Exact, &mut scratch).unwrap();
        assert_eq!(s.distinct_times(), 5);
        assert_eq!(s.at_risk(3.0 + 1e-12), 2);
        let mut small = [0u32; 11];
        assert_eq!(
            SortedSurvival::new(data, TimeMatching::Exact, &mut small).unwrap_err(),
            Status::ScratchTooSmall
        );
    }
}
