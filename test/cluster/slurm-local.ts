/**
 * A one-node Slurm cluster on this machine for the tests: Debian's `slurm-wlm` (slurmctld,
 * slurmd) with `munge`, started as background processes on a `slurm.conf` written into a
 * temporary folder, and stopped afterwards. Nothing is mocked: sbatch, squeue, scontrol and
 * scancel talk to the real controller.
 *
 * What it needs, found out on Debian 12 (Slurm 22.05, munge 0.5.15) in a container without
 * systemd or cgroup delegation:
 * - root: slurmd launches every job as its owner (setuid), and the conf sets SlurmUser and
 *   SlurmdUser to root, so no `slurm` account is needed;
 * - munged in the foreground (`-F`) with `-f` (it refuses key and socket folders it finds
 *   insecure, such as anything under a world-writable /tmp), a 1024-bit key written by the
 *   harness (mode 0600), and its socket named in the conf (`AuthInfo=socket=…`) so that the
 *   daemons and the client commands find it through SLURM_CONF alone;
 * - slurmctld `-D -i` and slurmd `-D -N localhost` (foreground, the node named `localhost`
 *   at 127.0.0.1), with every path the daemons write (StateSaveLocation, SlurmdSpoolDir,
 *   pid and log files) in the temporary folder and two free TCP ports;
 * - no cgroups: ProctrackType=proctrack/linuxproc, TaskPlugin=task/none,
 *   JobAcctGatherType=jobacct_gather/none;
 * - the node line as `slurmd -C` prints it for this machine (CPUs, sockets, cores, threads,
 *   RealMemory), so slurmd registers without being drained for a mismatch;
 * - no slurmdbd (it needs a MySQL server): AccountingStorageType=accounting_storage/none, so
 *   `sacct` has nothing to read. Finished jobs are recorded instead by
 *   JobCompType=jobcomp/filetxt (one line per job or array task with its JobState and
 *   ExitCode, read by {@link LocalSlurm.jobRecords}) and stay visible to `scontrol show job`
 *   for MinJobAge seconds. qdistill itself never needs accounting: a task is finished when
 *   it has left its done marker.
 * - KillWait=2 (seconds between SIGTERM and SIGKILL on scancel; the default is 30) and the
 *   plain FIFO scheduler (`sched/builtin`; nothing to backfill on one node), so a chain of
 *   trivial jobs runs in seconds.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The Slurm and munge programs the harness runs. */
export const SLURM_PROGRAMS = ['munged', 'slurmctld', 'slurmd', 'sbatch', 'squeue', 'sinfo', 'scontrol', 'scancel'] as const;

/** A running one-node cluster. */
export interface LocalSlurm {
  /** The temporary folder with slurm.conf, the munge key and socket, state, spool and logs. */
  dir: string;
  /** Path of slurm.conf. */
  conf: string;
  /** The partition (the only one, and the default). */
  partition: string;
  /** The environment for Slurm client commands and for anything that calls them (SLURM_CONF set). */
  env: NodeJS.ProcessEnv;
  /** Runs a Slurm client command against this cluster; never throws. */
  run(command: string, args: string[]): { status: number | null; stdout: string; stderr: string };
  /** The job-completion records (jobcomp/filetxt) as key → value maps, one per finished job or array task. */
  jobRecords(): Record<string, string>[];
  /** The daemons' log files, for a failure message. */
  logs(): string;
  /** Cancels every job, stops slurmd, slurmctld and munged, and removes the folder (kept when QDISTILL_KEEP_SLURM is set). */
  stop(): Promise<void>;
}

/** Why no cluster could be started. */
export interface NoSlurm {
  reason: string;
}

/** A free TCP port on localhost (the kernel's choice). */
function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const s = createServer();
    s.once('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      s.close(() => (typeof a === 'object' && a ? res(a.port) : rej(new Error('no port'))));
    });
  });
}

/** Whether `name` is on PATH or in the sbin folders (the daemons live in /usr/sbin, often not on a user's PATH). */
export function findProgram(name: string): string | null {
  for (const d of [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/local/sbin']) {
    if (d && existsSync(join(d, name))) return join(d, name);
  }
  return null;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The last lines of a file, or a note that it does not exist. */
function tail(file: string, lines = 15): string {
  if (!existsSync(file)) return `(${file}: not written)`;
  return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
}

/**
 * Starts munged, slurmctld and slurmd on a fresh slurm.conf and waits (at most `timeoutMs`)
 * until `sinfo` shows the node idle.
 * @returns the cluster, or why it could not start: a program missing, not root, a daemon that
 *   exited (with the tail of its log) or a node that did not become idle in time.
 */
export async function startLocalSlurm(timeoutMs = 30_000): Promise<LocalSlurm | NoSlurm> {
  const paths: Record<string, string> = {};
  for (const p of SLURM_PROGRAMS) {
    const f = findProgram(p);
    if (!f) return { reason: `${p} not found (install Debian's slurm-wlm and munge: apt-get install slurm-wlm munge)` };
    paths[p] = f;
  }
  if (process.getuid?.() !== 0) return { reason: `not root (uid ${process.getuid?.()}): slurmd must run as root to launch jobs as their owner` };
  const probe = spawnSync(paths['slurmd']!, ['-C'], { encoding: 'utf8' });
  const nodeLine = /^NodeName=\S+\s+(.*)$/m.exec(probe.stdout ?? '');
  if (!nodeLine) return { reason: `slurmd -C printed no node line (exit ${probe.status}): ${(probe.stderr || probe.stdout || '').trim()}` };
  const hw = nodeLine[1]!.split(/\s+/).filter((f) => /^(CPUs|Boards|SocketsPerBoard|CoresPerSocket|ThreadsPerCore|RealMemory)=/.test(f)).join(' ');

  const dir = mkdtempSync(join(tmpdir(), 'qdistill-slurm-'));
  chmodSync(dir, 0o755);
  for (const d of ['munge', 'run', 'state', 'spool', 'log']) mkdirSync(join(dir, d));
  chmodSync(join(dir, 'munge'), 0o700);
  chmodSync(join(dir, 'run'), 0o755);
  const key = join(dir, 'munge', 'munge.key');
  writeFileSync(key, randomBytes(128), { mode: 0o600 });
  const socket = join(dir, 'run', 'munge.socket');
  const [ctldPort, dPort] = [await freePort(), await freePort()];
  const partition = 'qdtest';
  const conf = join(dir, 'slurm.conf');
  writeFileSync(conf, [
    'ClusterName=qdistill-test',
    'SlurmctldHost=localhost(127.0.0.1)',
    `SlurmctldPort=${ctldPort}`,
    `SlurmdPort=${dPort}`,
    'SlurmUser=root',
    'SlurmdUser=root',
    'AuthType=auth/munge',
    'CredType=cred/munge',
    `AuthInfo=socket=${socket}`,
    `StateSaveLocation=${join(dir, 'state')}`,
    `SlurmdSpoolDir=${join(dir, 'spool')}`,
    `SlurmctldPidFile=${join(dir, 'run', 'slurmctld.pid')}`,
    `SlurmdPidFile=${join(dir, 'run', 'slurmd.pid')}`,
    `SlurmctldLogFile=${join(dir, 'log', 'slurmctld.log')}`,
    `SlurmdLogFile=${join(dir, 'log', 'slurmd.log')}`,
    'ProctrackType=proctrack/linuxproc',
    'TaskPlugin=task/none',
    'SelectType=select/cons_tres',
    'SelectTypeParameters=CR_Core',
    'JobAcctGatherType=jobacct_gather/none',
    'AccountingStorageType=accounting_storage/none',
    'JobCompType=jobcomp/filetxt',
    `JobCompLoc=${join(dir, 'log', 'jobcomp.txt')}`,
    'MpiDefault=none',
    'ReturnToService=2',
    'SchedulerType=sched/builtin',
    'KillWait=2',
    'MinJobAge=600',
    'InactiveLimit=0',
    `NodeName=localhost NodeAddr=127.0.0.1 ${hw} State=UNKNOWN`,
    `PartitionName=${partition} Nodes=localhost Default=YES MaxTime=INFINITE State=UP`,
    '',
  ].join('\n'));

  const env: NodeJS.ProcessEnv = { ...process.env, SLURM_CONF: conf };
  const procs: { name: string; p: ChildProcess; log: string }[] = [];
  const exited = new Map<string, string>();
  const launch = (name: string, args: string[], log: string) => {
    const p = spawn(paths[name]!, args, { env, stdio: ['ignore', 'ignore', 'ignore'] });
    p.on('exit', (code, sig) => exited.set(name, `exited with ${code ?? sig}`));
    p.on('error', (e) => exited.set(name, `could not start: ${e.message}`));
    procs.push({ name, p, log });
  };
  const killAll = () => { for (const { p } of [...procs].reverse()) if (p.exitCode === null && p.signalCode === null) p.kill('SIGTERM'); };
  process.once('exit', killAll);

  const run = (command: string, args: string[]) => {
    const r = spawnSync(findProgram(command) ?? command, args, { env, encoding: 'utf8', timeout: 20_000 });
    return { status: r.status, stdout: r.stdout ?? '', stderr: r.stderr ?? (r.error ? r.error.message : '') };
  };
  const logs = () => procs.map(({ name, log }) => `--- ${name} (${exited.get(name) ?? 'running'}): ${log}\n${tail(log)}`).join('\n');
  const stop = async () => {
    if (exited.size < procs.length) run('scancel', ['--full', '--user=root']);
    killAll();
    const until = Date.now() + 10_000;
    while (procs.some(({ p }) => p.exitCode === null && p.signalCode === null) && Date.now() < until) await sleep(50);
    for (const { p } of procs) if (p.exitCode === null && p.signalCode === null) p.kill('SIGKILL');
    process.removeListener('exit', killAll);
    if (!process.env['QDISTILL_KEEP_SLURM']) rmSync(dir, { recursive: true, force: true });
  };
  const fail = async (reason: string): Promise<NoSlurm> => {
    const text = `${reason}\n${logs()}`;
    await stop();
    return { reason: text };
  };

  const mungeLog = join(dir, 'munge', 'munged.log');
  launch('munged', ['-F', '-f', `--key-file=${key}`, `--socket=${socket}`, `--pid-file=${join(dir, 'munge', 'munged.pid')}`, `--log-file=${mungeLog}`, `--seed-file=${join(dir, 'munge', 'munged.seed')}`], mungeLog);
  const deadline = Date.now() + timeoutMs;
  while (!existsSync(socket)) {
    if (exited.has('munged')) return fail(`munged ${exited.get('munged')}`);
    if (Date.now() > deadline) return fail(`munged made no socket at ${socket} within ${timeoutMs} ms`);
    await sleep(50);
  }
  launch('slurmctld', ['-D', '-i', '-f', conf], join(dir, 'log', 'slurmctld.log'));
  launch('slurmd', ['-D', '-N', 'localhost', '-f', conf], join(dir, 'log', 'slurmd.log'));
  let state = '';
  for (;;) {
    for (const n of ['munged', 'slurmctld', 'slurmd']) if (exited.has(n)) return fail(`${n} ${exited.get(n)}`);
    const r = run('sinfo', ['--noheader', '--Node', '--format=%N %T']);
    state = r.status === 0 ? r.stdout.trim() : r.stderr.trim();
    if (/^localhost idle$/m.test(state)) break;
    if (Date.now() > deadline) return fail(`the node was not idle within ${timeoutMs} ms; sinfo: ${state}`);
    await sleep(200);
  }
  const jobRecords = () => {
    const f = join(dir, 'log', 'jobcomp.txt');
    if (!existsSync(f)) return [];
    return readFileSync(f, 'utf8').trim().split('\n').filter((l) => l !== '').map((l) => Object.fromEntries(l.trim().split(/\s+(?=\w+=)/).map((kv) => { const i = kv.indexOf('='); return [kv.slice(0, i), kv.slice(i + 1)]; })));
  };
  return { dir, conf, partition, env, run, jobRecords, logs, stop };
}
