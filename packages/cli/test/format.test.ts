import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatDuration, formatTable, tailLines } from '../src/index.js';

describe('formatDuration', () => {
  it.each([
    [0, '0s'],
    [45_900, '45s'],
    [60_000, '1m'],
    [192_000, '3m12s'],
    [3_600_000, '1h'],
    [7_500_000, '2h5m'],
    [86_400_000 * 3 + 3_600_000 * 4, '3d4h'],
    [-5, '0s'],
  ])('shows %d ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});

describe('formatTable', () => {
  it('aligns columns three spaces apart without trailing spaces', () => {
    expect(formatTable([['NAME', 'PID'], ['apiserver', '12'], ['nats-server', '3456']])).toBe(
      'NAME          PID\napiserver     12\nnats-server   3456\n',
    );
  });
});

describe('tailLines', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-tail-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  };

  it.each<[string, string, number, string[]]>([
    ['the last lines', 'a\nb\nc\n', 2, ['b', 'c']],
    ['a last line without newline', 'a\nb\nc', 2, ['b', 'c']],
    ['everything when asked for more', 'a\nb\n', 10, ['a', 'b']],
    ['nothing for 0', 'a\n', 0, []],
    ['nothing from an empty file', '', 3, []],
    ['multi-byte text intact', 'é\nñ\n', 1, ['ñ']],
  ])('returns %s', (name, text, n, lines) => {
    expect(tailLines(file(name.replace(/\W/g, '_'), text), n)).toEqual(lines);
  });

  it('reads lines that span its 64 KiB chunks', () => {
    const long = 'x'.repeat(100_000);
    expect(tailLines(file('long', `first\n${long}\n${long}\nlast\n`), 3)).toEqual([long, long, 'last']);
  });

  it('returns nothing for a missing file', () => {
    expect(tailLines(path.join(dir, 'missing'), 3)).toEqual([]);
  });
});
