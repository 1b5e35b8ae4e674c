// The TypeScript declarations of the option bags are written by hand (src/wasm/types.rs); the
// schema is the core's serde types, which the package describes with `strategies()` and
// `optionSchema()`. This test reads the built .d.ts with the TypeScript compiler and fails when
// the two disagree: keys, optionality, string values, and the kind of each option.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

import { Masker, optionSchema, strategies, Tokenizer } from "mlmask";
import { tokenizerJson } from "./helpers.mjs";

const require = createRequire(import.meta.url);
const ts = require("typescript");
const dtsPath = join(dirname(require.resolve("mlmask")), "mlmask.d.ts");
const source = ts.createSourceFile("mlmask.d.ts", readFileSync(dtsPath, "utf8"), ts.ScriptTarget.Latest, true);

/** The file's interfaces and type aliases by name. */
const declarations = new Map();
source.forEachChild((node) => {
  if (ts.isInterfaceDeclaration(node) || ts.isTypeAliasDeclaration(node)) declarations.set(node.name.text, node);
});

/** The TypeScript interface of each option set of the schema. */
const INTERFACES = {
  LoadOptions: "LoadOptions",
  EncodeOptions: "EncodeOptions",
  Truncation: "TruncationOptions",
  Padding: "PaddingOptions",
  MaskingOptions: "MaskerOptions",
  StrategyOptions: "MaskingStrategy",
};

/** The members of a type: `{ name, optional, type }` for each property. */
function properties(node) {
  return node.members.filter(ts.isPropertySignature).map((m) => ({ name: m.name.text, optional: !!m.questionToken, type: m.type }));
}

/**
 * What a type node allows: string literals, primitive kinds ("number", "boolean", "string",
 * "false", "list"), named interfaces, and inline object types — type aliases resolved.
 */
function allowed(type, out = { strings: new Set(), kinds: new Set(), names: new Set(), objects: [] }) {
  if (ts.isUnionTypeNode(type)) type.types.forEach((t) => allowed(t, out));
  else if (ts.isParenthesizedTypeNode(type)) allowed(type.type, out);
  else if (ts.isLiteralTypeNode(type)) {
    if (ts.isStringLiteral(type.literal)) out.strings.add(type.literal.text);
    else if (type.literal.kind === ts.SyntaxKind.FalseKeyword) out.kinds.add("false");
    else out.kinds.add(`literal ${type.literal.getText()}`);
  } else if (type.kind === ts.SyntaxKind.NumberKeyword) out.kinds.add("number");
  else if (type.kind === ts.SyntaxKind.BooleanKeyword) out.kinds.add("boolean");
  else if (type.kind === ts.SyntaxKind.StringKeyword) out.kinds.add("string");
  else if (ts.isArrayTypeNode(type)) out.kinds.add("list");
  else if (ts.isTypeLiteralNode(type)) out.objects.push(type);
  else if (ts.isTypeReferenceNode(type)) {
    const name = type.typeName.getText();
    const declaration = declarations.get(name);
    if (/^(Float32|Float64|Uint32|Int32)Array$/.test(name)) out.kinds.add("list");
    else if (declaration && ts.isTypeAliasDeclaration(declaration)) allowed(declaration.type, out);
    else out.names.add(name);
  } else out.kinds.add(`unknown ${type.getText()}`);
  return out;
}

/** The schema's string values of a kind (an enum, or an enum among alternatives). */
function stringsOf(kind) {
  if (kind.kind === "enum") return kind.values;
  if (kind.kind === "either") return kind.kinds.flatMap(stringsOf);
  return [];
}

/** Checks one property's type against the schema's kind. */
function checkKind(where, kind, type, sets) {
  const a = allowed(type);
  assert.deepEqual([...a.strings].sort(), stringsOf(kind).sort(), `${where}: string values`);
  const alternatives = kind.kind === "either" ? kind.kinds : [kind];
  for (const k of alternatives) {
    switch (k.kind) {
      case "number":
      case "integer":
        assert.ok(a.kinds.has("number"), `${where}: a number`);
        break;
      case "boolean":
        assert.ok(a.kinds.has("boolean"), `${where}: a boolean`);
        break;
      case "string":
        assert.ok(a.kinds.has("string"), `${where}: a string`);
        break;
      case "list":
        assert.ok(a.kinds.has("list"), `${where}: a list`);
        break;
      case "enum":
        break;
      case "offOrObject":
      case "object": {
        if (k.kind === "offOrObject") assert.ok(a.kinds.has("false"), `${where}: false turns it off`);
        else assert.ok(!a.kinds.has("false"), `${where}: not false`);
        const tsName = INTERFACES[k.set];
        if (tsName) assert.ok(a.names.has(tsName) || declarations.get(tsName)?.kind === ts.SyntaxKind.TypeAliasDeclaration, `${where}: ${tsName}`);
        else {
          // An option set written inline, such as randomTokens' { weights }.
          assert.equal(a.objects.length, 1, `${where}: one inline object type`);
          checkMembers(`${where} (${k.set})`, sets.get(k.set).params, properties(a.objects[0]), sets);
        }
        break;
      }
      default:
        assert.fail(`${where}: a kind this test does not know: ${k.kind}`);
    }
  }
  const primitives = new Set(alternatives.map((k) => ({ integer: "number", offOrObject: "false", enum: null, object: null })[k.kind] ?? k.kind));
  for (const k of a.kinds) assert.ok(primitives.has(k), `${where}: the .d.ts allows ${k}, the schema does not`);
}

function checkMembers(where, params, props, sets) {
  assert.deepEqual(props.map((p) => p.name).sort(), params.map((p) => p.name).sort(), `${where}: keys`);
  for (const p of params) {
    const prop = props.find((q) => q.name === p.name);
    assert.equal(prop.optional, !p.required, `${where}.${p.name}: optional`);
    checkKind(`${where}.${p.name}`, p, prop.type, sets);
  }
}

test("every options interface of the .d.ts is the schema's option set", () => {
  const sets = new Map(optionSchema().map((s) => [s.name, s]));
  for (const [name, set] of sets) {
    if (!INTERFACES[name]) continue; // written inline where it is used
    const declaration = declarations.get(INTERFACES[name]);
    assert.ok(declaration && ts.isInterfaceDeclaration(declaration), `${INTERFACES[name]} is declared`);
    checkMembers(INTERFACES[name], set.params, properties(declaration), sets);
  }
  assert.deepEqual([...sets.keys()].filter((n) => !INTERFACES[n]), ["RandomTokens::Weights", "Packing", "Ul2Denoiser", "FimTokens"]);
  // The UL2 denoiser is an interface of its own, inside a list.
  checkMembers("Ul2Denoiser", sets.get("Ul2Denoiser").params, properties(declarations.get("Ul2Denoiser")), sets);
});

test("MaskingStrategy of the .d.ts is strategies(), type by type", () => {
  const union = declarations.get("MaskingStrategy").type;
  const members = new Map(
    union.types.map((t) => {
      const props = properties(t);
      const type = allowed(props.find((p) => p.name === "type").type).strings;
      assert.equal(type.size, 1);
      return [[...type][0], props.filter((p) => p.name !== "type")];
    }),
  );
  const catalog = strategies();
  assert.deepEqual([...members.keys()], catalog.map((s) => s.name));
  const sets = new Map(optionSchema().map((s) => [s.name, s]));
  for (const s of catalog) checkMembers(s.name, s.params, members.get(s.name), sets);
});

test("strategies() lists each parameter with its kind, default and range", () => {
  const catalog = strategies();
  const span = catalog.find((s) => s.name === "span");
  assert.deepEqual(span.params.find((p) => p.name === "geometricP"), {
    name: "geometricP", kind: "number", default: 0.2, required: false, min: 0, minExclusive: true, max: 1,
  });
  assert.deepEqual(span.params.find((p) => p.name === "maxSpan"), { name: "maxSpan", kind: "integer", default: 10, required: false, min: 1, max: 1000 });
  const wholeWord = catalog.find((s) => s.name === "wholeWord");
  assert.deepEqual(wholeWord.params.find((p) => p.name === "replacement"), {
    name: "replacement", kind: "enum", values: ["mask", "perWord", "perToken"], default: "mask", required: false,
  });
  assert.deepEqual(catalog.find((s) => s.name === "ngram").params.find((p) => p.name === "ngramProbabilities"), {
    name: "ngramProbabilities", kind: "list", items: { kind: "number" }, required: false, min: 0,
  });
  assert.deepEqual(catalog.find((s) => s.name === "token").params, []);
});

test("new Masker takes every value strategies() offers, at the ends of each range, and refuses beyond", () => {
  const tok = Tokenizer.fromJSON(tokenizerJson("t5-small"), { maskToken: "<extra_id_99>" });
  // What a strategy needs besides its defaults on this tokenizer: a lexicon, and FIM tokens
  // (t5-small has none of its own).
  const needs = {
    lexiconSpans: { lexicon: [] },
    fim: { fimTokens: { prefix: "<extra_id_0>", middle: "<extra_id_1>", suffix: "<extra_id_2>", pad: "<pad>" } },
  };
  const builds = (strategy) => {
    strategy = { ...needs[strategy.type], ...strategy };
    try {
      new Masker(tok, { strategy }).free();
      return true;
    } catch {
      return false;
    }
  };
  for (const s of strategies()) {
    assert.ok(builds({ type: s.name }), s.name);
    for (const p of s.params) {
      const at = (value) => ({ type: s.name, [p.name]: value, ...(p.name === "minSpan" ? { maxSpan: 1000 } : {}) });
      if (p.default !== undefined) assert.ok(builds(at(p.default)), `${s.name}.${p.name} default`);
      for (const value of p.values ?? []) assert.ok(builds(at(value)), `${s.name}.${p.name} = ${value}`);
      const step = p.kind === "integer" ? 1 : 1e-9;
      if (p.kind === "list") continue;
      if (p.min !== undefined) {
        assert.equal(builds(at(p.min)), !p.minExclusive, `${s.name}.${p.name} at its min`);
        assert.ok(!builds(at(p.min - step)), `${s.name}.${p.name} below its min`);
      }
      if (p.max !== undefined) {
        assert.ok(builds(at(p.max)), `${s.name}.${p.name} at its max`);
        assert.ok(!builds(at(p.max + step)), `${s.name}.${p.name} above its max`);
      }
    }
  }
  tok.free();
});
