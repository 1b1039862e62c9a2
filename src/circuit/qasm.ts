/**
 * OpenQASM 2.0 import and export.
 *
 * **Qubit order.** Registers are flattened in declaration order: the first `qreg`'s qubit 0 is
 * global qubit 0, the next register follows it, and so on. qdistill qubit k is Qiskit's qubit k
 * (the same `q[k]`), but the two *print* bitstrings differently: Qiskit's counts are
 * little-endian (qubit 0 is the **rightmost** character), while qdistill's bitstrings and
 * state-vector indices are big-endian (qubit 0 is the **leftmost** character / most significant
 * bit). Reverse a Qiskit bitstring to compare it with a qdistill one.
 *
 * Supported: the `OPENQASM 2.0;` header, `include "qelib1.inc";`, several `qreg`s, `creg`
 * (checked, otherwise ignored), `barrier` (ignored), `measure` (recorded), `//` and `/* *\/`
 * comments, the qelib1 gates of the qdistill library (plus `u2` and `u0`), register-wide
 * application, parameter expressions (pi, + − * / ^, unary minus, parentheses, sin cos tan exp
 * ln sqrt) and simple user-defined `gate` definitions (expanded inline). Not supported: `opaque`,
 * `reset`, `if`, and gates after a measurement of the same qubit.
 */
import { GATES, canonicalGateName, type Circuit, type GateOp } from '../../mps/gates.js';

/** A syntax or semantic error in OpenQASM input, with a 1-based source position. */
export class QasmError extends Error {
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
  constructor(line: number, column: number, detail: string) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'QasmError';
    this.line = line;
    this.column = column;
  }
}

/** Options of {@link parseQasm}. */
export interface QasmParseOptions {
  /**
   * `'sample'` (default): record measured qubits in `measured`; a gate on an already
   * measured qubit is an error (mid-circuit measurement cannot be represented).
   * `'ignore'`: drop `measure` statements entirely (`measured` is empty).
   */
  measure?: 'ignore' | 'sample';
}

/** A flattened quantum register: global qubits `offset … offset + size − 1`. */
export interface QasmRegister {
  /** Register name. */
  name: string;
  /** Number of qubits. */
  size: number;
  /** Global index of its qubit 0. */
  offset: number;
}

/** Result of {@link parseQasm}. */
export interface QasmParseResult {
  /** The unitary part of the program. */
  circuit: Circuit;
  /** Global indices of measured qubits, in order of first measurement. */
  measured: number[];
  /** Quantum registers in declaration order. */
  registers: QasmRegister[];
}

// ---------------------------------------------------------------- tokens

type TokKind = 'id' | 'num' | 'str' | 'sym' | 'eof';
interface Token {
  kind: TokKind;
  text: string;
  line: number;
  col: number;
}

function tokenize(text: string): Token[] {
  const toks: Token[] = [];
  let i = 0, line = 1, col = 1;
  const adv = (k: number): void => {
    for (let j = 0; j < k; j++) {
      if (text[i] === '\n') { line++; col = 1; } else col++;
      i++;
    }
  };
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\r' || c === '\n') { adv(1); continue; }
    if (text.startsWith('//', i)) { while (i < text.length && text[i] !== '\n') adv(1); continue; }
    if (text.startsWith('/*', i)) {
      const l0 = line, c0 = col;
      const end = text.indexOf('*/', i + 2);
      if (end < 0) throw new QasmError(l0, c0, 'unterminated comment /* … */');
      adv(end + 2 - i);
      continue;
    }
    const l0 = line, c0 = col;
    let m: RegExpMatchArray | null;
    const rest = text.slice(i, i + 256);
    if ((m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(rest))) {
      toks.push({ kind: 'id', text: m[0], line: l0, col: c0 });
      adv(m[0].length);
    } else if ((m = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(rest))) {
      toks.push({ kind: 'num', text: m[0], line: l0, col: c0 });
      adv(m[0].length);
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      const nl = text.indexOf('\n', i + 1);
      if (end < 0 || (nl >= 0 && nl < end)) throw new QasmError(l0, c0, 'unterminated string');
      toks.push({ kind: 'str', text: text.slice(i + 1, end), line: l0, col: c0 });
      adv(end + 1 - i);
    } else if (text.startsWith('->', i) || text.startsWith('==', i)) {
      toks.push({ kind: 'sym', text: text.slice(i, i + 2), line: l0, col: c0 });
      adv(2);
    } else if (';,()[]{}+-*/^'.includes(c)) {
      toks.push({ kind: 'sym', text: c, line: l0, col: c0 });
      adv(1);
    } else {
      throw new QasmError(l0, c0, `unexpected character '${c}'`);
    }
  }
  toks.push({ kind: 'eof', text: '<end of input>', line, col });
  return toks;
}

// ---------------------------------------------------------------- expressions

/** A compiled parameter expression: evaluates given the values of the enclosing gate's parameters. */
type Expr = (env: ReadonlyMap<string, number>) => number;

/**
 * Input limits, so that hostile or broken files fail with a message instead of exhausting the
 * stack or memory: qubits over all registers, gate operations after expanding user gates,
 * and atoms plus operators in one parameter expression (which bounds its nesting depth).
 */
export const QASM_LIMITS = Object.freeze({ qubits: 100_000, ops: 1_000_000, exprNodes: 1_000 });

const FUNCS: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, ln: Math.log, sqrt: Math.sqrt,
};

/** Gates of qelib1.inc outside the qdistill library, rewritten in terms of library gates. */
const QELIB_EXTRA: Readonly<Record<string, { nParams: number; arity: number; expand: (p: number[], q: number[]) => GateOp[] }>> = {
  u2: { nParams: 2, arity: 1, expand: (p, q) => [{ name: 'u3', qubits: q, params: [Math.PI / 2, p[0]!, p[1]!] }] },
  u0: { nParams: 1, arity: 1, expand: (_p, q) => [{ name: 'id', qubits: q, params: [] }] },
};

/** qelib1.inc gates that are recognised but not supported (a clearer error than 'unknown gate'). */
const QELIB_UNSUPPORTED = new Set(['ch', 'crx', 'cry', 'crz', 'cu3', 'cu', 'csx', 'ccx', 'cswap', 'sxdg', 'rccx', 'rc3x', 'c3x', 'c3sqrtx', 'c4x']);

/** A user-defined gate: parameters, qubit arguments and a body of calls. */
interface GateDef {
  params: string[];
  args: string[];
  body: { tok: Token; name: string; params: Expr[]; args: string[] }[];
  /** Number of gate operations one call expands to. */
  size: number;
}

/** One qubit argument as written: a whole register or one indexed qubit. */
interface ArgRef {
  tok: Token;
  reg: QasmRegister;
  index: number | null;
}

class Parser {
  private pos = 0;
  private readonly toks: Token[];
  readonly registers: QasmRegister[] = [];
  private readonly cregs = new Map<string, number>();
  private readonly defs = new Map<string, GateDef>();
  readonly ops: GateOp[] = [];
  readonly measured: number[] = [];
  private readonly measuredSet = new Set<number>();
  private nQubits = 0;
  /** Atoms and operators left in the current parameter expression. */
  private exprBudget = 0;

  constructor(text: string, private readonly measureMode: 'ignore' | 'sample') {
    this.toks = tokenize(text);
  }

  private peek(k = 0): Token {
    return this.toks[Math.min(this.pos + k, this.toks.length - 1)]!;
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'eof') this.pos++;
    return t;
  }
  private fail(t: Token, detail: string): never {
    throw new QasmError(t.line, t.col, detail);
  }
  private isSym(s: string): boolean {
    const t = this.peek();
    return t.kind === 'sym' && t.text === s;
  }
  private expectSym(s: string): Token {
    const t = this.next();
    if (t.kind !== 'sym' || t.text !== s) this.fail(t, `expected '${s}', got '${t.text}'`);
    return t;
  }
  private expectId(what: string): Token {
    const t = this.next();
    if (t.kind !== 'id') this.fail(t, `expected ${what}, got '${t.text}'`);
    return t;
  }
  private expectInt(what: string): { tok: Token; value: number } {
    const t = this.next();
    if (t.kind !== 'num' || !/^\d+$/.test(t.text)) this.fail(t, `expected ${what} (a non-negative integer), got '${t.text}'`);
    return { tok: t, value: Number(t.text) };
  }

  parse(): void {
    const h = this.peek();
    if (!(h.kind === 'id' && h.text === 'OPENQASM')) this.fail(h, `expected 'OPENQASM 2.0;' header, got '${h.text}'`);
    this.next();
    const v = this.next();
    if (v.kind !== 'num' || !/^2(\.0*)?$/.test(v.text)) this.fail(v, `only OpenQASM 2.0 is supported, got version '${v.text}'`);
    this.expectSym(';');
    while (this.peek().kind !== 'eof') this.statement();
    if (this.nQubits === 0) this.fail(this.peek(), 'no qreg declared');
  }

  private statement(): void {
    const t = this.peek();
    if (t.kind !== 'id') this.fail(t, `expected a statement, got '${t.text}'`);
    switch (t.text) {
      case 'include': {
        this.next();
        const f = this.next();
        if (f.kind !== 'str') this.fail(f, `expected a file name in quotes, got '${f.text}'`);
        if (f.text !== 'qelib1.inc') this.fail(f, `cannot include '${f.text}': only "qelib1.inc" is supported`);
        this.expectSym(';');
        return;
      }
      case 'qreg':
      case 'creg': {
        this.next();
        const name = this.expectId('a register name');
        if (this.registers.some((r) => r.name === name.text) || this.cregs.has(name.text)) {
          this.fail(name, `register '${name.text}' is already declared`);
        }
        this.expectSym('[');
        const { tok, value } = this.expectInt('a register size');
        if (value < 1) this.fail(tok, `register size must be ≥ 1, got ${value}`);
        if (t.text === 'qreg' && this.nQubits + value > QASM_LIMITS.qubits) {
          this.fail(tok, `register size ${value} brings the circuit to ${this.nQubits + value} qubits; the limit is ${QASM_LIMITS.qubits}`);
        }
        this.expectSym(']');
        this.expectSym(';');
        if (t.text === 'qreg') {
          this.registers.push({ name: name.text, size: value, offset: this.nQubits });
          this.nQubits += value;
        } else {
          this.cregs.set(name.text, value);
        }
        return;
      }
      case 'barrier': {
        this.next();
        this.argList();
        this.expectSym(';');
        return;
      }
      case 'measure':
        this.measure();
        return;
      case 'gate':
        this.gateDef();
        return;
      case 'opaque':
      case 'reset':
      case 'if':
        this.fail(t, `'${t.text}' is not supported`);
      default:
        this.gateCall();
    }
  }

  private measure(): void {
    this.next();
    const src = this.qubitArg();
    this.expectSym('->');
    const dst = this.expectId('a classical register');
    const csize = this.cregs.get(dst.text);
    if (csize === undefined) this.fail(dst, `unknown classical register '${dst.text}'`);
    let cIndex: number | null = null;
    if (this.isSym('[')) {
      this.next();
      const { tok, value } = this.expectInt('a bit index');
      if (value >= csize) this.fail(tok, `bit ${dst.text}[${value}] out of range: register ${dst.text} has ${csize} bits`);
      cIndex = value;
      this.expectSym(']');
    }
    this.expectSym(';');
    if ((src.index === null) !== (cIndex === null)) {
      this.fail(src.tok, 'measure must map a qubit to a bit, or a whole register to a whole register');
    }
    if (src.index === null && src.reg.size !== csize) {
      this.fail(src.tok, `measure ${src.reg.name} -> ${dst.text}: register sizes differ (${src.reg.size} vs ${csize})`);
    }
    if (this.measureMode === 'ignore') return;
    const qs = src.index === null ? range(src.reg.size).map((k) => src.reg.offset + k) : [src.reg.offset + src.index];
    for (const q of qs) {
      if (!this.measuredSet.has(q)) { this.measuredSet.add(q); this.measured.push(q); }
    }
  }

  /** `name` or `name[i]` referring to a declared qreg; the index is range-checked. */
  private qubitArg(): ArgRef {
    const tok = this.expectId('a quantum register');
    const reg = this.registers.find((r) => r.name === tok.text);
    if (!reg) {
      if (this.cregs.has(tok.text)) this.fail(tok, `'${tok.text}' is a classical register, expected a quantum register`);
      this.fail(tok, `unknown register '${tok.text}'`);
    }
    if (!this.isSym('[')) return { tok, reg, index: null };
    this.next();
    const { tok: it, value } = this.expectInt('a qubit index');
    if (value >= reg.size) this.fail(it, `qubit ${reg.name}[${value}] out of range: register ${reg.name} has ${reg.size} qubits`);
    this.expectSym(']');
    return { tok, reg, index: value };
  }

  private argList(): ArgRef[] {
    const args = [this.qubitArg()];
    while (this.isSym(',')) { this.next(); args.push(this.qubitArg()); }
    return args;
  }

  /** Optional `( expr, … )`; `names` are the parameter names in scope (inside a gate body). */
  private paramList(names: readonly string[]): Expr[] {
    if (!this.isSym('(')) return [];
    this.next();
    const out: Expr[] = [];
    if (this.isSym(')')) { this.next(); return out; }
    out.push(this.topExpr(names));
    while (this.isSym(',')) { this.next(); out.push(this.topExpr(names)); }
    this.expectSym(')');
    return out;
  }

  /** Arity and parameter count of a callable gate, or undefined when unknown. */
  private signature(name: string): { arity: number; nParams: number } | undefined {
    const def = this.defs.get(name);
    if (def) return { arity: def.args.length, nParams: def.params.length };
    const extra = QELIB_EXTRA[name];
    if (extra) return extra;
    const canon = canonicalGateName(name);
    if (canon !== undefined) return GATES[canon]!;
    return undefined;
  }

  private unknownGate(t: Token): never {
    if (QELIB_UNSUPPORTED.has(t.text)) this.fail(t, `gate '${t.text}' from qelib1.inc is not supported by qdistill`);
    this.fail(t, `unknown gate '${t.text}'`);
  }

  /** Expands a call of a known gate with evaluated parameters on global qubits into `out`. */
  private expand(name: string, params: number[], qubits: number[], out: GateOp[], tok: Token): void {
    const def = this.defs.get(name);
    if (def) {
      const env = new Map<string, number>(def.params.map((p, k) => [p, params[k]!]));
      const qmap = new Map<string, number>(def.args.map((a, k) => [a, qubits[k]!]));
      for (const c of def.body) this.expand(c.name, c.params.map((e) => e(env)), c.args.map((a) => qmap.get(a)!), out, c.tok);
      return;
    }
    for (const [k, p] of params.entries()) {
      if (!Number.isFinite(p)) this.fail(tok, `gate '${name}': parameter ${k} evaluates to ${p}`);
    }
    const extra = QELIB_EXTRA[name];
    if (extra) { out.push(...extra.expand(params, qubits)); return; }
    out.push({ name: canonicalGateName(name)!, qubits: [...qubits], params: [...params] });
  }

  private gateCall(): void {
    const nameTok = this.expectId('a gate name');
    const sig = this.signature(nameTok.text);
    if (!sig) this.unknownGate(nameTok);
    const params = this.paramList([]).map((e) => e(new Map()));
    if (params.length !== sig.nParams) {
      this.fail(nameTok, `gate '${nameTok.text}' expects ${sig.nParams} parameter(s), got ${params.length}`);
    }
    for (const [k, p] of params.entries()) {
      if (!Number.isFinite(p)) this.fail(nameTok, `gate '${nameTok.text}': parameter ${k} evaluates to ${p}`);
    }
    const args = this.argList();
    this.expectSym(';');
    if (args.length !== sig.arity) {
      this.fail(nameTok, `gate '${nameTok.text}' acts on ${sig.arity} qubit(s), got ${args.length}`);
    }
    // Register-wide application: every whole-register argument must have the same size.
    let width: number | null = null;
    for (const a of args) {
      if (a.index !== null) continue;
      if (width === null) width = a.reg.size;
      else if (a.reg.size !== width) this.fail(a.tok, `register '${a.reg.name}' has ${a.reg.size} qubits, but an earlier register argument has ${width}`);
    }
    const calls = (width ?? 1) * (this.defs.get(nameTok.text)?.size ?? 1);
    if (this.ops.length + calls > QASM_LIMITS.ops) this.fail(nameTok, `the circuit expands to more than ${QASM_LIMITS.ops} gate operations`);
    for (let k = 0; k < (width ?? 1); k++) {
      const qs = args.map((a) => a.reg.offset + (a.index ?? k));
      for (let j = 1; j < qs.length; j++) {
        if (qs.indexOf(qs[j]!) < j) this.fail(args[j]!.tok, `duplicate qubit ${args[j]!.reg.name}[${qs[j]! - args[j]!.reg.offset}] in arguments of '${nameTok.text}'`);
      }
      for (const [j, q] of qs.entries()) {
        if (this.measuredSet.has(q)) this.fail(args[j]!.tok, `gate '${nameTok.text}' after measurement of qubit ${q} (mid-circuit measurement) is not supported`);
      }
      this.expand(nameTok.text, params, qs, this.ops, nameTok);
    }
  }

  private gateDef(): void {
    this.next();
    const nameTok = this.expectId('a gate name');
    if (this.defs.has(nameTok.text) || canonicalGateName(nameTok.text) !== undefined || QELIB_EXTRA[nameTok.text]) {
      this.fail(nameTok, `gate '${nameTok.text}' is already defined`);
    }
    const params: string[] = [];
    if (this.isSym('(')) {
      this.next();
      if (!this.isSym(')')) {
        params.push(this.expectId('a parameter name').text);
        while (this.isSym(',')) { this.next(); params.push(this.expectId('a parameter name').text); }
      }
      this.expectSym(')');
    }
    const args: string[] = [];
    const argTok = this.expectId('a qubit argument name');
    args.push(argTok.text);
    while (this.isSym(',')) {
      this.next();
      const a = this.expectId('a qubit argument name');
      if (args.includes(a.text)) this.fail(a, `duplicate argument '${a.text}' in gate '${nameTok.text}'`);
      args.push(a.text);
    }
    this.expectSym('{');
    const body: GateDef['body'] = [];
    while (!this.isSym('}')) {
      const t = this.expectId('a gate call or \'}\'');
      if (t.text === 'barrier') {
        this.expectId('a qubit argument');
        while (this.isSym(',')) { this.next(); this.expectId('a qubit argument'); }
        this.expectSym(';');
        continue;
      }
      const sig = this.signature(t.text);
      if (!sig) this.unknownGate(t);
      const ps = this.paramList(params);
      if (ps.length !== sig.nParams) this.fail(t, `gate '${t.text}' expects ${sig.nParams} parameter(s), got ${ps.length}`);
      const as: string[] = [];
      do {
        if (as.length > 0) this.next();
        const a = this.expectId('a qubit argument');
        if (!args.includes(a.text)) this.fail(a, `unknown qubit argument '${a.text}' in gate '${nameTok.text}'`);
        if (as.includes(a.text)) this.fail(a, `duplicate qubit '${a.text}' in arguments of '${t.text}'`);
        as.push(a.text);
      } while (this.isSym(','));
      this.expectSym(';');
      if (as.length !== sig.arity) this.fail(t, `gate '${t.text}' acts on ${sig.arity} qubit(s), got ${as.length}`);
      body.push({ tok: t, name: t.text, params: ps, args: as });
    }
    this.expectSym('}');
    const size = body.reduce((acc, c) => acc + (this.defs.get(c.name)?.size ?? 1), 0);
    this.defs.set(nameTok.text, { params, args, body, size });
  }

  // expr   := term (('+' | '-') term)*
  // term   := unary (('*' | '/') unary)*
  // unary  := '-' unary | power
  // power  := atom ('^' unary)?        (right-associative, binds tighter than unary minus)
  // atom   := number | pi | name | func '(' expr ')' | '(' expr ')'
  /** One whole parameter expression, with a fresh node budget (QASM_LIMITS.exprNodes). */
  private topExpr(names: readonly string[]): Expr {
    this.exprBudget = QASM_LIMITS.exprNodes;
    return this.expr(names);
  }
  /** Counts one atom or operator against the expression's budget. */
  private spend(t: Token): void {
    if (--this.exprBudget < 0) this.fail(t, `parameter expression has more than ${QASM_LIMITS.exprNodes} terms and operators`);
  }
  private expr(names: readonly string[]): Expr {
    let left = this.term(names);
    while (this.isSym('+') || this.isSym('-')) {
      const opTok = this.next();
      this.spend(opTok);
      const op = opTok.text;
      const l = left, r = this.term(names);
      left = op === '+' ? (e) => l(e) + r(e) : (e) => l(e) - r(e);
    }
    return left;
  }
  private term(names: readonly string[]): Expr {
    let left = this.unary(names);
    while (this.isSym('*') || this.isSym('/')) {
      const opTok = this.next();
      this.spend(opTok);
      const op = opTok.text;
      const l = left, r = this.unary(names);
      left = op === '*' ? (e) => l(e) * r(e) : (e) => l(e) / r(e);
    }
    return left;
  }
  private unary(names: readonly string[]): Expr {
    if (this.isSym('-')) { this.spend(this.next()); const a = this.unary(names); return (e) => -a(e); }
    if (this.isSym('+')) { this.spend(this.next()); return this.unary(names); }
    return this.power(names);
  }
  private power(names: readonly string[]): Expr {
    const base = this.atom(names);
    if (!this.isSym('^')) return base;
    this.next();
    const ex = this.unary(names);
    return (e) => base(e) ** ex(e);
  }
  private atom(names: readonly string[]): Expr {
    const t = this.next();
    this.spend(t);
    if (t.kind === 'num') { const v = Number(t.text); return () => v; }
    if (t.kind === 'sym' && t.text === '(') {
      const inner = this.expr(names);
      this.expectSym(')');
      return inner;
    }
    if (t.kind === 'id') {
      if (t.text === 'pi') return () => Math.PI;
      const f = FUNCS[t.text];
      if (f) {
        this.expectSym('(');
        const a = this.expr(names);
        this.expectSym(')');
        return (e) => f(a(e));
      }
      if (names.includes(t.text)) { const name = t.text; return (e) => e.get(name)!; }
      this.fail(t, `unknown identifier '${t.text}' in expression`);
    }
    this.fail(t, `expected an expression, got '${t.text}'`);
  }
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, k) => k);
}

/**
 * Parses an OpenQASM 2.0 program into a qdistill {@link Circuit}.
 *
 * Registers are flattened in declaration order (see the module doc for the mapping to Qiskit).
 * @throws QasmError with 1-based `line` and `column` for malformed syntax, an unknown gate or
 *   register, a qubit index out of range, a wrong parameter or qubit count, or duplicate qubits.
 * @example
 * ```ts
 * parseQasm('OPENQASM 2.0; include "qelib1.inc"; qreg q[2]; h q[0]; cx q[0],q[1];').circuit.ops.length; // 2
 * ```
 */
export function parseQasm(text: string, opts: QasmParseOptions = {}): QasmParseResult {
  const mode = opts.measure ?? 'sample';
  if (mode !== 'sample' && mode !== 'ignore') throw new Error(`opts.measure must be 'ignore' or 'sample', got ${JSON.stringify(mode)}`);
  const p = new Parser(text, mode);
  p.parse();
  const n = p.registers.reduce((s, r) => s + r.size, 0);
  return { circuit: { n, ops: p.ops }, measured: p.measured, registers: p.registers };
}

/**
 * Writes a circuit as OpenQASM 2.0 with one register `q[n]` (qdistill qubit k = `q[k]` = Qiskit
 * qubit k; remember Qiskit prints bitstrings little-endian, qdistill big-endian). Angles are
 * printed with full round-trip precision, so `parseQasm(toQasm(c))` reproduces `c` exactly.
 * Uses qdistill's canonical names, all of which `parseQasm` reads; other tools' `qelib1.inc` may
 * lack some of them (older versions have no `p`, `cp`, `sx`, `rxx`, `ryy`, `rzz`).
 * @throws Error for an explicit `'unitary'` gate, which OpenQASM 2 cannot express.
 */
export function toQasm(circuit: Circuit): string {
  const lines = ['OPENQASM 2.0;', 'include "qelib1.inc";', `qreg q[${circuit.n}];`];
  circuit.ops.forEach((op, k) => {
    if (op.name === 'unitary') {
      throw new Error(`toQasm: gate ${k} is an explicit 'unitary' matrix on qubits [${op.qubits.join(', ')}], which OpenQASM 2 cannot express; decompose it into named gates first`);
    }
    if (!GATES[op.name]) throw new Error(`toQasm: gate ${k} has unknown name '${op.name}'`);
    const ps = op.params.length > 0 ? `(${op.params.map((x) => String(x)).join(',')})` : '';
    lines.push(`${op.name}${ps} ${op.qubits.map((q) => `q[${q}]`).join(',')};`);
  });
  return lines.join('\n') + '\n';
}
