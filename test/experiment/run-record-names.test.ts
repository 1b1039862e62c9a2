/** Run records written before the bond reached had one name read back with today's names (`--resume`, `merge`). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunRecord } from '../../src/experiment/run-files.js';

const dir = mkdtempSync(join(tmpdir(), 'qdistill-names-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readRunRecord', () => {
  it('renames max_bond (teacher summary, history extras) to bond_reached and leaves new records alone', () => {
    const old = { configHash: 'h', record: { key: 'seed-1/student/s/kd', teacher: { test_accuracy: 0.9, max_bond: 8 }, history: [{ epoch: 1, extra: { train_max_bond: 4, test_max_bond: 6, train_fidelity_mean: 1 } }] } };
    const f = join(dir, 'old.json');
    writeFileSync(f, JSON.stringify(old));
    const r = readRunRecord<typeof old.record>(f, 'seed-1/student/s/kd').record as unknown as Record<string, never>;
    expect(r['teacher']).toEqual({ test_accuracy: 0.9, bond_reached: 8 });
    expect((r['history'] as { extra: object }[])[0]!.extra).toEqual({ train_bond_reached: 4, test_bond_reached: 6, train_fidelity_mean: 1 });
    const now = { configHash: 'h', record: { key: 'k', teacher: { bond_reached: 3 }, history: [{ extra: { train_bond_reached: 2 } }] } };
    const g = join(dir, 'new.json');
    writeFileSync(g, JSON.stringify(now));
    expect(readRunRecord(g, 'k').record).toEqual(now.record);
  });
});
