/** experiments/config.schema.json is the JSON Schema generated from the zod config schema (`npm run schema`). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { configJsonSchema, resolveConfig } from '../../src/experiment/config.js';

describe('experiments/config.schema.json', () => {
  it('equals the schema generated from src/experiment/config.ts (run `npm run schema` after changing it)', () => {
    const committed = readFileSync('experiments/config.schema.json', 'utf8');
    expect(committed).toBe(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
  });

  it('describes the shipped configs: every top-level key of e1 is a schema property', () => {
    const schema = JSON.parse(readFileSync('experiments/config.schema.json', 'utf8')) as { properties: Record<string, unknown>; additionalProperties?: unknown };
    const e1 = JSON.parse(readFileSync('experiments/e1-qubits.json', 'utf8')) as Record<string, unknown>;
    expect(resolveConfig(e1).name).toBe('e1-qubits');
    for (const k of Object.keys(e1)) expect(schema.properties).toHaveProperty(k);
    expect(schema.additionalProperties).toBe(false);
  });
});
