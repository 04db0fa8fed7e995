//! Order statistics without sorting: R's type-7 quantile rule, and an exact k-th-value selection
//! for integer pixels that needs no scratch.
//!
//! ## Radix selection over the stored range
//! The k-th smallest stored value is found by counting, not sorting: values are keyed as
//! u = v − min (min and max come from the moments pass, so an ROI whose values span fewer than
//! 256 stored steps needs one counting pass, a 16-bit CT ROI at most two), and each pass walks the
//! ROI's spans again and counts the next 8 bits of u into 256 bins, among the values whose higher
//! bits equal the prefix chosen so far. The bin holding rank k fixes 8 more bits. The (k+1)-th
//! value, which type-7 interpolation also needs, follows the same bins until the two part; from
//! then on it is the smallest value of its own bin, which the next pass records on the way. So
//! a median costs ⌈bits(max − min) / 8⌉ extra passes over the ROI and 2 KiB of stack (256 u64
//! counts), whatever the pixel count: no 65536-bin histogram, no scratch.

/// R's `quantile(type = 7)` (also NumPy's default "linear"): with index = 1 + (n − 1) · p,
/// lo = ⌊index⌋ and h = index − lo, the quantile is x[lo] when h = 0 or x[lo] = x[lo + 1], and
/// (1 − h) · x[lo] + h · x[lo + 1] otherwise (1-based order statistics, as in R's source).
///
/// Returns the 0-based rank k = lo − 1 and h; `p` must be in [0, 1] and `n ≥ 1`.
pub(crate) fn type7_position(n: u64, p: f64) -> (u64, f64) {
    let index = 1.0 + (n.saturating_sub(1)) as f64 * p;
    let lo = libm::floor(index);
    let k = (lo as u64).saturating_sub(1).min(n.saturating_sub(1));
    (k, index - lo)
}

/// The type-7 interpolation between consecutive order statistics (see [`type7_position`]).
pub(crate) fn type7_interpolate(x_k: f64, x_next: f64, h: f64) -> f64 {
    if h > 0.0 && x_next != x_k {
        (1.0 - h) * x_k + h * x_next
    } else {
        x_k
    }
}

/// The bin of `hist` that holds rank `rank` (0-based) and the count of values in lower bins.
fn locate(hist: &[u64; 256], rank: u64) -> (u64, u64) {
    let mut below = 0u64;
    for (d, &c) in (0u64..).zip(hist.iter()) {
        if below + c > rank {
            return (d, below);
        }
        below += c;
    }
    (255, below)
}

/// One counting pass of the selection: which values to count and into which bins.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PassSpec {
    /// Values are keyed u = v − min.
    min: i64,
    /// Count u whose bits above `group_shift` equal `prefix`...
    prefix: u64,
    group_shift: u32,
    /// ...into bin (u >> shift) & 0xff.
    shift: u32,
    /// And record the smallest u with u >> s == p, for (p, s).
    smallest_in: Option<(u64, u32)>,
}

/// What one pass counted.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PassResult {
    hist: [u64; 256],
    smallest: u64,
}

impl PassResult {
    /// Nothing counted yet.
    pub(crate) const fn new() -> PassResult {
        PassResult {
            hist: [0; 256],
            smallest: u64::MAX,
        }
    }
}

impl PassSpec {
    /// Counts every value of `values` (a run of kept values, in any order); the pass is the
    /// sum of these calls over all kept values.
    #[inline(always)]
    pub(crate) fn visit_all<I: Iterator<Item = i64>>(&self, values: I, r: &mut PassResult) {
        let (min, prefix, group_shift, shift) =
            (self.min, self.prefix, self.group_shift, self.shift);
        match self.smallest_in {
            None => {
                for v in values {
                    let u = v.abs_diff(min);
                    if u >> group_shift == prefix {
                        if let Some(c) = r.hist.get_mut(((u >> shift) & 0xff) as usize) {
                            *c += 1;
                        }
                    }
                }
            }
            Some((p, s)) => {
                for v in values {
                    let u = v.abs_diff(min);
                    if u >> group_shift == prefix {
                        if let Some(c) = r.hist.get_mut(((u >> shift) & 0xff) as usize) {
                            *c += 1;
                        }
                    }
                    if u >> s == p && u < r.smallest {
                        r.smallest = u;
                    }
                }
            }
        }
    }
}

/// What is known of the (k+1)-th value during the selection.
#[derive(Clone, Copy)]
enum Next {
    /// Not wanted.
    Unwanted,
    /// It shares the k-th value's prefix: its rank is the k-th's + 1 within the same bins.
    SamePrefix,
    /// It is the smallest key u with u >> shift == prefix (found by the next pass).
    SmallestIn { prefix: u64, shift: u32 },
    /// Found.
    Key(u64),
}

/// The `rank`-th and, when `want_next`, the (`rank` + 1)-th smallest of the kept values
/// (0-based), all of which lie in [min, max]. `pass(spec)` must visit every kept value once with
/// `spec.visit` and return the result (the same values on every call). Returns
/// (x_rank, x_rank+1), the second equal to the first when not wanted.
pub(crate) fn select_pair<P, E>(
    pass: &mut P,
    min: i64,
    max: i64,
    rank: u64,
    want_next: bool,
) -> Result<(i64, i64), E>
where
    P: FnMut(&PassSpec) -> Result<PassResult, E>,
{
    let span = max.abs_diff(min);
    let bits = 64 - span.leading_zeros();
    if bits == 0 {
        return Ok((min, min));
    }
    let top_shift = (bits - 1) / 8 * 8;
    let mut prefix = 0u64;
    let mut rank = rank;
    let mut next = if want_next {
        Next::SamePrefix
    } else {
        Next::Unwanted
    };
    let mut shift = top_shift;
    loop {
        let smallest_in = match next {
            Next::SmallestIn { prefix, shift } => Some((prefix, shift)),
            _ => None,
        };
        let spec = PassSpec {
            min,
            prefix,
            group_shift: shift + 8,
            shift,
            smallest_in,
        };
        let result = pass(&spec)?;
        if smallest_in.is_some() {
            next = Next::Key(result.smallest);
        }
        let (digit, below) = locate(&result.hist, rank);
        if let Next::SamePrefix = next {
            let (digit_next, _) = locate(&result.hist, rank.saturating_add(1));
            if digit_next != digit {
                let p = (prefix << 8) | digit_next;
                next = if shift == 0 {
                    Next::Key(p)
                } else {
                    Next::SmallestIn { prefix: p, shift }
                };
            }
        }
        prefix = (prefix << 8) | digit;
        rank = rank.saturating_sub(below);
        if shift == 0 {
            break;
        }
        shift -= 8;
    }
    let key_next = match next {
        Next::Key(k) => k,
        _ => prefix,
    };
    let value = |u: u64| min.saturating_add_unsigned(u);
    Ok((value(prefix), value(key_next)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn select(values: &[i64], rank: u64) -> (i64, i64) {
        let (min, max) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
        let mut walk = |spec: &PassSpec| -> Result<PassResult, ()> {
            let mut r = PassResult::new();
            spec.visit_all(values.iter().copied(), &mut r);
            Ok(r)
        };
        let want_next = rank + 1 < values.len() as u64;
        select_pair(&mut walk, min, max, rank, want_next).unwrap()
    }

    #[test]
    fn type7_matches_r() {
        // quantile(1:10, c(0, .1, .25, .5, 1), type = 7) = 1, 1.9, 3.25, 5.5, 10
        let x: Vec<f64> = (1..=10).map(f64::from).collect();
        for (p, want) in [
            (0.0, 1.0),
            (0.1, 1.9),
            (0.25, 3.25),
            (0.5, 5.5),
            (1.0, 10.0),
        ] {
            let (k, h) = type7_position(10, p);
            let next = x.get(k as usize + 1).copied().unwrap_or(x[k as usize]);
            let q = type7_interpolate(x[k as usize], next, h);
            assert!((q - want).abs() < 1e-12, "p = {p}: {q}");
        }
        assert_eq!(type7_position(1, 0.5), (0, 0.0));
    }

    #[test]
    fn selects_across_bins_and_levels() {
        let v = [-2000i64, 5, 5, 300, -1024, 65535, 40, 41];
        let mut sorted = v.to_vec();
        sorted.sort();
        for k in 0..v.len() {
            let (a, b) = select(&v, k as u64);
            assert_eq!(a, sorted[k]);
            assert_eq!(b, *sorted.get(k + 1).unwrap_or(&sorted[k]));
        }
        assert_eq!(select(&[7, 7, 7], 1), (7, 7));
        let wide = [i32::MIN as i64, i32::MAX as i64, 0, -1];
        assert_eq!(select(&wide, 1), (-1, 0));
        assert_eq!(select(&wide, 2), (0, i32::MAX as i64));
    }

    proptest! {
        #[test]
        fn selection_equals_sorting(
            v in prop::collection::vec(-40000i64..70000, 1..crate::test_support::native_or_miri(300, 40)),
            k in 0usize..300,
        ) {
            let k = k % v.len();
            let mut sorted = v.clone();
            sorted.sort();
            let (a, b) = select(&v, k as u64);
            prop_assert_eq!(a, sorted[k]);
            prop_assert_eq!(b, *sorted.get(k + 1).unwrap_or(&sorted[k]));
        }
    }
}
