import type { ImageDefinition, Program } from '../process.js';
import { DASH_SH, debianPrograms, DEFAULT_PATH } from './common.js';

/** arctan(1/x) scaled by `unit`, by its Taylor series in integers. */
function arctanInverse(x: bigint, unit: bigint): bigint {
  let sum = 0n;
  let term = unit / x;
  const x2 = x * x;
  for (let n = 1n, sign = 1n; term !== 0n; n += 2n, sign = -sign) {
    sum += (sign * term) / n;
    term /= x2;
  }
  return sum;
}

/** π to `digits` significant digits, rounded, as Math::BigFloat's bpi(digits) prints it. */
export function piDigits(digits: number): string {
  const guard = 10;
  const unit = 10n ** BigInt(digits - 1 + guard);
  const pi = 16n * arctanInverse(5n, unit) - 4n * arctanInverse(239n, unit);
  const scale = 10n ** BigInt(guard);
  const rounded = (pi + scale / 2n) / scale;
  const s = rounded.toString();
  return digits <= 1 ? s : `${s[0]}.${s.slice(1)}`;
}

/** The only perl the docs run: `perl -Mbignum=bpi -wle 'print bpi(2000)'` (the Job example), and printing literals. */
const perl: Program = async (ctx) => {
  const args = ctx.argv.slice(1);
  const at = args.findIndex((a) => /^-\w*e$/.test(a));
  const script = at >= 0 ? (args[at + 1] ?? '') : '';
  const newline = args.some((a) => /^-\w*l\w*$/.test(a)) ? '\n' : '';
  const outputs: string[] = [];
  for (const statement of script.split(';').map((s) => s.trim()).filter((s) => s !== '')) {
    const pi = /^print\s+bpi\(\s*(\d+)\s*\)$/.exec(statement);
    const literal = /^print\s+(?:"([^"]*)"|'([^']*)'|(-?\d+(?:\.\d+)?))$/.exec(statement);
    if (pi && args.some((a) => a.startsWith('-Mbignum'))) outputs.push(piDigits(Math.min(Number(pi[1]), 20_000)));
    else if (literal) outputs.push((literal[1] ?? literal[2] ?? literal[3]).replace(/\\n/g, '\n'));
    else {
      await ctx.stderr.write(`syntax error at -e line 1, near "${statement}"\nExecution of -e aborted due to compilation errors.\n`);
      return 255;
    }
  }
  for (const o of outputs) await ctx.stdout.write(`${o}${newline}`);
  return 0;
};

/** perl: enough for the Job example that prints π. */
export const perlImage: ImageDefinition = {
  name: 'perl',
  description: 'perl: `perl -Mbignum=bpi -wle "print bpi(2000)"` (the Job example) prints π; plus printing literals',
  repositories: ['docker.io/library/perl'],
  entrypoint: [],
  cmd: ['perl5.34.0', '-de0'],
  env: { PATH: DEFAULT_PATH },
  programs: { ...debianPrograms(), perl, 'perl5.34.0': perl },
  shell: DASH_SH,
};
