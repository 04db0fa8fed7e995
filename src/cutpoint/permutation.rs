//! The deterministic random stream of the permutation p-values: xoshiro256** (Blackman & Vigna
//! 2018) seeded through SplitMix64, bounded integers by Lemire's multiply-shift with rejection
//! (unbiased), and the Fisher–Yates shuffle. No dependency, no global state: the same seed gives
//! the same permutations on every platform.

/// SplitMix64 (Steele, Lea & Flood 2014): expands one 64-bit seed into the generator's state.
fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256**: 256-bit state, period 2^256 − 1, passes BigCrush.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Xoshiro256StarStar {
    s: [u64; 4],
}

impl Xoshiro256StarStar {
    /// The generator seeded from `seed` by four SplitMix64 outputs (never the all-zero state).
    pub(crate) fn from_seed(seed: u64) -> Self {
        let mut sm = seed;
        let s = [
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
            splitmix64(&mut sm),
        ];
        Xoshiro256StarStar { s }
    }

    /// The next 64 random bits.
    pub(crate) fn next_u64(&mut self) -> u64 {
        let [s0, s1, s2, s3] = self.s;
        let result = s1.wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = s1 << 17;
        let s2 = s2 ^ s0;
        let s3 = s3 ^ s1;
        let s1 = s1 ^ s2;
        let s0 = s0 ^ s3;
        let s2 = s2 ^ t;
        let s3 = s3.rotate_left(45);
        self.s = [s0, s1, s2, s3];
        result
    }

    /// A uniform integer in 0..bound (`bound` ≥ 1; 0 gives 0): Lemire, "Fast random integer
    /// generation in an interval", ACM TOMACS 2019.
    pub(crate) fn below(&mut self, bound: u64) -> u64 {
        if bound == 0 {
            return 0;
        }
        let mut m = u128::from(self.next_u64()) * u128::from(bound);
        if (m as u64) < bound {
            let threshold = bound.wrapping_neg().checked_rem(bound).unwrap_or(0);
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(bound);
            }
        }
        (m >> 64) as u64
    }
}

/// Fisher–Yates shuffle of `items` in place (every permutation equally likely).
pub(crate) fn shuffle(items: &mut [u32], rng: &mut Xoshiro256StarStar) {
    let mut i = items.len();
    while i > 1 {
        let j = rng.below(i as u64) as usize;
        i -= 1;
        if j != i {
            if let Ok([a, b]) = items.get_disjoint_mut([i, j]) {
                core::mem::swap(a, b);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix_and_xoshiro_match_the_reference_outputs() {
        // SplitMix64 from seed 0: the first output of Vigna's splitmix64.c.
        let mut s = 0u64;
        assert_eq!(splitmix64(&mut s), 0xE220_A839_7B1D_CDAF);
        // xoshiro256** from state [1, 2, 3, 4]: outputs of Vigna's xoshiro256starstar.c.
        let mut x = Xoshiro256StarStar { s: [1, 2, 3, 4] };
        let first: Vec<u64> = (0..3).map(|_| x.next_u64()).collect();
        assert_eq!(first, [11520, 0, 1509978240]);
    }

    #[test]
    fn below_stays_in_range_and_is_roughly_uniform() {
        let mut rng = Xoshiro256StarStar::from_seed(42);
        let mut counts = [0u32; 7];
        let draws = crate::test_support::native_or_miri(70_000, 7_000) as u32;
        for _ in 0..draws {
            let v = rng.below(7) as usize;
            counts[v] += 1;
        }
        // Each count within 10 % of draws / 7 (over 3 standard deviations even under Miri).
        let expected = draws / 7;
        for c in counts {
            assert!(
                (expected * 9 / 10..expected * 11 / 10).contains(&c),
                "{counts:?}"
            );
        }
        assert_eq!(rng.below(1), 0);
        assert_eq!(rng.below(0), 0);
    }

    #[test]
    fn shuffle_is_a_permutation_and_depends_on_the_seed() {
        let mut a: Vec<u32> = (0..50).collect();
        let mut b = a.clone();
        shuffle(&mut a, &mut Xoshiro256StarStar::from_seed(1));
        shuffle(&mut b, &mut Xoshiro256StarStar::from_seed(1));
        assert_eq!(a, b);
        let mut c: Vec<u32> = (0..50).collect();
        shuffle(&mut c, &mut Xoshiro256StarStar::from_seed(2));
        assert_ne!(a, c);
        a.sort();
        assert_eq!(a, (0..50).collect::<Vec<u32>>());
    }
}
