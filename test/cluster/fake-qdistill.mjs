#!/usr/bin/env node
/**
 * A stand-in for qdistill's `run --task` and `merge` in the Slurm integration test, given to
 * `qdistill submit` with `--qdistill-command`: the batch scripts, sbatch, the job arrays and
 * the dependency chain are all real, only the work of a task is trivial.
 *
 *   fake-qdistill.mjs run CONFIG [--quick] --task ID --out DIR
 *   fake-qdistill.mjs merge DIR
 *
 * `run` appends `start` to DIR/ran.jsonl (task, argv, Slurm job and array ids, time), fails
 * (exit 3, event `fail`) if a dependency of the task has no done marker (the dependencies come
 * from the plan file in $FAKE_PLAN), waits while DIR/hold/<id, URI-encoded> exists (event
 * `hold`; a test cancels it there), then appends `done` and writes the task's done marker.
 * `merge` checks every task of the plan is done, appends `merge` and writes DIR/merged.json.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const { taskDonePath } = await import(join(root, 'dist', 'src', 'cluster', 'done-marker.js'));

const [cmd, ...args] = process.argv.slice(2);
const opt = (name) => { const i = args.indexOf(name); return i < 0 ? undefined : args[i + 1]; };
const plan = JSON.parse(readFileSync(process.env.FAKE_PLAN, 'utf8'));
const slurm = { job: process.env.SLURM_JOB_ID, array: process.env.SLURM_ARRAY_JOB_ID ? `${process.env.SLURM_ARRAY_JOB_ID}_${process.env.SLURM_ARRAY_TASK_ID}` : null };
const log = (out, event, extra = {}) => appendFileSync(join(out, 'ran.jsonl'), JSON.stringify({ event, t: Date.now(), ...slurm, ...extra }) + '\n');

if (cmd === 'run') {
  const out = opt('--out');
  const id = opt('--task');
  log(out, 'start', { task: id, argv: args });
  const task = plan.tasks.find((t) => t.id === id);
  const missing = task ? task.deps.filter((d) => !existsSync(taskDonePath(out, d))) : ['(not in the plan)'];
  if (missing.length > 0) {
    log(out, 'fail', { task: id, missing });
    process.exit(3);
  }
  const hold = join(out, 'hold', encodeURIComponent(id));
  if (existsSync(hold)) {
    log(out, 'hold', { task: id });
    const until = Date.now() + 120_000;
    while (existsSync(hold)) {
      if (Date.now() > until) { log(out, 'fail', { task: id, missing: ['hold timed out'] }); process.exit(4); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  log(out, 'done', { task: id });
  const marker = taskDonePath(out, id);
  mkdirSync(dirname(marker), { recursive: true });
  writeFileSync(marker, `${id}\n`);
} else if (cmd === 'merge') {
  const out = args[0];
  const missing = plan.tasks.filter((t) => !existsSync(taskDonePath(out, t.id))).map((t) => t.id);
  if (missing.length > 0) {
    log(out, 'fail', { task: 'merge', missing });
    process.exit(3);
  }
  log(out, 'merge', { argv: args });
  writeFileSync(join(out, 'merged.json'), JSON.stringify({ tasks: plan.tasks.map((t) => t.id) }) + '\n');
} else {
  process.stderr.write(`fake-qdistill: unknown command ${cmd}\n`);
  process.exit(2);
}
