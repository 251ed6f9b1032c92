import { interpretEscapes } from './util.js';

/** Formats like printf(1): the format is reused until all arguments are consumed. */
export function formatPrintf(format: string, args: string[]): { text: string; errors: string[] } {
  const errors: string[] = [];
  let out = '';
  let i = 0;
  do {
    const start = i;
    const r = formatOnce(format, args, i, errors);
    out += r.text;
    i = r.next;
    if (r.stop || i === start) break;
  } while (i < args.length);
  return { text: out, errors };
}

function formatOnce(format: string, args: string[], start: number, errors: string[]): { text: string; next: number; stop: boolean } {
  let out = '';
  let i = start;
  const re = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d+))?([diouxXfFeEgGcsb%])|\\(?:[0-7]{1,3}|x[0-9a-fA-F]{1,2}|.)|[^%\\]+|[%\\]/g;
  for (const m of format.matchAll(re)) {
    const token = m[0];
    if (token.startsWith('\\')) {
      const e = interpretEscapes(token);
      out += e.text;
      if (e.stop) return { text: out, next: args.length, stop: true };
      continue;
    }
    if (!token.startsWith('%') || token === '%') {
      out += token;
      continue;
    }
    const [, flags, widthSpec, precSpec, conv] = m;
    if (conv === '%') {
      out += '%';
      continue;
    }
    const width = widthSpec === '*' ? Number(args[i++] ?? 0) : widthSpec ? Number(widthSpec) : 0;
    const prec = precSpec === '*' ? Number(args[i++] ?? 0) : precSpec !== undefined ? Number(precSpec) : undefined;
    const arg = args[i++];
    const body = convert(conv, flags, prec, arg, errors);
    if (body.stop) return { text: out + body.text, next: args.length, stop: true };
    out += padField(body.text, width, flags, /[diouxXfFeEgG]/.test(conv));
  }
  return { text: out, next: i, stop: false };
}

function convert(conv: string, flags: string, prec: number | undefined, arg: string | undefined, errors: string[]): { text: string; stop?: boolean } {
  switch (conv) {
    case 's':
      return { text: prec !== undefined ? (arg ?? '').slice(0, prec) : (arg ?? '') };
    case 'b': {
      const e = interpretEscapes(arg ?? '');
      return { text: e.text, stop: e.stop };
    }
    case 'c':
      return { text: (arg ?? '').slice(0, 1) };
    default: {
      const n = toNumber(arg, errors);
      if (/[fFeEgG]/.test(conv)) {
        const p = prec ?? 6;
        const s = conv === 'f' || conv === 'F' ? n.toFixed(p) : conv === 'e' || conv === 'E' ? n.toExponential(p) : String(Number(n.toPrecision(p || 1)));
        return { text: withSign(s, n, flags) };
      }
      const int = Math.trunc(n);
      const base = conv === 'o' ? 8 : conv === 'x' || conv === 'X' ? 16 : 10;
      let s = Math.abs(int).toString(base);
      if (conv === 'X') s = s.toUpperCase();
      if (prec !== undefined) s = s.padStart(prec, '0');
      return { text: withSign(int < 0 ? `-${s}` : s, int, flags) };
    }
  }
}

function withSign(s: string, n: number, flags: string): string {
  if (n >= 0 && flags.includes('+')) return `+${s}`;
  if (n >= 0 && flags.includes(' ')) return ` ${s}`;
  return s;
}

function toNumber(arg: string | undefined, errors: string[]): number {
  if (arg === undefined || arg === '') return 0;
  if (/^['"]/.test(arg)) return arg.charCodeAt(1) || 0;
  const n = /^[-+]?0[xX]/.test(arg) ? parseInt(arg, 16) : Number(arg);
  if (Number.isNaN(n)) {
    errors.push(`invalid number '${arg}'`);
    return 0;
  }
  return n;
}

function padField(s: string, width: number, flags: string, numeric: boolean): string {
  if (s.length >= width) return s;
  if (flags.includes('-')) return s.padEnd(width);
  if (flags.includes('0') && numeric) {
    const sign = /^[-+ ]/.test(s) ? s[0] : '';
    return sign + s.slice(sign.length).padStart(width - sign.length, '0');
  }
  return s.padStart(width);
}
