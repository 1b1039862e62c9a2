import { describe, expect, it } from 'vitest';
import { formatPauliSum, parsePauliSum } from '../../mps/pauli-parse.js';
import type { PauliSum } from '../../mps/pauli.js';

describe('parsePauliSum', () => {
  it('parses the reference example', () => {
    expect(parsePauliSum('Z0 + 0.5*Z1*Z2 - 0.25*X3')).toEqual([
      { coeff: 1, factors: [{ q: 0, p: 'Z' }] },
      { coeff: 0.5, factors: [{ q: 1, p: 'Z' }, { q: 2, p: 'Z' }] },
      { coeff: -0.25, factors: [{ q: 3, p: 'X' }] },
    ]);
  });

  it.each<[string, PauliSum]>([
    ['-Z0', [{ coeff: -1, factors: [{ q: 0, p: 'Z' }] }]],
    ['+ X12', [{ coeff: 1, factors: [{ q: 12, p: 'X' }] }]],
    ['1e-3*Y4', [{ coeff: 1e-3, factors: [{ q: 4, p: 'Y' }] }]],
    ['-2.5E+2 * X0 * Y1', [{ coeff: -250, factors: [{ q: 0, p: 'X' }, { q: 1, p: 'Y' }] }]],
    ['.5*Z3 - 2.*X1', [{ coeff: 0.5, factors: [{ q: 3, p: 'Z' }] }, { coeff: -2, factors: [{ q: 1, p: 'X' }] }]],
    ['I', [{ coeff: 1, factors: [] }]],
    ['3 - I', [{ coeff: 3, factors: [] }, { coeff: -1, factors: [] }]],
    ['0.5*I - Z0', [{ coeff: 0.5, factors: [] }, { coeff: -1, factors: [{ q: 0, p: 'Z' }] }]],
    ['Z0*I1*Z2', [{ coeff: 1, factors: [{ q: 0, p: 'Z' }, { q: 2, p: 'Z' }] }]],
    ['  Z0-Z1  ', [{ coeff: 1, factors: [{ q: 0, p: 'Z' }] }, { coeff: -1, factors: [{ q: 1, p: 'Z' }] }]],
  ])('%j', (text, want) => {
    expect(parsePauliSum(text)).toEqual(want);
  });

  it.each<[string, number | undefined, RegExp]>([
    ['', undefined, /column 1: expected a term, got end of input/],
    ['Z0 +', undefined, /column 5: expected a Pauli factor .* got end of input/],
    ['Z0 + z1', undefined, /column 6: expected a Pauli factor .* got 'z1'/],
    ['2 * X0 Y1', undefined, /column 8: expected '\+', '-', '\*' or the end, got 'Y1'/],
    ['X', undefined, /column 1: expected a Pauli factor/],
    ['Z0 * 0.5', undefined, /column 6: expected a Pauli factor .* got '0.5'/],
    ['Z1a', undefined, /column 1: expected a Pauli factor/],
    ['Z0 + X7', 4, /column 6: qubit 7 out of range for n = 4/],
    ['Z1*X2*Y1', undefined, /column 7: qubit 1 appears twice in one term \(first at column 1\)/],
  ])('rejects %j (n=%s)', (text, n, message) => {
    expect(() => parsePauliSum(text, n)).toThrow(message);
  });

  it('accepts qubits below n', () => {
    expect(parsePauliSum('X3', 4)).toEqual([{ coeff: 1, factors: [{ q: 3, p: 'X' }] }]);
  });
});

describe('formatPauliSum', () => {
  it.each<[PauliSum, string]>([
    [[{ coeff: 1, factors: [{ q: 0, p: 'Z' }] }, { coeff: 0.5, factors: [{ q: 1, p: 'Z' }, { q: 2, p: 'Z' }] }, { coeff: -0.25, factors: [{ q: 3, p: 'X' }] }], 'Z0 + 0.5*Z1*Z2 - 0.25*X3'],
    [[{ coeff: -1, factors: [{ q: 2, p: 'Y' }] }], '-Y2'],
    [[{ coeff: 2, factors: [] }, { coeff: -1, factors: [] }, { coeff: 1e-7, factors: [{ q: 0, p: 'X' }] }], '2 - I + 1e-7*X0'],
    [[], '0'],
  ])('%j → %s, and parses back', (sum, text) => {
    expect(formatPauliSum(sum)).toBe(text);
    if (sum.length > 0) expect(parsePauliSum(text)).toEqual(sum);
  });
});
