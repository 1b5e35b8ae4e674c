//! The masking schemes, one per file, each implementing [`Strategy`], and the tagged
//! [`StrategyOptions`] that chooses one and carries its parameters.

mod bart;
mod exact_count;
mod ngram;
mod span;
mod t5;
mod token;
mod whole_word;

pub use bart::{BartInfilling, BartOptions};
pub use exact_count::{ExactCount, ExactCountOptions};
pub use ngram::{Ngram, NgramOptions};
pub use span::{Span, SpanOptions};
pub use t5::{T5Options, T5SpanCorruption};
pub use token::TokenStrategy;
pub use whole_word::{Selection, WholeWord, WholeWordOptions};

use super::config::MaskingConfig;
use super::input::MaskInput;
use super::output::MaskedBatch;
use super::words::WordBoundary;
use crate::error::Result;
use crate::rng::MaskRng;
use crate::schema::OptionSet;
use crate::tokenize::VocabInfo;

/// One masking scheme. Implementations live one per file in this module.
pub trait Strategy: std::fmt::Debug {
    /// Select and replace tokens of `input`. `config.eligible(input)` tells which positions may
    /// be selected.
    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch>;
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
        ]
    }

    /// How a word-level strategy finds words; `None` for the token-level ones, which read
    /// neither word ids nor offsets.
    pub fn word_boundary(&self) -> Option<WordBoundary> {
        match self {
            Self::WholeWord(o) => Some(o.word_boundary),
            Self::Ngram(o) => Some(o.word_boundary),
            Self::Span(o) => Some(o.word_boundary),
            Self::BartInfilling(o) => Some(o.word_boundary),
            Self::Token | Self::ExactCount(_) | Self::T5SpanCorruption(_) => None,
        }
    }

    /// Validate the parameters and build the strategy.
    pub fn build(&self, vocab: &VocabInfo) -> Result<Box<dyn Strategy>> {
        Ok(match self {
            StrategyOptions::Token => Box::new(TokenStrategy),
            StrategyOptions::ExactCount(o) => Box::new(ExactCount::new(o)?),
            StrategyOptions::WholeWord(o) => Box::new(WholeWord::new(o)?),
            StrategyOptions::Ngram(o) => Box::new(Ngram::new(o)?),
            StrategyOptions::Span(o) => Box::new(Span::new(o)?),
            StrategyOptions::T5SpanCorruption(o) => Box::new(T5SpanCorruption::new(o, vocab)?),
            StrategyOptions::BartInfilling(o) => Box::new(BartInfilling::new(o)?),
        })
    }
}

#[cfg(test)]
mod tests {
    use serde_json::{json, Value as Json};

    use super::*;
    use crate::masking::Replacement;
    use crate::schema::{fields_of, variants_of, Kind, Param};

    /// Every scheme's `type`, by an exhaustive match: a new scheme fails to compile here until
    /// it is named, and the catalog test below then needs its entry.
    fn type_of(options: &StrategyOptions) -> &'static str {
        match options {
            StrategyOptions::Token => "token",
            StrategyOptions::ExactCount(_) => "exactCount",
            StrategyOptions::WholeWord(_) => "wholeWord",
            StrategyOptions::Ngram(_) => "ngram",
            StrategyOptions::Span(_) => "span",
            StrategyOptions::T5SpanCorruption(_) => "t5SpanCorruption",
            StrategyOptions::BartInfilling(_) => "bartInfilling",
        }
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
            other => panic!("no scheme {other}"),
        }
    }

    fn vocab() -> VocabInfo {
        VocabInfo {
            vocab_size: 100,
            mask_token_id: Some(1),
            pad_token_id: Some(0),
            sentinel_ids: vec![99, 98],
            eos_token_id: Some(2),
            ..VocabInfo::default()
        }
    }

    fn parse(value: Json) -> std::result::Result<StrategyOptions, String> {
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    fn builds(value: Json) -> bool {
        parse(value.clone()).unwrap_or_else(|e| panic!("{value}: {e}")).build(&vocab()).is_ok()
    }

    fn with(name: &str, param: &str, value: Json) -> Json {
        let mut object = json!({ "type": name });
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
            // The type alone gives the defaults; so does every default given explicitly.
            assert_eq!(parse(json!({ "type": set.name })).unwrap(), default);
            let mut given = crate::schema::defaults_json(set);
            given["type"] = set.name.into();
            assert_eq!(parse(given).unwrap(), default, "{}", set.name);
        }
    }

    #[test]
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
                    other => panic!("{}.{}: a kind the catalog test does not know: {other:?}", set.name, p.name),
                }
            }
        }
    }

    /// The enum parameters offer every value their type has, except where a scheme refuses some.
    #[test]
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
    fn whole_word_refuses_per_span_saying_what_to_use() {
        let options = parse(json!({ "type": "wholeWord", "replacement": "perSpan" })).unwrap();
        assert_eq!(
            options.build(&vocab()).unwrap_err().to_string(),
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
