//! Arbitrary masking options (any float bits, seeds, strategies and their parameters) on
//! arbitrary encodings: `Masker::new` either rejects the options with an error or masks
//! without panicking, and the output has the shape it promises.
#![no_main]

#[path = "../../tests/common/data.rs"]
mod data;

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mlmask::masking::{
    BartOptions, Denoiser, DenoiserKind, ExactCountOptions, FimLevel, FimOptions, FimTokens, LexiconEntry,
    LexiconSpansOptions, NgramOptions, Replacement, Selection, SpanOptions, T5Options, Ul2Options, WholeWordOptions,
    WordBoundary,
};
use mlmask::{
    EncodeOptions, MaskInput, Masker, MaskingOptions, Packing, RandomTokens, RngKind, SpecialTokens, StrategyOptions,
    Tokenizer,
};

fn tokenizers() -> &'static Vec<Tokenizer> {
    static T: OnceLock<Vec<Tokenizer>> = OnceLock::new();
    T.get_or_init(|| {
        ["bert-base-uncased", "roberta-base", "t5-small"]
            .iter()
            .map(|n| Tokenizer::from_json(&data::tokenizer_json(n)).unwrap())
            .collect()
    })
}

/// Reads the fuzzer's bytes as a stream of choices.
struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        let Some((&b, rest)) = self.0.split_first() else { return 0 };
        self.0 = rest;
        b
    }
    fn u64(&mut self) -> u64 {
        (0..8).fold(0, |acc, _| acc << 8 | u64::from(self.byte()))
    }
    /// Mostly ordinary probabilities, sometimes any bit pattern (NaN, infinities, negatives).
    fn probability(&mut self) -> f64 {
        match self.byte() {
            0..=239 => f64::from(self.byte()) / 255.0,
            _ => f64::from_bits(self.u64()),
        }
    }
    fn small(&mut self) -> usize {
        usize::from(self.byte() % 16)
    }
    fn boundary(&mut self) -> WordBoundary {
        [WordBoundary::WordIds, WordBoundary::OffsetsGap, WordBoundary::WordpiecePrefix][usize::from(self.byte() % 3)]
    }
    fn replacement(&mut self) -> Replacement {
        [Replacement::MaskOnly, Replacement::PerToken, Replacement::PerWord, Replacement::PerSpan]
            [usize::from(self.byte() % 4)]
    }
}

fuzz_target!(|data: &[u8]| {
    let mut b = Bytes(data);
    let tokenizer = &tokenizers()[usize::from(b.byte() % 3)];
    // A token of this vocabulary, by a fuzzed id (FIM's tokens).
    let token =
        |b: &mut Bytes| tokenizer.id_to_token(u32::from(b.byte()) * 97 % tokenizer.vocab_size()).unwrap_or_default();
    let strategy = match b.byte() % 10 {
        0 => StrategyOptions::Token,
        1 => StrategyOptions::ExactCount(ExactCountOptions {
            max_predictions: b.small(),
            count_special_tokens: b.byte() & 1 == 0,
        }),
        2 => StrategyOptions::WholeWord(WholeWordOptions {
            word_boundary: b.boundary(),
            replacement: b.replacement(),
            selection: if b.byte() & 1 == 0 { Selection::Bernoulli } else { Selection::ExactCount },
            max_predictions: b.small(),
        }),
        3 => StrategyOptions::Ngram(NgramOptions {
            max_n: b.small(),
            ngram_probabilities: None,
            word_boundary: b.boundary(),
            replacement: b.replacement(),
        }),
        4 => StrategyOptions::Span(SpanOptions {
            geometric_p: b.probability(),
            min_span: b.small(),
            max_span: b.small(),
            word_boundary: b.boundary(),
            replacement: b.replacement(),
        }),
        5 => StrategyOptions::T5SpanCorruption(T5Options {
            noise_density: b.probability(),
            mean_noise_span_length: 1.0 + f64::from(b.byte()) / 16.0,
        }),
        6 => StrategyOptions::Ul2(Ul2Options {
            denoisers: (0..b.small())
                .map(|_| Denoiser {
                    kind: [DenoiserKind::R, DenoiserKind::X, DenoiserKind::S][usize::from(b.byte() % 3)],
                    mean_span_length: 1.0 + f64::from(b.byte()) / 4.0,
                    noise_density: (b.byte() & 1 == 0).then(|| b.probability()),
                    weight: b.probability(),
                    mode_token: (b.byte() & 1 == 0).then(|| token(&mut b)),
                })
                .collect(),
        }),
        7 => StrategyOptions::Fim(FimOptions {
            fim_rate: b.probability(),
            spm_rate: b.probability(),
            level: if b.byte() & 1 == 0 { FimLevel::Character } else { FimLevel::Token },
            fim_tokens: Some(FimTokens {
                prefix: token(&mut b),
                middle: token(&mut b),
                suffix: token(&mut b),
                pad: token(&mut b),
            }),
        }),
        8 => StrategyOptions::LexiconSpans(LexiconSpansOptions {
            lexicon: (0..b.small())
                .map(|_| match b.byte() & 1 {
                    0 => LexiconEntry::Ids((0..b.small()).map(|_| u32::from(b.byte()) * 131).collect()),
                    _ => LexiconEntry::Text(token(&mut b)),
                })
                .collect(),
            word_boundary: b.boundary(),
            replacement: b.replacement(),
        }),
        _ => StrategyOptions::BartInfilling(BartOptions {
            mask_ratio: b.probability(),
            poisson_lambda: f64::from(b.byte()) / 8.0,
            random_ratio: b.probability(),
            word_boundary: b.boundary(),
        }),
    };
    let options = MaskingOptions {
        mlm: b.byte() % 8 != 0,
        mlm_probability: b.probability(),
        mask_replace_prob: b.probability(),
        random_replace_prob: b.probability(),
        random_tokens: if b.byte() & 1 == 0 { RandomTokens::Vocab } else { RandomTokens::NonSpecial },
        seed: Some(b.u64() >> 11),
        pad_to_multiple_of: Some(1 + b.small()),
        strategy,
        rng: [RngKind::Mlmask, RngKind::Numpy, RngKind::Torch][usize::from(b.byte() % 3)],
        special_tokens: if b.byte() & 1 == 0 { SpecialTokens::Mask } else { SpecialTokens::Ids },
        never_select: vec![u32::from(b.byte()) * 7],
        views: 1 + usize::from(b.byte() % 3),
    };
    let packing = (b.byte() & 1 == 0).then(|| Packing { max_length: usize::from(b.byte()) });
    let texts: Vec<String> = String::from_utf8_lossy(b.0).split('\n').take(8).map(str::to_owned).collect();
    let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
    let Ok(mut masker) = Masker::with_tokenizer(tokenizer, &options) else { return };
    if let Some(packing) = packing {
        let Ok((_, out)) = masker.collate_packed(tokenizer, &texts, &EncodeOptions::default(), &packing) else {
            return;
        };
        let packed = out.packed.as_ref().expect("packed rows describe their texts");
        assert!(out.seq_len <= packing.max_length);
        assert_eq!(packed.position_ids.len(), out.batch_size * out.seq_len);
        assert_eq!(*packed.cu_seqlens.last().unwrap() as usize, out.attention_mask.iter().filter(|&&a| a == 1).count());
        return;
    }
    let Ok((batch, out)) = masker.collate(tokenizer, &texts, &EncodeOptions::default()) else { return };
    assert_eq!(out.outcome.len(), batch.batch_size * options.views * out.source_len);
    assert_eq!(out.input_ids.len(), out.batch_size * out.seq_len);
    assert_eq!(out.labels.len(), out.batch_size * out.labels_len);
    let _ = masker.mask(&MaskInput { word_ids: None, ..MaskInput::from_batch(&batch) });
});
