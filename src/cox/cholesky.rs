//! The LDLᵀ Cholesky factorization, solve and inverse of a symmetric p × p matrix in fixed
//! storage, with the singularity rule of R's `survival` (`cholesky2`, `chsolve2`, `chinv2`):
//!
//! A = F D Fᵀ, F unit lower triangular, D diagonal. A pivot that is not finite or below
//! `toler` × (the largest diagonal element of A) marks its column as redundant: its D entry is
//! set to 0 and the column is skipped in the solve (its solution component is 0) and in the
//! inverse (its row and column are 0). The rank is the number of kept pivots.

use super::{CovMatrix, MAX_COVARIATES};

/// Entry (i, j) of `m` (0 outside the storage, never reached for i, j < p ≤ 32).
pub(crate) fn at(m: &CovMatrix, i: usize, j: usize) -> f64 {
    m.get(i).and_then(|r| r.get(j)).copied().unwrap_or(0.0)
}

/// A mutable reference to entry (i, j) of `m`, or `None` outside the storage.
pub(crate) fn at_mut(m: &mut CovMatrix, i: usize, j: usize) -> Option<&mut f64> {
    m.get_mut(i).and_then(|r| r.get_mut(j))
}

/// Sets entry (i, j) of `m`.
pub(crate) fn set(m: &mut CovMatrix, i: usize, j: usize, value: f64) {
    if let Some(x) = at_mut(m, i, j) {
        *x = value;
    }
}

/// The result of a factorization.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Factorization {
    /// Number of pivots kept.
    pub(crate) rank: usize,
    /// The first column found redundant, if any.
    pub(crate) first_singular: Option<usize>,
}

/// Factors the symmetric matrix whose lower triangle (i ≥ j) is in `m[..p][..p]`, in place:
/// afterwards the strict lower triangle holds F and the diagonal holds D.
pub(crate) fn factor(m: &mut CovMatrix, p: usize, toler: f64) -> Factorization {
    let p = p.min(MAX_COVARIATES);
    let mut largest = 0.0;
    for i in 0..p {
        let d = at(m, i, i);
        if d > largest {
            largest = d;
        }
    }
    let eps = if largest == 0.0 {
        toler
    } else {
        largest * toler
    };
    let mut result = Factorization {
        rank: 0,
        first_singular: None,
    };
    for i in 0..p {
        let pivot = at(m, i, i);
        if !pivot.is_finite() || pivot < eps {
            set(m, i, i, 0.0);
            result.first_singular = result.first_singular.or(Some(i));
            continue;
        }
        result.rank += 1;
        for j in (i + 1)..p {
            let temp = at(m, j, i) / pivot;
            set(m, j, i, temp);
            if let Some(d) = at_mut(m, j, j) {
                *d -= temp * temp * pivot;
            }
            // Rows k > j, column j: m[k][j] −= temp · m[k][i].
            for row in m.iter_mut().take(p).skip(j + 1) {
                let ki = row.get(i).copied().unwrap_or(0.0);
                if let Some(kj) = row.get_mut(j) {
                    *kj -= temp * ki;
                }
            }
        }
    }
    result
}

/// Solves A x = y in place (`y` becomes x) from the factorization in `m`; components of
/// redundant columns are 0.
pub(crate) fn solve(m: &CovMatrix, p: usize, y: &mut [f64; MAX_COVARIATES]) {
    let p = p.min(MAX_COVARIATES);
    // F b = y (forward).
    for i in 0..p {
        let row = m.get(i);
        let mut temp = y.get(i).copied().unwrap_or(0.0);
        if let Some(row) = row {
            for (yj, fij) in y.iter().zip(row.iter()).take(i) {
                temp -= yj * fij;
            }
        }
        if let Some(yi) = y.get_mut(i) {
            *yi = temp;
        }
    }
    // D Fᵀ x = b (backward).
    for i in (0..p).rev() {
        let d = at(m, i, i);
        let value = if d == 0.0 {
            0.0
        } else {
            let mut temp = y.get(i).copied().unwrap_or(0.0) / d;
            for j in (i + 1)..p {
                temp -= y.get(j).copied().unwrap_or(0.0) * at(m, j, i);
            }
            temp
        };
        if let Some(yi) = y.get_mut(i) {
            *yi = value;
        }
    }
}

/// Replaces the factorization in `m` by the full symmetric inverse A⁻¹ (generalized: rows and
/// columns of redundant columns are 0).
pub(crate) fn invert(m: &mut CovMatrix, p: usize) {
    let p = p.min(MAX_COVARIATES);
    // Invert F in the lower triangle and D on the diagonal.
    for i in 0..p {
        let d = at(m, i, i);
        if d > 0.0 {
            set(m, i, i, 1.0 / d);
            for j in (i + 1)..p {
                let fji = -at(m, j, i);
                set(m, j, i, fji);
                for k in 0..i {
                    let add = fji * at(m, i, k);
                    if let Some(x) = at_mut(m, j, k) {
                        *x += add;
                    }
                }
            }
        }
    }
    // A⁻¹ = F⁻ᵀ D⁻¹ F⁻¹ into the upper triangle and diagonal.
    for i in 0..p {
        if at(m, i, i) == 0.0 {
            for j in 0..i {
                set(m, j, i, 0.0);
            }
            for j in i..p {
                set(m, i, j, 0.0);
            }
            continue;
        }
        for j in (i + 1)..p {
            let temp = at(m, j, i) * at(m, j, j);
            set(m, i, j, temp);
            for k in i..j {
                let add = temp * at(m, j, k);
                if let Some(x) = at_mut(m, i, k) {
                    *x += add;
                }
            }
        }
    }
    // Mirror the upper triangle into the lower one.
    for i in 0..p {
        for j in 0..i {
            let upper = at(m, j, i);
            set(m, i, j, upper);
        }
    }
}

/// xᵀ A⁻¹ x for a symmetric A given by its lower triangle (generalized inverse when A is
/// singular), and the rank of A: the Wald and score statistics.
pub(crate) fn quadratic_form(
    a: &CovMatrix,
    p: usize,
    x: &[f64; MAX_COVARIATES],
    toler: f64,
) -> (f64, usize) {
    let mut m = *a;
    let factorization = factor(&mut m, p, toler);
    let mut solution = *x;
    solve(&m, p, &mut solution);
    let value = x
        .iter()
        .zip(solution.iter())
        .take(p)
        .map(|(a, b)| a * b)
        .sum();
    (value, factorization.rank)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matrix(rows: &[&[f64]]) -> CovMatrix {
        let mut m = [[0.0; MAX_COVARIATES]; MAX_COVARIATES];
        for (i, r) in rows.iter().enumerate() {
            for (j, &v) in r.iter().enumerate() {
                m[i][j] = v;
            }
        }
        m
    }

    #[test]
    #[allow(clippy::needless_range_loop)]
    fn inverse_of_a_spd_matrix() {
        let a = matrix(&[&[4.0, 2.0, 0.6], &[2.0, 5.0, 1.0], &[0.6, 1.0, 3.0]]);
        let mut m = a;
        let f = factor(&mut m, 3, 1e-12);
        assert_eq!(f.rank, 3);
        assert_eq!(f.first_singular, None);
        invert(&mut m, 3);
        for i in 0..3 {
            for j in 0..3 {
                let prod: f64 = (0..3).map(|k| a[i][k] * m[k][j]).sum();
                let expected = if i == j { 1.0 } else { 0.0 };
                assert!((prod - expected).abs() < 1e-14, "{i} {j} {prod}");
                assert_eq!(m[i][j], m[j][i]);
            }
        }
    }

    #[test]
    fn solve_matches_the_inverse() {
        let a = matrix(&[&[2.0, 0.5], &[0.5, 1.0]]);
        let mut m = a;
        factor(&mut m, 2, 1e-12);
        let mut y = [0.0; MAX_COVARIATES];
        y[0] = 1.0;
        y[1] = 2.0;
        solve(&m, 2, &mut y);
        assert!((2.0 * y[0] + 0.5 * y[1] - 1.0).abs() < 1e-14);
        assert!((0.5 * y[0] + y[1] - 2.0).abs() < 1e-14);
    }

    #[test]
    fn a_redundant_column_is_found_and_zeroed() {
        // Column 2 = column 0 + column 1.
        let a = matrix(&[&[2.0, 1.0, 3.0], &[1.0, 2.0, 3.0], &[3.0, 3.0, 6.0]]);
        let mut m = a;
        let f = factor(&mut m, 3, 1e-9);
        assert_eq!(f.rank, 2);
        assert_eq!(f.first_singular, Some(2));
        invert(&mut m, 3);
        assert_eq!(m[2][2], 0.0);
        assert_eq!(m[0][2], 0.0);
        let (q, rank) = quadratic_form(&a, 3, &[1.0; MAX_COVARIATES], 1e-9);
        assert_eq!(rank, 2);
        assert!(q.is_finite());
    }
}
