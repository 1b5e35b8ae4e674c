// The JavaScript half of the binding's results and inputs (src/wasm/results.rs), imported by
// the wasm module. Building a result object field by field from Rust costs one JS<->wasm crossing
// per array and per property (about 4 us per encode() in all, bench/README.md); here Rust
// lays out or lists a result's arrays in wasm memory and makes one call, and the object is
// built in plain JavaScript. Likewise `Masker.mask` reads its input arrays with one call that
// copies them into wasm memory, and option bags are read from plain copies.
//
// Nothing here may throw into wasm (an exception unwinding through Rust would leave the
// instance half-borrowed): failures come back as values (a message string, an Error, -1).

let memory;
/**
 * The column table (src/wasm/results.rs `COLUMNS`), by index: { name, size (bytes per element),
 * perPosition (elements per position), view maker }.
 * A maker per type keeps each `new XArray(...)` site monomorphic, which a shared `new Type(...)`
 * is not (a third of the cost of a small encode()).
 */
let columns;
/** The names of `mask()`'s input sizes, in the order Rust reads them from the header. */
let inputFields;

const VIEW_MAKERS = {
  Uint8Array: (buffer, at, length) => new Uint8Array(buffer, at, length),
  Int8Array: (buffer, at, length) => new Int8Array(buffer, at, length),
  Uint32Array: (buffer, at, length) => new Uint32Array(buffer, at, length),
  Int32Array: (buffer, at, length) => new Int32Array(buffer, at, length),
  Float32Array: (buffer, at, length) => new Float32Array(buffer, at, length),
};

/**
 * Called once, before the first address is passed, with the module's `WebAssembly.Memory`,
 * the column table ("name:Type:perPosition,…") and the input header's fields ("name,…"): the layout is
 * Rust's; this file only walks it.
 */
export function useBoundary(wasmMemory, columnTable, inputFieldList) {
  memory = wasmMemory;
  columns = columnTable.split(",").map((entry) => {
    const [name, type, perPosition] = entry.split(":");
    return { name, size: globalThis[type].BYTES_PER_ELEMENT, perPosition: Number(perPosition), view: VIEW_MAKERS[type] };
  });
  inputFields = inputFieldList.split(",");
}

/**
 * Set on `target` the `count` columns listed at `segments` as (address, byte length, column)
 * uint32 triples, each a typed array over one fresh ArrayBuffer holding them all, each starting
 * at a multiple of its element size: Rust lists its vectors where they are, so a large result
 * is copied once, here.
 */
function readColumns(segments, count, target) {
  const list = new Uint32Array(memory.buffer, segments, 3 * count);
  let total = 0;
  for (let i = 0; i < count; i++) total = align(total, columns[list[3 * i + 2]].size) + list[3 * i + 1];
  const buffer = new ArrayBuffer(total);
  const out = new Uint8Array(buffer);
  const source = new Uint8Array(memory.buffer);
  let at = 0;
  for (let i = 0; i < count; i++) {
    const start = list[3 * i];
    const length = list[3 * i + 1];
    const column = columns[list[3 * i + 2]];
    at = align(at, column.size);
    out.set(source.subarray(start, start + length), at);
    target[column.name] = column.view(buffer, at, length / column.size);
    at += length;
  }
  return target;
}

function align(at, size) {
  return at % size === 0 ? at : at + size - (at % size);
}

/**
 * An `Encoding` of `n` positions, its columns laid out in the `len` bytes at `at` one after
 * another in table order, `present` the bit set of those it has. `tokens` is the array Rust made, or undefined when the
 * encoding's token strings are each `vocabulary.tokens` of their id (see `Encoding`).
 */
export function encodingFromColumns(at, len, n, present, tokens, vocabulary) {
  const buffer = new Uint8Array(memory.buffer, at, len).slice().buffer;
  const target = tokens !== undefined ? { tokens } : new Encoding(vocabulary);
  let offset = 0;
  for (let c = 0; present >> c !== 0; c++) {
    if (!(present & (1 << c))) continue;
    const column = columns[c];
    offset = align(offset, column.size);
    target[column.name] = column.view(buffer, offset, n * column.perPosition);
    offset += n * column.perPosition * column.size;
  }
  return target;
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
  constructor(vocabulary) {
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

/** A `BatchEncoding` of `batchSize` rows of `seqLen` positions. */
export function batchFromColumns(segments, count, batchSize, seqLen) {
  return readColumns(segments, count, { batchSize, seqLen });
}

/** A `MaskedBatch`; `maxPredictions` is -1 without prediction lists. */
export function maskedFromColumns(segments, count, batchSize, seqLen, labelsLen, sourceLen, maxPredictions) {
  const masked = { batchSize, seqLen, labelsLen, sourceLen };
  if (maxPredictions >= 0) masked.maxPredictions = maxPredictions;
  return readColumns(segments, count, masked);
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

/** `typeof`, with arrays and null told apart, as `options::type_name` words it. */
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

/**
 * Check what `mask()` was given and write the sizes Rust needs to the int32 header at
 * `header`, one per name of `inputFields` (-1 when absent). `wordIds` and `offsets` are read
 * only when the masker's strategy uses them (batchSize and seqLen are -1 when absent). Returns an
 * error message, or what it read, which Rust hands to `readMaskInput` once it has made room.
 */
export function measureMaskInput(value, header, readWordIds, readOffsets) {
  try {
    if (value === null || (typeof value !== "object" && typeof value !== "function")) {
      return `mask() takes an encoding or batch object from encode() or encodeBatch(), got ${typeName(value)}`;
    }
    const input = {
      ids: numbers(value, "ids", Uint32Array, false),
      specialTokensMask: numbers(value, "specialTokensMask", Uint8Array, false),
      attentionMask: numbers(value, "attentionMask", Uint8Array, false),
      wordIds: readWordIds ? numbers(value, "wordIds", Int32Array, true) : undefined,
      offsets: readOffsets ? numbers(value, "offsets", Uint32Array, true) : undefined,
      batchSize: dimension(value, "batchSize"),
      seqLen: dimension(value, "seqLen"),
    };
    const sizes = new Int32Array(memory.buffer, header, inputFields.length);
    for (let i = 0; i < inputFields.length; i++) {
      const field = input[inputFields[i]];
      sizes[i] = typeof field === "number" ? field : field === undefined ? -1 : field.length;
    }
    return input;
  } catch (e) {
    if (e instanceof InputError) return e.message;
    return `could not read the encoding: ${e?.message ?? e}`;
  }
}

/** Copy the arrays `measureMaskInput` read: ids then offsets at `words`, word ids at `wordIds`, the masks at `bytes`. */
export function readMaskInput(input, words, wordIds, bytes) {
  const { ids, specialTokensMask, attentionMask, offsets } = input;
  const buffer = memory.buffer;
  new Uint32Array(buffer, words, ids.length).set(ids);
  if (offsets !== undefined) new Uint32Array(buffer, words + 4 * ids.length, offsets.length).set(offsets);
  if (input.wordIds !== undefined) new Int32Array(buffer, wordIds, input.wordIds.length).set(input.wordIds);
  new Uint8Array(buffer, bytes, specialTokensMask.length).set(specialTokensMask);
  new Uint8Array(buffer, bytes + specialTokensMask.length, attentionMask.length).set(attentionMask);
}
