import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFigure } from '../../src/report/write.js';

const SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"></svg>';
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qdistill-fig-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeFigure', () => {
  it('creates the directory, adds .svg, writes the PNG beside it, returns the path, and leaves no temp file', async () => {
    const out = join(dir, 'figs', 'sub');
    const p = await writeFigure(out, 'loss', SVG);
    expect(p).toBe(join(out, 'loss.svg'));
    expect(await readFile(p, 'utf8')).toBe(SVG);
    expect(await writeFigure(out, 'loss.svg', SVG.replace('></', '> </'))).toBe(p);
    expect(await readFile(p, 'utf8')).toBe(SVG.replace('></', '> </'));
    expect((await readdir(out)).sort()).toEqual(['loss.png', 'loss.svg']);
  });

  it.each(['', '..', 'a/b', 'a\\b'])('rejects the name %j', async (name) => {
    await expect(writeFigure(dir, name, SVG)).rejects.toThrow('writeFigure: name must be a plain file name');
  });

  it('rejects content that is not SVG', async () => {
    await expect(writeFigure(dir, 'x', 'hello')).rejects.toThrow('writeFigure: svg must be an SVG document');
  });
});
