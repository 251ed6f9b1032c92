/**
 * A port of Go's text/tabwriter (space padding, no flags), which kubectl uses for every aligned
 * output: `get` tables (padding 3) and `describe` (padding 2). Cells end with a tab; the last cell
 * of a line is not aligned. A column is aligned over a block of consecutive lines that all have a
 * cell in it, so a line with fewer cells (or a blank line) starts new blocks, exactly as in Go.
 * Like cli-runtime's fork used by `kubectl get -w`, a writer can remember column widths across
 * flushes, so later lines stay aligned with earlier ones (widths only grow).
 */

/** The minimum column width of kubectl's table writer (cli-runtime GetNewTabWriter). */
export const KUBECTL_MIN_WIDTH = 6;

interface Cell {
  text: string;
  width: number;
}

/**
 * Aligns tab-separated text. `minWidth` and `padding` as in Go's `tabwriter.Writer.Init`.
 * `remembered`, when given, holds column widths from earlier output; it is read and updated.
 */
export function tabwrite(text: string, padding: number, minWidth = 0, remembered?: number[]): string {
  const endsWithNewline = text.endsWith('\n');
  const rawLines = (endsWithNewline ? text.slice(0, -1) : text).split('\n');
  const lines: Cell[][] = rawLines.map((l) => l.split('\t').map((t) => ({ text: t, width: runeWidth(t) })));
  const out: string[] = [];
  format(lines, 0, lines.length, [], { padding, minWidth, remembered }, out);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}

/** A writer that collects text and aligns it on flush, like Go's tabwriter over a buffer. */
export class TabWriter {
  private buf = '';
  private readonly minWidth: number;
  private readonly remembered?: number[];

  constructor(
    private readonly padding: number,
    options: { minWidth?: number; rememberWidths?: boolean } = {},
  ) {
    this.minWidth = options.minWidth ?? 0;
    if (options.rememberWidths) this.remembered = [];
  }

  write(s: string): void {
    this.buf += s;
  }

  /** Returns the aligned text written so far and empties the buffer. */
  flush(): string {
    const s = tabwrite(this.buf, this.padding, this.minWidth, this.remembered);
    this.buf = '';
    return s;
  }
}

interface Layout {
  padding: number;
  minWidth: number;
  remembered?: number[];
}

function format(lines: Cell[][], line0: number, line1: number, widths: number[], layout: Layout, out: string[]): void {
  const column = widths.length;
  let start = line0;
  for (let i = line0; i < line1; i++) {
    if (column >= lines[i].length - 1) continue;
    // A cell exists in this column: print the lines before the block, then size the block.
    writeLines(lines, start, i, widths, out);
    start = i;
    let width = Math.max(layout.minWidth, layout.remembered?.[column] ?? 0);
    let end = i;
    for (; end < line1 && column < lines[end].length - 1; end++) {
      width = Math.max(width, lines[end][column].width + layout.padding);
    }
    if (layout.remembered) layout.remembered[column] = width;
    format(lines, start, end, [...widths, width], layout, out);
    start = end;
    i = end - 1;
  }
  writeLines(lines, start, line1, widths, out);
}

function writeLines(lines: Cell[][], from: number, to: number, widths: number[], out: string[]): void {
  for (let i = from; i < to; i++) {
    const cells = lines[i];
    let s = '';
    cells.forEach((c, j) => {
      s += c.text;
      if (j < widths.length && j < cells.length - 1) s += ' '.repeat(Math.max(0, widths[j] - c.width));
    });
    out.push(s);
  }
}

/** Width in code points, as Go's tabwriter counts runes. */
function runeWidth(s: string): number {
  let n = 0;
  for (const _ of s) n++;
  return n;
}
