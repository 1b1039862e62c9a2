/**
 * The simulator flags shared by `simulate` and `grad` (`--backend`, `--max-bond`, `--cutoff`),
 * resolved once into a {@link Simulator}.
 */
import { resolveSimulator, type Simulator } from '../backends/simulator.js';
import { parseNumberOption, rejectTruncationFlags, UsageError } from './errors.js';

/** The raw simulator flag values of a command. */
export interface SimulatorFlagValues {
  /** `--backend` (the command's default applied). */
  backend: string;
  /** `--max-bond`, the bond cap; absent: no cap. */
  'max-bond'?: string;
  /** `--cutoff`; absent: the default cutoff. */
  cutoff?: string;
}

/**
 * Resolves `--backend`, `--max-bond` and `--cutoff` into a {@link Simulator}.
 * @throws UsageError (exit code 2) naming the flag, the value and what is allowed: an unknown
 *   backend, a bond cap that is not an integer ≥ 1, a cutoff outside [0, 1), or a truncation
 *   flag given with `--backend statevector` (never silently ignored).
 */
export function simulatorFromFlags(values: SimulatorFlagValues): Simulator {
  const backend = values.backend;
  if (backend !== 'mps' && backend !== 'statevector') throw new UsageError(`--backend must be 'mps' or 'statevector', got '${backend}'`);
  const maxBond = parseNumberOption('max-bond', values['max-bond'], 'int>=1', 'omit --max-bond for no bond cap');
  const cutoff = parseNumberOption('cutoff', values.cutoff, 'number>=0');
  rejectTruncationFlags(backend, values['max-bond'], values.cutoff);
  try {
    return resolveSimulator(backend, { maxBond, cutoff });
  } catch (e) {
    throw new UsageError(`--${(e as Error).message.replace(/^maxBond/, 'max-bond')}`);
  }
}
