//! [`Masker`]: a validated configuration, its strategy and its random stream.

use super::config::MaskingConfig;
use super::input::MaskInput;
use super::options::{MaskingOptions, SpecialTokens};
use super::output::{MaskedBatch, IGNORE_INDEX};
use super::packing::{pack, Packing};
use super::strategy::{BuildContext, Strategy};
use super::words::WordBoundary;
use crate::collate::Batch;
use crate::encoding::{EncodeOptions, Padding, Setting};
use crate::error::{Error, Result};
use crate::rng::{entropy_seed, seeded, MaskRng, RngKind, MAX_SAFE_SEED};
use crate::tokenize::{Tokenizer, VocabInfo};

/// The optional arrays of a [`MaskInput`] that a masker reads, from [`Masker::word_inputs`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WordInputs {
    /// It reads [`MaskInput::word_ids`] (`wordBoundary: "wordIds"`).
    pub word_ids: bool,
    /// It reads [`MaskInput::offsets`] (`wordBoundary: "offsetsGap"`).
    pub offsets: bool,
}

/// A configured masking scheme with its random stream. The stream carries over between calls,
/// like the seeded collator's generator, so batch `k` depends on the seed and on batches
/// `0..k`.
pub struct Masker {
    config: MaskingConfig,
    strategy: Box<dyn Strategy>,
    word_boundary: Option<WordBoundary>,
    rng_kind: RngKind,
    rng: Box<dyn MaskRng>,
    views: usize,
    /// The strategy's `type` and whether its labels line up with `input_ids`, for packing.
    strategy_type: &'static str,
    aligns_labels: bool,
}

impl std::fmt::Debug for Masker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Masker")
            .field("config", &self.config)
            .field("strategy", &self.strategy)
            .field("rng", &self.rng_kind)
            .finish_non_exhaustive()
    }
}

impl Masker {
    /// Validate `options` against the tokenizer's vocabulary and seed the stream. Strategies
    /// that read text or token names (UL2's mode tokens, FIM, a lexicon of strings) need
    /// [`Masker::with_tokenizer`] instead.
    pub fn new(vocab: &VocabInfo, options: &MaskingOptions) -> Result<Self> {
        Self::build(&BuildContext { vocab, tokenizer: None }, options)
    }

    /// Validate `options` against `tokenizer` and seed the stream.
    pub fn with_tokenizer(tokenizer: &Tokenizer, options: &MaskingOptions) -> Result<Self> {
        Self::build(&BuildContext { vocab: &tokenizer.vocab_info(), tokenizer: Some(tokenizer) }, options)
    }

    fn build(context: &BuildContext, options: &MaskingOptions) -> Result<Self> {
        let config = options.validate(context.vocab)?;
        let seed = match options.seed {
            Some(seed) => seed,
            None => entropy_seed()?,
        };
        Ok(Self {
            config,
            strategy: options.strategy.build(context)?,
            word_boundary: options.strategy.word_boundary(),
            rng_kind: options.rng,
            rng: seeded(options.rng, seed),
            views: options.views,
            strategy_type: options.strategy.type_name(),
            aligns_labels: !options.mlm || options.strategy.aligns_labels(),
        })
    }

    /// The validated configuration.
    pub fn config(&self) -> &MaskingConfig {
        &self.config
    }

    /// Which optional arrays [`Masker::mask`] reads besides ids and masks (a binding need not
    /// copy the others).
    pub fn word_inputs(&self) -> WordInputs {
        WordInputs {
            word_ids: self.word_boundary == Some(WordBoundary::WordIds),
            offsets: self.word_boundary == Some(WordBoundary::OffsetsGap),
        }
    }

    /// Restart the stream from `seed`, or from fresh system entropy.
    pub fn reseed(&mut self, seed: Option<u64>) -> Result<()> {
        let seed = match seed {
            Some(seed) if seed > MAX_SAFE_SEED => return Err(Error::InvalidSeed(seed as f64)),
            Some(seed) => seed,
            None => entropy_seed()?,
        };
        self.rng = seeded(self.rng_kind, seed);
        Ok(())
    }

    /// Mask a batch (or a single encoding viewed as a one-row batch). With `views: N` the
    /// result has `N` rows per input row, adjacent.
    pub fn mask(&mut self, input: &MaskInput) -> Result<MaskedBatch> {
        input.check(self.config.vocab_size)?;
        if self.views > 1 {
            let repeated = Repeated::new(input, self.views);
            return self.mask_checked(&repeated.input(input));
        }
        self.mask_checked(input)
    }

    fn mask_checked(&mut self, input: &MaskInput) -> Result<MaskedBatch> {
        if self.config.mlm {
            let special_ids_mask: Vec<u8>;
            let input = match self.config.special_tokens {
                SpecialTokens::Mask => *input,
                SpecialTokens::Ids => {
                    let special = &self.config.special_ids;
                    special_ids_mask = input.ids.iter().map(|id| u8::from(special.binary_search(id).is_ok())).collect();
                    MaskInput { special_tokens_mask: &special_ids_mask, ..*input }
                }
            };
            self.strategy.mask(&input, &self.config, self.rng.as_mut())
        } else {
            // transformers: `labels[labels == pad_token_id] = -100`, so an EOS that doubles as
            // the pad token is ignored too.
            let mut out = MaskedBatch::unmasked(input);
            let pad = self.config.pad_token_id;
            for (label, &id) in out.labels.iter_mut().zip(input.ids) {
                *label = if Some(id) == pad { IGNORE_INDEX } else { id as i32 };
            }
            Ok(out)
        }
    }

    /// Tokenize `texts`, pad them to the longest (rounded up to `pad_to_multiple_of`), and
    /// mask the batch: what the collator does with a list of tokenized examples.
    pub fn collate(
        &mut self,
        tokenizer: &Tokenizer,
        texts: &[&str],
        options: &EncodeOptions,
    ) -> Result<(Batch, MaskedBatch)> {
        // The collator pads with `tokenizer.pad(padding=True)`: to the longest example.
        let options = EncodeOptions {
            padding: match options.padding {
                Setting::Set(padding) => Setting::Set(padding),
                Setting::FromFile | Setting::Off => Setting::Set(Padding::longest()),
            },
            pad_to_multiple_of: options.pad_to_multiple_of.or(self.config.pad_to_multiple_of),
            ..*options
        };
        let batch = tokenizer.encode_batch(texts, None, &options)?;
        let masked = self.mask(&MaskInput { tokenizer: Some(tokenizer), ..MaskInput::from_batch(&batch) })?;
        Ok((batch, masked))
    }

    /// [`Masker::collate`], then the masked rows packed several to a row (see
    /// [`super::packing`]): the same masks as without packing, laid out without padding
    /// inside a row. The returned [`Batch`] is the unpacked one.
    pub fn collate_packed(
        &mut self,
        tokenizer: &Tokenizer,
        texts: &[&str],
        options: &EncodeOptions,
        packing: &Packing,
    ) -> Result<(Batch, MaskedBatch)> {
        if !self.aligns_labels {
            return Err(Error::PackingNeedsAlignedLabels { strategy: self.strategy_type });
        }
        packing.check()?;
        let (batch, masked) = self.collate(tokenizer, texts, options)?;
        // The source positions of each masked row: the batch's, repeated per view.
        let source: Vec<u8> = batch
            .attention_mask
            .chunks(batch.seq_len.max(1))
            .flat_map(|row| std::iter::repeat_n(row, self.views))
            .flatten()
            .copied()
            .collect();
        let pad = self.strategy.pad_id().or(self.config.pad_token_id);
        let packed = pack(&masked, &source, packing.max_length, self.views, pad)?;
        Ok((batch, packed))
    }
}

/// A batch with each row repeated `views` times, adjacent.
struct Repeated {
    ids: Vec<u32>,
    special_tokens_mask: Vec<u8>,
    attention_mask: Vec<u8>,
    word_ids: Option<Vec<i32>>,
    offsets: Option<Vec<u32>>,
    batch_size: usize,
}

impl Repeated {
    fn new(input: &MaskInput, views: usize) -> Self {
        fn repeat<T: Copy>(items: &[T], rows: usize, views: usize) -> Vec<T> {
            let per_row = items.len() / rows.max(1);
            let mut out = Vec::with_capacity(items.len() * views);
            for row in items.chunks(per_row.max(1)) {
                for _ in 0..views {
                    out.extend_from_slice(row);
                }
            }
            out
        }
        let rows = input.batch_size;
        Self {
            ids: repeat(input.ids, rows, views),
            special_tokens_mask: repeat(input.special_tokens_mask, rows, views),
            attention_mask: repeat(input.attention_mask, rows, views),
            word_ids: input.word_ids.map(|w| repeat(w, rows, views)),
            offsets: input.offsets.map(|o| repeat(o, rows, views)),
            batch_size: rows * views,
        }
    }

    fn input<'a>(&'a self, original: &MaskInput<'a>) -> MaskInput<'a> {
        MaskInput {
            ids: &self.ids,
            special_tokens_mask: &self.special_tokens_mask,
            attention_mask: &self.attention_mask,
            batch_size: self.batch_size,
            seq_len: original.seq_len,
            word_ids: self.word_ids.as_deref(),
            offsets: self.offsets.as_deref(),
            tokenizer: original.tokenizer,
        }
    }
}
