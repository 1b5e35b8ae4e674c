//! numpy's `np.random.default_rng(seed)`, bit for bit: `SeedSequence` seeding, the PCG64
//! (XSL-RR) bit generator, `Generator.binomial(1, p)` by inversion and
//! `Generator.integers(0, n, dtype=int64)` by Lemire's method on buffered 32-bit halves.
//!
//! This is the stream of transformers' `DataCollatorForLanguageModeling(seed=s,
//! return_tensors="np")`. Sources: numpy `numpy/random/bit_generator.pyx` (`SeedSequence`),
//! `src/pcg64/pcg64.h`, `src/distributions/distributions.c` (`random_binomial`,
//! `random_binomial_inversion`, `buffered_bounded_lemire_uint32`), checked against numpy 2.5.5.

use super::MaskRng;

/// numpy's `np.random.default_rng(seed)` (`Generator(PCG64(SeedSequence(seed)))`).
#[derive(Debug, Clone)]
pub struct NumpyRng {
    pcg: Pcg64,
}

impl NumpyRng {
    /// The generator `np.random.default_rng(seed)` returns.
    pub fn from_seed(seed: u64) -> Self {
        let s = seed_sequence_state(seed);
        Self {
            pcg: Pcg64::new((u128::from(s[0]) << 64) | u128::from(s[1]), (u128::from(s[2]) << 64) | u128::from(s[3])),
        }
    }

    /// `random_binomial(n = 1, p)` for `0 < p <= 1`: inversion, with `1 - inversion(1 - p)` above
    /// one half. `qn` is the cached `exp(log(1 - p'))` of the inverted probability `p'`.
    fn binomial_one(&mut self, p: f64, inversion: &Inversion) -> bool {
        let x = self.inversion(inversion);
        if p <= 0.5 {
            x
        } else {
            !x
        }
    }

    /// `random_binomial_inversion` with `n = 1`, whose bound is 1: a result above 1 (reachable
    /// only through rounding) restarts with a fresh double.
    fn inversion(&mut self, c: &Inversion) -> bool {
        let mut x = 0;
        let mut px = c.qn;
        let mut u = self.pcg.next_double();
        while u > px {
            x += 1;
            if x > 1 {
                x = 0;
                px = c.qn;
                u = self.pcg.next_double();
            } else {
                // numpy: `px = ((n - X + 1) * p * px) / (X * q)`, here with n = X = 1.
                u -= px;
                px = (c.p * px) / c.q;
            }
        }
        x == 1
    }

    /// `buffered_bounded_lemire_uint32` for the range `[0, n)`, `2 <= n`.
    fn lemire(&mut self, n: u32) -> u32 {
        let n64 = u64::from(n);
        let mut m = u64::from(self.pcg.next_u32()) * n64;
        if (m as u32) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u32) < threshold {
                m = u64::from(self.pcg.next_u32()) * n64;
            }
        }
        (m >> 32) as u32
    }
}

/// The constants `random_binomial_inversion` caches for one probability.
struct Inversion {
    p: f64,
    q: f64,
    qn: f64,
}

impl Inversion {
    /// For `random_binomial(1, p)`: inversion runs on `p` itself up to one half, on `1 - p` above.
    fn for_probability(p: f64) -> Self {
        let p = if p <= 0.5 { p } else { 1.0 - p };
        let q = 1.0 - p;
        // numpy: `exp(n * log(q))` with n = 1, through the platform's libm.
        Self { p, q, qn: q.ln().exp() }
    }
}

impl MaskRng for NumpyRng {
    fn bernoulli(&mut self, p: f64, eligible: Option<&[bool]>, out: &mut [bool]) {
        // `Generator.binomial(1, P)` visits P in C order; a cell with probability 0 returns 0
        // without drawing (transformers zeroes P at special and padding cells).
        if p == 0.0 {
            out.fill(false);
            return;
        }
        let inversion = Inversion::for_probability(p);
        for (i, cell) in out.iter_mut().enumerate() {
            *cell = eligible.is_none_or(|e| e[i]) && self.binomial_one(p, &inversion);
        }
    }

    fn uniform_below(&mut self, n: u32, chosen: &[bool], out: &mut [u32]) {
        // `integers(0, n, size=count_nonzero(chosen))`, assigned to the chosen cells in C order.
        // n = 1 is numpy's `rng == 0` case: the value is 0 and nothing is drawn.
        for (cell, _) in out.iter_mut().zip(chosen).filter(|(_, &c)| c) {
            *cell = if n <= 1 { 0 } else { self.lemire(n) };
        }
    }
}

/// `SeedSequence(seed).generate_state(4, np.uint64)`: numpy's hash-mix seeding (pool of four
/// 32-bit words), for an integer entropy and no spawn key.
fn seed_sequence_state(seed: u64) -> [u64; 4] {
    const INIT_A: u32 = 0x43b0_d7e5;
    const MULT_A: u32 = 0x931e_8875;
    const INIT_B: u32 = 0x8b51_f9dd;
    const MULT_B: u32 = 0x58f3_8ded;
    const MIX_MULT_L: u32 = 0xca01_f9dd;
    const MIX_MULT_R: u32 = 0x4973_f715;
    const XSHIFT: u32 = 16;
    const POOL_SIZE: usize = 4;

    fn hashmix(value: u32, hash_const: &mut u32) -> u32 {
        let mut value = value ^ *hash_const;
        *hash_const = hash_const.wrapping_mul(MULT_A);
        value = value.wrapping_mul(*hash_const);
        value ^ (value >> XSHIFT)
    }
    fn mix(x: u32, y: u32) -> u32 {
        let result = MIX_MULT_L.wrapping_mul(x).wrapping_sub(MIX_MULT_R.wrapping_mul(y));
        result ^ (result >> XSHIFT)
    }

    // `_int_to_uint32_array`: little-endian 32-bit words, [0] for zero.
    let entropy: Vec<u32> = if seed >> 32 == 0 { vec![seed as u32] } else { vec![seed as u32, (seed >> 32) as u32] };

    let mut pool = [0u32; POOL_SIZE];
    let mut hash_const = INIT_A;
    for (i, word) in pool.iter_mut().enumerate() {
        *word = hashmix(entropy.get(i).copied().unwrap_or(0), &mut hash_const);
    }
    for src in 0..POOL_SIZE {
        for dst in 0..POOL_SIZE {
            if src != dst {
                pool[dst] = mix(pool[dst], hashmix(pool[src], &mut hash_const));
            }
        }
    }
    // (Entropy longer than the pool would be mixed in here; a u64 seed has at most two words.)

    let mut hash_const = INIT_B;
    let mut words = [0u32; 2 * 4];
    for (i, out) in words.iter_mut().enumerate() {
        let mut value = pool[i % POOL_SIZE] ^ hash_const;
        hash_const = hash_const.wrapping_mul(MULT_B);
        value = value.wrapping_mul(hash_const);
        *out = value ^ (value >> XSHIFT);
    }
    std::array::from_fn(|k| u64::from(words[2 * k]) | (u64::from(words[2 * k + 1]) << 32))
}

/// PCG64 (`pcg_setseq_128` with the XSL-RR output), with numpy's buffered 32-bit draws.
#[derive(Debug, Clone)]
struct Pcg64 {
    state: u128,
    inc: u128,
    /// numpy keeps the unused high half of a 64-bit output for the next 32-bit draw. The buffer
    /// is part of the bit generator's state, so it carries over between calls.
    buffered: Option<u32>,
}

const PCG_MULTIPLIER: u128 = (0x2360_ed05_1fc6_5da4 << 64) | 0x4385_df64_9fcc_f645;

impl Pcg64 {
    /// `pcg_setseq_128_srandom_r(initstate, initseq)`.
    fn new(initstate: u128, initseq: u128) -> Self {
        let mut pcg = Self { state: 0, inc: (initseq << 1) | 1, buffered: None };
        pcg.step();
        pcg.state = pcg.state.wrapping_add(initstate);
        pcg.step();
        pcg
    }

    fn step(&mut self) {
        self.state = self.state.wrapping_mul(PCG_MULTIPLIER).wrapping_add(self.inc);
    }

    /// Advance, then XSL-RR of the new state.
    fn next_u64(&mut self) -> u64 {
        self.step();
        let hi = (self.state >> 64) as u64;
        let lo = self.state as u64;
        (hi ^ lo).rotate_right((hi >> 58) as u32)
    }

    /// The low half of a fresh output, or the high half kept from the previous one.
    fn next_u32(&mut self) -> u32 {
        if let Some(high) = self.buffered.take() {
            return high;
        }
        let next = self.next_u64();
        self.buffered = Some((next >> 32) as u32);
        next as u32
    }

    /// `(next64 >> 11) * 2^-53`; leaves the 32-bit buffer alone.
    fn next_double(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / 9_007_199_254_740_992.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Reference values from numpy 2.5.5:
    // `np.random.SeedSequence(seed).generate_state(4, np.uint64)`, `PCG64(seed).state`,
    // `PCG64(seed).random_raw(3)`.
    /// seed, SeedSequence words, PCG64 state and increment, first raw outputs.
    type Reference = (u64, [u64; 4], u128, u128, [u64; 3]);
    const SEEDS: [Reference; 4] = [
        (
            0,
            [0xdb2cd7e7b0f478be, 0xabf4641a2c71ba49, 0x20c6ed6d9d7b8d41, 0x2c4099de223c39d4],
            0x1aa1b5345996452d09585eb7a69561e3,
            0x418ddadb3af71a82588133bc447873a9,
            [0xa30febcfd9c2825f, 0x4510bdf882d9d721, 0x0a7d3da94ecde8b8],
        ),
        (
            42,
            [0x9f1e2e6dcd540ab7, 0xd57873dc79fb94b6, 0x7d282a1b64d420b7, 0x336579714692d5ff],
            0xcea44f6798798f2aacbc7c9d68860ac8,
            0xfa505436c9a8416e66caf2e28d25abff,
            [0xc621fbcd16d92688, 0x705a5661a791ffc1, 0xdbcd12c26eda1624],
        ),
        (
            (1 << 40) + 5,
            [0xdae41755e08a170b, 0x8415abe87ecdcb2c, 0x2525c5b44b9118d0, 0x42c2793f3392bed3],
            0xd972711564fcbcf2a1511cb73ed6e086,
            0x4a4b8b68972231a08584f27e67257da7,
            [0x01369aef039fedeb, 0x5f61b40473314316, 0x9654aaeeea6ebe77],
        ),
        (
            (1 << 53) - 1,
            [0x45c58f7ac8bc31b9, 0xbda44026906218be, 0x42e42f9b5faaa96f, 0xa4601012888596c9],
            0x8dd8e9890636fb4825e34a0aec9cf768,
            0x85c85f36bf5552df48c02025110b2d93,
            [0xc948dddc0fcf0895, 0x9b36b064d3d8a891, 0x89a0c668d784663b],
        ),
    ];

    #[test]
    fn seed_sequence_pcg64_state_and_raw_outputs_match_numpy() {
        for (seed, words, state, inc, raw) in SEEDS {
            assert_eq!(seed_sequence_state(seed), words, "SeedSequence({seed})");
            let mut rng = NumpyRng::from_seed(seed);
            assert_eq!((rng.pcg.state, rng.pcg.inc), (state, inc), "PCG64({seed}).state");
            assert_eq!([rng.pcg.next_u64(), rng.pcg.next_u64(), rng.pcg.next_u64()], raw, "random_raw({seed})");
        }
    }

    #[test]
    fn binomial_skips_zero_probabilities_and_inverts_above_one_half() {
        // g = default_rng(0); g.binomial(1, [0.15, 0, 0.15, 0.15, 0, 0.8, 0.5000000000000001, 1.0, 0.15, 0.15])
        // -> [0, 0, 0, 0, 0, 1, 0, 1, 0, 0]
        let ps = [0.15, 0.0, 0.15, 0.15, 0.0, 0.8, 0.5000000000000001, 1.0, 0.15, 0.15];
        let mut rng = NumpyRng::from_seed(0);
        let got: Vec<bool> = ps
            .iter()
            .map(|&p| {
                let mut cell = [false];
                rng.bernoulli(p, None, &mut cell);
                cell[0]
            })
            .collect();
        let expected = [false, false, false, false, false, true, false, true, false, false];
        assert_eq!(got, expected);
    }

    #[test]
    fn integers_use_lemire_on_a_buffer_that_outlives_the_call() {
        // g = default_rng(0); g.integers(0, 30522, size=6, dtype=np.int64)
        let expected = [25962, 19441, 15600, 8234, 9395, 1250];
        let mut rng = NumpyRng::from_seed(0);
        let mut out = [0u32; 6];
        rng.uniform_below(30522, &[true; 6], &mut out);
        assert_eq!(out, expected);

        // g = default_rng(5): two calls of size 1 give what one call of size 2 gives ([670, 805]),
        // because the high half of the first 64-bit output waits in the bit generator's state.
        let mut rng = NumpyRng::from_seed(5);
        let (mut a, mut b) = ([0u32], [0u32]);
        rng.uniform_below(1000, &[true], &mut a);
        rng.uniform_below(1000, &[true], &mut b);
        assert_eq!([a[0], b[0]], [670, 805]);
    }
}
