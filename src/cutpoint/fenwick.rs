//! A Fenwick (binary indexed) tree over a caller slice: point additions and prefix sums in
//! O(log n), no allocation, no indexing that can panic.

/// Values a Fenwick tree can sum: `f64` (plain addition) and `u32` (saturating addition; the
/// counts stored here never exceed the number of subjects, which fits in `u32`).
pub(crate) trait FenwickValue: Copy {
    /// The neutral element.
    const ZERO: Self;
    /// `self + other`, without a panic path.
    fn plus(self, other: Self) -> Self;
}

impl FenwickValue for f64 {
    const ZERO: f64 = 0.0;
    fn plus(self, other: f64) -> f64 {
        self + other
    }
}

impl FenwickValue for u32 {
    const ZERO: u32 = 0;
    fn plus(self, other: u32) -> u32 {
        self.saturating_add(other)
    }
}

/// A Fenwick tree whose slot `i` (0-based) holds `tree[i]`'s share; positions 0..len.
pub(crate) struct Fenwick<'a, T: FenwickValue> {
    tree: &'a mut [T],
}

impl<'a, T: FenwickValue> Fenwick<'a, T> {
    /// A tree over `tree.len()` positions, all zero.
    pub(crate) fn new(tree: &'a mut [T]) -> Self {
        let mut f = Fenwick { tree };
        f.clear();
        f
    }

    /// Sets every position to zero.
    pub(crate) fn clear(&mut self) {
        for v in self.tree.iter_mut() {
            *v = T::ZERO;
        }
    }

    /// Adds `value` at `position` (0-based); positions past the end are ignored.
    pub(crate) fn add(&mut self, position: usize, value: T) {
        let mut i = position.saturating_add(1);
        while let Some(slot) = i.checked_sub(1).and_then(|j| self.tree.get_mut(j)) {
            *slot = slot.plus(value);
            i = i.saturating_add(i & i.wrapping_neg());
        }
    }

    /// The sum over positions 0..count (the first `count` positions).
    pub(crate) fn prefix_sum(&self, count: usize) -> T {
        let mut total = T::ZERO;
        let mut i = count.min(self.tree.len());
        while i > 0 {
            if let Some(&v) = self.tree.get(i - 1) {
                total = total.plus(v);
            }
            i &= i - 1;
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefix_sums_match_a_running_total() {
        let values = [3.0, -1.0, 4.0, 1.5, 0.0, 9.0, 2.0];
        let mut buf = [7.0; 7];
        let mut f = Fenwick::new(&mut buf);
        for (i, &v) in values.iter().enumerate() {
            f.add(i, v);
        }
        for count in 0..=values.len() + 2 {
            let want: f64 = values.iter().take(count).sum();
            assert_eq!(f.prefix_sum(count), want, "count {count}");
        }
        let mut counts = [0u32; 5];
        let mut c = Fenwick::new(&mut counts);
        c.add(4, 1);
        c.add(0, 2);
        c.add(9, 5); // ignored
        assert_eq!(c.prefix_sum(4), 2);
        assert_eq!(c.prefix_sum(5), 3);
    }
}
