/** Go-style command-line flags (`--port=9376`, `--port 9376`, `-text=hi`, `--tcp`). */
export function parseGoFlags(args: string[]): { flags: Record<string, string>; rest: string[] } {
  const flags: Record<string, string> = {};
  const rest: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const m = /^--?([\w-]+)(?:=(.*))?$/s.exec(args[i]);
    if (!m) {
      rest.push(args[i]);
      continue;
    }
    if (m[2] !== undefined) flags[m[1]] = m[2];
    else if (i + 1 < args.length && !args[i + 1].startsWith('-') && !/^(true|false)$/.test(args[i + 1]) && !BOOLEAN.has(m[1])) flags[m[1]] = args[++i];
    else flags[m[1]] = 'true';
  }
  return { flags, rest };
}

const BOOLEAN = new Set(['tcp', 'udp', 'http', 'close', 'v', 'version', 'help', 'h']);

/** A Go duration ("1.5s", "300ms", "2m") in milliseconds; undefined if malformed. */
export function parseGoDuration(s: string): number | undefined {
  if (s === '0') return 0;
  const units: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let rest = s;
  while (rest !== '') {
    const m = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)/.exec(rest);
    if (!m) return undefined;
    total += Number(m[1]) * units[m[2]];
    rest = rest.slice(m[0].length);
  }
  return s === '' ? undefined : total;
}
