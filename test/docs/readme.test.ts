/**
 * The README's TypeScript blocks are the files in `examples/`, character for character: each
 * block's first line names its file (`// examples/<name>.ts — run with: npx tsx examples/<name>.ts`),
 * and every example is shown. `examples.test.ts` runs the files.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '../..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);
const HEADER = /^\/\/ (examples\/([\w-]+)\.ts) — run with: npx tsx examples\/\2\.ts\n/;

describe('README TypeScript blocks are the example files', () => {
  it('has TypeScript examples', () => expect(blocks.length).toBeGreaterThanOrEqual(2));

  it.each(blocks.map((b, i) => [i, b] as const))('block %i names its file and equals it', (i, code) => {
    const m = code.match(HEADER);
    expect(m, `README block ${i} must start with "// examples/<name>.ts — run with: npx tsx examples/<name>.ts"`).not.toBeNull();
    expect(code, `README block ${i} differs from ${m![1]}`).toBe(readFileSync(join(root, m![1]!), 'utf8'));
  });

  it('every example in examples/ is shown in the README, once', () => {
    const shown = blocks.map((b) => b.match(HEADER)?.[1]).sort();
    const files = readdirSync(join(root, 'examples')).filter((f) => f.endsWith('.ts')).map((f) => `examples/${f}`).sort();
    expect(shown).toEqual(files);
  });
});
