/**
 * The README's TypeScript blocks run as tests against the built package (dist/, made by
 * `npm test`'s pretest build): imports of 'qdistill' and 'qdistill/mps' are resolved to dist/.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe('README code blocks', () => {
  it('has TypeScript examples', () => expect(blocks.length).toBeGreaterThanOrEqual(2));
  it.each(blocks.map((b, i) => [i, b] as const))('block %i runs', (i, code) => {
    const dir = mkdtempSync(join(tmpdir(), 'qdistill-readme-'));
    const js = code
      .replaceAll("from 'qdistill/mps'", `from '${join(root, 'dist/mps/index.js')}'`)
      .replaceAll("from 'qdistill'", `from '${join(root, 'dist/src/index.js')}'`);
    const file = join(dir, `block-${i}.mjs`);
    writeFileSync(file, js);
    const r = spawnSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    // Numbers the README claims in a `// ≈ …` comment on a console.log line must be what the
    // run prints, to the digits shown (the k-th console.log of a block prints stdout line k;
    // the README's blocks call console.log once each, at top level).
    const logs = code.split('\n').filter((l) => /^\s*console\.log\(/.test(l));
    const out = r.stdout.split('\n');
    logs.forEach((line, k) => {
      const claim = line.match(/\/\/ ≈ (.*)$/);
      if (!claim) return;
      const want = claim[1]!.split(/,\s*/).map((w) => w.trim());
      const got = out[k]!.trim().split(/\s+/);
      want.forEach((w, j) => {
        const digits = (w.split('.')[1] ?? '').length;
        expect(Math.abs(Number(got[j]) - Number(w)), `block ${i}: README claims ${w}, the run prints ${got[j]}`).toBeLessThanOrEqual(0.5 * 10 ** -digits + 1e-15);
      });
    });
  });
});
