/** Errors the CLI reports as one line (no stack trace unless --debug). */

/** Bad command-line usage or bad input data: exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** Parses a CLI number option, naming the option, the value and what is allowed. */
export function parseNumberOption(name: string, raw: string | undefined, kind: 'int>=1' | 'int>=0' | 'number>=0' | 'number'): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  const ok = raw.trim() !== '' && Number.isFinite(v) && (
    kind === 'number' ? true
      : kind === 'number>=0' ? v >= 0
        : Number.isInteger(v) && v >= (kind === 'int>=1' ? 1 : 0));
  if (!ok) {
    const allowed = { 'int>=1': 'an integer ≥ 1', 'int>=0': 'an integer ≥ 0', 'number>=0': 'a number ≥ 0', number: 'a finite number' }[kind];
    throw new UsageError(`--${name} must be ${allowed}, got '${raw}'`);
  }
  return v;
}
