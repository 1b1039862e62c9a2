/** The `noise` block: accepted forms, the channels after each gate, and one-line errors. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { channelsAfterGate, depolarizingModel, isNoiseless, parseNoiseModel } from '../../mps/noise.js';

describe('parseNoiseModel', () => {
  it('accepts a full block and resolves the channels after each gate in order', () => {
    const m = parseNoiseModel({
      oneQubit: { depolarizing: 0.001, amplitudeDamping: 0.002, phaseDamping: 0.003 },
      twoQubit: { depolarizing: 0.01, phaseDamping: 0.004 },
      gates: { cz: { depolarizing: 0.02 } },
      readout: 0.02,
    });
    expect(channelsAfterGate(m, { name: 'ry', qubits: [3], params: [0.1] })).toEqual([
      { kind: 'depolarizing', qubits: [3], p: 0.001 },
      { kind: 'amplitudeDamping', qubits: [3], p: 0.002 },
      { kind: 'phaseDamping', qubits: [3], p: 0.003 },
    ]);
    expect(channelsAfterGate(m, { name: 'cx', qubits: [2, 0], params: [] })).toEqual([
      { kind: 'depolarizing', qubits: [2, 0], p: 0.01 },
      { kind: 'phaseDamping', qubits: [2], p: 0.004 },
      { kind: 'phaseDamping', qubits: [0], p: 0.004 },
    ]);
    // a per-gate entry replaces its kind's rates
    expect(channelsAfterGate(m, { name: 'cz', qubits: [0, 1], params: [] })).toEqual([{ kind: 'depolarizing', qubits: [0, 1], p: 0.02 }]);
    expect(isNoiseless(m)).toBe(false);
    expect(isNoiseless(parseNoiseModel({ oneQubit: { depolarizing: 0 }, readout: 0 }))).toBe(true);
  });
  it('the --depolarizing shorthand is Qiskit depolarizing_error(P, k) after every k-qubit gate', () => {
    expect(depolarizingModel(0.01)).toEqual({ oneQubit: { depolarizing: 0.01 }, twoQubit: { depolarizing: 0.01 } });
    expect(() => depolarizingModel(1.1)).toThrow(/depolarizing\.twoQubit\.depolarizing = 1\.1: must be a number in \[0, 16\/15\]/);
  });
  const bad: [string, unknown, RegExp][] = [
    ['not an object', 3, /^noise must be an object with keys oneQubit, twoQubit, gates, readout, got 3$/],
    ['unknown top key', { depolarising: 0.1 }, /^noise\.depolarising: unknown key; allowed: oneQubit, twoQubit, gates, readout$/],
    ['unknown rate key', { oneQubit: { dephasing: 0.1 } }, /^noise\.oneQubit\.dephasing: unknown key; allowed: depolarizing, amplitudeDamping, phaseDamping$/],
    ['negative rate', { oneQubit: { amplitudeDamping: -0.1 } }, /^noise\.oneQubit\.amplitudeDamping = -0\.1: must be a number in \[0, 1\]$/],
    ['1q depolarizing above 4/3', { oneQubit: { depolarizing: 1.4 } }, /^noise\.oneQubit\.depolarizing = 1\.4: must be a number in \[0, 4\/3\]$/],
    ['2q depolarizing above 16/15', { twoQubit: { depolarizing: 1.1 } }, /^noise\.twoQubit\.depolarizing = 1\.1: must be a number in \[0, 16\/15\]$/],
    ['string rate', { twoQubit: { phaseDamping: '0.1' } }, /^noise\.twoQubit\.phaseDamping = "0\.1": must be a number in \[0, 1\]$/],
    ['readout above 1', { readout: 2 }, /^noise\.readout = 2: must be a number in \[0, 1\]$/],
    ['NaN-like null', { readout: null }, /^noise\.readout = null: must be a number in \[0, 1\]$/],
    ['NaN (from code)', { readout: NaN }, /^noise\.readout = NaN: must be a number in \[0, 1\]$/],
    ['Infinity (from code)', { oneQubit: { phaseDamping: Infinity } }, /^noise\.oneQubit\.phaseDamping = Infinity: must be a number in \[0, 1\]$/],
    ['unknown gate', { gates: { foo: { depolarizing: 0.1 } } }, /^noise\.gates\.foo: unknown gate 'foo'; allowed: id, x, .*, unitary$/],
    ['per-gate 2q range', { gates: { cx: { depolarizing: 1.2 } } }, /^noise\.gates\.cx\.depolarizing = 1\.2: must be a number in \[0, 16\/15\]$/],
    ['rates not an object', { twoQubit: [0.1] }, /^noise\.twoQubit = \[0\.1\]: must be an object with keys depolarizing, amplitudeDamping, phaseDamping$/],
  ];
  it.each(bad)('%s → one line naming field, value and range', (_name, value, pattern) => {
    let msg = '';
    try { parseNoiseModel(value); } catch (e) { msg = (e as Error).message; }
    expect(msg).toMatch(pattern);
    expect(msg.split('\n')).toHaveLength(1);
  });
  it('a unitary gate entry is checked against its arity when the gate is met', () => {
    const m = parseNoiseModel({ gates: { unitary: { depolarizing: 1.2 } } });
    const u = { dim: 2, re: Float64Array.of(1, 0, 0, 1), im: null };
    expect(channelsAfterGate(m, { name: 'unitary', qubits: [0], params: [], matrix: u })).toEqual([{ kind: 'depolarizing', qubits: [0], p: 1.2 }]);
    expect(() => channelsAfterGate(m, { name: 'unitary', qubits: [0, 1], params: [] })).toThrow(/depolarizing rate 1\.2 after gate 'unitary' on 2 qubit\(s\) exceeds 1\.0666/);
  });
});

describe('parseNoiseModel over the whole class of rates (fast-check)', () => {
  const fields: [string, string, number][] = [
    ['oneQubit', 'depolarizing', 4 / 3], ['twoQubit', 'depolarizing', 16 / 15],
    ['oneQubit', 'amplitudeDamping', 1], ['twoQubit', 'amplitudeDamping', 1],
    ['oneQubit', 'phaseDamping', 1], ['twoQubit', 'phaseDamping', 1],
  ];
  it('every rate in its range is accepted as given; every finite rate outside is refused naming its path and value', () => {
    fc.assert(fc.property(fc.constantFrom(...fields), fc.double({ noNaN: true, noDefaultInfinity: true, min: -10, max: 10 }), ([kind, key, max], v) => {
      const block = { [kind]: { [key]: v } };
      if (v >= 0 && v <= max) {
        expect((parseNoiseModel(block) as Record<string, Record<string, number>>)[kind]![key]).toBe(v);
      } else {
        expect(() => parseNoiseModel(block)).toThrow(`noise.${kind}.${key} = ${JSON.stringify(v)}: must be a number in`);
      }
    }), { seed: 19, numRuns: 300 });
  });
  it('readout: accepted in [0, 1], refused outside', () => {
    fc.assert(fc.property(fc.double({ noNaN: true, noDefaultInfinity: true, min: -2, max: 2 }), (v) => {
      if (v >= 0 && v <= 1) expect(parseNoiseModel({ readout: v }).readout).toBe(v);
      else expect(() => parseNoiseModel({ readout: v })).toThrow(`noise.readout = ${JSON.stringify(v)}: must be a number in [0, 1]`);
    }), { seed: 20, numRuns: 200 });
  });
});
