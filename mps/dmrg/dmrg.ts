/**
 * Two-site DMRG (White 1992; Schollwöck, Ann. Phys. 326, 96 (2011), §6) over a real MPO.
 *
 * One sweep optimises the bonds (0,1) … (n−3,n−2) left→right, then (n−2,n−1) … (0,1)
 * right→left. At each bond the two-site tensor θ (legs [vL, p1, p2, vR]) is replaced by the
 * lowest eigenvector of the effective Hamiltonian L·W_i·W_{i+1}·R ({@link lanczosLowest},
 * warm-started from θ), optionally perturbed by random noise (decaying per the schedule), and
 * split by {@link truncatedSplit} at the orthogonality centre; the left or right environment
 * of the new isometry is then updated. The state stays normalised.
 *
 * Everything is real (the fast path: every model in `models.ts` is real); complex MPOs are
 * first gauged with {@link realifyMpo}, and rejected when that fails.
 *
 * Scale: H is divided by the power of two 2^k ≤ ν < 2^{k+1} (ν = the norm estimate of
 * {@link mpoNormLog2}, the rms coupling per site) before the sweeps, and energies are
 * multiplied back by 2^k (variances by 2^{2k}). Division by a power of two is exact, and every
 * tolerance (Lanczos residual, energy change) is relative to the scale of H, so c·H (c > 0)
 * gives the same state and c times the energy, for couplings anywhere in double range.
 *
 * Symmetry sectors: with `symmetry` (a {@link ChargeSpec}: a charge per basis state of every
 * site, in a basis where the symmetry is diagonal, and a target total charge) the start is a
 * random state of that total charge with a charge label on every bond index, every Lanczos
 * vector is projected onto the allowed entries of θ (those whose charges fuse to the target), and
 * θ is split charge block by charge block ({@link chargedSplit}), so truncation and noise cannot
 * leave the sector: the state stays an exact eigenstate of the symmetry (to rounding). Model-level
 * sector choice (basis, default sector, symmetry-broken states) is in `sectors.ts`.
 *
 * Convergence: a sweep counts as converged when its schedule entries are the final ones, its
 * noise is 0, |ΔE| < energyTol·ν against the previous sweep and, unless `varianceTol` is null,
 * the variance relative to E², (⟨H²⟩ − ⟨H⟩²)/⟨H⟩², is below varianceTol (default `'auto'`:
 * max(1e-12, 100·cutoff), the floor a truncation at that cutoff leaves is a few times the cutoff). The
 * variance (an O(n·d·(Dχ)³) measurement) is taken only on sweeps that meet the energy test
 * (every sweep with `measureVariance`). When the energy test holds but the variance does not,
 * sweeping goes on while the variance at least halves from one such sweep to the next; when it
 * stops falling the run ends with `stop: 'variance-stalled'` and `converged: false` (the floor
 * set by the bond cap or the cutoff: raise maxBond or lower cutoff).
 */
import { gemmReal } from '../kernels/index.js';
import { countGemm } from '../flops.js';
import type { Mpo } from '../mpo.js';
import { Mps, type SiteTensor } from '../mps.js';
import { gaussian, makeRng, type Rng } from '../rng.js';
import { truncatedSplit } from '../split.js';
import { accumulate, emptyReport, resolveTruncation, type TruncationReport } from '../truncation.js';
import { lanczosLowest, type LanczosOptions } from './lanczos.js';
import { OverflowError } from '../mpo.js';
import { chargedSplit, randomChargedSites, thetaMask, unfuse, type ChargeSpec } from './charges.js';
import { checkFiniteMpo, normalizeMpo, scaledEnergyVariance, timesPow2 } from './mpo-scale.js';
import { contractMpoSite, envStep, mirrorSite, prepareMpo, realifyMpo, stackedExpectation, unscaleEnergyVariance, type PreparedMpo, type SparseMpoSite } from './mpo-tools.js';

/** A per-sweep schedule: a single value for every sweep, or one per sweep (the last repeats). */
export type Schedule = number | readonly number[];

/** Options of {@link dmrg}. */
export interface DmrgOptions {
  /**
   * Starting state: an MPS (copied; must be real), `'random'` (seeded random real MPS of bond
   * `initialBond`; the default bond 1 is a random product state, which breaks every symmetry
   * sector without spurious entanglement) or `'product'` (|+⟩^⊗n: good for the TFIM, but an
   * eigenstate of total S² that the Heisenberg chain cannot leave).
   */
  initial: Mps | 'random' | 'product';
  /** Bond dimension of the random initial state (integer ≥ 1). */
  initialBond: number;
  /** Seed of the random initial state and of the noise. */
  seed: number | string;
  /**
   * Largest bond dimension kept, per sweep (integers ≥ 1). "No cap" (the cutoff alone decides)
   * is spelled by leaving `maxBond` out, as everywhere in qdistill; the resolved options carry it
   * as `Infinity`.
   */
  maxBond: Schedule;
  /** Relative discarded-weight bound of each split (see truncation.ts), per sweep. */
  cutoff: Schedule;
  /** Random noise added to θ before the split, relative to ‖θ‖ = 1, per sweep (0 = none). */
  noise: Schedule;
  /** Largest number of sweeps (integer ≥ 1). */
  maxSweeps: number;
  /** Smallest number of sweeps before convergence may be declared (integer ≥ 1). */
  minSweeps: number;
  /**
   * Energy convergence: |E_sweep − E_previous| < energyTol·ν, with ν the norm estimate of H
   * (the rms coupling per site, {@link mpoNormLog2}: √(2 − 1/n) for the TFIM at J = h = 1, √(21/8)
   * for the XXZ chain at J = Δ = 1, n = 8), so the test is invariant under H → c·H.
   */
  energyTol: number;
  /**
   * Variance convergence: (⟨H²⟩ − ⟨H⟩²)/⟨H⟩² < varianceTol (relative to E²; null: not required).
   * Default `'auto'`: max(1e-12, 100·c) with c the final cutoff, since a state truncated at
   * cutoff c keeps a relative variance of a few c (below 1e-12 it would never be met at the
   * default cutoff 1e-12, and runs would end `'variance-stalled'`).
   */
  varianceTol: number | null | 'auto';
  /** Measure the variance after every sweep for the history (otherwise only on sweeps that meet the energy test, when varianceTol is set). */
  measureVariance: boolean;
  /** Local eigensolver options (defaults {@link DMRG_LANCZOS}; partial objects are merged). */
  lanczos: LanczosOptions;
  /**
   * Conserved charges (null: none). The MPO must commute with the symmetry in this basis; the
   * start must then be `'random'` (a random state of the target charge with up to
   * max(4, initialBond) charges per bond). Without a symmetry, in quasi-degenerate ordered
   * phases of open chains the result can be a symmetry-broken mixture that meets both
   * convergence criteria; `modelGroundState` picks the model's sector.
   */
  symmetry: ChargeSpec | null;
}

/**
 * The local solver's defaults inside DMRG: at most 8 Krylov vectors per bond and no restarts
 * (the warm start is good and sweeping does the rest; at n = 128, χ = 64 on the critical TFIM
 * this converges in 6 sweeps, 4× faster than 4 vectors and as fast as 12–20).
 */
export const DMRG_LANCZOS: Readonly<LanczosOptions> = Object.freeze({ tol: 1e-10, maxIter: 8, maxRestarts: 0 });

/**
 * Default DMRG options: random product start, no bond cap, cutoff 1e-12, no noise, up to 30
 * sweeps, |ΔE| < 1e-10·ν and variance/E² < max(1e-12, 100·cutoff), no symmetry.
 */
export const DEFAULT_DMRG: Readonly<DmrgOptions> = Object.freeze({
  initial: 'random' as const,
  initialBond: 1,
  seed: 0,
  maxBond: Infinity,
  cutoff: 1e-12,
  noise: 0,
  maxSweeps: 30,
  minSweeps: 2,
  energyTol: 1e-10,
  varianceTol: 'auto' as const,
  measureVariance: false,
  lanczos: DMRG_LANCZOS,
  symmetry: null,
});

/** What {@link dmrg} accepts: any subset of the options; `lanczos` may be partial too. */
export type DmrgInput = Partial<Omit<DmrgOptions, 'lanczos'>> & { lanczos?: Partial<LanczosOptions> };

/** The record of one sweep. */
export interface DmrgSweep {
  /** Sweep number, from 1. */
  sweep: number;
  /** ⟨H⟩ of the (normalised) state at the end of the sweep. */
  energy: number;
  /** energy − previous sweep's energy (NaN for the first sweep). */
  deltaE: number;
  /** Largest bond dimension of the state after the sweep (the bond reached, not the cap). */
  bondReached: number;
  /** Largest discarded weight ε of one split in the sweep. */
  discardedWeight: number;
  /** Wall time of the sweep (s). */
  seconds: number;
  /** ⟨H²⟩ − ⟨H⟩² after the sweep, when measured (computed as ‖(H − E)ψ‖², see {@link mpoVariance}). */
  variance?: number;
  /** variance / energy², when measured. */
  relativeVariance?: number;
  /** Lanczos matvecs in the sweep. */
  matvecs: number;
}

/** Result of {@link dmrg}. */
export interface DmrgResult {
  /** The ground-state approximation, normalised, centre at 0. */
  state: Mps;
  /** ⟨H⟩ of `state`. */
  energy: number;
  /**
   * ⟨H²⟩ − ⟨H⟩² of `state`, computed stably as ‖(H − E)ψ‖² (see {@link mpoVariance}). Out of
   * double range (|E| ≳ 1e154 or ≲ 1e-154) it is the correctly rounded Infinity or 0;
   * `relativeVariance` is exact there too.
   */
  variance: number;
  /** variance / energy² (scale-free). */
  relativeVariance: number;
  /** The norm estimate ν of H (rms coupling per site, {@link mpoNormLog2}) the tolerances are relative to. */
  normEstimate: number;
  /** Truncations of the final sweep. */
  report: TruncationReport;
  /** One record per sweep. */
  history: DmrgSweep[];
  /** Whether the convergence rule was met before maxSweeps. */
  converged: boolean;
  /**
   * What ended the run: `'converged'` (energy and variance criteria both met), `'variance-stalled'`
   * (the energy criterion met but the relative variance above varianceTol and no longer halving per
   * sweep: limited by the bond cap or the cutoff) or `'max-sweeps'`.
   */
  stop: DmrgStop;
  /** The convergence criteria on the last sweep: energy change, and relative variance (null when not measured or not required). */
  criteria: { energy: boolean; variance: boolean | null };
  /** The variance tolerance applied (the resolved `'auto'`), null when not required. */
  varianceTol: number | null;
  /** The charges of bonds 0 … n of `state` (bond b lies left of site b) when `symmetry` was set, else null. */
  bondCharges: Int32Array[] | null;
}

/** Why {@link dmrg} stopped (see {@link DmrgResult.stop}). */
export type DmrgStop = 'converged' | 'variance-stalled' | 'max-sweeps';

/** The schedule's value for sweep s (0-based). */
export function scheduleAt(s: Schedule, sweep: number): number {
  return typeof s === 'number' ? s : s[Math.min(sweep, s.length - 1)]!;
}

function scheduleLength(s: Schedule): number {
  return typeof s === 'number' ? 1 : s.length;
}

function checkSchedule(name: string, s: Schedule, ok: (v: number) => boolean, allowed: string): void {
  const vals = typeof s === 'number' ? [s] : s;
  if (vals.length === 0) throw new Error(`dmrg: ${name} schedule must not be empty`);
  for (const v of vals) if (!ok(v)) throw new Error(`dmrg: ${name} must be ${allowed}, got ${v}`);
}

/** Validates and fills options. @throws Error naming the field, the value and what is allowed. */
export function resolveDmrgOptions(opts: DmrgInput = {}): DmrgOptions {
  const known = new Set(Object.keys(DEFAULT_DMRG));
  for (const k of Object.keys(opts)) if (!known.has(k)) throw new Error(`dmrg: unknown option '${k}'; allowed: ${[...known].join(', ')}`);
  const o: DmrgOptions = { ...DEFAULT_DMRG, ...opts, lanczos: { ...DMRG_LANCZOS, ...(opts.lanczos ?? {}) } };
  const posInt = (v: number) => Number.isInteger(v) && v >= 1;
  if (opts.maxBond !== undefined) checkSchedule('maxBond', opts.maxBond, posInt, 'an integer ≥ 1 (leave maxBond out for no bond cap)');
  checkSchedule('cutoff', o.cutoff, (v) => Number.isFinite(v) && v >= 0 && v < 1, 'a number in [0, 1)');
  checkSchedule('noise', o.noise, (v) => Number.isFinite(v) && v >= 0, 'a number ≥ 0');
  for (const k of ['maxSweeps', 'minSweeps', 'initialBond'] as const) if (!posInt(o[k])) throw new Error(`dmrg: ${k} must be an integer ≥ 1, got ${o[k]}`);
  if (!(o.energyTol >= 0)) throw new Error(`dmrg: energyTol must be a number ≥ 0, got ${o.energyTol}`);
  if (o.varianceTol !== null && o.varianceTol !== 'auto' && !(o.varianceTol >= 0)) throw new Error(`dmrg: varianceTol must be a number ≥ 0, 'auto' or null, got ${o.varianceTol}`);
  if (o.symmetry !== null && o.initial !== 'random') throw new Error(`dmrg: with symmetry the initial state must be 'random' (a random state of the target charge), got ${typeof o.initial === 'string' ? `'${o.initial}'` : 'an MPS'}`);
  if (!(o.lanczos.tol > 0)) throw new Error(`dmrg: lanczos.tol must be a number > 0, got ${o.lanczos.tol}`);
  if (!(Number.isInteger(o.lanczos.maxIter) && o.lanczos.maxIter >= 2)) throw new Error(`dmrg: lanczos.maxIter must be an integer ≥ 2, got ${o.lanczos.maxIter}`);
  if (!(Number.isInteger(o.lanczos.maxRestarts) && o.lanczos.maxRestarts >= 0)) throw new Error(`dmrg: lanczos.maxRestarts must be an integer ≥ 0, got ${o.lanczos.maxRestarts}`);
  return o;
}

/**
 * A seeded random real MPS of bond ≤ `bond`, normalised, centre at 0.
 * Entries are standard normal before canonicalisation.
 */
export function randomRealMps(n: number, bond: number, rng: Rng, d = 2): Mps {
  const dims: number[] = [1];
  for (let b = 1; b < n; b++) dims.push(Math.min(bond, d ** Math.min(b, n - b)));
  dims.push(1);
  const sites: SiteTensor[] = [];
  for (let q = 0; q < n; q++) {
    const re = new Float64Array(dims[q]! * d * dims[q + 1]!);
    for (let i = 0; i < re.length; i++) re[i] = gaussian(rng);
    sites.push({ dl: dims[q]!, d, dr: dims[q + 1]!, re, im: null });
  }
  // An LQ sweep from the right end makes every site right-isometric, whatever the input.
  return new Mps(sites, n - 1).moveCenterInPlace(0).normalizeInPlace();
}

/**
 * The effective two-site Hamiltonian at bond (i, i+1) as a matvec:
 * out[a, s1, s2, b] = Σ L[a, w, a'] W1[w, s1, t1, w1] W2[w1, s2, t2, w2] R[b, w2, b'] θ[a', t1, t2, b'].
 * Cost ≈ 4·d²·D·χ³ flops (two gemms) plus the sparse MPO contractions.
 */
function twoSiteMatvec(L: Float64Array, W1: SparseMpoSite, W2: SparseMpoSite, R: Float64Array, dl: number, d: number, dr: number): (x: Float64Array, y: Float64Array) => void {
  const D0 = W1.Dl, D1 = W1.Dr, D2 = W2.Dr;
  const X = new Float64Array(dl * D0 * d * d * dr);
  const Y = new Float64Array(dl * d * D1 * d * dr);
  const Z = new Float64Array(dl * d * d * D2 * dr);
  return (x, y) => {
    // X: (a w) × (t1 t2 b') = L: (a w) × [a'] · θ: [a'] × (t1 t2 b')
    gemmReal('N', 'N', dl * D0, d * d * dr, dl, L, x, X);
    countGemm(dl * D0, d * d * dr, dl, 0);
    // Y[a, s1, w1, t2, b'] = Σ W1[w, s1, t1, w1] X[a, w, t1, (t2 b')]
    contractMpoSite(X, dl, W1, d * dr, Y);
    // Z[a, s1, s2, w2, b'] = Σ W2[w1, s2, t2, w2] Y[(a s1), w1, t2, b']
    contractMpoSite(Y, dl * d, W2, dr, Z);
    // y: (a s1 s2) × b = Z: (a s1 s2) × [(w2 b')] · Rᵀ: [(w2 b')] × b
    gemmReal('N', 'T', dl * d * d, dr, D2 * dr, Z, R, y);
    countGemm(dl * d * d, dr, D2 * dr, 0);
  };
}

function realMpo(H: Mpo): Mpo {
  const r = realifyMpo(H);
  if (!r) throw new Error('dmrg: the MPO is not real (not even after a phase gauge); dmrg supports real Hamiltonians only');
  return r;
}

/**
 * Two-site DMRG for the ground state of the real MPO `H`.
 * @example
 * ```ts
 * const H = modelHamiltonian('tfim', 16, { J: 1, h: 2 });
 * const { energy, converged } = dmrg(H, { maxBond: 32, seed: 1 });
 * ```
 */
export function dmrg(H: Mpo, options: DmrgInput = {}): DmrgResult {
  const o = resolveDmrgOptions(options);
  const n = H.n;
  if (n < 2) throw new Error(`dmrg: needs at least 2 sites, got ${n}`);
  const Hr = realMpo(H);
  checkFiniteMpo(Hr, 'dmrg');
  // divide H by 2^k ≤ ν < 2^{k+1}: exact, and every tolerance below becomes relative to ν
  // (balanced by a power-of-two gauge, so no environment leaves double range)
  const { mpo: Hs, k, nu: nuScaled } = normalizeMpo(Hr); // H = 2^k·Hs, ν/2^k ∈ [1, 2), 0 for H = 0
  const W: PreparedMpo = prepareMpo(Hs);
  const measureVar = (state: Mps) => scaledEnergyVariance(Hs, state, (_w, p) => stackedExpectation([W.sites], p));
  const d = W.sites[0]!.d;
  const rng = makeRng(`dmrg:${String(o.seed)}`);
  const sym = o.symmetry;
  if (sym !== null) {
    if (sym.site.length !== n) throw new Error(`dmrg: symmetry.site has ${sym.site.length} sites, the MPO ${n}`);
    sym.site.forEach((q, i) => { if (q.length !== W.sites[i]!.d) throw new Error(`dmrg: symmetry.site[${i}] has ${q.length} charges, the site dimension is ${W.sites[i]!.d}`); });
  }
  // bond charges (bond b left of site b) when a symmetry is conserved
  let bondQ: Int32Array[] | null = null;
  let psi: Mps;
  if (sym !== null) {
    const r = randomChargedSites(sym, Math.max(4, o.initialBond), rng);
    bondQ = r.bonds;
    psi = new Mps(r.sites, 0).normalizeInPlace();
  } else if (o.initial === 'random') psi = randomRealMps(n, o.initialBond, rng, d);
  else if (o.initial === 'product') {
    psi = Mps.productState(Array.from({ length: n }, () => new Array<number>(d).fill(1)));
  } else {
    if (o.initial.n !== n) throw new Error(`dmrg: initial state has ${o.initial.n} sites, the MPO ${n}`);
    if (!o.initial.isReal()) throw new Error('dmrg: the initial state must be real');
    const c = o.initial.clone();
    psi = new Mps(c.sites, n - 1).moveCenterInPlace(0).normalizeInPlace();
  }
  for (let q = 0; q < n; q++) if (psi.sites[q]!.d !== W.sites[q]!.d) throw new Error(`dmrg: site ${q}: state dim ${psi.sites[q]!.d} ≠ MPO dim ${W.sites[q]!.d}`);

  // Environments: Lenv[i] covers sites < i, Renv[i] sites > i; layout [bra][w][ket].
  const Lenv: Float64Array[] = new Array(n);
  const Renv: Float64Array[] = new Array(n);
  Lenv[0] = Float64Array.of(1);
  Renv[n - 1] = Float64Array.of(1);
  for (let i = n - 1; i > 0; i--) Renv[i - 1] = envStep(Renv[i]!, mirrorSite(psi.sites[i]!), [W.mirrored[i]!]);

  const schedLen = Math.max(scheduleLength(o.maxBond), scheduleLength(o.cutoff), scheduleLength(o.noise));
  const history: DmrgSweep[] = [];
  let report = emptyReport();
  let energy = NaN;
  let converged = false;
  let stop: DmrgStop = 'max-sweeps';
  let criteria: DmrgResult['criteria'] = { energy: false, variance: null };
  let prevRelVar = NaN; // relative variance at the previous sweep that met the energy test
  const varianceTol = o.varianceTol === 'auto' ? Math.max(1e-12, 100 * scheduleAt(o.cutoff, Math.max(0, schedLen - 1))) : o.varianceTol;
  let scaledVar = NaN;

  for (let sweep = 0; sweep < o.maxSweeps; sweep++) {
    const t0 = performance.now();
    const truncation = resolveTruncation({ maxBond: scheduleAt(o.maxBond, sweep), cutoff: scheduleAt(o.cutoff, sweep), minBond: 1 });
    const noise = scheduleAt(o.noise, sweep);
    report = emptyReport();
    let matvecs = 0;
    let maxEps = 0;
    let sweepEnergy = NaN;

    const optimise = (i: number, toRight: boolean, measure: boolean): void => {
      const A = psi.sites[i]!, B = psi.sites[i + 1]!;
      const dl = A.dl, dr = B.dr;
      // θ: (vL p1) × (p2 vR) = A: (vL p1) × [c] · B: [c] × (p2 vR)
      const theta = new Float64Array(dl * d * d * dr);
      gemmReal('N', 'N', dl * d, d * dr, A.dr, A.re, B.re, theta);
      countGemm(dl * d, d * dr, A.dr, 0);
      const mv0 = twoSiteMatvec(Lenv[i]!, W.sites[i]!, W.sites[i + 1]!, Renv[i + 1]!, dl, d, dr);
      // in a sector: θ and every Krylov vector restricted to the entries whose charges fuse to those of bond i+2
      const mask = bondQ === null ? null : thetaMask(sym!.group, bondQ[i]!, sym!.site[i]!, sym!.site[i + 1]!, bondQ[i + 2]!);
      const project = (v: Float64Array) => { if (mask !== null) for (let j = 0; j < v.length; j++) if (mask[j] === 0) v[j] = 0; };
      const mv = mask === null ? mv0 : (x: Float64Array, y: Float64Array) => { mv0(x, y); project(y); };
      project(theta);
      const res = lanczosLowest(mv, theta, o.lanczos);
      matvecs += res.matvecs;
      const x = res.vector;
      if (noise > 0) {
        let s = 0;
        for (let k = 0; k < x.length; k++) { if (mask === null || mask[k] === 1) x[k]! += noise * gaussian(rng); s += x[k]! * x[k]!; }
        const inv = 1 / Math.sqrt(s);
        for (let k = 0; k < x.length; k++) x[k]! *= inv;
      }
      let sp: { k: number; Ure: Float64Array; S: Float64Array; Vhre: Float64Array; rankBefore: number; discarded: number; method: string };
      if (bondQ === null) sp = truncatedSplit(dl * d, d * dr, x, null, truncation);
      else {
        const g = sym!.group, q1 = sym!.site[i]!, q2 = sym!.site[i + 1]!, qa = bondQ[i]!, qb = bondQ[i + 2]!;
        const rowQ = new Int32Array(dl * d), colQ = new Int32Array(d * dr);
        for (let a = 0; a < dl; a++) for (let s = 0; s < d; s++) rowQ[a * d + s] = g === 'u1' ? qa[a]! + q1[s]! : qa[a]! ^ q1[s]!;
        for (let s = 0; s < d; s++) for (let b = 0; b < dr; b++) colQ[s * dr + b] = unfuse(g, qb[b]!, q2[s]!);
        const cs = chargedSplit(dl * d, d * dr, x, rowQ, colQ, truncation);
        bondQ[i + 1] = cs.charges;
        sp = cs;
      }
      const k = sp.k;
      accumulate(report, { bond: i, rankBefore: sp.rankBefore, rankKept: k, discardedWeight: sp.discarded }, sp.method);
      maxEps = Math.max(maxEps, sp.discarded);
      let s2 = 0;
      for (let j = 0; j < k; j++) s2 += sp.S[j]! * sp.S[j]!;
      const inv = 1 / Math.sqrt(s2);
      const S = sp.S.map((v) => v * inv);
      if (toRight) {
        // A ← U;  B ← S·Vh
        const sv = sp.Vhre.slice();
        for (let r = 0; r < k; r++) for (let c = 0; c < d * dr; c++) sv[r * d * dr + c]! *= S[r]!;
        psi.sites[i] = { dl, d, dr: k, re: sp.Ure, im: null };
        psi.sites[i + 1] = { dl: k, d, dr, re: sv, im: null };
        psi.center = i + 1;
        Lenv[i + 1] = envStep(Lenv[i]!, psi.sites[i]!, [W.sites[i]!]);
      } else {
        // A ← U·S;  B ← Vh
        const us = sp.Ure.slice();
        for (let r = 0; r < dl * d; r++) for (let c = 0; c < k; c++) us[r * k + c]! *= S[c]!;
        psi.sites[i] = { dl, d, dr: k, re: us, im: null };
        psi.sites[i + 1] = { dl: k, d, dr, re: sp.Vhre, im: null };
        psi.center = i;
        Renv[i] = envStep(Renv[i + 1]!, mirrorSite(psi.sites[i + 1]!), [W.mirrored[i + 1]!]);
      }
      if (measure) {
        // ⟨H⟩ of the truncated, normalised state from the same environments
        const t2 = new Float64Array(dl * d * d * dr);
        const A2 = psi.sites[i]!, B2 = psi.sites[i + 1]!;
        gemmReal('N', 'N', dl * d, d * dr, k, A2.re, B2.re, t2);
        const h = new Float64Array(t2.length);
        mv(t2, h);
        let e = 0;
        for (let j = 0; j < t2.length; j++) e += t2[j]! * h[j]!;
        sweepEnergy = e;
      }
    };

    for (let i = 0; i <= n - 3; i++) optimise(i, true, false);
    for (let i = n - 2; i >= 0; i--) optimise(i, false, i === 0);

    // energies in the scaled units until the end (energy, deltaE); the record in H's units
    const prev = energy;
    energy = sweepEnergy;
    const dE = sweep === 0 ? NaN : energy - prev;
    const rec: DmrgSweep = {
      sweep: sweep + 1, energy: timesPow2(energy, k), deltaE: timesPow2(dE, k), bondReached: psi.bondReached(),
      discardedWeight: maxEps, seconds: 0, matvecs,
    };
    const finalSchedule = sweep >= schedLen - 1 && noise === 0;
    const energyOk = sweep + 1 >= o.minSweeps && finalSchedule
      && (Math.abs(dE) < o.energyTol * nuScaled || (nuScaled === 0 && dE === 0));
    const wantVar = o.measureVariance || (varianceTol !== null && energyOk);
    let relVar = NaN;
    if (wantVar) {
      const ev = measureVar(psi);
      scaledVar = ev.variance;
      const u = unscaleEnergyVariance(ev.energy, ev.variance, k);
      rec.variance = u.variance;
      rec.relativeVariance = relVar = u.relativeVariance;
    }
    rec.seconds = (performance.now() - t0) / 1000;
    history.push(rec);
    const varOk = varianceTol === null ? null : wantVar ? relVar < varianceTol : false;
    criteria = { energy: energyOk, variance: varianceTol === null || wantVar ? varOk : null };
    if (energyOk && varOk !== false) {
      converged = true;
      stop = 'converged';
      break;
    }
    if (energyOk && varOk === false) {
      // the energy has settled but the variance has not: go on only while it keeps halving
      if (!(relVar < prevRelVar / 2)) {
        if (!Number.isNaN(prevRelVar)) { stop = 'variance-stalled'; break; }
      }
      prevRelVar = relVar;
    }
  }
  const last = history[history.length - 1]!;
  if (last.variance === undefined) scaledVar = measureVar(psi).variance;
  const u = unscaleEnergyVariance(energy, scaledVar, k);
  if (!Number.isFinite(u.energy)) {
    const l10 = Math.log10(Math.abs(energy)) + k * Math.log10(2);
    const e10 = Math.floor(l10);
    const approx = `${energy < 0 ? '−' : ''}${(10 ** (l10 - e10)).toFixed(2)}e+${e10}`;
    throw new OverflowError(`dmrg: the ground-state energy ≈ ${approx} overflows double precision (|E| > 1.8e308); scale the couplings down`);
  }
  return {
    state: psi, energy: u.energy, variance: u.variance, relativeVariance: u.relativeVariance,
    normEstimate: timesPow2(nuScaled, k), report, history, converged, stop, criteria, varianceTol, bondCharges: bondQ,
  };
}
