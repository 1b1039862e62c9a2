/**
 * Command-line usage errors, over the class: for each command a misspelt option, an option
 * missing its value, an unknown command and a value of the wrong type each give one line on
 * stderr naming the flag (or command) and what is allowed, nothing on stdout, and exit code 2.
 * The CLI runs in-process (`main` of src/cli/cli.ts, what the executable calls); a few rows
 * run the built executable too.
 */
import { describe, expect, it, vi } from 'vitest';
import { main, rootHelp } from '../../src/cli/cli.js';
import { runCli, captureOutput } from './run-cli.js';

const cap = captureOutput();

const CFG = 'experiments/demo.json';
const ALLOWED = 'allowed: simulate, run, validate, groundstate, grad, demo, plan, merge, submit, help, version';
/** Row: command, arguments after it, the whole stderr line (after "qdistill: "). */
type Row = [string, string[], string];
const ROWS: Record<string, Row[]> = {
  'misspelt option': [
    ['simulate', ['c.qasm', '--maxbond', '3'], "unknown option '--maxbond' (did you mean --max-bond?)"],
    ['run', [CFG, '--worker', '2'], "unknown option '--worker' (did you mean --workers?)"],
    ['validate', [CFG, '--schemas'], "unknown option '--schemas' (did you mean --schema?)"],
    ['groundstate', ['--model', 'tfim', '--n', '8', '--sweep', '3'], "unknown option '--sweep' (did you mean --sweeps?)"],
    ['grad', ['c.json', '--observables', 'Z0'], "unknown option '--observables' (did you mean --observable?)"],
    ['demo', ['--quik'], "unknown option '--quik' (did you mean --quick?)"],
    ['run', [CFG, '--zzz'], "unknown option '--zzz'; see 'qdistill run --help' for the options"],
    ['submit', [CFG, '--out', 'o', '--partitoin', 'short'], "unknown option '--partitoin' (did you mean --partition?)"],
  ],
  'option missing its value': [
    ['simulate', ['c.qasm', '--shots'], '--shots needs a value: --shots <K>'],
    ['run', [CFG, '--seeds'], '--seeds needs a value: --seeds <LIST>'],
    ['run', [CFG, '--seeds', '--resume'], "--seeds needs a value: --seeds <LIST>; the next argument '--resume' is read as an option (write --seeds=--resume if it is the value)"],
    ['groundstate', ['--model', 'tfim', '--n'], '--n needs a value: --n <N>'],
    ['grad', ['c.json', '--observable'], '--observable needs a value: --observable <SUM>'],
    ['demo', ['--out'], '--out needs a value: --out <DIR>'],
    ['submit', [CFG, '--out', 'o', '--time'], '--time needs a value: --time <T>'],
    ['demo', ['--progress', '--quick'], "--progress needs a value: --progress <MODE>; the next argument '--quick' is read as an option (write --progress=--quick if it is the value)"],
  ],
  'unknown command': [
    ['simulat', [], `unknown command 'simulat'; ${ALLOWED} (did you mean simulate?)`],
    ['rnu', [CFG], `unknown command 'rnu'; ${ALLOWED} (did you mean run?)`],
    ['valdate', [CFG], `unknown command 'valdate'; ${ALLOWED} (did you mean validate?)`],
    ['groundstat', [], `unknown command 'groundstat'; ${ALLOWED} (did you mean groundstate?)`],
    ['gard', [], `unknown command 'gard'; ${ALLOWED} (did you mean grad?)`],
    ['dmeo', [], `unknown command 'dmeo'; ${ALLOWED} (did you mean demo?)`],
    ['sumbit', [CFG], `unknown command 'sumbit'; ${ALLOWED} (did you mean submit?)`],
    ['train', [], `unknown command 'train'; ${ALLOWED}`],
  ],
  'value of the wrong type': [
    ['simulate', ['c.qasm', '--max-bond', 'abc'], "--max-bond must be an integer ≥ 1, got 'abc' (omit --max-bond for no bond cap)"],
    ['run', [CFG, '--workers', 'two'], "--workers must be an integer ≥ 1, got 'two'"],
    ['run', [CFG, '--progress', 'fancy'], "--progress must be auto, bar, lines or none, got 'fancy'"],
    ['validate', [CFG, CFG], 'validate takes exactly one config file, got 2'],
    ['groundstate', ['--model', 'tfim', '--n', 'eight'], "--n must be an integer ≥ 2, got 'eight'"],
    ['grad', ['c.json', '--method', 'adjont', '--observable', 'Z0'], "--method must be 'adjoint' or 'parameter-shift', got 'adjont'"],
    ['demo', ['--progress', 'fancy'], "--progress must be auto, bar, lines or none, got 'fancy'"],
    ['submit', [CFG, '--out', 'o', '--mem', '1.5G'], "--mem '1.5G': not a Slurm memory amount; allowed: N[K|M|G|T], an integer with an optional unit (megabytes without one), e.g. 4G or 500M"],
  ],
  // commander keeps the last value silently; `grad --observable A --observable B` would drop A
  'option given twice': [
    ['simulate', ['c.qasm', '--max-bond', '3', '--max-bond=4'], "--max-bond is given twice ('3' and '4'); it takes one value: give it once"],
    ['run', [CFG, '--out', 'a', '--out', 'b'], "--out is given twice ('a' and 'b'); it takes one value: give it once"],
    ['groundstate', ['--model', 'tfim', '--n', '8', '--h', '1', '--h', '-1'], "--h is given twice ('1' and '-1'); it takes one value: give it once"],
    ['grad', ['c.json', '--observable', 'Z0', '--observable', 'Z1'], "--observable is given twice ('Z0' and 'Z1'); it takes one value: give it once"],
    ['demo', ['--progress', 'bar', '--progress', 'none'], "--progress is given twice ('bar' and 'none'); it takes one value: give it once"],
    ['submit', [CFG, '--out', 'o', '--mem', '1G', '--mem', '2G'], "--mem is given twice ('1G' and '2G'); it takes one value: give it once"],
    ['plan', [CFG, '--seeds', '1', '--seeds', '2'], "--seeds is given twice ('1' and '2'); it takes one value: give it once"],
    ['merge', ['d', '--seeds', '1', '--seeds=1'], "--seeds is given twice ('1' and '1'); it takes one value: give it once"],
  ],
};

/** Row: command, arguments after it, the whole stderr line: inputs a new user gets wrong. */
const NEW_USER_ROWS: Row[] = [
  // --seeds: integers ≥ 0 or names that start with a letter; ranges and numbers of other kinds are refused
  ...['1-5', '1..5', '-1', '1.5', '1e3', 'a/b', '1,x y'].map((v): Row => ['run', [CFG, '--seeds', v, '--dry-run'], `--seeds entry '${v === '1,x y' ? 'x y' : v}' is not a seed: each must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter; ranges are not read, list every seed (e.g. 1,2,3,4,5)`]),
  ['plan', [CFG, '--seeds', '3:4'], "--seeds entry '3:4' is not a seed: each must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter; ranges are not read, list every seed (e.g. 1,2,3,4,5)"],
  ['merge', ['d', '--seeds', '9999999999999999999'], "--seeds entry '9999999999999999999' is not a seed: each must be an integer from 0 to 9007199254740991 (2^53 − 1) or a name of letters, digits, '.', '_' and '-' that starts with a letter; ranges are not read, list every seed (e.g. 1,2,3,4,5)"],
  // a file that is not there, or is a folder, in words
  ['simulate', ['no-such.qasm'], "cannot read circuit file 'no-such.qasm': no such file (ENOENT)"],
  ['grad', ['experiments/circuits', '--observable', 'Z0'], "cannot read circuit file 'experiments/circuits': it is a folder, not a file (EISDIR)"],
  ['run', ['no-such.json'], "cannot read config 'no-such.json': no such file (ENOENT)"],
  ['validate', ['experiments'], "cannot read config 'experiments': it is a folder, not a file (EISDIR)"],
  ['simulate', ['experiments/circuits/ghz-ry6.qasm', '--noise', 'no-such.json', '--seed', '1'], "--noise: cannot read noise file 'no-such.json': no such file (ENOENT)"],
  // a file of the other command's format, an input the circuit does not read
  ['simulate', ['experiments/circuits/example.json'], "experiments/circuits/example.json: a JSON document, not an OpenQASM 2 circuit: simulate reads OpenQASM 2 (a circuit JSON with parameters is read by 'qdistill grad')"],
  ['grad', ['experiments/circuits/example.json', '--observable', 'Z0', '--inputs', '1,2'], `--inputs '1,2': experiments/circuits/example.json declares no input features ("inputs" is 0 or absent); drop --inputs`],
  ['merge', ['experiments/circuits'], 'experiments/circuits holds no finished tasks (no experiments/circuits/tasks/*.json): run the study\'s tasks into it first (qdistill run CONFIG --task ID --out experiments/circuits)'],
];

describe('usage errors: one line naming the flag and what is allowed, exit code 2', () => {
  for (const [kind, rows] of Object.entries(ROWS)) {
    it.each(rows)(`${kind}: %s %j`, async (cmd, args, line) => {
      const code = await main([cmd, ...args]);
      expect(cap.stderr).toBe(`qdistill: ${line}\n`);
      expect(cap.stdout).toBe('');
      expect(code).toBe(2);
    });
  }

  it('every command is covered by every kind of row (validate has no option that takes a value)', () => {
    const commands = ['simulate', 'run', 'validate', 'groundstate', 'grad', 'demo', 'submit'];
    for (const [kind, rows] of Object.entries(ROWS)) {
      const covered = new Set(rows.map(([c, , line]) => (kind === 'unknown command' ? line.match(/did you mean (\w+)\?/)?.[1] : c)));
      for (const c of commands) if (!((kind === 'option missing its value' || kind === 'option given twice') && c === 'validate')) expect(covered, `${kind}: ${c}`).toContain(c);
    }
  });

  it.each(NEW_USER_ROWS)('wrong input: %s %j', async (cmd, args, line) => {
    const code = await main([cmd, ...args]);
    expect(cap.stderr).toBe(`qdistill: ${line}\n`);
    expect(cap.stdout).toBe('');
    expect(code).toBe(2);
  });

  it('a repeatable option may be given several times; an option given once with = is one value', async () => {
    expect(await main(['simulate', 'experiments/circuits/ghz-ry6.qasm', '--observable', 'Z0', '--observable=Z5', '--amplitude', '000000', '--amplitude', '111111', '--json'])).toBe(0);
    const out = JSON.parse(cap.stdout);
    expect(out.observables.map((o: { observable: string }) => o.observable)).toEqual(['Z0', 'Z5']);
    expect(out.amplitudes).toHaveLength(2);
    expect(cap.stderr).toBe('');
  });

  it('--debug adds the stack trace; the message line is unchanged', async () => {
    expect(await main(['run', CFG, '--worker', '2', '--debug'])).toBe(2);
    expect(cap.stderr).toMatch(/\n    at /);
    expect(cap.stderr.trimEnd().split('\n').at(-1)).toBe("qdistill: unknown option '--worker' (did you mean --workers?)");
  });
});

describe('help from the definitions', () => {
  it.each(['simulate', 'run', 'validate', 'groundstate', 'grad', 'demo', 'submit'])('%s: --help, -h and "help <command>" print the same text, generated from the definition', async (cmd) => {
    expect(await main([cmd, '--help'])).toBe(0);
    const a = cap.stdout; cap.stdout = '';
    expect(await main([cmd, '-h'])).toBe(0);
    const b = cap.stdout; cap.stdout = '';
    expect(await main(['help', cmd])).toBe(0);
    expect(cap.stdout).toBe(a);
    expect(b).toBe(a);
    expect(a).toMatch(new RegExp(`^Usage: qdistill ${cmd} `));
    expect(a).toMatch(/--debug/);
    expect(cap.stderr).toBe('');
  });

  it('the command list names every command with its one-line summary', () => {
    const h = rootHelp();
    for (const c of ['simulate', 'run', 'validate', 'groundstate', 'grad', 'demo', 'plan', 'merge', 'submit', 'version', 'help']) expect(h).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
  });

  it('run and demo document progress on by default and --no-progress', async () => {
    for (const cmd of ['run', 'demo']) {
      cap.stdout = '';
      await main([cmd, '--help']);
      expect(cap.stdout).toMatch(/--progress <MODE>[\s\S]*\(default: "auto"\)/);
      expect(cap.stdout).toMatch(/--no-progress +no progress output \(the same as --progress none\)/);
    }
  });
});

describe('the executable', () => {
  it.each<[string[], string]>([
    [['simulate', 'c.qasm', '--maxbond', '3'], "qdistill: unknown option '--maxbond' (did you mean --max-bond?)\n"],
    [['run', CFG, '--seeds'], 'qdistill: --seeds needs a value: --seeds <LIST>\n'],
  ])('%j: the same line and exit code 2', (args, line) => {
    vi.restoreAllMocks();
    const r = runCli(args);
    expect(r.stderr).toBe(line);
    expect(r.stdout).toBe('');
    expect(r.status).toBe(2);
  });
});
