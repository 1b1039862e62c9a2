import { describe, expect, it } from 'vitest';
import { CircuitBuilder, entanglingBrickwork, hardwareEfficient, lightCone, qcnn, ryBrickwork } from '../../src/circuit/ansatz.js';
import { angleEncoding, applyEncoding, denseAngleEncoding, reuploading } from '../../src/circuit/encoding.js';
import { bindCircuit, type ParamCircuit } from '../../src/circuit/ir.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { GATES, type GateOp } from '../../mps/gates.js';
import { makeRng } from '../../mps/rng.js';

const TOL = { exact: 1e-12 } as const;

function randomParams(c: ParamCircuit, seed: string): Float64Array {
  const rng = makeRng(seed);
  return Float64Array.from({ length: c.nParams }, () => rng() * 2 * Math.PI);
}

function randomInputs(k: number, seed: string): Float64Array {
  const rng = makeRng(seed);
  return Float64Array.from({ length: k }, () => rng());
}

/** Every parameter index 0..P−1 is read by some gate, and none outside. */
function paramUsage(c: ParamCircuit): number[] {
  const used = new Array<number>(c.nParams).fill(0);
  for (const g of c.gates) for (const a of g.angles ?? []) if ('param' in a) used[a.param]!++;
  return used;
}

function countGates(c: ParamCircuit): Record<string, number> {
  const out: Record<string, number> = {};
  for (const g of c.gates) out[g.gate] = (out[g.gate] ?? 0) + 1;
  return out;
}

describe('CircuitBuilder', () => {
  it('allocates parameters in order and canonicalises gate names', () => {
    const b = new CircuitBuilder(2, 1);
    const k0 = b.newParam();
    b.add('RY', [0], [{ param: k0 }]).add('cnot', [0, 1]).add('rz', [1], [b.newAngle(-0.5)]).add('rx', [0], [{ input: 0, scale: 2 }]);
    const c = b.build();
    expect(c).toEqual({
      n: 2, nParams: 2, nInputs: 1,
      gates: [
        { gate: 'ry', qubits: [0], angles: [{ param: 0 }] },
        { gate: 'cx', qubits: [0, 1] },
        { gate: 'rz', qubits: [1], angles: [{ param: 1, scale: -0.5 }] },
        { gate: 'rx', qubits: [0], angles: [{ input: 0, scale: 2 }] },
      ],
    });
    expect(b.length).toBe(4);
  });

  it.each([
    ['unknown gate', (b: CircuitBuilder) => b.add('foo', [0]), /unknown gate; allowed: id, x/],
    ['wrong arity', (b: CircuitBuilder) => b.add('cz', [0]), /acts on 2 qubit\(s\), got \[0\]/],
    ['qubit out of range', (b: CircuitBuilder) => b.add('x', [3]), /qubit 3 out of range \[0, 2\]/],
    ['same qubit twice', (b: CircuitBuilder) => b.add('cz', [1, 1]), /distinct, got 1 twice/],
    ['wrong angle count', (b: CircuitBuilder) => b.add('ry', [0]), /takes 1 angle\(s\), got 0/],
    ['unallocated parameter', (b: CircuitBuilder) => b.add('ry', [0], [{ param: 0 }]), /param = 0 is not an allocated parameter/],
    ['input out of range', (b: CircuitBuilder) => b.add('ry', [0], [{ input: 2, scale: 1 }]), /input = 2 out of range \[0, 1\] \(builder nInputs = 2\)/],
    ['non-finite value', (b: CircuitBuilder) => b.add('ry', [0], [{ value: NaN }]), /value must be finite, got NaN/],
  ])('add rejects %s', (_, f, msg) => {
    const b = new CircuitBuilder(3, 2);
    expect(() => f(b)).toThrow(msg);
  });

  it('rejects bad sizes', () => {
    expect(() => new CircuitBuilder(0)).toThrow(/n must be an integer ≥ 1, got 0/);
    expect(() => new CircuitBuilder(2, -1)).toThrow(/nInputs must be an integer ≥ 0, got -1/);
  });
});

describe('hardwareEfficient', () => {
  it.each([
    [5, 3, 'cz'],
    [4, 2, 'cx'],
    [1, 2, 'cz'],
  ] as const)('n=%i L=%i %s: counts, order and parameter indices', (n, L, ent) => {
    const b = new CircuitBuilder(n);
    hardwareEfficient(b, { layers: L, entangler: ent });
    const c = b.build();
    expect(c.nParams).toBe(2 * L * n);
    expect(paramUsage(c)).toEqual(new Array(2 * L * n).fill(1));
    const counts = countGates(c);
    expect(counts.ry).toBe(L * n);
    expect(counts.rz).toBe(L * n);
    expect(counts[ent] ?? 0).toBe(L * (n - 1));
    expect(c.gates.length).toBe(L * (3 * n - 1));
    // one layer: RY, RZ on q0, RY, RZ on q1, …, then even pairs, then odd pairs
    const per = 3 * n - 1;
    const layer1 = c.gates.slice(per, 2 * per);
    for (let q = 0; q < n; q++) {
      expect(layer1[2 * q]).toEqual({ gate: 'ry', qubits: [q], angles: [{ param: 2 * n + 2 * q }] });
      expect(layer1[2 * q + 1]).toEqual({ gate: 'rz', qubits: [q], angles: [{ param: 2 * n + 2 * q + 1 }] });
    }
    const pairs = layer1.slice(2 * n).map((g) => g.qubits);
    const expected: number[][] = [];
    for (let q = 0; q + 1 < n; q += 2) expected.push([q, q + 1]);
    for (let q = 1; q + 1 < n; q += 2) expected.push([q, q + 1]);
    expect(pairs).toEqual(expected);
  });

  it('acts only on the given qubits, in the given brickwork order', () => {
    const b = new CircuitBuilder(6);
    hardwareEfficient(b, { layers: 1, entangler: 'cz', qubits: [5, 3, 1] });
    const c = b.build();
    expect(c.gates.map((g) => g.qubits)).toEqual([[5], [5], [3], [3], [1], [1], [5, 3], [3, 1]]);
  });

  it('rejects bad options', () => {
    const b = new CircuitBuilder(3);
    expect(() => hardwareEfficient(b, { layers: -1, entangler: 'cz' })).toThrow(/layers must be an integer ≥ 0, got -1/);
    // @ts-expect-error: a wrong entangler from untyped input
    expect(() => hardwareEfficient(b, { layers: 1, entangler: 'swap' })).toThrow(/entangler must be 'cz' or 'cx', got "swap"/);
    expect(() => hardwareEfficient(b, { layers: 1, entangler: 'cz', qubits: [0, 0] })).toThrow(/distinct, got 0 twice/);
    expect(() => hardwareEfficient(b, { layers: 1, entangler: 'cz', qubits: [4] })).toThrow(/qubit 4 out of range \[0, 2\]/);
  });
});

describe('ryBrickwork', () => {
  it.each(['cz', 'cx'] as const)('%s: only real gates, L·n parameters each used once, the §7 layout', (ent) => {
    const n = 6, L = 4;
    const b = new CircuitBuilder(n);
    ryBrickwork(b, { layers: L, entangler: ent });
    const c = b.build();
    expect(c.gates.every((g) => GATES[g.gate]!.real)).toBe(true);
    expect(c.nParams).toBe(L * n);
    expect(paramUsage(c)).toEqual(new Array(L * n).fill(1));
    expect(countGates(c)).toEqual({ ry: L * n, [ent]: L * (n - 1) });
    expect(c.gates.slice(0, 2 * n - 1).map((g) => `${g.gate}${g.qubits.join('')}`)).toEqual(
      ['ry0', 'ry1', 'ry2', 'ry3', 'ry4', 'ry5', `${ent}01`, `${ent}23`, `${ent}45`, `${ent}12`, `${ent}34`],
    );
    // bound and simulated, the state stays real
    const sv = simulateStateVector(bindCircuit(c, randomParams(c, `ry-${ent}`)));
    expect(sv.isReal).toBe(true);
  });

  it('one layer of RY-CZ gives ⟨Z_q⟩ = cos θ_q (the CZs commute with Z)', () => {
    const b = new CircuitBuilder(5);
    ryBrickwork(b, { layers: 1, entangler: 'cz' });
    const c = b.build();
    const p = randomParams(c, 'one-layer');
    const z = simulateStateVector(bindCircuit(c, p)).expectations('Z');
    for (let q = 0; q < 5; q++) expect(Math.abs(z[q]! - Math.cos(p[q]!))).toBeLessThan(TOL.exact);
  });
});

describe('qcnn', () => {
  it.each([
    // n, readout, expected readout qubits
    [8, 1, [0]],
    [16, 2, [0, 8]],
    [6, 1, [0]],
    [5, 2, [0, 4]],
    [2, 1, [0]],
    [4, 4, [0, 1, 2, 3]],
  ])('n=%i readoutQubits=%i: readout %j, light cone covers all qubits, parameters 0..P−1 used', (n, r, expected) => {
    const b = new CircuitBuilder(n);
    const readout = qcnn(b, { readoutQubits: r });
    const c = b.build();
    expect(readout).toEqual(expected);
    expect(lightCone(c, readout)).toEqual(Array.from({ length: n }, (_, q) => q));
    expect(paramUsage(c).every((u) => u >= 1)).toBe(true);
    expect(c.gates.every((g) => GATES[g.gate]!.real)).toBe(true);
  });

  it('n=8, one readout: exact gate and parameter counts', () => {
    // convolutions on 8, 4, 2 active qubits: 7 + 3 + 1 blocks of 4 params, 5 gates each;
    // poolings of 4 + 2 + 1 pairs: 2 params, one ucry each.
    const b = new CircuitBuilder(8);
    qcnn(b);
    const c = b.build();
    expect(c.nParams).toBe(11 * 4 + 7 * 2);
    expect(c.gates.length).toBe(11 * 5 + 7);
    expect(countGates(c)).toEqual({ ry: 11 * 4, cz: 11, ucry: 7 });
    // each pooling allocates φ1 then φ2 (consecutive parameters k, k+1) and reads them as
    // ucry(φ2, φ1) on (dropped, kept), the dropped qubit the right neighbour among the active
    const pools = c.gates.filter((g) => g.gate === 'ucry');
    for (const g of pools) {
      const [a0, a1] = g.angles as [{ param: number }, { param: number }];
      expect(a0.param).toBe(a1.param + 1);
      expect(g.qubits[0]!).toBeGreaterThan(g.qubits[1]!);
    }
    expect(pools.map((g) => g.qubits)).toEqual([[1, 0], [3, 2], [5, 4], [7, 6], [2, 0], [6, 4], [4, 0]]);
  });

  it('pooling equals "measure the dropped qubit, then rotate the kept one"', () => {
    // n=2 with no convolution parameters in play: prepare the dropped qubit (1) in
    // cos(a/2)|0⟩ + sin(a/2)|1⟩ and check ⟨Z_0⟩ = P(0)·cos φ2 + P(1)·cos φ1 after pooling.
    const b = new CircuitBuilder(2);
    const readout = qcnn(b, { readoutQubits: 1 });
    expect(readout).toEqual([0]);
    const c = b.build();
    const p = randomParams(c, 'pool');
    for (let k = 0; k < 4; k++) p[k] = 0; // convolution block = the bare CZ
    const a = 1.1;
    const ops: GateOp[] = [{ name: 'ry', qubits: [1], params: [a] }, ...bindCircuit(c, p).ops];
    const z0 = simulateStateVector({ n: 2, ops }).expectations('Z')[0]!;
    const p0 = Math.cos(a / 2) ** 2;
    // parameters 4 (controlled on |1⟩) and 5 (controlled on |0⟩)
    expect(Math.abs(z0 - (p0 * Math.cos(p[5]!) + (1 - p0) * Math.cos(p[4]!)))).toBeLessThan(TOL.exact);
  });

  it('rotations "ryrz" and cx entangler', () => {
    const b = new CircuitBuilder(4);
    qcnn(b, { rotations: 'ryrz', entangler: 'cx' });
    const c = b.build();
    // blocks: 3 + 1 (8 params); pools: 2 + 1 (2 params)
    expect(c.nParams).toBe(4 * 8 + 3 * 2);
    expect(countGates(c).rz).toBe(4 * 4);
  });

  it('rejects bad readout counts', () => {
    expect(() => qcnn(new CircuitBuilder(4), { readoutQubits: 5 })).toThrow(/readoutQubits must be an integer in \[1, 4\], got 5/);
    expect(() => qcnn(new CircuitBuilder(4), { readoutQubits: 0 })).toThrow(/got 0/);
  });
});

describe('lightCone', () => {
  const window = (lo: number, hi: number): number[] => Array.from({ length: Math.min(hi, 15) - Math.max(lo, 0) + 1 }, (_, i) => Math.max(lo, 0) + i);
  it.each([1, 2, 3, 4, 5])('RY brickwork, n=16, L=%i, readout 8: CX → 4L qubits, CZ → 2L − 1, CZ structural → 4L', (L) => {
    const cone = (ent: 'cz' | 'cx', mode?: 'structural'): number[] => {
      const b = new CircuitBuilder(16);
      ryBrickwork(b, { layers: L, entangler: ent });
      return lightCone(b.build(), [8], mode ? { mode } : {});
    };
    expect(cone('cx')).toEqual(window(8 - 2 * L, 8 + 2 * L - 1));
    expect(cone('cz', 'structural')).toEqual(window(8 - 2 * L, 8 + 2 * L - 1));
    expect(cone('cz')).toEqual(window(8 - (L - 1), 8 + (L - 1)));
    if (L <= 3) expect(cone('cx').length).toBe(4 * L);
  });

  it('RY-CZ, n=9, L=3: the Heisenberg cone is tight (flipping any qubit in it changes ⟨Z_4⟩)', () => {
    const n = 9, r = 4;
    const b = new CircuitBuilder(n);
    ryBrickwork(b, { layers: 3, entangler: 'cz' });
    const c = b.build();
    const cone = lightCone(c, [r]);
    expect(cone).toEqual([2, 3, 4, 5, 6]);
    const ops = bindCircuit(c, randomParams(c, 'tight')).ops;
    const base = simulateStateVector({ n, ops }).expectations('Z')[r]!;
    for (let q = 0; q < n; q++) {
      const flipped = simulateStateVector({ n, ops: [{ name: 'x', qubits: [q], params: [] }, ...ops] }).expectations('Z')[r]!;
      if (cone.includes(q)) expect(Math.abs(flipped - base)).toBeGreaterThan(1e-6);
      else expect(Math.abs(flipped - base)).toBeLessThan(TOL.exact);
    }
  });

  it.each([
    ['cz', 2], ['cx', 2], ['cz', 3], ['cz', 4],
  ] as const)('is sound: flipping a qubit outside the cone leaves ⟨Z_r⟩ unchanged (%s, L=%i)', (ent, L) => {
    const n = 10, r = 5;
    const b = new CircuitBuilder(n);
    hardwareEfficient(b, { layers: L, entangler: ent });
    const c = b.build();
    const cone = new Set(lightCone(c, [r]));
    const ops = bindCircuit(c, randomParams(c, `cone-${ent}-${L}`)).ops;
    const base = simulateStateVector({ n, ops }).expectations('Z')[r]!;
    let outside = 0;
    for (let q = 0; q < n; q++) {
      const flipped = simulateStateVector({ n, ops: [{ name: 'x', qubits: [q], params: [] }, ...ops] }).expectations('Z')[r]!;
      if (!cone.has(q)) {
        outside++;
        expect(Math.abs(flipped - base)).toBeLessThan(TOL.exact);
      }
    }
    expect(outside).toBeGreaterThan(0);
  });

  it('unions the cones of several readouts and rejects bad ones', () => {
    const b = new CircuitBuilder(16);
    ryBrickwork(b, { layers: 1, entangler: 'cx' });
    const c = b.build();
    expect(lightCone(c, [])).toEqual([]);
    expect(lightCone(c, [0, 15]).length).toBe(lightCone(c, [0]).length + lightCone(c, [15]).length);
    expect(() => lightCone(c, [16])).toThrow(/readout qubit 16 out of range \[0, 15\]/);
  });

  it('entanglingBrickwork (0,1),(2,3) then (1,2): cones of the end and a middle qubit', () => {
    const b = new CircuitBuilder(4);
    entanglingBrickwork(b, [0, 1, 2, 3], 'cx');
    expect(lightCone(b.build(), [3])).toEqual([2, 3]);
    expect(lightCone(b.build(), [1])).toEqual([0, 1, 2, 3]);
  });
});

describe('angleEncoding', () => {
  it('puts RY(π·x_i) on qubit i and gives ⟨Z_i⟩ = cos(π x_i)', () => {
    const n = 5;
    const b = new CircuitBuilder(n, n);
    angleEncoding(b, { features: 'all' });
    const c = b.build();
    expect(c.nParams).toBe(0);
    const x = randomInputs(n, 'enc');
    const bound = bindCircuit(c, [], x);
    expect(bound.ops).toEqual(Array.from({ length: n }, (_, i) => ({ name: 'ry', qubits: [i], params: [Math.PI * x[i]!] })));
    const z = simulateStateVector(bound).expectations('Z');
    for (let i = 0; i < n; i++) expect(Math.abs(z[i]! - Math.cos(Math.PI * x[i]!))).toBeLessThan(TOL.exact);
  });

  it('rx rotation, custom scale, feature list and qubit offset', () => {
    const b = new CircuitBuilder(5, 4);
    angleEncoding(b, { features: [3, 1], rotation: 'rx', scale: 2, qubitOffset: 2 });
    const x = [0.1, 0.2, 0.3, 0.4];
    const bound = bindCircuit(b.build(), [], x);
    expect(bound.ops).toEqual([
      { name: 'rx', qubits: [2], params: [2 * 0.4] },
      { name: 'rx', qubits: [3], params: [2 * 0.2] },
    ]);
    const z = simulateStateVector(bound).expectations('Z');
    expect(Math.abs(z[2]! - Math.cos(0.8))).toBeLessThan(TOL.exact);
    expect(Math.abs(z[3]! - Math.cos(0.4))).toBeLessThan(TOL.exact);
  });

  it('rejects more features than qubits, and bad options', () => {
    expect(() => angleEncoding(new CircuitBuilder(3, 4))).toThrow(/4 features need 4 qubits from qubit 0, but only 3 are available/);
    expect(() => angleEncoding(new CircuitBuilder(4, 2), { qubitOffset: 3 })).toThrow(/only 1 are available/);
    expect(() => angleEncoding(new CircuitBuilder(3, 0))).toThrow(/no features to encode \(builder nInputs = 0\)/);
    expect(() => angleEncoding(new CircuitBuilder(3, 2), { features: [2] })).toThrow(/features\[0\] = 2 out of range \[0, 1\]/);
    expect(() => angleEncoding(new CircuitBuilder(3, 2), { scale: Infinity })).toThrow(/scale must be a finite number, got Infinity/);
  });
});

describe('denseAngleEncoding', () => {
  it.each([4, 5])('%i features: RY(s·x_2i) then RZ(s·x_2i+1) on qubit i; ⟨Z⟩, ⟨X⟩, ⟨Y⟩ in closed form', (nf) => {
    const s = 1.7;
    const b = new CircuitBuilder(3, nf);
    denseAngleEncoding(b, { scale: s });
    const x = randomInputs(nf, `dense-${nf}`);
    const bound = bindCircuit(b.build(), [], x);
    expect(bound.ops.map((o) => `${o.name}${o.qubits[0]}`)).toEqual(nf === 4 ? ['ry0', 'rz0', 'ry1', 'rz1'] : ['ry0', 'rz0', 'ry1', 'rz1', 'ry2']);
    const sv = simulateStateVector(bound);
    const [z, xx, y] = [sv.expectations('Z'), sv.expectations('X'), sv.expectations('Y')];
    for (let i = 0; i < Math.ceil(nf / 2); i++) {
      const a = s * x[2 * i]!, ph = 2 * i + 1 < nf ? s * x[2 * i + 1]! : 0;
      expect(Math.abs(z[i]! - Math.cos(a))).toBeLessThan(TOL.exact);
      expect(Math.abs(xx[i]! - Math.sin(a) * Math.cos(ph))).toBeLessThan(TOL.exact);
      expect(Math.abs(y[i]! - Math.sin(a) * Math.sin(ph))).toBeLessThan(TOL.exact);
    }
  });

  it('rejects too many features', () => {
    expect(() => denseAngleEncoding(new CircuitBuilder(2, 5))).toThrow(/5 features need 3 qubits, but n = 2/);
    expect(() => denseAngleEncoding(new CircuitBuilder(2, 3), { features: 4 })).toThrow(/features must be an integer in \[1, 3\]/);
  });
});

describe('reuploading', () => {
  it.each([
    [4, 2, 'E0 L0 L1 E1 L2 L3'],
    [3, 1, 'E0 L0 E1 L1 E2 L2'],
    [3, 5, 'E0 L0 L1 L2'],
  ])('layers=%i every=%i: %s', (layers, every, expected) => {
    const trace: string[] = [];
    let e = 0;
    const b = new CircuitBuilder(2, 2);
    reuploading(b, { layers, every, encode: () => trace.push(`E${e++}`), layer: (_, l) => trace.push(`L${l}`) });
    expect(trace.join(' ')).toBe(expected);
  });

  it('interleaves angle encoding with RY-CZ layers; encodings share inputs, layers get fresh parameters', () => {
    const n = 3, L = 4;
    const b = new CircuitBuilder(n, n);
    reuploading(b, { layers: L, every: 2, encode: (bb) => angleEncoding(bb), layer: (bb) => ryBrickwork(bb, { layers: 1, entangler: 'cz' }) });
    const c = b.build();
    expect(c.nParams).toBe(L * n);
    expect(paramUsage(c)).toEqual(new Array(L * n).fill(1));
    const inputGates = c.gates.map((g, k) => [g, k] as const).filter(([g]) => g.angles?.some((a) => 'input' in a)).map(([, k]) => k);
    const perLayer = n + (n - 1);
    expect(inputGates).toEqual([0, 1, 2, n + 2 * perLayer, n + 2 * perLayer + 1, n + 2 * perLayer + 2]);
    expect(() => reuploading(b, { layers: 0, every: 1, encode: () => {}, layer: () => {} })).toThrow(/layers must be an integer ≥ 1, got 0/);
    expect(() => reuploading(b, { layers: 1, every: 0, encode: () => {}, layer: () => {} })).toThrow(/every must be an integer ≥ 1, got 0/);
  });
});

describe('applyEncoding', () => {
  it('angle, dense and mps specs', () => {
    const b1 = new CircuitBuilder(4, 4);
    applyEncoding(b1, { type: 'angle', rotation: 'ry', scale: Math.PI }, 3);
    expect(b1.build().gates).toEqual([0, 1, 2].map((i) => ({ gate: 'ry', qubits: [i], angles: [{ input: i, scale: Math.PI }] })));
    const b2 = new CircuitBuilder(2, 4);
    applyEncoding(b2, { type: 'dense', scale: 1 }, 4);
    expect(b2.build().gates.map((g) => g.gate)).toEqual(['ry', 'rz', 'ry', 'rz']);
    const b3 = new CircuitBuilder(4);
    applyEncoding(b3, { type: 'mps' }, 0);
    expect(b3.length).toBe(0);
  });

  it('an empty ansatz after angle encoding: ⟨Z_i⟩ = cos(π x_i)', () => {
    const n = 4;
    const b = new CircuitBuilder(n, n);
    applyEncoding(b, { type: 'angle', rotation: 'ry', scale: Math.PI }, n);
    ryBrickwork(b, { layers: 0, entangler: 'cz' });
    const x = randomInputs(n, 'empty-ansatz');
    const z = simulateStateVector(bindCircuit(b.build(), [], x)).expectations('Z');
    for (let i = 0; i < n; i++) expect(Math.abs(z[i]! - Math.cos(Math.PI * x[i]!))).toBeLessThan(TOL.exact);
  });
});
