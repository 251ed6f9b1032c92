import { describe, expect, it } from 'vitest';
import { formatQuantity, parseQuantity } from '../src/index.js';

describe('parseQuantity', () => {
  it.each([
    ['0', 0],
    ['1', 1],
    ['100m', 0.1],
    ['1500m', 1.5],
    ['0.5', 0.5],
    ['.5', 0.5],
    ['2.', 2],
    ['+3', 3],
    ['-2', -2],
    ['250n', 250e-9],
    ['10u', 10e-6],
    ['1k', 1000],
    ['128M', 128e6],
    ['2G', 2e9],
    ['1T', 1e12],
    ['1P', 1e15],
    ['1E', 1e18],
    ['1Ki', 1024],
    ['128Mi', 128 * 1024 ** 2],
    ['1.5Gi', 1.5 * 1024 ** 3],
    ['1Ti', 1024 ** 4],
    ['1Pi', 1024 ** 5],
    ['1Ei', 1024 ** 6],
    ['1e3', 1000],
    ['1E3', 1000],
    ['12e-3', 0.012],
    ['5e+2', 500],
  ])('reads %s as %d', (input, value) => {
    expect(parseQuantity(input)).toBeCloseTo(value, 12);
  });

  it.each([[0], [2], [0.25], [-1]])('takes the number %d as it is', (n) => {
    expect(parseQuantity(n)).toBe(n);
  });

  it.each([[''], [' 1'], ['1 '], ['abc'], ['1Kb'], ['1kk'], ['1.2.3'], ['Mi'], ['1mi'], ['1e'], ['--1'], ['1e3Mi']])('rejects %j', (input) => {
    expect(parseQuantity(input)).toBeUndefined();
  });

  it.each([[NaN], [Infinity], [null], [{}], [true]])('rejects the non-quantity %j', (input) => {
    expect(parseQuantity(input as never)).toBeUndefined();
  });
});

describe('formatQuantity', () => {
  it.each([
    [0, 'DecimalSI', '0'],
    [1, 'DecimalSI', '1'],
    [0.1, 'DecimalSI', '100m'],
    [0.25, 'DecimalSI', '250m'],
    [1.5, 'DecimalSI', '1500m'],
    [1500, 'DecimalSI', '1500'],
    [2000, 'DecimalSI', '2k'],
    [5e9, 'DecimalSI', '5G'],
    [1e-9, 'DecimalSI', '1n'],
    [1e-10, 'DecimalSI', '1n'],
    [-0.5, 'DecimalSI', '-500m'],
    [1024, 'BinarySI', '1Ki'],
    [1073741824, 'BinarySI', '1Gi'],
    [1.5 * 1024 ** 3, 'BinarySI', '1536Mi'],
    [1000, 'BinarySI', '1000'],
    [0.5, 'BinarySI', '500m'],
  ] as const)('writes %d (%s) as %s', (value, format, text) => {
    expect(formatQuantity(value, format)).toBe(text);
  });

  it.each([['100m'], ['2k'], ['1Gi'], ['1536Mi'], ['250n'], ['7']])('round-trips %s', (text) => {
    const format = text.endsWith('i') ? 'BinarySI' : 'DecimalSI';
    expect(formatQuantity(parseQuantity(text)!, format)).toBe(text);
  });

  it('refuses what is not a finite number', () => {
    expect(() => formatQuantity(NaN)).toThrow(RangeError);
  });
});
