//! torch's CPU generator, `torch.Generator().manual_seed(seed)`, bit for bit: MT19937 with
//! `torch.bernoulli` on float32 probabilities and `torch.randint(n, shape)`.
//!
//! This is the stream of transformers' `DataCollatorForLanguageModeling(seed=s,
//! return_tensors="pt")`. Sources: pytorch `aten/src/ATen/core/MT19937RNGEngine.h`,
//! `aten/src/ATen/native/cpu/DistributionTemplates.h`, `aten/src/ATen/core/TransformationHelper.h`;
//! the comparison rule and the 64-bit threshold of `randint` were measured on torch 2.15.0.

use super::MaskRng;

/// torch's CPU generator after `torch.Generator().manual_seed(seed)`.
#[derive(Debug, Clone)]
pub struct TorchRng {
    mt: Mt19937,
}

/// From this range up, torch 2.15's `randint` draws 64 bits per value (`random64() % n`); below
/// it, 32 (`random() % n`). Measured: n = 2^28 - 1 uses one 32-bit output, n = 2^28 two.
const RANDINT_64_BIT_FROM: u32 = 1 << 28;

impl TorchRng {
    /// The generator `torch.Generator().manual_seed(seed)` gives; the engine keeps the seed's low
    /// 32 bits.
    pub fn from_seed(seed: u64) -> Self {
        Self { mt: Mt19937::new(seed as u32) }
    }

    /// `random64()`: two outputs, the first one high.
    fn next_u64(&mut self) -> u64 {
        let hi = u64::from(self.mt.next_u32());
        let lo = u64::from(self.mt.next_u32());
        (hi << 32) | lo
    }
}

impl MaskRng for TorchRng {
    fn bernoulli(&mut self, p: f64, eligible: Option<&[bool]>, out: &mut [bool]) {
        // transformers builds P with `torch.full` (float32) and zeroes the ineligible cells;
        // `bernoulli_distribution<float>` then draws once for every cell, p = 0 included, and
        // compares a 24-bit uniform strictly: u < p (u == p gives 0 on torch 2.15).
        let p = p as f32;
        for (i, cell) in out.iter_mut().enumerate() {
            let u = (self.mt.next_u32() & 0x00ff_ffff) as f32 * (1.0 / (1u32 << 24) as f32);
            *cell = eligible.is_none_or(|e| e[i]) && u < p;
        }
    }

    fn uniform_below(&mut self, n: u32, chosen: &[bool], out: &mut [u32]) {
        // `torch.randint(n, shape)` draws a value for every cell of the grid, with modulo bias;
        // transformers then uses the values of the chosen cells.
        for (cell, &keep) in out.iter_mut().zip(chosen) {
            let value =
                if n >= RANDINT_64_BIT_FROM { (self.next_u64() % u64::from(n)) as u32 } else { self.mt.next_u32() % n };
            if keep {
                *cell = value;
            }
        }
    }
}

/// The standard 32-bit Mersenne Twister, seeded by `init_genrand`.
#[derive(Clone)]
struct Mt19937 {
    state: Box<[u32; Mt19937::N]>,
    index: usize,
}

impl std::fmt::Debug for Mt19937 {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mt19937").field("index", &self.index).finish_non_exhaustive()
    }
}

impl Mt19937 {
    const N: usize = 624;
    const M: usize = 397;

    fn new(seed: u32) -> Self {
        let mut state = Box::new([0u32; Self::N]);
        state[0] = seed;
        for i in 1..Self::N {
            let prev = state[i - 1];
            state[i] = 1_812_433_253u32.wrapping_mul(prev ^ (prev >> 30)).wrapping_add(i as u32);
        }
        Self { state, index: Self::N }
    }

    fn twist(&mut self) {
        let s = &mut self.state;
        for k in 0..Self::N {
            let y = (s[k] & 0x8000_0000) | (s[(k + 1) % Self::N] & 0x7fff_ffff);
            let mag = if y & 1 == 1 { 0x9908_b0df } else { 0 };
            s[k] = s[(k + Self::M) % Self::N] ^ (y >> 1) ^ mag;
        }
        self.index = 0;
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= Self::N {
            self.twist();
        }
        let mut y = self.state[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mt19937_matches_the_reference_outputs() {
        // std::mt19937(0) and torch.Generator().manual_seed(0): 2357136044, 2546248239, ...
        let mut mt = Mt19937::new(0);
        let first: Vec<u32> = (0..6).map(|_| mt.next_u32()).collect();
        assert_eq!(first, [2357136044, 2546248239, 3071714933, 3626093760, 2588848963, 3684848379]);
        // The 10,000th output of std::mt19937 with the default seed 5489 (C++ [rand.predef]).
        let mut mt = Mt19937::new(5489);
        let last = (0..10_000).map(|_| mt.next_u32()).last();
        assert_eq!(last, Some(4_123_659_995));
    }

    #[test]
    fn manual_seed_keeps_the_low_32_bits() {
        // torch.Generator().manual_seed(s); torch.randint(0, 1000, (4,))
        for (seed, expected) in [(42u64, [542, 67, 876, 414]), ((1 << 40) + 5, [411, 814, 767, 885])] {
            let mut rng = TorchRng::from_seed(seed);
            let mut out = [0u32; 4];
            rng.uniform_below(1000, &[true; 4], &mut out);
            assert_eq!(out, expected, "seed {seed}");
        }
    }

    #[test]
    fn bernoulli_draws_every_cell_and_randint_the_whole_grid() {
        // g = torch.Generator().manual_seed(7)
        // p = torch.full((2, 5), 0.15); p[0, 0] = 0; p[1, 4] = 0; torch.bernoulli(p, generator=g)
        // torch.bernoulli(torch.full((2, 5), 0.8), generator=g)
        // torch.randint(30522, (2, 5), generator=g)
        let mut rng = TorchRng::from_seed(7);
        let mut eligible = [true; 10];
        eligible[0] = false;
        eligible[9] = false;
        let mut selected = [false; 10];
        rng.bernoulli(0.15, Some(&eligible), &mut selected);
        assert_eq!(selected, [false; 10]);
        let mut masked = [false; 10];
        rng.bernoulli(0.8, None, &mut masked);
        assert_eq!(masked.map(u8::from), [0, 1, 1, 1, 1, 1, 1, 1, 0, 1]);
        let mut chosen = [false; 10];
        chosen[2] = true;
        chosen[9] = true;
        let mut ids = [u32::MAX; 10];
        rng.uniform_below(30522, &chosen, &mut ids);
        let all = [8358, 6730, 25217, 22563, 28420, 21422, 11327, 25069, 396, 16346];
        for i in 0..10 {
            assert_eq!(ids[i], if chosen[i] { all[i] } else { u32::MAX });
        }
    }

    #[test]
    fn bernoulli_compares_strictly_and_randint_switches_to_64_bits_at_2_pow_28() {
        // The first output of seed 0 gives u = (2357136044 & 0xffffff) / 2^24 = 0.49625658988952637.
        // torch.bernoulli(torch.tensor([u]), generator=manual_seed(0)) is 0; one float32 ulp
        // above, 1.
        let u = 0.496_256_589_889_526_37_f64;
        for (p, expected) in [(u, false), (f64::from(f32::from_bits((u as f32).to_bits() + 1)), true)] {
            let mut out = [false];
            TorchRng::from_seed(0).bernoulli(p, None, &mut out);
            assert_eq!(out[0], expected, "p = {p}");
        }
        // torch.randint(0, n, (2,), generator=manual_seed(0))
        for (n, expected) in [((1 << 28) - 1, [209652404, 130329144]), (1 << 28, [130329135, 136432832])] {
            let mut out = [0u32; 2];
            TorchRng::from_seed(0).uniform_below(n, &[true; 2], &mut out);
            assert_eq!(out, expected, "n = {n}");
        }
        let mut out = [0u32; 2];
        TorchRng::from_seed(0).uniform_below(3 << 30, &[true; 2], &mut out);
        assert_eq!(out, [1472506415, 2552351936]);
    }
}
