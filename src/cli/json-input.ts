/**
 * Reading JSON inputs (experiment configs, noise files) with syntax errors located: a document
 * that `JSON.parse` rejects is scanned again by `jsonc-parser` (strict: no comments, no trailing
 * commas), and the first problem is reported as `file:line:column: invalid JSON: <what was
 * expected>, found <what is there>`.
 */
import { getLocation, parse, printParseErrorCode, type ParseError, type ParseErrorCode } from 'jsonc-parser';
import { UsageError } from './errors.js';

/** What a parse error code says was expected or went wrong (jsonc-parser's codes). */
const EXPECTED: Record<string, string> = {
  PropertyNameExpected: 'expected a property name in double quotes',
  ValueExpected: 'expected a value (number, string, true, false, null, object or array)',
  ColonExpected: "expected ':' after the property name",
  CommaExpected: "expected ',' between two entries",
  CloseBraceExpected: "expected '}' to close the object",
  CloseBracketExpected: "expected ']' to close the array",
  EndOfFileExpected: 'expected the end of the file after the top-level value',
  InvalidSymbol: 'expected a value (number, string, true, false, null, object or array)',
  InvalidCommentToken: 'comments are not allowed in JSON',
  UnexpectedEndOfComment: 'comments are not allowed in JSON',
  UnexpectedEndOfString: 'unterminated string: expected a closing double quote',
  UnexpectedEndOfNumber: 'expected digits after the sign, point or exponent',
  InvalidNumberFormat: 'invalid number (JSON numbers have no leading zeros, no leading +, no trailing point)',
  InvalidUnicode: 'invalid \\u escape: expected four hex digits',
  InvalidEscapeCharacter: 'invalid escape in a string (allowed: \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)',
  InvalidCharacter: 'control character inside a string: escape it (\\n, \\t, \\uXXXX)',
};

/** 1-based line and column (in UTF-16 code units) of a character offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1, start = 0;
  for (let i = 0; i < offset && i < text.length; i++) if (text[i] === '\n') { line++; start = i + 1; }
  return { line, column: offset - start + 1 };
}

/** What stands at `offset`: a short quote of the token, or "the end of the file". */
function found(text: string, e: ParseError): string {
  if (e.offset >= text.length) return 'found the end of the file (is it truncated?)';
  const tok = text.slice(e.offset, e.offset + Math.max(1, Math.min(e.length, 20))).split('\n')[0]!;
  return `found '${tok}'`;
}

/**
 * One-line description of the first syntax error of `text`, as `line:column: message`, or null
 * when the strict scanner finds none.
 */
export function describeJsonSyntaxError(text: string): { line: number; column: number; message: string } | null {
  const errors: ParseError[] = [];
  parse(text, errors, { allowTrailingComma: false, disallowComments: true, allowEmptyContent: false });
  const e = errors[0];
  if (!e) return null;
  const name = printParseErrorCode(e.error as ParseErrorCode);
  // a comma right before '}' or ']': name the comma
  const closer = text[e.offset];
  if ((closer === '}' || closer === ']') && (name === 'PropertyNameExpected' || name === 'ValueExpected')) {
    let j = e.offset - 1;
    while (j >= 0 && /\s/.test(text[j]!)) j--;
    if (text[j] === ',') return { ...lineColumn(text, j), message: `trailing comma before '${closer}': JSON allows none; remove this ','` };
  }
  let message = EXPECTED[name] ?? name;
  // an unquoted word where a property name belongs
  if (name === 'InvalidSymbol' && getLocation(text, e.offset).isAtPropertyKey) message = EXPECTED.PropertyNameExpected!;
  const tail = name === 'UnexpectedEndOfString' || name === 'InvalidCommentToken' || name === 'InvalidCharacter' ? '' : `, ${found(text, e)}`;
  return { ...lineColumn(text, e.offset), message: message + tail };
}

/**
 * Parses JSON text read from `file`.
 * @throws UsageError (exit code 2) `file:line:column: invalid JSON: <what was expected>, found
 *   <what is there>` for a syntax error (trailing comma, missing quote, truncated file, comment…).
 */
export function parseJsonText(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    const d = describeJsonSyntaxError(text);
    if (d) throw new UsageError(`${file}:${d.line}:${d.column}: invalid JSON: ${d.message}`);
    throw new UsageError(`${file}: invalid JSON: ${(err as Error).message.split('\n')[0]}`);
  }
}
