// The masking, tokenizing and padding controls. Each edit reports a partial settings change;
// render() puts the settled values back.

import { byId } from "./dom";
import type { Settings } from "../model/settings";
import { MAX_SEED, MAX_VIEWS } from "../model/settings";
import { adjustSplit, keepShare } from "../model/split";
import { findStrategy, parseParam, STRATEGIES, type ParamSpec } from "../model/strategies";
import { controlReasons, type ControlId } from "../model/controls";
import { el } from "./dom";


export interface Controls {
  render(s: Settings): void;
}

export function setUpControls(
  root: HTMLElement,
  current: () => Settings,
  change: (patch: Partial<Settings>) => void,
  reset: () => void,
  copyLink: () => void,
): Controls {
  const q = <T extends HTMLElement>(id: string) => byId<T>(id, root);
  const strategy = q<HTMLSelectElement>("strategy");
  const strategyDescription = q("strategy-description");
  const p = q<HTMLInputElement>("mlm-probability");
  const pRange = q<HTMLInputElement>("mlm-probability-range");
  const mask = q<HTMLInputElement>("mask-replace-prob");
  const maskRange = q<HTMLInputElement>("mask-replace-prob-range");
  const random = q<HTMLInputElement>("random-replace-prob");
  const randomRange = q<HTMLInputElement>("random-replace-prob-range");
  const splitSummary = q("split-summary");
  const splitBar = root.querySelector<HTMLElement>(".split-bar")!;
  const seed = q<HTMLInputElement>("seed");
  const reroll = q<HTMLButtonElement>("reroll");
  const randomTokens = q<HTMLSelectElement>("random-tokens");
  const special = q<HTMLInputElement>("add-special-tokens");
  const maxLength = q<HTMLInputElement>("max-length");
  const padMultiple = q<HTMLInputElement>("pad-to-multiple-of");
  const views = q<HTMLInputElement>("views");
  const packing = q<HTMLInputElement>("packing");
  const paramsBox = q("strategy-params");
  const pField = q("mlm-probability-field");
  const splitField = q("split-field");
  const rng = q<HTMLSelectElement>("rng");
  const rngHint = q("rng-hint");
  const specialTokens = q<HTMLSelectElement>("special-tokens");
  let paramsFor = "";
  let paramInputs = new Map<string, HTMLInputElement | HTMLSelectElement>();

  rng.addEventListener("change", () => change({ rng: rng.value as Settings["rng"] }));
  specialTokens.addEventListener("change", () => change({ specialTokens: specialTokens.value as Settings["specialTokens"] }));

  /** One control per parameter of the chosen strategy (rebuilt when the strategy changes). */
  function buildParams(id: string) {
    paramsFor = id;
    paramInputs = new Map();
    const info = findStrategy(id);
    const fields = (info?.params ?? []).map((spec: ParamSpec) => {
      const field = el("div", "field");
      const inputId = `param-${spec.key}`;
      const label = el("label", undefined, spec.label);
      label.htmlFor = inputId;
      let input: HTMLInputElement | HTMLSelectElement;
      if (spec.kind === "choice") {
        const sel = el("select");
        for (const o of spec.options) {
          const opt = el("option", undefined, o.label);
          opt.value = o.value;
          sel.append(opt);
        }
        sel.addEventListener("change", () => setParam(spec, sel.value));
        input = sel;
      } else {
        const num = el("input");
        num.type = "number";
        num.min = String(spec.min);
        num.max = String(spec.max);
        num.step = String(spec.step);
        num.inputMode = spec.integer ? "numeric" : "decimal";
        num.addEventListener("input", () => {
          const ok = parseParam(spec, num.value) !== undefined;
          num.setAttribute("aria-invalid", ok ? "false" : "true");
          if (ok) setParam(spec, num.value);
        });
        input = num;
      }
      input.id = inputId;
      input.dataset.param = spec.key;
      paramInputs.set(spec.key, input);
      field.append(label, input, el("p", "hint", spec.hint));
      return field;
    });
    paramsBox.replaceChildren(...fields);
  }
  function setParam(spec: ParamSpec, text: string) {
    const v = parseParam(spec, text);
    if (v === undefined) return;
    const params = { ...current().strategyParams };
    if (v === spec.default) delete params[spec.key];
    else params[spec.key] = v;
    change({ strategyParams: params });
  }

  for (const s of STRATEGIES) {
    const o = document.createElement("option");
    o.value = s.id;
    o.textContent = s.label;
    strategy.append(o);
  }
  strategy.addEventListener("change", () => change({ strategy: strategy.value, strategyParams: {} }));

  const prob = (v: string): number | null => {
    if (v.trim() === "") return null;
    const n = Number(v);
    return Number.isFinite(n) && n >= 0 && n <= 1 ? n : null;
  };
  const positiveInt = (v: string): number | null | undefined => {
    if (v.trim() === "") return null; // empty: "none"
    const n = Number(v);
    return Number.isInteger(n) && n >= 1 ? n : undefined; // undefined: invalid, ignore
  };

  const onProb = (input: HTMLInputElement, apply: (v: number) => void) =>
    input.addEventListener("input", () => {
      const v = prob(input.value);
      input.setAttribute("aria-invalid", v === null ? "true" : "false");
      if (v !== null) apply(v);
    });
  for (const input of [p, pRange]) onProb(input, (v) => change({ mlmProbability: v }));
  for (const input of [mask, maskRange]) onProb(input, (v) => change(adjustSplit(current(), "maskReplaceProb", v)));
  for (const input of [random, randomRange])
    onProb(input, (v) => change(adjustSplit(current(), "randomReplaceProb", v)));

  seed.addEventListener("input", () => {
    const n = Number(seed.value);
    const ok = seed.value.trim() !== "" && Number.isInteger(n) && n >= 0 && n <= MAX_SEED;
    seed.setAttribute("aria-invalid", ok ? "false" : "true");
    if (ok) change({ seed: n });
  });
  reroll.addEventListener("click", () => {
    const buf = new Uint32Array(1);
    crypto.getRandomValues(buf);
    change({ seed: buf[0] % 1_000_000 });
  });
  randomTokens.addEventListener("change", () => change({ randomTokens: randomTokens.value as Settings["randomTokens"] }));
  special.addEventListener("change", () => change({ addSpecialTokens: special.checked }));
  for (const [input, key] of [
    [maxLength, "maxLength"],
    [padMultiple, "padToMultipleOf"],
    [packing, "packing"],
  ] as const) {
    input.addEventListener("input", () => {
      const v = positiveInt(input.value);
      input.setAttribute("aria-invalid", v === undefined ? "true" : "false");
      if (v !== undefined) change({ [key]: v });
    });
  }
  views.addEventListener("input", () => {
    const n = Number(views.value);
    const ok = Number.isInteger(n) && n >= 1 && n <= MAX_VIEWS;
    views.setAttribute("aria-invalid", ok ? "false" : "true");
    if (ok) change({ views: n });
  });
  // Settle the shown values when an edit ends (e.g. an invalid number reverts).
  root.addEventListener("change", () => render(current()));

  q<HTMLButtonElement>("reset").addEventListener("click", reset);
  q<HTMLButtonElement>("copy-link").addEventListener("click", copyLink);

  const setValue = (input: HTMLInputElement, v: string) => {
    // Leave the field alone while the user is typing in it.
    if (document.activeElement !== input || input.type === "range") input.value = v;
  };

  function render(s: Settings) {
    strategy.value = s.strategy;
    const info = findStrategy(s.strategy);
    strategyDescription.textContent = info?.description ?? "";
    if (paramsFor !== s.strategy) buildParams(s.strategy);
    for (const spec of info?.params ?? []) {
      const input = paramInputs.get(spec.key)!;
      const v = String(s.strategyParams[spec.key] ?? spec.default);
      if (input instanceof HTMLSelectElement) input.value = v;
      else {
        setValue(input, v);
        input.setAttribute("aria-invalid", "false");
      }
    }
    // A control that cannot change the result is disabled, with the reason beside it.
    const reasons = controlReasons(s);
    const boxes: Record<ControlId, HTMLElement> = {
      mlmProbability: pField,
      split: splitField,
      randomTokens: randomTokens.closest<HTMLElement>(".field")!,
      packing: packing.closest<HTMLElement>(".field")!,
    };
    for (const [id, box] of Object.entries(boxes) as [ControlId, HTMLElement][]) disable(box, reasons[id]);
    rng.value = s.rng;
    specialTokens.value = s.specialTokens;
    rngHint.textContent =
      s.rng === "mlmask"
        ? "mlmask's own stream: the same distribution as Python, other positions."
        : s.strategy === "token"
          ? `Draws exactly as transformers' seeded collator with return_tensors="${s.rng === "numpy" ? "np" : "pt"}": the same masks as Python.`
          : "Exact Python masks need the token strategy; here it is only another stream.";
    for (const [a, b, v] of [
      [p, pRange, s.mlmProbability],
      [mask, maskRange, s.maskReplaceProb],
      [random, randomRange, s.randomReplaceProb],
    ] as const) {
      setValue(a, String(v));
      setValue(b, String(v));
      a.setAttribute("aria-invalid", "false");
    }
    const keep = keepShare(s);
    splitBar.style.setProperty("--mask", String(s.maskReplaceProb));
    splitBar.style.setProperty("--random", String(s.randomReplaceProb));
    splitBar.style.setProperty("--keep", String(keep));
    splitSummary.textContent =
      reasons.split === null
        ? `Of the selected tokens: ${pct(s.maskReplaceProb)} become the mask token, ${pct(
            s.randomReplaceProb,
          )} a random token, ${pct(keep)} stay unchanged (the two shares sum to at most 1).`
        : "";
    setValue(seed, String(s.seed));
    randomTokens.value = s.randomTokens;
    special.checked = s.addSpecialTokens;
    setValue(maxLength, s.maxLength === null ? "" : String(s.maxLength));
    setValue(padMultiple, s.padToMultipleOf === null ? "" : String(s.padToMultipleOf));
    setValue(views, String(s.views));
    setValue(packing, s.packing === null ? "" : String(s.packing));
  }
  return { render };
}

/** Disable every input of `box` and say why, or enable them again (`reason` null). */
function disable(box: HTMLElement, reason: string | null) {
  for (const input of box.querySelectorAll<HTMLInputElement | HTMLSelectElement>("input, select")) input.disabled = reason !== null;
  box.classList.toggle("not-applicable", reason !== null);
  let note = box.querySelector<HTMLElement>(":scope > .disabled-reason");
  if (reason === null) {
    note?.remove();
    return;
  }
  if (!note) {
    note = el("p", "hint disabled-reason");
    box.append(note);
  }
  note.dataset.disabledReason = "";
  note.textContent = reason;
}

function pct(x: number): string {
  return `${(x * 100).toFixed(x * 100 === Math.round(x * 100) ? 0 : 1)} %`;
}
