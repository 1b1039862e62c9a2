/**
 * Command-line parsing on `commander`: one definition per command (usage, description, options
 * with their help lines, examples) gives both the parser and the help text. Every parsing
 * problem becomes a one-line {@link UsageError} (exit code 2): an unknown option with the
 * closest known one ("unknown option '--maxbond' (did you mean --max-bond?)"), an option given
 * without its value, named with what it takes. Values are validated by the commands themselves,
 * which name the flag, the value and what is allowed.
 */
import { Command, CommanderError, Option } from 'commander';
import { UsageError } from './errors.js';

/** Width the help texts are wrapped to (independent of the terminal, so help is reproducible). */
export const HELP_WIDTH = 100;

/**
 * A value that starts with a dash but is a value, not an option: a negative number
 * (`--h -1`, `--cutoff -1e-3`, `-inf`, `-nan`), a Pauli sum with a leading minus
 * (`--observable "-Z0 + Z1"`), or a lone `-` (`--broken -`).
 */
const DASH_VALUE = /^-(\s*(\d|\.\d|inf|nan|[XYZI]\s*\d)|$)/i;

/**
 * Creates the definition of a command: its name, one-line summary (the command list of
 * `qdistill --help`), usage line, description and examples; the caller adds its options. Every
 * command accepts `--debug` (stack traces on errors) and `-h, --help`. Positional arguments are
 * collected as given and counted by the command, which names what it expected.
 */
export function defineCommand(name: string, o: { summary: string; usage: string; description: string; examples: string[] }): Command {
  const c = new Command(name)
    .summary(o.summary)
    .usage(o.usage)
    .description(o.description)
    .argument('[args...]')
    .helpOption('-h, --help', 'print this text')
    .configureHelp({ helpWidth: HELP_WIDTH, commandUsage: (cmd) => `qdistill ${cmd.name()} ${cmd.usage()}` })
    .exitOverride()
    .configureOutput({ writeOut: () => undefined, writeErr: () => undefined })
    .allowExcessArguments(true);
  if (o.examples.length > 0) c.addHelpText('after', `\nExamples:\n${o.examples.map((e) => `  ${e}`).join('\n')}`);
  return c;
}

/** Adds the `--debug` option; call it last so that it ends the option list of every command. */
export function addDebugOption(c: Command): Command {
  return c.option('--debug', 'print the stack trace of an error (any command)');
}

/** The options made by {@link repeatable}; every other option with a value may be given once. */
const REPEATABLE = new WeakSet<Option>();

/** An option that may be given several times; its value is the list of the values given. */
export function repeatable(flags: string, description: string): Option {
  const o = new Option(flags, description).argParser((v: string, prev: string[] | undefined) => [...(prev ?? []), v]);
  REPEATABLE.add(o);
  return o;
}

/** The help text of a command definition (usage, description, options, examples). */
export function helpText(c: Command): string {
  let s = '';
  c.configureOutput({ writeOut: (t) => { s += t; }, writeErr: () => undefined });
  c.outputHelp();
  return s.trimEnd();
}

/** What {@link parseCommand} returns: the help text when asked, else the values and positionals. */
export type ParseResult<V> = { help: string; values?: undefined; positionals?: undefined } | { help: null; values: V; positionals: string[] };

/**
 * Parses `argv` (the arguments after the command name) with the definition `c`. Option values
 * are keyed by their long flag without dashes (`--max-bond 4` → `values['max-bond'] === '4'`);
 * flags that were not given are `false` (switches) or `undefined` (options with a value, unless
 * the definition gives a default); `--no-X` sets `X` to `false`.
 * @throws UsageError (exit code 2), one line: an unknown option (with the closest known one),
 *   an option without its value (also when the next argument is another option), an option
 *   that takes one value given more than once (commander would keep the last silently), or any
 *   other problem commander reports.
 */
export function parseCommand<V>(c: Command, argv: string[]): ParseResult<V> {
  const name = `qdistill ${c.name()}`;
  checkValues(c, argv);
  let help = '';
  c.configureOutput({ writeOut: (t) => { help += t; }, writeErr: () => undefined });
  try {
    c.parse(argv, { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.help') return { help: help.trimEnd() };
    throw new UsageError(oneLine(e, name));
  }
  const opts = c.opts();
  const values: Record<string, unknown> = {};
  for (const o of c.options as Option[]) {
    const key = (o.long ?? o.short ?? '').replace(/^--?(no-)?/, '');
    if (key === 'help') continue;
    const v = opts[o.attributeName()];
    if (v !== undefined) values[key] = v;
    else if (o.isBoolean() && !o.negate && !(key in values)) values[key] = false;
  }
  return { help: null, values: values as V, positionals: c.args };
}

/**
 * Rejects an option that takes a value but has none: at the end of the line, or followed by
 * another option (commander would take `--seeds --resume` as seeds "--resume"). Negative numbers
 * and Pauli sums with a leading minus are values; `--opt=VALUE` passes anything. Also rejects
 * an option that takes one value (not {@link repeatable}) given twice, naming both values.
 */
function checkValues(c: Command, argv: string[]): void {
  const seen = new Map<Option, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') return;
    if (!a.startsWith('-')) continue;
    const eq = a.indexOf('=');
    const flag = eq >= 0 ? a.slice(0, eq) : a;
    const o = (c.options as Option[]).find((x) => x.long === flag || x.short === flag);
    if (!o || !o.required) continue;
    if (eq < 0) {
      const next = argv[i + 1];
      const what = `${a} ${o.flags.split(/\s+/).slice(1).join(' ')}`;
      if (next === undefined) throw new UsageError(`${a} needs a value: ${what}`);
      if (next.startsWith('-') && !DASH_VALUE.test(next)) {
        throw new UsageError(`${a} needs a value: ${what}; the next argument '${next}' is read as an option (write ${a}=${next} if it is the value)`);
      }
      i++;
    }
    const value = eq >= 0 ? a.slice(eq + 1) : argv[i]!;
    const first = seen.get(o);
    if (first !== undefined && !REPEATABLE.has(o)) throw new UsageError(`${o.long ?? flag} is given twice ('${first}' and '${value}'); it takes one value: give it once`);
    seen.set(o, value);
  }
}

/** Commander's message on one line, without its "error: " prefix, with a pointer to the help. */
function oneLine(e: CommanderError, name: string): string {
  const [first = '', ...rest] = e.message.replace(/^error: /, '').split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (e.code === 'commander.unknownOption') {
    const hint = rest.join(' ').match(/Did you mean (.+?)\?/);
    return hint ? `${first} (did you mean ${hint[1]}?)` : `${first}; see '${name} --help' for the options`;
  }
  return [first, ...rest].join(' ');
}

/**
 * The command of `names` closest to `typo` (commander's suggestion, computed by a root
 * program that knows them), or null when none is close.
 */
export function suggestCommand(names: string[], typo: string): string | null {
  const root = new Command('qdistill').exitOverride().configureOutput({ writeOut: () => undefined, writeErr: () => undefined });
  for (const n of names) root.command(n);
  try {
    root.parse([typo], { from: 'user' });
  } catch (e) {
    const m = e instanceof CommanderError ? e.message.match(/Did you mean (.+?)\?/) : null;
    return m ? m[1]! : null;
  }
  return null;
}
