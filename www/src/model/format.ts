// Number formatting shared by the views and the Python snippet.

/** A probability as Python prints a float: 0.15, 1.0, 0.0, 1e-05. */
export function pyFloat(x: number): string {
  if (Number.isInteger(x)) return x.toFixed(1);
  // Python switches to exponent notation below 1e-4 and writes at least two exponent digits.
  const s = Math.abs(x) < 1e-4 ? x.toExponential() : String(x);
  return s.replace(/e([+-])(\d)$/, "e$10$2");
}

/** A count with thin grouping: 12,345. */
export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** An expected value: one decimal below 100, none above. */
export function expectedValue(x: number): string {
  return x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString("en-US");
}

/** A byte size: 512 B, 1.2 kB, 1.0 MB. */
export function bytes(n: number): string {
  if (n < 1000) return `${n} B`;
  if (n < 1e6) return `${(n / 1e3).toFixed(1)} kB`;
  return `${(n / 1e6).toFixed(1)} MB`;
}

/** A Python string literal (double quotes, escapes for quotes, backslashes and control characters). */
export function pyString(s: string): string {
  let out = '"';
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    if (ch === "\\") out += "\\\\";
    else if (ch === '"') out += '\\"';
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (c < 0x20 || c === 0x7f) out += `\\x${c.toString(16).padStart(2, "0")}`;
    else if (c === 0x2028 || c === 0x2029) out += `\\u${c.toString(16)}`;
    else out += ch;
  }
  return out + '"';
}
