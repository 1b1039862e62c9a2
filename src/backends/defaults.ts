/**
 * The defaults of every entry point, defined once: the config schema, the model, the CLI
 * commands and the phase datasets read them from here.
 *
 * They differ by entry point on purpose, and each is named after where it applies:
 * - circuits (`simulate`, `grad`, QNN models, teacher soft labels): no bond cap, cutoff 1e-10;
 * - DMRG ground states of `qdistill groundstate`: bond cap 64, cutoff 1e-12 (a ground-state
 *   search must cap the bond, and its variance test wants a tighter cutoff);
 * - DMRG ground states of phase datasets in experiment configs: bond cap 32, cutoff 1e-10,
 *   8 sweeps (the values every study was run with);
 * - the scale of the initial circuit angles: 0.1 in experiment configs, 1 for a model spec
 *   that gives none (angles uniform in [−π·s, π·s]).
 * Unifying them would change results, so they stay distinct, each written once.
 */
import { DEFAULT_TRUNCATION } from '../../mps/index.js';

/**
 * Bond cap of circuit simulation when none is given: `undefined`, i.e. no cap. "No cap" is
 * spelled by leaving `maxBond` out everywhere (TypeScript options, configs, CLI flags); the
 * engine's resolved options carry it as `maxBond: Infinity` (mps/truncation.ts), and results
 * JSON writes it as `null` where a field must be present.
 */
export const DEFAULT_MAX_BOND: number | undefined = undefined;

/** Relative discarded-weight bound per truncation of circuit simulation when none is given (1e-10; the engine's default). */
export const DEFAULT_CUTOFF: number = DEFAULT_TRUNCATION.cutoff;

/** Bond cap of `qdistill groundstate` when `--max-bond` is not given (64). */
export const DEFAULT_GROUNDSTATE_MAX_BOND = 64;

/** Cutoff of `qdistill groundstate` when `--cutoff` is not given (1e-12). */
export const DEFAULT_GROUNDSTATE_CUTOFF = 1e-12;

/** DMRG settings of the ground states of a phase dataset when a config gives none: bond cap 32, cutoff 1e-10, at most 8 sweeps. */
export const DEFAULT_PHASE_DMRG: Readonly<{ maxBond: number; cutoff: number; maxSweeps: number }> = Object.freeze({ maxBond: 32, cutoff: 1e-10, maxSweeps: 8 });

/** Scale s of the initial circuit angles (uniform in [−π·s, π·s]) of a model in an experiment config that gives none (0.1). */
export const DEFAULT_CONFIG_INIT_SCALE = 0.1;

/** Scale s of the initial circuit angles of a model spec that gives none (1: uniform in [−π, π]). */
export const DEFAULT_MODEL_INIT_SCALE = 1;
