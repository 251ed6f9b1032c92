import { describe, expect, it } from 'vitest';
import { findCommandIndex, parseFlags, type FlagSpec } from '../src/flags.js';

const SPECS: FlagSpec[] = [
  { name: 'namespace', short: 'n', type: 'string', help: '' },
  { name: 'output', short: 'o', type: 'string', help: '' },
  { name: 'all-namespaces', short: 'A', type: 'bool', help: '' },
  { name: 'watch', short: 'w', type: 'bool', help: '' },
  { name: 'filename', short: 'f', type: 'slice', help: '' },
  { name: 'from-literal', type: 'array', help: '' },
  { name: 'replicas', type: 'int', default: 1, help: '' },
  { name: 'dry-run', type: 'string', default: 'none', noOptDefault: 'unchanged', help: '' },
  { name: 'wait', type: 'bool', default: true, help: '' },
];

describe('parseFlags', () => {
  const cases: { argv: string[]; flags?: Record<string, unknown>; args?: string[] }[] = [
    { argv: ['get', 'pods', '-n', 'x'], flags: { namespace: 'x' }, args: ['get', 'pods'] },
    { argv: ['--namespace=x', 'pods'], flags: { namespace: 'x' }, args: ['pods'] },
    { argv: ['-nx'], flags: { namespace: 'x' } },
    { argv: ['-n=x'], flags: { namespace: 'x' } },
    { argv: ['-oyaml'], flags: { output: 'yaml' } },
    { argv: ['-o', 'jsonpath={.a}'], flags: { output: 'jsonpath={.a}' } },
    { argv: ['-Aw'], flags: { 'all-namespaces': true, watch: true } },
    { argv: ['-A', '--watch=false'], flags: { 'all-namespaces': true, watch: false } },
    { argv: ['-f', 'a.yaml', '-f', 'b.yaml,c.yaml'], flags: { filename: ['a.yaml', 'b.yaml', 'c.yaml'] } },
    { argv: ['--from-literal=a=1,2', '--from-literal', 'b=2'], flags: { 'from-literal': ['a=1,2', 'b=2'] } },
    { argv: ['--replicas=3'], flags: { replicas: 3 } },
    { argv: [], flags: { replicas: 1, 'dry-run': 'none', wait: true, filename: [] } },
    { argv: ['--dry-run'], flags: { 'dry-run': 'unchanged' } },
    { argv: ['--dry-run=server'], flags: { 'dry-run': 'server' } },
    { argv: ['--wait=false'], flags: { wait: false } },
    { argv: ['a', '--', '-n', 'b'], flags: { namespace: '' }, args: ['a', '-n', 'b'] },
    { argv: ['-f', '-'], flags: { filename: ['-'] } },
  ];
  for (const c of cases) {
    it(`parses ${JSON.stringify(c.argv)}`, () => {
      const p = parseFlags(c.argv, SPECS);
      for (const [k, v] of Object.entries(c.flags ?? {})) expect(p.flags[k]).toEqual(v);
      if (c.args) expect(p.args).toEqual(c.args);
    });
  }

  const errors: { argv: string[]; message: string }[] = [
    { argv: ['--bar'], message: 'unknown flag: --bar' },
    { argv: ['-x'], message: "unknown shorthand flag: 'x' in -x" },
    { argv: ['-n'], message: "flag needs an argument: 'n' in -n" },
    { argv: ['--namespace'], message: 'flag needs an argument: --namespace' },
    { argv: ['--replicas=abc'], message: 'invalid argument "abc" for "--replicas" flag: strconv.ParseInt: parsing "abc": invalid syntax' },
    { argv: ['--watch=maybe'], message: 'invalid argument "maybe" for "--watch" flag: strconv.ParseBool: parsing "maybe": invalid syntax' },
  ];
  for (const e of errors) {
    it(`rejects ${JSON.stringify(e.argv)} with pflag's message`, () => {
      expect(() => parseFlags(e.argv, SPECS)).toThrow(e.message);
    });
  }
});

describe('findCommandIndex', () => {
  const cases: { argv: string[]; index: number }[] = [
    { argv: ['get', 'pods'], index: 0 },
    { argv: ['-n', 'kube-system', 'get', 'pods'], index: 2 },
    { argv: ['--namespace=x', 'get'], index: 1 },
    { argv: ['-A', 'get'], index: 1 },
    { argv: ['-n', 'x'], index: -1 },
    { argv: [], index: -1 },
  ];
  for (const c of cases) {
    it(`finds the command in ${JSON.stringify(c.argv)}`, () => {
      expect(findCommandIndex(c.argv, SPECS)).toBe(c.index);
    });
  }
});
