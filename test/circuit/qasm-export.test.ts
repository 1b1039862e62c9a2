/**
 * `toQasm` writes only gates of the standard header or gates the file defines before use, and
 * a strict reader (the importer: standard header plus the file's own definitions, nothing
 * else) reads back the same state. States are compared up to a global phase to 1e-12 against
 * the state vector of the original circuit, through both import paths (native fast paths and
 * the full expansion through the header's definitions).
 */
import { describe, expect, it } from 'vitest';
import { parseQasm, qasmReal, toQasm } from '../../src/circuit/qasm.js';
import { headerDefinitions } from '../../src/circuit/qasm-parser.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { GATES, type Circuit, type GateOp } from '../../mps/gates.js';
import { makeRng } from '../../mps/rng.js';

const TOL = 1e-12;

/** 1 − |⟨a|b⟩| for normalised states: zero exactly when they agree up to a global phase. */
function phaseFreeDistance(a: Circuit, b: Circuit): number {
  const ov = simulateStateVector(a).overlap(simulateStateVector(b));
  return Math.abs(1 - Math.hypot(ov.re, ov.im));
}
/** max |b − e^{iα} a| over amplitudes, e^{iα} fixed by the largest amplitude of a. */
function maxDiffUpToPhase(a: Circuit, b: Circuit): number {
  const x = simulateStateVector(a).toArrays(), y = simulateStateVector(b).toArrays();
  let k = 0;
  for (let i = 0; i < x.re.length; i++) if (Math.hypot(x.re[i]!, x.im[i]!) > Math.hypot(x.re[k]!, x.im[k]!)) k = i;
  const n2 = x.re[k]! ** 2 + x.im[k]! ** 2;
  const pr = (y.re[k]! * x.re[k]! + y.im[k]! * x.im[k]!) / n2, pi = (y.im[k]! * x.re[k]! - y.re[k]! * x.im[k]!) / n2;
  let worst = 0;
  for (let i = 0; i < x.re.length; i++) {
    worst = Math.max(worst, Math.abs(y.re[i]! - (pr * x.re[i]! - pi * x.im[i]!)), Math.abs(y.im[i]! - (pr * x.im[i]! + pi * x.re[i]!)));
  }
  return worst;
}

/** Every gate statement of an exported file names a header gate or a gate defined above it. */
function undeclaredGates(text: string): string[] {
  const known = new Set(headerDefinitions().map((d) => d.name));
  const bad: string[] = [];
  for (const line of text.split('\n')) {
    const def = /^gate\s+(\w+)/.exec(line);
    if (def) {
      // the body may only use header gates and gates defined earlier
      for (const m of line.slice(line.indexOf('{') + 1).matchAll(/(\w+)(?:\([^)]*\))?\s+\w+(?:\s*,\s*\w+)*\s*;/g)) if (!known.has(m[1]!)) bad.push(m[1]!);
      known.add(def[1]!);
      continue;
    }
    const call = /^(\w+)/.exec(line);
    if (!call || ['OPENQASM', 'include', 'qreg'].includes(call[1]!)) continue;
    if (!known.has(call[1]!)) bad.push(call[1]!);
  }
  return bad;
}

function randomCircuit(seed: string, n: number, nOps: number): Circuit {
  const rng = makeRng(seed);
  const names = Object.keys(GATES);
  const ops: GateOp[] = [];
  for (let k = 0; k < nOps; k++) {
    const name = names[k < names.length ? k : Math.floor(rng() * names.length)]!;
    const spec = GATES[name]!;
    const q0 = Math.floor(rng() * n);
    const q1 = (q0 + 1 + Math.floor(rng() * (n - 1))) % n;
    const params = Array.from({ length: spec.nParams }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 10 - 7));
    ops.push({ name, qubits: spec.arity === 1 ? [q0] : [q0, q1], params });
  }
  return { n, ops };
}

describe('toQasm writes files any OpenQASM 2 reader accepts', () => {
  it.each(['a', 'b', 'c', 'd', 'e'])('random circuit %s over every library gate: only header gates or defined ones, same state on re-import', (seed) => {
    const circuit = randomCircuit(`qasm-export-${seed}`, 5, 80);
    expect(new Set(circuit.ops.map((o) => o.name))).toEqual(new Set(Object.keys(GATES)));
    const text = toQasm(circuit);
    expect(undeclaredGates(text)).toEqual([]);
    expect(text).toMatch(/^OPENQASM 2\.0;\ninclude "qelib1\.inc";\n(gate (ryy|ucry)\([^)]*\) a,b \{ [^}]* \}\n){2}qreg q\[5\];\n/);
    for (const nativeGates of [true, false]) {
      const back = parseQasm(text, { nativeGates }).circuit;
      expect(maxDiffUpToPhase(circuit, back), `nativeGates=${nativeGates}`).toBeLessThanOrEqual(TOL);
      expect(phaseFreeDistance(circuit, back)).toBeLessThanOrEqual(TOL);
    }
  });

  it.each(Object.keys(GATES))('gate %s alone, on reversed distant qubits after an entangling layer', (name) => {
    const spec = GATES[name]!;
    const prep: GateOp[] = [0, 1, 2, 3].map((q) => ({ name: 'u3', qubits: [q], params: [0.3 + q, 0.2 * q, -0.4] }));
    prep.push({ name: 'cx', qubits: [0, 3], params: [] }, { name: 'cx', qubits: [2, 1], params: [] });
    const op: GateOp = { name, qubits: spec.arity === 1 ? [2] : [3, 0], params: Array.from({ length: spec.nParams }, (_, j) => 0.9 - 1.7 * j) };
    const circuit: Circuit = { n: 4, ops: [...prep, op] };
    const text = toQasm(circuit);
    expect(undeclaredGates(text)).toEqual([]);
    expect(maxDiffUpToPhase(circuit, parseQasm(text, { nativeGates: false }).circuit)).toBeLessThanOrEqual(TOL);
  });

  it('defines ryy once, before its first use, only when it is used', () => {
    const text = toQasm({ n: 2, ops: [{ name: 'ryy', qubits: [0, 1], params: [0.1] }, { name: 'ryy', qubits: [1, 0], params: [0.2] }] });
    expect(text.match(/gate ryy/g)?.length).toBe(1);
    expect(text.indexOf('gate ryy')).toBeLessThan(text.indexOf('ryy(0.1)'));
    expect(toQasm({ n: 1, ops: [{ name: 'p', qubits: [0], params: [1] }] })).toBe('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nu1(1) q[0];\n');
  });

  it('writes ucry as its definition in x and the header cry, once, and reads it back as those gates', () => {
    const text = toQasm({ n: 3, ops: [{ name: 'ucry', qubits: [2, 0], params: [0.25, -1.5] }, { name: 'ucry', qubits: [0, 1], params: [3, 0.5] }, { name: 'cry', qubits: [1, 2], params: [0.7] }] });
    expect(text).toBe([
      'OPENQASM 2.0;', 'include "qelib1.inc";', 'gate ucry(theta0,theta1) a,b { x a; cry(theta0) a,b; x a; cry(theta1) a,b; }', 'qreg q[3];',
      'ucry(0.25,-1.5) q[2],q[0];', 'ucry(3,0.5) q[0],q[1];', 'cry(0.7) q[1],q[2];', '',
    ].join('\n'));
    const back = parseQasm(text).circuit.ops.map((o) => `${o.name}(${o.params.join(',')}) ${o.qubits.join(',')}`);
    expect(back).toEqual(['x() 2', 'cry(0.25) 2,0', 'x() 2', 'cry(-1.5) 2,0', 'x() 0', 'cry(3) 0,1', 'x() 0', 'cry(0.5) 0,1', 'cry(0.7) 1,2']);
  });

  it.each<[number, string]>([
    [1e-7, '1.0e-7'], [-2.5e-300, '-2.5e-300'], [1e21, '1.0e+21'], [1.5, '1.5'], [-3, '-3'], [0, '0'], [5e-324, '5.0e-324'],
  ])('qasmReal(%s) = %s, a real of the grammar that reads back exactly', (x, s) => {
    expect(qasmReal(x)).toBe(s);
    expect(/^-?(\d+(\.\d*)?([eE][-+]?\d+)?)$/.test(s) && (!/e/i.test(s) || s.includes('.'))).toBe(true);
    const back = parseQasm(`OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[1];\nrz(${s}) q[0];`).circuit.ops[0]!.params[0]!;
    expect(back).toBe(x === 0 ? 0 : x);
  });
});

describe('the README tour circuit (experiments/circuits/brickwork_n64_L8.qasm)', () => {
  it('is toQasm(brickworkCircuit(64, 8, 1234)) and imports back to exactly that circuit', async () => {
    const { readFileSync } = await import('node:fs');
    const { brickworkCircuit } = await import('../../src/circuit/brickwork.js');
    const text = readFileSync('experiments/circuits/brickwork_n64_L8.qasm', 'utf8');
    const c = brickworkCircuit(64, 8, 1234);
    expect(text.split('\n').filter((l) => !l.startsWith('//')).join('\n')).toBe(toQasm(c));
    expect(parseQasm(text).circuit).toEqual(c);
  });
});
