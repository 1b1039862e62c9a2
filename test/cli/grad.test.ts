import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/cli.js';
import { captureOutput, runCli } from './run-cli.js';

const cap = captureOutput();

const example = 'experiments/circuits/example.json';
const OBS = 'Z0 + 0.5*Z1*Z2 - 0.25*X3';

describe('qdistill grad', () => {
  const runs = ['mps', 'statevector'].flatMap((backend) => ['adjoint', 'parameter-shift'].map((method) => ({ backend, method })));
  const outs = runs.map(({ backend, method }) => {
    const r = runCli(['grad', example, '--observable', OBS, '--backend', backend, '--method', method, '--json']);
    return { backend, method, r, out: r.status === 0 ? JSON.parse(r.stdout) : null };
  });
  it.each(outs)('$backend / $method prints one JSON object', ({ r, out, method }) => {
    expect(r.stderr).toBe('');
    expect(out.gradient).toHaveLength(6);
    expect(out.method).toBe(method);
    expect(typeof out.value).toBe('number');
    expect(out.truncation.fidelityEstimate).toBeCloseTo(1, 12);
    expect(out.seconds).toBeGreaterThanOrEqual(0);
  });
  it('the bond reached is the exact Schmidt-rank bound on the state vector (as simulate), the MPS bond on the MPS', async () => {
    for (const { backend, out } of outs) expect(out.truncation.bondReached, backend).toBe(backend === 'statevector' ? 2 ** Math.floor(4 / 2) : 2);
    // in process (the spawned executable is checked above)
    expect(await main(['simulate', 'experiments/circuits/ghz-ry6.qasm', '--backend', 'statevector', '--json'])).toBe(0);
    expect(JSON.parse(cap.stdout).truncation.bondReached).toBe(2 ** 3);
    cap.stdout = '';
    expect(await main(['grad', example, '--observable', OBS, '--backend', 'statevector'])).toBe(0);
    expect(cap.stdout).toMatch(/^exact state vector: no truncation; time /m);
    expect(cap.stdout).not.toMatch(/bond reached/);
  });
  it('all four agree to 1e-9 (shared parameter 0 and scaled parameter 3 included)', () => {
    const ref = outs[0]!.out;
    for (const { out } of outs) {
      expect(Math.abs(out.value - ref.value)).toBeLessThan(1e-12);
      out.gradient.forEach((g: number, k: number) => expect(Math.abs(g - ref.gradient[k])).toBeLessThan(1e-9));
    }
  });

  const dir = mkdtempSync(join(tmpdir(), 'qdistill-grad-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, JSON.stringify({ format: 'qdistill-circuit', version: 1, n: 2, params: [0.1], gates: [{ gate: 'ry', qubits: [5], angles: [{ param: 0 }] }] }));
  it.each([
    ['missing observable', [example], /--observable is required/],
    ['observable qubit out of range', [example, '--observable', 'Z9'], /qubit 9 out of range for n = 4/],
    ['bad method', [example, '--observable', 'Z0', '--method', 'fd'], /--method must be 'adjoint' or 'parameter-shift', got 'fd'/],
    ['bad circuit', [bad, '--observable', 'Z0'], /gates\[0\]\.qubits\[0\].*out of range/],
    ['max-bond 0', [example, '--observable', 'Z0', '--max-bond', '0'], /--max-bond must be an integer ≥ 1, got '0'/],
  ])('%s: one line on stderr, non-zero exit', (_n, args, re) => {
    const r = runCli(['grad', ...(args as string[])]);
    expect(r.status).not.toBe(0);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(re as RegExp);
  });
});

describe('values that start with a minus sign', () => {
  // a Pauli sum may start with a minus sign, as the README's sums contain one
  it.each<[string, string]>([
    ['-Z0 + Z1', 'Z1 - Z0'],
    ['- 0.5*X3 + Z0', 'Z0 - 0.5*X3'],
  ])('grad --observable "%s" gives the same value and gradient as "%s"', (lead, plain) => {
    const a = runCli(['grad', example, '--observable', lead, '--json']);
    const b = runCli(['grad', example, '--observable', plain, '--json']);
    expect(a.stderr).toBe('');
    expect(a.status).toBe(0);
    expect(JSON.parse(a.stdout).value).toBe(JSON.parse(b.stdout).value);
    expect(JSON.parse(a.stdout).gradient).toEqual(JSON.parse(b.stdout).gradient);
  });

  it('any other value that starts with a dash is a one-line usage error naming the option and how to pass such a value', () => {
    const r = runCli(['run', 'experiments/demo.json', '--dry-run', '--out', '-dir']);
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toBe("qdistill: --out needs a value: --out <DIR>; the next argument '-dir' is read as an option (write --out=-dir if it is the value)\n");
  });
});
