/**
 * The OpenQASM 2.0 parser: statements, gate definitions and their iterative expansion into
 * library gates. The public entry point is `parseQasm` in ./qasm.ts.
 *
 * Gate names follow the specification: without `include "qelib1.inc";` only the built-in `U`
 * and `CX` exist; the include adds the gates of the standard header (parsed from its text in
 * ./qelib1.ts), and names are case-sensitive. A call expands through the definitions with an
 * explicit stack, so nesting depth is bounded by memory, not by the JavaScript call stack.
 */
import type { GateOp } from '../../mps/gates.js';
import { QasmError, tokenize, type Token } from './qasm-lexer.js';
import { QASM_FILE_DEFINITIONS } from './qasm-export.js';
import { BUILTIN_GATES, NATIVE_HEADER_GATES, type NativeGate } from './qasm-library.js';
import { QELIB1_INC } from './qelib1.js';

/** A compiled parameter expression: evaluates given the values of the enclosing gate's parameters. */
type Expr = (env: ReadonlyMap<string, number>) => number;

/**
 * Input limits, so that hostile or broken files fail with a message instead of exhausting
 * memory: qubits over all registers, gate operations after expanding gate definitions, and
 * atoms plus operators in one parameter expression (which bounds its nesting depth).
 */
export const QASM_LIMITS = Object.freeze({ qubits: 100_000, ops: 1_000_000, exprNodes: 1_000 });

const FUNCS: Readonly<Record<string, (x: number) => number>> = {
  sin: Math.sin, cos: Math.cos, tan: Math.tan, exp: Math.exp, ln: Math.log, sqrt: Math.sqrt,
};

/** One call inside a gate body: the callee, its parameter expressions and argument indices. */
interface BodyCall {
  tok: Token;
  callee: GateDef;
  params: Expr[];
  /** Indices into the enclosing definition's qubit arguments. */
  args: number[];
}

/** A callable gate: built in, from the standard header, defined in the file, or opaque. */
export interface GateDef {
  /** Gate name as written (case-sensitive). */
  name: string;
  /** `U`/`CX`, a `qelib1.inc` gate, a `gate` of the file, or an `opaque` declaration. */
  origin: 'builtin' | 'header' | 'user' | 'opaque';
  /** Parameter names, in order. */
  params: string[];
  /** Number of qubit arguments. */
  nArgs: number;
  /** The calls of its body, in order (empty for built-in and opaque gates). */
  body: BodyCall[];
  /** Fast path (built-ins always; header gates unless natives are off). */
  native?: NativeGate;
  /** Where it was defined (1-based line; 0 for built-ins). */
  line: number;
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

/** One qubit argument as written: a whole register or one indexed qubit. */
interface ArgRef {
  tok: Token;
  reg: QasmRegister;
  index: number | null;
}

/** One frame of the expansion stack: a definition being expanded. */
interface Frame {
  def: GateDef;
  env: Map<string, number>;
  qubits: readonly number[];
  next: number;
  /** The token in this file that a failure inside this frame is reported at. */
  at: Token;
}

const BUILTINS: ReadonlyMap<string, GateDef> = new Map(
  Object.entries(BUILTIN_GATES).map(([name, g]) => [name, {
    name, origin: 'builtin', params: Array.from({ length: g.nParams }, (_, k) => `p${k}`), nArgs: g.arity, body: [], native: g, line: 0,
  } satisfies GateDef]),
);

let headerCache: readonly GateDef[] | null = null;
/** The gate definitions of `qelib1.inc`, parsed once from its text, in header order. */
export function headerDefinitions(): readonly GateDef[] {
  if (!headerCache) {
    const p = new Parser(QELIB1_INC, { measure: 'ignore', natives: true, library: true });
    p.parse();
    headerCache = Object.freeze(p.userDefinitions().map((d) => ({ ...d, origin: 'header' as const, native: NATIVE_HEADER_GATES[d.name] })));
  }
  return headerCache;
}

/** Parser settings. */
export interface ParserOptions {
  /** `'sample'`: record measured qubits and refuse later gates on them; `'ignore'`: drop `measure`. */
  measure: 'ignore' | 'sample';
  /** Use the fast paths of header gates (default) or expand everything into `U` and `CX`. */
  natives: boolean;
  /** Parse a gate library (the standard header): no version line, gate definitions only. */
  library?: boolean;
}

/** Parses one OpenQASM 2 program; `parse()` fills `registers`, `ops` and `measured`. */
export class Parser {
  private pos = 0;
  private readonly toks: Token[];
  /** Quantum registers in declaration order. */
  readonly registers: QasmRegister[] = [];
  private readonly cregs = new Map<string, number>();
  private readonly defs = new Map<string, GateDef>(BUILTINS);
  /** Library gates one call of a definition expands to (Infinity when it overflows). */
  private readonly sizes = new Map<GateDef, number>();
  /** The library gates of the program, in order. */
  readonly ops: GateOp[] = [];
  /** Measured global qubits, in order of first measurement. */
  readonly measured: number[] = [];
  /** Line of the first measurement of each measured qubit. */
  private readonly measuredAt = new Map<number, number>();
  /** Qubits some gate has acted on (a reset of any other qubit is a no-op). */
  private readonly touched = new Set<number>();
  private nQubits = 0;
  /** Line of `include "qelib1.inc";`, or 0 when not included. */
  private includeLine = 0;
  /** Atoms and operators left in the current parameter expression. */
  private exprBudget = 0;

  constructor(text: string, private readonly opts: ParserOptions) {
    this.toks = tokenize(text);
    for (const d of BUILTINS.values()) this.sizes.set(d, 1);
  }

  /** The definitions made by `gate` statements, in order. */
  userDefinitions(): GateDef[] {
    return [...this.defs.values()].filter((d) => d.origin === 'user');
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

  /** Parses the whole text. @throws QasmError at the first problem, with its position. */
  parse(): void {
    if (this.opts.library) {
      while (this.peek().kind !== 'eof') {
        const t = this.expectId('a gate definition');
        if (t.text !== 'gate') this.fail(t, `expected a gate definition, got '${t.text}'`);
        this.gateDef(t);
      }
      return;
    }
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
      case 'include': return this.include();
      case 'qreg':
      case 'creg': return this.register(t);
      case 'barrier': {
        this.next();
        this.argList();
        this.expectSym(';');
        return;
      }
      case 'measure': return this.measure();
      case 'reset': return this.reset();
      case 'gate': this.next(); return this.gateDef(t);
      case 'opaque': this.next(); return this.opaqueDecl(t);
      case 'if':
        this.fail(t, `'if' (a gate conditioned on a measurement result, line ${t.line}) is not supported: qdistill simulates the unitary part of a circuit and does not branch on classical bits`);
      default:
        this.gateCall();
    }
  }

  private include(): void {
    const t = this.next();
    const f = this.next();
    if (f.kind !== 'str') this.fail(f, `expected a file name in quotes, got '${f.text}'`);
    if (f.text !== 'qelib1.inc') this.fail(f, `cannot include '${f.text}': only "qelib1.inc" is supported`);
    this.expectSym(';');
    if (this.includeLine > 0) return; // a second include of the same header adds nothing
    for (const d of headerDefinitions()) {
      const mine = this.defs.get(d.name);
      if (mine) this.fail(t, `qelib1.inc defines gate '${d.name}', which this file already defined at line ${mine.line}; include the header before any gate definitions`);
    }
    for (const d of headerDefinitions()) {
      const def: GateDef = this.opts.natives ? d : { ...d, native: undefined };
      this.defs.set(d.name, def);
      this.sizes.set(def, def.native ? def.native.count : this.bodySize(def));
    }
    this.includeLine = t.line;
  }

  private register(t: Token): void {
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
  }

  private measure(): void {
    const mTok = this.next();
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
    if (this.opts.measure === 'ignore') return;
    for (const q of this.qubitsOf(src)) {
      if (!this.measuredAt.has(q)) { this.measuredAt.set(q, mTok.line); this.measured.push(q); }
    }
  }

  /** `reset` is accepted only where it is a no-op: on qubits no gate has acted on. */
  private reset(): void {
    const t = this.next();
    const a = this.qubitArg();
    this.expectSym(';');
    for (const q of this.qubitsOf(a)) {
      if (this.touched.has(q) || this.measuredAt.has(q)) {
        this.fail(t, `'reset' of ${this.qubitName(q)} after gates or a measurement acted on it (line ${t.line}) is not supported: reset is not a unitary operation; only a reset of a qubit still in |0⟩ (a no-op) is accepted`);
      }
    }
  }

  private qubitsOf(a: ArgRef): number[] {
    return a.index === null ? Array.from({ length: a.reg.size }, (_, k) => a.reg.offset + k) : [a.reg.offset + a.index];
  }
  private qubitName(q: number): string {
    const r = this.registers.find((x) => q >= x.offset && q < x.offset + x.size)!;
    return `${r.name}[${q - r.offset}]`;
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

  /** The definition a call refers to; an unknown name fails with what is supported. */
  private lookup(t: Token): GateDef {
    const def = this.defs.get(t.text);
    if (def) return def;
    const hints: string[] = [];
    const folded = [...this.defs.keys()].filter((k) => k.toLowerCase() === t.text.toLowerCase());
    // a header gate without the include (`cx`, `u`) also folds onto a built-in (`CX`, `U`): say both
    if (!this.opts.library && this.includeLine === 0 && headerDefinitions().some((d) => d.name === t.text)) {
      hints.push(`'${t.text}' is defined in qelib1.inc: add include "qelib1.inc" after the OPENQASM line`);
    }
    if (folded.length > 0) hints.push(`gate names are case-sensitive: did you mean ${folded.map((k) => `'${k}'`).join(' or ')}?`);
    const own = Object.hasOwn(QASM_FILE_DEFINITIONS, t.text) ? QASM_FILE_DEFINITIONS[t.text] : undefined;
    // qdistill's gates outside the header (ucry, ryy) exist in a file only through its own definition
    if (own !== undefined) hints.push(`'${t.text}' is not a qelib1.inc gate: define it before its first use, as files written by exportQasm do (${own.replace(/\{.*\}/, '{ … }')})`);
    const names = [...this.defs.values()];
    const header = names.filter((d) => d.origin === 'header').map((d) => d.name);
    const user = names.filter((d) => d.origin === 'user').map((d) => d.name);
    const known = ['built in: U, CX'];
    if (header.length > 0) known.push(`qelib1.inc: ${header.join(', ')}`);
    else hints.push('without include "qelib1.inc"; only U, CX and gates defined in the file exist');
    if (user.length > 0) known.push(`defined in this file: ${user.join(', ')}`);
    this.fail(t, `unknown gate '${t.text}'${hints.length > 0 ? ` (${hints.join('; ')})` : ''}; supported gates — ${known.join('; ')}`);
  }

  /** Library gates one call of `def` expands to, from the sizes of its callees. */
  private bodySize(def: GateDef): number {
    let s = 0;
    for (const c of def.body) s += this.sizes.get(c.callee) ?? this.sizes.get(this.defs.get(c.callee.name)!)!;
    return s;
  }

  /**
   * Expands one call into library gates appended to `ops`, depth-first through the gate
   * definitions with an explicit stack (no recursion). Fails at `tok` on an opaque gate or a
   * parameter that evaluates to a non-finite number.
   */
  private expand(def: GateDef, params: number[], qubits: number[], tok: Token): void {
    const stack: Frame[] = [];
    // `at`: where the call is written in this file (a call inside a header gate is blamed on
    // the call of that header gate).
    const enter = (d: GateDef, ps: number[], qs: readonly number[], at: Token): void => {
      const where = at === tok ? '' : ` (in the expansion of '${def.name}' called at line ${tok.line})`;
      for (const [k, p] of ps.entries()) {
        if (!Number.isFinite(p)) this.fail(at, `gate '${d.name}': parameter ${k} evaluates to ${p}${where}`);
      }
      if (d.native) { this.ops.push(...d.native.expand(ps, qs)); return; }
      if (d.origin === 'opaque') this.fail(at, `gate '${d.name}' is declared opaque (line ${d.line}) and has no definition, so it cannot be simulated${where}`);
      stack.push({ def: d, env: new Map(d.params.map((name, k) => [name, ps[k]!])), qubits: qs, next: 0, at });
    };
    enter(def, params, qubits, tok);
    while (stack.length > 0) {
      const f = stack[stack.length - 1]!;
      if (f.next >= f.def.body.length) { stack.pop(); continue; }
      const c = f.def.body[f.next++]!;
      // Header bodies name header gates: take this file's version (with or without fast path).
      const callee = f.def.origin === 'header' ? this.defs.get(c.callee.name)! : c.callee;
      enter(callee, c.params.map((e) => e(f.env)), c.args.map((k) => f.qubits[k]!), f.def.origin === 'header' ? f.at : c.tok);
      if (this.ops.length > QASM_LIMITS.ops) this.fail(tok, `the circuit expands to more than ${QASM_LIMITS.ops} gate operations`);
    }
  }

  private gateCall(): void {
    const nameTok = this.expectId('a gate name');
    const def = this.lookup(nameTok);
    const params = this.paramList([]).map((e) => e(new Map()));
    if (params.length !== def.params.length) {
      this.fail(nameTok, `gate '${nameTok.text}' expects ${def.params.length} parameter(s), got ${params.length}`);
    }
    const args = this.argList();
    this.expectSym(';');
    if (args.length !== def.nArgs) {
      this.fail(nameTok, `gate '${nameTok.text}' acts on ${def.nArgs} qubit(s), got ${args.length}`);
    }
    // Register-wide application: every whole-register argument must have the same size.
    let width: number | null = null;
    for (const a of args) {
      if (a.index !== null) continue;
      if (width === null) width = a.reg.size;
      else if (a.reg.size !== width) this.fail(a.tok, `register '${a.reg.name}' has ${a.reg.size} qubits, but an earlier register argument has ${width}`);
    }
    const calls = (width ?? 1) * (this.sizes.get(def) ?? 1);
    if (this.ops.length + calls > QASM_LIMITS.ops) this.fail(nameTok, `the circuit expands to more than ${QASM_LIMITS.ops} gate operations`);
    for (let k = 0; k < (width ?? 1); k++) {
      const qs = args.map((a) => a.reg.offset + (a.index ?? k));
      for (let j = 1; j < qs.length; j++) {
        if (qs.indexOf(qs[j]!) < j) this.fail(args[j]!.tok, `duplicate qubit ${args[j]!.reg.name}[${qs[j]! - args[j]!.reg.offset}] in arguments of '${nameTok.text}'`);
      }
      for (const [j, q] of qs.entries()) {
        const at = this.measuredAt.get(q);
        if (at !== undefined) {
          this.fail(args[j]!.tok, `mid-circuit measurement is not supported: gate '${nameTok.text}' acts on ${this.qubitName(q)} after measurement of qubit ${q} at line ${at}; measure at the end of the circuit`);
        }
        this.touched.add(q);
      }
      this.expand(def, params, qs, nameTok);
    }
  }

  /** Checks that `name` is free for a new `gate` or `opaque` declaration. */
  private checkNewName(nameTok: Token): void {
    const old = this.defs.get(nameTok.text);
    if (!old) return;
    if (old.origin === 'builtin') this.fail(nameTok, `'${nameTok.text}' is a built-in gate and cannot be redefined`);
    if (old.origin === 'header') {
      this.fail(nameTok, `gate '${nameTok.text}' is already defined in qelib1.inc (included at line ${this.includeLine}); a file that includes the standard header cannot redefine its gates`);
    }
    this.fail(nameTok, `gate '${nameTok.text}' is already defined at line ${old.line}`);
  }

  /** `( p, … )` of a definition, then its qubit argument names. */
  private signatureDecl(nameTok: Token): { params: string[]; args: string[] } {
    const params: string[] = [];
    if (this.isSym('(')) {
      this.next();
      if (!this.isSym(')')) {
        do {
          if (params.length > 0) this.next();
          const p = this.expectId('a parameter name');
          if (params.includes(p.text)) this.fail(p, `duplicate parameter '${p.text}' in gate '${nameTok.text}'`);
          params.push(p.text);
        } while (this.isSym(','));
      }
      this.expectSym(')');
    }
    const args: string[] = [];
    do {
      if (args.length > 0) this.next();
      const a = this.expectId('a qubit argument name');
      if (args.includes(a.text)) this.fail(a, `duplicate argument '${a.text}' in gate '${nameTok.text}'`);
      args.push(a.text);
    } while (this.isSym(','));
    return { params, args };
  }

  private opaqueDecl(kw: Token): void {
    const nameTok = this.expectId('a gate name');
    this.checkNewName(nameTok);
    const { params, args } = this.signatureDecl(nameTok);
    this.expectSym(';');
    this.defs.set(nameTok.text, { name: nameTok.text, origin: 'opaque', params, nArgs: args.length, body: [], line: kw.line });
  }

  private gateDef(kw: Token): void {
    const nameTok = this.expectId('a gate name');
    this.checkNewName(nameTok);
    const { params, args } = this.signatureDecl(nameTok);
    this.expectSym('{');
    const body: BodyCall[] = [];
    while (!this.isSym('}')) {
      const t = this.expectId('a gate call or \'}\'');
      if (t.text === 'barrier') {
        let first = true;
        do {
          if (!first) this.next();
          first = false;
          const a = this.expectId('a qubit argument');
          if (!args.includes(a.text)) this.fail(a, `unknown qubit argument '${a.text}' in gate '${nameTok.text}'`);
        } while (this.isSym(','));
        this.expectSym(';');
        continue;
      }
      if (t.text === nameTok.text) this.fail(t, `gate '${t.text}' cannot call itself`);
      const callee = this.lookup(t);
      const ps = this.paramList(params);
      if (ps.length !== callee.params.length) this.fail(t, `gate '${t.text}' expects ${callee.params.length} parameter(s), got ${ps.length}`);
      const as: number[] = [];
      do {
        if (as.length > 0) this.next();
        const a = this.expectId('a qubit argument');
        const k = args.indexOf(a.text);
        if (k < 0) this.fail(a, `unknown qubit argument '${a.text}' in gate '${nameTok.text}'`);
        if (as.includes(k)) this.fail(a, `duplicate qubit '${a.text}' in arguments of '${t.text}'`);
        as.push(k);
      } while (this.isSym(','));
      this.expectSym(';');
      if (as.length !== callee.nArgs) this.fail(t, `gate '${t.text}' acts on ${callee.nArgs} qubit(s), got ${as.length}`);
      body.push({ tok: t, callee, params: ps, args: as });
    }
    this.expectSym('}');
    const def: GateDef = { name: nameTok.text, origin: 'user', params, nArgs: args.length, body, line: kw.line };
    this.defs.set(def.name, def);
    this.sizes.set(def, this.bodySize(def));
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
      if (names.includes(t.text)) { const name = t.text; return (e) => e.get(name)!; }
      if (t.text === 'pi') return () => Math.PI;
      const f = FUNCS[t.text];
      if (f) {
        this.expectSym('(');
        const a = this.expr(names);
        this.expectSym(')');
        return (e) => f(a(e));
      }
      this.fail(t, `unknown identifier '${t.text}' in expression`);
    }
    this.fail(t, `expected an expression, got '${t.text}'`);
  }
}
