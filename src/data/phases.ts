/**
 * Many-body quantum data: ground states of 1D Hamiltonians, computed by two-site DMRG as MPS,
 * labelled by their phase from known phase boundaries (the QCNN phase-recognition task of
 * Cong, Choi & Lukin, Nat. Phys. 15, 1273 (2019)).
 *
 * Labels (exact boundaries only):
 * - `tfim`, −J Σ Z_iZ_{i+1} − h Σ X_i: 0 = ferromagnet (|h| < |J|), 1 = paramagnet (|h| > |J|);
 *   the transition is at h/J = 1 (Pfeuty, Ann. Phys. 57, 79 (1970)).
 * - `cluster-ising` on the line h2 = 0, −J Σ Z_{i−1}X_iZ_{i+1} − h1 Σ X_i: 0 = cluster (SPT)
 *   phase (|h1| < |J|), 1 = paramagnet (|h1| > |J|); the model maps to the TFIM by a duality,
 *   so the transition is at h1/J = 1 (Smacchia et al., PRA 84, 022304 (2011)). Points with
 *   h2 ≠ 0 have no closed-form boundary and are rejected.
 *
 * Ground states are the true ground states of the open chain, computed by DMRG in their
 * symmetry sector (mps/dmrg/sectors.ts: even parity for the TFIM with h > 0; the lowest of the
 * four Z2×Z2 sectors for the cluster-Ising chain), so in the ordered phase every input is the
 * symmetric state, never a symmetry-broken one of either sign. They are computed through a worker
 * pool from seeded starts and cached on disk as MPS JSON, keyed by model, parameters, n, DMRG
 * settings and the sector rule (atomic, checksummed files).
 */
import { join } from 'node:path';
import { existsSync, mkdirSync } from 'node:fs';
import { makeRng, mpsFromJson, type Mps, type MpsJson } from '../../mps/index.js';
import { DEFAULT_PHASE_DMRG as PHASE_DMRG_DEFAULTS } from '../backends/defaults.js';
import { hashJson } from '../infra/hash.js';
import { readJsonChecked, writeJsonChecked } from '../infra/atomic.js';
import { WorkerPool } from '../infra/pool.js';
import type { Dataset, SplitData } from './dataset.js';
import type { GroundStateTask, GroundStateResult } from './phase-task.js';

/** Models with exact phase labels. */
export type PhaseModel = 'tfim' | 'cluster-ising';

/** DMRG settings of the ground states. */
export interface PhaseDmrgSettings {
  /** Largest bond dimension. */
  maxBond: number;
  /** Relative discarded-weight bound per split. */
  cutoff: number;
  /** Largest number of sweeps. */
  maxSweeps: number;
}

/** Default DMRG settings: χ ≤ 32, cutoff 1e-10, ≤ 8 sweeps (enough away from criticality); defined in src/backends/defaults.ts. */
export const DEFAULT_PHASE_DMRG: Readonly<PhaseDmrgSettings> = PHASE_DMRG_DEFAULTS;

/** Options of {@link phaseDataset}. */
export interface PhaseDatasetOptions {
  model: PhaseModel;
  /** Number of sites. */
  n: number;
  /** Parameter grid: every combination of the listed values (e.g. `{ J: [1], h: [0.2, …, 2] }`). */
  grid: Record<string, number[]>;
  /** Fractions of the points used for validation and testing (stratified by label, seeded). */
  split: { val: number; test: number };
  /** DMRG settings. */
  dmrg?: Partial<PhaseDmrgSettings>;
  /** Seed of the split (and of each DMRG start, derived from the parameters). */
  seed: string | number;
  /** Cache directory for ground states (none when omitted). */
  cacheDir?: string;
  /** Worker threads for DMRG (default 1: in-process). */
  workers?: number;
  /**
   * A transfer region around the transition: every point whose field ratio (h/J for `tfim`,
   * h1/J for `cluster-ising`) lies within `window` of the transition at 1, |ratio − 1| ≤ window,
   * leaves train/val/test and goes to the unlabelled transfer split (true labels kept in its
   * `y` for reporting only). Default: none (every point is labelled).
   */
  transfer?: { window: number };
}

/** The field ratio of a point (h/J for `tfim`, h1/J for `cluster-ising`), whose transition lies at 1. */
export function fieldRatio(model: PhaseModel, p: Record<string, number>): number {
  const J = p['J'] ?? 1;
  return Math.abs((model === 'tfim' ? p['h']! : p['h1']!) / J);
}

/** A labelled parameter point. */
export interface PhasePoint {
  params: Record<string, number>;
  label: number;
}

/** The phase label of a parameter point, from the exact boundaries above. */
export function phaseLabel(model: PhaseModel, p: Record<string, number>): number {
  if (model === 'tfim') return Math.abs(p['h']!) < Math.abs(p['J']!) ? 0 : 1;
  if ((p['h2'] ?? 0) !== 0) throw new Error(`cluster-ising: labels are exact only on the line h2 = 0, got h2 = ${p['h2']}`);
  return Math.abs(p['h1']!) < Math.abs(p['J']!) ? 0 : 1;
}

/** The grid points in a fixed order (last parameter fastest). */
export function gridPoints(model: PhaseModel, grid: Record<string, number[]>): PhasePoint[] {
  const allowed = model === 'tfim' ? ['J', 'h'] : ['J', 'h1', 'h2'];
  for (const [k, v] of Object.entries(grid)) {
    if (!allowed.includes(k)) throw new Error(`grid.${k}: model '${model}' has no parameter '${k}'; allowed: ${allowed.join(', ')}`);
    if (!Array.isArray(v) || v.length === 0 || v.some((x) => !Number.isFinite(x))) throw new Error(`grid.${k} must be a non-empty list of finite numbers`);
  }
  let pts: Record<string, number>[] = [{}];
  for (const [k, vs] of Object.entries(grid)) pts = pts.flatMap((p) => vs.map((v) => ({ ...p, [k]: v })));
  return pts.map((params) => ({ params, label: phaseLabel(model, { J: 1, ...params }) }));
}

/** Cache key of one ground state. */
export function groundStateKey(model: PhaseModel, n: number, params: Record<string, number>, dmrg: PhaseDmrgSettings): string {
  // 'sector' keeps states computed before sectors were imposed (possibly broken) out of the cache
  return hashJson({ model, n, params, dmrg, sector: 'ground' }).slice(0, 32);
}

/** The sizes of a phase dataset's splits, known from its grid without computing a ground state. */
export interface PhaseSplitCounts {
  /** Grid points per split (the stratified split of {@link phaseDataset}: per phase, round(val·k) and round(test·k) of its k labelled points). */
  train: number; val: number; test: number;
  /** Points inside the transfer window (0 without one). */
  transfer: number;
  /** Labelled points (outside the window) per phase label. */
  byLabel: Map<number, number>;
}

/**
 * How {@link phaseDataset} splits a grid, without computing a ground state: the points with
 * |field ratio − 1| ≤ `window` go to the transfer split, the rest are split per phase label.
 * @throws Error from {@link gridPoints} for a malformed grid.
 */
export function phaseSplitCounts(model: PhaseModel, grid: Record<string, number[]>, split: { val: number; test: number }, window?: number): PhaseSplitCounts {
  const byLabel = new Map<number, number>();
  let transfer = 0;
  for (const p of gridPoints(model, grid)) {
    if (window !== undefined && Math.abs(fieldRatio(model, { J: 1, ...p.params }) - 1) <= window) transfer++;
    else byLabel.set(p.label, (byLabel.get(p.label) ?? 0) + 1);
  }
  let train = 0, val = 0, test = 0;
  for (const k of byLabel.values()) {
    const nv = Math.round(k * split.val), nt = Math.round(k * split.test);
    val += nv; test += nt; train += k - nv - nt;
  }
  return { train, val, test, transfer, byLabel };
}

/**
 * Computes (or loads) the ground states of a parameter grid and returns them as a dataset with
 * MPS inputs. Sample i of every split is a fixed grid point, so datasets of the same grid and
 * seed at different n are aligned sample by sample (a teacher at n_T and a student at n_S see
 * the same Hamiltonians).
 */
export async function phaseDataset(o: PhaseDatasetOptions): Promise<Dataset & { points: Record<'train' | 'val' | 'test' | 'transfer', PhasePoint[]> }> {
  if (!Number.isInteger(o.n) || o.n < 4) throw new Error(`n must be an integer ≥ 4, got ${o.n}`);
  const w = o.transfer?.window;
  if (w !== undefined && !(Number.isFinite(w) && w >= 0)) throw new Error(`data.transfer.window: expected a finite number ≥ 0 (half-width in h/J around the transition), got ${w}`);
  const dmrg = { ...DEFAULT_PHASE_DMRG, ...(o.dmrg ?? {}) };
  const pts = gridPoints(o.model, o.grid);
  // seeded stratified split of the point indices
  const rng = makeRng(`phases:${o.seed}`);
  const byLabel = new Map<number, number[]>();
  const transfer: number[] = [];
  pts.forEach((p, i) => {
    if (w !== undefined && Math.abs(fieldRatio(o.model, { J: 1, ...p.params }) - 1) <= w) { transfer.push(i); return; }
    const l = byLabel.get(p.label) ?? []; l.push(i); byLabel.set(p.label, l);
  });
  if (w !== undefined && byLabel.size < 2) throw new Error(`data.transfer.window: ${w} leaves ${byLabel.size === 0 ? 'no labelled point' : 'labelled points of one phase only'} outside the transfer region; use a smaller window or a wider grid`);
  const states = await groundStates(o.model, o.n, pts.map((p) => p.params), dmrg, o.cacheDir, o.workers ?? 1);
  const parts = { train: [] as number[], val: [] as number[], test: [] as number[] };
  for (const idx of byLabel.values()) {
    for (let i = idx.length - 1; i > 0; i--) { const j = Math.floor(rng() * (i + 1)); [idx[i], idx[j]] = [idx[j]!, idx[i]!]; }
    const nv = Math.round(idx.length * o.split.val), nt = Math.round(idx.length * o.split.test);
    parts.val.push(...idx.slice(0, nv)); parts.test.push(...idx.slice(nv, nv + nt)); parts.train.push(...idx.slice(nv + nt));
  }
  for (const k of ['train', 'val', 'test'] as const) parts[k].sort((a, b) => a - b);
  const mk = (ix: number[]): SplitData => ({ x: ix.map((i) => states[i]!), y: Int32Array.from(ix, (i) => pts[i]!.label) });
  return {
    name: `${o.model}-n${o.n}`,
    features: 0,
    classes: 2,
    train: mk(parts.train), val: mk(parts.val), test: mk(parts.test),
    ...(w !== undefined ? { transfer: mk(transfer) } : {}),
    points: { train: parts.train.map((i) => pts[i]!), val: parts.val.map((i) => pts[i]!), test: parts.test.map((i) => pts[i]!), transfer: transfer.map((i) => pts[i]!) },
    provenance: { source: `dmrg:${o.model}`, seed: o.seed, details: { n: o.n, grid: o.grid, dmrg, sector: 'ground', split: o.split, ...(w !== undefined ? { transfer: { window: w } } : {}) } },
  };
}

/** Ground states of many parameter points (cached; DMRG in a worker pool). */
export async function groundStates(model: PhaseModel, n: number, params: Record<string, number>[], dmrg: PhaseDmrgSettings, cacheDir: string | undefined, workers: number): Promise<Mps[]> {
  const out: (Mps | null)[] = params.map(() => null);
  const todo: number[] = [];
  for (let i = 0; i < params.length; i++) {
    const file = cacheDir ? join(cacheDir, `groundstate-${groundStateKey(model, n, params[i]!, dmrg)}.json`) : null;
    if (file && existsSync(file)) out[i] = mpsFromJson((await readJsonChecked(file, { label: 'ground-state cache' })) as MpsJson);
    else todo.push(i);
  }
  if (todo.length) {
    if (cacheDir) mkdirSync(cacheDir, { recursive: true });
    const pool = new WorkerPool(new URL('./phase-task.js', import.meta.url), Math.max(1, Math.min(workers, todo.length)));
    try {
      const res = await pool.map<GroundStateTask, GroundStateResult>(todo.map((i) => ({ model, n, params: params[i]!, dmrg, seed: `gs:${groundStateKey(model, n, params[i]!, dmrg)}` })));
      for (const [k, i] of todo.entries()) {
        const r = res[k]!;
        if (cacheDir) await writeJsonChecked(join(cacheDir, `groundstate-${groundStateKey(model, n, params[i]!, dmrg)}.json`), r.state);
        out[i] = mpsFromJson(r.state);
      }
    } finally {
      await pool.close();
    }
  }
  return out as Mps[];
}
