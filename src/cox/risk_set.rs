//! One sweep over the risk sets: the log partial likelihood ℓ(β), its gradient U(β) and the
//! information matrix I(β) = −∂²ℓ/∂β², by running sums (the algorithm of R's `coxfit6.c`).
//!
//! Subjects are visited from the longest time to the shortest (the order sorted ascending by
//! (stratum, time), walked backwards). Running sums over everyone met so far in the stratum —
//! the risk set of the current time — are kept of r = w·exp(βᵀz), r·z and r·z zᵀ. At each
//! distinct time the subjects with that time (censored and deaths alike) join the sums, then the
//! d deaths contribute, with S0, S1, S2 the risk-set sums and A0, A1, A2 the deaths' own sums,
//! w̄ = Σ_deaths w / d:
//!
//! - Breslow (or d = 1): ℓ −= W log S0, U −= W S1/S0, I += W (S2/S0 − S1 S1ᵀ/S0²), W = Σ w;
//! - Efron: for k = 1 … d the sums grow by A/d (S0 + (k/d)·A0 …) and each step takes the
//!   Breslow term with weight w̄; all d steps together are the usual Efron sums with
//!   Σ_risk − (k/d) Σ_deaths, k = 0 … d − 1, added in the opposite order (R's order);
//!
//! and every death adds w·βᵀz to ℓ and w·z to U. Covariates are the centred, scaled model
//! columns ([`super::design::Scaling`]), so exp never sees a large argument at β = 0. The sweep
//! streams through the [`Design`] in the caller's scratch: cost O(n·p²), sequential memory.

use super::cholesky::at_mut;
use super::design::{Design, BLOCK_START, EVENT, STRATUM_START};
use super::{CovMatrix, Ties, MAX_COVARIATES};

/// What a sweep needs besides β.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Sweep<'s> {
    /// The sorted design.
    pub(crate) design: Design<'s>,
    /// Ties method.
    pub(crate) ties: Ties,
}

/// ℓ, U and I at one β (on the centred, scaled covariates).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Derivatives {
    /// Log partial likelihood.
    pub(crate) loglik: f64,
    /// Score vector U (first p entries).
    pub(crate) score: [f64; MAX_COVARIATES],
    /// Information matrix I, lower triangle (i ≥ j) of the first p rows.
    pub(crate) information: CovMatrix,
    /// The largest linear predictor βᵀz met (for R's "may be infinite" rule).
    pub(crate) max_linear_predictor: f64,
}

/// Running sums of a risk set (or of the deaths at one time): Σr, Σr·z, Σr·z zᵀ (lower
/// triangle).
#[derive(Clone, Copy)]
struct Sums {
    s0: f64,
    s1: [f64; MAX_COVARIATES],
    s2: CovMatrix,
}

impl Sums {
    const ZERO: Sums = Sums {
        s0: 0.0,
        s1: [0.0; MAX_COVARIATES],
        s2: [[0.0; MAX_COVARIATES]; MAX_COVARIATES],
    };

    /// Adds r, r·z and r·z zᵀ (z has p values).
    fn add(&mut self, r: f64, z: &[f64], p: usize) {
        self.s0 += r;
        for (i, ((s1i, s2i), &zi)) in self
            .s1
            .iter_mut()
            .zip(self.s2.iter_mut())
            .zip(z.iter())
            .take(p)
            .enumerate()
        {
            let rzi = r * zi;
            *s1i += rzi;
            for (s2ij, &zj) in s2i.iter_mut().zip(z.iter()).take(i + 1) {
                *s2ij += rzi * zj;
            }
        }
    }

    /// Adds `other` / `divisor` (a division, not a product with 1/divisor, to round as R does).
    fn add_divided(&mut self, other: &Sums, divisor: f64, p: usize) {
        self.s0 += other.s0 / divisor;
        let rows = self.s1.iter_mut().zip(self.s2.iter_mut());
        let other_rows = other.s1.iter().zip(other.s2.iter());
        for (i, ((s1i, s2i), (o1i, o2i))) in rows.zip(other_rows).take(p).enumerate() {
            *s1i += o1i / divisor;
            for (s2ij, o2ij) in s2i.iter_mut().zip(o2i.iter()).take(i + 1) {
                *s2ij += o2ij / divisor;
            }
        }
    }

    /// Zeroes the first p entries.
    fn clear(&mut self, p: usize) {
        self.s0 = 0.0;
        for (s1i, s2i) in self.s1.iter_mut().zip(self.s2.iter_mut()).take(p) {
            *s1i = 0.0;
            for s2ij in s2i.iter_mut().take(p) {
                *s2ij = 0.0;
            }
        }
    }
}

/// Adds the contribution of deaths of total weight `weight` against the risk set `risk`:
/// ℓ −= weight·log S0, U −= weight·S1/S0, I += weight·(S2 − S1 S1ᵀ/S0)/S0.
fn add_death_term(out: &mut Derivatives, risk: &Sums, weight: f64, p: usize) {
    out.loglik -= weight * libm::log(risk.s0);
    for (i, (ui, &s1i)) in out.score.iter_mut().zip(risk.s1.iter()).take(p).enumerate() {
        let mean = s1i / risk.s0;
        *ui -= weight * mean;
        let s2i = risk.s2.get(i);
        for (j, &s1j) in risk.s1.iter().enumerate().take(i + 1) {
            let s2ij = s2i.and_then(|r| r.get(j)).copied().unwrap_or(0.0);
            if let Some(x) = at_mut(&mut out.information, i, j) {
                *x += weight * (s2ij - mean * s1j) / risk.s0;
            }
        }
    }
}

/// Efron's terms of one block of d ≥ 2 deaths, in closed form: with S_k = R + (k/d)·D for
/// k = 1 … d (R the risk set before the deaths join, D the deaths' sums; R's `coxfit6` adds D/d
/// d times), every term is linear in R and D with scalar weights, so the block costs O(d + p²)
/// instead of O(d·p²):
///
/// ℓ −= w̄ Σ log S0_k;  U −= w̄ (R1 a + D1 b);
/// I += w̄ (R2 a + D2 b − R1R1ᵀ a' − (R1D1ᵀ + D1R1ᵀ) b' − D1D1ᵀ c'),
///
/// a = Σ 1/S0_k, b = Σ c_k/S0_k, a' = Σ 1/S0_k², b' = Σ c_k/S0_k², c' = Σ c_k²/S0_k²,
/// c_k = k/d, w̄ = Σ_deaths w / d. The sums are R's, added in another order (rounding only).
fn add_efron_terms(
    out: &mut Derivatives,
    risk: &Sums,
    deaths: &Sums,
    n_dead: u32,
    dead_weight: f64,
    p: usize,
) {
    let d = f64::from(n_dead);
    let mean_weight = dead_weight / d;
    let (mut log_sum, mut a, mut b, mut a2, mut b2, mut c2) = (0.0, 0.0, 0.0, 0.0, 0.0, 0.0);
    for k in 1..=n_dead {
        let c = f64::from(k) / d;
        let s0 = risk.s0 + c * deaths.s0;
        let inv = 1.0 / s0;
        let inv2 = inv * inv;
        log_sum += libm::log(s0);
        a += inv;
        b += c * inv;
        a2 += inv2;
        b2 += c * inv2;
        c2 += c * c * inv2;
    }
    out.loglik -= mean_weight * log_sum;
    let rows = out.information.iter_mut().zip(out.score.iter_mut());
    let sums = risk.s1.iter().zip(deaths.s1.iter());
    let squares = risk.s2.iter().zip(deaths.s2.iter());
    for (i, (((info_i, u_i), (&r1i, &d1i)), (r2i, d2i))) in
        rows.zip(sums).zip(squares).enumerate().take(p)
    {
        *u_i -= mean_weight * (r1i * a + d1i * b);
        let columns = risk.s1.iter().zip(deaths.s1.iter());
        let cells = info_i.iter_mut().zip(r2i.iter()).zip(d2i.iter());
        for ((((x, &r2), &d2), (&r1j, &d1j)), _) in cells.zip(columns).zip(0..=i) {
            let outer = r1i * r1j * a2 + (r1i * d1j + d1i * r1j) * b2 + d1i * d1j * c2;
            *x += mean_weight * (r2 * a + d2 * b - outer);
        }
    }
}

impl Sweep<'_> {
    /// ℓ, U and I at `beta` (scaled covariates). Works on fixed-size locals only.
    pub(crate) fn derivatives(&self, beta: &[f64; MAX_COVARIATES]) -> Derivatives {
        let p = self.design.p.clamp(1, MAX_COVARIATES);
        let mut out = Derivatives {
            loglik: 0.0,
            score: [0.0; MAX_COVARIATES],
            information: [[0.0; MAX_COVARIATES]; MAX_COVARIATES],
            max_linear_predictor: f64::NEG_INFINITY,
        };
        let mut risk = Sums::ZERO;
        let mut deaths = Sums::ZERO;
        let mut n_dead = 0u32;
        let mut dead_weight = 0.0;
        let mut new_stratum = true;
        let positions = self
            .design
            .z
            .chunks_exact(p)
            .zip(self.design.w.iter())
            .zip(self.design.flags.iter())
            .rev();
        // Backwards: each tied-time block (its subjects join the risk set together) ends at
        // its BLOCK_START position; after a STRATUM_START the risk set starts afresh.
        for ((z, &w), &flags) in positions {
            if new_stratum {
                risk.clear(p);
                new_stratum = false;
            }
            let eta: f64 = z.iter().zip(beta.iter()).map(|(a, b)| a * b).sum();
            if eta > out.max_linear_predictor {
                out.max_linear_predictor = eta;
            }
            let r = libm::exp(eta) * w;
            if flags & EVENT != 0 {
                n_dead += 1;
                dead_weight += w;
                out.loglik += w * eta;
                for (ui, &zi) in out.score.iter_mut().zip(z.iter()) {
                    *ui += w * zi;
                }
                deaths.add(r, z, p);
            } else {
                risk.add(r, z, p);
            }
            if flags & BLOCK_START == 0 {
                continue;
            }
            new_stratum = flags & STRATUM_START != 0;
            if n_dead == 0 {
                continue;
            }
            if self.ties == Ties::Breslow || n_dead == 1 {
                risk.add_divided(&deaths, 1.0, p);
                add_death_term(&mut out, &risk, dead_weight, p);
            } else {
                add_efron_terms(&mut out, &risk, &deaths, n_dead, dead_weight, p);
                risk.add_divided(&deaths, 1.0, p);
            }
            deaths.clear(p);
            n_dead = 0;
            dead_weight = 0.0;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cox::design::flag;

    /// ℓ(β) for one covariate by the definition, every risk set summed from scratch (O(n²)).
    fn naive_loglik(time: &[f64], event: &[u8], x: &[f64], beta: f64, efron: bool) -> f64 {
        let mut ll = 0.0;
        let mut done = vec![false; time.len()];
        for i in 0..time.len() {
            if event[i] == 0 || done[i] {
                continue;
            }
            let tied: Vec<usize> = (0..time.len())
                .filter(|&j| time[j] == time[i] && event[j] == 1)
                .collect();
            let risk: f64 = (0..time.len())
                .filter(|&j| time[j] >= time[i])
                .map(|j| (beta * x[j]).exp())
                .sum();
            let dead: f64 = tied.iter().map(|&j| (beta * x[j]).exp()).sum();
            let d = tied.len() as f64;
            for (k, &j) in tied.iter().enumerate() {
                ll += beta * x[j];
                let frac = if efron { k as f64 / d } else { 0.0 };
                ll -= (risk - frac * dead).ln();
                done[j] = true;
            }
        }
        ll
    }

    #[test]
    fn loglik_matches_the_definition_with_ties() {
        let time = [2.0, 3.0, 3.0, 3.0, 5.0, 5.0, 7.0, 8.0, 8.0, 9.0];
        let event = [1, 1, 1, 0, 1, 0, 1, 1, 1, 0];
        let x = [0.5, -1.0, 2.0, 0.0, 1.0, 3.0, -0.5, 0.25, 1.5, 2.0];
        // Already sorted by time: flags by hand.
        let w = [1.0; 10];
        let flags: Vec<u32> = (0..10)
            .map(|k| {
                let start = k == 0 || time[k - 1] != time[k];
                flag(event[k] == 1, EVENT) | flag(start, BLOCK_START) | flag(k == 0, STRATUM_START)
            })
            .collect();
        for ties in [Ties::Efron, Ties::Breslow] {
            let sweep = Sweep {
                design: Design {
                    p: 1,
                    z: &x,
                    w: &w,
                    flags: &flags,
                },
                ties,
            };
            for beta in [-0.7, 0.0, 0.3] {
                let mut b = [0.0; MAX_COVARIATES];
                b[0] = beta;
                let d = sweep.derivatives(&b);
                let expected = naive_loglik(&time, &event, &x, beta, ties == Ties::Efron);
                assert!((d.loglik - expected).abs() < 1e-12, "{ties:?} {beta}");
                // Score and information by central differences.
                let h = 1e-5;
                let mut bp = b;
                bp[0] += h;
                let mut bm = b;
                bm[0] -= h;
                let (lp, lm) = (sweep.derivatives(&bp), sweep.derivatives(&bm));
                let score = (lp.loglik - lm.loglik) / (2.0 * h);
                assert!((d.score[0] - score).abs() < 1e-7);
                let info = -(lp.score[0] - lm.score[0]) / (2.0 * h);
                assert!((d.information[0][0] - info).abs() < 1e-7);
            }
        }
    }
}
