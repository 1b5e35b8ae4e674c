//! Random streams behind one small trait, so that the masking strategies never see which
//! generator they draw from.
//!
//! The trait speaks in the shapes transformers' collator draws in: a Bernoulli draw over the
//! whole batch grid, and uniform ids for chosen cells. An exact port of numpy's or torch's
//! stream only has to reproduce those two calls (numpy skips cells whose probability is 0 and
//! draws ids for the chosen cells only; torch draws for every cell), and the strategies stay as
//! they are.

mod numpy;
mod torch;
mod xoshiro;

pub use numpy::NumpyRng;
pub use torch::TorchRng;
pub use xoshiro::MlmaskRng;

use crate::error::{Error, Result};

/// The random draws a masking strategy needs.
pub trait MaskRng {
    /// For every cell of a row-major grid: `out[i] = Bernoulli(p)` where `eligible[i]` is true,
    /// and `out[i] = false` where it is false (probability 0 there). `eligible == None` means
    /// every cell is eligible. `p` is already validated to lie in [0, 1].
    fn bernoulli(&mut self, p: f64, eligible: Option<&[bool]>, out: &mut [bool]);

    /// For every cell where `chosen[i]` is true, write a uniform integer in `[0, n)` to
    /// `out[i]`; other cells are left alone. Cells are visited in row-major order. `n >= 1`.
    fn uniform_below(&mut self, n: u32, chosen: &[bool], out: &mut [u32]);

    /// Whether a strategy must draw over the whole grid even where the outcome cannot matter,
    /// as numpy's and torch's `bernoulli` on a full tensor do (the parity streams reproduce
    /// those draws). mlmask's own stream draws only where it matters, which is faster.
    fn draws_full_grid(&self) -> bool {
        true
    }

    /// A uniform double in [0, 1), for the strategies that sample lengths, anchors and
    /// shuffles. The default builds 53 bits from two [`MaskRng::uniform_below`] draws; a stream
    /// with a native double overrides it.
    fn next_unit(&mut self) -> f64 {
        let mut high = [0u32];
        let mut low = [0u32];
        self.uniform_below(1 << 26, &[true], &mut high);
        self.uniform_below(1 << 27, &[true], &mut low);
        ((u64::from(high[0]) << 27) | u64::from(low[0])) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// Which random stream a masker draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub enum RngKind {
    /// mlmask's own fast stream ([`MlmaskRng`]).
    #[default]
    Mlmask,
    /// numpy's `np.random.default_rng(seed)` ([`NumpyRng`]): the masks of transformers'
    /// collator with `seed` and `return_tensors="np"`, bit for bit.
    Numpy,
    /// torch's `torch.Generator().manual_seed(seed)` ([`TorchRng`]): the masks of transformers'
    /// collator with `seed` and `return_tensors="pt"`, bit for bit.
    Torch,
}

/// A stream of `kind` started from `seed`.
pub fn seeded(kind: RngKind, seed: u64) -> Box<dyn MaskRng> {
    match kind {
        RngKind::Mlmask => Box::new(MlmaskRng::from_seed(seed)),
        RngKind::Numpy => Box::new(NumpyRng::from_seed(seed)),
        RngKind::Torch => Box::new(TorchRng::from_seed(seed)),
    }
}

/// The largest integer a JavaScript number holds exactly; seeds above it could not round-trip.
pub const MAX_SAFE_SEED: u64 = (1 << 53) - 1;

/// A seed written as a number (a JavaScript number, a JSON number): a non-negative integer no
/// larger than [`MAX_SAFE_SEED`], so that it is exact.
pub fn seed_from_number(value: f64) -> Result<u64> {
    if value.fract() != 0.0 || !(0.0..=MAX_SAFE_SEED as f64).contains(&value) {
        return Err(Error::InvalidSeed(value));
    }
    Ok(value as u64)
}

/// Deserialize an optional seed from any number, checked by [`seed_from_number`].
pub(crate) fn deserialize_seed<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    use serde::de::{Deserialize, Error as _, Unexpected};
    let Some(value) = Option::<f64>::deserialize(deserializer)? else { return Ok(None) };
    seed_from_number(value).map(Some).map_err(|_| {
        let unexpected = if value.fract() == 0.0 { Unexpected::Signed(value as i64) } else { Unexpected::Float(value) };
        D::Error::invalid_value(unexpected, &"a non-negative integer no larger than 2^53 - 1")
    })
}

/// A seed for the default stream, from the system's entropy source
/// (`crypto.getRandomValues` in browsers).
pub fn entropy_seed() -> Result<u64> {
    getrandom::u64().map_err(|e| Error::Entropy(e.to_string()))
}
