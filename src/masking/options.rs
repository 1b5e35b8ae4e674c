//! The options of a [`Masker`](super::Masker), as a caller writes them, with transformers'
//! defaults. [`MaskingOptions::validate`](super::MaskingConfig) checks them once.

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;

use super::strategy::StrategyOptions;
use crate::rng::RngKind;
use crate::schema::{Kind, OptionSet, Param, Value};

/// Which ids a random replacement is drawn from.
///
/// Deserializes from `"vocab"`, `"nonSpecial"` or `{ "weights": [...] }`.
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

impl RandomTokens {
    /// The names of the variants without data, in serde's spelling.
    pub const NAMES: [&'static str; 2] = ["vocab", "nonSpecial"];

    /// The key of the [`RandomTokens::Weights`] object.
    const WEIGHTS: &'static str = "weights";

    /// serde's name for a variant without data.
    pub fn name(&self) -> Option<&'static str> {
        match self {
            Self::Vocab => Some(Self::NAMES[0]),
            Self::NonSpecial => Some(Self::NAMES[1]),
            Self::Weights(_) => None,
        }
    }

    /// The parameters of the weights object (see [`crate::schema`]).
    pub fn weights_option_set() -> OptionSet {
        let weights = Param::of(Self::WEIGHTS, Kind::List { items: Box::new(Kind::Number) }).required().at_least(0.0);
        OptionSet { name: "RandomTokens::Weights", params: vec![weights] }
    }
}

impl<'de> Deserialize<'de> for RandomTokens {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct RandomTokensVisitor;

        impl<'de> Visitor<'de> for RandomTokensVisitor {
            type Value = RandomTokens;

            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                write!(
                    f,
                    "\"{}\", \"{}\" or {{ {}: [...] }} with one weight per id of the vocabulary",
                    RandomTokens::NAMES[0],
                    RandomTokens::NAMES[1],
                    RandomTokens::WEIGHTS
                )
            }

            fn visit_str<E: de::Error>(self, value: &str) -> Result<RandomTokens, E> {
                [RandomTokens::Vocab, RandomTokens::NonSpecial]
                    .into_iter()
                    .find(|v| v.name() == Some(value))
                    .ok_or_else(|| E::invalid_value(de::Unexpected::Str(value), &self))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RandomTokens, A::Error> {
                let mut weights = None;
                while let Some(key) = map.next_key::<String>()? {
                    if key != RandomTokens::WEIGHTS {
                        return Err(de::Error::unknown_field(&key, &[RandomTokens::WEIGHTS]));
                    }
                    weights = Some(map.next_value::<Vec<f32>>()?);
                }
                weights.map(RandomTokens::Weights).ok_or_else(|| {
                    de::Error::custom(format_args!(
                        "an object needs `{}`, one weight per id of the vocabulary; or use \"{}\" or \"{}\"",
                        RandomTokens::WEIGHTS,
                        RandomTokens::NAMES[0],
                        RandomTokens::NAMES[1]
                    ))
                })
            }
        }

        deserializer.deserialize_any(RandomTokensVisitor)
    }
}

/// Which positions count as special, and so are never selected. Padding (attention mask 0) is
/// never selected in either mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
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

/// The options of a [`Masker`], with transformers' defaults. serde (and so JavaScript) spells
/// them in camelCase (`mlmProbability`, ...).
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
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
    /// Deserializes from a number (see [`crate::rng::seed_from_number`]).
    #[serde(deserialize_with = "crate::rng::deserialize_seed")]
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
    /// Independently masked copies of each row (data2vec 2.0's multi-mask; RoBERTa's dynamic
    /// masking seen at once): `mask` and `collate` return `batch_size * views` rows, the views
    /// of one row adjacent, masked as the batch with each row repeated `views` times would be.
    pub views: usize,
}

/// The most views [`MaskingOptions::views`] allows.
pub const MAX_VIEWS: usize = 1024;

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
            views: 1,
        }
    }
}

impl MaskingOptions {
    /// The parameters (see [`crate::schema`]); the ranges are the ones
    /// [`MaskingOptions::validate`] accepts.
    pub fn option_set() -> OptionSet {
        let d = Self::default();
        let probability = |name, value| Param::number(name, value).within(0.0, 1.0);
        let random_tokens = Kind::Either {
            kinds: vec![
                Kind::Enum { values: RandomTokens::NAMES.to_vec() },
                Kind::Object { set: "RandomTokens::Weights" },
            ],
        };
        OptionSet {
            name: "MaskingOptions",
            params: vec![
                Param::boolean("mlm", d.mlm),
                probability("mlmProbability", d.mlm_probability),
                probability("maskReplaceProb", d.mask_replace_prob),
                probability("randomReplaceProb", d.random_replace_prob),
                Param::of("randomTokens", random_tokens)
                    .default_value(Value::String(d.random_tokens.name().expect("the default random tokens are named"))),
                Param::of("seed", Kind::Integer).within(0.0, crate::rng::MAX_SAFE_SEED as f64),
                Param::of("padToMultipleOf", Kind::Integer).at_least(1.0),
                Param::of("strategy", Kind::Object { set: "StrategyOptions" }),
                Param::choice::<RngKind>("rng", d.rng as usize),
                Param::choice::<SpecialTokens>("specialTokens", d.special_tokens as usize),
                Param::of("neverSelect", Kind::List { items: Box::new(Kind::Integer) })
                    .default_value(Value::List(Vec::new())),
                Param::integer("views", d.views).within(1.0, MAX_VIEWS as f64),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<MaskingOptions, String> {
        serde_json::from_str(json).map_err(|e| e.to_string())
    }

    #[test]
    fn random_tokens_deserialize_from_a_name_or_weights() {
        assert_eq!(parse(r#"{"randomTokens": "nonSpecial"}"#).unwrap().random_tokens, RandomTokens::NonSpecial);
        assert_eq!(
            parse(r#"{"randomTokens": {"weights": [0, 1.5]}}"#).unwrap().random_tokens,
            RandomTokens::Weights(vec![0.0, 1.5])
        );
        // Regression: an object without weights used to get another call's message.
        assert!(parse(r#"{"randomTokens": {}}"#).unwrap_err().starts_with(
            "an object needs `weights`, one weight per id of the vocabulary; or use \"vocab\" or \"nonSpecial\""
        ));
        assert!(parse(r#"{"randomTokens": {"weights": [], "scale": 1}}"#)
            .unwrap_err()
            .starts_with("unknown field `scale`, expected `weights`"));
        assert!(parse(r#"{"randomTokens": "all"}"#).unwrap_err().starts_with(
            "invalid value: string \"all\", expected \"vocab\", \"nonSpecial\" or { weights: [...] } with one weight per id of the vocabulary"
        ));
    }

    #[test]
    fn seeds_are_exact_non_negative_integers() {
        assert_eq!(parse(r#"{"seed": 42}"#).unwrap().seed, Some(42));
        assert_eq!(parse(r#"{"seed": 9007199254740991}"#).unwrap().seed, Some(crate::rng::MAX_SAFE_SEED));
        for bad in ["1.5", "-1", "9007199254740992"] {
            let message = parse(&format!(r#"{{"seed": {bad}}}"#)).unwrap_err();
            assert!(message.contains("expected a non-negative integer no larger than 2^53 - 1"), "{message}");
        }
    }

    #[test]
    fn unknown_options_are_refused_with_the_valid_ones() {
        assert!(parse(r#"{"mlmProbabilty": 0.2}"#)
            .unwrap_err()
            .starts_with("unknown field `mlmProbabilty`, expected one of `mlm`, `mlmProbability`, "));
    }
}
