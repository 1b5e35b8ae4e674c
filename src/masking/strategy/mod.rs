//! The masking schemes, one per file, each implementing [`Strategy`], and the tagged
//! [`StrategyOptions`] that chooses one and carries its parameters.

mod bart;
mod exact_count;
mod fim;
mod lexicon;
mod ngram;
mod span;
mod t5;
mod token;
mod ul2;
mod whole_word;

pub use bart::{BartInfilling, BartOptions};
pub use exact_count::{ExactCount, ExactCountOptions};
pub use fim::{Fim, FimLevel, FimOptions, FimTokens};
pub use lexicon::{LexiconEntry, LexiconSpans, LexiconSpansOptions};
pub use ngram::{Ngram, NgramOptions};
pub use span::{Span, SpanOptions};
pub use t5::{T5Options, T5SpanCorruption};
pub use token::TokenStrategy;
pub use ul2::{Denoiser, DenoiserKind, Ul2, Ul2Options};
pub use whole_word::{Selection, WholeWord, WholeWordOptions};

use super::config::MaskingConfig;
use super::input::MaskInput;
use super::output::MaskedBatch;
use super::words::WordBoundary;
use crate::encoding::{EncodeOptions, OffsetUnit, Setting};
use crate::error::Error;
use crate::error::Result;
use crate::rng::MaskRng;
use crate::schema::OptionSet;
use crate::tokenize::{Tokenizer, VocabInfo};

/// One masking scheme. Implementations live one per file in this module.
pub trait Strategy: std::fmt::Debug {
    /// Select and replace tokens of `input`. `config.eligible(input)` tells which positions may
    /// be selected.
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch>;

    /// The id rows are padded with when it is not the tokenizer's pad token (FIM's `<fim_pad>`).
    fn pad_id(&self) -> Option<u32> {
        None
    }
}

/// The masking scheme and its parameters. Each scheme is implemented in its own file.
///
/// Deserializes from an object whose `type` names the scheme (camelCase: `"token"`,
/// `"exactCount"`, ...) beside its parameters, as `tokenizers` reads its components.
#[derive(Debug, Clone, PartialEq, Default, serde::Deserialize)]
#[serde(tag = "type", rename_all = "camelCase", expecting = "an object with the strategy's `type` and its parameters")]
#[non_exhaustive]
pub enum StrategyOptions {
    /// Per-token Bernoulli selection, exactly as transformers does it.
    #[default]
    #[serde(deserialize_with = "no_parameters")]
    Token,
    /// A fixed number of tokens per sequence, as BERT's `create_pretraining_data.py`.
    ExactCount(ExactCountOptions),
    /// Whole words selected together.
    WholeWord(WholeWordOptions),
    /// MacBERT / ERNIE n-gram masking over whole words.
    Ngram(NgramOptions),
    /// SpanBERT geometric spans.
    Span(SpanOptions),
    /// T5's span corruption with sentinels.
    T5SpanCorruption(T5Options),
    /// BART's text infilling with Poisson spans.
    BartInfilling(BartOptions),
    /// UL2's mixture of denoisers.
    Ul2(Ul2Options),
    /// Fill-in-the-middle for code models.
    Fim(FimOptions),
    /// PMI-masking: n-grams of a lexicon masked as one unit.
    LexiconSpans(LexiconSpansOptions),
}

/// What building a strategy may read: the vocabulary, and the tokenizer when the options name
/// tokens or text (UL2's mode tokens, FIM's tokens, a lexicon of strings).
#[derive(Debug, Clone, Copy)]
pub struct BuildContext<'a> {
    /// The vocabulary facts.
    pub vocab: &'a VocabInfo,
    /// The tokenizer, when there is one.
    pub tokenizer: Option<&'a Tokenizer>,
}

impl BuildContext<'_> {
    fn tokenizer(&self, strategy: &'static str, what: &'static str) -> Result<&Tokenizer> {
        self.tokenizer.ok_or(Error::NeedsTokenizer { strategy, what })
    }

    /// The id of the token `token`, if the tokenizer has it.
    pub fn token_id(&self, token: &str, strategy: &'static str, what: &'static str) -> Result<Option<u32>> {
        Ok(self.tokenizer(strategy, what)?.token_to_id(token))
    }

    /// The ids of `text` as the tokenizer reads it: the one token when the vocabulary has it,
    /// else its tokens without special tokens; nothing for `""`.
    pub fn text_ids(&self, text: &str, strategy: &'static str, what: &'static str) -> Result<Vec<u32>> {
        if text.is_empty() {
            return Ok(Vec::new());
        }
        let tokenizer = self.tokenizer(strategy, what)?;
        if let Some(id) = tokenizer.token_to_id(text) {
            return Ok(vec![id]);
        }
        Ok(tokenizer.encode(text, None, &plain_encoding())?.ids)
    }
}

/// Encode options for text inside a sequence: no special tokens, truncation, padding or offsets.
pub(crate) fn plain_encoding() -> EncodeOptions {
    EncodeOptions {
        add_special_tokens: false,
        truncation: Setting::Off,
        padding: Setting::Off,
        pad_to_multiple_of: None,
        offsets: OffsetUnit::None,
        token_strings: false,
    }
}

/// serde reads a unit variant of a tagged enum ignoring any other key; refuse them instead.
fn no_parameters<'de, D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<(), D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct NoParameters {}
    <NoParameters as serde::Deserialize>::deserialize(deserializer).map(|_| ())
}

impl StrategyOptions {
    /// Every scheme: its `type` and its parameters with their defaults and the ranges its
    /// validation accepts (see [`crate::schema`]).
    pub fn catalog() -> Vec<OptionSet> {
        vec![
            OptionSet { name: "token", params: Vec::new() },
            OptionSet { name: "exactCount", params: ExactCountOptions::params() },
            OptionSet { name: "wholeWord", params: WholeWordOptions::params() },
            OptionSet { name: "ngram", params: NgramOptions::params() },
            OptionSet { name: "span", params: SpanOptions::params() },
            OptionSet { name: "t5SpanCorruption", params: T5Options::params() },
            OptionSet { name: "bartInfilling", params: BartOptions::params() },
            OptionSet { name: "ul2", params: Ul2Options::params() },
            OptionSet { name: "fim", params: FimOptions::params() },
            OptionSet { name: "lexiconSpans", params: LexiconSpansOptions::params() },
        ]
    }

    /// Its `type`, as serde spells it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Token => "token",
            Self::ExactCount(_) => "exactCount",
            Self::WholeWord(_) => "wholeWord",
            Self::Ngram(_) => "ngram",
            Self::Span(_) => "span",
            Self::T5SpanCorruption(_) => "t5SpanCorruption",
            Self::BartInfilling(_) => "bartInfilling",
            Self::Ul2(_) => "ul2",
            Self::Fim(_) => "fim",
            Self::LexiconSpans(_) => "lexiconSpans",
        }
    }

    /// Whether it replaces with the mask token (the sequence-to-sequence and FIM schemes use
    /// their own tokens instead).
    pub fn uses_mask_token(&self) -> bool {
        !matches!(self, Self::T5SpanCorruption(_) | Self::Ul2(_) | Self::Fim(_))
    }

    /// Whether `labels` line up with `input_ids` position by position, as packing needs: all but
    /// the sequence-to-sequence schemes, whose targets are sequences of their own.
    pub fn aligns_labels(&self) -> bool {
        !matches!(self, Self::T5SpanCorruption(_) | Self::BartInfilling(_) | Self::Ul2(_))
    }

    /// How a word-level strategy finds words; `None` for the token-level ones, which read
    /// neither word ids nor offsets.
    pub fn word_boundary(&self) -> Option<WordBoundary> {
        match self {
            Self::WholeWord(o) => Some(o.word_boundary),
            Self::Ngram(o) => Some(o.word_boundary),
            Self::Span(o) => Some(o.word_boundary),
            Self::BartInfilling(o) => Some(o.word_boundary),
            Self::LexiconSpans(o) => Some(o.word_boundary),
            Self::Token | Self::ExactCount(_) | Self::T5SpanCorruption(_) | Self::Ul2(_) | Self::Fim(_) => None,
        }
    }

    /// Validate the parameters and build the strategy.
    pub fn build(&self, context: &BuildContext) -> Result<Box<dyn Strategy>> {
        let vocab = context.vocab;
        Ok(match self {
            StrategyOptions::Token => Box::new(TokenStrategy),
            StrategyOptions::ExactCount(o) => Box::new(ExactCount::new(o)?),
            StrategyOptions::WholeWord(o) => Box::new(WholeWord::new(o)?),
            StrategyOptions::Ngram(o) => Box::new(Ngram::new(o)?),
            StrategyOptions::Span(o) => Box::new(Span::new(o)?),
            StrategyOptions::T5SpanCorruption(o) => Box::new(T5SpanCorruption::new(o, vocab)?),
            StrategyOptions::BartInfilling(o) => Box::new(BartInfilling::new(o)?),
            StrategyOptions::Ul2(o) => Box::new(Ul2::new(o, context)?),
            StrategyOptions::Fim(o) => Box::new(Fim::new(o, context)?),
            StrategyOptions::LexiconSpans(o) => Box::new(LexiconSpans::new(o, context)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value as Json};

    use super::*;
    use crate::masking::Replacement;
    use crate::schema::{fields_of, variants_of, Kind, Param};

    /// Every scheme's `type`: [`StrategyOptions::type_name`] is an exhaustive match, so a new
    /// scheme fails to compile there until it is named, and the catalog test below then needs
    /// its entry.
    fn type_of(options: &StrategyOptions) -> &'static str {
        options.type_name()
    }

    fn defaults() -> Vec<StrategyOptions> {
        vec![
            StrategyOptions::Token,
            StrategyOptions::ExactCount(ExactCountOptions::default()),
            StrategyOptions::WholeWord(WholeWordOptions::default()),
            StrategyOptions::Ngram(NgramOptions::default()),
            StrategyOptions::Span(SpanOptions::default()),
            StrategyOptions::T5SpanCorruption(T5Options::default()),
            StrategyOptions::BartInfilling(BartOptions::default()),
            StrategyOptions::Ul2(Ul2Options::default()),
            StrategyOptions::Fim(FimOptions::default()),
            // The lexicon is required: the catalog test gives an empty one.
            StrategyOptions::LexiconSpans(LexiconSpansOptions {
                lexicon: Vec::new(),
                word_boundary: WordBoundary::WordIds,
                replacement: Replacement::PerWord,
            }),
        ]
    }

    /// serde's field names of the scheme's options struct.
    fn fields(name: &str) -> &'static [&'static str] {
        match name {
            "token" => &[],
            "exactCount" => fields_of::<ExactCountOptions>(),
            "wholeWord" => fields_of::<WholeWordOptions>(),
            "ngram" => fields_of::<NgramOptions>(),
            "span" => fields_of::<SpanOptions>(),
            "t5SpanCorruption" => fields_of::<T5Options>(),
            "bartInfilling" => fields_of::<BartOptions>(),
            "ul2" => fields_of::<Ul2Options>(),
            "fim" => fields_of::<FimOptions>(),
            "lexiconSpans" => fields_of::<LexiconSpansOptions>(),
            other => panic!("no scheme {other}"),
        }
    }

    /// A small word-level tokenizer with every token some strategy looks for: a mask and pad
    /// token, sentinels, EOS and the four FIM tokens.
    pub(crate) fn tokenizer() -> Tokenizer {
        let tokens = [
            "[PAD]",
            "[MASK]",
            "</s>",
            "<extra_id_0>",
            "<extra_id_1>",
            "<fim_prefix>",
            "<fim_middle>",
            "<fim_suffix>",
            "<fim_pad>",
            "[UNK]",
            "new",
            "york",
            "the",
            "a",
            "city",
            "is",
            "big",
        ];
        let vocab: serde_json::Map<String, Json> =
            tokens.iter().enumerate().map(|(i, t)| (t.to_string(), json!(i))).collect();
        let added: Vec<Json> = tokens[..10]
            .iter()
            .enumerate()
            .map(|(i, t)| {
                json!({ "id": i, "content": t, "single_word": false, "lstrip": false, "rstrip": false,
                        "normalized": false, "special": true })
            })
            .collect();
        let file = json!({
            "version": "1.0", "truncation": null, "padding": null, "added_tokens": added,
            "normalizer": null, "pre_tokenizer": { "type": "Whitespace" }, "post_processor": null,
            "decoder": { "type": "WordPiece", "prefix": "##", "cleanup": true },
            "model": { "type": "WordLevel", "vocab": vocab, "unk_token": "[UNK]" },
        });
        Tokenizer::from_json(&file.to_string()).unwrap()
    }

    fn build(options: &StrategyOptions) -> Result<Box<dyn Strategy>> {
        let tokenizer = tokenizer();
        options.build(&BuildContext { vocab: &tokenizer.vocab_info(), tokenizer: Some(&tokenizer) })
    }

    fn parse(value: Json) -> std::result::Result<StrategyOptions, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    fn builds(value: Json) -> bool {
        build(&parse(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}"))).is_ok()
    }

    fn with(name: &str, param: &str, value: Json) -> Json {
        let mut object = json!({ "type": name });
        if name == "lexiconSpans" {
            object["lexicon"] = json!([]);
        }
        object[param] = value;
        // minSpan <= maxSpan is checked too: move the other end out of the way.
        match param {
            "minSpan" => object["maxSpan"] = json!(1000),
            "maxSpan" => object["minSpan"] = json!(1),
            _ => {}
        }
        object
    }

    #[test]
    fn the_catalog_names_every_scheme_and_every_field() {
        let catalog = StrategyOptions::catalog();
        let names: Vec<_> = catalog.iter().map(|s| s.name).collect();
        assert_eq!(names, defaults().iter().map(type_of).collect::<Vec<_>>());
        for (set, default) in catalog.iter().zip(defaults()) {
            let params: Vec<_> = set.params.iter().map(|p| p.name).collect();
            assert_eq!(params, fields(set.name), "{}", set.name);
            // The type alone gives the defaults (with what is required: an empty lexicon); so
            // does every default given explicitly.
            let mut given = json!({ "type": set.name });
            for p in set.params.iter().filter(|p| p.required) {
                let message = parse(given.clone()).unwrap_err();
                assert_eq!(message, format!("missing field `{}`", p.name));
                given[p.name] = json!([]);
            }
            assert_eq!(parse(given.clone()).unwrap(), default);
            for (key, value) in crate::schema::defaults_json(set).as_object().unwrap() {
                given[key] = value.clone();
            }
            assert_eq!(parse(given).unwrap(), default, "{}", set.name);
        }
    }

    #[test]
    #[cfg_attr(not(feature = "full"), ignore = "its test tokenizer (WordLevel) needs the tokenizers crate")]
    fn every_catalog_value_builds_and_ranges_are_validations() {
        for set in StrategyOptions::catalog() {
            for p in &set.params {
                let at =
                    |v: f64| with(set.name, p.name, if p.kind == Kind::Integer { json!(v as i64) } else { json!(v) });
                match &p.kind {
                    Kind::Enum { values } => {
                        for value in values {
                            assert!(builds(with(set.name, p.name, json!(value))), "{}.{} = {value}", set.name, p.name);
                        }
                    }
                    Kind::Boolean => {
                        assert!(
                            builds(with(set.name, p.name, json!(true))) && builds(with(set.name, p.name, json!(false)))
                        );
                    }
                    Kind::Number | Kind::Integer => {
                        let step = if p.kind == Kind::Integer { 1.0 } else { 1e-9 };
                        let what = format!("{}.{}", set.name, p.name);
                        if let Some(min) = p.min {
                            assert_eq!(builds(at(min)), !p.min_exclusive, "{what} at its min");
                            assert!(!builds(at(min - step)), "{what} below its min");
                            assert!(builds(at(min + step)), "{what} above its min");
                        }
                        if let Some(max) = p.max {
                            assert!(builds(at(max)), "{what} at its max");
                            assert!(!builds(at(max + step)), "{what} above its max");
                        }
                    }
                    Kind::List { items } if **items == Kind::Number => {
                        assert_eq!(p.min, Some(0.0));
                        assert!(builds(with(set.name, p.name, json!([0.0, 0.0, 0.0, 1.0]))));
                        assert!(!builds(with(set.name, p.name, json!([-0.1, 0.4, 0.3, 0.4]))));
                    }
                    Kind::List { items } if **items == Kind::Object { set: "Ul2Denoiser" } => {
                        let at = |v: Json| builds(with(set.name, p.name, v));
                        assert!(at(json!([{ "kind": "s" }, { "kind": "x", "meanSpanLength": 64, "modeToken": "" }])));
                        assert!(!at(json!([])), "at least one denoiser");
                        assert!(!at(json!([{ "kind": "r", "weight": -1 }])));
                        assert!(!at(json!([{ "kind": "r", "weight": 0 }])), "a positive total weight");
                        assert!(!at(json!([{ "kind": "r", "noiseDensity": 1.5 }])));
                        assert!(!at(json!([{ "kind": "r", "meanSpanLength": 0.5 }])));
                    }
                    Kind::List { items } if matches!(**items, Kind::Either { .. }) => {
                        let at = |v: Json| builds(with(set.name, p.name, v));
                        assert!(at(json!(["new york", [10, 11]])));
                        assert!(!at(json!([[17]])), "ids outside the vocabulary");
                        assert!(!at(json!(["new york", []])), "an empty entry");
                        assert!(!at(json!(["  "])), "an entry of spaces");
                    }
                    Kind::Object { set: "FimTokens" } => {
                        let names = json!({ "prefix": "the", "middle": "a", "suffix": "city", "pad": "[PAD]" });
                        assert!(builds(with(set.name, p.name, names)));
                        let unknown = json!({ "prefix": "<PRE>", "middle": "a", "suffix": "city", "pad": "[PAD]" });
                        assert!(!builds(with(set.name, p.name, unknown)));
                    }
                    other => panic!("{}.{}: a kind the catalog test does not know: {other:?}", set.name, p.name),
                }
            }
        }
    }

    /// The enum parameters offer every value their type has, except where a scheme refuses some.
    #[test]
    #[cfg_attr(not(feature = "full"), ignore = "its test tokenizer (WordLevel) needs the tokenizers crate")]
    fn enum_parameters_offer_what_the_scheme_takes() {
        for set in StrategyOptions::catalog() {
            for p in set.params.iter().filter(|p| p.name == "replacement") {
                let Kind::Enum { values } = &p.kind else { panic!("replacement is an enum") };
                for name in variants_of::<Replacement>() {
                    let value = with(set.name, "replacement", json!(name));
                    assert_eq!(builds(value), values.contains(name), "{}: {name}", set.name);
                }
            }
        }
        let whole_word = |name: &str| -> Param {
            StrategyOptions::catalog()[2].params.iter().find(|p| p.name == name).unwrap().clone()
        };
        assert_eq!(whole_word("replacement").kind, Kind::Enum { values: vec!["mask", "perWord", "perToken"] });
    }

    #[test]
    #[cfg_attr(not(feature = "full"), ignore = "its test tokenizer (WordLevel) needs the tokenizers crate")]
    fn whole_word_refuses_per_span_saying_what_to_use() {
        let options = parse(json!({ "type": "wholeWord", "replacement": "perSpan" })).unwrap();
        assert_eq!(
            build(&options).unwrap_err().to_string(),
            "`replacement` must be \"mask\", \"perWord\" or \"perToken\" for whole words: each selected group is one word, so use \"perWord\" for one decision per word, got \"perSpan\""
        );
    }

    #[test]
    fn unknown_parameters_are_refused() {
        assert_eq!(
            parse(json!({ "type": "token", "spans": 3 })).unwrap_err(),
            "unknown field `spans`, there are no fields"
        );
        assert_eq!(
            parse(json!({ "type": "span", "maxSpans": 3 })).unwrap_err(),
            "unknown field `maxSpans`, expected one of `geometricP`, `minSpan`, `maxSpan`, `wordBoundary`, `replacement`"
        );
        assert!(parse(json!({ "type": "nope" }))
            .unwrap_err()
            .starts_with("unknown variant `nope`, expected one of `token`"));
    }
}
