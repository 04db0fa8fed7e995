//! Options of the cutpoint scan and the range of admissible splits they define.

use crate::Status;

/// Default smallest proportion of subjects in either group (maxstat's `minprop`).
pub const DEFAULT_MIN_PROP: f64 = 0.1;
/// Default largest proportion of subjects in the low group (maxstat's `maxprop`).
pub const DEFAULT_MAX_PROP: f64 = 0.9;
/// Default seed of the permutation stream (any value works; this one is the golden ratio's bits).
pub const DEFAULT_SEED: u64 = 0x9E37_79B9_7F4A_7C15;

/// Options of [`scan_cutpoints`](super::scan_cutpoints) and [`xtile_grid`](super::xtile_grid).
///
/// The admissible splits are those between distinct marker values that put m subjects in the low
/// group (marker ≤ cutpoint) with max(1, ⌊n·min_prop⌋) ≤ m ≤ ⌊n·max_prop⌋ — R's
/// `maxstat.test(minprop, maxprop)`, with ⌊·⌋ of the f64 product as R computes it.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CutpointOptions {
    /// Smallest proportion of subjects in the low group, in [0, 1]. Default 0.1.
    pub min_prop: f64,
    /// Largest proportion of subjects in the low group, in [`min_prop`, 1]. Default 0.9.
    ///
    /// [`min_prop`]: CutpointOptions::min_prop
    pub max_prop: f64,
    /// Number of random permutations of the marker for the permutation p-values; 0 (the
    /// default) computes none and reports NaN.
    pub permutations: u32,
    /// Seed of the permutation stream: the same seed and data give the same p-values on every
    /// platform. Default [`DEFAULT_SEED`].
    pub seed: u64,
}

impl Default for CutpointOptions {
    fn default() -> Self {
        CutpointOptions {
            min_prop: DEFAULT_MIN_PROP,
            max_prop: DEFAULT_MAX_PROP,
            permutations: 0,
            seed: DEFAULT_SEED,
        }
    }
}

impl CutpointOptions {
    /// `Err(InvalidOption)` unless 0 ≤ min_prop ≤ max_prop ≤ 1 (NaN fails too).
    pub fn validate(&self) -> Result<(), Status> {
        let ok = self.min_prop >= 0.0 && self.max_prop <= 1.0 && self.min_prop <= self.max_prop;
        if ok {
            Ok(())
        } else {
            Err(Status::InvalidOption)
        }
    }

    /// The admissible numbers m of subjects in the low group for n subjects: [lo, hi] with
    /// lo = max(1, ⌊n·min_prop⌋), hi = min(⌊n·max_prop⌋, n − 1).
    ///
    /// Errors: `InvalidOption` (see [`validate`](Self::validate)); `CutpointTooFewSubjects`
    /// when the range is empty (n < 2, or n·max_prop < 1).
    pub fn split_range(&self, n: usize) -> Result<SplitRange, Status> {
        self.validate()?;
        let nf = n as f64;
        let lo = floor_to_usize(nf * self.min_prop).max(1);
        let hi = floor_to_usize(nf * self.max_prop).min(n.saturating_sub(1));
        if lo > hi {
            return Err(Status::CutpointTooFewSubjects);
        }
        Ok(SplitRange { lo, hi })
    }

    /// An upper bound on the number of profile rows for n subjects, known without the data:
    /// hi − lo + 1 of [`split_range`](Self::split_range) (0 when the range is empty). A profile
    /// buffer of this size is always large enough.
    pub fn max_cuts(&self, n: usize) -> usize {
        self.split_range(n)
            .map_or(0, |r| r.hi.saturating_sub(r.lo).saturating_add(1))
    }
}

/// ⌊x⌋ as usize for x ≥ 0 (an `as` cast saturates; it never panics).
fn floor_to_usize(x: f64) -> usize {
    libm::floor(x) as usize
}

/// The admissible sizes m of the low group, lo ≤ m ≤ hi (both inclusive, lo ≥ 1, hi ≤ n − 1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SplitRange {
    /// Smallest admissible low-group size.
    pub lo: usize,
    /// Largest admissible low-group size.
    pub hi: usize,
}

impl SplitRange {
    /// `true` when m is within the range.
    pub fn contains(&self, m: usize) -> bool {
        self.lo <= m && m <= self.hi
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn range_follows_maxstat() {
        let o = CutpointOptions::default();
        // lung: N = 228 gives floor(22.8) = 22 and floor(205.2) = 205.
        assert_eq!(o.split_range(228), Ok(SplitRange { lo: 22, hi: 205 }));
        // ovarian: N = 26 gives 2 and 23.
        assert_eq!(o.split_range(26), Ok(SplitRange { lo: 2, hi: 23 }));
        // Small n: the low group has at least one subject.
        assert_eq!(o.split_range(2), Ok(SplitRange { lo: 1, hi: 1 }));
        assert_eq!(o.split_range(1), Err(Status::CutpointTooFewSubjects));
        assert_eq!(o.split_range(0), Err(Status::CutpointTooFewSubjects));
        let all = CutpointOptions {
            min_prop: 0.0,
            max_prop: 1.0,
            ..o
        };
        assert_eq!(all.split_range(10), Ok(SplitRange { lo: 1, hi: 9 }));
        assert_eq!(all.max_cuts(10), 9);
    }

    #[test]
    fn invalid_proportions_are_rejected() {
        for (lo, hi) in [(-0.1, 0.9), (0.1, 1.1), (0.6, 0.4), (f64::NAN, 0.9)] {
            let o = CutpointOptions {
                min_prop: lo,
                max_prop: hi,
                ..CutpointOptions::default()
            };
            assert_eq!(o.validate(), Err(Status::InvalidOption));
            assert_eq!(o.max_cuts(100), 0);
        }
    }
}
