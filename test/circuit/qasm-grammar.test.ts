/**
 * The OpenQASM 2 grammar case by case: parameter expressions against values worked out by hand
 * (precedence, associativity, functions), the lexer's tokens (numbers, strings, comments,
 * positions), and one row per rejection of the statements that qasm.test.ts does not cover
 * (header, include, registers, measure, gate and opaque declarations, limits), each with its
 * line, column and message.
 */
import { describe, expect, it } from 'vitest';
import { QasmError, parseQasm } from '../../src/circuit/qasm.js';
import { tokenize } from '../../src/circuit/qasm-lexer.js';
import { QASM_LIMITS } from '../../src/circuit/qasm-parser.js';

const HEAD = 'OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[2];\n';

/** The angle of `rz(<expr>) q[0];`. */
function angle(expr: string): number {
  const ops = parseQasm(`${HEAD}rz(${expr}) q[0];`).circuit.ops;
  expect(ops).toHaveLength(1);
  expect(ops[0]!.name).toBe('rz');
  return ops[0]!.params[0]!;
}

/** The QasmError of parsing `src`, as [line, column, message]. */
function failure(src: string): [number, number, string] {
  try {
    parseQasm(src);
  } catch (e) {
    expect(e).toBeInstanceOf(QasmError);
    const q = e as QasmError;
    expect(q.message.startsWith(`line ${q.line}, column ${q.column}: `)).toBe(true);
    return [q.line, q.column, q.message.slice(`line ${q.line}, column ${q.column}: `.length)];
  }
  throw new Error(`no error for ${JSON.stringify(src)}`);
}

describe('parameter expressions', () => {
  const PI = Math.PI;
  it.each<[string, number]>([
    ['0.5', 0.5], ['.25', 0.25], ['2.', 2], ['1e-1', 0.1], ['1.5E+1', 15], ['3e0', 3],
    ['pi', PI], ['-pi', -PI], ['+pi', PI], ['--1', 1], ['-(-2)', 2],
    ['1+2*3', 7], ['(1+2)*3', 9], ['2*3+4', 10], ['1-2-3', -4], ['1-(2-3)', 2], ['8/4/2', 1], ['8/(4/2)', 4],
    ['6/3*2', 4], ['2*3/4', 1.5], ['1+6/2', 4], ['7-2*3', 1], ['10-4/2', 8],
    ['2^3', 8], ['2^3^2', 512], ['(2^3)^2', 64], ['-2^2', -4], ['2^-1', 0.5], ['2^+2', 4], ['2*3^2', 18], ['-pi^2', -PI * PI],
    ['sin(pi/2)', 1], ['cos(0)', 1], ['tan(0)', 0], ['exp(0)', 1], ['ln(1)', 0], ['sqrt(16)', 4], ['sqrt(2)*sqrt(2)', Math.sqrt(2) * Math.sqrt(2)],
    ['exp(1)', Math.E], ['ln(exp(2))', 2], ['cos(pi)', -1], ['sin(pi/6)*2', 2 * Math.sin(PI / 6)], ['tan(pi/4)', Math.tan(PI / 4)],
    ['pi/4+pi/4', PI / 2], ['3*pi/2 - pi', PI / 2],
  ])('%s = %d', (expr, want) => {
    expect(angle(expr)).toBe(want);
  });

  it('gate parameters are bound by name inside definitions, and expressions of them are evaluated per call', () => {
    const src = `${HEAD}gate g(a, b) x { rz(a - b) x; rz(a / b) x; rz(b ^ a) x; rz(-a) x; }\ng(3, 2) q[1];\ng(1, 4) q[0];`;
    const ops = parseQasm(src).circuit.ops;
    expect(ops.map((o) => [o.qubits[0], o.params[0]])).toEqual([[1, 1], [1, 1.5], [1, 8], [1, -3], [0, -3], [0, 0.25], [0, 4], [0, -1]]);
  });

  it('an empty parameter list is no parameters', () => {
    expect(parseQasm(`${HEAD}h() q[0];`).circuit.ops.map((o) => o.name)).toEqual(['h']);
  });

  it(`at most ${QASM_LIMITS.exprNodes} atoms and operators in one expression`, () => {
    // n ones joined by '+': n atoms and n − 1 operators
    const sum = (n: number) => Array.from({ length: n }, () => '1').join('+');
    expect(angle(sum(500))).toBe(500);
    expect(failure(`${HEAD}rz(${sum(501)}) q[0];`)).toEqual([4, 4 + 2 * 500, `parameter expression has more than ${QASM_LIMITS.exprNodes} terms and operators`]);
    // the budget is per expression: two long ones in one call are fine
    expect(parseQasm(`${HEAD}U(${sum(400)}, ${sum(400)}, 0) q[0];`).circuit.ops[0]!.params.slice(0, 2)).toEqual([400, 400]);
  });
});

describe('the lexer', () => {
  it('tokens with their kinds, texts and 1-based positions', () => {
    const toks = tokenize('qreg q[2];\n\tx q[0]; // note\n/* a\nb */ "s t" -> == 1.5e3');
    expect(toks.map((t) => [t.kind, t.text, t.line, t.col])).toEqual([
      ['id', 'qreg', 1, 1], ['id', 'q', 1, 6], ['sym', '[', 1, 7], ['num', '2', 1, 8], ['sym', ']', 1, 9], ['sym', ';', 1, 10],
      ['id', 'x', 2, 2], ['id', 'q', 2, 4], ['sym', '[', 2, 5], ['num', '0', 2, 6], ['sym', ']', 2, 7], ['sym', ';', 2, 8],
      ['str', 's t', 4, 6], ['sym', '->', 4, 12], ['sym', '==', 4, 15], ['num', '1.5e3', 4, 18],
      ['eof', '<end of input>', 4, 23],
    ]);
  });

  it('every one-character symbol, CRLF line ends, identifiers with digits and underscores', () => {
    expect(tokenize(';,()[]{}+-*/^').map((t) => t.text)).toEqual([';', ',', '(', ')', '[', ']', '{', '}', '+', '-', '*', '/', '^', '<end of input>']);
    const t = tokenize('a_1\r\n_b2 c');
    expect(t.map((x) => [x.text, x.line, x.col])).toEqual([['a_1', 1, 1], ['_b2', 2, 1], ['c', 2, 5], ['<end of input>', 2, 6]]);
    expect(tokenize('')).toEqual([{ kind: 'eof', text: '<end of input>', line: 1, col: 1 }]);
    expect(tokenize('// only a comment').map((x) => x.kind)).toEqual(['eof']);
  });

  it('comments and strings next to other tokens: positions counted by hand', () => {
    const pos = (src: string) => tokenize(src).map((t) => [t.kind, t.text, t.line, t.col]);
    // a '*' right before '/*' is a symbol, not the end of the comment that follows it
    expect(pos('x*/* c */y')).toEqual([['id', 'x', 1, 1], ['sym', '*', 1, 2], ['id', 'y', 1, 10], ['eof', '<end of input>', 1, 11]]);
    // the '*/' of '/*/' is not the end: the search starts after '/*'
    expect(pos('/*/ a */b')).toEqual([['id', 'b', 1, 9], ['eof', '<end of input>', 1, 10]]);
    // a string at the start of a line: the newline before it does not end it
    expect(pos('a;\n"s";')).toEqual([['id', 'a', 1, 1], ['sym', ';', 1, 2], ['str', 's', 2, 1], ['sym', ';', 2, 4], ['eof', '<end of input>', 2, 5]]);
    // a line comment at the end of the input: the end is one column past its last character
    expect(pos('x // c')).toEqual([['id', 'x', 1, 1], ['eof', '<end of input>', 1, 7]]);
  });

  it.each<[string, number, number, string]>([
    ['x "open', 1, 3, 'unterminated string'],
    ['x "open\nclose"', 1, 3, 'unterminated string'],
    ['x\n  /* open', 2, 3, 'unterminated comment /* … */'],
    ['a = b', 1, 3, "unexpected character '='"],
    ['ok;\n  #', 2, 3, "unexpected character '#'"],
  ])('%j fails at %d:%d', (src, line, col, detail) => {
    let err: unknown;
    try { tokenize(src); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(QasmError);
    expect((err as QasmError).message).toBe(`line ${line}, column ${col}: ${detail}`);
    expect([(err as QasmError).line, (err as QasmError).column]).toEqual([line, col]);
    expect((err as QasmError).name).toBe('QasmError');
  });
});

describe('statements that are accepted', () => {
  it('OPENQASM 2 and 2.00, a repeated include, barrier over several registers, measure into bits', () => {
    for (const v of ['2', '2.0', '2.00']) expect(parseQasm(`OPENQASM ${v};\nqreg q[1];`).circuit.n).toBe(1);
    const r = parseQasm(`${HEAD}include "qelib1.inc";\nqreg r[3];\ncreg c[2];\nbarrier q, r[1];\nh r;\nmeasure q[1] -> c[0];\nmeasure r[2] -> c[1];`);
    expect(r.circuit.n).toBe(5);
    expect(r.registers).toEqual([{ name: 'q', size: 2, offset: 0 }, { name: 'r', size: 3, offset: 2 }]);
    expect(r.circuit.ops.map((o) => o.qubits[0])).toEqual([2, 3, 4]);
    expect(r.measured).toEqual([1, 4]);
  });

  it('measured qubits are listed once, in order of first measurement', () => {
    const r = parseQasm(`${HEAD}creg c[2];\ncreg d[2];\nmeasure q[1] -> c[0];\nmeasure q -> d;\nmeasure q[1] -> c[1];`);
    expect(r.measured).toEqual([1, 0]);
  });

  it('empty parentheses in a definition declare no parameters; classical registers do not count towards the qubit limit', () => {
    expect(parseQasm(`${HEAD}gate g() a { h a; }\ng q[0];\ng() q[1];`).circuit.ops.map((o) => o.qubits[0])).toEqual([0, 1]);
    expect(parseQasm(`${HEAD}creg c[${QASM_LIMITS.qubits + 1}];`).circuit.n).toBe(2);
  });

  it('a gate definition with a barrier in its body, an opaque declaration without parameters', () => {
    const r = parseQasm(`${HEAD}opaque o a;\ngate g(t) a, b { barrier a, b; rz(t) b; cx a, b; }\ng(0.5) q[0], q[1];`);
    expect(r.circuit.ops.map((o) => [o.name, o.qubits])).toEqual([['rz', [1]], ['cx', [0, 1]]]);
  });
});

describe('without the fast paths (nativeGates: false)', () => {
  it('header gates expand into U and CX only, at the positions of the calls', () => {
    const src = `${HEAD}h q[0];\nccx q[0], q[1], q[1];`;
    expect(() => parseQasm(src, { nativeGates: false })).toThrow(/^line 5, column \d+: duplicate qubit q\[1\]/);
    const ops = parseQasm(`${HEAD}h q[0];\ncrx(0.3) q[1], q[0];\nt q[1];`, { nativeGates: false }).circuit.ops;
    expect(new Set(ops.map((o) => o.name))).toEqual(new Set(['u3', 'cx']));
    expect(parseQasm(`${HEAD}h q[0];`).circuit.ops.map((o) => o.name)).toEqual(['h']);
  });

  it('a parameter that overflows deep in a header gate is reported at the call in the file', () => {
    // cu3's body applies u1((λ + φ)/2): finite arguments 1e308 overflow to Infinity inside it
    let err: unknown;
    try { parseQasm(`${HEAD}x q[0];\n  cu3(0, 1e308, 1e308) q[0], q[1];`, { nativeGates: false }); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(QasmError);
    expect([(err as QasmError).line, (err as QasmError).column]).toEqual([5, 3]);
    // blamed on the call of the header gate itself, so no 'in the expansion of' suffix
    expect((err as QasmError).message).toBe("line 5, column 3: gate 'u1': parameter 0 evaluates to Infinity");
  });
});

describe('rejections with their positions', () => {
  const H = HEAD;
  it.each<[string, string, number, number, string]>([
    ['version 2.1', 'OPENQASM 2.1;', 1, 10, "only OpenQASM 2.0 is supported, got version '2.1'"],
    ['version missing', 'OPENQASM;', 1, 9, "only OpenQASM 2.0 is supported, got version ';'"],
    ['header not first', 'qreg q[1];\nOPENQASM 2.0;', 1, 1, "expected 'OPENQASM 2.0;' header, got 'qreg'"],
    ['header without semicolon', 'OPENQASM 2.0\nqreg q[1];', 2, 1, "expected ';', got 'qreg'"],
    ['a number as a statement', `${H}3;`, 4, 1, "expected a statement, got '3'"],
    ['include without quotes', 'OPENQASM 2.0;\ninclude qelib1;', 2, 9, "expected a file name in quotes, got 'qelib1'"],
    ['include without semicolon', 'OPENQASM 2.0;\ninclude "qelib1.inc"\nqreg q[1];', 3, 1, "expected ';', got 'qreg'"],
    ['register size 0', 'OPENQASM 2.0;\nqreg q[0];', 2, 8, 'register size must be ≥ 1, got 0'],
    ['creg size 0', 'OPENQASM 2.0;\nqreg q[1];\ncreg c[0];', 3, 8, 'register size must be ≥ 1, got 0'],
    ['fractional register size', 'OPENQASM 2.0;\nqreg q[2.5];', 2, 8, "expected a register size (a non-negative integer), got '2.5'"],
    ['register without a name', 'OPENQASM 2.0;\nqreg [2];', 2, 6, "expected a register name, got '['"],
    ['register without brackets', 'OPENQASM 2.0;\nqreg q;', 2, 7, "expected '[', got ';'"],
    ['register without closing bracket', 'OPENQASM 2.0;\nqreg q[2;', 2, 9, "expected ']', got ';'"],
    ['creg named like a qreg', `${H}creg q[2];`, 4, 6, "register 'q' is already declared"],
    ['qreg named like a creg', 'OPENQASM 2.0;\ncreg c[2];\nqreg c[2];', 3, 6, "register 'c' is already declared"],
    ['too many qubits in one register', `OPENQASM 2.0;\nqreg q[${QASM_LIMITS.qubits + 1}];`, 2, 8, `register size ${QASM_LIMITS.qubits + 1} brings the circuit to ${QASM_LIMITS.qubits + 1} qubits; the limit is ${QASM_LIMITS.qubits}`],
    ['too many qubits over two registers', `OPENQASM 2.0;\nqreg a[${QASM_LIMITS.qubits - 1}];\nqreg b[2];`, 3, 8, `register size 2 brings the circuit to ${QASM_LIMITS.qubits + 1} qubits; the limit is ${QASM_LIMITS.qubits}`],
    ['measure into an unknown register', `${H}measure q[0] -> c[0];`, 4, 17, "unknown classical register 'c'"],
    ['measure into a bit out of range', `${H}creg c[2];\nmeasure q[0] -> c[2];`, 5, 19, 'bit c[2] out of range: register c has 2 bits'],
    ['measure a qubit into a register', `${H}creg c[2];\nmeasure q[0] -> c;`, 5, 9, 'measure must map a qubit to a bit, or a whole register to a whole register'],
    ['measure a register into a bit', `${H}creg c[2];\nmeasure q -> c[0];`, 5, 9, 'measure must map a qubit to a bit, or a whole register to a whole register'],
    ['measure without an arrow', `${H}creg c[2];\nmeasure q[0] c[0];`, 5, 14, "expected '->', got 'c'"],
    ['measure into a number', `${H}measure q[0] -> 3;`, 4, 17, "expected a classical register, got '3'"],
    ['measure a creg', `${H}creg c[2];\nmeasure c[0] -> c[1];`, 5, 9, "'c' is a classical register, expected a quantum register"],
    ['a number as a qubit', `${H}h 3;`, 4, 3, "expected a quantum register, got '3'"],
    ['a negative qubit index', `${H}h q[-1];`, 4, 5, "expected a qubit index (a non-negative integer), got '-'"],
    ['qubit index = size', `${H}h q[2];`, 4, 5, 'qubit q[2] out of range: register q has 2 qubits'],
    ['reset of a measured qubit', `${H}creg c[2];\nmeasure q[0] -> c[0];\nreset q[0];`, 6, 1, "'reset' of q[0] after gates or a measurement acted on it (line 6) is not supported: reset is not a unitary operation; only a reset of a qubit still in |0⟩ (a no-op) is accepted"],
    ['reset names the qubit of the second register', `${H}qreg r[3];\nx r[2];\nreset r;`, 6, 1, "'reset' of r[2] after gates or a measurement acted on it (line 6) is not supported: reset is not a unitary operation; only a reset of a qubit still in |0⟩ (a no-op) is accepted"],
    ['gate after a measurement names the register qubit', `${H}qreg r[2];\ncreg c[2];\nmeasure r[1] -> c[1];\nx r[1];`, 7, 3, "mid-circuit measurement is not supported: gate 'x' acts on r[1] after measurement of qubit 3 at line 6; measure at the end of the circuit"],
    ['duplicate parameter name', `${H}gate g(a, a) x { rz(a) x; }`, 4, 11, "duplicate parameter 'a' in gate 'g'"],
    ['duplicate argument name', `${H}gate g x, y, x { h x; }`, 4, 14, "duplicate argument 'x' in gate 'g'"],
    ['a number as a parameter name', `${H}gate g(1) x { h x; }`, 4, 8, "expected a parameter name, got '1'"],
    ['a number as an argument name', `${H}gate g x, 2 { h x; }`, 4, 11, "expected a qubit argument name, got '2'"],
    ['unknown argument in a body', `${H}gate g a { h b; }`, 4, 14, "unknown qubit argument 'b' in gate 'g'"],
    ['unknown argument in a body barrier', `${H}gate g a, b { barrier a, c; }`, 4, 26, "unknown qubit argument 'c' in gate 'g'"],
    ['duplicate qubit in a body call', `${H}gate g a, b { cx b, b; }`, 4, 21, "duplicate qubit 'b' in arguments of 'cx'"],
    ['too many parameters in a body call', `${H}gate g a { h(1) a; }`, 4, 12, "gate 'h' expects 0 parameter(s), got 1"],
    ['too few qubits in a body call', `${H}gate g a, b { cx a; }`, 4, 15, "gate 'cx' acts on 2 qubit(s), got 1"],
    ['unknown parameter name in a body', `${H}gate g(t) a { rz(s) a; }`, 4, 18, "unknown identifier 's' in expression"],
    ['a parameter in a top-level call', `${H}rz(t) q[0];`, 4, 4, "unknown identifier 't' in expression"],
    ['a body without its closing brace', `${H}gate g a { h a;`, 4, 16, "expected a gate call or '}', got '<end of input>'"],
    ['a body call without a semicolon', `${H}gate g a { h a }`, 4, 16, "expected ';', got '}'"],
    ['a definition without a body', `${H}gate g a;`, 4, 9, "expected '{', got ';'"],
    ['opaque redefining a header gate', `${H}opaque h a;`, 4, 8, "gate 'h' is already defined in qelib1.inc (included at line 2); a file that includes the standard header cannot redefine its gates"],
    ['opaque redefining U', `${H}opaque U a;`, 4, 8, "'U' is a built-in gate and cannot be redefined"],
    ['opaque declared twice', `${H}opaque o a;\nopaque o a;`, 5, 8, "gate 'o' is already defined at line 4"],
    ['opaque without a semicolon', `${H}opaque o a\nh q[0];`, 5, 1, "expected ';', got 'h'"],
    ['unbalanced parenthesis', `${H}rz((1) q[0];`, 4, 8, "expected ')', got 'q'"],
    ['function without parentheses', `${H}rz(sin) q[0];`, 4, 7, "expected '(', got ')'"],
    ['function without closing parenthesis', `${H}rz(sin(1) q[0];`, 4, 11, "expected ')', got 'q'"],
    ['a string in an expression', `${H}rz("x") q[0];`, 4, 4, "expected an expression, got 'x'"],
    ['an expression that ends early', `${H}rz(1+) q[0];`, 4, 6, "expected an expression, got ')'"],
    ['parameters without a closing parenthesis', `${H}rz(1 q[0];`, 4, 6, "expected ')', got 'q'"],
    ['a gate call without qubits', `${H}h;`, 4, 2, "expected a quantum register, got ';'"],
    ['header as a string', '"OPENQASM" 2.0;\nqreg q[1];', 1, 1, "expected 'OPENQASM 2.0;' header, got 'OPENQASM'"],
    ['version as a string', 'OPENQASM "2";\nqreg q[1];', 1, 10, "only OpenQASM 2.0 is supported, got version '2'"],
    ['version 12', 'OPENQASM 12;\nqreg q[1];', 1, 10, "only OpenQASM 2.0 is supported, got version '12'"],
    ['register size as a string', 'OPENQASM 2.0;\nqreg q["2"];', 2, 8, "expected a register size (a non-negative integer), got '2'"],
    ['bit index not a number', `${H}creg c[2];\nmeasure q[0] -> c[x];`, 5, 19, "expected a bit index (a non-negative integer), got 'x'"],
    ['a number as a gate name', `${H}gate 3 a { h a; }`, 4, 6, "expected a gate name, got '3'"],
    ['a number as an opaque name', `${H}opaque 3 a;`, 4, 8, "expected a gate name, got '3'"],
    ['a number in a body barrier', `${H}gate g a { barrier 1; }`, 4, 20, "expected a qubit argument, got '1'"],
    ['a number as a body call argument', `${H}gate g a { h 1; }`, 4, 14, "expected a qubit argument, got '1'"],
    ['duplicate qubit in a second register', `${H}qreg r[3];\ncx r[1], r[1];`, 5, 10, "duplicate qubit r[1] in arguments of 'cx'"],
    ['gate after a measurement of the first qubit of a second register', `${H}qreg r[2];\ncreg c[2];\nmeasure r[0] -> c[0];\nx r[0];`, 7, 3, "mid-circuit measurement is not supported: gate 'x' acts on r[0] after measurement of qubit 2 at line 6; measure at the end of the circuit"],
    ['a library gate defined twice in a file', `${H}gate g a { h a; }\ngate g a { x a; }`, 5, 6, "gate 'g' is already defined at line 4"],
  ])('%s', (_name, src, line, col, detail) => {
    expect(failure(src)).toEqual([line, col, detail]);
  });

  it('an unknown gate lists the gates of the header and of the file', () => {
    const [line, col, detail] = failure(`${HEAD}gate mine a { h a; }\nfoo q[0];`);
    expect([line, col]).toEqual([5, 1]);
    expect(detail).toMatch(/^unknown gate 'foo'; supported gates — built in: U, CX; qelib1\.inc: u3, u2, u1, cx, id, .*; defined in this file: mine$/);
    expect(detail).not.toMatch(/without include/);
  });

  it('without the include, an unknown gate that the header does not define gets no include hint', () => {
    expect(failure('OPENQASM 2.0;\nqreg q[1];\nfoo q[0];')).toEqual([3, 1, "unknown gate 'foo' (without include \"qelib1.inc\"; only U, CX and gates defined in the file exist); supported gates — built in: U, CX"]);
  });

  it('the gates of the file are listed in definition order', () => {
    const [, , detail] = failure(`${HEAD}gate b1 a { h a; }\ngate a2 a { x a; }\nfoo q[0];`);
    expect(detail).toMatch(/; defined in this file: b1, a2$/);
  });

  it('too many gate operations: a register-wide call is counted before it expands', () => {
    // a definition of 11 x gates called on a register of 10⁵ qubits: 1.1·10⁶ > 10⁶, refused at once
    const src = `OPENQASM 2.0;\ninclude "qelib1.inc";\nqreg q[100000];\ngate g a { ${'x a; '.repeat(11)}}\ng q;`;
    expect(failure(src)).toEqual([5, 1, `the circuit expands to more than ${QASM_LIMITS.ops} gate operations`]);
  });
});
