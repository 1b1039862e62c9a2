/**
 * Values of Slurm job options as `qdistill submit` accepts them: time limits, memory, partition
 * names, and the time limit a level of tasks gets by default from the plan's cost estimates.
 */

/** The time-limit formats accepted, as the messages list them. */
export const SLURM_TIME_FORMATS = 'MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 1:30:00, 2-00)';

/**
 * Seconds of a Slurm time limit in one of the formats sbatch reads: `MM`, `MM:SS`, `HH:MM:SS`,
 * `D-HH`, `D-HH:MM`, `D-HH:MM:SS` (digits only). The first field is unbounded, as in Slurm
 * (`90` is 90 minutes); a field after it must be in its clock range (seconds and minutes
 * 0–59, hours after a day 0–23: Slurm itself would carry `1:61:00` over, which is more often a
 * typo than meant). A limit of zero is refused (Slurm reads it as "no limit"; leave the option
 * out to get the partition's default).
 * @returns the seconds, or a string saying what is wrong with `raw`.
 */
export function parseSlurmTime(raw: string): number | string {
  const m = /^(?:(\d+)-(\d+)(?::(\d+)(?::(\d+))?)?|(\d+)(?::(\d+)(?::(\d+))?)?)$/.exec(raw);
  if (!m) return `not a Slurm time; allowed: ${SLURM_TIME_FORMATS}`;
  const n = (s: string | undefined) => (s === undefined ? undefined : Number(s));
  let d = 0, h = 0, min = 0, s = 0;
  const bounded: [string, number | undefined, number][] = [];
  if (m[1] !== undefined) {
    d = n(m[1])!; h = n(m[2])!; min = n(m[3]) ?? 0; s = n(m[4]) ?? 0;
    bounded.push(['hours', h, 23], ['minutes', n(m[3]), 59], ['seconds', n(m[4]), 59]);
  } else if (m[7] !== undefined) {
    h = n(m[5])!; min = n(m[6])!; s = n(m[7])!;
    bounded.push(['minutes', min, 59], ['seconds', s, 59]);
  } else {
    min = n(m[5])!; s = n(m[6]) ?? 0;
    bounded.push(['seconds', n(m[6]), 59]);
  }
  for (const [what, v, max] of bounded) if (v !== undefined && v > max) return `${what} field ${v} is over ${max}; allowed: ${SLURM_TIME_FORMATS}`;
  const total = ((d * 24 + h) * 60 + min) * 60 + s;
  if (total === 0) return 'a zero time limit means "no limit" to Slurm; give a positive limit, or leave --time out for the partition\'s default';
  return total;
}

/**
 * `raw` if it is a Slurm memory amount `N[K|M|G|T]` (an integer ≥ 1, optionally followed by a
 * unit, either case; no unit means megabytes, as in Slurm), else a string saying what is wrong.
 * `0` (all of a node's memory to Slurm) is refused: ask for an amount.
 */
export function checkSlurmMemory(raw: string): string | null {
  if (!/^\d+[KMGTkmgt]?$/.test(raw)) return 'not a Slurm memory amount; allowed: N[K|M|G|T], an integer with an optional unit (megabytes without one), e.g. 4G or 500M';
  if (/^0+[KMGTkmgt]?$/.test(raw)) return 'must be at least 1 (Slurm reads 0 as "all of the node\'s memory"); e.g. 4G';
  return null;
}

/**
 * Null if `raw` is a partition name (or a comma-separated list of them, which Slurm tries in
 * turn): letters, digits, `_`, `.`, `-`; else what is wrong.
 */
export function checkPartition(raw: string): string | null {
  return /^[A-Za-z0-9_.-]+(,[A-Za-z0-9_.-]+)*$/.test(raw) ? null : 'not a partition name; allowed: letters, digits, _ . - (a comma-separated list for several partitions)';
}

/**
 * Seconds as a Slurm time limit, rounded up to whole minutes: `HH:MM:00`, or `D-HH:MM:00`
 * from one day on.
 */
export function formatSlurmTime(seconds: number): string {
  const minutes = Math.max(1, Math.ceil(seconds / 60 - 1e-9));
  const d = Math.floor(minutes / 1440), h = Math.floor((minutes % 1440) / 60), m = minutes % 60;
  const hm = `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`;
  return d > 0 ? `${d}-${hm}` : hm;
}

/**
 * Factor between the planner's estimate and the default time limit of a job array. The
 * estimates are calibrated on the machine that plans (a login node, a laptop); a compute node
 * may be slower or shared, and a task that hits its limit is killed and must be resubmitted,
 * so the limit is generous.
 */
export const TIME_SAFETY_FACTOR = 3;
/** Smallest default time limit, seconds: start-up of Node, data loading and the queue's own accounting need some minutes whatever the estimate. */
export const MIN_DEFAULT_TIME_SECONDS = 600;

/**
 * The default time limit (seconds) of a job array running `estimates`:
 * max(MIN_DEFAULT_TIME_SECONDS, TIME_SAFETY_FACTOR × the largest estimate), or null when any
 * estimate is missing (null) or there is none (then no limit is asked for and the partition's
 * default applies).
 */
export function defaultTimeSeconds(estimates: (number | null)[]): number | null {
  if (estimates.length === 0 || estimates.some((e) => e === null)) return null;
  return Math.max(MIN_DEFAULT_TIME_SECONDS, TIME_SAFETY_FACTOR * Math.max(...(estimates as number[])));
}
