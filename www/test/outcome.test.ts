import { describe, expect, it } from "vitest";
import { chipClasses, countOutcomes, OUTCOME_NAMES, OUTCOMES, outcomeName, positionKind, runSummary } from "../src/model/outcome";

describe("outcomes", () => {
  it("names the codes of mlmask's Outcome enum", () => {
    expect([0, 1, 2, 3].map(outcomeName)).toEqual(["unselected", "mask", "random", "kept"]);
    expect(outcomeName(9)).toBe("unselected");
    expect(OUTCOME_NAMES.length).toBe(4);
  });

  it("gives every selected outcome a non-colour cue, all different", () => {
    const icons = (["mask", "random", "kept"] as const).map((n) => OUTCOMES[n].icon);
    expect(icons.every((i) => i.length > 0)).toBe(true);
    expect(new Set(icons).size).toBe(3);
  });

  it("tells padding and special tokens apart", () => {
    expect(positionKind(1, 0)).toBe("padding");
    expect(positionKind(1, 1)).toBe("special");
    expect(positionKind(0, 1)).toBe("token");
  });

  it("counts outcomes and eligible positions", () => {
    const c = countOutcomes([0, 1, 2, 3, 3, 0, 0], [1, 0, 0, 0, 0, 0, 1], [1, 1, 1, 1, 1, 1, 0]);
    expect(c).toEqual({ eligible: 5, selected: 4, mask: 1, random: 1, kept: 2, special: 1, padding: 1 });
  });

  it("says what each number of the status line counts", () => {
    // [CLS] a b c [SEP] [PAD]: 6 positions, 5 tokens, 3 selectable; one masked, one kept.
    const r = { outcome: [0, 1, 0, 3, 0, 0], specialTokensMask: [1, 0, 0, 0, 1, 1], attentionMask: [1, 1, 1, 1, 1, 0], strategy: "token" };
    expect(runSummary(r, "Masked in 0.1 ms.")).toBe(
      "6 positions (5 tokens, 3 selectable); 2 selected: 1 → mask token, 0 → random token, 1 kept. Masked in 0.1 ms.",
    );
    expect(runSummary({ ...r, strategy: "t5SpanCorruption" }, "")).toBe("6 positions (5 tokens, 3 selectable); 2 in noise spans. ");
  });

  it("builds the chip classes", () => {
    expect(chipClasses(1, "token")).toEqual(["chip", "outcome-mask", "kind-token"]);
    expect(chipClasses(0, "padding")).toEqual(["chip", "outcome-unselected", "kind-padding"]);
  });
});
