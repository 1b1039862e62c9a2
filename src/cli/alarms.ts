/**
 * The numerical alarms of a truncation report, as the CLI surfaces them: printed with every
 * result, and fatal (exit code 1, one line) unless the user passed `--allow-norm-drift`.
 */
import { NORM_DRIFT_TOL, type TruncationReport } from '../../mps/index.js';

/** The alarm fields every CLI report carries. */
export type AlarmFields = Pick<TruncationReport, 'normDrift' | 'normDriftExceeded'>;

/** The flag that lets a command print results despite an alarm. */
export const ALLOW_NORM_DRIFT_FLAG = '--allow-norm-drift';

/** One phrase per raised alarm (empty when none). */
export function numericalAlarms(r: AlarmFields): string[] {
  if (!r.normDriftExceeded) return [];
  return [`norm drift |‖ψ‖² − F| = ${r.normDrift.toExponential(3)} exceeds ${NORM_DRIFT_TOL.toExponential(0)} (the norm changed by more than the truncations reported)`];
}

/**
 * Throws a one-line Error (exit code 1) naming the alarms of `r` unless `allow`; returns the
 * warning lines to print otherwise (empty when no alarm is raised). `what` names the result.
 */
export function enforceAlarms(r: AlarmFields, allow: boolean, what: string): string[] {
  const alarms = numericalAlarms(r);
  if (alarms.length === 0) return [];
  if (!allow) throw new Error(`${what}: ${alarms.join('; ')}; the result is not trustworthy (pass ${ALLOW_NORM_DRIFT_FLAG} to print it anyway)`);
  return alarms.map((a) => `WARNING: ${a}`);
}
