//! UL2's mixture of denoisers (Tay et al. 2022, "UL2: Unifying Language Learning Paradigms";
//! reference code: NeMo's `ul2_dataset.py`, levanter's `ul2r.py`, and the `ul2_objective` of
//! t5x/seqio that both follow). Each row draws one denoiser from the configured weights:
//!
//! - **R** (regular) and **X** (extreme) are T5 span corruption with their own mean span
//!   length and noise density: the same `random_spans_noise_mask`, sentinels and target layout
//!   as [`T5SpanCorruption`](super::T5SpanCorruption).
//! - **S** (sequential) is a prefix-LM split: the encoder keeps a prefix, the target is the
//!   rest followed by EOS, with no sentinel. The split is t5's `random_prefix_noise_mask`: of
//!   `n` text tokens the prefix keeps `k` drawn uniformly from
//!   `max(1, round((1 - 2 * noise_density) * (n - 1)))` to `n - 1`, so the target is about
//!   `noise_density` of the text (NeMo's `T5LMAdaptedDataset` draws the split uniformly over the
//!   whole row, which is `noise_density: 0.5`).
//!
//! The denoiser's mode token (UL2's paradigm tokens `[NLU]`, `[NLG]`, `[S2S]`, or any text) is
//! prepended to the encoder input, as NeMo's `_prepend_mask_type_token` does. It is tokenized as
//! text, as the released UL2 checkpoints read it: one id where the vocabulary has it as a
//! token, its pieces otherwise; `""` prepends nothing.
//!
//! The defaults are the paper's seven denoisers (section 3.1.4), weighted equally: R with
//! (mean 3, 15 %) and (8, 15 %); X with (3, 50 %), (8, 50 %), (64, 15 %) and (64, 50 %); S with
//! 25 %.

use serde::Deserialize;

use super::t5::{check_noise, noise_mask, text_of_rows, Corrupted, SentinelTokens};
use super::BuildContext;
use crate::error::{Error, Result};
use crate::masking::sample;
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Strategy};
use crate::rng::MaskRng;
use crate::schema::{Kind, OptionSet, Param};

/// The three denoiser families of UL2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DenoiserKind {
    /// Regular span corruption (T5's).
    R,
    /// Extreme span corruption: long spans, a high noise density, or both.
    X,
    /// Sequential: a prefix-LM split.
    S,
}

impl DenoiserKind {
    /// The name serde gives it.
    pub fn name(self) -> &'static str {
        match self {
            Self::R => "r",
            Self::X => "x",
            Self::S => "s",
        }
    }

    /// The paradigm token UL2 prepends for this family.
    pub fn default_mode_token(self) -> &'static str {
        match self {
            Self::R => "[NLU]",
            Self::X => "[NLG]",
            Self::S => "[S2S]",
        }
    }

    /// The noise density when none is given: 15 % for R, 50 % for X, 25 % for S.
    pub fn default_noise_density(self) -> f64 {
        match self {
            Self::R => 0.15,
            Self::X => 0.5,
            Self::S => 0.25,
        }
    }
}

/// One denoiser of the mixture.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Denoiser {
    /// Its family.
    pub kind: DenoiserKind,
    /// The mean noise span length, in tokens (R and X). Default 3.
    #[serde(default = "default_mean_span_length")]
    pub mean_span_length: f64,
    /// The share of text tokens that are noise (for S: the expected share of the target).
    /// Default: the family's ([`DenoiserKind::default_noise_density`]).
    #[serde(default)]
    pub noise_density: Option<f64>,
    /// Its weight in the per-row draw. Default 1.
    #[serde(default = "default_weight")]
    pub weight: f64,
    /// The text prepended to the encoder input. Default: the family's paradigm token; `""`
    /// prepends nothing.
    #[serde(default)]
    pub mode_token: Option<String>,
}

fn default_mean_span_length() -> f64 {
    3.0
}

fn default_weight() -> f64 {
    1.0
}

impl Denoiser {
    /// A denoiser with the family's noise density and mode token, weight 1.
    pub fn new(kind: DenoiserKind, mean_span_length: f64, noise_density: f64) -> Self {
        Self { kind, mean_span_length, noise_density: Some(noise_density), weight: 1.0, mode_token: None }
    }

    /// The parameters (see [`crate::schema`]).
    pub fn option_set() -> OptionSet {
        OptionSet {
            name: "Ul2Denoiser",
            params: vec![
                Param::of("kind", Kind::Enum { values: vec!["r", "x", "s"] }).required(),
                Param::number("meanSpanLength", default_mean_span_length()).at_least(1.0),
                Param::of("noiseDensity", Kind::Number).within(0.0, 1.0),
                Param::number("weight", default_weight()).at_least(0.0),
                Param::of("modeToken", Kind::String),
            ],
        }
    }

    fn noise_density(&self) -> f64 {
        self.noise_density.unwrap_or(self.kind.default_noise_density())
    }

    /// Its name in results: the family and its parameters.
    pub fn name(&self) -> String {
        match self.kind {
            DenoiserKind::S => format!("s: noise {}", self.noise_density()),
            kind => format!("{}: mean {}, noise {}", kind.name(), self.mean_span_length, self.noise_density()),
        }
    }
}

/// Options of [`Ul2`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct Ul2Options {
    /// The mixture.
    pub denoisers: Vec<Denoiser>,
}

impl Default for Ul2Options {
    fn default() -> Self {
        use DenoiserKind::{R, S, X};
        Self {
            denoisers: vec![
                Denoiser::new(R, 3.0, 0.15),
                Denoiser::new(R, 8.0, 0.15),
                Denoiser::new(X, 3.0, 0.5),
                Denoiser::new(X, 8.0, 0.5),
                Denoiser::new(X, 64.0, 0.15),
                Denoiser::new(X, 64.0, 0.5),
                Denoiser::new(S, 3.0, 0.25),
            ],
        }
    }
}

/// The most denoisers a mixture may have: the per-row choice is returned as a `u8`.
const MAX_DENOISERS: usize = 255;

impl Ul2Options {
    /// The parameters, with the ranges [`Ul2::new`] accepts. `denoisers` has no default in the
    /// catalog: absent, it is the paper's seven.
    pub fn params() -> Vec<Param> {
        vec![Param::of("denoisers", Kind::List { items: Box::new(Kind::Object { set: "Ul2Denoiser" }) })]
    }
}

/// The UL2 strategy.
#[derive(Debug, Clone)]
pub struct Ul2 {
    denoisers: Vec<Denoiser>,
    /// The ids of each denoiser's mode token.
    mode_ids: Vec<Vec<u32>>,
    /// Cumulative weights of the denoisers.
    cdf: Vec<f64>,
    tokens: SentinelTokens,
}

impl Ul2 {
    /// Check the mixture, find the sentinels and tokenize the mode tokens.
    pub fn new(options: &Ul2Options, context: &BuildContext) -> Result<Self> {
        let count = options.denoisers.len();
        if count == 0 || count > MAX_DENOISERS {
            return Err(Error::InvalidParameter {
                name: "denoisers",
                requirement: "must list from 1 to 255 denoisers",
                value: count.to_string(),
            });
        }
        for d in &options.denoisers {
            check_noise(d.noise_density(), d.mean_span_length)?;
            if !(d.weight.is_finite() && d.weight >= 0.0) {
                return Err(Error::InvalidParameter {
                    name: "weight",
                    requirement: "of a denoiser must be a finite number of at least 0",
                    value: d.weight.to_string(),
                });
            }
        }
        let cdf = sample::cumulative(options.denoisers.iter().map(|d| d.weight));
        if cdf.last().is_none_or(|&total| total <= 0.0) {
            return Err(Error::InvalidParameter {
                name: "denoisers",
                requirement: "need a positive weight between them",
                value: "weights that add up to 0".into(),
            });
        }
        let mode_ids = options
            .denoisers
            .iter()
            .map(|d| {
                context.text_ids(d.mode_token.as_deref().unwrap_or(d.kind.default_mode_token()), "ul2", "mode_token")
            })
            .collect::<Result<_>>()?;
        Ok(Self {
            denoisers: options.denoisers.clone(),
            mode_ids,
            cdf,
            tokens: SentinelTokens::find(context.vocab, "ul2")?,
        })
    }
}

/// Which of `length` tokens are the target of a prefix-LM split: t5's
/// `random_prefix_noise_mask`.
pub(super) fn prefix_noise_mask(length: usize, noise_density: f64, rng: &mut dyn MaskRng) -> Vec<bool> {
    if length == 0 {
        return Vec::new();
    }
    let max_input = length - 1;
    let min_input = sample::round_half_even((1.0 - 2.0 * noise_density) * max_input as f64).max(1).min(max_input);
    let kept = min_input + sample::index_below(rng, max_input - min_input + 1);
    (0..length).map(|i| i >= kept).collect()
}

impl Strategy for Ul2 {
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let mut corrupted = Corrupted::new(input);
        let mut chosen = Vec::with_capacity(input.batch_size);
        for (row, text) in text_of_rows(input, config).into_iter().enumerate() {
            let index = sample::from_cdf(rng, &self.cdf);
            let d = &self.denoisers[index];
            let mask = match d.kind {
                DenoiserKind::S => prefix_noise_mask(text.len(), d.noise_density(), rng),
                DenoiserKind::R | DenoiserKind::X => noise_mask(text.len(), d.noise_density(), d.mean_span_length, rng),
            };
            let noise: Vec<usize> = text.iter().zip(&mask).filter(|(_, &n)| n).map(|(&i, _)| i).collect();
            let sentinels = d.kind != DenoiserKind::S;
            corrupted.row(input, row, &noise, &self.tokens, sentinels, &self.mode_ids[index], "ul2", &mut out)?;
            chosen.push(index as u8);
        }
        corrupted.finish(&self.tokens, &mut out)?;
        out.denoiser = Some(chosen);
        out.denoiser_names = Some(self.denoisers.iter().map(Denoiser::name).collect());
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::masking::sample::{chi_square, cumulative, CHI_SQUARE_999};
    use crate::rng::MlmaskRng;

    #[test]
    fn prefix_splits_are_uniform_over_t5s_range() {
        // 21 tokens, density 0.25: the prefix keeps round(0.5 * 20) = 10 to 20 tokens.
        let mut rng = MlmaskRng::from_seed(5);
        let cdf = cumulative([1.0; 11]);
        let kept = |mask: Vec<bool>| mask.iter().filter(|&&n| !n).count();
        let (stat, df) = chi_square(&cdf, (0..20_000).map(|_| kept(prefix_noise_mask(21, 0.25, &mut rng)) - 10));
        assert_eq!(df, 10);
        assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df");
        for mask in (0..100).map(|_| prefix_noise_mask(21, 0.25, &mut rng)) {
            let first = mask.iter().position(|&n| n).unwrap();
            assert!(mask[first..].iter().all(|&n| n), "the target is a suffix");
        }
        assert_eq!(prefix_noise_mask(1, 0.25, &mut rng), [true]);
        assert_eq!(prefix_noise_mask(2, 0.25, &mut rng), [false, true]);
    }

    #[test]
    fn names_say_the_family_and_its_parameters() {
        let names: Vec<String> = Ul2Options::default().denoisers.iter().map(Denoiser::name).collect();
        assert_eq!(names[0], "r: mean 3, noise 0.15");
        assert_eq!(names[5], "x: mean 64, noise 0.5");
        assert_eq!(names[6], "s: noise 0.25");
    }
}
