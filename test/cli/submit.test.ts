/**
 * `qdistill submit` from the command line, without a cluster: every bad flag value and missing
 * input is one line naming the flag, the value and what is allowed, with exit code 2 and
 * nothing on stdout (a row per check); a dry run with --plan prints the scripts and sbatch
 * lines with the flags in place and writes nothing; the built executable gives the same.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { defaultQdistillCommand, submitCommand } from '../../src/cli/submit.js';
import { runCli, captureOutput } from './run-cli.js';

const work = mkdtempSync(join(tmpdir(), 'qdistill-submit-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const CFG = 'experiments/demo.json';
const PLAN = join(work, 'plan.json');
writeFileSync(PLAN, JSON.stringify({
  name: 'demo', quick: true, configHash: 'h', levels: 2,
  tasks: [
    { id: 'seed-1/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 30 },
    { id: 'seed-1/student/s4-pool/kd', kind: 'student', level: 1, deps: ['seed-1/teacher'], estimateSeconds: 900 },
  ],
}));
/** The same plan as `qdistill plan --seeds 11,alpha --json` writes it: with the seeds it was made for. */
const SEEDED_PLAN = join(work, 'seeded-plan.json');
writeFileSync(SEEDED_PLAN, JSON.stringify({
  name: 'demo', quick: true, configHash: 'h', levels: 1, seeds: [11, 'alpha'],
  tasks: [{ id: 'seed-11/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 30 }, { id: 'seed-alpha/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 30 }],
}));
const BAD_PLAN = join(work, 'bad-plan.json');
writeFileSync(BAD_PLAN, JSON.stringify({ name: 'demo', quick: true, configHash: 'h', levels: 1, tasks: [{ id: 'a', kind: 'k', level: 0, deps: ['b'], estimateSeconds: 1 }] }));
const BAD_SEED_PLAN = join(work, 'bad-seed-plan.json');
writeFileSync(BAD_SEED_PLAN, JSON.stringify({ name: 'demo', quick: true, configHash: 'h', levels: 1, seeds: [1, 'a b'], tasks: [{ id: 'seed-1/teacher', kind: 'teacher', level: 0, deps: [], estimateSeconds: 1 }] }));
const OUT = join(work, 'out');
/** A results folder with a task marker of another config of the study (`--only-failed` once took it for done). */
const FOREIGN = join(work, 'foreign');
mkdirSync(join(FOREIGN, 'tasks'), { recursive: true });
writeFileSync(join(FOREIGN, 'tasks', 'seed-1__teacher.json'), JSON.stringify({ format: 'qdistill.task', version: 1, id: 'seed-1/teacher', configHash: 'other', quick: true, config: { name: 'demo', seeds: [1] } }));

const cap = captureOutput();

const base = [CFG, '--quick', '--out', OUT, '--plan', PLAN, '--dry-run'];

describe('qdistill submit: bad input is one line with exit code 2', () => {
  it.each<[string, string[], string]>([
    ['no config', ['--out', OUT], 'submit takes exactly one config file, got 0'],
    ['two configs', [CFG, CFG, '--out', OUT], 'submit takes exactly one config file, got 2'],
    ['missing config', ['nope.json', '--out', OUT], "cannot read config 'nope.json': no such file (ENOENT)"],
    ['no --out', [CFG], '--out DIR is required: the results folder, on a filesystem every compute node sees'],
    ['empty --out', [CFG, '--out='], "--out '': needs a folder"],
    ['--out with a double quote', [CFG, '--out', '/tmp/a"b'], "--out '/tmp/a\"b': contains a double quote (\"), which a #SBATCH line cannot hold (sbatch reads those lines without escapes); use a folder without it"],
    ['--time format', [...base, '--time', '1h'], "--time '1h': not a Slurm time; allowed: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 1:30:00, 2-00)"],
    ['--time field', [...base, '--time', '1:61:00'], "--time '1:61:00': minutes field 61 is over 59; allowed: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 1:30:00, 2-00)"],
    ['--time zero', [...base, '--time', '0'], "--time '0': a zero time limit means \"no limit\" to Slurm; give a positive limit, or leave --time out for the partition's default"],
    ['--mem', [...base, '--mem', '4GB'], "--mem '4GB': not a Slurm memory amount; allowed: N[K|M|G|T], an integer with an optional unit (megabytes without one), e.g. 4G or 500M"],
    ['--mem zero', [...base, '--mem', '0'], "--mem '0': must be at least 1 (Slurm reads 0 as \"all of the node's memory\"); e.g. 4G"],
    ['--partition', [...base, '--partition', 'a b'], "--partition 'a b': not a partition name; allowed: letters, digits, _ . - (a comma-separated list for several partitions)"],
    ['--cpus-per-task', [...base, '--cpus-per-task', '0'], "--cpus-per-task must be an integer ≥ 1, got '0'"],
    ['--max-parallel', [...base, '--max-parallel', 'x'], "--max-parallel must be an integer ≥ 1, got 'x'"],
    ['--qdistill-command empty', [...base, '--qdistill-command', ' '], '--qdistill-command " ": must be one non-empty line of shell'],
    ['--plan unreadable', [CFG, '--out', OUT, '--plan', join(work, 'none.json')], `--plan: cannot read '${join(work, 'none.json')}': no such file (ENOENT)`],
    ['--plan inconsistent', [CFG, '--quick', '--out', OUT, '--plan', BAD_PLAN], `--plan ${BAD_PLAN}: tasks[0].deps[0] = "b": must be the id of a task of the plan (task a)`],
    ['--seeds not a seed', [...base, '--seeds', '1-5'], "--seeds entry '1-5' is not a seed: each must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter; ranges are not read, list every seed (e.g. 1,2,3,4,5)"],
    ['--seeds twice', [...base, '--seeds', '3,3'], "--seeds lists seed 3 twice: '3,3'; give each seed once"],
    ['--seeds with a plan of the config\'s seeds', [...base, '--seeds', '1'], `--seeds 1: the plan ${PLAN} was made for the config's seeds (it does not list them); give the same --seeds to 'qdistill plan', or leave --seeds out here`],
    ['--seeds with a plan of other seeds', [CFG, '--quick', '--out', OUT, '--plan', SEEDED_PLAN, '--dry-run', '--seeds', 'alpha,11'], `--seeds alpha,11: the plan ${SEEDED_PLAN} was made for seeds 11,alpha; give the same --seeds to 'qdistill plan', or leave --seeds out here`],
    ['a plan file listing a bad seed', [CFG, '--quick', '--out', OUT, '--plan', BAD_SEED_PLAN, '--dry-run'], `--plan ${BAD_SEED_PLAN}: seeds[1] = "a b": must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter`],
    ['--plan of the other --quick', [CFG, '--out', OUT, '--plan', PLAN], `--plan ${PLAN}: planned with --quick, but submit is run without it; give the same --quick to both`],
    ['--out holding tasks of another config', [CFG, '--quick', '--out', FOREIGN, '--plan', PLAN, '--dry-run'], `--out ${FOREIGN} holds tasks of another config (${join(FOREIGN, 'tasks', 'seed-1__teacher.json')}: 'demo' --quick, config hash other; this one: 'demo' --quick, config hash h): its tasks would all be refused; submit into another --out DIR, or delete ${join(FOREIGN, 'tasks')} to start this study there`],
  ])('%s', async (_, args, line) => {
    const code = await main(['submit', ...args]);
    expect(cap.stderr).toBe(`qdistill: ${line}\n`);
    expect(cap.stdout).toBe('');
    expect(code).toBe(2);
  });
});

describe('qdistill submit --dry-run', () => {
  it('prints the scripts with the flags and the chained sbatch lines, and writes nothing', async () => {
    const text = await submitCommand([...base, '--partition', 'short', '--mem', '2G', '--cpus-per-task', '2', '--max-parallel', '3']);
    const dir = join(OUT, 'slurm', 'submit-1');
    expect(text).toContain(`# dry run: nothing written or submitted; the submission would go to ${dir}`);
    expect(text).toContain('# level 0: 1 task(s), time limit 00:10:00 (largest estimate 30.0 s × 3, at least 10 min)');
    expect(text).toContain('# level 1: 1 task(s), time limit 00:45:00 (largest estimate 900.0 s × 3, at least 10 min)');
    for (const l of ['#SBATCH --array=0-0%3', '#SBATCH --partition=short', '#SBATCH --time=00:45:00', '#SBATCH --cpus-per-task=2', '#SBATCH --mem=2G']) expect(text).toContain(l);
    expect(text).toContain(`exec ${defaultQdistillCommand()} run '${join(process.cwd(), CFG)}' --quick --task "$task" --out '${OUT}' --resume --workers "\${SLURM_CPUS_PER_TASK:-1}"`);
    expect(text).toContain(`merge=$(sbatch --parsable --dependency=afterok:\${level1%%;*} --kill-on-invalid-dep=yes '${join(dir, 'merge.sh')}')`);
    expect(existsSync(OUT)).toBe(false);
  });

  it('without --plan the study is planned in process, with the cost model\'s estimates', async () => {
    const text = await submitCommand([CFG, '--out', OUT, '--quick', '--dry-run']);
    // level 0 holds the data tasks (no estimate) beside the runs: the runs set its limit
    expect(text).toMatch(/# level 0: \d+ task\(s\), time limit \d\d:\d\d:\d\d \(largest estimate [\d.]+ s × 3/);
    expect(text).toMatch(/# level 1: \d+ task\(s\), time limit \d\d:\d\d:\d\d \(largest estimate [\d.]+ s × 3/);
    expect(text).toContain('--task "$task"');
    expect(existsSync(OUT)).toBe(false);
  });

  it('--seeds plans those seeds and every task runs with them (a study grown beyond its config\'s seeds)', async () => {
    const text = await submitCommand([CFG, '--out', OUT, '--quick', '--dry-run', '--seeds', '11,alpha']);
    expect(text).toContain(`--quick --seeds '11,alpha' --task "$task"`);
    expect(text).toMatch(/^seed-11\/teacher$/m);
    expect(text).toMatch(/^seed-alpha\/teacher$/m);
    expect(text).not.toMatch(/^seed-1\//m);
    expect(existsSync(OUT)).toBe(false);
  });

  it('a plan file that lists its seeds passes them to every task; the same --seeds is accepted', async () => {
    for (const extra of [[], ['--seeds', '11,alpha']]) {
      const text = await submitCommand([CFG, '--quick', '--out', OUT, '--plan', SEEDED_PLAN, '--dry-run', ...extra]);
      expect(text).toContain(`--quick --seeds '11,alpha' --task "$task"`);
    }
  });

  it('the default qdistill command is this node and this build\'s CLI', () => {
    expect(defaultQdistillCommand()).toBe(`'${process.execPath}' '${join(process.cwd(), 'src', 'cli', 'main.js')}'`);
  });

  it('the built executable prints the same dry run and exits 0; a bad --time exits 2', () => {
    const r = runCli(['submit', ...base, '--time', '1-00']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('#SBATCH --time=1-00\n');
    expect(r.stdout).toContain(`'${join(process.cwd(), 'dist', 'src', 'cli', 'main.js')}' run`);
    const bad = runCli(['submit', ...base, '--time', '25:61']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe("qdistill: --time '25:61': seconds field 61 is over 59; allowed: MM, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS (e.g. 90, 1:30:00, 2-00)\n");
  });
});
