//! The null distribution of Spearman's S = Σ d² = (n³ − n)(1 − ρ)/6 without ties: algorithm AS 89
//! (Best & Roberts, Appl Statist 1975; 24:377), as R's `prho.c` (stats package) implements it —
//! exact enumeration of the n! permutations for n ≤ 9, an Edgeworth series beyond.

use super::r;

/// Largest n evaluated by exact enumeration (R's `n_small`).
pub(super) const EXACT_MAX_N: usize = 9;

/// Largest n for which R's `cor.test` calls AS 89 at all (beyond it, the t approximation).
pub(super) const AS89_MAX_N: usize = 1290;

/// Which tail of S to evaluate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tail {
    /// P[S < is].
    Lower,
    /// P[S ≥ is].
    Upper,
}

/// R's `prho(n, is, &pv, &ifault, lower_tail)`: P[S ≥ is] (upper) or P[S < is] (lower) for
/// Spearman's S with n ≥ 2 untied observations. Returns NaN for n < 2 (R's `ifault = 1`).
pub(super) fn prho(n: usize, is: f64, tail: Tail) -> f64 {
    let (zero, one) = match tail {
        Tail::Lower => (0.0, 1.0),
        Tail::Upper => (1.0, 0.0),
    };
    if n <= 1 {
        return f64::NAN;
    }
    if is <= 0.0 {
        return zero;
    }
    let nf = n as f64;
    let n3 = nf * ((nf * nf - 1.0) / 3.0); // (n³ − n)/3, the maximal S
    if is > n3 {
        return one;
    }
    if n <= EXACT_MAX_N {
        exact(n, is, n3, tail)
    } else {
        edgeworth(nf, is, tail)
    }
}

/// Exact evaluation: counts the permutations with S ≥ is, walking all n! permutations in the
/// order of the original Fortran (rotate the first n1 positions until a rotation is not complete).
fn exact(n: usize, is: f64, n3: f64, tail: Tail) -> f64 {
    let mut l = [0u32; EXACT_MAX_N];
    let mut nfac: u32 = 1;
    for (i, slot) in (1u32..).zip(l.iter_mut().take(n)) {
        nfac = nfac.saturating_mul(i);
        *slot = i;
    }
    let ifr: u32 = if is == n3 {
        1
    } else {
        let mut ifr = 0u32;
        for _ in 0..nfac {
            let ise: u32 = (1u32..)
                .zip(l.iter().take(n))
                .map(|(pos, &v)| {
                    let d = pos.abs_diff(v);
                    d * d
                })
                .sum();
            if is <= f64::from(ise) {
                ifr += 1;
            }
            let mut n1 = n;
            loop {
                let mt = l.first().copied().unwrap_or(0);
                for i in 1..n1 {
                    let v = l.get(i).copied().unwrap_or(0);
                    if let Some(slot) = l.get_mut(i - 1) {
                        *slot = v;
                    }
                }
                n1 -= 1;
                if let Some(slot) = l.get_mut(n1) {
                    *slot = mt;
                }
                if !(mt as usize == n1 + 1 && n1 > 1) {
                    break;
                }
            }
        }
        ifr
    };
    let count = match tail {
        Tail::Lower => nfac.saturating_sub(ifr),
        Tail::Upper => ifr,
    };
    f64::from(count) / f64::from(nfac)
}

/// The Edgeworth series of AS 89 with R's coefficients, and `pnorm` in place of AS 66.
fn edgeworth(y: f64, is: f64, tail: Tail) -> f64 {
    const C1: f64 = 0.2274;
    const C2: f64 = 0.2531;
    const C3: f64 = 0.1745;
    const C4: f64 = 0.0758;
    const C5: f64 = 0.1033;
    const C6: f64 = 0.3932;
    const C7: f64 = 0.0879;
    const C8: f64 = 0.0151;
    const C9: f64 = 0.0072;
    const C10: f64 = 0.0831;
    const C11: f64 = 0.0131;
    const C12: f64 = 4.6e-4;
    let b = 1.0 / y;
    let x = (6.0 * (is - 1.0) * b / (y * y - 1.0) - 1.0) * libm::sqrt(y - 1.0);
    let y2 = x * x;
    let u = x
        * b
        * (C1
            + b * (C2 + C3 * b)
            + y2 * (-C4 + b * (C5 + C6 * b)
                - y2 * b * (C7 + C8 * b - y2 * (C9 - C10 * b + y2 * b * (C11 - C12 * y2)))));
    let correction = u / libm::exp(y2 / 2.0);
    let pv = match tail {
        Tail::Lower => -correction + r::pnorm(x),
        Tail::Upper => correction + r::pnorm_upper(x),
    };
    pv.clamp(0.0, 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Brute force: fraction of permutations of 1..n with S ≥ is.
    fn brute(n: usize, is: f64) -> f64 {
        fn rec(perm: &mut Vec<usize>, used: &mut Vec<bool>, n: usize, is: f64, hits: &mut u64) {
            if perm.len() == n {
                let s: usize = perm
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| (i + 1).abs_diff(v).pow(2))
                    .sum();
                if s as f64 >= is {
                    *hits += 1;
                }
                return;
            }
            for v in 1..=n {
                if !used[v] {
                    used[v] = true;
                    perm.push(v);
                    rec(perm, used, n, is, hits);
                    perm.pop();
                    used[v] = false;
                }
            }
        }
        let mut hits = 0;
        rec(&mut Vec::new(), &mut vec![false; n + 1], n, is, &mut hits);
        hits as f64 / (1..=n).product::<usize>() as f64
    }

    #[test]
    fn exact_enumeration_visits_every_permutation() {
        for n in 2..=crate::test_support::native_or_miri(7, 4) {
            let max = (n * n * n - n) / 3;
            for is in (0..=max + 2).step_by(2) {
                let upper = prho(n, is as f64, Tail::Upper);
                assert_eq!(upper, brute(n, is as f64), "n={n} is={is}");
                let lower = prho(n, is as f64, Tail::Lower);
                assert!((upper + lower - 1.0).abs() < 1e-15);
            }
        }
    }

    #[test]
    fn bad_n_is_nan() {
        assert!(prho(1, 2.0, Tail::Upper).is_nan());
    }
}
