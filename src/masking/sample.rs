//! Sampling helpers shared by the strategies, all drawing from the masker's [`MaskRng`].

use crate::rng::MaskRng;

/// A uniform index in `[0, n)`, `n >= 1`.
pub fn index_below(rng: &mut dyn MaskRng, n: usize) -> usize {
    let mut out = [0u32];
    rng.uniform_below(u32::try_from(n).unwrap_or(u32::MAX).max(1), &[true], &mut out);
    out[0] as usize
}

/// Shuffle in place (Fisher-Yates).
pub fn shuffle<T>(rng: &mut dyn MaskRng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        items.swap(i, index_below(rng, i + 1));
    }
}

/// Draw an index from a cumulative distribution (`cdf` ascending, last entry the total).
pub fn from_cdf(rng: &mut dyn MaskRng, cdf: &[f64]) -> usize {
    let total = cdf.last().copied().unwrap_or(0.0);
    let u = rng.next_unit() * total;
    cdf.partition_point(|&c| c <= u).min(cdf.len().saturating_sub(1))
}

/// The running sums of `weights`.
pub fn cumulative(weights: impl IntoIterator<Item = f64>) -> Vec<f64> {
    weights
        .into_iter()
        .scan(0.0, |sum, w| {
            *sum += w;
            Some(*sum)
        })
        .collect()
}

/// SpanBERT's span-length distribution: `p (1 - p)^(k - min)` for `k` in `min..=max`,
/// normalised. Index `i` of the result is the weight of length `min + i`.
pub fn truncated_geometric_cdf(p: f64, min: usize, max: usize) -> Vec<f64> {
    cumulative((min..=max).map(|k| p * (1.0 - p).powi((k - min) as i32)))
}

/// fairseq's Poisson span lengths: `P(k) = e^-λ λ^k / k!` for `k = 0, 1, ...` up to 127, cut
/// where the tail falls below 1e-7. fairseq cuts at the first such `k`, which for λ above about
/// 16 is `k = 0` itself (a distribution that only ever draws empty spans); mlmask cuts only past
/// the mode.
pub fn poisson_cdf(lambda: f64) -> Vec<f64> {
    let mut weights = Vec::new();
    let mut p = (-lambda).exp();
    for k in 0..128 {
        if k > 0 {
            p *= lambda / k as f64;
        }
        weights.push(p);
        if p < 1e-7 && k as f64 > lambda {
            break;
        }
    }
    cumulative(weights)
}

/// Python's `round()`: to the nearest integer, ties to even.
pub fn round_half_even(x: f64) -> usize {
    x.round_ties_even().max(0.0) as usize
}

/// Pearson's chi-square statistic of `draws` from a sampler against the distribution `cdf`
/// describes, and its degrees of freedom; bins expecting fewer than 5 draws are pooled.
#[cfg(test)]
pub fn chi_square(cdf: &[f64], draws: impl Iterator<Item = usize>) -> (f64, usize) {
    let total = *cdf.last().unwrap();
    let mut observed = vec![0usize; cdf.len()];
    let mut n = 0;
    for d in draws {
        observed[d] += 1;
        n += 1;
    }
    let expected: Vec<f64> =
        cdf.iter().enumerate().map(|(i, &c)| n as f64 * (c - if i == 0 { 0.0 } else { cdf[i - 1] }) / total).collect();
    let (mut stat, mut bins, mut pooled_o, mut pooled_e) = (0.0, 0, 0.0, 0.0);
    for (o, e) in observed.iter().zip(&expected) {
        pooled_o += *o as f64;
        pooled_e += e;
        if pooled_e >= 5.0 {
            stat += (pooled_o - pooled_e).powi(2) / pooled_e;
            bins += 1;
            pooled_o = 0.0;
            pooled_e = 0.0;
        }
    }
    if pooled_e > 0.0 {
        stat += (pooled_o - pooled_e).powi(2) / pooled_e;
        bins += 1;
    }
    (stat, bins - 1)
}

/// Upper 0.1% points of the chi-square distribution, by degrees of freedom (1 to 20): a
/// generous alpha, so a correct sampler fails one run in a thousand at most, at a fixed seed never.
#[cfg(test)]
pub const CHI_SQUARE_999: [f64; 20] = [
    10.83, 13.82, 16.27, 18.47, 20.52, 22.46, 24.32, 26.12, 27.88, 29.59, 31.26, 32.91, 34.53, 36.12, 37.70, 39.25,
    40.79, 42.31, 43.82, 45.31,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::MlmaskRng;

    #[test]
    fn span_lengths_follow_the_truncated_geometric() {
        let mut rng = MlmaskRng::from_seed(2024);
        let cdf = truncated_geometric_cdf(0.2, 1, 10);
        let (stat, df) = chi_square(&cdf, (0..50_000).map(|_| from_cdf(&mut rng, &cdf)));
        assert_eq!(df, 9);
        assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df");
    }

    #[test]
    fn bart_lengths_follow_the_poisson() {
        let mut rng = MlmaskRng::from_seed(7);
        let cdf = poisson_cdf(3.0);
        let (stat, df) = chi_square(&cdf, (0..50_000).map(|_| from_cdf(&mut rng, &cdf)));
        assert!(df >= 9, "{df}");
        assert!(stat < CHI_SQUARE_999[df - 1], "chi-square {stat:.2} with {df} df");
    }

    #[test]
    fn large_lambdas_still_draw_long_spans() {
        let cdf = poisson_cdf(21.25);
        let mut rng = MlmaskRng::from_seed(1);
        let mean = (0..10_000).map(|_| from_cdf(&mut rng, &cdf) as f64).sum::<f64>() / 10_000.0;
        assert!((mean - 21.25).abs() < 0.5, "mean {mean}");
    }

    #[test]
    fn the_chi_square_test_rejects_a_wrong_distribution() {
        let mut rng = MlmaskRng::from_seed(7);
        let wrong = truncated_geometric_cdf(0.3, 1, 10);
        let claimed = truncated_geometric_cdf(0.2, 1, 10);
        let (stat, df) = chi_square(&claimed, (0..50_000).map(|_| from_cdf(&mut rng, &wrong)));
        assert!(stat > CHI_SQUARE_999[df - 1], "a p = 0.3 sampler must fail a p = 0.2 test: {stat:.2}");
    }

    #[test]
    fn python_rounding_breaks_ties_to_even() {
        assert_eq!([0.5, 1.5, 2.5, 2.6].map(round_half_even), [0, 2, 2, 3]);
    }

    #[test]
    fn shuffles_are_permutations() {
        let mut rng = MlmaskRng::from_seed(3);
        let mut v: Vec<usize> = (0..100).collect();
        shuffle(&mut rng, &mut v);
        assert_ne!(v, (0..100).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..100).collect::<Vec<_>>());
    }

    #[test]
    fn distributions_are_normalisable() {
        let g = truncated_geometric_cdf(0.2, 1, 10);
        assert_eq!(g.len(), 10);
        let p = poisson_cdf(3.0);
        assert!((p.last().unwrap() - 1.0).abs() < 1e-5, "{:?}", p.last());
        let mut rng = MlmaskRng::from_seed(1);
        assert!((0..1000).all(|_| from_cdf(&mut rng, &g) < 10));
    }
}
