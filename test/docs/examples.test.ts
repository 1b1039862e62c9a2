/**
 * Every file in `examples/` runs as documented, `npx tsx examples/<name>.ts`, importing the
 * package by its name (`qdistill`, `qdistill/mps`: the package's own exports, i.e. the built
 * dist/ that `npm test`'s pretest build makes), from a fresh working directory so the results
 * they write land in a temp folder. Numbers an example claims in a `// ≈ a, b (prose)` comment
 * on a `console.log` line must be what the run prints, to the digits shown.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const tsx = join(root, 'node_modules', '.bin', 'tsx');
const examples = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).sort();

/** The numbers right after "≈" in a `// ≈ a, b (prose)` comment; anything after them is prose. */
const CLAIM = /\/\/ ≈ (-?[\d.]+(?:e-?\d+)?(?:,\s*-?[\d.]+(?:e-?\d+)?)*)/;

describe('examples run with tsx', () => {
  it('there are examples', () => expect(examples.length).toBeGreaterThanOrEqual(4));

  it('every "≈" comment on a console.log line parses to numbers (so the checks below are not vacuous)', () => {
    const lines = examples.flatMap((f) => readFileSync(join(root, 'examples', f), 'utf8').split('\n').filter((l) => /^console\.log\(.*\/\/ ≈/.test(l)));
    expect(lines.length).toBeGreaterThanOrEqual(3);
    for (const l of lines) expect(l.match(CLAIM), l).not.toBeNull();
  });

  it.each(examples)('%s', (file) => {
    const code = readFileSync(join(root, 'examples', file), 'utf8');
    expect(code).not.toMatch(/from '\.\.?\//); // imported as a user would: by package name
    const cwd = mkdtempSync(join(tmpdir(), 'qdistill-example-'));
    const t0 = performance.now();
    const r = spawnSync(tsx, [join(root, 'examples', file)], { cwd, encoding: 'utf8', timeout: 180_000 });
    console.log(`${file}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // the k-th top-level console.log of the file prints stdout line k
    const logs = code.split('\n').filter((l) => /^console\.log\(/.test(l));
    const out = r.stdout.split('\n');
    logs.forEach((line, k) => {
      const claim = line.match(CLAIM);
      if (!claim) return;
      const want = claim[1]!.split(/,\s*/).map((w) => w.trim());
      const got = out[k]!.trim().split(/\s+/);
      want.forEach((w, j) => {
        const digits = (w.split('.')[1] ?? '').length;
        expect(Math.abs(Number(got[j]) - Number(w)), `${file}: claims ${w}, the run prints ${got[j]}`).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-15);
      });
    });
  });
});
