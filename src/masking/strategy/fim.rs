//! Fill-in-the-middle (Bavarian et al. 2022, "Efficient Training of Language Models to Fill in
//! the Middle"; StarCoder and SantaCoder), as bigcode's Megatron-LM `permute` in
//! `gpt_dataset.py` does it. With probability `fim_rate` a row is cut in three at two points
//! drawn uniformly (`randint(0, len + 1, size=2)`, sorted) and rearranged, with probability
//! `spm_rate` as SPM, otherwise as PSM:
//!
//! - PSM: `<fim_prefix> prefix <fim_suffix> suffix <fim_middle> middle`
//! - SPM: `<fim_prefix> <fim_suffix> suffix <fim_middle> prefix middle` (the paper's variant 2,
//!   as the reference writes it)
//!
//! At character level (the reference, the default) the row's text tokens are decoded, the
//! split points are drawn on the characters (Unicode scalar values, as Python indexes a `str`),
//! and each part is tokenized on its own. At token level they are drawn on the tokens, so the
//! three parts re-join to the original ids.
//!
//! Labels follow the causal-LM convention of the reference (`labels = tokens[1:]`): position
//! `k` is labelled with the id at `k + 1`, and the last token of a row, and padding, with -100.
//! (transformers' causal-LM models shift labels themselves: give them `input_ids` instead.)
//!
//! Differences: special tokens before the first and after the last text token (BOS, EOS) stay
//! where they are, outside the rearranged part; rows are not truncated or padded back to their
//! old length (the reference's `truncate_or_pad`): they grow by the three FIM tokens and are
//! padded to the longest with `<fim_pad>` (attention mask 0).

use serde::Deserialize;

use super::{plain_encoding, BuildContext};
use crate::error::{Error, Result};
use crate::masking::output::FimLayout;
use crate::masking::sample;
use crate::masking::strategy::t5::pad_rows_with;
use crate::masking::{MaskInput, MaskedBatch, MaskingConfig, Outcome, Strategy, IGNORE_INDEX};
use crate::rng::MaskRng;
use crate::schema::{Kind, OptionSet, Param};

/// Where the split points are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FimLevel {
    /// On the decoded text's characters, each part then tokenized (the reference).
    #[default]
    Character,
    /// On the tokens.
    Token,
}

/// The four FIM tokens, by name.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FimTokens {
    /// Begins the prefix (`<fim_prefix>`).
    pub prefix: String,
    /// Begins the middle (`<fim_middle>`).
    pub middle: String,
    /// Begins the suffix (`<fim_suffix>`).
    pub suffix: String,
    /// Pads rows (`<fim_pad>`).
    pub pad: String,
}

impl FimTokens {
    /// The parameters (see [`crate::schema`]).
    pub fn option_set() -> OptionSet {
        OptionSet {
            name: "FimTokens",
            params: ["prefix", "middle", "suffix", "pad"].map(|n| Param::of(n, Kind::String).required()).to_vec(),
        }
    }
}

/// Options of [`Fim`].
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, rename_all = "camelCase", deny_unknown_fields)]
pub struct FimOptions {
    /// The chance that a row is rearranged.
    pub fim_rate: f64,
    /// The chance that a rearranged row is SPM rather than PSM.
    pub spm_rate: f64,
    /// Where the split points are drawn.
    pub level: FimLevel,
    /// The FIM tokens; `None` looks them up by their usual names.
    pub fim_tokens: Option<FimTokens>,
}

impl Default for FimOptions {
    fn default() -> Self {
        Self { fim_rate: 0.5, spm_rate: 0.5, level: FimLevel::Character, fim_tokens: None }
    }
}

impl FimOptions {
    /// The parameters, with the ranges [`Fim::new`] accepts.
    pub fn params() -> Vec<Param> {
        let d = Self::default();
        vec![
            Param::number("fimRate", d.fim_rate).within(0.0, 1.0),
            Param::number("spmRate", d.spm_rate).within(0.0, 1.0),
            Param::choice::<FimLevel>("level", d.level as usize),
            Param::of("fimTokens", Kind::Object { set: "FimTokens" }),
        ]
    }
}

/// The spellings looked up for each FIM token: StarCoder's, SantaCoder's, Qwen2.5-Coder's.
const SPELLINGS: [(&str, [&str; 3]); 4] = [
    ("prefix", ["<fim_prefix>", "<fim-prefix>", "<|fim_prefix|>"]),
    ("middle", ["<fim_middle>", "<fim-middle>", "<|fim_middle|>"]),
    ("suffix", ["<fim_suffix>", "<fim-suffix>", "<|fim_suffix|>"]),
    ("pad", ["<fim_pad>", "<fim-pad>", "<|fim_pad|>"]),
];

/// The FIM strategy.
#[derive(Debug, Clone)]
pub struct Fim {
    options: FimOptions,
    /// prefix, middle, suffix, pad.
    ids: [u32; 4],
}

impl Fim {
    /// Check the rates and find the FIM tokens.
    pub fn new(options: &FimOptions, context: &BuildContext) -> Result<Self> {
        for (name, value) in [("fim_rate", options.fim_rate), ("spm_rate", options.spm_rate)] {
            if !(0.0..=1.0).contains(&value) {
                return Err(Error::ProbabilityOutOfRange { name, value });
            }
        }
        let mut ids = [0; 4];
        for (i, (role, spellings)) in SPELLINGS.iter().enumerate() {
            const WHAT: &str = "the FIM tokens";
            ids[i] = match &options.fim_tokens {
                Some(named) => {
                    let (token, option) = match *role {
                        "prefix" => (&named.prefix, "fim_tokens.prefix"),
                        "middle" => (&named.middle, "fim_tokens.middle"),
                        "suffix" => (&named.suffix, "fim_tokens.suffix"),
                        _ => (&named.pad, "fim_tokens.pad"),
                    };
                    context
                        .token_id(token, "fim", WHAT)?
                        .ok_or_else(|| Error::UnknownToken { option, token: token.clone() })?
                }
                None => {
                    let mut found = None;
                    for spelling in spellings {
                        found = found.or(context.token_id(spelling, "fim", WHAT)?);
                    }
                    found.ok_or_else(|| Error::MissingStrategyToken {
                        strategy: "fim",
                        token: spellings[0].into(),
                        hint: " (nor its SantaCoder <fim-...> or Qwen <|fim_...|> spellings); name the tokenizer's FIM tokens with `fim_tokens`",
                    })?
                }
            };
        }
        Ok(Self { options: options.clone(), ids })
    }

    /// The three parts of a row's text, as ids, split where the stream says.
    fn split(&self, text: &[u32], input: &MaskInput, rng: &mut dyn MaskRng) -> Result<[Vec<u32>; 3]> {
        Ok(match self.options.level {
            FimLevel::Token => {
                let (a, b) = split_points(text.len(), rng);
                [text[..a].to_vec(), text[a..b].to_vec(), text[b..].to_vec()]
            }
            FimLevel::Character => {
                let tokenizer = input
                    .tokenizer
                    .ok_or(Error::NeedsTokenizer { strategy: "fim", what: "the text (level \"character\")" })?;
                let chars: Vec<char> = tokenizer.decode(text, false)?.chars().collect();
                let (a, b) = split_points(chars.len(), rng);
                let encode = |part: &[char]| -> Result<Vec<u32>> {
                    let part: String = part.iter().collect();
                    if part.is_empty() {
                        return Ok(Vec::new());
                    }
                    Ok(tokenizer.encode(&part, None, &plain_encoding())?.ids)
                };
                [encode(&chars[..a])?, encode(&chars[a..b])?, encode(&chars[b..])?]
            }
        })
    }
}

/// Two points in `0..=len`, drawn uniformly and sorted: numpy's `randint(0, len + 1, size=2)`.
fn split_points(len: usize, rng: &mut dyn MaskRng) -> (usize, usize) {
    let (a, b) = (sample::index_below(rng, len + 1), sample::index_below(rng, len + 1));
    (a.min(b), a.max(b))
}

impl Strategy for Fim {
    fn pad_id(&self) -> Option<u32> {
        Some(self.ids[3])
    }

    fn mask(&self, input: &MaskInput, config: &MaskingConfig, rng: &mut dyn MaskRng) -> Result<MaskedBatch> {
        let mut out = MaskedBatch::unmasked(input);
        let eligible = config.eligible(input);
        let [prefix_id, middle_id, suffix_id, pad_id] = self.ids;
        let mut rows = Vec::with_capacity(input.batch_size);
        let mut layouts = Vec::with_capacity(input.batch_size);
        let mut parts = (self.options.level == FimLevel::Token).then(|| vec![-1; input.ids.len()]);
        for row in 0..input.batch_size {
            let cells = row * input.seq_len..(row + 1) * input.seq_len;
            let real = |range: std::ops::Range<usize>| -> Vec<u32> {
                range.filter(|&i| input.attention_mask[i] != 0).map(|i| input.ids[i]).collect()
            };
            let first = cells.clone().find(|&i| eligible[i]);
            let last = cells.clone().rev().find(|&i| eligible[i]);
            let (Some(first), Some(last)) = (first, last) else {
                rows.push(real(cells).iter().map(|&id| id as i32).collect::<Vec<_>>());
                layouts.push(FimLayout::None as u8);
                continue;
            };
            let text = real(first..last + 1);
            if rng.next_unit() >= self.options.fim_rate {
                rows.push(real(cells).iter().map(|&id| id as i32).collect());
                layouts.push(FimLayout::None as u8);
                continue;
            }
            let [prefix, middle, suffix] = self.split(&text, input, rng)?;
            let spm = rng.next_unit() < self.options.spm_rate;
            if let Some(parts) = &mut parts {
                // Token level: the text positions, in order, are the prefix, middle, suffix.
                let positions: Vec<usize> = (first..=last).filter(|&i| input.attention_mask[i] != 0).collect();
                for (k, &i) in positions.iter().enumerate() {
                    let part = if k < prefix.len() {
                        0
                    } else if k < prefix.len() + middle.len() {
                        1
                    } else {
                        2
                    };
                    parts[i] = part;
                    if part == 1 {
                        out.outcome[i] = Outcome::Mask as u8;
                    }
                }
            }
            let mut ids = real(cells.start..first);
            if spm {
                ids.extend([prefix_id, suffix_id]);
                ids.extend(&suffix);
                ids.push(middle_id);
                ids.extend(&prefix);
                ids.extend(&middle);
            } else {
                ids.push(prefix_id);
                ids.extend(&prefix);
                ids.push(suffix_id);
                ids.extend(&suffix);
                ids.push(middle_id);
                ids.extend(&middle);
            }
            ids.extend(real(last + 1..cells.end));
            rows.push(ids.iter().map(|&id| id as i32).collect());
            layouts.push(if spm { FimLayout::Spm } else { FimLayout::Psm } as u8);
        }
        let targets: Vec<Vec<i32>> = rows
            .iter()
            .map(|row| row.iter().skip(1).copied().chain((!row.is_empty()).then_some(IGNORE_INDEX)).collect())
            .collect();
        let (input_ids, attention_mask, seq_len) = pad_rows_with(&rows, pad_id as i32);
        let (labels, _, _) = pad_rows_with(&targets, IGNORE_INDEX);
        out.input_ids = input_ids;
        out.attention_mask = attention_mask;
        out.seq_len = seq_len;
        out.labels = labels;
        out.labels_len = seq_len;
        out.span_ids = parts;
        out.fim_layout = Some(layouts);
        Ok(out)
    }
}
