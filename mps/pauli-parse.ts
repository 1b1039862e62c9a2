/**
 * Text syntax for Pauli sums (observables), e.g. `"Z0 + 0.5*Z1*Z2 - 0.25*X3"`.
 *
 * Grammar (whitespace is free between tokens):
 * ```
 * sum    := ['+' | '-'] term (('+' | '-') term)*
 * term   := number ['*' factors] | factors
 * factors:= factor ('*' factor)*
 * factor := ('X' | 'Y' | 'Z') digits | 'I' [digits]
 * number := digits ['.' digits] [('e' | 'E') ['+' | '-'] digits]   (also '.5', '2.')
 * ```
 * A bare `I` or a bare number is the identity term. `I` factors are dropped from the result.
 * Qubit indices follow the engine's convention (qubit 0 = leftmost site).
 */
import type { PauliFactor, PauliLabel, PauliString, PauliSum } from './pauli.js';

const NUMBER_RE = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/;
const FACTOR_RE = /^([XYZI])(\d*)/;

/**
 * Parses a Pauli sum such as `"Z0 + 0.5*Z1*Z2 - 0.25*X3"` or `"-1e-3*X0*Y1 + 2"`.
 * @param n optional qubit count; when given, every qubit index must be < n.
 * @throws Error naming the 1-based column and the offending text, for malformed input,
 *   qubits out of range (`qubit 7 out of range for n = 4`), a qubit repeated in one term, or a
 *   coefficient that is not a finite double (`1e400`).
 * @example
 * ```ts
 * parsePauliSum('Z0 - 0.25*X3');
 * // [{ coeff: 1, factors: [{ q: 0, p: 'Z' }] }, { coeff: -0.25, factors: [{ q: 3, p: 'X' }] }]
 * ```
 */
export function parsePauliSum(text: string, n?: number): PauliSum {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new Error(`n must be an integer ≥ 1, got ${n}`);
  let i = 0;
  const skip = (): void => { while (i < text.length && /\s/.test(text[i]!)) i++; };
  const fail = (what: string): never => {
    const rest = text.slice(i).match(/^\S*/)![0];
    const got = i >= text.length ? 'end of input' : `'${rest.length > 20 ? rest.slice(0, 20) + '…' : rest}'`;
    throw new Error(`Pauli sum, column ${i + 1}: expected ${what}, got ${got} (in "${text}")`);
  };
  const out: PauliSum = [];
  skip();
  if (i >= text.length) fail('a term');
  let sign = 1;
  if (text[i] === '+' || text[i] === '-') { sign = text[i] === '-' ? -1 : 1; i++; skip(); }
  for (;;) {
    // one term
    let coeff = 1;
    let needFactor = true;
    const m = NUMBER_RE.exec(text.slice(i));
    if (m) {
      coeff = Number(m[0]);
      if (!Number.isFinite(coeff)) {
        throw new Error(`Pauli sum, column ${i + 1}: coefficient ${m[0]} is not a finite number (it overflows a double; largest is ~1.8e308) (in "${text}")`);
      }
      i += m[0].length;
      skip();
      if (text[i] === '*') { i++; skip(); } else needFactor = false;
    }
    const factors: PauliFactor[] = [];
    const seen = new Map<number, number>();
    if (needFactor) {
      for (;;) {
        const start = i;
        const f = FACTOR_RE.exec(text.slice(i));
        if (!f || (f[1] !== 'I' && f[2] === '') || /[A-Za-z0-9_.]/.test(text[i + f[0].length] ?? '')) {
          fail("a Pauli factor like 'Z3' (X, Y or Z followed by a qubit index, or I)");
        }
        const p = f![1] as PauliLabel;
        i += f![0].length;
        if (f![2] !== '') {
          const q = Number(f![2]);
          if (n !== undefined && q >= n) {
            throw new Error(`Pauli sum, column ${start + 1}: qubit ${q} out of range for n = ${n} (in "${text}")`);
          }
          if (seen.has(q)) {
            throw new Error(`Pauli sum, column ${start + 1}: qubit ${q} appears twice in one term (first at column ${seen.get(q)! + 1}) (in "${text}")`);
          }
          seen.set(q, start);
          if (p !== 'I') factors.push({ q, p });
        }
        skip();
        if (text[i] !== '*') break;
        i++;
        skip();
      }
    }
    out.push({ coeff: sign * coeff, factors });
    if (i >= text.length) break;
    if (text[i] !== '+' && text[i] !== '-') fail("'+', '-', '*' or the end");
    sign = text[i] === '-' ? -1 : 1;
    i++;
    skip();
  }
  return out;
}

/** Formats a coefficient magnitude with the shortest round-trip representation. */
function fmt(x: number): string {
  return String(x);
}

/**
 * Formats a Pauli sum in the syntax {@link parsePauliSum} reads (`parsePauliSum(formatPauliSum(s))`
 * reproduces `s` except that `I` factors are dropped). Coefficients ±1 are omitted; the identity
 * term is written as its coefficient (or `I`); the empty sum is `"0"`.
 * @example
 * ```ts
 * formatPauliSum([{ coeff: 1, factors: [{ q: 0, p: 'Z' }] }, { coeff: -0.25, factors: [{ q: 3, p: 'X' }] }]);
 * // 'Z0 - 0.25*X3'
 * ```
 */
export function formatPauliSum(sum: PauliSum): string {
  if (sum.length === 0) return '0';
  return sum
    .map((t: PauliString, k) => {
      const fs = t.factors.filter((f) => f.p !== 'I').map((f) => `${f.p}${f.q}`);
      const mag = Math.abs(t.coeff);
      const neg = t.coeff < 0 || Object.is(t.coeff, -0);
      let body: string;
      if (fs.length === 0) body = mag === 1 ? 'I' : fmt(mag);
      else body = mag === 1 ? fs.join('*') : `${fmt(mag)}*${fs.join('*')}`;
      if (k === 0) return neg ? `-${body}` : body;
      return `${neg ? '-' : '+'} ${body}`;
    })
    .join(' ');
}
