//! Contingency tables: Pearson's χ² test for r × c tables (R's `chisq.test`) and Fisher's exact
//! test for 2 × 2 tables (R's `fisher.test`).

use super::describe::power_of_two_scale;
use super::{r, Continuity};
use crate::numeric::NeumaierSum;
use crate::Status;

/// An r × c table of counts, row-major: `counts[i · cols + j]` is row i, column j. Counts are
/// doubles (R's `chisq.test` accepts non-integer weights); they must be finite and ≥ 0, with at
/// least one positive, and the table at least 2 × 2.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ContingencyTable<'a> {
    counts: &'a [f64],
    rows: usize,
    cols: usize,
}

impl<'a> ContingencyTable<'a> {
    /// A `rows` × `cols` table over `counts` (row-major).
    ///
    /// Errors: `EmptyInput` (no counts), `TableTooSmall` (fewer than 2 rows or columns),
    /// `LengthMismatch` (`counts.len()` ≠ rows · cols), `NotFinite`, `NegativeCount`,
    /// `EmptyTable` (every count 0).
    pub fn new(counts: &'a [f64], rows: usize, cols: usize) -> Result<Self, Status> {
        if counts.is_empty() {
            return Err(Status::EmptyInput);
        }
        if rows < 2 || cols < 2 {
            return Err(Status::TableTooSmall);
        }
        if rows.checked_mul(cols) != Some(counts.len()) {
            return Err(Status::LengthMismatch);
        }
        super::require_all_finite(counts)?;
        if counts.iter().any(|&c| c < 0.0) {
            return Err(Status::NegativeCount);
        }
        if counts.iter().all(|&c| c == 0.0) {
            return Err(Status::EmptyTable);
        }
        Ok(ContingencyTable { counts, rows, cols })
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Number of columns.
    pub fn cols(&self) -> usize {
        self.cols
    }

    /// The count in row i, column j (0 outside the table).
    fn at(&self, i: usize, j: usize) -> f64 {
        self.counts
            .get(i.saturating_mul(self.cols).saturating_add(j))
            .copied()
            .unwrap_or(0.0)
    }

    /// Σ of row i of the table divided by `scale`.
    fn row_sum(&self, i: usize, scale: f64) -> f64 {
        let mut s = NeumaierSum::new();
        (0..self.cols).for_each(|j| s.add(self.at(i, j) / scale));
        s.total()
    }

    /// Σ of column j of the table divided by `scale`.
    fn col_sum(&self, j: usize, scale: f64) -> f64 {
        let mut s = NeumaierSum::new();
        (0..self.rows).for_each(|i| s.add(self.at(i, j) / scale));
        s.total()
    }
}

/// The result of [`chi_square`], as R's `chisq.test` reports it.
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ChiSquareTest {
    /// X² = Σ (|O − E| − Y)² / E over the cells, E = row sum · column sum / total (+∞ when it
    /// exceeds the largest double, which takes counts near it; the p-value is then 0).
    pub statistic: f64,
    /// Degrees of freedom (r − 1)(c − 1).
    pub df: f64,
    /// Upper-tail χ² p-value.
    pub p_value: f64,
    /// The Yates correction Y applied: min(0.5, min |O − E|) for a corrected 2 × 2 table, else 0
    /// (R names the test "with Yates' continuity correction" when Y > 0).
    pub yates: f64,
    /// The smallest expected count (R warns that the approximation may be incorrect below 5).
    pub min_expected: f64,
}

/// Pearson's χ² test of independence, R's `chisq.test(x, correct)` for a matrix `x`.
///
/// E_ij = R_i C_j / N; X² = Σ (|O_ij − E_ij| − Y)² / E_ij with (r − 1)(c − 1) df. The Yates
/// correction Y = min(0.5, minᵢⱼ |O_ij − E_ij|) applies only to 2 × 2 tables with
/// `Continuity::Corrected` (R's default; larger tables are never corrected, as in R).
///
/// No scratch: each cell's margins are recomputed, so the cost is O(r · c · min(r, c)) — nothing
/// for the 2 × k tables of a Table 1.
///
/// The sums run on the counts divided by a power of two s near the largest count (exact): X² is
/// s times the X² of the scaled table (with Y/s), so margins, R·C products and squares neither
/// overflow nor underflow for counts near the extremes of the double range, and the result is
/// bit-identical elsewhere. Where counts span more than the double range, a cell whose E
/// underflows is carried by √E = √R·√(C/N), and one whose √E underflows too adds nothing (its
/// term is below the rounding of X²).
///
/// Errors: `ZeroMarginal` (a row or column sums to 0: some E = 0 and R's statistic is NaN).
pub fn chi_square(
    table: ContingencyTable<'_>,
    continuity: Continuity,
) -> Result<ChiSquareTest, Status> {
    let (nr, nc) = (table.rows, table.cols);
    // A zero margin on the counts as given (a sum of finite counts ≥ 0 is never NaN; +∞ > 0).
    if !(0..nr).all(|i| table.row_sum(i, 1.0) > 0.0)
        || !(0..nc).all(|j| table.col_sum(j, 1.0) > 0.0)
    {
        return Err(Status::ZeroMarginal);
    }
    // Counts / s for a power of two s (exact; see the doc comment). Subnormal counts gave
    // R·C = 0, so E = 0 and X² = 0/0 = NaN; counts near 1e300 overflow R·C and (O − E)².
    let scale = power_of_two_scale(table.counts);
    let mut total = NeumaierSum::new();
    table.counts.iter().for_each(|&c| total.add(c / scale));
    let n = total.total();
    // Visit every cell with (O, E, √E), recomputing the margin along the shorter side. E is R's
    // R·C/N; where that underflows (counts spanning more than the double range: 1.9e262 beside
    // 15 made R·C ≈ 1e-522 in scaled units) √E = √R · √(C/N) still carries the cell.
    let cell = |o: f64, r: f64, c: f64| {
        let e = r * c / n;
        let root = libm::sqrt(r) * libm::sqrt(c / n);
        let e = if e >= f64::MIN_POSITIVE {
            e
        } else {
            root * root
        };
        (o, e, root)
    };
    let for_each_cell = |f: &mut dyn FnMut(f64, f64, f64)| {
        if nr <= nc {
            for j in 0..nc {
                let cj = table.col_sum(j, scale);
                for i in 0..nr {
                    let (o, e, root) = cell(table.at(i, j) / scale, table.row_sum(i, scale), cj);
                    f(o, e, root);
                }
            }
        } else {
            for i in 0..nr {
                let ri = table.row_sum(i, scale);
                for j in 0..nc {
                    let (o, e, root) = cell(table.at(i, j) / scale, ri, table.col_sum(j, scale));
                    f(o, e, root);
                }
            }
        }
    };
    let mut min_expected = f64::INFINITY;
    let mut min_abs_diff = f64::INFINITY;
    let root_scale = libm::sqrt(scale);
    for_each_cell(&mut |o, e, root| {
        // E in the caller's units: E · s as R, or (√E · √s)² where E underflowed.
        let unscaled = if e >= f64::MIN_POSITIVE {
            e * scale
        } else {
            (root * root_scale) * (root * root_scale)
        };
        min_expected = libm::fmin(min_expected, unscaled);
        min_abs_diff = libm::fmin(min_abs_diff, libm::fabs(o - e));
    });
    // Y / s (0.5 / s may be +∞ for a tiny s: then the minimum is the other term).
    let yates = if continuity == Continuity::Corrected && nr == 2 && nc == 2 {
        libm::fmin(0.5 / scale, min_abs_diff)
    } else {
        0.0
    };
    let mut stat = NeumaierSum::new();
    for_each_cell(&mut |o, e, root| {
        let d = libm::fabs(o - e) - yates;
        let d2 = d * d;
        let term = if e >= f64::MIN_POSITIVE && (d2 == 0.0 || d2 >= f64::MIN_POSITIVE) {
            d2 / e // R's form wherever nothing underflows
        } else if root > 0.0 {
            (d / root) * (d / root)
        } else {
            // √E underflowed too: the cell's row or column sums to under 2⁻¹⁰⁷⁴ s, and its
            // term, at most about its count, is below the rounding of X².
            0.0
        };
        stat.add(term);
    });
    let statistic = stat.total() * scale;
    let df = ((nr - 1) as f64) * ((nc - 1) as f64);
    Ok(ChiSquareTest {
        statistic,
        df,
        p_value: r::pchisq_upper(statistic, df),
        yates: yates * scale,
        min_expected,
    })
}

/// The result of [`fisher_exact_2x2`]: the p-value of each alternative, as R's `fisher.test`
/// gives them for a 2 × 2 table (the alternatives are about the odds ratio: `less` < 1,
/// `greater` > 1).
#[repr(C)]
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct FisherTest {
    /// Two-sided: the total probability of the tables no more likely than the observed one.
    pub p_two_sided: f64,
    /// P[X ≤ a] (odds ratio < 1).
    pub p_less: f64,
    /// P[X ≥ a] (odds ratio > 1).
    pub p_greater: f64,
}

/// Largest count Fisher's test accepts (R's integer limit, 2³¹ − 1).
pub const FISHER_MAX_COUNT: f64 = 2_147_483_647.0;

/// Fisher's exact test for a 2 × 2 table [[a, b], [c, d]], R's `fisher.test(x)` p-values.
///
/// With the margins fixed, X = a is hypergeometric: P(x) ∝ C(a + c, x) C(b + d, a + b − x) on
/// max(0, (a + b) − (b + d)) ≤ x ≤ min(a + b, a + c). Two-sided p as R: Σ P(x) over the x with
/// P(x) ≤ P(a) · (1 + 10⁻⁷) (the relative tolerance that keeps tables as likely as the observed
/// one from being dropped by rounding). The probabilities are built from the mode outwards by
/// the ratio P(x + 1)/P(x) = (m − x)(k − x) / ((x + 1)(n − k + x + 1)) and normalized, so
/// nothing overflows; the walk stops where P(x)/P(mode) falls below 2.2e-308 (the tables
/// further out change no p-value above 1e-290), so the time is O(min(support, √(variance of
/// X))), about 10⁶ steps at the largest counts; no scratch.
///
/// Errors: `TableNotTwoByTwo`, `NonIntegerCount` (a count not a whole number, or above
/// [`FISHER_MAX_COUNT`]), and those of [`ContingencyTable::new`] (negative counts, all zero).
///
/// ```
/// use ecvkit::stats::{fisher_exact_2x2, ContingencyTable};
/// // Fisher's tea-tasting table: R gives p = 0.4857 two-sided, 0.2429 greater.
/// let t = fisher_exact_2x2(ContingencyTable::new(&[3.0, 1.0, 1.0, 3.0], 2, 2)?)?;
/// assert!((t.p_two_sided - 34.0 / 70.0).abs() < 1e-15);
/// assert!((t.p_greater - 17.0 / 70.0).abs() < 1e-15);
/// # Ok::<(), ecvkit::Status>(())
/// ```
pub fn fisher_exact_2x2(table: ContingencyTable<'_>) -> Result<FisherTest, Status> {
    if table.rows != 2 || table.cols != 2 {
        return Err(Status::TableNotTwoByTwo);
    }
    if table
        .counts
        .iter()
        .any(|&c| c != libm::floor(c) || c > FISHER_MAX_COUNT)
    {
        return Err(Status::NonIntegerCount);
    }
    let count = |i, j| table.at(i, j) as u64;
    let (a, b, c, d) = (count(0, 0), count(0, 1), count(1, 0), count(1, 1));
    let m = a + c; // first column
    let n = b + d; // second column
    let k = a + b; // first row
    let lo = k.saturating_sub(n);
    let hi = k.min(m);
    let (mf, nf, kf) = (m as f64, n as f64, k as f64);
    // P(x + 1) / P(x)
    let ratio = |x: f64| (mf - x) * (kf - x) / ((x + 1.0) * (nf - kf + x + 1.0));
    let mode_guess = libm::floor((kf + 1.0) * (mf + 1.0) / (mf + nf + 2.0)) as u64;
    // not clamp(): it keeps a panic path
    let mode = mode_guess.max(lo).min(hi);
    // Visits the x of the support with their unnormalized probability (1 at the mode), walking
    // out from the mode and stopping where the probability falls below the smallest normal
    // double: the distribution is log-concave, so the terms further out shrink at least
    // geometrically and add less than ~1e-305 in all to sums normalized by a total ≥ 1 (no
    // p-value above 1e-290 changes). The walk then takes about 77 standard deviations of X at
    // most instead of the whole support (counts near 2³¹ made it billions of steps, tens of
    // seconds: a hang inside a caller; stopping only at 0 is not enough, as a subnormal times a
    // ratio near 1 rounds back to itself).
    let walk = |f: &mut dyn FnMut(u64, f64)| {
        let mut p = 1.0;
        f(mode, p);
        for x in mode..hi {
            p *= ratio(x as f64);
            if p < f64::MIN_POSITIVE {
                break;
            }
            f(x + 1, p);
        }
        p = 1.0;
        for x in (lo..mode).rev() {
            p /= ratio(x as f64);
            if p < f64::MIN_POSITIVE {
                break;
            }
            f(x, p);
        }
    };
    let mut total = NeumaierSum::new();
    let mut p_obs = 0.0;
    walk(&mut |x, p| {
        total.add(p);
        if x == a {
            p_obs = p;
        }
    });
    let threshold = p_obs * (1.0 + 1e-7);
    let (mut two, mut less, mut greater) =
        (NeumaierSum::new(), NeumaierSum::new(), NeumaierSum::new());
    walk(&mut |x, p| {
        if p <= threshold {
            two.add(p);
        }
        if x <= a {
            less.add(p);
        }
        if x >= a {
            greater.add(p);
        }
    });
    let s = total.total();
    let prob = |sum: NeumaierSum| (sum.total() / s).clamp(0.0, 1.0);
    Ok(FisherTest {
        p_two_sided: prob(two),
        p_less: prob(less),
        p_greater: prob(greater),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_validation() {
        assert_eq!(ContingencyTable::new(&[], 2, 2), Err(Status::EmptyInput));
        assert_eq!(
            ContingencyTable::new(&[1.0, 2.0], 1, 2),
            Err(Status::TableTooSmall)
        );
        assert_eq!(
            ContingencyTable::new(&[1.0; 5], 2, 2),
            Err(Status::LengthMismatch)
        );
        assert_eq!(
            ContingencyTable::new(&[1.0, -1.0, 2.0, 3.0], 2, 2),
            Err(Status::NegativeCount)
        );
        assert_eq!(
            ContingencyTable::new(&[0.0; 4], 2, 2),
            Err(Status::EmptyTable)
        );
        assert_eq!(
            ContingencyTable::new(&[1.0, f64::NAN, 2.0, 3.0], 2, 2),
            Err(Status::NotFinite)
        );
    }

    #[test]
    fn zero_margin_and_fisher_errors() {
        let t = ContingencyTable::new(&[0.0, 0.0, 3.0, 4.0], 2, 2).unwrap();
        assert_eq!(
            chi_square(t, Continuity::Corrected),
            Err(Status::ZeroMarginal)
        );
        let t = ContingencyTable::new(&[1.0; 6], 2, 3).unwrap();
        assert_eq!(fisher_exact_2x2(t), Err(Status::TableNotTwoByTwo));
        let t = ContingencyTable::new(&[1.5, 1.0, 1.0, 1.0], 2, 2).unwrap();
        assert_eq!(fisher_exact_2x2(t), Err(Status::NonIntegerCount));
    }

    #[test]
    fn fisher_with_a_zero_margin_is_certain() {
        // first row empty: a single possible table
        let t =
            fisher_exact_2x2(ContingencyTable::new(&[0.0, 0.0, 3.0, 4.0], 2, 2).unwrap()).unwrap();
        assert_eq!((t.p_two_sided, t.p_less, t.p_greater), (1.0, 1.0, 1.0));
    }

    #[test]
    fn fisher_walks_the_whole_support_of_a_small_table() {
        // Margins 4, 4 / 4, 4: P(x) = C(4,x) C(4,4-x) / 70 = (1, 16, 36, 16, 1) / 70; observed
        // x = 3. R: fisher.test(matrix(c(3, 1, 1, 3), 2)) p = 0.4857 = 34/70 two-sided,
        // P(X <= 3) = 69/70, P(X >= 3) = 17/70.
        let t =
            fisher_exact_2x2(ContingencyTable::new(&[3.0, 1.0, 1.0, 3.0], 2, 2).unwrap()).unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-14 * b;
        assert!(close(t.p_two_sided, 34.0 / 70.0), "{}", t.p_two_sided);
        assert!(close(t.p_less, 69.0 / 70.0), "{}", t.p_less);
        assert!(close(t.p_greater, 17.0 / 70.0), "{}", t.p_greater);
    }
}
