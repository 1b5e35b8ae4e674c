//! The options of a [`Masker`](super::Masker), as a caller writes them, with transformers'
//! defaults. [`MaskingOptions::validate`](super::MaskingConfig) checks them once.

use super::strategy::StrategyOptions;
use crate::rng::RngKind;

/// Which ids a random replacement is drawn from.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum RandomTokens {
    /// Uniform over `[0, len(tokenizer))`, specials included: transformers' behaviour.
    #[default]
    Vocab,
    /// Uniform over the ids that are not special added tokens: fairseq's behaviour.
    NonSpecial,
    /// Each id with a probability proportional to its weight (one weight per id of the
    /// vocabulary): fairseq's `freq_weighted_replacement`, with corpus counts as weights.
    Weights(Vec<f32>),
}

/// Which positions count as special, and so are never selected. Padding (attention mask 0) is
/// never selected in either mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpecialTokens {
    /// The encoding's special-tokens mask: the tokens the post-processor added ([CLS], [SEP],
    /// <s>, ...). transformers' path for dict examples that carry `special_tokens_mask`
    /// (`tokenizer(..., return_special_tokens_mask=True)`), where padding counts as special.
    #[default]
    Mask,
    /// Every position whose id is a special id: the tokenizer's added tokens flagged special,
    /// plus its pad and mask tokens. transformers' path for id lists, or for dicts without
    /// `special_tokens_mask` (`get_special_tokens_mask(already_has_special_tokens=True)`, that is
    /// `id in all_special_ids`): an [UNK] or a literal `[MASK]` in the text is never selected.
    Ids,
}

/// The options of a [`Masker`], with transformers' defaults. JavaScript spells them in
/// camelCase (`mlmProbability`, ...).
#[derive(Debug, Clone, PartialEq)]
pub struct MaskingOptions {
    /// `mlm`: false makes labels a copy of the ids (causal LM), with -100 on padding.
    pub mlm: bool,
    /// `mlm_probability`: the chance that an eligible token is selected.
    pub mlm_probability: f64,
    /// `mask_replace_prob`: the share of selected tokens replaced by the mask token.
    pub mask_replace_prob: f64,
    /// `random_replace_prob`: the share of selected tokens replaced by a random id.
    pub random_replace_prob: f64,
    /// Which ids random replacement draws from.
    pub random_tokens: RandomTokens,
    /// `seed`: a fixed seed makes the masker deterministic; `None` draws one from the system.
    pub seed: Option<u64>,
    /// `pad_to_multiple_of`, used by [`Masker::collate`].
    pub pad_to_multiple_of: Option<usize>,
    /// The masking scheme.
    pub strategy: StrategyOptions,
    /// The random stream.
    pub rng: RngKind,
    /// Which positions count as special.
    pub special_tokens: SpecialTokens,
    /// Ids that are never selected, whatever the strategy (besides special tokens and padding).
    pub never_select: Vec<u32>,
}

impl Default for MaskingOptions {
    fn default() -> Self {
        Self {
            mlm: true,
            mlm_probability: 0.15,
            mask_replace_prob: 0.8,
            random_replace_prob: 0.1,
            random_tokens: RandomTokens::Vocab,
            seed: None,
            pad_to_multiple_of: None,
            strategy: StrategyOptions::Token,
            rng: RngKind::Mlmask,
            special_tokens: SpecialTokens::Mask,
            never_select: Vec::new(),
        }
    }
}
