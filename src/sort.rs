//! Panic-free, allocation-free sorting for the statistics modules: total-order keys for `f64`, a
//! stable LSD radix argsort into caller-lent `u32` scratch, mid-ranks with tie statistics, and an
//! in-place heapsort as the simple fallback.
//!
//! Why not `core`'s sorts: `slice::sort_unstable_by` keeps a panic path (its total-order
//! violation check) and so does `slice::swap`; the C builds must link with no panic path at all
//! (a panic path makes the shared library reference `rust_eh_personality`, and a PACS host
//! that loads plugins with `dlopen(RTLD_NOW)` then refuses it). A radix sort over
//! [`total_order_key`] is panic-free, stable and O(n), and beats a comparison sort at n = 10^6.
//!
//! The sorts never move the caller's values: they permute an array of indices (`order`), or
//! sort (key, payload) pairs the caller copied into scratch ([`sort_pairs_by`], which reads
//! memory front to back and is the faster of the two at large n), so the caller's time, event
//! and covariate arrays stay as given.
//!
//! ```
//! use ecvkit::sort::{argsort_f64, mid_ranks};
//!
//! let x = [3.0, 1.0, 3.0, 2.0];
//! let (mut order, mut scratch, mut ranks) = ([0u32; 4], [0u32; 4], [0.0; 4]);
//! argsort_f64(&x, &mut order, &mut scratch)?;
//! assert_eq!(order, [1, 3, 0, 2]); // stable: the first 3.0 (index 0) before the second
//! let ties = mid_ranks(&x, &order, &mut ranks)?;
//! assert_eq!(ranks, [3.5, 1.0, 3.5, 2.0]);
//! assert_eq!((ties.tie_groups, ties.sum_t3_minus_t), (1, 6.0));
//! # Ok::<(), ecvkit::Status>(())
//! ```

use crate::Status;

/// Monotone map f64 → u64: for values that are not NaN, a < b in IEEE 754 total order
/// (`f64::total_cmp`) ⇔ key(a) < key(b); −0.0 comes before +0.0; every NaN (any sign or payload)
/// maps to `u64::MAX`, after +∞, so NaNs sort last and tie with each other (as R's `order` puts
/// `NA` last).
///
/// The key is the classic sign trick: flip every bit of a negative value, flip only the sign bit
/// of a positive one.
pub fn total_order_key(x: f64) -> u64 {
    if x.is_nan() {
        return u64::MAX;
    }
    let bits = x.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | (1 << 63)
    }
}

/// Writes 0, 1, …, n − 1 into `order` (n = `order.len()`).
///
/// Errors: `TooManyElements` if n > `u32::MAX` (indices are 32-bit); nothing is written then.
pub fn identity_order(order: &mut [u32]) -> Result<(), Status> {
    check_indexable(order.len())?;
    for (slot, i) in order.iter_mut().zip(0u32..) {
        *slot = i;
    }
    Ok(())
}

/// `Err(TooManyElements)` unless every index 0..n fits in a `u32`.
fn check_indexable(n: usize) -> Result<(), Status> {
    if u64::try_from(n).map_or(true, |n| n > u64::from(u32::MAX)) {
        Err(Status::TooManyElements)
    } else {
        Ok(())
    }
}

/// Number of 8-bit digits of a `u64` key.
const DIGITS: usize = 8;
/// Buckets per digit.
const RADIX: usize = 256;

/// The `d`-th 8-bit digit of `k` (d = 0 is the least significant).
fn digit(k: u64, d: usize) -> usize {
    // d < 8, so the shift is at most 56; the mask makes the result < 256.
    ((k >> ((d & 7) * 8)) & 0xff) as usize
}

/// STABLE ascending sort of the indices in `order` by `key(order[i])`: an LSD radix sort with
/// 8-bit digits that skips the digits constant over the input (whole-day survival times, for
/// example, leave the low mantissa bytes constant, so only two or three passes run).
///
/// Stability: indices with equal keys keep their relative order, so calling it twice (secondary
/// key first, then primary) gives a lexicographic sort. Cost: one pass computing every key to
/// build all eight histograms, then one scatter pass per varying digit, each calling `key` once
/// per element; no comparison, no recursion, O(n).
///
/// `scratch` must hold at least `order.len()` values (its contents are overwritten; only the
/// first `order.len()` are used). `key` is called with the values found in `order`, which need
/// not be a permutation of 0..n.
///
/// Errors: `ScratchTooSmall` if `scratch.len() < order.len()`; `order` is then untouched.
pub fn sort_order_by_key<K: Fn(u32) -> u64>(
    order: &mut [u32],
    scratch: &mut [u32],
    key: K,
) -> Result<(), Status> {
    let n = order.len();
    let scratch = scratch.get_mut(..n).ok_or(Status::ScratchTooSmall)?;
    let Some(&first) = order.first() else {
        return Ok(());
    };
    if n == 1 {
        return Ok(());
    }
    let mut hist = [[0usize; RADIX]; DIGITS];
    for &i in order.iter() {
        let k = key(i);
        for (d, h) in hist.iter_mut().enumerate() {
            if let Some(c) = h.get_mut(digit(k, d)) {
                *c += 1;
            }
        }
    }
    let k0 = key(first);
    let mut in_scratch = false;
    for (d, h) in hist.iter().enumerate() {
        if h.get(digit(k0, d)).copied() == Some(n) {
            continue; // every key has the same digit here: the pass would not move anything
        }
        let mut offsets = [0usize; RADIX];
        let mut start = 0usize;
        for (o, &c) in offsets.iter_mut().zip(h.iter()) {
            *o = start;
            start += c;
        }
        if in_scratch {
            scatter(scratch, order, &mut offsets, d, &key);
        } else {
            scatter(order, scratch, &mut offsets, d, &key);
        }
        in_scratch = !in_scratch;
    }
    if in_scratch {
        for (o, &s) in order.iter_mut().zip(scratch.iter()) {
            *o = s;
        }
    }
    Ok(())
}

/// One counting-sort pass on digit `d`: `dst[offsets[digit(key(i))]++] = i` for i in `src`.
fn scatter<K: Fn(u32) -> u64>(
    src: &[u32],
    dst: &mut [u32],
    offsets: &mut [usize; RADIX],
    d: usize,
    key: &K,
) {
    for &i in src {
        if let Some(off) = offsets.get_mut(digit(key(i), d)) {
            if let Some(slot) = dst.get_mut(*off) {
                *slot = i;
            }
            *off += 1;
        }
    }
}

/// STABLE ascending sort of the pairs (`keys[i]`, `values[i]`) by `digits(key, value)`: the
/// same LSD radix sort as [`sort_order_by_key`] (8-bit digits, constant digits skipped), but the
/// pairs themselves move, so every pass reads its input sequentially and nothing is gathered
/// from memory by index. This is the fast path when the sort key and its payload fit in two
/// `u64` (a survival time's bits and its event, group and stratum, for example).
///
/// `key_buffer` and `value_buffer` must each hold at least `keys.len()` values.
/// Errors (nothing moved): `LengthMismatch` if `values.len() != keys.len()`, `ScratchTooSmall`.
pub fn sort_pairs_by<F: Fn(u64, u64) -> u64>(
    keys: &mut [u64],
    values: &mut [u64],
    key_buffer: &mut [u64],
    value_buffer: &mut [u64],
    digits: F,
) -> Result<(), Status> {
    let n = keys.len();
    if sort_pairs_ping_pong(keys, values, key_buffer, value_buffer, digits)? {
        for (k, &b) in keys.iter_mut().zip(key_buffer.iter().take(n)) {
            *k = b;
        }
        for (v, &b) in values.iter_mut().zip(value_buffer.iter().take(n)) {
            *v = b;
        }
    }
    Ok(())
}

/// [`sort_pairs_by`] without the final copy: returns `true` when the sorted pairs ended in
/// the first n elements of the buffers (an odd number of passes), `false` when in place.
pub(crate) fn sort_pairs_ping_pong<F: Fn(u64, u64) -> u64>(
    keys: &mut [u64],
    values: &mut [u64],
    key_buffer: &mut [u64],
    value_buffer: &mut [u64],
    digits: F,
) -> Result<bool, Status> {
    let n = keys.len();
    if values.len() != n {
        return Err(Status::LengthMismatch);
    }
    let key_buffer = key_buffer.get_mut(..n).ok_or(Status::ScratchTooSmall)?;
    let value_buffer = value_buffer.get_mut(..n).ok_or(Status::ScratchTooSmall)?;
    let (Some(&k0), Some(&v0)) = (keys.first(), values.first()) else {
        return Ok(false);
    };
    let mut hist = [[0usize; RADIX]; DIGITS];
    for (&k, &v) in keys.iter().zip(values.iter()) {
        let key = digits(k, v);
        for (d, h) in hist.iter_mut().enumerate() {
            if let Some(c) = h.get_mut(digit(key, d)) {
                *c += 1;
            }
        }
    }
    let first = digits(k0, v0);
    let mut in_buffer = false;
    for (d, h) in hist.iter().enumerate() {
        if h.get(digit(first, d)).copied() == Some(n) {
            continue;
        }
        let mut offsets = [0usize; RADIX];
        let mut start = 0usize;
        for (o, &c) in offsets.iter_mut().zip(h.iter()) {
            *o = start;
            start += c;
        }
        if in_buffer {
            scatter_pairs(
                (key_buffer, value_buffer),
                (keys, values),
                &mut offsets,
                d,
                &digits,
            );
        } else {
            scatter_pairs(
                (keys, values),
                (key_buffer, value_buffer),
                &mut offsets,
                d,
                &digits,
            );
        }
        in_buffer = !in_buffer;
    }
    Ok(in_buffer)
}

/// One counting-sort pass of [`sort_pairs_by`] on digit `d`.
fn scatter_pairs<F: Fn(u64, u64) -> u64>(
    src: (&[u64], &[u64]),
    dst: (&mut [u64], &mut [u64]),
    offsets: &mut [usize; RADIX],
    d: usize,
    digits: &F,
) {
    let (dst_keys, dst_values) = dst;
    for (&k, &v) in src.0.iter().zip(src.1.iter()) {
        if let Some(off) = offsets.get_mut(digit(digits(k, v), d)) {
            if let Some(slot) = dst_keys.get_mut(*off) {
                *slot = k;
            }
            if let Some(slot) = dst_values.get_mut(*off) {
                *slot = v;
            }
            *off += 1;
        }
    }
}

/// `order` = the stable ascending argsort of `keys` by [`total_order_key`]: `keys[order[0]]` is
/// the smallest value, equal values keep their input order, NaNs come last.
///
/// `scratch` must hold at least `keys.len()` values. Errors (nothing written): `LengthMismatch`
/// if `order.len() != keys.len()`, `ScratchTooSmall`, `TooManyElements` if n > `u32::MAX`.
pub fn argsort_f64(keys: &[f64], order: &mut [u32], scratch: &mut [u32]) -> Result<(), Status> {
    if order.len() != keys.len() {
        return Err(Status::LengthMismatch);
    }
    if scratch.len() < order.len() {
        return Err(Status::ScratchTooSmall);
    }
    identity_order(order)?;
    sort_order_by_key(order, scratch, |i| {
        keys.get(i as usize)
            .map_or(u64::MAX, |&x| total_order_key(x))
    })
}

/// Tie statistics that rank tests need: the number of tied groups (values shared by more than one
/// element) and Σ over those groups of (t³ − t), t the group size — the term of the tie
/// corrections of Spearman's ρ, the Wilcoxon rank-sum variance and Kruskal–Wallis.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct TieSummary {
    /// Number of groups of equal values with more than one member.
    pub tie_groups: usize,
    /// Σ (t³ − t) over the tied groups (0 without ties).
    pub sum_t3_minus_t: f64,
}

/// Mid-ranks (1-based; tied values get the average of the ranks they span, R's
/// `rank(ties.method = "average")`): `ranks[i]` is the rank of `keys[i]`.
///
/// `order` must be a stable ascending order of `keys` (as [`argsort_f64`] gives). Ties are values
/// equal by `==` (so −0.0 ties +0.0), and all NaNs tie with each other (ranked last).
///
/// Errors (nothing written): `LengthMismatch` unless `keys`, `order` and `ranks` have one length;
/// `TooManyElements` if n > `u32::MAX`; `InvalidOrder` if an index in `order` is out of range or
/// `order` is not ascending by [`total_order_key`]. (A repeated index in an otherwise sorted
/// `order` is not detected: it leaves some ranks unwritten.)
pub fn mid_ranks(keys: &[f64], order: &[u32], ranks: &mut [f64]) -> Result<TieSummary, Status> {
    let n = keys.len();
    if order.len() != n || ranks.len() != n {
        return Err(Status::LengthMismatch);
    }
    check_indexable(n)?;
    let mut previous = 0u64;
    for &i in order {
        let k = keys
            .get(i as usize)
            .map(|&x| total_order_key(x))
            .ok_or(Status::InvalidOrder)?;
        if k < previous {
            return Err(Status::InvalidOrder);
        }
        previous = k;
    }
    let mut summary = TieSummary::default();
    let mut rest = order;
    let mut start = 0usize; // 0-based position of the group's first element
    while let Some(&head) = rest.first() {
        let v = keys.get(head as usize).copied().unwrap_or(f64::NAN);
        let t = rest
            .iter()
            .take_while(|&&j| keys.get(j as usize).is_some_and(|&x| ties(x, v)))
            .count()
            .max(1);
        let (group, tail) = rest.split_at_checked(t).unwrap_or((rest, &[]));
        // positions start+1 ..= start+t average to start + (t + 1) / 2
        let rank = start as f64 + (t as f64 + 1.0) / 2.0;
        for &j in group {
            if let Some(r) = ranks.get_mut(j as usize) {
                *r = rank;
            }
        }
        if t > 1 {
            let tf = t as f64;
            summary.tie_groups += 1;
            summary.sum_t3_minus_t += tf * tf * tf - tf;
        }
        start += t;
        rest = tail;
    }
    Ok(summary)
}

/// Whether two values tie for ranking: equal by `==`, or both NaN.
fn ties(a: f64, b: f64) -> bool {
    a == b || (a.is_nan() && b.is_nan())
}

/// In-place heapsort of `values` ascending by [`total_order_key`] (NaNs last). Not stable (equal
/// keys are equal values up to the sign of NaN payloads, so stability cannot be observed except
/// between −0.0 and +0.0, which the key orders). O(n log n), no allocation, panic-free: the
/// simple fallback, and the sort of caller scratch holding float ROI pixels.
pub fn heapsort_f64(values: &mut [f64]) {
    let n = values.len();
    for start in (0..n / 2).rev() {
        sift_down(values, start, n);
    }
    for end in (1..n).rev() {
        swap(values, 0, end);
        sift_down(values, 0, end);
    }
}

/// Swaps two elements without a panic path (no-op for equal or out-of-range indices).
fn swap(values: &mut [f64], a: usize, b: usize) {
    if let Ok([x, y]) = values.get_disjoint_mut([a, b]) {
        core::mem::swap(x, y);
    }
}

/// Restores the max-heap property below `root` within `values[..end]`.
fn sift_down(values: &mut [f64], mut root: usize, end: usize) {
    let key_at = |v: &[f64], i: usize| v.get(i).map_or(0, |&x| total_order_key(x));
    loop {
        let Some(left) = root.checked_mul(2).and_then(|r| r.checked_add(1)) else {
            return;
        };
        if left >= end {
            return;
        }
        let right = left + 1;
        let child = if right < end && key_at(values, right) > key_at(values, left) {
            right
        } else {
            left
        };
        if key_at(values, child) <= key_at(values, root) {
            return;
        }
        swap(values, root, child);
        root = child;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn key_orders_specials() {
        let xs = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::MIN_POSITIVE,
            -0.0,
            0.0,
            f64::MIN_POSITIVE / 2.0,
            1.0,
            f64::MAX,
            f64::INFINITY,
            f64::NAN,
        ];
        for w in xs.windows(2) {
            assert!(total_order_key(w[0]) < total_order_key(w[1]), "{w:?}");
        }
        assert_eq!(total_order_key(-f64::NAN), u64::MAX);
    }

    #[test]
    fn identity_and_errors() {
        let mut o = [9u32; 5];
        identity_order(&mut o).unwrap();
        assert_eq!(o, [0, 1, 2, 3, 4]);
        let mut s = [0u32; 4];
        assert_eq!(
            argsort_f64(&[1.0; 5], &mut o, &mut s),
            Err(Status::ScratchTooSmall)
        );
        assert_eq!(
            argsort_f64(&[1.0; 4], &mut o, &mut s),
            Err(Status::LengthMismatch)
        );
        assert_eq!(
            sort_order_by_key(&mut o, &mut s, |i| i.into()),
            Err(Status::ScratchTooSmall)
        );
        assert_eq!(check_indexable(u32::MAX as usize), Ok(()));
        #[cfg(target_pointer_width = "64")]
        assert_eq!(
            check_indexable(u32::MAX as usize + 1),
            Err(Status::TooManyElements)
        );
    }

    #[test]
    fn pair_sort_errors() {
        let (mut k, mut v) = ([3u64, 1], [0u64, 1]);
        let (mut kb, mut vb) = ([0u64; 2], [0u64; 1]);
        assert_eq!(
            sort_pairs_by(&mut k, &mut v, &mut kb, &mut vb, |k, _| k),
            Err(Status::ScratchTooSmall)
        );
        assert_eq!(
            sort_pairs_by(&mut k, &mut v[..1], &mut kb, &mut vb, |k, _| k),
            Err(Status::LengthMismatch)
        );
        let mut vb = [0u64; 2];
        sort_pairs_by(&mut k, &mut v, &mut kb, &mut vb, |k, _| k).unwrap();
        assert_eq!((k, v), ([1, 3], [1, 0]));
    }

    #[test]
    fn empty_and_single() {
        let (mut o, mut s) = ([0u32; 0], [0u32; 0]);
        argsort_f64(&[], &mut o, &mut s).unwrap();
        let mut r = [0.0; 0];
        assert_eq!(mid_ranks(&[], &o, &mut r), Ok(TieSummary::default()));
        let (mut o, mut s) = ([7u32], [0u32]);
        argsort_f64(&[3.0], &mut o, &mut s).unwrap();
        assert_eq!(o, [0]);
        let mut v: [f64; 0] = [];
        heapsort_f64(&mut v);
    }

    #[test]
    fn lexicographic_by_two_passes() {
        let primary = [2u64, 1, 2, 1, 2];
        let secondary = [5u64, 9, 1, 9, 3];
        let mut o = [0u32; 5];
        let mut s = [0u32; 5];
        identity_order(&mut o).unwrap();
        sort_order_by_key(&mut o, &mut s, |i| secondary[i as usize]).unwrap();
        sort_order_by_key(&mut o, &mut s, |i| primary[i as usize]).unwrap();
        assert_eq!(o, [1, 3, 2, 4, 0]);
    }

    #[test]
    fn mid_ranks_of_ties_and_nan() {
        let x = [f64::NAN, 0.0, -0.0, 5.0, f64::NAN, 5.0, 5.0];
        let mut o = [0u32; 7];
        let mut s = [0u32; 7];
        argsort_f64(&x, &mut o, &mut s).unwrap();
        assert_eq!(o, [2, 1, 3, 5, 6, 0, 4]);
        let mut r = [0.0; 7];
        let t = mid_ranks(&x, &o, &mut r).unwrap();
        assert_eq!(r, [6.5, 1.5, 1.5, 4.0, 6.5, 4.0, 4.0]);
        assert_eq!(t.tie_groups, 3);
        assert_eq!(t.sum_t3_minus_t, 6.0 + 24.0 + 6.0);
    }

    #[test]
    fn mid_ranks_rejects_bad_order() {
        let x = [1.0, 2.0];
        let mut r = [-1.0; 2];
        assert_eq!(mid_ranks(&x, &[1, 0], &mut r), Err(Status::InvalidOrder));
        assert_eq!(mid_ranks(&x, &[0, 2], &mut r), Err(Status::InvalidOrder));
        assert_eq!(mid_ranks(&x, &[0], &mut r), Err(Status::LengthMismatch));
        assert_eq!(r, [-1.0; 2]);
    }

    #[test]
    fn radix_handles_all_eight_digits() {
        let keys: Vec<u64> = (0..crate::test_support::native_or_miri(1000, 64) as u64)
            .map(|i| i.wrapping_mul(0x9E37_79B9_7F4A_7C15))
            .collect();
        let mut o = vec![0u32; keys.len()];
        let mut s = vec![0u32; keys.len()];
        identity_order(&mut o).unwrap();
        sort_order_by_key(&mut o, &mut s, |i| keys[i as usize]).unwrap();
        assert!(o
            .windows(2)
            .all(|w| keys[w[0] as usize] < keys[w[1] as usize]));
    }

    fn any_f64() -> impl Strategy<Value = f64> {
        prop_oneof![
            4 => (-5i32..5).prop_map(f64::from), // many ties
            4 => any::<f64>().prop_filter("no NaN here", |x| !x.is_nan()),
            1 => Just(f64::NAN),
            1 => Just(-0.0),
            1 => Just(f64::INFINITY),
            1 => Just(f64::NEG_INFINITY),
        ]
    }

    fn std_stable_argsort(x: &[f64]) -> Vec<u32> {
        let mut o: Vec<u32> = (0..x.len() as u32).collect();
        o.sort_by(|&a, &b| {
            let (a, b) = (x[a as usize], x[b as usize]);
            match (a.is_nan(), b.is_nan()) {
                (true, true) => core::cmp::Ordering::Equal,
                (true, false) => core::cmp::Ordering::Greater,
                (false, true) => core::cmp::Ordering::Less,
                (false, false) => a.total_cmp(&b),
            }
        });
        o
    }

    proptest! {
        #[test]
        fn argsort_matches_std_stable_sort(x in prop::collection::vec(any_f64(), 0..crate::test_support::native_or_miri(300, 40))) {
            let mut o = vec![0u32; x.len()];
            let mut s = vec![0u32; x.len() + 3];
            argsort_f64(&x, &mut o, &mut s).unwrap();
            prop_assert_eq!(o, std_stable_argsort(&x));
        }

        #[test]
        fn mid_ranks_sum_and_ties(x in prop::collection::vec(any_f64(), 0..crate::test_support::native_or_miri(300, 40))) {
            let n = x.len();
            let mut o = vec![0u32; n];
            let mut s = vec![0u32; n];
            argsort_f64(&x, &mut o, &mut s).unwrap();
            let mut r = vec![0.0; n];
            let t = mid_ranks(&x, &o, &mut r).unwrap();
            let total: f64 = r.iter().sum();
            prop_assert_eq!(total, (n * (n + 1)) as f64 / 2.0);
            // brute force: rank = #less + (#tied + 1) / 2
            let mut groups = 0usize;
            let mut t3 = 0.0;
            for (i, &xi) in x.iter().enumerate() {
                let less = x.iter().filter(|&&y| total_order_key(y) < total_order_key(xi) && !ties(y, xi)).count();
                let tied = x.iter().filter(|&&y| ties(y, xi)).count();
                prop_assert_eq!(r[i], less as f64 + (tied as f64 + 1.0) / 2.0);
                let first = x.iter().position(|&y| ties(y, xi)).unwrap();
                if first == i && tied > 1 {
                    groups += 1;
                    t3 += (tied * tied * tied - tied) as f64;
                }
            }
            prop_assert_eq!(t, TieSummary { tie_groups: groups, sum_t3_minus_t: t3 });
        }

        #[test]
        fn heapsort_matches_std(x in prop::collection::vec(any_f64(), 0..crate::test_support::native_or_miri(300, 40))) {
            let mut h = x.clone();
            heapsort_f64(&mut h);
            let expected: Vec<f64> = std_stable_argsort(&x).iter().map(|&i| x[i as usize]).collect();
            let hk: Vec<u64> = h.iter().map(|&v| total_order_key(v)).collect();
            let ek: Vec<u64> = expected.iter().map(|&v| total_order_key(v)).collect();
            prop_assert_eq!(hk, ek);
        }

        #[test]
        fn pair_sort_is_stable_and_moves_payloads(
            k in prop::collection::vec(0u64..6, 0..crate::test_support::native_or_miri(200, 40)),
            hi in any::<u64>(),
            by_value in any::<bool>(),
        ) {
            let keys: Vec<u64> = k.iter().map(|&v| v.wrapping_mul(hi | 1)).collect();
            let values: Vec<u64> = (0..keys.len() as u64).map(|i| i * 7 % 5 + (i << 8)).collect();
            let (mut ks, mut vs) = (keys.clone(), values.clone());
            let (mut kb, mut vb) = (vec![0u64; keys.len()], vec![0u64; keys.len() + 1]);
            let f = |k: u64, v: u64| if by_value { v & 0xff } else { k };
            sort_pairs_by(&mut ks, &mut vs, &mut kb, &mut vb, f).unwrap();
            let mut e: Vec<(u64, u64)> = keys.iter().copied().zip(values.iter().copied()).collect();
            e.sort_by_key(|&(k, v)| f(k, v));
            let got: Vec<(u64, u64)> = ks.into_iter().zip(vs).collect();
            prop_assert_eq!(got, e);
        }

        #[test]
        fn sort_by_u64_key_is_stable(
            k in prop::collection::vec(0u64..4, 0..crate::test_support::native_or_miri(200, 40)),
            hi in any::<u64>(),
        ) {
            let keys: Vec<u64> = k.iter().map(|&v| v.wrapping_mul(hi | 1)).collect();
            let mut o = vec![0u32; keys.len()];
            let mut s = vec![0u32; keys.len()];
            identity_order(&mut o).unwrap();
            sort_order_by_key(&mut o, &mut s, |i| keys[i as usize]).unwrap();
            let mut e: Vec<u32> = (0..keys.len() as u32).collect();
            e.sort_by_key(|&i| keys[i as usize]);
            prop_assert_eq!(o, e);
        }
    }
}
