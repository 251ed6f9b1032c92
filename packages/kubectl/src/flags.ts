/**
 * A kubectl-style (pflag) command-line parser: long flags (`--namespace x`, `--namespace=x`),
 * shorthands (`-n x`, `-nx`, `-n=x`, `-oyaml`), grouped boolean shorthands (`-Aw`), flags anywhere
 * among the positional arguments, and `--` to end flag parsing.
 */
import { UsageError } from './errors.js';

/**
 * `bool`: a switch (`--watch`, `--watch=false`); `string`: one value, last wins; `int`: an integer;
 * `slice`: repeatable, each value also split on commas (pflag StringSlice); `array`: repeatable,
 * values kept whole (pflag StringArray).
 */
export type FlagType = 'bool' | 'string' | 'int' | 'slice' | 'array';

export type FlagValue = boolean | string | number | string[];

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  default?: FlagValue;
  /** Value used when the flag is given without `=value` (pflag NoOptDefVal), e.g. `--dry-run`. */
  noOptDefault?: string;
  help: string;
}

export interface ParsedArgs {
  /** Every declared flag, with its default when not given. */
  flags: Record<string, FlagValue>;
  /** Names of the flags that were given explicitly. */
  set: Set<string>;
  /** Positional arguments, in order. */
  args: string[];
}

/** Parses `argv` against `specs`. Throws UsageError with pflag's wording for unknown or bad flags. */
export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedArgs {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short!, s]));
  const out: ParsedArgs = { flags: defaults(specs), set: new Set(), args: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      out.args.push(...argv.slice(i + 1));
      break;
    }
    if (arg.startsWith('--') && arg.length > 2) {
      i = parseLong(argv, i, byName, out);
    } else if (arg.startsWith('-') && arg.length > 1) {
      i = parseShorts(argv, i, byShort, out);
    } else {
      out.args.push(arg);
    }
  }
  return out;
}

function defaults(specs: readonly FlagSpec[]): Record<string, FlagValue> {
  const flags: Record<string, FlagValue> = {};
  for (const s of specs) {
    if (s.default !== undefined) flags[s.name] = Array.isArray(s.default) ? [...s.default] : s.default;
    else if (s.type === 'bool') flags[s.name] = false;
    else if (s.type === 'slice' || s.type === 'array') flags[s.name] = [];
    else if (s.type === 'int') flags[s.name] = 0;
    else flags[s.name] = '';
  }
  return flags;
}

function parseLong(argv: readonly string[], i: number, byName: Map<string, FlagSpec>, out: ParsedArgs): number {
  const body = argv[i].slice(2);
  const eq = body.indexOf('=');
  const name = eq < 0 ? body : body.slice(0, eq);
  const spec = byName.get(name);
  if (!spec) throw new UsageError(`unknown flag: --${name}`);
  if (eq >= 0) {
    assign(spec, body.slice(eq + 1), `--${name}`, out);
    return i;
  }
  if (spec.type === 'bool') {
    assign(spec, 'true', `--${name}`, out);
    return i;
  }
  if (spec.noOptDefault !== undefined) {
    assign(spec, spec.noOptDefault, `--${name}`, out);
    return i;
  }
  if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: --${name}`);
  assign(spec, argv[i + 1], `--${name}`, out);
  return i + 1;
}

function parseShorts(argv: readonly string[], i: number, byShort: Map<string, FlagSpec>, out: ParsedArgs): number {
  const body = argv[i].slice(1);
  for (let j = 0; j < body.length; j++) {
    const c = body[j];
    const spec = byShort.get(c);
    if (!spec) throw new UsageError(`unknown shorthand flag: '${c}' in -${body}`);
    const rest = body.slice(j + 1);
    if (spec.type === 'bool') {
      if (rest.startsWith('=')) {
        assign(spec, rest.slice(1), `-${c}`, out);
        return i;
      }
      assign(spec, 'true', `-${c}`, out);
      continue;
    }
    if (rest.length > 0) {
      assign(spec, rest.startsWith('=') ? rest.slice(1) : rest, `-${c}`, out);
      return i;
    }
    if (spec.noOptDefault !== undefined) {
      assign(spec, spec.noOptDefault, `-${c}`, out);
      return i;
    }
    if (i + 1 >= argv.length) throw new UsageError(`flag needs an argument: '${c}' in -${c}`);
    assign(spec, argv[i + 1], `-${c}`, out);
    return i + 1;
  }
  return i;
}

function assign(spec: FlagSpec, raw: string, shown: string, out: ParsedArgs): void {
  out.set.add(spec.name);
  switch (spec.type) {
    case 'bool': {
      const v = parseBool(raw);
      if (v === undefined) throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax`);
      out.flags[spec.name] = v;
      return;
    }
    case 'int': {
      if (!/^[+-]?\d+$/.test(raw)) throw new UsageError(`invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax`);
      out.flags[spec.name] = Number.parseInt(raw, 10);
      return;
    }
    case 'slice':
      (out.flags[spec.name] as string[]).push(...raw.split(',').filter((s) => s !== ''));
      return;
    case 'array':
      (out.flags[spec.name] as string[]).push(raw);
      return;
    default:
      out.flags[spec.name] = raw;
  }
}

function parseBool(raw: string): boolean | undefined {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(raw)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(raw)) return false;
  return undefined;
}

/**
 * Finds the subcommand in argv: the first positional argument, skipping the values of the given
 * value-taking global flags. Returns its index, or -1.
 */
export function findCommandIndex(argv: readonly string[], globals: readonly FlagSpec[]): number {
  const valued = new Set<string>();
  for (const s of globals) {
    if (s.type === 'bool' || s.noOptDefault !== undefined) continue;
    valued.add(`--${s.name}`);
    if (s.short) valued.add(`-${s.short}`);
  }
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--') return i + 1 < argv.length ? i + 1 : -1;
    if (!a.startsWith('-') || a === '-') return i;
    if (valued.has(a)) i++;
  }
  return -1;
}

/** Formats the flags for a help screen, kubectl style (`-n, --namespace='': help`). */
export function formatFlagHelp(specs: readonly FlagSpec[]): string {
  const lines: string[] = [];
  for (const s of [...specs].sort((a, b) => a.name.localeCompare(b.name))) {
    const names = s.short ? `-${s.short}, --${s.name}` : `--${s.name}`;
    lines.push(`    ${names}=${formatDefault(s)}:\n\t${s.help}\n`);
  }
  return lines.join('\n');
}

function formatDefault(s: FlagSpec): string {
  const d = s.default;
  if (s.type === 'bool') return String(d ?? false);
  if (s.type === 'int') return String(d ?? 0);
  if (s.type === 'slice' || s.type === 'array') return `[${((d as string[] | undefined) ?? []).join(',')}]`;
  return `'${(d as string | undefined) ?? ''}'`;
}
