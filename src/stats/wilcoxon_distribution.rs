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
    let total = choose(m + n, m.min(n)) as f64;
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

/// C(n, k) exactly, for the sizes of this module (n ≤ 98).
fn choose(n: usize, k: usize) -> i128 {
    (1..=k).fold(1i128, |c, j| {
        // c · (n − k + j) / j is exact at every step (it is C(n − k + j, j))
        c.saturating_mul((n - k + j) as i128)
            .checked_div(j as i128)
            .unwrap_or(0)
    })
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
        for m in 1..=7 {
            for n in 1..=7 {
                let want = brute(m, n);
                let mut table = [0i128; TABLE_LEN];
                let got = rank_sum_counts(m, n, m * n, &mut table);
                for (u, (&g, &w)) in got.iter().zip(&want).enumerate() {
                    assert_eq!(g, w as i128, "m={m} n={n} u={u}");
                }
                assert_eq!(choose(m + n, m), want.iter().sum::<u64>() as i128);
            }
        }
    }

    #[test]
    fn largest_table_sums_to_the_binomial() {
        let mut table = [0i128; TABLE_LEN];
        let c = rank_sum_counts(49, 49, 49 * 49 / 2, &mut table);
        assert!(c.iter().all(|&v| v > 0));
        // symmetric distribution with odd mn = 2401: the lower half is exactly half the total
        let half: i128 = c.iter().sum();
        assert_eq!(2 * half, choose(98, 49));
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
