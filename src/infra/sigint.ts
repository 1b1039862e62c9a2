/**
 * Graceful Ctrl-C: a SIGINT listener that only counts the first signal (the caller stops at its
 * next safe point) and lets the second one kill the process as usual.
 */

/** A live SIGINT listener; `count()` is the number of SIGINTs received so far (0 or 1). */
export interface SigintWatch {
  count(): number;
  /** Removes the listener (idempotent). */
  dispose(): void;
}

/** Starts watching for SIGINT; with `enabled` false it never counts and installs nothing. */
export function watchSigint(enabled: boolean): SigintWatch {
  let n = 0;
  const onSigint = (): void => {
    if (++n === 1) return;
    process.removeListener('SIGINT', onSigint);
    process.kill(process.pid, 'SIGINT');
  };
  if (enabled) process.on('SIGINT', onSigint);
  return { count: () => n, dispose: () => { process.removeListener('SIGINT', onSigint); } };
}
