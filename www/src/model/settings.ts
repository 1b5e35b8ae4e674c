// Every setting of the view, its defaults, and its round trip through the URL fragment.

import { DEFAULT_STRATEGY, findStrategy, parseParam, type ParamValue } from "./strategies";
import { adjustSplit } from "./split";

export type RandomTokens = "vocab" | "nonSpecial";
/** The random stream: mlmask's own, or an exact port of numpy's / torch's. */
export type Rng = "mlmask" | "numpy" | "torch";
export const RNGS: readonly Rng[] = ["mlmask", "numpy", "torch"];
/** Which positions count as special: the encoding's mask (dicts) or every special id (id lists). */
export type SpecialTokens = "mask" | "ids";

export interface Settings {
  /** "bert-base-uncased", "roberta-base", "url:<address>" or "file:<name>". */
  tokenizer: string;
  text: string;
  /** One text per line, collated as one padded batch. */
  batch: boolean;
  mlmProbability: number;
  maskReplaceProb: number;
  randomReplaceProb: number;
  seed: number;
  addSpecialTokens: boolean;
  randomTokens: RandomTokens;
  /** null: no rounding up. */
  padToMultipleOf: number | null;
  /** null: no truncation. */
  maxLength: number | null;
  strategy: string;
  /** The chosen strategy's parameters that differ from their defaults. */
  strategyParams: Record<string, ParamValue>;
  rng: Rng;
  specialTokens: SpecialTokens;
  whitespace: boolean;
  /** Step-through view: 1..STEP_COUNT. */
  step: number;
  /** Masked copies of the first text shown in the views strip (1: none). */
  views: number;
  /** Batch mode: pack the texts into rows of at most this many tokens; null: off. */
  packing: number | null;
  /** run_mlm.py's group_texts: the texts concatenated and cut into blocks of this many tokens. */
  blocks: number | null;
}

/** Most copies the views strip shows. */
export const MAX_VIEWS = 8;

export const STEP_COUNT = 7;
export const BUNDLED_TOKENIZERS = ["bert-base-uncased", "roberta-base"] as const;
export const SAMPLE_TEXTS: readonly { id: string; label: string; text: string }[] = [
  {
    id: "en",
    label: "English",
    text: "The quick brown fox jumps over the lazy dog. Masked language models learn by filling in the blanks.",
  },
  {
    id: "multilingual",
    label: "Multilingual",
    text: "Hello, world! Bonjour le monde. Grüß Gott, schöne Grüße. Привет, мир! 你好，世界。こんにちは世界。مرحبا بالعالم",
  },
  {
    id: "emoji",
    label: "Emoji",
    text: "Training done 🎉🚀 the loss fell 📉 — thumbs up 👍🏽 and a family 👨‍👩‍👧 on a flag 🇫🇷 trip!",
  },
  {
    id: "code",
    label: "Code & whitespace",
    text: "def mask(tokens):\n\treturn [t if random() > 0.15 else '[MASK]' for t in tokens]  # <script>?</script>",
  },
  {
    id: "batch",
    label: "A batch (one per line)",
    text: "Short line.\nA somewhat longer second line of the batch.\nThird!",
  },
];

export const DEFAULTS: Readonly<Settings> = Object.freeze({
  tokenizer: "bert-base-uncased",
  text: SAMPLE_TEXTS[0].text,
  batch: false,
  mlmProbability: 0.15,
  maskReplaceProb: 0.8,
  randomReplaceProb: 0.1,
  // A first screen that teaches: with the default text and torch's stream, seed 40 selects six
  // tokens and shows all three outcomes (four masked, one random, one kept); 42 kept one only.
  seed: 40,
  addSpecialTokens: true,
  randomTokens: "vocab",
  padToMultipleOf: null,
  maxLength: null,
  strategy: DEFAULT_STRATEGY,
  strategyParams: {},
  // torch's stream by default: as fast as mlmask's own, and the Python snippet then masks
  // exactly as the screen does (transformers' collator defaults to torch tensors).
  rng: "torch",
  specialTokens: "mask",
  whitespace: false,
  step: 1,
  views: 1,
  packing: null,
  blocks: null,
});

/** Largest seed the view accepts (any u32). */
export const MAX_SEED = 0xffffffff;

const KEYS = {
  tokenizer: "tok",
  text: "text",
  batch: "batch",
  mlmProbability: "p",
  maskReplaceProb: "mask",
  randomReplaceProb: "random",
  seed: "seed",
  addSpecialTokens: "special",
  randomTokens: "rt",
  padToMultipleOf: "pad",
  maxLength: "max",
  strategy: "strategy",
  strategyParams: "s.",
  rng: "rng",
  specialTokens: "st",
  whitespace: "ws",
  step: "step",
  views: "views",
  packing: "pack",
  blocks: "blocks",
} as const satisfies Record<keyof Settings, string>;

/** Texts longer than this go into the URL deflated (`z=`), as base64url. */
export const COMPRESS_ABOVE = 2000;

function num(v: number): string {
  return String(v);
}

/**
 * The URL fragment (without "#") for `s`. Only settings that differ from the defaults are
 * written. Long texts are deflated; pass `compress` (async, e.g. `deflateBase64url`) for that.
 */
export async function encodeSettings(
  s: Settings,
  compress: (text: string) => Promise<string> = deflateBase64url,
): Promise<string> {
  const q = new URLSearchParams();
  const d = DEFAULTS;
  if (s.tokenizer !== d.tokenizer) q.set(KEYS.tokenizer, s.tokenizer);
  if (s.batch) q.set(KEYS.batch, "1");
  if (s.mlmProbability !== d.mlmProbability) q.set(KEYS.mlmProbability, num(s.mlmProbability));
  if (s.maskReplaceProb !== d.maskReplaceProb) q.set(KEYS.maskReplaceProb, num(s.maskReplaceProb));
  if (s.randomReplaceProb !== d.randomReplaceProb) q.set(KEYS.randomReplaceProb, num(s.randomReplaceProb));
  if (s.seed !== d.seed) q.set(KEYS.seed, num(s.seed));
  if (!s.addSpecialTokens) q.set(KEYS.addSpecialTokens, "0");
  if (s.randomTokens !== d.randomTokens) q.set(KEYS.randomTokens, s.randomTokens);
  if (s.padToMultipleOf !== null) q.set(KEYS.padToMultipleOf, num(s.padToMultipleOf));
  if (s.maxLength !== null) q.set(KEYS.maxLength, num(s.maxLength));
  if (s.strategy !== d.strategy) q.set(KEYS.strategy, s.strategy);
  const info = findStrategy(s.strategy);
  for (const p of info?.params ?? []) {
    const v = s.strategyParams[p.key];
    if (v !== undefined && v !== p.default) q.set(`${KEYS.strategyParams}${p.key}`, String(v));
  }
  if (s.rng !== d.rng) q.set(KEYS.rng, s.rng);
  if (s.specialTokens !== d.specialTokens) q.set(KEYS.specialTokens, s.specialTokens);
  if (s.whitespace) q.set(KEYS.whitespace, "1");
  if (s.step !== d.step) q.set(KEYS.step, num(s.step));
  if (s.views !== d.views) q.set(KEYS.views, num(s.views));
  if (s.packing !== null) q.set(KEYS.packing, num(s.packing));
  if (s.blocks !== null) q.set(KEYS.blocks, num(s.blocks));
  if (s.text !== d.text) {
    if (s.text.length > COMPRESS_ABOVE) q.set("z", await compress(s.text));
    else q.set(KEYS.text, s.text);
  }
  return q.toString();
}

export interface Decoded {
  settings: Settings;
  /** Values in the URL that were out of range or unknown, in words, for a notice. */
  warnings: string[];
}

/** Settings from a URL fragment ("#..." or "..."); anything missing or invalid takes its default. */
export async function decodeSettings(
  fragment: string,
  decompress: (data: string) => Promise<string> = inflateBase64url,
): Promise<Decoded> {
  const q = new URLSearchParams(fragment.replace(/^#/, ""));
  const s: Settings = { ...DEFAULTS };
  const warnings: string[] = [];
  const has = (k: string) => q.has(k);
  const get = (k: string) => q.get(k) ?? "";

  const prob = (key: string, name: string): number | undefined => {
    if (!has(key)) return undefined;
    const v = Number(get(key));
    if (get(key).trim() === "" || !Number.isFinite(v) || v < 0 || v > 1) {
      warnings.push(`${name} must be a number from 0 to 1, got "${get(key)}"; using the default.`);
      return undefined;
    }
    return v;
  };
  const posInt = (key: string, name: string, min: number, max: number): number | undefined => {
    if (!has(key)) return undefined;
    const v = Number(get(key));
    if (!/^\d+$/.test(get(key).trim()) || v < min || v > max) {
      warnings.push(`${name} must be a whole number from ${min} to ${max}, got "${get(key)}"; using the default.`);
      return undefined;
    }
    return v;
  };

  if (has(KEYS.tokenizer) && get(KEYS.tokenizer) !== "") s.tokenizer = get(KEYS.tokenizer);
  if (has("z")) {
    try {
      s.text = await decompress(get("z"));
    } catch {
      warnings.push("The text in the link is damaged; showing the sample text instead.");
    }
  } else if (has(KEYS.text)) s.text = get(KEYS.text);
  s.batch = get(KEYS.batch) === "1";
  s.mlmProbability = prob(KEYS.mlmProbability, "mlm_probability") ?? s.mlmProbability;
  const mask = prob(KEYS.maskReplaceProb, "mask_replace_prob");
  const random = prob(KEYS.randomReplaceProb, "random_replace_prob");
  if (mask !== undefined) s.maskReplaceProb = mask;
  if (random !== undefined) s.randomReplaceProb = random;
  if (s.maskReplaceProb + s.randomReplaceProb > 1 + 1e-12) {
    warnings.push("mask_replace_prob + random_replace_prob must be at most 1; lowered random_replace_prob.");
    const fixed = adjustSplit(s, "maskReplaceProb", s.maskReplaceProb);
    s.maskReplaceProb = fixed.maskReplaceProb;
    s.randomReplaceProb = fixed.randomReplaceProb;
  }
  s.seed = posInt(KEYS.seed, "seed", 0, MAX_SEED) ?? s.seed;
  if (has(KEYS.addSpecialTokens)) s.addSpecialTokens = get(KEYS.addSpecialTokens) !== "0";
  if (has(KEYS.randomTokens)) {
    const rt = get(KEYS.randomTokens);
    if (rt === "vocab" || rt === "nonSpecial") s.randomTokens = rt;
    else warnings.push(`randomTokens must be "vocab" or "nonSpecial", got "${rt}".`);
  }
  s.padToMultipleOf = posInt(KEYS.padToMultipleOf, "pad_to_multiple_of", 1, 4096) ?? null;
  s.maxLength = posInt(KEYS.maxLength, "max_length", 1, 1_000_000) ?? null;
  if (has(KEYS.strategy)) {
    const id = get(KEYS.strategy);
    if (findStrategy(id)) s.strategy = id;
    else warnings.push(`Unknown masking strategy "${id}"; using "${DEFAULT_STRATEGY}".`);
  }
  const info = findStrategy(s.strategy)!;
  const params: Record<string, ParamValue> = {};
  for (const [k, v] of q) {
    if (!k.startsWith(KEYS.strategyParams)) continue;
    const name = k.slice(KEYS.strategyParams.length);
    const spec = info.params.find((p) => p.key === name);
    const value = spec ? parseParam(spec, v) : undefined;
    if (!spec) warnings.push(`The ${info.label} strategy has no parameter "${name}"; ignored.`);
    else if (value === undefined) warnings.push(`${spec.label} cannot be "${v}"; using the default.`);
    else if (value !== spec.default) params[name] = value;
  }
  s.strategyParams = params;
  if (has(KEYS.rng)) {
    const rng = get(KEYS.rng);
    if ((RNGS as readonly string[]).includes(rng)) s.rng = rng as Rng;
    else warnings.push(`rng must be "mlmask", "numpy" or "torch", got "${rng}".`);
  }
  if (has(KEYS.specialTokens)) {
    const st = get(KEYS.specialTokens);
    if (st === "mask" || st === "ids") s.specialTokens = st;
    else warnings.push(`Special tokens must be "mask" or "ids", got "${st}".`);
  }
  s.whitespace = get(KEYS.whitespace) === "1";
  s.step = posInt(KEYS.step, "step", 1, STEP_COUNT) ?? s.step;
  s.views = posInt(KEYS.views, "views", 1, MAX_VIEWS) ?? s.views;
  s.packing = posInt(KEYS.packing, "packing max_length", 2, 4096) ?? null;
  s.blocks = posInt(KEYS.blocks, "block size", 2, 8192) ?? null;
  return { settings: s, warnings };
}

// --- deflate + base64url, with the platform's CompressionStream (browsers and Node ≥ 18) ---

async function pipeThrough(bytes: Uint8Array, stream: GenerateTransformStream): Promise<Uint8Array> {
  const out = new Blob([bytes as BlobPart]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}
type GenerateTransformStream = CompressionStream | DecompressionStream;

export function toBase64url(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function fromBase64url(s: string): Uint8Array {
  const bin = atob(s.replace(/-/g, "+").replace(/_/g, "/"));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export async function deflateBase64url(text: string): Promise<string> {
  return toBase64url(await pipeThrough(new TextEncoder().encode(text), new CompressionStream("deflate-raw")));
}

export async function inflateBase64url(data: string): Promise<string> {
  const bytes = await pipeThrough(fromBase64url(data), new DecompressionStream("deflate-raw"));
  return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
}
