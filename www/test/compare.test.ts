import { describe, expect, it } from "vitest";
import { differingPositions } from "../src/model/compare";

describe("side by side", () => {
  it("marks the positions whose outcome or masked id differs", () => {
    const a = { outcome: Uint8Array.from([0, 1, 2, 0, 3]), inputIds: Int32Array.from([5, 103, 77, 8, 9]) };
    const b = { outcome: Uint8Array.from([0, 1, 2, 1, 0]), inputIds: Int32Array.from([5, 103, 78, 103, 9]) };
    // 2: both random, other ids; 3: unselected against mask; 4: kept against unselected.
    expect(differingPositions(a, b)).toEqual([2, 3, 4]);
    expect(differingPositions(a, a)).toEqual([]);
  });

  it("compares outcomes alone when a run's ids are not aligned with its positions (T5, BART)", () => {
    const a = { outcome: Uint8Array.from([0, 1, 0]), inputIds: Int32Array.from([5, 32099]) };
    const b = { outcome: Uint8Array.from([0, 1, 1]), inputIds: Int32Array.from([5, 6, 7]) };
    expect(differingPositions(a, b)).toEqual([2]);
  });
});
