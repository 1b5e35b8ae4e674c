// Batch mode: one text per line.

export interface BatchTexts {
  texts: string[];
  /** UTF-16 offset of each text in the whole input, to map token offsets back to it. */
  starts: number[];
}

/** One text per non-blank line (LF or CR LF). Without batch mode the whole input is one text. */
export function splitTexts(input: string, batch: boolean): BatchTexts {
  if (!batch) return { texts: [input], starts: [0] };
  const texts: string[] = [];
  const starts: number[] = [];
  const re = /\r\n|\n|\r/g;
  let start = 0;
  for (;;) {
    const m = re.exec(input);
    const end = m ? m.index : input.length;
    const line = input.slice(start, end);
    if (line.trim() !== "") {
      texts.push(line);
      starts.push(start);
    }
    if (!m) break;
    start = m.index + m[0].length;
  }
  if (texts.length === 0) return { texts: [""], starts: [0] };
  return { texts, starts };
}
