/** Shell patterns (`*`, `?`, `[...]`) for `case`, `${x%pattern}` and pathname expansion. */

/** Text with a quoting mark: quoted characters only ever match themselves. */
export interface Segment {
  text: string;
  quoted: boolean;
}

/** True if the segments hold an unquoted `*`, `?` or `[`. */
export function hasGlob(segments: Segment[]): boolean {
  return segments.some((s) => !s.quoted && /[*?[]/.test(s.text));
}

/** Joins segments into plain text (quote removal). */
export function segmentText(segments: Segment[]): string {
  return segments.map((s) => s.text).join('');
}

/** A regular-expression source for the pattern (no anchors). In pathname mode wildcards never match `/`. */
export function patternSource(segments: Segment[], pathname = false): string {
  let out = '';
  const any = pathname ? '[^/]' : '[\\s\\S]';
  for (const seg of segments) {
    if (seg.quoted) {
      out += escapeRegExp(seg.text);
      continue;
    }
    const t = seg.text;
    for (let i = 0; i < t.length; i++) {
      const c = t[i];
      if (c === '*') out += `${any}*`;
      else if (c === '?') out += any;
      else if (c === '\\' && i + 1 < t.length) out += escapeRegExp(t[++i]);
      else if (c === '[') {
        const end = bracketEnd(t, i);
        if (end < 0) out += '\\[';
        else {
          out += bracketSource(t.slice(i + 1, end));
          i = end;
        }
      } else out += escapeRegExp(c);
    }
  }
  return out;
}

/** True if the whole of `text` matches the pattern. */
export function matchPattern(segments: Segment[], text: string): boolean {
  return new RegExp(`^${patternSource(segments)}$`).test(text);
}

/** `${x#p}` / `${x##p}` / `${x%p}` / `${x%%p}`: removes the shortest or longest matching prefix or suffix. */
export function removeAffix(value: string, segments: Segment[], op: '#' | '##' | '%' | '%%'): string {
  const re = new RegExp(`^${patternSource(segments)}$`);
  const n = value.length;
  if (op === '#' || op === '##') {
    const order = op === '#' ? range(0, n) : range(0, n).reverse();
    for (const i of order) if (re.test(value.slice(0, i))) return value.slice(i);
  } else {
    const order = op === '%' ? range(0, n).reverse() : range(0, n);
    for (const i of order) if (re.test(value.slice(i))) return value.slice(0, i);
  }
  return value;
}

function range(from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i <= to; i++) out.push(i);
  return out;
}

function bracketEnd(t: string, start: number): number {
  let i = start + 1;
  if (t[i] === '!' || t[i] === '^') i += 1;
  if (t[i] === ']') i += 1;
  for (; i < t.length; i++) if (t[i] === ']') return i;
  return -1;
}

function bracketSource(body: string): string {
  let negate = false;
  if (body.startsWith('!') || body.startsWith('^')) {
    negate = true;
    body = body.slice(1);
  }
  const classes: Record<string, string> = {
    '[:alpha:]': 'a-zA-Z', '[:digit:]': '0-9', '[:alnum:]': 'a-zA-Z0-9', '[:upper:]': 'A-Z',
    '[:lower:]': 'a-z', '[:space:]': '\\s', '[:xdigit:]': '0-9a-fA-F', '[:punct:]': '!-\\/:-@\\[-`{-~',
  };
  let inner = body.replace(/\\/g, '\\\\').replace(/\]/g, '\\]');
  for (const [name, src] of Object.entries(classes)) inner = inner.split(name.replace(/\]/g, '\\]')).join(src);
  return `[${negate ? '^' : ''}${inner}]`;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
