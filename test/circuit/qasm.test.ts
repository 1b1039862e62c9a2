import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { QasmError, parseQasm, toQasm } from '../../src/circuit/qasm.js';
import { simulateStateVector } from '../../src/backends/statevector.js';
import { GATES, type Circuit, type GateOp } from '../../mps/gates.js';
import { makeRng } from '../../mps/rng.js';

const TOL = { exact: 1e-12, quimb: 1e-6 } as const;
/** Reference brickwork circuits shipped with the repository (quimb's numbers: test/fixtures/brickwork/quimb-results.json). */
const REF = new URL('../../experiments/circuits', import.meta.url).pathname;
const HEAD = 'OPENQASM 2.0;\ninclude "qelib1.inc";\n';

describe('parseQasm on the reference brickwork', () => {
  it('ry_cz_n16_L4.qasm: n=16, 4·(16 RY + 15 CZ) gates, Σ<Z> matches quimb', () => {
    const text = readFileSync(`${REF}/ry_cz_n16_L4.qasm`, 'utf8');
    const { circuit, measured, registers } = parseQasm(text);
    expect(circuit.n).toBe(16);
    expect(circuit.ops.length).toBe(4 * (16 + 15));
    expect(circuit.ops.filter((o) => o.name === 'ry').length).toBe(64);
    expect(circuit.ops.filter((o) => o.name === 'cz').length).toBe(60);
    expect(measured).toEqual([]);
    expect(registers).toEqual([{ name: 'q', size: 16, offset: 0 }]);
    const sumZ = simulateStateVector(circuit).expectations('Z').reduce((a, b) => a + b, 0);
    // quimb-results.json: sumZ = -1.5189176458755003 at cutoff 1e-10 (fidelity 0.9999999997)
    expect(Math.abs(sumZ - -1.5189176458755003)).toBeLessThan(TOL.quimb);
  });
});

describe('parseQasm features', () => {
  const text = `OPENQASM 2.0;
include "qelib1.inc";
/* two registers,
   flattened in order */
qreg a[2];   // global 0, 1
qreg b[3];   // global 2, 3, 4
creg c[5];
creg d[3];
h a;                       // register-wide
cx a[0], b[2];
rz(-pi/4) b[1];
ry(2*pi/3) a[1];
rx(cos(pi)) b[0];
u3(pi/2, -pi^2/4, sqrt(2)*exp(0)/ln(exp(1))) b[1];
u1(-(1+2)*0.5) a[0];
U(0.1, 0.2, 0.3) b[2];
CX b[0], a[1];
barrier a, b;
swap a[1], b[1];
cu1(1e-1) a[0], b[0];
measure a[1] -> c[3];
measure b -> d;
`;
  it('handles registers, comments, expressions and aliases', () => {
    const { circuit, measured, registers } = parseQasm(text);
    expect(circuit.n).toBe(5);
    expect(registers).toEqual([{ name: 'a', size: 2, offset: 0 }, { name: 'b', size: 3, offset: 2 }]);
    expect(measured).toEqual([1, 2, 3, 4]);
    const want: GateOp[] = [
      { name: 'h', qubits: [0], params: [] },
      { name: 'h', qubits: [1], params: [] },
      { name: 'cx', qubits: [0, 4], params: [] },
      { name: 'rz', qubits: [3], params: [-Math.PI / 4] },
      { name: 'ry', qubits: [1], params: [(2 * Math.PI) / 3] },
      { name: 'rx', qubits: [2], params: [-1] },
      { name: 'u3', qubits: [3], params: [Math.PI / 2, -(Math.PI ** 2) / 4, Math.sqrt(2)] },
      { name: 'p', qubits: [0], params: [-1.5] },
      { name: 'u3', qubits: [4], params: [0.1, 0.2, 0.3] },
      { name: 'cx', qubits: [2, 1], params: [] },
      { name: 'swap', qubits: [1, 3], params: [] },
      { name: 'cp', qubits: [0, 2], params: [0.1] },
    ];
    expect(circuit.ops.length).toBe(want.length);
    circuit.ops.forEach((op, k) => {
      expect(op.name).toBe(want[k]!.name);
      expect(op.qubits).toEqual(want[k]!.qubits);
      op.params.forEach((p, j) => expect(Math.abs(p - want[k]!.params[j]!)).toBeLessThan(TOL.exact));
    });
  });

  it('pairs equal-size registers in a register-wide two-qubit gate', () => {
    const { circuit } = parseQasm(`${HEAD}qreg a[3]; qreg b[3]; cx a, b; cz a[0], b;`);
    expect(circuit.ops.map((o) => o.qubits)).toEqual([[0, 3], [1, 4], [2, 5], [0, 3], [0, 4], [0, 5]]);
  });

  it("measure: 'ignore' drops measurements; 'sample' rejects a gate after measuring its qubit", () => {
    const src = `${HEAD}qreg q[2]; creg c[2]; h q[0]; measure q[0] -> c[0]; x q[0];`;
    expect(parseQasm(src, { measure: 'ignore' }).measured).toEqual([]);
    expect(parseQasm(src, { measure: 'ignore' }).circuit.ops.length).toBe(2);
    expect(() => parseQasm(src)).toThrow(/after measurement of qubit 0/);
  });

  it('expands user-defined gates (with parameters and nesting) and u2', () => {
    const src = `${HEAD}gate myrot(t, s) x, y { ry(t/2) x; cz x, y; rz(-s) y; }
gate outer a { myrot(pi, 1) a, a2; }`;
    // outer references an unknown argument
    expect(() => parseQasm(src + '\nqreg q[2];')).toThrow(/line 4, column 32: unknown qubit argument 'a2'/);
    const ok = `${HEAD}gate myrot(t, s) x, y { ry(t/2) x; cz x, y; barrier x, y; rz(-s) y; }
gate twice(t) a, b { myrot(t, 2*t) b, a; myrot(t, 0) a, b; }
qreg q[3];
twice(0.5) q[2], q[0];
u2(0.1, 0.2) q[1];`;
    const ops = parseQasm(ok).circuit.ops;
    expect(ops.map((o) => [o.name, ...o.qubits])).toEqual([
      ['ry', 0], ['cz', 0, 2], ['rz', 2], ['ry', 2], ['cz', 2, 0], ['rz', 0], ['u3', 1],
    ]);
    expect(ops[0]!.params).toEqual([0.25]);
    expect(ops[2]!.params).toEqual([-1]);
    expect(ops[6]!.params).toEqual([Math.PI / 2, 0.1, 0.2]);
  });
});

describe('parseQasm errors carry line and column', () => {
  it.each<[string, string, number, number, RegExp]>([
    ['unknown gate', 'qreg q[4];\nh q[0];\n  foo q[1];', 5, 3, /unknown gate 'foo'/],
    ['upper-case H is not h', 'qreg q[4];\nH q[0];', 4, 1, /unknown gate 'H' \(gate names are case-sensitive: did you mean 'h'\?\); supported gates — built in: U, CX; qelib1.inc: u3, u2, u1, cx, id/],
    ['upper-case RY is not ry', 'qreg q[4];\nRY(0.3) q[1];', 4, 1, /unknown gate 'RY' \(gate names are case-sensitive: did you mean 'ry'\?\)/],
    ['lower-case u is a header gate, upper-case Cx is unknown', 'qreg q[4];\nu(1,2,3) q[0];\nCx q[0],q[1];', 5, 1, /unknown gate 'Cx' \(gate names are case-sensitive: did you mean 'CX' or 'cx'\?\)/],
    ['redefining a header gate', 'gate h a { U(pi/2,0,pi) a; }', 3, 6, /gate 'h' is already defined in qelib1.inc \(included at line 2\)/],
    ['redefining a header gate (ccx)', 'qreg q[3];\ngate ccx a,b,c { CX a,b; }', 4, 6, /gate 'ccx' is already defined in qelib1.inc/],
    ['redefining a built-in', 'gate CX a,b { cx a,b; }', 3, 6, /'CX' is a built-in gate and cannot be redefined/],
    ['redefining a user gate', 'gate g a { x a; }\ngate g a { y a; }', 4, 6, /gate 'g' is already defined at line 3/],
    ['a gate calling itself', 'gate g a { g a; }', 3, 12, /gate 'g' cannot call itself/],
    ['if', 'qreg q[4];\ncreg c[4];\nmeasure q[0] -> c[0];\nif (c==1) x q[1];', 6, 1, /'if' \(a gate conditioned on a measurement result, line 6\) is not supported/],
    ['reset after a gate', 'qreg q[4];\nx q[1];\nreset q;', 5, 1, /'reset' of q\[1\] after gates or a measurement acted on it \(line 5\) is not supported/],
    ['gate after measurement', 'qreg q[4];\ncreg c[4];\nh q[2];\nmeasure q[2] -> c[2];\nbarrier q;\ncx q[0], q[2];', 8, 10, /mid-circuit measurement is not supported: gate 'cx' acts on q\[2\] after measurement of qubit 2 at line 6/],
    ['register-wide gate after register-wide measurement', 'qreg q[2];\ncreg c[2];\nmeasure q -> c;\nh q;', 6, 3, /gate 'h' acts on q\[0\] after measurement of qubit 0 at line 5/],
    ['opaque gate called', 'opaque magic(t) a, b;\nqreg q[2];\nmagic(0.1) q[0], q[1];', 5, 1, /gate 'magic' is declared opaque \(line 3\) and has no definition, so it cannot be simulated/],
    ['non-finite parameter inside a definition', 'gate g(t) a { rx(1/t) a; }\nqreg q[1];\ng(0) q[0];', 3, 15, /gate 'rx': parameter 0 evaluates to Infinity \(in the expansion of 'g' called at line 5\)$/],
    ['non-finite parameter inside a header gate', 'qreg q[2];\ncrx(ln(0)) q[0], q[1];', 4, 1, /gate 'crx': parameter 0 evaluates to -Infinity$/],
    ['non-finite parameter inside a header gate inside a definition', 'gate g(t) a, b { crz(t/0) b, a; }\nqreg q[2];\ng(0) q[0], q[1];', 3, 18, /gate 'crz': parameter 0 evaluates to NaN \(in the expansion of 'g' called at line 5\)$/],
    ['opaque gate inside a definition', 'opaque magic a;\ngate g a { magic a; }\nqreg q[1];\ng q[0];', 4, 12, /gate 'magic' is declared opaque \(line 3\) and has no definition, so it cannot be simulated \(in the expansion of 'g' called at line 6\)$/],
    ['non-finite parameter of a header gate', 'qreg q[1];\nrx(ln(0)) q[0];', 4, 1, /gate 'rx': parameter 0 evaluates to -Infinity/],
    ['unknown register', 'qreg q[4];\nh r[0];', 4, 3, /unknown register 'r'/],
    ['classical register as qubit', 'qreg q[4];\ncreg c[4];\nh c[0];', 5, 3, /'c' is a classical register/],
    ['qubit out of range', 'qreg q[4];\nx q[2];\ncx q[0], q[9];', 5, 12, /qubit q\[9\] out of range: register q has 4 qubits/],
    ['too few parameters', 'qreg q[4];\nrx q[0];', 4, 1, /gate 'rx' expects 1 parameter\(s\), got 0/],
    ['too many parameters', 'qreg q[4];\nh(0.1) q[0];', 4, 1, /gate 'h' expects 0 parameter\(s\), got 1/],
    ['wrong qubit count', 'qreg q[4];\ncx q[0];', 4, 1, /acts on 2 qubit\(s\), got 1/],
    ['duplicate qubits', 'qreg q[4];\ncx q[1], q[1];', 4, 10, /duplicate qubit q\[1\]/],
    ['duplicate via broadcast', 'qreg q[2];\ncx q, q[1];', 4, 7, /duplicate qubit q\[1\]/],
    ['register size mismatch', 'qreg a[2];\nqreg b[3];\ncx a, b;', 5, 7, /register 'b' has 3 qubits/],
    ['missing semicolon', 'qreg q[4];\nh q[0]\nx q[1];', 5, 1, /expected ';', got 'x'/],
    ['bad expression', 'qreg q[4];\nrx(pi*) q[0];', 4, 7, /expected an expression, got '\)'/],
    ['unknown identifier', 'qreg q[4];\nrx(theta) q[0];', 4, 4, /unknown identifier 'theta'/],
    ['unexpected character', 'qreg q[4];\nh q[0]; @', 4, 9, /unexpected character '@'/],
    ['unterminated comment', 'qreg q[4];\n/* never closed', 4, 1, /unterminated comment/],
    ['bad include', 'include "other.inc";', 3, 9, /only "qelib1.inc"/],
    ['duplicate register', 'qreg q[4];\nqreg q[2];', 4, 6, /already declared/],
    ['measure size mismatch', 'qreg q[4];\ncreg c[3];\nmeasure q -> c;', 5, 9, /register sizes differ/],
    ['no qreg', '', 3, 1, /no qreg declared/],
  ])('%s', (_label, body, line, column, message) => {
    let err: unknown;
    try {
      parseQasm(HEAD + body);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(QasmError);
    const q = err as QasmError;
    expect(q.message).toMatch(message);
    expect([q.line, q.column]).toEqual([line, column]);
    expect(q.message.startsWith(`line ${line}, column ${column}: `)).toBe(true);
  });

  it.each([
    ['missing header', 'qreg q[2];', 1, 1, /expected 'OPENQASM 2.0;' header/],
    ['OpenQASM 3', 'OPENQASM 3.0;\nqreg q[2];', 1, 10, /only OpenQASM 2.0/],
  ])('%s', (_label, src, line, column, message) => {
    expect(() => parseQasm(src)).toThrow(message);
    try { parseQasm(src); } catch (e) { expect([(e as QasmError).line, (e as QasmError).column]).toEqual([line, column]); }
  });

  it('custom gate definitions validate their bodies', () => {
    expect(() => parseQasm(`${HEAD}gate g a { foo a; }`)).toThrow(/line 3, column 12: unknown gate 'foo'/);
    expect(() => parseQasm(`${HEAD}gate h a { x a; }`)).toThrow(/gate 'h' is already defined in qelib1.inc/);
  });

  it.each<[string, string, number, number, RegExp]>([
    ['h', 'OPENQASM 2.0;\nqreg q[1];\nh q[0];', 3, 1, /unknown gate 'h' \('h' is defined in qelib1.inc: add include "qelib1.inc" after the OPENQASM line; without include "qelib1.inc"; only U, CX and gates defined in the file exist\); supported gates — built in: U, CX$/],
    ['ccx in a definition', 'OPENQASM 2.0;\ngate g a,b,c { ccx a,b,c; }', 2, 16, /unknown gate 'ccx' \('ccx' is defined in qelib1.inc/],
    ['cx, listing the file\'s gates', 'OPENQASM 2.0;\ngate mine a { U(0,0,1) a; }\nqreg q[2];\ncx q[0],q[1];', 4, 1, /supported gates — built in: U, CX; defined in this file: mine$/],
    ['a header name defined before the include', 'OPENQASM 2.0;\ngate h a { U(pi/2,0,pi) a; }\ninclude "qelib1.inc";', 3, 1, /qelib1.inc defines gate 'h', which this file already defined at line 2/],
    // qdistill's gates outside the header exist in a file only through its definition
    ['ucry without its definition, with the header', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nucry(0.1,0.2) q[0],q[1];', 4, 1, /^line 4, column 1: unknown gate 'ucry' \('ucry' is not a qelib1.inc gate: define it before its first use, as files written by exportQasm do \(gate ucry\(theta0,theta1\) a,b \{ … \}\)\); supported gates — built in: U, CX; qelib1.inc: /],
    ['ryy without its definition, with the header', 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\nryy(0.1) q[0],q[1];', 4, 1, /unknown gate 'ryy' \('ryy' is not a qelib1.inc gate: define it before its first use, as files written by exportQasm do \(gate ryy\(theta\) a,b \{ … \}\)\)/],
    ['ucry without the header or its definition', 'OPENQASM 2.0;\nqreg q[2];\nucry(0.1,0.2) q[0],q[1];', 3, 1, /unknown gate 'ucry' \('ucry' is not a qelib1.inc gate: define it .*\); without include "qelib1.inc"; only U, CX/],
  ])('without the include, only U and CX exist: %s', (_label, src, line, column, message) => {
    let err: unknown;
    try { parseQasm(src); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(QasmError);
    expect((err as QasmError).message).toMatch(message);
    expect([(err as QasmError).line, (err as QasmError).column]).toEqual([line, column]);
  });
});

describe('an unknown gate is one line naming it, with a hint that reads cleanly', () => {
  // the header's gates (README list) used without the include, and qdistill's own file-defined
  // gates used without their definition: each message is one line, names the gate and its line,
  // and never doubles a separator
  const HEADER = 'u3 u2 u1 cx id u0 u p x y z h s sdg t tdg rx ry rz sx sxdg cz cy swap ch ccx cswap crx cry crz cu1 cp cu3 csx cu rxx rzz rccx rc3x c3x c3sqrtx c4x'.split(' ');
  it.each([...HEADER.map((g) => [g, false] as const), ['ucry', true] as const, ['ryy', true] as const, ['ucry', false] as const])('%s (header included: %s)', (gate, include) => {
    const src = `OPENQASM 2.0;\n${include ? 'include "qelib1.inc";\n' : ''}qreg q[5];\n${gate} q[0];`;
    let err: unknown;
    try { parseQasm(src); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(QasmError);
    const m = (err as QasmError).message;
    expect(m.startsWith(`line ${include ? 4 : 3}, column 1: unknown gate '${gate}' (`)).toBe(true);
    expect(m).not.toContain('\n');
    expect(m).not.toMatch(/;;|; ;|\(\(|\)\)\)/);
    expect(m).toContain(['ucry', 'ryy'].includes(gate) ? `'${gate}' is not a qelib1.inc gate` : `'${gate}' is defined in qelib1.inc`);
  });
  it.each(['constructor', 'toString', '__proto__', 'hasOwnProperty'])('a name of an object property, %s, is an unknown gate like any other', (gate) => {
    expect(() => parseQasm(`${HEAD}qreg q[1];\n${gate} q[0];`)).toThrow(new RegExp(`^line 4, column 1: unknown gate '${gate}'; supported gates — built in: U, CX; qelib1.inc: `));
  });
});

describe('gate names as the specification defines them', () => {
  const stateOf = (text: string) => simulateStateVector(parseQasm(text).circuit).toArrays();
  const maxDiff = (a: { re: Float64Array; im: Float64Array }, b: { re: Float64Array; im: Float64Array }) =>
    Math.max(...Array.from(a.re, (x, i) => Math.max(Math.abs(x - b.re[i]!), Math.abs(a.im[i]! - b.im[i]!))));

  it('without the include, a file may define its own h, cx, ccx (and they mean what the file says)', () => {
    const mine = `OPENQASM 2.0;
gate h a { U(pi/2,0,pi) a; }
gate cx c,t { CX c,t; }
gate ccx a,b,c { h c; CX b,c; h c; }
qreg q[3];
h q[0]; cx q[0],q[1]; ccx q[0],q[1],q[2];`;
    // ccx here is the file's own gate (a CZ-like conjugation on b,c), not a Toffoli
    const same = `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[3];\nh q[0]; cx q[0],q[1]; h q[2]; cx q[1],q[2]; h q[2];`;
    expect(maxDiff(stateOf(mine), stateOf(same))).toBeLessThanOrEqual(1e-15);
  });

  it("with the include, a file may define gates the header lacks, e.g. its own ryy", () => {
    const src = `${HEAD}gate ryy(theta) a,b { rx(pi/2) a; rx(pi/2) b; cx a,b; rz(theta) b; cx a,b; rx(-pi/2) a; rx(-pi/2) b; }
qreg q[2];
h q[0];
ryy(0.7) q[0],q[1];`;
    const sv = simulateStateVector({ n: 2, ops: [{ name: 'h', qubits: [0], params: [] }, { name: 'ryy', qubits: [0, 1], params: [0.7] }] });
    const got = simulateStateVector(parseQasm(src).circuit);
    const ov = got.overlap(sv);
    expect(Math.abs(Math.hypot(ov.re, ov.im) - 1)).toBeLessThanOrEqual(1e-14);
  });

  it('expands 3000 nested gate definitions without recursion', () => {
    const depth = 3000;
    const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', 'gate g0(t) a, b { rx(t) a; cx a, b; }'];
    for (let k = 1; k < depth; k++) lines.push(`gate g${k}(t) a, b { g${k - 1}(t + 0.001) b, a; }`);
    lines.push('qreg q[2];', `g${depth - 1}(0.5) q[0], q[1];`, `g${depth - 1}(-0.5) q[1], q[0];`);
    const { circuit } = parseQasm(lines.join('\n'));
    expect(circuit.ops.map((o) => o.name)).toEqual(['rx', 'cx', 'rx', 'cx']);
    // depth − 1 swaps of (a, b): an odd number, so the innermost call sees (b, a) of the outer call
    expect(circuit.ops.map((o) => o.qubits)).toEqual([[1], [1, 0], [0], [0, 1]]);
    expect(Math.abs(circuit.ops[0]!.params[0]! - (0.5 + 0.001 * (depth - 1)))).toBeLessThanOrEqual(1e-12);
    expect(Math.abs(circuit.ops[2]!.params[0]! - (-0.5 + 0.001 * (depth - 1)))).toBeLessThanOrEqual(1e-12);
  });

  it('a doubling chain of definitions fails on the operation limit before expanding', () => {
    const lines = ['OPENQASM 2.0;', 'gate g0 a { U(0,0,0) a; }'];
    for (let k = 1; k < 3000; k++) lines.push(`gate g${k} a { g${k - 1} a; g${k - 1} a; }`);
    lines.push('qreg q[1];', 'g2999 q[0];');
    expect(() => parseQasm(lines.join('\n'))).toThrow(/line 3003, column 1: the circuit expands to more than 1000000 gate operations/);
  });

  it('measure at the end, barrier, creg, opaque declarations and reset of untouched qubits are accepted', () => {
    const src = `${HEAD}opaque magic(t) a;
qreg q[3];
creg c[3];
reset q[2];
h q[0];
reset q[1];
cx q[0], q[1];
barrier q;
measure q -> c;
measure q[0] -> c[0];
`;
    const { circuit, measured } = parseQasm(src);
    expect(circuit.ops.map((o) => o.name)).toEqual(['h', 'cx']);
    expect(measured).toEqual([0, 1, 2]);
  });
});

describe('toQasm', () => {
  it('round-trips a random circuit over every named gate but ryy and ucry (defined in the file) gate for gate', () => {
    const rng = makeRng('qasm-roundtrip');
    const names = Object.keys(GATES).filter((g) => g !== 'ryy' && g !== 'ucry');
    const n = 5;
    const ops: GateOp[] = [];
    for (let k = 0; k < 3 * names.length; k++) {
      const name = names[k % names.length]!;
      const spec = GATES[name]!;
      const q0 = Math.floor(rng() * n);
      const q1 = (q0 + 1 + Math.floor(rng() * (n - 1))) % n;
      const params = Array.from({ length: spec.nParams }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 12 - 8));
      ops.push({ name, qubits: spec.arity === 1 ? [q0] : [q0, q1], params });
    }
    const circuit: Circuit = { n, ops };
    const text = toQasm(circuit);
    expect(text.startsWith('OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[5];\n')).toBe(true);
    expect(parseQasm(text).circuit).toEqual(circuit);
  });
  it('refuses a circuit that would export an unreadable file (qubit out of range, wrong arity, bad parameter count)', () => {
    expect(() => toQasm({ n: 2, ops: [{ name: 'ry', qubits: [5], params: [1] }] })).toThrow(/gate 0 \(ry\): qubit index 5 out of range \[0, 1\]/);
    expect(() => toQasm({ n: 2, ops: [{ name: 'cx', qubits: [0], params: [] }] })).toThrow(/gate 0 \(cx\): acts on 2 qubit\(s\), got 1/);
    expect(() => toQasm({ n: 2, ops: [{ name: 'cx', qubits: [1, 1], params: [] }] })).toThrow(/qubits must be distinct/);
    expect(() => toQasm({ n: 2, ops: [{ name: 'rz', qubits: [0], params: [] }] })).toThrow(/gate 0 \(rz\): expects 1 parameter\(s\), got 0/);
  });
  it('rejects explicit unitaries with a clear error', () => {
    const m = { dim: 2, re: Float64Array.from([1, 0, 0, 1]), im: null };
    expect(() => toQasm({ n: 1, ops: [{ name: 'unitary', qubits: [0], params: [], matrix: m }] })).toThrow(
      /gate 0 is an explicit 'unitary' matrix.*cannot express/,
    );
  });
});
