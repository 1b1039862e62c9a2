#!/usr/bin/env node
/**
 * Writes experiments/config.schema.json, the JSON Schema of the experiment config format,
 * generated from the zod schema (src/experiment/config.ts `configJsonSchema()`).
 * `npm run schema` builds first; test/reliability/schema.test.ts checks the file is current.
 */
import { writeFileSync } from 'node:fs';
import { configJsonSchema } from '../dist/src/experiment/config.js';

/** The file's exact text: 2-space JSON with a final newline. */
export const schemaText = () => `${JSON.stringify(configJsonSchema(), null, 2)}\n`;

const out = new URL('./config.schema.json', import.meta.url);
writeFileSync(out, schemaText());
process.stdout.write(`wrote experiments/config.schema.json\n`);
