//! The shared part of every survival estimator: validated (time, event) input, the sort of the
//! subjects by time into caller scratch, R's rule for which times count as tied, and the sweep
//! over the distinct times with the risk set at each.

use crate::numeric::{NeumaierSum, SQRT_EPSILON};
use crate::sort::sort_pairs_ping_pong;
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
}

/// The `u64` scratch a sort of n subjects needs: 4n (the sorted time keys and their payloads,
/// n each, which the result keeps, and the radix sort's two buffers). Saturates instead of
/// overflowing.
pub const fn sorted_scratch_len(n: usize) -> usize {
    n.saturating_mul(4)
}

/// The sort key of a validated time (finite, ≥ 0): its bits, with −0.0 made +0.0. For
/// non-negative floats the bit patterns are in numeric order.
fn time_key(t: f64) -> u64 {
    (t + 0.0).to_bits()
}

/// The time of a sort key.
pub(crate) fn key_time(key: u64) -> f64 {
    f64::from_bits(key)
}

/// Payload bits: event in bit 0, group label in bits 1..32, stratum label in bits 32..64.
pub(crate) fn payload(event: u8, group: u32, stratum: u32) -> u64 {
    (u64::from(stratum) << 32) | (u64::from(group & 0x7fff_ffff) << 1) | u64::from(event & 1)
}

/// The event indicator of a payload.
pub(crate) fn payload_event(p: u64) -> usize {
    (p & 1) as usize
}

/// The group label of a payload.
pub(crate) fn payload_group(p: u64) -> usize {
    ((p >> 1) & 0x7fff_ffff) as usize
}

/// The stratum label of a payload.
pub(crate) fn payload_stratum(p: u64) -> u32 {
    (p >> 32) as u32
}

/// Caller scratch split into the four arrays of a pair sort: the pairs live in one half and
/// the radix sort ping-pongs between the halves without copying back.
pub(crate) struct PairScratch<'a> {
    halves: [(&'a mut [u64], &'a mut [u64]); 2],
    /// Which half holds the pairs.
    current: usize,
}

impl<'a> PairScratch<'a> {
    /// Splits `scratch` (at least [`sorted_scratch_len`]`(n)` values) into four n-arrays.
    pub(crate) fn new(scratch: &'a mut [u64], n: usize) -> Result<Self, Status> {
        let too_small = Status::ScratchTooSmall;
        if scratch.len() < sorted_scratch_len(n) {
            return Err(too_small);
        }
        let (keys, rest) = scratch.split_at_mut_checked(n).ok_or(too_small)?;
        let (payloads, rest) = rest.split_at_mut_checked(n).ok_or(too_small)?;
        let (key_buffer, rest) = rest.split_at_mut_checked(n).ok_or(too_small)?;
        let payload_buffer = rest.get_mut(..n).ok_or(too_small)?;
        Ok(PairScratch {
            halves: [(keys, payloads), (key_buffer, payload_buffer)],
            current: 0,
        })
    }

    /// Fills the keys and payloads from the data (payload per subject from `payload_of(i)`) and
    /// sorts them by time, stable.
    pub(crate) fn sort_by_time(
        &mut self,
        data: &SurvivalData<'_>,
        payload_of: impl Fn(usize, u8) -> u64,
    ) -> Result<(), Status> {
        self.current = 0;
        let [(keys, payloads), _] = &mut self.halves;
        let subjects = data.time.iter().zip(data.event.iter()).enumerate();
        for ((key, p), (i, (&t, &e))) in keys.iter_mut().zip(payloads.iter_mut()).zip(subjects) {
            *key = time_key(t);
            *p = payload_of(i, e);
        }
        self.sort(|key, _| key)
    }

    /// Stable sort of the pairs by `digits(key, payload)`.
    pub(crate) fn sort(&mut self, digits: impl Fn(u64, u64) -> u64) -> Result<(), Status> {
        let [(k0, p0), (k1, p1)] = &mut self.halves;
        let moved = if self.current == 0 {
            sort_pairs_ping_pong(k0, p0, k1, p1, digits)?
        } else {
            sort_pairs_ping_pong(k1, p1, k0, p0, digits)?
        };
        if moved {
            self.current = 1 - self.current;
        }
        Ok(())
    }

    /// The sorted time keys and payloads.
    pub(crate) fn pairs(&self) -> (&[u64], &[u64]) {
        let [(k0, p0), (k1, p1)] = &self.halves;
        if self.current == 0 {
            (k0, p0)
        } else {
            (k1, p1)
        }
    }

    /// The sorted time keys and payloads, for as long as the scratch is borrowed.
    pub(crate) fn into_pairs(self) -> (&'a [u64], &'a [u64]) {
        let [(k0, p0), (k1, p1)] = self.halves;
        if self.current == 0 {
            (k0, p0)
        } else {
            (k1, p1)
        }
    }
}

/// Which adjacent distinct times are one tied time ([`TimeMatching`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct TieRule {
    matching: TimeMatching,
    /// Mean of the distinct times (R's `mean(abs(y))` in `aeqSurv`).
    mean_distinct: f64,
}

impl TieRule {
    /// The rule for data whose time keys `keys` lists in ascending order.
    pub(crate) fn new(keys: &[u64], matching: TimeMatching) -> Self {
        let mut sum = NeumaierSum::new();
        let mut count = 0usize;
        let mut previous = None;
        if matching == TimeMatching::RTimefix {
            for &k in keys {
                if previous != Some(k) {
                    sum.add(key_time(k));
                    count += 1;
                    previous = Some(k);
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
    /// Payloads of the subjects at this time (events and censorings).
    pub(crate) members: &'a [u64],
}

impl TimeGroup<'_> {
    /// Censorings at this time.
    pub(crate) fn censored(&self) -> usize {
        self.members.len().saturating_sub(self.events)
    }
}

/// Iterator over the distinct times of sorted (key, payload) pairs: the risk-set sweep. Reads
/// both arrays front to back.
#[derive(Clone, Debug)]
pub(crate) struct TimeGroups<'a> {
    keys: &'a [u64],
    payloads: &'a [u64],
    at_risk: usize,
    rule: TieRule,
}

impl<'a> TimeGroups<'a> {
    /// A sweep over pairs sorted by time, all of whose subjects start at risk.
    pub(crate) fn new(keys: &'a [u64], payloads: &'a [u64], rule: TieRule) -> Self {
        TimeGroups {
            keys,
            payloads,
            at_risk: keys.len(),
            rule,
        }
    }
}

impl<'a> Iterator for TimeGroups<'a> {
    type Item = TimeGroup<'a>;

    fn next(&mut self) -> Option<TimeGroup<'a>> {
        let &head = self.keys.first()?;
        let time = key_time(head);
        let mut previous = head;
        let mut len = 0usize;
        for &k in self.keys {
            if k != previous {
                if !self.rule.linked(key_time(previous), key_time(k)) {
                    break;
                }
                previous = k;
            }
            len += 1;
        }
        let (_, keys) = self.keys.split_at_checked(len)?;
        let (members, payloads) = self.payloads.split_at_checked(len)?;
        let events = members.iter().map(|&p| payload_event(p)).sum();
        let group = TimeGroup {
            time,
            at_risk: self.at_risk,
            events,
            members,
        };
        self.keys = keys;
        self.payloads = payloads;
        self.at_risk = self.at_risk.saturating_sub(len);
        Some(group)
    }
}

/// Subjects sorted by time in caller scratch, ready for any number of sweeps (Kaplan-Meier,
/// numbers at risk, log-rank) without sorting again. The sort moves (time, event, group) pairs,
/// not indices, so every later sweep reads memory front to back.
#[derive(Clone, Copy, Debug)]
pub struct SortedSurvival<'a> {
    keys: &'a [u64],
    payloads: &'a [u64],
    rule: TieRule,
    events: usize,
}

impl<'a> SortedSurvival<'a> {
    /// Sorts the subjects of `data` by time (stable radix sort, O(n)) into `scratch`, which must
    /// hold at least [`sorted_scratch_len`]`(n)` = 4n values; the first 2n keep the sorted data
    /// for the lifetime of the result. The caller's arrays are not modified.
    ///
    /// Errors: `ScratchTooSmall`.
    pub fn new(
        data: SurvivalData<'a>,
        matching: TimeMatching,
        scratch: &'a mut [u64],
    ) -> Result<Self, Status> {
        Self::build(data, |_| 0, matching, scratch)
    }

    /// As [`new`](Self::new), with each subject's group label carried along for
    /// [`log_rank_sorted`](super::log_rank_sorted). Labels must be < [`MAX_GROUPS`]
    /// (else `GroupOutOfRange`) and as many as the subjects (else `LengthMismatch`).
    ///
    /// [`MAX_GROUPS`]: super::MAX_GROUPS
    pub fn with_groups(
        data: SurvivalData<'a>,
        labels: &[u32],
        matching: TimeMatching,
        scratch: &'a mut [u64],
    ) -> Result<Self, Status> {
        if labels.len() != data.len() {
            return Err(Status::LengthMismatch);
        }
        if labels.iter().any(|&g| g as usize >= super::MAX_GROUPS) {
            return Err(Status::GroupOutOfRange);
        }
        Self::build(
            data,
            |i| labels.get(i).copied().unwrap_or(0),
            matching,
            scratch,
        )
    }

    fn build(
        data: SurvivalData<'a>,
        group_of: impl Fn(usize) -> u32,
        matching: TimeMatching,
        scratch: &'a mut [u64],
    ) -> Result<Self, Status> {
        let mut pairs = PairScratch::new(scratch, data.len())?;
        pairs.sort_by_time(&data, |i, e| payload(e, group_of(i), 0))?;
        let (keys, payloads) = pairs.into_pairs();
        Ok(SortedSurvival {
            keys,
            payloads,
            rule: TieRule::new(keys, matching),
            events: data.events(),
        })
    }

    /// Number of subjects.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Always `false` (validated data is never empty).
    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// Number of events.
    pub fn events(&self) -> usize {
        self.events
    }

    /// The times in ascending order.
    pub fn times(&self) -> impl Iterator<Item = f64> + 'a {
        self.keys.iter().map(|&k| key_time(k))
    }

    /// The sorted pairs.
    pub(crate) fn pairs(&self) -> (&'a [u64], &'a [u64]) {
        (self.keys, self.payloads)
    }

    /// The tie rule.
    pub(crate) fn rule(&self) -> TieRule {
        self.rule
    }

    /// The sweep over the distinct times.
    pub(crate) fn groups(&self) -> TimeGroups<'a> {
        TimeGroups::new(self.keys, self.payloads, self.rule)
    }

    /// Number of distinct times (after [`TimeMatching`]).
    pub fn distinct_times(&self) -> usize {
        self.groups().count()
    }

    /// Number of subjects at risk at time `t`: those whose (tie-matched) time is ≥ t. This is
    /// R's `summary(survfit(...), times = t, extend = TRUE)$n.risk`, the table under a KM plot.
    /// O(log n).
    pub fn at_risk(&self, t: f64) -> usize {
        let time = |p: usize| self.keys.get(p).map_or(f64::INFINITY, |&k| key_time(k));
        let mut p = self.keys.partition_point(|&k| key_time(k) < t);
        // A time just below t may pull later values into its group (R's timefix): they then are
        // no longer at risk at t either.
        while p > 0 && p < self.keys.len() && self.rule.linked(time(p - 1), time(p)) {
            p += 1;
        }
        self.keys.len().saturating_sub(p)
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
        let mut scratch = [0u64; 24];
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
        let mut scratch = [0u64; 24];
        let s = SortedSurvival::new(data, TimeMatching::Exact, &mut scratch).unwrap();
        assert_eq!(s.distinct_times(), 5);
        assert_eq!(s.at_risk(3.0 + 1e-12), 2);
        let mut small = [0u64; 23];
        assert_eq!(
            SortedSurvival::new(data, TimeMatching::Exact, &mut small).unwrap_err(),
            Status::ScratchTooSmall
        );
    }
}
