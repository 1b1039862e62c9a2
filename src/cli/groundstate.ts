/**
 * `qdistill groundstate`: the ground state of a spin-chain model (mps/dmrg/models.ts) by
 * two-site DMRG in a symmetry sector (mps/dmrg/sectors.ts; by default the true ground state's),
 * or a symmetry-broken state, optionally saved as MPS JSON (mps/serialize.ts).
 */
import { renameSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import {
  type DmrgStop, formatSector, MODEL_DEFAULTS, MODEL_MIN_N, MODEL_NAMES, MODEL_SYMMETRY, modelGroundState, type ModelName, parseSector, type Sector,
} from '../../mps/dmrg/index.js';
import { OverflowError } from '../../mps/mpo.js';
import { mpsToJson } from '../../mps/serialize.js';
import { DEFAULT_GROUNDSTATE_CUTOFF, DEFAULT_GROUNDSTATE_MAX_BOND } from '../backends/defaults.js';
import { fileProblem, parseNumberOption, UsageError } from './errors.js';
import { addDebugOption, defineCommand, helpText, parseCommand } from './parse.js';

/** The definition of `qdistill groundstate`: its parser and its help text. */
export function groundstateDefinition(): Command {
  const c = defineCommand('groundstate', {
    summary: 'ground state of a spin chain by DMRG (tfim, cluster-ising, annni, xxz)',
    usage: '--model tfim|cluster-ising|annni|xxz --n N [options]',
    description: `Finds the ground state of an open spin chain by two-site DMRG (Pauli matrices, qubit 0 = site 0).
Couplings may have any scale in double range: H is divided by a power of two near its norm
before the sweeps, so c·H gives the same state and c times the energy; couplings whose products
or ground energy leave double range are rejected with the quantity that overflowed (exit 2).

  tfim           -J Σ Z_i Z_{i+1} - h Σ X_i  (--J, --h; critical at h = J)
  cluster-ising  -J Σ Z_{i-1} X_i Z_{i+1} - h1 Σ X_i - h2 Σ X_i X_{i+1}  (--J, --h1, --h2)
  annni          -J Σ [X_i X_{i+1} - κ X_i X_{i+2} + h Z_i]  (--J, --kappa, --h)
  xxz            J Σ (1 + δ(-1)^i)(X_i X_{i+1} + Y_i Y_{i+1} + Δ Z_i Z_{i+1})
                 (--J, --delta, --Delta)

Model parameters default to: tfim J=1 h=1; cluster-ising J=1 h1=0 h2=0; annni J=1 kappa=0 h=1;
xxz J=1 delta=0 Delta=1.

The JSON output reports the sector and the symmetry expectations of the state (⟨P⟩, the two
sublattice parities, or ⟨M⟩ with its variance), which are exact eigenvalues in a sector.`,
    examples: [
      'qdistill groundstate --model tfim --n 64 --h 0.8 --max-bond 64 --json',
      'qdistill groundstate --model tfim --n 64 --h 0.8 --broken +',
      'qdistill groundstate --model cluster-ising --n 32 --h1 0.5 --h2 -0.3 --save gs.json',
    ],
  })
    .option('--model <NAME>', 'the model (required): tfim, cluster-ising, annni or xxz')
    .option('--n <N>', 'number of sites (required; integer ≥ 2, ≥ 3 for cluster-ising and annni)')
    .option('--J <X>', 'coupling J (all models)')
    .option('--h <X>', 'field h (tfim, annni)')
    .option('--h1 <X>', 'field h1 (cluster-ising)')
    .option('--h2 <X>', 'coupling h2 (cluster-ising)')
    .option('--kappa <X>', 'next-nearest-neighbour coupling κ (annni)')
    .option('--delta <X>', 'dimerisation δ (xxz)')
    .option('--Delta <X>', 'anisotropy Δ (xxz)')
    .option('--max-bond <N>', `bond dimension cap (integer ≥ 1; default ${DEFAULT_GROUNDSTATE_MAX_BOND})`)
    .option('--cutoff <X>', `relative discarded-weight bound per split (in [0, 1); default ${DEFAULT_GROUNDSTATE_CUTOFF})`)
    .option('--sweeps <K>', 'largest number of sweeps (integer ≥ 1; default 30)')
    .option('--energy-tol <X>', 'stop when |ΔE| over a sweep < X·ν, ν = the rms coupling per site (√(Σ c²/n) over the Pauli terms c·P of H: √2 for tfim at J = h = 1), so the test scales with the couplings (default 1e-8; quasi-degenerate ordered or SPT phases on open chains drift by ~1e-9·ν per sweep inside their ground manifold)')
    .option('--variance-tol <X>', 'also require the energy variance relative to E², (⟨H²⟩ − ⟨H⟩²)/⟨H⟩², below X (default max(1e-12, 100·cutoff): a state truncated at the cutoff keeps a few times the cutoff; 0 turns the test off); when the energy has settled but the variance stops falling (bond cap or cutoff) the run ends as not converged with stop \'variance-stalled\'')
    .option('--sector <S>', 'symmetry sector (default: the ground state\'s): even|odd for tfim (P = Π X_i) and annni (P = Π Z_i); even,even|even,odd|odd,even|odd,odd for cluster-ising (Π X_i over even sites, over odd sites); an integer M = Σ Z_i for xxz; none for DMRG without a symmetry (in ordered phases it may return a symmetry-broken mixture above the ground energy and call it converged). Default sectors: tfim P = sign(h)^n, annni P = sign(J·h)^n (Perron–Frobenius); xxz M = 0 (n even) or +1 (n odd), M = n when Δ·sign(J) < −1, none when |δ| > 1; cluster-ising the lowest of its four')
    .option('--broken <SIGN>', 'a symmetry-broken state (tfim, annni), + or -: (ψ_even ± ψ_odd)/√2 of the two sector ground states with ⟨Z_0⟩ (tfim) or ⟨X_0⟩ (annni) of that sign; its energy is the mean of the two (not with --sector)')
    .option('--seed <S>', 'seed of the random initial state (default 0)')
    .option('--save <FILE>', 'write the ground state as MPS JSON (atomically)')
    .option('--json', 'print one JSON object');
  return addDebugOption(c);
}

/** Help text of `qdistill groundstate`. */
export const GROUNDSTATE_HELP = helpText(groundstateDefinition());

/** Option values of `qdistill groundstate`, keyed by flag. */
interface GroundstateFlags {
  model?: string; n?: string; J?: string; h?: string; h1?: string; h2?: string; kappa?: string; delta?: string; Delta?: string;
  'max-bond'?: string; cutoff?: string; sweeps?: string; seed?: string; 'energy-tol'?: string; 'variance-tol'?: string;
  sector?: string; broken?: string;
  save?: string; json: boolean;
}

const PARAM_OPTIONS = ['J', 'h', 'h1', 'h2', 'kappa', 'delta', 'Delta'] as const;

/** Writes `text` to `file` atomically: a temporary file in the same folder, then a rename. */
function writeAtomic(file: string, text: string): void {
  const tmp = `${file}.tmp-${process.pid}-${Date.now()}`;
  try {
    writeFileSync(tmp, text, { flush: true });
    renameSync(tmp, file);
  } catch (e) {
    throw new UsageError(`cannot write --save file '${file}': ${fileProblem(e)}`);
  }
}

const STOP_TEXT: Record<DmrgStop, string> = {
  converged: ' (converged: energy change and variance/E²)',
  'variance-stalled': ' (NOT converged: the energy settled but the variance stopped falling above --variance-tol; raise --max-bond or lower --cutoff)',
  'max-sweeps': ' (NOT converged: raise --sweeps)',
};

/** Runs the command; returns the text to print. */
export function groundstateCommand(argv: string[]): string {
  const cli = parseCommand<GroundstateFlags>(groundstateDefinition(), argv);
  if (cli.help !== null) return cli.help;
  const { values, positionals } = cli;
  if (positionals.length > 0) throw new UsageError(`groundstate takes no positional arguments, got '${positionals[0]}'`);
  if (values.model === undefined) throw new UsageError(`--model is required; allowed: ${MODEL_NAMES.join(', ')}`);
  if (!(MODEL_NAMES as readonly string[]).includes(values.model)) throw new UsageError(`--model must be one of ${MODEL_NAMES.join(', ')}, got '${values.model}'`);
  const model = values.model as ModelName;
  if (values.n === undefined) throw new UsageError('--n is required (the number of sites)');
  const minN = MODEL_MIN_N[model];
  const n = Number(values.n);
  if (values.n.trim() === '' || !Number.isInteger(n) || n < minN) throw new UsageError(`--n must be an integer ≥ ${minN}${minN > 2 ? ` for model '${model}'` : ''}, got '${values.n}'`);
  const allowed = Object.keys(MODEL_DEFAULTS[model]);
  const params: Record<string, number> = {};
  for (const k of PARAM_OPTIONS) {
    const raw = values[k];
    if (raw === undefined) continue;
    if (!allowed.includes(k)) throw new UsageError(`--${k} does not apply to model '${model}'; its parameters: ${allowed.map((a) => `--${a}`).join(', ')}`);
    params[k] = parseNumberOption(k, raw, 'number')!;
  }
  const maxBond = parseNumberOption('max-bond', values['max-bond'], 'int>=1') ?? DEFAULT_GROUNDSTATE_MAX_BOND;
  const cutoff = parseNumberOption('cutoff', values.cutoff, 'number>=0') ?? DEFAULT_GROUNDSTATE_CUTOFF;
  if (cutoff >= 1) throw new UsageError(`--cutoff must be a number in [0, 1), got '${values.cutoff}'`);
  const sweeps = parseNumberOption('sweeps', values.sweeps, 'int>=1') ?? 30;
  const energyTol = parseNumberOption('energy-tol', values['energy-tol'], 'number>=0') ?? 1e-8;
  const varianceTolArg = parseNumberOption('variance-tol', values['variance-tol'], 'number>=0');
  const varianceTol = varianceTolArg === undefined ? 'auto' as const : varianceTolArg === 0 ? null : varianceTolArg;
  const seed = values.seed ?? '0';
  let sector: Sector | 'ground' | 'none' = 'ground';
  if (values.sector !== undefined) {
    if (values.sector === 'none') sector = 'none';
    else {
      try { sector = parseSector(model, n, values.sector); } catch (e) { throw new UsageError(`--${(e as Error).message}`); }
    }
  }
  let broken: 1 | -1 | undefined;
  if (values.broken !== undefined) {
    const b = values.broken;
    broken = b === '+' || b === '+1' || b === 'plus' ? 1 : b === '-' || b === '-1' || b === 'minus' ? -1 : undefined;
    if (broken === undefined) throw new UsageError(`--broken must be + or -, got '${b}'`);
    if (MODEL_SYMMETRY[model] !== 'Z2') throw new UsageError(`--broken applies to tfim and annni (a Z2 order parameter), not to model '${model}'`);
    if (values.sector !== undefined) throw new UsageError('--broken and --sector are exclusive: a broken state mixes the two parity sectors');
  }

  const t0 = performance.now();
  let res: ReturnType<typeof modelGroundState>;
  try {
    res = modelGroundState(model, n, params, { maxBond, cutoff, maxSweeps: sweeps, energyTol, varianceTol, seed, ...(broken !== undefined ? { broken } : { sector }) });
  } catch (e) {
    // couplings too large for double precision are bad input
    if (e instanceof OverflowError) throw new UsageError(`${e.message} (--${Object.keys(params).join(', --') || 'J'})`);
    throw e;
  }
  const seconds = (performance.now() - t0) / 1000;
  if (values.save !== undefined) writeAtomic(values.save, JSON.stringify(mpsToJson(res.state)));
  const varianceInRange = Number.isFinite(res.variance) && (res.variance > 0 || res.relativeVariance === 0);
  const out = {
    model, n, params: { ...MODEL_DEFAULTS[model], ...params },
    energy: res.energy,
    energyPerSite: res.energy / n,
    // null when the absolute variance is outside double range (|E| ≳ 1e±154); relativeVariance is then still exact
    variance: varianceInRange ? res.variance : null,
    relativeVariance: res.relativeVariance,
    sweeps: res.history.length,
    converged: res.converged,
    stop: res.stop,
    criteria: res.criteria,
    bondReached: res.state.bondReached(),
    sector: res.sector === null ? (broken !== undefined ? `broken${broken > 0 ? '+' : '-'}` : null) : formatSector(res.sector),
    symmetry: res.symmetry,
    ...(res.sectorEnergies ? { sectorEnergies: res.sectorEnergies } : {}),
    ...(res.orderParameter !== undefined ? { orderParameter: res.orderParameter } : {}),
    truncation: res.report,
    seconds,
    ...(values.save !== undefined ? { saved: values.save } : {}),
  };
  if (values.json) return JSON.stringify(out);
  const p = Object.entries(out.params).map(([k, v]) => `${k}=${v}`).join(' ');
  return [
    `model ${model}, n = ${n}, ${p}`,
    `energy          ${res.energy.toPrecision(15)}  (per site ${(res.energy / n).toPrecision(12)})`,
    `variance        ${varianceInRange ? res.variance.toExponential(3) : 'outside double range'}  (relative to E²: ${res.relativeVariance.toExponential(3)})`,
    `sweeps          ${res.history.length}${res.stop === 'converged' && res.criteria.variance === null ? ' (converged: energy change; variance test off)' : STOP_TEXT[res.stop]}`,
    `bond reached    ${out.bondReached} (cap ${maxBond})`,
    `sector          ${sectorLine(out.sector, res.symmetry)}`,
    ...(res.sectorEnergies ? [`sector energies ${res.sectorEnergies.map((x) => `${x.sector} ${x.energy.toPrecision(15)}`).join(', ')}`] : []),
    `last sweep      max discarded weight ${res.history[res.history.length - 1]!.discardedWeight.toExponential(2)}, ${res.report.splits} splits`,
    `time            ${seconds.toFixed(2)} s`,
    ...(values.save !== undefined ? [`saved           ${values.save}`] : []),
  ].join('\n');
}

function sectorLine(sector: string | null, y: ReturnType<typeof modelGroundState>['symmetry']): string {
  const f = (v: number) => v.toFixed(12);
  const exp = y.parity !== undefined ? `⟨P⟩ = ${f(y.parity)}`
    : y.parities !== undefined ? `⟨P_even⟩ = ${f(y.parities[0])}, ⟨P_odd⟩ = ${f(y.parities[1])}`
      : `⟨M⟩ = ${f(y.magnetization!)}, Var M = ${y.magnetizationVariance!.toExponential(2)}`;
  return `${sector ?? 'none (no symmetry imposed)'}  (${exp})`;
}
