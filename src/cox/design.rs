//! The design of one fit in the caller's scratch: the subjects in use sorted by (stratum, time),
//! their centred and scaled model rows copied in that order (as R's `coxph` works on
//! `x[sorted, ]`), their weights, and a flag word per subject marking events, tied-time blocks
//! and strata. Built once per fit with one pass of random access to the caller's arrays; every
//! Newton–Raphson iteration and the concordance then stream through it sequentially.

use super::data::{CoxData, Model, Rows, TimeTies};
use super::{CoxOptions, MAX_COVARIATES};
use crate::sort::{sort_order_by_key, total_order_key};
use crate::Status;

/// Flag: the subject had the event.
pub(crate) const EVENT: u32 = 1;
/// Flag: the subject is the first (lowest position) of its tied-time block.
pub(crate) const BLOCK_START: u32 = 2;
/// Flag: the subject is the first (lowest position) of its stratum.
pub(crate) const STRATUM_START: u32 = 4;

/// `bit` when `on`, else 0.
pub(crate) fn flag(on: bool, bit: u32) -> u32 {
    if on {
        bit
    } else {
        0
    }
}

/// The subjects of a fit in sweep order (ascending by (stratum, time); sweeps walk it
/// backwards).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Design<'s> {
    /// Model columns p (1 … [`MAX_COVARIATES`]).
    pub(crate) p: usize,
    /// n_used × p centred, scaled covariates, row-major.
    pub(crate) z: &'s [f64],
    /// n_used case weights.
    pub(crate) w: &'s [f64],
    /// n_used flag words ([`EVENT`], [`BLOCK_START`], [`STRATUM_START`]).
    pub(crate) flags: &'s [u32],
}

/// R's internal centring and scaling of each model column (`coxfit6.c`, `doscale`): columns
/// with every value in {−1, 0, 1} are left alone (`nocenter = c(-1, 0, 1)`); the others become
/// (x − m)·s with m = Σw x / Σw and s = Σw / Σw|x − m| (1 when that sum is 0).
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scaling {
    /// m per column (0 when not centred).
    pub(crate) mean: [f64; MAX_COVARIATES],
    /// s per column (1 when not scaled).
    pub(crate) scale: [f64; MAX_COVARIATES],
}

impl Scaling {
    /// Computes m and s over the subjects of `rows`, in the data's order (R sums in its sorted
    /// order: the results differ by rounding only). Two passes over the rows, every column at
    /// once (the matrix is row-major).
    pub(crate) fn compute(data: &CoxData<'_>, model: &Model, rows: Rows) -> Self {
        let p = model.p().min(MAX_COVARIATES);
        let mut sum = [0.0; MAX_COVARIATES];
        let mut only_zero_one = [true; MAX_COVARIATES];
        let mut total_weight = 0.0;
        let used = || (0..data.n()).filter(move |&i| rows.includes(data, i));
        for i in used() {
            let w = data.weight(i);
            total_weight += w;
            let columns = sum.iter_mut().zip(only_zero_one.iter_mut());
            for ((s, z1), term) in columns.zip(model.terms()) {
                let x = Model::term_value(data, i, term);
                *s += w * x;
                *z1 &= matches!(x, -1.0 | 0.0 | 1.0);
            }
        }
        let mut scaling = Scaling {
            mean: [0.0; MAX_COVARIATES],
            scale: [1.0; MAX_COVARIATES],
        };
        let centred = |j: usize| !only_zero_one.get(j).copied().unwrap_or(true);
        for (j, (m, s)) in scaling.mean.iter_mut().zip(sum.iter()).enumerate().take(p) {
            if centred(j) {
                *m = s / total_weight;
            }
        }
        let mut abs_dev = [0.0; MAX_COVARIATES];
        for i in used() {
            let w = data.weight(i);
            let columns = abs_dev.iter_mut().zip(scaling.mean.iter());
            for ((a, m), term) in columns.zip(model.terms()) {
                *a += w * libm::fabs(Model::term_value(data, i, term) - m);
            }
        }
        for (j, (scale, a)) in scaling
            .scale
            .iter_mut()
            .zip(abs_dev.iter())
            .enumerate()
            .take(p)
        {
            if centred(j) && *a > 0.0 {
                *scale = total_weight / a;
            }
        }
        scaling
    }
}

/// What [`build`] found.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Built {
    /// Subjects in use.
    pub(crate) n_used: usize,
    /// Events among them.
    pub(crate) n_events: usize,
    /// The columns' centring and scaling.
    pub(crate) scaling: Scaling,
}

/// The scratch regions of a fit: four `u32` arrays of n and the `f64` weights (n) and design
/// rows (n · max(p, 6)).
pub(crate) struct Regions<'s> {
    /// Subjects in sweep order (then free).
    pub(crate) order: &'s mut [u32],
    /// The radix sort's buffer.
    pub(crate) radix: &'s mut [u32],
    /// Tied-time group of each subject (by subject index; then free).
    pub(crate) group: &'s mut [u32],
    /// Flag word per position.
    pub(crate) flags: &'s mut [u32],
    /// Weight per position.
    pub(crate) w: &'s mut [f64],
    /// Design rows (then the concordance's predictor and trees).
    pub(crate) z: &'s mut [f64],
}

/// The `f64` scratch of a fit with p model columns and n subjects: n · (1 + max(p, 6)) (the
/// weights, then the design rows, which the concordance reuses for its 6n).
pub(crate) fn values_len(n: usize, p: usize) -> Option<usize> {
    n.checked_mul(p.max(6).checked_add(1)?)
}

impl<'s> Regions<'s> {
    /// Splits the scratch; `ScratchTooSmall` when it is smaller than the sizes above.
    pub(crate) fn split(
        index: &'s mut [u32],
        values: &'s mut [f64],
        n: usize,
        p: usize,
    ) -> Result<Self, Status> {
        let too_small = Status::ScratchTooSmall;
        let (order, rest) = index.split_at_mut_checked(n).ok_or(too_small)?;
        let (radix, rest) = rest.split_at_mut_checked(n).ok_or(too_small)?;
        let (group, rest) = rest.split_at_mut_checked(n).ok_or(too_small)?;
        let flags = rest.get_mut(..n).ok_or(too_small)?;
        let (w, rest) = values.split_at_mut_checked(n).ok_or(too_small)?;
        let z_len = values_len(n, p)
            .and_then(|l| l.checked_sub(n))
            .ok_or(Status::TooManyElements)?;
        let z = rest.get_mut(..z_len).ok_or(too_small)?;
        Ok(Regions {
            order,
            radix,
            group,
            flags,
            w,
            z,
        })
    }

    /// A read-only view of the built design.
    pub(crate) fn design(&self, n_used: usize, p: usize) -> Result<Design<'_>, Status> {
        let cells = n_used.checked_mul(p).ok_or(Status::TooManyElements)?;
        Ok(Design {
            p,
            z: self.z.get(..cells).ok_or(Status::ScratchTooSmall)?,
            w: self.w.get(..n_used).ok_or(Status::ScratchTooSmall)?,
            flags: self.flags.get(..n_used).ok_or(Status::ScratchTooSmall)?,
        })
    }
}

/// Sorts the subjects of `rows` by (stratum, time) — stable, so tied times keep the subjects'
/// order, as R's `order()` — groups tied times by [`TimeTies`] over all the subjects in use, and
/// writes the design. Validation must have succeeded.
pub(crate) fn build(
    data: &CoxData<'_>,
    model: &Model,
    rows: Rows,
    options: &CoxOptions,
    regions: &mut Regions<'_>,
) -> Result<Built, Status> {
    let mut n_used = 0usize;
    for i in 0..data.n() {
        if rows.includes(data, i) {
            let slot = regions
                .order
                .get_mut(n_used)
                .ok_or(Status::ScratchTooSmall)?;
            *slot = u32::try_from(i).map_err(|_| Status::TooManyElements)?;
            n_used += 1;
        }
    }
    let order = regions
        .order
        .get_mut(..n_used)
        .ok_or(Status::ScratchTooSmall)?;
    // + 0.0 makes −0.0 and +0.0 one key.
    sort_order_by_key(order, regions.radix, |i| {
        total_order_key(data.time_of(i as usize) + 0.0)
    })?;
    // The sorted times, once (the only random pass over them), in `w` for now.
    let sorted_times = regions.w.get_mut(..n_used).ok_or(Status::ScratchTooSmall)?;
    for (t, &i) in sorted_times.iter_mut().zip(order.iter()) {
        *t = data.time_of(i as usize);
    }
    let ties = TimeTies::new(sorted_times.iter().copied(), options.time_matching);
    let new_time = |k: usize| {
        let t = sorted_times.get(k).copied();
        match (k.checked_sub(1).and_then(|j| sorted_times.get(j)), t) {
            (Some(&a), Some(b)) => !ties.linked(a, b),
            _ => true,
        }
    };
    if data.strata.is_some() {
        // Strata reorder the subjects: keep each one's tied-time group, by subject.
        let mut current = 0u32;
        for (k, &i) in order.iter().enumerate() {
            if k > 0 && new_time(k) {
                current = current.saturating_add(1);
            }
            if let Some(slot) = regions.group.get_mut(i as usize) {
                *slot = current;
            }
        }
        sort_order_by_key(order, regions.radix, |i| {
            u64::from(data.stratum(i as usize))
        })?;
    } else {
        // One stratum: block starts by position directly.
        for (k, flags) in regions.flags.iter_mut().enumerate().take(n_used) {
            *flags = if k == 0 {
                BLOCK_START | STRATUM_START
            } else if new_time(k) {
                BLOCK_START
            } else {
                0
            };
        }
    }

    let scaling = Scaling::compute(data, model, rows);
    let p = model.p().clamp(1, MAX_COVARIATES);
    // The design rows, read in the caller's order and written to their positions (random
    // writes stall less than random reads), through the inverse permutation in `radix`.
    for (k, &i) in order.iter().enumerate() {
        if let Some(slot) = regions.radix.get_mut(i as usize) {
            *slot = u32::try_from(k).map_err(|_| Status::TooManyElements)?;
        }
    }
    for i in (0..data.n()).filter(|&i| rows.includes(data, i)) {
        let k = regions.radix.get(i).copied().unwrap_or(0) as usize;
        let start = k.checked_mul(p).ok_or(Status::TooManyElements)?;
        let z = regions
            .z
            .get_mut(start..start + p)
            .ok_or(Status::ScratchTooSmall)?;
        let per_column = scaling.mean.iter().zip(scaling.scale.iter());
        for ((zj, (m, s)), term) in z.iter_mut().zip(per_column).zip(model.terms()) {
            *zj = (Model::term_value(data, i, term) - m) * s;
        }
        if let Some(w) = regions.w.get_mut(k) {
            *w = data.weight(i);
        }
    }
    // Flags by position: events, and (with strata) block and stratum starts.
    let group: &[u32] = regions.group;
    let group_of = |i: usize| group.get(i).copied();
    let stratified = data.strata.is_some();
    let mut n_events = 0usize;
    let mut previous: Option<usize> = None;
    for (&i, flags) in order.iter().zip(regions.flags.iter_mut()) {
        let i = i as usize;
        let event = data.is_event(i);
        n_events += usize::from(event);
        if stratified {
            let new_stratum = previous.is_none_or(|k| data.stratum(k) != data.stratum(i));
            let new_block = new_stratum || previous.is_none_or(|k| group_of(k) != group_of(i));
            *flags = flag(new_block, BLOCK_START) | flag(new_stratum, STRATUM_START);
            previous = Some(i);
        }
        *flags |= flag(event, EVENT);
    }
    Ok(Built {
        n_used,
        n_events,
        scaling,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_follows_r() {
        // x = 1, 2, 3, 6: mean 3, mean |x − 3| = (2 + 1 + 0 + 3) / 4 = 1.5, s = 1 / 1.5.
        let t = [1.0, 2.0, 3.0, 4.0];
        let x = [1.0, 2.0, 3.0, 6.0, 0.0, 1.0, 1.0, 0.0];
        let d = CoxData::new(&t, &[1, 1, 1, 1], &x[..4], 1).unwrap();
        let model = Model::all_columns(1).unwrap();
        let s = Scaling::compute(&d, &model, Rows::All);
        assert!((s.mean[0] - 3.0).abs() < 1e-15);
        assert!((s.scale[0] - 1.0 / 1.5).abs() < 1e-15);
        // A 0/1 column is left alone.
        let d = CoxData::new(&t, &[1, 1, 1, 1], &x[4..], 1).unwrap();
        let s = Scaling::compute(&d, &model, Rows::All);
        assert_eq!((s.mean[0], s.scale[0]), (0.0, 1.0));
    }

    #[test]
    fn flags_mark_events_blocks_and_strata() {
        let t = [3.0, 1.0, 3.0, 2.0, 1.0];
        let e = [1, 0, 0, 1, 1];
        let s = [0, 0, 0, 1, 1];
        let x = [0.0, 1.0, 0.0, 1.0, 1.0];
        let d = CoxData::new(&t, &e, &x, 1).unwrap().with_strata(&s);
        let model = Model::all_columns(1).unwrap();
        let n = 5;
        let (mut index, mut values) = (vec![0u32; 4 * n], vec![0.0; values_len(n, 1).unwrap()]);
        let mut regions = Regions::split(&mut index, &mut values, n, 1).unwrap();
        let built = build(&d, &model, Rows::All, &CoxOptions::default(), &mut regions).unwrap();
        assert_eq!((built.n_used, built.n_events), (5, 3));
        // Stratum 0: subjects 1 (t 1), 0 and 2 (t 3, tied); stratum 1: 4 (t 1), 3 (t 2).
        assert_eq!(regions.order, [1, 0, 2, 4, 3]);
        assert_eq!(
            regions.flags,
            [
                BLOCK_START | STRATUM_START,
                EVENT | BLOCK_START,
                0,
                EVENT | BLOCK_START | STRATUM_START,
                EVENT | BLOCK_START
            ]
        );
        assert_eq!(&regions.z[..5], &[1.0, 0.0, 0.0, 1.0, 1.0]);
    }
}
