import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readJsonChecked, writeFileAtomic, writeJsonChecked } from '../../src/infra/atomic.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qdistill-atomic-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('atomic writes', () => {
  it('writeFileAtomic replaces the file and leaves no temp file', async () => {
    const p = join(dir, 'a.txt');
    await writeFileAtomic(p, 'one');
    await writeFileAtomic(p, 'two');
    expect(await readFile(p, 'utf8')).toBe('two');
    expect(await readdir(dir)).toEqual(['a.txt']);
  });

  it('writeFileAtomic removes its temp file when the rename fails', async () => {
    await mkdir(join(dir, 'sub', 'inner'), { recursive: true });
    // renaming a file over a non-empty directory fails
    await expect(writeFileAtomic(join(dir, 'sub'), 'data')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['sub']);
  });

  it('checked JSON round-trips exactly, and is itself valid JSON', async () => {
    const p = join(dir, 'ckpt.json');
    const obj = { a: [0.1, 1 / 3, 1e-300, -5e-324, Number.MAX_VALUE], s: 'é"\n', n: null };
    await writeJsonChecked(p, obj);
    expect(await readJsonChecked(p)).toEqual(obj);
    const raw = JSON.parse(await readFile(p, 'utf8')) as { sha256: string; payload: unknown };
    expect(raw.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(raw.payload).toEqual(obj);
  });

  it('detects a flipped byte, naming the file', async () => {
    const p = join(dir, 'ckpt.json');
    await writeJsonChecked(p, { x: [1, 2, 3] });
    const text = await readFile(p, 'utf8');
    await writeFile(p, text.replace('[1,2,3]', '[1,2,4]'));
    await expect(readJsonChecked(p, { label: 'checkpoint' })).rejects.toThrow(`checkpoint ${p} is corrupted (checksum mismatch)`);
  });

  it('detects truncation and a missing header', async () => {
    const p = join(dir, 'ckpt.json');
    await writeJsonChecked(p, { x: Array.from({ length: 100 }, (_, i) => i) });
    const text = await readFile(p, 'utf8');
    await writeFile(p, text.slice(0, text.length - 20));
    await expect(readJsonChecked(p)).rejects.toThrow(`file ${p} is corrupted (truncated)`);
    await writeFile(p, text.slice(0, 30));
    await expect(readJsonChecked(p)).rejects.toThrow(`file ${p} is corrupted (no checksum header)`);
    await writeFile(p, '');
    await expect(readJsonChecked(p)).rejects.toThrow(/is corrupted \(no checksum header; file is empty\)/);
    await expect(readJsonChecked(join(dir, 'nope.json'))).rejects.toThrow(/nope.json cannot be read \(ENOENT\)/);
  });
});
