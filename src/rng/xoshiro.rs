//! The default stream: xoshiro256++ seeded through SplitMix64 (`rand_xoshiro`), whose output
//! is fixed by its specification, so a seed gives the same masks in every build. Unlike the
//! numpy and torch streams it draws only where a draw can matter (`draws_full_grid`), e.g. the
//! replacement of a token only once it is selected.

use rand_core::{RngCore, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

use super::MaskRng;

/// mlmask's own fast, seedable stream.
#[derive(Debug, Clone)]
pub struct MlmaskRng(Xoshiro256PlusPlus);

impl MlmaskRng {
    /// A stream determined by `seed`.
    pub fn from_seed(seed: u64) -> Self {
        Self(Xoshiro256PlusPlus::seed_from_u64(seed))
    }
}

impl MaskRng for MlmaskRng {
    /// A uniform double in [0, 1) with 53 random bits.
    fn next_unit(&mut self) -> f64 {
        (self.0.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn bernoulli(&mut self, p: f64, eligible: Option<&[bool]>, out: &mut [bool]) {
        // Like numpy, p = 0 consumes no draw; p = 1 still draws, so that a stream's position
        // depends only on the shape of the batch and on which cells are eligible.
        // `next_unit() < p` compared in integers: the unit is k / 2^53, and p * 2^53 is exact.
        let limit = p * (1u64 << 53) as f64;
        let mut draw = |on: bool| on && p > 0.0 && ((self.0.next_u64() >> 11) as f64) < limit;
        match eligible {
            Some(eligible) => out.iter_mut().zip(eligible).for_each(|(cell, &on)| *cell = draw(on)),
            None => out.iter_mut().for_each(|cell| *cell = draw(true)),
        }
    }

    fn draws_full_grid(&self) -> bool {
        false
    }

    fn uniform_below(&mut self, n: u32, chosen: &[bool], out: &mut [u32]) {
        // Lemire's multiply-shift with rejection: unbiased, and one draw almost always.
        let n64 = u64::from(n);
        let threshold = n64.wrapping_neg() % n64;
        for (cell, _) in out.iter_mut().zip(chosen).filter(|(_, &c)| c) {
            loop {
                let m = u128::from(self.0.next_u64()) * u128::from(n64);
                if (m as u64) >= threshold {
                    *cell = (m >> 64) as u32;
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_seed_same_stream_and_seeds_differ() {
        let grid = [true; 64];
        let draw = |seed| {
            let mut rng = MlmaskRng::from_seed(seed);
            let mut out = [false; 64];
            rng.bernoulli(0.5, None, &mut out);
            let mut ids = [0u32; 64];
            rng.uniform_below(1000, &grid, &mut ids);
            (out, ids)
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
    }

    #[test]
    fn ineligible_cells_are_false_and_uniform_stays_below_n() {
        let mut rng = MlmaskRng::from_seed(1);
        let eligible: Vec<bool> = (0..100).map(|i| i % 2 == 0).collect();
        let mut out = vec![false; 100];
        rng.bernoulli(1.0, Some(&eligible), &mut out);
        assert_eq!(out, eligible);
        let mut ids = vec![u32::MAX; 100];
        rng.uniform_below(3, &eligible, &mut ids);
        for (i, id) in ids.iter().enumerate() {
            if eligible[i] {
                assert!(*id < 3);
            } else {
                assert_eq!(*id, u32::MAX);
            }
        }
    }
}
