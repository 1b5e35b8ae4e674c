// The JavaScript half of the binding's conversions (src/wasm/convert.rs), imported by the
// wasm module. Building a result object field by field from Rust costs one JS<->wasm crossing
// per array and per property (about 4 us per encode() in all, bench/README.md); here Rust
// lays out or lists a result's arrays in wasm memory and makes one call, and the object is
// built in plain JavaScript. Likewise `Masker.mask` reads its input arrays with one call that
// copies them into wasm memory, and option bags are read from plain copies.
//
// Nothing here may throw into wasm (an exception unwinding through Rust would leave the
// instance half-borrowed): failures come back as values (a message string, an Error, -1).

let memory;

/** Called once, before the first address is passed, with the module's `WebAssembly.Memory`. */
export function useMemory(wasmMemory) {
  memory = wasmMemory;
}

/** A fresh ArrayBuffer holding a copy of `byteLength` bytes of wasm memory at `at`. */
function copyOut(at, byteLength) {
  return new Uint8Array(memory.buffer, at, byteLength).slice().buffer;
}

/**
 * A fresh ArrayBuffer holding `count` arrays of wasm memory one after another, as listed at
 * `segments`: (address, byte length) pairs of uint32. Rust lists its vectors where they are,
 * so a large result is copied once, here.
 */
function gather(segments, count) {
  const list = new Uint32Array(memory.buffer, segments, 2 * count);
  let total = 0;
  for (let i = 0; i < count; i++) total += list[2 * i + 1];
  const out = new Uint8Array(total);
  const source = new Uint8Array(memory.buffer);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const start = list[2 * i];
    const length = list[2 * i + 1];
    out.set(source.subarray(start, start + length), at);
    at += length;
  }
  return out.buffer;
}

// Columns of `n` positions, as `convert::encoding_object` lays them out (and `batch_object`
// lists them): ids, typeIds, offsets
// (two per position), wordIds as 32-bit words, then specialTokensMask, attentionMask and
// sequenceIds as bytes; 23 bytes per position.

/**
 * An `Encoding`. `tokens` is the array Rust made, or undefined when the encoding's token
 * strings are each `vocabulary.tokens` of their id (see `Encoding`).
 */
export function encodingFromColumns(at, n, tokens, vocabulary) {
  const b = copyOut(at, 23 * n);
  const ids = new Uint32Array(b, 0, n);
  const typeIds = new Uint32Array(b, 4 * n, n);
  const offsets = new Uint32Array(b, 8 * n, 2 * n);
  const wordIds = new Int32Array(b, 16 * n, n);
  const specialTokensMask = new Uint8Array(b, 20 * n, n);
  const attentionMask = new Uint8Array(b, 21 * n, n);
  const sequenceIds = new Int8Array(b, 22 * n, n);
  if (tokens !== undefined) {
    return { ids, tokens, typeIds, offsets, specialTokensMask, attentionMask, wordIds, sequenceIds };
  }
  return new Encoding(ids, typeIds, offsets, specialTokensMask, attentionMask, wordIds, sequenceIds, vocabulary);
}

/**
 * An encoding whose `tokens` are looked up from its ids when first read. Most callers never
 * read them, and making them cost more than the rest of an encode() of a line (a string per
 * token in Rust, decoded here); an own accessor per object (to keep `tokens` an own property
 * before it is read) cost a third of an encode() of a short text, so the accessor is on the
 * prototype. Once read, `tokens` is an own property like the others; before that, spreading
 * or structured-cloning the object leaves it out (the README says so).
 */
class Encoding {
  #vocabulary;
  constructor(ids, typeIds, offsets, specialTokensMask, attentionMask, wordIds, sequenceIds, vocabulary) {
    this.ids = ids;
    this.typeIds = typeIds;
    this.offsets = offsets;
    this.specialTokensMask = specialTokensMask;
    this.attentionMask = attentionMask;
    this.wordIds = wordIds;
    this.sequenceIds = sequenceIds;
    this.#vocabulary = vocabulary;
  }

  get tokens() {
    return ownTokens(this, this.#vocabulary.tokens(this.ids));
  }

  set tokens(value) {
    ownTokens(this, value);
  }

  toJSON() {
    return { ...this, tokens: this.tokens };
  }
}

function ownTokens(encoding, tokens) {
  Object.defineProperty(encoding, "tokens", { value: tokens, writable: true, enumerable: true, configurable: true });
  return tokens;
}

/** A `BatchEncoding` of `batchSize` rows of `seqLen` positions, its columns listed at `segments`. */
export function batchFromColumns(segments, batchSize, seqLen) {
  const n = batchSize * seqLen;
  const b = gather(segments, 7);
  return {
    batchSize,
    seqLen,
    ids: new Uint32Array(b, 0, n),
    typeIds: new Uint32Array(b, 4 * n, n),
    offsets: new Uint32Array(b, 8 * n, 2 * n),
    specialTokensMask: new Uint8Array(b, 20 * n, n),
    attentionMask: new Uint8Array(b, 21 * n, n),
    wordIds: new Int32Array(b, 16 * n, n),
    sequenceIds: new Int8Array(b, 22 * n, n),
  };
}

/**
 * A `MaskedBatch`, its arrays listed at `segments` as `convert::masked_object` orders them:
 * the 32-bit arrays (inputIds, labels, then spanIds and the three prediction lists when
 * present), then the byte arrays (attentionMask, outcome). `maxPredictions` is -1 without
 * prediction lists.
 */
export function maskedFromColumns(segments, batchSize, seqLen, labelsLen, sourceLen, hasSpanIds, maxPredictions) {
  const cells = batchSize * seqLen;
  const labelCells = batchSize * labelsLen;
  const sourceCells = batchSize * sourceLen;
  const spanCells = hasSpanIds ? sourceCells : 0;
  const predictionCells = maxPredictions >= 0 ? batchSize * maxPredictions : 0;
  const b = gather(segments, 4 + (hasSpanIds ? 1 : 0) + (maxPredictions >= 0 ? 3 : 0));
  let next = 0;
  const take = (Type, length) => {
    const array = new Type(b, next, length);
    next += length * Type.BYTES_PER_ELEMENT;
    return array;
  };
  const inputIds = take(Int32Array, cells);
  const labels = take(Int32Array, labelCells);
  const spanIds = hasSpanIds ? take(Int32Array, spanCells) : undefined;
  const maskedPositions = maxPredictions >= 0 ? take(Int32Array, predictionCells) : undefined;
  const maskedIds = maxPredictions >= 0 ? take(Int32Array, predictionCells) : undefined;
  const maskedWeights = maxPredictions >= 0 ? take(Float32Array, predictionCells) : undefined;
  const attentionMask = take(Uint8Array, cells);
  const outcome = take(Uint8Array, sourceCells);
  const masked = { batchSize, seqLen, inputIds, labels, attentionMask, outcome, labelsLen, sourceLen };
  if (hasSpanIds) masked.spanIds = spanIds;
  if (maxPredictions >= 0) Object.assign(masked, { maxPredictions, maskedPositions, maskedIds, maskedWeights });
  return masked;
}

/** `collate`'s result: the masked batch with the batch it came from. */
export function withBatch(masked, batch) {
  masked.batch = batch;
  return masked;
}

// ---- Option bags ------------------------------------------------------------------------------

/**
 * A copy of an option bag in plain data (own enumerable keys, nested objects and arrays
 * copied, typed arrays kept), or an Error when reading it throws (a getter, a Proxy). Rust
 * reads bags field by field; an exception thrown into wasm there would leave the object
 * borrowed and unusable, so it reads this copy instead.
 */
export function plainCopy(value) {
  try {
    return copy(value, 0);
  } catch (e) {
    return new Error(e?.message ?? String(e));
  }
}

function copy(value, depth) {
  if (value === null || typeof value !== "object" || ArrayBuffer.isView(value) || depth > 8) return value;
  if (Array.isArray(value)) return Array.from(value, (item) => copy(item, depth + 1));
  const out = {};
  for (const key of Object.keys(value)) out[key] = copy(value[key], depth + 1);
  return out;
}

/**
 * The options most often passed on every call, `addSpecialTokens` and `offsets` (booleans),
 * read in one call: bit 0 set when `addSpecialTokens` is given, bit 1 its value, bit 2 when
 * `offsets` is given, bit 3 its value. `undefined` and `null` give 0. Anything else (another
 * key, another type) gives -1, and Rust reads the object the general way, with its checks and
 * messages; that way costs about 1 us per call (a crossing per known key).
 */
export function booleanEncodeOptions(value) {
  if (value === undefined || value === null) return 0;
  if (typeof value !== "object" || Array.isArray(value)) return -1;
  let bits = 0;
  try {
    for (const key in value) {
      const v = value[key];
      if (v === undefined) continue;
      if (typeof v !== "boolean") return -1;
      if (key === "addSpecialTokens") bits |= 1 | (v ? 2 : 0);
      else if (key === "offsets") bits |= 4 | (v ? 8 : 0);
      else return -1;
    }
  } catch {
    return -1; // a throwing getter: the general path reports it
  }
  return bits;
}

// ---- Masker.mask's input ------------------------------------------------------------------

/** `typeof`, with arrays and null told apart, as `convert::type_name` words it. */
function typeName(value) {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  return typeof value;
}

class InputError extends Error {}

function read(object, name) {
  try {
    return object[name];
  } catch {
    throw new InputError(`could not read \`${name}\``);
  }
}

/** A field holding numbers, as a typed array of `Type` (converted when it is another kind). */
function numbers(object, name, Type, optional) {
  const value = read(object, name);
  if (value === undefined) {
    if (optional) return undefined;
    throw new InputError(`the encoding has no \`${name}\`; pass the object returned by encode() or encodeBatch()`);
  }
  if (value instanceof Type) return value;
  if (!(Array.isArray(value) || ArrayBuffer.isView(value))) {
    throw new InputError(`\`${name}\` must be a typed array or an array of numbers, got ${typeName(value)}`);
  }
  try {
    return new Type(value);
  } catch (e) {
    throw new InputError(`could not read \`${name}\`: ${e?.message ?? e}`);
  }
}

/** batchSize / seqLen: -1 when absent. */
function dimension(object, name) {
  const value = read(object, name);
  if (value === undefined) return -1;
  if (typeof value === "number" && Number.isInteger(value) && value >= 0 && value <= 0xffffffff) return value;
  throw new InputError(`\`${name}\` must be a non-negative integer, got ${typeName(value) === "string" ? JSON.stringify(value) : String(value)}`);
}

let pending;

/**
 * Check what `mask()` was given and write the sizes of its arrays to the 7 int32 at `header`:
 * ids, specialTokensMask, attentionMask, wordIds (-1 absent) and offsets (-1) lengths,
 * batchSize and seqLen (-1 absent). `wordIds` and `offsets` are read only when the masker's
 * strategy uses them. Returns an error message, or undefined; then `readMaskInput` copies the
 * arrays.
 */
export function measureMaskInput(value, header, readWordIds, readOffsets) {
  pending = undefined;
  try {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      return `mask() takes an encoding or batch object from encode() or encodeBatch(), got ${typeName(value)}`;
    }
    const ids = numbers(value, "ids", Uint32Array, false);
    const specialTokensMask = numbers(value, "specialTokensMask", Uint8Array, false);
    const attentionMask = numbers(value, "attentionMask", Uint8Array, false);
    const wordIds = readWordIds ? numbers(value, "wordIds", Int32Array, true) : undefined;
    const offsets = readOffsets ? numbers(value, "offsets", Uint32Array, true) : undefined;
    const sizes = [
      ids.length,
      specialTokensMask.length,
      attentionMask.length,
      wordIds?.length ?? -1,
      offsets?.length ?? -1,
      dimension(value, "batchSize"),
      dimension(value, "seqLen"),
    ];
    new Int32Array(memory.buffer, header, 7).set(sizes);
    pending = { ids, specialTokensMask, attentionMask, wordIds, offsets };
    return undefined;
  } catch (e) {
    if (e instanceof InputError) return e.message;
    return `could not read the encoding: ${e?.message ?? e}`;
  }
}

/** Copy the measured arrays: ids, wordIds, offsets as 32-bit words at `words`; the masks as bytes at `bytes`. */
export function readMaskInput(words, bytes) {
  const { ids, specialTokensMask, attentionMask, wordIds, offsets } = pending;
  pending = undefined;
  const buffer = memory.buffer;
  new Uint32Array(buffer, words, ids.length).set(ids);
  let at = words + 4 * ids.length;
  if (wordIds !== undefined) {
    new Int32Array(buffer, at, wordIds.length).set(wordIds);
    at += 4 * wordIds.length;
  }
  if (offsets !== undefined) new Uint32Array(buffer, at, offsets.length).set(offsets);
  new Uint8Array(buffer, bytes, specialTokensMask.length).set(specialTokensMask);
  new Uint8Array(buffer, bytes + specialTokensMask.length, attentionMask.length).set(attentionMask);
}
