/** Errors the CLI reports as one line (no stack trace unless --debug). */

/** Bad command-line usage or bad input data: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Words for the file-system errors a user meets when naming a file. */
const FILE_ERRORS: Record<string, string> = {
  ENOENT: 'no such file',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'a part of the path is not a folder',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
};

/**
 * What went wrong reading or writing a file, in words with the system's code in parentheses
 * (`no such file (ENOENT)`); the error's own message for codes without words.
 */
export function fileProblem(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code !== undefined && code in FILE_ERRORS) return `${FILE_ERRORS[code]} (${code})`;
  return code ?? (e as Error).message;
}

/**
 * Parses a CLI number option, naming the option, the value and what is allowed (plus `hint`,
 * in parentheses, when given).
 * @throws UsageError (exit code 2) for an empty, non-finite or out-of-range value.
 */
export function parseNumberOption(name: string, raw: string | undefined, kind: 'int>=1' | 'int>=0' | 'number>=0' | 'number', hint?: string): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(v) && (
    kind === 'number' ? true
      : kind === 'number>=0' ? v >= 0
        : Number.isInteger(v) && v >= (kind === 'int>=1' ? 1 : 0));
  if (!ok) {
    const allowed = { 'int>=1': 'an integer ≥ 1', 'int>=0': 'an integer ≥ 0', 'number>=0': 'a number ≥ 0', number: 'a finite number' }[kind];
    throw new UsageError(`--${name} must be ${allowed}, got '${raw}'${hint ? ` (${hint})` : ''}`);
  }
  return v;
}

/**
 * Truncation flags configure the MPS backend only: with `--backend statevector` they are a
 * usage error naming the flags given, never silently ignored.
 */
export function rejectTruncationFlags(backend: string, maxBond: string | undefined, cutoff: string | undefined): void {
  if (backend !== 'statevector') return;
  const given = [maxBond !== undefined ? `--max-bond ${maxBond}` : null, cutoff !== undefined ? `--cutoff ${cutoff}` : null].filter((f) => f !== null);
  if (given.length) throw new UsageError(`${given.join(' and ')}: truncation options apply to --backend mps only; the state vector is exact (drop ${given.length > 1 ? 'them' : 'it'} or use --backend mps)`);
}

/** Deepest nesting of arrays and objects accepted in JSON inputs (configs and circuits are a few levels deep). */
export const MAX_JSON_DEPTH = 64;

/**
 * Throws a UsageError when a parsed JSON value nests arrays/objects deeper than `max` levels
 * (validating such a document recursively would overflow the stack). Iterative.
 */
export function checkJsonDepth(value: unknown, file: string, max = MAX_JSON_DEPTH): void {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) throw new UsageError(`${file}: JSON nested deeper than ${max} levels`);
    for (const c of Array.isArray(v) ? v : Object.values(v)) stack.push([c, d + 1]);
  }
}
