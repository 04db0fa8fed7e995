//! The exact null distribution of the Wilcoxon rank-sum (Mann–Whitney) statistic W without ties,
//! R's `pwilcox`, computed without allocation in a bounded fixed-size array.
//!
//! The number of ways c(u) to get W = u from samples of sizes m and n is the coefficient of qᵘ
//! in the Gaussian binomial [m + n choose m]_q = Πᵢ₌₁..ₛ (1 − q^(l+i)) / (1 − q^i), s = min(m, n),
//! l = max(m, n). Multiplying a polynomial by (1 − qᵃ) and dividing it by (1 − qᵇ) are both done
//! in place (c[k] −= c[k − a] downwards, c[k] += c[k − b] upwards) and only look at lower
//! coefficients, so the table can stop at the largest u needed, ⌊mn/2⌋ (R sums the shorter tail).
//! The counts are exact integers in i128 (the largest, C(98, 49) ≈ 2.5e28, is far below 2^127).
//!
//! Bound: both samples below 50 (R's own default limit for the exact test), so the table is a
//! fixed `[i128; 1201]` on the stack (19.2 KB); nothing is allocated or borrowed from the caller.

/// Largest sample size (each of the two) for the exact distribution: R's `exact = NULL` uses it
/// when both samples have fewer than 50 observations.
pub(super) const EXACT_MAX_SAMPLE: usize = 49;

/// Entries of the count table: ⌊49 · 49 / 2⌋ + 1.
const TABLE_LEN: usize = EXACT_MAX_SAMPLE * EXACT_MAX_SAMPLE / 2 + 1;

/// R's `pwilcox(q, m, n, lower.tail)`: P[W ≤ q] (lower) or P[W > q] (upper) for the rank-sum
/// statistic W of samples of sizes m and n without ties. NaN when m or n is 0 or above
/// [`EXACT_MAX_SAMPLE`].
pub(super) fn pwilcox(q: f64, m: usize, n: usize, lower_tail: bool) -> f64 {
    if m == 0 || n == 0 || m > EXACT_MAX_SAMPLE || n > EXACT_MAX_SAMPLE {
        return f64::NAN;
    }
    let dt = |p: f64, lower: bool| if lower { p } else { 0.5 - p + 0.5 };
    let q = libm::floor(q + 1e-7);
    let mn = (m * n) as f64;
    if q < 0.0 {
        return dt(0.0, lower_tail);
    }
    if q >= mn {
        return dt(1.0, lower_tail);
    }
    let mut table = [0i128; TABLE_LEN];
    let half = m * n / 2;
    let counts = rank_sum_counts(m, n, half, &mut table);
    let total = total_count(counts, m * n) as f64;
    let (terms, lower) = if q <= mn / 2.0 {
        (q as usize + 1, lower_tail)
    } else {
        ((mn - q) as usize, !lower_tail)
    };
    let p = counts
        .iter()
        .take(terms)
        .fold(0.0, |p, &c| p + c as f64 / total);
    dt(p, lower)
}

/// Fills `table[0..=upto]` with the counts c(u) of W = u for sizes m, n (upto < TABLE_LEN) and
/// returns that prefix.
fn rank_sum_counts(m: usize, n: usize, upto: usize, table: &mut [i128; TABLE_LEN]) -> &[i128] {
    let c = table.get_mut(..=upto.min(TABLE_LEN - 1)).unwrap_or(&mut []);
    c.iter_mut().for_each(|v| *v = 0);
    if let Some(first) = c.first_mut() {
        *first = 1;
    }
    let (s, l) = (m.min(n), m.max(n));
    let len = c.len();
    for i in 1..=s {
        // multiply by (1 − q^(l + i))
        let a = l + i;
        for k in (a..len).rev() {
            let lower = c.get(k - a).copied().unwrap_or(0);
            if let Some(v) = c.get_mut(k) {
                *v = v.saturating_sub(lower);
            }
        }
        // divide by (1 − q^i)
        for k in i..len {
            let lower = c.get(k - i).copied().unwrap_or(0);
            if let Some(v) = c.get_mut(k) {
                *v = v.saturating_add(lower);
            }
        }
    }
    c
}

/// The number of arrangements C(m + n, m), from the lower half of the symmetric count table
/// (c(u) = c(mn − u)): 2 Σ_{u < mn/2} c(u), plus the middle count when mn is even. (No 128-bit
/// division: compiler_builtins' would drag in an unwinding personality.)
fn total_count(half_counts: &[i128], mn: usize) -> i128 {
    let below_middle: i128 = half_counts
        .iter()
        .take(mn.div_ceil(2))
        .fold(0i128, |s, &c| s.saturating_add(c));
    let middle = if mn.is_multiple_of(2) {
        half_counts.get(mn / 2).copied().unwrap_or(0)
    } else {
        0
    };
    below_middle.saturating_mul(2).saturating_add(middle)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force over all subsets of {1..m+n} of size m: counts of W = Σ ranks − m(m+1)/2.
    fn brute(m: usize, n: usize) -> Vec<u64> {
        let total = m + n;
        let mut counts = vec![0u64; m * n + 1];
        for mask in 0u32..(1 << total) {
            if mask.count_ones() as usize != m {
                continue;
            }
            let rank_sum: usize = (0..total)
                .filter(|b| mask >> b & 1 == 1)
                .map(|b| b + 1)
                .sum();
            counts[rank_sum - m * (m + 1) / 2] += 1;
        }
        counts
    }

    #[test]
    fn counts_match_brute_force() {
        let largest = crate::test_support::native_or_miri(7, 4);
        for m in 1..=largest {
            for n in 1..=largest {
                let want = brute(m, n);
                let mut table = [0i128; TABLE_LEN];
                let got = rank_sum_counts(m, n, m * n, &mut table);
                for (u, (&g, &w)) in got.iter().zip(&want).enumerate() {
                    assert_eq!(g, w as i128, "m={m} n={n} u={u}");
                }
                let mut half = [0i128; TABLE_LEN];
                let lower = rank_sum_counts(m, n, m * n / 2, &mut half);
                assert_eq!(total_count(lower, m * n), want.iter().sum::<u64>() as i128);
            }
        }
    }

    #[test]
    fn largest_table_sums_to_the_binomial() {
        let mut table = [0i128; TABLE_LEN];
        let c = rank_sum_counts(49, 49, 49 * 49 / 2, &mut table);
        assert!(c.iter().all(|&v| v > 0));
        // C(98, 49) = 25477612258980856902730428600
        assert_eq!(
            total_count(c, 49 * 49),
            25_477_612_258_980_856_902_730_428_600
        );
    }

    #[test]
    fn tails_are_complementary() {
        for q in 0..=12 {
            let lo = pwilcox(q as f64, 3, 4, true);
            let hi = pwilcox(q as f64, 3, 4, false);
            assert!((lo + hi - 1.0).abs() < 1e-15);
        }
        assert_eq!(pwilcox(-1.0, 3, 4, true), 0.0);
        assert_eq!(pwilcox(12.0, 3, 4, true), 1.0);
        assert!(pwilcox(1.0, 50, 4, true).is_nan());
    }
}
