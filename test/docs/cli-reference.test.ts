/**
 * The README's CLI reference, the help and the parser agree: every flag a command's row lists
 * is an option of that command's definition (which generates its help and parses its
 * arguments), and every option of the definition is in the row (`--help` and `--debug`, common
 * to all commands, are described below the table).
 */
import { readFileSync } from 'node:fs';
import type { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import { demoDefinition } from '../../src/cli/demo.js';
import { gradDefinition } from '../../src/cli/grad.js';
import { groundstateDefinition } from '../../src/cli/groundstate.js';
import { runDefinition, validateDefinition } from '../../src/cli/run.js';
import { simulateDefinition } from '../../src/cli/simulate.js';
import { mergeDefinition, planDefinition } from '../../src/cli/study.js';
import { submitDefinition } from '../../src/cli/submit.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
const section = readme.split('\n## CLI reference')[1]!.split('\n## ')[0]!;
const DEFS: Record<string, () => Command> = {
  simulate: simulateDefinition, run: runDefinition, validate: validateDefinition,
  groundstate: groundstateDefinition, grad: gradDefinition, demo: demoDefinition,
  plan: planDefinition, merge: mergeDefinition, submit: submitDefinition,
};

describe('README CLI reference = the command definitions', () => {
  it.each(Object.keys(DEFS))('%s', (cmd) => {
    const row = section.split('\n').find((l) => l.startsWith(`| \`qdistill ${cmd} `));
    expect(row, `README row of ${cmd}`).toBeDefined();
    const usage = row!.split('` |')[0]!;
    const inReadme = new Set(usage.match(/--[A-Za-z][\w-]*/g) ?? []);
    const defined = new Set((DEFS[cmd]!().options as Option[]).map((o) => o.long!).filter((f) => f !== '--help' && f !== '--debug'));
    expect([...inReadme].sort()).toEqual([...defined].sort());
  });

  it('the README states the progress default and how to turn it off, as the help does', () => {
    expect(section).toMatch(/progress on\s+stderr by default \(`--progress auto`\)/);
    for (const def of [runDefinition(), demoDefinition()]) {
      const progress = (def.options as Option[]).find((o) => o.long === '--progress' && !o.negate)!;
      expect(progress.defaultValue).toBe('auto');
      expect((def.options as Option[]).some((o) => o.long === '--no-progress')).toBe(true);
    }
  });
});
