/**
 * The OpenQASM 2 lexer and its positioned error type.
 */

/** A syntax or semantic error in OpenQASM input, with a 1-based source position. */
export class QasmError extends Error {
  /** 1-based line of the offending token. */
  readonly line: number;
  /** 1-based column of the offending token. */
  readonly column: number;
  /** The message is `line L, column C: detail`. */
  constructor(line: number, column: number, detail: string) {
    super(`line ${line}, column ${column}: ${detail}`);
    this.name = 'QasmError';
    this.line = line;
    this.column = column;
  }
}

// ---------------------------------------------------------------- tokens

/** Token kinds of the lexer. */
export type TokKind = 'id' | 'num' | 'str' | 'sym' | 'eof';
/** One token with its 1-based source position. */
export interface Token {
  /** Identifier, number, string (quotes removed), symbol, or end of input. */
  kind: TokKind;
  /** The token's text. */
  text: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  col: number;
}

/**
 * Splits OpenQASM 2 source into tokens (identifiers, numbers, strings, symbols, `->`, `==`), dropping
 * whitespace and `//` and `/* *\/` comments; the list ends with one `eof` token.
 * @throws QasmError at an unexpected character, an unterminated comment or string.
 */
export function tokenize(text: string): Token[] {
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
